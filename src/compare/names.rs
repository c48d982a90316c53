//! Names: one entity written in several ways across the documents of a story.

use super::{fingerprint, sourced, Context};
use crate::model::{Claim, DocumentMeta, Finding, FindingKind, Level, SourceValue, Value};
use crate::normalize::names::{spelling_variants, VariantGroup};

/// The spelling-variant findings of one story's mention claims (sorted by document).
pub(super) fn spelling_findings(
    story: &str,
    mentions: &[&Claim],
    context: &Context,
) -> Vec<Finding> {
    let mut documents: Vec<DocumentMeta> = context
        .documents
        .values()
        .filter(|meta| meta.story == story)
        .map(|meta| (*meta).clone())
        .collect();
    documents.sort_by(|a, b| a.id.cmp(&b.id));
    spelling_variants(mentions, &documents, &context.rules.entities)
        .iter()
        .filter_map(|group| variant_finding(group, mentions, context))
        .collect()
}

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
            if documents_seen.contains(&claim.document.as_str()) {
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
