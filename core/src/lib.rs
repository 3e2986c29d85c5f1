//! poolbook keeps everything a pool-service company knows about its
//! customers: one organised record per account — contacts, locations, pools,
//! gate codes, preferences, plans — with every change logged, on an embedded
//! SQLite file.
//!
//! Open a [`Book`], then create, read, update, archive, list and search
//! customers. See the README for a quickstart.

#![doc(html_root_url = "https://docs.rs/poolbook")]

mod book;
pub mod changelog;
mod error;
mod ids;
pub mod model;
pub mod phone;
pub mod search;
pub mod secret;
mod sqlite;
pub mod store;
#[doc(hidden)]
pub mod text_enum;
pub mod validate;

pub use book::{Book, LocationTransfer, MAX_SEARCH_RESULTS};
pub use changelog::{Author, AuthorKind, ChangeAction, ChangeLogQuery, ChangeRecord, FieldChange};
pub use error::{EntityKind, Error, Result};
pub use ids::{BodyOfWaterId, ContactId, CustomerId, LocationId, TechnicianId};
pub use model::*;
pub use search::SearchHit;
pub use secret::Secret;
pub use sqlite::{SCHEMA_VERSION, SqliteStore};
pub use store::{ArchivedFilter, CustomerPage, CustomerQuery, Store, Write, WriteBatch};

/// This library's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
