//! What is particular to the PostgreSQL store (issue 22), beyond the
//! conformance suite it shares with SQLite: calls from inside a tokio
//! runtime, the migration rules (a foreign database and a newer schema
//! refused, two processes creating one book at once), the change log and
//! reveal audit append-only by trigger, read-only SQL that cannot reach the
//! secrets, a read-only open, a key rotation that leaves no old copy of
//! the sealed codes in the tables' files, a book from step 1 back-filled
//! with its operations' touchpoints (issue 17), and billing's columns
//! through every way customers are written (one, a batch, a binary-COPY
//! batch, an update), and TLS as libpq's `sslmode` and `sslrootcert` ask.
//! Each test has a database of its own on the server `scripts/postgres`
//! runs (which admits TCP connections only over TLS).
#![cfg(feature = "postgres")]

use poolbook::testing::postgres::TestDatabase;
use poolbook::testing::unlocked;
use poolbook::{
    Actor, Address, Author, Book, CustomerKind, CustomerPatch, Direction, Error, Frequency,
    Invoice, InvoiceLine, JourneyChannel, LifecycleStatus, NewCustomer, OpenOptions,
    PG_SCHEMA_VERSION, Payment, PaymentMethod, ServiceLocation, ServicePlan, SkipReason, SqlValue,
    Touchpoint, TouchpointQuery,
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

/// The database's TLS URL with its `sslmode` and `sslrootcert` replaced by
/// `tls` (`&`-joined query parameters, or empty for none).
fn tls_url_with(database: &TestDatabase, tls: &str) -> String {
    let url = database.tls_url();
    let (base, query) = url.split_once('?').expect("the TLS URL has a query");
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.starts_with("sslmode=") && !pair.starts_with("sslrootcert="))
        .chain(tls.split('&').filter(|pair| !pair.is_empty()))
        .collect();
    format!("{base}?{}", kept.join("&"))
}

/// The test authority's certificate file, as the TLS URL names it.
fn test_authority(database: &TestDatabase) -> String {
    let url = database.tls_url();
    url.split('&')
        .find_map(|pair| pair.strip_prefix("sslrootcert="))
        .expect("the TLS URL names its root")
        .to_owned()
}

#[test]
fn a_book_over_tls_checks_the_certificate_as_sslmode_asks() {
    let database = TestDatabase::create();
    let root = test_authority(&database);
    // The server refuses TCP without TLS, so every open that works is
    // encrypted: verify-full (chain and name), verify-ca, require, prefer.
    let maria = {
        let book = Book::open(database.tls_url().as_str()).unwrap();
        unlocked(&book)
            .create_customer(with_gate_code("Maria Lopez"), &office())
            .unwrap()
    };
    for tls in [
        format!("sslmode=verify-ca&sslrootcert={root}"),
        format!("sslmode=require&sslrootcert={root}"),
        "sslmode=require".to_owned(),
        "sslmode=prefer".to_owned(),
        String::new(),
    ] {
        let book = Book::open(tls_url_with(&database, &tls).as_str())
            .unwrap_or_else(|error| panic!("{tls:?}: {error}"));
        assert_eq!(
            book.customer(maria.id).unwrap().display_name,
            "Maria Lopez",
            "{tls:?}"
        );
    }
    let error = Book::open(tls_url_with(&database, "sslmode=disable").as_str()).unwrap_err();
    assert!(
        matches!(error, Error::Storage { .. }) && error.to_string().contains("no encryption"),
        "without TLS the server refuses: {error}"
    );
}

#[test]
fn a_certificate_that_fails_its_check_fails_the_open() {
    let database = TestDatabase::create();
    let root = test_authority(&database);
    // The system's roots do not include the test authority.
    let error = Book::open(tls_url_with(&database, "sslmode=verify-full").as_str()).unwrap_err();
    assert!(
        matches!(error, Error::Storage { .. }) && error.to_string().contains("UnknownIssuer"),
        "an unknown authority: {error}"
    );
    // The certificate names localhost, not 127.0.0.1: verify-full refuses
    // the address, verify-ca (the chain only) accepts it.
    let by_address =
        |tls: &str| tls_url_with(&database, tls).replacen("@localhost:", "@127.0.0.1:", 1);
    let error = Book::open(by_address(&format!("sslmode=verify-full&sslrootcert={root}")).as_str())
        .unwrap_err();
    assert!(
        error.to_string().contains("certificate not valid for name"),
        "a certificate for another name: {error}"
    );
    Book::open(by_address(&format!("sslmode=verify-ca&sslrootcert={root}")).as_str()).unwrap();
    for (tls, named) in [
        (
            "sslmode=verify-full&sslrootcert=/nonexistent/ca.crt",
            "sslrootcert /nonexistent/ca.crt",
        ),
        ("sslmode=verify-everything", "sslmode \"verify-everything\""),
    ] {
        let error = Book::open(tls_url_with(&database, tls).as_str()).unwrap_err();
        assert!(
            matches!(&error, Error::Invalid { field, problem, .. }
                if field == "url" && problem.contains(named)),
            "{tls}: {error:?}"
        );
    }
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

/// The indexes and touchpoint columns of a database, in a fixed order.
fn schema_of(database: &TestDatabase) -> Vec<String> {
    let mut client = database.connect();
    let mut found: Vec<String> = client
        .query(
            "SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = 'public' \
             ORDER BY indexname",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    found.extend(
        client
            .query(
                "SELECT column_name || ' ' || data_type FROM information_schema.columns \
                 WHERE table_name = 'touchpoints' ORDER BY ordinal_position",
                &[],
            )
            .unwrap()
            .iter()
            .map(|row| row.get::<_, String>(0)),
    );
    found
}

#[test]
fn a_book_from_step_1_is_back_filled_once_without_doubling_its_touchpoints() {
    use chrono::{Duration, NaiveDate, TimeZone, Utc};
    use rust_decimal::Decimal;

    let database = TestDatabase::create();
    let (customer, payment, invoice) = {
        let book = Book::open(database.url()).unwrap();
        let mut new = NewCustomer::new(CustomerKind::Residential, "Old Timer");
        new.status = LifecycleStatus::Lead;
        let customer = book.create_customer(new, &office()).unwrap();
        let customer = book
            .update_customer(
                customer.id,
                customer.version,
                CustomerPatch {
                    status: Some(LifecycleStatus::Active),
                    ..CustomerPatch::default()
                },
                &office(),
            )
            .unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let invoice = book
            .add_invoice(
                Invoice::new(
                    customer.id,
                    "1001",
                    day,
                    day + Duration::days(15),
                    vec![InvoiceLine::new(
                        "service",
                        Decimal::ONE,
                        Decimal::new(18500, 2),
                    )],
                ),
                &office(),
            )
            .unwrap();
        // A payment_made recorded by the caller before the payment: the
        // back-fill links it rather than writing a second.
        let described = Touchpoint::by_customer(
            customer.id,
            Utc.with_ymd_and_hms(2026, 3, 2, 15, 0, 0).unwrap(),
            JourneyChannel::Portal,
            Direction::Inbound,
            Actor::Customer,
            "payment_made",
        );
        book.record_touchpoints(vec![described], &office()).unwrap();
        let payment = book
            .record_payment(
                Payment::new(
                    customer.id,
                    day,
                    Decimal::new(18500, 2),
                    PaymentMethod::Card,
                )
                .applied_to(invoice.id, Decimal::new(18500, 2)),
                &office(),
            )
            .unwrap();
        book.close().unwrap();
        (customer, payment, invoice)
    };
    let fresh = schema_of(&database);
    // Turn the database back into a step-1 book: no operation touchpoints,
    // no entry links, the old journey index, nothing of steps 3 to 7.
    database
        .connect()
        .batch_execute(
            "DELETE FROM touchpoints WHERE source_system = 'poolbook';
             DROP INDEX touchpoints_by_entry; DROP INDEX touchpoints_by_action;
             DROP INDEX touchpoints_by_time; DROP INDEX touchpoints_by_person;
             ALTER TABLE touchpoints DROP COLUMN entry_id, DROP COLUMN archived_at;
             CREATE INDEX touchpoints_by_person ON touchpoints (
                 (coalesce(customer_id::text, 'v:' || visitor_id) COLLATE \"C\"), at, id);
             DELETE FROM settings WHERE key = 'operations_backfill';
             DROP TABLE outbox;
             DROP INDEX history_by_kind_at; DROP TABLE billed_items;
             ALTER TABLE customers DROP COLUMN billing_skips;
             ALTER TABLE locations DROP COLUMN plan_bills_chemicals;
             DROP TABLE customer_merges, duplicate_decisions;
             DROP TABLE import_batches, import_keys, import_mappings;
             DROP INDEX customer_search_words;
             CREATE INDEX customer_search_names ON customer_search USING gin (name gin_trgm_ops);
             UPDATE poolbook_schema SET version = 1;",
        )
        .unwrap();
    let left: i64 = database
        .connect()
        .query_one("SELECT count(*) FROM touchpoints", &[])
        .unwrap()
        .get(0);
    assert_eq!(left, 1, "only the caller's payment_made");

    let journey = |book: &Book| {
        let mut found: Vec<(String, Option<poolbook::EntryId>)> = book
            .touchpoints(&TouchpointQuery {
                customer_id: Some(customer.id),
                ..TouchpointQuery::default()
            })
            .unwrap()
            .into_iter()
            .map(|t| (t.action, t.entry_id))
            .collect();
        found.sort();
        found
    };
    let expected = vec![
        ("converted".to_owned(), None),
        ("customer_created".to_owned(), None),
        ("invoice_sent".to_owned(), Some(invoice.id)),
        ("payment_made".to_owned(), Some(payment.id)),
    ];
    let book = Book::open(database.url()).unwrap();
    assert_eq!(journey(&book), expected, "back-filled; the payment linked");
    book.close().unwrap();
    // Opening again adds nothing.
    let book = Book::open(database.url()).unwrap();
    assert_eq!(journey(&book), expected);
    let log = book
        .change_log(&poolbook::ChangeLogQuery {
            entity: Some(poolbook::EntityKind::Setting),
            entity_id: Some("operations_backfill".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(log.len(), 1, "one back-fill, logged by poolbook itself");
    assert_eq!(log[0].author, Author::system());
    assert_eq!(log[0].changes[0].after, serde_json::json!(4));
    book.close().unwrap();
    assert_eq!(schema_of(&database), fresh, "the fresh schema");
    let version: i64 = database
        .connect()
        .query_one("SELECT version FROM poolbook_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, PG_SCHEMA_VERSION);
}

/// A customer whose rate charges locked-gate and dog-out skips, on a plan
/// billing the chemicals added.
fn billed_with_chemicals(name: &str) -> NewCustomer {
    let starts = chrono::NaiveDate::from_ymd_opt(2026, 1, 6).unwrap();
    let home = ServiceLocation::new(Address::new("12 Palm Way", "Tampa", "FL", "33602", "US"))
        .with_plan(ServicePlan::new(Frequency::Weekly, starts).billing_chemicals());
    let mut new = NewCustomer::new(CustomerKind::Residential, name).with_location(home);
    new.billing.billed_skips = vec![SkipReason::LockedGate, SkipReason::DogOut];
    new
}

#[test]
fn billing_columns_survive_every_way_customers_are_written() {
    let database = TestDatabase::create();
    let book = Book::open(database.url()).unwrap();
    // One customer (a single insert), 3 (one statement per table) and 70
    // (binary COPY, 64 and up).
    let mut written = vec![
        book.create_customer(billed_with_chemicals("Ana"), &office())
            .unwrap(),
    ];
    for size in [3, 70] {
        let news = (0..size)
            .map(|n| billed_with_chemicals(&format!("Batch {size} {n}")))
            .collect();
        written.extend(book.create_customers(news, &office()).unwrap());
    }
    for customer in &written {
        let stored = book.customer(customer.id).unwrap();
        assert_eq!(
            stored.billing.billed_skips,
            [SkipReason::LockedGate, SkipReason::DogOut],
            "{}",
            customer.display_name
        );
        let plan = stored.locations[0].service_plan.as_ref().unwrap();
        assert!(plan.bills_chemicals, "{}", customer.display_name);
        assert_eq!(&stored, customer);
    }
    // An update writes both back.
    let last = written.last().unwrap();
    let mut billing = last.billing.clone();
    billing.billed_skips.clear();
    let mut location = last.locations[0].clone();
    location.service_plan.as_mut().unwrap().bills_chemicals = false;
    let updated = book
        .update_customer(
            last.id,
            last.version,
            CustomerPatch {
                billing: Some(billing),
                locations: Some(vec![location]),
                ..CustomerPatch::default()
            },
            &office(),
        )
        .unwrap();
    let stored = book.customer(last.id).unwrap();
    assert!(stored.billing.billed_skips.is_empty());
    assert!(
        !stored.locations[0]
            .service_plan
            .as_ref()
            .unwrap()
            .bills_chemicals
    );
    assert_eq!(stored, updated);
}
