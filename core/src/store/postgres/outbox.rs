//! The outbox in PostgreSQL: one `outbox` row per message the host reported
//! sending, keyed by the due message's idempotency key; and the planned
//! locations of the customers who asked for notice before visits.

use chrono::NaiveDate;
use postgres::Row;
use uuid::Uuid;

use super::db::{Db, Query, get, opt_parsed, parsed};
use crate::Result;
use crate::model::{OutboxQuery, OutboxRecord, ServicePlan};
use crate::store::NoticePlan;

const COLUMNS: &str = "key, rule, customer_id, contact_id, channel, address, template, variant, \
                       message_id, status, sent_at, delivered_at, failed_at, failure, replied_at, \
                       reply_kind";

fn from_row(row: &Row) -> Result<OutboxRecord> {
    Ok(OutboxRecord {
        key: get(row, 0)?,
        rule: parsed(row, 1)?,
        customer_id: get::<Uuid>(row, 2)?.into(),
        contact_id: get::<Option<Uuid>>(row, 3)?.map(Into::into),
        channel: parsed(row, 4)?,
        address: get(row, 5)?,
        template: get(row, 6)?,
        variant: get(row, 7)?,
        message_id: get::<Option<Uuid>>(row, 8)?.map(Into::into),
        status: parsed(row, 9)?,
        sent_at: get(row, 10)?,
        delivered_at: get(row, 11)?,
        failed_at: get(row, 12)?,
        failure: get(row, 13)?,
        replied_at: get(row, 14)?,
        reply_kind: opt_parsed(row, 15)?,
    })
}

/// Stores `record` under its key, new or replacing the row of that key.
pub fn put(db: &mut Db<'_>, record: &OutboxRecord) -> Result<()> {
    db.execute(
        "storing an outbox record",
        &format!(
            "INSERT INTO outbox ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             $11, $12, $13, $14, $15, $16) ON CONFLICT (key) DO UPDATE SET \
             status = excluded.status, delivered_at = excluded.delivered_at, \
             failed_at = excluded.failed_at, failure = excluded.failure, \
             replied_at = excluded.replied_at, reply_kind = excluded.reply_kind"
        ),
        &[
            &record.key,
            &record.rule.as_str(),
            &record.customer_id.as_uuid(),
            &record.contact_id.map(|id| id.as_uuid()),
            &record.channel.as_str(),
            &record.address,
            &record.template,
            &record.variant,
            &record.message_id.map(|id| id.as_uuid()),
            &record.status.as_str(),
            &record.sent_at,
            &record.delivered_at,
            &record.failed_at,
            &record.failure,
            &record.replied_at,
            &record.reply_kind.map(|kind| kind.as_str()),
        ],
    )?;
    Ok(())
}

/// Hands `visit` every outbox record, by sending time then key, one at a
/// time.
pub fn each(db: &mut Db<'_>, visit: &mut dyn FnMut(OutboxRecord) -> Result<()>) -> Result<()> {
    db.for_each(
        "reading the outbox",
        &format!("SELECT {COLUMNS} FROM outbox ORDER BY sent_at, key"),
        &[],
        |row| visit(from_row(row)?),
    )
}

/// Records matching `query`, by send time then key.
pub fn query(db: &mut Db<'_>, query: &OutboxQuery) -> Result<Vec<OutboxRecord>> {
    let mut sql = Query::new(format!("SELECT {COLUMNS} FROM outbox WHERE true"));
    let customer = query.customer_id.map(|id| id.as_uuid());
    let status = query.status.map(|status| status.as_str());
    if !query.keys.is_empty() {
        sql.filter(" AND key = ANY(?)", &query.keys);
    }
    if let Some(customer) = &customer {
        sql.filter(" AND customer_id = ?", customer);
    }
    if let Some(status) = &status {
        sql.filter(" AND status = ?", status);
    }
    if let Some(since) = &query.since {
        sql.filter(" AND sent_at >= ?", since);
    }
    if let Some(until) = &query.until {
        sql.filter(" AND sent_at < ?", until);
    }
    sql.push(" ORDER BY sent_at, key");
    db.query("reading the outbox", &sql.text, &sql.params)?
        .iter()
        .map(from_row)
        .collect()
}

/// Live planned locations of live, active customers with a visit notice.
pub fn notice_plans(db: &mut Db<'_>) -> Result<Vec<NoticePlan>> {
    db.query(
        "reading the planned locations of visit notices",
        "SELECT l.customer_id, l.id, l.plan_frequency, l.plan_weekday, l.plan_technician_id, \
         l.plan_starts_on, l.plan_ends_on, \
         (c.preferences -> 'notify_before_visit' ->> 'lead_time_minutes')::bigint, \
         l.plan_bills_chemicals \
         FROM locations l JOIN customers c ON c.id = l.customer_id \
         WHERE l.archived_at IS NULL AND l.plan_frequency IS NOT NULL \
         AND l.plan_starts_on IS NOT NULL AND c.archived_at IS NULL AND c.status = 'active' \
         AND jsonb_typeof(c.preferences -> 'notify_before_visit') = 'object' \
         ORDER BY l.customer_id, l.position",
        &[],
    )?
    .iter()
    .map(|row| {
        Ok(NoticePlan {
            customer_id: get::<Uuid>(row, 0)?.into(),
            location_id: get::<Uuid>(row, 1)?.into(),
            plan: ServicePlan {
                frequency: parsed(row, 2)?,
                preferred_weekday: opt_parsed(row, 3)?,
                technician_id: get::<Option<Uuid>>(row, 4)?.map(Into::into),
                starts_on: get::<NaiveDate>(row, 5)?,
                ends_on: get(row, 6)?,
                bills_chemicals: get(row, 8)?,
            },
            lead_time_minutes: get::<Option<i64>>(row, 7)?
                .and_then(|minutes| u32::try_from(minutes).ok())
                .unwrap_or(0),
        })
    })
    .collect()
}
