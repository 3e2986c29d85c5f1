//! History entries in PostgreSQL: one `history` row per entry (the entry as
//! `jsonb` plus the columns it is found and ordered by), keyset scans in
//! time order either way, and a technician's planned locations.

use postgres::Row;
use postgres::error::SqlState;
use postgres::types::Json;
use uuid::Uuid;

use super::db::{Db, Query, classify, constraint, get, json, parsed};
use crate::model::{Entry, EntryQuery, StoredEntry};
use crate::{Author, CustomerId, EntityKind, EntryId, Error, LocationId, Result, TechnicianId};

const COLUMNS: &str = "data, author_kind, author_id, archived_at";

/// Decodes a row of [`COLUMNS`].
pub fn from_row(row: &Row) -> Result<StoredEntry> {
    Ok(StoredEntry {
        entry: json(row, 0)?,
        author: Author {
            kind: parsed(row, 1)?,
            id: get(row, 2)?,
        },
        archived_at: get(row, 3)?,
    })
}

/// The columns an entry is found by: body of water, status, invoice number.
fn columns(entry: &Entry) -> (Option<Uuid>, Option<&'static str>, Option<String>) {
    match entry {
        Entry::Visit(visit) => (
            visit.body_of_water_id.map(|id| id.as_uuid()),
            Some(visit.outcome.as_str()),
            None,
        ),
        Entry::Issue(issue) => (
            issue.body_of_water_id.map(|id| id.as_uuid()),
            Some(issue.status.as_str()),
            None,
        ),
        Entry::Invoice(invoice) => (None, None, Some(invoice.number.clone())),
        _ => (None, None, None),
    }
}

/// A refused write: a taken invoice number or entry id is the caller's.
fn refused(error: postgres::Error, doing: &str) -> Error {
    if error.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        match constraint(&error) {
            Some("history_invoice_numbers") => {
                return Error::invalid("number", "another invoice already has this number");
            }
            Some("history_id_key") => {
                return Error::invalid("id", "an entry with this id already exists");
            }
            _ => {}
        }
    }
    classify(doing, error)
}

/// Stores a new entry recorded by `author`.
pub fn insert(db: &mut Db<'_>, entry: &Entry, author: &Author) -> Result<()> {
    let (body, status, number) = columns(entry);
    db.execute_raw(
        "INSERT INTO history (id, kind, customer_id, location_id, body_of_water_id, at, status, \
         number, data, author_kind, author_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &[
            &entry.id().as_uuid(),
            &entry.kind().as_str(),
            &entry.customer_id().as_uuid(),
            &entry.location_id().map(|id| id.as_uuid()),
            &body,
            &entry.at(),
            &status,
            &number,
            &Json(entry),
            &author.kind.as_str(),
            &author.id,
        ],
    )
    .map_err(|error| refused(error, "storing a history entry"))?;
    Ok(())
}

/// Replaces a stored entry (same id, same kind and customer).
pub fn update(db: &mut Db<'_>, entry: &Entry) -> Result<()> {
    let (body, status, number) = columns(entry);
    let changed = db
        .execute_raw(
            "UPDATE history SET location_id = $4, body_of_water_id = $5, at = $6, status = $7, \
             number = $8, data = $9 WHERE id = $1 AND kind = $2 AND customer_id = $3",
            &[
                &entry.id().as_uuid(),
                &entry.kind().as_str(),
                &entry.customer_id().as_uuid(),
                &entry.location_id().map(|id| id.as_uuid()),
                &body,
                &entry.at(),
                &status,
                &number,
                &Json(entry),
            ],
        )
        .map_err(|error| refused(error, "updating a history entry"))?;
    if changed == 0 {
        return Err(Error::not_found(EntityKind::Entry, entry.id()));
    }
    Ok(())
}

/// Archives or restores an entry.
pub fn set_archived(
    db: &mut Db<'_>,
    id: EntryId,
    archived_at: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<()> {
    let changed = db.execute(
        "archiving a history entry",
        "UPDATE history SET archived_at = $2 WHERE id = $1",
        &[&id.as_uuid(), &archived_at],
    )?;
    if changed == 0 {
        return Err(Error::not_found(EntityKind::Entry, id));
    }
    Ok(())
}

/// One entry.
pub fn load(db: &mut Db<'_>, id: EntryId) -> Result<Option<StoredEntry>> {
    db.query_opt(
        "reading a history entry",
        &format!("SELECT {COLUMNS} FROM history WHERE id = $1"),
        &[&id.as_uuid()],
    )?
    .map(|row| from_row(&row))
    .transpose()
}

/// Entries matching `query`.
pub fn query(db: &mut Db<'_>, query: &EntryQuery) -> Result<Vec<StoredEntry>> {
    let mut sql = Query::new(format!("SELECT {COLUMNS} FROM history WHERE true"));
    let customer = query.customer_id.map(|id| id.as_uuid());
    let location = query.location_id.map(|id| id.as_uuid());
    let body = query.body_of_water_id.map(|id| id.as_uuid());
    let kinds: Vec<&str> = query.kinds.iter().map(|kind| kind.as_str()).collect();
    let limit = query.limit.map(i64::from);
    if let Some(customer) = &customer {
        sql.filter(" AND customer_id = ?", customer);
    }
    if let Some(location) = &location {
        sql.filter(" AND location_id = ?", location);
    }
    if let Some(body) = &body {
        sql.filter(" AND body_of_water_id = ?", body);
    }
    if !kinds.is_empty() {
        sql.filter(" AND kind = ANY(?)", &kinds);
    }
    if let Some(since) = &query.since {
        sql.filter(" AND at >= ?", since);
    }
    if let Some(until) = &query.until {
        sql.filter(" AND at < ?", until);
    }
    if let Some(status) = &query.status {
        sql.filter(" AND status = ?", status);
    }
    if let Some(before) = &query.before {
        sql.filter(" AND at <= ?", &before.at);
        sql.filter(" AND (at < ?", &before.at);
        sql.filter(" OR ('e:' || id::text) COLLATE \"C\" < ?)", &before.key);
    }
    if !query.include_archived {
        sql.push(" AND archived_at IS NULL");
    }
    sql.push(if query.newest_first {
        " ORDER BY at DESC, id DESC"
    } else {
        " ORDER BY at, id"
    });
    if let Some(limit) = &limit {
        sql.filter(" LIMIT ?", limit);
    }
    db.query("reading history", &sql.text, &sql.params)?
        .iter()
        .map(from_row)
        .collect()
}

/// Live locations planned for `technician`, of active, live customers.
pub fn planned_locations(
    db: &mut Db<'_>,
    technician: TechnicianId,
) -> Result<Vec<(CustomerId, LocationId)>> {
    db.query(
        "finding a technician's planned locations",
        "SELECT l.customer_id, l.id FROM locations l JOIN customers c ON c.id = l.customer_id \
         WHERE l.plan_technician_id = $1 AND l.archived_at IS NULL \
         AND c.archived_at IS NULL AND c.status = 'active' ORDER BY c.display_name, l.position",
        &[&technician.as_uuid()],
    )?
    .iter()
    .map(|row| Ok((get::<Uuid>(row, 0)?.into(), get::<Uuid>(row, 1)?.into())))
    .collect()
}
