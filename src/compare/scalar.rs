//! Quantities and times: values on an axis, compared through the normalizers' `relate`.
//!
//! A group is a conflict when some two of its values cannot both be true. On an axis that pair
//! is the value with the highest lower end against the value with the lowest upper end; values
//! without a position on the axis (a weekday of an unknown year) are checked against the most
//! precise value. So the check is linear: those pairs, plus every value against the first (which
//! tells `Same` from `Compatible`).

use std::cmp::Ordering;

use super::{
    conflict_level, distinct_documents, finding, pick_slot, single_source, source_value, Context,
};
use crate::model::{Accord, Claim, Finding, FindingKind, Level, Slot, Value};
use crate::model::{Quantity, TimeValue};
use crate::normalize::{number, time};

/// A value on an axis that the normalizers can relate.
trait Scalar {
    /// A position on the axis.
    type Position: PartialOrd + Copy;
    /// Slot names tried first.
    const SLOTS: &'static [&'static str];
    /// The value of this type inside a normalized value.
    fn inside(value: &Value) -> Option<&Self>;
    /// Lower end, `None` when open.
    fn low(&self) -> Option<Self::Position>;
    /// Upper end, `None` when open.
    fn high(&self) -> Option<Self::Position>;
    /// How two values relate.
    fn relate(&self, other: &Self) -> Accord;
    /// As a person reads it.
    fn display(&self) -> String;
    /// How wide the value is: the smaller, the more precise.
    fn width(&self) -> f64;
    /// The note of an agreement that is only compatible.
    fn compatible_note(values: &[&Self]) -> String;
}

impl Scalar for Quantity {
    type Position = f64;
    const SLOTS: &'static [&'static str] = &["value"];

    fn inside(value: &Value) -> Option<&Self> {
        match value {
            Value::Quantity(quantity) => Some(quantity),
            _ => None,
        }
    }
    fn low(&self) -> Option<f64> {
        self.low
    }
    fn high(&self) -> Option<f64> {
        self.high
    }
    fn relate(&self, other: &Self) -> Accord {
        number::relate(self, other)
    }
    fn display(&self) -> String {
        Quantity::display(self)
    }
    fn width(&self) -> f64 {
        match (self.low, self.high) {
            (Some(low), Some(high)) => high - low,
            _ => f64::INFINITY,
        }
    }
    fn compatible_note(_values: &[&Self]) -> String {
        "compatible: the ranges overlap".to_string()
    }
}

impl Scalar for TimeValue {
    type Position = jiff::civil::DateTime;
    const SLOTS: &'static [&'static str] = &["value", "time"];

    fn inside(value: &Value) -> Option<&Self> {
        match value {
            Value::Time(time) => Some(time),
            _ => None,
        }
    }
    fn low(&self) -> Option<Self::Position> {
        self.start.or_else(|| self.candidates.first().copied())
    }
    fn high(&self) -> Option<Self::Position> {
        self.end.or_else(|| self.candidates.last().copied())
    }
    fn relate(&self, other: &Self) -> Accord {
        time::relate(self, other)
    }
    fn display(&self) -> String {
        TimeValue::display(self)
    }
    fn width(&self) -> f64 {
        f64::from(self.grain as u8)
    }
    fn compatible_note(values: &[&Self]) -> String {
        let first = values.first().map(|value| value.grain);
        if values.iter().any(|value| Some(value.grain) != first) {
            "compatible, less precise".to_string()
        } else {
            "compatible".to_string()
        }
    }
}

/// Compares the quantity claims of one group.
pub(super) fn compare_quantities(group: &[&Claim], context: &Context) -> Vec<Finding> {
    compare_scalars::<Quantity>(group, context)
}

/// Compares the time claims of one group.
pub(super) fn compare_times(group: &[&Claim], context: &Context) -> Vec<Finding> {
    compare_scalars::<TimeValue>(group, context)
}

/// A claim's compared value.
struct Item<'c, T> {
    claim: &'c Claim,
    slot: &'c Slot,
    value: &'c T,
    display: String,
}

fn compare_scalars<T: Scalar>(group: &[&Claim], context: &Context) -> Vec<Finding> {
    let mut items: Vec<Item<T>> = Vec::with_capacity(group.len());
    for claim in group {
        let Some(slot) = pick_slot(claim, T::SLOTS, |slot| T::inside(&slot.value).is_some()) else {
            continue;
        };
        let Some(value) = T::inside(&slot.value) else {
            continue;
        };
        let display = value.display();
        // The same value repeated in one document (a caption, a recap) is one source.
        let repeated = items
            .iter()
            .rev()
            .take_while(|item| item.claim.document == claim.document)
            .any(|item| item.display == display);
        if !repeated {
            items.push(Item {
                claim,
                slot,
                value,
                display,
            });
        }
    }
    let Some(lead) = items.first().map(|item| item.claim) else {
        return Vec::new();
    };
    let values_of = |items: &[&Item<T>]| {
        items
            .iter()
            .map(|item| source_value(item.claim, item.slot, item.display.clone()))
            .collect::<Vec<_>>()
    };
    let in_order: Vec<&Item<T>> = items.iter().collect();
    let values = values_of(&in_order);
    if distinct_documents(&values) == 1 {
        return vec![single_source(lead, values)];
    }
    let plain: Vec<&T> = items.iter().map(|item| item.value).collect();
    let found = match judge(&plain) {
        Accord::Same => finding(FindingKind::Agreement, Level::Info, lead, values, None),
        Accord::Compatible => {
            let note = Some(T::compatible_note(&plain));
            finding(FindingKind::Agreement, Level::Info, lead, values, note)
        }
        Accord::Conflict => {
            let evolving = items.iter().any(|item| item.claim.evolving);
            match evolving
                .then(|| by_date_if_monotonic(&items, context))
                .flatten()
            {
                Some(dated) => finding(
                    FindingKind::Evolving,
                    Level::Info,
                    lead,
                    values_of(&dated),
                    Some("changes with the publication date".to_string()),
                ),
                None => {
                    let claims: Vec<&Claim> = items.iter().map(|item| item.claim).collect();
                    finding(
                        FindingKind::Conflict,
                        conflict_level(&claims),
                        lead,
                        values,
                        None,
                    )
                }
            }
        }
    };
    vec![found]
}

/// How a group of values relates as a whole: the worst of every value against the first and the
/// most precise, and of the highest lower end against the lowest upper end.
fn judge<T: Scalar>(values: &[&T]) -> Accord {
    let (Some(first), Some(precise)) = (
        values.first(),
        values.iter().min_by(|a, b| a.width().total_cmp(&b.width())),
    ) else {
        return Accord::Same;
    };
    let mut accord = values
        .iter()
        .flat_map(|value| [first.relate(value), precise.relate(value)])
        .max()
        .unwrap_or(Accord::Same);
    let highest_low = values
        .iter()
        .max_by(|a, b| compare_ends(a.low(), b.low(), Ordering::Less));
    let lowest_high = values
        .iter()
        .min_by(|a, b| compare_ends(a.high(), b.high(), Ordering::Greater));
    if let (Some(low), Some(high)) = (highest_low, lowest_high) {
        accord = accord.max(low.relate(high));
    }
    accord
}

/// Orders two interval ends, an open end (`None`) counting as `open` against any position.
fn compare_ends<P: PartialOrd>(a: Option<P>, b: Option<P>, open: Ordering) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
        (None, None) => Ordering::Equal,
        (None, Some(_)) => open,
        (Some(_), None) => open.reverse(),
    }
}

/// The items ordered by publication date when every one is dated, at least two dates differ,
/// and the value moves in one direction as the date advances (values of one date agreeing).
fn by_date_if_monotonic<'i, 'c, T: Scalar>(
    items: &'i [Item<'c, T>],
    context: &Context,
) -> Option<Vec<&'i Item<'c, T>>> {
    let mut dated = items
        .iter()
        .map(|item| {
            let date = context.meta(&item.claim.document)?.date?;
            Some((date, item))
        })
        .collect::<Option<Vec<_>>>()?;
    dated.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.claim.document.cmp(&b.1.claim.document))
    });
    let mut direction = Ordering::Equal;
    for pair in dated.windows(2) {
        let ((date_a, a), (date_b, b)) = (pair[0], pair[1]);
        if date_a == date_b {
            if a.value.relate(b.value) == Accord::Conflict {
                return None;
            }
            continue;
        }
        let step = compare_ends(position(a.value), position(b.value), Ordering::Equal);
        match (direction, step) {
            (_, Ordering::Equal) => {}
            (Ordering::Equal, step) => direction = step,
            (direction, step) if direction != step => return None,
            _ => {}
        }
    }
    (direction != Ordering::Equal).then(|| dated.into_iter().map(|(_, item)| item).collect())
}

/// Where a value sits on its axis: its lower end, else its upper end.
fn position<T: Scalar>(value: &T) -> Option<T::Position> {
    value.low().or_else(|| value.high())
}
