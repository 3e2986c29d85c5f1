//! Feedback that closes the loop: the book's small, editable list of
//! feedback topics, linking feedback to the issue it led to, the customer's
//! feedback with "what we did" once that issue is resolved, and a report
//! by topic with how much feedback led to a fix and how fast.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::book::{Book, now};
use crate::domain::changes;
use crate::domain::journey::normalize_action;
use crate::domain::periods::{check_range, median_days};
use crate::foundation::sorting;
use crate::model::{
    ChangeAction, Entry, EntryKind, EntryQuery, Feedback, FieldChange, Issue, IssueStatus,
    NewChange,
};
use crate::store::{Write, WriteBatch};
use crate::{Author, CustomerId, EntityKind, EntryId, Error, Result};

/// The setting holding the book's feedback topics.
const TOPICS_KEY: &str = "feedback_topics";

/// The topics a new book offers.
pub const DEFAULT_FEEDBACK_TOPICS: &[&str] = &[
    "timing",
    "water_quality",
    "billing",
    "communication",
    "technician",
    "portal",
];

/// Most topics a book keeps.
pub const MAX_FEEDBACK_TOPICS: usize = 50;

/// The topic feedback without topics is reported under.
pub const NO_TOPIC: &str = "(none)";

/// A piece of feedback with what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FeedbackFollowUp {
    /// The feedback.
    pub feedback: Feedback,
    /// The issue it led to, if linked.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub issue: Option<Issue>,
    /// What we did: the issue's resolution, once resolved.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub what_we_did: Option<String>,
    /// Days from the feedback to the fix, once resolved.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub days_to_fix: Option<f64>,
}

/// Feedback on one topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TopicReport {
    /// The topic ("(none)" for feedback without one).
    pub topic: String,
    /// Feedback on it (feedback on two topics counts under each).
    pub feedback: u64,
    /// Their mean rating.
    pub average_rating: f64,
    /// Of them, linked to an issue.
    pub led_to_issue: u64,
    /// Of them, whose issue is resolved: fixed.
    pub fixed: u64,
    /// fixed ÷ feedback.
    pub share_fixed: f64,
    /// Median days from feedback to fix, among the fixed.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub median_days_to_fix: Option<f64>,
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// The book's feedback topics (timing, water quality, billing,
    /// communication, technician, portal until changed).
    pub fn feedback_topics(&self) -> Result<Vec<String>> {
        match self.store.setting(TOPICS_KEY)? {
            Some(stored) => serde_json::from_str(&stored)
                .map_err(|error| Error::storage("reading the feedback topics", error)),
            None => Ok(DEFAULT_FEEDBACK_TOPICS
                .iter()
                .map(|t| (*t).to_owned())
                .collect()),
        }
    }

    /// Replaces the feedback topics (names become snake_case; at least
    /// one, at most 50). Feedback already recorded keeps its topics.
    pub fn set_feedback_topics(&self, topics: Vec<String>, author: &Author) -> Result<Vec<String>> {
        author.check()?;
        if topics.is_empty() || topics.len() > MAX_FEEDBACK_TOPICS {
            return Err(Error::invalid(
                "topics",
                format!("give 1 to {MAX_FEEDBACK_TOPICS} topics"),
            ));
        }
        let mut normalized: Vec<String> = Vec::new();
        for (index, topic) in topics.iter().enumerate() {
            let name = normalize_action(topic, &format!("topics[{index}]"))?;
            if normalized.contains(&name) {
                return Err(Error::invalid(
                    format!("topics[{index}]"),
                    "repeats an earlier topic",
                ));
            }
            normalized.push(name);
        }
        let before = self.feedback_topics()?;
        let value = serde_json::to_string(&normalized)
            .map_err(|e| Error::storage("encoding the feedback topics", e))?;
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes: vec![Write::PutSetting {
                key: TOPICS_KEY.to_owned(),
                value,
            }],
            changes: vec![NewChange {
                entity: EntityKind::Setting,
                entity_id: TOPICS_KEY.to_owned(),
                customer_id: None,
                action: ChangeAction::Updated,
                changes: vec![FieldChange {
                    field: "value".to_owned(),
                    before: Value::from(before),
                    after: Value::from(normalized.clone()),
                    secret: false,
                }],
            }],
        })?;
        Ok(normalized)
    }

    /// Links feedback to the issue it led to (an issue of the same
    /// customer); once that issue is resolved, the feedback shows what was
    /// done ([`Book::feedback_follow_ups`]).
    pub fn link_feedback_issue(
        &self,
        feedback_id: EntryId,
        issue_id: EntryId,
        author: &Author,
    ) -> Result<Feedback> {
        author.check()?;
        let Entry::Feedback(before) = self.entry(feedback_id)?.entry else {
            return Err(Error::invalid("feedback_id", "is not feedback"));
        };
        let issue = self.entry(issue_id)?;
        if issue.entry.kind() != EntryKind::Issue || issue.entry.customer_id() != before.customer_id
        {
            return Err(Error::invalid(
                "issue_id",
                "names no issue of the feedback's customer",
            ));
        }
        if before.issue_id == Some(issue_id) {
            return Ok(before);
        }
        let mut after = before.clone();
        after.issue_id = Some(issue_id);
        let (old, new) = (Entry::Feedback(before), Entry::Feedback(after.clone()));
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes: vec![Write::UpdateEntry(new.clone())],
            changes: vec![NewChange {
                entity: EntityKind::Entry,
                entity_id: feedback_id.to_string(),
                customer_id: Some(after.customer_id),
                action: ChangeAction::Updated,
                changes: changes::field_changes(
                    Some(&changes::to_map(&old)),
                    Some(&changes::to_map(&new)),
                ),
            }],
        })?;
        Ok(after)
    }

    /// The customer's feedback, newest first, each with the issue it led
    /// to and, once that is resolved, what we did and how many days it took.
    pub fn feedback_follow_ups(&self, customer_id: CustomerId) -> Result<Vec<FeedbackFollowUp>> {
        self.customer(customer_id)?;
        let feedback = self.store.entries(&EntryQuery {
            customer_id: Some(customer_id),
            kinds: vec![EntryKind::Feedback],
            newest_first: true,
            ..EntryQuery::default()
        })?;
        feedback
            .into_iter()
            .filter_map(|stored| match stored.entry {
                Entry::Feedback(feedback) => Some(feedback),
                _ => None,
            })
            .map(|feedback| self.follow_up(feedback))
            .collect()
    }

    /// Feedback in `[since, until)` by topic: how much, its mean rating,
    /// how much led to an issue, how much to a fix, and how fast.
    pub fn feedback_report(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<TopicReport>> {
        check_range(since, until)?;
        let feedback = self.store.entries(&EntryQuery {
            kinds: vec![EntryKind::Feedback],
            since,
            until,
            ..EntryQuery::default()
        })?;
        #[derive(Default)]
        struct Tally {
            ratings: Vec<u8>,
            linked: u64,
            fixes: Vec<i64>,
        }
        let mut topics: BTreeMap<String, Tally> = BTreeMap::new();
        for stored in feedback {
            let Entry::Feedback(feedback) = stored.entry else {
                continue;
            };
            let follow_up = self.follow_up(feedback)?;
            let names = if follow_up.feedback.topics.is_empty() {
                vec![NO_TOPIC.to_owned()]
            } else {
                follow_up.feedback.topics.clone()
            };
            for name in names {
                let tally = topics.entry(name).or_default();
                tally.ratings.push(follow_up.feedback.rating);
                if follow_up.issue.is_some() {
                    tally.linked += 1;
                }
                if let Some(days) = follow_up.days_to_fix {
                    tally.fixes.push((days * 86_400.0) as i64);
                }
            }
        }
        let mut out: Vec<TopicReport> = topics
            .into_iter()
            .map(|(topic, mut tally)| {
                let count = tally.ratings.len() as u64;
                let sum: u64 = tally.ratings.iter().map(|r| u64::from(*r)).sum();
                TopicReport {
                    topic,
                    feedback: count,
                    average_rating: sum as f64 / count.max(1) as f64,
                    led_to_issue: tally.linked,
                    fixed: tally.fixes.len() as u64,
                    share_fixed: tally.fixes.len() as f64 / count.max(1) as f64,
                    median_days_to_fix: median_days(&mut tally.fixes),
                }
            })
            .collect();
        sorting::sort_by(&mut out, |a, b| {
            b.feedback.cmp(&a.feedback).then(a.topic.cmp(&b.topic))
        });
        Ok(out)
    }
}

impl Book {
    /// One piece of feedback with its issue and what became of it.
    fn follow_up(&self, feedback: Feedback) -> Result<FeedbackFollowUp> {
        let issue = match feedback.issue_id {
            Some(id) => match self.store.entry(id)?.map(|stored| stored.entry) {
                Some(Entry::Issue(issue)) => Some(issue),
                _ => None,
            },
            None => None,
        };
        let resolved = issue
            .as_ref()
            .filter(|issue| issue.status == IssueStatus::Resolved);
        let what_we_did = resolved.and_then(|issue| issue.resolution.clone());
        let days_to_fix = resolved
            .and_then(|issue| issue.resolved_at)
            .map(|at| (at - feedback.at).num_seconds().max(0) as f64 / 86_400.0);
        Ok(FeedbackFollowUp {
            feedback,
            issue,
            what_we_did,
            days_to_fix,
        })
    }
}
