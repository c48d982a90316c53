//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per finding
//! (agreements left out), anchored at the first source's sentence, so the finding shows as an
//! annotation on that file and line.
//!
//! GitHub shows at most 10 errors and 10 warnings per step; [`step_summary`] renders every
//! finding as a Markdown table for the caller to append to the file `GITHUB_STEP_SUMMARY`
//! names.

use crate::model::{Finding, Level, Report};

use super::{describe_source, headline, is_reported};

/// The workflow command for a level.
fn command(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "notice",
    }
}

/// Escapes a command's message: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// Escapes a command's property value: as [`escape_data`], plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The workflow command for one finding.
fn annotation(finding: &Finding) -> String {
    let mut properties = Vec::new();
    if let Some(primary) = finding.values.first() {
        let evidence = &primary.evidence;
        properties.push(format!("file={}", escape_property(&evidence.file)));
        properties.push(format!("line={}", evidence.line));
        properties.push(format!("col={}", evidence.column));
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!("claimdiff {}", headline(finding)))
    ));
    let mut lines: Vec<String> = vec![finding.topic.clone()];
    lines.extend(finding.values.iter().map(describe_source));
    if let Some(note) = &finding.note {
        lines.push(note.clone());
    }
    lines.push(format!("fingerprint {}", finding.fingerprint));
    format!(
        "::{} {}::{}",
        command(finding.level),
        properties.join(","),
        escape_data(&lines.join("\n"))
    )
}

/// Renders `report` as workflow commands, one line per finding but agreements.
pub fn render(report: &Report) -> String {
    let mut text = String::new();
    for finding in report.findings.iter().filter(|f| is_reported(f)) {
        text.push_str(&annotation(finding));
        text.push('\n');
    }
    text
}

/// Makes text safe inside a Markdown table cell: HTML characters and `|` escaped, line breaks
/// as spaces.
fn table_cell(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

/// A Markdown summary of every finding of `report`, for `GITHUB_STEP_SUMMARY`.
pub fn step_summary(report: &Report) -> String {
    let mut text = format!(
        "## claimdiff: {} finding(s) in {} document(s)\n\n",
        report.findings.len(),
        report.documents.len()
    );
    if report.findings.is_empty() {
        text.push_str("No finding.\n");
        return text;
    }
    text.push_str("| Level | Kind | Topic | Sources | Fingerprint |\n");
    text.push_str("|---|---|---|---|---|\n");
    for finding in &report.findings {
        let sources: Vec<String> = finding
            .values
            .iter()
            .map(|source| table_cell(&describe_source(source)))
            .collect();
        text.push_str(&format!(
            "| {} | {} | {} | {} | `{}` |\n",
            finding.level,
            finding.kind,
            table_cell(&finding.topic),
            sources.join("<br>"),
            table_cell(&finding.fingerprint)
        ));
    }
    text
}
