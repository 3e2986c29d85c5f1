//! The statistics experiments and before/after comparisons use: the
//! difference of two proportions with its 95 % confidence interval (the
//! unpooled Wald interval) and the two-sided p-value of the pooled z test,
//! the success–failure condition for the normal approximation, a
//! deterministic variant assignment, and the plain-language verdict.

/// z for a two-sided 95 % interval.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// Successes and failures each group needs for the normal approximation
/// (the success–failure condition).
pub const MIN_SUCCESSES_AND_FAILURES: u64 = 10;

/// Two proportions compared: `b` against `a`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProportionDifference {
    /// a's proportion.
    pub rate_a: f64,
    /// b's proportion.
    pub rate_b: f64,
    /// rate_b − rate_a.
    pub difference: f64,
    /// Lower end of the 95 % interval of the difference.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// Two-sided p-value of the pooled z test (1 when it cannot be computed).
    pub p_value: f64,
    /// Both groups meet the success–failure condition.
    pub enough_data: bool,
}

/// The difference of `x_b / n_b` and `x_a / n_a`, or `None` if a group is empty.
pub fn two_proportions(x_a: u64, n_a: u64, x_b: u64, n_b: u64) -> Option<ProportionDifference> {
    if n_a == 0 || n_b == 0 || x_a > n_a || x_b > n_b {
        return None;
    }
    let (na, nb) = (n_a as f64, n_b as f64);
    let (pa, pb) = (x_a as f64 / na, x_b as f64 / nb);
    let difference = pb - pa;
    let se = (pa * (1.0 - pa) / na + pb * (1.0 - pb) / nb).sqrt();
    let pooled = (x_a + x_b) as f64 / (na + nb);
    let se_pooled = (pooled * (1.0 - pooled) * (1.0 / na + 1.0 / nb)).sqrt();
    let p_value = if se_pooled > 0.0 {
        2.0 * (1.0 - normal_cdf((difference / se_pooled).abs()))
    } else {
        1.0
    };
    let condition =
        |x: u64, n: u64| x >= MIN_SUCCESSES_AND_FAILURES && n - x >= MIN_SUCCESSES_AND_FAILURES;
    Some(ProportionDifference {
        rate_a: pa,
        rate_b: pb,
        difference,
        low: difference - Z_95 * se,
        high: difference + Z_95 * se,
        p_value: p_value.clamp(0.0, 1.0),
        enough_data: condition(x_a, n_a) && condition(x_b, n_b),
    })
}

/// The standard normal distribution function, Φ(z), to about 1e-7.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// The complementary error function (Numerical Recipes' `erfcc`, fractional
/// error below 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// Points (percentage points, one decimal) of a proportion difference.
fn points(value: f64) -> String {
    format!("{:.1}", value * 100.0)
}

/// The plain-language verdict of `b` against `a`: "B converts 6.1 points
/// better than A, 95 % CI 1.2–11.0; enough data", "no clear difference …",
/// or "not enough data yet …".
pub fn verdict(a: &str, b: &str, result: &ProportionDifference) -> String {
    let interval = format!("95 % CI {}–{}", points(result.low), points(result.high));
    let size = points(result.difference.abs());
    let direction = if result.difference >= 0.0 {
        "better"
    } else {
        "worse"
    };
    if !result.enough_data {
        return format!(
            "not enough data yet: each variant needs at least {MIN_SUCCESSES_AND_FAILURES} \
             conversions and {MIN_SUCCESSES_AND_FAILURES} non-conversions \
             (so far {b} converts {size} points {direction} than {a}, {interval})"
        );
    }
    if result.low > 0.0 || result.high < 0.0 {
        format!("{b} converts {size} points {direction} than {a}, {interval}; enough data")
    } else {
        format!(
            "no clear difference: {b} converts {size} points {direction} than {a}, {interval} \
             (the interval includes no difference); enough data"
        )
    }
}

/// The variant a person is assigned to in an experiment: FNV-1a (64-bit)
/// of `experiment:person`, modulo the number of variants. The same person
/// and experiment always get the same variant, on any device.
pub fn assigned_variant(experiment: &str, person: &str, variants: usize) -> usize {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in experiment.bytes().chain([b':']).chain(person.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    if variants == 0 {
        0
    } else {
        (hash % variants as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_matches_the_textbook() {
        // OpenIntro Statistics (4th ed., §6.2.3), the mammogram trial: 500 of
        // 44,925 died in the mammogram group, 505 of 44,910 in the control
        // group; the 95 % interval of the difference is (−0.0015, 0.0013).
        let r = two_proportions(505, 44_910, 500, 44_925).unwrap();
        assert!((r.difference - -0.000_115).abs() < 1e-6, "{}", r.difference);
        assert_eq!(
            (
                (r.low * 10_000.0).round() / 10_000.0,
                (r.high * 10_000.0).round() / 10_000.0
            ),
            (-0.0015, 0.0013)
        );
        assert!(r.p_value > 0.8, "{}", r.p_value);
        // A clear difference: 100 of 1000 against 160 of 1000.
        let r = two_proportions(100, 1000, 160, 1000).unwrap();
        assert!((r.difference - 0.06).abs() < 1e-12);
        // se = sqrt(.1·.9/1000 + .16·.84/1000) = 0.0149800…
        assert!((r.low - (0.06 - Z_95 * 0.014_979_987)).abs() < 1e-6);
        assert!(r.p_value < 0.001);
        assert_eq!(
            verdict("A", "B", &r),
            "B converts 6.0 points better than A, 95 % CI 3.1–8.9; enough data"
        );
    }

    #[test]
    fn small_groups_are_not_enough_data_and_the_normal_function_is_right() {
        let r = two_proportions(2, 20, 6, 20).unwrap();
        assert!(!r.enough_data);
        assert!(verdict("A", "B", &r).starts_with("not enough data yet"));
        assert!(two_proportions(0, 0, 1, 2).is_none());
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(-1.0) - 0.158_655_25).abs() < 1e-6);
    }

    #[test]
    fn assignment_is_stable_and_spreads_people() {
        let a = assigned_variant("reminder wording", "customer-1", 2);
        assert_eq!(a, assigned_variant("reminder wording", "customer-1", 2));
        let mut counts = [0; 2];
        for n in 0..1000 {
            counts[assigned_variant("reminder wording", &format!("c{n}"), 2)] += 1;
        }
        assert!(counts.iter().all(|&c| c > 400), "{counts:?}");
    }
}
