//! Timing and the results table: samples from both sides of a benchmark,
//! their medians and 99th percentiles, the ratio and whether it meets the
//! target.

use std::time::{Duration, Instant};

/// What a benchmark compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Items written per second; the ratio is poolbook's rate over raw's
    /// (higher is better).
    Throughput,
    /// Time per call; the ratio is poolbook's median over raw's (lower is
    /// better).
    Latency,
}

/// A target for a benchmark's ratio.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// The bound.
    pub ratio: f64,
}

/// One line of the results table.
#[derive(Debug, Clone)]
pub struct Row {
    /// What was measured.
    pub name: String,
    pub kind: Kind,
    /// Poolbook's samples: rates (items/s) or times (seconds).
    pub poolbook: Vec<f64>,
    /// The baseline's samples, the same way; empty when there is none.
    pub raw: Vec<f64>,
    /// What the baseline is.
    pub baseline: &'static str,
    pub target: Option<Target>,
}

impl Row {
    pub fn new(name: impl Into<String>, kind: Kind, baseline: &'static str) -> Self {
        Row {
            name: name.into(),
            kind,
            poolbook: Vec::new(),
            raw: Vec::new(),
            baseline,
            target: None,
        }
    }

    pub fn target(mut self, ratio: f64) -> Self {
        self.target = Some(Target { ratio });
        self
    }

    /// poolbook / raw for throughput, poolbook / raw time for latency.
    pub fn ratio(&self) -> Option<f64> {
        let (pb, raw) = (median(&self.poolbook)?, median(&self.raw)?);
        (raw > 0.0).then_some(pb / raw)
    }

    /// Whether the ratio meets the target (None without one).
    pub fn meets(&self) -> Option<bool> {
        let target = self.target?;
        let ratio = self.ratio()?;
        Some(match self.kind {
            Kind::Throughput => ratio >= target.ratio,
            Kind::Latency => ratio <= target.ratio,
        })
    }
}

/// Runs `work` and returns how long it took.
pub fn time(work: impl FnOnce()) -> Duration {
    let started = Instant::now();
    work();
    started.elapsed()
}

pub fn median(samples: &[f64]) -> Option<f64> {
    percentile(samples, 0.5)
}

pub fn percentile(samples: &[f64], p: f64) -> Option<f64> {
    if samples.is_empty() {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = (p * (sorted.len() - 1) as f64).round() as usize;
    sorted.get(rank).copied()
}

fn show(kind: Kind, value: Option<f64>) -> String {
    match (kind, value) {
        (_, None) => "-".to_owned(),
        (Kind::Throughput, Some(rate)) => format!("{rate:.0} /s"),
        (Kind::Latency, Some(seconds)) if seconds >= 1.0 => format!("{seconds:.2} s"),
        (Kind::Latency, Some(seconds)) if seconds >= 1e-3 => format!("{:.1} ms", seconds * 1e3),
        (Kind::Latency, Some(seconds)) => format!("{:.0} µs", seconds * 1e6),
    }
}

/// The results as a Markdown table: medians, p99 of latencies, the ratio,
/// the target and whether it is met.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| operation | poolbook | baseline | poolbook / baseline | target | met | poolbook p99 | baseline p99 |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for row in rows {
        let ratio = row.ratio().map_or("-".to_owned(), |r| match row.kind {
            Kind::Throughput => format!("{r:.2}"),
            Kind::Latency => format!("{r:.2}×"),
        });
        let target = row.target.map_or("-".to_owned(), |t| match row.kind {
            Kind::Throughput => format!("≥ {:.2}", t.ratio),
            Kind::Latency => format!("≤ {:.2}×", t.ratio),
        });
        let met = match row.meets() {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "-",
        };
        let p99 = |samples: &[f64]| match row.kind {
            Kind::Latency => show(row.kind, percentile(samples, 0.99)),
            Kind::Throughput => "-".to_owned(),
        };
        out.push_str(&format!(
            "| {} | {} | {} ({}) | {ratio} | {target} | {met} | {} | {} |\n",
            row.name,
            show(row.kind, median(&row.poolbook)),
            show(row.kind, median(&row.raw)),
            row.baseline,
            p99(&row.poolbook),
            p99(&row.raw),
        ));
    }
    out
}
