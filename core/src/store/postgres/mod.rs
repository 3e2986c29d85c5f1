//! `PgStore`: a book on a PostgreSQL server (feature `postgres`), for an
//! office that outgrows one file: many processes and threads writing at
//! once, analysts reading beside them (ADR 0007).
//!
//! Connections come from an r2d2 pool, each with its own cache of prepared
//! statements. A write is one SERIALIZABLE transaction (READ COMMITTED when
//! it only inserts new records), run again when PostgreSQL reports a
//! serialization failure or a deadlock; a read of
//! several statements is one REPEATABLE READ, READ ONLY transaction (one
//! snapshot). The client is the synchronous `postgres` crate, which runs a
//! small tokio runtime of its own and panics if called from inside another:
//! so when the calling thread is inside a tokio runtime, each call runs on
//! a thread of its own.

mod billing;
mod changelog;
mod copy;
mod customers;
mod db;
mod history;
mod imports;
mod integrity;
mod journey;
mod outbox;
mod quality;
mod schema;
mod search;
mod secrets;
mod selection;
mod sql;
mod technicians;
mod tls;

use std::sync::RwLock;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use postgres::IsolationLevel;

pub use schema::PG_SCHEMA_VERSION;

use crate::domain::chemistry::TargetProfile;
use crate::domain::search::{SearchHit, SearchTerms};
use crate::model::{
    ChangeLogQuery, ChangeRecord, CountDimension, Customer, CustomerQuery, DEFAULT_PAGE_SIZE,
    DuplicateDecision, EntryQuery, ImportBatch, ImportKey, ImportMapping, IntegrityReport,
    LinkageRecord, MAX_BUSY_TIMEOUT_MS, MergeRecord, NotableChangeQuery, OpenOptions, Period,
    SecretReveal, SecretRevealQuery, Segment, SqlRows, SqlValue, StoredEntry, Technician,
    Touchpoint, TouchpointCount, TouchpointQuery,
};
use crate::store::{
    Applied, BookRecord, CustomerSummary, JourneyRow, RecordFeed, StatusChange, Store, StoredKey,
    StoredSecret, TouchpointSelection, Write, WriteBatch,
};
use crate::{CustomerId, EntryId, Error, LocationId, Result, TechnicianId};
use db::{Conn, Db, Manager, get, json, storage};

/// The most connections one store keeps open to the server.
const MAX_CONNECTIONS: u32 = 16;

/// How many times a write is run again after a serialization failure
/// before the caller is told the book is busy.
const MAX_WRITE_ATTEMPTS: u32 = 64;

/// A book kept in a PostgreSQL database.
pub struct PgStore {
    pool: RwLock<Option<r2d2::Pool<Manager>>>,
    /// The server and database, for `Debug` (never the password).
    target: String,
    /// Opened read-only: every write fails with [`Error::ReadOnly`].
    read_only: bool,
    /// How long a call waits for a connection or a lock.
    busy_timeout: Duration,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

/// Runs `work` here, or, when this thread is inside a tokio runtime (where
/// the synchronous client would panic), on a thread of its own.
fn off_runtime<T: Send>(work: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    if tokio::runtime::Handle::try_current().is_err() {
        return work();
    }
    std::thread::scope(|scope| {
        scope.spawn(work).join().unwrap_or_else(|_| {
            Err(Error::storage(
                "calling PostgreSQL from a tokio runtime",
                std::io::Error::other("the worker thread panicked"),
            ))
        })
    })
}

impl PgStore {
    /// Opens the book in the PostgreSQL database at `url`
    /// (`postgresql://user:password@host:5432/database`, or
    /// `postgresql://user@/database?host=/run/postgresql` for a Unix
    /// socket), creating its tables in an empty database and upgrading an
    /// older schema. A database with other tables and no book, or a book
    /// from a newer poolbook, is refused.
    ///
    /// Over TCP the link is encrypted when the server offers TLS, and can be
    /// required and checked with libpq's parameters in the URL's query:
    /// `sslmode=require` (encrypted), `verify-ca` (the certificate chains to
    /// a trusted root), `verify-full` (and names the host), `disable`; and
    /// `sslrootcert=/path/root.crt` (the roots to trust; the system's by
    /// default). A certificate that fails its check fails the open.
    pub fn open(url: &str) -> Result<Self> {
        PgStore::open_with(url, &OpenOptions::default())
    }

    /// Opens the book at `url` as `options` say: read-only (every write
    /// fails with [`Error::ReadOnly`]; the schema must be current) or not,
    /// and how long a call waits for a connection or a row lock before
    /// failing with [`Error::Busy`]. `check_on_open` does not apply: the
    /// server checks its own files; [`crate::Book::check_integrity`] reads
    /// every record back.
    pub fn open_with(url: &str, options: &OpenOptions) -> Result<Self> {
        if options.busy_timeout_ms > MAX_BUSY_TIMEOUT_MS {
            return Err(Error::invalid(
                "options.busy_timeout_ms",
                format!("must be at most {MAX_BUSY_TIMEOUT_MS} (ten minutes)"),
            ));
        }
        let busy_timeout = Duration::from_millis(options.busy_timeout_ms.into());
        off_runtime(|| {
            let (url, tls_request) = tls::read_url(url)?;
            let tls = tls::connector(&tls_request)?;
            let mut config: postgres::Config = url.parse().map_err(|error| {
                Error::invalid(
                    "url",
                    format!("is not a PostgreSQL connection URL ({error})"),
                )
            })?;
            let mut settings = config.get_options().unwrap_or_default().to_owned();
            settings.push_str(&format!(
                " -c lock_timeout={} -c TimeZone=UTC",
                options.busy_timeout_ms.max(1)
            ));
            if options.read_only {
                settings.push_str(" -c default_transaction_read_only=on");
            }
            config.options(settings.trim());
            if config.get_application_name().is_none() {
                config.application_name("poolbook");
            }
            if config.get_connect_timeout().is_none() {
                config.connect_timeout(Duration::from_secs(30));
            }
            let target = describe(&config);
            let mut first = config.connect(tls.connect.clone()).map_err(|error| {
                Error::storage(
                    format!("connecting to {target}: {}", db::explained(&error)),
                    error,
                )
            })?;
            schema::prepare(&mut first, options.read_only)?;
            drop(first);
            let pool = r2d2::Pool::builder()
                .max_size(MAX_CONNECTIONS)
                .min_idle(Some(0))
                .test_on_check_out(false)
                .connection_timeout(busy_timeout.max(Duration::from_millis(1)))
                .build_unchecked(Manager { config, tls });
            Ok(PgStore {
                pool: RwLock::new(Some(pool)),
                target,
                read_only: options.read_only,
                busy_timeout,
            })
        })
    }

    /// A connection from the pool.
    fn conn(&self, doing: &'static str) -> Result<r2d2::PooledConnection<Manager>> {
        let pool = self
            .pool
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or(Error::Closed)?;
        let started = Instant::now();
        pool.get().map_err(|error| {
            if started.elapsed() >= self.busy_timeout && pool.state().connections > 0 {
                Error::Busy {
                    doing: doing.to_owned(),
                    waited_ms: 0,
                }
            } else {
                Error::storage(format!("{doing}: connecting to {}", self.target), error)
            }
        })
    }

    /// Runs `work` as one statement on its own (no transaction).
    fn read_one<T: Send>(
        &self,
        doing: &'static str,
        work: impl FnOnce(&mut Db<'_>) -> Result<T> + Send,
    ) -> Result<T> {
        let started = Instant::now();
        off_runtime(|| {
            let mut conn = self.conn(doing)?;
            work(&mut Db::autocommit(&mut conn))
        })
        .map_err(|error| error.waited(started.elapsed()))
    }

    /// Runs `work` in one REPEATABLE READ, READ ONLY transaction: every
    /// statement sees the same snapshot.
    fn read<T: Send>(
        &self,
        doing: &'static str,
        work: impl FnOnce(&mut Db<'_>) -> Result<T> + Send,
    ) -> Result<T> {
        let started = Instant::now();
        off_runtime(|| self.read_here(doing, work)).map_err(|error| error.waited(started.elapsed()))
    }

    /// [`PgStore::read`] on this thread (which is not in a tokio runtime).
    fn read_here<T>(
        &self,
        doing: &'static str,
        work: impl FnOnce(&mut Db<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut conn = self.conn(doing)?;
        let Conn { client, statements } = &mut *conn;
        let transaction = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(storage("starting a read"))?;
        let mut db = Db::in_transaction(transaction, statements);
        let value = work(&mut db)?;
        db.commit().map_err(storage("finishing a read"))?;
        Ok(value)
    }

    /// Runs `work` in one SERIALIZABLE transaction, again from the start
    /// (after a short, growing, jittered pause) when PostgreSQL reports a
    /// serialization failure or a deadlock, for as long as the busy timeout
    /// allows.
    fn write<T: Send>(
        &self,
        isolation: IsolationLevel,
        work: impl Fn(&mut Db<'_>) -> Result<T> + Send + Sync,
    ) -> Result<T> {
        self.refuse_if_read_only()?;
        let started = Instant::now();
        off_runtime(|| {
            let mut attempt = 0;
            loop {
                attempt += 1;
                let outcome = self.write_once(isolation, &work);
                match outcome {
                    Err(error)
                        if db::retryable(&error)
                            && attempt < MAX_WRITE_ATTEMPTS
                            && started.elapsed() < self.busy_timeout =>
                    {
                        std::thread::sleep(backoff(attempt));
                    }
                    Err(error) if db::retryable(&error) => {
                        return Err(Error::Busy {
                            doing: "writing (other writers kept changing the same rows)".to_owned(),
                            waited_ms: 0,
                        });
                    }
                    outcome => return outcome,
                }
            }
        })
        .map_err(|error| error.waited(started.elapsed()))
    }

    /// [`Error::ReadOnly`] if the book was opened read-only.
    fn refuse_if_read_only(&self) -> Result<()> {
        if self.read_only {
            return Err(Error::ReadOnly {
                doing: "writing".to_owned(),
                cause: "the book was opened read-only".to_owned(),
            });
        }
        Ok(())
    }

    /// Runs `work` in one transaction at `isolation`, once.
    fn write_once<T>(
        &self,
        isolation: IsolationLevel,
        work: impl FnOnce(&mut Db<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut conn = self.conn("writing")?;
        let Conn { client, statements } = &mut *conn;
        let transaction = client
            .build_transaction()
            .isolation_level(isolation)
            .start()
            .map_err(storage("starting a write"))?;
        let mut db = Db::in_transaction(transaction, statements);
        let value = work(&mut db)?;
        db.commit().map_err(storage("committing a write"))?;
        Ok(value)
    }
}

/// The pause before write attempt `attempt + 1`: 1 ms doubling to 64 ms,
/// with jitter so colliding writers spread out.
fn backoff(attempt: u32) -> Duration {
    let base = 1u64 << attempt.min(6);
    let jitter = u64::from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |now| now.subsec_nanos()),
    ) % base.max(1);
    Duration::from_millis(base + jitter)
}

/// `user@host:port/database` of a connection config, without the password.
fn describe(config: &postgres::Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|host| match host {
            postgres::config::Host::Tcp(name) => name.clone(),
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".to_owned());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "PostgreSQL {}@{host}:{port}/{}",
        config.get_user().unwrap_or("?"),
        config.get_dbname().unwrap_or("?")
    )
}

/// The tables keeping a JSON record under a unique name.
#[derive(Debug, Clone, Copy)]
enum NamedTable {
    TargetProfiles,
    Segments,
    ImportMappings,
}

impl NamedTable {
    fn select(self) -> &'static str {
        match self {
            NamedTable::TargetProfiles => "SELECT data FROM target_profiles ORDER BY name",
            NamedTable::Segments => "SELECT data FROM segments ORDER BY name",
            NamedTable::ImportMappings => "SELECT data FROM import_mappings ORDER BY name",
        }
    }

    fn upsert(self) -> &'static str {
        match self {
            NamedTable::TargetProfiles => {
                "INSERT INTO target_profiles (name, data) VALUES ($1, $2) \
                 ON CONFLICT (name) DO UPDATE SET data = excluded.data"
            }
            NamedTable::Segments => {
                "INSERT INTO segments (name, data) VALUES ($1, $2) \
                 ON CONFLICT (name) DO UPDATE SET data = excluded.data"
            }
            NamedTable::ImportMappings => {
                "INSERT INTO import_mappings (name, data) VALUES ($1, $2) \
                 ON CONFLICT (name) DO UPDATE SET data = excluded.data"
            }
        }
    }
}

fn load_named<T: serde::de::DeserializeOwned>(
    db: &mut Db<'_>,
    table: NamedTable,
) -> Result<Vec<T>> {
    db.query("reading saved records", table.select(), &[])?
        .iter()
        .map(|row| json(row, 0))
        .collect()
}

fn put_named(
    db: &mut Db<'_>,
    table: NamedTable,
    name: &str,
    record: &impl serde::Serialize,
) -> Result<()> {
    let data = serde_json::to_value(record)
        .map_err(|error| Error::storage("encoding a record as JSON", error))?;
    db.execute("storing a saved record", table.upsert(), &[&name, &data])?;
    Ok(())
}

fn setting(db: &mut Db<'_>, key: &str) -> Result<Option<String>> {
    db.query_opt(
        "reading a setting",
        "SELECT value FROM settings WHERE key = $1",
        &[&key],
    )?
    .map(|row| get(&row, 0))
    .transpose()
}

fn put_setting(db: &mut Db<'_>, key: &str, value: &str) -> Result<()> {
    db.execute(
        "storing a setting",
        "INSERT INTO settings (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&key, &value],
    )?;
    Ok(())
}

impl Store for PgStore {
    fn customer(&self, id: CustomerId) -> Result<Option<Customer>> {
        self.read("reading a customer", |db| {
            Ok(customers::load_many(db, &[id])?.pop())
        })
    }

    fn customers_by_id(&self, ids: &[CustomerId]) -> Result<Vec<Customer>> {
        self.read("reading customers", |db| customers::load_many(db, ids))
    }

    fn customers(&self, query: &CustomerQuery) -> Result<Vec<Customer>> {
        let limit = query.limit.unwrap_or(DEFAULT_PAGE_SIZE);
        self.read("listing customers", |db| customers::list(db, query, limit))
    }

    fn search(&self, terms: &SearchTerms, limit: u32) -> Result<Vec<SearchHit>> {
        self.read_one("searching customers", |db| search::search(db, terms, limit))
    }

    fn search_vocabulary(&self, initials: &[char]) -> Result<Vec<String>> {
        self.read_one("reading the search vocabulary", |db| {
            search::vocabulary(db, initials)
        })
    }

    fn archived_parts(&self, id: CustomerId) -> Result<Vec<String>> {
        self.read_one("reading archived parts", |db| {
            customers::archived_parts(db, id)
        })
    }

    fn location_owner(&self, id: LocationId) -> Result<Option<CustomerId>> {
        self.read_one("finding a location's customer", |db| {
            customers::location_owner(db, id)
        })
    }

    fn technician(&self, id: TechnicianId) -> Result<Option<Technician>> {
        self.read_one("reading a technician", |db| technicians::load(db, id))
    }

    fn technicians(&self, include_inactive: bool) -> Result<Vec<Technician>> {
        self.read_one("listing technicians", |db| {
            technicians::list(db, include_inactive)
        })
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        self.read_one("reading a setting", |db| setting(db, key))
    }

    fn change_log(&self, query: &ChangeLogQuery) -> Result<Vec<ChangeRecord>> {
        self.read_one("reading the change log", |db| changelog::read(db, query))
    }

    fn notable_changes(&self, query: &NotableChangeQuery) -> Result<Vec<ChangeRecord>> {
        self.read_one("reading notable changes", |db| {
            changelog::notable(db, query)
        })
    }

    fn entry(&self, id: EntryId) -> Result<Option<StoredEntry>> {
        self.read_one("reading a history entry", |db| history::load(db, id))
    }

    fn entries(&self, query: &EntryQuery) -> Result<Vec<StoredEntry>> {
        self.read_one("reading history", |db| history::query(db, query))
    }

    fn planned_locations(
        &self,
        technician_id: TechnicianId,
    ) -> Result<Vec<(CustomerId, LocationId)>> {
        self.read_one("finding planned locations", |db| {
            history::planned_locations(db, technician_id)
        })
    }

    fn technician_plans(
        &self,
        technician_id: TechnicianId,
    ) -> Result<Vec<(CustomerId, LocationId)>> {
        self.read_one("finding a technician's plans", |db| {
            billing::technician_plans(db, technician_id)
        })
    }

    fn billed_items(&self, keys: &[String]) -> Result<Vec<String>> {
        self.read_one("reading billed items", |db| billing::billed_items(db, keys))
    }

    fn last_invoice_number(&self) -> Result<u64> {
        self.read_one(
            "reading the last invoice number",
            billing::last_invoice_number,
        )
    }

    fn target_profiles(&self) -> Result<Vec<TargetProfile>> {
        self.read_one("reading target profiles", |db| {
            load_named(db, NamedTable::TargetProfiles)
        })
    }

    fn touchpoints(&self, query: &TouchpointQuery) -> Result<Vec<Touchpoint>> {
        self.read_one("reading touchpoints", |db| journey::query(db, query))
    }

    fn visitor_link(&self, visitor_id: &str) -> Result<Option<CustomerId>> {
        self.read_one("reading a visitor link", |db| {
            journey::link_of(db, visitor_id)
        })
    }

    fn scan_journeys(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        visit: &mut dyn FnMut(bool, JourneyRow) -> Result<()>,
    ) -> Result<()> {
        if tokio::runtime::Handle::try_current().is_err() {
            let started = Instant::now();
            return self
                .read_here("scanning journeys", |db| {
                    journey::scan(db, since, until, visit)
                })
                .map_err(|error| error.waited(started.elapsed()));
        }
        // Inside a tokio runtime the scan runs on a thread of its own and
        // hands rows back here (where `visit` lives) through a short queue.
        let (sender, receiver) = std::sync::mpsc::sync_channel::<(bool, JourneyRow)>(1024);
        std::thread::scope(|scope| {
            let scanner = scope.spawn(move || {
                self.read("scanning journeys", |db| {
                    journey::scan(db, since, until, &mut |new_person, row| {
                        sender.send((new_person, row)).map_err(|_| {
                            Error::storage(
                                "scanning journeys",
                                std::io::Error::other("the reader stopped"),
                            )
                        })
                    })
                })
            });
            let mut visited = Ok(());
            for (new_person, row) in receiver.iter() {
                visited = visit(new_person, row);
                if visited.is_err() {
                    break;
                }
            }
            drop(receiver);
            let scanned = scanner.join().unwrap_or_else(|_| {
                Err(Error::storage(
                    "scanning journeys",
                    std::io::Error::other("the worker thread panicked"),
                ))
            });
            visited.and(scanned)
        })
    }

    fn customer_summaries(&self) -> Result<Vec<CustomerSummary>> {
        self.read_one("reading customer summaries", journey::customer_summaries)
    }

    fn outbox_records(
        &self,
        query: &crate::model::OutboxQuery,
    ) -> Result<Vec<crate::model::OutboxRecord>> {
        self.read_one("reading the outbox", |db| outbox::query(db, query))
    }

    fn notice_plans(&self) -> Result<Vec<crate::store::NoticePlan>> {
        self.read_one(
            "reading the planned locations of visit notices",
            outbox::notice_plans,
        )
    }

    fn select_touchpoints(&self, selection: &TouchpointSelection) -> Result<Vec<Touchpoint>> {
        self.read_one("selecting touchpoints", |db| {
            selection::select(db, selection)
        })
    }

    fn count_touchpoints(
        &self,
        selection: &TouchpointSelection,
        period: Option<Period>,
        by: &[CountDimension],
    ) -> Result<Vec<TouchpointCount>> {
        self.read_one("counting touchpoints", |db| {
            selection::count(db, selection, period, by)
        })
    }

    fn status_changes(&self, until: Option<DateTime<Utc>>) -> Result<Vec<StatusChange>> {
        self.read_one("reading status changes", |db| {
            selection::status_changes(db, until)
        })
    }

    fn segments(&self) -> Result<Vec<Segment>> {
        self.read_one("reading segments", |db| {
            load_named(db, NamedTable::Segments)
        })
    }

    fn linkage_records(&self) -> Result<Vec<LinkageRecord>> {
        self.read(
            "reading customers for duplicate detection",
            quality::linkage_records,
        )
    }

    fn duplicate_decisions(&self) -> Result<Vec<DuplicateDecision>> {
        self.read_one("reading duplicate decisions", quality::decisions)
    }

    fn merge_of(&self, absorbed: CustomerId) -> Result<Option<MergeRecord>> {
        self.read_one("reading a merge", |db| quality::merge_of(db, absorbed))
    }

    fn visitors_of(&self, customer: CustomerId) -> Result<Vec<String>> {
        self.read_one("reading a customer's visitor links", |db| {
            quality::visitors_of(db, customer)
        })
    }

    fn import_keys(&self, mapping: &str) -> Result<Vec<ImportKey>> {
        self.read_one("reading import keys", |db| imports::keys(db, mapping))
    }

    fn import_batch(&self, id: &str) -> Result<Option<ImportBatch>> {
        self.read_one("reading an import batch", |db| imports::batch(db, id))
    }

    fn import_mappings(&self) -> Result<Vec<ImportMapping>> {
        self.read_one("reading import mappings", |db| {
            load_named(db, NamedTable::ImportMappings)
        })
    }

    fn check_integrity(&self) -> Result<IntegrityReport> {
        self.read("checking the book", integrity::check)
    }

    fn book_key(&self) -> Result<Option<StoredKey>> {
        self.read_one("reading the book's key", secrets::book_key)
    }

    fn plain_secrets(&self) -> Result<Vec<StoredSecret>> {
        // A book on PostgreSQL is born sealed: there is no plain-text table.
        Ok(Vec::new())
    }

    fn sealed_secrets(&self) -> Result<Vec<StoredSecret>> {
        self.read_one("reading the secrets", secrets::sealed)
    }

    fn secret_reveals(&self, query: &SecretRevealQuery) -> Result<Vec<SecretReveal>> {
        self.read_one("reading the reveals", |db| secrets::reveals(db, query))
    }

    /// Rewrites the tables holding sealed codes and the wrapped key
    /// (`VACUUM FULL`), so the versions a key rotation replaced do not stay
    /// behind as dead rows in their files.
    fn purge_old_copies(&self) -> Result<()> {
        if self.read_only {
            return Ok(());
        }
        let started = Instant::now();
        off_runtime(|| {
            let mut conn = self.conn("purging old copies of secrets")?;
            conn.client
                .batch_execute("VACUUM (FULL) location_secrets, book_keys")
                .map_err(storage("purging old copies of secrets"))
        })
        .map_err(|error| error.waited(started.elapsed()))
    }

    fn sql(&self, query: &str, params: &[SqlValue]) -> Result<SqlRows> {
        sql::check_size(query, params)?;
        self.read("running a SQL query", |db| sql::run(db, query, params))
    }

    fn export(&self, sink: &mut dyn FnMut(BookRecord) -> Result<()>) -> Result<()> {
        if tokio::runtime::Handle::try_current().is_ok() {
            // `sink` cannot cross threads; a move is an office tool run
            // from a plain thread.
            return Err(Error::invalid(
                "from",
                "cannot be exported from inside a tokio runtime; call from a plain thread",
            ));
        }
        let started = Instant::now();
        self.read_here("exporting the book", |db| copy::export(db, sink))
            .map_err(|error| error.waited(started.elapsed()))
    }

    fn import_records(&self, feed: &mut RecordFeed<'_>) -> Result<()> {
        self.refuse_if_read_only()?;
        let started = Instant::now();
        // New rows only, like a batch of new customers: READ COMMITTED. Not
        // retried, as `write` would: the feed can be read only once.
        off_runtime(|| {
            self.write_once(IsolationLevel::ReadCommitted, |db| {
                feed(&mut |record| copy::import(db, &record))
            })
        })
        .map_err(|error| error.waited(started.elapsed()))
    }

    fn apply(&self, batch: &WriteBatch) -> Result<Applied> {
        // A batch of new records only (an import of customers or history)
        // reads nothing it depends on: unique indexes and foreign keys keep
        // it right under READ COMMITTED, without SERIALIZABLE's predicate
        // locks on every index page it checks. The touchpoints of the
        // operations they record are new rows too (each names its customer,
        // so no visitor link is read). Anything else is SERIALIZABLE.
        let inserts_only = batch.writes.iter().all(|write| match write {
            Write::InsertCustomer(_) | Write::InsertEntry(_) => true,
            Write::InsertTouchpoints(touchpoints) => touchpoints
                .iter()
                .all(|touchpoint| touchpoint.customer_id.is_some()),
            _ => false,
        });
        let isolation = if inserts_only {
            IsolationLevel::ReadCommitted
        } else {
            IsolationLevel::Serializable
        };
        self.write(isolation, |db| {
            let mut applied = Applied::default();
            let mut writes = batch.writes.iter().peekable();
            while let Some(write) = writes.next() {
                match write {
                    Write::InsertCustomer(record) => {
                        // A run of new customers (a batch import) is written
                        // table by table, one statement each.
                        let mut run = vec![record];
                        while let Some(Write::InsertCustomer(next)) = writes.peek() {
                            run.push(next);
                            writes.next();
                        }
                        customers::insert_many(db, &run)?
                    }
                    Write::UpdateCustomer { record, previous } => {
                        customers::update(db, record, previous)?
                    }
                    Write::MoveLocation {
                        location_id,
                        from,
                        to,
                    } => customers::move_location(db, *location_id, *from, *to)?,
                    Write::PutTechnician {
                        record,
                        expected_version,
                    } => technicians::put(db, record, *expected_version)?,
                    Write::InsertEntry(entry) => history::insert(db, entry, &batch.author)?,
                    Write::UpdateEntry(entry) => history::update(db, entry)?,
                    Write::SetEntryArchived { id, archived_at } => {
                        history::set_archived(db, *id, *archived_at)?
                    }
                    Write::PutTargetProfile(profile) => {
                        put_named(db, NamedTable::TargetProfiles, &profile.name, profile)?
                    }
                    Write::InsertTouchpoints(touchpoints) => {
                        applied.skipped_touchpoints +=
                            journey::insert(db, touchpoints, &batch.author)?;
                    }
                    Write::LinkVisitor {
                        visitor_id,
                        customer_id,
                        at,
                    } => journey::link(db, visitor_id, *customer_id, *at)?,
                    Write::UnlinkVisitor { visitor_id } => journey::unlink(db, visitor_id)?,
                    Write::Restage { action, from, to } => {
                        journey::restage(db, action, *from, *to)?
                    }
                    Write::LinkTouchpointEntry {
                        touchpoint_id,
                        entry_id,
                    } => journey::link_entry(db, *touchpoint_id, *entry_id)?,
                    Write::PutSegment(segment) => {
                        put_named(db, NamedTable::Segments, &segment.name, segment)?
                    }
                    Write::PutSetting { key, value } => put_setting(db, key, value)?,
                    Write::PutKey(key) => secrets::put_key(db, key)?,
                    Write::PutSecrets(sealed) => secrets::put_sealed(db, sealed)?,
                    Write::RecordReveal(reveal) => secrets::record_reveal(db, reveal)?,
                    Write::MarkBilled {
                        invoice_id,
                        customer_id,
                        keys,
                    } => billing::mark_billed(db, *invoice_id, *customer_id, keys)?,
                    Write::ReleaseBilled { invoice_id } => {
                        billing::release_billed(db, *invoice_id)?
                    }
                    Write::ReassignPlans {
                        from,
                        to,
                        locations,
                    } => billing::reassign_plans(db, *from, *to, locations, batch.at)?,
                    Write::MoveRecords {
                        from,
                        to,
                        records,
                        everything,
                    } => quality::move_records(db, *from, *to, records, *everything)?,
                    Write::PutDuplicateDecision(decision) => quality::put_decision(db, decision)?,
                    Write::PutMerge(merge) => quality::put_merge(db, merge)?,
                    Write::PutImport {
                        batch,
                        keys,
                        drop_keys,
                    } => imports::put(db, batch, keys, drop_keys)?,
                    Write::PutImportMapping(mapping) => {
                        put_named(db, NamedTable::ImportMappings, &mapping.name, mapping)?
                    }
                    Write::PutOutboxRecord(record) => outbox::put(db, record)?,
                }
            }
            changelog::append(db, batch)?;
            Ok(applied)
        })
    }

    fn close(&self) -> Result<()> {
        let pool = self.pool.write().unwrap_or_else(|p| p.into_inner()).take();
        // Dropping a connection drops its client's own runtime, which must
        // not happen on a tokio runtime's thread.
        off_runtime(move || {
            drop(pool);
            Ok(())
        })
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        let _ = self.close();
    }
}
