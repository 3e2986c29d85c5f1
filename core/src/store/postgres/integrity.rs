//! The integrity check of a book on PostgreSQL: the server keeps its own
//! files sound, so the check reads the book back: the search index, every
//! record through the decoders the book uses, and the change log's
//! 'created' row for every record. It reads; it changes nothing.

use postgres::Row;
use uuid::Uuid;

use super::db::{Db, get};
use super::{customers, history, journey};
use crate::model::{IntegrityProblem, IntegrityReport, MAX_INTEGRITY_PROBLEMS};
use crate::{CustomerId, Result};

/// Customers read back per query.
const BATCH: usize = 500;

/// The problems found, capped at [`MAX_INTEGRITY_PROBLEMS`].
struct Found(Vec<IntegrityProblem>);

impl Found {
    fn add(&mut self, area: &str, detail: impl Into<String>) {
        if self.0.len() < MAX_INTEGRITY_PROBLEMS {
            self.0.push(IntegrityProblem {
                area: area.to_owned(),
                detail: detail.into(),
            });
        }
    }
}

/// Checks the book in `db` (a read transaction).
pub fn check(db: &mut Db<'_>) -> Result<IntegrityReport> {
    let mut found = Found(Vec::new());
    let doing = "checking the book's records";

    for row in db.query(
        doing,
        "SELECT c.id::text FROM customers c WHERE NOT EXISTS \
         (SELECT 1 FROM customer_search s WHERE s.customer_seq = c.seq) ORDER BY c.seq",
        &[],
    )? {
        let id: String = get(&row, 0)?;
        found.add("search index", format!("customer {id} has no search entry"));
    }

    let ids: Vec<CustomerId> = db
        .query(doing, "SELECT id FROM customers ORDER BY seq", &[])?
        .iter()
        .map(|row| get::<Uuid>(row, 0).map(CustomerId::from))
        .collect::<Result<_>>()?;
    let mut customers_checked = 0;
    for batch in ids.chunks(BATCH) {
        match customers::load_many(db, batch) {
            Ok(loaded) if loaded.len() == batch.len() => customers_checked += batch.len() as u64,
            _ => {
                for id in batch {
                    match customers::load_many(db, std::slice::from_ref(id)) {
                        Ok(loaded) if loaded.len() == 1 => customers_checked += 1,
                        Ok(_) => {
                            found.add("customer", format!("customer {id} could not be read back"))
                        }
                        Err(error) => found.add("customer", format!("customer {id}: {error}")),
                    }
                }
            }
        }
    }

    let entries_checked = decode_each(
        db,
        "SELECT data, author_kind, author_id, archived_at, id::text FROM history ORDER BY seq",
        4,
        |row| history::from_row(row).map(drop),
        &mut |id, problem| found.add("entry", format!("entry {id}: {problem}")),
    )?;
    let touchpoints_checked = decode_each(
        db,
        journey::CHECK_SQL,
        0,
        |row| journey::from_row(row).map(drop),
        &mut |id, problem| found.add("touchpoint", format!("touchpoint {id}: {problem}")),
    )?;

    for (table, entity) in [("customers", "customer"), ("history", "entry")] {
        let missing = db.query(
            doing,
            &format!(
                "SELECT t.id::text FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM change_log l \
                 WHERE l.entity = '{entity}' AND l.entity_id = t.id::text \
                 AND l.action = 'created') ORDER BY t.seq"
            ),
            &[],
        )?;
        for row in missing {
            let id: String = get(&row, 0)?;
            found.add("change log", format!("{entity} {id} has no 'created' row"));
        }
    }

    Ok(IntegrityReport {
        ok: found.0.is_empty(),
        customers_checked,
        entries_checked,
        touchpoints_checked,
        problems: found.0,
    })
}

/// Decodes every row of `sql` with `decode`, calling `problem` with the
/// row's id (column `id_column`, as text or uuid) and the error for each
/// that fails; returns how many decoded.
fn decode_each(
    db: &mut Db<'_>,
    sql: &str,
    id_column: usize,
    decode: impl Fn(&Row) -> Result<()>,
    problem: &mut dyn FnMut(&str, String),
) -> Result<u64> {
    let mut read = 0;
    db.for_each("checking stored records", sql, &[], |row| {
        match decode(row) {
            Ok(()) => read += 1,
            Err(error) => {
                let id = row
                    .try_get::<_, String>(id_column)
                    .or_else(|_| row.try_get::<_, Uuid>(id_column).map(|id| id.to_string()))
                    .unwrap_or_default();
                problem(&id, error.to_string());
            }
        }
        Ok(())
    })?;
    Ok(read)
}
