//! Claim extraction: YAML rule packs compiled to token patterns, matched against sentences.
//!
//! - [`pattern`] parses the pattern language (nom), [`matcher`] compiles patterns and matches
//!   them in linear time, [`rule`] loads and validates `rules/claims/*.yaml`,
//!   [`words`] holds the word classes of `rules/lang/*.yaml`, [`examples`] runs rule examples.
//! - Claims of a sentence take their attribution from the attribution rules matching in the
//!   same sentence; quote rules run over whole paragraphs; every name written becomes a
//!   `mention` claim.

pub mod examples;
pub mod matcher;
pub mod pattern;
pub mod rule;
pub mod template;
pub mod tokens;
pub mod trigger;
pub mod words;

use std::cell::RefCell;
use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};
use std::collections::hash_map::Entry;

pub use rule::{ClaimRules, Rule, RuleKind};
pub use words::{WordClasses, WordData};

use crate::model::{
    Attribution, Claim, ClaimKind, Document, EntityRef, Evidence, Level, Sentence, Slot, Span,
    Stance, Value,
};
use crate::normalize::time::Anchor;
use crate::rules::{Language, RuleSet};
use matcher::{Environment, Program, Scope};
use template::Rendering;
use tokens::Token;

/// Rule id of the name mentions every document yields.
pub const MENTION_RULE: &str = "mention";

/// A value as a person reads it.
pub fn display(value: &Value) -> String {
    match value {
        Value::Quantity(quantity) => quantity.display(),
        Value::Time(time) => time.display(),
        Value::Entity(entity) => entity.name.to_string(),
        Value::Entities(members) => members
            .iter()
            .map(|m| &*m.name)
            .collect::<Vec<_>>()
            .join(", "),
        Value::Text(text) => text.clone(),
    }
}

/// The longest evidence text kept whole. For a longer sentence (a list, a line without
/// sentence ends) the evidence is a window of this size around the claim, so evidence stays
/// bounded however long the sentence.
pub const MAX_EVIDENCE_BYTES: usize = 1024;

/// The evidence showing `window` of a document, which starts at `line` and `column`.
fn evidence_at(document: &Document, window: Span, line: u32, column: u32) -> Evidence {
    Evidence {
        file: document.meta.id.clone(),
        line,
        column,
        start: window.start,
        end: window.end,
        text: document
            .text
            .get(window.start..window.end)
            .unwrap_or_default()
            .into(),
    }
}

/// The evidence for the claims of one document, which come sentence by sentence: consecutive
/// claims with the same evidence window share one evidence, its position found and its text
/// copied once.
struct EvidenceMaker<'a> {
    document: &'a Document,
    last: Option<Evidence>,
}

impl<'a> EvidenceMaker<'a> {
    fn new(document: &'a Document) -> Self {
        EvidenceMaker {
            document,
            last: None,
        }
    }

    /// The evidence for a claim at `focus` in the sentence `span` of the document: the
    /// sentence, or a window of it around `focus` when the sentence is longer than
    /// [`MAX_EVIDENCE_BYTES`].
    fn evidence(&mut self, span: Span, focus: Span) -> Evidence {
        let window = evidence_window(&self.document.text, span, focus);
        if let Some(last) = &self.last {
            if last.start == window.start && last.end == window.end {
                return last.clone();
            }
        }
        let (line, column) = (self.document.lines).position(&self.document.text, window.start);
        (self
            .last
            .insert(evidence_at(self.document, window, line, column)))
        .clone()
    }
}

/// `span`, or a window of at most [`MAX_EVIDENCE_BYTES`] of it centred on `focus`, cut at
/// whitespace where possible.
fn evidence_window(text: &str, span: Span, focus: Span) -> Span {
    if span.len() <= MAX_EVIDENCE_BYTES {
        return span;
    }
    let centre = focus.start.midpoint(focus.end).clamp(span.start, span.end);
    let half = MAX_EVIDENCE_BYTES / 2;
    let mut start = centre.saturating_sub(half).max(span.start);
    let mut end = (start + MAX_EVIDENCE_BYTES).min(span.end);
    start = end.saturating_sub(MAX_EVIDENCE_BYTES).max(span.start);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let window = &text[start..end];
    let left = if start > span.start {
        window.find(char::is_whitespace).map_or(0, |i| i + 1)
    } else {
        0
    };
    let right = if end < span.end {
        window.rfind(char::is_whitespace).unwrap_or(window.len())
    } else {
        window.len()
    };
    if left < right {
        Span::new(start + left, start + right)
    } else {
        Span::new(start, end)
    }
}

thread_local! {
    /// The claims of the document being extracted on this thread, in the order found, each
    /// taken out (`None`) when moved to the vector of claims in text order. Kept from document
    /// to document, so that it seldom grows: claims are large, and a growing vector copies them.
    static FOUND: RefCell<Vec<Option<Claim>>> = const { RefCell::new(Vec::new()) };
}

/// The most claims [`FOUND`] keeps room for between documents: a rare document with more gives
/// its room back, so that one huge document does not hold memory for the rest of the run.
const FOUND_KEPT: usize = 4096;

/// Extracts the claims of one document from its sentences, in text order.
pub fn extract(document: &Document, sentences: &[Sentence], rules: &RuleSet) -> Vec<Claim> {
    FOUND.with_borrow_mut(|found| {
        found.clear();
        extract_into(document, sentences, rules, found);
        let claims = take_in_text_order(found);
        found.clear();
        found.shrink_to(FOUND_KEPT);
        claims
    })
}

/// [`extract`] into `claims`, in the order found; every claim pushed is `Some`.
fn extract_into(
    document: &Document,
    sentences: &[Sentence],
    rules: &RuleSet,
    claims: &mut Vec<Option<Claim>>,
) {
    let language = rules.language(&document.meta.lang);
    let env = Environment {
        rules,
        language,
        anchor: Anchor::from_date(document.meta.date),
    };
    let mut evidence = EvidenceMaker::new(document);
    let mut previous_subject: Option<EntityRef> = None;
    let mut active = Vec::new();
    let mut written = Written::with_capacity(sentences.len());
    let programs = programs_for(rules, language);
    let triggers = rules.claims.triggers(language);
    let quote_rules: Vec<usize> = (rules.claims.rules().iter().enumerate())
        .filter(|(_, rule)| rule.data.kind == RuleKind::Quote)
        .map(|(index, _)| index)
        .collect();
    let mut scope = Scope::empty(&document.text, env);
    let mut quote_pass = QuotePass::new(env, &programs, !quote_rules.is_empty());
    let mut paragraph_start = 0;
    for (index, sentence) in sentences.iter().enumerate() {
        // A pronoun refers to the subject of the last sentence of prose: a caption or headline
        // ("Getty Images") has no sentence end, and the "He" after it is not the photo agency.
        // A sentence of prose replaces the subject, so it is handed over rather than copied.
        let prose = ends_as_prose(&document.text, sentence.span);
        let subject = if prose {
            previous_subject.take()
        } else {
            previous_subject.clone()
        };
        scope.reset(sentence.span, subject);
        triggers.active(&scope.tokens, &mut active);
        let quotable = quote_rules.iter().any(|&index| active[index]);
        let mut attribution = Attribution::default();
        let first = claims.len();
        for (rule, program) in active_programs(rules.claims.rules(), &programs, &active, false) {
            for (_, slots) in rule.program_matches(program, &mut scope, &rules.entities) {
                match rule.data.kind.claim_kind() {
                    Some(kind) => claims.push(Some(make_claim(
                        &mut evidence,
                        rule,
                        kind,
                        slots,
                        sentence.span,
                        rules,
                    ))),
                    None => attribute(&mut attribution, rule.data.stance, slots),
                }
            }
        }
        if let Some((last, others)) = claims[first..].split_last_mut() {
            for claim in others.iter_mut().flatten() {
                claim.attribution = attribution.clone();
            }
            if let Some(last) = last {
                last.attribution = attribution;
            }
        }
        let mentions = std::mem::take(&mut scope.mentions);
        if prose {
            previous_subject = mentions.first().cloned();
        }
        for mention in mentions {
            let surface = document
                .text
                .get(mention.span.start..mention.span.end)
                .unwrap_or_default();
            if written.is_new(surface, &mention.id, claims) {
                claims.push(Some(mention_claim(&mut evidence, mention, sentence.span)));
            }
        }
        quote_pass.keep(&mut scope.tokens, quotable);
        // A paragraph's quote claims come after the claims of its sentences, as they would
        // after the whole document's: claims are put in text order by evidence, slot and rule.
        if (sentences.get(index + 1)).is_none_or(|next| next.paragraph != sentence.paragraph) {
            let paragraph = &sentences[paragraph_start..=index];
            paragraph_start = index + 1;
            quote_pass.run(paragraph, &mut scope, &mut evidence, claims);
        }
    }
}

/// The names a document has written so far, with their mention claims: one mention claim per
/// entity and written form is enough for spelling variants, which look at each form, the
/// documents writing it and one sentence.
struct Written<'t> {
    /// By written form, the index in the claims of its first mention claim, and those of the
    /// mention claims of other entities written the same way (seldom any).
    forms: HashMap<&'t str, (usize, Vec<usize>)>,
}

impl<'t> Written<'t> {
    /// Room for `forms` written forms.
    fn with_capacity(forms: usize) -> Self {
        Written {
            forms: HashMap::with_capacity(forms),
        }
    }

    /// True when `surface` is written for entity `id` for the first time, noting that the
    /// mention claim about to be pushed onto `claims` is its claim: the caller pushes it next.
    /// Claims are told apart by key, which a mention claim takes from its entity's id.
    fn is_new(&mut self, surface: &'t str, id: &str, claims: &[Option<Claim>]) -> bool {
        let index = claims.len();
        let is_of_id = |index: &usize| claims[*index].as_ref().is_some_and(|c| c.key == id);
        match self.forms.entry(surface) {
            Entry::Vacant(entry) => {
                entry.insert((index, Vec::new()));
                true
            }
            Entry::Occupied(mut entry) => {
                let (first, others) = entry.get_mut();
                if is_of_id(first) || others.iter().any(is_of_id) {
                    return false;
                }
                others.push(index);
                true
            }
        }
    }
}

/// Takes the claims out of `found` in text order: by evidence start, then first slot, then rule
/// id, and in the order found among equals. The keys borrow the rule ids rather than copy them.
fn take_in_text_order(found: &mut [Option<Claim>]) -> Vec<Claim> {
    let mut keys = Vec::with_capacity(found.len());
    keys.extend((found.iter().enumerate()).filter_map(|(index, claim)| {
        let claim = claim.as_ref()?;
        let first_slot = claim.slots.values().map(|s| s.span.start).min();
        Some((claim.evidence.start, first_slot, claim.rule.as_str(), index))
    }));
    keys.sort_unstable();
    let order: Vec<usize> = keys.into_iter().map(|(.., index)| index).collect();
    let mut claims = Vec::with_capacity(order.len());
    claims.extend(order.into_iter().filter_map(|index| found[index].take()));
    claims
}

/// Each rule's program for `language` (see [`Rule::program_for`]), looked up once per document
/// rather than once per sentence.
fn programs_for<'a>(rules: &'a RuleSet, language: &Language) -> Vec<Option<&'a Program>> {
    (rules.claims.rules().iter())
        .map(|rule| rule.program_for(language))
        .collect()
}

/// The rules marked in `active` that are quote rules (when `quotes`) or that are not, each with
/// its program from `programs` (the rules' programs for the document's language); a rule with
/// no program for the language is left out.
fn active_programs<'a>(
    rules: &'a [Rule],
    programs: &'a [Option<&'a Program>],
    active: &'a [bool],
    quotes: bool,
) -> impl Iterator<Item = (&'a Rule, &'a Program)> {
    rules
        .iter()
        .zip(programs)
        .zip(active)
        .filter(move |((rule, _), &active)| active && (rule.data.kind == RuleKind::Quote) == quotes)
        .filter_map(|((rule, program), _)| Some((rule, (*program)?)))
}

/// True when the sentence ends as prose does, with a mark (a full stop, a quote mark, a
/// bracket) rather than a letter or digit, as a caption, headline or byline ends.
fn ends_as_prose(text: &str, span: Span) -> bool {
    text.get(span.start..span.end)
        .and_then(|sentence| sentence.trim_end().chars().next_back())
        .is_some_and(|last| !last.is_alphanumeric())
}

/// Merges what an attribution rule found into a sentence's attribution.
fn attribute(attribution: &mut Attribution, stance: Stance, mut slots: BTreeMap<String, Slot>) {
    if attribution.source.is_none() {
        attribution.source = slots.remove("source");
    }
    if attribution.denied_by.is_none() {
        attribution.denied_by = slots.remove("denier");
    }
    if stance != Stance::Asserts && attribution.stance == Stance::Asserts {
        attribution.stance = stance;
    }
}

fn make_claim(
    evidence: &mut EvidenceMaker,
    rule: &Rule,
    kind: ClaimKind,
    slots: BTreeMap<String, Slot>,
    span: Span,
    rules: &RuleSet,
) -> Claim {
    let entities = &rules.entities;
    let evidence = evidence.evidence(span, slot_hull(&slots, span));
    Claim {
        document: evidence.file.clone(),
        rule: rule.data.id.clone(),
        kind,
        key: rule.key.render(&slots, entities, Rendering::Canonical),
        topic: rule.message.render(&slots, entities, Rendering::Display),
        level: rule.data.level,
        slots,
        attribution: Attribution::default(),
        evidence,
        evolving: rule.data.evolving,
    }
}

/// The smallest span holding every slot, or `sentence` when there is none.
fn slot_hull(slots: &BTreeMap<String, Slot>, sentence: Span) -> Span {
    let start = slots.values().map(|slot| slot.span.start).min();
    let end = slots.values().map(|slot| slot.span.end).max();
    match (start, end) {
        (Some(start), Some(end)) => Span::new(start, end),
        _ => sentence,
    }
}

fn mention_claim(evidence: &mut EvidenceMaker, mention: EntityRef, span: Span) -> Claim {
    let evidence = evidence.evidence(span, mention.span);
    Claim {
        document: evidence.file.clone(),
        rule: MENTION_RULE.to_string(),
        kind: ClaimKind::Mention,
        key: mention.id.to_string(),
        topic: mention.name.to_string(),
        level: Level::Info,
        slots: BTreeMap::from([(
            "name".to_string(),
            Slot {
                text: mention.surface.clone(),
                span: mention.span,
                value: Value::Entity(mention),
            },
        )]),
        attribution: Attribution::default(),
        evidence,
        evolving: false,
    }
}

/// The quote rules' pass over a document's paragraphs, so that a quote may span several
/// sentences: each paragraph holding a quotation is matched once its sentences are read.
struct QuotePass<'t, 'r> {
    env: Environment<'r>,
    /// The rules' programs for the document's language.
    programs: &'r [Option<&'r Program>],
    /// True when some rule is a quote rule: without one, the pass keeps no tokens and runs
    /// over no paragraph.
    has_quote_rules: bool,
    /// The tokens of the sentences of the paragraph read so far, in text order: a paragraph's
    /// tokens are taken from them rather than read again when whitespace separates its
    /// sentences.
    tokens: Vec<Token<'t>>,
    /// True when some quote rule may match some sentence of the paragraph read so far: a
    /// paragraph none of whose sentences any may match is passed over when its tokens are
    /// those of its sentences.
    quotable: bool,
    /// The rules that may match the paragraph.
    active: Vec<bool>,
}

impl<'t, 'r> QuotePass<'t, 'r> {
    fn new(
        env: Environment<'r>,
        programs: &'r [Option<&'r Program>],
        has_quote_rules: bool,
    ) -> Self {
        QuotePass {
            env,
            programs,
            has_quote_rules,
            tokens: Vec::new(),
            quotable: false,
            active: Vec::new(),
        }
    }

    /// Keeps what the pass needs of the paragraph's next sentence: its tokens, moved out of
    /// `tokens` (which keeps its room), and whether some quote rule may match it; nothing
    /// when there is no quote rule.
    fn keep(&mut self, tokens: &mut Vec<Token<'t>>, quotable: bool) {
        if !self.has_quote_rules {
            return;
        }
        self.tokens.append(tokens);
        self.quotable |= quotable;
    }

    /// The span of `paragraph`, its quotations, and whether whitespace separates its
    /// sentences, when the quote rules are to run over it: some may match it (`quotable`
    /// tells whether some may match one of its sentences), and it holds a quotation.
    fn quotations(
        &self,
        paragraph: &[Sentence],
        quotable: bool,
        text: &str,
    ) -> Option<(Span, Vec<Span>, bool)> {
        if !self.has_quote_rules {
            return None;
        }
        let (first, last) = (paragraph.first()?, paragraph.last()?);
        let separated = separated_by_space(text, paragraph);
        if !quotable && separated {
            return None;
        }
        let words = &self.env.language.words;
        // The tokens kept are the paragraph's when whitespace separates its sentences: one
        // none of whose tokens opens a quotation holds none, and is not read again for it.
        if separated && !matcher::may_open_quote(&self.tokens, words) {
            return None;
        }
        let span = Span::new(first.span.start, last.span.end);
        let quotes = matcher::find_quotes(text, span, words);
        (!quotes.is_empty()).then_some((span, quotes, separated))
    }

    /// Runs the quote rules over `paragraph`, whose sentences were all kept, when it holds a
    /// quotation, adding their claims to `claims`; the evidence is the sentences the match
    /// touches. `scope` is reset to the paragraph when it is matched.
    fn run(
        &mut self,
        paragraph: &[Sentence],
        scope: &mut Scope<'t>,
        evidence: &mut EvidenceMaker,
        claims: &mut Vec<Option<Claim>>,
    ) {
        let quotable = std::mem::take(&mut self.quotable);
        let text = &evidence.document.text;
        let Some((span, quotes, separated)) = self.quotations(paragraph, quotable, text) else {
            self.tokens.clear();
            return;
        };
        if separated {
            scope.reset_with_tokens(span, self.tokens.drain(..), Some(quotes));
        } else {
            self.tokens.clear();
            scope.reset_with_quotes(span, None, Some(quotes));
        }
        let env = self.env;
        let all_rules = env.rules.claims.rules();
        let active = &mut self.active;
        env.rules
            .claims
            .triggers(env.language)
            .active(&scope.tokens, active);
        for (rule, program) in active_programs(all_rules, self.programs, active, true) {
            for (found, slots) in rule.program_matches(program, scope, &env.rules.entities) {
                let matched = scope.byte_span(found.start, found.end);
                let mut touched = (paragraph.iter())
                    .filter(|s| s.span.start < matched.end && matched.start < s.span.end);
                let evidence_span = match touched.next() {
                    Some(a) => Span::new(a.span.start, touched.next_back().unwrap_or(a).span.end),
                    None => span,
                };
                claims.push(Some(make_claim(
                    evidence,
                    rule,
                    ClaimKind::Quote,
                    slots,
                    evidence_span,
                    env.rules,
                )));
            }
        }
    }
}

/// True when whitespace separates each sentence of `paragraph` from the next. Tokens never
/// span whitespace, so the paragraph's tokens are then those of its sentences, and a rule
/// whose trigger words no sentence holds cannot match the paragraph either.
fn separated_by_space(text: &str, paragraph: &[Sentence]) -> bool {
    paragraph.windows(2).all(|pair| {
        text.get(pair[0].span.end..pair[1].span.start)
            .is_some_and(|gap| !gap.is_empty() && gap.chars().all(char::is_whitespace))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quote pass skips a paragraph none of whose tokens opens a quotation: it holds none.
    #[test]
    fn text_whose_tokens_open_no_quotation_holds_none() {
        let rules = RuleSet::embedded_shared().expect("embedded rules load");
        let texts = [
            "“We stay,” she said.",
            "He said \"no\" twice.",
            "Er sagte „Nein“ und ging. Sie sagte »Ja«.",
            "Il a dit « non ».",
            "The 5\" screen, the ’90s, it’s O'Neill's — said so… (twice)",
            "word“inside and out”",
            "",
        ];
        for code in ["en", "de", "fr"] {
            let words = &rules.language(code).words;
            for text in texts {
                let span = Span::new(0, text.len());
                let opens = matcher::may_open_quote(&tokens::tokenize(text, span), words);
                let quotes = matcher::find_quotes(text, span, words);
                assert!(opens || quotes.is_empty(), "{code}: {text}");
                assert_eq!(
                    opens,
                    text.contains(['“', '"', '„', '«', '‹'])
                        || (code == "de" && text.contains(['»', '›'])),
                    "{code}: {text}"
                );
            }
        }
    }

    /// A paragraph read from its sentences' tokens, as the quote pass reads it when whitespace
    /// separates them, holds the tokens, names and quote matches it holds read on its own.
    #[test]
    fn a_paragraph_read_from_its_sentences_tokens_is_read_as_it_is_alone() {
        let rules = RuleSet::embedded_shared().expect("embedded rules load");
        let language = rules.language("en");
        let text = "“We will not accept this,” Foreign Minister Anna Berg said.  “Talks\u{a0}go \
                    on,” she added.\tNorvik’s mayor left.\n\n“No,” said Vos. It is over “now”.\n";
        let sentences = language.segmenter.split(text, Span::new(0, text.len()));
        let env = Environment {
            rules,
            language,
            anchor: Anchor::from_date(None),
        };
        let mut sentence_scope = Scope::empty(text, env);
        let quote = (rules.claims.rules().iter())
            .find(|rule| rule.data.kind == RuleKind::Quote)
            .expect("a quote rule");
        let program = quote
            .program_for(language)
            .expect("an English quote program");
        let mut found = 0;
        let paragraphs: Vec<_> = sentences
            .chunk_by(|a, b| a.paragraph == b.paragraph)
            .collect();
        for paragraph in &paragraphs {
            assert!(separated_by_space(text, paragraph));
            let mut tokens = Vec::new();
            for sentence in paragraph.iter() {
                sentence_scope.reset(sentence.span, None);
                tokens.append(&mut sentence_scope.tokens);
            }
            let span = Span::new(
                paragraph[0].span.start,
                paragraph[paragraph.len() - 1].span.end,
            );
            let mut reused = Scope::empty(text, env);
            reused.reset_with_tokens(span, tokens, None);
            let mut alone = Scope::empty(text, env);
            alone.reset_with_quotes(span, None, None);
            assert_eq!(reused.tokens, alone.tokens);
            assert_eq!(reused.mentions, alone.mentions);
            let matches = quote.program_matches(program, &mut alone, &rules.entities);
            assert_eq!(
                quote.program_matches(program, &mut reused, &rules.entities),
                matches
            );
            found += matches.len();
        }
        assert!(paragraphs.len() == 2 && sentences.len() > 4);
        assert!(found >= 2, "{found} quote matches");
    }

    /// A paragraph whose sentences touch is read again for the quote pass, not taken from its
    /// sentences' tokens, and gives the quote claims it gives read alone: a sentence too long
    /// and with no whitespace is cut at a character, here inside "said".
    #[test]
    fn a_paragraph_whose_sentences_touch_gives_the_quotes_it_gives_alone() {
        let rules = RuleSet::embedded_shared().expect("embedded rules load");
        let language = rules.language("en");
        let (open, close) = ("“", "”,");
        let filler = crate::segment::MAX_SENTENCE_BYTES - open.len() - close.len() - "sa".len();
        let quoted = "x".repeat(filler);
        let meta = crate::model::DocumentMeta::given("touching.txt", "en", None);
        let document = Document::whole_text(
            meta,
            format!("{open}{quoted}{close}said Olvenna Drask.\n\nIt rained.\n"),
        );
        let text = document.text.as_str();
        let sentences = language.segmenter.split(text, document.body);
        let paragraph: Vec<Sentence> = (sentences.iter())
            .take_while(|sentence| sentence.paragraph == sentences[0].paragraph)
            .cloned()
            .collect();
        assert!(paragraph.len() > 1 && !separated_by_space(text, &paragraph));
        let env = Environment {
            rules,
            language,
            anchor: Anchor::from_date(None),
        };
        let span = Span::new(
            paragraph[0].span.start,
            paragraph[paragraph.len() - 1].span.end,
        );
        let mut alone = Scope::new(text, span, env, None);
        let mut expected = Vec::new();
        for rule in rules.claims.rules() {
            let program = rule.program_for(language);
            if let (RuleKind::Quote, Some(program)) = (rule.data.kind, program) {
                for (_, slots) in rule.program_matches(program, &mut alone, &rules.entities) {
                    expected.push((rule.data.id.clone(), slots));
                }
            }
        }
        assert!(!expected.is_empty());
        let quote_claims: Vec<_> = (extract(&document, &sentences, rules).into_iter())
            .filter(|claim| expected.iter().any(|(rule, _)| *rule == claim.rule))
            .map(|claim| (claim.rule, claim.slots))
            .collect();
        assert_eq!(quote_claims.len(), expected.len());
        assert!(expected.iter().all(|claim| quote_claims.contains(claim)));
    }
}
