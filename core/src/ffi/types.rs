//! Custom types: how core's scalar and map types cross the FFI.
//!
//! - instants (`DateTime<Utc>`, named `Timestamp`) ride uniffi's timestamp:
//!   Kotlin `java.time.Instant`, Swift `Date`;
//! - money (`rust_decimal::Decimal`, named `Money`) is a decimal string on
//!   the wire, mapped in uniffi.toml to `java.math.BigDecimal` /
//!   `Foundation.Decimal` (a custom type named `Decimal` would shadow
//!   Foundation's);
//! - calendar days (`NaiveDate`, named `IsoDate`) are ISO strings, mapped to
//!   `java.time.LocalDate` / the Swift `LocalDate` struct in
//!   `bindings-mobile/swift/Sources/Poolbook/Support.swift`; times of day
//!   (`NaiveTime`, named `ClockTime`) are `HH:MM:SS` strings, mapped to
//!   `java.time.LocalTime` / the Swift `LocalTime` struct there;
//! - `Secret` carries its value to the handwritten `MaskedSecret` classes,
//!   whose `toString` / `description` is masked and whose `reveal()` gives it;
//! - JSON values (`serde_json::Value`, named `JsonValue`) are JSON text;
//! - core's `BTreeMap`s (uniffi has no ordered map) are hash maps, named for
//!   what they hold.
//!
//! Ids are custom types too, declared by `id_type!` beside the ids.

use std::collections::{BTreeMap, HashMap};
use std::time::SystemTime;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::{
    CustomerKind, EventTarget, FunnelCounts, JourneyChannel, Parameter, Secret, Stage, TargetRange,
};

/// An instant in UTC: Kotlin `java.time.Instant`, Swift `Date`.
type Timestamp = DateTime<Utc>;
uniffi::custom_type!(Timestamp, SystemTime, {
    remote,
    lower: |at| SystemTime::from(at),
    try_lift: |at| Ok(DateTime::<Utc>::from(at)),
});

/// An amount of money, exact: Kotlin `java.math.BigDecimal`, Swift
/// `Foundation.Decimal`; a decimal string on the wire.
type Money = rust_decimal::Decimal;
uniffi::custom_type!(Money, String, {
    remote,
    lower: |amount| amount.to_string(),
    try_lift: |text| Ok(text.parse::<rust_decimal::Decimal>()?),
});

/// A calendar day: Kotlin `java.time.LocalDate`, Swift `LocalDate`
/// (Support.swift); an ISO `YYYY-MM-DD` string on the wire.
type IsoDate = NaiveDate;
uniffi::custom_type!(IsoDate, String, {
    remote,
    lower: |day| day.format("%Y-%m-%d").to_string(),
    try_lift: |text| Ok(NaiveDate::parse_from_str(&text, "%Y-%m-%d")?),
});

/// A time of day: Kotlin `java.time.LocalTime`, Swift `LocalTime`
/// (Support.swift); an `HH:MM:SS` string on the wire.
type ClockTime = NaiveTime;
uniffi::custom_type!(ClockTime, String, {
    remote,
    lower: |time| time.format("%H:%M:%S").to_string(),
    try_lift: |text| Ok(NaiveTime::parse_from_str(&text, "%H:%M:%S%.f")
        .or_else(|_| NaiveTime::parse_from_str(&text, "%H:%M"))?),
});

// A value that must not be shown by accident (gate codes, lock
// combinations, alarm codes): the handwritten `MaskedSecret` in Kotlin and
// Swift, masked when printed, with `reveal()` for a value a caller gave or
// `Book.revealSecret` returned. A sealed secret read from a book crosses as
// its wire form (`SEALED_PREFIX` and the blob), which `reveal()` refuses.
uniffi::custom_type!(Secret, String, {
    lower: |secret| secret.to_wire().to_string(),
    try_lift: |text| Ok(Secret::from_wire(&text, "secret")?),
});

/// A JSON value (change log before/after values, touchpoint properties,
/// segment member values), as JSON text.
type JsonValue = serde_json::Value;
uniffi::custom_type!(JsonValue, String, {
    remote,
    lower: |value| value.to_string(),
    try_lift: |text| Ok(serde_json::from_str::<serde_json::Value>(&text)?),
});

// Declares each of core's ordered maps as a custom type carried as a
// (hash) map of the same keys and values. The ordered map is filled by
// `extend` (one insert per pair), not `collect`, which sorts the pairs
// first: one more copy of the sort in the phone library per map type.
macro_rules! map_types {
    ($($(#[$meta:meta])* $name:ident = $key:ty => $value:ty;)+) => {$(
        $(#[$meta])*
        type $name = BTreeMap<$key, $value>;
        uniffi::custom_type!($name, HashMap<$key, $value>, {
            remote,
            lower: |map| map.into_iter().collect(),
            try_lift: |map| {
                let mut ordered = BTreeMap::new();
                ordered.extend(map);
                Ok(ordered)
            },
        });
    )+};
}
map_types! {
    /// Text by text (custom fields).
    StringMap = String => String;
    /// A target range for each chemistry parameter.
    RangeMap = Parameter => TargetRange;
    /// Money credited to each journey channel.
    ChannelMoney = JourneyChannel => Money;
    /// Money credited to each campaign.
    CampaignMoney = String => Money;
    /// Funnel counts for each first-touch channel.
    ChannelFunnels = JourneyChannel => FunnelCounts;
    /// Funnel counts for each kind of customer.
    KindFunnels = CustomerKind => FunnelCounts;
    /// Funnel counts for each tag.
    TagFunnels = String => FunnelCounts;
    /// JSON values by name.
    JsonMap = String => JsonValue;
    /// The journey stage of each action.
    StageMap = String => Stage;
    /// The touchpoint each Segment event name becomes.
    EventTargets = String => EventTarget;
}
