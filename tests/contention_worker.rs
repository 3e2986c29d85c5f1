//! `contention-worker`: one of several processes contending for one book
//! file, for tests/contention.rs.
//!
//! - `contention-worker increment BOOK CUSTOMER TIMES`: adds one to the
//!   customer's `visits_booked` custom field TIMES times, each a read and
//!   an update with a version check, retrying on a version conflict (another
//!   process got there first); prints `done TIMES CONFLICTS`.
//! - `contention-worker hold BOOK`: holds the book's write lock (as another
//!   program's long write would), prints `held`, and waits to be killed.
//! - `contention-worker write BOOK TIMEOUT_MS`: one customer create with
//!   that busy timeout; prints `ok` or `busy WAITED_MS`.

use std::io::Write;

use poolbook::{
    Author, Book, CustomerId, CustomerKind, CustomerPatch, Error, NewCustomer, OpenOptions,
};

/// The custom field the incrementers count in.
const COUNTER: &str = "visits_booked";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["increment", book, customer, times] => increment(
            book,
            customer.parse().expect("a customer id"),
            times.parse().expect("a count"),
        ),
        ["hold", book] => hold(book),
        ["write", book, timeout] => write(book, timeout.parse().expect("milliseconds")),
        _ => {
            eprintln!(
                "usage: contention-worker increment BOOK CUSTOMER TIMES | hold BOOK | write BOOK TIMEOUT_MS"
            );
            std::process::exit(2);
        }
    }
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .expect("stdout");
}

fn increment(path: &str, customer: CustomerId, times: u32) {
    let book = Book::open(path).expect("open the book");
    let author = Author::office(format!("worker-{}", std::process::id()));
    let mut conflicts = 0;
    for _ in 0..times {
        loop {
            let current = book.customer(customer).expect("read the customer");
            let count: u64 = current
                .custom_fields
                .get(COUNTER)
                .map_or(0, |n| n.parse().expect("a count"));
            let mut fields = current.custom_fields.clone();
            fields.insert(COUNTER.to_owned(), (count + 1).to_string());
            let patch = CustomerPatch {
                custom_fields: Some(fields),
                ..CustomerPatch::default()
            };
            match book.update_customer(customer, current.version, patch, &author) {
                Ok(_) => break,
                Err(Error::Conflict { .. }) => conflicts += 1,
                Err(other) => panic!("update failed: {other}"),
            }
        }
    }
    say(&format!("done {times} {conflicts}"));
}

fn hold(path: &str) {
    let conn = rusqlite::Connection::open(path).expect("open the file");
    conn.execute_batch("BEGIN IMMEDIATE")
        .expect("take the write lock");
    say("held");
    loop {
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

fn write(path: &str, timeout_ms: u32) {
    let options = OpenOptions {
        busy_timeout_ms: timeout_ms,
        ..OpenOptions::default()
    };
    let book = Book::open_with(path, &options).expect("open the book");
    let new = NewCustomer::new(CustomerKind::Residential, "Written while held");
    match book.create_customer(new, &Author::office("writer")) {
        Ok(_) => say("ok"),
        Err(Error::Busy { waited_ms, .. }) => say(&format!("busy {waited_ms}")),
        Err(other) => panic!("create failed: {other}"),
    }
}
