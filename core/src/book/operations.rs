//! Operations become touchpoints: the writes that put an operation's
//! touchpoints (from `domain/operations.rs`) into the same transaction as
//! the operation, the matching that keeps an imported event describing a
//! recorded operation from doubling it, the one-time back-fill of books
//! recorded before operations were touchpoints, and changing a customer's
//! status with a reason (a churn reason).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::book::{Book, now};
use crate::domain::operations::{
    EntryContext, MATCH_WINDOW_HOURS, MATCHED_ACTIONS, OPERATIONS_SOURCE, created_touchpoint,
    describes_same, entry_touchpoints, is_operation, status_touchpoint,
};
use crate::model::{
    AuthorKind, ChangeAction, ChangeLogQuery, Customer, CustomerPatch, Entry, EntryQuery,
    FieldChange, LifecycleStatus, NewChange, Touchpoint, TouchpointQuery,
};
use crate::store::{Write, WriteBatch};
use crate::{Author, CustomerId, EntityKind, EntryId, Result};

/// The setting that marks a book whose operations still need their
/// touchpoints (set by schema step 6, cleared by the back-fill).
const BACKFILL_KEY: &str = "operations_backfill";

/// Change-log rows read per page by the back-fill.
const LOG_PAGE: u32 = 10_000;

/// Why and when a status changed, for its journey touchpoint.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct StatusNote<'a> {
    /// Why (a churn reason).
    pub reason: Option<&'a str>,
    /// When the change took effect (default: when it is recorded).
    pub effective_at: Option<DateTime<Utc>>,
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Changes the customer's lifecycle status, saying why (a cancelled
    /// customer's reason is the churn reason retention reports count).
    /// The journey gets `converted` (lead → active), `churned` (active or
    /// paused → cancelled) or `status_changed`, with the reason, in the
    /// same transaction, dated `effective_at` (when the change took effect,
    /// not in the future; default now). Same version rule as
    /// [`Book::update_customer`].
    pub fn change_status(
        &self,
        customer_id: CustomerId,
        expected_version: i64,
        status: LifecycleStatus,
        reason: Option<String>,
        effective_at: Option<DateTime<Utc>>,
        author: &Author,
    ) -> Result<Customer> {
        let effective_at = effective_at
            .map(|at| crate::domain::limits::instant(at, "effective_at"))
            .transpose()?;
        if effective_at.is_some_and(|at| at > now() + Duration::minutes(5)) {
            return Err(crate::Error::invalid(
                "effective_at",
                "is in the future; record the change when it happens",
            ));
        }
        let reason = reason
            .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|text| !text.is_empty());
        if let Some(text) = &reason {
            crate::domain::limits::chars(text, crate::domain::limits::MAX_LABEL_CHARS, "reason")?;
        }
        let current = self.customer(customer_id)?;
        if current.version == expected_version && current.status == status {
            return Err(crate::Error::invalid(
                "status",
                format!("the customer is already {}", status.as_str()),
            ));
        }
        self.patch_customer(
            customer_id,
            expected_version,
            CustomerPatch {
                status: Some(status),
                ..CustomerPatch::default()
            },
            &StatusNote {
                reason: reason.as_deref(),
                effective_at,
            },
            author,
        )
    }
}

impl Book {
    /// The touchpoints of checked entries about to be written, staged by the
    /// book's stage map; `is_lead` says whether a customer is a lead.
    pub(crate) fn entry_operations(
        &self,
        entries: &[Entry],
        is_lead: &dyn Fn(CustomerId) -> bool,
        author: &Author,
    ) -> Result<Vec<Touchpoint>> {
        let automated = author.kind == AuthorKind::System;
        let mut out = Vec::new();
        for entry in entries {
            let context = EntryContext {
                customer_is_lead: is_lead(entry.customer_id()),
                automated,
            };
            out.extend(entry_touchpoints(entry, context));
        }
        self.staged(out)
    }

    /// Touchpoints given their stage from the stage map.
    pub(crate) fn staged(&self, mut touchpoints: Vec<Touchpoint>) -> Result<Vec<Touchpoint>> {
        if touchpoints.is_empty() {
            return Ok(touchpoints);
        }
        let stages = self.stage_map()?;
        for touchpoint in &mut touchpoints {
            touchpoint.stage = touchpoint
                .stage
                .or_else(|| stages.get(&touchpoint.action).copied());
        }
        Ok(touchpoints)
    }

    /// Leaves out of `batch` the touchpoints that describe an operation the
    /// book already recorded (see [`describes_same`]); returns the rest and
    /// how many were matched. Each recorded operation matches one event.
    pub(crate) fn match_operations(
        &self,
        batch: Vec<Touchpoint>,
    ) -> Result<(Vec<Touchpoint>, usize)> {
        let mut used: HashSet<EntryId> = HashSet::new();
        let mut kept = Vec::with_capacity(batch.len());
        let mut matched = 0;
        let window = Duration::hours(MATCH_WINDOW_HOURS);
        for touchpoint in batch {
            let candidate = touchpoint.customer_id.is_some()
                && MATCHED_ACTIONS.contains(&touchpoint.action.as_str());
            if candidate {
                let recorded = self.store.touchpoints(&TouchpointQuery {
                    customer_id: touchpoint.customer_id,
                    since: Some(touchpoint.at - window),
                    until: Some(touchpoint.at + window + Duration::seconds(1)),
                    ..TouchpointQuery::default()
                })?;
                let same = recorded.iter().find(|recorded| {
                    is_operation(recorded)
                        && !used.contains(&recorded.id)
                        && describes_same(&touchpoint, recorded)
                });
                if let Some(same) = same {
                    used.insert(same.id);
                    matched += 1;
                    continue;
                }
            }
            kept.push(touchpoint);
        }
        Ok((kept, matched))
    }

    /// The touchpoint of a status change, staged, if the status changed.
    pub(crate) fn status_operation(
        &self,
        before: &Customer,
        after: &Customer,
        note: &StatusNote<'_>,
    ) -> Result<Option<Touchpoint>> {
        if before.status == after.status {
            return Ok(None);
        }
        let touchpoint = status_touchpoint(
            after.id,
            &format!("v{}", after.version),
            note.effective_at.unwrap_or(after.updated_at),
            before.status,
            after.status,
            note.reason,
        );
        Ok(self.staged(vec![touchpoint])?.pop())
    }

    /// The touchpoints of new customers, staged.
    pub(crate) fn created_operations(&self, records: &[Customer]) -> Result<Vec<Touchpoint>> {
        self.staged(
            records
                .iter()
                .map(|c| created_touchpoint(c.id, c.created_at, c.status, c.kind.as_str()))
                .collect(),
        )
    }

    /// Writes the touchpoints of everything recorded before operations were
    /// touchpoints, once (the book is marked by schema step 6): every live
    /// entry, every customer's creation and status change (from the change
    /// log). A touchpoint already stored that describes the same operation
    /// (a demo's or an import's `payment_made`) is linked to the entry
    /// instead of doubled. One transaction; a book not marked is left alone.
    pub(crate) fn backfill_operations(&self) -> Result<()> {
        if self.store.setting(BACKFILL_KEY)?.as_deref() != Some("pending") {
            return Ok(());
        }
        let mut touchpoints = Vec::new();
        // Customers' creations and status changes, from the change log;
        // each customer's statuses over time decide whether a message came
        // from a lead.
        let mut statuses: HashMap<CustomerId, Vec<(DateTime<Utc>, LifecycleStatus)>> =
            HashMap::new();
        let mut after_seq = None;
        loop {
            let page = self.store.change_log(&ChangeLogQuery {
                entity: Some(EntityKind::Customer),
                after_seq,
                limit: Some(LOG_PAGE),
                ..ChangeLogQuery::default()
            })?;
            let Some(last) = page.last() else { break };
            after_seq = Some(last.seq);
            for row in &page {
                let Some(customer_id) = row.customer_id else {
                    continue;
                };
                let field = |name: &str| row.changes.iter().find(|c| c.field == name);
                let status_of = |value: &Value| {
                    value
                        .as_str()
                        .and_then(|s| s.parse::<LifecycleStatus>().ok())
                };
                match row.action {
                    ChangeAction::Created => {
                        let status = field("status")
                            .and_then(|c| status_of(&c.after))
                            .unwrap_or(LifecycleStatus::Lead);
                        let kind = field("kind")
                            .and_then(|c| c.after.as_str().map(str::to_owned))
                            .unwrap_or_default();
                        touchpoints.push(created_touchpoint(customer_id, row.at, status, &kind));
                        statuses
                            .entry(customer_id)
                            .or_default()
                            .push((row.at, status));
                    }
                    _ => {
                        let Some(change) = field("status") else {
                            continue;
                        };
                        let (Some(from), Some(to)) =
                            (status_of(&change.before), status_of(&change.after))
                        else {
                            continue;
                        };
                        touchpoints.push(status_touchpoint(
                            customer_id,
                            &format!("log{}", row.seq),
                            row.at,
                            from,
                            to,
                            None,
                        ));
                        statuses.entry(customer_id).or_default().push((row.at, to));
                    }
                }
            }
        }
        let lead_at = |customer: CustomerId, at: DateTime<Utc>| {
            statuses.get(&customer).is_some_and(|changes| {
                changes
                    .iter()
                    .take_while(|(when, _)| *when <= at)
                    .last()
                    .is_some_and(|(_, status)| *status == LifecycleStatus::Lead)
            })
        };
        // Touchpoints already stored that may describe an entry's operation.
        let mut loose: HashMap<(CustomerId, String), Vec<Touchpoint>> = HashMap::new();
        for touchpoint in self.store.touchpoints(&TouchpointQuery::default())? {
            if let Some(customer) = touchpoint.customer_id
                && !is_operation(&touchpoint)
                && MATCHED_ACTIONS.contains(&touchpoint.action.as_str())
            {
                loose
                    .entry((customer, touchpoint.action.clone()))
                    .or_default()
                    .push(touchpoint);
            }
        }
        let mut writes = Vec::new();
        for stored in self.store.entries(&EntryQuery::default())? {
            let entry = stored.entry;
            let context = EntryContext {
                customer_is_lead: lead_at(entry.customer_id(), entry.at()),
                automated: stored.author.kind == AuthorKind::System,
            };
            for touchpoint in entry_touchpoints(&entry, context) {
                let key = (entry.customer_id(), touchpoint.action.clone());
                let found = loose.get_mut(&key).and_then(|candidates| {
                    let index = candidates
                        .iter()
                        .position(|candidate| describes_same(candidate, &touchpoint))?;
                    Some(candidates.swap_remove(index))
                });
                match found {
                    Some(existing) => writes.push(Write::LinkTouchpointEntry {
                        touchpoint_id: existing.id,
                        entry_id: entry.id(),
                    }),
                    None => touchpoints.push(touchpoint),
                }
            }
        }
        let count = touchpoints.len() + writes.len();
        let mut all = vec![Write::InsertTouchpoints(self.staged(touchpoints)?)];
        all.extend(writes);
        all.push(Write::PutSetting {
            key: BACKFILL_KEY.to_owned(),
            value: "done".to_owned(),
        });
        self.store.apply(&WriteBatch {
            author: Author::system(),
            at: now(),
            writes: all,
            changes: vec![NewChange {
                entity: EntityKind::Setting,
                entity_id: BACKFILL_KEY.to_owned(),
                customer_id: None,
                action: ChangeAction::Updated,
                changes: vec![FieldChange {
                    field: "operation_touchpoints".to_owned(),
                    before: Value::Null,
                    after: Value::from(count),
                    secret: false,
                }],
            }],
        })?;
        Ok(())
    }
}

/// Whether a caller may record `touchpoint` as given: the operations'
/// source system and entry links are the book's own.
pub(crate) fn reserved_field(touchpoint: &Touchpoint) -> Option<(&'static str, &'static str)> {
    if touchpoint.entry_id.is_some() {
        return Some((
            "entry_id",
            "is set by the book when it records an entry; record the entry instead",
        ));
    }
    if touchpoint
        .source_system
        .as_deref()
        .is_some_and(|system| system.trim().eq_ignore_ascii_case(OPERATIONS_SOURCE))
    {
        return Some((
            "source_system",
            "'poolbook' is reserved for the touchpoints the book's own operations write",
        ));
    }
    None
}
