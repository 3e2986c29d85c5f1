//! Operations as journey touchpoints: the one mapping from what the book
//! records — a history entry of any kind, a customer created, a change of
//! lifecycle status — to the touchpoints that stand for it in the journey.
//!
//! Every touchpoint made here carries the source key
//! ([`OPERATIONS_SOURCE`], `<record id>:<action>`), so writing it twice
//! stores it once (an issue's `issue_opened` is offered again when it is
//! resolved, and a back-fill may meet touchpoints already written), and
//! entry touchpoints carry the entry's id. A new kind of entry gets its
//! touchpoints by adding an arm to [`entry_touchpoints`].

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::CustomerId;
use crate::model::{
    Actor, ContactChannel, Direction, Entry, FeedbackSource, IssueStatus, JourneyChannel,
    LifecycleStatus, PaymentMethod, Touchpoint, VisitOutcome, actions,
};

/// The source system of the touchpoints the book's own operations write.
/// Touchpoints recorded by callers may not use it.
pub const OPERATIONS_SOURCE: &str = "poolbook";

/// How far apart an imported event and a recorded operation may be and
/// still describe the same thing (a payment recorded at noon of its
/// accounting day, its portal event at the minute it was paid).
pub const MATCH_WINDOW_HOURS: i64 = 24;

/// Actions an imported event may share with a recorded operation; such an
/// event is matched to the operation instead of stored again.
pub const MATCHED_ACTIONS: &[&str] = &[
    actions::PAYMENT_MADE,
    actions::INVOICE_SENT,
    actions::STATEMENT_SENT,
    actions::VISIT_COMPLETED,
    actions::VISIT_SKIPPED,
    actions::ISSUE_OPENED,
    actions::ISSUE_RESOLVED,
    actions::FEEDBACK_GIVEN,
];

/// What the mapping needs to know beyond the entry itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct EntryContext {
    /// The customer is a lead (an inbound message from them is a lead for
    /// response times).
    pub customer_is_lead: bool,
    /// An automation recorded the entry (an outbound message is then the
    /// automation's, not staff's).
    pub automated: bool,
}

/// The journey channel a message channel maps to.
pub fn message_channel(channel: ContactChannel) -> JourneyChannel {
    match channel {
        ContactChannel::Phone => JourneyChannel::Phone,
        ContactChannel::Sms => JourneyChannel::Sms,
        ContactChannel::Email => JourneyChannel::Email,
        ContactChannel::Mail => JourneyChannel::Mail,
        ContactChannel::Portal => JourneyChannel::Portal,
    }
}

/// Where a payment made with `method` was made, when the payment does not say.
pub fn payment_channel(method: PaymentMethod) -> JourneyChannel {
    match method {
        PaymentMethod::Card | PaymentMethod::BankTransfer => JourneyChannel::Portal,
        PaymentMethod::Check => JourneyChannel::Mail,
        PaymentMethod::Cash => JourneyChannel::InPerson,
        PaymentMethod::Other => JourneyChannel::Other,
    }
}

/// The journey channel feedback from `source` arrived on.
pub fn feedback_channel(source: Option<FeedbackSource>) -> JourneyChannel {
    match source {
        Some(FeedbackSource::Survey) => JourneyChannel::Email,
        Some(FeedbackSource::ReviewSite) => JourneyChannel::Social,
        Some(FeedbackSource::SupportMessage) => JourneyChannel::Phone,
        Some(FeedbackSource::InPerson) => JourneyChannel::InPerson,
        Some(FeedbackSource::Other) | None => JourneyChannel::Other,
    }
}

/// A touchpoint of an operation, keyed by `record` and `action`.
#[allow(clippy::too_many_arguments)]
fn operation(
    customer_id: CustomerId,
    record: &str,
    at: DateTime<Utc>,
    channel: JourneyChannel,
    direction: Direction,
    actor: Actor,
    action: &str,
    properties: Value,
) -> Touchpoint {
    let mut touchpoint =
        Touchpoint::by_customer(customer_id, at, channel, direction, actor, action);
    touchpoint.source_system = Some(OPERATIONS_SOURCE.to_owned());
    touchpoint.source_event_id = Some(format!("{record}:{action}"));
    if let Value::Object(map) = properties {
        touchpoint
            .properties
            .extend(map.into_iter().filter(|(_, value)| !value.is_null()));
    }
    touchpoint
}

/// The touchpoints an entry, as it now stands, stands for: one per
/// operation it records (an issue resolved stands for `issue_opened` and
/// `issue_resolved`). A note stands for none.
pub fn entry_touchpoints(entry: &Entry, context: EntryContext) -> Vec<Touchpoint> {
    let id = entry.id();
    let key = id.to_string();
    let customer = entry.customer_id();
    let staff = if context.automated {
        Actor::Automation
    } else {
        Actor::Staff
    };
    let mut out = match entry {
        Entry::Payment(payment) => {
            let mut touchpoint = operation(
                customer,
                &key,
                payment.at,
                payment
                    .channel
                    .unwrap_or_else(|| payment_channel(payment.method)),
                Direction::Inbound,
                Actor::Customer,
                actions::PAYMENT_MADE,
                json!({"method": payment.method.as_str()}),
            );
            touchpoint.value = Some(payment.amount);
            vec![touchpoint]
        }
        Entry::Invoice(invoice) => {
            let mut touchpoint = operation(
                customer,
                &key,
                invoice.at,
                JourneyChannel::Email,
                Direction::Outbound,
                Actor::Automation,
                actions::INVOICE_SENT,
                json!({"number": invoice.number, "due_on": invoice.due_on.to_string()}),
            );
            touchpoint.value = Some(invoice.total());
            vec![touchpoint]
        }
        Entry::Credit(_) | Entry::Note(_) => Vec::new(),
        Entry::Message(message) => {
            let (action, actor) = match message.direction {
                Direction::Inbound if context.customer_is_lead || message.contact_id.is_none() => {
                    (actions::MESSAGE, Actor::Customer)
                }
                Direction::Inbound => (actions::MESSAGE_RECEIVED, Actor::Customer),
                Direction::Outbound => (actions::MESSAGE_SENT, staff),
            };
            vec![operation(
                customer,
                &key,
                message.at,
                message_channel(message.channel),
                message.direction,
                actor,
                action,
                json!({"subject": message.subject, "template": message.template}),
            )]
        }
        Entry::Visit(visit) => {
            let action = match visit.outcome {
                VisitOutcome::Completed => actions::VISIT_COMPLETED,
                VisitOutcome::Skipped => actions::VISIT_SKIPPED,
            };
            vec![operation(
                customer,
                &key,
                visit.at,
                JourneyChannel::FieldVisit,
                Direction::Outbound,
                Actor::Staff,
                action,
                json!({
                    "skip_reason": visit.skip_reason.map(|r| r.as_str()),
                    "technician_id": visit.technician_id.map(|t| t.to_string()),
                    "location_id": visit.location_id.to_string(),
                }),
            )]
        }
        Entry::Issue(issue) => {
            let mut out = vec![operation(
                customer,
                &key,
                issue.at,
                JourneyChannel::Other,
                Direction::Inbound,
                Actor::Customer,
                actions::ISSUE_OPENED,
                json!({"category": issue.category.as_str()}),
            )];
            if let (IssueStatus::Resolved, Some(resolved_at)) = (issue.status, issue.resolved_at) {
                out.push(operation(
                    customer,
                    &key,
                    resolved_at,
                    JourneyChannel::Other,
                    Direction::Outbound,
                    staff,
                    actions::ISSUE_RESOLVED,
                    json!({
                        "category": issue.category.as_str(),
                        "hours_open": (resolved_at - issue.at).num_minutes() as f64 / 60.0,
                    }),
                ));
            }
            out
        }
        Entry::Feedback(feedback) => vec![operation(
            customer,
            &key,
            feedback.at,
            feedback_channel(feedback.source),
            Direction::Inbound,
            Actor::Customer,
            actions::FEEDBACK_GIVEN,
            json!({
                "rating": feedback.rating,
                "source": feedback.source.map(|s| s.as_str()),
                "topics": (!feedback.topics.is_empty()).then_some(&feedback.topics),
                "visit_id": feedback.visit_id.map(|v| v.to_string()),
            }),
        )],
    };
    for touchpoint in &mut out {
        touchpoint.entry_id = Some(id);
    }
    out
}

/// The touchpoint of a customer's record being created.
pub fn created_touchpoint(
    customer_id: CustomerId,
    at: DateTime<Utc>,
    status: LifecycleStatus,
    kind: &str,
) -> Touchpoint {
    operation(
        customer_id,
        &customer_id.to_string(),
        at,
        JourneyChannel::Other,
        Direction::Inbound,
        Actor::Staff,
        actions::CUSTOMER_CREATED,
        json!({"status": status.as_str(), "kind": kind}),
    )
}

/// The action a change of lifecycle status is: `converted` (lead to
/// active), `churned` (active or paused to cancelled), else `status_changed`.
pub fn status_action(from: LifecycleStatus, to: LifecycleStatus) -> &'static str {
    use LifecycleStatus::*;
    match (from, to) {
        (Lead, Active) => actions::CONVERTED,
        (Active | Paused, Cancelled) => actions::CHURNED,
        _ => actions::STATUS_CHANGED,
    }
}

/// The touchpoint of a change of lifecycle status; `change` names the
/// change uniquely (the customer's new version), `reason` is why (for a
/// cancellation: the churn reason).
pub fn status_touchpoint(
    customer_id: CustomerId,
    change: &str,
    at: DateTime<Utc>,
    from: LifecycleStatus,
    to: LifecycleStatus,
    reason: Option<&str>,
) -> Touchpoint {
    operation(
        customer_id,
        &format!("{customer_id}:{change}"),
        at,
        JourneyChannel::Other,
        Direction::Inbound,
        Actor::Staff,
        status_action(from, to),
        json!({"from": from.as_str(), "to": to.as_str(), "reason": reason}),
    )
}

/// Whether `touchpoint` was written by an operation of the book.
pub fn is_operation(touchpoint: &Touchpoint) -> bool {
    touchpoint.entry_id.is_some() || touchpoint.source_system.as_deref() == Some(OPERATIONS_SOURCE)
}

/// Whether an incoming `event` describes the same thing as the recorded
/// operation touchpoint `recorded`: the same customer and action, at most
/// [`MATCH_WINDOW_HOURS`] apart, and the same value when both have one.
pub fn describes_same(event: &Touchpoint, recorded: &Touchpoint) -> bool {
    event.customer_id.is_some()
        && event.customer_id == recorded.customer_id
        && event.action == recorded.action
        && (event.at - recorded.at).num_hours().abs() <= MATCH_WINDOW_HOURS
        && match (event.value, recorded.value) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Feedback, Issue, IssueCategory, Message, Payment};
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    #[test]
    fn each_kind_of_entry_maps_to_its_touchpoints() {
        let customer = CustomerId::new();
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let payment = Payment::new(customer, day, Decimal::new(9250, 2), PaymentMethod::Check);
        let [paid] = entry_touchpoints(&Entry::Payment(payment.clone()), EntryContext::default())
            .try_into()
            .unwrap();
        assert_eq!(paid.action, "payment_made");
        assert_eq!(paid.channel, JourneyChannel::Mail);
        assert_eq!(paid.value, Some(Decimal::new(9250, 2)));
        assert_eq!(paid.properties["method"], json!("check"));
        assert_eq!(paid.entry_id, Some(payment.id));
        assert_eq!(
            paid.source_event_id.as_deref(),
            Some(format!("{}:payment_made", payment.id).as_str())
        );
        let portal = Payment {
            channel: Some(JourneyChannel::Portal),
            ..payment
        };
        assert_eq!(
            entry_touchpoints(&Entry::Payment(portal), EntryContext::default())[0].channel,
            JourneyChannel::Portal
        );

        let inbound = Message::new(customer, ContactChannel::Sms, Direction::Inbound, "hi");
        let lead = EntryContext {
            customer_is_lead: true,
            automated: false,
        };
        let known = Message {
            contact_id: Some(crate::ContactId::new()),
            ..inbound.clone()
        };
        let as_lead = &entry_touchpoints(&Entry::Message(inbound), lead)[0];
        assert_eq!(
            (as_lead.action.as_str(), as_lead.channel),
            ("message", JourneyChannel::Sms)
        );
        let from_customer = &entry_touchpoints(&Entry::Message(known), EntryContext::default())[0];
        assert_eq!(from_customer.action, "message_received");

        let mut issue = Issue::new(customer, IssueCategory::Equipment, "Pump is loud");
        assert_eq!(
            entry_touchpoints(&Entry::Issue(issue.clone()), lead).len(),
            1
        );
        issue.status = IssueStatus::Resolved;
        issue.resolved_at = Some(issue.at + chrono::Duration::hours(30));
        let both = entry_touchpoints(&Entry::Issue(issue), lead);
        let names: Vec<&str> = both.iter().map(|t| t.action.as_str()).collect();
        assert_eq!(names, ["issue_opened", "issue_resolved"]);
        assert_eq!(both[1].properties["hours_open"], json!(30.0));

        let mut feedback = Feedback::new(customer, 2);
        feedback.source = Some(FeedbackSource::ReviewSite);
        let given = &entry_touchpoints(&Entry::Feedback(feedback), lead)[0];
        assert_eq!(given.channel, JourneyChannel::Social);
        assert_eq!(given.properties["rating"], json!(2));
        assert!(!given.properties.contains_key("topics"));
    }

    #[test]
    fn status_changes_are_conversions_churn_or_plain_changes() {
        use LifecycleStatus::*;
        assert_eq!(status_action(Lead, Active), "converted");
        assert_eq!(status_action(Active, Cancelled), "churned");
        assert_eq!(status_action(Paused, Cancelled), "churned");
        assert_eq!(status_action(Lead, Cancelled), "status_changed");
        assert_eq!(status_action(Active, Paused), "status_changed");
    }
}
