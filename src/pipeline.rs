//! The pipeline that ties the stages together: read, split and extract each document in
//! parallel, dropping its text as soon as its claims are out, then compare.
//!
//! Output order never depends on thread timing: documents are processed in id order and their
//! results collected in that order.
//!
//! [`check_corpus`] bounds memory by the story, not the corpus: claims are compared only within
//! a story, so each story is extracted and compared on its own and its claims dropped before
//! the findings of all stories are merged.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::compare::{compare, sort_findings};
use crate::corpus::{read_document, InputProblem, Inputs, ReadOptions, WhatlangGuess};
use crate::model::{Claim, Document, DocumentMeta, Finding};
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

/// Splits and extracts one document, dropping its text.
fn extract_document(document: Document, rules: &RuleSet) -> (DocumentMeta, Vec<Claim>) {
    let language = rules.language(&document.meta.lang);
    let sentences = language.segmenter.split(&document.text, document.body);
    let claims = crate::extract::extract(&document, &sentences, rules);
    (document.meta, claims)
}

/// Splits and extracts every document of `inputs`; each document's text is dropped once its
/// claims are extracted.
pub fn extract_corpus(inputs: &Inputs, rules: &RuleSet, options: &CorpusOptions) -> Extraction {
    let (per_document, problems) = read_all(inputs, rules, options, |document| {
        extract_document(document, rules)
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

/// The outcome of checking a corpus: what `extract` and `compare` give, without the claims.
#[derive(Clone, Debug, Default)]
pub struct Checked {
    /// Documents read, in id order.
    pub documents: Vec<DocumentMeta>,
    /// Number of claims extracted.
    pub claims: usize,
    /// Findings, in the order of [`crate::compare::compare`].
    pub findings: Vec<Finding>,
    /// Files that could not be read.
    pub problems: Vec<InputProblem>,
}

/// What one document gives: its metadata and claims, or why it could not be read.
type DocumentOutcome = Result<(DocumentMeta, Vec<Claim>), InputProblem>;

/// What one story gives: its documents and problems with their input index, its claim count and
/// its findings.
type StoryOutcome = (
    Vec<(usize, DocumentMeta)>,
    Vec<(usize, InputProblem)>,
    usize,
    Vec<Finding>,
);

/// Extracts and compares every story of `inputs` in parallel, holding the claims of the stories
/// in progress only. Gives the findings of [`extract_corpus`] followed by
/// [`crate::compare::compare`], in the same order.
pub fn check_corpus(inputs: &Inputs, rules: &RuleSet, options: &CorpusOptions) -> Checked {
    let detector = detector_for(rules);
    let read_options = ReadOptions {
        lang: options.lang.as_deref(),
        detector: &detector,
        fallback_lang: "en",
    };
    let mut stories: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, file) in inputs.files.iter().enumerate() {
        stories.entry(file.story.as_str()).or_default().push(index);
    }
    let stories: Vec<Vec<usize>> = stories.into_values().collect();
    let outcomes: Vec<StoryOutcome> = stories
        .par_iter()
        .map(|members| {
            let results: Vec<(usize, DocumentOutcome)> = members
                .par_iter()
                .map(|&index| {
                    let read = read_document(&inputs.files[index], &inputs.configs, &read_options);
                    (
                        index,
                        read.map(|document| extract_document(document, rules)),
                    )
                })
                .collect();
            let mut documents = Vec::new();
            let mut problems = Vec::new();
            let mut claims = Vec::new();
            for (index, result) in results {
                match result {
                    Ok((meta, found)) => {
                        documents.push((index, meta));
                        claims.extend(found);
                    }
                    Err(problem) => problems.push((index, problem)),
                }
            }
            let metas: Vec<DocumentMeta> = documents.iter().map(|(_, meta)| meta.clone()).collect();
            let mut findings = compare(&metas, &claims, rules);
            findings.iter_mut().for_each(Finding::shrink_to_fit);
            findings.shrink_to_fit();
            (documents, problems, claims.len(), findings)
        })
        .collect();
    let mut documents = Vec::new();
    let mut problems = Vec::new();
    let mut checked = Checked::default();
    let total = outcomes.iter().map(|outcome| outcome.3.len()).sum();
    checked.findings.reserve_exact(total);
    for (story_documents, story_problems, claims, findings) in outcomes {
        documents.extend(story_documents);
        problems.extend(story_problems);
        checked.claims += claims;
        checked.findings.extend(findings);
    }
    documents.sort_by_key(|(index, _)| *index);
    problems.sort_by_key(|(index, _)| *index);
    checked.documents = documents.into_iter().map(|(_, meta)| meta).collect();
    checked.problems = inputs.problems.clone();
    checked
        .problems
        .extend(problems.into_iter().map(|(_, problem)| problem));
    sort_findings(&mut checked.findings);
    checked
}
