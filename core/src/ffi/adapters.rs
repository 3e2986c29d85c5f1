//! The operations whose Rust signature cannot cross the FFI as it is, each
//! under its core name and calling the core operation: opening a book and backing it up by a
//! path string, importing events from text rather than a reader, the
//! saturation index as an outcome rather than a `Result`, the defaults of
//! the option records whose defaults are computed, and fresh ids.

use crate::{
    Author, BackupReport, Book, CsiMethod, EventMapping, ImportReport, OpenOptions, Readings,
    Result, SaturationIndex,
};

#[uniffi::export]
impl Book {
    /// Opens (or creates) the book file at `path`.
    #[uniffi::constructor(name = "open")]
    fn open_path(path: String) -> Result<Self> {
        Book::open(path)
    }

    /// Opens the book file at `path` for reading only; see the Rust
    /// `Book::open_read_only`.
    #[uniffi::constructor(name = "open_read_only")]
    fn open_read_only_path(path: String) -> Result<Self> {
        Book::open_read_only(path)
    }

    /// Opens the book file at `path` as `options` say; see the Rust
    /// `Book::open_with`.
    #[uniffi::constructor(name = "open_with")]
    fn open_with_path(path: String, options: OpenOptions) -> Result<Self> {
        Book::open_with(path, &options)
    }

    /// Writes a backup of the book to the new file `path`; see the Rust
    /// `Book::backup_to`.
    #[uniffi::method(name = "backup_to")]
    fn backup_to_path(&self, path: String) -> Result<BackupReport> {
        self.backup_to(path)
    }

    /// Imports Segment-format events (newline-delimited JSON) from `input`;
    /// see the Rust `Book::import_segment_events`.
    #[uniffi::method(name = "import_segment_events")]
    fn import_segment_events_text(
        &self,
        input: String,
        mapping: EventMapping,
        author: Author,
    ) -> Result<ImportReport> {
        self.import_segment_events(input.as_bytes(), &mapping, &author)
    }
}

/// The saturation index of some readings, or why it cannot be computed.
#[derive(uniffi::Enum)]
enum SaturationOutcome {
    /// The index was computed.
    Computed {
        /// The computed index.
        index: SaturationIndex,
    },
    /// The index cannot be computed from these readings.
    CannotCompute {
        /// The readings that are missing.
        needs: Vec<String>,
        /// Why the present readings cannot be used.
        reasons: Vec<String>,
    },
}

/// The calcium saturation index of the readings, or what is missing to
/// compute it.
#[uniffi::export(name = "saturation_index")]
fn saturation_outcome(readings: Readings, method: CsiMethod) -> SaturationOutcome {
    match crate::saturation_index(&readings, method) {
        Ok(index) => SaturationOutcome::Computed { index },
        Err(cannot) => SaturationOutcome::CannotCompute {
            needs: cannot.needs.iter().map(|need| (*need).to_owned()).collect(),
            reasons: cannot.reasons,
        },
    }
}

/// The demo company's default options.
#[cfg(feature = "demo")]
#[uniffi::export]
fn default_demo_options() -> crate::DemoOptions {
    crate::DemoOptions::default()
}

/// The common Segment event names mapped to journey channels and actions.
#[uniffi::export]
fn default_event_mapping() -> EventMapping {
    EventMapping::default()
}

// Fresh ids for records a Kotlin or Swift app builds itself (a visit
// recorded offline, say): UUIDv7, time-ordered like every id core makes
// (ADR 0001), which `java.util.UUID.randomUUID()` and Swift's `UUID()` (v4)
// are not.

/// A fresh customer id (UUIDv7).
#[uniffi::export]
fn new_customer_id() -> crate::CustomerId {
    crate::CustomerId::new()
}

/// A fresh contact id (UUIDv7).
#[uniffi::export]
fn new_contact_id() -> crate::ContactId {
    crate::ContactId::new()
}

/// A fresh location id (UUIDv7).
#[uniffi::export]
fn new_location_id() -> crate::LocationId {
    crate::LocationId::new()
}

/// A fresh body-of-water id (UUIDv7).
#[uniffi::export]
fn new_body_of_water_id() -> crate::BodyOfWaterId {
    crate::BodyOfWaterId::new()
}

/// A fresh technician id (UUIDv7).
#[uniffi::export]
fn new_technician_id() -> crate::TechnicianId {
    crate::TechnicianId::new()
}

/// A fresh id for a history entry or a touchpoint (UUIDv7).
#[uniffi::export]
fn new_entry_id() -> crate::EntryId {
    crate::EntryId::new()
}
