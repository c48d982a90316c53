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
//!
//! A report of a thousand articles is tens of megabytes, most of it findings. A finding is
//! therefore written field by field by a `JsonWriter`, which copies strings that need no
//! escape as they are, and so are quantities and times, whose keys serde_json would escape one
//! by one; the other small typed pieces (documents, matrices, diffs, the summary) go through
//! serde. The layout is serde_json's either way.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::ops::Range;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};

use crate::model::{
    DocumentMeta, Evidence, Finding, FindingKind, Quantity, Report, SourceValue, Summary,
    TimeValue, Value, SCHEMA_VERSION,
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
    write_report(
        report.schema_version,
        &report.documents,
        report.findings.iter().map(Ok),
        |_| report.summary.clone(),
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
    write_report(
        SCHEMA_VERSION,
        documents,
        findings,
        |counts| Summary {
            documents: documents.len(),
            claims,
            findings: counts
                .into_iter()
                .map(|(kind, count)| (kind.to_string(), count))
                .collect(),
        },
        out,
    )
}

/// Writes a report as pretty JSON and a newline: `findings` as they come, then the summary that
/// `summary` makes of the number of findings of each kind written.
fn write_report<F: Borrow<Finding>>(
    schema_version: u32,
    documents: &[DocumentMeta],
    findings: impl Iterator<Item = Result<F, String>>,
    summary: impl FnOnce(BTreeMap<FindingKind, usize>) -> Summary,
    out: &mut dyn Write,
) -> Result<(), String> {
    let mut json = JsonWriter::new(OutputBuffer::new(out), PrettyLayout::default());
    let mut counts = BTreeMap::new();
    json.object(|json| {
        json.member("schema_version", |json| json.number(schema_version.into()))?;
        json.member("documents", |json| json.serde(documents))?;
        json.member("findings", |json| {
            json.array(findings, |json, finding| {
                let finding = finding.map_err(io::Error::other)?;
                let finding = finding.borrow();
                *counts.entry(finding.kind).or_default() += 1;
                write_finding(json, finding)
            })
        })?;
        json.member("summary", |json| json.serde(&summary(counts)))
    })
    .and_then(|()| json.out.write_all(b"\n"))
    .and_then(|()| json.out.flush())
    .map_err(|e| e.to_string())
}

/// A comma, a line break and the spaces of the indentation: [`PrettyLayout`] writes a slice of
/// it before each array element, object key and closing bracket. It holds more than a
/// [`WINDOW`] after its comma, as [`OutputBuffer::copy_window`] needs.
const SEPARATOR: &[u8] =
    b",\n                                                                                ";

// A window from either start of a separator (with or without its comma) lies inside it.
const _: () = assert!(SEPARATOR.len() > WINDOW);

/// The bytes of serde_json's `PrettyFormatter` (two spaces a level), with each line break and
/// its indentation written at once rather than a write per level: a report has millions of
/// lines.
#[derive(Clone, Default)]
struct PrettyLayout {
    /// Open arrays and objects.
    depth: usize,
    /// Whether the innermost open array or object has an element yet.
    has_value: bool,
}

impl PrettyLayout {
    /// The bytes of [`SEPARATOR`] that make a comma when `comma`, then a line break and the
    /// indentation of the current depth; they may run past its end at great depths.
    fn separator(&self, comma: bool) -> Range<usize> {
        usize::from(!comma)..2 + 2 * self.depth
    }

    /// Writes a comma when `comma`, then a line break and the indentation of the current depth.
    fn new_line<W: ?Sized + Write>(&self, writer: &mut W, comma: bool) -> io::Result<()> {
        let separator = self.separator(comma);
        match SEPARATOR.get(separator.clone()) {
            Some(separator) => writer.write_all(separator),
            None => {
                writer.write_all(&SEPARATOR[separator.start..2])?;
                (0..self.depth).try_for_each(|_| writer.write_all(b"  "))
            }
        }
    }

    /// [`PrettyLayout::new_line`] into the report's buffer: a copy of fixed length, up to the
    /// depths a report reaches, when the buffer has room for it. A twin rather than a case of
    /// `new_line`, which serde's [`Formatter`] calls generic over its writer. Inlined: it comes
    /// before every member and element, and the copy is a few instructions.
    #[inline(always)]
    fn new_line_into(&self, out: &mut OutputBuffer, comma: bool) -> io::Result<()> {
        let separator = self.separator(comma);
        if out.copy_window(SEPARATOR, separator.clone()) {
            Ok(())
        } else {
            self.new_line(out, comma)
        }
    }

    /// Opens an array or object with `bracket`.
    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    /// Leaves an array or object; true when it holds anything, and so closes on a line of its
    /// own.
    fn leave(&mut self) -> bool {
        self.depth -= 1;
        self.has_value
    }

    /// Closes an array or object with `bracket`, on a line of its own when it holds anything.
    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        if self.leave() {
            self.new_line(writer, false)?;
        }
        writer.write_all(bracket)
    }
}

impl Formatter for PrettyLayout {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.new_line(writer, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.new_line(writer, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// How a [`JsonWriter`] lays out the objects and arrays it writes itself, into its buffer: the
/// serde_json [`Formatter`] of the same layout, with a faster path where the buffer allows one.
trait Layout: Formatter + Clone {
    /// Starts an array element or an object member, `first` or not.
    fn begin_element(&mut self, out: &mut OutputBuffer, first: bool) -> io::Result<()>;

    /// Ends an array (`]`) or object (`}`).
    fn end_container(&mut self, out: &mut OutputBuffer, bracket: &[u8]) -> io::Result<()>;
}

impl Layout for PrettyLayout {
    #[inline]
    fn begin_element(&mut self, out: &mut OutputBuffer, first: bool) -> io::Result<()> {
        self.new_line_into(out, !first)
    }

    /// [`PrettyLayout::close`] for the report's own buffer: serde's [`Formatter`] methods are
    /// generic over the writer, so they cannot take the buffer's fixed-length copy.
    #[inline]
    fn end_container(&mut self, out: &mut OutputBuffer, bracket: &[u8]) -> io::Result<()> {
        if self.leave() {
            self.new_line_into(out, false)?;
        }
        out.write_all(bracket)
    }
}

impl Layout for CompactFormatter {
    fn begin_element(&mut self, out: &mut OutputBuffer, first: bool) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            out.write_all(b",")
        }
    }

    fn end_container(&mut self, out: &mut OutputBuffer, bracket: &[u8]) -> io::Result<()> {
        out.write_all(bracket)
    }
}

/// Bytes [`OutputBuffer::copy_window`] copies at once.
const WINDOW: usize = 64;

/// Bytes an [`OutputBuffer`] gathers before passing them on.
const OUTPUT_BUFFER: usize = 1 << 16;

/// A buffer in front of `sink`: a report is written in many small pieces, and a buffer of a
/// known type takes each without a call through `dyn Write`. Unlike a `BufWriter`, it can copy
/// a whole [`WINDOW`] and keep only the first bytes: a line break and its indentation, of a
/// length computed as it is written, are then a copy of fixed length (a few vector moves)
/// rather than a call to `memcpy`. Whatever is left is passed on when it is dropped.
struct OutputBuffer<'a> {
    /// Its bytes: those filled, then room; [`OUTPUT_BUFFER`] and a [`WINDOW`] more in all.
    /// [`Write::write_all`] may fill it to the end; [`OutputBuffer::copy_window`] copies only
    /// while a whole window fits.
    bytes: Vec<u8>,
    filled: usize,
    sink: &'a mut dyn Write,
}

impl<'a> OutputBuffer<'a> {
    /// An empty buffer in front of `sink`.
    fn new(sink: &'a mut dyn Write) -> Self {
        OutputBuffer {
            bytes: vec![0; OUTPUT_BUFFER + WINDOW],
            filled: 0,
            sink,
        }
    }

    /// Writes `source[range]`, followed in `source` by the rest of a window, when it is at most
    /// a [`WINDOW`] long and the buffer has room for a window: the window is copied, and the
    /// bytes past the range are written over next. False, writing nothing, otherwise.
    #[inline(always)]
    fn copy_window(&mut self, source: &[u8], range: Range<usize>) -> bool {
        if range.len() > WINDOW {
            return false;
        }
        let Some(room) = self.bytes.get_mut(self.filled..self.filled + WINDOW) else {
            return false;
        };
        room.copy_from_slice(&source[range.start..range.start + WINDOW]);
        self.filled += range.len();
        true
    }

    /// Passes the filled bytes on to the sink.
    #[cold]
    fn pass_on(&mut self) -> io::Result<()> {
        match std::mem::take(&mut self.filled) {
            0 => Ok(()),
            filled => self.sink.write_all(&self.bytes[..filled]),
        }
    }

    /// [`Write::write_all`] when `bytes` do not fit: passes the buffer on, then takes `bytes`,
    /// or passes them on too when they would fill it.
    #[cold]
    fn write_all_cold(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.pass_on()?;
        if bytes.len() >= OUTPUT_BUFFER {
            return self.sink.write_all(bytes);
        }
        self.bytes[..bytes.len()].copy_from_slice(bytes);
        self.filled = bytes.len();
        Ok(())
    }
}

impl Write for OutputBuffer<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.write_all(bytes).map(|()| bytes.len())
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self.bytes.get_mut(self.filled..self.filled + bytes.len()) {
            Some(room) => {
                room.copy_from_slice(bytes);
                self.filled += bytes.len();
                Ok(())
            }
            None => self.write_all_cold(bytes),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.pass_on()?;
        self.sink.flush()
    }
}

impl Drop for OutputBuffer<'_> {
    fn drop(&mut self) {
        // As a `BufWriter` does; an error here has nowhere to go.
        let _ = self.pass_on();
    }
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
    let mut json = JsonWriter::new(OutputBuffer::new(out), CompactFormatter);
    for finding in findings {
        let finding = finding?;
        write_finding(&mut json, finding.borrow())
            .and_then(|()| json.out.write_all(b"\n"))
            .map_err(|e| e.to_string())?;
    }
    json.out.flush().map_err(|e| e.to_string())
}

/// Writes JSON piece by piece in the layout of a serde_json [`Formatter`]: the same bytes as
/// serde_json gives for the same values.
struct JsonWriter<'a, F> {
    out: OutputBuffer<'a>,
    formatter: F,
    /// Whether the innermost open object or array has no member yet.
    first: bool,
}

impl<'a, F: Layout> JsonWriter<'a, F> {
    /// A writer to `out` in the layout of `formatter`.
    fn new(out: OutputBuffer<'a>, formatter: F) -> Self {
        JsonWriter {
            out,
            formatter,
            first: true,
        }
    }

    /// Writes an object whose members `members` writes with [`JsonWriter::member`].
    fn object(&mut self, members: impl FnOnce(&mut Self) -> io::Result<()>) -> io::Result<()> {
        self.formatter.begin_object(&mut self.out)?;
        self.first = true;
        members(self)?;
        self.first = false;
        self.formatter.end_container(&mut self.out, b"}")
    }

    /// Writes the member `key`, a name with nothing to escape, of the open object, its value
    /// written by `value`.
    fn member(
        &mut self,
        key: &'static str,
        value: impl FnOnce(&mut Self) -> io::Result<()>,
    ) -> io::Result<()> {
        debug_assert!(!needs_escape(key), "{key:?}");
        self.formatter.begin_element(&mut self.out, self.first)?;
        self.unescaped_string(key)?;
        self.formatter.end_object_key(&mut self.out)?;
        self.formatter.begin_object_value(&mut self.out)?;
        value(self)?;
        self.first = false;
        self.formatter.end_object_value(&mut self.out)
    }

    /// Writes an array of `items`, each written by `element`.
    fn array<T>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        mut element: impl FnMut(&mut Self, T) -> io::Result<()>,
    ) -> io::Result<()> {
        self.formatter.begin_array(&mut self.out)?;
        self.first = true;
        for item in items {
            self.formatter.begin_element(&mut self.out, self.first)?;
            element(self, item)?;
            self.first = false;
            self.formatter.end_array_value(&mut self.out)?;
        }
        self.first = false;
        self.formatter.end_container(&mut self.out, b"]")
    }

    /// Writes a string. One with nothing to escape, as almost all are, is copied as it is; any
    /// other goes through serde_json's escaping.
    fn string(&mut self, text: &str) -> io::Result<()> {
        if needs_escape(text) {
            return self.serde(text);
        }
        self.unescaped_string(text)
    }

    /// Writes a string with nothing to escape.
    fn unescaped_string(&mut self, text: &str) -> io::Result<()> {
        self.formatter.begin_string(&mut self.out)?;
        self.formatter.write_string_fragment(&mut self.out, text)?;
        self.formatter.end_string(&mut self.out)
    }

    /// Writes a whole number.
    fn number(&mut self, number: u64) -> io::Result<()> {
        self.formatter.write_u64(&mut self.out, number)
    }

    /// Writes `true` or `false`.
    fn bool(&mut self, value: bool) -> io::Result<()> {
        self.formatter.write_bool(&mut self.out, value)
    }

    /// Writes `null`.
    fn null(&mut self) -> io::Result<()> {
        self.formatter.write_null(&mut self.out)
    }

    /// Writes `value` as serde_json serializes it, at the current depth of the layout.
    fn serde(&mut self, value: &(impl Serialize + ?Sized)) -> io::Result<()> {
        let mut serializer =
            serde_json::Serializer::with_formatter(&mut self.out, self.formatter.clone());
        value.serialize(&mut serializer).map_err(io::Error::from)
    }
}

/// Bytes [`needs_escape`] looks at together.
const LANES: usize = 16;

/// True when `text` holds a byte a JSON string must escape: a quote, a backslash or a control
/// character. Looks at [`LANES`] bytes at a time, which the compiler turns into vector
/// instructions; the last lanes overlap the ones before rather than being looked at one by one.
fn needs_escape(text: &str) -> bool {
    let escaped = |byte: u8| (byte < 0x20) | (byte == b'"') | (byte == b'\\');
    let any_escaped = |lanes: &[u8; LANES]| {
        lanes
            .iter()
            .fold(false, |found, &byte| found | escaped(byte))
    };
    let bytes = text.as_bytes();
    let Some(last) = bytes.last_chunk::<LANES>() else {
        return bytes.iter().any(|&byte| escaped(byte));
    };
    bytes.as_chunks::<LANES>().0.iter().any(any_escaped) || any_escaped(last)
}

/// Writes a finding: the model's fields, values in their plain form.
fn write_finding<F: Layout>(json: &mut JsonWriter<F>, finding: &Finding) -> io::Result<()> {
    json.object(|json| {
        json.member("kind", |json| json.serde(&finding.kind))?;
        json.member("level", |json| json.serde(&finding.level))?;
        json.member("topic", |json| json.string(&finding.topic))?;
        json.member("rule", |json| json.string(&finding.rule))?;
        json.member("key", |json| json.string(&finding.key))?;
        json.member("fingerprint", |json| json.string(&finding.fingerprint))?;
        json.member("values", |json| {
            json.array(&finding.values, |json, source| write_source(json, source))
        })?;
        if !finding.matrix.is_empty() {
            json.member("matrix", |json| json.serde(&finding.matrix))?;
        }
        if !finding.diff.is_empty() {
            json.member("diff", |json| json.serde(&finding.diff))?;
        }
        match &finding.note {
            Some(note) => json.member("note", |json| json.string(note)),
            None => Ok(()),
        }
    })
}

/// Writes one source's value of a finding.
fn write_source<F: Layout>(json: &mut JsonWriter<F>, source: &SourceValue) -> io::Result<()> {
    json.object(|json| {
        json.member("document", |json| json.string(&source.document))?;
        json.member("value", |json| write_plain_value(json, &source.value))?;
        json.member("display", |json| json.string(&source.display))?;
        json.member("attribution", |json| json.string(&source.attribution))?;
        json.member("evidence", |json| write_evidence(json, &source.evidence))?;
        if source.highlights.is_empty() {
            return Ok(());
        }
        json.member("highlights", |json| {
            json.array(&source.highlights, |json, span| {
                json.object(|json| {
                    json.member("start", |json| json.number(span.start as u64))?;
                    json.member("end", |json| json.number(span.end as u64))
                })
            })
        })
    })
}

/// Writes a value without its type tag: quantities and times as objects, entities as names,
/// quotes as text.
fn write_plain_value<F: Layout>(json: &mut JsonWriter<F>, value: &Value) -> io::Result<()> {
    match value {
        Value::Quantity(quantity) => write_quantity(json, quantity),
        Value::Time(time) => write_time(json, time),
        Value::Entity(entity) => json.string(&entity.name),
        Value::Entities(entities) => json.array(entities, |json, entity| json.string(&entity.name)),
        Value::Text(text) => json.string(text),
    }
}

/// Writes a quantity member by member: the bytes of its `Serialize`, without serde_json
/// escaping each of its keys. Only the leaves go through serde.
fn write_quantity<F: Layout>(json: &mut JsonWriter<F>, quantity: &Quantity) -> io::Result<()> {
    json.object(|json| {
        json.member("low", |json| json.serde(&quantity.low))?;
        json.member("high", |json| json.serde(&quantity.high))?;
        json.member("low_inclusive", |json| json.bool(quantity.low_inclusive))?;
        json.member("high_inclusive", |json| json.bool(quantity.high_inclusive))?;
        json.member("approximate", |json| json.bool(quantity.approximate))?;
        json.member("vague", |json| json.bool(quantity.vague))?;
        json.member("unit", |json| match &quantity.unit {
            Some(unit) => json.string(unit),
            None => json.null(),
        })?;
        if quantity.tolerance == 0.0 {
            return Ok(());
        }
        json.member("tolerance", |json| json.serde(&quantity.tolerance))
    })
}

/// Writes a time member by member: the bytes of its `Serialize`, without serde_json escaping
/// each of its keys. Only the leaves go through serde.
fn write_time<F: Layout>(json: &mut JsonWriter<F>, time: &TimeValue) -> io::Result<()> {
    json.object(|json| {
        json.member("start", |json| json.serde(&time.start))?;
        json.member("end", |json| json.serde(&time.end))?;
        json.member("grain", |json| json.serde(&time.grain))?;
        if !time.candidates.is_empty() {
            json.member("candidates", |json| json.serde(&time.candidates))?;
        }
        json.member("guessed", |json| json.bool(time.guessed))?;
        let parts = [
            ("month", time.month),
            ("day", time.day),
            ("weekday", time.weekday),
        ];
        for (key, part) in parts
            .into_iter()
            .filter_map(|(key, part)| Some((key, part?)))
        {
            json.member(key, |json| json.serde(&part))?;
        }
        match &time.clock {
            Some(clock) => json.member("clock", |json| json.serde(clock)),
            None => Ok(()),
        }
    })
}

/// Writes the evidence of a value.
fn write_evidence<F: Layout>(json: &mut JsonWriter<F>, evidence: &Evidence) -> io::Result<()> {
    json.object(|json| {
        json.member("file", |json| json.string(&evidence.file))?;
        json.member("line", |json| json.number(evidence.line.into()))?;
        json.member("column", |json| json.number(evidence.column.into()))?;
        json.member("start", |json| json.number(evidence.start as u64))?;
        json.member("end", |json| json.number(evidence.end as u64))?;
        json.member("text", |json| json.string(&evidence.text))
    })
}

#[cfg(test)]
mod tests {
    use super::{
        write_finding, write_quantity, write_time, JsonWriter, Layout, OutputBuffer, PrettyLayout,
    };
    use crate::model::{
        DiffPiece, Evidence, Finding, FindingKind, Level, MatrixRow, Quantity, SourceValue, Span,
        TimeValue, Value,
    };
    use crate::normalize::time::Grain;
    use serde_json::json;
    use serde_json::ser::CompactFormatter;
    use std::io::Write;

    /// What `write` writes through a [`JsonWriter`] in `layout`.
    fn written<F: Layout>(
        layout: F,
        write: impl FnOnce(&mut JsonWriter<F>) -> std::io::Result<()>,
    ) -> String {
        let mut bytes = Vec::new();
        let mut json = JsonWriter::new(OutputBuffer::new(&mut bytes), layout);
        write(&mut json).unwrap();
        json.out.flush().unwrap();
        drop(json);
        String::from_utf8(bytes).unwrap()
    }

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
            assert_eq!(
                written(PrettyLayout::default(), |json| json.serde(&value)),
                serde_json::to_string_pretty(&value).unwrap(),
                "depth {depth}"
            );
        }
    }

    /// Writes the shape of [`nested`] around the string `leaf` with the writer's own arrays and
    /// objects.
    fn write_nested<F: Layout>(json: &mut JsonWriter<F>, depth: usize) -> std::io::Result<()> {
        let Some(level) = depth.checked_sub(1) else {
            return json.string("leaf");
        };
        let empty: [u8; 0] = [];
        if level % 2 == 0 {
            json.array([true, false, false], |json, inner| match inner {
                true => write_nested(json, level),
                false => json.array(empty, |_, _| Ok(())),
            })
        } else {
            // In the order of the keys, as serde_json keeps an object's members.
            json.object(|json| {
                json.member("empty", |json| json.array(empty, |_, _| Ok(())))?;
                json.member("key", |json| write_nested(json, level))?;
                json.member("n", |json| json.number(level as u64))
            })
        }
    }

    #[test]
    fn the_writers_arrays_and_objects_have_the_bytes_of_serde_json() {
        // Past 31 levels, the indentation no longer fits a window of the buffer.
        for depth in [0, 1, 2, 3, 30, 31, 32, 33, 60] {
            let value = (0..depth).fold(json!("leaf"), |inner, level| {
                if level % 2 == 0 {
                    json!([inner, [], []])
                } else {
                    json!({ "key": inner, "empty": [], "n": level })
                }
            });
            assert_eq!(
                written(PrettyLayout::default(), |json| write_nested(json, depth)),
                serde_json::to_string_pretty(&value).unwrap(),
                "depth {depth}"
            );
            assert_eq!(
                written(CompactFormatter, |json| write_nested(json, depth)),
                serde_json::to_string(&value).unwrap(),
                "depth {depth}"
            );
        }
    }

    #[test]
    fn the_buffer_passes_on_what_outgrows_it() {
        // Many small pieces and some larger than the buffer, so that it fills mid-window.
        let texts: Vec<String> = (0..30_000)
            .map(|index| match index % 10_000 {
                0 => "long ".repeat(20_000),
                _ => "x".repeat(index % 7),
            })
            .collect();
        assert_eq!(
            written(PrettyLayout::default(), |json| json
                .array(&texts, |json, text| json.string(text))),
            serde_json::to_string_pretty(&texts).unwrap()
        );
    }

    /// A sink that takes `writes` writes, keeping their bytes, then fails every write.
    struct FailingSink {
        taken: Vec<u8>,
        writes: usize,
    }

    impl Write for FailingSink {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.writes = self
                .writes
                .checked_sub(1)
                .ok_or_else(|| std::io::Error::other("the sink fails"))?;
            self.taken.extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failing_sink_keeps_the_bytes_passed_before_and_none_twice() {
        for writes in [0, 1, 2] {
            let mut sink = FailingSink {
                taken: Vec::new(),
                writes,
            };
            let mut given = Vec::new();
            let mut buffer = OutputBuffer::new(&mut sink);
            // Pieces of distinct bytes, a line break among them, until the sink fails.
            let failed = (0..100_000u32).find_map(|index| {
                let piece = format!("{index},");
                let written = match index % 3 {
                    0 => buffer.write_all(piece.as_bytes()),
                    _ => PrettyLayout::default().new_line_into(&mut buffer, true),
                };
                match written {
                    Ok(()) if index % 3 == 0 => given.extend_from_slice(piece.as_bytes()),
                    Ok(()) => given.extend_from_slice(b",\n"),
                    Err(error) => return Some(error),
                }
                None
            });
            assert!(failed.is_some(), "{writes} writes");
            drop(buffer);
            assert_eq!(sink.writes, 0);
            assert!(sink.taken.len() >= writes * super::OUTPUT_BUFFER / 2);
            assert!(given.starts_with(&sink.taken), "{writes} writes");
        }
    }

    #[test]
    fn an_error_of_the_findings_leaves_what_came_before_in_the_sink() {
        let mut whole = Vec::new();
        let findings = [Ok(full_finding()), Ok(full_finding())];
        super::write_streamed(&[], 2, findings.into_iter(), &mut whole).unwrap();
        let mut cut = Vec::new();
        let findings = [Ok(full_finding()), Err("no more".to_string())];
        let result = super::write_streamed(&[], 2, findings.into_iter(), &mut cut);
        assert_eq!(result, Err("no more".to_string()));
        // The first finding whole, once, and nothing of the second but its separator.
        let first = String::from_utf8(cut.clone()).unwrap();
        assert_eq!(first.matches("\"fingerprint\"").count(), 1, "{first}");
        assert!(first.trim_end().ends_with("},"), "{first}");
        assert!(whole.starts_with(&cut));
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let texts = [
            "plain ascii, long enough to fill a chunk or two",
            "“curly” quotes and é",
            "a \"quoted\" word at the end of a long enough line \"",
            "tab\tnew line\ncarriage\rbell\u{7}back\\slash",
            "",
            "\u{1f}",
        ];
        for text in texts {
            assert_eq!(
                written(PrettyLayout::default(), |json| json
                    .array([text, text], |json, text| json.string(text))),
                serde_json::to_string_pretty(&[text, text]).unwrap(),
                "{text:?}"
            );
        }
    }

    /// Writes `values` as an array with `write`, pretty and compact, and checks the bytes
    /// against serde_json's.
    fn assert_written_as_serde<T: serde::Serialize>(
        values: &[T],
        write: impl Fn(&mut JsonWriter<PrettyLayout>, &T) -> std::io::Result<()>,
        write_compact: impl Fn(&mut JsonWriter<CompactFormatter>, &T) -> std::io::Result<()>,
    ) {
        assert_eq!(
            written(PrettyLayout::default(), |json| json
                .array(values, |json, value| write(json, value))),
            serde_json::to_string_pretty(values).unwrap()
        );
        assert_eq!(
            written(CompactFormatter, |json| json
                .array(values, |json, value| write_compact(json, value))),
            serde_json::to_string(values).unwrap()
        );
    }

    #[test]
    fn quantities_are_written_as_serde_json_writes_them() {
        let quantities = [
            Quantity::default(),
            Quantity {
                low: Some(600.0),
                high: Some(800.5),
                low_inclusive: true,
                high_inclusive: true,
                approximate: true,
                vague: false,
                unit: Some("EUR \"m\"".to_string()),
                tolerance: 0.1,
            },
            Quantity {
                low: Some(f64::NAN),
                high: None,
                vague: true,
                unit: Some("km".to_string()),
                ..Quantity::default()
            },
        ];
        assert_written_as_serde(&quantities, write_quantity, write_quantity);
    }

    #[test]
    fn times_are_written_as_serde_json_writes_them() {
        let start = jiff::civil::date(2024, 1, 24).at(0, 0, 0, 0);
        let times = [
            TimeValue::default(),
            TimeValue {
                start: Some(start),
                end: Some(start.tomorrow().unwrap()),
                grain: Grain::Minute,
                candidates: vec![start, start],
                guessed: true,
                ..TimeValue::default()
            },
            TimeValue {
                month: Some(3),
                day: Some(12),
                weekday: Some(7),
                clock: Some(jiff::civil::time(14, 30, 0, 0)),
                ..TimeValue::default()
            },
        ];
        assert_written_as_serde(&times, write_time, write_time);
    }

    /// A finding with every optional part filled, so that each of its fields is written.
    fn full_finding() -> Finding {
        let source = |document: &str| SourceValue {
            document: document.into(),
            value: Value::Text("“Now,” he said".to_string()),
            display: "600–800".to_string(),
            attribution: "according to Vos".to_string(),
            evidence: Evidence {
                file: document.into(),
                line: 3,
                column: 7,
                start: 40,
                end: 90,
                text: "He said \"now\".".into(),
            },
            highlights: vec![Span::new(41, 44)],
        };
        Finding {
            kind: FindingKind::SetDifference,
            level: Level::Warning,
            topic: "backers of a side".to_string(),
            rule: "relations.backers".to_string(),
            key: "backers/side".to_string(),
            fingerprint: "0123abcd".to_string(),
            values: vec![source("a.txt"), source("b.txt")],
            matrix: vec![MatrixRow {
                member: "Northland".to_string(),
                documents: vec!["a.txt".into()],
            }],
            diff: vec![DiffPiece {
                op: "delete".to_string(),
                text: "now".to_string(),
            }],
            note: Some("compatible, less precise".to_string()),
        }
    }

    #[test]
    fn findings_are_written_with_every_field_serde_writes() {
        // The writer lists the model's fields by hand; this holds it to the derived
        // serialization, so that a field added to the model cannot go missing from reports.
        // Only a value's form differs on purpose: written plain, not with its type tag.
        let finding = full_finding();
        let ours = written(PrettyLayout::default(), |json| {
            write_finding(json, &finding)
        });
        let ours: serde_json::Value = serde_json::from_str(&ours).unwrap();
        let mut derived = serde_json::to_value(&finding).unwrap();
        for (index, source) in derived["values"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .enumerate()
        {
            assert_ne!(source["value"], ours["values"][index]["value"]);
            source["value"] = ours["values"][index]["value"].clone();
        }
        assert_eq!(ours["values"][0]["value"], json!("“Now,” he said"));
        assert_eq!(ours, derived);
    }
}
