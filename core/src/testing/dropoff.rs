//! Conformance cases for where people drop off: funnel steps that match
//! touchpoint properties, what people did next after a step, and what
//! customers did last before they stopped — on five hand-built journeys.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;

use crate::{
    Actor, Author, Book, CustomerId, CustomerKind, Direction, FunnelDefinition, FunnelStep,
    JourneyChannel, NewCustomer, NextActionsQuery, StoppedQuery, Touchpoint,
};

fn office() -> Author {
    Author::office("dana")
}

fn at(month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, 10, 0, 0).unwrap()
}

fn own(
    customer: CustomerId,
    when: DateTime<Utc>,
    channel: JourneyChannel,
    action: &str,
) -> Touchpoint {
    Touchpoint::by_customer(
        customer,
        when,
        channel,
        Direction::Inbound,
        Actor::Customer,
        action,
    )
}

fn opened(customer: CustomerId, when: DateTime<Utc>, template: &str) -> Touchpoint {
    let mut touchpoint = own(customer, when, JourneyChannel::Email, "email_opened");
    touchpoint
        .properties
        .insert("template".into(), json!(template));
    touchpoint
}

/// P1–P5 open an email on 1 March (P4's is a reminder, the rest a
/// statement); P1 views the statement and pays, P2 pays, P3 only logs in
/// seven weeks later, P4 pays, P5 views the statement.
fn five(book: &Book) -> Vec<CustomerId> {
    let news = (1..=5)
        .map(|n| NewCustomer::new(CustomerKind::Residential, format!("P{n}")))
        .collect();
    let p: Vec<CustomerId> = book
        .create_customers(news, &office())
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    let portal = JourneyChannel::Portal;
    let mut sent = Touchpoint::by_customer(
        p[0],
        at(3, 1),
        JourneyChannel::Email,
        Direction::Outbound,
        Actor::Automation,
        "email_sent",
    );
    sent.at = at(3, 1) + chrono::Duration::minutes(30);
    book.record_touchpoints(
        vec![
            opened(p[0], at(3, 1), "statement"),
            sent,
            own(p[0], at(3, 2), portal, "statement_viewed"),
            own(p[0], at(3, 3), portal, "payment_made"),
            opened(p[1], at(3, 1), "statement"),
            own(p[1], at(3, 4), portal, "payment_made"),
            opened(p[2], at(3, 1), "statement"),
            own(p[2], at(4, 20), portal, "portal_login"),
            opened(p[3], at(3, 1), "reminder"),
            own(p[3], at(3, 2), portal, "payment_made"),
            opened(p[4], at(3, 1), "statement"),
            own(p[4], at(3, 5), portal, "statement_viewed"),
        ],
        &office(),
    )
    .unwrap();
    p
}

/// A funnel step can require a property (a message template); a step no
/// touchpoint has is explained, not a silent zero.
pub fn funnel_steps_match_touchpoint_properties(book: &Book) {
    five(book);
    let statement = FunnelStep::new("email_opened").with_property("template", "statement");
    let funnel = |first: FunnelStep| {
        book.funnel(&FunnelDefinition::new(
            vec![first, FunnelStep::new("payment_made")],
            72,
        ))
        .unwrap()
    };
    let by_template = funnel(statement);
    assert_eq!(
        (by_template.all.people(), by_template.all.completed()),
        (4, 2),
        "P1 in 48 hours, P2 at the 72-hour edge; P4's was a reminder"
    );
    let any = funnel(FunnelStep::new("email_opened"));
    assert_eq!((any.all.people(), any.all.completed()), (5, 3));
    assert_eq!(any.note, None);
    let inverted = book.funnel(&FunnelDefinition {
        since: Some(at(3, 2)),
        until: Some(at(3, 1)),
        ..FunnelDefinition::new(
            vec![
                FunnelStep::new("email_opened"),
                FunnelStep::new("payment_made"),
            ],
            72,
        )
    });
    assert!(inverted.unwrap_err().to_string().contains("until"));
    let misspelt = funnel(FunnelStep::new("email_opend"));
    assert_eq!(misspelt.all.people(), 0);
    assert!(
        misspelt.note.as_deref().unwrap().contains("'email_opend'"),
        "{:?}",
        misspelt.note
    );
}

/// What people did next after opening the statement email, with shares,
/// and how many did nothing within a week.
pub fn what_happened_next_after_a_step_has_shares_and_nothing(book: &Book) {
    five(book);
    let report = book
        .next_actions(&NextActionsQuery {
            step: FunnelStep::new("Email Opened").with_property("template", "statement"),
            within_days: 7,
            since: None,
            until: None,
        })
        .unwrap();
    assert_eq!(report.people, 4);
    let next: Vec<(&str, JourneyChannel, u64, f64)> = report
        .next
        .iter()
        .map(|n| (n.action.as_str(), n.channel, n.people, n.share))
        .collect();
    assert_eq!(
        next,
        [
            ("statement_viewed", JourneyChannel::Portal, 2, 0.5),
            ("payment_made", JourneyChannel::Portal, 1, 0.25),
        ],
        "the email sent to P1 is not something P1 did"
    );
    assert_eq!((report.nothing, report.nothing_share), (1, 0.25));
    let refused = |query: NextActionsQuery, field: &str| {
        let error = book.next_actions(&query).unwrap_err().to_string();
        assert!(error.contains(field), "{field}: {error}");
    };
    refused(
        NextActionsQuery {
            step: FunnelStep::new("email_opened"),
            within_days: 0,
            since: None,
            until: None,
        },
        "within_days",
    );
    refused(
        NextActionsQuery {
            step: FunnelStep::new("statment_viewed"),
            within_days: 7,
            since: None,
            until: None,
        },
        "step.action",
    );
}

/// What customers who stopped did last.
pub fn the_last_touchpoint_before_people_stopped_is_counted(book: &Book) {
    five(book);
    let report = book
        .last_before_stopping(&StoppedQuery {
            as_of: at(4, 30),
            quiet_days: 30,
        })
        .unwrap();
    assert_eq!(report.stopped, 4, "P3 logged in on 20 April");
    let last: Vec<(&str, u64, f64)> = report
        .last
        .iter()
        .map(|l| (l.action.as_str(), l.people, l.share))
        .collect();
    assert_eq!(
        last,
        [("payment_made", 3, 0.75), ("statement_viewed", 1, 0.25)]
    );
    assert!(
        book.last_before_stopping(&StoppedQuery {
            as_of: at(4, 30),
            quiet_days: 0
        })
        .is_err()
    );
}
