//! Recording the customer journey: touchpoints (validated, normalised,
//! staged, stored once per source event) and identity — linking an
//! anonymous visitor to the customer they turned out to be, and undoing it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::book::operations::reserved_field;
use crate::book::{Book, check_page_limit, now};
use crate::domain::journey::{
    check_visitor_id, default_stage_map, normalize_action, normalize_label,
};
use crate::domain::limits;
use crate::foundation::sorting;
use crate::model::TouchpointQuery;
use crate::model::{ChangeAction, FieldChange, NewChange};
use crate::model::{Stage, Touchpoint, TouchpointReport, UnmappedAction};
use crate::store::{JourneyRow, JourneyVisit, Write, WriteBatch};
use crate::{Author, CustomerId, EntityKind, Error, Result};

/// At most this many threads scan a book's journeys side by side.
const MAX_JOURNEY_SCAN_PARTS: usize = 4;

/// A journey scan's rows gathered one person at a time.
#[derive(Default)]
struct PersonRows(Vec<JourneyRow>);

impl PersonRows {
    /// Adds `row`; when it starts a new person, first hands the previous
    /// person's rows to `visit`.
    fn push(&mut self, new_person: bool, row: JourneyRow, visit: impl FnOnce(&[JourneyRow])) {
        if new_person && !self.0.is_empty() {
            visit(&self.0);
            self.0.clear();
        }
        self.0.push(row);
    }

    /// Hands the last person's rows to `visit`.
    fn finish(self, visit: impl FnOnce(&[JourneyRow])) {
        if !self.0.is_empty() {
            visit(&self.0);
        }
    }
}

/// Most touchpoints recorded in one call.
pub const MAX_TOUCHPOINT_BATCH: usize = 10_000;

/// The most touchpoints one call returns.
pub const MAX_TOUCHPOINT_PAGE: u32 = 10_000;

/// The setting holding the book's action → stage map.
const STAGE_MAP_KEY: &str = "stage_map";

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// The action → stage map touchpoints without a stage are given.
    pub fn stage_map(&self) -> Result<BTreeMap<String, Stage>> {
        match self.store.setting(STAGE_MAP_KEY)? {
            Some(stored) => serde_json::from_str(&stored)
                .map_err(|error| Error::storage("reading the stage map", error)),
            None => Ok(default_stage_map()),
        }
    }

    /// Replaces the action → stage map, and restages the stored touchpoints
    /// it staged in the same transaction: a touchpoint of an action whose
    /// stage changed gets the new stage if it had the old map's stage (or
    /// none), so reports read stages as the map now says. A stage given
    /// explicitly that differs from the old map's is kept.
    pub fn set_stage_map(&self, map: BTreeMap<String, Stage>, author: &Author) -> Result<()> {
        author.check()?;
        if map.len() > limits::MAX_STAGE_MAP_ENTRIES {
            return Err(Error::invalid(
                "stage_map",
                format!(
                    "names {} actions; at most {} are kept",
                    map.len(),
                    limits::MAX_STAGE_MAP_ENTRIES
                ),
            ));
        }
        let mut normalized = BTreeMap::new();
        for (action, stage) in map {
            normalized.insert(normalize_action(&action, "stage_map")?, stage);
        }
        let before = self.stage_map()?;
        let value = serde_json::to_string(&normalized)
            .map_err(|e| Error::storage("encoding the stage map", e))?;
        let mut writes = vec![Write::PutSetting {
            key: STAGE_MAP_KEY.to_owned(),
            value,
        }];
        let mut actions = BTreeSet::new();
        actions.extend(before.keys().chain(normalized.keys()));
        for action in actions {
            let (from, to) = (before.get(action).copied(), normalized.get(action).copied());
            if from != to {
                writes.push(Write::Restage {
                    action: action.clone(),
                    from,
                    to,
                });
            }
        }
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes,
            changes: vec![NewChange {
                entity: EntityKind::Setting,
                entity_id: STAGE_MAP_KEY.to_owned(),
                customer_id: None,
                action: ChangeAction::Updated,
                changes: vec![FieldChange {
                    field: "value".to_owned(),
                    before: serde_json::to_value(before).unwrap_or(Value::Null),
                    after: serde_json::to_value(&normalized).unwrap_or(Value::Null),
                    secret: false,
                }],
            }],
        })?;
        Ok(())
    }

    /// Records touchpoints in one transaction. Each is checked and
    /// normalised (action name, source, campaign; a stage from the stage map
    /// when none is given); one whose (source system, source event id) is
    /// already stored is skipped, so recording the same events twice adds
    /// nothing. A bad touchpoint refuses the whole batch, naming its index.
    pub fn record_touchpoints(
        &self,
        touchpoints: Vec<Touchpoint>,
        author: &Author,
    ) -> Result<TouchpointReport> {
        author.check()?;
        if touchpoints.len() > MAX_TOUCHPOINT_BATCH {
            return Err(Error::invalid(
                "touchpoints",
                format!("record at most {MAX_TOUCHPOINT_BATCH} in one call"),
            ));
        }
        let mut checker = TouchpointChecker::new(self)?;
        let mut batch = Vec::with_capacity(touchpoints.len());
        for (index, touchpoint) in touchpoints.into_iter().enumerate() {
            batch.extend(checker.check(touchpoint, &format!("touchpoints[{index}]"))?);
        }
        let (batch, matched) = self.match_operations(batch)?;
        let offered = batch.len();
        let skipped = self.store_touchpoints(batch, Vec::new(), Vec::new(), author)?;
        Ok(TouchpointReport {
            added: (offered - skipped) as u64,
            skipped: (skipped + checker.repeated) as u64,
            matched: matched as u64,
        })
    }

    /// The actions of stored touchpoints that have no stage (the stage map did
    /// not know them when they were recorded), most frequent first: what to
    /// add to the map with [`Book::set_stage_map`].
    pub fn unmapped_actions(&self) -> Result<Vec<UnmappedAction>> {
        let mut found: BTreeMap<String, (u64, DateTime<Utc>)> = BTreeMap::new();
        self.for_each_journey(None, None, |rows| {
            for row in rows.iter().filter(|row| row.stage.is_none()) {
                let entry = found.entry(row.action.clone()).or_insert((0, row.at));
                entry.0 += 1;
                entry.1 = entry.1.max(row.at);
            }
        })?;
        let mut unmapped: Vec<UnmappedAction> = found
            .into_iter()
            .map(|(action, (touchpoints, last_at))| UnmappedAction {
                action,
                touchpoints,
                last_at,
            })
            .collect();
        sorting::sort_by(&mut unmapped, |a, b| {
            b.touchpoints
                .cmp(&a.touchpoints)
                .then(a.action.cmp(&b.action))
        });
        Ok(unmapped)
    }

    /// Touchpoints of a customer or a visitor.
    pub fn touchpoints(&self, query: &TouchpointQuery) -> Result<Vec<Touchpoint>> {
        if query.customer_id.is_none() && query.visitor_id.is_none() {
            return Err(Error::invalid(
                "customer_id",
                "give a customer_id or a visitor_id",
            ));
        }
        check_page_limit(query.limit, MAX_TOUCHPOINT_PAGE)?;
        self.store.touchpoints(query)
    }

    /// Links an anonymous visitor to a customer (a website visitor who asked
    /// for an estimate became a lead): the visitor's touchpoints, past and
    /// future, count as the customer's. Recorded in the change log; undo with
    /// [`Book::unlink_visitor`].
    pub fn link_visitor(
        &self,
        visitor_id: &str,
        customer_id: CustomerId,
        author: &Author,
    ) -> Result<()> {
        author.check()?;
        let visitor_id = check_visitor_id(visitor_id, "visitor_id")?;
        let customer = self.customer(customer_id)?;
        if customer.archived_at.is_some() {
            return Err(Error::invalid(
                "customer_id",
                "the customer is archived; restore it first",
            ));
        }
        let at = now();
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at,
            writes: vec![Write::LinkVisitor {
                visitor_id: visitor_id.clone(),
                customer_id,
                at,
            }],
            changes: vec![link_change(&visitor_id, customer_id, ChangeAction::Linked)],
        })?;
        Ok(())
    }

    /// Undoes a visitor's link: the touchpoints it gave the customer go back
    /// to the anonymous visitor.
    pub fn unlink_visitor(&self, visitor_id: &str, author: &Author) -> Result<()> {
        author.check()?;
        let visitor_id = check_visitor_id(visitor_id, "visitor_id")?;
        let customer_id = self
            .store
            .visitor_link(&visitor_id)?
            .ok_or_else(|| Error::invalid("visitor_id", "is not linked to a customer"))?;
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes: vec![Write::UnlinkVisitor {
                visitor_id: visitor_id.clone(),
            }],
            changes: vec![link_change(
                &visitor_id,
                customer_id,
                ChangeAction::Unlinked,
            )],
        })?;
        Ok(())
    }
}

impl Book {
    /// Calls `visit` with each person's touchpoints in `[since, until)`, in
    /// time order, one person at a time: the single pass journey analytics make.
    pub(crate) fn for_each_journey(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        mut visit: impl FnMut(&[JourneyRow]),
    ) -> Result<()> {
        let mut person = PersonRows::default();
        self.store
            .scan_journeys(since, until, &mut |new_person, row| {
                person.push(new_person, row, &mut visit);
                Ok(())
            })?;
        person.finish(&mut visit);
        Ok(())
    }

    /// [`Book::for_each_journey`] with the people split into parts scanned
    /// side by side on the machine's cores (when the store can): each part
    /// folds its people into a state of its own, made by `new_part`, and the
    /// states come back for the caller to merge, in person order: folding
    /// them in turn sees the people in the order of one scan.
    pub(crate) fn fold_journeys_in_parts<T: Send>(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        new_part: impl Fn() -> T,
        visit: impl Fn(&mut T, &[JourneyRow]) + Sync,
    ) -> Result<Vec<T>> {
        let parts = std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .clamp(1, MAX_JOURNEY_SCAN_PARTS);
        let mut states: Vec<(T, PersonRows)> = (0..parts)
            .map(|_| (new_part(), PersonRows::default()))
            .collect();
        {
            let visit = &visit;
            let mut part_visits: Vec<Box<JourneyVisit<'_>>> = states
                .iter_mut()
                .map(|(state, person)| {
                    Box::new(move |new_person, row| {
                        person.push(new_person, row, |rows| visit(state, rows));
                        Ok(())
                    }) as Box<JourneyVisit<'_>>
                })
                .collect();
            let mut part_visits: Vec<&mut JourneyVisit<'_>> =
                part_visits.iter_mut().map(|part| &mut **part).collect();
            self.store
                .scan_journeys_in_parts(since, until, &mut part_visits)?;
        }
        Ok(states
            .into_iter()
            .map(|(mut state, person)| {
                person.finish(|rows| visit(&mut state, rows));
                state
            })
            .collect())
    }

    /// Writes checked touchpoints, plus any other writes and changes, in one
    /// transaction; returns how many were skipped as already stored.
    pub(crate) fn store_touchpoints(
        &self,
        batch: Vec<Touchpoint>,
        more_writes: Vec<Write>,
        more_changes: Vec<NewChange>,
        author: &Author,
    ) -> Result<usize> {
        if batch.is_empty() && more_writes.is_empty() {
            return Ok(0);
        }
        // One change-log row per customer (and one for touchpoints of
        // visitors not yet linked), so a customer's log shows their journey.
        let mut per_customer: BTreeMap<Option<CustomerId>, (String, usize)> = BTreeMap::new();
        for touchpoint in &batch {
            per_customer
                .entry(touchpoint.customer_id)
                .or_insert_with(|| (touchpoint.id.to_string(), 0))
                .1 += 1;
        }
        let mut changes: Vec<NewChange> = per_customer
            .into_iter()
            .map(|(customer_id, (entity_id, count))| NewChange {
                entity: EntityKind::Touchpoint,
                entity_id,
                customer_id,
                action: ChangeAction::Created,
                changes: vec![FieldChange {
                    field: "touchpoints".to_owned(),
                    before: Value::Null,
                    after: Value::from(count),
                    secret: false,
                }],
            })
            .collect();
        changes.extend(more_changes);
        let mut writes = vec![Write::InsertTouchpoints(batch)];
        writes.extend(more_writes);
        let applied = self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes,
            changes,
        })?;
        Ok(applied.skipped_touchpoints)
    }
}

pub(crate) fn link_change(
    visitor_id: &str,
    customer_id: CustomerId,
    action: ChangeAction,
) -> NewChange {
    let customer = Value::from(customer_id.to_string());
    let (before, after) = match action {
        ChangeAction::Linked => (Value::Null, customer),
        _ => (customer, Value::Null),
    };
    NewChange {
        entity: EntityKind::Visitor,
        entity_id: visitor_id.to_owned(),
        customer_id: Some(customer_id),
        action,
        changes: vec![FieldChange {
            field: "customer_id".to_owned(),
            before,
            after,
            secret: false,
        }],
    }
}

/// Checks and normalises touchpoints one by one, remembering what it has
/// seen so far in the batch.
pub(crate) struct TouchpointChecker<'a> {
    book: &'a Book,
    stages: BTreeMap<String, Stage>,
    known_customers: BTreeSet<CustomerId>,
    seen_events: BTreeSet<(String, String)>,
    /// Touchpoints dropped as repeats of an earlier one in the same batch.
    pub repeated: usize,
}

impl<'a> TouchpointChecker<'a> {
    pub(crate) fn new(book: &'a Book) -> Result<Self> {
        Ok(TouchpointChecker {
            book,
            stages: book.stage_map()?,
            known_customers: BTreeSet::new(),
            seen_events: BTreeSet::new(),
            repeated: 0,
        })
    }

    /// The touchpoint checked and normalised, or `None` if it repeats an
    /// earlier one of the batch. Errors name fields under `prefix`.
    pub(crate) fn check(
        &mut self,
        mut touchpoint: Touchpoint,
        prefix: &str,
    ) -> Result<Option<Touchpoint>> {
        let field = |name: &str| format!("{prefix}.{name}");
        if let Some((name, problem)) = reserved_field(&touchpoint) {
            return Err(Error::invalid(field(name), problem));
        }
        touchpoint.at = limits::instant(touchpoint.at, &field("at"))?;
        if let Some(value) = touchpoint.value {
            limits::money(value, &field("value"))?;
        }
        touchpoint.visitor_id = touchpoint
            .visitor_id
            .as_deref()
            .map(|id| check_visitor_id(id, &field("visitor_id")))
            .transpose()?;
        match touchpoint.customer_id {
            Some(customer) if !self.known_customers.contains(&customer) => {
                self.book.customer(customer).map_err(|_| {
                    Error::invalid(field("customer_id"), "names no customer in this book")
                })?;
                self.known_customers.insert(customer);
            }
            Some(_) => {}
            None if touchpoint.visitor_id.is_none() => {
                return Err(Error::invalid(
                    field("customer_id"),
                    "a touchpoint needs a customer or a visitor id",
                ));
            }
            None => {}
        }
        touchpoint.action = normalize_action(&touchpoint.action, &field("action"))?;
        touchpoint.stage = touchpoint
            .stage
            .or_else(|| self.stages.get(&touchpoint.action).copied());
        for (name, label) in [
            ("source", &touchpoint.source),
            ("campaign", &touchpoint.campaign),
            ("source_system", &touchpoint.source_system),
            ("source_event_id", &touchpoint.source_event_id),
        ] {
            if let Some(label) = label {
                limits::chars(label, limits::MAX_LABEL_CHARS, &field(name))?;
            }
        }
        limits::json_size(
            &touchpoint.properties,
            limits::MAX_PROPERTIES_BYTES,
            &field("properties"),
        )?;
        touchpoint.source = normalize_label(touchpoint.source.as_deref());
        touchpoint.campaign = normalize_label(touchpoint.campaign.as_deref());
        touchpoint.source_system = normalize_label(touchpoint.source_system.as_deref());
        touchpoint.source_event_id = touchpoint
            .source_event_id
            .map(|id| id.trim().to_owned())
            .filter(|id| !id.is_empty());
        match (&touchpoint.source_system, &touchpoint.source_event_id) {
            (Some(system), Some(event)) => {
                if !self.seen_events.insert((system.clone(), event.clone())) {
                    self.repeated += 1;
                    return Ok(None);
                }
            }
            (None, None) => {}
            _ => {
                return Err(Error::invalid(
                    field("source_event_id"),
                    "give both source_system and source_event_id, or neither",
                ));
            }
        }
        Ok(Some(touchpoint))
    }
}
