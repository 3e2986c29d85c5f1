//! Customer records: create, read, update with optimistic concurrency,
//! archive and restore, list in stable pages, search, and move a location
//! to a new owner.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::book::operations::StatusNote;
use crate::book::{Book, now};
use crate::domain::changes;
use crate::domain::search::{SearchHit, SearchTerms};
use crate::domain::validate::{self, Rules};
use crate::model::{
    Author, ChangeAction, Customer, CustomerPage, CustomerPatch, CustomerQuery, DEFAULT_PAGE_SIZE,
    FieldChange, MAX_PAGE_SIZE, NewChange, NewCustomer,
};
use crate::store::{Write, WriteBatch};
use crate::{CustomerId, EntityKind, Error, LocationId, Result, Technician, TechnicianId};

/// Most customers created in one call.
pub const MAX_CUSTOMER_BATCH: usize = 10_000;

/// Most hits a search returns.
pub const MAX_SEARCH_RESULTS: u32 = 200;

/// The longest search query, in characters.
pub const MAX_SEARCH_QUERY_CHARS: usize = 200;

/// The most words a search query may have.
pub const MAX_SEARCH_WORDS: usize = 20;

/// The two customers after a location changed hands.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LocationTransfer {
    /// The previous owner, without the location.
    pub from: Customer,
    /// The new owner, with the location.
    pub to: Customer,
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Creates a customer; returns it as stored (phones in E.164, text trimmed, version 1).
    pub fn create_customer(&self, new: NewCustomer, author: &Author) -> Result<Customer> {
        author.check()?;
        let at = now();
        let mut record = new_record(new, at);
        self.validate(&mut record, None)?;
        self.seal_secrets(&mut record, None)?;
        self.insert_customers(std::slice::from_ref(&record), at, author)?;
        Ok(record)
    }

    /// Creates many customers in one transaction, as an import does: every
    /// record is checked first, and one bad record refuses the whole batch
    /// naming its index (`customers[2].contacts[0].phones[0].number`), the
    /// book unchanged. Each customer gets its change-log rows, as if created
    /// alone.
    pub fn create_customers(
        &self,
        news: Vec<NewCustomer>,
        author: &Author,
    ) -> Result<Vec<Customer>> {
        author.check()?;
        if news.len() > MAX_CUSTOMER_BATCH {
            return Err(Error::invalid(
                "customers",
                format!("create at most {MAX_CUSTOMER_BATCH} in one call"),
            ));
        }
        let at = now();
        // One lookup per technician for the whole batch.
        let known: RefCell<HashMap<TechnicianId, Option<Technician>>> = RefCell::default();
        let technician = |id| -> Result<Option<Technician>> {
            if let Some(found) = known.borrow().get(&id) {
                return Ok(found.clone());
            }
            let found = self.store.technician(id)?;
            known.borrow_mut().insert(id, found.clone());
            Ok(found)
        };
        let rules = Rules {
            region: self.numbering_plan()?,
            technician: &technician,
            before: None,
        };
        let mut ids = HashSet::new();
        let mut records = Vec::with_capacity(news.len());
        for (index, new) in news.into_iter().enumerate() {
            let mut record = new_record(new, at);
            let within = |error: Error| error.within(&format!("customers[{index}]"));
            validate::customer(&mut record, &rules).map_err(within)?;
            self.seal_secrets(&mut record, None).map_err(within)?;
            if let Some(field) = repeated_id(&record, &mut ids) {
                return Err(within(Error::invalid(
                    field,
                    "is used by an earlier customer of this batch",
                )));
            }
            records.push(record);
        }
        self.insert_customers(&records, at, author)?;
        Ok(records)
    }

    /// The customer with this id, archived or not.
    pub fn customer(&self, id: CustomerId) -> Result<Customer> {
        self.store
            .customer(id)?
            .ok_or_else(|| Error::not_found(EntityKind::Customer, id))
    }

    /// Applies `patch` to the customer, provided its stored version is still
    /// `expected_version` (otherwise [`Error::Conflict`]: someone else changed
    /// it since you read it). A patch that changes nothing writes nothing.
    pub fn update_customer(
        &self,
        id: CustomerId,
        expected_version: i64,
        patch: CustomerPatch,
        author: &Author,
    ) -> Result<Customer> {
        self.patch_customer(id, expected_version, patch, &StatusNote::default(), author)
    }

    /// Archives the customer: it leaves listings and search, keeps all its
    /// records, and can be restored.
    pub fn archive_customer(
        &self,
        id: CustomerId,
        expected_version: i64,
        author: &Author,
    ) -> Result<Customer> {
        self.set_archived(id, expected_version, true, author)
    }

    /// Brings an archived customer back.
    pub fn restore_customer(
        &self,
        id: CustomerId,
        expected_version: i64,
        author: &Author,
    ) -> Result<Customer> {
        self.set_archived(id, expected_version, false, author)
    }

    /// Lists customers matching the query, one page at a time (see [`CustomerQuery`]).
    pub fn list_customers(&self, query: &CustomerQuery) -> Result<CustomerPage> {
        let limit = query.limit.unwrap_or(DEFAULT_PAGE_SIZE);
        if limit == 0 || limit > MAX_PAGE_SIZE {
            return Err(Error::invalid(
                "limit",
                format!("must be between 1 and {MAX_PAGE_SIZE}"),
            ));
        }
        let mut probe = query.clone();
        probe.limit = Some(limit + 1);
        let mut customers = self.store.customers(&probe)?;
        let next_after = if customers.len() > limit as usize {
            customers.truncate(limit as usize);
            customers.last().map(|customer| customer.id)
        } else {
            None
        };
        Ok(CustomerPage {
            customers,
            next_after,
        })
    }

    /// Finds live customers by name, phone (any formatting, or its last
    /// digits), email or street address; best match first. Every word must
    /// match the start of a word; if no customer matches them as typed,
    /// typos are forgiven (see [`SearchTerms::with_corrections`]): `Lopex`
    /// finds `Lopez`, `Hernnadez` finds `Hernandez`, never from a wrong
    /// first letter.
    pub fn search_customers(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        if limit == 0 || limit > MAX_SEARCH_RESULTS {
            return Err(Error::invalid(
                "limit",
                format!("must be between 1 and {MAX_SEARCH_RESULTS}"),
            ));
        }
        if query.chars().count() > MAX_SEARCH_QUERY_CHARS {
            return Err(Error::invalid(
                "query",
                format!("is longer than {MAX_SEARCH_QUERY_CHARS} characters"),
            ));
        }
        if query.contains('\0') {
            return Err(Error::invalid("query", "contains a NUL character"));
        }
        match SearchTerms::parse(query) {
            Some(terms) if terms.words.len() > MAX_SEARCH_WORDS => Err(Error::invalid(
                "query",
                format!("has more than {MAX_SEARCH_WORDS} words"),
            )),
            Some(terms) => self.search_forgiving_typos(&terms, limit),
            None => Ok(Vec::new()),
        }
    }

    /// Moves a location — with its bodies of water, access details, plan and
    /// everything recorded about them — to another customer, as when a house
    /// is sold.
    pub fn transfer_location(
        &self,
        location_id: LocationId,
        to: CustomerId,
        author: &Author,
    ) -> Result<LocationTransfer> {
        author.check()?;
        let from = self
            .store
            .location_owner(location_id)?
            .ok_or_else(|| Error::not_found(EntityKind::Location, location_id))?;
        if from == to {
            return Err(Error::invalid(
                "to",
                "the location already belongs to this customer",
            ));
        }
        let old_from = self.customer(from)?;
        let old_to = self.customer(to)?;
        if old_to.archived_at.is_some() {
            return Err(Error::invalid(
                "to",
                "the customer is archived; restore it first",
            ));
        }
        let Some(position) = old_from.locations.iter().position(|l| l.id == location_id) else {
            return Err(Error::invalid(
                "location_id",
                "the location is archived; restore it first",
            ));
        };
        let at = now();
        let mut new_from = old_from.clone();
        let location = new_from.locations.remove(position);
        let mut new_to = old_to.clone();
        new_to.locations.push(location);
        for (record, old) in [(&mut new_from, &old_from), (&mut new_to, &old_to)] {
            record.version = old.version + 1;
            record.updated_at = at;
        }
        let transfer = |customer_id| NewChange {
            entity: EntityKind::Location,
            entity_id: location_id.to_string(),
            customer_id: Some(customer_id),
            action: ChangeAction::Transferred,
            changes: vec![FieldChange {
                field: "customer_id".to_owned(),
                before: Value::from(from.to_string()),
                after: Value::from(to.to_string()),
                secret: false,
            }],
        };
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at,
            writes: vec![
                Write::MoveLocation {
                    location_id,
                    from,
                    to,
                },
                Write::UpdateCustomer {
                    record: new_from.clone(),
                    previous: Box::new(old_from),
                },
                Write::UpdateCustomer {
                    record: new_to.clone(),
                    previous: Box::new(old_to),
                },
            ],
            changes: vec![transfer(from), transfer(to)],
        })?;
        Ok(LocationTransfer {
            from: new_from,
            to: new_to,
        })
    }
}

impl Book {
    /// The store's search as typed, then, if it found nobody, with the typos
    /// the store's vocabulary can correct.
    fn search_forgiving_typos(&self, terms: &SearchTerms, limit: u32) -> Result<Vec<SearchHit>> {
        let hits = self.store.search(terms, limit)?;
        let initials = terms.typo_initials();
        if !hits.is_empty() || initials.is_empty() {
            return Ok(hits);
        }
        let vocabulary = self.store.search_vocabulary(&initials)?;
        match terms.with_corrections(&vocabulary) {
            Some(corrected) => self.store.search(&corrected, limit),
            None => Ok(hits),
        }
    }

    /// Applies `patch` as [`Book::update_customer`] does; a change of
    /// status writes its journey touchpoint with `note`'s reason and date.
    pub(crate) fn patch_customer(
        &self,
        id: CustomerId,
        expected_version: i64,
        patch: CustomerPatch,
        note: &StatusNote<'_>,
        author: &Author,
    ) -> Result<Customer> {
        author.check()?;
        let current = self.current(id, expected_version)?;
        if current.archived_at.is_some() {
            return Err(Error::invalid(
                "archived_at",
                "the customer is archived; restore it before changing it",
            ));
        }
        let mut next = current.clone();
        apply_patch(&mut next, patch);
        self.validate(&mut next, Some(&current))?;
        self.seal_secrets(&mut next, Some(&current))?;
        let mut changes = changes::diff_customer(Some(&current), &next);
        if changes.is_empty() {
            return Ok(current);
        }
        if changes.iter().any(|c| c.action == ChangeAction::Created) {
            // A part put back under its old id was archived, not new: say so.
            let archived = self.store.archived_parts(id)?;
            for change in &mut changes {
                if change.action == ChangeAction::Created && archived.contains(&change.entity_id) {
                    change.action = ChangeAction::Restored;
                }
            }
        }
        self.save_with_status(current, next, changes, note, author)
    }

    fn set_archived(
        &self,
        id: CustomerId,
        expected_version: i64,
        archive: bool,
        author: &Author,
    ) -> Result<Customer> {
        author.check()?;
        let current = self.current(id, expected_version)?;
        if !archive && let Some(merge) = self.standing_merge(id)? {
            return Err(Error::invalid(
                "archived_at",
                format!(
                    "the customer was merged into customer {}; unmerge it instead",
                    merge.survivor
                ),
            ));
        }
        if current.archived_at.is_some() == archive {
            return Err(Error::invalid(
                "archived_at",
                if archive {
                    "the customer is already archived"
                } else {
                    "the customer is not archived"
                },
            ));
        }
        let mut next = current.clone();
        next.archived_at = archive.then(now);
        let change = NewChange {
            entity: EntityKind::Customer,
            entity_id: id.to_string(),
            customer_id: Some(id),
            action: if archive {
                ChangeAction::Archived
            } else {
                ChangeAction::Restored
            },
            changes: vec![FieldChange {
                field: "archived_at".to_owned(),
                before: serde_json::to_value(current.archived_at).unwrap_or(Value::Null),
                after: serde_json::to_value(next.archived_at).unwrap_or(Value::Null),
                secret: false,
            }],
        };
        self.save(current, next, vec![change], author)
    }

    /// The stored customer, provided its version is `expected_version`.
    fn current(&self, id: CustomerId, expected_version: i64) -> Result<Customer> {
        let current = self.customer(id)?;
        if current.version != expected_version {
            return Err(Error::Conflict {
                entity: EntityKind::Customer,
                id: id.to_string(),
                expected: expected_version,
                actual: current.version,
            });
        }
        Ok(current)
    }

    /// Writes validated new customers and their change-log rows in one transaction.
    fn insert_customers(
        &self,
        records: &[Customer],
        at: DateTime<Utc>,
        author: &Author,
    ) -> Result<()> {
        let changes = records
            .iter()
            .flat_map(|record| changes::diff_customer(None, record))
            .collect();
        let mut writes: Vec<Write> = records.iter().cloned().map(Write::InsertCustomer).collect();
        writes.push(Write::InsertTouchpoints(self.created_operations(records)?));
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at,
            writes,
            changes,
        })?;
        Ok(())
    }

    fn validate(&self, record: &mut Customer, before: Option<&Customer>) -> Result<()> {
        let technician = |id| self.store.technician(id);
        let rules = Rules {
            region: self.numbering_plan()?,
            technician: &technician,
            before,
        };
        validate::customer(record, &rules)
    }

    /// Writes `next` over `current` (compare-and-swap on the version) with its changes.
    fn save(
        &self,
        current: Customer,
        next: Customer,
        changes: Vec<NewChange>,
        author: &Author,
    ) -> Result<Customer> {
        self.save_with_status(current, next, changes, &StatusNote::default(), author)
    }

    /// Writes `next` over `current` as [`Book::save`] does, with the
    /// journey touchpoint of a status change (with `note`'s reason and date).
    fn save_with_status(
        &self,
        current: Customer,
        mut next: Customer,
        changes: Vec<NewChange>,
        note: &StatusNote<'_>,
        author: &Author,
    ) -> Result<Customer> {
        let at = now();
        next.version = current.version + 1;
        next.updated_at = at;
        let status = self.status_operation(&current, &next, note)?;
        let mut writes = vec![Write::UpdateCustomer {
            record: next.clone(),
            previous: Box::new(current),
        }];
        writes.extend(status.map(|touchpoint| Write::InsertTouchpoints(vec![touchpoint])));
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at,
            writes,
            changes,
        })?;
        Ok(next)
    }
}

/// The record a new customer becomes when stored at `at`.
fn new_record(new: NewCustomer, at: DateTime<Utc>) -> Customer {
    Customer {
        id: new.id,
        kind: new.kind,
        display_name: new.display_name,
        status: new.status,
        billing: new.billing,
        tags: new.tags,
        custom_fields: new.custom_fields,
        contacts: new.contacts,
        locations: new.locations,
        preferences: new.preferences,
        created_at: at,
        updated_at: at,
        archived_at: None,
        version: 1,
    }
}

/// The path of the first id in `record` (the customer's, a contact's, a
/// location's or a body of water's) already in `seen`; records its ids.
fn repeated_id(record: &Customer, seen: &mut HashSet<String>) -> Option<String> {
    let mut ids = vec![("id".to_owned(), record.id.to_string())];
    for (index, contact) in record.contacts.iter().enumerate() {
        ids.push((format!("contacts[{index}].id"), contact.id.to_string()));
    }
    for (index, location) in record.locations.iter().enumerate() {
        ids.push((format!("locations[{index}].id"), location.id.to_string()));
        for (body, water) in location.bodies_of_water.iter().enumerate() {
            ids.push((
                format!("locations[{index}].bodies_of_water[{body}].id"),
                water.id.to_string(),
            ));
        }
    }
    let repeated = ids
        .iter()
        .find(|(_, id)| seen.contains(id))
        .map(|(field, _)| field.clone());
    seen.extend(ids.into_iter().map(|(_, id)| id));
    repeated
}

fn apply_patch(record: &mut Customer, patch: CustomerPatch) {
    let CustomerPatch {
        kind,
        display_name,
        status,
        billing,
        tags,
        custom_fields,
        contacts,
        locations,
        preferences,
    } = patch;
    if let Some(kind) = kind {
        record.kind = kind;
    }
    if let Some(display_name) = display_name {
        record.display_name = display_name;
    }
    if let Some(status) = status {
        record.status = status;
    }
    if let Some(billing) = billing {
        record.billing = billing;
    }
    if let Some(tags) = tags {
        record.tags = tags;
    }
    if let Some(custom_fields) = custom_fields {
        record.custom_fields = custom_fields;
    }
    if let Some(contacts) = contacts {
        record.contacts = contacts;
    }
    if let Some(locations) = locations {
        record.locations = locations;
    }
    if let Some(preferences) = preferences {
        record.preferences = preferences;
    }
}

impl Book {
    /// Every live customer, read a page at a time (billing's drafts and the
    /// quality report walk the whole book).
    pub(crate) fn every_live_customer(&self) -> Result<Vec<Customer>> {
        let mut all = Vec::new();
        let mut query = CustomerQuery {
            limit: Some(MAX_PAGE_SIZE),
            ..CustomerQuery::default()
        };
        loop {
            let page = self.store.customers(&query)?;
            let last = page.last().map(|customer| customer.id);
            let full = page.len() == MAX_PAGE_SIZE as usize;
            all.extend(page);
            match (last, full) {
                (Some(last), true) => query.after = Some(last),
                _ => return Ok(all),
            }
        }
    }
}
