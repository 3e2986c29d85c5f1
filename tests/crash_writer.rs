//! `crash-writer BOOK ROUND`: writes to a book file in a loop (customer
//! creates, updates, visits, touchpoint batches, event imports), printing
//! one `ack` line per call that returned, until it is killed. tests/crash.rs
//! kills it with SIGKILL at random moments and checks that every
//! acknowledged write survived and no write is half there.

use std::io::Write;

use chrono::{Duration, TimeZone, Utc};
use poolbook::{
    Address, Author, BodyOfWater, Book, CustomerKind, CustomerPatch, EventMapping, JourneyChannel,
    NewCustomer, Sanitizer, ServiceLocation, Touchpoint, Visit, WaterKind,
};

/// Touchpoints in each batch and lines in each import.
const BATCH: usize = 50;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(round)) = (args.next(), args.next()) else {
        eprintln!("usage: crash-writer BOOK ROUND");
        std::process::exit(2);
    };
    let book = Book::open(&path).expect("open the book");
    let office = Author::office("crash");
    let out = std::io::stdout();
    let ack = |line: String| {
        let mut out = out.lock();
        writeln!(out, "{line}")
            .and_then(|()| out.flush())
            .expect("stdout");
    };
    let start = Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap();
    for n in 0.. {
        let new = NewCustomer::new(CustomerKind::Residential, format!("Crash {round}-{n}"))
            .with_location(
                ServiceLocation::new(Address::new("1 Test St", "Phoenix", "AZ", "85018", "US"))
                    .with_body_of_water(BodyOfWater::new(
                        "Pool",
                        WaterKind::Pool,
                        Sanitizer::Chlorine,
                    )),
            );
        let customer = book.create_customer(new, &office).expect("create");
        ack(format!("customer {}", customer.id));
        let patch = CustomerPatch {
            tags: Some(vec![format!("round-{round}")]),
            ..CustomerPatch::default()
        };
        let updated = book
            .update_customer(customer.id, customer.version, patch, &office)
            .expect("update");
        ack(format!("version {} {}", customer.id, updated.version));
        let location = &customer.locations[0];
        let mut visit = Visit::completed(customer.id, location.id, start + Duration::minutes(n));
        visit.readings.ph = Some(7.5);
        visit.body_of_water_id = Some(location.bodies_of_water[0].id);
        let visit = book.record_visit(visit, &office).expect("visit");
        ack(format!("entry {}", visit.id));
        let visitor = format!("batch-{round}-{n}");
        let batch = (0..BATCH)
            .map(|k| {
                Touchpoint::by_visitor(
                    &visitor,
                    start + Duration::seconds(k as i64),
                    JourneyChannel::Website,
                    "page_viewed",
                )
            })
            .collect();
        book.record_touchpoints(batch, &office)
            .expect("touchpoints");
        ack(format!("visitor {visitor}"));
        let visitor = format!("import-{round}-{n}");
        let lines: String = (0..BATCH)
            .map(|k| {
                format!(
                    "{{\"type\":\"page\",\"anonymousId\":\"{visitor}\",\"messageId\":\"{visitor}-{k}\",\
                     \"timestamp\":\"2026-06-01T10:{:02}:00Z\"}}\n",
                    k % 60
                )
            })
            .collect();
        book.import_segment_events(lines.as_bytes(), &EventMapping::default(), &office)
            .expect("import");
        ack(format!("visitor {visitor}"));
    }
}
