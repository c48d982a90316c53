//! Word classes: the `words:` section of `rules/lang/<code>*.yaml`, compiled to token tests.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::tokens::{fold, tokenize, Token};
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
                TokenTest::Prefix(token.folded)
            } else {
                TokenTest::Exact(token.folded)
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

/// Compiled word classes of one language.
#[derive(Clone, Debug, Default)]
pub struct WordClasses {
    classes: BTreeMap<String, Vec<Vec<TokenTest>>>,
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
            classes.insert(name.clone(), compiled);
        }
        Ok(WordClasses { classes })
    }

    /// The words of class `name`, as token tests.
    pub fn get(&self, name: &str) -> Option<&[Vec<TokenTest>]> {
        self.classes.get(name).map(Vec::as_slice)
    }

    /// The names of all classes.
    pub fn names(&self) -> Vec<&str> {
        self.classes.keys().map(String::as_str).collect()
    }

    /// The number of tokens of the longest word of class `name` at token `at`.
    pub fn longest_at(&self, name: &str, tokens: &[Token], at: usize) -> Option<usize> {
        self.get(name)?
            .iter()
            .filter(|tests| matches_at(tests, tokens, at))
            .map(Vec::len)
            .max()
    }

    /// True when the one-character `symbol` is a word of class `name`.
    pub fn has_symbol(&self, name: &str, symbol: char) -> bool {
        let mut buffer = [0u8; 4];
        let wanted = TokenTest::Exact(fold(symbol.encode_utf8(&mut buffer)));
        self.get(name)
            .is_some_and(|words| words.iter().any(|w| w.len() == 1 && w[0] == wanted))
    }
}
