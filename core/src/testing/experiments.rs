//! Conformance cases for experiments and before/after funnel comparisons,
//! on a hand-built book: 40 people saw reminder A in January (12 paid
//! within a week), 40 saw reminder B in February (24 did), one saw a
//! variant the experiment does not name.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;

use crate::{
    Actor, Assignment, Author, Book, CustomerId, CustomerKind, DateRange, Direction,
    ExperimentDefinition, FunnelDefinition, FunnelStep, JourneyChannel, NewCustomer, Touchpoint,
    assign_variant,
};

fn office() -> Author {
    Author::office("dana")
}

fn at(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, 0, 0).unwrap()
}

fn touch(customer: CustomerId, when: DateTime<Utc>, action: &str) -> Touchpoint {
    Touchpoint::by_customer(
        customer,
        when,
        JourneyChannel::Email,
        Direction::Inbound,
        Actor::Customer,
        action,
    )
}

fn reminder(customer: CustomerId, when: DateTime<Utc>, variant: &str) -> Touchpoint {
    let mut sent = touch(customer, when, "reminder_sent");
    sent.direction = Direction::Outbound;
    sent.actor = Actor::Automation;
    sent.properties
        .insert("experiment".into(), json!("reminder wording"));
    sent.properties.insert("variant".into(), json!(variant));
    sent
}

/// 81 customers; A's 40 reminded on 5 January (12 pay on the 8th, one paid
/// before its reminder), B's 40 on 5 February (24 pay on the 9th, one eight
/// days later), one reminded with variant C (pays the next day).
fn reminded(book: &Book) -> Vec<CustomerId> {
    let news = (0..81)
        .map(|n| NewCustomer::new(CustomerKind::Residential, format!("Customer {n:02}")))
        .collect();
    let ids: Vec<CustomerId> = book
        .create_customers(news, &office())
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut touchpoints = Vec::new();
    for (n, &id) in ids.iter().enumerate() {
        match n {
            0..40 => {
                touchpoints.push(reminder(id, at(1, 5, 10), "A"));
                if n < 12 {
                    touchpoints.push(touch(id, at(1, 8, 10), "payment_made"));
                } else if n == 12 {
                    touchpoints.push(touch(id, at(1, 1, 10), "payment_made"));
                }
            }
            40..80 => {
                touchpoints.push(reminder(id, at(2, 5, 10), "B"));
                if n < 64 {
                    touchpoints.push(touch(id, at(2, 9, 10), "payment_made"));
                } else if n == 64 {
                    touchpoints.push(touch(id, at(2, 13, 11), "payment_made"));
                }
            }
            _ => {
                touchpoints.push(reminder(id, at(2, 6, 10), "C"));
                touchpoints.push(touch(id, at(2, 7, 10), "payment_made"));
            }
        }
    }
    book.record_touchpoints(touchpoints, &office()).unwrap();
    ids
}

fn wording() -> ExperimentDefinition {
    ExperimentDefinition {
        name: "reminder wording".into(),
        variants: vec!["A".into(), "B".into()],
        assignment: Assignment::Recorded,
        exposure_action: "reminder_sent".into(),
        exposure_properties: Default::default(),
        goal_action: "Payment Made".into(),
        window_hours: 7 * 24,
        since: None,
        until: None,
    }
}

/// Per-variant conversion within the window, the difference with its 95 %
/// interval, the verdict; hashed assignment; bad definitions refused.
pub fn an_experiment_compares_variants_with_a_confidence_interval(book: &Book) {
    let ids = reminded(book);
    let report = book.experiment(&wording()).unwrap();
    let variants: Vec<(&str, u64, u64)> = report
        .variants
        .iter()
        .map(|v| (v.variant.as_str(), v.people, v.converted))
        .collect();
    assert_eq!(variants, [("A", 40, 12), ("B", 40, 24)]);
    assert_eq!(report.unassigned, 1, "variant C is not in the experiment");
    let b = &report.comparisons[0];
    assert!((b.difference - 0.30).abs() < 1e-12);
    assert!((b.ci_low - 0.092_114).abs() < 1e-5, "{}", b.ci_low);
    assert!((b.ci_high - 0.507_886).abs() < 1e-5, "{}", b.ci_high);
    assert!(b.enough_data);
    assert_eq!(
        b.verdict,
        "B converts 30.0 points better than A, 95 % CI 9.2–50.8; enough data"
    );

    // Only January: B has nobody yet.
    let january = book
        .experiment(&ExperimentDefinition {
            until: Some(at(2, 1, 0)),
            ..wording()
        })
        .unwrap();
    assert_eq!(january.variants[1].people, 0);
    assert!(
        january.comparisons[0]
            .verdict
            .starts_with("not enough data yet")
    );

    // Hashed: everyone reminded is in the variant the hash gives them.
    let hashed = book
        .experiment(&ExperimentDefinition {
            name: "send time".into(),
            variants: vec!["morning".into(), "evening".into()],
            assignment: Assignment::Hashed,
            ..wording()
        })
        .unwrap();
    let variants = vec!["morning".to_owned(), "evening".to_owned()];
    let mornings = ids
        .iter()
        .filter(|id| {
            assign_variant("send time", variants.clone(), &id.to_string()).unwrap() == "morning"
        })
        .count() as u64;
    assert_eq!(
        (hashed.variants[0].people, hashed.variants[1].people),
        (mornings, 81 - mornings)
    );
    assert_eq!(hashed.unassigned, 0);

    // Bad definitions: each refused, naming the field.
    let refused = |definition: ExperimentDefinition, field: &str| {
        let error = book.experiment(&definition).unwrap_err().to_string();
        assert!(error.contains(field), "{field}: {error}");
    };
    refused(
        ExperimentDefinition {
            variants: vec!["A".into()],
            ..wording()
        },
        "variants",
    );
    refused(
        ExperimentDefinition {
            window_hours: 0,
            ..wording()
        },
        "window_hours",
    );
    refused(
        ExperimentDefinition {
            goal_action: "payment_mde".into(),
            ..wording()
        },
        "goal_action",
    );
    refused(
        ExperimentDefinition {
            since: Some(at(3, 1, 0)),
            until: Some(at(1, 1, 0)),
            ..wording()
        },
        "until",
    );
    assert!(assign_variant("x", vec!["only".into()], "p").is_err());
}

/// The same funnel in January and February, compared step by step.
pub fn a_funnel_is_compared_before_and_after_a_change(book: &Book) {
    reminded(book);
    let funnel = FunnelDefinition::new(
        vec![
            FunnelStep::new("reminder_sent"),
            FunnelStep::new("payment_made"),
        ],
        7 * 24,
    );
    let january = DateRange {
        since: at(1, 1, 0),
        until: at(2, 1, 0),
    };
    let february = DateRange {
        since: at(2, 1, 0),
        until: at(3, 1, 0),
    };
    let compared = book.compare_funnel(&funnel, january, february).unwrap();
    assert_eq!(
        (compared.before.people(), compared.before.completed()),
        (40, 12)
    );
    assert_eq!(
        (compared.after.people(), compared.after.completed()),
        (41, 25),
        "C's customer counts in the funnel"
    );
    let step = &compared.steps[0];
    assert_eq!(step.name, "reminder_sent → payment_made");
    assert!((step.difference - 0.309_756).abs() < 1e-6);
    assert!((step.ci_low - 0.103_692).abs() < 1e-5, "{}", step.ci_low);
    assert!((step.ci_high - 0.515_820).abs() < 1e-5, "{}", step.ci_high);
    assert_eq!(compared.steps[1].name, "overall");
    assert!((compared.steps[1].difference - step.difference).abs() < 1e-12);
    let error = book
        .compare_funnel(
            &funnel,
            DateRange {
                since: at(2, 1, 0),
                until: at(1, 1, 0),
            },
            february,
        )
        .unwrap_err();
    assert!(error.to_string().contains("before.until"), "{error}");
}
