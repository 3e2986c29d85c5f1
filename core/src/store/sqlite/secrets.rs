//! Sealed secrets, the book's wrapped data key and the audit of reveals in
//! SQLite (schema step 5, ADR 0006). Plain-text codes from a book older than
//! sealing wait in `location_secrets_plain` until the book is first
//! unlocked; sealing deletes them.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::codec::{get_parsed, get_time, storage, time};
use crate::model::{Author, SecretField, SecretReveal, SecretRevealQuery};
use crate::store::{StoredKey, StoredSecret};
use crate::{Error, Result, Secret};

/// Reveals returned when a query sets no limit.
const DEFAULT_LIMIT: u32 = 100;

/// The book's data key as stored, if it has one.
pub fn book_key(conn: &Connection) -> Result<Option<StoredKey>> {
    conn.prepare_cached("SELECT id, wrapped, salt, created_at FROM book_keys")
        .and_then(|mut stmt| {
            stmt.query_row([], |row| {
                Ok(StoredKey {
                    id: row.get(0)?,
                    wrapped: row.get(1)?,
                    salt: row.get(2)?,
                    created_at: get_time(row, 3)?,
                })
            })
            .optional()
        })
        .map_err(storage("reading the book's key"))
}

/// Makes `key` the book's one data key.
pub fn put_key(conn: &Connection, key: &StoredKey) -> Result<()> {
    conn.execute("DELETE FROM book_keys", [])
        .and_then(|_| {
            conn.execute(
                "INSERT INTO book_keys (id, wrapped, salt, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![key.id, key.wrapped, key.salt, time(key.created_at)],
            )
        })
        .map_err(storage("storing the book's key"))?;
    Ok(())
}

/// Every secret still in plain text (a book from before sealing).
pub fn plain(conn: &Connection) -> Result<Vec<StoredSecret>> {
    read_all(conn, "location_secrets_plain", |value: String, field| {
        Secret::new(value, field.as_str())
    })
}

/// Every sealed secret.
pub fn sealed(conn: &Connection) -> Result<Vec<StoredSecret>> {
    read_all(conn, "location_secrets", |blob: Vec<u8>, _| {
        Ok(Secret::sealed(blob))
    })
}

fn read_all<T: rusqlite::types::FromSql>(
    conn: &Connection,
    table: &str,
    secret: impl Fn(T, SecretField) -> Result<Secret>,
) -> Result<Vec<StoredSecret>> {
    let sql = format!("SELECT location_id, gate_code, lock_combination, alarm_code FROM {table}");
    let rows = conn
        .prepare_cached(&sql)
        .and_then(|mut stmt| {
            stmt.query_map([], |row| {
                Ok((
                    get_parsed(row, 0)?,
                    row.get::<_, Option<T>>(1)?,
                    row.get::<_, Option<T>>(2)?,
                    row.get::<_, Option<T>>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(storage("reading the secrets"))?;
    let mut found = Vec::new();
    for (location_id, gate, lock, alarm) in rows {
        for (field, value) in [
            (SecretField::GateCode, gate),
            (SecretField::LockCombination, lock),
            (SecretField::AlarmCode, alarm),
        ] {
            if let Some(value) = value {
                found.push(StoredSecret {
                    location_id,
                    field,
                    secret: secret(value, field)?,
                });
            }
        }
    }
    Ok(found)
}

/// Stores sealed secrets, one field each, and deletes any plain-text copy
/// of the locations they belong to.
pub fn put_sealed(conn: &Connection, secrets: &[StoredSecret]) -> Result<()> {
    for stored in secrets {
        let Some(blob) = stored.secret.sealed_blob() else {
            return Err(unsealed());
        };
        let column = stored.field.as_str();
        let location = stored.location_id.to_string();
        conn.prepare_cached(&format!(
            "INSERT INTO location_secrets (location_id, {column}) VALUES (?1, ?2) \
             ON CONFLICT (location_id) DO UPDATE SET {column} = excluded.{column}"
        ))
        .and_then(|mut stmt| stmt.execute(params![location, blob]))
        .and_then(|_| {
            conn.prepare_cached("DELETE FROM location_secrets_plain WHERE location_id = ?1")?
                .execute([&location])
        })
        .map_err(storage("storing sealed secrets"))?;
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
pub fn record_reveal(conn: &Connection, reveal: &SecretReveal) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO secret_reveals (at, author_kind, author_id, location_id, customer_id, \
         field, reason, device) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            time(reveal.at),
            reveal.author.kind.as_str(),
            reveal.author.id,
            reveal.location_id.to_string(),
            reveal.customer_id.to_string(),
            reveal.field.as_str(),
            reveal.reason,
            reveal.device,
        ])
    })
    .map_err(storage("recording a reveal"))?;
    Ok(())
}

/// The reveals `query` asks for, newest first.
pub fn reveals(conn: &Connection, query: &SecretRevealQuery) -> Result<Vec<SecretReveal>> {
    let mut sql = String::from(
        "SELECT at, author_kind, author_id, location_id, customer_id, field, reason, device \
         FROM secret_reveals WHERE 1 = 1",
    );
    let mut args: Vec<SqlValue> = Vec::new();
    if let Some(location) = query.location_id {
        sql.push_str(" AND location_id = ?");
        args.push(location.to_string().into());
    }
    if let Some(author) = &query.author_id {
        sql.push_str(" AND author_id = ?");
        args.push(author.clone().into());
    }
    if let Some(from) = query.from {
        sql.push_str(" AND at >= ?");
        args.push(time(from).into());
    }
    if let Some(to) = query.to {
        sql.push_str(" AND at < ?");
        args.push(time(to).into());
    }
    sql.push_str(" ORDER BY seq DESC LIMIT ?");
    args.push(i64::from(query.limit.unwrap_or(DEFAULT_LIMIT)).into());
    conn.prepare_cached(&sql)
        .and_then(|mut stmt| {
            stmt.query_map(params_from_iter(args), reveal_from_row)?
                .collect()
        })
        .map_err(storage("reading the reveals"))
}

/// Hands `visit` every reveal of the audit, oldest first, one at a time.
pub fn each_reveal(
    conn: &Connection,
    visit: &mut dyn FnMut(SecretReveal) -> Result<()>,
) -> Result<()> {
    super::codec::each_row(
        conn,
        "SELECT at, author_kind, author_id, location_id, customer_id, field, reason, device \
         FROM secret_reveals ORDER BY seq",
        "reading the reveals",
        reveal_from_row,
        visit,
    )
}

fn reveal_from_row(row: &Row<'_>) -> rusqlite::Result<SecretReveal> {
    Ok(SecretReveal {
        at: get_time(row, 0)?,
        author: Author {
            kind: get_parsed(row, 1)?,
            id: row.get(2)?,
        },
        location_id: get_parsed(row, 3)?,
        customer_id: get_parsed(row, 4)?,
        field: get_parsed(row, 5)?,
        reason: row.get(6)?,
        device: row.get(7)?,
    })
}
