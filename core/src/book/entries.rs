//! Adding to the customer's history: visits, invoices, payments, credits,
//! messages, issues, notes and feedback, one at a time or many in one
//! transaction ([`Book::record_entries`]). Every entry is checked by one
//! [`EntryChecker`] against the record it belongs to (the location is the
//! customer's, the pool is at the location, the invoice a payment pays is
//! the customer's and has that much remaining), seeing the entries before it
//! in the same batch.

use std::collections::{HashMap, HashSet};

use crate::book::{Book, MAX_NOTE_CHARS, MAX_VISIT_MINUTES, now};
use crate::domain::changes;
use crate::domain::journey::normalize_action;
use crate::domain::ledger::{Ledger, check_credit, check_invoice, check_payment};
use crate::domain::limits::{self, MAX_LIST_ITEMS};
use crate::domain::validate::{Problems, optional_text, required_text};
use crate::model::{
    ChangeAction, Credit, CreditKind, Customer, Entry, EntryKind, Feedback, Invoice, Issue,
    IssueStatus, LifecycleStatus, Message, NewChange, Note, Payment, Visit, VisitOutcome,
};
use crate::store::{Write, WriteBatch};
use crate::{Author, BodyOfWaterId, CustomerId, EntityKind, EntryId, Error, Result, TechnicianId};

/// Most entries recorded in one call.
pub const MAX_ENTRY_BATCH: usize = 10_000;

/// The longest photo URI a visit keeps.
pub const MAX_PHOTO_URI_CHARS: usize = 2048;

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Records many history entries in one transaction: every entry is
    /// checked first (later entries see earlier ones: a payment may pay an
    /// invoice of the same batch), and one bad entry refuses the whole batch
    /// naming its index (`entries[3].readings.ph`), the book unchanged. Each
    /// entry gets its change-log row, as if recorded alone.
    pub fn record_entries(&self, entries: Vec<Entry>, author: &Author) -> Result<Vec<Entry>> {
        if entries.len() > MAX_ENTRY_BATCH {
            return Err(Error::invalid(
                "entries",
                format!("record at most {MAX_ENTRY_BATCH} in one call"),
            ));
        }
        let mut checker = EntryChecker::new(self);
        checker.prefetch(&entries)?;
        let mut checked = Vec::with_capacity(entries.len());
        for (index, mut entry) in entries.into_iter().enumerate() {
            checker
                .check(&mut entry)
                .map_err(|error| error.within(&format!("entries[{index}]")))?;
            checked.push(entry);
        }
        self.insert_entries(&checked, &checker, author)?;
        Ok(checked)
    }

    /// Records a visit: completed (with readings, doses, tasks) or skipped
    /// with a reason. Readings outside physical bounds are refused.
    pub fn record_visit(&self, visit: Visit, author: &Author) -> Result<Visit> {
        match self.record_one(Entry::Visit(visit), author)? {
            Entry::Visit(visit) => Ok(visit),
            _ => unreachable_kind(),
        }
    }

    /// Adds an invoice. Its number must be unique in the book.
    pub fn add_invoice(&self, invoice: Invoice, author: &Author) -> Result<Invoice> {
        match self.record_one(Entry::Invoice(invoice), author)? {
            Entry::Invoice(invoice) => Ok(invoice),
            _ => unreachable_kind(),
        }
    }

    /// Records a payment, applied to invoices or (in part) left on account.
    pub fn record_payment(&self, payment: Payment, author: &Author) -> Result<Payment> {
        match self.record_one(Entry::Payment(payment), author)? {
            Entry::Payment(payment) => Ok(payment),
            _ => unreachable_kind(),
        }
    }

    /// Adds a credit or an adjustment.
    pub fn add_credit(&self, credit: Credit, author: &Author) -> Result<Credit> {
        match self.record_one(Entry::Credit(credit), author)? {
            Entry::Credit(credit) => Ok(credit),
            _ => unreachable_kind(),
        }
    }

    /// Records a message to or from the customer.
    pub fn record_message(&self, message: Message, author: &Author) -> Result<Message> {
        match self.record_one(Entry::Message(message), author)? {
            Entry::Message(message) => Ok(message),
            _ => unreachable_kind(),
        }
    }

    /// Opens an issue.
    pub fn open_issue(&self, issue: Issue, author: &Author) -> Result<Issue> {
        match self.record_one(Entry::Issue(issue), author)? {
            Entry::Issue(issue) => Ok(issue),
            _ => unreachable_kind(),
        }
    }

    /// Adds a note to the account.
    pub fn add_note(&self, note: Note, author: &Author) -> Result<Note> {
        match self.record_one(Entry::Note(note), author)? {
            Entry::Note(note) => Ok(note),
            _ => unreachable_kind(),
        }
    }

    /// Records the customer's rating (1–5) of the service or of one visit.
    pub fn record_feedback(&self, feedback: Feedback, author: &Author) -> Result<Feedback> {
        match self.record_one(Entry::Feedback(feedback), author)? {
            Entry::Feedback(feedback) => Ok(feedback),
            _ => unreachable_kind(),
        }
    }
}

/// A checked entry comes back as the kind it went in as; anything else is a
/// bug in this file, reported rather than panicking.
fn unreachable_kind<T>() -> Result<T> {
    Err(Error::invalid(
        "entry",
        "came back as another kind of entry (a poolbook bug)",
    ))
}

impl Book {
    /// Checks and stores one entry; errors name its fields unprefixed.
    fn record_one(&self, mut entry: Entry, author: &Author) -> Result<Entry> {
        let mut checker = EntryChecker::new(self);
        checker.check(&mut entry)?;
        self.insert_entries(std::slice::from_ref(&entry), &checker, author)?;
        Ok(entry)
    }

    /// Writes checked entries, the journey touchpoints of their operations
    /// and their change-log rows in one transaction.
    fn insert_entries(
        &self,
        entries: &[Entry],
        checker: &EntryChecker<'_>,
        author: &Author,
    ) -> Result<()> {
        author.check()?;
        if entries.is_empty() {
            return Ok(());
        }
        let changes = entries
            .iter()
            .map(|entry| NewChange {
                entity: EntityKind::Entry,
                entity_id: entry.id().to_string(),
                customer_id: Some(entry.customer_id()),
                action: ChangeAction::Created,
                changes: changes::field_changes(None, Some(&changes::to_map(entry))),
            })
            .collect();
        let touchpoints = self.entry_operations(
            entries,
            &|customer| {
                checker
                    .customers
                    .get(&customer)
                    .is_some_and(|c| c.status == LifecycleStatus::Lead)
            },
            author,
        )?;
        let mut writes: Vec<Write> = entries.iter().cloned().map(Write::InsertEntry).collect();
        writes.push(Write::InsertTouchpoints(touchpoints));
        // A void frees what its invoice billed, to be billed again.
        writes.extend(entries.iter().filter_map(|entry| {
            match entry {
                Entry::Credit(credit) if credit.kind == CreditKind::Void => credit
                    .invoice_id
                    .map(|invoice_id| Write::ReleaseBilled { invoice_id }),
                _ => None,
            }
        }));
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes,
            changes,
        })?;
        Ok(())
    }
}

/// The largest amount of one chemical dose, in its unit.
const MAX_DOSE: f64 = 1_000_000.0;

/// Customers read per query when a batch's customers are read ahead.
const PREFETCH_CHUNK: usize = 500;

/// Checks new history entries against the book, loading each customer and
/// ledger once, and remembering the entries it has passed so later entries
/// of the same batch can refer to them.
pub(crate) struct EntryChecker<'a> {
    book: &'a Book,
    customers: HashMap<CustomerId, Customer>,
    ledgers: HashMap<CustomerId, Ledger>,
    /// Ledger entries of this batch for customers whose ledger is not read yet.
    pending: HashMap<CustomerId, Vec<Entry>>,
    technicians: HashMap<TechnicianId, bool>,
    /// Entries passed so far: kind and customer.
    passed: HashMap<EntryId, (EntryKind, CustomerId)>,
    invoice_numbers: HashSet<String>,
    /// The book's feedback topics, once a feedback entry needs them.
    topics: Option<Vec<String>>,
}

impl<'a> EntryChecker<'a> {
    pub(crate) fn new(book: &'a Book) -> Self {
        EntryChecker {
            book,
            customers: HashMap::new(),
            ledgers: HashMap::new(),
            pending: HashMap::new(),
            technicians: HashMap::new(),
            passed: HashMap::new(),
            invoice_numbers: HashSet::new(),
            topics: None,
        }
    }

    /// Normalises and checks `entry`, reporting every problem at once, and
    /// remembers it for the entries after it.
    pub(crate) fn check(&mut self, entry: &mut Entry) -> Result<()> {
        let customer_id = entry.customer_id();
        self.load(customer_id)?;
        let mut problems = Problems::default();
        if self.passed.contains_key(&entry.id()) {
            problems.add("id", "is used by an earlier entry of this batch");
        }
        let at = entry.at_mut();
        match limits::instant(*at, "at") {
            Ok(stored) => *at = stored,
            Err(error) => problems.check(Err(error)),
        }
        match entry {
            Entry::Visit(visit) => self.visit(visit, &mut problems)?,
            Entry::Invoice(invoice) => self.invoice(invoice, &mut problems),
            Entry::Payment(payment) => {
                problems.check(optional_text(&mut payment.reference, "reference", 100));
                let balances = self.ledger(customer_id)?.invoice_balances();
                problems.check(check_payment(payment, &balances));
            }
            Entry::Credit(credit) => {
                let ledger = self.ledger(customer_id)?;
                problems.check(check_credit(credit, &ledger.invoice_balances()));
                problems.check(ledger.check_refund(credit));
            }
            Entry::Message(message) => {
                let customer = self.customer(customer_id)?;
                problems.check(check_place(customer, message.location_id, None));
                if let Some(contact) = message.contact_id
                    && customer.contact(contact).is_none()
                {
                    problems.add("contact_id", "names no contact on this account");
                }
                problems.check(optional_text(&mut message.subject, "subject", 500));
                if let Some(template) = message.template.take() {
                    match normalize_action(&template, "template") {
                        Ok(name) => message.template = Some(name),
                        Err(error) => {
                            message.template = Some(template);
                            problems.check(Err(error));
                        }
                    }
                }
                problems.check(required_text(&mut message.body, "body", MAX_NOTE_CHARS));
            }
            Entry::Issue(issue) => {
                let customer = self.customer(customer_id)?;
                problems.check(check_place(
                    customer,
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
            }
            Entry::Note(note) => {
                let customer = self.customer(customer_id)?;
                problems.check(check_place(customer, note.location_id, None));
                problems.check(required_text(&mut note.text, "text", MAX_NOTE_CHARS));
            }
            Entry::Feedback(feedback) => self.feedback(feedback, &mut problems)?,
        }
        problems.finish()?;
        self.pass(entry);
        Ok(())
    }

    fn visit(&mut self, visit: &mut Visit, problems: &mut Problems) -> Result<()> {
        let customer = self.customer(visit.customer_id)?;
        problems.check(check_place(
            customer,
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
            && !self.technician_exists(technician)?
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
        problems.check(limits::items(&visit.chemicals, MAX_LIST_ITEMS, "chemicals"));
        problems.check(limits::items(&visit.tasks, MAX_LIST_ITEMS, "tasks"));
        problems.check(limits::items(&visit.photos, MAX_LIST_ITEMS, "photos"));
        for (index, dose) in visit.chemicals.iter_mut().enumerate() {
            problems.check(required_text(
                &mut dose.product,
                &format!("chemicals[{index}].product"),
                200,
            ));
            if !dose.amount.is_finite() || dose.amount <= 0.0 || dose.amount > MAX_DOSE {
                problems.add(
                    format!("chemicals[{index}].amount"),
                    format!("must be a positive amount, at most {MAX_DOSE}"),
                );
            }
        }
        for (index, task) in visit.tasks.iter_mut().enumerate() {
            problems.check(required_text(task, &format!("tasks[{index}]"), 200));
        }
        for (index, photo) in visit.photos.iter().enumerate() {
            if photo.chars().count() > MAX_PHOTO_URI_CHARS {
                problems.add(
                    format!("photos[{index}]"),
                    format!("is longer than {MAX_PHOTO_URI_CHARS} characters"),
                );
                continue;
            }
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
        Ok(())
    }

    fn invoice(&mut self, invoice: &mut Invoice, problems: &mut Problems) {
        invoice.number = invoice.number.trim().to_owned();
        if let Some(customer) = self.customers.get(&invoice.customer_id) {
            problems.check(check_place(customer, invoice.location_id, None));
        }
        problems.check(check_invoice(invoice));
        problems.check(optional_text(&mut invoice.memo, "memo", MAX_NOTE_CHARS));
        if self.invoice_numbers.contains(&invoice.number) {
            problems.add("number", "is used by an earlier invoice of this batch");
        }
    }

    fn feedback(&mut self, feedback: &mut Feedback, problems: &mut Problems) -> Result<()> {
        if !(1..=5).contains(&feedback.rating) {
            problems.add("rating", "must be from 1 to 5");
        }
        if !feedback.topics.is_empty() {
            if self.topics.is_none() {
                self.topics = Some(self.book.feedback_topics()?);
            }
            let known = self.topics.as_deref().unwrap_or_default();
            problems.check(limits::items(&feedback.topics, MAX_LIST_ITEMS, "topics"));
            let mut topics = Vec::new();
            for (index, topic) in feedback.topics.iter().enumerate() {
                let field = format!("topics[{index}]");
                match normalize_action(topic, &field) {
                    Ok(name) if known.contains(&name) => {
                        if !topics.contains(&name) {
                            topics.push(name);
                        }
                    }
                    Ok(name) => problems.add(
                        field,
                        format!(
                            "'{name}' is not one of the book's feedback topics ({}); \
                             add it with set_feedback_topics",
                            known.join(", ")
                        ),
                    ),
                    Err(error) => problems.check(Err(error)),
                }
            }
            feedback.topics = topics;
        }
        if let Some(issue) = feedback.issue_id {
            let found = match self.passed.get(&issue) {
                Some(&(kind, customer)) => Some((kind, customer)),
                None => self
                    .book
                    .store
                    .entry(issue)?
                    .map(|stored| (stored.entry.kind(), stored.entry.customer_id())),
            };
            if found != Some((EntryKind::Issue, feedback.customer_id)) {
                problems.add("issue_id", "names no issue of this customer");
            }
        }
        if let Some(visit) = feedback.visit_id {
            let found = match self.passed.get(&visit) {
                Some(&(kind, customer)) => Some((kind, customer)),
                None => self
                    .book
                    .store
                    .entry(visit)?
                    .map(|stored| (stored.entry.kind(), stored.entry.customer_id())),
            };
            match found {
                None => problems.add("visit_id", "names no visit"),
                Some((kind, customer))
                    if kind != EntryKind::Visit || customer != feedback.customer_id =>
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
        Ok(())
    }

    /// Loads the entry's customer once, refusing one that is missing or archived.
    /// Reads the customers of `entries` not read yet, many per query.
    pub(crate) fn prefetch(&mut self, entries: &[Entry]) -> Result<()> {
        let mut wanted: Vec<CustomerId> = entries
            .iter()
            .map(Entry::customer_id)
            .filter(|id| !self.customers.contains_key(id))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        for ids in wanted.chunks(PREFETCH_CHUNK) {
            for customer in self.book.store.customers_by_id(ids)? {
                self.customers.insert(customer.id, customer);
            }
        }
        Ok(())
    }

    fn load(&mut self, id: CustomerId) -> Result<()> {
        if !self.customers.contains_key(&id) {
            let customer =
                self.book.store.customer(id)?.ok_or_else(|| {
                    Error::invalid("customer_id", "names no customer in this book")
                })?;
            self.customers.insert(id, customer);
        }
        if self.customer(id)?.archived_at.is_some() {
            return Err(Error::invalid(
                "customer_id",
                "the customer is archived; restore it before adding to its history",
            ));
        }
        Ok(())
    }

    fn customer(&self, id: CustomerId) -> Result<&Customer> {
        self.customers
            .get(&id)
            .ok_or_else(|| Error::invalid("customer_id", "names no customer in this book"))
    }

    /// The customer's ledger: the stored entries and this batch's so far.
    fn ledger(&mut self, id: CustomerId) -> Result<&Ledger> {
        if !self.ledgers.contains_key(&id) {
            let mut ledger = self.book.ledger(id)?;
            for entry in self.pending.remove(&id).unwrap_or_default() {
                ledger.add(&entry);
            }
            self.ledgers.insert(id, ledger);
        }
        self.ledgers
            .get(&id)
            .ok_or_else(|| Error::invalid("customer_id", "names no customer in this book"))
    }

    fn technician_exists(&mut self, id: TechnicianId) -> Result<bool> {
        if let Some(&known) = self.technicians.get(&id) {
            return Ok(known);
        }
        let known = self.book.store.technician(id)?.is_some();
        self.technicians.insert(id, known);
        Ok(known)
    }

    /// Remembers a checked entry for the entries after it: its id, an
    /// invoice's number, and a ledger entry in its customer's ledger.
    fn pass(&mut self, entry: &Entry) {
        let customer = entry.customer_id();
        self.passed.insert(entry.id(), (entry.kind(), customer));
        if let Entry::Invoice(invoice) = entry {
            self.invoice_numbers.insert(invoice.number.clone());
        }
        if matches!(
            entry,
            Entry::Invoice(_) | Entry::Payment(_) | Entry::Credit(_)
        ) {
            // The stored ledger is read only if a later entry needs it.
            match self.ledgers.get_mut(&customer) {
                Some(ledger) => ledger.add(entry),
                None => self
                    .pending
                    .entry(customer)
                    .or_default()
                    .push(entry.clone()),
            }
        }
    }
}

/// The location belongs to the customer now, and the body of water is at it.
pub(crate) fn check_place(
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
