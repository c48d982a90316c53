//! Fuzzes the sentence splitter of every language: spans must cover the text in order.
#![no_main]

use claimdiff::model::Span;
use claimdiff::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

fn rules() -> &'static RuleSet {
    RuleSet::embedded_shared().unwrap_or_else(|e| panic!("embedded rules: {e}"))
}

fuzz_target!(|text: &str| {
    for code in rules().language_codes() {
        let sentences = rules()
            .language(code)
            .segmenter
            .split(text, Span::new(0, text.len()));
        let mut previous_end = 0;
        for sentence in sentences {
            assert!(sentence.span.start >= previous_end);
            assert!(sentence.span.start < sentence.span.end);
            assert!(text.is_char_boundary(sentence.span.start));
            assert!(text.is_char_boundary(sentence.span.end));
            previous_end = sentence.span.end;
        }
        assert!(previous_end <= text.len());
    }
});
