//! The whole book as rows, for the lossless JSON Lines export: every table
//! of the schema (found in `sqlite_master`, so tables added by later schema
//! steps come along), every row in key order, read in one snapshot; and the
//! reverse, into an empty book in one transaction with foreign keys checked
//! at commit. The search index's rows travel too, so nothing is rebuilt.

use std::collections::HashMap;

use rusqlite::types::{Value as Raw, ValueRef};
use rusqlite::{Connection, params_from_iter};

use super::codec::{classify, storage};
use crate::model::{SqlValue, TableCount};
use crate::store::{DumpRow, RestoreRow};
use crate::{Error, Result};

/// Tables never dumped: SQLite's own and the search index's shadow tables.
fn skipped(name: &str) -> bool {
    name.starts_with("sqlite_") || name.starts_with("customer_search_")
}

/// The tables to dump, in name order, each with its columns (a virtual
/// table's rowid first).
fn tables(conn: &Connection) -> Result<Vec<(String, Vec<String>, bool)>> {
    let names: Vec<(String, bool)> = conn
        .prepare("SELECT name, sql LIKE 'CREATE VIRTUAL TABLE%' FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .and_then(|mut stmt| {
            stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(storage("listing the book's tables"))?;
    let mut tables = Vec::new();
    for (name, is_virtual) in names.into_iter().filter(|(n, _)| !skipped(n)) {
        let mut columns = columns(conn, &name)?;
        if is_virtual {
            columns.insert(0, "rowid".to_owned());
        }
        tables.push((name, columns, is_virtual));
    }
    Ok(tables)
}

fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    conn.prepare(&format!(
        "SELECT name FROM pragma_table_info({})",
        quote_text(table)
    ))
    .and_then(|mut stmt| {
        stmt.query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()
    })
    .map_err(storage("reading a table's columns"))
}

fn quote_text(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn quote_name(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Every table's row count, then every row, in one read transaction.
pub fn dump(
    conn: &Connection,
    counts: &mut dyn FnMut(&[TableCount]) -> Result<()>,
    row: &mut dyn FnMut(DumpRow<'_>) -> Result<()>,
) -> Result<()> {
    let plain: i64 = conn
        .query_row("SELECT count(*) FROM location_secrets_plain", [], |r| {
            r.get(0)
        })
        .map_err(storage("reading the book"))?;
    if plain > 0 {
        return Err(Error::invalid(
            "book",
            format!(
                "holds {plain} codes from before sealing, still in plain text; unlock the book \
                 (which seals them) before exporting it"
            ),
        ));
    }
    let tables = tables(conn)?;
    let mut found = Vec::new();
    for (name, _, _) in &tables {
        let n: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM {}", quote_name(name)),
                [],
                |r| r.get(0),
            )
            .map_err(storage("counting a table's rows"))?;
        found.push(TableCount {
            table: name.clone(),
            rows: n as u64,
        });
    }
    counts(&found)?;
    for (name, columns, is_virtual) in &tables {
        let list = columns
            .iter()
            .map(|c| quote_name(c))
            .collect::<Vec<_>>()
            .join(", ");
        // A WITHOUT ROWID table is scanned in its primary key's order.
        let order = if *is_virtual || has_rowid(conn, name)? {
            " ORDER BY rowid"
        } else {
            ""
        };
        let sql = format!("SELECT {list} FROM {}{order}", quote_name(name));
        let mut stmt = conn.prepare(&sql).map_err(storage("reading a table"))?;
        let mut rows = stmt.query([]).map_err(storage("reading a table"))?;
        let mut values = Vec::with_capacity(columns.len());
        while let Some(r) = rows.next().map_err(storage("reading a table"))? {
            values.clear();
            for index in 0..columns.len() {
                let value = r.get_ref(index).map_err(storage("reading a table"))?;
                values.push(match value {
                    ValueRef::Null => SqlValue::Null,
                    ValueRef::Integer(value) => SqlValue::Integer { value },
                    ValueRef::Real(value) => SqlValue::Real { value },
                    ValueRef::Text(bytes) => SqlValue::Text {
                        value: String::from_utf8_lossy(bytes).into_owned(),
                    },
                    ValueRef::Blob(bytes) => SqlValue::Blob {
                        value: bytes.to_vec(),
                    },
                });
            }
            row(DumpRow {
                table: name,
                columns,
                values: &values,
            })?;
        }
    }
    Ok(())
}

fn has_rowid(conn: &Connection, table: &str) -> Result<bool> {
    let sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get(0),
        )
        .map_err(storage("reading a table's definition"))?;
    Ok(!sql.to_uppercase().contains("WITHOUT ROWID"))
}

/// Refuses a book that holds anything a restore would mix with: any row
/// in any table but the settings, or a setting other than the defaults a
/// new book has.
pub fn check_empty(conn: &Connection) -> Result<()> {
    for (name, _, _) in tables(conn)? {
        let sql = if name == "settings" {
            "SELECT count(*) FROM settings WHERE key <> 'default_region' OR value <> 'US'"
                .to_owned()
        } else {
            format!("SELECT count(*) FROM {}", quote_name(&name))
        };
        let n: i64 = conn
            .query_row(&sql, [], |r| r.get(0))
            .map_err(storage("checking the book is empty"))?;
        if n > 0 {
            return Err(Error::invalid(
                "book",
                format!(
                    "is not empty ({name} has {n} rows): a book file is imported only into a new, \
                     empty book"
                ),
            ));
        }
    }
    Ok(())
}

/// Writes every row `next` gives into the (empty) book, in the caller's
/// transaction with foreign keys checked at commit. A row naming a table
/// or column the schema does not have, or breaking a constraint, is an
/// error naming its line.
pub fn restore(
    conn: &Connection,
    next: &mut dyn FnMut() -> Result<Option<RestoreRow>>,
) -> Result<()> {
    check_empty(conn)?;
    conn.execute_batch("PRAGMA defer_foreign_keys = ON; DELETE FROM settings;")
        .map_err(storage("preparing the restore"))?;
    let known: HashMap<String, Vec<String>> = tables(conn)?
        .into_iter()
        .map(|(name, columns, _)| (name, columns))
        .collect();
    let mut statements: HashMap<(String, Vec<String>), String> = HashMap::new();
    while let Some(row) = next()? {
        let at_line =
            |problem: String| Error::invalid("input", format!("line {}: {problem}", row.line));
        let Some(columns) = known.get(&row.table) else {
            return Err(at_line(format!(
                "the table \"{}\" is not in this book's schema",
                row.table
            )));
        };
        if let Some(column) = row.columns.iter().find(|c| !columns.contains(c)) {
            return Err(at_line(format!(
                "the table \"{}\" has no column \"{column}\"",
                row.table
            )));
        }
        if row.columns.len() != row.values.len() {
            return Err(at_line("has as many values as columns".to_owned()));
        }
        let key = (row.table.clone(), row.columns.clone());
        let sql = statements.entry(key).or_insert_with(|| {
            format!(
                "INSERT INTO {} ({}) VALUES ({})",
                quote_name(&row.table),
                row.columns
                    .iter()
                    .map(|c| quote_name(c))
                    .collect::<Vec<_>>()
                    .join(", "),
                vec!["?"; row.columns.len()].join(", ")
            )
        });
        let values = row.values.into_iter().map(|value| match value {
            SqlValue::Null => Raw::Null,
            SqlValue::Integer { value } => Raw::Integer(value),
            SqlValue::Real { value } => Raw::Real(value),
            SqlValue::Text { value } => Raw::Text(value),
            SqlValue::Blob { value } => Raw::Blob(value),
        });
        let mut stmt = conn
            .prepare_cached(sql)
            .map_err(storage("restoring a row"))?;
        stmt.execute(params_from_iter(values)).map_err(|error| {
            at_line(format!(
                "cannot be stored in \"{}\": {}",
                row.table,
                classify("restoring a row", error)
            ))
        })?;
    }
    let broken: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .map_err(storage("checking references"))?;
    if broken > 0 {
        return Err(Error::invalid(
            "input",
            format!("{broken} rows refer to records the file does not hold"),
        ));
    }
    Ok(())
}
