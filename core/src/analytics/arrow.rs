//! The book's tables as Arrow record batches and Parquet files, for
//! analysts (feature `arrow`): customers (flattened), contacts, locations,
//! bodies of water, visits with one column per reading, ledger entries,
//! touchpoints and the change log.
//!
//! Types are stable and documented per table ([`arrow_schema`]): instants
//! are `timestamp[us, UTC]`, calendar days `date32`, money
//! `decimal128(18, 4)`, closed sets of words (kinds, statuses, channels)
//! dictionary-encoded (`int8` keys over every word of the set, in the
//! set's order, so the dictionary is the same in every batch and file),
//! lists of text `list<utf8>`. No secret has a column. Batches are read
//! page by page from the store (at most [`ARROW_BATCH_ROWS`] records a
//! batch), so a book of millions of touchpoints never sits in memory at
//! once. Entries and touchpoints come newest first, the change log oldest
//! first, customers and their parts in customer order.

use std::ops::Deref;
use std::sync::Arc;

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::types::Int8Type;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Decimal128Array, DictionaryArray, Float64Array,
    Int8Array, Int64Array, RecordBatch, RecordBatchReader, StringArray, TimestampMicrosecondArray,
    UInt32Array,
};
use arrow_schema::{ArrowError, Field, Schema, SchemaRef};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::book::Book;
use crate::model::{
    ArchivedFilter, ArrowTable, ChangeLogQuery, ChangeRecord, Customer, CustomerQuery, Entry,
    EntryKind, EntryQuery, ScanPosition, StoredEntry, Touchpoint, TouchpointQuery,
};
use crate::{CustomerId, Error, Result};

/// The most records one batch holds (customers for the customer tables).
pub const ARROW_BATCH_ROWS: u32 = 8192;

/// The customers read per batch of the customer tables.
const CUSTOMER_PAGE: u32 = 1000;

/// Money's scale in Arrow: four decimal places, as the book keeps.
const MONEY_SCALE: i8 = 4;

/// Money's precision: up to 10^14, well above the largest amount a book takes.
const MONEY_PRECISION: u8 = 18;

/// A table of the book as a stream of record batches (an Arrow
/// `RecordBatchReader`), read from the store one page per batch. `B` is
/// how the stream holds the book: `&Book`, or an `Arc<Book>` for a stream
/// handed to another language.
pub struct ArrowBatches<B> {
    book: B,
    table: ArrowTable,
    schema: SchemaRef,
    position: Position,
    done: bool,
    /// Only this customer's rows.
    customer: Option<CustomerId>,
}

impl<B> std::fmt::Debug for ArrowBatches<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArrowBatches")
            .field("table", &self.table)
            .finish_non_exhaustive()
    }
}

/// Where the next page starts.
enum Position {
    Start,
    AfterCustomer(CustomerId),
    Before(ScanPosition),
    AfterSeq(i64),
}

/// The stream of `table`'s batches over `book` (see [`Book::to_arrow`]),
/// for a holder of the book such as an `Arc<Book>`.
pub fn arrow_batches<B: Deref<Target = Book>>(book: B, table: ArrowTable) -> ArrowBatches<B> {
    ArrowBatches {
        book,
        table,
        schema: arrow_schema(table),
        position: Position::Start,
        done: false,
        customer: None,
    }
}

/// The Arrow schema of `table`: its columns, types and nullability.
pub fn arrow_schema(table: ArrowTable) -> SchemaRef {
    let batch = match table {
        ArrowTable::Customers => customers(&[]),
        ArrowTable::Contacts => contacts(&[]),
        ArrowTable::Locations => locations(&[]),
        ArrowTable::BodiesOfWater => bodies(&[]),
        ArrowTable::Visits => visits(&[]),
        ArrowTable::Ledger => ledger(&[]),
        ArrowTable::Touchpoints => touchpoints(&[]),
        ArrowTable::ChangeLog => change_log(&[]),
    };
    batch.map_or_else(|_| Arc::new(Schema::empty()), |b| b.schema())
}

impl Book {
    /// `table` as a stream of Arrow record batches (see the module
    /// documentation of the types); read lazily, page by page.
    pub fn to_arrow(&self, table: ArrowTable) -> ArrowBatches<&Book> {
        arrow_batches(self, table)
    }

    /// Writes `table` to a Parquet file at `path` (ZSTD compressed), batch
    /// by batch as it is read; returns the rows written. The file appears
    /// whole or not at all.
    pub fn write_parquet(&self, table: ArrowTable, path: &str) -> Result<u64> {
        let target = std::path::PathBuf::from(path);
        let mut name = target.file_name().unwrap_or_default().to_os_string();
        name.push(".partial");
        let partial = target.with_file_name(name);
        let written = write_parquet_file(self.to_arrow(table), &partial);
        match written {
            Ok(rows) => {
                std::fs::rename(&partial, &target).map_err(|error| {
                    Error::storage("renaming the Parquet file into place", error)
                })?;
                Ok(rows)
            }
            Err(error) => {
                let _ = std::fs::remove_file(&partial);
                Err(error)
            }
        }
    }
}

fn write_parquet_file(batches: ArrowBatches<&Book>, path: &std::path::Path) -> Result<u64> {
    use parquet::arrow::ArrowWriter;
    use parquet::basic::{Compression, ZstdLevel};
    use parquet::file::properties::WriterProperties;
    let file = std::fs::File::create(path)
        .map_err(|error| Error::invalid("path", format!("cannot be written: {error}")))?;
    let properties = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .build();
    let parquet_error =
        |error: parquet::errors::ParquetError| Error::storage("writing the Parquet file", error);
    let mut writer =
        ArrowWriter::try_new(file, batches.schema(), Some(properties)).map_err(parquet_error)?;
    let mut rows = 0u64;
    for batch in batches {
        let batch = batch.map_err(from_arrow)?;
        rows += batch.num_rows() as u64;
        writer.write(&batch).map_err(parquet_error)?;
    }
    writer.close().map_err(parquet_error)?;
    Ok(rows)
}

/// The book's error inside an Arrow error, or an Arrow error as a storage error.
fn from_arrow(error: ArrowError) -> Error {
    match error {
        ArrowError::ExternalError(inner) => match inner.downcast::<Error>() {
            Ok(error) => *error,
            Err(other) => {
                Error::storage("building Arrow batches", ArrowError::ExternalError(other))
            }
        },
        other => Error::storage("building Arrow batches", other),
    }
}

impl<B: Deref<Target = Book>> Iterator for ArrowBatches<B> {
    type Item = std::result::Result<RecordBatch, ArrowError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.page() {
            Ok(Some(batch)) => Some(Ok(batch)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(error) => {
                self.done = true;
                Some(Err(ArrowError::ExternalError(Box::new(error))))
            }
        }
    }
}

impl<B: Deref<Target = Book>> RecordBatchReader for ArrowBatches<B> {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }
}

impl<B: Deref<Target = Book>> ArrowBatches<B> {
    /// Only the rows of one customer (its record and parts, its entries,
    /// its touchpoints, the change-log rows about it).
    pub fn for_customer(mut self, customer_id: CustomerId) -> Self {
        self.customer = Some(customer_id);
        self
    }

    /// The next non-empty batch, or `None` at the end.
    fn page(&mut self) -> Result<Option<RecordBatch>> {
        loop {
            let (batch, more) = match self.table {
                ArrowTable::Customers
                | ArrowTable::Contacts
                | ArrowTable::Locations
                | ArrowTable::BodiesOfWater => self.customer_page()?,
                ArrowTable::Visits => self.entry_page(&[EntryKind::Visit])?,
                ArrowTable::Ledger => {
                    self.entry_page(&[EntryKind::Invoice, EntryKind::Payment, EntryKind::Credit])?
                }
                ArrowTable::Touchpoints => self.touchpoint_page()?,
                ArrowTable::ChangeLog => self.change_page()?,
            };
            if !more {
                self.done = true;
            }
            if batch.num_rows() > 0 {
                return Ok(Some(batch));
            }
            if !more {
                return Ok(None);
            }
        }
    }

    fn customer_page(&mut self) -> Result<(RecordBatch, bool)> {
        let query = CustomerQuery {
            archived: ArchivedFilter::Include,
            after: match self.position {
                Position::AfterCustomer(id) => Some(id),
                _ => None,
            },
            limit: Some(CUSTOMER_PAGE),
            ..CustomerQuery::default()
        };
        let (page, more) = match self.customer {
            Some(id) => (self.book.store.customer(id)?.into_iter().collect(), false),
            None => {
                let page = self.book.store.customers(&query)?;
                let more = page.len() == CUSTOMER_PAGE as usize;
                (page, more)
            }
        };
        if let Some(last) = page.last() {
            self.position = Position::AfterCustomer(last.id);
        }
        let batch = match self.table {
            ArrowTable::Customers => customers(&page),
            ArrowTable::Contacts => contacts(&page),
            ArrowTable::Locations => locations(&page),
            _ => bodies(&page),
        };
        Ok((batch.map_err(from_arrow)?, more))
    }

    fn entry_page(&mut self, kinds: &[EntryKind]) -> Result<(RecordBatch, bool)> {
        let query = EntryQuery {
            customer_id: self.customer,
            kinds: kinds.to_vec(),
            include_archived: true,
            newest_first: true,
            before: match &self.position {
                Position::Before(at) => Some(at.clone()),
                _ => None,
            },
            limit: Some(ARROW_BATCH_ROWS),
            ..EntryQuery::default()
        };
        let page = self.book.store.entries(&query)?;
        let more = page.len() == ARROW_BATCH_ROWS as usize;
        if let Some(last) = page.last() {
            self.position = Position::Before(ScanPosition {
                at: last.entry.at(),
                key: format!("e:{}", last.entry.id()),
            });
        }
        let batch = if self.table == ArrowTable::Visits {
            visits(&page)
        } else {
            ledger(&page)
        };
        Ok((batch.map_err(from_arrow)?, more))
    }

    fn touchpoint_page(&mut self) -> Result<(RecordBatch, bool)> {
        let query = TouchpointQuery {
            customer_id: self.customer,
            newest_first: true,
            before: match &self.position {
                Position::Before(at) => Some(at.clone()),
                _ => None,
            },
            limit: Some(ARROW_BATCH_ROWS),
            ..TouchpointQuery::default()
        };
        let page = self.book.store.touchpoints(&query)?;
        let more = page.len() == ARROW_BATCH_ROWS as usize;
        if let Some(last) = page.last() {
            self.position = Position::Before(ScanPosition {
                at: last.at,
                key: format!("t:{}", last.id),
            });
        }
        Ok((touchpoints(&page).map_err(from_arrow)?, more))
    }

    fn change_page(&mut self) -> Result<(RecordBatch, bool)> {
        let query = ChangeLogQuery {
            customer_id: self.customer,
            after_seq: match self.position {
                Position::AfterSeq(seq) => Some(seq),
                _ => None,
            },
            limit: Some(ARROW_BATCH_ROWS),
            ..ChangeLogQuery::default()
        };
        let page = self.book.store.change_log(&query)?;
        let more = page.len() == ARROW_BATCH_ROWS as usize;
        if let Some(last) = page.last() {
            self.position = Position::AfterSeq(last.seq);
        }
        Ok((change_log(&page).map_err(from_arrow)?, more))
    }
}

/// Columns being gathered for one batch: each field with its array.
#[derive(Default)]
struct Columns {
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
}

impl Columns {
    fn push(&mut self, name: &str, nullable: bool, array: ArrayRef) {
        self.fields
            .push(Field::new(name, array.data_type().clone(), nullable));
        self.arrays.push(array);
    }

    fn text<S: AsRef<str>>(&mut self, name: &str, values: impl IntoIterator<Item = S>) {
        let array: StringArray = values
            .into_iter()
            .map(|v| Some(v.as_ref().to_owned()))
            .collect();
        self.push(name, false, Arc::new(array));
    }

    fn opt_text<S: AsRef<str>>(&mut self, name: &str, values: impl IntoIterator<Item = Option<S>>) {
        let array: StringArray = values
            .into_iter()
            .map(|v| v.map(|v| v.as_ref().to_owned()))
            .collect();
        self.push(name, true, Arc::new(array));
    }

    fn time(
        &mut self,
        name: &str,
        nullable: bool,
        values: impl IntoIterator<Item = Option<DateTime<Utc>>>,
    ) {
        let array = TimestampMicrosecondArray::from(
            values
                .into_iter()
                .map(|v| v.map(|at| at.timestamp_micros()))
                .collect::<Vec<_>>(),
        )
        .with_timezone("UTC");
        self.push(name, nullable, Arc::new(array));
    }

    fn day(&mut self, name: &str, values: impl IntoIterator<Item = Option<NaiveDate>>) {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
        let array: Date32Array = values
            .into_iter()
            .map(|v| v.map(|d| (d - epoch).num_days() as i32))
            .collect();
        self.push(name, true, Arc::new(array));
    }

    fn real(&mut self, name: &str, values: impl IntoIterator<Item = Option<f64>>) {
        let array: Float64Array = values.into_iter().collect();
        self.push(name, true, Arc::new(array));
    }

    fn int(&mut self, name: &str, values: impl IntoIterator<Item = i64>) {
        let array: Int64Array = values.into_iter().map(Some).collect();
        self.push(name, false, Arc::new(array));
    }

    fn count(&mut self, name: &str, nullable: bool, values: impl IntoIterator<Item = Option<u32>>) {
        let array: UInt32Array = values.into_iter().collect();
        self.push(name, nullable, Arc::new(array));
    }

    fn flag(&mut self, name: &str, values: impl IntoIterator<Item = bool>) {
        let array: BooleanArray = values.into_iter().map(Some).collect();
        self.push(name, false, Arc::new(array));
    }

    fn money(
        &mut self,
        name: &str,
        nullable: bool,
        values: impl IntoIterator<Item = Option<Decimal>>,
    ) -> std::result::Result<(), ArrowError> {
        let array = Decimal128Array::from(
            values
                .into_iter()
                .map(|v| {
                    v.map(|mut d| {
                        d.rescale(MONEY_SCALE as u32);
                        d.mantissa()
                    })
                })
                .collect::<Vec<_>>(),
        )
        .with_precision_and_scale(MONEY_PRECISION, MONEY_SCALE)?;
        self.push(name, nullable, Arc::new(array));
        Ok(())
    }

    fn words(&mut self, name: &str, values: impl IntoIterator<Item = Vec<String>>) {
        let mut builder = ListBuilder::new(StringBuilder::new());
        for list in values {
            for word in list {
                builder.values().append_value(word);
            }
            builder.append(true);
        }
        self.push(name, false, Arc::new(builder.finish()));
    }

    /// A dictionary-encoded column over every word of a closed set, in the
    /// set's order.
    fn enumerated<T: Copy + PartialEq>(
        &mut self,
        name: &str,
        nullable: bool,
        all: &[T],
        word: fn(T) -> &'static str,
        values: impl IntoIterator<Item = Option<T>>,
    ) -> std::result::Result<(), ArrowError> {
        let keys: Int8Array = values
            .into_iter()
            .map(|v| {
                v.and_then(|v| all.iter().position(|a| *a == v))
                    .map(|i| i as i8)
            })
            .collect();
        let words: StringArray = all.iter().map(|v| Some(word(*v))).collect();
        let array = DictionaryArray::<Int8Type>::try_new(keys, Arc::new(words))?;
        self.push(name, nullable, Arc::new(array));
        Ok(())
    }

    fn finish(self) -> std::result::Result<RecordBatch, ArrowError> {
        RecordBatch::try_new(Arc::new(Schema::new(self.fields)), self.arrays)
    }
}

use crate::EntityKind;
use crate::model::Setting as WaterSetting;
use crate::model::{
    Actor, AuthorKind, ChangeAction, ContactRole, CreditKind, CustomerKind, Direction, Frequency,
    JourneyChannel, LifecycleStatus, RateBasis, Sanitizer, SkipReason, Stage, Surface,
    VisitOutcome, WaterKind, Weekday,
};

fn customers(page: &[Customer]) -> std::result::Result<RecordBatch, ArrowError> {
    let mut c = Columns::default();
    c.text("id", page.iter().map(|r| r.id.to_string()));
    c.enumerated(
        "kind",
        false,
        CustomerKind::ALL,
        CustomerKind::as_str,
        page.iter().map(|r| Some(r.kind)),
    )?;
    c.text("display_name", page.iter().map(|r| &r.display_name));
    c.enumerated(
        "status",
        false,
        LifecycleStatus::ALL,
        LifecycleStatus::as_str,
        page.iter().map(|r| Some(r.status)),
    )?;
    c.money("rate", true, page.iter().map(|r| r.billing.rate))?;
    c.enumerated(
        "rate_basis",
        false,
        RateBasis::ALL,
        RateBasis::as_str,
        page.iter().map(|r| Some(r.billing.rate_basis)),
    )?;
    c.count(
        "terms_days",
        false,
        page.iter().map(|r| Some(r.billing.terms_days)),
    );
    c.words("tags", page.iter().map(|r| r.tags.clone()));
    let primary = |r: &Customer| r.primary_contact().or(r.contacts.first()).cloned();
    c.opt_text(
        "primary_contact",
        page.iter().map(|r| primary(r).map(|p| p.name)),
    );
    c.opt_text(
        "primary_phone",
        page.iter()
            .map(|r| primary(r).and_then(|p| p.phones.first().map(|p| p.number.clone()))),
    );
    c.opt_text(
        "primary_email",
        page.iter()
            .map(|r| primary(r).and_then(|p| p.emails.first().cloned())),
    );
    c.count(
        "contacts",
        false,
        page.iter().map(|r| Some(r.contacts.len() as u32)),
    );
    c.count(
        "locations",
        false,
        page.iter().map(|r| Some(r.locations.len() as u32)),
    );
    c.count(
        "bodies_of_water",
        false,
        page.iter().map(|r| {
            Some(
                r.locations
                    .iter()
                    .map(|l| l.bodies_of_water.len() as u32)
                    .sum(),
            )
        }),
    );
    c.time("created_at", false, page.iter().map(|r| Some(r.created_at)));
    c.time("updated_at", false, page.iter().map(|r| Some(r.updated_at)));
    c.time("archived_at", true, page.iter().map(|r| r.archived_at));
    c.int("version", page.iter().map(|r| r.version));
    c.finish()
}

fn contacts(page: &[Customer]) -> std::result::Result<RecordBatch, ArrowError> {
    let rows: Vec<_> = page
        .iter()
        .flat_map(|r| r.contacts.iter().map(move |contact| (r.id, contact)))
        .collect();
    let mut c = Columns::default();
    c.text("id", rows.iter().map(|(_, x)| x.id.to_string()));
    c.text("customer_id", rows.iter().map(|(id, _)| id.to_string()));
    c.text("name", rows.iter().map(|(_, x)| &x.name));
    c.enumerated(
        "role",
        false,
        ContactRole::ALL,
        ContactRole::as_str,
        rows.iter().map(|(_, x)| Some(x.role)),
    )?;
    c.flag("primary", rows.iter().map(|(_, x)| x.primary));
    c.words(
        "phones",
        rows.iter()
            .map(|(_, x)| x.phones.iter().map(|p| p.number.clone()).collect()),
    );
    c.words(
        "sms_phones",
        rows.iter().map(|(_, x)| {
            x.phones
                .iter()
                .filter(|p| p.sms_capable)
                .map(|p| p.number.clone())
                .collect()
        }),
    );
    c.words("emails", rows.iter().map(|(_, x)| x.emails.clone()));
    c.finish()
}

fn locations(page: &[Customer]) -> std::result::Result<RecordBatch, ArrowError> {
    let rows: Vec<_> = page
        .iter()
        .flat_map(|r| r.locations.iter().map(move |location| (r.id, location)))
        .collect();
    let mut c = Columns::default();
    c.text("id", rows.iter().map(|(_, x)| x.id.to_string()));
    c.text("customer_id", rows.iter().map(|(id, _)| id.to_string()));
    c.opt_text("label", rows.iter().map(|(_, x)| x.label.as_ref()));
    c.text("line1", rows.iter().map(|(_, x)| &x.address.line1));
    c.opt_text("line2", rows.iter().map(|(_, x)| x.address.line2.as_ref()));
    c.text("city", rows.iter().map(|(_, x)| &x.address.city));
    c.text("region", rows.iter().map(|(_, x)| &x.address.region));
    c.text(
        "postal_code",
        rows.iter().map(|(_, x)| &x.address.postal_code),
    );
    c.text("country", rows.iter().map(|(_, x)| &x.address.country));
    c.real(
        "latitude",
        rows.iter().map(|(_, x)| x.coordinates.map(|p| p.latitude)),
    );
    c.real(
        "longitude",
        rows.iter().map(|(_, x)| x.coordinates.map(|p| p.longitude)),
    );
    let plan = |x: &crate::model::ServiceLocation| x.service_plan.clone();
    c.enumerated(
        "plan_frequency",
        true,
        Frequency::ALL,
        Frequency::as_str,
        rows.iter().map(|(_, x)| plan(x).map(|p| p.frequency)),
    )?;
    c.enumerated(
        "plan_weekday",
        true,
        Weekday::ALL,
        Weekday::as_str,
        rows.iter()
            .map(|(_, x)| plan(x).and_then(|p| p.preferred_weekday)),
    )?;
    c.opt_text(
        "plan_technician_id",
        rows.iter()
            .map(|(_, x)| plan(x).and_then(|p| p.technician_id).map(|t| t.to_string())),
    );
    c.day(
        "plan_starts_on",
        rows.iter().map(|(_, x)| plan(x).map(|p| p.starts_on)),
    );
    c.day(
        "plan_ends_on",
        rows.iter().map(|(_, x)| plan(x).and_then(|p| p.ends_on)),
    );
    c.count(
        "pets",
        false,
        rows.iter().map(|(_, x)| Some(x.access.pets.len() as u32)),
    );
    c.count(
        "bodies_of_water",
        false,
        rows.iter()
            .map(|(_, x)| Some(x.bodies_of_water.len() as u32)),
    );
    c.finish()
}

fn bodies(page: &[Customer]) -> std::result::Result<RecordBatch, ArrowError> {
    let rows: Vec<_> = page
        .iter()
        .flat_map(|r| {
            r.locations
                .iter()
                .flat_map(move |l| l.bodies_of_water.iter().map(move |b| (r.id, l.id, b)))
        })
        .collect();
    let mut c = Columns::default();
    c.text("id", rows.iter().map(|(_, _, x)| x.id.to_string()));
    c.text("customer_id", rows.iter().map(|(id, _, _)| id.to_string()));
    c.text("location_id", rows.iter().map(|(_, id, _)| id.to_string()));
    c.text("name", rows.iter().map(|(_, _, x)| &x.name));
    c.enumerated(
        "kind",
        false,
        WaterKind::ALL,
        WaterKind::as_str,
        rows.iter().map(|(_, _, x)| Some(x.kind)),
    )?;
    c.real("gallons", rows.iter().map(|(_, _, x)| x.gallons));
    c.enumerated(
        "surface",
        true,
        Surface::ALL,
        Surface::as_str,
        rows.iter().map(|(_, _, x)| x.surface),
    )?;
    c.enumerated(
        "sanitizer",
        false,
        Sanitizer::ALL,
        Sanitizer::as_str,
        rows.iter().map(|(_, _, x)| Some(x.sanitizer)),
    )?;
    c.enumerated(
        "setting",
        false,
        WaterSetting::ALL,
        WaterSetting::as_str,
        rows.iter().map(|(_, _, x)| Some(x.setting)),
    )?;
    c.count(
        "equipment",
        false,
        rows.iter().map(|(_, _, x)| Some(x.equipment.len() as u32)),
    );
    c.finish()
}

fn visits(page: &[StoredEntry]) -> std::result::Result<RecordBatch, ArrowError> {
    let rows: Vec<_> = page
        .iter()
        .filter_map(|s| match &s.entry {
            Entry::Visit(visit) => Some((visit, s.archived_at.is_some())),
            _ => None,
        })
        .collect();
    let mut c = Columns::default();
    c.text("id", rows.iter().map(|(x, _)| x.id.to_string()));
    c.text(
        "customer_id",
        rows.iter().map(|(x, _)| x.customer_id.to_string()),
    );
    c.text(
        "location_id",
        rows.iter().map(|(x, _)| x.location_id.to_string()),
    );
    c.opt_text(
        "body_of_water_id",
        rows.iter()
            .map(|(x, _)| x.body_of_water_id.map(|id| id.to_string())),
    );
    c.opt_text(
        "technician_id",
        rows.iter()
            .map(|(x, _)| x.technician_id.map(|id| id.to_string())),
    );
    c.time("at", false, rows.iter().map(|(x, _)| Some(x.at)));
    c.enumerated(
        "outcome",
        false,
        VisitOutcome::ALL,
        VisitOutcome::as_str,
        rows.iter().map(|(x, _)| Some(x.outcome)),
    )?;
    c.enumerated(
        "skip_reason",
        true,
        SkipReason::ALL,
        SkipReason::as_str,
        rows.iter().map(|(x, _)| x.skip_reason),
    )?;
    let r = |x: &crate::model::Visit| x.readings;
    c.real(
        "free_chlorine",
        rows.iter().map(|(x, _)| r(x).free_chlorine),
    );
    c.real(
        "combined_chlorine",
        rows.iter().map(|(x, _)| r(x).combined_chlorine),
    );
    c.real("ph", rows.iter().map(|(x, _)| r(x).ph));
    c.real(
        "total_alkalinity",
        rows.iter().map(|(x, _)| r(x).total_alkalinity),
    );
    c.real(
        "cyanuric_acid",
        rows.iter().map(|(x, _)| r(x).cyanuric_acid),
    );
    c.real(
        "calcium_hardness",
        rows.iter().map(|(x, _)| r(x).calcium_hardness),
    );
    c.real("salt", rows.iter().map(|(x, _)| r(x).salt));
    c.real(
        "temperature_f",
        rows.iter().map(|(x, _)| r(x).temperature_f),
    );
    c.real("tds", rows.iter().map(|(x, _)| r(x).tds));
    c.real("phosphates", rows.iter().map(|(x, _)| r(x).phosphates));
    c.real("borate", rows.iter().map(|(x, _)| r(x).borate));
    c.count(
        "duration_minutes",
        true,
        rows.iter().map(|(x, _)| x.duration_minutes),
    );
    c.count(
        "chemicals",
        false,
        rows.iter().map(|(x, _)| Some(x.chemicals.len() as u32)),
    );
    c.opt_text("notes", rows.iter().map(|(x, _)| x.notes.as_ref()));
    c.flag("archived", rows.iter().map(|(_, archived)| *archived));
    c.finish()
}

fn ledger(page: &[StoredEntry]) -> std::result::Result<RecordBatch, ArrowError> {
    let rows: Vec<_> = page
        .iter()
        .filter(|s| {
            matches!(
                s.entry,
                Entry::Invoice(_) | Entry::Payment(_) | Entry::Credit(_)
            )
        })
        .collect();
    let mut c = Columns::default();
    c.text("id", rows.iter().map(|s| s.entry.id().to_string()));
    c.text(
        "customer_id",
        rows.iter().map(|s| s.entry.customer_id().to_string()),
    );
    c.time("at", false, rows.iter().map(|s| Some(s.entry.at())));
    c.enumerated(
        "kind",
        false,
        EntryKind::ALL,
        EntryKind::as_str,
        rows.iter().map(|s| Some(s.entry.kind())),
    )?;
    c.day(
        "on",
        rows.iter().map(|s| match &s.entry {
            Entry::Invoice(x) => Some(x.issued_on),
            Entry::Payment(x) => Some(x.received_on),
            Entry::Credit(x) => Some(x.posted_on),
            _ => None,
        }),
    );
    c.day(
        "due_on",
        rows.iter().map(|s| match &s.entry {
            Entry::Invoice(x) => Some(x.due_on),
            _ => None,
        }),
    );
    c.opt_text(
        "number",
        rows.iter().map(|s| match &s.entry {
            Entry::Invoice(x) => Some(x.number.clone()),
            _ => None,
        }),
    );
    c.money(
        "amount",
        false,
        rows.iter().map(|s| match &s.entry {
            Entry::Invoice(x) => Some(x.total()),
            Entry::Payment(x) => Some(x.amount),
            Entry::Credit(x) => Some(x.amount),
            _ => None,
        }),
    )?;
    c.enumerated(
        "credit_kind",
        true,
        CreditKind::ALL,
        CreditKind::as_str,
        rows.iter().map(|s| match &s.entry {
            Entry::Credit(x) => Some(x.kind),
            _ => None,
        }),
    )?;
    c.flag("archived", rows.iter().map(|s| s.archived_at.is_some()));
    c.finish()
}

fn touchpoints(page: &[Touchpoint]) -> std::result::Result<RecordBatch, ArrowError> {
    let mut c = Columns::default();
    c.text("id", page.iter().map(|x| x.id.to_string()));
    c.opt_text(
        "customer_id",
        page.iter().map(|x| x.customer_id.map(|id| id.to_string())),
    );
    c.opt_text("visitor_id", page.iter().map(|x| x.visitor_id.as_ref()));
    c.time("at", false, page.iter().map(|x| Some(x.at)));
    c.enumerated(
        "channel",
        false,
        JourneyChannel::ALL,
        JourneyChannel::as_str,
        page.iter().map(|x| Some(x.channel)),
    )?;
    c.enumerated(
        "direction",
        false,
        Direction::ALL,
        Direction::as_str,
        page.iter().map(|x| Some(x.direction)),
    )?;
    c.enumerated(
        "actor",
        false,
        Actor::ALL,
        Actor::as_str,
        page.iter().map(|x| Some(x.actor)),
    )?;
    c.text("action", page.iter().map(|x| &x.action));
    c.enumerated(
        "stage",
        true,
        Stage::ALL,
        Stage::as_str,
        page.iter().map(|x| x.stage),
    )?;
    c.opt_text("source", page.iter().map(|x| x.source.as_ref()));
    c.opt_text("campaign", page.iter().map(|x| x.campaign.as_ref()));
    c.money("value", true, page.iter().map(|x| x.value))?;
    c.opt_text(
        "source_system",
        page.iter().map(|x| x.source_system.as_ref()),
    );
    c.opt_text(
        "source_event_id",
        page.iter().map(|x| x.source_event_id.as_ref()),
    );
    c.finish()
}

fn change_log(page: &[ChangeRecord]) -> std::result::Result<RecordBatch, ArrowError> {
    let mut c = Columns::default();
    c.int("seq", page.iter().map(|x| x.seq));
    c.time("at", false, page.iter().map(|x| Some(x.at)));
    c.enumerated(
        "author_kind",
        false,
        AuthorKind::ALL,
        AuthorKind::as_str,
        page.iter().map(|x| Some(x.author.kind)),
    )?;
    c.text("author_id", page.iter().map(|x| &x.author.id));
    c.enumerated(
        "entity",
        false,
        EntityKind::ALL,
        EntityKind::as_str,
        page.iter().map(|x| Some(x.entity)),
    )?;
    c.text("entity_id", page.iter().map(|x| &x.entity_id));
    c.opt_text(
        "customer_id",
        page.iter().map(|x| x.customer_id.map(|id| id.to_string())),
    );
    c.enumerated(
        "action",
        false,
        ChangeAction::ALL,
        ChangeAction::as_str,
        page.iter().map(|x| Some(x.action)),
    )?;
    // Secret fields carry only "changed" (null before and after).
    c.text(
        "changes",
        page.iter()
            .map(|x| serde_json::to_string(&x.changes).unwrap_or_default()),
    );
    c.finish()
}
