//! The lossless export of a whole book as one JSON Lines file, and its
//! import into an empty book, on any store: the file's lines are the
//! records a move between stores carries ([`crate::Store::export`],
//! [`crate::Store::import_records`], [`crate::copy_book`]), so there is one path out of a
//! store and one back in, and a book exported from SQLite imports into
//! PostgreSQL and back.
//!
//! Line 1 is the header: `{"format":"poolbook-book","version":1,
//! "schema_version":…,"book_id":…,"exported_at":…,"counts":{kind: n}}`,
//! padded with spaces to a fixed width (the counts are written once the
//! records are). Every other line is one [`BookRecord`] under its kind:
//! `{"customers":{"record":{…},"archived":[…]}}`, `{"history":{…}}`,
//! `{"change_log":{…}}` — settings, the wrapped data key, technicians,
//! customers with their archived parts, history, visitor links,
//! touchpoints, target profiles, segments, what issued invoices bill,
//! duplicate verdicts and merges, import batches, row keys and mappings,
//! the audit of reveals, the outbox and the change log, archived records
//! included. Secrets go as their sealed blobs (`pbsealed1:` and hex, the
//! wrapped key in hex): never a plain-text code. Importing the file into an
//! empty book gives back every record, version and change-log row.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::book::{Book, copy, now};
use crate::domain::chemistry::TargetProfile;
use crate::model::{
    BOOK_FILE_FORMAT, BOOK_FILE_VERSION, BookFile, ChangeAction, Customer, DuplicateDecision,
    FieldChange, ImportBatch, ImportKey, ImportMapping, MergeRecord, OutboxRecord, SecretReveal,
    Segment, StoredEntry, TableCount, Technician, Touchpoint,
};
use crate::store::{ArchivedPart, BookRecord, StoredChange, StoredKey};
use crate::{Author, CustomerId, EntityKind, EntryId, Error, Result, SCHEMA_VERSION};

/// The longest line a book file may have: 16 MiB.
pub const MAX_BOOK_FILE_LINE_BYTES: usize = 16 * 1024 * 1024;

/// The width the header line is padded to (its newline included): room
/// for every count at its largest.
const HEADER_BYTES: usize = 2048;

/// The header line as written.
#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    schema_version: i64,
    book_id: Option<String>,
    exported_at: DateTime<Utc>,
    counts: BTreeMap<String, u64>,
}

/// One line of a book file after the header: a [`BookRecord`] under its
/// kind (the names of [`BookRecord::KINDS`]). The file's own serde form,
/// kept here so the store's records need none.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
enum Line {
    #[serde(rename = "settings")]
    Setting { key: String, value: String },
    #[serde(rename = "book_keys")]
    Key(KeyLine),
    #[serde(rename = "technicians")]
    Technician(Technician),
    #[serde(rename = "customers")]
    Customer {
        record: Customer,
        archived: Vec<PartLine>,
    },
    #[serde(rename = "history")]
    Entry(StoredEntry),
    #[serde(rename = "touchpoints")]
    Touchpoint {
        touchpoint: Touchpoint,
        author: Author,
        linked: bool,
        archived_at: Option<DateTime<Utc>>,
    },
    #[serde(rename = "billed_items")]
    Billed {
        key: String,
        invoice_id: EntryId,
        customer_id: CustomerId,
    },
    #[serde(rename = "visitor_links")]
    VisitorLink {
        visitor_id: String,
        customer_id: CustomerId,
        at: DateTime<Utc>,
    },
    #[serde(rename = "target_profiles")]
    TargetProfile(TargetProfile),
    #[serde(rename = "segments")]
    Segment(Segment),
    #[serde(rename = "duplicate_decisions")]
    DuplicateDecision(DuplicateDecision),
    #[serde(rename = "customer_merges")]
    Merge(Box<MergeRecord>),
    #[serde(rename = "outbox")]
    OutboxRecord(OutboxRecord),
    #[serde(rename = "import_batches")]
    ImportBatch(ImportBatch),
    #[serde(rename = "import_keys")]
    ImportKey(ImportKey),
    #[serde(rename = "import_mappings")]
    ImportMapping(ImportMapping),
    #[serde(rename = "secret_reveals")]
    Reveal(SecretReveal),
    #[serde(rename = "change_log")]
    Change(ChangeLine),
}

/// A change-log row in a book file: [`crate::ChangeRecord`]'s fields, its field
/// changes written as the store's JSON text ([`StoredChange`]).
#[derive(Serialize, Deserialize)]
struct ChangeLine {
    seq: i64,
    at: DateTime<Utc>,
    author: Author,
    entity: EntityKind,
    entity_id: String,
    customer_id: Option<CustomerId>,
    action: ChangeAction,
    changes: Box<RawValue>,
}

/// The book's wrapped data key in a book file: the bytes in hex.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyLine {
    id: String,
    wrapped: String,
    salt: String,
    created_at: DateTime<Utc>,
}

/// An archived part of a customer in a book file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartLine {
    id: String,
    archived_at: DateTime<Utc>,
}

impl From<BookRecord> for Line {
    fn from(record: BookRecord) -> Self {
        match record {
            BookRecord::Setting { key, value } => Line::Setting { key, value },
            BookRecord::Key(key) => Line::Key(KeyLine {
                id: key.id,
                wrapped: to_hex(&key.wrapped),
                salt: to_hex(&key.salt),
                created_at: key.created_at,
            }),
            BookRecord::Technician(technician) => Line::Technician(technician),
            BookRecord::Customer { record, archived } => Line::Customer {
                record,
                archived: archived
                    .into_iter()
                    .map(|part| PartLine {
                        id: part.id,
                        archived_at: part.archived_at,
                    })
                    .collect(),
            },
            BookRecord::Entry(entry) => Line::Entry(entry),
            BookRecord::Touchpoint {
                touchpoint,
                author,
                linked,
                archived_at,
            } => Line::Touchpoint {
                touchpoint,
                author,
                linked,
                archived_at,
            },
            BookRecord::Billed {
                key,
                invoice_id,
                customer_id,
            } => Line::Billed {
                key,
                invoice_id,
                customer_id,
            },
            BookRecord::DuplicateDecision(decision) => Line::DuplicateDecision(decision),
            BookRecord::Merge(merge) => Line::Merge(merge),
            BookRecord::OutboxRecord(record) => Line::OutboxRecord(record),
            BookRecord::VisitorLink {
                visitor_id,
                customer_id,
                at,
            } => Line::VisitorLink {
                visitor_id,
                customer_id,
                at,
            },
            BookRecord::TargetProfile(profile) => Line::TargetProfile(profile),
            BookRecord::Segment(segment) => Line::Segment(segment),
            BookRecord::ImportBatch(batch) => Line::ImportBatch(batch),
            BookRecord::ImportKey(key) => Line::ImportKey(key),
            BookRecord::ImportMapping(mapping) => Line::ImportMapping(mapping),
            BookRecord::Reveal(reveal) => Line::Reveal(reveal),
            BookRecord::Change(change) => Line::Change(ChangeLine {
                seq: change.seq,
                at: change.at,
                author: change.author,
                entity: change.entity,
                entity_id: change.entity_id,
                customer_id: change.customer_id,
                action: change.action,
                changes: change.changes,
            }),
        }
    }
}

impl Line {
    /// The record, or what is wrong with it.
    fn into_record(self) -> std::result::Result<BookRecord, &'static str> {
        Ok(match self {
            Line::Setting { key, value } => BookRecord::Setting { key, value },
            Line::Key(key) => BookRecord::Key(StoredKey {
                id: key.id,
                wrapped: from_hex(&key.wrapped).ok_or("the wrapped key is not hex")?,
                salt: from_hex(&key.salt).ok_or("the key's salt is not hex")?,
                created_at: key.created_at,
            }),
            Line::Technician(technician) => BookRecord::Technician(technician),
            Line::Customer { record, archived } => BookRecord::Customer {
                record,
                archived: archived
                    .into_iter()
                    .map(|part| ArchivedPart {
                        id: part.id,
                        archived_at: part.archived_at,
                    })
                    .collect(),
            },
            Line::Entry(entry) => BookRecord::Entry(entry),
            Line::Touchpoint {
                touchpoint,
                author,
                linked,
                archived_at,
            } => BookRecord::Touchpoint {
                touchpoint,
                author,
                linked,
                archived_at,
            },
            Line::Billed {
                key,
                invoice_id,
                customer_id,
            } => BookRecord::Billed {
                key,
                invoice_id,
                customer_id,
            },
            Line::DuplicateDecision(decision) => BookRecord::DuplicateDecision(decision),
            Line::Merge(merge) => BookRecord::Merge(merge),
            Line::OutboxRecord(record) => BookRecord::OutboxRecord(record),
            Line::VisitorLink {
                visitor_id,
                customer_id,
                at,
            } => BookRecord::VisitorLink {
                visitor_id,
                customer_id,
                at,
            },
            Line::TargetProfile(profile) => BookRecord::TargetProfile(profile),
            Line::Segment(segment) => BookRecord::Segment(segment),
            Line::ImportBatch(batch) => BookRecord::ImportBatch(batch),
            Line::ImportKey(key) => BookRecord::ImportKey(key),
            Line::ImportMapping(mapping) => BookRecord::ImportMapping(mapping),
            Line::Reveal(reveal) => BookRecord::Reveal(reveal),
            Line::Change(change) => {
                serde_json::from_str::<Vec<FieldChange>>(change.changes.get())
                    .map_err(|_| "the change's fields are not field changes")?;
                BookRecord::Change(StoredChange {
                    seq: change.seq,
                    at: change.at,
                    author: change.author,
                    entity: change.entity,
                    entity_id: change.entity_id,
                    customer_id: change.customer_id,
                    action: change.action,
                    changes: change.changes,
                })
            }
        })
    }
}

fn to_hex(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push_str(&format!("{byte:02x}"));
    }
    text
}

fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Writes the whole book to `path` as one JSON Lines file (see the
    /// module documentation), read in one consistent snapshot
    /// ([`crate::Store::export`], streamed record by record); secrets go as
    /// their sealed blobs, never in plain text (a book still holding
    /// plain-text codes from before sealing is refused until unlocked). The file appears whole
    /// or not at all (written beside it, then renamed). Returns its header.
    pub fn export_book(&self, path: &str) -> Result<BookFile> {
        let target = PathBuf::from(path);
        let partial = partial_path(&target);
        let result = self.write_book_file(&partial);
        match result {
            Ok(header) => {
                std::fs::rename(&partial, &target)
                    .map_err(|error| Error::storage("renaming the book file into place", error))?;
                Ok(header)
            }
            Err(error) => {
                let _ = std::fs::remove_file(&partial);
                Err(error)
            }
        }
    }

    /// Imports a book file written by [`Book::export_book`] (from this
    /// store or another) into this book, which must be new and empty, in
    /// one transaction ([`crate::Store::import_records`]): afterwards every
    /// record, version and change-log row equals the exported book's. A file
    /// from a newer format or a newer poolbook is refused; a truncated or
    /// damaged file is refused whole, naming the line, and the book is
    /// unchanged. Each record is written as it is read, so a file of any
    /// size is imported without being held in memory. Returns the file's
    /// header.
    pub fn import_book(&self, path: &str) -> Result<BookFile> {
        copy::ensure_empty(self, "book")?;
        let file = File::open(path)
            .map_err(|error| Error::invalid("path", format!("cannot be opened: {error}")))?;
        let mut input = BufReader::with_capacity(1 << 16, file);
        let mut buffer = Vec::new();
        let mut line = 1u64;
        let header = match read_line(&mut input, &mut buffer, line)? {
            Some(text) => parse_header(text)?,
            None => return Err(Error::invalid("input", "line 1: the file is empty")),
        };
        let mut seen: BTreeMap<String, u64> = BTreeMap::new();
        self.store.import_records(&mut |write| {
            loop {
                line += 1;
                let Some(text) = read_line(&mut input, &mut buffer, line)? else {
                    if seen != header.counts_map() {
                        return Err(truncated(line - 1, &header, &seen));
                    }
                    return Ok(());
                };
                if text.trim().is_empty() {
                    continue;
                }
                let record = serde_json::from_str::<Line>(text)
                    .map_err(|error| at(line, format!("is not a record of a book file: {error}")))?
                    .into_record()
                    .map_err(|problem| at(line, problem.to_owned()))?;
                let kind = record.kind();
                let count = seen.entry(kind.to_owned()).or_default();
                *count += 1;
                if *count > header.count_of(kind) {
                    return Err(at(
                        line,
                        format!(
                            "one more \"{kind}\" record than the header's count: the file is damaged"
                        ),
                    ));
                }
                write(record)?;
            }
        })?;
        // The book now has the file's data key: a key held from before is
        // not its key.
        self.lock();
        Ok(header.book_file())
    }
}

impl Book {
    /// Writes the book file to `path`: a blank header line, every record,
    /// then the header over the blank.
    fn write_book_file(&self, path: &Path) -> Result<BookFile> {
        if !self.store.plain_secrets()?.is_empty() {
            return Err(Error::Locked {
                doing: "exporting a book whose access codes are not sealed yet (unlock it once \
                        first)"
                    .to_owned(),
            });
        }
        let file = File::create(path)
            .map_err(|error| Error::invalid("path", format!("cannot be written: {error}")))?;
        let mut out = BufWriter::with_capacity(1 << 16, file);
        let io = |error: std::io::Error| Error::storage("writing the book file", error);
        let book_id = self.store.setting("book_id")?;
        let exported_at = now();
        let mut blank = vec![b' '; HEADER_BYTES - 1];
        blank.push(b'\n');
        out.write_all(&blank).map_err(io)?;
        let mut counts = BTreeMap::new();
        counts.extend(BookRecord::KINDS.iter().map(|kind| ((*kind).to_owned(), 0)));
        self.store.export(&mut |record| {
            *counts.entry(record.kind().to_owned()).or_default() += 1;
            // Sealed secrets in their wire form (the sealed blob); the
            // export refused plain ones above.
            let line = Line::from(record);
            crate::foundation::secret::revealing(|| serde_json::to_writer(&mut out, &line))
                .map_err(|error| Error::storage("writing the book file", error))?;
            out.write_all(b"\n").map_err(io)
        })?;
        let header = Header {
            format: BOOK_FILE_FORMAT.to_owned(),
            version: BOOK_FILE_VERSION,
            schema_version: SCHEMA_VERSION,
            book_id,
            exported_at,
            counts,
        };
        let mut first = serde_json::to_vec(&header)
            .map_err(|error| Error::storage("writing the book file", error))?;
        if first.len() >= HEADER_BYTES {
            return Err(Error::storage(
                "writing the book file",
                std::io::Error::other("the header is longer than its room"),
            ));
        }
        first.resize(HEADER_BYTES - 1, b' ');
        first.push(b'\n');
        let mut file = out.into_inner().map_err(|error| io(error.into_error()))?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        file.write_all(&first).map_err(io)?;
        file.sync_all().map_err(io)?;
        Ok(header.book_file())
    }
}

impl Header {
    fn counts_map(&self) -> BTreeMap<String, u64> {
        self.counts
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(t, n)| (t.clone(), *n))
            .collect()
    }

    fn count_of(&self, table: &str) -> u64 {
        self.counts.get(table).copied().unwrap_or(0)
    }

    fn book_file(&self) -> BookFile {
        BookFile {
            version: self.version,
            schema_version: self.schema_version,
            book_id: self.book_id.clone(),
            exported_at: self.exported_at,
            counts: self
                .counts
                .iter()
                .map(|(table, rows)| TableCount {
                    table: table.clone(),
                    rows: *rows,
                })
                .collect(),
        }
    }
}

/// Where a book file is written before it is renamed into place.
fn partial_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    target.with_file_name(name)
}

fn at(line: u64, problem: String) -> Error {
    Error::invalid("input", format!("line {line}: {problem}"))
}

fn truncated(last: u64, header: &Header, seen: &BTreeMap<String, u64>) -> Error {
    let missing: Vec<String> = header
        .counts_map()
        .into_iter()
        .filter(|(table, n)| seen.get(table).copied().unwrap_or(0) != *n)
        .map(|(table, n)| format!("{table} {} of {n}", seen.get(&table).copied().unwrap_or(0)))
        .collect();
    at(
        last,
        format!(
            "the file ends here but its header promises more rows ({}): it is truncated; \
             nothing was imported",
            missing.join(", ")
        ),
    )
}

/// Reads line `line` into `buffer`, at most [`MAX_BOOK_FILE_LINE_BYTES`];
/// `None` at the end of the file.
fn read_line<'a>(
    input: &mut impl BufRead,
    buffer: &'a mut Vec<u8>,
    line: u64,
) -> Result<Option<&'a str>> {
    use std::io::Read;
    buffer.clear();
    let limit = MAX_BOOK_FILE_LINE_BYTES as u64 + 1;
    let read = input
        .by_ref()
        .take(limit)
        .read_until(b'\n', buffer)
        .map_err(|error| Error::storage("reading the book file", error))?;
    if read == 0 {
        return Ok(None);
    }
    if buffer.last() == Some(&b'\n') {
        buffer.pop();
    } else if buffer.len() > MAX_BOOK_FILE_LINE_BYTES {
        return Err(at(
            line,
            format!("is longer than {MAX_BOOK_FILE_LINE_BYTES} bytes: this is not a book file"),
        ));
    }
    std::str::from_utf8(buffer)
        .map(Some)
        .map_err(|_| at(line, "is not UTF-8 text".to_owned()))
}

fn parse_header(text: &str) -> Result<Header> {
    let value: Value = serde_json::from_str(text)
        .map_err(|_| at(1, "is not a book file's header (not JSON)".to_owned()))?;
    if value.get("format").and_then(Value::as_str) != Some(BOOK_FILE_FORMAT) {
        return Err(at(
            1,
            format!("is not a book file's header (its format is not \"{BOOK_FILE_FORMAT}\")"),
        ));
    }
    let version = value.get("version").and_then(Value::as_u64).unwrap_or(0);
    if version > u64::from(BOOK_FILE_VERSION) {
        return Err(at(
            1,
            format!(
                "the file is in book file format {version}, newer than this poolbook reads \
                 ({BOOK_FILE_VERSION}); import it with a newer poolbook"
            ),
        ));
    }
    let header: Header = serde_json::from_value(value)
        .map_err(|error| at(1, format!("is a damaged header: {error}")))?;
    if header.schema_version > SCHEMA_VERSION {
        // Its records may carry fields this poolbook does not know (and
        // would drop): not lossless.
        return Err(at(
            1,
            format!(
                "the book was exported by a newer poolbook (schema version {}, this one is at \
                 {SCHEMA_VERSION}); import it with a newer poolbook",
                header.schema_version
            ),
        ));
    }
    Ok(header)
}
