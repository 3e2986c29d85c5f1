//! Funnels: how many people move through ordered steps within a conversion
//! window, where they drop off, and how long each step takes — from one pass
//! over every person's time-ordered touchpoints.
//!
//! Definitions, pinned by tests:
//! - A person is a customer, or an anonymous visitor not linked to one.
//! - An attempt starts at a touchpoint matching step 1; each later step must
//!   come at or after the previous step's time and no later than the start
//!   plus the window (the edge counts). Touchpoints at the same instant may
//!   match consecutive steps in either stored order.
//! - A person who starts several attempts is counted once, by the attempt
//!   that got furthest (the earliest of those).
//! - A person is *returning* when they had a purchase-stage touchpoint before
//!   their attempt started; `new` counts everyone else, so repeat business
//!   does not inflate acquisition.
//! - Times to convert are from one step to the next; the median and 90th
//!   percentile interpolate linearly between ranks.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::domain::journey::{normalize_action, normalize_label};
use crate::domain::periods::check_range;
use crate::model::{CustomerKind, JourneyChannel, Stage};
use crate::store::{JourneyRow, TouchpointSelection};
use crate::{CustomerId, Error, Result};

/// Most steps a funnel may have.
pub const MAX_FUNNEL_STEPS: usize = 20;

/// One step of a funnel: an action, optionally only on some channels, in
/// a campaign, or with some properties (a page path, a message template).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FunnelStep {
    /// The action that completes the step.
    pub action: String,
    /// The channels it must happen on (any channel when empty).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub channels: Vec<JourneyChannel>,
    /// The campaign it must belong to (normalised as touchpoints' are).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub campaign: Option<String>,
    /// Properties the touchpoint must have, each equal to this text (a
    /// string property's value, or a number or `true` as JSON writes it):
    /// `{"template": "payment_reminder"}`, `{"path": "/pricing"}`.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
}

impl FunnelStep {
    /// A step completed by `action` on any channel.
    pub fn new(action: impl Into<String>) -> Self {
        FunnelStep {
            action: action.into(),
            channels: Vec::new(),
            campaign: None,
            properties: BTreeMap::new(),
        }
    }

    /// Restricts the step to `channel` (call again to allow more).
    pub fn on(mut self, channel: JourneyChannel) -> Self {
        self.channels.push(channel);
        self
    }

    /// Restricts the step to touchpoints whose property `name` is `value`.
    pub fn with_property(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.properties.insert(name.into(), value.into());
        self
    }

    fn matches(&self, row: &JourneyRow) -> bool {
        row.action == self.action
            && (self.channels.is_empty() || self.channels.contains(&row.channel))
            && (self.campaign.is_none() || row.campaign == self.campaign)
    }
}

/// A touchpoint property as a step compares it: a string's value, anything
/// else as JSON writes it.
pub(crate) fn property_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The person a scan row belongs to, as a key.
pub(crate) fn person_key(customer: Option<CustomerId>, visitor: Option<&str>) -> String {
    match (customer, visitor) {
        (Some(customer), _) => customer.to_string(),
        (None, visitor) => format!("v:{}", visitor.unwrap_or_default()),
    }
}

/// Steps as matched against scan rows: a step with properties matches only
/// the touchpoints (person, time) selected for it beforehand, since a scan
/// row does not carry properties.
pub(crate) struct StepMatcher<'a> {
    steps: &'a [FunnelStep],
    selected: Vec<Option<Selected>>,
}

/// The touchpoints (person, time) a step with properties matches.
type Selected = HashSet<(String, DateTime<Utc>)>;

impl<'a> StepMatcher<'a> {
    /// A matcher for `steps`, selecting from `book` the touchpoints of the
    /// steps that name properties.
    pub(crate) fn new(book: &Book, steps: &'a [FunnelStep]) -> Result<Self> {
        let mut selected = Vec::with_capacity(steps.len());
        for step in steps {
            if step.properties.is_empty() {
                selected.push(None);
                continue;
            }
            let found = book.store.select_touchpoints(&TouchpointSelection {
                actions: vec![step.action.clone()],
                ..TouchpointSelection::default()
            })?;
            selected.push(Some(
                found
                    .into_iter()
                    .filter(|t| {
                        step.properties.iter().all(|(name, value)| {
                            t.properties.get(name).map(property_text).as_deref()
                                == Some(value.as_str())
                        })
                    })
                    .map(|t| (person_key(t.customer_id, t.visitor_id.as_deref()), t.at))
                    .collect(),
            ));
        }
        Ok(StepMatcher { steps, selected })
    }

    /// A matcher for steps without properties.
    #[cfg(test)]
    pub(crate) fn plain(steps: &'a [FunnelStep]) -> Self {
        StepMatcher {
            steps,
            selected: vec![None; steps.len()],
        }
    }

    /// Whether `row` completes step `index`.
    pub(crate) fn matches(&self, index: usize, row: &JourneyRow) -> bool {
        self.steps[index].matches(row)
            && self.selected[index].as_ref().is_none_or(|set| {
                set.contains(&(
                    person_key(row.customer_id, row.visitor_id.as_deref()),
                    row.at,
                ))
            })
    }
}

/// A funnel to measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FunnelDefinition {
    /// The ordered steps (2 to 20).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub steps: Vec<FunnelStep>,
    /// Hours from entering the first step within which the rest must follow.
    pub window_hours: u32,
    /// Only touchpoints at or after this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub since: Option<DateTime<Utc>>,
    /// Only touchpoints before this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub until: Option<DateTime<Utc>>,
}

impl FunnelDefinition {
    /// A funnel over `steps` with a window of `window_hours`, over all time.
    pub fn new(steps: Vec<FunnelStep>, window_hours: u32) -> Self {
        FunnelDefinition {
            steps,
            window_hours,
            since: None,
            until: None,
        }
    }
}

/// How one step did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StepStats {
    /// The step's action.
    pub action: String,
    /// People who reached the step.
    pub entered: u64,
    /// People who went on to the next step (0 for the last step).
    pub converted: u64,
    /// converted ÷ entered (0 when nobody entered; 0 for the last step).
    pub conversion_rate: f64,
    /// entered − converted (0 for the last step).
    pub drop_off: u64,
    /// Median seconds from this step to the next, among those who converted.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub median_seconds_to_convert: Option<f64>,
    /// 90th-percentile seconds from this step to the next.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub p90_seconds_to_convert: Option<f64>,
}

/// A funnel's numbers for one group of people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FunnelCounts {
    /// Per step, in order.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub steps: Vec<StepStats>,
}

impl FunnelCounts {
    /// People who entered the funnel (reached its first step).
    pub fn people(&self) -> u64 {
        self.steps.first().map_or(0, |step| step.entered)
    }

    /// People who completed every step.
    pub fn completed(&self) -> u64 {
        self.steps.last().map_or(0, |step| step.entered)
    }
}

/// A funnel measured, with its breakdowns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FunnelReport {
    /// Everyone.
    pub all: FunnelCounts,
    /// People with no purchase before they entered: acquisition.
    pub new: FunnelCounts,
    /// People who had bought before they entered: repeat business.
    pub returning: FunnelCounts,
    /// By the channel of the first step.
    pub by_first_channel: BTreeMap<JourneyChannel, FunnelCounts>,
    /// By account kind (known customers only).
    pub by_kind: BTreeMap<CustomerKind, FunnelCounts>,
    /// By tag (known customers only; a customer counts under each of their tags).
    pub by_tag: BTreeMap<String, FunnelCounts>,
    /// Why the funnel stops early, when a step's action is in no touchpoint
    /// of the book (a misspelt step would otherwise read as a silent zero).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub note: Option<String>,
}

/// How far one person got.
struct Attempt {
    times: Vec<DateTime<Utc>>,
    first_channel: JourneyChannel,
    returning: bool,
}

/// A customer's kind and tags: the groups a funnel reports besides channel.
type Facets = (CustomerKind, Vec<String>);

/// A funnel's running totals for every group, of all the people or of one
/// part of a split scan.
#[derive(Default)]
struct FunnelTallies {
    all: Tally,
    new: Tally,
    returning: Tally,
    by_channel: BTreeMap<JourneyChannel, Tally>,
    by_kind: BTreeMap<CustomerKind, Tally>,
    by_tag: BTreeMap<String, Tally>,
}

impl FunnelTallies {
    /// Counts one person's best attempt in every group they belong to.
    fn add(
        &mut self,
        attempt: &Attempt,
        facets: Option<&(CustomerKind, Vec<String>)>,
        steps: usize,
    ) {
        self.all.add(attempt, steps);
        if attempt.returning {
            &mut self.returning
        } else {
            &mut self.new
        }
        .add(attempt, steps);
        self.by_channel
            .entry(attempt.first_channel)
            .or_default()
            .add(attempt, steps);
        if let Some((kind, tags)) = facets {
            self.by_kind.entry(*kind).or_default().add(attempt, steps);
            for tag in tags {
                self.by_tag
                    .entry(tag.clone())
                    .or_default()
                    .add(attempt, steps);
            }
        }
    }

    /// Adds another part's totals.
    fn merge(&mut self, other: FunnelTallies) {
        self.all.merge(other.all);
        self.new.merge(other.new);
        self.returning.merge(other.returning);
        merge_groups(&mut self.by_channel, other.by_channel);
        merge_groups(&mut self.by_kind, other.by_kind);
        merge_groups(&mut self.by_tag, other.by_tag);
    }
}

/// Adds `more`'s tallies to `groups`, group by group.
fn merge_groups<K: Ord>(groups: &mut BTreeMap<K, Tally>, more: BTreeMap<K, Tally>) {
    for (key, tally) in more {
        groups.entry(key).or_default().merge(tally);
    }
}

/// Running totals for one group.
#[derive(Default)]
struct Tally {
    entered: Vec<u64>,
    durations: Vec<Vec<i64>>,
}

impl Tally {
    fn add(&mut self, attempt: &Attempt, steps: usize) {
        if self.entered.is_empty() {
            self.entered = vec![0; steps];
            self.durations = vec![Vec::new(); steps];
        }
        for (step, time) in attempt.times.iter().enumerate() {
            self.entered[step] += 1;
            if let Some(next) = attempt.times.get(step + 1) {
                self.durations[step].push((*next - *time).num_seconds());
            }
        }
    }

    /// Adds another part's totals for the same group.
    fn merge(&mut self, other: Tally) {
        if self.entered.is_empty() {
            *self = other;
            return;
        }
        for (entered, more) in self.entered.iter_mut().zip(other.entered) {
            *entered += more;
        }
        for (durations, more) in self.durations.iter_mut().zip(other.durations) {
            durations.extend(more);
        }
    }

    fn counts(mut self, definition: &FunnelDefinition) -> FunnelCounts {
        let steps = definition.steps.len();
        if self.entered.is_empty() {
            self.entered = vec![0; steps];
            self.durations = vec![Vec::new(); steps];
        }
        let stats = (0..steps)
            .map(|step| {
                let entered = self.entered[step];
                let converted = self.entered.get(step + 1).copied().unwrap_or(0);
                let durations = &mut self.durations[step];
                durations.sort_unstable();
                StepStats {
                    action: definition.steps[step].action.clone(),
                    entered,
                    converted,
                    conversion_rate: if entered == 0 {
                        0.0
                    } else {
                        converted as f64 / entered as f64
                    },
                    drop_off: if step + 1 < steps {
                        entered - converted
                    } else {
                        0
                    },
                    median_seconds_to_convert: percentile(durations, 0.5),
                    p90_seconds_to_convert: percentile(durations, 0.9),
                }
            })
            .collect();
        FunnelCounts { steps: stats }
    }
}

fn counts_by<K: Ord>(
    groups: BTreeMap<K, Tally>,
    definition: &FunnelDefinition,
) -> BTreeMap<K, FunnelCounts> {
    groups
        .into_iter()
        .map(|(key, tally)| (key, tally.counts(definition)))
        .collect()
}

/// The `p` quantile of sorted `values`, interpolating linearly between ranks.
pub fn percentile(sorted: &[i64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = p.clamp(0.0, 1.0) * last as f64;
    let (low, high) = (rank.floor() as usize, rank.ceil() as usize);
    let (a, b) = (sorted[low] as f64, sorted[high] as f64);
    Some(a + (b - a) * (rank - low as f64))
}

/// The attempt of one person (their rows in time order) that got furthest.
///
/// Each row is matched against the steps once (a bit per step); a step is
/// looked for from the first row at or after the previous step's time, found
/// by binary search, so a person's many attempts cost little.
fn best_attempt(
    rows: &[JourneyRow],
    definition: &FunnelDefinition,
    matcher: &StepMatcher<'_>,
) -> Option<Attempt> {
    let steps = definition.steps.len();
    let window = Duration::hours(i64::from(definition.window_hours));
    let completes: Vec<u32> = rows
        .iter()
        .map(|row| {
            (0..steps)
                .filter(|&step| matcher.matches(step, row))
                .fold(0, |bits, step| bits | 1 << step)
        })
        .collect();
    let mut best: Option<Attempt> = None;
    let mut used = Vec::with_capacity(steps);
    let mut times = Vec::with_capacity(steps);
    for (start, row) in rows.iter().enumerate() {
        if completes[start] & 1 == 0 {
            continue;
        }
        let deadline = row.at + window;
        used.clear();
        times.clear();
        used.push(start);
        times.push(row.at);
        for step in 1..steps {
            let previous = times[times.len() - 1];
            let from = rows.partition_point(|r| r.at < previous);
            let next = (from..rows.len())
                .take_while(|&index| rows[index].at <= deadline)
                .find(|index| completes[*index] & 1 << step != 0 && !used.contains(index));
            match next {
                Some(index) => {
                    used.push(index);
                    times.push(rows[index].at);
                }
                None => break,
            }
        }
        if best.as_ref().is_none_or(|b| times.len() > b.times.len()) {
            // Returning: a purchase strictly before the attempt's first step
            // (rows are in time order; one at the same instant is not before).
            let returning = rows
                .iter()
                .take_while(|r| r.at < row.at)
                .any(|r| r.stage == Some(Stage::Purchase));
            let complete = times.len() == steps;
            best = Some(Attempt {
                times: times.clone(),
                first_channel: row.channel,
                returning,
            });
            if complete {
                break;
            }
        }
    }
    best
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Measures a funnel over every person's touchpoints (see the module
    /// documentation for the exact definitions).
    pub fn funnel(&self, definition: &FunnelDefinition) -> Result<FunnelReport> {
        let mut definition = definition.clone();
        if definition.steps.len() < 2 || definition.steps.len() > MAX_FUNNEL_STEPS {
            return Err(Error::invalid(
                "steps",
                format!("a funnel has 2 to {MAX_FUNNEL_STEPS} steps"),
            ));
        }
        if definition.window_hours == 0 {
            return Err(Error::invalid("window_hours", "must be at least 1 hour"));
        }
        check_range(definition.since, definition.until)?;
        let mut unknown = Vec::new();
        for (index, step) in definition.steps.iter_mut().enumerate() {
            step.action = normalize_action(&step.action, &format!("steps[{index}].action"))?;
            step.campaign = normalize_label(step.campaign.as_deref());
            if self.require_action("steps", &step.action).is_err() {
                unknown.push(step.action.clone());
            }
        }
        let note = (!unknown.is_empty()).then(|| {
            format!(
                "no touchpoint in this book has the action {}: the funnel stops there \
                 (check the names; Book::stage_map lists the known actions)",
                unknown
                    .iter()
                    .map(|a| format!("'{a}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        let steps_for_matcher = definition.steps.clone();
        let matcher = StepMatcher::new(self, &steps_for_matcher)?;
        let facets: HashMap<CustomerId, Facets> = self
            .store
            .customer_summaries()?
            .into_iter()
            .map(|summary| (summary.id, (summary.kind, summary.tags)))
            .collect();
        let steps = definition.steps.len();
        let tallies = self
            .fold_journeys_in_parts(
                definition.since,
                definition.until,
                FunnelTallies::default,
                |tallies, rows| {
                    if let Some(attempt) = best_attempt(rows, &definition, &matcher) {
                        let facets = rows[0].customer_id.and_then(|id| facets.get(&id));
                        tallies.add(&attempt, facets, steps);
                    }
                },
            )?
            .into_iter()
            .fold(FunnelTallies::default(), |mut total, part| {
                total.merge(part);
                total
            });
        Ok(FunnelReport {
            all: tallies.all.counts(&definition),
            new: tallies.new.counts(&definition),
            returning: tallies.returning.counts(&definition),
            by_first_channel: counts_by(tallies.by_channel, &definition),
            by_kind: counts_by(tallies.by_kind, &definition),
            by_tag: counts_by(tallies.by_tag, &definition),
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::model::{Actor, Direction};

    fn row(minute: u32, action: &str, stage: Option<Stage>) -> JourneyRow {
        JourneyRow {
            customer_id: None,
            at: Utc.with_ymd_and_hms(2026, 5, 1, 9, minute, 0).unwrap(),
            action: action.to_owned(),
            channel: JourneyChannel::Website,
            stage,
            direction: Direction::Inbound,
            actor: Actor::Customer,
            visitor_id: Some("v-1".to_owned()),
            campaign: None,
        }
    }

    #[test]
    fn a_person_is_returning_only_after_a_purchase_strictly_before_the_attempt() {
        let definition = FunnelDefinition::new(
            vec![
                FunnelStep::new("page_viewed"),
                FunnelStep::new("estimate_requested"),
            ],
            48,
        );
        let purchase = Some(Stage::Purchase);
        let view = row(10, "page_viewed", None);
        let earlier = [row(0, "payment_made", purchase), view.clone()];
        let matcher = StepMatcher::plain(&definition.steps);
        let best_attempt =
            |rows: &[JourneyRow], definition| best_attempt(rows, definition, &matcher);
        assert!(best_attempt(&earlier, &definition).unwrap().returning);
        // A purchase at the very instant of the first step is not before it,
        // whichever way the scan ordered the two.
        let same_instant = [row(10, "payment_made", purchase), view.clone()];
        assert!(!best_attempt(&same_instant, &definition).unwrap().returning);
        let later = [view, row(20, "payment_made", purchase)];
        assert!(!best_attempt(&later, &definition).unwrap().returning);
        // An unmapped action (no stage) is no purchase.
        let unmapped = [row(0, "payment_made", None), row(10, "page_viewed", None)];
        assert!(!best_attempt(&unmapped, &definition).unwrap().returning);
    }

    #[test]
    fn tallies_of_a_split_scan_merge_into_the_tallies_of_one_scan() {
        let definition = FunnelDefinition::new(
            vec![
                FunnelStep::new("page_viewed"),
                FunnelStep::new("estimate_requested"),
                FunnelStep::new("payment_made"),
            ],
            48,
        );
        let at = |minute| Utc.with_ymd_and_hms(2026, 5, 1, 9, minute, 0).unwrap();
        let attempt = |minutes: &[u32], channel, returning| Attempt {
            times: minutes.iter().map(|minute| at(*minute)).collect(),
            first_channel: channel,
            returning,
        };
        let residential = (CustomerKind::Residential, vec!["spa".to_owned()]);
        let people = [
            (
                attempt(&[0, 5, 9], JourneyChannel::Website, false),
                Some(&residential),
            ),
            (attempt(&[1], JourneyChannel::Phone, true), None),
            (
                attempt(&[2, 30], JourneyChannel::Website, false),
                Some(&residential),
            ),
            (attempt(&[3, 4], JourneyChannel::Email, true), None),
        ];
        let tally = |people: &[(Attempt, Option<&Facets>)]| {
            let mut tallies = FunnelTallies::default();
            for (attempt, facets) in people {
                tallies.add(attempt, *facets, 3);
            }
            tallies
        };
        let report = |tallies: FunnelTallies| {
            (
                tallies.all.counts(&definition),
                tallies.new.counts(&definition),
                tallies.returning.counts(&definition),
                counts_by(tallies.by_channel, &definition),
                counts_by(tallies.by_kind, &definition),
                counts_by(tallies.by_tag, &definition),
            )
        };
        let whole = report(tally(&people));
        assert_eq!(whole.0.steps[0].entered, 4);
        assert_eq!(whole.0.steps[1].entered, 3);
        for split in 0..=people.len() {
            let (first, second) = people.split_at(split);
            let mut merged = tally(second);
            merged.merge(tally(first));
            assert_eq!(report(merged), whole, "split after {split} people");
        }
    }

    #[test]
    fn percentiles_interpolate_between_ranks() {
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[7], 0.9), Some(7.0));
        assert_eq!(percentile(&[1, 2, 3, 4], 0.5), Some(2.5));
        assert_eq!(
            percentile(&[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9),
            Some(90.0)
        );
        assert_eq!(percentile(&[10, 20], 0.9), Some(19.0));
    }
}
