//! Backups of a book: `VACUUM INTO` a new file from a reader connection (a
//! consistent snapshot taken in one read transaction, so a writer keeps
//! working; the copy has no free pages, so no overwritten secret lingers in
//! it), then SQLite's `integrity_check` over the copy before it is reported.

use std::path::Path;

use rusqlite::Connection;

use super::codec::storage;
use super::{integrity, read_only_connection};
use crate::model::BackupReport;
use crate::{Error, Result};

/// Writes the book on `conn` to the new file `path` and checks the copy.
pub fn backup(conn: &Connection, path: &Path) -> Result<BackupReport> {
    let target = target_path(path)?;
    conn.execute("VACUUM INTO ?1", [&target])
        .map_err(storage("writing the backup file"))?;
    match check_copy(path) {
        Ok(mut report) => {
            report.path = target;
            Ok(report)
        }
        Err(error) => {
            // The copy is ours and unsound: leave no file that looks like a backup.
            let _ = std::fs::remove_file(path);
            Err(error)
        }
    }
}

/// `path` as SQLite takes it, refused if it names a file that exists (a
/// backup never overwrites anything) or a folder that does not.
fn target_path(path: &Path) -> Result<String> {
    let shown = path.display();
    if path.exists() {
        return Err(Error::invalid(
            "path",
            format!("{shown} already exists; a backup never overwrites a file"),
        ));
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(Error::invalid(
            "path",
            format!("the folder of {shown} does not exist"),
        ));
    }
    path.to_str()
        .map(str::to_owned)
        .ok_or_else(|| Error::invalid("path", format!("{shown} is not valid UTF-8")))
}

/// Opens the copy read-only, runs `integrity_check` and counts its records.
fn check_copy(path: &Path) -> Result<BackupReport> {
    let conn = read_only_connection(path, "opening the backup file")?;
    integrity::refuse_damage(
        &conn,
        "integrity_check(10)",
        "checking the backup file (integrity_check)",
    )?;
    let count = |table: &str| -> Result<u64> {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
            row.get::<_, i64>(0)
        })
        .map(|n| u64::try_from(n).unwrap_or(0))
        .map_err(storage("counting the backup's records"))
    };
    let report = BackupReport {
        path: String::new(),
        bytes: std::fs::metadata(path)
            .map(|file| file.len())
            .map_err(|e| Error::storage("reading the backup file's size", e))?,
        customers: count("customers")?,
        entries: count("history")?,
        touchpoints: count("touchpoints")?,
        changes: count("change_log")?,
    };
    drop(conn);
    Ok(report)
}
