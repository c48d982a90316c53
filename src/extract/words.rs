//! Word classes: the `words:` section of `rules/lang/<code>*.yaml`, compiled to token tests.

use std::collections::BTreeMap;

use foldhash::HashMap;
use std::sync::Arc;

use serde::Deserialize;

use super::tokens::{fold, fold_char, tokenize, word_hash, Token};
use crate::model::Span;
use crate::rules::LangSection;

/// Word classes of one language, as written in `rules/lang/<code>.words.yaml` under `words:`:
/// each class name maps to its words (a word may be several tokens; `word*` matches a prefix).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(transparent)]
pub struct WordData {
    /// Words by class name.
    pub classes: BTreeMap<String, Vec<String>>,
}

impl LangSection for WordData {
    /// A class the language does not define is taken from its fallback.
    fn inherit(&mut self, parent: &Self) {
        for (name, words) in &parent.classes {
            self.classes
                .entry(name.clone())
                .or_insert_with(|| words.clone());
        }
    }
}

/// A test on one token's folded text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenTest {
    /// The token is exactly this.
    Exact(String),
    /// The token starts with this.
    Prefix(String),
}

impl TokenTest {
    /// True when the folded token passes.
    pub fn matches(&self, folded: &str) -> bool {
        match self {
            TokenTest::Exact(word) => folded == word,
            TokenTest::Prefix(prefix) => folded.starts_with(prefix.as_str()),
        }
    }
}

/// The token tests of a literal: its tokens, the last one a prefix when it ends in `*`.
pub fn literal_tests(literal: &str) -> Vec<TokenTest> {
    let (text, prefix) = match literal.strip_suffix('*') {
        Some(stem) if !stem.is_empty() => (stem, true),
        _ => (literal, false),
    };
    let tokens = tokenize(text, Span::new(0, text.len()));
    let last = tokens.len().saturating_sub(1);
    tokens
        .into_iter()
        .enumerate()
        .map(|(i, token)| {
            if prefix && i == last {
                TokenTest::Prefix(token.folded.into_owned())
            } else {
                TokenTest::Exact(token.folded.into_owned())
            }
        })
        .collect()
}

/// True when `tests` match the tokens from `at`.
pub fn matches_at(tests: &[TokenTest], tokens: &[Token], at: usize) -> bool {
    tests.len() <= tokens.len().saturating_sub(at)
        && tests
            .iter()
            .zip(&tokens[at..])
            .all(|(test, token)| test.matches(&token.folded))
}

/// A set of [`word_hash`]es as 1,024 bits, bit `hash >> 54` of each set: a hash whose bit is
/// clear is not in the set, which answers most lookups of a hash not in it in a few
/// instructions. A sentence sets few of the bits, so that even a class of many words seldom
/// seems to [`HashFilter::meets`] it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HashFilter([u64; 16]);

impl HashFilter {
    /// The filter of `hashes`.
    pub fn new(hashes: impl IntoIterator<Item = u64>) -> Self {
        HashFilter::of_slots(hashes.into_iter().map(HashFilter::slot))
    }

    /// The filter of hashes given by their [`HashFilter::slot`]s.
    pub fn of_slots(slots: impl IntoIterator<Item = u16>) -> Self {
        let mut filter = HashFilter::default();
        for slot in slots {
            let (word, bit) = HashFilter::bit(slot);
            filter.0[word] |= bit;
        }
        filter
    }

    /// The bit of the filter standing for `hash`, numbered from 0 to 1,023.
    pub fn slot(hash: u64) -> u16 {
        (hash >> 54) as u16
    }

    /// The word of the filter and the bit in it of `slot`.
    fn bit(slot: u16) -> (usize, u64) {
        (usize::from(slot / 64), 1 << (slot % 64))
    }

    /// False when `hash` is not in the set; true when it may be.
    pub fn may_hold(&self, hash: u64) -> bool {
        self.holds_slot(HashFilter::slot(hash))
    }

    /// False when no hash of bit `slot` (see [`HashFilter::slot`]) is in the set.
    #[inline]
    pub fn holds_slot(&self, slot: u16) -> bool {
        let (word, bit) = HashFilter::bit(slot);
        self.0[word] & bit != 0
    }

    /// False when the two sets have no hash in common; true when they may have.
    pub fn meets(&self, other: &HashFilter) -> bool {
        self.0.iter().zip(&other.0).any(|(a, b)| a & b != 0)
    }
}

/// The words of one class, found by their first token.
#[derive(Clone, Debug, Default)]
pub struct WordClass {
    /// The words, as token tests.
    words: Vec<Vec<TokenTest>>,
    /// [`word_hash`] of an exact first token → the words starting with it (or with another
    /// token of that hash: [`WordClass::matching`] tests every candidate).
    by_first: HashMap<u64, Vec<u32>>,
    /// The keys of `by_first`, to pass over most tokens without a lookup.
    first_filter: HashFilter,
    /// The words whose first test is a prefix.
    prefixed: Vec<u32>,
    /// The words that are one character, for [`Symbols`].
    chars: Vec<char>,
}

impl WordClass {
    fn new(words: Vec<Vec<TokenTest>>) -> Self {
        let mut class = WordClass::default();
        for (index, word) in words.iter().enumerate() {
            match word.first() {
                Some(TokenTest::Exact(first)) => class
                    .by_first
                    .entry(word_hash(first))
                    .or_default()
                    .push(index as u32),
                _ => class.prefixed.push(index as u32),
            }
        }
        class.first_filter = HashFilter::new(class.by_first.keys().copied());
        class.chars = words
            .iter()
            .filter_map(|word| match word.as_slice() {
                [TokenTest::Exact(exact)] => {
                    let mut chars = exact.chars();
                    chars.next().filter(|_| chars.next().is_none())
                }
                _ => None,
            })
            .collect();
        class.words = words;
        class
    }

    /// The words that match the tokens from `at`.
    fn matching<'c>(
        &'c self,
        tokens: &'c [Token],
        at: usize,
    ) -> impl Iterator<Item = &'c [TokenTest]> + 'c {
        let exact = tokens
            .get(at)
            .filter(|token| self.first_filter.may_hold(token.hash))
            .and_then(|token| self.by_first.get(&token.hash))
            .map_or(&[][..], Vec::as_slice);
        exact
            .iter()
            .chain(&self.prefixed)
            .map(|&index| self.words[index as usize].as_slice())
            .filter(move |tests| matches_at(tests, tokens, at))
    }

    /// False when no word of the class can match at token `at`: a test of a few instructions
    /// that rules out most tokens before [`WordClass::matching`] is set up.
    #[inline]
    fn may_match_at(&self, tokens: &[Token], at: usize) -> bool {
        !self.prefixed.is_empty()
            || tokens
                .get(at)
                .is_some_and(|token| self.first_filter.may_hold(token.hash))
    }

    /// Writes into `lengths` the lengths in tokens of the words matching at token `at`, longest
    /// first, each once.
    ///
    /// Inlined, so that a token ruled out costs no call.
    #[inline]
    pub fn lengths_at(&self, tokens: &[Token], at: usize, lengths: &mut Vec<usize>) {
        lengths.clear();
        if self.may_match_at(tokens, at) {
            self.matching_lengths(tokens, at, lengths);
        }
    }

    /// [`WordClass::lengths_at`] past its first test.
    #[inline(never)]
    fn matching_lengths(&self, tokens: &[Token], at: usize, lengths: &mut Vec<usize>) {
        lengths.extend(self.matching(tokens, at).map(<[_]>::len));
        lengths.sort_unstable_by(|a, b| b.cmp(a));
        lengths.dedup();
    }

    /// The number of tokens of the longest word matching at token `at`. Inlined, so that a
    /// token ruled out costs no call.
    #[inline]
    pub fn longest_at(&self, tokens: &[Token], at: usize) -> Option<usize> {
        if !self.may_match_at(tokens, at) {
            return None;
        }
        self.longest_matching(tokens, at)
    }

    /// [`WordClass::longest_at`] past its first test.
    #[inline(never)]
    fn longest_matching(&self, tokens: &[Token], at: usize) -> Option<usize> {
        self.matching(tokens, at).map(<[_]>::len).max()
    }

    /// True when the class has no word.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Compiled word classes of one language.
#[derive(Clone, Debug, Default)]
pub struct WordClasses {
    classes: BTreeMap<String, Arc<WordClass>>,
}

impl WordClasses {
    /// Compiles a language's word classes.
    pub fn new(data: &WordData) -> Result<Self, String> {
        let mut classes = BTreeMap::new();
        for (name, words) in &data.classes {
            let mut compiled = Vec::new();
            for word in words {
                let tests = literal_tests(word);
                if tests.is_empty() {
                    return Err(format!("class `{name}` has an empty word"));
                }
                compiled.push(tests);
            }
            classes.insert(name.clone(), Arc::new(WordClass::new(compiled)));
        }
        Ok(WordClasses { classes })
    }

    /// The words of class `name`, as token tests.
    pub fn get(&self, name: &str) -> Option<&[Vec<TokenTest>]> {
        self.classes.get(name).map(|class| class.words.as_slice())
    }

    /// The compiled class `name`, shared.
    pub fn class(&self, name: &str) -> Option<&Arc<WordClass>> {
        self.classes.get(name)
    }

    /// The names of all classes.
    pub fn names(&self) -> Vec<&str> {
        self.classes.keys().map(String::as_str).collect()
    }

    /// The one-token words of class `name`, to test many characters against.
    pub fn symbols(&self, name: &str) -> Symbols<'_> {
        match self.classes.get(name) {
            Some(class) => Symbols {
                words: &class.words,
                chars: &class.chars,
            },
            None => Symbols {
                words: &[],
                chars: &[],
            },
        }
    }
}

/// The one-token words of a class, tested against single characters.
#[derive(Clone, Copy, Debug)]
pub struct Symbols<'a> {
    words: &'a [Vec<TokenTest>],
    /// The words that are one character, folded.
    chars: &'a [char],
}

impl Symbols<'_> {
    /// True when the character, folded, is one of the words.
    pub fn holds(&self, symbol: char) -> bool {
        let mut lower = symbol.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(one), None) => self.chars.contains(&fold_char(one)),
            _ => {
                let mut buffer = [0u8; 4];
                let folded = fold(symbol.encode_utf8(&mut buffer));
                self.words.iter().any(
                    |word| matches!(word.as_slice(), [TokenTest::Exact(exact)] if *exact == folded),
                )
            }
        }
    }
}
