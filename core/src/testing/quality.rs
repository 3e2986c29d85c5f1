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
    match book.decide_duplicate(maria.id, maria.id, DuplicateVerdict::Same, &office()) {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "b"),
        other => panic!("{other:?}"),
    }
}
