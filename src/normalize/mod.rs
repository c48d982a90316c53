//! Normalizers: numbers and quantities, times anchored to the article's date, and names.
//!
//! Each normalizer reads its language data from `rules/lang/*.yaml` (entities from
//! `rules/entities/*.yaml`) and knows no word of any language itself.

mod byte_trie;
pub mod names;
pub mod number;
pub mod time;

use std::borrow::Cow;

/// `text` folded by `fold`: borrowed without a copy when it is lower-case ASCII already, and
/// lower-cased byte by byte when it is other ASCII, which is what every fold of the normalizers
/// does to ASCII text (they differ only on other characters).
pub fn fold_unless_lower_ascii<'a>(
    text: &'a str,
    fold: impl FnOnce(&str) -> String,
) -> Cow<'a, str> {
    if !text.is_ascii() {
        Cow::Owned(fold(text))
    } else if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_cases_ascii_and_folds_other_text() {
        let fold = |text: &str| text.to_lowercase().replace('\u{2019}', "'");
        assert!(matches!(
            fold_unless_lower_ascii("troops", fold),
            Cow::Borrowed("troops")
        ));
        assert_eq!(fold_unless_lower_ascii("Troops", fold), "troops");
        assert_eq!(fold_unless_lower_ascii("Vos\u{2019}S", fold), "vos's");
    }
}
