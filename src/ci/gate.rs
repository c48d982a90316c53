//! The failure threshold (`--fail-on`, or `fail-on:` in `claimdiff.yaml`) and the exit decision.
//!
//! A threshold is written one of three ways:
//!
//! | written          | fails on                                                          |
//! |------------------|-------------------------------------------------------------------|
//! | `LEVEL`          | any disagreement (conflict, set_difference, quote_difference, spelling_variant) at LEVEL or above |
//! | `KIND`           | any finding of KIND, at any level                                 |
//! | `KIND:LEVEL`     | findings of KIND at LEVEL or above                                |
//!
//! Levels are `info` < `warning` < `error`; kinds are the finding kinds (`conflict`,
//! `evolving`, `set_difference`, `quote_difference`, `spelling_variant`, `agreement`,
//! `single_source`). The default is `conflict:error`: conflicts at level error.

use std::fmt;
use std::str::FromStr;

use crate::cli::{EXIT_FINDINGS, EXIT_OK};
use crate::model::{Finding, FindingKind, Level};

use super::is_disagreement;

/// Which findings fail a CI run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailOn {
    /// The kind that fails; `None` means every disagreement kind.
    pub kind: Option<FindingKind>,
    /// The lowest level that fails.
    pub level: Level,
}

impl Default for FailOn {
    /// Conflicts at level error.
    fn default() -> Self {
        FailOn {
            kind: Some(FindingKind::Conflict),
            level: Level::Error,
        }
    }
}

impl FailOn {
    /// The threshold in force: the command line's when given, else the config's, else the
    /// default. A malformed value is an error naming where it came from.
    pub fn resolve(command_line: Option<&str>, config: Option<&str>) -> Result<FailOn, String> {
        match (command_line, config) {
            (Some(text), _) => text.parse().map_err(|e| format!("--fail-on: {e}")),
            (None, Some(text)) => text
                .parse()
                .map_err(|e| format!("{}: fail-on: {e}", crate::config::CONFIG_FILE_NAME)),
            (None, None) => Ok(FailOn::default()),
        }
    }

    /// True when `finding` fails the run under this threshold.
    pub fn fails(&self, finding: &Finding) -> bool {
        let kind_matches = match self.kind {
            Some(kind) => finding.kind == kind,
            None => is_disagreement(finding.kind),
        };
        kind_matches && finding.level >= self.level
    }
}

impl FromStr for FailOn {
    type Err = String;

    /// Parses `LEVEL`, `KIND` or `KIND:LEVEL`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let expected = "expected LEVEL, KIND or KIND:LEVEL (e.g. `warning`, `conflict`, \
                        `set_difference:warning`)";
        if let Some((kind, level)) = text.split_once(':') {
            let kind = kind
                .trim()
                .parse()
                .map_err(|e| format!("{e}; {expected}"))?;
            let level = level
                .trim()
                .parse()
                .map_err(|e| format!("{e}; {expected}"))?;
            return Ok(FailOn {
                kind: Some(kind),
                level,
            });
        }
        if let Ok(level) = text.parse::<Level>() {
            return Ok(FailOn { kind: None, level });
        }
        match text.parse::<FindingKind>() {
            Ok(kind) => Ok(FailOn {
                kind: Some(kind),
                level: Level::Info,
            }),
            Err(_) => Err(format!(
                "unknown threshold `{text}`: {expected}; levels are info, warning, error"
            )),
        }
    }
}

impl fmt::Display for FailOn {
    /// Writes the threshold so that it parses back to itself.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            None => write!(f, "{}", self.level),
            Some(kind) if self.level == Level::Info => write!(f, "{kind}"),
            Some(kind) => write!(f, "{kind}:{}", self.level),
        }
    }
}

/// The number of `findings` that fail under `fail_on`.
pub fn failing_count(findings: &[Finding], fail_on: &FailOn) -> usize {
    findings
        .iter()
        .filter(|finding| fail_on.fails(finding))
        .count()
}

/// The exit code for a run where `failing` findings fail the threshold: 1 when any fails and
/// `exit_zero` is off, else 0. (Code 2, for errors, is decided where the error happens.)
pub fn exit_code(failing: usize, exit_zero: bool) -> u8 {
    if !exit_zero && failing > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
