//! A PostgreSQL database of its own for each test (features `testing` and
//! `postgres`), on the server `scripts/postgres start` runs and names in
//! `POOLBOOK_PG_URL`. The database is dropped when its guard is.

use crate::Book;

/// The environment variable naming the test server's admin database.
pub const SERVER_URL_VAR: &str = "POOLBOOK_PG_URL";

/// The environment variable naming the same database over TCP with TLS
/// (`sslmode=verify-full`, the test authority as `sslrootcert`).
pub const SERVER_TLS_URL_VAR: &str = "POOLBOOK_PG_TLS_URL";

/// A fresh, empty database, dropped (with any connection still open to it)
/// when this is dropped.
#[derive(Debug)]
pub struct TestDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl TestDatabase {
    /// Creates a database named `poolbook_test_<uuid>` on the test server.
    ///
    /// # Panics
    /// If `POOLBOOK_PG_URL` is not set (start the server with
    /// `eval "$(scripts/postgres start)"`) or the server refuses: a test
    /// that needs the server must not pass without it.
    pub fn create() -> Self {
        let admin_url = std::env::var(SERVER_URL_VAR).unwrap_or_else(|_| {
            panic!(
                "{SERVER_URL_VAR} is not set: start a test server with \
                 `eval \"$(scripts/postgres start)\"` (scripts/check does)"
            )
        });
        let name = format!("poolbook_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = postgres::Client::connect(&admin_url, postgres::NoTls)
            .unwrap_or_else(|error| panic!("connecting to {SERVER_URL_VAR}: {error}"));
        admin
            .batch_execute(&format!(
                "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"
            ))
            .unwrap_or_else(|error| panic!("creating test database {name}: {error}"));
        let url = database_url(&admin_url, &name);
        TestDatabase {
            admin_url,
            name,
            url,
        }
    }

    /// The database's connection URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's URL over TCP with TLS, as [`SERVER_TLS_URL_VAR`] names
    /// the server's.
    ///
    /// # Panics
    /// If `POOLBOOK_PG_TLS_URL` is not set (`scripts/postgres start` sets it).
    pub fn tls_url(&self) -> String {
        let server = std::env::var(SERVER_TLS_URL_VAR).unwrap_or_else(|_| {
            panic!("{SERVER_TLS_URL_VAR} is not set: start the test server with scripts/postgres")
        });
        database_url(&server, &self.name)
    }

    /// A plain connection to the database, for a test that reaches past
    /// the book (to break a rule on purpose and see it refused).
    ///
    /// # Panics
    /// If the server refuses the connection.
    pub fn connect(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls)
            .unwrap_or_else(|error| panic!("connecting to {}: {error}", self.name))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.admin_url, postgres::NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// `url` with its database name replaced by `name`.
pub fn database_url(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let (scheme, rest) = base.split_once("://").unwrap_or(("postgresql", base));
    let authority = rest
        .split_once('/')
        .map_or(rest, |(authority, _)| authority);
    match query {
        Some(query) => format!("{scheme}://{authority}/{name}?{query}"),
        None => format!("{scheme}://{authority}/{name}"),
    }
}

/// A book in a fresh database, with the guard that drops the database.
pub fn book() -> (Book, TestDatabase) {
    let database = TestDatabase::create();
    let book = Book::open(database.url()).expect("open a book on the test server");
    (book, database)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_keep_the_server_and_its_options() {
        assert_eq!(
            database_url("postgresql://postgres@/postgres?host=/tmp/pg", "b1"),
            "postgresql://postgres@/b1?host=/tmp/pg"
        );
        assert_eq!(
            database_url("postgres://u:p@db.example:5433/main", "b2"),
            "postgres://u:p@db.example:5433/b2"
        );
        assert_eq!(database_url("postgres://u@h", "b3"), "postgres://u@h/b3");
    }
}
