//! `claimdiff check` and the report formats: snapshots of the table, Markdown and JSON reports
//! of the fixture claims, and the command's behaviour on a corpus.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use claimdiff::cli::compare_claims::read_records;
use claimdiff::compare::compare;
use claimdiff::model::Report;
use claimdiff::report::{self, Format, Style};
use claimdiff::rules::RuleSet;

fn fixture_report() -> Report {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/claims");
    let records =
        read_records(&[dir.join("part1.jsonl"), dir.join("part2.jsonl")]).expect("fixtures read");
    let rules = RuleSet::embedded().expect("embedded rules load");
    let findings = compare(&records.documents, &records.claims, &rules);
    report::build(records.documents, records.claims.len(), findings)
}

fn rendered(format: Format) -> String {
    let style = Style {
        color: false,
        width: Some(100),
    };
    report::render(&fixture_report(), format, &style).expect("renders")
}

fn claimdiff(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("claimdiff runs")
}

#[test]
fn table_report() {
    let table = rendered(Format::Table);
    assert!(!table.contains('\u{1b}'), "no colour when not asked");
    insta::assert_snapshot!("table", table);
}

#[test]
fn colour_only_when_asked() {
    let style = Style {
        color: true,
        width: Some(100),
    };
    let table = report::render(&fixture_report(), Format::Table, &style).expect("renders");
    assert!(table.contains("\u{1b}[31m"));
}

#[test]
fn markdown_report() {
    insta::assert_snapshot!("markdown", rendered(Format::Markdown));
}

#[test]
fn json_report() {
    let json = rendered(Format::Json);
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["schema_version"], 1);
    let conflict = &value["findings"][0];
    assert_eq!(conflict["kind"], "conflict");
    assert_eq!(conflict["values"][0]["value"]["low"], 2500.0);
    let sets = value["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["kind"] == "set_difference")
        .expect("a set difference");
    assert_eq!(sets["values"][2]["value"], serde_json::json!(["Rusland"]));
    insta::assert_snapshot!("json", json);
}

#[test]
fn jsonl_is_one_finding_a_line_in_report_order() {
    let report = fixture_report();
    let lines = rendered(Format::Jsonl);
    let kinds: Vec<String> = lines
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("JSON");
            value["kind"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    let expected: Vec<String> = report.findings.iter().map(|f| f.kind.to_string()).collect();
    assert_eq!(kinds, expected);
}

fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("corpus dir");
    std::fs::write(
        corpus.join("a.txt"),
        " date 2020-01-08 Nothing happened today.\n",
    )
    .expect("writes");
    std::fs::write(corpus.join("b.txt"), " date 2020-01-09 Still nothing.\n").expect("writes");
    dir
}

#[test]
fn check_reads_a_corpus_and_summarises() {
    let dir = corpus();
    let output = claimdiff(&["check", "corpus", "--format", "json"], dir.path());
    assert!(matches!(output.status.code(), Some(0 | 1)), "{output:?}");
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(value["summary"]["documents"], 2);
    let table = claimdiff(&["check", "corpus"], dir.path());
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.trim_end().ends_with(&summary_of(&value)), "{text}");
}

fn summary_of(value: &serde_json::Value) -> String {
    let summary: claimdiff::model::Summary =
        serde_json::from_value(value["summary"].clone()).expect("summary");
    report::summary_line(&summary)
}

#[test]
fn check_writes_output_files_but_not_into_the_corpus() {
    let dir = corpus();
    let output = claimdiff(
        &[
            "check",
            "corpus",
            "--format",
            "html",
            "--output",
            "report.html",
        ],
        dir.path(),
    );
    assert!(matches!(output.status.code(), Some(0 | 1)), "{output:?}");
    let page = std::fs::read_to_string(dir.path().join("report.html")).expect("written");
    assert!(page.starts_with("<!DOCTYPE html>"));
    let refused = claimdiff(
        &["check", "corpus", "--output", "corpus/report.txt"],
        dir.path(),
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(!dir.path().join("corpus/report.txt").exists());
}

#[test]
fn check_fails_with_2_when_nothing_can_be_read() {
    let dir = corpus();
    let output = claimdiff(&["check", "missing"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let output = claimdiff(&["check", "corpus", "--min-level", "severe"], dir.path());
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_story_of_thousands_of_files_is_warned_of_once() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let corpus = dir.path().join("archive");
    std::fs::create_dir(&corpus).expect("corpus directory");
    for index in 0..5_001 {
        std::fs::write(corpus.join(format!("{index:04}.txt")), "").expect("file written");
    }
    let output = claimdiff(&["check", "archive"], dir.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains("form one story"))
        .collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(warnings[0].contains("5001 files") && warnings[0].contains("--stories dirs"));
    let output = claimdiff(&["check", "archive", "--stories", "dirs"], dir.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("story archive: 5001 files"), "{stderr}");
}

/// Snapshots of the table, Markdown and JSON reports of `check` on a real corpus: the seeds and
/// the fixture corpora about other stories.
fn corpus_snapshots(corpus: &str, name: &str) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for (format, suffix) in [
        ("table", "table"),
        ("markdown", "markdown"),
        ("json", "json"),
    ] {
        let output = claimdiff(&["check", corpus, "--format", format, "--exit-zero"], &root);
        assert_eq!(output.status.code(), Some(0), "{corpus} {format}");
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        insta::assert_snapshot!(format!("{name}_{suffix}"), text);
    }
}

#[test]
fn seeds_report() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let output = claimdiff(&["check", "seeds", "--format", "markdown"], &root);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the seeds hold a conflict at level error"
    );
    corpus_snapshots("seeds", "seeds");
}

#[test]
fn fixture_corpora_reports() {
    for story in ["flood", "election", "earthquake"] {
        corpus_snapshots(&format!("fixtures/corpora/{story}"), story);
    }
}
