//! Reports: the same findings rendered as a terminal table, Markdown, JSON, JSON Lines and HTML.
//!
//! [`build`] assembles a [`Report`] (documents, findings, summary); [`render`] turns it into the
//! bytes of one [`Format`]. Rendering is pure: the same report gives the same bytes.

use std::collections::{BTreeMap, HashMap};

use crate::model::{DocumentMeta, Finding, FindingKind, Level, Report, Summary, SCHEMA_VERSION};

pub mod html;
pub mod json;
pub mod markdown;
pub mod table;

/// Output format of a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Tables for a terminal.
    #[default]
    Table,
    /// A Markdown discrepancy report.
    Markdown,
    /// One JSON document (see [`json`]).
    Json,
    /// One JSON finding a line (see [`json`]).
    Jsonl,
    /// One self-contained HTML page.
    Html,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub workflow commands.
    Github,
    /// JUnit XML.
    Junit,
}

/// How the terminal table is drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
    /// Width of the tables; `None` to follow the terminal.
    pub width: Option<u16>,
}

/// Assembles a report: documents sorted by id, findings as given, and the summary counts.
pub fn build(mut documents: Vec<DocumentMeta>, claims: usize, findings: Vec<Finding>) -> Report {
    documents.sort_by(|a, b| a.id.cmp(&b.id));
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    for finding in &findings {
        *by_kind.entry(finding.kind.to_string()).or_default() += 1;
    }
    Report {
        schema_version: SCHEMA_VERSION,
        summary: Summary {
            documents: documents.len(),
            claims,
            findings: by_kind,
        },
        documents,
        findings,
    }
}

/// True when a report at `min_level` limited to `kinds` (all when empty) shows `finding`.
pub fn is_shown(finding: &Finding, min_level: Level, kinds: &[FindingKind]) -> bool {
    finding.level >= min_level && (kinds.is_empty() || kinds.contains(&finding.kind))
}

impl Format {
    /// True for the formats [`write_streamed`] writes finding by finding: JSON and JSON Lines.
    pub fn streams(self) -> bool {
        matches!(self, Format::Json | Format::Jsonl)
    }
}

/// Writes the report of `documents`, `claims` and `findings` in a format that
/// [streams](Format::streams), taking each finding from the iterator as it is written: the
/// bytes [`write()`] gives for the [`build`] of the same findings, without holding them. Other
/// formats are refused.
pub fn write_streamed(
    mut documents: Vec<DocumentMeta>,
    claims: usize,
    findings: impl Iterator<Item = Result<Finding, String>>,
    format: Format,
    out: &mut dyn std::io::Write,
) -> Result<(), String> {
    documents.sort_by(|a, b| a.id.cmp(&b.id));
    match format {
        Format::Json => json::write_streamed(&documents, claims, findings, out),
        Format::Jsonl => json::write_lines_streamed(findings, out),
        _ => Err(format!("the {format:?} report is not written as a stream")),
    }
}

/// Writes a report in a format to `out`. JSON and JSON Lines are written as they are
/// serialized, so a large report is never held as one string.
pub fn write(
    report: &Report,
    format: Format,
    style: &Style,
    out: &mut dyn std::io::Write,
) -> Result<(), String> {
    match format {
        Format::Json => json::write(report, out),
        Format::Jsonl => json::write_lines(report, out),
        _ => out
            .write_all(render(report, format, style)?.as_bytes())
            .map_err(|e| e.to_string()),
    }
}

/// Renders a report in a format.
pub fn render(report: &Report, format: Format, style: &Style) -> Result<String, String> {
    match format {
        Format::Table => Ok(table::render(report, style)),
        Format::Markdown => Ok(markdown::render(report)),
        Format::Json => json::render(report),
        Format::Jsonl => json::render_lines(report),
        Format::Html => Ok(html::render(report)),
        Format::Sarif => Ok(crate::ci::sarif::render(report, &Default::default())),
        Format::Github => Ok(crate::ci::github::render(report)),
        Format::Junit => Ok(crate::ci::junit::render(report)),
    }
}

/// The documents of a report by id.
fn documents_by_id(report: &Report) -> HashMap<&str, &DocumentMeta> {
    report.documents.iter().map(|d| (&*d.id, d)).collect()
}

/// A short name for a document: its outlet, else its file name.
fn source_name<'a>(documents: &HashMap<&str, &'a DocumentMeta>, id: &'a str) -> &'a str {
    documents
        .get(id)
        .and_then(|meta| meta.outlet.as_deref())
        .unwrap_or_else(|| id.rsplit('/').next().unwrap_or(id))
}

/// A document's language and date: `en · 2020-01-08`.
fn source_details(documents: &HashMap<&str, &DocumentMeta>, id: &str) -> String {
    match documents.get(id) {
        Some(meta) => match meta.date {
            Some(date) => format!("{} · {date}", meta.lang),
            None => format!("{} · undated", meta.lang),
        },
        None => String::new(),
    }
}

/// The heading of the findings of one kind.
fn kind_heading(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Conflict => "Conflicts",
        FindingKind::Evolving => "Evolving figures",
        FindingKind::SetDifference => "Set differences",
        FindingKind::QuoteDifference => "Quotes reported differently",
        FindingKind::SpellingVariant => "Name spellings",
        FindingKind::Agreement => "Agreements",
        FindingKind::SingleSource => "Single-source claims",
    }
}

/// The summary as one line: `5 documents, 120 claims, 14 findings: 1 conflict, 3 agreement`.
pub fn summary_line(summary: &Summary) -> String {
    let total: usize = summary.findings.values().sum();
    let mut line = format!(
        "{} documents, {} claims, {total} findings",
        summary.documents, summary.claims
    );
    let kinds: Vec<String> = summary
        .findings
        .iter()
        .map(|(kind, count)| format!("{count} {kind}"))
        .collect();
    if !kinds.is_empty() {
        line.push_str(": ");
        line.push_str(&kinds.join(", "));
    }
    line
}

/// The findings of a report grouped by kind, in kind order, each group in report order.
fn by_kind(report: &Report) -> Vec<(FindingKind, Vec<&Finding>)> {
    let mut groups: BTreeMap<FindingKind, Vec<&Finding>> = BTreeMap::new();
    for finding in &report.findings {
        groups.entry(finding.kind).or_default().push(finding);
    }
    groups.into_iter().collect()
}

/// The documents a finding covers, in id order: its values' documents and its matrix's.
fn finding_documents(finding: &Finding) -> Vec<&str> {
    let mut documents: Vec<&str> = finding
        .values
        .iter()
        .map(|v| &*v.document)
        .chain(
            finding
                .matrix
                .iter()
                .flat_map(|row| row.documents.iter().map(|d| &**d)),
        )
        .collect();
    documents.sort_unstable();
    documents.dedup();
    documents
}
