//! Experiments and before/after comparisons.
//!
//! Definitions, pinned by tests:
//! - A person (a customer, or a visitor not linked to one) is *exposed* at
//!   their first touchpoint in the range with the exposure action and the
//!   exposure properties (with recorded assignment: and whose `experiment`
//!   property is the experiment's name). Their variant is the hash of their id and the experiment's
//!   name ([`assign_variant`]), or that touchpoint's `variant` property.
//! - They *convert* with a goal-action touchpoint at or after exposure and
//!   no later than exposure plus the window.
//! - Each variant after the first is compared with the first (the control):
//!   the difference of conversion rates, its 95 % confidence interval
//!   (unpooled Wald) and the pooled two-proportion z test's p-value; enough
//!   data means at least 10 conversions and 10 non-conversions in each.
//! - A funnel compared across two periods is the same statistics over each
//!   step's conversion to the next, and over the whole funnel (`overall`).

use std::collections::HashMap;

use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::analytics::funnel::{FunnelCounts, FunnelDefinition};
use crate::book::Book;
use crate::domain::journey::normalize_action;
use crate::domain::limits;
use crate::domain::periods::check_range;
use crate::domain::stats::{assigned_variant, two_proportions, verdict};
use crate::model::{
    Assignment, Comparison, DateRange, ExperimentDefinition, ExperimentReport, VariantResult,
};
use crate::store::TouchpointSelection;
use crate::{Error, Result};

/// Most variants an experiment may have.
pub const MAX_VARIANTS: usize = 20;

/// A funnel before and after a change, step by step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FunnelComparison {
    /// The funnel in the first period.
    pub before: FunnelCounts,
    /// The funnel in the second period.
    pub after: FunnelCounts,
    /// Each step's conversion to the next, after against before, then the
    /// whole funnel (first step to last) as `overall`.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub steps: Vec<Comparison>,
}

/// The variant (of `variants`) a person with id `person_id` is in for the
/// experiment `experiment`: stable for the same person and experiment on
/// any device (FNV-1a of `experiment:person_id`). Use it to decide which
/// wording to send; the report assigns people the same way.
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn assign_variant(experiment: &str, variants: Vec<String>, person_id: &str) -> Result<String> {
    if variants.len() < 2 {
        return Err(Error::invalid(
            "variants",
            "an experiment needs at least two variants to compare",
        ));
    }
    let index = assigned_variant(experiment.trim(), person_id.trim(), variants.len());
    Ok(variants[index].clone())
}

fn compare(name: &str, against: &str, a: (u64, u64), b: (u64, u64)) -> Option<Comparison> {
    let result = two_proportions(a.0, a.1, b.0, b.1)?;
    Some(Comparison {
        name: name.to_owned(),
        against: against.to_owned(),
        difference: result.difference,
        ci_low: result.low,
        ci_high: result.high,
        p_value: result.p_value,
        enough_data: result.enough_data,
        verdict: verdict(against, name, &result),
    })
}

/// A comparison that cannot be made because a group is empty.
fn empty_comparison(name: &str, against: &str, why: &str) -> Comparison {
    Comparison {
        name: name.to_owned(),
        against: against.to_owned(),
        difference: 0.0,
        ci_low: 0.0,
        ci_high: 0.0,
        p_value: 1.0,
        enough_data: false,
        verdict: format!("not enough data yet: {why}"),
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Measures an experiment: per variant, the people exposed and how
    /// many reached the goal within the window; each variant against the
    /// first with the difference, its 95 % confidence interval and a
    /// plain-language verdict. See the module documentation.
    pub fn experiment(&self, definition: &ExperimentDefinition) -> Result<ExperimentReport> {
        let name = definition.name.trim().to_owned();
        if name.is_empty() {
            return Err(Error::invalid("name", "must name the experiment"));
        }
        limits::chars(&name, limits::MAX_LABEL_CHARS, "name")?;
        let mut variants: Vec<String> = Vec::new();
        for (index, variant) in definition.variants.iter().enumerate() {
            let variant = variant.trim().to_owned();
            if variant.is_empty() || variants.contains(&variant) {
                return Err(Error::invalid(
                    format!("variants[{index}]"),
                    "must be a name not used by an earlier variant",
                ));
            }
            variants.push(variant);
        }
        if variants.len() < 2 || variants.len() > MAX_VARIANTS {
            return Err(Error::invalid(
                "variants",
                format!("an experiment compares 2 to {MAX_VARIANTS} variants"),
            ));
        }
        if definition.window_hours == 0 {
            return Err(Error::invalid("window_hours", "must be at least 1 hour"));
        }
        check_range(definition.since, definition.until)?;
        let exposure = normalize_action(&definition.exposure_action, "exposure_action")?;
        let goal = normalize_action(&definition.goal_action, "goal_action")?;
        for (field, action) in [("exposure_action", &exposure), ("goal_action", &goal)] {
            self.require_action(field, action)?;
        }
        let window = Duration::hours(i64::from(definition.window_hours));
        // Each person's exposure (time, variant), then their goals.
        let exposures = self.store.select_touchpoints(&TouchpointSelection {
            since: definition.since,
            until: definition.until,
            actions: vec![exposure],
            ..TouchpointSelection::default()
        })?;
        let mut exposed: HashMap<String, (chrono::DateTime<chrono::Utc>, Option<usize>)> =
            HashMap::new();
        for touchpoint in exposures {
            let person = match (&touchpoint.customer_id, &touchpoint.visitor_id) {
                (Some(customer), _) => customer.to_string(),
                (None, Some(visitor)) => format!("v:{visitor}"),
                (None, None) => continue,
            };
            if exposed.contains_key(&person)
                || definition
                    .exposure_properties
                    .iter()
                    .any(|(key, value)| touchpoint.properties.get(key) != Some(value))
            {
                continue; // the first matching exposure counts
            }
            let variant = match definition.assignment {
                Assignment::Hashed => Some(assigned_variant(&name, &person, variants.len())),
                Assignment::Recorded => {
                    let property = |key: &str| {
                        touchpoint
                            .properties
                            .get(key)
                            .and_then(|v| v.as_str())
                            .map(str::trim)
                    };
                    if property("experiment") != Some(name.as_str()) {
                        continue;
                    }
                    property("variant").and_then(|v| variants.iter().position(|n| n == v))
                }
            };
            exposed.insert(person, (touchpoint.at, variant));
        }
        let goals = self.store.select_touchpoints(&TouchpointSelection {
            since: definition.since,
            until: definition
                .until
                .map(|until| until + window + Duration::seconds(1)),
            actions: vec![goal],
            ..TouchpointSelection::default()
        })?;
        let mut converted: std::collections::HashSet<String> = Default::default();
        for touchpoint in goals {
            let person = match (&touchpoint.customer_id, &touchpoint.visitor_id) {
                (Some(customer), _) => customer.to_string(),
                (None, Some(visitor)) => format!("v:{visitor}"),
                (None, None) => continue,
            };
            if let Some((at, _)) = exposed.get(&person)
                && touchpoint.at >= *at
                && touchpoint.at <= *at + window
            {
                converted.insert(person);
            }
        }
        let mut counts = vec![(0u64, 0u64); variants.len()];
        let mut unassigned = 0;
        for (person, (_, variant)) in &exposed {
            match variant {
                Some(index) => {
                    counts[*index].1 += 1;
                    if converted.contains(person) {
                        counts[*index].0 += 1;
                    }
                }
                None => unassigned += 1,
            }
        }
        let results: Vec<VariantResult> = variants
            .iter()
            .zip(&counts)
            .map(|(variant, &(converted, people))| VariantResult {
                variant: variant.clone(),
                people,
                converted,
                rate: if people == 0 {
                    0.0
                } else {
                    converted as f64 / people as f64
                },
            })
            .collect();
        let comparisons = variants
            .iter()
            .zip(&counts)
            .skip(1)
            .map(|(variant, &b)| {
                compare(variant, &variants[0], counts[0], b).unwrap_or_else(|| {
                    empty_comparison(variant, &variants[0], "a variant has nobody exposed yet")
                })
            })
            .collect();
        Ok(ExperimentReport {
            name,
            variants: results,
            comparisons,
            unassigned,
        })
    }

    /// Compares a funnel across two periods (before and after a change):
    /// each step's conversion to the next and the whole funnel's, after
    /// against before, with the experiments' statistics.
    pub fn compare_funnel(
        &self,
        definition: &FunnelDefinition,
        before: DateRange,
        after: DateRange,
    ) -> Result<FunnelComparison> {
        for (field, range) in [("before", before), ("after", after)] {
            if range.until <= range.since {
                return Err(Error::invalid(
                    format!("{field}.until"),
                    "must be after since (the period ends before it starts)",
                ));
            }
        }
        let measure = |range: DateRange| {
            self.funnel(&FunnelDefinition {
                since: Some(range.since),
                until: Some(range.until),
                ..definition.clone()
            })
            .map(|report| report.all)
        };
        let (first, second) = (measure(before)?, measure(after)?);
        let mut steps = Vec::new();
        let pairs = first.steps.len().saturating_sub(1);
        for index in 0..pairs {
            let (a, b) = (&first.steps[index], &second.steps[index]);
            let name = format!("{} → {}", a.action, first.steps[index + 1].action);
            steps.push(
                compare(
                    &name,
                    "before",
                    (a.converted, a.entered),
                    (b.converted, b.entered),
                )
                .unwrap_or_else(|| {
                    empty_comparison(&name, "before", "nobody entered the step in a period")
                }),
            );
        }
        steps.push(
            compare(
                "overall",
                "before",
                (first.completed(), first.people()),
                (second.completed(), second.people()),
            )
            .unwrap_or_else(|| {
                empty_comparison("overall", "before", "nobody entered the funnel in a period")
            }),
        );
        Ok(FunnelComparison {
            before: first,
            after: second,
            steps,
        })
    }
}

impl Book {
    /// Refuses an action no touchpoint in the book has: a misspelt goal or
    /// step would otherwise measure a silent zero.
    pub(crate) fn require_action(&self, field: &str, action: &str) -> Result<()> {
        let seen = self.store.select_touchpoints(&TouchpointSelection {
            actions: vec![action.to_owned()],
            limit: Some(1),
            ..TouchpointSelection::default()
        })?;
        if seen.is_empty() {
            return Err(Error::invalid(
                field,
                format!(
                    "no touchpoint in this book has the action '{action}' (check its name; \
                     Book::stage_map lists the known actions)"
                ),
            ));
        }
        Ok(())
    }
}
