//! Every validation rule, through the public `Book` API on an in-memory book:
//! the error is `Error::Invalid` naming the field by its path and saying what
//! is wrong, and the book is unchanged afterwards. Also the normalisations
//! validation performs on what it stores.

use std::fmt::Debug;

use chrono::{NaiveDate, NaiveTime, Utc};
use poolbook::{
    AccessWindow, Address, ArchivedFilter, Author, BodyOfWater, Book, ChangeLogQuery, Consent,
    ConsentStatus, Contact, ContactChannel, ContactId, ContactRole, Customer, CustomerKind,
    CustomerPatch, CustomerQuery, Equipment, EquipmentKind, Error, Frequency, GeoPoint,
    NewCustomer, NewTechnician, Pet, PetTemperament, Phone, Result, Sanitizer, Secret,
    ServiceLocation, ServicePlan, Technician, TechnicianId, TechnicianPatch, TextUpdate,
    TimeWindow, VisitNotice, WaterKind, Weekday,
};
use poolbook::{MAX_GALLONS, MAX_NOTICE_MINUTES, MAX_RATE};
use rust_decimal::Decimal;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn book() -> Book {
    let book = Book::open_in_memory().expect("open in-memory book");
    book.unlock(poolbook::static_key_provider(vec![7; 32]).unwrap())
        .unwrap();
    book
}

/// The customer's first gate code, revealed.
fn gate_code(book: &Book, customer: &Customer) -> String {
    book.reveal_secret(
        customer.locations[0].id,
        poolbook::SecretField::GateCode,
        &office(),
        "checking validation",
    )
    .unwrap()
    .and_then(|secret| secret.reveal().map(str::to_owned))
    .unwrap()
}

fn office() -> Author {
    Author::office("dana")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
}

fn oak_street() -> Address {
    Address::new("1420 Oak Street", "Springfield", "IL", "62704", "US")
}

/// One primary contact (SMS-capable phone and an email), one location with
/// one pool; no plan, no notice.
fn valid_customer() -> NewCustomer {
    NewCustomer::new(CustomerKind::Residential, "Maria Lopez")
        .with_contact(
            Contact::new("Maria Lopez", ContactRole::Owner)
                .with_phone("(555) 010-2233", true)
                .with_email("maria@example.com")
                .primary(),
        )
        .with_location(
            ServiceLocation::new(oak_street()).with_body_of_water(
                BodyOfWater::new("Main pool", WaterKind::Pool, Sanitizer::Chlorine)
                    .with_gallons(15_000.0),
            ),
        )
}

/// A second, non-primary contact with its own phone.
fn second_contact() -> Contact {
    Contact::new("Luis Lopez", ContactRole::Tenant).with_phone("(555) 010-7788", true)
}

/// A second location with its own pool.
fn second_location() -> ServiceLocation {
    ServiceLocation::new(Address::new(
        "77 Beach Road",
        "Springfield",
        "IL",
        "62704",
        "US",
    ))
    .with_body_of_water(BodyOfWater::new(
        "Beach pool",
        WaterKind::Pool,
        Sanitizer::Salt,
    ))
}

fn consent(channel: ContactChannel, status: ConsentStatus, method: &str) -> Consent {
    Consent {
        channel,
        status,
        recorded_at: Utc::now(),
        method: method.into(),
    }
}

fn weekly_plan(technician_id: Option<TechnicianId>) -> ServicePlan {
    ServicePlan {
        frequency: Frequency::Weekly,
        preferred_weekday: Some(Weekday::Tuesday),
        technician_id,
        starts_on: day(2025, 3, 1),
        ends_on: None,
        bills_chemicals: false,
    }
}

/// Notice before each visit to the first contact.
fn notice(new: &NewCustomer, channel: ContactChannel, lead_time_minutes: u32) -> VisitNotice {
    VisitNotice {
        channel,
        contact_id: new.contacts[0].id,
        lead_time_minutes,
    }
}

/// A patch that replaces every field with `new`'s.
fn patch_from(new: NewCustomer) -> CustomerPatch {
    CustomerPatch {
        kind: Some(new.kind),
        display_name: Some(new.display_name),
        status: Some(new.status),
        billing: Some(new.billing),
        tags: Some(new.tags),
        custom_fields: Some(new.custom_fields),
        contacts: Some(new.contacts),
        locations: Some(new.locations),
        preferences: Some(new.preferences),
    }
}

/// Change-log rows about the book's records (not the row for the data key
/// its first unlock made).
fn log_len(book: &Book) -> usize {
    book.change_log(&ChangeLogQuery::default())
        .expect("read change log")
        .iter()
        .filter(|change| change.entity_id != "data_key")
        .count()
}

fn all_customers(book: &Book) -> Vec<Customer> {
    book.list_customers(&CustomerQuery {
        archived: ArchivedFilter::Include,
        ..CustomerQuery::default()
    })
    .expect("list customers")
    .customers
}

/// `result` is `Error::Invalid` for exactly `field`, with a problem holding every word.
#[track_caller]
fn assert_invalid<T: Debug>(result: Result<T>, field: &str, words: &[&str]) {
    match result {
        Err(Error::Invalid {
            field: actual,
            problem,
            ..
        }) => {
            assert_eq!(actual, field, "wrong field (problem: {problem:?})");
            for word in words {
                assert!(
                    problem.contains(word),
                    "{field}: problem {problem:?} does not say {word:?}"
                );
            }
        }
        other => panic!("expected Error::Invalid for {field}, got {other:?}"),
    }
}

/// A fresh book after a refused call: no customers, no change-log rows.
#[track_caller]
fn assert_book_empty(book: &Book) {
    let page = book
        .list_customers(&CustomerQuery::default())
        .expect("list customers");
    assert!(page.customers.is_empty(), "{:?}", page.customers);
    assert!(all_customers(book).is_empty(), "nothing archived either");
    assert_eq!(log_len(book), 0, "no change-log rows");
}

/// The rule broken by `edit` is refused both on create (the book stays
/// empty) and on update of a valid stored customer (the record and the
/// change log stay as they were).
#[track_caller]
fn assert_refused(edit: impl Fn(&mut NewCustomer), field: &str, words: &[&str]) {
    // Create.
    let fresh = book();
    let mut new = valid_customer();
    edit(&mut new);
    assert_invalid(fresh.create_customer(new, &office()), field, words);
    assert_book_empty(&fresh);

    // Update.
    let book = book();
    let base = valid_customer();
    let id = base.id;
    book.create_customer(base.clone(), &office())
        .expect("the valid customer is accepted");
    let before = book.customer(id).expect("stored customer");
    let rows = log_len(&book);
    let mut edited = base;
    edit(&mut edited);
    assert_invalid(
        book.update_customer(id, before.version, patch_from(edited), &office()),
        field,
        words,
    );
    let after = book.customer(id).expect("stored customer");
    assert_eq!(after.version, before.version);
    assert_eq!(after, before, "the stored record is unchanged");
    assert_eq!(log_len(&book), rows, "no new change-log rows");
}

/// The customer built by `edit` is accepted on create.
#[track_caller]
fn assert_accepted(edit: impl Fn(&mut NewCustomer)) -> Customer {
    let book = book();
    let mut new = valid_customer();
    edit(&mut new);
    let created = book
        .create_customer(new, &office())
        .expect("the customer is accepted");
    assert_eq!(book.customer(created.id).expect("stored"), created);
    created
}

/// A book with one technician who has been deactivated.
fn book_with_inactive_technician() -> (Book, Technician) {
    let book = book();
    let ana = book
        .add_technician(NewTechnician::new("Ana Reyes"), &office())
        .expect("add technician");
    let ana = book
        .update_technician(
            ana.id,
            ana.version,
            TechnicianPatch {
                active: Some(false),
                ..TechnicianPatch::default()
            },
            &office(),
        )
        .expect("deactivate technician");
    assert!(!ana.active);
    (book, ana)
}

// ---------------------------------------------------------------------------
// The valid record (control)
// ---------------------------------------------------------------------------

#[test]
fn the_valid_customer_is_accepted_and_logged() {
    let book = book();
    let created = book
        .create_customer(valid_customer(), &office())
        .expect("valid customer");
    assert_eq!(created.version, 1);
    assert_eq!(all_customers(&book), [created]);
    // One row each: customer, contact, location, body of water.
    assert_eq!(log_len(&book), 4);
}

// ---------------------------------------------------------------------------
// Account: name, tags, custom fields, billing
// ---------------------------------------------------------------------------

#[test]
fn display_name_empty() {
    assert_refused(
        |n| n.display_name = "   ".into(),
        "display_name",
        &["must not be empty"],
    );
}

#[test]
fn display_name_over_200_chars() {
    assert_refused(
        |n| n.display_name = "x".repeat(201),
        "display_name",
        &["longer than 200 characters"],
    );
}

#[test]
fn display_name_of_200_chars_counts_characters_not_bytes() {
    let created = assert_accepted(|n| n.display_name = format!("  {}  ", "é".repeat(200)));
    assert_eq!(created.display_name, "é".repeat(200));
}

#[test]
fn blank_tag() {
    assert_refused(
        |n| n.tags = vec!["weekly".into(), " \t ".into()],
        "tags[1]",
        &["must not be empty"],
    );
}

#[test]
fn tag_over_64_chars() {
    assert_refused(
        |n| n.tags = vec!["t".repeat(65)],
        "tags[0]",
        &["longer than 64 characters"],
    );
}

#[test]
fn custom_field_blank_key() {
    assert_refused(
        |n| {
            n.custom_fields
                .insert("  ".into(), "behind the garage".into());
        },
        "custom_fields",
        &["must not be empty"],
    );
}

#[test]
fn custom_field_key_over_64_chars() {
    assert_refused(
        |n| {
            n.custom_fields.insert("k".repeat(65), "value".into());
        },
        "custom_fields",
        &["longer than 64 characters"],
    );
}

#[test]
fn custom_field_value_over_2000_chars() {
    assert_refused(
        |n| {
            n.custom_fields.insert("pump_room".into(), "v".repeat(2001));
        },
        "custom_fields.pump_room",
        &["longer than 2000 characters"],
    );
}

#[test]
fn custom_field_keys_equal_once_trimmed() {
    assert_refused(
        |n| {
            n.custom_fields.insert(" pump_room".into(), "garage".into());
            n.custom_fields.insert("pump_room".into(), "shed".into());
        },
        "custom_fields.pump_room",
        &["appears twice once trimmed"],
    );
}

#[test]
fn billing_rate_negative() {
    assert_refused(
        |n| n.billing.rate = Some(Decimal::new(-1, 2)),
        "billing.rate",
        &["must not be negative"],
    );
}

#[test]
fn billing_rate_over_1_000_000() {
    assert_refused(
        |n| n.billing.rate = Some(MAX_RATE + Decimal::new(1, 2)),
        "billing.rate",
        &["implausibly large"],
    );
}

#[test]
fn billing_rate_of_exactly_1_000_000_and_zero_are_accepted() {
    assert_eq!(MAX_RATE, Decimal::new(1_000_000, 0));
    let created = assert_accepted(|n| n.billing.rate = Some(MAX_RATE));
    assert_eq!(created.billing.rate, Some(MAX_RATE));
    let created = assert_accepted(|n| n.billing.rate = Some(Decimal::ZERO));
    assert_eq!(created.billing.rate, Some(Decimal::ZERO));
}

#[test]
fn terms_days_over_365() {
    assert_refused(
        |n| n.billing.terms_days = 366,
        "billing.terms_days",
        &["at most 365 days"],
    );
    let created = assert_accepted(|n| n.billing.terms_days = 365);
    assert_eq!(created.billing.terms_days, 365);
}

#[test]
fn billing_address_missing_line1() {
    assert_refused(
        |n| {
            n.billing.address = Some(Address {
                line1: "  ".into(),
                ..oak_street()
            });
        },
        "billing.address.line1",
        &["must not be empty"],
    );
}

#[test]
fn billing_address_missing_city() {
    assert_refused(
        |n| {
            n.billing.address = Some(Address {
                city: String::new(),
                ..oak_street()
            });
        },
        "billing.address.city",
        &["must not be empty"],
    );
}

#[test]
fn billing_address_bad_country_code() {
    for country in ["USA", "U", "U1", "", "  ", "ÜS"] {
        assert_refused(
            |n| {
                n.billing.address = Some(Address {
                    country: country.into(),
                    ..oak_street()
                });
            },
            "billing.address.country",
            &["two-letter ISO country code"],
        );
    }
}

// ---------------------------------------------------------------------------
// Contacts
// ---------------------------------------------------------------------------

#[test]
fn duplicate_contact_ids() {
    assert_refused(
        |n| {
            let twin = Contact {
                id: n.contacts[0].id,
                ..second_contact()
            };
            n.contacts.push(twin);
        },
        "contacts[1].id",
        &["used by two contacts"],
    );
}

#[test]
fn contact_empty_name() {
    assert_refused(
        |n| n.contacts[0].name = " ".into(),
        "contacts[0].name",
        &["must not be empty"],
    );
}

#[test]
fn phone_with_letters() {
    assert_refused(
        |n| n.contacts[0].phones[0].number = "555-CALL-NOW".into(),
        "contacts[0].phones[0].number",
        &["contains letters"],
    );
}

#[test]
fn phone_too_short() {
    assert_refused(
        |n| n.contacts[0].phones[0].number = "555 0102".into(),
        "contacts[0].phones[0].number",
        &["has 7 digits", "US number has 10"],
    );
}

#[test]
fn phone_empty() {
    assert_refused(
        |n| n.contacts[0].phones[0].number = "   ".into(),
        "contacts[0].phones[0].number",
        &["is empty"],
    );
}

#[test]
fn phone_with_a_character_that_is_not_part_of_a_number() {
    assert_refused(
        |n| n.contacts[0].phones[0].number = "555_010_2233".into(),
        "contacts[0].phones[0].number",
        &["contains '_'"],
    );
}

#[test]
fn phone_with_area_code_starting_with_0() {
    assert_refused(
        |n| n.contacts[0].phones[0].number = "(055) 010-2233".into(),
        "contacts[0].phones[0].number",
        &["area code cannot start with 0 or 1"],
    );
}

#[test]
fn phone_error_names_the_right_index_and_does_not_echo_the_number() {
    let book = book();
    let mut new = valid_customer();
    new.contacts
        .push(second_contact().with_phone("555-0102", true));
    let error = book.create_customer(new, &office()).unwrap_err();
    let message = error.to_string();
    assert!(!message.contains("555-0102"), "{message}");
    assert_invalid(
        Err::<(), _>(error),
        "contacts[1].phones[1].number",
        &["has 7 digits"],
    );
    assert_book_empty(&book);
}

#[test]
fn duplicate_phone_in_one_contact() {
    assert_refused(
        |n| {
            // The same number as phones[0], written differently.
            n.contacts[0].phones.push(Phone {
                number: "+1 555 010 2233".into(),
                label: Some("mobile".into()),
                sms_capable: false,
            });
        },
        "contacts[0].phones[1].number",
        &["same number as an earlier phone"],
    );
}

#[test]
fn the_same_phone_on_two_contacts_is_accepted() {
    let created = assert_accepted(|n| {
        n.contacts.push(
            Contact::new("Luis Lopez", ContactRole::Tenant).with_phone("555.010.2233", false),
        );
    });
    assert_eq!(created.contacts[1].phones[0].number, "+15550102233");
}

#[test]
fn phone_label_over_40_chars() {
    assert_refused(
        |n| n.contacts[0].phones[0].label = Some("l".repeat(41)),
        "contacts[0].phones[0].label",
        &["longer than 40 characters"],
    );
}

#[test]
fn bad_email_missing_at() {
    assert_refused(
        |n| n.contacts[0].emails[0] = "maria.example.com".into(),
        "contacts[0].emails[0]",
        &["not a valid email address", "missing '@'"],
    );
}

#[test]
fn bad_email_domain_without_dot() {
    assert_refused(
        |n| n.contacts[0].emails[0] = "maria@example".into(),
        "contacts[0].emails[0]",
        &["not a valid email address", "the domain has no '.'"],
    );
}

#[test]
fn bad_email_other_shapes() {
    for (address, reason) in [
        ("maria@@example.com", "more than one '@'"),
        ("@example.com", "1 to 64 bytes"),
        ("maria.@example.com", "misplaced '.'"),
        ("ma ria@example.com", "not allowed before '@'"),
        ("maria@", "missing domain"),
        ("maria@-example.com", "malformed domain"),
        ("maria@example.c", "malformed top-level domain"),
    ] {
        assert_refused(
            |n| n.contacts[0].emails[0] = address.into(),
            "contacts[0].emails[0]",
            &["not a valid email address", reason],
        );
    }
}

#[test]
fn email_local_part_over_64_chars() {
    let created =
        assert_accepted(|n| n.contacts[0].emails[0] = format!("{}@example.com", "a".repeat(64)));
    assert_eq!(
        created.contacts[0].emails[0].len(),
        64 + "@example.com".len()
    );
    assert_refused(
        |n| n.contacts[0].emails[0] = format!("{}@example.com", "a".repeat(65)),
        "contacts[0].emails[0]",
        &["not a valid email address", "1 to 64 bytes"],
    );
}

/// A domain of 259 characters made of valid 63-character labels.
fn long_domain_email() -> String {
    format!("maria@{}com", format!("{}.", "b".repeat(63)).repeat(4))
}

#[test]
fn email_domain_over_253_chars() {
    assert_refused(
        |n| n.contacts[0].emails[0] = long_domain_email(),
        "contacts[0].emails[0]",
        &["not a valid email address", "domain"],
    );
}

#[test]
fn email_domain_over_253_chars_is_not_called_missing() {
    let book = book();
    let mut new = valid_customer();
    new.contacts[0].emails[0] = long_domain_email();
    match book.create_customer(new, &office()) {
        Err(Error::Invalid { field, problem, .. }) => {
            assert_eq!(field, "contacts[0].emails[0]");
            assert!(problem.contains("domain"), "{problem}");
            assert!(
                !problem.contains("missing"),
                "the domain is there, only too long: {problem}"
            );
        }
        other => panic!("expected Error::Invalid, got {other:?}"),
    }
    assert_book_empty(&book);
}

#[test]
fn bad_email_error_does_not_echo_the_address() {
    let book = book();
    let mut new = valid_customer();
    new.contacts[0].emails.push("secret.person@nowhere".into());
    let error = book.create_customer(new, &office()).unwrap_err();
    assert!(!error.to_string().contains("secret.person"), "{error}");
    assert_invalid(Err::<(), _>(error), "contacts[0].emails[1]", &["no '.'"]);
    assert_book_empty(&book);
}

#[test]
fn duplicate_email() {
    assert_refused(
        |n| n.contacts[0].emails.push("  MARIA@Example.com ".into()),
        "contacts[0].emails[1]",
        &["same address as an earlier email"],
    );
}

#[test]
fn two_primary_contacts() {
    assert_refused(
        |n| n.contacts.push(second_contact().primary()),
        "contacts[1].primary",
        &["already primary", "at most one"],
    );
}

#[test]
fn no_primary_contact_is_accepted() {
    let created = assert_accepted(|n| n.contacts[0].primary = false);
    assert_eq!(created.primary_contact(), None);
}

#[test]
fn duplicate_consent_channel() {
    assert_refused(
        |n| {
            n.contacts[0].consents = vec![
                consent(ContactChannel::Sms, ConsentStatus::OptedIn, "web form"),
                consent(ContactChannel::Email, ConsentStatus::OptedIn, "web form"),
                consent(ContactChannel::Sms, ConsentStatus::OptedOut, "replied STOP"),
            ];
        },
        "contacts[0].consents[2].channel",
        &["already has a consent entry", "one per channel"],
    );
}

#[test]
fn blank_consent_method() {
    assert_refused(
        |n| {
            n.contacts[0].consents =
                vec![consent(ContactChannel::Sms, ConsentStatus::OptedIn, "  ")];
        },
        "contacts[0].consents[0].method",
        &["must not be empty"],
    );
}

// ---------------------------------------------------------------------------
// Locations, bodies of water, access
// ---------------------------------------------------------------------------

#[test]
fn duplicate_location_ids() {
    assert_refused(
        |n| {
            let twin = ServiceLocation {
                id: n.locations[0].id,
                ..second_location()
            };
            n.locations.push(twin);
        },
        "locations[1].id",
        &["used by two locations"],
    );
}

#[test]
fn location_missing_line1() {
    assert_refused(
        |n| n.locations[0].address.line1 = String::new(),
        "locations[0].address.line1",
        &["must not be empty"],
    );
}

#[test]
fn location_missing_city() {
    assert_refused(
        |n| n.locations[0].address.city = "  ".into(),
        "locations[0].address.city",
        &["must not be empty"],
    );
}

#[test]
fn location_bad_country_code() {
    assert_refused(
        |n| n.locations[0].address.country = "United States".into(),
        "locations[0].address.country",
        &["two-letter ISO country code"],
    );
}

#[test]
fn latitude_out_of_range() {
    for latitude in [90.000_1, -90.5, 180.0] {
        assert_refused(
            |n| {
                n.locations[0].coordinates = Some(GeoPoint {
                    latitude,
                    longitude: -89.65,
                });
            },
            "locations[0].coordinates.latitude",
            &["between -90 and 90 degrees"],
        );
    }
}

#[test]
fn longitude_out_of_range() {
    for longitude in [180.5, -180.000_1, 360.0] {
        assert_refused(
            |n| {
                n.locations[0].coordinates = Some(GeoPoint {
                    latitude: 39.78,
                    longitude,
                });
            },
            "locations[0].coordinates.longitude",
            &["between -180 and 180 degrees"],
        );
    }
}

#[test]
fn nan_latitude() {
    assert_refused(
        |n| {
            n.locations[0].coordinates = Some(GeoPoint {
                latitude: f64::NAN,
                longitude: -89.65,
            });
        },
        "locations[0].coordinates.latitude",
        &["between -90 and 90 degrees"],
    );
}

#[test]
fn infinite_longitude() {
    assert_refused(
        |n| {
            n.locations[0].coordinates = Some(GeoPoint {
                latitude: 39.78,
                longitude: f64::INFINITY,
            });
        },
        "locations[0].coordinates.longitude",
        &["between -180 and 180 degrees"],
    );
}

#[test]
fn coordinates_on_the_limits_are_accepted() {
    let point = GeoPoint {
        latitude: -90.0,
        longitude: 180.0,
    };
    let created = assert_accepted(|n| n.locations[0].coordinates = Some(point));
    assert_eq!(created.locations[0].coordinates, Some(point));
}

#[test]
fn gallons_negative() {
    assert_refused(
        |n| n.locations[0].bodies_of_water[0].gallons = Some(-500.0),
        "locations[0].bodies_of_water[0].gallons",
        &["must be a positive number of gallons"],
    );
}

#[test]
fn gallons_zero() {
    assert_refused(
        |n| n.locations[0].bodies_of_water[0].gallons = Some(0.0),
        "locations[0].bodies_of_water[0].gallons",
        &["must be a positive number of gallons"],
    );
}

#[test]
fn gallons_nan() {
    assert_refused(
        |n| n.locations[0].bodies_of_water[0].gallons = Some(f64::NAN),
        "locations[0].bodies_of_water[0].gallons",
        &["must be a positive number of gallons"],
    );
}

#[test]
fn gallons_infinite() {
    assert_refused(
        |n| n.locations[0].bodies_of_water[0].gallons = Some(f64::INFINITY),
        "locations[0].bodies_of_water[0].gallons",
        &["must be a positive number of gallons"],
    );
}

#[test]
fn gallons_over_max() {
    assert_refused(
        |n| n.locations[0].bodies_of_water[0].gallons = Some(MAX_GALLONS + 1.0),
        "locations[0].bodies_of_water[0].gallons",
        &["implausibly large", "over 2000000 gallons"],
    );
}

#[test]
fn gallons_at_max_is_accepted() {
    let created =
        assert_accepted(|n| n.locations[0].bodies_of_water[0].gallons = Some(MAX_GALLONS));
    assert_eq!(
        created.locations[0].bodies_of_water[0].gallons,
        Some(MAX_GALLONS)
    );
}

#[test]
fn gallons_error_names_the_right_location_and_body() {
    assert_refused(
        |n| {
            let mut second = second_location();
            second.bodies_of_water.push(
                BodyOfWater::new("Spa", WaterKind::Spa, Sanitizer::Bromine).with_gallons(-1.0),
            );
            n.locations.push(second);
        },
        "locations[1].bodies_of_water[1].gallons",
        &["positive"],
    );
}

#[test]
fn empty_body_of_water_name() {
    assert_refused(
        |n| n.locations[0].bodies_of_water[0].name = "  ".into(),
        "locations[0].bodies_of_water[0].name",
        &["must not be empty"],
    );
}

#[test]
fn duplicate_body_of_water_ids_across_locations() {
    assert_refused(
        |n| {
            let mut second = second_location();
            second.bodies_of_water[0].id = n.locations[0].bodies_of_water[0].id;
            n.locations.push(second);
        },
        "locations[1].bodies_of_water[0].id",
        &["used by two bodies of water"],
    );
}

#[test]
fn duplicate_body_of_water_ids_in_one_location() {
    assert_refused(
        |n| {
            let mut spa = BodyOfWater::new("Spa", WaterKind::Spa, Sanitizer::Bromine);
            spa.id = n.locations[0].bodies_of_water[0].id;
            n.locations[0].bodies_of_water.push(spa);
        },
        "locations[0].bodies_of_water[1].id",
        &["used by two bodies of water"],
    );
}

fn pump(installed_on: NaiveDate) -> Equipment {
    Equipment {
        kind: EquipmentKind::Pump,
        make: Some("Pentair".into()),
        model: None,
        serial: None,
        installed_on: Some(installed_on),
    }
}

#[test]
fn equipment_installed_outside_the_day_range() {
    assert_refused(
        |n| n.locations[0].bodies_of_water[0].equipment = vec![pump(day(1899, 12, 31))],
        "locations[0].bodies_of_water[0].equipment[0].installed_on",
        &["from 1900-01-01 to 2199-12-31"],
    );
    assert_refused(
        |n| n.locations[0].bodies_of_water[0].equipment = vec![pump(day(2200, 1, 1))],
        "locations[0].bodies_of_water[0].equipment[0].installed_on",
        &["from 1900-01-01 to 2199-12-31"],
    );
    let created = assert_accepted(|n| {
        n.locations[0].bodies_of_water[0].equipment = vec![pump(day(1900, 1, 1))];
    });
    assert_eq!(
        created.locations[0].bodies_of_water[0].equipment[0].installed_on,
        Some(day(1900, 1, 1))
    );
}

fn rex() -> Pet {
    Pet {
        name: "Rex".into(),
        kind: "dog".into(),
        temperament: PetTemperament::Nervous,
    }
}

#[test]
fn pet_empty_name() {
    assert_refused(
        |n| {
            n.locations[0].access.pets = vec![
                rex(),
                Pet {
                    name: " ".into(),
                    ..rex()
                },
            ];
        },
        "locations[0].access.pets[1].name",
        &["must not be empty"],
    );
}

#[test]
fn pet_empty_kind() {
    assert_refused(
        |n| {
            n.locations[0].access.pets = vec![Pet {
                kind: String::new(),
                ..rex()
            }];
        },
        "locations[0].access.pets[0].kind",
        &["must not be empty"],
    );
}

#[test]
fn blank_hazard() {
    assert_refused(
        |n| n.locations[0].access.hazards = vec!["wasp nest by the pump".into(), "".into()],
        "locations[0].access.hazards[1]",
        &["must not be empty"],
    );
}

#[test]
fn access_window_with_no_days() {
    assert_refused(
        |n| {
            n.locations[0].access.access_hours = vec![AccessWindow {
                days: Vec::new(),
                start: time(8, 0),
                end: time(17, 0),
            }];
        },
        "locations[0].access.access_hours[0].days",
        &["must name at least one day"],
    );
}

#[test]
fn access_window_end_before_start() {
    for end in [time(7, 59), time(8, 0)] {
        assert_refused(
            |n| {
                n.locations[0].access.access_hours = vec![
                    AccessWindow {
                        days: vec![Weekday::Monday],
                        start: time(9, 0),
                        end: time(12, 0),
                    },
                    AccessWindow {
                        days: vec![Weekday::Tuesday, Weekday::Friday],
                        start: time(8, 0),
                        end,
                    },
                ];
            },
            "locations[0].access.access_hours[1].end",
            &["must be after start"],
        );
    }
}

// ---------------------------------------------------------------------------
// Length limits of the remaining text fields: the limit itself is accepted,
// one character more is refused.
// ---------------------------------------------------------------------------

macro_rules! length_limit {
    ($($name:ident: $field:literal, $max:literal, |$n:ident, $value:ident| $set:expr;)+) => {
        $(
            #[test]
            fn $name() {
                let set = |$n: &mut NewCustomer, $value: String| $set;
                assert_accepted(|n| set(n, "a".repeat($max)));
                assert_refused(
                    |n| set(n, "a".repeat($max + 1)),
                    $field,
                    &[concat!("longer than ", stringify!($max), " characters")],
                );
            }
        )+
    };
}

length_limit! {
    contact_name_over_200_chars: "contacts[0].name", 200,
        |n, v| n.contacts[0].name = v;
    consent_method_over_200_chars: "contacts[0].consents[0].method", 200,
        |n, v| n.contacts[0].consents = vec![consent(ContactChannel::Sms, ConsentStatus::OptedIn, &v)];
    billing_address_line1_over_200_chars: "billing.address.line1", 200,
        |n, v| n.billing.address = Some(Address { line1: v, ..oak_street() });
    location_label_over_100_chars: "locations[0].label", 100,
        |n, v| n.locations[0].label = Some(v);
    location_line1_over_200_chars: "locations[0].address.line1", 200,
        |n, v| n.locations[0].address.line1 = v;
    location_line2_over_200_chars: "locations[0].address.line2", 200,
        |n, v| n.locations[0].address.line2 = Some(v);
    location_city_over_100_chars: "locations[0].address.city", 100,
        |n, v| n.locations[0].address.city = v;
    special_instructions_over_4000_chars: "locations[0].special_instructions", 4000,
        |n, v| n.locations[0].special_instructions = Some(v);
    body_of_water_name_over_100_chars: "locations[0].bodies_of_water[0].name", 100,
        |n, v| n.locations[0].bodies_of_water[0].name = v;
    equipment_make_over_100_chars: "locations[0].bodies_of_water[0].equipment[0].make", 100,
        |n, v| n.locations[0].bodies_of_water[0].equipment = vec![Equipment { make: Some(v), ..pump(day(2020, 5, 1)) }];
    equipment_model_over_100_chars: "locations[0].bodies_of_water[0].equipment[0].model", 100,
        |n, v| n.locations[0].bodies_of_water[0].equipment = vec![Equipment { model: Some(v), ..pump(day(2020, 5, 1)) }];
    equipment_serial_over_100_chars: "locations[0].bodies_of_water[0].equipment[0].serial", 100,
        |n, v| n.locations[0].bodies_of_water[0].equipment = vec![Equipment { serial: Some(v), ..pump(day(2020, 5, 1)) }];
    key_location_over_500_chars: "locations[0].access.key_location", 500,
        |n, v| n.locations[0].access.key_location = Some(v);
    access_notes_over_4000_chars: "locations[0].access.notes", 4000,
        |n, v| n.locations[0].access.notes = Some(v);
    pet_name_over_100_chars: "locations[0].access.pets[0].name", 100,
        |n, v| n.locations[0].access.pets = vec![Pet { name: v, ..rex() }];
    pet_kind_over_100_chars: "locations[0].access.pets[0].kind", 100,
        |n, v| n.locations[0].access.pets = vec![Pet { kind: v, ..rex() }];
    hazard_over_500_chars: "locations[0].access.hazards[0]", 500,
        |n, v| n.locations[0].access.hazards = vec![v];
}

// ---------------------------------------------------------------------------
// Service plans and technicians on them
// ---------------------------------------------------------------------------

#[test]
fn plan_ends_before_it_starts() {
    assert_refused(
        |n| {
            n.locations[0].service_plan = Some(ServicePlan {
                ends_on: Some(day(2025, 2, 28)),
                ..weekly_plan(None)
            });
        },
        "locations[0].service_plan.ends_on",
        &["is before starts_on"],
    );
    // Ending on the day it starts is a one-day plan, allowed.
    let created = assert_accepted(|n| {
        n.locations[0].service_plan = Some(ServicePlan {
            ends_on: Some(day(2025, 3, 1)),
            ..weekly_plan(None)
        });
    });
    assert_eq!(
        created.locations[0].service_plan.as_ref().unwrap().ends_on,
        Some(day(2025, 3, 1))
    );
}

#[test]
fn plan_with_unknown_technician() {
    let stranger = TechnicianId::new();
    assert_refused(
        |n| n.locations[0].service_plan = Some(weekly_plan(Some(stranger))),
        "locations[0].service_plan.technician_id",
        &["names no technician in this book"],
    );
}

#[test]
fn new_plan_with_inactive_technician_is_refused_on_create() {
    let (book, ana) = book_with_inactive_technician();
    let rows = log_len(&book);
    let mut new = valid_customer();
    new.locations[0].service_plan = Some(weekly_plan(Some(ana.id)));
    assert_invalid(
        book.create_customer(new, &office()),
        "locations[0].service_plan.technician_id",
        &["not active"],
    );
    assert!(
        book.list_customers(&CustomerQuery::default())
            .unwrap()
            .customers
            .is_empty()
    );
    assert!(all_customers(&book).is_empty());
    assert_eq!(log_len(&book), rows, "no new change-log rows");
}

#[test]
fn new_plan_with_inactive_technician_is_refused_on_update() {
    let (book, ana) = book_with_inactive_technician();
    let created = book
        .create_customer(valid_customer(), &office())
        .expect("valid customer");
    let before = book.customer(created.id).unwrap();
    let rows = log_len(&book);
    let mut locations = before.locations.clone();
    locations[0].service_plan = Some(weekly_plan(Some(ana.id)));
    assert_invalid(
        book.update_customer(
            created.id,
            before.version,
            CustomerPatch {
                locations: Some(locations),
                ..CustomerPatch::default()
            },
            &office(),
        ),
        "locations[0].service_plan.technician_id",
        &["names a technician who is not active"],
    );
    assert_eq!(book.customer(created.id).unwrap(), before);
    assert_eq!(log_len(&book), rows);
}

#[test]
fn a_plan_keeps_a_technician_deactivated_later_but_new_assignments_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let key = || poolbook::static_key_provider(vec![7; 32]).unwrap();
    let book = Book::open(&path).unwrap();
    book.unlock(key()).unwrap();
    let ana = book
        .add_technician(NewTechnician::new("Ana Reyes"), &office())
        .unwrap();
    let mut new = valid_customer();
    new.locations[0].service_plan = Some(weekly_plan(Some(ana.id)));
    let created = book
        .create_customer(new, &office())
        .expect("active technician");
    // Deactivating her now needs a destination for her plans...
    let refused = book
        .update_technician(
            ana.id,
            ana.version,
            TechnicianPatch {
                active: Some(false),
                ..TechnicianPatch::default()
            },
            &office(),
        )
        .unwrap_err();
    assert!(
        matches!(&refused, Error::Invalid { field, problem, .. }
            if field == "active" && problem.contains("1 service plan still naming this technician (Maria Lopez)")),
        "{refused}"
    );
    // ...but a book from before that rule may hold a plan naming a
    // technician deactivated later.
    book.close().unwrap();
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE technicians SET active = 0, version = version + 1",
            [],
        )
        .unwrap();
    let book = Book::open(&path).unwrap();
    book.unlock(key()).unwrap();

    // An unrelated change keeps the plan as it is.
    let renamed = book
        .update_customer(
            created.id,
            created.version,
            CustomerPatch {
                display_name: Some("Maria L. Lopez".into()),
                ..CustomerPatch::default()
            },
            &office(),
        )
        .expect("the existing assignment stays valid");
    assert_eq!(renamed.version, 2);
    assert_eq!(
        renamed.locations[0]
            .service_plan
            .as_ref()
            .unwrap()
            .technician_id,
        Some(ana.id)
    );

    // Changing the plan itself while keeping the technician is fine too.
    let mut locations = renamed.locations.clone();
    locations[0].service_plan.as_mut().unwrap().frequency = Frequency::Biweekly;
    let replanned = book
        .update_customer(
            created.id,
            renamed.version,
            CustomerPatch {
                locations: Some(locations),
                ..CustomerPatch::default()
            },
            &office(),
        )
        .expect("same technician, other frequency");
    let plan = replanned.locations[0].service_plan.as_ref().unwrap();
    assert_eq!(
        (plan.frequency, plan.technician_id),
        (Frequency::Biweekly, Some(ana.id))
    );

    // A new location assigned to the inactive technician is a new assignment.
    let before = book.customer(created.id).unwrap();
    let rows = log_len(&book);
    let mut locations = before.locations.clone();
    let mut beach = second_location();
    beach.service_plan = Some(weekly_plan(Some(ana.id)));
    locations.push(beach);
    assert_invalid(
        book.update_customer(
            created.id,
            before.version,
            CustomerPatch {
                locations: Some(locations),
                ..CustomerPatch::default()
            },
            &office(),
        ),
        "locations[1].service_plan.technician_id",
        &["not active"],
    );
    assert_eq!(book.customer(created.id).unwrap(), before);
    assert_eq!(log_len(&book), rows);

    // Dropping the technician and putting them back is a new assignment too.
    let mut unassigned = before.locations.clone();
    unassigned[0].service_plan.as_mut().unwrap().technician_id = None;
    let unassigned = book
        .update_customer(
            created.id,
            before.version,
            CustomerPatch {
                locations: Some(unassigned),
                ..CustomerPatch::default()
            },
            &office(),
        )
        .unwrap();
    let rows = log_len(&book);
    let mut reassigned = unassigned.locations.clone();
    reassigned[0].service_plan.as_mut().unwrap().technician_id = Some(ana.id);
    assert_invalid(
        book.update_customer(
            created.id,
            unassigned.version,
            CustomerPatch {
                locations: Some(reassigned),
                ..CustomerPatch::default()
            },
            &office(),
        ),
        "locations[0].service_plan.technician_id",
        &["not active"],
    );
    assert_eq!(book.customer(created.id).unwrap(), unassigned);
    assert_eq!(log_len(&book), rows);
}

// ---------------------------------------------------------------------------
// Preferences
// ---------------------------------------------------------------------------

#[test]
fn notice_to_an_unknown_contact() {
    assert_refused(
        |n| {
            n.preferences.notify_before_visit = Some(VisitNotice {
                contact_id: ContactId::new(),
                ..notice(n, ContactChannel::Sms, 30)
            });
        },
        "preferences.notify_before_visit.contact_id",
        &["names no contact on this account"],
    );
}

#[test]
fn notice_with_zero_lead_time() {
    assert_refused(
        |n| n.preferences.notify_before_visit = Some(notice(n, ContactChannel::Sms, 0)),
        "preferences.notify_before_visit.lead_time_minutes",
        &["between 1 and 10080 minutes"],
    );
}

#[test]
fn notice_lead_time_over_a_week() {
    assert_eq!(MAX_NOTICE_MINUTES, 10_080);
    assert_refused(
        |n| {
            n.preferences.notify_before_visit =
                Some(notice(n, ContactChannel::Sms, MAX_NOTICE_MINUTES + 1));
        },
        "preferences.notify_before_visit.lead_time_minutes",
        &["between 1 and 10080 minutes"],
    );
    let created = assert_accepted(|n| {
        n.preferences.notify_before_visit =
            Some(notice(n, ContactChannel::Sms, MAX_NOTICE_MINUTES));
    });
    assert_eq!(
        created
            .preferences
            .notify_before_visit
            .unwrap()
            .lead_time_minutes,
        MAX_NOTICE_MINUTES
    );
}

#[test]
fn notice_by_mail() {
    assert_refused(
        |n| n.preferences.notify_before_visit = Some(notice(n, ContactChannel::Mail, 60)),
        "preferences.notify_before_visit.channel",
        &["must be sms, phone or email"],
    );
}

#[test]
fn notice_by_portal() {
    assert_refused(
        |n| n.preferences.notify_before_visit = Some(notice(n, ContactChannel::Portal, 60)),
        "preferences.notify_before_visit.channel",
        &["must be sms, phone or email"],
    );
}

#[test]
fn notice_by_sms_to_a_contact_without_a_text_capable_phone() {
    assert_refused(
        |n| {
            n.contacts[0].phones[0].sms_capable = false;
            n.preferences.notify_before_visit = Some(notice(n, ContactChannel::Sms, 30));
        },
        "preferences.notify_before_visit.channel",
        &["the contact has no text-capable phone"],
    );
}

#[test]
fn notice_by_phone_to_a_contact_without_a_phone() {
    assert_refused(
        |n| {
            n.contacts[0].phones.clear();
            n.preferences.notify_before_visit = Some(notice(n, ContactChannel::Phone, 30));
        },
        "preferences.notify_before_visit.channel",
        &["the contact has no phone"],
    );
}

#[test]
fn notice_by_email_to_a_contact_without_email() {
    assert_refused(
        |n| {
            n.contacts[0].emails.clear();
            n.preferences.notify_before_visit = Some(notice(n, ContactChannel::Email, 30));
        },
        "preferences.notify_before_visit.channel",
        &["the contact has no email address"],
    );
}

#[test]
fn notice_on_an_opted_out_channel() {
    assert_refused(
        |n| {
            n.contacts[0].consents = vec![
                consent(ContactChannel::Email, ConsentStatus::OptedIn, "web form"),
                consent(ContactChannel::Sms, ConsentStatus::OptedOut, "replied STOP"),
            ];
            n.preferences.notify_before_visit = Some(notice(n, ContactChannel::Sms, 30));
        },
        "preferences.notify_before_visit.channel",
        &["opted out of this channel"],
    );
    // Opted in on that channel (and out of another) is fine.
    let created = assert_accepted(|n| {
        n.contacts[0].consents = vec![
            consent(
                ContactChannel::Email,
                ConsentStatus::OptedOut,
                "replied unsubscribe",
            ),
            consent(ContactChannel::Sms, ConsentStatus::OptedIn, "web form"),
        ];
        n.preferences.notify_before_visit = Some(notice(n, ContactChannel::Sms, 30));
    });
    assert!(created.preferences.notify_before_visit.is_some());
}

#[test]
fn notice_while_do_not_contact_is_on() {
    assert_refused(
        |n| {
            n.preferences.do_not_contact = true;
            n.preferences.notify_before_visit = Some(notice(n, ContactChannel::Sms, 30));
        },
        "preferences.notify_before_visit",
        &["do_not_contact is on"],
    );
}

#[test]
fn notice_to_a_second_contact_reachable_on_the_channel_is_accepted() {
    let created = assert_accepted(|n| {
        let luis = second_contact().with_email("luis@example.com");
        n.preferences.notify_before_visit = Some(VisitNotice {
            channel: ContactChannel::Email,
            contact_id: luis.id,
            lead_time_minutes: 120,
        });
        n.contacts.push(luis);
    });
    let notice = created.preferences.notify_before_visit.unwrap();
    assert_eq!(notice.contact_id, created.contacts[1].id);
}

#[test]
fn quiet_hours_start_equals_end() {
    assert_refused(
        |n| {
            n.preferences.quiet_hours = Some(TimeWindow {
                start: time(21, 0),
                end: time(21, 0),
            });
        },
        "preferences.quiet_hours",
        &["start and end are equal"],
    );
    // Quiet hours that wrap past midnight are fine.
    let quiet = TimeWindow {
        start: time(21, 0),
        end: time(8, 0),
    };
    let created = assert_accepted(|n| n.preferences.quiet_hours = Some(quiet));
    assert_eq!(created.preferences.quiet_hours, Some(quiet));
}

#[test]
fn bad_language_tag() {
    for tag in ["english!", "e", "en-", "en_US", "engl", "en-a", "es-MX!"] {
        assert_refused(
            |n| n.preferences.language = Some(tag.into()),
            "preferences.language",
            &["must be a language tag such as en or es-MX"],
        );
    }
}

#[test]
fn blank_water_concern() {
    assert_refused(
        |n| n.preferences.water_concerns = vec!["\t".into(), "algae".into()],
        "preferences.water_concerns[0]",
        &["must not be empty"],
    );
}

#[test]
fn water_concern_over_200_chars() {
    assert_refused(
        |n| n.preferences.water_concerns = vec!["algae".into(), "w".repeat(201)],
        "preferences.water_concerns[1]",
        &["longer than 200 characters"],
    );
}

// ---------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------

const GATE_CODE_FIELD: &str = "locations[0].access.gate_code";

/// Builds the valid customer with `value` as its gate code and creates it.
fn create_with_gate_code(book: &Book, value: &str) -> Result<Customer> {
    Secret::new(value, GATE_CODE_FIELD).and_then(|code| {
        let mut new = valid_customer();
        new.locations[0].access.gate_code = Some(code);
        book.create_customer(new, &office())
    })
}

#[test]
fn secret_empty() {
    for value in ["", "   "] {
        let book = book();
        assert_invalid(
            create_with_gate_code(&book, value),
            GATE_CODE_FIELD,
            &["must not be empty", "leave it unset"],
        );
        assert_book_empty(&book);
    }
}

#[test]
fn secret_over_64_chars() {
    let book = book();
    let value = "7".repeat(65);
    let error = create_with_gate_code(&book, &value).unwrap_err();
    assert!(!error.to_string().contains(&value), "{error}");
    assert_invalid(
        Err::<(), _>(error),
        GATE_CODE_FIELD,
        &["longer than 64 characters"],
    );
    assert_book_empty(&book);
    // 64 characters, once trimmed, are fine.
    let created = create_with_gate_code(&book, &format!("  {}  ", "7".repeat(64))).unwrap();
    assert_eq!(gate_code(&book, &created), "7".repeat(64));
}

#[test]
fn secret_with_control_characters() {
    for value in ["51\n50", "51\u{0}50", "51\u{1b}50"] {
        let book = book();
        let error = create_with_gate_code(&book, value).unwrap_err();
        assert!(!error.to_string().contains("5150"), "{error}");
        assert_invalid(
            Err::<(), _>(error),
            GATE_CODE_FIELD,
            &["contains control characters"],
        );
        assert_book_empty(&book);
    }
}

#[test]
fn secret_that_is_the_redaction_marker() {
    for value in ["[redacted]", "  [redacted] "] {
        let book = book();
        assert_invalid(
            create_with_gate_code(&book, value),
            GATE_CODE_FIELD,
            &["redaction marker", "supply the real value"],
        );
        assert_book_empty(&book);
    }
}

#[test]
fn secret_is_trimmed() {
    let book = book();
    let created = create_with_gate_code(&book, "  GATE-5150 ").unwrap();
    let stored = book.customer(created.id).unwrap();
    assert_eq!(gate_code(&book, &stored), "GATE-5150");
}

#[test]
fn a_redacted_export_read_back_cannot_become_a_gate_code() {
    let mut json = serde_json::to_value(valid_customer()).unwrap();
    json["locations"][0]["access"]["gate_code"] = "[redacted]".into();
    let error = serde_json::from_value::<NewCustomer>(json.clone()).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("invalid secret: is the redaction marker"),
        "{error}"
    );
    // A real value reads back and stores.
    json["locations"][0]["access"]["gate_code"] = "GATE-5150".into();
    let new: NewCustomer = serde_json::from_value(json).unwrap();
    let book = book();
    let created = book.create_customer(new, &office()).unwrap();
    assert_eq!(gate_code(&book, &created), "GATE-5150");
}

// ---------------------------------------------------------------------------
// Authors
// ---------------------------------------------------------------------------

#[test]
fn author_with_blank_id_cannot_create() {
    let book = book();
    assert_invalid(
        book.create_customer(valid_customer(), &Author::office("  ")),
        "author.id",
        &["must say who made the change"],
    );
    assert_book_empty(&book);
}

#[test]
fn author_with_id_over_200_chars_cannot_create() {
    let book = book();
    assert_invalid(
        book.create_customer(valid_customer(), &Author::import("i".repeat(201))),
        "author.id",
        &["longer than 200 characters"],
    );
    assert_book_empty(&book);
}

#[test]
fn author_with_blank_id_cannot_update() {
    let book = book();
    let created = book.create_customer(valid_customer(), &office()).unwrap();
    let rows = log_len(&book);
    assert_invalid(
        book.update_customer(
            created.id,
            created.version,
            CustomerPatch {
                display_name: Some("Maria L. Lopez".into()),
                ..CustomerPatch::default()
            },
            &Author::office(""),
        ),
        "author.id",
        &["must say who made the change"],
    );
    assert_eq!(book.customer(created.id).unwrap(), created);
    assert_eq!(log_len(&book), rows);
}

#[test]
fn author_with_blank_id_cannot_add_technicians_or_change_settings() {
    let book = book();
    let nobody = Author::office(" \t");
    assert_invalid(
        book.add_technician(NewTechnician::new("Ana Reyes"), &nobody),
        "author.id",
        &["must say who made the change"],
    );
    assert_invalid(
        book.set_default_region("GB", &nobody),
        "author.id",
        &["must say who made the change"],
    );
    assert!(book.technicians(true).unwrap().is_empty());
    assert_eq!(book.default_region().unwrap().code, "US");
    assert_eq!(log_len(&book), 0);
}

// ---------------------------------------------------------------------------
// Default region
// ---------------------------------------------------------------------------

#[test]
fn set_default_region_to_an_unknown_code() {
    let book = book();
    for code in ["XX", "", "USA"] {
        assert_invalid(
            book.set_default_region(code, &office()),
            "default_region",
            &["unknown region", "supported: US, CA", "GB"],
        );
    }
    assert_eq!(book.default_region().unwrap().code, "US");
    assert_eq!(log_len(&book), 0);
}

#[test]
fn default_region_is_read_in_any_case_and_used_for_national_numbers() {
    let book = book();
    book.set_default_region(" gb ", &office()).unwrap();
    assert_eq!(book.default_region().unwrap().code, "GB");
    let mut new = valid_customer();
    new.contacts[0].phones[0].number = "020 7946 0958".into();
    let created = book.create_customer(new, &office()).unwrap();
    assert_eq!(created.contacts[0].phones[0].number, "+442079460958");
    // A US national number no longer fits.
    let mut new = valid_customer();
    new.contacts[0].phones[0].number = "(555) 010-2233 12".into();
    assert_invalid(
        book.create_customer(new, &office()),
        "contacts[0].phones[0].number",
        &["has 12 digits", "GB number has 9 to 10"],
    );
    assert_eq!(all_customers(&book), [created]);
}

// ---------------------------------------------------------------------------
// Technicians
// ---------------------------------------------------------------------------

#[track_caller]
fn assert_technician_refused(new: NewTechnician, field: &str, words: &[&str]) {
    let book = book();
    assert_invalid(book.add_technician(new, &office()), field, words);
    assert!(book.technicians(true).unwrap().is_empty());
    assert_eq!(log_len(&book), 0);
}

#[test]
fn technician_empty_name() {
    assert_technician_refused(NewTechnician::new("  "), "name", &["must not be empty"]);
}

#[test]
fn technician_name_over_200_chars() {
    assert_technician_refused(
        NewTechnician::new("n".repeat(201)),
        "name",
        &["longer than 200 characters"],
    );
}

#[test]
fn technician_bad_phone() {
    assert_technician_refused(
        NewTechnician {
            phone: Some("555-CALL-ANA".into()),
            ..NewTechnician::new("Ana Reyes")
        },
        "phone",
        &["contains letters"],
    );
    assert_technician_refused(
        NewTechnician {
            phone: Some("010 2233".into()),
            ..NewTechnician::new("Ana Reyes")
        },
        "phone",
        &["has 7 digits"],
    );
}

#[test]
fn technician_bad_email() {
    assert_technician_refused(
        NewTechnician {
            email: Some("ana.example.com".into()),
            ..NewTechnician::new("Ana Reyes")
        },
        "email",
        &["not a valid email address", "missing '@'"],
    );
}

#[test]
fn technician_update_is_validated_too() {
    let book = book();
    let ana = book
        .add_technician(NewTechnician::new("Ana Reyes"), &office())
        .unwrap();
    let rows = log_len(&book);
    for (patch, field, words) in [
        (
            TechnicianPatch {
                name: Some(String::new()),
                ..TechnicianPatch::default()
            },
            "name",
            "must not be empty",
        ),
        (
            TechnicianPatch {
                phone: Some(TextUpdate::set("call me")),
                ..TechnicianPatch::default()
            },
            "phone",
            "contains letters",
        ),
        (
            TechnicianPatch {
                email: Some(TextUpdate::set("ana@localhost")),
                ..TechnicianPatch::default()
            },
            "email",
            "the domain has no '.'",
        ),
    ] {
        assert_invalid(
            book.update_technician(ana.id, ana.version, patch, &office()),
            field,
            &[words],
        );
        assert_eq!(book.technician(ana.id).unwrap(), ana);
        assert_eq!(log_len(&book), rows);
    }
}

#[test]
fn technician_phone_and_email_are_normalised() {
    let book = book();
    let ana = book
        .add_technician(
            NewTechnician {
                phone: Some("555.010.9999".into()),
                email: Some("  Ana.Reyes@Pools.Example.COM ".into()),
                ..NewTechnician::new("  Ana Reyes ")
            },
            &office(),
        )
        .unwrap();
    assert_eq!(ana.name, "Ana Reyes");
    assert_eq!(ana.phone.as_deref(), Some("+15550109999"));
    assert_eq!(ana.email.as_deref(), Some("ana.reyes@pools.example.com"));
    assert_eq!(book.technician(ana.id).unwrap(), ana);
}

// ---------------------------------------------------------------------------
// Limits and state checks in `Book`
// ---------------------------------------------------------------------------

#[test]
fn list_customers_limit_zero() {
    let book = book();
    book.create_customer(valid_customer(), &office()).unwrap();
    assert_invalid(
        book.list_customers(&CustomerQuery {
            limit: Some(0),
            ..CustomerQuery::default()
        }),
        "limit",
        &["must be between 1 and 1000"],
    );
}

#[test]
fn list_customers_limit_1001() {
    let book = book();
    let created = book.create_customer(valid_customer(), &office()).unwrap();
    assert_invalid(
        book.list_customers(&CustomerQuery {
            limit: Some(1001),
            ..CustomerQuery::default()
        }),
        "limit",
        &["must be between 1 and 1000"],
    );
    for limit in [1, 1000] {
        let page = book
            .list_customers(&CustomerQuery {
                limit: Some(limit),
                ..CustomerQuery::default()
            })
            .unwrap();
        assert_eq!(page.customers, std::slice::from_ref(&created));
    }
}

#[test]
fn search_customers_limit_zero() {
    let book = book();
    let created = book.create_customer(valid_customer(), &office()).unwrap();
    assert_invalid(
        book.search_customers("Maria", 0),
        "limit",
        &["must be between 1 and 200"],
    );
    assert_invalid(
        book.search_customers("Maria", 201),
        "limit",
        &["must be between 1 and 200"],
    );
    let hits = book.search_customers("Maria", 200).unwrap();
    assert_eq!(
        hits.iter().map(|hit| hit.customer_id).collect::<Vec<_>>(),
        [created.id]
    );
}

#[test]
fn change_log_limit_zero() {
    let book = book();
    book.create_customer(valid_customer(), &office()).unwrap();
    assert_invalid(
        book.change_log(&ChangeLogQuery {
            limit: Some(0),
            ..ChangeLogQuery::default()
        }),
        "limit",
        &["must be between 1 and 10000"],
    );
    let one = book
        .change_log(&ChangeLogQuery {
            limit: Some(1),
            ..ChangeLogQuery::default()
        })
        .unwrap();
    assert_eq!(one.len(), 1);
}

#[test]
fn an_archived_customer_cannot_be_updated() {
    let book = book();
    let created = book.create_customer(valid_customer(), &office()).unwrap();
    let archived = book
        .archive_customer(created.id, created.version, &office())
        .unwrap();
    let rows = log_len(&book);
    assert_invalid(
        book.update_customer(
            created.id,
            archived.version,
            CustomerPatch {
                display_name: Some("Maria L. Lopez".into()),
                ..CustomerPatch::default()
            },
            &office(),
        ),
        "archived_at",
        &["the customer is archived", "restore it"],
    );
    assert_invalid(
        book.archive_customer(created.id, archived.version, &office()),
        "archived_at",
        &["already archived"],
    );
    assert_eq!(book.customer(created.id).unwrap(), archived);
    assert_eq!(log_len(&book), rows);
}

// ---------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------

#[test]
fn phones_become_e164() {
    let created = assert_accepted(|n| {
        n.contacts[0].phones = [
            "(555) 010-2233",
            "555.010.2244",
            "1 555 010 2255",
            "+1 (555) 010-2266",
            "011 44 20 7946 0958",
            " +44 20 7946 0959 ",
        ]
        .into_iter()
        .map(|number| Phone {
            number: number.into(),
            label: None,
            sms_capable: true,
        })
        .collect();
    });
    let numbers: Vec<&str> = created.contacts[0]
        .phones
        .iter()
        .map(|phone| phone.number.as_str())
        .collect();
    assert_eq!(
        numbers,
        [
            "+15550102233",
            "+15550102244",
            "+15550102255",
            "+15550102266",
            "+442079460958",
            "+442079460959",
        ]
    );
}

#[test]
fn emails_are_lower_cased_and_trimmed() {
    let created = assert_accepted(|n| {
        n.contacts[0].emails = vec![
            "  Maria.Lopez@Example.COM ".into(),
            "O'Brien+Pool@Mail.co.UK".into(),
        ];
    });
    assert_eq!(
        created.contacts[0].emails,
        ["maria.lopez@example.com", "o'brien+pool@mail.co.uk"]
    );
}

#[test]
fn tags_are_trimmed_and_deduplicated() {
    let created = assert_accepted(|n| {
        n.tags = vec![
            " weekly ".into(),
            "salt".into(),
            "weekly".into(),
            "\tsalt".into(),
            "VIP".into(),
        ];
    });
    assert_eq!(created.tags, ["weekly", "salt", "VIP"]);
}

#[test]
fn blank_optional_text_becomes_none_and_text_is_trimmed() {
    let created = assert_accepted(|n| {
        n.display_name = "  Maria Lopez  ".into();
        n.custom_fields
            .insert(" pump_room ".into(), "behind the garage".into());
        let contact = &mut n.contacts[0];
        contact.name = " Maria Lopez ".into();
        contact.phones[0].label = Some("   ".into());
        contact.phones.push(Phone {
            number: "555 010 2244".into(),
            label: Some(" office ".into()),
            sms_capable: false,
        });
        let location = &mut n.locations[0];
        location.label = Some(" ".into());
        location.address.line1 = " 1420 Oak Street ".into();
        location.address.line2 = Some("  ".into());
        location.address.city = " Springfield ".into();
        location.special_instructions = Some(" Use the side gate ".into());
        location.access.key_location = Some(String::new());
        location.access.notes = Some(" \n ".into());
        location.access.pets = vec![Pet {
            name: " Rex ".into(),
            kind: " dog ".into(),
            temperament: PetTemperament::Friendly,
        }];
        location.access.hazards = vec![
            " wasp nest by the pump ".into(),
            "wasp nest by the pump".into(),
        ];
        let body = &mut location.bodies_of_water[0];
        body.name = " Main pool ".into();
        body.equipment = vec![Equipment {
            kind: EquipmentKind::Filter,
            make: Some(" ".into()),
            model: Some(" CCP420 ".into()),
            serial: Some(String::new()),
            installed_on: None,
        }];
        n.preferences.language = Some(" es-MX ".into());
        n.preferences.water_concerns =
            vec![" algae ".into(), "algae".into(), "sensitive skin".into()];
    });
    assert_eq!(created.display_name, "Maria Lopez");
    assert_eq!(
        created.custom_fields.get("pump_room").map(String::as_str),
        Some("behind the garage")
    );
    let contact = &created.contacts[0];
    assert_eq!(contact.name, "Maria Lopez");
    assert_eq!(contact.phones[0].label, None);
    assert_eq!(contact.phones[1].label.as_deref(), Some("office"));
    let location = &created.locations[0];
    assert_eq!(location.label, None);
    assert_eq!(location.address.line1, "1420 Oak Street");
    assert_eq!(location.address.line2, None);
    assert_eq!(location.address.city, "Springfield");
    assert_eq!(
        location.special_instructions.as_deref(),
        Some("Use the side gate")
    );
    assert_eq!(location.access.key_location, None);
    assert_eq!(location.access.notes, None);
    assert_eq!(
        (
            location.access.pets[0].name.as_str(),
            location.access.pets[0].kind.as_str()
        ),
        ("Rex", "dog")
    );
    assert_eq!(location.access.hazards, ["wasp nest by the pump"]);
    let body = &location.bodies_of_water[0];
    assert_eq!(body.name, "Main pool");
    let filter = &body.equipment[0];
    assert_eq!(
        (
            filter.make.as_deref(),
            filter.model.as_deref(),
            filter.serial.as_deref()
        ),
        (None, Some("CCP420"), None)
    );
    assert_eq!(created.preferences.language.as_deref(), Some("es-MX"));
    assert_eq!(
        created.preferences.water_concerns,
        ["algae", "sensitive skin"]
    );
}

#[test]
fn postal_code_and_country_are_upper_cased() {
    let created = assert_accepted(|n| {
        n.billing.address = Some(Address {
            line1: "24 Sussex Drive".into(),
            line2: None,
            city: "Ottawa".into(),
            region: " ON ".into(),
            postal_code: " k1a 0b1 ".into(),
            country: " ca ".into(),
        });
        n.locations[0].address.postal_code = "sw1a 1aa".into();
        n.locations[0].address.country = "gb".into();
    });
    let billing = created.billing.address.as_ref().unwrap();
    assert_eq!(billing.region, "ON");
    assert_eq!(billing.postal_code, "K1A 0B1");
    assert_eq!(billing.country, "CA");
    assert_eq!(created.locations[0].address.postal_code, "SW1A 1AA");
    assert_eq!(created.locations[0].address.country, "GB");
}

#[test]
fn updates_are_normalised_too() {
    let book = book();
    let created = book.create_customer(valid_customer(), &office()).unwrap();
    let mut contacts = created.contacts.clone();
    contacts[0].phones[0].number = "555-010-3344".into();
    contacts[0].emails = vec![" MARIA@NEW.Example.com".into()];
    let updated = book
        .update_customer(
            created.id,
            created.version,
            CustomerPatch {
                display_name: Some(" Maria Lopez-Garcia ".into()),
                tags: Some(vec![" vip".into(), "vip ".into()]),
                contacts: Some(contacts),
                ..CustomerPatch::default()
            },
            &office(),
        )
        .unwrap();
    assert_eq!(updated.version, 2);
    assert_eq!(updated.display_name, "Maria Lopez-Garcia");
    assert_eq!(updated.tags, ["vip"]);
    assert_eq!(updated.contacts[0].phones[0].number, "+15550103344");
    assert_eq!(updated.contacts[0].emails, ["maria@new.example.com"]);
    assert_eq!(book.customer(created.id).unwrap(), updated);
}

#[test]
fn one_refusal_names_every_bad_field_of_a_customer_in_field_order() {
    let book = Book::open_in_memory().unwrap();
    let mut new = NewCustomer::new(CustomerKind::Residential, "  ").with_contact(
        Contact::new("Maria Lopez", ContactRole::Owner)
            .with_phone("call the office", true)
            .with_email("maria.example.com"),
    );
    new.billing.terms_days = 400;
    let mut location = ServiceLocation::new(Address::new("", "Tampa", "FL", "33602", "USA"));
    location.access.hazards = vec!["   ".into()];
    new = new.with_location(location);
    let error = book.create_customer(new, &office()).unwrap_err();
    let fields: Vec<String> = error.problems().into_iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        [
            "display_name",
            "billing.terms_days",
            "contacts[0].phones[0].number",
            "contacts[0].emails[0]",
            "locations[0].address.line1",
            "locations[0].address.country",
            "locations[0].access.hazards[0]",
        ]
    );
    let Error::Invalid { field, also, .. } = &error else {
        panic!("expected Invalid, got {error:?}")
    };
    assert_eq!((field.as_str(), also.len()), ("display_name", 6));
    assert!(
        !error.to_string().contains("maria.example.com"),
        "no value echoed"
    );
    assert!(
        book.list_customers(&CustomerQuery::default())
            .unwrap()
            .customers
            .is_empty()
    );
}
