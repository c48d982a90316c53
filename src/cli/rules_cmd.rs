//! `claimdiff rules`: list, explain, test and check claim rules.

use std::path::PathBuf;

use super::{Failure, RuleArgs, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::extract::examples::run_examples;
use crate::extract::rule::{Expect, Rule};
use crate::rules::RuleSet;

/// Arguments of `claimdiff rules`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Debug, clap::Subcommand)]
enum Command {
    /// List the claim rules: id, kind, languages, file.
    List {
        #[command(flatten)]
        /// Rule directories.
        rules: RuleArgs,
    },
    /// Show a rule: its patterns, slots, key and examples.
    Explain {
        /// The rule id.
        id: String,
        #[command(flatten)]
        /// Rule directories.
        rules: RuleArgs,
    },
    /// Run every rule's examples (exit 1 when one fails).
    Test {
        #[command(flatten)]
        /// Rule directories.
        rules: RuleArgs,
    },
    /// Validate a rule directory on top of the embedded rules (exit 2 with every error).
    Check {
        /// The rule directory.
        dir: PathBuf,
    },
}

/// Runs `claimdiff rules`.
pub fn run(args: &Args) -> Result<u8, Failure> {
    match &args.command {
        Command::List { rules } => {
            let rules = rules.load(&[])?;
            for rule in rules.claims.rules() {
                let languages: Vec<&str> = rule.data.patterns.keys().map(String::as_str).collect();
                println!(
                    "{:<24} {:<12} {:<12} {}",
                    rule.data.id,
                    rule.data.kind.to_string(),
                    languages.join(","),
                    rule.file
                );
            }
            Ok(EXIT_OK)
        }
        Command::Explain { id, rules } => {
            let rules = rules.load(&[])?;
            let Some(rule) = rules.claims.get(id) else {
                let ids = rules.claims.ids();
                let hint = crate::rules::nearest_name(id, &ids)
                    .map(|best| format!("; did you mean `{best}`?"))
                    .unwrap_or_default();
                return Err(Failure(format!("no rule `{id}`{hint}")));
            };
            print!("{}", explain(rule));
            Ok(EXIT_OK)
        }
        Command::Test { rules } => {
            let rules = rules.load(&[])?;
            Ok(test(&rules))
        }
        Command::Check { dir } => match RuleSet::load(std::slice::from_ref(dir)) {
            Ok(rules) => {
                for warning in rules.claims.warnings() {
                    eprintln!("warning: {warning}");
                }
                println!(
                    "ok: {} claim rules, {} languages",
                    rules.claims.rules().len(),
                    rules.language_codes().len()
                );
                Ok(EXIT_OK)
            }
            Err(errors) => {
                for error in &errors.0 {
                    eprintln!("error: {error}");
                }
                eprintln!("{} rule error(s)", errors.0.len());
                Ok(EXIT_ERROR)
            }
        },
    }
}

/// Runs all examples, printing each failure; the exit code is 1 when one failed.
fn test(rules: &RuleSet) -> u8 {
    let outcomes = run_examples(rules);
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.passed).collect();
    for outcome in &failed {
        println!(
            "FAIL {} example {} [{}]: {}\n  expected: {}\n  got:      {}",
            outcome.rule, outcome.index, outcome.lang, outcome.text, outcome.expected, outcome.got
        );
    }
    println!(
        "{} examples, {} passed, {} failed",
        outcomes.len(),
        outcomes.len() - failed.len(),
        failed.len()
    );
    if failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}

/// A rule as text: kind, key, message, slots, patterns and examples.
fn explain(rule: &Rule) -> String {
    let data = &rule.data;
    let mut out = format!(
        "rule {}  ({})\nkind: {}\nlevel: {}\nkey: {}\nmessage: {}\n",
        data.id, rule.file, data.kind, data.level, data.key, data.message
    );
    if !data.description.is_empty() {
        out.push_str(&format!("description: {}\n", data.description));
    }
    if data.evolving {
        out.push_str("evolving: true\n");
    }
    out.push_str("slots:\n");
    for (name, slot) in &data.slots {
        let required = if slot.required { ", required" } else { "" };
        out.push_str(&format!("  {name}: {:?}{required}\n", slot.kind));
    }
    out.push_str("patterns:\n");
    for (lang, patterns) in &data.patterns {
        for pattern in patterns {
            out.push_str(&format!("  {lang}: {pattern}\n"));
        }
    }
    out.push_str("examples:\n");
    for example in &data.examples {
        let expected = match &example.expect {
            Expect::NoMatch(_) => "none".to_string(),
            Expect::Slots(slots) => slots
                .iter()
                .map(|(name, value)| format!("{name}={value:?}"))
                .collect::<Vec<_>>()
                .join(", "),
        };
        out.push_str(&format!(
            "  [{}] {}\n      → {expected}\n",
            example.lang, example.text
        ));
    }
    out
}
