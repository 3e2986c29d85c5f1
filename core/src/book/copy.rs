//! Moving a whole book to another store (issue 22): a company that starts
//! on a SQLite file moves to PostgreSQL (or back) through the `Store`
//! trait's export and import, keeping every id, version, time and author,
//! the archived parts, what issued invoices bill, the change log in its
//! order, and the secrets sealed as they were (the book's id and wrapped key
//! travel with them, so the same key opens them). The book file (`export`) carries the same
//! records, and imports only into a book [`ensure_empty`] accepts.

use crate::model::{ArchivedFilter, ChangeLogQuery, CustomerQuery};
use crate::store::BookRecord;
use crate::{Book, Error, Result};

/// How many records of each kind [`copy_book`] copied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CopySummary {
    /// Customers (each with all its contacts, locations and pools).
    pub customers: u64,
    /// Technicians.
    pub technicians: u64,
    /// History entries.
    pub entries: u64,
    /// Touchpoints.
    pub touchpoints: u64,
    /// Reveals of secrets, from the audit.
    pub reveals: u64,
    /// Change-log rows.
    pub changes: u64,
    /// Items issued invoices bill (so the moved book bills none again).
    pub billed_items: u64,
    /// Everything else: settings, the key, visitor links, target profiles,
    /// segments, duplicate decisions, merges, spreadsheet import batches,
    /// row keys and mappings.
    pub other: u64,
}

/// Copies every record of `from` into `to`, which must be a new, empty book
/// (never unlocked, nothing written): SQLite to PostgreSQL, PostgreSQL to
/// SQLite, or between two of either. `to` ends up the same book — the same
/// customers, history, touchpoints, change log (its rows in order; a
/// server may number them differently) and audit — with its secrets sealed
/// as they were, opened by the same key. The copy is one transaction in
/// `to`: all of it or nothing. Each record is written as it is read, so a
/// book of any size moves without being held in memory. A book with gate
/// codes not yet sealed (an old file never unlocked) must be unlocked once
/// first.
pub fn copy_book(from: &Book, to: &Book) -> Result<CopySummary> {
    ensure_empty(to, "to")?;
    if !from.store.plain_secrets()?.is_empty() {
        return Err(Error::Locked {
            doing: "copying a book whose access codes are not sealed yet (unlock it once first)"
                .to_owned(),
        });
    }
    let mut summary = CopySummary::default();
    to.store.import_records(&mut |write| {
        from.store.export(&mut |record| {
            let count = match &record {
                BookRecord::Customer { .. } => &mut summary.customers,
                BookRecord::Technician(_) => &mut summary.technicians,
                BookRecord::Entry(_) => &mut summary.entries,
                BookRecord::Touchpoint { .. } => &mut summary.touchpoints,
                BookRecord::Reveal(_) => &mut summary.reveals,
                BookRecord::Change(_) => &mut summary.changes,
                BookRecord::Billed { .. } => &mut summary.billed_items,
                _ => &mut summary.other,
            };
            *count += 1;
            write(record)
        })
    })?;
    Ok(summary)
}

/// Refuses `book` (named `field` in the error) unless it is new and empty:
/// never unlocked, nothing written — the only book a whole book is copied
/// or imported into.
pub(crate) fn ensure_empty(book: &Book, field: &str) -> Result<()> {
    let empty = book
        .store
        .change_log(&ChangeLogQuery {
            limit: Some(1),
            ..ChangeLogQuery::default()
        })?
        .is_empty()
        && book
            .store
            .customers(&CustomerQuery {
                limit: Some(1),
                archived: ArchivedFilter::Include,
                ..CustomerQuery::default()
            })?
            .is_empty()
        && book.store.technicians(true)?.is_empty()
        && book.store.book_key()?.is_none()
        && book.store.import_mappings()?.is_empty();
    if empty {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            "is not empty (it already holds records): copy or import only into a new, empty book",
        ))
    }
}
