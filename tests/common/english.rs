//! Claims of a text read as one dated English document, for tests that need no corpus
//! (`#[path]`-included).

use claimdiff::model::{Claim, Document, DocumentMeta};
use claimdiff::rules::RuleSet;

/// The claims of `text` as one English document dated 2020-01-08, its body the whole text.
pub fn extract_english(rules: &RuleSet, text: String) -> Vec<Claim> {
    let date = "2020-01-08".parse().ok();
    let document = Document::whole_text(DocumentMeta::given("english.txt", "en", date), text);
    let sentences = rules
        .language("en")
        .segmenter
        .split(&document.text, document.body);
    claimdiff::extract::extract(&document, &sentences, rules)
}
