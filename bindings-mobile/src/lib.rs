//! Kotlin and Swift bindings for poolbook (uniffi, library mode): Kotlin
//! package `poolbook`, Swift module `Poolbook`.
//!
//! A skeleton for now: the bindings arrive with their own issue. Like every
//! binding crate, it will hold only type and error conversions over the
//! `poolbook` core, never domain logic.

/// The version of the core library these bindings wrap.
pub const CORE_VERSION: &str = poolbook::VERSION;
