//! The time normalizer, table-driven from `fixtures/normalize/time/<lang>.yaml` (values, tense)
//! and `fixtures/normalize/time/relate.yaml` (how values from different articles relate),
//! plus property tests: no input panics, every match ends on a character boundary.

use claimdiff::model::{Accord, PubDate};
use claimdiff::normalize::time::{
    relate, Anchor, Direction, Grain, TimeData, TimeRules, TimeValue,
};
use claimdiff::rules::RuleSet;
use jiff::civil::{Date, DateTime, Time};
use proptest::prelude::*;
use serde::Deserialize;
use std::path::Path;

const FIXTURES: &str = "fixtures/normalize/time";

/// Languages that must have a fixture with at least [`MIN_CASES`] cases.
const LANGUAGES: [&str; 8] = ["en", "nl", "nb", "de", "fr", "es", "it", "ru"];
const MIN_CASES: usize = 15;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    language: String,
    cases: Vec<Case>,
    #[serde(default)]
    tense: Vec<TenseCase>,
}

/// One expression: how it reads against an anchor, or that it must not read as a time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    text: String,
    /// `YYYY-MM-DD`, `YYYY-MM`, or absent for an undated article.
    #[serde(default)]
    anchor: Option<String>,
    #[serde(default)]
    prefer: Option<Direction>,
    /// A sentence holding `text`: the match from its start must end where `text` ends.
    #[serde(default)]
    within: Option<String>,
    /// The text is not one time expression.
    #[serde(default)]
    none: bool,
    #[serde(default)]
    start: Option<String>,
    #[serde(default)]
    end: Option<String>,
    #[serde(default)]
    grain: Option<Grain>,
    #[serde(default)]
    candidates: Vec<String>,
    #[serde(default)]
    guessed: Option<bool>,
    #[serde(default)]
    month: Option<i8>,
    #[serde(default)]
    day: Option<i8>,
    #[serde(default)]
    weekday: Option<i8>,
    #[serde(default)]
    clock: Option<String>,
    #[serde(default)]
    display: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TenseCase {
    sentence: String,
    /// `past`, `future`, or absent when the sentence marks no tense.
    #[serde(default)]
    expect: Option<Direction>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RelateFixture {
    cases: Vec<RelateCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RelateCase {
    a: Side,
    b: Side,
    accord: Accord,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Side {
    lang: String,
    text: String,
    #[serde(default)]
    anchor: Option<String>,
    #[serde(default)]
    prefer: Option<Direction>,
}

/// The embedded rules, loaded once for every test of this file.
fn rules() -> &'static RuleSet {
    RuleSet::embedded_shared().unwrap_or_else(|e| panic!("embedded rules: {e}"))
}

fn anchor(text: &Option<String>) -> Anchor {
    Anchor::from_date(text.as_ref().map(|t| {
        t.parse::<PubDate>()
            .unwrap_or_else(|e| panic!("fixture anchor: {e}"))
    }))
}

fn datetime(text: &str) -> DateTime {
    if text.contains('T') {
        text.parse()
            .unwrap_or_else(|e| panic!("fixture datetime `{text}`: {e}"))
    } else {
        let date: Date = text
            .parse()
            .unwrap_or_else(|e| panic!("fixture date `{text}`: {e}"));
        date.to_datetime(Time::midnight())
    }
}

fn read<T: serde::de::DeserializeOwned>(path: &Path) -> T {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What is wrong with `value` for `case`, if anything.
fn mismatches(case: &Case, value: &TimeValue) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut check = |name: &str, ok: bool, want: String, got: String| {
        if !ok {
            wrong.push(format!("{name}: want {want}, got {got}"));
        }
    };
    if let Some(start) = &case.start {
        let want = Some(datetime(start));
        check(
            "start",
            value.start == want,
            start.clone(),
            format!("{:?}", value.start),
        );
    }
    if let Some(end) = &case.end {
        let want = Some(datetime(end));
        check(
            "end",
            value.end == want,
            end.clone(),
            format!("{:?}", value.end),
        );
    }
    if let Some(grain) = case.grain {
        check(
            "grain",
            value.grain == grain,
            format!("{grain:?}"),
            format!("{:?}", value.grain),
        );
    }
    let candidates: Vec<DateTime> = case.candidates.iter().map(|c| datetime(c)).collect();
    check(
        "candidates",
        value.candidates == candidates,
        format!("{candidates:?}"),
        format!("{:?}", value.candidates),
    );
    if let Some(guessed) = case.guessed {
        check(
            "guessed",
            value.guessed == guessed,
            guessed.to_string(),
            value.guessed.to_string(),
        );
    }
    let fields = [
        ("month", case.month, value.month),
        ("day", case.day, value.day),
        ("weekday", case.weekday, value.weekday),
    ];
    for (name, want, got) in fields {
        if want.is_some() || case.anchor.is_none() {
            check(name, want == got, format!("{want:?}"), format!("{got:?}"));
        }
    }
    if let Some(clock) = &case.clock {
        let got = value.clock.map(|t| t.strftime("%H:%M").to_string());
        check(
            "clock",
            got.as_deref() == Some(clock),
            clock.clone(),
            format!("{got:?}"),
        );
    }
    if let Some(display) = &case.display {
        check(
            "display",
            &value.display() == display,
            display.clone(),
            value.display(),
        );
    }
    wrong
}

fn run_case(times: &TimeRules, case: &Case) -> Result<(), String> {
    let anchor = anchor(&case.anchor);
    let got = match &case.within {
        Some(sentence) => {
            let at = sentence
                .find(&case.text)
                .ok_or_else(|| format!("`{}` is not in `{sentence}`", case.text))?;
            match times.match_at(sentence, at, &anchor, case.prefer) {
                Some((end, value)) if end == at + case.text.len() => Some(value),
                Some((end, _)) => {
                    return Err(format!("match ends at `{}`", &sentence[..end]));
                }
                None => None,
            }
        }
        None => times.parse(&case.text, &anchor, case.prefer),
    };
    match (got, case.none) {
        (None, true) => Ok(()),
        (Some(value), true) => Err(format!("read as a time: {value:?}")),
        (None, false) => Err("not read as a time".to_string()),
        (Some(value), false) => {
            let wrong = mismatches(case, &value);
            if wrong.is_empty() {
                Ok(())
            } else {
                Err(wrong.join("; "))
            }
        }
    }
}

#[test]
fn fixtures_read_as_expected_in_every_language() {
    let rules = rules();
    let mut failures = Vec::new();
    for code in LANGUAGES {
        let path = Path::new(FIXTURES).join(format!("{code}.yaml"));
        let fixture: Fixture = read(&path);
        assert_eq!(fixture.language, code, "{}", path.display());
        assert!(
            fixture.cases.len() >= MIN_CASES,
            "{}: {} cases, want at least {MIN_CASES}",
            path.display(),
            fixture.cases.len()
        );
        assert!(
            fixture.cases.iter().any(|c| c.none),
            "{}: no case that must not parse",
            path.display()
        );
        let language = rules.language(code);
        assert_eq!(language.code, code, "no rules for `{code}`");
        for case in &fixture.cases {
            if let Err(message) = run_case(&language.times, case) {
                failures.push(format!(
                    "{code}: `{}` (anchor {:?}, prefer {:?}): {message}",
                    case.text, case.anchor, case.prefer
                ));
            }
        }
        for case in &fixture.tense {
            let got = language.times.tense(&case.sentence);
            if got != case.expect {
                failures.push(format!(
                    "{code}: tense of `{}`: want {:?}, got {got:?}",
                    case.sentence, case.expect
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn values_from_different_articles_relate_as_expected() {
    let rules = rules();
    let fixture: RelateFixture = read(&Path::new(FIXTURES).join("relate.yaml"));
    let mut failures = Vec::new();
    let value = |side: &Side| -> TimeValue {
        rules
            .language(&side.lang)
            .times
            .parse(&side.text, &anchor(&side.anchor), side.prefer)
            .unwrap_or_else(|| panic!("`{}` ({}) is not read as a time", side.text, side.lang))
    };
    for case in &fixture.cases {
        let (a, b) = (value(&case.a), value(&case.b));
        for (x, y) in [(&a, &b), (&b, &a)] {
            let got = relate(x, y);
            if got != case.accord {
                failures.push(format!(
                    "`{}` vs `{}`: want {:?}, got {got:?} ({} / {})",
                    case.a.text,
                    case.b.text,
                    case.accord,
                    x.display(),
                    y.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_value_is_the_same_as_itself() {
    let rules = rules();
    let times = &rules.language("en").times;
    for (text, date) in [
        ("January 12 at midnight", None),
        ("on Sunday", Some("2020-01")),
        ("last week", Some("2020-01-08")),
    ] {
        let value = times
            .parse(text, &anchor(&date.map(String::from)), None)
            .unwrap_or_else(|| panic!("`{text}` is not read"));
        assert_eq!(relate(&value, &value), Accord::Same, "{text}");
    }
}

#[test]
fn a_sentence_tense_is_read_near_the_expression() {
    let rules = rules();
    let times = &rules.language("en").times;
    let sentence = "Turkey and Russia called Wednesday for a cease-fire to start on Sunday";
    let at = |word: &str| sentence.find(word).unwrap_or_default();
    assert_eq!(
        times.tense_at(sentence, at("Wednesday")),
        Some(Direction::Past)
    );
    assert_eq!(
        times.tense_at(sentence, at("Sunday")),
        Some(Direction::Future)
    );
    assert_eq!(times.tense(sentence), Some(Direction::Future));
}

#[test]
fn bad_time_rules_are_refused_with_a_reason() {
    let compile = |yaml: &str| -> Result<TimeRules, String> {
        let data: TimeData = serde_yaml::from_str(yaml).map_err(|e| e.to_string())?;
        TimeRules::new(&data)
    };
    let refused = [
        ("patterns: [{pattern: \"{weekdy}\"}]", "unknown slot"),
        ("patterns: [{pattern: \"x?\"}]", "at least one element"),
        (
            "patterns: [{pattern: \"at {hour}\", examples: [\"at noon\"]}]",
            "example `at noon`",
        ),
        ("clock_words: {noon: \"twelve\"}", "not HH:MM"),
        ("meridiems: {pm: 11}", "must be 0 or 12"),
        ("future_markers: [\"moet … \"]", "empty part"),
    ];
    for (yaml, reason) in refused {
        match compile(yaml) {
            Ok(_) => panic!("accepted: {yaml}"),
            Err(message) => assert!(message.contains(reason), "{yaml}: {message}"),
        }
    }
    let accepted = compile(
        "weekdays: [[a], [b], [c], [d], [e], [f], [g]]\n\
         patterns: [{pattern: \"on? {weekday}\", examples: [\"on g\"]}]",
    );
    assert!(accepted.is_ok(), "{accepted:?}");
}

proptest! {
    #[test]
    fn matching_never_panics_and_ends_on_a_boundary(
        text in "\\PC{0,40}",
        start in 0usize..48,
        day in proptest::option::of(1i8..=31),
    ) {
        let rules = rules();
        let anchor = Anchor::from_date(Some(PubDate { year: 2020, month: 2, day }));
        for code in LANGUAGES {
            let times = &rules.language(code).times;
            if let Some((end, value)) = times.match_at(&text, start, &anchor, None) {
                prop_assert!(end > start && end <= text.len() && text.is_char_boundary(end));
                let _ = value.display();
            }
            let _ = times.parse(&text, &Anchor::default(), Some(Direction::Future));
            let _ = times.tense(&text);
            let _ = times.tense_at(&text, start);
        }
    }

    #[test]
    fn time_like_text_never_panics(
        text in "(on |last |next |in |at )?(January|Jan\\.|Sunday|midnight|[0-9]{1,5})[ ,.:h]{0,2}([0-9]{1,5}|midnight|ago|days)?",
        year in 1i16..9999,
        month in 1i8..=12,
    ) {
        let rules = rules();
        let anchor = Anchor::from_date(Some(PubDate { year, month, day: None }));
        if let Some(value) = rules.language("en").times.parse(&text, &anchor, None) {
            let _ = value.display();
            prop_assert_eq!(relate(&value, &value), Accord::Same);
        }
    }
}
