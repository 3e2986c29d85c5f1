//! Technician turnover: moving every plan of one technician to another (or
//! to none) in one transaction, and deactivating a technician only once
//! their plans have somewhere to go.

use serde_json::Value;

use crate::book::{Book, now};
use crate::model::{ChangeAction, FieldChange, NewChange, Technician, TechnicianPatch};
use crate::store::{Write, WriteBatch};
use crate::{Author, EntityKind, Error, LocationId, Result, TechnicianId};

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Moves every live plan naming `from` to `to` (an active technician),
    /// or leaves them unassigned (`None`), in one transaction with one
    /// change-log entry on `from`. Returns the locations moved.
    pub fn reassign_plans(
        &self,
        from: TechnicianId,
        to: Option<TechnicianId>,
        author: &Author,
    ) -> Result<Vec<LocationId>> {
        author.check()?;
        self.technician(from)?;
        self.check_destination(from, to)?;
        let (writes, changes, moved) = self.reassignment(from, to)?;
        if moved.is_empty() {
            return Ok(moved);
        }
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes,
            changes,
        })?;
        Ok(moved)
    }

    /// Deactivates a technician whose stored version is still
    /// `expected_version`, moving their plans first to `plans_to` (an active
    /// technician) or leaving them unassigned (`None`): one transaction.
    pub fn deactivate_technician(
        &self,
        id: TechnicianId,
        expected_version: i64,
        plans_to: Option<TechnicianId>,
        author: &Author,
    ) -> Result<Technician> {
        author.check()?;
        let current = self.technician(id)?;
        if !current.active {
            return Err(Error::invalid("id", "the technician is already inactive"));
        }
        self.check_destination(id, plans_to)?;
        let (mut writes, mut changes, _) = self.reassignment(id, plans_to)?;
        let (write, change, updated) = self.technician_update(
            id,
            expected_version,
            TechnicianPatch {
                active: Some(false),
                ..TechnicianPatch::default()
            },
        )?;
        writes.push(write);
        changes.extend(change);
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: updated.updated_at,
            writes,
            changes,
        })?;
        Ok(updated)
    }
}

impl Book {
    /// Refuses a destination that is the technician itself, unknown or inactive.
    fn check_destination(&self, from: TechnicianId, to: Option<TechnicianId>) -> Result<()> {
        let Some(to) = to else { return Ok(()) };
        if to == from {
            return Err(Error::invalid(
                "to",
                "is the technician the plans move from",
            ));
        }
        match self.store.technician(to)? {
            None => Err(Error::invalid("to", "names no technician in this book")),
            Some(technician) if !technician.active => {
                Err(Error::invalid("to", "names a technician who is not active"))
            }
            Some(_) => Ok(()),
        }
    }

    /// The write moving `from`'s plans to `to`, its one change-log entry,
    /// and the locations it moves (no write when there are none).
    fn reassignment(
        &self,
        from: TechnicianId,
        to: Option<TechnicianId>,
    ) -> Result<(Vec<Write>, Vec<NewChange>, Vec<LocationId>)> {
        let locations: Vec<LocationId> = self
            .store
            .technician_plans(from)?
            .into_iter()
            .map(|(_, location)| location)
            .collect();
        if locations.is_empty() {
            return Ok((Vec::new(), Vec::new(), locations));
        }
        let ids: Vec<Value> = locations
            .iter()
            .map(|id| Value::from(id.to_string()))
            .collect();
        let change = NewChange {
            entity: EntityKind::Technician,
            entity_id: from.to_string(),
            customer_id: None,
            action: ChangeAction::Updated,
            changes: vec![
                FieldChange {
                    field: "plans".to_owned(),
                    before: Value::Array(ids),
                    after: Value::Array(Vec::new()),
                    secret: false,
                },
                FieldChange {
                    field: "plans_to".to_owned(),
                    before: Value::Null,
                    after: to.map_or(Value::Null, |id| Value::from(id.to_string())),
                    secret: false,
                },
            ],
        };
        Ok((
            vec![Write::ReassignPlans {
                from,
                to,
                locations: locations.clone(),
            }],
            vec![change],
            locations,
        ))
    }
}
