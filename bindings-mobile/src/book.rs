//! `Book`: the uniffi object over core's `Book`, with every core operation
//! under the same name (camelCase in Kotlin and Swift). Arguments arrive as
//! owned records (uniffi passes records by value); answers and errors are
//! converted, nothing else happens here.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use poolbook::{Aging, InvoiceBalance, Statement};
use poolbook::{AttributionQuery, AttributionReport};
use poolbook::{
    Author, BodyOfWaterId, ChangeRecord, Credit, Customer, CustomerId, CustomerPage, CustomerPatch,
    CustomerQuery, EntryId, Feedback, Invoice, Issue, LocationId, LocationTransfer, Message,
    NewCustomer, NewTechnician, Note, Payment, ReadingPoint, Route, SearchHit, StopCard,
    StoredEntry, Technician, TechnicianId, TimelinePage, TimelineQuery, Touchpoint,
    TouchpointQuery, Visit, WaterAssessment,
};
use poolbook::{CsiMethod, TargetProfile};
use poolbook::{FunnelDefinition, FunnelReport};
use poolbook::{ResponseTimeQuery, ResponseTimeReport};
use poolbook::{Segment, SegmentMember};
use rust_decimal::Decimal;

use crate::changelog::ChangeLogQuery;
use crate::customer::{Region, TechnicianPatch};
use crate::error::Result;
use crate::journey::{EventMapping, ImportReport, TouchpointReport};
use crate::ledger::Ledger;
use crate::types::StageMap;

/// A customer book: one SQLite file holding every customer's record,
/// history, ledger and journey.
///
/// Thread-safe: share one `Book` across threads. Every call blocks on
/// SQLite (reads and writes go to disk), so call it off the UI thread
/// (Kotlin: `Dispatchers.IO`; Swift: a background task or queue). Close it
/// when done (Kotlin: it is `AutoCloseable`, so `use { }` closes it).
#[derive(uniffi::Object)]
pub struct Book(poolbook::Book);

#[uniffi::export]
impl Book {
    /// Opens (creating if needed) the book file at `path`.
    #[uniffi::constructor]
    pub fn open(path: String) -> Result<Arc<Self>> {
        Ok(Arc::new(Book(poolbook::Book::open(path)?)))
    }

    /// Opens a fresh book held in memory (for tests and demos).
    #[uniffi::constructor]
    pub fn open_in_memory() -> Result<Arc<Self>> {
        Ok(Arc::new(Book(poolbook::Book::open_in_memory()?)))
    }

    /// Closes the book; later calls fail with `Closed`. (Kotlin: `closeBook`,
    /// since `close()` is AutoCloseable's, which also releases the book.)
    pub fn close(&self) -> Result<()> {
        Ok(self.0.close()?)
    }

    /// The region phone numbers are normalised for when they carry no
    /// country code.
    pub fn default_region(&self) -> Result<Region> {
        Ok(self.0.default_region()?.into())
    }

    /// Sets the default phone region by its code ("US", "GB", …).
    pub fn set_default_region(&self, code: String, author: Author) -> Result<()> {
        Ok(self.0.set_default_region(&code, &author)?)
    }

    /// Creates a customer; validation errors name the field.
    pub fn create_customer(&self, new: NewCustomer, author: Author) -> Result<Customer> {
        Ok(self.0.create_customer(new, &author)?)
    }

    /// The customer with this id.
    pub fn customer(&self, id: CustomerId) -> Result<Customer> {
        Ok(self.0.customer(id)?)
    }

    /// Applies a patch to the customer at `expected_version` (a `Conflict`
    /// error when someone else changed it since).
    pub fn update_customer(
        &self,
        id: CustomerId,
        expected_version: i64,
        patch: CustomerPatch,
        author: Author,
    ) -> Result<Customer> {
        Ok(self
            .0
            .update_customer(id, expected_version, patch, &author)?)
    }

    /// Archives the customer (kept, but out of lists and search).
    pub fn archive_customer(
        &self,
        id: CustomerId,
        expected_version: i64,
        author: Author,
    ) -> Result<Customer> {
        Ok(self.0.archive_customer(id, expected_version, &author)?)
    }

    /// Restores an archived customer.
    pub fn restore_customer(
        &self,
        id: CustomerId,
        expected_version: i64,
        author: Author,
    ) -> Result<Customer> {
        Ok(self.0.restore_customer(id, expected_version, &author)?)
    }

    /// A page of customers matching the query.
    pub fn list_customers(&self, query: CustomerQuery) -> Result<CustomerPage> {
        Ok(self.0.list_customers(&query)?)
    }

    /// Customers matching a name, email, phone or address, best first.
    pub fn search_customers(&self, query: String, limit: u32) -> Result<Vec<SearchHit>> {
        Ok(self.0.search_customers(&query, limit)?)
    }

    /// Moves a service location (with its history) to another customer.
    pub fn transfer_location(
        &self,
        location_id: LocationId,
        to: CustomerId,
        author: Author,
    ) -> Result<LocationTransfer> {
        Ok(self.0.transfer_location(location_id, to, &author)?)
    }

    /// Adds a technician.
    pub fn add_technician(&self, new: NewTechnician, author: Author) -> Result<Technician> {
        Ok(self.0.add_technician(new, &author)?)
    }

    /// Applies a patch to the technician at `expected_version`.
    pub fn update_technician(
        &self,
        id: TechnicianId,
        expected_version: i64,
        patch: TechnicianPatch,
        author: Author,
    ) -> Result<Technician> {
        Ok(self
            .0
            .update_technician(id, expected_version, patch.into(), &author)?)
    }

    /// The technician with this id.
    pub fn technician(&self, id: TechnicianId) -> Result<Technician> {
        Ok(self.0.technician(id)?)
    }

    /// All technicians, active ones only unless `include_inactive`.
    pub fn technicians(&self, include_inactive: bool) -> Result<Vec<Technician>> {
        Ok(self.0.technicians(include_inactive)?)
    }

    /// Change records matching the query, oldest first.
    pub fn change_log(&self, query: ChangeLogQuery) -> Result<Vec<ChangeRecord>> {
        Ok(self.0.change_log(&query.try_into()?)?)
    }

    /// The company's water-chemistry target profiles.
    pub fn target_profiles(&self) -> Result<Vec<TargetProfile>> {
        Ok(self.0.target_profiles()?)
    }

    /// Adds or replaces a target profile (by name).
    pub fn put_target_profile(
        &self,
        profile: TargetProfile,
        author: Author,
    ) -> Result<TargetProfile> {
        Ok(self.0.put_target_profile(profile, &author)?)
    }

    /// The card a technician reads at the gate of this location (gate code
    /// included, masked until revealed).
    pub fn stop_card(&self, location_id: LocationId) -> Result<StopCard> {
        Ok(self.0.stop_card(location_id)?)
    }

    /// The technician's stops for the day, each with its stop card.
    pub fn route(&self, technician_id: TechnicianId, date: NaiveDate) -> Result<Route> {
        Ok(self.0.route(technician_id, date)?)
    }

    /// Funnel counts for the definition's steps.
    pub fn funnel(&self, definition: FunnelDefinition) -> Result<FunnelReport> {
        Ok(self.0.funnel(&definition)?)
    }

    /// The water assessment (CSI, flags against the target profile) of a
    /// recorded visit.
    pub fn assess_visit(&self, visit_id: EntryId, method: CsiMethod) -> Result<WaterAssessment> {
        Ok(self.0.assess_visit(visit_id, method)?)
    }

    /// Records a visit (completed with readings, or skipped with a reason).
    pub fn record_visit(&self, visit: Visit, author: Author) -> Result<Visit> {
        Ok(self.0.record_visit(visit, &author)?)
    }

    /// Adds an invoice.
    pub fn add_invoice(&self, invoice: Invoice, author: Author) -> Result<Invoice> {
        Ok(self.0.add_invoice(invoice, &author)?)
    }

    /// Records a payment, applied to invoices as it says.
    pub fn record_payment(&self, payment: Payment, author: Author) -> Result<Payment> {
        Ok(self.0.record_payment(payment, &author)?)
    }

    /// Adds a credit or adjustment.
    pub fn add_credit(&self, credit: Credit, author: Author) -> Result<Credit> {
        Ok(self.0.add_credit(credit, &author)?)
    }

    /// Records a message to or from the customer.
    pub fn record_message(&self, message: Message, author: Author) -> Result<Message> {
        Ok(self.0.record_message(message, &author)?)
    }

    /// Opens an issue.
    pub fn open_issue(&self, issue: Issue, author: Author) -> Result<Issue> {
        Ok(self.0.open_issue(issue, &author)?)
    }

    /// Resolves an open issue.
    pub fn resolve_issue(&self, id: EntryId, resolution: String, author: Author) -> Result<Issue> {
        Ok(self.0.resolve_issue(id, &resolution, &author)?)
    }

    /// Adds a note.
    pub fn add_note(&self, note: Note, author: Author) -> Result<Note> {
        Ok(self.0.add_note(note, &author)?)
    }

    /// Records the customer's feedback.
    pub fn record_feedback(&self, feedback: Feedback, author: Author) -> Result<Feedback> {
        Ok(self.0.record_feedback(feedback, &author)?)
    }

    /// A history entry with its author and archive state.
    pub fn entry(&self, id: EntryId) -> Result<StoredEntry> {
        Ok(self.0.entry(id)?)
    }

    /// Archives a history entry.
    pub fn archive_entry(&self, id: EntryId, author: Author) -> Result<StoredEntry> {
        Ok(self.0.archive_entry(id, &author)?)
    }

    /// Restores an archived history entry.
    pub fn restore_entry(&self, id: EntryId, author: Author) -> Result<StoredEntry> {
        Ok(self.0.restore_entry(id, &author)?)
    }

    /// The readings of a body of water over time, oldest first.
    pub fn readings_series(
        &self,
        body_of_water_id: BodyOfWaterId,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<ReadingPoint>> {
        Ok(self.0.readings_series(body_of_water_id, since, until)?)
    }

    /// The customer's ledger: balance, unapplied money, invoice balances.
    pub fn ledger(&self, customer_id: CustomerId) -> Result<Ledger> {
        Ok(self.0.ledger(customer_id)?.into())
    }

    /// What the customer owes now.
    pub fn balance(&self, customer_id: CustomerId) -> Result<Decimal> {
        Ok(self.0.balance(customer_id)?)
    }

    /// Each invoice of the customer with what remains due.
    pub fn invoice_balances(&self, customer_id: CustomerId) -> Result<Vec<InvoiceBalance>> {
        Ok(self.0.invoice_balances(customer_id)?)
    }

    /// The customer's statement between two days, inclusive.
    pub fn statement(
        &self,
        customer_id: CustomerId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Statement> {
        Ok(self.0.statement(customer_id, from, to)?)
    }

    /// What the customer owes by age, as of a day.
    pub fn aging(&self, customer_id: CustomerId, as_of: NaiveDate) -> Result<Aging> {
        Ok(self.0.aging(customer_id, as_of)?)
    }

    /// Imports journey events in the Segment format (one JSON object per
    /// line), reporting refused lines by number.
    pub fn import_segment_events(
        &self,
        input: String,
        mapping: EventMapping,
        author: Author,
    ) -> Result<ImportReport> {
        let mapping = poolbook::EventMapping::from(mapping);
        Ok(self
            .0
            .import_segment_events(input.as_bytes(), &mapping, &author)?
            .into())
    }

    /// The journey stage of each action.
    pub fn stage_map(&self) -> Result<StageMap> {
        Ok(self.0.stage_map()?)
    }

    /// Replaces the journey stage map.
    pub fn set_stage_map(&self, map: StageMap, author: Author) -> Result<()> {
        Ok(self.0.set_stage_map(map, &author)?)
    }

    /// Records journey touchpoints, skipping ones already stored.
    pub fn record_touchpoints(
        &self,
        touchpoints: Vec<Touchpoint>,
        author: Author,
    ) -> Result<TouchpointReport> {
        Ok(self.0.record_touchpoints(touchpoints, &author)?.into())
    }

    /// Touchpoints matching the query.
    pub fn touchpoints(&self, query: TouchpointQuery) -> Result<Vec<Touchpoint>> {
        Ok(self.0.touchpoints(&query)?)
    }

    /// Links an anonymous visitor to a customer.
    pub fn link_visitor(
        &self,
        visitor_id: String,
        customer_id: CustomerId,
        author: Author,
    ) -> Result<()> {
        Ok(self.0.link_visitor(&visitor_id, customer_id, &author)?)
    }

    /// Unlinks a visitor from its customer.
    pub fn unlink_visitor(&self, visitor_id: String, author: Author) -> Result<()> {
        Ok(self.0.unlink_visitor(&visitor_id, &author)?)
    }

    /// How fast leads were answered.
    pub fn lead_response_times(&self, query: ResponseTimeQuery) -> Result<ResponseTimeReport> {
        Ok(self.0.lead_response_times(&query)?)
    }

    /// Credit for conversions by channel and campaign, under each model.
    pub fn attribution(&self, query: AttributionQuery) -> Result<AttributionReport> {
        Ok(self.0.attribution(&query)?)
    }

    /// Saves a named segment.
    pub fn save_segment(&self, segment: Segment, author: Author) -> Result<Segment> {
        Ok(self.0.save_segment(segment, &author)?)
    }

    /// The saved segments.
    pub fn segments(&self) -> Result<Vec<Segment>> {
        Ok(self.0.segments()?)
    }

    /// The members of a saved segment as of an instant.
    pub fn segment_members(
        &self,
        name: String,
        as_of: DateTime<Utc>,
    ) -> Result<Vec<SegmentMember>> {
        Ok(self.0.segment_members(&name, as_of)?)
    }

    /// The members of an unsaved segment as of an instant.
    pub fn evaluate_segment(
        &self,
        segment: Segment,
        as_of: DateTime<Utc>,
    ) -> Result<Vec<SegmentMember>> {
        Ok(self.0.evaluate_segment(&segment, as_of)?)
    }

    /// A page of the timeline: history entries, changes and touchpoints,
    /// newest first.
    pub fn timeline(&self, query: TimelineQuery) -> Result<TimelinePage> {
        Ok(self.0.timeline(&query)?)
    }
}

impl Book {
    /// Core's book, for the free functions that take one.
    pub(crate) fn core(&self) -> &poolbook::Book {
        &self.0
    }
}
