//! The sentence splitter against the English Golden Rules, each language's fixtures and YAML
//! examples, the seed corpus, random input and adversarial input.

use claimdiff::model::{Sentence, Span};
use claimdiff::rules::RuleSet;
use claimdiff::segment::MAX_SENTENCE_BYTES;
use proptest::prelude::*;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Languages that must carry at least [`MIN_CASES_PER_LANGUAGE`] fixture cases of their own.
const LANGUAGES_WITH_FIXTURES: [&str; 7] = ["nl", "nb", "de", "fr", "es", "it", "ru"];
const MIN_CASES_PER_LANGUAGE: usize = 20;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The embedded rules, loaded once for all tests and proptest cases.
fn rules() -> &'static RuleSet {
    RuleSet::embedded_shared().unwrap_or_else(|e| panic!("embedded rules: {e}"))
}

/// One line of a `fixtures/segmentation/*.jsonl` file.
#[derive(Debug, Deserialize)]
struct Case {
    id: String,
    lang: String,
    text: String,
    expected: Vec<String>,
    /// Set on cases that are not required to pass (the expected output rewrites the text, or
    /// the source suite skips them).
    #[serde(default)]
    note: Option<String>,
}

fn read_cases(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(number, line)| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), number + 1))
        })
        .collect()
}

/// The sentences of `text` in language `lang`, as text.
fn split<'t>(rules: &RuleSet, lang: &str, text: &'t str) -> Vec<&'t str> {
    let sentences = rules
        .language(lang)
        .segmenter
        .split(text, Span::new(0, text.len()));
    check_spans(text, Span::new(0, text.len()), &sentences);
    sentences
        .iter()
        .map(|s| &text[s.span.start..s.span.end])
        .collect()
}

/// The invariants every split keeps: spans in order, not overlapping, inside the body,
/// non-empty, trimmed, on character boundaries.
fn check_spans(text: &str, body: Span, sentences: &[Sentence]) {
    let mut previous_end = body.start;
    let mut previous_paragraph = 0;
    for sentence in sentences {
        let Span { start, end } = sentence.span;
        assert!(
            start >= previous_end,
            "{sentence:?} overlaps or is out of order"
        );
        assert!(start < end, "{sentence:?} is empty");
        assert!(end <= body.end, "{sentence:?} ends after the body");
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        let slice = &text[start..end];
        assert_eq!(slice, slice.trim(), "{sentence:?} is not trimmed");
        assert!(sentence.paragraph >= previous_paragraph);
        previous_end = end;
        previous_paragraph = sentence.paragraph;
    }
}

/// Runs the cases of one fixture file; returns (passed, failures as text).
fn run_cases(rules: &RuleSet, cases: &[Case]) -> (usize, Vec<String>) {
    let mut passed = 0;
    let mut failures = Vec::new();
    for case in cases {
        let got = split(rules, &case.lang, &case.text);
        if got == case.expected {
            passed += 1;
        } else {
            failures.push(format!(
                "{}{}\n  text:     {:?}\n  expected: {:?}\n  got:      {:?}",
                case.id,
                case.note
                    .as_deref()
                    .map(|n| format!(" (note: {n})"))
                    .unwrap_or_default(),
                case.text,
                case.expected,
                got
            ));
        }
    }
    (passed, failures)
}

#[test]
fn english_golden_rules_pass() {
    let rules = rules();
    let cases = read_cases(&root().join("fixtures/segmentation/golden_en.jsonl"));
    let (required, optional): (Vec<Case>, Vec<Case>) =
        cases.into_iter().partition(|c| c.note.is_none());
    let (required_passed, required_failures) = run_cases(rules, &required);
    let (optional_passed, optional_failures) = run_cases(rules, &optional);
    println!(
        "golden_en: {required_passed}/{} without note, {}/{} overall",
        required.len(),
        required_passed + optional_passed,
        required.len() + optional.len()
    );
    for failure in &optional_failures {
        println!("not required: {failure}");
    }
    assert!(
        required_failures.is_empty(),
        "{} required golden cases fail:\n{}",
        required_failures.len(),
        required_failures.join("\n")
    );
}

#[test]
fn every_language_fixture_passes() {
    let rules = rules();
    let dir = root().join("fixtures/segmentation");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture directory")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            path.extension().is_some_and(|e| e == "jsonl")
                && path.file_stem().is_some_and(|s| s != "golden_en")
        })
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    for path in &paths {
        let cases = read_cases(path);
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        for case in &cases {
            let file_lang = stem.split('_').next().unwrap_or_default();
            assert_eq!(case.lang, file_lang, "{}: case in the wrong file", case.id);
            assert!(case.note.is_none(), "{}: own cases must all pass", case.id);
        }
        let (passed, mut failed) = run_cases(rules, &cases);
        println!("{stem}: {passed}/{} cases", cases.len());
        failures.append(&mut failed);
    }
    for lang in LANGUAGES_WITH_FIXTURES {
        let path = dir.join(format!("{lang}.jsonl"));
        let count = if path.exists() {
            read_cases(&path).len()
        } else {
            0
        };
        assert!(
            count >= MIN_CASES_PER_LANGUAGE,
            "{lang}: {count} cases, at least {MIN_CASES_PER_LANGUAGE} wanted"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn yaml_examples_pass() {
    #[derive(Deserialize)]
    struct Example {
        text: String,
        sentences: Vec<String>,
    }
    let rules = rules();
    let dir = root().join("rules/lang");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("rules/lang") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        // Only `<code>.yaml` holds the segment section.
        if !name.ends_with(".yaml") || name.matches('.').count() != 1 {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let value: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
        let code = value["language"].as_str().expect("language").to_string();
        let Some(examples) = value.get("segment").and_then(|s| s.get("examples")) else {
            continue;
        };
        let examples: Vec<Example> =
            serde_yaml::from_value(examples.clone()).expect("examples parse");
        for example in examples {
            assert_eq!(
                split(rules, &code, &example.text),
                example.sentences,
                "{name}: {:?}",
                example.text
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} YAML examples found");
}

#[test]
fn languages_fall_back_along_their_chain() {
    let rules = rules();
    // Danish abbreviations reach Norwegian through its fallback.
    assert_eq!(
        split(rules, "nb", "Møtet varer til kl. 12. Etterpå drar de."),
        ["Møtet varer til kl. 12.", "Etterpå drar de."]
    );
    // An unknown language splits with the common rules.
    assert_eq!(
        split(rules, "xx", "Ein Satz. Noch einer! Und?"),
        ["Ein Satz.", "Noch einer!", "Und?"]
    );
}

#[test]
fn paragraphs_are_counted_at_blank_lines() {
    let rules = rules();
    let text = "Headline\n\nFirst sentence. Second one.\nCaption line\n \n\nLast paragraph.";
    let sentences = rules
        .language("en")
        .segmenter
        .split(text, Span::new(0, text.len()));
    let paragraphs: Vec<(u32, &str)> = sentences
        .iter()
        .map(|s| (s.paragraph, &text[s.span.start..s.span.end]))
        .collect();
    assert_eq!(
        paragraphs,
        [
            (0, "Headline"),
            (1, "First sentence."),
            (1, "Second one."),
            (1, "Caption line"),
            (2, "Last paragraph."),
        ]
    );
}

#[test]
fn the_body_span_limits_the_split() {
    let rules = rules();
    let text = " date 2020-01-08 First. Second.";
    let body = Span::new(17, text.len());
    let sentences = rules.language("en").segmenter.split(text, body);
    check_spans(text, body, &sentences);
    let texts: Vec<&str> = sentences
        .iter()
        .map(|s| &text[s.span.start..s.span.end])
        .collect();
    assert_eq!(texts, ["First.", "Second."]);
    // A body that is no valid range yields nothing rather than panicking.
    assert!(rules
        .language("en")
        .segmenter
        .split(text, Span::new(20, 5))
        .is_empty());
    assert!(rules
        .language("en")
        .segmenter
        .split("é", Span::new(1, 2))
        .is_empty());
}

/// A seed file and the sentences of its body (after the optional ` date …` header).
struct Seed {
    name: String,
    text: String,
    lang: &'static str,
}

impl Seed {
    fn sentences<'a>(&'a self, rules: &RuleSet) -> Vec<&'a str> {
        let body_start = self
            .text
            .strip_prefix(" date ")
            .and_then(|rest| rest.find(' ').map(|i| " date ".len() + i + 1))
            .unwrap_or(0);
        let body = Span::new(body_start, self.text.len());
        let sentences = rules.language(self.lang).segmenter.split(&self.text, body);
        check_spans(&self.text, body, &sentences);
        sentences
            .iter()
            .map(|s| &self.text[s.span.start..s.span.end])
            .collect()
    }
}

fn seeds() -> Vec<Seed> {
    let dir = root().join("seeds");
    let mut seeds: Vec<Seed> = std::fs::read_dir(&dir)
        .expect("seeds")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("seed");
            // The seeds' languages: Dutch and Norwegian are told apart by their own words.
            let lang = if text.contains(" het ") {
                "nl"
            } else if text.contains(" og ") {
                "nb"
            } else {
                "en"
            };
            Seed {
                name: path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into(),
                text,
                lang,
            }
        })
        .collect();
    seeds.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(seeds.len(), 5, "the seed corpus has five articles");
    seeds
}

#[test]
fn seeds_split_sensibly() {
    let rules = rules();
    let seeds = seeds();
    let all: Vec<(&Seed, Vec<&str>)> = seeds.iter().map(|s| (s, s.sentences(rules))).collect();
    for (seed, sentences) in &all {
        assert!(!sentences.is_empty(), "{}", seed.name);
        for sentence in sentences {
            assert!(
                !sentence.contains('\n'),
                "{}: {sentence:?} spans lines",
                seed.name
            );
            // Titles, initials and abbreviations before a name or number never end a sentence.
            for end in [" Gen.", " Jan.", " U.N.", " Dr.", " Mr."] {
                assert!(!sentence.ends_with(end), "{}: {sentence:?}", seed.name);
            }
            // A sentence never starts in lowercase: no split before "auspices," or "she said".
            let first = sentence.chars().find(|c| c.is_alphabetic());
            assert!(
                !first.is_some_and(char::is_lowercase),
                "{}: {sentence:?} starts in lowercase",
                seed.name
            );
        }
        // Lines without any terminator (headlines, captions, credits) are sentences of their own.
        for line in seed.text.lines().map(str::trim) {
            let bare = !line.is_empty() && !line.contains(['.', '!', '?']);
            if bare && !line.starts_with(" date ") {
                assert!(
                    sentences.contains(&line),
                    "{}: {line:?} not alone",
                    seed.name
                );
            }
        }
    }
    let joined: Vec<&str> = all.iter().flat_map(|(_, s)| s.iter().copied()).collect();
    let has = |needle: &str| joined.iter().any(|s| s.contains(needle));
    let sentence = |exact: &str| joined.contains(&exact);
    assert!(sentence("Getty Images"), "credit line of 000");
    assert!(sentence("Route 6"), "stray last line of 000");
    assert!(sentence("Foto: AP / NTB scanpix"), "photo credit of 004");
    assert!(has("rival eastern-based forces of Gen. Khalifa Hifter."));
    assert!(has("at midnight on Jan. 12."));
    assert!(has("Wednesday, Jan. 8, 2020."));
    assert!(has("process under the U.N. auspices,\" Turkish President"));
    assert!(has("process under U.N. auspices,\" Erdogan and Putin said"));
    assert!(has("the embattled U.N.-recognized government"));
    assert!(has("Over 1.000 mennesker er drept og minst 100.000"));
    assert!(joined
        .iter()
        .any(|s| s.starts_with("“Michel expressed") && s.ends_with("Libyan crisis, only a political process can bring peace and stability closer,\" the European Council said in a statement.")
            || s.starts_with("He underlined") && s.ends_with("the European Council said in a statement.")));
    assert!(joined
        .iter()
        .any(|s| s.ends_with("“we are maybe facing a watershed point.\"")));
    assert!(joined
        .iter()
        .any(|s| s.starts_with("“Libyans should be at the heart")));
    assert!(sentence("(AP Photo/Lefteris Pitarakis)"));
}

/// Text made of the marks the splitter reacts to, so random strings hit its branches.
fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        ".", ". ", "...", " . . . ", "!", "?", "?!", "…", "\n", "\n\n", "\r\n", "\r", " ", "\t",
        "\u{a0}", "\u{202f}", "\"", "'", "“", "”", "„", "«", "»", "(", ")", "[", "]", ",,", "''",
        "Dr", "Gen", "U.S", "a.m", "No", "1", "12", "2,500", "1.000", "J", "a", "The", "the", "é",
        "Ё", "日本", "•", "⁃", "1)", "a)", "2.)", "@", "://", "www", "januar", "Januar", "z.B",
        "т.е", "\u{2028}", "\u{85}",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn spans_are_well_formed_on_any_text(text in any::<String>(), cut in 0usize..8) {
        let rules = rules();
        let mut start = cut.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let body = Span::new(start, text.len());
        for lang in ["en", "nb", "fr", "xx"] {
            let sentences = rules.language(lang).segmenter.split(&text, body);
            check_spans(&text, body, &sentences);
        }
    }

    #[test]
    fn spans_are_well_formed_on_tricky_text(text in tricky_text()) {
        let rules = rules();
        let body = Span::new(0, text.len());
        for lang in ["en", "nl", "nb", "de", "fr", "es", "it", "ru"] {
            let sentences = rules.language(lang).segmenter.split(&text, body);
            check_spans(&text, body, &sentences);
            // Nothing but whitespace is lost between sentences.
            let mut covered = 0;
            for sentence in &sentences {
                prop_assert!(text[covered..sentence.span.start].trim().is_empty());
                covered = sentence.span.end;
            }
            prop_assert!(text[covered..].trim().is_empty());
        }
    }
}

/// Splits an adversarial input and checks the invariants; returns the sentence count.
/// Sentences longer than `MAX_SENTENCE_BYTES` are cut, so the count is that of the pieces.
fn split_adversarial(lang: &str, text: &str) -> usize {
    let rules = rules();
    let body = Span::new(0, text.len());
    let sentences = rules.language(lang).segmenter.split(text, body);
    check_spans(text, body, &sentences);
    for sentence in &sentences {
        assert!(sentence.span.len() <= MAX_SENTENCE_BYTES);
    }
    sentences.len()
}

/// How many pieces of at most `MAX_SENTENCE_BYTES` a sentence of `bytes` bytes gives, at least.
fn pieces(bytes: usize) -> usize {
    bytes.div_ceil(MAX_SENTENCE_BYTES)
}

#[test]
fn two_megabytes_of_periods() {
    assert_eq!(
        split_adversarial("en", &".".repeat(2_000_000)),
        pieces(2_000_000)
    );
    assert!(split_adversarial("en", &". ".repeat(1_000_000)) >= pieces(2_000_000));
    assert!(split_adversarial("en", &"a.".repeat(1_000_000)) >= 1);
}

#[test]
fn three_hundred_thousand_titles() {
    let text = "Dr. ".repeat(300_000);
    assert!(split_adversarial("en", &text) >= pieces(text.len()));
    assert!(split_adversarial("nb", &"hr. ".repeat(300_000)) >= pieces(text.len()));
}

#[test]
fn hundred_thousand_nested_parentheses() {
    let text = format!(
        "{}It ended. Then it began.{}",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    assert!(split_adversarial("en", &text) >= 2);
    let text = format!("{} x", "(a. ".repeat(100_000));
    assert!(split_adversarial("en", &text) >= 1);
}

#[test]
fn million_digit_number() {
    let text = format!("It costs {}. Then it stops.", "7".repeat(1_000_000));
    assert!(split_adversarial("en", &text) > pieces(1_000_010));
    let text = format!("{}.", "1.0".repeat(333_333));
    assert_eq!(split_adversarial("de", &text), pieces(text.len()));
}

#[test]
fn long_lines_of_list_markers_and_links() {
    let text = "1. a ".repeat(100_000);
    assert!(split_adversarial("en", &text) >= 1);
    let text = "x.Yz".repeat(250_000);
    assert!(split_adversarial("en", &text) >= 1);
    let text = format!("mail me@{}.Xy", "a.Bc".repeat(250_000));
    assert!(split_adversarial("en", &text) >= 1);
}
