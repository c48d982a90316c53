//! Quotes: the same speaker quoted by several sources.
//!
//! Within a key (which names the speaker), quotes sharing at least half their words (Jaccard
//! over lower-cased words) are versions of one statement. Identical versions agree; different
//! wording is a quote difference with a word-level diff; different figures are a conflict.

use std::borrow::Cow;
use std::collections::BTreeSet;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use similar::{ChangeTag, TextDiff};

use super::{conflict_level, distinct_documents, finding, pick_slot, single_source, source_value};
use crate::model::{Claim, DiffPiece, Finding, FindingKind, Level, Slot, Value};

/// Slot names that hold the quoted words.
const QUOTE_SLOTS: &[&str] = &["quote"];
/// Two quotes sharing at least this share of their words are versions of one statement.
pub const SAME_STATEMENT: f64 = 0.5;

/// A quote claim and its words.
struct Quoted<'c> {
    claim: &'c Claim,
    slot: &'c Slot,
    text: &'c str,
}

/// The distinct lower-cased words of a text, borrowed from it where they are lower case
/// already. A hash set: only membership and the count matter, not the order.
fn words(text: &str) -> HashSet<Cow<'_, str>> {
    let mut words = HashSet::with_capacity(text.len() / AVERAGE_WORD_BYTES);
    words.extend(
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(lower_case),
    );
    words
}

/// Bytes of text per word, about: sizes the word set of a quote at once.
const AVERAGE_WORD_BYTES: usize = 6;

/// A word in lower case: itself when it is ASCII without capitals, as most words of a quote
/// are, else [`str::to_lowercase`] of it.
fn lower_case(word: &str) -> Cow<'_, str> {
    if word
        .bytes()
        .any(|byte| !byte.is_ascii() || byte.is_ascii_uppercase())
    {
        Cow::Owned(word.to_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

/// The figures of a text: each run of characters holding a digit, digits only (`2,500` → `2500`).
fn figures(text: &str) -> BTreeSet<String> {
    text.split_whitespace()
        .map(|token| {
            token
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
        })
        .filter(|digits| !digits.is_empty())
        .collect()
}

/// The text with its runs of white space made single spaces, and none at either end.
fn squeezed(text: &str) -> String {
    let mut squeezed = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !squeezed.is_empty() {
            squeezed.push(' ');
        }
        squeezed.push_str(word);
    }
    squeezed
}

/// Groups quotes into statements: each quote joins the earlier statement whose first version
/// shares the most words with it (at least [`SAME_STATEMENT`]), found through an index from
/// word to statement, else starts a statement.
fn statements<'q, 'c>(quotes: &'q [Quoted<'c>]) -> Vec<Vec<&'q Quoted<'c>>> {
    let mut statements: Vec<(usize, Vec<&Quoted>)> = Vec::new();
    let mut index: HashMap<Cow<str>, Vec<usize>> = HashMap::new();
    // The words each statement shares with the quote at hand, by statement, and the statements
    // sharing any: only those are read and reset, so a quote costs its words' entries in the
    // index, not a pass over all statements.
    let mut shared: Vec<usize> = Vec::new();
    let mut touched: Vec<usize> = Vec::new();
    for quote in quotes {
        let own = words(quote.text);
        shared.resize(statements.len(), 0);
        for word in &own {
            for &statement in index.get(word).into_iter().flatten() {
                if shared[statement] == 0 {
                    touched.push(statement);
                }
                shared[statement] += 1;
            }
        }
        let best = (touched.drain(..))
            .map(|statement| {
                let common = std::mem::take(&mut shared[statement]);
                let union = statements[statement].0 + own.len() - common;
                (common as f64 / union.max(1) as f64, statement)
            })
            .filter(|(jaccard, _)| *jaccard >= SAME_STATEMENT)
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        match best {
            Some((_, statement)) => statements[statement].1.push(quote),
            None => {
                let statement = statements.len();
                statements.push((own.len(), vec![quote]));
                for word in own {
                    index.entry(word).or_default().push(statement);
                }
            }
        }
    }
    statements.into_iter().map(|(_, quotes)| quotes).collect()
}

/// The word-level diff from `old` to `new`. Each changed stretch gives its deleted words, then
/// its inserted words (white space between changed words stays inside the stretch), so
/// `long suffering` → `long-suffering` reads as one replacement.
pub fn word_diff(old: &str, new: &str) -> Vec<DiffPiece> {
    let diff = TextDiff::from_words(old, new);
    let changes: Vec<(ChangeTag, &str)> = diff
        .iter_all_changes()
        .map(|change| (change.tag(), change.value()))
        .collect();
    let mut pieces: Vec<DiffPiece> = Vec::new();
    let (mut deleted, mut inserted) = (String::new(), String::new());
    for (index, (tag, text)) in changes.iter().enumerate() {
        match tag {
            ChangeTag::Delete => deleted.push_str(text),
            ChangeTag::Insert => inserted.push_str(text),
            ChangeTag::Equal => {
                let inside = (!deleted.is_empty() || !inserted.is_empty())
                    && text.trim().is_empty()
                    && changes
                        .get(index + 1)
                        .is_some_and(|(next, _)| *next != ChangeTag::Equal);
                if inside {
                    deleted.push_str(text);
                    inserted.push_str(text);
                    continue;
                }
                flush(&mut pieces, &mut deleted, &mut inserted);
                push(&mut pieces, "equal", text);
            }
        }
    }
    flush(&mut pieces, &mut deleted, &mut inserted);
    pieces
}

/// Ends a changed stretch: its deleted words, then its inserted words.
fn flush(pieces: &mut Vec<DiffPiece>, deleted: &mut String, inserted: &mut String) {
    push(pieces, "delete", &std::mem::take(deleted));
    push(pieces, "insert", &std::mem::take(inserted));
}

/// Appends words to the diff, merged into the last piece when it has the same operation.
fn push(pieces: &mut Vec<DiffPiece>, op: &str, text: &str) {
    if text.is_empty() {
        return;
    }
    match pieces.last_mut() {
        Some(last) if last.op == op => last.text.push_str(text),
        _ => pieces.push(DiffPiece {
            op: op.to_string(),
            text: text.to_string(),
        }),
    }
}

/// Compares the quote claims of one group (one speaker, sorted by document).
pub(super) fn compare_quotes(group: &[&Claim]) -> Vec<Finding> {
    let quotes: Vec<Quoted> = group
        .iter()
        .filter_map(|claim| {
            let slot = pick_slot(claim, QUOTE_SLOTS, |s| matches!(s.value, Value::Text(_)))?;
            let Value::Text(text) = &slot.value else {
                return None;
            };
            Some(Quoted { claim, slot, text })
        })
        .collect();
    statements(&quotes)
        .into_iter()
        .map(|statement| compare_statement(&statement))
        .collect()
}

/// Compares the versions of one statement.
fn compare_statement(versions: &[&Quoted]) -> Finding {
    let lead = versions[0].claim;
    // The distinct texts in order of first appearance, with their indices, and each document's
    // texts by index: sets, as a quote carried by many outlets has many versions.
    let mut texts: Vec<String> = Vec::new();
    let mut text_indices: HashMap<String, usize> = HashMap::with_capacity(versions.len());
    let mut seen: HashSet<(&str, usize)> = HashSet::with_capacity(versions.len());
    let mut values = Vec::new();
    for version in versions {
        let text = squeezed(version.text);
        let index = match text_indices.get(&text) {
            Some(&index) => index,
            None => {
                text_indices.insert(text.clone(), texts.len());
                texts.push(text);
                texts.len() - 1
            }
        };
        if seen.insert((&*version.claim.document, index)) {
            values.push(source_value(
                version.claim,
                version.slot,
                texts[index].clone(),
            ));
        }
    }
    if distinct_documents(&values) == 1 {
        return single_source(lead, values);
    }
    let [first, second, ..] = texts.as_slice() else {
        return finding(FindingKind::Agreement, Level::Info, lead, values, None);
    };
    let diff = word_diff(first, second);
    let first_figures = figures(first);
    let figures_differ = texts
        .iter()
        .skip(1)
        .any(|text| figures(text) != first_figures);
    let mut found = if figures_differ {
        let claims: Vec<&Claim> = versions.iter().map(|version| version.claim).collect();
        let note = Some("the quoted figures differ".to_string());
        finding(
            FindingKind::Conflict,
            conflict_level(&claims),
            lead,
            values,
            note,
        )
    } else {
        finding(
            FindingKind::QuoteDifference,
            Level::Warning,
            lead,
            values,
            None,
        )
    };
    found.diff = diff;
    found
}

#[cfg(test)]
mod tests {
    use super::lower_case;

    #[test]
    fn lower_case_is_to_lowercase_and_borrows_lower_case_ascii() {
        for word in [
            "vos",
            "Vos",
            "2500",
            "x9",
            "ÉTAT",
            "état",
            "İzmelbul",
            "ΟΔΟΣ",
            "ǅ",
        ] {
            assert_eq!(lower_case(word), word.to_lowercase(), "{word:?}");
        }
        assert!(matches!(lower_case("vos2"), std::borrow::Cow::Borrowed(_)));
    }
}
