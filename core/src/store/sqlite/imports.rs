//! Spreadsheet imports in SQLite: the committed batches, the row keys that
//! make a re-import idempotent, and the saved mappings (through the named
//! tables of `codec`); every batch and key for moving a book.

use rusqlite::{Connection, OptionalExtension, params};

use super::codec::{self, get_json, storage};
use crate::model::{ImportBatch, ImportKey};
use crate::{CustomerId, Result};

/// Every row key of the mapping `mapping`.
pub fn keys(conn: &Connection, mapping: &str) -> Result<Vec<ImportKey>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT key, customer_id, version, fingerprint FROM import_keys WHERE mapping = ?1",
        )
        .map_err(storage("reading import keys"))?;
    let rows = stmt
        .query_map([mapping], |row| {
            Ok(ImportKey {
                mapping: mapping.to_owned(),
                key: row.get(0)?,
                customer_id: codec::get_parsed(row, 1)?,
                version: row.get(2)?,
                fingerprint: row.get(3)?,
            })
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(storage("reading import keys"))?;
    Ok(rows)
}

/// One import batch.
pub fn batch(conn: &Connection, id: &str) -> Result<Option<ImportBatch>> {
    conn.prepare_cached("SELECT data FROM import_batches WHERE id = ?1")
        .and_then(|mut stmt| stmt.query_row([id], |row| get_json(row, 0)).optional())
        .map_err(storage("reading an import batch"))
}

/// Every import batch, oldest first, for moving the book.
pub fn all_batches(conn: &Connection) -> Result<Vec<ImportBatch>> {
    conn.prepare("SELECT data FROM import_batches ORDER BY at, id")
        .and_then(|mut stmt| {
            stmt.query_map([], |row| get_json(row, 0))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(storage("reading import batches"))
}

/// Every row key, by mapping and key, for moving the book.
pub fn all_keys(conn: &Connection) -> Result<Vec<ImportKey>> {
    conn.prepare(
        "SELECT mapping, key, customer_id, version, fingerprint FROM import_keys \
         ORDER BY mapping, key",
    )
    .and_then(|mut stmt| {
        stmt.query_map([], |row| {
            Ok(ImportKey {
                mapping: row.get(0)?,
                key: row.get(1)?,
                customer_id: codec::get_parsed(row, 2)?,
                version: row.get(3)?,
                fingerprint: row.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()
    })
    .map_err(storage("reading import keys"))
}

/// Stores a batch (new, or undone) with row keys to set and the keys of
/// `drop_keys`' customers to forget.
pub fn put(
    conn: &Connection,
    batch: &ImportBatch,
    keys: &[ImportKey],
    drop_keys: &[CustomerId],
) -> Result<()> {
    put_batch(conn, batch)?;
    let mut forget = conn
        .prepare_cached("DELETE FROM import_keys WHERE customer_id = ?1")
        .map_err(storage("forgetting import keys"))?;
    for id in drop_keys {
        forget
            .execute([id.to_string()])
            .map_err(storage("forgetting import keys"))?;
    }
    put_keys(conn, keys)
}

/// Stores a batch, new or replacing the one of its id.
pub fn put_batch(conn: &Connection, batch: &ImportBatch) -> Result<()> {
    // Sealed secrets of the records kept for undo go in their wire form
    // (the sealed blob); the book never keeps a plain one here.
    let data = crate::to_json_revealed(batch)
        .map_err(|error| crate::Error::storage("encoding an import batch", error))?;
    conn.execute(
        "INSERT INTO import_batches (id, at, undone_at, data) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (id) DO UPDATE SET undone_at = excluded.undone_at, data = excluded.data",
        params![
            batch.id,
            codec::time(batch.at),
            batch.undone_at.map(codec::time),
            data
        ],
    )
    .map_err(storage("storing an import batch"))?;
    Ok(())
}

/// Sets row keys, replacing any of the same mapping and key.
pub fn put_keys(conn: &Connection, keys: &[ImportKey]) -> Result<()> {
    let mut put = conn
        .prepare_cached(
            "INSERT INTO import_keys (mapping, key, customer_id, version, fingerprint) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (mapping, key) DO UPDATE SET \
             customer_id = excluded.customer_id, version = excluded.version, \
             fingerprint = excluded.fingerprint",
        )
        .map_err(storage("storing import keys"))?;
    for key in keys {
        put.execute(params![
            key.mapping,
            key.key,
            key.customer_id.to_string(),
            key.version,
            key.fingerprint
        ])
        .map_err(storage("storing import keys"))?;
    }
    Ok(())
}
