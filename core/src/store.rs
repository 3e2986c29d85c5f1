//! The `Store` trait: the narrow set of reads and writes the domain needs.
//!
//! Domain logic (validation, diffs, the change log's content) lives in
//! [`crate::Book`] and is written once over this trait; a store only keeps
//! records and answers queries. SQL dialect stays inside each store.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::changelog::{Author, ChangeLogQuery, ChangeRecord, NewChange};
use crate::model::{Customer, CustomerKind, LifecycleStatus, Technician};
use crate::search::{SearchHit, SearchTerms};
use crate::{CustomerId, LocationId, Result, TechnicianId};

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

    /// Applies every write and appends every change, in one transaction.
    fn apply(&self, batch: &WriteBatch) -> Result<()>;

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
