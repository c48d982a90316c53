//! `claimdiff rules` on the command line: every malformed rule directory is refused with exit 2
//! and an error naming the file (and line:column where the parser gives them).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn claimdiff(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("claimdiff runs")
}

fn fixture(name: &str) -> String {
    format!("fixtures/rules/{name}")
}

/// Runs `rules check` on a directory and returns its stderr, asserting exit code 2.
fn refused(dir: &str) -> String {
    let output = claimdiff(&["rules", "check", dir]);
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(2), "{dir}: {stderr}");
    assert!(
        stderr.contains("claims/bad.yaml"),
        "{dir} names the file: {stderr}"
    );
    stderr
}

#[test]
fn malformed_rule_files_are_refused_with_their_position() {
    let table = [
        ("malformed-yaml", r"bad\.yaml:\d+:\d+: "),
        (
            "unknown-field",
            r"bad\.yaml:\d+:\d+: .*unknown field `mesage`.*did you mean `message`",
        ),
        ("duplicate-key", r"bad\.yaml:\d+:\d+: .*duplicate"),
        ("wrong-type", r"bad\.yaml:\d+:\d+: .*invalid type"),
        (
            "unknown-class",
            r"bad\.yaml:\d+: rule `classy`: patterns\.en\[0\]: unknown word class `@mercenarys`; did you mean `@mercenary`",
        ),
        (
            "unknown-slot-type",
            r"unknown slot type `quantty`; did you mean `quantity`",
        ),
        (
            "unbalanced",
            r"unbalanced brackets: `\(` at column 9 is never closed",
        ),
        (
            "empty-pattern",
            r"rule `empty`: patterns\.en\[0\]: empty pattern",
        ),
    ];
    for (dir, wanted) in table {
        let stderr = refused(&fixture(dir));
        let pattern = regex::Regex::new(wanted).expect("valid test regex");
        assert!(
            pattern.is_match(&stderr),
            "{dir}: wanted /{wanted}/ in {stderr}"
        );
    }
}

#[test]
fn every_error_is_reported_at_once() {
    let stderr = refused(&fixture("several-errors"));
    assert!(
        stderr.contains("`{cout}` names no slot; did you mean `count`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unknown word class `@peopel`; did you mean `@people`?"),
        "{stderr}"
    );
    assert!(stderr.contains("no language `xx`"), "{stderr}");
    assert!(stderr.contains("3 rule error(s)"), "{stderr}");
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let started = Instant::now();
    let stderr = refused(&fixture("alias-bomb"));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert!(stderr.contains("error:"), "{stderr}");
}

#[test]
fn megabyte_pattern_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let claims = dir.path().join("claims");
    std::fs::create_dir(&claims).expect("claims dir");
    let pattern = "word ".repeat(200_000);
    let rule = format!(
        "rules:\n  - id: huge\n    kind: quantity\n    key: x\n    slots:\n      count: {{type: quantity}}\n    patterns:\n      en: [\"{{count}} {pattern}\"]\n"
    );
    std::fs::write(claims.join("bad.yaml"), rule).expect("write rule");
    let stderr = refused(&dir.path().display().to_string());
    assert!(stderr.contains("longer than the limit of 4096"), "{stderr}");
}

#[test]
fn rules_list_explain_and_test() {
    let list = claimdiff(&["rules", "list"]);
    assert_eq!(list.status.code(), Some(0));
    let listed = String::from_utf8_lossy(&list.stdout);
    for id in ["backs", "mercenaries", "ceasefire-start", "quote", "denial"] {
        assert!(
            listed.lines().any(|l| l.starts_with(id)),
            "{id} listed: {listed}"
        );
    }
    let explain = claimdiff(&["rules", "explain", "mercenaries"]);
    let explained = String::from_utf8_lossy(&explain.stdout);
    assert!(
        explained.contains("key: mercenaries/{nationality}/{side:object}"),
        "{explained}"
    );
    assert!(
        explained.contains("nb: {count} [{nationality}] @mercenary"),
        "{explained}"
    );
    let unknown = claimdiff(&["rules", "explain", "mercenary"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `mercenaries`?"));
    assert_rules_test_passes(&["rules", "test"]);
}

/// Runs `claimdiff` with `args` (a `rules test`) and asserts that every example passed.
fn assert_rules_test_passes(args: &[&str]) {
    let test = claimdiff(args);
    assert_eq!(
        test.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&test.stdout)
    );
}

#[test]
fn rules_directory_overrides_by_id() {
    let dir = fixture("override");
    assert_eq!(claimdiff(&["rules", "check", &dir]).status.code(), Some(0));
    let explain = claimdiff(&["rules", "explain", "troops", "--rules", &dir]);
    assert!(String::from_utf8_lossy(&explain.stdout).contains("key: troops/override"));
    assert_rules_test_passes(&["rules", "test", "--rules", &dir]);
}

#[test]
fn failing_example_exits_1_naming_the_rule() {
    let dir = tempfile::tempdir().expect("temp dir");
    let claims = dir.path().join("claims");
    std::fs::create_dir(&claims).expect("claims dir");
    std::fs::write(
        claims.join("failing.yaml"),
        "rules:\n  - id: troops\n    kind: quantity\n    key: x\n    slots:\n      count: {type: quantity}\n    patterns:\n      en: [\"{count} soldiers\"]\n    examples:\n      - {lang: en, text: \"35 soldiers\", expect: {count: 36}}\n",
    )
    .expect("write rule");
    let shown = dir.path().display().to_string();
    let test = claimdiff(&["rules", "test", "--rules", &shown]);
    let stdout = String::from_utf8_lossy(&test.stdout);
    assert_eq!(test.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAIL troops example 0 [en]"), "{stdout}");
    assert!(
        stdout.contains("expected: count=36") && stdout.contains("got:      count=35"),
        "{stdout}"
    );
}

#[test]
fn extract_prints_jsonl_records() {
    let output = claimdiff(&[
        "extract",
        "--format",
        "jsonl",
        "seeds/004_ce11d8c3cf77bea2.txt",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let records: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object a line"))
        .collect();
    let mercenaries = records
        .iter()
        .find(|r| r["rule"] == "mercenaries")
        .expect("a mercenaries record");
    assert_eq!(mercenaries["schema_version"], 1);
    assert_eq!(mercenaries["document_meta"]["lang"], "nb");
    assert_eq!(mercenaries["key"], "mercenaries/russia/libya_lna");
    assert!(mercenaries["evidence"]["line"]
        .as_u64()
        .is_some_and(|l| l > 1));
    let missing = claimdiff(&["extract", "no/such/file.txt"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(Path::new(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds")).is_dir());
}
