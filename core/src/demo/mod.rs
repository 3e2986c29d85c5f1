//! A deterministic demo company: a pool service in the Phoenix area, where
//! pools run all year. The same seed gives the same customers, pools, plans,
//! visits, readings, invoices, payments, messages, issues and journeys
//! (record timestamps such as `created_at` are the time of generation).
//! Used by the tour example, the tests and the bindings' examples.
//!
//! What makes it read like a real company:
//! - water follows the desert seasons: about 55 °F in January, 90 °F and up
//!   in July, with chlorine demand to match; spas are tested at every visit;
//! - residential pools pay a flat monthly rate for weekly service
//!   (chemicals included), biweekly and monthly plans pay per visit, spas
//!   are an add-on; HOA and commercial pools pay more on net-30 terms and
//!   are billed to a property manager;
//! - some winter residents stop service for the summer and come back in the
//!   fall;
//! - customers pay the way customers do: most on time, some a part now and
//!   the rest later, some late (with a late fee), and a few not at all, whose
//!   service is paused after 45 days past due.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::domain::schedule::plan_due_on;
use crate::model::{
    AccessDetails, AccessWindow, Actor, Address, BodyOfWater, ChemicalDose, Contact,
    ContactChannel, ContactRole, Credit, CreditKind, CustomerKind, Direction, DoseUnit, Entry,
    Feedback, FeedbackSource, Frequency, Invoice, InvoiceLine, Issue, IssueCategory,
    JourneyChannel, LifecycleStatus, Message, NewCustomer, NewTechnician, Note, Payment,
    PaymentMethod, Pet, PetTemperament, Preferences, RateBasis, Sanitizer, ServiceLocation,
    ServicePlan, SkipReason, Surface, Touchpoint, Visit, VisitNotice, WaterKind, Weekday, actions,
};
use crate::model::{GeoPoint, MeasurementMethod, Readings};
use crate::{
    Author, BodyOfWaterId, Book, ContactId, Customer, CustomerId, EntryId, LocationId, Result,
    Secret, TechnicianId, count_of, format_money,
};

/// The book's time zone: Arizona keeps standard time all year.
const TIME_ZONE: &str = "America/Phoenix";
/// The demo company's spa add-on, per month.
const SPA_ADD_ON: Decimal = Decimal::from_parts(3500, 0, 0, false, 2);
/// The late fee charged on an invoice paid 30 days or more past due.
const LATE_FEE: Decimal = Decimal::from_parts(1500, 0, 0, false, 2);
/// Days past due after which a customer who does not pay has service paused.
const PAUSE_AFTER_DAYS: i64 = 45;

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
    /// About 200 customers, 3 technicians, a year of weekly service through 20 November 2026.
    fn default() -> Self {
        DemoOptions {
            seed: 2026,
            customers: 200,
            technicians: 3,
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
    /// Visits recorded (completed and skipped), one per pool or spa.
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

    /// Whole dollars in `[low, high]`, in steps of `step`.
    fn dollars(&mut self, low: i64, high: i64, step: i64) -> Decimal {
        let steps = (high - low) / step;
        Decimal::new((low + step * self.below(steps as u64 + 1) as i64) * 100, 2)
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
    "Lupe",
    "Tom",
    "Rosa",
    "Hector",
];
const LAST: &[&str] = &[
    "Lopez",
    "Smith",
    "Johnson",
    "Nguyen",
    "Garcia",
    "Brown",
    "Patel",
    "Kim",
    "Martinez",
    "Davis",
    "Wilson",
    "Anderson",
    "Thomas",
    "Moore",
    "Jackson",
    "Rivera",
    "Chen",
    "Okafor",
    "Novak",
    "Silva",
    "Hernandez",
    "Begay",
    "Yazzie",
    "Romero",
];
/// Surnames whose households the demo writes to in Spanish, some of the time.
const SPANISH: &[&str] = &[
    "Lopez",
    "Garcia",
    "Martinez",
    "Rivera",
    "Hernandez",
    "Romero",
];
const STREETS: &[&str] = &[
    "Camelback",
    "Palo Verde",
    "Saguaro",
    "Mesquite",
    "Ocotillo",
    "Desert Willow",
    "Cholla",
    "Sonoran",
    "Ironwood",
    "Mariposa",
    "Catalina",
    "Sunrise",
    "Palm",
    "Mountain View",
    "Arroyo",
];
const SUFFIXES: &[&str] = &["Street", "Avenue", "Drive", "Lane", "Court", "Road", "Way"];
/// City, ZIP, area code.
const CITIES: &[(&str, &str, &str)] = &[
    ("Phoenix", "85018", "602"),
    ("Phoenix", "85016", "602"),
    ("Phoenix", "85020", "602"),
    ("Scottsdale", "85251", "480"),
    ("Tempe", "85282", "480"),
    ("Mesa", "85203", "480"),
    ("Chandler", "85224", "480"),
    ("Glendale", "85308", "623"),
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

/// How a customer pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Habit {
    /// A few days before the due date.
    OnTime,
    /// Part by the due date, the rest one to three weeks late.
    Partial,
    /// In full, a month or more past due; charged a late fee.
    Late,
    /// Not at all: service is paused after 45 days past due.
    Never,
}

/// An invoice not yet paid in full.
struct OpenInvoice {
    id: EntryId,
    number: String,
    due_on: NaiveDate,
    total: Decimal,
    remaining: Decimal,
    reminded: bool,
}

/// Fills `book` with a demo company. Use an empty book, unlocked
/// ([`Book::unlock`]: the demo's gate codes are sealed): generating twice
/// into one book fails on the invoice numbers.
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn populate_demo(book: &Book, options: &DemoOptions) -> Result<DemoSummary> {
    if !book.is_unlocked() {
        return Err(crate::Error::Locked {
            doing: "building the demo company (its gate codes are sealed)".to_owned(),
        });
    }
    let mut rng = Rng(options.seed);
    let author = Author::import(format!("demo seed {}", options.seed));
    book.set_time_zone(TIME_ZONE, &author)?;
    let start = options.through - Duration::weeks(i64::from(options.weeks));
    let mut summary = DemoSummary::default();

    for n in 0..options.technicians as usize {
        let mut new = NewTechnician::new(TECHNICIANS[n % TECHNICIANS.len()]);
        new.id = TechnicianId::from(rng.uuid(noon(start) - Duration::days(30)));
        new.phone = Some(format!("(602) 555-01{:02}", n));
        summary
            .technicians
            .push(book.add_technician(new, &author)?.id);
    }

    // Every customer in one batch. Half were there before the history
    // starts; the rest join during it (their journeys lead to their first
    // payments).
    let span = 365 + i64::from(options.weeks) * 7 - 30;
    let mut setups = Vec::new();
    for n in 0..options.customers {
        let joined =
            noon(start) - Duration::days(365) + Duration::days(rng.below(span as u64) as i64);
        setups.push(new_customer(&mut rng, &summary.technicians, joined, n)?);
    }
    // Each starts as a lead and converts on the day they joined, so the
    // journey's cohorts follow the company's history.
    let news = setups
        .iter()
        .map(|setup| NewCustomer {
            status: LifecycleStatus::Lead,
            ..setup.new.clone()
        })
        .collect();
    let created = book.create_customers(news, &author)?;

    let mut invoice_number = 1000;
    for (n, (setup, customer)) in setups.into_iter().zip(created).enumerate() {
        let joined = setup.joined;
        let mut customer = book.change_status(
            customer.id,
            customer.version,
            LifecycleStatus::Active,
            None,
            Some(joined.min(Utc::now())),
            &author,
        )?;
        // A few leave during the year, each saying why.
        let leaves = (n % 25 == 7).then(|| {
            let day = start + Duration::days(rng.below(u64::from(options.weeks) * 7) as i64);
            let reason = *rng.pick(&["moved away", "price", "switched company", "sold the house"]);
            (day, reason)
        });
        // The history of one customer, written in as few batches as its
        // status changes allow.
        let mut history = History::default();
        history.entries.extend(setup.note.map(Entry::Note));
        let location = customer.locations[0].clone();
        let plan = location.service_plan.clone();
        // The mix of payers is fixed, not drawn: every company of 20 or more
        // has all four kinds.
        let habit = match n % 20 {
            0..=13 => Habit::OnTime,
            14 | 15 => Habit::Partial,
            16..=18 => Habit::Late,
            _ => Habit::Never,
        };
        let mut waters: Vec<(BodyOfWaterId, PoolState)> = location
            .bodies_of_water
            .iter()
            .map(|body| (body.id, PoolState::new(&mut rng, body)))
            .collect();
        let mut month = Month::default();
        let mut open: Vec<OpenInvoice> = Vec::new();
        let mut journey = Journey::default();
        let visitor = format!("web-{n:05}");
        acquisition(&mut rng, &mut journey, &visitor, joined);

        let mut paused_for_debt = false;
        let mut day = start;
        while day <= options.through {
            if let Some((leave_on, reason)) = leaves
                && day == leave_on
                && customer.status != LifecycleStatus::Cancelled
            {
                history.flush(book, &author)?;
                customer = set_status(
                    book,
                    &author,
                    &customer,
                    LifecycleStatus::Cancelled,
                    reason,
                    day,
                )?;
            }
            // Winter residents stop service for the summer and come back in October.
            if setup.snowbird && !paused_for_debt && customer.status != LifecycleStatus::Cancelled {
                let away = (6..=9).contains(&day.month());
                let status = if away {
                    LifecycleStatus::Paused
                } else {
                    LifecycleStatus::Active
                };
                if customer.status != status && day.day() == 1 {
                    history.flush(book, &author)?;
                    let why = if away {
                        "away for the summer"
                    } else {
                        "back for the winter"
                    };
                    customer = set_status(book, &author, &customer, status, why, day)?;
                }
            }
            // A customer who does not pay loses service 45 days past due, from
            // the morning of that day.
            if habit == Habit::Never
                && customer.status == LifecycleStatus::Active
                && open
                    .iter()
                    .any(|invoice| (day - invoice.due_on).num_days() >= PAUSE_AFTER_DAYS)
            {
                history.flush(book, &author)?;
                customer = set_status(
                    book,
                    &author,
                    &customer,
                    LifecycleStatus::Paused,
                    "non-payment",
                    day,
                )?;
                paused_for_debt = true;
                let owed: Decimal = open.iter().map(|invoice| invoice.remaining).sum();
                let mut message = Message::new(
                    customer.id,
                    ContactChannel::Email,
                    Direction::Outbound,
                    format!(
                        "Your pool service is paused: {} has been past due for {PAUSE_AFTER_DAYS} days. \
                         Pay on the portal or call us to restart service.",
                        format_money(owed)
                    ),
                );
                message.id = EntryId::from(rng.uuid(noon(day)));
                message.at = noon(day);
                message.subject = Some("Service paused".into());
                message.template = Some("service_paused".into());
                message.contact_id = customer.contacts.first().map(|c| c.id);
                history.entries.push(Entry::Message(message));
                let mut note = Note::new(customer.id, "Service paused for non-payment");
                note.id = EntryId::from(rng.uuid(noon(day)));
                note.at = noon(day);
                history.entries.push(Entry::Note(note));
                summary.other_entries += 2;
            }
            let due = customer.status == LifecycleStatus::Active
                && plan.as_ref().is_some_and(|plan| plan_due_on(plan, day));
            if due {
                // Routes start early in the desert summer: 6:00–13:00
                // local, 7:00–15:00 in winter (Arizona is UTC−7 all year).
                let summer = (5..=9).contains(&day.month());
                let first_hour = if summer { 13 } else { 14 };
                let at = Utc
                    .from_utc_datetime(&day.and_hms_opt(first_hour, 0, 0).unwrap_or_default())
                    + Duration::minutes(rng.below(if summer { 420 } else { 480 }) as i64);
                let technician = plan.as_ref().and_then(|p| p.technician_id);
                let skip = rng.chance(0.04).then(|| {
                    *rng.pick(&[
                        SkipReason::LockedGate,
                        SkipReason::DogOut,
                        SkipReason::Weather,
                        SkipReason::CustomerRequest,
                        SkipReason::NoAccess,
                    ])
                });
                let mut first_visit = None;
                for (body, state) in &mut waters {
                    let visit = demo_visit(
                        &mut rng,
                        state,
                        (customer.id, location.id, *body),
                        technician,
                        at,
                        skip,
                    );
                    summary.visits += 1;
                    first_visit.get_or_insert(visit.id);
                    history.entries.push(Entry::Visit(visit));
                }
                match skip {
                    None => {
                        month.completed += 1;
                        if rng.chance(0.03)
                            && let Some(visit_id) = first_visit
                        {
                            feedback(&mut history, &mut rng, customer.id, visit_id, at);
                            summary.other_entries += 1;
                        }
                    }
                    Some(reason) => {
                        month.skipped.push(reason);
                        skip_message(&mut history, &mut rng, &customer, reason, at);
                        summary.other_entries += 1;
                    }
                }
                if rng.chance(0.01) {
                    issue(
                        &mut history,
                        &mut rng,
                        &customer,
                        location.id,
                        at,
                        day,
                        options,
                    );
                    summary.other_entries += 1;
                }
            }
            let next = day + Duration::days(1);
            if next.month() != day.month() {
                if let Some(invoice) = month_invoice(
                    &mut rng,
                    &customer,
                    &location,
                    &month,
                    day,
                    invoice_number + 1,
                ) {
                    invoice_number += 1;
                    let total = invoice.total();
                    history.entries.push(Entry::Invoice(invoice.clone()));
                    summary.invoices += 1;
                    invoice_touchpoints(&mut rng, &mut journey, customer.id, invoice.at);
                    open.push(OpenInvoice {
                        id: invoice.id,
                        number: invoice.number,
                        due_on: invoice.due_on,
                        total,
                        remaining: total,
                        reminded: false,
                    });
                }
                month = Month::default();
            }
            let collected = collect(
                &mut history,
                &mut rng,
                &mut journey,
                &customer,
                habit,
                day,
                &mut open,
            );
            summary.payments += collected.payments;
            summary.other_entries += collected.other_entries;
            day = next;
        }
        history.flush(book, &author)?;
        for issue in history.resolve {
            book.resolve_issue(issue, "Fixed on the next visit", &author)?;
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

/// One customer's history entries waiting to be written in one batch, and
/// the issues to resolve once they are.
#[derive(Default)]
struct History {
    entries: Vec<Entry>,
    resolve: Vec<EntryId>,
}

impl History {
    /// Writes the waiting entries in one transaction.
    fn flush(&mut self, book: &Book, author: &Author) -> Result<()> {
        if !self.entries.is_empty() {
            book.record_entries(std::mem::take(&mut self.entries), author)?;
        }
        Ok(())
    }
}

/// Noon UTC of `day`: the time the demo gives dated entries.
fn noon(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap_or_default())
}

/// What a month of service was, for its invoice.
#[derive(Default)]
struct Month {
    completed: u32,
    skipped: Vec<SkipReason>,
}

/// The invoice for the month ending on `last_day`, or `None` if nothing was
/// serviced. Weekly plans pay the flat monthly rate, biweekly and monthly
/// plans pay per completed visit; a spa adds its monthly add-on.
fn month_invoice(
    rng: &mut Rng,
    customer: &Customer,
    location: &ServiceLocation,
    month: &Month,
    last_day: NaiveDate,
    number: u32,
) -> Option<Invoice> {
    if month.completed == 0 {
        return None;
    }
    let rate = customer.billing.rate?;
    let period = last_day.format("%B %Y");
    let mut lines = match customer.billing.rate_basis {
        RateBasis::PerVisit => vec![InvoiceLine::new(
            format!(
                "Pool service, {period}: {}",
                count_of(u64::from(month.completed), "visit", "visits")
            ),
            Decimal::from(month.completed),
            rate,
        )],
        _ => vec![InvoiceLine::new(
            format!("Weekly pool service, {period}"),
            Decimal::ONE,
            rate,
        )],
    };
    if location.bodies_of_water.len() > 1 && customer.kind == CustomerKind::Residential {
        lines.push(InvoiceLine::new(
            format!("Spa service, {period}"),
            Decimal::ONE,
            SPA_ADD_ON,
        ));
    }
    let issued_on = last_day + Duration::days(1);
    let mut invoice = Invoice::new(
        customer.id,
        format!("{}-{number:04}", issued_on.year()),
        issued_on,
        issued_on + Duration::days(i64::from(customer.billing.terms_days)),
        lines,
    );
    invoice.id = EntryId::from(rng.uuid(noon(issued_on)));
    invoice.location_id = Some(location.id);
    if !month.skipped.is_empty() {
        let reasons: Vec<String> = month.skipped.iter().map(|r| r.label()).collect();
        invoice.memo = Some(format!(
            "{} completed; {} skipped ({})",
            count_of(u64::from(month.completed), "visit", "visits"),
            month.skipped.len(),
            reasons.join(", ")
        ));
    }
    Some(invoice)
}

/// What collecting did on one day.
#[derive(Default)]
struct Collected {
    payments: u64,
    other_entries: u64,
}

/// Pays, reminds and charges late fees on `day`, each invoice the way the
/// customer's habit says.
#[allow(clippy::too_many_arguments)]
fn collect(
    history: &mut History,
    rng: &mut Rng,
    journey: &mut Journey,
    customer: &Customer,
    habit: Habit,
    day: NaiveDate,
    open: &mut Vec<OpenInvoice>,
) -> Collected {
    let mut done = Collected::default();
    let commercial = customer.kind != CustomerKind::Residential;
    for invoice in open.iter_mut() {
        let past_due = (day - invoice.due_on).num_days();
        // A reminder a week past due, stating what remains.
        if past_due == 7 && !invoice.reminded {
            invoice.reminded = true;
            reminder(history, rng, journey, customer, invoice, day);
            done.other_entries += 1;
        }
        // Deterministic per invoice: the day within the habit's window.
        let jitter =
            (invoice.total.mantissa().unsigned_abs() as i64 + invoice.due_on.ordinal() as i64) % 8;
        let partly_paid = invoice.remaining < invoice.total;
        let (pays_today, amount) = match habit {
            Habit::OnTime => (past_due == -2 - jitter, invoice.remaining),
            Habit::Partial if !partly_paid => {
                let half = (invoice.total / Decimal::from(2)).round_dp(0);
                (past_due == -1 - jitter % 3, half.min(invoice.remaining))
            }
            Habit::Partial => (past_due == 10 + jitter, invoice.remaining),
            Habit::Late => (past_due == 32 + jitter * 2, invoice.remaining),
            Habit::Never => (false, Decimal::ZERO),
        };
        if !pays_today || amount <= Decimal::ZERO {
            continue;
        }
        let method = if commercial {
            *rng.pick(&[PaymentMethod::Check, PaymentMethod::BankTransfer])
        } else {
            *rng.pick(&[
                PaymentMethod::Card,
                PaymentMethod::Card,
                PaymentMethod::Card,
                PaymentMethod::BankTransfer,
                PaymentMethod::Check,
            ])
        };
        let mut payment =
            Payment::new(customer.id, day, amount, method).applied_to(invoice.id, amount);
        payment.id = EntryId::from(rng.uuid(noon(day)));
        payment.at = noon(day) + Duration::hours(3);
        if method == PaymentMethod::Check {
            payment.reference = Some((1000 + rng.below(9000)).to_string());
        }
        // The payment writes its own payment_made touchpoint (on the
        // portal, or by mail for a check) when it is recorded.
        payment.channel = Some(match method {
            PaymentMethod::Check => JourneyChannel::Mail,
            _ => JourneyChannel::Portal,
        });
        history.entries.push(Entry::Payment(payment));
        done.payments += 1;
        invoice.remaining -= amount;
        if habit == Habit::Late && invoice.remaining.is_zero() && past_due >= 30 {
            let credit = Credit {
                id: EntryId::from(rng.uuid(noon(day))),
                at: noon(day) + Duration::hours(4),
                ..Credit::new(
                    customer.id,
                    day,
                    CreditKind::Adjustment,
                    LATE_FEE,
                    format!("late fee, invoice {}", invoice.number),
                )
            };
            history.entries.push(Entry::Credit(credit));
            done.other_entries += 1;
        }
    }
    open.retain(|invoice| invoice.remaining > Decimal::ZERO);
    done
}

/// A week-past-due reminder that states what remains on which invoice.
fn reminder(
    history: &mut History,
    rng: &mut Rng,
    journey: &mut Journey,
    customer: &Customer,
    invoice: &OpenInvoice,
    day: NaiveDate,
) {
    let sent = noon(day) + Duration::hours(4);
    let body = if invoice.remaining < invoice.total {
        format!(
            "Thank you for your payment of {}; {} remains on invoice {}, due {}.",
            format_money(invoice.total - invoice.remaining),
            format_money(invoice.remaining),
            invoice.number,
            invoice.due_on
        )
    } else {
        format!(
            "A reminder: invoice {} for {} was due {}. Pay on the portal or reply to this email.",
            invoice.number,
            format_money(invoice.remaining),
            invoice.due_on
        )
    };
    let mut message = Message::new(
        customer.id,
        ContactChannel::Email,
        Direction::Outbound,
        body,
    );
    message.id = EntryId::from(rng.uuid(sent));
    message.at = sent;
    message.subject = Some(format!("Invoice {}", invoice.number));
    message.template = Some("payment_reminder".to_owned());
    message.contact_id = customer.contacts.first().map(|c| c.id);
    // The message writes its own message_sent touchpoint.
    history.entries.push(Entry::Message(message));
    if rng.chance(0.7) {
        journey.by(
            customer.id,
            sent + Duration::hours(5),
            JourneyChannel::Email,
            Direction::Inbound,
            Actor::Customer,
            "reminder_opened",
            rng,
        );
    }
}

/// Whether the customer opened the invoice email or logged in to the portal.
fn invoice_touchpoints(
    rng: &mut Rng,
    journey: &mut Journey,
    customer: CustomerId,
    at: DateTime<Utc>,
) {
    // The invoice writes its own invoice_sent touchpoint when it is added.
    if rng.chance(0.6) {
        let opened = at + Duration::hours(2 + rng.below(40) as i64);
        journey.by(
            customer,
            opened,
            JourneyChannel::Email,
            Direction::Inbound,
            Actor::Customer,
            actions::EMAIL_OPENED,
            rng,
        );
    }
    if rng.chance(0.3) {
        let login = at + Duration::days(1 + rng.below(10) as i64);
        journey.by(
            customer,
            login,
            JourneyChannel::Portal,
            Direction::Inbound,
            Actor::Customer,
            actions::PORTAL_LOGIN,
            rng,
        );
    }
}

/// Moves the customer to `status` on the morning of `day`, saying why, as
/// the office would.
fn set_status(
    book: &Book,
    author: &Author,
    customer: &Customer,
    status: LifecycleStatus,
    why: &str,
    day: NaiveDate,
) -> Result<Customer> {
    book.change_status(
        customer.id,
        customer.version,
        status,
        Some(why.to_owned()),
        // A demo dated after today records its changes as of today.
        Some((noon(day) - Duration::hours(3)).min(Utc::now())),
        author,
    )
}

fn feedback(
    history: &mut History,
    rng: &mut Rng,
    customer: CustomerId,
    visit: EntryId,
    at: DateTime<Utc>,
) {
    let mut feedback = Feedback::new(customer, [3, 4, 5, 5, 5][rng.below(5) as usize]);
    feedback.id = EntryId::from(rng.uuid(at));
    feedback.at = at + Duration::hours(5);
    feedback.visit_id = Some(visit);
    let (comment, topic) = *rng.pick(&[
        ("Water looks great", Some("water_quality")),
        ("Thanks!", None),
        ("Please close the gate behind you", Some("technician")),
        ("Crystal clear after the dust storm", Some("water_quality")),
    ]);
    feedback.comment = Some(comment.to_owned());
    feedback.topics = topic.map(str::to_owned).into_iter().collect();
    feedback.source = Some(FeedbackSource::Survey);
    history.entries.push(Entry::Feedback(feedback));
}

/// The message a customer gets when their visit was skipped.
fn skip_message(
    history: &mut History,
    rng: &mut Rng,
    customer: &Customer,
    reason: SkipReason,
    at: DateTime<Utc>,
) {
    let what = match reason {
        SkipReason::LockedGate => "the gate was locked",
        SkipReason::DogOut => "the dog was out in the yard",
        SkipReason::Weather => "of the monsoon storm",
        SkipReason::CustomerRequest => "you asked us to skip this week",
        _ => "we could not get to the pool",
    };
    let mut message = Message::new(
        customer.id,
        ContactChannel::Sms,
        Direction::Outbound,
        format!(
            "We could not service your pool today because {what}. We'll be back on your next service day."
        ),
    );
    message.id = EntryId::from(rng.uuid(at));
    message.at = at + Duration::minutes(10);
    message.contact_id = customer.contacts.first().map(|c| c.id);
    history.entries.push(Entry::Message(message));
}

fn issue(
    history: &mut History,
    rng: &mut Rng,
    customer: &Customer,
    location: LocationId,
    at: DateTime<Utc>,
    day: NaiveDate,
    options: &DemoOptions,
) {
    let (category, summary) = *rng.pick(&[
        (IssueCategory::Equipment, "Pump is loud"),
        (
            IssueCategory::WaterQuality,
            "Cloudy water after the dust storm",
        ),
        (IssueCategory::Complaint, "Leaves left in the pool"),
        (IssueCategory::Equipment, "Salt cell needs cleaning"),
        (IssueCategory::Equipment, "Heater will not start"),
    ]);
    let mut issue = Issue::new(customer.id, category, summary);
    issue.id = EntryId::from(rng.uuid(at));
    issue.at = at;
    issue.location_id = Some(location);
    if day + Duration::days(21) < options.through && rng.chance(0.8) {
        history.resolve.push(issue.id);
    }
    history.entries.push(Entry::Issue(issue));
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
        (JourneyChannel::Website, Some("summer ready")),
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

/// A customer to create and what the demo needs to know of them.
struct Setup {
    new: NewCustomer,
    joined: DateTime<Utc>,
    /// A winter resident: no service from June to September.
    snowbird: bool,
    /// A note the office wrote when the customer joined.
    note: Option<Note>,
}

/// The `n`th customer, joining at `joined`.
fn new_customer(
    rng: &mut Rng,
    technicians: &[TechnicianId],
    joined: DateTime<Utc>,
    n: u32,
) -> Result<Setup> {
    let first = *rng.pick(FIRST);
    let last = *rng.pick(LAST);
    let kind = match rng.below(20) {
        0 => CustomerKind::Commercial,
        1 => CustomerKind::Hoa,
        _ => CustomerKind::Residential,
    };
    let residential = kind == CustomerKind::Residential;
    let name = match kind {
        CustomerKind::Residential => format!("{first} {last}"),
        CustomerKind::Hoa => format!(
            "{} {} HOA",
            rng.pick(STREETS),
            rng.pick(&["Ranch", "Estates", "Commons"])
        ),
        _ => format!(
            "{} {}",
            rng.pick(STREETS),
            rng.pick(&["Apartments", "Suites", "Fitness Club", "Swim School"])
        ),
    };
    let (city, zip, area) = *rng.pick(CITIES);
    let role = if residential {
        ContactRole::Owner
    } else {
        ContactRole::PropertyManager
    };
    let mut owner = Contact::new(format!("{first} {last}"), role)
        .with_phone(format!("({area}) 555-{:04}", 100 + n % 100), true)
        .with_email(format!(
            "{}.{}{}@example.com",
            first.to_lowercase(),
            last.to_lowercase(),
            n
        ))
        .primary();
    owner.id = ContactId::from(rng.uuid(joined));

    let street = format!(
        "{} {} {}",
        100 + rng.below(9800),
        rng.pick(STREETS),
        rng.pick(SUFFIXES)
    );
    let salt = rng.chance(0.45);
    let sanitizer = if salt {
        Sanitizer::Salt
    } else {
        Sanitizer::Chlorine
    };
    let gallons = if residential {
        rng.range(12.0, 25.0)
    } else {
        rng.range(40.0, 120.0)
    };
    let mut pool = BodyOfWater::new("Pool", WaterKind::Pool, sanitizer)
        .with_gallons((gallons * 1000.0).round());
    pool.id = BodyOfWaterId::from(rng.uuid(joined));
    pool.surface = Some(*rng.pick(&[
        Surface::Plaster,
        Surface::Pebble,
        Surface::Pebble,
        Surface::Fiberglass,
    ]));
    let mut location =
        ServiceLocation::new(Address::new(street, city, "AZ", zip, "US")).with_body_of_water(pool);
    location.id = LocationId::from(rng.uuid(joined));
    if rng.chance(if residential { 0.2 } else { 0.6 }) {
        let mut spa = BodyOfWater::new("Spa", WaterKind::Spa, sanitizer)
            .with_gallons(if residential { 450.0 } else { 1200.0 });
        spa.id = BodyOfWaterId::from(rng.uuid(joined));
        location.bodies_of_water.push(spa);
    }
    let mut access = AccessDetails::default();
    if rng.chance(if residential { 0.6 } else { 0.9 }) {
        access.gate_code = Some(Secret::new(
            format!("{:04}#", rng.below(10_000)),
            "gate_code",
        )?);
    }
    if residential && rng.chance(0.3) {
        access.pets.push(Pet::new(
            *rng.pick(&["Rex", "Bella", "Max", "Luna", "Rocky"]),
            "dog",
            *rng.pick(&[
                PetTemperament::Friendly,
                PetTemperament::Nervous,
                PetTemperament::Aggressive,
            ]),
        ));
    }
    if rng.chance(0.1) {
        access.hazards.push(
            rng.pick(&[
                "wasp nest by the pump",
                "bees in the backflow box",
                "loose pool cover",
                "scorpions under the equipment pad lid",
            ])
            .to_string(),
        );
    }
    if !residential || rng.chance(0.15) {
        // Community pools: before the swimmers; homes: while someone is in.
        let (start, end) = if residential { (8, 17) } else { (6, 10) };
        access.access_hours.push(AccessWindow {
            days: WEEKDAYS.to_vec(),
            start: NaiveTime::from_hms_opt(start, 0, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(end, 0, 0).unwrap_or_default(),
        });
    }
    location.access = access;
    let frequency = match rng.below(20) {
        0 if residential => Frequency::Monthly,
        1..=3 if residential => Frequency::Biweekly,
        _ => Frequency::Weekly,
    };
    let weekday = *rng.pick(WEEKDAYS);
    location.service_plan = Some(
        ServicePlan::new(frequency, joined.date_naive())
            .on(weekday)
            .with_technician(technicians[rng.below(technicians.len() as u64) as usize]),
    );
    let mut new = NewCustomer::new(kind, name).with_location(location);
    new.id = CustomerId::from(rng.uuid(joined));
    // Somewhere in the Phoenix valley, from the customer's id rather than
    // the company's generator, so the rest of the demo is unchanged.
    let mut place = Rng(new.id.as_uuid().as_u64_pair().1);
    new.locations[0].coordinates = Some(GeoPoint {
        latitude: place.range(33.30, 33.70),
        longitude: place.range(-112.35, -111.85),
    });
    new.status = match rng.below(40) {
        0 => LifecycleStatus::Cancelled,
        _ => LifecycleStatus::Active,
    };
    match (kind, frequency) {
        (CustomerKind::Residential, Frequency::Weekly) => {
            new.billing.rate = Some(rng.dollars(150, 195, 5));
            new.billing.rate_basis = RateBasis::Monthly;
            new.billing.terms_days = 15;
        }
        (CustomerKind::Residential, _) => {
            new.billing.rate = Some(rng.dollars(55, 85, 5));
            new.billing.rate_basis = RateBasis::PerVisit;
            new.billing.terms_days = 15;
        }
        _ => {
            new.billing.rate = Some(rng.dollars(450, 900, 25));
            new.billing.rate_basis = RateBasis::Monthly;
            new.billing.terms_days = 30;
            new.billing.address = Some(Address::new(
                format!(
                    "{} N Central Ave, Suite {}",
                    2000 + rng.below(2000),
                    100 + rng.below(400)
                ),
                "Phoenix",
                "AZ",
                "85004",
                "US",
            ));
        }
    }
    let mut preferences = Preferences::default().with_preferred_service_day(weekday);
    if rng.chance(0.4) {
        preferences = preferences
            .with_visit_notice(VisitNotice::new(
                ContactChannel::Sms,
                owner.id,
                *rng.pick(&[60, 1440]),
            ))
            .with_preferred_channel(ContactChannel::Sms);
    }
    if SPANISH.contains(&last) && rng.chance(0.5) {
        preferences = preferences.with_language("es-MX");
    }
    if rng.chance(0.1) {
        preferences = preferences.with_water_concern(*rng.pick(&[
            "eye irritation",
            "calcium scale on the tile",
            "kids swim daily",
        ]));
    }
    new.preferences = preferences;
    if rng.chance(0.3) {
        new.tags.push("autopay".into());
    }
    let snowbird = residential && frequency == Frequency::Weekly && rng.chance(0.08);
    if snowbird {
        new.tags.push("winter resident".into());
    }
    new.contacts.push(owner);
    let note = rng.chance(0.1).then(|| {
        let mut note = Note::new(new.id, "Prefers visits before noon");
        note.id = EntryId::from(rng.uuid(joined));
        note.at = joined;
        note
    });
    Ok(Setup {
        new,
        joined,
        snowbird,
        note,
    })
}

/// The water of one pool or spa, drifting between visits.
struct PoolState {
    readings: Readings,
    salt: bool,
    spa: bool,
}

impl PoolState {
    fn new(rng: &mut Rng, body: &BodyOfWater) -> Self {
        let salt = body.sanitizer == Sanitizer::Salt;
        PoolState {
            readings: Readings {
                free_chlorine: Some(rng.range(2.0, 5.0)),
                combined_chlorine: Some(0.0),
                ph: Some(rng.range(7.3, 7.7)),
                total_alkalinity: Some(rng.range(60.0, 100.0).round()),
                // Salt pools keep more stabiliser (TFP: 60–80 ppm).
                cyanuric_acid: Some(if salt {
                    rng.range(60.0, 75.0).round()
                } else {
                    rng.range(30.0, 50.0).round()
                }),
                // Phoenix tap water is hard.
                calcium_hardness: Some(rng.range(300.0, 500.0).round()),
                salt: salt.then(|| rng.range(2800.0, 3600.0).round()),
                ..Readings::default()
            },
            salt,
            spa: body.kind == WaterKind::Spa,
        }
    }
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// One visit to one pool or spa at `place` (customer, location, body of
/// water): skipped for `skip`, else tested, dosed and recorded.
fn demo_visit(
    rng: &mut Rng,
    state: &mut PoolState,
    place: (CustomerId, LocationId, BodyOfWaterId),
    technician: Option<TechnicianId>,
    at: DateTime<Utc>,
    skip: Option<SkipReason>,
) -> Visit {
    let (customer, location, body) = place;
    if let Some(reason) = skip {
        let mut visit = Visit::skipped(customer, location, at, reason);
        visit.id = EntryId::from(rng.uuid(at));
        visit.technician_id = technician;
        visit.body_of_water_id = Some(body);
        return visit;
    }
    // Desert water: about 55 °F in mid-January, 90 °F and up in late July.
    let season = (std::f64::consts::TAU * (f64::from(at.ordinal()) - 114.0) / 365.0).sin();
    let temperature = if state.spa {
        rng.range(99.0, 103.0).round()
    } else {
        (73.0 + 19.0 * season + rng.range(-2.0, 2.0)).round()
    };
    // Chlorine demand roughly doubles from winter to summer.
    let demand = 1.0 + 0.6 * season;
    let r = &mut state.readings;
    let fc = (r.free_chlorine.unwrap_or(3.0) - rng.range(0.5, 1.8) * demand).max(0.0);
    // What the technician doses up to: about 12 % of the CYA (the TFP
    // target), at least 4 ppm in a pool; a spa simply to 4–6 ppm.
    let cya = r.cyanuric_acid.unwrap_or(40.0);
    let floor = if state.spa { 3.0 } else { 0.1 * cya + 1.0 };
    let target = if state.spa {
        5.0
    } else {
        (0.12 * cya).max(4.0) + 1.0
    };
    let ph = (r.ph.unwrap_or(7.5) + rng.range(-0.05, 0.2) * if state.salt { 1.5 } else { 1.0 })
        .clamp(6.8, 8.4);
    if !state.salt && season > 0.5 {
        // Stabilised chlorine in the summer raises CYA a little each week.
        r.cyanuric_acid = r.cyanuric_acid.map(|cya| (cya + 0.5).min(80.0));
    }
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
        temperature_f: Some(temperature),
        ..*r
    };
    visit.tasks = if state.spa {
        vec!["tested".into(), "skimmed".into()]
    } else {
        vec!["skimmed".into(), "brushed".into(), "emptied baskets".into()]
    };
    if fc < floor {
        // 12.5 % chlorine: about 10 fl oz raises 10,000 gallons by 1 ppm.
        let ounces = if state.spa {
            4.0
        } else {
            ((target - fc) * 20.0).round().max(16.0)
        };
        visit.chemicals.push(ChemicalDose {
            product: "liquid chlorine 12.5%".into(),
            amount: ounces,
            unit: DoseUnit::FluidOunces,
        });
    }
    if ph > 7.7 {
        visit.chemicals.push(ChemicalDose {
            product: "muriatic acid 31.45%".into(),
            amount: if state.spa { 2.0 } else { 16.0 },
            unit: DoseUnit::FluidOunces,
        });
    }
    visit.duration_minutes = Some(if state.spa {
        5 + rng.below(5) as u32
    } else {
        15 + rng.below(25) as u32
    });
    // The water after the visit's doses, for the next visit.
    r.free_chlorine = Some(if fc < floor {
        target + rng.range(-0.5, 1.0)
    } else {
        fc
    });
    r.ph = Some(if ph > 7.7 { rng.range(7.3, 7.5) } else { ph });
    visit
}
