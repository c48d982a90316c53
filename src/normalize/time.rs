//! Times anchored to the article's publication date: absolute dates, clock times, weekdays and
//! relative expressions, with their grain and, when the anchor is underspecified, candidates.

use serde::{Deserialize, Serialize};

use crate::rules::LangSection;

/// The precision of a time value.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    /// To the minute.
    Minute,
    /// To the hour.
    Hour,
    /// A day.
    #[default]
    Day,
    /// A week.
    Week,
    /// A month.
    Month,
    /// A year.
    Year,
}

/// A normalized time: an interval `[start, end)` at a grain, or a set of candidate starts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeValue {
    /// Earliest start, when the year is known.
    pub start: Option<jiff::civil::DateTime>,
    /// End, exclusive, when the year is known.
    pub end: Option<jiff::civil::DateTime>,
    /// Precision.
    pub grain: Grain,
    /// Candidate starts when the anchor is underspecified (every Sunday of a month-only date).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<jiff::civil::DateTime>,
    /// True when past or future was not marked and the language default was applied.
    pub guessed: bool,
}

/// Time data of one language, as written in `rules/lang/<code>.time.yaml`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeData {}

impl LangSection for TimeData {
    fn inherit(&mut self, _parent: &Self) {}
}

/// Compiled time rules of one language.
#[derive(Clone, Debug, Default)]
pub struct TimeRules {}

impl TimeRules {
    /// Compiles a language's time data.
    pub fn new(_data: &TimeData) -> Result<Self, String> {
        Ok(TimeRules {})
    }
}

/// Whether an unmarked weekday or date points back or forward from the anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// A reported event: the most recent matching day on or before the anchor.
    Past,
    /// An announced event: the next matching day.
    Future,
}

/// What relative times are resolved against: the article's publication date, at its precision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Anchor {
    /// Publication date, possibly month-only, or unknown.
    pub date: Option<crate::model::PubDate>,
}

impl Anchor {
    /// An anchor on a publication date.
    pub fn from_date(date: Option<crate::model::PubDate>) -> Self {
        Anchor { date }
    }
}

impl TimeRules {
    /// The longest time expression starting at byte `start` of `text`: its end byte and value.
    /// `prefer` is the tense of the sentence when known.
    pub fn match_at(
        &self,
        _text: &str,
        _start: usize,
        _anchor: &Anchor,
        _prefer: Option<Direction>,
    ) -> Option<(usize, TimeValue)> {
        None
    }

    /// The value of `text` when the whole of it (trimmed) is one time expression.
    pub fn parse(
        &self,
        text: &str,
        anchor: &Anchor,
        prefer: Option<Direction>,
    ) -> Option<TimeValue> {
        let trimmed = text.trim();
        let offset = text.len() - text.trim_start().len();
        match self.match_at(text, offset, anchor, prefer) {
            Some((end, value)) if end == offset + trimmed.len() => Some(value),
            _ => None,
        }
    }

    /// The tense of a sentence when its words mark one ("will start", "moet ingaan").
    pub fn tense(&self, _sentence: &str) -> Option<Direction> {
        None
    }
}

impl TimeValue {
    /// The value as a person reads it: `2020-01-12 00:00`, `Sunday in 2020-01 (4 candidates)`.
    pub fn display(&self) -> String {
        format!("{:?}", self.start)
    }
}

/// How two times relate at their grain: `Same`, `Compatible` (less precise, or candidates that
/// include the other) or `Conflict`.
pub fn relate(a: &TimeValue, b: &TimeValue) -> crate::model::Accord {
    if a == b {
        crate::model::Accord::Same
    } else {
        crate::model::Accord::Conflict
    }
}
