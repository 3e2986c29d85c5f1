//! Data quality in PostgreSQL: the office's decisions about duplicate
//! pairs, merges (and their undo), and moving a customer's records to
//! another — what `store::sqlite::quality` does, in the same shapes.

use std::collections::HashMap;

use postgres::types::Json;
use uuid::Uuid;

use super::db::{Db, get, json, parsed};
use crate::model::{
    Address, Author, Contact, DuplicateDecision, LinkageRecord, MergeRecord, RecordMove,
};
use crate::{CustomerId, Error, Result};

/// Every live customer's name, live contacts and live locations'
/// addresses: three queries for the whole book.
pub fn linkage_records(db: &mut Db<'_>) -> Result<Vec<LinkageRecord>> {
    let mut records = Vec::new();
    for row in db.query(
        "reading customers for duplicate detection",
        "SELECT id, display_name FROM customers WHERE archived_at IS NULL ORDER BY id",
        &[],
    )? {
        records.push(LinkageRecord {
            id: get::<Uuid>(&row, 0)?.into(),
            display_name: get(&row, 1)?,
            contacts: Vec::new(),
            addresses: Vec::new(),
        });
    }
    let slot: HashMap<CustomerId, usize> = records
        .iter()
        .enumerate()
        .map(|(index, record)| (record.id, index))
        .collect();
    for row in db.query(
        "reading contacts for duplicate detection",
        "SELECT c.customer_id, c.id, c.name, c.role, c.is_primary, c.phones, c.emails, c.consents \
         FROM contacts c JOIN customers k ON k.id = c.customer_id \
         WHERE c.archived_at IS NULL AND k.archived_at IS NULL ORDER BY c.customer_id, c.position",
        &[],
    )? {
        let customer = CustomerId::from(get::<Uuid>(&row, 0)?);
        let contact = Contact {
            id: get::<Uuid>(&row, 1)?.into(),
            name: get(&row, 2)?,
            role: parsed(&row, 3)?,
            primary: get(&row, 4)?,
            phones: json(&row, 5)?,
            emails: json(&row, 6)?,
            consents: json(&row, 7)?,
        };
        if let Some(&index) = slot.get(&customer) {
            records[index].contacts.push(contact);
        }
    }
    for row in db.query(
        "reading addresses for duplicate detection",
        "SELECT l.customer_id, l.address_line1, l.address_line2, l.city, l.region, \
         l.postal_code, l.country FROM locations l JOIN customers k ON k.id = l.customer_id \
         WHERE l.archived_at IS NULL AND k.archived_at IS NULL ORDER BY l.customer_id, l.position",
        &[],
    )? {
        let customer = CustomerId::from(get::<Uuid>(&row, 0)?);
        let address = Address {
            line1: get(&row, 1)?,
            line2: get(&row, 2)?,
            city: get(&row, 3)?,
            region: get(&row, 4)?,
            postal_code: get(&row, 5)?,
            country: get(&row, 6)?,
        };
        if let Some(&index) = slot.get(&customer) {
            records[index].addresses.push(address);
        }
    }
    Ok(records)
}

/// Every decided pair, in the order of their ids.
pub fn decisions(db: &mut Db<'_>) -> Result<Vec<DuplicateDecision>> {
    db.query(
        "reading duplicate decisions",
        "SELECT a, b, verdict, levels, evidence, decided_at, author_kind, author_id \
         FROM duplicate_decisions ORDER BY a, b",
        &[],
    )?
    .iter()
    .map(|row| {
        Ok(DuplicateDecision {
            a: get::<Uuid>(row, 0)?.into(),
            b: get::<Uuid>(row, 1)?.into(),
            verdict: parsed(row, 2)?,
            levels: json(row, 3)?,
            evidence: json(row, 4)?,
            decided_at: get(row, 5)?,
            author: Author {
                kind: parsed(row, 6)?,
                id: get(row, 7)?,
            },
        })
    })
    .collect()
}

/// Stores a decision, replacing an earlier one about the same pair.
pub fn put_decision(db: &mut Db<'_>, decision: &DuplicateDecision) -> Result<()> {
    db.execute(
        "storing a duplicate decision",
        "INSERT INTO duplicate_decisions (a, b, verdict, levels, evidence, decided_at, \
         author_kind, author_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (a, b) DO UPDATE SET verdict = excluded.verdict, levels = excluded.levels, \
         evidence = excluded.evidence, decided_at = excluded.decided_at, \
         author_kind = excluded.author_kind, author_id = excluded.author_id",
        &[
            &decision.a.as_uuid(),
            &decision.b.as_uuid(),
            &decision.verdict.as_str(),
            &Json(&decision.levels),
            &Json(&decision.evidence),
            &decision.decided_at,
            &decision.author.kind.as_str(),
            &decision.author.id,
        ],
    )?;
    Ok(())
}

/// The latest merge of `absorbed`, standing or undone.
pub fn merge_of(db: &mut Db<'_>, absorbed: CustomerId) -> Result<Option<MergeRecord>> {
    db.query_opt(
        "reading a merge",
        "SELECT absorbed_id, survivor_id, merged_at, unmerged_at, undo FROM customer_merges \
         WHERE absorbed_id = $1",
        &[&absorbed.as_uuid()],
    )?
    .map(|row| merge_from_row(&row))
    .transpose()
}

/// Every merge, standing or undone, in the order they were made (for
/// moving a book).
pub fn merges(db: &mut Db<'_>) -> Result<Vec<MergeRecord>> {
    db.query(
        "reading merges",
        "SELECT absorbed_id, survivor_id, merged_at, unmerged_at, undo FROM customer_merges \
         ORDER BY merged_at, absorbed_id",
        &[],
    )?
    .iter()
    .map(merge_from_row)
    .collect()
}

fn merge_from_row(row: &postgres::Row) -> Result<MergeRecord> {
    Ok(MergeRecord {
        absorbed: get::<Uuid>(row, 0)?.into(),
        survivor: get::<Uuid>(row, 1)?.into(),
        merged_at: get(row, 2)?,
        unmerged_at: get(row, 3)?,
        undo: json(row, 4)?,
    })
}

/// Stores a merge, replacing an earlier (undone) one of the same customer.
pub fn put_merge(db: &mut Db<'_>, merge: &MergeRecord) -> Result<()> {
    db.execute(
        "storing a merge",
        "INSERT INTO customer_merges (absorbed_id, survivor_id, merged_at, unmerged_at, undo) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (absorbed_id) DO UPDATE SET \
         survivor_id = excluded.survivor_id, merged_at = excluded.merged_at, \
         unmerged_at = excluded.unmerged_at, undo = excluded.undo",
        &[
            &merge.absorbed.as_uuid(),
            &merge.survivor.as_uuid(),
            &merge.merged_at,
            &merge.unmerged_at,
            &Json(&merge.undo),
        ],
    )?;
    Ok(())
}

/// The visitors linked to a customer.
pub fn visitors_of(db: &mut Db<'_>, customer: CustomerId) -> Result<Vec<String>> {
    db.query(
        "reading a customer's visitor links",
        "SELECT visitor_id FROM visitor_links WHERE customer_id = $1 ORDER BY visitor_id",
        &[&customer.as_uuid()],
    )?
    .iter()
    .map(|row| get(row, 0))
    .collect()
}

/// Moves the listed records of `from` to `to`; each must belong to `from`.
/// An entry takes the touchpoints it wrote along.
pub fn move_records(
    db: &mut Db<'_>,
    from: CustomerId,
    to: CustomerId,
    records: &RecordMove,
    everything: bool,
) -> Result<()> {
    let (from, to) = (from.as_uuid(), to.as_uuid());
    let doing = "moving a customer's records";
    let not_theirs = |what: &'static str| {
        Error::invalid(what, "does not belong to the customer it is moved from")
    };
    for id in &records.contacts {
        let moved = db.execute(
            doing,
            "UPDATE contacts SET customer_id = $3 WHERE id = $1 AND customer_id = $2",
            &[&id.as_uuid(), &from, &to],
        )?;
        if moved == 0 {
            return Err(not_theirs("contacts"));
        }
    }
    // The entry's own record (`data`) names its customer too.
    let to_text = to.to_string();
    for id in &records.entries {
        let moved = db.execute(
            doing,
            "UPDATE history SET customer_id = $3, \
             data = jsonb_set(data, '{customer_id}', to_jsonb($4::text)) \
             WHERE id = $1 AND customer_id = $2",
            &[&id.as_uuid(), &from, &to, &to_text],
        )?;
        if moved == 0 {
            return Err(not_theirs("entries"));
        }
        db.execute(
            doing,
            "UPDATE touchpoints SET customer_id = $3 WHERE entry_id = $1 AND customer_id = $2",
            &[&id.as_uuid(), &from, &to],
        )?;
    }
    for id in &records.touchpoints {
        let moved = db.execute(
            doing,
            "UPDATE touchpoints SET customer_id = $3 WHERE id = $1 AND customer_id = $2",
            &[&id.as_uuid(), &from, &to],
        )?;
        if moved == 0 {
            return Err(not_theirs("touchpoints"));
        }
    }
    for id in &records.visitors {
        let moved = db.execute(
            doing,
            "UPDATE visitor_links SET customer_id = $3 WHERE visitor_id = $1 AND customer_id = $2",
            &[id, &from, &to],
        )?;
        if moved == 0 {
            return Err(not_theirs("visitors"));
        }
    }
    if everything {
        let left = db
            .query_opt(
                "checking nothing of the customer is left",
                "SELECT (SELECT count(*) FROM history WHERE customer_id = $1) \
                 + (SELECT count(*) FROM touchpoints WHERE customer_id = $1) \
                 + (SELECT count(*) FROM visitor_links WHERE customer_id = $1)",
                &[&from],
            )?
            .map_or(Ok(0), |row| get::<i64>(&row, 0))?;
        if left > 0 {
            return Err(crate::store::records_left_behind());
        }
    }
    Ok(())
}
