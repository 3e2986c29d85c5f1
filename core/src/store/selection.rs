//! Touchpoints across the whole book as a store selects them: the
//! selection a `Book` resolves from a [`crate::BookFilter`], and the
//! reference answer (filtering and grouping in Rust over
//! [`Store::touchpoints`]) that a store without its own query language
//! gets by default. The SQLite store answers the same in SQL.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::periods::period_start;
use rust_decimal::prelude::ToPrimitive;

use crate::foundation::sorting;
use crate::model::{
    CountDimension, Direction, JourneyChannel, Period, Touchpoint, TouchpointCount, TouchpointQuery,
};
use crate::store::Store;
use crate::{CustomerId, EntryId, Result, TechnicianId};

/// One change of a customer's lifecycle status as its touchpoint records
/// it: `customer_created` (with its `status`), `converted`, `churned` (with
/// its `reason`) or `status_changed` (with its `to`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    /// The customer.
    pub customer_id: CustomerId,
    /// When.
    pub at: DateTime<Utc>,
    /// The action.
    pub action: String,
    /// The status it names: `status` of a creation, `to` of a change.
    pub status: Option<String>,
    /// The `reason` it records.
    pub reason: Option<String>,
}

/// The actions that change a customer's status.
pub const STATUS_ACTIONS: [&str; 4] = [
    crate::model::actions::CUSTOMER_CREATED,
    crate::model::actions::CONVERTED,
    crate::model::actions::CHURNED,
    crate::model::actions::STATUS_CHANGED,
];

/// Every customer's status changes before `until`, by time, read through
/// [`Store::select_touchpoints`]: the default of [`Store::status_changes`].
pub fn status_changes_by_reading(
    store: &(impl Store + ?Sized),
    until: Option<DateTime<Utc>>,
) -> Result<Vec<StatusChange>> {
    let text = |t: &Touchpoint, key: &str| {
        t.properties
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    Ok(store
        .select_touchpoints(&TouchpointSelection {
            actions: STATUS_ACTIONS.map(str::to_owned).to_vec(),
            until,
            ..TouchpointSelection::default()
        })?
        .into_iter()
        .filter_map(|t| {
            let customer_id = t.customer_id?;
            let status = match t.action.as_str() {
                crate::model::actions::CUSTOMER_CREATED => text(&t, "status"),
                crate::model::actions::STATUS_CHANGED => text(&t, "to"),
                _ => None,
            };
            let reason = text(&t, "reason");
            Some(StatusChange {
                customer_id,
                at: t.at,
                action: t.action,
                status,
                reason,
            })
        })
        .collect())
}

/// Which touchpoints a store reads, across customers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TouchpointSelection {
    /// At or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Before this time.
    pub until: Option<DateTime<Utc>>,
    /// Any of these channels (all when empty).
    pub channels: Vec<JourneyChannel>,
    /// Any of these actions (all when empty).
    pub actions: Vec<String>,
    /// Any of these directions (all when empty).
    pub directions: Vec<Direction>,
    /// Only these customers' touchpoints (`None`: everyone's, visitors' too).
    pub customers: Option<Vec<CustomerId>>,
    /// Only touchpoints whose `technician_id` property is this technician.
    pub technician_id: Option<TechnicianId>,
    /// Continue strictly after this (time, id), oldest first.
    pub after: Option<(DateTime<Utc>, EntryId)>,
    /// At most this many.
    pub limit: Option<u32>,
}

impl TouchpointSelection {
    /// Whether `touchpoint` is selected (ignoring `after` and `limit`).
    pub fn matches(&self, touchpoint: &Touchpoint) -> bool {
        self.since.is_none_or(|since| touchpoint.at >= since)
            && self.until.is_none_or(|until| touchpoint.at < until)
            && (self.channels.is_empty() || self.channels.contains(&touchpoint.channel))
            && (self.actions.is_empty() || self.actions.contains(&touchpoint.action))
            && (self.directions.is_empty() || self.directions.contains(&touchpoint.direction))
            && self.customers.as_ref().is_none_or(|customers| {
                touchpoint
                    .customer_id
                    .is_some_and(|id| customers.contains(&id))
            })
            && self
                .technician_id
                .is_none_or(|technician| technician_of(touchpoint) == Some(technician.to_string()))
    }
}

fn technician_of(touchpoint: &Touchpoint) -> Option<String> {
    touchpoint
        .properties
        .get("technician_id")
        .and_then(|value| value.as_str())
        .map(str::to_owned)
}

/// The selected touchpoints, read through [`Store::touchpoints`] and
/// filtered here: the default of [`Store::select_touchpoints`].
pub fn select_by_reading(
    store: &(impl Store + ?Sized),
    selection: &TouchpointSelection,
) -> Result<Vec<Touchpoint>> {
    let mut found: Vec<Touchpoint> = store
        .touchpoints(&TouchpointQuery {
            since: selection.since,
            until: selection.until,
            ..TouchpointQuery::default()
        })?
        .into_iter()
        .filter(|t| selection.matches(t))
        .filter(|t| {
            selection
                .after
                .is_none_or(|(at, id)| (t.at, t.id) > (at, id))
        })
        .collect();
    sorting::sort_by_key(&mut found, |t| (t.at, t.id));
    if let Some(limit) = selection.limit {
        found.truncate(limit as usize);
    }
    Ok(found)
}

/// Counts of the selected touchpoints by period and dimensions, grouped
/// here: the default of [`Store::count_touchpoints`].
pub fn count_by_reading(
    store: &(impl Store + ?Sized),
    selection: &TouchpointSelection,
    period: Option<Period>,
    by: &[CountDimension],
) -> Result<Vec<TouchpointCount>> {
    let kinds: HashMap<CustomerId, String> = if by.contains(&CountDimension::CustomerKind) {
        store
            .customer_summaries()?
            .into_iter()
            .map(|c| (c.id, c.kind.as_str().to_owned()))
            .collect()
    } else {
        HashMap::new()
    };
    let mut groups: BTreeMap<(Option<NaiveDate>, Vec<String>), (u64, f64)> = BTreeMap::new();
    for touchpoint in select_by_reading(
        store,
        &TouchpointSelection {
            after: None,
            limit: None,
            ..selection.clone()
        },
    )? {
        let group = by
            .iter()
            .map(|dimension| match dimension {
                CountDimension::Channel => touchpoint.channel.as_str().to_owned(),
                CountDimension::Action => touchpoint.action.clone(),
                CountDimension::Stage => touchpoint
                    .stage
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default(),
                CountDimension::Direction => touchpoint.direction.as_str().to_owned(),
                CountDimension::CustomerKind => touchpoint
                    .customer_id
                    .and_then(|id| kinds.get(&id).cloned())
                    .unwrap_or_default(),
                CountDimension::Technician => technician_of(&touchpoint).unwrap_or_default(),
                CountDimension::Property { name } => match touchpoint.properties.get(name) {
                    None | Some(serde_json::Value::Null) => String::new(),
                    Some(serde_json::Value::String(text)) => text.clone(),
                    Some(other) => other.to_string(),
                },
            })
            .collect();
        let key = (period.map(|p| period_start(p, touchpoint.at)), group);
        let entry = groups.entry(key).or_insert((0, 0.0));
        entry.0 += 1;
        entry.1 += touchpoint.value.and_then(|v| v.to_f64()).unwrap_or(0.0);
    }
    Ok(groups
        .into_iter()
        .map(
            |((period_start, group), (touchpoints, value))| TouchpointCount {
                period_start,
                group,
                touchpoints,
                value,
            },
        )
        .collect())
}
