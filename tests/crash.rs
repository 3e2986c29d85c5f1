//! Crash safety (issue 15): writer processes killed with SIGKILL at random
//! moments, again and again, on one book file (one writer, and three at
//! once contending for its write lock). Every write it was told had
//! committed is there, no record or batch is half there (touchpoint
//! batches and event imports are all or nothing), and the book passes its
//! integrity check after every kill.
//!
//! Quick by default (25 kills, a few seconds); the long run is
//! `POOLBOOK_CRASH_ROUNDS=200 cargo test -p poolbook-tests --test crash`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use poolbook::{Book, CustomerId, EntryId, TouchpointQuery};

/// Touchpoints per batch and lines per import (as crash_writer.rs writes).
const BATCH: usize = 50;

#[test]
fn a_writer_killed_at_random_loses_no_acknowledged_write_and_leaves_nothing_half_written() {
    let rounds: u64 = std::env::var("POOLBOOK_CRASH_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(25);
    let acknowledged = kill_rounds(rounds, 1);
    eprintln!("{rounds} kills, {acknowledged} acknowledged writes checked");
    assert!(
        acknowledged as u64 > rounds,
        "the writer acknowledged only {acknowledged} writes in {rounds} rounds; the kills came too early to test anything"
    );
}

#[test]
fn three_writer_processes_on_one_file_killed_together_lose_nothing() {
    let acknowledged = kill_rounds(6, 3);
    eprintln!("6 rounds of 3 writers, {acknowledged} acknowledged writes checked");
    assert!(acknowledged > 18);
}

/// Runs `rounds` rounds of `writers` writer processes on one fresh book,
/// each killed after a random delay, checking the book after every round;
/// returns how many acknowledged writes were checked.
fn kill_rounds(rounds: u64, writers: u64) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.sqlite");
    Book::open(&path).unwrap().close().unwrap();
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut acknowledged = 0;
    for round in 0..rounds {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_millis(20 + seed % 180);
        let runs: Vec<(
            u64,
            std::process::Child,
            std::thread::JoinHandle<Vec<String>>,
        )> = (0..writers)
            .map(|writer| {
                let id = round * writers + writer;
                let mut child = Command::new(env!("CARGO_BIN_EXE_crash-writer"))
                    .arg(&path)
                    .arg(id.to_string())
                    .stdout(Stdio::piped())
                    .spawn()
                    .expect("start the writer");
                let stdout = child.stdout.take().unwrap();
                let reader = std::thread::spawn(move || {
                    BufReader::new(stdout)
                        .lines()
                        .map_while(Result::ok)
                        .collect::<Vec<String>>()
                });
                (id, child, reader)
            })
            .collect();
        std::thread::sleep(delay);
        let mut finished = Vec::new();
        for (id, mut child, reader) in runs {
            child.kill().expect("SIGKILL the writer");
            child.wait().unwrap();
            finished.push((id, reader.join().unwrap()));
        }
        let book = Book::open(&path).unwrap();
        for (id, acks) in &finished {
            acknowledged += acks.len();
            check_acks(&book, *id, acks);
        }
        let report = book.check_integrity().unwrap();
        assert!(report.ok, "round {round}: {:?}", report.problems);
        book.close().unwrap();
    }
    acknowledged
}

/// Every write writer `id` acknowledged is in `book`; its batch or import in
/// flight when it died is there whole or not at all.
fn check_acks(book: &Book, id: u64, acks: &[String]) {
    for ack in acks {
        let words: Vec<&str> = ack.split(' ').collect();
        match words.as_slice() {
            ["customer", customer] => {
                book.customer(customer.parse::<CustomerId>().unwrap())
                    .unwrap_or_else(|e| panic!("writer {id}: acknowledged {ack} is gone: {e}"));
            }
            ["version", customer, version] => {
                let stored = book
                    .customer(customer.parse::<CustomerId>().unwrap())
                    .unwrap();
                assert!(
                    stored.version >= version.parse::<i64>().unwrap(),
                    "writer {id}: the acknowledged update {ack} is lost"
                );
            }
            ["entry", entry] => {
                book.entry(entry.parse::<EntryId>().unwrap())
                    .unwrap_or_else(|e| panic!("writer {id}: acknowledged {ack} is gone: {e}"));
            }
            ["visitor", visitor] => {
                let stored = visitor_touchpoints(book, visitor);
                assert_eq!(
                    stored, BATCH,
                    "writer {id}: acknowledged {ack} holds {stored}"
                );
            }
            other => panic!("unexpected line from the writer: {other:?}"),
        }
    }
    for prefix in ["batch", "import"] {
        for n in 0..=acks.len() {
            let stored = visitor_touchpoints(book, &format!("{prefix}-{id}-{n}"));
            assert!(
                stored == 0 || stored == BATCH,
                "writer {id}: {prefix} {n} is half written ({stored} of {BATCH})"
            );
        }
    }
}

fn visitor_touchpoints(book: &Book, visitor: &str) -> usize {
    book.touchpoints(&TouchpointQuery {
        visitor_id: Some(visitor.to_owned()),
        ..TouchpointQuery::default()
    })
    .unwrap()
    .len()
}
