//! Moving a whole book in and out of SQLite ([`crate::Store::export`],
//! [`crate::Store::import_records`]): every record read in the order a
//! fresh store can write it back, and written back as it was —
//! ids, versions, times, authors, archived parts, the items issued invoices
//! bill, the change log's rows in their order.

use rusqlite::{Connection, params};

use super::codec::{NamedTable, get_parsed, get_time, load_named, put_named, storage, time};
use super::{
    changelog, customers, history, imports, journey, quality, secrets, settings, technicians,
};
use crate::domain::search::SearchDocument;
use crate::store::BookRecord;
use crate::{CustomerId, Result};

/// Customers read back per query.
const CUSTOMER_BATCH: usize = 200;

/// Hands `sink` every record of the book on `conn` (a read transaction).
pub fn export(conn: &Connection, sink: &mut dyn FnMut(BookRecord) -> Result<()>) -> Result<()> {
    let doing = "exporting the book";
    let settings: Vec<(String, String)> = conn
        .prepare("SELECT key, value FROM settings ORDER BY key")
        .and_then(|mut stmt| {
            stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect()
        })
        .map_err(storage(doing))?;
    for (key, value) in settings {
        sink(BookRecord::Setting { key, value })?;
    }
    if let Some(key) = secrets::book_key(conn)? {
        sink(BookRecord::Key(key))?;
    }
    for technician in technicians::list(conn, true)? {
        sink(BookRecord::Technician(technician))?;
    }
    let ids: Vec<CustomerId> = conn
        .prepare("SELECT id FROM customers ORDER BY seq")
        .and_then(|mut stmt| stmt.query_map([], |row| get_parsed(row, 0))?.collect())
        .map_err(storage(doing))?;
    for batch in ids.chunks(CUSTOMER_BATCH) {
        for (record, archived) in customers::load_with_archived(conn, batch)? {
            sink(BookRecord::Customer { record, archived })?;
        }
    }
    history::each(conn, &mut |entry| sink(BookRecord::Entry(entry)))?;
    let billed: Vec<BookRecord> = conn
        .prepare("SELECT key, invoice_id, customer_id FROM billed_items ORDER BY key")
        .and_then(|mut stmt| {
            stmt.query_map([], |row| {
                Ok(BookRecord::Billed {
                    key: row.get(0)?,
                    invoice_id: get_parsed(row, 1)?,
                    customer_id: get_parsed(row, 2)?,
                })
            })?
            .collect()
        })
        .map_err(storage(doing))?;
    for item in billed {
        sink(item)?;
    }
    let links: Vec<BookRecord> = conn
        .prepare("SELECT visitor_id, customer_id, linked_at FROM visitor_links ORDER BY rowid")
        .and_then(|mut stmt| {
            stmt.query_map([], |row| {
                Ok(BookRecord::VisitorLink {
                    visitor_id: row.get(0)?,
                    customer_id: get_parsed(row, 1)?,
                    at: get_time(row, 2)?,
                })
            })?
            .collect()
        })
        .map_err(storage(doing))?;
    for link in links {
        sink(link)?;
    }
    journey::each_with_author(conn, &mut |touchpoint, author, linked, archived_at| {
        sink(BookRecord::Touchpoint {
            touchpoint,
            author,
            linked,
            archived_at,
        })
    })?;
    for profile in load_named(conn, NamedTable::TargetProfiles)? {
        sink(BookRecord::TargetProfile(profile))?;
    }
    for segment in load_named(conn, NamedTable::Segments)? {
        sink(BookRecord::Segment(segment))?;
    }
    for decision in quality::decisions(conn)? {
        sink(BookRecord::DuplicateDecision(decision))?;
    }
    for merge in quality::merges(conn)? {
        sink(BookRecord::Merge(Box::new(merge)))?;
    }
    for batch in imports::all_batches(conn)? {
        sink(BookRecord::ImportBatch(batch))?;
    }
    for key in imports::all_keys(conn)? {
        sink(BookRecord::ImportKey(key))?;
    }
    for mapping in load_named(conn, NamedTable::ImportMappings)? {
        sink(BookRecord::ImportMapping(mapping))?;
    }
    secrets::each_reveal(conn, &mut |reveal| sink(BookRecord::Reveal(reveal)))?;
    super::outbox::each(conn, &mut |record| sink(BookRecord::OutboxRecord(record)))?;
    changelog::each(conn, &mut |change| sink(BookRecord::Change(change)))
}

/// Writes `record` (from [`export`]) into the book on `conn` (a write
/// transaction).
pub fn import(conn: &Connection, record: &BookRecord) -> Result<()> {
    match record {
        BookRecord::Setting { key, value } => settings::put_setting(conn, key, value)?,
        BookRecord::Key(key) => secrets::put_key(conn, key)?,
        BookRecord::Technician(technician) => technicians::put(conn, technician, None)?,
        BookRecord::Customer { record, archived } => {
            let mut live = record.clone();
            let gone = |id: String| archived.iter().any(|part| part.id == id);
            live.contacts.retain(|c| !gone(c.id.to_string()));
            live.locations.retain(|l| !gone(l.id.to_string()));
            for location in &mut live.locations {
                location.bodies_of_water.retain(|b| !gone(b.id.to_string()));
            }
            customers::insert_indexed(conn, record, &SearchDocument::of(&live))?;
            for part in archived {
                let at = time(part.archived_at);
                for table in ["contacts", "locations", "bodies_of_water"] {
                    conn.prepare_cached(&format!(
                        "UPDATE {table} SET archived_at = ?1 WHERE id = ?2"
                    ))
                    .and_then(|mut stmt| stmt.execute(params![at, part.id]))
                    .map_err(storage("importing archived parts"))?;
                }
            }
        }
        BookRecord::Entry(stored) => {
            history::insert(conn, &stored.entry, &stored.author)?;
            if let Some(at) = stored.archived_at {
                history::set_archived(conn, stored.entry.id(), Some(time(at)))?;
            }
        }
        BookRecord::Billed {
            key,
            invoice_id,
            customer_id,
        } => {
            conn.prepare_cached(
                "INSERT INTO billed_items (key, invoice_id, customer_id) VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    key,
                    invoice_id.to_string(),
                    customer_id.to_string()
                ])
            })
            .map_err(storage("importing billed items"))?;
        }
        BookRecord::Touchpoint {
            touchpoint,
            author,
            linked,
            archived_at,
        } => journey::insert_as_was(conn, touchpoint, author, *linked, *archived_at)?,
        BookRecord::VisitorLink {
            visitor_id,
            customer_id,
            at,
        } => {
            conn.prepare_cached(
                "INSERT INTO visitor_links (visitor_id, customer_id, linked_at) \
                 VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![visitor_id, customer_id.to_string(), time(*at)])
            })
            .map_err(storage("importing visitor links"))?;
        }
        BookRecord::TargetProfile(profile) => {
            put_named(conn, NamedTable::TargetProfiles, &profile.name, profile)?
        }
        BookRecord::Segment(segment) => {
            put_named(conn, NamedTable::Segments, &segment.name, segment)?
        }
        BookRecord::DuplicateDecision(decision) => quality::put_decision(conn, decision)?,
        BookRecord::Merge(merge) => quality::put_merge(conn, merge)?,
        BookRecord::ImportBatch(batch) => imports::put_batch(conn, batch)?,
        BookRecord::ImportKey(key) => imports::put_keys(conn, std::slice::from_ref(key))?,
        BookRecord::ImportMapping(mapping) => {
            put_named(conn, NamedTable::ImportMappings, &mapping.name, mapping)?
        }
        BookRecord::Reveal(reveal) => secrets::record_reveal(conn, reveal)?,
        BookRecord::OutboxRecord(record) => super::outbox::put(conn, record)?,
        BookRecord::Change(change) => changelog::insert_row(
            conn,
            &time(change.at),
            &change.author,
            change.entity,
            &change.entity_id,
            change.customer_id,
            change.action,
            change.changes.get(),
        )?,
    }
    Ok(())
}
