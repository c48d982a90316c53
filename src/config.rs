//! `claimdiff.yaml`, the corpus configuration: per-file outlet metadata, rule directories,
//! languages, the failure threshold and reviewed findings to ignore.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::PubDate;
use crate::rules::{parse_yaml, RuleError, RuleFile};

/// The configuration file's name, looked up in each corpus directory given.
pub const CONFIG_FILE_NAME: &str = "claimdiff.yaml";

/// Metadata of one file of the corpus, overriding what claimdiff would detect.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileMeta {
    /// Outlet name.
    #[serde(default)]
    pub outlet: Option<String>,
    /// Language code.
    #[serde(default)]
    pub lang: Option<String>,
    /// Publication date, `YYYY-MM-DD` or `YYYY-MM`.
    #[serde(default)]
    pub date: Option<PubDate>,
    /// Where the article was published.
    #[serde(default)]
    pub url: Option<String>,
}

/// A reviewed finding to suppress, by fingerprint or by rule and topic.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ignore {
    /// The finding's fingerprint.
    #[serde(default)]
    pub fingerprint: Option<String>,
    /// A rule id; with `topic`, the findings of that rule on that topic.
    #[serde(default)]
    pub rule: Option<String>,
    /// A topic, matched exactly.
    #[serde(default)]
    pub topic: Option<String>,
    /// Why it is ignored. Required.
    pub reason: String,
    /// After this day the entry stops suppressing, and says so.
    #[serde(default)]
    pub expires: Option<PubDate>,
}

/// The contents of `claimdiff.yaml`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Rule directories, relative to the config file, added to the embedded rules.
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    /// Languages documents may be detected as (codes); empty means every language with rules.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Failure threshold: a level or a finding kind.
    #[serde(default, rename = "fail-on")]
    pub fail_on: Option<String>,
    /// Per-file metadata, keyed by path relative to the config file.
    #[serde(default)]
    pub files: BTreeMap<String, FileMeta>,
    /// Reviewed findings to suppress.
    #[serde(default)]
    pub ignore: Vec<Ignore>,
}

/// A loaded configuration and the directory it applies to.
#[derive(Clone, Debug, Default)]
pub struct LoadedConfig {
    /// Directory holding `claimdiff.yaml`; file keys are relative to it.
    pub root: PathBuf,
    /// Its contents.
    pub config: Config,
}

impl LoadedConfig {
    /// Metadata for `path`, when the config lists it.
    pub fn file_meta(&self, path: &Path) -> Option<&FileMeta> {
        let relative = path.strip_prefix(&self.root).ok()?;
        let key = relative.to_string_lossy().replace('\\', "/");
        self.config.files.get(&key)
    }
}

/// Reads `claimdiff.yaml` from `dir` when it exists.
pub fn load_config(dir: &Path) -> Result<Option<LoadedConfig>, RuleError> {
    let path = dir.join(CONFIG_FILE_NAME);
    if !path.is_file() {
        return Ok(None);
    }
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| RuleError::new(&shown, e.to_string()))?;
    let file = RuleFile {
        path: shown,
        relative: CONFIG_FILE_NAME.to_string(),
        text,
    };
    let config: Config = parse_yaml(&file)?;
    Ok(Some(LoadedConfig {
        root: dir.to_path_buf(),
        config,
    }))
}
