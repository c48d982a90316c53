//! Times anchored to the article's publication date: absolute dates, clock times, weekdays and
//! relative expressions, with their grain and, when the anchor is underspecified, candidates.
//!
//! Every word comes from the language's `time:` section (`rules/lang/<code>.time.yaml`): word
//! lists (months, weekdays, clock words, relative days, modifiers, units, counts, zones) and
//! patterns such as `"{month} {day} ,? {year}?"` written over those lists. A time expression is
//! one pattern match, or up to three matches in a row whose parts do not overlap ("January 12"
//! + "at midnight", "Wednesday" + "Jan. 8, 2020"). Calendar arithmetic is jiff's.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeMap;

use foldhash::HashMap;

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::Span;
use serde::{Deserialize, Serialize};

use super::byte_trie::ByteTrie;
use crate::extract::tokens::is_alphabetic;
use crate::model::{Accord, PubDate};
use crate::rules::LangSection;

/// The precision of a time value.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    /// To the minute.
    Minute,
    /// To the hour.
    Hour,
    /// A day.
    #[default]
    Day,
    /// A week.
    Week,
    /// A month.
    Month,
    /// A year.
    Year,
}

/// A normalized time: an interval `[start, end)` at a grain, or a set of candidate starts.
///
/// When the year cannot be known (an undated article), `start` and `end` are empty and the
/// known parts are kept in `month`, `day`, `weekday` and `clock`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeValue {
    /// Earliest start, when the year is known.
    pub start: Option<jiff::civil::DateTime>,
    /// End, exclusive, when the year is known.
    pub end: Option<jiff::civil::DateTime>,
    /// Precision.
    pub grain: Grain,
    /// Candidate starts when the anchor is underspecified (every Sunday of a month-only date).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<jiff::civil::DateTime>,
    /// True when past or future was not marked and the language default was applied.
    pub guessed: bool,
    /// Month (1–12) of a date whose year is unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<i8>,
    /// Day of month of a date whose year is unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<i8>,
    /// ISO weekday (Monday = 1 … Sunday = 7) of a day that could not be resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekday: Option<i8>,
    /// Time of day when the day itself is not resolved to one date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<Time>,
}

/// What a direction word does to a weekday or a calendar unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modifier {
    /// Strictly before the anchor ("last", "vorige", "forrige").
    Past,
    /// Strictly after the anchor ("next", "aanstaande", "kommende").
    Future,
    /// The anchor's own week, month or year ("this", "deze").
    Current,
}

/// A calendar unit named by a word ("week", "uke", "semaine").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A day.
    Day,
    /// A Monday-to-Sunday week.
    Week,
    /// A calendar month.
    Month,
    /// A calendar year.
    Year,
}

/// One pattern of a language's `time.patterns` list.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternData {
    /// Elements separated by spaces: `{slot}`, a literal word or `a|b` alternatives; a trailing
    /// `?` makes an element optional, a leading `+` requires it to touch the previous token.
    pub pattern: String,
    /// A direction the pattern itself marks ("ago" → `past`).
    #[serde(default)]
    pub direction: Option<Direction>,
    /// Texts the pattern must read in full; checked when the rules load.
    #[serde(default)]
    pub examples: Vec<String>,
}

/// Time data of one language, as written in `rules/lang/<code>.time.yaml`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeData {
    /// Direction of an unmarked weekday or month when the sentence marks no tense.
    #[serde(default)]
    pub default_direction: Option<Direction>,
    /// Month names, January first, each with all its forms.
    #[serde(default)]
    pub months: Vec<Vec<String>>,
    /// Weekday names, Monday first, each with all its forms.
    #[serde(default)]
    pub weekdays: Vec<Vec<String>>,
    /// Words naming a time of day, as `HH:MM`.
    #[serde(default)]
    pub clock_words: BTreeMap<String, String>,
    /// Words naming a day relative to the anchor, in days.
    #[serde(default)]
    pub day_words: BTreeMap<String, i32>,
    /// Words that set the direction of a weekday or unit.
    #[serde(default)]
    pub modifiers: BTreeMap<String, Modifier>,
    /// Words naming calendar units.
    #[serde(default)]
    pub units: BTreeMap<String, Unit>,
    /// Count words ("two" → 2).
    #[serde(default)]
    pub counts: BTreeMap<String, i64>,
    /// Half-day words and the hours they add ("pm" → 12).
    #[serde(default)]
    pub meridiems: BTreeMap<String, i8>,
    /// Time zone words, read and kept out of the value ("GMT", "local time").
    #[serde(default)]
    pub zones: Vec<String>,
    /// Patterns over the word lists and numbers.
    #[serde(default)]
    pub patterns: Vec<PatternData>,
    /// Words that mark an announced event ("will", "moet … ingaan"); `…` joins parts in order.
    #[serde(default)]
    pub future_markers: Vec<String>,
    /// Words that mark a reported event ("said", "gepubliceerde").
    #[serde(default)]
    pub past_markers: Vec<String>,
}

impl LangSection for TimeData {
    fn inherit(&mut self, parent: &Self) {
        fn fill<K: Ord + Clone, V: Clone>(own: &mut BTreeMap<K, V>, parent: &BTreeMap<K, V>) {
            for (key, value) in parent {
                own.entry(key.clone()).or_insert_with(|| value.clone());
            }
        }
        fn append<T: Clone + PartialEq>(own: &mut Vec<T>, parent: &[T]) {
            for item in parent {
                if !own.contains(item) {
                    own.push(item.clone());
                }
            }
        }
        self.default_direction = self.default_direction.or(parent.default_direction);
        if self.months.is_empty() {
            self.months = parent.months.clone();
        }
        if self.weekdays.is_empty() {
            self.weekdays = parent.weekdays.clone();
        }
        fill(&mut self.clock_words, &parent.clock_words);
        fill(&mut self.day_words, &parent.day_words);
        fill(&mut self.modifiers, &parent.modifiers);
        fill(&mut self.units, &parent.units);
        fill(&mut self.counts, &parent.counts);
        fill(&mut self.meridiems, &parent.meridiems);
        append(&mut self.zones, &parent.zones);
        self.patterns.extend(parent.patterns.iter().cloned());
        append(&mut self.future_markers, &parent.future_markers);
        append(&mut self.past_markers, &parent.past_markers);
    }
}

/// Whether an unmarked weekday or date points back or forward from the anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// A reported event: the most recent matching day on or before the anchor.
    Past,
    /// An announced event: the next matching day.
    Future,
}

/// What relative times are resolved against: the article's publication date, at its precision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Anchor {
    /// Publication date, possibly month-only, or unknown.
    pub date: Option<crate::model::PubDate>,
}

impl Anchor {
    /// An anchor on a publication date.
    pub fn from_date(date: Option<crate::model::PubDate>) -> Self {
        Anchor { date }
    }

    /// The anchor at the precision it really has.
    fn known(&self) -> Known {
        match self.date {
            None => Known::Nothing,
            Some(PubDate { year, month, day }) => {
                let exact = day.and_then(|day| Date::new(year, month, day).ok());
                match (exact, Date::new(year, month, 1)) {
                    (Some(date), _) => Known::Day(date),
                    (None, Ok(first)) => Known::Month(first),
                    (None, Err(_)) => Known::Nothing,
                }
            }
        }
    }
}

/// The anchor's precision: a day, a month (its first day) or nothing.
#[derive(Clone, Copy, Debug)]
enum Known {
    Day(Date),
    Month(Date),
    Nothing,
}

/// What a word of a word list means.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Meaning {
    Month(i8),
    Weekday(i8),
    Clock(Time),
    DayOffset(i32),
    Modifier(Modifier),
    Unit(Unit),
    Count(i64),
    Meridiem(i8),
    Zone,
}

/// A place in a pattern that reads a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Month,
    MonthNumber,
    Day,
    Year,
    Weekday,
    Hour,
    Minute,
    Clock,
    DayWord,
    Modifier,
    Unit,
    Count,
    Meridiem,
    Zone,
}

/// The slots that read digits (each only some numbers).
const DIGIT_SLOTS: u16 = Slot::Day.bit()
    | Slot::MonthNumber.bit()
    | Slot::Year.bit()
    | Slot::Hour.bit()
    | Slot::Minute.bit()
    | Slot::Count.bit();

impl Slot {
    /// The slot's bit in a set of slots.
    const fn bit(self) -> u16 {
        1 << self as u16
    }

    fn from_name(name: &str) -> Option<Slot> {
        Some(match name {
            "month" => Slot::Month,
            "month_number" => Slot::MonthNumber,
            "day" => Slot::Day,
            "year" => Slot::Year,
            "weekday" => Slot::Weekday,
            "hour" => Slot::Hour,
            "minute" => Slot::Minute,
            "clock" => Slot::Clock,
            "day_word" => Slot::DayWord,
            "modifier" => Slot::Modifier,
            "unit" => Slot::Unit,
            "count" => Slot::Count,
            "meridiem" => Slot::Meridiem,
            "zone" => Slot::Zone,
            _ => return None,
        })
    }
}

impl Meaning {
    /// The slot that reads a word with this meaning.
    fn slot(self) -> Slot {
        match self {
            Meaning::Month(_) => Slot::Month,
            Meaning::Weekday(_) => Slot::Weekday,
            Meaning::Clock(_) => Slot::Clock,
            Meaning::DayOffset(_) => Slot::DayWord,
            Meaning::Modifier(_) => Slot::Modifier,
            Meaning::Unit(_) => Slot::Unit,
            Meaning::Count(_) => Slot::Count,
            Meaning::Meridiem(_) => Slot::Meridiem,
            Meaning::Zone => Slot::Zone,
        }
    }
}

/// The slot names a pattern may use, for error messages.
const SLOT_NAMES: &str = "month, month_number, day, year, weekday, hour, minute, clock, \
                          day_word, modifier, unit, count, meridiem, zone";

/// Years a bare four-digit number may be.
const YEARS: std::ops::RangeInclusive<i64> = 1800..=2199;

/// Tokens read from a start position: enough for the longest chain of patterns.
const MAX_TOKENS: usize = 24;

/// Tokens read first: most searches fail or end within them, and only a search that looks past
/// them reads [`MAX_TOKENS`].
const FIRST_WINDOW: usize = 8;

/// Pattern matches chained into one expression at most.
const MAX_PARTS: usize = 3;

/// Largest count in "N days ago" that is read as a time.
const MAX_COUNT: i64 = 10_000;

/// Days enumerated when comparing two values; wider values compare by interval only.
const MAX_ENUMERATED_DAYS: i64 = 400;

#[derive(Clone, Debug)]
enum Element {
    Slot(Slot),
    Literal(Vec<String>),
}

#[derive(Clone, Debug)]
struct Step {
    element: Element,
    optional: bool,
    glued: bool,
}

#[derive(Clone, Debug)]
struct Pattern {
    steps: Vec<Step>,
    direction: Option<Direction>,
}

impl Pattern {
    /// The literal words the pattern may start with: those of its steps up to the first that is
    /// not optional.
    fn first_literals(&self) -> impl Iterator<Item = &String> {
        let first = (self.steps.iter())
            .position(|step| !step.optional)
            .map_or(self.steps.len(), |index| index + 1);
        (self.steps[..first].iter())
            .filter_map(|step| match &step.element {
                Element::Literal(words) => Some(words),
                Element::Slot(_) => None,
            })
            .flatten()
    }

    /// False when no step the pattern may start with reads `token`: neither a literal, nor a
    /// slot of the set `slots` (those that may read it).
    fn may_start_with(&self, token: &Token, slots: u16) -> bool {
        for step in &self.steps {
            let reads = match &step.element {
                Element::Literal(words) => words.iter().any(|word| *word == token.lower),
                Element::Slot(slot) => slots & slot.bit() != 0,
            };
            if reads {
                return true;
            }
            if !step.optional {
                return false;
            }
        }
        false
    }
}

#[derive(Clone, Debug)]
struct Marker {
    /// Word sequences that must appear in this order.
    parts: Vec<String>,
}

/// A word-list entry under its first token: its other tokens and its meanings.
type LexiconEntry = (Vec<String>, Vec<Meaning>);

/// Compiled time rules of one language.
#[derive(Clone, Debug, Default)]
pub struct TimeRules {
    /// Word lists by first token: the other tokens of each entry and its meanings, shortest
    /// entry first.
    lexicon: HashMap<String, Vec<LexiconEntry>>,
    patterns: Vec<Pattern>,
    default_direction: Option<Direction>,
    future_markers: Vec<Marker>,
    past_markers: Vec<Marker>,
    /// Every word a pattern step may read first: the first tokens of the lexicon's entries and
    /// the patterns' first literal words. An expression starts with one of them or with digits.
    starters: ByteTrie,
    /// The literal words a pattern may start with.
    first_literals: ByteTrie,
    /// The most tokens a word-list entry has after its first.
    longest_entry: usize,
    /// The most literal words a pattern reads before its first slot; `None` when a pattern has
    /// no slot. A match has a slot's token within its first `1 + slot_reach` tokens.
    slot_reach: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokenKind {
    Digits,
    Letters,
    Symbol,
}

#[derive(Clone, Debug)]
struct Token<'a> {
    end: usize,
    /// Lowercased, borrowed from the text when that changes nothing.
    lower: Cow<'a, str>,
    kind: TokenKind,
    /// No whitespace before it.
    glued: bool,
}

/// The tokens of a text from a byte offset, one at a time: digit runs, letter runs and single
/// other characters, lowercased. They stop at a blank line.
#[derive(Clone)]
struct Tokens<'a> {
    rest: &'a str,
    start: usize,
    /// The byte of `rest` to read next.
    at: usize,
    glued: bool,
    newlines: usize,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str, start: usize) -> Self {
        let rest = text.get(start..).unwrap_or_default();
        Tokens {
            rest,
            start,
            at: 0,
            glued: true,
            newlines: 0,
        }
    }

    /// Reads on after the token ending at byte `end` of the whole text, as after reading it.
    fn resume_after(&mut self, end: usize) {
        self.at = end - self.start;
        self.glued = true;
        self.newlines = 0;
    }

    /// The character at the byte `self.at`: an ASCII byte is read without decoding.
    fn peek(&self) -> Option<char> {
        let byte = *self.rest.as_bytes().get(self.at)?;
        if byte.is_ascii() {
            Some(char::from(byte))
        } else {
            self.rest[self.at..].chars().next()
        }
    }
}

impl<'a> Tokens<'a> {
    /// The next token as written, not yet lower-cased: its text, its end in the whole text, its
    /// kind, and whether it follows the previous token without a space.
    fn next_written(&mut self) -> Option<(&'a str, usize, TokenKind, bool)> {
        let (offset, c) = loop {
            let (offset, c) = (self.at, self.peek()?);
            self.at += c.len_utf8();
            if !c.is_whitespace() {
                break (offset, c);
            }
            self.glued = false;
            if c == '\n' {
                self.newlines += 1;
                if self.newlines > 1 {
                    // A blank line ends the text.
                    self.at = self.rest.len();
                    return None;
                }
            }
        };
        self.newlines = 0;
        let kind = if c.is_ascii_digit() {
            TokenKind::Digits
        } else if is_alphabetic(c) {
            TokenKind::Letters
        } else {
            TokenKind::Symbol
        };
        if kind != TokenKind::Symbol {
            while let Some(next) = self.peek() {
                let same = match kind {
                    TokenKind::Digits => next.is_ascii_digit(),
                    _ => is_alphabetic(next),
                };
                if !same {
                    break;
                }
                self.at += next.len_utf8();
            }
        }
        let end = self.at;
        let glued = std::mem::replace(&mut self.glued, true);
        Some((&self.rest[offset..end], self.start + end, kind, glued))
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let (written, end, kind, glued) = self.next_written()?;
        Some(Token {
            end,
            lower: lower_case(written),
            kind,
            glued,
        })
    }
}

/// `written` lower-cased, typographic apostrophe as `'`: borrowed when that changes nothing.
fn lower_case(written: &str) -> Cow<'_, str> {
    super::fold_unless_lower_ascii(written, |text| text.to_lowercase().replace('\u{2019}', "'"))
}

/// The lowercased tokens of a word-list entry or literal.
fn entry_tokens(entry: &str) -> Vec<String> {
    Tokens::new(entry, 0)
        .map(|token| token.lower.into_owned())
        .collect()
}

/// What a chain of pattern matches has read.
#[derive(Clone, Debug, Default, PartialEq)]
struct Captures {
    month: Option<i8>,
    day: Option<i8>,
    year: Option<i16>,
    weekday: Option<i8>,
    hour: Option<i8>,
    minute: Option<i8>,
    clock: Option<Time>,
    day_offset: Option<i32>,
    modifier: Option<Modifier>,
    unit: Option<Unit>,
    count: Option<i64>,
    meridiem: Option<i8>,
    direction: Option<Direction>,
}

impl Captures {
    /// Both captures together, unless they read the same part twice.
    fn merged(&self, other: &Captures) -> Option<Captures> {
        fn one<T: Copy>(a: Option<T>, b: Option<T>) -> Result<Option<T>, ()> {
            match (a, b) {
                (Some(_), Some(_)) => Err(()),
                (a, b) => Ok(a.or(b)),
            }
        }
        let merge = || -> Result<Captures, ()> {
            Ok(Captures {
                month: one(self.month, other.month)?,
                day: one(self.day, other.day)?,
                year: one(self.year, other.year)?,
                weekday: one(self.weekday, other.weekday)?,
                hour: one(self.hour, other.hour)?,
                minute: one(self.minute, other.minute)?,
                clock: one(self.clock, other.clock)?,
                day_offset: one(self.day_offset, other.day_offset)?,
                modifier: one(self.modifier, other.modifier)?,
                unit: one(self.unit, other.unit)?,
                count: one(self.count, other.count)?,
                meridiem: one(self.meridiem, other.meridiem)?,
                direction: one(self.direction, other.direction)?,
            })
        };
        let merged = merge().ok()?;
        // "at 10:00" and "at midnight" read different slots but are both times of day.
        let both_clocks = self.has_clock() && other.has_clock();
        (!both_clocks).then_some(merged)
    }

    /// True when the captures name a time of day.
    fn has_clock(&self) -> bool {
        self.clock.is_some() || self.hour.is_some()
    }

    /// Time of day and its grain.
    fn time_of_day(&self) -> Result<Option<(Time, Grain)>, ()> {
        if let Some(clock) = self.clock {
            return Ok(Some((clock, Grain::Minute)));
        }
        let Some(hour) = self.hour else {
            return Ok(None);
        };
        let mut hour = hour;
        if let Some(shift) = self.meridiem {
            if !(1..=12).contains(&hour) {
                return Err(());
            }
            hour = hour % 12 + shift;
        }
        let grain = if self.minute.is_some() {
            Grain::Minute
        } else {
            Grain::Hour
        };
        let time = Time::new(hour, self.minute.unwrap_or(0), 0, 0).map_err(|_| ())?;
        Ok(Some((time, grain)))
    }
}

impl TimeRules {
    /// Compiles a language's time data, checking every pattern's examples.
    pub fn new(data: &TimeData) -> Result<Self, String> {
        let mut rules = TimeRules {
            default_direction: data.default_direction,
            ..TimeRules::default()
        };
        if data.months.len() > 12 {
            return Err(format!("{} months listed, expected 12", data.months.len()));
        }
        if data.weekdays.len() > 7 {
            return Err(format!(
                "{} weekdays listed, expected 7",
                data.weekdays.len()
            ));
        }
        for (index, forms) in data.months.iter().enumerate() {
            for form in forms {
                rules.add_word(form, Meaning::Month(index as i8 + 1))?;
            }
        }
        for (index, forms) in data.weekdays.iter().enumerate() {
            for form in forms {
                rules.add_word(form, Meaning::Weekday(index as i8 + 1))?;
            }
        }
        for (word, clock) in &data.clock_words {
            let time = parse_clock(clock)
                .ok_or_else(|| format!("clock word `{word}`: `{clock}` is not HH:MM"))?;
            rules.add_word(word, Meaning::Clock(time))?;
        }
        for (word, days) in &data.day_words {
            rules.add_word(word, Meaning::DayOffset(*days))?;
        }
        for (word, modifier) in &data.modifiers {
            rules.add_word(word, Meaning::Modifier(*modifier))?;
        }
        for (word, unit) in &data.units {
            rules.add_word(word, Meaning::Unit(*unit))?;
        }
        for (word, count) in &data.counts {
            rules.add_word(word, Meaning::Count(*count))?;
        }
        for (word, hours) in &data.meridiems {
            if !matches!(hours, 0 | 12) {
                return Err(format!("meridiem `{word}`: {hours} must be 0 or 12"));
            }
            rules.add_word(word, Meaning::Meridiem(*hours))?;
        }
        for word in &data.zones {
            rules.add_word(word, Meaning::Zone)?;
        }
        for pattern in &data.patterns {
            let compiled = compile_pattern(pattern)
                .map_err(|e| format!("pattern `{}`: {e}", pattern.pattern))?;
            rules.patterns.push(compiled);
        }
        let first_literals: Vec<&str> = (rules.patterns.iter())
            .flat_map(Pattern::first_literals)
            .map(String::as_str)
            .collect();
        rules.first_literals = ByteTrie::of_words(first_literals.iter().copied());
        let starters = rules.lexicon.keys().map(String::as_str);
        rules.starters = ByteTrie::of_words(starters.chain(first_literals));
        rules.longest_entry = rules
            .lexicon
            .values()
            .flatten()
            .map(|(rest, _)| rest.len())
            .max()
            .unwrap_or(0);
        rules.slot_reach = rules
            .patterns
            .iter()
            .map(|pattern| {
                pattern
                    .steps
                    .iter()
                    .position(|step| matches!(step.element, Element::Slot(_)))
            })
            .try_fold(0, |reach, before| Some(reach.max(before?)));
        rules.future_markers = compile_markers(&data.future_markers)?;
        rules.past_markers = compile_markers(&data.past_markers)?;
        let reference = Anchor::from_date(Some(PubDate {
            year: 2020,
            month: 1,
            day: Some(8),
        }));
        for pattern in &data.patterns {
            for example in &pattern.examples {
                if rules.parse(example, &reference, None).is_none() {
                    return Err(format!(
                        "pattern `{}`: example `{example}` is not read as one time",
                        pattern.pattern
                    ));
                }
            }
        }
        Ok(rules)
    }

    fn add_word(&mut self, word: &str, meaning: Meaning) -> Result<(), String> {
        let mut key = entry_tokens(word).into_iter();
        let Some(first) = key.next() else {
            return Err(format!("empty word `{word}` in a word list"));
        };
        let rest: Vec<String> = key.collect();
        let entries = self.lexicon.entry(first).or_default();
        let meanings = match entries.iter().position(|(other, _)| *other == rest) {
            Some(index) => &mut entries[index].1,
            None => {
                let index = entries.partition_point(|(other, _)| other.len() <= rest.len());
                entries.insert(index, (rest, Vec::new()));
                &mut entries[index].1
            }
        };
        if !meanings.contains(&meaning) {
            meanings.push(meaning);
        }
        Ok(())
    }

    /// The longest time expression starting at byte `start` of `text`: its end byte and value.
    /// `prefer` is the tense of the sentence when known.
    pub fn match_at(
        &self,
        text: &str,
        start: usize,
        anchor: &Anchor,
        prefer: Option<Direction>,
    ) -> Option<(usize, TimeValue)> {
        self.match_at_with(text, start, anchor, || prefer)
    }

    /// [`TimeRules::match_at`], with the tense worked out only when an expression is found.
    pub fn match_at_with(
        &self,
        text: &str,
        start: usize,
        anchor: &Anchor,
        prefer: impl FnOnce() -> Option<Direction>,
    ) -> Option<(usize, TimeValue)> {
        // The first token alone rules out almost every position; the others are read only then,
        // once for the test and the searches.
        if !text.is_char_boundary(start) || !self.first_token_starts(&text[start..]) {
            return None;
        }
        let mut tokens = Window::new(text, start);
        if !self.may_start_with(&mut tokens) {
            return None;
        }
        let found = match self.chains_from(&mut tokens, text, FIRST_WINDOW) {
            Some(found) => found,
            None => self.chains_from(&mut tokens, text, MAX_TOKENS)?,
        };
        if found.is_empty() {
            return None;
        }
        let context = Context {
            anchor: anchor.known(),
            prefer: prefer(),
            default: self.default_direction.unwrap_or(Direction::Past),
        };
        found
            .into_iter()
            .filter_map(|(end, captures)| Some((end, resolve(&captures, &context)?)))
            .max_by_key(|(end, _)| *end)
    }

    /// Every chain of pattern matches from the start of `tokens`, read from at most `limit`
    /// tokens; `None` when a pattern looked past the last of them, so that more tokens may change
    /// the result.
    fn chains_from<'a>(
        &'a self,
        tokens: &mut Window<'a>,
        text: &'a str,
        limit: usize,
    ) -> Option<Vec<(usize, Captures)>> {
        tokens.limit_to(self, limit);
        let mut search = Search {
            rules: self,
            memo: vec![None; tokens.tokens.len() + 1],
            tokens,
            text,
            found: Vec::new(),
        };
        search.chains(0, &Captures::default(), 1);
        (!search.tokens.overrun.get()).then_some(search.found)
    }

    /// False when no time expression can start with `tokens`, whose first token is digits or
    /// a starter: no token a pattern's first slot may read is digits or a word-list entry
    /// written in full ("the day before", not "the government"). Tokens are read as far as the
    /// entries of the word lists need, not further.
    fn may_start_with<'a>(&'a self, tokens: &mut Window<'a>) -> bool {
        let Some(reach) = self.slot_reach else {
            return true;
        };
        for at in 0..=reach {
            tokens.read_to(self, at + 1);
            let Some(token) = tokens.tokens.get(at) else {
                return false;
            };
            if token.kind == TokenKind::Digits {
                return true;
            }
            let entries = tokens.entries[at];
            let longest = entries.last().map_or(0, |(rest, _)| rest.len());
            tokens.read_to(self, at + 1 + longest);
            let following = &tokens.tokens[at + 1..];
            if entries
                .iter()
                .any(|(rest, _)| rest_written(rest, following))
            {
                return true;
            }
        }
        false
    }

    /// True when the first token of `rest` is digits or a starter. An ASCII word is looked up
    /// as it is lower-cased, byte by byte: this runs at most words of a text.
    fn first_token_starts(&self, rest: &str) -> bool {
        let Some((written, _, kind, _)) = Tokens::new(rest, 0).next_written() else {
            return false;
        };
        if kind == TokenKind::Digits {
            return true;
        }
        if written.is_ascii() {
            let lower = written.bytes().map(|byte| byte.to_ascii_lowercase());
            return self.starters.contains(lower);
        }
        self.starters.contains(lower_case(written).bytes())
    }

    /// The word-list entries starting with `token`, shortest first.
    fn entries(&self, token: &Token) -> &[LexiconEntry] {
        self.lexicon
            .get(token.lower.as_ref())
            .map_or(&[][..], Vec::as_slice)
    }

    /// All single-pattern matches from token `at`: the token after each and what it read.
    fn matches_at(&self, tokens: &Window, text: &str, at: usize) -> Vec<(usize, Captures)> {
        // A pattern is tried only when it may start with the token at `at`: with one of its
        // literal words, or with a slot that may read it (any slot when the token starts a
        // word-list entry running past the cut window, as reading it there notes the overrun
        // that makes the search read a longer window). Past the window every pattern is tried,
        // to note the overrun.
        let first = (tokens.tokens.get(at)).map(|token| (token, tokens.slots_to_try(at)));
        if let Some((token, slots)) = first {
            if slots == 0 && !self.first_literals.contains(token.lower.bytes()) {
                // No pattern starts with the token (most tokens after a match).
                return Vec::new();
            }
        }
        self.matches_trying(tokens, text, at, first)
    }

    /// The single-pattern matches from token `at` of the patterns that may start with `first`:
    /// the token at `at` and the slots to try on it (see [`Window::slots_to_try`]). Every
    /// pattern is tried when `first` is `None`: past the window, to note the overrun.
    ///
    /// A pattern left out yields nothing here and notes no overrun: neither a literal it may
    /// start with nor a slot of `slots` reads the token, and the other slots read nothing of it
    /// (they look at the tokens after it only when it starts a word-list entry running past the
    /// cut window, and then all slots are tried).
    fn matches_trying(
        &self,
        tokens: &Window,
        text: &str,
        at: usize,
        first: Option<(&Token, u16)>,
    ) -> Vec<(usize, Captures)> {
        let mut out = Vec::new();
        for pattern in &self.patterns {
            if let Some((token, slots)) = first {
                if !pattern.may_start_with(token, slots) {
                    continue;
                }
            }
            let captures = Captures {
                direction: pattern.direction,
                ..Captures::default()
            };
            self.match_steps(&pattern.steps, tokens, at, captures, &mut out);
        }
        out.retain(|(next, _)| {
            *next > at && ends_at_word_boundary(text, &tokens.tokens[*next - 1])
        });
        out
    }

    fn match_steps(
        &self,
        steps: &[Step],
        tokens: &Window,
        at: usize,
        captures: Captures,
        out: &mut Vec<(usize, Captures)>,
    ) {
        let Some((step, rest)) = steps.split_first() else {
            out.push((at, captures));
            return;
        };
        if step.optional {
            self.match_steps(rest, tokens, at, captures.clone(), out);
        }
        let Some(token) = tokens.get(at) else {
            return;
        };
        if step.glued && !token.glued {
            return;
        }
        match &step.element {
            Element::Literal(words) => {
                if words.iter().any(|word| *word == token.lower) {
                    self.match_steps(rest, tokens, at + 1, captures, out);
                }
            }
            Element::Slot(slot) => {
                self.read_slot(*slot, tokens, at, &captures, &mut |next, read| {
                    self.match_steps(rest, tokens, next, read, out);
                });
            }
        }
    }

    /// Hands each way `slot` reads tokens from `at` to `out`: the token after, and the
    /// captures with it.
    fn read_slot(
        &self,
        slot: Slot,
        tokens: &Window,
        at: usize,
        captures: &Captures,
        out: &mut impl FnMut(usize, Captures),
    ) {
        let token = &tokens.tokens[at];
        if token.kind == TokenKind::Digits {
            let number = number_of(token);
            let mut read = captures.clone();
            let ok = match (slot, number) {
                (Slot::Day, Some(n)) if token.lower.len() <= 2 && (1..=31).contains(&n) => {
                    read.day = Some(n as i8);
                    true
                }
                (Slot::MonthNumber, Some(n)) if token.lower.len() <= 2 && (1..=12).contains(&n) => {
                    read.month = Some(n as i8);
                    true
                }
                (Slot::Year, Some(n)) if token.lower.len() == 4 && YEARS.contains(&n) => {
                    read.year = Some(n as i16);
                    true
                }
                (Slot::Hour, Some(n)) if token.lower.len() <= 2 && (0..=23).contains(&n) => {
                    read.hour = Some(n as i8);
                    true
                }
                (Slot::Minute, Some(n)) if token.lower.len() == 2 && (0..=59).contains(&n) => {
                    read.minute = Some(n as i8);
                    true
                }
                (Slot::Count, Some(n)) if (1..=MAX_COUNT).contains(&n) => {
                    read.count = Some(n);
                    true
                }
                _ => false,
            };
            if ok {
                out(at + 1, read);
            }
            return;
        }
        for (rest, meanings) in tokens.entries[at] {
            let written = tokens
                .following(at, rest.len())
                .is_some_and(|following| rest_written(rest, following));
            if !written {
                continue;
            }
            let length = 1 + rest.len();
            for meaning in meanings.iter().filter(|meaning| meaning.slot() == slot) {
                let mut read = captures.clone();
                match *meaning {
                    Meaning::Month(m) => read.month = Some(m),
                    Meaning::Weekday(w) => read.weekday = Some(w),
                    Meaning::Clock(t) => read.clock = Some(t),
                    Meaning::DayOffset(d) => read.day_offset = Some(d),
                    Meaning::Modifier(m) => read.modifier = Some(m),
                    Meaning::Unit(u) => read.unit = Some(u),
                    Meaning::Count(c) => read.count = Some(c),
                    Meaning::Meridiem(h) => read.meridiem = Some(h),
                    Meaning::Zone => {}
                }
                out(at + length, read);
            }
        }
    }

    /// The value of `text` when the whole of it (trimmed) is one time expression.
    pub fn parse(
        &self,
        text: &str,
        anchor: &Anchor,
        prefer: Option<Direction>,
    ) -> Option<TimeValue> {
        let trimmed = text.trim();
        let offset = text.len() - text.trim_start().len();
        match self.match_at(text, offset, anchor, prefer) {
            Some((end, value)) if end == offset + trimmed.len() => Some(value),
            _ => None,
        }
    }

    /// The tense of a sentence when its words mark one ("will start", "moet ingaan"). A future
    /// marker wins over a past one: an announcement is usually reported in the past tense.
    pub fn tense(&self, sentence: &str) -> Option<Direction> {
        let lower = sentence.to_lowercase();
        if self.future_markers.iter().any(|m| m.find(&lower).is_some()) {
            Some(Direction::Future)
        } else if self.past_markers.iter().any(|m| m.find(&lower).is_some()) {
            Some(Direction::Past)
        } else {
            None
        }
    }

    /// The tense nearest to byte `at` of `sentence`: the direction of the marker closest to it
    /// ("called Wednesday for a cease-fire to start on Sunday" reads past at "Wednesday",
    /// future at "Sunday").
    pub fn tense_at(&self, sentence: &str, at: usize) -> Option<Direction> {
        let lower = sentence.to_lowercase();
        // Lowercasing rarely changes byte lengths; when it does, positions are approximate.
        let at = at.min(lower.len());
        let nearest = |markers: &[Marker]| -> Option<usize> {
            markers
                .iter()
                .filter_map(|m| m.find(&lower))
                .map(|(start, end)| {
                    if end <= at {
                        at - end
                    } else {
                        start.saturating_sub(at)
                    }
                })
                .min()
        };
        match (nearest(&self.future_markers), nearest(&self.past_markers)) {
            (Some(future), Some(past)) if past < future => Some(Direction::Past),
            (Some(_), _) => Some(Direction::Future),
            (None, Some(_)) => Some(Direction::Past),
            (None, None) => None,
        }
    }
}

/// The tokens a search reads, from its start position up to a limit, read on as a test or a
/// longer search needs more.
struct Window<'a> {
    tokens: Vec<Token<'a>>,
    /// Per token, the word-list entries starting with it, looked up once.
    entries: Vec<&'a [LexiconEntry]>,
    /// The text from the start position, read up to the last token.
    source: Tokens<'a>,
    /// More tokens follow the last one read.
    cut: bool,
    /// A pattern looked past the last token read while more follow.
    overrun: Cell<bool>,
}

/// True when the tokens `following` start with the words `rest`.
fn rest_written(rest: &[String], following: &[Token]) -> bool {
    following.get(..rest.len()).is_some_and(|following| {
        rest.iter()
            .zip(following)
            .all(|(word, token)| *word == token.lower)
    })
}

impl<'a> Window<'a> {
    /// The window of no token yet at byte `start` of `text`.
    fn new(text: &'a str, start: usize) -> Self {
        Window {
            tokens: Vec::with_capacity(FIRST_WINDOW),
            entries: Vec::with_capacity(FIRST_WINDOW),
            source: Tokens::new(text, start),
            cut: false,
            overrun: Cell::new(false),
        }
    }

    /// Reads on until the window holds `count` tokens, or the text ends.
    fn read_to(&mut self, rules: &'a TimeRules, count: usize) {
        while self.tokens.len() < count {
            let Some(token) = self.source.next() else {
                return;
            };
            self.entries.push(rules.entries(&token));
            self.tokens.push(token);
        }
    }

    /// Makes the window its first `limit` tokens, for a search: reads them (or drops those after
    /// them), and notes whether more follow.
    fn limit_to(&mut self, rules: &'a TimeRules, limit: usize) {
        if let Some(last) = limit.checked_sub(1).and_then(|last| self.tokens.get(last)) {
            if self.tokens.len() > limit {
                self.source.resume_after(last.end);
                self.tokens.truncate(limit);
                self.entries.truncate(limit);
            }
        }
        self.read_to(rules, limit);
        // Whether a token follows is all that matters of it: it is not lower-cased.
        self.cut = self.tokens.len() == limit && self.source.clone().next_written().is_some();
        self.overrun.set(false);
    }

    /// The slots whose patterns are tried at token `at`: those that may read it (see
    /// [`slots_reading`]), or every slot when a word-list entry starting with it runs past the
    /// cut window, as reading any slot there looks at the tokens after it and notes the overrun
    /// (so that the search reads a longer window).
    fn slots_to_try(&self, at: usize) -> u16 {
        let entries = self.entries[at];
        let longest = entries.last().map_or(0, |(rest, _)| rest.len());
        if self.cut && at + 1 + longest > self.tokens.len() {
            return u16::MAX;
        }
        slots_reading(&self.tokens[at], entries)
    }

    /// Token `index`, noting an overrun when it lies past the window.
    fn get(&self, index: usize) -> Option<&Token<'a>> {
        let token = self.tokens.get(index);
        if token.is_none() && self.cut {
            self.overrun.set(true);
        }
        token
    }

    /// The `count` tokens after token `index`, noting an overrun when they run past the window.
    fn following(&self, index: usize, count: usize) -> Option<&[Token<'a>]> {
        let following = self.tokens.get(index + 1..index + 1 + count);
        if following.is_none() && self.cut {
            self.overrun.set(true);
        }
        following
    }
}

/// One search for chains of pattern matches from a start position.
struct Search<'a> {
    rules: &'a TimeRules,
    tokens: &'a Window<'a>,
    text: &'a str,
    /// Single-pattern matches by start token, once found, kept for the chains that read them.
    memo: Vec<Option<Vec<(usize, Captures)>>>,
    /// Every chain found: its end byte and what it read.
    found: Vec<(usize, Captures)>,
}

impl Search<'_> {
    /// Records every chain of up to [`MAX_PARTS`] pattern matches from token `at` that extends
    /// `so_far`. A comma may separate two parts.
    fn chains(&mut self, at: usize, so_far: &Captures, part: usize) {
        // The chains from here read tokens after `at` only: the matches are put back after.
        let matches = match self.memo[at].take() {
            Some(matches) => matches,
            None => self.rules.matches_at(self.tokens, self.text, at),
        };
        for &(next, ref captures) in matches.iter() {
            let Some(merged) = so_far.merged(captures) else {
                continue;
            };
            self.found
                .push((self.tokens.tokens[next - 1].end, merged.clone()));
            if part < MAX_PARTS {
                self.chains(next, &merged, part + 1);
                if self.tokens.get(next).is_some_and(|t| t.lower == ",") {
                    self.chains(next + 1, &merged, part + 1);
                }
            }
        }
        self.memo[at] = Some(matches);
    }
}

/// The slots that may read `token`, whose word-list entries are `entries`, as a set of bits.
fn slots_reading(token: &Token, entries: &[LexiconEntry]) -> u16 {
    if token.kind == TokenKind::Digits {
        return DIGIT_SLOTS;
    }
    (entries.iter().flat_map(|(_, meanings)| meanings))
        .fold(0, |slots, meaning| slots | meaning.slot().bit())
}

fn number_of(token: &Token) -> Option<i64> {
    if token.lower.len() > 6 {
        return None;
    }
    token.lower.parse().ok()
}

/// True when the token is not cut from a longer word ("12" of "12th").
fn ends_at_word_boundary(text: &str, last: &Token) -> bool {
    if last.kind == TokenKind::Symbol {
        return true;
    }
    !text
        .get(last.end..)
        .and_then(|rest| rest.chars().next())
        .is_some_and(char::is_alphanumeric)
}

fn parse_clock(text: &str) -> Option<Time> {
    let (hour, minute) = text.split_once(':')?;
    Time::new(hour.parse().ok()?, minute.parse().ok()?, 0, 0).ok()
}

fn compile_pattern(data: &PatternData) -> Result<Pattern, String> {
    let mut steps = Vec::new();
    for item in data.pattern.split_whitespace() {
        let (glued, item) = match item.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, item),
        };
        let (optional, item) = match item.strip_suffix('?') {
            Some(rest) if !rest.is_empty() => (true, rest),
            _ => (false, item),
        };
        let element = if let Some(name) = item.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Element::Slot(
                Slot::from_name(name)
                    .ok_or_else(|| format!("unknown slot `{{{name}}}`; slots are {SLOT_NAMES}"))?,
            )
        } else {
            let mut words = Vec::new();
            for word in item.split('|') {
                match entry_tokens(word).as_slice() {
                    [one] => words.push(one.clone()),
                    _ => {
                        return Err(format!(
                            "literal `{word}` must be one word or one punctuation mark"
                        ))
                    }
                }
            }
            Element::Literal(words)
        };
        steps.push(Step {
            element,
            optional,
            glued,
        });
    }
    if steps.iter().all(|step| step.optional) {
        return Err("a pattern needs at least one element that is not optional".to_string());
    }
    Ok(Pattern {
        steps,
        direction: data.direction,
    })
}

fn compile_markers(markers: &[String]) -> Result<Vec<Marker>, String> {
    markers
        .iter()
        .map(|marker| {
            let parts: Vec<String> = marker
                .split(['…'])
                .flat_map(|part| part.split("..."))
                .map(|part| part.trim().to_lowercase())
                .collect();
            if parts.iter().any(String::is_empty) {
                return Err(format!("tense marker `{marker}` has an empty part"));
            }
            Ok(Marker { parts })
        })
        .collect()
}

impl Marker {
    /// Where the marker occurs in `lower` as whole words, parts in order: first and last byte.
    fn find(&self, lower: &str) -> Option<(usize, usize)> {
        let mut from = 0;
        let mut first = None;
        for part in &self.parts {
            let (start, end) = find_word(lower, part, from)?;
            first.get_or_insert(start);
            from = end;
        }
        first.map(|start| (start, from))
    }
}

/// The first occurrence of `needle` in `hay` from byte `from` that is not inside a word.
fn find_word(hay: &str, needle: &str, from: usize) -> Option<(usize, usize)> {
    let rest = hay.get(from..)?;
    rest.match_indices(needle).find_map(|(offset, _)| {
        let start = from + offset;
        let end = start + needle.len();
        let before = hay[..start].chars().next_back();
        let after = hay[end..].chars().next();
        let inside = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        (!inside(before) && !inside(after)).then_some((start, end))
    })
}

/// What a value is resolved with.
struct Context {
    anchor: Known,
    prefer: Option<Direction>,
    default: Direction,
}

impl Context {
    /// The direction to apply, and whether it was guessed from the language default.
    fn direction(&self, marked: Option<Direction>) -> (Direction, bool) {
        match marked.or(self.prefer) {
            Some(direction) => (direction, false),
            None => (self.default, true),
        }
    }
}

fn days(n: i64) -> Option<Span> {
    Span::new().try_days(n).ok()
}

fn add_days(date: Date, n: i64) -> Option<Date> {
    date.checked_add(days(n)?).ok()
}

fn midnight(date: Date) -> DateTime {
    date.to_datetime(Time::midnight())
}

/// A value covering the days `[first, last]` at `grain`.
fn interval(first: Date, after_last: Date, grain: Grain) -> TimeValue {
    TimeValue {
        start: Some(midnight(first)),
        end: Some(midnight(after_last)),
        grain,
        ..TimeValue::default()
    }
}

fn one_day(date: Date) -> Option<TimeValue> {
    Some(interval(date, date.tomorrow().ok()?, Grain::Day))
}

/// The period of `unit` holding `date`: its first day and the day after it.
fn period(date: Date, unit: Unit) -> Option<(Date, Date)> {
    let (first, span) = match unit {
        Unit::Day => (date, days(1)?),
        Unit::Week => (
            add_days(date, -i64::from(date.weekday().to_monday_zero_offset()))?,
            Span::new().try_weeks(1).ok()?,
        ),
        Unit::Month => (date.first_of_month(), Span::new().try_months(1).ok()?),
        Unit::Year => (date.first_of_year(), Span::new().try_years(1).ok()?),
    };
    Some((first, first.checked_add(span).ok()?))
}

fn grain_of(unit: Unit) -> Grain {
    match unit {
        Unit::Day => Grain::Day,
        Unit::Week => Grain::Week,
        Unit::Month => Grain::Month,
        Unit::Year => Grain::Year,
    }
}

/// Shifts `date` by `n` units.
fn shift(date: Date, unit: Unit, n: i64) -> Option<Date> {
    let span = match unit {
        Unit::Day => days(n)?,
        Unit::Week => Span::new().try_weeks(n).ok()?,
        Unit::Month => Span::new().try_months(n).ok()?,
        Unit::Year => Span::new().try_years(n).ok()?,
    };
    date.checked_add(span).ok()
}

/// Turns what a chain read into a value, or `None` when it names no time.
fn resolve(c: &Captures, context: &Context) -> Option<TimeValue> {
    let clock = c.time_of_day().ok()?;
    let date = resolve_date(c, context)?;
    match (date, clock) {
        (Some(value), None) => Some(value),
        (Some(value), Some((time, grain))) => Some(with_clock(value, time, grain)),
        (None, Some((time, grain))) if !has_date_words(c) => Some(TimeValue {
            grain,
            clock: Some(time),
            ..TimeValue::default()
        }),
        _ => None,
    }
}

fn has_date_words(c: &Captures) -> bool {
    c.modifier.is_some() || c.unit.is_some() || c.count.is_some() || c.day.is_some()
}

/// Puts a time of day on a dated value.
fn with_clock(mut value: TimeValue, time: Time, grain: Grain) -> TimeValue {
    let step = match grain {
        Grain::Hour => Span::new().hours(1),
        _ => Span::new().minutes(1),
    };
    let single_day = value.grain == Grain::Day
        && value.candidates.is_empty()
        && value
            .start
            .zip(value.end)
            .is_some_and(|(start, end)| start.date().tomorrow().ok().map(midnight) == Some(end));
    if single_day {
        if let Some(start) = value.start {
            let at = start.date().to_datetime(time);
            value.start = Some(at);
            value.end = at.checked_add(step).ok();
            value.grain = grain;
            return value;
        }
    }
    if !value.candidates.is_empty() {
        value.candidates = value
            .candidates
            .iter()
            .map(|c| c.date().to_datetime(time))
            .collect();
        value.start = value.candidates.first().copied();
        value.end = value
            .candidates
            .last()
            .and_then(|last| last.checked_add(step).ok());
        value.grain = grain;
        return value;
    }
    if value.start.is_none() && (value.day.is_some() || value.weekday.is_some()) {
        value.grain = grain;
    }
    value.clock = Some(time);
    value
}

/// The date part of a value: `Ok(None)` when the chain names no day at all.
fn resolve_date(c: &Captures, context: &Context) -> Option<Option<TimeValue>> {
    let marked = c.direction.or(match c.modifier {
        Some(Modifier::Past) => Some(Direction::Past),
        Some(Modifier::Future) => Some(Direction::Future),
        _ => None,
    });
    if let Some(year) = c.year {
        if c.weekday.is_some() && c.month.is_none() || c.unit.is_some() || c.day_offset.is_some() {
            return None;
        }
        return Some(Some(match (c.month, c.day) {
            (Some(month), Some(day)) => one_day(Date::new(year, month, day).ok()?)?,
            (Some(month), None) => {
                let first = Date::new(year, month, 1).ok()?;
                let (first, after) = period(first, Unit::Month)?;
                interval(first, after, Grain::Month)
            }
            (None, None) => {
                let first = Date::new(year, 1, 1).ok()?;
                let (first, after) = period(first, Unit::Year)?;
                interval(first, after, Grain::Year)
            }
            (None, Some(_)) => return None,
        }));
    }
    if let (Some(month), Some(day)) = (c.month, c.day) {
        return Some(Some(month_day(month, day, context)?));
    }
    if let Some(month) = c.month {
        if c.unit.is_some() || c.day_offset.is_some() {
            return None;
        }
        return Some(Some(month_alone(month, marked, context)?));
    }
    if c.day.is_some() {
        return None;
    }
    if let Some(unit) = c.unit {
        return Some(Some(relative_period(c, unit, marked, context)?));
    }
    if let Some(weekday) = c.weekday {
        if c.day_offset.is_some() || c.count.is_some() {
            return None;
        }
        return Some(Some(weekday_value(weekday, c.modifier, marked, context)?));
    }
    if let Some(offset) = c.day_offset {
        if c.modifier.is_some() || c.count.is_some() {
            return None;
        }
        return Some(Some(day_offset(offset, context)?));
    }
    if c.modifier.is_some() || c.count.is_some() {
        return None;
    }
    Some(None)
}

/// "January 12" without a year: the occurrence nearest the anchor.
fn month_day(month: i8, day: i8, context: &Context) -> Option<TimeValue> {
    let reference = match context.anchor {
        Known::Day(date) => date,
        Known::Month(first) => first.checked_add(days(14)?).ok()?,
        Known::Nothing => {
            // Validate against a leap year so that February 29 stays possible.
            Date::new(2000, month, day).ok()?;
            return Some(TimeValue {
                month: Some(month),
                day: Some(day),
                ..TimeValue::default()
            });
        }
    };
    let year = reference.year();
    let nearest = [year - 1, year, year + 1]
        .into_iter()
        .filter_map(|y| Date::new(y, month, day).ok())
        .min_by_key(|date| {
            reference
                .until(*date)
                .ok()
                .map_or(i32::MAX, |span| span.get_days().abs())
        })?;
    one_day(nearest)
}

/// "in April": the anchor's year, or the one before or after by direction.
fn month_alone(month: i8, marked: Option<Direction>, context: &Context) -> Option<TimeValue> {
    let anchor_month = match context.anchor {
        Known::Day(date) | Known::Month(date) => date.first_of_month(),
        Known::Nothing => {
            return Some(TimeValue {
                grain: Grain::Month,
                month: Some(month),
                ..TimeValue::default()
            })
        }
    };
    let (direction, guessed) = context.direction(marked);
    let year = anchor_month.year();
    let year = match direction {
        Direction::Past if month > anchor_month.month() => year - 1,
        Direction::Future if month < anchor_month.month() => year + 1,
        _ => year,
    };
    let (first, after) = period(Date::new(year, month, 1).ok()?, Unit::Month)?;
    Some(TimeValue {
        guessed: guessed && month != anchor_month.month(),
        ..interval(first, after, Grain::Month)
    })
}

/// "this week", "last month", "two days ago", "Wednesday last week".
fn relative_period(
    c: &Captures,
    unit: Unit,
    marked: Option<Direction>,
    context: &Context,
) -> Option<TimeValue> {
    let steps = match (c.modifier, c.count) {
        (Some(Modifier::Current), None) => 0,
        (Some(Modifier::Past), None) => -1,
        (Some(Modifier::Future), None) => 1,
        (None, Some(count)) => match c.direction? {
            Direction::Past => -count,
            Direction::Future => count,
        },
        _ => return None,
    };
    if c.day_offset.is_some() || (c.weekday.is_some() && unit != Unit::Week) {
        return None;
    }
    let grain = grain_of(unit);
    let place = |date: Date| -> Option<(Date, Date)> {
        let (first, after) = period(shift(date, unit, steps)?, unit)?;
        match c.weekday {
            Some(weekday) => {
                let day = add_days(first, i64::from(weekday) - 1)?;
                Some((day, day.tomorrow().ok()?))
            }
            None => Some((first, after)),
        }
    };
    let grain = if c.weekday.is_some() {
        Grain::Day
    } else {
        grain
    };
    match context.anchor {
        Known::Day(date) => {
            let (first, mut after) = place(date)?;
            // "earlier this week": up to the anchor.
            if steps == 0 && marked == Some(Direction::Past) && c.weekday.is_none() {
                after = after.min(date.tomorrow().ok()?);
            }
            Some(interval(first, after, grain))
        }
        Known::Month(first_of_month) => {
            let (first, _) = place(first_of_month)?;
            let (_, after) = place(first_of_month.last_of_month())?;
            Some(interval(first, after, grain))
        }
        Known::Nothing => Some(TimeValue {
            grain,
            weekday: c.weekday,
            ..TimeValue::default()
        }),
    }
}

/// "on Sunday", "last Thursday", "aanstaande zondag".
fn weekday_value(
    weekday: i8,
    modifier: Option<Modifier>,
    marked: Option<Direction>,
    context: &Context,
) -> Option<TimeValue> {
    let target = Weekday::from_monday_one_offset(weekday).ok()?;
    match context.anchor {
        Known::Day(date) => {
            let (direction, guessed) = context.direction(marked);
            let day = match (modifier, direction) {
                (Some(Modifier::Current), _) => period(date, Unit::Week)
                    .and_then(|(monday, _)| add_days(monday, i64::from(weekday) - 1))?,
                (Some(_), Direction::Past) => date.nth_weekday(-1, target).ok()?,
                (Some(_), Direction::Future) => date.nth_weekday(1, target).ok()?,
                (None, _) if date.weekday() == target => date,
                (None, Direction::Past) => date.nth_weekday(-1, target).ok()?,
                (None, Direction::Future) => date.nth_weekday(1, target).ok()?,
            };
            let guessed = guessed && modifier.is_none() && date.weekday() != target;
            Some(TimeValue {
                guessed,
                ..one_day(day)?
            })
        }
        Known::Month(first) => {
            let candidates: Vec<DateTime> = (1..=5)
                .filter_map(|n| first.nth_weekday_of_month(n, target).ok())
                .filter(|day| day.month() == first.month())
                .map(midnight)
                .collect();
            let last = candidates.last()?.date();
            Some(TimeValue {
                start: candidates.first().copied(),
                end: Some(midnight(last.tomorrow().ok()?)),
                candidates,
                ..TimeValue::default()
            })
        }
        Known::Nothing => Some(TimeValue {
            weekday: Some(weekday),
            ..TimeValue::default()
        }),
    }
}

/// "yesterday", "today", "the day before".
fn day_offset(offset: i32, context: &Context) -> Option<TimeValue> {
    let offset = i64::from(offset);
    match context.anchor {
        Known::Day(date) => one_day(add_days(date, offset)?),
        Known::Month(first) => {
            let after = first.last_of_month().tomorrow().ok()?;
            Some(interval(
                add_days(first, offset)?,
                add_days(after, offset)?,
                Grain::Day,
            ))
        }
        Known::Nothing => Some(TimeValue::default()),
    }
}

impl TimeValue {
    /// The value as a person reads it: `2020-01-12 00:00`, `2020-01-12`,
    /// `Sunday in 2020-01: 5, 12, 19 or 26`, `January 12 (year unknown)`.
    pub fn display(&self) -> String {
        let clock_suffix = self
            .clock
            .map(|t| format!(" {}", t.strftime("%H:%M")))
            .unwrap_or_default();
        if !self.candidates.is_empty() {
            return format!("{}{clock_suffix}", self.display_candidates());
        }
        if let (Some(start), Some(end)) = (self.start, self.end) {
            return format!("{}{clock_suffix}", display_interval(start, end, self.grain));
        }
        let known = match (self.month, self.day, self.weekday) {
            (Some(month), Some(day), _) => Date::new(2000, month, day)
                .map(|d| format!("{} (year unknown)", d.strftime("%B %-d")))
                .ok(),
            (Some(month), None, _) => Date::new(2000, month, 1)
                .map(|d| format!("{} (year unknown)", d.strftime("%B")))
                .ok(),
            (None, _, Some(weekday)) => {
                weekday_name(weekday).map(|w| format!("{w} (date unknown)"))
            }
            _ => None,
        };
        match (known, self.clock) {
            (Some(known), Some(time)) => {
                format!("{known} at {}", time.strftime("%H:%M"))
            }
            (Some(known), None) => known,
            (None, Some(time)) => format!("{} (day unknown)", time.strftime("%H:%M")),
            (None, None) => format!("a {:?} (no date to resolve it)", self.grain).to_lowercase(),
        }
    }

    fn display_candidates(&self) -> String {
        let first = self.candidates[0];
        let same_month = self
            .candidates
            .iter()
            .all(|c| c.year() == first.year() && c.month() == first.month());
        let same_weekday = self
            .candidates
            .iter()
            .all(|c| c.weekday() == first.weekday());
        let clock = match self.grain {
            Grain::Minute | Grain::Hour => format!(" at {}", first.strftime("%H:%M")),
            _ => String::new(),
        };
        let days: Vec<String> = self
            .candidates
            .iter()
            .map(|c| {
                if same_month {
                    c.day().to_string()
                } else {
                    c.strftime("%Y-%m-%d").to_string()
                }
            })
            .collect();
        let listed = match days.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => days.join(""),
        };
        let head = if same_weekday {
            format!("{} ", first.strftime("%A"))
        } else {
            String::new()
        };
        if same_month {
            format!("{head}in {}: {listed}{clock}", first.strftime("%Y-%m"))
        } else {
            format!("{head}{listed}{clock}")
        }
    }
}

fn weekday_name(weekday: i8) -> Option<String> {
    // 2024-01-01 is a Monday.
    let monday = Date::new(2024, 1, 1).ok()?;
    add_days(monday, i64::from(weekday) - 1).map(|d| d.strftime("%A").to_string())
}

fn display_interval(start: DateTime, end: DateTime, grain: Grain) -> String {
    let exact = |unit: Unit| {
        period(start.date(), unit)
            .is_some_and(|(first, after)| midnight(first) == start && midnight(after) == end)
    };
    match grain {
        Grain::Minute | Grain::Hour => start.strftime("%Y-%m-%d %H:%M").to_string(),
        Grain::Day if exact(Unit::Day) => start.strftime("%Y-%m-%d").to_string(),
        Grain::Week if exact(Unit::Week) => format!("week of {}", start.strftime("%Y-%m-%d")),
        Grain::Month if exact(Unit::Month) => start.strftime("%Y-%m").to_string(),
        Grain::Year if exact(Unit::Year) => start.strftime("%Y").to_string(),
        _ => {
            let last = end.date().yesterday().unwrap_or(end.date());
            format!(
                "a {} within {} – {}",
                format!("{grain:?}").to_lowercase(),
                start.strftime("%Y-%m-%d"),
                last.strftime("%Y-%m-%d")
            )
        }
    }
}

/// What a value allows, for comparing two values.
struct Allowed {
    /// The days it may fall on, when they can be listed.
    days: Option<Vec<Date>>,
    /// Its interval, when the year is known.
    span: Option<(DateTime, DateTime)>,
    month: Option<i8>,
    day: Option<i8>,
    weekday: Option<i8>,
    /// Time of day and its grain.
    clock: Option<(Time, Grain)>,
}

impl Allowed {
    fn of(value: &TimeValue) -> Allowed {
        let span = value.start.zip(value.end);
        let days = if !value.candidates.is_empty() {
            Some(value.candidates.iter().map(|c| c.date()).collect())
        } else {
            span.and_then(|(start, end)| days_between(start, end))
        };
        let precise = matches!(value.grain, Grain::Minute | Grain::Hour);
        let clock = match (value.clock, value.start) {
            (Some(time), _) if precise => Some((time, value.grain)),
            (Some(time), _) => Some((time, Grain::Minute)),
            (None, Some(start)) if precise => Some((start.time(), value.grain)),
            _ => None,
        };
        Allowed {
            days,
            span,
            month: value.month,
            day: value.day,
            weekday: value.weekday,
            clock,
        }
    }

    /// True when `date` satisfies this value's month, day and weekday.
    fn admits(&self, date: Date) -> bool {
        self.month.is_none_or(|m| m == date.month())
            && self.day.is_none_or(|d| d == date.day())
            && self
                .weekday
                .is_none_or(|w| w == date.weekday().to_monday_one_offset())
    }
}

/// Every day touched by `[start, end)`, unless there are too many to list.
fn days_between(start: DateTime, end: DateTime) -> Option<Vec<Date>> {
    let mut out = Vec::new();
    let mut day = start.date();
    while midnight(day) < end {
        if out.len() as i64 >= MAX_ENUMERATED_DAYS {
            return None;
        }
        out.push(day);
        day = day.tomorrow().ok()?;
    }
    Some(out)
}

/// How two times relate at their grain: `Same`, `Compatible` (less precise, or candidates that
/// include the other) or `Conflict`.
pub fn relate(a: &TimeValue, b: &TimeValue) -> crate::model::Accord {
    let comparable = |v: &TimeValue| TimeValue {
        guessed: false,
        ..v.clone()
    };
    if comparable(a) == comparable(b) {
        return Accord::Same;
    }
    if can_both_hold(&Allowed::of(a), &Allowed::of(b)) {
        Accord::Compatible
    } else {
        Accord::Conflict
    }
}

fn can_both_hold(a: &Allowed, b: &Allowed) -> bool {
    if let (Some((a_start, a_end)), Some((b_start, b_end))) = (a.span, b.span) {
        if a_start >= b_end || b_start >= a_end {
            return false;
        }
    }
    let shared_days: Option<Vec<Date>> = match (&a.days, &b.days) {
        (Some(x), Some(y)) => Some(x.iter().filter(|d| y.contains(d)).copied().collect()),
        (Some(x), None) => Some(x.clone()),
        (None, Some(y)) => Some(y.clone()),
        (None, None) => None,
    };
    match shared_days {
        Some(days) => {
            if !days.iter().any(|d| a.admits(*d) && b.admits(*d)) {
                return false;
            }
        }
        None => {
            let differ =
                |x: Option<i8>, y: Option<i8>| matches!((x, y), (Some(x), Some(y)) if x != y);
            if differ(a.month, b.month) || differ(a.day, b.day) || differ(a.weekday, b.weekday) {
                return false;
            }
        }
    }
    match (a.clock, b.clock) {
        (Some((a_time, a_grain)), Some((b_time, b_grain))) => {
            if a_grain == Grain::Hour || b_grain == Grain::Hour {
                a_time.hour() == b_time.hour()
            } else {
                a_time.hour() == b_time.hour() && a_time.minute() == b_time.minute()
            }
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    /// The tokens of `window` as (end, lower-case form, kind, glued), their word-list entries,
    /// whether more follow and whether an overrun is noted.
    type Read<'a> = (
        Vec<(usize, String, TokenKind, bool)>,
        Vec<&'a [LexiconEntry]>,
        bool,
        bool,
    );

    fn read<'a>(window: &Window<'a>) -> Read<'a> {
        let tokens = (window.tokens.iter())
            .map(|token| (token.end, token.lower.to_string(), token.kind, token.glued))
            .collect();
        let overrun = window.overrun.get();
        (tokens, window.entries.clone(), window.cut, overrun)
    }

    fn rules_of(code: &str) -> &'static TimeRules {
        let rule_set = RuleSet::embedded_shared().expect("embedded rules load");
        &rule_set.languages[code].times
    }

    /// A sentence whose "p.m." runs past the longer window when read from its start.
    const PAST_THE_WINDOW: &str =
        "On the 12th of Jan., 2020, at 7:30 p.m. local time, P. Jones said the talks ended.";

    /// The examples of every language's time patterns, each with its language's rules, and
    /// [`PAST_THE_WINDOW`] with the English ones.
    fn examples() -> Vec<(&'static TimeRules, String)> {
        #[derive(Deserialize)]
        struct TimeSection {
            language: String,
            #[serde(default)]
            time: Option<TimeData>,
        }
        let mut examples = vec![(rules_of("en"), PAST_THE_WINDOW.to_string())];
        let files = crate::rules::embedded_files();
        for file in files
            .iter()
            .filter(|file| file.relative.starts_with("lang/"))
        {
            let section: TimeSection = crate::rules::parse_yaml(file).expect("rule file parses");
            let rules = rules_of(&section.language);
            for pattern in section.time.iter().flat_map(|time| &time.patterns) {
                examples.extend(pattern.examples.iter().map(|e| (rules, e.clone())));
            }
        }
        examples
    }

    #[test]
    fn a_window_limited_after_reading_further_reads_as_a_fresh_one() {
        let rules = rules_of("en");
        let text = "On  Jan. 12,\n2020 at 7 pm";
        for (read_first, limit) in [(6, 3), (6, 6), (2, 5), (9, 1), (12, 9)] {
            let mut reused = Window::new(text, 0);
            reused.read_to(rules, read_first);
            reused.overrun.set(true);
            reused.limit_to(rules, limit);
            let mut fresh = Window::new(text, 0);
            fresh.limit_to(rules, limit);
            assert_eq!(read(&reused), read(&fresh), "{read_first} then {limit}");
            reused.overrun.set(true);
            reused.limit_to(rules, 12);
            fresh.limit_to(rules, 12);
            assert!(fresh.entries.iter().any(|entries| !entries.is_empty()));
            assert_eq!(
                read(&reused),
                read(&fresh),
                "{read_first} then {limit}, then all"
            );
        }
    }

    #[test]
    fn the_first_token_filter_finds_what_trying_every_pattern_finds() {
        let mut compared = 0;
        for (rules, text) in examples() {
            let token_ends = Tokens::new(&text, 0).map(|token| token.end);
            for start in std::iter::once(0).chain(token_ends) {
                for limit in 1..=MAX_TOKENS {
                    let mut window = Window::new(&text, start);
                    window.limit_to(rules, limit);
                    for at in 0..=window.tokens.len() {
                        let filtered = rules.matches_at(&window, &text, at);
                        let filtered_overrun = window.overrun.replace(false);
                        let every = rules.matches_trying(&window, &text, at, None);
                        let every_overrun = window.overrun.replace(false);
                        assert_eq!(
                            (filtered, filtered_overrun),
                            (every, every_overrun),
                            "{text:?} from byte {start}, window {limit}, token {at}"
                        );
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 1000, "only {compared} comparisons");
    }

    #[test]
    fn the_start_pre_check_rules_out_no_start_the_search_reads_a_time_from() {
        let mut judged = 0;
        let texts = examples().into_iter().chain(
            [
                "The government said the day before the talks ended.",
                "A week of talks, the first day of the month and the second half.",
            ]
            .map(|text| (rules_of("en"), text.to_string())),
        );
        for (rules, text) in texts {
            let token_ends = Tokens::new(&text, 0).map(|token| token.end);
            for start in std::iter::once(0).chain(token_ends) {
                if !rules.first_token_starts(&text[start..]) {
                    continue;
                }
                let mut window = Window::new(&text, start);
                if rules.may_start_with(&mut window) {
                    continue;
                }
                judged += 1;
                let mut unchecked = Window::new(&text, start);
                let found = rules.chains_from(&mut unchecked, &text, MAX_TOKENS);
                assert!(
                    found.is_none_or(|found| found.is_empty()),
                    "{text:?} from byte {start} ruled out"
                );
            }
        }
        assert!(judged > 0, "the pre-check ruled out nothing");
    }

    #[test]
    fn only_the_digit_slots_read_digits() {
        let rules = rules_of("en");
        let slots = SLOT_NAMES
            .split(", ")
            .map(|name| Slot::from_name(name).unwrap());
        for slot in slots {
            let mut read_any = false;
            for text in ["0", "1", "7", "12", "24", "31", "59", "2020", "123456"] {
                let mut window = Window::new(text, 0);
                window.limit_to(rules, MAX_TOKENS);
                let mut read = false;
                rules.read_slot(slot, &window, 0, &Captures::default(), &mut |_, _| {
                    read = true;
                });
                assert!(
                    !read || DIGIT_SLOTS & slot.bit() != 0,
                    "{slot:?} reads {text}"
                );
                read_any |= read;
            }
            assert_eq!(read_any, DIGIT_SLOTS & slot.bit() != 0, "{slot:?}");
        }
    }

    #[test]
    fn an_entry_running_past_the_window_makes_the_search_read_further() {
        let rules = rules_of("en");
        let anchor = Anchor::from_date(Some(PubDate {
            year: 2020,
            month: 1,
            day: Some(8),
        }));
        // From its start, the "P" of "P. Jones" (a word-list entry only as "p.m.") is the 22nd
        // token: that entry runs past the longer window, so nothing is read (as before the
        // first-token filter). From "the" the window holds it.
        assert_eq!(rules.match_at(PAST_THE_WINDOW, 0, &anchor, None), None);
        let the = PAST_THE_WINDOW.find("the").unwrap();
        let (end, value) =
            (rules.match_at(PAST_THE_WINDOW, the, &anchor, None)).expect("a time from `the`");
        assert_eq!(
            &PAST_THE_WINDOW[the..end],
            "the 12th of Jan., 2020, at 7:30 p.m. local time"
        );
        let at = |minute| Date::new(2020, 1, 12).unwrap().at(19, minute, 0, 0);
        assert_eq!((value.start, value.end), (Some(at(30)), Some(at(31))));
        assert_eq!(value.grain, Grain::Minute);
    }
}
