//! Conformance cases for the outbox: the messages each rule makes, with
//! their exact words, addresses and send times (across quiet hours and
//! midnight, in the book's time zone); consent, do-not-contact and
//! landlines holding messages back with why; templates checked when saved
//! and split into variants; outcomes and replies recorded atomically.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use rust_decimal::Decimal;

use crate::{
    Actor, Author, Book, Consent, ConsentStatus, Contact, ContactChannel, ContactRole, Customer,
    CustomerKind, CustomerPatch, Direction, DueMessage, Entry, EntryKind, Error, Frequency,
    InboundReply, Invoice, InvoiceLine, Issue, IssueCategory, JourneyChannel, LifecycleStatus,
    Message, MessageTemplate, NewCustomer, NewTechnician, OutboxQuery, OutboxRule, OutboxStatus,
    Payment, PaymentMethod, Preferences, ReplyKind, ServiceLocation, ServicePlan, SkipReason,
    TemplateText, TimeWindow, Touchpoint, TouchpointQuery, Visit, VisitNotice, Weekday,
    assign_variant,
};
use crate::{Address, TechnicianId};

fn office() -> Author {
    Author::office("dana")
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn quiet(start: &str, end: &str) -> TimeWindow {
    TimeWindow {
        start: NaiveTime::parse_from_str(start, "%H:%M").unwrap(),
        end: NaiveTime::parse_from_str(end, "%H:%M").unwrap(),
    }
}

/// A Phoenix book (UTC-7 all year) with the technician Carlos Vega.
fn phoenix(book: &Book) -> TechnicianId {
    book.set_time_zone("America/Phoenix", &office()).unwrap();
    book.add_technician(NewTechnician::new("Carlos Vega"), &office())
        .unwrap()
        .id
}

/// A weekly Tuesday plan from Monday 4 May 2026.
fn tuesdays(tech: TechnicianId) -> ServicePlan {
    ServicePlan {
        frequency: Frequency::Weekly,
        preferred_weekday: Some(Weekday::Tuesday),
        technician_id: Some(tech),
        starts_on: day("2026-05-04"),
        ends_on: None,
        bills_chemicals: false,
    }
}

fn home(street: &str, tech: TechnicianId) -> ServiceLocation {
    let mut location = ServiceLocation::new(Address::new(street, "Phoenix", "AZ", "85004", "US"));
    location.service_plan = Some(tuesdays(tech));
    location.access.notes = Some("side gate sticks".into());
    location
}

/// A customer whose `notified` contact (added after the primary one) asked
/// for notice on `channel`, `lead` minutes before each visit.
fn customer_with_notice(
    book: &Book,
    name: &str,
    notified: Contact,
    channel: ContactChannel,
    lead: u32,
    preferences: Preferences,
    tech: TechnicianId,
) -> Customer {
    let primary = Contact::new(format!("{name} Sr"), ContactRole::Owner)
        .with_phone("602 555 0100", true)
        .primary();
    let notice = VisitNotice::new(channel, notified.id, lead);
    let new = NewCustomer::new(CustomerKind::Residential, name)
        .with_contact(primary)
        .with_contact(notified)
        .with_location(home(&format!("{} Oak Street", name.len() * 100), tech))
        .with_preferences(preferences.with_visit_notice(notice));
    book.create_customer(new, &office()).unwrap()
}

fn keys(messages: &[DueMessage]) -> Vec<String> {
    messages.iter().map(|m| m.key.clone()).collect()
}

/// Notices go to the contact named in the preference (not the first
/// number), on its channel, timed from the visit less the lead time in the
/// book's zone, moved out of quiet hours (before the visit when waiting
/// would pass it, across midnight), in the customer's language; a second
/// run gives the same keys, and once marked sent, nothing new.
pub fn visit_notices_go_to_the_named_contact_out_of_quiet_hours(book: &Book) {
    let tech = phoenix(book);
    let luis = Contact::new("Luis Lopez", ContactRole::Tenant).with_phone("602 555 0102", true);
    let maria = customer_with_notice(
        book,
        "Maria Lopez",
        luis.clone(),
        ContactChannel::Sms,
        12 * 60,
        Preferences::default().with_quiet_hours(quiet("21:00", "08:00")),
        tech,
    );
    // An hour's notice of an 08:00 visit falls at 07:00, inside 21:00-08:00:
    // it goes the evening before, at the last minute before quiet hours.
    let tom = Contact::new("Tom Baker", ContactRole::Owner).with_phone("602 555 0103", true);
    let baker = customer_with_notice(
        book,
        "Tom Baker",
        tom.clone(),
        ContactChannel::Sms,
        60,
        Preferences::default().with_quiet_hours(quiet("21:00", "08:00")),
        tech,
    );
    // Three hours' notice falls at 05:00, inside 22:00-06:00 (past
    // midnight): it waits for 06:00, still before the visit. In Spanish, by
    // email, with a subject.
    let ana = Contact::new("Ana Ruiz", ContactRole::Owner).with_email("ana@example.com");
    let ruiz = customer_with_notice(
        book,
        "Ana Ruiz",
        ana.clone(),
        ContactChannel::Email,
        180,
        Preferences::default()
            .with_quiet_hours(quiet("22:00", "06:00"))
            .with_language("es-MX"),
        tech,
    );
    // Paused customers get no notice.
    let paused = customer_with_notice(
        book,
        "Paula Pause",
        Contact::new("Paula Pause", ContactRole::Owner).with_phone("602 555 0104", true),
        ContactChannel::Sms,
        60,
        Preferences::default(),
        tech,
    );
    book.update_customer(
        paused.id,
        paused.version,
        CustomerPatch {
            status: Some(LifecycleStatus::Paused),
            ..CustomerPatch::default()
        },
        &office(),
    )
    .unwrap();

    // Monday 11 May 05:00 in Phoenix, looking 36 hours ahead.
    let now = at("2026-05-11T12:00:00Z");
    let outbox = book.due_messages(now, 36 * 60).unwrap();
    assert!(outbox.suppressed.is_empty(), "{:?}", outbox.suppressed);
    let place = |c: &Customer| c.locations[0].clone();
    let expected = vec![
        DueMessage {
            key: format!(
                "visit_notice:{}:2026-05-12:{}:sms",
                place(&maria).id,
                luis.id
            ),
            rule: OutboxRule::VisitNotice,
            customer_id: maria.id,
            customer_name: "Maria Lopez".into(),
            contact_id: Some(luis.id),
            recipient_name: "Luis Lopez".into(),
            channel: ContactChannel::Sms,
            address: "+16025550102".into(),
            send_at: at("2026-05-12T03:00:00Z"),
            reason: format!(
                "visit on 2026-05-12 at {}",
                place(&maria).address.one_line()
            ),
            location_id: Some(place(&maria).id),
            visit_date: Some(day("2026-05-12")),
            entry_id: None,
            subject: None,
            body:
                "Hi Luis, Carlos will service your pool on Tuesday, May 12. Reply STOP to opt out."
                    .into(),
            template: "visit_notice".into(),
            variant: "a".into(),
            language: "en".into(),
            legally_required: false,
            internal: false,
        },
        DueMessage {
            key: format!(
                "visit_notice:{}:2026-05-12:{}:sms",
                place(&baker).id,
                tom.id
            ),
            rule: OutboxRule::VisitNotice,
            customer_id: baker.id,
            customer_name: "Tom Baker".into(),
            contact_id: Some(tom.id),
            recipient_name: "Tom Baker".into(),
            channel: ContactChannel::Sms,
            address: "+16025550103".into(),
            send_at: at("2026-05-12T03:59:00Z"),
            reason: format!(
                "visit on 2026-05-12 at {}",
                place(&baker).address.one_line()
            ),
            location_id: Some(place(&baker).id),
            visit_date: Some(day("2026-05-12")),
            entry_id: None,
            subject: None,
            body:
                "Hi Tom, Carlos will service your pool on Tuesday, May 12. Reply STOP to opt out."
                    .into(),
            template: "visit_notice".into(),
            variant: "a".into(),
            language: "en".into(),
            legally_required: false,
            internal: false,
        },
        DueMessage {
            key: format!(
                "visit_notice:{}:2026-05-12:{}:email",
                place(&ruiz).id,
                ana.id
            ),
            rule: OutboxRule::VisitNotice,
            customer_id: ruiz.id,
            customer_name: "Ana Ruiz".into(),
            contact_id: Some(ana.id),
            recipient_name: "Ana Ruiz".into(),
            channel: ContactChannel::Email,
            address: "ana@example.com".into(),
            send_at: at("2026-05-12T13:00:00Z"),
            reason: format!("visit on 2026-05-12 at {}", place(&ruiz).address.one_line()),
            location_id: Some(place(&ruiz).id),
            visit_date: Some(day("2026-05-12")),
            entry_id: None,
            subject: Some("Servicio de piscina el martes 12 de mayo".into()),
            body: "Hola Ana, Carlos atenderá su piscina el martes 12 de mayo. Responda STOP para \
                   no recibir más mensajes."
                .into(),
            template: "visit_notice".into(),
            variant: "a".into(),
            language: "es".into(),
            legally_required: false,
            internal: false,
        },
    ];
    assert_eq!(outbox.due, expected);

    // Asking again gives the same messages under the same keys.
    assert_eq!(book.due_messages(now, 36 * 60).unwrap().due, expected);

    // Marked sent: the message joins the history with its touchpoint, the
    // stop card says when the customer was notified, and it is never due again.
    let sent_at = at("2026-05-12T03:00:05Z");
    let record = book.mark_sent(&expected[0], sent_at, &office()).unwrap();
    assert_eq!(record.status, OutboxStatus::Sent);
    let message_id = record.message_id.unwrap();
    let Entry::Message(message) = book.entry(message_id).unwrap().entry else {
        panic!("not a message")
    };
    assert_eq!(
        message,
        Message {
            id: message_id,
            customer_id: maria.id,
            location_id: Some(place(&maria).id),
            at: sent_at,
            channel: ContactChannel::Sms,
            direction: Direction::Outbound,
            contact_id: Some(luis.id),
            subject: None,
            body: expected[0].body.clone(),
            template: Some("visit_notice".into()),
        }
    );
    let touchpoints = book
        .touchpoints(&TouchpointQuery {
            customer_id: Some(maria.id),
            ..TouchpointQuery::default()
        })
        .unwrap();
    let sent = touchpoints
        .iter()
        .find(|t| t.entry_id == Some(message_id))
        .expect("the message's touchpoint");
    assert_eq!(sent.action, "message_sent");
    assert_eq!(sent.properties["template"], "visit_notice");
    assert_eq!(
        book.stop_card(place(&maria).id)
            .unwrap()
            .customer_notified_at,
        Some(sent_at)
    );
    assert!(matches!(
        book.mark_sent(&expected[0], sent_at, &office()),
        Err(Error::Invalid { ref field, .. }) if field == "message.key"
    ));
    let again = book.due_messages(now, 36 * 60).unwrap();
    assert_eq!(keys(&again.due), keys(&expected[1..]));

    // Switched off, the rule makes nothing.
    let mut settings = book.outbox_settings().unwrap();
    settings.visit_notice.enabled = false;
    book.set_outbox_settings(settings, &office()).unwrap();
    assert!(book.due_messages(now, 36 * 60).unwrap().due.is_empty());
}

/// An opt-out of the channel, a landline for SMS and a do-not-contact
/// customer hold messages back, each reported with why; a legally
/// required rule reaches the do-not-contact customer, flagged.
pub fn consent_do_not_contact_and_landlines_hold_messages_back(book: &Book) {
    let tech = phoenix(book);
    let by_sms = Preferences::default().with_preferred_channel(ContactChannel::Sms);
    let mut maria = Contact::new("Maria Lopez", ContactRole::Owner)
        .with_phone("602 555 0101", true)
        .primary();
    maria.consents.push(Consent {
        channel: ContactChannel::Sms,
        status: ConsentStatus::OptedOut,
        recorded_at: at("2026-05-02T17:30:00Z"),
        method: "reply STOP".into(),
    });
    let bob = Contact::new("Bob Stone", ContactRole::Owner)
        .with_phone("602 555 0199", false)
        .primary();
    let dee = Contact::new("Dee Nott", ContactRole::Owner)
        .with_phone("602 555 0105", true)
        .primary();
    let mut private = by_sms.clone();
    private.do_not_contact = true;
    let mut customers = Vec::new();
    for (name, contact, preferences) in [
        ("Maria Lopez", maria.clone(), by_sms.clone()),
        ("Bob Stone", bob.clone(), by_sms.clone()),
        ("Dee Nott", dee.clone(), private),
    ] {
        let new = NewCustomer::new(CustomerKind::Residential, name)
            .with_contact(contact)
            .with_location(home(&format!("{} Elm Street", name.len()), tech))
            .with_preferences(preferences);
        let customer = book.create_customer(new, &office()).unwrap();
        // Each visit on Tuesday 12 May is skipped: the gate was locked.
        let skipped = Visit::skipped(
            customer.id,
            customer.locations[0].id,
            at("2026-05-12T16:00:00Z"),
            SkipReason::LockedGate,
        );
        book.record_visit(skipped, &Author::technician(tech))
            .unwrap();
        customers.push(customer);
    }
    let now = at("2026-05-12T17:00:00Z");
    let outbox = book.due_messages(now, 60).unwrap();
    assert!(outbox.due.is_empty(), "{:?}", outbox.due);
    let mut why: Vec<(String, Option<crate::ContactId>, String)> = outbox
        .suppressed
        .iter()
        .map(|s| (s.customer_id.to_string(), s.contact_id, s.why.clone()))
        .collect();
    why.sort();
    let mut expected = vec![
        (
            customers[0].id.to_string(),
            Some(maria.id),
            "suppressed: Maria Lopez opted out of SMS on 2026-05-02 by reply STOP".to_owned(),
        ),
        (
            customers[1].id.to_string(),
            Some(bob.id),
            "suppressed: Bob Stone's phone +16025550199 cannot take SMS (a landline)".to_owned(),
        ),
        (
            customers[2].id.to_string(),
            Some(dee.id),
            "suppressed: Dee Nott asked not to be contacted".to_owned(),
        ),
    ];
    expected.sort();
    assert_eq!(why, expected);
    assert!(
        outbox
            .suppressed
            .iter()
            .all(|s| s.rule == OutboxRule::SkippedVisit && s.channel == ContactChannel::Sms)
    );

    // Past-due reminders made legally required reach Dee, flagged.
    let mut settings = book.outbox_settings().unwrap();
    settings.skipped_visit.enabled = false;
    settings.balance_overdue.legally_required = true;
    book.set_outbox_settings(settings, &office()).unwrap();
    let invoice = Invoice::new(
        customers[2].id,
        "2026-0500",
        day("2026-04-01"),
        day("2026-04-30"),
        vec![InvoiceLine::new(
            "April service",
            Decimal::ONE,
            Decimal::new(120, 0),
        )],
    );
    book.add_invoice(invoice.clone(), &office()).unwrap();
    let outbox = book.due_messages(now, 60).unwrap();
    assert!(outbox.suppressed.is_empty(), "{:?}", outbox.suppressed);
    assert_eq!(outbox.due.len(), 1);
    let notice = &outbox.due[0];
    assert_eq!(notice.rule, OutboxRule::BalanceOverdue);
    assert!(notice.legally_required);
    assert_eq!(notice.channel, ContactChannel::Sms);
    assert_eq!(notice.address, "+16025550105");
    assert_eq!(notice.subject, None);
    assert_eq!(
        notice.body,
        "Hi Dee, $120.00 remains on invoice 2026-0500, due Thursday, April 30. Thank you!"
    );
    // Reminders go at 10:00 local: overdue since 3 May, so now.
    assert_eq!(notice.send_at, now);
}

/// After a partial payment, thanks stating what remains and the invoice
/// number; a past-due reminder with what remains; both stop once paid.
pub fn balance_reminders_state_what_remains_and_stop_once_paid(book: &Book) {
    phoenix(book);
    let maria = Contact::new("Maria Lopez", ContactRole::Owner)
        .with_phone("602 555 0101", true)
        .with_email("maria@example.com")
        .primary();
    let customer = book
        .create_customer(
            NewCustomer::new(CustomerKind::Residential, "Maria Lopez").with_contact(maria.clone()),
            &office(),
        )
        .unwrap();
    let invoice = Invoice::new(
        customer.id,
        "2026-0412",
        day("2026-04-16"),
        day("2026-05-01"),
        vec![InvoiceLine::new(
            "April service",
            Decimal::ONE,
            Decimal::new(125, 0),
        )],
    );
    book.add_invoice(invoice.clone(), &office()).unwrap();
    let payment = Payment::new(
        customer.id,
        day("2026-05-05"),
        Decimal::new(80, 0),
        PaymentMethod::Card,
    )
    .applied_to(invoice.id, Decimal::new(80, 0));
    book.record_payment(payment.clone(), &office()).unwrap();

    // Tuesday 5 May, 11:00 in Phoenix.
    let now = at("2026-05-05T18:00:00Z");
    let outbox = book.due_messages(now, 60).unwrap();
    assert!(outbox.suppressed.is_empty());
    type Seen = (OutboxRule, String, Option<String>, String, DateTime<Utc>);
    let got: Vec<Seen> = outbox
        .due
        .iter()
        .map(|m| {
            (
                m.rule,
                m.address.clone(),
                m.subject.clone(),
                m.body.clone(),
                m.send_at,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                OutboxRule::BalanceOverdue,
                "maria@example.com".to_owned(),
                Some("Invoice 2026-0412 is past due".to_owned()),
                "Hi Maria, $45.00 remains on invoice 2026-0412, due Friday, May 1. Thank you!"
                    .to_owned(),
                now,
            ),
            (
                OutboxRule::PartialPayment,
                "maria@example.com".to_owned(),
                Some("Thank you for your payment".to_owned()),
                "Hi Maria, thank you for your payment of $80.00; $45.00 remains on invoice \
                 2026-0412."
                    .to_owned(),
                now,
            ),
        ]
    );
    assert_eq!(
        outbox.due[1].key,
        format!("partial_payment:{}:{}:email", payment.id, maria.id)
    );
    assert_eq!(outbox.due[1].entry_id, Some(payment.id));
    assert_eq!(outbox.due[0].entry_id, Some(invoice.id));

    // Paid in full: no reminder, no thanks for a partial payment.
    book.record_payment(
        Payment::new(
            customer.id,
            day("2026-05-05"),
            Decimal::new(45, 0),
            PaymentMethod::Card,
        )
        .applied_to(invoice.id, Decimal::new(45, 0)),
        &office(),
    )
    .unwrap();
    let outbox = book.due_messages(now, 60).unwrap();
    assert!(outbox.due.is_empty(), "{:?}", outbox.due);
}

/// A skipped visit says what happened and when the next visit is; a
/// resolved issue the customer raised gets a follow-up (one the office
/// raised does not); a lead left unanswered alerts the office.
pub fn skipped_visits_resolved_issues_and_waiting_leads_make_messages(book: &Book) {
    let tech = phoenix(book);
    let luis = Contact::new("Luis Lopez", ContactRole::Tenant).with_phone("602 555 0102", true);
    let maria = customer_with_notice(
        book,
        "Maria Lopez",
        luis.clone(),
        ContactChannel::Sms,
        60,
        Preferences::default(),
        tech,
    );
    let mut settings = book.outbox_settings().unwrap();
    settings.visit_notice.enabled = false;
    settings.office_email = Some("office@bluewater.example".into());
    book.set_outbox_settings(settings, &office()).unwrap();

    // Skipped on Tuesday 12 May, 09:00 in Phoenix.
    let location = maria.locations[0].id;
    let mut skipped = Visit::skipped(
        maria.id,
        location,
        at("2026-05-12T16:00:00Z"),
        SkipReason::LockedGate,
    );
    skipped.technician_id = Some(tech);
    book.record_visit(skipped.clone(), &Author::technician(tech))
        .unwrap();
    let now = at("2026-05-12T17:00:00Z");
    let outbox = book.due_messages(now, 60).unwrap();
    assert_eq!(outbox.due.len(), 1, "{:?}", outbox);
    let notice = &outbox.due[0];
    assert_eq!(
        (notice.rule, notice.address.as_str(), notice.body.as_str()),
        (
            OutboxRule::SkippedVisit,
            "+16025550102",
            "Hi Luis, we could not service your pool on Tuesday, May 12: the gate was locked. \
             Your next visit is Tuesday, May 19."
        )
    );
    assert_eq!(notice.entry_id, Some(skipped.id));
    assert_eq!(notice.send_at, now);

    // A lead who wrote through the website at 09:00 and waited two hours.
    let mut new = NewCustomer::new(CustomerKind::Residential, "Pat Green")
        .with_contact(Contact::new("Pat Green", ContactRole::Owner).with_email("pat@example.com"));
    new.status = LifecycleStatus::Lead;
    let pat = book.create_customer(new, &office()).unwrap();
    let asked = Touchpoint::by_customer(
        pat.id,
        at("2026-05-12T16:00:00Z"),
        JourneyChannel::Website,
        Direction::Inbound,
        Actor::Customer,
        "quote_requested",
    );
    book.record_touchpoints(vec![asked], &office()).unwrap();
    let outbox = book.due_messages(at("2026-05-12T18:00:00Z"), 0).unwrap();
    let alert = outbox
        .due
        .iter()
        .find(|m| m.rule == OutboxRule::LeadFollowup)
        .expect("an alert");
    assert!(alert.internal);
    assert_eq!(alert.contact_id, None);
    assert_eq!(alert.address, "office@bluewater.example");
    assert_eq!(alert.subject.as_deref(), Some("Lead waiting: Pat Green"));
    assert_eq!(
        alert.body,
        "Pat Green has waited 2 h for an answer (first message 2026-05-12 09:00 by website)."
    );
    // The office alert is recorded in the outbox only, not as a message to Pat.
    let record = book
        .mark_sent(alert, at("2026-05-12T18:00:10Z"), &office())
        .unwrap();
    assert_eq!(record.message_id, None);
    assert_eq!(
        book.outbox_records(&OutboxQuery {
            customer_id: Some(pat.id),
            ..OutboxQuery::default()
        })
        .unwrap(),
        vec![record]
    );
    // A lead answered by staff alerts no one.
    let mut new = NewCustomer::new(CustomerKind::Residential, "Sam Quick");
    new.status = LifecycleStatus::Lead;
    let sam = book.create_customer(new, &office()).unwrap();
    book.record_touchpoints(
        vec![
            Touchpoint::by_customer(
                sam.id,
                at("2026-05-12T16:00:00Z"),
                JourneyChannel::Phone,
                Direction::Inbound,
                Actor::Customer,
                "call",
            ),
            Touchpoint::by_customer(
                sam.id,
                at("2026-05-12T16:20:00Z"),
                JourneyChannel::Phone,
                Direction::Outbound,
                Actor::Staff,
                "call",
            ),
        ],
        &office(),
    )
    .unwrap();
    let outbox = book.due_messages(at("2026-05-12T18:00:00Z"), 0).unwrap();
    assert!(
        outbox
            .due
            .iter()
            .all(|m| m.rule != OutboxRule::LeadFollowup),
        "{:?}",
        outbox.due
    );

    // Issues: resolution time is the book's clock, so this part runs now.
    let now = Utc::now();
    let mut told = Message::new(
        maria.id,
        ContactChannel::Sms,
        Direction::Inbound,
        "the pool is green",
    );
    told.at = now - Duration::hours(3);
    told.contact_id = Some(luis.id);
    book.record_message(told, &office()).unwrap();
    let mut issue = Issue::new(maria.id, IssueCategory::WaterQuality, "green water");
    issue.at = now - Duration::hours(2);
    let issue = book.open_issue(issue, &office()).unwrap();
    book.resolve_issue(issue.id, "shocked and brushed the pool", &office())
        .unwrap();
    // The office's own issue on another account gets no follow-up.
    let other = book
        .create_customer(
            NewCustomer::new(CustomerKind::Residential, "Oscar Office").with_contact(
                Contact::new("Oscar Office", ContactRole::Owner).with_email("o@example.com"),
            ),
            &office(),
        )
        .unwrap();
    let mut theirs = Issue::new(other.id, IssueCategory::Equipment, "pump noise");
    theirs.at = now - Duration::hours(2);
    let theirs = book.open_issue(theirs, &office()).unwrap();
    book.resolve_issue(theirs.id, "replaced the bearing", &office())
        .unwrap();
    let outbox = book.due_messages(now, 60).unwrap();
    let followups: Vec<&DueMessage> = outbox
        .due
        .iter()
        .filter(|m| m.rule == OutboxRule::IssueFollowup)
        .collect();
    assert_eq!(followups.len(), 1, "{:?}", outbox.due);
    assert_eq!(followups[0].entry_id, Some(issue.id));
    assert_eq!(
        followups[0].body,
        "Hi Luis, about green water: shocked and brushed the pool. Reply if anything is still \
         not right."
    );
}

/// Templates are checked when saved (unknown fields, secrets, missing
/// translations), used in the customer's language, and split customers
/// between variants the way the experiment report assigns them.
pub fn templates_are_checked_when_saved_and_split_into_variants(book: &Book) {
    let tech = phoenix(book);
    let before = book.message_templates().unwrap();
    assert_eq!(before.len(), OutboxRule::ALL.len());
    let text = |language: &str, body: &str| TemplateText {
        language: language.into(),
        subject: None,
        body: body.into(),
    };
    let secret = MessageTemplate {
        rule: OutboxRule::VisitNotice,
        variant: "b".into(),
        translations: vec![
            text("en", "Code {{gate_code}}"),
            text("es", "Código {{gate_code}}"),
        ],
    };
    let error = book
        .save_message_template(secret, &office())
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "invalid translations[0].body: uses the unknown field {{gate_code}}; a visit_notice \
         template may use first_name, customer_name, visit_date, technician, gate_note, location"
    );
    let english_only = MessageTemplate {
        rule: OutboxRule::VisitNotice,
        variant: "b".into(),
        translations: vec![text("en", "See you {{visit_date}}")],
    };
    assert_eq!(
        book.save_message_template(english_only, &office())
            .unwrap_err()
            .to_string(),
        "invalid translations: missing es (the book's languages are en, es)"
    );
    assert_eq!(book.message_templates().unwrap(), before, "nothing saved");
    let variant_b = MessageTemplate {
        rule: OutboxRule::VisitNotice,
        variant: "b".into(),
        translations: vec![
            text(
                "en",
                "{{first_name}}: pool day {{visit_date}}. Gate: {{gate_note}}",
            ),
            text("es-MX", "{{first_name}}: visita {{visit_date}}"),
        ],
    };
    let saved = book.save_message_template(variant_b, &office()).unwrap();
    assert_eq!(saved.translations[1].language, "es");
    // Variant a, saved as the built-in wording, keeps the experiment's control.
    let mut variant_a = crate::domain::outbox::builtin_template(OutboxRule::VisitNotice);
    variant_a.variant = "a".into();
    book.save_message_template(variant_a, &office()).unwrap();
    // A language no template has cannot become one of the book's.
    let mut settings = book.outbox_settings().unwrap();
    settings.languages.push("fr".into());
    assert_eq!(
        book.set_outbox_settings(settings, &office())
            .unwrap_err()
            .to_string(),
        "invalid languages: the visit_notice template (variant a) has no fr translation; save \
         one first"
    );

    let mut customers = Vec::new();
    for n in 0..20 {
        let contact = Contact::new(format!("Person{n} Test"), ContactRole::Owner)
            .with_phone(format!("602 555 {:04}", 1000 + n), true);
        customers.push(customer_with_notice(
            book,
            &format!("Customer {n}"),
            contact,
            ContactChannel::Sms,
            60,
            Preferences::default(),
            tech,
        ));
    }
    let outbox = book
        .due_messages(at("2026-05-11T12:00:00Z"), 36 * 60)
        .unwrap();
    assert_eq!(outbox.due.len(), 20);
    let variants = vec!["a".to_owned(), "b".to_owned()];
    let mut seen = std::collections::BTreeSet::new();
    for message in &outbox.due {
        let expected = assign_variant(
            "visit_notice",
            variants.clone(),
            &message.customer_id.to_string(),
        )
        .unwrap();
        assert_eq!(message.variant, expected);
        seen.insert(message.variant.clone());
        if message.variant == "b" {
            let first = message.recipient_name.split(' ').next().unwrap();
            assert_eq!(
                message.body,
                format!("{first}: pool day Tuesday, May 12. Gate: side gate sticks")
            );
        }
    }
    assert_eq!(seen.len(), 2, "both variants are used");
    book.remove_message_template(OutboxRule::VisitNotice, "b", &office())
        .unwrap();
    let outbox = book
        .due_messages(at("2026-05-11T12:00:00Z"), 36 * 60)
        .unwrap();
    assert!(outbox.due.iter().all(|m| m.variant == "a"));
}

/// Delivered and failed are recorded on the sent message (a failure is
/// listed for the data-quality report); a STOP reply records the message,
/// its touchpoint, the reply on the outbox record and the opt-out in one
/// transaction, and later messages on that channel are held back; reply
/// rates count per template and variant.
pub fn outcomes_and_replies_are_recorded_with_their_opt_outs(book: &Book) {
    let tech = phoenix(book);
    let luis = Contact::new("Luis Lopez", ContactRole::Tenant)
        .with_phone("602 555 0102", true)
        .with_email("luis@example.com");
    let maria = customer_with_notice(
        book,
        "Maria Lopez",
        luis.clone(),
        ContactChannel::Sms,
        60,
        Preferences::default(),
        tech,
    );
    let now = at("2026-05-11T12:00:00Z");
    let mut due = book.due_messages(now, 36 * 60).unwrap().due;
    due.extend(
        book.due_messages(now + Duration::days(7), 36 * 60)
            .unwrap()
            .due,
    );
    assert_eq!(
        due.iter()
            .map(|m| m.visit_date.unwrap())
            .collect::<Vec<_>>(),
        [day("2026-05-12"), day("2026-05-19")]
    );
    assert!(matches!(
        book.due_messages(now, 7 * 24 * 60 + 1),
        Err(Error::Invalid { ref field, .. }) if field == "horizon_minutes"
    ));
    let first = book
        .mark_sent(&due[0], at("2026-05-12T14:00:00Z"), &office())
        .unwrap();
    let delivered = book
        .mark_delivered(&first.key, at("2026-05-12T14:00:03Z"), &office())
        .unwrap();
    assert_eq!(delivered.status, OutboxStatus::Delivered);
    assert_eq!(delivered.delivered_at, Some(at("2026-05-12T14:00:03Z")));
    let second = book
        .mark_sent(&due[1], at("2026-05-19T14:00:00Z"), &office())
        .unwrap();
    book.mark_failed(
        &second.key,
        "number not in service",
        at("2026-05-19T14:00:09Z"),
        &office(),
    )
    .unwrap();
    let failed = book
        .outbox_records(&OutboxQuery {
            status: Some(OutboxStatus::Failed),
            ..OutboxQuery::default()
        })
        .unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].address, "+16025550102");
    assert_eq!(failed[0].failure.as_deref(), Some("number not in service"));
    assert!(matches!(
        book.mark_delivered(&second.key, at("2026-05-19T15:00:00Z"), &office()),
        Err(Error::Invalid { .. })
    ));
    assert!(matches!(
        book.mark_delivered("visit_notice:nope", now, &office()),
        Err(Error::NotFound { .. })
    ));
    // Each outcome is in the change log.
    let log = book
        .change_log(&crate::ChangeLogQuery {
            entity: Some(crate::EntityKind::OutboxMessage),
            entity_id: Some(first.key.clone()),
            ..crate::ChangeLogQuery::default()
        })
        .unwrap();
    assert_eq!(log.len(), 2);

    // HELP is recorded, nothing else changes.
    let help = book
        .record_reply(
            InboundReply {
                customer_id: maria.id,
                contact_id: luis.id,
                channel: ContactChannel::Sms,
                body: "help".into(),
                at: at("2026-05-12T14:05:00Z"),
                in_reply_to: None,
            },
            &office(),
        )
        .unwrap();
    assert_eq!((help.kind, help.opted_out), (ReplyKind::Help, false));

    // STOP in answer to the first notice.
    let version = book.customer(maria.id).unwrap().version;
    let stop = book
        .record_reply(
            InboundReply {
                customer_id: maria.id,
                contact_id: luis.id,
                channel: ContactChannel::Sms,
                body: "STOP".into(),
                at: at("2026-05-12T14:10:00Z"),
                in_reply_to: Some(first.key.clone()),
            },
            &office(),
        )
        .unwrap();
    assert_eq!((stop.kind, stop.opted_out), (ReplyKind::Stop, true));
    let after = book.customer(maria.id).unwrap();
    assert_eq!(after.version, version + 1);
    assert_eq!(
        after.contact(luis.id).unwrap().consent(ContactChannel::Sms),
        Some(&Consent {
            channel: ContactChannel::Sms,
            status: ConsentStatus::OptedOut,
            recorded_at: at("2026-05-12T14:10:00Z"),
            method: "reply STOP".into(),
        })
    );
    let Entry::Message(inbound) = book.entry(stop.message.id).unwrap().entry else {
        panic!("not a message")
    };
    assert_eq!(
        (inbound.direction, inbound.body.as_str(), inbound.contact_id),
        (Direction::Inbound, "STOP", Some(luis.id))
    );
    let replied = book
        .outbox_records(&OutboxQuery {
            keys: vec![first.key.clone()],
            ..OutboxQuery::default()
        })
        .unwrap();
    assert_eq!(replied[0].reply_kind, Some(ReplyKind::Stop));
    assert!(
        book.touchpoints(&TouchpointQuery {
            customer_id: Some(maria.id),
            ..TouchpointQuery::default()
        })
        .unwrap()
        .iter()
        .any(|t| t.entry_id == Some(stop.message.id))
    );
    // The notice by SMS to Luis ends with it: nothing more is due.
    assert_eq!(after.preferences.notify_before_visit, None);
    let later = book
        .due_messages(at("2026-05-25T12:00:00Z"), 36 * 60)
        .unwrap();
    assert!(later.due.is_empty() && later.suppressed.is_empty());
    // A reply naming another contact's message is refused, the book unchanged.
    let history = book
        .timeline(&crate::TimelineQuery {
            customer_id: Some(maria.id),
            kinds: vec![EntryKind::Message],
            ..crate::TimelineQuery::default()
        })
        .unwrap()
        .items
        .len();
    let primary = after.primary_contact().unwrap().id;
    assert!(matches!(
        book.record_reply(
            InboundReply {
                customer_id: maria.id,
                contact_id: primary,
                channel: ContactChannel::Sms,
                body: "STOP".into(),
                at: at("2026-05-12T15:00:00Z"),
                in_reply_to: Some(first.key.clone()),
            },
            &office(),
        ),
        Err(Error::Invalid { ref field, .. }) if field == "in_reply_to"
    ));
    assert_eq!(book.customer(maria.id).unwrap().version, version + 1);
    assert_eq!(
        book.timeline(&crate::TimelineQuery {
            customer_id: Some(maria.id),
            kinds: vec![EntryKind::Message],
            ..crate::TimelineQuery::default()
        })
        .unwrap()
        .items
        .len(),
        history
    );
    let rates = book.reply_rates(None, None).unwrap();
    assert_eq!(rates.len(), 1);
    assert_eq!(
        (
            rates[0].template.as_str(),
            rates[0].variant.as_str(),
            rates[0].sent,
            rates[0].replied,
            rates[0].stopped
        ),
        ("visit_notice", "a", 2, 1, 1)
    );
    assert!((rates[0].rate - 0.5).abs() < 1e-9);
}
