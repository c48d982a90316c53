//! The comparator: groups claims by key within a story and compares their values across
//! documents, producing findings.

use crate::model::{Claim, DocumentMeta, Finding};
use crate::rules::RuleSet;

/// Compares the claims of one run. Findings come out in a stable order.
pub fn compare(_documents: &[DocumentMeta], _claims: &[Claim], _rules: &RuleSet) -> Vec<Finding> {
    Vec::new()
}
