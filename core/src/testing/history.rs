//! Conformance cases for the customer's history: visits and their
//! readings, the ledger, messages, issues, notes and feedback; the timeline,
//! its cursor and its notable changes; target profiles; the stop card; the
//! day's route.

use super::revealed;
use crate::{
    AccessDetails, Address, Author, BodyOfWater, Book, ChangeAction, ChemicalDose, Contact,
    ContactChannel, ContactRole, Credit, CreditKind, Customer, CustomerKind, CustomerPatch,
    Direction, DoseUnit, Entry, EntryKind, Error, Feedback, Frequency, Invoice, InvoiceLine, Issue,
    IssueCategory, IssueStatus, LifecycleStatus, Message, NewCustomer, NewTechnician, Note,
    Payment, PaymentMethod, Pet, PetTemperament, Preferences, Sanitizer, Secret, SecretField,
    ServiceLocation, ServicePlan, SkipReason, Technician, Visit, VisitNotice, VisitOutcome,
    WaterKind, Weekday,
};
use crate::{CsiMethod, Level, Parameter, Readings};
use crate::{TimelineItem, TimelineQuery};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;

struct Fixture<'a> {
    book: &'a Book,
    customer: Customer,
    tech: Technician,
}

fn office() -> Author {
    Author::office("dana")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

fn money(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

fn plan(tech: &Technician, frequency: Frequency, weekday: Weekday) -> ServicePlan {
    ServicePlan {
        frequency,
        preferred_weekday: Some(weekday),
        technician_id: Some(tech.id),
        starts_on: day(2026, 1, 5),
        ends_on: None,
    }
}

fn location(street: &str, plan: Option<ServicePlan>) -> ServiceLocation {
    let mut location =
        ServiceLocation::new(Address::new(street, "Springfield", "IL", "62704", "US"))
            .with_body_of_water(
                BodyOfWater::new("Pool", WaterKind::Pool, Sanitizer::Salt).with_gallons(15_000.0),
            )
            .with_body_of_water(
                BodyOfWater::new("Spa", WaterKind::Spa, Sanitizer::Chlorine).with_gallons(500.0),
            );
    location.service_plan = plan;
    location
}

fn fixture(book: &Book) -> Fixture<'_> {
    let tech = book
        .add_technician(NewTechnician::new("Ana Reyes"), &office())
        .unwrap();
    let owner = Contact::new("Maria Lopez", ContactRole::Owner).with_phone("555 010 2233", true);
    let mut home = location(
        "1420 Oak Street",
        Some(plan(&tech, Frequency::Weekly, Weekday::Tuesday)),
    );
    home.access = AccessDetails {
        gate_code: Some(Secret::new("4417#", "gate_code").unwrap()),
        pets: vec![Pet {
            name: "Rex".into(),
            kind: "dog".into(),
            temperament: PetTemperament::Aggressive,
        }],
        hazards: vec!["loose pool cover".into()],
        notes: Some("side gate sticks".into()),
        ..AccessDetails::default()
    };
    home.special_instructions = Some("check the salt cell".into());
    let mut new = NewCustomer::new(CustomerKind::Residential, "Maria Lopez")
        .with_contact(owner.clone())
        .with_location(home);
    new.preferences = Preferences {
        notify_before_visit: Some(VisitNotice {
            channel: ContactChannel::Sms,
            contact_id: owner.id,
            lead_time_minutes: 30,
        }),
        ..Preferences::default()
    };
    let customer = book.create_customer(new, &office()).unwrap();
    Fixture {
        book,
        customer,
        tech,
    }
}

fn readings(ph: f64, free_chlorine: f64) -> Readings {
    Readings {
        free_chlorine: Some(free_chlorine),
        ph: Some(ph),
        total_alkalinity: Some(70.0),
        calcium_hardness: Some(350.0),
        cyanuric_acid: Some(50.0),
        salt: Some(1000.0),
        temperature_f: Some(80.0),
        ..Readings::default()
    }
}

fn history_len(book: &Book, customer: &Customer) -> usize {
    book.timeline(&TimelineQuery {
        customer_id: Some(customer.id),
        limit: Some(1000),
        ..Default::default()
    })
    .unwrap()
    .items
    .len()
}

/// Visits record readings doses and every skip reason.
pub fn visits_record_readings_doses_and_every_skip_reason(book: &Book) {
    let f = fixture(book);
    let home = &f.customer.locations[0];
    let pool = &home.bodies_of_water[0];
    let mut visit = Visit::completed(f.customer.id, home.id, at(2026, 3, 3, 15));
    visit.body_of_water_id = Some(pool.id);
    visit.technician_id = Some(f.tech.id);
    visit.readings = readings(7.5, 3.0);
    visit.chemicals = vec![ChemicalDose {
        product: " liquid chlorine 12.5% ".into(),
        amount: 64.0,
        unit: DoseUnit::FluidOunces,
    }];
    visit.tasks = vec!["brushed".into(), "emptied baskets".into()];
    visit.photos = vec!["https://photos.example/1.jpg".into()];
    visit.duration_minutes = Some(25);
    let recorded = f
        .book
        .record_visit(visit.clone(), &Author::technician(f.tech.id))
        .unwrap();
    assert_eq!(recorded.chemicals[0].product, "liquid chlorine 12.5%");
    let stored = f.book.entry(visit.id).unwrap();
    assert_eq!(stored.entry, Entry::Visit(recorded));
    assert_eq!(stored.author, Author::technician(f.tech.id));

    for (n, reason) in SkipReason::ALL.iter().enumerate() {
        let skipped = Visit::skipped(
            f.customer.id,
            home.id,
            at(2026, 3, 10 + n as u32, 9),
            *reason,
        );
        let recorded = f.book.record_visit(skipped, &office()).unwrap();
        match f.book.entry(recorded.id).unwrap().entry {
            Entry::Visit(visit) => {
                assert_eq!(visit.outcome, VisitOutcome::Skipped);
                assert_eq!(visit.skip_reason, Some(*reason));
            }
            other => panic!("expected a visit, got {other:?}"),
        }
    }
    assert_eq!(history_len(f.book, &f.customer), 1 + SkipReason::ALL.len());
}

/// Bad visits are refused and the book is unchanged.
pub fn bad_visits_are_refused_and_the_book_is_unchanged(book: &Book) {
    let f = fixture(book);
    let home = &f.customer.locations[0];
    let other = f
        .book
        .create_customer(
            NewCustomer::new(CustomerKind::Residential, "Other")
                .with_location(location("9 Elm Dr", None)),
            &office(),
        )
        .unwrap();
    let when = at(2026, 3, 3, 15);
    let cases: Vec<(Visit, &str, &str)> = vec![
        (
            {
                let mut v = Visit::completed(f.customer.id, home.id, when);
                v.body_of_water_id = Some(home.bodies_of_water[0].id);
                v.readings.ph = Some(15.0);
                v
            },
            "readings.ph",
            "",
        ),
        (
            {
                let mut v = Visit::completed(f.customer.id, home.id, when);
                v.body_of_water_id = Some(home.bodies_of_water[0].id);
                v.readings.free_chlorine = Some(-1.0);
                v
            },
            "readings.free_chlorine",
            "",
        ),
        (
            {
                let mut v = Visit::completed(f.customer.id, home.id, when);
                v.readings.ph = Some(7.4);
                v
            },
            "body_of_water_id",
            "has 2 bodies of water; say which one",
        ),
        (
            {
                let mut v = Visit::completed(f.customer.id, home.id, when);
                v.outcome = VisitOutcome::Skipped;
                v
            },
            "skip_reason",
            "needs a reason",
        ),
        (
            {
                let mut v = Visit::completed(f.customer.id, home.id, when);
                v.skip_reason = Some(SkipReason::Weather);
                v
            },
            "skip_reason",
            "no skip reason",
        ),
        (
            Visit::completed(f.customer.id, other.locations[0].id, when),
            "location_id",
            "not a live location",
        ),
        (
            {
                let mut v = Visit::completed(f.customer.id, home.id, when);
                v.body_of_water_id = Some(other.locations[0].bodies_of_water[0].id);
                v
            },
            "body_of_water_id",
            "not at this location",
        ),
        (
            {
                let mut v = Visit::completed(f.customer.id, home.id, when);
                v.chemicals.push(ChemicalDose {
                    product: "acid".into(),
                    amount: 0.0,
                    unit: DoseUnit::Gallons,
                });
                v
            },
            "chemicals[0].amount",
            "positive",
        ),
        (
            {
                let mut v = Visit::completed(f.customer.id, home.id, when);
                v.photos.push("not a uri".into());
                v
            },
            "photos[0]",
            "URI",
        ),
        (
            {
                let mut v = Visit::completed(f.customer.id, home.id, when);
                v.duration_minutes = Some(0);
                v
            },
            "duration_minutes",
            "between",
        ),
        (
            {
                let mut v = Visit::completed(f.customer.id, home.id, when);
                v.technician_id = Some(crate::TechnicianId::new());
                v
            },
            "technician_id",
            "no technician",
        ),
    ];
    for (visit, field, words) in cases {
        match f.book.record_visit(visit, &office()).unwrap_err() {
            Error::Invalid {
                field: got,
                problem,
                ..
            } => {
                assert_eq!(got, field);
                assert!(problem.contains(words), "{field}: {problem}");
            }
            other => panic!("{field}: expected Invalid, got {other:?}"),
        }
    }
    assert_eq!(history_len(f.book, &f.customer), 0);
}

/// One refusal names every bad field of a visit, in field order, and the
/// book is unchanged.
pub fn a_visit_with_several_bad_fields_reports_them_all(book: &Book) {
    let f = fixture(book);
    let home = &f.customer.locations[0];
    let mut visit = Visit::completed(f.customer.id, home.id, at(2026, 3, 3, 15));
    visit.readings.ph = Some(15.0);
    visit.readings.salt = Some(-3.0);
    visit.skip_reason = Some(SkipReason::Weather);
    visit.duration_minutes = Some(0);
    let error = f.book.record_visit(visit, &office()).unwrap_err();
    let fields: Vec<String> = error.problems().into_iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        [
            "body_of_water_id",
            "skip_reason",
            "readings.ph",
            "readings.salt",
            "duration_minutes"
        ]
    );
    let message = error.to_string();
    assert!(
        message.starts_with("invalid body_of_water_id: ")
            && message.contains("; invalid readings.salt: must not be negative"),
        "{message}"
    );
    assert_eq!(history_len(f.book, &f.customer), 0);
}

/// A pools readings form a series for trend charts.
pub fn a_pools_readings_form_a_series_for_trend_charts(book: &Book) {
    let f = fixture(book);
    let home = &f.customer.locations[0];
    let pool = home.bodies_of_water[0].id;
    for (n, ph) in [7.2, 7.5, 7.8].iter().enumerate() {
        let mut visit = Visit::completed(f.customer.id, home.id, at(2026, 3, 3 + 7 * n as u32, 15));
        visit.body_of_water_id = Some(pool);
        visit.readings = readings(*ph, 3.0);
        f.book.record_visit(visit, &office()).unwrap();
    }
    let mut skipped = Visit::skipped(
        f.customer.id,
        home.id,
        at(2026, 3, 30, 9),
        SkipReason::DogOut,
    );
    skipped.body_of_water_id = Some(pool);
    f.book.record_visit(skipped, &office()).unwrap();
    let series = f.book.readings_series(pool, None, None).unwrap();
    assert_eq!(
        series
            .iter()
            .map(|p| p.readings.ph.unwrap())
            .collect::<Vec<_>>(),
        [7.2, 7.5, 7.8]
    );
    assert!(series.windows(2).all(|w| w[0].at < w[1].at));
    let middle = series[1].saturation_index.unwrap();
    assert!(
        (middle - -0.18).abs() <= 0.01,
        "CSI of the issue's first vector: {middle}"
    );
    assert!(
        series[0].saturation_index.unwrap() < middle
            && middle < series[2].saturation_index.unwrap()
    );

    f.book.archive_entry(series[0].visit_id, &office()).unwrap();
    assert_eq!(
        f.book.readings_series(pool, None, None).unwrap().len(),
        2,
        "an archived visit leaves the series"
    );
    let since = f
        .book
        .readings_series(pool, Some(at(2026, 3, 17, 0)), None)
        .unwrap();
    assert_eq!(since.len(), 1);
}

/// The ledger derives balances statements and aging.
pub fn the_ledger_derives_balances_statements_and_aging(book: &Book) {
    let f = fixture(book);
    let id = f.customer.id;
    let march = f
        .book
        .add_invoice(
            Invoice::new(
                id,
                "1001",
                day(2026, 3, 1),
                day(2026, 3, 16),
                vec![InvoiceLine::new(
                    "Weekly service, March",
                    Decimal::from(4),
                    money(3125),
                )],
            ),
            &office(),
        )
        .unwrap();
    let april = f
        .book
        .add_invoice(
            Invoice::new(
                id,
                "1002",
                day(2026, 4, 1),
                day(2026, 4, 16),
                vec![InvoiceLine::new(
                    "Weekly service, April",
                    Decimal::from(4),
                    money(3125),
                )],
            ),
            &office(),
        )
        .unwrap();
    assert_eq!(f.book.balance(id).unwrap(), money(25000));
    // A partial payment on March's invoice.
    f.book
        .record_payment(
            Payment::new(id, day(2026, 3, 20), money(5000), PaymentMethod::Check)
                .applied_to(march.id, money(5000)),
            &office(),
        )
        .unwrap();
    let balances = f.book.invoice_balances(id).unwrap();
    assert_eq!(balances[0].remaining, money(7500));
    assert_eq!(balances[1].remaining, money(12500));
    assert_eq!(f.book.balance(id).unwrap(), money(20000));

    // A statement for April carries March's remainder in its opening balance.
    let statement = f
        .book
        .statement(id, day(2026, 4, 1), day(2026, 4, 30))
        .unwrap();
    assert_eq!(statement.opening_balance, money(7500));
    assert_eq!(statement.lines.len(), 1);
    assert_eq!(statement.closing_balance, money(20000));

    // On 20 May, March is 65 days past due and April 34.
    let aging = f.book.aging(id, day(2026, 5, 20)).unwrap();
    assert_eq!(
        (aging.current, aging.days_31_60, aging.days_61_90),
        (Decimal::ZERO, money(12500), money(7500))
    );

    let error = f
        .book
        .add_invoice(
            Invoice::new(
                id,
                "1002",
                day(2026, 5, 1),
                day(2026, 5, 16),
                vec![InvoiceLine::new("dup", Decimal::ONE, money(100))],
            ),
            &office(),
        )
        .unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "number"),
        "{error}"
    );
    let error = f
        .book
        .record_payment(
            Payment::new(id, day(2026, 5, 2), money(1000), PaymentMethod::Cash)
                .applied_to(april.id, money(2000)),
            &office(),
        )
        .unwrap_err();
    assert!(matches!(&error, Error::Invalid { .. }), "{error}");
    let credit = Credit::new(
        id,
        day(2026, 5, 3),
        CreditKind::Credit,
        money(1000),
        "goodwill: green pool",
    );
    f.book.add_credit(credit, &office()).unwrap();
    assert_eq!(f.book.balance(id).unwrap(), money(19000));
}

/// Messages issues notes and feedback join the history.
pub fn messages_issues_notes_and_feedback_join_the_history(book: &Book) {
    let f = fixture(book);
    let id = f.customer.id;
    let contact = f.customer.contacts[0].id;
    let mut text = Message::new(
        id,
        ContactChannel::Sms,
        Direction::Outbound,
        "On my way, 15 min",
    );
    text.contact_id = Some(contact);
    f.book.record_message(text, &office()).unwrap();
    let mut stray = Message::new(id, ContactChannel::Sms, Direction::Inbound, "hi");
    stray.contact_id = Some(crate::ContactId::new());
    assert!(
        matches!(f.book.record_message(stray, &office()), Err(Error::Invalid { ref field, .. }) if field == "contact_id")
    );

    let issue = f
        .book
        .open_issue(
            Issue::new(id, IssueCategory::Equipment, "Pump is loud"),
            &office(),
        )
        .unwrap();
    let resolved = f
        .book
        .resolve_issue(issue.id, "Replaced the bearings", &office())
        .unwrap();
    assert_eq!(resolved.status, IssueStatus::Resolved);
    assert_eq!(
        resolved.resolution.as_deref(),
        Some("Replaced the bearings")
    );
    assert!(resolved.resolved_at.is_some());
    let error = f
        .book
        .resolve_issue(issue.id, "again", &office())
        .unwrap_err();
    assert!(error.to_string().contains("already resolved"), "{error}");

    f.book
        .add_note(Note::new(id, "Prefers the blue chlorine tabs"), &office())
        .unwrap();
    for rating in [0, 6] {
        let error = f
            .book
            .record_feedback(Feedback::new(id, rating), &office())
            .unwrap_err();
        assert!(
            matches!(&error, Error::Invalid { field, .. } if field == "rating"),
            "{error}"
        );
    }
    let mut feedback = Feedback::new(id, 5);
    feedback.comment = Some("Sparkling!".into());
    f.book.record_feedback(feedback, &office()).unwrap();

    let kinds: Vec<EntryKind> = f
        .book
        .timeline(&TimelineQuery {
            customer_id: Some(id),
            ..Default::default()
        })
        .unwrap()
        .items
        .iter()
        .map(|item| match item {
            TimelineItem::Entry { entry, .. } => entry.kind(),
            other => panic!("only entries were recorded or asked for: {other:?}"),
        })
        .collect();
    assert_eq!(kinds.len(), 4);
    assert!(kinds.contains(&EntryKind::Message) && kinds.contains(&EntryKind::Issue));
    assert!(kinds.contains(&EntryKind::Note) && kinds.contains(&EntryKind::Feedback));
}

/// The timeline pages through equal times without skipping or repeating.
pub fn the_timeline_pages_through_equal_times_without_skipping_or_repeating(book: &Book) {
    let f = fixture(book);
    let id = f.customer.id;
    let same_time = at(2026, 6, 1, 12);
    let mut written = Vec::new();
    for n in 0..10 {
        let mut note = Note::new(id, format!("note {n}"));
        note.at = same_time;
        written.push(f.book.add_note(note, &office()).unwrap().id);
    }
    let mut earlier = Note::new(id, "earlier");
    earlier.at = same_time - Duration::hours(1);
    let earlier = f.book.add_note(earlier, &office()).unwrap().id;

    let mut seen = Vec::new();
    let mut query = TimelineQuery {
        customer_id: Some(id),
        limit: Some(3),
        ..Default::default()
    };
    loop {
        let page = f.book.timeline(&query).unwrap();
        seen.extend(page.items.iter().map(|item| match item {
            TimelineItem::Entry { entry, .. } => entry.id(),
            other => panic!("only notes were recorded: {other:?}"),
        }));
        match page.next_cursor {
            Some(cursor) => query.cursor = Some(cursor),
            None => break,
        }
    }
    assert_eq!(seen.len(), 11);
    let mut expected = written.clone();
    expected.sort();
    expected.reverse();
    expected.push(earlier);
    assert_eq!(
        seen, expected,
        "newest first; equal times in one fixed order"
    );

    let only_range = f
        .book
        .timeline(&TimelineQuery {
            customer_id: Some(id),
            until: Some(same_time),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(only_range.items.len(), 1);
    let error = f
        .book
        .timeline(&TimelineQuery {
            customer_id: Some(id),
            cursor: Some("garbage".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert!(matches!(&error, Error::Invalid { field, .. } if field == "cursor"));
    let error = f.book.timeline(&TimelineQuery::default()).unwrap_err();
    assert!(error.to_string().contains("exactly one"), "{error}");
}

/// The timeline can include notable changes without secret values.
pub fn the_timeline_can_include_notable_changes_without_secret_values(book: &Book) {
    let f = fixture(book);
    let id = f.customer.id;
    let mut locations = f.customer.locations.clone();
    locations[0].access.gate_code = Some(Secret::new("9090*", "gate_code").unwrap());
    let updated = f
        .book
        .update_customer(
            id,
            1,
            CustomerPatch {
                locations: Some(locations),
                ..Default::default()
            },
            &office(),
        )
        .unwrap();
    let mut billing = updated.billing.clone();
    billing.rate = Some(money(14000));
    f.book
        .update_customer(
            id,
            2,
            CustomerPatch {
                billing: Some(billing),
                ..Default::default()
            },
            &office(),
        )
        .unwrap();
    f.book
        .add_note(Note::new(id, "rate raised for 2026"), &office())
        .unwrap();

    let page = f
        .book
        .timeline(&TimelineQuery {
            customer_id: Some(id),
            include_changes: true,
            ..Default::default()
        })
        .unwrap();
    let fields: Vec<String> = page
        .items
        .iter()
        .filter_map(|item| match item {
            TimelineItem::Change(change) if change.action == ChangeAction::Updated => Some(
                change
                    .changes
                    .iter()
                    .map(|c| c.field.clone())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            _ => None,
        })
        .collect();
    assert_eq!(fields, ["billing.rate", "access.gate_code"], "newest first");
    assert!(
        page.items.iter().all(
            |item| !matches!(item, TimelineItem::Change(c) if c.action == ChangeAction::Created)
        ),
        "creating the record is not a change"
    );
    assert_eq!(page.items.len(), 3);
    assert!(!format!("{page:?}").contains("9090*"));
    assert!(
        matches!(page.items[0], TimelineItem::Entry { .. }),
        "the note is newest"
    );
    let without = f
        .book
        .timeline(&TimelineQuery {
            customer_id: Some(id),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(without.items.len(), 1);
}

/// The stop card has everything needed at the gate.
pub fn the_stop_card_has_everything_needed_at_the_gate(book: &Book) {
    let f = fixture(book);
    let id = f.customer.id;
    let home = &f.customer.locations[0];
    let pool = home.bodies_of_water[0].id;
    let mut visit = Visit::completed(id, home.id, at(2026, 3, 3, 15));
    visit.body_of_water_id = Some(pool);
    visit.readings = Readings {
        free_chlorine: Some(0.5),
        ..readings(7.5, 0.5)
    };
    f.book.record_visit(visit, &office()).unwrap();
    let last = f
        .book
        .record_visit(
            Visit::skipped(id, home.id, at(2026, 3, 10, 9), SkipReason::LockedGate),
            &office(),
        )
        .unwrap();
    let mut issue = Issue::new(id, IssueCategory::WaterQuality, "Cloudy water");
    issue.location_id = Some(home.id);
    f.book.open_issue(issue, &office()).unwrap();
    f.book
        .add_invoice(
            Invoice::new(
                id,
                "2001",
                day(2026, 1, 1),
                day(2026, 1, 16),
                vec![InvoiceLine::new("January", Decimal::ONE, money(12500))],
            ),
            &office(),
        )
        .unwrap();

    let card = f.book.stop_card(home.id).unwrap();
    assert_eq!(card.customer_name, "Maria Lopez");
    assert_eq!(card.pets[0].name, "Rex");
    assert_eq!(card.hazards, ["loose pool cover"]);
    assert_eq!(card.access_notes.as_deref(), Some("side gate sticks"));
    assert!(card.gate_code.as_ref().unwrap().is_sealed());
    assert_eq!(
        revealed(f.book, home.id, SecretField::GateCode).as_deref(),
        Some("4417#")
    );
    assert_eq!(
        card.notify_before_visit.as_ref().unwrap().lead_time_minutes,
        30
    );
    assert_eq!(
        card.notify_contact.as_ref().unwrap().phones[0].number,
        "+15550102233"
    );
    assert_eq!(
        card.special_instructions.as_deref(),
        Some("check the salt cell")
    );
    assert_eq!(card.bodies_of_water.len(), 2);
    let pool_reading = card.bodies_of_water[0].last_reading.as_ref().unwrap();
    assert!((pool_reading.saturation_index.as_ref().unwrap().value - -0.18).abs() <= 0.01);
    let chlorine = pool_reading
        .flags
        .iter()
        .find(|flag| flag.parameter == Parameter::FreeChlorine)
        .unwrap();
    assert_eq!(chlorine.level, Level::Low);
    let spa_card = &card.bodies_of_water[1];
    assert!(spa_card.last_reading.is_none());
    assert!(shown_has_no_readings(&card.to_string()));
    assert_eq!(card.open_issues.len(), 1);
    assert_eq!(card.balance, money(12500));
    assert!(card.overdue);
    let summary = card.last_visit.as_ref().unwrap();
    assert_eq!(
        (summary.visit_id, summary.skip_reason),
        (last.id, Some(SkipReason::LockedGate))
    );
    let shown = card.to_string();
    assert!(
        shown.find("PET").unwrap() < shown.find("gate").unwrap(),
        "pets come first:\n{shown}"
    );
    assert!(
        !shown.contains("4417#"),
        "the card's text does not reveal secrets:\n{shown}"
    );
}

/// The days route follows the plans.
pub fn the_days_route_follows_the_plans(book: &Book) {
    let f = fixture(book);
    let tech = &f.tech;
    let make = |name: &str, status: LifecycleStatus, frequency: Frequency, weekday: Weekday| {
        let mut new = NewCustomer::new(CustomerKind::Residential, name).with_location(location(
            &format!("{name} Street"),
            Some(plan(tech, frequency, weekday)),
        ));
        new.status = status;
        f.book.create_customer(new, &office()).unwrap()
    };
    make(
        "Biweekly",
        LifecycleStatus::Active,
        Frequency::Biweekly,
        Weekday::Tuesday,
    );
    make(
        "Monthly",
        LifecycleStatus::Active,
        Frequency::Monthly,
        Weekday::Tuesday,
    );
    make(
        "Oncall",
        LifecycleStatus::Active,
        Frequency::OnCall,
        Weekday::Tuesday,
    );
    make(
        "Paused",
        LifecycleStatus::Paused,
        Frequency::Weekly,
        Weekday::Tuesday,
    );
    let archived = make(
        "Archived",
        LifecycleStatus::Active,
        Frequency::Weekly,
        Weekday::Tuesday,
    );
    f.book.archive_customer(archived.id, 1, &office()).unwrap();
    make(
        "Wednesday",
        LifecycleStatus::Active,
        Frequency::Weekly,
        Weekday::Wednesday,
    );

    let names = |date: NaiveDate| -> Vec<String> {
        let mut names: Vec<String> = f
            .book
            .route(tech.id, date)
            .unwrap()
            .stops
            .into_iter()
            .map(|s| s.customer_name)
            .collect();
        names.sort();
        names
    };
    // Plans start Monday 5 Jan 2026: Tuesdays are 6, 13, 20 Jan, 3 Feb.
    assert_eq!(
        names(day(2026, 1, 6)),
        ["Biweekly", "Maria Lopez", "Monthly"]
    );
    assert_eq!(names(day(2026, 1, 13)), ["Maria Lopez"]);
    assert_eq!(names(day(2026, 1, 20)), ["Biweekly", "Maria Lopez"]);
    assert_eq!(
        names(day(2026, 2, 3)),
        ["Biweekly", "Maria Lopez", "Monthly"]
    );
    assert_eq!(names(day(2026, 1, 7)), ["Wednesday"]);
    assert!(
        names(day(2025, 12, 30)).is_empty(),
        "before the plans start"
    );
    let route = f.book.route(tech.id, day(2026, 1, 13)).unwrap();
    assert_eq!(
        route.stops[0].gate_code,
        f.book
            .stop_card(route.stops[0].location_id)
            .unwrap()
            .gate_code,
        "the route carries whole stop cards"
    );
    assert!(route.stops[0].gate_code.as_ref().unwrap().is_sealed());
}

/// Target profiles are editable and judge the readings.
pub fn target_profiles_are_editable_and_judge_the_readings(book: &Book) {
    let f = fixture(book);
    let home = &f.customer.locations[0];
    let defaults = f.book.target_profiles().unwrap();
    assert!(defaults.iter().any(|p| p.name == "Salt-water pool"));
    let mut visit = Visit::completed(f.customer.id, home.id, at(2026, 3, 3, 15));
    visit.body_of_water_id = Some(home.bodies_of_water[0].id);
    visit.readings = readings(7.5, 3.0);
    f.book.record_visit(visit, &office()).unwrap();
    let level = |book: &Book, parameter: Parameter| {
        let card = book.stop_card(home.id).unwrap();
        let pool = card.bodies_of_water[0].last_reading.clone().unwrap();
        assert_eq!(pool.profile.as_deref(), Some("Salt-water pool"));
        pool.flags
            .iter()
            .find(|flag| flag.parameter == parameter)
            .map(|flag| flag.level)
    };
    assert_eq!(level(f.book, Parameter::Ph), Some(Level::Ok));

    // This company runs salt pools at pH 7.6–8.0.
    let mut salt = defaults
        .iter()
        .find(|p| p.name == "Salt-water pool")
        .unwrap()
        .clone();
    salt.ranges
        .insert(Parameter::Ph, crate::TargetRange::new(7.6, 8.0, 7.8));
    f.book.put_target_profile(salt.clone(), &office()).unwrap();
    assert_eq!(level(f.book, Parameter::Ph), Some(Level::Low));
    let stored = f.book.target_profiles().unwrap();
    assert_eq!(
        stored.len(),
        defaults.len(),
        "editing one profile keeps the others"
    );
    assert!(stored.contains(&salt));

    let mut broken = salt.clone();
    broken
        .ranges
        .insert(Parameter::Ph, crate::TargetRange::new(8.0, 7.0, 7.5));
    let error = f.book.put_target_profile(broken, &office()).unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "ranges.ph"),
        "{error}"
    );
    assert!(
        f.book.target_profiles().unwrap().contains(&salt),
        "the refused edit changed nothing"
    );
}

fn shown_has_no_readings(card: &str) -> bool {
    card.lines()
        .any(|line| line.contains("Spa (spa, chlorine)  no readings yet"))
}

/// Any visit can be judged by either saturation method.
pub fn any_visit_can_be_judged_by_either_saturation_method(book: &Book) {
    let f = fixture(book);
    let home = &f.customer.locations[0];
    let mut visit = Visit::completed(f.customer.id, home.id, at(2026, 3, 3, 15));
    visit.body_of_water_id = Some(home.bodies_of_water[0].id);
    visit.readings = Readings {
        cyanuric_acid: Some(40.0),
        salt: None,
        total_alkalinity: Some(100.0),
        calcium_hardness: Some(300.0),
        ..readings(7.5, 3.0)
    };
    let visit = f.book.record_visit(visit, &office()).unwrap();
    let tfp = f.book.assess_visit(visit.id, CsiMethod::Tfp).unwrap();
    let index = tfp.saturation_index.unwrap();
    assert_eq!(index.method, CsiMethod::Tfp);
    assert!(
        (index.value - 0.04).abs() <= 0.01,
        "the issue's second vector: {}",
        index.value
    );
    let classic = f.book.assess_visit(visit.id, CsiMethod::Classic).unwrap();
    assert_eq!(classic.saturation_index.unwrap().method, CsiMethod::Classic);
    assert_eq!(classic.profile.as_deref(), Some("Salt-water pool"));
    assert!(
        classic
            .flags
            .iter()
            .any(|flag| flag.parameter == Parameter::Ph && flag.level == Level::Ok)
    );

    let mut untested = Visit::completed(f.customer.id, home.id, at(2026, 3, 10, 15));
    untested.body_of_water_id = Some(home.bodies_of_water[0].id);
    untested.readings = Readings {
        ph: Some(7.4),
        ..Readings::default()
    };
    let untested = f.book.record_visit(untested, &office()).unwrap();
    let partial = f.book.assess_visit(untested.id, CsiMethod::Tfp).unwrap();
    assert!(partial.saturation_index.is_none());
    let note = partial.saturation_note.unwrap();
    assert!(
        note.contains("needs total alkalinity, calcium hardness, temperature"),
        "{note}"
    );

    let whole_site = f
        .book
        .record_visit(
            Visit::completed(f.customer.id, home.id, at(2026, 3, 11, 9)),
            &office(),
        )
        .unwrap();
    let error = f
        .book
        .assess_visit(whole_site.id, CsiMethod::Tfp)
        .unwrap_err();
    assert!(error.to_string().contains("no body of water"), "{error}");
}

/// Timelines filter by kind and a locations history follows it to a new owner.
pub fn timelines_filter_by_kind_and_a_locations_history_follows_it_to_a_new_owner(book: &Book) {
    let f = fixture(book);
    let home = &f.customer.locations[0];
    f.book
        .record_visit(
            Visit::completed(f.customer.id, home.id, at(2026, 3, 3, 15)),
            &office(),
        )
        .unwrap();
    f.book
        .add_note(Note::new(f.customer.id, "gate sticks in winter"), &office())
        .unwrap();
    let kinds = |query: TimelineQuery| -> Vec<EntryKind> {
        f.book
            .timeline(&query)
            .unwrap()
            .items
            .iter()
            .map(|item| match item {
                TimelineItem::Entry { entry, .. } => entry.kind(),
                other => panic!("only entries were recorded or asked for: {other:?}"),
            })
            .collect()
    };
    let only_visits = TimelineQuery {
        customer_id: Some(f.customer.id),
        kinds: vec![EntryKind::Visit],
        ..Default::default()
    };
    assert_eq!(kinds(only_visits), [EntryKind::Visit]);

    let buyer = f
        .book
        .create_customer(
            NewCustomer::new(CustomerKind::Residential, "New Owner"),
            &office(),
        )
        .unwrap();
    f.book
        .transfer_location(home.id, buyer.id, &office())
        .unwrap();
    f.book
        .record_visit(
            Visit::completed(buyer.id, home.id, at(2026, 4, 7, 15)),
            &office(),
        )
        .unwrap();
    let location = TimelineQuery {
        location_id: Some(home.id),
        ..Default::default()
    };
    assert_eq!(
        kinds(location),
        [EntryKind::Visit, EntryKind::Visit],
        "the pool's history stays with the pool"
    );
    let seller = TimelineQuery {
        customer_id: Some(f.customer.id),
        ..Default::default()
    };
    assert_eq!(
        kinds(seller),
        [EntryKind::Note, EntryKind::Visit],
        "the seller keeps what happened while it was theirs"
    );
    let error = f
        .book
        .record_visit(
            Visit::completed(f.customer.id, home.id, at(2026, 4, 8, 9)),
            &office(),
        )
        .unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "location_id"),
        "{error}"
    );
}

/// The book's time zone: set by IANA name (a bad name refused, naming the
/// field), logged, and used for "today": an invoice due yesterday in the
/// book's zone is overdue on the stop card even where it is not yet due in
/// UTC, and not where the book's day is earlier.
pub fn the_stop_card_reckons_today_in_the_books_time_zone(book: &Book) {
    let f = fixture(book);
    assert_eq!(f.book.time_zone().unwrap(), "UTC");
    let error = f.book.set_time_zone("Mars/Olympus", &office()).unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "time_zone"),
        "{error}"
    );
    // At any instant Kiritimati (UTC+14) is at least a day ahead of Pago Pago
    // (UTC-11): an invoice due the day before Kiritimati's today is overdue
    // there and not yet due in Pago Pago.
    // Kiritimati has kept UTC+14 all year since 1995.
    let ahead = chrono::FixedOffset::east_opt(14 * 3600).unwrap();
    let due = Utc::now().with_timezone(&ahead).date_naive() - Duration::days(1);
    let invoice = Invoice::new(
        f.customer.id,
        "TZ-1",
        due,
        due,
        vec![InvoiceLine::new(
            "Weekly service",
            Decimal::ONE,
            money(15000),
        )],
    );
    f.book.add_invoice(invoice, &office()).unwrap();
    let home = f.customer.locations[0].id;
    f.book
        .set_time_zone("Pacific/Kiritimati", &office())
        .unwrap();
    assert_eq!(f.book.time_zone().unwrap(), "Pacific/Kiritimati");
    assert!(f.book.stop_card(home).unwrap().overdue);
    f.book
        .set_time_zone(" Pacific/Pago_Pago ", &office())
        .unwrap();
    assert!(!f.book.stop_card(home).unwrap().overdue);
    let log = f
        .book
        .change_log(&crate::ChangeLogQuery {
            entity: Some(crate::EntityKind::Setting),
            entity_id: Some("time_zone".into()),
            ..Default::default()
        })
        .unwrap();
    let values: Vec<(String, String)> = log
        .iter()
        .map(|row| {
            let change = &row.changes[0];
            (change.before.to_string(), change.after.to_string())
        })
        .collect();
    assert_eq!(
        values,
        [
            ("\"UTC\"".into(), "\"Pacific/Kiritimati\"".into()),
            (
                "\"Pacific/Kiritimati\"".into(),
                "\"Pacific/Pago_Pago\"".into()
            )
        ]
    );
}
