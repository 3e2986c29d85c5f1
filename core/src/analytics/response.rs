//! Lead response time: how long inbound leads (an estimate request, an
//! inbound call or message) wait for the first reply by staff on any
//! channel, and which leads are still waiting.
//!
//! A lead is the first inbound lead touchpoint by a person since the last
//! staff reply to them (a customer who calls twice before being called back
//! is one lead, timed from the first call). Its reply is the first outbound
//! touchpoint by staff at or after it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::analytics::funnel::percentile;
use crate::book::Book;
use crate::domain::journey::normalize_action;
use crate::foundation::sorting;
use crate::model::{Actor, Direction, JourneyChannel, actions};
use crate::store::JourneyRow;
use crate::{CustomerId, Error, Result};

/// The default lead actions.
pub const DEFAULT_LEAD_ACTIONS: &[&str] =
    &[actions::ESTIMATE_REQUESTED, actions::CALL, actions::MESSAGE];

/// Which leads to time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ResponseTimeQuery {
    /// Only leads at or after this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub since: Option<DateTime<Utc>>,
    /// Only leads before this time (replies after it still count).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub until: Option<DateTime<Utc>>,
    /// The answer time that counts as good, in minutes (default 60).
    pub target_minutes: u32,
    /// Inbound actions that are leads (default: estimate requested, call, message).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub lead_actions: Vec<String>,
}

impl Default for ResponseTimeQuery {
    fn default() -> Self {
        ResponseTimeQuery {
            since: None,
            until: None,
            target_minutes: 60,
            lead_actions: Vec::new(),
        }
    }
}

/// A lead nobody has answered yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UnansweredLead {
    /// The customer, if known.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub customer_id: Option<CustomerId>,
    /// The visitor, if not yet a known customer.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub visitor_id: Option<String>,
    /// When the lead came in.
    pub at: DateTime<Utc>,
    /// What it was.
    pub action: String,
    /// Where.
    pub channel: JourneyChannel,
}

/// How fast leads were answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ResponseTimeReport {
    /// Leads counted.
    pub leads: u64,
    /// Leads answered.
    pub answered: u64,
    /// Median seconds to the first reply, among answered leads.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub median_seconds: Option<f64>,
    /// 90th-percentile seconds to the first reply.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub p90_seconds: Option<f64>,
    /// The target, in minutes.
    pub target_minutes: u32,
    /// Share of all leads (answered or not) answered within the target.
    pub within_target: f64,
    /// Leads still waiting, oldest first.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub unanswered: Vec<UnansweredLead>,
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Times the first staff reply to each inbound lead (see the module
    /// documentation for the definitions).
    pub fn lead_response_times(&self, query: &ResponseTimeQuery) -> Result<ResponseTimeReport> {
        if query.target_minutes == 0 {
            return Err(Error::invalid(
                "target_minutes",
                "must be at least 1 minute",
            ));
        }
        let lead_actions: Vec<String> = if query.lead_actions.is_empty() {
            DEFAULT_LEAD_ACTIONS
                .iter()
                .map(|a| (*a).to_owned())
                .collect()
        } else {
            query
                .lead_actions
                .iter()
                .enumerate()
                .map(|(i, a)| normalize_action(a, &format!("lead_actions[{i}]")))
                .collect::<Result<_>>()?
        };
        let in_range = |at: DateTime<Utc>| {
            query.since.is_none_or(|s| at >= s) && query.until.is_none_or(|u| at < u)
        };
        let per_person = |responses: &mut Responses, rows: &[JourneyRow]| {
            let mut waiting: Option<&JourneyRow> = None;
            for row in rows {
                let is_reply = row.actor == Actor::Staff && row.direction == Direction::Outbound;
                let is_lead = row.direction == Direction::Inbound
                    && row.actor == Actor::Customer
                    && lead_actions.contains(&row.action);
                if is_reply {
                    if let Some(lead) = waiting.take() {
                        responses.durations.push((row.at - lead.at).num_seconds());
                    }
                } else if is_lead && waiting.is_none() && in_range(row.at) {
                    responses.leads += 1;
                    waiting = Some(row);
                }
            }
            // A lead still waiting when its person's touchpoints end.
            if let Some(lead) = waiting {
                responses.unanswered.push(UnansweredLead {
                    customer_id: lead.customer_id,
                    visitor_id: lead.visitor_id.clone(),
                    at: lead.at,
                    action: lead.action.clone(),
                    channel: lead.channel,
                });
            }
        };
        // The parts come in person order, so the unanswered leads keep the
        // order of one scan before they are sorted by time.
        let Responses {
            leads,
            mut durations,
            mut unanswered,
        } = self
            .fold_journeys_in_parts(query.since, None, Responses::default, per_person)?
            .into_iter()
            .fold(Responses::default(), |mut all, part| {
                all.leads += part.leads;
                all.durations.extend(part.durations);
                all.unanswered.extend(part.unanswered);
                all
            });
        sorting::sort_by_key(&mut unanswered, |lead| lead.at);
        durations.sort_unstable();
        let target = i64::from(query.target_minutes) * 60;
        let fast = durations
            .iter()
            .filter(|seconds| **seconds <= target)
            .count();
        Ok(ResponseTimeReport {
            leads,
            answered: durations.len() as u64,
            median_seconds: percentile(&durations, 0.5),
            p90_seconds: percentile(&durations, 0.9),
            target_minutes: query.target_minutes,
            within_target: if leads == 0 {
                0.0
            } else {
                fast as f64 / leads as f64
            },
            unanswered,
        })
    }
}

/// Leads, reply times and unanswered leads, of all people or of one part of
/// a split scan.
#[derive(Default)]
struct Responses {
    leads: u64,
    durations: Vec<i64>,
    unanswered: Vec<UnansweredLead>,
}
