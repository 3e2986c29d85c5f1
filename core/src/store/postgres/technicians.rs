//! Technicians in PostgreSQL.

use postgres::Row;
use uuid::Uuid;

use super::db::{Db, get};
use crate::model::Technician;
use crate::{EntityKind, Error, Result, TechnicianId};

const COLUMNS: &str = "id, name, active, phone, email, created_at, updated_at, version";

fn from_row(row: &Row) -> Result<Technician> {
    Ok(Technician {
        id: get::<Uuid>(row, 0)?.into(),
        name: get(row, 1)?,
        active: get(row, 2)?,
        phone: get(row, 3)?,
        email: get(row, 4)?,
        created_at: get(row, 5)?,
        updated_at: get(row, 6)?,
        version: get(row, 7)?,
    })
}

/// One technician.
pub fn load(db: &mut Db<'_>, id: TechnicianId) -> Result<Option<Technician>> {
    db.query_opt(
        "reading a technician",
        &format!("SELECT {COLUMNS} FROM technicians WHERE id = $1"),
        &[&id.as_uuid()],
    )?
    .map(|row| from_row(&row))
    .transpose()
}

/// All technicians by name.
pub fn list(db: &mut Db<'_>, include_inactive: bool) -> Result<Vec<Technician>> {
    db.query(
        "listing technicians",
        &format!("SELECT {COLUMNS} FROM technicians WHERE active OR $1 ORDER BY name, id"),
        &[&include_inactive],
    )?
    .iter()
    .map(from_row)
    .collect()
}

/// Stores a new technician, or replaces version `expected_version` of one.
pub fn put(db: &mut Db<'_>, record: &Technician, expected_version: Option<i64>) -> Result<()> {
    let id = record.id.as_uuid();
    let written = match expected_version {
        None => db.execute(
            "storing a technician",
            "INSERT INTO technicians (id, name, active, phone, email, created_at, updated_at, \
             version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
            &[
                &id,
                &record.name,
                &record.active,
                &record.phone,
                &record.email,
                &record.created_at,
                &record.updated_at,
                &record.version,
            ],
        )?,
        Some(expected) => db.execute(
            "storing a technician",
            "UPDATE technicians SET name = $2, active = $3, phone = $4, email = $5, \
             updated_at = $6, version = $7 WHERE id = $1 AND version = $8",
            &[
                &id,
                &record.name,
                &record.active,
                &record.phone,
                &record.email,
                &record.updated_at,
                &record.version,
                &expected,
            ],
        )?,
    };
    if written == 1 {
        return Ok(());
    }
    match expected_version {
        None => Err(Error::invalid(
            "id",
            "a technician with this id already exists",
        )),
        Some(expected) => match load(db, record.id)? {
            None => Err(Error::not_found(EntityKind::Technician, record.id)),
            Some(stored) => Err(Error::Conflict {
                entity: EntityKind::Technician,
                id: record.id.to_string(),
                expected,
                actual: stored.version,
            }),
        },
    }
}
