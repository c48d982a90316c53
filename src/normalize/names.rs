//! Names and entities: canonical entities with aliases, demonyms, genitives, roles and sides,
//! and clustering of spelling variants that no rule lists.
//!
//! Everything a language contributes lives in `rules/entities/*.yaml`: the entities with their
//! names per language, the inflection rules that turn a name into its genitive (or a Russian
//! case form) and an adjective into its inflected forms, the words that look like names but are
//! not (titles, capitalised function words), and the transliteration folding that makes
//! `Smyth` and `Smith` one spelling.
//!
//! Matching walks a byte trie from a given start, so finding the longest mention at a position
//! costs at most the length of the longest form, and scanning a sentence is linear in its length.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt, HashSet};

use serde::Deserialize;

use crate::extract::tokens::{fold, tokenize, word_hash, Token};
use crate::model::{Claim, DocumentMeta, EntityRef, Span, Value};
use crate::rules::{parse_yaml, RuleError, RuleFile};

/// The key of a list that holds for every language without a list of its own.
const ANY_LANGUAGE: &str = "any";

/// The slot of a mention claim that holds the name.
const NAME_SLOT: &str = "name";

/// Prefix of the id of a name no rule lists.
const UNKNOWN_PREFIX: char = '~';

/// The [`EntityBook::stamp`] of the next book compiled.
static NEXT_BOOK_STAMP: AtomicU64 = AtomicU64::new(1);

/// A list of words per language code (or [`ANY_LANGUAGE`]).
type LangLists = BTreeMap<String, Vec<String>>;

/// One file of `rules/entities/`: every section is optional, lists of several files add up.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityFile {
    #[serde(default)]
    entities: Vec<EntityData>,
    #[serde(default)]
    inflections: BTreeMap<String, InflectionData>,
    #[serde(default)]
    folding: Option<FoldingData>,
    #[serde(default)]
    clustering: Option<ClusteringRules>,
    #[serde(default)]
    name_words: BTreeMap<String, NameWordsData>,
}

/// One entity as written in YAML.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityData {
    id: String,
    kind: EntityKind,
    name: String,
    #[serde(default)]
    side: Option<String>,
    #[serde(default)]
    names: LangLists,
    #[serde(default)]
    adjectives: LangLists,
    #[serde(default)]
    demonyms: LangLists,
    #[serde(default)]
    roles: LangLists,
}

/// How a language inflects names (genitives, cases) and adjectives.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct InflectionData {
    #[serde(default)]
    names: Vec<EndingRule>,
    #[serde(default)]
    adjectives: Vec<EndingRule>,
}

/// A word ending in `ending` also appears with `ending` replaced by each of `forms`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EndingRule {
    ending: String,
    forms: Vec<String>,
}

/// Transliteration folding, shared by all languages.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FoldingData {
    #[serde(default)]
    particles: Vec<String>,
    #[serde(default)]
    equivalences: Vec<(String, String)>,
    #[serde(default)]
    vowels: Option<String>,
}

/// Thresholds that decide when two folded names are one spelling.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusteringRules {
    /// Folded names shorter than this must be identical before doubled letters collapse
    /// (`Baas` is not `Bass`).
    pub min_folded_length: usize,
    /// Names that differ in vowels must be at least this Jaro-Winkler-similar once folded.
    pub min_jaro_winkler: f64,
}

impl Default for ClusteringRules {
    fn default() -> Self {
        ClusteringRules {
            min_folded_length: 5,
            min_jaro_winkler: 0.78,
        }
    }
}

/// Words of one language that decide what counts as a name no rule lists.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NameWordsData {
    #[serde(default)]
    titles: Vec<String>,
    #[serde(default)]
    common_words: Vec<String>,
    #[serde(default)]
    capitalised_nouns: Option<bool>,
}

/// The kind of an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A sovereign state.
    Country,
    /// A city, region, sea or continent.
    Place,
    /// A person.
    Person,
    /// An organisation, company or alliance.
    Organisation,
    /// A side or grouping in a conflict; other entities name it as their `side`.
    Faction,
}

/// How a mention names its entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum MentionKind {
    /// A name, or one of its inflected forms (`Northlands`).
    Name,
    /// An adjective (`Northlandic`).
    Adjective,
    /// A word for its people (`Northlanders`).
    Demonym,
    /// A description standing in for the name (`the NWU's top envoy`).
    Role,
}

/// A canonical entity of the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    /// Canonical id (`northland`), shared with every mention of the entity.
    pub id: Arc<str>,
    /// What it is.
    pub kind: EntityKind,
    /// Canonical display name (`Northland`), shared likewise.
    pub name: Arc<str>,
    /// The faction it belongs to, if any.
    pub side: Option<String>,
}

/// One form of the trie: which entity it names, how, and in which language.
#[derive(Clone, Debug)]
struct Target {
    entity: u32,
    kind: MentionKind,
    /// Language code, or [`ANY_LANGUAGE`].
    lang: String,
    /// True when an inflection rule made it from a listed form.
    inflected: bool,
    /// Bytes of the uninflected name at its start, when the form is the name plus a suffix.
    name_len: usize,
}

/// A byte trie of forms being built.
#[derive(Clone, Debug, Default)]
struct TrieBuilder {
    nodes: Vec<TrieNode>,
    /// The [`first_words_keys`] of each form that has them.
    first_words: Vec<u64>,
}

#[derive(Clone, Debug, Default)]
struct TrieNode {
    /// Sorted by byte.
    edges: Vec<(u8, u32)>,
    targets: Vec<u32>,
}

impl TrieBuilder {
    fn insert(&mut self, key: &str, target: u32) {
        if self.nodes.is_empty() {
            self.nodes.push(TrieNode::default());
        }
        let mut node = 0usize;
        for &byte in key.as_bytes() {
            let edges = &self.nodes[node].edges;
            node = match edges.binary_search_by_key(&byte, |(b, _)| *b) {
                Ok(index) => edges[index].1 as usize,
                Err(index) => {
                    let fresh = self.nodes.len();
                    self.nodes.push(TrieNode::default());
                    self.nodes[node].edges.insert(index, (byte, fresh as u32));
                    fresh
                }
            };
        }
        if !self.nodes[node].targets.contains(&target) {
            self.nodes[node].targets.push(target);
        }
        if let Some(keys) = first_words_keys(key) {
            self.first_words.extend(keys);
        }
    }

    /// The trie with every node's edges and targets in two contiguous arrays.
    fn build(self) -> Trie {
        let mut trie = Trie {
            first_words: FirstWords::new(&self.first_words),
            ..Trie::default()
        };
        for node in self.nodes {
            trie.nodes.push(CompactNode {
                edges: span_of(trie.edges.len(), node.edges.len()),
                targets: span_of(trie.targets.len(), node.targets.len()),
            });
            trie.edges.extend(node.edges);
            trie.targets.extend(node.targets);
        }
        if let Some(root) = trie.nodes.first() {
            trie.first_step = vec![NO_NODE; 256];
            let (start, length) = root.edges;
            for &(byte, child) in &trie.edges[start as usize..(start + length) as usize] {
                trie.first_step[usize::from(byte)] = child;
            }
        }
        trie
    }
}

/// `(start, length)` as the compact trie stores them.
fn span_of(start: usize, length: usize) -> (u32, u32) {
    (start as u32, length as u32)
}

/// A byte trie of forms: walking it from a position finds every form starting there. The edges
/// and targets of all nodes lie in two arrays, so a walk touches little memory: it runs at
/// nearly every word of every document.
#[derive(Clone, Debug, Default)]
struct Trie {
    /// The first words of the forms, to skip walks that cannot find one.
    first_words: FirstWords,
    /// The root's child for each byte, or [`NO_NODE`] (empty for an empty trie): the first
    /// step of a walk is an index instead of a search among the root's many edges.
    first_step: Vec<u32>,
    nodes: Vec<CompactNode>,
    edges: Vec<(u8, u32)>,
    targets: Vec<u32>,
}

/// The first words of a trie's forms as a set of bits, set by the keys [`TrieBuilder::insert`]
/// gives each form: a word whose key finds no bit set starts no form, which tells most words of
/// a text from the forms with one look-up in a few kilobytes instead of a trie walk. Two keys may
/// share a bit, so a set bit only lets the walk run. See [`EntityBook::may_start_form`].
#[derive(Clone, Debug, Default)]
struct FirstWords {
    /// A power-of-two number of bits (none for a trie without forms).
    bits: Vec<u64>,
}

impl FirstWords {
    /// About sixteen bits per distinct key, so few other keys find a bit set.
    fn new(keys: &[u64]) -> Self {
        let mut distinct = keys.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.is_empty() {
            return FirstWords::default();
        }
        let words = (distinct.len() * 16).next_power_of_two().div_ceil(64);
        let mut filter = FirstWords {
            bits: vec![0; words],
        };
        for key in distinct {
            let (word, bit) = filter.position(key);
            filter.bits[word] |= bit;
        }
        filter
    }

    /// The word of [`FirstWords::bits`] and the bit in it for `key`.
    fn position(&self, key: u64) -> (usize, u64) {
        let index = key as usize & (self.bits.len() * 64 - 1);
        (index / 64, 1 << (index % 64))
    }

    /// False when `key` is none of the keys the set was made of.
    fn may_contain(&self, key: u64) -> bool {
        if self.bits.is_empty() {
            return false;
        }
        let (word, bit) = self.position(key);
        self.bits[word] & bit != 0
    }
}

/// Mixed into the key of a form's first token to say that the form has no other token.
const ONE_TOKEN: u64 = 0x5bd1_e995_c6a4_a793;

/// The keys of a form in [`FirstWords`], when it starts with a letter or digit: the key of its
/// first token (see [`first_token_key`]), and that key with [`ONE_TOKEN`] for a form of one token
/// or [`pair_key`] with its second token's hash. A form found in a text is those bytes of the
/// text, and a token is a whole run of letters and digits or one other character but
/// whitespace (as [`tokenize`] cuts them), so the text has the form's first tokens where it
/// starts.
fn first_words_keys(form: &str) -> Option<[u64; 2]> {
    let first_end = form
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(form.len());
    let &first_byte = form.as_bytes().first().filter(|_| first_end > 0)?;
    let first = first_token_key(token_hash(&form[..first_end]), first_byte);
    let rest = form[first_end..].trim_start();
    let Some(c) = rest.chars().next() else {
        return Some([first, first ^ ONE_TOKEN]);
    };
    let second_end = if c.is_alphanumeric() {
        rest.find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len())
    } else {
        c.len_utf8()
    };
    Some([first, pair_key(first, token_hash(&rest[..second_end]))])
}

/// The [`Token::hash`] a token written `text` gets.
fn token_hash(text: &str) -> u64 {
    if text.is_ascii() {
        word_hash(&text.to_ascii_lowercase())
    } else {
        word_hash(&fold(text))
    }
}

/// The key of a word's first token in [`FirstWords`]: its [`Token::hash`], of the lower-cased
/// token, mixed with its first byte as written, so that `us` and `may` do not pass for `US` and
/// `May`.
fn first_token_key(hash: u64, first_byte: u8) -> u64 {
    hash ^ u64::from(first_byte).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The key in [`FirstWords`] of a form's first two tokens, from the first's key and the
/// second's hash.
fn pair_key(first: u64, second: u64) -> u64 {
    first.rotate_left(29) ^ second
}

/// No child in [`Trie::first_step`] (the root is no node's child).
const NO_NODE: u32 = 0;

/// A node of [`Trie`]: its edges and targets as `(start, length)` in the trie's arrays.
#[derive(Clone, Copy, Debug, Default)]
struct CompactNode {
    edges: (u32, u32),
    targets: (u32, u32),
}

impl Trie {
    /// Every `(length, targets)` of a form that is a prefix of `bytes`, shortest first.
    fn prefixes<'a>(&'a self, bytes: &'a [u8]) -> impl Iterator<Item = (usize, &'a [u32])> + 'a {
        let mut node = 0usize;
        bytes.iter().enumerate().map_while(move |(i, byte)| {
            let next = if i == 0 {
                let child = *self.first_step.get(usize::from(*byte))?;
                (child != NO_NODE).then_some(child as usize)?
            } else {
                let (start, length) = self.nodes[node].edges;
                let edges = &self.edges[start as usize..(start + length) as usize];
                edges
                    .binary_search_by_key(byte, |(b, _)| *b)
                    .ok()
                    .map(|index| edges[index].1 as usize)?
            };
            node = next;
            let (start, length) = self.nodes[next].targets;
            Some((
                i + 1,
                &self.targets[start as usize..(start + length) as usize],
            ))
        })
    }
}

/// Name-detection words of one language, compiled.
#[derive(Clone, Debug, Default)]
struct NameWords {
    titles: HashSet<String>,
    /// The first byte of each title: a word starting with another byte is no title, which
    /// spares hashing most words.
    title_initials: ByteSet,
    common_words: HashSet<String>,
    capitalised_nouns: bool,
}

impl NameWords {
    /// True when `word` (any case), whose first token is `first`, is one of the common words.
    /// The token of a word of one ASCII token is its lower case already; another word is
    /// lower-cased into `lower`.
    fn is_common(&self, word: &str, first: &Token, lower: &mut String) -> bool {
        if first.end - first.start == word.len() && word.is_ascii() {
            return self.common_words.contains(&*first.folded);
        }
        lower_case_into(word, lower);
        self.common_words.contains(lower.as_str())
    }

    /// True when `word` is one of the titles.
    fn is_title(&self, word: &str) -> bool {
        word.as_bytes()
            .first()
            .is_some_and(|&byte| self.title_initials.contains(byte))
            && self.titles.contains(word)
    }
}

/// A set of bytes, one bit each.
#[derive(Clone, Copy, Debug, Default)]
struct ByteSet([u64; 4]);

impl ByteSet {
    fn contains(&self, byte: u8) -> bool {
        self.0[usize::from(byte / 64)] & 1 << (byte % 64) != 0
    }
}

impl FromIterator<u8> for ByteSet {
    fn from_iter<I: IntoIterator<Item = u8>>(bytes: I) -> Self {
        let mut set = ByteSet::default();
        for byte in bytes {
            set.0[usize::from(byte / 64)] |= 1 << (byte % 64);
        }
        set
    }
}

/// Transliteration folding, compiled.
#[derive(Clone, Debug, Default)]
struct Folding {
    particles: Vec<String>,
    /// The first byte of each particle that starts with an ASCII character: an ASCII word
    /// starting with none of them has no particle, which spares testing each particle at most
    /// words.
    particle_initials: ByteSet,
    /// `(from, to, bytes and pairs of from)`: see [`BytesAndPairs`].
    equivalences: Vec<(String, String, BytesAndPairs)>,
    /// The vowels that are ASCII: a folded name holds no other.
    vowels: ByteSet,
}

impl Folding {
    /// The folding of `particles` (in any case), `equivalences` (applied in turn) and `vowels`.
    fn new(particles: &[String], equivalences: &[(String, String)], vowels: &str) -> Self {
        let particles: Vec<String> = particles.iter().map(|p| p.to_lowercase()).collect();
        let particle_initials = particles
            .iter()
            .filter_map(|p| p.bytes().next())
            .filter(u8::is_ascii)
            .collect();
        Folding {
            particles,
            particle_initials,
            equivalences: equivalences
                .iter()
                .map(|(from, to)| {
                    let from_bytes = BytesAndPairs::of(from.as_bytes());
                    (from.clone(), to.clone(), from_bytes)
                })
                .collect(),
            vowels: vowels.bytes().filter(u8::is_ascii).collect(),
        }
    }
}

/// A name reduced for comparison: `al-Hamdan` → `hamdan`. Each is ASCII, kept as bytes: most
/// are only compared, and a check of each for UTF-8 would cost more than the comparisons.
#[derive(Clone, Debug, PartialEq, Eq)]
struct FoldedName {
    /// Letters and digits, words split by one space, particles stripped, equivalences applied,
    /// doubled letters collapsed.
    folded: Vec<u8>,
    /// The same before doubled letters collapse.
    uncollapsed: Vec<u8>,
    /// `folded` with every vowel written `*`: names that differ only in vowels share it.
    shape: Vec<u8>,
}

impl FoldedName {
    /// How similar two folded names are (Jaro-Winkler).
    fn similarity(&self, other: &FoldedName) -> f64 {
        strsim::jaro_winkler(self.folded_text(), other.folded_text())
    }

    /// [`FoldedName::folded`] as text.
    fn folded_text(&self) -> &str {
        std::str::from_utf8(&self.folded).expect("a folded name is ASCII")
    }
}

/// The canonical entities of `rules/entities/*.yaml`.
#[derive(Clone, Debug, Default)]
pub struct EntityBook {
    /// Which book this is: each compiled book has its own, and its clones share it; a default
    /// book has 0.
    stamp: u64,
    entities: Vec<Entity>,
    by_id: HashMap<String, u32>,
    trie: Trie,
    targets: Vec<Target>,
    /// Per entity: the (kind, language) pairs that have a list of their own.
    own_lists: Vec<Vec<(MentionKind, String)>>,
    /// (entity, lowercase form or word of a form) → the (kind, language) lists it comes from.
    language_forms: HashMap<(u32, String), Vec<(MentionKind, String)>>,
    name_words: BTreeMap<String, NameWords>,
    folding: Folding,
    clustering: ClusteringRules,
}

/// A mention found by the trie.
#[derive(Clone, Copy, Debug)]
struct Found {
    end: usize,
    target: u32,
}

/// The longest mentions at one position.
#[derive(Clone, Copy, Debug, Default)]
struct Longest {
    /// Roles left out: a name.
    name: Option<Found>,
    /// Roles included: any entity extent.
    entity: Option<Found>,
}

/// Names no rule lists, as written, with their id and name (`None` when nothing of one is left
/// once folded).
type UnknownNames = HashMap<String, Option<(Arc<str>, Arc<str>)>>;

/// What [`name_mentions_into`] learned about a text: the longest entity mention (roles
/// included) at each word start it looked up, so that [`EntityMatches::match_at`] there needs
/// no second walk of the trie, and the names no rule lists it met, so that each is folded once.
///
/// The names met are kept across calls with one book; a call with another book forgets them,
/// since that book may fold them otherwise.
#[derive(Clone, Debug, Default)]
pub struct EntityMatches {
    /// (word start, mention there), in text order, of the last call.
    found: Vec<(usize, Option<Found>)>,
    /// The names no rule lists met by every call since the book changed.
    unknown: UnknownNames,
    /// [`EntityBook::stamp`] of the book the names in `unknown` were folded by.
    book: u64,
}

impl EntityMatches {
    /// [`EntityBook::match_at`] for the text and language of the last [`name_mentions_into`]
    /// that filled this.
    pub fn match_at(
        &self,
        book: &EntityBook,
        text: &str,
        start: usize,
        lang: &str,
    ) -> Option<(usize, EntityRef)> {
        let found = match self.found.binary_search_by_key(&start, |(at, _)| *at) {
            Ok(index) => self.found[index].1,
            Err(_) => book.longest_at(text, start, lang).entity,
        }?;
        Some(book.found_ref(text, start, found))
    }
}

/// Everything the files say, before compiling.
#[derive(Default)]
struct Collected {
    /// Each entity with the index of its file.
    entities: Vec<(EntityData, usize)>,
    inflections: BTreeMap<String, InflectionData>,
    folding: FoldingData,
    clustering: Option<ClusteringRules>,
    name_words: BTreeMap<String, NameWordsData>,
}

impl EntityBook {
    /// Loads entity files, reporting every error at once.
    pub fn from_files(files: &[RuleFile]) -> Result<Self, Vec<RuleError>> {
        let mut errors = Vec::new();
        let mut collected = Collected::default();
        for (file_index, file) in files.iter().enumerate() {
            match parse_yaml::<EntityFile>(file) {
                Ok(parsed) => collect_file(file_index, file, parsed, &mut collected, &mut errors),
                Err(error) => errors.push(error),
            }
        }
        check_entities(files, &collected.entities, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(EntityBook::compile(collected))
    }

    fn compile(collected: Collected) -> Self {
        let folding = &collected.folding;
        let mut book = EntityBook {
            folding: Folding::new(
                &folding.particles,
                &folding.equivalences,
                folding.vowels.as_deref().unwrap_or("aeiouy"),
            ),
            stamp: NEXT_BOOK_STAMP.fetch_add(1, Ordering::Relaxed),
            clustering: collected.clustering.clone().unwrap_or_default(),
            name_words: compile_name_words(&collected.name_words),
            ..EntityBook::default()
        };
        let mut trie = TrieBuilder::default();
        for (data, _) in &collected.entities {
            let index = book.entities.len() as u32;
            book.by_id.insert(data.id.clone(), index);
            book.entities.push(Entity {
                id: data.id.as_str().into(),
                kind: data.kind,
                name: data.name.as_str().into(),
                side: data.side.clone(),
            });
            let lists = [
                (MentionKind::Name, &data.names),
                (MentionKind::Adjective, &data.adjectives),
                (MentionKind::Demonym, &data.demonyms),
                (MentionKind::Role, &data.roles),
            ];
            book.own_lists.push(
                lists
                    .iter()
                    .flat_map(|(kind, lists)| lists.keys().map(|lang| (*kind, lang.clone())))
                    .collect(),
            );
            for (kind, lists) in lists {
                for (lang, forms) in lists {
                    // An `any` list is inflected by the rules of each language it holds for.
                    let inflecting: Vec<(&str, &InflectionData)> = if lang == ANY_LANGUAGE {
                        collected
                            .inflections
                            .iter()
                            .filter(|(code, _)| !lists.contains_key(code.as_str()))
                            .map(|(code, rules)| (code.as_str(), rules))
                            .collect()
                    } else {
                        collected
                            .inflections
                            .get(lang)
                            .map(|rules| vec![(lang.as_str(), rules)])
                            .unwrap_or_default()
                    };
                    for form in forms {
                        book.add_form(&mut trie, index, kind, lang, form, None);
                        for (code, rules) in &inflecting {
                            for inflected in inflect(form, rules.for_kind(kind)) {
                                book.add_form(&mut trie, index, kind, code, &inflected, Some(form));
                            }
                        }
                    }
                }
            }
        }
        book.trie = trie.build();
        book
    }

    /// Adds a form, listed or inflected from the listed form `base`, and its capitalised variant.
    fn add_form(
        &mut self,
        trie: &mut TrieBuilder,
        entity: u32,
        kind: MentionKind,
        lang: &str,
        form: &str,
        base: Option<&str>,
    ) {
        let name_len = match base {
            Some(base) if form.starts_with(base) => base.len(),
            _ => form.len(),
        };
        let target = self.targets.len() as u32;
        self.targets.push(Target {
            entity,
            kind,
            lang: lang.to_string(),
            inflected: base.is_some(),
            name_len,
        });
        trie.insert(form, target);
        if let Some(capitalised) = capitalise_first(form) {
            trie.insert(&capitalised, target);
        }
        self.record_language_form(entity, kind, lang, form);
    }

    fn record_language_form(&mut self, entity: u32, kind: MentionKind, lang: &str, form: &str) {
        let whole = form.to_lowercase();
        let mut keys: Vec<String> = whole
            .split_whitespace()
            .map(|word| {
                word.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_string()
            })
            .filter(|word| !word.is_empty())
            .collect();
        keys.push(whole);
        for key in keys {
            let sources = self.language_forms.entry((entity, key)).or_default();
            if !sources.iter().any(|(k, l)| *k == kind && l == lang) {
                sources.push((kind, lang.to_string()));
            }
        }
    }

    /// The longest entity mention starting at byte `start` of `text` in language `lang`: its end
    /// byte and the entity it names (an alias, demonym, genitive or role).
    pub fn match_at(&self, text: &str, start: usize, lang: &str) -> Option<(usize, EntityRef)> {
        let found = self.longest_at(text, start, lang).entity?;
        Some(self.found_ref(text, start, found))
    }

    /// The end byte and entity of a mention found at `start`.
    fn found_ref(&self, text: &str, start: usize, found: Found) -> (usize, EntityRef) {
        (
            found.end,
            self.entity_ref(text, start, found.end, found.target),
        )
    }

    /// The longest mentions at `start`, with and without roles, found in one walk.
    fn longest_at(&self, text: &str, start: usize, lang: &str) -> Longest {
        let mut longest = Longest::default();
        let Some(rest) = text.get(start..) else {
            return longest;
        };
        let before_is_word = text[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        if before_is_word || rest.is_empty() {
            return longest;
        }
        for (length, targets) in self.trie.prefixes(rest.as_bytes()) {
            if targets.is_empty() || !rest.is_char_boundary(length) {
                continue;
            }
            let after_is_word = rest[length..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
            if after_is_word {
                continue;
            }
            let mut entity: Option<(u8, u32)> = None;
            let mut name: Option<(u8, u32)> = None;
            for &target in targets {
                let Some(priority) = self.priority(target, lang) else {
                    continue;
                };
                let candidate = (priority, target);
                entity = Some(entity.map_or(candidate, |best| best.min(candidate)));
                if self.targets[target as usize].kind != MentionKind::Role {
                    name = Some(name.map_or(candidate, |best| best.min(candidate)));
                }
            }
            let found = |(_, target)| Found {
                end: start + length,
                target,
            };
            longest.entity = entity.map(found).or(longest.entity);
            longest.name = name.map(found).or(longest.name);
        }
        longest
    }

    /// False when no form starts at the first of `tokens`, the tokens of a sentence of `text`
    /// from a word on, in a sentence that ends at byte `end`. A token the end cuts may be the
    /// start of a longer run of letters, and a form may run on past the end, so they let the
    /// walk run.
    fn may_start_form(&self, text: &str, tokens: &[Token], end: usize) -> bool {
        let [first, rest @ ..] = tokens else {
            return true;
        };
        if first.end >= end {
            return true;
        }
        let filter = &self.trie.first_words;
        let key = first_token_key(first.hash, text.as_bytes()[first.start]);
        // Most words end here.
        if !filter.may_contain(key) {
            return false;
        }
        if filter.may_contain(key ^ ONE_TOKEN) {
            return true;
        }
        rest.first().is_none_or(|second| {
            second.end >= end || filter.may_contain(pair_key(key, second.hash))
        })
    }

    /// 0 for a form of `lang`'s own lists, 1 for another language's uninflected name, `None`
    /// when the form does not hold in `lang`.
    fn priority(&self, target: u32, lang: &str) -> Option<u8> {
        let target = &self.targets[target as usize];
        if self.list_holds(target.entity, target.kind, &target.lang, lang) {
            Some(0)
        } else if target.kind == MentionKind::Name && !target.inflected {
            Some(1)
        } else {
            None
        }
    }

    /// True when the list of `kind` for `list_lang` is the one used for `lang`: its own list,
    /// or the `any` list when `lang` has none of its own.
    fn list_holds(&self, entity: u32, kind: MentionKind, list_lang: &str, lang: &str) -> bool {
        list_lang == lang
            || (list_lang == ANY_LANGUAGE
                && !self.own_lists[entity as usize]
                    .iter()
                    .any(|(k, l)| *k == kind && l == lang))
    }

    fn entity_ref(&self, text: &str, start: usize, end: usize, target: u32) -> EntityRef {
        let entity = &self.entities[self.targets[target as usize].entity as usize];
        EntityRef {
            id: entity.id.clone(),
            name: entity.name.clone(),
            surface: text[start..end].to_string(),
            span: Span::new(start, end),
        }
    }

    /// True when `id` is a canonical entity or grouping of the rules.
    pub fn contains(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    /// The entity with canonical id `id`.
    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.by_id.get(id).map(|&i| &self.entities[i as usize])
    }

    /// Every entity, in file order.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// The grouping (side, faction) an entity belongs to, when the rules give one. A faction is
    /// its own side.
    pub fn side_of(&self, id: &str) -> Option<&str> {
        let entity = self.get(id)?;
        match (&entity.side, entity.kind) {
            (Some(side), _) => Some(side.as_str()),
            (None, EntityKind::Faction) => Some(&*entity.id),
            (None, _) => None,
        }
    }

    /// True when `form` (any case) is written in one of the lists that hold for `lang` of the
    /// entity `id`, as a whole form or as one of its words: a listed Dutch form for a person in `nl`.
    pub fn is_language_form(&self, id: &str, form: &str, lang: &str) -> bool {
        let Some(&entity) = self.by_id.get(id) else {
            return false;
        };
        self.language_forms
            .get(&(entity, form.to_lowercase()))
            .is_some_and(|sources| {
                sources
                    .iter()
                    .any(|(kind, list_lang)| self.list_holds(entity, *kind, list_lang, lang))
            })
    }

    /// The thresholds used to compare spellings.
    pub fn clustering(&self) -> &ClusteringRules {
        &self.clustering
    }

    /// True when two names no rule relates are spellings of one name: equal once folded
    /// (`Smith`/`Smyth`, `Morel`/`Morrel`, `Hamdan`/`al-Hamdan`), or differing only in
    /// vowels and similar enough (`Kaspar`/`Kispar`, `Mustafa`/`Mostafa`).
    pub fn same_spelling(&self, a: &str, b: &str) -> bool {
        self.spellings_match(&self.fold_name(a), &self.fold_name(b))
    }

    fn spellings_match(&self, a: &FoldedName, b: &FoldedName) -> bool {
        if a.shape != b.shape || a.folded.is_empty() {
            return false;
        }
        // ASCII: one byte a character.
        let long_enough = a.folded.len() >= self.clustering.min_folded_length;
        if a.folded == b.folded {
            return long_enough || a.uncollapsed == b.uncollapsed;
        }
        long_enough && a.similarity(b) >= self.clustering.min_jaro_winkler
    }

    /// The folded form of a name, as used in unknown ids (`Kispar` → `kispar`).
    pub fn fold(&self, name: &str) -> String {
        let mut folded = self.fold_uncollapsed(name);
        collapse_doubles(&mut folded);
        String::from_utf8(folded).expect("a folded name is ASCII")
    }

    fn fold_name(&self, name: &str) -> FoldedName {
        let uncollapsed = self.fold_uncollapsed(name);
        let mut folded = uncollapsed.clone();
        collapse_doubles(&mut folded);
        let mut shape = folded.clone();
        for byte in &mut shape {
            if self.folding.vowels.contains(*byte) {
                *byte = b'*';
            }
        }
        FoldedName {
            folded,
            uncollapsed,
            shape,
        }
    }

    /// [`FoldedName::uncollapsed`] of a name: its transliteration in lower case, words split by
    /// white space, each without its leading particle, then the equivalences applied in turn,
    /// then of each word only its letters and digits, words left empty dropped.
    ///
    /// The transliteration is ASCII, so all of it works byte by byte.
    fn fold_uncollapsed(&self, name: &str) -> Vec<u8> {
        // The placeholder `deunicode::deunicode` writes for a character it cannot transliterate;
        // the borrowing variant spares a copy of a name that is ASCII already.
        let ascii = deunicode::deunicode_with_tofu_cow(name, "[?]");
        let mut joined = Vec::with_capacity(ascii.len());
        let words = ascii.as_bytes().split(|&byte| is_space(byte));
        for word in words.filter(|word| !word.is_empty()) {
            if !joined.is_empty() {
                joined.push(b' ');
            }
            let rest = self.without_particle(word);
            joined.extend(rest.iter().map(u8::to_ascii_lowercase));
        }
        let mut present = BytesAndPairs::of(&joined);
        let mut replaced = Vec::new();
        for (from, to, from_present) in &self.folding.equivalences {
            // A text lacking one of the bytes or pairs of `from` cannot hold it.
            if present.includes(from_present)
                && replace_into(&joined, from.as_bytes(), to.as_bytes(), &mut replaced)
            {
                std::mem::swap(&mut joined, &mut replaced);
                present = BytesAndPairs::of(&joined);
            }
        }
        keep_alphanumeric_words(joined)
    }

    /// An ASCII word without its leading particle, in any case (`Al-Hamdan` → `Hamdan`), unless
    /// the particle is all of it. A word starting with no particle's first letter is returned
    /// as is.
    fn without_particle<'w>(&self, word: &'w [u8]) -> &'w [u8] {
        let starts_particle = word.first().is_some_and(|first| {
            self.folding
                .particle_initials
                .contains(first.to_ascii_lowercase())
        });
        if !starts_particle {
            return word;
        }
        // The particles are in lower case, and ASCII lower-cases byte for byte.
        self.folding
            .particles
            .iter()
            .find_map(|particle| {
                let (head, rest) = word.split_at_checked(particle.len())?;
                (!rest.is_empty() && head.eq_ignore_ascii_case(particle.as_bytes())).then_some(rest)
            })
            .unwrap_or(word)
    }

    fn words_of(&self, lang: &str) -> Option<&NameWords> {
        self.name_words
            .get(lang)
            .or_else(|| self.name_words.get(ANY_LANGUAGE))
    }
}

/// The bytes of a text and its pairs of adjacent bytes as sets of bits: one bit per ASCII
/// lower-case letter and one for any other byte; pairs share 64 bits. A text holds a string
/// only if its sets include the string's, which spares scanning a name for most equivalences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct BytesAndPairs {
    bytes: u32,
    pairs: u64,
}

impl BytesAndPairs {
    fn of(text: &[u8]) -> Self {
        let byte_bit = |byte: u8| {
            let bit = if byte.is_ascii_lowercase() {
                byte - b'a'
            } else {
                26
            };
            1u32 << bit
        };
        let pair_bit = |pair: &[u8]| 1u64 << ((u32::from(pair[0]) * 31 + u32::from(pair[1])) % 64);
        BytesAndPairs {
            bytes: text.iter().fold(0, |bits, &byte| bits | byte_bit(byte)),
            pairs: text.windows(2).fold(0, |bits, pair| bits | pair_bit(pair)),
        }
    }

    /// True when every byte and pair of `other` is one of these.
    fn includes(&self, other: &BytesAndPairs) -> bool {
        other.bytes & !self.bytes == 0 && other.pairs & !self.pairs == 0
    }
}

/// `text` with every `from` replaced by `to`, left to right, as `str::replace` replaces, written
/// into `out`; false, and `out` left as it was, when `text` holds no `from`. `text` is ASCII, so
/// an empty `from` matches before each byte and at the end.
fn replace_into(text: &[u8], from: &[u8], to: &[u8], out: &mut Vec<u8>) -> bool {
    let Some(&first) = from.first() else {
        out.clear();
        for &byte in text {
            out.extend_from_slice(to);
            out.push(byte);
        }
        out.extend_from_slice(to);
        return true;
    };
    let mut found = false;
    let (mut at, mut copied) = (0, 0);
    while at + from.len() <= text.len() {
        // Byte by byte: a slice comparison would call `memcmp` for every window.
        let window = &text[at..at + from.len()];
        if window[0] != first || !window.iter().zip(from).all(|(a, b)| a == b) {
            at += 1;
            continue;
        }
        if !found {
            out.clear();
            found = true;
        }
        out.extend_from_slice(&text[copied..at]);
        out.extend_from_slice(to);
        at += from.len();
        copied = at;
    }
    if found {
        out.extend_from_slice(&text[copied..]);
    }
    found
}

/// Writes every run of one character of a folded name once (`morrel` → `morel`).
fn collapse_doubles(folded: &mut Vec<u8>) {
    // The fold is ASCII: a run of one character is a run of one byte.
    folded.dedup();
}

/// True for the ASCII bytes `char::is_whitespace` holds for, as `str::split_whitespace` splits
/// (ASCII white space and the vertical tab); false for every byte beyond ASCII.
fn is_space(byte: u8) -> bool {
    byte.is_ascii_whitespace() || byte == 0x0b
}

/// Of each word of an ASCII text (split as `str::split_whitespace` splits), only its letters
/// and digits, and the words left with none dropped; the words written with one space between.
fn keep_alphanumeric_words(mut bytes: Vec<u8>) -> Vec<u8> {
    // Bytes are moved down in place: what is kept never outgrows what was read.
    let mut kept = 0;
    let mut space_due = false;
    for read in 0..bytes.len() {
        let byte = bytes[read];
        if is_space(byte) {
            space_due = kept > 0;
        } else if byte.is_ascii_alphanumeric() {
            if space_due {
                bytes[kept] = b' ';
                kept += 1;
                space_due = false;
            }
            bytes[kept] = byte;
            kept += 1;
        }
    }
    bytes.truncate(kept);
    bytes
}

/// Adds one parsed file to what was collected.
fn collect_file(
    file_index: usize,
    file: &RuleFile,
    parsed: EntityFile,
    collected: &mut Collected,
    errors: &mut Vec<RuleError>,
) {
    collected.entities.extend(
        parsed
            .entities
            .into_iter()
            .map(|entity| (entity, file_index)),
    );
    for (lang, data) in parsed.inflections {
        let entry = collected.inflections.entry(lang).or_default();
        entry.names.extend(data.names);
        entry.adjectives.extend(data.adjectives);
    }
    if let Some(folding) = parsed.folding {
        for (from, to) in &folding.equivalences {
            if let Some(side) = [from, to].into_iter().find(|side| !side.is_ascii()) {
                let message = format!(
                    "folding equivalence `{from}` → `{to}` is not ASCII: names are transliterated \
                     to ASCII before equivalences apply"
                );
                errors.push(error_at_text(file, side, message));
            }
        }
        collected.folding.particles.extend(folding.particles);
        collected.folding.equivalences.extend(folding.equivalences);
        if folding.vowels.is_some() {
            collected.folding.vowels = folding.vowels;
        }
    }
    if let Some(clustering) = parsed.clustering {
        if collected.clustering.is_some() {
            errors.push(RuleError::new(
                &file.path,
                "section `clustering` is defined in two entity files",
            ));
        }
        collected.clustering = Some(clustering);
    }
    for (lang, data) in parsed.name_words {
        let entry = collected.name_words.entry(lang).or_default();
        entry.titles.extend(data.titles);
        entry.common_words.extend(data.common_words);
        if data.capitalised_nouns.is_some() {
            entry.capitalised_nouns = data.capitalised_nouns;
        }
    }
}

/// Checks ids: unique, well-formed, and every `side` naming a faction.
fn check_entities(
    files: &[RuleFile],
    entities: &[(EntityData, usize)],
    errors: &mut Vec<RuleError>,
) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let factions: Vec<&str> = entities
        .iter()
        .filter(|(e, _)| e.kind == EntityKind::Faction)
        .map(|(e, _)| e.id.as_str())
        .collect();
    for (entity, file_index) in entities {
        let file = &files[*file_index];
        if let Some(first) = seen.insert(&entity.id, &file.path) {
            let message = format!(
                "duplicate entity id `{}` (first defined in {first})",
                entity.id
            );
            errors.push(located_error(file, &entity.id, message, true));
        }
        let well_formed = !entity.id.is_empty()
            && entity
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !well_formed {
            let message = format!(
                "entity id `{}` must be lower-case ASCII letters, digits and `_`",
                entity.id
            );
            errors.push(located_error(file, &entity.id, message, false));
        }
        if let Some(side) = entity.side.as_deref().filter(|s| !factions.contains(s)) {
            let hint = crate::rules::nearest_name(side, &factions)
                .map(|best| format!("; did you mean `{best}`?"))
                .unwrap_or_default();
            let message = format!("side `{side}` of `{}` is not a faction{hint}", entity.id);
            errors.push(located_error(file, &entity.id, message, false));
        }
    }
}

/// An error at the first line of `file` that holds `text`.
fn error_at_text(file: &RuleFile, text: &str, message: String) -> RuleError {
    let position = file.text.lines().enumerate().find_map(|(number, line)| {
        line.find(text)
            .map(|at| (number + 1, line[..at].chars().count() + 1))
    });
    RuleError {
        file: file.path.clone(),
        line: position.map(|(line, _)| line),
        column: position.map(|(_, column)| column),
        message,
    }
}

/// An error at the line that defines entity `id` in `file` (its last definition when `last`).
fn located_error(file: &RuleFile, id: &str, message: String, last: bool) -> RuleError {
    let mut positions = file
        .text
        .lines()
        .enumerate()
        .filter_map(|(number, line)| id_column(line, id).map(|column| (number + 1, column)));
    let position = if last {
        positions.last()
    } else {
        positions.next()
    };
    RuleError {
        file: file.path.clone(),
        line: position.map(|(line, _)| line),
        column: position.map(|(_, column)| column),
        message,
    }
}

/// The 1-based column of `id: <id>` in a YAML line, block or flow style.
fn id_column(line: &str, id: &str) -> Option<usize> {
    line.match_indices("id:").find_map(|(at, _)| {
        let starts_key = line[..at]
            .chars()
            .next_back()
            .is_none_or(|c| c == ' ' || c == '{' || c == '-');
        let value = line[at + 3..]
            .split([',', '}', '#'])
            .next()
            .unwrap_or_default()
            .trim()
            .trim_matches(['"', '\'']);
        (starts_key && value == id).then(|| line[..at].chars().count() + 1)
    })
}

fn compile_name_words(data: &BTreeMap<String, NameWordsData>) -> BTreeMap<String, NameWords> {
    data.iter()
        .map(|(lang, words)| {
            (
                lang.clone(),
                NameWords {
                    titles: words.titles.iter().cloned().collect(),
                    title_initials: words
                        .titles
                        .iter()
                        .filter_map(|title| title.as_bytes().first().copied())
                        .collect(),
                    common_words: words
                        .common_words
                        .iter()
                        .map(|w| w.to_lowercase())
                        .collect(),
                    capitalised_nouns: words.capitalised_nouns.unwrap_or(false),
                },
            )
        })
        .collect()
}

/// The inflected forms of `form`, by the rules with the longest ending it has: that ending
/// replaced by each of the rules' forms.
fn inflect(form: &str, rules: &[EndingRule]) -> Vec<String> {
    let longest = rules
        .iter()
        .filter(|rule| form.ends_with(rule.ending.as_str()))
        .map(|rule| rule.ending.len())
        .max();
    let mut out: Vec<String> = Vec::new();
    for rule in rules
        .iter()
        .filter(|rule| Some(rule.ending.len()) == longest)
    {
        let stem = &form[..form.len() - rule.ending.len()];
        for ending in &rule.forms {
            let inflected = format!("{stem}{ending}");
            if inflected != form && !out.contains(&inflected) {
                out.push(inflected);
            }
        }
    }
    out
}

impl InflectionData {
    /// The rules for mentions of `kind`: names and adjectives inflect, other kinds do not.
    fn for_kind(&self, kind: MentionKind) -> &[EndingRule] {
        match kind {
            MentionKind::Name => &self.names,
            MentionKind::Adjective => &self.adjectives,
            MentionKind::Demonym | MentionKind::Role => &[],
        }
    }
}

/// `form` with its first letter upper-cased, when that letter is lower case.
fn capitalise_first(form: &str) -> Option<String> {
    let first = form.chars().next()?;
    if !first.is_lowercase() {
        return None;
    }
    let rest = &form[first.len_utf8()..];
    Some(first.to_uppercase().chain(rest.chars()).collect())
}

/// The person, place and organisation names written in `span` of `text`: known entities and
/// capitalized names no rule lists (with an id of `~` and their folded form).
///
/// Known mentions are names, adjectives and demonyms (roles are descriptions, not names); a
/// genitive or other suffix added to a name is left out of the mention (`Kaspars` → `Kaspar`).
/// An unknown name is a run of capitalised words separated by single spaces, none of them a
/// title or a common word of the language; in a language that capitalises its nouns, it must
/// follow a title.
pub fn name_mentions(text: &str, span: Span, lang: &str, book: &EntityBook) -> Vec<EntityRef> {
    let tokens = tokenize(text, Span::new(span.start, span.end.min(text.len())));
    name_mentions_into(
        text,
        span,
        lang,
        book,
        &tokens,
        &mut EntityMatches::default(),
    )
}

/// [`name_mentions`] for a caller that has the `tokens` of `span` already, keeping in `matches`
/// the entity mentions it looked up on the way and the names no rule lists it folded (kept for
/// the next call with the same `book`: see [`EntityMatches`]).
pub fn name_mentions_into(
    text: &str,
    span: Span,
    lang: &str,
    book: &EntityBook,
    tokens: &[Token],
    matches: &mut EntityMatches,
) -> Vec<EntityRef> {
    matches.found.clear();
    if matches.book != book.stamp {
        matches.unknown.clear();
        matches.book = book.stamp;
    }
    let met = &mut matches.unknown;
    let end = span.end.min(text.len());
    let no_words = NameWords::default();
    let words = book.words_of(lang).unwrap_or(&no_words);
    let mut mentions = Vec::new();
    let mut unknown: Option<Span> = None;
    let mut previous_end = span.start;
    let mut previous_was_title = false;
    let mut skip_until = span.start;
    let mut lower = String::new();
    for (word, from_word) in word_spans(text, tokens) {
        if word.start < skip_until {
            continue;
        }
        let joined = unknown.is_some() && &text[previous_end..word.start] == " ";
        if !joined {
            flush_unknown(text, &mut unknown, book, met, &mut mentions);
        }
        let follows_title = previous_was_title && text[previous_end..word.start].trim().is_empty();
        previous_end = word.end;
        let surface = &text[word.start..word.end];
        previous_was_title = words.is_title(surface);
        let longest = if book.may_start_form(text, from_word, end) {
            book.longest_at(text, word.start, lang)
        } else {
            Longest::default()
        };
        matches.found.push((word.start, longest.entity));
        if let Some(found) = longest.name.filter(|f| f.end <= end) {
            flush_unknown(text, &mut unknown, book, met, &mut mentions);
            let target = &book.targets[found.target as usize];
            let name_end = if target.inflected && target.name_len < found.end - word.start {
                word.start + target.name_len
            } else {
                found.end
            };
            mentions.push(book.entity_ref(text, word.start, name_end, found.target));
            skip_until = found.end;
            previous_end = found.end;
            previous_was_title = false;
            continue;
        }
        let may_start = !words.capitalised_nouns || follows_title || unknown.is_some();
        // The cheap tests first: in a language that capitalises its nouns, most words may
        // start no name.
        if may_start
            && !previous_was_title
            && is_name_word(surface, &book.folding)
            && !words.is_common(surface, &from_word[0], &mut lower)
        {
            unknown = Some(match unknown {
                Some(open) => Span::new(open.start, word.end),
                None => word,
            });
        } else {
            flush_unknown(text, &mut unknown, book, met, &mut mentions);
        }
    }
    flush_unknown(text, &mut unknown, book, met, &mut mentions);
    mentions
}

/// Emits the unknown name being collected, if any (inlined: at most words there is none).
#[inline]
fn flush_unknown(
    text: &str,
    unknown: &mut Option<Span>,
    book: &EntityBook,
    met: &mut UnknownNames,
    mentions: &mut Vec<EntityRef>,
) {
    if let Some(span) = unknown.take() {
        push_unknown(text, span, book, met, mentions);
    }
}

/// Adds the name no rule lists written at `span`, unless nothing of it is left once folded;
/// `met` keeps the id and name of each name met, so that a name written again is not folded
/// again.
fn push_unknown(
    text: &str,
    span: Span,
    book: &EntityBook,
    met: &mut UnknownNames,
    mentions: &mut Vec<EntityRef>,
) {
    let surface = &text[span.start..span.end];
    let known = match met.get(surface) {
        Some(known) => known.clone(),
        None => {
            let made = unknown_name(book, surface);
            met.insert(surface.to_string(), made.clone());
            made
        }
    };
    if let Some((id, name)) = known {
        mentions.push(EntityRef {
            id,
            name,
            surface: surface.to_string(),
            span,
        });
    }
}

/// The id and name of the name no rule lists written `surface`, unless nothing of it is left
/// once folded.
fn unknown_name(book: &EntityBook, surface: &str) -> Option<(Arc<str>, Arc<str>)> {
    let folded = book.fold(surface);
    if folded.is_empty() {
        return None;
    }
    let mut id = String::with_capacity(UNKNOWN_PREFIX.len_utf8() + folded.len());
    id.push(UNKNOWN_PREFIX);
    id.push_str(&folded);
    Some((id.into(), surface.into()))
}

/// True when `word` starts with a capital letter, possibly after a particle (`el-Tassi`).
fn is_name_word(word: &str, folding: &Folding) -> bool {
    let Some(&first_byte) = word.as_bytes().first() else {
        return false;
    };
    if first_byte.is_ascii() {
        // Most words: one look-up.
        let starts_particle = folding
            .particle_initials
            .contains(first_byte.to_ascii_lowercase());
        if !starts_particle {
            return first_byte.is_ascii_uppercase();
        }
    } else {
        let first = word.chars().next().unwrap_or_default();
        let first_lower = first.to_lowercase().next().unwrap_or(first);
        let starts_particle = folding
            .particles
            .iter()
            .any(|particle| particle.starts_with(first_lower));
        if !starts_particle {
            return first.is_uppercase();
        }
    }
    let ascii = word.is_ascii();
    // What is left after a particle ends `word`: an ASCII word without a capital has none.
    if ascii && !word.bytes().any(|byte| byte.is_ascii_uppercase()) {
        return false;
    }
    let rest = folding
        .particles
        .iter()
        .find_map(|particle| {
            if ascii {
                // ASCII lower-cases byte for byte.
                let head = word.get(..particle.len())?;
                head.eq_ignore_ascii_case(particle)
                    .then(|| &word[particle.len()..])
            } else {
                strip_prefix_any_case(word, particle)
            }
        })
        .unwrap_or(word);
    rest.chars().next().is_some_and(char::is_uppercase)
}

/// `word` without its leading characters when they lower-case to exactly `lower_prefix`.
/// Lower-casing may change a character's length (`K`, the Kelvin sign, becomes `k`), so the
/// cut is found character by character rather than at `lower_prefix`'s length.
fn strip_prefix_any_case<'w>(word: &'w str, lower_prefix: &str) -> Option<&'w str> {
    let mut expected = lower_prefix.chars().peekable();
    for (index, c) in word.char_indices() {
        if expected.peek().is_none() {
            return Some(&word[index..]);
        }
        for lower in c.to_lowercase() {
            if expected.next() != Some(lower) {
                return None;
            }
        }
    }
    expected.peek().is_none().then_some("")
}

/// The words of a sentence as spans of `text`, from the sentence's `tokens`: runs of letters and
/// digits, joined by single inner hyphens (`Noord-Afrikaanse`, `al-Hamdan`), each with the
/// tokens from its first on.
fn word_spans<'t, 'a>(
    text: &'t str,
    tokens: &'t [Token<'a>],
) -> impl Iterator<Item = (Span, &'t [Token<'a>])> + 't {
    let is_word = |token: &Token| {
        let byte = text.as_bytes()[token.start];
        if byte.is_ascii() {
            byte.is_ascii_alphanumeric()
        } else {
            text[token.start..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        }
    };
    let is_hyphen = |token: &Token| &text[token.start..token.end] == "-";
    let mut index = 0;
    std::iter::from_fn(move || {
        while let Some(token) = tokens.get(index) {
            let first = index;
            index += 1;
            if !is_word(token) {
                continue;
            }
            let mut end = token.end;
            while let [hyphen, next, ..] = &tokens[index..] {
                if hyphen.start != end
                    || next.start != hyphen.end
                    || !is_hyphen(hyphen)
                    || !is_word(next)
                {
                    break;
                }
                end = next.end;
                index += 2;
            }
            return Some((Span::new(token.start, end), &tokens[first..]));
        }
        None
    })
}

/// One way of writing an entity, and where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantForm {
    /// The form as written (`Kispar`).
    pub form: String,
    /// Indices into the mention claims given to [`spelling_variants`].
    pub mentions: Vec<usize>,
    /// True when the form is the language's own name for the entity (a listed Dutch form), not a
    /// spelling variant.
    pub language_form: bool,
}

/// An entity written in more than one way across the documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantGroup {
    /// Canonical display name.
    pub entity: String,
    /// The forms, sorted.
    pub forms: Vec<VariantForm>,
}

/// Clusters name mentions (claims of kind `mention`, slot `name`) into entities written in
/// several ways: spelling variants, told apart from each language's own form.
///
/// A person's or unknown name is compared word by word (`Mostafa Smyth` gives `Mostafa` and
/// `Smyth`); other entities by their whole form. Forms join when [`EntityBook::same_spelling`]
/// holds, most similar first, never joining two different known entities. A group is reported
/// when it has two forms and at least one of them is not a form the rules list for the
/// language it was written in.
pub fn spelling_variants(
    mentions: &[&Claim],
    documents: &[DocumentMeta],
    book: &EntityBook,
) -> Vec<VariantGroup> {
    let languages: HashMap<&str, &str> = documents
        .iter()
        .map(|meta| (&*meta.id, meta.lang.as_str()))
        .collect();
    let forms = collect_forms(mentions, &languages, book);
    let clusters = cluster_forms(&forms, book);
    let mut groups: Vec<VariantGroup> = clusters
        .into_values()
        .filter_map(|(entity, members)| variant_group(entity, &members, &forms, book))
        .collect();
    groups.sort_by(|a, b| {
        let first_form = |g: &VariantGroup| g.forms.first().map(|f| f.form.clone());
        a.entity
            .cmp(&b.entity)
            .then_with(|| first_form(a).cmp(&first_form(b)))
    });
    groups
}

/// One distinct way of writing a name (or a word of a name), with where it was written.
struct WrittenForm<'a> {
    /// As first written, preferring a form not in capitals.
    display: String,
    /// The known entity it was matched to.
    entity: Option<u32>,
    /// (mention index, language) of each occurrence.
    occurrences: Vec<(usize, &'a str)>,
    folded: FoldedName,
}

/// The distinct forms of the mentions, in a stable order: by lower-case form, then entity.
fn collect_forms<'a>(
    mentions: &[&Claim],
    languages: &HashMap<&str, &'a str>,
    book: &EntityBook,
) -> Vec<WrittenForm<'a>> {
    // Each form with its lower-case key, found by entity and key; the key is written into one
    // buffer, so a form met again costs no copy of it. Most mentions name one form.
    let mut forms: Vec<(String, WrittenForm<'a>)> = Vec::with_capacity(mentions.len());
    let mut index_of: HashMap<(Option<u32>, String), usize> =
        HashMap::with_capacity(mentions.len());
    let mut key: (Option<u32>, String) = (None, String::new());
    for (index, claim) in mentions.iter().enumerate() {
        let Some(Value::Entity(mention)) = claim.slots.get(NAME_SLOT).map(|slot| &slot.value)
        else {
            continue;
        };
        let lang = languages.get(&*claim.document).copied().unwrap_or("");
        // A name no rule lists is no entity of the book: its id needs no look-up.
        let entity = if mention.id.starts_with(UNKNOWN_PREFIX) {
            None
        } else {
            book.by_id.get(&*mention.id).copied()
        };
        let mut add = |piece: &str| {
            key.0 = entity;
            lower_case_into(piece, &mut key.1);
            let at = match index_of.get(&key) {
                Some(&at) => at,
                None => {
                    index_of.insert(key.clone(), forms.len());
                    let form = WrittenForm {
                        display: piece.to_string(),
                        entity,
                        // Most forms are written once or twice.
                        occurrences: Vec::with_capacity(2),
                        folded: book.fold_name(piece),
                    };
                    forms.push((key.1.clone(), form));
                    forms.len() - 1
                }
            };
            let form = &mut forms[at].1;
            if form.display != piece && is_all_caps(&form.display) && !is_all_caps(piece) {
                form.display = piece.to_string();
            }
            form.occurrences.push((index, lang));
        };
        if entity.is_none_or(|e| book.entities[e as usize].kind == EntityKind::Person) {
            mention
                .surface
                .split_whitespace()
                .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()))
                .filter(|word| is_name_word(word, &book.folding))
                .for_each(&mut add);
        } else {
            add(mention.surface.trim());
        }
    }
    forms.sort_unstable_by(|(a_key, a), (b_key, b)| (a_key, a.entity).cmp(&(b_key, b.entity)));
    forms.into_iter().map(|(_, form)| form).collect()
}

/// `text.to_lowercase()` written into `out`, without a new string for ASCII text.
fn lower_case_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        out.push_str(text);
        out.make_ascii_lowercase();
    } else {
        out.push_str(&text.to_lowercase());
    }
}

fn is_all_caps(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() > 1 && !word.chars().any(char::is_lowercase)
}

/// Clusters forms into (known entity, members): most similar pairs join first, and a cluster
/// never holds two known entities. Only forms of one vowel shape are compared. Forms that join
/// no other are left out: one form alone varies nothing, and most forms are such.
fn cluster_forms(
    forms: &[WrittenForm],
    book: &EntityBook,
) -> BTreeMap<usize, (Option<u32>, Vec<usize>)> {
    // The forms by shape, in runs of one shape: sorting spares a list per shape.
    let mut by_shape: Vec<usize> = (0..forms.len()).collect();
    by_shape.sort_unstable_by_key(|&index| (&forms[index].folded.shape, index));
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for members in by_shape.chunk_by(|&a, &b| forms[a].folded.shape == forms[b].folded.shape) {
        // Each run is in index order: `a` comes before `b`.
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                let both_known_apart =
                    matches!((forms[a].entity, forms[b].entity), (Some(x), Some(y)) if x != y);
                if !both_known_apart && book.spellings_match(&forms[a].folded, &forms[b].folded) {
                    let score = forms[a].folded.similarity(&forms[b].folded);
                    pairs.push((score, a, b));
                }
            }
        }
    }
    pairs.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then_with(|| (x.1, x.2).cmp(&(y.1, y.2)))
    });
    let mut parent: Vec<usize> = (0..forms.len()).collect();
    let mut entity: Vec<Option<u32>> = forms.iter().map(|f| f.entity).collect();
    // Every form of a cluster of several was the root of its own cluster when it joined.
    let mut joined = vec![false; forms.len()];
    for (_, a, b) in pairs {
        let (root_a, root_b) = (find_root(&mut parent, a), find_root(&mut parent, b));
        if root_a == root_b {
            continue;
        }
        match (entity[root_a], entity[root_b]) {
            (Some(x), Some(y)) if x != y => continue,
            (known_a, known_b) => {
                let (keep, join) = (root_a.min(root_b), root_a.max(root_b));
                parent[join] = keep;
                entity[keep] = known_a.or(known_b);
                joined[keep] = true;
                joined[join] = true;
            }
        }
    }
    let mut clusters: BTreeMap<usize, (Option<u32>, Vec<usize>)> = BTreeMap::new();
    for index in (0..forms.len()).filter(|&index| joined[index]) {
        let root = find_root(&mut parent, index);
        let cluster = clusters.entry(root).or_insert((entity[root], Vec::new()));
        cluster.1.push(index);
    }
    clusters
}

fn find_root(parent: &mut [usize], mut index: usize) -> usize {
    while parent[index] != index {
        parent[index] = parent[parent[index]];
        index = parent[index];
    }
    index
}

/// The group of a cluster, when it shows a real spelling variation.
fn variant_group(
    entity: Option<u32>,
    members: &[usize],
    forms: &[WrittenForm],
    book: &EntityBook,
) -> Option<VariantGroup> {
    let entity_id = entity.map(|e| &*book.entities[e as usize].id);
    let mut merged: BTreeMap<String, VariantForm> = BTreeMap::new();
    for &member in members {
        let form = &forms[member];
        let key = form.display.to_lowercase();
        let entry = merged.entry(key.clone()).or_insert_with(|| VariantForm {
            form: form.display.clone(),
            mentions: Vec::new(),
            language_form: true,
        });
        if is_all_caps(&entry.form) && !is_all_caps(&form.display) {
            entry.form = form.display.clone();
        }
        for &(mention, lang) in &form.occurrences {
            entry.mentions.push(mention);
            let listed = entity_id.is_some_and(|id| book.is_language_form(id, &key, lang));
            entry.language_form &= listed;
        }
    }
    if merged.len() < 2 || merged.values().all(|form| form.language_form) {
        return None;
    }
    let mut variant_forms: Vec<VariantForm> = merged.into_values().collect();
    for form in &mut variant_forms {
        form.mentions.sort_unstable();
        form.mentions.dedup();
    }
    variant_forms.sort_by(|a, b| a.form.cmp(&b.form));
    let name = match entity {
        Some(e) => book.entities[e as usize].name.to_string(),
        None => variant_forms
            .iter()
            .max_by(|a, b| {
                a.mentions
                    .len()
                    .cmp(&b.mentions.len())
                    .then_with(|| b.form.cmp(&a.form))
            })
            .map(|form| form.form.clone())
            .unwrap_or_default(),
    };
    Some(VariantGroup {
        entity: name,
        forms: variant_forms,
    })
}

#[cfg(test)]
mod tests {
    use super::{
        first_token_key, first_words_keys, is_name_word, pair_key, replace_into, word_spans,
        BytesAndPairs, EntityBook, FoldedName, Folding, ONE_TOKEN,
    };
    use super::{name_mentions_into, EntityMatches};
    use crate::extract::tokens::tokenize;
    use crate::model::Span;
    use crate::rules::{embedded_files, RuleFile};

    fn book() -> EntityBook {
        let files: Vec<RuleFile> = embedded_files()
            .into_iter()
            .filter(|file| file.relative.starts_with("entities/"))
            .collect();
        EntityBook::from_files(&files).expect("entity rules load")
    }

    #[test]
    fn first_word_filter_lets_every_form_through() {
        let book = book();
        // Every canonical name, and the fixtures' texts with their names in eight languages.
        let mut text: Vec<String> = book.entities.iter().map(|e| e.name.to_string()).collect();
        for lang in ["en", "nl", "nb", "de", "fr", "es", "it", "ru"] {
            let path = format!("fixtures/normalize/entities/{lang}.yaml");
            text.push(std::fs::read_to_string(path).expect("fixture file exists"));
        }
        let text = text.join(", ");
        let tokens = tokenize(&text, Span::new(0, text.len()));
        for lang in ["en", "nl", "de", "fr", "ru"] {
            let mut found = 0;
            for (word, from_word) in word_spans(&text, &tokens) {
                if book.longest_at(&text, word.start, lang).entity.is_some() {
                    found += 1;
                    let surface = &text[word.start..word.end];
                    assert!(
                        book.may_start_form(&text, from_word, text.len()),
                        "{lang}: {surface}"
                    );
                }
            }
            assert!(found > book.entities.len(), "{lang}: {found} mentions");
        }
        // Most other words are turned away.
        let turned_away = [
            "said so",
            "The day",
            "yesterday .",
            "Monday ,",
            "according to",
        ]
        .iter()
        .filter(|words| {
            let tokens = tokenize(words, Span::new(0, words.len()));
            !book.may_start_form(words, &tokens, words.len() + 1)
        })
        .count();
        assert!(turned_away >= 3, "{turned_away}");
    }

    #[test]
    fn first_words_keys_read_the_tokens_of_the_tokenizer() {
        let forms = [
            "Kyvel",
            "the NWU's top envoy",
            "al-Hamdan",
            "Tromsø–Zürich  café",
            "Андрея Велькор",
            "ÉLAN\u{a0}Kyvel’s",
            "US 2nd",
            "EU’s",
            "Vos\t\nx",
        ];
        for form in forms {
            let tokens = tokenize(form, Span::new(0, form.len()));
            let first = first_token_key(tokens[0].hash, form.as_bytes()[0]);
            let expected = match tokens.get(1) {
                None => [first, first ^ ONE_TOKEN],
                Some(second) => [first, pair_key(first, second.hash)],
            };
            assert_eq!(first_words_keys(form), Some(expected), "{form}");
        }
        assert_eq!(first_words_keys("'t Hooft"), None);
        assert_eq!(first_words_keys(" Kyvel"), None);
        assert_eq!(first_words_keys(""), None);
    }

    #[test]
    fn word_spans_from_tokens_are_those_of_a_byte_scan() {
        let sentences = [
            "Noord-Afrikaanse al-Hamdan's well-known 2nd-round F-16s",
            "Kyvel’s mayor O'Neill -said a--b c- -d e-f-g h - i 12-3 x-’y",
            "Андрея Велькор-Шульц сказала: «Нет» — Tromsø–Zürich café\u{a0}É-lan",
            "-leading trailing- ½-mark Ⅻ-c 3G\u{2010}X end-",
            "",
        ];
        for sentence in sentences {
            // Text around the sentence, which no word may reach into.
            let text = format!("ab {sentence}x");
            let span = Span::new(3, text.len() - 1);
            let tokens = tokenize(&text, span);
            let from_tokens: Vec<Span> = word_spans(&text, &tokens).map(|(span, _)| span).collect();
            assert_eq!(from_tokens, byte_scan_word_spans(sentence, 3), "{sentence}");
        }
    }

    /// The words of `sentence` found byte by byte, as names found them before it had tokens.
    fn byte_scan_word_spans(sentence: &str, offset: usize) -> Vec<Span> {
        let mut spans = Vec::new();
        let mut current: Option<usize> = None;
        let mut i = 0;
        while let Some(&byte) = sentence.as_bytes().get(i) {
            // ASCII other than a hyphen, most of the text, is told by its byte; a hyphen needs the
            // character after it, and other characters are decoded.
            let (in_word, length) = if byte.is_ascii() && byte != b'-' {
                (byte.is_ascii_alphanumeric(), 1)
            } else {
                let mut chars = sentence[i..].chars();
                let Some(c) = chars.next() else {
                    break;
                };
                let inner_hyphen = c == '-'
                    && current.is_some()
                    && chars.next().is_some_and(char::is_alphanumeric);
                (c.is_alphanumeric() || inner_hyphen, c.len_utf8())
            };
            if in_word {
                current.get_or_insert(i);
            } else if let Some(start) = current.take() {
                spans.push(Span::new(offset + start, offset + i));
            }
            i += length;
        }
        if let Some(start) = current {
            spans.push(Span::new(offset + start, offset + sentence.len()));
        }
        spans
    }

    #[test]
    fn particle_is_cut_where_its_lower_case_ends() {
        // The Kelvin sign (three bytes) lower-cases to `k` (one byte): the particle `ka-` ends
        // before `Hamdan`, not one byte after the sign.
        let folding = Folding::new(&["ka-".to_string()], &[], "aeiouy");
        assert!(is_name_word("\u{212A}a-Hamdan", &folding));
        assert!(!is_name_word("\u{212A}a-hamdan", &folding));
        assert!(is_name_word("ka-Hamdan", &folding));
        assert!(is_name_word("KA-Hamdan", &folding));
        assert!(!is_name_word("ka-", &folding));
        assert!(!is_name_word("kasper", &folding));
        assert!(is_name_word("Kasper", &folding));
    }

    #[test]
    fn particle_beyond_ascii_is_cut_in_any_case() {
        let folding = Folding::new(&["Ибн-".to_string()], &[], "aeiouy");
        assert!(is_name_word("Ибн-Карвел", &folding));
        assert!(is_name_word("ибн-Карвел", &folding));
        assert!(is_name_word("ИБН-Карвел", &folding));
        assert!(!is_name_word("ибн-карвел", &folding));
        assert!(!is_name_word("Ибн-", &folding));
        assert!(is_name_word("Идрувек", &folding));
        assert!(!is_name_word("идрувек", &folding));
    }

    #[test]
    fn names_met_before_are_those_a_fresh_call_finds() {
        // `Ll` folds to nothing here.
        let erasing = EntityBook {
            folding: Folding::new(&[], &[("ll".to_string(), String::new())], "aeiouy"),
            ..EntityBook::default()
        };
        let sentences = [
            "Zorvan Quell met Ll at noon.",
            "Ll saw Zorvan Quell, and Zorvan Quell saw Ll.",
        ];
        // The last round is with another book, which must not take the names met from the first.
        let other = book();
        let rounds = [
            (&erasing, sentences[0]),
            (&erasing, sentences[1]),
            (&other, sentences[1]),
        ];
        let mut kept = EntityMatches::default();
        for (round, (book, sentence)) in rounds.into_iter().enumerate() {
            let span = Span::new(0, sentence.len());
            let tokens = tokenize(sentence, span);
            let found = name_mentions_into(sentence, span, "en", book, &tokens, &mut kept);
            let mut fresh = EntityMatches::default();
            let expected = name_mentions_into(sentence, span, "en", book, &tokens, &mut fresh);
            assert_eq!(found, expected, "{round}: {sentence}");
            assert!(found.iter().any(|m| m.surface == "Zorvan Quell"), "{round}");
            // Only the erasing book's rounds remember `Ll` as folding to nothing.
            let erased = kept.unknown.get("Ll").is_some_and(Option::is_none);
            assert_eq!(erased, round < 2, "{round}");
        }
    }

    #[test]
    fn replace_into_agrees_with_replace() {
        let texts = [
            "",
            "sch",
            "kirschen",
            "radsch",
            "tasche",
            "abd al-hamdan",
            "ph",
            "aaaa",
        ];
        for text in texts {
            for from in ["", "sch", "dsch", "ph", "aa", "n", "kirschen!"] {
                for to in ["", "x", "sh "] {
                    let mut out = b"spare".to_vec();
                    let found =
                        replace_into(text.as_bytes(), from.as_bytes(), to.as_bytes(), &mut out);
                    let expected = if text.contains(from) {
                        text.replace(from, to)
                    } else {
                        "spare".to_string()
                    };
                    assert_eq!(found, text.contains(from), "{text:?} {from:?}");
                    assert_eq!(out, expected.as_bytes(), "{text:?} {from:?} {to:?}");
                }
            }
        }
    }

    #[test]
    fn bytes_and_pairs_of_a_text_include_those_of_its_parts() {
        let text = b"kirschen radsch";
        for part in [&b"sch"[..], b"dsch", b"n r", b"", b"k"] {
            assert!(BytesAndPairs::of(text).includes(&BytesAndPairs::of(part)));
        }
        assert!(!BytesAndPairs::of(text).includes(&BytesAndPairs::of(b"q")));
    }

    #[test]
    fn fold_agrees_with_a_char_by_char_fold() {
        let book = book();
        let mut names: Vec<String> = [
            "Ándrea Velkor",
            "Андрея Велькор",
            "Арсений Борожин",
            "Щукин",
            "al-Hamdan",
            "Al-Hamdan",
            "AL-HAMDAN",
            "al-",
            "al- Hamdan",
            "al-al-Hamdan",
            "ash-Sharif el-Tassi",
            "Karradsch Tschemp Boroschin",
            "Moustafa Voetin Kadhafa Qaddara",
            "Bass",
            "Baas",
            "Morrel",
            "O'Neill d'Hondt",
            "Jean-Marie Le Ven",
            "  spaced \t out\n\x0b\x0c\r ",
            "",
            "-",
            "... - !",
            "北京",
            "Zürich Øystein Łukasz Straße Æthelred İzmelbul",
            "Tromsø–Zürich\u{a0}café",
            "a\x1fb\x7fc",
            "😀 Kyvel",
            "ǅemal Ĳssel ﬁnn",
        ]
        .map(String::from)
        .to_vec();
        names.extend(book.entities.iter().map(|e| e.name.to_string()));
        for lang in ["en", "nl", "nb", "de", "fr", "es", "it", "ru"] {
            let path = format!("fixtures/normalize/entities/{lang}.yaml");
            let text = std::fs::read_to_string(path).expect("fixture file exists");
            let words: Vec<&str> = text.split_whitespace().collect();
            names.extend(words.windows(2).map(|pair| pair.join(" ")));
        }
        // Rules of another shape: an equivalence writing white space or nothing, a particle
        // without a hyphen, vowels beyond ASCII.
        let odd = EntityBook {
            folding: Folding::new(
                &["van".to_string(), "al-".to_string()],
                &[("x", "k\ts"), ("ll", ""), ("-", " - "), ("", "'")]
                    .map(|(from, to)| (from.to_string(), to.to_string())),
                "aeiouyé",
            ),
            ..EntityBook::default()
        };
        for name in &names {
            assert_eq!(
                book.fold_name(name),
                char_by_char_fold(&book.folding, "aeiouy", name),
                "{name:?}"
            );
            assert_eq!(
                odd.fold_name(name),
                char_by_char_fold(&odd.folding, "aeiouyé", name),
                "{name:?}"
            );
        }
    }

    /// The fold as it was written on characters, before it worked byte by byte.
    fn char_by_char_fold(folding: &Folding, vowels: &str, name: &str) -> FoldedName {
        let lower = deunicode::deunicode(name).to_lowercase();
        let mut joined = String::new();
        for word in lower.split_whitespace() {
            if !joined.is_empty() {
                joined.push(' ');
            }
            let without_particle = folding.particles.iter().find_map(|p| {
                word.strip_prefix(p.as_str())
                    .filter(|rest| !rest.is_empty())
            });
            joined.push_str(without_particle.unwrap_or(word));
        }
        for (from, to, _) in &folding.equivalences {
            joined = joined.replace(from.as_str(), to);
        }
        let mut uncollapsed = String::new();
        for word in joined.split_whitespace() {
            let letters: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
            if !letters.is_empty() {
                if !uncollapsed.is_empty() {
                    uncollapsed.push(' ');
                }
                uncollapsed.push_str(&letters);
            }
        }
        let mut folded = String::new();
        for c in uncollapsed.chars() {
            if !folded.ends_with(c) {
                folded.push(c);
            }
        }
        let shape: String = folded
            .chars()
            .map(|c| if vowels.contains(c) { '*' } else { c })
            .collect();
        FoldedName {
            folded: folded.into_bytes(),
            uncollapsed: uncollapsed.into_bytes(),
            shape: shape.into_bytes(),
        }
    }
}
