//! Conformance cases for questions about the whole book: touchpoint pages
//! and counts across customers by period and dimension, entries across
//! customers, and the company's receivables, on a hand-built book whose
//! expected numbers are written out.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;

use crate::{
    Actor, Address, Author, Book, BookFilter, CountDimension, Customer, CustomerKind, Direction,
    EntryKind, Invoice, InvoiceLine, JourneyChannel, NewCustomer, NewTechnician, Payment,
    PaymentMethod, Period, ServiceLocation, SkipReason, TechnicianId, Touchpoint,
    TouchpointCountQuery, Visit,
};

fn office() -> Author {
    Author::office("dana")
}

fn on(month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, 10, 0, 0).unwrap()
}

fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

/// January and February 2026: the range every question here asks about.
fn early_2026() -> BookFilter {
    BookFilter {
        since: Some(on(1, 1) - Duration::hours(10)),
        until: Some(on(3, 1) - Duration::hours(10)),
        ..BookFilter::default()
    }
}

struct Company {
    a: Customer,
    b: Customer,
    c: Customer,
    t1: TechnicianId,
    t2: TechnicianId,
}

/// A (residential, vip), B (commercial), C (residential); portal logins,
/// an email opened, an anonymous page view; visits by two technicians.
fn company(book: &Book) -> Company {
    let home = || ServiceLocation::new(Address::new("12 Palm Way", "Tampa", "FL", "33602", "US"));
    let make = |kind, name: &str, vip: bool| {
        let mut new = NewCustomer::new(kind, name).with_location(home());
        if vip {
            new = new.with_tag("vip");
        }
        book.create_customer(new, &office()).unwrap()
    };
    let a = make(CustomerKind::Residential, "A", true);
    let b = make(CustomerKind::Commercial, "B", false);
    let c = make(CustomerKind::Residential, "C", false);
    let t1 = book
        .add_technician(NewTechnician::new("Tom"), &office())
        .unwrap()
        .id;
    let t2 = book
        .add_technician(NewTechnician::new("Uma"), &office())
        .unwrap()
        .id;
    let touch = |customer: &Customer, at, channel, action: &str| {
        Touchpoint::by_customer(
            customer.id,
            at,
            channel,
            Direction::Inbound,
            Actor::Customer,
            action,
        )
    };
    let portal = JourneyChannel::Portal;
    book.record_touchpoints(
        vec![
            touch(&a, on(1, 5), portal, "portal_login"),
            touch(&a, on(1, 20), portal, "portal_login"),
            touch(&a, on(2, 3), portal, "portal_login"),
            touch(&a, on(1, 6), JourneyChannel::Email, "email_opened"),
            touch(&b, on(1, 7), portal, "portal_login"),
            touch(&b, on(2, 10), portal, "portal_login"),
            touch(&c, on(2, 11), portal, "portal_login"),
            Touchpoint::by_visitor("v-1", on(1, 8), JourneyChannel::Website, "page_viewed"),
        ],
        &office(),
    )
    .unwrap();
    let visit = |customer: &Customer, at, technician, skip: Option<SkipReason>| {
        let location = customer.locations[0].id;
        let mut visit = match skip {
            Some(reason) => Visit::skipped(customer.id, location, at, reason),
            None => Visit::completed(customer.id, location, at),
        };
        visit.technician_id = Some(technician);
        book.record_visit(visit, &office()).unwrap();
    };
    visit(&a, on(1, 3), t1, None);
    visit(&a, on(1, 10), t1, Some(SkipReason::LockedGate));
    visit(&a, on(1, 17), t1, Some(SkipReason::DogOut));
    visit(&c, on(2, 2), t2, Some(SkipReason::LockedGate));
    Company { a, b, c, t1, t2 }
}

fn rows(counts: &[crate::TouchpointCount]) -> Vec<(Option<NaiveDate>, Vec<&str>, u64)> {
    counts
        .iter()
        .map(|c| {
            (
                c.period_start,
                c.group.iter().map(String::as_str).collect(),
                c.touchpoints,
            )
        })
        .collect()
}

/// Counts across customers by period and dimension, with customer and
/// technician filters; the numbers are written out.
pub fn touchpoints_are_counted_across_the_book_by_period_and_dimension(book: &Book) {
    let co = company(book);
    let logins = BookFilter {
        actions: vec!["Portal Login".into()],
        ..early_2026()
    };
    let by_kind = book
        .count_touchpoints(&TouchpointCountQuery {
            filter: logins.clone(),
            period: Some(Period::Month),
            by: vec![CountDimension::CustomerKind],
        })
        .unwrap();
    assert_eq!(
        rows(&by_kind),
        [
            (Some(day(1, 1)), vec!["commercial"], 1),
            (Some(day(1, 1)), vec!["residential"], 2),
            (Some(day(2, 1)), vec!["commercial"], 1),
            (Some(day(2, 1)), vec!["residential"], 2),
        ],
        "portal logins per month by customer kind"
    );
    let weekly = book
        .count_touchpoints(&TouchpointCountQuery {
            filter: logins.clone(),
            period: Some(Period::Week),
            by: Vec::new(),
        })
        .unwrap();
    assert_eq!(
        rows(&weekly),
        [
            (Some(day(1, 5)), vec![], 2),
            (Some(day(1, 19)), vec![], 1),
            (Some(day(2, 2)), vec![], 1),
            (Some(day(2, 9)), vec![], 2),
        ],
        "weeks start on Monday"
    );
    let by_channel = book
        .count_touchpoints(&TouchpointCountQuery {
            filter: BookFilter {
                directions: vec![Direction::Inbound],
                ..early_2026()
            },
            period: None,
            by: vec![CountDimension::Channel],
        })
        .unwrap();
    assert_eq!(
        rows(&by_channel),
        [
            (None, vec!["email"], 1),
            (None, vec!["portal"], 6),
            (None, vec!["website"], 1),
        ]
    );
    let vip = book
        .count_touchpoints(&TouchpointCountQuery {
            filter: BookFilter {
                tags: vec!["vip".into()],
                ..logins.clone()
            },
            period: None,
            by: Vec::new(),
        })
        .unwrap();
    assert_eq!(rows(&vip), [(None, vec![], 3)]);
    let commercial = book
        .count_touchpoints(&TouchpointCountQuery {
            filter: BookFilter {
                customer_kinds: vec![CustomerKind::Commercial],
                ..logins
            },
            period: None,
            by: Vec::new(),
        })
        .unwrap();
    assert_eq!(rows(&commercial), [(None, vec![], 2)]);

    // Skipped visits per technician per month, with reasons.
    let skipped = book
        .count_touchpoints(&TouchpointCountQuery {
            filter: BookFilter {
                actions: vec!["visit_skipped".into()],
                ..early_2026()
            },
            period: Some(Period::Month),
            by: vec![
                CountDimension::Technician,
                CountDimension::Property {
                    name: "skip_reason".into(),
                },
            ],
        })
        .unwrap();
    let (t1, t2) = (co.t1.to_string(), co.t2.to_string());
    assert_eq!(
        rows(&skipped),
        [
            (Some(day(1, 1)), vec![t1.as_str(), "dog_out"], 1),
            (Some(day(1, 1)), vec![t1.as_str(), "locked_gate"], 1),
            (Some(day(2, 1)), vec![t2.as_str(), "locked_gate"], 1),
        ]
    );
    let by_t1 = book
        .count_touchpoints(&TouchpointCountQuery {
            filter: BookFilter {
                technician_id: Some(co.t1),
                ..early_2026()
            },
            period: None,
            by: vec![CountDimension::Action],
        })
        .unwrap();
    assert_eq!(
        rows(&by_t1),
        [
            (None, vec!["visit_completed"], 1),
            (None, vec!["visit_skipped"], 2)
        ]
    );

    // Bad questions are refused, naming the field.
    let inverted = BookFilter {
        since: Some(on(3, 1)),
        until: Some(on(1, 1)),
        ..BookFilter::default()
    };
    let error = book
        .count_touchpoints(&TouchpointCountQuery {
            filter: inverted,
            period: None,
            by: Vec::new(),
        })
        .unwrap_err();
    assert!(error.to_string().contains("until"), "{error}");
    let error = book
        .count_touchpoints(&TouchpointCountQuery {
            filter: early_2026(),
            period: None,
            by: vec![CountDimension::Property { name: "a'b".into() }],
        })
        .unwrap_err();
    assert!(error.to_string().contains("by[0].name"), "{error}");
    let _ = (co.a, co.b, co.c);
}

/// Pages of touchpoints and entries across customers, in a fixed order.
pub fn touchpoints_and_entries_page_across_the_book(book: &Book) {
    let co = company(book);
    let portal = BookFilter {
        channels: vec![JourneyChannel::Portal],
        ..early_2026()
    };
    let first = book.find_touchpoints(&portal, None, Some(4)).unwrap();
    let times: Vec<DateTime<Utc>> = first.touchpoints.iter().map(|t| t.at).collect();
    assert_eq!(times, [on(1, 5), on(1, 7), on(1, 20), on(2, 3)]);
    let second = book
        .find_touchpoints(&portal, first.next_cursor.clone(), Some(4))
        .unwrap();
    let times: Vec<DateTime<Utc>> = second.touchpoints.iter().map(|t| t.at).collect();
    assert_eq!(times, [on(2, 10), on(2, 11)]);
    assert_eq!(second.next_cursor, None);
    assert!(
        book.find_touchpoints(&portal, Some("nonsense".into()), None)
            .is_err()
    );

    let visits = book
        .find_entries(
            &BookFilter {
                kinds: vec![EntryKind::Visit],
                technician_id: Some(co.t1),
                ..BookFilter::default()
            },
            None,
            Some(2),
        )
        .unwrap();
    let times: Vec<DateTime<Utc>> = visits.entries.iter().map(|e| e.at()).collect();
    assert_eq!(times, [on(1, 17), on(1, 10)], "newest first");
    let rest = book
        .find_entries(
            &BookFilter {
                kinds: vec![EntryKind::Visit],
                technician_id: Some(co.t1),
                ..BookFilter::default()
            },
            visits.next_cursor,
            Some(2),
        )
        .unwrap();
    assert_eq!(rest.entries.len(), 1);
    assert_eq!(rest.next_cursor, None);
    let of_c = book
        .find_entries(
            &BookFilter {
                customer_kinds: vec![CustomerKind::Residential],
                tags: vec!["vip".into()],
                ..BookFilter::default()
            },
            None,
            None,
        )
        .unwrap();
    assert!(
        of_c.entries.iter().all(|e| e.customer_id() == co.a.id) && of_c.entries.len() == 3,
        "A's three visits"
    );
}

/// The company's receivables: total, aging across customers, top debtors.
pub fn receivables_sum_every_customers_aging_and_rank_debtors(book: &Book) {
    let make = |name: &str| {
        book.create_customer(NewCustomer::new(CustomerKind::Residential, name), &office())
            .unwrap()
    };
    let (a, b, c, d) = (make("A"), make("B"), make("C"), make("D"));
    let invoice = |customer: &Customer, number: &str, due: NaiveDate, cents: i64| {
        book.add_invoice(
            Invoice::new(
                customer.id,
                number,
                due - Duration::days(15),
                due,
                vec![InvoiceLine::new(
                    "service",
                    Decimal::ONE,
                    Decimal::new(cents, 2),
                )],
            ),
            &office(),
        )
        .unwrap()
    };
    invoice(&a, "1", day(1, 15), 10000); // 45 days past due on 1 March
    let owed_b = invoice(&b, "2", day(2, 20), 20000); // 9 days past due
    book.record_payment(
        Payment::new(b.id, day(2, 25), Decimal::new(5000, 2), PaymentMethod::Card)
            .applied_to(owed_b.id, Decimal::new(5000, 2)),
        &office(),
    )
    .unwrap();
    invoice(&c, "3", day(3, 10), 8000); // not yet due
    let paid_d = invoice(&d, "4", day(1, 10), 3000);
    book.record_payment(
        Payment::new(d.id, day(1, 9), Decimal::new(3000, 2), PaymentMethod::Cash)
            .applied_to(paid_d.id, Decimal::new(3000, 2)),
        &office(),
    )
    .unwrap();

    let report = book.receivables(day(3, 1), Some(2)).unwrap();
    let cents = |n: i64| Decimal::new(n, 2);
    assert_eq!(report.total_owed, cents(33000));
    assert_eq!(
        (
            report.current,
            report.days_1_30,
            report.days_31_60,
            report.days_61_90,
            report.over_90
        ),
        (cents(8000), cents(15000), cents(10000), cents(0), cents(0))
    );
    assert_eq!(report.customers_owing, 3);
    let top: Vec<(&str, Decimal, Decimal, i64)> = report
        .top_debtors
        .iter()
        .map(|d| {
            (
                d.display_name.as_str(),
                d.owed,
                d.over_30,
                d.oldest_days_past_due,
            )
        })
        .collect();
    assert_eq!(
        top,
        [
            ("B", cents(15000), cents(0), 9),
            ("A", cents(10000), cents(10000), 45)
        ]
    );
    assert!(book.receivables(day(3, 1), Some(5000)).is_err());
}
