//! Backups (`Book::backup_to`): a consistent, checked snapshot taken while
//! a writer keeps working, sealed codes still sealed (and openable with the
//! book's key), nothing overwritten, and restoring is opening the file.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use poolbook::{
    Address, Author, Book, CustomerKind, CustomerQuery, Error, KeyProvider, NewCustomer, Note,
    Secret, SecretField, ServiceLocation, static_key_provider,
};

fn key() -> Arc<dyn KeyProvider> {
    static_key_provider(vec![7; 32]).unwrap()
}

fn office() -> Author {
    Author::office("dana")
}

fn customer(n: usize) -> NewCustomer {
    let mut location = ServiceLocation::new(Address::new(
        format!("{n} Palm Way"),
        "Phoenix",
        "AZ",
        "85018",
        "US",
    ));
    location.access.gate_code = Some(Secret::new(format!("QZ{n:05}#"), "gate_code").unwrap());
    NewCustomer::new(CustomerKind::Residential, format!("Customer {n}")).with_location(location)
}

fn all_customers(book: &Book) -> Vec<poolbook::Customer> {
    book.list_customers(&CustomerQuery {
        limit: Some(1000),
        ..CustomerQuery::default()
    })
    .unwrap()
    .customers
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_backup_holds_the_whole_book_sealed_and_restores_by_opening_it() {
    let dir = tempfile::tempdir().unwrap();
    let book = Book::open(dir.path().join("book.sqlite")).unwrap();
    book.unlock(key()).unwrap();
    let mut created = Vec::new();
    for n in 0..20 {
        let c = book.create_customer(customer(n), &office()).unwrap();
        book.add_note(Note::new(c.id, format!("note {n}")), &office())
            .unwrap();
        created.push(c);
    }
    // A code replaced before the backup must not survive in it.
    let first = &created[0];
    let mut location = first.locations[0].clone();
    location.access.gate_code = Some(Secret::new("QZNEW01#", "gate_code").unwrap());
    book.update_customer(
        first.id,
        first.version,
        poolbook::CustomerPatch {
            locations: Some(vec![location]),
            ..Default::default()
        },
        &office(),
    )
    .unwrap();

    let target = dir.path().join("backup.sqlite");
    let report = book.backup_to(&target).unwrap();
    assert_eq!(report.path, target.display().to_string());
    assert_eq!(report.customers, 20);
    assert_eq!(report.entries, 20);
    assert_eq!(report.touchpoints, 0);
    assert_eq!(report.bytes, std::fs::metadata(&target).unwrap().len());
    assert!(report.changes >= 41, "{} change rows", report.changes);

    let bytes = std::fs::read(&target).unwrap();
    for n in 0..20 {
        assert!(
            !contains(&bytes, format!("QZ{n:05}#").as_bytes()),
            "code {n} in the clear"
        );
    }
    assert!(!contains(&bytes, b"QZNEW01#"));

    let original = all_customers(&book);
    let restored = Book::open(&target).unwrap();
    assert_eq!(all_customers(&restored), original);
    assert!(restored.check_integrity().unwrap().ok);
    assert_eq!(
        restored
            .change_log(&poolbook::ChangeLogQuery::default())
            .unwrap(),
        book.change_log(&poolbook::ChangeLogQuery::default())
            .unwrap()
    );
    restored.unlock(key()).unwrap();
    let code = restored
        .reveal_secret(
            first.locations[0].id,
            SecretField::GateCode,
            &office(),
            "restore drill",
        )
        .unwrap()
        .unwrap();
    assert_eq!(code.reveal(), Some("QZNEW01#"));
    restored.close().unwrap();
}

#[test]
fn a_backup_never_overwrites_and_refuses_a_missing_folder() {
    let dir = tempfile::tempdir().unwrap();
    let book = Book::open(dir.path().join("book.sqlite")).unwrap();
    book.create_customer(
        NewCustomer::new(CustomerKind::Residential, "Ann"),
        &office(),
    )
    .unwrap();
    let taken = dir.path().join("taken.sqlite");
    std::fs::write(&taken, b"someone's file").unwrap();
    match book.backup_to(&taken) {
        Err(Error::Invalid { field, problem, .. }) => {
            assert_eq!(field, "path");
            assert!(problem.contains("already exists"), "{problem}");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(std::fs::read(&taken).unwrap(), b"someone's file");

    let nowhere = dir.path().join("no such folder").join("backup.sqlite");
    match book.backup_to(&nowhere) {
        Err(Error::Invalid { field, problem, .. }) => {
            assert_eq!(field, "path");
            assert!(problem.contains("does not exist"), "{problem}");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert!(!nowhere.exists());
}

#[test]
fn a_backup_taken_while_a_writer_works_is_a_consistent_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let book = Arc::new(Book::open(&path).unwrap());
    book.unlock(key()).unwrap();
    for n in 0..50 {
        book.create_customer(customer(n), &office()).unwrap();
    }
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (book, stop) = (Arc::clone(&book), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut n = 50;
            while !stop.load(Ordering::Relaxed) {
                let batch: Vec<_> = (n..n + 10).map(customer).collect();
                book.create_customers(batch, &office()).unwrap();
                n += 10;
            }
            n
        })
    };
    let mut reports = Vec::new();
    for round in 0..3 {
        std::thread::sleep(std::time::Duration::from_millis(30));
        let target = dir.path().join(format!("backup-{round}.sqlite"));
        reports.push((target.clone(), book.backup_to(&target).unwrap()));
    }
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().unwrap();

    for (target, report) in &reports {
        // Batches of ten land whole: a snapshot holds 50 plus whole batches.
        assert_eq!(report.customers % 10, 0, "a batch cut in half");
        assert!(report.customers >= 50 && report.customers <= written as u64);
        let copy = Book::open_read_only(target).unwrap();
        let check = copy.check_integrity().unwrap();
        assert!(check.ok, "{:?}", check.problems);
        assert_eq!(check.customers_checked, report.customers);
    }
    assert!(
        reports.last().unwrap().1.customers > 50,
        "the writer made progress during the backups"
    );
}

#[test]
fn in_memory_and_read_only_books_back_up_too() {
    let dir = tempfile::tempdir().unwrap();
    let memory = Book::open_in_memory().unwrap();
    memory
        .create_customer(
            NewCustomer::new(CustomerKind::Commercial, "Sun Club"),
            &office(),
        )
        .unwrap();
    let from_memory = dir.path().join("from-memory.sqlite");
    assert_eq!(memory.backup_to(&from_memory).unwrap().customers, 1);
    assert_eq!(
        all_customers(&Book::open(&from_memory).unwrap()),
        all_customers(&memory)
    );

    let read_only = Book::open_read_only(&from_memory).unwrap();
    let second = dir.path().join("second.sqlite");
    assert_eq!(read_only.backup_to(&second).unwrap().customers, 1);
    assert!(Path::new(&second).exists());
}

/// A backup (written by VACUUM INTO) is in rollback-journal mode, as is a
/// book file someone set to `journal_mode=DELETE` in the sqlite3 shell:
/// opening switches it to WAL, and closing must still fold the log back
/// (found: the quick_check on open left the writer unable to checkpoint).
#[test]
fn a_book_file_in_rollback_journal_mode_opens_reads_and_closes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let target = dir.path().join("backup.sqlite");
    {
        let book = Book::open(&path).unwrap();
        book.create_customer(
            NewCustomer::new(CustomerKind::Residential, "Ann"),
            &office(),
        )
        .unwrap();
        book.backup_to(&target).unwrap();
        book.close().unwrap();
    }
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
    }
    for file in [&path, &target] {
        assert_eq!(std::fs::read(file).unwrap()[18], 1, "rollback-journal mode");
        let book = Book::open(file).unwrap();
        assert_eq!(all_customers(&book).len(), 1);
        book.create_customer(NewCustomer::new(CustomerKind::Residential, "Bo"), &office())
            .unwrap();
        book.close().unwrap();
        assert!(
            !Path::new(&format!("{}-wal", file.display())).exists(),
            "the log is folded back into the file"
        );
        assert_eq!(all_customers(&Book::open_read_only(file).unwrap()).len(), 2);
    }
}
