//! How values are written to and read from SQLite columns: UTC times and days
//! as sortable text, enums as their words, nested lists as JSON, decimals as
//! exact text. Reading a malformed value is a storage error naming the column.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Type;
use rusqlite::{Connection, Row};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::{Error, Result};

/// The stored form of an instant: RFC 3339, UTC, microseconds, `Z`.
pub fn time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The stored form of a calendar day.
pub fn day(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// The stored form of a nested value.
pub fn json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|error| Error::storage("encoding a record as JSON", error))
}

/// The error of column `index`, whose text does not read as it should.
pub fn bad(index: usize, error: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, Type::Text, Box::new(error))
}

/// Reads a required instant.
pub fn get_time(row: &Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text = row.get_ref(index)?.as_str()?;
    if let Some(at) = parse_stored_time(text) {
        return Ok(at);
    }
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|error| bad(index, error))
}

/// Parses exactly the form [`time`] writes (`2026-11-23T10:00:00.000000Z`)
/// without a general RFC 3339 parser: journey scans read millions of these.
fn parse_stored_time(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() != 27
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'.'
        || b[26] != b'Z'
    {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let day = NaiveDate::from_ymd_opt(number(0, 4)? as i32, number(5, 7)?, number(8, 10)?)?;
    let time = chrono::NaiveTime::from_hms_micro_opt(
        number(11, 13)?,
        number(14, 16)?,
        number(17, 19)?,
        number(20, 26)?,
    )?;
    Some(day.and_time(time).and_utc())
}

/// Reads an optional instant.
pub fn get_opt_time(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    match row.get_ref(index)?.as_str_or_null()? {
        None => Ok(None),
        Some(_) => get_time(row, index).map(Some),
    }
}

/// Reads an optional calendar day.
pub fn get_opt_day(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let text: Option<String> = row.get(index)?;
    text.map(|text| NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|error| bad(index, error)))
        .transpose()
}

/// Reads a value stored as text, parsed with `FromStr` (enums, ids, decimals).
pub fn get_parsed<T>(row: &Row<'_>, index: usize) -> rusqlite::Result<T>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let text = row.get_ref(index)?.as_str()?;
    text.parse().map_err(|error| bad(index, error))
}

/// Reads an optional value stored as text.
pub fn get_opt_parsed<T>(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<T>>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    match row.get_ref(index)?.as_str_or_null()? {
        None => Ok(None),
        Some(_) => get_parsed(row, index).map(Some),
    }
}

/// Reads a JSON column.
pub fn get_json<T: DeserializeOwned>(row: &Row<'_>, index: usize) -> rusqlite::Result<T> {
    let text = row.get_ref(index)?.as_str()?;
    serde_json::from_str(text).map_err(|error| bad(index, error))
}

/// Reads a JSON column as its text, checked to be JSON but not parsed.
pub fn get_raw_json(row: &Row<'_>, index: usize) -> rusqlite::Result<Box<RawValue>> {
    let text: String = row.get(index)?;
    RawValue::from_string(text).map_err(|error| bad(index, error))
}

/// Reads an optional JSON column.
pub fn get_opt_json<T: DeserializeOwned>(
    row: &Row<'_>,
    index: usize,
) -> rusqlite::Result<Option<T>> {
    let text = row.get_ref(index)?.as_str_or_null()?;
    text.map(|text| serde_json::from_str(text).map_err(|error| bad(index, error)))
        .transpose()
}

/// The tables that keep a JSON record under a unique name (`name`, `data`).
#[derive(Debug, Clone, Copy)]
pub enum NamedTable {
    /// Chemistry target profiles.
    TargetProfiles,
    /// Saved segments.
    Segments,
    /// Saved spreadsheet import mappings.
    ImportMappings,
}

impl NamedTable {
    fn name(self) -> &'static str {
        match self {
            NamedTable::TargetProfiles => "target_profiles",
            NamedTable::Segments => "segments",
            NamedTable::ImportMappings => "import_mappings",
        }
    }
}

/// Every record of a named table, by name.
pub fn load_named<T: DeserializeOwned>(
    conn: &rusqlite::Connection,
    table: NamedTable,
) -> Result<Vec<T>> {
    conn.prepare_cached(&format!("SELECT data FROM {} ORDER BY name", table.name()))
        .and_then(|mut stmt| stmt.query_map([], |row| get_json(row, 0))?.collect())
        .map_err(|error| Error::storage(format!("reading {}", table.name()), error))
}

/// Stores `record` under `name`, replacing any record of that name.
pub fn put_named(
    conn: &rusqlite::Connection,
    table: NamedTable,
    name: &str,
    record: &impl Serialize,
) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO {} (name, data) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET data = excluded.data",
            table.name()
        ),
        rusqlite::params![name, json(record)?],
    )
    .map_err(|error| Error::storage(format!("storing into {}", table.name()), error))?;
    Ok(())
}

/// Hands `visit` every row of `sql` (no parameters) as `decode` reads it,
/// one row at a time: for reading a whole table without holding it.
pub fn each_row<T>(
    conn: &Connection,
    sql: &str,
    doing: &'static str,
    decode: fn(&Row<'_>) -> rusqlite::Result<T>,
    visit: &mut dyn FnMut(T) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(sql).map_err(storage(doing))?;
    let mut rows = stmt.query([]).map_err(storage(doing))?;
    while let Some(row) = rows.next().map_err(storage(doing))? {
        visit(decode(row).map_err(storage(doing))?)?;
    }
    Ok(())
}

/// Decodes every row of `sql` with `decode`, calling `problem` with the
/// row's id (column `id_column`) and the error for each that fails; returns
/// how many decoded. For the integrity check: one bad row does not stop it.
pub fn decode_each<T>(
    conn: &Connection,
    sql: &str,
    id_column: usize,
    decode: fn(&Row<'_>) -> rusqlite::Result<T>,
    problem: &mut dyn FnMut(&str, String),
) -> Result<u64> {
    let fail = |error| classify("checking stored records", error);
    let mut stmt = conn.prepare(sql).map_err(fail)?;
    let mut rows = stmt.query([]).map_err(fail)?;
    let mut read = 0;
    while let Some(row) = rows.next().map_err(fail)? {
        match decode(row) {
            Ok(_) => read += 1,
            Err(error) => {
                let id: String = row.get(id_column).unwrap_or_default();
                problem(&id, error.to_string());
            }
        }
    }
    Ok(read)
}

/// Turns a SQLite error into the error a caller can act on (busy,
/// read-only, not a book, damaged; any other as a storage failure), saying
/// what was being done.
pub fn storage(doing: &'static str) -> impl FnOnce(rusqlite::Error) -> Error {
    move |error| classify(doing, error)
}

/// The [`Error`] for a SQLite failure while `doing`.
pub fn classify(doing: &str, error: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode;
    let cause = error.to_string();
    match error.sqlite_error_code() {
        // How long it waited is filled in by the store, which timed the call.
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy {
            doing: doing.to_owned(),
            waited_ms: 0,
        },
        Some(ErrorCode::ReadOnly) => Error::ReadOnly {
            doing: doing.to_owned(),
            cause,
        },
        Some(ErrorCode::NotADatabase) => Error::NotABook { cause },
        Some(ErrorCode::DatabaseCorrupt) => Error::Corrupt {
            doing: doing.to_owned(),
            cause,
        },
        Some(ErrorCode::DiskFull) => Error::storage(format!("{doing}: the disk is full"), error),
        _ => Error::storage(doing, error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_round_trip_through_the_fast_parser() {
        let at = DateTime::parse_from_rfc3339("2026-11-23T10:04:05.123456Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(parse_stored_time(&time(at)), Some(at));
        for other in [
            "2026-11-23T10:04:05Z",
            "2026-11-23T10:04:05.123456+01:00",
            "2026-13-01T00:00:00.000000Z",
            "2026-11-23T10:04:05.12345xZ",
        ] {
            assert_eq!(parse_stored_time(other), None, "{other}");
        }
    }
}
