//! Numbers and quantities: digits with the language's separators, number words, ranges and
//! qualifiers, normalized to an interval.

use serde::{Deserialize, Serialize};

use crate::rules::LangSection;

/// A number or quantity as an interval with open or closed ends. An open end is `None`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// Lower end, `None` when open.
    pub low: Option<f64>,
    /// Upper end, `None` when open.
    pub high: Option<f64>,
    /// Whether `low` itself is included.
    pub low_inclusive: bool,
    /// Whether `high` itself is included.
    pub high_inclusive: bool,
    /// "about", "around": the rules' tolerance applies.
    pub approximate: bool,
    /// A vague magnitude such as "dozens" or "hundreds of".
    pub vague: bool,
    /// Unit, when the rules name one (`km`, `percent`, `EUR`).
    pub unit: Option<String>,
}

/// Number data of one language, as written in `rules/lang/<code>.numbers.yaml`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberData {}

impl LangSection for NumberData {
    fn inherit(&mut self, _parent: &Self) {}
}

/// Compiled number rules of one language.
#[derive(Clone, Debug, Default)]
pub struct NumberRules {}

impl NumberRules {
    /// Compiles a language's number data.
    pub fn new(_data: &NumberData) -> Result<Self, String> {
        Ok(NumberRules {})
    }
}

impl NumberRules {
    /// The longest number or quantity expression starting at byte `start` of `text`: its end
    /// byte and value. `start` is the first byte of a word.
    pub fn match_at(&self, _text: &str, _start: usize) -> Option<(usize, Quantity)> {
        None
    }

    /// The value of `text` when the whole of it (trimmed) is one number or quantity expression.
    pub fn parse(&self, text: &str) -> Option<Quantity> {
        let trimmed = text.trim();
        let offset = text.len() - text.trim_start().len();
        match self.match_at(text, offset) {
            Some((end, value)) if end == offset + trimmed.len() => Some(value),
            _ => None,
        }
    }
}

impl Quantity {
    /// The value as a person reads it: `2,500`, `600–800`, `> 1,000`, `≈ 35 km`.
    pub fn display(&self) -> String {
        format!("{:?}–{:?}", self.low, self.high)
    }
}

/// How two quantities relate: `Same`, `Compatible` (overlapping intervals) or `Conflict`.
pub fn relate(a: &Quantity, b: &Quantity) -> crate::model::Accord {
    if a == b {
        crate::model::Accord::Same
    } else {
        crate::model::Accord::Conflict
    }
}
