//! JUnit XML output, for CI systems that show test reports.
//!
//! A `testsuite` per rule, a `testcase` per claim key, and a `failure` per disagreement
//! (conflict, set difference, quote difference, spelling variant) whose body lists each
//! source: document, `file:line`, value and sentence. Other findings (agreements, evolving
//! figures, single sources) leave their testcase passing and are described in its
//! `system-out`. Suites are sorted by rule and testcases by key; no timestamp is written, so
//! the same report gives the same bytes.

use std::collections::BTreeMap;

use crate::model::{Finding, Report};
use crate::report::html::escape;

use super::{headline, is_disagreement};

/// A finding described over several lines: its headline, then one block per source.
fn finding_body(finding: &Finding) -> String {
    let mut body = format!(
        "{}\nfingerprint: {}\n",
        headline(finding),
        finding.fingerprint
    );
    if let Some(note) = &finding.note {
        body.push_str(&format!("note: {note}\n"));
    }
    for source in &finding.values {
        let evidence = &source.evidence;
        let position = format!("{}:{}:{}", evidence.file, evidence.line, evidence.column);
        let place = if source.document == evidence.file {
            position
        } else {
            format!("{} ({position})", source.document)
        };
        body.push_str(&format!("\n{place}\n  value: {}\n", source.display));
        if !source.attribution.is_empty() {
            body.push_str(&format!("  attribution: {}\n", source.attribution));
        }
        body.push_str(&format!("  sentence: {}\n", evidence.text));
    }
    escape(&body)
}

/// One testcase: the findings on one claim key of one rule.
fn testcase(rule: &str, key: &str, findings: &[&Finding]) -> String {
    let mut xml = format!(
        "    <testcase classname=\"{}\" name=\"{}\"",
        escape(rule),
        escape(key)
    );
    let (failing, passing): (Vec<&Finding>, Vec<&Finding>) =
        findings.iter().partition(|f| is_disagreement(f.kind));
    xml.push_str(">\n");
    for finding in &failing {
        xml.push_str(&format!(
            "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
            finding.kind,
            escape(&headline(finding)),
            finding_body(finding)
        ));
    }
    if !passing.is_empty() {
        let bodies: Vec<String> = passing.iter().map(|f| finding_body(f)).collect();
        xml.push_str(&format!(
            "      <system-out>{}</system-out>\n",
            bodies.join("\n")
        ));
    }
    xml.push_str("    </testcase>\n");
    xml
}

/// Renders `report` as a JUnit XML document.
pub fn render(report: &Report) -> String {
    let mut by_rule: BTreeMap<&str, BTreeMap<&str, Vec<&Finding>>> = BTreeMap::new();
    for finding in &report.findings {
        by_rule
            .entry(finding.rule.as_str())
            .or_default()
            .entry(finding.key.as_str())
            .or_default()
            .push(finding);
    }
    // A testcase fails once, however many disagreements it holds.
    let count_failures = |keys: &BTreeMap<&str, Vec<&Finding>>| {
        keys.values()
            .filter(|findings| findings.iter().any(|f| is_disagreement(f.kind)))
            .count()
    };
    let total_tests: usize = by_rule.values().map(BTreeMap::len).sum();
    let total_failures: usize = by_rule.values().map(count_failures).sum();
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <testsuites name=\"claimdiff\" tests=\"{total_tests}\" failures=\"{total_failures}\" \
         errors=\"0\">\n"
    );
    for (rule, keys) in &by_rule {
        xml.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
            escape(rule),
            keys.len(),
            count_failures(keys)
        ));
        for (key, findings) in keys {
            xml.push_str(&testcase(rule, key, findings));
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}
