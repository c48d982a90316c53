//! The YAML schema of `rules/claims/*.yaml`, and loading it: validating every rule, compiling
//! its patterns for each language, and reporting every error at once.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::matcher::{CaptureKind, ExtentKind, Found, Program, Scope};
use super::pattern::parse_pattern;
use super::template::Template;
use super::trigger::{Need, TriggerIndex};
use crate::model::{ClaimKind, Level, PubDate, Slot, Stance, Value};
use crate::normalize::names::EntityBook;
use crate::normalize::time::Direction;
use crate::rules::{nearest_name, parse_yaml, Language, RuleError, RuleFile};

/// One file of `rules/claims/`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimFile {
    /// The rules.
    rules: Vec<RuleData>,
}

impl std::fmt::Display for RuleKind {
    /// The kind as written in rule files (`event-time`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = serde_json::to_value(self).map_err(|_| std::fmt::Error)?;
        f.write_str(name.as_str().unwrap_or_default())
    }
}

/// What a rule produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// A counted or measured amount.
    Quantity,
    /// A relation between entities.
    Relation,
    /// When an event happens.
    EventTime,
    /// Where and when a meeting took place.
    Meeting,
    /// A quotation and its speaker (matched over paragraphs).
    Quote,
    /// Who asserts or denies the other claims of the sentence: produces no claim itself.
    Attribution,
}

impl RuleKind {
    /// The kind of the claims it produces; `None` for attribution rules.
    pub fn claim_kind(self) -> Option<ClaimKind> {
        match self {
            RuleKind::Quantity => Some(ClaimKind::Quantity),
            RuleKind::Relation => Some(ClaimKind::Relation),
            RuleKind::EventTime => Some(ClaimKind::EventTime),
            RuleKind::Meeting => Some(ClaimKind::Meeting),
            RuleKind::Quote => Some(ClaimKind::Quote),
            RuleKind::Attribution => None,
        }
    }
}

/// The type of a slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SlotType {
    /// A number or quantity.
    Quantity,
    /// A time.
    Time,
    /// One entity.
    Entity,
    /// A coordinated list of entities.
    EntityList,
    /// A few words as written.
    Text,
    /// Words between quote marks.
    Quote,
}

/// Names of the slot types, as written in patterns.
const SLOT_TYPES: [&str; 6] = ["quantity", "time", "entity", "entity-list", "text", "quote"];

impl SlotType {
    fn from_name(name: &str) -> Option<SlotType> {
        Some(match name {
            "quantity" => SlotType::Quantity,
            "time" => SlotType::Time,
            "entity" => SlotType::Entity,
            "entity-list" => SlotType::EntityList,
            "text" => SlotType::Text,
            "quote" => SlotType::Quote,
            _ => return None,
        })
    }

    fn capture(self, prefer: Option<Direction>) -> CaptureKind {
        match self {
            SlotType::Quantity => CaptureKind::Extent(ExtentKind::Quantity),
            SlotType::Time => CaptureKind::Extent(ExtentKind::Time(prefer)),
            SlotType::Entity => CaptureKind::Extent(ExtentKind::Entity),
            SlotType::EntityList => CaptureKind::Extent(ExtentKind::EntityList),
            SlotType::Text => CaptureKind::Text,
            SlotType::Quote => CaptureKind::Extent(ExtentKind::Quote),
        }
    }

    fn is_entity(self) -> bool {
        matches!(self, SlotType::Entity | SlotType::EntityList)
    }
}

/// A slot of a rule.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotData {
    /// Its type.
    #[serde(rename = "type")]
    pub kind: SlotType,
    /// A claim without it is dropped.
    #[serde(default)]
    pub required: bool,
    /// For times: resolve unmarked weekdays in this direction, whatever the sentence's tense.
    #[serde(default)]
    pub prefer: Option<Direction>,
    /// For entity lists: drop members on the same side as this other slot's entity (an entity
    /// does not back its own side).
    #[serde(default, rename = "exclude-side-of")]
    pub exclude_side_of: Option<String>,
    /// For entities: only these entity ids (or entities on these sides) are accepted.
    #[serde(default, rename = "one-of")]
    pub one_of: Vec<String>,
}

/// The expected value of a slot in an example: canonical text, a number, or a set of ids.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum Expected {
    /// A number.
    Number(f64),
    /// Canonical text: an entity id, `600-800`, `2020-01-12T00:00`, a quote.
    Text(String),
    /// Entity ids of a list, in any order.
    Set(Vec<String>),
}

/// `none`: the example must not match.
#[derive(Clone, Copy, Debug, Deserialize)]
pub enum NoMatch {
    /// The marker.
    #[serde(rename = "none")]
    None,
}

/// What an example expects.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum Expect {
    /// No match.
    NoMatch(NoMatch),
    /// A match with at least these slot values.
    Slots(BTreeMap<String, Expected>),
}

/// An example of a rule: a test it must pass.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleData {
    /// Language of the text.
    pub lang: String,
    /// The text.
    pub text: String,
    /// Publication date anchoring relative times.
    #[serde(default)]
    pub date: Option<PubDate>,
    /// The slots expected, or `none`.
    pub expect: Expect,
    /// The claim key expected of the match.
    #[serde(default)]
    pub key: Option<String>,
}

/// A claim rule as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleData {
    /// Unique id (`mercenaries`).
    pub id: String,
    /// What it produces.
    pub kind: RuleKind,
    /// What it is for.
    #[serde(default)]
    pub description: String,
    /// Level of a disagreement on its claims.
    #[serde(default)]
    pub level: Level,
    /// True when its figures may legitimately change over time (death tolls).
    #[serde(default)]
    pub evolving: bool,
    /// For attribution rules: the stance they mark.
    #[serde(default)]
    pub stance: Stance,
    /// Template of the claim key: `{slot}` for a slot's canonical value, `{side:slot}` for the
    /// side of its entity.
    pub key: String,
    /// Template of the topic: the same placeholders, rendered with display names.
    #[serde(default)]
    pub message: String,
    /// Typed slots.
    #[serde(default)]
    pub slots: BTreeMap<String, SlotData>,
    /// Patterns by language code.
    pub patterns: BTreeMap<String, Vec<String>>,
    /// Examples, run as tests.
    #[serde(default)]
    pub examples: Vec<ExampleData>,
}

/// A compiled claim rule.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The rule as written.
    pub data: RuleData,
    /// The file it came from.
    pub file: String,
    /// Compiled patterns by language code.
    programs: BTreeMap<String, Program>,
    /// Compiled key template.
    pub key: Template,
    /// Compiled topic template.
    pub message: Template,
}

/// The compiled claim rules of `rules/claims/*.yaml`.
#[derive(Clone, Debug, Default)]
pub struct ClaimRules {
    rules: Vec<Rule>,
    warnings: Vec<String>,
    /// The trigger words of the rules, by language code.
    triggers: BTreeMap<String, TriggerIndex>,
    /// The index for a language the rules were not compiled for: every rule may match.
    unindexed: TriggerIndex,
}

impl ClaimRules {
    /// Loads and compiles claim rule files, reporting every error at once. A rule whose id was
    /// defined by an earlier file replaces it.
    pub fn from_files(
        files: &[RuleFile],
        languages: &BTreeMap<String, Language>,
        entities: &EntityBook,
    ) -> Result<Self, Vec<RuleError>> {
        let mut errors = Vec::new();
        let mut loaded = ClaimRules::default();
        for file in files {
            let parsed: ClaimFile = match parse_yaml(file) {
                Ok(parsed) => parsed,
                Err(error) => {
                    errors.push(error);
                    continue;
                }
            };
            let mut ids = BTreeSet::new();
            for data in parsed.rules {
                if !ids.insert(data.id.clone()) {
                    errors.push(rule_error(
                        file,
                        &data.id,
                        format!("rule `{}` is defined twice in this file", data.id),
                    ));
                    continue;
                }
                match Rule::compile(data, file, languages, entities) {
                    Ok(rule) => {
                        if rule.data.examples.is_empty() {
                            loaded.warnings.push(format!(
                                "{}: rule `{}` has no examples",
                                file.path, rule.data.id
                            ));
                        }
                        loaded.rules.retain(|old| old.data.id != rule.data.id);
                        loaded.rules.push(rule);
                    }
                    Err(mut more) => errors.append(&mut more),
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        loaded.triggers = languages
            .iter()
            .map(|(code, language)| {
                let needs = loaded
                    .rules
                    .iter()
                    .map(|rule| match rule.program_for(language) {
                        None => Need::Never,
                        Some(program) => match &program.trigger {
                            None => Need::Always,
                            Some(tests) => Need::AnyOf(tests),
                        },
                    });
                (code.clone(), TriggerIndex::new(needs))
            })
            .collect();
        loaded.unindexed = TriggerIndex::new(loaded.rules.iter().map(|_| Need::Always));
        Ok(loaded)
    }

    /// The trigger words of the rules for texts in `language`, which tell which rules may match
    /// a text (see [`TriggerIndex::active`]).
    pub fn triggers(&self, language: &Language) -> &TriggerIndex {
        self.triggers.get(&language.code).unwrap_or(&self.unindexed)
    }

    /// The rules, in load order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule `id`.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.data.id == id)
    }

    /// Ids of all rules.
    pub fn ids(&self) -> Vec<&str> {
        self.rules
            .iter()
            .map(|rule| rule.data.id.as_str())
            .collect()
    }

    /// Warnings found while loading, such as a rule without examples.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// An error about rule `id` of `file`, at the line of its `id:` when it can be found.
fn rule_error(file: &RuleFile, id: &str, message: String) -> RuleError {
    let line = file.text.lines().position(|line| {
        let line = line.trim_start().trim_start_matches("- ").trim();
        line.strip_prefix("id:")
            .is_some_and(|rest| rest.trim().trim_matches(['"', '\'']) == id)
    });
    RuleError {
        file: file.path.clone(),
        line: line.map(|l| l + 1),
        column: None,
        message: format!("rule `{id}`: {message}"),
    }
}

impl Rule {
    fn compile(
        data: RuleData,
        file: &RuleFile,
        languages: &BTreeMap<String, Language>,
        entities: &EntityBook,
    ) -> Result<Rule, Vec<RuleError>> {
        let mut problems: Vec<String> = Vec::new();
        let slot_names: Vec<&str> = data.slots.keys().map(String::as_str).collect();
        let suggest = |name: &str, candidates: &[&str]| {
            nearest_name(name, candidates)
                .map(|best| format!("; did you mean `{best}`?"))
                .unwrap_or_default()
        };
        if data.id.is_empty()
            || !data
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            problems.push("an id is lower-case letters, digits and `-`".to_string());
        }
        for (name, slot) in &data.slots {
            if let Some(other) = &slot.exclude_side_of {
                if !data.slots.contains_key(other) {
                    problems.push(format!(
                        "slots.{name}.exclude-side-of: unknown slot `{other}`{}",
                        suggest(other, &slot_names)
                    ));
                }
            }
            for id in &slot.one_of {
                if !entities.contains(id) {
                    problems.push(format!("slots.{name}.one-of: unknown entity id `{id}`"));
                }
            }
            if (slot.exclude_side_of.is_some() || !slot.one_of.is_empty()) && !slot.kind.is_entity()
            {
                problems.push(format!(
                    "slots.{name}: entity constraints on a non-entity slot"
                ));
            }
        }
        let key = Template::parse(&data.key, &slot_names)
            .map_err(|e| problems.push(format!("key: {e}")))
            .unwrap_or_default();
        let message = Template::parse(&data.message, &slot_names)
            .map_err(|e| problems.push(format!("message: {e}")))
            .unwrap_or_default();
        let mut programs = BTreeMap::new();
        let language_codes: Vec<&str> = languages.keys().map(String::as_str).collect();
        for (lang, patterns) in &data.patterns {
            let Some(language) = languages.get(lang) else {
                problems.push(format!(
                    "patterns.{lang}: no language `{lang}` in rules/lang{}",
                    suggest(lang, &language_codes)
                ));
                continue;
            };
            if patterns.is_empty() {
                problems.push(format!("patterns.{lang}: no pattern"));
            }
            let mut parts = Vec::new();
            for (index, pattern) in patterns.iter().enumerate() {
                let context = format!("patterns.{lang}[{index}]");
                match compile_pattern(index, pattern, &data, language) {
                    Ok(program) => parts.push(program),
                    Err(error) => problems.push(format!("{context}: {error}")),
                }
            }
            programs.insert(lang.clone(), Program::union(parts));
        }
        if data.patterns.is_empty() {
            problems.push("no patterns".to_string());
        }
        for (index, example) in data.examples.iter().enumerate() {
            if !data.patterns.contains_key(&example.lang) {
                problems.push(format!(
                    "examples[{index}]: no patterns for language `{}`",
                    example.lang
                ));
            }
            if let Expect::Slots(expected) = &example.expect {
                for name in expected.keys() {
                    if !data.slots.contains_key(name) {
                        problems.push(format!(
                            "examples[{index}]: unknown slot `{name}`{}",
                            suggest(name, &slot_names)
                        ));
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems
                .into_iter()
                .map(|message| rule_error(file, &data.id, message))
                .collect());
        }
        Ok(Rule {
            data,
            file: file.path.clone(),
            programs,
            key,
            message,
        })
    }

    /// The program for a language: its own patterns, or those of the first language of its
    /// fallback chain that has some.
    pub fn program_for(&self, language: &Language) -> Option<&Program> {
        language
            .chain
            .iter()
            .find_map(|code| self.programs.get(code))
    }

    /// The slots of every match of the rule in the scope; matches that miss a required slot or
    /// break a constraint are dropped.
    pub fn matches(
        &self,
        scope: &mut Scope,
        language: &Language,
        entities: &EntityBook,
    ) -> Vec<(Found, BTreeMap<String, Slot>)> {
        match self.program_for(language) {
            Some(program) => self.program_matches(program, scope, entities),
            None => Vec::new(),
        }
    }

    /// [`Rule::matches`] with the rule's program for the language, looked up by the caller
    /// ([`Rule::program_for`]) once for many scopes.
    pub fn program_matches(
        &self,
        program: &Program,
        scope: &mut Scope,
        entities: &EntityBook,
    ) -> Vec<(Found, BTreeMap<String, Slot>)> {
        program
            .find_all(scope)
            .into_iter()
            .filter_map(|found| {
                let slots = self.slots_of(&found, program, scope, entities)?;
                Some((found, slots))
            })
            .collect()
    }

    fn slots_of(
        &self,
        found: &Found,
        program: &Program,
        scope: &mut Scope,
        entities: &EntityBook,
    ) -> Option<BTreeMap<String, Slot>> {
        let mut slots: BTreeMap<String, Slot> = BTreeMap::new();
        for (capture, range) in program.captures.iter().zip(&found.captures) {
            let Some((start, end)) = *range else {
                continue;
            };
            let span = scope.byte_span(start, end);
            let written = scope.text.get(span.start..span.end).unwrap_or_default();
            let value = match capture.kind {
                CaptureKind::Extent(kind) => scope.extent_value(kind, start)?,
                CaptureKind::Text => Value::Text(written.to_string()),
            };
            let text = match &value {
                Value::Text(inner) => inner.clone(),
                _ => written.to_string(),
            };
            let declared = self.data.slots.get(&capture.name)?.kind;
            let value = match (value, declared) {
                (Value::Entity(entity), SlotType::EntityList) => Value::Entities(vec![entity]),
                (value, _) => value,
            };
            let slot = Slot { text, span, value };
            match slots.get_mut(&capture.name) {
                Some(existing) => merge_slot(existing, slot),
                None => {
                    slots.insert(capture.name.clone(), slot);
                }
            }
        }
        for (name, spec) in &self.data.slots {
            if let Some(Slot {
                value: Value::Entities(members),
                ..
            }) = slots.get(name)
            {
                let mut seen = BTreeSet::new();
                let mut kept: Vec<_> = members
                    .iter()
                    .filter(|member| seen.insert(member.id.clone()))
                    .cloned()
                    .collect();
                if let Some(other) = spec.exclude_side_of.as_ref().and_then(|o| slots.get(o)) {
                    if let Value::Entity(object) = &other.value {
                        let side = entities.side_of(&object.id).unwrap_or(&object.id);
                        kept.retain(|member| {
                            member.id != object.id
                                && entities.side_of(&member.id).unwrap_or(&member.id) != side
                        });
                    }
                }
                if kept.is_empty() {
                    slots.remove(name);
                } else if let Some(slot) = slots.get_mut(name) {
                    slot.value = Value::Entities(kept);
                }
            }
            if !spec.one_of.is_empty() {
                if let Some(Slot {
                    value: Value::Entity(entity),
                    ..
                }) = slots.get(name)
                {
                    let side = entities.side_of(&entity.id).unwrap_or_default();
                    if !spec.one_of.iter().any(|id| *id == *entity.id || id == side) {
                        return None;
                    }
                }
            }
            if spec.required && !slots.contains_key(name) {
                return None;
            }
        }
        Some(slots)
    }
}

/// Adds a second capture of the same slot: list members and quote halves are appended.
fn merge_slot(existing: &mut Slot, more: Slot) {
    existing.span = crate::model::Span::new(
        existing.span.start.min(more.span.start),
        existing.span.end.max(more.span.end),
    );
    match (&mut existing.value, more.value) {
        (Value::Entities(members), Value::Entities(new)) => {
            members.extend(new);
            existing.text = format!("{}; {}", existing.text, more.text);
        }
        (Value::Text(text), Value::Text(new)) => {
            text.push(' ');
            text.push_str(&new);
            existing.text = text.clone();
        }
        _ => {}
    }
}

fn compile_pattern(
    index: usize,
    pattern: &str,
    data: &RuleData,
    language: &Language,
) -> Result<Program, String> {
    let parsed = parse_pattern(pattern)?;
    let slot_names: Vec<&str> = data.slots.keys().map(String::as_str).collect();
    let capture_kind = |name: &str, written: Option<&str>| -> Result<CaptureKind, String> {
        let Some(slot) = data.slots.get(name) else {
            let hint = nearest_name(name, &slot_names)
                .map(|best| format!("; did you mean `{best}`?"))
                .unwrap_or_default();
            return Err(format!(
                "capture `{{{name}}}` names no slot of the rule{hint}"
            ));
        };
        let Some(written) = written else {
            return Ok(slot.kind.capture(slot.prefer));
        };
        let Some(kind) = SlotType::from_name(written) else {
            let hint = nearest_name(written, &SLOT_TYPES)
                .map(|best| format!("; did you mean `{best}`?"))
                .unwrap_or_default();
            return Err(format!("unknown slot type `{written}`{hint}"));
        };
        let compatible = kind == slot.kind || (kind.is_entity() && slot.kind.is_entity());
        if !compatible {
            return Err(format!(
                "capture `{{{name}:{written}}}` does not fit slot `{name}` of another type"
            ));
        }
        Ok(kind.capture(slot.prefer))
    };
    let program = Program::compile(index, &parsed, &language.words, &capture_kind)?;
    for (name, slot) in &data.slots {
        if slot.required && !program.captures.iter().any(|c| c.name == *name) {
            return Err(format!("does not capture required slot `{name}`"));
        }
    }
    Ok(program)
}
