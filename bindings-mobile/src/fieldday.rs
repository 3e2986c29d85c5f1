//! Mirrors of core's field day: the stop card shown at the gate, its bodies
//! of water and last visit, the technician's day route; and the demo
//! company's options, plus the `DemoSummary` binding record (core counts
//! with `usize`, which uniffi does not carry).

use chrono::{NaiveDate, Utc};
use poolbook::DemoOptions;
use poolbook::{
    AccessWindow, Address, BodyOfWater, BodyOfWaterCard, ChemicalDose, Contact, CustomerId,
    EntryId, Issue, LocationId, Pet, Route, Secret, ServicePlan, SkipReason, StopCard, Technician,
    TechnicianId, VisitNotice, VisitOutcome, VisitSummary, WaterAssessment,
};
use rust_decimal::Decimal;

/// What a technician needs at the gate of one location.
#[uniffi::remote(Record)]
pub struct StopCard {
    /// The account.
    pub customer_id: CustomerId,
    /// The customer's display name.
    pub customer_name: String,
    /// The location.
    pub location_id: LocationId,
    /// The location's label, if the account has several.
    #[uniffi(default)]
    pub label: Option<String>,
    /// Street address.
    pub address: Address,
    /// Animals at the property (read these first).
    #[uniffi(default)]
    pub pets: Vec<Pet>,
    /// Dangers at the property (read these first).
    #[uniffi(default)]
    pub hazards: Vec<String>,
    /// When the property may be entered.
    #[uniffi(default)]
    pub access_hours: Vec<AccessWindow>,
    /// Notes on getting in.
    #[uniffi(default)]
    pub access_notes: Option<String>,
    /// Where a key is kept.
    #[uniffi(default)]
    pub key_location: Option<String>,
    /// Gate code: shown only through [`Secret::reveal`].
    #[uniffi(default)]
    pub gate_code: Option<Secret>,
    /// Lock combination: shown only through [`Secret::reveal`].
    #[uniffi(default)]
    pub lock_combination: Option<Secret>,
    /// Alarm code: shown only through [`Secret::reveal`].
    #[uniffi(default)]
    pub alarm_code: Option<Secret>,
    /// The customer's notice-before-visit preference.
    #[uniffi(default)]
    pub notify_before_visit: Option<VisitNotice>,
    /// The contact to notify, with their phones and emails.
    #[uniffi(default)]
    pub notify_contact: Option<Contact>,
    /// Standing instructions for every visit.
    #[uniffi(default)]
    pub special_instructions: Option<String>,
    /// The service plan.
    #[uniffi(default)]
    pub service_plan: Option<ServicePlan>,
    /// Each pool or spa with its last readings and flags.
    #[uniffi(default)]
    pub bodies_of_water: Vec<BodyOfWaterCard>,
    /// Open issues at this location or on the account as a whole.
    #[uniffi(default)]
    pub open_issues: Vec<Issue>,
    /// What the customer owes.
    pub balance: Decimal,
    /// Whether any invoice is past due.
    pub overdue: bool,
    /// The last visit to this location.
    #[uniffi(default)]
    pub last_visit: Option<VisitSummary>,
}

/// A body of water on a stop card.
#[uniffi::remote(Record)]
pub struct BodyOfWaterCard {
    /// The pool or spa.
    pub body: BodyOfWater,
    /// Its last completed visit's readings, judged; `None` before the first.
    #[uniffi(default)]
    pub last_reading: Option<WaterAssessment>,
}

/// The gist of a visit.
#[uniffi::remote(Record)]
pub struct VisitSummary {
    /// The visit.
    pub visit_id: EntryId,
    /// When.
    pub at: chrono::DateTime<Utc>,
    /// Who.
    #[uniffi(default)]
    pub technician_id: Option<TechnicianId>,
    /// Completed or skipped.
    pub outcome: VisitOutcome,
    /// Why it was skipped.
    #[uniffi(default)]
    pub skip_reason: Option<SkipReason>,
    /// What was done.
    #[uniffi(default)]
    pub tasks: Vec<String>,
    /// Chemicals added.
    #[uniffi(default)]
    pub chemicals: Vec<ChemicalDose>,
    /// Notes.
    #[uniffi(default)]
    pub notes: Option<String>,
}

/// A technician's day.
#[uniffi::remote(Record)]
pub struct Route {
    /// The technician.
    pub technician: Technician,
    /// The day.
    pub date: NaiveDate,
    /// The locations due, each with its stop card.
    #[uniffi(default)]
    pub stops: Vec<StopCard>,
}

/// What to generate.
#[uniffi::remote(Record)]
pub struct DemoOptions {
    /// The seed: the same seed gives the same company.
    pub seed: u64,
    /// How many customers.
    pub customers: u32,
    /// How many technicians.
    pub technicians: u32,
    /// The last day of history.
    pub through: NaiveDate,
    /// How many weeks of history before `through`.
    pub weeks: u32,
}

/// What `populateDemo` added to the book.
#[derive(uniffi::Record)]
pub struct DemoSummary {
    /// The technicians added.
    #[uniffi(default)]
    pub technicians: Vec<TechnicianId>,
    /// The customers added.
    #[uniffi(default)]
    pub customers: Vec<CustomerId>,
    /// How many visits were recorded.
    pub visits: u64,
    /// How many invoices were added.
    pub invoices: u64,
    /// How many payments were recorded.
    pub payments: u64,
    /// How many other history entries were added.
    pub other_entries: u64,
    /// How many journey touchpoints were recorded.
    pub touchpoints: u64,
}

impl From<poolbook::DemoSummary> for DemoSummary {
    fn from(summary: poolbook::DemoSummary) -> Self {
        DemoSummary {
            technicians: summary.technicians,
            customers: summary.customers,
            visits: count(summary.visits),
            invoices: count(summary.invoices),
            payments: count(summary.payments),
            other_entries: count(summary.other_entries),
            touchpoints: count(summary.touchpoints),
        }
    }
}

/// A count as uniffi carries it.
pub(crate) fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}
