//! The PostgreSQL migration runner: numbered steps from
//! `core/schema/postgres/`, each in its own transaction under an advisory
//! lock (so two processes opening a new database at once do not both apply
//! a step), the version kept in the one-row table `poolbook_schema`. A
//! database from a newer poolbook is refused, and so is one with tables of
//! its own and no book.

use postgres::Client;

use super::db::{Db, get, storage};
use crate::{Error, Result};

/// The steps, in order; step `n` (1-based) upgrades version `n - 1` to `n`.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../schema/postgres/001_initial.sql"),
    include_str!("../../../schema/postgres/002_operation_touchpoints.sql"),
    include_str!("../../../schema/postgres/003_outbox.sql"),
    include_str!("../../../schema/postgres/004_billing.sql"),
    include_str!("../../../schema/postgres/005_data_quality.sql"),
    include_str!("../../../schema/postgres/006_imports.sql"),
    include_str!("../../../schema/postgres/007_search_words.sql"),
];

/// The PostgreSQL schema version this code writes.
pub const PG_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The advisory lock key migrations hold ("poolbook" as a number).
const MIGRATION_LOCK: i64 = 0x706f_6f6c_626f_6f6b;

/// Checks the database's schema and, unless `read_only`, brings it up to
/// [`PG_SCHEMA_VERSION`], one step per transaction.
pub fn prepare(client: &mut Client, read_only: bool) -> Result<()> {
    let mut statements = std::collections::HashMap::new();
    loop {
        let transaction = client
            .transaction()
            .map_err(storage("starting a schema migration"))?;
        let mut db = Db::in_transaction(transaction, &mut statements);
        if !read_only {
            db.query(
                "locking the schema",
                "SELECT pg_advisory_xact_lock($1)",
                &[&MIGRATION_LOCK],
            )?;
        }
        let found = version(&mut db)?;
        if found > PG_SCHEMA_VERSION {
            return Err(Error::UnsupportedSchema {
                found,
                supported: PG_SCHEMA_VERSION,
            });
        }
        let Some(step) = MIGRATIONS.get(found as usize) else {
            db.commit().map_err(storage("reading the schema version"))?;
            return Ok(());
        };
        if read_only {
            return Err(Error::ReadOnly {
                doing: "upgrading the book's schema".to_owned(),
                cause: format!(
                    "the database has schema version {found}, older than this poolbook's \
                     {PG_SCHEMA_VERSION}; open it once for writing to upgrade it"
                ),
            });
        }
        db.batch("applying a schema migration", step)?;
        if found == 0 {
            db.batch(
                "recording the schema version",
                "CREATE TABLE poolbook_schema (version bigint NOT NULL); \
                 INSERT INTO poolbook_schema (version) VALUES (0)",
            )?;
        }
        db.execute(
            "recording the schema version",
            "UPDATE poolbook_schema SET version = $1",
            &[&(found + 1)],
        )?;
        db.commit()
            .map_err(storage("committing a schema migration"))?;
    }
}

/// The schema version recorded in the database: 0 for an empty database;
/// a database with tables of its own and no book is refused.
fn version(db: &mut Db<'_>) -> Result<i64> {
    let row = db
        .query_opt(
            "reading the schema version",
            "SELECT to_regclass('poolbook_schema') IS NOT NULL, \
             (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema())",
            &[],
        )?
        .ok_or_else(|| Error::NotABook {
            cause: "the server did not answer for its tables".to_owned(),
        })?;
    let has_book: bool = get(&row, 0)?;
    let tables: i64 = get(&row, 1)?;
    if !has_book {
        if tables > 0 {
            return Err(Error::NotABook {
                cause: format!(
                    "a PostgreSQL database with {tables} tables of its own and no poolbook schema"
                ),
            });
        }
        return Ok(0);
    }
    let row = db.query_opt(
        "reading the schema version",
        "SELECT version FROM poolbook_schema",
        &[],
    )?;
    let found: i64 = match row {
        Some(row) => get(&row, 0)?,
        None => {
            return Err(Error::NotABook {
                cause: "poolbook_schema has no version row".to_owned(),
            });
        }
    };
    if found < 0 {
        return Err(Error::NotABook {
            cause: format!("the database records schema version {found}, which no poolbook writes"),
        });
    }
    Ok(found)
}
