//! Running the examples of the rules as tests: each example's text is matched by its rule, and
//! the slots found are compared, in canonical form, with the slots expected.

use std::collections::BTreeMap;

use super::matcher::{Environment, Scope};
use super::rule::{Expect, Expected, Rule};
use super::template::Rendering;
use crate::model::{Slot, Span, Value};
use crate::normalize::number::Quantity;
use crate::normalize::time::Anchor;
use crate::rules::RuleSet;

/// The outcome of one example.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleOutcome {
    /// The rule.
    pub rule: String,
    /// Index of the example in the rule.
    pub index: usize,
    /// Its language.
    pub lang: String,
    /// Its text.
    pub text: String,
    /// What was expected, canonical.
    pub expected: String,
    /// What the rule found, canonical: one line per match.
    pub got: String,
    /// True when it passed.
    pub passed: bool,
}

/// Runs every example of every rule.
pub fn run_examples(rules: &RuleSet) -> Vec<ExampleOutcome> {
    rules
        .claims
        .rules()
        .iter()
        .flat_map(|rule| run_rule_examples(rule, rules))
        .collect()
}

/// Runs the examples of one rule.
pub fn run_rule_examples(rule: &Rule, rules: &RuleSet) -> Vec<ExampleOutcome> {
    rule.data
        .examples
        .iter()
        .enumerate()
        .map(|(index, example)| {
            let language = rules.language(&example.lang);
            let env = Environment {
                rules,
                language,
                anchor: Anchor::from_date(example.date),
            };
            let mut scope = Scope::new(&example.text, Span::new(0, example.text.len()), env, None);
            let found: Vec<BTreeMap<String, Slot>> = rule
                .matches(&mut scope, language, &rules.entities)
                .into_iter()
                .map(|(_, slots)| slots)
                .collect();
            let key_of = |slots: &BTreeMap<String, Slot>| {
                rule.key
                    .render(slots, &rules.entities, Rendering::Canonical)
            };
            let got = found
                .iter()
                .map(|slots| format!("{}, key={}", describe_slots(slots), key_of(slots)))
                .collect::<Vec<_>>()
                .join(" | ");
            let (expected, passed) = match &example.expect {
                Expect::NoMatch(_) => ("none".to_string(), found.is_empty()),
                Expect::Slots(wanted) => {
                    let mut expected = wanted
                        .iter()
                        .map(|(name, value)| format!("{name}={}", expected_canonical(value)))
                        .collect::<Vec<_>>();
                    expected.extend(example.key.iter().map(|key| format!("key={key}")));
                    let expected = expected.join(", ");
                    let passed = found.iter().any(|slots| {
                        let key_matches =
                            example.key.as_ref().is_none_or(|key| *key == key_of(slots));
                        key_matches
                            && wanted.iter().all(|(name, value)| {
                                slots.get(name).is_some_and(|slot| {
                                    canonical(&slot.value) == expected_canonical(value)
                                })
                            })
                    });
                    (expected, passed)
                }
            };
            ExampleOutcome {
                rule: rule.data.id.clone(),
                index,
                lang: example.lang.clone(),
                text: example.text.clone(),
                expected,
                got: if got.is_empty() {
                    "none".to_string()
                } else {
                    got
                },
                passed,
            }
        })
        .collect()
}

fn describe_slots(slots: &BTreeMap<String, Slot>) -> String {
    slots
        .iter()
        .map(|(name, slot)| format!("{name}={}", canonical(&slot.value)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn expected_canonical(expected: &Expected) -> String {
    match expected {
        Expected::Number(number) => format_number(*number),
        Expected::Text(text) => text.clone(),
        Expected::Set(ids) => {
            let mut ids = ids.clone();
            ids.sort();
            ids.dedup();
            ids.join(",")
        }
    }
}

/// A number without a needless fraction: `2500`, `2.5`.
fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

/// The canonical text of a quantity: `2500`, `600-800`, `>1000`, `>=100000`, `~35`, with its
/// unit after a space.
fn canonical_quantity(quantity: &Quantity) -> String {
    let number = match (quantity.low, quantity.high) {
        (Some(low), Some(high)) if low == high => format_number(low),
        (Some(low), Some(high)) => format!("{}-{}", format_number(low), format_number(high)),
        (Some(low), None) if quantity.low_inclusive => format!(">={}", format_number(low)),
        (Some(low), None) => format!(">{}", format_number(low)),
        (None, Some(high)) if quantity.high_inclusive => format!("<={}", format_number(high)),
        (None, Some(high)) => format!("<{}", format_number(high)),
        (None, None) => "?".to_string(),
    };
    let approximate = if quantity.approximate { "~" } else { "" };
    match &quantity.unit {
        Some(unit) => format!("{approximate}{number} {unit}"),
        None => format!("{approximate}{number}"),
    }
}

/// The canonical text of a value, as examples and keys write it: entity ids (a list's sorted
/// and joined with `,`), canonical quantities, times as `YYYY-MM-DDTHH:MM` (or their candidates
/// joined with `|`), text as written.
pub fn canonical(value: &Value) -> String {
    match value {
        Value::Quantity(quantity) => canonical_quantity(quantity),
        Value::Time(time) => match time.start {
            Some(start) => start.strftime("%Y-%m-%dT%H:%M").to_string(),
            None => time
                .candidates
                .iter()
                .map(|c| c.strftime("%Y-%m-%dT%H:%M").to_string())
                .collect::<Vec<_>>()
                .join("|"),
        },
        Value::Entity(entity) => entity.id.to_string(),
        Value::Entities(members) => {
            let mut ids: Vec<&str> = members.iter().map(|m| &*m.id).collect();
            ids.sort_unstable();
            ids.dedup();
            ids.join(",")
        }
        Value::Text(text) => text.clone(),
    }
}
