//! How values are written to and read from SQLite columns: UTC times and days
//! as sortable text, enums as their words, nested lists as JSON, decimals as
//! exact text. Reading a malformed value is a storage error naming the column.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Row;
use rusqlite::types::Type;
use serde::Serialize;
use serde::de::DeserializeOwned;

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

fn bad(index: usize, error: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, Type::Text, Box::new(error))
}

/// Reads a required instant.
pub fn get_time(row: &Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(index)?;
    DateTime::parse_from_rfc3339(&text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|error| bad(index, error))
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
    let text: String = row.get(index)?;
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
    let text: String = row.get(index)?;
    serde_json::from_str(&text).map_err(|error| bad(index, error))
}

/// Reads an optional JSON column.
pub fn get_opt_json<T: DeserializeOwned>(
    row: &Row<'_>,
    index: usize,
) -> rusqlite::Result<Option<T>> {
    let text: Option<String> = row.get(index)?;
    text.map(|text| serde_json::from_str(&text).map_err(|error| bad(index, error)))
        .transpose()
}

/// Wraps a SQLite error as a storage failure saying what was being done.
pub fn storage(doing: &'static str) -> impl FnOnce(rusqlite::Error) -> Error {
    move |error| Error::storage(doing, error)
}
