//! Fuzzes the number and quantity parser of every language: never a panic, ends on a character
//! boundary.
#![no_main]

use claimdiff::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

fn rules() -> &'static RuleSet {
    RuleSet::embedded_shared().unwrap_or_else(|e| panic!("embedded rules: {e}"))
}

fuzz_target!(|text: &str| {
    for code in rules().language_codes() {
        let numbers = &rules().language(code).numbers;
        let _ = numbers.parse(text);
        if let Some((end, _)) = numbers.match_at(text, 0) {
            assert!(end <= text.len() && text.is_char_boundary(end));
        }
    }
});
