//! What Kotlin and Swift need beyond the derives (feature `uniffi`): how
//! core's scalar and map types cross the FFI, and the few operations whose
//! Rust signature cannot cross as it is (a generic path, a reader, a
//! `Result` that is an outcome rather than an error).
//!
//! The derives themselves sit on the records, enums and `Book` in their own
//! layers (`#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]`); ids
//! and text enums get theirs from `id_type!` and `text_enum!`. Nothing here
//! holds domain logic: each adapter calls the core operation of the same
//! name. `core/uniffi.toml` maps the custom types to each language's types.

mod adapters;
mod types;
