//! Baselines: a YAML file of reviewed findings (`--write-baseline FILE` writes it,
//! `--baseline FILE` suppresses what it records and reports entries that no longer occur).
//!
//! The file lists findings by fingerprint, with their rule, kind and topic for the reader and
//! a `reason` for the reviewer to fill in. Entries are sorted by rule, topic and fingerprint,
//! so rewriting a baseline for the same findings gives the same bytes; rewriting keeps the
//! reasons already written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{Finding, FindingKind};
use crate::rules::{parse_yaml, RuleError, RuleFile};

use super::is_reported;

/// Version of the baseline file format.
pub const BASELINE_VERSION: u32 = 1;

/// The comment that opens a written baseline.
const HEADER: &str = "\
# claimdiff baseline: reviewed findings that `claimdiff check --baseline FILE` suppresses.
# Write each entry's `reason`. Delete an entry to see its finding again; entries whose
# finding no longer occurs are reported as stale.
";

/// A baseline file's contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version: [`BASELINE_VERSION`].
    pub version: u32,
    /// The recorded findings.
    #[serde(default)]
    pub findings: Vec<BaselineEntry>,
}

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The rule whose claims the finding compares.
    pub rule: String,
    /// The finding's topic.
    pub topic: String,
    /// The finding's fingerprint: what the baseline matches on.
    pub fingerprint: String,
    /// The finding's kind.
    pub kind: FindingKind,
    /// Why the finding is accepted, written by the reviewer.
    #[serde(default)]
    pub reason: String,
}

impl Baseline {
    /// A baseline recording `findings` (agreements excluded), sorted, one entry per
    /// fingerprint, keeping the reasons `previous` gives for the same fingerprints.
    pub fn from_findings(findings: &[Finding], previous: Option<&Baseline>) -> Baseline {
        let mut recorder = BaselineRecorder::default();
        findings.iter().for_each(|finding| recorder.record(finding));
        recorder.into_baseline(previous)
    }

    /// The baseline as YAML, opened by a comment saying what the file is.
    pub fn to_yaml(&self) -> Result<String, String> {
        let body = serde_yaml::to_string(self).map_err(|e| format!("baseline: {e}"))?;
        Ok(format!("{HEADER}{body}"))
    }

    /// Parses a baseline's `text`; errors name `shown_path` with line and column.
    pub fn parse(shown_path: &str, text: &str) -> Result<Baseline, RuleError> {
        let file = RuleFile {
            path: shown_path.to_string(),
            relative: shown_path.to_string(),
            text: text.to_string(),
        };
        let baseline: Baseline = parse_yaml(&file)?;
        if baseline.version != BASELINE_VERSION {
            return Err(RuleError::new(
                shown_path,
                format!(
                    "baseline version {} is not supported: expected {BASELINE_VERSION}",
                    baseline.version
                ),
            ));
        }
        Ok(baseline)
    }

    /// Reads and parses the baseline at `path`.
    pub fn read(path: &Path) -> Result<Baseline, RuleError> {
        let shown = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|e| RuleError::new(&shown, e.to_string()))?;
        Baseline::parse(&shown, &text)
    }
}

/// The entries of a baseline being written, gathered from findings one at a time, as a large
/// report streams them.
#[derive(Debug, Default)]
pub struct BaselineRecorder {
    entries: BTreeMap<String, BaselineEntry>,
}

impl BaselineRecorder {
    /// Records `finding` unless it is an agreement or its fingerprint is recorded already.
    pub fn record(&mut self, finding: &Finding) {
        if is_reported(finding) && !self.entries.contains_key(&finding.fingerprint) {
            self.entries.insert(
                finding.fingerprint.clone(),
                BaselineEntry {
                    rule: finding.rule.clone(),
                    topic: finding.topic.clone(),
                    fingerprint: finding.fingerprint.clone(),
                    kind: finding.kind,
                    reason: String::new(),
                },
            );
        }
    }

    /// The baseline of the findings recorded, sorted, keeping the reasons `previous` gives for
    /// the same fingerprints.
    pub fn into_baseline(self, previous: Option<&Baseline>) -> Baseline {
        let reasons: BTreeMap<&str, &str> = previous
            .map(|baseline| {
                baseline
                    .findings
                    .iter()
                    .map(|entry| (entry.fingerprint.as_str(), entry.reason.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        let mut entries: Vec<BaselineEntry> = self
            .entries
            .into_values()
            .map(|mut entry| {
                if let Some(reason) = reasons.get(entry.fingerprint.as_str()) {
                    entry.reason = reason.to_string();
                }
                entry
            })
            .collect();
        entries.sort();
        Baseline {
            version: BASELINE_VERSION,
            findings: entries,
        }
    }

    /// Writes the baseline of the findings recorded to `path` atomically, keeping the reasons
    /// of the baseline already there (a malformed existing file is an error, so no reason is
    /// lost). Returns the number of entries written. Refuses a path inside `corpus_roots`.
    pub fn write(self, path: &Path, corpus_roots: &[PathBuf]) -> Result<usize, String> {
        let previous = if path.is_file() {
            Some(Baseline::read(path).map_err(|e| e.to_string())?)
        } else {
            None
        };
        let baseline = self.into_baseline(previous.as_ref());
        let yaml = baseline.to_yaml()?;
        crate::output::write_atomically(path, yaml.as_bytes(), corpus_roots)?;
        Ok(baseline.findings.len())
    }
}

/// Writes a baseline of `findings` to `path` atomically: see [`BaselineRecorder::write`].
pub fn write_baseline(
    path: &Path,
    findings: &[Finding],
    corpus_roots: &[PathBuf],
) -> Result<usize, String> {
    let mut recorder = BaselineRecorder::default();
    findings.iter().for_each(|finding| recorder.record(finding));
    recorder.write(path, corpus_roots)
}

/// A baseline applied to findings one at a time, as a large report streams them. Remembers
/// which entries occurred, to report the stale ones.
#[derive(Debug)]
pub struct BaselineScreen<'a> {
    baseline: &'a Baseline,
    /// Recorded fingerprints, and whether a finding had them.
    recorded: BTreeMap<&'a str, bool>,
    /// Findings suppressed so far.
    suppressed: usize,
}

impl<'a> BaselineScreen<'a> {
    /// A screen suppressing what `baseline` records.
    pub fn new(baseline: &'a Baseline) -> Self {
        BaselineScreen {
            baseline,
            recorded: baseline
                .findings
                .iter()
                .map(|entry| (entry.fingerprint.as_str(), false))
                .collect(),
            suppressed: 0,
        }
    }

    /// True when the baseline does not record `finding`, so it is kept.
    pub fn keeps(&mut self, finding: &Finding) -> bool {
        match self.recorded.get_mut(finding.fingerprint.as_str()) {
            Some(occurred) => {
                *occurred = true;
                self.suppressed += 1;
                false
            }
            None => true,
        }
    }

    /// The entries that matched no finding (stale, in file order), and how many findings were
    /// suppressed.
    pub fn finish(self) -> (Vec<BaselineEntry>, usize) {
        let stale = self
            .baseline
            .findings
            .iter()
            .filter(|entry| self.recorded.get(entry.fingerprint.as_str()) != Some(&true))
            .cloned()
            .collect();
        (stale, self.suppressed)
    }
}

/// Splits `findings` by `baseline`: the findings it does not record (kept, in their order),
/// its entries that match no finding (stale, in file order), and how many findings it
/// suppressed.
pub fn apply_baseline(
    findings: Vec<Finding>,
    baseline: &Baseline,
) -> (Vec<Finding>, Vec<BaselineEntry>, usize) {
    let mut screen = BaselineScreen::new(baseline);
    let kept = findings
        .into_iter()
        .filter(|finding| screen.keeps(finding))
        .collect();
    let (stale, suppressed) = screen.finish();
    (kept, stale, suppressed)
}

/// A warning line for a stale entry: `baseline entry no longer occurs: …`.
pub fn describe_stale(entry: &BaselineEntry) -> String {
    format!(
        "baseline entry no longer occurs: {} {} `{}` ({}); remove it or rewrite the baseline",
        entry.rule, entry.kind, entry.topic, entry.fingerprint
    )
}
