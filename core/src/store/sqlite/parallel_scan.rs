//! The journey scan split across threads: each range of people on a reader
//! of its own, every reader on the same commit of the book.
//!
//! A funnel over a million touchpoints spends most of its time stepping
//! through the person index; on a phone or an office machine with more than
//! one core, ranges of people scan side by side. SQLite gives each connection
//! its own snapshot, so the readers start their transactions while this
//! process's writer is locked, and the writer's `data_version` shows whether
//! another process committed in between (then they start again).

use std::thread;

use rusqlite::Connection;

use super::SqliteStore;
use super::codec::storage;
use super::journey::{self, People};
use crate::Result;
use crate::store::JourneyVisit;

/// Below this many touchpoints a part, a split scan costs more in starting
/// threads and readers than it saves.
const MIN_TOUCHPOINTS_PER_PART: i64 = 50_000;

/// How often the readers try to start on one commit while other processes
/// keep writing, before the scan runs in one part instead.
const PIN_ATTEMPTS: usize = 3;

impl SqliteStore {
    /// Scans the journeys split into at most `visits.len()` ranges of people,
    /// each on a thread and a reader of its own, all from one snapshot.
    /// `Ok(false)` when the scan was not split (an in-memory book, a book too
    /// small to gain from it, or other processes writing all the while): the
    /// caller scans in one part.
    pub(super) fn scan_journeys_split(
        &self,
        since: Option<&str>,
        until: Option<&str>,
        visits: &mut [&mut JourneyVisit<'_>],
    ) -> Result<bool> {
        self.scan_journeys_split_from(since, until, visits, MIN_TOUCHPOINTS_PER_PART)
    }

    /// [`SqliteStore::scan_journeys_split`] with parts of at least
    /// `min_per_part` touchpoints.
    fn scan_journeys_split_from(
        &self,
        since: Option<&str>,
        until: Option<&str>,
        visits: &mut [&mut JourneyVisit<'_>],
        min_per_part: i64,
    ) -> Result<bool> {
        let Some(path) = &self.path else {
            return Ok(false);
        };
        if visits.len() < 2 {
            return Ok(false);
        }
        let keys = self.read(|conn| journey::split_keys(conn, visits.len(), min_per_part))?;
        if keys.is_empty() {
            return Ok(false);
        }
        let mut readers = Vec::with_capacity(keys.len() + 1);
        let mut scanned = Ok(false);
        for _ in 0..=keys.len() {
            match self.take_reader(path) {
                Ok(reader) => readers.push(reader),
                Err(error) => {
                    scanned = Err(error);
                    break;
                }
            }
        }
        if scanned.is_ok() {
            scanned = match self.start_on_one_commit(&readers) {
                Ok(true) => scan_parts(&mut readers, &keys, since, until, visits).map(|()| true),
                other => other,
            };
        }
        for reader in readers {
            self.give_back_reader(reader);
        }
        scanned
    }

    /// Starts a read transaction on every reader, all on the same commit.
    /// `Ok(false)` when another process kept committing in between.
    fn start_on_one_commit(&self, readers: &[Connection]) -> Result<bool> {
        let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let writer = writer.as_mut().ok_or(crate::Error::Closed)?;
        for _ in 0..PIN_ATTEMPTS {
            let before = data_version(writer)?;
            for reader in readers {
                start_read(reader)?;
            }
            if data_version(writer)? == before {
                return Ok(true);
            }
            for reader in readers {
                reader
                    .execute_batch("ROLLBACK")
                    .map_err(storage("starting a split journey scan"))?;
            }
        }
        Ok(false)
    }
}

/// The counter SQLite changes on `conn` whenever another connection commits.
fn data_version(conn: &Connection) -> Result<i64> {
    conn.pragma_query_value(None, "data_version", |row| row.get(0))
        .map_err(storage("starting a split journey scan"))
}

/// Opens a read transaction on `conn` and reads, which fixes its snapshot.
fn start_read(conn: &Connection) -> Result<()> {
    conn.execute_batch("BEGIN")
        .and_then(|()| conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(())))
        .map_err(storage("starting a split journey scan"))
}

/// Scans part `n` (the people from `keys[n - 1]` up to `keys[n]`) on
/// `readers[n]` into `visits[n]`, each on its own thread, and ends each
/// reader's transaction. A panic in a part reaches the caller as it would
/// from an unsplit scan.
fn scan_parts(
    readers: &mut [Connection],
    keys: &[String],
    since: Option<&str>,
    until: Option<&str>,
    visits: &mut [&mut JourneyVisit<'_>],
) -> Result<()> {
    thread::scope(|scope| {
        let parts: Vec<_> = readers
            .iter_mut()
            .zip(visits.iter_mut())
            .enumerate()
            .map(|(index, (reader, visit))| {
                let people = People {
                    from: index
                        .checked_sub(1)
                        .and_then(|previous| keys.get(previous))
                        .map_or("", String::as_str),
                    below: keys.get(index).map(String::as_str),
                };
                scope.spawn(move || {
                    let scanned = journey::scan(reader, since, until, people, &mut **visit);
                    let ended = reader
                        .execute_batch("COMMIT")
                        .map_err(storage("finishing a split journey scan"));
                    scanned.and(ended)
                })
            })
            .collect();
        // Every part is joined before the first error is reported.
        let ended: Vec<Result<()>> = parts
            .into_iter()
            .map(|part| {
                part.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect();
        ended.into_iter().collect()
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::{Duration, TimeZone, Utc};

    use super::*;
    use crate::Result;
    use crate::model::{Author, JourneyChannel, Touchpoint};
    use crate::store::{JourneyRow, Store, Write, WriteBatch};

    /// A visitor's page view at `at`.
    fn page_view(visitor: &str, at: chrono::DateTime<Utc>) -> Touchpoint {
        Touchpoint::by_visitor(visitor, at, JourneyChannel::Website, "page_viewed")
    }

    fn insert(store: &SqliteStore, touchpoints: Vec<Touchpoint>) -> Result<()> {
        store.apply(&WriteBatch {
            author: Author::office("test"),
            at: Utc::now(),
            writes: vec![Write::InsertTouchpoints(touchpoints)],
            changes: Vec::new(),
        })?;
        Ok(())
    }

    /// A file book with 60 visitors' touchpoints (1 to 12 each, 390 in all).
    fn book(dir: &tempfile::TempDir) -> SqliteStore {
        let store = SqliteStore::open(dir.path().join("book.sqlite")).unwrap();
        let start = Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap();
        let touchpoints = (0..60)
            .flat_map(|visitor| {
                (0..=visitor % 12).map(move |n| {
                    page_view(
                        &format!("visitor-{visitor:02}"),
                        start + Duration::hours(n) + Duration::minutes(visitor),
                    )
                })
            })
            .collect();
        insert(&store, touchpoints).unwrap();
        store
    }

    /// Each part's people and their rows, scanned in `parts` parts of at
    /// least `min_per_part` touchpoints.
    fn scan(
        store: &SqliteStore,
        parts: usize,
        min_per_part: i64,
    ) -> (bool, Vec<Vec<(bool, JourneyRow)>>) {
        let mut seen: Vec<Vec<(bool, JourneyRow)>> = vec![Vec::new(); parts];
        let split = {
            let mut visits: Vec<Box<JourneyVisit<'_>>> = seen
                .iter_mut()
                .map(|rows| {
                    Box::new(move |new_person, row| {
                        rows.push((new_person, row));
                        Ok(())
                    }) as Box<JourneyVisit<'_>>
                })
                .collect();
            let mut visits: Vec<&mut JourneyVisit<'_>> =
                visits.iter_mut().map(|visit| &mut **visit).collect();
            store
                .scan_journeys_split_from(None, None, &mut visits, min_per_part)
                .unwrap()
        };
        (split, seen)
    }

    #[test]
    fn each_part_reads_whole_people_and_together_they_read_the_book_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = book(&dir);
        let mut whole = Vec::new();
        store
            .scan_journeys(None, None, &mut |new_person, row| {
                whole.push((new_person, row));
                Ok(())
            })
            .unwrap();
        assert_eq!(whole.len(), 390);

        let (split, parts) = scan(&store, 3, 100);
        assert!(split);
        let people = |rows: &[(bool, JourneyRow)]| -> BTreeSet<String> {
            rows.iter()
                .filter_map(|(_, row)| row.visitor_id.clone())
                .collect()
        };
        for part in &parts {
            assert!(part.len() > 50, "a part of {} rows", part.len());
            assert!(part[0].0, "a part starts with a new person");
        }
        for (a, b) in [(0, 1), (0, 2), (1, 2)] {
            assert!(people(&parts[a]).is_disjoint(&people(&parts[b])));
        }
        // In order, the parts are the unsplit scan: same rows, same person
        // starts, same order.
        let joined: Vec<(bool, JourneyRow)> = parts.concat();
        assert_eq!(joined, whole);
    }

    #[test]
    fn a_small_book_or_an_in_memory_one_is_not_split() {
        let dir = tempfile::tempdir().unwrap();
        let store = book(&dir);
        let (split, parts) = scan(&store, 2, 1_000);
        assert!(!split);
        assert!(parts.iter().all(Vec::is_empty));

        let memory = SqliteStore::open_in_memory().unwrap();
        let (split, _) = scan(&memory, 2, 1);
        assert!(!split);
    }

    #[test]
    fn the_readers_go_back_to_the_pool_outside_their_snapshot() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let store = book(&dir);
        assert!(scan(&store, 2, 100).0);
        let pooled = store.readers.lock().unwrap().len();
        assert!(pooled >= 2, "{pooled} readers pooled");
        assert!(
            store
                .readers
                .lock()
                .unwrap()
                .iter()
                .all(Connection::is_autocommit)
        );
        // A touchpoint written after the scan is seen by every pooled reader:
        // none kept the scan's snapshot.
        insert(&store, vec![page_view("visitor-late", Utc::now())])?;
        let count = |conn: &Connection| -> i64 {
            conn.query_row("SELECT count(*) FROM touchpoints", [], |row| row.get(0))
                .unwrap()
        };
        for reader in store.readers.lock().unwrap().iter() {
            assert_eq!(count(reader), 391);
        }
        Ok(())
    }
}
