//! Conformance cases for batch writes: many customers or history entries in
//! one call land whole or not at all, name the item at fault by its index,
//! and leave the same records and change-log rows as one call per item.

use chrono::{TimeZone, Utc};
use rust_decimal::Decimal;

use crate::{
    Address, Author, BodyOfWater, Book, ChangeLogQuery, ChangeRecord, Contact, ContactRole,
    CustomerKind, CustomerQuery, Entry, Error, Feedback, Invoice, InvoiceLine, NewCustomer,
    Payment, PaymentMethod, Sanitizer, ServiceLocation, TimelineItem, TimelineQuery, Visit,
    WaterKind,
};

fn office() -> Author {
    Author::office("dana")
}

fn household(name: &str, phone: &str) -> NewCustomer {
    NewCustomer::new(CustomerKind::Residential, name)
        .with_contact(Contact::new(name, ContactRole::Owner).with_phone(phone, true))
        .with_location(
            ServiceLocation::new(Address::new("12 Palm Way", "Tampa", "FL", "33602", "US"))
                .with_body_of_water(BodyOfWater::new("Pool", WaterKind::Pool, Sanitizer::Salt)),
        )
}

/// What a change-log row says, without ids, times or sequence numbers.
fn shape(row: &ChangeRecord) -> (String, String, Vec<String>) {
    (
        row.entity.to_string(),
        row.action.to_string(),
        row.changes.iter().map(|c| c.field.clone()).collect(),
    )
}

/// The change log's rows about records (not the book's data key, made when
/// the suite unlocked the book).
fn log(book: &Book) -> Vec<ChangeRecord> {
    let mut rows = book.change_log(&ChangeLogQuery::default()).unwrap();
    rows.retain(|row| row.entity_id != "data_key");
    rows
}

/// A customer batch with one bad record writes nothing and names the
/// record's index; a good batch stores every customer with the change-log
/// rows one call per customer would write.
pub fn a_customer_batch_lands_whole_or_not_at_all(book: &Book) {
    let bad = vec![
        household("Maria Lopez", "(813) 555-0142"),
        household("Sam Lee", "call me"),
        household("Ana Rivera", "(813) 555-0144"),
    ];
    let error = book.create_customers(bad, &office()).unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "customers[1].contacts[0].phones[0].number"),
        "{error}"
    );
    let listed = || {
        book.list_customers(&CustomerQuery::default())
            .unwrap()
            .customers
    };
    assert!(listed().is_empty(), "nothing written");
    assert!(log(book).is_empty(), "no change-log row");

    let mut clash = household("Ana Rivera", "(813) 555-0144");
    let first = household("Maria Lopez", "(813) 555-0142");
    clash.contacts[0].id = first.contacts[0].id;
    let error = book
        .create_customers(vec![first, clash], &office())
        .unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "customers[1].contacts[0].id"),
        "{error}"
    );
    assert!(listed().is_empty());

    let batch = book
        .create_customers(
            vec![
                household("Maria Lopez", "(813) 555-0142"),
                household("Sam Lee", "(813) 555-0143"),
            ],
            &office(),
        )
        .unwrap();
    assert_eq!(batch[1].contacts[0].phones[0].number, "+18135550143");
    let batched_rows: Vec<_> = log(book).iter().map(shape).collect();
    let single = book
        .create_customer(household("Ana Rivera", "(813) 555-0144"), &office())
        .unwrap();
    let single_rows: Vec<_> = log(book)[batched_rows.len()..].iter().map(shape).collect();
    assert_eq!(batched_rows.len(), 2 * single_rows.len());
    assert_eq!(batched_rows[..single_rows.len()], single_rows[..]);
    for customer in batch.iter().chain([&single]) {
        assert_eq!(&book.customer(customer.id).unwrap(), customer);
    }
    assert_eq!(listed().len(), 3);
}

/// An entry batch sees its own earlier entries (a payment of an invoice of
/// the batch, feedback on a visit of the batch), refuses whole with the
/// index of a bad entry, and stores what one call per entry would.
pub fn an_entry_batch_lands_whole_or_not_at_all(book: &Book) {
    let customer = book
        .create_customer(household("Maria Lopez", "(813) 555-0142"), &office())
        .unwrap();
    let location = &customer.locations[0];
    let day = chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 10, 6, 15, 0, 0).unwrap();
    let invoice = Invoice::new(
        customer.id,
        "2026-0001",
        day,
        day + chrono::Duration::days(15),
        vec![InvoiceLine::new(
            "Weekly pool service",
            Decimal::ONE,
            Decimal::new(165, 0),
        )],
    );
    let payment = Payment::new(customer.id, day, Decimal::new(100, 0), PaymentMethod::Card)
        .applied_to(invoice.id, Decimal::new(100, 0));
    let mut visit = Visit::completed(customer.id, location.id, at);
    visit.body_of_water_id = Some(location.bodies_of_water[0].id);
    visit.readings.ph = Some(7.5);
    let mut feedback = Feedback::new(customer.id, 5);
    feedback.visit_id = Some(visit.id);
    let mut bad_visit = visit.clone();
    bad_visit.id = crate::EntryId::new();
    bad_visit.readings.ph = Some(15.0);
    let entries = vec![
        Entry::Invoice(invoice.clone()),
        Entry::Payment(payment.clone()),
        Entry::Visit(visit.clone()),
        Entry::Visit(bad_visit),
        Entry::Feedback(feedback.clone()),
    ];
    let before = log(book).len();
    let error = book.record_entries(entries, &office()).unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "entries[3].readings.ph"),
        "{error}"
    );
    assert_eq!(log(book).len(), before, "nothing written");
    assert_eq!(book.balance(customer.id).unwrap(), Decimal::ZERO);

    let overpaid = Payment::new(customer.id, day, Decimal::new(100, 0), PaymentMethod::Card)
        .applied_to(invoice.id, Decimal::new(100, 0));
    let error = book
        .record_entries(
            vec![
                Entry::Invoice(invoice.clone()),
                Entry::Payment(payment.clone()),
                Entry::Payment(overpaid),
            ],
            &office(),
        )
        .unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "entries[2].applications[0].amount"),
        "a later payment sees the earlier one: {error}"
    );

    let stored = book
        .record_entries(
            vec![
                Entry::Invoice(invoice.clone()),
                Entry::Payment(payment),
                Entry::Visit(visit),
                Entry::Feedback(feedback),
            ],
            &office(),
        )
        .unwrap();
    assert_eq!(stored.len(), 4);
    assert_eq!(book.balance(customer.id).unwrap(), Decimal::new(65, 0));
    let rows = &log(book)[before..];
    assert_eq!(rows.len(), 4, "one change-log row per entry");
    assert!(rows.iter().all(|row| row.customer_id == Some(customer.id)));
    let single = book
        .add_note(crate::Note::new(customer.id, "Gate sticks"), &office())
        .unwrap();
    let last = log(book).pop().unwrap();
    assert_eq!(shape(&last).0, shape(&rows[0]).0);
    assert_eq!(last.entity_id, single.id.to_string());
    let kinds: Vec<String> = book
        .timeline(&TimelineQuery {
            customer_id: Some(customer.id),
            ..TimelineQuery::default()
        })
        .unwrap()
        .items
        .iter()
        .filter_map(|item| match item {
            TimelineItem::Entry { entry, .. } => Some(entry.kind().to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(kinds.len(), 5);
    for kind in ["invoice", "payment", "visit", "feedback", "note"] {
        assert!(kinds.contains(&kind.to_owned()), "{kinds:?}");
    }
}

/// An entry batch over many customers (read ahead many at a time) refuses
/// an entry for an archived or unknown customer by its index, and stores
/// the rest when they are taken out.
pub fn an_entry_batch_over_many_customers_checks_each_one(book: &Book) {
    let customers: Vec<_> = (0..12)
        .map(|n| household(&format!("Customer {n}"), &format!("(813) 555-01{n:02}")))
        .collect();
    let customers = book.create_customers(customers, &office()).unwrap();
    let archived = &customers[5];
    book.archive_customer(archived.id, archived.version, &office())
        .unwrap();
    let note = |id| Entry::Note(crate::Note::new(id, "Checked the pump"));
    let mut entries: Vec<Entry> = customers.iter().map(|c| note(c.id)).collect();
    let before = log(book).len();
    let error = book.record_entries(entries.clone(), &office()).unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, problem, .. }
            if field == "entries[5].customer_id" && problem.contains("archived")),
        "{error}"
    );
    entries.remove(5);
    entries.insert(7, note(crate::CustomerId::new()));
    let error = book.record_entries(entries.clone(), &office()).unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "entries[7].customer_id"),
        "{error}"
    );
    assert_eq!(log(book).len(), before, "nothing written");
    entries.remove(7);
    let stored = book.record_entries(entries, &office()).unwrap();
    assert_eq!(stored.len(), 11);
    for customer in customers.iter().filter(|c| c.id != archived.id) {
        let page = book
            .timeline(&TimelineQuery {
                customer_id: Some(customer.id),
                ..TimelineQuery::default()
            })
            .unwrap();
        assert_eq!(
            page.items.len(),
            1,
            "one note for {}",
            customer.display_name
        );
    }
}

/// A customer batch reusing the id of a stored customer's contact,
/// location or pool is refused naming the part, and writes nothing: the
/// check is the store's (the ids are only known taken there), so every
/// store must make it, large batches included; a large batch without such
/// a clash reads back exactly as written.
pub fn a_customer_batch_reusing_a_stored_part_id_writes_nothing(book: &Book) {
    let stored = book
        .create_customer(household("Maria Lopez", "(813) 555-0142"), &office())
        .unwrap();
    let before = log(book).len();
    type Reuse = fn(&mut NewCustomer, &crate::Customer);
    let cases: [(Reuse, &str); 3] = [
        (
            |new, stored| new.contacts[0].id = stored.contacts[0].id,
            "contacts[0].id",
        ),
        (
            |new, stored| new.locations[0].id = stored.locations[0].id,
            "locations[0].id",
        ),
        (
            |new, stored| {
                new.locations[0].bodies_of_water[0].id = stored.locations[0].bodies_of_water[0].id;
            },
            "locations[0].bodies_of_water[0].id",
        ),
    ];
    for (reuse, field_name) in cases {
        let mut thief = household("Sam Lee", "(813) 555-0143");
        reuse(&mut thief, &stored);
        // Large enough that a store may write it another way than one
        // row at a time (PostgreSQL copies batches of 64 or more).
        let mut batch: Vec<NewCustomer> = (0..70)
            .map(|n| household(&format!("Neighbour {n}"), "(813) 555-0144"))
            .collect();
        batch.push(thief);
        let error = book.create_customers(batch, &office()).unwrap_err();
        assert!(
            matches!(&error, Error::Invalid { field, .. } if field.ends_with(field_name)),
            "{field_name}: {error}"
        );
        assert_eq!(
            book.list_customers(&CustomerQuery::default())
                .unwrap()
                .customers
                .len(),
            1,
            "nothing of the batch written"
        );
        assert_eq!(log(book).len(), before);
        assert_eq!(
            book.customer(stored.id).unwrap(),
            stored,
            "the owner keeps it"
        );
    }
}
