//! Touchpoints across the whole book in PostgreSQL (the SQLite store's
//! `selection.rs` in PostgreSQL's SQL): a filtered page in (time, id)
//! order, counts grouped by period and dimensions with one `GROUP BY`, and
//! the status changes retention reads.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::db::{Db, Query, get};
use super::journey;
use crate::model::{CountDimension, Period, Touchpoint, TouchpointCount};
use crate::store::{StatusChange, TouchpointSelection};
use crate::{Error, Result};

/// A selection's values as PostgreSQL parameters, owned while a statement
/// borrows them.
struct Values<'s> {
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    channels: Vec<&'static str>,
    actions: &'s [String],
    directions: Vec<&'static str>,
    customers: Option<Vec<Uuid>>,
    technician: Option<String>,
}

impl<'s> Values<'s> {
    fn of(selection: &'s TouchpointSelection) -> Self {
        Values {
            since: selection.since,
            until: selection.until,
            channels: selection.channels.iter().map(|c| c.as_str()).collect(),
            actions: &selection.actions,
            directions: selection.directions.iter().map(|d| d.as_str()).collect(),
            customers: selection
                .customers
                .as_ref()
                .map(|ids| ids.iter().map(|id| id.as_uuid()).collect()),
            technician: selection.technician_id.map(|id| id.to_string()),
        }
    }

    /// Appends the selection's conditions (after `WHERE archived_at IS NULL`).
    fn filter<'p>(&'p self, sql: &mut Query<'p>) {
        if let Some(since) = &self.since {
            sql.filter(" AND t.at >= ?", since);
        }
        if let Some(until) = &self.until {
            sql.filter(" AND t.at < ?", until);
        }
        if !self.channels.is_empty() {
            sql.filter(" AND t.channel = ANY(?)", &self.channels);
        }
        match self.actions {
            [] => {}
            // One action reads touchpoints_by_action in (time, id) order.
            [action] => sql.filter(" AND t.action = ?", action),
            _ => sql.filter(" AND t.action = ANY(?)", &self.actions),
        }
        if !self.directions.is_empty() {
            sql.filter(" AND t.direction = ANY(?)", &self.directions);
        }
        if let Some(customers) = &self.customers {
            sql.filter(" AND t.customer_id = ANY(?)", customers);
        }
        if let Some(technician) = &self.technician {
            sql.filter(" AND t.properties ->> 'technician_id' = ?", technician);
        }
    }
}

/// The selected touchpoints, oldest first.
pub fn select(db: &mut Db<'_>, selection: &TouchpointSelection) -> Result<Vec<Touchpoint>> {
    let values = Values::of(selection);
    let after = selection.after.map(|(at, id)| (at, id.as_uuid()));
    let limit = selection.limit.map(i64::from);
    let mut sql = Query::new(format!(
        "SELECT {} FROM touchpoints t WHERE t.archived_at IS NULL",
        journey::COLUMNS
    ));
    values.filter(&mut sql);
    if let Some((at, id)) = &after {
        sql.filter(" AND (t.at, t.id) > (?", at);
        sql.filter(", ?)", id);
    }
    sql.push(" ORDER BY t.at, t.id");
    if let Some(limit) = &limit {
        sql.filter(" LIMIT ?", limit);
    }
    db.query("selecting touchpoints", &sql.text, &sql.params)?
        .iter()
        .map(journey::from_row)
        .collect()
}

/// The SQL expression of a dimension over `touchpoints t`.
fn dimension(by: &CountDimension) -> Result<String> {
    Ok(match by {
        CountDimension::Channel => "t.channel".to_owned(),
        CountDimension::Action => "t.action".to_owned(),
        CountDimension::Stage => "coalesce(t.stage, '')".to_owned(),
        CountDimension::Direction => "t.direction".to_owned(),
        CountDimension::CustomerKind => {
            "coalesce((SELECT c.kind FROM customers c WHERE c.id = t.customer_id), '')".to_owned()
        }
        CountDimension::Technician => "coalesce(t.properties ->> 'technician_id', '')".to_owned(),
        CountDimension::Property { name } => {
            // The name is checked by the book: letters, digits, underscores.
            if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(Error::invalid(
                    "by.name",
                    "must be a property name of letters, digits and underscores",
                ));
            }
            format!("coalesce(t.properties ->> '{name}', '')")
        }
    })
}

/// Counts of the selected touchpoints by period (UTC days, Monday weeks,
/// months) and dimensions, ordered by period then group in byte order.
pub fn count(
    db: &mut Db<'_>,
    selection: &TouchpointSelection,
    period: Option<Period>,
    by: &[CountDimension],
) -> Result<Vec<TouchpointCount>> {
    let period_sql = match period {
        None => "NULL::date",
        Some(Period::Day) => "(t.at AT TIME ZONE 'UTC')::date",
        Some(Period::Week) => "date_trunc('week', t.at AT TIME ZONE 'UTC')::date",
        Some(Period::Month) => "date_trunc('month', t.at AT TIME ZONE 'UTC')::date",
    };
    let mut columns = vec![format!("{period_sql} AS p")];
    for (index, dimension) in by.iter().enumerate() {
        columns.push(format!(
            "({}) COLLATE \"C\" AS d{index}",
            self::dimension(dimension)?
        ));
    }
    let groups: Vec<String> = (0..=by.len()).map(|i| (i + 1).to_string()).collect();
    let values = Values::of(selection);
    let mut sql = Query::new(format!(
        "SELECT {}, count(*), coalesce(sum(t.value), 0)::float8 FROM touchpoints t \
         WHERE t.archived_at IS NULL",
        columns.join(", "),
    ));
    values.filter(&mut sql);
    sql.push(&format!(
        " GROUP BY {} ORDER BY {}",
        groups.join(", "),
        groups.join(", ")
    ));
    let width = by.len();
    db.query("counting touchpoints", &sql.text, &sql.params)?
        .iter()
        .map(|row| {
            let mut group = Vec::with_capacity(width);
            for index in 0..width {
                group.push(get::<String>(row, index + 1)?);
            }
            Ok(TouchpointCount {
                period_start: get::<Option<NaiveDate>>(row, 0)?,
                group,
                touchpoints: get::<i64>(row, width + 1)?.max(0) as u64,
                value: get(row, width + 2)?,
            })
        })
        .collect()
}

/// Every customer's status changes before `until`, by time: only the
/// fields a status change has, its property read in SQL (text values only).
pub fn status_changes(db: &mut Db<'_>, until: Option<DateTime<Utc>>) -> Result<Vec<StatusChange>> {
    // A property's value when it is JSON text (as SQLite's json_extract
    // gives text only for text), otherwise NULL.
    let text = |key: &str| {
        format!(
            "CASE WHEN jsonb_typeof(properties -> '{key}') = 'string' THEN properties ->> '{key}' END"
        )
    };
    db.query(
        "reading status changes",
        &format!(
            "SELECT customer_id, at, action, \
             CASE action WHEN 'customer_created' THEN {} WHEN 'status_changed' THEN {} END, \
             CASE WHEN action = 'churned' OR action = 'status_changed' THEN {} END \
             FROM touchpoints WHERE archived_at IS NULL AND customer_id IS NOT NULL \
             AND action IN ('customer_created', 'converted', 'churned', 'status_changed') \
             AND ($1::timestamptz IS NULL OR at < $1) ORDER BY at, id",
            text("status"),
            text("to"),
            text("reason"),
        ),
        &[&until],
    )?
    .iter()
    .map(|row| {
        Ok(StatusChange {
            customer_id: get::<Uuid>(row, 0)?.into(),
            at: get(row, 1)?,
            action: get(row, 2)?,
            status: get(row, 3)?,
            reason: get(row, 4)?,
        })
    })
    .collect()
}
