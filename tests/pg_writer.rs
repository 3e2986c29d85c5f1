//! `pg-writer`: one of several processes writing one book on PostgreSQL at
//! once, for tests/pg_writers.rs (feature `postgres`).
//!
//! `pg-writer URL CUSTOMER THREADS MILLIS`: THREADS threads share one open
//! book and, until MILLIS have passed, each in turn creates a customer of
//! its own, adds a note to the shared CUSTOMER, and adds one to CUSTOMER's
//! `visits_booked` custom field (a read and an update with a version
//! check, read again and retried on a conflict). Prints a line per write
//! (`customer ID`, `note ID`), then `done INCREMENTS CONFLICTS`.

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use poolbook::{Author, Book, CustomerId, CustomerKind, CustomerPatch, Error, NewCustomer, Note};

/// The custom field the writers count in.
const COUNTER: &str = "visits_booked";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, customer, threads, millis] = args.as_slice() else {
        eprintln!("usage: pg-writer URL CUSTOMER THREADS MILLIS");
        std::process::exit(2);
    };
    let book = Arc::new(Book::open(url.as_str()).expect("open the book"));
    let customer: CustomerId = customer.parse().expect("a customer id");
    let threads: u32 = threads.parse().expect("a thread count");
    let until = Instant::now() + Duration::from_millis(millis.parse().expect("milliseconds"));
    let workers: Vec<_> = (0..threads)
        .map(|thread| {
            let book = Arc::clone(&book);
            std::thread::spawn(move || write_until(&book, customer, thread, until))
        })
        .collect();
    let (mut increments, mut conflicts) = (0u64, 0u64);
    for worker in workers {
        let (done, lost) = worker.join().expect("a writer thread panicked");
        increments += done;
        conflicts += lost;
    }
    say(&format!("done {increments} {conflicts}"));
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .expect("stdout");
}

/// One thread's writes; returns its increments and the conflicts it retried.
fn write_until(book: &Book, shared: CustomerId, thread: u32, until: Instant) -> (u64, u64) {
    let author = Author::office(format!("writer-{}-{thread}", std::process::id()));
    let (mut increments, mut conflicts) = (0, 0);
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        let name = format!("Writer {} thread {thread} #{n}", std::process::id());
        let created = book
            .create_customer(NewCustomer::new(CustomerKind::Residential, name), &author)
            .expect("create a customer");
        say(&format!("customer {}", created.id));
        let note = book
            .add_note(Note::new(shared, format!("{} #{n}", author.id)), &author)
            .expect("add a note");
        say(&format!("note {}", note.id));
        loop {
            let current = book.customer(shared).expect("read the shared customer");
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
            match book.update_customer(shared, current.version, patch, &author) {
                Ok(_) => {
                    increments += 1;
                    break;
                }
                Err(Error::Conflict { .. }) => conflicts += 1,
                Err(other) => panic!("update failed: {other}"),
            }
        }
    }
    (increments, conflicts)
}
