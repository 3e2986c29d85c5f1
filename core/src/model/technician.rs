//! Technicians: the people who visit the pools.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::TechnicianId;

/// A technician on the company's staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Technician {
    /// Identifier.
    pub id: TechnicianId,
    /// Full name.
    pub name: String,
    /// Whether the technician currently works routes (technicians are deactivated, never deleted).
    pub active: bool,
    /// Phone in E.164 form.
    pub phone: Option<String>,
    /// Email address.
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
pub struct NewTechnician {
    /// Identifier the technician will have.
    pub id: TechnicianId,
    /// Full name.
    pub name: String,
    /// Phone (any common formatting; normalised on save).
    pub phone: Option<String>,
    /// Email address.
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
pub struct TechnicianPatch {
    /// New name.
    pub name: Option<String>,
    /// Activate or deactivate.
    pub active: Option<bool>,
    /// New phone; `Some(None)` clears it.
    pub phone: Option<Option<String>>,
    /// New email; `Some(None)` clears it.
    pub email: Option<Option<String>>,
}
