//! Names and entities: canonical entities with aliases, demonyms, genitives, roles and sides,
//! and clustering of spelling variants that no rule lists.

use crate::model::{Claim, DocumentMeta, EntityRef, Span};
use crate::rules::{RuleError, RuleFile};

/// The canonical entities of `rules/entities/*.yaml`.
#[derive(Clone, Debug, Default)]
pub struct EntityBook {}

impl EntityBook {
    /// Loads entity files, reporting every error at once.
    pub fn from_files(_files: &[RuleFile]) -> Result<Self, Vec<RuleError>> {
        Ok(EntityBook {})
    }

    /// The longest entity mention starting at byte `start` of `text` in language `lang`: its end
    /// byte and the entity it names (an alias, demonym, genitive or role).
    pub fn match_at(&self, _text: &str, _start: usize, _lang: &str) -> Option<(usize, EntityRef)> {
        None
    }

    /// True when `id` is a canonical entity or grouping of the rules.
    pub fn contains(&self, _id: &str) -> bool {
        false
    }

    /// The grouping (side, faction) an entity belongs to, when the rules give one.
    pub fn side_of(&self, _id: &str) -> Option<&str> {
        None
    }
}

/// The person, place and organisation names written in `span` of `text`: known entities and
/// capitalized names no rule lists (with an id of `~` and their folded form).
pub fn name_mentions(_text: &str, _span: Span, _lang: &str, _book: &EntityBook) -> Vec<EntityRef> {
    Vec::new()
}

/// One way of writing an entity, and where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantForm {
    /// The form as written (`Hifter`).
    pub form: String,
    /// Indices into the mention claims given to [`spelling_variants`].
    pub mentions: Vec<usize>,
    /// True when the form is the language's own name for the entity (`Poetin` in Dutch), not a
    /// spelling variant.
    pub language_form: bool,
}

/// An entity written in more than one way across the documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantGroup {
    /// Canonical display name.
    pub entity: String,
    /// The forms, sorted.
    pub forms: Vec<VariantForm>,
}

/// Clusters name mentions (claims of kind `mention`, slot `name`) into entities written in
/// several ways: spelling variants, told apart from each language's own form.
pub fn spelling_variants(
    _mentions: &[&Claim],
    _documents: &[DocumentMeta],
    _book: &EntityBook,
) -> Vec<VariantGroup> {
    Vec::new()
}
