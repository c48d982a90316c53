//! `claimdiff gen-corpus` (hidden): builds a synthetic corpus for benchmarks and scale tests from
//! real articles, so that no download is needed.
//!
//! Each generated article takes a source article (the seeds and fixture corpora by default),
//! keeps its date header and first paragraph, and adds paragraphs of other source articles in
//! the same language until it is `--min-bytes` long (3,000 by default, which gives articles of
//! about 4 KB on average: the size the throughput targets are stated for). The other paragraphs
//! are shuffled and the digits of the figures varied. Articles are grouped in story directories (`story-00001/`), ready for
//! `check --stories dirs`. The same seed gives the same corpus.

use std::path::{Path, PathBuf};

use regex::Regex;

use super::{Failure, EXIT_OK};
use crate::corpus::{decode, discover, split_header, StoryMode};

/// Arguments of `claimdiff gen-corpus`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {
    /// Directory to create; it must not exist yet, or be empty.
    pub out: PathBuf,
    /// Number of articles to write.
    #[arg(long, default_value_t = 1000)]
    pub articles: usize,
    /// Articles per story directory.
    #[arg(long = "per-story", default_value_t = 5)]
    pub per_story: usize,
    /// Articles shorter than this many bytes get paragraphs of other source articles in the
    /// same language.
    #[arg(long = "min-bytes", default_value_t = 3000)]
    pub min_bytes: usize,
    /// Random seed: the same seed gives the same corpus.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Source articles: files or directories.
    #[arg(long = "from", default_values = ["seeds", "fixtures/corpora"])]
    pub from: Vec<PathBuf>,
}

/// A source article cut into its header and paragraphs.
struct SourceArticle {
    header: String,
    paragraphs: Vec<String>,
    /// Its language, as whatlang reads it: paragraphs are added only from the same language.
    lang: Option<whatlang::Lang>,
}

/// Runs `claimdiff gen-corpus`.
pub fn run(args: &Args) -> Result<u8, Failure> {
    let sources = read_sources(&args.from)?;
    if sources.is_empty() {
        return Err(Failure(
            "gen-corpus: no source article could be read".to_string(),
        ));
    }
    prepare_output(&args.out)?;
    let mut rng = fastrand::Rng::with_seed(args.seed);
    let digits = Regex::new(r"\d+").map_err(|e| Failure(e.to_string()))?;
    let per_story = args.per_story.max(1);
    for index in 0..args.articles {
        let story_dir = args.out.join(format!("story-{:05}", index / per_story + 1));
        if index % per_story == 0 {
            std::fs::create_dir_all(&story_dir)
                .map_err(|e| Failure(format!("{}: {e}", story_dir.display())))?;
        }
        let source = &sources[rng.usize(..sources.len())];
        let article = vary(source, &sources, args.min_bytes, &mut rng, &digits);
        let path = story_dir.join(format!("article-{:07}.txt", index + 1));
        std::fs::write(&path, article).map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    }
    eprintln!(
        "wrote {} articles in {} stories to {}",
        args.articles,
        args.articles.div_ceil(per_story),
        args.out.display()
    );
    Ok(EXIT_OK)
}

fn read_sources(paths: &[PathBuf]) -> Result<Vec<SourceArticle>, Failure> {
    let inputs = discover(paths, StoryMode::One)?;
    let mut sources = Vec::new();
    for input in &inputs.files {
        let Ok(bytes) = std::fs::read(&input.path) else {
            continue;
        };
        let Ok(text) = decode(bytes) else {
            continue;
        };
        let Ok((_, body)) = split_header(&text) else {
            continue;
        };
        let paragraphs = text[body.start..]
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>();
        if !paragraphs.is_empty() {
            sources.push(SourceArticle {
                header: text[..body.start].to_string(),
                lang: whatlang::detect_lang(&text[body.start..]),
                paragraphs,
            });
        }
    }
    Ok(sources)
}

fn prepare_output(out: &Path) -> Result<(), Failure> {
    if out.exists() {
        let mut entries =
            std::fs::read_dir(out).map_err(|e| Failure(format!("{}: {e}", out.display())))?;
        if entries.next().is_some() {
            return Err(Failure(format!(
                "{}: exists and is not empty; gen-corpus writes only into a new directory",
                out.display()
            )));
        }
    }
    std::fs::create_dir_all(out).map_err(|e| Failure(format!("{}: {e}", out.display())))
}

/// A new article from `source`: the first paragraph stays, paragraphs of other `sources` in
/// the same language are added until the article has `min_bytes`, the paragraphs after the
/// first are shuffled, and about half of the figures get new digits (same length, so
/// separators stay as the language writes them).
fn vary(
    source: &SourceArticle,
    sources: &[SourceArticle],
    min_bytes: usize,
    rng: &mut fastrand::Rng,
    digits: &Regex,
) -> String {
    let mut paragraphs = source.paragraphs.clone();
    let same_language: Vec<&SourceArticle> = sources
        .iter()
        .filter(|other| other.lang == source.lang && other.paragraphs.len() > 1)
        .collect();
    let mut length: usize = paragraphs.iter().map(|p| p.len() + 2).sum();
    while length < min_bytes && !same_language.is_empty() {
        let other = same_language[rng.usize(..same_language.len())];
        let paragraph = &other.paragraphs[rng.usize(1..other.paragraphs.len())];
        length += paragraph.len() + 2;
        paragraphs.push(paragraph.clone());
    }
    if paragraphs.len() > 2 {
        rng.shuffle(&mut paragraphs[1..]);
    }
    let body = paragraphs.join("\n\n");
    let varied = digits.replace_all(&body, |caps: &regex::Captures<'_>| {
        let figure = &caps[0];
        if rng.bool() {
            return figure.to_string();
        }
        figure
            .chars()
            .enumerate()
            .map(|(i, _)| {
                let low = if i == 0 { b'1' } else { b'0' };
                char::from(rng.u8(low..=b'9'))
            })
            .collect()
    });
    format!("{}{}\n", source.header, varied)
}
