//! The `ignore:` entries of `claimdiff.yaml`: reviewed findings to suppress, by fingerprint or
//! by rule and topic, each with a reason and an optional expiry date.
//!
//! ```yaml
//! ignore:
//!   - fingerprint: 3f9a0c…            # one finding
//!     reason: checked with the outlet, a typo
//!   - rule: backers                    # every finding of this rule on this topic
//!     topic: Backers of the eastern forces
//!     reason: tracked in issue 12
//!     expires: 2020-03-01              # suppresses through this day, then warns
//! ```
//!
//! An entry giving both a fingerprint and a rule/topic matches only findings matching all of
//! them. An expiry date of month precision (`2020-03`) lasts through the month's last day.

use crate::config::{Ignore, CONFIG_FILE_NAME};
use crate::model::{Finding, PubDate};

/// True when an entry with expiry `expires` no longer applies on `today`.
fn is_expired(expires: &PubDate, today: jiff::civil::Date) -> bool {
    match expires.civil_day() {
        Some(day) => today > day,
        None => (today.year(), today.month()) > (expires.year, expires.month),
    }
}

/// How an entry is named in warnings: `ignore entry 2 (rule backers, topic `…`)`.
fn describe_entry(index: usize, ignore: &Ignore) -> String {
    let mut parts = Vec::new();
    if let Some(fingerprint) = &ignore.fingerprint {
        parts.push(format!("fingerprint {fingerprint}"));
    }
    if let Some(rule) = &ignore.rule {
        parts.push(format!("rule {rule}"));
    }
    if let Some(topic) = &ignore.topic {
        parts.push(format!("topic `{topic}`"));
    }
    format!(
        "{CONFIG_FILE_NAME}: ignore entry {} ({})",
        index + 1,
        parts.join(", ")
    )
}

/// What makes an entry usable: a fingerprint, or both a rule and a topic.
fn is_selective(ignore: &Ignore) -> bool {
    ignore.fingerprint.is_some() || (ignore.rule.is_some() && ignore.topic.is_some())
}

/// True when `ignore` selects `finding`.
fn selects(ignore: &Ignore, finding: &Finding) -> bool {
    let field_matches = |wanted: &Option<String>, actual: &str| {
        wanted.as_deref().is_none_or(|wanted| wanted == actual)
    };
    is_selective(ignore)
        && field_matches(&ignore.fingerprint, &finding.fingerprint)
        && field_matches(&ignore.rule, &finding.rule)
        && field_matches(&ignore.topic, &finding.topic)
}

/// The `ignores` in force on a day, applied to findings one at a time, as a large report
/// streams them. Remembers which entries selected a finding, to warn about the ones that
/// selected none.
#[derive(Debug)]
pub struct IgnoreScreen<'a> {
    /// Entries in force, with their index in the configuration and whether they selected a
    /// finding yet.
    active: Vec<(usize, &'a Ignore, bool)>,
    /// Warnings about the entries themselves.
    warnings: Vec<String>,
    /// Findings suppressed so far.
    suppressed: usize,
}

impl<'a> IgnoreScreen<'a> {
    /// The entries of `ignores` in force on `today`. Warns about an expired entry, which stops
    /// suppressing; an entry with neither a fingerprint nor a rule and topic; and an entry
    /// without a reason.
    pub fn new(ignores: &'a [Ignore], today: jiff::civil::Date) -> Self {
        let mut warnings = Vec::new();
        let mut active = Vec::new();
        for (index, ignore) in ignores.iter().enumerate() {
            let name = describe_entry(index, ignore);
            if ignore.reason.trim().is_empty() {
                warnings.push(format!("{name} has no reason: write why it is ignored"));
            }
            if !is_selective(ignore) {
                warnings.push(format!(
                    "{name} selects nothing: give a fingerprint, or a rule and a topic"
                ));
                continue;
            }
            match &ignore.expires {
                Some(expires) if is_expired(expires, today) => warnings.push(format!(
                    "{name} expired on {expires} and no longer suppresses (reason was: {})",
                    ignore.reason
                )),
                _ => active.push((index, ignore, false)),
            }
        }
        IgnoreScreen {
            active,
            warnings,
            suppressed: 0,
        }
    }

    /// True when no entry selects `finding`, so it is kept.
    pub fn keeps(&mut self, finding: &Finding) -> bool {
        let mut selected = false;
        for (_, ignore, was_used) in &mut self.active {
            if selects(ignore, finding) {
                *was_used = true;
                selected = true;
            }
        }
        self.suppressed += usize::from(selected);
        !selected
    }

    /// The warnings, ending with the entries in force that selected no finding, and how many
    /// findings were suppressed.
    pub fn finish(mut self) -> (Vec<String>, usize) {
        for (index, ignore, was_used) in &self.active {
            if !was_used {
                self.warnings.push(format!(
                    "{} selects no finding: remove it if the finding is gone",
                    describe_entry(*index, ignore)
                ));
            }
        }
        (self.warnings, self.suppressed)
    }
}

/// Splits `findings` by the `ignores` in force on `today`: the findings no entry selects
/// (kept, in order), warnings (see [`IgnoreScreen::new`] and [`IgnoreScreen::finish`]), and
/// how many findings were suppressed.
pub fn apply_ignores(
    findings: Vec<Finding>,
    ignores: &[Ignore],
    today: jiff::civil::Date,
) -> (Vec<Finding>, Vec<String>, usize) {
    let mut screen = IgnoreScreen::new(ignores, today);
    let kept = findings
        .into_iter()
        .filter(|finding| screen.keeps(finding))
        .collect();
    let (warnings, suppressed) = screen.finish();
    (kept, warnings, suppressed)
}
