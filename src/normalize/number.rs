//! Numbers and quantities: digits with the language's separators, number words, ranges and
//! qualifiers, normalized to an interval.
//!
//! Every word comes from `rules/lang/<code>.numbers.yaml`; this module only knows the grammar:
//!
//! ```text
//! expression := qualifier? core postfix-qualifier?
//! core       := opener measured middle measured      ("between 600 and 800")
//!             | measured (middle measured)?          ("600–800", "600 to 800", "35 km")
//! measured   := prefix-unit? amount (connector? unit)?
//! amount     := digits multiplier*                   ("2.500", "1,5 mrd.", "1.4 million")
//!             | number-words                         ("tweehonderdduizend", "dos mil")
//!             | vague-count amount                   ("flere hundre")
//!             | vague connector?                     ("hundreds of", "tientallen")
//! ```
//!
//! Number words are decomposed into the pieces the rules list (atoms, multipliers, joiners),
//! inside a compound word ("vier|honderd") as well as across words ("two hundred thousand"),
//! and the pieces are checked against the usual order of units, tens, hundreds and scales.
//! Matching is linear in the expression: tokens are read once, words are cut with a bounded
//! lookahead, and the gap allowed between tokens is a few whitespace characters.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};

use serde::{Deserialize, Serialize};

use super::byte_trie::ByteTrie;

use crate::extract::tokens::is_alphabetic;
use crate::model::Accord;
use crate::rules::LangSection;

/// A number or quantity as an interval with open or closed ends. An open end is `None`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// Lower end, `None` when open.
    pub low: Option<f64>,
    /// Upper end, `None` when open.
    pub high: Option<f64>,
    /// Whether `low` itself is included.
    pub low_inclusive: bool,
    /// Whether `high` itself is included.
    pub high_inclusive: bool,
    /// "about", "around": the rules' tolerance applies.
    pub approximate: bool,
    /// A vague magnitude such as "dozens" or "hundreds of".
    pub vague: bool,
    /// Unit, when the rules name one (`km`, `percent`, `EUR`).
    pub unit: Option<String>,
    /// Relative tolerance of an approximate value (0.1 = ±10 %), from the rules; `relate`
    /// widens the written ends by it. Zero for exact values.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub tolerance: f64,
}

fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

/// What a qualifier word does to the number it qualifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// "over", "more than", "ruim": lower bound, exclusive.
    MoreThan,
    /// "at least", "minst": lower bound, inclusive.
    AtLeast,
    /// "under", "less than": upper bound, exclusive.
    LessThan,
    /// "up to", "opptil": upper bound, inclusive.
    AtMost,
    /// "about", "ongeveer": approximate, the tolerance applies both ways.
    About,
    /// "nearly", "bijna": approximate, and not above the number.
    Nearly,
}

/// One way of writing a range: an optional opener and the word between the two ends.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeForm {
    /// Words before the first end ("between"); none for "600 to 800".
    #[serde(default)]
    pub opener: Option<String>,
    /// Words between the ends ("and", "-", "to").
    pub middle: String,
}

/// Number data of one language, as written in `rules/lang/<code>.numbers.yaml`.
///
/// A language inherits every field it leaves out from its fallback; word tables and lists are
/// merged, the language's own entries winning.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberData {
    /// The decimal mark (`.` or `,`).
    #[serde(default)]
    pub decimal_mark: Option<char>,
    /// Marks that group digits by three (`,`, `.`, space, no-break space, thin space).
    #[serde(default)]
    pub group_marks: Option<Vec<char>>,
    /// Relative tolerance of "about" (0.1 = ±10 %).
    #[serde(default)]
    pub tolerance: Option<f64>,
    /// Whether a unit may follow a ten ("thirty-five", "tjuefem").
    #[serde(default)]
    pub tens_before_units: Option<bool>,
    /// Whether a unit may come before its ten ("vijfendertig", "femogtjue").
    #[serde(default)]
    pub units_before_tens: Option<bool>,
    /// Number words with their value: units, teens, tens (0–99) and whole hundreds (100–900).
    #[serde(default)]
    pub words: BTreeMap<String, f64>,
    /// Words that multiply what comes before them ("hundred", "tusen", "mrd."), or count as
    /// one of them when nothing does.
    #[serde(default)]
    pub multipliers: BTreeMap<String, f64>,
    /// Words or marks joining number words ("-", "and", "en" in "vijfendertig", "og").
    #[serde(default)]
    pub joiners: Vec<String>,
    /// Number words that are no number on their own (articles: "a", "een", "un").
    #[serde(default)]
    pub not_alone: Vec<String>,
    /// Words before a number that bound or soften it, by what they do.
    #[serde(default)]
    pub qualifiers: BTreeMap<Qualifier, Vec<String>>,
    /// Words after a number that bound or soften it ("or more", "eller mer").
    #[serde(default)]
    pub postfix_qualifiers: BTreeMap<Qualifier, Vec<String>>,
    /// Ways of writing a range.
    #[serde(default)]
    pub ranges: Vec<RangeForm>,
    /// Vague magnitudes and the interval they stand for ("dozens": [24, 99]).
    #[serde(default)]
    pub vague: BTreeMap<String, [f64; 2]>,
    /// Vague counts of what follows ("several": [2, 9] makes "several hundred" 200–900).
    #[serde(default)]
    pub vague_counts: BTreeMap<String, [f64; 2]>,
    /// Words between a number and its unit ("of" in "millions of dollars", "de", "d'").
    #[serde(default)]
    pub connectors: Vec<String>,
    /// Unit words and symbols after a number, with their canonical code (`kilometer: km`).
    #[serde(default)]
    pub units: BTreeMap<String, String>,
    /// Unit symbols before a number, with their canonical code (`$: USD`).
    #[serde(default)]
    pub prefix_units: BTreeMap<String, String>,
    /// Examples: expression → how it displays, or null when it must not parse. Run as tests;
    /// never inherited.
    #[serde(default)]
    pub examples: BTreeMap<String, Option<String>>,
}

impl LangSection for NumberData {
    fn inherit(&mut self, parent: &Self) {
        fn merge_map<V: Clone>(own: &mut BTreeMap<String, V>, parent: &BTreeMap<String, V>) {
            for (key, value) in parent {
                own.entry(key.clone()).or_insert_with(|| value.clone());
            }
        }
        fn merge_list(own: &mut Vec<String>, parent: &[String]) {
            for item in parent {
                if !own.contains(item) {
                    own.push(item.clone());
                }
            }
        }
        fn merge_qualifiers(
            own: &mut BTreeMap<Qualifier, Vec<String>>,
            parent: &BTreeMap<Qualifier, Vec<String>>,
        ) {
            for (kind, words) in parent {
                merge_list(own.entry(*kind).or_default(), words);
            }
        }
        self.decimal_mark = self.decimal_mark.or(parent.decimal_mark);
        if self.group_marks.is_none() {
            self.group_marks = parent.group_marks.clone();
        }
        self.tolerance = self.tolerance.or(parent.tolerance);
        self.tens_before_units = self.tens_before_units.or(parent.tens_before_units);
        self.units_before_tens = self.units_before_tens.or(parent.units_before_tens);
        merge_map(&mut self.words, &parent.words);
        merge_map(&mut self.multipliers, &parent.multipliers);
        merge_list(&mut self.joiners, &parent.joiners);
        merge_list(&mut self.not_alone, &parent.not_alone);
        merge_qualifiers(&mut self.qualifiers, &parent.qualifiers);
        merge_qualifiers(&mut self.postfix_qualifiers, &parent.postfix_qualifiers);
        for form in &parent.ranges {
            let known = self
                .ranges
                .iter()
                .any(|own| own.opener == form.opener && own.middle == form.middle);
            if !known {
                self.ranges.push(form.clone());
            }
        }
        merge_map(&mut self.vague, &parent.vague);
        merge_map(&mut self.vague_counts, &parent.vague_counts);
        merge_list(&mut self.connectors, &parent.connectors);
        merge_map(&mut self.units, &parent.units);
        merge_map(&mut self.prefix_units, &parent.prefix_units);
    }
}

/// Whitespace characters allowed between two tokens of one expression.
const MAX_GAP: usize = 3;
/// Longest word that is tried as a compound of number words, in bytes.
const MAX_COMPOUND_BYTES: usize = 128;
/// Relative tolerance of "about" when no rule file sets one.
const DEFAULT_TOLERANCE: f64 = 0.1;

/// One piece of a number word.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Piece {
    /// A value: unit, teen, ten, or whole hundreds.
    Atom(f64),
    /// A multiplier: hundred-like below 1000, a scale from 1000 on.
    Multiplier(f64),
    /// A joining word or mark.
    Joiner,
}

/// A lexicon entry: its piece, and whether it may be a number on its own.
#[derive(Clone, Copy, Debug)]
struct Lexeme {
    piece: Piece,
    alone: bool,
}

/// Phrases (sequences of tokens) with a value, found by their first token. The first tokens
/// are a [`ByteTrie`]: most tokens looked up start no phrase of a table, and the trie rules
/// them out at their first bytes, without hashing them.
#[derive(Clone, Debug)]
struct Phrases<T> {
    /// Each first token, with the index of its phrases in `by_first`.
    firsts: ByteTrie<usize>,
    /// The first tokens, in the order of `by_first`.
    first_words: Vec<String>,
    /// Per first token: the other tokens of each phrase, and its value; longest first.
    by_first: Vec<Vec<(Vec<String>, T)>>,
}

impl<T> Default for Phrases<T> {
    fn default() -> Self {
        Phrases {
            firsts: ByteTrie::default(),
            first_words: Vec::new(),
            by_first: Vec::new(),
        }
    }
}

impl<T> Phrases<T> {
    /// The table of `phrases`, each with its value; an empty phrase is an error.
    fn new<'p>(phrases: impl IntoIterator<Item = (&'p str, T)>) -> Result<Self, String> {
        let mut first_words: Vec<String> = Vec::new();
        let mut by_first: Vec<Vec<(Vec<String>, T)>> = Vec::new();
        let mut index_of: HashMap<String, usize> = HashMap::new();
        for (phrase, value) in phrases {
            let mut tokens = tokenize(phrase).into_iter();
            let first = tokens
                .next()
                .ok_or_else(|| format!("empty phrase `{phrase}`"))?;
            let index = *index_of.entry(first.clone()).or_insert_with(|| {
                first_words.push(first);
                by_first.push(Vec::new());
                by_first.len() - 1
            });
            by_first[index].push((tokens.collect(), value));
        }
        for entries in &mut by_first {
            entries.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
        }
        let firsts = ByteTrie::new(
            (first_words.iter().enumerate())
                .map(|(index, word)| (word.as_bytes().to_vec(), index))
                .collect(),
        );
        Ok(Phrases {
            firsts,
            first_words,
            by_first,
        })
    }

    /// The first tokens of the phrases.
    fn first_words(&self) -> impl Iterator<Item = &str> {
        self.first_words.iter().map(String::as_str)
    }

    /// The longest phrase written at `pos`: its end and value.
    fn longest_at(&self, reader: &Reader, pos: usize) -> Option<(usize, &T)> {
        self.longest_from(reader.text, &reader.token_at(pos)?)
    }

    /// The longest phrase starting with the token `first`, already read: its end and value.
    fn longest_from(&self, text: &str, first: &Token) -> Option<(usize, &T)> {
        let index = *self.firsts.get(first.folded_bytes())?;
        self.by_first[index].iter().find_map(|(rest, value)| {
            let mut end = first.end;
            for word in rest {
                let token = token_at(text, skip_gap(text, end))?;
                if !token.is(word) {
                    return None;
                }
                end = token.end;
            }
            Some((end, value))
        })
    }
}

/// The kind of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokenKind {
    /// Letters, with inner hyphens.
    Word,
    /// ASCII digits.
    Digits,
    /// Any other single character.
    Symbol,
}

/// A token: its start and end bytes, kind and folded (lower-case) form.
#[derive(Clone, Debug)]
struct Token<'a> {
    start: usize,
    end: usize,
    kind: TokenKind,
    /// The folded form but for the case of ASCII letters, which [`Token::folded_bytes`] and
    /// [`Token::is`] lower-case as they read it: borrowed from the text unless folding changes
    /// some other character, so that reading a token never copies an ASCII word.
    caseless: Cow<'a, str>,
}

impl Token<'_> {
    /// The bytes of the folded form.
    fn folded_bytes(&self) -> impl DoubleEndedIterator<Item = u8> + Clone + '_ {
        self.caseless.bytes().map(|byte| byte.to_ascii_lowercase())
    }

    /// The folded form.
    fn folded(&self) -> Cow<'_, str> {
        if self.caseless.bytes().any(|byte| byte.is_ascii_uppercase()) {
            Cow::Owned(self.caseless.to_ascii_lowercase())
        } else {
            Cow::Borrowed(&self.caseless)
        }
    }

    /// True when the folded form is `folded`.
    fn is(&self, folded: &str) -> bool {
        self.caseless.eq_ignore_ascii_case(folded)
    }
}

fn is_letter(c: char) -> bool {
    is_alphabetic(c) || ('\u{300}'..='\u{36f}').contains(&c)
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Lower case, one hyphen and one apostrophe.
fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(fold_number_char)
        .collect()
}

/// Folds one lower-case character of a number token: typographic hyphens become `-`, the
/// typographic apostrophe `'`. Unlike `tokens::fold_char`, it also folds the hyphens, which
/// join compound number words.
fn fold_number_char(c: char) -> char {
    match c {
        '\u{2010}' | '\u{2011}' => '-',
        '\u{2019}' => '\'',
        other => other,
    }
}

/// [`fold`] of a token but for the case of ASCII letters, borrowed from the text when folding
/// changes no other character (most words, most marks).
fn fold_caseless(written: &str) -> Cow<'_, str> {
    let unchanged = |c: char| {
        if c.is_ascii() {
            return true;
        }
        let mut lower = c.to_lowercase();
        lower.len() == 1 && lower.next() == Some(c) && fold_number_char(c) == c
    };
    if written.is_ascii() || written.chars().all(unchanged) {
        Cow::Borrowed(written)
    } else {
        Cow::Owned(fold(written))
    }
}

/// The token starting at byte `pos`, or `None` at whitespace, at the end, or off a boundary.
fn token_at(text: &str, pos: usize) -> Option<Token<'_>> {
    let rest = text.get(pos..)?;
    if let Some(length) = plain_word_length(rest) {
        return Some(Token {
            start: pos,
            end: pos + length,
            kind: TokenKind::Word,
            caseless: Cow::Borrowed(&rest[..length]),
        });
    }
    let first = rest.chars().next()?;
    if first.is_whitespace() {
        return None;
    }
    let (length, kind) = if is_letter(first) {
        (word_length(rest), TokenKind::Word)
    } else if first.is_ascii_digit() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        (digits, TokenKind::Digits)
    } else {
        (first.len_utf8(), TokenKind::Symbol)
    };
    Some(Token {
        start: pos,
        end: pos + length,
        kind,
        caseless: fold_caseless(&rest[..length]),
    })
}

/// The text of one [`NumberRules::match_at`] call, with the last token read: the token after
/// an amount is looked at by the multipliers, the unit, the range and the postfix qualifier,
/// and is read only once.
struct Reader<'t> {
    text: &'t str,
    /// The byte position last read, and the token there.
    last: Cell<Option<(usize, Option<Token<'t>>)>>,
}

impl<'t> Reader<'t> {
    fn new(text: &'t str) -> Self {
        Reader {
            text,
            last: Cell::new(None),
        }
    }

    /// The token starting at byte `pos`, as [`token_at`] reads it.
    fn token_at(&self, pos: usize) -> Option<Token<'t>> {
        let token = match self.last.take() {
            Some((last_pos, token)) if last_pos == pos => token,
            _ => token_at(self.text, pos),
        };
        self.last.set(Some((pos, token.clone())));
        token
    }
}

/// The length of the word `rest` starts with when it is ASCII letters ending before a
/// character that is neither letter nor hyphen (or at the end): most words, found by a byte
/// scan that decodes at most the character after them. [`token_at`] reads them as they are,
/// without a copy.
fn plain_word_length(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let ascii = bytes
        .iter()
        .take_while(|byte| byte.is_ascii_alphabetic())
        .count();
    let ends = match bytes.get(ascii) {
        None => true,
        Some(&next) if next.is_ascii() => next != b'-',
        Some(_) => rest[ascii..]
            .chars()
            .next()
            .is_some_and(|next| !is_letter(next) && !is_hyphen(next)),
    };
    (ascii > 0 && ends).then_some(ascii)
}

/// Bytes of the word `rest` starts with: letters, joined by single inner hyphens.
fn word_length(rest: &str) -> usize {
    let mut end = 0;
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let continues = is_letter(c)
            || (is_hyphen(c) && end > 0 && chars.peek().is_some_and(|(_, n)| is_letter(*n)));
        if !continues {
            break;
        }
        end = i + c.len_utf8();
    }
    end
}

/// The folded tokens of a phrase from the rules.
fn tokenize(phrase: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut pos = 0;
    while pos < phrase.len() {
        match token_at(phrase, pos) {
            Some(token) => {
                pos = token.end;
                tokens.push(token.folded().into_owned());
            }
            None => pos += phrase[pos..].chars().next().map_or(1, char::len_utf8),
        }
    }
    tokens
}

/// `pos` moved over at most [`MAX_GAP`] whitespace characters.
fn skip_gap(text: &str, pos: usize) -> usize {
    let Some(rest) = text.get(pos..) else {
        return pos;
    };
    pos + rest
        .chars()
        .take(MAX_GAP)
        .take_while(|c| c.is_whitespace())
        .map(char::len_utf8)
        .sum::<usize>()
}

fn char_at(text: &str, pos: usize) -> Option<char> {
    text.get(pos..).and_then(|rest| rest.chars().next())
}

/// Number words read so far: the running total and the group below the last scale.
#[derive(Clone, Copy, Debug, Default)]
struct WordNumber {
    /// Sum of the groups already multiplied by a scale.
    total: f64,
    /// The group being read (below 1000 unless a multiplier made it larger).
    group: f64,
    /// The last scale applied, 0 before any.
    last_scale: f64,
    has_units: bool,
    has_tens: bool,
    has_hundreds: bool,
    /// A zero was read: nothing may follow.
    zero: bool,
    /// Pieces read.
    pieces: usize,
    /// The last piece was a joiner, and whether it stood as its own word.
    after_joiner: Option<bool>,
    /// Some piece may stand as a number on its own.
    substantive: bool,
}

/// Which orders of units and tens a language writes.
#[derive(Clone, Copy, Debug, Default)]
struct Order {
    tens_before_units: bool,
    units_before_tens: bool,
}

impl WordNumber {
    /// Adds a piece; `Err` when the pieces so far cannot be one number. `own_word` is true when
    /// the piece is a whole word by itself rather than part of a compound.
    fn feed(&mut self, lexeme: Lexeme, own_word: bool, order: Order) -> Result<(), ()> {
        if self.zero {
            return Err(());
        }
        let joined = self.after_joiner;
        match lexeme.piece {
            Piece::Joiner => {
                if self.pieces == 0 || joined.is_some() {
                    return Err(());
                }
                self.pieces += 1;
                self.after_joiner = Some(own_word);
                return Ok(());
            }
            Piece::Atom(value) => self.add_atom(value, joined == Some(true), order)?,
            Piece::Multiplier(factor) => {
                if joined.is_some() {
                    return Err(());
                }
                self.multiply(factor)?;
            }
        }
        self.after_joiner = None;
        self.pieces += 1;
        self.substantive |= lexeme.alone;
        Ok(())
    }

    fn add_atom(&mut self, value: f64, spaced_joiner: bool, order: Order) -> Result<(), ()> {
        if value == 0.0 {
            if self.pieces > 0 {
                return Err(());
            }
            self.zero = true;
            return Ok(());
        }
        if value >= 100.0 {
            if self.has_hundreds || self.group != 0.0 {
                return Err(());
            }
            self.has_hundreds = true;
            self.group = value;
            return Ok(());
        }
        let teen = (10.0..20.0).contains(&value);
        let pure_ten = !teen && value % 10.0 == 0.0;
        let pure_unit = value < 10.0;
        if teen || !(pure_ten || pure_unit) {
            // A teen, or a ten and unit written as one word ("ventuno").
            if self.has_units || self.has_tens {
                return Err(());
            }
            self.has_units = true;
            self.has_tens = true;
        } else if pure_ten {
            let allowed =
                !self.has_tens && (!self.has_units || (order.units_before_tens && !spaced_joiner));
            if !allowed {
                return Err(());
            }
            self.has_tens = true;
        } else {
            let allowed = !self.has_units && (!self.has_tens || order.tens_before_units);
            if !allowed {
                return Err(());
            }
            self.has_units = true;
        }
        self.group += value;
        Ok(())
    }

    fn multiply(&mut self, factor: f64) -> Result<(), ()> {
        if factor < 1000.0 {
            if self.has_hundreds || self.group >= factor {
                return Err(());
            }
            self.group = self.group.max(1.0) * factor;
            self.has_hundreds = true;
        } else {
            if self.last_scale == 0.0 || factor < self.last_scale {
                if self.group == 0.0 && self.total != 0.0 {
                    return Err(());
                }
                self.total += self.group.max(1.0) * factor;
            } else {
                // A larger scale multiplies all before it: "thousand million", "mil millones".
                self.total = (self.total + self.group) * factor;
            }
            self.last_scale = factor;
            self.group = 0.0;
            self.has_hundreds = false;
        }
        self.has_units = false;
        self.has_tens = false;
        Ok(())
    }

    /// Whether the words so far make a number that may end here.
    fn complete(&self) -> bool {
        self.pieces > 0 && self.after_joiner.is_none() && (self.substantive || self.zero)
    }

    fn value(&self) -> f64 {
        self.total + self.group
    }
}

/// An amount before qualifiers: an interval, vague or not, and the multiplier written after
/// digits ("million" in "2 million"), which a range's first end may share.
#[derive(Clone, Copy, Debug)]
struct Amount {
    low: f64,
    high: f64,
    vague: bool,
    /// The digits' value before the multiplier, and the multiplier (1 when none).
    mantissa: f64,
    factor: f64,
}

impl Amount {
    fn point(value: f64) -> Self {
        Amount {
            low: value,
            high: value,
            vague: false,
            mantissa: value,
            factor: 1.0,
        }
    }
}

/// Digits with the language's marks (`2,500`, `6.1`), as written.
struct Figure<'t> {
    written: &'t str,
    /// Whether it has a decimal part.
    decimals: bool,
}

/// An amount with its unit.
#[derive(Clone, Debug)]
struct Measured {
    amount: Amount,
    unit: Option<String>,
}

/// Compiled number rules of one language.
#[derive(Clone, Debug, Default)]
pub struct NumberRules {
    decimal_mark: char,
    group_marks: Vec<char>,
    tolerance: f64,
    order: Order,
    /// The number words (folded), to find a word's pieces and those a word starts with: a word
    /// none of whose first bytes begins one needs no further lookup to rule out a number word.
    lexicon: ByteTrie<Lexeme>,
    /// The number words written backwards, to find those a word ends with.
    lexicon_suffixes: ByteTrie<Lexeme>,
    qualifiers: Phrases<Qualifier>,
    postfix_qualifiers: Phrases<Qualifier>,
    /// Range openers, each with the middles it takes.
    openers: Phrases<Phrases<()>>,
    /// Middles of ranges without an opener.
    middles: Phrases<()>,
    vague: Phrases<[f64; 2]>,
    vague_counts: Phrases<[f64; 2]>,
    connectors: Phrases<()>,
    units: Phrases<String>,
    prefix_units: Phrases<String>,
    examples: Vec<(String, Option<String>)>,
    /// First tokens of the qualifiers ("more than", "etwa").
    qualifier_starters: ByteTrie,
    /// First tokens of the phrases a number itself may start with (range openers, vague
    /// magnitudes, prefix units), and number words written with a final `.` (without it): a word
    /// outside these that starts with no number word cannot start a number.
    core_starters: ByteTrie,
    /// The strings of `core_starters`, `qualifier_starters` and `lexicon` together, each with
    /// whether it is a number word other than a joiner, for [`NumberRules::may_start_at`]: a
    /// word that leaves this trie before such a number word has ended starts no expression.
    start_prefixes: ByteTrie<bool>,
    /// The first words of units, connectors, range middles and postfix qualifiers, and the
    /// number words (marked), for [`NumberRules::may_follow_at`].
    follow_prefixes: ByteTrie<bool>,
}

impl NumberRules {
    /// Compiles a language's number data.
    pub fn new(data: &NumberData) -> Result<Self, String> {
        let decimal_mark = data.decimal_mark.unwrap_or('.');
        let group_marks = data.group_marks.clone().unwrap_or_default();
        if group_marks.contains(&decimal_mark) {
            return Err(format!(
                "`{decimal_mark}` is both the decimal mark and a group mark"
            ));
        }
        let tolerance = data.tolerance.unwrap_or(DEFAULT_TOLERANCE);
        if !(0.0..1.0).contains(&tolerance) {
            return Err(format!("tolerance {tolerance} is not between 0 and 1"));
        }
        let mut rules = NumberRules {
            decimal_mark,
            group_marks,
            tolerance,
            order: Order {
                tens_before_units: data.tens_before_units.unwrap_or(true),
                units_before_tens: data.units_before_tens.unwrap_or(false),
            },
            examples: data
                .examples
                .iter()
                .map(|(text, shown)| (text.clone(), shown.clone()))
                .collect(),
            ..NumberRules::default()
        };
        let lexicon = rules.compile_lexicon(data)?;
        rules.compile_phrases(data)?;
        // Number words written with a final `.`, without it.
        let dotted_stems = lexicon.keys().filter_map(|key| key.strip_suffix('.'));
        rules.qualifier_starters = ByteTrie::of_words(rules.qualifiers.first_words());
        let core_starters = (rules.vague.first_words())
            .chain(rules.vague_counts.first_words())
            .chain(rules.prefix_units.first_words())
            .chain(rules.openers.first_words())
            .chain(dotted_stems);
        let core_starters: Vec<&str> = core_starters.collect();
        rules.core_starters = ByteTrie::of_words(core_starters.iter().copied());
        let starts = (core_starters.into_iter())
            .chain(rules.qualifiers.first_words())
            .map(|word| (word, false));
        let counted = lexicon
            .iter()
            .map(|(word, lexeme)| (word.as_str(), lexeme.piece != Piece::Joiner));
        rules.start_prefixes = ByteTrie::marked(starts.chain(counted));
        // Whatever follows a number word may be another ("vier|honderd", "twenty-|five").
        let number_words = lexicon.keys().map(|word| (word.as_str(), true));
        let opener_middles = (rules.openers.by_first.iter().flatten())
            .flat_map(|(_, middles)| middles.first_words());
        let follows = (rules.units.first_words())
            .chain(rules.connectors.first_words())
            .chain(rules.middles.first_words())
            .chain(opener_middles)
            .chain(rules.postfix_qualifiers.first_words())
            .map(|word| (word, false));
        rules.follow_prefixes = ByteTrie::marked(follows.chain(number_words));
        Ok(rules)
    }

    /// Whether a number (without a qualifier), and whether a qualifier, may start with a token
    /// of `kind` folded to `lower`. Digits start a figure unless they are `inside_figure`
    /// ("000" in "2,000").
    fn may_start(
        &self,
        kind: TokenKind,
        inside_figure: bool,
        lower: impl DoubleEndedIterator<Item = u8> + Clone,
    ) -> (bool, bool) {
        let number = (kind == TokenKind::Digits && !inside_figure)
            || self.core_starters.contains(lower.clone())
            || (kind == TokenKind::Word && self.starts_with_number_word(lower.clone()));
        (number, self.qualifier_starters.contains(lower))
    }

    /// False only when [`NumberRules::may_start`] fails on the token at byte `start` of `text`
    /// (it begins no starter, no qualifier and no number word), judged from its ASCII bytes
    /// without reading the token (see [`ByteTrie::may_begin_token`]). Most words are ruled out
    /// at their first bytes; anything else passes, for the full test to judge.
    fn may_start_at(&self, text: &[u8], start: usize) -> bool {
        self.start_prefixes.may_begin_token(text, start)
    }

    /// False only when the token at byte `pos` of `text` can be none of what may follow an
    /// amount (a multiplier or other number word, a unit, a connector, the middle of a range or
    /// a postfix qualifier), judged from its ASCII bytes without reading it. Most words after a
    /// number are ruled out so; anything else passes, for the full tests to judge.
    fn may_follow_at(&self, text: &[u8], pos: usize) -> bool {
        self.follow_prefixes.may_begin_token(text, pos)
    }

    /// True when some number word is a prefix of `word` and some number word a suffix, neither
    /// of them a joiner: what a number written as one word ("tweehonderdduizend") needs, and a
    /// cheap test that rules out words such as "army", which merely start with one ("a"), or
    /// "and".
    fn starts_with_number_word(&self, word: impl DoubleEndedIterator<Item = u8> + Clone) -> bool {
        self.bounded_by_pieces(word, false)
    }

    /// True when some lexicon entry is a prefix of `word` and some entry a suffix (joiners
    /// counting only when `joiners`): what [`NumberRules::decompose`] needs to cut the word
    /// into pieces, tested with a few lookups instead of its full search.
    fn bounded_by_pieces(
        &self,
        word: impl DoubleEndedIterator<Item = u8> + Clone,
        joiners: bool,
    ) -> bool {
        // An entry ends on a character boundary of the word it begins (ends): bytes are enough.
        let counts = |(_, lexeme): (usize, &Lexeme)| joiners || lexeme.piece != Piece::Joiner;
        self.lexicon.prefixes_of(word.clone()).any(counts)
            && self.lexicon_suffixes.prefixes_of(word.rev()).any(counts)
    }

    /// Compiles the number words; returns them, folded, with their lexemes.
    fn compile_lexicon(&mut self, data: &NumberData) -> Result<HashMap<String, Lexeme>, String> {
        let atoms = data.words.iter().map(|(word, value)| {
            let whole = value.fract() == 0.0;
            let valid = whole
                && ((0.0..100.0).contains(value) || (value % 100.0 == 0.0 && *value < 1000.0));
            if valid {
                Ok((word, Piece::Atom(*value)))
            } else {
                Err(format!(
                    "number word `{word}`: {value} is not a whole number below 100 or whole hundreds"
                ))
            }
        });
        let multipliers = data.multipliers.iter().map(|(word, factor)| {
            if *factor > 1.0 && factor.is_finite() {
                Ok((word, Piece::Multiplier(*factor)))
            } else {
                Err(format!("multiplier `{word}`: {factor} is not above 1"))
            }
        });
        let joiners = data.joiners.iter().map(|word| Ok((word, Piece::Joiner)));
        let mut lexicon: HashMap<String, Lexeme> = HashMap::new();
        for entry in atoms.chain(multipliers).chain(joiners) {
            let (word, piece) = entry?;
            let key = fold(word.trim());
            if key.is_empty() || key.chars().any(char::is_whitespace) {
                return Err(format!(
                    "number word `{word}` must be one word (write phrases in `vague`, `units`…)"
                ));
            }
            let lexeme = Lexeme {
                piece,
                alone: !data.not_alone.iter().any(|w| fold(w) == key),
            };
            if let Some(previous) = lexicon.insert(key, lexeme) {
                if previous.piece != piece {
                    return Err(format!("number word `{word}` is listed twice"));
                }
            }
        }
        let entries = |bytes: fn(&str) -> Vec<u8>| {
            (lexicon.iter())
                .map(|(key, lexeme)| (bytes(key), *lexeme))
                .collect()
        };
        self.lexicon = ByteTrie::new(entries(|key| key.bytes().collect()));
        self.lexicon_suffixes = ByteTrie::new(entries(|key| key.bytes().rev().collect()));
        Ok(lexicon)
    }

    fn compile_phrases(&mut self, data: &NumberData) -> Result<(), String> {
        /// The phrases of `table`, its name on their errors.
        fn phrases<'p, T>(
            table: &str,
            phrases: impl IntoIterator<Item = (&'p str, T)>,
        ) -> Result<Phrases<T>, String> {
            Phrases::new(phrases).map_err(|e| format!("{table}: {e}"))
        }
        /// Each word of `qualifiers` with what it does.
        fn qualifier_words(
            qualifiers: &BTreeMap<Qualifier, Vec<String>>,
        ) -> impl Iterator<Item = (&str, Qualifier)> {
            (qualifiers.iter())
                .flat_map(|(kind, words)| words.iter().map(|word| (word.as_str(), *kind)))
        }
        self.qualifiers = phrases("qualifiers", qualifier_words(&data.qualifiers))?;
        self.postfix_qualifiers = phrases(
            "postfix_qualifiers",
            qualifier_words(&data.postfix_qualifiers),
        )?;
        let mut openers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut middles = Vec::new();
        for form in &data.ranges {
            match &form.opener {
                Some(opener) => openers.entry(opener).or_default().push(&form.middle),
                None => middles.push((form.middle.as_str(), ())),
            }
        }
        self.middles = phrases("ranges", middles)?;
        let openers = (openers.into_iter())
            .map(|(opener, middles)| {
                let middles = phrases("ranges", middles.into_iter().map(|m| (m, ())))?;
                Ok((opener, middles))
            })
            .collect::<Result<Vec<_>, String>>()?;
        self.openers = phrases("ranges", openers)?;
        for (phrase, bounds) in data.vague.iter().chain(&data.vague_counts) {
            check_bounds(phrase, bounds)?;
        }
        fn bounded(table: &BTreeMap<String, [f64; 2]>) -> impl Iterator<Item = (&str, [f64; 2])> {
            table
                .iter()
                .map(|(phrase, bounds)| (phrase.as_str(), *bounds))
        }
        self.vague = phrases("vague", bounded(&data.vague))?;
        self.vague_counts = phrases("vague_counts", bounded(&data.vague_counts))?;
        let connectors = data.connectors.iter().map(|word| (word.as_str(), ()));
        self.connectors = phrases("connectors", connectors)?;
        fn coded(table: &BTreeMap<String, String>) -> impl Iterator<Item = (&str, String)> {
            table
                .iter()
                .map(|(phrase, code)| (phrase.as_str(), code.clone()))
        }
        self.units = phrases("units", coded(&data.units))?;
        self.prefix_units = phrases("prefix_units", coded(&data.prefix_units))?;
        Ok(())
    }

    /// The language's own examples: expression and expected display, `None` when the
    /// expression must not parse.
    pub fn examples(&self) -> &[(String, Option<String>)] {
        &self.examples
    }
}

fn check_bounds(phrase: &str, bounds: &[f64; 2]) -> Result<(), String> {
    if bounds[0].is_finite() && bounds[1].is_finite() && bounds[0] <= bounds[1] {
        Ok(())
    } else {
        Err(format!(
            "`{phrase}`: bounds [{}, {}] are not an interval",
            bounds[0], bounds[1]
        ))
    }
}

impl NumberRules {
    /// The longest number or quantity expression starting at byte `start` of `text`: its end
    /// byte and value. `start` is the first byte of a word.
    pub fn match_at(&self, text: &str, start: usize) -> Option<(usize, Quantity)> {
        if !text.is_char_boundary(start) || !self.may_start_at(text.as_bytes(), start) {
            return None;
        }
        // Most words of a text are ruled out from their first bytes. The first token is read
        // once (without a copy), and handed to every reading that starts with it. A cheap test
        // on it skips most other words: no expression starts there unless it starts a
        // qualifier or a number.
        let first = token_at(text, start)?;
        let inside_figure = first.kind == TokenKind::Digits && self.continues_a_number(text, start);
        let (starts_number, starts_qualifier) =
            self.may_start(first.kind, inside_figure, first.folded_bytes());
        if !starts_number && !starts_qualifier {
            return None;
        }
        let reader = Reader::new(text);
        if let Some((end, kind)) = self.qualifiers.longest_from(text, &first) {
            let (core_end, core) = self.core_at(&reader, &reader.token_at(skip_gap(text, end))?)?;
            return Some((core_end, self.qualify(core, *kind)?));
        }
        if !starts_number {
            return None;
        }
        let (end, core) = self.core_at(&reader, &first)?;
        let after = skip_gap(text, end);
        let postfix = (self.may_follow_at(text.as_bytes(), after))
            .then(|| self.postfix_qualifiers.longest_at(&reader, after))
            .flatten();
        if let Some((postfix_end, kind)) = postfix {
            if let Some(quantity) = self.qualify(core.clone(), *kind) {
                return Some((postfix_end, quantity));
            }
        }
        Some((end, self.qualify_none(core)))
    }

    /// The value of `text` when the whole of it (trimmed) is one number or quantity expression.
    pub fn parse(&self, text: &str) -> Option<Quantity> {
        let trimmed = text.trim();
        let offset = text.len() - text.trim_start().len();
        match self.match_at(text, offset) {
            Some((end, value)) if end == offset + trimmed.len() => Some(value),
            _ => None,
        }
    }

    /// A range, or one measured amount, starting with the token `token`.
    fn core_at(&self, reader: &Reader, token: &Token) -> Option<(usize, Measured)> {
        if let Some((opener_end, middles)) = self.openers.longest_from(reader.text, token) {
            if let Some(range) = self.range_from(reader, skip_gap(reader.text, opener_end), middles)
            {
                return Some(range);
            }
        }
        let (first_end, first) = self.measured_at(reader, token)?;
        self.range_after(reader, first_end, &first, &self.middles)
            .or(Some((first_end, first)))
    }

    /// `first middle second` at `pos`, when the ends are points in order.
    fn range_from(
        &self,
        reader: &Reader,
        pos: usize,
        middles: &Phrases<()>,
    ) -> Option<(usize, Measured)> {
        let (first_end, first) = self.measured_at(reader, &reader.token_at(pos)?)?;
        self.range_after(reader, first_end, &first, middles)
    }

    /// `middle second` after the `first` end of a range, when the ends are points in order.
    fn range_after(
        &self,
        reader: &Reader,
        first_end: usize,
        first: &Measured,
        middles: &Phrases<()>,
    ) -> Option<(usize, Measured)> {
        let pos = skip_gap(reader.text, first_end);
        if !self.may_follow_at(reader.text.as_bytes(), pos) {
            return None;
        }
        let (middle_end, ()) = middles.longest_at(reader, pos)?;
        let (end, second) =
            self.measured_at(reader, &reader.token_at(skip_gap(reader.text, middle_end))?)?;
        if first.amount.vague || second.amount.vague {
            return None;
        }
        let unit = match (&first.unit, second.unit) {
            (Some(a), Some(b)) if *a != b => return None,
            (a, b) => b.or_else(|| a.clone()),
        };
        let mut low = first.amount.low;
        let high = second.amount.high;
        let shares_multiplier = first.amount.factor == 1.0
            && second.amount.factor > 1.0
            && low < second.amount.mantissa;
        if shares_multiplier {
            low *= second.amount.factor;
        }
        if !low.is_finite() || low > high {
            return None;
        }
        let amount = Amount {
            low,
            high,
            vague: false,
            mantissa: low,
            factor: 1.0,
        };
        Some((end, Measured { amount, unit }))
    }

    /// An amount with its unit, before or after it, starting with the token `token`.
    fn measured_at(&self, reader: &Reader, token: &Token) -> Option<(usize, Measured)> {
        if let Some((prefix_end, code)) = self.prefix_units.longest_from(reader.text, token) {
            let (end, amount) =
                self.amount_at(reader, &reader.token_at(skip_gap(reader.text, prefix_end))?)?;
            if char_at(reader.text, end).is_some_and(is_letter) {
                return None;
            }
            let unit = Some(code.clone());
            return Some((end, Measured { amount, unit }));
        }
        let (end, amount) = self.amount_at(reader, token)?;
        let (end, unit) = match self.unit_after(reader, end) {
            Some((unit_end, code)) => (unit_end, Some(code.clone())),
            None => (end, None),
        };
        if char_at(reader.text, end).is_some_and(is_letter) {
            // Digits run into a word that is neither unit nor multiplier ("3rd").
            return None;
        }
        Some((end, Measured { amount, unit }))
    }

    /// A unit after an amount ending at `end`, directly or after a connector.
    fn unit_after(&self, reader: &Reader, end: usize) -> Option<(usize, &String)> {
        // The token after the amount is read once for both: most amounts have neither.
        let pos = skip_gap(reader.text, end);
        if !self.may_follow_at(reader.text.as_bytes(), pos) {
            return None;
        }
        let next = reader.token_at(pos)?;
        self.units.longest_from(reader.text, &next).or_else(|| {
            let (connector_end, ()) = self.connectors.longest_from(reader.text, &next)?;
            self.units
                .longest_at(reader, skip_gap(reader.text, connector_end))
        })
    }

    /// The longest amount starting with the token `token`; a vague phrase wins a tie.
    fn amount_at(&self, reader: &Reader, token: &Token) -> Option<(usize, Amount)> {
        let candidates = [
            self.vague_at(reader, token),
            self.vague_count_at(reader, token),
            self.digits_amount_at(reader, token.start),
            self.words_at(reader, token)
                .map(|(end, value)| (end, Amount::point(value))),
        ];
        candidates
            .into_iter()
            .flatten()
            .fold(
                None,
                |best: Option<(usize, Amount)>, candidate| match best {
                    Some(best) if best.0 >= candidate.0 => Some(best),
                    _ => Some(candidate),
                },
            )
    }

    fn vague_at(&self, reader: &Reader, token: &Token) -> Option<(usize, Amount)> {
        let (end, bounds) = self.vague.longest_from(reader.text, token)?;
        let end = match self
            .connectors
            .longest_at(reader, skip_gap(reader.text, end))
        {
            Some((connector_end, ())) => connector_end,
            None => end,
        };
        Some((end, vague_amount(bounds[0], bounds[1])))
    }

    fn vague_count_at(&self, reader: &Reader, token: &Token) -> Option<(usize, Amount)> {
        let (count_end, bounds) = self.vague_counts.longest_from(reader.text, token)?;
        let after = reader.token_at(skip_gap(reader.text, count_end))?;
        if let Some(vague) = self.vague_at(reader, &after) {
            // "several thousands" is as vague as "thousands".
            return Some(vague);
        }
        let (end, magnitude) = self.words_at(reader, &after).or_else(|| {
            self.digits_amount_at(reader, after.start)
                .map(|(e, a)| (e, a.low))
        })?;
        Some((
            end,
            vague_amount(bounds[0] * magnitude, bounds[1] * magnitude),
        ))
    }

    /// Digits with the language's marks, then any multipliers ("1,5 mrd.", "2 500").
    fn digits_amount_at(&self, reader: &Reader, pos: usize) -> Option<(usize, Amount)> {
        let (mut end, figure) = self.digits_at(reader.text, pos)?;
        let mut factor = 1.0;
        let mut last = 1.0;
        loop {
            let after = skip_gap(reader.text, end);
            if !self.may_follow_at(reader.text.as_bytes(), after) {
                break;
            }
            let Some((word_end, pieces)) = self.number_word_at(reader, after) else {
                break;
            };
            let [Lexeme {
                piece: Piece::Multiplier(multiplier),
                ..
            }] = pieces.as_slice()
            else {
                break;
            };
            if *multiplier <= last {
                break;
            }
            last = *multiplier;
            factor *= multiplier;
            end = word_end;
        }
        let mantissa = self.figure_value(&figure)?;
        let value = scaled(mantissa, factor, || self.plain_decimal(&figure))?;
        Some((
            end,
            Amount {
                low: value,
                high: value,
                vague: false,
                mantissa,
                factor,
            },
        ))
    }

    /// The figure at `pos`: digits with the language's marks, and its end. `None` when the
    /// marks do not fit the language ("1,5" in English, "1.5" in Dutch).
    fn digits_at<'t>(&self, text: &'t str, pos: usize) -> Option<(usize, Figure<'t>)> {
        let bytes = text.as_bytes();
        let run = |from: usize| {
            bytes[from.min(bytes.len())..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        };
        let first = run(pos);
        if first == 0 || self.continues_a_number(text, pos) {
            return None;
        }
        let mut end = pos + first;
        let mut used: Option<char> = None;
        if first <= 3 {
            while let Some(mark) = char_at(text, end) {
                let fits = self.group_marks.contains(&mark) && used.is_none_or(|u| u == mark);
                let next = end + mark.len_utf8();
                if !fits || run(next) != 3 {
                    break;
                }
                used = Some(mark);
                end = next + 3;
            }
        }
        let mut decimals = false;
        if char_at(text, end) == Some(self.decimal_mark) {
            let next = end + self.decimal_mark.len_utf8();
            let count = run(next);
            if count > 0 {
                decimals = true;
                end = next + count;
            }
        }
        if let Some(mark) = char_at(text, end) {
            let is_mark = mark == self.decimal_mark || self.group_marks.contains(&mark);
            if is_mark && !mark.is_whitespace() && run(end + mark.len_utf8()) > 0 {
                return None;
            }
        }
        let written = &text[pos..end];
        Some((end, Figure { written, decimals }))
    }

    /// The value of `figure`: an integer below 2^64 straight from its digits (the value
    /// `str::parse` gives too, both rounding to the nearest `f64`), others parsed; `None` when
    /// not finite.
    fn figure_value(&self, figure: &Figure) -> Option<f64> {
        let integer = (!figure.decimals).then(|| {
            (figure.written.bytes().filter(u8::is_ascii_digit)).try_fold(0u64, |n, digit| {
                n.checked_mul(10)?.checked_add(u64::from(digit - b'0'))
            })
        });
        let value = match integer.flatten() {
            Some(n) => n as f64,
            None => self.plain_decimal(figure).parse().ok()?,
        };
        value.is_finite().then_some(value)
    }

    /// `figure` as a plain decimal string (`2500`, `6.1`), borrowed from the text when it is
    /// written so there (no group mark, a `.` decimal mark).
    fn plain_decimal<'t>(&self, figure: &Figure<'t>) -> Cow<'t, str> {
        let plain = |c: char| c.is_ascii_digit() || (c == '.' && self.decimal_mark == '.');
        if figure.written.chars().all(plain) {
            return Cow::Borrowed(figure.written);
        }
        // Marks other than digits are group marks, dropped, and the decimal mark (never a
        // group mark), written `.`.
        let written = (figure.written.chars())
            .filter_map(|c| match c {
                '0'..='9' => Some(c),
                _ if c == self.decimal_mark => Some('.'),
                _ => None,
            })
            .collect();
        Cow::Owned(written)
    }

    /// True when the digits at `pos` follow a digit and a mark with no space ("2,|0001"): they
    /// are the inside of a figure written wrongly, not a figure of their own.
    fn continues_a_number(&self, text: &str, pos: usize) -> bool {
        let before = &text[..pos];
        let Some(mark) = before.chars().next_back() else {
            return false;
        };
        let is_mark = mark == self.decimal_mark || self.group_marks.contains(&mark);
        is_mark
            && !mark.is_whitespace()
            && before[..before.len() - mark.len_utf8()]
                .bytes()
                .next_back()
                .is_some_and(|byte| byte.is_ascii_digit())
    }

    /// The pieces of the word at `pos` when it is made of number words only: its end and pieces.
    fn number_word_at(&self, reader: &Reader, pos: usize) -> Option<(usize, Vec<Lexeme>)> {
        self.number_word(reader.text, &reader.token_at(pos)?)
    }

    /// The pieces of the token `token` when it is a word made of number words only: its end
    /// and pieces.
    fn number_word(&self, text: &str, token: &Token) -> Option<(usize, Vec<Lexeme>)> {
        if token.kind != TokenKind::Word {
            return None;
        }
        if char_at(text, token.end) == Some('.') {
            // The word with its full stop.
            let dotted = token.folded_bytes().chain([b'.']);
            if let Some(lexeme) = self.lexicon.get(dotted) {
                return Some((token.end + 1, vec![*lexeme]));
            }
        }
        if !self.bounded_by_pieces(token.folded_bytes(), true) {
            return None;
        }
        Some((token.end, self.decompose(&token.folded())?))
    }

    /// Cuts a word into number words: the fewest pieces, and among those the longest first
    /// pieces ("soixante-dix|-|sept", not "soixante|-|dix-sept").
    fn decompose(&self, word: &str) -> Option<Vec<Lexeme>> {
        if word.len() > MAX_COMPOUND_BYTES {
            return None;
        }
        // rest[i]: fewest pieces covering word[i..], the end of the first one, and its lexeme.
        let mut rest: Vec<Option<(usize, usize, Lexeme)>> = vec![None; word.len() + 1];
        for start in (0..word.len()).rev() {
            if !word.is_char_boundary(start) {
                continue;
            }
            for (length, lexeme) in self.lexicon.prefixes_of(word[start..].bytes()) {
                let end = start + length;
                let count = if end == word.len() {
                    1
                } else {
                    match rest[end] {
                        Some((count, _, _)) => count + 1,
                        None => continue,
                    }
                };
                if rest[start].is_none_or(|(best, _, _)| count <= best) {
                    rest[start] = Some((count, end, *lexeme));
                }
            }
        }
        let mut pieces = Vec::new();
        let mut at = 0;
        while at < word.len() {
            let (_, end, lexeme) = rest[at]?;
            pieces.push(lexeme);
            at = end;
        }
        Some(pieces)
    }

    /// Number words from the token `first` on, across compounds and words: the longest
    /// complete number.
    fn words_at(&self, reader: &Reader, first: &Token) -> Option<(usize, f64)> {
        let pos = first.start;
        let mut state = WordNumber::default();
        let mut best = None;
        let mut cursor = pos;
        let mut word = self.number_word(reader.text, first);
        while let Some((end, pieces)) = word {
            let mut next = state;
            let spaced = cursor != pos;
            let own_word = spaced && pieces.len() == 1;
            for lexeme in &pieces {
                if next.feed(*lexeme, own_word, self.order).is_err() {
                    return best;
                }
            }
            state = next;
            if state.complete() {
                best = Some((end, state.value()));
            }
            let after = skip_gap(reader.text, end);
            if after == end {
                break;
            }
            cursor = after;
            word = self.number_word_at(reader, cursor);
        }
        best
    }

    fn qualify_none(&self, core: Measured) -> Quantity {
        Quantity {
            low: Some(core.amount.low),
            high: Some(core.amount.high),
            low_inclusive: true,
            high_inclusive: true,
            vague: core.amount.vague,
            unit: core.unit,
            ..Quantity::default()
        }
    }

    /// Applies a qualifier; bounds apply to one number, "about" to anything.
    fn qualify(&self, core: Measured, kind: Qualifier) -> Option<Quantity> {
        let point = !core.amount.vague && core.amount.low == core.amount.high;
        let mut quantity = self.qualify_none(core);
        match kind {
            Qualifier::About => {
                quantity.approximate = true;
                quantity.tolerance = self.tolerance;
                return Some(quantity);
            }
            _ if !point => return None,
            Qualifier::MoreThan | Qualifier::AtLeast => {
                quantity.high = None;
                quantity.high_inclusive = false;
                quantity.low_inclusive = kind == Qualifier::AtLeast;
            }
            Qualifier::LessThan | Qualifier::AtMost => {
                quantity.low = None;
                quantity.low_inclusive = false;
                quantity.high_inclusive = kind == Qualifier::AtMost;
            }
            Qualifier::Nearly => {
                quantity.high_inclusive = false;
                quantity.approximate = true;
                quantity.tolerance = self.tolerance;
            }
        }
        Some(quantity)
    }
}

fn vague_amount(low: f64, high: f64) -> Amount {
    Amount {
        low,
        high,
        vague: true,
        mantissa: low,
        factor: 1.0,
    }
}

/// `mantissa × factor`, exact when the factor is a power of ten (the `written` figure read with
/// that exponent); `None` when not finite.
fn scaled<'t>(mantissa: f64, factor: f64, written: impl FnOnce() -> Cow<'t, str>) -> Option<f64> {
    // A factor of 1 (no multiplier, most figures) keeps the parsed value exactly.
    let exponent = (factor != 1.0)
        .then(|| (1..=30).find(|&k| 10f64.powi(k) == factor))
        .flatten();
    let value = match exponent {
        Some(k) => format!("{}e{k}", written()).parse::<f64>().ok()?,
        None => mantissa * factor,
    };
    value.is_finite().then_some(value)
}

impl Quantity {
    /// The value as a person reads it: `2,500`, `600–800`, `> 1,000`, `≈ 35 km`.
    pub fn display(&self) -> String {
        let approx = if self.approximate { "≈ " } else { "" };
        let mut out = String::with_capacity(32);
        match (self.low, self.high) {
            (Some(low), Some(high)) if low == high && !self.high_inclusive => {
                out.push_str("≲ ");
                push_number(&mut out, high);
            }
            (Some(low), Some(high)) if low == high => {
                out.push_str(approx);
                push_number(&mut out, low);
            }
            (Some(low), Some(high)) => {
                out.push_str(approx);
                if !self.low_inclusive {
                    out.push_str("> ");
                }
                push_number(&mut out, low);
                out.push('–');
                push_number(&mut out, high);
                if !self.high_inclusive {
                    out.push_str(" (exclusive)");
                }
            }
            (Some(low), None) => {
                out.push_str(approx);
                out.push_str(if self.low_inclusive { "≥ " } else { "> " });
                push_number(&mut out, low);
            }
            (None, Some(high)) => {
                out.push_str(approx);
                out.push_str(if self.high_inclusive { "≤ " } else { "< " });
                push_number(&mut out, high);
            }
            (None, None) => out.push_str("any"),
        }
        if let Some(unit) = &self.unit {
            out.push(' ');
            out.push_str(unit);
        }
        if self.vague {
            out.push_str(" (vague)");
        }
        out
    }

    /// The ends `relate` compares: approximate values widened by their tolerance.
    fn effective(&self) -> (Option<End>, Option<End>) {
        let widen = |value: f64, inclusive: bool, direction: f64| {
            if !self.approximate {
                End { value, inclusive }
            } else if inclusive {
                End {
                    value: value + direction * self.tolerance * value.abs(),
                    inclusive: true,
                }
            } else {
                End {
                    value,
                    inclusive: true,
                }
            }
        };
        (
            self.low.map(|low| widen(low, self.low_inclusive, -1.0)),
            self.high.map(|high| widen(high, self.high_inclusive, 1.0)),
        )
    }
}

/// One end of an interval.
#[derive(Clone, Copy, Debug)]
struct End {
    value: f64,
    inclusive: bool,
}

/// Whether an interval ending at `high` lies wholly below one starting at `low`.
fn ends_before(high: Option<End>, low: Option<End>) -> bool {
    match (high, low) {
        (Some(high), Some(low)) => {
            high.value < low.value
                || (high.value == low.value && !(high.inclusive && low.inclusive))
        }
        _ => false,
    }
}

/// Appends `value` with thousands separators: `2500` → `2,500`; `1.5` → `1.5`.
fn push_number(out: &mut String, value: f64) {
    // Whole values below 10^15 print as their integer digits (`f64` display never uses an
    // exponent), so they skip the float formatter; negative zero keeps its sign there.
    if value.fract() == 0.0 && value.abs() < 1e15 && !(value == 0.0 && value.is_sign_negative()) {
        if value < 0.0 {
            out.push('-');
        }
        let mut digits = itoa::Buffer::new();
        push_grouped(out, digits.format(value.abs() as u64).as_bytes());
        return;
    }
    let text = value.to_string();
    let unsigned = match text.strip_prefix('-') {
        Some(rest) => {
            out.push('-');
            rest
        }
        None => text.as_str(),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    push_grouped(out, whole.as_bytes());
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
}

/// Appends ASCII `digits` with a comma before each group of three from the right.
fn push_grouped(out: &mut String, digits: &[u8]) {
    for (i, &digit) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(char::from(digit));
    }
}

/// How two quantities relate: `Same`, `Compatible` (overlapping intervals, approximate values
/// widened by their tolerance, open ends unbounded) or `Conflict` (disjoint intervals, or
/// different units).
pub fn relate(a: &Quantity, b: &Quantity) -> Accord {
    if let (Some(unit_a), Some(unit_b)) = (&a.unit, &b.unit) {
        if unit_a != unit_b {
            return Accord::Conflict;
        }
    }
    let same_interval = a.low == b.low
        && a.high == b.high
        && a.low_inclusive == b.low_inclusive
        && a.high_inclusive == b.high_inclusive
        && a.approximate == b.approximate
        && a.vague == b.vague;
    if same_interval {
        return Accord::Same;
    }
    let (a_low, a_high) = a.effective();
    let (b_low, b_high) = b.effective();
    if ends_before(a_high, b_low) || ends_before(b_high, a_low) {
        Accord::Conflict
    } else {
        Accord::Compatible
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_str_parse_reads_their_plain_decimal() {
        let data = NumberData {
            decimal_mark: Some(','),
            group_marks: Some(vec!['.', ' ']),
            ..NumberData::default()
        };
        let rules = NumberRules::new(&data).unwrap();
        for (text, plain) in [
            ("2.500", "2500"),
            ("1,5", "1.5"),
            ("9007199254740993", "9007199254740993"),
            ("184467440737095516170", "184467440737095516170"),
            ("12 345,25", "12345.25"),
        ] {
            let (end, figure) = rules.digits_at(text, 0).unwrap();
            assert_eq!(end, text.len(), "{text}");
            assert_eq!(rules.plain_decimal(&figure), plain);
            assert_eq!(rules.figure_value(&figure), plain.parse().ok(), "{text}");
        }
    }

    #[test]
    fn tokens_compare_ignoring_ascii_case_without_a_copy() {
        let word = token_at("Tausend Mal", 0).unwrap();
        assert!(matches!(word.caseless, Cow::Borrowed("Tausend")));
        assert!(word.is("tausend") && word.folded() == "tausend");
        let hyphenated = token_at("Tausend\u{2011}Mal", 0).unwrap();
        assert_eq!(hyphenated.folded(), "tausend-mal");
        let text = "Élan’s";
        let accented = token_at(text, 0).unwrap();
        assert_eq!((accented.end, accented.folded().as_ref()), (5, "élan"));
        let apostrophe = token_at(text, accented.end).unwrap();
        assert_eq!(apostrophe.folded(), "'");
    }

    /// The words and marks of a language's number rules (and of their examples), each as
    /// written, capitalized and upper-cased, each alone and followed by more letters, a hyphen,
    /// a letter that is not ASCII and marks; with every string of up to three ASCII letters.
    fn gate_cases(rules: &NumberRules) -> Vec<String> {
        let tables = [
            &rules.qualifiers.first_words,
            &rules.postfix_qualifiers.first_words,
            &rules.openers.first_words,
            &rules.middles.first_words,
            &rules.vague.first_words,
            &rules.vague_counts.first_words,
            &rules.connectors.first_words,
            &rules.units.first_words,
            &rules.prefix_units.first_words,
        ];
        let mut words: Vec<String> = tables.into_iter().flatten().cloned().collect();
        let prefixes = [&rules.start_prefixes, &rules.follow_prefixes].map(ByteTrie::strings);
        let prefixes = prefixes.into_iter().flatten();
        words.extend(prefixes.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()));
        assert!(words
            .iter()
            .any(|word| rules.lexicon.contains(word.bytes())));
        for (text, _) in &rules.examples {
            words.extend(text.split_whitespace().map(str::to_string));
        }
        let letters = (b'a'..=b'z').map(char::from);
        for a in letters.clone() {
            for b in letters.clone() {
                words.extend([format!("{a}"), format!("{a}{b}")]);
                words.extend(letters.clone().map(|c| format!("{a}{b}{c}")));
            }
        }
        words.extend((0..=0x7f_u8).map(|byte| char::from(byte).to_string()));
        let mut cases = Vec::new();
        for word in words {
            let mut capitalized = word.chars();
            let capitalized = (capitalized.next().into_iter())
                .flat_map(char::to_uppercase)
                .chain(capitalized)
                .collect::<String>();
            for form in [word.to_uppercase(), capitalized, word] {
                for after in [
                    "",
                    " x",
                    "s",
                    "-",
                    "-tre",
                    "\u{e9}",
                    "\u{2011}x",
                    ".",
                    ",5",
                    "1",
                ] {
                    cases.push(format!("{form}{after}"));
                }
            }
        }
        cases
    }

    #[test]
    fn the_number_start_gate_rules_out_no_token_that_may_start_an_expression() {
        let rule_set = crate::rules::RuleSet::embedded_shared().expect("embedded rules load");
        let mut judged = 0;
        for (code, language) in &rule_set.languages {
            let rules = &language.numbers;
            for text in gate_cases(rules) {
                let Some(first) = token_at(&text, 0) else {
                    continue;
                };
                let inside_figure =
                    first.kind == TokenKind::Digits && rules.continues_a_number(&text, 0);
                let (number, qualifier) =
                    rules.may_start(first.kind, inside_figure, first.folded_bytes());
                if !rules.may_start_at(text.as_bytes(), 0) {
                    judged += 1;
                    assert!(!number && !qualifier, "{code}: {text:?} ruled out");
                }
            }
        }
        assert!(judged > 0, "the gate ruled out nothing");
    }

    #[test]
    fn the_gate_after_an_amount_rules_out_no_token_that_may_follow_one() {
        let rule_set = crate::rules::RuleSet::embedded_shared().expect("embedded rules load");
        let mut judged = 0;
        for (code, language) in &rule_set.languages {
            let rules = &language.numbers;
            let opener_middles = (rules.openers.by_first.iter().flatten()).map(|(_, m)| m);
            let middles: Vec<&Phrases<()>> = opener_middles.chain([&rules.middles]).collect();
            for text in gate_cases(rules) {
                let Some(token) = token_at(&text, 0) else {
                    continue;
                };
                if rules.may_follow_at(text.as_bytes(), 0) {
                    continue;
                }
                judged += 1;
                let read = [
                    rules.number_word(&text, &token).is_some(),
                    rules.units.longest_from(&text, &token).is_some(),
                    rules.connectors.longest_from(&text, &token).is_some(),
                    (middles.iter()).any(|middles| middles.longest_from(&text, &token).is_some()),
                    rules
                        .postfix_qualifiers
                        .longest_from(&text, &token)
                        .is_some(),
                ];
                assert_eq!(read, [false; 5], "{code}: {text:?} ruled out");
            }
        }
        assert!(judged > 0, "the gate ruled out nothing");
    }
}
