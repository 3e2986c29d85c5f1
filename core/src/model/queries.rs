//! What to read: the query and page types the `Book` and the `Store` trait
//! share (customer listings, history entries, touchpoints, change-log rows
//! for a timeline) and the positions that make newest-first pages stable.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{Author, Customer, CustomerKind, Entry, EntryKind, LifecycleStatus};
use crate::{BodyOfWaterId, CustomerId, LocationId, TechnicianId};

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
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CustomerQuery {
    /// Only this lifecycle status.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub status: Option<LifecycleStatus>,
    /// Only this kind of account.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub kind: Option<CustomerKind>,
    /// Only customers with this tag.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tag: Option<String>,
    /// Only customers with a location whose plan assigns this technician.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub technician_id: Option<TechnicianId>,
    /// Only customers changed at or after this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub updated_since: Option<DateTime<Utc>>,
    /// Live, archived or both.
    pub archived: ArchivedFilter,
    /// Continue after this customer (the previous page's `next_after`).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub after: Option<CustomerId>,
    /// Page size (default 100, at most 1000).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub limit: Option<u32>,
}

/// Default page size of a listing.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// Largest page size of a listing.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// One page of a customer listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CustomerPage {
    /// The customers on this page.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub customers: Vec<Customer>,
    /// Pass as `after` to get the next page; `None` on the last page.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub next_after: Option<CustomerId>,
}

/// A history entry as stored: the entry, who recorded it, and whether it is archived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StoredEntry {
    /// The entry.
    pub entry: Entry,
    /// Who recorded it.
    pub author: Author,
    /// When it was archived (entered in error), if it was.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub archived_at: Option<DateTime<Utc>>,
}

/// A position in a newest-first scan: entries strictly older than this come next.
/// Ties in time are broken by `key` (descending), so equal times keep one order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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

/// Which touchpoints to read. Filters combine with AND.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TouchpointQuery {
    /// Only this customer's touchpoints (including linked visitors').
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub customer_id: Option<CustomerId>,
    /// Only this visitor's touchpoints.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub visitor_id: Option<String>,
    /// Only touchpoints at or after this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub since: Option<DateTime<Utc>>,
    /// Only touchpoints before this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub until: Option<DateTime<Utc>>,
    /// Newest first instead of oldest first.
    pub newest_first: bool,
    /// Leave out the touchpoints the book's own operations wrote (a
    /// payment's `payment_made`, a status change's `converted`): the
    /// timeline shows those as the entries and changes they came from.
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    #[serde(default)]
    pub exclude_operations: bool,
    /// Include the touchpoints archived with their entries.
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    #[serde(default)]
    pub include_archived: bool,
    /// With `newest_first`: continue strictly after this position (key `t:<id>`).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub before: Option<ScanPosition>,
    /// At most this many.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub limit: Option<u32>,
}
