//! Tokens: the unit patterns match on. A token is a maximal run of alphanumeric characters or a
//! single other non-space character, so every normalizer's match ends on a token boundary.

use std::borrow::Cow;

use crate::model::Span;

/// One token of a text: its bytes and its folded (lower-cased) form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    /// First byte in the text.
    pub start: usize,
    /// Byte after the token.
    pub end: usize,
    /// Lower-cased text, with typographic apostrophes folded to `'`: borrowed from the text
    /// when folding leaves it as it is.
    pub folded: Cow<'a, str>,
    /// [`word_hash`] of `folded`, computed once for every lookup of the token in word lists.
    pub hash: u64,
}

/// The hash word lists index folded words by. Two words may share one, so a lookup by hash
/// finds candidates that are then compared as text (or, for a prefilter, may only let a rule
/// run where it finds nothing).
pub fn word_hash(word: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0).hash_one(word)
}

/// Folds a token for comparison: lower case, typographic apostrophe as `'`.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(fold_char)
        .collect()
}

/// Folds one lower-case character: the typographic apostrophe becomes `'`.
pub fn fold_char(c: char) -> char {
    if c == '\u{2019}' {
        '\''
    } else {
        c
    }
}

/// [`fold`] without a copy when the text is already folded.
fn fold_borrowed(text: &str) -> Cow<'_, str> {
    match crate::normalize::fold_unless_lower_ascii(text, fold) {
        Cow::Owned(folded) if folded == text => Cow::Borrowed(text),
        other => other,
    }
}

/// Splits `span` of `text` into tokens.
pub fn tokenize<'a>(text: &'a str, span: Span) -> Vec<Token<'a>> {
    let mut tokens = Vec::new();
    tokenize_into(text, span, &mut tokens);
    tokens
}

/// [`tokenize`] into `tokens`, replacing what it held but keeping its capacity.
pub fn tokenize_into<'a>(text: &'a str, span: Span, tokens: &mut Vec<Token<'a>>) {
    tokens.clear();
    let Some(part) = text.get(span.start..span.end) else {
        return;
    };
    let mut word_start: Option<usize> = None;
    let push = |tokens: &mut Vec<Token<'a>>, start: usize, end: usize| {
        let folded = fold_borrowed(&part[start..end]);
        tokens.push(Token {
            start: span.start + start,
            end: span.start + end,
            hash: word_hash(&folded),
            folded,
        });
    };
    for (offset, c) in part.char_indices() {
        if c.is_alphanumeric() {
            word_start.get_or_insert(offset);
            continue;
        }
        if let Some(start) = word_start.take() {
            push(tokens, start, offset);
        }
        if !c.is_whitespace() {
            push(tokens, offset, offset + c.len_utf8());
        }
    }
    if let Some(start) = word_start {
        push(tokens, start, part.len());
    }
}

/// The index of the token that starts at or after byte `end`, when `end` is a token boundary
/// (not inside a token).
pub fn token_after(tokens: &[Token], end: usize) -> Option<usize> {
    let index = tokens.partition_point(|token| token.start < end);
    let inside = index > 0 && tokens[index - 1].end > end;
    (!inside).then_some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_and_punctuation() {
        let text = "Vos's 2,500 “troops”";
        let tokens = tokenize(text, Span::new(0, text.len()));
        let folded: Vec<&str> = tokens.iter().map(|t| t.folded.as_ref()).collect();
        assert_eq!(
            folded,
            ["vos", "'", "s", "2", ",", "500", "“", "troops", "”"]
        );
        assert_eq!(token_after(&tokens, 3), Some(1));
        assert_eq!(token_after(&tokens, 2), None);
        assert_eq!(token_after(&tokens, text.len()), Some(tokens.len()));
    }
}
