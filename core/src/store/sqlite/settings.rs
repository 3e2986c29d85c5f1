//! Book-wide settings in SQLite (key/value rows).

use rusqlite::{Connection, OptionalExtension};

use super::codec::storage;
use crate::Result;

/// A setting's value.
pub fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")
        .and_then(|mut stmt| stmt.query_row([key], |row| row.get(0)).optional())
        .map_err(storage("reading a setting"))
}

/// Sets a setting.
pub fn put_setting(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
    .map_err(storage("storing a setting"))?;
    Ok(())
}
