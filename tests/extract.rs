//! Extraction on the seed corpus and on two unrelated fixture stories, asserted by properties
//! (rule, key and normalized values), not snapshots.

use std::path::PathBuf;

use claimdiff::corpus::{discover, StoryMode};
use claimdiff::extract::examples::canonical;
use claimdiff::model::{Claim, Stance};
use claimdiff::pipeline::{extract_corpus, CorpusOptions};
use claimdiff::rules::RuleSet;
use english::extract_english;

#[path = "common/english.rs"]
mod english;

fn claims_of(dir: &str) -> Vec<Claim> {
    let rules = RuleSet::embedded().expect("embedded rules load");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir);
    let inputs = discover(&[root], StoryMode::One).expect("corpus found");
    let extraction = extract_corpus(&inputs, &rules, &CorpusOptions::default());
    assert!(extraction.problems.is_empty(), "{:?}", extraction.problems);
    extraction.claims
}

fn in_doc<'a>(claims: &'a [Claim], doc: &str, rule: &str) -> Vec<&'a Claim> {
    claims
        .iter()
        .filter(|c| c.document.contains(doc) && c.rule == rule)
        .collect()
}

fn slot(claim: &Claim, name: &str) -> String {
    claim
        .slots
        .get(name)
        .map(|s| canonical(&s.value))
        .unwrap_or_default()
}

/// Slot `name` of each claim of `rule` that `keep` accepts, in claim order.
fn values_of(
    claims: &[Claim],
    rule: &str,
    name: &str,
    keep: impl Fn(&Claim) -> bool,
) -> Vec<String> {
    claims
        .iter()
        .filter(|c| c.rule == rule && keep(c))
        .map(|c| slot(c, name))
        .collect()
}

/// The backers a document names for one side, sorted.
fn backers(claims: &[Claim], doc: &str, side: &str) -> Vec<String> {
    let mut ids: Vec<String> = in_doc(claims, doc, "backs")
        .into_iter()
        .filter(|c| c.key == format!("backs/{side}"))
        .flat_map(|c| {
            slot(c, "backers")
                .split(',')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn mercenary_counts_carry_their_attribution() {
    let claims = claims_of("seeds");
    let erdogan = in_doc(&claims, "000_", "mercenaries");
    assert_eq!(erdogan.len(), 1);
    let claim = erdogan[0];
    assert_eq!(claim.key, "mercenaries/russia/libya_lna");
    assert_eq!(slot(claim, "count"), "2500");
    let denier = claim
        .attribution
        .denied_by
        .as_ref()
        .expect("denied by Moscow");
    assert_eq!(canonical(&denier.value), "moscow");
    assert_eq!(claim.attribution.stance, Stance::Denied);

    let sarraj = in_doc(&claims, "004_", "mercenaries");
    assert_eq!(sarraj.len(), 1);
    let claim = sarraj[0];
    assert_eq!(claim.key, "mercenaries/russia/libya_lna");
    assert_eq!(slot(claim, "count"), "600-800");
    assert_eq!(slot(claim, "affiliation"), "wagner_group");
    let source = claim
        .attribution
        .source
        .as_ref()
        .expect("Sarraj's government claims it");
    assert_eq!(canonical(&source.value), "libya_gna");
    assert!(claim.attribution.denied_by.is_some());
}

#[test]
fn backers_of_each_side_per_source() {
    let claims = claims_of("seeds");
    let east = |doc| backers(&claims, doc, "libya_lna");
    let west = |doc| backers(&claims, doc, "libya_gna");
    assert_eq!(east("000_"), ["egypt", "jordan", "united_arab_emirates"]);
    assert_eq!(
        east("001_"),
        ["egypt", "france", "russia", "united_arab_emirates"]
    );
    assert_eq!(east("002_"), ["russia"]);
    assert_eq!(
        east("003_"),
        ["egypt", "france", "russia", "united_arab_emirates"]
    );
    assert_eq!(
        east("004_"),
        [
            "egypt",
            "jordan",
            "russia",
            "saudi_arabia",
            "united_arab_emirates"
        ]
    );
    assert_eq!(west("000_"), ["turkey"]);
    assert_eq!(west("001_"), ["italy", "qatar", "turkey"]);
    assert_eq!(west("002_"), ["turkey"]);
    assert_eq!(west("003_"), ["italy", "qatar", "turkey"]);
    assert!(west("004_").contains(&"qatar".to_string()));
}

#[test]
fn ceasefire_start_in_four_sources() {
    let claims = claims_of("seeds");
    for doc in ["000_", "001_", "002_", "003_"] {
        let found = in_doc(&claims, doc, "ceasefire-start");
        assert!(!found.is_empty(), "{doc}: no ceasefire start");
        assert!(found.iter().all(|c| c.key == "ceasefire/start"));
    }
    let dated = in_doc(&claims, "001_", "ceasefire-start");
    assert!(dated.iter().any(|c| slot(c, "when") == "2020-01-12T00:00"));
}

#[test]
fn joint_statement_quoted_by_001_and_003() {
    let claims = claims_of("seeds");
    for doc in ["001_", "003_"] {
        let quotes: Vec<_> = in_doc(&claims, doc, "quote")
            .into_iter()
            .filter(|c| c.key == "quote/recep_tayyip_erdogan+vladimir_putin")
            .collect();
        assert_eq!(quotes.len(), 2, "{doc}");
        assert!(slot(quotes[0], "text").starts_with("Seeking a military solution"));
        let second = slot(quotes[1], "text");
        assert!(second.starts_with("We have been following"), "{second}");
        assert!(
            second.contains("The worsening situation"),
            "{doc}: both halves: {second}"
        );
    }
}

#[test]
fn casualty_figures_of_004() {
    let claims = claims_of("seeds");
    let killed = in_doc(&claims, "004_", "killed");
    assert!(!killed.is_empty() && killed.iter().all(|c| slot(c, "count") == ">1000"));
    assert!(killed.iter().all(|c| c.evolving));
    let displaced = in_doc(&claims, "004_", "displaced");
    assert!(!displaced.is_empty() && displaced.iter().all(|c| slot(c, "count") == ">=100000"));
}

#[test]
fn name_mentions_with_positions() {
    let claims = claims_of("seeds");
    let mentions = in_doc(&claims, "001_", "mention");
    let hifter = mentions
        .iter()
        .find(|c| c.slots["name"].text.contains("Hifter"))
        .expect("Hifter is mentioned");
    let span = hifter.slots["name"].span;
    let text =
        std::fs::read_to_string(&*hifter.evidence.file).expect("the evidence names the file");
    assert_eq!(&text[span.start..span.end], hifter.slots["name"].text);
    assert!(hifter.evidence.line > 1);
}

#[test]
fn flood_story_figures() {
    let claims = claims_of("fixtures/corpora/flood");
    let tolls = values_of(&claims, "killed", "count", |_| true);
    assert_eq!(tolls, [String::from("103"), ">=42".into(), "60".into()]);
    let displaced = values_of(&claims, "displaced", "count", |_| true);
    assert_eq!(
        displaced,
        [String::from(">20000"), "~15000".into(), ">=8000".into()]
    );
    assert_eq!(claims.iter().filter(|c| c.rule == "rainfall").count(), 3);
}

#[test]
fn election_story_figures() {
    let claims = claims_of("fixtures/corpora/election");
    let turnout = values_of(&claims, "turnout", "share", |_| true);
    assert_eq!(turnout.len(), 3);
    let lind_votes = values_of(&claims, "votes", "count", |c| {
        slot(c, "candidate").contains("lind")
    });
    assert_eq!(lind_votes, ["1180000", "1204500", "1200000"]);
    let backers_of_lind = values_of(&claims, "backs", "backers", |c| {
        slot(c, "object").contains("lind")
    });
    assert_eq!(backers_of_lind, ["denmark,sweden", "sweden"]);
}

/// The attribution sources of `text`, read as one dated English document.
fn sources_in(text: &str) -> Vec<String> {
    let rules = RuleSet::embedded_shared().expect("embedded rules load");
    extract_english(rules, text.to_string())
        .iter()
        .filter_map(|claim| claim.attribution.source.as_ref())
        .map(|source| canonical(&source.value))
        .collect()
}

#[test]
fn a_pronoun_refers_to_the_last_sentence_of_prose_not_to_a_caption() {
    let after_prose = "Mayor Ines Berg spoke on Monday.\n\n\
                       She has criticised the presence of 300 soldiers.\n";
    let sources = sources_in(after_prose);
    assert!(sources.iter().any(|s| s.contains("berg")), "{sources:?}");
    let after_caption = "Mayor Ines Berg spoke on Monday.\n\nNorth Harbour Photo Agency\n\n\
                         She has criticised the presence of 300 soldiers.\n";
    let sources = sources_in(after_caption);
    assert!(
        !sources.is_empty() && sources.iter().all(|s| s.contains("berg")),
        "{sources:?}"
    );
}

#[test]
fn a_document_gets_the_same_claims_whatever_was_extracted_before_it_on_the_thread() {
    // Extraction keeps a per-thread buffer of claims from document to document.
    let rules = RuleSet::embedded_shared().expect("embedded rules load");
    let small = "Mayor Ines Berg said 300 soldiers arrived on Monday.\n".to_string();
    let large = "Mayor Ines Berg said 300 soldiers arrived on Monday. \
                 Officials said 40 people were killed and 120 injured.\n"
        .repeat(200);
    let first = extract_english(rules, small.clone());
    assert!(!first.is_empty());
    let many = extract_english(rules, large);
    assert!(many.len() > first.len());
    assert_eq!(extract_english(rules, small), first);
}

#[test]
fn one_mention_claim_per_entity_and_written_form() {
    let rules = RuleSet::embedded_shared().expect("embedded rules load");
    let text = "Mayor Ines Berg spoke on Monday. Berg said 300 soldiers arrived. \
                Mayor Ines Berg left on Tuesday.\n"
        .to_string();
    let mentions: Vec<(String, String)> = extract_english(rules, text)
        .into_iter()
        .filter(|claim| claim.rule == claimdiff::extract::MENTION_RULE)
        .map(|claim| (claim.key, claim.slots["name"].text.clone()))
        .collect();
    let mut forms: Vec<&String> = mentions.iter().map(|(_, form)| form).collect();
    let written = forms.len();
    forms.sort();
    forms.dedup();
    assert_eq!(forms.len(), written, "a form claimed twice: {mentions:?}");
    assert!(
        mentions.iter().any(|(_, form)| form.contains("Berg")),
        "{mentions:?}"
    );
}
