//! The bad-input catalogue of `fixtures/bad/`: every case gives its documented outcome, never a
//! panic, a hang or a silent skip.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn claimdiff(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimdiff"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn bad(name: &str) -> String {
    format!("fixtures/bad/{name}")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Splits `file` together with a good file, expecting `file` to be skipped with `message`.
fn assert_skipped(file: &str, message: &str) {
    let output = claimdiff(&["split", "--lang", "en", &bad(file), &bad("crlf.txt")]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{file}: {err}");
    assert!(
        err.contains(&bad(file)) && err.contains(message),
        "{file}: expected a warning naming the file and `{message}`, got: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        stdout(&output).contains("crlf.txt"),
        "the good file is still read"
    );
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    assert_skipped("invalid_utf8.txt", "invalid UTF-8 at byte offset 18");
}

#[test]
fn nul_bytes_and_binary_files_are_skipped() {
    assert_skipped("nul_byte.txt", "NUL byte at byte offset 15");
    assert_skipped("binary.txt", "binary content");
}

#[test]
fn empty_and_whitespace_only_files_are_skipped() {
    assert_skipped("empty.txt", "empty file");
    assert_skipped("whitespace_only.txt", "only whitespace");
}

#[test]
fn malformed_and_impossible_date_headers_are_skipped() {
    assert_skipped("impossible_date.txt", "impossible date `2020-13-45`");
    assert_skipped("malformed_date.txt", "malformed date `yesterday`");
}

#[test]
fn nothing_readable_exits_2() {
    let output = claimdiff(&["split", &bad("empty.txt"), &bad("nul_byte.txt")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no document could be read"));
}

#[test]
fn missing_path_is_reported() {
    let output = claimdiff(&["split", "fixtures/bad/does-not-exist.txt", &bad("crlf.txt")]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stderr(&output).contains("does-not-exist.txt: no such file or directory"));
}

#[test]
fn bom_is_not_part_of_the_text() {
    let output = claimdiff(&[
        "split",
        "--lang",
        "en",
        "--format",
        "jsonl",
        &bad("bom.txt"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let first = stdout(&output)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(first.contains("\"text\":\"First sentence."), "{first}");
    assert!(!first.contains('\u{feff}'));
}

#[test]
fn crlf_and_lone_cr_count_as_line_ends() {
    for file in ["crlf.txt", "lone_cr.txt"] {
        let output = claimdiff(&["split", "--lang", "en", "--format", "jsonl", &bad(file)]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let text = stdout(&output);
        let last = text.lines().last().unwrap_or_default();
        assert!(last.contains("\"line\":4"), "{file}: {last}");
        assert!(last.contains("\"column\":1"), "{file}: {last}");
    }
}

#[test]
fn scripts_bidi_emoji_and_unterminated_quotes_are_read() {
    for file in ["scripts_bidi_emoji.txt", "unterminated_quote.txt"] {
        let output = claimdiff(&["split", "--format", "jsonl", &bad(file)]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(stdout(&output).lines().count() >= 2, "{file}");
    }
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_pipes_are_reported_not_followed() {
    let dir = temp_dir();
    let root = dir.path();
    std::os::unix::fs::symlink(root.join("b.txt"), root.join("a.txt")).unwrap();
    std::os::unix::fs::symlink(root.join("a.txt"), root.join("b.txt")).unwrap();
    std::os::unix::fs::symlink(root, root.join("loop")).unwrap();
    let fifo = root.join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status();
    std::fs::write(root.join("good.txt"), "A good sentence. Another one.").unwrap();
    let output = claimdiff(&["split", "--lang", "en", root.to_str().unwrap()]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(err.contains("a.txt: broken or looping link"), "{err}");
    assert!(err.contains("symlink loop"), "{err}");
    if made.is_ok_and(|s| s.success()) {
        assert!(err.contains("pipe.txt: not a regular file"), "{err}");
    }
    assert!(stdout(&output).contains("good.txt"));
}

#[test]
fn a_file_where_a_rule_directory_is_expected() {
    let output = claimdiff(&["split", "--rules", "Cargo.toml", &bad("crlf.txt")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("Cargo.toml: not a rule directory"));
}

/// Writes `contents` to a file in `dir` and splits it, expecting success and sentence spans that
/// stay inside the file.
fn split_generated(dir: &Path, name: &str, contents: &str) -> String {
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    let output = claimdiff(&[
        "split",
        "--lang",
        "en",
        "--format",
        "jsonl",
        path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
    let text = stdout(&output);
    for line in text.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let end = record["end"].as_u64().unwrap() as usize;
        assert!(end <= contents.len(), "{name}: span past the end");
    }
    text
}

#[test]
fn adversarial_structures_are_split() {
    let dir = temp_dir();
    let cases = [
        ("periods.txt", ".".repeat(2 << 20)),
        ("doctors.txt", "Dr. ".repeat(300_000)),
        (
            "parens.txt",
            format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000)),
        ),
        (
            "digits.txt",
            format!("About {} people.", "9".repeat(1_000_000)),
        ),
        ("one_line.txt", "word ".repeat(10 << 20)),
    ];
    for (name, contents) in cases {
        let out = split_generated(dir.path(), name, &contents);
        assert!(!out.is_empty(), "{name}");
    }
}
