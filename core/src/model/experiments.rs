//! Experiments: change one part of the journey (a reminder's wording, its
//! send time), measure the result per variant, and compare it with the
//! previous approach; and a funnel compared across two periods.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

crate::text_enum! {
    /// How people are put in a variant.
    pub enum Assignment {
        /// By a hash of the person's id and the experiment's name
        /// ([`crate::assign_variant`]): stable, needs nothing recorded.
        Hashed = "hashed",
        /// By the exposure touchpoint's properties: `experiment` (the
        /// experiment's name) and `variant`.
        Recorded = "recorded",
    }
}

/// An experiment to measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExperimentDefinition {
    /// The experiment's name (part of the hash for hashed assignment).
    pub name: String,
    /// The variants, at least two; the first is the control (the previous approach).
    pub variants: Vec<String>,
    /// How people are put in a variant.
    pub assignment: Assignment,
    /// The action that puts a person in the experiment (their first one in
    /// the range): `message_sent` for a reminder.
    pub exposure_action: String,
    /// Properties the exposure touchpoint must have, each equal
    /// (`{"template": "payment_reminder"}` for a reminder message).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub exposure_properties: BTreeMap<String, Value>,
    /// The action that counts as converting: `payment_made`.
    pub goal_action: String,
    /// Hours after exposure within which the goal counts (the edge counts).
    pub window_hours: u32,
    /// Only exposures at or after this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub since: Option<DateTime<Utc>>,
    /// Only exposures before this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
}

/// How one variant did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VariantResult {
    /// The variant.
    pub variant: String,
    /// People exposed to it.
    pub people: u64,
    /// Of them, people who reached the goal within the window.
    pub converted: u64,
    /// converted ÷ people (0 when nobody was exposed).
    pub rate: f64,
}

/// One proportion compared with another: a variant with the control, or
/// a funnel step after a change with before it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Comparison {
    /// What is compared (the variant, or the step's action).
    pub name: String,
    /// What it is compared with (the control, or "before").
    pub against: String,
    /// Its rate minus the other's (a proportion: 0.061 is 6.1 points).
    pub difference: f64,
    /// Lower end of the 95 % confidence interval of the difference.
    pub ci_low: f64,
    /// Upper end.
    pub ci_high: f64,
    /// Two-sided p-value of the two-proportion z test.
    pub p_value: f64,
    /// Both groups have at least 10 conversions and 10 non-conversions.
    pub enough_data: bool,
    /// In plain language: "B converts 6.1 points better than A, 95 % CI
    /// 1.2–11.0; enough data" or "not enough data yet …".
    pub verdict: String,
}

/// An experiment measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExperimentReport {
    /// The experiment.
    pub name: String,
    /// Per variant, in the definition's order.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub variants: Vec<VariantResult>,
    /// Each variant after the first against the first.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub comparisons: Vec<Comparison>,
    /// Exposed people whose recorded variant is not one of the definition's.
    pub unassigned: u64,
}

/// A period: `[since, until)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DateRange {
    /// Its start.
    pub since: DateTime<Utc>,
    /// Its end (not included).
    pub until: DateTime<Utc>,
}
