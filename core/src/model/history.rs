//! The customer's history: visits, the billing ledger, messages, issues,
//! notes and feedback. Every entry has a customer, optionally a location
//! (and body of water), the instant it happened, and the author who recorded it.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::ContactChannel;
use super::channel::JourneyChannel;
use crate::format_money;
use crate::model::{MeasurementMethod, Readings};
use crate::{BodyOfWaterId, ContactId, CustomerId, EntryId, LocationId, TechnicianId};

crate::text_enum! {
    /// What kind of history entry.
    pub enum EntryKind {
        /// A service visit.
        Visit = "visit",
        /// An invoice.
        Invoice = "invoice",
        /// A payment received.
        Payment = "payment",
        /// A credit or adjustment to the account.
        Credit = "credit",
        /// A message to or from the customer.
        Message = "message",
        /// An issue raised about the account.
        Issue = "issue",
        /// A free note.
        Note = "note",
        /// The customer's rating of the service.
        Feedback = "feedback",
        /// A step of the customer's journey (kept apart from the other entries).
        Touchpoint = "touchpoint",
    }
}

crate::text_enum! {
    /// How a visit ended.
    pub enum VisitOutcome {
        /// The work was done.
        Completed = "completed",
        /// The technician could not do the work (see the skip reason).
        Skipped = "skipped",
    }
}

crate::text_enum! {
    /// Why a visit was skipped.
    pub enum SkipReason {
        /// The gate was locked.
        LockedGate = "locked_gate",
        /// A dog was out in the yard.
        DogOut = "dog_out",
        /// The weather made service unsafe or pointless.
        Weather = "weather",
        /// The customer asked to skip.
        CustomerRequest = "customer_request",
        /// No way in (code wrong, key missing).
        NoAccess = "no_access",
        /// Any other reason (say which in the notes).
        Other = "other",
    }
}

crate::text_enum! {
    /// Units of a chemical dose.
    pub enum DoseUnit {
        /// US fluid ounces.
        FluidOunces = "fl_oz",
        /// US gallons.
        Gallons = "gal",
        /// Ounces by weight.
        Ounces = "oz",
        /// Pounds.
        Pounds = "lb",
        /// Tablets.
        Tablets = "tablets",
        /// Millilitres.
        Millilitres = "ml",
        /// Litres.
        Litres = "l",
        /// Grams.
        Grams = "g",
        /// Kilograms.
        Kilograms = "kg",
    }
}

/// A chemical added during a visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChemicalDose {
    /// What was added: "liquid chlorine 12.5%", "muriatic acid".
    pub product: String,
    /// How much.
    pub amount: f64,
    /// In what unit.
    pub unit: DoseUnit,
}

/// A service visit to one body of water (or to the location as a whole).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Visit {
    /// Identifier.
    pub id: EntryId,
    /// The account.
    pub customer_id: CustomerId,
    /// The property visited.
    pub location_id: LocationId,
    /// The pool or spa serviced, if the visit concerns one.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub body_of_water_id: Option<BodyOfWaterId>,
    /// Who made the visit.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub technician_id: Option<TechnicianId>,
    /// When the visit took place.
    pub at: DateTime<Utc>,
    /// Completed or skipped.
    pub outcome: VisitOutcome,
    /// Why it was skipped (required when skipped, absent when completed).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub skip_reason: Option<SkipReason>,
    /// Water test results.
    pub readings: Readings,
    /// How the water was tested.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub measured_by: Option<MeasurementMethod>,
    /// The testing device, when a device was used.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub device_id: Option<String>,
    /// Chemicals added.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub chemicals: Vec<ChemicalDose>,
    /// Tasks done: "brushed", "emptied baskets", "backwashed".
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tasks: Vec<String>,
    /// Anything else worth knowing.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub notes: Option<String>,
    /// References (URIs) to photos taken.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub photos: Vec<String>,
    /// Minutes on site.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub duration_minutes: Option<u32>,
}

impl Visit {
    /// A completed visit to `location_id` at `at`, with nothing recorded yet.
    pub fn completed(customer_id: CustomerId, location_id: LocationId, at: DateTime<Utc>) -> Self {
        Visit {
            id: EntryId::new(),
            customer_id,
            location_id,
            body_of_water_id: None,
            technician_id: None,
            at,
            outcome: VisitOutcome::Completed,
            skip_reason: None,
            readings: Readings::default(),
            measured_by: None,
            device_id: None,
            chemicals: Vec::new(),
            tasks: Vec::new(),
            notes: None,
            photos: Vec::new(),
            duration_minutes: None,
        }
    }

    /// A visit to `location_id` at `at` that was skipped for `reason`.
    pub fn skipped(
        customer_id: CustomerId,
        location_id: LocationId,
        at: DateTime<Utc>,
        reason: SkipReason,
    ) -> Self {
        Visit {
            outcome: VisitOutcome::Skipped,
            skip_reason: Some(reason),
            ..Visit::completed(customer_id, location_id, at)
        }
    }
}

/// The instant an entry dated `day` sits at in the timeline when its time is
/// not set: noon UTC of that day, which is the same calendar day everywhere
/// from UTC−11 to UTC+11.
pub fn accounting_time(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc()
}

/// Rounds money to cents, halves away from zero (0.825 → 0.83), as invoices
/// and tax authorities expect (not banker's rounding).
pub fn round_cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// One line of an invoice: quantity × unit price, with its own tax rate
/// when it has one, and the visits it bills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct InvoiceLine {
    /// What is charged for.
    pub description: String,
    /// How many.
    pub quantity: Decimal,
    /// Price of one.
    pub unit_price: Decimal,
    /// The visits this line bills (a visit's service or a dose added at it;
    /// the visits a monthly charge covers).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub visit_ids: Vec<EntryId>,
    /// This line's tax rate as a fraction (0.0825 for 8.25%); `None`: the
    /// invoice's `tax_rate`, if any, applies to it.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tax_rate: Option<Decimal>,
    /// What the line bills, so it is billed once (`visit:<id>`,
    /// `dose:<visit id>:<n>`, `month:<customer id>:2026-03`, …); set by
    /// [`crate::Book::draft_invoices`], `None` on a hand-made line.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub billing_key: Option<String>,
}

impl InvoiceLine {
    /// A line of `quantity` × `unit_price`.
    pub fn new(description: impl Into<String>, quantity: Decimal, unit_price: Decimal) -> Self {
        InvoiceLine {
            description: description.into(),
            quantity,
            unit_price,
            visit_ids: Vec::new(),
            tax_rate: None,
            billing_key: None,
        }
    }

    /// quantity × unit price, rounded to cents.
    pub fn amount(&self) -> Decimal {
        // Saturating: validation bounds both (see `MAX_MONEY`), but stored data
        // must never make a read panic.
        round_cents(self.quantity.saturating_mul(self.unit_price))
    }

    /// The tax on this line at its own rate, rounded to cents (zero when
    /// the line has no rate of its own).
    pub fn tax(&self) -> Decimal {
        self.tax_rate.map_or(Decimal::ZERO, |rate| {
            round_cents(self.amount().saturating_mul(rate))
        })
    }
}

/// An invoice: what the customer owes for a period or a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Invoice {
    /// Identifier.
    pub id: EntryId,
    /// The account billed.
    pub customer_id: CustomerId,
    /// The property it concerns, if one.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub location_id: Option<LocationId>,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// The invoice number the customer sees (unique in the book).
    pub number: String,
    /// Accounting date of the invoice.
    pub issued_on: NaiveDate,
    /// When payment is due.
    pub due_on: NaiveDate,
    /// What is charged.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub lines: Vec<InvoiceLine>,
    /// Tax rate as a fraction (0.0825 for 8.25%), if taxed.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tax_rate: Option<Decimal>,
    /// A note printed on the invoice.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub memo: Option<String>,
}

impl Invoice {
    /// An untaxed invoice numbered `number`, issued and due on the given days.
    pub fn new(
        customer_id: CustomerId,
        number: impl Into<String>,
        issued_on: NaiveDate,
        due_on: NaiveDate,
        lines: Vec<InvoiceLine>,
    ) -> Self {
        Invoice {
            id: EntryId::new(),
            customer_id,
            location_id: None,
            at: accounting_time(issued_on),
            number: number.into(),
            issued_on,
            due_on,
            lines,
            tax_rate: None,
            memo: None,
        }
    }

    /// Sum of the lines.
    pub fn subtotal(&self) -> Decimal {
        self.lines
            .iter()
            .map(InvoiceLine::amount)
            .fold(Decimal::ZERO, Decimal::saturating_add)
    }

    /// The tax: each line with its own rate taxed (and rounded) alone, plus
    /// the invoice's rate on the sum of the other lines, rounded once.
    pub fn tax(&self) -> Decimal {
        let own = self
            .lines
            .iter()
            .map(InvoiceLine::tax)
            .fold(Decimal::ZERO, Decimal::saturating_add);
        let others = self
            .lines
            .iter()
            .filter(|line| line.tax_rate.is_none())
            .map(InvoiceLine::amount)
            .fold(Decimal::ZERO, Decimal::saturating_add);
        let shared = self.tax_rate.map_or(Decimal::ZERO, |rate| {
            round_cents(others.saturating_mul(rate))
        });
        own.saturating_add(shared)
    }

    /// What the invoice asks for: subtotal plus tax.
    pub fn total(&self) -> Decimal {
        self.subtotal().saturating_add(self.tax())
    }
}

crate::text_enum! {
    /// How a payment was made.
    pub enum PaymentMethod {
        /// Cash.
        Cash = "cash",
        /// Paper check.
        Check = "check",
        /// Credit or debit card.
        Card = "card",
        /// Bank transfer (ACH).
        BankTransfer = "bank_transfer",
        /// Anything else.
        Other = "other",
    }
}

/// Part of a payment (or credit) applied to one invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Application {
    /// The invoice paid down.
    pub invoice_id: EntryId,
    /// How much of the payment goes to it.
    pub amount: Decimal,
    /// The day it was applied, when later than the payment was received
    /// (money held on account, then applied): aging before this day counts
    /// the money as unapplied and the invoice as still owing.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub applied_on: Option<NaiveDate>,
}

/// Money received from the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Payment {
    /// Identifier.
    pub id: EntryId,
    /// The account paying.
    pub customer_id: CustomerId,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// Accounting date of the payment.
    pub received_on: NaiveDate,
    /// Amount received (positive).
    pub amount: Decimal,
    /// How it was paid.
    pub method: PaymentMethod,
    /// Check number, card authorisation, transfer id.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub reference: Option<String>,
    /// Invoices it pays; what is not applied stays on account.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub applications: Vec<Application>,
    /// Where it was paid (the portal, by mail, in person); when not given,
    /// the journey reckons it from the method (card and transfer: portal,
    /// check: mail, cash: in person).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub channel: Option<JourneyChannel>,
}

impl Payment {
    /// A payment of `amount` received on `received_on`, not yet applied.
    pub fn new(
        customer_id: CustomerId,
        received_on: NaiveDate,
        amount: Decimal,
        method: PaymentMethod,
    ) -> Self {
        Payment {
            id: EntryId::new(),
            customer_id,
            at: accounting_time(received_on),
            received_on,
            amount,
            method,
            reference: None,
            applications: Vec::new(),
            channel: None,
        }
    }

    /// Applies `amount` of the payment to `invoice_id`.
    pub fn applied_to(mut self, invoice_id: EntryId, amount: Decimal) -> Self {
        self.applications.push(Application {
            invoice_id,
            amount,
            applied_on: None,
        });
        self
    }

    /// The part not applied to any invoice.
    pub fn unapplied(&self) -> Decimal {
        let applied = self
            .applications
            .iter()
            .fold(Decimal::ZERO, |sum, a| sum.saturating_add(a.amount));
        self.amount.saturating_sub(applied)
    }
}

crate::text_enum! {
    /// A credit lowers what the customer owes; an adjustment corrects it
    /// either way; a void cancels an invoice; a refund gives money back.
    pub enum CreditKind {
        /// Goodwill or refund-style credit (amount lowers the balance).
        Credit = "credit",
        /// A correction: positive raises the balance (a late fee), negative
        /// lowers it. Tied to an invoice, it changes what remains on it.
        Adjustment = "adjustment",
        /// Cancels what remains of an unpaid invoice (`invoice_id`): the
        /// invoice stays in the ledger, owing nothing; what it billed may be
        /// billed again.
        Void = "void",
        /// Money paid back to the customer from a payment (`payment_id`):
        /// raises the balance by the amount.
        Refund = "refund",
    }
}

/// A credit or adjustment to the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Credit {
    /// Identifier.
    pub id: EntryId,
    /// The account.
    pub customer_id: CustomerId,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// Accounting date.
    pub posted_on: NaiveDate,
    /// Credit or adjustment.
    pub kind: CreditKind,
    /// For a credit: the amount taken off (positive). For an adjustment: the
    /// signed change to the balance.
    pub amount: Decimal,
    /// Why.
    pub reason: String,
    /// The invoice a credit, adjustment or void is applied to, if any.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub invoice_id: Option<EntryId>,
    /// The payment a refund gives money back from.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub payment_id: Option<EntryId>,
}

impl Credit {
    /// A credit or adjustment of `amount` posted on `posted_on`.
    pub fn new(
        customer_id: CustomerId,
        posted_on: NaiveDate,
        kind: CreditKind,
        amount: Decimal,
        reason: impl Into<String>,
    ) -> Self {
        Credit {
            id: EntryId::new(),
            customer_id,
            at: accounting_time(posted_on),
            posted_on,
            kind,
            amount,
            reason: reason.into(),
            invoice_id: None,
            payment_id: None,
        }
    }

    /// The signed effect on the balance: negative lowers what is owed.
    pub fn balance_effect(&self) -> Decimal {
        match self.kind {
            CreditKind::Credit | CreditKind::Void => -self.amount,
            CreditKind::Adjustment | CreditKind::Refund => self.amount,
        }
    }
}

crate::text_enum! {
    /// Which way a message went.
    pub enum Direction {
        /// From the customer to the company.
        Inbound = "inbound",
        /// From the company to the customer.
        Outbound = "outbound",
    }
}

/// A message to or from the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Message {
    /// Identifier.
    pub id: EntryId,
    /// The account.
    pub customer_id: CustomerId,
    /// The property it concerns, if one.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub location_id: Option<LocationId>,
    /// When it was sent or received.
    pub at: DateTime<Utc>,
    /// The channel used.
    pub channel: ContactChannel,
    /// Inbound or outbound.
    pub direction: Direction,
    /// The contact it went to or came from.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contact_id: Option<ContactId>,
    /// Subject line, for email.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub subject: Option<String>,
    /// The text.
    pub body: String,
    /// The template it was written from (`payment_reminder`), if any: its
    /// journey touchpoint carries it, so funnels and experiments can tell
    /// one kind of message from another.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub template: Option<String>,
}

impl Message {
    /// A message sent or received now.
    pub fn new(
        customer_id: CustomerId,
        channel: ContactChannel,
        direction: Direction,
        body: impl Into<String>,
    ) -> Self {
        Message {
            id: EntryId::new(),
            customer_id,
            location_id: None,
            at: Utc::now(),
            channel,
            direction,
            contact_id: None,
            subject: None,
            body: body.into(),
            template: None,
        }
    }
}

crate::text_enum! {
    /// What an issue is about.
    pub enum IssueCategory {
        /// Green, cloudy or otherwise unhappy water.
        WaterQuality = "water_quality",
        /// Broken or failing equipment.
        Equipment = "equipment",
        /// A billing question or dispute.
        Billing = "billing",
        /// A complaint about the service.
        Complaint = "complaint",
        /// Damage to the property.
        Damage = "damage",
        /// Anything else.
        Other = "other",
    }
}

crate::text_enum! {
    /// Where an issue stands.
    pub enum IssueStatus {
        /// Still to be dealt with.
        Open = "open",
        /// Dealt with (see the resolution).
        Resolved = "resolved",
    }
}

/// Something that needs dealing with: a green pool, a leaking pump, a dispute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Issue {
    /// Identifier.
    pub id: EntryId,
    /// The account.
    pub customer_id: CustomerId,
    /// The property it concerns, if one.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub location_id: Option<LocationId>,
    /// The pool or spa it concerns, if one.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub body_of_water_id: Option<BodyOfWaterId>,
    /// When it was raised.
    pub at: DateTime<Utc>,
    /// What it is about.
    pub category: IssueCategory,
    /// One line saying what is wrong.
    pub summary: String,
    /// More detail.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub details: Option<String>,
    /// Open or resolved.
    pub status: IssueStatus,
    /// When it was resolved.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub resolved_at: Option<DateTime<Utc>>,
    /// How it was resolved.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub resolution: Option<String>,
}

impl Issue {
    /// An open issue raised now.
    pub fn new(
        customer_id: CustomerId,
        category: IssueCategory,
        summary: impl Into<String>,
    ) -> Self {
        Issue {
            id: EntryId::new(),
            customer_id,
            location_id: None,
            body_of_water_id: None,
            at: Utc::now(),
            category,
            summary: summary.into(),
            details: None,
            status: IssueStatus::Open,
            resolved_at: None,
            resolution: None,
        }
    }
}

/// A free note on the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Note {
    /// Identifier.
    pub id: EntryId,
    /// The account.
    pub customer_id: CustomerId,
    /// The property it concerns, if one.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub location_id: Option<LocationId>,
    /// When it was written.
    pub at: DateTime<Utc>,
    /// The note.
    pub text: String,
}

impl Note {
    /// A note written now.
    pub fn new(customer_id: CustomerId, text: impl Into<String>) -> Self {
        Note {
            id: EntryId::new(),
            customer_id,
            location_id: None,
            at: Utc::now(),
            text: text.into(),
        }
    }
}

crate::text_enum! {
    /// Where feedback came from.
    pub enum FeedbackSource {
        /// A survey sent after a visit.
        Survey = "survey",
        /// A review site (Google, Yelp).
        ReviewSite = "review_site",
        /// A support message (email, text, call).
        SupportMessage = "support_message",
        /// Said in person.
        InPerson = "in_person",
        /// Anywhere else.
        Other = "other",
    }
}

/// The customer's rating of the service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Feedback {
    /// Identifier.
    pub id: EntryId,
    /// The account.
    pub customer_id: CustomerId,
    /// When it was given.
    pub at: DateTime<Utc>,
    /// 1 (poor) to 5 (excellent).
    pub rating: u8,
    /// What the customer said.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub comment: Option<String>,
    /// The visit rated, if one.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub visit_id: Option<EntryId>,
    /// Where the feedback came from.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub source: Option<FeedbackSource>,
    /// What it is about, from the book's feedback topics
    /// ([`crate::Book::feedback_topics`]).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub topics: Vec<String>,
    /// The issue it led to, once linked ([`crate::Book::link_feedback_issue`]).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub issue_id: Option<EntryId>,
}

impl Feedback {
    /// A rating given now.
    pub fn new(customer_id: CustomerId, rating: u8) -> Self {
        Feedback {
            id: EntryId::new(),
            customer_id,
            at: Utc::now(),
            rating,
            comment: None,
            visit_id: None,
            source: None,
            topics: Vec::new(),
            issue_id: None,
        }
    }
}

/// Any history entry, for the timeline.
// A visit (with its readings) is the largest variant and also the commonest
// entry, so boxing it would cost an allocation for most entries to save
// space on the rare small ones.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "entry", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Entry {
    /// A visit.
    Visit(Visit),
    /// An invoice.
    Invoice(Invoice),
    /// A payment.
    Payment(Payment),
    /// A credit or adjustment.
    Credit(Credit),
    /// A message.
    Message(Message),
    /// An issue.
    Issue(Issue),
    /// A note.
    Note(Note),
    /// Feedback.
    Feedback(Feedback),
}

impl Entry {
    /// The entry's id.
    pub fn id(&self) -> EntryId {
        match self {
            Entry::Visit(e) => e.id,
            Entry::Invoice(e) => e.id,
            Entry::Payment(e) => e.id,
            Entry::Credit(e) => e.id,
            Entry::Message(e) => e.id,
            Entry::Issue(e) => e.id,
            Entry::Note(e) => e.id,
            Entry::Feedback(e) => e.id,
        }
    }

    /// What kind of entry it is.
    pub fn kind(&self) -> EntryKind {
        match self {
            Entry::Visit(_) => EntryKind::Visit,
            Entry::Invoice(_) => EntryKind::Invoice,
            Entry::Payment(_) => EntryKind::Payment,
            Entry::Credit(_) => EntryKind::Credit,
            Entry::Message(_) => EntryKind::Message,
            Entry::Issue(_) => EntryKind::Issue,
            Entry::Note(_) => EntryKind::Note,
            Entry::Feedback(_) => EntryKind::Feedback,
        }
    }

    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Entry::Visit(e) => e.at,
            Entry::Invoice(e) => e.at,
            Entry::Payment(e) => e.at,
            Entry::Credit(e) => e.at,
            Entry::Message(e) => e.at,
            Entry::Issue(e) => e.at,
            Entry::Note(e) => e.at,
            Entry::Feedback(e) => e.at,
        }
    }

    /// When it happened, to set.
    pub(crate) fn at_mut(&mut self) -> &mut DateTime<Utc> {
        match self {
            Entry::Visit(e) => &mut e.at,
            Entry::Invoice(e) => &mut e.at,
            Entry::Payment(e) => &mut e.at,
            Entry::Credit(e) => &mut e.at,
            Entry::Message(e) => &mut e.at,
            Entry::Issue(e) => &mut e.at,
            Entry::Note(e) => &mut e.at,
            Entry::Feedback(e) => &mut e.at,
        }
    }

    /// The account it belongs to.
    pub fn customer_id(&self) -> CustomerId {
        match self {
            Entry::Visit(e) => e.customer_id,
            Entry::Invoice(e) => e.customer_id,
            Entry::Payment(e) => e.customer_id,
            Entry::Credit(e) => e.customer_id,
            Entry::Message(e) => e.customer_id,
            Entry::Issue(e) => e.customer_id,
            Entry::Note(e) => e.customer_id,
            Entry::Feedback(e) => e.customer_id,
        }
    }

    /// The property it concerns, if one.
    pub fn location_id(&self) -> Option<LocationId> {
        match self {
            Entry::Visit(e) => Some(e.location_id),
            Entry::Invoice(e) => e.location_id,
            Entry::Message(e) => e.location_id,
            Entry::Issue(e) => e.location_id,
            Entry::Note(e) => e.location_id,
            Entry::Payment(_) | Entry::Credit(_) | Entry::Feedback(_) => None,
        }
    }
}

/// At most `max` characters of `text`, with `…` when cut.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

impl fmt::Display for Entry {
    /// One line a person reads in a history: `visit completed: FC 3 · pH 7.6`,
    /// `invoice 1042, 185.00 due 2026-11-15`, `payment of 92.50 by card`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Entry::Visit(visit) => {
                match visit.skip_reason {
                    Some(reason) => write!(f, "visit skipped ({})", reason.label())?,
                    None => write!(f, "visit completed: {}", visit.readings)?,
                }
                if !visit.chemicals.is_empty() {
                    let doses: Vec<String> = visit
                        .chemicals
                        .iter()
                        .map(|dose| {
                            format!("{} {} {}", dose.amount, dose.unit.label(), dose.product)
                        })
                        .collect();
                    write!(f, "; added {}", doses.join(", "))?;
                }
                if let Some(notes) = &visit.notes {
                    write!(f, "; {}", clip(notes, 80))?;
                }
                Ok(())
            }
            Entry::Invoice(invoice) => write!(
                f,
                "invoice {}, {} due {}",
                invoice.number,
                format_money(invoice.total()),
                invoice.due_on
            ),
            Entry::Payment(payment) => {
                write!(
                    f,
                    "payment of {} by {}",
                    format_money(payment.amount),
                    payment.method.label()
                )?;
                match payment.unapplied() {
                    unapplied if unapplied > Decimal::ZERO => {
                        write!(f, " ({} on account)", format_money(unapplied))
                    }
                    _ => Ok(()),
                }
            }
            Entry::Credit(credit) => write!(
                f,
                "{} of {}: {}",
                credit.kind.label(),
                format_money(credit.amount),
                credit.reason
            ),
            Entry::Message(message) => write!(
                f,
                "{} {}: {}",
                message.channel.label(),
                match message.direction {
                    Direction::Inbound => "in",
                    Direction::Outbound => "out",
                },
                clip(message.subject.as_deref().unwrap_or(&message.body), 80)
            ),
            Entry::Issue(issue) => write!(
                f,
                "issue ({}, {}): {}",
                issue.category.label(),
                issue.status.label(),
                issue.summary
            ),
            Entry::Note(note) => write!(f, "note: {}", clip(&note.text, 80)),
            Entry::Feedback(feedback) => {
                write!(f, "feedback {}/5", feedback.rating)?;
                match &feedback.comment {
                    Some(comment) => write!(f, ": {}", clip(comment, 80)),
                    None => Ok(()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_as_one_line_each() {
        let customer = CustomerId::new();
        let day = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let invoice = Invoice::new(
            customer,
            "1042",
            day,
            day + chrono::Duration::days(14),
            vec![InvoiceLine::new(
                "Weekly service",
                Decimal::ONE,
                Decimal::new(185, 0),
            )],
        );
        assert_eq!(
            Entry::Invoice(invoice.clone()).to_string(),
            "invoice 1042, 185.00 due 2026-11-15"
        );
        let payment = Payment::new(
            customer,
            day,
            Decimal::new(200, 0),
            PaymentMethod::BankTransfer,
        )
        .applied_to(invoice.id, Decimal::new(185, 0));
        assert_eq!(
            Entry::Payment(payment).to_string(),
            "payment of 200.00 by bank transfer (15.00 on account)"
        );
        let mut visit = Visit::completed(
            customer,
            LocationId::new(),
            day.and_hms_opt(9, 0, 0).unwrap().and_utc(),
        );
        visit.readings.free_chlorine = Some(3.0);
        visit.readings.ph = Some(7.6);
        visit.readings.temperature_f = Some(82.0);
        assert_eq!(
            Entry::Visit(visit.clone()).to_string(),
            "visit completed: FC 3 · pH 7.6 · 82 °F"
        );
        let skipped = Visit::skipped(
            customer,
            LocationId::new(),
            visit.at,
            SkipReason::LockedGate,
        );
        assert_eq!(
            Entry::Visit(skipped).to_string(),
            "visit skipped (locked gate)"
        );
        let mut note = Note::new(customer, "x".repeat(100));
        note.at = visit.at;
        assert_eq!(
            Entry::Note(note).to_string(),
            format!("note: {}…", "x".repeat(80))
        );
    }

    #[test]
    fn dated_entries_sit_at_their_accounting_date_in_the_timeline() {
        let customer = CustomerId::new();
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let noon = day.and_hms_opt(12, 0, 0).unwrap().and_utc();
        let invoice = Invoice::new(customer, "1001", day, day, Vec::new());
        let payment = Payment::new(customer, day, Decimal::ONE, PaymentMethod::Check);
        let credit = Credit::new(customer, day, CreditKind::Credit, Decimal::ONE, "goodwill");
        assert_eq!((invoice.at, payment.at, credit.at), (noon, noon, noon));
    }
}
