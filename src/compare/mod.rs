//! The comparator: groups claims by story and key and compares their values across documents,
//! producing findings.
//!
//! Claims are grouped with hash maps by `(story, kind, key)`; documents are never compared pair
//! by pair. Inside a group the work is linear (or `n log n` for sorting).
//!
//! Which slot of a claim is compared depends on its kind:
//!
//! | kind                  | compared slot                                                      |
//! |-----------------------|--------------------------------------------------------------------|
//! | `quantity`            | `value`, else the first quantity slot                              |
//! | `event-time`          | `value` or `time`, else the first time slot                        |
//! | `relation`            | `members`, else the entity-list slots                              |
//! | `meeting`             | `members`, else the single-entity slots (the place)                |
//! | `quote`               | `quote`, else the first text slot; the key names the speaker       |
//! | `mention`             | `name`, clustered by [`crate::normalize::names::spelling_variants`] |
//!
//! A member that one document asserts and another reports denied is a conflict. For relation
//! rules whose members take a side (`exclude-side-of: object` in `rules/claims`), a member named
//! under objects on opposite sides (per `rules/entities`) in two documents is a conflict too.

mod names;
mod quote;
mod relation;
mod scalar;
mod sorted;

use std::borrow::Borrow;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::model::{
    Claim, ClaimKind, DocId, DocumentMeta, EntityRef, Finding, FindingKind, Level, Slot,
    SourceValue, Span, Value,
};
use crate::rules::RuleSet;

pub use sorted::{FindingSorter, SortedFindings, DEFAULT_FINDINGS_BUDGET};

/// Compares the claims of one run. Findings come out in [`report_order`], which depends neither
/// on the order of `claims` nor on thread timing.
pub fn compare(documents: &[DocumentMeta], claims: &[Claim], rules: &RuleSet) -> Vec<Finding> {
    let claims: Vec<&Claim> = claims.iter().collect();
    let mut findings = compare_refs(documents, &claims, rules);
    sort_findings(&mut findings);
    findings
}

/// [`compare`] of borrowed claims: the claims of several documents are compared where they lie,
/// without being moved into one vector first. The findings come in a stable order (spelling
/// variants by story, then each group's by story, kind and key, then named on opposing sides),
/// not yet sorted into [`report_order`]: a caller gathering several runs' findings sorts them
/// all once.
pub fn compare_refs(
    documents: &[DocumentMeta],
    claims: &[&Claim],
    rules: &RuleSet,
) -> Vec<Finding> {
    let context = Context::new(documents, rules);
    let stories = context.stories_of(claims);
    let mut mentions: HashMap<&str, Vec<&Claim>> = HashMap::new();
    for (&claim, &story) in claims.iter().zip(&stories) {
        if claim.kind == ClaimKind::Mention {
            mentions.entry(story).or_default().push(claim);
        }
    }
    // The keys of a map are distinct: an unstable sort gives the one order.
    let mut mentions: Vec<_> = mentions.into_iter().collect();
    mentions.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut findings: Vec<Finding> = Vec::new();
    let mut aliases: HashMap<&str, HashMap<String, EntityRef>> = HashMap::new();
    for (story, mut story_mentions) in mentions {
        sort_claims(&mut story_mentions);
        let story_names = names::story_names(story, &story_mentions, &context);
        findings.extend(story_names.findings);
        aliases.insert(story, story_names.aliases);
    }
    // Names written in a variant spelling are compared as the entity they spell. Boxed: most
    // claims change nothing, and a `None` then costs a pointer rather than a claim's size.
    let resolved: Vec<Option<Box<Claim>>> = claims
        .par_iter()
        .zip(&stories)
        .map(|(claim, story)| {
            let story_aliases = aliases.get(story)?;
            if claim.kind == ClaimKind::Mention || story_aliases.is_empty() {
                return None;
            }
            names::resolve_aliases(claim, story_aliases).map(Box::new)
        })
        .collect();
    let mut groups: HashMap<(&str, ClaimKind, &str), Vec<&Claim>> = HashMap::new();
    for ((&claim, resolved), &story) in claims.iter().zip(&resolved).zip(&stories) {
        if claim.kind == ClaimKind::Mention {
            continue;
        }
        let claim = resolved.as_deref().unwrap_or(claim);
        groups
            .entry((story, claim.kind, claim.key.as_str()))
            .or_default()
            .push(claim);
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (_, group) in &mut groups {
        sort_claims(group);
    }
    findings.par_extend(
        groups
            .par_iter()
            .flat_map_iter(|((_, kind, _), group)| match kind {
                ClaimKind::Quantity => scalar::compare_quantities(group, &context),
                ClaimKind::EventTime => scalar::compare_times(group, &context),
                ClaimKind::Relation | ClaimKind::Meeting => relation::compare_sets(group),
                ClaimKind::Quote => quote::compare_quotes(group),
                ClaimKind::Mention => Vec::new(),
            }),
    );
    // Taken in the order the claims came, which is by document already, so that sorting them
    // is little more than a pass.
    let mut relations: Vec<&Claim> = claims
        .iter()
        .zip(&resolved)
        .map(|(&claim, resolved)| resolved.as_deref().unwrap_or(claim))
        .filter(|claim| claim.kind == ClaimKind::Relation)
        .collect();
    sort_claims(&mut relations);
    findings.extend(relation::opposite_sides(&relations, &context));
    findings
}

/// The order of findings in a report: most severe first, then by kind, topic, key and
/// fingerprint.
pub fn report_order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    b.level
        .cmp(&a.level)
        .then(a.kind.cmp(&b.kind))
        .then_with(|| a.topic.cmp(&b.topic))
        .then_with(|| a.key.cmp(&b.key))
        .then_with(|| a.fingerprint.cmp(&b.fingerprint))
}

/// Sorts findings into [`report_order`], keeping the order of equal ones. The sort moves
/// indices rather than findings, which are a couple of hundred bytes each; each finding then
/// moves once, to its place.
pub fn sort_findings(findings: &mut Vec<Finding>) {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by(|&a, &b| report_order(&findings[a], &findings[b]));
    let mut unplaced: Vec<Option<Finding>> = findings.drain(..).map(Some).collect();
    findings.extend(
        order
            .into_iter()
            .map(|index| unplaced[index].take().expect("each index comes once")),
    );
}

/// The stable fingerprint of a finding: the first 16 hex digits of the SHA-256 of its rule, key,
/// sorted document ids and sorted value displays.
pub fn fingerprint(rule: &str, key: &str, values: &[SourceValue]) -> String {
    let mut documents: Vec<&str> = values.iter().map(|v| &*v.document).collect();
    documents.sort_unstable();
    documents.dedup();
    let mut displays: Vec<&str> = values.iter().map(|v| v.display.as_str()).collect();
    displays.sort_unstable();
    displays.dedup();
    let mut hasher = Sha256::new();
    for part in [rule, key]
        .into_iter()
        .chain(["\u{1}"])
        .chain(documents)
        .chain(["\u{1}"])
        .chain(displays)
    {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    let mut first = [0; 8];
    first.copy_from_slice(&digest[..8]);
    format!("{:016x}", u64::from_be_bytes(first))
}

/// What the comparison needs to know about the run besides the claims.
struct Context<'a> {
    documents: HashMap<&'a str, &'a DocumentMeta>,
    rules: &'a RuleSet,
}

impl<'a> Context<'a> {
    fn new(documents: &'a [DocumentMeta], rules: &'a RuleSet) -> Self {
        Context {
            documents: documents.iter().map(|d| (&*d.id, d)).collect(),
            rules,
        }
    }

    /// The story of a document; the empty story when the document is unknown.
    fn story_of(&self, document: &str) -> &'a str {
        self.documents
            .get(document)
            .map_or("", |meta| meta.story.as_str())
    }

    /// The story of each claim, looked up once for each run of claims of one document: claims
    /// come document by document, and a lookup hashes the document's whole id.
    fn stories_of(&self, claims: &[&Claim]) -> Vec<&'a str> {
        let mut last: Option<(&DocId, &'a str)> = None;
        claims
            .iter()
            .map(|claim| match last {
                Some((document, story)) if Arc::ptr_eq(document, &claim.document) => story,
                _ => {
                    let story = self.story_of(&claim.document);
                    last = Some((&claim.document, story));
                    story
                }
            })
            .collect()
    }

    /// The metadata of a document, when known.
    fn meta(&self, document: &str) -> Option<&'a DocumentMeta> {
        self.documents.get(document).copied()
    }
}

/// The order claims are compared in: by document, then by position, then by rule and key.
pub fn claim_order(a: &Claim, b: &Claim) -> std::cmp::Ordering {
    document_order(&a.document, &b.document)
        .then(a.evidence.start.cmp(&b.evidence.start))
        .then(a.evidence.end.cmp(&b.evidence.end))
        .then_with(|| a.rule.cmp(&b.rule))
        .then_with(|| a.key.cmp(&b.key))
}

/// Sorts claims (or references to them) into [`claim_order`], keeping the order of equal ones.
/// Claims come by document and position already, as extraction gives them: then only the
/// claims of one sentence (one document and start) can be out of order, and each such run is
/// sorted on its own, which is a pass over the claims rather than a sort of them all.
pub fn sort_claims<C: Borrow<Claim>>(claims: &mut [C]) {
    let position = |a: &C, b: &C| {
        let (a, b) = (a.borrow(), b.borrow());
        document_order(&a.document, &b.document).then(a.evidence.start.cmp(&b.evidence.start))
    };
    if claims.is_sorted_by(|a, b| position(a, b).is_le()) {
        for run in claims.chunk_by_mut(|a, b| position(a, b).is_eq()) {
            run.sort_by(|a, b| claim_order(a.borrow(), b.borrow()));
        }
    } else {
        claims.sort_by(|a, b| claim_order(a.borrow(), b.borrow()));
    }
}

/// The order of document ids. The claims of a document share its id, so most comparisons of a
/// sort are settled by the pointer, without reading the long path twice.
fn document_order(a: &DocId, b: &DocId) -> std::cmp::Ordering {
    if Arc::ptr_eq(a, b) {
        std::cmp::Ordering::Equal
    } else {
        a.cmp(b)
    }
}

/// One source's value: the claim's slot, shown as `display`, with the claim's attribution and
/// evidence; the slot's bytes are highlighted.
fn source_value(claim: &Claim, slot: &Slot, display: String) -> SourceValue {
    sourced(claim, slot.value.clone(), display, vec![slot.span])
}

/// One source's value: `value` read from `claim`, shown as `display`, with `highlights` marked.
fn sourced(claim: &Claim, value: Value, display: String, highlights: Vec<Span>) -> SourceValue {
    SourceValue {
        document: claim.document.clone(),
        value,
        display,
        attribution: claim.attribution.describe(),
        evidence: claim.evidence.clone(),
        highlights,
    }
}

/// A finding on the claims of one group, led by its first claim (rule, key, topic).
fn finding(
    kind: FindingKind,
    level: Level,
    lead: &Claim,
    values: Vec<SourceValue>,
    note: Option<String>,
) -> Finding {
    Finding {
        kind,
        level,
        topic: lead.topic.clone(),
        rule: lead.rule.clone(),
        key: lead.key.clone(),
        fingerprint: fingerprint(&lead.rule, &lead.key, &values),
        values,
        matrix: Vec::new(),
        diff: Vec::new(),
        note,
    }
}

/// A claim only one document reports: information, not a disagreement.
fn single_source(lead: &Claim, values: Vec<SourceValue>) -> Finding {
    finding(FindingKind::SingleSource, Level::Info, lead, values, None)
}

/// The finding with another topic and key, and its fingerprint recomputed.
fn retitled(mut found: Finding, topic: String, key: String) -> Finding {
    found.topic = topic;
    found.key = key;
    found.fingerprint = fingerprint(&found.rule, &found.key, &found.values);
    found
}

/// The level of a disagreement between claims: the most severe of their rules' levels.
fn conflict_level(claims: &[&Claim]) -> Level {
    claims
        .iter()
        .map(|claim| claim.level)
        .max()
        .unwrap_or(Level::Error)
}

/// Number of distinct documents among sorted source values.
fn distinct_documents(values: &[SourceValue]) -> usize {
    let mut documents: Vec<&str> = values.iter().map(|v| &*v.document).collect();
    documents.sort_unstable();
    documents.dedup();
    documents.len()
}

/// The slot named by the first of `names` a claim has, else the first slot `fits` accepts.
fn pick_slot<'c>(
    claim: &'c Claim,
    names: &[&str],
    fits: impl Fn(&Slot) -> bool,
) -> Option<&'c Slot> {
    names
        .iter()
        .find_map(|name| claim.slots.get(*name).filter(|slot| fits(slot)))
        .or_else(|| claim.slots.values().find(|slot| fits(slot)))
}

#[cfg(test)]
mod tests;
