//! The pipeline that ties the stages together: read, split and extract each document in
//! parallel, dropping its text as soon as its claims are out, then compare.
//!
//! Output order never depends on thread timing: documents are processed in id order and their
//! results collected in that order.

use rayon::prelude::*;

use crate::corpus::{read_document, InputProblem, Inputs, ReadOptions, WhatlangGuess};
use crate::model::{Claim, Document, DocumentMeta};
use crate::rules::RuleSet;

/// Options of a run that reads a corpus.
#[derive(Clone, Debug, Default)]
pub struct CorpusOptions {
    /// Force every document's language.
    pub lang: Option<String>,
}

/// Claims extracted from a corpus, with the documents they came from.
#[derive(Clone, Debug, Default)]
pub struct Extraction {
    /// Documents read, in id order.
    pub documents: Vec<DocumentMeta>,
    /// Claims, grouped by document in id order, each document's in text order.
    pub claims: Vec<Claim>,
    /// Files that could not be read.
    pub problems: Vec<InputProblem>,
}

/// The language detector for a rule set: whatlang over the languages with rules.
pub fn detector_for(rules: &RuleSet) -> WhatlangGuess {
    let codes: Vec<(String, String)> = rules
        .languages
        .values()
        .filter_map(|lang| lang.iso639_3.clone().map(|iso3| (lang.code.clone(), iso3)))
        .collect();
    WhatlangGuess::new(&codes)
}

/// Reads every input with `read` in parallel, in id order, splitting the successes from the
/// problems.
pub fn read_all<T: Send>(
    inputs: &Inputs,
    rules: &RuleSet,
    options: &CorpusOptions,
    process: impl Fn(Document) -> T + Sync + Send,
) -> (Vec<T>, Vec<InputProblem>) {
    let detector = detector_for(rules);
    let read_options = ReadOptions {
        lang: options.lang.as_deref(),
        detector: &detector,
        fallback_lang: "en",
    };
    let results: Vec<Result<T, InputProblem>> = inputs
        .files
        .par_iter()
        .map(|input| read_document(input, &inputs.configs, &read_options).map(&process))
        .collect();
    let mut done = Vec::new();
    let mut problems = inputs.problems.clone();
    for result in results {
        match result {
            Ok(value) => done.push(value),
            Err(problem) => problems.push(problem),
        }
    }
    (done, problems)
}

/// Splits and extracts every document of `inputs`; each document's text is dropped once its
/// claims are extracted.
pub fn extract_corpus(inputs: &Inputs, rules: &RuleSet, options: &CorpusOptions) -> Extraction {
    let (per_document, problems) = read_all(inputs, rules, options, |document| {
        let language = rules.language(&document.meta.lang);
        let sentences = language.segmenter.split(&document.text, document.body);
        let claims = crate::extract::extract(&document, &sentences, rules);
        (document.meta, claims)
    });
    let mut extraction = Extraction {
        problems,
        ..Extraction::default()
    };
    for (meta, claims) in per_document {
        extraction.documents.push(meta);
        extraction.claims.extend(claims);
    }
    extraction
}
