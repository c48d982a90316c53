//! The `claimdiff` command: parses arguments and calls the library.

use std::process::ExitCode;

use claimdiff::cli;
use clap::{Parser, Subcommand};

/// mimalloc: the pipeline allocates many small, short-lived strings and vectors per sentence,
/// which it serves faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_e` of `mimalloc.h`, the same in
/// mimalloc 2 and 3), which the Rust bindings do not name.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

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
    keep_freed_memory();
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

/// Tells mimalloc to keep the memory freed during the run rather than hand it back to the system
/// when it has not been used for a second. The pipeline frees each round's claims and findings
/// and allocates as much again for the next round: memory handed back comes back as fresh pages
/// the kernel must clear. Peak memory is what the run holds at once either way.
fn keep_freed_memory() {
    // SAFETY: called in `main` before any thread is started (the setter is not thread safe);
    // -1 is the documented value for "never purge".
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
    }
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

#[cfg(test)]
mod tests {
    use super::MI_OPTION_PURGE_DELAY;

    #[test]
    fn purge_delay_option_number_reads_its_documented_default() {
        // mimalloc 3 gives `purge_delay` a default of 1,000 ms (`options.c`). If mimalloc
        // reordered its options, the number would name another option, which reads otherwise.
        // SAFETY: reading an option has no precondition.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(
            delay, 1000,
            "is MIMALLOC_PURGE_DELAY set in the environment?"
        );
    }
}
