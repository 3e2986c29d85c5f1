//! How values read in text, the same everywhere poolbook prints them: money
//! always with two decimals (`0.00`, never `0` beside `250.00`), spans of
//! time in words (`1 day`, not `1440 min`).

use rust_decimal::Decimal;

/// Money with two decimals, halves away from zero: `250.00`, `-15.50`, `0.00`.
pub fn format_money(amount: Decimal) -> String {
    let cents =
        amount.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    format!("{cents:.2}")
}

/// A span of minutes in words: `45 minutes`, `1 hour`, `1 hour 30 minutes`,
/// `2 days`, `1 day 6 hours` (minutes left out beside days).
pub fn format_minutes(minutes: u32) -> String {
    let (days, hours, rest) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let unit = |n: u32, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(unit(days, "day"));
    }
    if hours > 0 {
        parts.push(unit(hours, "hour"));
    }
    if rest > 0 && days == 0 || minutes == 0 {
        parts.push(unit(rest, "minute"));
    }
    parts.join(" ")
}

/// `count` followed by `one` or `many`: `1 visit`, `4 visits`.
pub fn count_of(count: u64, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_has_two_decimals_always() {
        assert_eq!(format_money(Decimal::ZERO), "0.00");
        assert_eq!(format_money(Decimal::new(250, 0)), "250.00");
        assert_eq!(format_money(Decimal::new(-1550, 2)), "-15.50");
        assert_eq!(format_money(Decimal::new(8125, 3)), "8.13");
    }

    #[test]
    fn spans_read_in_words() {
        assert_eq!(format_minutes(0), "0 minutes");
        assert_eq!(format_minutes(1), "1 minute");
        assert_eq!(format_minutes(45), "45 minutes");
        assert_eq!(format_minutes(60), "1 hour");
        assert_eq!(format_minutes(90), "1 hour 30 minutes");
        assert_eq!(format_minutes(1440), "1 day");
        assert_eq!(format_minutes(2880), "2 days");
        assert_eq!(format_minutes(1440 + 360 + 5), "1 day 6 hours");
        assert_eq!(count_of(1, "visit", "visits"), "1 visit");
        assert_eq!(count_of(4, "visit", "visits"), "4 visits");
    }
}
