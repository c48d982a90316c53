//! Fuzzes the rule loader: any bytes as a claim rule file, an entity file or a language file
//! give rules or errors, never a panic or a hang.
#![no_main]

use claimdiff::rules::{embedded_files, RuleFile, RuleSet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for relative in ["claims/fuzz.yaml", "entities/fuzz.yaml", "lang/en.fuzz.yaml"] {
        let mut files = embedded_files();
        files.push(RuleFile {
            path: format!("fuzz/{relative}"),
            relative: relative.to_string(),
            text: text.to_string(),
        });
        let _ = RuleSet::from_files(files);
    }
});
