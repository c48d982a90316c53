//! Compiled patterns and their linear-time matcher: a Pike VM over token positions.
//!
//! Every thread is a program counter at a token position; each (counter, position) pair is
//! visited at most once, so a search costs O(program × tokens) whatever the pattern. A typed
//! capture is a transition that jumps from token `i` to the token where the normalizer's match
//! starting at `i` ends; those extents are computed lazily, once per token and type, by
//! [`Scope`].

use std::cell::RefCell;
use std::sync::Arc;

use super::pattern::Node;
use super::tokens::{token_after, tokenize_into, Token};
use super::trigger::{required_elements, required_tests, Requirements, SentenceWords};
use super::words::{literal_tests, TokenTest, WordClass, WordClasses};
use crate::model::{EntityRef, Span, Value};
use crate::normalize::time::{Anchor, Direction};
use crate::rules::{nearest_name, Language, RuleSet};

/// The most instructions a compiled rule may have, to keep matching cheap.
const MAX_PROGRAM: usize = 200_000;
/// The most tokens a text capture takes.
const MAX_TEXT_TOKENS: usize = 12;
/// The most titles and entities an entity element chains ("Foreign Minister Vos").
const MAX_ELEMENT_STEPS: usize = 6;
/// The most members of a coordinated list.
const MAX_LIST_MEMBERS: usize = 32;

/// What a typed capture reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtentKind {
    /// A number or quantity.
    Quantity,
    /// A time, resolved with the given tense (or the sentence's when `None`).
    Time(Option<Direction>),
    /// One entity, possibly after titles ("Foreign Minister Vos").
    Entity,
    /// A coordinated list of entities.
    EntityList,
    /// A quotation between quote marks.
    Quote,
}

impl ExtentKind {
    fn cache_index(self) -> usize {
        match self {
            ExtentKind::Quantity => 0,
            ExtentKind::Time(None) => 1,
            ExtentKind::Time(Some(Direction::Past)) => 2,
            ExtentKind::Time(Some(Direction::Future)) => 3,
            ExtentKind::Entity => 4,
            ExtentKind::EntityList => 5,
            ExtentKind::Quote => 6,
        }
    }
}

/// Number of extent caches of a scope: one per [`ExtentKind`] plus single entities.
const CACHES: usize = 8;
const SINGLE_ENTITY_CACHE: usize = 7;

/// What a capture takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaptureKind {
    /// A typed extent.
    Extent(ExtentKind),
    /// One to a few arbitrary tokens, as few as possible.
    Text,
}

/// Resolves a capture's slot name and written type (if any) to what it takes.
pub type CaptureResolver<'a> = &'a dyn Fn(&str, Option<&str>) -> Result<CaptureKind, String>;

/// The best match found for one start: its cost (optional parts skipped, gap tokens), end,
/// pattern and last capture boundary written (an index into [`Workspace::saves`]).
type Candidate = ((u32, u32), usize, usize, usize);

/// A capture of a compiled program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaptureSpec {
    /// The slot it fills.
    pub name: String,
    /// What it takes.
    pub kind: CaptureKind,
}

#[derive(Clone, Debug)]
enum Inst {
    Token(TokenTest),
    /// Any word of a class: the thread moves past each matching word.
    Words(Arc<WordClass>),
    Any,
    Split(usize, usize),
    /// Like `Split`, but taking the second branch skips an optional part, which costs.
    Optional(usize, usize),
    Jump(usize),
    Save(usize),
    Extent {
        kind: ExtentKind,
        /// [`ExtentKind::cache_index`] of `kind`, found once.
        cache: usize,
        capture: usize,
    },
    Accept(usize),
}

/// The patterns of one rule in one language, compiled to one program.
#[derive(Clone, Debug, Default)]
pub struct Program {
    insts: Vec<Inst>,
    /// The captures, indexed by capture number.
    pub captures: Vec<CaptureSpec>,
    /// Token tests of which one passes on a token of every match; `None` when a match needs no
    /// particular word.
    pub trigger: Option<Vec<TokenTest>>,
    /// The instructions a match starts with (see [`Program::start_instructions`]).
    starts: Option<Vec<Start>>,
    /// The words a scope must hold for any match.
    requirements: Requirements,
    /// The top-level alternatives of the patterns: where each starts, and the words it needs.
    alternatives: Vec<(usize, Requirements)>,
    /// True when some start instruction serves only some of the alternatives of
    /// `requirements`: the bound past which no match starts is then worth finding for each
    /// start instruction apart.
    starts_bounded_apart: bool,
}

/// An instruction a match may start with, and the alternatives that may start with it: as
/// indices of the program's [`Requirements`] alternatives that stand for them.
#[derive(Clone, Debug)]
struct Start {
    pc: usize,
    alternatives: Vec<usize>,
}

/// A match: which pattern, which tokens, and the token range of each capture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Index of the pattern that matched.
    pub pattern: usize,
    /// First token.
    pub start: usize,
    /// Token after the match.
    pub end: usize,
    /// Token range of each capture, `None` when it did not take part.
    pub captures: Vec<Option<(usize, usize)>>,
}

/// Compiles one pattern into a program fragment.
struct Compiler<'a> {
    insts: Vec<Inst>,
    captures: Vec<CaptureSpec>,
    words: &'a WordClasses,
    capture_kind: CaptureResolver<'a>,
}

impl Compiler<'_> {
    fn push(&mut self, inst: Inst) -> Result<usize, String> {
        if self.insts.len() >= MAX_PROGRAM {
            return Err(format!(
                "the pattern compiles to more than {MAX_PROGRAM} instructions"
            ));
        }
        self.insts.push(inst);
        Ok(self.insts.len() - 1)
    }

    fn patch_split(&mut self, at: usize, first: usize, second: usize) {
        self.insts[at] = Inst::Split(first, second);
    }

    fn sequence(&mut self, nodes: &[Node]) -> Result<(), String> {
        nodes.iter().try_for_each(|node| self.node(node))
    }

    /// Emits a choice between branches, preferring the first.
    fn choice<T>(
        &mut self,
        branches: &[T],
        mut emit: impl FnMut(&mut Self, &T) -> Result<(), String>,
    ) -> Result<(), String> {
        let mut jumps = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            if i + 1 < branches.len() {
                let split = self.push(Inst::Split(0, 0))?;
                emit(self, branch)?;
                jumps.push(self.push(Inst::Jump(0))?);
                let next = self.insts.len();
                self.patch_split(split, split + 1, next);
            } else {
                emit(self, branch)?;
            }
        }
        let end = self.insts.len();
        for jump in jumps {
            self.insts[jump] = Inst::Jump(end);
        }
        Ok(())
    }

    fn tokens(&mut self, tests: &[TokenTest]) -> Result<(), String> {
        tests
            .iter()
            .try_for_each(|test| self.push(Inst::Token(test.clone())).map(drop))
    }

    /// Up to `size` arbitrary tokens, as few as possible.
    fn gap(&mut self, size: usize) -> Result<(), String> {
        let mut splits = Vec::new();
        for _ in 0..size {
            splits.push(self.push(Inst::Split(0, 0))?);
            self.push(Inst::Any)?;
        }
        let end = self.insts.len();
        for split in splits {
            self.patch_split(split, end, split + 1);
        }
        Ok(())
    }

    fn node(&mut self, node: &Node) -> Result<(), String> {
        match node {
            Node::Literal(text) => {
                let tests = literal_tests(text);
                if tests.is_empty() {
                    return Err(format!("literal `{text}` has no token"));
                }
                self.tokens(&tests)
            }
            Node::Class(name) => {
                let words = self.words;
                let Some(class) = words.class(name) else {
                    let names = words.names();
                    let hint = nearest_name(name, &names)
                        .map(|best| format!("; did you mean `@{best}`?"))
                        .unwrap_or_default();
                    return Err(format!("unknown word class `@{name}`{hint}"));
                };
                if class.is_empty() {
                    return Err(format!("word class `@{name}` is empty"));
                }
                self.push(Inst::Words(Arc::clone(class))).map(drop)
            }
            Node::Group(branches) => self.choice(branches, |this, seq| this.sequence(seq)),
            Node::Optional(branches) => {
                let split = self.push(Inst::Optional(0, 0))?;
                self.choice(branches, |this, seq| this.sequence(seq))?;
                let end = self.insts.len();
                self.insts[split] = Inst::Optional(split + 1, end);
                Ok(())
            }
            Node::Gap(size) => self.gap(*size),
            Node::Capture { name, kind } => {
                let capture_kind = (self.capture_kind)(name, kind.as_deref())?;
                let capture = self.captures.len();
                self.captures.push(CaptureSpec {
                    name: name.clone(),
                    kind: capture_kind,
                });
                match capture_kind {
                    CaptureKind::Extent(kind) => {
                        let cache = kind.cache_index();
                        self.push(Inst::Extent {
                            kind,
                            cache,
                            capture,
                        })?;
                    }
                    CaptureKind::Text => {
                        self.push(Inst::Save(2 * capture))?;
                        self.push(Inst::Any)?;
                        self.gap(MAX_TEXT_TOKENS - 1)?;
                        self.push(Inst::Save(2 * capture + 1))?;
                    }
                }
                Ok(())
            }
        }
    }
}

impl Program {
    /// Compiles one parsed pattern (its top-level alternatives) as pattern number `index`.
    /// `capture_kind` resolves a capture's name and written type against the rule's slots.
    pub fn compile(
        index: usize,
        alternatives: &[Vec<Node>],
        words: &WordClasses,
        capture_kind: CaptureResolver,
    ) -> Result<Program, String> {
        let mut compiler = Compiler {
            insts: Vec::new(),
            captures: Vec::new(),
            words,
            capture_kind,
        };
        let mut entries = Vec::with_capacity(alternatives.len());
        compiler.choice(alternatives, |this, seq| {
            entries.push(this.insts.len());
            this.sequence(seq)
        })?;
        compiler.push(Inst::Accept(index))?;
        let parts: Vec<(usize, Requirements)> = entries
            .into_iter()
            .zip(alternatives)
            .map(|(entry, sequence)| {
                let alone = std::slice::from_ref(sequence);
                (entry, required_elements(alone, words))
            })
            .collect();
        let requirements = required_elements(alternatives, words);
        let starts = Program::start_instructions(&compiler.insts, &parts, &requirements);
        Ok(Program {
            starts_bounded_apart: Program::bounded_apart(&starts, &requirements),
            starts,
            insts: compiler.insts,
            captures: compiler.captures,
            trigger: required_tests(alternatives, words),
            requirements,
            alternatives: parts,
        })
    }

    /// Joins programs into one that tries them all, preferring the earlier ones.
    pub fn union(parts: Vec<Program>) -> Program {
        let count = parts.len();
        let header = count.saturating_sub(1);
        let mut bases = Vec::with_capacity(count);
        let mut base = header;
        for part in &parts {
            bases.push(base);
            base += part.insts.len();
        }
        let mut insts = Vec::with_capacity(base);
        for i in 0..header {
            let second = if i + 1 < header {
                i + 1
            } else {
                bases[count - 1]
            };
            insts.push(Inst::Split(bases[i], second));
        }
        let mut captures = Vec::new();
        let mut trigger: Option<Vec<TokenTest>> = Some(Vec::new());
        let mut requirements = Requirements::default();
        let mut alternatives = Vec::new();
        for (part, base) in parts.into_iter().zip(bases) {
            requirements = requirements.union(part.requirements);
            alternatives.extend(
                part.alternatives
                    .into_iter()
                    .map(|(entry, needs)| (entry + base, needs)),
            );
            trigger = match (trigger, part.trigger) {
                (Some(mut all), Some(tests)) => {
                    for test in tests {
                        if !all.contains(&test) {
                            all.push(test);
                        }
                    }
                    Some(all)
                }
                _ => None,
            };
            let capture_base = captures.len();
            insts.extend(part.insts.into_iter().map(|inst| match inst {
                Inst::Split(a, b) => Inst::Split(a + base, b + base),
                Inst::Optional(a, b) => Inst::Optional(a + base, b + base),
                Inst::Jump(a) => Inst::Jump(a + base),
                Inst::Save(slot) => Inst::Save(slot + 2 * capture_base),
                Inst::Extent {
                    kind,
                    cache,
                    capture,
                } => Inst::Extent {
                    kind,
                    cache,
                    capture: capture + capture_base,
                },
                other => other,
            }));
            captures.extend(part.captures);
        }
        let starts = Program::start_instructions(&insts, &alternatives, &requirements);
        Program {
            starts_bounded_apart: Program::bounded_apart(&starts, &requirements),
            starts,
            insts,
            captures,
            trigger,
            requirements,
            alternatives,
        }
    }

    /// True when the program has no pattern.
    pub fn is_empty(&self) -> bool {
        self.insts.is_empty()
    }

    /// All leftmost, non-overlapping matches in the scope, in one pass over its tokens. Of the
    /// matches starting at one token, the one skipping the fewest optional parts wins, then the
    /// one with the fewest gap tokens, then the longest.
    pub fn find_all(&self, scope: &mut Scope) -> Vec<Found> {
        if self.insts.is_empty() {
            return Vec::new();
        }
        WORKSPACE.with_borrow_mut(|work| {
            let lent = Lent(work);
            self.find_all_in(scope, lent.0)
        })
    }

    /// [`Program::find_all`] with the thread's matcher buffers.
    fn find_all_in(&self, scope: &mut Scope, work: &mut Workspace) -> Vec<Found> {
        let starts_end = self.start_bounds(&scope.words, &scope.tokens, work);
        if starts_end == 0 {
            return Vec::new();
        }
        self.run(scope, work, starts_end);
        let mut found = Vec::new();
        let mut covered = 0;
        // Every candidate is taken out, so that `best` is all `None` again for the next pass.
        work.started.sort_unstable();
        for &start in &work.started {
            let Some((_, end, pattern, last_save)) = work.best[start].take() else {
                continue;
            };
            if start < covered {
                continue;
            }
            covered = end;
            let bounds = &mut work.bounds;
            bounds.clear();
            bounds.resize(2 * self.captures.len(), usize::MAX);
            for save in saves_from(&work.saves, last_save) {
                // The last boundary written for a slot holds.
                if bounds[save.slot] == usize::MAX {
                    bounds[save.slot] = save.position;
                }
            }
            let captures = bounds
                .chunks_exact(2)
                .map(|pair| {
                    (pair[0] != usize::MAX && pair[1] != usize::MAX).then(|| (pair[0], pair[1]))
                })
                .collect();
            found.push(Found {
                pattern,
                start,
                end,
                captures,
            });
        }
        found
    }

    /// The token from which on no match can start in `tokens` (0 when none can). When the
    /// start instructions are bounded apart, the same bound for each of them is written into
    /// `work.start_ends`, from the alternatives that may start with it; else that is left empty.
    fn start_bounds(&self, words: &SentenceWords, tokens: &[Token], work: &mut Workspace) -> usize {
        work.start_ends.clear();
        let starts = match &self.starts {
            Some(starts) if self.starts_bounded_apart => starts,
            _ => return self.requirements.starts_end(words, tokens),
        };
        let ends = &mut work.alternative_ends;
        self.requirements.alternative_ends(words, tokens, ends);
        work.start_ends.extend(starts.iter().map(|start| {
            start
                .alternatives
                .iter()
                .map(|&alternative| ends[alternative])
                .max()
                .unwrap_or(0)
        }));
        work.start_ends.iter().copied().max().unwrap_or(0)
    }

    /// The Pike VM pass: fills `work.best` with the best candidate for each start token before
    /// `starts_end`, and `work.started` with the tokens that have one.
    fn run(&self, scope: &mut Scope, work: &mut Workspace, starts_end: usize) {
        let count = scope.tokens.len();
        let Workspace {
            pending,
            stamp,
            arrivals,
            stack,
            lengths,
            saves,
            best,
            started,
            start_ends,
            ..
        } = work;
        // Threads waiting to run at each position, before their closure is taken there. Every
        // queue a pass fills is drained at its position, so all are empty between passes: they
        // are only added, never cleared, and keep their buffers.
        if pending.len() <= count {
            pending.resize_with(count + 1, Vec::new);
        }
        // The furthest position a thread waits at: past it and `starts_end`, nothing is left.
        let mut reach = 0;
        // `stamp[pc] == position + 1` once `pc` was reached at `position`: positions only grow,
        // so one array serves the whole pass.
        stamp.clear();
        stamp.resize(self.insts.len(), 0);
        if best.len() < count {
            best.resize(count, None);
        }
        started.clear();
        saves.clear();
        for position in 0..=count {
            if position >= starts_end && position > reach {
                break;
            }
            std::mem::swap(arrivals, &mut pending[position]);
            if position < starts_end && self.may_start(scope, start_ends, position) {
                arrivals.push(Thread {
                    pc: 0,
                    start: position,
                    gaps: 0,
                    skips: 0,
                    last_save: NO_SAVE,
                });
            }
            // Each arrival's closure, in priority order: every instruction reachable without
            // consuming a token, once per position. A thread is followed without a stack round
            // trip, only a split's second branch waiting there, and each instruction consuming
            // tokens is stepped over when reached.
            for mut thread in arrivals.drain(..) {
                loop {
                    while stamp[thread.pc] != position + 1 {
                        stamp[thread.pc] = position + 1;
                        match &self.insts[thread.pc] {
                            Inst::Jump(target) => thread.pc = *target,
                            Inst::Split(first, second) => {
                                stack.push(Thread {
                                    pc: *second,
                                    ..thread
                                });
                                thread.pc = *first;
                            }
                            Inst::Optional(body, skip) => {
                                stack.push(Thread {
                                    pc: *skip,
                                    skips: thread.skips + 1,
                                    ..thread
                                });
                                thread.pc = *body;
                            }
                            Inst::Save(slot) => {
                                thread.save(saves, *slot, position);
                                thread.pc += 1;
                            }
                            Inst::Token(test) => {
                                if position < count && test.matches(&scope.tokens[position].folded)
                                {
                                    queue(pending, &mut reach, position + 1, thread.next());
                                }
                                break;
                            }
                            Inst::Words(class) => {
                                class.lengths_at(&scope.tokens, position, lengths);
                                for &length in lengths.iter() {
                                    queue(pending, &mut reach, position + length, thread.next());
                                }
                                break;
                            }
                            Inst::Any => {
                                if position < count {
                                    let mut thread = thread.next();
                                    thread.gaps += 1;
                                    queue(pending, &mut reach, position + 1, thread);
                                }
                                break;
                            }
                            Inst::Extent {
                                kind,
                                cache,
                                capture,
                            } => {
                                if let Some(end) = scope.extent_end(*cache, *kind, position) {
                                    let mut thread = thread.next();
                                    thread.save(saves, 2 * capture, position);
                                    thread.save(saves, 2 * capture + 1, end);
                                    queue(pending, &mut reach, end, thread);
                                }
                                break;
                            }
                            Inst::Accept(pattern) => {
                                if position > thread.start {
                                    let cost = (thread.skips, thread.gaps);
                                    let kept = &mut best[thread.start];
                                    let better = kept.is_none_or(|(old, end, _, _)| {
                                        cost < old || (cost == old && position > end)
                                    });
                                    if better {
                                        if kept.is_none() {
                                            started.push(thread.start);
                                        }
                                        *kept = Some((cost, position, *pattern, thread.last_save));
                                    }
                                }
                                break;
                            }
                        }
                    }
                    let Some(waiting) = stack.pop() else {
                        break;
                    };
                    thread = waiting;
                }
            }
            // Every step consumes a token or more (words and extents are never empty), so no
            // thread waits at the position just run: the queues stay empty between passes.
            debug_assert!(
                pending[position].is_empty(),
                "a thread queued at {position}"
            );
        }
    }

    /// False when no match can start at token `position`: none of the instructions a match
    /// starts with passes there, or, with `start_ends` (the bound of each start instruction),
    /// none whose alternatives may start there. Skipping such positions spares the closure over
    /// every alternative at almost every token, and an extent looked for before the words that
    /// the alternatives starting with it need.
    fn may_start(&self, scope: &mut Scope, start_ends: &[usize], position: usize) -> bool {
        let Some(starts) = &self.starts else {
            return true;
        };
        // A start past its own bound is not tested; without bounds, every one is.
        let open = |index: usize| start_ends.get(index).is_none_or(|&end| position < end);
        starts.iter().enumerate().any(|(index, start)| {
            open(index)
                && match &self.insts[start.pc] {
                    Inst::Token(test) => test.matches(&scope.tokens[position].folded),
                    Inst::Words(class) => class.longest_at(&scope.tokens, position).is_some(),
                    Inst::Extent { kind, cache, .. } => {
                        scope.extent_end(*cache, *kind, position).is_some()
                    }
                    _ => true,
                }
        })
    }

    /// The instructions that consume the first token of a match: those reachable from the
    /// start of an alternative (`alternatives`: its first instruction and what it needs)
    /// without consuming one, one per distinct test, cheapest test first (a typed extent may
    /// call a normalizer), each with the alternatives of `requirements` standing for those that
    /// start with it. `None` when a match may start with any token (a gap or a text capture)
    /// or be empty.
    fn start_instructions(
        insts: &[Inst],
        alternatives: &[(usize, Requirements)],
        requirements: &Requirements,
    ) -> Option<Vec<Start>> {
        let mut starts: Vec<Start> = Vec::new();
        for (entry, needs) in alternatives {
            let covering = requirements.covering(needs);
            let mut seen = vec![false; insts.len()];
            let mut stack = vec![*entry];
            while let Some(pc) = stack.pop() {
                if pc >= insts.len() || std::mem::replace(&mut seen[pc], true) {
                    continue;
                }
                match insts[pc] {
                    Inst::Jump(target) => stack.push(target),
                    Inst::Split(first, second) | Inst::Optional(first, second) => {
                        stack.extend([second, first]);
                    }
                    Inst::Save(_) => stack.push(pc + 1),
                    Inst::Token(_) | Inst::Words(_) | Inst::Extent { .. } => {
                        let same = |other: &Start| same_test(&insts[other.pc], &insts[pc]);
                        let index = starts.iter().position(same).unwrap_or_else(|| {
                            starts.push(Start {
                                pc,
                                alternatives: Vec::new(),
                            });
                            starts.len() - 1
                        });
                        let served = &mut starts[index].alternatives;
                        served.extend(&covering);
                        served.sort_unstable();
                        served.dedup();
                    }
                    Inst::Any | Inst::Accept(_) => return None,
                }
            }
        }
        starts.sort_by_key(|start| matches!(insts[start.pc], Inst::Extent { .. }));
        Some(starts)
    }

    /// True when some of `starts` serves only some of the alternatives of `requirements`.
    fn bounded_apart(starts: &Option<Vec<Start>>, requirements: &Requirements) -> bool {
        (starts.iter().flatten())
            .any(|start| start.alternatives.len() < requirements.alternatives())
    }
}

/// Queues `thread` to run at `position`, keeping in `reach` the furthest position queued.
fn queue(pending: &mut [Vec<Thread>], reach: &mut usize, position: usize, thread: Thread) {
    *reach = (*reach).max(position);
    pending[position].push(thread);
}

/// True when two instructions consume a token on the same test, so that one passes wherever the
/// other does.
fn same_test(first: &Inst, second: &Inst) -> bool {
    match (first, second) {
        (Inst::Token(a), Inst::Token(b)) => a == b,
        (Inst::Words(a), Inst::Words(b)) => Arc::ptr_eq(a, b),
        (Inst::Extent { kind: a, .. }, Inst::Extent { kind: b, .. }) => a == b,
        _ => false,
    }
}

/// The matcher's buffers, kept per thread (in [`WORKSPACE`]) so that every program matched on
/// it reuses them.
#[derive(Default)]
struct Workspace {
    pending: Vec<Vec<Thread>>,
    stamp: Vec<usize>,
    arrivals: Vec<Thread>,
    stack: Vec<Thread>,
    lengths: Vec<usize>,
    /// Every capture boundary written in the pass, each linked to the one its thread wrote
    /// before: threads share the boundaries they have in common.
    saves: Vec<Save>,
    /// The best candidate for each start token: all `None` between passes, and long enough
    /// for the longest scope matched.
    best: Vec<Option<Candidate>>,
    /// The start tokens given a candidate in the pass.
    started: Vec<usize>,
    /// The token from which on no match of each alternative of the requirements can start.
    alternative_ends: Vec<usize>,
    /// The same bound for each start instruction, when they are bounded apart.
    start_ends: Vec<usize>,
    /// The capture boundaries of the match being read.
    bounds: Vec<usize>,
}

/// The most token positions a [`Workspace`] keeps room for between documents: one with a
/// longer span gives its room back, so that one huge paragraph does not hold memory for the rest
/// of the run.
const WORKSPACE_KEPT: usize = 4096;

/// The most threads each of a [`Workspace`]'s queues keeps room for between documents.
const QUEUE_KEPT: usize = 64;

impl Workspace {
    /// Gives back the room above [`WORKSPACE_KEPT`] positions and [`QUEUE_KEPT`] threads a
    /// queue.
    fn trim(&mut self) {
        if self.pending.len() > WORKSPACE_KEPT {
            self.pending.truncate(WORKSPACE_KEPT);
            self.pending.shrink_to_fit();
        }
        for queue in &mut self.pending {
            if queue.capacity() > QUEUE_KEPT {
                queue.shrink_to(QUEUE_KEPT);
            }
        }
        for buffer in [&mut self.arrivals, &mut self.stack] {
            buffer.shrink_to(WORKSPACE_KEPT);
        }
        self.saves.shrink_to(WORKSPACE_KEPT);
        self.started.shrink_to(WORKSPACE_KEPT);
        if self.best.len() > WORKSPACE_KEPT {
            self.best.truncate(WORKSPACE_KEPT);
            self.best.shrink_to_fit();
        }
    }
}

thread_local! {
    /// The matcher's buffers, which every program matched on the thread uses in turn: they
    /// grow on a thread's first documents only.
    static WORKSPACE: RefCell<Workspace> = RefCell::new(Workspace::default());
}

impl Drop for Scope<'_> {
    /// Trims the thread's matcher buffers once the scope (a document's) is done with.
    fn drop(&mut self) {
        WORKSPACE.with_borrow_mut(Workspace::trim);
    }
}

/// The thread's matcher buffers, lent to one match: a match that panics leaves them dirty
/// (threads queued, candidates kept), so they are then replaced by fresh ones rather than
/// handed to the next match on the thread, should the panic be caught.
struct Lent<'w>(&'w mut Workspace);

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            *self.0 = Workspace::default();
        }
    }
}

/// A capture boundary a thread wrote: the slot, the token position, and the index (in
/// [`Workspace::saves`]) of the boundary the thread wrote before, or [`NO_SAVE`].
#[derive(Clone, Copy, Debug)]
struct Save {
    slot: usize,
    position: usize,
    previous: usize,
}

/// The boundaries a thread wrote, from its last one (`last_save`, an index into `saves`) back to
/// its first.
fn saves_from(saves: &[Save], last_save: usize) -> impl Iterator<Item = Save> + '_ {
    std::iter::successors(saves.get(last_save).copied(), |save| {
        saves.get(save.previous).copied()
    })
}

/// The index of no capture boundary: a thread that has written none.
const NO_SAVE: usize = usize::MAX;

#[derive(Clone, Copy, Debug)]
struct Thread {
    pc: usize,
    start: usize,
    /// Tokens taken by gaps and text captures.
    gaps: u32,
    /// Optional parts skipped.
    skips: u32,
    /// The index in [`Workspace::saves`] of the last capture boundary it wrote, or [`NO_SAVE`].
    last_save: usize,
}

impl Thread {
    /// The thread moved to the next instruction.
    fn next(mut self) -> Thread {
        self.pc += 1;
        self
    }

    /// Writes `position` as the boundary `slot` of the thread's captures.
    fn save(&mut self, saves: &mut Vec<Save>, slot: usize, position: usize) {
        saves.push(Save {
            slot,
            position,
            previous: self.last_save,
        });
        self.last_save = saves.len() - 1;
    }
}

/// What a scope is read against: the document's language, the rules and the date anchor.
#[derive(Clone, Copy)]
pub struct Environment<'a> {
    /// All rules.
    pub rules: &'a RuleSet,
    /// The document's language.
    pub language: &'a Language,
    /// The date anchor.
    pub anchor: Anchor,
}

type Extent = Option<(usize, Value)>;

/// Where a cache keeps a computed extent: its index in [`Scope`]'s extents, `None` for none. The
/// caches hold these rather than the extents, so that they are small to fill and clear.
type ExtentIndex = Option<usize>;

/// A span of a document (a sentence or a paragraph) being matched: its tokens, and the typed
/// extents starting at each token, computed lazily.
pub struct Scope<'a> {
    /// The document's text.
    pub text: &'a str,
    /// The span matched.
    pub span: Span,
    /// Its tokens.
    pub tokens: Vec<Token<'a>>,
    /// The names written in the span.
    pub mentions: Vec<EntityRef>,
    /// The entity mentions looked up while finding the names.
    entity_matches: crate::normalize::names::EntityMatches,
    /// Its words, hashed for the rules' requirements.
    words: SentenceWords,
    env: Environment<'a>,
    previous_subject: Option<EntityRef>,
    /// The quotations of the span, looked for when a quote capture first needs them.
    quotes: Option<Vec<Span>>,
    /// By cache and token, where the extent is kept once computed; each cache is filled with
    /// `None` (not computed) on first use.
    cache: [Vec<Option<ExtentIndex>>; CACHES],
    /// The extents found, which the caches index.
    extents: Vec<(usize, Value)>,
    classes: ListClasses<'a>,
}

/// The word classes entities and lists are read with, looked up once per scope.
#[derive(Clone, Copy)]
struct ListClasses<'a> {
    pronoun: Option<&'a WordClass>,
    determiner: Option<&'a WordClass>,
    title: Option<&'a WordClass>,
    comma: Option<&'a WordClass>,
    and: Option<&'a WordClass>,
    list_joiner: Option<&'a WordClass>,
}

impl<'a> ListClasses<'a> {
    fn new(words: &'a WordClasses) -> Self {
        let class = |name: &str| words.class(name).map(|class| &**class);
        ListClasses {
            pronoun: class("pronoun"),
            determiner: class("determiner"),
            title: class("title"),
            comma: class("comma"),
            and: class("and"),
            list_joiner: class("list-joiner"),
        }
    }

    /// The number of tokens of the longest word of `class` at token `at`.
    fn longest(class: Option<&WordClass>, tokens: &[Token], at: usize) -> Option<usize> {
        class?.longest_at(tokens, at)
    }
}

impl<'a> Scope<'a> {
    /// Prepares `span` of `text`; `previous_subject` is what a pronoun at its start refers to.
    pub fn new(
        text: &'a str,
        span: Span,
        env: Environment<'a>,
        previous_subject: Option<EntityRef>,
    ) -> Self {
        let mut scope = Scope::empty(text, env);
        scope.reset(span, previous_subject);
        scope
    }

    /// A scope of `text` over no span yet: [`Scope::reset`] gives it one.
    pub fn empty(text: &'a str, env: Environment<'a>) -> Self {
        Scope {
            text,
            span: Span::new(0, 0),
            tokens: Vec::new(),
            mentions: Vec::new(),
            entity_matches: Default::default(),
            words: SentenceWords::default(),
            env,
            previous_subject: None,
            quotes: None,
            cache: Default::default(),
            extents: Vec::new(),
            classes: ListClasses::new(&env.language.words),
        }
    }

    /// Prepares `span` of the same text in place of the span matched so far, as
    /// [`Scope::new`] would, keeping its buffers (tokens, extent caches) for it.
    pub fn reset(&mut self, span: Span, previous_subject: Option<EntityRef>) {
        self.reset_with_quotes(span, previous_subject, None);
    }

    /// [`Scope::reset`] for a caller that may have found the quotations of `span` with
    /// [`find_quotes`] already, so they are not looked for twice; with `None`, they are looked
    /// for when a quote capture first needs them.
    pub fn reset_with_quotes(
        &mut self,
        span: Span,
        previous_subject: Option<EntityRef>,
        quotes: Option<Vec<Span>>,
    ) {
        tokenize_into(self.text, span, &mut self.tokens);
        self.prepare(span, previous_subject, quotes);
    }

    /// [`Scope::reset_with_quotes`] with no previous subject, for a caller that has the tokens
    /// of `span` already: `tokens` must be those [`tokenize_into`] finds in it. The tokens of
    /// sentences with whitespace between them, in order, are those of the text spanning them
    /// (no token holds whitespace), so a paragraph's tokens may be taken from its sentences'.
    pub fn reset_with_tokens(
        &mut self,
        span: Span,
        tokens: impl IntoIterator<Item = Token<'a>>,
        quotes: Option<Vec<Span>>,
    ) {
        self.tokens.clear();
        self.tokens.extend(tokens);
        self.prepare(span, None, quotes);
    }

    /// Prepares `span`, whose tokens are in place, for matching.
    fn prepare(
        &mut self,
        span: Span,
        previous_subject: Option<EntityRef>,
        quotes: Option<Vec<Span>>,
    ) {
        let (text, env) = (self.text, self.env);
        self.span = span;
        let lang = env.language.code.as_str();
        self.mentions = crate::normalize::names::name_mentions_into(
            text,
            span,
            lang,
            &env.rules.entities,
            &self.tokens,
            &mut self.entity_matches,
        );
        self.quotes = quotes;
        self.words.refill(&self.tokens);
        self.previous_subject = previous_subject;
        self.cache.iter_mut().for_each(Vec::clear);
        self.extents.clear();
    }

    /// The byte span of tokens `[start, end)`.
    pub fn byte_span(&self, start: usize, end: usize) -> Span {
        match (
            self.tokens.get(start),
            end.checked_sub(1).and_then(|e| self.tokens.get(e)),
        ) {
            (Some(first), Some(last)) if end > start => Span::new(first.start, last.end),
            _ => Span::new(self.span.start, self.span.start),
        }
    }

    /// The value of the extent of `kind` starting at token `at`, when there is one.
    pub fn extent_value(&mut self, kind: ExtentKind, at: usize) -> Option<Value> {
        self.cached(kind.cache_index(), kind, at)
            .map(|(_, value)| value.clone())
    }

    /// The token after the extent of `kind` starting at token `at`; `cache` is
    /// [`ExtentKind::cache_index`] of `kind`, which the program found once.
    #[inline]
    fn extent_end(&mut self, cache: usize, kind: ExtentKind, at: usize) -> Option<usize> {
        self.cached(cache, kind, at).map(|(end, _)| *end)
    }

    /// The extent of `kind` at token `at`, from `cache`.
    #[inline]
    fn cached(&mut self, cache: usize, kind: ExtentKind, at: usize) -> Option<&(usize, Value)> {
        let index = self.cached_index(cache, kind, at)?;
        self.extents.get(index)
    }

    /// Where the extent of `kind` at token `at` is kept, from `cache` when it is known there:
    /// most lookups are, and cost no call.
    #[inline]
    fn cached_index(&mut self, cache: usize, kind: ExtentKind, at: usize) -> ExtentIndex {
        if !matches!(self.cache[cache].get(at), Some(Some(_))) {
            self.fill(cache, kind, at);
        }
        (*self.cache[cache].get(at)?)?
    }

    /// Keeps a computed extent, returning where.
    fn keep(&mut self, extent: (usize, Value)) -> usize {
        self.extents.push(extent);
        self.extents.len() - 1
    }

    /// Computes the extent of `kind` at token `at` into `cache`. Never inlined, so that
    /// [`Scope::cached_index`] is.
    #[inline(never)]
    fn fill(&mut self, cache: usize, kind: ExtentKind, at: usize) {
        if at >= self.tokens.len() {
            return;
        }
        if self.cache[cache].is_empty() {
            self.cache[cache].resize(self.tokens.len(), None);
        }
        let index = if cache == SINGLE_ENTITY_CACHE {
            self.single_entity(at).map(|extent| self.keep(extent))
        } else {
            self.compute(kind, at)
        };
        self.cache[cache][at] = Some(index);
    }

    /// The token after byte `end`, when it lies after token `at`.
    fn end_token(&self, at: usize, end: usize) -> Option<usize> {
        token_after(&self.tokens, at, end)
    }

    /// Computes the extent of `kind` at token `at` and keeps it, unless it is one kept already.
    fn compute(&mut self, kind: ExtentKind, at: usize) -> ExtentIndex {
        let start = self.tokens[at].start;
        let language = self.env.language;
        let extent = match kind {
            ExtentKind::Quantity => {
                let (end, value) = language.numbers.match_at(self.text, start)?;
                (self.end_token(at, end)?, Value::Quantity(value))
            }
            ExtentKind::Time(prefer) => {
                // The tense marker nearest the time decides: in "called Wednesday for a
                // cease-fire to start on Sunday", Wednesday is past and Sunday future.
                let tense = || {
                    prefer.or_else(|| {
                        let sentence = self.text.get(self.span.start..self.span.end)?;
                        language.times.tense_at(sentence, start - self.span.start)
                    })
                };
                let (end, value) =
                    language
                        .times
                        .match_at_with(self.text, start, &self.env.anchor, tense)?;
                (self.end_token(at, end)?, Value::Time(value))
            }
            ExtentKind::Entity => return self.element(at),
            ExtentKind::EntityList => self.list(at)?,
            ExtentKind::Quote => {
                // Quotes are in text order: a binary search keeps a sentence of many quotes
                // linear.
                let (text, span, words) = (self.text, self.span, &language.words);
                let quotes = self
                    .quotes
                    .get_or_insert_with(|| find_quotes(text, span, words));
                let index = quotes.partition_point(|quote| quote.start < start);
                let quote = *quotes.get(index).filter(|quote| quote.start == start)?;
                let end = self.end_token(at, quote.end)?;
                let opener = self.tokens[at].end;
                let closer = self.tokens[end - 1].start;
                let inner = self.text.get(opener..closer)?.trim();
                (end, Value::Text(inner.to_string()))
            }
        };
        Some(self.keep(extent))
    }

    /// A known entity or a name written at token `at`.
    fn single_entity(&mut self, at: usize) -> Extent {
        let start = self.tokens[at].start;
        let lang = self.env.language.code.as_str();
        let known = self
            .entity_matches
            .match_at(&self.env.rules.entities, self.text, start, lang);
        let (end, entity) = known.or_else(|| {
            let index = self
                .mentions
                .partition_point(|mention| mention.span.start < start);
            self.mentions
                .get(index)
                .filter(|mention| mention.span.start == start)
                .map(|mention| (mention.span.end, mention.clone()))
        })?;
        Some((self.end_token(at, end)?, Value::Entity(entity)))
    }

    /// An entity after optional determiners and titles, or a pronoun standing for the
    /// subject of the last sentence of prose before it: where its extent is kept. After
    /// determiners and titles, that is the extent of the last entity, kept once for both.
    fn element(&mut self, at: usize) -> ExtentIndex {
        let classes = self.classes;
        if let (Some(length), Some(subject)) = (
            ListClasses::longest(classes.pronoun, &self.tokens, at),
            &self.previous_subject,
        ) {
            let span = self.byte_span(at, at + length);
            let entity = EntityRef {
                surface: self.text[span.start..span.end].to_string(),
                span,
                ..subject.clone()
            };
            return Some(self.keep((at + length, Value::Entity(entity))));
        }
        let mut position = at;
        let mut last = None;
        // Two entities chain only across a title: "Foreign Minister Vos", not
        // "Norvik Anna Berg" (a place, then a person).
        let mut after_entity = false;
        for _ in 0..MAX_ELEMENT_STEPS {
            if position >= self.tokens.len() {
                break;
            }
            if let Some(index) =
                self.cached_index(SINGLE_ENTITY_CACHE, ExtentKind::Entity, position)
            {
                if after_entity {
                    break;
                }
                last = Some(index);
                position = self.extents[index].0;
                after_entity = true;
                continue;
            }
            after_entity = false;
            let skip = [classes.determiner, classes.title]
                .into_iter()
                .filter_map(|class| ListClasses::longest(class, &self.tokens, position))
                .max();
            match skip {
                Some(length) => position += length,
                None => break,
            }
        }
        last
    }

    /// The separator of a coordinated list at token `at`: a comma, `@and`, `@list-joiner`, or
    /// a comma followed by either. Returns the token after it.
    fn separator(&self, at: usize) -> Option<usize> {
        let classes = self.classes;
        let joiner = |position: usize| {
            [classes.and, classes.list_joiner]
                .into_iter()
                .filter_map(|class| ListClasses::longest(class, &self.tokens, position))
                .max()
                .map(|length| position + length)
        };
        let after_comma =
            ListClasses::longest(classes.comma, &self.tokens, at).map(|length| at + length);
        let with_comma = after_comma.map(|position| joiner(position).unwrap_or(position));
        with_comma.into_iter().chain(joiner(at)).max()
    }

    /// The element at token `at` as the entity extent cache holds it: a list probed at every
    /// token reads each member once, not once per list it may belong to.
    fn cached_element(&mut self, at: usize) -> Option<(usize, EntityRef)> {
        let kind = ExtentKind::Entity;
        match self.cached(kind.cache_index(), kind, at)? {
            (end, Value::Entity(entity)) => Some((*end, entity.clone())),
            _ => None,
        }
    }

    fn list(&mut self, at: usize) -> Extent {
        let (mut end, first) = self.cached_element(at)?;
        let mut members = vec![first];
        while members.len() < MAX_LIST_MEMBERS {
            let Some(next) = self.separator(end) else {
                break;
            };
            let Some((after, member)) = self.cached_element(next) else {
                break;
            };
            members.push(member);
            end = after;
        }
        Some((end, Value::Entities(members)))
    }
}

/// `PLAIN_BYTES[byte]` is true for an ASCII letter, digit or space: a byte no quote mark
/// starts with, which [`find_quotes`] passes over without decoding.
static PLAIN_BYTES: [bool; 256] = {
    let mut plain = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        plain[byte] = b.is_ascii_alphanumeric() || matches!(b, b' ' | b'\t'..=b'\r');
        byte += 1;
    }
    plain
};

/// False when no token of `tokens` is a mark of the class `quote-open`: [`find_quotes`] then
/// finds no quotation in the text they cover, since a mark (neither letter, digit nor space) is
/// a token of its own.
pub fn may_open_quote(tokens: &[Token], words: &WordClasses) -> bool {
    words
        .class("quote-open")
        .is_some_and(|openers| (0..tokens.len()).any(|at| openers.longest_at(tokens, at).is_some()))
}

/// The quotations in `span`: from an opening mark (not after a letter or digit) to the next
/// closing mark not followed by a letter or digit. Marks come from the classes `quote-open`
/// and `quote-close`.
pub fn find_quotes(text: &str, span: Span, words: &WordClasses) -> Vec<Span> {
    let Some(part) = text.get(span.start..span.end) else {
        return Vec::new();
    };
    let (openers, closers) = (words.symbols("quote-open"), words.symbols("quote-close"));
    let mut quotes = Vec::new();
    let mut open: Option<usize> = None;
    let mut previous: Option<char> = None;
    let mut offset = 0;
    let bytes = part.as_bytes();
    while offset < bytes.len() {
        // Not a quote mark: a run of ASCII letters, digits and spaces, most of the text, is
        // passed over at once, without decoding a character or testing the classes.
        let plain = bytes[offset..]
            .iter()
            .position(|&byte| !PLAIN_BYTES[usize::from(byte)])
            .unwrap_or(bytes.len() - offset);
        if plain > 0 {
            offset += plain;
            previous = Some(char::from(bytes[offset - 1]));
            continue;
        }
        let mut rest = part[offset..].chars();
        let Some(c) = rest.next() else {
            break;
        };
        let after = offset + c.len_utf8();
        if c.is_alphanumeric() || c.is_whitespace() {
            previous = Some(c);
            offset = after;
            continue;
        }
        let next = rest.next();
        match open {
            Some(start) if closers.holds(c) && !next.is_some_and(char::is_alphanumeric) => {
                quotes.push(Span::new(span.start + start, span.start + after));
                open = None;
            }
            None if openers.holds(c) && !previous.is_some_and(char::is_alphanumeric) => {
                open = Some(offset);
            }
            _ => {}
        }
        previous = Some(c);
        offset = after;
    }
    quotes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::pattern::parse_pattern;
    use crate::extract::WordData;

    /// The program of `patterns`, each compiled as its own pattern (numbered in order) and all
    /// joined by [`Program::union`]; every capture is a text capture.
    fn compiled(patterns: &[&str]) -> Program {
        let data: WordData = serde_yaml::from_str("noun: [toll, death toll]").expect("word data");
        let words = WordClasses::new(&data).expect("classes");
        let text_capture: CaptureResolver = &|_, _| Ok(CaptureKind::Text);
        let parts = (patterns.iter().enumerate())
            .map(|(index, pattern)| {
                let alternatives = parse_pattern(pattern).expect("pattern");
                Program::compile(index, &alternatives, &words, text_capture).expect("program")
            })
            .collect();
        Program::union(parts)
    }

    /// The matches of `program` in the whole of `text`, read as English, on this thread.
    fn matches(program: &Program, text: &str) -> Vec<Found> {
        let rules = RuleSet::embedded_shared().expect("embedded rules load");
        let env = Environment {
            rules,
            language: rules.language("en"),
            anchor: Anchor::from_date(None),
        };
        program.find_all(&mut Scope::new(text, Span::new(0, text.len()), env, None))
    }

    /// A match of pattern `pattern` over tokens `[start, end)` with these captures.
    fn found(
        pattern: usize,
        start: usize,
        end: usize,
        captures: &[Option<(usize, usize)>],
    ) -> Found {
        Found {
            pattern,
            start,
            end,
            captures: captures.to_vec(),
        }
    }

    #[test]
    fn of_equal_matches_the_first_pattern_wins() {
        // Both patterns take the same two tokens at the same cost: the first one, and its
        // capture, is kept.
        let program = compiled(&["death {a}", "{b} toll"]);
        assert_eq!(
            matches(&program, "death toll"),
            [found(0, 0, 2, &[Some((1, 2)), None])]
        );
        let program = compiled(&["{b} toll", "death {a}"]);
        assert_eq!(
            matches(&program, "death toll"),
            [found(0, 0, 2, &[Some((0, 1)), None])]
        );
    }

    #[test]
    fn matches_are_leftmost_and_do_not_overlap() {
        let program = compiled(&["mako mako"]);
        assert_eq!(
            matches(&program, "mako mako mako, mako mako"),
            [found(0, 0, 2, &[]), found(0, 4, 6, &[])]
        );
        let program = compiled(&["@noun rose"]);
        assert_eq!(
            matches(&program, "The death toll rose, the toll rose"),
            [found(0, 1, 4, &[]), found(0, 6, 8, &[])]
        );
    }

    /// The thread's buffers hold nothing of one scope that changes the next one's matches:
    /// candidates left at starts a match covered, near the end of a long scope, are gone when
    /// a shorter scope is matched, and again when one as long is.
    #[test]
    fn a_thread_matches_each_scope_as_a_fresh_one_does() {
        let program = compiled(&["mako mako", "{a} vela"]);
        let filler = "tuk ".repeat(40);
        let texts = [
            format!("{filler}mako mako mako vela"),
            "mako mako mako".to_string(),
            "tuk mako mako".to_string(),
            format!("{filler}tuk mako mako vela"),
            "vela tuk vela".to_string(),
        ];
        let mut results = Vec::new();
        for text in &texts {
            results.push(matches(&program, text));
        }
        let program = &program;
        std::thread::scope(|threads| {
            for (text, result) in texts.iter().zip(&results) {
                let fresh = threads.spawn(move || matches(program, text));
                assert_eq!(&fresh.join().expect("fresh thread"), result, "{text}");
            }
        });
        assert_eq!(results[2], [found(0, 1, 3, &[None])]);
    }
}
