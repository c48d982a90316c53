//! `claimdiff compare`: claim records read from JSON Lines, in any order and split over files,
//! give the same report as comparing the claims directly.

use std::path::PathBuf;
use std::process::{Command, Output};

use claimdiff::cli::compare_claims::read_records;
use claimdiff::compare::compare;
use claimdiff::model::{ClaimRecord, FindingKind, SCHEMA_VERSION};
use claimdiff::report::{self, Format, Style};
use claimdiff::rules::RuleSet;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/claims")
        .join(name)
}

fn claimdiff(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("claimdiff runs")
}

fn path(name: &str) -> String {
    fixture(name).display().to_string()
}

#[test]
fn file_order_does_not_matter() {
    let forward = read_records(&[fixture("part1.jsonl"), fixture("part2.jsonl")]).expect("reads");
    let backward = read_records(&[fixture("part2.jsonl"), fixture("part1.jsonl")]).expect("reads");
    assert_eq!(forward, backward);
    let ids: Vec<&str> = forward.documents.iter().map(|d| &*d.id).collect();
    assert_eq!(
        ids,
        ["news/a.txt", "news/b.txt", "news/c.txt", "news/d.txt"]
    );
    assert_eq!(forward.claims.len(), 16);
}

#[test]
fn the_command_reports_what_the_library_finds() {
    let rules = RuleSet::embedded().expect("embedded rules load");
    let records = read_records(&[fixture("part1.jsonl"), fixture("part2.jsonl")]).expect("reads");
    let findings = compare(&records.documents, &records.claims, &rules);
    assert!(findings.iter().any(|f| f.kind == FindingKind::Conflict));
    let built = report::build(records.documents, records.claims.len(), findings);
    let expected = report::render(&built, Format::Json, &Style::default()).expect("renders");
    let output = claimdiff(&[
        "compare",
        &path("part2.jsonl"),
        &path("part1.jsonl"),
        "--format",
        "json",
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "a conflict at level error exits 1"
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), expected);
}

#[test]
fn records_written_back_compare_the_same() {
    let records = read_records(&[fixture("part1.jsonl"), fixture("part2.jsonl")]).expect("reads");
    let dir = tempfile::tempdir().expect("temp dir");
    let lines: String = records
        .claims
        .iter()
        .rev()
        .map(|claim| {
            let meta = records
                .documents
                .iter()
                .find(|d| d.id == claim.document)
                .expect("meta");
            let record = ClaimRecord {
                schema_version: SCHEMA_VERSION,
                document_meta: meta.clone(),
                claim: claim.clone(),
            };
            serde_json::to_string(&record).expect("serializes") + "\n"
        })
        .collect();
    let written = dir.path().join("claims.jsonl");
    std::fs::write(&written, lines).expect("writes");
    let again = read_records(&[written]).expect("reads back");
    assert_eq!(again, records);
}

#[test]
fn jobs_and_formats_are_deterministic() {
    let files = [path("part1.jsonl"), path("part2.jsonl")];
    for format in ["table", "markdown", "json", "jsonl", "html"] {
        let run = |jobs: &str| {
            let mut args = vec!["compare", "--format", format, "--jobs", jobs];
            args.extend(files.iter().map(String::as_str));
            claimdiff(&args).stdout
        };
        let one = run("1");
        assert!(!one.is_empty());
        assert_eq!(one, run("2"), "{format} differs between --jobs 1 and 2");
    }
}

#[test]
fn filters_choose_what_is_shown_not_the_exit_code() {
    let output = claimdiff(&[
        "compare",
        &path("part1.jsonl"),
        &path("part2.jsonl"),
        "--format",
        "jsonl",
        "--kinds",
        "agreement,single_source",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    let kinds: Vec<String> = text
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("one JSON a line");
            value["kind"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    assert!(!kinds.is_empty());
    assert!(
        kinds
            .iter()
            .all(|k| k == "agreement" || k == "single_source"),
        "{kinds:?}"
    );
    let errors = claimdiff(&[
        "compare",
        &path("part1.jsonl"),
        &path("part2.jsonl"),
        "--format",
        "jsonl",
        "--min-level",
        "error",
    ]);
    let text = String::from_utf8_lossy(&errors.stdout);
    assert!(
        text.lines()
            .all(|line| line.contains("\"level\":\"error\"")),
        "{text}"
    );
}

#[test]
fn a_bad_record_is_an_error_naming_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.jsonl");
    let first = std::fs::read_to_string(fixture("part1.jsonl")).expect("reads");
    let first = first.lines().next().expect("a line");
    let other_version = first.replacen("\"schema_version\": 1", "\"schema_version\": 99", 1);
    std::fs::write(&bad, format!("{first}\n{other_version}\n")).expect("writes");
    let output = claimdiff(&["compare", &bad.display().to_string()]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("bad.jsonl:2: schema version 99"),
        "{message}"
    );
    std::fs::write(&bad, "{not json\n").expect("writes");
    let output = claimdiff(&["compare", &bad.display().to_string()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("bad.jsonl:1: not a claim record"));
}

#[test]
fn check_equals_extract_then_compare_on_the_seeds() {
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let seeds = seeds.display().to_string();
    let extracted = claimdiff(&["extract", "--format", "jsonl", &seeds]);
    assert_eq!(extracted.status.code(), Some(0), "{extracted:?}");
    let one_thread = claimdiff(&["extract", "--format", "jsonl", "--jobs", "1", &seeds]);
    assert_eq!(
        one_thread.stdout, extracted.stdout,
        "--jobs changes no byte"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    // Split the records over two files, in reverse order: compare must not care.
    let lines: Vec<&str> = std::str::from_utf8(&extracted.stdout)
        .expect("UTF-8")
        .lines()
        .collect();
    let (first, second) = lines.split_at(lines.len() / 2);
    let write = |name: &str, part: &[&str]| {
        let file = dir.path().join(name);
        let text: String = part.iter().rev().map(|line| format!("{line}\n")).collect();
        std::fs::write(&file, text).expect("writes");
        file.display().to_string()
    };
    let (one, two) = (write("one.jsonl", first), write("two.jsonl", second));
    let checked = claimdiff(&["check", "--format", "json", &seeds]);
    let compared = claimdiff(&["compare", "--format", "json", &two, &one]);
    assert_eq!(checked.status.code(), compared.status.code());
    assert_eq!(
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&compared.stdout)
    );
}
