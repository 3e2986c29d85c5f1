//! The lossless export of a whole book as one JSON Lines file, and its
//! import into an empty book.
//!
//! Line 1 is the header: `{"format":"poolbook-book","version":1,
//! "schema_version":…,"book_id":…,"exported_at":…,"counts":{table: rows}}`.
//! Every other line is one row of one table of the book:
//! `{"table":"customers","row":{"id":"…","version":3,…}}` — every table,
//! archived records, the change log, import batches, settings, target
//! profiles, segments, visitor links and the audit of reveals included.
//! Integers are JSON integers, reals JSON numbers with a fraction or
//! exponent, text JSON strings, and bytes (the sealed secrets and the
//! wrapped data key: never a plain-text code) `{"hex":"…"}`. Importing the
//! file into an empty book gives back every row as it was, so every record,
//! version and change-log row is equal.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write as _};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::book::{Book, now};
use crate::model::{BOOK_FILE_FORMAT, BOOK_FILE_VERSION, BookFile, SqlValue, TableCount};
use crate::store::{DumpRow, RestoreRow};
use crate::{Error, Result, SCHEMA_VERSION};

/// The longest line a book file may have: 16 MiB.
pub const MAX_BOOK_FILE_LINE_BYTES: usize = 16 * 1024 * 1024;

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

/// A row line as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    table: String,
    row: serde_json::Map<String, Value>,
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Writes the whole book to `path` as one JSON Lines file (see the
    /// module documentation), read in one consistent snapshot; secrets go
    /// as their sealed blobs, never in plain text. The file appears whole
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

    /// Imports a book file written by [`Book::export_book`] into this book,
    /// which must be new and empty, in one transaction: afterwards every
    /// record, version and change-log row equals the exported book's. A
    /// file from a newer format or another schema version is refused; a
    /// truncated or damaged file is refused whole, naming the line, and the
    /// book is unchanged. Returns the file's header.
    pub fn import_book(&self, path: &str) -> Result<BookFile> {
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
        let mut done = false;
        self.store.restore(&mut || {
            if done {
                return Ok(None);
            }
            loop {
                line += 1;
                let Some(text) = read_line(&mut input, &mut buffer, line)? else {
                    done = true;
                    if seen != header.counts_map() {
                        return Err(truncated(line - 1, &header, &seen));
                    }
                    return Ok(None);
                };
                if text.trim().is_empty() {
                    continue;
                }
                let row = parse_row(text, line)?;
                let count = seen.entry(row.table.clone()).or_default();
                *count += 1;
                if *count > header.count_of(&row.table) {
                    return Err(at(
                        line,
                        format!(
                            "one more \"{}\" row than the header's count: the file is damaged",
                            row.table
                        ),
                    ));
                }
                return Ok(Some(row));
            }
        })?;
        self.lock();
        Ok(header.book_file())
    }
}

impl Book {
    /// Writes the book file to `path`.
    fn write_book_file(&self, path: &Path) -> Result<BookFile> {
        let file = File::create(path)
            .map_err(|error| Error::invalid("path", format!("cannot be written: {error}")))?;
        let out = std::cell::RefCell::new(BufWriter::with_capacity(1 << 16, file));
        let io = |error: std::io::Error| Error::storage("writing the book file", error);
        let book_id = self.store.setting("book_id")?;
        let exported_at = now();
        let mut header = None;
        let mut line = Vec::with_capacity(1024);
        self.store.dump(
            &mut |counts| {
                let written = Header {
                    format: BOOK_FILE_FORMAT.to_owned(),
                    version: BOOK_FILE_VERSION,
                    schema_version: SCHEMA_VERSION,
                    book_id: book_id.clone(),
                    exported_at,
                    counts: counts.iter().map(|c| (c.table.clone(), c.rows)).collect(),
                };
                let mut out = out.borrow_mut();
                serde_json::to_writer(&mut *out, &written)
                    .map_err(|error| Error::storage("writing the book file", error))?;
                out.write_all(b"\n").map_err(io)?;
                header = Some(written);
                Ok(())
            },
            &mut |row| {
                line.clear();
                encode_row(&mut line, row);
                out.borrow_mut().write_all(&line).map_err(io)
            },
        )?;
        let mut out = out.into_inner();
        out.flush().map_err(io)?;
        out.get_ref()
            .sync_all()
            .map_err(|error| Error::storage("writing the book file", error))?;
        let header = header.ok_or_else(|| Error::invalid("book", "has no tables"))?;
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
    if header.schema_version != SCHEMA_VERSION {
        return Err(at(
            1,
            format!(
                "the book was exported at schema version {}, this poolbook is at {SCHEMA_VERSION}: \
                 open and export it with this poolbook's version first",
                header.schema_version
            ),
        ));
    }
    Ok(header)
}

fn parse_row(text: &str, line: u64) -> Result<RestoreRow> {
    let parsed: Line = serde_json::from_str(text)
        .map_err(|error| at(line, format!("is not a row of a book file: {error}")))?;
    let mut columns = Vec::with_capacity(parsed.row.len());
    let mut values = Vec::with_capacity(parsed.row.len());
    for (column, value) in parsed.row {
        let value = match value {
            Value::Null => SqlValue::Null,
            Value::Bool(_) | Value::Array(_) => {
                return Err(at(
                    line,
                    format!("column \"{column}\" holds a value of no stored type"),
                ));
            }
            Value::Number(number) => match number.as_i64() {
                Some(value) if !number.is_f64() => SqlValue::Integer { value },
                _ => SqlValue::Real {
                    value: number.as_f64().unwrap_or(f64::NAN),
                },
            },
            Value::String(value) => SqlValue::Text { value },
            Value::Object(object) => {
                let hex = object.get("hex").and_then(Value::as_str).ok_or_else(|| {
                    at(
                        line,
                        format!("column \"{column}\" holds an object that is not bytes"),
                    )
                })?;
                SqlValue::Blob {
                    value: from_hex(hex).ok_or_else(|| {
                        at(line, format!("column \"{column}\" holds damaged bytes"))
                    })?,
                }
            }
        };
        columns.push(column);
        values.push(value);
    }
    Ok(RestoreRow {
        line,
        table: parsed.table,
        columns,
        values,
    })
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

/// Appends one row line to `out`.
fn encode_row(out: &mut Vec<u8>, row: DumpRow<'_>) {
    out.extend_from_slice(b"{\"table\":");
    push_str(out, row.table);
    out.extend_from_slice(b",\"row\":{");
    for (index, (column, value)) in row.columns.iter().zip(row.values).enumerate() {
        if index > 0 {
            out.push(b',');
        }
        push_str(out, column);
        out.push(b':');
        match value {
            SqlValue::Null => out.extend_from_slice(b"null"),
            SqlValue::Integer { value } => out.extend_from_slice(value.to_string().as_bytes()),
            SqlValue::Real { value } => {
                // serde_json writes the shortest form that reads back bit for
                // bit, always with a fraction or exponent (so it reads back real).
                let _ = serde_json::to_writer(&mut *out, value);
            }
            SqlValue::Text { value } => push_str(out, value),
            SqlValue::Blob { value } => {
                out.extend_from_slice(b"{\"hex\":\"");
                for byte in value {
                    out.extend_from_slice(format!("{byte:02x}").as_bytes());
                }
                out.extend_from_slice(b"\"}");
            }
        }
    }
    out.extend_from_slice(b"}}\n");
}

fn push_str(out: &mut Vec<u8>, text: &str) {
    let _ = serde_json::to_writer(&mut *out, text);
}
