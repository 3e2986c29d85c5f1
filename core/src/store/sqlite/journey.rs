//! Touchpoints and visitor links in SQLite: idempotent inserts keyed by
//! (source system, source event id), scans by person and time, and linking
//! (and unlinking) an anonymous visitor's touchpoints to a customer.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::codec::{get_json, get_opt_parsed, get_parsed, get_time, json, storage, time};
use crate::model::Touchpoint;
use crate::model::TouchpointQuery;
use crate::store::{CustomerSummary, JourneyRow};
use crate::{Author, CustomerId, Error, Result};

const COLUMNS: &str = "id, customer_id, visitor_id, at, channel, direction, actor, action, stage, \
     source, campaign, value, properties, source_system, source_event_id";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Touchpoint> {
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
             source_event_id, author_kind, author_id) \
             SELECT ?1, coalesce(?2, link.customer_id), ?3, ?2 IS NULL AND link.customer_id IS NOT NULL, \
             ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17 \
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
    each: &mut dyn FnMut(Touchpoint, Author, bool) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {COLUMNS}, author_kind, author_id, linked FROM touchpoints ORDER BY seq"
        ))
        .map_err(storage("reading touchpoints"))?;
    let mut rows = stmt.query([]).map_err(storage("reading touchpoints"))?;
    while let Some(row) = rows.next().map_err(storage("reading touchpoints"))? {
        let author = Author {
            kind: get_parsed(row, 15).map_err(storage("reading touchpoints"))?,
            id: row.get(16).map_err(storage("reading touchpoints"))?,
        };
        let linked: bool = row.get(17).map_err(storage("reading touchpoints"))?;
        each(
            from_row(row).map_err(storage("reading touchpoints"))?,
            author,
            linked,
        )?;
    }
    Ok(())
}

/// Stores a touchpoint exactly as another store had it: its customer, its
/// link flag and its author.
pub fn insert_as_was(
    conn: &Connection,
    touchpoint: &Touchpoint,
    author: &Author,
    linked: bool,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO touchpoints (id, customer_id, visitor_id, linked, at, channel, direction, \
         actor, action, stage, source, campaign, value, properties, source_system, \
         source_event_id, author_kind, author_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
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
        ])
    })
    .map_err(storage("importing touchpoints"))?;
    Ok(())
}

/// Touchpoints matching `query`.
pub fn query(conn: &Connection, query: &TouchpointQuery) -> Result<Vec<Touchpoint>> {
    let mut sql = format!("SELECT {COLUMNS} FROM touchpoints WHERE 1 = 1");
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

/// Streams every touchpoint in `[since, until)` by person, then time.
pub fn scan(
    conn: &Connection,
    since: Option<String>,
    until: Option<String>,
    visit: &mut dyn FnMut(bool, JourneyRow) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT coalesce(customer_id, 'v:' || visitor_id), customer_id, at, action, channel, stage, \
             direction, actor, CASE WHEN customer_id IS NULL THEN visitor_id END, campaign \
             FROM touchpoints INDEXED BY touchpoints_by_person \
             WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at < ?2) \
             ORDER BY coalesce(customer_id, 'v:' || visitor_id), at, id",
        )
        .map_err(storage("scanning journeys"))?;
    let mut rows = stmt
        .query(params![since, until])
        .map_err(storage("scanning journeys"))?;
    let mut person = String::new();
    while let Some(row) = rows.next().map_err(storage("scanning journeys"))? {
        let key = row
            .get_ref(0)
            .and_then(|value| Ok(value.as_str()?))
            .map_err(storage("scanning journeys"))?;
        let new_person = key != person;
        if new_person {
            key.clone_into(&mut person);
        }
        let decoded = (|| {
            Ok::<_, rusqlite::Error>(JourneyRow {
                customer_id: get_opt_parsed(row, 1)?,
                at: get_time(row, 2)?,
                action: row.get(3)?,
                channel: get_parsed(row, 4)?,
                stage: get_opt_parsed(row, 5)?,
                direction: get_parsed(row, 6)?,
                actor: get_parsed(row, 7)?,
                visitor_id: row.get(8)?,
                campaign: row.get(9)?,
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
