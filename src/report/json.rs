//! The JSON and JSON Lines reports.
//!
//! `--format json` writes one document:
//!
//! ```text
//! {"schema_version": 1,
//!  "documents": [{"id","lang","lang_source","date","outlet"?,"url"?,"story"}],
//!  "findings": [FINDING, …],
//!  "summary": {"documents": N, "claims": N, "findings": {"<kind>": N, …}}}
//! ```
//!
//! `--format jsonl` writes one `FINDING` a line, in the same order. A `FINDING` is
//!
//! ```text
//! {"kind": "conflict|evolving|set_difference|quote_difference|spelling_variant|agreement|single_source",
//!  "level": "error|warning|info", "topic", "rule", "key", "fingerprint",
//!  "values": [{"document", "value", "display", "attribution",
//!              "evidence": {"file","line","column","start","end","text"},
//!              "highlights"?: [{"start","end"}]}],
//!  "matrix"?: [{"member", "documents": [id, …]}],
//!  "diff"?: [{"op": "equal|delete|insert", "text"}],
//!  "note"?: "…"}
//! ```
//!
//! A `value` is plain: a quantity `{"low","high","low_inclusive","high_inclusive","approximate",
//! "vague","unit"}`, a time `{"start","end","grain",…}`, an entity its canonical name, a set of
//! entities the list of their canonical names, a quote its text. `highlights` are byte spans of
//! the file.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write;

use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};

use crate::model::{
    DiffPiece, DocumentMeta, Evidence, Finding, FindingKind, Level, MatrixRow, Report, Span,
    Summary, Value, SCHEMA_VERSION,
};

/// The whole report as one JSON document, ending with a newline.
pub fn render(report: &Report) -> Result<String, String> {
    let mut bytes = Vec::new();
    write(report, &mut bytes)?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// Writes the whole report as one JSON document, ending with a newline, without building it in
/// memory first.
pub fn write(report: &Report, out: &mut dyn Write) -> Result<(), String> {
    write_view(
        &ReportView {
            schema_version: report.schema_version,
            documents: &report.documents,
            findings: FindingViews(&report.findings),
            summary: &report.summary,
        },
        out,
    )
}

/// Writes the report of `documents`, sorted by id, `claims` and `findings` as one JSON
/// document, taking each finding from the iterator as it is written and counting it for the
/// summary: the bytes of [`write()`] without holding the findings. Stops at the first error of
/// `findings`.
pub fn write_streamed(
    documents: &[DocumentMeta],
    claims: usize,
    findings: impl Iterator<Item = Result<Finding, String>>,
    out: &mut dyn Write,
) -> Result<(), String> {
    let counts = RefCell::new(BTreeMap::new());
    let view = ReportView {
        schema_version: SCHEMA_VERSION,
        documents,
        findings: StreamedFindings {
            findings: RefCell::new(findings),
            counts: &counts,
        },
        summary: CountedSummary {
            documents: documents.len(),
            claims,
            counts: &counts,
        },
    };
    write_view(&view, out)
}

/// Writes a report view as pretty JSON and a newline.
fn write_view(view: &impl Serialize, out: &mut dyn Write) -> Result<(), String> {
    let mut out = local_buffer(out);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, PrettyLayout::default());
    view.serialize(&mut serializer).map_err(|e| e.to_string())?;
    out.write_all(b"\n").map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())
}

/// A comma, a line break and the spaces of the indentation: [`PrettyLayout`] writes a slice of
/// it before each array element, object key and closing bracket.
const SEPARATOR: &[u8] =
    b",\n                                                                                ";

/// The bytes of serde_json's `PrettyFormatter` (two spaces a level), with each line break and
/// its indentation written at once rather than a write per level: a report has millions of
/// lines.
#[derive(Default)]
struct PrettyLayout {
    /// Open arrays and objects.
    depth: usize,
    /// Whether the innermost open array or object has an element yet.
    has_value: bool,
}

impl PrettyLayout {
    /// Writes a comma when `comma`, then a line break and the indentation of the current depth.
    fn new_line<W: ?Sized + Write>(&self, writer: &mut W, comma: bool) -> std::io::Result<()> {
        let start = usize::from(!comma);
        let end = 2 + 2 * self.depth;
        match SEPARATOR.get(start..end) {
            Some(separator) => writer.write_all(separator),
            None => {
                writer.write_all(&SEPARATOR[start..2])?;
                (0..self.depth).try_for_each(|_| writer.write_all(b"  "))
            }
        }
    }

    /// Opens an array or object with `bracket`.
    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    /// Closes an array or object with `bracket`, on a line of its own when it holds anything.
    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(writer, false)?;
        }
        writer.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for PrettyLayout {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.new_line(writer, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.new_line(writer, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// A buffer in front of `out`: serde_json writes many small pieces, and a buffer of a known
/// type takes each without a call through `dyn Write`.
fn local_buffer(out: &mut dyn Write) -> std::io::BufWriter<&mut dyn Write> {
    std::io::BufWriter::with_capacity(1 << 16, out)
}

/// One finding a line.
pub fn render_lines(report: &Report) -> Result<String, String> {
    let mut bytes = Vec::new();
    write_lines(report, &mut bytes)?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// Writes one finding a line.
pub fn write_lines(report: &Report, out: &mut dyn Write) -> Result<(), String> {
    write_lines_streamed(report.findings.iter().map(Ok), out)
}

/// Writes one finding a line, taking each from the iterator as it is written. Stops at the
/// first error of `findings`.
pub fn write_lines_streamed<F: Borrow<Finding>>(
    findings: impl Iterator<Item = Result<F, String>>,
    out: &mut dyn Write,
) -> Result<(), String> {
    let mut out = local_buffer(out);
    for finding in findings {
        let finding = finding?;
        serde_json::to_writer(&mut out, &FindingView::new(finding.borrow()))
            .map_err(|e| e.to_string())?;
        out.write_all(b"\n").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}

#[derive(Serialize)]
struct ReportView<'a, F, S> {
    schema_version: u32,
    documents: &'a [DocumentMeta],
    findings: F,
    summary: S,
}

/// The findings, each turned into its view only as it is written: a report of a million
/// findings needs no second copy of them.
struct FindingViews<'a>(&'a [Finding]);

impl Serialize for FindingViews<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(FindingView::new))
    }
}

/// Findings taken from an iterator as they are written, each counted by kind.
struct StreamedFindings<'a, I> {
    findings: RefCell<I>,
    counts: &'a RefCell<BTreeMap<String, usize>>,
}

impl<I: Iterator<Item = Result<Finding, String>>> Serialize for StreamedFindings<'_, I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut sequence = serializer.serialize_seq(None)?;
        for finding in &mut *self.findings.borrow_mut() {
            let finding = finding.map_err(serde::ser::Error::custom)?;
            *self
                .counts
                .borrow_mut()
                .entry(finding.kind.to_string())
                .or_default() += 1;
            sequence.serialize_element(&FindingView::new(&finding))?;
        }
        sequence.end()
    }
}

/// The summary of a streamed report, from the counts its findings left when they were written.
struct CountedSummary<'a> {
    documents: usize,
    claims: usize,
    counts: &'a RefCell<BTreeMap<String, usize>>,
}

impl Serialize for CountedSummary<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Summary {
            documents: self.documents,
            claims: self.claims,
            findings: self.counts.borrow().clone(),
        }
        .serialize(serializer)
    }
}

/// A finding as the reports write it: the model's fields, values in their plain form.
#[derive(Serialize)]
struct FindingView<'a> {
    kind: FindingKind,
    level: Level,
    topic: &'a str,
    rule: &'a str,
    key: &'a str,
    fingerprint: &'a str,
    values: Vec<SourceView<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    matrix: &'a [MatrixRow],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    diff: &'a [DiffPiece],
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

impl<'a> FindingView<'a> {
    fn new(finding: &'a Finding) -> Self {
        FindingView {
            kind: finding.kind,
            level: finding.level,
            topic: &finding.topic,
            rule: &finding.rule,
            key: &finding.key,
            fingerprint: &finding.fingerprint,
            values: finding
                .values
                .iter()
                .map(|source| SourceView {
                    document: &source.document,
                    value: PlainValue(&source.value),
                    display: &source.display,
                    attribution: &source.attribution,
                    evidence: &source.evidence,
                    highlights: &source.highlights,
                })
                .collect(),
            matrix: &finding.matrix,
            diff: &finding.diff,
            note: finding.note.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct SourceView<'a> {
    document: &'a str,
    value: PlainValue<'a>,
    display: &'a str,
    attribution: &'a str,
    evidence: &'a Evidence,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    highlights: &'a [Span],
}

/// A value without its type tag: quantities and times as objects, entities as names, quotes as
/// text.
struct PlainValue<'a>(&'a Value);

impl Serialize for PlainValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Quantity(quantity) => quantity.serialize(serializer),
            Value::Time(time) => time.serialize(serializer),
            Value::Entity(entity) => serializer.serialize_str(&entity.name),
            Value::Entities(entities) => {
                serializer.collect_seq(entities.iter().map(|entity| &entity.name))
            }
            Value::Text(text) => serializer.serialize_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::write_view;
    use serde_json::json;

    /// Nests `value` `depth` times in arrays and objects by turns.
    fn nested(depth: usize, value: serde_json::Value) -> serde_json::Value {
        (0..depth).fold(value, |inner, level| {
            if level % 2 == 0 {
                json!([inner, {}, []])
            } else {
                json!({ "key": inner, "empty": [], "n": level })
            }
        })
    }

    #[test]
    fn pretty_layout_writes_the_bytes_of_serde_json_pretty() {
        // 60 levels go past the indentation the layout writes at once.
        for depth in [0, 1, 3, 60] {
            let value = nested(
                depth,
                json!({ "text": "a \"b\"\n", "list": [1, 2.5, null] }),
            );
            let mut ours = Vec::new();
            write_view(&value, &mut ours).unwrap();
            let mut expected = serde_json::to_vec_pretty(&value).unwrap();
            expected.push(b'\n');
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(expected).unwrap(),
                "depth {depth}"
            );
        }
    }
}
