//! Several processes on one book file (issue 15): updates of one shared
//! record with version checks lose none of each other's changes, and a
//! write lock another process holds past the busy timeout is a clear
//! [`Error::Busy`] in every process, after which writes go on.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use poolbook::{Author, Book, ChangeLogQuery, CustomerKind, Error, NewCustomer, OpenOptions};

const WORKER: &str = env!("CARGO_BIN_EXE_contention-worker");

fn spawn(args: &[&str]) -> (Child, BufReader<std::process::ChildStdout>) {
    let mut child = Command::new(WORKER)
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start a worker");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    (child, stdout)
}

fn first_line(out: &mut BufReader<std::process::ChildStdout>) -> String {
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    line.trim().to_owned()
}

#[test]
fn four_processes_updating_one_customer_lose_no_update() {
    const PROCESSES: u64 = 4;
    const TIMES: u64 = 25;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.sqlite");
    let book = Book::open(&path).unwrap();
    let shared = book
        .create_customer(
            NewCustomer::new(CustomerKind::Hoa, "Desert Palms HOA"),
            &Author::office("dana"),
        )
        .unwrap();
    let path_text = path.to_str().unwrap();
    let id = shared.id.to_string();
    let times = TIMES.to_string();
    let workers: Vec<_> = (0..PROCESSES)
        .map(|_| spawn(&["increment", path_text, &id, &times]))
        .collect();
    let mut conflicts = 0;
    for (mut child, mut out) in workers {
        let line = first_line(&mut out);
        assert!(child.wait().unwrap().success(), "a worker failed: {line}");
        let parts: Vec<&str> = line.split(' ').collect();
        assert_eq!(parts[..2], ["done", times.as_str()], "{line}");
        conflicts += parts[2].parse::<u64>().unwrap();
    }
    let after = book.customer(shared.id).unwrap();
    assert_eq!(
        after.custom_fields["visits_booked"],
        (PROCESSES * TIMES).to_string(),
        "every increment of every process is there"
    );
    assert_eq!(after.version, shared.version + (PROCESSES * TIMES) as i64);
    let updates = book
        .change_log(&ChangeLogQuery {
            entity: Some(poolbook::EntityKind::Customer),
            entity_id: Some(shared.id.to_string()),
            limit: Some(1_000),
            ..ChangeLogQuery::default()
        })
        .unwrap()
        .into_iter()
        .filter(|change| change.action == poolbook::ChangeAction::Updated)
        .count();
    assert_eq!(updates as u64, PROCESSES * TIMES, "one logged update each");
    eprintln!(
        "{} updates, {conflicts} version conflicts retried",
        PROCESSES * TIMES
    );
    assert!(book.check_integrity().unwrap().ok);
}

#[test]
fn a_lock_held_by_another_process_is_a_busy_error_in_every_process_then_writes_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("held.sqlite");
    Book::open(&path).unwrap().close().unwrap();
    let path_text = path.to_str().unwrap();
    let (mut holder, mut held) = spawn(&["hold", path_text]);
    assert_eq!(first_line(&mut held), "held");

    let book = Book::open_with(
        &path,
        &OpenOptions {
            busy_timeout_ms: 400,
            ..OpenOptions::default()
        },
    )
    .expect("opening waits for no lock");
    let office = Author::office("dana");
    let new = || NewCustomer::new(CustomerKind::Residential, "Ann Lee");
    match book.create_customer(new(), &office) {
        Err(Error::Busy { waited_ms, doing }) => {
            assert!((400..5_000).contains(&waited_ms), "waited {waited_ms} ms");
            let message = Error::Busy { waited_ms, doing }.to_string();
            assert!(message.starts_with("the book is busy: "), "{message}");
            assert!(message.contains("nothing was changed"), "{message}");
        }
        other => panic!("expected Busy, got {other:?}"),
    }
    let (mut other, mut said) = spawn(&["write", path_text, "300"]);
    let line = first_line(&mut said);
    assert!(other.wait().unwrap().success());
    let waited: u64 = line
        .strip_prefix("busy ")
        .unwrap_or_else(|| panic!("expected busy in the other process, got {line}"))
        .parse()
        .unwrap();
    assert!(waited >= 300, "{line}");
    assert_eq!(
        book.list_customers(&Default::default())
            .unwrap()
            .customers
            .len(),
        0,
        "nothing was written while the lock was held"
    );

    holder.kill().unwrap();
    holder.wait().unwrap();
    book.create_customer(new(), &office).unwrap();
    let (mut again, mut said) = spawn(&["write", path_text, "300"]);
    assert_eq!(first_line(&mut said), "ok");
    assert!(again.wait().unwrap().success());
    assert_eq!(
        book.list_customers(&Default::default())
            .unwrap()
            .customers
            .len(),
        2
    );
}
