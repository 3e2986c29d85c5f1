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
    /// An input failed validation; the book is unchanged. `field` and
    /// `problem` are the first problem found; `also` holds any others in the
    /// same input, so a form can mark every bad field at once.
    #[error("invalid {field}: {problem}{}", also_text(also))]
    Invalid {
        /// Path of the offending field, e.g. `contacts[0].phones[1].number`.
        field: String,
        /// What is wrong with it.
        problem: String,
        /// Further problems in the same input, in the order found.
        also: Vec<FieldProblem>,
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
    /// Another connection (another process, a long import) held the book's
    /// write lock for longer than a call waits; nothing was changed. Retry.
    #[error(
        "the book is busy: {doing} waited {waited_ms} ms for another connection's write to finish; nothing was changed, try again"
    )]
    Busy {
        /// What the store was doing.
        doing: String,
        /// How long the call waited for the lock, in milliseconds.
        waited_ms: u64,
    },
    /// The book cannot be written: a read-only file, folder or disk, or a
    /// book opened with [`crate::Book::open_read_only`].
    #[error("the book is read-only: {doing} failed ({cause})")]
    ReadOnly {
        /// What the store was doing.
        doing: String,
        /// SQLite's own words.
        cause: String,
    },
    /// The file is not a book: not a SQLite database, or a database with
    /// other tables and no poolbook schema.
    #[error("not a poolbook book file: {cause}")]
    NotABook {
        /// What was found instead.
        cause: String,
    },
    /// The book file is damaged; nothing was read from the damaged part.
    #[error("the book file is damaged: {doing} failed ({cause}); restore it from a backup")]
    Corrupt {
        /// What the store was doing.
        doing: String,
        /// SQLite's own words.
        cause: String,
    },
    /// The book is locked: no key was given ([`crate::Book::unlock`]), so
    /// secrets can be neither sealed nor revealed; everything else works.
    #[error("the book is locked: {doing} needs the book's key; unlock it with a key provider")]
    Locked {
        /// What needed the key.
        doing: String,
    },
    /// The key given does not open the book's data key: a wrong passphrase
    /// or another book's key. Nothing was changed; the book stays locked.
    #[error("wrong key: the key given does not open this book's secrets; the book stays locked")]
    WrongKey,
    /// A sealed secret failed to open with the book's key: it was changed in
    /// the file, or copied from another row, field or book. Nothing else is
    /// affected.
    #[error(
        "a sealed secret failed to open: {field} of location {location_id} was altered or moved in the file"
    )]
    TamperedSecret {
        /// The location whose secret failed.
        location_id: String,
        /// Which secret (`gate_code`, `lock_combination`, `alarm_code`).
        field: String,
    },
    /// Any other storage failure (I/O, a full disk, ...), with its cause.
    #[error("storage failure: {message} ({source})")]
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
            also: Vec::new(),
        }
    }

    /// A [`Error::Busy`] that says it waited `elapsed` (the whole call, timed
    /// by the store); other errors are returned as they are.
    pub fn waited(self, elapsed: std::time::Duration) -> Error {
        match self {
            Error::Busy { doing, .. } => Error::Busy {
                doing,
                waited_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            },
            other => other,
        }
    }

    /// The error with its field paths under `prefix` (`customers[3]` turns
    /// `display_name` into `customers[3].display_name`): how a batch names
    /// the item at fault. Other errors are returned as they are.
    pub fn within(self, prefix: &str) -> Error {
        let under = |field: String| {
            if field.is_empty() {
                prefix.to_owned()
            } else {
                format!("{prefix}.{field}")
            }
        };
        match self {
            Error::Invalid {
                field,
                problem,
                also,
            } => Error::Invalid {
                field: under(field),
                problem,
                also: also
                    .into_iter()
                    .map(|p| FieldProblem {
                        field: under(p.field),
                        problem: p.problem,
                    })
                    .collect(),
            },
            other => other,
        }
    }

    /// Every validation problem this error reports, first to last (empty for
    /// an error that is not [`Error::Invalid`]).
    pub fn problems(&self) -> Vec<FieldProblem> {
        match self {
            Error::Invalid {
                field,
                problem,
                also,
            } => std::iter::once(FieldProblem {
                field: field.clone(),
                problem: problem.clone(),
            })
            .chain(also.iter().cloned())
            .collect(),
            _ => Vec::new(),
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

/// One field's problem in an input that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FieldProblem {
    /// Path of the field, e.g. `contacts[0].phones[1].number`.
    pub field: String,
    /// What is wrong with it.
    pub problem: String,
}

/// The further problems of an `Invalid` error, as its message ends them.
fn also_text(also: &[FieldProblem]) -> String {
    also.iter()
        .map(|p| format!("; invalid {}: {}", p.field, p.problem))
        .collect()
}

/// The problems found so far in one input. Checks go on after a bad field;
/// [`Problems::finish`] gives one `Error::Invalid` naming every problem, in
/// the order found, or the first error that is not a validation problem (a
/// storage failure while looking something up).
#[derive(Default)]
pub(crate) struct Problems {
    found: Vec<FieldProblem>,
    failure: Option<Error>,
}

impl Problems {
    /// Records `field`'s problem.
    pub(crate) fn add(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        self.found.push(FieldProblem {
            field: field.into(),
            problem: problem.into(),
        });
    }

    /// Records the problems of a check that failed.
    pub(crate) fn check(&mut self, result: Result<()>) {
        if let Err(error) = result {
            match error {
                Error::Invalid {
                    field,
                    problem,
                    also,
                } => {
                    self.add(field, problem);
                    self.found.extend(also);
                }
                other => {
                    self.failure.get_or_insert(other);
                }
            }
        }
    }

    /// Whether nothing has been found so far.
    pub(crate) fn is_empty(&self) -> bool {
        self.found.is_empty() && self.failure.is_none()
    }

    /// `Ok` if nothing was found, else the error naming every problem.
    pub(crate) fn finish(self) -> Result<()> {
        if let Some(failure) = self.failure {
            return Err(failure);
        }
        let mut found = self.found.into_iter();
        match found.next() {
            None => Ok(()),
            Some(first) => Err(Error::Invalid {
                field: first.field,
                problem: first.problem,
                also: found.collect(),
            }),
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
        /// A message of the outbox the host reported on.
        OutboxMessage = "outbox_message",
        /// A pair of customers the office decided were, or were not, one customer.
        DuplicatePair = "duplicate_pair",
        /// A spreadsheet import (one committed batch).
        Import = "import",
    }
}
