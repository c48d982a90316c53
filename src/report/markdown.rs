//! The Markdown report: a discrepancy report a person can publish. One section a kind of
//! finding, one table of sources a finding, set differences as a ✓/— matrix, quote differences
//! with `~~deleted~~` and `**inserted**` words, evidence as `file:line`.

use std::fmt::Write;

use super::{by_kind, documents_by_id, finding_documents, kind_heading, source_name};
use crate::model::{DiffPiece, Finding, Report};

/// Renders the report as Markdown.
pub fn render(report: &Report) -> String {
    let documents = documents_by_id(report);
    let mut out = String::from("# claimdiff report\n\n");
    let _ = writeln!(out, "{}\n", super::summary_line(&report.summary));
    out.push_str("## Documents\n\n| Document | Outlet | Language | Date |\n|---|---|---|---|\n");
    for meta in &report.documents {
        let date = meta.date.map_or_else(|| "—".to_string(), |d| d.to_string());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {date} |",
            code(&meta.id),
            cell(meta.outlet.as_deref().unwrap_or("—")),
            cell(&meta.lang)
        );
    }
    for (kind, findings) in by_kind(report) {
        let _ = write!(out, "\n## {}\n", kind_heading(kind));
        for finding in findings {
            out.push('\n');
            out.push_str(&render_finding(finding, &documents));
        }
    }
    out
}

fn render_finding(
    finding: &Finding,
    documents: &std::collections::HashMap<&str, &crate::model::DocumentMeta>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### {}\n", cell(&finding.topic));
    let _ = writeln!(
        out,
        "**{}** · rule {} · key {} · fingerprint {}\n",
        finding.level,
        code(&finding.rule),
        code(&finding.key),
        code(&finding.fingerprint)
    );
    if let Some(note) = &finding.note {
        let _ = writeln!(out, "_{}_\n", cell(note));
    }
    if !finding.matrix.is_empty() {
        let columns = finding_documents(finding);
        out.push_str("| Member |");
        for id in &columns {
            let _ = write!(out, " {} |", cell(source_name(documents, id)));
        }
        out.push_str("\n|---|");
        out.push_str(&"---|".repeat(columns.len()));
        out.push('\n');
        for row in &finding.matrix {
            let _ = write!(out, "| {} |", cell(&row.member));
            for id in &columns {
                let named = row.documents.iter().any(|d| **d == **id);
                out.push_str(if named { " ✓ |" } else { " — |" });
            }
            out.push('\n');
        }
        out.push('\n');
    }
    if !finding.diff.is_empty() {
        let _ = writeln!(out, "> {}\n", diff_text(&finding.diff));
    }
    out.push_str("| Source | Value | Attribution | Evidence |\n|---|---|---|---|\n");
    for source in &finding.values {
        let evidence = &source.evidence;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {}<br>{} |",
            cell(source_name(documents, &source.document)),
            cell(&source.display),
            cell(&source.attribution),
            code(&format!("{}:{}", evidence.file, evidence.line)),
            cell(&evidence.text)
        );
    }
    out
}

/// A word diff with `~~deleted~~` and `**inserted**` words.
fn diff_text(diff: &[DiffPiece]) -> String {
    diff.iter()
        .map(|piece| {
            let text = cell(&piece.text);
            let trimmed = text.trim();
            if trimmed.is_empty() || piece.op == "equal" {
                return text;
            }
            let lead = &text[..text.len() - text.trim_start().len()];
            let tail = &text[text.trim_end().len()..];
            match piece.op.as_str() {
                "delete" => format!("{lead}~~{trimmed}~~{tail}"),
                _ => format!("{lead}**{trimmed}**{tail}"),
            }
        })
        .collect()
}

/// Text safe inside a Markdown table cell: one line, pipes and markup characters escaped.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '|' | '*' | '_' | '~' | '`' | '[' | ']' | '<' | '>' | '#' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Text as an inline code span, safe inside a table cell.
fn code(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| match c {
            '`' => '\'',
            '\n' | '\r' => ' ',
            c => c,
        })
        .collect();
    format!("`{}`", clean.replace('|', "\\|"))
}
