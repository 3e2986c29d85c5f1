//! Conformance cases for data in and out (issue 20): what a spreadsheet
//! import keeps in the store (its batch, its row keys, saved mappings),
//! and the book file: what a store dumps imports into a new SQLite book as
//! an equal book, and a store that is not empty refuses a restore.

use chrono::Utc;

use crate::store::{Write, WriteBatch};
use crate::{
    ArchivedFilter, Author, Book, ChangeLogQuery, ColumnMapping, CustomerKind, CustomerQuery,
    ImportBatch, ImportField, ImportKey, ImportMapping, ImportedUpdate, NewCustomer,
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

/// The book file the store writes imports into a new SQLite book with
/// every customer, version and change-log row equal; the store refuses to
/// restore into itself once it holds records.
pub fn the_book_file_carries_every_row(book: &Book) {
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
    let path = std::env::temp_dir().join(format!("poolbook-{}.jsonl", crate::CustomerId::new()));
    let file = path.to_string_lossy().into_owned();
    let header = book.export_book(&file).unwrap();
    assert!(
        header
            .counts
            .iter()
            .any(|c| c.table == "customers" && c.rows == 2)
    );
    let copy = Book::open_in_memory().unwrap();
    copy.import_book(&file).unwrap();
    assert_eq!(everyone(&copy), everyone(book));
    let log = ChangeLogQuery {
        limit: Some(10_000),
        ..ChangeLogQuery::default()
    };
    assert_eq!(
        copy.change_log(&log).unwrap(),
        book.change_log(&log).unwrap()
    );
    let error = book.import_book(&file).unwrap_err();
    let _ = std::fs::remove_file(&path);
    assert!(error.to_string().contains("not empty"), "{error}");
}
