//! What is particular to the PostgreSQL store (issue 22), beyond the
//! conformance suite it shares with SQLite: calls from inside a tokio
//! runtime, the migration rules (a foreign database and a newer schema
//! refused, two processes creating one book at once), the change log and
//! reveal audit append-only by trigger, read-only SQL that cannot reach the
//! secrets, a read-only open, and a key rotation that leaves no old copy of
//! the sealed codes in the tables' files. Each test has a database of its own on
//! the server `scripts/postgres` runs.
#![cfg(feature = "postgres")]

use poolbook::testing::postgres::TestDatabase;
use poolbook::testing::unlocked;
use poolbook::{
    Address, Author, Book, CustomerKind, Error, NewCustomer, OpenOptions, PG_SCHEMA_VERSION,
    ServiceLocation, SqlValue,
};

fn office() -> Author {
    Author::office("dana")
}

fn with_gate_code(name: &str) -> NewCustomer {
    let mut home = ServiceLocation::new(Address::new("12 Palm Way", "Tampa", "FL", "33602", "US"));
    home.access.gate_code = Some(poolbook::Secret::new("4321#", "gate_code").unwrap());
    NewCustomer::new(CustomerKind::Residential, name).with_location(home)
}

#[test]
fn calls_from_inside_a_tokio_runtime_run_without_panicking() {
    let database = TestDatabase::create();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let found = runtime.block_on(async {
        let book = Book::open(database.url()).unwrap();
        let maria = book
            .create_customer(
                NewCustomer::new(CustomerKind::Residential, "Maria Lopez"),
                &office(),
            )
            .unwrap();
        assert_eq!(book.customer(maria.id).unwrap().display_name, "Maria Lopez");
        let funnel = book
            .funnel(&poolbook::FunnelDefinition::new(
                vec![
                    poolbook::FunnelStep::new("page_viewed"),
                    poolbook::FunnelStep::new("estimate_requested"),
                ],
                60,
            ))
            .unwrap();
        assert_eq!(funnel.new.steps[0].entered, 0);
        let hits = book.search_customers("maria", 5).unwrap();
        book.close().unwrap();
        hits
    });
    assert_eq!(found.len(), 1);
    // Dropped inside the runtime too.
    runtime.block_on(async {
        let book = Book::open(database.url()).unwrap();
        assert_eq!(book.search_customers("lopez", 5).unwrap().len(), 1);
        drop(book);
    });
}

#[test]
fn a_database_with_tables_of_its_own_is_refused() {
    let database = TestDatabase::create();
    database
        .connect()
        .batch_execute("CREATE TABLE invoices (id int PRIMARY KEY)")
        .unwrap();
    let error = Book::open(database.url()).unwrap_err();
    assert!(matches!(error, Error::NotABook { .. }), "{error}");
}

#[test]
fn a_book_from_a_newer_poolbook_is_refused_and_left_alone() {
    let database = TestDatabase::create();
    Book::open(database.url()).unwrap().close().unwrap();
    database
        .connect()
        .batch_execute("UPDATE poolbook_schema SET version = 99")
        .unwrap();
    let error = Book::open(database.url()).unwrap_err();
    assert!(
        matches!(error, Error::UnsupportedSchema { found: 99, supported } if supported == PG_SCHEMA_VERSION),
        "{error}"
    );
    let version: i64 = database
        .connect()
        .query_one("SELECT version FROM poolbook_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, 99);
}

#[test]
fn several_processes_creating_one_book_at_once_migrate_it_once() {
    let database = TestDatabase::create();
    let url = database.url().to_owned();
    let openers: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || Book::open(url.as_str()).map(|book| book.close()))
        })
        .collect();
    for opener in openers {
        opener.join().unwrap().unwrap().unwrap();
    }
    let version: i64 = database
        .connect()
        .query_one("SELECT version FROM poolbook_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, PG_SCHEMA_VERSION);
}

#[test]
fn the_change_log_and_the_reveal_audit_are_append_only() {
    let database = TestDatabase::create();
    let book = Book::open(database.url()).unwrap();
    let customer = unlocked(&book)
        .create_customer(with_gate_code("Maria Lopez"), &office())
        .unwrap();
    book.reveal_secret(
        customer.locations[0].id,
        poolbook::SecretField::GateCode,
        &office(),
        "gate check",
    )
    .unwrap();
    let mut client = database.connect();
    for statement in [
        "UPDATE change_log SET author_id = 'someone else'",
        "DELETE FROM change_log",
        "TRUNCATE change_log",
        "UPDATE secret_reveals SET reason = 'nothing'",
        "DELETE FROM secret_reveals",
    ] {
        let error = client.batch_execute(statement).unwrap_err();
        let message = error.as_db_error().map(|db| db.message().to_owned());
        assert!(
            message
                .as_deref()
                .is_some_and(|m| m.ends_with("is append-only")),
            "{statement}: {message:?}"
        );
    }
    let rows: i64 = client
        .query_one("SELECT count(*) FROM change_log", &[])
        .unwrap()
        .get(0);
    assert!(rows >= 2);
}

#[test]
fn sql_reads_the_tables_and_nothing_else() {
    let database = TestDatabase::create();
    let book = Book::open(database.url()).unwrap();
    unlocked(&book)
        .create_customer(with_gate_code("Zoë Ångström"), &office())
        .unwrap();
    let rows = book
        .sql(
            "SELECT display_name, version, billing_terms_days > $1 AS long_terms, created_at, id \
             FROM customers WHERE display_name = $2",
            vec![
                SqlValue::Integer { value: 10 },
                SqlValue::Text {
                    value: "Zoë Ångström".into(),
                },
            ],
        )
        .unwrap();
    assert_eq!(
        rows.columns,
        ["display_name", "version", "long_terms", "created_at", "id"]
    );
    assert_eq!(rows.rows.len(), 1);
    assert_eq!(
        rows.rows[0][..2],
        [
            SqlValue::Text {
                value: "Zoë Ångström".into()
            },
            SqlValue::Integer { value: 1 }
        ]
    );
    let SqlValue::Text { value: created } = &rows.rows[0][3] else {
        panic!("created_at as text: {:?}", rows.rows[0][3]);
    };
    assert_eq!(
        (created.len(), created.ends_with('Z')),
        (27, true),
        "{created}"
    );

    database
        .connect()
        .batch_execute("CREATE VIEW innocent AS SELECT * FROM location_secrets")
        .unwrap();
    for query in [
        "DELETE FROM customers",
        "UPDATE customers SET display_name = 'x'",
        "WITH gone AS (DELETE FROM customers RETURNING id) SELECT * FROM gone",
        "SELECT * FROM customers FOR UPDATE",
        "SELECT * FROM location_secrets",
        "SELECT * FROM public.\"book_keys\"",
        "SELECT * FROM innocent",
        "SELECT query_to_xml('select * from book' || '_keys', true, true, '')",
        "SELECT set_config('search_path', 'elsewhere', false)",
        "SELECT pg_advisory_lock(1)",
        "SELECT * FROM U&\"book\\005fkeys\"",
        "SET search_path = elsewhere",
        "CREATE TABLE x (id int)",
        "SELECT nextval('customers_seq_seq')",
        "SELEC nonsense",
        "SELECT * FROM no_such_table",
    ] {
        let error = book.sql(query, Vec::new()).unwrap_err();
        assert!(
            matches!(&error, Error::Invalid { field, .. } if field == "query"),
            "{query}: {error}"
        );
    }
    let error = book
        .sql(
            "SELECT $1::int",
            vec![SqlValue::Text {
                value: "twelve".into(),
            }],
        )
        .unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "params[0]"),
        "{error}"
    );
    // The connection the refused queries ran on is still a sound one.
    assert_eq!(book.search_customers("zoe", 5).unwrap().len(), 1);
    let rows = book
        .sql("SELECT count(*) FROM customers", Vec::new())
        .unwrap();
    assert_eq!(rows.rows, [[SqlValue::Integer { value: 1 }]]);
}

#[test]
fn a_book_opened_read_only_refuses_writes() {
    let database = TestDatabase::create();
    Book::open(database.url())
        .unwrap()
        .create_customer(
            NewCustomer::new(CustomerKind::Residential, "Maria Lopez"),
            &office(),
        )
        .unwrap();
    let options = OpenOptions {
        read_only: true,
        ..OpenOptions::default()
    };
    let book = Book::open_with(database.url(), &options).unwrap();
    assert_eq!(book.search_customers("maria", 5).unwrap().len(), 1);
    let error = book
        .create_customer(
            NewCustomer::new(CustomerKind::Residential, "Sam Lee"),
            &office(),
        )
        .unwrap_err();
    assert!(matches!(error, Error::ReadOnly { .. }), "{error}");
    assert!(book.check_integrity().unwrap().ok);
}

#[test]
fn a_bad_url_is_named_and_a_missing_server_is_a_storage_error() {
    let error = Book::open("postgresql://[bad").unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "url"),
        "{error}"
    );
    let dir = tempfile::tempdir().unwrap();
    let nowhere = format!(
        "postgresql://postgres:hunter2@/postgres?host={}",
        dir.path().display()
    );
    let error = Book::open(nowhere.as_str()).unwrap_err();
    assert!(matches!(error, Error::Storage { .. }), "{error}");
    assert!(
        !error.to_string().contains("hunter2"),
        "no password in {error}"
    );
}

#[test]
fn a_key_rotation_rewrites_the_secret_tables_leaving_no_old_copies() {
    let database = TestDatabase::create();
    let book = Book::open(database.url()).unwrap();
    let customer = unlocked(&book)
        .create_customer(with_gate_code("Maria Lopez"), &office())
        .unwrap();
    let filenodes = || -> (u32, u32) {
        let row = database
            .connect()
            .query_one(
                "SELECT pg_relation_filenode('location_secrets')::oid, \
                 pg_relation_filenode('book_keys')::oid",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    let before = filenodes();
    book.rotate_data_key(poolbook::testing::test_key_provider(), &office())
        .unwrap();
    let after = filenodes();
    assert_ne!(after.0, before.0, "location_secrets was rewritten");
    assert_ne!(after.1, before.1, "book_keys was rewritten");
    let location = customer.locations[0].id;
    assert_eq!(
        poolbook::testing::revealed(&book, location, poolbook::SecretField::GateCode).as_deref(),
        Some("4321#")
    );
}
