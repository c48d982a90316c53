//! `claimdiff parse`: normalizes expressions one by one — a number, quantity, time or entity —
//! and prints one JSON object `{"text","value"}` per expression, `"value": null` when the
//! expression does not parse as a whole.

use std::io::{BufRead, Write};

use serde_json::{json, Value};

use super::{Failure, RuleArgs, EXIT_OK};
use crate::model::PubDate;
use crate::normalize::time::{Anchor, Direction};
use crate::rules::{nearest_name, Language, RuleSet};

/// What kind of expression to parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// A number: `2,500`, `vierhonderd`, `over 1.000`.
    Number,
    /// A quantity with its unit: `ruim vierhonderd kilometer`, `$1.4 billion`.
    Quantity,
    /// A time, resolved against `--anchor`: `on Sunday`, `aanstaande zondag`.
    Time,
    /// An entity name, a demonym or a genitive, as written.
    Entity,
}

/// Arguments of `claimdiff parse`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {
    /// What the expressions are.
    #[arg(value_enum)]
    pub kind: Kind,
    /// Language of the expressions (`en`, `nl`, `nb`…).
    #[arg(long)]
    pub lang: String,
    /// Publication date the times are resolved against: `YYYY-MM-DD`, `YYYY-MM`, or a date
    /// and time `YYYY-MM-DDTHH:MM` (the time of day is not used yet).
    #[arg(long, value_name = "DATE|DATETIME")]
    pub anchor: Option<String>,
    /// Whether unmarked times point back (a report) or forward (an announcement).
    #[arg(long, value_enum)]
    pub prefer: Option<Direction>,
    /// Expressions; without any, one expression per line of standard input.
    #[arg(value_name = "TEXT")]
    pub texts: Vec<String>,
    #[command(flatten)]
    /// Rule directories.
    pub rules: RuleArgs,
}

/// Runs `claimdiff parse`.
pub fn run(args: &Args) -> Result<u8, Failure> {
    let rules = args.rules.load(&[])?;
    let language = known_language(&rules, &args.lang)?;
    let anchor = Anchor::from_date(args.anchor.as_deref().map(parse_anchor).transpose()?);
    let parser = Parser {
        rules: &rules,
        language,
        kind: args.kind,
        anchor,
        prefer: args.prefer,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.texts.is_empty() {
        for line in std::io::stdin().lock().lines() {
            let line = line.map_err(|e| format!("standard input: {e}"))?;
            write_answer(&mut out, &line, parser.value(&line))?;
            out.flush()?;
        }
    } else {
        for text in &args.texts {
            write_answer(&mut out, text, parser.value(text))?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// The language `code`, or an error naming the known ones.
fn known_language<'a>(rules: &'a RuleSet, code: &str) -> Result<&'a Language, Failure> {
    if let Some(language) = rules.languages.get(code) {
        return Ok(language);
    }
    let known = rules.language_codes();
    let hint = nearest_name(code, &known)
        .map(|best| format!("; did you mean `{best}`?"))
        .unwrap_or_default();
    Err(Failure(format!(
        "no rules for language `{code}` (known: {}){hint}",
        known.join(", ")
    )))
}

/// `YYYY-MM-DD`, `YYYY-MM`, or a date followed by `T` or a space and a time of day.
fn parse_anchor(text: &str) -> Result<PubDate, Failure> {
    let date = text.split(['T', ' ']).next().unwrap_or_default().trim();
    date.parse::<PubDate>()
        .map_err(|e| Failure(format!("--anchor `{text}`: {e}")))
}

/// Everything needed to normalize one expression.
struct Parser<'a> {
    rules: &'a RuleSet,
    language: &'a Language,
    kind: Kind,
    anchor: Anchor,
    prefer: Option<Direction>,
}

impl Parser<'_> {
    /// The normalized value of `text` as JSON, `null` when it does not parse as a whole.
    fn value(&self, text: &str) -> Value {
        let value = match self.kind {
            Kind::Number | Kind::Quantity => {
                self.language.numbers.parse(text).map(serde_json::to_value)
            }
            Kind::Time => self
                .language
                .times
                .parse(text, &self.anchor, self.prefer)
                .map(serde_json::to_value),
            Kind::Entity => {
                let trimmed = text.trim();
                self.rules
                    .entities
                    .match_at(trimmed, 0, &self.language.code)
                    .filter(|(end, _)| *end == trimmed.len())
                    .map(|(_, entity)| serde_json::to_value(entity))
            }
        };
        value.and_then(Result::ok).unwrap_or(Value::Null)
    }
}

fn write_answer(out: &mut impl Write, text: &str, value: Value) -> Result<(), Failure> {
    let line = json!({ "text": text, "value": value });
    writeln!(out, "{line}")?;
    Ok(())
}
