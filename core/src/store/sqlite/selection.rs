//! Touchpoints across the whole book in SQL: a filtered page in (time, id)
//! order and counts grouped by period and dimensions with one `GROUP BY`.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, params_from_iter};

use super::codec::{get_parsed, get_time, storage, time};
use crate::model::{CountDimension, Period, Touchpoint, TouchpointCount};
use crate::store::{StatusChange, TouchpointSelection};
use crate::{Error, Result};

/// The WHERE clause (after `WHERE`) and its arguments for `selection`.
fn filter(selection: &TouchpointSelection) -> Result<(String, Vec<SqlValue>)> {
    let mut sql = String::from("t.archived_at IS NULL");
    let mut args: Vec<SqlValue> = Vec::new();
    let mut push = |clause: &str, value: SqlValue| {
        sql.push_str(clause);
        args.push(value);
    };
    if let Some(since) = selection.since {
        push(" AND t.at >= ?", SqlValue::Text(time(since)));
    }
    if let Some(until) = selection.until {
        push(" AND t.at < ?", SqlValue::Text(time(until)));
    }
    let list = |items: Vec<String>| -> Result<SqlValue> {
        serde_json::to_string(&items)
            .map(SqlValue::Text)
            .map_err(|e| Error::storage("encoding a selection", e))
    };
    if !selection.channels.is_empty() {
        let names = selection.channels.iter().map(|c| c.as_str().to_owned());
        push(
            " AND t.channel IN (SELECT value FROM json_each(?))",
            list(names.collect())?,
        );
    }
    match selection.actions.as_slice() {
        [] => {}
        // One action reads touchpoints_by_action in (time, id) order.
        [action] => push(" AND t.action = ?", SqlValue::Text(action.clone())),
        actions => push(
            " AND t.action IN (SELECT value FROM json_each(?))",
            list(actions.to_vec())?,
        ),
    }
    if !selection.directions.is_empty() {
        let names = selection.directions.iter().map(|d| d.as_str().to_owned());
        push(
            " AND t.direction IN (SELECT value FROM json_each(?))",
            list(names.collect())?,
        );
    }
    if let Some(customers) = &selection.customers {
        let ids = customers.iter().map(ToString::to_string);
        push(
            " AND t.customer_id IN (SELECT value FROM json_each(?))",
            list(ids.collect())?,
        );
    }
    if let Some(technician) = selection.technician_id {
        push(
            " AND json_extract(t.properties, '$.technician_id') = ?",
            SqlValue::Text(technician.to_string()),
        );
    }
    Ok((sql, args))
}

/// The selected touchpoints, oldest first.
pub fn select(conn: &Connection, selection: &TouchpointSelection) -> Result<Vec<Touchpoint>> {
    let (mut clause, mut args) = filter(selection)?;
    if let Some((at, id)) = selection.after {
        let at = time(at);
        clause.push_str(" AND (t.at > ? OR (t.at = ? AND t.id > ?))");
        args.extend([
            SqlValue::Text(at.clone()),
            SqlValue::Text(at),
            SqlValue::Text(id.to_string()),
        ]);
    }
    let mut sql = format!(
        "SELECT {} FROM touchpoints t WHERE {clause} ORDER BY t.at, t.id",
        super::journey::COLUMNS
    );
    if let Some(limit) = selection.limit {
        sql.push_str(" LIMIT ?");
        args.push(SqlValue::Integer(i64::from(limit)));
    }
    conn.prepare(&sql)
        .and_then(|mut stmt| {
            stmt.query_map(params_from_iter(args), super::journey::from_row)?
                .collect()
        })
        .map_err(storage("selecting touchpoints"))
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
        CountDimension::Technician => {
            "coalesce(json_extract(t.properties, '$.technician_id'), '')".to_owned()
        }
        CountDimension::Property { name } => {
            // The name is checked by the book: letters, digits, underscores.
            if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(Error::invalid(
                    "by.name",
                    "must be a property name of letters, digits and underscores",
                ));
            }
            format!("coalesce(CAST(json_extract(t.properties, '$.{name}') AS TEXT), '')")
        }
    })
}

/// Counts of the selected touchpoints by period and dimensions.
pub fn count(
    conn: &Connection,
    selection: &TouchpointSelection,
    period: Option<Period>,
    by: &[CountDimension],
) -> Result<Vec<TouchpointCount>> {
    let (clause, args) = filter(selection)?;
    let period_sql = match period {
        None => "NULL",
        Some(Period::Day) => "substr(t.at, 1, 10)",
        Some(Period::Week) => "date(substr(t.at, 1, 10), '-6 days', 'weekday 1')",
        Some(Period::Month) => "substr(t.at, 1, 7) || '-01'",
    };
    let mut columns = vec![format!("{period_sql} AS p")];
    for (index, dimension) in by.iter().enumerate() {
        columns.push(format!("{} AS d{index}", self::dimension(dimension)?));
    }
    let groups: Vec<String> = (0..=by.len()).map(|i| (i + 1).to_string()).collect();
    let sql = format!(
        "SELECT {}, count(*), total(CAST(t.value AS REAL)) FROM touchpoints t WHERE {clause} \
         GROUP BY {} ORDER BY {}",
        columns.join(", "),
        groups.join(", "),
        groups.join(", "),
    );
    let width = by.len();
    conn.prepare(&sql)
        .and_then(|mut stmt| {
            stmt.query_map(params_from_iter(args), |row| {
                let period: Option<String> = row.get(0)?;
                let mut group = Vec::with_capacity(width);
                for index in 0..width {
                    group.push(row.get::<_, String>(index + 1)?);
                }
                Ok(TouchpointCount {
                    period_start: period
                        .and_then(|p| chrono::NaiveDate::parse_from_str(&p, "%Y-%m-%d").ok()),
                    group,
                    touchpoints: row.get::<_, i64>(width + 1)?.max(0) as u64,
                    value: row.get(width + 2)?,
                })
            })?
            .collect()
        })
        .map_err(storage("counting touchpoints"))
}

/// Every customer's status changes before `until`, by time: only the
/// fields a status change has, its property read in SQL.
pub fn status_changes(conn: &Connection, until: Option<String>) -> Result<Vec<StatusChange>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT customer_id, at, action, \
             CASE action WHEN 'customer_created' THEN json_extract(properties, '$.status') \
             WHEN 'status_changed' THEN json_extract(properties, '$.to') END, \
             CASE WHEN action = 'churned' OR action = 'status_changed' \
             THEN json_extract(properties, '$.reason') END \
             FROM touchpoints t WHERE archived_at IS NULL AND customer_id IS NOT NULL \
             AND action IN ('customer_created', 'converted', 'churned', 'status_changed') \
             AND (?1 IS NULL OR at < ?1) ORDER BY at, id",
        )
        .map_err(storage("reading status changes"))?;
    let text = |value: rusqlite::types::ValueRef<'_>| match value {
        rusqlite::types::ValueRef::Text(bytes) => {
            std::str::from_utf8(bytes).ok().map(str::to_owned)
        }
        _ => None,
    };
    let rows = stmt
        .query_map([until], |row| {
            Ok(StatusChange {
                customer_id: get_parsed(row, 0)?,
                at: get_time(row, 1)?,
                action: row.get(2)?,
                status: text(row.get_ref(3)?),
                reason: text(row.get_ref(4)?),
            })
        })
        .map_err(storage("reading status changes"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(storage("reading status changes"))
}
