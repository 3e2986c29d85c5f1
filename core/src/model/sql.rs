//! Read-only SQL over a book: the values a query takes and returns, and its
//! rows ([`crate::Book::sql`]).

/// One SQL value: a parameter of a query or a cell of its result.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SqlValue {
    /// SQL NULL.
    Null,
    /// A 64-bit integer.
    Integer {
        /// The number.
        value: i64,
    },
    /// A 64-bit float.
    Real {
        /// The number.
        value: f64,
    },
    /// Text.
    Text {
        /// The text.
        value: String,
    },
    /// Bytes.
    Blob {
        /// The bytes.
        value: Vec<u8>,
    },
}

/// What a read-only query returned: its column names and its rows, each a
/// value per column.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SqlRows {
    /// The result's column names, in order.
    pub columns: Vec<String>,
    /// The rows, each with one value per column.
    pub rows: Vec<Vec<SqlValue>>,
}

/// The most rows one [`crate::Book::sql`] call returns; a query that would
/// return more is refused (page it with `LIMIT` and `OFFSET` or a key).
pub const MAX_SQL_ROWS: usize = 1_000_000;

/// The longest query text [`crate::Book::sql`] takes, in characters.
pub const MAX_SQL_CHARS: usize = 100_000;

/// The most parameters one query takes.
pub const MAX_SQL_PARAMS: usize = 1_000;
