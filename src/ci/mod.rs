//! The CI gate and CI formats: failure thresholds, baselines, ignores, SARIF, GitHub workflow
//! commands and JUnit XML.
//!
//! `claimdiff check` passes each finding, in report order, through these in one order: drop it
//! when `claimdiff.yaml` ignores it ([`ignore::IgnoreScreen`]), record it for
//! `--write-baseline` ([`baseline::BaselineRecorder`]), drop it when the baseline records it
//! ([`baseline::BaselineScreen`]), count it when it fails `--fail-on` ([`gate::FailOn`]).
//! What is left is rendered ([`sarif`], [`github`], [`junit`] or the reports of
//! [`crate::report`]), and the count decides the exit code ([`gate::exit_code`]).
//! [`ignore::apply_ignores`] and [`baseline::apply_baseline`] do the same to a list.

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
