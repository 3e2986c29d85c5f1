//! `Book::sql` (issue 15, point 7): read-only SQL through poolbook's own
//! SQLite, so an analyst never opens the book with a second SQLite library.
//! It sees the book's current data, returns every SQL type, refuses every
//! kind of write and any read of the secrets table naming `query`, and
//! leaves the book and its connections as they were.

use poolbook::{
    Address, Author, Book, ChangeLogQuery, CustomerKind, Error, NewCustomer, OpenOptions, Secret,
    ServiceLocation, SqlValue,
};

const GATE: &str = "GATE-5150";

fn customer(name: &str) -> NewCustomer {
    let mut location = ServiceLocation::new(Address::new(
        "1420 Oak Street",
        "Phoenix",
        "AZ",
        "85018",
        "US",
    ));
    location.access.gate_code = Some(Secret::new(GATE, "gate_code").unwrap());
    NewCustomer::new(CustomerKind::Residential, name).with_location(location)
}

fn unlocked(book: Book) -> Book {
    book.unlock(poolbook::static_key_provider(vec![9; 32]).unwrap())
        .unwrap();
    book
}

fn count(book: &Book) -> i64 {
    let result = book
        .sql("SELECT count(*) AS n FROM customers", vec![])
        .unwrap();
    assert_eq!(result.columns, vec!["n".to_owned()]);
    match result.rows.as_slice() {
        [row] => match row.as_slice() {
            [SqlValue::Integer { value }] => *value,
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

fn refused_query(book: &Book, query: &str) -> String {
    match book.sql(query, vec![]) {
        Err(Error::Invalid { field, problem, .. }) => {
            assert_eq!(field, "query", "{query}: {problem}");
            assert!(!problem.contains(GATE), "{problem}");
            problem
        }
        other => panic!("expected {query:?} refused, got {other:?}"),
    }
}

#[test]
fn sql_reads_the_current_book_with_parameters_of_every_type() {
    let dir = tempfile::tempdir().unwrap();
    let book = unlocked(Book::open(dir.path().join("book.sqlite")).unwrap());
    let office = Author::office("dana");
    for n in 1..=4 {
        book.create_customer(customer(&format!("Customer {n}")), &office)
            .unwrap();
        assert_eq!(count(&book), n, "each write is seen at once");
    }
    let result = book
        .sql(
            "SELECT ?1 AS i, ?2 AS r, ?3 AS t, ?4 AS b, ?5 AS n",
            vec![
                SqlValue::Integer { value: -7 },
                SqlValue::Real { value: 2.5 },
                SqlValue::Text {
                    value: "Oak".into(),
                },
                SqlValue::Blob {
                    value: vec![0, 1, 255],
                },
                SqlValue::Null,
            ],
        )
        .unwrap();
    assert_eq!(result.columns, ["i", "r", "t", "b", "n"]);
    assert_eq!(
        result.rows,
        vec![vec![
            SqlValue::Integer { value: -7 },
            SqlValue::Real { value: 2.5 },
            SqlValue::Text {
                value: "Oak".into()
            },
            SqlValue::Blob {
                value: vec![0, 1, 255]
            },
            SqlValue::Null,
        ]]
    );
    let named = book
        .sql(
            "SELECT display_name FROM customers WHERE display_name LIKE ? ORDER BY seq",
            vec![SqlValue::Text { value: "%3".into() }],
        )
        .unwrap();
    assert_eq!(
        named.rows,
        vec![vec![SqlValue::Text {
            value: "Customer 3".into()
        }]]
    );
    let shape = book.sql("PRAGMA table_info(customers)", vec![]).unwrap();
    assert!(shape.rows.len() > 5, "the schema's shape can be read");
    let joined = book
        .sql(
            "WITH live AS (SELECT id FROM customers WHERE archived_at IS NULL) \
             SELECT count(*) FROM live JOIN locations l ON l.customer_id = live.id",
            vec![],
        )
        .unwrap();
    assert_eq!(joined.rows, vec![vec![SqlValue::Integer { value: 4 }]]);
}

#[test]
fn sql_refuses_writes_secrets_and_mistakes_and_leaves_the_book_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let office = Author::office("dana");
    let book = unlocked(Book::open(&path).unwrap());
    let maria = book
        .create_customer(customer("Maria Lopez"), &office)
        .unwrap();
    let log = book.change_log(&ChangeLogQuery::default()).unwrap().len();

    for write in [
        "INSERT INTO technicians (id, name) VALUES ('x', 'y')",
        "UPDATE customers SET display_name = 'Mallory'",
        "DELETE FROM customers",
        "DROP TABLE customers",
        "CREATE TEMP TABLE scratch (x)",
        "ATTACH DATABASE ':memory:' AS other",
        "BEGIN",
        "VACUUM",
        "PRAGMA busy_timeout = 1",
        "PRAGMA journal_mode = DELETE",
    ] {
        refused_query(&book, write);
    }
    for secret in [
        "SELECT gate_code FROM location_secrets",
        "SELECT * FROM location_secrets",
        "SELECT (SELECT max(gate_code) FROM location_secrets) AS sneaky",
        "SELECT l.id FROM locations l JOIN location_secrets s ON s.location_id = l.id",
    ] {
        let problem = refused_query(&book, secret);
        assert!(problem.contains("location_secrets"), "{problem}");
    }
    refused_query(&book, "SELEC display_name FROM customers");
    refused_query(&book, "SELECT * FROM no_such_table");
    refused_query(&book, "SELECT 1; SELECT 2");
    refused_query(&book, "SELECT 1\0");
    match book.sql("SELECT ?1, ?2", vec![SqlValue::Null]) {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "params"),
        other => panic!("{other:?}"),
    }

    // The book's own reads on the same pooled connections still see secrets.
    let revealed = book
        .reveal_secret(
            maria.locations[0].id,
            poolbook::SecretField::GateCode,
            &office,
            "checking the stop card",
        )
        .unwrap()
        .unwrap();
    assert_eq!(revealed.reveal(), Some(GATE));
    refused_query(&book, "SELECT wrapped FROM book_keys");
    refused_query(&book, "SELECT gate_code FROM location_secrets_plain");
    assert_eq!(book.customer(maria.id).unwrap(), maria);
    assert_eq!(
        book.change_log(&ChangeLogQuery::default()).unwrap().len(),
        log,
        "nothing was written but the audit of the reveal"
    );
    assert_eq!(count(&book), 1);
}

#[test]
fn sql_runs_on_in_memory_and_read_only_books() {
    let office = Author::office("dana");
    let memory = unlocked(Book::open_in_memory().unwrap());
    memory.create_customer(customer("Ann"), &office).unwrap();
    assert_eq!(count(&memory), 1);
    refused_query(&memory, "DELETE FROM customers");
    refused_query(&memory, "SELECT gate_code FROM location_secrets");
    assert_eq!(count(&memory), 1);
    let card_location = memory
        .list_customers(&Default::default())
        .unwrap()
        .customers[0]
        .locations[0]
        .id;
    assert!(memory.stop_card(card_location).is_ok());

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.sqlite");
    let book = unlocked(Book::open(&path).unwrap());
    book.create_customer(customer("Ann"), &office).unwrap();
    book.close().unwrap();
    let read_only = Book::open_with(
        &path,
        &OpenOptions {
            read_only: true,
            ..OpenOptions::default()
        },
    )
    .unwrap();
    assert_eq!(count(&read_only), 1);
}
