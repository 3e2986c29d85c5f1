//! Who changed what: authors, the change-log rows and the query that reads
//! them. The diff that produces the rows is in `domain/changes.rs`.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{CustomerId, EntityKind, Error, Result, TechnicianId};

crate::text_enum! {
    /// Who, in kind, made a change.
    pub enum AuthorKind {
        /// A technician, usually from the field app.
        Technician = "technician",
        /// An office user.
        Office = "office",
        /// An import job.
        Import = "import",
        /// poolbook itself or an automation.
        System = "system",
    }
}

crate::text_enum! {
    /// What happened to the entity.
    pub enum ChangeAction {
        /// It was created.
        Created = "created",
        /// Some of its fields changed.
        Updated = "updated",
        /// It was archived (the normal API never hard-deletes).
        Archived = "archived",
        /// It was brought back from the archive.
        Restored = "restored",
        /// A location moved to another customer.
        Transferred = "transferred",
        /// An anonymous visitor was linked to a customer.
        Linked = "linked",
        /// A visitor's link to a customer was undone.
        Unlinked = "unlinked",
        /// Two customers were merged into one.
        Merged = "merged",
        /// A merge was undone.
        Unmerged = "unmerged",
    }
}

/// The author of a change: a technician, an office user, an import or the system.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Author {
    /// What kind of author.
    pub kind: AuthorKind,
    /// Who exactly: a technician id, an office login, an import's name.
    pub id: String,
}

impl Author {
    /// A technician.
    pub fn technician(id: TechnicianId) -> Self {
        Author {
            kind: AuthorKind::Technician,
            id: id.to_string(),
        }
    }

    /// An office user, by login or name.
    pub fn office(user: impl Into<String>) -> Self {
        Author {
            kind: AuthorKind::Office,
            id: user.into(),
        }
    }

    /// An import, by a name for the job or file.
    pub fn import(source: impl Into<String>) -> Self {
        Author {
            kind: AuthorKind::Import,
            id: source.into(),
        }
    }

    /// poolbook itself.
    pub fn system() -> Self {
        Author {
            kind: AuthorKind::System,
            id: "poolbook".to_owned(),
        }
    }

    /// Refuses an author with no id.
    pub(crate) fn check(&self) -> Result<()> {
        let id = self.id.trim();
        if id.is_empty() {
            return Err(Error::invalid("author.id", "must say who made the change"));
        }
        if self.id.chars().count() > 200 {
            return Err(Error::invalid("author.id", "is longer than 200 characters"));
        }
        Ok(())
    }
}

impl fmt::Display for Author {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind, self.id)
    }
}

/// One field's change. For a secret field, `secret` is true and both values
/// are null: the log says only that it changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FieldChange {
    /// Dotted path of the field within its entity, e.g. `billing.rate`.
    pub field: String,
    /// The value before (null if it did not exist).
    pub before: Value,
    /// The value after (null if it no longer exists).
    pub after: Value,
    /// Whether the field is a secret (values withheld).
    pub secret: bool,
}

impl fmt::Display for FieldChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.secret {
            write!(f, "{}: changed", self.field)
        } else {
            write!(f, "{}: {} -> {}", self.field, self.before, self.after)
        }
    }
}

/// A change about to be written; the store stamps it with author, time and sequence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewChange {
    /// Kind of entity changed.
    pub entity: EntityKind,
    /// Its id.
    pub entity_id: String,
    /// The customer account it belongs to, if any.
    pub customer_id: Option<CustomerId>,
    /// What happened.
    pub action: ChangeAction,
    /// Field-level detail.
    pub changes: Vec<FieldChange>,
}

/// One row of the append-only change log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChangeRecord {
    /// Position in the log: grows by one per row, never reused.
    pub seq: i64,
    /// When the change was made.
    pub at: DateTime<Utc>,
    /// Who made it.
    pub author: Author,
    /// Kind of entity changed.
    pub entity: EntityKind,
    /// Its id.
    pub entity_id: String,
    /// The customer account it belongs to, if any.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub customer_id: Option<CustomerId>,
    /// What happened.
    pub action: ChangeAction,
    /// Field-level detail.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub changes: Vec<FieldChange>,
}

/// Which change-log rows to read; filters combine with AND. Rows come oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChangeLogQuery {
    /// Only rows about entities of this kind (with `entity_id`: about that one).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub entity: Option<EntityKind>,
    /// Only rows about the entity with this id; needs `entity`.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub entity_id: Option<String>,
    /// Only rows about this customer account and everything on it.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub customer_id: Option<CustomerId>,
    /// Only rows by this author.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub author: Option<Author>,
    /// Only rows at or after this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub since: Option<DateTime<Utc>>,
    /// Only rows after this sequence number (for paging and sync).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub after_seq: Option<i64>,
    /// At most this many rows (default 1000).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub limit: Option<u32>,
}

/// Change-log fields worth showing in a timeline (a field or anything under
/// it) — the rate changed, the plan changed, the gate code changed (never its value).
pub const NOTABLE_FIELDS: &[&str] = &[
    "display_name",
    "status",
    "billing.rate",
    "billing.rate_basis",
    "billing.terms_days",
    "service_plan",
    "access.gate_code",
    "access.lock_combination",
    "access.alarm_code",
    "preferences.do_not_contact",
    "preferences.notify_before_visit",
];
