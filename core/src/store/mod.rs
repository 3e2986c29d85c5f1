//! The `Store` trait: the narrow set of reads and writes the domain needs.
//!
//! Domain logic (validation, diffs, the change log's content) lives in
//! [`crate::Book`] and is written once over this trait; a store only keeps
//! records and answers queries. SQL dialect stays inside each store.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::domain::chemistry::TargetProfile;
use crate::domain::search::{SearchHit, SearchTerms};
use crate::model::{
    Actor, Author, BackupReport, ChangeAction, ChangeLogQuery, ChangeRecord, CountDimension,
    Customer, CustomerKind, CustomerQuery, Direction, DuplicateDecision, Entry, EntryQuery,
    ImportBatch, ImportKey, ImportMapping, IntegrityReport, JourneyChannel, LifecycleStatus,
    LinkageRecord, MergeRecord, NewChange, NotableChangeQuery, OutboxQuery, OutboxRecord, Period,
    RecordMove, SecretField, SecretReveal, SecretRevealQuery, Segment, ServicePlan, SqlRows,
    SqlValue, Stage, StoredEntry, Technician, Touchpoint, TouchpointCount, TouchpointQuery,
};
use crate::{CustomerId, EntityKind, EntryId, Error, LocationId, Result, Secret, TechnicianId};

#[cfg(feature = "postgres")]
pub(crate) mod postgres;
pub(crate) mod selection;
pub(crate) mod sqlite;

pub use selection::{STATUS_ACTIONS, StatusChange, TouchpointSelection};

/// Whether `text` is a PostgreSQL connection URL (`postgres://…` or
/// `postgresql://…`, any case), which [`crate::Book::open`] opens on a
/// server rather than as a file.
pub(crate) fn is_postgres_url(text: &str) -> bool {
    let scheme = text.split_once("://").map_or("", |(scheme, _)| scheme);
    scheme.eq_ignore_ascii_case("postgres") || scheme.eq_ignore_ascii_case("postgresql")
}

/// Storage for a book. Implementations must be safe to share across threads
/// and must apply each [`WriteBatch`] atomically: all of it or none of it.
pub trait Store: Send + Sync {
    /// A customer with its live contacts, locations and bodies of water
    /// (archived or not), or `None`.
    fn customer(&self, id: CustomerId) -> Result<Option<Customer>>;

    /// Reads the whole book back and checks it (the storage's own check,
    /// indexes, every record decodable, a change-log row for every record),
    /// changing nothing.
    fn check_integrity(&self) -> Result<IntegrityReport>;

    /// Runs one read-only SQL statement with `params` and returns its rows;
    /// it must not read secrets. The default refuses: a store that offers
    /// SQL says so by implementing it.
    fn sql(&self, query: &str, params: &[SqlValue]) -> Result<SqlRows> {
        let _ = (query, params);
        Err(Error::invalid("query", "this store does not run SQL"))
    }

    /// Writes a consistent snapshot of the book to the new file `path`
    /// while readers and a writer keep working, checks the copy with the
    /// storage's own integrity check, and says what it holds. A copy that
    /// fails its check is removed and reported as [`Error::Corrupt`]. The
    /// default refuses: a store that backs up to a file says so by
    /// implementing it.
    fn backup_to(&self, path: &std::path::Path) -> Result<BackupReport> {
        let _ = path;
        Err(Error::invalid(
            "path",
            "this store does not back up to a file",
        ))
    }

    /// The book's data key, if one was made.
    fn book_key(&self) -> Result<Option<StoredKey>>;

    /// Every secret still in plain text (a book from before sealing, until
    /// it is first unlocked).
    fn plain_secrets(&self) -> Result<Vec<StoredSecret>>;

    /// Every sealed secret (for a data-key rotation).
    fn sealed_secrets(&self) -> Result<Vec<StoredSecret>>;

    /// Reveals of secrets matching `query`, newest first.
    fn secret_reveals(&self, query: &SecretRevealQuery) -> Result<Vec<SecretReveal>>;

    /// Leaves no earlier copy of rewritten rows in side files (SQLite: folds
    /// the write-ahead log into the book file and truncates it). The default
    /// does nothing.
    fn purge_old_copies(&self) -> Result<()> {
        Ok(())
    }

    /// The customers among `ids` that exist, archived or not, in any order.
    /// The default reads them one at a time; a store should read many at once.
    fn customers_by_id(&self, ids: &[CustomerId]) -> Result<Vec<Customer>> {
        ids.iter()
            .filter_map(|&id| self.customer(id).transpose())
            .collect()
    }

    /// Customers matching `query`, ordered by id, at most `query.limit`.
    fn customers(&self, query: &CustomerQuery) -> Result<Vec<Customer>>;

    /// Live (not archived) customers matching `terms`, best first.
    fn search(&self, terms: &SearchTerms, limit: u32) -> Result<Vec<SearchHit>>;

    /// The distinct words indexed from customers' names and addresses (as
    /// [`SearchDocument`](crate::domain::search::SearchDocument) folds
    /// them) that begin with any of `initials`, in any order: what
    /// [`SearchTerms::with_corrections`] forgives typos against.
    fn search_vocabulary(&self, initials: &[char]) -> Result<Vec<String>>;

    /// Ids of the customer's archived contacts, locations and bodies of water.
    fn archived_parts(&self, id: CustomerId) -> Result<Vec<String>>;

    /// The customer a location currently belongs to.
    fn location_owner(&self, id: LocationId) -> Result<Option<CustomerId>>;

    /// A technician, or `None`.
    fn technician(&self, id: TechnicianId) -> Result<Option<Technician>>;

    /// All technicians ordered by name; inactive ones only if asked.
    fn technicians(&self, include_inactive: bool) -> Result<Vec<Technician>>;

    /// A book-wide setting.
    fn setting(&self, key: &str) -> Result<Option<String>>;

    /// Change-log rows matching `query`, oldest first.
    fn change_log(&self, query: &ChangeLogQuery) -> Result<Vec<ChangeRecord>>;

    /// Change-log rows (not creations) a person reading a timeline cares about (see
    /// [`crate::model::NOTABLE_FIELDS`]) for a customer or a location,
    /// newest first, strictly before `before`.
    fn notable_changes(&self, query: &NotableChangeQuery) -> Result<Vec<ChangeRecord>>;

    /// One history entry, archived or not.
    fn entry(&self, id: EntryId) -> Result<Option<StoredEntry>>;

    /// History entries matching `query`.
    fn entries(&self, query: &EntryQuery) -> Result<Vec<StoredEntry>>;

    /// Live locations whose service plan names `technician_id`, with their
    /// customers, for customers that are active and not archived.
    fn planned_locations(
        &self,
        technician_id: TechnicianId,
    ) -> Result<Vec<(CustomerId, LocationId)>>;

    /// Live locations whose service plan names `technician_id`, with their
    /// customers, whatever the customer's status (archived customers
    /// included): every plan a technician's turnover must move.
    fn technician_plans(
        &self,
        technician_id: TechnicianId,
    ) -> Result<Vec<(CustomerId, LocationId)>>;

    /// Which of `keys` an issued invoice already bills (see
    /// [`Write::MarkBilled`]), in any order.
    fn billed_items(&self, keys: &[String]) -> Result<Vec<String>>;

    /// The largest invoice number written only in digits (0 when there is
    /// none): where the book-wide invoice sequence continues.
    fn last_invoice_number(&self) -> Result<u64>;

    /// The stored chemistry target profiles (empty until one is saved).
    fn target_profiles(&self) -> Result<Vec<TargetProfile>>;

    /// Touchpoints matching `query`.
    fn touchpoints(&self, query: &TouchpointQuery) -> Result<Vec<Touchpoint>>;

    /// The customer an anonymous visitor has been linked to.
    fn visitor_link(&self, visitor_id: &str) -> Result<Option<CustomerId>>;

    /// Every touchpoint in `[since, until)`, person by person, each person's
    /// in time order: the one pass journey analytics make. `visit` is told
    /// when a row starts a new person (a customer, or a visitor not linked
    /// to one).
    fn scan_journeys(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        visit: &mut dyn FnMut(bool, JourneyRow) -> Result<()>,
    ) -> Result<()>;

    /// [`Store::scan_journeys`] split by person: each of `visits` is given
    /// every touchpoint of a disjoint range of people (the first the first
    /// people of one scan, and so on), all read from one snapshot of the
    /// book, perhaps on threads of their own. A store may use
    /// fewer parts than offered (a small book gets one); every person goes to
    /// exactly one. The default scans everyone into the first.
    fn scan_journeys_in_parts(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        visits: &mut [&mut JourneyVisit<'_>],
    ) -> Result<()> {
        scan_journeys_in_one_part(self, since, until, visits)
    }

    /// Touchpoints across the book matching `selection` (archived ones
    /// left out), oldest first by time then id, after `selection.after`, at
    /// most `selection.limit`. The default reads [`Store::touchpoints`] and
    /// filters; a store should select in its own query language.
    fn select_touchpoints(&self, selection: &TouchpointSelection) -> Result<Vec<Touchpoint>> {
        selection::select_by_reading(self, selection)
    }

    /// Counts of the touchpoints `selection` selects (ignoring its `after`
    /// and `limit`), grouped by `period` (UTC days, Monday weeks, months)
    /// and the dimensions `by`, ordered by period then group. The default
    /// groups what [`Store::select_touchpoints`] reads; a store should
    /// group in its own query language.
    fn count_touchpoints(
        &self,
        selection: &TouchpointSelection,
        period: Option<Period>,
        by: &[CountDimension],
    ) -> Result<Vec<TouchpointCount>> {
        selection::count_by_reading(self, selection, period, by)
    }

    /// Every customer's status changes (their `customer_created`,
    /// `converted`, `churned` and `status_changed` touchpoints, archived ones
    /// left out) before `until`, by time then id. The default reads them
    /// with [`Store::select_touchpoints`]; a store should read only the
    /// fields a [`StatusChange`] has.
    fn status_changes(&self, until: Option<DateTime<Utc>>) -> Result<Vec<StatusChange>> {
        selection::status_changes_by_reading(self, until)
    }

    /// Every live customer's name, live contacts and live locations'
    /// addresses, for duplicate detection. The default reads whole
    /// records; a store should read just these.
    fn linkage_records(&self) -> Result<Vec<LinkageRecord>> {
        let mut records = Vec::new();
        let mut after = None;
        loop {
            let page = self.customers(&CustomerQuery {
                after,
                limit: Some(1_000),
                ..CustomerQuery::default()
            })?;
            after = page.last().map(|customer| customer.id);
            let full = page.len() == 1_000;
            records.extend(page.into_iter().map(|customer| {
                LinkageRecord {
                    id: customer.id,
                    display_name: customer.display_name,
                    contacts: customer.contacts,
                    addresses: customer
                        .locations
                        .into_iter()
                        .map(|location| location.address)
                        .collect(),
                }
            }));
            if !full {
                return Ok(records);
            }
        }
    }

    /// Every pair the office decided about (duplicates confirmed or
    /// rejected).
    fn duplicate_decisions(&self) -> Result<Vec<DuplicateDecision>>;

    /// The latest merge of the customer `absorbed` (standing or undone).
    fn merge_of(&self, absorbed: CustomerId) -> Result<Option<MergeRecord>>;

    /// The visitors linked to a customer.
    fn visitors_of(&self, customer: CustomerId) -> Result<Vec<String>>;

    /// A short summary of every customer (archived ones included), for
    /// breakdowns and segments.
    fn customer_summaries(&self) -> Result<Vec<CustomerSummary>>;

    /// The saved segments, by name.
    fn segments(&self) -> Result<Vec<Segment>>;

    /// Outbox records matching `query`, by send time then key.
    fn outbox_records(&self, query: &OutboxQuery) -> Result<Vec<OutboxRecord>>;

    /// Every live location with a service plan of a live, active customer
    /// who asked for notice before visits, with that plan and the notice's
    /// lead time: what the outbox needs to find the visits due without
    /// reading every customer. The default reads every active customer; a
    /// store should select the rows in its own query language.
    fn notice_plans(&self) -> Result<Vec<NoticePlan>> {
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let page = self.customers(&CustomerQuery {
                status: Some(LifecycleStatus::Active),
                after,
                limit: Some(1000),
                ..CustomerQuery::default()
            })?;
            for customer in &page {
                let Some(notice) = &customer.preferences.notify_before_visit else {
                    continue;
                };
                for location in &customer.locations {
                    if let Some(plan) = &location.service_plan {
                        out.push(NoticePlan {
                            customer_id: customer.id,
                            location_id: location.id,
                            plan: plan.clone(),
                            lead_time_minutes: notice.lead_time_minutes,
                        });
                    }
                }
            }
            if page.len() < 1000 {
                return Ok(out);
            }
            after = page.last().map(|c| c.id);
        }
    }

    /// The row keys of spreadsheet imports under the mapping named `mapping`.
    fn import_keys(&self, mapping: &str) -> Result<Vec<ImportKey>>;

    /// A committed spreadsheet import, undone or not.
    fn import_batch(&self, id: &str) -> Result<Option<ImportBatch>>;

    /// The saved spreadsheet import mappings, by name.
    fn import_mappings(&self) -> Result<Vec<ImportMapping>>;

    /// Hands `sink` every record of the book, in an order a fresh store can
    /// write back with [`Store::import_records`]: for moving a book to another store
    /// ([`crate::copy_book`]). The default refuses: a store that can be
    /// moved from says so by implementing it.
    fn export(&self, sink: &mut dyn FnMut(BookRecord) -> Result<()>) -> Result<()> {
        let _ = sink;
        Err(Error::invalid(
            "from",
            "this store cannot export its records",
        ))
    }

    /// Applies every write and appends every change, in one transaction.
    fn apply(&self, batch: &WriteBatch) -> Result<Applied>;

    /// Stores, in one transaction, every record `feed` hands to the sink it
    /// is given, as it was (ids, versions, times and authors kept, the
    /// change-log rows appended in their order with their own times and
    /// authors): what another store exported ([`Store::export`]) or a book
    /// file holds. Each record is written as it arrives, so a book of any
    /// size passes through without being held in memory. If `feed` or a
    /// write fails, nothing is stored. `feed` is called once (never retried).
    fn import_records(&self, feed: &mut RecordFeed<'_>) -> Result<()>;

    /// Releases the store's resources; every later call fails with [`crate::Error::Closed`].
    fn close(&self) -> Result<()>;
}

/// Writes that land together, with the change-log rows describing them.
#[derive(Debug, Clone)]
pub struct WriteBatch {
    /// Who is writing.
    pub author: Author,
    /// When (stamped on every change-log row).
    pub at: DateTime<Utc>,
    /// The writes, applied in order.
    pub writes: Vec<Write>,
    /// What they change, for the log.
    pub changes: Vec<NewChange>,
}

/// One write within a [`WriteBatch`].
#[derive(Debug, Clone)]
pub enum Write {
    /// Stores a new customer; fails if any of its ids is taken.
    InsertCustomer(Customer),
    /// Replaces `previous` with `record` if the stored version is still
    /// `previous.version` (otherwise fails with a conflict). Contacts,
    /// locations and bodies of water missing from the record are archived;
    /// ones present are stored and, if archived, restored. A store may write
    /// only what differs from `previous`.
    UpdateCustomer {
        /// The record as it should be stored.
        record: Customer,
        /// The record as stored at the version the change is based on.
        previous: Box<Customer>,
    },
    /// Moves a location (with its bodies of water) from one customer to another.
    MoveLocation {
        /// The location.
        location_id: LocationId,
        /// Its current owner.
        from: CustomerId,
        /// Its new owner.
        to: CustomerId,
    },
    /// Stores a technician, new (`expected_version` is `None`) or replacing
    /// the stored version `expected_version`.
    PutTechnician {
        /// The record as it should be stored.
        record: Technician,
        /// The version the change is based on, for an update.
        expected_version: Option<i64>,
    },
    /// Stores a new history entry.
    InsertEntry(Entry),
    /// Replaces a stored history entry (an issue being resolved).
    UpdateEntry(Entry),
    /// Archives (`Some` time) or restores (`None`) a history entry, and
    /// with it the touchpoints it wrote (archived touchpoints are left out
    /// of every touchpoint read and journey scan).
    SetEntryArchived {
        /// The entry.
        id: EntryId,
        /// When it was archived, or `None` to restore it.
        archived_at: Option<DateTime<Utc>>,
    },
    /// Stores a chemistry target profile under its name.
    PutTargetProfile(TargetProfile),
    /// Stores touchpoints; one whose (source system, source event id) is
    /// already stored is skipped. A visitor already linked to a customer
    /// gets that customer.
    InsertTouchpoints(Vec<Touchpoint>),
    /// Links an anonymous visitor to a customer: the visitor's touchpoints
    /// move to the customer. Fails if the visitor is linked to someone else.
    LinkVisitor {
        /// The visitor.
        visitor_id: String,
        /// The customer.
        customer_id: CustomerId,
        /// When.
        at: DateTime<Utc>,
    },
    /// Restages the stored touchpoints of `action` whose stage is `from`
    /// (the old map's stage, or none) to `to`: the stage map changed.
    Restage {
        /// The action.
        action: String,
        /// The stage the old map gave it.
        from: Option<Stage>,
        /// The stage the new map gives it.
        to: Option<Stage>,
    },
    /// Marks a stored touchpoint as written by an entry's operation (it
    /// described the operation before the book wrote touchpoints for it).
    LinkTouchpointEntry {
        /// The touchpoint.
        touchpoint_id: EntryId,
        /// The entry.
        entry_id: EntryId,
    },
    /// Undoes a visitor's link: the touchpoints it moved go back to the visitor.
    UnlinkVisitor {
        /// The visitor.
        visitor_id: String,
    },
    /// Saves a segment under its name.
    PutSegment(Segment),
    /// Sets a book-wide setting.
    PutSetting {
        /// Setting name.
        key: String,
        /// New value.
        value: String,
    },
    /// Makes this the book's one data key (replacing any other).
    PutKey(StoredKey),
    /// Stores sealed secrets, one field of one location each, and removes
    /// any plain-text copy of those locations' secrets.
    PutSecrets(Vec<StoredSecret>),
    /// Appends a reveal of a secret to the audit.
    RecordReveal(SecretReveal),
    /// Stores an outbox record under its key: a new one, or the stored one
    /// with a new status, delivery, failure or reply (the rest of a stored
    /// record does not change).
    PutOutboxRecord(OutboxRecord),
    /// Records what an issued invoice bills; fails with
    /// [`Error::Invalid`] naming `billing_key` if another invoice already
    /// bills one of `keys`.
    MarkBilled {
        /// The invoice (inserted earlier in the batch).
        invoice_id: EntryId,
        /// Its customer.
        customer_id: CustomerId,
        /// What it bills (`visit:<id>`, `month:<location id>:2026-03`, …).
        keys: Vec<String>,
    },
    /// Forgets what a voided invoice billed, so it may be billed again.
    ReleaseBilled {
        /// The voided invoice.
        invoice_id: EntryId,
    },
    /// Moves the service plans of `locations` from one technician to
    /// another (or to none), raising each owning customer's version and
    /// update time to the batch's; fails with a conflict if any of them no
    /// longer names `from`.
    ReassignPlans {
        /// The technician the plans name now.
        from: TechnicianId,
        /// The technician they go to; `None` leaves them unassigned.
        to: Option<TechnicianId>,
        /// The locations whose plans move.
        locations: Vec<LocationId>,
    },
    /// Moves the listed contacts, history entries, touchpoints and visitor
    /// links from one customer to another (a merge, or its undo); fails if
    /// one does not belong to `from`.
    MoveRecords {
        /// Their current customer.
        from: CustomerId,
        /// Their new customer.
        to: CustomerId,
        /// What moves.
        records: RecordMove,
        /// Whether the list is all of `from`'s history, touchpoints and
        /// visitor links (a merge): if `from` still holds one once they
        /// are moved (another writer added it after the list was read),
        /// the batch fails with [`crate::Error::Busy`].
        everything: bool,
    },
    /// Stores the office's decision about a pair, replacing an earlier one.
    PutDuplicateDecision(DuplicateDecision),
    /// Stores a merge (or its undoing), replacing an earlier one of the
    /// same absorbed customer.
    PutMerge(Box<MergeRecord>),
    /// Stores a spreadsheet import's batch (new, or marked undone), sets
    /// row keys, and forgets the row keys of `drop_keys`' customers.
    PutImport {
        /// The batch.
        batch: Box<ImportBatch>,
        /// Row keys to set (replacing any of the same mapping and key).
        keys: Vec<ImportKey>,
        /// Customers whose row keys are forgotten (an undone creation).
        drop_keys: Vec<CustomerId>,
    },
    /// Saves a spreadsheet import mapping under its name.
    PutImportMapping(ImportMapping),
}

/// One record of a whole book as a store keeps it, for moving a book
/// between stores ([`Store::export`], [`Store::import_records`]) and for the book
/// file ([`crate::Book::export_book`]: one record a line, under the name
/// [`BookRecord::kind`] gives).
#[derive(Debug, Clone)]
pub enum BookRecord {
    /// A book-wide setting (the book's id among them: sealed secrets are
    /// bound to it).
    Setting {
        /// Setting name.
        key: String,
        /// Its value.
        value: String,
    },
    /// The book's data key, sealed under the host's key.
    Key(StoredKey),
    /// A technician.
    Technician(Technician),
    /// A customer with every contact, location (with its sealed codes) and
    /// body of water it has, archived ones too, in order.
    Customer {
        /// The record, archived parts included.
        record: Customer,
        /// Which of its parts are archived, and when.
        archived: Vec<ArchivedPart>,
    },
    /// A history entry, with who recorded it and whether it is archived.
    Entry(StoredEntry),
    /// A touchpoint, with who recorded it.
    Touchpoint {
        /// The touchpoint.
        touchpoint: Touchpoint,
        /// Who recorded it.
        author: Author,
        /// Whether its customer came from a visitor link (unlinking gives
        /// it back to the visitor).
        linked: bool,

        /// When it was archived with the entry that wrote it (`None`: live).
        archived_at: Option<DateTime<Utc>>,
    },
    /// An anonymous visitor linked to a customer.
    VisitorLink {
        /// The visitor.
        visitor_id: String,
        /// The customer.
        customer_id: CustomerId,
        /// When.
        at: DateTime<Utc>,
    },
    /// A chemistry target profile.
    TargetProfile(TargetProfile),
    /// A saved segment.
    Segment(Segment),
    /// The office's decision about a pair of customers (duplicates
    /// confirmed or rejected).
    DuplicateDecision(DuplicateDecision),
    /// A merge, standing or undone, with what it needs to be undone.
    Merge(Box<MergeRecord>),
    /// A committed spreadsheet import (what it created, and what it
    /// updated as it was before), undone or not: a moved book can still be
    /// undone.
    ImportBatch(ImportBatch),
    /// A spreadsheet import's row key: a moved book re-imports the same
    /// file without creating anything new. After the customers.
    ImportKey(ImportKey),
    /// A saved spreadsheet import mapping.
    ImportMapping(ImportMapping),
    /// One reveal of a secret, from the audit.
    Reveal(SecretReveal),
    /// A message of the outbox the host reported on (sent, delivered,
    /// failed, replied to), so it is not due again in the new store.
    OutboxRecord(OutboxRecord),
    /// An item an issued invoice bills (see [`Write::MarkBilled`]): a moved
    /// book must not bill it again.
    Billed {
        /// What is billed (`visit:<id>`, `month:<location id>:2026-03`, …).
        key: String,
        /// The invoice billing it.
        invoice_id: EntryId,
        /// Its customer.
        customer_id: CustomerId,
    },
    /// One change-log row (its sequence number is the target's to give).
    Change(StoredChange),
}

impl BookRecord {
    /// Every kind of record, in the order a store exports them.
    pub const KINDS: [&'static str; 18] = [
        "settings",
        "book_keys",
        "technicians",
        "customers",
        "history",
        "billed_items",
        "visitor_links",
        "touchpoints",
        "target_profiles",
        "segments",
        "duplicate_decisions",
        "customer_merges",
        "import_batches",
        "import_keys",
        "import_mappings",
        "secret_reveals",
        "outbox",
        "change_log",
    ];

    /// The name of this kind of record (one of [`BookRecord::KINDS`], named
    /// after the table that keeps it): a book file line's key and its
    /// count's name in the header.
    pub fn kind(&self) -> &'static str {
        match self {
            BookRecord::Setting { .. } => "settings",
            BookRecord::Key(_) => "book_keys",
            BookRecord::Technician(_) => "technicians",
            BookRecord::Customer { .. } => "customers",
            BookRecord::Entry(_) => "history",
            BookRecord::Touchpoint { .. } => "touchpoints",
            BookRecord::VisitorLink { .. } => "visitor_links",
            BookRecord::TargetProfile(_) => "target_profiles",
            BookRecord::Segment(_) => "segments",
            BookRecord::Billed { .. } => "billed_items",
            BookRecord::DuplicateDecision(_) => "duplicate_decisions",
            BookRecord::Merge(_) => "customer_merges",
            BookRecord::OutboxRecord(_) => "outbox",
            BookRecord::ImportBatch(_) => "import_batches",
            BookRecord::ImportKey(_) => "import_keys",
            BookRecord::ImportMapping(_) => "import_mappings",
            BookRecord::Reveal(_) => "secret_reveals",
            BookRecord::Change(_) => "change_log",
        }
    }
}

/// A contact, location or body of water of a customer that is archived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedPart {
    /// The part's id.
    pub id: String,
    /// When it was archived.
    pub archived_at: DateTime<Utc>,
}

/// A book's data key as stored: its id, the key sealed under the host's
/// key-encryption key, and the salt the key provider was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKey {
    /// The data key's id (in every blob it seals).
    pub id: String,
    /// The data key, sealed under the key-encryption key.
    pub wrapped: Vec<u8>,
    /// The salt handed to the key provider.
    pub salt: Vec<u8>,
    /// When the key was made or last wrapped.
    pub created_at: DateTime<Utc>,
}

/// A change-log row as a store keeps it, for moving a book: a
/// [`ChangeRecord`] whose field changes stay the JSON text stored. An export
/// writes them as they are, not parsed into values and encoded again (most
/// of a book's change log is the fields of created records); an import
/// checks that they read as field changes before it stores them.
#[derive(Debug, Clone)]
pub struct StoredChange {
    /// Position in the log it came from.
    pub seq: i64,
    /// When the change was made.
    pub at: DateTime<Utc>,
    /// Who made it.
    pub author: Author,
    /// Kind of entity changed.
    pub entity: EntityKind,
    /// Its id.
    pub entity_id: String,
    /// The customer account it belongs to, if any.
    pub customer_id: Option<CustomerId>,
    /// What happened.
    pub action: ChangeAction,
    /// The field changes ([`ChangeRecord::changes`]), as JSON.
    pub changes: Box<RawValue>,
}

impl StoredChange {
    /// The row with its field changes read, or why they do not read.
    pub fn into_parsed(self) -> serde_json::Result<ChangeRecord> {
        Ok(ChangeRecord {
            changes: serde_json::from_str(self.changes.get())?,
            seq: self.seq,
            at: self.at,
            author: self.author,
            entity: self.entity,
            entity_id: self.entity_id,
            customer_id: self.customer_id,
            action: self.action,
        })
    }
}

/// One secret of one location as stored: sealed, or plain text in a book
/// from before sealing that has not been unlocked yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSecret {
    /// The location.
    pub location_id: LocationId,
    /// Which of its secrets.
    pub field: SecretField,
    /// The secret.
    pub secret: Secret,
}

/// What a [`WriteBatch`] did beyond what it was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Applied {
    /// Touchpoints skipped because the same source event was already stored.
    pub skipped_touchpoints: usize,
}

/// The failure of a [`Write::MoveRecords`] of `everything` that leaves
/// records behind: another writer added them after the list was read.
pub(crate) fn records_left_behind() -> crate::Error {
    crate::Error::Busy {
        doing: "merging customers (another write gave the absorbed customer history, \
                touchpoints or visitor links while the merge was prepared)"
            .to_owned(),
        waited_ms: 0,
    }
}

/// A journey scan in one part: every touchpoint goes to the first of
/// `visits`, the others get nothing. The default of
/// [`Store::scan_journeys_in_parts`], and a store's fallback when it cannot
/// split.
pub(crate) fn scan_journeys_in_one_part<S: Store + ?Sized>(
    store: &S,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    visits: &mut [&mut JourneyVisit<'_>],
) -> Result<()> {
    match visits.first_mut() {
        Some(visit) => store.scan_journeys(since, until, &mut **visit),
        None => Ok(()),
    }
}

/// What [`Store::import_records`] reads a whole book from: it hands every
/// record, in [`Store::export`]'s order, to the sink it is given.
pub type RecordFeed<'a> =
    dyn FnMut(&mut dyn FnMut(BookRecord) -> Result<()>) -> Result<()> + Send + 'a;

/// What a part of a split journey scan calls with each touchpoint: whether it
/// starts a new person, and the row (see [`Store::scan_journeys_in_parts`]).
pub type JourneyVisit<'a> = dyn FnMut(bool, JourneyRow) -> Result<()> + Send + 'a;

/// One touchpoint as a journey scan sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct JourneyRow {
    /// The customer, once known.
    pub customer_id: Option<CustomerId>,
    /// When.
    pub at: DateTime<Utc>,
    /// What happened.
    pub action: String,
    /// Where.
    pub channel: JourneyChannel,
    /// The journey stage; `None` for an action the stage map did not know.
    pub stage: Option<Stage>,
    /// Inbound or outbound.
    pub direction: Direction,
    /// Who acted.
    pub actor: Actor,
    /// The visitor id, for a person not yet known as a customer.
    pub visitor_id: Option<String>,
    /// The campaign, if any.
    pub campaign: Option<String>,
}

/// A planned location of a customer who asked for notice before visits
/// (see [`Store::notice_plans`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticePlan {
    /// The customer.
    pub customer_id: CustomerId,
    /// The location.
    pub location_id: LocationId,
    /// Its service plan.
    pub plan: ServicePlan,
    /// Minutes before each visit the customer wants the notice.
    pub lead_time_minutes: u32,
}

/// What analytics need to know of a customer without loading the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerSummary {
    /// The customer.
    pub id: CustomerId,
    /// Display name.
    pub display_name: String,
    /// Account kind.
    pub kind: CustomerKind,
    /// Lifecycle status.
    pub status: LifecycleStatus,
    /// Tags.
    pub tags: Vec<String>,
    /// Whether the customer is archived.
    pub archived: bool,
}
