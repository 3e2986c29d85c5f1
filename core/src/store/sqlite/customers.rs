//! Customer records in SQLite: loading whole records in batches (one query
//! per table, whatever the page size), writing them, moving locations, and
//! keeping the search index in step.

use std::collections::HashMap;

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, params, params_from_iter};

use super::codec::{
    day, get_json, get_opt_day, get_opt_json, get_opt_parsed, get_opt_time, get_parsed, get_time,
    json, storage, time,
};
use crate::domain::search::SearchDocument;
use crate::model::{
    AccessDetails, Address, Billing, BodyOfWater, Contact, Customer, GeoPoint, ServiceLocation,
    ServicePlan,
};
use crate::model::{ArchivedFilter, CustomerQuery};
use crate::store::ArchivedPart;
use crate::{CustomerId, EntityKind, Error, LocationId, Result, Secret};

const CUSTOMER_COLUMNS: &str = "c.id, c.kind, c.display_name, c.status, c.billing_address, \
     c.billing_rate, c.billing_rate_basis, c.billing_terms_days, c.custom_fields, c.preferences, \
     c.created_at, c.updated_at, c.archived_at, c.version, c.billing_skips";

/// One customer by id, archived or not.
pub fn load(conn: &Connection, id: CustomerId) -> Result<Option<Customer>> {
    let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers c WHERE c.id = ?1");
    let row = conn
        .prepare_cached(&sql)
        .and_then(|mut stmt| {
            stmt.query_row([id.to_string()], customer_from_row)
                .optional()
        })
        .map_err(storage("reading a customer"))?;
    let mut customers: Vec<Customer> = row.into_iter().collect();
    attach_children(conn, &mut customers, None)?;
    Ok(customers.pop())
}

/// The customers among `ids` that exist, archived or not, in one query per table.
pub fn load_many(conn: &Connection, ids: &[CustomerId]) -> Result<Vec<Customer>> {
    let sql = format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers c WHERE c.id IN (SELECT value FROM json_each(?1))"
    );
    let ids = json(&ids)?;
    let mut customers = conn
        .prepare_cached(&sql)
        .and_then(|mut stmt| {
            stmt.query_map([ids], customer_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(storage("reading customers"))?;
    attach_children(conn, &mut customers, None)?;
    Ok(customers)
}

/// A page of customers matching `query`, ordered by id.
pub fn list(conn: &Connection, query: &CustomerQuery, limit: u32) -> Result<Vec<Customer>> {
    let mut sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers c WHERE 1 = 1");
    let mut args: Vec<SqlValue> = Vec::new();
    let mut filter = |clause: &str, value: SqlValue| {
        sql.push_str(clause);
        args.push(value);
    };
    if let Some(status) = query.status {
        filter(" AND c.status = ?", status.as_str().to_owned().into());
    }
    if let Some(kind) = query.kind {
        filter(" AND c.kind = ?", kind.as_str().to_owned().into());
    }
    if let Some(tag) = &query.tag {
        filter(
            " AND c.id IN (SELECT customer_id FROM customer_tags WHERE tag = ?)",
            tag.trim().to_owned().into(),
        );
    }
    if let Some(technician) = query.technician_id {
        filter(
            " AND c.id IN (SELECT customer_id FROM locations \
             WHERE plan_technician_id = ? AND archived_at IS NULL)",
            technician.to_string().into(),
        );
    }
    if let Some(since) = query.updated_since {
        filter(" AND c.updated_at >= ?", time(since).into());
    }
    if let Some(after) = query.after {
        filter(" AND c.id > ?", after.to_string().into());
    }
    match query.archived {
        ArchivedFilter::Exclude => sql.push_str(" AND c.archived_at IS NULL"),
        ArchivedFilter::Only => sql.push_str(" AND c.archived_at IS NOT NULL"),
        ArchivedFilter::Include => {}
    }
    sql.push_str(" ORDER BY c.id LIMIT ?");
    args.push(i64::from(limit).into());
    let mut customers = conn
        .prepare_cached(&sql)
        .and_then(|mut stmt| {
            stmt.query_map(params_from_iter(args), customer_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(storage("listing customers"))?;
    attach_children(conn, &mut customers, None)?;
    Ok(customers)
}

/// Ids of the customer's archived contacts, locations and bodies of water.
pub fn archived_parts(conn: &Connection, id: CustomerId) -> Result<Vec<String>> {
    conn.prepare_cached(
        "SELECT id FROM contacts WHERE customer_id = ?1 AND archived_at IS NOT NULL \
         UNION ALL SELECT id FROM locations WHERE customer_id = ?1 AND archived_at IS NOT NULL \
         UNION ALL SELECT b.id FROM bodies_of_water b JOIN locations l ON l.id = b.location_id \
         WHERE l.customer_id = ?1 AND b.archived_at IS NOT NULL",
    )
    .and_then(|mut stmt| {
        stmt.query_map([id.to_string()], |row| row.get(0))?
            .collect()
    })
    .map_err(storage("reading archived parts of a customer"))
}

/// The customer a location belongs to.
pub fn location_owner(conn: &Connection, id: LocationId) -> Result<Option<CustomerId>> {
    conn.prepare_cached("SELECT customer_id FROM locations WHERE id = ?1")
        .and_then(|mut stmt| {
            stmt.query_row([id.to_string()], |row| get_parsed(row, 0))
                .optional()
        })
        .map_err(storage("finding a location's customer"))
}

fn customer_from_row(row: &Row<'_>) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: get_parsed(row, 0)?,
        kind: get_parsed(row, 1)?,
        display_name: row.get(2)?,
        status: get_parsed(row, 3)?,
        billing: Billing {
            address: get_opt_json(row, 4)?,
            rate: get_opt_parsed(row, 5)?,
            rate_basis: get_parsed(row, 6)?,
            terms_days: row.get(7)?,
            billed_skips: get_json(row, 14)?,
        },
        tags: Vec::new(),
        custom_fields: get_json(row, 8)?,
        contacts: Vec::new(),
        locations: Vec::new(),
        preferences: get_json(row, 9)?,
        created_at: get_time(row, 10)?,
        updated_at: get_time(row, 11)?,
        archived_at: get_opt_time(row, 12)?,
        version: row.get(13)?,
    })
}

/// The customers among `ids` with every part, archived ones too, for
/// moving the book ([`crate::Store::export`]), each with the list of its
/// archived parts.
pub fn load_with_archived(
    conn: &Connection,
    ids: &[CustomerId],
) -> Result<Vec<(Customer, Vec<ArchivedPart>)>> {
    let mut customers = load_rows(conn, ids)?;
    let mut archived = Vec::new();
    attach_children(conn, &mut customers, Some(&mut archived))?;
    Ok(customers
        .into_iter()
        .map(|customer| {
            let parts = archived
                .iter()
                .filter(|(owner, _)| *owner == customer.id)
                .map(|(_, part)| part.clone())
                .collect();
            (customer, parts)
        })
        .collect())
}

/// The customer rows among `ids`, without their parts.
fn load_rows(conn: &Connection, ids: &[CustomerId]) -> Result<Vec<Customer>> {
    let sql = format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers c WHERE c.id IN (SELECT value FROM json_each(?1)) \
         ORDER BY c.seq"
    );
    let ids = json(&ids)?;
    conn.prepare_cached(&sql)
        .and_then(|mut stmt| {
            stmt.query_map([ids], customer_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(storage("reading customers"))
}

/// Fills in tags, contacts, locations and bodies of water: one query per
/// table for the whole batch. Archived parts are left out, unless
/// `archived` is given: then every part is filled in, and the archived
/// ones are listed there with their customer.
fn attach_children(
    conn: &Connection,
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
    let ids = json(&customers.iter().map(|c| c.id).collect::<Vec<_>>())?;
    let slot: HashMap<CustomerId, usize> = customers
        .iter()
        .enumerate()
        .map(|(index, c)| (c.id, index))
        .collect();
    let index_of = |id: &CustomerId| slot[id];

    let tags = query_all(
        conn,
        "SELECT customer_id, tag FROM customer_tags \
         WHERE customer_id IN (SELECT value FROM json_each(?1)) ORDER BY customer_id, position",
        &ids,
        |row| Ok((get_parsed::<CustomerId>(row, 0)?, row.get::<_, String>(1)?)),
    )?;
    for (customer_id, tag) in tags {
        customers[index_of(&customer_id)].tags.push(tag);
    }

    let contacts = query_all(
        conn,
        &format!(
            "SELECT customer_id, id, name, role, is_primary, phones, emails, consents, archived_at \
             FROM contacts WHERE customer_id IN (SELECT value FROM json_each(?1)){} \
             ORDER BY customer_id, position",
            live("archived_at")
        ),
        &ids,
        |row| {
            Ok((
                get_parsed::<CustomerId>(row, 0)?,
                get_opt_time(row, 8)?,
                Contact {
                    id: get_parsed(row, 1)?,
                    name: row.get(2)?,
                    role: get_parsed(row, 3)?,
                    primary: row.get(4)?,
                    phones: get_json(row, 5)?,
                    emails: get_json(row, 6)?,
                    consents: get_json(row, 7)?,
                },
            ))
        },
    )?;
    for (customer_id, archived_at, contact) in contacts {
        if let (Some(list), Some(archived_at)) = (archived.as_deref_mut(), archived_at) {
            list.push((customer_id, part(contact.id, archived_at)));
        }
        customers[index_of(&customer_id)].contacts.push(contact);
    }

    let locations = query_all(
        conn,
        &format!(
            "SELECT l.customer_id, l.id, l.label, l.address_line1, l.address_line2, l.city, l.region, \
         l.postal_code, l.country, l.latitude, l.longitude, l.special_instructions, \
         l.key_location, l.pets, l.hazards, l.access_hours, l.access_notes, \
         l.plan_frequency, l.plan_weekday, l.plan_technician_id, l.plan_starts_on, l.plan_ends_on, \
         s.gate_code, s.lock_combination, s.alarm_code, \
         p.gate_code, p.lock_combination, p.alarm_code, l.plan_bills_chemicals, l.archived_at \
         FROM locations l LEFT JOIN location_secrets s ON s.location_id = l.id \
         LEFT JOIN location_secrets_plain p ON p.location_id = l.id \
         WHERE l.customer_id IN (SELECT value FROM json_each(?1)){} \
         ORDER BY l.customer_id, l.position",
            live("l.archived_at")
        ),
        &ids,
        |row| Ok((location_from_row(row)?, get_opt_time(row, 29)?)),
    )?;
    let mut location_slot = HashMap::new();
    for ((customer_id, location), archived_at) in locations {
        if let (Some(list), Some(archived_at)) = (archived.as_deref_mut(), archived_at) {
            list.push((customer_id, part(location.id, archived_at)));
        }
        let customer = &mut customers[index_of(&customer_id)];
        location_slot.insert(
            location.id,
            (index_of(&customer_id), customer.locations.len()),
        );
        customer.locations.push(location);
    }

    let bodies = query_all(
        conn,
        &format!(
            "SELECT b.location_id, b.id, b.name, b.kind, b.gallons, b.surface, b.sanitizer, \
             b.setting, b.equipment, b.archived_at, l.customer_id FROM bodies_of_water b \
             JOIN locations l ON l.id = b.location_id \
             WHERE l.customer_id IN (SELECT value FROM json_each(?1)){}{} \
             ORDER BY b.location_id, b.position",
            live("l.archived_at"),
            live("b.archived_at")
        ),
        &ids,
        |row| {
            Ok((
                get_parsed::<LocationId>(row, 0)?,
                get_opt_time(row, 9)?,
                get_parsed::<CustomerId>(row, 10)?,
                BodyOfWater {
                    id: get_parsed(row, 1)?,
                    name: row.get(2)?,
                    kind: get_parsed(row, 3)?,
                    gallons: row.get(4)?,
                    surface: get_opt_parsed(row, 5)?,
                    sanitizer: get_parsed(row, 6)?,
                    setting: get_parsed(row, 7)?,
                    equipment: get_json(row, 8)?,
                },
            ))
        },
    )?;
    for (location_id, archived_at, customer_id, body) in bodies {
        if let (Some(list), Some(archived_at)) = (archived.as_deref_mut(), archived_at) {
            list.push((customer_id, part(body.id, archived_at)));
        }
        let (customer, location) = location_slot[&location_id];
        customers[customer].locations[location]
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

fn query_all<T>(
    conn: &Connection,
    sql: &str,
    ids: &str,
    map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    conn.prepare_cached(sql)
        .and_then(|mut stmt| stmt.query_map([ids], map)?.collect())
        .map_err(storage("reading a customer record"))
}

fn location_from_row(row: &Row<'_>) -> rusqlite::Result<(CustomerId, ServiceLocation)> {
    // A sealed blob (columns 22-24), or the plain text of a book from
    // before sealing that has not been unlocked yet (columns 25-27).
    let secret = |index: usize, field: &str| -> rusqlite::Result<Option<Secret>> {
        if let Some(blob) = row.get::<_, Option<Vec<u8>>>(index)? {
            return Ok(Some(Secret::sealed(blob)));
        }
        let value: Option<String> = row.get(index + 3)?;
        value
            .map(|value| {
                Secret::new(value, field).map_err(|error| {
                    rusqlite::Error::FromSqlConversionFailure(
                        index + 3,
                        rusqlite::types::Type::Text,
                        Box::new(error),
                    )
                })
            })
            .transpose()
    };
    let latitude: Option<f64> = row.get(9)?;
    let longitude: Option<f64> = row.get(10)?;
    let frequency = get_opt_parsed(row, 17)?;
    let starts_on = get_opt_day(row, 20)?;
    let service_plan = match (frequency, starts_on) {
        (Some(frequency), Some(starts_on)) => Some(ServicePlan {
            frequency,
            preferred_weekday: get_opt_parsed(row, 18)?,
            technician_id: get_opt_parsed(row, 19)?,
            starts_on,
            ends_on: get_opt_day(row, 21)?,
            bills_chemicals: row.get(28)?,
        }),
        _ => None,
    };
    Ok((
        get_parsed(row, 0)?,
        ServiceLocation {
            id: get_parsed(row, 1)?,
            label: row.get(2)?,
            address: Address {
                line1: row.get(3)?,
                line2: row.get(4)?,
                city: row.get(5)?,
                region: row.get(6)?,
                postal_code: row.get(7)?,
                country: row.get(8)?,
            },
            coordinates: latitude
                .zip(longitude)
                .map(|(latitude, longitude)| GeoPoint {
                    latitude,
                    longitude,
                }),
            special_instructions: row.get(11)?,
            bodies_of_water: Vec::new(),
            access: AccessDetails {
                gate_code: secret(22, "gate_code")?,
                lock_combination: secret(23, "lock_combination")?,
                alarm_code: secret(24, "alarm_code")?,
                key_location: row.get(12)?,
                pets: get_json(row, 13)?,
                hazards: get_json(row, 14)?,
                access_hours: get_json(row, 15)?,
                notes: row.get(16)?,
            },
            service_plan,
        },
    ))
}

/// The customer row's values, in the column order of `INSERT_CUSTOMER`
/// (`?1`..`?15`); `UPDATE_CUSTOMER` uses the same numbering (all but the
/// creation time) plus `?16`, the expected version.
fn customer_values(customer: &Customer) -> Result<Vec<SqlValue>> {
    let billing = &customer.billing;
    let text = |value: String| SqlValue::Text(value);
    let optional = |value: Option<String>| value.map_or(SqlValue::Null, SqlValue::Text);
    Ok(vec![
        text(customer.id.to_string()),
        text(customer.kind.as_str().to_owned()),
        text(customer.display_name.clone()),
        text(customer.status.as_str().to_owned()),
        optional(billing.address.as_ref().map(json).transpose()?),
        optional(billing.rate.map(|rate| rate.to_string())),
        text(billing.rate_basis.as_str().to_owned()),
        SqlValue::Integer(i64::from(billing.terms_days)),
        text(json(&customer.custom_fields)?),
        text(json(&customer.preferences)?),
        text(time(customer.created_at)),
        text(time(customer.updated_at)),
        optional(customer.archived_at.map(time)),
        SqlValue::Integer(customer.version),
        text(json(&billing.billed_skips)?),
    ])
}

const INSERT_CUSTOMER: &str = "INSERT INTO customers (id, kind, display_name, status, \
     billing_address, billing_rate, billing_rate_basis, billing_terms_days, custom_fields, \
     preferences, created_at, updated_at, archived_at, version, billing_skips) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";

/// Rewrites a customer's row under its version check. SQLite rewrites the
/// entry of every index whose column is set, changed or not, so the status
/// is set only by [`UPDATE_CUSTOMER_STATUS`], when it changed.
const UPDATE_CUSTOMER: &str = "UPDATE customers SET kind = ?2, display_name = ?3, \
     billing_address = ?5, billing_rate = ?6, billing_rate_basis = ?7, billing_terms_days = ?8, \
     custom_fields = ?9, preferences = ?10, updated_at = ?12, archived_at = ?13, version = ?14, \
     billing_skips = ?15 WHERE id = ?1 AND version = ?16";

/// [`UPDATE_CUSTOMER`] with the status.
const UPDATE_CUSTOMER_STATUS: &str = "UPDATE customers SET kind = ?2, display_name = ?3, \
     status = ?4, billing_address = ?5, billing_rate = ?6, billing_rate_basis = ?7, \
     billing_terms_days = ?8, custom_fields = ?9, preferences = ?10, updated_at = ?12, \
     archived_at = ?13, version = ?14, billing_skips = ?15 WHERE id = ?1 AND version = ?16";

/// Stores a new customer and everything on it.
pub fn insert(conn: &Connection, customer: &Customer) -> Result<()> {
    insert_indexed(conn, customer, &SearchDocument::of(customer))
}

/// Stores a new customer and everything on it, found in search by `document`.
pub fn insert_indexed(
    conn: &Connection,
    customer: &Customer,
    document: &SearchDocument,
) -> Result<()> {
    let values = customer_values(customer)?;
    conn.prepare_cached(INSERT_CUSTOMER)
        .and_then(|mut stmt| stmt.execute(params_from_iter(values)))
        .map_err(|error| match constraint(&error) {
            true => Error::invalid("id", "a customer with this id already exists"),
            false => super::codec::classify("storing a customer", error),
        })?;
    let seq = conn.last_insert_rowid();
    write_children(conn, customer, None)?;
    index_for_search(conn, seq, document, false)
}

/// Replaces `previous`, the stored customer at its version (otherwise a
/// conflict), with `customer`, writing only the rows that differ.
pub fn update(conn: &Connection, customer: &Customer, previous: &Customer) -> Result<()> {
    let expected_version = previous.version;
    let mut values = customer_values(customer)?;
    values.push(SqlValue::Integer(expected_version));
    let statement = if customer.status == previous.status {
        UPDATE_CUSTOMER
    } else {
        UPDATE_CUSTOMER_STATUS
    };
    let changed = conn
        .prepare_cached(statement)
        .and_then(|mut stmt| stmt.execute(params_from_iter(values)))
        .map_err(storage("updating a customer"))?;
    if changed == 0 {
        let actual: Option<i64> = conn
            .query_row(
                "SELECT version FROM customers WHERE id = ?1",
                [customer.id.to_string()],
                |row| row.get(0),
            )
            .optional()
            .map_err(storage("reading a customer's version"))?;
        return Err(match actual {
            None => Error::not_found(EntityKind::Customer, customer.id),
            Some(actual) => Error::Conflict {
                entity: EntityKind::Customer,
                id: customer.id.to_string(),
                expected: expected_version,
                actual,
            },
        });
    }
    write_children(conn, customer, Some(previous))?;
    let Some(document) = SearchDocument::changed(previous, customer) else {
        return Ok(());
    };
    let seq: i64 = conn
        .prepare_cached("SELECT seq FROM customers WHERE id = ?1")
        .and_then(|mut stmt| stmt.query_row([customer.id.to_string()], |row| row.get(0)))
        .map_err(storage("indexing a customer for search"))?;
    index_for_search(conn, seq, &document, true)
}

/// Moves a location from one customer to another.
pub fn move_location(
    conn: &Connection,
    id: LocationId,
    from: CustomerId,
    to: CustomerId,
) -> Result<()> {
    let moved = conn
        .execute(
            "UPDATE locations SET customer_id = ?3 WHERE id = ?1 AND customer_id = ?2",
            params![id.to_string(), from.to_string(), to.to_string()],
        )
        .map_err(storage("moving a location"))?;
    if moved == 0 {
        return Err(Error::invalid(
            "location_id",
            "does not belong to the customer it is moved from",
        ));
    }
    Ok(())
}

fn constraint(error: &rusqlite::Error) -> bool {
    error.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
}

/// Writes the tags, contacts, locations, secrets and bodies of water that
/// differ from `previous` (all of them for a new customer); archives the
/// ones the record no longer has.
fn write_children(
    conn: &Connection,
    customer: &Customer,
    previous: Option<&Customer>,
) -> Result<()> {
    let customer_id = customer.id.to_string();
    let at = time(customer.updated_at);
    let fail = storage("storing a customer's details");
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
            conn.prepare_cached("DELETE FROM customer_tags WHERE customer_id = ?1")
                .and_then(|mut stmt| stmt.execute([&customer_id]))
                .map_err(storage("storing tags"))?;
        }
        let mut insert_tag = conn
            .prepare_cached(
                "INSERT INTO customer_tags (customer_id, tag, position) VALUES (?1, ?2, ?3)",
            )
            .map_err(storage("storing tags"))?;
        for (position, tag) in customer.tags.iter().enumerate() {
            insert_tag
                .execute(params![customer_id, tag, position as i64])
                .map_err(storage("storing tags"))?;
        }
    }

    let old_contacts: HashMap<_, _> = before_contacts
        .iter()
        .enumerate()
        .map(|(position, contact)| (contact.id, (position, contact)))
        .collect();
    let mut upsert_contact = conn
        .prepare_cached(
            "INSERT INTO contacts (id, customer_id, position, name, role, is_primary, phones, \
             emails, consents, archived_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL) \
             ON CONFLICT (id) DO UPDATE SET position = excluded.position, name = excluded.name, \
             role = excluded.role, is_primary = excluded.is_primary, phones = excluded.phones, \
             emails = excluded.emails, consents = excluded.consents, archived_at = NULL \
             WHERE contacts.customer_id = excluded.customer_id",
        )
        .map_err(storage("storing contacts"))?;
    for (position, contact) in customer.contacts.iter().enumerate() {
        if old_contacts.get(&contact.id) == Some(&(position, contact)) {
            continue;
        }
        let written = upsert_contact
            .execute(params![
                contact.id.to_string(),
                customer_id,
                position as i64,
                contact.name,
                contact.role.as_str(),
                contact.primary,
                json(&contact.phones)?,
                json(&contact.emails)?,
                json(&contact.consents)?,
            ])
            .map_err(storage("storing contacts"))?;
        if written == 0 {
            return Err(taken("contacts", position));
        }
    }
    let kept = |id| customer.contacts.iter().any(|c| c.id == id);
    if before_contacts.iter().any(|c| !kept(c.id)) {
        let contact_ids = json(&customer.contacts.iter().map(|c| c.id).collect::<Vec<_>>())?;
        conn.prepare_cached(
            "UPDATE contacts SET archived_at = ?1 WHERE customer_id = ?2 AND archived_at IS NULL \
             AND id NOT IN (SELECT value FROM json_each(?3))",
        )
        .and_then(|mut stmt| stmt.execute(params![at, customer_id, contact_ids]))
        .map_err(storage("archiving removed contacts"))?;
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
    let mut upsert_location = conn
        .prepare_cached(
            "INSERT INTO locations (id, customer_id, position, label, address_line1, address_line2, \
             city, region, postal_code, country, latitude, longitude, special_instructions, \
             key_location, pets, hazards, access_hours, access_notes, plan_frequency, \
             plan_weekday, plan_technician_id, plan_starts_on, plan_ends_on, \
             plan_bills_chemicals, archived_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, \
             ?18, ?19, ?20, ?21, ?22, ?23, ?24, NULL) \
             ON CONFLICT (id) DO UPDATE SET position = excluded.position, label = excluded.label, \
             address_line1 = excluded.address_line1, address_line2 = excluded.address_line2, \
             city = excluded.city, region = excluded.region, postal_code = excluded.postal_code, \
             country = excluded.country, latitude = excluded.latitude, \
             longitude = excluded.longitude, special_instructions = excluded.special_instructions, \
             key_location = excluded.key_location, pets = excluded.pets, \
             hazards = excluded.hazards, access_hours = excluded.access_hours, \
             access_notes = excluded.access_notes, plan_frequency = excluded.plan_frequency, \
             plan_weekday = excluded.plan_weekday, plan_technician_id = excluded.plan_technician_id, \
             plan_starts_on = excluded.plan_starts_on, plan_ends_on = excluded.plan_ends_on, \
             plan_bills_chemicals = excluded.plan_bills_chemicals, \
             archived_at = NULL WHERE locations.customer_id = excluded.customer_id",
        )
        .map_err(storage("storing locations"))?;
    let mut upsert_secrets = conn
        .prepare_cached(
            "INSERT INTO location_secrets (location_id, gate_code, lock_combination, alarm_code) \
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT (location_id) DO UPDATE SET \
             gate_code = excluded.gate_code, lock_combination = excluded.lock_combination, \
             alarm_code = excluded.alarm_code",
        )
        .map_err(fail)?;
    let mut clear_plain_secrets = conn
        .prepare_cached("DELETE FROM location_secrets_plain WHERE location_id = ?1")
        .map_err(storage("storing access codes"))?;
    let mut upsert_body = conn
        .prepare_cached(
            "INSERT INTO bodies_of_water (id, location_id, position, name, kind, gallons, surface, \
             sanitizer, setting, equipment, archived_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL) \
             ON CONFLICT (id) DO UPDATE SET location_id = excluded.location_id, \
             position = excluded.position, name = excluded.name, kind = excluded.kind, \
             gallons = excluded.gallons, surface = excluded.surface, \
             sanitizer = excluded.sanitizer, setting = excluded.setting, \
             equipment = excluded.equipment, archived_at = NULL \
             WHERE (SELECT customer_id FROM locations WHERE id = bodies_of_water.location_id) = ?11",
        )
        .map_err(storage("storing bodies of water"))?;
    for (position, location) in customer.locations.iter().enumerate() {
        let location_id = location.id.to_string();
        let plan = location.service_plan.as_ref();
        let access = &location.access;
        let old = old_locations.get(&location.id);
        let row_unchanged = old.is_some_and(|&(old_position, old)| {
            old_position == position && same_row(old, location)
        });
        if !row_unchanged {
            let written = upsert_location
                .execute(params![
                    location_id,
                    customer_id,
                    position as i64,
                    location.label,
                    location.address.line1,
                    location.address.line2,
                    location.address.city,
                    location.address.region,
                    location.address.postal_code,
                    location.address.country,
                    location.coordinates.map(|point| point.latitude),
                    location.coordinates.map(|point| point.longitude),
                    location.special_instructions,
                    access.key_location,
                    json(&access.pets)?,
                    json(&access.hazards)?,
                    json(&access.access_hours)?,
                    access.notes,
                    plan.map(|plan| plan.frequency.as_str()),
                    plan.and_then(|plan| plan.preferred_weekday)
                        .map(|day| day.as_str()),
                    plan.and_then(|plan| plan.technician_id)
                        .map(|id| id.to_string()),
                    plan.map(|plan| day(plan.starts_on)),
                    plan.and_then(|plan| plan.ends_on).map(day),
                    plan.is_some_and(|plan| plan.bills_chemicals),
                ])
                .map_err(storage("storing locations"))?;
            if written == 0 {
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
            upsert_secrets
                .execute(params![
                    location_id,
                    sealed(&access.gate_code)?,
                    sealed(&access.lock_combination)?,
                    sealed(&access.alarm_code)?,
                ])
                .map_err(storage("storing access codes"))?;
            clear_plain_secrets
                .execute([&location_id])
                .map_err(storage("storing access codes"))?;
        }
        for (body_position, body) in location.bodies_of_water.iter().enumerate() {
            if old_bodies.get(&body.id) == Some(&(location.id, body_position, body)) {
                continue;
            }
            let written = upsert_body
                .execute(params![
                    body.id.to_string(),
                    location_id,
                    body_position as i64,
                    body.name,
                    body.kind.as_str(),
                    body.gallons,
                    body.surface.map(|surface| surface.as_str()),
                    body.sanitizer.as_str(),
                    body.setting.as_str(),
                    json(&body.equipment)?,
                    customer_id,
                ])
                .map_err(storage("storing bodies of water"))?;
            if written == 0 {
                return Err(Error::invalid(
                    format!("locations[{position}].bodies_of_water[{body_position}].id"),
                    "is already used by another customer",
                ));
            }
        }
    }
    let kept = |id| customer.locations.iter().any(|l| l.id == id);
    if before_locations.iter().any(|l| !kept(l.id)) {
        let location_ids = json(&customer.locations.iter().map(|l| l.id).collect::<Vec<_>>())?;
        conn.prepare_cached(
            "UPDATE locations SET archived_at = ?1 WHERE customer_id = ?2 AND archived_at IS NULL \
             AND id NOT IN (SELECT value FROM json_each(?3))",
        )
        .and_then(|mut stmt| stmt.execute(params![at, customer_id, location_ids]))
        .map_err(storage("archiving removed locations"))?;
    }
    let body_ids: Vec<_> = customer
        .locations
        .iter()
        .flat_map(|l| l.bodies_of_water.iter().map(|b| b.id))
        .collect();
    if old_bodies.keys().any(|id| !body_ids.contains(id)) {
        let body_ids = json(&body_ids)?;
        conn.prepare_cached(
            "UPDATE bodies_of_water SET archived_at = ?1 WHERE archived_at IS NULL \
             AND location_id IN (SELECT id FROM locations WHERE customer_id = ?2) \
             AND id NOT IN (SELECT value FROM json_each(?3))",
        )
        .and_then(|mut stmt| stmt.execute(params![at, customer_id, body_ids]))
        .map_err(storage("archiving removed bodies of water"))?;
    }
    Ok(())
}

/// Whether two versions of a location have the same `locations` row (all
/// but its bodies of water and access codes, which have rows of their own).
fn same_row(a: &ServiceLocation, b: &ServiceLocation) -> bool {
    let ServiceLocation {
        id,
        label,
        address,
        coordinates,
        special_instructions,
        bodies_of_water: _,
        access,
        service_plan,
    } = a;
    let AccessDetails {
        gate_code: _,
        lock_combination: _,
        alarm_code: _,
        key_location,
        pets,
        hazards,
        access_hours,
        notes,
    } = access;
    *id == b.id
        && *label == b.label
        && *address == b.address
        && *coordinates == b.coordinates
        && *special_instructions == b.special_instructions
        && *service_plan == b.service_plan
        && *key_location == b.access.key_location
        && *pets == b.access.pets
        && *hazards == b.access.hazards
        && *access_hours == b.access.access_hours
        && *notes == b.access.notes
}

/// Whether two versions of a location have the same access codes.
fn same_secrets(a: &AccessDetails, b: &AccessDetails) -> bool {
    a.gate_code == b.gate_code
        && a.lock_combination == b.lock_combination
        && a.alarm_code == b.alarm_code
}

/// Writes the customer's document into the full-text index at row `seq`,
/// replacing the one there when `replace`.
fn index_for_search(
    conn: &Connection,
    seq: i64,
    document: &SearchDocument,
    replace: bool,
) -> Result<()> {
    if replace {
        conn.prepare_cached("DELETE FROM customer_search WHERE rowid = ?1")
            .and_then(|mut stmt| stmt.execute([seq]))
            .map_err(storage("indexing a customer for search"))?;
    }
    conn.prepare_cached(
        "INSERT INTO customer_search (rowid, name, email, phone, phone_tail, address) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            seq,
            document.name,
            document.email,
            document.phone,
            document.phone_tail,
            document.address,
        ])
    })
    .map_err(storage("indexing a customer for search"))?;
    Ok(())
}
