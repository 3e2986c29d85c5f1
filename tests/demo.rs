//! The demo company: the same seed gives the same company, record for
//! record and entry for entry.

use poolbook::{Book, Customer, TimelineQuery};

/// Everything generated about a customer except the times its records were written.
fn content(book: &Book, customer: &Customer) -> serde_json::Value {
    let mut record = serde_json::to_value(customer).unwrap();
    for written in ["created_at", "updated_at"] {
        record.as_object_mut().unwrap().remove(written);
    }
    let entries: Vec<serde_json::Value> = book
        .timeline(&TimelineQuery {
            customer_id: Some(customer.id),
            limit: Some(1000),
            ..Default::default()
        })
        .unwrap()
        .items
        .iter()
        .map(|item| serde_json::to_value(item).unwrap())
        .collect();
    serde_json::json!({ "record": record, "entries": entries })
}

fn demo_book(seed: u64) -> (Book, poolbook::DemoSummary) {
    let book = Book::open_in_memory().unwrap();
    let options = poolbook::DemoOptions {
        seed,
        customers: 12,
        technicians: 2,
        weeks: 10,
        ..Default::default()
    };
    let summary = poolbook::populate_demo(&book, &options).unwrap();
    (book, summary)
}

#[test]
fn the_demo_company_is_the_same_for_the_same_seed() {
    let (first, one) = demo_book(7);
    let (second, two) = demo_book(7);
    assert_eq!(one, two);
    assert_eq!(one.customers.len(), 12);
    assert!(
        one.visits > 50 && one.invoices > 5 && one.payments > 0,
        "{one:?}"
    );
    for id in &one.customers {
        let (a, b) = (first.customer(*id).unwrap(), second.customer(*id).unwrap());
        assert_eq!(
            content(&first, &a),
            content(&second, &b),
            "customer {}",
            a.display_name
        );
    }
    let (_, other) = demo_book(8);
    assert_ne!(
        other.customers, one.customers,
        "another seed, another company"
    );
}
