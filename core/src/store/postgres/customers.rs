//! Customer records in PostgreSQL: whole records loaded in batches (one
//! query per table, whatever the page size), written as only what differs,
//! locations moved, and the search row kept in step.

use std::collections::HashMap;

use postgres::Row;
use postgres::types::{Json, ToSql, Type};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::db::{Db, Query, get, json, opt_json, opt_parsed, parsed};
use super::search;
use crate::domain::search::SearchDocument;
use crate::model::{
    AccessDetails, Address, ArchivedFilter, Billing, BodyOfWater, Contact, Customer, CustomerQuery,
    GeoPoint, ServiceLocation, ServicePlan,
};
use crate::store::ArchivedPart;
use crate::{CustomerId, EntityKind, Error, LocationId, Result, Secret};

const CUSTOMER_COLUMNS: &str = "c.id, c.kind, c.display_name, c.status, c.billing_address, \
     c.billing_rate, c.billing_rate_basis, c.billing_terms_days, c.custom_fields, c.preferences, \
     c.created_at, c.updated_at, c.archived_at, c.version, c.billing_skips";

/// The customers among `ids` that exist, archived or not, in one query per table.
pub fn load_many(db: &mut Db<'_>, ids: &[CustomerId]) -> Result<Vec<Customer>> {
    let ids: Vec<Uuid> = ids.iter().map(CustomerId::as_uuid).collect();
    let rows = db.query(
        "reading customers",
        &format!("SELECT {CUSTOMER_COLUMNS} FROM customers c WHERE c.id = ANY($1)"),
        &[&ids],
    )?;
    let mut customers = rows
        .iter()
        .map(customer_from_row)
        .collect::<Result<Vec<_>>>()?;
    attach_children(db, &mut customers, None)?;
    Ok(customers)
}

/// The customers among `ids` with every part, archived ones too, for
/// moving the book ([`crate::Store::export`]), each with the list of its
/// archived parts.
pub fn load_with_archived(
    db: &mut Db<'_>,
    ids: &[CustomerId],
) -> Result<Vec<(Customer, Vec<ArchivedPart>)>> {
    let ids: Vec<Uuid> = ids.iter().map(CustomerId::as_uuid).collect();
    let rows = db.query(
        "reading customers",
        &format!("SELECT {CUSTOMER_COLUMNS} FROM customers c WHERE c.id = ANY($1) ORDER BY c.seq"),
        &[&ids],
    )?;
    let mut customers = rows
        .iter()
        .map(customer_from_row)
        .collect::<Result<Vec<_>>>()?;
    let mut archived = Vec::new();
    attach_children(db, &mut customers, Some(&mut archived))?;
    Ok(customers
        .into_iter()
        .map(|customer| {
            let parts = archived
                .iter()
                .filter(|(owner, _)| *owner == customer.id)
                .map(|(_, part): &(CustomerId, ArchivedPart)| part.clone())
                .collect();
            (customer, parts)
        })
        .collect())
}

/// A page of customers matching `query`, ordered by id.
pub fn list(db: &mut Db<'_>, query: &CustomerQuery, limit: u32) -> Result<Vec<Customer>> {
    let status = query.status.map(|status| status.as_str());
    let kind = query.kind.map(|kind| kind.as_str());
    let tag = query.tag.as_ref().map(|tag| tag.trim().to_owned());
    let technician = query.technician_id.map(|id| id.as_uuid());
    let after = query.after.map(|id| id.as_uuid());
    let limit = i64::from(limit);
    let mut sql = Query::new(format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers c WHERE true"
    ));
    if let Some(status) = &status {
        sql.filter(" AND c.status = ?", status);
    }
    if let Some(kind) = &kind {
        sql.filter(" AND c.kind = ?", kind);
    }
    if let Some(tag) = &tag {
        sql.filter(
            " AND c.id IN (SELECT customer_id FROM customer_tags WHERE tag = ?)",
            tag,
        );
    }
    if let Some(technician) = &technician {
        sql.filter(
            " AND c.id IN (SELECT customer_id FROM locations \
             WHERE plan_technician_id = ? AND archived_at IS NULL)",
            technician,
        );
    }
    if let Some(since) = &query.updated_since {
        sql.filter(" AND c.updated_at >= ?", since);
    }
    if let Some(after) = &after {
        sql.filter(" AND c.id > ?", after);
    }
    match query.archived {
        ArchivedFilter::Exclude => sql.push(" AND c.archived_at IS NULL"),
        ArchivedFilter::Only => sql.push(" AND c.archived_at IS NOT NULL"),
        ArchivedFilter::Include => {}
    }
    sql.filter(" ORDER BY c.id LIMIT ?", &limit);
    let rows = db.query("listing customers", &sql.text, &sql.params)?;
    let mut customers = rows
        .iter()
        .map(customer_from_row)
        .collect::<Result<Vec<_>>>()?;
    attach_children(db, &mut customers, None)?;
    Ok(customers)
}

/// Ids of the customer's archived contacts, locations and bodies of water.
pub fn archived_parts(db: &mut Db<'_>, id: CustomerId) -> Result<Vec<String>> {
    db.query(
        "reading archived parts of a customer",
        "(SELECT id::text FROM contacts WHERE customer_id = $1 AND archived_at IS NOT NULL \
         ORDER BY position) \
         UNION ALL (SELECT id::text FROM locations WHERE customer_id = $1 \
         AND archived_at IS NOT NULL ORDER BY position) \
         UNION ALL (SELECT b.id::text FROM bodies_of_water b JOIN locations l \
         ON l.id = b.location_id WHERE l.customer_id = $1 AND b.archived_at IS NOT NULL \
         ORDER BY l.position, b.position)",
        &[&id.as_uuid()],
    )?
    .iter()
    .map(|row| get(row, 0))
    .collect()
}

/// The customer a location belongs to.
pub fn location_owner(db: &mut Db<'_>, id: LocationId) -> Result<Option<CustomerId>> {
    db.query_opt(
        "finding a location's customer",
        "SELECT customer_id FROM locations WHERE id = $1",
        &[&id.as_uuid()],
    )?
    .map(|row| get::<Uuid>(&row, 0).map(CustomerId::from))
    .transpose()
}

fn customer_from_row(row: &Row) -> Result<Customer> {
    let terms_days: i64 = get(row, 7)?;
    Ok(Customer {
        id: CustomerId::from(get::<Uuid>(row, 0)?),
        kind: parsed(row, 1)?,
        display_name: get(row, 2)?,
        status: parsed(row, 3)?,
        billing: Billing {
            address: opt_json(row, 4)?,
            rate: get::<Option<Decimal>>(row, 5)?,
            rate_basis: parsed(row, 6)?,
            terms_days: u32::try_from(terms_days)
                .map_err(|error| Error::storage("reading column billing_terms_days", error))?,
            billed_skips: json(row, 14)?,
        },
        tags: Vec::new(),
        custom_fields: json(row, 8)?,
        contacts: Vec::new(),
        locations: Vec::new(),
        preferences: json(row, 9)?,
        created_at: get(row, 10)?,
        updated_at: get(row, 11)?,
        archived_at: get(row, 12)?,
        version: get(row, 13)?,
    })
}

/// Fills in tags, contacts, locations and bodies of water: one query per
/// table for the whole batch. Archived parts are left out, unless
/// `archived` is given: then every part is filled in, and the archived
/// ones are listed there with their customer.
fn attach_children(
    db: &mut Db<'_>,
    customers: &mut [Customer],
    mut archived: Option<&mut Vec<(CustomerId, ArchivedPart)>>,
) -> Result<()> {
    let every_part = archived.is_some();
    let live = |column: &str| {
        if every_part {
            String::new()
        } else {
            format!(" AND {column} IS NULL")
        }
    };
    if customers.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = customers.iter().map(|c| c.id.as_uuid()).collect();
    let slot: HashMap<CustomerId, usize> = customers
        .iter()
        .enumerate()
        .map(|(index, c)| (c.id, index))
        .collect();
    let index_of = |id: &Uuid| slot[&CustomerId::from(*id)];
    let doing = "reading a customer record";

    for row in db.query(
        doing,
        "SELECT customer_id, tag FROM customer_tags WHERE customer_id = ANY($1) \
         ORDER BY customer_id, position",
        &[&ids],
    )? {
        let customer: Uuid = get(&row, 0)?;
        customers[index_of(&customer)].tags.push(get(&row, 1)?);
    }

    for row in db.query(
        doing,
        &format!(
            "SELECT customer_id, id, name, role, is_primary, phones, emails, consents, \
             archived_at FROM contacts WHERE customer_id = ANY($1){} \
             ORDER BY customer_id, position",
            live("archived_at")
        ),
        &[&ids],
    )? {
        let customer: Uuid = get(&row, 0)?;
        if let (Some(list), Some(at)) = (archived.as_deref_mut(), get(&row, 8)?) {
            list.push((customer.into(), part(get::<Uuid>(&row, 1)?, at)));
        }
        let contact = Contact {
            id: get::<Uuid>(&row, 1)?.into(),
            name: get(&row, 2)?,
            role: parsed(&row, 3)?,
            primary: get(&row, 4)?,
            phones: json(&row, 5)?,
            emails: json(&row, 6)?,
            consents: json(&row, 7)?,
        };
        customers[index_of(&customer)].contacts.push(contact);
    }

    let mut location_slot = HashMap::new();
    for row in db.query(
        doing,
        &format!(
            "SELECT l.customer_id, l.id, l.label, l.address_line1, l.address_line2, l.city, l.region, \
         l.postal_code, l.country, l.latitude, l.longitude, l.special_instructions, \
         l.key_location, l.pets, l.hazards, l.access_hours, l.access_notes, \
         l.plan_frequency, l.plan_weekday, l.plan_technician_id, l.plan_starts_on, l.plan_ends_on, \
         s.gate_code, s.lock_combination, s.alarm_code, l.archived_at, l.plan_bills_chemicals \
         FROM locations l LEFT JOIN location_secrets s ON s.location_id = l.id \
         WHERE l.customer_id = ANY($1){} \
         ORDER BY l.customer_id, l.position",
            live("l.archived_at")
        ),
        &[&ids],
    )? {
        let customer: Uuid = get(&row, 0)?;
        let location = location_from_row(&row)?;
        if let (Some(list), Some(at)) = (archived.as_deref_mut(), get(&row, 25)?) {
            list.push((customer.into(), part(location.id, at)));
        }
        let index = index_of(&customer);
        location_slot.insert(location.id, (index, customers[index].locations.len()));
        customers[index].locations.push(location);
    }

    for row in db.query(
        doing,
        &format!(
            "SELECT b.location_id, b.id, b.name, b.kind, b.gallons, b.surface, b.sanitizer, \
             b.setting, b.equipment, b.archived_at, l.customer_id FROM bodies_of_water b \
             JOIN locations l ON l.id = b.location_id WHERE l.customer_id = ANY($1){}{} \
             ORDER BY b.location_id, b.position",
            live("l.archived_at"),
            live("b.archived_at")
        ),
        &[&ids],
    )? {
        let location = LocationId::from(get::<Uuid>(&row, 0)?);
        if let (Some(list), Some(at)) = (archived.as_deref_mut(), get(&row, 9)?) {
            let customer: Uuid = get(&row, 10)?;
            list.push((customer.into(), part(get::<Uuid>(&row, 1)?, at)));
        }
        let body = BodyOfWater {
            id: get::<Uuid>(&row, 1)?.into(),
            name: get(&row, 2)?,
            kind: parsed(&row, 3)?,
            gallons: get(&row, 4)?,
            surface: opt_parsed(&row, 5)?,
            sanitizer: parsed(&row, 6)?,
            setting: parsed(&row, 7)?,
            equipment: json(&row, 8)?,
        };
        let (customer, index) = location_slot[&location];
        customers[customer].locations[index]
            .bodies_of_water
            .push(body);
    }
    Ok(())
}

fn part(id: impl std::fmt::Display, archived_at: chrono::DateTime<chrono::Utc>) -> ArchivedPart {
    ArchivedPart {
        id: id.to_string(),
        archived_at,
    }
}

fn location_from_row(row: &Row) -> Result<ServiceLocation> {
    let secret = |index: usize| -> Result<Option<Secret>> {
        Ok(get::<Option<Vec<u8>>>(row, index)?.map(Secret::sealed))
    };
    let latitude: Option<f64> = get(row, 9)?;
    let longitude: Option<f64> = get(row, 10)?;
    let frequency = opt_parsed(row, 17)?;
    let starts_on = get(row, 20)?;
    let service_plan = match (frequency, starts_on) {
        (Some(frequency), Some(starts_on)) => Some(ServicePlan {
            frequency,
            preferred_weekday: opt_parsed(row, 18)?,
            technician_id: get::<Option<Uuid>>(row, 19)?.map(Into::into),
            starts_on,
            ends_on: get(row, 21)?,
            bills_chemicals: get(row, 26)?,
        }),
        _ => None,
    };
    Ok(ServiceLocation {
        id: get::<Uuid>(row, 1)?.into(),
        label: get(row, 2)?,
        address: Address {
            line1: get(row, 3)?,
            line2: get(row, 4)?,
            city: get(row, 5)?,
            region: get(row, 6)?,
            postal_code: get(row, 7)?,
            country: get(row, 8)?,
        },
        coordinates: latitude
            .zip(longitude)
            .map(|(latitude, longitude)| GeoPoint {
                latitude,
                longitude,
            }),
        special_instructions: get(row, 11)?,
        bodies_of_water: Vec::new(),
        access: AccessDetails {
            gate_code: secret(22)?,
            lock_combination: secret(23)?,
            alarm_code: secret(24)?,
            key_location: get(row, 12)?,
            pets: json(row, 13)?,
            hazards: json(row, 14)?,
            access_hours: json(row, 15)?,
            notes: get(row, 16)?,
        },
        service_plan,
    })
}

/// Stores a new customer and everything on it.
pub fn insert(db: &mut Db<'_>, customer: &Customer) -> Result<()> {
    insert_indexed(db, customer, &SearchDocument::of(customer))
}

/// Stores a new customer and everything on it, found in search by `document`.
pub fn insert_indexed(
    db: &mut Db<'_>,
    customer: &Customer,
    document: &SearchDocument,
) -> Result<()> {
    let billing = &customer.billing;
    let row = db
        .query_opt(
            "storing a customer",
            "INSERT INTO customers (id, kind, display_name, status, billing_address, billing_rate, \
             billing_rate_basis, billing_terms_days, custom_fields, preferences, created_at, \
             updated_at, archived_at, version, billing_skips) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
             ON CONFLICT (id) DO NOTHING RETURNING seq",
            &[
                &customer.id.as_uuid(),
                &customer.kind.as_str(),
                &customer.display_name,
                &customer.status.as_str(),
                &billing.address.as_ref().map(Json),
                &billing.rate,
                &billing.rate_basis.as_str(),
                &i64::from(billing.terms_days),
                &Json(&customer.custom_fields),
                &Json(&customer.preferences),
                &customer.created_at,
                &customer.updated_at,
                &customer.archived_at,
                &customer.version,
                &Json(&billing.billed_skips),
            ],
        )?
        .ok_or_else(|| Error::invalid("id", "a customer with this id already exists"))?;
    let seq: i64 = get(&row, 0)?;
    write_children(db, customer, None)?;
    search::index(db, seq, document)
}

/// Replaces `previous`, the stored customer at its version (otherwise a
/// conflict), with `customer`, writing only the rows that differ.
pub fn update(db: &mut Db<'_>, customer: &Customer, previous: &Customer) -> Result<()> {
    let billing = &customer.billing;
    let row = db.query_opt(
        "updating a customer",
        "UPDATE customers SET kind = $2, display_name = $3, status = $4, billing_address = $5, \
         billing_rate = $6, billing_rate_basis = $7, billing_terms_days = $8, custom_fields = $9, \
         preferences = $10, updated_at = $11, archived_at = $12, version = $13, \
         billing_skips = $15 WHERE id = $1 AND version = $14 RETURNING seq",
        &[
            &customer.id.as_uuid(),
            &customer.kind.as_str(),
            &customer.display_name,
            &customer.status.as_str(),
            &billing.address.as_ref().map(Json),
            &billing.rate,
            &billing.rate_basis.as_str(),
            &i64::from(billing.terms_days),
            &Json(&customer.custom_fields),
            &Json(&customer.preferences),
            &customer.updated_at,
            &customer.archived_at,
            &customer.version,
            &previous.version,
            &Json(&billing.billed_skips),
        ],
    )?;
    let Some(row) = row else {
        let actual = db.query_opt(
            "reading a customer's version",
            "SELECT version FROM customers WHERE id = $1",
            &[&customer.id.as_uuid()],
        )?;
        return Err(match actual {
            None => Error::not_found(EntityKind::Customer, customer.id),
            Some(row) => Error::Conflict {
                entity: EntityKind::Customer,
                id: customer.id.to_string(),
                expected: previous.version,
                actual: get(&row, 0)?,
            },
        });
    };
    let seq: i64 = get(&row, 0)?;
    write_children(db, customer, Some(previous))?;
    let Some(document) = SearchDocument::changed(previous, customer) else {
        return Ok(());
    };
    search::index(db, seq, &document)
}

/// Moves a location from one customer to another.
pub fn move_location(
    db: &mut Db<'_>,
    id: LocationId,
    from: CustomerId,
    to: CustomerId,
) -> Result<()> {
    let moved = db.execute(
        "moving a location",
        "UPDATE locations SET customer_id = $3 WHERE id = $1 AND customer_id = $2",
        &[&id.as_uuid(), &from.as_uuid(), &to.as_uuid()],
    )?;
    if moved == 0 {
        return Err(Error::invalid(
            "location_id",
            "does not belong to the customer it is moved from",
        ));
    }
    Ok(())
}

/// Runs an upsert guarded by ownership: `false` when the row belongs to
/// another customer (the upsert's `WHERE` kept it).
fn upsert(db: &mut Db<'_>, doing: &str, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<bool> {
    Ok(db.execute(doing, sql, params)? > 0)
}

/// Writes the tags, contacts, locations, secrets and bodies of water that
/// differ from `previous` (all of them for a new customer); archives the
/// ones the record no longer has.
fn write_children(db: &mut Db<'_>, customer: &Customer, previous: Option<&Customer>) -> Result<()> {
    let customer_id = customer.id.as_uuid();
    let at = customer.updated_at;
    let taken = |what: &str, index: usize| {
        Error::invalid(
            format!("{what}[{index}].id"),
            "is already used by another customer",
        )
    };
    let (before_contacts, before_locations): (&[Contact], &[ServiceLocation]) =
        previous.map_or((&[], &[]), |p| (&p.contacts, &p.locations));

    if previous.is_none_or(|previous| previous.tags != customer.tags) {
        if previous.is_some() {
            db.execute(
                "storing tags",
                "DELETE FROM customer_tags WHERE customer_id = $1",
                &[&customer_id],
            )?;
        }
        for (position, tag) in customer.tags.iter().enumerate() {
            db.execute(
                "storing tags",
                "INSERT INTO customer_tags (customer_id, tag, position) VALUES ($1, $2, $3)",
                &[&customer_id, tag, &(position as i64)],
            )?;
        }
    }

    let old_contacts: HashMap<_, _> = before_contacts
        .iter()
        .enumerate()
        .map(|(position, contact)| (contact.id, (position, contact)))
        .collect();
    for (position, contact) in customer.contacts.iter().enumerate() {
        if old_contacts.get(&contact.id) == Some(&(position, contact)) {
            continue;
        }
        let written = upsert(
            db,
            "storing contacts",
            "INSERT INTO contacts (id, customer_id, position, name, role, is_primary, phones, \
             emails, consents, archived_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL) \
             ON CONFLICT (id) DO UPDATE SET position = excluded.position, name = excluded.name, \
             role = excluded.role, is_primary = excluded.is_primary, phones = excluded.phones, \
             emails = excluded.emails, consents = excluded.consents, archived_at = NULL \
             WHERE contacts.customer_id = excluded.customer_id",
            &[
                &contact.id.as_uuid(),
                &customer_id,
                &(position as i64),
                &contact.name,
                &contact.role.as_str(),
                &contact.primary,
                &Json(&contact.phones),
                &Json(&contact.emails),
                &Json(&contact.consents),
            ],
        )?;
        if !written {
            return Err(taken("contacts", position));
        }
    }
    let kept = |id| customer.contacts.iter().any(|c| c.id == id);
    if before_contacts.iter().any(|c| !kept(c.id)) {
        let contact_ids: Vec<Uuid> = customer.contacts.iter().map(|c| c.id.as_uuid()).collect();
        db.execute(
            "archiving removed contacts",
            "UPDATE contacts SET archived_at = $1 WHERE customer_id = $2 \
             AND archived_at IS NULL AND NOT (id = ANY($3))",
            &[&at, &customer_id, &contact_ids],
        )?;
    }

    let old_locations: HashMap<_, _> = before_locations
        .iter()
        .enumerate()
        .map(|(position, location)| (location.id, (position, location)))
        .collect();
    let old_bodies: HashMap<_, _> = before_locations
        .iter()
        .flat_map(|location| {
            location
                .bodies_of_water
                .iter()
                .enumerate()
                .map(move |(position, body)| (body.id, (location.id, position, body)))
        })
        .collect();
    for (position, location) in customer.locations.iter().enumerate() {
        let location_id = location.id.as_uuid();
        let plan = location.service_plan.as_ref();
        let access = &location.access;
        let old = old_locations.get(&location.id);
        let row_unchanged = old.is_some_and(|&(old_position, old)| {
            old_position == position && same_row(old, location)
        });
        if !row_unchanged {
            let written = upsert(
                db,
                "storing locations",
                "INSERT INTO locations (id, customer_id, position, label, address_line1, \
                 address_line2, city, region, postal_code, country, latitude, longitude, \
                 special_instructions, key_location, pets, hazards, access_hours, access_notes, \
                 plan_frequency, plan_weekday, plan_technician_id, plan_starts_on, plan_ends_on, \
                 plan_bills_chemicals, archived_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
                 $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, NULL) \
                 ON CONFLICT (id) DO UPDATE SET position = excluded.position, \
                 label = excluded.label, address_line1 = excluded.address_line1, \
                 address_line2 = excluded.address_line2, city = excluded.city, \
                 region = excluded.region, postal_code = excluded.postal_code, \
                 country = excluded.country, latitude = excluded.latitude, \
                 longitude = excluded.longitude, \
                 special_instructions = excluded.special_instructions, \
                 key_location = excluded.key_location, pets = excluded.pets, \
                 hazards = excluded.hazards, access_hours = excluded.access_hours, \
                 access_notes = excluded.access_notes, plan_frequency = excluded.plan_frequency, \
                 plan_weekday = excluded.plan_weekday, \
                 plan_technician_id = excluded.plan_technician_id, \
                 plan_starts_on = excluded.plan_starts_on, plan_ends_on = excluded.plan_ends_on, \
                 plan_bills_chemicals = excluded.plan_bills_chemicals, \
                 archived_at = NULL WHERE locations.customer_id = excluded.customer_id",
                &[
                    &location_id,
                    &customer_id,
                    &(position as i64),
                    &location.label,
                    &location.address.line1,
                    &location.address.line2,
                    &location.address.city,
                    &location.address.region,
                    &location.address.postal_code,
                    &location.address.country,
                    &location.coordinates.map(|point| point.latitude),
                    &location.coordinates.map(|point| point.longitude),
                    &location.special_instructions,
                    &access.key_location,
                    &Json(&access.pets),
                    &Json(&access.hazards),
                    &Json(&access.access_hours),
                    &access.notes,
                    &plan.map(|plan| plan.frequency.as_str()),
                    &plan
                        .and_then(|plan| plan.preferred_weekday)
                        .map(|day| day.as_str()),
                    &plan
                        .and_then(|plan| plan.technician_id)
                        .map(|id| id.as_uuid()),
                    &plan.map(|plan| plan.starts_on),
                    &plan.and_then(|plan| plan.ends_on),
                    &plan.is_some_and(|plan| plan.bills_chemicals),
                ],
            )?;
            if !written {
                return Err(taken("locations", position));
            }
        }
        if old.is_none_or(|(_, old)| !same_secrets(&old.access, access)) {
            let sealed = |secret: &Option<Secret>| -> Result<Option<Vec<u8>>> {
                secret
                    .as_ref()
                    .map(|s| {
                        s.sealed_blob()
                            .map(<[u8]>::to_vec)
                            .ok_or_else(super::secrets::unsealed)
                    })
                    .transpose()
            };
            db.execute(
                "storing access codes",
                "INSERT INTO location_secrets (location_id, gate_code, lock_combination, \
                 alarm_code) VALUES ($1, $2, $3, $4) ON CONFLICT (location_id) DO UPDATE SET \
                 gate_code = excluded.gate_code, lock_combination = excluded.lock_combination, \
                 alarm_code = excluded.alarm_code",
                &[
                    &location_id,
                    &sealed(&access.gate_code)?,
                    &sealed(&access.lock_combination)?,
                    &sealed(&access.alarm_code)?,
                ],
            )?;
        }
        for (body_position, body) in location.bodies_of_water.iter().enumerate() {
            if old_bodies.get(&body.id) == Some(&(location.id, body_position, body)) {
                continue;
            }
            let written = upsert(
                db,
                "storing bodies of water",
                "INSERT INTO bodies_of_water (id, location_id, position, name, kind, gallons, \
                 surface, sanitizer, setting, equipment, archived_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL) \
                 ON CONFLICT (id) DO UPDATE SET location_id = excluded.location_id, \
                 position = excluded.position, name = excluded.name, kind = excluded.kind, \
                 gallons = excluded.gallons, surface = excluded.surface, \
                 sanitizer = excluded.sanitizer, setting = excluded.setting, \
                 equipment = excluded.equipment, archived_at = NULL \
                 WHERE (SELECT customer_id FROM locations \
                 WHERE id = bodies_of_water.location_id) = $11",
                &[
                    &body.id.as_uuid(),
                    &location_id,
                    &(body_position as i64),
                    &body.name,
                    &body.kind.as_str(),
                    &body.gallons,
                    &body.surface.map(|surface| surface.as_str()),
                    &body.sanitizer.as_str(),
                    &body.setting.as_str(),
                    &Json(&body.equipment),
                    &customer_id,
                ],
            )?;
            if !written {
                return Err(Error::invalid(
                    format!("locations[{position}].bodies_of_water[{body_position}].id"),
                    "is already used by another customer",
                ));
            }
        }
    }
    let kept = |id| customer.locations.iter().any(|l| l.id == id);
    if before_locations.iter().any(|l| !kept(l.id)) {
        let location_ids: Vec<Uuid> = customer.locations.iter().map(|l| l.id.as_uuid()).collect();
        db.execute(
            "archiving removed locations",
            "UPDATE locations SET archived_at = $1 WHERE customer_id = $2 \
             AND archived_at IS NULL AND NOT (id = ANY($3))",
            &[&at, &customer_id, &location_ids],
        )?;
    }
    let body_ids: Vec<Uuid> = customer
        .locations
        .iter()
        .flat_map(|l| l.bodies_of_water.iter().map(|b| b.id.as_uuid()))
        .collect();
    if old_bodies
        .keys()
        .any(|id| !body_ids.contains(&id.as_uuid()))
    {
        db.execute(
            "archiving removed bodies of water",
            "UPDATE bodies_of_water SET archived_at = $1 WHERE archived_at IS NULL \
             AND location_id IN (SELECT id FROM locations WHERE customer_id = $2) \
             AND NOT (id = ANY($3))",
            &[&at, &customer_id, &body_ids],
        )?;
    }
    Ok(())
}

/// Whether two versions of a location have the same `locations` row (all
/// but its bodies of water and access codes, which have rows of their own).
fn same_row(a: &ServiceLocation, b: &ServiceLocation) -> bool {
    a.id == b.id
        && a.label == b.label
        && a.address == b.address
        && a.coordinates == b.coordinates
        && a.special_instructions == b.special_instructions
        && a.service_plan == b.service_plan
        && a.access.key_location == b.access.key_location
        && a.access.pets == b.access.pets
        && a.access.hazards == b.access.hazards
        && a.access.access_hours == b.access.access_hours
        && a.access.notes == b.access.notes
}

/// Whether two versions of a location have the same access codes.
fn same_secrets(a: &AccessDetails, b: &AccessDetails) -> bool {
    a.gate_code == b.gate_code
        && a.lock_combination == b.lock_combination
        && a.alarm_code == b.alarm_code
}

/// Stores many new customers with one statement per table (arrays
/// unnested server-side), as a batch import needs; the same rows as
/// [`insert`] one at a time, and the same refusals: an id already taken
/// fails the batch naming the part.
pub fn insert_many(db: &mut Db<'_>, customers: &[&Customer]) -> Result<()> {
    if let [customer] = customers {
        return insert(db, customer);
    }
    if customers.len() >= COPY_FROM {
        return copy_many(db, customers);
    }
    let doing = "storing customers";
    let ids: Vec<Uuid> = customers.iter().map(|c| c.id.as_uuid()).collect();
    let kinds: Vec<&str> = customers.iter().map(|c| c.kind.as_str()).collect();
    let names: Vec<&str> = customers.iter().map(|c| c.display_name.as_str()).collect();
    let statuses: Vec<&str> = customers.iter().map(|c| c.status.as_str()).collect();
    let addresses: Vec<Option<Json<_>>> = customers
        .iter()
        .map(|c| c.billing.address.as_ref().map(Json))
        .collect();
    let rates: Vec<Option<Decimal>> = customers.iter().map(|c| c.billing.rate).collect();
    let bases: Vec<&str> = customers
        .iter()
        .map(|c| c.billing.rate_basis.as_str())
        .collect();
    let terms: Vec<i64> = customers
        .iter()
        .map(|c| i64::from(c.billing.terms_days))
        .collect();
    let fields: Vec<Json<_>> = customers.iter().map(|c| Json(&c.custom_fields)).collect();
    let preferences: Vec<Json<_>> = customers.iter().map(|c| Json(&c.preferences)).collect();
    let created: Vec<_> = customers.iter().map(|c| c.created_at).collect();
    let updated: Vec<_> = customers.iter().map(|c| c.updated_at).collect();
    let archived: Vec<_> = customers.iter().map(|c| c.archived_at).collect();
    let versions: Vec<i64> = customers.iter().map(|c| c.version).collect();
    let skips: Vec<Json<_>> = customers
        .iter()
        .map(|c| Json(&c.billing.billed_skips))
        .collect();
    let stored = db.query(
        doing,
        "INSERT INTO customers (id, kind, display_name, status, billing_address, billing_rate, \
         billing_rate_basis, billing_terms_days, custom_fields, preferences, created_at, \
         updated_at, archived_at, version, billing_skips) \
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], \
         $6::numeric[], $7::text[], $8::bigint[], $9::jsonb[], $10::jsonb[], \
         $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::bigint[], \
         $15::jsonb[]) \
         ON CONFLICT (id) DO NOTHING RETURNING id, seq",
        &[
            &ids,
            &kinds,
            &names,
            &statuses,
            &addresses,
            &rates,
            &bases,
            &terms,
            &fields,
            &preferences,
            &created,
            &updated,
            &archived,
            &versions,
            &skips,
        ],
    )?;
    if stored.len() != customers.len() {
        return Err(Error::invalid(
            "id",
            "a customer with this id already exists",
        ));
    }
    let mut seqs = HashMap::new();
    for row in &stored {
        seqs.insert(get::<Uuid>(row, 0)?, get::<i64>(row, 1)?);
    }

    let (mut tag_owner, mut tags, mut tag_positions) = (Vec::new(), Vec::new(), Vec::new());
    for customer in customers {
        for (position, tag) in customer.tags.iter().enumerate() {
            tag_owner.push(customer.id.as_uuid());
            tags.push(tag.as_str());
            tag_positions.push(position as i64);
        }
    }
    if !tags.is_empty() {
        db.execute(
            "storing tags",
            "INSERT INTO customer_tags (customer_id, tag, position) \
             SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[])",
            &[&tag_owner, &tags, &tag_positions],
        )?;
    }

    let NewParts {
        contacts,
        locations,
        bodies,
    } = NewParts::of(customers);
    if !contacts.is_empty() {
        let stored = db.query(
            "storing contacts",
            "INSERT INTO contacts (id, customer_id, position, name, role, is_primary, phones, \
             emails, consents) \
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::text[], \
             $6::boolean[], $7::jsonb[], $8::jsonb[], $9::jsonb[]) \
             ON CONFLICT (id) DO NOTHING RETURNING id",
            &[
                &contacts
                    .iter()
                    .map(|(_, _, x)| x.id.as_uuid())
                    .collect::<Vec<_>>(),
                &contacts
                    .iter()
                    .map(|(c, _, _)| c.id.as_uuid())
                    .collect::<Vec<_>>(),
                &contacts
                    .iter()
                    .map(|(_, i, _)| *i as i64)
                    .collect::<Vec<_>>(),
                &contacts
                    .iter()
                    .map(|(_, _, x)| x.name.as_str())
                    .collect::<Vec<_>>(),
                &contacts
                    .iter()
                    .map(|(_, _, x)| x.role.as_str())
                    .collect::<Vec<_>>(),
                &contacts
                    .iter()
                    .map(|(_, _, x)| x.primary)
                    .collect::<Vec<_>>(),
                &contacts
                    .iter()
                    .map(|(_, _, x)| Json(&x.phones))
                    .collect::<Vec<_>>(),
                &contacts
                    .iter()
                    .map(|(_, _, x)| Json(&x.emails))
                    .collect::<Vec<_>>(),
                &contacts
                    .iter()
                    .map(|(_, _, x)| Json(&x.consents))
                    .collect::<Vec<_>>(),
            ],
        )?;
        if stored.len() != contacts.len() {
            let written = ids_of(&stored)?;
            let (_, position, _) = contacts
                .iter()
                .find(|(_, _, x)| !written.contains(&x.id.as_uuid()))
                .unwrap_or(&contacts[0]);
            return Err(Error::invalid(
                format!("contacts[{position}].id"),
                "is already used by another customer",
            ));
        }
    }

    if !locations.is_empty() {
        let plan = |l: &ServiceLocation| l.service_plan.clone();
        let stored = db.query(
            "storing locations",
            "INSERT INTO locations (id, customer_id, position, label, address_line1, \
             address_line2, city, region, postal_code, country, latitude, longitude, \
             special_instructions, key_location, pets, hazards, access_hours, access_notes, \
             plan_frequency, plan_weekday, plan_technician_id, plan_starts_on, plan_ends_on, \
             plan_bills_chemicals) \
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::text[], \
             $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::float8[], \
             $12::float8[], $13::text[], $14::text[], $15::jsonb[], $16::jsonb[], $17::jsonb[], \
             $18::text[], $19::text[], $20::text[], $21::uuid[], $22::date[], $23::date[], \
             $24::boolean[]) \
             ON CONFLICT (id) DO NOTHING RETURNING id",
            &[
                &locations
                    .iter()
                    .map(|(_, _, l)| l.id.as_uuid())
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(c, _, _)| c.id.as_uuid())
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, i, _)| *i as i64)
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| l.label.as_deref())
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| l.address.line1.as_str())
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| l.address.line2.as_deref())
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| l.address.city.as_str())
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| l.address.region.as_str())
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| l.address.postal_code.as_str())
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| l.address.country.as_str())
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| l.coordinates.map(|p| p.latitude))
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| l.coordinates.map(|p| p.longitude))
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| l.special_instructions.as_deref())
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| l.access.key_location.as_deref())
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| Json(&l.access.pets))
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| Json(&l.access.hazards))
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| Json(&l.access.access_hours))
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| l.access.notes.as_deref())
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| plan(l).map(|p| p.frequency.as_str()))
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| {
                        plan(l)
                            .and_then(|p| p.preferred_weekday)
                            .map(|d| d.as_str())
                    })
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| plan(l).and_then(|p| p.technician_id).map(|t| t.as_uuid()))
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| plan(l).map(|p| p.starts_on))
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| plan(l).and_then(|p| p.ends_on))
                    .collect::<Vec<_>>(),
                &locations
                    .iter()
                    .map(|(_, _, l)| plan(l).is_some_and(|p| p.bills_chemicals))
                    .collect::<Vec<_>>(),
            ],
        )?;
        if stored.len() != locations.len() {
            let written = ids_of(&stored)?;
            let (_, position, _) = locations
                .iter()
                .find(|(_, _, l)| !written.contains(&l.id.as_uuid()))
                .unwrap_or(&locations[0]);
            return Err(Error::invalid(
                format!("locations[{position}].id"),
                "is already used by another customer",
            ));
        }
        let sealed = |secret: &Option<Secret>| -> Result<Option<Vec<u8>>> {
            secret
                .as_ref()
                .map(|s| {
                    s.sealed_blob()
                        .map(<[u8]>::to_vec)
                        .ok_or_else(super::secrets::unsealed)
                })
                .transpose()
        };
        let mut gates = Vec::new();
        let mut locks = Vec::new();
        let mut alarms = Vec::new();
        for (_, _, location) in &locations {
            gates.push(sealed(&location.access.gate_code)?);
            locks.push(sealed(&location.access.lock_combination)?);
            alarms.push(sealed(&location.access.alarm_code)?);
        }
        db.execute(
            "storing access codes",
            "INSERT INTO location_secrets (location_id, gate_code, lock_combination, alarm_code) \
             SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::bytea[], $4::bytea[])",
            &[
                &locations
                    .iter()
                    .map(|(_, _, l)| l.id.as_uuid())
                    .collect::<Vec<_>>(),
                &gates,
                &locks,
                &alarms,
            ],
        )?;
        if !bodies.is_empty() {
            let stored = db.query(
                "storing bodies of water",
                "INSERT INTO bodies_of_water (id, location_id, position, name, kind, gallons, \
                 surface, sanitizer, setting, equipment) \
                 SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], \
                 $5::text[], $6::float8[], $7::text[], $8::text[], $9::text[], $10::jsonb[]) \
                 ON CONFLICT (id) DO NOTHING RETURNING id",
                &[
                    &bodies
                        .iter()
                        .map(|(_, _, _, b)| b.id.as_uuid())
                        .collect::<Vec<_>>(),
                    &bodies
                        .iter()
                        .map(|(_, l, _, _)| l.id.as_uuid())
                        .collect::<Vec<_>>(),
                    &bodies
                        .iter()
                        .map(|(_, _, i, _)| *i as i64)
                        .collect::<Vec<_>>(),
                    &bodies
                        .iter()
                        .map(|(_, _, _, b)| b.name.as_str())
                        .collect::<Vec<_>>(),
                    &bodies
                        .iter()
                        .map(|(_, _, _, b)| b.kind.as_str())
                        .collect::<Vec<_>>(),
                    &bodies
                        .iter()
                        .map(|(_, _, _, b)| b.gallons)
                        .collect::<Vec<_>>(),
                    &bodies
                        .iter()
                        .map(|(_, _, _, b)| b.surface.map(|s| s.as_str()))
                        .collect::<Vec<_>>(),
                    &bodies
                        .iter()
                        .map(|(_, _, _, b)| b.sanitizer.as_str())
                        .collect::<Vec<_>>(),
                    &bodies
                        .iter()
                        .map(|(_, _, _, b)| b.setting.as_str())
                        .collect::<Vec<_>>(),
                    &bodies
                        .iter()
                        .map(|(_, _, _, b)| Json(&b.equipment))
                        .collect::<Vec<_>>(),
                ],
            )?;
            if stored.len() != bodies.len() {
                let written = ids_of(&stored)?;
                let (position, _, body_position, _) = bodies
                    .iter()
                    .find(|(_, _, _, b)| !written.contains(&b.id.as_uuid()))
                    .unwrap_or(&bodies[0]);
                return Err(Error::invalid(
                    format!("locations[{position}].bodies_of_water[{body_position}].id"),
                    "is already used by another customer",
                ));
            }
        }
    }

    let documents: Vec<SearchDocument> = customers.iter().map(|c| SearchDocument::of(c)).collect();
    search::index_many(
        db,
        &customers
            .iter()
            .map(|c| seqs[&c.id.as_uuid()])
            .collect::<Vec<_>>(),
        &documents,
    )
}

/// The ids a `RETURNING id` gave back.
fn ids_of(rows: &[Row]) -> Result<std::collections::HashSet<Uuid>> {
    rows.iter().map(|row| get::<Uuid>(row, 0)).collect()
}

/// From how many new customers a batch is written with binary `COPY`.
const COPY_FROM: usize = 64;

/// Stores many new customers with one binary `COPY` per table (the fastest
/// way into PostgreSQL), inside a savepoint. If a `COPY` fails, the
/// savepoint is rolled back and one query per table looks for an id held
/// already, so a taken id fails the batch naming the part, as the
/// row-by-row path does; checking first would cost those queries on every
/// batch.
fn copy_many(db: &mut Db<'_>, customers: &[&Customer]) -> Result<()> {
    let parts = NewParts::of(customers);
    db.execute("storing customers", "SAVEPOINT new_customers", &[])?;
    if let Err(error) = copy_rows(db, customers, &parts) {
        // A taken id is named; any other failure is the COPY's own.
        let rolled_back = db.execute(
            "storing customers",
            "ROLLBACK TO SAVEPOINT new_customers",
            &[],
        );
        if rolled_back.is_ok() {
            refuse_taken_ids(db, customers, &parts)?;
        }
        return Err(error);
    }
    db.execute("storing customers", "RELEASE SAVEPOINT new_customers", &[])?;
    Ok(())
}

/// The contacts, locations and bodies of water of new customers, each with
/// its position in its owner.
struct NewParts<'c> {
    contacts: Vec<(&'c Customer, usize, &'c Contact)>,
    locations: Vec<(&'c Customer, usize, &'c ServiceLocation)>,
    bodies: Vec<(usize, &'c ServiceLocation, usize, &'c BodyOfWater)>,
}

impl<'c> NewParts<'c> {
    fn of(customers: &[&'c Customer]) -> Self {
        let contacts: Vec<(&Customer, usize, &Contact)> = customers
            .iter()
            .flat_map(|c| c.contacts.iter().enumerate().map(move |(i, x)| (*c, i, x)))
            .collect();
        let locations: Vec<(&Customer, usize, &ServiceLocation)> = customers
            .iter()
            .flat_map(|c| c.locations.iter().enumerate().map(move |(i, x)| (*c, i, x)))
            .collect();
        let bodies: Vec<(usize, &ServiceLocation, usize, &BodyOfWater)> = locations
            .iter()
            .flat_map(|(_, position, l)| {
                l.bodies_of_water
                    .iter()
                    .enumerate()
                    .map(move |(i, b)| (*position, *l, i, b))
            })
            .collect();
        NewParts {
            contacts,
            locations,
            bodies,
        }
    }
}

/// Fails naming the first part of `customers` whose id is held already.
fn refuse_taken_ids(db: &mut Db<'_>, customers: &[&Customer], parts: &NewParts<'_>) -> Result<()> {
    let NewParts {
        contacts,
        locations,
        bodies,
    } = parts;
    let taken =
        |db: &mut Db<'_>, table: &str, ids: Vec<Uuid>| -> Result<std::collections::HashSet<Uuid>> {
            let rows = db.query(
                "checking new ids",
                &format!("SELECT id FROM {table} WHERE id = ANY($1)"),
                &[&ids],
            )?;
            ids_of(&rows)
        };
    if !taken(
        db,
        "customers",
        customers.iter().map(|c| c.id.as_uuid()).collect(),
    )?
    .is_empty()
    {
        return Err(Error::invalid(
            "id",
            "a customer with this id already exists",
        ));
    }
    let held = taken(
        db,
        "contacts",
        contacts.iter().map(|(_, _, x)| x.id.as_uuid()).collect(),
    )?;
    if let Some((_, position, _)) = contacts
        .iter()
        .find(|(_, _, x)| held.contains(&x.id.as_uuid()))
    {
        return Err(Error::invalid(
            format!("contacts[{position}].id"),
            "is already used by another customer",
        ));
    }
    let held = taken(
        db,
        "locations",
        locations.iter().map(|(_, _, l)| l.id.as_uuid()).collect(),
    )?;
    if let Some((_, position, _)) = locations
        .iter()
        .find(|(_, _, l)| held.contains(&l.id.as_uuid()))
    {
        return Err(Error::invalid(
            format!("locations[{position}].id"),
            "is already used by another customer",
        ));
    }
    let held = taken(
        db,
        "bodies_of_water",
        bodies.iter().map(|(_, _, _, b)| b.id.as_uuid()).collect(),
    )?;
    if let Some((position, _, body_position, _)) = bodies
        .iter()
        .find(|(_, _, _, b)| held.contains(&b.id.as_uuid()))
    {
        return Err(Error::invalid(
            format!("locations[{position}].bodies_of_water[{body_position}].id"),
            "is already used by another customer",
        ));
    }
    Ok(())
}

/// The binary `COPY`s of new customers and their parts, then their search rows.
fn copy_rows(db: &mut Db<'_>, customers: &[&Customer], parts: &NewParts<'_>) -> Result<()> {
    let NewParts {
        contacts,
        locations,
        bodies,
    } = parts;
    db.copy_in(
        "storing customers",
        "COPY customers (id, kind, display_name, status, billing_address, billing_rate, \
         billing_rate_basis, billing_terms_days, custom_fields, preferences, created_at, \
         updated_at, archived_at, version, billing_skips) FROM STDIN (FORMAT binary)",
        &[
            Type::UUID,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::JSONB,
            Type::NUMERIC,
            Type::TEXT,
            Type::INT8,
            Type::JSONB,
            Type::JSONB,
            Type::TIMESTAMPTZ,
            Type::TIMESTAMPTZ,
            Type::TIMESTAMPTZ,
            Type::INT8,
            Type::JSONB,
        ],
        |out| {
            for c in customers {
                out.write(&[
                    &c.id.as_uuid(),
                    &c.kind.as_str(),
                    &c.display_name,
                    &c.status.as_str(),
                    &c.billing.address.as_ref().map(Json),
                    &c.billing.rate,
                    &c.billing.rate_basis.as_str(),
                    &i64::from(c.billing.terms_days),
                    &Json(&c.custom_fields),
                    &Json(&c.preferences),
                    &c.created_at,
                    &c.updated_at,
                    &c.archived_at,
                    &c.version,
                    &Json(&c.billing.billed_skips),
                ])?;
            }
            Ok(())
        },
    )?;
    db.copy_in(
        "storing tags",
        "COPY customer_tags (customer_id, tag, position) FROM STDIN (FORMAT binary)",
        &[Type::UUID, Type::TEXT, Type::INT8],
        |out| {
            for c in customers {
                for (position, tag) in c.tags.iter().enumerate() {
                    out.write(&[&c.id.as_uuid(), tag, &(position as i64)])?;
                }
            }
            Ok(())
        },
    )?;
    db.copy_in(
        "storing contacts",
        "COPY contacts (id, customer_id, position, name, role, is_primary, phones, emails, \
         consents) FROM STDIN (FORMAT binary)",
        &[
            Type::UUID,
            Type::UUID,
            Type::INT8,
            Type::TEXT,
            Type::TEXT,
            Type::BOOL,
            Type::JSONB,
            Type::JSONB,
            Type::JSONB,
        ],
        |out| {
            for (c, position, x) in contacts.iter() {
                out.write(&[
                    &x.id.as_uuid(),
                    &c.id.as_uuid(),
                    &(*position as i64),
                    &x.name,
                    &x.role.as_str(),
                    &x.primary,
                    &Json(&x.phones),
                    &Json(&x.emails),
                    &Json(&x.consents),
                ])?;
            }
            Ok(())
        },
    )?;
    db.copy_in(
        "storing locations",
        "COPY locations (id, customer_id, position, label, address_line1, address_line2, city, \
         region, postal_code, country, latitude, longitude, special_instructions, key_location, \
         pets, hazards, access_hours, access_notes, plan_frequency, plan_weekday, \
         plan_technician_id, plan_starts_on, plan_ends_on, plan_bills_chemicals) \
         FROM STDIN (FORMAT binary)",
        &[
            Type::UUID,
            Type::UUID,
            Type::INT8,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::FLOAT8,
            Type::FLOAT8,
            Type::TEXT,
            Type::TEXT,
            Type::JSONB,
            Type::JSONB,
            Type::JSONB,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::UUID,
            Type::DATE,
            Type::DATE,
            Type::BOOL,
        ],
        |out| {
            for (c, position, l) in locations.iter() {
                let plan = l.service_plan.as_ref();
                out.write(&[
                    &l.id.as_uuid(),
                    &c.id.as_uuid(),
                    &(*position as i64),
                    &l.label,
                    &l.address.line1,
                    &l.address.line2,
                    &l.address.city,
                    &l.address.region,
                    &l.address.postal_code,
                    &l.address.country,
                    &l.coordinates.map(|p| p.latitude),
                    &l.coordinates.map(|p| p.longitude),
                    &l.special_instructions,
                    &l.access.key_location,
                    &Json(&l.access.pets),
                    &Json(&l.access.hazards),
                    &Json(&l.access.access_hours),
                    &l.access.notes,
                    &plan.map(|p| p.frequency.as_str()),
                    &plan.and_then(|p| p.preferred_weekday).map(|d| d.as_str()),
                    &plan.and_then(|p| p.technician_id).map(|t| t.as_uuid()),
                    &plan.map(|p| p.starts_on),
                    &plan.and_then(|p| p.ends_on),
                    &plan.is_some_and(|p| p.bills_chemicals),
                ])?;
            }
            Ok(())
        },
    )?;
    let sealed = |secret: &Option<Secret>| -> Result<Option<Vec<u8>>> {
        secret
            .as_ref()
            .map(|s| {
                s.sealed_blob()
                    .map(<[u8]>::to_vec)
                    .ok_or_else(super::secrets::unsealed)
            })
            .transpose()
    };
    let mut codes = Vec::with_capacity(locations.len());
    for (_, _, l) in locations.iter() {
        codes.push((
            l.id.as_uuid(),
            sealed(&l.access.gate_code)?,
            sealed(&l.access.lock_combination)?,
            sealed(&l.access.alarm_code)?,
        ));
    }
    db.copy_in(
        "storing access codes",
        "COPY location_secrets (location_id, gate_code, lock_combination, alarm_code) \
         FROM STDIN (FORMAT binary)",
        &[Type::UUID, Type::BYTEA, Type::BYTEA, Type::BYTEA],
        |out| {
            for (id, gate, lock, alarm) in &codes {
                out.write(&[id, gate, lock, alarm])?;
            }
            Ok(())
        },
    )?;
    db.copy_in(
        "storing bodies of water",
        "COPY bodies_of_water (id, location_id, position, name, kind, gallons, surface, \
         sanitizer, setting, equipment) FROM STDIN (FORMAT binary)",
        &[
            Type::UUID,
            Type::UUID,
            Type::INT8,
            Type::TEXT,
            Type::TEXT,
            Type::FLOAT8,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::JSONB,
        ],
        |out| {
            for (_, l, position, b) in bodies.iter() {
                out.write(&[
                    &b.id.as_uuid(),
                    &l.id.as_uuid(),
                    &(*position as i64),
                    &b.name,
                    &b.kind.as_str(),
                    &b.gallons,
                    &b.surface.map(|s| s.as_str()),
                    &b.sanitizer.as_str(),
                    &b.setting.as_str(),
                    &Json(&b.equipment),
                ])?;
            }
            Ok(())
        },
    )?;
    let ids: Vec<Uuid> = customers.iter().map(|c| c.id.as_uuid()).collect();
    let mut seqs = HashMap::new();
    for row in db.query(
        "indexing customers for search",
        "SELECT id, seq FROM customers WHERE id = ANY($1)",
        &[&ids],
    )? {
        seqs.insert(get::<Uuid>(&row, 0)?, get::<i64>(&row, 1)?);
    }
    let documents: Vec<(i64, SearchDocument)> = customers
        .iter()
        .map(|c| (seqs[&c.id.as_uuid()], SearchDocument::of(c)))
        .collect();
    search::copy_many(db, &documents)
}
