//! Fuzzes the rule loader: any bytes as a claim rule file, an entity file or a language file
//! give rules or errors, never a panic or a hang.
//!
//! Each file is loaded with only what it depends on, so a run makes many executions: a claim
//! file against the embedded languages and entities, an entity file with the embedded entity
//! files, a language file with the embedded language files.
#![no_main]

use std::sync::OnceLock;

use claimdiff::extract::ClaimRules;
use claimdiff::normalize::names::EntityBook;
use claimdiff::rules::{embedded_files, RuleFile, RuleSet};
use libfuzzer_sys::fuzz_target;

fn rules() -> &'static RuleSet {
    RuleSet::embedded_shared().unwrap_or_else(|e| panic!("embedded rules: {e}"))
}

/// The embedded files of a folder (`lang/`, `entities/`).
fn embedded_in(folder: &str) -> Vec<RuleFile> {
    embedded_files()
        .into_iter()
        .filter(|file| file.relative.starts_with(folder))
        .collect()
}

fn language_files() -> &'static [RuleFile] {
    static FILES: OnceLock<Vec<RuleFile>> = OnceLock::new();
    FILES.get_or_init(|| embedded_in("lang/"))
}

fn entity_files() -> &'static [RuleFile] {
    static FILES: OnceLock<Vec<RuleFile>> = OnceLock::new();
    FILES.get_or_init(|| embedded_in("entities/"))
}

fn fuzz_file(relative: &str, text: &str) -> RuleFile {
    RuleFile {
        path: format!("fuzz/{relative}"),
        relative: relative.to_string(),
        text: text.to_string(),
    }
}

fuzz_target!(|text: &str| {
    let rules = rules();
    let claims = fuzz_file("claims/fuzz.yaml", text);
    let _ = ClaimRules::from_files(&[claims], &rules.languages, &rules.entities);
    let mut entities = entity_files().to_vec();
    entities.push(fuzz_file("entities/fuzz.yaml", text));
    let _ = EntityBook::from_files(&entities);
    let mut files = language_files().to_vec();
    files.push(fuzz_file("lang/en.fuzz.yaml", text));
    let _ = RuleSet::from_files(files);
});
