//! The lossless whole-book export as records: what an export or import of
//! a book file did.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How many records of one kind a book file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TableCount {
    /// The kind of record, named after the table that keeps it
    /// (`customers`, `history`, `touchpoints`, `change_log`, ...).
    pub table: String,
    /// How many records of it.
    pub rows: u64,
}

/// A book file's header: what [`Book::export_book`](crate::Book::export_book)
/// wrote or [`Book::import_book`](crate::Book::import_book) read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BookFile {
    /// The format's version (see [`BOOK_FILE_VERSION`]).
    pub version: u32,
    /// The schema version (SQLite's numbering) of the poolbook that
    /// exported it, from either store.
    pub schema_version: i64,
    /// The book's id (set once the book has a data key), which its sealed
    /// secrets are bound to.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub book_id: Option<String>,
    /// When it was exported.
    pub exported_at: DateTime<Utc>,
    /// Records per kind, every kind (a customer is one record with its
    /// contacts, locations and pools).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub counts: Vec<TableCount>,
}

/// The name in a book file's header line.
pub const BOOK_FILE_FORMAT: &str = "poolbook-book";

/// The version of the book file format this poolbook writes and the newest
/// it reads.
pub const BOOK_FILE_VERSION: u32 = 1;

crate::text_enum! {
    /// A table of the book as Arrow batches or a Parquet file
    /// (`Book::to_arrow`, `Book::write_parquet`, feature `arrow`).
    pub enum ArrowTable {
        /// One row per customer: the account, its primary contact, counts.
        Customers = "customers",
        /// One row per live contact.
        Contacts = "contacts",
        /// One row per live service location, with its plan.
        Locations = "locations",
        /// One row per live pool, spa or water feature.
        BodiesOfWater = "bodies_of_water",
        /// One row per visit, one column per reading.
        Visits = "visits",
        /// One row per invoice, payment or credit, amounts as decimals.
        Ledger = "ledger",
        /// One row per journey touchpoint.
        Touchpoints = "touchpoints",
        /// One row per change-log row.
        ChangeLog = "change_log",
    }
}
