//! Moving a company (issue 22): the demo company, with archived parts, an
//! archived entry, an archived customer, linked visitors and audited
//! reveals, copied from a SQLite file into PostgreSQL and from there into a
//! new SQLite file through the `Store` traits (`poolbook::copy_book`, the
//! move-book example). Each copy is the same book: customers (archived
//! parts included), timelines with their changes, touchpoints with their
//! authors and links (and the entries that wrote them, archived with an
//! archived entry), the outbox's records, the change log, the audit,
//! settings, technicians, the items issued invoices bill (so a moved book
//! never bills them again, and bills again what a void released),
//! the office's duplicate verdicts and its merges (issue 19: a merge made
//! before the move is undone after it, in each copy, giving both records
//! back); and its gate codes, still sealed, open with the same key. A spreadsheet
//! import moves with its batch and row keys: in each copy a re-import of
//! the same file creates nothing and the import can be undone; the book
//! file (the same records, one a line) moves a book the same way, and
//! Arrow batches read the same from PostgreSQL (issue 20).
#![cfg(feature = "postgres")]

use chrono::{NaiveDate, TimeZone};
use poolbook::testing::postgres::TestDatabase;
use poolbook::testing::{revealed, unlocked};
use poolbook::{
    Author, BillingPeriod, Book, ChangeLogQuery, Contact, ContactRole, Customer, CustomerId,
    CustomerPatch, CustomerQuery, DemoOptions, DraftOptions, DuplicateVerdict, Error, MergePicks,
    SecretField, SecretRevealQuery, SqlRows, SqlValue, TimelineQuery, TouchpointQuery, copy_book,
};

fn office() -> Author {
    Author::office("dana")
}

fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

/// The demo's last November, billed on the first of December.
fn november() -> BillingPeriod {
    BillingPeriod::new(day(11, 1), day(11, 30))
}

/// What drafting November again would bill: each customer with its lines'
/// billing keys.
fn billed_again(book: &Book) -> Vec<(CustomerId, Vec<Option<String>>)> {
    let options = DraftOptions {
        issued_on: Some(day(12, 1)),
        ..DraftOptions::default()
    };
    book.draft_invoices(november(), options)
        .unwrap()
        .into_iter()
        .map(|draft| {
            let keys = draft.invoice.lines.into_iter().map(|line| line.billing_key);
            (draft.invoice.customer_id, keys.collect())
        })
        .collect()
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
        "SELECT id, customer_id, visitor_id, linked, author_kind, author_id, at, entry_id, \
         archived_at, action, stage FROM touchpoints ORDER BY id",
        "SELECT id, archived_at FROM contacts UNION ALL SELECT id, archived_at FROM locations \
         UNION ALL SELECT id, archived_at FROM bodies_of_water ORDER BY 1",
        "SELECT id, author_kind, author_id, archived_at FROM history ORDER BY id",
        "SELECT visitor_id, customer_id, linked_at FROM visitor_links ORDER BY visitor_id",
        "SELECT key, value FROM settings ORDER BY key",
        "SELECT key, rule, customer_id, contact_id, channel, address, template, variant, \
         message_id, status, sent_at, delivered_at, failed_at, failure, replied_at, reply_kind \
         FROM outbox ORDER BY key",
        "SELECT key, invoice_id, customer_id FROM billed_items ORDER BY key",
        "SELECT a, b, verdict, decided_at, author_kind, author_id FROM duplicate_decisions \
         ORDER BY a, b",
        "SELECT absorbed_id, survivor_id, merged_at, unmerged_at FROM customer_merges \
         ORDER BY absorbed_id",
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

/// A customer record without what every write changes (its version and
/// when it was last updated), to compare a record given back by an
/// unmerge with the one before the merge.
fn settled(customer: &Customer) -> Customer {
    Customer {
        version: 0,
        updated_at: customer.created_at,
        ..customer.clone()
    }
}

/// The ids of a customer's history entries, archived ones too, sorted.
fn entry_ids(book: &Book, customer: poolbook::CustomerId) -> Vec<String> {
    let rows = book
        .sql(
            &format!("SELECT id FROM history WHERE customer_id = '{customer}'"),
            Vec::new(),
        )
        .unwrap();
    let mut ids: Vec<String> = rows.rows.iter().map(|row| format!("{row:?}")).collect();
    ids.sort();
    ids
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
    // An entry whose operation wrote a touchpoint (issue 17): archiving it
    // archives the touchpoint, which a move must carry archived.
    let some_entry = original
        .touchpoints(&TouchpointQuery {
            customer_id: Some(first.id),
            ..TouchpointQuery::default()
        })
        .unwrap()
        .into_iter()
        .find_map(|touchpoint| touchpoint.entry_id)
        .expect("the demo's operations are touchpoints linked to their entries");
    original.archive_entry(some_entry, &office()).unwrap();
    let live_journey = |book: &Book| {
        book.touchpoints(&TouchpointQuery {
            customer_id: Some(first.id),
            ..TouchpointQuery::default()
        })
        .unwrap()
    };
    let journey_before = live_journey(&original);
    assert!(
        journey_before
            .iter()
            .all(|touchpoint| touchpoint.entry_id != Some(some_entry)),
        "the archived entry's touchpoints leave the journey"
    );
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
    // The outbox (issue 21): a due message sent and delivered, another
    // failed, as the host reported them.
    let options = DemoOptions::default();
    let due = (0..7)
        .map(|days| {
            let day = options.through + chrono::Duration::days(days);
            let at = chrono::Utc.from_utc_datetime(&day.and_hms_opt(13, 0, 0).unwrap());
            original.due_messages(at, 42 * 60).unwrap().due
        })
        .find(|due| due.len() >= 2)
        .expect("the demo company has messages due within a week");
    let sent = original
        .mark_sent(&due[0], due[0].send_at, &office())
        .unwrap();
    original
        .mark_delivered(
            &sent.key,
            due[0].send_at + chrono::Duration::minutes(1),
            &office(),
        )
        .unwrap();
    let failed = original
        .mark_sent(&due[1], due[1].send_at, &office())
        .unwrap();
    original
        .mark_failed(
            &failed.key,
            "number not in service",
            due[1].send_at + chrono::Duration::minutes(1),
            &office(),
        )
        .unwrap();
    // November billed from the record, one invoice voided: its items may
    // be billed again, no other.
    let drafts = original
        .draft_invoices(
            november(),
            DraftOptions {
                issued_on: Some(day(12, 1)),
                ..DraftOptions::default()
            },
        )
        .unwrap();
    let issued = original.issue_invoices(drafts, &office()).unwrap();
    assert!(issued.len() > 5, "{} invoices issued", issued.len());
    original
        .void_invoice(issued[0].id, day(12, 2), "billed in error", &office())
        .unwrap();
    let voided_only = billed_again(&original);
    assert_eq!(
        voided_only
            .iter()
            .map(|(customer, _)| *customer)
            .collect::<Vec<_>>(),
        vec![issued[0].customer_id],
        "only the voided invoice's items are billed again"
    );
    // A merge (to be undone after the move) and a rejected pair.
    // Two customers whose service days agree: a merge whose plans would
    // fall on a day other than the survivor's preferred one is refused
    // (one service day, ADR 0011).
    let kept = demo.customers[1];
    let service_days = |id| {
        let customer = original.customer(id).unwrap();
        let mut days: Vec<_> = customer
            .locations
            .iter()
            .filter_map(|l| l.service_plan.as_ref()?.preferred_weekday)
            .chain(customer.preferences.preferred_service_day)
            .collect();
        days.sort_by_key(|day| format!("{day:?}"));
        days.dedup();
        days
    };
    let gone = demo.customers[2..]
        .iter()
        .copied()
        .filter(|id| *id != demo.customers[3] && *id != demo.customers[4])
        .find(|id| {
            let mut both = service_days(kept);
            both.extend(service_days(*id));
            both.sort_by_key(|day| format!("{day:?}"));
            both.dedup();
            both.len() <= 1
        })
        .expect("a demo customer serviced on the survivor's day");
    let (kept_before, gone_before) = (
        original.customer(kept).unwrap(),
        original.customer(gone).unwrap(),
    );
    let gone_entries = entry_ids(&original, gone);
    assert!(!gone_entries.is_empty(), "history to move");
    original
        .merge_customers(kept, gone, MergePicks::default(), &office())
        .unwrap();
    original
        .decide_duplicate(
            demo.customers[3],
            demo.customers[4],
            DuplicateVerdict::NotDuplicate,
            &office(),
        )
        .unwrap();
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
    // What a redraft bills now, after the merge: still only the voided
    // invoice's items (the merge brings nothing under another rate basis
    // to be billed again), and the copies must agree.
    let again = billed_again(&original);
    let keys = |drafts: &[(CustomerId, Vec<Option<String>>)]| {
        let mut keys: Vec<Option<String>> =
            drafts.iter().flat_map(|(_, keys)| keys.clone()).collect();
        keys.sort();
        keys
    };
    assert_eq!(keys(&again), keys(&voided_only));
    let before = snapshot(&original);
    assert_eq!(before.rows[5].rows.len(), 2, "outbox rows to move");
    let billed = before.rows[6].rows.len();
    assert!(billed > issued.len(), "{billed} billed items");
    assert_eq!(before.rows[7].rows.len(), 2, "two decided pairs");
    assert_eq!(before.rows[8].rows.len(), 1, "one merge");
    assert!(before.rows[0].rows.len() > 10, "touchpoints to move");
    let entry_text = SqlValue::Text {
        value: some_entry.to_string(),
    };
    let archived_rows = |rows: &SqlRows| {
        rows.rows
            .iter()
            .filter(|row| row[7] == entry_text && row[8] != SqlValue::Null)
            .count()
    };
    assert!(
        archived_rows(&before.rows[0]) >= 1,
        "an archived touchpoint"
    );
    assert!(
        before.rows[0]
            .rows
            .iter()
            .filter(|row| row[7] != SqlValue::Null)
            .count()
            > 10,
        "touchpoints linked to their entries"
    );
    assert!(before.changes.len() > 100);

    let database = TestDatabase::create();
    let server = Book::open(database.url()).unwrap();
    let copied = copy_book(&original, &server).unwrap();
    assert_eq!(copied.customers, 16 + 3, "the demo's and the import's");
    assert_eq!(copied.changes, before.changes.len() as u64);
    assert_eq!(copied.reveals, 1);
    assert_eq!(copied.billed_items, billed as u64);
    assert_eq!(snapshot(&server), before, "SQLite -> PostgreSQL");
    assert_eq!(
        billed_again(&server),
        again,
        "SQLite -> PostgreSQL bills nothing twice"
    );
    assert!(server.check_integrity().unwrap().ok);

    let back = Book::open(dir.path().join("back.sqlite")).unwrap();
    assert_eq!(
        copy_book(&server, &back).unwrap().billed_items,
        billed as u64
    );
    assert_eq!(snapshot(&back), before, "PostgreSQL -> SQLite");
    assert_eq!(
        billed_again(&back),
        again,
        "PostgreSQL -> SQLite bills nothing twice"
    );
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

    // Still sealed, opened by the same key, in each copy; the journey with
    // the archived entry's touchpoints still left out.
    for copy in [&server, &back] {
        assert_eq!(live_journey(copy), journey_before);
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
    // The merge made before the move is undone in each copy (and in the
    // original): both records come back, with their history.
    for copy in [&original, &server, &back] {
        assert_eq!(copy.resolve_customer(gone).unwrap().id, kept);
        assert!(entry_ids(copy, gone).is_empty());
        let undone = copy.unmerge_customer(gone, &office()).unwrap();
        assert!(undone.kept_edits.is_empty(), "{:?}", undone.kept_edits);
        assert_eq!(
            settled(&copy.customer(kept).unwrap()),
            settled(&kept_before)
        );
        assert_eq!(
            settled(&copy.customer(gone).unwrap()),
            settled(&gone_before)
        );
        assert_eq!(entry_ids(copy, gone), gone_entries);
        assert_eq!(copy.resolve_customer(gone).unwrap().id, gone);
    }
    // Every copy reads every record back after the unmerge.
    for copy in [&original, &server, &back] {
        let report = copy.check_integrity().unwrap();
        assert!(report.ok, "{report:?}");
    }

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
