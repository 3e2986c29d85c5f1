//! Attribution: which channels and campaigns get the credit for conversions
//! (e.g. a first payment), under five models.
//!
//! Definitions, pinned by tests:
//! - A person converts at their first touchpoint with the conversion action
//!   (within the query's range); later ones are repeat business.
//! - The touches credited are the person's touchpoints before the conversion
//!   (in stored order, so equal times count when stored first) within the
//!   lookback window. A conversion with no such touch credits its own
//!   channel and campaign.
//! - Models: first touch; last touch; linear (equal shares); position-based
//!   (40% first, 40% last, 20% shared by the middle; one touch takes all, two
//!   share half each); time decay (weight halves every `half_life_days`
//!   before the conversion).
//! - Credits are decimals; the last touch takes whatever rounding left, so
//!   each conversion's credits sum to exactly 1.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::domain::journey::normalize_action;
use crate::model::{JourneyChannel, actions};
use crate::store::JourneyRow;
use crate::{Error, Result};

crate::text_enum! {
    /// How a conversion's credit is shared among its touches.
    pub enum AttributionModel {
        /// All to the first touch.
        FirstTouch = "first_touch",
        /// All to the last touch.
        LastTouch = "last_touch",
        /// Equal shares.
        Linear = "linear",
        /// 40% first, 40% last, 20% shared by the middle.
        PositionBased = "position_based",
        /// More to touches nearer the conversion (half-life decay).
        TimeDecay = "time_decay",
    }
}

/// Campaign name credited when a touch has none.
pub const NO_CAMPAIGN: &str = "(none)";

/// What to attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AttributionQuery {
    /// The action that is a conversion (default `payment_made`).
    pub conversion_action: String,
    /// Days before a conversion whose touches count (default 30).
    pub lookback_days: u32,
    /// Time-decay half-life in days (default 7).
    pub half_life_days: f64,
    /// Only conversions at or after this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub since: Option<DateTime<Utc>>,
    /// Only conversions before this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub until: Option<DateTime<Utc>>,
}

impl Default for AttributionQuery {
    fn default() -> Self {
        AttributionQuery {
            conversion_action: actions::PAYMENT_MADE.to_owned(),
            lookback_days: 30,
            half_life_days: 7.0,
            since: None,
            until: None,
        }
    }
}

/// One model's credits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ModelCredits {
    /// The model.
    pub model: AttributionModel,
    /// Credit per channel.
    pub by_channel: BTreeMap<JourneyChannel, Decimal>,
    /// Credit per campaign ([`NO_CAMPAIGN`] for touches without one).
    pub by_campaign: BTreeMap<String, Decimal>,
}

/// Conversions and their credits under every model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AttributionReport {
    /// Conversions counted.
    pub conversions: u64,
    /// Credits, one entry per model, in [`AttributionModel::ALL`] order.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub models: Vec<ModelCredits>,
}

impl AttributionReport {
    /// The credits of one model.
    pub fn model(&self, model: AttributionModel) -> &ModelCredits {
        &self.models[AttributionModel::ALL
            .iter()
            .position(|m| *m == model)
            .unwrap_or(0)]
    }
}

/// Shares of one conversion's credit for `touches` (oldest first), summing to exactly 1.
pub fn credit_shares(
    model: AttributionModel,
    touch_times: &[DateTime<Utc>],
    converted_at: DateTime<Utc>,
    half_life_days: f64,
) -> Vec<Decimal> {
    let n = touch_times.len();
    let weights: Vec<f64> = match (model, n) {
        (_, 0) => return Vec::new(),
        (_, 1) => vec![1.0],
        (AttributionModel::FirstTouch, _) => {
            (0..n).map(|i| if i == 0 { 1.0 } else { 0.0 }).collect()
        }
        (AttributionModel::LastTouch, _) => {
            (0..n).map(|i| if i + 1 == n { 1.0 } else { 0.0 }).collect()
        }
        (AttributionModel::Linear, _) => vec![1.0; n],
        (AttributionModel::PositionBased, 2) => vec![0.5, 0.5],
        (AttributionModel::PositionBased, _) => (0..n)
            .map(|i| {
                if i == 0 || i + 1 == n {
                    0.4
                } else {
                    0.2 / (n - 2) as f64
                }
            })
            .collect(),
        (AttributionModel::TimeDecay, _) => touch_times
            .iter()
            .map(|at| {
                let days = (converted_at - *at).num_milliseconds() as f64 / 86_400_000.0;
                0.5f64.powf(days / half_life_days)
            })
            .collect(),
    };
    let total: f64 = weights.iter().sum();
    let mut shares: Vec<Decimal> = weights
        .iter()
        .map(|w| {
            Decimal::from_f64(w / total)
                .unwrap_or_default()
                .round_dp(12)
        })
        .collect();
    let others: Decimal = shares[..n - 1].iter().sum();
    shares[n - 1] = Decimal::ONE - others;
    shares
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Attributes conversions to channels and campaigns under every model
    /// (see the module documentation for the definitions).
    pub fn attribution(&self, query: &AttributionQuery) -> Result<AttributionReport> {
        let conversion = normalize_action(&query.conversion_action, "conversion_action")?;
        if query.lookback_days == 0 {
            return Err(Error::invalid("lookback_days", "must be at least 1 day"));
        }
        if !query.half_life_days.is_finite() || query.half_life_days <= 0.0 {
            return Err(Error::invalid(
                "half_life_days",
                "must be a positive number of days",
            ));
        }
        let lookback = Duration::days(i64::from(query.lookback_days));
        let per_person = |report: &mut AttributionReport, rows: &[JourneyRow]| {
            let converted = rows.iter().position(|row| row.action == conversion);
            if let Some(index) = converted {
                let at = rows[index].at;
                let counts =
                    query.since.is_none_or(|s| at >= s) && query.until.is_none_or(|u| at < u);
                if counts {
                    report.conversions += 1;
                    let mut touches: Vec<&JourneyRow> = rows[..index]
                        .iter()
                        .filter(|row| row.at >= at - lookback)
                        .collect();
                    if touches.is_empty() {
                        touches.push(&rows[index]);
                    }
                    let times: Vec<DateTime<Utc>> = touches.iter().map(|row| row.at).collect();
                    for credits in &mut report.models {
                        let shares = credit_shares(credits.model, &times, at, query.half_life_days);
                        for (touch, share) in touches.iter().zip(shares) {
                            *credits.by_channel.entry(touch.channel).or_default() += share;
                            let campaign = touch
                                .campaign
                                .clone()
                                .unwrap_or_else(|| NO_CAMPAIGN.to_owned());
                            *credits.by_campaign.entry(campaign).or_default() += share;
                        }
                    }
                }
            }
        };
        // From the start of time: a person's first conversion may predate `since`.
        Ok(self
            .fold_journeys_in_parts(None, query.until, AttributionReport::empty, per_person)?
            .into_iter()
            .fold(AttributionReport::empty(), AttributionReport::merged))
    }
}

impl AttributionReport {
    /// No conversions yet, and every model with no credit.
    fn empty() -> Self {
        AttributionReport {
            conversions: 0,
            models: AttributionModel::ALL
                .iter()
                .map(|model| ModelCredits {
                    model: *model,
                    by_channel: BTreeMap::new(),
                    by_campaign: BTreeMap::new(),
                })
                .collect(),
        }
    }

    /// This report with `other`'s conversions and credits added (the
    /// credits are exact decimals, so the order of adding does not matter).
    fn merged(mut self, other: AttributionReport) -> Self {
        self.conversions += other.conversions;
        for (credits, more) in self.models.iter_mut().zip(other.models) {
            for (channel, share) in more.by_channel {
                *credits.by_channel.entry(channel).or_default() += share;
            }
            for (campaign, share) in more.by_campaign {
                *credits.by_campaign.entry(campaign).or_default() += share;
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, d, 10, 0, 0).unwrap()
    }

    #[test]
    fn parts_of_a_split_scan_add_up_to_one_report() {
        let part = |conversions, channel, share: &str, campaign: &str| {
            let mut report = AttributionReport::empty();
            report.conversions = conversions;
            for credits in &mut report.models {
                let share: Decimal = share.parse().unwrap();
                credits.by_channel.insert(channel, share);
                credits.by_campaign.insert(campaign.to_owned(), share);
            }
            report
        };
        let merged = AttributionReport::empty()
            .merged(part(2, JourneyChannel::Website, "1.25", "spring"))
            .merged(part(1, JourneyChannel::Website, "0.5", NO_CAMPAIGN))
            .merged(part(1, JourneyChannel::Email, "0.333333333333", "spring"));
        assert_eq!(merged.conversions, 4);
        assert_eq!(merged.models.len(), AttributionModel::ALL.len());
        for credits in &merged.models {
            assert_eq!(
                credits.by_channel[&JourneyChannel::Website].to_string(),
                "1.75"
            );
            assert_eq!(
                credits.by_channel[&JourneyChannel::Email].to_string(),
                "0.333333333333"
            );
            assert_eq!(credits.by_campaign["spring"].to_string(), "1.583333333333");
            assert_eq!(credits.by_campaign[NO_CAMPAIGN].to_string(), "0.5");
        }
    }

    #[test]
    fn every_models_shares_sum_to_exactly_one() {
        let touches = [day(1), day(3), day(5)];
        for model in AttributionModel::ALL {
            for n in 1..=3 {
                let shares = credit_shares(*model, &touches[..n], day(6), 7.0);
                assert_eq!(
                    shares.iter().sum::<Decimal>(),
                    Decimal::ONE,
                    "{model} with {n} touches"
                );
            }
        }
        let position = credit_shares(AttributionModel::PositionBased, &touches, day(6), 7.0);
        assert_eq!(
            position,
            [Decimal::new(4, 1), Decimal::new(2, 1), Decimal::new(4, 1)]
        );
        let two = credit_shares(AttributionModel::PositionBased, &touches[..2], day(6), 7.0);
        assert_eq!(two, [Decimal::new(5, 1), Decimal::new(5, 1)]);
        // Time decay, half-life 7 days: weights 2^(-5/7), 2^(-3/7), 2^(-1/7).
        let decay = credit_shares(AttributionModel::TimeDecay, &touches, day(6), 7.0);
        let weights = [
            2f64.powf(-5.0 / 7.0),
            2f64.powf(-3.0 / 7.0),
            2f64.powf(-1.0 / 7.0),
        ];
        let total: f64 = weights.iter().sum();
        for (share, weight) in decay.iter().zip(weights) {
            let share: f64 = share.to_string().parse().unwrap();
            assert!(
                (share - weight / total).abs() < 1e-9,
                "{share} vs {}",
                weight / total
            );
        }
    }
}
