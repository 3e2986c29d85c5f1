//! The book's time zone: an IANA name resolved in the tz database compiled
//! into the library (jiff's bundled copy, one compact blob: about 0.4 MB in
//! a phone's library, where chrono-tz's tables of pointers took 2 MB), and
//! the conversion of instants (stored in UTC) to the book's local days and
//! times.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Offset, Timelike, Utc};

/// A time zone by its IANA name (`America/Phoenix`), or UTC.
#[derive(Debug, Clone)]
pub(crate) struct BookZone {
    name: String,
    zone: jiff::tz::TimeZone,
}

impl PartialEq for BookZone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl BookZone {
    /// Coordinated Universal Time, a book's zone until one is set.
    pub fn utc() -> Self {
        BookZone {
            name: "UTC".to_owned(),
            zone: jiff::tz::TimeZone::UTC,
        }
    }

    /// The zone named `name` in the tz database (any letter case; the name
    /// kept is the database's spelling), or `None`.
    pub fn find(name: &str) -> Option<Self> {
        let name = name.trim();
        if name.is_empty() || name.len() > 64 {
            return None;
        }
        let zone = jiff::tz::db().get(name).ok()?;
        let name = zone.iana_name().unwrap_or(name).to_owned();
        Some(BookZone { name, zone })
    }

    /// The IANA name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The zone's offset from UTC at `instant` (UTC for an instant outside
    /// what the tz database covers).
    pub fn offset_at(&self, instant: DateTime<Utc>) -> FixedOffset {
        let seconds = jiff::Timestamp::new(instant.timestamp(), 0)
            .map(|at| self.zone.to_offset(at).seconds())
            .unwrap_or(0);
        FixedOffset::east_opt(seconds).unwrap_or_else(|| Utc.fix())
    }

    /// `instant` on the book's clock.
    pub fn local(&self, instant: DateTime<Utc>) -> DateTime<FixedOffset> {
        instant.with_timezone(&self.offset_at(instant))
    }

    /// The book's calendar day at `instant`.
    pub fn date_of(&self, instant: DateTime<Utc>) -> NaiveDate {
        self.local(instant).date_naive()
    }

    /// The instant the book's clock reads `local`: in a clock change's gap,
    /// the moment after the jump; in an overlap, the earlier of the two.
    /// `None` outside the years the tz database covers.
    pub fn instant_of(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        let narrow = |value: u32| i8::try_from(value).ok();
        let civil = jiff::civil::DateTime::new(
            i16::try_from(local.year()).ok()?,
            narrow(local.month())?,
            narrow(local.day())?,
            narrow(local.hour())?,
            narrow(local.minute())?,
            narrow(local.second())?,
            0,
        )
        .ok()?;
        let at = self.zone.to_ambiguous_timestamp(civil).compatible().ok()?;
        DateTime::from_timestamp(at.as_second(), 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn names_resolve_in_any_case_to_the_database_spelling() {
        assert_eq!(
            BookZone::find("America/Phoenix").unwrap().name(),
            "America/Phoenix"
        );
        assert_eq!(
            BookZone::find(" america/phoenix ").unwrap().name(),
            "America/Phoenix"
        );
        assert_eq!(BookZone::find("UTC").unwrap(), BookZone::utc());
        for bad in [
            "",
            "Mars/Olympus",
            "America/",
            "../etc/passwd",
            &"x".repeat(300),
        ] {
            assert!(BookZone::find(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn local_times_become_instants_across_clock_changes() {
        let local = |text: &str| text.parse::<NaiveDateTime>().unwrap();
        let phoenix = BookZone::find("America/Phoenix").unwrap();
        assert_eq!(
            phoenix.instant_of(local("2026-03-03T08:02:13")),
            Some(at("2026-03-03T15:02:13Z"))
        );
        let new_york = BookZone::find("America/New_York").unwrap();
        // 02:30 on 8 March 2026 does not exist there: the clock jumps to 03:00 EDT.
        assert_eq!(
            new_york.instant_of(local("2026-03-08T02:30:00")),
            Some(at("2026-03-08T07:30:00Z"))
        );
        // 01:30 on 1 November 2026 happens twice: the first (EDT) is taken.
        assert_eq!(
            new_york.instant_of(local("2026-11-01T01:30:00")),
            Some(at("2026-11-01T05:30:00Z"))
        );
    }

    #[test]
    fn offsets_follow_daylight_saving_and_phoenix_keeps_none() {
        let new_york = BookZone::find("America/New_York").unwrap();
        assert_eq!(
            new_york
                .offset_at(at("2026-01-15T12:00:00Z"))
                .local_minus_utc(),
            -5 * 3600
        );
        assert_eq!(
            new_york
                .offset_at(at("2026-07-15T12:00:00Z"))
                .local_minus_utc(),
            -4 * 3600
        );
        let phoenix = BookZone::find("America/Phoenix").unwrap();
        assert_eq!(
            phoenix
                .offset_at(at("2026-07-15T12:00:00Z"))
                .local_minus_utc(),
            -7 * 3600
        );
        // Late evening in Phoenix is already tomorrow in UTC.
        assert_eq!(
            phoenix.date_of(at("2026-07-16T03:30:00Z")),
            NaiveDate::from_ymd_opt(2026, 7, 15).unwrap()
        );
        let kiritimati = BookZone::find("Pacific/Kiritimati").unwrap();
        assert_eq!(
            kiritimati.date_of(at("2026-07-15T12:00:00Z")),
            NaiveDate::from_ymd_opt(2026, 7, 16).unwrap()
        );
    }
}
