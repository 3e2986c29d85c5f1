//! Retention, satisfaction and engagement over the whole book.
//!
//! Definitions, pinned by tests:
//! - A customer's status over time comes from their status touchpoints:
//!   `customer_created` (its `status`; the first, even when changes dated
//!   before it were entered later), `converted` (active), `churned`
//!   (cancelled) and `status_changed` (its `to`). They *became active* at
//!   the first of these that made them active; their cohort is that month
//!   (UTC).
//! - At a mark (activation + 1, 3, 6, 12 months) a customer is *retained*
//!   if their status then is active or paused. A mark after `as_of` is not
//!   measured yet; a cell's share is over the customers measured.
//! - Churned: cancelled as of `as_of`; the reason is the one their latest
//!   cancellation recorded.
//! - Satisfaction counts feedback entries; a rating of 4 or 5 is good, 1 or
//!   2 makes a detractor. A rating's technician is the rated visit's; its
//!   stage is the stage of the customer's latest staged touchpoint before
//!   it (other than feedback).
//! - Engagement counts touchpoints the customer made (inbound, by the
//!   customer): on the portal, and on email (opens, clicks, replies), in the
//!   last window and the one before. Quiet: no such touchpoint on any
//!   channel for `quiet_days`. Cancelled and archived customers are left out.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Months, NaiveDate, Utc};

use crate::book::Book;
use crate::domain::limits;
use crate::domain::periods::check_range;
use crate::domain::periods::period_start;
use crate::foundation::sorting;
use crate::model::{
    Actor, ChurnReason, Cohort, CustomerEngagement, Detractor, Direction, EngagementQuery, Entry,
    EntryKind, EntryQuery, JourneyChannel, LifecycleStatus, Period, PeriodRatings, RatingSummary,
    RetentionCell, RetentionQuery, RetentionReport, SatisfactionQuery, SatisfactionReport, Stage,
    StageRatings, TechnicianRatings, TouchpointQuery, Trend, actions,
};
use crate::{CustomerId, EntryId, Error, Result, TechnicianId};

/// The marks retention is measured at when a query names none.
pub const DEFAULT_RETENTION_MONTHS: &[u32] = &[1, 3, 6, 12];

/// The latest mark a retention query may ask for.
pub const MAX_RETENTION_MONTHS: u32 = 120;

/// One change of a customer's status.
struct StatusEvent {
    at: DateTime<Utc>,
    status: LifecycleStatus,
    reason: Option<String>,
    created: bool,
}

fn status_at(events: &[StatusEvent], at: DateTime<Utc>) -> Option<&StatusEvent> {
    events.iter().take_while(|event| event.at <= at).last()
}

fn summary(ratings: &[u8]) -> RatingSummary {
    let responses = ratings.len() as u64;
    let (sum, good) = ratings.iter().fold((0u64, 0u64), |(sum, good), &r| {
        (sum + u64::from(r), good + u64::from(r >= 4))
    });
    let share = |n: u64| {
        if responses == 0 {
            0.0
        } else {
            n as f64 / responses as f64
        }
    };
    RatingSummary {
        responses,
        average: share(sum),
        share_4_5: share(good),
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Cohort retention: customers by the month they became active, how
    /// many were still customers 1, 3, 6 and 12 months later (or the
    /// query's marks), and churn with its reasons. See the module
    /// documentation for the definitions.
    pub fn retention(&self, query: &RetentionQuery) -> Result<RetentionReport> {
        check_range(query.since, query.until)?;
        let months: Vec<u32> = if query.months.is_empty() {
            DEFAULT_RETENTION_MONTHS.to_vec()
        } else {
            query.months.clone()
        };
        for (index, &m) in months.iter().enumerate() {
            if m == 0 || m > MAX_RETENTION_MONTHS {
                return Err(Error::invalid(
                    format!("months[{index}]"),
                    format!("must be from 1 to {MAX_RETENTION_MONTHS} months"),
                ));
            }
        }
        let as_of = limits::instant(query.as_of, "as_of")?;
        let changes = self
            .store
            .status_changes(Some(as_of + Duration::microseconds(1)))?;
        let mut timelines: HashMap<CustomerId, Vec<StatusEvent>> = HashMap::new();
        for change in changes {
            let status = match change.action.as_str() {
                actions::CONVERTED => Some(LifecycleStatus::Active),
                actions::CHURNED => Some(LifecycleStatus::Cancelled),
                _ => change.status.as_deref().and_then(|s| s.parse().ok()),
            };
            if let Some(status) = status {
                timelines
                    .entry(change.customer_id)
                    .or_default()
                    .push(StatusEvent {
                        at: change.at,
                        status,
                        created: change.action == actions::CUSTOMER_CREATED,
                        reason: change.reason,
                    });
            }
        }
        // A record created after changes dated before it (history entered
        // later) started with its created status: creation goes first.
        for events in timelines.values_mut() {
            if let Some(index) = events.iter().position(|e| e.created)
                && index > 0
            {
                let mut created = events.remove(index);
                created.at = events[0].at - Duration::microseconds(1);
                events.insert(0, created);
            }
        }
        let mut cohorts: BTreeMap<NaiveDate, (u64, Vec<(u64, u64)>)> = BTreeMap::new();
        let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
        let mut churned = 0;
        for events in timelines.values() {
            let Some(activated) = events
                .iter()
                .find(|e| e.status == LifecycleStatus::Active)
                .map(|e| e.at)
            else {
                continue;
            };
            if query.since.is_some_and(|s| activated < s)
                || query.until.is_some_and(|u| activated >= u)
            {
                continue;
            }
            let cohort = cohorts
                .entry(period_start(Period::Month, activated))
                .or_insert_with(|| (0, vec![(0, 0); months.len()]));
            cohort.0 += 1;
            for (cell, &m) in cohort.1.iter_mut().zip(&months) {
                let Some(mark) = activated.checked_add_months(Months::new(m)) else {
                    continue;
                };
                if mark > as_of {
                    continue;
                }
                cell.0 += 1;
                if status_at(events, mark).is_some_and(|e| {
                    matches!(e.status, LifecycleStatus::Active | LifecycleStatus::Paused)
                }) {
                    cell.1 += 1;
                }
            }
            if let Some(last) = status_at(events, as_of)
                && last.status == LifecycleStatus::Cancelled
            {
                churned += 1;
                let reason = last
                    .reason
                    .clone()
                    .unwrap_or_else(|| "no reason recorded".to_owned());
                *reasons.entry(reason).or_default() += 1;
            }
        }
        let note = cohorts.is_empty().then(|| {
            "no customer became active in the range by as_of (activation is a converted, \
             customer_created as active, or status_changed to active touchpoint)"
                .to_owned()
        });
        let mut churn_reasons: Vec<ChurnReason> = reasons
            .into_iter()
            .map(|(reason, customers)| ChurnReason { reason, customers })
            .collect();
        sorting::sort_by(&mut churn_reasons, |a, b| {
            b.customers.cmp(&a.customers).then(a.reason.cmp(&b.reason))
        });
        Ok(RetentionReport {
            cohorts: cohorts
                .into_iter()
                .map(|(month, (customers, cells))| Cohort {
                    month,
                    customers,
                    cells: cells
                        .into_iter()
                        .zip(&months)
                        .map(|((measured, retained), &months)| RetentionCell {
                            months,
                            measured,
                            retained,
                            share: (measured > 0).then(|| retained as f64 / measured as f64),
                        })
                        .collect(),
                })
                .collect(),
            churned,
            churn_reasons,
            note,
        })
    }

    /// Satisfaction from feedback: the average rating and share of 4–5
    /// overall, by period, by technician and by journey stage, and the
    /// detractors (ratings of 1 or 2).
    pub fn satisfaction(&self, query: &SatisfactionQuery) -> Result<SatisfactionReport> {
        check_range(query.since, query.until)?;
        let period = query.period.unwrap_or(Period::Month);
        let feedback = self.store.entries(&EntryQuery {
            kinds: vec![EntryKind::Feedback],
            since: query.since,
            until: query.until,
            ..EntryQuery::default()
        })?;
        let names: HashMap<CustomerId, String> = self
            .store
            .customer_summaries()?
            .into_iter()
            .map(|c| (c.id, c.display_name))
            .collect();
        let mut all = Vec::new();
        let mut by_period: BTreeMap<NaiveDate, Vec<u8>> = BTreeMap::new();
        let mut by_technician: BTreeMap<TechnicianId, Vec<u8>> = BTreeMap::new();
        let mut by_stage: BTreeMap<Option<Stage>, Vec<u8>> = BTreeMap::new();
        let mut technicians: HashMap<EntryId, Option<TechnicianId>> = HashMap::new();
        let mut detractors = Vec::new();
        for stored in feedback {
            let Entry::Feedback(feedback) = stored.entry else {
                continue;
            };
            let rating = feedback.rating;
            all.push(rating);
            by_period
                .entry(period_start(period, feedback.at))
                .or_default()
                .push(rating);
            if let Some(visit) = feedback.visit_id {
                let technician = match technicians.get(&visit) {
                    Some(known) => *known,
                    None => {
                        let found = match self.store.entry(visit)? {
                            Some(stored) => match stored.entry {
                                Entry::Visit(v) => v.technician_id,
                                _ => None,
                            },
                            None => None,
                        };
                        technicians.insert(visit, found);
                        found
                    }
                };
                if let Some(technician) = technician {
                    by_technician.entry(technician).or_default().push(rating);
                }
            }
            let stage = self
                .store
                .touchpoints(&TouchpointQuery {
                    customer_id: Some(feedback.customer_id),
                    until: Some(feedback.at),
                    newest_first: true,
                    limit: Some(50),
                    ..TouchpointQuery::default()
                })?
                .into_iter()
                .find(|t| t.stage.is_some() && t.action != actions::FEEDBACK_GIVEN)
                .and_then(|t| t.stage);
            by_stage.entry(stage).or_default().push(rating);
            if rating <= 2 {
                detractors.push(Detractor {
                    customer_id: feedback.customer_id,
                    display_name: names
                        .get(&feedback.customer_id)
                        .cloned()
                        .unwrap_or_default(),
                    feedback_id: feedback.id,
                    at: feedback.at,
                    rating,
                    comment: feedback.comment,
                    issue_id: feedback.issue_id,
                });
            }
        }
        sorting::sort_by(&mut detractors, |a, b| {
            b.at.cmp(&a.at).then(a.feedback_id.cmp(&b.feedback_id))
        });
        Ok(SatisfactionReport {
            overall: summary(&all),
            by_period: by_period
                .into_iter()
                .map(|(period_start, r)| PeriodRatings {
                    period_start,
                    ratings: summary(&r),
                })
                .collect(),
            by_technician: by_technician
                .into_iter()
                .map(|(technician_id, r)| TechnicianRatings {
                    technician_id,
                    ratings: summary(&r),
                })
                .collect(),
            by_stage: by_stage
                .into_iter()
                .map(|(stage, r)| StageRatings {
                    stage,
                    ratings: summary(&r),
                })
                .collect(),
            detractors,
        })
    }

    /// Each live customer's portal and email activity in the last window
    /// and the one before, its trend, when they last did anything, and
    /// whether they have gone quiet. See the module documentation.
    pub fn engagement(&self, query: &EngagementQuery) -> Result<Vec<CustomerEngagement>> {
        let window = query.window_days.unwrap_or(30);
        let quiet_days = query.quiet_days.unwrap_or(60);
        for (field, days) in [("window_days", window), ("quiet_days", quiet_days)] {
            if days == 0 {
                return Err(Error::invalid(field, "must be at least 1 day"));
            }
            limits::days(days, field)?;
        }
        let as_of = limits::instant(query.as_of, "as_of")?;
        let window = Duration::days(i64::from(window));
        let quiet_since = as_of - Duration::days(i64::from(quiet_days));
        #[derive(Default)]
        struct Activity {
            portal: (u64, u64),
            email: (u64, u64),
            last: Option<DateTime<Utc>>,
        }
        let mut activity: HashMap<CustomerId, Activity> = HashMap::new();
        self.for_each_journey(None, Some(as_of), |rows| {
            let Some(customer) = rows.first().and_then(|r| r.customer_id) else {
                return;
            };
            let mut found = Activity::default();
            for row in rows {
                if row.actor != Actor::Customer || row.direction != Direction::Inbound {
                    continue;
                }
                found.last = Some(row.at);
                let slot = match row.channel {
                    JourneyChannel::Portal => &mut found.portal,
                    JourneyChannel::Email => &mut found.email,
                    _ => continue,
                };
                if row.at >= as_of - window {
                    slot.0 += 1;
                } else if row.at >= as_of - window - window {
                    slot.1 += 1;
                }
            }
            activity.insert(customer, found);
        })?;
        let mut out: Vec<CustomerEngagement> = self
            .store
            .customer_summaries()?
            .into_iter()
            .filter(|c| !c.archived && c.status != LifecycleStatus::Cancelled)
            .filter_map(|c| {
                let found = activity.remove(&c.id).unwrap_or_default();
                let recent = found.portal.0 + found.email.0;
                let before = found.portal.1 + found.email.1;
                let quiet = found.last.is_none_or(|last| last < quiet_since);
                (quiet || !query.only_quiet).then(|| CustomerEngagement {
                    customer_id: c.id,
                    display_name: c.display_name,
                    portal_recent: found.portal.0,
                    portal_before: found.portal.1,
                    email_recent: found.email.0,
                    email_before: found.email.1,
                    trend: match recent.cmp(&before) {
                        _ if recent == 0 && before == 0 => Trend::Inactive,
                        std::cmp::Ordering::Greater => Trend::Up,
                        std::cmp::Ordering::Less => Trend::Down,
                        std::cmp::Ordering::Equal => Trend::Flat,
                    },
                    last_active_at: found.last,
                    quiet,
                })
            })
            .collect();
        sorting::sort_by(&mut out, |a, b| {
            a.display_name
                .cmp(&b.display_name)
                .then(a.customer_id.cmp(&b.customer_id))
        });
        Ok(out)
    }
}
