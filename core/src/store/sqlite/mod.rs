//! `SqliteStore`: the embedded default store, one SQLite file per book.
//!
//! One writer connection behind a lock, short IMMEDIATE transactions; in a
//! file book, readers use their own read-only connections and, in WAL mode,
//! never wait for the writer. An in-memory book has one connection for both.

mod backup;
mod billing;
mod changelog;
mod codec;
mod copy;
mod customers;
mod history;
mod imports;
mod integrity;
mod journey;
mod outbox;
mod parallel_scan;
mod quality;
mod schema;
mod search;
mod secrets;
mod selection;
mod settings;
mod sql;
mod technicians;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use std::sync::{Mutex, TryLockError};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use schema::SCHEMA_VERSION;

use crate::domain::chemistry::TargetProfile;
use crate::domain::search::{SearchHit, SearchTerms};
use crate::model::{
    BackupReport, ChangeLogQuery, ChangeRecord, CountDimension, Customer, CustomerQuery,
    DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_PAGE_SIZE, DuplicateDecision, EntryQuery, ImportBatch,
    ImportKey, ImportMapping, IntegrityReport, LinkageRecord, MAX_BUSY_TIMEOUT_MS, MergeRecord,
    NotableChangeQuery, OpenCheck, OpenOptions, OutboxQuery, OutboxRecord, Period, SecretReveal,
    SecretRevealQuery, Segment, SqlRows, SqlValue, StoredEntry, Technician, Touchpoint,
    TouchpointCount, TouchpointQuery,
};
use crate::store::{
    self as store, Applied, BookRecord, CustomerSummary, JourneyRow, JourneyVisit, RecordFeed,
    StatusChange, Store, StoredKey, StoredSecret, TouchpointSelection, Write, WriteBatch,
};
use crate::{CustomerId, EntryId, Error, LocationId, Result, TechnicianId};
use codec::{NamedTable, storage};

/// How long a connection waits for a lock held by another process, unless
/// the book was opened with other [`OpenOptions`].
const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_millis(DEFAULT_BUSY_TIMEOUT_MS as u64);

/// A book kept in SQLite, in a file or in memory.
pub struct SqliteStore {
    writer: Mutex<Option<Connection>>,
    readers: Mutex<Vec<Connection>>,
    path: Option<PathBuf>,
    /// Opened with [`SqliteStore::open_read_only`]: every write fails with
    /// [`Error::ReadOnly`], and closing leaves the file as it is.
    read_only: bool,
    /// How long a connection waits for another process's lock.
    busy_timeout: Duration,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens the book file at `path`, creating it if missing and upgrading its
    /// schema if older. A file from a newer poolbook is refused.
    /// Opening a current book takes no lock, so it does not wait for another
    /// process's long write (an import) to finish.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        SqliteStore::open_with(path, &OpenOptions::default())
    }

    /// Opens the book file at `path` for reading only (an analyst's copy, a
    /// backup being checked): nothing in the file changes, every write fails
    /// with [`Error::ReadOnly`]. The file must exist and be current.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Self> {
        let options = OpenOptions {
            read_only: true,
            ..OpenOptions::default()
        };
        SqliteStore::open_with(path, &options)
    }

    /// Opens the book file at `path` as `options` say: read-write (creating
    /// and upgrading as [`SqliteStore::open`]) or read-only, with their busy
    /// timeout, after a `quick_check` if they ask for one.
    pub fn open_with(path: impl AsRef<Path>, options: &OpenOptions) -> Result<Self> {
        if options.busy_timeout_ms > MAX_BUSY_TIMEOUT_MS {
            return Err(Error::invalid(
                "options.busy_timeout_ms",
                format!("must be at most {MAX_BUSY_TIMEOUT_MS} (ten minutes)"),
            ));
        }
        let busy_timeout = Duration::from_millis(options.busy_timeout_ms.into());
        let path = path.as_ref().to_path_buf();
        let started = Instant::now();
        let opened = if options.read_only {
            open_file_read_only(&path, busy_timeout, options.check_on_open)
        } else {
            open_file(&path, busy_timeout, options.check_on_open)
        };
        let conn = opened.map_err(|error| error.waited(started.elapsed()))?;
        Ok(SqliteStore {
            writer: Mutex::new(Some(conn)),
            readers: Mutex::new(Vec::new()),
            path: Some(path),
            read_only: options.read_only,
            busy_timeout,
        })
    }

    /// A new, empty book that lives in memory and vanishes when dropped.
    pub fn open_in_memory() -> Result<Self> {
        let mut conn =
            Connection::open_in_memory().map_err(storage("opening an in-memory book"))?;
        configure(&conn, DEFAULT_BUSY_TIMEOUT)?;
        schema::migrate(&mut conn)?;
        Ok(SqliteStore {
            writer: Mutex::new(Some(conn)),
            readers: Mutex::new(Vec::new()),
            path: None,
            read_only: false,
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
        })
    }

    /// The book file, or `None` for an in-memory book.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Runs `work` in one IMMEDIATE transaction on the writer connection.
    fn write<T>(&self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let started = Instant::now();
        self.write_now(work)
            .map_err(|error| error.waited(started.elapsed()))
    }

    fn write_now<T>(&self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let mut guard = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let conn = guard.as_mut().ok_or(Error::Closed)?;
        if self.read_only {
            return Err(Error::ReadOnly {
                doing: "writing".to_owned(),
                cause: "the book was opened with Book::open_read_only".to_owned(),
            });
        }
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage("starting a write"))?;
        let value = work(&tx)?;
        tx.commit().map_err(storage("committing a write"))?;
        Ok(value)
    }

    /// Runs `work` in one read transaction, so a record read in several
    /// queries is one consistent snapshot.
    fn read<T>(&self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.on_reader(|conn| in_read_transaction(conn, work))
    }

    /// Runs `work`, a read of a few rows, in one read transaction on the
    /// writer connection when no write holds it, else on a reader. Every
    /// write empties the readers' page caches (their pages are read from the
    /// file again), while the writer's cache holds the pages it last wrote:
    /// the record an edit is about to change, the settings it checks. Only
    /// short reads come here, so a writer in another thread waits no longer
    /// than one.
    fn read_point<T>(&self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let idle_writer = match self.writer.try_lock() {
            Ok(guard) => Some(guard),
            Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        };
        let Some(mut guard) = idle_writer else {
            return self.read(work);
        };
        let conn = guard.as_mut().ok_or(Error::Closed)?;
        let started = Instant::now();
        in_read_transaction(conn, work).map_err(|error| error.waited(started.elapsed()))
    }

    /// Runs `work` on a reader: a pooled read-only connection of a file
    /// book, or the one connection of an in-memory book. Times the call for
    /// [`Error::Busy`].
    fn on_reader<T>(&self, work: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        let started = Instant::now();
        let Some(path) = &self.path else {
            let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
            let conn = guard.as_mut().ok_or(Error::Closed)?;
            return work(conn).map_err(|error| error.waited(started.elapsed()));
        };
        let mut conn = self.take_reader(path)?;
        let value = work(&mut conn);
        self.give_back_reader(conn);
        value.map_err(|error| error.waited(started.elapsed()))
    }

    /// A reader of the book file at `path`: a pooled one, or a new one.
    fn take_reader(&self, path: &Path) -> Result<Connection> {
        let pooled = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match pooled {
            Some(conn) => Ok(conn),
            None => self.new_reader(path),
        }
    }

    /// Returns a reader to the pool, unless the book was closed or the
    /// reader is stuck in a transaction (a pooled reader must not keep an
    /// old snapshot).
    fn give_back_reader(&self, conn: Connection) {
        if !conn.is_autocommit() && conn.execute_batch("ROLLBACK").is_err() {
            return;
        }
        if self
            .writer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
        {
            self.readers
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(conn);
        }
    }

    /// A new read-only connection on the book file at `path`, unless the
    /// book was closed.
    fn new_reader(&self, path: &Path) -> Result<Connection> {
        if self
            .writer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_none()
        {
            return Err(Error::Closed);
        }
        let conn = read_only_connection(path, "opening a reader on the book file")?;
        configure(&conn, self.busy_timeout)?;
        Ok(conn)
    }
}

/// Runs `work` in one read transaction on `conn`.
fn in_read_transaction<T>(
    conn: &mut Connection,
    work: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    let tx = conn.transaction().map_err(storage("starting a read"))?;
    let value = work(&tx);
    tx.finish().map_err(storage("finishing a read"))?;
    value
}

/// Opens a book file for reading and writing: created if missing, checked
/// if `check` asks, switched to WAL, upgraded if older.
fn open_file(path: &Path, busy_timeout: Duration, check: OpenCheck) -> Result<Connection> {
    let existed = path.exists();
    let mut conn = Connection::open(path).map_err(storage("opening the book file"))?;
    let version = configure(&conn, busy_timeout)?;
    if version < SCHEMA_VERSION {
        schema::refuse_foreign(&conn, version)?;
    }
    if existed {
        integrity::check_on_open(path, busy_timeout, check)?;
    }
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |row| row.get(0))
        .map_err(storage("reading the book file's journal mode"))?;
    if !mode.eq_ignore_ascii_case("wal") {
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))
            .map_err(storage("switching the book file to WAL mode"))?;
    }
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(storage("configuring the book file"))?;
    // Deleted and rewritten rows are overwritten, not left in free pages:
    // an old secret blob or plain-text code does not linger in the file.
    conn.pragma_update(None, "secure_delete", true)
        .map_err(storage("configuring the book file"))?;
    if version < SCHEMA_VERSION {
        schema::migrate(&mut conn)?;
    }
    Ok(conn)
}

/// Opens an existing, current book file for reading only, checked if
/// `check` asks.
fn open_file_read_only(
    path: &Path,
    busy_timeout: Duration,
    check: OpenCheck,
) -> Result<Connection> {
    let conn = read_only_connection(path, "opening the book file")?;
    let version = configure(&conn, busy_timeout)?;
    if version < SCHEMA_VERSION {
        schema::refuse_foreign(&conn, version)?;
        return Err(Error::ReadOnly {
            doing: "upgrading the book's schema".to_owned(),
            cause: format!(
                "the file has schema version {version}, older than this poolbook's \
                 {SCHEMA_VERSION}; open it once with Book::open to upgrade it"
            ),
        });
    }
    integrity::check_on_open(path, busy_timeout, check)?;
    Ok(conn)
}

/// A read-only connection on the file at `path`: a reader, or one of its
/// own for a check (nothing cached by the book's other connections).
fn read_only_connection(path: &Path, doing: &'static str) -> Result<Connection> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(storage(doing))
}

/// Settings every connection needs; returns the file's schema version,
/// refusing one from a newer poolbook or one no poolbook writes.
fn configure(conn: &Connection, busy_timeout: Duration) -> Result<i64> {
    conn.busy_timeout(busy_timeout)
        .map_err(storage("configuring a connection"))?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(storage("configuring a connection"))?;
    conn.set_prepared_statement_cache_capacity(64);
    let version = schema::version(conn)?;
    if version > SCHEMA_VERSION {
        return Err(Error::UnsupportedSchema {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version < 0 {
        return Err(Error::NotABook {
            cause: format!("the file records schema version {version}, which no poolbook writes"),
        });
    }
    Ok(version)
}

impl Store for SqliteStore {
    fn customer(&self, id: CustomerId) -> Result<Option<Customer>> {
        self.read_point(|conn| customers::load(conn, id))
    }

    fn customers_by_id(&self, ids: &[CustomerId]) -> Result<Vec<Customer>> {
        self.read_point(|conn| customers::load_many(conn, ids))
    }

    fn customers(&self, query: &CustomerQuery) -> Result<Vec<Customer>> {
        let limit = query.limit.unwrap_or(DEFAULT_PAGE_SIZE);
        self.read(|conn| customers::list(conn, query, limit))
    }

    fn search(&self, terms: &SearchTerms, limit: u32) -> Result<Vec<SearchHit>> {
        self.read(|conn| search::search(conn, terms, limit))
    }

    fn search_vocabulary(&self, initials: &[char]) -> Result<Vec<String>> {
        self.read(|conn| search::vocabulary(conn, initials))
    }

    fn archived_parts(&self, id: CustomerId) -> Result<Vec<String>> {
        self.read(|conn| customers::archived_parts(conn, id))
    }

    fn location_owner(&self, id: LocationId) -> Result<Option<CustomerId>> {
        self.read(|conn| customers::location_owner(conn, id))
    }

    fn technician(&self, id: TechnicianId) -> Result<Option<Technician>> {
        self.read(|conn| technicians::load(conn, id))
    }

    fn technicians(&self, include_inactive: bool) -> Result<Vec<Technician>> {
        self.read(|conn| technicians::list(conn, include_inactive))
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        self.read_point(|conn| settings::setting(conn, key))
    }

    fn change_log(&self, query: &ChangeLogQuery) -> Result<Vec<ChangeRecord>> {
        self.read(|conn| changelog::read(conn, query))
    }

    fn notable_changes(&self, query: &NotableChangeQuery) -> Result<Vec<ChangeRecord>> {
        self.read(|conn| changelog::notable(conn, query))
    }

    fn entry(&self, id: EntryId) -> Result<Option<StoredEntry>> {
        self.read(|conn| history::load(conn, id))
    }

    fn entries(&self, query: &EntryQuery) -> Result<Vec<StoredEntry>> {
        self.read(|conn| history::query(conn, query))
    }

    fn planned_locations(
        &self,
        technician_id: TechnicianId,
    ) -> Result<Vec<(CustomerId, LocationId)>> {
        self.read(|conn| history::planned_locations(conn, technician_id))
    }

    fn target_profiles(&self) -> Result<Vec<TargetProfile>> {
        self.read(|conn| codec::load_named(conn, NamedTable::TargetProfiles))
    }

    fn technician_plans(
        &self,
        technician_id: TechnicianId,
    ) -> Result<Vec<(CustomerId, LocationId)>> {
        self.read(|conn| billing::technician_plans(conn, technician_id))
    }

    fn billed_items(&self, keys: &[String]) -> Result<Vec<String>> {
        self.read(|conn| billing::billed_items(conn, keys))
    }

    fn last_invoice_number(&self) -> Result<u64> {
        self.read(billing::last_invoice_number)
    }

    fn touchpoints(&self, query: &TouchpointQuery) -> Result<Vec<Touchpoint>> {
        self.read(|conn| journey::query(conn, query))
    }

    fn visitor_link(&self, visitor_id: &str) -> Result<Option<CustomerId>> {
        self.read(|conn| journey::link_of(conn, visitor_id))
    }

    fn scan_journeys(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        visit: &mut dyn FnMut(bool, JourneyRow) -> Result<()>,
    ) -> Result<()> {
        let (since, until) = (since.map(codec::time), until.map(codec::time));
        self.read(|conn| {
            journey::scan(
                conn,
                since.as_deref(),
                until.as_deref(),
                journey::People::ALL,
                visit,
            )
        })
    }

    fn scan_journeys_in_parts(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        visits: &mut [&mut JourneyVisit<'_>],
    ) -> Result<()> {
        let (since_text, until_text) = (since.map(codec::time), until.map(codec::time));
        if self.scan_journeys_split(since_text.as_deref(), until_text.as_deref(), visits)? {
            return Ok(());
        }
        store::scan_journeys_in_one_part(self, since, until, visits)
    }

    fn customer_summaries(&self) -> Result<Vec<CustomerSummary>> {
        self.read(journey::customer_summaries)
    }

    fn select_touchpoints(&self, selection: &TouchpointSelection) -> Result<Vec<Touchpoint>> {
        self.read(|conn| selection::select(conn, selection))
    }

    fn status_changes(&self, until: Option<DateTime<Utc>>) -> Result<Vec<StatusChange>> {
        self.read(|conn| selection::status_changes(conn, until.map(codec::time)))
    }

    fn count_touchpoints(
        &self,
        selection: &TouchpointSelection,
        period: Option<Period>,
        by: &[CountDimension],
    ) -> Result<Vec<TouchpointCount>> {
        self.read(|conn| selection::count(conn, selection, period, by))
    }

    fn outbox_records(&self, query: &OutboxQuery) -> Result<Vec<OutboxRecord>> {
        self.read(|conn| outbox::query(conn, query))
    }

    fn notice_plans(&self) -> Result<Vec<crate::store::NoticePlan>> {
        self.read(outbox::notice_plans)
    }

    fn segments(&self) -> Result<Vec<Segment>> {
        self.read(|conn| codec::load_named(conn, NamedTable::Segments))
    }

    fn linkage_records(&self) -> Result<Vec<LinkageRecord>> {
        self.read(quality::linkage_records)
    }

    fn duplicate_decisions(&self) -> Result<Vec<DuplicateDecision>> {
        self.read(quality::decisions)
    }

    fn merge_of(&self, absorbed: CustomerId) -> Result<Option<MergeRecord>> {
        self.read(|conn| quality::merge_of(conn, absorbed))
    }

    fn visitors_of(&self, customer: CustomerId) -> Result<Vec<String>> {
        self.read(|conn| quality::visitors_of(conn, customer))
    }

    fn check_integrity(&self) -> Result<IntegrityReport> {
        let Some(path) = &self.path else {
            return self.read(integrity::check);
        };
        // A connection of its own, never a pooled reader: FTS5 keeps the
        // search index's structure a connection last read, and SQLite's
        // check of the index on a reader that has not searched since
        // another connection wrote compares the new rows with that old
        // structure and reports a checksum mismatch that is not there.
        let mut conn = self.new_reader(path)?;
        in_read_transaction(&mut conn, integrity::check)
    }

    fn book_key(&self) -> Result<Option<StoredKey>> {
        self.read(secrets::book_key)
    }

    fn plain_secrets(&self) -> Result<Vec<StoredSecret>> {
        self.read(secrets::plain)
    }

    fn sealed_secrets(&self) -> Result<Vec<StoredSecret>> {
        self.read(secrets::sealed)
    }

    fn secret_reveals(&self, query: &SecretRevealQuery) -> Result<Vec<SecretReveal>> {
        self.read(|conn| secrets::reveals(conn, query))
    }

    fn import_keys(&self, mapping: &str) -> Result<Vec<ImportKey>> {
        self.read(|conn| imports::keys(conn, mapping))
    }

    fn import_batch(&self, id: &str) -> Result<Option<ImportBatch>> {
        self.read(|conn| imports::batch(conn, id))
    }

    fn import_mappings(&self) -> Result<Vec<ImportMapping>> {
        self.read(|conn| codec::load_named(conn, NamedTable::ImportMappings))
    }

    fn purge_old_copies(&self) -> Result<()> {
        if self.path.is_none() || self.read_only {
            return Ok(());
        }
        self.write_now(|_| Ok(()))?;
        let guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let conn = guard.as_ref().ok_or(Error::Closed)?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(storage("writing the log back into the book file"))
    }

    fn sql(&self, query: &str, params: &[SqlValue]) -> Result<SqlRows> {
        self.on_reader(|conn| sql::run(conn, query, params))
    }

    fn backup_to(&self, path: &Path) -> Result<BackupReport> {
        self.on_reader(|conn| backup::backup(conn, path))
    }

    fn export(&self, sink: &mut dyn FnMut(BookRecord) -> Result<()>) -> Result<()> {
        self.read(|conn| copy::export(conn, sink))
    }

    fn import_records(&self, feed: &mut RecordFeed<'_>) -> Result<()> {
        self.write(|conn| feed(&mut |record| copy::import(conn, &record)))
    }

    fn apply(&self, batch: &WriteBatch) -> Result<Applied> {
        self.write(|conn| {
            let mut applied = Applied::default();
            for write in &batch.writes {
                match write {
                    Write::InsertCustomer(record) => customers::insert(conn, record)?,
                    Write::UpdateCustomer { record, previous } => {
                        customers::update(conn, record, previous)?
                    }
                    Write::MoveLocation {
                        location_id,
                        from,
                        to,
                    } => customers::move_location(conn, *location_id, *from, *to)?,
                    Write::PutTechnician {
                        record,
                        expected_version,
                    } => technicians::put(conn, record, *expected_version)?,
                    Write::InsertEntry(entry) => history::insert(conn, entry, &batch.author)?,
                    Write::UpdateEntry(entry) => history::update(conn, entry)?,
                    Write::SetEntryArchived { id, archived_at } => {
                        history::set_archived(conn, *id, archived_at.map(codec::time))?
                    }
                    Write::PutTargetProfile(profile) => {
                        codec::put_named(conn, NamedTable::TargetProfiles, &profile.name, profile)?
                    }
                    Write::InsertTouchpoints(touchpoints) => {
                        applied.skipped_touchpoints +=
                            journey::insert(conn, touchpoints, &batch.author)?;
                    }
                    Write::LinkVisitor {
                        visitor_id,
                        customer_id,
                        at,
                    } => journey::link(conn, visitor_id, *customer_id, &codec::time(*at))?,
                    Write::UnlinkVisitor { visitor_id } => journey::unlink(conn, visitor_id)?,
                    Write::Restage { action, from, to } => {
                        journey::restage(conn, action, *from, *to)?
                    }
                    Write::LinkTouchpointEntry {
                        touchpoint_id,
                        entry_id,
                    } => journey::link_entry(conn, *touchpoint_id, *entry_id)?,
                    Write::PutSegment(segment) => {
                        codec::put_named(conn, NamedTable::Segments, &segment.name, segment)?
                    }
                    Write::PutSetting { key, value } => settings::put_setting(conn, key, value)?,
                    Write::PutKey(key) => secrets::put_key(conn, key)?,
                    Write::PutSecrets(sealed) => secrets::put_sealed(conn, sealed)?,
                    Write::RecordReveal(reveal) => secrets::record_reveal(conn, reveal)?,
                    Write::PutOutboxRecord(record) => outbox::put(conn, record)?,
                    Write::MarkBilled {
                        invoice_id,
                        customer_id,
                        keys,
                    } => billing::mark_billed(conn, *invoice_id, *customer_id, keys)?,
                    Write::ReleaseBilled { invoice_id } => {
                        billing::release_billed(conn, *invoice_id)?
                    }
                    Write::ReassignPlans {
                        from,
                        to,
                        locations,
                    } => billing::reassign_plans(
                        conn,
                        *from,
                        *to,
                        locations,
                        &codec::time(batch.at),
                    )?,
                    Write::MoveRecords {
                        from,
                        to,
                        records,
                        everything,
                    } => quality::move_records(conn, *from, *to, records, *everything)?,
                    Write::PutDuplicateDecision(decision) => quality::put_decision(conn, decision)?,
                    Write::PutMerge(merge) => quality::put_merge(conn, merge)?,
                    Write::PutImport {
                        batch,
                        keys,
                        drop_keys,
                    } => imports::put(conn, batch, keys, drop_keys)?,
                    Write::PutImportMapping(mapping) => {
                        codec::put_named(conn, NamedTable::ImportMappings, &mapping.name, mapping)?
                    }
                }
            }
            changelog::append(conn, batch)?;
            Ok(applied)
        })
    }

    fn close(&self) -> Result<()> {
        self.shut()
    }
}

impl SqliteStore {
    /// Closes the readers, folds the write-ahead log back into the book file
    /// (so the `.sqlite` file alone holds everything), then closes the writer.
    /// Readers go first: the last connection to close is the one that may
    /// checkpoint, and readers are read-only.
    fn shut(&self) -> Result<()> {
        self.readers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        let conn = self.writer.lock().unwrap_or_else(|p| p.into_inner()).take();
        let Some(conn) = conn else { return Ok(()) };
        if self.path.is_some() && !self.read_only {
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                .map_err(storage("writing the log back into the book file"))?;
        }
        conn.close()
            .map_err(|(_, error)| codec::classify("closing the book", error))
    }
}

impl Drop for SqliteStore {
    /// A book dropped without `close` is closed the same way, so its file is
    /// complete; a failure here (another process holding the file) leaves the
    /// data safe in the `-wal` file, where SQLite finds it on the next open.
    fn drop(&mut self) {
        let _ = self.shut();
    }
}
