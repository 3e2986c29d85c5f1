//! poolbook keeps everything a pool-service company knows about its
//! customers: one organised record per account — contacts, locations, pools,
//! gate codes, preferences, plans — with every visit, reading, invoice,
//! payment, message and touchpoint in its history, every change logged, on an
//! embedded SQLite file.
//!
//! ```
//! use poolbook::{Address, Author, Book, CustomerKind, NewCustomer, ServiceLocation};
//!
//! # fn main() -> poolbook::Result<()> {
//! let book = Book::open_in_memory()?; // Book::open("company.sqlite") for a file
//! let office = Author::office("dana");
//! let home = ServiceLocation::new(Address::new("12 Palm Way", "Tampa", "FL", "33602", "US"));
//! let customer = book.create_customer(
//!     NewCustomer::new(CustomerKind::Residential, "Rivera Family").with_location(home),
//!     &office,
//! )?;
//! let card = book.stop_card(customer.locations[0].id)?;
//! assert_eq!(card.customer_name, "Rivera Family");
//! println!("{card}"); // what a technician reads at the gate
//! # Ok(())
//! # }
//! ```
//!
//! Everything starts from a [`Book`]; its page lists the operations by
//! purpose. The types, by purpose:
//!
//! - **The customer record**: [`Customer`], [`NewCustomer`],
//!   [`CustomerPatch`], [`Contact`], [`Phone`], [`Consent`], [`Billing`],
//!   [`Preferences`], [`VisitNotice`], [`ServiceLocation`], [`BodyOfWater`],
//!   [`Equipment`], [`AccessDetails`], [`Pet`], [`ServicePlan`], [`Secret`],
//!   [`Technician`], [`CustomerQuery`], [`SearchHit`].
//! - **History**: [`Entry`] and its kinds [`Visit`] (with [`Readings`] and
//!   [`ChemicalDose`]), [`Invoice`], [`Payment`], [`Credit`], [`Message`],
//!   [`Issue`], [`Note`], [`Feedback`]; [`TimelineItem`] and
//!   [`TimelineQuery`].
//! - **The ledger**: [`Ledger`], [`InvoiceBalance`], [`Statement`], [`Aging`].
//! - **Billing**: [`BillingSettings`], [`ChemicalPrice`], [`BillingPeriod`],
//!   [`DraftOptions`], [`OneOffCharge`], [`InvoiceDraft`].
//! - **Water chemistry**: [`saturation_index`], [`TargetProfile`],
//!   [`TargetRange`], [`flag_readings`], [`best_profile`], [`WaterAssessment`].
//! - **The field day**: [`StopCard`], [`Route`], [`plan_due_on`],
//!   [`DrivingRoute`], [`RouteStop`], [`RouteOptions`], [`RoutePin`], [`ReadingTrend`].
//! - **The journey**: [`Touchpoint`], [`JourneyChannel`], [`Stage`],
//!   [`actions`], [`EventMapping`].
//! - **Analytics**: [`FunnelDefinition`] / [`FunnelReport`],
//!   [`AttributionQuery`] / [`AttributionReport`], [`ResponseTimeQuery`] /
//!   [`ResponseTimeReport`], [`Segment`] / [`SegmentMember`].
//! - **The change log**: [`ChangeRecord`], [`ChangeLogQuery`], [`Author`].
//! - **Storage**: the [`Store`] trait, [`SqliteStore`], and (feature
//!   `testing`) the conformance suite any store can run.
//! - **Errors and text**: [`Error`] (with [`FieldProblem`]s), [`format_money`],
//!   [`format_minutes`].
//!
//! Every public item is at the crate root; the only public modules are
//! [`actions`] (the journey's action names) and, behind the `testing`
//! feature, `testing`. The source folders are the layers
//! (`docs/architecture.md`): `foundation`, `model`, `domain`, `store`,
//! `book`, `analytics`, `demo`, `ffi`, `testing`.
//!
//! # Features
//!
//! None is on by default. The default build is the whole library above on
//! SQLite: it pulls in `rusqlite` with SQLite bundled (compiled from C, so a
//! C compiler is needed once), `chrono`, `jiff` (with its time zone
//! database compiled in), `rust_decimal`, `serde` and `serde_json`, `uuid`,
//! `thiserror`, and for sealed secrets `chacha20poly1305`, `argon2` and
//! `zeroize`.
//!
//! - **`demo`**: the deterministic demo company (`populate_demo`,
//!   `DemoOptions`, `DemoSummary`), for examples, tests, benchmarks and
//!   trying the bindings. Pulls in nothing more.
//! - **`testing`**: the store conformance suite (`poolbook::testing`) that
//!   any [`Store`] implementation can run against itself. Pulls in nothing
//!   more.
//! - **`uniffi`**: derives uniffi's traits on core's records, enums, errors
//!   and [`Book`], and exports the few adapters the Kotlin and Swift
//!   bindings need (ADR 0004); `bindings-mobile` turns it on. Pulls in
//!   `uniffi` (0.32: its proc macros and FFI runtime) and adds no public
//!   Rust items.
//! - **`postgres`**: the PostgreSQL [`Store`] (`PgStore`) beside
//!   [`SqliteStore`], for an office that outgrows one file; `Book::open`
//!   takes a `postgres://` URL (ADR 0007). Phones never carry it. It pulls
//!   in the `postgres` client, `r2d2` (its connection pool), `tokio` (the
//!   client's runtime), and `rustls` with `ring`, `rustls-native-certs` and
//!   `tokio-postgres-rustls` for TLS to the server (ADR 0016).
//! - **`spreadsheet`**: spreadsheet import of customers from CSV
//!   (`Book::plan_import`, `commit_import`, `undo_import`, saved mappings and
//!   presets). Off for the mobile library (an office does imports). Pulls in
//!   `csv`.
//! - **`xlsx`**: the same from XLSX and ODS workbooks; turns on
//!   `spreadsheet`. Pulls in `calamine` and `zip`.
//! - **`arrow`**: the book's tables as Arrow record batches and Parquet
//!   files for analysts (`Book::to_arrow`, `Book::write_parquet`), read
//!   through the [`Store`] so either store serves them. Phones never carry
//!   it. Pulls in `arrow-array`, `arrow-schema` and `parquet` (ZSTD).

#![doc(html_root_url = "https://docs.rs/poolbook")]
// uniffi's scaffolding is `extern "C"` FFI code; core's own code has none
// (the workspace denies `unsafe_code`, and clippy runs without this feature).
#![cfg_attr(feature = "uniffi", allow(unsafe_code))]

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("poolbook");

#[macro_use]
mod foundation;
mod analytics;
mod book;
#[cfg(feature = "demo")]
mod demo;
mod domain;
#[cfg(feature = "uniffi")]
mod ffi;
mod model;
mod store;
#[cfg(feature = "testing")]
pub mod testing;

#[cfg(feature = "arrow")]
pub use analytics::arrow::{ARROW_BATCH_ROWS, ArrowBatches, arrow_batches, arrow_schema};
pub use analytics::attribution::{
    AttributionModel, AttributionQuery, AttributionReport, ModelCredits, NO_CAMPAIGN, credit_shares,
};
pub use analytics::book_questions::{MAX_BOOK_PAGE, MAX_COUNT_DIMENSIONS, MAX_TOP_DEBTORS};
pub use analytics::dropoff::{
    ActionShare, NextActionsQuery, NextActionsReport, StoppedQuery, StoppedReport,
};
pub use analytics::experiments::{FunnelComparison, MAX_VARIANTS, assign_variant};
pub use analytics::funnel::{
    FunnelCounts, FunnelDefinition, FunnelReport, FunnelStep, MAX_FUNNEL_STEPS, StepStats,
};
pub use analytics::quality::{
    EMAIL_BOUNCED, NO_READINGS_WEEKS, NO_VISIT_DAYS, QUALITY_RULES, QualityRule,
    STALE_CONTACT_YEARS,
};
pub use analytics::response::{
    DEFAULT_LEAD_ACTIONS, ResponseTimeQuery, ResponseTimeReport, UnansweredLead,
};
pub use analytics::retention::{DEFAULT_RETENTION_MONTHS, MAX_RETENTION_MONTHS};
pub use analytics::stages::{
    JourneyMap, JourneyMapQuery, MAX_MAP_ACTIONS, MapAction, MapStage, PeriodCount, STAGE_ORDER,
    StageExit, StageFlow, StageReport,
};
pub use book::{
    BodyOfWaterCard, Book, CopySummary, DEFAULT_FEEDBACK_TOPICS, DrivingRoute, EventMapping,
    EventTarget, FeedbackFollowUp, ImportReport, LocationTransfer, MAX_BILLING_DAYS,
    MAX_BOOK_FILE_LINE_BYTES, MAX_CHANGE_LOG_PAGE, MAX_CHEMICAL_PRICES, MAX_CUSTOMER_BATCH,
    MAX_ENTRY_BATCH, MAX_EVENT_LINE_BYTES, MAX_FEEDBACK_TOPICS, MAX_IMPORT_EVENTS,
    MAX_INVOICE_BATCH, MAX_NOTE_CHARS, MAX_OUTBOX_HORIZON_MINUTES, MAX_PHOTO_URI_CHARS,
    MAX_REVEAL_PAGE, MAX_REVEAL_REASON_CHARS, MAX_ROUTE_STOPS, MAX_SEARCH_QUERY_CHARS,
    MAX_SEARCH_RESULTS, MAX_SEARCH_WORDS, MAX_TIMELINE_PAGE, MAX_TOUCHPOINT_BATCH,
    MAX_TOUCHPOINT_PAGE, MAX_VISIT_MINUTES, NO_TOPIC, ReadingPoint, ReadingTrend, RejectedLine,
    Route, RouteStop, SEGMENT_SOURCE, StopCard, TimelineItem, TimelinePage, TimelineQuery,
    TopicReport, VisitSummary, WaterAssessment, copy_book,
};
#[cfg(feature = "demo")]
pub use demo::{DemoOptions, DemoSummary, populate_demo};
pub use domain::chemistry::{
    CannotCompute, CsiMethod, FC_MIN_PER_CYA, FC_SHOCK_PER_CYA, FC_TARGET_PER_CYA, Level,
    ReadingFlag, SWG_FC_MIN_PER_CYA, SWG_FC_TARGET_PER_CYA, SaturationIndex, TargetProfile,
    TargetRange, best_profile, flag_readings, saturation_index,
};
pub use domain::journey::{JUNK_VISITOR_IDS, default_stage_map};
pub use domain::ledger::{Aging, InvoiceBalance, Ledger, Statement, StatementLine};
pub use domain::limits::{
    EARLIEST_DAY, LATEST_DAY, MAX_DAYS, MAX_DECIMAL_PLACES, MAX_LABEL_CHARS, MAX_LIST_ITEMS,
    MAX_MONEY, MAX_PROPERTIES_BYTES, MAX_QUANTITY, MAX_STAGE_MAP_ENTRIES,
};
pub use domain::operations::{MATCH_WINDOW_HOURS, MATCHED_ACTIONS, OPERATIONS_SOURCE};
pub use domain::outbox::{MAX_TEMPLATE_CHARS, MAX_TEMPLATE_VARIANTS, template_fields};
pub use domain::phone::{Region, normalize_phone};
pub use domain::schedule::plan_due_on;
pub use domain::sealing::{
    KeyProvider, PASSPHRASE_ITERATIONS, PASSPHRASE_MEMORY_KIB, passphrase_key_provider,
    passphrase_key_provider_with_cost, static_key_provider,
};
pub use domain::search::{
    MAX_CORRECTIONS_PER_WORD, MIN_CHARS_FOR_ONE_TYPO, MIN_CHARS_FOR_TWO_TYPOS, MIN_PHONE_DIGITS,
    SearchDocument, SearchHit, SearchTerms, SearchWord, expand_address,
};
#[cfg(feature = "spreadsheet")]
pub use domain::sheet::{
    MAX_CELL_CHARS, MAX_SPREADSHEET_BYTES, MAX_SPREADSHEET_COLUMNS, MAX_SPREADSHEET_ROWS,
};
pub use domain::validate::{MAX_GALLONS, MAX_NOTICE_MINUTES, MAX_RATE, MAX_RECORD_ITEMS};
#[cfg(feature = "xlsx")]
pub use domain::workbook::MAX_WORKBOOK_UNPACKED_BYTES;
pub use foundation::error::{EntityKind, Error, FieldProblem, Result};
pub use foundation::ids::{
    BodyOfWaterId, ContactId, CustomerId, EntryId, LocationId, TechnicianId,
};
pub use foundation::secret::{REDACTED, SEALED_PREFIX, Secret, to_json_revealed};
pub use foundation::words::{count_of, format_minutes, format_money};
pub use model::*;
#[cfg(feature = "postgres")]
pub use store::postgres::{PG_SCHEMA_VERSION, PgStore};
pub use store::sqlite::{SCHEMA_VERSION, SqliteStore};
pub use store::{
    Applied, ArchivedPart, BookRecord, CustomerSummary, JourneyRow, NoticePlan, RecordFeed,
    STATUS_ACTIONS, StatusChange, Store, StoredChange, StoredKey, StoredSecret,
    TouchpointSelection, Write, WriteBatch,
};

/// This library's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
