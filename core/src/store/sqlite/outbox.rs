//! The outbox in SQLite: one `outbox` row per message the host reported
//! sending, keyed by the due message's idempotency key; and the planned
//! locations of the customers who asked for notice before visits.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, Row, params, params_from_iter};

use super::codec::{
    get_opt_day, get_opt_parsed, get_opt_time, get_parsed, get_time, json, storage, time,
};
use crate::Result;
use crate::model::{OutboxQuery, OutboxRecord, ServicePlan};
use crate::store::NoticePlan;

const COLUMNS: &str = "key, rule, customer_id, contact_id, channel, address, template, variant, \
                       message_id, status, sent_at, delivered_at, failed_at, failure, replied_at, \
                       reply_kind";

fn from_row(row: &Row<'_>) -> rusqlite::Result<OutboxRecord> {
    Ok(OutboxRecord {
        key: row.get(0)?,
        rule: get_parsed(row, 1)?,
        customer_id: get_parsed(row, 2)?,
        contact_id: get_opt_parsed(row, 3)?,
        channel: get_parsed(row, 4)?,
        address: row.get(5)?,
        template: row.get(6)?,
        variant: row.get(7)?,
        message_id: get_opt_parsed(row, 8)?,
        status: get_parsed(row, 9)?,
        sent_at: get_time(row, 10)?,
        delivered_at: get_opt_time(row, 11)?,
        failed_at: get_opt_time(row, 12)?,
        failure: row.get(13)?,
        replied_at: get_opt_time(row, 14)?,
        reply_kind: get_opt_parsed(row, 15)?,
    })
}

/// Stores `record` under its key, new or replacing the row of that key.
pub fn put(conn: &Connection, record: &OutboxRecord) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO outbox ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, \
         ?12, ?13, ?14, ?15, ?16) ON CONFLICT (key) DO UPDATE SET status = excluded.status, \
         delivered_at = excluded.delivered_at, failed_at = excluded.failed_at, \
         failure = excluded.failure, replied_at = excluded.replied_at, \
         reply_kind = excluded.reply_kind"
    ))
    .and_then(|mut stmt| {
        stmt.execute(params![
            record.key,
            record.rule.as_str(),
            record.customer_id.to_string(),
            record.contact_id.map(|id| id.to_string()),
            record.channel.as_str(),
            record.address,
            record.template,
            record.variant,
            record.message_id.map(|id| id.to_string()),
            record.status.as_str(),
            time(record.sent_at),
            record.delivered_at.map(time),
            record.failed_at.map(time),
            record.failure,
            record.replied_at.map(time),
            record.reply_kind.map(|kind| kind.as_str()),
        ])
    })
    .map_err(storage("storing an outbox record"))?;
    Ok(())
}

/// Records matching `query`, by send time then key.
pub fn query(conn: &Connection, query: &OutboxQuery) -> Result<Vec<OutboxRecord>> {
    let mut sql = format!("SELECT {COLUMNS} FROM outbox WHERE 1 = 1");
    let mut args: Vec<SqlValue> = Vec::new();
    if !query.keys.is_empty() {
        sql.push_str(" AND key IN (SELECT value FROM json_each(?))");
        args.push(SqlValue::Text(json(&query.keys)?));
    }
    if let Some(customer) = query.customer_id {
        sql.push_str(" AND customer_id = ?");
        args.push(SqlValue::Text(customer.to_string()));
    }
    if let Some(status) = query.status {
        sql.push_str(" AND status = ?");
        args.push(SqlValue::Text(status.as_str().to_owned()));
    }
    if let Some(since) = query.since {
        sql.push_str(" AND sent_at >= ?");
        args.push(SqlValue::Text(time(since)));
    }
    if let Some(until) = query.until {
        sql.push_str(" AND sent_at < ?");
        args.push(SqlValue::Text(time(until)));
    }
    sql.push_str(" ORDER BY sent_at, key");
    conn.prepare_cached(&sql)
        .and_then(|mut stmt| stmt.query_map(params_from_iter(args), from_row)?.collect())
        .map_err(storage("reading the outbox"))
}

/// Hands `visit` every outbox record, by sending time then key, one at a
/// time.
pub fn each(conn: &Connection, visit: &mut dyn FnMut(OutboxRecord) -> Result<()>) -> Result<()> {
    let sql = format!("SELECT {COLUMNS} FROM outbox ORDER BY sent_at, key");
    super::codec::each_row(conn, &sql, "reading the outbox", from_row, visit)
}

/// Live planned locations of live, active customers with a visit notice.
pub fn notice_plans(conn: &Connection) -> Result<Vec<NoticePlan>> {
    conn.prepare_cached(
        "SELECT l.customer_id, l.id, l.plan_frequency, l.plan_weekday, l.plan_technician_id, \
         l.plan_starts_on, l.plan_ends_on, \
         json_extract(c.preferences, '$.notify_before_visit.lead_time_minutes'), \
         l.plan_bills_chemicals \
         FROM locations l JOIN customers c ON c.id = l.customer_id \
         WHERE l.archived_at IS NULL AND l.plan_frequency IS NOT NULL \
         AND c.archived_at IS NULL AND c.status = 'active' \
         AND json_type(c.preferences, '$.notify_before_visit') = 'object' \
         ORDER BY l.customer_id, l.position",
    )
    .and_then(|mut stmt| {
        stmt.query_map([], |row| {
            let Some(starts_on) = get_opt_day(row, 5)? else {
                return Ok(None);
            };
            Ok(Some(NoticePlan {
                customer_id: get_parsed(row, 0)?,
                location_id: get_parsed(row, 1)?,
                plan: ServicePlan {
                    frequency: get_parsed(row, 2)?,
                    preferred_weekday: get_opt_parsed(row, 3)?,
                    technician_id: get_opt_parsed(row, 4)?,
                    starts_on,
                    ends_on: get_opt_day(row, 6)?,
                    bills_chemicals: row.get(8)?,
                },
                lead_time_minutes: row.get::<_, Option<u32>>(7)?.unwrap_or(0),
            }))
        })?
        .filter_map(|row| row.transpose())
        .collect()
    })
    .map_err(storage("reading the planned locations of visit notices"))
}
