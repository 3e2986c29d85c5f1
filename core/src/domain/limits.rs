//! The documented ranges of what a book accepts: days and instants every
//! binding can represent, money and quantities whose arithmetic cannot
//! overflow, day counts, and how many items a list may hold. Validation
//! refuses anything outside them naming the field and the limit, before it
//! is stored, so no later read of stored data can fail or panic on it.

use chrono::{DateTime, NaiveDate, SubsecRound, Timelike, Utc};
use rust_decimal::Decimal;

use crate::{Error, Result};

/// The earliest day a book stores: 1900-01-01.
pub const EARLIEST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// The latest day a book stores: 2199-12-31 (Python's `datetime`, Kotlin's
/// `java.time` and Swift's `Date` all hold every day in between).
pub const LATEST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2199, 12, 31) {
    Some(day) => day,
    None => NaiveDate::MAX,
};

/// The largest amount of money in one figure (a price, a payment, a credit):
/// one billion in the book's currency. Sums of a company's figures stay far
/// inside what [`Decimal`] holds.
pub const MAX_MONEY: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// The largest quantity on an invoice line: one million.
pub const MAX_QUANTITY: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// The most decimal places a figure of money or quantity keeps.
pub const MAX_DECIMAL_PLACES: u32 = 4;

/// The longest span in days a rule or window counts (a hundred years).
pub const MAX_DAYS: u32 = 36_525;

/// The most items a list in a record holds (tags, contacts, locations,
/// bodies of water, phones, emails, pets, hazards, equipment, access hours,
/// custom fields, invoice lines, applications, doses, tasks).
pub const MAX_LIST_ITEMS: usize = 100;

/// The longest label: a touchpoint's source, campaign, source system or
/// source event id (200 characters).
pub const MAX_LABEL_CHARS: usize = 200;

/// The most a touchpoint's properties hold, measured as JSON: 16 KiB.
pub const MAX_PROPERTIES_BYTES: usize = 16 * 1024;

/// The most actions a stage map names.
pub const MAX_STAGE_MAP_ENTRIES: usize = 1000;

/// Refuses a day outside [`EARLIEST_DAY`]..=[`LATEST_DAY`].
pub fn day(value: NaiveDate, field: &str) -> Result<()> {
    if (EARLIEST_DAY..=LATEST_DAY).contains(&value) {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("must be from {EARLIEST_DAY} to {LATEST_DAY}"),
        ))
    }
}

/// An instant as a book stores it: microseconds, a leap second folded into
/// the second before it, and refused outside the days of [`day`].
pub fn instant(value: DateTime<Utc>, field: &str) -> Result<DateTime<Utc>> {
    let value = if value.nanosecond() >= 1_000_000_000 {
        value.with_nanosecond(999_999_000).unwrap_or(value)
    } else {
        value.trunc_subsecs(6)
    };
    day(value.date_naive(), field)?;
    Ok(value)
}

/// Refuses an amount of money above [`MAX_MONEY`] (either sign) or with more
/// than [`MAX_DECIMAL_PLACES`] places.
pub fn money(value: Decimal, field: &str) -> Result<()> {
    figure(value, MAX_MONEY, field)
}

/// Refuses a quantity above [`MAX_QUANTITY`] or with more than
/// [`MAX_DECIMAL_PLACES`] places.
pub fn quantity(value: Decimal, field: &str) -> Result<()> {
    figure(value, MAX_QUANTITY, field)
}

fn figure(value: Decimal, max: Decimal, field: &str) -> Result<()> {
    if value.abs() > max {
        return Err(Error::invalid(field, format!("must be at most {max}")));
    }
    if value.normalize().scale() > MAX_DECIMAL_PLACES {
        return Err(Error::invalid(
            field,
            format!("has more than {MAX_DECIMAL_PLACES} decimal places"),
        ));
    }
    Ok(())
}

/// Refuses a count of days above [`MAX_DAYS`].
pub fn days(value: u32, field: &str) -> Result<()> {
    if value > MAX_DAYS {
        return Err(Error::invalid(
            field,
            format!("must be at most {MAX_DAYS} days"),
        ));
    }
    Ok(())
}

/// Refuses a list of more than `max` items.
pub fn items<T>(list: &[T], max: usize, field: &str) -> Result<()> {
    if list.len() > max {
        return Err(Error::invalid(
            field,
            format!("has {} items; at most {max} are kept", list.len()),
        ));
    }
    Ok(())
}

/// Refuses text longer than `max` characters, or holding a NUL character
/// (which no store keeps alike: PostgreSQL cannot store it at all).
pub fn chars(value: &str, max: usize, field: &str) -> Result<()> {
    if value.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("is longer than {max} characters"),
        ));
    }
    if value.contains('\0') {
        return Err(Error::invalid(field, "contains a NUL character"));
    }
    Ok(())
}

/// Refuses a value whose JSON form is larger than `max_bytes`, counting
/// without building the text.
pub fn json_size<T: serde::Serialize>(value: &T, max_bytes: usize, field: &str) -> Result<()> {
    let mut counter = ByteCounter { left: max_bytes };
    serde_json::to_writer(&mut counter, value)
        .map_err(|_| Error::invalid(field, format!("is larger than {max_bytes} bytes as JSON")))
}

/// Counts bytes written and fails once past its budget.
struct ByteCounter {
    left: usize,
}

impl std::io::Write for ByteCounter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.left = self
            .left
            .checked_sub(bytes.len())
            .ok_or_else(|| std::io::Error::other("over the limit"))?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn instants_outside_the_range_are_refused_and_leap_seconds_folded() {
        let first = Utc.with_ymd_and_hms(1, 1, 1, 0, 30, 0).unwrap();
        assert!(instant(first, "at").is_err());
        let far = Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).unwrap();
        assert!(instant(far, "at").is_err());
        let leap = Utc
            .with_ymd_and_hms(2016, 12, 31, 23, 59, 59)
            .unwrap()
            .with_nanosecond(1_500_000_000)
            .unwrap();
        let folded = instant(leap, "at").unwrap();
        assert_eq!(folded.nanosecond(), 999_999_000);
        assert_eq!(folded.second(), 59);
        let ordinary = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        assert_eq!(instant(ordinary, "at").unwrap(), ordinary);
    }

    #[test]
    fn money_and_quantities_are_bounded() {
        assert!(money(Decimal::new(99_999, 2), "amount").is_ok());
        assert!(money(MAX_MONEY, "amount").is_ok());
        assert!(money(MAX_MONEY + Decimal::ONE, "amount").is_err());
        assert!(money(-MAX_MONEY - Decimal::ONE, "amount").is_err());
        assert!(money(Decimal::MAX, "amount").is_err());
        assert!(money(Decimal::new(1, 5), "amount").is_err());
        assert!(
            money(Decimal::new(10_000, 5), "amount").is_ok(),
            "0.10000 is 0.1"
        );
        assert!(quantity(MAX_QUANTITY + Decimal::ONE, "quantity").is_err());
        let error = money(Decimal::MAX, "lines[0].unit_price").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid lines[0].unit_price: must be at most 1000000000"
        );
    }

    #[test]
    fn json_sizes_are_counted_without_building_the_text() {
        let small = serde_json::json!({"plan": "weekly"});
        assert!(json_size(&small, 20, "properties").is_ok());
        assert!(json_size(&small, 10, "properties").is_err());
        let big = vec!["x".repeat(1000); 100];
        let error = json_size(&big, MAX_PROPERTIES_BYTES, "touchpoints[3].properties").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid touchpoints[3].properties: is larger than 16384 bytes as JSON"
        );
    }
}
