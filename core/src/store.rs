//! The `Store` trait: the narrow set of reads and writes the domain needs.
//!
//! Domain logic (validation, diffs, the change log's content) lives in
//! [`crate::Book`] and is written once over this trait; a store only keeps
//! records and answers queries. SQL dialect stays inside each store.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::changelog::{Author, ChangeLogQuery, ChangeRecord, NewChange};
use crate::chemistry::TargetProfile;
use crate::model::{
    Customer, CustomerKind, Entry, EntryKind, LifecycleStatus, Technician, Touchpoint,
};
use crate::search::{SearchHit, SearchTerms};
use crate::{BodyOfWaterId, CustomerId, EntryId, LocationId, Result, TechnicianId};

/// Storage for a book. Implementations must be safe to share across threads
/// and must apply each [`WriteBatch`] atomically: all of it or none of it.
pub trait Store: Send + Sync {
    /// A customer with its live contacts, locations and bodies of water
    /// (archived or not), or `None`.
    fn customer(&self, id: CustomerId) -> Result<Option<Customer>>;

    /// Customers matching `query`, ordered by id, at most `query.limit`.
    fn customers(&self, query: &CustomerQuery) -> Result<Vec<Customer>>;

    /// Live (not archived) customers matching `terms`, best first.
    fn search(&self, terms: &SearchTerms, limit: u32) -> Result<Vec<SearchHit>>;

    /// Ids of the customer's archived contacts, locations and bodies of water.
    fn archived_parts(&self, id: CustomerId) -> Result<Vec<String>>;

    /// The customer a location currently belongs to.
    fn location_owner(&self, id: LocationId) -> Result<Option<CustomerId>>;

    /// A technician, or `None`.
    fn technician(&self, id: TechnicianId) -> Result<Option<Technician>>;

    /// All technicians ordered by name; inactive ones only if asked.
    fn technicians(&self, include_inactive: bool) -> Result<Vec<Technician>>;

    /// A book-wide setting.
    fn setting(&self, key: &str) -> Result<Option<String>>;

    /// Change-log rows matching `query`, oldest first.
    fn change_log(&self, query: &ChangeLogQuery) -> Result<Vec<ChangeRecord>>;

    /// Change-log rows (not creations) a person reading a timeline cares about (see
    /// [`crate::changelog::NOTABLE_FIELDS`]) for a customer or a location,
    /// newest first, strictly before `before`.
    fn notable_changes(&self, query: &NotableChangeQuery) -> Result<Vec<ChangeRecord>>;

    /// One history entry, archived or not.
    fn entry(&self, id: EntryId) -> Result<Option<StoredEntry>>;

    /// History entries matching `query`.
    fn entries(&self, query: &EntryQuery) -> Result<Vec<StoredEntry>>;

    /// Live locations whose service plan names `technician_id`, with their
    /// customers, for customers that are active and not archived.
    fn planned_locations(
        &self,
        technician_id: TechnicianId,
    ) -> Result<Vec<(CustomerId, LocationId)>>;

    /// The stored chemistry target profiles (empty until one is saved).
    fn target_profiles(&self) -> Result<Vec<TargetProfile>>;

    /// Touchpoints matching `query`.
    fn touchpoints(&self, query: &TouchpointQuery) -> Result<Vec<Touchpoint>>;

    /// The customer an anonymous visitor has been linked to.
    fn visitor_link(&self, visitor_id: &str) -> Result<Option<CustomerId>>;

    /// Every touchpoint in `[since, until)`, person by person, each person's
    /// in time order: the one pass journey analytics make. `visit` is told
    /// when a row starts a new person (a customer, or a visitor not linked
    /// to one).
    fn scan_journeys(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        visit: &mut dyn FnMut(bool, JourneyRow) -> Result<()>,
    ) -> Result<()>;

    /// A short summary of every customer (archived ones included), for
    /// breakdowns and segments.
    fn customer_summaries(&self) -> Result<Vec<CustomerSummary>>;

    /// The saved segments, by name.
    fn segments(&self) -> Result<Vec<crate::segment::Segment>>;

    /// Applies every write and appends every change, in one transaction.
    fn apply(&self, batch: &WriteBatch) -> Result<Applied>;

    /// Releases the store's resources; every later call fails with [`crate::Error::Closed`].
    fn close(&self) -> Result<()>;
}

/// Writes that land together, with the change-log rows describing them.
#[derive(Debug, Clone)]
pub struct WriteBatch {
    /// Who is writing.
    pub author: Author,
    /// When (stamped on every change-log row).
    pub at: DateTime<Utc>,
    /// The writes, applied in order.
    pub writes: Vec<Write>,
    /// What they change, for the log.
    pub changes: Vec<NewChange>,
}

/// One write within a [`WriteBatch`].
#[derive(Debug, Clone)]
pub enum Write {
    /// Stores a new customer; fails if any of its ids is taken.
    InsertCustomer(Customer),
    /// Replaces a customer whose stored version is `expected_version`
    /// (otherwise fails with a conflict). Contacts, locations and bodies of
    /// water missing from the record are archived; ones present are stored
    /// and, if archived, restored.
    UpdateCustomer {
        /// The record as it should be stored.
        record: Customer,
        /// The version the change is based on.
        expected_version: i64,
    },
    /// Moves a location (with its bodies of water) from one customer to another.
    MoveLocation {
        /// The location.
        location_id: LocationId,
        /// Its current owner.
        from: CustomerId,
        /// Its new owner.
        to: CustomerId,
    },
    /// Stores a technician, new (`expected_version` is `None`) or replacing
    /// the stored version `expected_version`.
    PutTechnician {
        /// The record as it should be stored.
        record: Technician,
        /// The version the change is based on, for an update.
        expected_version: Option<i64>,
    },
    /// Stores a new history entry.
    InsertEntry(Entry),
    /// Replaces a stored history entry (an issue being resolved).
    UpdateEntry(Entry),
    /// Archives (`Some` time) or restores (`None`) a history entry.
    SetEntryArchived {
        /// The entry.
        id: EntryId,
        /// When it was archived, or `None` to restore it.
        archived_at: Option<DateTime<Utc>>,
    },
    /// Stores a chemistry target profile under its name.
    PutTargetProfile(TargetProfile),
    /// Stores touchpoints; one whose (source system, source event id) is
    /// already stored is skipped. A visitor already linked to a customer
    /// gets that customer.
    InsertTouchpoints(Vec<Touchpoint>),
    /// Links an anonymous visitor to a customer: the visitor's touchpoints
    /// move to the customer. Fails if the visitor is linked to someone else.
    LinkVisitor {
        /// The visitor.
        visitor_id: String,
        /// The customer.
        customer_id: CustomerId,
        /// When.
        at: DateTime<Utc>,
    },
    /// Undoes a visitor's link: the touchpoints it moved go back to the visitor.
    UnlinkVisitor {
        /// The visitor.
        visitor_id: String,
    },
    /// Saves a segment under its name.
    PutSegment(crate::segment::Segment),
    /// Sets a book-wide setting.
    PutSetting {
        /// Setting name.
        key: String,
        /// New value.
        value: String,
    },
}

crate::text_enum! {
    /// Whether a listing includes archived customers.
    #[derive(Default)]
    pub enum ArchivedFilter {
        /// Only live customers (the default).
        #[default]
        Exclude = "exclude",
        /// Live and archived customers.
        Include = "include",
        /// Only archived customers.
        Only = "only",
    }
}

/// Which customers to list, and which page. Filters combine with AND; pages
/// are ordered by id (creation order) and continue after a cursor, so they
/// stay stable while records are added or changed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CustomerQuery {
    /// Only this lifecycle status.
    pub status: Option<LifecycleStatus>,
    /// Only this kind of account.
    pub kind: Option<CustomerKind>,
    /// Only customers with this tag.
    pub tag: Option<String>,
    /// Only customers with a location whose plan assigns this technician.
    pub technician_id: Option<TechnicianId>,
    /// Only customers changed at or after this time.
    pub updated_since: Option<DateTime<Utc>>,
    /// Live, archived or both.
    pub archived: ArchivedFilter,
    /// Continue after this customer (the previous page's `next_after`).
    pub after: Option<CustomerId>,
    /// Page size (default 100, at most 1000).
    pub limit: Option<u32>,
}

/// Default page size of a listing.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// Largest page size of a listing.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// One page of a customer listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerPage {
    /// The customers on this page.
    pub customers: Vec<Customer>,
    /// Pass as `after` to get the next page; `None` on the last page.
    pub next_after: Option<CustomerId>,
}

/// A history entry as stored: the entry, who recorded it, and whether it is archived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredEntry {
    /// The entry.
    pub entry: Entry,
    /// Who recorded it.
    pub author: Author,
    /// When it was archived (entered in error), if it was.
    pub archived_at: Option<DateTime<Utc>>,
}

/// A position in a newest-first scan: entries strictly older than this come next.
/// Ties in time are broken by `key` (descending), so equal times keep one order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ScanPosition {
    /// The time of the last item seen.
    pub at: DateTime<Utc>,
    /// Its tie-breaking key (`e:<entry id>` or `c:<change seq>`).
    pub key: String,
}

/// Which history entries to read. Filters combine with AND.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EntryQuery {
    /// Only this customer's entries.
    pub customer_id: Option<CustomerId>,
    /// Only entries about this location.
    pub location_id: Option<LocationId>,
    /// Only entries about this body of water.
    pub body_of_water_id: Option<BodyOfWaterId>,
    /// Only these kinds (all kinds when empty).
    pub kinds: Vec<EntryKind>,
    /// Only entries at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only entries before this time.
    pub until: Option<DateTime<Utc>>,
    /// Only entries with this status word (a visit outcome or issue status).
    pub status: Option<String>,
    /// Include archived entries.
    pub include_archived: bool,
    /// Newest first (the timeline's order) instead of oldest first.
    pub newest_first: bool,
    /// With `newest_first`: continue strictly after this position.
    pub before: Option<ScanPosition>,
    /// At most this many entries.
    pub limit: Option<u32>,
}

/// Which notable change-log rows to read for a timeline.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NotableChangeQuery {
    /// Rows about this customer account.
    pub customer_id: Option<CustomerId>,
    /// Rows about this location.
    pub location_id: Option<LocationId>,
    /// Only rows at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only rows before this time.
    pub until: Option<DateTime<Utc>>,
    /// Continue strictly after this position (newest first).
    pub before: Option<ScanPosition>,
    /// At most this many rows.
    pub limit: u32,
}

/// What a [`WriteBatch`] did beyond what it was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Applied {
    /// Touchpoints skipped because the same source event was already stored.
    pub skipped_touchpoints: usize,
}

/// Which touchpoints to read. Filters combine with AND.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TouchpointQuery {
    /// Only this customer's touchpoints (including linked visitors').
    pub customer_id: Option<CustomerId>,
    /// Only this visitor's touchpoints.
    pub visitor_id: Option<String>,
    /// Only touchpoints at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only touchpoints before this time.
    pub until: Option<DateTime<Utc>>,
    /// Newest first instead of oldest first.
    pub newest_first: bool,
    /// With `newest_first`: continue strictly after this position (key `t:<id>`).
    pub before: Option<ScanPosition>,
    /// At most this many.
    pub limit: Option<u32>,
}

/// One touchpoint as a journey scan sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct JourneyRow {
    /// The customer, once known.
    pub customer_id: Option<CustomerId>,
    /// When.
    pub at: DateTime<Utc>,
    /// What happened.
    pub action: String,
    /// Where.
    pub channel: crate::model::JourneyChannel,
    /// The journey stage.
    pub stage: crate::model::Stage,
    /// Inbound or outbound.
    pub direction: crate::model::Direction,
    /// Who acted.
    pub actor: crate::model::Actor,
    /// The visitor id, for a person not yet known as a customer.
    pub visitor_id: Option<String>,
    /// The campaign, if any.
    pub campaign: Option<String>,
}

/// What analytics need to know of a customer without loading the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerSummary {
    /// The customer.
    pub id: CustomerId,
    /// Display name.
    pub display_name: String,
    /// Account kind.
    pub kind: CustomerKind,
    /// Lifecycle status.
    pub status: LifecycleStatus,
    /// Tags.
    pub tags: Vec<String>,
    /// Whether the customer is archived.
    pub archived: bool,
}
