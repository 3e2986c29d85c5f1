//! The change log in PostgreSQL: appended in the writer's transaction (all
//! of a batch's rows in one statement), read back by entity, customer,
//! author, time or sequence. A trigger refuses any UPDATE, DELETE or
//! TRUNCATE of its rows.

use postgres::Row;
use postgres::types::{Json, Type};
use serde_json::value::RawValue;
use uuid::Uuid;

use super::db::{Db, Query, get, parsed};
use crate::model::{Author, ChangeLogQuery, ChangeRecord, NOTABLE_FIELDS, NotableChangeQuery};
use crate::store::{StoredChange, WriteBatch};
use crate::{Error, Result};

/// Rows returned when a query sets no limit.
const DEFAULT_LIMIT: u32 = 1000;

/// The columns [`stored_from_row`] reads, the field changes as their text.
const COLUMNS: &str =
    "seq, at, author_kind, author_id, entity, entity_id, customer_id, action, changes::text";

/// From how many rows a batch's changes are appended with binary `COPY`.
const COPY_FROM: usize = 256;

/// Appends the batch's changes, stamped with its author and time, in order:
/// one statement, or a binary `COPY` for a large batch.
pub fn append(db: &mut Db<'_>, batch: &WriteBatch) -> Result<()> {
    if batch.changes.is_empty() {
        return Ok(());
    }
    if batch.changes.len() >= COPY_FROM {
        db.copy_in(
            "writing the change log",
            "COPY change_log (at, author_kind, author_id, entity, entity_id, customer_id, \
             action, changes) FROM STDIN (FORMAT binary)",
            &[
                Type::TIMESTAMPTZ,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::UUID,
                Type::TEXT,
                Type::JSONB,
            ],
            |out| {
                for change in &batch.changes {
                    out.write(&[
                        &batch.at,
                        &batch.author.kind.as_str(),
                        &batch.author.id,
                        &change.entity.as_str(),
                        &change.entity_id,
                        &change.customer_id.map(|id| id.as_uuid()),
                        &change.action.as_str(),
                        &Json(&change.changes),
                    ])?;
                }
                Ok(())
            },
        )?;
        return Ok(());
    }
    let entities: Vec<&str> = batch.changes.iter().map(|c| c.entity.as_str()).collect();
    let ids: Vec<&str> = batch.changes.iter().map(|c| c.entity_id.as_str()).collect();
    let customers: Vec<Option<Uuid>> = batch
        .changes
        .iter()
        .map(|c| c.customer_id.map(|id| id.as_uuid()))
        .collect();
    let actions: Vec<&str> = batch.changes.iter().map(|c| c.action.as_str()).collect();
    let changes: Vec<Json<_>> = batch.changes.iter().map(|c| Json(&c.changes)).collect();
    db.execute(
        "writing the change log",
        "INSERT INTO change_log (at, author_kind, author_id, entity, entity_id, customer_id, \
         action, changes) \
         SELECT $1, $2, $3, entity, entity_id, customer_id, action, changes \
         FROM unnest($4::text[], $5::text[], $6::uuid[], $7::text[], $8::jsonb[]) \
         WITH ORDINALITY AS c (entity, entity_id, customer_id, action, changes, n) ORDER BY n",
        &[
            &batch.at,
            &batch.author.kind.as_str(),
            &batch.author.id,
            &entities,
            &ids,
            &customers,
            &actions,
            &changes,
        ],
    )?;
    Ok(())
}

/// Appends a row of another book's change log as it was (its time and
/// author kept; its `seq` is the next here, so rows imported in order keep
/// their order), its field changes stored from their JSON text.
pub fn insert_as_was(db: &mut Db<'_>, change: &StoredChange) -> Result<()> {
    db.execute(
        "importing the change log",
        "INSERT INTO change_log (at, author_kind, author_id, entity, entity_id, customer_id, \
         action, changes) VALUES ($1, $2, $3, $4, $5, $6, $7, CAST($8::text AS jsonb))",
        &[
            &change.at,
            &change.author.kind.as_str(),
            &change.author.id,
            &change.entity.as_str(),
            &change.entity_id,
            &change.customer_id.map(|id| id.as_uuid()),
            &change.action.as_str(),
            &change.changes.get(),
        ],
    )?;
    Ok(())
}

/// Rows matching `query`, oldest first.
pub fn read(db: &mut Db<'_>, query: &ChangeLogQuery) -> Result<Vec<ChangeRecord>> {
    let mut sql = Query::new(format!("SELECT {COLUMNS} FROM change_log WHERE true"));
    let entity = query.entity.map(|entity| entity.as_str());
    let customer = query.customer_id.map(|id| id.as_uuid());
    let author_kind = query.author.as_ref().map(|author| author.kind.as_str());
    let limit = i64::from(query.limit.unwrap_or(DEFAULT_LIMIT));
    if let Some(entity) = &entity {
        sql.filter(" AND entity = ?", entity);
    }
    if let Some(id) = &query.entity_id {
        sql.filter(" AND entity_id = ?", id);
    }
    if let Some(customer) = &customer {
        sql.filter(" AND customer_id = ?", customer);
    }
    if let (Some(kind), Some(author)) = (&author_kind, &query.author) {
        sql.filter(" AND author_kind = ?", kind);
        sql.filter(" AND author_id = ?", &author.id);
    }
    if let Some(since) = &query.since {
        sql.filter(" AND at >= ?", since);
    }
    if let Some(after) = &query.after_seq {
        sql.filter(" AND seq > ?", after);
    }
    sql.filter(" ORDER BY seq LIMIT ?", &limit);
    db.query("reading the change log", &sql.text, &sql.params)?
        .iter()
        .map(from_row)
        .collect()
}

/// Hands `each` every row, oldest first, without holding them all.
pub fn each(db: &mut Db<'_>, each: &mut dyn FnMut(StoredChange) -> Result<()>) -> Result<()> {
    db.for_each(
        "reading the change log",
        &format!("SELECT {COLUMNS} FROM change_log ORDER BY seq"),
        &[],
        |row| each(stored_from_row(row)?),
    )
}

fn from_row(row: &Row) -> Result<ChangeRecord> {
    stored_from_row(row)?
        .into_parsed()
        .map_err(|error| Error::storage("reading column changes", error))
}

/// A row of [`COLUMNS`] with its field changes left as JSON text.
fn stored_from_row(row: &Row) -> Result<StoredChange> {
    let changes: String = get(row, 8)?;
    Ok(StoredChange {
        seq: get(row, 0)?,
        at: get(row, 1)?,
        author: Author {
            kind: parsed(row, 2)?,
            id: get(row, 3)?,
        },
        entity: parsed(row, 4)?,
        entity_id: get(row, 5)?,
        customer_id: get::<Option<Uuid>>(row, 6)?.map(Into::into),
        action: parsed(row, 7)?,
        changes: RawValue::from_string(changes)
            .map_err(|error| Error::storage("reading column changes", error))?,
    })
}

/// Rows about a customer or a location that touch a notable field (or
/// archive, restore or transfer something), newest first. Field names are
/// matched as SQLite's `LIKE` matches them (ASCII case folded).
pub fn notable(db: &mut Db<'_>, query: &NotableChangeQuery) -> Result<Vec<ChangeRecord>> {
    let mut sql = Query::new(format!(
        "SELECT {COLUMNS} FROM change_log c WHERE entity <> 'entry' AND action <> 'created' \
         AND (action IN ('archived', 'restored', 'transferred') \
         OR EXISTS (SELECT 1 FROM jsonb_array_elements(c.changes) change, unnest($1::text[]) \
         notable WHERE change->>'field' = notable OR change->>'field' ILIKE notable || '.%'))"
    ));
    let notable: Vec<&str> = NOTABLE_FIELDS.to_vec();
    let customer = query.customer_id.map(|id| id.as_uuid());
    let location = query.location_id.map(|id| id.to_string());
    let limit = i64::from(query.limit);
    sql.bind(&notable);
    if let Some(customer) = &customer {
        sql.filter(" AND customer_id = ?", customer);
    }
    if let Some(location) = &location {
        sql.filter(" AND entity = 'location' AND entity_id = ?", location);
    }
    if let Some(since) = &query.since {
        sql.filter(" AND at >= ?", since);
    }
    if let Some(until) = &query.until {
        sql.filter(" AND at < ?", until);
    }
    if let Some(before) = &query.before {
        sql.filter(" AND at <= ?", &before.at);
        sql.filter(" AND (at < ?", &before.at);
        sql.filter(
            " OR ('c:' || lpad(seq::text, 20, '0')) COLLATE \"C\" < ?)",
            &before.key,
        );
    }
    sql.filter(" ORDER BY at DESC, seq DESC LIMIT ?", &limit);
    db.query("reading notable changes", &sql.text, &sql.params)?
        .iter()
        .map(from_row)
        .collect()
}
