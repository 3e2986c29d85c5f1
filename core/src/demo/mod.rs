//! A deterministic demo company: the same seed gives the same customers,
//! pools, plans, visits, readings, invoices, payments, messages and issues
//! (record timestamps such as `created_at` are the time of generation).
//! Used by the tour example and by the bindings' examples.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::domain::schedule::plan_due_on;
use crate::model::{
    AccessDetails, AccessWindow, Actor, Address, BodyOfWater, ChemicalDose, Contact,
    ContactChannel, ContactRole, Credit, CreditKind, CustomerKind, Direction, DoseUnit, Feedback,
    Frequency, Invoice, InvoiceLine, Issue, IssueCategory, JourneyChannel, LifecycleStatus,
    Message, NewCustomer, NewTechnician, Note, Payment, PaymentMethod, Pet, PetTemperament,
    Preferences, Sanitizer, ServiceLocation, ServicePlan, SkipReason, Surface, Touchpoint, Visit,
    VisitNotice, WaterKind, Weekday, actions,
};
use crate::model::{MeasurementMethod, Readings};
use crate::{
    Author, BodyOfWaterId, Book, ContactId, CustomerId, EntryId, LocationId, Result, Secret,
    TechnicianId,
};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DemoOptions {
    /// The seed: the same seed gives the same company.
    pub seed: u64,
    /// How many customers.
    pub customers: u32,
    /// How many technicians.
    pub technicians: u32,
    /// The last day of history.
    pub through: NaiveDate,
    /// How many weeks of history before `through`.
    pub weeks: u32,
}

impl Default for DemoOptions {
    /// About 200 customers, 4 technicians, a year of weekly service through 20 November 2026.
    fn default() -> Self {
        DemoOptions {
            seed: 2026,
            customers: 200,
            technicians: 4,
            through: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default(),
            weeks: 52,
        }
    }
}

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DemoSummary {
    /// The technicians, in the order they were added.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub technicians: Vec<TechnicianId>,
    /// The customers, in the order they were added.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub customers: Vec<CustomerId>,
    /// Visits recorded (completed and skipped).
    pub visits: u64,
    /// Invoices issued.
    pub invoices: u64,
    /// Payments received.
    pub payments: u64,
    /// Messages, issues, notes, feedback and credits.
    pub other_entries: u64,
    /// Journey touchpoints (website visits, estimate requests and replies,
    /// invoice emails and reminders, portal logins, payments).
    pub touchpoints: u64,
}

/// SplitMix64: a small, fast, well-mixed generator; enough for demo data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A whole number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// A number in `[low, high)`.
    fn range(&mut self, low: f64, high: f64) -> f64 {
        low + (self.next() >> 11) as f64 / (1u64 << 53) as f64 * (high - low)
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.range(0.0, 1.0) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A time-ordered UUIDv7 for `at`, its random part from this generator.
    fn uuid(&mut self, at: DateTime<Utc>) -> Uuid {
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&self.next().to_le_bytes());
        random[8..].copy_from_slice(&self.next().to_le_bytes()[..2]);
        uuid::Builder::from_unix_timestamp_millis(at.timestamp_millis() as u64, &random).into_uuid()
    }
}

const FIRST: &[&str] = &[
    "Maria",
    "James",
    "Linda",
    "Robert",
    "Patricia",
    "Michael",
    "Jennifer",
    "David",
    "Elizabeth",
    "William",
    "Susan",
    "Carlos",
    "Aisha",
    "Wei",
    "Priya",
    "Olga",
    "Kenji",
    "Fatima",
    "Diego",
    "Grace",
];
const LAST: &[&str] = &[
    "Lopez", "Smith", "Johnson", "Nguyen", "Garcia", "Brown", "Patel", "Kim", "Martinez", "Davis",
    "Wilson", "Anderson", "Thomas", "Moore", "Jackson", "Rivera", "Chen", "Okafor", "Novak",
    "Silva",
];
const STREETS: &[&str] = &[
    "Oak", "Maple", "Cedar", "Pine", "Elm", "Sunset", "Lakeview", "Willow", "Birch", "Magnolia",
    "Palm", "Highland", "Meadow", "Ridge", "Harbor",
];
const SUFFIXES: &[&str] = &[
    "Street",
    "Avenue",
    "Drive",
    "Lane",
    "Court",
    "Road",
    "Boulevard",
    "Way",
];
const CITIES: &[(&str, &str)] = &[
    ("Springfield", "62704"),
    ("Chatham", "62629"),
    ("Rochester", "62563"),
    ("Sherman", "62684"),
];
const TECHNICIANS: &[&str] = &[
    "Ana Reyes",
    "Ben Ortiz",
    "Chloe Park",
    "Dev Malik",
    "Eli Turner",
    "Fay Morgan",
];
const WEEKDAYS: &[Weekday] = &[
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
];

/// Fills `book` with a demo company. Use an empty book: generating twice
/// into one book fails on the invoice numbers.
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn populate_demo(book: &Book, options: &DemoOptions) -> Result<DemoSummary> {
    let mut rng = Rng(options.seed);
    let author = Author::import(format!("demo seed {}", options.seed));
    let start = options.through - Duration::weeks(i64::from(options.weeks));
    let noon =
        |day: NaiveDate| Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap_or_default());
    let mut summary = DemoSummary::default();

    for n in 0..options.technicians as usize {
        let mut new = NewTechnician::new(TECHNICIANS[n % TECHNICIANS.len()]);
        new.id = TechnicianId::from(rng.uuid(noon(start) - Duration::days(30)));
        new.phone = Some(format!("(217) 555-01{:02}", n));
        summary
            .technicians
            .push(book.add_technician(new, &author)?.id);
    }

    let mut invoice_number = 1000;
    for n in 0..options.customers {
        // Half the customers were there before the history starts; the rest
        // join during it (their journeys lead to their first payments).
        let span = 365 + i64::from(options.weeks) * 7 - 30;
        let joined =
            noon(start) - Duration::days(365) + Duration::days(rng.below(span as u64) as i64);
        let customer = populate_customer(book, &mut rng, &author, &summary.technicians, joined, n)?;
        let location = &customer.locations[0];
        let plan = location.service_plan.clone();
        let rate = customer.billing.rate.unwrap_or(Decimal::new(3500, 2));
        let habit = rng.below(20); // 0–13 pays on time, 14–16 partial, 17–18 late, 19 never
        let mut readings_state = PoolState::new(&mut rng, location.bodies_of_water[0].sanitizer);
        let mut month_visits: Vec<NaiveDate> = Vec::new();
        let mut open_invoices: Vec<(EntryId, NaiveDate, Decimal)> = Vec::new();
        let mut invoice_totals: std::collections::HashMap<EntryId, Decimal> = Default::default();
        let mut journey = Journey::default();
        let visitor = format!("web-{n:05}");
        acquisition(&mut rng, &mut journey, &visitor, joined);

        let mut day = start;
        while day <= options.through {
            let due = customer.status == LifecycleStatus::Active
                && plan.as_ref().is_some_and(|plan| plan_due_on(plan, day));
            if due {
                let at = noon(day) + Duration::minutes(rng.below(360) as i64 - 180);
                let visit = demo_visit(
                    &mut rng,
                    &mut readings_state,
                    customer.id,
                    location.id,
                    location.bodies_of_water[0].id,
                    plan.as_ref().and_then(|p| p.technician_id),
                    at,
                );
                let completed = visit.skip_reason.is_none();
                let visit = book.record_visit(visit, &author)?;
                summary.visits += 1;
                if completed {
                    month_visits.push(day);
                    if rng.chance(0.03) {
                        let mut feedback =
                            Feedback::new(customer.id, [3, 4, 5, 5, 5][rng.below(5) as usize]);
                        feedback.id = EntryId::from(rng.uuid(at));
                        feedback.at = at + Duration::hours(5);
                        feedback.visit_id = Some(visit.id);
                        feedback.comment = Some(
                            rng.pick(&[
                                "Water looks great",
                                "Thanks!",
                                "Please close the gate",
                                "Crystal clear",
                            ])
                            .to_string(),
                        );
                        book.record_feedback(feedback, &author)?;
                        summary.other_entries += 1;
                    }
                } else if rng.chance(0.5) {
                    let mut message = Message::new(
                        customer.id,
                        ContactChannel::Sms,
                        Direction::Outbound,
                        "Sorry we missed you today; we'll be back next visit.",
                    );
                    message.id = EntryId::from(rng.uuid(at));
                    message.at = at + Duration::minutes(10);
                    message.contact_id = customer.contacts.first().map(|c| c.id);
                    book.record_message(message, &author)?;
                    summary.other_entries += 1;
                }
                if rng.chance(0.01) {
                    let mut issue = Issue::new(
                        customer.id,
                        *rng.pick(&[
                            IssueCategory::Equipment,
                            IssueCategory::WaterQuality,
                            IssueCategory::Complaint,
                        ]),
                        *rng.pick(&[
                            "Pump is loud",
                            "Cloudy water",
                            "Leaves left in the pool",
                            "Heater will not start",
                        ]),
                    );
                    issue.id = EntryId::from(rng.uuid(at));
                    issue.at = at;
                    issue.location_id = Some(location.id);
                    let issue = book.open_issue(issue, &author)?;
                    summary.other_entries += 1;
                    if day + Duration::days(21) < options.through && rng.chance(0.8) {
                        book.resolve_issue(issue.id, "Fixed on the next visit", &author)?;
                    }
                }
            }
            let next = day + Duration::days(1);
            if next.month() != day.month() && !month_visits.is_empty() {
                invoice_number += 1;
                let lines = vec![InvoiceLine::new(
                    format!(
                        "Pool service, {} ({} visits)",
                        day.format("%B %Y"),
                        month_visits.len()
                    ),
                    Decimal::from(month_visits.len()),
                    rate,
                )];
                let mut invoice = Invoice::new(
                    customer.id,
                    invoice_number.to_string(),
                    next,
                    next + Duration::days(i64::from(customer.billing.terms_days)),
                    lines,
                );
                invoice.id = EntryId::from(rng.uuid(noon(next)));
                invoice.at = noon(next);
                invoice.location_id = Some(location.id);
                let total = invoice.total();
                book.add_invoice(invoice.clone(), &author)?;
                summary.invoices += 1;
                journey.by(
                    customer.id,
                    invoice.at,
                    JourneyChannel::Email,
                    Direction::Outbound,
                    Actor::Automation,
                    actions::EMAIL_SENT,
                    &mut rng,
                );
                if rng.chance(0.6) {
                    let opened = invoice.at + Duration::hours(2 + rng.below(40) as i64);
                    journey.by(
                        customer.id,
                        opened,
                        JourneyChannel::Email,
                        Direction::Inbound,
                        Actor::Customer,
                        actions::EMAIL_OPENED,
                        &mut rng,
                    );
                }
                if rng.chance(0.3) {
                    let login = invoice.at + Duration::days(1 + rng.below(10) as i64);
                    journey.by(
                        customer.id,
                        login,
                        JourneyChannel::Portal,
                        Direction::Inbound,
                        Actor::Customer,
                        actions::PORTAL_LOGIN,
                        &mut rng,
                    );
                }
                open_invoices.push((invoice.id, invoice.due_on, total));
                invoice_totals.insert(invoice.id, total);
                month_visits.clear();
            }
            // Payments: each habit pays its open invoices in its own way. A
            // partial payer pays half just after the due date and the rest
            // about six weeks later.
            let mut still_open = Vec::new();
            for (invoice_id, due_on, remaining) in open_invoices.drain(..) {
                let total = invoice_totals[&invoice_id];
                let partly_paid = remaining < total;
                let pay_day = match habit {
                    0..=13 => due_on - Duration::days(3),
                    14..=16 if partly_paid => due_on + Duration::days(40),
                    14..=16 => due_on + Duration::days(2),
                    17..=18 => due_on + Duration::days(45),
                    _ => options.through + Duration::days(1),
                };
                if day == due_on + Duration::days(7) {
                    let sent = noon(day) - Duration::hours(3);
                    journey.by(
                        customer.id,
                        sent,
                        JourneyChannel::Email,
                        Direction::Outbound,
                        Actor::Automation,
                        "reminder_sent",
                        &mut rng,
                    );
                    if rng.chance(0.7) {
                        journey.by(
                            customer.id,
                            sent + Duration::hours(5),
                            JourneyChannel::Email,
                            Direction::Inbound,
                            Actor::Customer,
                            "reminder_opened",
                            &mut rng,
                        );
                    }
                }
                if day != pay_day {
                    still_open.push((invoice_id, due_on, remaining));
                    continue;
                }
                let amount = if (14..=16).contains(&habit) && !partly_paid {
                    (remaining / Decimal::from(2)).round_dp(2)
                } else {
                    remaining
                };
                if amount < remaining {
                    still_open.push((invoice_id, due_on, remaining - amount));
                }
                let method = *rng.pick(&[
                    PaymentMethod::Card,
                    PaymentMethod::Check,
                    PaymentMethod::BankTransfer,
                ]);
                let mut payment =
                    Payment::new(customer.id, day, amount, method).applied_to(invoice_id, amount);
                payment.id = EntryId::from(rng.uuid(noon(day)));
                payment.at = noon(day) + Duration::hours(2);
                let channel = match method {
                    PaymentMethod::Check => JourneyChannel::Mail,
                    _ => JourneyChannel::Portal,
                };
                journey.by(
                    customer.id,
                    payment.at,
                    channel,
                    Direction::Inbound,
                    Actor::Customer,
                    actions::PAYMENT_MADE,
                    &mut rng,
                );
                book.record_payment(payment, &author)?;
                summary.payments += 1;
            }
            open_invoices = still_open;
            day = next;
        }
        if habit == 17 && rng.chance(0.5) {
            let credit = Credit {
                id: EntryId::from(rng.uuid(noon(options.through))),
                at: noon(options.through),
                ..Credit::new(
                    customer.id,
                    options.through,
                    CreditKind::Adjustment,
                    Decimal::new(1500, 2),
                    "late fee",
                )
            };
            book.add_credit(credit, &author)?;
            summary.other_entries += 1;
        }
        summary.touchpoints += journey.record(book, &author, Some((&visitor, customer.id)))? as u64;
        summary.customers.push(customer.id);
    }
    // Leads that never became customers: anonymous visitors who looked, and
    // some who asked for an estimate.
    for n in 0..options.customers / 2 {
        let mut journey = Journey::default();
        let visitor = format!("lead-{n:05}");
        let first = noon(start) + Duration::days(rng.below(u64::from(options.weeks) * 7) as i64);
        let asked = rng.chance(0.4);
        visits_and_request(&mut rng, &mut journey, &visitor, first, asked);
        summary.touchpoints += journey.record(book, &author, None)? as u64;
    }
    Ok(summary)
}

/// Touchpoints gathered for one person, recorded in one call.
#[derive(Default)]
struct Journey(Vec<Touchpoint>);

impl Journey {
    /// A touchpoint of a known customer.
    #[allow(clippy::too_many_arguments)]
    fn by(
        &mut self,
        customer: CustomerId,
        at: DateTime<Utc>,
        channel: JourneyChannel,
        direction: Direction,
        actor: Actor,
        action: &str,
        rng: &mut Rng,
    ) {
        let mut touchpoint =
            Touchpoint::by_customer(customer, at, channel, direction, actor, action);
        touchpoint.id = EntryId::from(rng.uuid(at));
        self.0.push(touchpoint);
    }

    /// Records the touchpoints and links `visitor` to the customer, if given.
    fn record(
        self,
        book: &Book,
        author: &Author,
        link: Option<(&str, CustomerId)>,
    ) -> Result<usize> {
        let count = self.0.len();
        book.record_touchpoints(self.0, author)?;
        if let Some((visitor, customer)) = link {
            book.link_visitor(visitor, customer, author)?;
        }
        Ok(count)
    }
}

/// A visitor's website visits, then (if `asks`) an estimate request that
/// staff answer — usually within the hour, sometimes a day later, sometimes never.
fn visits_and_request(
    rng: &mut Rng,
    journey: &mut Journey,
    visitor: &str,
    asked_at: DateTime<Utc>,
    asks: bool,
) {
    let (channel, campaign) = *rng.pick(&[
        (JourneyChannel::Website, Some("google local")),
        (JourneyChannel::Website, Some("spring opening")),
        (JourneyChannel::Website, None),
        (JourneyChannel::Social, Some("neighborhood group")),
        (JourneyChannel::Referral, Some("referral program")),
    ]);
    for visit in 0..1 + rng.below(3) {
        let at = asked_at - Duration::days(1 + rng.below(14) as i64)
            + Duration::minutes(visit as i64 * 7);
        let mut page = Touchpoint::by_visitor(visitor, at, channel, actions::PAGE_VIEWED);
        page.id = EntryId::from(rng.uuid(at));
        page.campaign = campaign.map(str::to_owned);
        journey.0.push(page);
    }
    if !asks {
        return;
    }
    let mut request = Touchpoint::by_visitor(
        visitor,
        asked_at,
        JourneyChannel::Website,
        actions::ESTIMATE_REQUESTED,
    );
    request.id = EntryId::from(rng.uuid(asked_at));
    request.campaign = campaign.map(str::to_owned);
    journey.0.push(request);
    let wait = match rng.below(10) {
        0..=6 => Duration::minutes(5 + rng.below(50) as i64),
        7 | 8 => Duration::hours(3 + rng.below(30) as i64),
        _ => return,
    };
    let mut reply = Touchpoint::by_visitor(
        visitor,
        asked_at + wait,
        JourneyChannel::Phone,
        actions::CALL,
    );
    reply.id = EntryId::from(rng.uuid(asked_at + wait));
    reply.direction = Direction::Outbound;
    reply.actor = Actor::Staff;
    journey.0.push(reply);
}

/// How a customer found the company: visits, an estimate request a day
/// before joining, and the reply.
fn acquisition(rng: &mut Rng, journey: &mut Journey, visitor: &str, joined: DateTime<Utc>) {
    visits_and_request(rng, journey, visitor, joined - Duration::days(1), true);
}

fn populate_customer(
    book: &Book,
    rng: &mut Rng,
    author: &Author,
    technicians: &[TechnicianId],
    joined: DateTime<Utc>,
    n: u32,
) -> Result<crate::Customer> {
    let first = *rng.pick(FIRST);
    let last = *rng.pick(LAST);
    let kind = match rng.below(20) {
        0 => CustomerKind::Commercial,
        1 => CustomerKind::Hoa,
        _ => CustomerKind::Residential,
    };
    let name = match kind {
        CustomerKind::Residential => format!("{first} {last}"),
        CustomerKind::Hoa => format!(
            "{} {} HOA",
            rng.pick(STREETS),
            rng.pick(&["Hills", "Park", "Commons"])
        ),
        _ => format!(
            "{last} {}",
            rng.pick(&["Fitness", "Suites", "Apartments", "Swim Club"])
        ),
    };
    let mut owner = Contact::new(format!("{first} {last}"), ContactRole::Owner)
        .with_phone(
            format!(
                "({}) 555-{:04}",
                rng.pick(&["217", "309", "618"]),
                100 + n % 100
            ),
            true,
        )
        .with_email(format!(
            "{}.{}{}@example.com",
            first.to_lowercase(),
            last.to_lowercase(),
            n
        ))
        .primary();
    owner.id = ContactId::from(rng.uuid(joined));
    let (city, zip) = *rng.pick(CITIES);
    let street = format!(
        "{} {} {}",
        100 + rng.below(9800),
        rng.pick(STREETS),
        rng.pick(SUFFIXES)
    );
    let salt = rng.chance(0.4);
    let mut pool = BodyOfWater::new(
        "Pool",
        WaterKind::Pool,
        if salt {
            Sanitizer::Salt
        } else {
            Sanitizer::Chlorine
        },
    )
    .with_gallons((rng.range(10.0, 30.0) * 1000.0).round());
    pool.id = BodyOfWaterId::from(rng.uuid(joined));
    pool.surface = Some(*rng.pick(&[
        Surface::Plaster,
        Surface::Pebble,
        Surface::Vinyl,
        Surface::Fiberglass,
    ]));
    let mut location =
        ServiceLocation::new(Address::new(street, city, "IL", zip, "US")).with_body_of_water(pool);
    location.id = LocationId::from(rng.uuid(joined));
    if rng.chance(0.15) {
        let mut spa =
            BodyOfWater::new("Spa", WaterKind::Spa, Sanitizer::Chlorine).with_gallons(500.0);
        spa.id = BodyOfWaterId::from(rng.uuid(joined));
        location.bodies_of_water.push(spa);
    }
    let mut access = AccessDetails::default();
    if rng.chance(0.6) {
        access.gate_code = Some(Secret::new(
            format!("{:04}#", rng.below(10_000)),
            "gate_code",
        )?);
    }
    if rng.chance(0.3) {
        access.pets.push(Pet {
            name: rng
                .pick(&["Rex", "Bella", "Max", "Luna", "Rocky"])
                .to_string(),
            kind: "dog".into(),
            temperament: *rng.pick(&[
                PetTemperament::Friendly,
                PetTemperament::Nervous,
                PetTemperament::Aggressive,
            ]),
        });
    }
    if rng.chance(0.1) {
        access.hazards.push(
            rng.pick(&[
                "wasp nest by the pump",
                "loose pool cover",
                "steep steps to the equipment pad",
            ])
            .to_string(),
        );
    }
    if rng.chance(0.2) {
        access.access_hours.push(AccessWindow {
            days: WEEKDAYS.to_vec(),
            start: chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
            end: chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default(),
        });
    }
    location.access = access;
    let frequency = match rng.below(20) {
        0 => Frequency::Monthly,
        1..=3 => Frequency::Biweekly,
        _ => Frequency::Weekly,
    };
    location.service_plan = Some(ServicePlan {
        frequency,
        preferred_weekday: Some(*rng.pick(WEEKDAYS)),
        technician_id: Some(technicians[rng.below(technicians.len() as u64) as usize]),
        starts_on: joined.date_naive(),
        ends_on: None,
    });
    let mut new = NewCustomer::new(kind, name).with_location(location);
    new.id = CustomerId::from(rng.uuid(joined));
    new.status = match rng.below(40) {
        0..=2 => LifecycleStatus::Paused,
        3 => LifecycleStatus::Cancelled,
        _ => LifecycleStatus::Active,
    };
    new.billing.rate = Some(Decimal::new(3000 + 500 * rng.below(4) as i64, 2));
    if rng.chance(0.4) {
        new.preferences = Preferences {
            notify_before_visit: Some(VisitNotice {
                channel: ContactChannel::Sms,
                contact_id: owner.id,
                lead_time_minutes: 30,
            }),
            ..Preferences::default()
        };
    }
    if rng.chance(0.3) {
        new.tags.push("vip".into());
    }
    new.contacts.push(owner);
    let customer = book.create_customer(new, author)?;
    if rng.chance(0.1) {
        let mut note = Note::new(customer.id, "Prefers visits before noon");
        note.id = EntryId::from(rng.uuid(joined));
        note.at = joined;
        book.add_note(note, author)?;
    }
    Ok(customer)
}

/// The water of one pool, drifting between visits.
struct PoolState {
    readings: Readings,
    salt: bool,
}

impl PoolState {
    fn new(rng: &mut Rng, sanitizer: Sanitizer) -> Self {
        let salt = sanitizer == Sanitizer::Salt;
        PoolState {
            readings: Readings {
                free_chlorine: Some(rng.range(2.0, 5.0)),
                combined_chlorine: Some(0.0),
                ph: Some(rng.range(7.3, 7.7)),
                total_alkalinity: Some(rng.range(60.0, 110.0).round()),
                cyanuric_acid: Some(rng.range(30.0, 80.0).round()),
                calcium_hardness: Some(rng.range(200.0, 450.0).round()),
                salt: salt.then(|| rng.range(2800.0, 3600.0).round()),
                ..Readings::default()
            },
            salt,
        }
    }
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

fn demo_visit(
    rng: &mut Rng,
    state: &mut PoolState,
    customer: CustomerId,
    location: LocationId,
    body: BodyOfWaterId,
    technician: Option<TechnicianId>,
    at: DateTime<Utc>,
) -> Visit {
    if rng.chance(0.05) {
        let reason = *rng.pick(&[
            SkipReason::LockedGate,
            SkipReason::DogOut,
            SkipReason::Weather,
            SkipReason::CustomerRequest,
            SkipReason::NoAccess,
        ]);
        let mut visit = Visit::skipped(customer, location, at, reason);
        visit.id = EntryId::from(rng.uuid(at));
        visit.technician_id = technician;
        return visit;
    }
    let summer = {
        let day = at.ordinal() as f64;
        (std::f64::consts::TAU * (day - 200.0) / 365.0).cos()
    };
    let r = &mut state.readings;
    let fc = (r.free_chlorine.unwrap_or(3.0) - rng.range(0.5, 2.5) * (1.2 + 0.5 * summer)).max(0.0);
    let ph = (r.ph.unwrap_or(7.5) + rng.range(-0.05, 0.2) * if state.salt { 1.5 } else { 1.0 })
        .clamp(6.8, 8.4);
    let mut visit = Visit::completed(customer, location, at);
    visit.id = EntryId::from(rng.uuid(at));
    visit.technician_id = technician;
    visit.body_of_water_id = Some(body);
    visit.measured_by = Some(*rng.pick(&[
        MeasurementMethod::DropKit,
        MeasurementMethod::Photometer,
        MeasurementMethod::Strip,
    ]));
    visit.readings = Readings {
        free_chlorine: Some(round1(fc)),
        ph: Some(round1(ph)),
        temperature_f: Some((78.0 + 10.0 * summer + rng.range(-2.0, 2.0)).round()),
        ..*r
    };
    visit.tasks = vec!["skimmed".into(), "brushed".into(), "emptied baskets".into()];
    if fc < 3.0 {
        let ounces = ((3.5 - fc) * 13.0).round().max(8.0);
        visit.chemicals.push(ChemicalDose {
            product: "liquid chlorine 12.5%".into(),
            amount: ounces * 4.0,
            unit: DoseUnit::FluidOunces,
        });
    }
    if ph > 7.7 {
        visit.chemicals.push(ChemicalDose {
            product: "muriatic acid 31.45%".into(),
            amount: 16.0,
            unit: DoseUnit::FluidOunces,
        });
    }
    visit.duration_minutes = Some(15 + rng.below(25) as u32);
    // The water after the visit's doses, for the next visit.
    r.free_chlorine = Some(if fc < 3.0 { rng.range(4.0, 6.0) } else { fc });
    r.ph = Some(if ph > 7.7 { rng.range(7.3, 7.5) } else { ph });
    visit
}
