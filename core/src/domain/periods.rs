//! Periods: a range that must end after it starts, and the calendar period
//! (UTC day, Monday week, month) an instant falls in.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::model::Period;
use crate::{Error, Result};

/// Refuses a range that ends before (or when) it starts, naming `until`.
pub fn check_range(since: Option<DateTime<Utc>>, until: Option<DateTime<Utc>>) -> Result<()> {
    if let (Some(since), Some(until)) = (since, until)
        && until <= since
    {
        return Err(Error::invalid(
            "until",
            "must be after since (the period ends before it starts)",
        ));
    }
    Ok(())
}

/// The first day of the period `at` falls in (UTC; weeks start on Monday).
pub fn period_start(period: Period, at: DateTime<Utc>) -> NaiveDate {
    let day = at.date_naive();
    match period {
        Period::Day => day,
        Period::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
        Period::Month => day.with_day(1).unwrap_or(day),
    }
}

/// The median of `seconds`, in days (`None` when empty).
pub fn median_days(seconds: &mut [i64]) -> Option<f64> {
    seconds.sort_unstable();
    let n = seconds.len();
    if n == 0 {
        return None;
    }
    let middle = if n % 2 == 1 {
        seconds[n / 2] as f64
    } else {
        (seconds[n / 2 - 1] as f64 + seconds[n / 2] as f64) / 2.0
    };
    Some(middle / 86_400.0)
}
