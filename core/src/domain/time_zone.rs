//! The book's time zone: an IANA name resolved in the tz database compiled
//! into the library (jiff's bundled copy, one compact blob: about 0.4 MB in
//! a phone's library, where chrono-tz's tables of pointers took 2 MB), and
//! the conversion of instants (stored in UTC) to the book's local days and
//! times, and of local days and times back to instants.

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike, Utc,
};

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

    /// The instant the book's clock reads `local`. A time skipped by a
    /// daylight-saving change (02:30 on the spring-forward night) is read
    /// with the offset before the change, so it lands as far after the gap
    /// starts as it was meant to (03:30); a time that happens twice (01:30 on
    /// the fall-back night) is the first of the two. `None` outside the
    /// years an instant may have (see `limits`).
    pub fn instant_of(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        let civil = jiff::civil::DateTime::new(
            i16::try_from(local.year()).ok()?,
            i8::try_from(local.month()).ok()?,
            i8::try_from(local.day()).ok()?,
            i8::try_from(local.hour()).ok()?,
            i8::try_from(local.minute()).ok()?,
            i8::try_from(local.second()).ok()?,
            0,
        )
        .ok()?;
        let at = self.zone.to_ambiguous_timestamp(civil).compatible().ok()?;
        Utc.timestamp_opt(at.as_second(), 0).single()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn local(text: &str) -> NaiveDateTime {
        text.parse().unwrap()
    }

    #[test]
    fn local_times_become_instants_across_daylight_saving_changes() {
        let new_york = BookZone::find("America/New_York").unwrap();
        // An ordinary winter and summer morning.
        assert_eq!(
            new_york.instant_of(local("2026-01-15T08:00:00")),
            Some(at("2026-01-15T13:00:00Z"))
        );
        assert_eq!(
            new_york.instant_of(local("2026-07-15T08:00:00")),
            Some(at("2026-07-15T12:00:00Z"))
        );
        // Spring forward, 8 March 2026: 02:00-03:00 does not exist; 02:30
        // is read with the winter offset and lands at 03:30 summer time.
        let gap = new_york.instant_of(local("2026-03-08T02:30:00")).unwrap();
        assert_eq!(gap, at("2026-03-08T07:30:00Z"));
        assert_eq!(
            new_york.local(gap).naive_local(),
            local("2026-03-08T03:30:00")
        );
        // Fall back, 1 November 2026: 01:30 happens twice; the first
        // (summer time, UTC-4) is taken.
        assert_eq!(
            new_york.instant_of(local("2026-11-01T01:30:00")),
            Some(at("2026-11-01T05:30:00Z"))
        );
        // Either side of the change, the offset is the right one.
        assert_eq!(
            new_york.instant_of(local("2026-11-01T03:00:00")),
            Some(at("2026-11-01T08:00:00Z"))
        );
        // Round trip through local time for every hour of a DST day.
        for hour in 0..24 {
            let instant = at("2026-03-08T05:00:00Z") + chrono::Duration::hours(hour);
            assert_eq!(
                new_york.instant_of(new_york.local(instant).naive_local()),
                Some(instant),
                "hour {hour}"
            );
        }
        // UTC is the identity; a year jiff cannot hold is None.
        assert_eq!(
            BookZone::utc().instant_of(local("2026-05-01T09:15:00")),
            Some(at("2026-05-01T09:15:00Z"))
        );
        assert_eq!(
            BookZone::utc().instant_of(
                NaiveDate::from_ymd_opt(30_000, 5, 1)
                    .unwrap()
                    .and_hms_opt(9, 15, 0)
                    .unwrap()
            ),
            None
        );
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
            kiritimati.instant_of(local("2026-07-16T00:30:00")),
            Some(at("2026-07-15T10:30:00Z"))
        );
        assert_eq!(
            kiritimati.date_of(at("2026-07-15T12:00:00Z")),
            NaiveDate::from_ymd_opt(2026, 7, 16).unwrap()
        );
    }
}
