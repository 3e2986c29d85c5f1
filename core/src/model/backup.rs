//! What a backup of a book wrote ([`crate::Book::backup_to`]).

use serde::{Deserialize, Serialize};

/// A backup written by [`crate::Book::backup_to`]: a consistent snapshot of
/// the book in a file of its own, already checked with SQLite's
/// `integrity_check`. Restoring is opening that file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BackupReport {
    /// The backup file.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Customers in the backup, archived ones included.
    pub customers: u64,
    /// History entries in the backup.
    pub entries: u64,
    /// Touchpoints in the backup.
    pub touchpoints: u64,
    /// Change-log rows in the backup.
    pub changes: u64,
}
