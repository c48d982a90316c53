//! Large runs: findings past the memory budget go to a temporary file as sorted runs and come
//! back merged in report order; JSON reports are written finding by finding; documents are
//! handed on in rounds, in id order. Each must give exactly what the in-memory path gives.

use std::path::PathBuf;

use claimdiff::compare::SortedFindings;
use claimdiff::corpus::{discover, StoryMode};
use claimdiff::model::{DocumentMeta, Finding};
use claimdiff::pipeline::{check_corpus, read_all, read_each, Checked, CorpusOptions};
use claimdiff::report::{self, Format, Style};
use claimdiff::rules::RuleSet;

/// Checks the three fixture stories and the seeds (one story a directory) holding at most
/// `budget` findings in memory.
fn check_with_budget(budget: usize) -> Checked {
    check_in_rounds(budget, CorpusOptions::default().documents_per_round)
}

/// [`check_with_budget`] handing on results every `documents_per_round` documents.
fn check_in_rounds(budget: usize, documents_per_round: usize) -> Checked {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let inputs = discover(
        &[root.join("fixtures/corpora"), root.join("seeds")],
        StoryMode::Dirs,
    )
    .expect("corpora found");
    let options = CorpusOptions {
        findings_budget: budget,
        documents_per_round,
        ..CorpusOptions::default()
    };
    let rules = RuleSet::embedded_shared().expect("embedded rules load");
    check_corpus(&inputs, rules, &options).expect("checked")
}

fn collected(findings: SortedFindings) -> Vec<Finding> {
    findings
        .collect::<Result<_, _>>()
        .expect("temporary file read")
}

#[test]
fn findings_spilled_in_sorted_runs_come_back_in_report_order() {
    let checked = check_with_budget(usize::MAX);
    let (documents, claims) = (checked.documents.clone(), checked.claims);
    let story_of: std::collections::HashMap<&str, &str> = checked
        .documents
        .iter()
        .map(|meta| (&*meta.id, &*meta.story))
        .collect();
    let in_memory = collected(checked.findings);
    assert!(in_memory.len() > 40, "{} findings", in_memory.len());
    let stories: std::collections::BTreeSet<&str> = in_memory
        .iter()
        .flat_map(|finding| finding.values.iter())
        .map(|source| story_of[&*source.document])
        .collect();
    assert!(
        stories.len() >= 3,
        "findings of several stories: {stories:?}"
    );
    // A budget of one finding writes a run for every story; seven cuts stories into runs. A
    // round of one document makes every story a round of its own, handed to the sorter while
    // the next is checked, on two threads or in turn on one.
    let pool = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool")
    };
    let cases = [
        (1, 512, 2),
        (7, 3, 2),
        (100, 1, 2),
        (usize::MAX, 1, 2),
        (7, 3, 1),
    ];
    for (budget, documents_per_round, threads) in cases {
        let case = format!("budget {budget}, rounds of {documents_per_round}, {threads} threads");
        let spilled = pool(threads).install(|| check_in_rounds(budget, documents_per_round));
        assert_eq!(spilled.documents, documents, "{case}");
        assert_eq!(spilled.claims, claims, "{case}");
        let spilled = collected(spilled.findings);
        assert_eq!(spilled.len(), in_memory.len(), "{case}");
        for (index, (spilled, kept)) in spilled.iter().zip(&in_memory).enumerate() {
            assert_eq!(spilled, kept, "finding {index} with {case}");
        }
    }
}

/// Renders `findings` as one report built in memory, and streamed.
fn built_and_streamed(
    documents: &[DocumentMeta],
    claims: usize,
    findings: &[Finding],
    format: Format,
) -> (Vec<u8>, Vec<u8>) {
    let built = report::build(documents.to_vec(), claims, findings.to_vec());
    let mut whole = Vec::new();
    report::write(&built, format, &Style::default(), &mut whole).expect("written");
    let mut streamed = Vec::new();
    let stream = findings.iter().cloned().map(Ok);
    report::write_streamed(documents.to_vec(), claims, stream, format, &mut streamed)
        .expect("streamed");
    (whole, streamed)
}

#[test]
fn streamed_json_reports_are_the_bytes_of_built_ones() {
    let checked = check_with_budget(5);
    let findings = collected(checked.findings);
    let mut documents = checked.documents;
    documents.reverse();
    for format in [Format::Json, Format::Jsonl] {
        let (whole, streamed) = built_and_streamed(&documents, checked.claims, &findings, format);
        assert!(whole.len() > 10_000, "{format:?}");
        assert_eq!(
            String::from_utf8_lossy(&streamed),
            String::from_utf8_lossy(&whole),
            "{format:?}"
        );
    }
    let (whole, streamed) = built_and_streamed(&documents, checked.claims, &[], Format::Json);
    assert_eq!(streamed, whole, "an empty report");
}

#[test]
fn a_failing_stream_fails_the_report_with_its_message() {
    let findings = collected(check_with_budget(usize::MAX).findings);
    let stream = findings
        .into_iter()
        .take(3)
        .map(Ok)
        .chain([Err("temporary file for findings: disk full".to_string())]);
    for format in [Format::Json, Format::Jsonl] {
        let error = report::write_streamed(Vec::new(), 0, stream.clone(), format, &mut Vec::new())
            .expect_err("the error reaches the report");
        assert!(error.contains("disk full"), "{format:?}: {error}");
    }
    let error = report::write_streamed(
        Vec::new(),
        0,
        std::iter::empty(),
        Format::Table,
        &mut Vec::new(),
    )
    .expect_err("a table is built, not streamed");
    assert!(error.contains("Table"), "{error}");
}

#[test]
fn documents_reach_the_sink_in_id_order_with_their_problems_and_a_failing_sink_stops_it() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let inputs = discover(
        &[root.join("fixtures/bad"), root.join("fixtures/corpora")],
        StoryMode::One,
    )
    .expect("corpora found");
    let rules = RuleSet::embedded_shared().expect("embedded rules load");
    let options = CorpusOptions::default();
    let id = |document: claimdiff::model::Document| document.meta.id.to_string();
    let mut handed = Vec::new();
    read_each(&inputs, rules, &options, id, |result| {
        handed.push(result.map_err(|problem| problem.to_string()));
        Ok::<(), ()>(())
    })
    .expect("the sink never fails");
    assert_eq!(handed.len(), inputs.files.len(), "one result per input");
    let read: Vec<&String> = handed.iter().flatten().collect();
    assert!(read.len() > 10 && read.len() < handed.len(), "{handed:?}");
    assert!(read.windows(2).all(|pair| pair[0] < pair[1]), "id order");
    let (all, problems) = read_all(&inputs, rules, &options, id);
    assert_eq!(all.iter().collect::<Vec<_>>(), read);
    assert_eq!(
        problems.len(),
        handed.len() - read.len() + inputs.problems.len()
    );
    let mut calls = 0;
    let stopped = read_each(&inputs, rules, &options, id, |_| {
        calls += 1;
        Err("disk full")
    });
    assert_eq!((stopped, calls), (Err("disk full"), 1));
}
