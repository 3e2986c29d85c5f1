//! Conformance cases for the customer journey: touchpoints recorded once per
//! source event and normalised, junk visitor ids refused, visitors linked to
//! customers (and unlinked), stages from an editable map, touchpoints in the
//! customer's timeline, and the journey scan behind funnels, lead response
//! times, attribution, segments and Segment event imports.

use std::collections::BTreeMap;

use crate::{
    Actor, Author, Book, ChangeAction, ChangeLogQuery, Customer, CustomerKind, Direction,
    EntityKind, EntryKind, Error, JourneyChannel, NewCustomer, Note, Stage, Touchpoint,
    TouchpointQuery, actions,
};
use crate::{TimelineItem, TimelineQuery};
use chrono::{DateTime, Duration, TimeZone, Utc};
use rust_decimal::Decimal;

fn office() -> Author {
    Author::office("dana")
}

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, day, hour, 0, 0).unwrap()
}

fn setup(book: &Book) -> Customer {
    book.create_customer(
        NewCustomer::new(CustomerKind::Residential, "Maria Lopez"),
        &office(),
    )
    .unwrap()
}

fn web(visitor: &str, day: u32, action: &str, event: &str) -> Touchpoint {
    let mut touchpoint =
        Touchpoint::by_visitor(visitor, at(day, 10), JourneyChannel::Website, action);
    touchpoint.source_system = Some("website".into());
    touchpoint.source_event_id = Some(event.into());
    touchpoint
}

/// The touchpoints recorded for the customer, without the ones the book's
/// own operations wrote (creating the customer wrote `customer_created`).
fn of_customer(book: &Book, customer: &Customer) -> Vec<Touchpoint> {
    book.touchpoints(&TouchpointQuery {
        customer_id: Some(customer.id),
        exclude_operations: true,
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

/// Touchpoints are normalised and staged.
pub fn touchpoints_are_normalised_and_staged(book: &Book) {
    let customer = setup(book);
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
        JourneyChannel::Portal,
        Direction::Inbound,
        Actor::Customer,
        actions::PAYMENT_MADE,
    );
    paid.stage = Some(Stage::Retention);
    let report = book
        .record_touchpoints(vec![call, paid], &office())
        .unwrap();
    assert_eq!((report.added, report.skipped), (2, 0));
    let stored = of_customer(book, &customer);
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

/// The same event recorded twice is stored once.
pub fn the_same_event_recorded_twice_is_stored_once(book: &Book) {
    let _ = setup(book);
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
    assert_eq!(of_visitor(book, "v-1").len(), 2);
}

/// Bad touchpoints refuse the whole batch.
pub fn bad_touchpoints_refuse_the_whole_batch(book: &Book) {
    let customer = setup(book);
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
        crate::CustomerId::new(),
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
        of_visitor(book, "v-ok").is_empty(),
        "nothing of a refused batch was stored"
    );
    assert_eq!(rows(), before);
}

/// Linking a visitor moves their journey to the customer and can be undone.
pub fn linking_a_visitor_moves_their_journey_to_the_customer_and_can_be_undone(book: &Book) {
    let customer = setup(book);
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
    assert_eq!(of_customer(book, &customer).len(), 1);

    book.link_visitor("v-42", customer.id, &office()).unwrap();
    let journey = of_customer(book, &customer);
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
    assert_eq!(of_customer(book, &customer).len(), 4);

    let other = book
        .create_customer(
            NewCustomer::new(CustomerKind::Residential, "Someone Else"),
            &office(),
        )
        .unwrap();
    let error = book.link_visitor("v-42", other.id, &office()).unwrap_err();
    assert!(error.to_string().contains("another customer"), "{error}");

    book.unlink_visitor("v-42", &office()).unwrap();
    let left = of_customer(book, &customer);
    assert_eq!(
        left.iter().map(|t| t.action.as_str()).collect::<Vec<_>>(),
        ["call"],
        "only what was recorded for the customer stays"
    );
    assert!(
        of_visitor(book, "v-42")
            .iter()
            .all(|t| t.customer_id.is_none())
    );
    assert_eq!(of_visitor(book, "v-42").len(), 3);
    let error = book.unlink_visitor("v-42", &office()).unwrap_err();
    assert!(error.to_string().contains("not linked"), "{error}");

    let log = book
        .change_log(&ChangeLogQuery {
            entity: Some(EntityKind::Visitor),
            entity_id: Some("v-42".into()),
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

/// The stage map is editable.
pub fn the_stage_map_is_editable(book: &Book) {
    let customer = setup(book);
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
    let stages: Vec<Option<Stage>> = of_customer(book, &customer)
        .iter()
        .map(|t| t.stage)
        .collect();
    assert_eq!(
        stages,
        [Some(Stage::Consideration), None],
        "an action the map does not know is stored with no stage, not guessed"
    );
    let unmapped = book.unmapped_actions().unwrap();
    // The new map names only page_viewed: the stored customer_created
    // (staged by the old map) is restaged to no stage as well.
    assert_eq!(unmapped.len(), 2, "{unmapped:?}");
    assert_eq!(unmapped[1].action, "customer_created");
    assert_eq!(unmapped[0].action, "brochure_downloaded");
    assert_eq!(unmapped[0].touchpoints, 1);
    assert_eq!(unmapped[0].last_at, at(5, 6));
}

/// Recorded touchpoints show in their customer's change log, one row per
/// customer, and an empty batch writes nothing.
pub fn touchpoints_are_in_their_customers_change_log(book: &Book) {
    let maria = setup(book);
    let sam = book
        .create_customer(
            NewCustomer::new(CustomerKind::Residential, "Sam Lee"),
            &office(),
        )
        .unwrap();
    let all = || book.change_log(&ChangeLogQuery::default()).unwrap().len();
    let before = all();
    let report = book.record_touchpoints(Vec::new(), &office()).unwrap();
    assert_eq!((report.added, report.skipped), (0, 0));
    assert_eq!(all(), before, "an empty batch writes no change-log row");
    let touch = |customer: &Customer, hour| {
        Touchpoint::by_customer(
            customer.id,
            at(6, hour),
            JourneyChannel::Portal,
            Direction::Inbound,
            Actor::Customer,
            "portal_login",
        )
    };
    let visitor = Touchpoint::by_visitor("v-9", at(6, 8), JourneyChannel::Website, "page_viewed");
    book.record_touchpoints(
        vec![
            touch(&maria, 9),
            touch(&maria, 10),
            touch(&sam, 11),
            visitor,
        ],
        &office(),
    )
    .unwrap();
    let rows_of = |customer: &Customer| {
        book.change_log(&ChangeLogQuery {
            customer_id: Some(customer.id),
            entity: Some(EntityKind::Touchpoint),
            ..Default::default()
        })
        .unwrap()
    };
    let marias = rows_of(&maria);
    assert_eq!(marias.len(), 1);
    assert_eq!(marias[0].changes[0].after, serde_json::json!(2));
    assert_eq!(rows_of(&sam)[0].changes[0].after, serde_json::json!(1));
    assert_eq!(all(), before + 3, "Maria's, Sam's and the visitor's rows");
}

/// Touchpoints join the customers timeline in one order.
pub fn touchpoints_join_the_customers_timeline_in_one_order(book: &Book) {
    let customer = setup(book);
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

/// Records `(action, channel, day, hour)` steps for a customer, in the given order.
fn journey(book: &Book, customer: &Customer, steps: &[(&str, JourneyChannel, u32, u32)]) {
    let touchpoints = steps
        .iter()
        .map(|(action, channel, day, hour)| {
            Touchpoint::by_customer(
                customer.id,
                at(*day, *hour),
                *channel,
                Direction::Inbound,
                Actor::Customer,
                *action,
            )
        })
        .collect();
    book.record_touchpoints(touchpoints, &office()).unwrap();
}

/// A funnel counts people by their best attempt within the window.
pub fn a_funnel_counts_people_by_their_best_attempt_within_the_window(book: &Book) {
    use crate::{FunnelDefinition, FunnelStep};
    use JourneyChannel::{Email, Phone, Website};
    let customer = |name: &str, kind: CustomerKind, tag: Option<&str>| {
        let mut new = NewCustomer::new(kind, name);
        new.tags.extend(tag.map(str::to_owned));
        book.create_customer(new, &office()).unwrap()
    };
    let a = customer("A", CustomerKind::Residential, Some("north"));
    let b = customer("B", CustomerKind::Commercial, None);
    let c = customer("C", CustomerKind::Residential, Some("north"));
    let d = customer("D", CustomerKind::Residential, None);
    let e = customer("E", CustomerKind::Residential, None);
    let f = customer("F", CustomerKind::Residential, None);
    let g = customer("G", CustomerKind::Residential, None);
    let h = customer("H", CustomerKind::Residential, None);
    // A: every step; 2 h then 46 h.
    journey(
        book,
        &a,
        &[
            ("page_viewed", Website, 1, 10),
            ("estimate_requested", Phone, 1, 12),
            ("payment_made", Website, 3, 10),
        ],
    );
    // B: the estimate comes 8 days later, outside the 7-day window: step 1 only.
    journey(
        book,
        &b,
        &[
            ("page_viewed", Website, 1, 10),
            ("estimate_requested", Phone, 9, 10),
        ],
    );
    // C enters twice; the second attempt gets furthest: 24 h, 24 h. Counted once.
    journey(
        book,
        &c,
        &[
            ("page_viewed", Website, 1, 9),
            ("page_viewed", Website, 20, 9),
            ("estimate_requested", Email, 21, 9),
            ("payment_made", Website, 22, 9),
        ],
    );
    // D browses anonymously, then is linked: one person, 1 h to the estimate.
    book.record_touchpoints(
        vec![web("v-d", 2, "page_viewed", "d1"), {
            let mut t = web("v-d", 2, "estimate_requested", "d2");
            t.at = at(2, 11);
            t
        }],
        &office(),
    )
    .unwrap();
    book.link_visitor("v-d", d.id, &office()).unwrap();
    // E: the estimate exactly 168 h after entering still counts.
    journey(
        book,
        &e,
        &[
            ("page_viewed", Website, 1, 0),
            ("estimate_requested", Phone, 8, 0),
        ],
    );
    // F: the estimate is stored before the page view at the same instant: 0 s, then 1 h.
    journey(
        book,
        &f,
        &[
            ("estimate_requested", Phone, 4, 10),
            ("page_viewed", Website, 4, 10),
            ("payment_made", Website, 4, 11),
        ],
    );
    // G bought before (a purchase-stage touchpoint), so G is returning: 1 h, 23 h.
    journey(
        book,
        &g,
        &[
            ("payment_made", Website, 1, 8),
            ("page_viewed", Website, 5, 10),
            ("estimate_requested", Phone, 5, 11),
            ("payment_made", Website, 6, 10),
        ],
    );
    // H's page view was on email, not the website: never enters.
    journey(
        book,
        &h,
        &[
            ("page_viewed", Email, 1, 10),
            ("estimate_requested", Phone, 1, 11),
        ],
    );

    let definition = FunnelDefinition::new(
        vec![
            FunnelStep::new("page_viewed").on(Website),
            FunnelStep::new("estimate_requested"),
            FunnelStep::new("payment_made"),
        ],
        7 * 24,
    );
    let report = book.funnel(&definition).unwrap();
    let entered =
        |counts: &crate::FunnelCounts| counts.steps.iter().map(|s| s.entered).collect::<Vec<_>>();
    // Entered: A B C D E F G = 7; on to the estimate: all but B = 6; paid: A C F G = 4.
    assert_eq!(entered(&report.all), [7, 6, 4]);
    let first = &report.all.steps[0];
    assert_eq!((first.converted, first.drop_off), (6, 1));
    assert!((first.conversion_rate - 6.0 / 7.0).abs() < 1e-12);
    // Page view → estimate, seconds: 0, 3600 (D), 3600 (G), 7200 (A), 86400 (C), 604800 (E).
    // Median (3600 + 7200) / 2; p90 at rank 4.5: 86400 + (604800 − 86400) / 2.
    assert_eq!(first.median_seconds_to_convert, Some(5400.0));
    assert_eq!(first.p90_seconds_to_convert, Some(345_600.0));
    // Estimate → payment: 3600 (F), 82800 (G), 86400 (C), 165600 (A).
    let second = &report.all.steps[1];
    assert_eq!(second.median_seconds_to_convert, Some(84_600.0));
    assert_eq!(
        second.p90_seconds_to_convert,
        Some(86_400.0 + 79_200.0 * 0.7)
    );
    assert_eq!((second.converted, second.drop_off), (4, 2));
    assert_eq!(report.all.steps[2].drop_off, 0);
    assert_eq!(report.all.completed(), 4);

    assert_eq!(
        entered(&report.new),
        [6, 5, 3],
        "G's repeat business is not acquisition"
    );
    assert_eq!(entered(&report.returning), [1, 1, 1]);
    assert_eq!(
        report.by_first_channel.keys().collect::<Vec<_>>(),
        [&Website]
    );
    assert_eq!(
        entered(&report.by_kind[&CustomerKind::Residential]),
        [6, 6, 4]
    );
    assert_eq!(
        entered(&report.by_kind[&CustomerKind::Commercial]),
        [1, 0, 0]
    );
    assert_eq!(entered(&report.by_tag["north"]), [2, 2, 2]);

    let one_step = FunnelDefinition::new(vec![FunnelStep::new("page_viewed")], 24);
    assert!(
        matches!(book.funnel(&one_step), Err(Error::Invalid { ref field, .. }) if field == "steps")
    );
    let mut since = definition.clone();
    since.since = Some(at(15, 0));
    assert_eq!(
        entered(&book.funnel(&since).unwrap().all),
        [1, 1, 1],
        "only C's second attempt lies in range"
    );
}

/// Lead response time is timed to the first staff reply.
pub fn lead_response_time_is_timed_to_the_first_staff_reply(book: &Book) {
    use crate::ResponseTimeQuery;
    use JourneyChannel::{Email, Phone, Sms, Website};
    let customer = |name: &str| {
        book.create_customer(NewCustomer::new(CustomerKind::Residential, name), &office())
            .unwrap()
    };
    let touch = |c: &Customer,
                 day: u32,
                 hour: u32,
                 minute: u32,
                 channel,
                 direction,
                 actor,
                 action: &str| {
        let mut t = Touchpoint::by_customer(
            c.id,
            at(day, hour) + Duration::minutes(minute.into()),
            channel,
            direction,
            actor,
            action,
        );
        t.source_system = None;
        t
    };
    let (p1, p2, p4, p5) = (
        customer("P1"),
        customer("P2"),
        customer("P4"),
        customer("P5"),
    );
    book.record_touchpoints(
        vec![
            // P1 asks for an estimate; staff call back 30 minutes later: 1800 s.
            touch(
                &p1,
                1,
                10,
                0,
                Website,
                Direction::Inbound,
                Actor::Customer,
                "estimate_requested",
            ),
            touch(
                &p1,
                1,
                10,
                30,
                Phone,
                Direction::Outbound,
                Actor::Staff,
                "call",
            ),
            // P2 calls twice before the reply: one lead, timed from the first call: 7200 s.
            touch(
                &p2,
                1,
                9,
                0,
                Phone,
                Direction::Inbound,
                Actor::Customer,
                "call",
            ),
            touch(
                &p2,
                1,
                9,
                20,
                Phone,
                Direction::Inbound,
                Actor::Customer,
                "call",
            ),
            touch(
                &p2,
                1,
                11,
                0,
                Sms,
                Direction::Outbound,
                Actor::Staff,
                "message",
            ),
            // P4's automatic acknowledgement is no reply; staff answer a day later: 86400 s.
            touch(
                &p4,
                3,
                12,
                0,
                Website,
                Direction::Inbound,
                Actor::Customer,
                "estimate_requested",
            ),
            touch(
                &p4,
                3,
                12,
                1,
                Email,
                Direction::Outbound,
                Actor::Automation,
                "email_sent",
            ),
            touch(
                &p4,
                4,
                12,
                0,
                Email,
                Direction::Outbound,
                Actor::Staff,
                "email_sent",
            ),
            // P5 was contacted first, then asked and got no answer.
            touch(
                &p5,
                4,
                9,
                0,
                Email,
                Direction::Outbound,
                Actor::Staff,
                "email_sent",
            ),
            touch(
                &p5,
                5,
                9,
                0,
                Website,
                Direction::Inbound,
                Actor::Customer,
                "estimate_requested",
            ),
        ],
        &office(),
    )
    .unwrap();
    // An anonymous visitor's message nobody answered.
    let mut message = web("v-3", 2, "message", "m1");
    message.channel = Sms;
    book.record_touchpoints(vec![message], &office()).unwrap();

    let report = book
        .lead_response_times(&ResponseTimeQuery::default())
        .unwrap();
    assert_eq!((report.leads, report.answered), (5, 3));
    // Answered: 1800, 7200, 86400. p90 at rank 1.8: 7200 + 0.8 × 79200.
    assert_eq!(report.median_seconds, Some(7200.0));
    assert_eq!(report.p90_seconds, Some(7200.0 + 0.8 * 79_200.0));
    assert!(
        (report.within_target - 0.2).abs() < 1e-12,
        "1 of 5 leads within the hour"
    );
    let waiting: Vec<(Option<&str>, Option<crate::CustomerId>)> = report
        .unanswered
        .iter()
        .map(|lead| (lead.visitor_id.as_deref(), lead.customer_id))
        .collect();
    assert_eq!(
        waiting,
        [(Some("v-3"), None), (None, Some(p5.id))],
        "oldest first"
    );

    let from_day_2 = ResponseTimeQuery {
        since: Some(at(2, 0)),
        target_minutes: 24 * 60,
        ..Default::default()
    };
    let later = book.lead_response_times(&from_day_2).unwrap();
    assert_eq!((later.leads, later.answered), (3, 1));
    assert!(
        (later.within_target - 1.0 / 3.0).abs() < 1e-12,
        "P4's reply came exactly at the 24 h target"
    );
}

/// Conversions are attributed within the lookback and each sums to one.
pub fn conversions_are_attributed_within_the_lookback_and_each_sums_to_one(book: &Book) {
    use crate::{AttributionModel as Model, AttributionQuery, NO_CAMPAIGN};
    use JourneyChannel::{Email, Phone, Website};
    let customer = |name: &str| {
        book.create_customer(NewCustomer::new(CustomerKind::Residential, name), &office())
            .unwrap()
    };
    let (x, y) = (customer("X"), customer("Y"));
    let touch =
        |c: &Customer, when: DateTime<Utc>, channel, action: &str, campaign: Option<&str>| {
            let mut t = Touchpoint::by_customer(
                c.id,
                when,
                channel,
                Direction::Inbound,
                Actor::Customer,
                action,
            );
            t.campaign = campaign.map(str::to_owned);
            t
        };
    book.record_touchpoints(
        vec![
            // X: email (spring), website (Google Local), phone, then the first payment.
            touch(&x, at(1, 10), Email, "email_clicked", Some("Spring")),
            touch(
                &x,
                at(3, 10),
                Website,
                "page_viewed",
                Some(" Google  Local "),
            ),
            touch(&x, at(5, 10), Phone, "call", None),
            touch(&x, at(6, 10), Website, "payment_made", None),
            touch(&x, at(20, 10), Website, "payment_made", None),
            // Y: a website visit 40 days before paying is outside the 30-day lookback.
            touch(
                &y,
                at(6, 10) - Duration::days(40),
                Website,
                "page_viewed",
                Some("old"),
            ),
            touch(&y, at(9, 10), Email, "email_clicked", Some("Spring")),
            touch(&y, at(10, 10), Phone, "payment_made", None),
        ],
        &office(),
    )
    .unwrap();
    let report = book.attribution(&AttributionQuery::default()).unwrap();
    assert_eq!(
        report.conversions, 2,
        "X's second payment is repeat business"
    );
    for credits in &report.models {
        let total: Decimal = credits.by_channel.values().sum();
        assert_eq!(
            total,
            Decimal::from(2),
            "{}: one credit per conversion, exactly",
            credits.model
        );
        assert_eq!(
            credits.by_campaign.values().sum::<Decimal>(),
            Decimal::from(2)
        );
        assert!(
            !credits.by_campaign.contains_key("old"),
            "outside the lookback"
        );
    }
    // Y's only touch in range is the spring email, under every model.
    let first = report.model(Model::FirstTouch);
    assert_eq!(first.by_channel[&Email], Decimal::from(2));
    assert_eq!(first.by_campaign["spring"], Decimal::from(2));
    let last = report.model(Model::LastTouch);
    assert_eq!(
        (last.by_channel[&Phone], last.by_channel[&Email]),
        (Decimal::ONE, Decimal::ONE)
    );
    let position = report.model(Model::PositionBased);
    assert_eq!(position.by_channel[&Email], Decimal::new(14, 1)); // 0.4 (X) + 1 (Y)
    assert_eq!(position.by_channel[&Website], Decimal::new(2, 1));
    assert_eq!(position.by_campaign["google local"], Decimal::new(2, 1));
    assert_eq!(position.by_campaign[NO_CAMPAIGN], Decimal::new(4, 1));
    let linear = report.model(Model::Linear);
    assert!(
        linear.by_channel[&Website] > Decimal::new(3333, 4)
            && linear.by_channel[&Website] < Decimal::new(3334, 4)
    );
    let decay = report.model(Model::TimeDecay);
    assert!(
        decay.by_channel[&Phone] > decay.by_channel[&Website],
        "the nearer touch gets more"
    );

    let only_x = AttributionQuery {
        until: Some(at(7, 0)),
        since: Some(at(6, 0)),
        ..Default::default()
    };
    assert_eq!(book.attribution(&only_x).unwrap().conversions, 1);
    let bad = AttributionQuery {
        half_life_days: 0.0,
        ..Default::default()
    };
    assert!(
        matches!(book.attribution(&bad), Err(Error::Invalid { ref field, .. }) if field == "half_life_days")
    );
}

/// A conversion before the range makes later ones repeat business.
pub fn a_conversion_before_the_range_makes_later_ones_repeat_business(book: &Book) {
    use crate::AttributionQuery;
    let customer = setup(book);
    let paid = |when| {
        Touchpoint::by_customer(
            customer.id,
            when,
            JourneyChannel::Portal,
            Direction::Inbound,
            Actor::Customer,
            "payment_made",
        )
    };
    book.record_touchpoints(
        vec![paid(at(1, 10) - Duration::days(90)), paid(at(20, 10))],
        &office(),
    )
    .unwrap();
    let may = AttributionQuery {
        since: Some(at(1, 0)),
        ..Default::default()
    };
    assert_eq!(
        book.attribution(&may).unwrap().conversions,
        0,
        "the first payment was in February"
    );
}

/// Segment events import once and bad lines are reported by number.
pub fn segment_events_import_once_and_bad_lines_are_reported_by_number(book: &Book) {
    use crate::EventMapping;
    let customer = setup(book);
    let id = customer.id;
    let file = format!(
        r#"{{"type":"page","messageId":"m1","anonymousId":"v-1","timestamp":"2026-05-01T10:00:00Z","context":{{"campaign":{{"name":"Spring Opening","source":"Google"}}}}}}
{{"type":"track","event":"Estimate Requested","messageId":"m2","anonymousId":"v-1","timestamp":"2026-05-01T10:05:00Z"}}
{{not json
{{"type":"identify","anonymousId":"v-1","userId":"{id}","timestamp":"2026-05-01T10:06:00Z","messageId":"i1"}}
{{"type":"track","event":"Payment Made","messageId":"m3","userId":"{id}","timestamp":"2026-05-03T09:00:00+02:00","properties":{{"revenue":125.5}}}}
{{"type":"track","event":"Payment Made","userId":"{id}","timestamp":"2026-05-03T09:00:00Z"}}
{{"type":"page","messageId":"m4","anonymousId":"undefined","timestamp":"2026-05-01T10:00:00Z"}}
{{"type":"track","event":"Payment Made","messageId":"m5","userId":"0196a000-0000-7000-8000-000000000000","timestamp":"2026-05-03T09:00:00Z"}}
{{"type":"track","event":"Estimate Requested","messageId":"m2","anonymousId":"v-1","timestamp":"2026-05-01T10:05:00Z"}}
{{"type":"track","event":"Brochure Downloaded","messageId":"m6","anonymousId":"v-2","timestamp":"2026-05-02T10:00:00Z"}}
{{"type":"alias","messageId":"m7","anonymousId":"v-3","timestamp":"2026-05-02T10:00:00Z"}}

"#
    );
    let report = book
        .import_segment_events(
            file.as_bytes(),
            &EventMapping::default(),
            &Author::import("events.ndjson"),
        )
        .unwrap();
    assert_eq!(report.added, 5, "m1, m2, m3, m6 and the link: {report:?}");
    assert_eq!(report.skipped, 1, "line 9 repeats line 2");
    let lines: Vec<u64> = report.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3, 6, 7, 8, 11]);
    assert!(report.rejected[0].reason.contains("not valid JSON"));
    assert!(report.rejected[1].reason.contains("messageId"));
    assert!(report.rejected[2].reason.contains("not a real visitor id"));
    assert!(report.rejected[3].reason.contains("names no customer"));
    assert!(
        report.rejected[4]
            .reason
            .contains("unsupported type 'alias'")
    );

    let journey = of_customer(book, &customer);
    let actions: Vec<&str> = journey.iter().map(|t| t.action.as_str()).collect();
    assert_eq!(
        actions,
        ["page_viewed", "estimate_requested", "payment_made"],
        "the identified visitor's history joined"
    );
    assert_eq!(journey[0].campaign.as_deref(), Some("spring opening"));
    assert_eq!(journey[0].source.as_deref(), Some("google"));
    assert_eq!(
        journey[2].at,
        Utc.with_ymd_and_hms(2026, 5, 3, 7, 0, 0).unwrap(),
        "times are kept in UTC"
    );
    assert_eq!(journey[2].value, Some(Decimal::new(12550, 2)));
    assert_eq!(journey[2].channel, JourneyChannel::Portal);
    let other = of_visitor(book, "v-2");
    assert_eq!(
        (other[0].channel, other[0].action.as_str()),
        (JourneyChannel::Other, "brochure_downloaded")
    );

    let again = book
        .import_segment_events(
            file.as_bytes(),
            &EventMapping::default(),
            &Author::import("events.ndjson"),
        )
        .unwrap();
    assert_eq!(again.added, 0, "importing the same file again adds nothing");
    assert_eq!(again.skipped, 6);
    assert_eq!(again.rejected.len(), 5);
    assert_eq!(of_customer(book, &customer).len(), 3);
}

/// Segments find customers by record ledger and journey with the values they saw.
pub fn segments_find_customers_by_record_ledger_and_journey_with_the_values_they_saw(book: &Book) {
    use crate::{Invoice, InvoiceLine, Payment, PaymentMethod};
    use crate::{Segment, SegmentRule};
    let make = |name: &str, kind: CustomerKind, vip: bool| {
        let mut new = NewCustomer::new(kind, name);
        if vip {
            new.tags.push("vip".into());
        }
        book.create_customer(new, &office()).unwrap()
    };
    let day = |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let owe = |c: &Customer, number: &str, due: chrono::NaiveDate, paid_cents: i64| {
        let invoice = book
            .add_invoice(
                Invoice::new(
                    c.id,
                    number,
                    due - Duration::days(15),
                    due,
                    vec![InvoiceLine::new(
                        "service",
                        Decimal::ONE,
                        Decimal::new(10000, 2),
                    )],
                ),
                &office(),
            )
            .unwrap();
        if paid_cents > 0 {
            let payment = Payment::new(c.id, due, Decimal::new(paid_cents, 2), PaymentMethod::Card)
                .applied_to(invoice.id, Decimal::new(paid_cents, 2));
            book.record_payment(payment, &office()).unwrap();
        }
    };
    let touch = |c: &Customer, when: DateTime<Utc>, action: &str| {
        let t = Touchpoint::by_customer(
            c.id,
            when,
            JourneyChannel::Email,
            Direction::Inbound,
            Actor::Customer,
            action,
        );
        book.record_touchpoints(vec![t], &office()).unwrap();
    };
    let march = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
    // S1: 60.00 left of an invoice 45 days past due; opened a reminder, never paid.
    let s1 = make("S1", CustomerKind::Residential, true);
    owe(&s1, "1", day(1, 15), 4000);
    touch(&s1, march - Duration::days(9), "reminder_opened");
    // S2: only 10 days past due; silent.
    let s2 = make("S2", CustomerKind::Residential, true);
    owe(&s2, "2", day(2, 19), 0);
    // S3: 45 days past due, but paid (something) two days after the reminder.
    let s3 = make("S3", CustomerKind::Commercial, true);
    owe(&s3, "3", day(1, 15), 0);
    touch(&s3, march - Duration::days(9), "reminder_opened");
    touch(&s3, march - Duration::days(7), "payment_made");
    // S4: nothing at all, not a vip.
    let s4 = make("S4", CustomerKind::Residential, false);

    let chase = Segment {
        name: " Chase VIPs ".into(),
        rules: vec![
            SegmentRule::Tag { tag: "vip".into() },
            SegmentRule::OverdueMoreThan { days: 30 },
        ],
    };
    let saved = book.save_segment(chase, &office()).unwrap();
    assert_eq!(saved.name, "Chase VIPs");
    let members = book.segment_members("Chase VIPs", march).unwrap();
    assert_eq!(
        members.iter().map(|m| m.customer_id).collect::<Vec<_>>(),
        [s1.id, s3.id]
    );
    assert_eq!(
        members[0].values["remaining"], "60.00",
        "a personal follow-up can name the remaining balance"
    );
    assert_eq!(members[0].values["days_overdue"], 45);

    let reminded = Segment {
        name: "Reminded, not paid".into(),
        rules: vec![SegmentRule::DidButNot {
            did: "Reminder Opened".into(),
            not: "payment_made".into(),
            within_days: 7,
        }],
    };
    book.save_segment(reminded, &office()).unwrap();
    let members = book.segment_members("Reminded, not paid", march).unwrap();
    assert_eq!(
        members.iter().map(|m| m.customer_id).collect::<Vec<_>>(),
        [s1.id]
    );
    assert!(members[0].values.contains_key("reminder_opened_at"));
    // Before the 7 days are up, nobody qualifies yet.
    assert!(
        book.segment_members("Reminded, not paid", march - Duration::days(3))
            .unwrap()
            .is_empty()
    );

    let quiet = Segment {
        name: "Quiet".into(),
        rules: vec![SegmentRule::NoTouchpointFor { days: 30 }],
    };
    book.save_segment(quiet, &office()).unwrap();
    let members = book.segment_members("Quiet", march).unwrap();
    // S2 paid nothing and did nothing, but its invoice was sent on 4
    // February: an operation is a touchpoint, so S2 is not quiet. S4's only
    // touchpoint (its record created) comes after `march`.
    assert_eq!(
        members.iter().map(|m| m.customer_id).collect::<Vec<_>>(),
        [s4.id]
    );
    assert_eq!(
        members[0].values["last_touchpoint_at"],
        serde_json::Value::Null
    );
    assert_eq!(
        members[0].values["last_touchpoint_at"],
        serde_json::Value::Null
    );

    assert_eq!(book.segments().unwrap().len(), 3);
    assert!(matches!(
        book.segment_members("nope", march),
        Err(Error::NotFound {
            entity: EntityKind::Segment,
            ..
        })
    ));
    let empty = Segment {
        name: "Empty".into(),
        rules: vec![],
    };
    assert!(
        matches!(book.save_segment(empty, &office()), Err(Error::Invalid { ref field, .. }) if field == "rules")
    );
}
