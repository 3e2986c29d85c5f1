//! A book recorded before operations were touchpoints (schema step 5, with
//! nothing of the later steps, and its touchpoints as callers recorded
//! them) is back-filled when it is
//! first opened: every entry, creation and status change gets its
//! touchpoint, a touchpoint that already described an operation is linked
//! to the entry instead of doubled, and the file ends with the fresh schema.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use poolbook::{
    Actor, Author, Book, CustomerKind, CustomerPatch, Direction, Invoice, InvoiceLine,
    JourneyChannel, LifecycleStatus, NewCustomer, Payment, PaymentMethod, SCHEMA_VERSION,
    Touchpoint, TouchpointQuery,
};
use rusqlite::Connection;
use rust_decimal::Decimal;

/// The schema as `sqlite3 .schema` would show it, in a fixed order.
fn schema_of(conn: &Connection) -> Vec<(String, String, Option<String>)> {
    conn.prepare(
        "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )
    .unwrap()
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn an_old_book_is_back_filled_once_without_doubling_its_touchpoints() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    let office = Author::office("dana");
    let (customer, payment, invoice) = {
        let book = Book::open(&path).unwrap();
        let mut new = NewCustomer::new(CustomerKind::Residential, "Old Timer");
        new.status = LifecycleStatus::Lead;
        let customer = book.create_customer(new, &office).unwrap();
        let customer = book
            .update_customer(
                customer.id,
                customer.version,
                CustomerPatch {
                    status: Some(LifecycleStatus::Active),
                    ..CustomerPatch::default()
                },
                &office,
            )
            .unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let invoice = book
            .add_invoice(
                Invoice::new(
                    customer.id,
                    "1001",
                    day,
                    day + Duration::days(15),
                    vec![InvoiceLine::new(
                        "service",
                        Decimal::ONE,
                        Decimal::new(18500, 2),
                    )],
                ),
                &office,
            )
            .unwrap();
        // What the old demo wrote beside the payment (recorded first: now a
        // payment's own would match it): its own payment_made.
        let demo = Touchpoint::by_customer(
            customer.id,
            Utc.with_ymd_and_hms(2026, 3, 2, 15, 0, 0).unwrap(),
            JourneyChannel::Portal,
            Direction::Inbound,
            Actor::Customer,
            "payment_made",
        );
        book.record_touchpoints(vec![demo], &office).unwrap();
        let payment = book
            .record_payment(
                Payment::new(
                    customer.id,
                    day,
                    Decimal::new(18500, 2),
                    PaymentMethod::Card,
                )
                .applied_to(invoice.id, Decimal::new(18500, 2)),
                &office,
            )
            .unwrap();
        book.close().unwrap();
        (customer, payment, invoice)
    };
    // Turn the file back into a step-5 book: no operation touchpoints, no
    // entry links, the old journey index, no outbox (step 7).
    {
        let raw = Connection::open(&path).unwrap();
        raw.execute_batch(
            "DELETE FROM touchpoints WHERE source_system = 'poolbook';
             DROP INDEX touchpoints_by_entry; DROP INDEX touchpoints_by_action;
             DROP INDEX touchpoints_by_person;
             ALTER TABLE touchpoints DROP COLUMN entry_id;
             ALTER TABLE touchpoints DROP COLUMN archived_at;
             CREATE INDEX touchpoints_by_person ON touchpoints (
                 coalesce(customer_id, 'v:' || visitor_id), at, id, action, channel, stage,
                 direction, actor, visitor_id, campaign);
             DELETE FROM settings WHERE key = 'operations_backfill';
             DROP TABLE outbox;
             DROP INDEX history_by_kind_at; DROP TABLE billed_items;
             ALTER TABLE customers DROP COLUMN billing_skips;
             ALTER TABLE locations DROP COLUMN plan_bills_chemicals;
             DROP TABLE customer_merges; DROP TABLE duplicate_decisions;
             DROP TABLE import_batches; DROP TABLE import_keys; DROP TABLE import_mappings;
             DROP INDEX touchpoints_by_time; DROP INDEX history_by_location_kind;
             PRAGMA user_version = 5;",
        )
        .unwrap();
        let left: i64 = raw
            .query_row("SELECT count(*) FROM touchpoints", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 1, "only the demo's payment_made");
    }

    let journey = |book: &Book| {
        let mut found: Vec<(String, Option<poolbook::EntryId>)> = book
            .touchpoints(&TouchpointQuery {
                customer_id: Some(customer.id),
                ..TouchpointQuery::default()
            })
            .unwrap()
            .into_iter()
            .map(|t| (t.action, t.entry_id))
            .collect();
        found.sort();
        found
    };
    let expected = vec![
        ("converted".to_owned(), None),
        ("customer_created".to_owned(), None),
        ("invoice_sent".to_owned(), Some(invoice.id)),
        ("payment_made".to_owned(), Some(payment.id)),
    ];
    let book = Book::open(&path).unwrap();
    assert_eq!(
        journey(&book),
        expected,
        "back-filled; the demo's payment linked"
    );
    book.close().unwrap();
    // Opening again adds nothing.
    let book = Book::open(&path).unwrap();
    assert_eq!(journey(&book), expected);
    let log = book
        .change_log(&poolbook::ChangeLogQuery {
            entity: Some(poolbook::EntityKind::Setting),
            entity_id: Some("operations_backfill".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(log.len(), 1, "one back-fill, logged by poolbook itself");
    assert_eq!(log[0].author, Author::system());
    assert_eq!(log[0].changes[0].after, serde_json::json!(4));
    book.close().unwrap();

    let fresh = dir.path().join("fresh.sqlite");
    Book::open(&fresh).unwrap().close().unwrap();
    let (old, fresh) = (
        Connection::open(&path).unwrap(),
        Connection::open(&fresh).unwrap(),
    );
    assert_eq!(schema_of(&old), schema_of(&fresh));
    let version: i64 = old
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
}
