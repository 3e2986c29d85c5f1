//! Recording and reading the customer's history: visits with readings, the
//! billing ledger, messages, issues, notes and feedback. Each entry is checked
//! against the record it belongs to (the location is the customer's, the pool
//! is at the location) and written with its change-log row in one transaction.

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

use crate::book::{Book, now};
use crate::domain::changes;
use crate::domain::chemistry::{
    CsiMethod, ReadingFlag, SaturationIndex, TargetProfile, best_profile, flag_readings,
    saturation_index,
};
use crate::domain::ledger::{Aging, InvoiceBalance, Ledger, Statement};
use crate::domain::validate::{Problems, optional_text, required_text};
use crate::model::{
    BodyOfWater, ChangeAction, Credit, Customer, Entry, EntryKind, EntryQuery, Feedback, Invoice,
    Issue, IssueStatus, Message, NewChange, Note, Payment, Readings, StoredEntry, Visit,
    VisitOutcome,
};
use crate::store::{Write, WriteBatch};
use crate::{Author, BodyOfWaterId, CustomerId, EntityKind, EntryId, Error, Result};

/// Longest free text accepted in a note, message body, visit notes or resolution.
pub const MAX_NOTE_CHARS: usize = 10_000;

/// Longest visit accepted, in minutes.
pub const MAX_VISIT_MINUTES: u32 = 24 * 60;

/// One visit's readings in a body of water's series (for trend charts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReadingPoint {
    /// When the water was tested.
    pub at: DateTime<Utc>,
    /// The visit.
    pub visit_id: EntryId,
    /// What was measured.
    pub readings: Readings,
    /// The saturation index (default method), when the readings allow it.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub saturation_index: Option<f64>,
}

/// A visit's water judged: its saturation index, and each reading against
/// the target profile of the pool or spa it was taken from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct WaterAssessment {
    /// The visit.
    pub visit_id: EntryId,
    /// When the water was tested.
    pub at: DateTime<Utc>,
    /// What was measured.
    pub readings: Readings,
    /// The saturation index, with the method that made it.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub saturation_index: Option<SaturationIndex>,
    /// Why there is no saturation index ("cannot compute …: needs …").
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub saturation_note: Option<String>,
    /// The target profile the readings were judged by, if one fits the body of water.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub profile: Option<String>,
    /// Each reading judged low, ok or high.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub flags: Vec<ReadingFlag>,
}

impl WaterAssessment {
    /// Judges `visit`'s readings from `body` by the best-fitting of `profiles`.
    pub(crate) fn of(
        visit: &Visit,
        body: &BodyOfWater,
        profiles: &[TargetProfile],
        method: CsiMethod,
    ) -> Self {
        let (index, note) = match saturation_index(&visit.readings, method) {
            Ok(index) => (Some(index), None),
            Err(cannot) => (None, Some(cannot.to_string())),
        };
        let profile = best_profile(profiles, body.kind, body.sanitizer, body.surface);
        WaterAssessment {
            visit_id: visit.id,
            at: visit.at,
            readings: visit.readings,
            flags: profile
                .as_ref()
                .map(|p| flag_readings(p, &visit.readings, index))
                .unwrap_or_default(),
            saturation_index: index,
            saturation_note: note,
            profile: profile.map(|p| p.name.clone()),
        }
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Judges a visit's readings: the saturation index by `method`, and each
    /// reading low / ok / high against the pool's target profile.
    pub fn assess_visit(&self, visit_id: EntryId, method: CsiMethod) -> Result<WaterAssessment> {
        let Entry::Visit(visit) = self.entry(visit_id)?.entry else {
            return Err(Error::invalid("visit_id", "is not a visit"));
        };
        let Some(body_id) = visit.body_of_water_id else {
            return Err(Error::invalid(
                "visit_id",
                "the visit names no body of water to judge its readings by",
            ));
        };
        let owner = self
            .store
            .location_owner(visit.location_id)?
            .ok_or_else(|| Error::not_found(EntityKind::Location, visit.location_id))?;
        let customer = self.customer(owner)?;
        let body = customer
            .location(visit.location_id)
            .and_then(|location| location.bodies_of_water.iter().find(|b| b.id == body_id))
            .ok_or_else(|| Error::invalid("visit_id", "its body of water is archived"))?;
        Ok(WaterAssessment::of(
            &visit,
            body,
            &self.target_profiles()?,
            method,
        ))
    }

    /// Records a visit: completed (with readings, doses, tasks) or skipped
    /// with a reason. Readings outside physical bounds are refused.
    pub fn record_visit(&self, visit: Visit, author: &Author) -> Result<Visit> {
        let mut visit = visit;
        visit.at = visit.at.trunc_subsecs(6);
        let customer = self.live_customer(visit.customer_id)?;
        let mut problems = Problems::default();
        problems.check(check_place(
            &customer,
            Some(visit.location_id),
            visit.body_of_water_id,
        ));
        let pools_here = customer
            .location(visit.location_id)
            .map_or(0, |location| location.bodies_of_water.len());
        if visit.body_of_water_id.is_none() && !visit.readings.is_empty() && pools_here > 1 {
            problems.add(
                "body_of_water_id",
                format!(
                    "the location has {pools_here} bodies of water; say which one the readings are from"
                ),
            );
        }
        if let Some(technician) = visit.technician_id
            && self.store.technician(technician)?.is_none()
        {
            problems.add("technician_id", "names no technician in this book");
        }
        match (visit.outcome, visit.skip_reason) {
            (VisitOutcome::Skipped, None) => {
                problems.add("skip_reason", "a skipped visit needs a reason");
            }
            (VisitOutcome::Completed, Some(_)) => {
                problems.add("skip_reason", "a completed visit has no skip reason");
            }
            _ => {}
        }
        problems.check(visit.readings.check());
        for (index, dose) in visit.chemicals.iter_mut().enumerate() {
            problems.check(required_text(
                &mut dose.product,
                &format!("chemicals[{index}].product"),
                200,
            ));
            if !dose.amount.is_finite() || dose.amount <= 0.0 {
                problems.add(
                    format!("chemicals[{index}].amount"),
                    "must be a positive amount",
                );
            }
        }
        for (index, task) in visit.tasks.iter_mut().enumerate() {
            problems.check(required_text(task, &format!("tasks[{index}]"), 200));
        }
        for (index, photo) in visit.photos.iter().enumerate() {
            let scheme = photo.split_once(':').map(|(scheme, _)| scheme);
            if !scheme.is_some_and(|s| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
            }) {
                problems.add(
                    format!("photos[{index}]"),
                    "must be a URI such as https://… or file:…",
                );
            }
        }
        if visit
            .duration_minutes
            .is_some_and(|minutes| minutes == 0 || minutes > MAX_VISIT_MINUTES)
        {
            problems.add(
                "duration_minutes",
                format!("must be between 1 and {MAX_VISIT_MINUTES} minutes"),
            );
        }
        problems.check(optional_text(&mut visit.notes, "notes", MAX_NOTE_CHARS));
        problems.check(optional_text(&mut visit.device_id, "device_id", 100));
        problems.finish()?;
        self.insert_entry(Entry::Visit(visit.clone()), author)?;
        Ok(visit)
    }

    /// Adds an invoice. Its number must be unique in the book.
    pub fn add_invoice(&self, invoice: Invoice, author: &Author) -> Result<Invoice> {
        let mut invoice = invoice;
        invoice.at = invoice.at.trunc_subsecs(6);
        invoice.number = invoice.number.trim().to_owned();
        let customer = self.live_customer(invoice.customer_id)?;
        let mut problems = Problems::default();
        problems.check(check_place(&customer, invoice.location_id, None));
        problems.check(crate::domain::ledger::check_invoice(&invoice));
        problems.finish()?;
        self.insert_entry(Entry::Invoice(invoice.clone()), author)?;
        Ok(invoice)
    }

    /// Records a payment, applied to invoices or (in part) left on account.
    pub fn record_payment(&self, payment: Payment, author: &Author) -> Result<Payment> {
        let mut payment = payment;
        payment.at = payment.at.trunc_subsecs(6);
        self.live_customer(payment.customer_id)?;
        let balances = self.ledger(payment.customer_id)?.invoice_balances();
        let mut problems = Problems::default();
        problems.check(optional_text(&mut payment.reference, "reference", 100));
        problems.check(crate::domain::ledger::check_payment(&payment, &balances));
        problems.finish()?;
        self.insert_entry(Entry::Payment(payment.clone()), author)?;
        Ok(payment)
    }

    /// Adds a credit or an adjustment.
    pub fn add_credit(&self, credit: Credit, author: &Author) -> Result<Credit> {
        let mut credit = credit;
        credit.at = credit.at.trunc_subsecs(6);
        self.live_customer(credit.customer_id)?;
        let balances = self.ledger(credit.customer_id)?.invoice_balances();
        crate::domain::ledger::check_credit(&credit, &balances)?;
        self.insert_entry(Entry::Credit(credit.clone()), author)?;
        Ok(credit)
    }

    /// Records a message to or from the customer.
    pub fn record_message(&self, message: Message, author: &Author) -> Result<Message> {
        let mut message = message;
        message.at = message.at.trunc_subsecs(6);
        let customer = self.live_customer(message.customer_id)?;
        let mut problems = Problems::default();
        problems.check(check_place(&customer, message.location_id, None));
        if let Some(contact) = message.contact_id
            && customer.contact(contact).is_none()
        {
            problems.add("contact_id", "names no contact on this account");
        }
        problems.check(optional_text(&mut message.subject, "subject", 500));
        problems.check(required_text(&mut message.body, "body", MAX_NOTE_CHARS));
        problems.finish()?;
        self.insert_entry(Entry::Message(message.clone()), author)?;
        Ok(message)
    }

    /// Opens an issue.
    pub fn open_issue(&self, issue: Issue, author: &Author) -> Result<Issue> {
        let mut issue = issue;
        issue.at = issue.at.trunc_subsecs(6);
        let customer = self.live_customer(issue.customer_id)?;
        let mut problems = Problems::default();
        problems.check(check_place(
            &customer,
            issue.location_id,
            issue.body_of_water_id,
        ));
        if issue.status != IssueStatus::Open
            || issue.resolved_at.is_some()
            || issue.resolution.is_some()
        {
            problems.add(
                "status",
                "a new issue is open; resolve it with resolve_issue",
            );
        }
        problems.check(required_text(&mut issue.summary, "summary", 500));
        problems.check(optional_text(&mut issue.details, "details", MAX_NOTE_CHARS));
        problems.finish()?;
        self.insert_entry(Entry::Issue(issue.clone()), author)?;
        Ok(issue)
    }

    /// Resolves an open issue, saying how.
    pub fn resolve_issue(&self, id: EntryId, resolution: &str, author: &Author) -> Result<Issue> {
        author.check()?;
        let stored = self.entry(id)?;
        let Entry::Issue(before) = stored.entry else {
            return Err(Error::invalid("id", "is not an issue"));
        };
        if before.status == IssueStatus::Resolved {
            return Err(Error::invalid("status", "the issue is already resolved"));
        }
        let mut after = before.clone();
        after.status = IssueStatus::Resolved;
        after.resolved_at = Some(now());
        let mut resolution = resolution.to_owned();
        required_text(&mut resolution, "resolution", MAX_NOTE_CHARS)?;
        after.resolution = Some(resolution);
        let changes = entry_changes(&Entry::Issue(before), &Entry::Issue(after.clone()));
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes: vec![Write::UpdateEntry(Entry::Issue(after.clone()))],
            changes: vec![changes],
        })?;
        Ok(after)
    }

    /// Adds a note to the account.
    pub fn add_note(&self, note: Note, author: &Author) -> Result<Note> {
        let mut note = note;
        note.at = note.at.trunc_subsecs(6);
        let customer = self.live_customer(note.customer_id)?;
        let mut problems = Problems::default();
        problems.check(check_place(&customer, note.location_id, None));
        problems.check(required_text(&mut note.text, "text", MAX_NOTE_CHARS));
        problems.finish()?;
        self.insert_entry(Entry::Note(note.clone()), author)?;
        Ok(note)
    }

    /// Records the customer's rating (1–5) of the service or of one visit.
    pub fn record_feedback(&self, feedback: Feedback, author: &Author) -> Result<Feedback> {
        let mut feedback = feedback;
        feedback.at = feedback.at.trunc_subsecs(6);
        self.live_customer(feedback.customer_id)?;
        let mut problems = Problems::default();
        if !(1..=5).contains(&feedback.rating) {
            problems.add("rating", "must be from 1 to 5");
        }
        if let Some(visit) = feedback.visit_id {
            match self.store.entry(visit)? {
                None => problems.add("visit_id", "names no visit"),
                Some(stored)
                    if stored.entry.kind() != EntryKind::Visit
                        || stored.entry.customer_id() != feedback.customer_id =>
                {
                    problems.add("visit_id", "names no visit of this customer");
                }
                Some(_) => {}
            }
        }
        problems.check(optional_text(
            &mut feedback.comment,
            "comment",
            MAX_NOTE_CHARS,
        ));
        problems.finish()?;
        self.insert_entry(Entry::Feedback(feedback.clone()), author)?;
        Ok(feedback)
    }

    /// A history entry by id, with who recorded it.
    pub fn entry(&self, id: EntryId) -> Result<StoredEntry> {
        self.store
            .entry(id)?
            .ok_or_else(|| Error::not_found(EntityKind::Entry, id))
    }

    /// Archives an entry recorded in error: it leaves the timeline, the
    /// ledger and the series, and can be restored.
    pub fn archive_entry(&self, id: EntryId, author: &Author) -> Result<StoredEntry> {
        self.set_entry_archived(id, true, author)
    }

    /// Brings an archived entry back.
    pub fn restore_entry(&self, id: EntryId, author: &Author) -> Result<StoredEntry> {
        self.set_entry_archived(id, false, author)
    }

    /// A body of water's readings over time, oldest first, from completed
    /// visits in `[since, until)`; each point carries its saturation index.
    pub fn readings_series(
        &self,
        body_of_water_id: BodyOfWaterId,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<ReadingPoint>> {
        let visits = self.store.entries(&EntryQuery {
            body_of_water_id: Some(body_of_water_id),
            kinds: vec![EntryKind::Visit],
            status: Some(VisitOutcome::Completed.as_str().to_owned()),
            since,
            until,
            ..EntryQuery::default()
        })?;
        Ok(visits
            .into_iter()
            .filter_map(|stored| match stored.entry {
                Entry::Visit(visit) if !visit.readings.is_empty() => Some(ReadingPoint {
                    at: visit.at,
                    visit_id: visit.id,
                    saturation_index: saturation_index(&visit.readings, CsiMethod::default())
                        .ok()
                        .map(|index| index.value),
                    readings: visit.readings,
                }),
                _ => None,
            })
            .collect())
    }

    /// The customer's ledger: invoices, payments and credits (archived ones left out).
    pub fn ledger(&self, customer_id: CustomerId) -> Result<Ledger> {
        self.customer(customer_id)?;
        let entries = self.store.entries(&EntryQuery {
            customer_id: Some(customer_id),
            kinds: vec![EntryKind::Invoice, EntryKind::Payment, EntryKind::Credit],
            ..EntryQuery::default()
        })?;
        let (mut invoices, mut payments, mut credits) = (Vec::new(), Vec::new(), Vec::new());
        for stored in entries {
            match stored.entry {
                Entry::Invoice(invoice) => invoices.push(invoice),
                Entry::Payment(payment) => payments.push(payment),
                Entry::Credit(credit) => credits.push(credit),
                _ => {}
            }
        }
        Ok(Ledger::new(invoices, payments, credits))
    }

    /// What the customer owes now (derived from the ledger).
    pub fn balance(&self, customer_id: CustomerId) -> Result<rust_decimal::Decimal> {
        Ok(self.ledger(customer_id)?.balance())
    }

    /// Each invoice with what has been paid and credited, and what remains.
    pub fn invoice_balances(&self, customer_id: CustomerId) -> Result<Vec<InvoiceBalance>> {
        Ok(self.ledger(customer_id)?.invoice_balances())
    }

    /// A statement for `[from, to]`: opening balance, entries, closing balance.
    pub fn statement(
        &self,
        customer_id: CustomerId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Statement> {
        self.ledger(customer_id)?.statement(from, to)
    }

    /// What the customer owes by age (current, 1–30, 31–60, 61–90, over 90 days past due).
    pub fn aging(&self, customer_id: CustomerId, as_of: NaiveDate) -> Result<Aging> {
        Ok(self.ledger(customer_id)?.aging(as_of))
    }
}

impl Book {
    fn set_entry_archived(
        &self,
        id: EntryId,
        archive: bool,
        author: &Author,
    ) -> Result<StoredEntry> {
        author.check()?;
        let mut stored = self.entry(id)?;
        if stored.archived_at.is_some() == archive {
            return Err(Error::invalid(
                "archived_at",
                if archive {
                    "the entry is already archived"
                } else {
                    "the entry is not archived"
                },
            ));
        }
        let at = now();
        stored.archived_at = archive.then_some(at);
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at,
            writes: vec![Write::SetEntryArchived {
                id,
                archived_at: stored.archived_at,
            }],
            changes: vec![NewChange {
                entity: EntityKind::Entry,
                entity_id: id.to_string(),
                customer_id: Some(stored.entry.customer_id()),
                action: if archive {
                    ChangeAction::Archived
                } else {
                    ChangeAction::Restored
                },
                changes: Vec::new(),
            }],
        })?;
        Ok(stored)
    }

    fn insert_entry(&self, entry: Entry, author: &Author) -> Result<()> {
        author.check()?;
        let created = changes::to_map(&entry);
        let change = NewChange {
            entity: EntityKind::Entry,
            entity_id: entry.id().to_string(),
            customer_id: Some(entry.customer_id()),
            action: ChangeAction::Created,
            changes: changes::field_changes(None, Some(&created)),
        };
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes: vec![Write::InsertEntry(entry)],
            changes: vec![change],
        })?;
        Ok(())
    }

    /// The customer, provided it exists and is not archived.
    fn live_customer(&self, id: CustomerId) -> Result<Customer> {
        let customer = self
            .customer(id)
            .map_err(|_| Error::invalid("customer_id", "names no customer in this book"))?;
        if customer.archived_at.is_some() {
            return Err(Error::invalid(
                "customer_id",
                "the customer is archived; restore it before adding to its history",
            ));
        }
        Ok(customer)
    }
}

fn entry_changes(before: &Entry, after: &Entry) -> NewChange {
    NewChange {
        entity: EntityKind::Entry,
        entity_id: after.id().to_string(),
        customer_id: Some(after.customer_id()),
        action: ChangeAction::Updated,
        changes: changes::field_changes(
            Some(&changes::to_map(before)),
            Some(&changes::to_map(after)),
        ),
    }
}

/// The location belongs to the customer now, and the body of water is at it.
fn check_place(
    customer: &Customer,
    location: Option<crate::LocationId>,
    body: Option<BodyOfWaterId>,
) -> Result<()> {
    let Some(location_id) = location else {
        if body.is_some() {
            return Err(Error::invalid(
                "body_of_water_id",
                "needs the location it is at",
            ));
        }
        return Ok(());
    };
    let Some(location) = customer.location(location_id) else {
        return Err(Error::invalid(
            "location_id",
            "is not a live location of this customer",
        ));
    };
    if let Some(body_id) = body
        && !location.bodies_of_water.iter().any(|b| b.id == body_id)
    {
        return Err(Error::invalid(
            "body_of_water_id",
            "is not at this location",
        ));
    }
    Ok(())
}
