//! Billing and turnover in PostgreSQL: the items issued invoices bill
//! (`billed_items`), the invoice number sequence, and moving a technician's
//! plans to another in one statement (as SQLite's `billing` module does).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::db::{Db, get};
use crate::{CustomerId, EntryId, Error, LocationId, Result, TechnicianId};

/// Which of `keys` are billed.
pub fn billed_items(db: &mut Db<'_>, keys: &[String]) -> Result<Vec<String>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    db.query(
        "reading billed items",
        "SELECT key FROM billed_items WHERE key = ANY($1)",
        &[&keys],
    )?
    .iter()
    .map(|row| get(row, 0))
    .collect()
}

/// The largest all-digit invoice number, or 0. Numbers longer than 18
/// digits are left out (they do not fit the sequence).
pub fn last_invoice_number(db: &mut Db<'_>) -> Result<u64> {
    let row = db.query_opt(
        "reading the last invoice number",
        "SELECT max(number::bigint) FROM history WHERE kind = 'invoice' \
         AND number ~ '^[0-9]{1,18}$'",
        &[],
    )?;
    let found: Option<i64> = match row {
        Some(row) => get(&row, 0)?,
        None => None,
    };
    Ok(found.map_or(0, |number| u64::try_from(number).unwrap_or(0)))
}

/// Records the items an invoice bills, in one statement; an item billed
/// already (by another invoice, or twice in `keys`) is refused naming
/// `billing_key`.
pub fn mark_billed(
    db: &mut Db<'_>,
    invoice: EntryId,
    customer: CustomerId,
    keys: &[String],
) -> Result<()> {
    if keys.is_empty() {
        return Ok(());
    }
    let stored = db.query(
        "recording billed items",
        "INSERT INTO billed_items (key, invoice_id, customer_id) \
         SELECT key, $2, $3 FROM unnest($1::text[]) AS key \
         ON CONFLICT (key) DO NOTHING RETURNING key",
        &[&keys, &invoice.as_uuid(), &customer.as_uuid()],
    )?;
    if stored.len() == keys.len() {
        return Ok(());
    }
    let mut written = stored
        .iter()
        .map(|row| get::<String>(row, 0))
        .collect::<Result<HashSet<_>>>()?;
    // The first key not written, or written for an earlier copy of itself.
    let refused = keys
        .iter()
        .find(|key| !written.remove(key.as_str()))
        .unwrap_or(&keys[0]);
    Err(Error::invalid(
        "billing_key",
        format!("{refused} is already billed by another invoice"),
    ))
}

/// Forgets what a voided invoice billed.
pub fn release_billed(db: &mut Db<'_>, invoice: EntryId) -> Result<()> {
    db.execute(
        "releasing billed items",
        "DELETE FROM billed_items WHERE invoice_id = $1",
        &[&invoice.as_uuid()],
    )?;
    Ok(())
}

/// Live locations whose plan names `technician`, with their customers,
/// whatever the customer's status.
pub fn technician_plans(
    db: &mut Db<'_>,
    technician: TechnicianId,
) -> Result<Vec<(CustomerId, LocationId)>> {
    db.query(
        "finding a technician's plans",
        "SELECT l.customer_id, l.id FROM locations l JOIN customers c ON c.id = l.customer_id \
         WHERE l.plan_technician_id = $1 AND l.archived_at IS NULL \
         ORDER BY c.display_name, l.customer_id, l.position",
        &[&technician.as_uuid()],
    )?
    .iter()
    .map(|row| Ok((get::<Uuid>(row, 0)?.into(), get::<Uuid>(row, 1)?.into())))
    .collect()
}

/// Moves the plans of `locations` from `from` to `to`, raising their
/// customers' versions and update times to `at`; a location no longer
/// planned for `from` refuses all.
pub fn reassign_plans(
    db: &mut Db<'_>,
    from: TechnicianId,
    to: Option<TechnicianId>,
    locations: &[LocationId],
    at: DateTime<Utc>,
) -> Result<()> {
    let ids: Vec<Uuid> = locations.iter().map(LocationId::as_uuid).collect();
    let moved = db.execute(
        "reassigning plans",
        "UPDATE locations SET plan_technician_id = $1 \
         WHERE id = ANY($2) AND plan_technician_id = $3",
        &[&to.map(|id| id.as_uuid()), &ids, &from.as_uuid()],
    )?;
    if moved != locations.len() as u64 {
        return Err(Error::invalid(
            "from",
            "the technician's plans changed while they were being moved; try again",
        ));
    }
    db.execute(
        "reassigning plans",
        "UPDATE customers SET version = version + 1, updated_at = $2 WHERE id IN \
         (SELECT DISTINCT customer_id FROM locations WHERE id = ANY($1))",
        &[&ids, &at],
    )?;
    Ok(())
}
