//! Conformance cases for stages you can trust: the per-stage report, the
//! journey map per customer type, and restaging stored touchpoints when the
//! stage map changes — on four hand-built journeys.

use chrono::{DateTime, TimeZone, Utc};

use crate::{
    Actor, Author, Book, CustomerId, CustomerKind, Direction, JourneyChannel, JourneyMapQuery,
    NewCustomer, Period, Stage, Touchpoint, TouchpointQuery,
};

fn office() -> Author {
    Author::office("dana")
}

fn at(month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, 10, 0, 0).unwrap()
}

fn touch(customer: CustomerId, when: DateTime<Utc>, action: &str) -> Touchpoint {
    Touchpoint::by_customer(
        customer,
        when,
        JourneyChannel::Website,
        Direction::Inbound,
        Actor::Customer,
        action,
    )
}

/// V1 (a visitor) looks and asks; C1 (residential) goes all the way; C2
/// (commercial) asks and pays; C3 (residential) looks and pays.
fn journeys(book: &Book) -> [CustomerId; 3] {
    let make = |kind, name: &str| {
        book.create_customer(NewCustomer::new(kind, name), &office())
            .unwrap()
            .id
    };
    let c1 = make(CustomerKind::Residential, "C1");
    let c2 = make(CustomerKind::Commercial, "C2");
    let c3 = make(CustomerKind::Residential, "C3");
    book.record_touchpoints(
        vec![
            Touchpoint::by_visitor("v-1", at(1, 5), JourneyChannel::Website, "page_viewed"),
            Touchpoint::by_visitor(
                "v-1",
                at(1, 7),
                JourneyChannel::Website,
                "estimate_requested",
            ),
            touch(c1, at(1, 10), "page_viewed"),
            touch(c1, at(1, 11), "estimate_requested"),
            touch(c1, at(1, 15), "payment_made"),
            touch(c1, at(2, 1), "portal_login"),
            touch(c2, at(2, 3), "estimate_requested"),
            touch(c2, at(2, 13), "payment_made"),
            touch(c3, at(2, 20), "page_viewed"),
            touch(c3, at(2, 21), "payment_made"),
        ],
        &office(),
    )
    .unwrap();
    [c1, c2, c3]
}

/// Per stage: people entering per month, days spent, where they went.
pub fn the_stage_report_counts_entries_time_spent_and_exits(book: &Book) {
    journeys(book);
    let report = book
        .stage_report(Some(at(1, 1)), Some(at(3, 1)), Some(Period::Month))
        .unwrap();
    assert_eq!(report.people, 4);
    let flow = |stage: Stage| {
        let flow = report.stages.iter().find(|s| s.stage == stage).unwrap();
        (
            flow.entered,
            flow.entered_by_period
                .iter()
                .map(|p| (p.period_start.to_string(), p.people))
                .collect::<Vec<_>>(),
            flow.median_days,
            flow.p90_days,
            flow.exits
                .iter()
                .map(|e| (e.to, e.people))
                .collect::<Vec<_>>(),
        )
    };
    let month = |m: &str, n| (format!("2026-{m}-01"), n);
    assert_eq!(
        flow(Stage::Awareness),
        (
            3,
            vec![month("01", 2), month("02", 1)],
            Some(1.0),
            Some(1.8),
            vec![(Some(Stage::Consideration), 2), (Some(Stage::Purchase), 1)]
        ),
        "C3 skipped consideration"
    );
    assert_eq!(
        flow(Stage::Consideration),
        (
            3,
            vec![month("01", 2), month("02", 1)],
            Some(7.0),
            Some(9.4),
            vec![(Some(Stage::Purchase), 2), (None, 1)]
        )
    );
    assert_eq!(
        flow(Stage::Purchase),
        (
            3,
            vec![month("01", 1), month("02", 2)],
            Some(17.0),
            Some(17.0),
            vec![(None, 2), (Some(Stage::Retention), 1)]
        )
    );
    assert_eq!(
        flow(Stage::Retention),
        (1, vec![month("02", 1)], None, None, vec![(None, 1)])
    );
    assert!(
        book.stage_report(Some(at(3, 1)), Some(at(1, 1)), None)
            .is_err()
    );
}

/// A journey map per customer kind, with its measured numbers.
pub fn a_journey_map_per_customer_kind_is_measured(book: &Book) {
    journeys(book);
    let map = book
        .journey_map(&JourneyMapQuery {
            customer_kind: Some(CustomerKind::Residential),
            since: Some(at(1, 1)),
            until: Some(at(3, 1)),
            ..JourneyMapQuery::default()
        })
        .unwrap();
    assert_eq!((map.group.as_str(), map.people), ("kind: residential", 2));
    let stages: Vec<_> = map
        .stages
        .iter()
        .map(|s| {
            (
                s.stage,
                s.people,
                s.share,
                s.moved_on,
                s.median_days,
                s.actions
                    .iter()
                    .map(|a| (a.action.as_str(), a.people, a.touchpoints))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(
        stages,
        [
            (
                Stage::Awareness,
                2,
                1.0,
                1.0,
                Some(1.0),
                vec![("page_viewed", 2, 2)]
            ),
            (
                Stage::Consideration,
                1,
                0.5,
                1.0,
                Some(4.0),
                vec![("estimate_requested", 1, 1)]
            ),
            (
                Stage::Purchase,
                2,
                1.0,
                0.5,
                Some(17.0),
                vec![("payment_made", 2, 2)]
            ),
            (
                Stage::Retention,
                1,
                0.5,
                0.0,
                None,
                vec![("portal_login", 1, 1)]
            ),
        ]
    );
    let everyone = book
        .journey_map(&JourneyMapQuery {
            since: Some(at(1, 1)),
            until: Some(at(3, 1)),
            ..JourneyMapQuery::default()
        })
        .unwrap();
    assert_eq!((everyone.group.as_str(), everyone.people), ("everyone", 4));
    assert!(
        book.journey_map(&JourneyMapQuery {
            top_actions: Some(0),
            ..JourneyMapQuery::default()
        })
        .is_err()
    );
}

/// Changing the stage map restages the touchpoints it staged; a stage
/// given explicitly stays; an action newly mapped gets its stage.
pub fn changing_the_stage_map_restages_stored_touchpoints(book: &Book) {
    let [c1, ..] = journeys(book);
    let mut explicit = touch(c1, at(2, 25), "portal_login");
    explicit.stage = Some(Stage::Consideration);
    book.record_touchpoints(
        vec![explicit, touch(c1, at(2, 26), "brochure_downloaded")],
        &office(),
    )
    .unwrap();
    let mut map = book.stage_map().unwrap();
    map.insert("portal_login".into(), Stage::Purchase);
    map.insert("brochure_downloaded".into(), Stage::Awareness);
    book.set_stage_map(map, &office()).unwrap();
    let stages: Vec<(String, Option<Stage>)> = book
        .touchpoints(&TouchpointQuery {
            customer_id: Some(c1),
            until: Some(at(3, 1)),
            ..TouchpointQuery::default()
        })
        .unwrap()
        .into_iter()
        .map(|t| (t.action, t.stage))
        .collect();
    let of = |action: &str| {
        stages
            .iter()
            .filter(|(a, _)| a == action)
            .map(|(_, s)| *s)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        of("portal_login"),
        [Some(Stage::Purchase), Some(Stage::Consideration)]
    );
    assert_eq!(of("brochure_downloaded"), [Some(Stage::Awareness)]);
    assert!(book.unmapped_actions().unwrap().is_empty());
    let report = book
        .stage_report(Some(at(1, 1)), Some(at(3, 1)), None)
        .unwrap();
    let retention = report
        .stages
        .iter()
        .find(|s| s.stage == Stage::Retention)
        .unwrap();
    assert_eq!(retention.entered, 0, "portal logins are purchase now");
}
