//! More of the bad-input catalogue (see `tests/bad_input.rs`): a directory where a file is
//! expected, unreadable and malformed side files (baselines, JSON Lines, `claimdiff.yaml`), and
//! a 50 MB single line through `check`. Each gives its documented outcome: exit 2 with a message
//! naming the path, or a normal run, never a panic.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use claimdiff::rules::RuleSet;
use english::extract_english;
use made_up::made_up_name;

#[path = "common/english.rs"]
mod english;
#[path = "common/made_up.rs"]
mod made_up;

fn claimdiff(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// A small two-article corpus in its own directory, and a separate scratch directory.
struct Scene {
    corpus: tempfile::TempDir,
    scratch: tempfile::TempDir,
}

impl Scene {
    fn new() -> Scene {
        let corpus = tempfile::tempdir().expect("a temporary directory");
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpora/flood");
        for name in ["en_daily.txt", "en_wire.txt"] {
            std::fs::copy(seeds.join(name), corpus.path().join(name)).expect("copied");
        }
        Scene {
            corpus,
            scratch: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    fn corpus(&self) -> &str {
        arg(self.corpus.path())
    }

    fn scratch(&self, name: &str) -> PathBuf {
        self.scratch.path().join(name)
    }
}

/// Asserts exit 2, no panic, and a message holding every one of `needles`.
fn assert_refused(output: &Output, needles: &[&str]) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for needle in needles {
        assert!(err.contains(needle), "expected `{needle}` in: {err}");
    }
}

#[test]
fn a_directory_given_where_a_file_is_expected() {
    let scene = Scene::new();
    let dir = scene.scratch.path();
    let shown = arg(dir);

    let split = claimdiff(&["split", "--input-format", "jsonl", shown]);
    assert_refused(&split, &[shown, "directory"]);

    let output = claimdiff(&["check", scene.corpus(), "--exit-zero", "--output", shown]);
    assert_refused(&output, &[shown]);

    let baseline = claimdiff(&["check", scene.corpus(), "--exit-zero", "--baseline", shown]);
    assert_refused(&baseline, &[shown, "directory"]);

    let written = claimdiff(&[
        "check",
        scene.corpus(),
        "--exit-zero",
        "--write-baseline",
        shown,
    ]);
    assert_refused(&written, &[shown]);
    assert!(dir.is_dir(), "the directory is left as it was");
}

#[test]
fn unreadable_and_malformed_baselines_are_refused_naming_the_file() {
    let scene = Scene::new();
    let binary = scene.scratch("binary-baseline.yaml");
    std::fs::write(&binary, b"version: 1\nfindings: []\n# \xff\xfe\n").expect("written");
    let output = claimdiff(&["check", scene.corpus(), "--baseline", arg(&binary)]);
    assert_refused(&output, &[arg(&binary), "UTF-8"]);

    let missing = scene.scratch("missing-baseline.yaml");
    let output = claimdiff(&["check", scene.corpus(), "--baseline", arg(&missing)]);
    assert_refused(&output, &[arg(&missing)]);

    let not_a_map = scene.scratch("list-baseline.yaml");
    std::fs::write(&not_a_map, "- a\n- b\n").expect("written");
    let output = claimdiff(&["check", scene.corpus(), "--baseline", arg(&not_a_map)]);
    assert_refused(&output, &[arg(&not_a_map)]);
}

#[cfg(unix)]
#[test]
fn a_baseline_without_read_permission_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let scene = Scene::new();
    let locked = scene.scratch("locked-baseline.yaml");
    std::fs::write(&locked, "version: 1\nfindings: []\n").expect("written");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&locked).is_ok() {
        // Running as root: permissions do not stop reads, nothing to test.
        return;
    }
    let output = claimdiff(&["check", scene.corpus(), "--baseline", arg(&locked)]);
    assert_refused(&output, &[arg(&locked), "ermission"]);
}

#[test]
fn a_config_with_an_unknown_key_stops_check_naming_file_line_and_column() {
    let scene = Scene::new();
    std::fs::write(
        scene.corpus.path().join("claimdiff.yaml"),
        "# a config with a misspelt key\nlanguages: [en]\nfail_on: error\n",
    )
    .expect("written");
    let output = claimdiff(&["check", scene.corpus()]);
    let config = scene.corpus.path().join("claimdiff.yaml");
    assert_refused(&output, &[&format!("{}:3:1", config.display()), "fail_on"]);
}

#[test]
fn malformed_json_lines_name_the_file_and_line() {
    let scene = Scene::new();
    let records = scene.scratch("records.jsonl");
    std::fs::write(
        &records,
        "{\"id\": 1, \"text\": \"One. Two.\"}\n\n{\"id\": 2, \"text\": 3}\n",
    )
    .expect("written");
    let output = claimdiff(&["split", "--input-format", "jsonl", arg(&records)]);
    assert_refused(&output, &[&format!("{}:3", records.display())]);

    let invalid = scene.scratch("invalid.jsonl");
    std::fs::write(&invalid, b"{\"id\": 1, \"text\": \"caf\xe9\"}\n").expect("written");
    let output = claimdiff(&["split", "--input-format", "jsonl", arg(&invalid)]);
    assert_refused(&output, &[arg(&invalid)]);
}

#[test]
fn a_long_single_line_goes_through_check() {
    let scene = Scene::new();
    let line = "Officials said about 42 people were killed near the river and rescue work went on "
        .repeat((4 << 20) / 84);
    std::fs::write(scene.corpus.path().join("one_line.txt"), line).expect("written");
    let output = claimdiff(&["check", scene.corpus(), "--exit-zero", "--format", "json"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    assert_eq!(report["summary"]["documents"], 3, "{err}");
}

/// A line of about `bytes` bytes with no sentence end: a list of distinct made-up names.
fn long_line_of_names(bytes: usize) -> String {
    let mut line = String::from("Haftar is backed by ");
    let mut index = 0;
    while line.len() < bytes {
        line.push_str(&made_up_name(index));
        line.push_str(", ");
        index += 1;
    }
    line
}

#[test]
fn evidence_stays_linear_in_a_long_sentence() {
    let rules = RuleSet::embedded().expect("the embedded rules load");
    let evidence_of = |bytes: usize| {
        let claims = extract_english(&rules, long_line_of_names(bytes));
        assert!(!claims.is_empty(), "the names are mentions");
        claims
            .iter()
            .map(|claim| claim.evidence.text.len())
            .sum::<usize>()
    };
    let (short, long) = (evidence_of(16 << 10), evidence_of(64 << 10));
    let ratio = long as f64 / short as f64;
    assert!(
        ratio < 4.5,
        "4× the text gave {ratio:.1}× the evidence ({short} → {long} bytes)"
    );
}
