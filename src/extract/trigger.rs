//! Trigger words: a prefilter that skips a rule on a sentence that cannot hold a match.
//!
//! From a pattern's syntax tree, [`required_tests`] finds token tests of which at least one must
//! pass on some token of every match (a literal or word class every alternative goes through).
//! [`TriggerIndex`] gathers those tests for all the rules of one language, so that one pass over
//! a sentence's tokens tells which rules may match it; the others are not run at all.

use foldhash::HashMap;

use super::pattern::Node;
use super::tokens::{word_hash, Token};
use super::words::{literal_tests, matches_at, HashFilter, TokenTest, WordClasses};

/// Token tests of which one passes on a token of every match of `alternatives`, or `None` when
/// a match may consist of captures, gaps and optional parts alone.
pub fn required_tests(alternatives: &[Vec<Node>], words: &WordClasses) -> Option<Vec<TokenTest>> {
    let mut union = Vec::new();
    for sequence in alternatives {
        for test in first_tests(&sequence_words(sequence, words)?) {
            if !union.contains(&test) {
                union.push(test);
            }
        }
    }
    Some(union)
}

/// What each alternative of a pattern needs: for every element it cannot skip, in order, the
/// words of which one must be written from some token. A sentence may hold a match only when,
/// for some alternative, the elements' words are written in that order: a stronger filter than
/// [`required_tests`], which looks at the first token of one element.
pub fn required_elements(alternatives: &[Vec<Node>], words: &WordClasses) -> Requirements {
    Requirements::new(
        alternatives
            .iter()
            .map(|sequence| {
                sequence
                    .iter()
                    .filter_map(|node| node_words(node, words))
                    .map(|words| Element::new(&words))
                    .collect()
            })
            .collect(),
    )
}

/// The words each alternative of a program needs (see [`required_elements`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Requirements {
    /// Per alternative, per element it cannot skip (in pattern order): what must be written.
    alternatives: Vec<Vec<Element>>,
}

/// One element a match needs: one of its words, each as token tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Element {
    /// The words starting with an exact token: the [`word_hash`] of that token (sorted), and
    /// the tests of the tokens after it.
    exact: Vec<(u64, Vec<TokenTest>)>,
    /// The hashes of `exact` as a filter: most tokens are passed over with one test, and an
    /// element none of whose first tokens the sentence holds is ruled out without reading its
    /// tokens.
    exact_filter: HashFilter,
    /// The words starting with a prefix.
    prefixed: Vec<Vec<TokenTest>>,
}

impl Element {
    fn new(words: &[Vec<TokenTest>]) -> Self {
        let mut element = Element::default();
        for word in words {
            match word.split_first() {
                Some((TokenTest::Exact(first), rest)) => {
                    element.exact.push((word_hash(first), rest.to_vec()))
                }
                Some((TokenTest::Prefix(_), _)) => element.prefixed.push(word.clone()),
                None => {}
            }
        }
        element.exact.sort_by_key(|&(hash, _)| hash);
        element.exact_filter = HashFilter::new(element.exact.iter().map(|&(hash, _)| hash));
        element
    }

    /// True when one of its words starting with an exact token is written from token `at` of
    /// `tokens`.
    fn exact_written_at(&self, tokens: &[Token], at: usize) -> bool {
        let hash = tokens[at].hash;
        let from = self.exact.partition_point(|&(other, _)| other < hash);
        self.exact[from..]
            .iter()
            .take_while(|&&(other, _)| other == hash)
            .any(|(_, rest)| matches_at(rest, tokens, at + 1))
    }

    /// True when one of its words is written from token `at` of `tokens`.
    fn written_at(&self, tokens: &[Token], at: usize) -> bool {
        (self.exact_filter.may_hold(tokens[at].hash) && self.exact_written_at(tokens, at))
            || self
                .prefixed
                .iter()
                .any(|word| matches_at(word, tokens, at))
    }

    /// The last token before token `bound` that one of its words is written from; `words` are
    /// the words of `tokens`.
    fn last_before(&self, words: &SentenceWords, tokens: &[Token], bound: usize) -> Option<usize> {
        if !self.prefixed.is_empty() {
            return (0..bound).rev().find(|&at| self.written_at(tokens, at));
        }
        if !words.filter.meets(&self.exact_filter) {
            return None;
        }
        // Only the words starting with an exact token: a token whose filter bit the element
        // lacks, most of them, is passed over reading two bytes.
        let mut end = bound;
        while let Some(at) =
            (words.slots[..end].iter()).rposition(|&slot| self.exact_filter.holds_slot(slot))
        {
            if self.exact_written_at(tokens, at) {
                return Some(at);
            }
            end = at;
        }
        None
    }
}

/// The words of a sentence (or paragraph), for every rule's [`Requirements::starts_end`].
#[derive(Clone, Debug, Default)]
pub struct SentenceWords {
    /// The hashes ([`word_hash`]) of the folded tokens, as a filter that rules out most
    /// elements not written without reading the tokens.
    filter: HashFilter,
    /// The [`HashFilter::slot`] of each token's hash.
    slots: Vec<u16>,
}

impl SentenceWords {
    /// Replaces the words with those of `tokens`.
    pub fn refill(&mut self, tokens: &[Token]) {
        self.slots.clear();
        (self.slots).extend(tokens.iter().map(|token| HashFilter::slot(token.hash)));
        self.filter = HashFilter::of_slots(self.slots.iter().copied());
    }
}

impl Requirements {
    /// The requirements of either program: a match of the union needs one of them.
    pub fn union(mut self, other: Requirements) -> Requirements {
        self.alternatives.extend(other.alternatives);
        Requirements::new(self.alternatives)
    }

    /// The requirements of `alternatives`, without those that need, in order, all that an
    /// earlier kept one needs and maybe more: wherever they allow a match to start, that one
    /// does, so they would only cost time.
    fn new(alternatives: Vec<Vec<Element>>) -> Requirements {
        let mut kept: Vec<Vec<Element>> = Vec::new();
        for (index, elements) in alternatives.iter().enumerate() {
            // An alternative is dropped for one needing less, or for an equal one before it.
            let covered = alternatives.iter().enumerate().any(|(other_index, other)| {
                other_index != index
                    && is_subsequence(other, elements)
                    && (other.len() < elements.len() || other_index < index)
            });
            if !covered {
                kept.push(elements.clone());
            }
        }
        Requirements { alternatives: kept }
    }

    /// The token from which on no match can start in `tokens` (whose words are `words`); 0
    /// when no alternative can match them: the largest of [`Requirements::alternative_ends`].
    pub fn starts_end(&self, words: &SentenceWords, tokens: &[Token]) -> usize {
        self.alternatives
            .iter()
            .map(|elements| alternative_end(elements, words, tokens))
            .max()
            .unwrap_or(0)
    }

    /// Writes into `ends`, for each alternative kept, the token from which on no match of it
    /// can start in `tokens` (whose words are `words`); 0 when it cannot match them.
    pub fn alternative_ends(&self, words: &SentenceWords, tokens: &[Token], ends: &mut Vec<usize>) {
        ends.clear();
        ends.extend(
            self.alternatives
                .iter()
                .map(|elements| alternative_end(elements, words, tokens)),
        );
    }

    /// The number of alternatives kept.
    pub fn alternatives(&self) -> usize {
        self.alternatives.len()
    }

    /// The indices of the alternatives kept here that stand for those of `other`: for each of
    /// these, one that needs, in order, nothing it does not, so that wherever it allows a match
    /// to start, that one does. Every alternative given to these requirements (alone or through
    /// [`Requirements::union`]) has one; for any other, every index is given.
    pub fn covering(&self, other: &Requirements) -> Vec<usize> {
        let mut indices = Vec::new();
        for elements in &other.alternatives {
            match self
                .alternatives
                .iter()
                .position(|kept| is_subsequence(kept, elements))
            {
                Some(index) => indices.push(index),
                None => indices.extend(0..self.alternatives.len()),
            }
        }
        indices.sort_unstable();
        indices.dedup();
        indices
    }
}

/// The token from which on no match of an alternative needing `elements` can start in `tokens`
/// (whose words are `words`); 0 when it cannot match them. A match holds a token of each
/// element, in order, so it starts no later than the last place of its first element from
/// which places of the others still follow in order.
fn alternative_end(elements: &[Element], words: &SentenceWords, tokens: &[Token]) -> usize {
    // From the last element back, each one's last place before the next one's.
    let mut bound = tokens.len();
    for element in elements.iter().rev() {
        match element.last_before(words, tokens, bound) {
            Some(place) => bound = place,
            None => return 0,
        }
    }
    if elements.is_empty() {
        tokens.len()
    } else {
        bound + 1
    }
}

/// True when `part`'s elements are among `whole`'s, in the same order.
fn is_subsequence(part: &[Element], whole: &[Element]) -> bool {
    let mut rest = whole.iter();
    part.iter()
        .all(|element| rest.any(|other| other == element))
}

/// The words of the element of the sequence whose words start with the fewest distinct tests.
fn sequence_words(nodes: &[Node], words: &WordClasses) -> Option<Vec<Vec<TokenTest>>> {
    nodes
        .iter()
        .filter_map(|node| node_words(node, words))
        .min_by_key(|node_words| first_tests(node_words).len())
}

/// The words of which one is written, from some token, in every match of `node`; `None` when
/// it may be skipped or match any token.
fn node_words(node: &Node, words: &WordClasses) -> Option<Vec<Vec<TokenTest>>> {
    let mut union: Vec<Vec<TokenTest>> = Vec::new();
    let mut add = |word: Vec<TokenTest>| {
        if !union.contains(&word) {
            union.push(word);
        }
    };
    match node {
        Node::Literal(text) => add(literal_tests(text)),
        Node::Class(name) => words.get(name)?.iter().cloned().for_each(add),
        Node::Group(branches) => {
            for sequence in branches {
                sequence_words(sequence, words)?
                    .into_iter()
                    .for_each(&mut add);
            }
        }
        Node::Optional(_) | Node::Gap(_) | Node::Capture { .. } => return None,
    }
    (!union.is_empty() && union.iter().all(|word| !word.is_empty())).then_some(union)
}

/// The distinct first tests of `words`.
fn first_tests(words: &[Vec<TokenTest>]) -> Vec<TokenTest> {
    let mut tests: Vec<TokenTest> = Vec::new();
    for first in words.iter().filter_map(|word| word.first()) {
        if !tests.contains(first) {
            tests.push(first.clone());
        }
    }
    tests
}

/// The trigger tests of every rule of one language, indexed for one pass over a sentence.
#[derive(Clone, Debug, Default)]
pub struct TriggerIndex {
    /// Number of rules.
    rules: usize,
    /// [`word_hash`] of an exact token → the rules it triggers.
    exact: HashMap<u64, Vec<u32>>,
    /// The keys of `exact`, to pass over most tokens without a lookup.
    exact_filter: HashFilter,
    /// Prefix → the rules it triggers.
    prefixes: Vec<(String, u32)>,
    /// Rules without trigger words: always run.
    always: Vec<u32>,
}

/// What a rule needs to run in one language.
#[derive(Clone, Copy, Debug)]
pub enum Need<'a> {
    /// The rule has no pattern for the language: it never runs.
    Never,
    /// The rule always runs.
    Always,
    /// The rule runs when one of these tests passes on a token.
    AnyOf(&'a [TokenTest]),
}

impl TriggerIndex {
    /// Indexes what each rule (in order) needs.
    pub fn new<'a>(needs: impl IntoIterator<Item = Need<'a>>) -> Self {
        let mut index = TriggerIndex::default();
        for (rule, need) in needs.into_iter().enumerate() {
            let rule = rule as u32;
            index.rules += 1;
            match need {
                Need::Never => {}
                Need::Always => index.always.push(rule),
                Need::AnyOf(tests) => {
                    for test in tests {
                        match test {
                            TokenTest::Exact(word) => {
                                let rules = index.exact.entry(word_hash(word)).or_default();
                                if !rules.contains(&rule) {
                                    rules.push(rule);
                                }
                            }
                            TokenTest::Prefix(prefix) => {
                                index.prefixes.push((prefix.clone(), rule))
                            }
                        }
                    }
                }
            }
        }
        index.exact_filter = HashFilter::new(index.exact.keys().copied());
        index
    }

    /// Which rules may match the tokens: `active[rule]` is false only when the rule cannot.
    /// `active` is cleared and refilled, so one buffer serves every sentence.
    pub fn active(&self, tokens: &[Token], active: &mut Vec<bool>) {
        active.clear();
        active.resize(self.rules, false);
        for &rule in &self.always {
            active[rule as usize] = true;
        }
        for token in tokens {
            let rules = (self.exact_filter.may_hold(token.hash))
                .then(|| self.exact.get(&token.hash))
                .flatten();
            if let Some(rules) = rules {
                for &rule in rules {
                    active[rule as usize] = true;
                }
            }
            for (prefix, rule) in &self.prefixes {
                if token.folded.starts_with(prefix.as_str()) {
                    active[*rule as usize] = true;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::pattern::parse_pattern;
    use crate::extract::tokens::tokenize;
    use crate::extract::WordData;
    use crate::model::Span;

    fn words() -> WordClasses {
        let data: WordData =
            serde_yaml::from_str("verb: [says, said, tell*]\nnoun: [toll, death toll]")
                .expect("word data");
        WordClasses::new(&data).expect("classes")
    }

    fn required(pattern: &str) -> Option<Vec<TokenTest>> {
        required_tests(&parse_pattern(pattern).expect("pattern"), &words())
    }

    #[test]
    fn finds_the_words_every_match_needs() {
        let exact = |w: &str| TokenTest::Exact(w.to_string());
        assert_eq!(
            required("{x} @verb"),
            Some(vec![
                exact("says"),
                exact("said"),
                TokenTest::Prefix("tell".into())
            ])
        );
        assert_eq!(required("{x} [@verb] killed"), Some(vec![exact("killed")]));
        assert_eq!(
            required("(a|b c) {x} | d"),
            Some(vec![exact("a"), exact("b"), exact("d")])
        );
        assert_eq!(required("@noun"), Some(vec![exact("toll"), exact("death")]));
        assert_eq!(required("{x} [@verb] ...3 {y}"), None);
        assert_eq!(required("a | {x}"), None);
    }

    fn starts_end(requirements: &Requirements, text: &str) -> usize {
        let tokens = tokenize(text, Span::new(0, text.len()));
        let mut words = SentenceWords::default();
        words.refill(&tokens);
        requirements.starts_end(&words, &tokens)
    }

    fn requirements(pattern: &str) -> Requirements {
        required_elements(&parse_pattern(pattern).expect("pattern"), &words())
    }

    #[test]
    fn every_element_an_alternative_needs_must_appear_in_order() {
        let met = |requirements: &Requirements, text: &str| starts_end(requirements, text) > 0;
        let both = requirements("{x} @verb [the] toll");
        assert!(met(&both, "He said the toll rose"));
        assert!(met(&both, "They are telling the toll"));
        assert!(!met(&both, "The toll, he said, rose"));
        assert!(!met(&both, "He said it rose"));
        assert!(!met(&both, "The toll rose"));
        let either = requirements("{x} @verb toll | {x} killed");
        assert!(met(&either, "Five were killed"));
        assert!(!met(&either, "Five said so"));
        assert!(met(&requirements("{x} [@verb] ...3 {y}"), "anything"));
    }

    #[test]
    fn keeps_no_alternative_that_needs_all_another_one_needs() {
        let alternatives = |pattern: &str| requirements(pattern).alternatives.len();
        assert_eq!(alternatives("{x} @verb toll | {x} toll | [a] toll"), 1);
        assert_eq!(alternatives("{x} @verb toll | {x} toll @verb"), 2);
        let union = requirements("{x} killed").union(requirements("five killed"));
        assert_eq!(union.alternatives.len(), 1);
    }

    #[test]
    fn no_match_starts_after_the_last_place_of_an_element_it_needs() {
        let both = requirements("{x} @verb [the] toll");
        assert_eq!(starts_end(&both, "The toll, he said, the toll rose"), 5);
        assert_eq!(starts_end(&both, "He said the toll, and said it"), 2);
        assert_eq!(starts_end(&both, "He said it rose"), 0);
        let either = requirements("{x} @verb toll | {x} killed");
        assert_eq!(starts_end(&either, "Five were killed and he said so"), 3);
        assert_eq!(starts_end(&requirements("{x} ...3 {y}"), "any word"), 2);
        // The last "death" is not "death toll": the place looked for is further back.
        let noun = requirements("{x} @noun");
        assert_eq!(starts_end(&noun, "The death toll rose; death followed"), 3);
    }

    #[test]
    fn the_alternatives_standing_for_one_allow_every_start_it_allows() {
        // Each alternative alone, against the kept ones standing for it: the bound they give
        // is never below its own, so bounding a start by them rejects no position it accepts.
        let patterns = "{x} @verb toll | {x} toll | [a] toll | {x} killed toll | five killed";
        let all = requirements(patterns);
        let texts = [
            "He said the toll rose and five were killed",
            "The toll, he said, rose; a toll",
            "Five killed the toll he told",
            "nothing here",
        ];
        for sequence in parse_pattern(patterns).expect("pattern") {
            let alone = required_elements(std::slice::from_ref(&sequence), &words());
            let standing = all.covering(&alone);
            assert!(!standing.is_empty());
            for text in texts {
                let tokens = tokenize(text, Span::new(0, text.len()));
                let mut words = SentenceWords::default();
                words.refill(&tokens);
                let mut ends = Vec::new();
                all.alternative_ends(&words, &tokens, &mut ends);
                let bound = standing.iter().map(|&index| ends[index]).max();
                assert!(bound >= Some(alone.starts_end(&words, &tokens)), "{text}");
                assert_eq!(
                    ends.iter().max().copied(),
                    Some(all.starts_end(&words, &tokens))
                );
            }
        }
    }

    #[test]
    fn marks_only_rules_whose_words_appear() {
        let exact = |w: &str| TokenTest::Exact(w.to_string());
        let first = [exact("killed")];
        let second = [TokenTest::Prefix("tell".into())];
        let index = TriggerIndex::new([
            Need::AnyOf(&first),
            Need::AnyOf(&second),
            Need::Always,
            Need::Never,
        ]);
        let text = "Officials told reporters 5 were killed.";
        let tokens = tokenize(text, Span::new(0, text.len()));
        let mut active = Vec::new();
        index.active(&tokens, &mut active);
        assert_eq!(active, [true, false, true, false]);
        let text = "They are telling";
        index.active(&tokenize(text, Span::new(0, text.len())), &mut active);
        assert_eq!(active, [false, true, true, false]);
    }
}
