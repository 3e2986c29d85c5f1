//! Who changed what: authors, change records, and the diff that turns two
//! versions of a customer record into field-by-field changes.
//!
//! Secrets are compared by value but recorded only as "changed": no value, no
//! hash, nothing that could be guessed back.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::{AccessDetails, Customer};
use crate::{CustomerId, EntityKind, Error, Result, Secret, TechnicianId};

crate::text_enum! {
    /// Who, in kind, made a change.
    pub enum AuthorKind {
        /// A technician, usually from the field app.
        Technician = "technician",
        /// An office user.
        Office = "office",
        /// An import job.
        Import = "import",
        /// poolbook itself or an automation.
        System = "system",
    }
}

crate::text_enum! {
    /// What happened to the entity.
    pub enum ChangeAction {
        /// It was created.
        Created = "created",
        /// Some of its fields changed.
        Updated = "updated",
        /// It was archived (the normal API never hard-deletes).
        Archived = "archived",
        /// It was brought back from the archive.
        Restored = "restored",
        /// A location moved to another customer.
        Transferred = "transferred",
        /// An anonymous visitor was linked to a customer.
        Linked = "linked",
        /// A visitor's link to a customer was undone.
        Unlinked = "unlinked",
    }
}

/// The author of a change: a technician, an office user, an import or the system.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Author {
    /// What kind of author.
    pub kind: AuthorKind,
    /// Who exactly: a technician id, an office login, an import's name.
    pub id: String,
}

impl Author {
    /// A technician.
    pub fn technician(id: TechnicianId) -> Self {
        Author {
            kind: AuthorKind::Technician,
            id: id.to_string(),
        }
    }

    /// An office user, by login or name.
    pub fn office(user: impl Into<String>) -> Self {
        Author {
            kind: AuthorKind::Office,
            id: user.into(),
        }
    }

    /// An import, by a name for the job or file.
    pub fn import(source: impl Into<String>) -> Self {
        Author {
            kind: AuthorKind::Import,
            id: source.into(),
        }
    }

    /// poolbook itself.
    pub fn system() -> Self {
        Author {
            kind: AuthorKind::System,
            id: "poolbook".to_owned(),
        }
    }

    /// Refuses an author with no id.
    pub(crate) fn check(&self) -> Result<()> {
        let id = self.id.trim();
        if id.is_empty() {
            return Err(Error::invalid("author.id", "must say who made the change"));
        }
        if id.chars().count() > 200 {
            return Err(Error::invalid("author.id", "is longer than 200 characters"));
        }
        Ok(())
    }
}

impl fmt::Display for Author {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind, self.id)
    }
}

/// One field's change. For a secret field, `secret` is true and both values
/// are null: the log says only that it changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    /// Dotted path of the field within its entity, e.g. `billing.rate`.
    pub field: String,
    /// The value before (null if it did not exist).
    pub before: Value,
    /// The value after (null if it no longer exists).
    pub after: Value,
    /// Whether the field is a secret (values withheld).
    pub secret: bool,
}

impl fmt::Display for FieldChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.secret {
            write!(f, "{}: changed", self.field)
        } else {
            write!(f, "{}: {} -> {}", self.field, self.before, self.after)
        }
    }
}

/// A change about to be written; the store stamps it with author, time and sequence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewChange {
    /// Kind of entity changed.
    pub entity: EntityKind,
    /// Its id.
    pub entity_id: String,
    /// The customer account it belongs to, if any.
    pub customer_id: Option<CustomerId>,
    /// What happened.
    pub action: ChangeAction,
    /// Field-level detail.
    pub changes: Vec<FieldChange>,
}

/// One row of the append-only change log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeRecord {
    /// Position in the log: grows by one per row, never reused.
    pub seq: i64,
    /// When the change was made.
    pub at: DateTime<Utc>,
    /// Who made it.
    pub author: Author,
    /// Kind of entity changed.
    pub entity: EntityKind,
    /// Its id.
    pub entity_id: String,
    /// The customer account it belongs to, if any.
    pub customer_id: Option<CustomerId>,
    /// What happened.
    pub action: ChangeAction,
    /// Field-level detail.
    pub changes: Vec<FieldChange>,
}

/// Which change-log rows to read; filters combine with AND. Rows come oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ChangeLogQuery {
    /// Only rows about this entity (kind and id).
    pub entity: Option<(EntityKind, String)>,
    /// Only rows about this customer account and everything on it.
    pub customer_id: Option<CustomerId>,
    /// Only rows by this author.
    pub author: Option<Author>,
    /// Only rows at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only rows after this sequence number (for paging and sync).
    pub after_seq: Option<i64>,
    /// At most this many rows (default 1000).
    pub limit: Option<u32>,
}

/// Change-log fields worth showing in a timeline (a field or anything under
/// it) — the rate changed, the plan changed, the gate code changed (never its value).
pub const NOTABLE_FIELDS: &[&str] = &[
    "display_name",
    "status",
    "billing.rate",
    "billing.rate_basis",
    "billing.terms_days",
    "service_plan",
    "access.gate_code",
    "access.lock_combination",
    "access.alarm_code",
    "preferences.do_not_contact",
    "preferences.notify_before_visit",
];

/// The changes that turn `before` (or nothing, for a new record) into `after`,
/// one entry per entity that changed: the customer, each contact, location and
/// body of water.
pub(crate) fn diff_customer(before: Option<&Customer>, after: &Customer) -> Vec<NewChange> {
    let customer_id = Some(after.id);
    let mut out = Vec::new();
    let mut push = |entity,
                    entity_id: String,
                    before: Option<&Map<String, Value>>,
                    after: Option<&Map<String, Value>>,
                    secrets: Vec<FieldChange>| {
        let action = match (before, after) {
            (None, _) => ChangeAction::Created,
            (Some(_), None) => ChangeAction::Archived,
            (Some(_), Some(_)) => ChangeAction::Updated,
        };
        let mut changes = field_changes(before, after);
        changes.extend(secrets);
        if action != ChangeAction::Updated || !changes.is_empty() {
            out.push(NewChange {
                entity,
                entity_id,
                customer_id,
                action,
                changes,
            });
        }
    };

    let customer_fields = |customer: &Customer| {
        let mut fields = to_map(customer);
        for derived in [
            "id",
            "contacts",
            "locations",
            "created_at",
            "updated_at",
            "archived_at",
            "version",
        ] {
            fields.remove(derived);
        }
        fields
    };
    push(
        EntityKind::Customer,
        after.id.to_string(),
        before.map(customer_fields).as_ref(),
        Some(&customer_fields(after)),
        Vec::new(),
    );

    let contacts = |customer: Option<&Customer>| -> BTreeMap<String, Map<String, Value>> {
        customer
            .into_iter()
            .flat_map(|c| &c.contacts)
            .map(|contact| (contact.id.to_string(), without(to_map(contact), &["id"])))
            .collect()
    };
    for_each_pair(&contacts(before), &contacts(Some(after)), |id, old, new| {
        push(EntityKind::Contact, id.to_owned(), old, new, Vec::new());
    });

    let (old_locations, new_locations) = (location_fields(before), location_fields(Some(after)));
    let old_fields = old_locations
        .iter()
        .map(|(id, (fields, _))| (id.clone(), fields.clone()))
        .collect();
    let new_fields = new_locations
        .iter()
        .map(|(id, (fields, _))| (id.clone(), fields.clone()))
        .collect();
    for_each_pair(&old_fields, &new_fields, |id, old, new| {
        let old_access = old_locations.get(id).map(|(_, access)| *access);
        let new_access = new_locations.get(id).map(|(_, access)| *access);
        push(
            EntityKind::Location,
            id.to_owned(),
            old,
            new,
            secret_changes(old_access, new_access),
        );
    });

    let bodies = |customer: Option<&Customer>| -> BTreeMap<String, Map<String, Value>> {
        customer
            .into_iter()
            .flat_map(|c| &c.locations)
            .flat_map(|location| {
                location.bodies_of_water.iter().map(move |body| {
                    let mut fields = without(to_map(body), &["id"]);
                    fields.insert(
                        "location_id".to_owned(),
                        Value::String(location.id.to_string()),
                    );
                    (body.id.to_string(), fields)
                })
            })
            .collect()
    };
    for_each_pair(&bodies(before), &bodies(Some(after)), |id, old, new| {
        push(EntityKind::BodyOfWater, id.to_owned(), old, new, Vec::new());
    });
    out
}

/// Each live location's own fields (no bodies of water, no secrets) and its
/// access details, by id.
fn location_fields(
    customer: Option<&Customer>,
) -> BTreeMap<String, (Map<String, Value>, &AccessDetails)> {
    customer
        .into_iter()
        .flat_map(|c| &c.locations)
        .map(|location| {
            let mut fields = without(to_map(location), &["id", "bodies_of_water"]);
            if let Some(Value::Object(access)) = fields.get_mut("access") {
                for secret in SECRET_FIELDS {
                    access.remove(secret);
                }
            }
            (location.id.to_string(), (fields, &location.access))
        })
        .collect()
}

/// Changes between two flat field maps, as dotted paths: nested objects are
/// walked, lists compared whole.
pub(crate) fn field_changes(
    before: Option<&Map<String, Value>>,
    after: Option<&Map<String, Value>>,
) -> Vec<FieldChange> {
    let mut flat_before = BTreeMap::new();
    let mut flat_after = BTreeMap::new();
    if let Some(map) = before {
        flatten("", map, &mut flat_before);
    }
    if let Some(map) = after {
        flatten("", map, &mut flat_after);
    }
    let mut keys: Vec<&String> = flat_before.keys().chain(flat_after.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|key| {
            let old = flat_before.get(key).cloned().unwrap_or(Value::Null);
            let new = flat_after.get(key).cloned().unwrap_or(Value::Null);
            (old != new).then(|| FieldChange {
                field: key.clone(),
                before: old,
                after: new,
                secret: false,
            })
        })
        .collect()
}

/// The serialised fields of a record, as a JSON object (secrets come out redacted).
pub(crate) fn to_map(record: &impl Serialize) -> Map<String, Value> {
    match serde_json::to_value(record) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

fn without(mut map: Map<String, Value>, keys: &[&str]) -> Map<String, Value> {
    for key in keys {
        map.remove(*key);
    }
    map
}

fn flatten(prefix: &str, map: &Map<String, Value>, out: &mut BTreeMap<String, Value>) {
    for (key, value) in map {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(inner) if !inner.is_empty() => flatten(&path, inner, out),
            _ => {
                out.insert(path, value.clone());
            }
        }
    }
}

/// Calls `visit` for every id present before, after or both, in id order.
fn for_each_pair(
    before: &BTreeMap<String, Map<String, Value>>,
    after: &BTreeMap<String, Map<String, Value>>,
    mut visit: impl FnMut(&str, Option<&Map<String, Value>>, Option<&Map<String, Value>>),
) {
    let mut ids: Vec<&String> = before.keys().chain(after.keys()).collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        visit(id, before.get(id), after.get(id));
    }
}

/// The secret fields of [`AccessDetails`], in the order `secret_changes` reads them.
const SECRET_FIELDS: [&str; 3] = ["gate_code", "lock_combination", "alarm_code"];

/// "changed" entries for each secret whose value differs.
fn secret_changes(
    before: Option<&AccessDetails>,
    after: Option<&AccessDetails>,
) -> Vec<FieldChange> {
    let secrets = |access: Option<&AccessDetails>| -> [Option<Secret>; 3] {
        access.map_or([None, None, None], |a| {
            [
                a.gate_code.clone(),
                a.lock_combination.clone(),
                a.alarm_code.clone(),
            ]
        })
    };
    let (old, new) = (secrets(before), secrets(after));
    SECRET_FIELDS
        .iter()
        .zip(old.iter().zip(new.iter()))
        .filter(|(_, (old, new))| old != new)
        .map(|(name, _)| FieldChange {
            field: format!("access.{name}"),
            before: Value::Null,
            after: Value::Null,
            secret: true,
        })
        .collect()
}
