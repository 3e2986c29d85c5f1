//! The SQLite file itself: migrations, refusal of newer files, readers that do
//! not wait for a writer, an append-only change log, and tables a person can
//! read in the `sqlite3` shell.

use poolbook::{
    Address, Author, Book, ChangeLogQuery, Contact, ContactRole, CustomerKind, Error, NewCustomer,
    OpenCheck, OpenOptions, SCHEMA_VERSION, Secret, ServiceLocation,
};
use rusqlite::Connection;

/// The key every book of these tests is sealed with.
fn key() -> std::sync::Arc<dyn poolbook::KeyProvider> {
    poolbook::static_key_provider(vec![0x5a; 32]).unwrap()
}

/// Opens (or creates) the book file at `path`, unlocked.
fn open(path: &std::path::Path) -> Book {
    let book = Book::open(path).unwrap();
    book.unlock(key()).unwrap();
    book
}

fn customer() -> NewCustomer {
    let mut location = ServiceLocation::new(Address::new(
        "1420 Oak Street",
        "Springfield",
        "IL",
        "62704",
        "US",
    ));
    location.access.gate_code = Some(Secret::new("GATE-5150", "gate_code").unwrap());
    NewCustomer::new(CustomerKind::Residential, "Maria Lopez")
        .with_contact(
            Contact::new("Maria Lopez", ContactRole::Owner).with_phone("555 010 2233", true),
        )
        .with_location(location)
}

#[test]
fn a_new_file_gets_the_current_schema_with_wal_and_strict_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let book = open(&path);
    book.create_customer(customer(), &Author::office("dana"))
        .unwrap();

    let raw = Connection::open(&path).unwrap();
    let version: i64 = raw
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let mode: String = raw
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let strict: Vec<(String, i64)> = raw
        .prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'customer_search%'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(strict.len() >= 8, "{strict:?}");
    assert!(
        strict.iter().all(|(_, s)| *s == 1),
        "every table is STRICT: {strict:?}"
    );

    // Readable columns, plain values.
    let (name, status): (String, String) = raw
        .query_row("SELECT display_name, status FROM customers", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((name.as_str(), status.as_str()), ("Maria Lopez", "active"));
    let phones: String = raw
        .query_row("SELECT phones FROM contacts", [], |r| r.get(0))
        .unwrap();
    assert!(phones.contains("+15550102233"), "{phones}");
    let street: String = raw
        .query_row("SELECT address_line1 FROM locations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(street, "1420 Oak Street");
    let integrity: String = raw
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let foreign_keys: i64 = raw
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(foreign_keys, 0);
}

#[test]
fn reopening_keeps_everything_and_migrates_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let created = {
        let book = open(&path);
        let created = book
            .create_customer(customer(), &Author::office("dana"))
            .unwrap();
        book.close().unwrap();
        created
    };
    let book = open(&path);
    assert_eq!(book.customer(created.id).unwrap(), created);
}

#[test]
fn a_file_from_a_newer_poolbook_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.sqlite");
    open(&path).close().unwrap();
    let raw = Connection::open(&path).unwrap();
    raw.pragma_update(None, "user_version", SCHEMA_VERSION + 7)
        .unwrap();
    drop(raw);

    let error = Book::open(&path).unwrap_err();
    match &error {
        Error::UnsupportedSchema { found, supported } => {
            assert_eq!((*found, *supported), (SCHEMA_VERSION + 7, SCHEMA_VERSION));
        }
        other => panic!("expected UnsupportedSchema, got {other:?}"),
    }
    assert!(error.to_string().contains("upgrade poolbook"), "{error}");
    let raw = Connection::open(&path).unwrap();
    let version: i64 = raw
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION + 7, "the file is not touched");
}

#[test]
fn readers_do_not_wait_for_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let book = open(&path);
    let created = book
        .create_customer(customer(), &Author::office("dana"))
        .unwrap();

    // Another process holds the write lock, mid-transaction, with an uncommitted rename.
    let writer = Connection::open(&path).unwrap();
    writer
        .execute_batch("BEGIN IMMEDIATE; UPDATE customers SET display_name = 'Uncommitted';")
        .unwrap();

    let started = std::time::Instant::now();
    let read = book.customer(created.id).unwrap();
    let hits = book.search_customers("maria", 5).unwrap();
    let elapsed = started.elapsed();
    assert_eq!(
        read.display_name, "Maria Lopez",
        "readers see the last committed state"
    );
    assert_eq!(hits.len(), 1);
    assert!(
        elapsed < std::time::Duration::from_secs(2),
        "reads waited {elapsed:?}"
    );
    writer.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn the_change_log_is_append_only_and_holds_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let book = open(&path);
    book.create_customer(customer(), &Author::office("dana"))
        .unwrap();
    assert!(
        !book
            .change_log(&ChangeLogQuery::default())
            .unwrap()
            .is_empty()
    );

    let raw = Connection::open(&path).unwrap();
    for statement in [
        "DELETE FROM change_log",
        "UPDATE change_log SET author_id = 'someone else'",
    ] {
        let error = raw.execute(statement, []).unwrap_err().to_string();
        assert!(error.contains("append-only"), "{statement}: {error}");
    }
    let everything: String = raw
        .query_row(
            "SELECT group_concat(at || author_kind || author_id || entity || entity_id || action || changes, ' ') FROM change_log",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(everything.contains("1420 Oak Street"));
    assert!(
        !everything.contains("GATE-5150"),
        "the raw log holds no secret"
    );
}

/// The schema as `sqlite3 .schema` would show it, in a fixed order.
fn schema_of(conn: &Connection) -> Vec<(String, String, Option<String>)> {
    conn.prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_version_1_file_upgrades_to_the_fresh_schema_and_keeps_its_records() {
    let dir = tempfile::tempdir().unwrap();
    // A file as poolbook's first schema wrote it, frozen: step 1 only.
    let old = dir.path().join("v1.sqlite");
    {
        let raw = Connection::open(&old).unwrap();
        raw.execute_batch(include_str!("../schema/001_initial.sql"))
            .unwrap();
        raw.pragma_update(None, "user_version", 1).unwrap();
    }
    let customer = {
        let raw = Connection::open(&old).unwrap();
        raw.execute_batch(
            "INSERT INTO customers (id, kind, display_name, status, billing_rate_basis, \
             billing_terms_days, custom_fields, preferences, created_at, updated_at, version) \
             VALUES ('0192f0a0-0000-7000-8000-000000000001', 'residential', 'Old Timer', 'active', \
             'per_visit', 15, '{}', '{}', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z', 3);",
        )
        .unwrap();
        "0192f0a0-0000-7000-8000-000000000001"
            .parse::<poolbook::CustomerId>()
            .unwrap()
    };

    let book = Book::open(&old).unwrap();
    let upgraded = book.customer(customer).unwrap();
    assert_eq!(
        (upgraded.display_name.as_str(), upgraded.version),
        ("Old Timer", 3)
    );
    book.close().unwrap();

    let fresh = dir.path().join("fresh.sqlite");
    Book::open(&fresh).unwrap().close().unwrap();
    let (old, fresh) = (
        Connection::open(&old).unwrap(),
        Connection::open(&fresh).unwrap(),
    );
    assert_eq!(
        schema_of(&old),
        schema_of(&fresh),
        "an upgraded file has exactly the fresh schema"
    );
    let version: i64 = old
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
}

/// The `.sqlite` file alone (no `-wal`, no `-shm`) holds every record once
/// the book is closed, whether by `close` or by being dropped: copying "the
/// book file" never loses data.
#[test]
fn the_book_file_alone_holds_everything_once_the_book_is_closed_or_dropped() {
    for closed_by_drop in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.sqlite");
        let book = open(&path);
        let id = book
            .create_customer(customer(), &Author::office("dana"))
            .unwrap()
            .id;
        // A reader connection too: it must not keep the log from folding back.
        assert_eq!(book.customer(id).unwrap().display_name, "Maria Lopez");
        if closed_by_drop {
            drop(book);
        } else {
            book.close().unwrap();
        }
        let wal = dir.path().join("book.sqlite-wal");
        assert!(
            std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
            "the write-ahead log is folded back into the file"
        );
        let copy_dir = tempfile::tempdir().unwrap();
        let copy = copy_dir.path().join("copy.sqlite");
        std::fs::copy(&path, &copy).unwrap();
        let copied = Book::open(&copy).unwrap();
        assert_eq!(
            copied.customer(id).unwrap().display_name,
            "Maria Lopez",
            "closed by drop: {closed_by_drop}"
        );
    }
}

/// The book file's bytes, `-wal` included, to prove a call left them alone.
fn bytes_of(path: &std::path::Path) -> (Vec<u8>, Vec<u8>) {
    let wal = std::fs::read(format!("{}-wal", path.display())).unwrap_or_default();
    (std::fs::read(path).unwrap(), wal)
}

#[test]
fn opening_a_current_book_waits_for_no_writer_and_a_held_lock_is_a_busy_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let office = Author::office("dana");
    open(&path).create_customer(customer(), &office).unwrap();
    // Another process in the middle of a long write (an import).
    let other = Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    let book = open(&path);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "opening took {:?}",
        started.elapsed()
    );
    assert_eq!(
        book.list_customers(&poolbook::CustomerQuery::default())
            .unwrap()
            .customers
            .len(),
        1,
        "reads go on while the other write runs"
    );
    let impatient = Book::open_with(
        &path,
        &OpenOptions {
            busy_timeout_ms: 300,
            ..OpenOptions::default()
        },
    )
    .unwrap();
    impatient.unlock(key()).unwrap();
    let started = std::time::Instant::now();
    match impatient.create_customer(customer(), &office).unwrap_err() {
        Error::Busy { waited_ms, .. } => {
            assert!((300..5_000).contains(&waited_ms), "waited {waited_ms} ms");
            assert!(started.elapsed() < std::time::Duration::from_secs(5));
        }
        other => panic!("expected Busy, got {other:?}"),
    }
    other.execute_batch("COMMIT").unwrap();
    book.create_customer(customer(), &office).unwrap();
    impatient.create_customer(customer(), &office).unwrap();
    let error = Book::open_with(
        &path,
        &OpenOptions {
            busy_timeout_ms: poolbook::MAX_BUSY_TIMEOUT_MS + 1,
            ..OpenOptions::default()
        },
    )
    .unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "options.busy_timeout_ms"),
        "{error:?}"
    );
}

#[test]
fn a_damaged_index_is_caught_on_open_when_the_options_ask_and_the_file_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    {
        let book = open(&path);
        let many: Vec<NewCustomer> = (0..300).map(|_| customer()).collect();
        book.create_customers(many, &Author::office("dana"))
            .unwrap();
        book.close().unwrap();
    }
    let root: i64 = Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers' \
             ORDER BY name LIMIT 1",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    let start = (root as usize - 1) * page;
    for byte in &mut bytes[start..start + page] {
        *byte = 0x5a;
    }
    std::fs::write(&path, &bytes).unwrap();
    let options = |check_on_open| OpenOptions {
        check_on_open,
        ..OpenOptions::default()
    };

    let unchecked = Book::open_with(&path, &options(OpenCheck::Never));
    assert!(
        unchecked.is_ok(),
        "without the check the damage is not seen at open"
    );
    drop(unchecked);
    for check in [OpenCheck::SmallFiles, OpenCheck::Always] {
        let error = Book::open_with(&path, &options(check)).unwrap_err();
        assert!(
            matches!(error, Error::Corrupt { .. }),
            "{check:?}: {error:?}"
        );
        assert!(error.to_string().contains("quick_check"), "{error}");
    }
    let read_only = OpenOptions {
        read_only: true,
        ..options(OpenCheck::Always)
    };
    assert!(matches!(
        Book::open_with(&path, &read_only).unwrap_err(),
        Error::Corrupt { .. }
    ));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "the file is left as it was"
    );
}

#[test]
fn a_book_opened_read_only_reads_and_refuses_every_write_leaving_the_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let office = Author::office("dana");
    let maria = {
        let book = open(&path);
        let maria = book.create_customer(customer(), &office).unwrap();
        book.close().unwrap();
        maria
    };
    let before = bytes_of(&path);
    let book = Book::open_read_only(&path).unwrap();
    assert_eq!(book.customer(maria.id).unwrap(), maria);
    book.unlock(key()).unwrap();
    let error = book.create_customer(customer(), &office).unwrap_err();
    assert!(matches!(error, Error::ReadOnly { .. }), "{error:?}");
    assert!(
        error.to_string().starts_with("the book is read-only: "),
        "{error}"
    );
    let error = book.set_time_zone("America/Phoenix", &office).unwrap_err();
    assert!(matches!(error, Error::ReadOnly { .. }), "{error:?}");
    book.close().unwrap();
    drop(book);
    assert_eq!(
        bytes_of(&path),
        before,
        "the file is byte for byte unchanged"
    );

    let missing = dir.path().join("missing.sqlite");
    assert!(Book::open_read_only(&missing).is_err());
    assert!(!missing.exists(), "a read-only open creates nothing");
}

#[test]
fn a_file_that_is_not_a_book_is_refused_by_kind_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.sqlite");
    std::fs::write(&text, "Gate code is on the fridge. ".repeat(200)).unwrap();
    let before = std::fs::read(&text).unwrap();
    let error = Book::open(&text).unwrap_err();
    assert!(matches!(error, Error::NotABook { .. }), "{error:?}");
    assert!(
        error.to_string().starts_with("not a poolbook book file: "),
        "{error}"
    );
    assert!(!error.to_string().contains("fridge"));
    assert_eq!(std::fs::read(&text).unwrap(), before);

    let foreign = dir.path().join("crm.sqlite");
    {
        let conn = Connection::open(&foreign).unwrap();
        conn.execute_batch("CREATE TABLE leads (name TEXT); INSERT INTO leads VALUES ('Ann');")
            .unwrap();
    }
    let error = Book::open(&foreign).unwrap_err();
    assert!(matches!(error, Error::NotABook { .. }), "{error:?}");
    let conn = Connection::open(&foreign).unwrap();
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 1, "no poolbook tables were written into it");

    let negative = dir.path().join("negative.sqlite");
    Book::open(&negative).unwrap().close().unwrap();
    Connection::open(&negative)
        .unwrap()
        .pragma_update(None, "user_version", -3)
        .unwrap();
    let error = Book::open(&negative).unwrap_err();
    assert!(matches!(error, Error::NotABook { .. }), "{error:?}");
    assert!(error.to_string().contains("-3"), "{error}");
}

#[test]
fn a_damaged_book_file_is_reported_as_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let office = Author::office("dana");
    {
        let book = open(&path);
        let many: Vec<NewCustomer> = (0..300).map(|_| customer()).collect();
        book.create_customers(many, &office).unwrap();
        book.close().unwrap();
    }
    // Scribble over every page but the first (the header and schema).
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    for (index, byte) in bytes.iter_mut().enumerate().skip(page) {
        *byte = (index % 251) as u8;
    }
    std::fs::write(&path, &bytes).unwrap();
    let outcome =
        Book::open(&path).and_then(|book| book.list_customers(&poolbook::CustomerQuery::default()));
    match outcome {
        Err(Error::Corrupt { .. } | Error::NotABook { .. }) => {}
        other => panic!("expected the damage reported, got {other:?}"),
    }
}

#[test]
fn an_integrity_check_reads_everything_back_reports_damage_by_record_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let office = Author::office("dana");
    let (maria, note) = {
        let book = open(&path);
        let created = book
            .create_customers(vec![customer(), customer(), customer()], &office)
            .unwrap();
        let note = book
            .add_note(poolbook::Note::new(created[0].id, "Gate sticks"), &office)
            .unwrap();
        let report = book.check_integrity().unwrap();
        assert!(report.ok, "{:?}", report.problems);
        assert_eq!(report.customers_checked, 3);
        assert_eq!(report.entries_checked, 1);
        book.close().unwrap();
        (created[0].clone(), note)
    };
    {
        let raw = Connection::open(&path).unwrap();
        raw.execute(
            "UPDATE history SET data = '{\"kind\": \"note\"' WHERE id = ?1",
            [note.id.to_string()],
        )
        .unwrap();
        raw.execute(
            "UPDATE contacts SET phones = 'not json' WHERE customer_id = ?1",
            [maria.id.to_string()],
        )
        .unwrap();
        raw.execute(
            "DELETE FROM customer_search WHERE rowid = (SELECT seq FROM customers WHERE id = ?1)",
            [maria.id.to_string()],
        )
        .unwrap();
    }
    let before = bytes_of(&path);
    let book = Book::open_read_only(&path).unwrap();
    let report = book.check_integrity().unwrap();
    assert!(!report.ok);
    assert_eq!(
        report.customers_checked, 2,
        "the damaged one is not counted"
    );
    assert_eq!(report.entries_checked, 0);
    let said = |area: &str, id: &str| {
        report
            .problems
            .iter()
            .any(|p| p.area == area && p.detail.contains(id))
    };
    assert!(said("entry", &note.id.to_string()), "{:?}", report.problems);
    assert!(
        said("customer", &maria.id.to_string()),
        "{:?}",
        report.problems
    );
    assert!(
        said("search index", &maria.id.to_string()),
        "{:?}",
        report.problems
    );
    assert_eq!(report.problems.len(), 3, "{:?}", report.problems);
    book.close().unwrap();
    drop(book);
    assert_eq!(bytes_of(&path), before, "checking changed nothing");
}

/// Found from Python (issue 15): the first check after a write on a file
/// book reported `fts5: checksum mismatch for table "customer_search"`,
/// and the next one reported the book sound.
#[test]
fn an_integrity_check_right_after_writes_finds_the_search_index_sound() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let office = Author::office("dana");
    let book = open(&path);
    let first = book.create_customer(customer(), &office).unwrap();
    // A reader has searched, so it holds the search index as it was.
    assert_eq!(book.search_customers("Lopez", 10).unwrap().len(), 1);
    assert!(book.check_integrity().unwrap().ok);
    for (round, name) in ["Maria Lopez-Reyes", "Maria Reyes", "M. Reyes"]
        .iter()
        .enumerate()
    {
        let current = book.customer(first.id).unwrap();
        book.update_customer(
            first.id,
            current.version,
            poolbook::CustomerPatch {
                display_name: Some((*name).to_owned()),
                ..Default::default()
            },
            &office,
        )
        .unwrap();
        let report = book.check_integrity().unwrap();
        assert!(report.ok, "round {round}: {:?}", report.problems);
        assert_eq!(report.customers_checked, 1);
        let found = book.search_customers("Reyes", 10).unwrap();
        assert_eq!(found.len(), 1, "round {round}: the new name is found");
        assert_eq!(found[0].display_name, *name);
    }
    book.close().unwrap();
}
