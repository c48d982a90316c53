//! Tokens: the unit patterns match on. A token is a maximal run of alphanumeric characters or a
//! single other non-space character, so every normalizer's match ends on a token boundary.

use std::borrow::Cow;
use std::ops::RangeInclusive;

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

/// [`fold`] of text holding some non-ASCII character, without a copy when folding leaves
/// every character as it is (quote marks, dashes, lower-case letters).
fn fold_non_ascii(text: &str) -> Cow<'_, str> {
    let unchanged = |c: char| {
        let mut lower = c.to_lowercase();
        c != '\u{2019}' && lower.len() == 1 && lower.next() == Some(c)
    };
    if text.chars().all(unchanged) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(fold(text))
    }
}

/// The General Punctuation block (spaces, dashes, quotation marks, `…`), which holds no
/// letter and no digit: testing it first spares the Unicode tables the marks most common in
/// news text.
const GENERAL_PUNCTUATION: RangeInclusive<char> = '\u{2000}'..='\u{206f}';

/// Latin-1 Supplement letters and Latin Extended-A and -B (U+00C0–U+024F): letters all but `×`
/// and `÷`, so that the letters of most European languages are told without the Unicode tables.
const LATIN_LETTERS: RangeInclusive<char> = '\u{c0}'..='\u{24f}';

/// [`char::is_alphabetic`], quicker on ASCII, Latin letters and General Punctuation.
pub fn is_alphabetic(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphabetic(),
        _ if LATIN_LETTERS.contains(&c) => !matches!(c, '×' | '÷'),
        _ => !GENERAL_PUNCTUATION.contains(&c) && c.is_alphabetic(),
    }
}

/// [`char::is_alphanumeric`], quicker on ASCII, Latin letters and General Punctuation.
pub fn is_alphanumeric(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        _ if LATIN_LETTERS.contains(&c) => !matches!(c, '×' | '÷'),
        _ => !GENERAL_PUNCTUATION.contains(&c) && c.is_alphanumeric(),
    }
}

/// What a byte is to the word it may continue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WordByte {
    /// An ASCII lower-case letter or digit.
    Lower,
    /// An ASCII upper-case letter.
    Upper,
    /// ASCII whitespace: ends the word, and is no token.
    Space,
    /// Other ASCII: ends the word, and is a token of its own.
    Other,
    /// Part of a non-ASCII character, which must be decoded.
    NonAscii,
}

/// [`WordByte`] of every byte, so the word scan tests a byte with one look-up.
const WORD_BYTES: [WordByte; 256] = {
    let mut table = [WordByte::NonAscii; 256];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        table[byte] = if b.is_ascii_uppercase() {
            WordByte::Upper
        } else if b.is_ascii_alphanumeric() {
            WordByte::Lower
        } else if matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r') {
            WordByte::Space
        } else {
            WordByte::Other
        };
        byte += 1;
    }
    table
};

/// Splits `span` of `text` into tokens.
pub fn tokenize<'a>(text: &'a str, span: Span) -> Vec<Token<'a>> {
    let mut tokens = Vec::new();
    tokenize_into(text, span, &mut tokens);
    tokens
}

/// [`tokenize`] into `tokens`, replacing what it held but keeping its capacity.
///
/// ASCII is read a byte at a time, and an ASCII word is folded from what the scan saw of its
/// case; other characters are decoded.
pub fn tokenize_into<'a>(text: &'a str, span: Span, tokens: &mut Vec<Token<'a>>) {
    tokens.clear();
    let Some(part) = text.get(span.start..span.end) else {
        return;
    };
    let bytes = part.as_bytes();
    // Room for a token every few bytes, so that the vector seldom grows.
    tokens.reserve(bytes.len() / 4);
    let char_at = |at: usize| part[at..].chars().next().unwrap_or_default();
    let offset = span.start;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        match WORD_BYTES[usize::from(byte)] {
            WordByte::Lower | WordByte::Upper => {}
            WordByte::Space => {
                at += 1;
                continue;
            }
            WordByte::Other => {
                let symbol = &part[at..at + 1];
                push_token(tokens, offset + at, offset + at + 1, Cow::Borrowed(symbol));
                at += 1;
                continue;
            }
            WordByte::NonAscii => {
                let c = char_at(at);
                if !is_alphanumeric(c) {
                    let end = at + c.len_utf8();
                    if !c.is_whitespace() {
                        let folded = fold_non_ascii(&part[at..end]);
                        push_token(tokens, offset + at, offset + end, folded);
                    }
                    at = end;
                    continue;
                }
            }
        }
        let start = at;
        let (mut ascii, mut upper) = (true, false);
        let class_at = |at: usize| bytes.get(at).map(|&byte| WORD_BYTES[usize::from(byte)]);
        loop {
            // Runs of ASCII lower-case letters and digits, most of a word, in a tight loop.
            while class_at(at) == Some(WordByte::Lower) {
                at += 1;
            }
            match class_at(at) {
                Some(WordByte::Upper) => {
                    upper = true;
                    at += 1;
                }
                Some(WordByte::NonAscii) => {
                    let c = char_at(at);
                    if !is_alphanumeric(c) {
                        break;
                    }
                    ascii = false;
                    at += c.len_utf8();
                }
                _ => break,
            }
        }
        let word = &part[start..at];
        let folded = match (ascii, upper) {
            (true, false) => Cow::Borrowed(word),
            (true, true) => Cow::Owned(word.to_ascii_lowercase()),
            (false, _) => fold_non_ascii(word),
        };
        push_token(tokens, offset + start, offset + at, folded);
    }
}

/// Appends the token of bytes `start..end` folded as `folded`, with its hash.
#[inline(always)]
fn push_token<'a>(tokens: &mut Vec<Token<'a>>, start: usize, end: usize, folded: Cow<'a, str>) {
    tokens.push(Token {
        start,
        end,
        hash: word_hash(&folded),
        folded,
    });
}

/// The index of the token that starts at or after byte `end`, when `end` is a token boundary
/// (not inside a token) after the start of token `at`: where an extent of the text starting at
/// token `at` and ending at `end` ends in tokens. The tokens are read from `at` on, as an
/// extent seldom spans many.
pub fn token_after(tokens: &[Token], at: usize, end: usize) -> Option<usize> {
    if tokens.get(at)?.start >= end {
        return None;
    }
    let index = (tokens[at + 1..].iter())
        .position(|token| token.start >= end)
        .map_or(tokens.len(), |after| at + 1 + after);
    let inside = tokens[index - 1].end > end;
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
        assert_eq!(token_after(&tokens, 0, 3), Some(1));
        assert_eq!(token_after(&tokens, 0, 2), None);
        assert_eq!(token_after(&tokens, 1, 3), None);
        assert_eq!(token_after(&tokens, 0, text.len()), Some(tokens.len()));
    }

    #[test]
    fn the_token_after_an_extent_is_the_one_a_search_of_all_tokens_finds() {
        let text = "Vos's 2,500 “troops”  arrived, in\u{a0}Norvik.";
        let tokens = tokenize(text, Span::new(0, text.len()));
        for at in 0..=tokens.len() {
            for end in 0..=text.len() + 1 {
                let index = tokens.partition_point(|token| token.start < end);
                let inside = index > 0 && tokens[index - 1].end > end;
                let expected = (!inside && index > at && at < tokens.len()).then_some(index);
                assert_eq!(token_after(&tokens, at, end), expected, "{at} {end}");
            }
        }
    }

    #[test]
    fn word_bytes_read_ascii_as_char_does() {
        for byte in 0..=u8::MAX {
            let c = char::from(byte);
            let expected = match byte {
                128.. => WordByte::NonAscii,
                _ if c.is_uppercase() => WordByte::Upper,
                _ if c.is_alphanumeric() => WordByte::Lower,
                _ if c.is_whitespace() => WordByte::Space,
                _ => WordByte::Other,
            };
            assert_eq!(WORD_BYTES[usize::from(byte)], expected, "byte {byte}");
        }
    }

    #[test]
    fn quick_letter_tests_agree_with_char() {
        let blocks = [
            '\0'..='\u{7f}',
            LATIN_LETTERS,
            GENERAL_PUNCTUATION,
            '\u{250}'..='\u{1fff}',
        ];
        for c in blocks.into_iter().flatten() {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn folds_case_and_apostrophes_borrowing_what_is_folded() {
        let text = "Kyvel’s\u{a0}ÉLAN café–Tromsø\u{b}2nd";
        let tokens = tokenize(text, Span::new(0, text.len()));
        let folded: Vec<&str> = tokens.iter().map(|t| t.folded.as_ref()).collect();
        assert_eq!(
            folded,
            ["kyvel", "'", "s", "élan", "café", "–", "tromsø", "2nd"]
        );
        let borrowed: Vec<bool> = tokens
            .iter()
            .map(|t| matches!(t.folded, Cow::Borrowed(_)))
            .collect();
        assert_eq!(
            borrowed,
            [false, false, true, false, true, true, false, true]
        );
        assert!(tokens
            .iter()
            .all(|t| t.hash == word_hash(&fold(&text[t.start..t.end]))));
    }
}
