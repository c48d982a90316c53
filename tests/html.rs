//! The HTML report, rendered by a real headless Chromium: the page must show the tables, an SVG
//! interval chart for the numeric conflict, the highlighted values, and no injected markup.

use std::path::{Path, PathBuf};
use std::process::Command;

use claimdiff::cli::compare_claims::read_records;
use claimdiff::compare::compare;
use claimdiff::report::{self, Format, Style};
use claimdiff::rules::RuleSet;

const CHROMIUM: &str = "/usr/bin/chromium";

fn fixture_page() -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/claims");
    let records =
        read_records(&[dir.join("part1.jsonl"), dir.join("part2.jsonl")]).expect("fixtures read");
    let rules = RuleSet::embedded().expect("embedded rules load");
    let findings = compare(&records.documents, &records.claims, &rules);
    let built = report::build(records.documents, records.claims.len(), findings);
    report::render(&built, Format::Html, &Style::default()).expect("renders")
}

/// The DOM Chromium builds from the page at `path`, or `None` when Chromium is not installed
/// and this is not CI.
fn rendered_dom(path: &Path, profile: &Path) -> Option<String> {
    if !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{CHROMIUM} is required on CI to test the HTML report"
        );
        eprintln!("notice: {CHROMIUM} is missing; the HTML report was not rendered");
        return None;
    }
    let output = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", path.display()))
        .output()
        .expect("chromium runs");
    assert!(output.status.success(), "chromium failed: {output:?}");
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn the_page_renders_tables_charts_and_highlights() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("report.html");
    std::fs::write(&page, fixture_page()).expect("writes");
    let Some(dom) = rendered_dom(&page, &dir.path().join("profile")) else {
        return;
    };
    assert!(dom.contains("<table class=\"values\">"), "value tables");
    assert!(
        dom.contains("<table class=\"matrix\">"),
        "the relation matrix"
    );
    assert!(dom.contains("<td class=\"named\">✓</td>"));
    // The numeric conflict's chart: one interval a source, on one axis labelled 600 … 2500.
    let chart_start = dom
        .find("<svg class=\"intervals\"")
        .expect("an interval chart");
    let chart = &dom[chart_start..dom[chart_start..].find("</svg>").expect("closed") + chart_start];
    assert_eq!(
        chart.matches("class=\"interval\"").count() + chart.matches("class=\"point\"").count(),
        2
    );
    assert!(
        chart.contains(">600<") && chart.contains(">2500<"),
        "{chart}"
    );
    assert!(
        dom.contains("<mark>2,500</mark>"),
        "the value highlighted in its sentence"
    );
    assert!(dom.contains("<mark>Between 600 and 800</mark>"));
    assert!(
        dom.contains("<del>the </del>") || dom.contains("<del>the</del>"),
        "the quote diff"
    );
    // The hostile quote is text, never markup.
    assert!(!dom.contains("<script>alert"));
    assert!(dom.contains("&lt;script&gt;alert"));
}
