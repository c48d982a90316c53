//! The `claimdiff` command: parses arguments and calls the library.

use std::process::ExitCode;

use claimdiff::cli;
use clap::{Parser, Subcommand};

/// mimalloc: the pipeline allocates many small, short-lived strings and vectors per sentence,
/// which it serves faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Shows where articles about one story disagree, across outlets and languages.
///
/// Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it;
/// 2 a usage, config, rule or I/O error.
#[derive(Parser)]
#[command(
    name = "claimdiff",
    version,
    about = "Shows where articles about one story disagree, across outlets and languages.",
    after_help = "Exit codes:\n  0  no finding at or above --fail-on (default: conflicts at level error)\n  1  findings at or above --fail-on\n  2  a usage, config, rule or I/O error, or no document could be read\n\nStart with: claimdiff check DIR"
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compare articles and report where they disagree (the main job).
    Check(cli::check::Args),
    /// Extract typed claims from articles.
    Extract(cli::extract::Args),
    /// Compare claims extracted elsewhere (`extract --format jsonl`).
    Compare(cli::compare_claims::Args),
    /// Normalize one expression: a number, quantity, time or entity.
    Parse(cli::parse::Args),
    /// List, explain, test and check claim rules.
    Rules(cli::rules_cmd::Args),
    /// Split files into sentences.
    Split(cli::split::SplitArgs),
    /// Write a synthetic corpus of N articles for benchmarks.
    #[command(name = "gen-corpus", hide = true)]
    GenCorpus(cli::gen_corpus::Args),
}

fn main() -> ExitCode {
    restore_default_sigpipe();
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(error) => {
            let code = if error.use_stderr() {
                cli::EXIT_ERROR
            } else {
                cli::EXIT_OK
            };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    cli::finish(match &args.command {
        Command::Check(args) => cli::check::run(args),
        Command::Extract(args) => cli::extract::run(args),
        Command::Compare(args) => cli::compare_claims::run(args),
        Command::Parse(args) => cli::parse::run(args),
        Command::Rules(args) => cli::rules_cmd::run(args),
        Command::Split(split) => cli::split::run(split),
        Command::GenCorpus(args) => cli::gen_corpus::run(args),
    })
}

/// A closed pipe (`claimdiff check … | head`) ends the process quietly, as it does for other
/// command-line tools, instead of making every later write to standard output fail.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any thread is started; resetting a signal
    // to its default disposition has no other precondition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
