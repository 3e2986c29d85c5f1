//! The migration runner: numbered steps, each in its own transaction, tracked
//! in `PRAGMA user_version`. A file from a newer poolbook is refused.

use rusqlite::{Connection, TransactionBehavior};

use super::codec::storage;
use crate::{Error, Result};

/// The schema steps, in order; step `n` (1-based) upgrades version `n - 1` to `n`.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../schema/001_initial.sql"),
    include_str!("../../../schema/002_history.sql"),
    include_str!("../../../schema/003_journey.sql"),
    include_str!("../../../schema/004_touchpoint_stages.sql"),
    include_str!("../../../schema/005_sealed_secrets.sql"),
    include_str!("../../../schema/006_operation_touchpoints.sql"),
    include_str!("../../../schema/007_outbox.sql"),
    include_str!("../../../schema/008_billing.sql"),
    include_str!("../../../schema/009_data_quality.sql"),
    include_str!("../../../schema/010_imports.sql"),
    include_str!("../../../schema/011_scan_indexes.sql"),
];

/// The schema version this code writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The schema version recorded in the file.
pub fn version(conn: &Connection) -> Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(storage("reading the schema version"))
}

/// Refuses a file at schema version 0 that already has tables: someone
/// else's SQLite database, which migrating would write poolbook's tables into.
pub fn refuse_foreign(conn: &Connection, version: i64) -> Result<()> {
    if version > 0 {
        return Ok(());
    }
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            [],
            |row| row.get(0),
        )
        .map_err(storage("reading the file's tables"))?;
    if tables > 0 {
        return Err(Error::NotABook {
            cause: format!(
                "a SQLite database with {tables} tables of its own and no poolbook schema"
            ),
        });
    }
    Ok(())
}

/// Brings the file up to [`SCHEMA_VERSION`], one step per transaction. The
/// version is re-read inside each transaction, so two processes opening a new
/// file at once do not both apply a step.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    loop {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage("starting a schema migration"))?;
        let found = version(&tx)?;
        if found > SCHEMA_VERSION {
            return Err(Error::UnsupportedSchema {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        let Some(step) = MIGRATIONS.get(found as usize) else {
            return Ok(());
        };
        tx.execute_batch(step)
            .map_err(storage("applying a schema migration"))?;
        tx.pragma_update(None, "user_version", found + 1)
            .map_err(storage("recording the schema version"))?;
        tx.commit()
            .map_err(storage("committing a schema migration"))?;
    }
}
