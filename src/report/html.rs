//! The HTML report: one self-contained page (no external resource) with the same tables as the
//! terminal report, each source's sentence with its value highlighted (`<mark>`), quote diffs
//! with `<del>` and `<ins>`, and for every numeric conflict an inline SVG chart placing each
//! source's interval on one axis. Every text from the corpus or the rules is escaped.

use std::collections::HashMap;
use std::fmt::Write;

use super::{
    by_kind, documents_by_id, finding_documents, kind_heading, source_details, source_name,
};
use crate::model::{DocumentMeta, Finding, FindingKind, Report, SourceValue, Value};

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:70em;\
padding:0 1em;color:#222}table{border-collapse:collapse;margin:.5em 0 1em}\
th,td{border:1px solid #ccc;padding:.3em .6em;vertical-align:top;text-align:left}\
th{background:#f3f3f3}mark{background:#ffe066}del{background:#fdd;color:#900}\
ins{background:#dfd;color:#060;text-decoration:none}.level-error h3{color:#b00}\
.level-warning h3{color:#a60}.meta{color:#666;font-size:.9em}.file{font-family:monospace}\
.axis{stroke:#999}.interval{stroke:#c33;stroke-width:6;stroke-linecap:round}\
.point{fill:#c33}small{white-space:nowrap}svg text{font-size:12px;font-family:sans-serif}";

/// Renders the report as one HTML page.
pub fn render(report: &Report) -> String {
    let documents = documents_by_id(report);
    let mut out =
        String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(
        out,
        "<title>claimdiff report</title>\n<style>{STYLE}</style>\n</head>\n<body>"
    );
    out.push_str("<h1>claimdiff report</h1>\n");
    let _ = writeln!(
        out,
        "<p class=\"summary\">{}</p>",
        escape(&super::summary_line(&report.summary))
    );
    out.push_str("<h2>Documents</h2>\n<table class=\"documents\">\n");
    out.push_str("<tr><th>Document</th><th>Outlet</th><th>Language</th><th>Date</th></tr>\n");
    for meta in &report.documents {
        let _ = writeln!(
            out,
            "<tr><td class=\"file\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&meta.id),
            escape(meta.outlet.as_deref().unwrap_or("—")),
            escape(&meta.lang),
            meta.date.map_or_else(|| "—".to_string(), |d| d.to_string())
        );
    }
    out.push_str("</table>\n");
    for (kind, findings) in by_kind(report) {
        let _ = writeln!(out, "<h2>{}</h2>", escape(kind_heading(kind)));
        for finding in findings {
            out.push_str(&render_finding(finding, &documents));
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn render_finding(finding: &Finding, documents: &HashMap<&str, &DocumentMeta>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<section class=\"finding kind-{} level-{}\" id=\"f-{}\">",
        finding.kind,
        finding.level,
        escape(&finding.fingerprint)
    );
    let _ = writeln!(out, "<h3>{}</h3>", escape(&finding.topic));
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} {} · rule <code>{}</code> · key <code>{}</code> · <code>{}</code></p>",
        finding.level,
        finding.kind,
        escape(&finding.rule),
        escape(&finding.key),
        escape(&finding.fingerprint)
    );
    if let Some(note) = &finding.note {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(note));
    }
    if finding.kind == FindingKind::Conflict {
        out.push_str(&interval_chart(&finding.values, documents));
    }
    if !finding.matrix.is_empty() {
        out.push_str(&matrix_table(finding, documents));
    }
    if !finding.diff.is_empty() {
        out.push_str("<p class=\"diff\">");
        for piece in &finding.diff {
            let text = escape(&piece.text);
            match piece.op.as_str() {
                "delete" => {
                    let _ = write!(out, "<del>{text}</del>");
                }
                "insert" => {
                    let _ = write!(out, "<ins>{text}</ins>");
                }
                _ => out.push_str(&text),
            }
        }
        out.push_str("</p>\n");
    }
    out.push_str("<table class=\"values\">\n<tr><th>Source</th><th>Value</th><th>Attribution</th><th>Evidence</th></tr>\n");
    for source in &finding.values {
        let evidence = &source.evidence;
        let _ = writeln!(
            out,
            "<tr><td>{}<br><small>{}</small></td><td class=\"value\">{}</td><td>{}</td>\
<td><span class=\"file\">{}:{}:{}</span><br>{}</td></tr>",
            escape(source_name(documents, &source.document)),
            escape(&source_details(documents, &source.document)),
            escape(&source.display),
            escape(&source.attribution),
            escape(&evidence.file),
            evidence.line,
            evidence.column,
            highlighted(source)
        );
    }
    out.push_str("</table>\n</section>\n");
    out
}

fn matrix_table(finding: &Finding, documents: &HashMap<&str, &DocumentMeta>) -> String {
    let columns = finding_documents(finding);
    let mut out = String::from("<table class=\"matrix\">\n<tr><th>Member</th>");
    for id in &columns {
        let _ = write!(out, "<th>{}</th>", escape(source_name(documents, id)));
    }
    out.push_str("</tr>\n");
    for row in &finding.matrix {
        let _ = write!(out, "<tr><td>{}</td>", escape(&row.member));
        for id in &columns {
            let named = row.documents.iter().any(|d| **d == **id);
            out.push_str(if named {
                "<td class=\"named\">✓</td>"
            } else {
                "<td class=\"absent\">—</td>"
            });
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}

/// The evidence sentence, escaped, with the value's bytes in `<mark>`.
fn highlighted(source: &SourceValue) -> String {
    let evidence = &source.evidence;
    let text = &*evidence.text;
    let mut ranges: Vec<(usize, usize)> = source
        .highlights
        .iter()
        .filter_map(|span| {
            let start = span.start.checked_sub(evidence.start)?;
            let end = span.end.checked_sub(evidence.start)?;
            let inside = start < end
                && end <= text.len()
                && text.is_char_boundary(start)
                && text.is_char_boundary(end);
            inside.then_some((start, end))
        })
        .collect();
    ranges.sort_unstable();
    let mut out = String::new();
    let mut at = 0;
    for (start, end) in ranges {
        if start < at {
            continue;
        }
        out.push_str(&escape(&text[at..start]));
        let _ = write!(out, "<mark>{}</mark>", escape(&text[start..end]));
        at = end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

/// An SVG chart of each source's interval on one axis, when every value is a quantity.
fn interval_chart(values: &[SourceValue], documents: &HashMap<&str, &DocumentMeta>) -> String {
    let intervals: Option<Vec<(Option<f64>, Option<f64>)>> = values
        .iter()
        .map(|source| match &source.value {
            Value::Quantity(quantity) => Some((quantity.low, quantity.high)),
            _ => None,
        })
        .collect();
    let Some(intervals) = intervals else {
        return String::new();
    };
    let ends: Vec<f64> = intervals
        .iter()
        .flat_map(|(low, high)| [*low, *high])
        .flatten()
        .filter(|end| end.is_finite())
        .collect();
    let (Some(min), Some(max)) = (
        ends.iter().copied().reduce(f64::min),
        ends.iter().copied().reduce(f64::max),
    ) else {
        return String::new();
    };
    let pad = if max > min {
        (max - min) * 0.1
    } else {
        min.abs().max(1.0) * 0.1
    };
    let (axis_low, axis_high) = (min - pad, max + pad);
    const LEFT: f64 = 170.0;
    const PLOT: f64 = 380.0;
    const ROW: f64 = 26.0;
    let x = |v: f64| LEFT + (v - axis_low) / (axis_high - axis_low) * PLOT;
    let height = ROW * intervals.len() as f64 + 36.0;
    let mut out = format!(
        "<svg class=\"intervals\" xmlns=\"http://www.w3.org/2000/svg\" width=\"680\" \
height=\"{height}\" viewBox=\"0 0 680 {height}\" role=\"img\">\n"
    );
    for (row, (source, (low, high))) in values.iter().zip(&intervals).enumerate() {
        let y = ROW * row as f64 + 16.0;
        let _ = writeln!(
            out,
            "<text x=\"0\" y=\"{}\">{}</text>",
            y + 4.0,
            escape(source_name(documents, &source.document))
        );
        let from = low.map_or(LEFT, x);
        let to = high.map_or(LEFT + PLOT, x);
        if (to - from).abs() < 1.0 {
            let _ = writeln!(
                out,
                "<circle class=\"point\" cx=\"{from:.1}\" cy=\"{y}\" r=\"5\"/>"
            );
        } else {
            let _ = writeln!(
                out,
                "<line class=\"interval\" x1=\"{from:.1}\" y1=\"{y}\" x2=\"{to:.1}\" y2=\"{y}\"/>"
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            LEFT + PLOT + 12.0,
            y + 4.0,
            escape(&source.display)
        );
    }
    let axis_y = height - 14.0;
    let _ = writeln!(
        out,
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{axis_y}\" x2=\"{}\" y2=\"{axis_y}\"/>",
        LEFT + PLOT
    );
    for tick in [min, max] {
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            x(tick),
            height - 2.0,
            escape(&format_tick(tick))
        );
    }
    out.push_str("</svg>\n");
    out
}

/// An axis label: whole numbers without decimals.
fn format_tick(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// Text escaped for HTML and XML content and attribute values. Characters XML 1.0 forbids
/// (control characters other than tab, LF and CR) become U+FFFD, so the same text serves the
/// HTML report and JUnit XML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
