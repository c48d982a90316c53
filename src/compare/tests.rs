//! Unit tests of the comparator on synthetic claims.

use std::collections::BTreeMap;

use super::quote::word_diff;
use super::*;
use crate::model::{
    Attribution, EntityRef, Evidence, LangSource, PubDate, Quantity, Stance, TimeValue,
};
use crate::normalize::time::Grain;

/// Rules with only a bare common language: the comparator needs no language data.
fn rules() -> RuleSet {
    let common = crate::rules::RuleFile {
        path: "lang/common.yaml".to_string(),
        relative: "lang/common.yaml".to_string(),
        text: "language: common\n".to_string(),
    };
    RuleSet::from_files(vec![common]).expect("a bare common language loads")
}

fn document(id: &str, date: &str, story: &str) -> DocumentMeta {
    DocumentMeta {
        id: id.into(),
        lang: "en".to_string(),
        lang_source: LangSource::Option,
        date: date.parse::<PubDate>().ok(),
        outlet: None,
        url: None,
        story: story.to_string(),
    }
}

fn claim(document: &str, kind: ClaimKind, key: &str, slot: &str, value: Value) -> Claim {
    let text = format!("{key} in {document}.");
    Claim {
        document: document.into(),
        rule: format!("test-{key}"),
        kind,
        key: key.to_string(),
        topic: format!("topic of {key}"),
        level: Level::Error,
        slots: BTreeMap::from([(
            slot.to_string(),
            Slot {
                text: key.to_string(),
                span: Span::new(0, key.len()),
                value,
            },
        )]),
        attribution: Attribution::default(),
        evidence: Evidence {
            file: document.into(),
            line: 1,
            column: 1,
            start: 0,
            end: text.len(),
            text: text.into(),
        },
        evolving: false,
    }
}

fn exact(low: f64, high: f64) -> Value {
    Value::Quantity(Quantity {
        low: Some(low),
        high: Some(high),
        low_inclusive: true,
        high_inclusive: true,
        ..Quantity::default()
    })
}

fn at_least(low: f64, inclusive: bool) -> Value {
    Value::Quantity(Quantity {
        low: Some(low),
        low_inclusive: inclusive,
        ..Quantity::default()
    })
}

fn count(document: &str, value: Value) -> Claim {
    claim(document, ClaimKind::Quantity, "mercenaries", "value", value)
}

fn entity(name: &str) -> EntityRef {
    EntityRef {
        id: name.to_lowercase().into(),
        name: name.into(),
        surface: name.to_string(),
        span: Span::new(0, name.len()),
    }
}

fn backers(document: &str, names: &[&str]) -> Claim {
    let members = Value::Entities(names.iter().map(|name| entity(name)).collect());
    claim(document, ClaimKind::Relation, "backers", "members", members)
}

fn quote(document: &str, text: &str) -> Claim {
    claim(
        document,
        ClaimKind::Quote,
        "speaker",
        "quote",
        Value::Text(text.to_string()),
    )
}

fn two_documents() -> Vec<DocumentMeta> {
    vec![
        document("a.txt", "2020-01-08", ""),
        document("b.txt", "2019-12", ""),
    ]
}

fn only(findings: &[Finding]) -> &Finding {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    &findings[0]
}

#[test]
fn disjoint_quantities_conflict_at_the_rule_level() {
    let claims = [
        count("a.txt", exact(2500.0, 2500.0)),
        count("b.txt", exact(600.0, 800.0)),
    ];
    let findings = compare(&two_documents(), &claims, &rules());
    let found = only(&findings);
    assert_eq!(found.kind, FindingKind::Conflict);
    assert_eq!(found.level, Level::Error);
    assert_eq!(found.values.len(), 2);
    assert_eq!(&*found.values[0].document, "a.txt");
    assert_eq!(found.fingerprint.len(), 16);
}

#[test]
fn an_open_lower_bound_is_compatible_with_a_number_above_it() {
    let claims = [
        count("a.txt", at_least(1000.0, false)),
        count("b.txt", exact(1200.0, 1200.0)),
    ];
    let found = compare(&two_documents(), &claims, &rules());
    let found = only(&found);
    assert_eq!(found.kind, FindingKind::Agreement);
    assert!(found
        .note
        .as_deref()
        .unwrap_or_default()
        .starts_with("compatible"));
}

#[test]
fn two_lower_bounds_are_compatible() {
    let claims = [
        count("a.txt", at_least(100.0, true)),
        count("b.txt", at_least(200.0, true)),
    ];
    assert_eq!(
        only(&compare(&two_documents(), &claims, &rules())).kind,
        FindingKind::Agreement
    );
}

#[test]
fn a_conflict_between_two_later_values_is_found() {
    let documents = vec![
        document("a.txt", "2020-01-08", ""),
        document("b.txt", "2020-01-08", ""),
        document("c.txt", "2020-01-08", ""),
    ];
    let claims = [
        count("a.txt", at_least(10.0, true)),
        count("b.txt", exact(20.0, 30.0)),
        count("c.txt", exact(40.0, 50.0)),
    ];
    assert_eq!(
        only(&compare(&documents, &claims, &rules())).kind,
        FindingKind::Conflict
    );
}

#[test]
fn one_document_is_a_single_source() {
    let claims = [count("a.txt", exact(35.0, 35.0))];
    let found = compare(&two_documents(), &claims, &rules());
    let found = only(&found);
    assert_eq!(
        (found.kind, found.level),
        (FindingKind::SingleSource, Level::Info)
    );
}

#[test]
fn a_figure_rising_with_the_date_is_evolving() {
    let documents = vec![
        document("a.txt", "2020-01-10", ""),
        document("b.txt", "2020-01-08", ""),
        document("c.txt", "2020-01-09", ""),
    ];
    let mut claims = vec![
        count("a.txt", exact(24.0, 24.0)),
        count("b.txt", exact(3.0, 3.0)),
        count("c.txt", exact(11.0, 11.0)),
    ];
    for claim in &mut claims {
        claim.evolving = true;
    }
    let found = compare(&documents, &claims, &rules());
    let found = only(&found);
    assert_eq!(found.kind, FindingKind::Evolving);
    let order: Vec<&str> = found.values.iter().map(|v| &*v.document).collect();
    assert_eq!(order, ["b.txt", "c.txt", "a.txt"]);
    // Not monotonic: a conflict after all.
    claims[2].slots.get_mut("value").expect("slot").value = exact(30.0, 30.0);
    assert_eq!(
        only(&compare(&documents, &claims, &rules())).kind,
        FindingKind::Conflict
    );
}

#[test]
fn stories_are_compared_apart() {
    let documents = vec![
        document("x/a.txt", "2020-01-08", "x"),
        document("y/b.txt", "2020-01-08", "y"),
    ];
    let claims = [
        count("x/a.txt", exact(1.0, 1.0)),
        count("y/b.txt", exact(9.0, 9.0)),
    ];
    let findings = compare(&documents, &claims, &rules());
    assert_eq!(findings.len(), 2);
    assert!(findings.iter().all(|f| f.kind == FindingKind::SingleSource));
}

#[test]
fn different_sets_give_a_matrix() {
    let documents = vec![
        document("a.txt", "2020-01-08", ""),
        document("b.txt", "2020-01-08", ""),
        document("c.txt", "2020-01-08", ""),
    ];
    let claims = [
        backers("a.txt", &["Eastland", "Juniland"]),
        backers("b.txt", &["Southland"]),
        backers("b.txt", &["Eastland", "Fairland"]),
        backers("c.txt", &["Eastland", "Fairland", "Southland"]),
    ];
    let found = compare(&documents, &claims, &rules());
    let found = only(&found);
    assert_eq!(
        (found.kind, found.level),
        (FindingKind::SetDifference, Level::Warning)
    );
    let matrix: Vec<(&str, Vec<&str>)> = found
        .matrix
        .iter()
        .map(|row| {
            (
                row.member.as_str(),
                row.documents.iter().map(|d| &**d).collect(),
            )
        })
        .collect();
    assert_eq!(
        matrix,
        [
            ("Eastland", vec!["a.txt", "b.txt", "c.txt"]),
            ("Fairland", vec!["b.txt", "c.txt"]),
            ("Juniland", vec!["a.txt"]),
            ("Southland", vec!["b.txt", "c.txt"]),
        ]
    );
}

#[test]
fn identical_sets_agree_and_a_denial_conflicts() {
    let claims = [
        backers("a.txt", &["Eastland"]),
        backers("b.txt", &["Eastland"]),
    ];
    assert_eq!(
        only(&compare(&two_documents(), &claims, &rules())).kind,
        FindingKind::Agreement
    );
    let mut denied = backers("b.txt", &["Eastland"]);
    denied.attribution.stance = Stance::Denied;
    let claims = [backers("a.txt", &["Eastland"]), denied];
    let found = compare(&two_documents(), &claims, &rules());
    let found = only(&found);
    assert_eq!(found.kind, FindingKind::Conflict);
    assert_eq!(found.topic, "topic of backers: Eastland");
}

#[test]
fn reworded_quotes_get_a_word_diff() {
    let claims = [
        quote(
            "a.txt",
            "a ceasefire under the U.N. auspices for long suffering Ruritania",
        ),
        quote(
            "b.txt",
            "a ceasefire under U.N. auspices for long-suffering Ruritania",
        ),
    ];
    let found = compare(&two_documents(), &claims, &rules());
    let found = only(&found);
    assert_eq!(
        (found.kind, found.level),
        (FindingKind::QuoteDifference, Level::Warning)
    );
    let deleted: Vec<&str> = found
        .diff
        .iter()
        .filter(|piece| piece.op == "delete")
        .map(|piece| piece.text.trim())
        .collect();
    assert_eq!(deleted, ["the", "long suffering"]);
    let rebuilt: String = found
        .diff
        .iter()
        .filter(|piece| piece.op != "insert")
        .map(|piece| piece.text.as_str())
        .collect();
    assert_eq!(
        rebuilt,
        "a ceasefire under the U.N. auspices for long suffering Ruritania"
    );
}

#[test]
fn quotes_with_other_figures_conflict_and_unrelated_quotes_stay_apart() {
    let claims = [
        quote("a.txt", "we counted 2,500 fighters near the city"),
        quote("b.txt", "we counted 800 fighters near the city"),
        quote("b.txt", "something else entirely"),
    ];
    let findings = compare(&two_documents(), &claims, &rules());
    assert_eq!(findings.len(), 2, "{findings:#?}");
    assert_eq!(findings[0].kind, FindingKind::Conflict);
    assert_eq!(findings[1].kind, FindingKind::SingleSource);
}

#[test]
fn identical_quotes_agree() {
    let claims = [
        quote("a.txt", "we  will  win"),
        quote("b.txt", "we will win"),
    ];
    assert_eq!(
        only(&compare(&two_documents(), &claims, &rules())).kind,
        FindingKind::Agreement
    );
}

#[test]
fn word_diff_keeps_every_word() {
    let diff = word_diff("one two three", "one three four");
    let old: String = diff
        .iter()
        .filter(|p| p.op != "insert")
        .map(|p| p.text.as_str())
        .collect();
    let new: String = diff
        .iter()
        .filter(|p| p.op != "delete")
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(
        (old.as_str(), new.as_str()),
        ("one two three", "one three four")
    );
}

#[test]
fn a_less_precise_time_is_compatible() {
    let day = |d: i8| jiff::civil::date(2020, 1, d).at(0, 0, 0, 0);
    let midnight = Value::Time(TimeValue {
        start: Some(day(12)),
        end: Some(day(12).saturating_add(jiff::Span::new().minutes(1))),
        grain: Grain::Minute,
        ..TimeValue::default()
    });
    let sunday = Value::Time(TimeValue {
        start: Some(day(12)),
        end: Some(day(13)),
        grain: Grain::Day,
        ..TimeValue::default()
    });
    let claims = [
        claim("a.txt", ClaimKind::EventTime, "start", "time", midnight),
        claim("b.txt", ClaimKind::EventTime, "start", "time", sunday),
    ];
    let found = compare(&two_documents(), &claims, &rules());
    let found = only(&found);
    assert_eq!(found.kind, FindingKind::Agreement);
    assert_eq!(found.note.as_deref(), Some("compatible, less precise"));
}

#[test]
fn order_of_claims_and_threads_do_not_change_the_findings() {
    let documents = vec![
        document("a.txt", "2020-01-08", ""),
        document("b.txt", "2020-01-09", ""),
        document("c.txt", "2020-01-10", ""),
    ];
    let mut claims = vec![
        count("a.txt", exact(2500.0, 2500.0)),
        count("b.txt", exact(600.0, 800.0)),
        backers("a.txt", &["Eastland"]),
        backers("c.txt", &["Eastland", "Southland"]),
        quote("a.txt", "we will go on"),
        quote("c.txt", "we will go on now"),
        claim(
            "c.txt",
            ClaimKind::Quantity,
            "other",
            "value",
            exact(1.0, 1.0),
        ),
    ];
    let rules = rules();
    let expected = compare(&documents, &claims, &rules);
    claims.reverse();
    claims.swap(1, 4);
    assert_eq!(compare(&documents, &claims, &rules), expected);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    assert_eq!(
        pool.install(|| compare(&documents, &claims, &rules)),
        expected
    );
    let kinds: Vec<FindingKind> = expected.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            FindingKind::Conflict,
            FindingKind::SetDifference,
            FindingKind::QuoteDifference,
            FindingKind::SingleSource
        ]
    );
}

#[test]
fn fingerprints_ignore_order_and_depend_on_values() {
    let claims = [
        count("a.txt", exact(2500.0, 2500.0)),
        count("b.txt", exact(600.0, 800.0)),
    ];
    let found = only(&compare(&two_documents(), &claims, &rules())).clone();
    let mut reversed = found.values.clone();
    reversed.reverse();
    assert_eq!(
        fingerprint(&found.rule, &found.key, &reversed),
        found.fingerprint
    );
    reversed[0].display = "other".to_string();
    assert_ne!(
        fingerprint(&found.rule, &found.key, &reversed),
        found.fingerprint
    );
}

#[test]
fn sorting_findings_keeps_the_order_of_equal_ones() {
    let lead = count("a.txt", exact(1.0, 1.0));
    let noted = |topic: &str, note: &str| Finding {
        topic: topic.to_string(),
        note: Some(note.to_string()),
        ..single_source(&lead, Vec::new())
    };
    let mut findings = vec![
        noted("b", "first b"),
        noted("a", "first a"),
        noted("b", "second b"),
        noted("a", "second a"),
    ];
    sort_findings(&mut findings);
    let notes: Vec<&str> = findings.iter().filter_map(|f| f.note.as_deref()).collect();
    assert_eq!(notes, ["first a", "second a", "first b", "second b"]);
}

/// Every order of `items`, by Heap's algorithm.
fn permutations<T: Clone>(items: &mut [T], size: usize, each: &mut impl FnMut(&[T])) {
    if size <= 1 {
        return each(items);
    }
    permutations(items, size - 1, each);
    for index in 0..size - 1 {
        items.swap(if size.is_multiple_of(2) { index } else { 0 }, size - 1);
        permutations(items, size - 1, each);
    }
}

#[test]
fn sort_claims_is_the_stable_sort_by_claim_order() {
    // Two `Arc`s of one id; claims of one sentence under several rules, two of them tied.
    let (first_a, second_a): (DocId, DocId) = ("a".into(), "a".into());
    let at = |document: &DocId, start: usize, rule: &str, tag: usize| {
        let mut claim = claim("a", ClaimKind::Quantity, "k", "value", exact(1.0, 1.0));
        claim.document = document.clone();
        claim.evidence.file = document.clone();
        claim.evidence.start = start;
        claim.evidence.end = start + 5;
        claim.rule = rule.to_string();
        // Not part of the order: tells tied claims apart.
        claim.topic = tag.to_string();
        claim
    };
    let mut claims = vec![
        at(&first_a, 0, "r1", 0),
        at(&second_a, 0, "r1", 1),
        at(&first_a, 0, "r0", 2),
        at(&second_a, 3, "r2", 3),
        at(&first_a, 3, "r1", 4),
        at(&"b".into(), 0, "r0", 5),
    ];
    let size = claims.len();
    let tags = |claims: &[Claim]| claims.iter().map(|c| c.topic.clone()).collect::<Vec<_>>();
    let mut orders = std::collections::HashSet::new();
    permutations(&mut claims, size, &mut |order| {
        let mut expected = order.to_vec();
        expected.sort_by(claim_order);
        let mut sorted = order.to_vec();
        sort_claims(&mut sorted);
        assert_eq!(tags(&sorted), tags(&expected), "from {:?}", tags(order));
        // By reference too, as the comparator sorts them.
        let mut refs: Vec<&Claim> = order.iter().collect();
        sort_claims(&mut refs);
        let refs: Vec<Claim> = refs.into_iter().cloned().collect();
        assert_eq!(tags(&refs), tags(&expected));
        orders.insert(tags(order));
    });
    assert_eq!(orders.len(), 720);
}
