//! Technicians: the people who visit the pools.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::TechnicianId;

/// A technician on the company's staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Technician {
    /// Identifier.
    pub id: TechnicianId,
    /// Full name.
    pub name: String,
    /// Whether the technician currently works routes (technicians are deactivated, never deleted).
    pub active: bool,
    /// Phone in E.164 form.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub phone: Option<String>,
    /// Email address.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub email: Option<String>,
    /// When the record was created.
    pub created_at: DateTime<Utc>,
    /// When the record last changed.
    pub updated_at: DateTime<Utc>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// Everything needed to add a technician.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewTechnician {
    /// Identifier the technician will have.
    pub id: TechnicianId,
    /// Full name.
    pub name: String,
    /// Phone (any common formatting; normalised on save).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub phone: Option<String>,
    /// Email address.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub email: Option<String>,
}

impl NewTechnician {
    /// An active technician with a fresh id.
    pub fn new(name: impl Into<String>) -> Self {
        NewTechnician {
            id: TechnicianId::new(),
            name: name.into(),
            phone: None,
            email: None,
        }
    }
}

/// A partial update of a technician; `None` leaves a field alone.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TechnicianPatch {
    /// New name.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub name: Option<String>,
    /// Activate or deactivate.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub active: Option<bool>,
    /// Set or clear the phone.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub phone: Option<TextUpdate>,
    /// Set or clear the email.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub email: Option<TextUpdate>,
}

/// What a patch does to an optional text field (a patch field of `None`
/// leaves it alone). In JSON: `{"op": "set", "value": "…"}` or
/// `{"op": "clear"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TextUpdate {
    /// Set the field to this value.
    Set {
        /// The new value.
        value: String,
    },
    /// Clear the field.
    Clear,
}

impl TextUpdate {
    /// Sets the field to `value`.
    pub fn set(value: impl Into<String>) -> Self {
        TextUpdate::Set {
            value: value.into(),
        }
    }

    /// The field's value after the update.
    pub fn into_value(self) -> Option<String> {
        match self {
            TextUpdate::Set { value } => Some(value),
            TextUpdate::Clear => None,
        }
    }
}
