//! Fuzzes the claim-pattern language: any string as a pattern parses or is refused with a
//! message, compiles (as an English claim rule with one slot of every type) or is refused, and a
//! compiled rule runs over a few sentences, never a panic or a hang.
#![no_main]

use std::sync::OnceLock;

use claimdiff::extract::pattern::parse_pattern;
use claimdiff::extract::{extract, ClaimRules};
use claimdiff::model::{Document, DocumentMeta};
use claimdiff::rules::{RuleFile, RuleSet};
use libfuzzer_sys::fuzz_target;

/// Sentences the compiled rule runs over: numbers, times, entities, lists and quotes.
const SENTENCES: &str = "Erdogan said on Sunday that 2,500 Russian mercenaries back Haftar. \
Russia, Turkey, Egypt and the UAE met in Berlin on January 19 at noon. \
\"Libyans should be at the heart of this,\" Salame said. \
Volgens de VN zijn er ruim vierhonderd doden.";

fn rules() -> &'static RuleSet {
    RuleSet::embedded_shared().unwrap_or_else(|e| panic!("embedded rules: {e}"))
}

/// A claim rule file holding `pattern` as the English pattern of rule `fuzz`.
fn claim_file(pattern: &str) -> RuleFile {
    let quoted = yaml_quoted(pattern);
    let text = format!(
        "rules:\n  - id: fuzz\n    kind: quantity\n    key: \"fuzz\"\n    message: \"fuzz\"\n    \
         slots:\n      n: {{type: quantity}}\n      when: {{type: time}}\n      \
         who: {{type: entity}}\n      many: {{type: entity-list}}\n      words: {{type: text}}\n      \
         said: {{type: quote}}\n    patterns:\n      en:\n        - {quoted}\n"
    );
    RuleFile {
        path: "fuzz/claims/fuzz.yaml".to_string(),
        relative: "claims/fuzz.yaml".to_string(),
        text,
    }
}

/// `text` as a YAML double-quoted string, control characters escaped.
fn yaml_quoted(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                quoted.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

fn document() -> &'static Document {
    static DOCUMENT: OnceLock<Document> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let date = "2020-01-08".parse().ok();
        Document::whole_text(
            DocumentMeta::given("fuzz.txt", "en", date),
            SENTENCES.to_string(),
        )
    })
}

fuzz_target!(|pattern: &str| {
    let parsed = parse_pattern(pattern);
    let rules = rules();
    let file = claim_file(pattern);
    let Ok(claims) = ClaimRules::from_files(&[file], &rules.languages, &rules.entities) else {
        return;
    };
    assert!(parsed.is_ok(), "a pattern that compiles also parses");
    let mut with_rule = rules.clone();
    with_rule.claims = claims;
    let document = document();
    let sentences = rules
        .language("en")
        .segmenter
        .split(&document.text, document.body);
    for claim in extract(document, &sentences, &with_rule) {
        assert!(claim.evidence.end <= document.text.len());
        for slot in claim.slots.values() {
            assert!(document.text.get(slot.span.start..slot.span.end).is_some());
        }
    }
});
