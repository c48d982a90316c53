//! The pipeline that ties the stages together: read, split and extract each document in
//! parallel, dropping its text as soon as its claims are out, then compare.
//!
//! Output order never depends on thread timing: documents are processed in id order and their
//! results collected in that order.
//!
//! [`check_corpus`] bounds memory by the story, not the corpus: claims are compared only within
//! a story, so each story is extracted and compared on its own and its claims dropped. The
//! findings of all stories go to a [`FindingSorter`], which spills sorted runs to a temporary
//! file past its budget, so they need not all fit in memory either.

use std::collections::BTreeMap;
use std::convert::Infallible;

use rayon::prelude::*;

use crate::compare::{compare_refs, FindingSorter, SortedFindings, DEFAULT_FINDINGS_BUDGET};
use crate::corpus::{read_document, InputProblem, Inputs, ReadOptions, WhatlangGuess};
use crate::model::{Claim, Document, DocumentMeta, Finding};
use crate::rules::RuleSet;

/// Options of a run that reads a corpus.
#[derive(Clone, Debug)]
pub struct CorpusOptions {
    /// Force every document's language.
    pub lang: Option<String>,
    /// Findings [`check_corpus`] holds in memory before it writes them to a temporary file as a
    /// sorted run.
    pub findings_budget: usize,
    /// Documents read in parallel before their results are handed on ([`DOCUMENTS_PER_ROUND`]).
    pub documents_per_round: usize,
}

impl Default for CorpusOptions {
    fn default() -> Self {
        CorpusOptions {
            lang: None,
            findings_budget: DEFAULT_FINDINGS_BUDGET,
            documents_per_round: DOCUMENTS_PER_ROUND,
        }
    }
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

/// Documents read in parallel before their results are handed on in order: claims to be
/// written, or findings to the [`FindingSorter`].
pub const DOCUMENTS_PER_ROUND: usize = 512;

/// The language detector for a rule set: whatlang over the languages with rules.
pub fn detector_for(rules: &RuleSet) -> WhatlangGuess {
    let codes: Vec<(String, String)> = rules
        .languages
        .values()
        .filter_map(|lang| lang.iso639_3.clone().map(|iso3| (lang.code.clone(), iso3)))
        .collect();
    WhatlangGuess::new(&codes)
}

/// Reads the documents of a corpus, detecting the languages of those that don't give one with
/// the rule set's detector.
struct Reader<'a> {
    inputs: &'a Inputs,
    lang: Option<&'a str>,
    detector: WhatlangGuess,
}

impl<'a> Reader<'a> {
    fn new(inputs: &'a Inputs, rules: &RuleSet, options: &'a CorpusOptions) -> Self {
        Reader {
            inputs,
            lang: options.lang.as_deref(),
            detector: detector_for(rules),
        }
    }

    /// Reads input `index` of the corpus.
    fn read(&self, index: usize) -> Result<Document, InputProblem> {
        let options = ReadOptions {
            lang: self.lang,
            detector: &self.detector,
            fallback_lang: "en",
        };
        read_document(&self.inputs.files[index], &self.inputs.configs, &options)
    }
}

/// Reads every input and runs `process` on it in parallel, in rounds of
/// `options.documents_per_round` documents, and hands each result, or the problem that kept the
/// input from being read, to `sink` in id order. Only one round's results are held at a time.
/// Stops at the first error of `sink`.
pub fn read_each<T: Send, E>(
    inputs: &Inputs,
    rules: &RuleSet,
    options: &CorpusOptions,
    process: impl Fn(Document) -> T + Sync + Send,
    mut sink: impl FnMut(Result<T, InputProblem>) -> Result<(), E>,
) -> Result<(), E> {
    let reader = Reader::new(inputs, rules, options);
    let indices: Vec<usize> = (0..inputs.files.len()).collect();
    for round in indices.chunks(options.documents_per_round.max(1)) {
        let results: Vec<Result<T, InputProblem>> = round
            .par_iter()
            .map(|&index| reader.read(index).map(&process))
            .collect();
        results.into_iter().try_for_each(&mut sink)?;
    }
    Ok(())
}

/// Reads every input with `process` in parallel, in id order, splitting the successes from the
/// problems (those of discovery first).
pub fn read_all<T: Send>(
    inputs: &Inputs,
    rules: &RuleSet,
    options: &CorpusOptions,
    process: impl Fn(Document) -> T + Sync + Send,
) -> (Vec<T>, Vec<InputProblem>) {
    let mut done = Vec::new();
    let mut problems = inputs.problems.clone();
    let Ok(()) = read_each(inputs, rules, options, process, |result| {
        match result {
            Ok(value) => done.push(value),
            Err(problem) => problems.push(problem),
        }
        Ok::<(), Infallible>(())
    });
    (done, problems)
}

/// Splits and extracts one document, dropping its text.
pub fn extract_document(document: Document, rules: &RuleSet) -> (DocumentMeta, Vec<Claim>) {
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
#[derive(Debug)]
pub struct Checked {
    /// Documents read, in id order.
    pub documents: Vec<DocumentMeta>,
    /// Number of claims extracted.
    pub claims: usize,
    /// Findings, in the order of [`crate::compare::compare`].
    pub findings: SortedFindings,
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
/// in progress only, and the findings within `options.findings_budget`. Gives the findings of
/// [`extract_corpus`] followed by [`crate::compare::compare`], in the same order. Fails only
/// when the temporary file for findings cannot be written or read.
pub fn check_corpus(
    inputs: &Inputs,
    rules: &RuleSet,
    options: &CorpusOptions,
) -> Result<Checked, String> {
    let reader = Reader::new(inputs, rules, options);
    let mut stories: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, file) in inputs.files.iter().enumerate() {
        stories.entry(file.story.as_str()).or_default().push(index);
    }
    let stories: Vec<Vec<usize>> = stories.into_values().collect();
    let check_story = |members: &Vec<usize>| -> StoryOutcome {
        let results: Vec<(usize, DocumentOutcome)> = members
            .par_iter()
            .map(|&index| {
                let read = reader.read(index);
                (
                    index,
                    read.map(|document| extract_document(document, rules)),
                )
            })
            .collect();
        let mut indices = Vec::new();
        let mut metas = Vec::new();
        let mut problems = Vec::new();
        let mut claims_by_document = Vec::new();
        for (index, result) in results {
            match result {
                Ok((meta, found)) => {
                    indices.push(index);
                    metas.push(meta);
                    claims_by_document.push(found);
                }
                Err(problem) => problems.push((index, problem)),
            }
        }
        let claims: Vec<&Claim> = claims_by_document.iter().flatten().collect();
        let mut findings = compare_refs(&metas, &claims, rules);
        findings.iter_mut().for_each(Finding::shrink_to_fit);
        findings.shrink_to_fit();
        let documents = indices.into_iter().zip(metas).collect();
        (documents, problems, claims.len(), findings)
    };
    let mut gathered = Gathered {
        documents: Vec::new(),
        problems: Vec::new(),
        claims: 0,
        sorter: FindingSorter::new(options.findings_budget),
    };
    // Each round's outcomes are handed to the sorter while the next round is checked, so that
    // no thread waits while the sorter writes a run.
    let mut previous: Vec<StoryOutcome> = Vec::new();
    for round in rounds(&stories, options.documents_per_round) {
        let (outcomes, handed) = rayon::join(
            || round.par_iter().map(check_story).collect(),
            || gathered.take(std::mem::take(&mut previous)),
        );
        handed?;
        previous = outcomes;
    }
    gathered.take(previous)?;
    let Gathered {
        mut documents,
        mut problems,
        claims,
        sorter,
    } = gathered;
    documents.sort_by_key(|(index, _)| *index);
    problems.sort_by_key(|(index, _)| *index);
    let mut all_problems = inputs.problems.clone();
    all_problems.extend(problems.into_iter().map(|(_, problem)| problem));
    Ok(Checked {
        documents: documents.into_iter().map(|(_, meta)| meta).collect(),
        claims,
        findings: sorter.finish()?,
        problems: all_problems,
    })
}

/// What [`check_corpus`] has gathered from the stories checked so far.
struct Gathered {
    documents: Vec<(usize, DocumentMeta)>,
    problems: Vec<(usize, InputProblem)>,
    claims: usize,
    sorter: FindingSorter,
}

impl Gathered {
    /// Takes in the outcomes of a round of stories, in story order.
    fn take(&mut self, outcomes: Vec<StoryOutcome>) -> Result<(), String> {
        for (documents, problems, claims, findings) in outcomes {
            self.documents.extend(documents);
            self.problems.extend(problems);
            self.claims += claims;
            self.sorter.extend(findings)?;
        }
        Ok(())
    }
}

/// Consecutive runs of stories of at least `documents` documents each (the last may have fewer).
fn rounds(stories: &[Vec<usize>], documents: usize) -> Vec<&[Vec<usize>]> {
    let mut rounds = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (index, story) in stories.iter().enumerate() {
        size += story.len();
        if size >= documents {
            rounds.push(&stories[start..=index]);
            start = index + 1;
            size = 0;
        }
    }
    if start < stories.len() {
        rounds.push(&stories[start..]);
    }
    rounds
}
