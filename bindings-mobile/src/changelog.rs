//! Mirrors of core's change log and timeline: authors, change records and
//! field changes, entity kinds, timeline queries, items and pages; plus the
//! `ChangeLogQuery` binding record (core's query names an entity with a
//! tuple).

use chrono::{DateTime, Utc};
use poolbook::{
    Author, AuthorKind, ChangeAction, ChangeRecord, CustomerId, EntityKind, Entry, EntryKind,
    FieldChange, LocationId, TimelineItem, TimelinePage, TimelineQuery, Touchpoint,
};
use serde_json::Value;

/// Who, in kind, made a change.
#[uniffi::remote(Enum)]
pub enum AuthorKind {
    /// A technician, usually from the field app.
    Technician,
    /// An office user.
    Office,
    /// An import job.
    Import,
    /// poolbook itself or an automation.
    System,
}

/// The author of a change: a technician, an office user, an import or the system.
#[uniffi::remote(Record)]
pub struct Author {
    /// What kind of author.
    pub kind: AuthorKind,
    /// Who exactly: a technician id, an office login, an import's name.
    pub id: String,
}

/// What happened to the entity.
#[uniffi::remote(Enum)]
pub enum ChangeAction {
    /// It was created.
    Created,
    /// Some of its fields changed.
    Updated,
    /// It was archived (the normal API never hard-deletes).
    Archived,
    /// It was brought back from the archive.
    Restored,
    /// A location moved to another customer.
    Transferred,
    /// An anonymous visitor was linked to a customer.
    Linked,
    /// A visitor's link to a customer was undone.
    Unlinked,
}

/// One field's change. For a secret field, `secret` is true and both values
/// are null: the log says only that it changed.
#[uniffi::remote(Record)]
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

/// One row of the append-only change log.
#[uniffi::remote(Record)]
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
    #[uniffi(default)]
    pub customer_id: Option<CustomerId>,
    /// What happened.
    pub action: ChangeAction,
    /// Field-level detail.
    #[uniffi(default)]
    pub changes: Vec<FieldChange>,
}

/// The kinds of record the book holds; used in errors and the change log.
#[uniffi::remote(Enum)]
pub enum EntityKind {
    /// A customer account.
    Customer,
    /// A contact person on an account.
    Contact,
    /// A service location (a property).
    Location,
    /// A pool, spa or water feature.
    BodyOfWater,
    /// A technician.
    Technician,
    /// A history entry: visit, invoice, payment, credit, message, issue, note or feedback.
    Entry,
    /// A batch of journey touchpoints.
    Touchpoint,
    /// An anonymous visitor's link to a customer.
    Visitor,
    /// A saved segment.
    Segment,
    /// A chemistry target profile.
    TargetProfile,
    /// A book-wide setting.
    Setting,
}

/// Which timeline to read: exactly one of `customer_id` and `location_id`.
/// A customer's timeline includes their journey's touchpoints.
#[uniffi::remote(Record)]
pub struct TimelineQuery {
    /// A customer's whole history.
    #[uniffi(default)]
    pub customer_id: Option<CustomerId>,
    /// One location's history (it follows the location across owners).
    #[uniffi(default)]
    pub location_id: Option<LocationId>,
    /// Only these kinds of entry (all when empty).
    #[uniffi(default)]
    pub kinds: Vec<EntryKind>,
    /// Only items at or after this time.
    #[uniffi(default)]
    pub since: Option<DateTime<Utc>>,
    /// Only items before this time.
    #[uniffi(default)]
    pub until: Option<DateTime<Utc>>,
    /// Weave in notable change-log rows ("rate changed", "gate code changed").
    pub include_changes: bool,
    /// The previous page's `next_cursor`.
    #[uniffi(default)]
    pub cursor: Option<String>,
    /// Page size (default 50, at most 1000).
    #[uniffi(default)]
    pub limit: Option<u32>,
}

#[uniffi::remote(Enum)]
pub enum TimelineItem {
    /// A history entry and who recorded it.
    Entry {
        /// The entry.
        entry: Entry,
        /// Who recorded it.
        author: Author,
    },
    /// A notable change to the record.
    Change(ChangeRecord),
    /// A step of the customer's journey.
    Touchpoint(Touchpoint),
}

/// One page of a timeline.
#[uniffi::remote(Record)]
pub struct TimelinePage {
    /// Items, newest first.
    #[uniffi(default)]
    pub items: Vec<TimelineItem>,
    /// Pass as `cursor` for the next page; `None` on the last page.
    #[uniffi(default)]
    pub next_cursor: Option<String>,
}

/// Which change records `changeLog` returns (core's `ChangeLogQuery`, with
/// its entity filter as two fields).
#[derive(uniffi::Record)]
pub struct ChangeLogQuery {
    /// Only changes to this kind of entity (with `entity_id`).
    #[uniffi(default = None)]
    pub entity: Option<EntityKind>,
    /// Only changes to the entity with this id (with `entity`).
    #[uniffi(default = None)]
    pub entity_id: Option<String>,
    /// Only changes on this customer's account.
    #[uniffi(default = None)]
    pub customer_id: Option<CustomerId>,
    /// Only changes by this author.
    #[uniffi(default = None)]
    pub author: Option<Author>,
    /// Only changes at or after this instant.
    #[uniffi(default = None)]
    pub since: Option<DateTime<Utc>>,
    /// Only changes after this sequence number.
    #[uniffi(default = None)]
    pub after_seq: Option<i64>,
    /// At most this many records.
    #[uniffi(default = None)]
    pub limit: Option<u32>,
}

impl TryFrom<ChangeLogQuery> for poolbook::ChangeLogQuery {
    type Error = poolbook::Error;

    fn try_from(query: ChangeLogQuery) -> Result<Self, Self::Error> {
        let entity = match (query.entity, query.entity_id) {
            (Some(kind), Some(id)) => Some((kind, id)),
            (None, None) => None,
            (Some(_), None) => {
                return Err(poolbook::Error::invalid(
                    "entity_id",
                    "is required with entity",
                ));
            }
            (None, Some(_)) => {
                return Err(poolbook::Error::invalid(
                    "entity",
                    "is required with entity_id",
                ));
            }
        };
        Ok(poolbook::ChangeLogQuery {
            entity,
            customer_id: query.customer_id,
            author: query.author,
            since: query.since,
            after_seq: query.after_seq,
            limit: query.limit,
        })
    }
}
