//! Questions about the whole book: touchpoints and history entries across
//! every customer, filtered by period, channel, action, kind of entry,
//! segment, customer kind, tag and technician, as pages or as counts
//! grouped by period and dimensions ("portal logins per month by customer
//! kind", "skipped visits per technician per month with reasons"), and the
//! company's receivables (total owed, aging across customers, who owes most).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::book::{Book, now};
use crate::domain::journey::normalize_action;
use crate::domain::ledger::Ledger;
use crate::domain::periods::check_range;
use crate::foundation::sorting;
use crate::model::{
    BookEntryPage, BookFilter, BookTouchpointPage, CountDimension, Debtor, Entry, EntryKind,
    EntryQuery, Receivables, ScanPosition, TouchpointCount, TouchpointCountQuery,
};
use crate::store::TouchpointSelection;
use crate::{CustomerId, EntryId, Error, Result};

/// The most touchpoints or entries one page holds.
pub const MAX_BOOK_PAGE: u32 = 10_000;

/// The most dimensions counts are grouped by.
pub const MAX_COUNT_DIMENSIONS: usize = 3;

/// The most debtors a receivables report lists.
pub const MAX_TOP_DEBTORS: u32 = 1000;

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// One page of touchpoints across the whole book matching `filter`,
    /// oldest first (`limit` default 1000, at most 10,000); pass the page's
    /// `next_cursor` as `cursor` for the next.
    pub fn find_touchpoints(
        &self,
        filter: &BookFilter,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> Result<BookTouchpointPage> {
        let limit = page_limit(limit)?;
        let mut selection = self.selection(filter)?;
        selection.after = cursor.as_deref().map(decode_cursor).transpose()?;
        selection.limit = Some(limit + 1);
        let mut touchpoints = self.store.select_touchpoints(&selection)?;
        let next_cursor = if touchpoints.len() > limit as usize {
            touchpoints.truncate(limit as usize);
            touchpoints.last().map(|t| encode_cursor(t.at, t.id))
        } else {
            None
        };
        Ok(BookTouchpointPage {
            touchpoints,
            next_cursor,
        })
    }

    /// Counts of the touchpoints `query.filter` selects, grouped by period
    /// (UTC days, Monday weeks, months) and up to three dimensions, ordered
    /// by period then group. Each row has the group's touchpoints and the
    /// sum of their values.
    pub fn count_touchpoints(&self, query: &TouchpointCountQuery) -> Result<Vec<TouchpointCount>> {
        if query.by.len() > MAX_COUNT_DIMENSIONS {
            return Err(Error::invalid(
                "by",
                format!("group by at most {MAX_COUNT_DIMENSIONS} dimensions"),
            ));
        }
        for (index, dimension) in query.by.iter().enumerate() {
            if let CountDimension::Property { name } = dimension
                && (name.is_empty()
                    || name.len() > 64
                    || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            {
                return Err(Error::invalid(
                    format!("by[{index}].name"),
                    "must be a property name of letters, digits and underscores, at most 64",
                ));
            }
        }
        let selection = self.selection(&query.filter)?;
        self.store
            .count_touchpoints(&selection, query.period, &query.by)
    }

    /// One page of history entries across the whole book matching
    /// `filter` (its period, kinds, customers and technician; a
    /// technician's entries are their visits), newest first.
    pub fn find_entries(
        &self,
        filter: &BookFilter,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> Result<BookEntryPage> {
        let limit = page_limit(limit)?;
        check_range(filter.since, filter.until)?;
        let customers: Option<HashSet<CustomerId>> = self
            .customers_of(filter)?
            .map(|ids| ids.into_iter().collect());
        let mut before = cursor
            .as_deref()
            .map(decode_cursor)
            .transpose()?
            .map(|(at, id)| ScanPosition {
                at,
                key: format!("e:{id}"),
            });
        let mut entries = Vec::new();
        let chunk = (limit + 1).max(200);
        loop {
            let found = self.store.entries(&EntryQuery {
                kinds: if filter.technician_id.is_some() {
                    vec![EntryKind::Visit]
                } else {
                    filter.kinds.clone()
                },
                since: filter.since,
                until: filter.until,
                newest_first: true,
                before: before.clone(),
                limit: Some(chunk),
                ..EntryQuery::default()
            })?;
            let exhausted = found.len() < chunk as usize;
            for stored in found {
                let entry = stored.entry;
                before = Some(ScanPosition {
                    at: entry.at(),
                    key: format!("e:{}", entry.id()),
                });
                let wanted = customers
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&entry.customer_id()))
                    && (filter.kinds.is_empty() || filter.kinds.contains(&entry.kind()))
                    && filter.technician_id.is_none_or(|technician| {
                        matches!(&entry, Entry::Visit(v) if v.technician_id == Some(technician))
                    });
                if wanted {
                    entries.push(entry);
                    if entries.len() > limit as usize {
                        break;
                    }
                }
            }
            if exhausted || entries.len() > limit as usize {
                break;
            }
        }
        let next_cursor = if entries.len() > limit as usize {
            entries.truncate(limit as usize);
            entries.last().map(|e| encode_cursor(e.at(), e.id()))
        } else {
            None
        };
        Ok(BookEntryPage {
            entries,
            next_cursor,
        })
    }

    /// What the company is owed on `as_of`, across every live customer:
    /// the total, the aging buckets summed, how many customers owe, and the
    /// `top` (default 10, at most 1000) who owe most.
    pub fn receivables(&self, as_of: NaiveDate, top: Option<u32>) -> Result<Receivables> {
        let top = top.unwrap_or(10);
        if top > MAX_TOP_DEBTORS {
            return Err(Error::invalid(
                "top",
                format!("must be at most {MAX_TOP_DEBTORS}"),
            ));
        }
        let mut by_customer: HashMap<CustomerId, (Vec<_>, Vec<_>, Vec<_>)> = HashMap::new();
        for stored in self.store.entries(&EntryQuery {
            kinds: vec![EntryKind::Invoice, EntryKind::Payment, EntryKind::Credit],
            ..EntryQuery::default()
        })? {
            let parts = by_customer.entry(stored.entry.customer_id()).or_default();
            match stored.entry {
                Entry::Invoice(invoice) => parts.0.push(invoice),
                Entry::Payment(payment) => parts.1.push(payment),
                Entry::Credit(credit) => parts.2.push(credit),
                _ => {}
            }
        }
        let names: HashMap<CustomerId, (String, bool)> = self
            .store
            .customer_summaries()?
            .into_iter()
            .map(|c| (c.id, (c.display_name, c.archived)))
            .collect();
        let mut report = Receivables {
            as_of,
            total_owed: Decimal::ZERO,
            current: Decimal::ZERO,
            days_1_30: Decimal::ZERO,
            days_31_60: Decimal::ZERO,
            days_61_90: Decimal::ZERO,
            over_90: Decimal::ZERO,
            unapplied: Decimal::ZERO,
            customers_owing: 0,
            top_debtors: Vec::new(),
        };
        let mut debtors = Vec::new();
        for (customer_id, (invoices, payments, credits)) in by_customer {
            let Some((display_name, archived)) = names.get(&customer_id) else {
                continue;
            };
            if *archived {
                continue;
            }
            let ledger = Ledger::new(invoices, payments, credits);
            let aging = ledger.aging(as_of);
            report.current = report.current.saturating_add(aging.current);
            report.days_1_30 = report.days_1_30.saturating_add(aging.days_1_30);
            report.days_31_60 = report.days_31_60.saturating_add(aging.days_31_60);
            report.days_61_90 = report.days_61_90.saturating_add(aging.days_61_90);
            report.over_90 = report.over_90.saturating_add(aging.over_90);
            report.unapplied = report.unapplied.saturating_add(aging.unapplied);
            report.total_owed = report.total_owed.saturating_add(aging.total_due);
            if aging.total_due > Decimal::ZERO {
                report.customers_owing += 1;
                let oldest = ledger
                    .invoice_balances()
                    .iter()
                    .filter(|b| b.remaining > Decimal::ZERO)
                    .map(|b| (as_of - b.due_on).num_days().max(0))
                    .max()
                    .unwrap_or(0);
                debtors.push(Debtor {
                    customer_id,
                    display_name: display_name.clone(),
                    owed: aging.total_due,
                    over_30: aging
                        .days_31_60
                        .saturating_add(aging.days_61_90)
                        .saturating_add(aging.over_90),
                    oldest_days_past_due: oldest,
                });
            }
        }
        sorting::sort_by(&mut debtors, |a, b| {
            b.owed
                .cmp(&a.owed)
                .then_with(|| a.display_name.cmp(&b.display_name))
        });
        debtors.truncate(top as usize);
        report.top_debtors = debtors;
        Ok(report)
    }
}

impl Book {
    /// The store selection `filter` asks for, its customers resolved.
    pub(crate) fn selection(&self, filter: &BookFilter) -> Result<TouchpointSelection> {
        check_range(filter.since, filter.until)?;
        let actions = filter
            .actions
            .iter()
            .enumerate()
            .map(|(i, a)| normalize_action(a, &format!("filter.actions[{i}]")))
            .collect::<Result<Vec<_>>>()?;
        Ok(TouchpointSelection {
            since: filter.since,
            until: filter.until,
            channels: filter.channels.clone(),
            actions,
            directions: filter.directions.clone(),
            customers: self.customers_of(filter)?,
            technician_id: filter.technician_id,
            after: None,
            limit: None,
        })
    }

    /// The customers `filter`'s customer conditions (segment, kinds, tags)
    /// allow, or `None` when it has none.
    pub(crate) fn customers_of(&self, filter: &BookFilter) -> Result<Option<Vec<CustomerId>>> {
        if filter.segment.is_none() && filter.customer_kinds.is_empty() && filter.tags.is_empty() {
            return Ok(None);
        }
        let members: Option<HashSet<CustomerId>> = match &filter.segment {
            Some(name) => Some(
                self.segment_members(name, now())?
                    .into_iter()
                    .map(|m| m.customer_id)
                    .collect(),
            ),
            None => None,
        };
        let tags: Vec<String> = filter.tags.iter().map(|t| t.trim().to_owned()).collect();
        Ok(Some(
            self.store
                .customer_summaries()?
                .into_iter()
                .filter(|c| {
                    members.as_ref().is_none_or(|m| m.contains(&c.id))
                        && (filter.customer_kinds.is_empty()
                            || filter.customer_kinds.contains(&c.kind))
                        && (tags.is_empty() || c.tags.iter().any(|t| tags.contains(t)))
                })
                .map(|c| c.id)
                .collect(),
        ))
    }
}

fn page_limit(limit: Option<u32>) -> Result<u32> {
    let limit = limit.unwrap_or(1000);
    if limit == 0 || limit > MAX_BOOK_PAGE {
        return Err(Error::invalid(
            "limit",
            format!("must be between 1 and {MAX_BOOK_PAGE}"),
        ));
    }
    Ok(limit)
}

fn encode_cursor(at: DateTime<Utc>, id: EntryId) -> String {
    format!(
        "{}|{id}",
        at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    )
}

fn decode_cursor(cursor: &str) -> Result<(DateTime<Utc>, EntryId)> {
    let malformed = || Error::invalid("cursor", "is not a cursor this book gave out");
    let (at, id) = cursor.split_once('|').ok_or_else(malformed)?;
    let at = DateTime::parse_from_rfc3339(at)
        .map_err(|_| malformed())?
        .with_timezone(&Utc);
    Ok((at, id.parse().map_err(|_| malformed())?))
}
