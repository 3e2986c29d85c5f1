//! Segments: saved, named groups of customers defined by rules over the
//! record, the ledger and the journey. (Evaluating them is in
//! `analytics/segments.rs`; the Segment *event format* is unrelated, see
//! `book/event_import.rs`.)

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::CustomerId;
use crate::model::{CustomerKind, LifecycleStatus};

/// One rule of a segment. A segment's rules all have to hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SegmentRule {
    /// The account is of this kind.
    Kind {
        /// The kind.
        kind: CustomerKind,
    },
    /// The account has this lifecycle status.
    Status {
        /// The status.
        status: LifecycleStatus,
    },
    /// The account has this tag.
    Tag {
        /// The tag.
        tag: String,
    },
    /// Some invoice has money remaining more than `days` past its due date.
    OverdueMoreThan {
        /// Days past due.
        days: u32,
    },
    /// Did `did`, and then not `not` within `within_days` (the window has closed):
    /// "opened a payment reminder but made no payment within 7 days".
    DidButNot {
        /// The action done.
        did: String,
        /// The action not done after it.
        not: String,
        /// Days allowed.
        within_days: u32,
    },
    /// No touchpoint at all in the last `days` days.
    NoTouchpointFor {
        /// Days of silence.
        days: u32,
    },
}

/// A saved, named set of rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Segment {
    /// The segment's name.
    pub name: String,
    /// Rules that must all hold.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub rules: Vec<SegmentRule>,
}

/// A customer in a segment, with the values its rules looked at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SegmentMember {
    /// The customer.
    pub customer_id: CustomerId,
    /// Their display name.
    pub display_name: String,
    /// What the rules saw: `remaining`, `days_overdue`, `did_at`, `last_touchpoint_at`, …
    pub values: BTreeMap<String, Value>,
}
