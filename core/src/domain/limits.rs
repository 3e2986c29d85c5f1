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
}
