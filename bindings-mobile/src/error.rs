//! `PoolbookError`: core's errors as a Kotlin exception
//! (`PoolbookException.Invalid`, …) and a Swift `Error`. Each variant
//! carries core's own message, which names the field at fault ("invalid
//! gallons: …"); secrets never appear in it, as core never puts them there.

use std::fmt;

/// Why a poolbook call failed. The message is core's, and names the field
/// for validation errors.
#[derive(Debug, uniffi::Error)]
#[uniffi(flat_error)]
pub enum PoolbookError {
    /// No such customer, technician, entry, … .
    NotFound(String),
    /// A value failed validation; the message names the field.
    Invalid(String),
    /// Someone else changed the record since it was read (optimistic
    /// concurrency); reload it and apply the change again.
    Conflict(String),
    /// The book file was written by a newer poolbook.
    UnsupportedSchema(String),
    /// The book is closed.
    Closed(String),
    /// The storage (SQLite) failed.
    Storage(String),
}

impl fmt::Display for PoolbookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PoolbookError::NotFound(message)
            | PoolbookError::Invalid(message)
            | PoolbookError::Conflict(message)
            | PoolbookError::UnsupportedSchema(message)
            | PoolbookError::Closed(message)
            | PoolbookError::Storage(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for PoolbookError {}

impl From<poolbook::Error> for PoolbookError {
    fn from(error: poolbook::Error) -> Self {
        let message = error.to_string();
        match error {
            poolbook::Error::NotFound { .. } => PoolbookError::NotFound(message),
            poolbook::Error::Invalid { .. } => PoolbookError::Invalid(message),
            poolbook::Error::Conflict { .. } => PoolbookError::Conflict(message),
            poolbook::Error::UnsupportedSchema { .. } => PoolbookError::UnsupportedSchema(message),
            poolbook::Error::Closed => PoolbookError::Closed(message),
            poolbook::Error::Storage { .. } => PoolbookError::Storage(message),
        }
    }
}

/// What every binding call returns.
pub type Result<T> = std::result::Result<T, PoolbookError>;
