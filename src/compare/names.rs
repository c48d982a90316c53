//! Names: one entity written in several ways across the documents of a story.

use std::borrow::Cow;
use std::collections::BTreeSet;

use foldhash::HashMap;

use super::{fingerprint, sourced, Context};
use crate::model::{
    Claim, DocumentMeta, EntityRef, Finding, FindingKind, Level, SourceValue, Value,
};
use crate::normalize::names::{spelling_variants, VariantGroup};

/// What the names of one story tell the rest of the comparison.
pub(super) struct StoryNames {
    /// The spelling-variant findings.
    pub findings: Vec<Finding>,
    /// Names no rule lists (`~` ids) that a variant group ties to exactly one known entity:
    /// `~smyth` → the entity written "Smith" elsewhere.
    pub aliases: HashMap<String, EntityRef>,
}

/// The spelling variants of one story's mention claims (sorted by document): their findings,
/// and the unknown names they resolve.
pub(super) fn story_names(story: &str, mentions: &[&Claim], context: &Context) -> StoryNames {
    let mut documents: Vec<DocumentMeta> = context
        .documents
        .values()
        .filter(|meta| meta.story == story)
        .map(|meta| (*meta).clone())
        .collect();
    documents.sort_by(|a, b| a.id.cmp(&b.id));
    let groups = spelling_variants(mentions, &documents, &context.rules.entities);
    StoryNames {
        findings: groups
            .iter()
            .filter_map(|group| variant_finding(group, mentions, context))
            .collect(),
        aliases: groups
            .iter()
            .flat_map(|group| group_aliases(group, mentions))
            .collect(),
    }
}

/// The unknown names of a group mapped to its one known entity, when it has exactly one.
fn group_aliases(group: &VariantGroup, mentions: &[&Claim]) -> Vec<(String, EntityRef)> {
    let named: Vec<&EntityRef> = group
        .forms
        .iter()
        .flat_map(|form| form.mentions.iter())
        .filter_map(|&index| mentions.get(index))
        .filter_map(
            |claim| match claim.slots.get("name").map(|slot| &slot.value) {
                Some(Value::Entity(entity)) => Some(entity),
                _ => None,
            },
        )
        .collect();
    let known: BTreeSet<&str> = named
        .iter()
        .map(|entity| &*entity.id)
        .filter(|id| !id.starts_with(UNKNOWN_NAME))
        .collect();
    let (Some(only), 1) = (known.first(), known.len()) else {
        return Vec::new();
    };
    let Some(canonical) = named.iter().find(|entity| &*entity.id == *only) else {
        return Vec::new();
    };
    named
        .iter()
        .filter(|entity| entity.id.starts_with(UNKNOWN_NAME))
        .map(|entity| (entity.id.to_string(), (*canonical).clone()))
        .collect()
}

/// The claim with every unknown name of `aliases` replaced by its known entity, in its slots
/// and its key; `None` when nothing changes.
pub(super) fn resolve_aliases(
    claim: &Claim,
    aliases: &HashMap<String, EntityRef>,
) -> Option<Claim> {
    let key = resolve_key(&claim.key, aliases);
    let entities_change = claim
        .slots
        .values()
        .any(|slot| slot_entities(&slot.value).any(|entity| aliases.contains_key(&*entity.id)));
    // Most claims name no alias: they are left as they are, not copied to be compared.
    if key == claim.key && !entities_change {
        return None;
    }
    let mut resolved = claim.clone();
    resolved.key = key.into_owned();
    for slot in resolved.slots.values_mut() {
        let entities: Vec<&mut EntityRef> = match &mut slot.value {
            Value::Entity(entity) => vec![entity],
            Value::Entities(entities) => entities.iter_mut().collect(),
            _ => Vec::new(),
        };
        for entity in entities {
            if let Some(known) = aliases.get(&*entity.id) {
                entity.id = known.id.clone();
                entity.name = known.name.clone();
            }
        }
    }
    Some(resolved)
}

/// The entities a slot's value names.
fn slot_entities(value: &Value) -> impl Iterator<Item = &EntityRef> {
    let entities: &[EntityRef] = match value {
        Value::Entity(entity) => std::slice::from_ref(entity),
        Value::Entities(entities) => entities,
        _ => &[],
    };
    entities.iter()
}

/// A key with its unknown-name parts (between `/` and `+`) replaced by known ids, and the ids
/// of each `+` part sorted; borrowed when that changes nothing.
fn resolve_key<'k>(key: &'k str, aliases: &HashMap<String, EntityRef>) -> Cow<'k, str> {
    if !key.contains('+') && !key.split('/').any(|id| aliases.contains_key(id)) {
        return Cow::Borrowed(key);
    }
    Cow::Owned(
        key.split('/')
            .map(|part| {
                let mut ids: Vec<&str> = part
                    .split('+')
                    .map(|id| aliases.get(id).map_or(id, |known| &*known.id))
                    .collect();
                if ids.len() > 1 {
                    ids.sort_unstable();
                    ids.dedup();
                }
                ids.join("+")
            })
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// The prefix of the ids of names no rule lists.
const UNKNOWN_NAME: &str = "~";

/// A finding for one entity written in several ways: each form with the documents that write
/// it, a language's own form marked as such. A warning when some form is a spelling variant;
/// information when the forms differ only by language.
fn variant_finding(
    group: &VariantGroup,
    mentions: &[&Claim],
    context: &Context,
) -> Option<Finding> {
    let mut values: Vec<SourceValue> = Vec::new();
    for form in &group.forms {
        let mut documents_seen: Vec<&str> = Vec::new();
        for claim in form
            .mentions
            .iter()
            .filter_map(|&index| mentions.get(index))
        {
            if documents_seen.contains(&&*claim.document) {
                continue;
            }
            documents_seen.push(&claim.document);
            let lang = context.meta(&claim.document).map(|meta| meta.lang.as_str());
            let display = match lang {
                Some(lang) if form.language_form => format!("{} ({lang} form)", form.form),
                _ => form.form.clone(),
            };
            let highlights = claim
                .slots
                .get("name")
                .map(|slot| slot.span)
                .into_iter()
                .collect();
            values.push(sourced(
                claim,
                Value::Text(form.form.clone()),
                display,
                highlights,
            ));
        }
    }
    let lead = form_lead(group, mentions)?;
    let has_variant = group.forms.iter().any(|form| !form.language_form);
    let level = if has_variant {
        Level::Warning
    } else {
        Level::Info
    };
    let forms: Vec<&str> = group.forms.iter().map(|form| form.form.as_str()).collect();
    let key = format!("spelling:{}:{}", group.entity, forms.join("/"));
    Some(Finding {
        kind: FindingKind::SpellingVariant,
        level,
        topic: format!("Spelling of {}: {}", group.entity, forms.join(" / ")),
        rule: lead.rule.clone(),
        fingerprint: fingerprint(&lead.rule, &key, &values),
        key,
        values,
        matrix: Vec::new(),
        diff: Vec::new(),
        note: None,
    })
}

/// The first mention of a group.
fn form_lead<'c>(group: &VariantGroup, mentions: &[&'c Claim]) -> Option<&'c Claim> {
    group
        .forms
        .iter()
        .flat_map(|form| form.mentions.iter())
        .min()
        .and_then(|&index| mentions.get(index).copied())
}
