//! Billing and turnover in SQLite: the items issued invoices bill
//! (`billed_items`), the invoice number sequence, and moving a technician's
//! plans to another in one statement.

use rusqlite::{Connection, ErrorCode, params};

use super::codec::{get_parsed, json, storage};
use crate::{CustomerId, EntryId, Error, LocationId, Result, TechnicianId};

/// Which of `keys` are billed.
pub fn billed_items(conn: &Connection, keys: &[String]) -> Result<Vec<String>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let keys = json(&keys)?;
    conn.prepare_cached(
        "SELECT key FROM billed_items WHERE key IN (SELECT value FROM json_each(?1))",
    )
    .and_then(|mut stmt| stmt.query_map([keys], |row| row.get(0))?.collect())
    .map_err(storage("reading billed items"))
}

/// The largest all-digit invoice number, or 0. Numbers longer than 18
/// digits are left out (they do not fit the sequence).
pub fn last_invoice_number(conn: &Connection) -> Result<u64> {
    let found: Option<i64> = conn
        .prepare_cached(
            "SELECT max(CAST(number AS INTEGER)) FROM history WHERE kind = 'invoice' \
             AND number != '' AND number NOT GLOB '*[^0-9]*' AND length(number) <= 18",
        )
        .and_then(|mut stmt| stmt.query_row([], |row| row.get(0)))
        .map_err(storage("reading the last invoice number"))?;
    Ok(found.map_or(0, |number| u64::try_from(number).unwrap_or(0)))
}

/// Records the items an invoice bills; an item billed already is refused.
pub fn mark_billed(
    conn: &Connection,
    invoice: EntryId,
    customer: CustomerId,
    keys: &[String],
) -> Result<()> {
    let mut insert = conn
        .prepare_cached(
            "INSERT INTO billed_items (key, invoice_id, customer_id) VALUES (?1, ?2, ?3)",
        )
        .map_err(storage("recording billed items"))?;
    for key in keys {
        insert
            .execute(params![key, invoice.to_string(), customer.to_string()])
            .map_err(|error| {
                if error.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) {
                    Error::invalid(
                        "billing_key",
                        format!("{key} is already billed by another invoice"),
                    )
                } else {
                    super::codec::classify("recording billed items", error)
                }
            })?;
    }
    Ok(())
}

/// Forgets what a voided invoice billed.
pub fn release_billed(conn: &Connection, invoice: EntryId) -> Result<()> {
    conn.prepare_cached("DELETE FROM billed_items WHERE invoice_id = ?1")
        .and_then(|mut stmt| stmt.execute([invoice.to_string()]))
        .map_err(storage("releasing billed items"))?;
    Ok(())
}

/// Live locations whose plan names `technician`, with their customers.
pub fn technician_plans(
    conn: &Connection,
    technician: TechnicianId,
) -> Result<Vec<(CustomerId, LocationId)>> {
    conn.prepare_cached(
        "SELECT l.customer_id, l.id FROM locations l JOIN customers c ON c.id = l.customer_id \
         WHERE l.plan_technician_id = ?1 AND l.archived_at IS NULL \
         ORDER BY c.display_name, l.customer_id, l.position",
    )
    .and_then(|mut stmt| {
        stmt.query_map([technician.to_string()], |row| {
            Ok((get_parsed(row, 0)?, get_parsed(row, 1)?))
        })?
        .collect()
    })
    .map_err(storage("finding a technician's plans"))
}

/// Moves the plans of `locations` from `from` to `to`, raising their
/// customers' versions; a location no longer planned for `from` refuses all.
pub fn reassign_plans(
    conn: &Connection,
    from: TechnicianId,
    to: Option<TechnicianId>,
    locations: &[LocationId],
    at: &str,
) -> Result<()> {
    let ids = json(&locations)?;
    let moved = conn
        .prepare_cached(
            "UPDATE locations SET plan_technician_id = ?1 \
             WHERE id IN (SELECT value FROM json_each(?2)) AND plan_technician_id = ?3",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![to.map(|id| id.to_string()), ids, from.to_string()])
        })
        .map_err(storage("reassigning plans"))?;
    if moved != locations.len() {
        return Err(Error::invalid(
            "from",
            "the technician's plans changed while they were being moved; try again",
        ));
    }
    conn.prepare_cached(
        "UPDATE customers SET version = version + 1, updated_at = ?2 WHERE id IN \
         (SELECT DISTINCT customer_id FROM locations WHERE id IN (SELECT value FROM json_each(?1)))",
    )
    .and_then(|mut stmt| stmt.execute(params![ids, at]))
    .map_err(storage("reassigning plans"))?;
    Ok(())
}
