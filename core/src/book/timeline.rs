//! The timeline: a customer's (or one location's) history of every kind,
//! newest first, with the change-log rows a person cares about woven in,
//! paged by a cursor that keeps entries with equal times in one fixed order.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::model::ChangeRecord;
use crate::model::{Entry, EntryKind, Touchpoint};
use crate::model::{EntryQuery, NotableChangeQuery, ScanPosition, TouchpointQuery};
use crate::{Author, CustomerId, Error, LocationId, Result};

/// Default timeline page size.
pub const DEFAULT_TIMELINE_PAGE: u32 = 50;
/// Largest timeline page size.
pub const MAX_TIMELINE_PAGE: u32 = 1000;

/// Which timeline to read: exactly one of `customer_id` and `location_id`.
/// A customer's timeline includes their journey's touchpoints.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TimelineQuery {
    /// A customer's whole history.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub customer_id: Option<CustomerId>,
    /// One location's history (it follows the location across owners).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub location_id: Option<LocationId>,
    /// Only these kinds of entry (all when empty).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub kinds: Vec<EntryKind>,
    /// Only items at or after this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub since: Option<DateTime<Utc>>,
    /// Only items before this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub until: Option<DateTime<Utc>>,
    /// Weave in notable change-log rows ("rate changed", "gate code changed").
    pub include_changes: bool,
    /// The previous page's `next_cursor`.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub cursor: Option<String>,
    /// Page size (default 50, at most 1000).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub limit: Option<u32>,
}

/// One item of a timeline.
// Entries are most of a timeline; boxing them would allocate per item.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "item", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TimelineItem {
    /// A history entry and who recorded it.
    Entry {
        /// The entry.
        entry: Entry,
        /// Who recorded it.
        author: Author,
    },
    /// A notable change to the record.
    Change(ChangeRecord),
    /// A step of the customer's journey.
    Touchpoint(Touchpoint),
}

impl fmt::Display for TimelineItem {
    /// One line of a history: when (UTC), then the entry, the change or the
    /// touchpoint: `2026-11-03 14:05  visit completed: FC 3 · pH 7.6`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}  ", self.at().format("%Y-%m-%d %H:%M"))?;
        match self {
            TimelineItem::Entry { entry, .. } => write!(f, "{entry}"),
            TimelineItem::Change(change) => {
                let fields: Vec<String> = change.changes.iter().map(ToString::to_string).collect();
                write!(f, "{} {}", change.entity.label(), change.action)?;
                if !fields.is_empty() {
                    write!(f, ": {}", fields.join("; "))?;
                }
                Ok(())
            }
            TimelineItem::Touchpoint(touchpoint) => {
                let action = touchpoint.action.replace('_', " ");
                let channel = touchpoint.channel.label();
                if action.contains(&channel) {
                    f.write_str(&action) // "email sent", not "email sent via email"
                } else {
                    write!(f, "{action} via {channel}")
                }
            }
        }
    }
}

impl TimelineItem {
    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            TimelineItem::Entry { entry, .. } => entry.at(),
            TimelineItem::Change(change) => change.at,
            TimelineItem::Touchpoint(touchpoint) => touchpoint.at,
        }
    }

    fn position(&self) -> ScanPosition {
        let key = match self {
            TimelineItem::Entry { entry, .. } => format!("e:{}", entry.id()),
            TimelineItem::Change(change) => format!("c:{:020}", change.seq),
            TimelineItem::Touchpoint(touchpoint) => format!("t:{}", touchpoint.id),
        };
        ScanPosition { at: self.at(), key }
    }
}

/// One page of a timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TimelinePage {
    /// Items, newest first.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub items: Vec<TimelineItem>,
    /// Pass as `cursor` for the next page; `None` on the last page.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub next_cursor: Option<String>,
}

fn encode_cursor(position: &ScanPosition) -> String {
    format!(
        "{}|{}",
        position
            .at
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        position.key
    )
}

fn decode_cursor(cursor: &str) -> Result<ScanPosition> {
    let malformed = || Error::invalid("cursor", "is not a cursor this book gave out");
    let (at, key) = cursor.split_once('|').ok_or_else(malformed)?;
    let at = DateTime::parse_from_rfc3339(at)
        .map_err(|_| malformed())?
        .with_timezone(&Utc);
    if !["e:", "c:", "t:"]
        .iter()
        .any(|prefix| key.starts_with(prefix))
    {
        return Err(malformed());
    }
    Ok(ScanPosition {
        at,
        key: key.to_owned(),
    })
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// One page of a customer's or a location's history, newest first.
    /// Entries with equal times keep one fixed order, so paging never skips
    /// or repeats an item.
    pub fn timeline(&self, query: &TimelineQuery) -> Result<TimelinePage> {
        if query.customer_id.is_some() == query.location_id.is_some() {
            return Err(Error::invalid(
                "customer_id",
                "give exactly one of customer_id and location_id",
            ));
        }
        let limit = query.limit.unwrap_or(DEFAULT_TIMELINE_PAGE);
        if limit == 0 || limit > MAX_TIMELINE_PAGE {
            return Err(Error::invalid(
                "limit",
                format!("must be between 1 and {MAX_TIMELINE_PAGE}"),
            ));
        }
        let before = query.cursor.as_deref().map(decode_cursor).transpose()?;
        let entries = self.store.entries(&EntryQuery {
            customer_id: query.customer_id,
            location_id: query.location_id,
            kinds: query.kinds.clone(),
            since: query.since,
            until: query.until,
            newest_first: true,
            before: before.clone(),
            limit: Some(limit + 1),
            ..EntryQuery::default()
        })?;
        let mut items: Vec<TimelineItem> = entries
            .into_iter()
            .map(|stored| TimelineItem::Entry {
                entry: stored.entry,
                author: stored.author,
            })
            .collect();
        let wants_touchpoints =
            query.kinds.is_empty() || query.kinds.contains(&EntryKind::Touchpoint);
        if let (Some(customer_id), true) = (query.customer_id, wants_touchpoints) {
            let touchpoints = self.store.touchpoints(&TouchpointQuery {
                customer_id: Some(customer_id),
                since: query.since,
                until: query.until,
                newest_first: true,
                exclude_operations: true,
                before: before.clone(),
                limit: Some(limit + 1),
                ..TouchpointQuery::default()
            })?;
            items.extend(touchpoints.into_iter().map(TimelineItem::Touchpoint));
        }
        if query.include_changes {
            let changes = self.store.notable_changes(&NotableChangeQuery {
                customer_id: query.customer_id,
                location_id: query.location_id,
                since: query.since,
                until: query.until,
                before,
                limit: limit + 1,
            })?;
            items.extend(changes.into_iter().map(TimelineItem::Change));
        }
        items.sort_by_cached_key(|item| std::cmp::Reverse(item.position()));
        let next_cursor = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items.last().map(|item| encode_cursor(&item.position()))
        } else {
            None
        };
        Ok(TimelinePage { items, next_cursor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let position = ScanPosition {
            at: DateTime::parse_from_rfc3339("2026-03-01T10:00:00.000001Z")
                .unwrap()
                .with_timezone(&Utc),
            key: "c:00000000000000000042".into(),
        };
        assert_eq!(decode_cursor(&encode_cursor(&position)).unwrap(), position);
        for bad in ["", "nonsense", "2026-03-01T10:00:00Z|x:1", "yesterday|e:1"] {
            let error = decode_cursor(bad).unwrap_err().to_string();
            assert!(error.starts_with("invalid cursor"), "{bad}: {error}");
        }
    }
}
