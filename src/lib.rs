//! claimdiff reads several articles about one story, from different outlets and in different
//! languages, and shows where they disagree — and where they agree once values are normalized.
//!
//! The pipeline, one module per stage, plain data between them:
//!
//! ```text
//! corpus ──Document──▶ segment ──Sentence──▶ extract ──Claim──▶ compare ──Finding──▶ report
//!                                  ▲   (normalize: numbers, times, names)
//!                               rules (YAML: languages, entities, claim patterns)
//! ```
//!
//! ```no_run
//! use claimdiff::{corpus, pipeline, rules::RuleSet};
//! let rules = RuleSet::embedded().expect("embedded rules load");
//! let inputs = corpus::discover(&["seeds".into()], corpus::StoryMode::One).unwrap();
//! let extraction = pipeline::extract_corpus(&inputs, &rules, &Default::default());
//! println!("{} claims", extraction.claims.len());
//! ```

pub mod ci;
pub mod cli;
pub mod compare;
pub mod config;
pub mod corpus;
pub mod extract;
pub mod model;
pub mod normalize;
pub mod output;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod segment;
