//! Read-only SQL over a book on PostgreSQL ([`crate::Book::sql`]): one
//! SELECT, WITH, VALUES or TABLE statement, run in a READ ONLY transaction
//! (so no write of any kind lands), refused if it names the tables holding
//! secrets or the book's key, if its plan reads them (through a view), or
//! if it calls a function that runs SQL text, reads server files or changes
//! the session (which would outlive the query on a pooled connection).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use postgres::error::SqlState;
use postgres::types::{Json, ToSql, Type};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::db::{Db, classify};
use crate::model::{MAX_SQL_CHARS, MAX_SQL_PARAMS, MAX_SQL_ROWS, SqlRows, SqlValue};
use crate::{Error, Result};

/// The tables that hold sealed secrets and the book's wrapped key.
const SECRET_TABLES: &[&str] = &["location_secrets", "book_keys"];

/// Names (and name prefixes) of functions a query may not call: ones that
/// run SQL given as text, read or list server files, signal other
/// sessions, take session locks or set session settings.
const REFUSED_FUNCTIONS: &[&str] = &[
    "query_to_xml",
    "cursor_to_xml",
    "table_to_xml",
    "schema_to_xml",
    "database_to_xml",
    "dblink",
    "set_config",
    "pg_advisory",
    "pg_try_advisory",
    "pg_read_",
    "pg_ls_",
    "pg_stat_file",
    "pg_file_",
    "lo_",
    "pg_terminate_backend",
    "pg_cancel_backend",
    "pg_reload_conf",
    "pg_rotate_logfile",
    "pg_notify",
    "pg_logical_",
    "pg_replication_",
    "pg_create_",
    "pg_drop_",
    "pg_switch_wal",
    "pg_backup_",
    "pg_import_system_collations",
];

/// Refuses a query or parameter list over the limits, before any connection.
pub fn check_size(query: &str, params: &[SqlValue]) -> Result<()> {
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
    Ok(())
}

/// Whether the query's text may run: a reading statement, no secret table,
/// no refused function. `Err` says why not.
fn screen(query: &str) -> Result<()> {
    let lower = query.to_lowercase();
    let first = lower
        .trim_start_matches(|c: char| c.is_whitespace() || c == '(')
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .next()
        .unwrap_or("");
    if !matches!(first, "select" | "with" | "values" | "table") {
        return Err(Error::invalid(
            "query",
            "may only read: SELECT, WITH, VALUES and TABLE queries, no writes, schema \
             changes, settings or transactions",
        ));
    }
    if lower.contains("u&") {
        return Err(Error::invalid(
            "query",
            "may not use Unicode-escaped identifiers or strings (U&)",
        ));
    }
    if let Some(table) = SECRET_TABLES.iter().find(|table| lower.contains(*table)) {
        return Err(secret_table(table));
    }
    let words = lower.split(|c: char| !c.is_alphanumeric() && c != '_');
    for word in words {
        if let Some(refused) = REFUSED_FUNCTIONS
            .iter()
            .find(|name| word.starts_with(*name))
        {
            return Err(Error::invalid(
                "query",
                format!(
                    "may not call {refused}…: it runs SQL text, reads server files or changes the session"
                ),
            ));
        }
    }
    Ok(())
}

fn secret_table(table: &str) -> Error {
    Error::invalid(
        "query",
        format!(
            "may not read {table}: it holds gate codes and other secrets or the book's key \
             (reveal a code with Book::reveal_secret, which is audited)"
        ),
    )
}

/// Runs the query in `db` (a READ ONLY transaction) and collects its rows.
pub fn run(db: &mut Db<'_>, query: &str, params: &[SqlValue]) -> Result<SqlRows> {
    screen(query)?;
    let explain = format!("EXPLAIN (FORMAT JSON, COSTS OFF) {query}");
    let statement = db.prepare_uncached(query).map_err(sql_error)?;
    if statement.params().len() != params.len() {
        return Err(Error::invalid(
            "params",
            format!(
                "gives {} values; the query takes {}",
                params.len(),
                statement.params().len()
            ),
        ));
    }
    let values = params
        .iter()
        .zip(statement.params())
        .enumerate()
        .map(|(index, (value, ty))| param(value, ty, index))
        .collect::<Result<Vec<_>>>()?;
    let bound: Vec<&(dyn ToSql + Sync)> = values.iter().map(|value| &**value).collect();
    let plan = db.query_uncached(&explain, &bound).map_err(sql_error)?.1;
    for row in &plan {
        let plan: Json<serde_json::Value> = row
            .try_get(0)
            .map_err(|error| classify("planning a SQL query", error))?;
        if let Some(table) = reads_secret(&plan.0) {
            return Err(secret_table(&table));
        }
    }
    let rows = db.query_prepared(&statement, &bound).map_err(sql_error)?;
    if rows.len() > MAX_SQL_ROWS {
        return Err(Error::invalid(
            "query",
            format!("returns more than {MAX_SQL_ROWS} rows; page it with LIMIT and a key"),
        ));
    }
    let columns: Vec<String> = statement
        .columns()
        .iter()
        .map(|column| column.name().to_owned())
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut cells = Vec::with_capacity(columns.len());
        for (index, column) in row.columns().iter().enumerate() {
            cells.push(cell(row, index, column.type_(), column.name())?);
        }
        out.push(cells);
    }
    Ok(SqlRows { columns, rows: out })
}

/// The first secret table a plan (EXPLAIN's JSON) reads, if any.
fn reads_secret(plan: &serde_json::Value) -> Option<String> {
    match plan {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(name)) = map.get("Relation Name")
                && SECRET_TABLES.contains(&name.as_str())
            {
                return Some(name.clone());
            }
            map.values().find_map(reads_secret)
        }
        serde_json::Value::Array(items) => items.iter().find_map(reads_secret),
        _ => None,
    }
}

/// A parameter as the type PostgreSQL inferred for it.
fn param(value: &SqlValue, ty: &Type, index: usize) -> Result<Box<dyn ToSql + Sync>> {
    let wrong = |what: &str| {
        Error::invalid(
            format!("params[{index}]"),
            format!("{what} cannot be used where the query takes {ty}"),
        )
    };
    let text_as = |text: &str| -> Result<Box<dyn ToSql + Sync>> {
        fn bad<E>(wrong: impl Fn(&str) -> Error) -> impl FnOnce(E) -> Error {
            move |_| wrong("this text")
        }
        Ok(match *ty {
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                Box::new(text.to_owned())
            }
            Type::UUID => Box::new(Uuid::parse_str(text).map_err(bad(wrong))?),
            Type::TIMESTAMPTZ => Box::new(
                DateTime::parse_from_rfc3339(text)
                    .map_err(bad(wrong))?
                    .with_timezone(&Utc),
            ),
            Type::DATE => {
                Box::new(NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(bad(wrong))?)
            }
            Type::NUMERIC => Box::new(text.parse::<Decimal>().map_err(bad(wrong))?),
            Type::INT8 => Box::new(text.parse::<i64>().map_err(bad(wrong))?),
            Type::INT4 => Box::new(text.parse::<i32>().map_err(bad(wrong))?),
            Type::FLOAT8 => Box::new(text.parse::<f64>().map_err(bad(wrong))?),
            Type::BOOL => Box::new(text.parse::<bool>().map_err(bad(wrong))?),
            Type::JSON | Type::JSONB => Box::new(Json(
                serde_json::from_str::<serde_json::Value>(text).map_err(bad(wrong))?,
            )),
            _ => return Err(wrong("text")),
        })
    };
    Ok(match value {
        SqlValue::Null => Box::new(Null),
        SqlValue::Integer { value } => match *ty {
            Type::INT8 => Box::new(*value),
            Type::INT4 => Box::new(i32::try_from(*value).map_err(|_| wrong("this integer"))?),
            Type::INT2 => Box::new(i16::try_from(*value).map_err(|_| wrong("this integer"))?),
            Type::FLOAT8 => Box::new(*value as f64),
            Type::NUMERIC => Box::new(Decimal::from(*value)),
            Type::BOOL => Box::new(*value != 0),
            Type::TEXT | Type::VARCHAR | Type::UNKNOWN => Box::new(value.to_string()),
            _ => return Err(wrong("an integer")),
        },
        SqlValue::Real { value } => match *ty {
            Type::FLOAT8 => Box::new(*value),
            Type::FLOAT4 => Box::new(*value as f32),
            Type::NUMERIC => Box::new(Decimal::try_from(*value).map_err(|_| wrong("this number"))?),
            _ => return Err(wrong("a real number")),
        },
        SqlValue::Text { value } => text_as(value)?,
        SqlValue::Blob { value } => match *ty {
            Type::BYTEA => Box::new(value.clone()),
            _ => return Err(wrong("a blob")),
        },
    })
}

/// SQL NULL, accepted as any type.
#[derive(Debug)]
struct Null;

impl ToSql for Null {
    fn to_sql(
        &self,
        _ty: &Type,
        _out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>>
    {
        Ok(postgres::types::IsNull::Yes)
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// One result cell as a [`SqlValue`]: numbers as numbers, booleans as 0/1
/// (as SQLite has them), decimals, ids, times and JSON as text (times in
/// the form the SQLite store keeps), bytes as a blob.
fn cell(row: &postgres::Row, index: usize, ty: &Type, name: &str) -> Result<SqlValue> {
    let fail = |error| classify("reading a SQL query's rows", error);
    macro_rules! read {
        ($t:ty, $f:expr) => {
            row.try_get::<_, Option<$t>>(index)
                .map_err(fail)?
                .map_or(SqlValue::Null, $f)
        };
    }
    Ok(match *ty {
        Type::BOOL => read!(bool, |v| SqlValue::Integer {
            value: i64::from(v)
        }),
        Type::INT2 => read!(i16, |v| SqlValue::Integer {
            value: i64::from(v)
        }),
        Type::INT4 => read!(i32, |v| SqlValue::Integer {
            value: i64::from(v)
        }),
        Type::INT8 => read!(i64, |value| SqlValue::Integer { value }),
        Type::OID => read!(u32, |v| SqlValue::Integer {
            value: i64::from(v)
        }),
        Type::FLOAT4 => read!(f32, |v| SqlValue::Real {
            value: f64::from(v)
        }),
        Type::FLOAT8 => read!(f64, |value| SqlValue::Real { value }),
        Type::NUMERIC => read!(Decimal, |v| SqlValue::Text {
            value: v.to_string()
        }),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
            read!(String, |value| SqlValue::Text { value })
        }
        Type::UUID => read!(Uuid, |v| SqlValue::Text {
            value: v.to_string()
        }),
        Type::TIMESTAMPTZ => read!(DateTime<Utc>, |v| SqlValue::Text {
            value: v.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
        }),
        Type::TIMESTAMP => read!(NaiveDateTime, |v| SqlValue::Text {
            value: v.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
        }),
        Type::DATE => read!(NaiveDate, |v| SqlValue::Text {
            value: v.format("%Y-%m-%d").to_string()
        }),
        Type::JSON | Type::JSONB => read!(Json<serde_json::Value>, |v| SqlValue::Text {
            value: v.0.to_string()
        }),
        Type::BYTEA => read!(Vec<u8>, |value| SqlValue::Blob { value }),
        Type::TEXT_ARRAY | Type::VARCHAR_ARRAY => {
            read!(Vec<Option<String>>, |v| SqlValue::Text {
                value: serde_json::Value::from(v).to_string()
            })
        }
        _ => {
            return Err(Error::invalid(
                "query",
                format!(
                    "column {name} has type {ty}, which poolbook does not return; cast it to text"
                ),
            ));
        }
    })
}

/// A query's own mistakes (syntax, an unknown table or column, a write in
/// the read-only transaction) are the caller's, named as `query`; the
/// server's troubles keep their kinds.
fn sql_error(error: postgres::Error) -> Error {
    let Some(code) = error.code() else {
        return classify("running a SQL query", error);
    };
    let class = &code.code()[..2];
    if *code == SqlState::READ_ONLY_SQL_TRANSACTION {
        return Error::invalid("query", "may only read");
    }
    if matches!(class, "42" | "22" | "0A" | "2F" | "P0") {
        let message = error
            .as_db_error()
            .map_or_else(|| error.to_string(), |db| db.message().to_owned());
        return Error::invalid("query", message);
    }
    classify("running a SQL query", error)
}
