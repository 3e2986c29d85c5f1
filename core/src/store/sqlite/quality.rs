//! Data quality in SQLite: the office's decisions about duplicate pairs,
//! merges (and their undo), and moving a customer's records to another.

use rusqlite::{Connection, OptionalExtension, params};

use super::codec::{get_json, get_opt_time, get_parsed, get_time, json, storage, time};
use std::collections::HashMap;

use crate::model::{
    Address, Author, Contact, DuplicateDecision, LinkageRecord, MergeRecord, RecordMove,
};
use crate::{CustomerId, Error, Result};

/// Every live customer's name, live contacts and live locations'
/// addresses: three queries for the whole book.
pub fn linkage_records(conn: &Connection) -> Result<Vec<LinkageRecord>> {
    let fail = storage("reading customers for duplicate detection");
    let mut records: Vec<LinkageRecord> = conn
        .prepare_cached(
            "SELECT id, display_name FROM customers WHERE archived_at IS NULL ORDER BY id",
        )
        .and_then(|mut stmt| {
            stmt.query_map([], |row| {
                Ok(LinkageRecord {
                    id: get_parsed(row, 0)?,
                    display_name: row.get(1)?,
                    contacts: Vec::new(),
                    addresses: Vec::new(),
                })
            })?
            .collect()
        })
        .map_err(fail)?;
    let slot: HashMap<CustomerId, usize> = records
        .iter()
        .enumerate()
        .map(|(index, record)| (record.id, index))
        .collect();
    let contacts: Vec<(CustomerId, Contact)> = conn
        .prepare_cached(
            "SELECT c.customer_id, c.id, c.name, c.role, c.is_primary, c.phones, c.emails, c.consents \
             FROM contacts c JOIN customers k ON k.id = c.customer_id \
             WHERE c.archived_at IS NULL AND k.archived_at IS NULL ORDER BY c.customer_id, c.position",
        )
        .and_then(|mut stmt| {
            stmt.query_map([], |row| {
                Ok((
                    get_parsed(row, 0)?,
                    Contact {
                        id: get_parsed(row, 1)?,
                        name: row.get(2)?,
                        role: get_parsed(row, 3)?,
                        primary: row.get(4)?,
                        phones: get_json(row, 5)?,
                        emails: get_json(row, 6)?,
                        consents: get_json(row, 7)?,
                    },
                ))
            })?
            .collect()
        })
        .map_err(storage("reading contacts for duplicate detection"))?;
    for (customer, contact) in contacts {
        if let Some(&index) = slot.get(&customer) {
            records[index].contacts.push(contact);
        }
    }
    let addresses: Vec<(CustomerId, Address)> = conn
        .prepare_cached(
            "SELECT l.customer_id, l.address_line1, l.address_line2, l.city, l.region, \
             l.postal_code, l.country FROM locations l JOIN customers k ON k.id = l.customer_id \
             WHERE l.archived_at IS NULL AND k.archived_at IS NULL ORDER BY l.customer_id, l.position",
        )
        .and_then(|mut stmt| {
            stmt.query_map([], |row| {
                Ok((
                    get_parsed(row, 0)?,
                    Address {
                        line1: row.get(1)?,
                        line2: row.get(2)?,
                        city: row.get(3)?,
                        region: row.get(4)?,
                        postal_code: row.get(5)?,
                        country: row.get(6)?,
                    },
                ))
            })?
            .collect()
        })
        .map_err(storage("reading addresses for duplicate detection"))?;
    for (customer, address) in addresses {
        if let Some(&index) = slot.get(&customer) {
            records[index].addresses.push(address);
        }
    }
    Ok(records)
}

/// Every decided pair.
pub fn decisions(conn: &Connection) -> Result<Vec<DuplicateDecision>> {
    conn.prepare_cached(
        "SELECT a, b, verdict, levels, evidence, decided_at, author_kind, author_id \
         FROM duplicate_decisions ORDER BY a, b",
    )
    .and_then(|mut stmt| {
        stmt.query_map([], |row| {
            Ok(DuplicateDecision {
                a: get_parsed(row, 0)?,
                b: get_parsed(row, 1)?,
                verdict: get_parsed(row, 2)?,
                levels: get_json(row, 3)?,
                evidence: get_json(row, 4)?,
                decided_at: get_time(row, 5)?,
                author: Author {
                    kind: get_parsed(row, 6)?,
                    id: row.get(7)?,
                },
            })
        })?
        .collect()
    })
    .map_err(storage("reading duplicate decisions"))
}

/// Stores a decision, replacing an earlier one about the same pair.
pub fn put_decision(conn: &Connection, decision: &DuplicateDecision) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO duplicate_decisions (a, b, verdict, levels, evidence, decided_at, \
         author_kind, author_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
         ON CONFLICT (a, b) DO UPDATE SET verdict = excluded.verdict, levels = excluded.levels, \
         evidence = excluded.evidence, decided_at = excluded.decided_at, \
         author_kind = excluded.author_kind, author_id = excluded.author_id",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            decision.a.to_string(),
            decision.b.to_string(),
            decision.verdict.as_str(),
            json(&decision.levels).map_err(to_sql)?,
            json(&decision.evidence).map_err(to_sql)?,
            time(decision.decided_at),
            decision.author.kind.as_str(),
            decision.author.id,
        ])
    })
    .map_err(storage("storing a duplicate decision"))?;
    Ok(())
}

fn to_sql(error: Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(error))
}

/// The latest merge of `absorbed`, standing or undone.
pub fn merge_of(conn: &Connection, absorbed: CustomerId) -> Result<Option<MergeRecord>> {
    conn.prepare_cached(
        "SELECT absorbed_id, survivor_id, merged_at, unmerged_at, undo FROM customer_merges \
         WHERE absorbed_id = ?1",
    )
    .and_then(|mut stmt| {
        stmt.query_row([absorbed.to_string()], merge_from_row)
            .optional()
    })
    .map_err(storage("reading a merge"))
}

/// Every merge, standing or undone, in the order they were made (for
/// moving a book).
pub fn merges(conn: &Connection) -> Result<Vec<MergeRecord>> {
    conn.prepare_cached(
        "SELECT absorbed_id, survivor_id, merged_at, unmerged_at, undo FROM customer_merges \
         ORDER BY merged_at, absorbed_id",
    )
    .and_then(|mut stmt| stmt.query_map([], merge_from_row)?.collect())
    .map_err(storage("reading merges"))
}

fn merge_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<MergeRecord> {
    Ok(MergeRecord {
        absorbed: get_parsed(row, 0)?,
        survivor: get_parsed(row, 1)?,
        merged_at: get_time(row, 2)?,
        unmerged_at: get_opt_time(row, 3)?,
        undo: get_json(row, 4)?,
    })
}

/// Stores a merge, replacing an earlier (undone) one of the same customer.
pub fn put_merge(conn: &Connection, merge: &MergeRecord) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO customer_merges (absorbed_id, survivor_id, merged_at, unmerged_at, undo) \
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (absorbed_id) DO UPDATE SET \
         survivor_id = excluded.survivor_id, merged_at = excluded.merged_at, \
         unmerged_at = excluded.unmerged_at, undo = excluded.undo",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            merge.absorbed.to_string(),
            merge.survivor.to_string(),
            time(merge.merged_at),
            merge.unmerged_at.map(time),
            json(&merge.undo).map_err(to_sql)?,
        ])
    })
    .map_err(storage("storing a merge"))?;
    Ok(())
}

/// The visitors linked to a customer.
pub fn visitors_of(conn: &Connection, customer: CustomerId) -> Result<Vec<String>> {
    conn.prepare_cached(
        "SELECT visitor_id FROM visitor_links WHERE customer_id = ?1 ORDER BY visitor_id",
    )
    .and_then(|mut stmt| {
        stmt.query_map([customer.to_string()], |row| row.get(0))?
            .collect()
    })
    .map_err(storage("reading a customer's visitor links"))
}

/// Moves the listed records of `from` to `to`; each must belong to `from`.
/// An entry takes the touchpoints it wrote along.
pub fn move_records(
    conn: &Connection,
    from: CustomerId,
    to: CustomerId,
    records: &RecordMove,
    everything: bool,
) -> Result<()> {
    let (from, to) = (from.to_string(), to.to_string());
    let moved = |sql: &str, id: String, what: &'static str| -> Result<()> {
        let changed = conn
            .prepare_cached(sql)
            .and_then(|mut stmt| stmt.execute(params![id, from, to]))
            .map_err(storage("moving a customer's records"))?;
        if changed == 0 {
            return Err(Error::invalid(
                what,
                "does not belong to the customer it is moved from",
            ));
        }
        Ok(())
    };
    for id in &records.contacts {
        moved(
            "UPDATE contacts SET customer_id = ?3 WHERE id = ?1 AND customer_id = ?2",
            id.to_string(),
            "contacts",
        )?;
    }
    for id in &records.entries {
        moved(
            "UPDATE history SET customer_id = ?3, data = json_set(data, '$.customer_id', ?3) \
             WHERE id = ?1 AND customer_id = ?2",
            id.to_string(),
            "entries",
        )?;
        conn.prepare_cached(
            "UPDATE touchpoints SET customer_id = ?3 WHERE entry_id = ?1 AND customer_id = ?2",
        )
        .and_then(|mut stmt| stmt.execute(params![id.to_string(), from, to]))
        .map_err(storage("moving an entry's touchpoints"))?;
    }
    for id in &records.touchpoints {
        moved(
            "UPDATE touchpoints SET customer_id = ?3 WHERE id = ?1 AND customer_id = ?2",
            id.to_string(),
            "touchpoints",
        )?;
    }
    for id in &records.visitors {
        moved(
            "UPDATE visitor_links SET customer_id = ?3 WHERE visitor_id = ?1 AND customer_id = ?2",
            id.clone(),
            "visitors",
        )?;
    }
    if everything {
        let left: i64 = conn
            .prepare_cached(
                "SELECT (SELECT count(*) FROM history WHERE customer_id = ?1) \
                 + (SELECT count(*) FROM touchpoints WHERE customer_id = ?1) \
                 + (SELECT count(*) FROM visitor_links WHERE customer_id = ?1)",
            )
            .and_then(|mut stmt| stmt.query_row([&from], |row| row.get(0)))
            .map_err(storage("checking nothing of the customer is left"))?;
        if left > 0 {
            return Err(crate::store::records_left_behind());
        }
    }
    Ok(())
}
