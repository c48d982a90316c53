//! `claimdiff check`: reads a corpus, extracts and compares its claims, and reports the
//! findings.
//!
//! `check` is `extract` + `compare` + a report: `claimdiff compare` on the claims of
//! `extract --format jsonl` gives the same report.

use std::io::IsTerminal;
use std::path::PathBuf;

use super::{report_problems, Failure, RuleArgs};
use crate::compare::SortedFindings;
use crate::corpus::{discover, Inputs, StoryMode};
use crate::model::{DocumentMeta, FindingKind, Level};
use crate::pipeline::{check_corpus, CorpusOptions};
use crate::report::{self, Format, Style};

/// A story of more documents than this gets a warning: it holds all its claims in memory at
/// once, and so many articles are seldom one story.
const LARGE_STORY: usize = 5_000;

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
    #[command(flatten)]
    /// Threads, report and rules.
    pub comparison: ComparisonArgs,
}

/// Options shared by `check` and `compare`: threads, report and rules.
#[derive(Clone, Debug, clap::Args)]
pub struct ComparisonArgs {
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
    /// Fail (exit 1) on findings at or above LEVEL, of KIND, or KIND:LEVEL.
    #[arg(long = "fail-on", value_name = "LEVEL|KIND|KIND:LEVEL")]
    pub fail_on: Option<String>,
    /// Exit 0 even when findings fail the threshold.
    #[arg(long = "exit-zero")]
    pub exit_zero: bool,
    /// Suppress the findings this baseline file records.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file.
    #[arg(long = "write-baseline", value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

impl ReportArgs {
    /// Screens, renders and writes the findings, and returns the exit code. The findings pass
    /// one at a time, so a JSON or JSON Lines report of a large corpus never holds them all:
    /// `claimdiff.yaml` ignores drop some, then the baseline (which `--write-baseline` records
    /// first) drops others. The exit code is decided on every finding left, before
    /// `--min-level` and `--kinds` choose what is shown.
    pub fn finish(
        &self,
        documents: Vec<DocumentMeta>,
        claims: usize,
        findings: SortedFindings,
        corpus_roots: &[PathBuf],
        configs: &[crate::config::LoadedConfig],
    ) -> Result<u8, Failure> {
        use crate::ci::{baseline, gate, ignore};
        let config_fail_on = configs.iter().find_map(|c| c.config.fail_on.as_deref());
        let fail_on = gate::FailOn::resolve(self.fail_on.as_deref(), config_fail_on)?;
        let ignores: Vec<_> = configs
            .iter()
            .flat_map(|c| c.config.ignore.clone())
            .collect();
        let recorded = match &self.baseline {
            Some(path) => Some(baseline::Baseline::read(path)?),
            None => None,
        };
        let mut ignore_screen = ignore::IgnoreScreen::new(&ignores, jiff::Zoned::now().date());
        let mut baseline_screen = recorded.as_ref().map(baseline::BaselineScreen::new);
        // Findings are recorded only for a baseline to be written.
        let mut recorder = self
            .write_baseline
            .as_ref()
            .map(|_| baseline::BaselineRecorder::default());
        let mut failing = 0;
        let shown = findings.filter(|finding| {
            let Ok(finding) = finding else {
                return true;
            };
            if !ignore_screen.keeps(finding) {
                return false;
            }
            if let Some(recorder) = &mut recorder {
                recorder.record(finding);
            }
            if !baseline_screen
                .as_mut()
                .is_none_or(|screen| screen.keeps(finding))
            {
                return false;
            }
            failing += usize::from(fail_on.fails(finding));
            report::is_shown(finding, self.min_level, &self.kinds)
        });
        let output = self.output.as_deref();
        if self.format.streams() {
            crate::output::emit_with(output, corpus_roots, |out| {
                report::write_streamed(documents, claims, shown, self.format, out)
            })?;
        } else {
            let report = report::build(documents, claims, shown.collect::<Result<_, _>>()?);
            let style = self.style();
            crate::output::emit_with(output, corpus_roots, |out| {
                report::write(&report, self.format, &style, out)
            })?;
            if self.format == Format::Github {
                append_step_summary(&report)?;
            }
        }
        let (warnings, _suppressed) = ignore_screen.finish();
        for warning in &warnings {
            eprintln!("warning: {warning}");
        }
        if let (Some(recorder), Some(path)) = (recorder, &self.write_baseline) {
            let written = recorder.write(path, corpus_roots)?;
            eprintln!(
                "wrote {written} finding(s) to the baseline {}",
                path.display()
            );
        }
        if let (Some(screen), Some(path)) = (baseline_screen, &self.baseline) {
            let (stale, _suppressed) = screen.finish();
            for entry in &stale {
                eprintln!(
                    "warning: {}: {}",
                    path.display(),
                    baseline::describe_stale(entry)
                );
            }
        }
        Ok(gate::exit_code(failing, self.exit_zero))
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

/// Appends the report's step summary to the file `GITHUB_STEP_SUMMARY` names, when it is set.
fn append_step_summary(report: &crate::model::Report) -> Result<(), String> {
    use std::io::Write;
    let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY") else {
        return Ok(());
    };
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&summary)
        .and_then(|mut file| file.write_all(crate::ci::github::step_summary(report).as_bytes()))
        .map_err(|e| format!("GITHUB_STEP_SUMMARY: {e}"))
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

/// Warns of each story of more than [`LARGE_STORY`] documents.
fn warn_of_large_stories(inputs: &Inputs) {
    let mut sizes: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for file in &inputs.files {
        *sizes.entry(file.story.as_str()).or_default() += 1;
    }
    for (story, size) in sizes.into_iter().filter(|(_, size)| *size > LARGE_STORY) {
        let name = if story.is_empty() {
            "all inputs".to_string()
        } else {
            format!("story {story}")
        };
        eprintln!(
            "warning: {name}: {size} files form one story, whose claims are all held in \
             memory and compared together; with a directory per story, use --stories dirs"
        );
    }
}

/// Runs `claimdiff check`.
pub fn run(args: &Args) -> Result<u8, Failure> {
    let inputs = discover(&args.paths, args.stories)?;
    let rules = args.comparison.rules.load(&config_rule_dirs(&inputs))?;
    let options = CorpusOptions {
        lang: args.lang.clone(),
        ..CorpusOptions::default()
    };
    warn_of_large_stories(&inputs);
    let spinner = progress(inputs.files.len());
    // The report is written on a thread of the pool too: the findings are freed where they
    // were made, which the allocator does faster than a free from another thread.
    with_jobs(args.comparison.jobs, || {
        let checked = check_corpus(&inputs, &rules, &options)?;
        if let Some(spinner) = spinner {
            spinner.finish_and_clear();
        }
        report_problems(&checked.problems, checked.documents.len())?;
        args.comparison.report.finish(
            checked.documents,
            checked.claims,
            checked.findings,
            &args.paths,
            &inputs.configs,
        )
    })?
}
