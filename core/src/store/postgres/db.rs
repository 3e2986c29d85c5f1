//! Connections to PostgreSQL: the r2d2 connection manager, each
//! connection's cache of prepared statements, the [`Db`] handle the store's
//! modules query through (a transaction or a single statement), and how a
//! PostgreSQL failure becomes the [`Error`] a caller acts on.

use std::collections::HashMap;

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::error::SqlState;
use postgres::types::{FromSqlOwned, ToSql, Type};
use postgres::{Client, Row, Statement, Transaction};

use super::tls::Tls;
use crate::{Error, Result};

/// One pooled connection and the statements already prepared on it.
pub struct Conn {
    /// The connection.
    pub client: Client,
    /// Prepared statements by their SQL text.
    pub statements: HashMap<String, Statement>,
}

/// Makes and checks pooled connections.
#[derive(Debug)]
pub struct Manager {
    /// Where to connect.
    pub config: postgres::Config,
    /// TLS, as the URL asked.
    pub tls: Tls,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Conn;
    type Error = postgres::Error;

    fn connect(&self) -> std::result::Result<Conn, postgres::Error> {
        let client = self.config.connect(self.tls.connect.clone())?;
        Ok(Conn {
            client,
            statements: HashMap::new(),
        })
    }

    fn is_valid(&self, conn: &mut Conn) -> std::result::Result<(), postgres::Error> {
        conn.client.simple_query("").map(|_| ())
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        conn.client.is_closed()
    }
}

/// What [`Db`] runs statements on.
enum Link<'a> {
    /// Autocommit: each statement on its own (a read that is one statement).
    Client(&'a mut Client),
    /// One transaction.
    Transaction(Transaction<'a>),
}

/// A connection, in a transaction or not, with its statement cache: every
/// query the store's modules run goes through it.
pub struct Db<'a> {
    link: Link<'a>,
    statements: &'a mut HashMap<String, Statement>,
}

/// Parameters of one statement.
pub type Params<'p> = [&'p (dyn ToSql + Sync)];

impl<'a> Db<'a> {
    /// Statements on their own, outside any transaction.
    pub fn autocommit(conn: &'a mut Conn) -> Self {
        Db {
            link: Link::Client(&mut conn.client),
            statements: &mut conn.statements,
        }
    }

    /// Statements inside `transaction`, which must be on `conn`'s client.
    pub fn in_transaction(
        transaction: Transaction<'a>,
        statements: &'a mut HashMap<String, Statement>,
    ) -> Self {
        Db {
            link: Link::Transaction(transaction),
            statements,
        }
    }

    /// Commits the transaction (nothing to do in autocommit).
    pub fn commit(self) -> std::result::Result<(), postgres::Error> {
        match self.link {
            Link::Client(_) => Ok(()),
            Link::Transaction(transaction) => transaction.commit(),
        }
    }

    /// The prepared statement for `sql`, prepared once per connection.
    fn statement(&mut self, sql: &str) -> std::result::Result<Statement, postgres::Error> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = match &mut self.link {
            Link::Client(client) => client.prepare(sql)?,
            Link::Transaction(transaction) => transaction.prepare(sql)?,
        };
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    /// Runs `sql` and returns its rows; `doing` names the work in errors.
    pub fn query(&mut self, doing: &str, sql: &str, params: &Params<'_>) -> Result<Vec<Row>> {
        let run = |db: &mut Self| {
            let statement = db.statement(sql)?;
            match &mut db.link {
                Link::Client(client) => client.query(&statement, params),
                Link::Transaction(transaction) => transaction.query(&statement, params),
            }
        };
        run(self).map_err(|error| classify(doing, error))
    }

    /// Runs `sql` and hands `each` its rows as they arrive, without holding
    /// them all (a journey scan reads millions).
    pub fn for_each(
        &mut self,
        doing: &str,
        sql: &str,
        params: &Params<'_>,
        mut each: impl FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        use postgres::fallible_iterator::FallibleIterator;
        let statement = self
            .statement(sql)
            .map_err(|error| classify(doing, error))?;
        let mut rows = match &mut self.link {
            Link::Client(client) => client.query_raw(&statement, params.iter().copied()),
            Link::Transaction(transaction) => {
                transaction.query_raw(&statement, params.iter().copied())
            }
        }
        .map_err(|error| classify(doing, error))?;
        while let Some(row) = rows.next().map_err(|error| classify(doing, error))? {
            each(&row)?;
        }
        Ok(())
    }

    /// Runs a binary `COPY … FROM STDIN` (`sql`) of columns of `types`,
    /// `write` handing over the rows; returns how many were copied.
    pub fn copy_in(
        &mut self,
        doing: &str,
        sql: &str,
        types: &[Type],
        write: impl FnOnce(&mut BinaryCopyInWriter<'_>) -> std::result::Result<(), postgres::Error>,
    ) -> Result<u64> {
        let writer = match &mut self.link {
            Link::Client(client) => client.copy_in(sql),
            Link::Transaction(transaction) => transaction.copy_in(sql),
        }
        .map_err(|error| classify(doing, error))?;
        let mut binary = BinaryCopyInWriter::new(writer, types);
        write(&mut binary).map_err(|error| classify(doing, error))?;
        binary.finish().map_err(|error| classify(doing, error))
    }

    /// Runs `sql` and returns its one row, if any.
    pub fn query_opt(
        &mut self,
        doing: &str,
        sql: &str,
        params: &Params<'_>,
    ) -> Result<Option<Row>> {
        let mut rows = self.query(doing, sql, params)?;
        if rows.len() > 1 {
            return Err(Error::storage(
                doing,
                std::io::Error::other("a query for one row returned several"),
            ));
        }
        Ok(rows.pop())
    }

    /// Runs `sql` and returns how many rows it changed.
    pub fn execute(&mut self, doing: &str, sql: &str, params: &Params<'_>) -> Result<u64> {
        self.execute_raw(sql, params)
            .map_err(|error| classify(doing, error))
    }

    /// Runs `sql`, handing back PostgreSQL's own error so the caller can
    /// tell a constraint apart.
    pub fn execute_raw(
        &mut self,
        sql: &str,
        params: &Params<'_>,
    ) -> std::result::Result<u64, postgres::Error> {
        let statement = self.statement(sql)?;
        match &mut self.link {
            Link::Client(client) => client.execute(&statement, params),
            Link::Transaction(transaction) => transaction.execute(&statement, params),
        }
    }

    /// Runs statements with no parameters and no rows (schema steps).
    pub fn batch(&mut self, doing: &str, sql: &str) -> Result<()> {
        match &mut self.link {
            Link::Client(client) => client.batch_execute(sql),
            Link::Transaction(transaction) => transaction.batch_execute(sql),
        }
        .map_err(|error| classify(doing, error))
    }

    /// Runs a statement that is not cached (one whose text is the caller's).
    pub fn query_uncached(
        &mut self,
        sql: &str,
        params: &Params<'_>,
    ) -> std::result::Result<(Statement, Vec<Row>), postgres::Error> {
        let statement = match &mut self.link {
            Link::Client(client) => client.prepare(sql)?,
            Link::Transaction(transaction) => transaction.prepare(sql)?,
        };
        let rows = match &mut self.link {
            Link::Client(client) => client.query(&statement, params)?,
            Link::Transaction(transaction) => transaction.query(&statement, params)?,
        };
        Ok((statement, rows))
    }

    /// Prepares a statement that is not cached, to learn its parameter types.
    pub fn prepare_uncached(
        &mut self,
        sql: &str,
    ) -> std::result::Result<Statement, postgres::Error> {
        match &mut self.link {
            Link::Client(client) => client.prepare(sql),
            Link::Transaction(transaction) => transaction.prepare(sql),
        }
    }

    /// Runs a prepared, uncached statement.
    pub fn query_prepared(
        &mut self,
        statement: &Statement,
        params: &Params<'_>,
    ) -> std::result::Result<Vec<Row>, postgres::Error> {
        match &mut self.link {
            Link::Client(client) => client.query(statement, params),
            Link::Transaction(transaction) => transaction.query(statement, params),
        }
    }
}

/// A statement built clause by clause, numbering its parameters.
pub struct Query<'p> {
    /// The statement so far.
    pub text: String,
    /// Its parameters, `$1` first.
    pub params: Vec<&'p (dyn ToSql + Sync)>,
}

impl<'p> Query<'p> {
    /// A statement starting with `text`.
    pub fn new(text: impl Into<String>) -> Self {
        Query {
            text: text.into(),
            params: Vec::new(),
        }
    }

    /// Adds a parameter the text already names (`$1`, …) in order.
    pub fn bind(&mut self, param: &'p (dyn ToSql + Sync)) {
        self.params.push(param);
    }

    /// Appends `clause`, its one `?` written as the next parameter's number.
    pub fn filter(&mut self, clause: &str, param: &'p (dyn ToSql + Sync)) {
        self.params.push(param);
        let number = format!("${}", self.params.len());
        self.text.push_str(&clause.replace('?', &number));
    }

    /// Appends text with no parameter.
    pub fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }
}

/// Reads column `index` of `row` as `T`; a value that does not decode is a
/// storage error naming the column.
pub fn get<T: FromSqlOwned>(row: &Row, index: usize) -> Result<T> {
    row.try_get(index).map_err(|error| {
        let column = row
            .columns()
            .get(index)
            .map_or("?", |column| column.name())
            .to_owned();
        Error::storage(format!("reading column {column}"), error)
    })
}

/// Reads a column stored as text and parsed with `FromStr` (enums, ids).
pub fn parsed<T>(row: &Row, index: usize) -> Result<T>
where
    T: std::str::FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let text: String = get(row, index)?;
    text.parse().map_err(|error| {
        let column = row.columns().get(index).map_or("?", |column| column.name());
        Error::storage(format!("reading column {column}"), error)
    })
}

/// Reads an optional column stored as text and parsed with `FromStr`.
pub fn opt_parsed<T>(row: &Row, index: usize) -> Result<Option<T>>
where
    T: std::str::FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let text: Option<String> = get(row, index)?;
    text.map(|text| {
        text.parse().map_err(|error| {
            let column = row.columns().get(index).map_or("?", |column| column.name());
            Error::storage(format!("reading column {column}"), error)
        })
    })
    .transpose()
}

/// Reads a `jsonb` column into `T`.
pub fn json<T: serde::de::DeserializeOwned>(row: &Row, index: usize) -> Result<T> {
    let value: postgres::types::Json<T> = get(row, index)?;
    Ok(value.0)
}

/// Reads an optional `jsonb` column into `T`.
pub fn opt_json<T: serde::de::DeserializeOwned>(row: &Row, index: usize) -> Result<Option<T>> {
    let value: Option<postgres::types::Json<T>> = get(row, index)?;
    Ok(value.map(|value| value.0))
}

/// Whether `error` is worth running the whole transaction again: a
/// serialization failure or a deadlock PostgreSQL broke.
pub fn retryable(error: &Error) -> bool {
    matches!(error, Error::Storage { source, .. }
    if source
        .downcast_ref::<postgres::Error>()
        .and_then(postgres::Error::code)
        .is_some_and(|code| {
            *code == SqlState::T_R_SERIALIZATION_FAILURE
                || *code == SqlState::T_R_DEADLOCK_DETECTED
        }))
}

/// The constraint a PostgreSQL error names, if any.
pub fn constraint(error: &postgres::Error) -> Option<&str> {
    error.as_db_error().and_then(|db| db.constraint())
}

/// The [`Error`] for a PostgreSQL failure while `doing`: a lock or
/// statement timeout is [`Error::Busy`], a read-only server or transaction
/// [`Error::ReadOnly`], anything else a storage failure with its cause.
pub fn classify(doing: &str, error: postgres::Error) -> Error {
    match error.code() {
        Some(code)
            if *code == SqlState::UNTRANSLATABLE_CHARACTER
                || *code == SqlState::CHARACTER_NOT_IN_REPERTOIRE =>
        {
            Error::invalid(
                "text",
                "contains a NUL character, which PostgreSQL cannot store",
            )
        }
        Some(code)
            if *code == SqlState::LOCK_NOT_AVAILABLE || *code == SqlState::QUERY_CANCELED =>
        {
            Error::Busy {
                doing: doing.to_owned(),
                waited_ms: 0,
            }
        }
        Some(code)
            if *code == SqlState::READ_ONLY_SQL_TRANSACTION
                || *code == SqlState::INSUFFICIENT_PRIVILEGE =>
        {
            Error::ReadOnly {
                doing: doing.to_owned(),
                cause: error
                    .as_db_error()
                    .map_or_else(|| error.to_string(), |db| db.message().to_owned()),
            }
        }
        _ => match error.as_db_error().map(|db| db.message().to_owned()) {
            // The server's own words: the client's Display says only "db error".
            Some(message) => Error::storage(format!("{doing}: {message}"), error),
            None => Error::storage(doing, error),
        },
    }
}

/// `error`'s words and those of every error under it: the client's own
/// Display names only the kind ("db error", "error performing TLS
/// handshake"), not what the server or the TLS check said.
pub fn explained(error: &postgres::Error) -> String {
    let mut words = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        words.push_str(": ");
        words.push_str(&inner.to_string());
        cause = inner.source();
    }
    words
}

/// A storage error's closure for `map_err`.
pub fn storage(doing: &'static str) -> impl FnOnce(postgres::Error) -> Error {
    move |error| classify(doing, error)
}
