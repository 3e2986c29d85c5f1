//! The SQLite file itself: migrations, refusal of newer files, readers that do
//! not wait for a writer, an append-only change log, and tables a person can
//! read in the `sqlite3` shell.

use poolbook::{
    Address, Author, Book, ChangeLogQuery, Contact, ContactRole, CustomerKind, Error, NewCustomer,
    SCHEMA_VERSION, Secret, ServiceLocation,
};
use rusqlite::Connection;

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
    let book = Book::open(&path).unwrap();
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
        let book = Book::open(&path).unwrap();
        let created = book
            .create_customer(customer(), &Author::office("dana"))
            .unwrap();
        book.close().unwrap();
        created
    };
    let book = Book::open(&path).unwrap();
    assert_eq!(book.customer(created.id).unwrap(), created);
}

#[test]
fn a_file_from_a_newer_poolbook_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.sqlite");
    Book::open(&path).unwrap().close().unwrap();
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
    let book = Book::open(&path).unwrap();
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
    let book = Book::open(&path).unwrap();
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
        let book = Book::open(&path).unwrap();
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
