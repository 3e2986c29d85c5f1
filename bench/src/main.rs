//! `poolbook-bench`: every measured operation through poolbook's public API
//! and through raw rusqlite on the same rows, in the same run, alternating,
//! over several rounds; prints medians, 99th percentiles and ratios as a
//! Markdown table. Not a timed test: it asserts no time. `scripts/bench`
//! runs it (and the Python bindings' benchmark); `scripts/check` runs it
//! with `--quick`, which only proves it works.
//!
//! `cargo run --release -p poolbook-bench -- [--quick] [--only NAME] [--python PATH]`
//! (`--python`: a Python with recordlinkage 0.16, for the duplicate
//! detection comparison; `scripts/bench` makes one).

mod billing;
mod data;
mod data_io;
mod journey;
mod linkage;
mod measure;
mod outbox;
mod pg;
mod raw;
mod sealing;

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use measure::{Kind, Row, time};
use poolbook::{
    Author, Book, Customer, CustomerPatch, CustomerQuery, DemoOptions, Entry, FunnelDefinition,
    FunnelStep, NewTechnician, Segment, SegmentRule, TechnicianId, TimelineQuery, populate_demo,
};

/// How much to do.
struct Sizes {
    rounds: usize,
    /// Customers created one per call, per round.
    single_customers: usize,
    /// Customers created in one batch, per round.
    batch_customers: usize,
    /// Visits recorded one per call, per round.
    single_visits: usize,
    /// Visits recorded in one batch, per round.
    batch_visits: usize,
    /// Touchpoints recorded in one batch, per round.
    touchpoints: usize,
    /// Customers in the book the reads run on.
    read_customers: usize,
    /// Touchpoints in the book the reads run on.
    read_touchpoints: usize,
    /// Calls per read benchmark and round.
    calls: usize,
    /// Customers of the demo company built.
    demo_customers: u32,
    /// Customers, a sealed gate code each, in the book the sealing rows unlock.
    sealed_customers: usize,
    /// Customers in the book the outbox row reads (a fifth due each weekday).
    outbox_customers: usize,
    /// Customers (four visits each) a month of invoices is drafted for.
    billing_customers: usize,
    /// Calls of the billing draft per run.
    billing_calls: usize,
    /// Stops of the day ordered for driving.
    route_stops: usize,
}

const QUICK: Sizes = Sizes {
    rounds: 1,
    single_customers: 20,
    batch_customers: 100,
    single_visits: 40,
    batch_visits: 200,
    touchpoints: 2_000,
    read_customers: 120,
    read_touchpoints: 5_000,
    calls: 10,
    demo_customers: 20,
    sealed_customers: 500,
    outbox_customers: 500,
    billing_customers: 300,
    billing_calls: 2,
    route_stops: 60,
};

const FULL: Sizes = Sizes {
    rounds: 5,
    single_customers: 500,
    batch_customers: 5_000,
    single_visits: 1_000,
    batch_visits: 10_000,
    touchpoints: 10_000,
    read_customers: 3_000,
    read_touchpoints: 1_000_000,
    calls: 200,
    demo_customers: 400,
    sealed_customers: 50_000,
    outbox_customers: 50_000,
    billing_customers: 50_000,
    billing_calls: 5,
    route_stops: 60,
};

/// Stops on the benchmark technician's Tuesday route.
const ROUTE_STOPS: usize = 40;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1).cloned());
    let sizes = if quick { QUICK } else { FULL };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let started = Instant::now();
    let mut rows = Vec::new();
    let wanted = |name: &str| only.as_deref().is_none_or(|only| name.contains(only));
    if wanted("write") {
        rows.extend(writes(dir.path(), &sizes));
    }
    if wanted("read") {
        rows.extend(reads(dir.path(), &sizes));
    }
    if wanted("journey") {
        rows.extend(journey::rows(
            dir.path(),
            if quick { 2_000 } else { 50_000 },
            sizes.calls,
            sizes.rounds,
        ));
    }
    if wanted("demo") {
        rows.push(demo(dir.path(), &sizes));
    }
    if wanted("outbox") {
        rows.extend(outbox::rows(
            dir.path(),
            sizes.outbox_customers,
            sizes.rounds,
        ));
    }
    if wanted("billing") {
        rows.extend(billing::draft_rows(
            dir.path(),
            sizes.billing_customers,
            sizes.billing_calls,
        ));
    }
    if wanted("route") {
        rows.extend(billing::route_rows(
            dir.path(),
            sizes.route_stops,
            sizes.calls,
        ));
    }
    if wanted("linkage") {
        let python = args
            .iter()
            .position(|a| a == "--python")
            .and_then(|i| args.get(i + 1))
            .map(PathBuf::from);
        linkage::run(python.as_deref(), quick, dir.path());
    }
    if wanted("io") {
        let io = if quick {
            data_io::DataSizes {
                rounds: 1,
                csv_rows: 500,
                customers: 100,
                history: 2_000,
            }
        } else {
            data_io::DataSizes {
                rounds: 3,
                csv_rows: 50_000,
                customers: 20_000,
                history: 200_000,
            }
        };
        rows.extend(data_io::rows(dir.path(), &io));
    }
    if wanted("postgres") {
        rows.extend(pg::rows(&sizes));
    }
    if wanted("seal") {
        rows.extend(sealing::rows(
            dir.path(),
            sizes.sealed_customers,
            sizes.calls,
            sizes.rounds,
        ));
    }
    println!(
        "poolbook-bench{}: {} rounds, {} cores, {:.0} s\n",
        if quick { " --quick" } else { "" },
        sizes.rounds,
        std::thread::available_parallelism().map_or(1, usize::from),
        started.elapsed().as_secs_f64()
    );
    print!("{}", measure::table(&rows));
    if !quick && rows.iter().any(|row| row.meets() == Some(false)) {
        println!("\nSome targets are not met (see docs/benchmarks.md for what bounds them).");
    }
}

pub(crate) fn office() -> Author {
    Author::office("bench")
}

/// The key every benchmark book is sealed with.
pub(crate) fn key() -> std::sync::Arc<dyn poolbook::KeyProvider> {
    poolbook::static_key_provider(vec![0x42; 32]).expect("a key")
}

/// Opens (or creates) a book file, unlocked.
pub(crate) fn open(path: impl AsRef<Path>) -> poolbook::Result<Book> {
    let book = Book::open(path)?;
    book.unlock(key())?;
    Ok(book)
}

/// A copy of a closed book file at a fresh path.
pub(crate) fn copy_of(template: &Path, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    for suffix in ["-wal", "-shm", ""] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    std::fs::copy(template, &path).expect("copy a book file");
    path
}

/// A book file holding `count` customers, written by poolbook and closed.
fn customers_book(
    dir: &Path,
    name: &str,
    count: usize,
    technician: bool,
) -> (PathBuf, Vec<Customer>) {
    let path = dir.join(name);
    let book = open(&path).expect("open a book");
    let tech = technician.then(|| {
        book.add_technician(NewTechnician::new("Ana Reyes"), &office())
            .expect("a technician")
            .id
    });
    let news = (0..count)
        .map(|n| data::customer(n, tech.filter(|_| n < ROUTE_STOPS)))
        .collect();
    let customers = book.create_customers(news, &office()).expect("customers");
    book.close().expect("close");
    (path, customers)
}

fn rate(items: usize, seconds: f64) -> f64 {
    items as f64 / seconds.max(1e-9)
}

fn writes(dir: &Path, sizes: &Sizes) -> Vec<Row> {
    let mut single = Row::new(
        "create a customer (contact, location, pool, gate code), one transaction each",
        Kind::Throughput,
        "raw rusqlite, one transaction each",
    )
    .target(0.8);
    let mut batch = Row::new(
        "create customers in one batch",
        Kind::Throughput,
        "raw rusqlite, one transaction",
    )
    .target(0.75);
    let mut visit_single = Row::new(
        "record a visit with readings, one transaction each",
        Kind::Throughput,
        "raw rusqlite, one transaction each",
    )
    .target(0.8);
    let mut visit_batch = Row::new(
        "record visits in one batch",
        Kind::Throughput,
        "raw rusqlite, one transaction",
    )
    .target(0.75);
    let mut touch = Row::new(
        format!("record touchpoints in batches of {}", sizes.touchpoints),
        Kind::Throughput,
        "raw rusqlite, one transaction",
    )
    .target(0.75);
    let mut update = Row::new(
        "update a customer with a version check",
        Kind::Throughput,
        "raw rusqlite UPDATE … WHERE version",
    )
    .target(0.8);

    // Templates: the rows poolbook writes for the records, read back once.
    let (template, customers) = customers_book(
        dir,
        "template.sqlite",
        sizes.batch_customers.max(sizes.single_customers),
        false,
    );
    let template_conn = raw::open(&template);
    let customer_rows: Vec<raw::Rows> = customers
        .iter()
        .map(|c| raw::customer_rows(&template_conn, &c.id.to_string()))
        .collect();
    drop(template_conn);
    let empty = dir.join("empty.sqlite");
    open(&empty).and_then(|b| b.close()).expect("an empty book");

    let visits_for = |customers: &[Customer], count: usize| -> Vec<Entry> {
        (0..count)
            .map(|n| {
                Entry::Visit(data::visit(
                    &customers[n % customers.len()],
                    (n / customers.len()) as i64,
                ))
            })
            .collect()
    };
    let entries_book = copy_of(&template, dir, "entries-template.sqlite");
    let visit_rows: Vec<raw::Rows> = {
        let book = open(&entries_book).expect("open");
        let entries = book
            .record_entries(visits_for(&customers, sizes.batch_visits), &office())
            .expect("visits");
        book.close().expect("close");
        let conn = raw::open(&entries_book);
        entries
            .iter()
            .map(|e| raw::entry_rows(&conn, &e.id().to_string()))
            .collect()
    };
    let touch_book = copy_of(&empty, dir, "touch-template.sqlite");
    let touch_rows = {
        let book = open(&touch_book).expect("open");
        book.record_touchpoints(
            data::touchpoints(sizes.touchpoints, sizes.touchpoints / 10, 0),
            &office(),
        )
        .expect("touchpoints");
        book.close().expect("close");
        raw::touchpoint_rows(&raw::open(&touch_book))
    };

    for round in 0..sizes.rounds {
        // Alternate which side goes first.
        let sides: [bool; 2] = if round % 2 == 0 {
            [true, false]
        } else {
            [false, true]
        };
        for poolbook_side in sides {
            if poolbook_side {
                let book = open(copy_of(&empty, dir, "pb.sqlite")).expect("open");
                let news: Vec<_> = (0..sizes.single_customers)
                    .map(|n| data::customer(n, None))
                    .collect();
                let seconds = time(|| {
                    for new in news {
                        book.create_customer(new, &office()).expect("create");
                    }
                });
                single
                    .poolbook
                    .push(rate(sizes.single_customers, seconds.as_secs_f64()));
                let news: Vec<_> = (0..sizes.batch_customers)
                    .map(|n| data::customer(n + 100_000, None))
                    .collect();
                let seconds = time(|| {
                    book.create_customers(news, &office())
                        .expect("create batch");
                });
                batch
                    .poolbook
                    .push(rate(sizes.batch_customers, seconds.as_secs_f64()));
                drop(book);

                let book = open(copy_of(&template, dir, "pb-visits.sqlite")).expect("open");
                let visits = visits_for(&customers, sizes.single_visits);
                let seconds = time(|| {
                    for entry in visits {
                        if let Entry::Visit(visit) = entry {
                            book.record_visit(visit, &office()).expect("visit");
                        }
                    }
                });
                visit_single
                    .poolbook
                    .push(rate(sizes.single_visits, seconds.as_secs_f64()));
                let visits = visits_for(&customers, sizes.batch_visits);
                let seconds = time(|| {
                    book.record_entries(visits, &office()).expect("visits");
                });
                visit_batch
                    .poolbook
                    .push(rate(sizes.batch_visits, seconds.as_secs_f64()));
                let updates: Vec<&Customer> =
                    customers.iter().take(sizes.single_customers).collect();
                let seconds = time(|| {
                    for customer in &updates {
                        let patch = CustomerPatch {
                            tags: Some(vec!["weekly".into()]),
                            ..CustomerPatch::default()
                        };
                        book.update_customer(customer.id, customer.version, patch, &office())
                            .expect("update");
                    }
                });
                update
                    .poolbook
                    .push(rate(updates.len(), seconds.as_secs_f64()));
                drop(book);

                let book = open(copy_of(&empty, dir, "pb-touch.sqlite")).expect("open");
                let batch_of = data::touchpoints(sizes.touchpoints, sizes.touchpoints / 10, 0);
                let seconds = time(|| {
                    book.record_touchpoints(batch_of, &office())
                        .expect("touchpoints");
                });
                touch
                    .poolbook
                    .push(rate(sizes.touchpoints, seconds.as_secs_f64()));
            } else {
                let conn = raw::open(&copy_of(&empty, dir, "raw.sqlite"));
                let seconds = time(|| {
                    for rows in &customer_rows[..sizes.single_customers] {
                        raw::transaction(&conn, |c| raw::insert(c, rows));
                    }
                });
                single
                    .raw
                    .push(rate(sizes.single_customers, seconds.as_secs_f64()));
                let conn = raw::open(&copy_of(&empty, dir, "raw-batch.sqlite"));
                let seconds = time(|| {
                    raw::transaction(&conn, |c| {
                        for rows in &customer_rows[..sizes.batch_customers] {
                            raw::insert(c, rows);
                        }
                    })
                });
                batch
                    .raw
                    .push(rate(sizes.batch_customers, seconds.as_secs_f64()));

                let conn = raw::open(&copy_of(&template, dir, "raw-visits.sqlite"));
                let seconds = time(|| {
                    for rows in &visit_rows[..sizes.single_visits] {
                        raw::transaction(&conn, |c| raw::insert(c, rows));
                    }
                });
                visit_single
                    .raw
                    .push(rate(sizes.single_visits, seconds.as_secs_f64()));
                let conn = raw::open(&copy_of(&template, dir, "raw-visits-batch.sqlite"));
                let seconds = time(|| {
                    raw::transaction(&conn, |c| {
                        for rows in &visit_rows {
                            raw::insert(c, rows);
                        }
                    })
                });
                visit_batch
                    .raw
                    .push(rate(sizes.batch_visits, seconds.as_secs_f64()));
                let updates: Vec<&Customer> =
                    customers.iter().take(sizes.single_customers).collect();
                let seconds = time(|| {
                    for customer in &updates {
                        raw::transaction(&conn, |c| raw_update(c, customer));
                    }
                });
                update.raw.push(rate(updates.len(), seconds.as_secs_f64()));

                let conn = raw::open(&copy_of(&empty, dir, "raw-touch.sqlite"));
                let seconds = time(|| raw::transaction(&conn, |c| raw::insert(c, &touch_rows)));
                touch
                    .raw
                    .push(rate(sizes.touchpoints, seconds.as_secs_f64()));
            }
        }
    }
    vec![single, batch, visit_single, visit_batch, touch, update]
}

/// What an update of a customer's tags must do at the least: read the tags
/// it replaces (the change log's "before"), write the row under its version
/// check, the tag and the change-log row.
fn raw_update(conn: &rusqlite::Connection, customer: &Customer) {
    let id = customer.id.to_string();
    raw::read(
        conn,
        "SELECT tag FROM customer_tags WHERE customer_id = ?1 ORDER BY position",
        &[rusqlite::types::Value::Text(id.clone())],
    );
    let changed = conn
        .prepare_cached(
            "UPDATE customers SET updated_at = ?3, version = version + 1 WHERE id = ?1 AND version = ?2",
        )
        .and_then(|mut s| s.execute(rusqlite::params![id, customer.version, "2026-12-01T00:00:00.000000Z"]))
        .expect("update");
    assert_eq!(changed, 1, "the version check holds");
    conn.prepare_cached(
        "INSERT INTO customer_tags (customer_id, tag, position) VALUES (?1, 'weekly', 0)",
    )
    .and_then(|mut s| s.execute([&id]))
    .expect("tag");
    conn.prepare_cached(
        "INSERT INTO change_log (at, author_kind, author_id, entity, entity_id, customer_id, action, changes) \
         VALUES (?1, 'office', 'bench', 'customer', ?2, ?2, 'updated', ?3)",
    )
    .and_then(|mut s| {
        s.execute(rusqlite::params![
            "2026-12-01T00:00:00.000000Z",
            id,
            r#"[{"field":"tags","before":[],"after":["weekly"],"secret":false}]"#
        ])
    })
    .expect("change log");
}

/// The book the reads run on: customers with a year of visits and a few
/// ledger entries, a technician's route of 40 stops, and touchpoints.
fn reads_book(dir: &Path, sizes: &Sizes) -> (PathBuf, Vec<Customer>, TechnicianId) {
    let (path, customers) = customers_book(dir, "reads.sqlite", sizes.read_customers, true);
    let book = open(&path).expect("open");
    let technician = book.technicians(false).expect("technicians")[0].id;
    let mut entries = Vec::new();
    for customer in &customers {
        for week in 0..10 {
            entries.push(Entry::Visit(data::visit(customer, week)));
        }
        let day = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap_or_default();
        let invoice = poolbook::Invoice::new(
            customer.id,
            format!("B-{}", customer.id),
            day,
            day + Duration::days(15),
            vec![poolbook::InvoiceLine::new(
                "Weekly service",
                rust_decimal::Decimal::ONE,
                rust_decimal::Decimal::new(165, 0),
            )],
        );
        let payment = poolbook::Payment::new(
            customer.id,
            day,
            rust_decimal::Decimal::new(100, 0),
            poolbook::PaymentMethod::Card,
        )
        .applied_to(invoice.id, rust_decimal::Decimal::new(100, 0));
        entries.push(Entry::Invoice(invoice));
        entries.push(Entry::Payment(payment));
        if entries.len() >= 5_000 {
            book.record_entries(std::mem::take(&mut entries), &office())
                .expect("entries");
        }
    }
    book.record_entries(entries, &office()).expect("entries");
    let people = (sizes.read_touchpoints / 8).max(1);
    let mut offset = 0;
    while offset < sizes.read_touchpoints {
        let count = (sizes.read_touchpoints - offset).min(poolbook::MAX_TOUCHPOINT_BATCH);
        book.record_touchpoints(data::touchpoints(count, people, offset), &office())
            .expect("touchpoints");
        offset += count;
    }
    book.close().expect("close");
    (path, customers, technician)
}

/// Times `calls` calls of each side, alternating, into the row. Each raw
/// call runs in one read transaction on `reader`, as poolbook's reads do.
fn latency(
    row: &mut Row,
    reader: &rusqlite::Connection,
    calls: usize,
    mut poolbook: impl FnMut(usize),
    mut raw: impl FnMut(usize),
) {
    let mut raw = |call| raw::snapshot(reader, || raw(call));
    for call in 0..calls {
        if call % 2 == 0 {
            row.poolbook.push(time(|| poolbook(call)).as_secs_f64());
            row.raw.push(time(|| raw(call)).as_secs_f64());
        } else {
            row.raw.push(time(|| raw(call)).as_secs_f64());
            row.poolbook.push(time(|| poolbook(call)).as_secs_f64());
        }
    }
}

fn reads(dir: &Path, sizes: &Sizes) -> Vec<Row> {
    let (path, customers, technician) = reads_book(dir, sizes);
    let book = open(&path).expect("open");
    let conn = raw::open_reader(&path);
    let pick = |call: usize| &customers[(call * 7919) % customers.len()];
    let baseline = "raw rusqlite, the reads it needs";
    let mut customer = Row::new(
        "read a customer",
        Kind::Latency,
        "raw rusqlite, the same rows",
    )
    .target(1.5);
    let mut list = Row::new(
        "list page of 100 customers",
        Kind::Latency,
        "raw rusqlite, the same rows",
    )
    .target(1.5);
    let mut search = Row::new(
        format!("search 'oak st' over {} customers", customers.len()),
        Kind::Latency,
        "raw rusqlite FTS5 query",
    )
    .target(1.3);
    // A typo: nobody matches "mesqiute", so the book also reads its
    // vocabulary of words beginning with "m" and searches again with the
    // corrections; the baseline is the query of the word spelled right.
    let mut typo_search = Row::new(
        format!(
            "search 'mesqiute' (a typo) over {} customers",
            customers.len()
        ),
        Kind::Latency,
        "raw rusqlite FTS5 query of 'mesquite'",
    )
    .target(3.0);
    let mut timeline = Row::new("timeline page of 50", Kind::Latency, baseline).target(1.3);
    let mut stop_card = Row::new("stop card", Kind::Latency, baseline).target(1.5);
    let mut route = Row::new(
        format!("route of a technician's day ({ROUTE_STOPS} stops)"),
        Kind::Latency,
        baseline,
    )
    .target(2.0);
    let mut statement = Row::new("statement of a customer", Kind::Latency, baseline).target(1.5);
    let touchpoints = format!("{} touchpoints", sizes.read_touchpoints);
    let mut funnel = Row::new(
        format!("funnel over {touchpoints}"),
        Kind::Latency,
        "raw ordered scan of the same rows",
    )
    .target(1.5);
    let mut attribution = Row::new(
        format!("attribution over {touchpoints}"),
        Kind::Latency,
        "raw ordered scan of the same rows",
    );
    let mut response = Row::new(
        format!("lead response times over {touchpoints}"),
        Kind::Latency,
        "raw ordered scan of the same rows",
    );
    let mut segment = Row::new(
        format!("segment members (journey rule) over {touchpoints}"),
        Kind::Latency,
        "raw ordered scan of the same rows",
    );
    let mut counts = Row::new(
        format!("touchpoint counts by month and channel over {touchpoints}"),
        Kind::Latency,
        "raw GROUP BY of the same rows",
    )
    .target(1.5);

    let scans = (sizes.calls / 20).max(1);
    for _ in 0..sizes.rounds {
        latency(
            &mut customer,
            &conn,
            sizes.calls,
            |c| {
                book.customer(pick(c).id).expect("customer");
            },
            |c| {
                raw::read_customer(&conn, &pick(c).id.to_string());
            },
        );
        latency(
            &mut list,
            &conn,
            sizes.calls,
            |_| {
                book.list_customers(&CustomerQuery::default())
                    .expect("list");
            },
            |_| {
                let ids = raw::read(
                    &conn,
                    "SELECT * FROM customers WHERE archived_at IS NULL ORDER BY id LIMIT 101",
                    &[],
                );
                let all: Vec<String> = customers
                    .iter()
                    .take(100)
                    .map(|c| c.id.to_string())
                    .collect();
                let json = rusqlite::types::Value::Text(format!("[\"{}\"]", all.join("\",\"")));
                let _ = ids
                    + raw::read(
                        &conn,
                        "SELECT * FROM contacts WHERE customer_id IN (SELECT value FROM json_each(?1)) AND archived_at IS NULL",
                        std::slice::from_ref(&json),
                    )
                    + raw::read(
                        &conn,
                        "SELECT * FROM customer_tags WHERE customer_id IN (SELECT value FROM json_each(?1))",
                        std::slice::from_ref(&json),
                    )
                    + raw::read(
                        &conn,
                        "SELECT l.*, s.gate_code FROM locations l LEFT JOIN location_secrets s ON s.location_id = l.id WHERE l.customer_id IN (SELECT value FROM json_each(?1)) AND l.archived_at IS NULL",
                        std::slice::from_ref(&json),
                    )
                    + raw::read(
                        &conn,
                        "SELECT b.* FROM bodies_of_water b JOIN locations l ON l.id = b.location_id WHERE l.customer_id IN (SELECT value FROM json_each(?1)) AND b.archived_at IS NULL",
                        std::slice::from_ref(&json),
                    );
            },
        );
        latency(
            &mut search,
            &conn,
            sizes.calls,
            |_| {
                book.search_customers("oak st", 10).expect("search");
            },
            |_| {
                raw::search(
                    &conn,
                    "({name email address} : \"oak\"* AND {name email address} : \"st\"*)",
                );
            },
        );
        latency(
            &mut typo_search,
            &conn,
            sizes.calls,
            |_| {
                let hits = book.search_customers("mesqiute", 10).expect("search");
                assert!(!hits.is_empty(), "the typo is forgiven");
            },
            |_| {
                raw::search(&conn, "({name email address} : \"mesquite\"*)");
            },
        );
        latency(
            &mut timeline,
            &conn,
            sizes.calls,
            |c| {
                book.timeline(&TimelineQuery {
                    customer_id: Some(pick(c).id),
                    limit: Some(50),
                    ..TimelineQuery::default()
                })
                .expect("timeline");
            },
            |c| {
                raw::read_timeline(&conn, &pick(c).id.to_string(), 50);
            },
        );
        latency(
            &mut stop_card,
            &conn,
            sizes.calls,
            |c| {
                book.stop_card(pick(c).locations[0].id).expect("stop card");
            },
            |c| {
                let customer = pick(c);
                let location = &customer.locations[0];
                let bodies: Vec<String> = location
                    .bodies_of_water
                    .iter()
                    .map(|b| b.id.to_string())
                    .collect();
                raw::read_stop_card(
                    &conn,
                    &customer.id.to_string(),
                    &location.id.to_string(),
                    &bodies,
                );
            },
        );
        let tuesday = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        latency(
            &mut route,
            &conn,
            (sizes.calls / 10).max(2),
            |_| {
                let route = book.route(technician, tuesday).expect("route");
                assert_eq!(route.stops.len(), ROUTE_STOPS.min(customers.len()));
            },
            |_| {
                raw::read(
                    &conn,
                    "SELECT l.customer_id, l.id FROM locations l JOIN customers c ON c.id = l.customer_id \
                WHERE l.plan_technician_id = ?1 AND l.archived_at IS NULL AND c.archived_at IS NULL AND c.status = 'active' \
                ORDER BY c.display_name",
                    &[rusqlite::types::Value::Text(technician.to_string())],
                );
                for customer in customers.iter().take(ROUTE_STOPS) {
                    let location = &customer.locations[0];
                    let bodies: Vec<String> = location
                        .bodies_of_water
                        .iter()
                        .map(|b| b.id.to_string())
                        .collect();
                    raw::read_stop_card(
                        &conn,
                        &customer.id.to_string(),
                        &location.id.to_string(),
                        &bodies,
                    );
                }
            },
        );
        let (from, to) = (
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default(),
        );
        latency(
            &mut statement,
            &conn,
            sizes.calls,
            |c| {
                book.statement(pick(c).id, from, to).expect("statement");
            },
            |c| {
                raw::read(
                    &conn,
                    "SELECT * FROM history WHERE customer_id = ?1 AND kind IN ('invoice', 'payment', 'credit') AND archived_at IS NULL ORDER BY at, id",
                    &[rusqlite::types::Value::Text(pick(c).id.to_string())],
                );
            },
        );
        let definition = FunnelDefinition::new(
            vec![
                FunnelStep::new("page_viewed"),
                FunnelStep::new("estimate_requested"),
            ],
            48,
        );
        latency(
            &mut funnel,
            &conn,
            scans,
            |_| {
                book.funnel(&definition).expect("funnel");
            },
            |_| {
                raw::scan_journeys(&conn);
            },
        );
        latency(
            &mut attribution,
            &conn,
            scans,
            |_| {
                book.attribution(&poolbook::AttributionQuery::default())
                    .expect("attribution");
            },
            |_| {
                raw::scan_journeys(&conn);
            },
        );
        latency(
            &mut response,
            &conn,
            scans,
            |_| {
                book.lead_response_times(&poolbook::ResponseTimeQuery::default())
                    .expect("response");
            },
            |_| {
                raw::scan_journeys(&conn);
            },
        );
        let by_month_and_channel = poolbook::TouchpointCountQuery {
            filter: poolbook::BookFilter::default(),
            period: Some(poolbook::Period::Month),
            by: vec![poolbook::CountDimension::Channel],
        };
        latency(
            &mut counts,
            &conn,
            scans,
            |_| {
                book.count_touchpoints(&by_month_and_channel)
                    .expect("counts");
            },
            |_| {
                raw::count_by_month_and_channel(&conn);
            },
        );
        let quiet = Segment {
            name: "quiet".into(),
            rules: vec![SegmentRule::NoTouchpointFor { days: 30 }],
        };
        latency(
            &mut segment,
            &conn,
            scans,
            |_| {
                book.evaluate_segment(&quiet, data::day0() + Duration::days(400))
                    .expect("segment");
            },
            |_| {
                raw::scan_journeys(&conn);
            },
        );
    }
    drop(book);
    drop(conn);
    let mut rows = vec![
        customer,
        list,
        search,
        typo_search,
        timeline,
        stop_card,
        route,
        statement,
        funnel,
        attribution,
        response,
        segment,
        counts,
    ];
    rows.extend(opens(&path, sizes));
    rows
}

/// Opening the reads book with and without SQLite's `quick_check`: what
/// checking on open costs (docs/benchmarks.md).
fn opens(path: &Path, sizes: &Sizes) -> Vec<Row> {
    let megabytes = std::fs::metadata(path).map_or(0.0, |file| file.len() as f64 / 1e6);
    let mut checked = Row::new(
        format!("open the {megabytes:.0} MB book with quick_check (OpenCheck::Always)"),
        Kind::Latency,
        "raw rusqlite open + PRAGMA quick_check",
    );
    let mut plain = Row::new(
        "open the book without a check (OpenCheck::Never)",
        Kind::Latency,
        "raw rusqlite open",
    );
    let open = |check_on_open| {
        let options = poolbook::OpenOptions {
            check_on_open,
            ..poolbook::OpenOptions::default()
        };
        Book::open_with(path, &options)
            .expect("open")
            .close()
            .expect("close");
    };
    for _ in 0..sizes.rounds * 2 {
        checked
            .poolbook
            .push(time(|| open(poolbook::OpenCheck::Always)).as_secs_f64());
        checked
            .raw
            .push(time(|| raw::quick_check(path)).as_secs_f64());
        plain
            .poolbook
            .push(time(|| open(poolbook::OpenCheck::Never)).as_secs_f64());
        plain.raw.push(time(|| drop(raw::open(path))).as_secs_f64());
    }
    vec![checked, plain]
}

/// Building the demo company: a time of its own, no baseline.
fn demo(dir: &Path, sizes: &Sizes) -> Row {
    let mut row = Row::new(
        format!("build the {}-customer demo company", sizes.demo_customers),
        Kind::Latency,
        "-",
    );
    for round in 0..sizes.rounds {
        let book = open(dir.join(format!("demo-{round}.sqlite"))).expect("open");
        let options = DemoOptions {
            customers: sizes.demo_customers,
            ..DemoOptions::default()
        };
        row.poolbook.push(
            time(|| {
                populate_demo(&book, &options).expect("demo");
            })
            .as_secs_f64(),
        );
    }
    row
}
