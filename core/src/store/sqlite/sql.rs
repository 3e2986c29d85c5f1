//! Read-only SQL through the book's own connection ([`crate::Book::sql`]):
//! one statement, compiled under an authorizer that lets it read tables and
//! call functions and refuses everything else (writes, schema changes,
//! ATTACH, transactions, pragmas that set anything) and any read of the
//! tables holding secrets or the book's key.

use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::types::ValueRef;

use super::codec::classify;
use crate::model::{MAX_SQL_CHARS, MAX_SQL_PARAMS, MAX_SQL_ROWS, SqlRows, SqlValue};
use crate::{Error, Result};

/// The tables that hold gate codes and other secrets (sealed, or plain in a
/// book not yet unlocked since sealing came) and the book's wrapped key.
const SECRET_TABLES: &[&str] = &["location_secrets", "location_secrets_plain", "book_keys"];

/// Pragmas that take an argument and still only read (the schema's shape).
const READING_PRAGMAS: &[&str] = &[
    "table_info",
    "table_xinfo",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
];

/// Checks the query's size, then runs it on `conn` in one read
/// transaction (begun before the authorizer is set, which refuses
/// transactions) under the authorizer, which is removed again before the
/// connection goes back to its pool.
pub fn run(conn: &mut Connection, query: &str, params: &[SqlValue]) -> Result<SqlRows> {
    if query.chars().count() > MAX_SQL_CHARS {
        return Err(Error::invalid(
            "query",
            format!("is longer than {MAX_SQL_CHARS} characters"),
        ));
    }
    if query.contains('\0') {
        return Err(Error::invalid("query", "contains a NUL character"));
    }
    if params.len() > MAX_SQL_PARAMS {
        return Err(Error::invalid(
            "params",
            format!(
                "has {} items; at most {MAX_SQL_PARAMS} are taken",
                params.len()
            ),
        ));
    }
    conn.execute_batch("BEGIN")
        .map_err(|error| classify("starting a read", error))?;
    let refused = Arc::new(Mutex::new(None::<String>));
    let noted = Arc::clone(&refused);
    let outcome = conn
        .authorizer(Some(move |context: AuthContext<'_>| {
            let verdict = authorize(&context.action);
            if let Err(reason) = &verdict {
                *noted.lock().unwrap_or_else(|p| p.into_inner()) = Some(reason.clone());
            }
            verdict.map_or(Authorization::Deny, |()| Authorization::Allow)
        }))
        .map_err(|error| classify("preparing a SQL query", error))
        .and_then(|()| rows(conn, query, params));
    let cleared = conn.authorizer(None::<fn(AuthContext<'_>) -> Authorization>);
    let ended = conn.execute_batch("ROLLBACK");
    let outcome = outcome.map_err(|error| match refused.lock().map(|r| r.clone()) {
        Ok(Some(reason)) => Error::invalid("query", reason),
        _ => error,
    });
    cleared.map_err(|error| classify("finishing a SQL query", error))?;
    ended.map_err(|error| classify("finishing a read", error))?;
    outcome
}

/// Whether a query may do `action`: `Err` says why not.
fn authorize(action: &AuthAction<'_>) -> std::result::Result<(), String> {
    match action {
        AuthAction::Read { table_name, .. }
            if SECRET_TABLES
                .iter()
                .any(|secret| table_name.eq_ignore_ascii_case(secret)) =>
        {
            Err(format!(
                "may not read {table_name}: it holds gate codes and other secrets or the \
                 book's key (reveal a code with Book::reveal_secret, which is audited)"
            ))
        }
        AuthAction::Select
        | AuthAction::Read { .. }
        | AuthAction::Function { .. }
        | AuthAction::Recursive => Ok(()),
        AuthAction::Pragma {
            pragma_name,
            pragma_value,
        } if pragma_value.is_none()
            || READING_PRAGMAS.contains(&pragma_name.to_ascii_lowercase().as_str()) =>
        {
            Ok(())
        }
        AuthAction::Pragma { pragma_name, .. } => Err(format!(
            "may only read pragmas; PRAGMA {pragma_name} with a value is refused"
        )),
        _ => Err(
            "may only read: SELECT and WITH queries, no writes, schema changes, \
                  ATTACH or transactions"
                .to_owned(),
        ),
    }
}

/// Runs the one statement in `query` and collects its rows.
fn rows(conn: &Connection, query: &str, params: &[SqlValue]) -> Result<SqlRows> {
    let fail = |error| sql_error(error);
    let mut stmt = conn.prepare(query).map_err(fail)?;
    if !stmt.readonly() {
        return Err(Error::invalid("query", "may only read"));
    }
    let columns: Vec<String> = stmt.column_names().map(str::to_owned).collect();
    let values = params.iter().map(|param| match param {
        SqlValue::Null => rusqlite::types::Value::Null,
        SqlValue::Integer { value } => rusqlite::types::Value::Integer(*value),
        SqlValue::Real { value } => rusqlite::types::Value::Real(*value),
        SqlValue::Text { value } => rusqlite::types::Value::Text(value.clone()),
        SqlValue::Blob { value } => rusqlite::types::Value::Blob(value.clone()),
    });
    let mut found = stmt
        .query(rusqlite::params_from_iter(values))
        .map_err(fail)?;
    let mut rows = Vec::new();
    while let Some(row) = found.next().map_err(fail)? {
        if rows.len() == MAX_SQL_ROWS {
            return Err(Error::invalid(
                "query",
                format!("returns more than {MAX_SQL_ROWS} rows; page it with LIMIT and a key"),
            ));
        }
        let mut cells = Vec::with_capacity(columns.len());
        for index in 0..columns.len() {
            cells.push(match row.get_ref(index).map_err(fail)? {
                ValueRef::Null => SqlValue::Null,
                ValueRef::Integer(value) => SqlValue::Integer { value },
                ValueRef::Real(value) => SqlValue::Real { value },
                ValueRef::Text(text) => SqlValue::Text {
                    value: String::from_utf8_lossy(text).into_owned(),
                },
                ValueRef::Blob(bytes) => SqlValue::Blob {
                    value: bytes.to_vec(),
                },
            });
        }
        rows.push(cells);
    }
    Ok(SqlRows { columns, rows })
}

/// A query's own mistakes (syntax, an unknown table, the wrong number of
/// parameters) are the caller's, named as `query`; the book's troubles
/// (busy, damaged) keep their kinds.
fn sql_error(error: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode;
    match &error {
        rusqlite::Error::SqliteFailure(failure, message)
            if matches!(
                failure.code,
                ErrorCode::Unknown
                    | ErrorCode::AuthorizationForStatementDenied
                    | ErrorCode::TypeMismatch
            ) || failure.code == ErrorCode::ApiMisuse =>
        {
            Error::invalid(
                "query",
                message.clone().unwrap_or_else(|| failure.to_string()),
            )
        }
        rusqlite::Error::SqlInputError { msg, offset, .. } => {
            Error::invalid("query", format!("{msg} (at offset {offset})"))
        }
        rusqlite::Error::MultipleStatement => Error::invalid("query", "must be one statement"),
        rusqlite::Error::InvalidParameterCount(given, wanted) => Error::invalid(
            "params",
            format!("gives {given} values; the query takes {wanted}"),
        ),
        _ => classify("running a SQL query", error),
    }
}
