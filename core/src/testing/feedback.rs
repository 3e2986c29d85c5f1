//! Conformance cases for feedback that closes the loop: an editable list
//! of topics, feedback linked to the issue it led to, "what we did" once
//! the issue is resolved, and the report by topic.

use chrono::{Duration, Utc};

use crate::{
    Author, Book, CustomerKind, Feedback, FeedbackSource, Issue, IssueCategory, NewCustomer, Note,
    TouchpointQuery,
};

fn office() -> Author {
    Author::office("dana")
}

/// Topics are the book's own list; feedback links to its issue; the
/// report says how much led to a fix and how fast.
pub fn feedback_closes_the_loop_by_topic(book: &Book) {
    assert_eq!(
        book.feedback_topics().unwrap(),
        [
            "timing",
            "water_quality",
            "billing",
            "communication",
            "technician",
            "portal"
        ]
    );
    let a = book
        .create_customer(
            NewCustomer::new(CustomerKind::Residential, "Ana"),
            &office(),
        )
        .unwrap();
    let b = book
        .create_customer(
            NewCustomer::new(CustomerKind::Residential, "Ben"),
            &office(),
        )
        .unwrap();
    let now = Utc::now();
    let give = |rating, topics: &[&str], ago: Duration, issue| {
        let mut feedback = Feedback::new(a.id, rating);
        feedback.at = now - ago;
        feedback.topics = topics.iter().map(|t| (*t).to_owned()).collect();
        feedback.source = Some(FeedbackSource::Survey);
        feedback.issue_id = issue;
        book.record_feedback(feedback, &office())
    };
    let error = give(3, &["chemicals"], Duration::days(1), None).unwrap_err();
    assert!(error.to_string().contains("topics[0]"), "{error}");
    let mut topics = book.feedback_topics().unwrap();
    topics.push("Chemicals".into());
    assert_eq!(
        book.set_feedback_topics(topics, &office())
            .unwrap()
            .last()
            .unwrap(),
        "chemicals"
    );
    assert!(
        book.set_feedback_topics(vec!["timing".into(), "Timing".into()], &office())
            .is_err()
    );
    assert!(book.set_feedback_topics(Vec::new(), &office()).is_err());

    let open = |category, summary: &str, ago: Duration| {
        let mut issue = Issue::new(a.id, category, summary);
        issue.at = now - ago;
        book.open_issue(issue, &office()).unwrap()
    };
    let f1 = give(2, &["Water Quality"], Duration::days(3), None).unwrap();
    assert_eq!(f1.topics, ["water_quality"]);
    let cloudy = open(
        IssueCategory::WaterQuality,
        "Cloudy water",
        Duration::days(2),
    );
    let dispute = open(IssueCategory::Billing, "Charged twice", Duration::days(6));
    let f2 = give(
        1,
        &["billing", "communication"],
        Duration::days(5),
        Some(dispute.id),
    )
    .unwrap();
    give(5, &["technician"], Duration::days(1), None).unwrap();
    let f4 = give(4, &[], Duration::hours(2), None).unwrap();
    let linked = book
        .link_feedback_issue(f1.id, cloudy.id, &office())
        .unwrap();
    assert_eq!(linked.issue_id, Some(cloudy.id));
    book.resolve_issue(
        cloudy.id,
        "Balanced the water and cleaned the filter",
        &office(),
    )
    .unwrap();
    // Only an issue of the same customer.
    let note = book
        .add_note(Note::new(a.id, "call back"), &office())
        .unwrap();
    assert!(book.link_feedback_issue(f4.id, note.id, &office()).is_err());
    let other = book
        .open_issue(
            Issue::new(b.id, IssueCategory::Other, "Gate squeaks"),
            &office(),
        )
        .unwrap();
    let error = book
        .link_feedback_issue(f4.id, other.id, &office())
        .unwrap_err();
    assert!(error.to_string().contains("issue_id"), "{error}");

    let follow_ups = book.feedback_follow_ups(a.id).unwrap();
    let ratings: Vec<u8> = follow_ups.iter().map(|f| f.feedback.rating).collect();
    assert_eq!(ratings, [4, 5, 2, 1], "newest first");
    let fixed = &follow_ups[2];
    assert_eq!(
        fixed.what_we_did.as_deref(),
        Some("Balanced the water and cleaned the filter")
    );
    assert!((fixed.days_to_fix.unwrap() - 3.0).abs() < 0.01);
    assert_eq!(follow_ups[3].feedback.id, f2.id);
    assert_eq!(follow_ups[3].what_we_did, None, "the dispute is still open");

    let report = book.feedback_report(None, None).unwrap();
    let rows: Vec<(&str, u64, f64, u64, u64, f64)> = report
        .iter()
        .map(|t| {
            (
                t.topic.as_str(),
                t.feedback,
                t.average_rating,
                t.led_to_issue,
                t.fixed,
                t.share_fixed,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("(none)", 1, 4.0, 0, 0, 0.0),
            ("billing", 1, 1.0, 1, 0, 0.0),
            ("communication", 1, 1.0, 1, 0, 0.0),
            ("technician", 1, 5.0, 0, 0, 0.0),
            ("water_quality", 1, 2.0, 1, 1, 1.0),
        ]
    );
    let water = report.iter().find(|t| t.topic == "water_quality").unwrap();
    assert!((water.median_days_to_fix.unwrap() - 3.0).abs() < 0.01);

    // The feedback's touchpoint carries its topics and source.
    let touchpoints = book
        .touchpoints(&TouchpointQuery {
            customer_id: Some(a.id),
            ..TouchpointQuery::default()
        })
        .unwrap();
    let given = touchpoints
        .iter()
        .find(|t| t.entry_id == Some(f2.id))
        .unwrap();
    assert_eq!(
        given.properties["topics"],
        serde_json::json!(["billing", "communication"])
    );
    assert_eq!(given.properties["source"], serde_json::json!("survey"));
}
