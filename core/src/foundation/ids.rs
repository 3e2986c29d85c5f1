//! Typed identifiers. Every record id is a UUIDv7: time-ordered, and safe to
//! create offline on many devices at once.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Error;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered identifier.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// The underlying UUID.
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        // Kotlin and Swift see the id as a hyphenated UUID string.
        #[cfg(feature = "uniffi")]
        uniffi::custom_type!($name, String, {
            lower: |id| id.to_string(),
            try_lift: |text| Ok(text.parse::<$name>()?),
        });

        impl FromStr for $name {
            type Err = Error;

            fn from_str(text: &str) -> Result<Self, Error> {
                Uuid::parse_str(text)
                    .map(Self)
                    .map_err(|_| Error::invalid($what, "not a valid identifier (expected a UUID)"))
            }
        }
    };
}

id_type!(
    /// Identifies a customer account.
    CustomerId,
    "customer_id"
);
id_type!(
    /// Identifies a contact person.
    ContactId,
    "contact_id"
);
id_type!(
    /// Identifies a service location.
    LocationId,
    "location_id"
);
id_type!(
    /// Identifies a pool, spa or water feature.
    BodyOfWaterId,
    "body_of_water_id"
);
id_type!(
    /// Identifies a technician.
    TechnicianId,
    "technician_id"
);
id_type!(
    /// Identifies a history entry: a visit, invoice, payment, credit,
    /// message, issue, note or feedback.
    EntryId,
    "entry_id"
);
