//! The sentence splitter: a nom parser driven by each language's data in `rules/lang/<code>.yaml`
//! (section `segment:`).
//!
//! Sentences are byte spans into the original text; only surrounding whitespace is trimmed, so
//! every sentence can be shown as `file:line:column` and sliced out of the file unchanged.
//!
//! # How a text is split
//!
//! The body is scanned once, left to right. A table of "candidate" first bytes (the period, the
//! language's other terminators, line breaks) lets the hot loop skip plain text byte by byte
//! without decoding it. At each candidate, small nom parsers read the context:
//!
//! * **Line breaks.** Every line break ends a sentence, and a blank line (only whitespace) also
//!   starts a new paragraph. News text puts one paragraph on one line, and captions, credits
//!   ("Getty Images"), headlines and list entries stand on lines of their own without final
//!   punctuation, so a line break is a far safer boundary than a guess. Hard-wrapped prose
//!   (a sentence broken over lines) is therefore split at each wrap; the corpus reader's inputs
//!   are not wrapped.
//! * **`!`, `?`, `…` and the other terminators.** A run of them ("?!") ends the sentence, with
//!   any closing quotes or brackets right after it ("… closer,” / “… point.”"), unless the next
//!   word starts in lowercase ("Yahoo! in …", "'Great!' she said") or follows with no space.
//! * **The period.** The token before it decides, after the same closing marks and lowercase
//!   test:
//!   - a number ends the sentence ("… bought 1,000. That …"), except an ordinal in languages
//!     with `ordinal_dot` ("12. januar", "am 3. Oktober"): there a number of up to three digits
//!     ends a sentence only before a usual sentence opener, never before a month name;
//!   - an abbreviation of kind `before_name` (titles: "Gen.", "Dr.", "hr.") never ends one;
//!     `before_digit` ("No.", "nr.", "art.", "kl.") does not before a digit; `general` ones and
//!     dotted ones ("U.S.", "a.m.", "f.eks.", "d.w.z.", "т.е.") end one only before a capitalized
//!     word listed in `sentence_starters` ("… in the U.S. How about you?");
//!   - a single capital letter is an initial ("J. R. R. Tolkien") unless a sentence opener
//!     follows ("you and I. Did you …");
//!   - a period glued to a capitalized word ("world.Today") ends a sentence unless the token is
//!     a URL or an e-mail address ("Jane.Doe@example.com");
//!   - ellipses: "..." and "…" end a sentence before a capitalized word; spaced ". . ." between
//!     words does not; "word. . . . Next" ends after the word's own period; "[...]" never.
//! * **Lists.** A line that starts with a list marker ("1.", "2)", "3.)", "a.", or a bullet
//!   from `bullets`) is also split before the next marker of the same sequence on that line
//!   ("1) The first item 2) The second item"), and the marker's own period ends nothing.
//!
//! # Cost
//!
//! Every decision looks at a bounded window (a token of at most [`MAX_TOKEN_BYTES`], a word of
//! at most [`MAX_WORD_BYTES`]) or at bytes that no later decision looks at again (runs of
//! periods, closing marks, whitespace), so the splitter is linear in its input, also on runs of
//! millions of periods, digits or brackets.

use foldhash::{HashMap, HashMapExt, HashSet};

use aho_corasick::packed;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while_m_n};
use nom::character::complete::{char as one_char, digit1, one_of, satisfy};
use nom::combinator::{all_consuming, opt, recognize};
use nom::multi::{fold_many0, many0_count, many1_count};
use nom::{IResult, Parser};
use serde::Deserialize;

use crate::model::{Sentence, Span};
use crate::rules::LangSection;

/// The longest token before a period that is looked at; a longer one is an ordinary word.
pub const MAX_TOKEN_BYTES: usize = 64;
/// The longest word after a boundary that is compared with the word lists.
pub const MAX_WORD_BYTES: usize = 48;

/// The longest sentence kept whole. A longer run of text without a sentence end (a list, a
/// line of 50 MB) is cut at the last whitespace before this length, so that every claim's
/// evidence stays bounded and extraction stays linear in the document.
pub const MAX_SENTENCE_BYTES: usize = 4096;
/// About how long a sentence of news text is, to make room for a text's sentences at once.
const TYPICAL_SENTENCE_BYTES: usize = 96;
/// How many digits a list number ("12.") or an ordinal ("12. januar") may have.
const MAX_SHORT_NUMBER_DIGITS: usize = 3;
/// How many letters each part of a dotted abbreviation ("f.eks.") may have.
const MAX_DOTTED_PART_CHARS: usize = 3;
/// How much punctuation may stand before a list marker ("• 9.") at the start of a sentence.
const MAX_MARKER_PREFIX_BYTES: usize = 16;

/// Splitting data of one language, as written in `rules/lang/<code>.yaml` under `segment:`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentData {
    /// Marks that end a sentence besides the period, one character each ("!", "?", "…").
    #[serde(default)]
    pub terminators: Vec<String>,
    /// Quote pairs `[open, close]`, such as `["„", "“"]` or Dutch `[",,", "''"]`.
    #[serde(default)]
    pub quotes: Vec<[String; 2]>,
    /// Bracket pairs `[open, close]`.
    #[serde(default)]
    pub brackets: Vec<[String; 2]>,
    /// Bullet characters that open list items.
    #[serde(default)]
    pub bullets: Vec<String>,
    /// Abbreviations, by how they behave before the next word.
    #[serde(default)]
    pub abbreviations: AbbreviationData,
    /// Whether "12." before a word is an ordinal ("12. januar"); inherited when unset.
    #[serde(default)]
    pub ordinal_dot: Option<bool>,
    /// Month names, for the ordinal-dot rule only ("12. Januar" is no sentence end).
    #[serde(default)]
    pub months: Vec<String>,
    /// Words that usually open a sentence: after an abbreviation or an initial, a capitalized
    /// word from this list starts a new sentence.
    #[serde(default)]
    pub sentence_starters: Vec<String>,
    /// Worked examples, run as tests; they belong to this language only and are not inherited.
    #[serde(default)]
    pub examples: Vec<SegmentExample>,
}

/// Abbreviations of a language, written without their final period and matched ignoring case.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbbreviationData {
    /// Ordinary abbreviations ("etc", "co", "bl.a"): a sentence ends after one only when a
    /// usual sentence opener follows.
    #[serde(default)]
    pub general: Vec<String>,
    /// Written before a name (titles such as "Gen", "Dr", "Prof", "hr"): never a sentence end
    /// inside a line.
    #[serde(default)]
    pub before_name: Vec<String>,
    /// Written before a number ("No", "nr", "art", "kl"): no sentence end before a digit.
    #[serde(default)]
    pub before_digit: Vec<String>,
}

/// A text and the sentences it must split into.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentExample {
    /// The input text.
    pub text: String,
    /// The expected sentences, in order.
    pub sentences: Vec<String>,
}

/// Appends to `own` the items of `parent` it does not hold yet, keeping `own`'s order first.
fn union_into<T: Clone + Eq + std::hash::Hash>(own: &mut Vec<T>, parent: &[T]) {
    let mut seen: HashSet<T> = own.iter().cloned().collect();
    for item in parent {
        if seen.insert(item.clone()) {
            own.push(item.clone());
        }
    }
}

impl LangSection for SegmentData {
    fn inherit(&mut self, parent: &Self) {
        union_into(&mut self.terminators, &parent.terminators);
        union_into(&mut self.quotes, &parent.quotes);
        union_into(&mut self.brackets, &parent.brackets);
        union_into(&mut self.bullets, &parent.bullets);
        union_into(
            &mut self.abbreviations.general,
            &parent.abbreviations.general,
        );
        union_into(
            &mut self.abbreviations.before_name,
            &parent.abbreviations.before_name,
        );
        union_into(
            &mut self.abbreviations.before_digit,
            &parent.abbreviations.before_digit,
        );
        self.ordinal_dot = self.ordinal_dot.or(parent.ordinal_dot);
        union_into(&mut self.months, &parent.months);
        union_into(&mut self.sentence_starters, &parent.sentence_starters);
    }
}

/// How an abbreviation behaves before the next word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum AbbreviationKind {
    /// Ends a sentence only before a usual sentence opener.
    General,
    /// Never ends a sentence before a digit.
    BeforeDigit,
    /// Never ends a sentence inside a line.
    BeforeName,
}

/// A compiled splitter for one language.
#[derive(Clone, Debug)]
pub struct Segmenter {
    /// Finds the next candidate (period, line break, terminator) with SIMD where the CPU has it.
    candidate_finder: Option<packed::Searcher>,
    /// First bytes at which the scan stops without a SIMD finder: the period, line breaks, the
    /// terminators' lead bytes.
    candidate_bytes: [bool; 256],
    /// First bytes of the closing marks, to skip the mark comparisons at most candidates.
    closer_first_bytes: [bool; 256],
    /// Terminators besides the period.
    terminators: Vec<char>,
    /// Lowercased abbreviations by kind.
    abbreviations: HashMap<String, AbbreviationKind>,
    /// Length in bytes of the longest abbreviation, to skip lookups of longer tokens.
    longest_abbreviation: usize,
    /// Lowercased sentence openers.
    starters: HashSet<String>,
    /// Lowercased month names.
    months: HashSet<String>,
    /// Marks that may directly follow a terminator inside the sentence it ends.
    closers: Vec<String>,
    /// Closing marks that open nothing, so they may also follow after a space ("fin. »").
    spaced_closers: Vec<String>,
    /// Bullet characters.
    bullets: Vec<char>,
    /// Whether "12." before a word is an ordinal.
    ordinal_dot: bool,
}

/// Checks that a mark is a non-empty run of punctuation.
fn check_mark(mark: &str, what: &str) -> Result<(), String> {
    if mark.is_empty()
        || mark
            .chars()
            .any(|c| c.is_alphanumeric() || c.is_whitespace())
    {
        return Err(format!(
            "{what} `{mark}` must be punctuation, without letters, digits or spaces"
        ));
    }
    Ok(())
}

/// The single character of `text`, or an error naming `what`.
fn single_char(text: &str, what: &str) -> Result<char, String> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(format!("{what} `{text}` must be exactly one character")),
    }
}

/// Lowercases a word list, refusing empty entries and entries with spaces.
fn word_set(words: &[String], what: &str) -> Result<HashSet<String>, String> {
    words
        .iter()
        .map(|word| {
            if word.is_empty() || word.chars().any(char::is_whitespace) {
                Err(format!("{what} `{word}` must be one word without spaces"))
            } else {
                Ok(word.to_lowercase())
            }
        })
        .collect()
}

impl Segmenter {
    /// Compiles a language's splitting data.
    pub fn new(data: &SegmentData) -> Result<Self, String> {
        let mut candidate_bytes = [false; 256];
        let mut candidate_patterns = vec![".".to_string(), "\n".to_string(), "\r".to_string()];
        for byte in [b'.', b'\n', b'\r'] {
            candidate_bytes[byte as usize] = true;
        }
        let mut terminators = Vec::new();
        for text in &data.terminators {
            let mark = single_char(text, "terminator")?;
            check_mark(text, "terminator")?;
            if mark == '.' {
                return Err("terminator `.` is built in: list only the other marks".to_string());
            }
            let mut lead = [0u8; 4];
            candidate_bytes[mark.encode_utf8(&mut lead).as_bytes()[0] as usize] = true;
            candidate_patterns.push(text.clone());
            terminators.push(mark);
        }
        let mut abbreviations = HashMap::new();
        let kinds = [
            (&data.abbreviations.general, AbbreviationKind::General),
            (
                &data.abbreviations.before_digit,
                AbbreviationKind::BeforeDigit,
            ),
            (
                &data.abbreviations.before_name,
                AbbreviationKind::BeforeName,
            ),
        ];
        for (words, kind) in kinds {
            let words: Vec<String> = words
                .iter()
                .map(|w| w.strip_suffix('.').unwrap_or(w).to_string())
                .collect();
            for word in word_set(&words, "abbreviation")? {
                let entry = abbreviations.entry(word).or_insert(kind);
                *entry = (*entry).max(kind);
            }
        }
        let longest_abbreviation = abbreviations.keys().map(String::len).max().unwrap_or(0);
        let pairs: Vec<&[String; 2]> = data.quotes.iter().chain(&data.brackets).collect();
        for [open, close] in &pairs {
            check_mark(open, "quote or bracket")?;
            check_mark(close, "quote or bracket")?;
        }
        let mut closers: Vec<String> = Vec::new();
        union_into(
            &mut closers,
            &pairs
                .iter()
                .map(|[_, close]| close.clone())
                .collect::<Vec<_>>(),
        );
        // Longest first, so that `''` is taken whole before `'`.
        closers.sort_by_key(|mark| std::cmp::Reverse(mark.len()));
        let spaced_closers = closers
            .iter()
            .filter(|mark| pairs.iter().all(|[open, _]| open != *mark))
            .cloned()
            .collect();
        let mut closer_first_bytes = [false; 256];
        for mark in &closers {
            closer_first_bytes[mark.as_bytes()[0] as usize] = true;
        }
        let candidate_finder = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(&candidate_patterns)
            .build();
        let bullets = data
            .bullets
            .iter()
            .map(|b| single_char(b, "bullet"))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Segmenter {
            candidate_finder,
            candidate_bytes,
            closer_first_bytes,
            terminators,
            abbreviations,
            longest_abbreviation,
            starters: word_set(&data.sentence_starters, "sentence starter")?,
            months: word_set(&data.months, "month")?,
            closers,
            spaced_closers,
            bullets,
            ordinal_dot: data.ordinal_dot.unwrap_or(false),
        })
    }

    /// Splits the part `body` of `text` into sentences.
    ///
    /// Sentences come in order, do not overlap, lie within `body`, are never empty and are
    /// trimmed of surrounding whitespace. A `body` that is not a valid range of `text` on
    /// character boundaries yields no sentence.
    pub fn split(&self, text: &str, body: Span) -> Vec<Sentence> {
        if text.get(body.start..body.end).is_none() {
            return Vec::new();
        }
        let mut run = Run {
            segmenter: self,
            text,
            first: body.start,
            limit: body.end,
            start: body.start,
            content_start: None,
            line_start: body.start,
            paragraph: 0,
            new_paragraph: false,
            sentences: Vec::with_capacity((body.end - body.start) / TYPICAL_SENTENCE_BYTES),
            lowered: String::new(),
            link: None,
            list: None,
        };
        run.scan();
        run.sentences
    }

    /// Parses a list marker at the start of `input`: a bullet, or a number or lowercase letter
    /// with `.`, `)` or `.)`, followed by whitespace. Returns the marker and its length.
    fn list_marker(&self, input: &str) -> Option<(ListMarker, usize)> {
        let bullet = satisfy(|c| self.bullets.contains(&c)).map(ListMarker::Bullet);
        let suffix = || alt((tag(".)"), tag(")"), tag(".")));
        let number = (
            take_while_m_n(1, MAX_SHORT_NUMBER_DIGITS, |c: char| c.is_ascii_digit()),
            suffix(),
            satisfy(char::is_whitespace),
        )
            .map(
                |(digits, suffix, _): (&str, &str, char)| ListMarker::Number {
                    value: digits.parse().unwrap_or(0),
                    suffix: suffix.to_string(),
                },
            );
        let letter = (
            satisfy(|c| c.is_ascii_lowercase()),
            suffix(),
            satisfy(char::is_whitespace),
        )
            .map(
                |(letter, suffix, _): (char, &str, char)| ListMarker::Letter {
                    letter,
                    suffix: suffix.to_string(),
                },
            );
        let result: IResult<&str, ListMarker> = alt((bullet, number, letter)).parse(input);
        let (rest, marker) = result.ok()?;
        let consumed = input.len() - rest.len();
        // The whitespace after a number or letter marker is not part of it.
        let length = match marker {
            ListMarker::Bullet(_) => consumed,
            _ => {
                consumed
                    - input[..consumed]
                        .chars()
                        .next_back()
                        .map_or(0, char::len_utf8)
            }
        };
        Some((marker, length))
    }

    /// Length of the closing marks at the start of `input` ("”", ")", Dutch "''").
    fn closers_len(&self, input: &str) -> usize {
        if !input
            .bytes()
            .next()
            .is_some_and(|b| self.closer_first_bytes[b as usize])
        {
            return 0;
        }
        let result: IResult<&str, &str> =
            recognize(many0_count(|i| any_mark(&self.closers, i))).parse(input);
        result.map_or(0, |(_, marks)| marks.len())
    }
}

/// Parses one of `marks` at the start of `input`.
fn any_mark<'a>(marks: &[String], input: &'a str) -> IResult<&'a str, &'a str> {
    for mark in marks {
        if let Some(rest) = input.strip_prefix(mark.as_str()) {
            return Ok((rest, &input[..mark.len()]));
        }
    }
    Err(nom::Err::Error(nom::error::Error::new(
        input,
        nom::error::ErrorKind::Tag,
    )))
}

/// A run of periods starting at `input`: single periods, possibly separated by single spaces
/// (". . ."). Returns the number of periods, whether spaces separate them, and the length.
fn dot_cluster(input: &str) -> Option<(usize, bool, usize)> {
    let result: IResult<&str, (char, (usize, bool))> = (
        one_char('.'),
        fold_many0(
            (opt(one_char(' ')), one_char('.')),
            || (0usize, false),
            |(count, spaced), (space, _)| (count + 1, spaced || space.is_some()),
        ),
    )
        .parse(input);
    let (rest, (_, (more, spaced))) = result.ok()?;
    Some((more + 1, spaced, input.len() - rest.len()))
}

/// Whether `token` is a number: digits, possibly grouped or split by `.`, `,`, `:`, `'` or `h`
/// ("2,500", "1.000", "6,1", "00h01").
fn is_number(token: &str) -> bool {
    let result: IResult<&str, &str> =
        all_consuming(recognize((digit1, many0_count((one_of(".,:'h"), digit1))))).parse(token);
    result.is_ok()
}

/// Whether `token` is a dotted abbreviation without its final period: short letter groups
/// joined by periods ("U.S", "a.m", "f.eks", "d.w.z", "т.е").
fn is_dotted(token: &str) -> bool {
    let part = || take_while_m_n(1, MAX_DOTTED_PART_CHARS, char::is_alphabetic);
    let result: IResult<&str, (&str, usize)> =
        all_consuming((part(), many1_count((one_char('.'), part())))).parse(token);
    result.is_ok()
}

/// A list marker that opened a line.
#[derive(Clone, Debug, PartialEq, Eq)]
enum ListMarker {
    /// A bullet character.
    Bullet(char),
    /// A number and what follows it (`.`, `)`, `.)`).
    Number { value: u32, suffix: String },
    /// A lowercase letter and what follows it.
    Letter { letter: char, suffix: String },
}

impl ListMarker {
    /// The marker of the next item, if the sequence has one.
    fn successor(&self) -> Option<ListMarker> {
        match self {
            ListMarker::Bullet(c) => Some(ListMarker::Bullet(*c)),
            ListMarker::Number { value, suffix } => Some(ListMarker::Number {
                value: value.checked_add(1)?,
                suffix: suffix.clone(),
            }),
            ListMarker::Letter { letter, suffix } => {
                let next = char::from_u32(*letter as u32 + 1).filter(char::is_ascii_lowercase)?;
                Some(ListMarker::Letter {
                    letter: next,
                    suffix: suffix.clone(),
                })
            }
        }
    }

    /// The marker as written.
    fn needle(&self) -> String {
        match self {
            ListMarker::Bullet(c) => c.to_string(),
            ListMarker::Number { value, suffix } => format!("{value}{suffix}"),
            ListMarker::Letter { letter, suffix } => format!("{letter}{suffix}"),
        }
    }
}

/// The list being followed on the current line.
#[derive(Clone, Debug)]
struct ListCursor {
    /// The marker expected next.
    marker: ListMarker,
    /// Where it was found.
    at: usize,
    /// End of the line: items are searched up to here.
    line_end: usize,
}

/// What follows a possible sentence end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Next<'t> {
    /// The end of the line or of the body.
    End,
    /// A character directly after the mark, with no space.
    Attached,
    /// A word starting with a lowercase letter.
    Lower,
    /// A word starting with a digit.
    Digit,
    /// A word starting with a capital (or uncased) letter; `initial` when it is a single letter
    /// followed by a period.
    Upper { word: &'t str, initial: bool },
    /// Anything else, such as a dash.
    Other,
}

/// A whitespace-delimited token checked for being a URL or an e-mail address.
#[derive(Clone, Copy, Debug)]
struct LinkToken {
    start: usize,
    end: usize,
    is_link: bool,
}

/// Whitespace that does not break a line.
fn is_inline_space(c: char) -> bool {
    c.is_whitespace() && c != '\n' && c != '\r'
}

/// The state of one `split` call.
struct Run<'s, 't> {
    segmenter: &'s Segmenter,
    text: &'t str,
    /// Start of the body.
    first: usize,
    /// End of the body.
    limit: usize,
    /// Where the current sentence starts (untrimmed).
    start: usize,
    /// First non-whitespace byte of the current sentence, computed on demand.
    content_start: Option<usize>,
    /// Where the current line starts.
    line_start: usize,
    /// Current paragraph index.
    paragraph: u32,
    /// A blank line was seen since the last sentence.
    new_paragraph: bool,
    sentences: Vec<Sentence>,
    /// Reused buffer for lowercased words.
    lowered: String,
    /// The last token checked for being a link.
    link: Option<LinkToken>,
    /// The list followed on this line.
    list: Option<ListCursor>,
}

impl<'t> Run<'_, 't> {
    /// The next candidate at or after `at`.
    fn next_candidate(&self, at: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        match &self.segmenter.candidate_finder {
            Some(finder) => finder
                .find_in(bytes, aho_corasick::Span::from(at..self.limit))
                .map(|found| found.start()),
            None => {
                let table = &self.segmenter.candidate_bytes;
                bytes[at..self.limit]
                    .iter()
                    .position(|&b| table[b as usize])
                    .map(|offset| at + offset)
            }
        }
    }

    /// The whole scan: candidates in order, then the end of the body.
    fn scan(&mut self) {
        let bytes = self.text.as_bytes();
        self.begin_line(self.first);
        let mut at = self.first;
        while let Some(candidate) = self.next_candidate(at) {
            self.emit_list_items(candidate);
            at = match bytes[candidate] {
                b'\n' | b'\r' => self.line_break(candidate),
                b'.' => self.period(candidate),
                _ => self.terminator(candidate),
            };
        }
        self.emit_list_items(self.limit);
        self.emit(self.limit);
    }

    /// Ends the current sentence at `end` (exclusive), trimming whitespace; drops it if empty.
    fn emit(&mut self, end: usize) {
        if end <= self.start {
            return;
        }
        let raw = &self.text[self.start..end];
        let left = raw.trim_start();
        let trimmed = left.trim_end();
        if !trimmed.is_empty() {
            if self.new_paragraph {
                self.paragraph += 1;
                self.new_paragraph = false;
            }
            let start = end - left.len();
            push_capped(
                &mut self.sentences,
                self.text,
                Span::new(start, start + trimmed.len()),
                self.paragraph,
            );
        }
        self.start = end;
        self.content_start = None;
    }

    /// A line break at `at`: ends the sentence, notes blank lines, looks for a list marker.
    fn line_break(&mut self, at: usize) -> usize {
        let bytes = self.text.as_bytes();
        let next = if bytes[at] == b'\r' && at + 1 < self.limit && bytes[at + 1] == b'\n' {
            at + 2
        } else {
            at + 1
        };
        self.emit(at);
        let blank = self.text[self.line_start..at]
            .chars()
            .all(char::is_whitespace);
        if blank && !self.sentences.is_empty() {
            self.new_paragraph = true;
        }
        self.begin_line(next);
        next
    }

    /// Starts a line at `at`: if it opens with a list marker, finds the next item on it.
    fn begin_line(&mut self, at: usize) {
        self.line_start = at;
        self.list = None;
        let rest = &self.text[at..self.limit];
        let indented = rest.trim_start_matches(is_inline_space);
        // Most lines start with a capital: no marker to parse.
        if indented.starts_with(|c: char| c.is_ascii_uppercase()) {
            return;
        }
        let Some((marker, length)) = self.segmenter.list_marker(indented) else {
            return;
        };
        let line_end = at + rest.find(['\n', '\r']).unwrap_or(rest.len());
        let marker_end = at + (rest.len() - indented.len()) + length;
        self.list = marker
            .successor()
            .and_then(|next| self.find_item(next, marker_end, line_end));
    }

    /// Finds `marker` after whitespace between `from` and `line_end`.
    fn find_item(&self, marker: ListMarker, from: usize, line_end: usize) -> Option<ListCursor> {
        let needle = marker.needle();
        let mut from = from;
        while from < line_end {
            let at = from + self.text[from..line_end].find(&needle)?;
            let after = at + needle.len();
            let spaced_before = self.text[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_whitespace);
            let spaced_after = matches!(marker, ListMarker::Bullet(_))
                || self.text[after..line_end]
                    .chars()
                    .next()
                    .is_some_and(char::is_whitespace);
            if spaced_before && spaced_after {
                return Some(ListCursor {
                    marker,
                    at,
                    line_end,
                });
            }
            from = after;
        }
        None
    }

    /// Ends sentences before the list items found before `upto`.
    fn emit_list_items(&mut self, upto: usize) {
        while self.list.as_ref().is_some_and(|cursor| cursor.at <= upto) {
            let Some(cursor) = self.list.take() else {
                return;
            };
            self.emit(cursor.at);
            let from = cursor.at + cursor.marker.needle().len();
            self.list = cursor
                .marker
                .successor()
                .and_then(|next| self.find_item(next, from, cursor.line_end));
        }
    }

    /// A terminator other than the period at `at`.
    fn terminator(&mut self, at: usize) -> usize {
        let rest = &self.text[at..self.limit];
        let Some(mark) = rest.chars().next() else {
            return self.limit;
        };
        if !self.segmenter.terminators.contains(&mark) {
            return at + mark.len_utf8();
        }
        let run = rest
            .find(|c: char| c != '.' && !self.segmenter.terminators.contains(&c))
            .unwrap_or(rest.len());
        let (end, next) = self.after_mark(at + run);
        if !matches!(next, Next::Lower | Next::Attached) {
            self.emit(end);
        }
        end
    }

    /// Consumes the closing marks after a terminator ending at `at`; returns where the sentence
    /// would end and what follows.
    fn after_mark(&self, at: usize) -> (usize, Next<'t>) {
        let mut end = at + self.segmenter.closers_len(&self.text[at..self.limit]);
        loop {
            let rest = &self.text[end..self.limit];
            let spaced = rest.trim_start_matches(is_inline_space);
            let may_close = spaced
                .bytes()
                .next()
                .is_some_and(|b| self.segmenter.closer_first_bytes[b as usize]);
            if spaced.len() == rest.len() || !may_close {
                break;
            }
            let closer = any_mark(&self.segmenter.spaced_closers, spaced)
                .ok()
                .filter(|(after, _)| after.is_empty() || after.starts_with(char::is_whitespace));
            match closer {
                Some((after, _)) => end = self.limit - after.len(),
                None => break,
            }
        }
        (end, self.next_word(end))
    }

    /// Classifies what follows `at`.
    fn next_word(&self, at: usize) -> Next<'t> {
        let text = self.text;
        let rest = &text[at..self.limit];
        match rest.chars().next() {
            None | Some('\n' | '\r') => return Next::End,
            Some(c) if !c.is_whitespace() => return Next::Attached,
            Some(_) => {}
        }
        let word_start = rest
            .find(|c: char| {
                !is_inline_space(c)
                    && (c.is_alphanumeric()
                        || c.is_whitespace()
                        || c == '.'
                        || self.segmenter.terminators.contains(&c))
            })
            .unwrap_or(rest.len());
        let word_area = &rest[word_start..];
        let Some(first) = word_area.chars().next() else {
            return Next::End;
        };
        let skipped = &rest[..word_start];
        if !first.is_alphanumeric() {
            let only_space = skipped.chars().all(is_inline_space);
            return if only_space && matches!(first, '\n' | '\r') {
                Next::End
            } else {
                Next::Other
            };
        }
        if first.is_lowercase() {
            return Next::Lower;
        }
        if first.is_numeric() {
            return Next::Digit;
        }
        let mut word_len = 0;
        let mut next_char = None;
        for c in word_area.chars() {
            if !c.is_alphanumeric() || word_len + c.len_utf8() > MAX_WORD_BYTES {
                next_char = Some(c);
                break;
            }
            word_len += c.len_utf8();
        }
        let word = &word_area[..word_len];
        Next::Upper {
            word,
            initial: word.chars().count() == 1 && next_char == Some('.'),
        }
    }

    /// A period at `at`.
    fn period(&mut self, at: usize) -> usize {
        let Some((dots, spaced, length)) = dot_cluster(&self.text[at..self.limit]) else {
            return at + 1;
        };
        let cluster_end = at + length;
        let attached = self.text[self.first..at]
            .chars()
            .next_back()
            .is_some_and(|c| !c.is_whitespace());
        if dots > 1 {
            return self.ellipsis(at, cluster_end, dots, spaced, attached);
        }
        let (end, next) = self.after_mark(cluster_end);
        let ends = match next {
            Next::End => true,
            Next::Lower => false,
            Next::Attached => end == cluster_end && self.glued_sentence_end(at),
            Next::Digit | Next::Upper { .. } | Next::Other => self.period_ends_sentence(at, next),
        };
        if ends {
            self.emit(end);
        }
        end
    }

    /// A run of periods from `at` to `end`.
    fn ellipsis(
        &mut self,
        at: usize,
        end: usize,
        dots: usize,
        spaced: bool,
        attached: bool,
    ) -> usize {
        let bracketed = matches!(
            self.text[self.first..at].bytes().next_back(),
            Some(b'[' | b'(')
        );
        if bracketed || (spaced && !attached && dots == 3) {
            return end;
        }
        let (sentence_end, next) = self.after_mark(end);
        let opens = matches!(next, Next::Upper { .. } | Next::Digit);
        if spaced && attached && dots == 4 {
            // "word. . . . Next": the word's own period ends it, the ellipsis opens the next.
            if opens {
                self.emit(at + 1);
            }
        } else if opens || next == Next::End {
            self.emit(sentence_end);
        }
        sentence_end
    }

    /// A period glued to the next word ("world.Today"): a sentence end when a lowercase word or
    /// a number precedes, a capitalized word follows, and the token is no URL or e-mail address.
    fn glued_sentence_end(&mut self, at: usize) -> bool {
        let text = self.text;
        let mut after = text[at + 1..self.limit].chars();
        let capitalized = matches!(
            (after.next(), after.next()),
            (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase()
        );
        if !capitalized {
            return false;
        }
        let floor = self.window_start(at);
        let mut before = text[floor..at].chars().rev();
        let Some(last) = before.next() else {
            return false;
        };
        let word_before = (last.is_lowercase() || last.is_numeric())
            && before.next().is_some_and(char::is_alphanumeric);
        word_before && !self.in_link(at)
    }

    /// Whether the whitespace-delimited token around `at` is a URL or an e-mail address.
    fn in_link(&mut self, at: usize) -> bool {
        if let Some(link) = self.link {
            if link.start <= at && at < link.end {
                return link.is_link;
            }
        }
        let text = self.text;
        let start = text[self.first..at]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(self.first, |(i, c)| self.first + i + c.len_utf8());
        let end = at
            + text[at..self.limit]
                .find(char::is_whitespace)
                .unwrap_or(self.limit - at);
        let token = text[start..end].trim_start_matches(|c: char| !c.is_alphanumeric());
        let is_link = token.contains("://") || token.contains('@') || token.starts_with("www.");
        self.link = Some(LinkToken {
            start,
            end,
            is_link,
        });
        is_link
    }

    /// Where a backward look from `at` stops: the sentence start, or [`MAX_TOKEN_BYTES`] back,
    /// on a character boundary.
    fn window_start(&self, at: usize) -> usize {
        let mut floor = self.start.max(at.saturating_sub(MAX_TOKEN_BYTES));
        while !self.text.is_char_boundary(floor) {
            floor += 1;
        }
        floor
    }

    /// The token before the period at `at`, without leading punctuation, with its start; `None`
    /// when it is longer than [`MAX_TOKEN_BYTES`].
    fn token_before(&self, at: usize) -> Option<(usize, &'t str)> {
        let text = self.text;
        let floor = self.window_start(at);
        let start = match text[floor..at]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
        {
            Some((i, c)) => floor + i + c.len_utf8(),
            None if floor == self.start => floor,
            None => return None,
        };
        let token = text[start..at].trim_start_matches(|c: char| !c.is_alphanumeric());
        // An elided article or pronoun is not part of the word: "l'art." is "art.".
        let token = token.rfind(['\'', '’']).map_or(token, |i| {
            &token[i + token[i..].chars().next().map_or(1, char::len_utf8)..]
        });
        Some((at - token.len(), token))
    }

    /// Whether only punctuation stands between the start of the sentence and `at`.
    fn at_sentence_start(&mut self, at: usize) -> bool {
        let content_start = match self.content_start {
            Some(start) => start,
            None => {
                let raw = &self.text[self.start..self.limit];
                let start = self.limit - raw.trim_start().len();
                self.content_start = Some(start);
                start
            }
        };
        at >= content_start
            && at - content_start <= MAX_MARKER_PREFIX_BYTES
            && self.text[content_start..at]
                .chars()
                .all(|c| !c.is_alphanumeric())
    }

    /// Lowercases `word` into the reused buffer and tells whether `set` holds it.
    fn holds(&mut self, set: fn(&Segmenter) -> &HashSet<String>, word: &str) -> bool {
        lowercase_into(&mut self.lowered, word);
        set(self.segmenter).contains(self.lowered.as_str())
    }

    /// Whether a capitalized `word` usually opens a sentence.
    fn opens_sentence(&mut self, next: Next<'_>) -> bool {
        match next {
            Next::Upper { word, .. } => self.holds(|s| &s.starters, word),
            Next::Digit => false,
            _ => true,
        }
    }

    /// Whether a single period at `at`, followed by `next` (a word, a digit or other), ends
    /// the sentence.
    fn period_ends_sentence(&mut self, at: usize, next: Next<'_>) -> bool {
        let Some((token_start, token)) = self.token_before(at) else {
            return true;
        };
        if token.is_empty() {
            return true;
        }
        let single_letter = {
            let mut chars = token.chars();
            matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
        };
        let short_number =
            token.len() <= MAX_SHORT_NUMBER_DIGITS && token.bytes().all(|b| b.is_ascii_digit());
        if (short_number || single_letter) && self.at_sentence_start(token_start) {
            // A list marker: "1. The first item", "a. The first item".
            return false;
        }
        if is_number(token) {
            if !(short_number && self.segmenter.ordinal_dot) {
                return true;
            }
            return match next {
                Next::Upper { word, .. } => {
                    !self.holds(|s| &s.months, word) && self.holds(|s| &s.starters, word)
                }
                _ => true,
            };
        }
        let kind = if token.len() <= self.segmenter.longest_abbreviation {
            lowercase_into(&mut self.lowered, token);
            self.segmenter
                .abbreviations
                .get(self.lowered.as_str())
                .copied()
        } else {
            None
        };
        let initial = single_letter && token.chars().all(char::is_uppercase);
        match kind {
            Some(AbbreviationKind::BeforeName) => false,
            // An initial ("J. R. Smith", "А. Б. Иванова") even where the lowercase letter is
            // an abbreviation.
            _ if initial => match next {
                Next::Upper { initial: true, .. } => false,
                Next::Upper { .. } => self.opens_sentence(next),
                _ => true,
            },
            Some(AbbreviationKind::BeforeDigit) => next != Next::Digit,
            Some(AbbreviationKind::General) => self.opens_sentence(next),
            None if is_dotted(token) => self.opens_sentence(next),
            None => true,
        }
    }
}

/// Writes `word` lowercased into `buffer`, without allocating once the buffer is large enough.
fn lowercase_into(buffer: &mut String, word: &str) {
    buffer.clear();
    if word.is_ascii() {
        buffer.push_str(word);
        buffer.make_ascii_lowercase();
    } else {
        buffer.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// Pushes the sentence `span` (trimmed, not empty), cut into pieces of at most
/// [`MAX_SENTENCE_BYTES`] at whitespace (or at a character boundary when a piece has none), each
/// trimmed.
fn push_capped(sentences: &mut Vec<Sentence>, text: &str, span: Span, paragraph: u32) {
    if span.len() <= MAX_SENTENCE_BYTES {
        sentences.push(Sentence { span, paragraph });
        return;
    }
    let mut start = span.start;
    while start < span.end {
        let mut end = span.end;
        if end - start > MAX_SENTENCE_BYTES {
            let mut cut = start + MAX_SENTENCE_BYTES;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            end = text[start..cut]
                .rfind(char::is_whitespace)
                .map(|i| start + i)
                .filter(|&at| at > start)
                .unwrap_or(cut);
        }
        let piece = &text[start..end];
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let piece_start = start + (piece.len() - piece.trim_start().len());
            sentences.push(Sentence {
                span: Span::new(piece_start, piece_start + trimmed.len()),
                paragraph,
            });
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_clusters_count_periods_and_spaces() {
        assert_eq!(dot_cluster(". . . x"), Some((3, true, 5)));
        assert_eq!(dot_cluster("....x"), Some((4, false, 4)));
        assert_eq!(dot_cluster(". x"), Some((1, false, 1)));
        assert_eq!(dot_cluster("x"), None);
    }

    #[test]
    fn numbers_and_dotted_abbreviations_are_recognized() {
        for number in ["2,500", "1.000", "6.1", "6,1", "00h01", "1026.253.553"] {
            assert!(is_number(number), "{number}");
        }
        assert!(!is_number("12a"));
        for dotted in ["U.S", "a.m", "f.eks", "d.w.z", "z.B", "т.е", "bl.a"] {
            assert!(is_dotted(dotted), "{dotted}");
        }
        assert!(!is_dotted("Jane.Doe"));
        assert!(!is_dotted("word"));
    }

    #[test]
    fn invalid_data_is_refused_with_the_offending_entry() {
        let data = SegmentData {
            terminators: vec!["?!".to_string()],
            ..SegmentData::default()
        };
        let error = Segmenter::new(&data).unwrap_err();
        assert!(error.contains("`?!`"), "{error}");
        let data = SegmentData {
            sentence_starters: vec!["two words".to_string()],
            ..SegmentData::default()
        };
        assert!(Segmenter::new(&data).is_err());
    }
}
