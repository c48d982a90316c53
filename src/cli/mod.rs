//! The command line's subcommands. Each submodule holds one subcommand's arguments (clap) and
//! its `run`, which builds a plan from the arguments and calls the library.
//!
//! Exit codes: 0 success, no finding at or above `--fail-on`; 1 findings at or above it;
//! 2 a usage, config, rule or I/O error.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::rules::RuleSet;

pub mod check;
pub mod compare_claims;
pub mod extract;
pub mod gen_corpus;
pub mod parse;
pub mod rules_cmd;
pub mod split;

/// Exit code: success, and no finding at or above the failure threshold.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at or above the failure threshold.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: a usage, config, rule or I/O error.
pub const EXIT_ERROR: u8 = 2;

/// An error that ends the run with exit code 2, already worded for the user.
#[derive(Debug)]
pub struct Failure(pub String);

impl<T: std::fmt::Display> From<T> for Failure {
    fn from(error: T) -> Self {
        Failure(error.to_string())
    }
}

/// Arguments shared by every subcommand that loads rules.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct RuleArgs {
    /// Rule directory adding to the embedded rules or overriding them by id (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
}

impl RuleArgs {
    /// Loads the embedded rules and the `--rules` directories, plus `extra` (from a config).
    pub fn load(&self, extra: &[PathBuf]) -> Result<RuleSet, Failure> {
        let mut dirs = extra.to_vec();
        dirs.extend(self.rules.iter().cloned());
        let rules = RuleSet::load(&dirs).map_err(|errors| {
            Failure(format!(
                "{errors}\n{} rule error(s): nothing was checked",
                errors.0.len()
            ))
        })?;
        for warning in &rules.warnings {
            eprintln!("warning: {warning}");
        }
        Ok(rules)
    }
}

/// Turns a subcommand's result into the process exit code, printing a failure on stderr.
pub fn finish(result: Result<u8, Failure>) -> ExitCode {
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Failure(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Prints input problems as warnings; fails when nothing at all could be read.
pub fn report_problems(
    problems: &[crate::corpus::InputProblem],
    read: usize,
) -> Result<(), Failure> {
    for problem in problems {
        eprintln!("warning: skipped {problem}");
    }
    if read == 0 {
        return Err(Failure("no document could be read".to_string()));
    }
    Ok(())
}

/// Reads `inputs` with `process` in rounds ([`crate::pipeline::read_each`]) and hands each
/// document's result to `write` as it comes, then warns of the inputs that could not be read
/// (an error when none could). Gives back what writing gave, so that a closed pipe can be told
/// from a failure.
pub fn write_each<T: Send>(
    inputs: &crate::corpus::Inputs,
    rules: &RuleSet,
    options: &crate::pipeline::CorpusOptions,
    process: impl Fn(crate::model::Document) -> T + Sync + Send,
    mut write: impl FnMut(T) -> std::io::Result<()>,
) -> Result<std::io::Result<()>, Failure> {
    let mut problems = inputs.problems.clone();
    let mut documents = 0;
    let written =
        crate::pipeline::read_each(inputs, rules, options, process, |result| match result {
            Ok(value) => {
                documents += 1;
                write(value)
            }
            Err(problem) => {
                problems.push(problem);
                Ok(())
            }
        });
    report_problems(&problems, documents)?;
    Ok(written)
}
