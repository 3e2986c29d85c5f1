//! Conformance cases for atomicity: a write that fails in the store part-way
//! through its batch (after some of its rows went in) leaves the book as it
//! was — no record, no touchpoint, no change-log row.

use chrono::{TimeZone, Utc};

use crate::{
    Author, Book, ChangeLogQuery, Contact, ContactRole, CustomerKind, CustomerQuery,
    JourneyChannel, NewCustomer, Touchpoint, TouchpointQuery,
};

fn office() -> Author {
    Author::office("dana")
}

fn log_len(book: &Book) -> usize {
    book.change_log(&ChangeLogQuery::default()).unwrap().len()
}

/// A customer whose contact reuses another customer's contact id passes
/// validation (ids are the client's), fails in the store after the
/// customer's own row is written, and leaves nothing: not the customer, not
/// its other parts, not a change-log row.
pub fn a_customer_that_fails_part_way_writes_nothing(book: &Book) {
    let first = book
        .create_customer(
            NewCustomer::new(CustomerKind::Residential, "Maria Lopez")
                .with_contact(Contact::new("Maria Lopez", ContactRole::Owner)),
            &office(),
        )
        .unwrap();
    let log_before = log_len(book);
    let mut clash = Contact::new("Sam Lopez", ContactRole::Tenant);
    clash.id = first.contacts[0].id;
    let second = NewCustomer::new(CustomerKind::Residential, "Sam Lopez")
        .with_contact(Contact::new("Sam's office", ContactRole::Billing))
        .with_contact(clash);
    let second_id = second.id;
    assert!(book.create_customer(second, &office()).is_err());
    assert!(
        book.customer(second_id).is_err(),
        "no half-written customer"
    );
    let listed = book.list_customers(&CustomerQuery::default()).unwrap();
    assert_eq!(listed.customers.len(), 1);
    assert!(book.search_customers("sam", 10).unwrap().is_empty());
    assert_eq!(log_len(book), log_before, "no change-log row");
    assert_eq!(
        book.customer(first.id).unwrap(),
        first,
        "the first untouched"
    );
}

/// A touchpoint batch whose last touchpoint reuses a stored touchpoint's id
/// fails in the store after the first ones went in, and stores none of them.
pub fn a_touchpoint_batch_that_fails_part_way_writes_nothing(book: &Book) {
    let at = |hour| Utc.with_ymd_and_hms(2026, 5, 4, hour, 0, 0).unwrap();
    let view =
        |hour| Touchpoint::by_visitor("v-1", at(hour), JourneyChannel::Website, "page_viewed");
    let stored = view(9);
    book.record_touchpoints(vec![stored.clone()], &office())
        .unwrap();
    let log_before = log_len(book);
    let mut clash = view(11);
    clash.id = stored.id;
    let batch = vec![view(10), view(10), clash];
    assert!(book.record_touchpoints(batch, &office()).is_err());
    let all = book
        .touchpoints(&TouchpointQuery {
            visitor_id: Some("v-1".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all.len(), 1, "only the touchpoint stored before: {all:?}");
    assert_eq!(all[0].id, stored.id);
    assert_eq!(log_len(book), log_before, "no change-log row");
}
