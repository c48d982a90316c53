//! Relations and meetings: set-valued claims (who backs whom, who met whom).
//!
//! Per document, the members a key names are the union of its claims' members. The documents'
//! sets are laid out as a matrix member × document: identical sets agree, different sets are a
//! set difference. A member one document asserts and another reports denied is a conflict, and
//! so is a member named under targets on opposite sides, for rules whose members take a side
//! (`exclude-side-of` in `rules/claims`).

use std::collections::{BTreeMap, BTreeSet};

use foldhash::{HashMap, HashMapExt};

use super::{
    conflict_level, distinct_documents, finding, retitled, single_source, sourced, Context,
};
use crate::model::{
    Claim, ClaimKind, DocId, EntityRef, Finding, FindingKind, Level, MatrixRow, SourceValue,
    Stance, Value,
};

/// The slot that, when a claim has it, holds the members of the set.
const MEMBER_SLOT: &str = "members";

/// The members a claim names: its `members` slot, else its entity-list slots (a relation's
/// backers); for a meeting, its single-entity slots (the place), the key naming who met.
fn members_of(claim: &Claim) -> Vec<&EntityRef> {
    let wanted = |value: &Value| match claim.kind {
        ClaimKind::Meeting => matches!(value, Value::Entity(_)),
        _ => matches!(value, Value::Entities(_)),
    };
    let mut members: Vec<&EntityRef> = match claim.slots.get(MEMBER_SLOT) {
        Some(slot) => entities(&slot.value),
        None => claim
            .slots
            .values()
            .filter(|slot| wanted(&slot.value))
            .flat_map(|slot| entities(&slot.value))
            .collect(),
    };
    members.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    members.dedup_by(|a, b| a.id == b.id);
    members
}

/// The entity whose side the members take, when the claim's rule says members exclude the
/// side of another slot (`exclude-side-of: object` in `rules/claims`): that slot's entity.
fn sided_target<'c>(claim: &'c Claim, context: &Context) -> Option<&'c EntityRef> {
    let rule = context.rules.claims.get(&claim.rule)?;
    let target = rule
        .data
        .slots
        .values()
        .find_map(|slot| slot.exclude_side_of.as_deref())?;
    match &claim.slots.get(target)?.value {
        Value::Entity(entity) => Some(entity),
        _ => None,
    }
}

/// The entities a value holds.
fn entities(value: &Value) -> Vec<&EntityRef> {
    match value {
        Value::Entity(entity) => vec![entity],
        Value::Entities(entities) => entities.iter().collect(),
        _ => Vec::new(),
    }
}

/// A claim's members as one source's value.
fn set_value(claim: &Claim, members: &[&EntityRef]) -> SourceValue {
    let names: Vec<&str> = members.iter().map(|m| &*m.name).collect();
    sourced(
        claim,
        Value::Entities(members.iter().map(|m| (*m).clone()).collect()),
        names.join(", "),
        members.iter().map(|m| m.span).collect(),
    )
}

/// Compares the set-valued claims of one group (sorted by document).
pub(super) fn compare_sets(group: &[&Claim]) -> Vec<Finding> {
    let claims: Vec<(&Claim, Vec<&EntityRef>)> = group
        .iter()
        .map(|claim| (*claim, members_of(claim)))
        .filter(|(_, members)| !members.is_empty())
        .collect();
    let Some(lead) = claims.first().map(|(claim, _)| *claim) else {
        return Vec::new();
    };
    let values: Vec<SourceValue> = claims
        .iter()
        .map(|(claim, members)| set_value(claim, members))
        .collect();
    if distinct_documents(&values) == 1 {
        return vec![single_source(lead, values)];
    }
    let mut asserted: BTreeMap<&DocId, BTreeSet<&str>> = BTreeMap::new();
    let mut denied: BTreeMap<&DocId, BTreeSet<&str>> = BTreeMap::new();
    let mut names: HashMap<&str, &str> = HashMap::new();
    for (claim, members) in &claims {
        let side = match claim.attribution.stance {
            Stance::Denied => &mut denied,
            Stance::Asserts | Stance::Expected => &mut asserted,
        };
        let set = side.entry(&claim.document).or_default();
        for member in members {
            set.insert(&*member.id);
            names.entry(&*member.id).or_insert(&*member.name);
        }
    }
    let mut findings = denial_conflicts(&claims, &asserted, &denied, &names);
    let mut matrix: BTreeMap<&str, Vec<DocId>> = BTreeMap::new();
    for (document, members) in &asserted {
        for member in members {
            let name = names.get(member).copied().unwrap_or(member);
            matrix.entry(name).or_default().push(DocId::clone(document));
        }
    }
    let sets: Vec<&BTreeSet<&str>> = asserted.values().collect();
    if sets.len() >= 2 {
        let same = sets.windows(2).all(|pair| pair[0] == pair[1]);
        let (kind, level) = if same {
            (FindingKind::Agreement, Level::Info)
        } else {
            (FindingKind::SetDifference, Level::Warning)
        };
        let mut found = finding(kind, level, lead, values, None);
        found.matrix = matrix
            .into_iter()
            .map(|(member, documents)| MatrixRow {
                member: member.to_string(),
                documents,
            })
            .collect();
        findings.push(found);
    } else {
        // One document asserts: what no other document denies is still its own report.
        let denied_anywhere: BTreeSet<&str> = denied.values().flatten().copied().collect();
        let lone: Vec<SourceValue> = claims
            .iter()
            .filter(|(claim, members)| {
                claim.attribution.stance != Stance::Denied
                    && members
                        .iter()
                        .any(|member| !denied_anywhere.contains(&*member.id))
            })
            .map(|(claim, members)| set_value(claim, members))
            .collect();
        if !lone.is_empty() {
            findings.push(single_source(lead, lone));
        }
    }
    findings
}

/// A conflict for each member that one document asserts and another reports denied.
fn denial_conflicts(
    claims: &[(&Claim, Vec<&EntityRef>)],
    asserted: &BTreeMap<&DocId, BTreeSet<&str>>,
    denied: &BTreeMap<&DocId, BTreeSet<&str>>,
    names: &HashMap<&str, &str>,
) -> Vec<Finding> {
    let asserted_anywhere: HashMap<&str, BTreeSet<&str>> =
        asserted
            .iter()
            .fold(HashMap::new(), |mut all, (document, members)| {
                for member in members {
                    all.entry(*member)
                        .or_insert_with(BTreeSet::new)
                        .insert(*document);
                }
                all
            });
    let mut contested: BTreeSet<&str> = BTreeSet::new();
    for (document, members) in denied {
        for member in members {
            let elsewhere = asserted_anywhere
                .get(member)
                .is_some_and(|documents| documents.iter().any(|d| **d != ***document));
            if elsewhere {
                contested.insert(member);
            }
        }
    }
    contested
        .into_iter()
        .filter_map(|member| {
            let involved: Vec<(&Claim, &EntityRef)> = claims
                .iter()
                .filter_map(|(claim, members)| {
                    let entity = members.iter().find(|m| *m.id == *member)?;
                    Some((*claim, *entity))
                })
                .collect();
            let lead = involved.first()?.0;
            let values = involved
                .iter()
                .map(|(claim, entity)| {
                    let stance = match claim.attribution.stance {
                        Stance::Denied => "denied",
                        Stance::Asserts => "asserted",
                        Stance::Expected => "expected",
                    };
                    sourced(
                        claim,
                        Value::Entity((*entity).clone()),
                        format!("{} ({stance})", entity.name),
                        vec![entity.span],
                    )
                })
                .collect();
            let level = conflict_level(&involved.iter().map(|(c, _)| *c).collect::<Vec<_>>());
            let name = names.get(member).copied().unwrap_or(member);
            let found = finding(FindingKind::Conflict, level, lead, values, None);
            let topic = format!("{}: {name}", lead.topic);
            let key = format!("{}#{member}", lead.key);
            Some(retitled(found, topic, key))
        })
        .collect()
}

/// A conflict for each member named, in one story and by one rule, under targets that the
/// entity rules place on different sides. `relations` are sorted by document.
pub(super) fn opposite_sides(relations: &[&Claim], context: &Context) -> Vec<Finding> {
    type Sighting<'c> = (&'c str, &'c Claim, &'c EntityRef, &'c EntityRef);
    let mut sightings: HashMap<(&str, &str, &str), Vec<Sighting>> = HashMap::new();
    for claim in relations {
        let Some(target) = sided_target(claim, context) else {
            continue;
        };
        let Some(side) = context.rules.entities.side_of(&target.id) else {
            continue;
        };
        let story = context.story_of(&claim.document);
        for member in members_of(claim) {
            sightings
                .entry((story, claim.rule.as_str(), &*member.id))
                .or_default()
                .push((side, claim, member, target));
        }
    }
    let mut sightings: Vec<_> = sightings.into_iter().collect();
    sightings.sort_by(|a, b| a.0.cmp(&b.0));
    sightings
        .into_iter()
        .filter_map(|((_, rule, member_id), seen)| {
            let sides: BTreeSet<&str> = seen.iter().map(|(side, ..)| *side).collect();
            let documents: BTreeSet<&str> =
                seen.iter().map(|(_, claim, ..)| &*claim.document).collect();
            if sides.len() < 2 || documents.len() < 2 {
                return None;
            }
            let (_, lead, member, _) = seen.first()?;
            let values = seen
                .iter()
                .map(|(side, claim, member, target)| {
                    sourced(
                        claim,
                        Value::Entity((*member).clone()),
                        format!("{} → {} ({side})", member.name, target.name),
                        vec![member.span],
                    )
                })
                .collect();
            let claims: Vec<&Claim> = seen.iter().map(|(_, claim, ..)| *claim).collect();
            let found = finding(
                FindingKind::Conflict,
                conflict_level(&claims),
                lead,
                values,
                None,
            );
            let topic = format!("{} named on opposing sides", member.name);
            Some(retitled(found, topic, format!("{rule}#sides#{member_id}")))
        })
        .collect()
}
