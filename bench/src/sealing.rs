//! What sealing gate codes costs (issue 16): opening and unlocking a book
//! whose every customer has a sealed code, and a stop card with a sealed
//! code against the same stop card without one.

use std::path::{Path, PathBuf};

use poolbook::{Book, Customer, OpenCheck, OpenOptions};

use crate::measure::{Kind, Row, time};
use crate::{data, key, office, open};

/// A closed book of `count` customers made by [`data::customer`], with or
/// without their gate codes.
fn book_of(path: PathBuf, count: usize, codes: bool) -> (PathBuf, Vec<Customer>) {
    let book = open(&path).expect("open a book");
    let mut customers = Vec::with_capacity(count);
    for start in (0..count).step_by(poolbook::MAX_CUSTOMER_BATCH) {
        let news = (start..count.min(start + poolbook::MAX_CUSTOMER_BATCH))
            .map(|n| {
                let mut new = data::customer(n, None);
                if !codes {
                    new.locations[0].access.gate_code = None;
                }
                new
            })
            .collect();
        customers.extend(book.create_customers(news, &office()).expect("customers"));
    }
    book.close().expect("close");
    (path, customers)
}

/// The sealing rows: unlock of a `count`-customer book, and the stop card
/// with and without a sealed code, `calls` calls a round.
pub fn rows(dir: &Path, count: usize, calls: usize, rounds: usize) -> Vec<Row> {
    let (sealed, customers) = book_of(dir.join("sealed.sqlite"), count, true);
    let (plain, plain_customers) = book_of(dir.join("no-codes.sqlite"), count.min(3_000), false);
    let mut unlock = Row::new(
        format!("open and unlock a book of {count} customers, a sealed code each"),
        Kind::Latency,
        "raw rusqlite open",
    );
    let mut card = Row::new(
        "stop card, its gate code sealed",
        Kind::Latency,
        "the same stop card with no codes",
    )
    .target(1.1);
    let options = OpenOptions {
        check_on_open: OpenCheck::Never,
        ..OpenOptions::default()
    };
    for _ in 0..rounds * 4 {
        unlock.poolbook.push(
            time(|| {
                let book = Book::open_with(&sealed, &options).expect("open");
                book.unlock(key()).expect("unlock");
            })
            .as_secs_f64(),
        );
        unlock
            .raw
            .push(time(|| drop(crate::raw::open(&sealed))).as_secs_f64());
    }
    let with_codes = open(&sealed).expect("open");
    let without = open(&plain).expect("open");
    let pick = |list: &[Customer], call: usize| {
        list[(call * 7919) % list.len().min(3_000)].locations[0].id
    };
    for _ in 0..rounds {
        for call in 0..calls {
            let sealed_card = time(|| {
                let card = with_codes
                    .stop_card(pick(&customers, call))
                    .expect("stop card");
                assert!(card.gate_code.is_some_and(|code| code.is_sealed()));
            });
            let plain_card = time(|| {
                let card = without
                    .stop_card(pick(&plain_customers, call))
                    .expect("stop card");
                assert!(card.gate_code.is_none());
            });
            card.poolbook.push(sealed_card.as_secs_f64());
            card.raw.push(plain_card.as_secs_f64());
        }
    }
    vec![unlock, card]
}
