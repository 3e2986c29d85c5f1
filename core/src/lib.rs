//! poolbook keeps everything a pool-service company knows about its
//! customers: one organised record per account — contacts, locations, pools,
//! gate codes, preferences, plans — with every change logged, on an embedded
//! SQLite file.
//!
//! Open a [`Book`], then create, read, update, archive, list and search
//! customers. See the README for a quickstart.

#![doc(html_root_url = "https://docs.rs/poolbook")]

pub mod attribution;
mod book;
pub mod changelog;
pub mod chemistry;
pub mod demo;
mod error;
mod fieldday;
pub mod funnel;
mod history;
mod ids;
pub mod import;
pub mod journey;
pub mod ledger;
pub mod model;
pub mod phone;
pub mod response;
pub mod search;
pub mod secret;
pub mod segment;
mod sqlite;
pub mod store;
#[doc(hidden)]
pub mod text_enum;
pub mod timeline;
pub mod validate;

pub use book::{Book, LocationTransfer, MAX_SEARCH_RESULTS};
pub use changelog::{Author, AuthorKind, ChangeAction, ChangeLogQuery, ChangeRecord, FieldChange};
pub use error::{EntityKind, Error, Result};
pub use fieldday::{BodyOfWaterCard, Route, StopCard, VisitSummary, plan_due_on};
pub use history::{MAX_NOTE_CHARS, MAX_VISIT_MINUTES, ReadingPoint, WaterAssessment};
pub use ids::{BodyOfWaterId, ContactId, CustomerId, EntryId, LocationId, TechnicianId};
pub use model::*;
pub use search::SearchHit;
pub use secret::Secret;
pub use sqlite::{SCHEMA_VERSION, SqliteStore};
pub use store::{
    Applied, ArchivedFilter, CustomerPage, CustomerQuery, EntryQuery, Store, StoredEntry,
    TouchpointQuery, Write, WriteBatch,
};
pub use timeline::{TimelineItem, TimelinePage, TimelineQuery};

/// This library's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
