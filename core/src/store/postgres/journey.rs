//! Touchpoints and visitor links in PostgreSQL: idempotent inserts keyed by
//! (source system, source event id), scans by person and time, linking (and
//! unlinking) an anonymous visitor's touchpoints, and customer summaries.

use chrono::{DateTime, Utc};
use postgres::Row;
use postgres::types::Json;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::db::{Db, Query, get, json, opt_parsed, parsed};
use crate::model::{Stage, Touchpoint, TouchpointQuery};
use crate::store::{CustomerSummary, JourneyRow};
use crate::{Author, CustomerId, EntityKind, EntryId, Error, Result};

pub(super) const COLUMNS: &str = "id, customer_id, visitor_id, at, channel, direction, actor, \
     action, stage, source, campaign, value, properties, source_system, source_event_id, entry_id";

/// Decodes a row of [`COLUMNS`].
pub fn from_row(row: &Row) -> Result<Touchpoint> {
    Ok(Touchpoint {
        id: get::<Uuid>(row, 0)?.into(),
        customer_id: get::<Option<Uuid>>(row, 1)?.map(Into::into),
        visitor_id: get(row, 2)?,
        at: get(row, 3)?,
        channel: parsed(row, 4)?,
        direction: parsed(row, 5)?,
        actor: parsed(row, 6)?,
        action: get(row, 7)?,
        stage: opt_parsed(row, 8)?,
        source: get(row, 9)?,
        campaign: get(row, 10)?,
        value: get::<Option<Decimal>>(row, 11)?,
        properties: json(row, 12)?,
        source_system: get(row, 13)?,
        source_event_id: get(row, 14)?,
        entry_id: get::<Option<Uuid>>(row, 15)?.map(Into::into),
    })
}

/// `SELECT` and the columns [`from_row`] decodes, for a statement to go on.
pub const SELECT_COLUMNS: &str = "SELECT id, customer_id, visitor_id, at, channel, direction, \
     actor, action, stage, source, campaign, value, properties, source_system, source_event_id, \
     entry_id";

/// Every touchpoint, in storage order (for the integrity check).
pub const CHECK_SQL: &str = "SELECT id, customer_id, visitor_id, at, channel, direction, actor, \
     action, stage, source, campaign, value, properties, source_system, source_event_id, entry_id \
     FROM touchpoints ORDER BY seq";

/// Stores a touchpoint exactly as another store had it: its customer, its
/// link flag, its author, the entry that wrote it and whether it is
/// archived with that entry.
pub fn insert_as_was(
    db: &mut Db<'_>,
    touchpoint: &Touchpoint,
    author: &Author,
    linked: bool,
    archived_at: Option<DateTime<Utc>>,
) -> Result<()> {
    db.execute(
        "importing touchpoints",
        "INSERT INTO touchpoints (id, customer_id, visitor_id, linked, at, channel, direction, \
         actor, action, stage, source, campaign, value, properties, source_system, \
         source_event_id, author_kind, author_id, entry_id, archived_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $19, $20)",
        &[
            &touchpoint.id.as_uuid(),
            &touchpoint.customer_id.map(|id| id.as_uuid()),
            &touchpoint.visitor_id,
            &linked,
            &touchpoint.at,
            &touchpoint.channel.as_str(),
            &touchpoint.direction.as_str(),
            &touchpoint.actor.as_str(),
            &touchpoint.action,
            &touchpoint.stage.map(|stage| stage.as_str()),
            &touchpoint.source,
            &touchpoint.campaign,
            &touchpoint.value,
            &Json(&touchpoint.properties),
            &touchpoint.source_system,
            &touchpoint.source_event_id,
            &author.kind.as_str(),
            &author.id,
            &touchpoint.entry_id.map(|id| id.as_uuid()),
            &archived_at,
        ],
    )?;
    Ok(())
}

/// Stores touchpoints; returns how many were skipped as already present
/// (the same source event). A touchpoint whose id is taken fails the batch.
/// They go in as one statement over arrays (`unnest`), in order: an
/// operation's batch (a thousand new customers) is one round trip.
pub fn insert(db: &mut Db<'_>, touchpoints: &[Touchpoint], author: &Author) -> Result<usize> {
    if touchpoints.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = touchpoints.iter().map(|t| t.id.as_uuid()).collect();
    let customers: Vec<Option<Uuid>> = touchpoints
        .iter()
        .map(|t| t.customer_id.map(|id| id.as_uuid()))
        .collect();
    let visitors: Vec<Option<&str>> = touchpoints
        .iter()
        .map(|t| t.visitor_id.as_deref())
        .collect();
    let ats: Vec<DateTime<Utc>> = touchpoints.iter().map(|t| t.at).collect();
    let channels: Vec<&str> = touchpoints.iter().map(|t| t.channel.as_str()).collect();
    let directions: Vec<&str> = touchpoints.iter().map(|t| t.direction.as_str()).collect();
    let actors: Vec<&str> = touchpoints.iter().map(|t| t.actor.as_str()).collect();
    let actions: Vec<&str> = touchpoints.iter().map(|t| t.action.as_str()).collect();
    let stages: Vec<Option<&str>> = touchpoints
        .iter()
        .map(|t| t.stage.map(|stage| stage.as_str()))
        .collect();
    let sources: Vec<Option<&str>> = touchpoints.iter().map(|t| t.source.as_deref()).collect();
    let campaigns: Vec<Option<&str>> = touchpoints.iter().map(|t| t.campaign.as_deref()).collect();
    let values: Vec<Option<Decimal>> = touchpoints.iter().map(|t| t.value).collect();
    let properties: Vec<Json<&_>> = touchpoints.iter().map(|t| Json(&t.properties)).collect();
    let systems: Vec<Option<&str>> = touchpoints
        .iter()
        .map(|t| t.source_system.as_deref())
        .collect();
    let events: Vec<Option<&str>> = touchpoints
        .iter()
        .map(|t| t.source_event_id.as_deref())
        .collect();
    let entries: Vec<Option<Uuid>> = touchpoints
        .iter()
        .map(|t| t.entry_id.map(|id| id.as_uuid()))
        .collect();
    let added = db.execute(
        "storing touchpoints",
        "INSERT INTO touchpoints (id, customer_id, visitor_id, linked, at, channel, \
         direction, actor, action, stage, source, campaign, value, properties, \
         source_system, source_event_id, author_kind, author_id, entry_id) \
         SELECT t.id, coalesce(t.customer_id, link.customer_id), t.visitor_id, \
         t.customer_id IS NULL AND link.customer_id IS NOT NULL, \
         t.at, t.channel, t.direction, t.actor, t.action, t.stage, t.source, t.campaign, \
         t.value, t.properties, t.source_system, t.source_event_id, $16, $17, t.entry_id \
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[], \
         $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], \
         $12::numeric[], $13::jsonb[], $14::text[], $15::text[], $18::uuid[]) \
         WITH ORDINALITY AS t (id, customer_id, visitor_id, at, channel, direction, actor, \
         action, stage, source, campaign, value, properties, source_system, \
         source_event_id, entry_id, n) \
         LEFT JOIN visitor_links link ON link.visitor_id = t.visitor_id \
         ORDER BY t.n \
         ON CONFLICT (source_system, source_event_id) WHERE source_system IS NOT NULL \
         DO NOTHING",
        &[
            &ids,
            &customers,
            &visitors,
            &ats,
            &channels,
            &directions,
            &actors,
            &actions,
            &stages,
            &sources,
            &campaigns,
            &values,
            &properties,
            &systems,
            &events,
            &author.kind.as_str(),
            &author.id,
            &entries,
        ],
    )?;
    Ok(touchpoints.len() - added as usize)
}

/// Touchpoints matching `query`.
pub fn query(db: &mut Db<'_>, query: &TouchpointQuery) -> Result<Vec<Touchpoint>> {
    let mut sql = Query::new(format!("SELECT {COLUMNS} FROM touchpoints WHERE true"));
    if !query.include_archived {
        sql.push(" AND archived_at IS NULL");
    }
    if query.exclude_operations {
        sql.push(" AND entry_id IS NULL AND source_system IS DISTINCT FROM 'poolbook'");
    }
    let customer = query.customer_id.map(|id| id.as_uuid());
    let limit = query.limit.map(i64::from);
    if let Some(customer) = &customer {
        sql.filter(" AND customer_id = ?", customer);
    }
    if let Some(visitor) = &query.visitor_id {
        sql.filter(" AND visitor_id = ?", visitor);
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
        sql.filter(" OR ('t:' || id::text) COLLATE \"C\" < ?)", &before.key);
    }
    sql.push(if query.newest_first {
        " ORDER BY at DESC, id DESC"
    } else {
        " ORDER BY at, id"
    });
    if let Some(limit) = &limit {
        sql.filter(" LIMIT ?", limit);
    }
    db.query("reading touchpoints", &sql.text, &sql.params)?
        .iter()
        .map(from_row)
        .collect()
}

/// Gives the touchpoints of `action` staged `from` the stage `to`.
pub fn restage(
    db: &mut Db<'_>,
    action: &str,
    from: Option<Stage>,
    to: Option<Stage>,
) -> Result<()> {
    db.execute(
        "restaging touchpoints",
        "UPDATE touchpoints SET stage = $3 WHERE action = $1 AND stage IS NOT DISTINCT FROM $2",
        &[
            &action,
            &from.map(|stage| stage.as_str()),
            &to.map(|stage| stage.as_str()),
        ],
    )?;
    Ok(())
}

/// Marks a stored touchpoint as the one an entry's operation wrote (a
/// touchpoint that described the operation before the book wrote its own).
pub fn link_entry(db: &mut Db<'_>, touchpoint: EntryId, entry: EntryId) -> Result<()> {
    let changed = db.execute(
        "linking a touchpoint to its entry",
        "UPDATE touchpoints SET entry_id = $2 WHERE id = $1",
        &[&touchpoint.as_uuid(), &entry.as_uuid()],
    )?;
    if changed == 0 {
        return Err(Error::not_found(EntityKind::Touchpoint, touchpoint));
    }
    Ok(())
}

/// The customer a visitor is linked to.
pub fn link_of(db: &mut Db<'_>, visitor_id: &str) -> Result<Option<CustomerId>> {
    db.query_opt(
        "reading a visitor link",
        "SELECT customer_id FROM visitor_links WHERE visitor_id = $1",
        &[&visitor_id],
    )?
    .map(|row| get::<Uuid>(&row, 0).map(CustomerId::from))
    .transpose()
}

/// Links a visitor to a customer and moves the visitor's anonymous touchpoints.
pub fn link(
    db: &mut Db<'_>,
    visitor_id: &str,
    customer: CustomerId,
    at: DateTime<Utc>,
) -> Result<()> {
    if let Some(existing) = link_of(db, visitor_id)? {
        return Err(Error::invalid(
            "visitor_id",
            if existing == customer {
                "is already linked to this customer"
            } else {
                "is linked to another customer; unlink it first"
            },
        ));
    }
    db.execute(
        "linking a visitor",
        "INSERT INTO visitor_links (visitor_id, customer_id, linked_at) VALUES ($1, $2, $3)",
        &[&visitor_id, &customer.as_uuid(), &at],
    )?;
    db.execute(
        "moving a visitor's touchpoints",
        "UPDATE touchpoints SET customer_id = $2, linked = true \
         WHERE visitor_id = $1 AND customer_id IS NULL",
        &[&visitor_id, &customer.as_uuid()],
    )?;
    Ok(())
}

/// Undoes a link: the touchpoints it moved go back to the visitor.
pub fn unlink(db: &mut Db<'_>, visitor_id: &str) -> Result<()> {
    let removed = db.execute(
        "unlinking a visitor",
        "DELETE FROM visitor_links WHERE visitor_id = $1",
        &[&visitor_id],
    )?;
    if removed == 0 {
        return Err(Error::invalid("visitor_id", "is not linked to a customer"));
    }
    db.execute(
        "returning a visitor's touchpoints",
        "UPDATE touchpoints SET customer_id = NULL, linked = false \
         WHERE visitor_id = $1 AND linked",
        &[&visitor_id],
    )?;
    Ok(())
}

/// Streams every touchpoint in `[since, until)` by person, then time.
pub fn scan(
    db: &mut Db<'_>,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    visit: &mut dyn FnMut(bool, JourneyRow) -> Result<()>,
) -> Result<()> {
    let mut person = String::new();
    db.for_each(
        "scanning journeys",
        "SELECT coalesce(customer_id::text, 'v:' || visitor_id) COLLATE \"C\" AS person, \
         customer_id, at, action, channel, stage, direction, actor, \
         CASE WHEN customer_id IS NULL THEN visitor_id END, campaign \
         FROM touchpoints \
         WHERE archived_at IS NULL \
         AND ($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2) \
         ORDER BY person, at, id",
        &[&since, &until],
        |row| {
            let key: &str = row
                .try_get(0)
                .map_err(|error| Error::storage("scanning journeys", error))?;
            let new_person = key != person;
            if new_person {
                key.clone_into(&mut person);
            }
            visit(
                new_person,
                JourneyRow {
                    customer_id: get::<Option<Uuid>>(row, 1)?.map(Into::into),
                    at: get(row, 2)?,
                    action: get(row, 3)?,
                    channel: parsed(row, 4)?,
                    stage: opt_parsed(row, 5)?,
                    direction: parsed(row, 6)?,
                    actor: parsed(row, 7)?,
                    visitor_id: get(row, 8)?,
                    campaign: get(row, 9)?,
                },
            )
        },
    )
}

/// A summary of every customer, in the order they were added.
pub fn customer_summaries(db: &mut Db<'_>) -> Result<Vec<CustomerSummary>> {
    db.query(
        "reading customer summaries",
        "SELECT c.id, c.display_name, c.kind, c.status, \
         coalesce((SELECT array_agg(t.tag ORDER BY t.tag) FROM customer_tags t \
         WHERE t.customer_id = c.id), '{}'), c.archived_at IS NOT NULL \
         FROM customers c ORDER BY c.seq",
        &[],
    )?
    .iter()
    .map(|row| {
        Ok(CustomerSummary {
            id: get::<Uuid>(row, 0)?.into(),
            display_name: get(row, 1)?,
            kind: parsed(row, 2)?,
            status: parsed(row, 3)?,
            tags: get(row, 4)?,
            archived: get(row, 5)?,
        })
    })
    .collect()
}
