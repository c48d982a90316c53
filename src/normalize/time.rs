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
