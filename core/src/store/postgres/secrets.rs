//! Sealed secrets, the book's wrapped data key and the audit of reveals in
//! PostgreSQL (ADR 0006). Secrets arrive sealed and leave sealed: the
//! store never sees a key. A book on PostgreSQL has no plain-text codes.

use postgres::Row;
use uuid::Uuid;

use super::db::{Db, Query, get, parsed};
use crate::model::{Author, SecretField, SecretReveal, SecretRevealQuery};
use crate::store::{StoredKey, StoredSecret};
use crate::{Error, LocationId, Result, Secret};

/// Reveals returned when a query sets no limit.
const DEFAULT_LIMIT: u32 = 100;

/// The book's data key as stored, if it has one.
pub fn book_key(db: &mut Db<'_>) -> Result<Option<StoredKey>> {
    db.query_opt(
        "reading the book's key",
        "SELECT id, wrapped, salt, created_at FROM book_keys",
        &[],
    )?
    .map(|row| {
        Ok(StoredKey {
            id: get(&row, 0)?,
            wrapped: get(&row, 1)?,
            salt: get(&row, 2)?,
            created_at: get(&row, 3)?,
        })
    })
    .transpose()
}

/// Makes `key` the book's one data key.
pub fn put_key(db: &mut Db<'_>, key: &StoredKey) -> Result<()> {
    db.execute("storing the book's key", "DELETE FROM book_keys", &[])?;
    db.execute(
        "storing the book's key",
        "INSERT INTO book_keys (id, wrapped, salt, created_at) VALUES ($1, $2, $3, $4)",
        &[&key.id, &key.wrapped, &key.salt, &key.created_at],
    )?;
    Ok(())
}

/// Every sealed secret, by location.
pub fn sealed(db: &mut Db<'_>) -> Result<Vec<StoredSecret>> {
    let rows = db.query(
        "reading the secrets",
        "SELECT location_id, gate_code, lock_combination, alarm_code FROM location_secrets \
         ORDER BY location_id",
        &[],
    )?;
    let mut found = Vec::new();
    for row in rows {
        let location_id = LocationId::from(get::<Uuid>(&row, 0)?);
        for (index, field) in [
            (1, SecretField::GateCode),
            (2, SecretField::LockCombination),
            (3, SecretField::AlarmCode),
        ] {
            if let Some(blob) = get::<Option<Vec<u8>>>(&row, index)? {
                found.push(StoredSecret {
                    location_id,
                    field,
                    secret: Secret::sealed(blob),
                });
            }
        }
    }
    Ok(found)
}

/// Stores sealed secrets, one field each.
pub fn put_sealed(db: &mut Db<'_>, secrets: &[StoredSecret]) -> Result<()> {
    for stored in secrets {
        let Some(blob) = stored.secret.sealed_blob() else {
            return Err(unsealed());
        };
        let sql = match stored.field {
            SecretField::GateCode => {
                "INSERT INTO location_secrets (location_id, gate_code) VALUES ($1, $2) \
                 ON CONFLICT (location_id) DO UPDATE SET gate_code = excluded.gate_code"
            }
            SecretField::LockCombination => {
                "INSERT INTO location_secrets (location_id, lock_combination) VALUES ($1, $2) \
                 ON CONFLICT (location_id) DO UPDATE SET lock_combination = excluded.lock_combination"
            }
            SecretField::AlarmCode => {
                "INSERT INTO location_secrets (location_id, alarm_code) VALUES ($1, $2) \
                 ON CONFLICT (location_id) DO UPDATE SET alarm_code = excluded.alarm_code"
            }
        };
        db.execute(
            "storing sealed secrets",
            sql,
            &[&stored.location_id.as_uuid(), &blob],
        )?;
    }
    Ok(())
}

/// The error for a secret that reached the store without being sealed.
pub fn unsealed() -> Error {
    Error::Locked {
        doing: "storing a secret that was not sealed".to_owned(),
    }
}

/// Appends one reveal to the audit.
pub fn record_reveal(db: &mut Db<'_>, reveal: &SecretReveal) -> Result<()> {
    db.execute(
        "recording a reveal",
        "INSERT INTO secret_reveals (at, author_kind, author_id, location_id, customer_id, \
         field, reason, device) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &reveal.at,
            &reveal.author.kind.as_str(),
            &reveal.author.id,
            &reveal.location_id.as_uuid(),
            &reveal.customer_id.as_uuid(),
            &reveal.field.as_str(),
            &reveal.reason,
            &reveal.device,
        ],
    )?;
    Ok(())
}

/// The reveals `query` asks for, newest first.
pub fn reveals(db: &mut Db<'_>, query: &SecretRevealQuery) -> Result<Vec<SecretReveal>> {
    let mut sql = Query::new(String::from(
        "SELECT at, author_kind, author_id, location_id, customer_id, field, reason, device \
         FROM secret_reveals WHERE true",
    ));
    let location = query.location_id.map(|id| id.as_uuid());
    let limit = i64::from(query.limit.unwrap_or(DEFAULT_LIMIT));
    if let Some(location) = &location {
        sql.filter(" AND location_id = ?", location);
    }
    if let Some(author) = &query.author_id {
        sql.filter(" AND author_id = ?", author);
    }
    if let Some(from) = &query.from {
        sql.filter(" AND at >= ?", from);
    }
    if let Some(to) = &query.to {
        sql.filter(" AND at < ?", to);
    }
    sql.filter(" ORDER BY seq DESC LIMIT ?", &limit);
    db.query("reading the reveals", &sql.text, &sql.params)?
        .iter()
        .map(reveal_from_row)
        .collect()
}

/// Hands `visit` every reveal of the audit, oldest first, one at a time.
pub fn each_reveal(
    db: &mut Db<'_>,
    visit: &mut dyn FnMut(SecretReveal) -> Result<()>,
) -> Result<()> {
    db.for_each(
        "reading the reveals",
        "SELECT at, author_kind, author_id, location_id, customer_id, field, reason, device \
         FROM secret_reveals ORDER BY seq",
        &[],
        |row| visit(reveal_from_row(row)?),
    )
}

fn reveal_from_row(row: &Row) -> Result<SecretReveal> {
    Ok(SecretReveal {
        at: get(row, 0)?,
        author: Author {
            kind: parsed(row, 1)?,
            id: get(row, 2)?,
        },
        location_id: get::<Uuid>(row, 3)?.into(),
        customer_id: get::<Uuid>(row, 4)?.into(),
        field: parsed(row, 5)?,
        reason: get(row, 6)?,
        device: get(row, 7)?,
    })
}
