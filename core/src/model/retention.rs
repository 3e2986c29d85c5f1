//! Retention, satisfaction and engagement: cohort retention by activation
//! month with churn reasons, ratings from feedback by period, technician and
//! journey stage with detractors, and each customer's portal and email
//! activity with its trend and how long they have been quiet.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{Period, Stage};
use crate::{CustomerId, EntryId, TechnicianId};

/// Which cohorts to measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RetentionQuery {
    /// Only customers who became active at or after this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub since: Option<DateTime<Utc>>,
    /// Only customers who became active before this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
    /// The moment retention is measured to: a mark after it is not measured yet.
    pub as_of: DateTime<Utc>,
    /// Months after activation to measure (default 1, 3, 6 and 12).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub months: Vec<u32>,
}

/// One cohort's retention at one mark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RetentionCell {
    /// Months after activation.
    pub months: u32,
    /// Customers of the cohort whose mark has come (by `as_of`).
    pub measured: u64,
    /// Of those, customers still a customer at their mark (active or paused).
    pub retained: u64,
    /// retained ÷ measured; `None` while nobody's mark has come.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub share: Option<f64>,
}

/// Customers who became active in one month, and how many stayed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Cohort {
    /// The first day of the activation month (UTC).
    pub month: NaiveDate,
    /// Customers who became active that month.
    pub customers: u64,
    /// Retention at each mark, in the query's order.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub cells: Vec<RetentionCell>,
}

/// How many customers of the cohorts cancelled for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChurnReason {
    /// The reason recorded on cancellation ("no reason recorded" when none was).
    pub reason: String,
    /// Customers whose latest cancellation (by `as_of`) gave it.
    pub customers: u64,
}

/// Cohort retention and churn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RetentionReport {
    /// One per activation month, oldest first.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub cohorts: Vec<Cohort>,
    /// Customers of the cohorts cancelled as of `as_of`.
    pub churned: u64,
    /// Their reasons, commonest first.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub churn_reasons: Vec<ChurnReason>,
    /// Why the report is empty, when it is.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub note: Option<String>,
}

/// Which feedback to summarise.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SatisfactionQuery {
    /// Only feedback at or after this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub since: Option<DateTime<Utc>>,
    /// Only feedback before this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
    /// The period `by_period` groups by (default month).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub period: Option<Period>,
}

/// Ratings of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RatingSummary {
    /// Feedback counted.
    pub responses: u64,
    /// The mean rating (1–5).
    pub average: f64,
    /// Share of ratings of 4 or 5.
    pub share_4_5: f64,
}

/// Ratings in one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PeriodRatings {
    /// The first day of the period.
    pub period_start: NaiveDate,
    /// Its ratings.
    pub ratings: RatingSummary,
}

/// Ratings of one technician's visits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TechnicianRatings {
    /// The technician who made the rated visits.
    pub technician_id: TechnicianId,
    /// Their ratings.
    pub ratings: RatingSummary,
}

/// Ratings given at one journey stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StageRatings {
    /// The stage the customer had reached (their latest staged touchpoint
    /// before the feedback); `None` when they had none.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub stage: Option<Stage>,
    /// The ratings.
    pub ratings: RatingSummary,
}

/// A rating of 1 or 2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Detractor {
    /// The customer.
    pub customer_id: CustomerId,
    /// Their display name.
    pub display_name: String,
    /// The feedback.
    pub feedback_id: EntryId,
    /// When it was given.
    pub at: DateTime<Utc>,
    /// The rating.
    pub rating: u8,
    /// What they said.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub comment: Option<String>,
    /// The issue it led to, if linked.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub issue_id: Option<EntryId>,
}

/// Satisfaction from feedback.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SatisfactionReport {
    /// Every rating counted.
    pub overall: RatingSummary,
    /// By period, oldest first.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub by_period: Vec<PeriodRatings>,
    /// By the technician of the rated visit (feedback on a visit only).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub by_technician: Vec<TechnicianRatings>,
    /// By journey stage.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub by_stage: Vec<StageRatings>,
    /// Ratings of 1 or 2, newest first.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub detractors: Vec<Detractor>,
}

/// Whose engagement to measure, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EngagementQuery {
    /// The moment to measure to.
    pub as_of: DateTime<Utc>,
    /// Days in each of the two windows compared for the trend (default 30).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub window_days: Option<u32>,
    /// Days without any activity that make a customer quiet (default 60).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub quiet_days: Option<u32>,
    /// Only quiet customers.
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    #[serde(default)]
    pub only_quiet: bool,
}

crate::text_enum! {
    /// Which way a customer's activity is going.
    pub enum Trend {
        /// More in the last window than the one before.
        Up = "up",
        /// Less.
        Down = "down",
        /// The same, and some.
        Flat = "flat",
        /// None in either window.
        Inactive = "inactive",
    }
}

/// One customer's portal and email activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CustomerEngagement {
    /// The customer.
    pub customer_id: CustomerId,
    /// Their display name.
    pub display_name: String,
    /// Their portal touchpoints in the last window.
    pub portal_recent: u64,
    /// In the window before.
    pub portal_before: u64,
    /// Their email touchpoints (opens, clicks, replies) in the last window.
    pub email_recent: u64,
    /// In the window before.
    pub email_before: u64,
    /// Portal and email together, last window against the one before.
    pub trend: Trend,
    /// Their latest touchpoint as the actor (any channel), by `as_of`.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub last_active_at: Option<DateTime<Utc>>,
    /// No activity for at least `quiet_days` (or never any).
    pub quiet: bool,
}
