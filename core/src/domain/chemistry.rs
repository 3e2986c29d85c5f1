//! Water chemistry: the calcite saturation index, editable target ranges,
//! and the flags that compare a visit's readings (`model/readings.rs`) with
//! targets.
//!
//! Pure functions and data; nothing here touches storage.
//!
//! Units: every concentration is in ppm (mg/L), except phosphates, in ppb;
//! temperature is in degrees Fahrenheit.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::{Parameter, Readings};
use crate::{Sanitizer, Surface, WaterKind};

crate::text_enum! {
    /// How the calcite saturation index is computed.
    #[derive(Default)]
    pub enum CsiMethod {
        /// The closed-form CSI used by TroubleFreePool's PoolMath, with ionic
        /// strength, cyanurate and borate corrections. The default.
        #[default]
        Tfp = "tfp",
        /// The classic Langelier factor method: pH + TF + CF + AF − 12.1.
        Classic = "classic",
    }
}

/// A computed saturation index and the method that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SaturationIndex {
    /// The index: negative water is corrosive (dissolves calcium), positive
    /// water is scale-forming, 0 is balanced.
    pub value: f64,
    /// How it was computed.
    pub method: CsiMethod,
}

/// Why the saturation index cannot be computed from some readings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CannotCompute {
    /// Every missing required input, always in the order pH, total
    /// alkalinity, calcium hardness, temperature.
    pub needs: Vec<&'static str>,
    /// Inputs that are present but that the formula cannot use: a value that
    /// is not finite, calcium hardness or carbonate alkalinity not above 0.
    pub reasons: Vec<String>,
}

impl fmt::Display for CannotCompute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot compute the saturation index: ")?;
        let mut parts = Vec::new();
        if !self.needs.is_empty() {
            parts.push(format!("needs {}", self.needs.join(", ")));
        }
        parts.extend(self.reasons.iter().cloned());
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for CannotCompute {}

/// Points of the classic Langelier temperature-factor table: (°F, factor).
const TEMPERATURE_FACTORS: [(f64, f64); 11] = [
    (32.0, 0.0),
    (37.0, 0.1),
    (46.0, 0.2),
    (53.0, 0.3),
    (60.0, 0.4),
    (66.0, 0.5),
    (76.0, 0.6),
    (84.0, 0.7),
    (94.0, 0.8),
    (105.0, 0.9),
    (128.0, 1.0),
];

/// The classic temperature factor: linear interpolation over
/// [`TEMPERATURE_FACTORS`], held at 0.0 below 32 °F and 1.0 above 128 °F.
fn classic_temperature_factor(temperature_f: f64) -> f64 {
    let (first, last) = (TEMPERATURE_FACTORS[0], TEMPERATURE_FACTORS[10]);
    if temperature_f <= first.0 {
        return first.1;
    }
    if temperature_f >= last.0 {
        return last.1;
    }
    for pair in TEMPERATURE_FACTORS.windows(2) {
        let ((t0, f0), (t1, f1)) = (pair[0], pair[1]);
        if temperature_f <= t1 {
            return f0 + (f1 - f0) * (temperature_f - t0) / (t1 - t0);
        }
    }
    last.1
}

/// The classic constant: 12.1 for TDS up to 1,000 ppm (0 when not
/// measured), 12.2 above.
fn classic_constant(tds: f64) -> f64 {
    if tds > 1_000.0 { 12.2 } else { 12.1 }
}

/// The carbonate alkalinity the TFP method uses: total alkalinity less the
/// cyanurate and borate shares, which depend on pH.
fn tfp_carbonate_alkalinity(
    ph: f64,
    total_alkalinity: f64,
    cyanuric_acid: f64,
    borate: f64,
) -> f64 {
    total_alkalinity
        - 0.38772 * cyanuric_acid / (1.0 + 10f64.powf(6.83 - ph))
        - 4.63 * borate / (1.0 + 10f64.powf(9.11 - ph))
}

/// The carbonate alkalinity the classic method uses: total alkalinity less
/// one third of the cyanuric acid.
fn classic_carbonate_alkalinity(total_alkalinity: f64, cyanuric_acid: f64) -> f64 {
    total_alkalinity - cyanuric_acid / 3.0
}

/// The calcite saturation index of `readings` by `method`.
///
/// Requires pH, total alkalinity, calcium hardness and temperature; cyanuric
/// acid, salt and borate count as 0 when missing (TDS too, for the classic
/// constant).
///
/// - [`CsiMethod::Tfp`] (TroubleFreePool / PoolMath):
///   `CarbAlk = TA − 0.38772·CYA/(1+10^(6.83−pH)) − 4.63·Borate/(1+10^(9.11−pH))`,
///   `I = (1.5·CH + TA)/50045 + max(0, Salt − 1.1678·CH)/58440`,
///   `CSI = pH − 11.677 + log10(CH) + log10(CarbAlk) − 2.56·√I/(1+1.65·√I) − 1412.5/(T°C + 273.15) + 4.7375`.
/// - [`CsiMethod::Classic`]: `SI = pH + TF + CF + AF − C`, where TF
///   interpolates linearly over the classic temperature table (32 °F 0.0,
///   37 0.1, 46 0.2, 53 0.3, 60 0.4, 66 0.5, 76 0.6, 84 0.7, 94 0.8, 105 0.9,
///   128 1.0; held flat outside it), `CF = log10(CH) − 0.4`,
///   `AF = log10(TA − CYA/3)`, and `C` is 12.1, or 12.2 when TDS is given and
///   above 1,000 ppm. Borate and salt are ignored.
///
/// Values are used as given: run [`Readings::check`] first to refuse
/// impossible ones. Missing inputs, non-finite values, and calcium hardness
/// or carbonate alkalinity not above 0 are a [`CannotCompute`] listing every
/// problem found.
pub fn saturation_index(
    readings: &Readings,
    method: CsiMethod,
) -> std::result::Result<SaturationIndex, CannotCompute> {
    let mut needs = Vec::new();
    let mut reasons = Vec::new();

    // Required inputs, in the fixed order of `CannotCompute::needs`.
    let mut required = |value: Option<f64>, name: &'static str| match value {
        None => {
            needs.push(name);
            None
        }
        Some(value) if !value.is_finite() => {
            reasons.push(format!("{name} is not a finite number"));
            None
        }
        Some(value) => Some(value),
    };
    let ph = required(readings.ph, "pH");
    let total_alkalinity = required(readings.total_alkalinity, "total alkalinity");
    let calcium_hardness = required(readings.calcium_hardness, "calcium hardness");
    let temperature_f = required(readings.temperature_f, "temperature");

    // Optional inputs: missing counts as 0.
    let mut optional = |value: Option<f64>, name: &'static str| match value {
        Some(value) if !value.is_finite() => {
            reasons.push(format!("{name} is not a finite number"));
            None
        }
        Some(value) => Some(value),
        None => Some(0.0),
    };
    let cyanuric_acid = optional(readings.cyanuric_acid, "cyanuric acid");
    let salt = optional(readings.salt, "salt");
    let borate = optional(readings.borate, "borate");
    let tds = optional(readings.tds, "TDS");

    if let Some(ch) = calcium_hardness
        && ch <= 0.0
    {
        reasons.push(format!("calcium hardness must be above 0 ppm (got {ch})"));
    }

    let carbonate_alkalinity = match method {
        CsiMethod::Tfp => match (ph, total_alkalinity, cyanuric_acid, borate) {
            (Some(ph), Some(ta), Some(cya), Some(borate)) => {
                Some(tfp_carbonate_alkalinity(ph, ta, cya, borate))
            }
            _ => None,
        },
        CsiMethod::Classic => match (total_alkalinity, cyanuric_acid) {
            (Some(ta), Some(cya)) => Some(classic_carbonate_alkalinity(ta, cya)),
            _ => None,
        },
    };
    if let Some(carb) = carbonate_alkalinity
        && carb <= 0.0
    {
        reasons.push(format!(
            "carbonate alkalinity (total alkalinity less the cyanurate and borate shares) must be above 0 ppm (got {carb:.1})"
        ));
    }

    let (Some(ph), Some(ch), Some(carb), Some(temperature_f), Some(salt), Some(tds), Some(ta)) = (
        ph,
        calcium_hardness,
        carbonate_alkalinity,
        temperature_f,
        salt,
        tds,
        total_alkalinity,
    ) else {
        return Err(CannotCompute { needs, reasons });
    };
    if !needs.is_empty() || !reasons.is_empty() {
        return Err(CannotCompute { needs, reasons });
    }

    let value = match method {
        CsiMethod::Tfp => {
            let ionic_strength =
                (1.5 * ch + ta) / 50_045.0 + (salt - 1.1678 * ch).max(0.0) / 58_440.0;
            let root = ionic_strength.sqrt();
            let celsius = (temperature_f - 32.0) * 5.0 / 9.0;
            ph - 11.677 + ch.log10() + carb.log10()
                - 2.56 * root / (1.0 + 1.65 * root)
                - 1412.5 / (celsius + 273.15)
                + 4.7375
        }
        CsiMethod::Classic => {
            ph + classic_temperature_factor(temperature_f) + (ch.log10() - 0.4) + carb.log10()
                - classic_constant(tds)
        }
    };
    Ok(SaturationIndex { value, method })
}

crate::text_enum! {
    /// Where a value sits against its target range.
    pub enum Level {
        /// Below the minimum.
        Low = "low",
        /// Within the range (bounds included).
        Ok = "ok",
        /// Above the maximum.
        High = "high",
    }
}

/// The acceptable span of one parameter; any bound may be open.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TargetRange {
    /// Lowest acceptable value.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub min: Option<f64>,
    /// Highest acceptable value.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub max: Option<f64>,
    /// The value to aim for when adjusting.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub target: Option<f64>,
}

impl fmt::Display for TargetRange {
    /// `250–450`, `at most 0.5`, `at least 1`, or `any`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // At most two decimals: a CYA-derived 3.0000000000000004 reads 3.
        let short = |value: f64| {
            let text = format!("{value:.2}");
            text.trim_end_matches('0').trim_end_matches('.').to_owned()
        };
        match (self.min, self.max) {
            (Some(min), Some(max)) => write!(f, "{}–{}", short(min), short(max)),
            (None, Some(max)) => write!(f, "at most {}", short(max)),
            (Some(min), None) => write!(f, "at least {}", short(min)),
            (None, None) => f.write_str("any"),
        }
    }
}

impl TargetRange {
    /// A range from `min` to `max`, aiming at `target`.
    pub fn new(min: f64, max: f64, target: f64) -> Self {
        TargetRange {
            min: Some(min),
            max: Some(max),
            target: Some(target),
        }
    }

    /// A range with only a maximum.
    pub fn at_most(max: f64) -> Self {
        TargetRange {
            min: None,
            max: Some(max),
            target: None,
        }
    }

    /// Where `value` sits: below `min` is low, above `max` is high, anything
    /// else (the bounds included) is ok.
    pub fn level(&self, value: f64) -> Level {
        match (self.min, self.max) {
            (Some(min), _) if value < min => Level::Low,
            (_, Some(max)) if value > max => Level::High,
            _ => Level::Ok,
        }
    }
}

/// TFP free-chlorine minimum as a fraction of cyanuric acid, non-salt water.
pub const FC_MIN_PER_CYA: f64 = 0.075;
/// TFP free-chlorine target as a fraction of cyanuric acid, non-salt water.
pub const FC_TARGET_PER_CYA: f64 = 0.115;
/// TFP free-chlorine minimum as a fraction of cyanuric acid, salt-water
/// (SWG) pools.
pub const SWG_FC_MIN_PER_CYA: f64 = 0.045;
/// TFP free-chlorine target as a fraction of cyanuric acid, salt-water
/// (SWG) pools.
pub const SWG_FC_TARGET_PER_CYA: f64 = 0.065;
/// TFP shock level as a fraction of cyanuric acid: the free-chlorine
/// maximum when it follows cyanuric acid.
pub const FC_SHOCK_PER_CYA: f64 = 0.40;

/// A named set of target ranges and the bodies of water it applies to.
/// Companies edit these; [`TargetProfile::defaults`] is a starting point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TargetProfile {
    /// A name: "Salt-water pool".
    pub name: String,
    /// The kind of water it applies to; `None` for any.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub water_kind: Option<WaterKind>,
    /// The sanitizer it applies to; `None` for any.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sanitizer: Option<Sanitizer>,
    /// The surface it applies to; `None` for any (an unknown surface too).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub surface: Option<Surface>,
    /// The range for each parameter checked; parameters without one are not flagged.
    pub ranges: BTreeMap<Parameter, TargetRange>,
    /// Whether the free-chlorine minimum, target and maximum follow the
    /// reading's cyanuric acid (see [`TargetProfile::range_for`]).
    pub chlorine_from_cya: bool,
}

impl TargetProfile {
    /// The default profiles, in this order: chlorine pool (plaster and other
    /// hard finishes), salt-water pool, vinyl pool, fiberglass pool,
    /// chlorine spa, bromine spa.
    ///
    /// The numbers are common industry ranges (TroubleFreePool's
    /// recommendations for pools, PHTA/CDC spa guidance for spas), meant to
    /// be edited:
    ///
    /// | | chlorine pool | salt pool | vinyl / fiberglass | chlorine spa | bromine spa |
    /// |---|---|---|---|---|---|
    /// | FC ppm (no CYA) | 1–4, 3 | 1–4, 3 | 1–4, 3 | 3–5, 4 | — |
    /// | FC from CYA | yes | yes (SWG) | yes | no | no |
    /// | CC ppm | ≤ 0.5 | ≤ 0.5 | ≤ 0.5 | ≤ 0.5 | — |
    /// | pH | 7.2–7.8, 7.5 | 7.2–7.8, 7.5 | 7.2–7.8, 7.5 | 7.2–7.8, 7.5 | 7.2–7.8, 7.5 |
    /// | TA ppm | 60–120, 80 | 60–90, 70 | 60–120, 80 | 60–120, 80 | 80–120, 100 |
    /// | CYA ppm | 30–50, 40 | 60–80, 70 | 30–50, 40 | ≤ 50, 30 | — |
    /// | CH ppm | 200–400, 300 | 250–450, 350 | 150–250, 200 | 150–250, 200 | 150–250, 200 |
    /// | salt ppm | — | 2700–3400, 3200 | — | — | — |
    /// | temperature °F | — | — | — | ≤ 104 | ≤ 104 |
    /// | TDS ppm | ≤ 1500 | — | ≤ 1500 | ≤ 1500 | ≤ 1500 |
    /// | phosphates ppb | ≤ 1000 | ≤ 1000 | ≤ 1000 | — | — |
    /// | saturation index | −0.3–0.3, 0 | −0.3–0.3, 0 | −0.5–0.3, 0 | −0.3–0.3, 0 | −0.3–0.3, 0 |
    ///
    /// Readings has no bromine field, so the bromine spa has no sanitizer range.
    pub fn defaults() -> Vec<TargetProfile> {
        use Parameter as P;
        let chlorine_pool_fc = TargetRange::new(1.0, 4.0, 3.0);
        let ph = TargetRange::new(7.2, 7.8, 7.5);
        let combined = TargetRange {
            min: None,
            max: Some(0.5),
            target: Some(0.0),
        };
        let index = TargetRange::new(-0.3, 0.3, 0.0);
        let tds = TargetRange::at_most(1_500.0);
        let phosphates = TargetRange::at_most(1_000.0);
        let spa_temperature = TargetRange::at_most(104.0);

        let pool_ranges = |ch: TargetRange, index: TargetRange| {
            BTreeMap::from([
                (P::FreeChlorine, chlorine_pool_fc),
                (P::CombinedChlorine, combined),
                (P::Ph, ph),
                (P::TotalAlkalinity, TargetRange::new(60.0, 120.0, 80.0)),
                (P::CyanuricAcid, TargetRange::new(30.0, 50.0, 40.0)),
                (P::CalciumHardness, ch),
                (P::Tds, tds),
                (P::Phosphates, phosphates),
                (P::SaturationIndex, index),
            ])
        };
        let soft_surface = |name: &str, surface: Surface| TargetProfile {
            name: name.to_owned(),
            water_kind: Some(WaterKind::Pool),
            sanitizer: Some(Sanitizer::Chlorine),
            surface: Some(surface),
            ranges: pool_ranges(
                TargetRange::new(150.0, 250.0, 200.0),
                TargetRange::new(-0.5, 0.3, 0.0),
            ),
            chlorine_from_cya: true,
        };

        vec![
            TargetProfile {
                name: "Chlorine pool".to_owned(),
                water_kind: Some(WaterKind::Pool),
                sanitizer: Some(Sanitizer::Chlorine),
                surface: None,
                ranges: pool_ranges(TargetRange::new(200.0, 400.0, 300.0), index),
                chlorine_from_cya: true,
            },
            TargetProfile {
                name: "Salt-water pool".to_owned(),
                water_kind: Some(WaterKind::Pool),
                sanitizer: Some(Sanitizer::Salt),
                surface: None,
                ranges: BTreeMap::from([
                    (P::FreeChlorine, chlorine_pool_fc),
                    (P::CombinedChlorine, combined),
                    (P::Ph, ph),
                    (P::TotalAlkalinity, TargetRange::new(60.0, 90.0, 70.0)),
                    (P::CyanuricAcid, TargetRange::new(60.0, 80.0, 70.0)),
                    (P::CalciumHardness, TargetRange::new(250.0, 450.0, 350.0)),
                    (P::Salt, TargetRange::new(2_700.0, 3_400.0, 3_200.0)),
                    (P::Phosphates, phosphates),
                    (P::SaturationIndex, index),
                ]),
                chlorine_from_cya: true,
            },
            soft_surface("Vinyl pool", Surface::Vinyl),
            soft_surface("Fiberglass pool", Surface::Fiberglass),
            TargetProfile {
                name: "Chlorine spa".to_owned(),
                water_kind: Some(WaterKind::Spa),
                sanitizer: Some(Sanitizer::Chlorine),
                surface: None,
                ranges: BTreeMap::from([
                    (P::FreeChlorine, TargetRange::new(3.0, 5.0, 4.0)),
                    (P::CombinedChlorine, combined),
                    (P::Ph, ph),
                    (P::TotalAlkalinity, TargetRange::new(60.0, 120.0, 80.0)),
                    (
                        P::CyanuricAcid,
                        TargetRange {
                            min: None,
                            max: Some(50.0),
                            target: Some(30.0),
                        },
                    ),
                    (P::CalciumHardness, TargetRange::new(150.0, 250.0, 200.0)),
                    (P::TemperatureF, spa_temperature),
                    (P::Tds, tds),
                    (P::SaturationIndex, index),
                ]),
                chlorine_from_cya: false,
            },
            TargetProfile {
                name: "Bromine spa".to_owned(),
                water_kind: Some(WaterKind::Spa),
                sanitizer: Some(Sanitizer::Bromine),
                surface: None,
                ranges: BTreeMap::from([
                    (P::Ph, ph),
                    (P::TotalAlkalinity, TargetRange::new(80.0, 120.0, 100.0)),
                    (P::CalciumHardness, TargetRange::new(150.0, 250.0, 200.0)),
                    (P::TemperatureF, spa_temperature),
                    (P::Tds, tds),
                    (P::SaturationIndex, index),
                ]),
                chlorine_from_cya: false,
            },
        ]
    }

    /// Whether this profile applies to a body of water of this kind,
    /// sanitizer and surface. A `None` in the profile matches anything; a
    /// profile surface does not match an unknown (`None`) surface.
    pub fn matches(&self, kind: WaterKind, sanitizer: Sanitizer, surface: Option<Surface>) -> bool {
        self.water_kind.is_none_or(|wanted| wanted == kind)
            && self.sanitizer.is_none_or(|wanted| wanted == sanitizer)
            && self.surface.is_none_or(|wanted| Some(wanted) == surface)
    }

    /// How many of kind, sanitizer and surface the profile pins down.
    fn specificity(&self) -> usize {
        usize::from(self.water_kind.is_some())
            + usize::from(self.sanitizer.is_some())
            + usize::from(self.surface.is_some())
    }

    /// The range to hold `parameter` to, given these readings; `None` when
    /// the profile does not check it.
    ///
    /// The stored range, except free chlorine when `chlorine_from_cya` is set
    /// and the readings hold cyanuric acid above 0 (TFP FC/CYA relation):
    /// minimum = 7.5 % and target = 11.5 % of CYA, or 4.5 % and 6.5 % when the
    /// profile's sanitizer is [`Sanitizer::Salt`]; a stored maximum is raised
    /// to the TFP shock level, 40 % of CYA, when that is higher (no stored
    /// maximum stays none). With cyanuric acid 0 or missing, the stored
    /// range is used as is.
    pub fn range_for(&self, parameter: Parameter, readings: &Readings) -> Option<TargetRange> {
        let stored = self.ranges.get(&parameter).copied();
        let cya = readings
            .cyanuric_acid
            .filter(|cya| cya.is_finite() && *cya > 0.0);
        match (parameter, self.chlorine_from_cya, cya) {
            (Parameter::FreeChlorine, true, Some(cya)) => {
                let (min, target) = if self.sanitizer == Some(Sanitizer::Salt) {
                    (SWG_FC_MIN_PER_CYA, SWG_FC_TARGET_PER_CYA)
                } else {
                    (FC_MIN_PER_CYA, FC_TARGET_PER_CYA)
                };
                let stored = stored.unwrap_or_default();
                Some(TargetRange {
                    min: Some(cya * min),
                    max: stored.max.map(|max| max.max(cya * FC_SHOCK_PER_CYA)),
                    target: Some(cya * target),
                })
            }
            _ => stored,
        }
    }
}

/// The profile for a body of water: among those that match, the one that
/// pins down the most of kind, sanitizer and surface; on a tie, the earliest
/// in `profiles`. `None` when none matches.
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn best_profile(
    profiles: &[TargetProfile],
    kind: WaterKind,
    sanitizer: Sanitizer,
    surface: Option<Surface>,
) -> Option<TargetProfile> {
    let mut best: Option<&TargetProfile> = None;
    for profile in profiles
        .iter()
        .filter(|p| p.matches(kind, sanitizer, surface))
    {
        if best.is_none_or(|b| profile.specificity() > b.specificity()) {
            best = Some(profile);
        }
    }
    best.cloned()
}

/// One value compared with its target range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReadingFlag {
    /// What was compared.
    pub parameter: Parameter,
    /// The value.
    pub value: f64,
    /// Where it sits.
    pub level: Level,
    /// The range it was compared with (free chlorine possibly following CYA).
    pub range: TargetRange,
}

/// Compares readings (and the saturation index, if given) with `profile`:
/// one flag per finite value that the profile has a range for, in
/// [`Parameter`] declaration order.
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn flag_readings(
    profile: &TargetProfile,
    readings: &Readings,
    csi: Option<SaturationIndex>,
) -> Vec<ReadingFlag> {
    Parameter::ALL
        .iter()
        .filter_map(|&parameter| {
            let value = match parameter {
                Parameter::SaturationIndex => csi.map(|index| index.value),
                _ => readings.value(parameter),
            }
            .filter(|value| value.is_finite())?;
            let range = profile.range_for(parameter, readings)?;
            Some(ReadingFlag {
                parameter,
                value,
                level: range.level(value),
                range,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::model::MeasurementMethod;

    fn close(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "expected {expected} ± {tolerance}, got {actual}"
        );
    }

    fn balanced() -> Readings {
        Readings {
            ph: Some(7.5),
            total_alkalinity: Some(100.0),
            calcium_hardness: Some(300.0),
            cyanuric_acid: Some(40.0),
            temperature_f: Some(80.0),
            ..Readings::default()
        }
    }

    #[test]
    fn tfp_reproduces_salt_pool_vector() {
        let readings = Readings {
            ph: Some(7.5),
            total_alkalinity: Some(70.0),
            calcium_hardness: Some(350.0),
            cyanuric_acid: Some(50.0),
            salt: Some(1_000.0),
            temperature_f: Some(80.0),
            ..Readings::default()
        };
        let index = saturation_index(&readings, CsiMethod::Tfp).unwrap();
        assert_eq!(index.method, CsiMethod::Tfp);
        close(index.value, -0.18, 0.01);
    }

    #[test]
    fn tfp_reproduces_plain_pool_vector() {
        let index = saturation_index(&balanced(), CsiMethod::default()).unwrap();
        assert_eq!(index.method, CsiMethod::Tfp);
        close(index.value, 0.04, 0.01);
    }

    #[test]
    fn tfp_borate_lowers_the_index() {
        let without = saturation_index(&balanced(), CsiMethod::Tfp).unwrap().value;
        let with = saturation_index(
            &Readings {
                borate: Some(50.0),
                ..balanced()
            },
            CsiMethod::Tfp,
        )
        .unwrap()
        .value;
        // Borate share at pH 7.5: 4.63·50/(1+10^1.61) = 5.56 ppm of the 85 ppm
        // carbonate alkalinity, so log10 drops by about 0.03.
        close(without - with, 0.0305, 0.002);
    }

    #[test]
    fn classic_textbook_case() {
        // pH 7.5, 84 °F (table point: TF = 0.7), CH 300, TA 100, CYA 30:
        //   CF = log10(300) − 0.4 = 2.47712 − 0.4 = 2.07712
        //   carbonate alkalinity = 100 − 30/3 = 90, AF = log10(90) = 1.95424
        //   SI = 7.5 + 0.7 + 2.07712 + 1.95424 − 12.1 = 0.13136
        // (with the rounded printed tables, CF 2.1 and AF 1.95, about 0.15.)
        let readings = Readings {
            ph: Some(7.5),
            temperature_f: Some(84.0),
            calcium_hardness: Some(300.0),
            total_alkalinity: Some(100.0),
            cyanuric_acid: Some(30.0),
            ..Readings::default()
        };
        let index = saturation_index(&readings, CsiMethod::Classic).unwrap();
        assert_eq!(index.method, CsiMethod::Classic);
        close(index.value, 0.13136, 0.0001);

        // Same water with TDS 1,500 ppm: the constant is 12.2, so 0.1 lower.
        let salty = Readings {
            tds: Some(1_500.0),
            ..readings
        };
        close(
            saturation_index(&salty, CsiMethod::Classic).unwrap().value,
            0.03136,
            0.0001,
        );
        // TDS exactly 1,000 keeps 12.1.
        let limit = Readings {
            tds: Some(1_000.0),
            ..readings
        };
        close(
            saturation_index(&limit, CsiMethod::Classic).unwrap().value,
            0.13136,
            0.0001,
        );
    }

    #[test]
    fn classic_interpolates_temperature() {
        // 70 °F lies between 66 (0.5) and 76 (0.6): TF = 0.5 + 0.1·4/10 = 0.54.
        // pH 7.4, CH 250: CF = 2.39794 − 0.4 = 1.99794; TA 80, no CYA: AF = 1.90309.
        // SI = 7.4 + 0.54 + 1.99794 + 1.90309 − 12.1 = −0.25897.
        let readings = Readings {
            ph: Some(7.4),
            temperature_f: Some(70.0),
            calcium_hardness: Some(250.0),
            total_alkalinity: Some(80.0),
            ..Readings::default()
        };
        close(
            saturation_index(&readings, CsiMethod::Classic)
                .unwrap()
                .value,
            -0.25897,
            0.0001,
        );
        close(classic_temperature_factor(70.0), 0.54, 1e-12);
        close(classic_temperature_factor(20.0), 0.0, 1e-12);
        close(classic_temperature_factor(140.0), 1.0, 1e-12);
        close(classic_temperature_factor(105.0), 0.9, 1e-12);
    }

    #[test]
    fn every_missing_combination_lists_its_needs() {
        let names = ["pH", "total alkalinity", "calcium hardness", "temperature"];
        for method in CsiMethod::ALL.iter().copied() {
            for mask in 1u8..16 {
                let missing = |bit: u8| mask & (1 << bit) != 0;
                let mut readings = balanced();
                if missing(0) {
                    readings.ph = None;
                }
                if missing(1) {
                    readings.total_alkalinity = None;
                }
                if missing(2) {
                    readings.calcium_hardness = None;
                }
                if missing(3) {
                    readings.temperature_f = None;
                }
                let expected: Vec<&str> = (0..4)
                    .filter(|&b| missing(b))
                    .map(|b| names[b as usize])
                    .collect();
                let error = saturation_index(&readings, method).unwrap_err();
                assert_eq!(error.needs, expected, "{method} mask {mask:04b}");
                assert!(error.reasons.is_empty(), "{method} mask {mask:04b}");
                assert_eq!(
                    error.to_string(),
                    format!(
                        "cannot compute the saturation index: needs {}",
                        expected.join(", ")
                    )
                );
            }
        }
    }

    #[test]
    fn display_matches_the_documented_form() {
        let readings = Readings {
            ph: None,
            calcium_hardness: None,
            ..balanced()
        };
        assert_eq!(
            saturation_index(&readings, CsiMethod::Tfp)
                .unwrap_err()
                .to_string(),
            "cannot compute the saturation index: needs pH, calcium hardness"
        );
    }

    #[test]
    fn non_positive_inputs_are_reasons() {
        let no_calcium = Readings {
            calcium_hardness: Some(0.0),
            ..balanced()
        };
        let error = saturation_index(&no_calcium, CsiMethod::Tfp).unwrap_err();
        assert!(error.needs.is_empty());
        assert_eq!(
            error.reasons,
            vec!["calcium hardness must be above 0 ppm (got 0)".to_owned()]
        );
        assert_eq!(
            error.to_string(),
            "cannot compute the saturation index: calcium hardness must be above 0 ppm (got 0)"
        );

        // Classic: 10 − 60/3 = −10 ppm carbonate alkalinity.
        let stabiliser_heavy = Readings {
            total_alkalinity: Some(10.0),
            cyanuric_acid: Some(60.0),
            ..balanced()
        };
        let error = saturation_index(&stabiliser_heavy, CsiMethod::Classic).unwrap_err();
        assert_eq!(error.reasons.len(), 1);
        assert!(
            error.reasons[0].starts_with("carbonate alkalinity"),
            "{}",
            error.reasons[0]
        );
        assert!(
            error.reasons[0].ends_with("(got -10.0)"),
            "{}",
            error.reasons[0]
        );

        // TFP: 10 − 0.38772·100/(1+10^−0.67) = 10 − 31.94 = −21.9 ppm.
        let tfp = Readings {
            total_alkalinity: Some(10.0),
            cyanuric_acid: Some(100.0),
            temperature_f: None,
            ..balanced()
        };
        let error = saturation_index(&tfp, CsiMethod::Tfp).unwrap_err();
        assert_eq!(error.needs, vec!["temperature"]);
        assert_eq!(error.reasons.len(), 1);
        assert!(
            error.reasons[0].ends_with("(got -21.9)"),
            "{}",
            error.reasons[0]
        );
        assert!(
            error.to_string().starts_with(
                "cannot compute the saturation index: needs temperature; carbonate alkalinity"
            ),
            "{error}"
        );

        let not_finite = Readings {
            salt: Some(f64::NAN),
            ..balanced()
        };
        let error = saturation_index(&not_finite, CsiMethod::Tfp).unwrap_err();
        assert_eq!(
            error.reasons,
            vec!["salt is not a finite number".to_owned()]
        );
    }

    #[test]
    fn check_accepts_real_water_and_refuses_the_impossible() {
        let full = Readings {
            free_chlorine: Some(4.0),
            combined_chlorine: Some(0.2),
            salt: Some(3_200.0),
            tds: Some(4_000.0),
            phosphates: Some(300.0),
            borate: Some(50.0),
            ..balanced()
        };
        full.check().unwrap();
        Readings::default().check().unwrap();

        let cases = [
            (
                Readings {
                    ph: Some(14.5),
                    ..full
                },
                "readings.ph",
                "must be between 0 and 14 (got 14.5)",
            ),
            (
                Readings {
                    ph: Some(-0.1),
                    ..full
                },
                "readings.ph",
                "must be between 0 and 14 (got -0.1)",
            ),
            (
                Readings {
                    free_chlorine: Some(-1.0),
                    ..full
                },
                "readings.free_chlorine",
                "must not be negative (got -1)",
            ),
            (
                Readings {
                    total_alkalinity: Some(f64::NAN),
                    ..full
                },
                "readings.total_alkalinity",
                "must be a finite number",
            ),
            (
                Readings {
                    tds: Some(f64::INFINITY),
                    ..full
                },
                "readings.tds",
                "must be a finite number",
            ),
            (
                Readings {
                    temperature_f: Some(20.0),
                    ..full
                },
                "readings.temperature_f",
                "must be between 32 and 120 °F (got 20)",
            ),
            (
                Readings {
                    temperature_f: Some(121.0),
                    ..full
                },
                "readings.temperature_f",
                "must be between 32 and 120 °F (got 121)",
            ),
            (
                Readings {
                    free_chlorine: Some(101.0),
                    ..full
                },
                "readings.free_chlorine",
                "is implausibly high: over 100 ppm (got 101)",
            ),
            (
                Readings {
                    salt: Some(60_000.0),
                    ..full
                },
                "readings.salt",
                "is implausibly high: over 50000 ppm (got 60000)",
            ),
            (
                Readings {
                    calcium_hardness: Some(5_001.0),
                    ..full
                },
                "readings.calcium_hardness",
                "is implausibly high: over 5000 ppm (got 5001)",
            ),
            (
                Readings {
                    total_alkalinity: Some(1_001.0),
                    ..full
                },
                "readings.total_alkalinity",
                "is implausibly high: over 1000 ppm (got 1001)",
            ),
            (
                Readings {
                    cyanuric_acid: Some(501.0),
                    ..full
                },
                "readings.cyanuric_acid",
                "is implausibly high: over 500 ppm (got 501)",
            ),
            (
                Readings {
                    tds: Some(100_001.0),
                    ..full
                },
                "readings.tds",
                "is implausibly high: over 100000 ppm (got 100001)",
            ),
            (
                Readings {
                    phosphates: Some(100_001.0),
                    ..full
                },
                "readings.phosphates",
                "is implausibly high: over 100000 ppb (got 100001)",
            ),
            (
                Readings {
                    borate: Some(501.0),
                    ..full
                },
                "readings.borate",
                "is implausibly high: over 500 ppm (got 501)",
            ),
            (
                Readings {
                    combined_chlorine: Some(-0.5),
                    ..full
                },
                "readings.combined_chlorine",
                "must not be negative (got -0.5)",
            ),
        ];
        for (readings, want_field, want_problem) in cases {
            match readings.check() {
                Err(Error::Invalid { field, problem, .. }) => {
                    assert_eq!(field, want_field);
                    assert_eq!(problem, want_problem);
                }
                other => panic!("expected {want_field} to be invalid, got {other:?}"),
            }
        }
    }

    #[test]
    fn text_enums_round_trip() {
        assert_eq!(
            "drop_kit".parse::<MeasurementMethod>().unwrap(),
            MeasurementMethod::DropKit
        );
        assert_eq!(MeasurementMethod::DigitalDevice.as_str(), "digital_device");
        assert_eq!(CsiMethod::default(), CsiMethod::Tfp);
        assert_eq!("classic".parse::<CsiMethod>().unwrap(), CsiMethod::Classic);
        assert_eq!(Parameter::TemperatureF.as_str(), "temperature_f");
        assert_eq!(Level::Ok.to_string(), "ok");
        assert!("sometimes".parse::<Level>().is_err());
    }

    fn profile<'a>(profiles: &'a [TargetProfile], name: &str) -> &'a TargetProfile {
        profiles.iter().find(|p| p.name == name).unwrap()
    }

    #[test]
    fn levels_below_within_and_above() {
        let range = TargetRange::new(7.2, 7.8, 7.5);
        assert_eq!(range.level(7.0), Level::Low);
        assert_eq!(range.level(7.2), Level::Ok);
        assert_eq!(range.level(7.5), Level::Ok);
        assert_eq!(range.level(7.8), Level::Ok);
        assert_eq!(range.level(8.0), Level::High);
        assert_eq!(TargetRange::at_most(0.5).level(0.0), Level::Ok);
        assert_eq!(TargetRange::at_most(0.5).level(0.6), Level::High);

        let profiles = TargetProfile::defaults();
        let pool = profile(&profiles, "Chlorine pool");
        for (ph, level) in [(7.0, Level::Low), (7.5, Level::Ok), (8.0, Level::High)] {
            let flags = flag_readings(
                pool,
                &Readings {
                    ph: Some(ph),
                    ..Readings::default()
                },
                None,
            );
            assert_eq!(flags.len(), 1);
            assert_eq!(flags[0].parameter, Parameter::Ph);
            assert_eq!(flags[0].value, ph);
            assert_eq!(flags[0].level, level);
            assert_eq!(flags[0].range, TargetRange::new(7.2, 7.8, 7.5));
        }
    }

    #[test]
    fn flags_follow_parameter_order_and_include_the_index() {
        let profiles = TargetProfile::defaults();
        let pool = profile(&profiles, "Chlorine pool");
        let readings = Readings {
            free_chlorine: Some(2.0),
            combined_chlorine: Some(0.8),
            salt: Some(500.0),  // no salt range in a chlorine pool: not flagged
            borate: Some(30.0), // not a Parameter: not flagged
            phosphates: Some(1_200.0),
            ..balanced()
        };
        let index = saturation_index(&readings, CsiMethod::Tfp).unwrap();
        let flags = flag_readings(pool, &readings, Some(index));
        let summary: Vec<(Parameter, Level)> =
            flags.iter().map(|f| (f.parameter, f.level)).collect();
        assert_eq!(
            summary,
            vec![
                (Parameter::FreeChlorine, Level::Low), // CYA 40: minimum 3.0
                (Parameter::CombinedChlorine, Level::High),
                (Parameter::Ph, Level::Ok),
                (Parameter::TotalAlkalinity, Level::Ok),
                (Parameter::CyanuricAcid, Level::Ok),
                (Parameter::CalciumHardness, Level::Ok),
                (Parameter::Phosphates, Level::High),
                (Parameter::SaturationIndex, Level::Ok),
            ]
        );
        assert_eq!(flags[7].value, index.value);

        // Without the index there is no index flag.
        let flags = flag_readings(pool, &readings, None);
        assert_eq!(flags.len(), 7);
        assert_eq!(flags.last().unwrap().parameter, Parameter::Phosphates);
        // Nothing measured, nothing flagged.
        assert!(flag_readings(pool, &Readings::default(), None).is_empty());
    }

    #[test]
    fn free_chlorine_range_moves_with_cya() {
        let profiles = TargetProfile::defaults();
        let pool = profile(&profiles, "Chlorine pool");
        let salt = profile(&profiles, "Salt-water pool");
        let with_cya = |cya: Option<f64>| Readings {
            cyanuric_acid: cya,
            ..Readings::default()
        };

        // Non-salt, CYA 40: min 7.5 % = 3.0, target 11.5 % = 4.6, max 40 % = 16.
        let range = pool
            .range_for(Parameter::FreeChlorine, &with_cya(Some(40.0)))
            .unwrap();
        close(range.min.unwrap(), 3.0, 1e-9);
        close(range.target.unwrap(), 4.6, 1e-9);
        close(range.max.unwrap(), 16.0, 1e-9);

        // Non-salt, CYA 80: min 6.0, target 9.2, max 32.
        let range = pool
            .range_for(Parameter::FreeChlorine, &with_cya(Some(80.0)))
            .unwrap();
        close(range.min.unwrap(), 6.0, 1e-9);
        close(range.target.unwrap(), 9.2, 1e-9);
        close(range.max.unwrap(), 32.0, 1e-9);

        // Salt (SWG), CYA 70: min 4.5 % = 3.15, target 6.5 % = 4.55, max 28.
        let range = salt
            .range_for(Parameter::FreeChlorine, &with_cya(Some(70.0)))
            .unwrap();
        close(range.min.unwrap(), 3.15, 1e-9);
        close(range.target.unwrap(), 4.55, 1e-9);
        close(range.max.unwrap(), 28.0, 1e-9);

        // CYA 5: the shock level (2 ppm) is below the stored max, which stays.
        let range = pool
            .range_for(Parameter::FreeChlorine, &with_cya(Some(5.0)))
            .unwrap();
        close(range.min.unwrap(), 0.375, 1e-9);
        assert_eq!(range.max, Some(4.0));

        // No CYA, or 0: the stored range.
        let stored = TargetRange::new(1.0, 4.0, 3.0);
        assert_eq!(
            pool.range_for(Parameter::FreeChlorine, &with_cya(None)),
            Some(stored)
        );
        assert_eq!(
            pool.range_for(Parameter::FreeChlorine, &with_cya(Some(0.0))),
            Some(stored)
        );

        // The same 3.5 ppm is ok at CYA 40 and low at CYA 60.
        let flag = |cya: f64| {
            flag_readings(
                pool,
                &Readings {
                    free_chlorine: Some(3.5),
                    cyanuric_acid: Some(cya),
                    ..Readings::default()
                },
                None,
            )[0]
        };
        assert_eq!(flag(40.0).level, Level::Ok);
        assert_eq!(flag(60.0).level, Level::Low);
        close(flag(60.0).range.min.unwrap(), 4.5, 1e-9);

        // A spa does not follow CYA; other parameters never do.
        let spa = profile(&profiles, "Chlorine spa");
        assert_eq!(
            spa.range_for(Parameter::FreeChlorine, &with_cya(Some(40.0))),
            Some(TargetRange::new(3.0, 5.0, 4.0))
        );
        assert_eq!(
            pool.range_for(Parameter::Ph, &with_cya(Some(40.0))),
            Some(TargetRange::new(7.2, 7.8, 7.5))
        );
        assert_eq!(pool.range_for(Parameter::Salt, &with_cya(Some(40.0))), None);
    }

    #[test]
    fn default_profile_choice() {
        let profiles = TargetProfile::defaults();
        let pick = |kind, sanitizer, surface| {
            best_profile(&profiles, kind, sanitizer, surface)
                .map(|p| p.name)
                .unwrap_or_default()
        };
        assert_eq!(
            pick(WaterKind::Pool, Sanitizer::Salt, Some(Surface::Plaster)),
            "Salt-water pool"
        );
        assert_eq!(
            pick(WaterKind::Pool, Sanitizer::Salt, None),
            "Salt-water pool"
        );
        assert_eq!(
            pick(WaterKind::Spa, Sanitizer::Chlorine, None),
            "Chlorine spa"
        );
        assert_eq!(
            pick(WaterKind::Spa, Sanitizer::Bromine, None),
            "Bromine spa"
        );
        assert_eq!(
            pick(WaterKind::Pool, Sanitizer::Chlorine, Some(Surface::Plaster)),
            "Chlorine pool"
        );
        assert_eq!(
            pick(WaterKind::Pool, Sanitizer::Chlorine, None),
            "Chlorine pool"
        );
        assert_eq!(
            pick(WaterKind::Pool, Sanitizer::Chlorine, Some(Surface::Vinyl)),
            "Vinyl pool"
        );
        assert_eq!(
            pick(
                WaterKind::Pool,
                Sanitizer::Chlorine,
                Some(Surface::Fiberglass)
            ),
            "Fiberglass pool"
        );
        assert_eq!(pick(WaterKind::WaterFeature, Sanitizer::Chlorine, None), "");
        assert_eq!(pick(WaterKind::Pool, Sanitizer::Biguanide, None), "");

        let salt = profile(&profiles, "Salt-water pool");
        assert!(salt.matches(WaterKind::Pool, Sanitizer::Salt, Some(Surface::Pebble)));
        assert!(!salt.matches(WaterKind::Spa, Sanitizer::Salt, None));
        assert!(!salt.matches(WaterKind::Pool, Sanitizer::Chlorine, None));
        let vinyl = profile(&profiles, "Vinyl pool");
        assert!(!vinyl.matches(WaterKind::Pool, Sanitizer::Chlorine, None));

        // Vinyl water has the lower calcium range.
        assert_eq!(
            vinyl.ranges[&Parameter::CalciumHardness],
            TargetRange::new(150.0, 250.0, 200.0)
        );
        assert_eq!(
            salt.ranges[&Parameter::Salt],
            TargetRange::new(2_700.0, 3_400.0, 3_200.0)
        );
    }

    #[test]
    fn ties_go_to_the_earliest_profile() {
        let any_pool = |name: &str| TargetProfile {
            name: name.to_owned(),
            water_kind: Some(WaterKind::Pool),
            sanitizer: None,
            surface: None,
            ranges: BTreeMap::new(),
            chlorine_from_cya: false,
        };
        let profiles = [any_pool("first"), any_pool("second")];
        let best = best_profile(&profiles, WaterKind::Pool, Sanitizer::Other, None).unwrap();
        assert_eq!(best.name, "first");
    }

    #[test]
    fn profiles_round_trip_through_json() {
        let profiles = TargetProfile::defaults();
        let json = serde_json::to_string(&profiles).unwrap();
        assert!(
            json.contains("\"free_chlorine\":{\"min\":1.0,\"max\":4.0,\"target\":3.0}"),
            "{json}"
        );
        let back: Vec<TargetProfile> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, profiles);

        let readings = Readings {
            ph: Some(7.4),
            ..Readings::default()
        };
        let json = serde_json::to_string(&readings).unwrap();
        assert_eq!(serde_json::from_str::<Readings>(&json).unwrap(), readings);
    }
}
