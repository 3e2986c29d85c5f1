//! The diff that turns two versions of a record into field-by-field
//! change-log rows. Secrets are compared by value but recorded only as
//! "changed": no value, no hash, nothing that could be guessed back.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::foundation::sorting;
use crate::model::{
    AccessDetails, BodyOfWater, ChangeAction, Contact, Customer, FieldChange, NewChange,
    ServiceLocation,
};
use crate::{EntityKind, LocationId, Secret};

/// The changes that turn `before` (or nothing, for a new record) into `after`,
/// one entry per entity that changed: the customer, each contact, location and
/// body of water.
pub(crate) fn diff_customer<'a>(
    before: Option<&'a Customer>,
    after: &'a Customer,
) -> Vec<NewChange> {
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

    let own_after = OwnFields::of(after);
    let (own_old, own_new) = match before.map(OwnFields::of) {
        None => (None, Some(to_map(&own_after))),
        Some(own_before) => {
            let (old, new) = own_before.differing(&own_after);
            (Some(old), (!new.is_empty()).then_some(new))
        }
    };
    if let Some(own_new) = own_new {
        push(
            EntityKind::Customer,
            after.id.to_string(),
            own_old.as_ref(),
            Some(&own_new),
            Vec::new(),
        );
    }

    // Parts compared equal are skipped before they are serialised: an edit
    // of one field costs the fields of the part it touched, not the record.
    let contacts = |customer: Option<&'a Customer>| -> BTreeMap<String, &'a Contact> {
        customer
            .into_iter()
            .flat_map(|c| &c.contacts)
            .map(|contact| (contact.id.to_string(), contact))
            .collect()
    };
    for_each_changed_pair(&contacts(before), &contacts(Some(after)), |id, old, new| {
        let fields = |contact: &Contact| without(to_map(contact), &["id"]);
        push(
            EntityKind::Contact,
            id.to_owned(),
            old.copied().map(fields).as_ref(),
            new.copied().map(fields).as_ref(),
            Vec::new(),
        );
    });

    let locations = |customer: Option<&'a Customer>| -> BTreeMap<String, &'a ServiceLocation> {
        customer
            .into_iter()
            .flat_map(|c| &c.locations)
            .map(|location| (location.id.to_string(), location))
            .collect()
    };
    for_each_changed_pair(
        &locations(before),
        &locations(Some(after)),
        |id, old, new| {
            push(
                EntityKind::Location,
                id.to_owned(),
                old.copied().map(location_fields).as_ref(),
                new.copied().map(location_fields).as_ref(),
                secret_changes(old.map(|l| &l.access), new.map(|l| &l.access)),
            );
        },
    );

    let bodies =
        |customer: Option<&'a Customer>| -> BTreeMap<String, (LocationId, &'a BodyOfWater)> {
            customer
                .into_iter()
                .flat_map(|c| &c.locations)
                .flat_map(|location| {
                    let at = location.id;
                    location
                        .bodies_of_water
                        .iter()
                        .map(move |body| (body.id.to_string(), (at, body)))
                })
                .collect()
        };
    for_each_changed_pair(&bodies(before), &bodies(Some(after)), |id, old, new| {
        let fields = |(location_id, body): &(LocationId, &BodyOfWater)| {
            let mut fields = without(to_map(body), &["id"]);
            fields.insert(
                "location_id".to_owned(),
                Value::String(location_id.to_string()),
            );
            fields
        };
        push(
            EntityKind::BodyOfWater,
            id.to_owned(),
            old.map(fields).as_ref(),
            new.map(fields).as_ref(),
            Vec::new(),
        );
    });
    out
}

/// A customer's own fields, as logged: not its id, parts (they have entries
/// of their own) or bookkeeping (times, version). Borrowed, and serialised as
/// [`Customer`] names them.
#[derive(Serialize, PartialEq)]
struct OwnFields<'a> {
    kind: &'a crate::model::CustomerKind,
    display_name: &'a str,
    status: &'a crate::model::LifecycleStatus,
    billing: &'a crate::model::Billing,
    tags: &'a [String],
    custom_fields: &'a BTreeMap<String, String>,
    preferences: &'a crate::model::Preferences,
}

impl<'a> OwnFields<'a> {
    fn of(customer: &'a Customer) -> Self {
        // Destructured so that a new field of `Customer` must be placed here.
        let Customer {
            id: _,
            kind,
            display_name,
            status,
            billing,
            tags,
            custom_fields,
            contacts: _,
            locations: _,
            preferences,
            created_at: _,
            updated_at: _,
            archived_at: _,
            version: _,
        } = customer;
        OwnFields {
            kind,
            display_name,
            status,
            billing,
            tags,
            custom_fields,
            preferences,
        }
    }

    /// The fields that differ between `self` and `after`, serialised, one
    /// map each side: an edit of the tags serialises the tags alone.
    fn differing(&self, after: &OwnFields<'_>) -> (Map<String, Value>, Map<String, Value>) {
        let (mut old, mut new) = (Map::new(), Map::new());
        // Destructured so that a new field must be compared here.
        let OwnFields {
            kind,
            display_name,
            status,
            billing,
            tags,
            custom_fields,
            preferences,
        } = self;
        macro_rules! keep_if_changed {
            ($($field:ident),*) => {$(
                if $field != &after.$field {
                    old.insert(stringify!($field).to_owned(), value($field));
                    new.insert(stringify!($field).to_owned(), value(&after.$field));
                }
            )*};
        }
        keep_if_changed!(
            kind,
            display_name,
            status,
            billing,
            tags,
            custom_fields,
            preferences
        );
        (old, new)
    }
}

/// `record` as a JSON value (`null` if it cannot be one).
fn value(record: &impl Serialize) -> Value {
    serde_json::to_value(record).unwrap_or(Value::Null)
}

/// A location's own fields, as logged: not its id, bodies of water (they
/// have entries of their own) or secrets (logged only as changed).
fn location_fields(location: &ServiceLocation) -> Map<String, Value> {
    let mut fields = without(to_map(location), &["id", "bodies_of_water"]);
    if let Some(Value::Object(access)) = fields.get_mut("access") {
        for secret in SECRET_FIELDS {
            access.remove(secret);
        }
    }
    fields
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
    let mut changes = Vec::new();
    for (key, new) in &flat_after {
        let old = flat_before.remove(key).unwrap_or(&Value::Null);
        if old != *new {
            changes.push(FieldChange {
                field: key.clone(),
                before: old.clone(),
                after: (*new).clone(),
                secret: false,
            });
        }
    }
    for (key, old) in flat_before {
        if !old.is_null() {
            changes.push(FieldChange {
                field: key,
                before: old.clone(),
                after: Value::Null,
                secret: false,
            });
        }
    }
    sorting::sort_by(&mut changes, |a, b| a.field.cmp(&b.field));
    changes
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

/// The leaves of `map` by dotted path, borrowed.
fn flatten<'a>(prefix: &str, map: &'a Map<String, Value>, out: &mut BTreeMap<String, &'a Value>) {
    for (key, value) in map {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(inner) if !inner.is_empty() => flatten(&path, inner, out),
            _ => {
                out.insert(path, value);
            }
        }
    }
}

/// Calls `visit` for every id present before, after or both, in id order,
/// unless its part is the same on both sides.
fn for_each_changed_pair<T: PartialEq>(
    before: &BTreeMap<String, T>,
    after: &BTreeMap<String, T>,
    mut visit: impl FnMut(&str, Option<&T>, Option<&T>),
) {
    let mut ids: Vec<&String> = before.keys().chain(after.keys()).collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        let (old, new) = (before.get(id), after.get(id));
        if old.is_none() || old != new {
            visit(id, old, new);
        }
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
