//! Touchpoints and visitor links in SQLite: idempotent inserts keyed by
//! (source system, source event id), scans by person and time, and linking
//! (and unlinking) an anonymous visitor's touchpoints to a customer.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use chrono::{DateTime, Utc};

use super::codec::{
    get_json, get_opt_parsed, get_opt_time, get_parsed, get_time, json, storage, time,
};
use crate::model::TouchpointQuery;
use crate::model::{Stage, Touchpoint};
use crate::store::{CustomerSummary, JourneyRow};
use crate::{Author, CustomerId, EntityKind, EntryId, Error, Result};

pub(super) const COLUMNS: &str = "id, customer_id, visitor_id, at, channel, direction, actor, action, stage, \
     source, campaign, value, properties, source_system, source_event_id, entry_id";

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Touchpoint> {
    Ok(Touchpoint {
        id: get_parsed(row, 0)?,
        customer_id: get_opt_parsed(row, 1)?,
        visitor_id: row.get(2)?,
        at: get_time(row, 3)?,
        channel: get_parsed(row, 4)?,
        direction: get_parsed(row, 5)?,
        actor: get_parsed(row, 6)?,
        action: row.get(7)?,
        stage: get_opt_parsed(row, 8)?,
        source: row.get(9)?,
        campaign: row.get(10)?,
        value: get_opt_parsed(row, 11)?,
        properties: get_json(row, 12)?,
        source_system: row.get(13)?,
        source_event_id: row.get(14)?,
        entry_id: get_opt_parsed(row, 15)?,
    })
}

/// Reads every touchpoint back through the decoder the book uses; calls
/// `problem` with the id and error of each that fails; returns how many read.
pub fn check_rows(conn: &Connection, problem: &mut dyn FnMut(&str, String)) -> Result<u64> {
    let sql = format!("SELECT {COLUMNS} FROM touchpoints ORDER BY seq");
    super::codec::decode_each(conn, &sql, 0, from_row, problem)
}

/// Stores touchpoints; returns how many were skipped as already present
/// (the same source event). A touchpoint whose id is taken is an error, not
/// a skip: the batch fails whole.
pub fn insert(conn: &Connection, touchpoints: &[Touchpoint], author: &Author) -> Result<usize> {
    let mut insert = conn
        .prepare_cached(
            "INSERT INTO touchpoints (id, customer_id, visitor_id, linked, at, channel, direction, \
             actor, action, stage, source, campaign, value, properties, source_system, \
             source_event_id, author_kind, author_id, entry_id) \
             SELECT ?1, coalesce(?2, link.customer_id), ?3, ?2 IS NULL AND link.customer_id IS NOT NULL, \
             ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18 \
             FROM (SELECT NULL) LEFT JOIN visitor_links link ON link.visitor_id = ?3 \
             WHERE true \
             ON CONFLICT (source_system, source_event_id) WHERE source_system IS NOT NULL DO NOTHING",
        )
        .map_err(storage("storing touchpoints"))?;
    let mut skipped = 0;
    for touchpoint in touchpoints {
        let added = insert
            .execute(params![
                touchpoint.id.to_string(),
                touchpoint.customer_id.map(|id| id.to_string()),
                touchpoint.visitor_id,
                time(touchpoint.at),
                touchpoint.channel.as_str(),
                touchpoint.direction.as_str(),
                touchpoint.actor.as_str(),
                touchpoint.action,
                touchpoint.stage.map(|stage| stage.as_str()),
                touchpoint.source,
                touchpoint.campaign,
                touchpoint.value.map(|value| value.to_string()),
                json(&touchpoint.properties)?,
                touchpoint.source_system,
                touchpoint.source_event_id,
                author.kind.as_str(),
                author.id,
                touchpoint.entry_id.map(|id| id.to_string()),
            ])
            .map_err(storage("storing touchpoints"))?;
        skipped += 1 - added;
    }
    Ok(skipped)
}

/// Hands `each` every touchpoint in the order stored, with who recorded it
/// and whether its customer came from a visitor link.
pub fn each_with_author(
    conn: &Connection,
    each: &mut dyn FnMut(Touchpoint, Author, bool, Option<DateTime<Utc>>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {COLUMNS}, author_kind, author_id, linked, archived_at FROM touchpoints \
             ORDER BY seq"
        ))
        .map_err(storage("reading touchpoints"))?;
    let mut rows = stmt.query([]).map_err(storage("reading touchpoints"))?;
    while let Some(row) = rows.next().map_err(storage("reading touchpoints"))? {
        let author = Author {
            kind: get_parsed(row, 16).map_err(storage("reading touchpoints"))?,
            id: row.get(17).map_err(storage("reading touchpoints"))?,
        };
        let linked: bool = row.get(18).map_err(storage("reading touchpoints"))?;
        let archived_at = get_opt_time(row, 19).map_err(storage("reading touchpoints"))?;
        each(
            from_row(row).map_err(storage("reading touchpoints"))?,
            author,
            linked,
            archived_at,
        )?;
    }
    Ok(())
}

/// Stores a touchpoint exactly as another store had it: its customer, its
/// link flag, its author, the entry that wrote it and whether it is
/// archived with that entry.
pub fn insert_as_was(
    conn: &Connection,
    touchpoint: &Touchpoint,
    author: &Author,
    linked: bool,
    archived_at: Option<DateTime<Utc>>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO touchpoints (id, customer_id, visitor_id, linked, at, channel, direction, \
         actor, action, stage, source, campaign, value, properties, source_system, \
         source_event_id, author_kind, author_id, entry_id, archived_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
         ?19, ?20)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            touchpoint.id.to_string(),
            touchpoint.customer_id.map(|id| id.to_string()),
            touchpoint.visitor_id,
            linked,
            time(touchpoint.at),
            touchpoint.channel.as_str(),
            touchpoint.direction.as_str(),
            touchpoint.actor.as_str(),
            touchpoint.action,
            touchpoint.stage.map(|stage| stage.as_str()),
            touchpoint.source,
            touchpoint.campaign,
            touchpoint.value.map(|value| value.to_string()),
            serde_json::to_string(&touchpoint.properties)
                .map_err(|error| rusqlite::Error::ToSqlConversionFailure(Box::new(error)))?,
            touchpoint.source_system,
            touchpoint.source_event_id,
            author.kind.as_str(),
            author.id,
            touchpoint.entry_id.map(|id| id.to_string()),
            archived_at.map(time),
        ])
    })
    .map_err(storage("importing touchpoints"))?;
    Ok(())
}

/// Touchpoints matching `query`.
pub fn query(conn: &Connection, query: &TouchpointQuery) -> Result<Vec<Touchpoint>> {
    let mut sql = format!("SELECT {COLUMNS} FROM touchpoints WHERE 1 = 1");
    if !query.include_archived {
        sql.push_str(" AND archived_at IS NULL");
    }
    if query.exclude_operations {
        sql.push_str(" AND entry_id IS NULL AND source_system IS NOT 'poolbook'");
    }
    let mut args: Vec<SqlValue> = Vec::new();
    let mut filter = |clause: &str, value: String| {
        sql.push_str(clause);
        args.push(SqlValue::Text(value));
    };
    if let Some(customer) = query.customer_id {
        filter(" AND customer_id = ?", customer.to_string());
    }
    if let Some(visitor) = &query.visitor_id {
        filter(" AND visitor_id = ?", visitor.clone());
    }
    if let Some(since) = query.since {
        filter(" AND at >= ?", time(since));
    }
    if let Some(until) = query.until {
        filter(" AND at < ?", time(until));
    }
    if let Some(before) = &query.before {
        let at = time(before.at);
        filter(" AND at <= ?", at.clone());
        filter(" AND (at < ?", at);
        filter(" OR 't:' || id < ?)", before.key.clone());
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
    conn.prepare_cached(&sql)
        .and_then(|mut stmt| stmt.query_map(params_from_iter(args), from_row)?.collect())
        .map_err(storage("reading touchpoints"))
}

/// Gives the touchpoints of `action` staged `from` the stage `to`.
pub fn restage(
    conn: &Connection,
    action: &str,
    from: Option<Stage>,
    to: Option<Stage>,
) -> Result<()> {
    conn.execute(
        "UPDATE touchpoints SET stage = ?3 WHERE action = ?1 AND stage IS ?2",
        params![action, from.map(|s| s.as_str()), to.map(|s| s.as_str())],
    )
    .map_err(storage("restaging touchpoints"))?;
    Ok(())
}

/// Marks a stored touchpoint as the one an entry's operation wrote (a
/// touchpoint that described the operation before the book wrote its own).
pub fn link_entry(conn: &Connection, touchpoint: EntryId, entry: EntryId) -> Result<()> {
    let changed = conn
        .execute(
            "UPDATE touchpoints SET entry_id = ?2 WHERE id = ?1",
            params![touchpoint.to_string(), entry.to_string()],
        )
        .map_err(storage("linking a touchpoint to its entry"))?;
    if changed == 0 {
        return Err(Error::not_found(EntityKind::Touchpoint, touchpoint));
    }
    Ok(())
}

/// The customer a visitor is linked to.
pub fn link_of(conn: &Connection, visitor_id: &str) -> Result<Option<CustomerId>> {
    conn.prepare_cached("SELECT customer_id FROM visitor_links WHERE visitor_id = ?1")
        .and_then(|mut stmt| {
            stmt.query_row([visitor_id], |row| get_parsed(row, 0))
                .optional()
        })
        .map_err(storage("reading a visitor link"))
}

/// Links a visitor to a customer and moves the visitor's anonymous touchpoints.
pub fn link(conn: &Connection, visitor_id: &str, customer: CustomerId, at: &str) -> Result<()> {
    if let Some(existing) = link_of(conn, visitor_id)? {
        return Err(Error::invalid(
            "visitor_id",
            if existing == customer {
                "is already linked to this customer"
            } else {
                "is linked to another customer; unlink it first"
            },
        ));
    }
    conn.execute(
        "INSERT INTO visitor_links (visitor_id, customer_id, linked_at) VALUES (?1, ?2, ?3)",
        params![visitor_id, customer.to_string(), at],
    )
    .map_err(storage("linking a visitor"))?;
    conn.execute(
        "UPDATE touchpoints SET customer_id = ?2, linked = 1 \
         WHERE visitor_id = ?1 AND customer_id IS NULL",
        params![visitor_id, customer.to_string()],
    )
    .map_err(storage("moving a visitor's touchpoints"))?;
    Ok(())
}

/// Undoes a link: the touchpoints it moved go back to the visitor.
pub fn unlink(conn: &Connection, visitor_id: &str) -> Result<()> {
    let removed = conn
        .execute(
            "DELETE FROM visitor_links WHERE visitor_id = ?1",
            [visitor_id],
        )
        .map_err(storage("unlinking a visitor"))?;
    if removed == 0 {
        return Err(Error::invalid("visitor_id", "is not linked to a customer"));
    }
    conn.execute(
        "UPDATE touchpoints SET customer_id = NULL, linked = 0 WHERE visitor_id = ?1 AND linked = 1",
        [visitor_id],
    )
    .map_err(storage("returning a visitor's touchpoints"))?;
    Ok(())
}

/// The journey scan's statement: the person key, then what a
/// [`JourneyRow`] needs, from the person index alone.
const SCAN: &str = "SELECT coalesce(customer_id, 'v:' || visitor_id), at, action, channel, \
     stage, direction, actor, campaign \
     FROM touchpoints INDEXED BY touchpoints_by_person \
     WHERE archived_at IS NULL AND (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at < ?2) \
     ORDER BY coalesce(customer_id, 'v:' || visitor_id), at, id";

/// Streams every touchpoint in `[since, until)` by person, then time.
///
/// It reads the person index alone (step 11 made it covering): the person
/// key is the customer id, or `v:` and the visitor id for a person not yet
/// known, so the scan never looks up a table row.
pub fn scan(
    conn: &Connection,
    since: Option<String>,
    until: Option<String>,
    visit: &mut dyn FnMut(bool, JourneyRow) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn
        .prepare_cached(SCAN)
        .map_err(storage("scanning journeys"))?;
    let mut rows = stmt
        .query(params![since, until])
        .map_err(storage("scanning journeys"))?;
    let mut person = String::new();
    let mut customer_id = None;
    while let Some(row) = rows.next().map_err(storage("scanning journeys"))? {
        let key = row
            .get_ref(0)
            .and_then(|value| Ok(value.as_str()?))
            .map_err(storage("scanning journeys"))?;
        let new_person = key != person;
        if new_person {
            key.clone_into(&mut person);
            customer_id = if person.starts_with("v:") {
                None
            } else {
                Some(get_parsed(row, 0).map_err(storage("scanning journeys"))?)
            };
        }
        let decoded = (|| {
            Ok::<_, rusqlite::Error>(JourneyRow {
                customer_id,
                at: get_time(row, 1)?,
                action: row.get(2)?,
                channel: get_parsed(row, 3)?,
                stage: get_opt_parsed(row, 4)?,
                direction: get_parsed(row, 5)?,
                actor: get_parsed(row, 6)?,
                visitor_id: person.strip_prefix("v:").map(str::to_owned),
                campaign: row.get(7)?,
            })
        })()
        .map_err(storage("scanning journeys"))?;
        visit(new_person, decoded)?;
    }
    Ok(())
}

/// A summary of every customer.
pub fn customer_summaries(conn: &Connection) -> Result<Vec<CustomerSummary>> {
    conn.prepare_cached(
        "SELECT c.id, c.display_name, c.kind, c.status, coalesce((SELECT json_group_array(tag) \
         FROM customer_tags t WHERE t.customer_id = c.id), '[]'), c.archived_at IS NOT NULL \
         FROM customers c",
    )
    .and_then(|mut stmt| {
        stmt.query_map([], |row| {
            Ok(CustomerSummary {
                id: get_parsed(row, 0)?,
                display_name: row.get(1)?,
                kind: get_parsed(row, 2)?,
                status: get_parsed(row, 3)?,
                tags: get_json(row, 4)?,
                archived: row.get(5)?,
            })
        })?
        .collect()
    })
    .map_err(storage("reading customer summaries"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::schema;

    #[test]
    fn the_journey_scan_reads_the_person_index_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        schema::migrate(&mut conn).unwrap();
        let plan: String = conn
            .query_row(
                &format!("EXPLAIN QUERY PLAN {SCAN}"),
                params![None::<String>, None::<String>],
                |row| row.get(3),
            )
            .unwrap();
        assert!(
            plan.contains("USING COVERING INDEX touchpoints_by_person"),
            "{plan}"
        );
    }
}
