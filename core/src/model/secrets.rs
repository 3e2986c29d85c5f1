//! The secrets of a location and the audit of who revealed them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::Author;
use crate::{CustomerId, LocationId};

crate::text_enum! {
    /// Which secret of a location's access details.
    pub enum SecretField {
        /// The gate code.
        GateCode = "gate_code",
        /// The lock combination.
        LockCombination = "lock_combination",
        /// The alarm code.
        AlarmCode = "alarm_code",
    }
}

/// One reveal of a secret: who, when, which location and field, on which
/// device, and why. Never the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SecretReveal {
    /// When it was revealed.
    pub at: DateTime<Utc>,
    /// Who revealed it.
    pub author: Author,
    /// The location whose secret it was.
    pub location_id: LocationId,
    /// The customer who owned the location then.
    pub customer_id: CustomerId,
    /// Which secret.
    pub field: SecretField,
    /// Why, in the revealer's words.
    pub reason: String,
    /// The device or app the book was opened on ([`crate::OpenOptions::device`]).
    pub device: Option<String>,
}

/// Which reveals to read, newest first. Filters combine with AND.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SecretRevealQuery {
    /// Only reveals of this location's secrets.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub location_id: Option<LocationId>,
    /// Only reveals by this author id (a technician's id, an office login).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub author_id: Option<String>,
    /// Only reveals at or after this instant.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub from: Option<DateTime<Utc>>,
    /// Only reveals before this instant.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub to: Option<DateTime<Utc>>,
    /// At most this many (default 100, at most 10,000).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub limit: Option<u32>,
}
