//! The numbers and quantities normalizer: the table-driven cases of
//! `fixtures/normalize/numbers/<lang>.yaml`, the examples of the rule files, how quantities
//! relate and display, and robustness on arbitrary input.

use claimdiff::model::Accord;
use claimdiff::normalize::number::{relate, Quantity};
use claimdiff::rules::RuleSet;
use proptest::prelude::*;
use serde::Deserialize;
use std::path::Path;

/// The eight languages every fixture file must cover.
const LANGUAGES: [&str; 8] = ["en", "nl", "nb", "de", "fr", "es", "it", "ru"];
/// Cases each language's fixture must hold at least.
const MIN_CASES: usize = 25;

/// One fixture file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    language: String,
    cases: Vec<Case>,
}

/// One case: the expected interval, or `value: null` when the text must not parse.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    text: String,
    #[serde(default)]
    low: Option<f64>,
    #[serde(default)]
    high: Option<f64>,
    /// Defaults to true when `low` is given.
    #[serde(default)]
    low_inclusive: Option<bool>,
    /// Defaults to true when `high` is given.
    #[serde(default)]
    high_inclusive: Option<bool>,
    #[serde(default)]
    approximate: bool,
    #[serde(default)]
    vague: bool,
    #[serde(default)]
    unit: Option<String>,
    /// Written `value: null` for a text that must not parse.
    #[serde(default)]
    value: Option<()>,
}

impl Case {
    fn expects_nothing(&self) -> bool {
        self.low.is_none() && self.high.is_none()
    }

    /// Differences between the expectation and `got`, empty when it matches.
    fn mismatch(&self, got: &Option<Quantity>) -> Option<String> {
        let Some(got) = got else {
            return (!self.expects_nothing()).then(|| "no value".to_string());
        };
        if self.expects_nothing() {
            return Some(format!("expected no value, got {got:?}"));
        }
        let same = got.low == self.low
            && got.high == self.high
            && got.low_inclusive == self.low_inclusive.unwrap_or(self.low.is_some())
            && got.high_inclusive == self.high_inclusive.unwrap_or(self.high.is_some())
            && got.approximate == self.approximate
            && got.vague == self.vague
            && got.unit == self.unit;
        (!same).then(|| format!("got {got:?}"))
    }
}

/// The embedded rules, loaded once for all tests.
fn rules() -> &'static RuleSet {
    RuleSet::embedded_shared().unwrap_or_else(|e| panic!("embedded rules: {e}"))
}

fn fixture(language: &str) -> Fixture {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/normalize/numbers")
        .join(format!("{language}.yaml"));
    let text = std::fs::read_to_string(&path).expect("fixture file exists");
    let fixture: Fixture = serde_yaml::from_str(&text).expect("fixture parses");
    assert_eq!(fixture.language, language, "{}", path.display());
    fixture
}

#[test]
fn fixture_cases_hold_in_every_language() {
    let rules = rules();
    let mut failures = Vec::new();
    for language in LANGUAGES {
        let fixture = fixture(language);
        assert!(
            fixture.cases.len() >= MIN_CASES,
            "{language}: {} cases, want at least {MIN_CASES}",
            fixture.cases.len()
        );
        let negatives = fixture.cases.iter().filter(|c| c.expects_nothing()).count();
        assert!(negatives > 0, "{language}: no case that must not parse");
        let numbers = &rules.language(language).numbers;
        for case in &fixture.cases {
            if case.expects_nothing() && case.value.is_some() {
                failures.push(format!("{language} {:?}: write `value: null`", case.text));
            }
            if let Some(problem) = case.mismatch(&numbers.parse(&case.text)) {
                failures.push(format!("{language} {:?}: {problem}", case.text));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rule_file_examples_display_as_written() {
    let rules = rules();
    let mut failures = Vec::new();
    let mut seen = 0;
    for (code, language) in &rules.languages {
        for (text, expected) in language.numbers.examples() {
            seen += 1;
            let got = language.numbers.parse(text).map(|q| q.display());
            if &got != expected {
                failures.push(format!("{code} {text:?}: want {expected:?}, got {got:?}"));
            }
        }
    }
    assert!(seen > 0, "no examples in the rule files");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Parses `text` in `language`, failing the test when it does not parse.
fn quantity(language: &str, text: &str) -> Quantity {
    rules()
        .language(language)
        .numbers
        .parse(text)
        .unwrap_or_else(|| panic!("{language} {text:?} does not parse"))
}

fn ends(q: &Quantity) -> (Option<f64>, Option<f64>, bool, bool) {
    (q.low, q.high, q.low_inclusive, q.high_inclusive)
}

#[test]
fn the_issue_cases_hold() {
    let rules = rules();
    let parse = |language: &str, text: &str| {
        rules
            .language(language)
            .numbers
            .parse(text)
            .unwrap_or_else(|| panic!("{language} {text:?} does not parse"))
    };
    assert_eq!(
        ends(&parse("en", "2,500")),
        (Some(2500.0), Some(2500.0), true, true)
    );
    assert_eq!(
        ends(&parse("nb", "1.000")),
        (Some(1000.0), Some(1000.0), true, true)
    );
    assert_eq!(parse("en", "thirty-five").low, Some(35.0));
    assert_eq!(parse("nl", "vierhonderd").low, Some(400.0));
    assert_eq!(
        ends(&parse("nb", "mellom 600 og 800")),
        (Some(600.0), Some(800.0), true, true)
    );
    assert_eq!(
        ends(&parse("nb", "minst 100.000")),
        (Some(100000.0), None, true, false)
    );
    assert_eq!(
        ends(&parse("nb", "over 1.000")),
        (Some(1000.0), None, false, false)
    );
    assert_eq!(
        ends(&parse("nl", "ruim vierhonderd")),
        (Some(400.0), None, false, false)
    );
    let distance = parse("nl", "ruim vierhonderd kilometer");
    assert_eq!(ends(&distance), (Some(400.0), None, false, false));
    assert_eq!(distance.unit.as_deref(), Some("km"));
    // Numbers are taken as written: 2.500 thousand is two and a half million.
    assert_eq!(parse("ru", "2.500 тысяч").low, Some(2_500_000.0));
}

#[test]
fn match_at_finds_the_longest_expression_inside_a_sentence() {
    let rules = rules();
    let sentence = "det kjemper mellom 600 og 800 russiske leiesoldater";
    let start = sentence.find("mellom").unwrap_or_default();
    let (end, value) = rules
        .language("nb")
        .numbers
        .match_at(sentence, start)
        .expect("a range");
    assert_eq!(&sentence[start..end], "mellom 600 og 800");
    assert_eq!((value.low, value.high), (Some(600.0), Some(800.0)));
    let sentence = "Sirte ligt ruim vierhonderd kilometer ten oosten van Tripoli.";
    let start = sentence.find("ruim").unwrap_or_default();
    let (end, _) = rules
        .language("nl")
        .numbers
        .match_at(sentence, start)
        .expect("a distance");
    assert_eq!(&sentence[start..end], "ruim vierhonderd kilometer");
    // A word that merely starts like a number word is no number.
    assert_eq!(rules.language("en").numbers.match_at("tenor", 0), None);
}

#[test]
fn no_figure_starts_inside_a_figure_written_wrongly() {
    let rules = rules();
    for (language, sentence, inside) in [
        ("en", "Officials said 2,0001 troops were deployed.", "0001"),
        ("en", "a toll of 1.5.7 was given", "5"),
        ("nl", "ruim 2.0001 soldaten", "0001"),
    ] {
        let numbers = &rules.language(language).numbers;
        let start = sentence.find(inside).unwrap_or_default();
        assert_eq!(numbers.match_at(sentence, start), None, "{sentence}");
        let figure = sentence.find(char::is_numeric).unwrap_or_default();
        assert_eq!(numbers.match_at(sentence, figure), None, "{sentence}");
    }
    // After a space, or after a mark that follows no digit, digits are a figure of their own.
    let numbers = &rules.language("en").numbers;
    for (sentence, figure) in [("in 2020, 3,000 troops", "3,000"), ("(.5 of them)", "5")] {
        let start = sentence.find(figure).unwrap_or_default();
        assert!(numbers.match_at(sentence, start).is_some(), "{sentence}");
    }
}

#[test]
fn relate_compares_intervals() {
    let cases = [
        ("en", "2,500", "en", "2,500", Accord::Same),
        ("en", "2,500", "nb", "mellom 600 og 800", Accord::Conflict),
        ("en", "over 1,000", "en", "1,200", Accord::Compatible),
        ("en", "over 1,000", "en", "1,000", Accord::Conflict),
        (
            "en",
            "at least 100",
            "en",
            "at least 200",
            Accord::Compatible,
        ),
        ("en", "at least 100", "en", "up to 50", Accord::Conflict),
        ("en", "about 35", "en", "37", Accord::Compatible),
        ("en", "about 35", "en", "40", Accord::Conflict),
        ("en", "nearly 1,000", "en", "950", Accord::Compatible),
        ("en", "nearly 1,000", "en", "1,050", Accord::Conflict),
        ("en", "hundreds", "en", "600", Accord::Compatible),
        ("en", "dozens", "en", "2,500", Accord::Conflict),
        ("nb", "over 1.000", "en", "more than 1,000", Accord::Same),
        ("en", "400 km", "en", "400 per cent", Accord::Conflict),
    ];
    for (la, a, lb, b, expected) in cases {
        let (qa, qb) = (quantity(la, a), quantity(lb, b));
        assert_eq!(relate(&qa, &qb), expected, "{a} vs {b}");
        assert_eq!(relate(&qb, &qa), expected, "{b} vs {a}");
    }
}

#[test]
fn display_reads_like_a_person_writes() {
    let cases = [
        ("en", "2,500", "2,500"),
        ("nb", "mellom 600 og 800", "600–800"),
        ("nb", "over 1.000", "> 1,000"),
        ("nb", "minst 100.000", "≥ 100,000"),
        ("en", "about 35", "≈ 35"),
        ("nl", "ruim vierhonderd kilometer", "> 400 km"),
        ("en", "6.1", "6.1"),
    ];
    for (language, text, shown) in cases {
        assert_eq!(quantity(language, text).display(), shown, "{text}");
    }
}

#[test]
fn a_million_digits_parse_without_panic() {
    let rules = rules();
    let numbers = &rules.language("en").numbers;
    let digits = "9".repeat(1_000_000);
    let started = std::time::Instant::now();
    let value = numbers.parse(&digits);
    assert!(value.is_none_or(|q| q.low.is_some_and(f64::is_finite)));
    let grouped = format!("1{}", ",000".repeat(200_000));
    assert!(numbers.parse(&grouped).is_none(), "overflows f64: no value");
    assert!(started.elapsed().as_secs() < 10, "linear in the input");
}

proptest! {
    #[test]
    fn match_at_never_panics_and_ends_on_a_boundary(text in "\\PC{0,60}", start in 0usize..80) {
        let rules = rules();
        for language in LANGUAGES {
            let numbers = &rules.language(language).numbers;
            if let Some((end, value)) = numbers.match_at(&text, start) {
                prop_assert!(end <= text.len() && end > start && text.is_char_boundary(end));
                prop_assert!(value.low.is_none_or(f64::is_finite));
                prop_assert!(value.high.is_none_or(f64::is_finite));
            }
            let _ = numbers.parse(&text);
        }
    }

    #[test]
    fn number_like_text_never_panics(
        text in "[0-9 .,\\-–%$€a-z\u{a0}\u{202f}]{0,40}",
    ) {
        let rules = rules();
        for language in LANGUAGES {
            let numbers = &rules.language(language).numbers;
            for start in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                if let Some((end, _)) = numbers.match_at(&text, start) {
                    prop_assert!(end <= text.len() && text.is_char_boundary(end));
                }
            }
        }
    }
}
