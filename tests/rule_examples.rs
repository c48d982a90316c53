//! The examples of the shipped claim rules are tests: each must pass, and each rule carries at
//! least three examples for every language it has patterns for.

use std::collections::BTreeMap;

use claimdiff::extract::examples::run_examples;
use claimdiff::rules::RuleSet;

#[test]
fn every_rule_example_passes() {
    let rules = RuleSet::embedded().expect("embedded rules load");
    let outcomes = run_examples(&rules);
    assert!(outcomes.len() >= 100, "only {} examples", outcomes.len());
    let failures: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.passed)
        .map(|o| {
            format!(
                "{} #{} [{}] {}\n  expected {}\n  got      {}",
                o.rule, o.index, o.lang, o.text, o.expected, o.got
            )
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_three_examples_per_language() {
    let rules = RuleSet::embedded().expect("embedded rules load");
    assert!(
        rules.claims.warnings().is_empty(),
        "{:?}",
        rules.claims.warnings()
    );
    for rule in rules.claims.rules() {
        let mut per_language: BTreeMap<&str, usize> = BTreeMap::new();
        for example in &rule.data.examples {
            *per_language.entry(example.lang.as_str()).or_default() += 1;
        }
        for lang in rule.data.patterns.keys() {
            let count = per_language.get(lang.as_str()).copied().unwrap_or(0);
            assert!(
                count >= 3,
                "rule `{}` has {count} examples in {lang}",
                rule.data.id
            );
        }
    }
}
