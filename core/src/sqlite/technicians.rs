//! Technicians and book-wide settings in SQLite.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codec::{get_parsed, get_time, storage, time};
use crate::model::Technician;
use crate::{EntityKind, Error, Result, TechnicianId};

const COLUMNS: &str = "id, name, active, phone, email, created_at, updated_at, version";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Technician> {
    Ok(Technician {
        id: get_parsed(row, 0)?,
        name: row.get(1)?,
        active: row.get(2)?,
        phone: row.get(3)?,
        email: row.get(4)?,
        created_at: get_time(row, 5)?,
        updated_at: get_time(row, 6)?,
        version: row.get(7)?,
    })
}

/// One technician.
pub fn load(conn: &Connection, id: TechnicianId) -> Result<Option<Technician>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM technicians WHERE id = ?1"))
        .and_then(|mut stmt| stmt.query_row([id.to_string()], from_row).optional())
        .map_err(storage("reading a technician"))
}

/// All technicians by name.
pub fn list(conn: &Connection, include_inactive: bool) -> Result<Vec<Technician>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM technicians WHERE active = 1 OR ?1 ORDER BY name, id"
    ))
    .and_then(|mut stmt| stmt.query_map([include_inactive], from_row)?.collect())
    .map_err(storage("listing technicians"))
}

/// Stores a new technician, or replaces version `expected_version` of one.
pub fn put(conn: &Connection, record: &Technician, expected_version: Option<i64>) -> Result<()> {
    let id = record.id.to_string();
    let written = match expected_version {
        None => conn
            .prepare_cached(
                "INSERT INTO technicians (id, name, active, phone, email, created_at, updated_at, \
                 version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO NOTHING",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    id,
                    record.name,
                    record.active,
                    record.phone,
                    record.email,
                    time(record.created_at),
                    time(record.updated_at),
                    record.version,
                ])
            }),
        Some(expected) => conn
            .prepare_cached(
                "UPDATE technicians SET name = ?2, active = ?3, phone = ?4, email = ?5, \
                 updated_at = ?6, version = ?7 WHERE id = ?1 AND version = ?8",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    id,
                    record.name,
                    record.active,
                    record.phone,
                    record.email,
                    time(record.updated_at),
                    record.version,
                    expected,
                ])
            }),
    }
    .map_err(storage("storing a technician"))?;
    if written == 1 {
        return Ok(());
    }
    match expected_version {
        None => Err(Error::invalid(
            "id",
            "a technician with this id already exists",
        )),
        Some(expected) => match load(conn, record.id)? {
            None => Err(Error::not_found(EntityKind::Technician, record.id)),
            Some(stored) => Err(Error::Conflict {
                entity: EntityKind::Technician,
                id,
                expected,
                actual: stored.version,
            }),
        },
    }
}

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
