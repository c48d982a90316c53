//! Normalizers: numbers and quantities, times anchored to the article's date, and names.
//!
//! Each normalizer reads its language data from `rules/lang/*.yaml` (entities from
//! `rules/entities/*.yaml`) and knows no word of any language itself.

pub mod names;
pub mod number;
pub mod time;

use std::borrow::Cow;

/// `text` folded by `fold`, or borrowed without a copy when it is lower-case ASCII already,
/// which no fold of the normalizers or the tokenizer changes.
pub fn fold_unless_lower_ascii<'a>(
    text: &'a str,
    fold: impl FnOnce(&str) -> String,
) -> Cow<'a, str> {
    if text
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(fold(text))
    }
}
