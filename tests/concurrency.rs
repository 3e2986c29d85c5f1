//! Many threads on one book: creates, updates and searches at once; every
//! write is there afterwards and no update was silently lost.

use std::sync::Arc;
use std::thread;

use poolbook::{
    Author, Book, ChangeAction, ChangeLogQuery, CustomerKind, CustomerPatch, CustomerQuery,
    EntityKind, Error, NewCustomer,
};

const THREADS: usize = 4;
const CREATES_PER_THREAD: usize = 25;
const TAGS_PER_THREAD: usize = 10;

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn book_is_send_and_sync() {
    assert_send_sync::<Book>();
}

#[test]
fn concurrent_creates_updates_and_searches_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let book = Arc::new(Book::open(dir.path().join("busy.sqlite")).unwrap());
    let shared = book
        .create_customer(
            NewCustomer::new(CustomerKind::Hoa, "Shared Account"),
            &Author::system(),
        )
        .unwrap();

    let workers: Vec<_> = (0..THREADS)
        .map(|worker| {
            let book = Arc::clone(&book);
            thread::spawn(move || {
                let author = Author::office(format!("clerk-{worker}"));
                let mut conflicts = 0;
                for n in 0..CREATES_PER_THREAD {
                    let name = format!("Worker{worker} Customer{n}");
                    book.create_customer(
                        NewCustomer::new(CustomerKind::Residential, &name),
                        &author,
                    )
                    .unwrap();
                    if n < TAGS_PER_THREAD {
                        // Read-modify-write with retry: a stale write must come
                        // back as a Conflict, never overwrite another thread's tag.
                        loop {
                            let current = book.customer(shared.id).unwrap();
                            let mut tags = current.tags.clone();
                            tags.push(format!("w{worker}-t{n}"));
                            let patch = CustomerPatch {
                                tags: Some(tags),
                                ..Default::default()
                            };
                            match book.update_customer(shared.id, current.version, patch, &author) {
                                Ok(_) => break,
                                Err(Error::Conflict { .. }) => conflicts += 1,
                                Err(other) => panic!("unexpected error: {other}"),
                            }
                        }
                    }
                    let hits = book
                        .search_customers(&format!("worker{worker}"), 200)
                        .unwrap();
                    assert_eq!(hits.len(), n + 1, "a thread sees its own writes");
                }
                conflicts
            })
        })
        .collect();
    let conflicts: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();

    let mut all = Vec::new();
    let mut query = CustomerQuery {
        limit: Some(1000),
        ..Default::default()
    };
    loop {
        let page = book.list_customers(&query).unwrap();
        all.extend(page.customers);
        match page.next_after {
            Some(after) => query.after = Some(after),
            None => break,
        }
    }
    assert_eq!(
        all.len(),
        1 + THREADS * CREATES_PER_THREAD,
        "every create is there"
    );

    let shared = book.customer(shared.id).unwrap();
    let updates = THREADS * TAGS_PER_THREAD;
    assert_eq!(
        shared.tags.len(),
        updates,
        "no tag was lost: {:?}",
        shared.tags
    );
    for worker in 0..THREADS {
        for n in 0..TAGS_PER_THREAD {
            assert!(shared.tags.contains(&format!("w{worker}-t{n}")));
        }
    }
    assert_eq!(shared.version as usize, 1 + updates);
    let logged = book
        .change_log(&ChangeLogQuery {
            entity: Some(EntityKind::Customer),
            entity_id: Some(shared.id.to_string()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .filter(|row| row.action == ChangeAction::Updated)
        .count();
    assert_eq!(logged, updates, "one change-log row per successful update");
    eprintln!("{conflicts} stale updates were refused and retried");
}
