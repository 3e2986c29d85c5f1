//! Conformance cases for data in and out (issue 20): what a spreadsheet
//! import keeps in the store (its batch, its row keys, saved mappings),
//! and the book file (the records of `Store::export` / `Store::import_records`):
//! the store's file imports into a new SQLite book as an equal book that
//! writes the same records, a store that is not empty refuses one, and an
//! import whose feed fails part way stores nothing.

use chrono::Utc;

use crate::store::BookRecord;
use crate::store::{Write, WriteBatch};
use crate::{
    ArchivedFilter, Author, Book, ChangeLogQuery, ColumnMapping, CustomerKind, CustomerQuery,
    Error, ImportBatch, ImportField, ImportKey, ImportMapping, ImportedUpdate, NewCustomer,
};

fn office() -> Author {
    Author::office("dana")
}

fn everyone(book: &Book) -> Vec<crate::Customer> {
    book.list_customers(&CustomerQuery {
        archived: ArchivedFilter::Include,
        limit: Some(1000),
        ..CustomerQuery::default()
    })
    .unwrap()
    .customers
}

/// An import's batch, row keys and mapping are stored and read back; a
/// batch stored again (undone) replaces the first, sets and forgets keys.
pub fn an_imports_batch_keys_and_mappings_are_kept(book: &Book) {
    let made = book
        .create_customers(
            vec![
                NewCustomer::new(CustomerKind::Residential, "Ann Lee"),
                NewCustomer::new(CustomerKind::Residential, "Bo Li"),
            ],
            &office(),
        )
        .unwrap();
    let at = crate::book::now();
    let key = |n: usize, fingerprint: &str| ImportKey {
        mapping: "sheet".into(),
        key: format!("K{n}"),
        customer_id: made[n].id,
        version: made[n].version,
        fingerprint: fingerprint.into(),
    };
    let mut batch = ImportBatch {
        id: "01936f00-0000-7000-8000-000000000001".into(),
        mapping: "sheet".into(),
        file: "customers.csv".into(),
        at,
        author: office(),
        created: vec![made[0].id],
        updated: vec![ImportedUpdate {
            before: made[1].clone(),
            version_after: 2,
        }],
        undone_at: None,
    };
    let mapping = ImportMapping {
        name: "sheet".into(),
        columns: vec![ColumnMapping {
            column: "Name".into(),
            field: ImportField::DisplayName,
        }],
        properties_columns: Vec::new(),
    };
    book.store
        .apply(&WriteBatch {
            author: office(),
            at,
            writes: vec![
                Write::PutImport {
                    batch: Box::new(batch.clone()),
                    keys: vec![key(0, "f0"), key(1, "f1")],
                    drop_keys: Vec::new(),
                },
                Write::PutImportMapping(mapping.clone()),
            ],
            changes: Vec::new(),
        })
        .unwrap();
    assert_eq!(
        book.store.import_batch(&batch.id).unwrap().as_ref(),
        Some(&batch)
    );
    assert_eq!(book.store.import_batch("no such import").unwrap(), None);
    let mut keys = book.store.import_keys("sheet").unwrap();
    keys.sort_by(|a, b| a.key.cmp(&b.key));
    assert_eq!(keys, [key(0, "f0"), key(1, "f1")]);
    assert!(book.store.import_keys("other").unwrap().is_empty());
    assert_eq!(book.store.import_mappings().unwrap(), [mapping]);

    batch.undone_at = Some(Utc::now());
    book.store
        .apply(&WriteBatch {
            author: office(),
            at,
            writes: vec![Write::PutImport {
                batch: Box::new(batch.clone()),
                keys: vec![key(1, "undone")],
                drop_keys: vec![made[0].id],
            }],
            changes: Vec::new(),
        })
        .unwrap();
    let stored = book.store.import_batch(&batch.id).unwrap().unwrap();
    assert!(stored.undone_at.is_some());
    assert_eq!(book.store.import_keys("sheet").unwrap(), [key(1, "undone")]);
}

/// The change log as a user reads it, without the sequence numbers (a
/// server numbers its rows its own way).
fn log(book: &Book) -> Vec<String> {
    book.change_log(&ChangeLogQuery {
        limit: Some(10_000),
        ..ChangeLogQuery::default()
    })
    .unwrap()
    .into_iter()
    .map(|change| {
        format!(
            "{} {:?} {:?} {} {:?} {:?} {:?}",
            change.at,
            change.author,
            change.entity,
            change.entity_id,
            change.customer_id,
            change.action,
            change.changes
        )
    })
    .collect()
}

/// What a book file must carry over, in one comparable value.
#[derive(Debug, PartialEq)]
struct Contents {
    customers: Vec<crate::Customer>,
    log: Vec<String>,
    batch: Option<ImportBatch>,
    keys: Vec<ImportKey>,
    mappings: Vec<ImportMapping>,
}

fn contents(book: &Book) -> Contents {
    let mut keys = book.store.import_keys("sheet").unwrap();
    keys.sort_by(|a, b| a.key.cmp(&b.key));
    Contents {
        customers: everyone(book),
        log: log(book),
        batch: book.store.import_batch(BATCH).unwrap(),
        keys,
        mappings: book.store.import_mappings().unwrap(),
    }
}

const BATCH: &str = "01936f00-0000-7000-8000-000000000002";

/// Records fed to `Store::import_records` are written as they arrive, in
/// one transaction: when the feed fails after handing some over, none of
/// them is stored, and the store takes a whole feed afterwards.
pub fn an_import_whose_feed_fails_part_way_stores_nothing(book: &Book) {
    let source = Book::open_in_memory().unwrap();
    source
        .create_customers(
            vec![
                NewCustomer::new(CustomerKind::Residential, "Ann Lee"),
                NewCustomer::new(CustomerKind::Commercial, "Bo Li Pools"),
            ],
            &office(),
        )
        .unwrap();
    let log_before = book.change_log(&ChangeLogQuery::default()).unwrap().len();
    let mut handed = 0;
    let error = book
        .store
        .import_records(&mut |write| {
            source.store.export(&mut |record| {
                if matches!(record, BookRecord::Customer { .. } | BookRecord::Change(_)) {
                    handed += 1;
                    write(record)?;
                }
                Ok(())
            })?;
            Err(Error::invalid("input", "line 9: stopped on purpose"))
        })
        .unwrap_err();
    assert!(error.to_string().contains("stopped on purpose"), "{error}");
    assert_eq!(handed, 4, "two customers and their two change-log rows");
    assert!(everyone(book).is_empty(), "no customer stored");
    assert_eq!(
        book.change_log(&ChangeLogQuery::default()).unwrap().len(),
        log_before,
        "no change-log row stored"
    );
    book.store
        .import_records(&mut |write| {
            source.store.export(&mut |record| match record {
                BookRecord::Customer { .. } | BookRecord::Change(_) => write(record),
                _ => Ok(()),
            })
        })
        .unwrap();
    let names: Vec<String> = everyone(book).into_iter().map(|c| c.display_name).collect();
    assert_eq!(names, ["Ann Lee", "Bo Li Pools"]);
    assert_eq!(
        book.change_log(&ChangeLogQuery::default()).unwrap().len(),
        log_before + 2
    );
}

/// The store's book file (its `export`, one record a line) imports into a
/// new SQLite book as an equal book — customers (archived ones too), the
/// change log, an import's batch, row keys and mapping — and that copy
/// writes the same file again; a book that holds records refuses a book
/// file. (Importing into the store itself is `copy_book`'s `Store::import_records`,
/// and a book file into PostgreSQL is in tests/moving.rs: a suite book is
/// unlocked, so not a target.)
pub fn the_book_file_carries_every_record(book: &Book) {
    let made = book
        .create_customers(
            vec![
                NewCustomer::new(CustomerKind::Residential, "Ann Lee"),
                NewCustomer::new(CustomerKind::Hoa, "Sunset HOA"),
            ],
            &office(),
        )
        .unwrap();
    book.archive_customer(made[1].id, made[1].version, &office())
        .unwrap();
    let at = crate::book::now();
    book.store
        .apply(&WriteBatch {
            author: office(),
            at,
            writes: vec![
                Write::PutImport {
                    batch: Box::new(ImportBatch {
                        id: BATCH.into(),
                        mapping: "sheet".into(),
                        file: "customers.csv".into(),
                        at,
                        author: office(),
                        created: vec![made[0].id],
                        updated: Vec::new(),
                        undone_at: None,
                    }),
                    keys: vec![ImportKey {
                        mapping: "sheet".into(),
                        key: "K0".into(),
                        customer_id: made[0].id,
                        version: made[0].version,
                        fingerprint: "f0".into(),
                    }],
                    drop_keys: Vec::new(),
                },
                Write::PutImportMapping(ImportMapping {
                    name: "sheet".into(),
                    columns: Vec::new(),
                    properties_columns: Vec::new(),
                }),
            ],
            changes: Vec::new(),
        })
        .unwrap();
    let dir = std::env::temp_dir();
    let name = |what: &str| {
        dir.join(format!(
            "poolbook-{what}-{}.jsonl",
            crate::CustomerId::new()
        ))
        .to_string_lossy()
        .into_owned()
    };
    let (first, second) = (name("store"), name("copy"));
    let header = book.export_book(&first).unwrap();
    let count = |kind: &str| {
        header
            .counts
            .iter()
            .find(|c| c.table == kind)
            .map(|c| c.rows)
    };
    assert_eq!(count("customers"), Some(2));
    assert_eq!(count("import_batches"), Some(1));
    assert_eq!(count("import_keys"), Some(1));
    assert_eq!(count("import_mappings"), Some(1));
    assert_eq!(count("book_keys"), Some(1));

    let copy = Book::open_in_memory().unwrap();
    copy.import_book(&first).unwrap();
    let want = contents(book);
    assert!(want.batch.is_some() && want.keys.len() == 1 && want.mappings.len() == 1);
    assert_eq!(contents(&copy), want, "the store's book file -> SQLite");
    copy.export_book(&second).unwrap();
    let records = |path: &str| -> Vec<String> {
        let text = std::fs::read_to_string(path).unwrap();
        text.lines().skip(1).map(str::to_owned).collect()
    };
    assert_eq!(
        records(&second),
        records(&first),
        "the copy writes the same records"
    );

    let error = book.import_book(&first).unwrap_err();
    let _ = std::fs::remove_file(&first);
    let _ = std::fs::remove_file(&second);
    assert!(
        matches!(&error, crate::Error::Invalid { field, .. } if field == "book"),
        "{error}"
    );
    assert!(error.to_string().contains("not empty"), "{error}");
}
