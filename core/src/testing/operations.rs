//! Conformance cases for operations as touchpoints: recording a payment,
//! invoice, message, visit, issue or feedback, creating a customer and
//! changing its status each write their touchpoint in the same transaction,
//! once, linked to the entry; the timeline shows each event once; an
//! imported event describing a recorded operation is matched, not doubled;
//! archiving an entry takes its touchpoints out of the journey.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;
use serde_json::json;

use crate::{
    Actor, Author, Book, ContactChannel, CustomerKind, Direction, Entry, EventMapping, Feedback,
    FeedbackSource, FunnelDefinition, FunnelStep, Invoice, InvoiceLine, Issue, IssueCategory,
    JourneyChannel, LifecycleStatus, Message, NewCustomer, Payment, PaymentMethod,
    ResponseTimeQuery, ServiceLocation, SkipReason, Stage, TimelineItem, TimelineQuery, Touchpoint,
    TouchpointQuery, Visit,
};

fn office() -> Author {
    Author::office("dana")
}

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
}

fn all_of(book: &Book, customer: crate::CustomerId) -> Vec<Touchpoint> {
    book.touchpoints(&TouchpointQuery {
        customer_id: Some(customer),
        ..TouchpointQuery::default()
    })
    .unwrap()
}

/// Every operation writes its touchpoint once, linked to its entry, with the
/// channel, value and properties a report needs; the timeline shows each
/// event once.
pub fn operations_write_their_touchpoints_once_linked_to_their_entries(book: &Book) {
    let mut new = NewCustomer::new(CustomerKind::Residential, "Maria Lopez").with_location(
        ServiceLocation::new(crate::Address::new(
            "12 Palm Way",
            "Tampa",
            "FL",
            "33602",
            "US",
        )),
    );
    new.status = LifecycleStatus::Lead;
    let customer = book.create_customer(new, &office()).unwrap();
    let location = customer.locations[0].id;
    // A lead writes in: a lead for response times; staff answer 30 minutes later.
    let mut question = Message::new(
        customer.id,
        ContactChannel::Sms,
        Direction::Inbound,
        "Price?",
    );
    question.at = at(1, 9);
    let mut answer = Message::new(
        customer.id,
        ContactChannel::Sms,
        Direction::Outbound,
        "$185 a month",
    );
    answer.at = at(1, 9) + Duration::minutes(30);
    book.record_entries(
        vec![Entry::Message(question), Entry::Message(answer)],
        &office(),
    )
    .unwrap();
    let customer = book
        .change_status(
            customer.id,
            customer.version,
            LifecycleStatus::Active,
            None,
            None,
            &office(),
        )
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let invoice = book
        .add_invoice(
            Invoice::new(
                customer.id,
                "1001",
                day,
                day + Duration::days(15),
                vec![InvoiceLine::new(
                    "service",
                    Decimal::ONE,
                    Decimal::new(18500, 2),
                )],
            ),
            &office(),
        )
        .unwrap();
    let card = book
        .record_payment(
            Payment::new(customer.id, day, Decimal::new(9250, 2), PaymentMethod::Card)
                .applied_to(invoice.id, Decimal::new(9250, 2)),
            &office(),
        )
        .unwrap();
    let cash = book
        .record_payment(
            Payment {
                channel: Some(JourneyChannel::InPerson),
                ..Payment::new(
                    customer.id,
                    day,
                    Decimal::new(9250, 2),
                    PaymentMethod::Check,
                )
            },
            &office(),
        )
        .unwrap();
    let mut visit = Visit::completed(customer.id, location, at(3, 15));
    visit.readings.ph = Some(7.5);
    let visit = book.record_visit(visit, &office()).unwrap();
    book.record_visit(
        Visit::skipped(customer.id, location, at(10, 15), SkipReason::DogOut),
        &office(),
    )
    .unwrap();
    let mut issue = Issue::new(customer.id, IssueCategory::Equipment, "Pump is loud");
    issue.at = at(11, 9);
    let issue = book.open_issue(issue, &office()).unwrap();
    book.resolve_issue(issue.id, "Replaced the bearing", &office())
        .unwrap();
    let mut feedback = Feedback::new(customer.id, 5);
    feedback.at = at(12, 9);
    feedback.source = Some(FeedbackSource::Survey);
    feedback.visit_id = Some(visit.id);
    book.record_feedback(feedback, &office()).unwrap();
    let customer = book.customer(customer.id).unwrap();
    book.change_status(
        customer.id,
        customer.version,
        LifecycleStatus::Cancelled,
        Some("  moved   away ".into()),
        None,
        &office(),
    )
    .unwrap();

    let journey = all_of(book, customer.id);
    let mut actions: Vec<&str> = journey.iter().map(|t| t.action.as_str()).collect();
    actions.sort_unstable();
    assert_eq!(
        actions,
        [
            "churned",
            "converted",
            "customer_created",
            "feedback_given",
            "invoice_sent",
            "issue_opened",
            "issue_resolved",
            "message",
            "message_sent",
            "payment_made",
            "payment_made",
            "visit_completed",
            "visit_skipped",
        ],
        "each operation once"
    );
    let find = |action: &str| journey.iter().find(|t| t.action == action).unwrap();
    let paid: Vec<&Touchpoint> = journey
        .iter()
        .filter(|t| t.action == "payment_made")
        .collect();
    let by_card = paid.iter().find(|t| t.entry_id == Some(card.id)).unwrap();
    assert_eq!(
        (by_card.channel, by_card.value, by_card.stage),
        (
            JourneyChannel::Portal,
            Some(Decimal::new(9250, 2)),
            Some(Stage::Purchase)
        )
    );
    assert_eq!(by_card.properties["method"], json!("card"));
    assert_eq!(
        (by_card.direction, by_card.actor),
        (Direction::Inbound, Actor::Customer)
    );
    let in_person = paid.iter().find(|t| t.entry_id == Some(cash.id)).unwrap();
    assert_eq!(in_person.channel, JourneyChannel::InPerson);
    let sent = find("invoice_sent");
    assert_eq!(
        (sent.entry_id, sent.value),
        (Some(invoice.id), Some(Decimal::new(18500, 2)))
    );
    assert_eq!(find("message").channel, JourneyChannel::Sms);
    assert_eq!(find("message_sent").actor, Actor::Staff);
    assert_eq!(
        find("visit_skipped").properties["skip_reason"],
        json!("dog_out")
    );
    assert_eq!(find("visit_completed").entry_id, Some(visit.id));
    assert_eq!(find("issue_opened").entry_id, Some(issue.id));
    assert_eq!(find("issue_resolved").entry_id, Some(issue.id));
    assert_eq!(find("feedback_given").properties["rating"], json!(5));
    assert_eq!(find("feedback_given").channel, JourneyChannel::Email);
    assert_eq!(find("converted").properties["from"], json!("lead"));
    assert_eq!(find("churned").properties["reason"], json!("moved away"));
    assert_eq!(find("customer_created").properties["status"], json!("lead"));

    // The lead's message was answered in 30 minutes.
    let response = book
        .lead_response_times(&ResponseTimeQuery::default())
        .unwrap();
    assert_eq!((response.leads, response.answered), (1, 1));
    assert_eq!(response.median_seconds, Some(1800.0));

    // The timeline: every entry once, none of their touchpoints again.
    let page = book
        .timeline(&TimelineQuery {
            customer_id: Some(customer.id),
            limit: Some(100),
            ..TimelineQuery::default()
        })
        .unwrap();
    let entries = page
        .items
        .iter()
        .filter(|item| matches!(item, TimelineItem::Entry { .. }))
        .count();
    assert_eq!(
        (page.items.len(), entries),
        (9, 9),
        "2 messages, invoice, 2 payments, 2 visits, issue, feedback: each once"
    );
}

/// An imported event that describes an operation already recorded (a
/// Segment `Order Completed` for a payment in the ledger) is matched to it,
/// not stored again; one that differs is stored.
pub fn an_imported_event_for_a_recorded_payment_is_matched_not_doubled(book: &Book) {
    let customer = book
        .create_customer(
            NewCustomer::new(CustomerKind::Residential, "Sam Lee"),
            &office(),
        )
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    book.record_payment(
        Payment::new(
            customer.id,
            day,
            Decimal::new(12000, 2),
            PaymentMethod::Card,
        ),
        &office(),
    )
    .unwrap();
    let events = format!(
        "{{\"type\":\"track\",\"event\":\"Order Completed\",\"messageId\":\"m1\",\"userId\":\"{id}\",\
         \"timestamp\":\"2026-03-02T15:40:00Z\",\"properties\":{{\"revenue\":120.0}}}}\n\
         {{\"type\":\"track\",\"event\":\"Order Completed\",\"messageId\":\"m2\",\"userId\":\"{id}\",\
         \"timestamp\":\"2026-03-02T16:00:00Z\",\"properties\":{{\"revenue\":35.0}}}}\n",
        id = customer.id
    );
    let report = book
        .import_segment_events(events.as_bytes(), &EventMapping::default(), &office())
        .unwrap();
    assert_eq!(
        (report.added, report.skipped, report.matched),
        (1, 0, 1),
        "the 120.00 payment is matched, the 35.00 one is new"
    );
    // The same payment recorded as a touchpoint by hand, a day later: the
    // recorded operation was matched once already, so this one is new.
    let mut again = Touchpoint::by_customer(
        customer.id,
        at(2, 18),
        JourneyChannel::Portal,
        Direction::Inbound,
        Actor::Customer,
        "payment_made",
    );
    again.value = Some(Decimal::new(12000, 2));
    let report = book.record_touchpoints(vec![again], &office()).unwrap();
    assert_eq!((report.added, report.matched), (0, 1));
    let paid = all_of(book, customer.id)
        .into_iter()
        .filter(|t| t.action == "payment_made")
        .count();
    assert_eq!(paid, 2, "the recorded payment and the 35.00 event");

    // The book's own source and entry links are not for callers.
    let mut forged = Touchpoint::by_customer(
        customer.id,
        at(3, 9),
        JourneyChannel::Portal,
        Direction::Inbound,
        Actor::Customer,
        "payment_made",
    );
    forged.source_system = Some("PoolBook".into());
    forged.source_event_id = Some("x".into());
    let error = book
        .record_touchpoints(vec![forged.clone()], &office())
        .unwrap_err();
    assert!(
        error.to_string().contains("touchpoints[0].source_system"),
        "{error}"
    );
    forged.source_system = None;
    forged.source_event_id = None;
    forged.entry_id = Some(crate::EntryId::new());
    let error = book
        .record_touchpoints(vec![forged], &office())
        .unwrap_err();
    assert!(
        error.to_string().contains("touchpoints[0].entry_id"),
        "{error}"
    );
}

/// An entry archived as recorded in error takes its touchpoints out of the
/// journey (reads and funnels); restoring it brings them back.
pub fn archiving_an_entry_takes_its_touchpoints_out_of_the_journey(book: &Book) {
    let customer = book
        .create_customer(
            NewCustomer::new(CustomerKind::Residential, "Ana Ruiz"),
            &office(),
        )
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let payment = book
        .record_payment(
            Payment::new(customer.id, day, Decimal::new(5000, 2), PaymentMethod::Card),
            &office(),
        )
        .unwrap();
    let count = |book: &Book| {
        all_of(book, customer.id)
            .iter()
            .filter(|t| t.action == "payment_made")
            .count()
    };
    assert_eq!(count(book), 1);
    book.archive_entry(payment.id, &office()).unwrap();
    assert_eq!(count(book), 0);
    let first_step = FunnelDefinition::new(
        vec![
            FunnelStep::new("payment_made"),
            FunnelStep::new("invoice_sent"),
        ],
        24,
    );
    assert_eq!(book.funnel(&first_step).unwrap().all.people(), 0);
    book.restore_entry(payment.id, &office()).unwrap();
    assert_eq!(count(book), 1);
    assert_eq!(book.funnel(&first_step).unwrap().all.people(), 1);
}
