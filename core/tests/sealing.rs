//! Gate codes sealed at rest (issue 16, ADR 0006): no code in the file's
//! bytes, distinct errors for a locked book, a wrong key and a tampered
//! blob, blobs bound to their row and field, audited reveals, both key
//! rotations, and the upgrade of a book whose codes were plain text.

use std::path::Path;
use std::sync::Arc;

use chrono::{Duration, Utc};
use poolbook::{
    Address, Author, Book, ChangeLogQuery, CustomerKind, Error, KeyProvider, NewCustomer, Secret,
    SecretField, SecretRevealQuery, ServiceLocation, passphrase_key_provider_with_cost,
    static_key_provider,
};
use rusqlite::Connection;

fn key(byte: u8) -> Arc<dyn KeyProvider> {
    static_key_provider(vec![byte; 32]).unwrap()
}

fn office() -> Author {
    Author::office("dana")
}

/// A code no other text in a book contains.
fn code(n: usize) -> String {
    format!("QZ{n:05}#")
}

fn customer(n: usize) -> NewCustomer {
    let mut location = ServiceLocation::new(Address::new(
        format!("{n} Palm Way"),
        "Phoenix",
        "AZ",
        "85018",
        "US",
    ));
    location.access.gate_code = Some(Secret::new(code(n), "gate_code").unwrap());
    location.access.alarm_code = Some(Secret::new(format!("AL{n:05}"), "alarm_code").unwrap());
    NewCustomer::new(CustomerKind::Residential, format!("Customer {n}")).with_location(location)
}

/// The book file and its write-ahead log, as bytes.
fn file_bytes(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    bytes.extend(std::fs::read(format!("{}-wal", path.display())).unwrap_or_default());
    bytes
}

/// How many of the first `count` codes appear in `bytes` (one pass: every
/// code starts with `QZ`).
fn codes_found(bytes: &[u8], count: usize) -> usize {
    let wanted: std::collections::HashSet<Vec<u8>> =
        (0..count).map(|n| code(n).into_bytes()).collect();
    let width = code(0).len();
    let found: std::collections::HashSet<&[u8]> = bytes
        .windows(width)
        .filter(|window| window.starts_with(b"QZ") && wanted.contains(*window))
        .collect();
    found.len()
}

fn reveal(
    book: &Book,
    location: poolbook::LocationId,
    field: SecretField,
) -> poolbook::Result<Option<String>> {
    book.reveal_secret(location, field, &office(), "checking sealing")
        .map(|secret| secret.and_then(|s| s.reveal().map(str::to_owned)))
}

#[test]
fn a_thousand_codes_are_nowhere_in_the_file_and_a_plain_control_book_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let sealed = dir.path().join("sealed.sqlite");
    let book = Book::open(&sealed).unwrap();
    book.unlock(key(1)).unwrap();
    book.create_customers((0..1000).map(customer).collect(), &office())
        .unwrap();
    // While open (codes still in the -wal) and after closing.
    assert_eq!(codes_found(&file_bytes(&sealed), 1000), 0, "open book");
    book.close().unwrap();
    assert_eq!(codes_found(&file_bytes(&sealed), 1000), 0, "closed book");

    // The control: the same codes written as a book from before sealing
    // kept them (plain text) are found by the same scan.
    let control = dir.path().join("control.sqlite");
    plain_text_book(&control, 1000);
    assert_eq!(codes_found(&file_bytes(&control), 1000), 1000);
}

/// A book as schema 4 wrote it (steps 5 and 6 undone): `count` customers whose codes are plain
/// text in `location_secrets`.
fn plain_text_book(path: &Path, count: usize) -> Vec<poolbook::Customer> {
    let customers = {
        let book = Book::open(path).unwrap();
        let mut news: Vec<NewCustomer> = (0..count).map(customer).collect();
        for new in &mut news {
            new.locations[0].access.gate_code = None;
            new.locations[0].access.alarm_code = None;
        }
        let customers = book.create_customers(news, &office()).unwrap();
        book.close().unwrap();
        customers
    };
    let conn = Connection::open(path).unwrap();
    // What steps after 4 made goes, so opening runs them again: step 5's
    // sealed secrets, and step 10's spreadsheet imports (issue 20).
    conn.execute_batch(
        "DROP INDEX history_by_kind_at; DROP TABLE billed_items; ALTER TABLE customers DROP COLUMN billing_skips; \
         ALTER TABLE locations DROP COLUMN plan_bills_chemicals; \
         DROP TABLE customer_merges; DROP TABLE duplicate_decisions; \
         DROP TABLE location_secrets; DROP TABLE book_keys; DROP TABLE secret_reveals; \
         ALTER TABLE location_secrets_plain RENAME TO location_secrets; \
         DELETE FROM settings WHERE key = 'book_id'; \
         DELETE FROM touchpoints WHERE source_system = 'poolbook'; \
         DROP INDEX touchpoints_by_entry; DROP INDEX touchpoints_by_action; DROP INDEX touchpoints_by_person; \
         ALTER TABLE touchpoints DROP COLUMN entry_id; \
         ALTER TABLE touchpoints DROP COLUMN archived_at; \
         CREATE INDEX touchpoints_by_person ON touchpoints ( \
             coalesce(customer_id, 'v:' || visitor_id), at, id, action, channel, stage, \
             direction, actor, visitor_id, campaign); \
         DELETE FROM settings WHERE key = 'operations_backfill'; DROP TABLE outbox; \
         DROP TABLE import_batches; DROP TABLE import_keys; DROP TABLE import_mappings; \
         DROP INDEX touchpoints_by_time; DROP INDEX history_by_location_kind; \
         PRAGMA user_version = 4;",
    )
    .unwrap();
    for (n, customer) in customers.iter().enumerate() {
        conn.execute(
            "INSERT INTO location_secrets (location_id, gate_code, alarm_code) VALUES (?1, ?2, ?3)",
            (
                customer.locations[0].id.to_string(),
                code(n),
                format!("AL{n:05}"),
            ),
        )
        .unwrap();
    }
    drop(conn);
    customers
}

#[test]
fn a_book_with_plain_text_codes_upgrades_seals_on_first_unlock_and_forgets_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.sqlite");
    let customers = plain_text_book(&path, 50);
    let book = Book::open(&path).unwrap();
    // Locked, the old codes read as before; nothing needs the key yet.
    let before = book.customer(customers[3].id).unwrap();
    let gate = before.locations[0].access.gate_code.as_ref().unwrap();
    assert_eq!(gate.reveal(), Some(code(3).as_str()));
    book.unlock(key(2)).unwrap();
    let after = book.customer(customers[3].id).unwrap();
    assert!(
        after.locations[0]
            .access
            .gate_code
            .as_ref()
            .unwrap()
            .is_sealed()
    );
    assert_eq!(
        reveal(&book, customers[3].locations[0].id, SecretField::GateCode).unwrap(),
        Some(code(3))
    );
    assert_eq!(
        reveal(&book, customers[49].locations[0].id, SecretField::AlarmCode).unwrap(),
        Some("AL00049".to_owned())
    );
    let log = book
        .change_log(&ChangeLogQuery {
            limit: Some(10_000),
            ..Default::default()
        })
        .unwrap();
    let sealed = log
        .iter()
        .find(|row| row.entity_id == "secrets")
        .expect("the change log says the codes were sealed");
    assert_eq!(sealed.changes[0].field, "sealed");
    assert_eq!(sealed.changes[0].after, serde_json::json!(100));
    book.close().unwrap();
    assert_eq!(codes_found(&file_bytes(&path), 50), 0, "no plain copy left");
    let conn = Connection::open(&path).unwrap();
    let left: i64 = conn
        .query_row("SELECT count(*) FROM location_secrets_plain", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(left, 0);
}

#[test]
fn locked_wrong_key_and_tampered_blobs_are_distinct_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let (maria, ann) = {
        let book = Book::open(&path).unwrap();
        book.unlock(key(3)).unwrap();
        let maria = book.create_customer(customer(1), &office()).unwrap();
        let ann = book.create_customer(customer(2), &office()).unwrap();
        book.close().unwrap();
        (maria, ann)
    };
    let home = maria.locations[0].id;
    let before = file_bytes(&path);

    // No key: the book reads, but secrets can be neither revealed nor set.
    let book = Book::open(&path).unwrap();
    assert!(!book.is_unlocked());
    assert_eq!(book.customer(maria.id).unwrap().display_name, "Customer 1");
    assert!(book.stop_card(home).unwrap().gate_code.unwrap().is_sealed());
    let locked = reveal(&book, home, SecretField::GateCode).unwrap_err();
    assert!(matches!(locked, Error::Locked { .. }), "{locked:?}");
    assert!(locked.to_string().starts_with("the book is locked: "));
    let error = book.create_customer(customer(3), &office()).unwrap_err();
    assert!(matches!(error, Error::Locked { .. }), "{error:?}");
    let mut patch_location = maria.locations[0].clone();
    patch_location.label = Some("Front".into());
    book.update_customer(
        maria.id,
        maria.version,
        poolbook::CustomerPatch {
            locations: Some(vec![patch_location]),
            ..Default::default()
        },
        &office(),
    )
    .expect("a record read locked can be written back with its sealed codes");

    // A wrong key: its own error, and the book stays locked.
    let wrong = book.unlock(key(4)).unwrap_err();
    assert!(matches!(wrong, Error::WrongKey), "{wrong:?}");
    assert!(!wrong.to_string().contains("4417"));
    assert!(!book.is_unlocked());
    let wrong_passphrase =
        passphrase_key_provider_with_cost("not the passphrase".into(), 64, 1).unwrap();
    assert!(matches!(
        book.unlock(wrong_passphrase),
        Err(Error::WrongKey)
    ));
    book.close().unwrap();
    drop(book);
    assert_ne!(file_bytes(&path), before, "the label was written");

    // One flipped byte in one blob: that field fails, the others open.
    let conn = Connection::open(&path).unwrap();
    let mut blob: Vec<u8> = conn
        .query_row(
            "SELECT gate_code FROM location_secrets WHERE location_id = ?1",
            [home.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    let middle = blob.len() / 2;
    blob[middle] ^= 0x01;
    conn.execute(
        "UPDATE location_secrets SET gate_code = ?1 WHERE location_id = ?2",
        (&blob, home.to_string()),
    )
    .unwrap();
    // Ann's alarm blob copied over Ann's gate code, and Maria's alarm over Ann's.
    conn.execute_batch(&format!(
        "UPDATE location_secrets SET gate_code = alarm_code WHERE location_id = '{ann}'; \
         UPDATE location_secrets SET alarm_code = (SELECT alarm_code FROM location_secrets \
         WHERE location_id = '{maria}') WHERE location_id = '{ann}';",
        ann = ann.locations[0].id,
        maria = home
    ))
    .unwrap();
    drop(conn);
    let book = Book::open(&path).unwrap();
    book.unlock(key(3)).unwrap();
    match reveal(&book, home, SecretField::GateCode) {
        Err(Error::TamperedSecret { location_id, field }) => {
            assert_eq!(
                (location_id, field.as_str()),
                (home.to_string(), "gate_code")
            );
        }
        other => panic!("expected a tampered secret, got {other:?}"),
    }
    assert_eq!(
        reveal(&book, home, SecretField::AlarmCode).unwrap(),
        Some("AL00001".to_owned()),
        "the other field of the same row still opens"
    );
    let ann_home = ann.locations[0].id;
    for field in [SecretField::GateCode, SecretField::AlarmCode] {
        assert!(
            matches!(
                reveal(&book, ann_home, field),
                Err(Error::TamperedSecret { .. })
            ),
            "a blob moved to another field or row fails: {field}"
        );
    }
}

#[test]
fn every_reveal_writes_one_audit_row_without_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let options = poolbook::OpenOptions {
        device: Some("Ana's phone, field app 2.3".into()),
        ..Default::default()
    };
    let book = Book::open_with(&path, &options).unwrap();
    book.unlock(key(5)).unwrap();
    let maria = book.create_customer(customer(7), &office()).unwrap();
    let home = maria.locations[0].id;
    let ana = Author::office("ana");
    let started = Utc::now() - Duration::seconds(1);
    for (author, field, reason) in [
        (&ana, SecretField::GateCode, "weekly service"),
        (&ana, SecretField::AlarmCode, "alarm went off"),
        (&office(), SecretField::GateCode, "customer called"),
    ] {
        book.reveal_secret(home, field, author, reason)
            .unwrap()
            .unwrap();
    }
    assert_eq!(
        book.reveal_secret(home, SecretField::LockCombination, &ana, "no lock")
            .unwrap(),
        None,
        "nothing to reveal, nothing audited"
    );
    let all = book.secret_reveals(&SecretRevealQuery::default()).unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].author, office(), "newest first");
    assert_eq!(all[2].field, SecretField::GateCode);
    assert_eq!(all[2].reason, "weekly service");
    assert_eq!(all[2].device.as_deref(), Some("Ana's phone, field app 2.3"));
    assert_eq!(all[2].customer_id, maria.id);
    let anas = book
        .secret_reveals(&SecretRevealQuery {
            author_id: Some("ana".into()),
            from: Some(started),
            to: Some(Utc::now() + Duration::seconds(1)),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(anas.len(), 2);
    assert!(
        book.secret_reveals(&SecretRevealQuery {
            to: Some(started),
            ..Default::default()
        })
        .unwrap()
        .is_empty()
    );
    assert!(matches!(
        book.reveal_secret(home, SecretField::GateCode, &ana, "  "),
        Err(Error::Invalid { .. })
    ));
    book.close().unwrap();
    let conn = Connection::open(&path).unwrap();
    let rows: Vec<String> = conn
        .prepare("SELECT at || author_id || location_id || customer_id || field || reason || coalesce(device, '') FROM secret_reveals")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .all(|row| !row.contains(&code(7)) && !row.contains("AL00007"))
    );
    assert!(
        conn.execute("DELETE FROM secret_reveals", []).is_err(),
        "the audit is append-only"
    );
}

#[test]
fn rotating_the_key_encryption_key_rewraps_and_rotating_the_data_key_reseals_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let book = Book::open(&path).unwrap();
    book.unlock(key(6)).unwrap();
    let customers = book
        .create_customers((0..20).map(customer).collect(), &office())
        .unwrap();
    book.rotate_key_encryption_key(key(7), &office()).unwrap();
    book.close().unwrap();

    let book = Book::open(&path).unwrap();
    assert!(
        matches!(book.unlock(key(6)), Err(Error::WrongKey)),
        "the old key no longer opens it"
    );
    book.unlock(key(7)).unwrap();
    for (n, customer) in customers.iter().enumerate() {
        assert_eq!(
            reveal(&book, customer.locations[0].id, SecretField::GateCode).unwrap(),
            Some(code(n))
        );
    }
    let key_id = |path: &Path| -> String {
        Connection::open(path)
            .unwrap()
            .query_row("SELECT id FROM book_keys", [], |r| r.get(0))
            .unwrap()
    };
    let old_id = key_id(&path);
    book.rotate_data_key(key(8), &office()).unwrap();
    let new_id = key_id(&path);
    assert_ne!(old_id, new_id);
    for (n, customer) in customers.iter().enumerate() {
        assert_eq!(
            reveal(&book, customer.locations[0].id, SecretField::AlarmCode).unwrap(),
            Some(format!("AL{n:05}"))
        );
    }
    book.close().unwrap();
    let conn = Connection::open(&path).unwrap();
    let ids: Vec<String> = conn
        .prepare(
            "SELECT hex(substr(gate_code, 2, 8)) FROM location_secrets WHERE gate_code IS NOT NULL \
             UNION ALL SELECT hex(substr(alarm_code, 2, 8)) FROM location_secrets WHERE alarm_code IS NOT NULL",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(ids.len(), 40);
    assert!(
        ids.iter().all(|id| id.eq_ignore_ascii_case(&new_id)),
        "no blob under the old key"
    );
    drop(conn);
    let book = Book::open(&path).unwrap();
    assert!(matches!(book.unlock(key(7)), Err(Error::WrongKey)));
    book.unlock(key(8)).unwrap();
}

#[test]
fn a_passphrase_book_stores_its_argon2_cost_with_the_salt_and_opens_at_that_cost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let maria = {
        let book = Book::open(&path).unwrap();
        book.unlock(
            passphrase_key_provider_with_cost("correct horse battery".into(), 64, 1).unwrap(),
        )
        .unwrap();
        let maria = book.create_customer(customer(1), &office()).unwrap();
        book.close().unwrap();
        maria
    };
    let salt: Vec<u8> = Connection::open(&path)
        .unwrap()
        .query_row("SELECT salt FROM book_keys", [], |r| r.get(0))
        .unwrap();
    let mut cost = b"pbkdf1".to_vec();
    cost.extend_from_slice(&64u32.to_le_bytes());
    cost.extend_from_slice(&1u32.to_le_bytes());
    assert!(
        salt.starts_with(&cost),
        "the cost is stored before the salt"
    );
    assert_eq!(salt.len(), cost.len() + 16);

    // The host now asks for the default cost: the stored one still opens the book.
    let book = Book::open(&path).unwrap();
    assert!(matches!(
        book.unlock(
            passphrase_key_provider_with_cost("wrong horse battery".into(), 64, 1).unwrap()
        ),
        Err(Error::WrongKey)
    ));
    book.unlock(poolbook::passphrase_key_provider("correct horse battery".into()).unwrap())
        .unwrap();
    assert_eq!(
        reveal(&book, maria.locations[0].id, SecretField::GateCode).unwrap(),
        Some(code(1))
    );
}
