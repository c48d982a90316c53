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
