//! poolbook keeps everything a pool-service company knows about its
//! customers: one organised record per account — contacts, locations, pools,
//! gate codes, preferences, plans — with every change logged, on an embedded
//! SQLite file.
//!
//! Open a [`Book`], then create, read, update, archive, list and search
//! customers. See the README for a quickstart.
//!
//! Every public item is at the crate root (`poolbook::Customer`,
//! `poolbook::FunnelDefinition`, `poolbook::saturation_index`); the only
//! public modules are [`actions`] (the journey's action names) and, behind
//! the `testing` feature, [`testing`] (the store conformance suite). The
//! source folders are the layers (`docs/architecture.md`): `foundation`,
//! `model`, `domain`, `store`, `book`, `analytics`, `demo`, `testing`.
//!
//! Features: `demo` (the demo company), `uniffi` (the Kotlin and Swift
//! bindings' derives), `testing` (the conformance suite for a `Store`).

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

pub use analytics::attribution::{
    AttributionModel, AttributionQuery, AttributionReport, ModelCredits, NO_CAMPAIGN, credit_shares,
};
pub use analytics::funnel::{
    FunnelCounts, FunnelDefinition, FunnelReport, FunnelStep, MAX_FUNNEL_STEPS, StepStats,
};
pub use analytics::response::{
    DEFAULT_LEAD_ACTIONS, ResponseTimeQuery, ResponseTimeReport, UnansweredLead,
};
pub use book::{
    BodyOfWaterCard, Book, EventMapping, EventTarget, ImportReport, LocationTransfer,
    MAX_NOTE_CHARS, MAX_SEARCH_RESULTS, MAX_TIMELINE_PAGE, MAX_TOUCHPOINT_BATCH, MAX_VISIT_MINUTES,
    ReadingPoint, RejectedLine, Route, SEGMENT_SOURCE, StopCard, TimelineItem, TimelinePage,
    TimelineQuery, VisitSummary, WaterAssessment,
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
pub use domain::phone::{Region, normalize_phone};
pub use domain::schedule::plan_due_on;
pub use domain::search::{
    MIN_PHONE_DIGITS, SearchDocument, SearchHit, SearchTerms, expand_address,
};
pub use domain::validate::{MAX_GALLONS, MAX_NOTICE_MINUTES, MAX_RATE};
pub use foundation::error::{EntityKind, Error, FieldProblem, Result};
pub use foundation::ids::{
    BodyOfWaterId, ContactId, CustomerId, EntryId, LocationId, TechnicianId,
};
pub use foundation::secret::{REDACTED, Secret, to_json_revealed};
pub use foundation::words::{count_of, format_minutes, format_money};
pub use model::*;
pub use store::sqlite::{SCHEMA_VERSION, SqliteStore};
pub use store::{Applied, CustomerSummary, JourneyRow, Store, Write, WriteBatch};

/// This library's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
