//! Conformance cases for retention, satisfaction and engagement, on
//! hand-built journeys whose cohort tables, ratings and trends are written
//! out.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;

use crate::{
    Actor, Address, Author, Book, Customer, CustomerKind, Direction, EngagementQuery, Feedback,
    JourneyChannel, LifecycleStatus, NewCustomer, NewTechnician, RetentionQuery, SatisfactionQuery,
    ServiceLocation, Stage, Touchpoint, Trend, Visit,
};

fn office() -> Author {
    Author::office("dana")
}

fn at(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 12, 0, 0).unwrap()
}

fn lead(book: &Book, name: &str) -> Customer {
    let mut new = NewCustomer::new(CustomerKind::Residential, name).with_location(
        ServiceLocation::new(Address::new("1 Elm St", "Mesa", "AZ", "85201", "US")),
    );
    new.status = LifecycleStatus::Lead;
    book.create_customer(new, &office()).unwrap()
}

fn status(
    customer: &Customer,
    when: DateTime<Utc>,
    action: &str,
    props: serde_json::Value,
) -> Touchpoint {
    let mut touchpoint = Touchpoint::by_customer(
        customer.id,
        when,
        JourneyChannel::Other,
        Direction::Inbound,
        Actor::Staff,
        action,
    );
    if let serde_json::Value::Object(map) = props {
        touchpoint.properties = map.into_iter().collect();
    }
    touchpoint
}

/// Cohorts by activation month, retention at 1/3/6/12 months (marks after
/// `as_of` not measured), churn with reasons.
pub fn retention_tables_cohorts_by_activation_month_with_churn_reasons(book: &Book) {
    let names = ["C1", "C2", "C3", "C4", "C5", "C6"];
    let c: Vec<Customer> = names.iter().map(|n| lead(book, n)).collect();
    let none = json!({});
    book.record_touchpoints(
        vec![
            status(&c[0], at(2025, 1, 10), "converted", none.clone()),
            status(&c[1], at(2025, 1, 20), "converted", none.clone()),
            status(
                &c[1],
                at(2025, 3, 5),
                "churned",
                json!({"reason": "moved away"}),
            ),
            status(&c[2], at(2025, 1, 25), "converted", none.clone()),
            status(
                &c[2],
                at(2025, 2, 1),
                "status_changed",
                json!({"to": "paused"}),
            ),
            status(
                &c[2],
                at(2025, 10, 1),
                "status_changed",
                json!({"to": "active"}),
            ),
            status(&c[3], at(2025, 2, 14), "converted", none.clone()),
            status(
                &c[3],
                at(2025, 2, 28),
                "churned",
                json!({"reason": "price"}),
            ),
            status(&c[4], at(2025, 2, 3), "converted", none.clone()),
            status(&c[4], at(2025, 6, 1), "churned", none.clone()),
        ],
        &office(),
    )
    .unwrap();
    let report = book
        .retention(&RetentionQuery {
            since: None,
            until: None,
            as_of: at(2025, 8, 10),
            months: Vec::new(),
        })
        .unwrap();
    /// A cohort's month, size, and (months, measured, retained) per mark.
    type Row = (String, u64, Vec<(u32, u64, u64)>);
    let table: Vec<Row> = report
        .cohorts
        .iter()
        .map(|cohort| {
            (
                cohort.month.to_string(),
                cohort.customers,
                cohort
                    .cells
                    .iter()
                    .map(|cell| (cell.months, cell.measured, cell.retained))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        table,
        [
            (
                "2025-01-01".to_owned(),
                3,
                vec![(1, 3, 3), (3, 3, 2), (6, 3, 2), (12, 0, 0)]
            ),
            (
                "2025-02-01".to_owned(),
                2,
                vec![(1, 2, 1), (3, 2, 1), (6, 1, 0), (12, 0, 0)]
            ),
        ],
        "C3 paused still counts; C4's and the +12 marks after as_of are not measured"
    );
    assert_eq!(report.cohorts[0].cells[1].share, Some(2.0 / 3.0));
    assert_eq!(report.cohorts[0].cells[3].share, None);
    assert_eq!(report.churned, 3);
    let reasons: Vec<(&str, u64)> = report
        .churn_reasons
        .iter()
        .map(|r| (r.reason.as_str(), r.customers))
        .collect();
    assert_eq!(
        reasons,
        [("moved away", 1), ("no reason recorded", 1), ("price", 1)]
    );
    assert_eq!(report.note, None);

    // Marks and ranges that make no sense are refused; an empty range says why.
    let bad = book.retention(&RetentionQuery {
        since: None,
        until: None,
        as_of: at(2025, 8, 10),
        months: vec![1, 0],
    });
    assert!(bad.unwrap_err().to_string().contains("months[1]"));
    let inverted = book.retention(&RetentionQuery {
        since: Some(at(2025, 3, 1)),
        until: Some(at(2025, 1, 1)),
        as_of: at(2025, 8, 10),
        months: Vec::new(),
    });
    assert!(inverted.unwrap_err().to_string().contains("until"));
    let empty = book
        .retention(&RetentionQuery {
            since: Some(at(2024, 1, 1)),
            until: Some(at(2024, 6, 1)),
            as_of: at(2025, 8, 10),
            months: Vec::new(),
        })
        .unwrap();
    assert!(empty.cohorts.is_empty());
    assert!(empty.note.unwrap().contains("no customer became active"));

    // A status change through the book counts the same way, with its reason.
    let live = book.customer(c[5].id).unwrap();
    let live = book
        .change_status(
            live.id,
            live.version,
            LifecycleStatus::Active,
            None,
            None,
            &office(),
        )
        .unwrap();
    book.change_status(
        live.id,
        live.version,
        LifecycleStatus::Cancelled,
        Some("switched company".into()),
        None,
        &office(),
    )
    .unwrap();
    let now = book
        .retention(&RetentionQuery {
            since: Some(at(2026, 1, 1)),
            until: None,
            as_of: Utc::now(),
            months: vec![1],
        })
        .unwrap();
    assert_eq!(now.cohorts.len(), 1);
    assert_eq!(now.cohorts[0].customers, 1);
    assert_eq!(now.churn_reasons[0].reason, "switched company");
}

/// Ratings overall, per period, per technician and per stage; detractors.
pub fn satisfaction_rates_feedback_by_period_technician_and_stage(book: &Book) {
    let a = lead(book, "A");
    let b = lead(book, "B");
    let t1 = book
        .add_technician(NewTechnician::new("Tom"), &office())
        .unwrap()
        .id;
    let t2 = book
        .add_technician(NewTechnician::new("Uma"), &office())
        .unwrap()
        .id;
    let visit = |when, technician| {
        let mut visit = Visit::completed(a.id, a.locations[0].id, when);
        visit.technician_id = Some(technician);
        book.record_visit(visit, &office()).unwrap().id
    };
    let v1 = visit(at(2026, 3, 2), t1);
    let v2 = visit(at(2026, 3, 9), t2);
    let v3 = visit(at(2026, 4, 6), t1);
    let rate = |customer: &Customer, when, rating, visit, comment: Option<&str>| {
        let mut feedback = Feedback::new(customer.id, rating);
        feedback.at = when;
        feedback.visit_id = visit;
        feedback.comment = comment.map(str::to_owned);
        book.record_feedback(feedback, &office()).unwrap()
    };
    rate(&a, at(2026, 3, 3), 5, Some(v1), None);
    let f2 = rate(&a, at(2026, 3, 10), 2, Some(v2), Some("Left the gate open"));
    rate(&a, at(2026, 4, 7), 4, Some(v3), None);
    book.record_touchpoints(
        vec![Touchpoint::by_customer(
            b.id,
            at(2026, 4, 15),
            JourneyChannel::Website,
            Direction::Inbound,
            Actor::Customer,
            "estimate_requested",
        )],
        &office(),
    )
    .unwrap();
    let f4 = rate(&b, at(2026, 4, 20), 1, None, None);

    let report = book.satisfaction(&SatisfactionQuery::default()).unwrap();
    let summary = |r: &crate::RatingSummary| (r.responses, r.average, r.share_4_5);
    assert_eq!(summary(&report.overall), (4, 3.0, 0.5));
    let months: Vec<(String, (u64, f64, f64))> = report
        .by_period
        .iter()
        .map(|p| (p.period_start.to_string(), summary(&p.ratings)))
        .collect();
    assert_eq!(
        months,
        [
            ("2026-03-01".to_owned(), (2, 3.5, 0.5)),
            ("2026-04-01".to_owned(), (2, 2.5, 0.5)),
        ]
    );
    let technicians: Vec<_> = report
        .by_technician
        .iter()
        .map(|t| (t.technician_id, summary(&t.ratings)))
        .collect();
    assert_eq!(technicians, [(t1, (2, 4.5, 1.0)), (t2, (1, 2.0, 0.0))]);
    let stages: Vec<_> = report
        .by_stage
        .iter()
        .map(|s| (s.stage, s.ratings.responses, s.ratings.average))
        .collect();
    assert_eq!(
        stages,
        [
            (Some(Stage::Consideration), 1, 1.0),
            (Some(Stage::Retention), 3, 11.0 / 3.0)
        ]
    );
    let detractors: Vec<_> = report
        .detractors
        .iter()
        .map(|d| (d.feedback_id, d.display_name.as_str(), d.rating))
        .collect();
    assert_eq!(detractors, [(f4.id, "B", 1), (f2.id, "A", 2)]);
    assert_eq!(
        report.detractors[1].comment.as_deref(),
        Some("Left the gate open")
    );
}

/// Portal and email activity per customer, its trend, and who is quiet.
pub fn engagement_shows_each_customers_trend_and_who_went_quiet(book: &Book) {
    let make = |name: &str, status| {
        let mut new = NewCustomer::new(CustomerKind::Residential, name);
        new.status = status;
        book.create_customer(new, &office()).unwrap()
    };
    let p = make("P", LifecycleStatus::Active);
    let q = make("Q", LifecycleStatus::Active);
    let r = make("R", LifecycleStatus::Paused);
    make("S", LifecycleStatus::Cancelled);
    let touch = |customer: &Customer, when, channel, action: &str| {
        Touchpoint::by_customer(
            customer.id,
            when,
            channel,
            Direction::Inbound,
            Actor::Customer,
            action,
        )
    };
    let portal = JourneyChannel::Portal;
    let email = JourneyChannel::Email;
    let mut sent = touch(&q, at(2026, 5, 20), email, "email_sent");
    sent.direction = Direction::Outbound;
    sent.actor = Actor::Automation;
    book.record_touchpoints(
        vec![
            touch(&p, at(2026, 4, 10), portal, "portal_login"),
            touch(&p, at(2026, 4, 20), portal, "portal_login"),
            touch(&p, at(2026, 5, 5), portal, "portal_login"),
            touch(&p, at(2026, 5, 6), portal, "statement_viewed"),
            touch(&p, at(2026, 5, 7), portal, "portal_login"),
            touch(&p, at(2026, 5, 10), email, "email_opened"),
            touch(&q, at(2026, 4, 5), portal, "portal_login"),
            touch(&q, at(2026, 4, 6), portal, "portal_login"),
            touch(&q, at(2026, 4, 7), email, "email_opened"),
            sent,
        ],
        &office(),
    )
    .unwrap();
    let query = EngagementQuery {
        as_of: at(2026, 5, 31),
        window_days: Some(30),
        quiet_days: Some(45),
        only_quiet: false,
    };
    let found = book.engagement(&query).unwrap();
    let rows: Vec<_> = found
        .iter()
        .map(|e| {
            (
                e.display_name.as_str(),
                (
                    e.portal_recent,
                    e.portal_before,
                    e.email_recent,
                    e.email_before,
                ),
                e.trend,
                e.quiet,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("P", (3, 2, 1, 0), Trend::Up, false),
            ("Q", (0, 2, 0, 1), Trend::Down, true),
            ("R", (0, 0, 0, 0), Trend::Inactive, true),
        ],
        "S is cancelled; the email sent to Q is not Q's activity"
    );
    assert_eq!(found[0].last_active_at, Some(at(2026, 5, 10)));
    assert_eq!(found[2].last_active_at, None);
    let quiet: Vec<_> = book
        .engagement(&EngagementQuery {
            only_quiet: true,
            ..query.clone()
        })
        .unwrap()
        .into_iter()
        .map(|e| e.customer_id)
        .collect();
    assert_eq!(quiet, [q.id, r.id]);
    let error = book
        .engagement(&EngagementQuery {
            window_days: Some(0),
            ..query
        })
        .unwrap_err();
    assert!(error.to_string().contains("window_days"), "{error}");
}
