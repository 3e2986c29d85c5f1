//! Spreadsheet imports on PostgreSQL: the committed batches, the row keys
//! that make a re-import idempotent (the saved mappings are a named table
//! of `super`), and every batch and key for moving a book.

use postgres::types::Json;
use uuid::Uuid;

use super::db::{Db, get, json};
use crate::model::{ImportBatch, ImportKey};
use crate::{CustomerId, Error, Result};

/// Every row key of the mapping `mapping`.
pub fn keys(db: &mut Db<'_>, mapping: &str) -> Result<Vec<ImportKey>> {
    db.query(
        "reading import keys",
        "SELECT mapping, key, customer_id, version, fingerprint FROM import_keys \
         WHERE mapping = $1 ORDER BY key",
        &[&mapping],
    )?
    .iter()
    .map(key_from_row)
    .collect()
}

/// Every row key, by mapping and key, for moving the book.
pub fn all_keys(db: &mut Db<'_>) -> Result<Vec<ImportKey>> {
    db.query(
        "reading import keys",
        "SELECT mapping, key, customer_id, version, fingerprint FROM import_keys \
         ORDER BY mapping, key",
        &[],
    )?
    .iter()
    .map(key_from_row)
    .collect()
}

fn key_from_row(row: &postgres::Row) -> Result<ImportKey> {
    Ok(ImportKey {
        mapping: get(row, 0)?,
        key: get(row, 1)?,
        customer_id: get::<Uuid>(row, 2)?.into(),
        version: get(row, 3)?,
        fingerprint: get(row, 4)?,
    })
}

/// One import batch.
pub fn batch(db: &mut Db<'_>, id: &str) -> Result<Option<ImportBatch>> {
    db.query_opt(
        "reading an import batch",
        "SELECT data FROM import_batches WHERE id = $1",
        &[&id],
    )?
    .map(|row| json(&row, 0))
    .transpose()
}

/// Every import batch, oldest first, for moving the book.
pub fn all_batches(db: &mut Db<'_>) -> Result<Vec<ImportBatch>> {
    db.query(
        "reading import batches",
        "SELECT data FROM import_batches ORDER BY at, id",
        &[],
    )?
    .iter()
    .map(|row| json(row, 0))
    .collect()
}

/// Stores a batch (new, or undone) with row keys to set and the keys of
/// `drop_keys`' customers to forget.
pub fn put(
    db: &mut Db<'_>,
    batch: &ImportBatch,
    keys: &[ImportKey],
    drop_keys: &[CustomerId],
) -> Result<()> {
    put_batch(db, batch)?;
    if !drop_keys.is_empty() {
        let ids: Vec<Uuid> = drop_keys.iter().map(CustomerId::as_uuid).collect();
        db.execute(
            "forgetting import keys",
            "DELETE FROM import_keys WHERE customer_id = ANY($1)",
            &[&ids],
        )?;
    }
    put_keys(db, keys)
}

/// Stores a batch, new or replacing the one of its id.
pub fn put_batch(db: &mut Db<'_>, batch: &ImportBatch) -> Result<()> {
    // Sealed secrets of the records kept for undo go in their wire form
    // (the sealed blob); the book never keeps a plain one here.
    let data: serde_json::Value = crate::to_json_revealed(batch)
        .and_then(|text| serde_json::from_str(&text))
        .map_err(|error| Error::storage("encoding an import batch", error))?;
    db.execute(
        "storing an import batch",
        "INSERT INTO import_batches (id, at, undone_at, data) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET undone_at = excluded.undone_at, data = excluded.data",
        &[&batch.id, &batch.at, &batch.undone_at, &Json(&data)],
    )?;
    Ok(())
}

/// Sets row keys, replacing any of the same mapping and key.
pub fn put_keys(db: &mut Db<'_>, keys: &[ImportKey]) -> Result<()> {
    for key in keys {
        db.execute(
            "storing import keys",
            "INSERT INTO import_keys (mapping, key, customer_id, version, fingerprint) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (mapping, key) DO UPDATE SET \
             customer_id = excluded.customer_id, version = excluded.version, \
             fingerprint = excluded.fingerprint",
            &[
                &key.mapping,
                &key.key,
                &key.customer_id.as_uuid(),
                &key.version,
                &key.fingerprint,
            ],
        )?;
    }
    Ok(())
}
