//! Conformance cases for the customer record: create, read, partial update,
//! optimistic concurrency, archive and restore, listings and their pages,
//! search, location transfers, the change log, secrets, technicians, the
//! default region and a closed book.

use std::collections::BTreeSet;

use super::revealed;
use crate::{
    AccessDetails, Address, ArchivedFilter, Author, BodyOfWater, Book, ChangeAction,
    ChangeLogQuery, Contact, ContactChannel, ContactRole, CustomerId, CustomerKind, CustomerPatch,
    CustomerQuery, EntityKind, Error, Frequency, LifecycleStatus, NewCustomer, NewTechnician, Pet,
    PetTemperament, Preferences, Sanitizer, Secret, SecretField, ServiceLocation, ServicePlan,
    TechnicianPatch, TextUpdate, VisitNotice, WaterKind, Weekday,
};
use chrono::{NaiveDate, Utc};
use rust_decimal::Decimal;

const GATE_CODE: &str = "GATE-7Q4X9";
const LOCK_COMBINATION: &str = "LOCK-31415";
const ALARM_CODE: &str = "ALARM-27182";

fn office() -> Author {
    Author::office("dana")
}

/// A street address in Springfield, IL.
fn springfield(line1: &str) -> Address {
    Address::new(line1, "Springfield", "IL", "62704", "us")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn maria() -> NewCustomer {
    let owner = Contact::new("Maria Lopez", ContactRole::Owner)
        .with_phone("(555) 010-2233", true)
        .with_email("Maria@Example.com")
        .primary();
    let notify = VisitNotice {
        channel: ContactChannel::Sms,
        contact_id: owner.id,
        lead_time_minutes: 30,
    };
    let mut location = ServiceLocation::new(springfield("1420 Oak Street")).with_body_of_water(
        BodyOfWater::new("Main pool", WaterKind::Pool, Sanitizer::Salt).with_gallons(18_000.0),
    );
    location.access = AccessDetails {
        gate_code: Some(Secret::new(GATE_CODE, "gate_code").unwrap()),
        lock_combination: Some(Secret::new(LOCK_COMBINATION, "lock_combination").unwrap()),
        alarm_code: Some(Secret::new(ALARM_CODE, "alarm_code").unwrap()),
        key_location: Some("lockbox by the side gate".into()),
        pets: vec![Pet {
            name: "Rex".into(),
            kind: "dog".into(),
            temperament: PetTemperament::Nervous,
        }],
        hazards: vec!["wasp nest by the pump".into()],
        ..AccessDetails::default()
    };
    let mut new = NewCustomer::new(CustomerKind::Residential, "Maria Lopez")
        .with_contact(owner)
        .with_location(location)
        .with_tag(" weekly ");
    new.preferences = Preferences {
        notify_before_visit: Some(notify),
        language: Some("es-MX".into()),
        ..Preferences::default()
    };
    new.billing.rate = Some(Decimal::new(12500, 2));
    new
}

fn plain(name: &str) -> NewCustomer {
    NewCustomer::new(CustomerKind::Residential, name)
}

fn log_len(book: &Book) -> usize {
    book.change_log(&ChangeLogQuery::default()).unwrap().len()
}

/// Create and get.
pub fn create_and_get(book: &Book) {
    let created = book.create_customer(maria(), &office()).unwrap();
    assert_eq!(created.version, 1);
    assert_eq!(created.created_at, created.updated_at);
    assert_eq!(created.tags, ["weekly"]);
    assert_eq!(created.contacts[0].phones[0].number, "+15550102233");
    assert_eq!(created.contacts[0].emails, ["maria@example.com"]);
    assert_eq!(created.locations[0].address.country, "US");

    let stored = book.customer(created.id).unwrap();
    assert_eq!(stored, created, "what is read back is what create returned");
    let access = &stored.locations[0].access;
    let home = stored.locations[0].id;
    assert!(
        access.gate_code.as_ref().unwrap().is_sealed(),
        "read back sealed"
    );
    assert_eq!(access.gate_code.as_ref().unwrap().reveal(), None);
    assert_eq!(
        revealed(book, home, SecretField::GateCode).as_deref(),
        Some(GATE_CODE)
    );
    assert_eq!(
        revealed(book, home, SecretField::AlarmCode).as_deref(),
        Some(ALARM_CODE)
    );
    assert_eq!(
        stored.locations[0].bodies_of_water[0].gallons,
        Some(18_000.0)
    );
    assert_eq!(stored.billing.rate, Some(Decimal::new(12500, 2)));

    let missing = CustomerId::new();
    match book.customer(missing).unwrap_err() {
        Error::NotFound { entity, id } => {
            assert_eq!(entity, EntityKind::Customer);
            assert_eq!(id, missing.to_string());
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    let mut duplicate = plain("Someone Else");
    duplicate.id = created.id;
    let error = book.create_customer(duplicate, &office()).unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "id"),
        "{error}"
    );
    assert_eq!(book.customer(created.id).unwrap(), created);
}

/// Update is partial.
pub fn update_is_partial(book: &Book) {
    let created = book.create_customer(maria(), &office()).unwrap();
    let patch = CustomerPatch {
        display_name: Some("Maria López".into()),
        status: Some(LifecycleStatus::Paused),
        ..CustomerPatch::default()
    };
    let updated = book
        .update_customer(created.id, 1, patch, &office())
        .unwrap();
    assert_eq!(updated.version, 2);
    assert_eq!(updated.display_name, "Maria López");
    assert_eq!(updated.status, LifecycleStatus::Paused);
    assert!(updated.updated_at >= created.updated_at);
    let stored = book.customer(created.id).unwrap();
    assert_eq!(stored, updated);
    assert_eq!(
        stored.contacts, created.contacts,
        "untouched fields are kept"
    );
    assert_eq!(stored.locations, created.locations);
    assert_eq!(stored.preferences, created.preferences);
    assert_eq!(stored.created_at, created.created_at);
}

/// Stale update conflicts.
pub fn stale_update_conflicts(book: &Book) {
    let created = book.create_customer(maria(), &office()).unwrap();
    let first = CustomerPatch {
        display_name: Some("Maria L.".into()),
        ..CustomerPatch::default()
    };
    book.update_customer(created.id, 1, first, &office())
        .unwrap();
    let before = book.customer(created.id).unwrap();
    let rows = log_len(book);

    let stale = CustomerPatch {
        tags: Some(vec!["vip".into()]),
        ..CustomerPatch::default()
    };
    let error = book
        .update_customer(created.id, 1, stale, &Author::office("sam"))
        .unwrap_err();
    match &error {
        Error::Conflict {
            entity,
            expected,
            actual,
            ..
        } => {
            assert_eq!(*entity, EntityKind::Customer);
            assert_eq!((*expected, *actual), (1, 2));
        }
        other => panic!("expected Conflict, got {other:?}"),
    }
    assert!(error.to_string().contains("changed by someone else"));
    assert_eq!(
        book.customer(created.id).unwrap(),
        before,
        "the newer edit survives"
    );
    assert_eq!(log_len(book), rows);
}

/// Update that changes nothing writes nothing.
pub fn update_that_changes_nothing_writes_nothing(book: &Book) {
    let created = book.create_customer(maria(), &office()).unwrap();
    let rows = log_len(book);
    let same = CustomerPatch {
        display_name: Some("  Maria Lopez ".into()),
        ..CustomerPatch::default()
    };
    let result = book
        .update_customer(created.id, 1, same, &office())
        .unwrap();
    assert_eq!(result.version, 1);
    assert_eq!(log_len(book), rows);
}

/// Archive and restore.
pub fn archive_and_restore(book: &Book) {
    let created = book.create_customer(maria(), &office()).unwrap();
    let archived = book.archive_customer(created.id, 1, &office()).unwrap();
    assert!(archived.archived_at.is_some());
    assert_eq!(archived.version, 2);
    assert_eq!(
        book.customer(created.id).unwrap(),
        archived,
        "archived, not deleted"
    );
    assert!(
        book.list_customers(&CustomerQuery::default())
            .unwrap()
            .customers
            .is_empty()
    );
    let only = CustomerQuery {
        archived: ArchivedFilter::Only,
        ..CustomerQuery::default()
    };
    let listed = book.list_customers(&only).unwrap().customers;
    assert_eq!(
        listed.iter().map(|c| c.id).collect::<Vec<_>>(),
        [created.id]
    );
    assert!(book.search_customers("maria", 10).unwrap().is_empty());

    let patch = CustomerPatch {
        display_name: Some("Changed".into()),
        ..CustomerPatch::default()
    };
    let error = book
        .update_customer(created.id, 2, patch, &office())
        .unwrap_err();
    assert!(error.to_string().contains("restore it"), "{error}");
    let error = book.archive_customer(created.id, 2, &office()).unwrap_err();
    assert!(error.to_string().contains("already archived"), "{error}");

    let restored = book.restore_customer(created.id, 2, &office()).unwrap();
    assert_eq!(restored.archived_at, None);
    assert_eq!(restored.version, 3);
    assert_eq!(
        restored.locations, created.locations,
        "everything came back"
    );
    assert_eq!(book.search_customers("maria", 10).unwrap().len(), 1);
    let actions: Vec<ChangeAction> = book
        .change_log(&ChangeLogQuery {
            entity: Some(EntityKind::Customer),
            entity_id: Some(created.id.to_string()),
            ..ChangeLogQuery::default()
        })
        .unwrap()
        .iter()
        .map(|row| row.action)
        .collect();
    assert_eq!(
        actions,
        [
            ChangeAction::Created,
            ChangeAction::Archived,
            ChangeAction::Restored
        ]
    );
}

/// Removed contacts are archived and restorable.
pub fn removed_contacts_are_archived_and_restorable(book: &Book) {
    let mut new = maria();
    let billing = Contact::new("Luis Lopez", ContactRole::Billing).with_email("luis@example.com");
    new.contacts.push(billing.clone());
    let created = book.create_customer(new, &office()).unwrap();
    let owner_only = CustomerPatch {
        contacts: Some(vec![created.contacts[0].clone()]),
        ..CustomerPatch::default()
    };
    let updated = book
        .update_customer(created.id, 1, owner_only, &office())
        .unwrap();
    assert_eq!(book.customer(created.id).unwrap().contacts.len(), 1);
    let contact_log = book
        .change_log(&ChangeLogQuery {
            entity: Some(EntityKind::Contact),
            entity_id: Some(billing.id.to_string()),
            ..ChangeLogQuery::default()
        })
        .unwrap();
    let last = contact_log.last().unwrap();
    assert_eq!(last.action, ChangeAction::Archived);
    assert!(
        last.changes
            .iter()
            .any(|c| c.field == "name" && c.before == "Luis Lopez"),
        "the archived contact's values are in the log: {:?}",
        last.changes
    );

    let both = CustomerPatch {
        contacts: Some(created.contacts.clone()),
        ..CustomerPatch::default()
    };
    book.update_customer(created.id, updated.version, both, &office())
        .unwrap();
    assert_eq!(
        book.customer(created.id).unwrap().contacts,
        created.contacts
    );
    let contact_log = book
        .change_log(&ChangeLogQuery {
            entity: Some(EntityKind::Contact),
            entity_id: Some(billing.id.to_string()),
            ..ChangeLogQuery::default()
        })
        .unwrap();
    assert_eq!(
        contact_log.iter().map(|row| row.action).collect::<Vec<_>>(),
        [
            ChangeAction::Created,
            ChangeAction::Archived,
            ChangeAction::Restored
        ]
    );
}

/// List filters.
pub fn list_filters(book: &Book) {
    let tech = book
        .add_technician(NewTechnician::new("Ana Reyes"), &office())
        .unwrap();
    let mut served = plain("Served by Ana").with_tag("hoa-north");
    served.kind = CustomerKind::Hoa;
    let mut location = ServiceLocation::new(springfield("1 Elm Dr"));
    location.service_plan = Some(ServicePlan {
        frequency: Frequency::Weekly,
        preferred_weekday: Some(Weekday::Tuesday),
        technician_id: Some(tech.id),
        starts_on: day(2026, 1, 6),
        ends_on: None,
        bills_chemicals: false,
    });
    served = served.with_location(location);
    let served = book.create_customer(served, &office()).unwrap();
    let mut lead = plain("A Lead");
    lead.status = LifecycleStatus::Lead;
    let lead = book.create_customer(lead, &office()).unwrap();
    let tagged = book
        .create_customer(plain("Tagged").with_tag("hoa-north"), &office())
        .unwrap();
    let cutoff = Utc::now();
    std::thread::sleep(std::time::Duration::from_millis(5));
    let late = book.create_customer(plain("Late"), &office()).unwrap();

    let ids = |query: CustomerQuery| -> Vec<CustomerId> {
        book.list_customers(&query)
            .unwrap()
            .customers
            .iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(
        ids(CustomerQuery {
            status: Some(LifecycleStatus::Lead),
            ..Default::default()
        }),
        [lead.id]
    );
    assert_eq!(
        ids(CustomerQuery {
            kind: Some(CustomerKind::Hoa),
            ..Default::default()
        }),
        [served.id]
    );
    assert_eq!(
        ids(CustomerQuery {
            tag: Some("hoa-north".into()),
            ..Default::default()
        }),
        [served.id, tagged.id]
    );
    assert_eq!(
        ids(CustomerQuery {
            technician_id: Some(tech.id),
            ..Default::default()
        }),
        [served.id]
    );
    assert_eq!(
        ids(CustomerQuery {
            updated_since: Some(cutoff),
            ..Default::default()
        }),
        [late.id]
    );
    assert_eq!(
        ids(CustomerQuery {
            status: Some(LifecycleStatus::Active),
            tag: Some("hoa-north".into()),
            ..Default::default()
        }),
        [served.id, tagged.id]
    );
    assert_eq!(ids(CustomerQuery::default()).len(), 4);
}

/// Keyset pagination is stable.
pub fn keyset_pagination_is_stable(book: &Book) {
    let mut created: Vec<CustomerId> = (0..25)
        .map(|n| {
            book.create_customer(plain(&format!("Customer {n:02}")), &office())
                .unwrap()
                .id
        })
        .collect();
    let mut seen = Vec::new();
    let mut query = CustomerQuery {
        limit: Some(10),
        ..Default::default()
    };
    let mut pages = 0;
    loop {
        let page = book.list_customers(&query).unwrap();
        pages += 1;
        if pages == 2 {
            // A customer added mid-way sorts after every existing one (UUIDv7):
            // the remaining pages pick it up, nothing is skipped or repeated.
            created.push(
                book.create_customer(plain("Mid-way"), &office())
                    .unwrap()
                    .id,
            );
        }
        seen.extend(page.customers.iter().map(|c| c.id));
        match page.next_after {
            Some(after) => query.after = Some(after),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, created, "every customer once, in creation order");
    let error = book
        .list_customers(&CustomerQuery {
            limit: Some(0),
            ..Default::default()
        })
        .unwrap_err();
    assert!(matches!(error, Error::Invalid { ref field, .. } if field == "limit"));
}

/// Search finds by name phone email and address.
pub fn search_finds_by_name_phone_email_and_address(book: &Book) {
    let maria = book.create_customer(maria(), &office()).unwrap();
    let decoy = plain("Oliver Stone").with_contact(
        Contact::new("Oliver Stone", ContactRole::Owner)
            .with_phone("(555) 777-1234", true)
            .with_email("oliver@example.org"),
    );
    book.create_customer(
        decoy.with_location(ServiceLocation::new(springfield("88 Pine Avenue"))),
        &office(),
    )
    .unwrap();
    for query in [
        "lop",
        "maria lo",
        "Maria Lopez",
        "555-010-2233",
        "(555) 010-2233",
        "+1 555 010 2233",
        "2233",
        "maria@example.com",
        "oak st",
        "oak street",
        "1420 oak",
        "springfield oak",
    ] {
        let hits = book.search_customers(query, 10).unwrap();
        assert_eq!(
            hits.iter().map(|h| h.customer_id).collect::<Vec<_>>(),
            [maria.id],
            "query {query:?} finds Maria and only Maria"
        );
        assert_eq!(hits[0].display_name, "Maria Lopez");
    }
    let pine = book.search_customers("pine ave", 10).unwrap();
    assert_eq!(pine.len(), 1);
    assert_eq!(pine[0].display_name, "Oliver Stone");
    assert_eq!(
        book.search_customers("88 pine avenue", 10).unwrap().len(),
        1
    );
    assert!(book.search_customers("nobody here", 10).unwrap().is_empty());
    assert!(book.search_customers("   ", 10).unwrap().is_empty());
    assert!(
        book.search_customers("\"unbalanced (", 10)
            .unwrap()
            .is_empty()
    );
}

/// Search ranks and skips archived.
pub fn search_ranks_and_skips_archived(book: &Book) {
    let named = book
        .create_customer(plain("Oakley Smith"), &office())
        .unwrap();
    let street = book
        .create_customer(
            plain("Jo Brown").with_location(ServiceLocation::new(springfield("5 Oakley Road"))),
            &office(),
        )
        .unwrap();
    let hits = book.search_customers("oakley", 10).unwrap();
    assert_eq!(
        hits.iter().map(|h| h.customer_id).collect::<Vec<_>>(),
        [named.id, street.id],
        "a name match ranks above an address match"
    );
    assert!(hits[0].score > hits[1].score);
    book.archive_customer(named.id, 1, &office()).unwrap();
    let hits = book.search_customers("oakley", 10).unwrap();
    assert_eq!(
        hits.iter().map(|h| h.customer_id).collect::<Vec<_>>(),
        [street.id]
    );
    let limited = book.search_customers("springfield", 1).unwrap();
    assert_eq!(limited.len(), 1);
}

/// Search forgives typos in names and addresses only when nobody matches
/// as typed, never in the first letter or in short words, and never finds
/// an archived customer by them.
pub fn search_forgives_typos(book: &Book) {
    let maria = book.create_customer(maria(), &office()).unwrap();
    let hector = book
        .create_customer(
            plain("Héctor Hernández")
                .with_location(ServiceLocation::new(springfield("77 Magnolia Drive"))),
            &office(),
        )
        .unwrap();
    book.create_customer(plain("Oliver Stone"), &office())
        .unwrap();
    let found = |query: &str| -> Vec<CustomerId> {
        book.search_customers(query, 10)
            .unwrap()
            .iter()
            .map(|hit| hit.customer_id)
            .collect()
    };
    for (query, expected) in [
        ("lopex", vec![maria.id]),
        ("Maria Lpoez", vec![maria.id]),
        ("maria lopx", vec![maria.id]),
        ("hernnadez", vec![hector.id]),
        ("hector hrenandxz", vec![hector.id]),
        ("hernad", vec![hector.id]),
        ("magnolai", vec![hector.id]),
        ("1420 oka street", vec![]),
        ("kopez", vec![]),
        ("lpz", vec![]),
        ("maria hernnadez", vec![]),
    ] {
        assert_eq!(found(query), expected, "query {query:?}");
    }
    let lopex = book
        .create_customer(plain("Lopex Pools"), &office())
        .unwrap();
    assert_eq!(
        found("lopex"),
        [lopex.id],
        "a customer matching as typed hides the typo matches"
    );
    book.archive_customer(hector.id, 1, &office()).unwrap();
    assert_eq!(found("hernnadez"), Vec::<CustomerId>::new());
}

/// Location transfer keeps the pool.
pub fn location_transfer_keeps_the_pool(book: &Book) {
    let seller = book.create_customer(maria(), &office()).unwrap();
    let buyer = book.create_customer(plain("New Owner"), &office()).unwrap();
    let location = seller.locations[0].clone();
    let transfer = book
        .transfer_location(location.id, buyer.id, &office())
        .unwrap();
    assert!(transfer.from.locations.is_empty());
    assert_eq!(
        transfer.to.locations,
        std::slice::from_ref(&location),
        "pool, equipment, codes and plan move"
    );
    assert_eq!((transfer.from.version, transfer.to.version), (2, 2));
    assert_eq!(book.customer(seller.id).unwrap(), transfer.from);
    assert_eq!(book.customer(buyer.id).unwrap(), transfer.to);
    assert_eq!(
        book.search_customers("1420 oak", 10).unwrap()[0].customer_id,
        buyer.id,
        "search follows the address to its new owner"
    );
    for customer in [seller.id, buyer.id] {
        let rows = book
            .change_log(&ChangeLogQuery {
                customer_id: Some(customer),
                ..Default::default()
            })
            .unwrap();
        let last = rows.last().unwrap();
        assert_eq!(last.action, ChangeAction::Transferred);
        assert_eq!(last.entity_id, location.id.to_string());
        assert_eq!(last.changes[0].before, seller.id.to_string());
        assert_eq!(last.changes[0].after, buyer.id.to_string());
    }
    let error = book
        .transfer_location(location.id, buyer.id, &office())
        .unwrap_err();
    assert!(error.to_string().contains("already belongs"), "{error}");
    let error = book
        .transfer_location(crate::LocationId::new(), buyer.id, &office())
        .unwrap_err();
    assert!(matches!(
        error,
        Error::NotFound {
            entity: EntityKind::Location,
            ..
        }
    ));
    let back = book
        .transfer_location(location.id, seller.id, &office())
        .unwrap();
    assert_eq!(back.to.locations, [location]);
}

/// Change log reads by entity customer and author.
pub fn change_log_reads_by_entity_customer_and_author(book: &Book) {
    let created = book.create_customer(maria(), &office()).unwrap();
    let rows = book
        .change_log(&ChangeLogQuery {
            customer_id: Some(created.id),
            ..Default::default()
        })
        .unwrap();
    let kinds: BTreeSet<EntityKind> = rows.iter().map(|row| row.entity).collect();
    assert_eq!(
        kinds,
        BTreeSet::from([
            EntityKind::Customer,
            EntityKind::Contact,
            EntityKind::Location,
            EntityKind::BodyOfWater
        ])
    );
    assert!(
        rows.iter()
            .all(|row| row.action == ChangeAction::Created && row.author == office())
    );
    let customer_row = rows
        .iter()
        .find(|row| row.entity == EntityKind::Customer)
        .unwrap();
    assert!(
        customer_row
            .changes
            .iter()
            .any(|c| c.field == "display_name" && c.before.is_null() && c.after == "Maria Lopez")
    );

    let tech = Author::technician(crate::TechnicianId::new());
    let mut billing = created.billing.clone();
    billing.rate = Some(Decimal::new(14000, 2));
    book.update_customer(
        created.id,
        1,
        CustomerPatch {
            billing: Some(billing),
            ..Default::default()
        },
        &tech,
    )
    .unwrap();
    let by_tech = book
        .change_log(&ChangeLogQuery {
            author: Some(tech.clone()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_tech.len(), 1);
    let row = &by_tech[0];
    assert_eq!(
        (row.entity, row.action),
        (EntityKind::Customer, ChangeAction::Updated)
    );
    assert_eq!(row.changes.len(), 1);
    assert_eq!(row.changes[0].field, "billing.rate");
    assert_eq!(row.changes[0].before, "125.00");
    assert_eq!(row.changes[0].after, "140.00");

    let entity_rows = book
        .change_log(&ChangeLogQuery {
            entity: Some(EntityKind::Customer),
            entity_id: Some(created.id.to_string()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(entity_rows.len(), 2);
    assert!(entity_rows[0].seq < entity_rows[1].seq);
    let after_first = book
        .change_log(&ChangeLogQuery {
            after_seq: Some(entity_rows[0].seq),
            ..Default::default()
        })
        .unwrap();
    assert!(after_first.iter().all(|row| row.seq > entity_rows[0].seq));
    let one = book
        .change_log(&ChangeLogQuery {
            limit: Some(1),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(one.len(), 1);
}

/// Secrets never leak.
pub fn secrets_never_leak(book: &Book) {
    let secrets = [GATE_CODE, LOCK_COMBINATION, ALARM_CODE];
    let assert_clean = |what: &str, text: &str| {
        for secret in secrets {
            assert!(!text.contains(secret), "{what} shows a secret: {text}");
        }
    };
    let created = book.create_customer(maria(), &office()).unwrap();
    assert_clean("Debug of a customer", &format!("{created:?}"));
    assert_clean(
        "JSON of a customer",
        &serde_json::to_string(&created).unwrap(),
    );
    let access = &created.locations[0].access;
    assert_clean(
        "Display of a secret",
        &access.gate_code.as_ref().unwrap().to_string(),
    );
    assert_eq!(
        access.gate_code.as_ref().unwrap().reveal(),
        None,
        "a stored secret stays sealed in memory"
    );
    assert_eq!(
        revealed(book, created.locations[0].id, SecretField::GateCode).as_deref(),
        Some(GATE_CODE),
        "reveal is explicit"
    );

    // Change every secret, and make errors happen around them.
    let mut locations = created.locations.clone();
    locations[0].access.gate_code = Some(Secret::new("GATE-NEW-1", "gate_code").unwrap());
    locations[0].access.lock_combination = None;
    let updated = book
        .update_customer(
            created.id,
            1,
            CustomerPatch {
                locations: Some(locations.clone()),
                ..Default::default()
            },
            &office(),
        )
        .unwrap();
    let mut bad = locations.clone();
    bad[0].bodies_of_water[0].gallons = Some(-5.0);
    let errors = [
        book.update_customer(
            created.id,
            updated.version,
            CustomerPatch {
                locations: Some(bad),
                ..Default::default()
            },
            &office(),
        )
        .unwrap_err(),
        book.update_customer(created.id, 1, CustomerPatch::default(), &office())
            .unwrap_err(),
        Secret::new(format!("{GATE_CODE}{}", "9".repeat(80)), "gate_code").unwrap_err(),
        Secret::new(format!("{ALARM_CODE}\u{7}"), "alarm_code").unwrap_err(),
        serde_json::from_str::<Secret>("\"[redacted]\"")
            .map_err(|e| Error::invalid("json", e.to_string()))
            .unwrap_err(),
    ];
    for error in &errors {
        assert_clean("an error message", &error.to_string());
        assert_clean("Debug of an error", &format!("{error:?}"));
    }

    let log = book.change_log(&ChangeLogQuery::default()).unwrap();
    assert_clean("the change log", &format!("{log:?}"));
    assert_clean(
        "the change log as JSON",
        &serde_json::to_string(&log).unwrap(),
    );
    assert!(!format!("{log:?}").contains("GATE-NEW-1"));
    let secret_changes: Vec<_> = log
        .iter()
        .filter(|row| row.action == ChangeAction::Updated)
        .flat_map(|row| &row.changes)
        .collect();
    let fields: BTreeSet<&str> = secret_changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        BTreeSet::from(["access.gate_code", "access.lock_combination"]),
        "only the two changed secrets, and nothing else, were logged"
    );
    for change in secret_changes {
        assert!(change.secret && change.before.is_null() && change.after.is_null());
        assert_eq!(change.to_string(), format!("{}: changed", change.field));
    }
    let stored = book.customer(created.id).unwrap();
    assert_eq!(
        revealed(book, stored.locations[0].id, SecretField::GateCode).as_deref(),
        Some("GATE-NEW-1")
    );
    assert_eq!(stored.locations[0].access.lock_combination, None);
}

/// Technicians.
pub fn technicians(book: &Book) {
    let ana = book
        .add_technician(
            NewTechnician {
                phone: Some("555 010 9999".into()),
                ..NewTechnician::new("Ana Reyes")
            },
            &office(),
        )
        .unwrap();
    assert_eq!(ana.phone.as_deref(), Some("+15550109999"));
    assert_eq!(book.technician(ana.id).unwrap(), ana);
    let off = book
        .update_technician(
            ana.id,
            1,
            TechnicianPatch {
                active: Some(false),
                ..Default::default()
            },
            &office(),
        )
        .unwrap();
    assert!(!off.active);
    assert_eq!(off.version, 2);
    let error = book
        .update_technician(
            ana.id,
            1,
            TechnicianPatch {
                name: Some("X".into()),
                ..Default::default()
            },
            &office(),
        )
        .unwrap_err();
    assert!(matches!(
        error,
        Error::Conflict {
            entity: EntityKind::Technician,
            expected: 1,
            actual: 2,
            ..
        }
    ));
    let ben = book
        .add_technician(NewTechnician::new("Ben Ortiz"), &office())
        .unwrap();
    let active: Vec<_> = book
        .technicians(false)
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(active, [ben.id]);
    let all: Vec<_> = book
        .technicians(true)
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(all, [ana.id, ben.id]);
    let rows = book
        .change_log(&ChangeLogQuery {
            entity: Some(EntityKind::Technician),
            entity_id: Some(ana.id.to_string()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        rows.iter().map(|r| r.action).collect::<Vec<_>>(),
        [ChangeAction::Created, ChangeAction::Updated]
    );
    assert_eq!(rows[1].changes[0].field, "active");
}

/// Default region reads national numbers.
pub fn default_region_reads_national_numbers(book: &Book) {
    assert_eq!(book.default_region().unwrap().code, "US");
    book.set_default_region("gb", &office()).unwrap();
    assert_eq!(book.default_region().unwrap().code, "GB");
    let customer = book
        .create_customer(
            plain("Ann Smith").with_contact(
                Contact::new("Ann Smith", ContactRole::Owner).with_phone("020 7946 0958", false),
            ),
            &office(),
        )
        .unwrap();
    assert_eq!(customer.contacts[0].phones[0].number, "+442079460958");
    let rows = book
        .change_log(&ChangeLogQuery {
            entity: Some(EntityKind::Setting),
            entity_id: Some("default_region".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (
            rows[0].changes[0].before.as_str(),
            rows[0].changes[0].after.as_str()
        ),
        (Some("US"), Some("GB"))
    );
}

/// Closed book refuses calls.
pub fn closed_book_refuses_calls(book: &Book) {
    let created = book
        .create_customer(plain("Before Close"), &office())
        .unwrap();
    book.close().unwrap();
    assert!(matches!(book.customer(created.id), Err(Error::Closed)));
    assert!(matches!(
        book.create_customer(plain("After"), &office()),
        Err(Error::Closed)
    ));
    assert!(matches!(
        book.search_customers("before", 5),
        Err(Error::Closed)
    ));
    assert_eq!(
        book.close().map_err(|e| e.to_string()),
        Ok(()),
        "closing twice is harmless"
    );
}

/// The change log filters by entity kind alone, and refuses an entity id
/// without its kind.
pub fn the_change_log_filters_by_entity_kind(book: &Book) {
    let created = book.create_customer(maria(), &office()).unwrap();
    book.add_technician(NewTechnician::new("Ana Reyes"), &office())
        .unwrap();
    let contacts = book
        .change_log(&ChangeLogQuery {
            entity: Some(EntityKind::Contact),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0].entity_id, created.contacts[0].id.to_string());
    let technicians = book
        .change_log(&ChangeLogQuery {
            entity: Some(EntityKind::Technician),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(technicians.len(), 1);
    assert_eq!(technicians[0].action, ChangeAction::Created);
    let before = log_len(book);
    let error = book
        .change_log(&ChangeLogQuery {
            entity_id: Some(created.id.to_string()),
            ..Default::default()
        })
        .unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "entity"),
        "{error}"
    );
    assert_eq!(log_len(book), before);
}

/// A technician's phone and email can be set and then cleared, each change
/// logged.
pub fn a_technicians_phone_and_email_can_be_cleared(book: &Book) {
    let ana = book
        .add_technician(NewTechnician::new("Ana Reyes"), &office())
        .unwrap();
    let reachable = book
        .update_technician(
            ana.id,
            ana.version,
            TechnicianPatch {
                phone: Some(TextUpdate::set("555 010 7777")),
                email: Some(TextUpdate::set("ana@pools.example")),
                ..Default::default()
            },
            &office(),
        )
        .unwrap();
    assert_eq!(reachable.phone.as_deref(), Some("+15550107777"));
    assert_eq!(reachable.email.as_deref(), Some("ana@pools.example"));
    let cleared = book
        .update_technician(
            ana.id,
            reachable.version,
            TechnicianPatch {
                phone: Some(TextUpdate::Clear),
                email: Some(TextUpdate::Clear),
                ..Default::default()
            },
            &office(),
        )
        .unwrap();
    assert_eq!((cleared.phone, cleared.email), (None, None));
    assert_eq!(book.technician(ana.id).unwrap().phone, None);
    let log = book
        .change_log(&ChangeLogQuery {
            entity: Some(EntityKind::Technician),
            entity_id: Some(ana.id.to_string()),
            ..Default::default()
        })
        .unwrap();
    let last = &log.last().unwrap().changes;
    let fields: BTreeSet<&str> = last.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, BTreeSet::from(["email", "phone"]));
    assert!(last.iter().all(|c| c.after.is_null()));
}

/// An update that touches every part stores exactly the new record: a
/// store that writes only what changed (a reordered list, one changed
/// contact, a new gate code, a renamed pool) must not miss a row.
pub fn an_update_of_every_part_stores_exactly_the_new_record(book: &Book) {
    let mut new = maria();
    new.contacts
        .push(Contact::new("Luis Lopez", ContactRole::Tenant).with_email("luis@example.com"));
    new.locations.push(
        ServiceLocation::new(springfield("9 Elm Court")).with_body_of_water(BodyOfWater::new(
            "Spa",
            WaterKind::Spa,
            Sanitizer::Bromine,
        )),
    );
    let created = book.create_customer(new, &office()).unwrap();

    let mut contacts = created.contacts.clone();
    contacts.swap(0, 1);
    contacts[0].phones.clear();
    contacts[0] = contacts[0].clone().with_phone("(555) 010-7788", false);
    let mut locations = created.locations.clone();
    locations.swap(0, 1);
    locations[1].access.gate_code = Some(Secret::new("GATE-NEW-1", "gate_code").unwrap());
    locations[1].bodies_of_water[0].name = "Big pool".into();
    locations[1].bodies_of_water.push(BodyOfWater::new(
        "Fountain",
        WaterKind::WaterFeature,
        Sanitizer::Chlorine,
    ));
    locations[0].special_instructions = Some("text first".into());
    let patch = CustomerPatch {
        display_name: Some("Maria L. Lopez".into()),
        tags: Some(vec!["vip".into(), "weekly".into()]),
        contacts: Some(contacts),
        locations: Some(locations),
        ..CustomerPatch::default()
    };
    let updated = book
        .update_customer(created.id, 1, patch, &office())
        .unwrap();
    assert_eq!(book.customer(created.id).unwrap(), updated);
    assert_eq!(updated.contacts[0].name, "Luis Lopez");
    assert_eq!(updated.contacts[0].phones[0].number, "+15550107788");
    assert_eq!(updated.locations[1].bodies_of_water.len(), 2);
    assert_eq!(
        revealed(book, updated.locations[1].id, SecretField::GateCode).as_deref(),
        Some("GATE-NEW-1")
    );
    assert_eq!(updated.tags, ["vip", "weekly"]);
    let found = |query: &str| {
        book.search_customers(query, 10)
            .unwrap()
            .iter()
            .any(|hit| hit.customer_id == created.id)
    };
    assert!(found("555 010 7788"), "the new phone is searchable");
    assert!(found("Maria L. Lopez"));

    // Take the new parts away again: the store archives exactly those.
    let mut contacts = updated.contacts.clone();
    contacts.remove(0);
    let mut locations = updated.locations.clone();
    locations[1].bodies_of_water.pop();
    locations.remove(0);
    let patch = CustomerPatch {
        tags: Some(Vec::new()),
        contacts: Some(contacts),
        locations: Some(locations),
        ..CustomerPatch::default()
    };
    let trimmed = book
        .update_customer(created.id, 2, patch, &office())
        .unwrap();
    let stored = book.customer(created.id).unwrap();
    assert_eq!(stored, trimmed);
    assert_eq!(stored.contacts.len(), 1);
    assert_eq!(stored.locations.len(), 1);
    assert_eq!(stored.locations[0].bodies_of_water.len(), 1);
    assert!(stored.tags.is_empty());
    assert!(
        !found("555 010 7788"),
        "a removed contact's phone is not searchable"
    );
}

/// A sound book's integrity check finds nothing and counts what it read.
pub fn an_integrity_check_of_a_sound_book_finds_nothing(book: &Book) {
    let created = book.create_customer(maria(), &office()).unwrap();
    book.add_note(crate::Note::new(created.id, "Gate sticks"), &office())
        .unwrap();
    let report = book.check_integrity().unwrap();
    assert!(report.ok, "{:?}", report.problems);
    assert!(report.problems.is_empty());
    assert_eq!(report.customers_checked, 1);
    assert_eq!(report.entries_checked, 1);
}

/// Secrets are stored sealed and come back sealed; a reveal opens one and
/// writes one audit row; both key rotations keep every secret readable
/// through the store's key, sealed-secret and audit operations.
pub fn secrets_are_sealed_and_every_reveal_is_audited(book: &Book) {
    let created = book.create_customer(maria(), &office()).unwrap();
    let home = created.locations[0].id;
    let stored = book.customer(created.id).unwrap();
    let gate = stored.locations[0].access.gate_code.as_ref().unwrap();
    assert!(gate.is_sealed(), "read back sealed");
    assert_eq!(gate.reveal(), None);
    assert!(book.secret_reveals(&Default::default()).unwrap().is_empty());
    assert_eq!(
        revealed(book, home, SecretField::GateCode).as_deref(),
        Some(GATE_CODE)
    );
    let audit = book.secret_reveals(&Default::default()).unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(
        (audit[0].location_id, audit[0].field, audit[0].customer_id),
        (home, SecretField::GateCode, created.id)
    );
    // A record read back, sealed codes and all, writes back unchanged.
    let renamed = book
        .update_customer(
            created.id,
            created.version,
            CustomerPatch {
                display_name: Some("Maria L. Lopez".into()),
                locations: Some(stored.locations.clone()),
                ..Default::default()
            },
            &office(),
        )
        .unwrap();
    assert_eq!(
        renamed.locations[0].access.gate_code,
        stored.locations[0].access.gate_code
    );
    book.rotate_data_key(super::test_key_provider(), &office())
        .unwrap();
    book.rotate_key_encryption_key(super::test_key_provider(), &office())
        .unwrap();
    assert_eq!(
        revealed(book, home, SecretField::LockCombination).as_deref(),
        Some(LOCK_COMBINATION)
    );
    assert_ne!(
        book.customer(created.id).unwrap().locations[0]
            .access
            .gate_code,
        stored.locations[0].access.gate_code,
        "resealed under the new data key"
    );
    assert_eq!(book.secret_reveals(&Default::default()).unwrap().len(), 2);
}
