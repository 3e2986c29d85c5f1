//! What an integrity check of a book found.

use serde::{Deserialize, Serialize};

/// The outcome of [`crate::Book::check_integrity`]: what was read back and
/// anything found damaged. A sound book has no problems.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct IntegrityReport {
    /// Whether nothing is damaged.
    pub ok: bool,
    /// Customers read back whole.
    pub customers_checked: u64,
    /// History entries read back.
    pub entries_checked: u64,
    /// Touchpoints read back.
    pub touchpoints_checked: u64,
    /// What is damaged, in the order found (at most [`MAX_INTEGRITY_PROBLEMS`]).
    pub problems: Vec<IntegrityProblem>,
}

/// One thing an integrity check found damaged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct IntegrityProblem {
    /// Where: `file`, `search index`, `customer`, `entry`, `touchpoint`, `change log`.
    pub area: String,
    /// What is wrong, naming the record by id where there is one.
    pub detail: String,
}

/// The most problems one report lists; a file damaged further says so in its last one.
pub const MAX_INTEGRITY_PROBLEMS: usize = 1000;
