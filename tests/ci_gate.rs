//! The CI gate: `--fail-on` thresholds and exit codes, baselines, `claimdiff.yaml` ignores,
//! config errors; and, once `check` is wired, the same through the command line.

use std::path::{Path, PathBuf};

use claimdiff::ci::baseline::{apply_baseline, write_baseline, Baseline};
use claimdiff::ci::gate::{exit_code, failing_count, FailOn};
use claimdiff::ci::ignore::apply_ignores;
use claimdiff::config::load_config;
use claimdiff::model::{Finding, FindingKind, Level, Report};

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/ci")
        .join(relative)
}

fn read_fixture(relative: &str) -> String {
    let path = fixture(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The synthetic report every test here works on.
fn report() -> Report {
    serde_json::from_str(&read_fixture("report.json")).expect("fixtures/ci/report.json parses")
}

fn date(text: &str) -> jiff::civil::Date {
    text.parse().expect("a valid date")
}

fn fingerprints(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.fingerprint.as_str()).collect()
}

#[derive(serde::Deserialize)]
struct ExitCase {
    fail_on: Option<String>,
    exit_zero: bool,
    failing: usize,
    exit: u8,
}

#[test]
fn exit_codes_follow_the_fail_on_table() {
    let findings = report().findings;
    let cases: Vec<ExitCase> =
        serde_yaml::from_str(&read_fixture("fail_on.yaml")).expect("fail_on.yaml parses");
    assert!(cases.len() >= 10);
    for case in cases {
        let fail_on = FailOn::resolve(case.fail_on.as_deref(), None).expect("threshold parses");
        let label = format!("--fail-on {:?} exit_zero={}", case.fail_on, case.exit_zero);
        assert_eq!(failing_count(&findings, &fail_on), case.failing, "{label}");
        assert_eq!(
            exit_code(failing_count(&findings, &fail_on), case.exit_zero),
            case.exit,
            "{label}"
        );
    }
}

#[test]
fn no_findings_and_no_failing_findings_exit_zero() {
    assert_eq!(exit_code(failing_count(&[], &FailOn::default()), false), 0);
    let without_conflict: Vec<Finding> = report()
        .findings
        .into_iter()
        .filter(|f| f.kind != FindingKind::Conflict)
        .collect();
    assert_eq!(
        exit_code(failing_count(&without_conflict, &FailOn::default()), false),
        0
    );
    let warning: FailOn = "warning".parse().expect("parses");
    assert_eq!(
        exit_code(failing_count(&without_conflict, &warning), false),
        1
    );
}

#[test]
fn malformed_thresholds_are_errors_naming_their_origin() {
    for text in read_fixture("fail_on_invalid.txt").lines() {
        assert!(text.parse::<FailOn>().is_err(), "`{text}` should not parse");
        let from_cli = FailOn::resolve(Some(text), Some("error")).expect_err("cli value wins");
        assert!(from_cli.starts_with("--fail-on:"), "{from_cli}");
        let from_config = FailOn::resolve(None, Some(text)).expect_err("config value used");
        assert!(from_config.contains("claimdiff.yaml"), "{from_config}");
    }
}

#[test]
fn thresholds_print_as_they_parse_and_the_command_line_wins() {
    for text in [
        "error",
        "warning",
        "info",
        "conflict",
        "set_difference:warning",
    ] {
        let fail_on: FailOn = text.parse().expect("parses");
        assert_eq!(fail_on.to_string(), text);
    }
    assert_eq!(FailOn::default().to_string(), "conflict:error");
    let resolved = FailOn::resolve(Some("info"), Some("error")).expect("parses");
    assert_eq!(resolved.level, Level::Info);
    assert_eq!(resolved.kind, None);
    let from_config = FailOn::resolve(None, Some("warning")).expect("parses");
    assert_eq!(from_config.level, Level::Warning);
}

#[test]
fn baseline_round_trip_suppresses_known_findings_and_reports_new_and_stale_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("claimdiff-baseline.yaml");
    let findings = report().findings;
    let written = write_baseline(&path, &findings, &[]).expect("baseline written");
    assert_eq!(written, 5, "every finding but the agreement is recorded");

    // Re-applied to the same findings: nothing left but the agreement, nothing stale.
    let baseline = Baseline::read(&path).expect("baseline reads back");
    let (kept, stale, suppressed) = apply_baseline(findings.clone(), &baseline);
    assert_eq!(fingerprints(&kept), ["fp-agree-0005"]);
    assert!(stale.is_empty());
    assert_eq!(suppressed, 5);
    assert_eq!(
        exit_code(
            failing_count(&kept, &"info".parse().expect("parses")),
            false
        ),
        0
    );

    // A new finding: only it is kept (with the agreement).
    let mut grown = findings.clone();
    let mut new_finding = findings[0].clone();
    new_finding.fingerprint = "fp-new-0007".to_string();
    grown.insert(1, new_finding);
    let (kept, stale, _) = apply_baseline(grown, &baseline);
    assert_eq!(fingerprints(&kept), ["fp-new-0007", "fp-agree-0005"]);
    assert!(stale.is_empty());

    // A finding gone: its entry is stale.
    let shrunk: Vec<Finding> = findings[1..].to_vec();
    let (kept, stale, suppressed) = apply_baseline(shrunk, &baseline);
    assert_eq!(fingerprints(&kept), ["fp-agree-0005"]);
    assert_eq!(suppressed, 4);
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].fingerprint, "fp-conflict-0001");
    assert_eq!(stale[0].kind, FindingKind::Conflict);
    assert!(claimdiff::ci::baseline::describe_stale(&stale[0]).contains("fp-conflict-0001"));
}

#[test]
fn baselines_are_sorted_deterministic_and_keep_reviewers_reasons() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("baseline.yaml");
    let mut findings = report().findings;
    write_baseline(&path, &findings, &[]).expect("written");
    let first = std::fs::read_to_string(&path).expect("readable");
    assert!(first.starts_with("# claimdiff baseline"));

    let entries = Baseline::read(&path).expect("reads").findings;
    let order: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e.rule.as_str(), e.topic.as_str()))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert!(entries.iter().all(|e| e.reason.is_empty()));

    // A reviewer fills in a reason; rewriting for the same findings in another order keeps it
    // and gives otherwise the same bytes.
    let reviewed = first.replacen("reason: ''", "reason: checked by the desk", 1);
    assert_ne!(
        reviewed, first,
        "the written file has an empty reason to fill in"
    );
    std::fs::write(&path, &reviewed).expect("writable");
    findings.reverse();
    write_baseline(&path, &findings, &[]).expect("rewritten");
    assert_eq!(std::fs::read_to_string(&path).expect("readable"), reviewed);
}

#[test]
fn writing_a_baseline_inside_the_corpus_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("baseline.yaml");
    let error = write_baseline(&path, &report().findings, &[dir.path().to_path_buf()])
        .expect_err("inside the corpus");
    assert!(error.contains("corpus"), "{error}");
    assert!(!path.exists());
}

#[test]
fn a_malformed_baseline_is_an_error_naming_file_line_and_column() {
    let path = fixture("baseline-malformed.yaml");
    let error = Baseline::read(&path).expect_err("misspelt field");
    assert_eq!(error.line, Some(6), "{error}");
    assert!(error.column.is_some(), "{error}");
    let message = error.to_string();
    assert!(
        message.contains("baseline-malformed.yaml:6:"),
        "names file and line: {message}"
    );
    assert!(message.contains("fingerprnt"), "{message}");

    let future =
        Baseline::parse("future.yaml", "version: 9\nfindings: []\n").expect_err("unknown version");
    assert!(future.to_string().contains("version 9"), "{future}");
}

/// The ignores of `fixtures/ci/ignores/claimdiff.yaml`, loaded as `check` loads them.
fn fixture_ignores() -> Vec<claimdiff::config::Ignore> {
    load_config(&fixture("ignores"))
        .expect("config parses")
        .expect("config exists")
        .config
        .ignore
}

#[test]
fn ignores_suppress_until_they_expire_and_then_warn() {
    let ignores = fixture_ignores();
    let findings = report().findings;

    // 2031-02-28: both dated entries in force (a month-only expiry lasts the whole month).
    let (kept, warnings, suppressed) =
        apply_ignores(findings.clone(), &ignores, date("2031-02-28"));
    assert_eq!(suppressed, 3, "{warnings:#?}");
    assert!(!fingerprints(&kept).contains(&"fp-conflict-0001"));
    assert!(!fingerprints(&kept).contains(&"fp-setdiff-0002"));
    assert!(!fingerprints(&kept).contains(&"fp-spelling-0004"));
    assert!(
        !warnings.iter().any(|w| w.contains("expired")),
        "{warnings:#?}"
    );

    // 2031-03-15: the month-only entry has expired: its finding is back, with a warning.
    let (kept, warnings, suppressed) =
        apply_ignores(findings.clone(), &ignores, date("2031-03-15"));
    assert_eq!(suppressed, 2);
    assert!(fingerprints(&kept).contains(&"fp-setdiff-0002"));
    let expired: Vec<&String> = warnings.iter().filter(|w| w.contains("expired")).collect();
    assert_eq!(expired.len(), 1, "{warnings:#?}");
    assert!(expired[0].contains("ignore entry 2"), "{}", expired[0]);
    assert!(expired[0].contains("2031-02"), "{}", expired[0]);

    // 2031-04-01: the day-precise entry has expired too, and the gate fails again.
    let (kept, warnings, _) = apply_ignores(findings, &ignores, date("2031-04-01"));
    assert!(fingerprints(&kept).contains(&"fp-conflict-0001"));
    assert_eq!(warnings.iter().filter(|w| w.contains("expired")).count(), 2);
    assert_eq!(
        exit_code(failing_count(&kept, &FailOn::default()), false),
        1
    );
}

#[test]
fn ignores_that_cannot_or_do_not_select_anything_warn() {
    let (_, warnings, _) = apply_ignores(report().findings, &fixture_ignores(), date("2031-01-01"));
    let about = |entry: &str, words: &str| {
        warnings
            .iter()
            .any(|w| w.contains(&format!("ignore entry {entry} ")) && w.contains(words))
    };
    assert!(about("3", "selects no finding"), "{warnings:#?}");
    assert!(about("4", "selects nothing"), "{warnings:#?}");
    assert!(about("5", "has no reason"), "{warnings:#?}");
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
}

#[test]
fn a_malformed_config_is_an_error_naming_file_line_and_column() {
    let error = load_config(&fixture("bad-config")).expect_err("misspelt key");
    assert!(error.file.ends_with("claimdiff.yaml"), "{error}");
    assert_eq!((error.line, error.column), (Some(5), Some(5)), "{error}");
    assert!(error.to_string().contains("claimdiff.yaml:5:5"), "{error}");
    assert!(error.to_string().contains("reasn"), "{error}");

    // A value the type rejects is located at the entry holding it (line 3), with its path.
    let error = load_config(&fixture("bad-date")).expect_err("impossible date");
    assert_eq!(error.line, Some(3), "{error}");
    assert!(error.to_string().contains("ignore[0]"), "{error}");
    assert!(error.to_string().contains("2031-13-01"), "{error}");
}

// End to end, through `claimdiff check`, once the lead wires the functions above into it.
// Expected flags: `--format sarif|github|junit`, `--fail-on LEVEL|KIND|KIND:LEVEL`,
// `--exit-zero`, `--baseline FILE`, `--write-baseline FILE`.

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

fn check(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .arg("check")
        .args(args)
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("claimdiff runs")
}

fn path_arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

#[test]

fn cli_fail_on_and_exit_zero_decide_the_exit_code() {
    let corpus = seeds();
    let corpus = path_arg(&corpus);
    assert_eq!(
        check(&[corpus, "--fail-on", "conflict"]).status.code(),
        Some(1)
    );
    assert_eq!(
        check(&[corpus, "--fail-on", "conflict", "--exit-zero"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        check(&[corpus, "--fail-on", "evolving:error"])
            .status
            .code(),
        Some(0)
    );
    let bad = check(&[corpus, "--fail-on", "fatal"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--fail-on"));
}

#[test]

fn cli_baseline_round_trip() {
    let corpus = seeds();
    let corpus = path_arg(&corpus);
    let dir = tempfile::tempdir().expect("temp dir");
    let baseline = dir.path().join("baseline.yaml");
    let baseline = path_arg(&baseline);
    let written = check(&[corpus, "--write-baseline", baseline, "--exit-zero"]);
    assert_eq!(written.status.code(), Some(0));
    let gated = check(&[corpus, "--baseline", baseline, "--fail-on", "info"]);
    assert_eq!(
        gated.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&gated.stderr)
    );
    // Given one file to both flags, the run is gated by the file as it was, then it is rewritten.
    std::fs::write(baseline, "version: 1\nfindings: []\n").expect("baseline emptied");
    let both = [corpus, "--baseline", baseline, "--write-baseline", baseline];
    let first = check(&[&both[..], &["--fail-on", "info"]].concat());
    assert_eq!(first.status.code(), Some(1), "gated by the empty baseline");
    let second = check(&[&both[..], &["--fail-on", "info"]].concat());
    assert_eq!(
        second.status.code(),
        Some(0),
        "gated by the rewritten baseline"
    );
    let malformed = fixture("baseline-malformed.yaml");
    let failed = check(&[corpus, "--baseline", path_arg(&malformed)]);
    assert_eq!(failed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("baseline-malformed.yaml:6:"));
}

#[test]

fn cli_machine_formats() {
    let corpus = seeds();
    let corpus = path_arg(&corpus);
    let sarif = check(&[corpus, "--format", "sarif", "--exit-zero"]);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let github = check(&[corpus, "--format", "github", "--exit-zero"]);
    let text = String::from_utf8_lossy(&github.stdout);
    assert!(text.lines().all(|line| line.starts_with("::")), "{text}");
    let junit = check(&[corpus, "--format", "junit", "--exit-zero"]);
    assert!(String::from_utf8_lossy(&junit.stdout).starts_with("<?xml"));
}
