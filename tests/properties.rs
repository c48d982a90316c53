//! Properties that must hold for any input: the normalizers never panic, `check` gives the same
//! bytes whatever the thread count and the order of the paths, and baselines round-trip.
//!
//! The splitter's span properties live in `tests/segment.rs`, the number and time parsers'
//! boundary properties in `tests/normalize_numbers.rs` and `tests/normalize_time.rs`.

use claimdiff::ci::baseline::{apply_baseline, Baseline};
use claimdiff::cli::check::with_jobs;
use claimdiff::compare::compare;
use claimdiff::corpus::{discover, StoryMode};
use claimdiff::model::{Finding, FindingKind, Level, PubDate};
use claimdiff::normalize::time::{Anchor, Direction};
use claimdiff::pipeline::{extract_corpus, CorpusOptions};
use claimdiff::report::{self, Format, Style};
use claimdiff::rules::RuleSet;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// The embedded rules, loaded once for every case.
fn rules() -> &'static RuleSet {
    RuleSet::embedded_shared().unwrap_or_else(|e| panic!("embedded rules: {e}"))
}

/// Text built from the pieces the number, time and entity parsers react to, so random strings
/// reach their branches rather than failing on the first character.
fn expression() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "0",
        "1",
        "12",
        "2,500",
        "1.000",
        "1 000",
        "1\u{a0}000",
        "½",
        "-",
        "–",
        "—",
        "%",
        "$",
        "€",
        "£",
        "k",
        "m",
        "bn",
        "mrd",
        ".",
        ",",
        ":",
        "h",
        " ",
        "  ",
        "\n",
        "(",
        ")",
        "'",
        "’",
        "s",
        "a",
        "de",
        "the",
        "on",
        "at",
        "in",
        "ago",
        "last",
        "next",
        "about",
        "over",
        "tussen",
        "mellom",
        "og",
        "and",
        "to",
        "Jan.",
        "January",
        "januari",
        "Sunday",
        "zondag",
        "søndag",
        "midnight",
        "noon",
        "2020",
        "12:00",
        "UN",
        "VN",
        "FN",
        "Russia",
        "russiske",
        "Haftar",
        "Hifter",
        "Erdogan",
        "Erdoğan",
        "al-",
        "é",
        "Ё",
        "日本",
        "\u{200b}",
        "\u{feff}",
        "🙂",
    ]);
    prop::collection::vec(pieces, 0..24).prop_map(|parts| parts.concat())
}

/// Every normalizer of every language on `text`: whole-text parses and a match at each
/// character boundary. Matches must end on a boundary after their start.
fn normalize_everywhere(text: &str) -> Result<(), TestCaseError> {
    let rules = rules();
    let anchors = [
        Anchor::from_date(Some(PubDate {
            year: 2020,
            month: 1,
            day: Some(8),
        })),
        Anchor::from_date(None),
    ];
    for code in rules.language_codes() {
        let language = rules.language(code);
        let _ = language.numbers.parse(text);
        for anchor in &anchors {
            for prefer in [None, Some(Direction::Past), Some(Direction::Future)] {
                let _ = language.times.parse(text, anchor, prefer);
            }
        }
        for start in (0..=text.len()).filter(|&at| text.is_char_boundary(at)) {
            if let Some((end, entity)) = rules.entities.match_at(text, start, code) {
                prop_assert!(end > start && end <= text.len() && text.is_char_boundary(end));
                prop_assert_eq!(entity.span.start, start);
                prop_assert_eq!(&entity.surface, &text[start..end]);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn normalizers_never_panic_on_any_string(text in "\\PC{0,40}") {
        normalize_everywhere(&text)?;
    }

    #[test]
    fn normalizers_never_panic_on_number_time_and_name_pieces(text in expression()) {
        normalize_everywhere(&text)?;
    }
}

// ---------------------------------------------------------------------------------------------
// `check` is deterministic.

/// The text files of the seeds and the fixture corpora, each with a name unique across them.
fn corpus_files() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [
        "seeds",
        "fixtures/corpora/election",
        "fixtures/corpora/flood",
    ] {
        let folder = root.join(dir);
        let entries = std::fs::read_dir(&folder).expect("a corpus directory");
        for path in entries.filter_map(|entry| entry.ok().map(|e| e.path())) {
            if path.extension().is_some_and(|ext| ext == "txt") {
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                let unique = format!("{}_{name}", dir.replace('/', "_"));
                files.push((unique, path));
            }
        }
    }
    files.sort();
    files
}

/// The JSON report of `check` on `paths`, in this order, with `jobs` threads.
fn check_json(paths: &[PathBuf], jobs: usize) -> String {
    let rules = rules();
    let inputs = discover(paths, StoryMode::One).expect("no config to fail");
    let (extraction, findings) = with_jobs(Some(jobs), || {
        let extraction = extract_corpus(&inputs, rules, &CorpusOptions::default());
        let findings = compare(&extraction.documents, &extraction.claims, rules);
        (extraction, findings)
    })
    .expect("a thread pool");
    let claims = extraction.claims.len();
    let report = report::build(extraction.documents, claims, findings);
    report::render(&report, Format::Json, &Style::default()).expect("JSON renders")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn check_output_is_the_same_for_any_jobs_and_path_order(
        chosen in Just(corpus_files()).prop_shuffle().prop_flat_map(|files| {
            let count = files.len();
            (Just(files), 2..=count)
        }),
        reorder in any::<prop::sample::Index>(),
    ) {
        let (files, count) = chosen;
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut paths = Vec::new();
        for (name, source) in &files[..count] {
            let copy = dir.path().join(name);
            std::fs::copy(source, &copy).expect("copied");
            paths.push(copy);
        }
        let sequential = check_json(&paths, 1);
        prop_assert_eq!(&sequential, &check_json(&paths, 2));
        let mut permuted = paths.clone();
        permuted.reverse();
        permuted.rotate_left(reorder.index(count));
        prop_assert_eq!(&sequential, &check_json(&permuted, 2));
        // Given as the directory holding them, the files give the same report too.
        prop_assert_eq!(&sequential, &check_json(&[dir.path().to_path_buf()], 1));
    }
}

// ---------------------------------------------------------------------------------------------
// Baselines round-trip.

/// A finding with the given identity; its values do not matter to baselines.
fn finding(kind: FindingKind, rule: String, topic: String, fingerprint: String) -> Finding {
    Finding {
        kind,
        level: Level::Warning,
        topic,
        rule,
        key: "key".to_string(),
        fingerprint,
        values: Vec::new(),
        matrix: Vec::new(),
        diff: Vec::new(),
        note: None,
    }
}

fn finding_kind() -> impl Strategy<Value = FindingKind> {
    prop::sample::select(FindingKind::ALL.to_vec())
}

/// Text that YAML must quote or escape: marks, reserved words, leading and trailing spaces.
fn awkward_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,24}",
        prop::sample::select(vec![
            "",
            " ",
            "yes",
            "no",
            "null",
            "~",
            "1e3",
            "0x10",
            "- a",
            "a: b",
            "#x",
            "'",
            "\"",
            "{",
            "[",
            "&a",
            "*a",
            "!x",
            "|",
            ">",
            "%",
            "@",
            "`",
            " lead",
            "trail ",
            "a\nb",
            "\t",
            "\u{85}",
            "\u{2028}",
            "\u{feff}x",
            "é",
            "🙂",
        ])
        .prop_map(str::to_string),
    ]
}

/// Findings with unique fingerprints (as `compare` gives them) and awkward rules and topics.
fn findings() -> impl Strategy<Value = Vec<Finding>> {
    prop::collection::vec(
        (
            finding_kind(),
            awkward_text(),
            awkward_text(),
            awkward_text(),
        ),
        0..12,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .enumerate()
            .map(|(index, (kind, rule, topic, print))| {
                finding(kind, rule, topic, format!("{print}{index}"))
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn baselines_round_trip_through_yaml(findings in findings()) {
        let baseline = Baseline::from_findings(&findings, None);
        let yaml = baseline.to_yaml().map_err(TestCaseError::fail)?;
        let parsed = Baseline::parse("baseline.yaml", &yaml)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{yaml}")))?;
        prop_assert_eq!(&parsed, &baseline);
        // Written again, the same bytes.
        let again = Baseline::from_findings(&findings, Some(&parsed));
        prop_assert_eq!(again.to_yaml().map_err(TestCaseError::fail)?, yaml);
    }

    #[test]
    fn a_baseline_suppresses_exactly_what_it_records(
        findings in findings(),
        recorded in prop::collection::vec(any::<bool>(), 12),
    ) {
        let subset: Vec<Finding> = findings
            .iter()
            .zip(&recorded)
            .filter(|(_, keep)| **keep)
            .map(|(finding, _)| finding.clone())
            .collect();
        let yaml = Baseline::from_findings(&subset, None).to_yaml().map_err(TestCaseError::fail)?;
        let baseline = Baseline::parse("baseline.yaml", &yaml)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let (kept, stale, suppressed) = apply_baseline(findings.clone(), &baseline);
        let is_recorded = |finding: &Finding| {
            finding.kind != FindingKind::Agreement
                && subset.iter().any(|s| s.fingerprint == finding.fingerprint)
        };
        let expected: Vec<&Finding> = findings.iter().filter(|f| !is_recorded(f)).collect();
        prop_assert_eq!(kept.iter().collect::<Vec<_>>(), expected);
        prop_assert_eq!(suppressed, findings.len() - kept.len());
        prop_assert!(stale.is_empty());
    }
}
