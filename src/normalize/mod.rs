//! Normalizers: numbers and quantities, times anchored to the article's date, and names.
//!
//! Each normalizer reads its language data from `rules/lang/*.yaml` (entities from
//! `rules/entities/*.yaml`) and knows no word of any language itself.

pub mod names;
pub mod number;
pub mod time;
