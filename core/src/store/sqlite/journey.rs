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

/// Stores one touchpoint, its customer taken from the visitor's link when it
/// has none. The link is read by subqueries, not a join: SQLite compiled
/// the join form again in every transaction (a sixth of a recorded visit's
/// time), and a statement that reads a join's plan never is.
const INSERT: &str = "INSERT INTO touchpoints (id, customer_id, visitor_id, linked, at, channel, \
     direction, actor, action, stage, source, campaign, value, properties, source_system, \
     source_event_id, author_kind, author_id, entry_id) \
     VALUES (?1, coalesce(?2, (SELECT customer_id FROM visitor_links WHERE visitor_id = ?3)), \
     ?3, ?2 IS NULL AND EXISTS (SELECT 1 FROM visitor_links WHERE visitor_id = ?3), \
     ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) \
     ON CONFLICT (source_system, source_event_id) WHERE source_system IS NOT NULL DO NOTHING";

/// Stores touchpoints; returns how many were skipped as already present
/// (the same source event). A touchpoint whose id is taken is an error, not
/// a skip: the batch fails whole.
pub fn insert(conn: &Connection, touchpoints: &[Touchpoint], author: &Author) -> Result<usize> {
    let mut insert = conn
        .prepare_cached(INSERT)
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

/// The journey scan's statement for people from a person key on (`?3`),
/// and below another (`?4`) when `$below` is the bound's clause: the person
/// key, then what a [`JourneyRow`] needs, from the person index alone.
macro_rules! scan_sql {
    ($below:literal) => {
        concat!(
            "SELECT coalesce(customer_id, 'v:' || visitor_id), at, action, channel, \
             stage, direction, actor, campaign \
             FROM touchpoints INDEXED BY touchpoints_by_person \
             WHERE archived_at IS NULL AND (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at < ?2) \
             AND coalesce(customer_id, 'v:' || visitor_id) >= ?3",
            $below,
            " ORDER BY coalesce(customer_id, 'v:' || visitor_id), at, id"
        )
    };
}

/// The scan of every person from a key on.
const SCAN_FROM: &str = scan_sql!("");
/// The scan of the people from a key up to (not including) another.
const SCAN_BETWEEN: &str = scan_sql!(" AND coalesce(customer_id, 'v:' || visitor_id) < ?4");

/// A range of person keys (a customer id, or `v:` and a visitor id):
/// from `from` on, up to but not including `below` when there is one.
#[derive(Debug, Clone, Copy)]
pub struct People<'a> {
    /// The first key in the range ("" for the first range).
    pub from: &'a str,
    /// The first key after the range; `None` for the last range.
    pub below: Option<&'a str>,
}

impl People<'_> {
    /// Every person.
    pub const ALL: People<'static> = People {
        from: "",
        below: None,
    };
}

/// Streams every touchpoint in `[since, until)` of the `people`, by person,
/// then time.
///
/// It reads the person index alone (step 11 made it covering): the person
/// key is the customer id, or `v:` and the visitor id for a person not yet
/// known, so the scan never looks up a table row. Both key bounds are a
/// range of that index, so a part of a split scan reads only its own people.
pub fn scan(
    conn: &Connection,
    since: Option<&str>,
    until: Option<&str>,
    people: People<'_>,
    visit: &mut dyn FnMut(bool, JourneyRow) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn
        .prepare_cached(if people.below.is_some() {
            SCAN_BETWEEN
        } else {
            SCAN_FROM
        })
        .map_err(storage("scanning journeys"))?;
    let mut rows = match people.below {
        Some(below) => stmt.query(params![since, until, people.from, below]),
        None => stmt.query(params![since, until, people.from]),
    }
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

/// How many rows [`split_keys`] samples.
const SPLIT_SAMPLES: i64 = 512;

/// The person keys that split the journey scan into at most `parts` ranges
/// of about as many touchpoints each, none with fewer than `min_per_part`
/// (counted by row id): empty when the book is too small to split. The keys come from a sample of rows spread evenly over the table
/// (`seq` is its dense row id), so finding them reads a few hundred rows,
/// not the index.
pub fn split_keys(conn: &Connection, parts: usize, min_per_part: i64) -> Result<Vec<String>> {
    let (first, last): (Option<i64>, Option<i64>) = conn
        .query_row("SELECT min(seq), max(seq) FROM touchpoints", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .map_err(storage("sizing the journey scan"))?;
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(Vec::new());
    };
    let span = last - first + 1;
    let parts = (parts as i64).min(span / min_per_part.max(1));
    if parts < 2 {
        return Ok(Vec::new());
    }
    let mut stmt = conn
        .prepare_cached(
            "SELECT coalesce(customer_id, 'v:' || visitor_id) FROM touchpoints \
             WHERE seq >= ?1 ORDER BY seq LIMIT 1",
        )
        .map_err(storage("sizing the journey scan"))?;
    let mut sample = Vec::with_capacity(SPLIT_SAMPLES as usize);
    for index in 0..SPLIT_SAMPLES {
        let seq = first + span * index / SPLIT_SAMPLES;
        if let Some(key) = stmt
            .query_row([seq], |row| row.get::<_, String>(0))
            .optional()
            .map_err(storage("sizing the journey scan"))?
        {
            sample.push(key);
        }
    }
    sample.sort_unstable();
    let mut keys: Vec<String> = (1..parts)
        .map(|part| sample[sample.len() * part as usize / parts as usize].clone())
        .collect();
    keys.dedup();
    Ok(keys)
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
    use crate::JourneyChannel;
    use crate::store::sqlite::schema;
    use rusqlite::StatementStatus;

    #[test]
    fn storing_touchpoints_keeps_its_compiled_statement_across_transactions() {
        let mut conn = Connection::open_in_memory().unwrap();
        schema::migrate(&mut conn).unwrap();
        for n in 0..3 {
            let tx = conn.transaction().unwrap();
            let touchpoint = Touchpoint::by_visitor(
                format!("v{n}"),
                Utc::now(),
                JourneyChannel::Website,
                "visited",
            );
            insert(&tx, &[touchpoint], &Author::office("test")).unwrap();
            tx.commit().unwrap();
        }
        let statement = conn.prepare_cached(INSERT).unwrap();
        assert_eq!(statement.get_status(StatementStatus::Run), 3);
        assert_eq!(statement.get_status(StatementStatus::RePrepare), 0);
    }

    #[test]
    fn the_journey_scan_reads_the_person_index_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        schema::migrate(&mut conn).unwrap();
        let plan: String = conn
            .query_row(
                &format!("EXPLAIN QUERY PLAN {SCAN_FROM}"),
                params![None::<String>, None::<String>, ""],
                |row| row.get(3),
            )
            .unwrap();
        assert!(
            plan.contains("USING COVERING INDEX touchpoints_by_person"),
            "{plan}"
        );
    }

    #[test]
    fn a_part_of_a_split_scan_reads_only_its_range_of_the_person_index() {
        let mut conn = Connection::open_in_memory().unwrap();
        schema::migrate(&mut conn).unwrap();
        let plan: String = conn
            .query_row(
                &format!("EXPLAIN QUERY PLAN {SCAN_BETWEEN}"),
                params![None::<String>, None::<String>, "a", "b"],
                |row| row.get(3),
            )
            .unwrap();
        assert!(
            plan.contains("SEARCH touchpoints USING COVERING INDEX touchpoints_by_person")
                && plan.contains(">? AND")
                && plan.contains("<?)"),
            "{plan}"
        );
    }
}
