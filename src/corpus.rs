//! The corpus reader: finds the input files, reads them as UTF-8, takes the optional date header
//! and the manifest's metadata, and detects each document's language.
//!
//! A bad file never stops the run: it becomes an [`InputProblem`] naming the file, and the other
//! files are read.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::{load_config, LoadedConfig, CONFIG_FILE_NAME};
use crate::model::{Document, DocumentMeta, LangSource, LineIndex, PubDate, Span};

/// File extensions read from a directory. A file named explicitly is read whatever its name.
pub const CORPUS_EXTENSIONS: [&str; 2] = ["txt", "md"];

/// The marker of the optional date header: ` date YYYY-MM-DD` at the very start.
const DATE_HEADER: &str = " date ";

/// How deep directories are followed, to stop symlink loops.
const MAX_DEPTH: usize = 64;

/// A file to read, with the config that applies to it.
#[derive(Clone, Debug)]
pub struct InputFile {
    /// Document id: the path as given, with `/` separators.
    pub id: String,
    /// Where to read it.
    pub path: PathBuf,
    /// The story it belongs to: the directory holding it under `--stories dirs`, else empty.
    pub story: String,
    /// Index into [`Inputs::configs`] of the `claimdiff.yaml` that covers it.
    pub config: Option<usize>,
}

/// A file or path that could not be read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputProblem {
    /// The path as given.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// How documents are grouped into stories.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum StoryMode {
    /// All inputs form one story.
    #[default]
    One,
    /// Each directory that directly holds documents is a story.
    Dirs,
}

/// The files found under the given paths, sorted by id, and the problems met on the way.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// Files to read, sorted by id, without duplicates.
    pub files: Vec<InputFile>,
    /// Configurations found in the directories given.
    pub configs: Vec<LoadedConfig>,
    /// Paths that could not be used.
    pub problems: Vec<InputProblem>,
}

/// Finds the corpus files under `paths`: files as given, directories recursively.
///
/// A malformed `claimdiff.yaml` is an error, since the run would go on without its metadata and
/// ignores.
pub fn discover(paths: &[PathBuf], stories: StoryMode) -> Result<Inputs, crate::rules::RuleError> {
    let mut inputs = Inputs::default();
    for path in paths {
        let config = if path.is_dir() {
            load_config(path)?.map(|config| {
                inputs.configs.push(config);
                inputs.configs.len() - 1
            })
        } else {
            None
        };
        if path.is_dir() {
            walk(path, config, &mut Vec::new(), &mut inputs);
        } else if path.is_file() {
            inputs.files.push(input_file(path, config));
        } else {
            let message = match std::fs::symlink_metadata(path) {
                Ok(_) => "not a readable file or directory (a broken or looping link?)",
                Err(_) => "no such file or directory",
            };
            inputs.problems.push(InputProblem {
                path: display_id(path),
                message: message.to_string(),
            });
        }
    }
    if stories == StoryMode::Dirs {
        for file in &mut inputs.files {
            file.story = story_of(&file.id);
        }
    }
    inputs.files.sort_by(|a, b| a.id.cmp(&b.id));
    inputs.files.dedup_by(|a, b| a.id == b.id);
    Ok(inputs)
}

/// Walks `dir` in sorted order. `ancestors` holds the canonical paths of the directories being
/// walked, so a link back to one of them is reported instead of followed.
fn walk(dir: &Path, config: Option<usize>, ancestors: &mut Vec<PathBuf>, inputs: &mut Inputs) {
    let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if ancestors.contains(&canonical) {
        inputs.problems.push(InputProblem {
            path: display_id(dir),
            message: "symlink loop: this directory links back to one that contains it".to_string(),
        });
        return;
    }
    if ancestors.len() > MAX_DEPTH {
        inputs.problems.push(InputProblem {
            path: display_id(dir),
            message: format!("directories nest deeper than {MAX_DEPTH} levels"),
        });
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            inputs.problems.push(InputProblem {
                path: display_id(dir),
                message: format!("cannot read directory: {error}"),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    ancestors.push(canonical);
    for path in paths {
        if path.is_dir() {
            walk(&path, config, ancestors, inputs);
        } else if is_corpus_file(&path) && path.is_file() {
            inputs.files.push(input_file(&path, config));
        } else if is_corpus_file(&path) && path.exists() {
            inputs.problems.push(InputProblem {
                path: display_id(&path),
                message: "not a regular file (a pipe or device?)".to_string(),
            });
        } else if !path.exists() {
            inputs.problems.push(InputProblem {
                path: display_id(&path),
                message: "broken or looping link".to_string(),
            });
        }
    }
    ancestors.pop();
}

fn is_corpus_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    name != CONFIG_FILE_NAME
        && name != "EXPECTED.md"
        && !name.starts_with('.')
        && path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|ext| CORPUS_EXTENSIONS.contains(&ext))
}

fn input_file(path: &Path, config: Option<usize>) -> InputFile {
    InputFile {
        id: display_id(path),
        path: path.to_path_buf(),
        story: String::new(),
        config,
    }
}

/// The path as given, with `/` separators and without a leading `./`.
fn display_id(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").unwrap_or(&text).to_string()
}

fn story_of(id: &str) -> String {
    match id.rfind('/') {
        Some(i) => id[..i].to_string(),
        None => ".".to_string(),
    }
}

/// Chooses a document's language from its text, among the languages the rules know.
pub trait LanguageGuess {
    /// The language code of `text`, or `None` when it cannot tell.
    fn guess(&self, text: &str) -> Option<String>;
}

/// What the reader needs besides the file: a forced language and a language detector.
pub struct ReadOptions<'a> {
    /// `--lang`: the language of every document, skipping detection.
    pub lang: Option<&'a str>,
    /// Detects the language when neither the manifest nor `--lang` gives it.
    pub detector: &'a (dyn LanguageGuess + Sync),
    /// The language used when detection fails.
    pub fallback_lang: &'a str,
}

/// Reads one input file into a document.
pub fn read_document(
    input: &InputFile,
    configs: &[LoadedConfig],
    options: &ReadOptions<'_>,
) -> Result<Document, InputProblem> {
    let problem = |message: String| InputProblem {
        path: input.id.clone(),
        message,
    };
    let bytes = std::fs::read(&input.path).map_err(|e| problem(format!("cannot read: {e}")))?;
    let text = decode(bytes).map_err(problem)?;
    let meta_override = input
        .config
        .and_then(|i| configs.get(i))
        .and_then(|config| config.file_meta(&input.path))
        .cloned()
        .unwrap_or_default();
    let (header_date, body) = split_header(&text).map_err(problem)?;
    if text[body.start..body.end].trim().is_empty() {
        return Err(problem("no text after the date header".to_string()));
    }
    let (lang, lang_source) = match (&meta_override.lang, options.lang) {
        (Some(lang), _) => (lang.clone(), LangSource::Manifest),
        (None, Some(lang)) => (lang.to_string(), LangSource::Option),
        (None, None) => (
            options
                .detector
                .guess(&text[body.start..body.end])
                .unwrap_or_else(|| options.fallback_lang.to_string()),
            LangSource::Detected,
        ),
    };
    let lines = LineIndex::new(&text);
    Ok(Document {
        meta: DocumentMeta {
            id: input.id.as_str().into(),
            lang,
            lang_source,
            date: meta_override.date.or(header_date),
            outlet: meta_override.outlet,
            url: meta_override.url,
            story: input.story.clone(),
        },
        text,
        body,
        lines,
    })
}

/// Checks that `bytes` are a non-empty UTF-8 text file.
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.is_empty() {
        return Err("empty file".to_string());
    }
    // `contains` looks a word at a time; the offset is sought only in a file that has a NUL.
    if let Some(offset) = bytes
        .contains(&0)
        .then(|| bytes.iter().position(|&b| b == 0))
        .flatten()
    {
        return Err(format!(
            "NUL byte at byte offset {offset}: binary content, not a text file"
        ));
    }
    let text = String::from_utf8(bytes).map_err(|error| {
        format!(
            "invalid UTF-8 at byte offset {}",
            error.utf8_error().valid_up_to()
        )
    })?;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err("no text: the file holds only whitespace".to_string());
    }
    Ok(text)
}

/// Splits off a UTF-8 byte-order mark and the optional ` date YYYY-MM[-DD]` header.
///
/// Returns the header's date and the span of the body that follows it.
pub fn split_header(text: &str) -> Result<(Option<PubDate>, Span), String> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let Some(after_marker) = rest.strip_prefix(DATE_HEADER) else {
        return Ok((None, Span::new(start, text.len())));
    };
    let token_len = after_marker
        .find(char::is_whitespace)
        .unwrap_or(after_marker.len());
    let token = &after_marker[..token_len];
    let date: PubDate = token
        .parse()
        .map_err(|e| format!("date header at line 1: {e}"))?;
    let mut body_start = start + DATE_HEADER.len() + token_len;
    body_start += text[body_start..].len() - text[body_start..].trim_start_matches(' ').len();
    Ok((Some(date), Span::new(body_start, text.len())))
}

/// The characters from a text's start that language detection reads: enough to tell the
/// languages apart, and detection costs no more for a long article than for a short one.
const LANGUAGE_SAMPLE_CHARS: usize = 1500;

/// The characters read first: when whatlang calls its guess on them reliable, the guess stands.
const LANGUAGE_FIRST_SAMPLE_CHARS: usize = 500;

/// The detector used by the command line: whatlang, restricted to the languages with rules.
pub struct WhatlangGuess {
    allowed: Vec<(whatlang::Lang, String)>,
    detector: whatlang::Detector,
}

impl WhatlangGuess {
    /// A detector choosing among `codes` (ISO 639-1, with their ISO 639-3 forms).
    pub fn new(codes: &[(String, String)]) -> Self {
        let allowed = codes
            .iter()
            .filter_map(|(code, iso3)| whatlang::Lang::from_code(iso3).map(|l| (l, code.clone())))
            .collect::<Vec<_>>();
        let detector =
            whatlang::Detector::with_allowlist(allowed.iter().map(|(lang, _)| *lang).collect());
        WhatlangGuess { allowed, detector }
    }
}

impl LanguageGuess for WhatlangGuess {
    fn guess(&self, text: &str) -> Option<String> {
        if self.allowed.is_empty() {
            return None;
        }
        let sample = |chars: usize| {
            let end = text
                .char_indices()
                .nth(chars)
                .map_or(text.len(), |(i, _)| i);
            &text[..end]
        };
        let first = self.detector.detect(sample(LANGUAGE_FIRST_SAMPLE_CHARS));
        let lang = match first {
            Some(info) if info.is_reliable() => info.lang(),
            _ => self.detector.detect_lang(sample(LANGUAGE_SAMPLE_CHARS))?,
        };
        self.allowed
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, code)| code.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_with_day_and_month_precision() {
        let (date, body) = split_header(" date 2020-01-08 The President").unwrap();
        assert_eq!(date.unwrap().to_string(), "2020-01-08");
        assert_eq!(body.start, 17);
        let (date, _) = split_header(" date 2020-01 De Russische").unwrap();
        let date = date.unwrap();
        assert_eq!(date.day, None);
        assert_eq!(date.to_string(), "2020-01");
    }

    #[test]
    fn impossible_date_header_is_an_error() {
        let error = split_header(" date 2020-13-45 Text").unwrap_err();
        assert!(error.contains("2020-13-45"), "{error}");
        assert!(split_header(" date yesterday Text").is_err());
    }

    #[test]
    fn no_header_and_bom() {
        let (date, body) = split_header("\u{feff}Headline").unwrap();
        assert_eq!(date, None);
        assert_eq!(body.start, 3);
    }

    #[test]
    fn decode_reports_bad_bytes() {
        assert_eq!(decode(Vec::new()).unwrap_err(), "empty file");
        assert!(decode(b"ab\0c".to_vec()).unwrap_err().contains("offset 2"));
        assert!(decode(b"abc\xffdef".to_vec())
            .unwrap_err()
            .contains("byte offset 3"));
        assert!(decode(b" \n\t ".to_vec())
            .unwrap_err()
            .contains("whitespace"));
    }
}
