//! Many writers on one book on PostgreSQL (issue 22): 4 processes × 4
//! threads create customers, add notes and increment one shared record
//! with version checks for a few seconds. Every write acknowledged is
//! there afterwards, and no update of the shared record is lost: the
//! count equals the increments the writers saw succeed, and the change log
//! has one update row for each. Serialization failures PostgreSQL reports
//! under this load are retried inside the store; none reaches a writer.
#![cfg(feature = "postgres")]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use poolbook::testing::postgres::TestDatabase;
use poolbook::{
    Author, Book, ChangeAction, ChangeLogQuery, CustomerId, CustomerKind, EntityKind, EntryId,
    NewCustomer,
};

const WRITER: &str = env!("CARGO_BIN_EXE_pg-writer");
const PROCESSES: usize = 4;
const THREADS: &str = "4";
const MILLIS: &str = "4000";

#[test]
fn four_processes_of_four_threads_lose_no_write_and_no_update() {
    let database = TestDatabase::create();
    let book = Book::open(database.url()).unwrap();
    let shared = book
        .create_customer(
            NewCustomer::new(CustomerKind::Hoa, "Desert Palms HOA"),
            &Author::office("dana"),
        )
        .unwrap();
    let id = shared.id.to_string();
    let children: Vec<_> = (0..PROCESSES)
        .map(|_| {
            Command::new(WRITER)
                .args([database.url(), id.as_str(), THREADS, MILLIS])
                .stdout(Stdio::piped())
                .spawn()
                .expect("start a writer")
        })
        .collect();
    let (mut customers, mut notes) = (Vec::new(), Vec::new());
    let (mut increments, mut conflicts) = (0u64, 0u64);
    for mut child in children {
        let out = BufReader::new(child.stdout.take().unwrap());
        let mut finished = false;
        for line in out.lines() {
            let line = line.unwrap();
            match line.split_once(' ') {
                Some(("customer", id)) => customers.push(id.parse::<CustomerId>().unwrap()),
                Some(("note", id)) => notes.push(id.parse::<EntryId>().unwrap()),
                Some(("done", counts)) => {
                    let (done, lost) = counts.split_once(' ').unwrap();
                    increments += done.parse::<u64>().unwrap();
                    conflicts += lost.parse::<u64>().unwrap();
                    finished = true;
                }
                _ => panic!("unexpected line from a writer: {line}"),
            }
        }
        assert!(child.wait().unwrap().success(), "a writer failed");
        assert!(finished, "a writer stopped before reporting");
    }
    eprintln!(
        "{} customers, {} notes, {increments} increments ({conflicts} version conflicts retried)",
        customers.len(),
        notes.len()
    );
    assert!(increments >= 16, "every thread got writes through");
    assert_eq!(customers.len() as u64, increments);

    for customer in &customers {
        assert!(
            book.customer(*customer).is_ok(),
            "customer {customer} is there"
        );
    }
    for note in &notes {
        assert!(book.entry(*note).is_ok(), "note {note} is there");
    }
    let after = book.customer(shared.id).unwrap();
    assert_eq!(
        after.custom_fields["visits_booked"],
        increments.to_string(),
        "no update of the shared customer was lost"
    );
    assert_eq!(after.version, shared.version + increments as i64);
    let updates = book
        .change_log(&ChangeLogQuery {
            entity: Some(EntityKind::Customer),
            entity_id: Some(shared.id.to_string()),
            limit: Some(10_000),
            ..ChangeLogQuery::default()
        })
        .unwrap()
        .into_iter()
        .filter(|change| change.action == ChangeAction::Updated)
        .count();
    assert_eq!(updates as u64, increments, "one logged update each");
    let report = book.check_integrity().unwrap();
    assert!(report.ok, "{:?}", report.problems);
    assert_eq!(report.customers_checked, customers.len() as u64 + 1);
}
