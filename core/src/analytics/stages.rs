//! Stages you can trust: a report per journey stage (people entering it per
//! period, time spent in it, where they went next) and a journey map per
//! customer type (kind or segment) with the measured numbers.
//!
//! Stored stages follow the stage map: changing the map restages the
//! stored touchpoints it mapped (`Book::set_stage_map`), so every report
//! reads stages as the map now says (ADR 0009).
//!
//! Definitions, pinned by tests:
//! - Stages are ordered awareness, consideration, purchase, retention. A
//!   person *enters* a stage at their first touchpoint in the range with
//!   that stage.
//! - They *leave* it for the next later stage they enter after it (a stage
//!   may be skipped); time spent is from entering to leaving. A person who
//!   entered no later stage afterwards is still there.
//! - A journey map's touchpoints that matter at a stage are its actions by
//!   the number of people who had them.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::analytics::funnel::percentile;
use crate::book::Book;
use crate::domain::periods::check_range;
use crate::domain::periods::period_start;
use crate::foundation::sorting;
use crate::model::{BookFilter, CustomerKind, Period, Stage};
use crate::store::JourneyRow;
use crate::{CustomerId, Error, Result};

/// The stages in journey order.
pub const STAGE_ORDER: [Stage; 4] = [
    Stage::Awareness,
    Stage::Consideration,
    Stage::Purchase,
    Stage::Retention,
];

/// The most actions a journey map lists per stage.
pub const MAX_MAP_ACTIONS: u32 = 50;

/// People entering a stage in one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PeriodCount {
    /// The first day of the period.
    pub period_start: NaiveDate,
    /// People.
    pub people: u64,
}

/// People who left a stage for another (or are still in it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StageExit {
    /// The stage they went to next; `None`: still in the stage.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub to: Option<Stage>,
    /// People.
    pub people: u64,
    /// people ÷ people who entered the stage.
    pub share: f64,
}

/// One stage's numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StageFlow {
    /// The stage.
    pub stage: Stage,
    /// People who entered it.
    pub entered: u64,
    /// By period of entering, oldest first.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub entered_by_period: Vec<PeriodCount>,
    /// Median days from entering to leaving, among those who left.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub median_days: Option<f64>,
    /// 90th-percentile days.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub p90_days: Option<f64>,
    /// Where they went, most people first (still here: `to` is `None`).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub exits: Vec<StageExit>,
}

/// The per-stage report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StageReport {
    /// People with any staged touchpoint in the range.
    pub people: u64,
    /// Each stage in journey order.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub stages: Vec<StageFlow>,
}

/// Whose journey to map.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JourneyMapQuery {
    /// Customers of this kind only.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub customer_kind: Option<CustomerKind>,
    /// Customers in this saved segment only.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub segment: Option<String>,
    /// Only touchpoints at or after this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub since: Option<DateTime<Utc>>,
    /// Only touchpoints before this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
    /// Actions listed per stage (default 5, at most 50).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub top_actions: Option<u32>,
}

/// An action that matters at a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MapAction {
    /// The action.
    pub action: String,
    /// People who had it.
    pub people: u64,
    /// Touchpoints with it.
    pub touchpoints: u64,
}

/// One stage of a journey map, measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MapStage {
    /// The stage.
    pub stage: Stage,
    /// People of the group who reached it.
    pub people: u64,
    /// people ÷ the group's people.
    pub share: f64,
    /// Share of those who went on to a later stage.
    pub moved_on: f64,
    /// Median days spent in it before moving on.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub median_days: Option<f64>,
    /// Its touchpoints that matter: actions by people, most first.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub actions: Vec<MapAction>,
}

/// A journey map for one customer type, validated with data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JourneyMap {
    /// Who it maps: "everyone", "kind: residential", "segment: VIPs".
    pub group: String,
    /// People in the group with a staged touchpoint.
    pub people: u64,
    /// Its stages in journey order.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub stages: Vec<MapStage>,
}

/// When a person first reached each stage (indexed as [`STAGE_ORDER`]).
fn first_reached(rows: &[JourneyRow]) -> [Option<DateTime<Utc>>; 4] {
    let mut first = [None; 4];
    for row in rows {
        if let Some(stage) = row.stage {
            let index = stage_index(stage);
            if first[index].is_none() {
                first[index] = Some(row.at);
            }
        }
    }
    first
}

fn stage_index(stage: Stage) -> usize {
    STAGE_ORDER.iter().position(|s| *s == stage).unwrap_or(0)
}

/// The later stage a person went to after `index`, and when.
fn left_for(first: &[Option<DateTime<Utc>>; 4], index: usize) -> Option<(usize, DateTime<Utc>)> {
    let entered = first[index]?;
    (index + 1..4)
        .filter_map(|later| {
            first[later]
                .filter(|at| *at >= entered)
                .map(|at| (later, at))
        })
        .min_by_key(|(later, at)| (*at, *later))
}

fn days(seconds: &mut [i64]) -> (Option<f64>, Option<f64>) {
    seconds.sort_unstable();
    let day = |s: Option<f64>| s.map(|s| s / 86_400.0);
    (day(percentile(seconds, 0.5)), day(percentile(seconds, 0.9)))
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Per journey stage: people entering it per period (default month),
    /// time spent in it, and where they went next. See the module
    /// documentation.
    pub fn stage_report(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        period: Option<Period>,
    ) -> Result<StageReport> {
        check_range(since, until)?;
        let period = period.unwrap_or(Period::Month);
        let mut people = 0u64;
        let mut entered: Vec<BTreeMap<NaiveDate, u64>> = vec![BTreeMap::new(); 4];
        let mut durations: Vec<Vec<i64>> = vec![Vec::new(); 4];
        let mut exits: Vec<BTreeMap<Option<usize>, u64>> = vec![BTreeMap::new(); 4];
        self.for_each_journey(since, until, |rows| {
            let first = first_reached(rows);
            if first.iter().all(Option::is_none) {
                return;
            }
            people += 1;
            for index in 0..4 {
                let Some(at) = first[index] else { continue };
                *entered[index].entry(period_start(period, at)).or_default() += 1;
                match left_for(&first, index) {
                    Some((later, left)) => {
                        durations[index].push((left - at).num_seconds());
                        *exits[index].entry(Some(later)).or_default() += 1;
                    }
                    None => *exits[index].entry(None).or_default() += 1,
                }
            }
        })?;
        let stages = STAGE_ORDER
            .iter()
            .enumerate()
            .map(|(index, &stage)| {
                let total: u64 = entered[index].values().sum();
                let (median_days, p90_days) = days(&mut durations[index]);
                let mut stage_exits: Vec<StageExit> = exits[index]
                    .iter()
                    .map(|(to, &n)| StageExit {
                        to: to.map(|i| STAGE_ORDER[i]),
                        people: n,
                        share: n as f64 / total.max(1) as f64,
                    })
                    .collect();
                sorting::sort_by(&mut stage_exits, |a, b| {
                    b.people.cmp(&a.people).then(a.to.cmp(&b.to))
                });
                StageFlow {
                    stage,
                    entered: total,
                    entered_by_period: entered[index]
                        .iter()
                        .map(|(&period_start, &people)| PeriodCount {
                            period_start,
                            people,
                        })
                        .collect(),
                    median_days,
                    p90_days,
                    exits: stage_exits,
                }
            })
            .collect();
        Ok(StageReport { people, stages })
    }

    /// A journey map for one customer type (a kind or a saved segment; all
    /// people when neither is given): per stage, how many reached it, how
    /// many moved on and how fast, and the touchpoints that matter there.
    pub fn journey_map(&self, query: &JourneyMapQuery) -> Result<JourneyMap> {
        check_range(query.since, query.until)?;
        let top = query.top_actions.unwrap_or(5);
        if top == 0 || top > MAX_MAP_ACTIONS {
            return Err(Error::invalid(
                "top_actions",
                format!("must be from 1 to {MAX_MAP_ACTIONS}"),
            ));
        }
        let group = match (&query.customer_kind, &query.segment) {
            (Some(kind), Some(segment)) => format!("kind: {kind}, segment: {segment}"),
            (Some(kind), None) => format!("kind: {kind}"),
            (None, Some(segment)) => format!("segment: {segment}"),
            (None, None) => "everyone".to_owned(),
        };
        let members: Option<HashSet<CustomerId>> = self
            .customers_of(&BookFilter {
                segment: query.segment.clone(),
                customer_kinds: query.customer_kind.into_iter().collect(),
                ..BookFilter::default()
            })?
            .map(|ids| ids.into_iter().collect());
        let mut people = 0u64;
        let mut reached = [0u64; 4];
        let mut moved = [0u64; 4];
        let mut durations: Vec<Vec<i64>> = vec![Vec::new(); 4];
        let mut actions: Vec<HashMap<String, (u64, u64)>> = vec![HashMap::new(); 4];
        self.for_each_journey(query.since, query.until, |rows| {
            if let Some(members) = &members
                && !rows
                    .first()
                    .and_then(|r| r.customer_id)
                    .is_some_and(|id| members.contains(&id))
            {
                return;
            }
            let first = first_reached(rows);
            if first.iter().all(Option::is_none) {
                return;
            }
            people += 1;
            let mut seen: HashSet<(usize, &str)> = HashSet::new();
            for row in rows {
                if let Some(stage) = row.stage {
                    let index = stage_index(stage);
                    let entry = actions[index].entry(row.action.clone()).or_default();
                    entry.1 += 1;
                    if seen.insert((index, row.action.as_str())) {
                        entry.0 += 1;
                    }
                }
            }
            for index in 0..4 {
                let Some(at) = first[index] else { continue };
                reached[index] += 1;
                if let Some((_, left)) = left_for(&first, index) {
                    moved[index] += 1;
                    durations[index].push((left - at).num_seconds());
                }
            }
        })?;
        let stages = STAGE_ORDER
            .iter()
            .enumerate()
            .map(|(index, &stage)| {
                let mut listed: Vec<MapAction> = actions[index]
                    .iter()
                    .map(|(action, &(people, touchpoints))| MapAction {
                        action: action.clone(),
                        people,
                        touchpoints,
                    })
                    .collect();
                sorting::sort_by(&mut listed, |a, b| {
                    b.people
                        .cmp(&a.people)
                        .then(b.touchpoints.cmp(&a.touchpoints))
                        .then(a.action.cmp(&b.action))
                });
                listed.truncate(top as usize);
                MapStage {
                    stage,
                    people: reached[index],
                    share: reached[index] as f64 / people.max(1) as f64,
                    moved_on: moved[index] as f64 / reached[index].max(1) as f64,
                    median_days: days(&mut durations[index]).0,
                    actions: listed,
                }
            })
            .collect();
        Ok(JourneyMap {
            group,
            people,
            stages,
        })
    }
}
