//! The book's time zone: an IANA name resolved in the tz database compiled
//! into the library (jiff's bundled copy, one compact blob: about 0.4 MB in
//! a phone's library, where chrono-tz's tables of pointers took 2 MB), and
//! the conversion of instants (stored in UTC) to the book's local days and
//! times.

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, Utc};

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
