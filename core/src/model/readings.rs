//! One visit's water test: the readings, how they were taken, and the
//! plausible span of each. What the readings mean (the saturation index,
//! target ranges) is in `domain/chemistry.rs`.
//!
//! Units: every concentration is in ppm (mg/L), except phosphates, in ppb;
//! temperature is in degrees Fahrenheit.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Result;
use crate::foundation::error::Problems;

crate::text_enum! {
    /// How the water was tested.
    pub enum MeasurementMethod {
        /// Test strips.
        Strip = "strip",
        /// A drop-titration kit.
        DropKit = "drop_kit",
        /// A photometer (colorimeter).
        Photometer = "photometer",
        /// A digital probe or meter.
        DigitalDevice = "digital_device",
    }
}

/// One visit's water test. Every reading is optional: a technician tests
/// what the visit calls for.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Readings {
    /// Free chlorine, ppm.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub free_chlorine: Option<f64>,
    /// Combined chlorine (chloramines), ppm.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub combined_chlorine: Option<f64>,
    /// pH.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub ph: Option<f64>,
    /// Total alkalinity, ppm as CaCO₃.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub total_alkalinity: Option<f64>,
    /// Cyanuric acid (stabiliser), ppm.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub cyanuric_acid: Option<f64>,
    /// Calcium hardness, ppm as CaCO₃.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub calcium_hardness: Option<f64>,
    /// Salt (sodium chloride), ppm.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub salt: Option<f64>,
    /// Water temperature, degrees Fahrenheit.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub temperature_f: Option<f64>,
    /// Total dissolved solids, ppm.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tds: Option<f64>,
    /// Phosphates, ppb.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub phosphates: Option<f64>,
    /// Borate, ppm.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub borate: Option<f64>,
}

/// The plausible span of one reading: anything outside is refused by
/// [`Readings::check`].
struct Bound {
    field: &'static str,
    /// Whether the lower bound is a real span edge ("must be between"),
    /// rather than just "not negative".
    two_sided: bool,
    lowest: f64,
    highest: f64,
    unit: &'static str,
}

impl Bound {
    /// A reading that must lie between `lowest` and `highest`.
    const fn span(field: &'static str, lowest: f64, highest: f64, unit: &'static str) -> Self {
        Bound {
            field,
            two_sided: true,
            lowest,
            highest,
            unit,
        }
    }

    /// A concentration: not negative, and at most `highest`.
    const fn ceiling(field: &'static str, highest: f64, unit: &'static str) -> Self {
        Bound {
            field,
            two_sided: false,
            lowest: 0.0,
            highest,
            unit,
        }
    }
}

/// Bounds for every reading, in [`Readings::values`] order.
const BOUNDS: [Bound; 11] = [
    Bound::ceiling("free_chlorine", 100.0, "ppm"),
    Bound::ceiling("combined_chlorine", 100.0, "ppm"),
    Bound::span("ph", 0.0, 14.0, ""),
    Bound::ceiling("total_alkalinity", 1_000.0, "ppm"),
    Bound::ceiling("cyanuric_acid", 500.0, "ppm"),
    Bound::ceiling("calcium_hardness", 5_000.0, "ppm"),
    Bound::ceiling("salt", 50_000.0, "ppm"),
    Bound::span("temperature_f", 32.0, 120.0, "°F"),
    Bound::ceiling("tds", 100_000.0, "ppm"),
    Bound::ceiling("phosphates", 100_000.0, "ppb"),
    Bound::ceiling("borate", 500.0, "ppm"),
];

impl Readings {
    /// Every reading, in field declaration order (the order of `BOUNDS`).
    fn values(&self) -> [Option<f64>; 11] {
        [
            self.free_chlorine,
            self.combined_chlorine,
            self.ph,
            self.total_alkalinity,
            self.cyanuric_acid,
            self.calcium_hardness,
            self.salt,
            self.temperature_f,
            self.tds,
            self.phosphates,
            self.borate,
        ]
    }

    /// Whether nothing was measured.
    pub fn is_empty(&self) -> bool {
        *self == Readings::default()
    }

    /// Refuses physically impossible or absurd values: anything not finite,
    /// a negative concentration, pH outside 0–14, temperature outside
    /// 32–120 °F, and concentrations far beyond any real pool (free or
    /// combined chlorine over 100 ppm, total alkalinity over 1,000, cyanuric
    /// acid over 500, calcium hardness over 5,000, salt over 50,000, TDS over
    /// 100,000, phosphates over 100,000 ppb, borate over 500). The error
    /// names the first offending field as `readings.<field>`.
    pub fn check(&self) -> Result<()> {
        let mut problems = Problems::default();
        for (value, bound) in self.values().into_iter().zip(&BOUNDS) {
            let Some(value) = value else { continue };
            let field = format!("readings.{}", bound.field);
            if !value.is_finite() {
                problems.add(field, "must be a finite number");
            } else if bound.two_sided {
                if value < bound.lowest || value > bound.highest {
                    problems.add(
                        field,
                        format!(
                            "must be between {} and {}{} (got {value})",
                            bound.lowest,
                            bound.highest,
                            if bound.unit.is_empty() {
                                String::new()
                            } else {
                                format!(" {}", bound.unit)
                            },
                        ),
                    );
                }
            } else if value < bound.lowest {
                problems.add(field, format!("must not be negative (got {value})"));
            } else if value > bound.highest {
                problems.add(
                    field,
                    format!(
                        "is implausibly high: over {} {} (got {value})",
                        bound.highest, bound.unit
                    ),
                );
            }
        }
        problems.finish()
    }

    /// The reading for `parameter`, if taken. The saturation index is not a
    /// reading (see [`saturation_index`](crate::saturation_index)), so it is always `None`.
    pub fn value(&self, parameter: Parameter) -> Option<f64> {
        match parameter {
            Parameter::FreeChlorine => self.free_chlorine,
            Parameter::CombinedChlorine => self.combined_chlorine,
            Parameter::Ph => self.ph,
            Parameter::TotalAlkalinity => self.total_alkalinity,
            Parameter::CyanuricAcid => self.cyanuric_acid,
            Parameter::CalciumHardness => self.calcium_hardness,
            Parameter::Salt => self.salt,
            Parameter::TemperatureF => self.temperature_f,
            Parameter::Tds => self.tds,
            Parameter::Phosphates => self.phosphates,
            Parameter::SaturationIndex => None,
        }
    }
}

crate::text_enum! {
    /// A quantity a target profile can hold a range for.
    pub enum Parameter {
        /// Free chlorine, ppm.
        FreeChlorine = "free_chlorine",
        /// Combined chlorine, ppm.
        CombinedChlorine = "combined_chlorine",
        /// pH.
        Ph = "ph",
        /// Total alkalinity, ppm.
        TotalAlkalinity = "total_alkalinity",
        /// Cyanuric acid, ppm.
        CyanuricAcid = "cyanuric_acid",
        /// Calcium hardness, ppm.
        CalciumHardness = "calcium_hardness",
        /// Salt, ppm.
        Salt = "salt",
        /// Water temperature, °F.
        TemperatureF = "temperature_f",
        /// Total dissolved solids, ppm.
        Tds = "tds",
        /// Phosphates, ppb.
        Phosphates = "phosphates",
        /// The calcite saturation index.
        SaturationIndex = "saturation_index",
    }
}

impl fmt::Display for Readings {
    /// The readings in pool shorthand: `FC 3 · pH 7.6 · TA 90 · CH 300 ·
    /// CYA 40 · 80 °F` (ppm unless marked), or `no readings`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const NAMES: [(&str, &str); 11] = [
            ("FC", ""),
            ("CC", ""),
            ("pH", ""),
            ("TA", ""),
            ("CYA", ""),
            ("CH", ""),
            ("salt", ""),
            ("", " °F"),
            ("TDS", ""),
            ("phosphates", " ppb"),
            ("borate", ""),
        ];
        let parts: Vec<String> = self
            .values()
            .iter()
            .zip(NAMES)
            .filter_map(|(value, (name, unit))| {
                value.map(|value| {
                    let value = format!("{value}");
                    if name.is_empty() {
                        format!("{value}{unit}")
                    } else {
                        format!("{name} {value}{unit}")
                    }
                })
            })
            .collect();
        if parts.is_empty() {
            f.write_str("no readings")
        } else {
            f.write_str(&parts.join(" · "))
        }
    }
}
