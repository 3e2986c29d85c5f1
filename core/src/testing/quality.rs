//! Conformance cases for data quality: duplicate candidates and their
//! explained scores, placeholders and shared numbers, the office's
//! verdicts, merges and their undoing, and the quality report.

use crate::{
    Address, Author, Book, Contact, ContactRole, Customer, CustomerKind, CustomerPatch,
    DuplicateCandidate, DuplicateQuery, DuplicateVerdict, Error, MatchBand, NewCustomer,
    ServiceLocation,
};

fn office() -> Author {
    Author::office("dana")
}

/// A residential customer with one primary contact and one service address.
pub(crate) fn person(
    name: &str,
    phone: Option<&str>,
    email: Option<&str>,
    line1: &str,
) -> NewCustomer {
    let mut contact = Contact::new(name, ContactRole::Owner).primary();
    if let Some(phone) = phone {
        contact = contact.with_phone(phone, true);
    }
    if let Some(email) = email {
        contact = contact.with_email(email);
    }
    NewCustomer::new(CustomerKind::Residential, name)
        .with_contact(contact)
        .with_location(ServiceLocation::new(Address::new(
            line1, "Tampa", "FL", "33602", "US",
        )))
}

/// `count` customers unlike each other and unlike the cases' people, so
/// the matcher has a book to learn how often strangers agree.
pub(crate) fn strangers(book: &Book, count: usize) -> Vec<Customer> {
    const FIRST: &[&str] = &[
        "alma", "boris", "cleo", "dmitri", "esme", "farid", "gwen", "hugo", "ines", "jorge",
        "kenji", "lotte", "milo", "nadia", "oskar", "priya", "quinn",
    ];
    const LAST: &[&str] = &[
        "abbot",
        "brandt",
        "castillo",
        "dunmore",
        "eriksen",
        "fairweather",
        "gallo",
        "hollis",
        "ivanova",
        "jansen",
        "kowalski",
        "lindqvist",
        "moreau",
        "nakamura",
        "okafor",
    ];
    const STREET: &[&str] = &[
        "Birch", "Cedar", "Dogwood", "Fir", "Hawthorn", "Juniper", "Laurel", "Magnolia", "Olive",
        "Poplar", "Redwood", "Spruce", "Willow",
    ];
    let news = (0..count)
        .map(|i| {
            let name = format!(
                "{} {}",
                FIRST[i % FIRST.len()],
                LAST[(i / FIRST.len() + i) % LAST.len()]
            );
            let phone = format!("813-{:03}-{:04}", 200 + i % 700, 1000 + (i * 37) % 9000);
            let line1 = format!("{} {} Way", 100 + i * 3, STREET[i % STREET.len()]);
            person(&name, Some(&phone), None, &line1)
        })
        .collect();
    book.create_customers(news, &office()).unwrap()
}

/// The candidate pairing `x` and `y`, if listed.
fn pair<'a>(
    candidates: &'a [DuplicateCandidate],
    x: &Customer,
    y: &Customer,
) -> Option<&'a DuplicateCandidate> {
    candidates
        .iter()
        .find(|c| (c.a, c.b) == (x.id, y.id) || (c.a, c.b) == (y.id, x.id))
}

fn all(book: &Book) -> Vec<DuplicateCandidate> {
    book.duplicate_candidates(&DuplicateQuery::default())
        .unwrap()
}

/// Two records of Maria (the phone typed without +1, dots in her Gmail
/// address, "St" for "Street", first and last name swapped) are found as a
/// likely duplicate; the score's lines and prior sum to its weight, its
/// probability follows from the weight, and it is the same asked from
/// either side.
pub fn duplicate_candidates_are_found_and_explained(book: &Book) {
    strangers(book, 60);
    let maria = book
        .create_customer(
            person(
                "Maria Lopez",
                Some("+1 (555) 010-2233"),
                Some("maria.lopez@gmail.com"),
                "1420 Oak Street",
            ),
            &office(),
        )
        .unwrap();
    let again = book
        .create_customer(
            person(
                "Lopez, Maria",
                Some("555.010.2233"),
                Some("MariaLopez@gmail.com"),
                "1420 Oak St",
            ),
            &office(),
        )
        .unwrap();
    let candidates = all(book);
    let found = pair(&candidates, &maria, &again).expect("Maria's two records are a candidate");
    assert_eq!(found.band, MatchBand::Likely);
    assert!(found.probability > 0.99, "{found:?}");
    let sum = found.prior + found.comparisons.iter().map(|c| c.weight).sum::<f64>();
    assert!(
        (sum - found.weight).abs() < 1e-9,
        "{sum} != {}",
        found.weight
    );
    let expected = 1.0 / (1.0 + (-found.weight).exp2());
    assert!((found.probability - expected).abs() < 1e-12);
    let line = |field: &str| {
        found
            .comparisons
            .iter()
            .find(|c| c.field == field)
            .unwrap_or_else(|| panic!("no {field} line in {found:?}"))
    };
    assert_eq!(line("phone").level, "exact");
    assert_eq!(line("phone").a_value, "+15550102233");
    assert_eq!(line("email").level, "exact");
    assert_eq!(line("street").level, "exact");
    assert_eq!(line("street").a_value, "oak st");
    assert!(line("phone").weight > 5.0 && line("first_name").weight > 0.0);
    // Asked from either side, the pair scores the same.
    for id in [maria.id, again.id] {
        let mine = book
            .duplicate_candidates(&DuplicateQuery {
                customer_id: Some(id),
                ..DuplicateQuery::default()
            })
            .unwrap();
        assert_eq!(mine.len(), 1, "{mine:?}");
        assert_eq!(mine[0].weight, found.weight);
        assert_eq!(mine[0].comparisons, found.comparisons);
    }
    // Nobody else in the book pairs up.
    assert_eq!(candidates.len(), 1, "{candidates:?}");
}

/// A lead being typed in ("Mary Lopez", her number without formatting) is
/// matched against the book before it is saved.
pub fn a_record_being_typed_is_matched_against_the_book(book: &Book) {
    strangers(book, 40);
    let maria = book
        .create_customer(
            person(
                "Maria Lopez",
                Some("(555) 010-2233"),
                None,
                "1420 Oak Street",
            ),
            &office(),
        )
        .unwrap();
    let typed = person("Mary Lopez", Some("5550102233"), None, "1420 oak st");
    let found = book
        .duplicate_candidates(&DuplicateQuery {
            record: Some(typed.clone()),
            ..DuplicateQuery::default()
        })
        .unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    let ids = [found[0].a, found[0].b];
    assert!(ids.contains(&maria.id) && ids.contains(&typed.id));
    let first = found[0]
        .comparisons
        .iter()
        .find(|c| c.field == "first_name")
        .unwrap();
    assert_eq!(first.level, "nickname", "Mary is a Maria: {first:?}");
    // Nothing was saved.
    assert!(book.customer(typed.id).is_err());
}

/// Placeholder values and a number shared by many accounts are never
/// evidence: strangers sharing them are not candidates, and a pair's
/// explanation shows them at weight 0.
pub fn placeholders_and_shared_numbers_are_not_evidence(book: &Book) {
    strangers(book, 40);
    let office_line = "(555) 010-9999";
    let managed: Vec<Customer> = [
        "Ada Quist",
        "Ben Ruiz",
        "Cy Tran",
        "Di Ueda",
        "Ed Vance",
        "Flo Wynn",
    ]
    .iter()
    .enumerate()
    .map(|(i, name)| {
        book.create_customer(
            person(
                name,
                Some(office_line),
                Some("office@pmco.com"),
                &format!("{} Bay Rd", 10 + i),
            ),
            &office(),
        )
        .unwrap()
    })
    .collect();
    let dummy = ["Gus Xiong", "Hal Yates"].map(|name| {
        book.create_customer(
            person(name, Some("555-555-5555"), Some("test@test.com"), "N/A"),
            &office(),
        )
        .unwrap()
    });
    let candidates = all(book);
    for (i, x) in managed.iter().enumerate() {
        for y in &managed[i + 1..] {
            assert!(
                pair(&candidates, x, y).is_none(),
                "shared office line: {candidates:?}"
            );
        }
    }
    assert!(
        pair(&candidates, &dummy[0], &dummy[1]).is_none(),
        "{candidates:?}"
    );
    // Ada, entered twice: the office line is shown, not counted.
    let ada = book
        .create_customer(
            person("Ada Quist", Some(office_line), None, "10 Bay Road"),
            &office(),
        )
        .unwrap();
    let found = book
        .duplicate_candidates(&DuplicateQuery {
            customer_id: Some(ada.id),
            ..DuplicateQuery::default()
        })
        .unwrap();
    let twin = pair(&found, &ada, &managed[0]).expect("Ada's two records");
    let phone = twin
        .comparisons
        .iter()
        .find(|c| c.field == "phone")
        .unwrap();
    assert_eq!(phone.weight, 0.0);
    assert!(phone.level.contains("shared by 7 customers"), "{phone:?}");
}

/// A pair rejected as "not a duplicate" is not listed again, even after an
/// edit to a field that did not matter, until a field that carried weight
/// changes. A confirmed pair is listed with its verdict.
pub fn a_rejected_pair_returns_only_when_a_field_that_mattered_changes(book: &Book) {
    strangers(book, 40);
    let senior = book
        .create_customer(
            person("Robert Hale", Some("555-010-4400"), None, "88 Palm Ave"),
            &office(),
        )
        .unwrap();
    let junior = book
        .create_customer(
            person("Robert Hale", Some("555-010-4401"), None, "88 Palm Avenue"),
            &office(),
        )
        .unwrap();
    assert!(pair(&all(book), &senior, &junior).is_some());
    book.decide_duplicate(
        junior.id,
        senior.id,
        DuplicateVerdict::NotDuplicate,
        &office(),
    )
    .unwrap();
    assert!(pair(&all(book), &senior, &junior).is_none());
    let junior = book
        .update_customer(
            junior.id,
            junior.version,
            CustomerPatch {
                tags: Some(vec!["vip".into()]),
                ..CustomerPatch::default()
            },
            &office(),
        )
        .unwrap();
    assert!(
        pair(&all(book), &senior, &junior).is_none(),
        "tags did not matter"
    );
    let mut contacts = junior.contacts.clone();
    contacts[0].phones[0].number = "555-010-4400".into();
    book.update_customer(
        junior.id,
        junior.version,
        CustomerPatch {
            contacts: Some(contacts),
            ..CustomerPatch::default()
        },
        &office(),
    )
    .unwrap();
    let back = all(book);
    let found = pair(&back, &senior, &junior).expect("the phone mattered: the pair is back");
    assert_eq!(found.verdict, None);
    book.decide_duplicate(senior.id, junior.id, DuplicateVerdict::Same, &office())
        .unwrap();
    let confirmed = all(book);
    assert_eq!(
        pair(&confirmed, &senior, &junior).unwrap().verdict,
        Some(DuplicateVerdict::Same)
    );
    let log = book
        .change_log(&crate::ChangeLogQuery {
            entity: Some(crate::EntityKind::DuplicatePair),
            ..crate::ChangeLogQuery::default()
        })
        .unwrap();
    assert_eq!(
        log.len(),
        4,
        "two verdicts, a row for each customer: {log:?}"
    );
    assert_eq!(log[3].changes[0].after, "same");
}

/// Bad questions are refused naming the field.
pub fn bad_duplicate_queries_are_refused(book: &Book) {
    let maria = book
        .create_customer(person("Maria Lopez", None, None, "1 Oak St"), &office())
        .unwrap();
    let refused = |query: DuplicateQuery, field: &str| match book.duplicate_candidates(&query) {
        Err(Error::Invalid { field: got, .. }) => assert_eq!(got, field),
        other => panic!("{field}: {other:?}"),
    };
    refused(
        DuplicateQuery {
            match_probability: Some(1.5),
            ..DuplicateQuery::default()
        },
        "match_probability",
    );
    refused(
        DuplicateQuery {
            match_probability: Some(0.6),
            review_probability: Some(0.8),
            ..DuplicateQuery::default()
        },
        "review_probability",
    );
    refused(
        DuplicateQuery {
            limit: Some(0),
            ..DuplicateQuery::default()
        },
        "limit",
    );
    refused(
        DuplicateQuery {
            customer_id: Some(crate::CustomerId::new()),
            ..DuplicateQuery::default()
        },
        "customer_id",
    );
    let mut crowd = person("Crowd", None, None, "1 Oak St");
    crowd.contacts = (0..101)
        .map(|i| Contact::new(format!("Person {i}"), ContactRole::Other))
        .collect();
    refused(
        DuplicateQuery {
            record: Some(crowd),
            ..DuplicateQuery::default()
        },
        "record.contacts",
    );
    match book.decide_duplicate(maria.id, maria.id, DuplicateVerdict::Same, &office()) {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "b"),
        other => panic!("{other:?}"),
    }
}

/// A record with what every write changes (version, update time) set
/// aside, for comparing a record with itself before an undone change.
fn settled(customer: &Customer) -> Customer {
    Customer {
        version: 0,
        updated_at: customer.created_at,
        ..customer.clone()
    }
}

fn at(day: u32, hour: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono::Utc
        .with_ymd_and_hms(2026, 3, day, hour, 0, 0)
        .unwrap()
}

/// Two records of one household: the survivor with a pool and gate code,
/// the absorbed one with its own contact, house, note, touchpoint and a
/// website visitor linked to it.
fn household(book: &Book) -> (Customer, Customer) {
    let mut survivor = person(
        "Maria Lopez",
        Some("555-010-2233"),
        Some("maria@lopez.net"),
        "1420 Oak Street",
    )
    .with_tag("pool");
    survivor.locations[0].access.gate_code =
        Some(crate::Secret::new("4321#", "gate_code").unwrap());
    survivor.locations[0]
        .bodies_of_water
        .push(crate::BodyOfWater::new(
            "Main pool",
            crate::WaterKind::Pool,
            crate::Sanitizer::Salt,
        ));
    let mut absorbed =
        person("Mary Lopez", Some("555-010-7788"), None, "9 Bay Road").with_tag("spa");
    absorbed.contacts[0].primary = true;
    absorbed.locations[0].access.gate_code =
        Some(crate::Secret::new("BAY-99", "gate_code").unwrap());
    absorbed
        .custom_fields
        .insert("referral".into(), "neighbour".into());
    let survivor = book.create_customer(survivor, &office()).unwrap();
    let absorbed = book.create_customer(absorbed, &office()).unwrap();
    let mut note = crate::Note::new(absorbed.id, "Spa cover torn");
    note.location_id = Some(absorbed.locations[0].id);
    book.add_note(note, &office()).unwrap();
    book.record_touchpoints(
        vec![crate::Touchpoint::by_customer(
            absorbed.id,
            at(2, 9),
            crate::JourneyChannel::Phone,
            crate::Direction::Inbound,
            crate::Actor::Customer,
            "call",
        )],
        &office(),
    )
    .unwrap();
    book.record_touchpoints(
        vec![crate::Touchpoint::by_visitor(
            "v-77",
            at(1, 8),
            crate::JourneyChannel::Website,
            "page_viewed",
        )],
        &office(),
    )
    .unwrap();
    book.link_visitor("v-77", absorbed.id, &office()).unwrap();
    let absorbed = book.customer(absorbed.id).unwrap();
    (survivor, absorbed)
}

fn entries_of(book: &Book, customer: &Customer) -> Vec<crate::StoredEntry> {
    book.store
        .entries(&crate::EntryQuery {
            customer_id: Some(customer.id),
            include_archived: true,
            ..crate::EntryQuery::default()
        })
        .unwrap()
}

/// The touchpoints recorded for `customer` by the caller (operations such
/// as its `customer_created` left out).
fn touchpoints_of(book: &Book, customer: &Customer) -> usize {
    book.touchpoints(&crate::TouchpointQuery {
        customer_id: Some(customer.id),
        exclude_operations: true,
        ..crate::TouchpointQuery::default()
    })
    .unwrap()
    .len()
}

/// A merge moves contacts, locations (with their codes), history,
/// touchpoints and visitor links to the survivor in one change-log
/// operation; the absorbed id resolves to the survivor. Unmerging gives
/// both records back exactly and moves everything back.
pub fn a_merge_moves_everything_and_unmerge_gives_both_records_back(book: &Book) {
    let (survivor, absorbed) = household(book);
    let note_before = entries_of(book, &absorbed);
    assert_eq!(touchpoints_of(book, &absorbed), 2);
    let seq_before = book
        .change_log(&crate::ChangeLogQuery::default())
        .unwrap()
        .last()
        .unwrap()
        .seq;

    let outcome = merge_as_picked_by_default(book, &survivor, &absorbed);
    assert_eq!(
        (
            outcome.moved_entries,
            outcome.moved_touchpoints,
            outcome.moved_visitors
        ),
        (1, 3, 1),
        "its note; its two touchpoints and its customer_created; its visitor"
    );
    let merged = book.customer(survivor.id).unwrap();
    assert_eq!(merged, outcome.survivor);
    assert_eq!(merged.contacts.len(), 2);
    assert_eq!(
        merged.contacts.iter().filter(|c| c.primary).count(),
        1,
        "one primary contact"
    );
    assert_eq!(merged.locations.len(), 2);
    assert_eq!(merged.tags, ["pool", "spa"]);
    assert_eq!(merged.custom_fields["referral"], "neighbour");
    assert_eq!(merged.display_name, "Maria Lopez");
    let stub = book.customer(absorbed.id).unwrap();
    assert!(stub.archived_at.is_some() && stub.contacts.is_empty() && stub.locations.is_empty());
    assert_eq!(book.resolve_customer(absorbed.id).unwrap().id, survivor.id);
    assert_eq!(book.resolve_customer(survivor.id).unwrap().id, survivor.id);
    assert_eq!(entries_of(book, &merged).len(), 1);
    assert!(entries_of(book, &absorbed).is_empty());
    assert_eq!(touchpoints_of(book, &merged), 2);
    assert_eq!(book.store.visitor_link("v-77").unwrap(), Some(survivor.id));
    let bay = absorbed.locations[0].id;
    assert_eq!(
        super::revealed(book, bay, crate::SecretField::GateCode).as_deref(),
        Some("BAY-99")
    );
    let search = book.search_customers("Mary Lopez", 10).unwrap();
    assert_eq!(
        search.iter().map(|hit| hit.customer_id).collect::<Vec<_>>(),
        [survivor.id]
    );
    let rows: Vec<_> = book
        .change_log(&crate::ChangeLogQuery {
            after_seq: Some(seq_before),
            ..crate::ChangeLogQuery::default()
        })
        .unwrap();
    assert!(
        rows.iter().all(|row| row.at == rows[0].at),
        "one operation: {rows:?}"
    );
    let merge_row = rows
        .iter()
        .find(|row| {
            row.action == crate::ChangeAction::Merged && row.customer_id == Some(survivor.id)
        })
        .expect("the survivor's merge row");
    assert!(
        merge_row.changes.iter().any(|c| c.field == "merge"),
        "the undo is in the log"
    );
    assert!(!serde_json::to_string(&rows).unwrap().contains("BAY-99"));

    let undone = book.unmerge_customer(absorbed.id, &office()).unwrap();
    assert!(undone.kept_edits.is_empty(), "{:?}", undone.kept_edits);
    let survivor_now = book.customer(survivor.id).unwrap();
    let absorbed_now = book.customer(absorbed.id).unwrap();
    assert_eq!(settled(&survivor_now), settled(&survivor));
    assert_eq!(settled(&absorbed_now), settled(&absorbed));
    assert_eq!(
        serde_json::to_string(&settled(&absorbed_now)).unwrap(),
        serde_json::to_string(&settled(&absorbed)).unwrap()
    );
    assert_eq!(entries_of(book, &absorbed), note_before);
    assert_eq!(touchpoints_of(book, &absorbed), 2);
    assert_eq!(touchpoints_of(book, &survivor), 0);
    assert_eq!(book.store.visitor_link("v-77").unwrap(), Some(absorbed.id));
    assert_eq!(book.resolve_customer(absorbed.id).unwrap().id, absorbed.id);
    assert_eq!(
        super::revealed(book, bay, crate::SecretField::GateCode).as_deref(),
        Some("BAY-99")
    );
    // Merged again after the undo: allowed.
    merge_as_picked_by_default(book, &survivor, &absorbed);
}

/// Merges `absorbed` into `survivor` with the default picks.
fn merge_as_picked_by_default(
    book: &Book,
    survivor: &Customer,
    absorbed: &Customer,
) -> crate::MergeOutcome {
    book.merge_customers(
        survivor.id,
        absorbed.id,
        crate::MergePicks::default(),
        &office(),
    )
    .unwrap()
}

/// Every touchpoint of a customer, archived ones too, by id.
fn every_touchpoint(book: &Book, customer: crate::CustomerId) -> Vec<crate::EntryId> {
    let mut ids: Vec<_> = book
        .touchpoints(&crate::TouchpointQuery {
            customer_id: Some(customer),
            include_archived: true,
            ..crate::TouchpointQuery::default()
        })
        .unwrap()
        .into_iter()
        .map(|touchpoint| touchpoint.id)
        .collect();
    ids.sort();
    ids
}

/// A merge takes every touchpoint of the absorbed record, the ones
/// archived with their entries too, and an entry's touchpoints travel with
/// it both ways: a visit recorded at the absorbed record's house after the
/// merge goes back on unmerge with its `visit_completed`.
pub fn a_merge_and_its_undo_carry_every_touchpoint_with_its_entry(book: &Book) {
    let (survivor, absorbed) = household(book);
    let payment = book
        .record_payment(
            crate::Payment::new(
                absorbed.id,
                at(3, 9).date_naive(),
                rust_decimal::Decimal::new(80, 0),
                crate::PaymentMethod::Card,
            ),
            &office(),
        )
        .unwrap();
    book.archive_entry(payment.id, &office()).unwrap();
    let paid_touchpoint = |customer: crate::CustomerId, include_archived: bool| {
        book.touchpoints(&crate::TouchpointQuery {
            customer_id: Some(customer),
            include_archived,
            ..crate::TouchpointQuery::default()
        })
        .unwrap()
        .into_iter()
        .filter(|touchpoint| touchpoint.entry_id == Some(payment.id))
        .count()
    };
    assert_eq!(
        paid_touchpoint(absorbed.id, true),
        1,
        "archived with its payment"
    );
    assert_eq!(
        paid_touchpoint(absorbed.id, false),
        0,
        "not listed by default"
    );
    let survivor_before = every_touchpoint(book, survivor.id);
    let absorbed_before = every_touchpoint(book, absorbed.id);

    let outcome = merge_as_picked_by_default(book, &survivor, &absorbed);
    assert_eq!(outcome.moved_touchpoints as usize, absorbed_before.len());
    assert!(every_touchpoint(book, absorbed.id).is_empty());
    let mut together = [survivor_before.clone(), absorbed_before.clone()].concat();
    together.sort();
    assert_eq!(every_touchpoint(book, survivor.id), together);
    assert_eq!(paid_touchpoint(survivor.id, true), 1);

    let bay = absorbed.locations[0].id;
    let visit = book
        .record_visit(
            crate::Visit::completed(survivor.id, bay, at(4, 10)),
            &office(),
        )
        .unwrap();
    let visit_touchpoints: Vec<_> = book
        .touchpoints(&crate::TouchpointQuery {
            customer_id: Some(survivor.id),
            ..crate::TouchpointQuery::default()
        })
        .unwrap()
        .into_iter()
        .filter(|touchpoint| touchpoint.entry_id == Some(visit.id))
        .map(|touchpoint| touchpoint.id)
        .collect();
    assert_eq!(visit_touchpoints.len(), 1, "its visit_completed");

    book.unmerge_customer(absorbed.id, &office()).unwrap();
    assert_eq!(every_touchpoint(book, survivor.id), survivor_before);
    let mut back = [absorbed_before, visit_touchpoints].concat();
    back.sort();
    assert_eq!(every_touchpoint(book, absorbed.id), back);
    book.restore_entry(payment.id, &office()).unwrap();
    assert_eq!(
        paid_touchpoint(absorbed.id, false),
        1,
        "live again, on its customer"
    );
}

/// Edits made after a merge survive its undoing and are reported: the
/// survivor's renamed display name, the absorbed contact's new phone, and a
/// note recorded at the absorbed record's house (which goes back with it).
pub fn unmerge_keeps_and_reports_edits_made_after_the_merge(book: &Book) {
    let (survivor, absorbed) = household(book);
    let merged = book
        .merge_customers(
            survivor.id,
            absorbed.id,
            crate::MergePicks {
                display_name: Some(crate::MergeSide::Absorbed),
                ..crate::MergePicks::default()
            },
            &office(),
        )
        .unwrap()
        .survivor;
    assert_eq!(merged.display_name, "Mary Lopez");
    let mut contacts = merged.contacts.clone();
    contacts[1].phones[0].number = "555-010-7799".into();
    let edited = book
        .update_customer(
            merged.id,
            merged.version,
            CustomerPatch {
                display_name: Some("The Lopez Family".into()),
                contacts: Some(contacts),
                ..CustomerPatch::default()
            },
            &office(),
        )
        .unwrap();
    let mut note = crate::Note::new(edited.id, "Bay Road gate sticks");
    note.location_id = Some(absorbed.locations[0].id);
    book.add_note(note, &office()).unwrap();

    let undone = book.unmerge_customer(absorbed.id, &office()).unwrap();
    assert!(
        undone
            .kept_edits
            .iter()
            .any(|e| e.starts_with("display_name")),
        "{:?}",
        undone.kept_edits
    );
    assert!(
        undone.kept_edits.iter().any(|e| e.contains("Mary Lopez")),
        "{:?}",
        undone.kept_edits
    );
    assert!(
        undone
            .kept_edits
            .iter()
            .any(|e| e.contains("history entries")),
        "{:?}",
        undone.kept_edits
    );
    let survivor_now = book.customer(survivor.id).unwrap();
    assert_eq!(survivor_now.display_name, "The Lopez Family");
    assert_eq!(survivor_now.contacts, survivor.contacts);
    let absorbed_now = book.customer(absorbed.id).unwrap();
    assert_eq!(absorbed_now.contacts[0].phones[0].number, "+15550107799");
    assert!(absorbed_now.contacts[0].primary);
    assert_eq!(entries_of(book, &absorbed_now).len(), 2);
    assert!(entries_of(book, &survivor_now).is_empty());
}

/// A merge moves the records it listed before its transaction; one added
/// to the absorbed customer in between (here: a note the list does not
/// name) must not stay behind on the archived record: the store fails the
/// move with `Busy` and changes nothing, and a list that names it moves.
pub fn a_merge_never_leaves_records_added_meanwhile_behind(book: &Book) {
    use crate::store::{Write, WriteBatch};
    let survivor = book
        .create_customer(person("Ann Lee", None, None, "1 Elm Street"), &office())
        .unwrap();
    let absorbed = book
        .create_customer(person("Anne Lee", None, None, "1 Elm St"), &office())
        .unwrap();
    let listed = crate::RecordMove {
        touchpoints: book
            .touchpoints(&crate::TouchpointQuery {
                customer_id: Some(absorbed.id),
                ..crate::TouchpointQuery::default()
            })
            .unwrap()
            .into_iter()
            .map(|touchpoint| touchpoint.id)
            .collect(),
        ..crate::RecordMove::default()
    };
    // Recorded after the list was read, as by another writer.
    let note = book
        .add_note(crate::Note::new(absorbed.id, "Gate sticks"), &office())
        .unwrap();
    let moving = |records: crate::RecordMove| {
        book.store.apply(&WriteBatch {
            author: office(),
            at: crate::book::now(),
            writes: vec![Write::MoveRecords {
                from: absorbed.id,
                to: survivor.id,
                records,
                everything: true,
            }],
            changes: Vec::new(),
        })
    };
    let error = moving(listed.clone()).unwrap_err();
    assert!(matches!(error, Error::Busy { .. }), "{error}");
    let notes_of = |id| {
        book.store
            .entries(&crate::EntryQuery {
                customer_id: Some(id),
                ..crate::EntryQuery::default()
            })
            .unwrap()
            .len()
    };
    assert_eq!(notes_of(absorbed.id), 1, "nothing moved");
    assert_eq!(notes_of(survivor.id), 0);
    let mut whole = listed;
    whole.entries.push(note.id);
    moving(whole).unwrap();
    assert_eq!((notes_of(absorbed.id), notes_of(survivor.id)), (0, 1));
}

/// Merging a customer with itself, twice, into a merged or archived
/// customer, restoring a merged customer and unmerging one that is not
/// merged are refused naming the field, the book unchanged.
pub fn impossible_merges_are_refused(book: &Book) {
    let people: Vec<Customer> = ["Ann Ames", "Bo Burke", "Cy Cole", "Di Dunn"]
        .iter()
        .map(|name| {
            book.create_customer(person(name, None, None, "1 Elm St"), &office())
                .unwrap()
        })
        .collect();
    let refused = |result: crate::Result<crate::MergeOutcome>, field: &str, says: &str| match result
    {
        Err(Error::Invalid {
            field: got,
            problem,
            ..
        }) => {
            assert_eq!(got, field);
            assert!(problem.contains(says), "{problem}");
        }
        other => panic!("{field}: {other:?}"),
    };
    let merge = |s: &Customer, a: &Customer| {
        book.merge_customers(s.id, a.id, crate::MergePicks::default(), &office())
    };
    refused(merge(&people[0], &people[0]), "absorbed", "itself");
    merge(&people[0], &people[1]).unwrap();
    let log = book
        .change_log(&crate::ChangeLogQuery::default())
        .unwrap()
        .len();
    refused(merge(&people[2], &people[1]), "absorbed", "already merged");
    refused(merge(&people[1], &people[2]), "survivor", "merged into");
    let archived = book
        .archive_customer(people[3].id, people[3].version, &office())
        .unwrap();
    refused(merge(&archived, &people[2]), "survivor", "archived");
    refused(merge(&people[2], &archived), "absorbed", "archived");
    let stub = book.customer(people[1].id).unwrap();
    match book.restore_customer(stub.id, stub.version, &office()) {
        Err(Error::Invalid { problem, .. }) => assert!(problem.contains("unmerge"), "{problem}"),
        other => panic!("{other:?}"),
    }
    match book.unmerge_customer(people[2].id, &office()) {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "absorbed"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        book.change_log(&crate::ChangeLogQuery::default())
            .unwrap()
            .len(),
        log + 1,
        "only the archive was written"
    );
}

/// Stores `new` as it is, around validation (as an old import might have
/// left it), without its locations.
fn raw(book: &Book, new: NewCustomer) -> Customer {
    let now = crate::book::now();
    let customer = Customer {
        id: new.id,
        kind: new.kind,
        display_name: new.display_name,
        status: new.status,
        billing: new.billing,
        tags: Vec::new(),
        custom_fields: new.custom_fields,
        contacts: new.contacts,
        locations: Vec::new(),
        preferences: new.preferences,
        created_at: now,
        updated_at: now,
        archived_at: None,
        version: 1,
    };
    book.store
        .apply(&crate::WriteBatch {
            author: office(),
            at: now,
            writes: vec![crate::Write::InsertCustomer(customer.clone())],
            changes: Vec::new(),
        })
        .unwrap();
    customer
}

/// The findings of `report` for `customer`, as rule names.
fn rules_of(report: &crate::QualityReport, customer: &Customer) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.customer_id == customer.id)
        .map(|f| f.rule.clone())
        .collect()
}

/// Every quality rule fires on a customer built to break it, and none on a
/// clean customer; counts list every rule, fill rates every field.
pub fn each_quality_rule_fires_on_its_case_and_not_on_a_clean_customer(book: &Book) {
    use crate::{
        BodyOfWater, Consent, ConsentStatus, ContactChannel, Frequency, LifecycleStatus,
        NewTechnician, Preferences, Readings, Sanitizer, Secret, ServicePlan, Technician, Visit,
        VisitNotice, WaterKind, Weekday,
    };
    let now = chrono::Utc::now();
    let as_of = now + chrono::Duration::days(100);
    let tech = book
        .add_technician(NewTechnician::new("Ana Reyes"), &office())
        .unwrap();
    let gone = book
        .add_technician(NewTechnician::new("Old Timer"), &office())
        .unwrap();
    let today = now.date_naive();
    let plan = ServicePlan::new(Frequency::Weekly, today)
        .on(Weekday::Tuesday)
        .with_technician(tech.id);
    // A customer with everything in order.
    let clean_new = |name: &str, line1: &str| {
        let mut new = person(name, Some("813-555-0142"), Some("clara@clean.net"), line1);
        let location = &mut new.locations[0];
        location.service_plan = Some(plan.clone());
        location.access.gate_code = Some(Secret::new("1234", "gate_code").unwrap());
        location.bodies_of_water.push(BodyOfWater::new(
            "Pool",
            WaterKind::Pool,
            Sanitizer::Chlorine,
        ));
        let notice = VisitNotice::new(ContactChannel::Sms, new.contacts[0].id, 30);
        new.preferences = Preferences::default()
            .with_preferred_service_day(Weekday::Tuesday)
            .with_visit_notice(notice);
        new
    };
    let clean = book
        .create_customer(clean_new("Clara Clean", "12 Palm Way"), &office())
        .unwrap();
    let mut visit = Visit::completed(
        clean.id,
        clean.locations[0].id,
        as_of - chrono::Duration::days(10),
    );
    visit.body_of_water_id = Some(clean.locations[0].bodies_of_water[0].id);
    visit.readings = Readings {
        free_chlorine: Some(3.0),
        ph: Some(7.5),
        ..Readings::default()
    };
    book.record_visit(visit, &office()).unwrap();

    let make = |new: NewCustomer| book.create_customer(new, &office()).unwrap();
    let mut lead = person("Lee Lead", None, None, "3 Elm St");
    lead.status = LifecycleStatus::Lead;
    let lead = make(lead);
    let mut nowhere = clean_new("Nora Nowhere", "x");
    nowhere.locations.clear();
    nowhere.preferences = Preferences::default();
    let nowhere = make(nowhere);
    let mut unplanned = clean_new("Una Planned", "5 Fig St");
    unplanned.locations[0].service_plan = None;
    let unplanned = make(unplanned);
    let mut loose = clean_new("Lou Loose", "6 Fig St");
    loose.locations[0].service_plan = Some(ServicePlan::new(Frequency::Weekly, today));
    loose.preferences.preferred_service_day = None;
    let loose = make(loose);
    let mut nobody = clean_new("Ned Nobody", "7 Fig St");
    nobody.contacts[0].primary = false;
    let nobody = make(nobody);
    let mut gateless = clean_new("Gil Gateless", "8 Fig St");
    gateless.locations[0].access.gate_code = None;
    let gateless = make(gateless);
    let mut open_gate = clean_new("Opal Open", "9 Fig St");
    open_gate.locations[0].access.gate_code = None;
    open_gate.locations[0].access.notes = Some("No gate: side yard is open".into());
    let open_gate = make(open_gate);
    let mut landline = clean_new("Lana Line", "10 Fig St");
    landline.contacts[0].phones[0].sms_capable = false;
    landline.contacts[0].phones[0].number = "+18135550142".into();
    let mut typo = clean_new("Tia Typo", "11 Fig St");
    typo.contacts[0].emails = vec!["tia@gmial.com".into()];
    let typo = make(typo);
    let mut zip = clean_new("Zed Zip", "14 Fig St");
    zip.locations[0].address.postal_code = "3360".into();
    let zip = make(zip);
    let mut dummy = clean_new("Dee Dummy", "15 Fig St");
    dummy.contacts[0].phones[0].number = "555-555-5555".into();
    let dummy = make(dummy);
    let shared_a = make(clean_new("Sam Seller", "77 Pine Rd"));
    let shared_b = make(clean_new("Bea Buyer", "77 Pine Road"));
    let mut retired = clean_new("Ray Retired", "16 Fig St");
    retired.locations[0].service_plan = Some(plan.clone().with_technician(gone.id));
    let retired = make(retired);
    // Deactivating a technician with plans is refused since issue 18, so a
    // plan naming an inactive technician comes from an older book or an
    // import: written here past the Book's rules, as those would hold it.
    let inactive = Technician {
        active: false,
        version: gone.version + 1,
        ..gone.clone()
    };
    book.store
        .apply(&crate::WriteBatch {
            author: office(),
            at: crate::book::now(),
            writes: vec![crate::Write::PutTechnician {
                record: inactive,
                expected_version: Some(gone.version),
            }],
            changes: Vec::new(),
        })
        .unwrap();
    // A preferred day that disagrees with the plan's weekday is refused
    // since issue 18 (ADR 0011); an older book or an import can hold one,
    // written here past the Book's rules.
    let agreeing = make(clean_new("Mo Monday", "17 Fig St"));
    let mut monday = agreeing.clone();
    monday.preferences.preferred_service_day = Some(Weekday::Monday);
    monday.version += 1;
    book.store
        .apply(&crate::WriteBatch {
            author: office(),
            at: crate::book::now(),
            writes: vec![crate::Write::UpdateCustomer {
                record: monday.clone(),
                previous: Box::new(agreeing),
            }],
            changes: Vec::new(),
        })
        .unwrap();
    let mut opted = clean_new("Oz Optout", "18 Fig St");
    opted.contacts[0].consents.push(Consent {
        channel: ContactChannel::Sms,
        status: ConsentStatus::OptedOut,
        recorded_at: now,
        method: "replied STOP".into(),
    });
    let opted = raw(book, opted);
    let mut quiet = clean_new("Quinn Quiet", "19 Fig St");
    quiet.preferences.do_not_contact = true;
    let quiet = raw(book, quiet);
    let twin_a = make(person(
        "Maria Lopez",
        Some("555-010-2233"),
        Some("maria@lopez.net"),
        "1420 Oak St",
    ));
    let twin_b = make(person(
        "Maria Lopez",
        Some("555-010-2233"),
        Some("maria@lopez.net"),
        "1420 Oak Street",
    ));
    // Stored around validation, as an old import might have left them.
    let landline = raw(book, landline);
    let mut broken = clean_new("Bob Broken", "20 Fig St");
    broken.contacts[0].phones[0].number = "12345".into();
    broken.contacts[0].emails = vec!["bob@@broken".into()];
    let broken = raw(book, broken);
    let report = book.quality_report(as_of).unwrap();
    assert!(
        rules_of(&report, &clean).is_empty(),
        "{:?}",
        rules_of(&report, &clean)
    );
    assert!(
        !rules_of(&report, &open_gate).contains(&"gate_access_unknown".to_owned()),
        "'no gate' said: {:?}",
        rules_of(&report, &open_gate)
    );
    let fires = |customer: &Customer, rule: &str| {
        assert!(
            rules_of(&report, customer).iter().any(|r| r == rule),
            "{rule} on {}: {:?}",
            customer.display_name,
            rules_of(&report, customer)
        );
    };
    fires(&lead, "lead_unreachable");
    fires(&nowhere, "active_without_service_address");
    fires(&unplanned, "active_without_plan");
    fires(&loose, "plan_without_day");
    fires(&loose, "plan_without_technician");
    fires(&nobody, "active_without_billing_contact");
    fires(&gateless, "gate_access_unknown");
    fires(&broken, "phone_invalid");
    fires(&broken, "email_invalid");
    fires(&landline, "sms_to_landline");
    fires(&typo, "email_domain_typo");
    fires(&zip, "postal_code_mismatch");
    fires(&dummy, "placeholder_value");
    fires(&nowhere, "active_without_recent_visit");
    fires(&shared_a, "same_address_different_names");
    fires(&shared_b, "same_address_different_names");
    fires(&retired, "inactive_technician_assigned");
    fires(&monday, "preferred_day_differs");
    fires(&unplanned, "no_recent_readings");
    fires(&opted, "notice_to_opted_out");
    fires(&quiet, "do_not_contact_with_reminders");
    fires(&twin_a, "possible_duplicate");
    fires(&twin_b, "possible_duplicate");
    assert!(!rules_of(&report, &twin_a).contains(&"same_address_different_names".to_owned()));
    let finding = report
        .findings
        .iter()
        .find(|f| f.customer_id == typo.id && f.rule == "email_domain_typo")
        .unwrap();
    assert_eq!(finding.field, "contacts[0].emails[0]");
    assert!(finding.message.contains("gmail.com"));

    // A bounced email on contacts unchanged for two years.
    book.record_touchpoints(
        vec![crate::Touchpoint::by_customer(
            typo.id,
            now,
            crate::JourneyChannel::Email,
            crate::Direction::Outbound,
            crate::Actor::Automation,
            crate::EMAIL_BOUNCED,
        )],
        &office(),
    )
    .unwrap();
    let later = book
        .quality_report(now + chrono::Duration::days(800))
        .unwrap();
    let stale =
        |c: &Customer| rules_of(&later, c).contains(&"stale_contact_bounced_email".to_owned());
    assert!(
        stale(&typo)
            && !stale(&clean)
            && !rules_of(&report, &typo).contains(&"stale_contact_bounced_email".to_owned())
    );

    for rule in crate::QUALITY_RULES {
        let counted = report
            .counts
            .iter()
            .chain(later.counts.iter())
            .filter(|c| c.rule == rule.rule)
            .map(|c| c.count)
            .sum::<u32>();
        assert!(counted > 0, "{} never fired", rule.rule);
        assert!(!rule.why.is_empty() && !rule.checks.is_empty());
    }
    assert_eq!(report.counts.len(), crate::QUALITY_RULES.len());
    assert_eq!(report.customers, 21);
    let phones = report
        .fill_rates
        .iter()
        .find(|f| f.field == "contacts.phones")
        .unwrap();
    assert_eq!(
        (phones.filled, phones.total),
        (20, 21),
        "the lead has no phone"
    );
}
