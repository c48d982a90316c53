//! `claimdiff check`: reads a corpus, extracts and compares its claims, and reports the
//! findings.
//!
//! `check` is `extract` + `compare` + a report: `claimdiff compare` on the claims of
//! `extract --format jsonl` gives the same report.

use std::io::IsTerminal;
use std::path::PathBuf;

use super::{report_problems, Failure, RuleArgs, EXIT_FINDINGS, EXIT_OK};
use crate::compare::compare;
use crate::corpus::{discover, Inputs, StoryMode};
use crate::model::{DocumentMeta, Finding, FindingKind, Level};
use crate::pipeline::{extract_corpus, CorpusOptions};
use crate::report::{self, Format, Style};

/// Corpora larger than this show a progress indicator on a terminal.
const PROGRESS_THRESHOLD: usize = 200;
/// Table width when the output is not a terminal, so that output is the same everywhere.
const FIXED_WIDTH: u16 = 100;

/// Arguments of `claimdiff check`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {
    /// Article files or directories.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Language of every document, instead of detecting it.
    #[arg(long)]
    pub lang: Option<String>,
    /// How documents are grouped into stories: claims are compared only within a story.
    #[arg(long, value_enum, default_value_t)]
    pub stories: StoryMode,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    /// Report options.
    pub report: ReportArgs,
    #[command(flatten)]
    /// Rule directories.
    pub rules: RuleArgs,
}

/// Report options shared by `check` and `compare`.
#[derive(Clone, Debug, clap::Args)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Show only findings at or above this level: info, warning or error.
    #[arg(long = "min-level", value_name = "LEVEL", default_value = "info")]
    pub min_level: Level,
    /// Show only these kinds of findings (comma-separated): conflict, evolving, set_difference,
    /// quote_difference, spelling_variant, agreement, single_source.
    #[arg(long, value_name = "K,...", value_delimiter = ',')]
    pub kinds: Vec<FindingKind>,
}

impl ReportArgs {
    /// Filters, renders and writes the findings, and returns the exit code. The exit code is
    /// decided on every finding, before `--min-level` and `--kinds` choose what is shown.
    pub fn finish(
        &self,
        documents: Vec<DocumentMeta>,
        claims: usize,
        findings: Vec<Finding>,
        corpus_roots: &[PathBuf],
    ) -> Result<u8, Failure> {
        let code = exit_code(&findings);
        let shown = report::filter(findings, self.min_level, &self.kinds);
        let report = report::build(documents, claims, shown);
        let text = report::render(&report, self.format, &self.style())?;
        crate::output::emit(self.output.as_deref(), text.as_bytes(), corpus_roots)?;
        Ok(code)
    }

    /// Colour and width: colour only on a terminal without `NO_COLOR`; the terminal's width on a
    /// terminal, else a fixed width.
    fn style(&self) -> Style {
        let terminal = self.output.is_none() && std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        Style {
            color: terminal && !no_color,
            width: (!terminal).then_some(FIXED_WIDTH),
        }
    }
}

/// The exit code for a run's findings: 1 when a conflict is at level error, else 0.
pub fn exit_code(findings: &[Finding]) -> u8 {
    let failing = findings
        .iter()
        .any(|f| f.kind == FindingKind::Conflict && f.level == Level::Error);
    if failing {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Runs `work` on a thread pool of `jobs` threads (`None`: one per core).
pub fn with_jobs<T: Send>(
    jobs: Option<usize>,
    work: impl FnOnce() -> T + Send,
) -> Result<T, Failure> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()?;
    Ok(pool.install(work))
}

/// The rule directories named by the corpus's `claimdiff.yaml` files.
fn config_rule_dirs(inputs: &Inputs) -> Vec<PathBuf> {
    inputs
        .configs
        .iter()
        .flat_map(|loaded| loaded.config.rules.iter().map(|dir| loaded.root.join(dir)))
        .collect()
}

/// A spinner on standard error while a large corpus is read, when standard error is a terminal.
fn progress(documents: usize) -> Option<indicatif::ProgressBar> {
    (documents > PROGRESS_THRESHOLD && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(format!("reading and comparing {documents} documents"));
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    })
}

/// Runs `claimdiff check`.
pub fn run(args: &Args) -> Result<u8, Failure> {
    let inputs = discover(&args.paths, args.stories)?;
    let rules = args.rules.load(&config_rule_dirs(&inputs))?;
    let options = CorpusOptions {
        lang: args.lang.clone(),
    };
    let spinner = progress(inputs.files.len());
    let (extraction, findings) = with_jobs(args.jobs, || {
        let extraction = extract_corpus(&inputs, &rules, &options);
        let findings = compare(&extraction.documents, &extraction.claims, &rules);
        (extraction, findings)
    })?;
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    report_problems(&extraction.problems, extraction.documents.len())?;
    let claims = extraction.claims.len();
    args.report
        .finish(extraction.documents, claims, findings, &args.paths)
}
