//! Plain data passed between the stages: `Document → Sentence → Claim → Finding`.
//!
//! Every type here is plain data: no stage reaches back into another through these values.
//! Every stage keeps byte spans into the original file, so any claim or finding can be shown as
//! `file:line:column`.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use crate::normalize::number::Quantity;
pub use crate::normalize::time::TimeValue;

/// A byte range `[start, end)` into a document's original file.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Span {
    /// First byte, inclusive.
    pub start: usize,
    /// Last byte, exclusive.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// A publication date with its precision kept: a month-only date is not a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PubDate {
    /// Calendar year.
    pub year: i16,
    /// Month, 1–12.
    pub month: i8,
    /// Day of month, when the source gives it.
    pub day: Option<i8>,
}

impl PubDate {
    /// The exact day, when the date has day precision.
    pub fn civil_day(&self) -> Option<jiff::civil::Date> {
        self.day
            .and_then(|day| jiff::civil::Date::new(self.year, self.month, day).ok())
    }
}

impl fmt::Display for PubDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.day {
            Some(day) => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, day),
            None => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

impl FromStr for PubDate {
    type Err = String;

    /// Parses `YYYY-MM-DD` or `YYYY-MM`, rejecting impossible dates such as `2020-13-45`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = text.split('-').collect();
        let number = |part: &str, width: usize| -> Option<i64> {
            (part.len() == width && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse().ok())
                .flatten()
        };
        let bad = || format!("malformed date `{text}`: expected YYYY-MM-DD or YYYY-MM");
        let (year, month) = match parts.as_slice() {
            [y, m] | [y, m, _] => (number(y, 4).ok_or_else(bad)?, number(m, 2).ok_or_else(bad)?),
            _ => return Err(bad()),
        };
        let day = match parts.as_slice() {
            [_, _, d] => Some(number(d, 2).ok_or_else(bad)?),
            _ => None,
        };
        let check_day = day.unwrap_or(1);
        jiff::civil::Date::new(year as i16, month as i8, check_day as i8)
            .map_err(|_| format!("impossible date `{text}`"))?;
        Ok(PubDate {
            year: year as i16,
            month: month as i8,
            day: day.map(|d| d as i8),
        })
    }
}

impl Serialize for PubDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PubDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Where a document's language came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LangSource {
    /// Set per file in `claimdiff.yaml`.
    Manifest,
    /// Given on the command line.
    Option,
    /// Detected from the text.
    Detected,
}

/// A document id, shared by every claim, finding and piece of evidence of the document: a
/// large corpus holds millions of references to a few thousand ids.
pub type DocId = Arc<str>;

/// What is known about a document, without its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// Stable identifier: the path as given on the command line, with `/` separators.
    pub id: DocId,
    /// Language code (`en`, `nl`, `nb`, …).
    pub lang: String,
    /// Where the language came from.
    pub lang_source: LangSource,
    /// Publication date, with its precision.
    pub date: Option<PubDate>,
    /// Outlet name, from the manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// URL, from the manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The story this document belongs to (see `--stories`).
    #[serde(default)]
    pub story: String,
}

/// A document read from the corpus: its metadata and its original text.
#[derive(Clone, Debug)]
pub struct Document {
    /// Metadata.
    pub meta: DocumentMeta,
    /// The whole file, as read. Spans index into this text.
    pub text: String,
    /// The article body: the text after a byte-order mark and date header.
    pub body: Span,
    /// Line starts, for `line:column` positions.
    pub lines: LineIndex,
}

impl Document {
    /// A document whose body is the whole of `text`, with its line index: for code that builds
    /// documents without the corpus reader (benchmarks, tests, fuzzing).
    pub fn whole_text(meta: DocumentMeta, text: String) -> Self {
        Document {
            meta,
            body: Span::new(0, text.len()),
            lines: LineIndex::new(&text),
            text,
        }
    }
}

impl DocumentMeta {
    /// Metadata of document `id` in language `lang` (given, not detected), dated `date`, with no
    /// outlet, URL or story.
    pub fn given(id: &str, lang: &str, date: Option<PubDate>) -> Self {
        DocumentMeta {
            id: id.into(),
            lang: lang.to_string(),
            lang_source: LangSource::Option,
            date,
            outlet: None,
            url: None,
            story: String::new(),
        }
    }
}

/// Byte offsets of line starts in a text, to turn byte offsets into `line:column`.
///
/// Lines end at `\n`, `\r\n` or a lone `\r`. Columns count Unicode scalar values, from 1.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        if text.contains('\r') {
            let bytes = text.as_bytes();
            for (i, &byte) in bytes.iter().enumerate() {
                if byte == b'\n' || (byte == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                    starts.push(i + 1);
                }
            }
        } else {
            // Without carriage returns every line ends at a `\n`, which `match_indices` finds
            // a word at a time rather than a byte at a time.
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        }
        LineIndex { starts }
    }

    /// The 1-based line and column (in characters) of byte `offset` in `text`.
    pub fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let end = offset.min(text.len());
        let column = text
            .get(start..end)
            .map_or(end - start, |s| s.chars().count())
            + 1;
        (line as u32, column as u32)
    }
}

/// A sentence: a span of its document. Only surrounding whitespace is trimmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// Bytes of the sentence in the original file.
    pub span: Span,
    /// Index of the paragraph (blank-line separated block) that holds it.
    pub paragraph: u32,
}

/// Where a claim or value was read: enough to show and find the sentence.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Evidence {
    /// Document id (the file as given).
    pub file: DocId,
    /// 1-based line of the start.
    pub line: u32,
    /// 1-based column, in characters, of the start.
    pub column: u32,
    /// First byte of the sentence in the file.
    pub start: usize,
    /// Byte after the sentence.
    pub end: usize,
    /// The sentence as written, shared by the findings that show it.
    pub text: Arc<str>,
}

/// A reference from a mention in the text to an entity.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EntityRef {
    /// Canonical id from `rules/entities` (`northland`), or `~` and a folded form for a name no
    /// rule lists; shared with the entity book and every other mention of the entity.
    pub id: Arc<str>,
    /// Canonical display name (`Northland`), shared likewise.
    pub name: Arc<str>,
    /// The words as written (`Northlandic`).
    pub surface: String,
    /// Where they were written.
    pub span: Span,
}

/// A normalized value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// A number or quantity: an interval with its qualifiers.
    Quantity(Quantity),
    /// A time anchored to the article's date.
    Time(TimeValue),
    /// One entity.
    Entity(EntityRef),
    /// A coordinated list of entities.
    Entities(Vec<EntityRef>),
    /// Free text, such as a quote.
    Text(String),
}

/// A typed piece of a claim: what was captured, where, and its normalized value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    /// The captured text as written.
    pub text: String,
    /// Where it was written.
    pub span: Span,
    /// Its normalized value.
    pub value: Value,
}

impl Slot {
    /// The slot as a person reads it: the words as written, preceded by the canonical name when
    /// they name an entity differently (`Anna Vos (“She”)`).
    pub fn label(&self) -> String {
        match &self.value {
            Value::Entity(entity) if *entity.name != self.text => {
                format!("{} (“{}”)", entity.name, self.text)
            }
            _ => self.text.clone(),
        }
    }
}

/// The kind of a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClaimKind {
    /// A counted or measured amount.
    Quantity,
    /// A relation between entities (backs, met, visited).
    Relation,
    /// When an event happens or happened.
    EventTime,
    /// Who met whom, where and when.
    Meeting,
    /// Quoted words and their speaker.
    Quote,
    /// A name as written, for spelling-variant detection.
    Mention,
}

/// How the source stands toward what it reports.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// Stated as fact, or attributed without doubt.
    #[default]
    Asserts,
    /// Denied by someone.
    Denied,
    /// Expected or planned, not yet happened.
    Expected,
}

/// Who asserts a claim, and who denies it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// Who the source credits ("Vos", "the ministry"), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Slot>,
    /// Who denies it ("the ministry"), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denied_by: Option<Slot>,
    /// The source's stance.
    #[serde(default)]
    pub stance: Stance,
}

impl Attribution {
    /// A short text such as `according to Vos; denied by the ministry`, empty when nothing is known.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(source) = &self.source {
            parts.push(format!("according to {}", source.label()));
        }
        if let Some(denier) = &self.denied_by {
            parts.push(format!("denied by {}", denier.label()));
        }
        if self.stance == Stance::Expected {
            parts.push("expected".to_string());
        }
        parts.join("; ")
    }
}

/// Severity of a rule or finding.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Worth knowing.
    #[default]
    Info,
    /// Worth a look.
    Warning,
    /// A disagreement a fact-checker must resolve.
    Error,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        })
    }
}

impl FromStr for Level {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "info" => Ok(Level::Info),
            "warning" => Ok(Level::Warning),
            "error" => Ok(Level::Error),
            other => Err(format!(
                "unknown level `{other}`: expected info, warning or error"
            )),
        }
    }
}

/// A typed claim read from one sentence by one rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// Id of the document it was read from.
    pub document: DocId,
    /// Id of the rule that matched.
    pub rule: String,
    /// Kind of claim.
    pub kind: ClaimKind,
    /// What makes two claims comparable: the same key in two documents means the same question.
    pub key: String,
    /// One line a person understands, such as `mercenaries supporting General Vos`.
    pub topic: String,
    /// Level of a disagreement on this claim.
    pub level: Level,
    /// Typed captures by slot name.
    pub slots: BTreeMap<String, Slot>,
    /// Who asserts or denies it.
    #[serde(default)]
    pub attribution: Attribution,
    /// The sentence it was read from.
    pub evidence: Evidence,
    /// True when the rule allows the value to change over time (a toll that rises from report to
    /// report): values that change monotonically with publication date are then `evolving`,
    /// not a conflict.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub evolving: bool,
}

/// Version of the JSON contracts (`extract --format jsonl`, `check --format json`).
pub const SCHEMA_VERSION: u32 = 1;

/// A claim with its document's metadata: one line of `extract --format jsonl`, the contract
/// between extraction (possibly on other machines) and `claimdiff compare`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimRecord {
    /// Version of this contract: [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The document the claim was read from.
    pub document_meta: DocumentMeta,
    /// The claim.
    #[serde(flatten)]
    pub claim: Claim,
}

/// The kind of a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Sources give incompatible values.
    Conflict,
    /// A figure changes over publication dates, monotonically.
    Evolving,
    /// Sources list different members of a set (who backs whom).
    SetDifference,
    /// The same speaker quoted with different words.
    QuoteDifference,
    /// One entity written several ways.
    SpellingVariant,
    /// Sources agree once values are normalized.
    Agreement,
    /// Only one source reports it.
    SingleSource,
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FindingKind::Conflict => "conflict",
            FindingKind::Evolving => "evolving",
            FindingKind::SetDifference => "set_difference",
            FindingKind::QuoteDifference => "quote_difference",
            FindingKind::SpellingVariant => "spelling_variant",
            FindingKind::Agreement => "agreement",
            FindingKind::SingleSource => "single_source",
        })
    }
}

impl FindingKind {
    /// Every kind, in report order.
    pub const ALL: [FindingKind; 7] = [
        FindingKind::Conflict,
        FindingKind::Evolving,
        FindingKind::SetDifference,
        FindingKind::QuoteDifference,
        FindingKind::SpellingVariant,
        FindingKind::Agreement,
        FindingKind::SingleSource,
    ];
}

impl FromStr for FindingKind {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        FindingKind::ALL
            .into_iter()
            .find(|kind| kind.to_string() == text)
            .ok_or_else(|| format!("unknown finding kind `{text}`"))
    }
}

/// One source's value in a finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceValue {
    /// Document id.
    pub document: DocId,
    /// The normalized value.
    pub value: Value,
    /// The value as a person reads it (`600–800`, `2020-01-12 00:00`).
    pub display: String,
    /// Who the source credits, and who denies it (`according to Vos; denied by the ministry`).
    pub attribution: String,
    /// The sentence behind it.
    pub evidence: Evidence,
    /// Bytes of the file that hold the value (a number, a member of a set, a quote), to
    /// highlight in the sentence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<Span>,
}

/// One row of a relation matrix: an object (a backer) and the documents that name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixRow {
    /// Canonical name of the member.
    pub member: String,
    /// Ids of the documents that name it, sorted.
    pub documents: Vec<DocId>,
}

/// One piece of a word-level diff between two texts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffPiece {
    /// `equal`, `delete` (only in the first text) or `insert` (only in the second).
    pub op: String,
    /// The words.
    pub text: String,
}

/// A finding: what the sources say about one claim key, and how they relate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The kind of finding.
    pub kind: FindingKind,
    /// Its level.
    pub level: Level,
    /// One line a person understands.
    pub topic: String,
    /// The rule whose claims it compares.
    pub rule: String,
    /// The claim key compared.
    pub key: String,
    /// Stable hash of rule, key, sorted documents and values.
    pub fingerprint: String,
    /// Each source's value, in document order.
    pub values: Vec<SourceValue>,
    /// For set differences: members × documents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matrix: Vec<MatrixRow>,
    /// For quote differences: the word-level diff of the first two versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diff: Vec<DiffPiece>,
    /// A remark such as `compatible, less precise`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Finding {
    /// Gives back the spare capacity of its vectors and strings. A large corpus holds millions of
    /// findings until they are sorted and written, and a vector grown by pushes reserves room for
    /// four values where most findings have one or two.
    pub fn shrink_to_fit(&mut self) {
        for text in [&mut self.topic, &mut self.key, &mut self.rule] {
            text.shrink_to_fit();
        }
        for source in &mut self.values {
            source.display.shrink_to_fit();
            source.attribution.shrink_to_fit();
            source.highlights.shrink_to_fit();
            if let Value::Entities(members) = &mut source.value {
                members.shrink_to_fit();
            }
        }
        self.values.shrink_to_fit();
        for row in &mut self.matrix {
            row.documents.shrink_to_fit();
        }
        self.matrix.shrink_to_fit();
        self.diff.shrink_to_fit();
    }
}

/// Counts that close a report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Documents read.
    pub documents: usize,
    /// Claims extracted.
    pub claims: usize,
    /// Findings by kind.
    pub findings: BTreeMap<String, usize>,
}

/// Everything a report renders: documents, findings and a summary.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Version of this JSON contract.
    pub schema_version: u32,
    /// The documents read, in id order.
    pub documents: Vec<DocumentMeta>,
    /// The findings, in a stable order.
    pub findings: Vec<Finding>,
    /// Counts.
    pub summary: Summary,
}

/// How two normalized values relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Accord {
    /// The same value at the same precision.
    Same,
    /// Both can be true: overlapping intervals, or one less precise than the other.
    Compatible,
    /// Both cannot be true.
    Conflict,
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn line_index_ends_lines_at_each_kind_of_break() {
        for text in ["a\nbé\nc", "a\r\nbé\r\nc", "a\rbé\rc", "a\r\nbé\rc"] {
            let lines = LineIndex::new(text);
            let c = text.rfind('c').unwrap();
            let after_accent = text.find('é').unwrap() + 'é'.len_utf8();
            assert_eq!(lines.position(text, 0), (1, 1), "{text:?}");
            assert_eq!(lines.position(text, after_accent), (2, 3), "{text:?}");
            assert_eq!(lines.position(text, c), (3, 1), "{text:?}");
        }
        assert_eq!(LineIndex::new("one line").position("one line", 4), (1, 5));
    }
}
