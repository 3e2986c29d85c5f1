//! The integrity check of a book file: SQLite's own check, the search
//! index, every record read back through the decoders the book uses, and
//! the change log's row for every record. It reads; it changes nothing.

use std::path::Path;

use std::time::Duration;

use rusqlite::Connection;

use super::codec::storage;
use super::read_only_connection;
use super::{customers, history, journey};
use crate::model::{
    IntegrityProblem, IntegrityReport, MAX_INTEGRITY_PROBLEMS, OpenCheck, QUICK_CHECK_MAX_BYTES,
};
use crate::{CustomerId, Error, Result};

/// Runs SQLite's `quick_check` over the file at `path` when `check` asks
/// for it at this file's size; damage is [`Error::Corrupt`] naming what
/// SQLite found (at most ten lines). The check runs on a read-only
/// connection of its own, closed before the book's connections do anything:
/// a connection that ran `quick_check` on a file in rollback-journal mode
/// and then switched it to WAL could never checkpoint the log (SQLite
/// answered "database table is locked" when the book was closed).
pub fn check_on_open(path: &Path, busy_timeout: Duration, check: OpenCheck) -> Result<()> {
    let wanted = match check {
        OpenCheck::Never => false,
        OpenCheck::Always => true,
        OpenCheck::SmallFiles => std::fs::metadata(path)
            .map(|file| file.len() <= QUICK_CHECK_MAX_BYTES)
            .unwrap_or(false),
    };
    if !wanted {
        return Ok(());
    }
    let conn = read_only_connection(path, "opening the book file to check it")?;
    conn.busy_timeout(busy_timeout)
        .map_err(storage("configuring a connection"))?;
    refuse_damage(
        &conn,
        "quick_check(10)",
        "checking the book file on open (quick_check)",
    )
}

/// [`Error::Corrupt`] naming what SQLite's `pragma` (`quick_check(N)` or
/// `integrity_check(N)`) found on `conn`, if it found anything.
pub fn refuse_damage(conn: &Connection, pragma: &str, doing: &'static str) -> Result<()> {
    let problems = pragma_problems(conn, pragma, doing)?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Corrupt {
            doing: doing.to_owned(),
            cause: problems.join("; "),
        })
    }
}

/// The lines SQLite's check `pragma` reports on `conn`, without its "ok".
fn pragma_problems(conn: &Connection, pragma: &str, doing: &'static str) -> Result<Vec<String>> {
    let mut problems = conn
        .prepare(&format!("PRAGMA {pragma}"))
        .and_then(|mut stmt| {
            stmt.query_map([], |row| row.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(storage(doing))?;
    problems.retain(|line| line != "ok");
    Ok(problems)
}

/// The problems found, capped at [`MAX_INTEGRITY_PROBLEMS`].
struct Found(Vec<IntegrityProblem>);

impl Found {
    fn add(&mut self, area: &str, detail: impl Into<String>) {
        if self.0.len() < MAX_INTEGRITY_PROBLEMS {
            self.0.push(IntegrityProblem {
                area: area.to_owned(),
                detail: detail.into(),
            });
        }
    }
}

/// Checks the book on `conn` (a read transaction).
pub fn check(conn: &Connection) -> Result<IntegrityReport> {
    let mut found = Found(Vec::new());
    let file_problems = pragma_problems(conn, "integrity_check(100)", "checking the book file")?;
    for line in file_problems {
        found.add("file", line);
    }

    let unindexed: Vec<String> = strings(
        conn,
        "SELECT id FROM customers c WHERE NOT EXISTS \
         (SELECT 1 FROM customer_search s WHERE s.rowid = c.seq)",
    )?;
    for id in unindexed {
        found.add("search index", format!("customer {id} has no search entry"));
    }

    let ids = strings(conn, "SELECT id FROM customers ORDER BY seq")?;
    let mut customers_checked = 0;
    for id in &ids {
        match id.parse::<CustomerId>() {
            Err(_) => found.add(
                "customer",
                format!("row with id {id:?} is not a customer id"),
            ),
            Ok(parsed) => match customers::load(conn, parsed) {
                Ok(Some(_)) => customers_checked += 1,
                Ok(None) => found.add("customer", format!("customer {id} could not be read back")),
                Err(error) => found.add("customer", format!("customer {id}: {error}")),
            },
        }
    }

    let entries_checked = history::check_rows(conn, &mut |id, problem| {
        found.add("entry", format!("entry {id}: {problem}"));
    })?;
    let touchpoints_checked = journey::check_rows(conn, &mut |id, problem| {
        found.add("touchpoint", format!("touchpoint {id}: {problem}"));
    })?;

    for (table, entity) in [("customers", "customer"), ("history", "entry")] {
        let missing = strings(
            conn,
            &format!(
                "SELECT id FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM change_log l \
                 WHERE l.entity = '{entity}' AND l.entity_id = t.id AND l.action = 'created')"
            ),
        )?;
        for id in missing {
            found.add("change log", format!("{entity} {id} has no 'created' row"));
        }
    }

    Ok(IntegrityReport {
        ok: found.0.is_empty(),
        customers_checked,
        entries_checked,
        touchpoints_checked,
        problems: found.0,
    })
}

fn strings(conn: &Connection, sql: &str) -> Result<Vec<String>> {
    conn.prepare(sql)
        .and_then(|mut stmt| {
            stmt.query_map([], |row| row.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(storage("checking the book's records"))
}
