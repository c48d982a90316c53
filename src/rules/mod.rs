//! Loading rule packs: language data (`rules/lang`), entities (`rules/entities`) and claim rules
//! (`rules/claims`), from the defaults embedded at build time and from `--rules` directories.
//!
//! Loading reports every error at once, each naming its file with line and column where the
//! YAML parser gives them, and nothing runs on half-loaded rules.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use include_dir::{include_dir, Dir};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::extract::{ClaimRules, WordClasses, WordData};
use crate::normalize::names::EntityBook;
use crate::normalize::number::{NumberData, NumberRules};
use crate::normalize::time::{TimeData, TimeRules};
use crate::segment::{SegmentData, Segmenter};

/// The default rules, embedded in the binary so claimdiff works from any directory.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// The language every chain ends in.
pub const COMMON: &str = "common";

/// Refuse YAML files larger than this: rule files are small, and a huge one is a mistake.
const MAX_RULE_FILE_BYTES: usize = 4 * 1024 * 1024;

/// A rule file's path (relative to its rule directory, with `/`) and text.
#[derive(Clone, Debug)]
pub struct RuleFile {
    /// Path shown in messages: `rules/claims/relations.yaml` or the user's path.
    pub path: String,
    /// Path inside the rule directory, used to override an embedded file.
    pub relative: String,
    /// Contents.
    pub text: String,
}

/// An error in a rule file, with its position when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    /// The file.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong, and where possible what would be right.
    pub message: String,
}

impl RuleError {
    /// An error about a whole file.
    pub fn new(file: &str, message: impl Into<String>) -> Self {
        RuleError {
            file: file.to_string(),
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// All errors found while loading rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleErrors(pub Vec<RuleError>);

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleErrors {}

/// A section of a language file that a language may inherit from its fallback.
pub trait LangSection: Default + Clone + DeserializeOwned {
    /// Completes this language's section from its fallback's, already resolved.
    fn inherit(&mut self, parent: &Self);
}

/// One file of `rules/lang/`: `<code>.yaml`, or `<code>.<part>.yaml` holding other sections.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LangFile {
    /// The language code, which must match the file name.
    language: String,
    /// English name of the language.
    #[serde(default)]
    name: Option<String>,
    /// The next language in the fallback chain (`common` when unset).
    #[serde(default)]
    fallback: Option<String>,
    /// ISO 639-3 code, used by language detection.
    #[serde(default)]
    iso639_3: Option<String>,
    #[serde(default)]
    segment: Option<SegmentData>,
    #[serde(default)]
    numbers: Option<NumberData>,
    #[serde(default)]
    time: Option<TimeData>,
    #[serde(default)]
    words: Option<WordData>,
}

/// A language file's sections once all its files are merged.
#[derive(Clone, Debug, Default)]
struct LangSections {
    name: Option<String>,
    fallback: Option<String>,
    iso639_3: Option<String>,
    segment: SegmentData,
    numbers: NumberData,
    time: TimeData,
    words: WordData,
    /// Sections already set by one of the language's files.
    defined: Vec<&'static str>,
}

/// A language, with every section resolved along its fallback chain and compiled.
#[derive(Clone, Debug)]
pub struct Language {
    /// Code (`nb`).
    pub code: String,
    /// English name (`Norwegian Bokmål`).
    pub name: String,
    /// ISO 639-3 code, for language detection.
    pub iso639_3: Option<String>,
    /// The chain of codes it falls back along, itself first (`nb`, `da`, `common`).
    pub chain: Vec<String>,
    /// The sentence splitter.
    pub segmenter: Segmenter,
    /// Number and quantity rules.
    pub numbers: NumberRules,
    /// Time rules.
    pub times: TimeRules,
    /// Word classes for claim patterns.
    pub words: WordClasses,
}

/// Everything loaded from the rule directories.
#[derive(Clone, Debug)]
pub struct RuleSet {
    /// Languages by code, `common` included.
    pub languages: BTreeMap<String, Language>,
    /// Canonical entities.
    pub entities: EntityBook,
    /// Claim rules.
    pub claims: ClaimRules,
    /// Warnings, such as a rule without examples.
    pub warnings: Vec<String>,
}

impl RuleSet {
    /// Loads the embedded rules, then each directory of `extra` in order, whose files replace
    /// embedded files of the same relative path or add to them.
    pub fn load(extra: &[impl AsRef<Path>]) -> Result<RuleSet, RuleErrors> {
        let mut files = embedded_files();
        let mut errors = Vec::new();
        for dir in extra {
            match read_rule_dir(dir.as_ref()) {
                Ok(user_files) => {
                    for file in user_files {
                        files.retain(|existing| existing.relative != file.relative);
                        files.push(file);
                    }
                }
                Err(error) => errors.push(error),
            }
        }
        if !errors.is_empty() {
            return Err(RuleErrors(errors));
        }
        RuleSet::from_files(files)
    }

    /// Loads only the embedded default rules.
    pub fn embedded() -> Result<RuleSet, RuleErrors> {
        RuleSet::from_files(embedded_files())
    }

    /// The embedded default rules, loaded once per process and shared: for tests, benchmarks
    /// and fuzz targets that use them many times.
    pub fn embedded_shared() -> Result<&'static RuleSet, &'static RuleErrors> {
        static SHARED: std::sync::OnceLock<Result<RuleSet, RuleErrors>> =
            std::sync::OnceLock::new();
        SHARED.get_or_init(RuleSet::embedded).as_ref()
    }

    /// Builds a rule set from files, grouped by their top folder (`lang`, `entities`, `claims`).
    pub fn from_files(files: Vec<RuleFile>) -> Result<RuleSet, RuleErrors> {
        let mut errors = Vec::new();
        let in_folder = |folder: &str| -> Vec<RuleFile> {
            files
                .iter()
                .filter(|f| f.relative.starts_with(&format!("{folder}/")))
                .cloned()
                .collect()
        };
        for file in &files {
            let known = ["lang/", "entities/", "claims/"]
                .iter()
                .any(|prefix| file.relative.starts_with(prefix));
            if !known {
                errors.push(RuleError::new(
                    &file.path,
                    "rule files belong in lang/, entities/ or claims/",
                ));
            }
        }
        let languages = match load_languages(&in_folder("lang")) {
            Ok(languages) => languages,
            Err(mut more) => {
                errors.append(&mut more);
                BTreeMap::new()
            }
        };
        let entities = EntityBook::from_files(&in_folder("entities")).unwrap_or_else(|mut more| {
            errors.append(&mut more);
            EntityBook::default()
        });
        let claims = ClaimRules::from_files(&in_folder("claims"), &languages, &entities)
            .unwrap_or_else(|mut more| {
                errors.append(&mut more);
                ClaimRules::default()
            });
        if !errors.is_empty() {
            return Err(RuleErrors(errors));
        }
        let warnings = claims.warnings().to_vec();
        Ok(RuleSet {
            languages,
            entities,
            claims,
            warnings,
        })
    }

    /// The language `code`, or `common` when no rules exist for it.
    pub fn language(&self, code: &str) -> &Language {
        self.languages
            .get(code)
            .or_else(|| self.languages.get(COMMON))
            .expect("rule loading guarantees the common language")
    }

    /// Codes of the languages with their own rules, `common` excluded.
    pub fn language_codes(&self) -> Vec<&str> {
        self.languages
            .keys()
            .map(String::as_str)
            .filter(|code| *code != COMMON)
            .collect()
    }
}

/// The embedded rule files, in path order.
pub fn embedded_files() -> Vec<RuleFile> {
    let mut files = Vec::new();
    collect_embedded(&EMBEDDED, &mut files);
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    files
}

fn collect_embedded(dir: &Dir<'static>, files: &mut Vec<RuleFile>) {
    for file in dir.files() {
        let relative = file.path().to_string_lossy().replace('\\', "/");
        if !relative.ends_with(".yaml") {
            continue;
        }
        files.push(RuleFile {
            path: format!("rules/{relative}"),
            relative,
            text: file.contents_utf8().unwrap_or_default().to_string(),
        });
    }
    for sub in dir.dirs() {
        collect_embedded(sub, files);
    }
}

/// Reads every `.yaml` file below `dir`, sorted by path.
pub fn read_rule_dir(dir: &Path) -> Result<Vec<RuleFile>, RuleError> {
    let shown = dir.display().to_string();
    if !dir.is_dir() {
        return Err(RuleError::new(&shown, "not a rule directory"));
    }
    let mut paths = Vec::new();
    collect_yaml_paths(dir, &mut paths, 0).map_err(|e| RuleError::new(&shown, e))?;
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let shown_path = path.display().to_string();
        let bytes = std::fs::read(&path).map_err(|e| RuleError::new(&shown_path, e.to_string()))?;
        if bytes.len() > MAX_RULE_FILE_BYTES {
            return Err(RuleError::new(
                &shown_path,
                format!("rule file larger than {MAX_RULE_FILE_BYTES} bytes"),
            ));
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            RuleError::new(
                &shown_path,
                format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
            )
        })?;
        let relative = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        files.push(RuleFile {
            path: shown_path,
            relative,
            text,
        });
    }
    Ok(files)
}

fn collect_yaml_paths(
    dir: &Path,
    out: &mut Vec<std::path::PathBuf>,
    depth: usize,
) -> Result<(), String> {
    if depth > 16 {
        return Err("rule directories nest too deep (a symlink loop?)".to_string());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect_yaml_paths(&path, out, depth + 1)?;
        } else if path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml")
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Parses a YAML rule file into `T`, turning parser errors into a [`RuleError`] with line,
/// column and, for an unknown name, the nearest valid one.
pub fn parse_yaml<T: DeserializeOwned>(file: &RuleFile) -> Result<T, RuleError> {
    serde_yaml::from_str(&file.text).map_err(|error| {
        let location = error.location();
        RuleError {
            file: file.path.clone(),
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
            message: with_suggestion(&error.to_string()),
        }
    })
}

/// Adds "did you mean `x`?" to serde's "unknown field `y`, expected one of …" messages.
pub fn with_suggestion(message: &str) -> String {
    let message = strip_location(message);
    let unknown = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|marker| message.split_once(marker).map(|(_, rest)| rest));
    let Some(rest) = unknown else {
        return message;
    };
    let Some((name, expected)) = rest.split_once('`') else {
        return message;
    };
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match nearest_name(name, &candidates) {
        Some(best) => format!("{message}; did you mean `{best}`?"),
        None => message,
    }
}

/// The candidate closest to `name`, when it is close enough to be a likely typo.
pub fn nearest_name<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(name, c), *c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// serde_yaml appends " at line L column C"; the position is reported separately.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn load_languages(files: &[RuleFile]) -> Result<BTreeMap<String, Language>, Vec<RuleError>> {
    let mut errors = Vec::new();
    let mut sections: BTreeMap<String, (String, LangSections)> = BTreeMap::new();
    for file in files {
        let file_name = file.relative.trim_start_matches("lang/");
        let code = file_name.split('.').next().unwrap_or_default().to_string();
        let parsed: LangFile = match parse_yaml(file) {
            Ok(parsed) => parsed,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        if parsed.language != code {
            errors.push(RuleError::new(
                &file.path,
                format!(
                    "language `{}` does not match the file name `{file_name}`",
                    parsed.language
                ),
            ));
            continue;
        }
        let entry = sections
            .entry(code)
            .or_insert_with(|| (file.path.clone(), LangSections::default()));
        if let Err(message) = merge_lang_file(&mut entry.1, parsed) {
            errors.push(RuleError::new(&file.path, message));
        }
    }
    if !sections.contains_key(COMMON) {
        errors.push(RuleError::new(
            "rules/lang",
            format!("no `{COMMON}.yaml`: every fallback chain ends there"),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut languages = BTreeMap::new();
    for (code, (path, _)) in &sections {
        match resolve_language(code, &sections) {
            Ok(language) => {
                languages.insert(code.clone(), language);
            }
            Err(message) => errors.push(RuleError::new(path, message)),
        }
    }
    if errors.is_empty() {
        Ok(languages)
    } else {
        Err(errors)
    }
}

fn merge_lang_file(into: &mut LangSections, file: LangFile) -> Result<(), String> {
    fn take<T>(
        slot: &mut T,
        value: Option<T>,
        name: &'static str,
        defined: &mut Vec<&'static str>,
    ) -> Result<(), String> {
        if let Some(value) = value {
            if defined.contains(&name) {
                return Err(format!(
                    "section `{name}` is defined twice for this language"
                ));
            }
            defined.push(name);
            *slot = value;
        }
        Ok(())
    }
    take(
        &mut into.segment,
        file.segment,
        "segment",
        &mut into.defined,
    )?;
    take(
        &mut into.numbers,
        file.numbers,
        "numbers",
        &mut into.defined,
    )?;
    take(&mut into.time, file.time, "time", &mut into.defined)?;
    take(&mut into.words, file.words, "words", &mut into.defined)?;
    if file.name.is_some() {
        into.name = file.name;
    }
    if file.fallback.is_some() {
        into.fallback = file.fallback;
    }
    if file.iso639_3.is_some() {
        into.iso639_3 = file.iso639_3;
    }
    Ok(())
}

fn resolve_language(
    code: &str,
    sections: &BTreeMap<String, (String, LangSections)>,
) -> Result<Language, String> {
    let mut chain = vec![code.to_string()];
    let mut current = code.to_string();
    while current != COMMON {
        let next = sections
            .get(&current)
            .and_then(|(_, s)| s.fallback.clone())
            .unwrap_or_else(|| COMMON.to_string());
        if !sections.contains_key(&next) {
            return Err(format!(
                "fallback `{next}` of `{current}` has no language file"
            ));
        }
        if chain.contains(&next) {
            return Err(format!(
                "fallback chain loops: {} → {next}",
                chain.join(" → ")
            ));
        }
        chain.push(next.clone());
        current = next;
    }
    // Resolve from the root of the chain down to this language.
    let mut resolved = sections[COMMON].1.clone();
    for ancestor in chain.iter().rev().skip(1) {
        let own = &sections[ancestor].1;
        resolved = LangSections {
            name: own.name.clone(),
            fallback: own.fallback.clone(),
            iso639_3: own.iso639_3.clone(),
            segment: inherited(&own.segment, &resolved.segment),
            numbers: inherited(&own.numbers, &resolved.numbers),
            time: inherited(&own.time, &resolved.time),
            words: inherited(&own.words, &resolved.words),
            defined: Vec::new(),
        };
    }
    let context = |part: &str, e: String| format!("{part} of `{code}`: {e}");
    Ok(Language {
        code: code.to_string(),
        name: resolved.name.clone().unwrap_or_else(|| code.to_string()),
        iso639_3: sections[code].1.iso639_3.clone(),
        segmenter: Segmenter::new(&resolved.segment).map_err(|e| context("segment", e))?,
        numbers: NumberRules::new(&resolved.numbers).map_err(|e| context("numbers", e))?,
        times: TimeRules::new(&resolved.time).map_err(|e| context("time", e))?,
        words: WordClasses::new(&resolved.words).map_err(|e| context("words", e))?,
        chain,
    })
}

fn inherited<T: LangSection>(own: &T, parent: &T) -> T {
    let mut section = own.clone();
    section.inherit(parent);
    section
}
