//! The store conformance suite (`poolbook::testing`, feature `testing`) run
//! against every store this workspace has: a SQLite file, SQLite in memory,
//! PostgreSQL (feature `postgres`, on the server `scripts/postgres` runs;
//! each case in a database of its own), and a store written outside core — `MeteredStore`, a decorator that
//! counts what a book writes and delegates to SQLite — which proves a
//! `Store` implemented in another crate can run the suite unchanged.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use poolbook::{
    Applied, Author, Book, ChangeLogQuery, ChangeRecord, Customer, CustomerId, CustomerKind,
    CustomerQuery, CustomerSummary, DuplicateDecision, EntryId, EntryQuery, JourneyRow,
    LinkageRecord, LocationId, MergeRecord, NewCustomer, NotableChangeQuery, Result, SearchHit,
    SearchTerms, Segment, SqliteStore, Store, StoredEntry, TargetProfile, Technician, TechnicianId,
    Touchpoint, TouchpointQuery, WriteBatch,
};

mod sqlite_file {
    poolbook::store_conformance_suite!(|| {
        let dir = tempfile::tempdir().expect("temporary directory");
        let book = poolbook::Book::open(dir.path().join("book.sqlite")).expect("open book file");
        (book, dir)
    });
}

mod sqlite_memory {
    poolbook::store_conformance_suite!(
        || poolbook::Book::open_in_memory().expect("open in-memory book")
    );
}

/// The PostgreSQL store, each case in a database of its own on the server
/// `scripts/postgres` runs.
#[cfg(feature = "postgres")]
mod postgres {
    poolbook::store_conformance_suite!(poolbook::testing::postgres::book);
}

mod metered_store {
    poolbook::store_conformance_suite!(|| poolbook::Book::with_store(super::MeteredStore::new()));
}

/// A `Store` from outside core: counts the batches and writes a book hands
/// its store (what an office server might export as metrics), and keeps the
/// records in SQLite.
struct MeteredStore {
    inner: SqliteStore,
    meter: Arc<Meter>,
}

/// What a `MeteredStore` has counted.
#[derive(Default)]
struct Meter {
    batches: AtomicU64,
    writes: AtomicU64,
}

impl MeteredStore {
    fn new() -> Self {
        MeteredStore {
            inner: SqliteStore::open_in_memory().expect("open in-memory store"),
            meter: Arc::default(),
        }
    }
}

impl Store for MeteredStore {
    fn customer(&self, id: CustomerId) -> Result<Option<Customer>> {
        self.inner.customer(id)
    }
    fn customers(&self, query: &CustomerQuery) -> Result<Vec<Customer>> {
        self.inner.customers(query)
    }
    fn check_integrity(&self) -> Result<poolbook::IntegrityReport> {
        self.inner.check_integrity()
    }
    fn search(&self, terms: &SearchTerms, limit: u32) -> Result<Vec<SearchHit>> {
        self.inner.search(terms, limit)
    }
    fn search_vocabulary(&self, initials: &[char]) -> Result<Vec<String>> {
        self.inner.search_vocabulary(initials)
    }
    fn archived_parts(&self, id: CustomerId) -> Result<Vec<String>> {
        self.inner.archived_parts(id)
    }
    fn location_owner(&self, id: LocationId) -> Result<Option<CustomerId>> {
        self.inner.location_owner(id)
    }
    fn technician(&self, id: TechnicianId) -> Result<Option<Technician>> {
        self.inner.technician(id)
    }
    fn technicians(&self, include_inactive: bool) -> Result<Vec<Technician>> {
        self.inner.technicians(include_inactive)
    }
    fn setting(&self, key: &str) -> Result<Option<String>> {
        self.inner.setting(key)
    }
    fn book_key(&self) -> Result<Option<poolbook::StoredKey>> {
        self.inner.book_key()
    }
    fn plain_secrets(&self) -> Result<Vec<poolbook::StoredSecret>> {
        self.inner.plain_secrets()
    }
    fn sealed_secrets(&self) -> Result<Vec<poolbook::StoredSecret>> {
        self.inner.sealed_secrets()
    }
    fn secret_reveals(
        &self,
        query: &poolbook::SecretRevealQuery,
    ) -> Result<Vec<poolbook::SecretReveal>> {
        self.inner.secret_reveals(query)
    }
    fn change_log(&self, query: &ChangeLogQuery) -> Result<Vec<ChangeRecord>> {
        self.inner.change_log(query)
    }
    fn notable_changes(&self, query: &NotableChangeQuery) -> Result<Vec<ChangeRecord>> {
        self.inner.notable_changes(query)
    }
    fn entry(&self, id: EntryId) -> Result<Option<StoredEntry>> {
        self.inner.entry(id)
    }
    fn entries(&self, query: &EntryQuery) -> Result<Vec<StoredEntry>> {
        self.inner.entries(query)
    }
    fn planned_locations(
        &self,
        technician_id: TechnicianId,
    ) -> Result<Vec<(CustomerId, LocationId)>> {
        self.inner.planned_locations(technician_id)
    }
    fn technician_plans(
        &self,
        technician_id: TechnicianId,
    ) -> Result<Vec<(CustomerId, LocationId)>> {
        self.inner.technician_plans(technician_id)
    }

    fn billed_items(&self, keys: &[String]) -> Result<Vec<String>> {
        self.inner.billed_items(keys)
    }

    fn last_invoice_number(&self) -> Result<u64> {
        self.inner.last_invoice_number()
    }

    fn target_profiles(&self) -> Result<Vec<TargetProfile>> {
        self.inner.target_profiles()
    }
    fn touchpoints(&self, query: &TouchpointQuery) -> Result<Vec<Touchpoint>> {
        self.inner.touchpoints(query)
    }
    fn visitor_link(&self, visitor_id: &str) -> Result<Option<CustomerId>> {
        self.inner.visitor_link(visitor_id)
    }
    fn scan_journeys(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        visit: &mut dyn FnMut(bool, JourneyRow) -> Result<()>,
    ) -> Result<()> {
        self.inner.scan_journeys(since, until, visit)
    }
    fn customer_summaries(&self) -> Result<Vec<CustomerSummary>> {
        self.inner.customer_summaries()
    }
    fn outbox_records(&self, query: &poolbook::OutboxQuery) -> Result<Vec<poolbook::OutboxRecord>> {
        self.inner.outbox_records(query)
    }
    fn segments(&self) -> Result<Vec<Segment>> {
        self.inner.segments()
    }
    fn linkage_records(&self) -> Result<Vec<LinkageRecord>> {
        self.inner.linkage_records()
    }
    fn duplicate_decisions(&self) -> Result<Vec<DuplicateDecision>> {
        self.inner.duplicate_decisions()
    }
    fn merge_of(&self, absorbed: CustomerId) -> Result<Option<MergeRecord>> {
        self.inner.merge_of(absorbed)
    }
    fn visitors_of(&self, customer: CustomerId) -> Result<Vec<String>> {
        self.inner.visitors_of(customer)
    }
    fn import_keys(&self, mapping: &str) -> Result<Vec<poolbook::ImportKey>> {
        self.inner.import_keys(mapping)
    }
    fn import_batch(&self, id: &str) -> Result<Option<poolbook::ImportBatch>> {
        self.inner.import_batch(id)
    }
    fn import_mappings(&self) -> Result<Vec<poolbook::ImportMapping>> {
        self.inner.import_mappings()
    }
    fn export(&self, sink: &mut dyn FnMut(poolbook::BookRecord) -> Result<()>) -> Result<()> {
        self.inner.export(sink)
    }
    fn import_records(&self, feed: &mut poolbook::RecordFeed<'_>) -> Result<()> {
        self.inner.import_records(feed)
    }
    fn apply(&self, batch: &WriteBatch) -> Result<Applied> {
        let applied = self.inner.apply(batch)?;
        self.meter.batches.fetch_add(1, Ordering::Relaxed);
        self.meter
            .writes
            .fetch_add(batch.writes.len() as u64, Ordering::Relaxed);
        Ok(applied)
    }
    fn close(&self) -> Result<()> {
        self.inner.close()
    }
}

#[test]
fn the_metered_store_counts_what_a_book_writes() {
    let store = MeteredStore::new();
    let meter = store.meter.clone();
    let book = Book::with_store(store);
    let office = Author::office("dana");
    for name in ["Maria Lopez", "Sam Lee"] {
        book.create_customer(NewCustomer::new(CustomerKind::Residential, name), &office)
            .unwrap();
    }
    assert_eq!(meter.batches.load(Ordering::Relaxed), 2);
    // Each customer, and its `customer_created` touchpoint in the same batch.
    assert_eq!(meter.writes.load(Ordering::Relaxed), 4);
}
