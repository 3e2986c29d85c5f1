//! Technicians: the people who visit the pools.

use crate::book::{Book, now};
use crate::domain::changes;
use crate::domain::validate;
use crate::model::{
    Author, AuthorKind, ChangeAction, NewChange, NewTechnician, Technician, TechnicianPatch,
};
use crate::store::{Write, WriteBatch};
use crate::{EntityKind, Error, Result, TechnicianId};

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Adds a technician.
    pub fn add_technician(&self, new: NewTechnician, author: &Author) -> Result<Technician> {
        author.check()?;
        let at = now();
        let mut record = Technician {
            id: new.id,
            name: new.name,
            active: true,
            phone: new.phone,
            email: new.email,
            created_at: at,
            updated_at: at,
            version: 1,
        };
        validate::technician(&mut record, self.numbering_plan()?)?;
        let changes = technician_changes(None, &record);
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at,
            writes: vec![Write::PutTechnician {
                record: record.clone(),
                expected_version: None,
            }],
            changes,
        })?;
        Ok(record)
    }

    /// Changes a technician whose stored version is still `expected_version`.
    /// Deactivating one whose plans still name them is refused, listing the
    /// plans left behind: use [`Book::deactivate_technician`], which says
    /// where they go, or [`Book::reassign_plans`] first.
    pub fn update_technician(
        &self,
        id: TechnicianId,
        expected_version: i64,
        patch: TechnicianPatch,
        author: &Author,
    ) -> Result<Technician> {
        author.check()?;
        if patch.active == Some(false) {
            let left = self.store.technician_plans(id)?;
            if !left.is_empty() {
                let mut names: Vec<String> = Vec::new();
                for (customer, _) in left.iter().take(5) {
                    if let Some(customer) = self.store.customer(*customer)? {
                        names.push(customer.display_name);
                    }
                }
                names.dedup();
                let more = if left.len() > 5 { ", …" } else { "" };
                return Err(Error::invalid(
                    "active",
                    format!(
                        "{} still naming this technician ({}{more}); say where they go with \
                         deactivate_technician, or move them with reassign_plans first",
                        crate::count_of(left.len() as u64, "service plan", "service plans"),
                        names.join(", ")
                    ),
                ));
            }
        }
        let (write, changes, next) = self.technician_update(id, expected_version, patch)?;
        if changes.is_empty() {
            return Ok(next);
        }
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: next.updated_at,
            writes: vec![write],
            changes,
        })?;
        Ok(next)
    }

    /// The technician with this id.
    pub fn technician(&self, id: TechnicianId) -> Result<Technician> {
        self.store
            .technician(id)?
            .ok_or_else(|| Error::not_found(EntityKind::Technician, id))
    }

    /// The author as a person reads it: a technician by name (`Ana Reyes`),
    /// an office user by login (`dana (office)`), an import by its source
    /// (`import: demo seed 2026`), poolbook itself as `poolbook`. A technician
    /// id the book does not know reads as the id.
    pub fn author_name(&self, author: &Author) -> Result<String> {
        Ok(match author.kind {
            AuthorKind::Technician => {
                let technician = match author.id.parse::<TechnicianId>() {
                    Ok(id) => self.store.technician(id)?,
                    Err(_) => None,
                };
                technician.map_or_else(|| format!("technician {}", author.id), |t| t.name)
            }
            AuthorKind::Office => format!("{} (office)", author.id),
            AuthorKind::Import => format!("import: {}", author.id),
            AuthorKind::System => "poolbook".to_owned(),
        })
    }

    /// All technicians by name; inactive ones only if asked.
    pub fn technicians(&self, include_inactive: bool) -> Result<Vec<Technician>> {
        self.store.technicians(include_inactive)
    }
}

impl Book {
    /// The write and change-log rows that apply `patch` to the technician at
    /// `expected_version`, and the record after it (the stored record, with
    /// no rows, when nothing changes).
    pub(crate) fn technician_update(
        &self,
        id: TechnicianId,
        expected_version: i64,
        patch: TechnicianPatch,
    ) -> Result<(Write, Vec<NewChange>, Technician)> {
        let current = self.technician(id)?;
        if current.version != expected_version {
            return Err(Error::Conflict {
                entity: EntityKind::Technician,
                id: id.to_string(),
                expected: expected_version,
                actual: current.version,
            });
        }
        let mut next = current.clone();
        if let Some(name) = patch.name {
            next.name = name;
        }
        if let Some(active) = patch.active {
            next.active = active;
        }
        if let Some(phone) = patch.phone {
            next.phone = phone.into_value();
        }
        if let Some(email) = patch.email {
            next.email = email.into_value();
        }
        validate::technician(&mut next, self.numbering_plan()?)?;
        let changes = technician_changes(Some(&current), &next);
        if changes.is_empty() {
            return Ok((
                Write::PutTechnician {
                    record: current.clone(),
                    expected_version: Some(expected_version),
                },
                changes,
                current,
            ));
        }
        next.version = current.version + 1;
        next.updated_at = now();
        Ok((
            Write::PutTechnician {
                record: next.clone(),
                expected_version: Some(expected_version),
            },
            changes,
            next,
        ))
    }
}

fn technician_changes(before: Option<&Technician>, after: &Technician) -> Vec<NewChange> {
    let fields = |record: &Technician| {
        let mut map = changes::to_map(record);
        for derived in ["id", "created_at", "updated_at", "version"] {
            map.remove(derived);
        }
        map
    };
    let changes = changes::field_changes(before.map(fields).as_ref(), Some(&fields(after)));
    if before.is_some() && changes.is_empty() {
        return Vec::new();
    }
    vec![NewChange {
        entity: EntityKind::Technician,
        entity_id: after.id.to_string(),
        customer_id: None,
        action: if before.is_some() {
            ChangeAction::Updated
        } else {
            ChangeAction::Created
        },
        changes,
    }]
}
