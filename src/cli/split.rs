//! `claimdiff split`: prints the sentences of files, or of JSON Lines records.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{write_each, Failure, RuleArgs, EXIT_OK};
use crate::corpus::{discover, StoryMode};
use crate::model::{Document, Sentence, Span};
use crate::pipeline::CorpusOptions;

/// Output format of `split`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum SplitFormat {
    /// One sentence a line, preceded by `file:line:column`.
    #[default]
    Text,
    /// One JSON object a sentence: `{"file","index","start","end","line","column","text"}`.
    Jsonl,
}

/// Input format of `split`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum SplitInput {
    /// Corpus files and directories.
    #[default]
    Files,
    /// JSON Lines records `{"id","lang","text"}`, answered with `{"id","sentences":[…]}`.
    Jsonl,
}

/// Arguments of `claimdiff split`.
#[derive(Clone, Debug, clap::Args)]
pub struct SplitArgs {
    /// Files or directories; with `--input-format jsonl`, JSON Lines files or `-` for stdin.
    #[arg(value_name = "FILE")]
    pub paths: Vec<PathBuf>,
    /// Language of every input, instead of detecting it.
    #[arg(long)]
    pub lang: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: SplitFormat,
    /// Input format.
    #[arg(long = "input-format", value_enum, default_value_t)]
    pub input_format: SplitInput,
    #[command(flatten)]
    /// Rule directories.
    pub rules: RuleArgs,
}

/// One sentence of a file, as `split --format jsonl` prints it.
#[derive(Serialize)]
struct SentenceLine<'a> {
    file: &'a str,
    index: usize,
    start: usize,
    end: usize,
    line: u32,
    column: u32,
    text: &'a str,
}

/// A record of `split --input-format jsonl`.
#[derive(Deserialize)]
struct SplitRequest {
    id: serde_json::Value,
    #[serde(default)]
    lang: Option<String>,
    text: String,
}

/// The answer to a [`SplitRequest`].
#[derive(Serialize)]
struct SplitAnswer<'a> {
    id: serde_json::Value,
    sentences: Vec<&'a str>,
}

/// Runs `claimdiff split`.
pub fn run(args: &SplitArgs) -> Result<u8, Failure> {
    let rules = args.rules.load(&[])?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.input_format {
        SplitInput::Jsonl => split_records(args, &rules, &mut out)?,
        SplitInput::Files => split_files(args, &rules, &mut out)?,
    }
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::from(e)),
        _ => Ok(EXIT_OK),
    }
}

fn split_files(
    args: &SplitArgs,
    rules: &crate::rules::RuleSet,
    out: &mut impl Write,
) -> Result<(), Failure> {
    if args.paths.is_empty() {
        return Err(Failure("split needs at least one FILE".to_string()));
    }
    let inputs = discover(&args.paths, StoryMode::One)?;
    let options = CorpusOptions {
        lang: args.lang.clone(),
        ..CorpusOptions::default()
    };
    let process = |document: Document| {
        let language = rules.language(&document.meta.lang);
        let sentences = language.segmenter.split(&document.text, document.body);
        (document, sentences)
    };
    let written = write_each(
        &inputs,
        rules,
        &options,
        process,
        |(document, sentences)| write_sentences(out, &document, &sentences, args.format),
    )?;
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Writes the sentences of one document in `format`, each with its `file:line:column`.
fn write_sentences(
    out: &mut impl Write,
    document: &Document,
    sentences: &[Sentence],
    format: SplitFormat,
) -> std::io::Result<()> {
    for (index, sentence) in sentences.iter().enumerate() {
        let Span { start, end } = sentence.span;
        let (line, column) = document.lines.position(&document.text, start);
        let text = &document.text[start..end];
        match format {
            SplitFormat::Text => writeln!(out, "{}:{line}:{column}\t{text}", document.meta.id)?,
            SplitFormat::Jsonl => {
                let record = SentenceLine {
                    file: &document.meta.id,
                    index,
                    start,
                    end,
                    line,
                    column,
                    text,
                };
                serde_json::to_writer(&mut *out, &record).map_err(std::io::Error::other)?;
                out.write_all(b"\n")?;
            }
        }
    }
    Ok(())
}

fn split_records(
    args: &SplitArgs,
    rules: &crate::rules::RuleSet,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let sources: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths.clone()
    };
    for source in sources {
        let reader: Box<dyn BufRead> = if source.as_os_str() == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            let file = std::fs::File::open(&source)
                .map_err(|e| Failure(format!("{}: {e}", source.display())))?;
            Box::new(std::io::BufReader::new(file))
        };
        for (number, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| Failure(format!("{}: {e}", source.display())))?;
            if line.trim().is_empty() {
                continue;
            }
            let request: SplitRequest = serde_json::from_str(&line)
                .map_err(|e| Failure(format!("{}:{}: {e}", source.display(), number + 1)))?;
            let lang = request
                .lang
                .as_deref()
                .or(args.lang.as_deref())
                .unwrap_or("en");
            let language = rules.language(lang);
            let sentences = language
                .segmenter
                .split(&request.text, Span::new(0, request.text.len()));
            let answer = SplitAnswer {
                id: request.id,
                sentences: sentences
                    .iter()
                    .map(|s| &request.text[s.span.start..s.span.end])
                    .collect(),
            };
            writeln!(out, "{}", serde_json::to_string(&answer)?)?;
        }
    }
    Ok(())
}
