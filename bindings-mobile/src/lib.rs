//! The shared library behind poolbook's Kotlin (package `poolbook`) and
//! Swift (module `Poolbook`) bindings: `libpoolbook_mobile`.
//!
//! It holds no code of its own. Core is the one definition of every type and
//! operation the bindings expose: with its `uniffi` feature it derives the
//! uniffi traits on its records, enums and errors, exports `Book` and its
//! operations, and carries the few adapters and custom types
//! (`core/src/ffi/`); uniffi's Kotlin generator emits one copy of its runtime
//! per crate, so keeping everything in core's one namespace keeps one Kotlin
//! package (ADR 0004). This crate links core into a `cdylib` that
//! uniffi-bindgen reads in library mode, and hosts the bindings' handwritten
//! companions (`kotlin/`, `swift/`) and tests (`tests/`).

pub use poolbook;
