//! SARIF 2.1.0 output, for code-scanning dashboards (GitHub's `upload-sarif` among them).
//!
//! One result per finding (agreements left out): its primary location is the first source's
//! sentence, `relatedLocations` hold the other sources' sentences, `partialFingerprints`
//! carries the finding's fingerprint under `claimdiff/v1`, and `tool.driver.rules` lists the
//! rules with descriptions. Levels map `error`→`error`, `warning`→`warning`, `info`→`note`.
//! Regions give `startLine`/`startColumn`/`endLine`/`endColumn` in Unicode code points (the
//! run's `columnKind`) and the exact `byteOffset`/`byteLength` of the sentence in its file.

use std::collections::BTreeMap;

use serde_json::{json, Value as Json};

use crate::model::{Evidence, Finding, Level, Report, SourceValue};

use super::{describe_source, headline, is_reported};

/// The key under which `partialFingerprints` carries a finding's fingerprint.
pub const FINGERPRINT_KEY: &str = "claimdiff/v1";

/// Where the SARIF 2.1.0 schema is published.
const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF level of a finding level.
fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    }
}

/// A document id as a URI reference: bytes other than unreserved characters and `/` are
/// percent-encoded, so spaces and non-ASCII names stay valid.
fn uri_reference(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// The position just after `evidence`'s sentence: SARIF's exclusive `endLine`/`endColumn`.
/// Line breaks are `\n`, `\r\n` or a lone `\r`, as in [`crate::model::LineIndex`].
fn end_position(evidence: &Evidence) -> (u32, u32) {
    let (mut line, mut column) = (evidence.line, evidence.column);
    let mut chars = evidence.text.chars().peekable();
    while let Some(c) = chars.next() {
        let is_break = c == '\n' || (c == '\r' && chars.peek() != Some(&'\n'));
        if is_break {
            line += 1;
            column = 1;
        } else if c != '\r' {
            column += 1;
        }
    }
    (line, column)
}

/// A SARIF physical location for one source's sentence.
fn physical_location(evidence: &Evidence) -> Json {
    let (end_line, end_column) = end_position(evidence);
    json!({
        "artifactLocation": { "uri": uri_reference(&evidence.file) },
        "region": {
            "startLine": evidence.line,
            "startColumn": evidence.column,
            "endLine": end_line,
            "endColumn": end_column,
            "byteOffset": evidence.start,
            "byteLength": evidence.end.saturating_sub(evidence.start),
            "snippet": { "text": evidence.text },
        },
    })
}

/// A location with a message saying what this source says.
fn location(source: &SourceValue, id: Option<usize>) -> Json {
    let mut location = json!({
        "physicalLocation": physical_location(&source.evidence),
        "message": { "text": describe_source(source) },
    });
    if let Some(id) = id {
        location["id"] = json!(id);
    }
    location
}

/// The result for one finding; `rule_index` is its rule's place in `tool.driver.rules`.
fn result(finding: &Finding, rule_index: usize) -> Json {
    let sources: Vec<String> = finding.values.iter().map(describe_source).collect();
    let mut text = headline(finding);
    if !sources.is_empty() {
        text.push_str(&format!(". {}", sources.join("; ")));
    }
    if let Some(note) = &finding.note {
        text.push_str(&format!(". {note}"));
    }
    let mut result = json!({
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": sarif_level(finding.level),
        "message": { "text": text },
        "partialFingerprints": { FINGERPRINT_KEY: finding.fingerprint },
        "properties": {
            "kind": finding.kind.to_string(),
            "topic": finding.topic,
            "key": finding.key,
        },
    });
    if let Some((primary, others)) = finding.values.split_first() {
        result["locations"] = json!([location(primary, None)]);
        if !others.is_empty() {
            let related: Vec<Json> = others
                .iter()
                .enumerate()
                .map(|(index, source)| location(source, Some(index + 1)))
                .collect();
            result["relatedLocations"] = json!(related);
        }
    }
    result
}

/// A rule's entry in `tool.driver.rules`: its id, and its description from
/// `rule_descriptions`, or else the topics of its findings.
fn rule_descriptor(
    rule: &str,
    findings: &[&Finding],
    descriptions: &BTreeMap<String, String>,
) -> Json {
    let description = descriptions.get(rule).cloned().unwrap_or_else(|| {
        let mut topics: Vec<&str> = findings.iter().map(|f| f.topic.as_str()).collect();
        topics.sort_unstable();
        topics.dedup();
        format!("claimdiff rule `{rule}`: {}", topics.join("; "))
    });
    let highest = findings.iter().map(|f| f.level).max().unwrap_or_default();
    json!({
        "id": rule,
        "name": rule,
        "shortDescription": { "text": description },
        "defaultConfiguration": { "level": sarif_level(highest) },
    })
}

/// Renders `report` as a SARIF 2.1.0 log. `rule_descriptions` maps rule ids to a sentence
/// describing the rule; a rule it lacks is described by its findings' topics.
pub fn render(report: &Report, rule_descriptions: &BTreeMap<String, String>) -> String {
    let findings: Vec<&Finding> = report.findings.iter().filter(|f| is_reported(f)).collect();
    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in &findings {
        by_rule
            .entry(finding.rule.as_str())
            .or_default()
            .push(finding);
    }
    let rule_index: BTreeMap<&str, usize> = by_rule
        .keys()
        .enumerate()
        .map(|(index, rule)| (*rule, index))
        .collect();
    let rules: Vec<Json> = by_rule
        .iter()
        .map(|(rule, findings)| rule_descriptor(rule, findings, rule_descriptions))
        .collect();
    let results: Vec<Json> = findings
        .iter()
        .map(|finding| result(finding, rule_index[finding.rule.as_str()]))
        .collect();
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "claimdiff",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}
