//! Kotlin and Swift bindings for poolbook (uniffi 0.32, proc-macros,
//! library mode): Kotlin package `poolbook`, Swift module `Poolbook`.
//!
//! The crate holds only conversions over the `poolbook` core, never domain
//! logic (ADR 0003): core's records and enums are restated as
//! `#[uniffi::remote]` mirrors, which the compiler checks against core;
//! where a core type cannot cross as it is (tuples, `usize` counts,
//! `&'static` data, private fields) a small binding record and a
//! conversion stand in. [`Book`](book::Book) wraps core's book.
//!
//! - `types`: custom types (instants, money, days, ids, secrets, JSON, maps)
//! - `customer`, `history`, `ledger`, `fieldday`, `journey`, `changelog`:
//!   the mirrors, by domain
//! - `error`: `PoolbookError`
//! - `book`, `functions`: the operations

// uniffi's scaffolding exports `extern "C"` functions with `#[no_mangle]`,
// which the workspace's `unsafe_code = "forbid"` refuses; this crate is the
// FFI boundary, so its Cargo.toml lowers the lint to "deny" and this allows
// it here (the crate's own code has no `unsafe`).
#![allow(unsafe_code)]

uniffi::setup_scaffolding!("poolbook");

pub mod book;
pub mod changelog;
pub mod customer;
pub mod error;
pub mod fieldday;
pub mod functions;
pub mod history;
pub mod journey;
pub mod ledger;
pub mod types;

/// The version of the core library these bindings wrap.
pub const CORE_VERSION: &str = poolbook::VERSION;
