//! The one public error type: variants a caller acts on differently.
//!
//! Messages name the field or record and the problem; they never carry a
//! secret's value or a customer's personal data.

use std::fmt;

/// Everything that can go wrong in poolbook.
///
/// Kotlin and Swift see it as `PoolbookException` / `PoolbookError`, one
/// case per variant, each carrying this message.
#[derive(Debug, thiserror::Error)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Error),
    uniffi(flat_error, name = "PoolbookError")
)]
pub enum Error {
    /// The record asked for does not exist.
    #[error("{entity} {id} not found")]
    NotFound {
        /// What kind of record was looked up.
        entity: EntityKind,
        /// The identifier that was looked up.
        id: String,
    },
    /// An input failed validation; the book is unchanged.
    #[error("invalid {field}: {problem}")]
    Invalid {
        /// Path of the offending field, e.g. `contacts[0].phones[1].number`.
        field: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The write was based on an older version of the record than the stored one.
    #[error(
        "conflict: {entity} {id} was changed by someone else (you edited version {expected}, the book has version {actual}); reload it and apply your change again"
    )]
    Conflict {
        /// What kind of record.
        entity: EntityKind,
        /// Which record.
        id: String,
        /// The version the caller based the write on.
        expected: i64,
        /// The version currently stored.
        actual: i64,
    },
    /// The book file was written by a newer poolbook than this one.
    #[error(
        "the book file has schema version {found}, newer than this poolbook supports ({supported}); upgrade poolbook to open it"
    )]
    UnsupportedSchema {
        /// Schema version found in the file.
        found: i64,
        /// Newest schema version this code knows.
        supported: i64,
    },
    /// The book was closed; no further calls are possible on it.
    #[error("the book is closed")]
    Closed,
    /// The storage layer failed (I/O, corruption, a full disk, ...).
    #[error("storage failure: {message}")]
    Storage {
        /// What the store was doing.
        message: String,
        /// The underlying error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl Error {
    /// An [`Error::Invalid`] for `field` with the given problem.
    pub fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            problem: problem.into(),
        }
    }

    /// An [`Error::NotFound`] for the record `id` of kind `entity`.
    pub fn not_found(entity: EntityKind, id: impl fmt::Display) -> Self {
        Error::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    /// A [`Error::Storage`] wrapping `source`, saying what the store was doing.
    pub fn storage(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Storage {
            message: message.into(),
            source: Box::new(source),
        }
    }
}

/// Result type of every fallible poolbook call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

crate::text_enum! {
    /// The kinds of record the book holds; used in errors and the change log.
    pub enum EntityKind {
        /// A customer account.
        Customer = "customer",
        /// A contact person on an account.
        Contact = "contact",
        /// A service location (a property).
        Location = "location",
        /// A pool, spa or water feature.
        BodyOfWater = "body_of_water",
        /// A technician.
        Technician = "technician",
        /// A history entry: visit, invoice, payment, credit, message, issue, note or feedback.
        Entry = "entry",
        /// A batch of journey touchpoints.
        Touchpoint = "touchpoint",
        /// An anonymous visitor's link to a customer.
        Visitor = "visitor",
        /// A saved segment.
        Segment = "segment",
        /// A chemistry target profile.
        TargetProfile = "target_profile",
        /// A book-wide setting.
        Setting = "setting",
    }
}
