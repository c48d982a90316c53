//! Names and entities: canonical entities with aliases, demonyms, genitives, roles and sides,
//! and clustering of spelling variants that no rule lists.

use crate::rules::{RuleError, RuleFile};

/// The canonical entities of `rules/entities/*.yaml`.
#[derive(Clone, Debug, Default)]
pub struct EntityBook {}

impl EntityBook {
    /// Loads entity files, reporting every error at once.
    pub fn from_files(_files: &[RuleFile]) -> Result<Self, Vec<RuleError>> {
        Ok(EntityBook {})
    }
}
