//! `Book`: the handle a user opens. Every operation validates, works out what
//! changed, and hands the store one batch — the records and their change-log
//! rows — to write in one transaction.

use std::path::Path;

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use serde_json::Value;

use crate::domain::phone::{NumberingPlan, Region};
use crate::domain::time_zone::BookZone;
use crate::model::{
    Author, BackupReport, ChangeAction, ChangeLogQuery, ChangeRecord, FieldChange, IntegrityReport,
    NewChange, OpenOptions, SqlRows, SqlValue,
};
use crate::store::sqlite::SqliteStore;
use crate::store::{Store, Write, WriteBatch, is_postgres_url};
use crate::{EntityKind, Error, Result};

mod billing;
mod copy;
mod customers;
mod duplicates;
mod entries;
mod event_import;
mod export;
mod feedback;
mod fieldday;
mod history;
mod journey;
mod merge;
mod operations;
mod outbox;
mod routing;
mod secrets;
#[cfg(feature = "spreadsheet")]
mod spreadsheet;
mod technicians;
mod timeline;
mod turnover;

pub use billing::{MAX_BILLING_DAYS, MAX_CHEMICAL_PRICES, MAX_INVOICE_BATCH};
pub use copy::{CopySummary, copy_book};
pub use customers::{
    LocationTransfer, MAX_CUSTOMER_BATCH, MAX_SEARCH_QUERY_CHARS, MAX_SEARCH_RESULTS,
    MAX_SEARCH_WORDS,
};
pub use entries::{MAX_ENTRY_BATCH, MAX_PHOTO_URI_CHARS};
pub use event_import::{
    EventMapping, EventTarget, ImportReport, MAX_EVENT_LINE_BYTES, MAX_IMPORT_EVENTS, RejectedLine,
    SEGMENT_SOURCE,
};
pub use export::MAX_BOOK_FILE_LINE_BYTES;
pub use feedback::{
    DEFAULT_FEEDBACK_TOPICS, FeedbackFollowUp, MAX_FEEDBACK_TOPICS, NO_TOPIC, TopicReport,
};
pub use fieldday::{BodyOfWaterCard, ReadingTrend, Route, StopCard, VisitSummary};
pub use history::{MAX_NOTE_CHARS, MAX_VISIT_MINUTES, ReadingPoint, WaterAssessment};
pub use journey::{MAX_TOUCHPOINT_BATCH, MAX_TOUCHPOINT_PAGE};
pub(crate) use journey::{TouchpointChecker, link_change};
pub use outbox::MAX_OUTBOX_HORIZON_MINUTES;
pub use routing::{DrivingRoute, MAX_ROUTE_STOPS, RouteStop};
pub use secrets::{MAX_REVEAL_PAGE, MAX_REVEAL_REASON_CHARS};
pub use timeline::{MAX_TIMELINE_PAGE, TimelineItem, TimelinePage, TimelineQuery};

/// The setting holding the region national phone numbers are read in.
const DEFAULT_REGION_KEY: &str = "default_region";
/// The setting holding the book's time zone.
const TIME_ZONE_KEY: &str = "time_zone";

/// A customer book: the company's records, in one store.
///
/// `Book` is `Send + Sync`: share one between threads (in an `Arc`). Every
/// call blocks until the store answers (from Kotlin and Swift: call it off
/// the UI thread). Every write takes an [`Author`] and lands in one
/// transaction with its change-log rows.
///
/// ```
/// use poolbook::{Author, Book, CustomerKind, NewCustomer, Note};
///
/// # fn main() -> poolbook::Result<()> {
/// let book = Book::open_in_memory()?;
/// let office = Author::office("dana");
/// let maria = book.create_customer(NewCustomer::new(CustomerKind::Residential, "Maria Lopez"), &office)?;
/// book.add_note(Note::new(maria.id, "Text before each visit"), &office)?;
/// assert_eq!(book.balance(maria.id)?, rust_decimal::Decimal::ZERO);
/// # Ok(())
/// # }
/// ```
///
/// The operations, by purpose:
///
/// - **Opening and settings**: [`Book::open`], [`Book::open_in_memory`],
///   [`Book::with_store`], [`Book::close`], [`Book::backup_to`]; [`Book::default_region`] /
///   [`Book::set_default_region`], [`Book::time_zone`] /
///   [`Book::set_time_zone`].
/// - **Customer records**: [`Book::create_customer`], [`Book::customer`],
///   [`Book::update_customer`], [`Book::archive_customer`],
///   [`Book::restore_customer`], [`Book::list_customers`],
///   [`Book::search_customers`], [`Book::transfer_location`].
/// - **Technicians**: [`Book::add_technician`], [`Book::update_technician`],
///   [`Book::technician`], [`Book::technicians`], [`Book::author_name`],
///   [`Book::reassign_plans`], [`Book::deactivate_technician`].
/// - **History**: [`Book::record_visit`], [`Book::assess_visit`],
///   [`Book::readings_series`], [`Book::record_message`],
///   [`Book::open_issue`], [`Book::resolve_issue`], [`Book::add_note`],
///   [`Book::record_feedback`], [`Book::entry`], [`Book::archive_entry`],
///   [`Book::restore_entry`], [`Book::timeline`].
/// - **The ledger**: [`Book::add_invoice`], [`Book::record_payment`],
///   [`Book::add_credit`], [`Book::ledger`], [`Book::balance`],
///   [`Book::invoice_balances`], [`Book::statement`], [`Book::aging`],
///   [`Book::void_invoice`], [`Book::refund_payment`], [`Book::apply_payment`].
/// - **Billing**: [`Book::billing_settings`], [`Book::set_billing_settings`],
///   [`Book::draft_invoices`], [`Book::issue_invoices`].
/// - **The field day**: [`Book::stop_card`], [`Book::route`], [`Book::ordered_route`],
///   [`Book::target_profiles`], [`Book::put_target_profile`].
/// - **The journey**: [`Book::record_touchpoints`], [`Book::touchpoints`],
///   [`Book::link_visitor`], [`Book::unlink_visitor`], [`Book::stage_map`],
///   [`Book::set_stage_map`], [`Book::unmapped_actions`],
///   [`Book::import_segment_events`].
/// - **Analytics**: [`Book::funnel`], [`Book::attribution`],
///   [`Book::lead_response_times`], [`Book::save_segment`],
///   [`Book::segments`], [`Book::segment_members`],
///   [`Book::evaluate_segment`].
/// - **Data quality**: [`Book::duplicate_candidates`],
///   [`Book::decide_duplicate`], [`Book::merge_customers`],
///   [`Book::unmerge_customer`], [`Book::resolve_customer`],
///   [`Book::quality_report`].
/// - **The change log**: [`Book::change_log`].
#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct Book {
    pub(crate) store: Box<dyn Store>,
    /// The data key while the book is unlocked ([`Book::unlock`]).
    keys: std::sync::RwLock<Option<std::sync::Arc<secrets::Unlocked>>>,
    /// The device or app the book is open on, for the audit of reveals.
    device: Option<String>,
}

impl std::fmt::Debug for Book {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Book").finish_non_exhaustive()
    }
}

/// The store for `path`: a PostgreSQL database for a `postgres://` or
/// `postgresql://` URL (feature `postgres`), otherwise a SQLite file.
fn open_store(path: &Path, options: &OpenOptions) -> Result<Box<dyn Store>> {
    if let Some(url) = path.to_str().filter(|text| is_postgres_url(text)) {
        #[cfg(feature = "postgres")]
        return Ok(Box::new(crate::store::postgres::PgStore::open_with(
            url, options,
        )?));
        #[cfg(not(feature = "postgres"))]
        return Err(Error::invalid(
            "path",
            format!(
                "is a PostgreSQL URL ({}…), and this poolbook was built without its \
                 `postgres` feature (phones never carry it)",
                url.split("://").next().unwrap_or("postgres")
            ),
        ));
    }
    Ok(Box::new(SqliteStore::open_with(path, options)?))
}

impl Book {
    /// Opens (or creates) the book at `path`: a SQLite file, or, with the
    /// `postgres` feature, a PostgreSQL database named by a URL
    /// (`postgresql://user:password@host/database`; see
    /// `PgStore`). Either way it is the same `Book`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Book::open_with(path, &OpenOptions::default())
    }

    /// Opens the book file at `path` for reading only: for an analyst, a
    /// report or a backup being checked. Nothing in the file changes, every
    /// write fails with [`Error::ReadOnly`](crate::Error::ReadOnly), and
    /// opening waits for no other process. The file must exist and have
    /// been opened once by this poolbook (so its schema is current).
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Self> {
        let options = OpenOptions {
            read_only: true,
            ..OpenOptions::default()
        };
        Book::open_with(path, &options)
    }

    /// Opens the book file at `path` as `options` say: read-write or
    /// read-only, how long a write waits for another process's lock, and
    /// whether the file is checked with SQLite's `quick_check` first (by
    /// default files up to 64 MiB are; a damaged one is
    /// [`Error::Corrupt`](crate::Error::Corrupt) and is left unchanged).
    /// [`Book::open`] and [`Book::open_read_only`] are this with the
    /// default options.
    pub fn open_with(path: impl AsRef<Path>, options: &OpenOptions) -> Result<Self> {
        let device = options
            .device
            .as_deref()
            .map(str::trim)
            .filter(|device| !device.is_empty());
        if device.is_some_and(|device| device.chars().count() > 200) {
            return Err(Error::invalid(
                "options.device",
                "is longer than 200 characters",
            ));
        }
        let mut book = Book::with_boxed_store(open_store(path.as_ref(), options)?);
        book.device = device.map(str::to_owned);
        if !options.read_only {
            book.backfill_operations()?;
        }
        Ok(book)
    }

    /// Writes a backup of the book to the new file `path`: a consistent
    /// snapshot taken while readers and a writer keep working (in one read
    /// transaction), with sealed secrets as they are and no free pages, then
    /// checked with SQLite's `integrity_check` before it is reported.
    /// Restoring is opening that file ([`Book::open`]). An existing file is
    /// never overwritten (`Invalid` naming `path`); a copy that fails its
    /// check is removed and reported as [`Error::Corrupt`].
    pub fn backup_to(&self, path: impl AsRef<Path>) -> Result<BackupReport> {
        self.store.backup_to(path.as_ref())
    }

    /// A book over any [`Store`].
    pub fn with_store(store: impl Store + 'static) -> Self {
        Book::with_boxed_store(Box::new(store))
    }

    fn with_boxed_store(store: Box<dyn Store>) -> Self {
        Book {
            store,
            keys: std::sync::RwLock::new(None),
            device: None,
        }
    }

    /// The book's time zone, for "today", due dates and the field day.
    pub(crate) fn tz(&self) -> Result<BookZone> {
        let name = self.store.setting(TIME_ZONE_KEY)?;
        Ok(name
            .as_deref()
            .and_then(BookZone::find)
            .unwrap_or_else(BookZone::utc))
    }

    /// Today's date in the book's time zone.
    pub(crate) fn today(&self) -> Result<NaiveDate> {
        Ok(self.tz()?.date_of(Utc::now()))
    }

    /// Writes a book-wide setting and its change-log row.
    fn put_setting(&self, key: &str, before: &str, after: &str, author: &Author) -> Result<()> {
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes: vec![Write::PutSetting {
                key: key.to_owned(),
                value: after.to_owned(),
            }],
            changes: vec![NewChange {
                entity: EntityKind::Setting,
                entity_id: key.to_owned(),
                customer_id: None,
                action: ChangeAction::Updated,
                changes: vec![FieldChange {
                    field: "value".to_owned(),
                    before: Value::from(before),
                    after: Value::from(after),
                    secret: false,
                }],
            }],
        })?;
        Ok(())
    }

    /// The numbering plan national phone numbers are read in.
    pub(crate) fn numbering_plan(&self) -> Result<&'static NumberingPlan> {
        let code = self.store.setting(DEFAULT_REGION_KEY)?;
        NumberingPlan::find(code.as_deref().unwrap_or("US"))
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// A new, empty book in memory.
    #[cfg_attr(feature = "uniffi", uniffi::constructor)]
    pub fn open_in_memory() -> Result<Self> {
        let book = Book::with_store(SqliteStore::open_in_memory()?);
        book.backfill_operations()?;
        Ok(book)
    }

    /// Reads the whole book back and reports anything damaged: SQLite's
    /// integrity check, the search index, every customer, history entry
    /// and touchpoint decoded as the book reads them, and a change-log row
    /// for every record. It changes nothing (a read-only book can be
    /// checked); on 50,000 customers it takes seconds, not a call to make
    /// on every open.
    pub fn check_integrity(&self) -> Result<IntegrityReport> {
        self.store.check_integrity()
    }

    /// Runs one read-only SQL statement over the book file with `params`
    /// (`?1`, `?2`, … or `?`) and returns its columns and rows: for an
    /// analyst who wants the tables as they are, through poolbook's own
    /// SQLite (a second SQLite library in one process, such as Python's
    /// `sqlite3`, must not open the book; see the README). The statement may
    /// only read: writes, schema changes, ATTACH, transactions, pragmas that
    /// set a value and any read of the secrets table are refused as
    /// [`Error::Invalid`] naming `query`, as are syntax errors; at most
    /// [`MAX_SQL_ROWS`](crate::MAX_SQL_ROWS) rows come back.
    pub fn sql(&self, query: &str, params: Vec<SqlValue>) -> Result<SqlRows> {
        self.store.sql(query, &params)
    }

    /// Closes the book; later calls fail with [`Error::Closed`].
    pub fn close(&self) -> Result<()> {
        self.store.close()
    }

    /// The region national phone numbers are read in (e.g. `US`).
    pub fn default_region(&self) -> Result<Region> {
        self.numbering_plan()
            .map(|plan| Region::from_code(plan.code()))?
    }

    /// Sets the region national phone numbers are read in. Numbers already
    /// stored keep their E.164 form.
    pub fn set_default_region(&self, code: &str, author: &Author) -> Result<()> {
        author.check()?;
        let before = self.numbering_plan()?;
        let region = NumberingPlan::find(code)?;
        if region == before {
            return Ok(());
        }
        self.put_setting(DEFAULT_REGION_KEY, before.code(), region.code(), author)
    }

    /// The book's time zone, an IANA name (`America/Phoenix`; `UTC` until
    /// set). "Today", overdue invoices on the stop card and the field day are
    /// reckoned in it; instants are stored in UTC whatever it is.
    pub fn time_zone(&self) -> Result<String> {
        Ok(self.tz()?.name().to_owned())
    }

    /// Sets the book's time zone by its IANA name (`America/Phoenix`,
    /// `Europe/London`).
    pub fn set_time_zone(&self, name: &str, author: &Author) -> Result<()> {
        author.check()?;
        let zone = BookZone::find(name).ok_or_else(|| {
            Error::invalid(
                "time_zone",
                "is not an IANA time zone name such as America/Phoenix",
            )
        })?;
        let before = self.tz()?;
        if zone == before {
            return Ok(());
        }
        self.put_setting(TIME_ZONE_KEY, before.name(), zone.name(), author)
    }

    /// Reads the change log (see [`ChangeLogQuery`]); oldest first.
    pub fn change_log(&self, query: &ChangeLogQuery) -> Result<Vec<ChangeRecord>> {
        check_page_limit(query.limit, MAX_CHANGE_LOG_PAGE)?;
        if query.entity_id.is_some() && query.entity.is_none() {
            return Err(Error::invalid("entity", "is required with entity_id"));
        }
        self.store.change_log(query)
    }
}

/// Refuses a page `limit` of 0 or above `max`.
pub(crate) fn check_page_limit(limit: Option<u32>, max: u32) -> Result<()> {
    if limit.is_some_and(|limit| limit == 0 || limit > max) {
        return Err(Error::invalid(
            "limit",
            format!("must be between 1 and {max}"),
        ));
    }
    Ok(())
}

/// The most change-log rows one call returns.
pub const MAX_CHANGE_LOG_PAGE: u32 = 10_000;

/// Now, to the microsecond the store keeps.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
