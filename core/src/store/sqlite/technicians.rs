//! Technicians in SQLite.

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
/// Both statements bind the same numbered values; only the update reads `?9`.
pub fn put(conn: &Connection, record: &Technician, expected_version: Option<i64>) -> Result<()> {
    let id = record.id.to_string();
    let values = params![
        id,
        record.name,
        record.active,
        record.phone,
        record.email,
        time(record.created_at),
        time(record.updated_at),
        record.version,
        expected_version,
    ];
    let (sql, bound): (&str, &[&dyn rusqlite::ToSql]) = match expected_version {
        None => (
            "INSERT INTO technicians (id, name, active, phone, email, created_at, updated_at, \
             version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO NOTHING",
            &values[..8],
        ),
        Some(_) => (
            "UPDATE technicians SET name = ?2, active = ?3, phone = ?4, email = ?5, \
             updated_at = ?7, version = ?8 WHERE id = ?1 AND version = ?9",
            &values[..9],
        ),
    };
    let written = conn
        .prepare_cached(sql)
        .and_then(|mut stmt| stmt.execute(bound))
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
