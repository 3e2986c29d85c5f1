//! The customer journey's foundation: touchpoints recorded once per source
//! event and normalised, junk visitor ids refused, visitors linked to
//! customers (and unlinked), stages from an editable map, and touchpoints in
//! the customer's timeline.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use poolbook::timeline::{TimelineItem, TimelineQuery};
use poolbook::{
    Actor, Author, Book, ChangeAction, ChangeLogQuery, Customer, CustomerKind, Direction,
    EntityKind, EntryKind, Error, JourneyChannel, NewCustomer, Note, Stage, Touchpoint,
    TouchpointQuery, actions,
};
use rust_decimal::Decimal;

fn office() -> Author {
    Author::office("dana")
}

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, day, hour, 0, 0).unwrap()
}

fn setup() -> (Book, Customer) {
    let book = Book::open_in_memory().unwrap();
    let customer = book
        .create_customer(
            NewCustomer::new(CustomerKind::Residential, "Maria Lopez"),
            &office(),
        )
        .unwrap();
    (book, customer)
}

fn web(visitor: &str, day: u32, action: &str, event: &str) -> Touchpoint {
    let mut touchpoint =
        Touchpoint::by_visitor(visitor, at(day, 10), JourneyChannel::Website, action);
    touchpoint.source_system = Some("website".into());
    touchpoint.source_event_id = Some(event.into());
    touchpoint
}

fn of_customer(book: &Book, customer: &Customer) -> Vec<Touchpoint> {
    book.touchpoints(&TouchpointQuery {
        customer_id: Some(customer.id),
        ..Default::default()
    })
    .unwrap()
}

fn of_visitor(book: &Book, visitor: &str) -> Vec<Touchpoint> {
    book.touchpoints(&TouchpointQuery {
        visitor_id: Some(visitor.into()),
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn touchpoints_are_normalised_and_staged() {
    let (book, customer) = setup();
    let mut call = Touchpoint::by_customer(
        customer.id,
        at(2, 9),
        JourneyChannel::Phone,
        Direction::Inbound,
        Actor::Customer,
        " Estimate Requested ",
    );
    call.source = Some("  Google   Local ".into());
    call.campaign = Some("Spring Opening".into());
    call.value = Some(Decimal::new(45000, 2));
    call.properties
        .insert("page".into(), serde_json::json!("/pricing"));
    let mut paid = Touchpoint::by_customer(
        customer.id,
        at(9, 9),
        JourneyChannel::Payment,
        Direction::Inbound,
        Actor::Customer,
        actions::PAYMENT_MADE,
    );
    paid.stage = Some(Stage::Retention);
    let report = book
        .record_touchpoints(vec![call, paid], &office())
        .unwrap();
    assert_eq!((report.added, report.skipped), (2, 0));
    let stored = of_customer(&book, &customer);
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].action, "estimate_requested");
    assert_eq!(
        stored[0].stage,
        Some(Stage::Consideration),
        "from the default map"
    );
    assert_eq!(stored[0].source.as_deref(), Some("google local"));
    assert_eq!(stored[0].campaign.as_deref(), Some("spring opening"));
    assert_eq!(stored[0].value, Some(Decimal::new(45000, 2)));
    assert_eq!(stored[0].properties["page"], "/pricing");
    assert_eq!(
        stored[1].stage,
        Some(Stage::Retention),
        "a given stage is kept"
    );
}

#[test]
fn the_same_event_recorded_twice_is_stored_once() {
    let (book, _) = setup();
    let batch = vec![
        web("v-1", 1, actions::PAGE_VIEWED, "e1"),
        web("v-1", 1, actions::PAGE_VIEWED, "e2"),
        web("v-1", 1, actions::PAGE_VIEWED, "e1"),
    ];
    let first = book.record_touchpoints(batch.clone(), &office()).unwrap();
    assert_eq!(
        (first.added, first.skipped),
        (2, 1),
        "a repeat within the batch is skipped"
    );
    let again = book.record_touchpoints(batch, &office()).unwrap();
    assert_eq!((again.added, again.skipped), (0, 3));
    let mut renamed = web("v-1", 1, actions::PAGE_VIEWED, " e2 ");
    renamed.source_system = Some(" Website ".into());
    assert_eq!(
        book.record_touchpoints(vec![renamed], &office())
            .unwrap()
            .skipped,
        1,
        "keys are normalised too"
    );
    assert_eq!(of_visitor(&book, "v-1").len(), 2);
}

#[test]
fn bad_touchpoints_refuse_the_whole_batch() {
    let (book, customer) = setup();
    let rows = || book.change_log(&ChangeLogQuery::default()).unwrap().len();
    let before = rows();
    for junk in ["anonymous", "NULL", "undefined", "0", "-1", "", "  "] {
        let batch = vec![
            web("v-ok", 1, "page_viewed", "a"),
            web(junk, 1, "page_viewed", "b"),
        ];
        match book.record_touchpoints(batch, &office()).unwrap_err() {
            Error::Invalid { field, .. } => {
                assert_eq!(field, "touchpoints[1].visitor_id", "{junk:?}")
            }
            other => panic!("{other:?}"),
        }
        let error = book.link_visitor(junk, customer.id, &office()).unwrap_err();
        assert!(
            matches!(&error, Error::Invalid { field, .. } if field == "visitor_id"),
            "{junk:?}: {error}"
        );
    }
    let mut nobody = web("v", 1, "page_viewed", "c");
    nobody.visitor_id = None;
    let mut stranger = Touchpoint::by_customer(
        poolbook::CustomerId::new(),
        at(1, 1),
        JourneyChannel::Email,
        Direction::Outbound,
        Actor::Automation,
        "email_sent",
    );
    stranger.source_system = None;
    let mut half_key = web("v", 1, "page_viewed", "d");
    half_key.source_system = None;
    let bad_action = web("v", 1, "opened!", "e");
    for (touchpoint, field) in [
        (nobody, "customer_id"),
        (stranger, "customer_id"),
        (half_key, "source_event_id"),
        (bad_action, "action"),
    ] {
        match book
            .record_touchpoints(vec![touchpoint], &office())
            .unwrap_err()
        {
            Error::Invalid { field: got, .. } => assert_eq!(got, format!("touchpoints[0].{field}")),
            other => panic!("{other:?}"),
        }
    }
    assert!(
        of_visitor(&book, "v-ok").is_empty(),
        "nothing of a refused batch was stored"
    );
    assert_eq!(rows(), before);
}

#[test]
fn linking_a_visitor_moves_their_journey_to_the_customer_and_can_be_undone() {
    let (book, customer) = setup();
    book.record_touchpoints(
        vec![
            web("v-42", 1, "page_viewed", "1"),
            web("v-42", 2, "estimate_requested", "2"),
        ],
        &office(),
    )
    .unwrap();
    let own = Touchpoint::by_customer(
        customer.id,
        at(3, 9),
        JourneyChannel::Phone,
        Direction::Outbound,
        Actor::Staff,
        "call",
    );
    book.record_touchpoints(vec![own], &office()).unwrap();
    assert_eq!(of_customer(&book, &customer).len(), 1);

    book.link_visitor("v-42", customer.id, &office()).unwrap();
    let journey = of_customer(&book, &customer);
    assert_eq!(
        journey
            .iter()
            .map(|t| t.action.as_str())
            .collect::<Vec<_>>(),
        ["page_viewed", "estimate_requested", "call"]
    );
    assert!(journey.iter().all(|t| t.customer_id == Some(customer.id)));
    // Later visits by the same visitor belong to the customer at once.
    book.record_touchpoints(vec![web("v-42", 4, "portal_login", "3")], &office())
        .unwrap();
    assert_eq!(of_customer(&book, &customer).len(), 4);

    let other = book
        .create_customer(
            NewCustomer::new(CustomerKind::Residential, "Someone Else"),
            &office(),
        )
        .unwrap();
    let error = book.link_visitor("v-42", other.id, &office()).unwrap_err();
    assert!(error.to_string().contains("another customer"), "{error}");

    book.unlink_visitor("v-42", &office()).unwrap();
    let left = of_customer(&book, &customer);
    assert_eq!(
        left.iter().map(|t| t.action.as_str()).collect::<Vec<_>>(),
        ["call"],
        "only what was recorded for the customer stays"
    );
    assert!(
        of_visitor(&book, "v-42")
            .iter()
            .all(|t| t.customer_id.is_none())
    );
    assert_eq!(of_visitor(&book, "v-42").len(), 3);
    let error = book.unlink_visitor("v-42", &office()).unwrap_err();
    assert!(error.to_string().contains("not linked"), "{error}");

    let log = book
        .change_log(&ChangeLogQuery {
            entity: Some((EntityKind::Visitor, "v-42".into())),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        log.iter().map(|row| row.action).collect::<Vec<_>>(),
        [ChangeAction::Linked, ChangeAction::Unlinked]
    );
    assert_eq!(log[0].changes[0].after, customer.id.to_string());
    assert_eq!(log[0].customer_id, Some(customer.id));
}

#[test]
fn the_stage_map_is_editable() {
    let (book, customer) = setup();
    assert_eq!(book.stage_map().unwrap()["page_viewed"], Stage::Awareness);
    let mut map = BTreeMap::new();
    map.insert("Page Viewed".to_owned(), Stage::Consideration);
    book.set_stage_map(map, &office()).unwrap();
    assert_eq!(
        book.stage_map().unwrap().get("page_viewed"),
        Some(&Stage::Consideration)
    );
    let view = Touchpoint::by_customer(
        customer.id,
        at(5, 5),
        JourneyChannel::Website,
        Direction::Inbound,
        Actor::Customer,
        "page_viewed",
    );
    let unknown = Touchpoint::by_customer(
        customer.id,
        at(5, 6),
        JourneyChannel::Website,
        Direction::Inbound,
        Actor::Customer,
        "brochure_downloaded",
    );
    book.record_touchpoints(vec![view, unknown], &office())
        .unwrap();
    let stages: Vec<Option<Stage>> = of_customer(&book, &customer)
        .iter()
        .map(|t| t.stage)
        .collect();
    assert_eq!(
        stages,
        [Some(Stage::Consideration), Some(Stage::Awareness)],
        "unmapped actions count as awareness"
    );
}

#[test]
fn touchpoints_join_the_customers_timeline_in_one_order() {
    let (book, customer) = setup();
    let same = at(10, 12);
    let mut expected = Vec::new();
    for n in 0..4 {
        let mut note = Note::new(customer.id, format!("note {n}"));
        note.at = same;
        expected.push(format!("e:{}", book.add_note(note, &office()).unwrap().id));
        let touchpoint = Touchpoint::by_customer(
            customer.id,
            same,
            JourneyChannel::Sms,
            Direction::Outbound,
            Actor::Staff,
            "message",
        );
        let id = touchpoint.id;
        book.record_touchpoints(vec![touchpoint], &office())
            .unwrap();
        expected.push(format!("t:{id}"));
    }
    let old = Touchpoint::by_customer(
        customer.id,
        same - Duration::days(1),
        JourneyChannel::Email,
        Direction::Outbound,
        Actor::Automation,
        "email_sent",
    );
    let old_id = format!("t:{}", old.id);
    book.record_touchpoints(vec![old], &office()).unwrap();
    expected.sort();
    expected.reverse();
    expected.push(old_id);

    let key = |item: &TimelineItem| match item {
        TimelineItem::Entry { entry, .. } => format!("e:{}", entry.id()),
        TimelineItem::Touchpoint(t) => format!("t:{}", t.id),
        TimelineItem::Change(c) => panic!("no changes asked for: {c:?}"),
    };
    let mut seen = Vec::new();
    let mut query = TimelineQuery {
        customer_id: Some(customer.id),
        limit: Some(3),
        ..Default::default()
    };
    loop {
        let page = book.timeline(&query).unwrap();
        seen.extend(page.items.iter().map(key));
        match page.next_cursor {
            Some(cursor) => query.cursor = Some(cursor),
            None => break,
        }
    }
    assert_eq!(
        seen, expected,
        "newest first, equal times in one fixed order, nothing skipped or repeated"
    );
    let only = book
        .timeline(&TimelineQuery {
            customer_id: Some(customer.id),
            kinds: vec![EntryKind::Touchpoint],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(only.items.len(), 5);
    assert!(
        only.items
            .iter()
            .all(|item| matches!(item, TimelineItem::Touchpoint(_)))
    );
}
