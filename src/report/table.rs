//! The terminal report: one block a finding, with a table of its sources, and a closing summary
//! line.
//!
//! Rows are the sources (outlet or file, language, date); columns the value, the attribution and
//! the evidence (`file:line:column` and the sentence). Relation matrices mark each member ✓ or —
//! per source; quote differences are shown inline, deleted words `[-…-]` (red) and inserted
//! words `{+…+}` (green). Colour is used only when [`Style::color`] says so.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, ContentArrangement, Table};

use super::{documents_by_id, finding_documents, source_details, source_name, Style};
use crate::model::{DiffPiece, DocumentMeta, Finding, Level, Report};

const RED: &str = "\u{1b}[31m";
const GREEN: &str = "\u{1b}[32m";
const YELLOW: &str = "\u{1b}[33m";
const CYAN: &str = "\u{1b}[36m";
const BOLD: &str = "\u{1b}[1m";
const RESET: &str = "\u{1b}[0m";

/// Renders the report as terminal tables.
pub fn render(report: &Report, style: &Style) -> String {
    let documents = documents_by_id(report);
    let mut out = String::new();
    for finding in &report.findings {
        out.push_str(&heading(finding, style));
        if !finding.matrix.is_empty() {
            out.push_str(&matrix_table(finding, &documents, style).to_string());
            out.push('\n');
        }
        if !finding.diff.is_empty() {
            out.push_str("  ");
            out.push_str(&inline_diff(&finding.diff, style));
            out.push('\n');
        }
        out.push_str(&values_table(finding, &documents, style).to_string());
        out.push_str("\n\n");
    }
    out.push_str(&super::summary_line(&report.summary));
    out.push('\n');
    out
}

/// `ERROR conflict: topic` and a line with the rule, key, fingerprint and note.
fn heading(finding: &Finding, style: &Style) -> String {
    let level = finding.level.to_string().to_uppercase();
    let colour = match finding.level {
        Level::Error => RED,
        Level::Warning => YELLOW,
        Level::Info => CYAN,
    };
    let mut text = if style.color {
        format!(
            "{BOLD}{colour}{level}{RESET} {BOLD}{}: {}{RESET}\n",
            finding.kind, finding.topic
        )
    } else {
        format!("{level} {}: {}\n", finding.kind, finding.topic)
    };
    text.push_str(&format!(
        "  rule {} · key {} · {}\n",
        finding.rule, finding.key, finding.fingerprint
    ));
    if let Some(note) = &finding.note {
        text.push_str(&format!("  note: {note}\n"));
    }
    text
}

/// A table in the report's style and width.
fn new_table(style: &Style) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if !style.color {
        table.force_no_tty();
    }
    if let Some(width) = style.width {
        table.set_width(width);
    }
    table
}

/// The sources of a finding: source, value, attribution, evidence.
fn values_table(
    finding: &Finding,
    documents: &std::collections::HashMap<&str, &DocumentMeta>,
    style: &Style,
) -> Table {
    let mut table = new_table(style);
    table.set_header(vec!["Source", "Value", "Attribution", "Evidence"]);
    for source in &finding.values {
        let id = &*source.document;
        let evidence = &source.evidence;
        table.add_row(vec![
            Cell::new(format!(
                "{}\n{}",
                source_name(documents, id),
                source_details(documents, id)
            )),
            Cell::new(&source.display),
            Cell::new(&source.attribution),
            Cell::new(format!(
                "{}:{}:{}\n{}",
                evidence.file, evidence.line, evidence.column, evidence.text
            )),
        ]);
    }
    table
}

/// The member × source matrix of a set difference.
fn matrix_table(
    finding: &Finding,
    documents: &std::collections::HashMap<&str, &DocumentMeta>,
    style: &Style,
) -> Table {
    let columns = finding_documents(finding);
    let mut table = new_table(style);
    let mut header = vec![Cell::new("Member")];
    header.extend(
        columns
            .iter()
            .map(|id| Cell::new(source_name(documents, id))),
    );
    table.set_header(header);
    for row in &finding.matrix {
        let mut cells = vec![Cell::new(&row.member)];
        cells.extend(columns.iter().map(|id| {
            let named = row.documents.iter().any(|d| **d == **id);
            Cell::new(if named { "✓" } else { "—" })
        }));
        table.add_row(cells);
    }
    table
}

/// A word diff on one line: `[-deleted-]` and `{+inserted+}`, coloured when asked.
pub fn inline_diff(diff: &[DiffPiece], style: &Style) -> String {
    diff.iter()
        .map(|piece| match (piece.op.as_str(), style.color) {
            ("delete", true) => format!("{RED}{}{RESET}", piece.text),
            ("insert", true) => format!("{GREEN}{}{RESET}", piece.text),
            ("delete", false) => format!("[-{}-]", piece.text),
            ("insert", false) => format!("{{+{}+}}", piece.text),
            _ => piece.text.clone(),
        })
        .collect()
}
