//! Questions about the whole book: which touchpoints and entries, across
//! every customer (by period, channel, action, kind of entry, segment,
//! customer kind, tag, technician), as pages or as counts grouped by period
//! and dimensions, and the company's receivables.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::model::{CustomerKind, Direction, Entry, EntryKind, JourneyChannel, Touchpoint};
use crate::{CustomerId, TechnicianId};

/// Which touchpoints (or entries), across the whole book. Filters combine
/// with AND; a list allows any of its values; empty allows everything.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BookFilter {
    /// Only at or after this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub since: Option<DateTime<Utc>>,
    /// Only before this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
    /// Touchpoints on these channels.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub channels: Vec<JourneyChannel>,
    /// Touchpoints with these actions.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub actions: Vec<String>,
    /// Touchpoints in these directions.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub directions: Vec<Direction>,
    /// Entries of these kinds.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub kinds: Vec<EntryKind>,
    /// Only customers in this saved segment (as of now).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub segment: Option<String>,
    /// Only customers of these kinds.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub customer_kinds: Vec<CustomerKind>,
    /// Only customers with one of these tags.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub tags: Vec<String>,
    /// Only what this technician did: their visits (entries) and the
    /// touchpoints of those visits.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub technician_id: Option<TechnicianId>,
}

crate::text_enum! {
    /// A calendar period counts are grouped by (UTC days; weeks start on Monday).
    pub enum Period {
        /// One calendar day.
        Day = "day",
        /// A week, Monday to Sunday.
        Week = "week",
        /// A calendar month.
        Month = "month",
    }
}

/// What touchpoint counts are grouped by, beside the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CountDimension {
    /// The channel.
    Channel,
    /// The action.
    Action,
    /// The journey stage (empty when unmapped).
    Stage,
    /// Inbound or outbound.
    Direction,
    /// The customer's kind (empty for anonymous visitors).
    CustomerKind,
    /// The technician of a visit's touchpoint (empty for others).
    Technician,
    /// A property of the touchpoint (`skip_reason`, `method`, `rating`).
    Property {
        /// The property's name.
        name: String,
    },
}

/// Touchpoint counts to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TouchpointCountQuery {
    /// Which touchpoints.
    #[serde(default)]
    pub filter: BookFilter,
    /// The period to group by; `None` counts the whole range as one.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub period: Option<Period>,
    /// Dimensions to group by (at most 3), in order.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub by: Vec<CountDimension>,
}

/// One group's count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TouchpointCount {
    /// The first day of the period (`None` without a period).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub period_start: Option<NaiveDate>,
    /// The group's value of each dimension, in the query's order (empty
    /// text where a touchpoint has none).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub group: Vec<String>,
    /// Touchpoints in the group.
    pub touchpoints: u64,
    /// The sum of their values (payments, invoices), 0 when none has one.
    pub value: f64,
}

/// One page of touchpoints across the book, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BookTouchpointPage {
    /// The touchpoints.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub touchpoints: Vec<Touchpoint>,
    /// Pass as `cursor` for the next page; `None` on the last page.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub next_cursor: Option<String>,
}

/// One page of history entries across the book, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BookEntryPage {
    /// The entries.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub entries: Vec<Entry>,
    /// Pass as `cursor` for the next page; `None` on the last page.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub next_cursor: Option<String>,
}

/// A customer who owes money.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Debtor {
    /// The customer.
    pub customer_id: CustomerId,
    /// Their display name.
    pub display_name: String,
    /// What they owe in all.
    pub owed: Decimal,
    /// Of it, more than 30 days past due.
    pub over_30: Decimal,
    /// Days the oldest unpaid invoice is past due (0 if none is).
    pub oldest_days_past_due: i64,
}

/// What the company is owed, across every customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Receivables {
    /// The day ages are counted to.
    pub as_of: NaiveDate,
    /// Everything owed less money on account.
    pub total_owed: Decimal,
    /// Not yet due.
    pub current: Decimal,
    /// 1 to 30 days past due.
    pub days_1_30: Decimal,
    /// 31 to 60 days past due.
    pub days_31_60: Decimal,
    /// 61 to 90 days past due.
    pub days_61_90: Decimal,
    /// More than 90 days past due.
    pub over_90: Decimal,
    /// Money on account, not applied to any invoice.
    pub unapplied: Decimal,
    /// Customers who owe something.
    pub customers_owing: u64,
    /// Who owes most, most first (at most `top` of them).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub top_debtors: Vec<Debtor>,
}
