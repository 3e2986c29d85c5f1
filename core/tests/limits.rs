//! The documented ranges (issue 15): values that once were accepted and then
//! broke every later read of their data (a panic in the ledger or a segment,
//! an instant no binding can represent) are refused naming the field, the
//! book unchanged; and data already stored outside them reads without a
//! panic.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Timelike, Utc};
use poolbook::{
    Actor, Address, Author, BodyOfWater, Book, ChangeLogQuery, CustomerKind, Direction, Entry,
    Error, EventMapping, Frequency, Invoice, InvoiceLine, JourneyChannel, Ledger, MAX_LIST_ITEMS,
    MAX_MONEY, NewCustomer, Payment, PaymentMethod, Sanitizer, Segment, SegmentRule,
    ServiceLocation, ServicePlan, Touchpoint, Visit, WaterKind,
};
use rust_decimal::Decimal;

fn office() -> Author {
    Author::office("dana")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn customer(book: &Book) -> poolbook::Customer {
    book.create_customer(
        NewCustomer::new(CustomerKind::Residential, "Maria Lopez").with_location(
            ServiceLocation::new(Address::new(
                "1420 Oak Street",
                "Phoenix",
                "AZ",
                "85018",
                "US",
            ))
            .with_body_of_water(BodyOfWater::new(
                "Main pool",
                WaterKind::Pool,
                Sanitizer::Salt,
            )),
        ),
        &office(),
    )
    .unwrap()
}

fn log_len(book: &Book) -> usize {
    book.change_log(&ChangeLogQuery::default()).unwrap().len()
}

fn refused<T: std::fmt::Debug>(result: poolbook::Result<T>, field: &str, says: &str) {
    match result {
        Err(Error::Invalid {
            field: f, problem, ..
        }) => {
            assert_eq!(f, field, "{problem}");
            assert!(problem.contains(says), "{field}: {problem}");
        }
        other => panic!("expected {field} refused, got {other:?}"),
    }
}

#[test]
fn a_price_beyond_the_money_range_is_refused_and_the_ledger_still_reads() {
    let book = Book::open_in_memory().unwrap();
    let maria = customer(&book);
    let before = log_len(&book);
    let huge = Decimal::MAX; // 79228162514264337593543950335
    let invoice = Invoice::new(
        maria.id,
        "2026-0001",
        day(2026, 3, 1),
        day(2026, 3, 15),
        vec![InvoiceLine::new("Weekly service", Decimal::ONE, huge)],
    );
    refused(
        book.add_invoice(invoice, &office()),
        "lines[0].unit_price",
        "at most 1000000000",
    );
    let invoice = Invoice::new(
        maria.id,
        "2026-0002",
        day(2026, 3, 1),
        day(2026, 3, 15),
        vec![InvoiceLine::new(
            "Weekly service",
            Decimal::new(1_000_000, 0),
            MAX_MONEY,
        )],
    );
    refused(
        book.add_invoice(invoice, &office()),
        "lines",
        "totals more than",
    );
    let payment = Payment::new(maria.id, day(2026, 3, 2), huge, PaymentMethod::Card);
    refused(book.record_payment(payment, &office()), "amount", "at most");
    assert_eq!(log_len(&book), before, "nothing written");
    assert_eq!(book.balance(maria.id).unwrap(), Decimal::ZERO);

    // Data stored before these limits existed: the ledger saturates, never panics.
    let stored = |number: &str| {
        Invoice::new(
            maria.id,
            number,
            day(2026, 3, 1),
            day(2026, 3, 15),
            vec![
                InvoiceLine::new("a", huge, huge),
                InvoiceLine::new("b", huge, huge),
            ],
        )
    };
    let mut payment = Payment::new(maria.id, day(2026, 3, 20), huge, PaymentMethod::Card);
    payment.amount = -huge;
    let ledger = Ledger::new(vec![stored("1"), stored("2")], vec![payment], vec![]);
    let _ = ledger.balance();
    let _ = ledger.invoice_balances();
    let _ = ledger
        .statement(day(2026, 1, 1), day(2026, 12, 31))
        .unwrap();
    let _ = ledger.aging(day(2026, 12, 31));
    let _ = ledger.statement(NaiveDate::MIN, day(2026, 12, 31)).unwrap();
}

#[test]
fn a_segment_day_count_beyond_a_century_is_refused_and_evaluation_never_overflows() {
    let book = Book::open_in_memory().unwrap();
    let maria = customer(&book);
    let quiet = Segment {
        name: "quiet".into(),
        rules: vec![SegmentRule::NoTouchpointFor { days: u32::MAX }],
    };
    refused(
        book.save_segment(quiet.clone(), &office()),
        "rules[0].days",
        "at most 36525 days",
    );
    assert!(book.segments().unwrap().is_empty());
    // Evaluated unsaved, and at the very ends of time: no panic.
    for as_of in [
        Utc::now(),
        DateTime::<Utc>::MIN_UTC,
        DateTime::<Utc>::MAX_UTC,
    ] {
        let members = book.evaluate_segment(&quiet, as_of).unwrap();
        assert!(members.len() <= 1);
    }
    let did_but_not = Segment {
        name: "asked, never booked".into(),
        rules: vec![SegmentRule::DidButNot {
            did: "estimate_requested".into(),
            not: "visit_booked".into(),
            within_days: u32::MAX,
        }],
    };
    refused(
        book.save_segment(did_but_not.clone(), &office()),
        "rules[0].within_days",
        "at most",
    );
    book.record_touchpoints(
        vec![Touchpoint::by_customer(
            maria.id,
            Utc::now() - Duration::days(3),
            JourneyChannel::Website,
            Direction::Inbound,
            Actor::Customer,
            "estimate_requested",
        )],
        &office(),
    )
    .unwrap();
    assert!(
        book.evaluate_segment(&did_but_not, Utc::now())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn instants_and_days_no_binding_can_hold_are_refused() {
    let book = Book::open_in_memory().unwrap();
    let maria = customer(&book);
    let location = &maria.locations[0];
    let before = log_len(&book);
    let year_one = Utc.with_ymd_and_hms(1, 1, 1, 0, 30, 0).unwrap();
    refused(
        book.record_visit(Visit::completed(maria.id, location.id, year_one), &office()),
        "at",
        "from 1900-01-01 to 2199-12-31",
    );
    let touchpoint =
        Touchpoint::by_visitor("v-1", year_one, JourneyChannel::Website, "page_viewed");
    refused(
        book.record_touchpoints(vec![touchpoint], &office()),
        "touchpoints[0].at",
        "from 1900-01-01",
    );
    let mut far = location.clone();
    far.service_plan = Some(ServicePlan::new(Frequency::Weekly, day(2200, 1, 1)));
    refused(
        book.update_customer(
            maria.id,
            maria.version,
            poolbook::CustomerPatch {
                locations: Some(vec![far]),
                ..poolbook::CustomerPatch::default()
            },
            &office(),
        ),
        "locations[0].service_plan.starts_on",
        "to 2199-12-31",
    );
    assert_eq!(log_len(&book), before, "nothing written");

    // A Segment event from year 1 is a rejected line, not a stored touchpoint.
    let line = r#"{"type":"track","event":"page_viewed","anonymousId":"v-2","messageId":"m-1","timestamp":"0001-01-01T00:30:00+01:00"}"#;
    let report = book
        .import_segment_events(line.as_bytes(), &EventMapping::default(), &office())
        .unwrap();
    assert_eq!(report.added, 0);
    assert_eq!(report.rejected.len(), 1);

    // A leap second is folded into the second before it.
    let leap = Utc
        .with_ymd_and_hms(2016, 12, 31, 23, 59, 59)
        .unwrap()
        .with_nanosecond(1_500_000_000)
        .unwrap();
    let visit = book
        .record_visit(Visit::completed(maria.id, location.id, leap), &office())
        .unwrap();
    assert_eq!(visit.at.second(), 59);
    assert!(visit.at.nanosecond() < 1_000_000_000);
    let stored = book.entry(visit.id).unwrap();
    assert_eq!(stored.entry.at(), visit.at);
}

#[test]
fn lists_longer_than_the_limit_are_refused() {
    let book = Book::open_in_memory().unwrap();
    let mut new = NewCustomer::new(CustomerKind::Residential, "Maria Lopez");
    new.tags = (0..=MAX_LIST_ITEMS).map(|n| format!("tag {n}")).collect();
    refused(book.create_customer(new, &office()), "tags", "at most 100");
    let maria = customer(&book);
    let lines = (0..=MAX_LIST_ITEMS)
        .map(|n| InvoiceLine::new(format!("line {n}"), Decimal::ONE, Decimal::ONE))
        .collect();
    let invoice = Invoice::new(
        maria.id,
        "2026-0001",
        day(2026, 3, 1),
        day(2026, 3, 15),
        lines,
    );
    refused(book.add_invoice(invoice, &office()), "lines", "at most 100");
    let mut long_region = NewCustomer::new(CustomerKind::Residential, "Ann");
    let mut address = Address::new("1 Elm St", "Phoenix", "AZ", "85018", "US");
    address.region = "A".repeat(1_000_000);
    long_region = long_region.with_location(ServiceLocation::new(address));
    refused(
        book.create_customer(long_region, &office()),
        "locations[0].address.region",
        "longer than 100",
    );
    assert!(
        book.record_entries(Vec::<Entry>::new(), &office())
            .unwrap()
            .is_empty(),
        "an empty batch is fine"
    );
}

#[test]
fn queries_are_bounded() {
    let book = Book::open_in_memory().unwrap();
    let maria = customer(&book);
    let words = "oak ".repeat(50_000);
    let started = std::time::Instant::now();
    refused(
        book.search_customers(&words, 10),
        "query",
        "longer than 200",
    );
    refused(
        book.search_customers(&"a b ".repeat(15), 10),
        "query",
        "more than 20 words",
    );
    refused(book.search_customers("oak\0st", 10), "query", "NUL");
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    assert_eq!(book.search_customers("oak st", 10).unwrap().len(), 1);
    refused(
        book.change_log(&ChangeLogQuery {
            limit: Some(1_000_000_000),
            ..ChangeLogQuery::default()
        }),
        "limit",
        "between 1 and 10000",
    );
    refused(
        book.touchpoints(&poolbook::TouchpointQuery {
            customer_id: Some(maria.id),
            limit: Some(1_000_000_000),
            ..poolbook::TouchpointQuery::default()
        }),
        "limit",
        "between 1 and 10000",
    );
}

#[test]
fn touchpoint_labels_properties_and_stage_maps_are_bounded() {
    let book = Book::open_in_memory().unwrap();
    let maria = customer(&book);
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let touchpoint = || {
        Touchpoint::by_customer(
            maria.id,
            at,
            JourneyChannel::Website,
            Direction::Inbound,
            Actor::Customer,
            "page_viewed",
        )
    };
    let before = log_len(&book);

    let mut long_source = touchpoint();
    long_source.source = Some("g".repeat(poolbook::MAX_LABEL_CHARS + 1));
    refused(
        book.record_touchpoints(vec![touchpoint(), long_source], &office()),
        "touchpoints[1].source",
        "longer than 200",
    );
    let mut long_event = touchpoint();
    long_event.source_system = Some("website".into());
    long_event.source_event_id = Some("e".repeat(10_000));
    refused(
        book.record_touchpoints(vec![long_event], &office()),
        "touchpoints[0].source_event_id",
        "longer than 200",
    );
    let mut heavy = touchpoint();
    heavy
        .properties
        .insert("page".into(), serde_json::Value::String("x".repeat(20_000)));
    refused(
        book.record_touchpoints(vec![heavy], &office()),
        "touchpoints[0].properties",
        "larger than 16384 bytes",
    );
    assert_eq!(log_len(&book), before, "the book is unchanged");

    let mut fits = touchpoint();
    fits.properties
        .insert("page".into(), serde_json::Value::String("x".repeat(16_000)));
    assert_eq!(
        book.record_touchpoints(vec![fits], &office())
            .unwrap()
            .added,
        1
    );

    let huge_map = (0..=poolbook::MAX_STAGE_MAP_ENTRIES)
        .map(|n| (format!("action_{n}"), poolbook::Stage::Awareness))
        .collect();
    refused(
        book.set_stage_map(huge_map, &office()),
        "stage_map",
        "at most 1000",
    );
    assert_eq!(book.stage_map().unwrap(), poolbook::default_stage_map());
}

#[test]
fn nested_lists_photos_segment_tags_profiles_and_authors_are_bounded() {
    let book = Book::open_in_memory().unwrap();
    let before = log_len(&book);
    // 10 locations x 10 pools x 10 pieces of equipment: each list within its
    // own limit, 1,120 items in all.
    let mut wide = NewCustomer::new(CustomerKind::Hoa, "Desert Palms HOA");
    for l in 0..10 {
        let mut location = ServiceLocation::new(Address::new(
            format!("{l} Palm Way"),
            "Phoenix",
            "AZ",
            "85018",
            "US",
        ));
        for b in 0..10 {
            let mut body = BodyOfWater::new(format!("Pool {b}"), WaterKind::Pool, Sanitizer::Salt);
            body.equipment = (0..10)
                .map(|_| poolbook::Equipment {
                    kind: poolbook::EquipmentKind::Pump,
                    make: None,
                    model: None,
                    serial: None,
                    installed_on: None,
                })
                .collect();
            location = location.with_body_of_water(body);
        }
        wide = wide.with_location(location);
    }
    refused(
        book.create_customer(wide, &office()),
        "customer",
        "at most 1000",
    );
    let mut worried = NewCustomer::new(CustomerKind::Residential, "Ann Lee");
    worried.preferences.water_concerns = (0..=MAX_LIST_ITEMS)
        .map(|n| format!("concern {n}"))
        .collect();
    refused(
        book.create_customer(worried, &office()),
        "preferences.water_concerns",
        "at most 100",
    );
    let mut weekly = ServiceLocation::new(Address::new("1 Elm St", "Phoenix", "AZ", "85018", "US"));
    weekly.access.access_hours = vec![poolbook::AccessWindow {
        days: vec![poolbook::Weekday::Monday; 8],
        start: chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
        end: chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
    }];
    refused(
        book.create_customer(
            NewCustomer::new(CustomerKind::Residential, "Bo Diaz").with_location(weekly),
            &office(),
        ),
        "locations[0].access.access_hours[0].days",
        "7 days",
    );

    assert_eq!(log_len(&book), before);
    let maria = customer(&book);
    let before = log_len(&book);
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let mut visit = Visit::completed(maria.id, maria.locations[0].id, at);
    visit.photos = vec![format!("https://example.com/{}", "p".repeat(5_000))];
    refused(
        book.record_visit(visit, &office()),
        "photos[0]",
        "longer than 2048",
    );
    let tagged = Segment {
        name: "long tag".into(),
        rules: vec![SegmentRule::Tag {
            tag: "t".repeat(65),
        }],
    };
    refused(
        book.save_segment(tagged, &office()),
        "rules[0].tag",
        "longer than 64",
    );
    let mut profile = book.target_profiles().unwrap()[0].clone();
    profile.name = "n".repeat(101);
    refused(
        book.put_target_profile(profile, &office()),
        "name",
        "longer than 100",
    );
    let padded = Author::office(format!("dana{}", " ".repeat(1_000)));
    refused(
        book.create_customer(NewCustomer::new(CustomerKind::Residential, "Cy"), &padded),
        "author.id",
        "longer than 200",
    );
    assert_eq!(log_len(&book), before, "nothing refused was written");
}

#[test]
fn an_event_file_with_an_overlong_line_or_too_many_events_is_bounded() {
    let book = Book::open_in_memory().unwrap();
    let good = |n: usize| {
        format!(
            "{{\"type\":\"page\",\"anonymousId\":\"v-{n}\",\"messageId\":\"m-{n}\",\"timestamp\":\"2026-06-01T10:00:00Z\"}}\n"
        )
    };
    let long = format!(
        "{{\"type\":\"page\",\"anonymousId\":\"v-x\",\"messageId\":\"m-x\",\"timestamp\":\"2026-06-01T10:00:00Z\",\"properties\":{{\"p\":\"{}\"}}}}\n",
        "x".repeat(poolbook::MAX_EVENT_LINE_BYTES)
    );
    let file = format!("{}{long}{}", good(1), good(2));
    let report = book
        .import_segment_events(file.as_bytes(), &EventMapping::default(), &office())
        .unwrap();
    assert_eq!(report.added, 2, "{report:?}");
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].line, 2);
    assert!(
        report.rejected[0]
            .reason
            .contains("longer than 65536 bytes")
    );

    let before = log_len(&book);
    let many: String = (0..=poolbook::MAX_IMPORT_EVENTS)
        .map(|n| good(n + 10))
        .collect();
    refused(
        book.import_segment_events(many.as_bytes(), &EventMapping::default(), &office()),
        "input",
        "more than 100000 events",
    );
    assert_eq!(log_len(&book), before, "nothing of the file was imported");
}
