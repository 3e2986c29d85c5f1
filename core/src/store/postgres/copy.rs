//! Moving a whole book in and out of PostgreSQL ([`crate::Store::export`],
//! [`crate::Store::import_records`]): every record read in the order
//! a fresh store can write it back, and written back as it was — ids,
//! versions, times, authors, archived parts, the items issued invoices
//! bill, the change log's rows in their order (their sequence numbers are
//! this database's to give).

use uuid::Uuid;

use super::db::{Db, get, parsed};
use super::{
    NamedTable, changelog, customers, history, imports, journey, load_named, put_named,
    put_setting, quality, secrets, technicians,
};
use crate::domain::search::SearchDocument;
use crate::model::Author;
use crate::store::BookRecord;
use crate::{CustomerId, Result};

/// Customers read back per query.
const CUSTOMER_BATCH: usize = 200;

/// Hands `sink` every record of the book in `db` (a read transaction).
pub fn export(db: &mut Db<'_>, sink: &mut dyn FnMut(BookRecord) -> Result<()>) -> Result<()> {
    let doing = "exporting the book";
    for row in db.query(doing, "SELECT key, value FROM settings ORDER BY key", &[])? {
        sink(BookRecord::Setting {
            key: get(&row, 0)?,
            value: get(&row, 1)?,
        })?;
    }
    if let Some(key) = secrets::book_key(db)? {
        sink(BookRecord::Key(key))?;
    }
    for technician in technicians::list(db, true)? {
        sink(BookRecord::Technician(technician))?;
    }
    let ids: Vec<CustomerId> = db
        .query(doing, "SELECT id FROM customers ORDER BY seq", &[])?
        .iter()
        .map(|row| get::<Uuid>(row, 0).map(CustomerId::from))
        .collect::<Result<_>>()?;
    for batch in ids.chunks(CUSTOMER_BATCH) {
        for (record, archived) in customers::load_with_archived(db, batch)? {
            sink(BookRecord::Customer { record, archived })?;
        }
    }
    db.for_each(
        doing,
        "SELECT data, author_kind, author_id, archived_at FROM history ORDER BY seq",
        &[],
        |row| sink(BookRecord::Entry(history::from_row(row)?)),
    )?;
    for row in db.query(
        doing,
        "SELECT key, invoice_id, customer_id FROM billed_items ORDER BY key",
        &[],
    )? {
        sink(BookRecord::Billed {
            key: get(&row, 0)?,
            invoice_id: get::<Uuid>(&row, 1)?.into(),
            customer_id: get::<Uuid>(&row, 2)?.into(),
        })?;
    }
    for row in db.query(
        doing,
        "SELECT visitor_id, customer_id, linked_at FROM visitor_links ORDER BY linked_at, visitor_id",
        &[],
    )? {
        sink(BookRecord::VisitorLink {
            visitor_id: get(&row, 0)?,
            customer_id: get::<Uuid>(&row, 1)?.into(),
            at: get(&row, 2)?,
        })?;
    }
    db.for_each(
        doing,
        &format!(
            "{}, author_kind, author_id, linked, archived_at FROM touchpoints ORDER BY seq",
            journey::SELECT_COLUMNS
        ),
        &[],
        |row| {
            sink(BookRecord::Touchpoint {
                touchpoint: journey::from_row(row)?,
                author: Author {
                    kind: parsed(row, 16)?,
                    id: get(row, 17)?,
                },
                linked: get(row, 18)?,
                archived_at: get(row, 19)?,
            })
        },
    )?;
    for profile in load_named(db, NamedTable::TargetProfiles)? {
        sink(BookRecord::TargetProfile(profile))?;
    }
    for segment in load_named(db, NamedTable::Segments)? {
        sink(BookRecord::Segment(segment))?;
    }
    for decision in quality::decisions(db)? {
        sink(BookRecord::DuplicateDecision(decision))?;
    }
    for merge in quality::merges(db)? {
        sink(BookRecord::Merge(Box::new(merge)))?;
    }
    for batch in imports::all_batches(db)? {
        sink(BookRecord::ImportBatch(batch))?;
    }
    for key in imports::all_keys(db)? {
        sink(BookRecord::ImportKey(key))?;
    }
    for mapping in load_named(db, NamedTable::ImportMappings)? {
        sink(BookRecord::ImportMapping(mapping))?;
    }
    secrets::each_reveal(db, &mut |reveal| sink(BookRecord::Reveal(reveal)))?;
    super::outbox::each(db, &mut |record| sink(BookRecord::OutboxRecord(record)))?;
    changelog::each(db, &mut |change| sink(BookRecord::Change(change)))
}

/// Writes `record` (from [`export`]) into the book in `db` (a write
/// transaction).
pub fn import(db: &mut Db<'_>, record: &BookRecord) -> Result<()> {
    match record {
        BookRecord::Setting { key, value } => put_setting(db, key, value)?,
        BookRecord::Key(key) => secrets::put_key(db, key)?,
        BookRecord::Technician(technician) => technicians::put(db, technician, None)?,
        BookRecord::Customer { record, archived } => {
            let mut live = record.clone();
            let gone = |id: String| archived.iter().any(|part| part.id == id);
            live.contacts.retain(|c| !gone(c.id.to_string()));
            live.locations.retain(|l| !gone(l.id.to_string()));
            for location in &mut live.locations {
                location.bodies_of_water.retain(|b| !gone(b.id.to_string()));
            }
            customers::insert_indexed(db, record, &SearchDocument::of(&live))?;
            for part in archived {
                let id: Uuid = part
                    .id
                    .parse()
                    .map_err(|error| crate::Error::storage("importing archived parts", error))?;
                for sql in [
                    "UPDATE contacts SET archived_at = $1 WHERE id = $2",
                    "UPDATE locations SET archived_at = $1 WHERE id = $2",
                    "UPDATE bodies_of_water SET archived_at = $1 WHERE id = $2",
                ] {
                    db.execute("importing archived parts", sql, &[&part.archived_at, &id])?;
                }
            }
        }
        BookRecord::Entry(stored) => {
            history::insert(db, &stored.entry, &stored.author)?;
            if stored.archived_at.is_some() {
                history::set_archived(db, stored.entry.id(), stored.archived_at)?;
            }
        }
        BookRecord::Billed {
            key,
            invoice_id,
            customer_id,
        } => {
            db.execute(
                "importing billed items",
                "INSERT INTO billed_items (key, invoice_id, customer_id) VALUES ($1, $2, $3)",
                &[key, &invoice_id.as_uuid(), &customer_id.as_uuid()],
            )?;
        }
        BookRecord::Touchpoint {
            touchpoint,
            author,
            linked,
            archived_at,
        } => journey::insert_as_was(db, touchpoint, author, *linked, *archived_at)?,
        BookRecord::VisitorLink {
            visitor_id,
            customer_id,
            at,
        } => {
            db.execute(
                "importing visitor links",
                "INSERT INTO visitor_links (visitor_id, customer_id, linked_at) \
                 VALUES ($1, $2, $3)",
                &[visitor_id, &customer_id.as_uuid(), at],
            )?;
        }
        BookRecord::TargetProfile(profile) => {
            put_named(db, NamedTable::TargetProfiles, &profile.name, profile)?
        }
        BookRecord::Segment(segment) => {
            put_named(db, NamedTable::Segments, &segment.name, segment)?
        }
        BookRecord::DuplicateDecision(decision) => quality::put_decision(db, decision)?,
        BookRecord::Merge(merge) => quality::put_merge(db, merge)?,
        BookRecord::ImportBatch(batch) => imports::put_batch(db, batch)?,
        BookRecord::ImportKey(key) => imports::put_keys(db, std::slice::from_ref(key))?,
        BookRecord::ImportMapping(mapping) => {
            put_named(db, NamedTable::ImportMappings, &mapping.name, mapping)?
        }
        BookRecord::Reveal(reveal) => secrets::record_reveal(db, reveal)?,
        BookRecord::OutboxRecord(record) => super::outbox::put(db, record)?,
        BookRecord::Change(change) => changelog::insert_as_was(db, change)?,
    }
    Ok(())
}
