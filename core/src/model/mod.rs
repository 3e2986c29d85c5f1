//! Records and query types: the customer record (account, contacts,
//! locations, bodies of water, access details, preferences, plans), the
//! technicians, the history entries and water readings, the journey's
//! touchpoints, saved segments, the change log's rows, and what to read.
//!
//! Plain data, the lowest layer above `foundation`: nothing here does I/O or
//! knows the `Book`; validation is in `domain/validate.rs`.

mod backup;
mod billing;
mod book_questions;
mod changelog;
mod channel;
mod customer;
mod experiments;
mod export;
mod history;
mod integrity;
mod journey;
mod location;
mod open;
mod outbox;
mod quality;
mod queries;
mod readings;
mod retention;
mod route;
mod secrets;
mod segment;
mod spreadsheet;
mod sql;
mod technician;

pub use backup::BackupReport;
pub use billing::{
    BillingPeriod, BillingSettings, ChemicalPrice, DraftOptions, InvoiceDraft, OneOffCharge,
};
pub use book_questions::{
    BookEntryPage, BookFilter, BookTouchpointPage, CountDimension, Debtor, Period, Receivables,
    TouchpointCount, TouchpointCountQuery,
};
pub use changelog::{
    Author, AuthorKind, ChangeAction, ChangeLogQuery, ChangeRecord, FieldChange, NOTABLE_FIELDS,
    NewChange,
};
pub use channel::JourneyChannel;
pub use customer::{
    Billing, Consent, ConsentStatus, Contact, ContactChannel, ContactRole, Customer, CustomerKind,
    CustomerPatch, LifecycleStatus, NewCustomer, Phone, Preferences, RateBasis, VisitNotice,
};
pub use experiments::{
    Assignment, Comparison, DateRange, ExperimentDefinition, ExperimentReport, VariantResult,
};
pub use export::{ArrowTable, BOOK_FILE_FORMAT, BOOK_FILE_VERSION, BookFile, TableCount};
pub use history::{
    Application, ChemicalDose, Credit, CreditKind, Direction, DoseUnit, Entry, EntryKind, Feedback,
    FeedbackSource, Invoice, InvoiceLine, Issue, IssueCategory, IssueStatus, Message, Note,
    Payment, PaymentMethod, SkipReason, Visit, VisitOutcome, accounting_time, round_cents,
};
pub use integrity::{IntegrityProblem, IntegrityReport, MAX_INTEGRITY_PROBLEMS};
pub use journey::{Actor, Stage, Touchpoint, TouchpointReport, UnmappedAction, actions};
pub use location::{
    AccessDetails, AccessWindow, BodyOfWater, Equipment, EquipmentKind, Frequency, GeoPoint, Pet,
    PetTemperament, Sanitizer, ServiceLocation, ServicePlan, Setting, Surface, WaterKind,
};
pub use open::{
    DEFAULT_BUSY_TIMEOUT_MS, MAX_BUSY_TIMEOUT_MS, OpenCheck, OpenOptions, QUICK_CHECK_MAX_BYTES,
};
pub use outbox::{
    DueMessage, InboundReply, MessageTemplate, Outbox, OutboxQuery, OutboxRecord, OutboxRule,
    OutboxSettings, OutboxStatus, ReplyKind, ReplyOutcome, ReplyRate, RuleSettings,
    SuppressedMessage, TemplateText,
};
pub use quality::{
    DEFAULT_MATCH_PROBABILITY, DEFAULT_REVIEW_PROBABILITY, DuplicateCandidate, DuplicateDecision,
    DuplicateQuery, DuplicateVerdict, FieldComparison, FillRate, LinkageRecord,
    MAX_DUPLICATE_CANDIDATES, MatchBand, MergeOutcome, MergePicks, MergeRecord, MergeSide,
    MergeUndo, QualityFinding, QualityReport, RecordMove, RuleCount, Severity, UnmergeOutcome,
};
pub use queries::{
    ArchivedFilter, CustomerPage, CustomerQuery, DEFAULT_PAGE_SIZE, EntryQuery, MAX_PAGE_SIZE,
    NotableChangeQuery, ScanPosition, StoredEntry, TouchpointQuery,
};
pub use readings::{MeasurementMethod, Parameter, Readings};
pub use retention::{
    ChurnReason, Cohort, CustomerEngagement, Detractor, EngagementQuery, PeriodRatings,
    RatingSummary, RetentionCell, RetentionQuery, RetentionReport, SatisfactionQuery,
    SatisfactionReport, StageRatings, TechnicianRatings, Trend,
};
pub use route::{RouteOptions, RoutePin};
pub use secrets::{SecretField, SecretReveal, SecretRevealQuery};
pub use segment::{Segment, SegmentMember, SegmentRule};
pub use spreadsheet::{
    ColumnMapping, ImportBatch, ImportField, ImportKey, ImportMapping, ImportPlan, ImportResult,
    ImportSource, ImportedUpdate, PlannedRow, PossibleDuplicate, RowAction, RowProblem, UndoReport,
};
pub use sql::{MAX_SQL_CHARS, MAX_SQL_PARAMS, MAX_SQL_ROWS, SqlRows, SqlValue};
pub use technician::{NewTechnician, Technician, TechnicianPatch, TextUpdate};

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// A day of the week.
    pub enum Weekday {
        /// Monday.
        Monday = "monday",
        /// Tuesday.
        Tuesday = "tuesday",
        /// Wednesday.
        Wednesday = "wednesday",
        /// Thursday.
        Thursday = "thursday",
        /// Friday.
        Friday = "friday",
        /// Saturday.
        Saturday = "saturday",
        /// Sunday.
        Sunday = "sunday",
    }
}

impl From<chrono::Weekday> for Weekday {
    fn from(day: chrono::Weekday) -> Self {
        Weekday::ALL[day.num_days_from_monday() as usize]
    }
}

impl From<Weekday> for chrono::Weekday {
    fn from(day: Weekday) -> Self {
        match day {
            Weekday::Monday => chrono::Weekday::Mon,
            Weekday::Tuesday => chrono::Weekday::Tue,
            Weekday::Wednesday => chrono::Weekday::Wed,
            Weekday::Thursday => chrono::Weekday::Thu,
            Weekday::Friday => chrono::Weekday::Fri,
            Weekday::Saturday => chrono::Weekday::Sat,
            Weekday::Sunday => chrono::Weekday::Sun,
        }
    }
}

/// A span of the day in the property's local time. `end` before `start`
/// wraps past midnight (quiet hours 21:00–08:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TimeWindow {
    /// When the window opens.
    pub start: NaiveTime,
    /// When the window closes.
    pub end: NaiveTime,
}

impl TimeWindow {
    /// Whether `time` falls inside the window (start inclusive, end exclusive).
    pub fn contains(&self, time: NaiveTime) -> bool {
        if self.start <= self.end {
            self.start <= time && time < self.end
        } else {
            time >= self.start || time < self.end
        }
    }
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Address {
    /// Street number and name, e.g. `1420 Oak Street`.
    pub line1: String,
    /// Unit, suite or building, if any.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub line2: Option<String>,
    /// City or town.
    pub city: String,
    /// State, province or region.
    pub region: String,
    /// Postal or ZIP code.
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 country code, e.g. `US`.
    pub country: String,
}

impl Address {
    /// An address in `country` with the given street line, city, region and postal code.
    pub fn new(
        line1: impl Into<String>,
        city: impl Into<String>,
        region: impl Into<String>,
        postal_code: impl Into<String>,
        country: impl Into<String>,
    ) -> Self {
        Address {
            line1: line1.into(),
            line2: None,
            city: city.into(),
            region: region.into(),
            postal_code: postal_code.into(),
            country: country.into(),
        }
    }

    /// The address on one line, as shown to a person.
    pub fn one_line(&self) -> String {
        let mut parts = vec![self.line1.as_str()];
        parts.extend(self.line2.as_deref());
        parts.extend([
            self.city.as_str(),
            self.region.as_str(),
            self.postal_code.as_str(),
        ]);
        parts.retain(|part| !part.is_empty());
        parts.join(", ")
    }
}
