//! The change log in SQLite: appended in the writer's transaction, read back
//! by entity, customer, author, time or sequence. Triggers in the schema
//! refuse any UPDATE or DELETE of its rows.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, Row, params, params_from_iter};

use super::codec::{bad, get_opt_parsed, get_parsed, get_raw_json, get_time, json, storage, time};
use crate::model::ChangeAction;
use crate::model::NotableChangeQuery;
use crate::model::{Author, ChangeLogQuery, ChangeRecord, NOTABLE_FIELDS};
use crate::store::{StoredChange, WriteBatch};
use crate::{CustomerId, EntityKind, Result};

/// Rows returned when a query sets no limit.
pub const DEFAULT_LIMIT: u32 = 1000;

/// Appends the batch's changes, stamped with its author and time.
pub fn append(conn: &Connection, batch: &WriteBatch) -> Result<()> {
    let at = time(batch.at);
    for change in &batch.changes {
        insert_row(
            conn,
            &at,
            &batch.author,
            change.entity,
            &change.entity_id,
            change.customer_id,
            change.action,
            &json(&change.changes)?,
        )?;
    }
    Ok(())
}

/// Appends one row, its field changes as JSON text: by [`append`], and by
/// an import of a book's change log as it was (`at` already stored text).
#[allow(clippy::too_many_arguments)]
pub fn insert_row(
    conn: &Connection,
    at: &str,
    author: &Author,
    entity: EntityKind,
    entity_id: &str,
    customer_id: Option<CustomerId>,
    action: ChangeAction,
    changes: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO change_log (at, author_kind, author_id, entity, entity_id, customer_id, \
         action, changes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            at,
            author.kind.as_str(),
            author.id,
            entity.as_str(),
            entity_id,
            customer_id.map(|id| id.to_string()),
            action.as_str(),
            changes,
        ])
    })
    .map_err(storage("writing the change log"))?;
    Ok(())
}

/// Rows matching `query`, oldest first.
pub fn read(conn: &Connection, query: &ChangeLogQuery) -> Result<Vec<ChangeRecord>> {
    let mut sql = String::from(
        "SELECT seq, at, author_kind, author_id, entity, entity_id, customer_id, action, changes \
         FROM change_log WHERE 1 = 1",
    );
    let mut args: Vec<SqlValue> = Vec::new();
    if let Some(entity) = query.entity {
        sql.push_str(" AND entity = ?");
        args.push(entity.as_str().to_owned().into());
    }
    if let Some(id) = &query.entity_id {
        sql.push_str(" AND entity_id = ?");
        args.push(id.clone().into());
    }
    if let Some(customer) = query.customer_id {
        sql.push_str(" AND customer_id = ?");
        args.push(customer.to_string().into());
    }
    if let Some(author) = &query.author {
        sql.push_str(" AND author_kind = ? AND author_id = ?");
        args.extend([
            author.kind.as_str().to_owned().into(),
            author.id.clone().into(),
        ]);
    }
    if let Some(since) = query.since {
        sql.push_str(" AND at >= ?");
        args.push(time(since).into());
    }
    if let Some(after) = query.after_seq {
        sql.push_str(" AND seq > ?");
        args.push(after.into());
    }
    sql.push_str(" ORDER BY seq LIMIT ?");
    args.push(i64::from(query.limit.unwrap_or(DEFAULT_LIMIT)).into());
    conn.prepare_cached(&sql)
        .and_then(|mut stmt| stmt.query_map(params_from_iter(args), from_row)?.collect())
        .map_err(storage("reading the change log"))
}

/// Hands `each` every row, oldest first, without holding them all.
pub fn each(conn: &Connection, each: &mut dyn FnMut(StoredChange) -> Result<()>) -> Result<()> {
    let mut stmt = conn
        .prepare(
            "SELECT seq, at, author_kind, author_id, entity, entity_id, customer_id, action, \
             changes FROM change_log ORDER BY seq",
        )
        .map_err(storage("reading the change log"))?;
    let mut rows = stmt.query([]).map_err(storage("reading the change log"))?;
    while let Some(row) = rows.next().map_err(storage("reading the change log"))? {
        each(stored_from_row(row).map_err(storage("reading the change log"))?)?;
    }
    Ok(())
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<ChangeRecord> {
    stored_from_row(row)?
        .into_parsed()
        .map_err(|error| bad(8, error))
}

/// A row with its field changes left as the stored JSON text.
fn stored_from_row(row: &Row<'_>) -> rusqlite::Result<StoredChange> {
    Ok(StoredChange {
        seq: row.get(0)?,
        at: get_time(row, 1)?,
        author: Author {
            kind: get_parsed(row, 2)?,
            id: row.get(3)?,
        },
        entity: get_parsed(row, 4)?,
        entity_id: row.get(5)?,
        customer_id: get_opt_parsed(row, 6)?,
        action: get_parsed(row, 7)?,
        changes: get_raw_json(row, 8)?,
    })
}

/// Rows about a customer or a location that touch a notable field (or
/// archive, restore or transfer something), newest first.
pub fn notable(conn: &Connection, query: &NotableChangeQuery) -> Result<Vec<ChangeRecord>> {
    let mut sql = String::from(
        "SELECT seq, at, author_kind, author_id, entity, entity_id, customer_id, action, changes \
         FROM change_log c WHERE entity <> 'entry' AND action <> 'created' \
         AND (action IN ('archived', 'restored', 'transferred') \
         OR EXISTS (SELECT 1 FROM json_each(c.changes) change, json_each(?1) notable \
         WHERE json_extract(change.value, '$.field') = notable.value \
         OR json_extract(change.value, '$.field') LIKE notable.value || '.%'))",
    );
    let mut args: Vec<SqlValue> = vec![json(&NOTABLE_FIELDS)?.into()];
    if let Some(customer) = query.customer_id {
        sql.push_str(" AND customer_id = ?");
        args.push(customer.to_string().into());
    }
    if let Some(location) = query.location_id {
        sql.push_str(" AND entity = 'location' AND entity_id = ?");
        args.push(location.to_string().into());
    }
    if let Some(since) = query.since {
        sql.push_str(" AND at >= ?");
        args.push(time(since).into());
    }
    if let Some(until) = query.until {
        sql.push_str(" AND at < ?");
        args.push(time(until).into());
    }
    if let Some(before) = &query.before {
        sql.push_str(" AND at <= ? AND (at < ? OR printf('c:%020d', seq) < ?)");
        let at = time(before.at);
        args.extend([at.clone().into(), at.into(), before.key.clone().into()]);
    }
    sql.push_str(" ORDER BY at DESC, seq DESC LIMIT ?");
    args.push(i64::from(query.limit).into());
    conn.prepare_cached(&sql)
        .and_then(|mut stmt| stmt.query_map(params_from_iter(args), from_row)?.collect())
        .map_err(storage("reading notable changes"))
}
