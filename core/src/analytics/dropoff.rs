//! Where people drop off and why: "what happened next" after a step (the
//! next actions people took, with shares, and how many did nothing within
//! N days) and the last touchpoint before people stopped ("customers stop
//! after opening the statement email").
//!
//! Definitions, pinned by tests:
//! - A person's step is their first touchpoint in the range matching the
//!   step (action, channels, campaign, properties, as a funnel step).
//! - What they did next is their first touchpoint after it, at most
//!   `within_days` later, that they made themselves (inbound, by the
//!   customer); none in that time is "nothing within N days".
//! - A customer has *stopped* when they made no touchpoint for
//!   `quiet_days` before `as_of`; what they did last is their latest
//!   touchpoint they made themselves.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::analytics::funnel::{FunnelStep, StepMatcher};
use crate::book::Book;
use crate::domain::journey::{normalize_action, normalize_label};
use crate::domain::limits;
use crate::domain::periods::check_range;
use crate::foundation::sorting;
use crate::model::{Actor, Direction, JourneyChannel};
use crate::store::JourneyRow;
use crate::{Error, Result};

/// What to follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NextActionsQuery {
    /// The step people took.
    pub step: FunnelStep,
    /// Days after the step within which what they did next counts.
    pub within_days: u32,
    /// Only steps at or after this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub since: Option<DateTime<Utc>>,
    /// Only steps before this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
}

/// People who did one thing next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ActionShare {
    /// The action.
    pub action: String,
    /// The channel it was on (the commonest, for a last action).
    pub channel: JourneyChannel,
    /// People.
    pub people: u64,
    /// people ÷ all the people counted.
    pub share: f64,
}

/// What people did after a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NextActionsReport {
    /// People who took the step.
    pub people: u64,
    /// What they did next, most people first.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub next: Vec<ActionShare>,
    /// People who did nothing within the days allowed.
    pub nothing: u64,
    /// nothing ÷ people.
    pub nothing_share: f64,
}

/// Who counts as stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StoppedQuery {
    /// The moment to look back from.
    pub as_of: DateTime<Utc>,
    /// Days without a touchpoint of their own that make a customer stopped.
    pub quiet_days: u32,
}

/// What stopped customers did last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StoppedReport {
    /// Customers who made a touchpoint once and then stopped.
    pub stopped: u64,
    /// Their last action, most customers first.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub last: Vec<ActionShare>,
}

fn own(row: &JourneyRow) -> bool {
    row.actor == Actor::Customer && row.direction == Direction::Inbound
}

fn shares(counts: BTreeMap<String, BTreeMap<JourneyChannel, u64>>, total: u64) -> Vec<ActionShare> {
    let mut out: Vec<ActionShare> = counts
        .into_iter()
        .map(|(action, channels)| {
            let people = channels.values().sum();
            let channel = channels
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map_or(JourneyChannel::Other, |(channel, _)| *channel);
            ActionShare {
                action,
                channel,
                people,
                share: if total == 0 {
                    0.0
                } else {
                    people as f64 / total as f64
                },
            }
        })
        .collect();
    sorting::sort_by(&mut out, |a, b| {
        b.people.cmp(&a.people).then(a.action.cmp(&b.action))
    });
    out
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// What people did after a step: their next own action within
    /// `within_days`, with shares, and how many did nothing in that time.
    /// See the module documentation.
    pub fn next_actions(&self, query: &NextActionsQuery) -> Result<NextActionsReport> {
        if query.within_days == 0 {
            return Err(Error::invalid("within_days", "must be at least 1 day"));
        }
        limits::days(query.within_days, "within_days")?;
        check_range(query.since, query.until)?;
        let mut step = query.step.clone();
        step.action = normalize_action(&step.action, "step.action")?;
        step.campaign = normalize_label(step.campaign.as_deref());
        self.require_action("step.action", &step.action)?;
        let steps = [step];
        let matcher = StepMatcher::new(self, &steps)?;
        let window = Duration::days(i64::from(query.within_days));
        let mut people = 0u64;
        let mut nothing = 0u64;
        let mut next: BTreeMap<String, BTreeMap<JourneyChannel, u64>> = BTreeMap::new();
        let in_range = |at: DateTime<Utc>| {
            query.since.is_none_or(|s| at >= s) && query.until.is_none_or(|u| at < u)
        };
        self.for_each_journey(query.since, None, |rows| {
            let Some(start) = rows
                .iter()
                .position(|row| in_range(row.at) && matcher.matches(0, row))
            else {
                return;
            };
            people += 1;
            let taken = &rows[start];
            let found = rows[start + 1..]
                .iter()
                .take_while(|row| row.at <= taken.at + window)
                .find(|row| own(row));
            match found {
                Some(row) => {
                    *next
                        .entry(row.action.clone())
                        .or_default()
                        .entry(row.channel)
                        .or_default() += 1;
                }
                None => nothing += 1,
            }
        })?;
        Ok(NextActionsReport {
            people,
            next: shares(next, people),
            nothing,
            nothing_share: if people == 0 {
                0.0
            } else {
                nothing as f64 / people as f64
            },
        })
    }

    /// What customers who stopped did last: among customers whose latest
    /// touchpoint of their own is more than `quiet_days` before `as_of`,
    /// that touchpoint's action, with shares.
    pub fn last_before_stopping(&self, query: &StoppedQuery) -> Result<StoppedReport> {
        if query.quiet_days == 0 {
            return Err(Error::invalid("quiet_days", "must be at least 1 day"));
        }
        limits::days(query.quiet_days, "quiet_days")?;
        let as_of = limits::instant(query.as_of, "as_of")?;
        let cutoff = as_of - Duration::days(i64::from(query.quiet_days));
        let mut stopped = 0u64;
        let mut last: BTreeMap<String, BTreeMap<JourneyChannel, u64>> = BTreeMap::new();
        self.for_each_journey(None, Some(as_of), |rows| {
            if rows.first().and_then(|r| r.customer_id).is_none() {
                return;
            }
            if let Some(row) = rows.iter().rev().find(|row| own(row))
                && row.at < cutoff
            {
                stopped += 1;
                *last
                    .entry(row.action.clone())
                    .or_default()
                    .entry(row.channel)
                    .or_default() += 1;
            }
        })?;
        Ok(StoppedReport {
            stopped,
            last: shares(last, stopped),
        })
    }
}
