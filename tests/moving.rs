//! Moving a company (issue 22): the demo company, with archived parts, an
//! archived entry, an archived customer, linked visitors and audited
//! reveals, copied from a SQLite file into PostgreSQL and from there into a
//! new SQLite file through the `Store` traits (`poolbook::copy_book`, the
//! move-book example). Each copy is the same book: customers (archived
//! parts included), timelines with their changes, touchpoints with their
//! authors and links, the change log, the audit, settings, technicians;
//! and its gate codes, still sealed, open with the same key. A spreadsheet
//! import moves with its batch and row keys: in each copy a re-import of
//! the same file creates nothing and the import can be undone; the book
//! file (the same records, one a line) moves a book the same way, and
//! Arrow batches read the same from PostgreSQL (issue 20).
#![cfg(feature = "postgres")]

use poolbook::testing::postgres::TestDatabase;
use poolbook::testing::{revealed, unlocked};
use poolbook::{
    Author, Book, ChangeLogQuery, Contact, ContactRole, CustomerPatch, CustomerQuery, DemoOptions,
    Error, SecretField, SecretRevealQuery, SqlRows, TimelineQuery, copy_book,
};

fn office() -> Author {
    Author::office("dana")
}

/// Everything a user can read back, in one comparable value per part.
#[derive(Debug, PartialEq)]
struct Snapshot {
    customers: Vec<poolbook::Customer>,
    timelines: Vec<Vec<poolbook::TimelineItem>>,
    rows: Vec<SqlRows>,
    changes: Vec<String>,
    reveals: Vec<poolbook::SecretReveal>,
    technicians: Vec<poolbook::Technician>,
}

fn snapshot(book: &Book) -> Snapshot {
    let mut customers = Vec::new();
    let mut query = CustomerQuery {
        limit: Some(7),
        archived: poolbook::ArchivedFilter::Include,
        ..CustomerQuery::default()
    };
    loop {
        let page = book.list_customers(&query).unwrap();
        customers.extend(page.customers);
        match page.next_after {
            Some(after) => query.after = Some(after),
            None => break,
        }
    }
    let timelines = customers
        .iter()
        .map(|customer| {
            let mut items = Vec::new();
            let mut query = TimelineQuery {
                customer_id: Some(customer.id),
                include_changes: true,
                limit: Some(50),
                ..TimelineQuery::default()
            };
            loop {
                let page = book.timeline(&query).unwrap();
                items.extend(page.items);
                match page.next_cursor {
                    Some(cursor) => query.cursor = Some(cursor),
                    None => break,
                }
            }
            items
        })
        .collect();
    let rows = [
        "SELECT id, customer_id, visitor_id, linked, author_kind, author_id, at \
         FROM touchpoints ORDER BY id",
        "SELECT id, archived_at FROM contacts UNION ALL SELECT id, archived_at FROM locations \
         UNION ALL SELECT id, archived_at FROM bodies_of_water ORDER BY 1",
        "SELECT id, author_kind, author_id, archived_at FROM history ORDER BY id",
        "SELECT visitor_id, customer_id, linked_at FROM visitor_links ORDER BY visitor_id",
        "SELECT key, value FROM settings ORDER BY key",
    ]
    .iter()
    .map(|query| book.sql(query, Vec::new()).unwrap())
    .collect();
    let changes = book
        .change_log(&ChangeLogQuery {
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
        .collect();
    let reveals = book
        .secret_reveals(&SecretRevealQuery {
            limit: Some(poolbook::MAX_REVEAL_PAGE),
            ..SecretRevealQuery::default()
        })
        .unwrap();
    Snapshot {
        customers,
        timelines,
        rows,
        changes,
        reveals,
        technicians: book.technicians(true).unwrap(),
    }
}

#[test]
fn a_company_moves_to_postgresql_and_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let original = Book::open(dir.path().join("company.sqlite")).unwrap();
    let demo = poolbook::populate_demo(
        unlocked(&original),
        &DemoOptions {
            customers: 16,
            weeks: 6,
            ..DemoOptions::default()
        },
    )
    .unwrap();
    // An archived contact, an archived entry, an archived customer, reveals.
    let first = original.customer(demo.customers[0]).unwrap();
    let mut contacts = first.contacts.clone();
    contacts.push(Contact::new("Leaving Tenant", ContactRole::Tenant));
    let with_tenant = original
        .update_customer(
            first.id,
            first.version,
            CustomerPatch {
                contacts: Some(contacts),
                ..CustomerPatch::default()
            },
            &office(),
        )
        .unwrap();
    original
        .update_customer(
            first.id,
            with_tenant.version,
            CustomerPatch {
                contacts: Some(first.contacts.clone()),
                ..CustomerPatch::default()
            },
            &office(),
        )
        .unwrap();
    let some_entry = original
        .timeline(&TimelineQuery {
            customer_id: Some(first.id),
            limit: Some(1),
            ..TimelineQuery::default()
        })
        .unwrap()
        .items
        .into_iter()
        .find_map(|item| match item {
            poolbook::TimelineItem::Entry { entry, .. } => Some(entry.id()),
            _ => None,
        })
        .expect("the demo gives every customer history");
    original.archive_entry(some_entry, &office()).unwrap();
    let last = original.customer(demo.customers[15]).unwrap();
    original
        .archive_customer(last.id, last.version, &office())
        .unwrap();
    let (gated, gated_location) = demo
        .customers
        .iter()
        .find_map(|&id| {
            let customer = original.customer(id).unwrap();
            let location = customer
                .locations
                .iter()
                .find(|location| location.access.gate_code.is_some())?
                .id;
            Some((id, location))
        })
        .expect("a demo customer with a gate code");
    let gate = revealed(&original, gated_location, SecretField::GateCode);
    assert!(gate.is_some());
    let csv = poolbook::ImportSource::file(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples/customers.csv")
            .to_string_lossy(),
    );
    let mut mapping = original.import_presets().remove(0);
    mapping.columns.retain(|c| c.column != "Technician");
    let import = original.commit_import(&csv, &mapping, &office()).unwrap();
    assert_eq!(import.plan.creates, 3);
    original
        .save_import_mapping(mapping.clone(), &office())
        .unwrap();
    let before = snapshot(&original);
    assert!(before.rows[0].rows.len() > 10, "touchpoints to move");
    assert!(before.changes.len() > 100);

    let database = TestDatabase::create();
    let server = Book::open(database.url()).unwrap();
    let copied = copy_book(&original, &server).unwrap();
    assert_eq!(copied.customers, 16 + 3, "the demo's and the import's");
    assert_eq!(copied.changes, before.changes.len() as u64);
    assert_eq!(copied.reveals, 1);
    assert_eq!(snapshot(&server), before, "SQLite -> PostgreSQL");
    assert!(server.check_integrity().unwrap().ok);

    let back = Book::open(dir.path().join("back.sqlite")).unwrap();
    copy_book(&server, &back).unwrap();
    assert_eq!(snapshot(&back), before, "PostgreSQL -> SQLite");
    assert!(back.check_integrity().unwrap().ok);

    // The book file carries the same records (issue 20): the original's
    // file imports into a new PostgreSQL database as the same book, and
    // that database's file into a new SQLite file; the codes still open.
    let file = dir.path().join("company.jsonl");
    original.export_book(file.to_str().unwrap()).unwrap();
    let filed_database = TestDatabase::create();
    let filed = Book::open(filed_database.url()).unwrap();
    filed.import_book(file.to_str().unwrap()).unwrap();
    assert_eq!(snapshot(&filed), before, "book file -> PostgreSQL");
    let from_server = dir.path().join("from-server.jsonl");
    filed.export_book(from_server.to_str().unwrap()).unwrap();
    let refiled = Book::open(dir.path().join("refiled.sqlite")).unwrap();
    refiled.import_book(from_server.to_str().unwrap()).unwrap();
    assert_eq!(
        snapshot(&refiled),
        before,
        "PostgreSQL's book file -> SQLite"
    );
    assert_eq!(
        revealed(unlocked(&filed), gated_location, SecretField::GateCode),
        gate
    );

    // Still sealed, opened by the same key, in each copy.
    for copy in [&server, &back] {
        let customer = copy.customer(gated).unwrap();
        let location = customer
            .locations
            .iter()
            .find(|location| location.id == gated_location)
            .unwrap();
        assert!(location.access.gate_code.as_ref().unwrap().is_sealed());
        assert_eq!(
            revealed(unlocked(copy), location.id, SecretField::GateCode),
            gate
        );
    }
    // Arrow batches and Parquet (a read path over the `Store`) read the
    // same from PostgreSQL; change-log rows but for the numbers a server
    // gives them.
    for table in poolbook::ArrowTable::ALL {
        let read = |book: &Book| -> Vec<arrow_array::RecordBatch> {
            book.to_arrow(*table)
                .map(|batch| {
                    let batch = batch.unwrap();
                    let keep: Vec<usize> = (0..batch.num_columns())
                        .filter(|&i| batch.schema().field(i).name() != "seq")
                        .collect();
                    batch.project(&keep).unwrap()
                })
                .collect()
        };
        let from_server = read(&server);
        assert!(
            from_server.iter().map(|b| b.num_rows()).sum::<usize>() > 0,
            "{table}"
        );
        assert_eq!(from_server, read(&original), "{table}");
    }
    let parquet = dir.path().join("visits.parquet");
    let written = server
        .write_parquet(poolbook::ArrowTable::Visits, parquet.to_str().unwrap())
        .unwrap();
    assert!(written > 0 && parquet.metadata().unwrap().len() > 0);

    // The import travelled: the same file again creates nothing, the saved
    // mapping is there, and the import undoes — on PostgreSQL and back.
    for copy in [&server, &back] {
        assert_eq!(copy.import_mappings().unwrap(), [mapping.clone()]);
        let again = copy.plan_import(&csv, &mapping).unwrap();
        assert_eq!((again.creates, again.updates, again.errors), (0, 0, 0));
        let undone = copy.undo_import(&import.import_id, &office()).unwrap();
        assert_eq!(undone.archived.len(), 3, "{undone:?}");
        assert!(undone.kept.is_empty() && undone.restored.is_empty());
        for id in &undone.archived {
            assert!(copy.customer(*id).unwrap().archived_at.is_some());
        }
        assert!(copy.undo_import(&import.import_id, &office()).is_err());
    }
    // A commit on PostgreSQL itself: keyed, so the next one creates nothing.
    let redone = server.commit_import(&csv, &mapping, &office()).unwrap();
    assert_eq!(redone.plan.creates, 3);
    let again = server.commit_import(&csv, &mapping, &office()).unwrap();
    assert_eq!((again.plan.creates, again.plan.updates), (0, 0));
    assert_eq!(
        server
            .undo_import(&redone.import_id, &office())
            .unwrap()
            .archived
            .len(),
        3
    );

    // A book that already holds records is not a target.
    let error = copy_book(&original, &server).unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "to"),
        "{error}"
    );
}
