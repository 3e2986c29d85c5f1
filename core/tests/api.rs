//! The API a person writes against: builders for the records built by hand,
//! text that reads well (entries, timelines, statements, stop cards, money,
//! spans of time), and authors by name.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use poolbook::{
    Address, Author, BodyOfWater, Book, Contact, ContactChannel, ContactRole, CustomerKind,
    Frequency, Invoice, InvoiceLine, NewCustomer, NewTechnician, Payment, PaymentMethod, Pet,
    PetTemperament, Preferences, Sanitizer, Secret, ServiceLocation, ServicePlan, TimeWindow,
    TimelineQuery, Visit, VisitNotice, WaterKind, Weekday,
};
use rust_decimal::Decimal;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn a_whole_customer_builds_from_builders_and_reads_back() {
    let book = Book::open_in_memory().unwrap();
    book.unlock(poolbook::passphrase_key_provider("correct horse battery".into()).unwrap())
        .unwrap();
    let office = Author::office("dana");
    let ana = book
        .add_technician(NewTechnician::new("Ana Reyes"), &office)
        .unwrap();
    let owner = Contact::new("Maria Lopez", ContactRole::Owner).with_phone("(602) 555-0142", true);
    let plan = ServicePlan::new(Frequency::Weekly, day(2026, 3, 2))
        .on(Weekday::Tuesday)
        .with_technician(ana.id)
        .until(day(2026, 12, 31));
    let home = ServiceLocation::new(Address::new("1420 Oak St", "Phoenix", "AZ", "85018", "US"))
        .with_label("Main house")
        .with_plan(plan.clone())
        .with_gate_code(Secret::new("4417#", "gate_code").unwrap())
        .with_pet(Pet::new("Rex", "dog", PetTemperament::Nervous))
        .with_body_of_water(BodyOfWater::new("Pool", WaterKind::Pool, Sanitizer::Salt));
    let quiet = TimeWindow {
        start: NaiveTime::from_hms_opt(21, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
    };
    let preferences = Preferences::default()
        .with_visit_notice(VisitNotice::new(ContactChannel::Sms, owner.id, 1440))
        .with_preferred_channel(ContactChannel::Sms)
        .with_preferred_service_day(Weekday::Tuesday)
        .with_quiet_hours(quiet)
        .with_language("es-MX")
        .with_water_concern("eye irritation");
    let created = book
        .create_customer(
            NewCustomer::new(CustomerKind::Residential, "Maria Lopez")
                .with_contact(owner)
                .with_location(home)
                .with_preferences(preferences.clone()),
            &office,
        )
        .unwrap();
    let stored = book.customer(created.id).unwrap();
    let location = &stored.locations[0];
    assert_eq!(location.label.as_deref(), Some("Main house"));
    assert_eq!(location.service_plan.as_ref(), Some(&plan));
    let gate = book
        .reveal_secret(
            location.id,
            poolbook::SecretField::GateCode,
            &office,
            "at the gate",
        )
        .unwrap()
        .unwrap();
    assert_eq!(gate.reveal(), Some("4417#"));
    assert_eq!(location.access.pets[0].name, "Rex");
    assert_eq!(stored.preferences, preferences);

    let card = book.stop_card(location.id).unwrap().to_string();
    assert!(
        card.contains("notify  Maria Lopez by sms 1 day before"),
        "{card}"
    );
    assert!(card.contains("balance 0.00"), "{card}");
}

#[test]
fn histories_and_statements_read_without_hand_formatting() {
    let book = Book::open_in_memory().unwrap();
    let office = Author::office("dana");
    let maria = book
        .create_customer(
            NewCustomer::new(CustomerKind::Residential, "Maria Lopez").with_location(
                ServiceLocation::new(Address::new("1 Palm Way", "Tampa", "FL", "33602", "US"))
                    .with_body_of_water(BodyOfWater::new(
                        "Pool",
                        WaterKind::Pool,
                        Sanitizer::Chlorine,
                    )),
            ),
            &office,
        )
        .unwrap();
    let invoice = book
        .add_invoice(
            Invoice::new(
                maria.id,
                "1042",
                day(2026, 10, 1),
                day(2026, 10, 15),
                vec![InvoiceLine::new(
                    "Weekly pool service, October 2026",
                    Decimal::ONE,
                    Decimal::new(165, 0),
                )],
            ),
            &office,
        )
        .unwrap();
    book.record_payment(
        Payment::new(
            maria.id,
            day(2026, 10, 20),
            Decimal::new(100, 0),
            PaymentMethod::BankTransfer,
        )
        .applied_to(invoice.id, Decimal::new(100, 0)),
        &office,
    )
    .unwrap();
    let mut visit = Visit::completed(
        maria.id,
        maria.locations[0].id,
        Utc.with_ymd_and_hms(2026, 10, 6, 15, 30, 0).unwrap(),
    );
    visit.body_of_water_id = Some(maria.locations[0].bodies_of_water[0].id);
    visit.readings.free_chlorine = Some(3.0);
    visit.readings.ph = Some(7.6);
    book.record_visit(visit, &office).unwrap();

    let lines: Vec<String> = book
        .timeline(&TimelineQuery {
            customer_id: Some(maria.id),
            ..TimelineQuery::default()
        })
        .unwrap()
        .items
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        lines,
        [
            "2026-10-20 12:00  payment of 100.00 by bank transfer",
            "2026-10-06 15:30  visit completed: FC 3 · pH 7.6",
            "2026-10-01 12:00  invoice 1042, 165.00 due 2026-10-15",
        ],
        "the back-dated payment sits at its date, not at the top"
    );

    let statement = book
        .statement(maria.id, day(2026, 10, 1), day(2026, 10, 31))
        .unwrap()
        .to_string();
    let expected = [
        "Statement 2026-10-01 to 2026-10-31",
        "  opening balance                                            0.00",
        "  2026-10-01  Invoice 1042                     165.00     165.00",
        "  2026-10-20  Payment (bank transfer)         -100.00      65.00",
        "  closing balance                                           65.00",
    ];
    assert_eq!(statement, expected.join("\n"));
}

#[test]
fn authors_read_by_name_where_the_book_knows_them() {
    let book = Book::open_in_memory().unwrap();
    let ana = book
        .add_technician(NewTechnician::new("Ana Reyes"), &Author::office("dana"))
        .unwrap();
    let name = |author: Author| book.author_name(&author).unwrap();
    assert_eq!(name(Author::technician(ana.id)), "Ana Reyes");
    assert_eq!(name(Author::office("dana")), "dana (office)");
    assert_eq!(name(Author::import("segment")), "import: segment");
    assert_eq!(name(Author::system()), "poolbook");
    let stranger = poolbook::TechnicianId::new();
    assert_eq!(
        name(Author::technician(stranger)),
        format!("technician {stranger}")
    );
}
