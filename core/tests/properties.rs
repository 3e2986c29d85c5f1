//! Property tests (issue 15): arbitrary outside data through the entry
//! points that take it (customer fields, emails, phones, patches, search
//! queries, cursors, Segment lines, segment rules, stage maps, readings,
//! invoice figures). For every input: no panic; a refusal is
//! `Error::Invalid` and leaves every row of every table as it was; whatever
//! is accepted reads back as it was returned and through every report that
//! uses it. 256 cases each by default; `PROPTEST_CASES=5000` for a long run.

use chrono::{TimeZone, Utc};
use poolbook::{
    Address, Author, BodyOfWater, Book, ChangeLogQuery, Contact, ContactRole, Customer,
    CustomerKind, CustomerPatch, CustomerQuery, Error, EventMapping, Invoice, InvoiceLine,
    LifecycleStatus, NewCustomer, Sanitizer, Secret, Segment, SegmentRule, ServiceLocation,
    SqlValue, Stage, TimelineQuery, Visit, WaterKind, normalize_phone,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn office() -> Author {
    Author::office("dana")
}

/// Text as people and programs send it: empty, blank, plain, any Unicode
/// (control characters included), long.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ \t\n]{1,4}",
        "[A-Za-z0-9 .,'#()+-]{1,40}",
        any::<String>(),
        "\\PC{100,400}",
    ]
}

/// The book's state a refused call must leave alone: every row of every
/// table (read through `Book::sql`, which refuses the sealed-secret and key
/// tables; those change only with a customer write, which the customer
/// rows and the change log show), plus the change log and the customers as
/// the book reads them.
fn state(book: &Book) -> String {
    let tables = book
        .sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN \
             ('location_secrets', 'location_secrets_plain', 'book_keys') ORDER BY name",
            vec![],
        )
        .unwrap();
    let mut out = String::new();
    for row in tables.rows {
        let SqlValue::Text { value: name } = &row[0] else {
            panic!("a table name that is not text: {row:?}")
        };
        let rows = book
            .sql(&format!("SELECT * FROM \"{name}\""), vec![])
            .unwrap();
        out.push_str(&format!("{name}: {:?}\n", rows.rows));
    }
    let log = book.change_log(&ChangeLogQuery::default()).unwrap();
    let customers = book.list_customers(&CustomerQuery::default()).unwrap();
    out.push_str(&format!("{log:?}\n{:?}", customers.customers));
    out
}

fn a_customer(book: &Book) -> Customer {
    book.create_customer(
        NewCustomer::new(CustomerKind::Residential, "Maria Lopez").with_location(
            ServiceLocation::new(Address::new("1 Oak St", "Phoenix", "AZ", "85018", "US"))
                .with_body_of_water(BodyOfWater::new("Pool", WaterKind::Pool, Sanitizer::Salt)),
        ),
        &office(),
    )
    .unwrap()
}

/// Accepted or refused as invalid, the book unchanged when refused.
fn accepted_or_invalid<T>(book: &Book, call: impl FnOnce() -> poolbook::Result<T>) -> Option<T> {
    let before = state(book);
    match call() {
        Ok(value) => Some(value),
        Err(Error::Invalid { .. }) => {
            assert_eq!(state(book), before, "a refused call changed the book");
            None
        }
        Err(other) => panic!("expected success or a validation error, got {other:?}"),
    }
}

/// Found by the Python fuzz test: serde_json's default float parser read
/// this pH back one unit off in the last place.
#[test]
fn a_reading_reads_back_bit_for_bit() {
    let book = Book::open_in_memory().unwrap();
    let customer = a_customer(&book);
    let location = &customer.locations[0];
    let at = Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap();
    let mut visit = Visit::completed(customer.id, location.id, at);
    visit.body_of_water_id = Some(location.bodies_of_water[0].id);
    visit.readings.ph = Some(1.106_052_822_441_027_3e-261);
    visit.readings.free_chlorine = Some(0.1 + 0.2);
    let stored = book.record_visit(visit, &office()).unwrap();
    let read = book.entry(stored.id).unwrap().entry;
    assert_eq!(read, poolbook::Entry::Visit(stored));
}

proptest! {
    #[test]
    fn any_customer_fields_are_stored_as_returned_or_refused(
        name in text(), phone in text(), email in text(), line1 in text(), city in text(),
        region in text(), postal in text(), country in text(), gate in text(),
        tags in proptest::collection::vec(text(), 0..4),
    ) {
        let book = Book::open_in_memory().unwrap();
        let mut location = ServiceLocation::new(Address::new(line1, city, region, postal, country));
        if let Ok(code) = Secret::new(gate, "gate_code") {
            location = location.with_gate_code(code);
        }
        let mut new = NewCustomer::new(CustomerKind::Residential, name)
            .with_contact(Contact::new("Owner", ContactRole::Owner).with_phone(phone, true).with_email(email))
            .with_location(location);
        new.tags = tags;
        if let Some(created) = accepted_or_invalid(&book, || book.create_customer(new, &office())) {
            prop_assert_eq!(book.customer(created.id).unwrap(), created.clone());
            let json = serde_json::to_string(&created).unwrap();
            prop_assert!(!json.contains("\"gate_code\":\"") || json.contains("[redacted]"));
            book.search_customers(&created.display_name.chars().take(50).collect::<String>(), 10).unwrap();
            prop_assert!(book.check_integrity().unwrap().ok);
        }
    }

    #[test]
    fn any_phone_is_normalised_once_and_for_all_or_refused(input in text(), region in "[A-Z]{2}") {
        if let Ok(number) = normalize_phone(&input, &region, "phone") {
            prop_assert_eq!(normalize_phone(&number, &region, "phone").unwrap(), number);
        }
    }

    #[test]
    fn any_search_query_and_cursor_answer_or_are_refused(query in text(), limit in 0u32..300, cursor in text()) {
        let book = Book::open_in_memory().unwrap();
        let customer = a_customer(&book);
        match book.search_customers(&query, limit) {
            Ok(hits) => prop_assert!(hits.len() <= limit as usize),
            Err(Error::Invalid { .. }) => {}
            Err(other) => prop_assert!(false, "search gave {other:?}"),
        }
        let page = book.timeline(&TimelineQuery {
            customer_id: Some(customer.id),
            cursor: Some(cursor),
            ..TimelineQuery::default()
        });
        prop_assert!(matches!(page, Ok(_) | Err(Error::Invalid { .. })), "{page:?}");
    }

    #[test]
    fn any_segment_line_is_imported_or_rejected_by_line(line in text(), timestamp in text()) {
        let book = Book::open_in_memory().unwrap();
        let built = format!(
            "{{\"type\":\"track\",\"event\":\"Estimate Requested\",\"anonymousId\":\"v-1\",\"messageId\":\"m-1\",\"timestamp\":{}}}",
            serde_json::to_string(&timestamp).unwrap()
        );
        for input in [line, built] {
            let report = book.import_segment_events(input.as_bytes(), &EventMapping::default(), &office());
            match report {
                Ok(report) => prop_assert!(report.added + report.skipped + report.rejected.len() as u64 <= 1 + input.lines().count() as u64),
                Err(Error::Invalid { .. }) => {}
                Err(other) => prop_assert!(false, "import gave {other:?}"),
            }
        }
        prop_assert!(book.check_integrity().unwrap().ok);
    }

    #[test]
    fn any_readings_are_recorded_and_assessed_or_refused(
        ph in any::<f64>(), chlorine in any::<f64>(), alkalinity in any::<f64>(), minutes in any::<i64>(),
    ) {
        let book = Book::open_in_memory().unwrap();
        let customer = a_customer(&book);
        let location = &customer.locations[0];
        let at = Utc.timestamp_opt(minutes.rem_euclid(10_000_000_000), 0).single().unwrap_or_else(Utc::now);
        let mut visit = Visit::completed(customer.id, location.id, at);
        visit.body_of_water_id = Some(location.bodies_of_water[0].id);
        visit.readings.ph = Some(ph);
        visit.readings.free_chlorine = Some(chlorine);
        visit.readings.total_alkalinity = Some(alkalinity);
        if let Some(stored) = accepted_or_invalid(&book, || book.record_visit(visit, &office())) {
            prop_assert!(stored.readings.ph.is_some_and(f64::is_finite));
            let read = book.entry(stored.id).unwrap().entry;
            prop_assert_eq!(read, poolbook::Entry::Visit(stored.clone()), "read back bit for bit");
            book.assess_visit(stored.id, poolbook::CsiMethod::Tfp).unwrap();
            book.stop_card(location.id).unwrap();
        }
    }

    #[test]
    fn any_invoice_figures_are_billed_or_refused_and_the_ledger_reads(
        quantity in (any::<i64>(), 0u32..28), price in (any::<i64>(), 0u32..28),
    ) {
        let book = Book::open_in_memory().unwrap();
        let customer = a_customer(&book);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let invoice = Invoice::new(
            customer.id,
            "2026-0001",
            day,
            day,
            vec![InvoiceLine::new(
                "Service",
                Decimal::new(quantity.0, quantity.1),
                Decimal::new(price.0, price.1),
            )],
        );
        accepted_or_invalid(&book, || book.add_invoice(invoice, &office()));
        book.balance(customer.id).unwrap();
        book.aging(customer.id, day).unwrap();
        book.statement(customer.id, day, day).unwrap();
    }
}

/// Any stage of the journey.
fn stage() -> impl Strategy<Value = Stage> {
    prop_oneof![
        Just(Stage::Awareness),
        Just(Stage::Consideration),
        Just(Stage::Purchase),
        Just(Stage::Retention),
    ]
}

/// Any segment rule, with day counts over the whole of `u32`.
fn segment_rule() -> impl Strategy<Value = SegmentRule> {
    prop_oneof![
        text().prop_map(|tag| SegmentRule::Tag { tag }),
        any::<u32>().prop_map(|days| SegmentRule::OverdueMoreThan { days }),
        any::<u32>().prop_map(|days| SegmentRule::NoTouchpointFor { days }),
        (text(), text(), any::<u32>()).prop_map(|(did, not, within_days)| {
            SegmentRule::DidButNot {
                did,
                not,
                within_days,
            }
        }),
        Just(SegmentRule::Status {
            status: LifecycleStatus::Active
        }),
    ]
}

proptest! {
    #[test]
    fn any_patch_is_applied_as_returned_or_refused(
        name in proptest::option::of(text()),
        tags in proptest::option::of(proptest::collection::vec(text(), 0..4)),
        fields in proptest::option::of(proptest::collection::btree_map(text(), text(), 0..4)),
        rate in proptest::option::of((any::<i64>(), 0u32..28)),
        email in proptest::option::of(text()),
    ) {
        let book = Book::open_in_memory().unwrap();
        let customer = a_customer(&book);
        let mut patch = CustomerPatch {
            display_name: name,
            tags,
            custom_fields: fields,
            ..CustomerPatch::default()
        };
        if let Some((mantissa, scale)) = rate {
            let mut billing = customer.billing.clone();
            billing.rate = Some(Decimal::new(mantissa, scale));
            patch.billing = Some(billing);
        }
        if let Some(email) = email {
            patch.contacts = Some(vec![Contact::new("Owner", ContactRole::Owner).with_email(email)]);
        }
        let updated = accepted_or_invalid(&book, || {
            book.update_customer(customer.id, customer.version, patch, &office())
        });
        if let Some(updated) = updated {
            prop_assert_eq!(book.customer(customer.id).unwrap(), updated);
            prop_assert!(book.check_integrity().unwrap().ok);
        }
    }

    #[test]
    fn any_segment_rules_are_saved_and_evaluated_or_refused(
        name in text(),
        rules in proptest::collection::vec(segment_rule(), 0..4),
        seconds in -2_208_988_800i64..7_258_118_400,
    ) {
        let book = Book::open_in_memory().unwrap();
        a_customer(&book);
        let segment = Segment { name, rules };
        if let Some(saved) = accepted_or_invalid(&book, || book.save_segment(segment, &office())) {
            let as_of = Utc.timestamp_opt(seconds, 0).unwrap();
            match book.segment_members(&saved.name, as_of) {
                Ok(_) | Err(Error::Invalid { .. }) => {}
                Err(other) => prop_assert!(false, "segment_members failed: {other:?}"),
            }
        }
    }

    #[test]
    fn any_stage_map_is_stored_normalised_or_refused(
        entries in proptest::collection::btree_map(text(), stage(), 0..40),
    ) {
        let book = Book::open_in_memory().unwrap();
        let given = entries.len();
        if accepted_or_invalid(&book, || book.set_stage_map(entries, &office())).is_some() {
            let stored = book.stage_map().unwrap();
            prop_assert!(stored.len() <= given);
            for action in stored.keys() {
                prop_assert_eq!(action.trim(), action.as_str());
                prop_assert!(!action.is_empty());
            }
        }
    }
}
