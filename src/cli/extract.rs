//! `claimdiff extract`: prints the typed claims of articles, as a table or as JSON Lines
//! records (`ClaimRecord`, the contract `claimdiff compare` reads).

use std::io::Write;
use std::path::PathBuf;

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};

use super::check::with_jobs;
use super::{report_problems, write_each, Failure, RuleArgs, EXIT_OK};
use crate::corpus::{discover, Inputs, StoryMode};
use crate::extract::display;
use crate::model::{Claim, ClaimRecord, DocumentMeta, SCHEMA_VERSION};
use crate::pipeline::{extract_corpus, extract_document, CorpusOptions};
use crate::rules::RuleSet;

/// Output format of `extract`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ExtractFormat {
    /// A table: document, position, rule, key, values.
    #[default]
    Table,
    /// One `ClaimRecord` JSON object a line.
    Jsonl,
}

/// Arguments of `claimdiff extract`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {
    /// Files or directories of articles.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ExtractFormat,
    /// Language of every input, instead of detecting it.
    #[arg(long)]
    pub lang: Option<String>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    /// Rule directories.
    pub rules: RuleArgs,
}

/// Runs `claimdiff extract`. JSON Lines are written document by document as the documents are
/// extracted, so memory does not grow with the corpus; the table is built once all are read.
pub fn run(args: &Args) -> Result<u8, Failure> {
    let rules = args.rules.load(&[])?;
    let inputs = discover(&args.paths, StoryMode::One)?;
    let options = CorpusOptions {
        lang: args.lang.clone(),
        ..CorpusOptions::default()
    };
    with_jobs(args.jobs, || write_claims(args, &inputs, &rules, &options))?
}

/// Extracts the claims of `inputs` and writes them to standard output in the format `args` asks.
fn write_claims(
    args: &Args,
    inputs: &Inputs,
    rules: &RuleSet,
    options: &CorpusOptions,
) -> Result<u8, Failure> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match args.format {
        ExtractFormat::Table => {
            let extraction = extract_corpus(inputs, rules, options);
            report_problems(&extraction.problems, extraction.documents.len())?;
            writeln!(out, "{}", claim_table(&extraction.claims))
        }
        ExtractFormat::Jsonl => {
            let process = |document| extract_document(document, rules);
            write_each(inputs, rules, options, process, |(meta, claims)| {
                write_records(&mut out, &meta, &claims)
            })?
        }
    };
    match written.and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::from(e)),
        _ => Ok(EXIT_OK),
    }
}

/// Writes the claims of one document as `ClaimRecord` lines.
fn write_records(
    out: &mut impl Write,
    meta: &DocumentMeta,
    claims: &[Claim],
) -> std::io::Result<()> {
    for claim in claims {
        let record = ClaimRecord {
            schema_version: SCHEMA_VERSION,
            document_meta: meta.clone(),
            claim: claim.clone(),
        };
        serde_json::to_writer(&mut *out, &record).map_err(std::io::Error::other)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The claims as a table: document, `file:line:column`, rule, key, values and attribution.
pub fn claim_table(claims: &[Claim]) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(["document", "at", "rule", "key", "values", "attribution"]);
    for claim in claims {
        let values = claim
            .slots
            .iter()
            .map(|(name, slot)| format!("{name} = {}", display(&slot.value)))
            .collect::<Vec<_>>()
            .join("\n");
        table.add_row([
            claim.document.to_string(),
            format!(
                "{}:{}:{}",
                claim.evidence.file, claim.evidence.line, claim.evidence.column
            ),
            claim.rule.clone(),
            claim.key.clone(),
            values,
            claim.attribution.describe(),
        ]);
    }
    table
}
