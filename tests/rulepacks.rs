//! The shipped rule packs on a story unrelated to the seeds (an earthquake, in German and
//! French): the rules extract its figures and the comparator reports where outlets disagree.
//! Asserted by properties (rule, key, language, finding kind), not snapshots.

use std::path::PathBuf;

use claimdiff::compare::compare;
use claimdiff::corpus::{discover, StoryMode};
use claimdiff::model::{Claim, Finding, FindingKind};
use claimdiff::pipeline::{extract_corpus, CorpusOptions};
use claimdiff::rules::RuleSet;

/// The claims and findings of a fixture corpus, read with the embedded rules.
fn check(dir: &str) -> (Vec<Claim>, Vec<Finding>) {
    let rules = RuleSet::embedded().expect("embedded rules load");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir);
    let inputs = discover(&[root], StoryMode::One).expect("corpus found");
    let extraction = extract_corpus(&inputs, &rules, &CorpusOptions::default());
    assert!(extraction.problems.is_empty(), "{:?}", extraction.problems);
    let findings = compare(&extraction.documents, &extraction.claims, &rules);
    (extraction.claims, findings)
}

/// Documents (file names) holding a claim of `rule`.
fn documents_with(claims: &[Claim], rule: &str) -> Vec<String> {
    let mut documents: Vec<String> = claims
        .iter()
        .filter(|claim| claim.rule == rule)
        .map(|claim| claim.document.rsplit('/').next().unwrap_or("").to_string())
        .collect();
    documents.sort();
    documents.dedup();
    documents
}

#[test]
fn earthquake_figures_are_extracted_in_german_and_french() {
    let (claims, _) = check("fixtures/corpora/earthquake");
    for rule in ["quake-magnitude", "killed"] {
        let documents = documents_with(&claims, rule);
        assert_eq!(
            documents,
            ["de_rundschau.txt", "de_zeitung.txt", "fr_quotidien.txt"],
            "rule {rule}"
        );
    }
    for rule in ["injured", "displaced"] {
        let documents = documents_with(&claims, rule);
        assert!(
            documents.iter().any(|d| d.starts_with("de_"))
                && documents.iter().any(|d| d.starts_with("fr_")),
            "rule {rule} in {documents:?}"
        );
    }
    let sourced = claims
        .iter()
        .find(|claim| claim.rule == "killed" && claim.document.ends_with("de_zeitung.txt"))
        .expect("a German death toll");
    let source = sourced
        .attribution
        .source
        .as_ref()
        .expect("the German toll is attributed");
    assert!(source.text.contains("Vereinten Nationen"), "{source:?}");
}

#[test]
fn earthquake_magnitudes_conflict_across_outlets() {
    let (_, findings) = check("fixtures/corpora/earthquake");
    let conflict = findings
        .iter()
        .find(|f| f.rule == "quake-magnitude")
        .expect("a finding on the magnitude");
    assert_eq!(conflict.kind, FindingKind::Conflict);
    let documents: Vec<&str> = conflict
        .values
        .iter()
        .map(|value| &*value.document)
        .collect();
    assert!(documents.iter().any(|d| d.ends_with("fr_quotidien.txt")));
    assert!(documents.iter().any(|d| d.ends_with("de_zeitung.txt")));
}

#[test]
fn death_tolls_of_the_outlets_are_compared() {
    let (_, findings) = check("fixtures/corpora/earthquake");
    let tolls = findings
        .iter()
        .find(|f| f.rule == "killed")
        .expect("a finding on the death toll");
    assert_ne!(tolls.kind, FindingKind::Agreement, "{tolls:?}");
    assert_eq!(tolls.values.len(), 3);
}
