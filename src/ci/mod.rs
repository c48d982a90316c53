//! The CI gate and CI formats: failure thresholds, baselines, ignores, SARIF, GitHub workflow
//! commands and JUnit XML.
//!
//! `claimdiff check` runs these in one order: compute the findings, drop the ones
//! `claimdiff.yaml` ignores ([`ignore::apply_ignores`]), drop the ones a baseline records
//! ([`baseline::apply_baseline`]), render ([`sarif`], [`github`], [`junit`] or the human
//! reports), then decide the exit code ([`gate::exit_code`]).

use crate::model::{Finding, FindingKind, SourceValue};

pub mod baseline;
pub mod gate;
pub mod github;
pub mod ignore;
pub mod junit;
pub mod sarif;

/// True for the kinds that mean sources disagree: the ones a level threshold gates and JUnit
/// reports as failures. Agreements, single-source claims and evolving figures are not.
pub fn is_disagreement(kind: FindingKind) -> bool {
    matches!(
        kind,
        FindingKind::Conflict
            | FindingKind::SetDifference
            | FindingKind::QuoteDifference
            | FindingKind::SpellingVariant
    )
}

/// True for findings the CI formats report as problems: every kind but agreements.
pub fn is_reported(finding: &Finding) -> bool {
    finding.kind != FindingKind::Agreement
}

/// A finding's one-line title: `conflict: mercenaries supporting General Vos`.
pub fn headline(finding: &Finding) -> String {
    format!("{}: {}", finding.kind, finding.topic)
}

/// One source's value as a person reads it: `a.txt:3: 2,500 (according to X)`.
pub fn describe_source(source: &SourceValue) -> String {
    let mut text = format!(
        "{}:{}: {}",
        source.evidence.file, source.evidence.line, source.display
    );
    if !source.attribution.is_empty() {
        text.push_str(&format!(" ({})", source.attribution));
    }
    text
}
