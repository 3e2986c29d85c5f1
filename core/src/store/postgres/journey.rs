//! Touchpoints and visitor links in PostgreSQL: idempotent inserts keyed by
//! (source system, source event id), scans by person and time, linking (and
//! unlinking) an anonymous visitor's touchpoints, and customer summaries.

use chrono::{DateTime, Utc};
use postgres::Row;
use postgres::types::Json;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::db::{Db, Query, get, json, opt_parsed, parsed};
use crate::model::{Touchpoint, TouchpointQuery};
use crate::store::{CustomerSummary, JourneyRow};
use crate::{Author, CustomerId, Error, Result};

const COLUMNS: &str = "id, customer_id, visitor_id, at, channel, direction, actor, action, stage, \
     source, campaign, value, properties, source_system, source_event_id";

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
    })
}

/// `SELECT` and the columns [`from_row`] decodes, for a statement to go on.
pub const SELECT_COLUMNS: &str = "SELECT id, customer_id, visitor_id, at, channel, direction, \
     actor, action, stage, source, campaign, value, properties, source_system, source_event_id";

/// Every touchpoint, in storage order (for the integrity check).
pub const CHECK_SQL: &str = "SELECT id, customer_id, visitor_id, at, channel, direction, actor, \
     action, stage, source, campaign, value, properties, source_system, source_event_id \
     FROM touchpoints ORDER BY seq";

/// Stores a touchpoint exactly as another store had it: its customer, its
/// link flag and its author.
pub fn insert_as_was(
    db: &mut Db<'_>,
    touchpoint: &Touchpoint,
    author: &Author,
    linked: bool,
) -> Result<()> {
    db.execute(
        "importing touchpoints",
        "INSERT INTO touchpoints (id, customer_id, visitor_id, linked, at, channel, direction, \
         actor, action, stage, source, campaign, value, properties, source_system, \
         source_event_id, author_kind, author_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
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
        ],
    )?;
    Ok(())
}

/// Stores touchpoints; returns how many were skipped as already present
/// (the same source event). A touchpoint whose id is taken fails the batch.
pub fn insert(db: &mut Db<'_>, touchpoints: &[Touchpoint], author: &Author) -> Result<usize> {
    let mut skipped = 0;
    for touchpoint in touchpoints {
        let added = db.execute(
            "storing touchpoints",
            "INSERT INTO touchpoints (id, customer_id, visitor_id, linked, at, channel, \
             direction, actor, action, stage, source, campaign, value, properties, \
             source_system, source_event_id, author_kind, author_id) \
             SELECT $1, coalesce($2, link.customer_id), $3, \
             $2::uuid IS NULL AND link.customer_id IS NOT NULL, \
             $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17 \
             FROM (SELECT 1) one LEFT JOIN visitor_links link ON link.visitor_id = $3 \
             ON CONFLICT (source_system, source_event_id) WHERE source_system IS NOT NULL \
             DO NOTHING",
            &[
                &touchpoint.id.as_uuid(),
                &touchpoint.customer_id.map(|id| id.as_uuid()),
                &touchpoint.visitor_id,
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
            ],
        )?;
        skipped += usize::from(added == 0);
    }
    Ok(skipped)
}

/// Touchpoints matching `query`.
pub fn query(db: &mut Db<'_>, query: &TouchpointQuery) -> Result<Vec<Touchpoint>> {
    let mut sql = Query::new(format!("SELECT {COLUMNS} FROM touchpoints WHERE true"));
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
         WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2) \
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
