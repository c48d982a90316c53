//! Fuzzes the time parser of every language, with day, month-only and unknown anchors.
#![no_main]

use claimdiff::model::PubDate;
use claimdiff::normalize::time::{Anchor, Direction};
use claimdiff::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

fn rules() -> &'static RuleSet {
    RuleSet::embedded_shared().unwrap_or_else(|e| panic!("embedded rules: {e}"))
}

fuzz_target!(|text: &str| {
    let anchors = [
        Anchor::from_date("2020-01-08".parse::<PubDate>().ok()),
        Anchor::from_date("2020-01".parse::<PubDate>().ok()),
        Anchor::from_date(None),
    ];
    for code in rules().language_codes() {
        let times = &rules().language(code).times;
        let _ = times.tense(text);
        for anchor in &anchors {
            for prefer in [None, Some(Direction::Past), Some(Direction::Future)] {
                if let Some((end, _)) = times.match_at(text, 0, anchor, prefer) {
                    assert!(end <= text.len() && text.is_char_boundary(end));
                }
            }
        }
    }
});
