//! History entries in SQLite: one `history` row per entry (the entry as JSON
//! plus the columns it is found and ordered by), newest-first keyset scans,
//! the planned locations of a technician, and chemistry target profiles.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, params, params_from_iter};

use super::codec::{get_opt_time, get_parsed, json, storage, time};
use crate::model::Entry;
use crate::model::{EntryQuery, StoredEntry};
use crate::{Author, CustomerId, EntityKind, EntryId, Error, LocationId, Result, TechnicianId};

const COLUMNS: &str = "data, author_kind, author_id, archived_at, kind";

/// The entry in column 0, read as the kind in column 4 says: straight into
/// that kind's record, without the buffering an internally tagged enum needs
/// (the `entry` tag in the JSON is the same word as the column).
fn entry_of(row: &Row<'_>) -> rusqlite::Result<Entry> {
    fn read<T: serde::de::DeserializeOwned>(text: &str) -> serde_json::Result<T> {
        serde_json::from_str(text)
    }
    let text = row.get_ref(0)?.as_str()?;
    let kind = row.get_ref(4)?.as_str()?;
    let entry = match kind {
        "visit" => read(text).map(Entry::Visit),
        "invoice" => read(text).map(Entry::Invoice),
        "payment" => read(text).map(Entry::Payment),
        "credit" => read(text).map(Entry::Credit),
        "message" => read(text).map(Entry::Message),
        "issue" => read(text).map(Entry::Issue),
        "note" => read(text).map(Entry::Note),
        "feedback" => read(text).map(Entry::Feedback),
        _ => read(text),
    };
    entry.map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(error))
    })
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<StoredEntry> {
    Ok(StoredEntry {
        entry: entry_of(row)?,
        author: Author {
            kind: get_parsed(row, 1)?,
            id: row.get(2)?,
        },
        archived_at: get_opt_time(row, 3)?,
    })
}

/// The searchable columns of an entry, in `history` column order from `id` to `data`.
fn columns(entry: &Entry) -> Result<Vec<SqlValue>> {
    let optional = |value: Option<String>| value.map_or(SqlValue::Null, SqlValue::Text);
    let (body, status, number) = match entry {
        Entry::Visit(visit) => (
            visit.body_of_water_id.map(|id| id.to_string()),
            Some(visit.outcome.as_str().to_owned()),
            None,
        ),
        Entry::Issue(issue) => (
            issue.body_of_water_id.map(|id| id.to_string()),
            Some(issue.status.as_str().to_owned()),
            None,
        ),
        Entry::Invoice(invoice) => (None, None, Some(invoice.number.clone())),
        _ => (None, None, None),
    };
    Ok(vec![
        SqlValue::Text(entry.id().to_string()),
        SqlValue::Text(entry.kind().as_str().to_owned()),
        SqlValue::Text(entry.customer_id().to_string()),
        optional(entry.location_id().map(|id| id.to_string())),
        optional(body),
        SqlValue::Text(time(entry.at())),
        optional(status),
        optional(number),
        SqlValue::Text(json(entry)?),
    ])
}

fn refused(error: rusqlite::Error, doing: &'static str) -> Error {
    if error.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) {
        let message = error.to_string();
        if message.contains("history.number") {
            return Error::invalid("number", "another invoice already has this number");
        }
        if message.contains("history.id") {
            return Error::invalid("id", "an entry with this id already exists");
        }
    }
    super::codec::classify(doing, error)
}

/// Reads every entry back through the decoder the book uses; calls
/// `problem` with the id and error of each that fails; returns how many read.
pub fn check_rows(conn: &Connection, problem: &mut dyn FnMut(&str, String)) -> Result<u64> {
    let sql = format!("SELECT {COLUMNS}, id FROM history ORDER BY seq");
    super::codec::decode_each(conn, &sql, 5, from_row, problem)
}

/// Hands `visit` every entry, archived or not, in the order recorded, one
/// row at a time.
pub fn each(conn: &Connection, visit: &mut dyn FnMut(StoredEntry) -> Result<()>) -> Result<()> {
    let sql = format!("SELECT {COLUMNS} FROM history ORDER BY seq");
    super::codec::each_row(conn, &sql, "reading history", from_row, visit)
}

/// Stores a new entry recorded by `author`.
pub fn insert(conn: &Connection, entry: &Entry, author: &Author) -> Result<()> {
    let mut values = columns(entry)?;
    values.push(SqlValue::Text(author.kind.as_str().to_owned()));
    values.push(SqlValue::Text(author.id.clone()));
    conn.prepare_cached(
        "INSERT INTO history (id, kind, customer_id, location_id, body_of_water_id, at, status, \
         number, data, author_kind, author_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )
    .and_then(|mut stmt| stmt.execute(params_from_iter(values)))
    .map_err(|error| refused(error, "storing a history entry"))?;
    Ok(())
}

/// Replaces a stored entry (same id, same kind and customer).
pub fn update(conn: &Connection, entry: &Entry) -> Result<()> {
    let values = columns(entry)?;
    let changed = conn
        .prepare_cached(
            "UPDATE history SET location_id = ?4, body_of_water_id = ?5, at = ?6, status = ?7, \
             number = ?8, data = ?9 WHERE id = ?1 AND kind = ?2 AND customer_id = ?3",
        )
        .and_then(|mut stmt| stmt.execute(params_from_iter(values)))
        .map_err(|error| refused(error, "updating a history entry"))?;
    if changed == 0 {
        return Err(Error::not_found(EntityKind::Entry, entry.id()));
    }
    Ok(())
}

/// Archives or restores an entry.
pub fn set_archived(conn: &Connection, id: EntryId, archived_at: Option<String>) -> Result<()> {
    let changed = conn
        .execute(
            "UPDATE history SET archived_at = ?2 WHERE id = ?1",
            params![id.to_string(), archived_at],
        )
        .map_err(storage("archiving a history entry"))?;
    if changed == 0 {
        return Err(Error::not_found(EntityKind::Entry, id));
    }
    conn.execute(
        "UPDATE touchpoints SET archived_at = ?2 WHERE entry_id = ?1",
        params![id.to_string(), archived_at],
    )
    .map_err(storage("archiving an entry's touchpoints"))?;
    Ok(())
}

/// One entry.
pub fn load(conn: &Connection, id: EntryId) -> Result<Option<StoredEntry>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM history WHERE id = ?1"))
        .and_then(|mut stmt| stmt.query_row([id.to_string()], from_row).optional())
        .map_err(storage("reading a history entry"))
}

/// Entries matching `query`.
pub fn query(conn: &Connection, query: &EntryQuery) -> Result<Vec<StoredEntry>> {
    let (sql, args) = select(query)?;
    conn.prepare_cached(&sql)
        .and_then(|mut stmt| stmt.query_map(params_from_iter(args), from_row)?.collect())
        .map_err(storage("reading history"))
}

/// The statement and arguments that read the entries matching `query`.
fn select(query: &EntryQuery) -> Result<(String, Vec<SqlValue>)> {
    // The pool, location or customer is the selective filter: name its
    // index. Without statistics SQLite may take the (kind, at, id) index for
    // the order it gives, and walk every entry of that kind in the book.
    let index = if query.body_of_water_id.is_some() {
        " INDEXED BY history_by_body"
    } else if query.location_id.is_some() && query.kinds.len() == 1 {
        " INDEXED BY history_by_location_kind"
    } else if query.location_id.is_some() {
        " INDEXED BY history_by_location"
    } else if query.customer_id.is_some() && query.kinds.len() == 1 {
        " INDEXED BY history_by_customer_kind"
    } else if query.customer_id.is_some() {
        " INDEXED BY history_by_customer"
    } else {
        ""
    };
    let mut sql = format!("SELECT {COLUMNS} FROM history{index} WHERE 1 = 1");
    let mut args: Vec<SqlValue> = Vec::new();
    let mut filter = |clause: &str, value: String| {
        sql.push_str(clause);
        args.push(SqlValue::Text(value));
    };
    if let Some(customer) = query.customer_id {
        filter(" AND customer_id = ?", customer.to_string());
    }
    if let Some(location) = query.location_id {
        filter(" AND location_id = ?", location.to_string());
    }
    if let Some(body) = query.body_of_water_id {
        filter(" AND body_of_water_id = ?", body.to_string());
    }
    match query.kinds.as_slice() {
        [] => {}
        // One kind: an equality the (kind, at, id) index can range over in order.
        [kind] => filter(" AND kind = ?", kind.as_str().to_owned()),
        kinds => {
            let kinds: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
            filter(
                " AND kind IN (SELECT value FROM json_each(?))",
                json(&kinds)?,
            );
        }
    }
    if let Some(since) = query.since {
        filter(" AND at >= ?", time(since));
    }
    if let Some(until) = query.until {
        filter(" AND at < ?", time(until));
    }
    if let Some(status) = &query.status {
        filter(" AND status = ?", status.clone());
    }
    if let Some(before) = &query.before {
        let at = time(before.at);
        filter(" AND at <= ?", at.clone());
        filter(" AND (at < ?", at);
        filter(" OR 'e:' || id < ?)", before.key.clone());
    }
    if !query.include_archived {
        sql.push_str(" AND archived_at IS NULL");
    }
    sql.push_str(if query.newest_first {
        " ORDER BY at DESC, id DESC"
    } else {
        " ORDER BY at, id"
    });
    if let Some(limit) = query.limit {
        sql.push_str(" LIMIT ?");
        args.push(SqlValue::Integer(i64::from(limit)));
    }
    Ok((sql, args))
}

/// Live locations planned for `technician`, of active, live customers.
pub fn planned_locations(
    conn: &Connection,
    technician: TechnicianId,
) -> Result<Vec<(CustomerId, LocationId)>> {
    conn.prepare_cached(
        "SELECT l.customer_id, l.id FROM locations l JOIN customers c ON c.id = l.customer_id \
         WHERE l.plan_technician_id = ?1 AND l.archived_at IS NULL \
         AND c.archived_at IS NULL AND c.status = 'active' ORDER BY c.display_name, l.position",
    )
    .and_then(|mut stmt| {
        stmt.query_map([technician.to_string()], |row| {
            Ok((get_parsed(row, 0)?, get_parsed(row, 1)?))
        })?
        .collect()
    })
    .map_err(storage("finding a technician's planned locations"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::schema;
    use crate::{BodyOfWaterId, EntryKind};

    /// SQLite's plan for `query`, one line per step.
    fn plan(conn: &Connection, query: &EntryQuery) -> String {
        let (sql, args) = select(query).unwrap();
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let lines: Vec<String> = stmt
            .query_map(params_from_iter(args), |row| row.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        lines.join("\n")
    }

    #[test]
    fn a_stop_cards_reads_seek_the_pool_location_or_customer_not_every_entry_of_a_kind() {
        let mut conn = Connection::open_in_memory().unwrap();
        schema::migrate(&mut conn).unwrap();
        let last = |query: EntryQuery| EntryQuery {
            newest_first: true,
            limit: Some(3),
            ..query
        };
        let cases = [
            (
                last(EntryQuery {
                    body_of_water_id: Some(BodyOfWaterId::new()),
                    kinds: vec![EntryKind::Visit],
                    status: Some("completed".to_owned()),
                    ..EntryQuery::default()
                }),
                "USING INDEX history_by_body (body_of_water_id=? AND kind=?)",
            ),
            (
                last(EntryQuery {
                    location_id: Some(LocationId::new()),
                    kinds: vec![EntryKind::Message],
                    ..EntryQuery::default()
                }),
                "USING INDEX history_by_location_kind (location_id=? AND kind=?)",
            ),
            (
                EntryQuery {
                    location_id: Some(LocationId::new()),
                    newest_first: true,
                    before: Some(crate::ScanPosition {
                        at: chrono::Utc::now(),
                        key: "e:x".to_owned(),
                    }),
                    limit: Some(50),
                    ..EntryQuery::default()
                },
                "USING INDEX history_by_location (location_id=? AND at<?)",
            ),
            (
                EntryQuery {
                    customer_id: Some(CustomerId::new()),
                    kinds: vec![EntryKind::Visit],
                    since: Some(chrono::Utc::now()),
                    ..EntryQuery::default()
                },
                "USING INDEX history_by_customer_kind (customer_id=? AND kind=? AND at>?)",
            ),
            (
                last(EntryQuery {
                    customer_id: Some(CustomerId::new()),
                    ..EntryQuery::default()
                }),
                "USING INDEX history_by_customer (customer_id=?)",
            ),
        ];
        for (query, expected) in cases {
            let plan = plan(&conn, &query);
            assert!(plan.contains(expected), "{query:?}: {plan}");
            assert!(!plan.contains("TEMP B-TREE"), "{query:?} sorts: {plan}");
        }
    }
}
