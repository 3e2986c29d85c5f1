//! Billing and routing rows: drafting a month of invoices for the whole
//! book beside the raw reads it needs (customers, locations, the month's
//! visits, the billed keys), and ordering a day's stops for driving beside
//! the same day read in name order.

use std::path::Path;

use chrono::{Duration, NaiveDate, NaiveTime};
use poolbook::{
    AccessWindow, BillingPeriod, DraftOptions, Entry, GeoPoint, NewTechnician, RateBasis,
    RouteOptions, Weekday,
};
use rusqlite::types::Value;

use crate::measure::{Kind, Row, time};
use crate::{data, office, open, raw};

/// A book of `customers` customers, half per visit and half monthly, each
/// on a weekly plan with a visit every Tuesday of March 2026.
fn billing_book(dir: &Path, customers: usize) -> std::path::PathBuf {
    let path = dir.join("billing.sqlite");
    let book = open(&path).expect("open a book");
    let tech = book
        .add_technician(NewTechnician::new("Ana Reyes"), &office())
        .expect("technician")
        .id;
    let mut made = Vec::with_capacity(customers);
    let mut start = 0;
    while start < customers {
        let end = (start + poolbook::MAX_CUSTOMER_BATCH).min(customers);
        let news = (start..end)
            .map(|n| {
                let mut new = data::customer(n, Some(tech));
                new.billing.rate =
                    Some(rust_decimal::Decimal::new(4500 + (n % 50) as i64 * 100, 2));
                if n % 2 == 1 {
                    new.billing.rate_basis = RateBasis::Monthly;
                }
                new
            })
            .collect();
        made.extend(book.create_customers(news, &office()).expect("customers"));
        start = end;
    }
    let mut entries = Vec::new();
    for customer in &made {
        for week in 0..4 {
            let mut visit = data::visit(customer, 0);
            visit.id = poolbook::EntryId::new();
            visit.at = march_first() + Duration::days(2 + 7 * week) + Duration::hours(16);
            entries.push(Entry::Visit(visit));
        }
        if entries.len() >= poolbook::MAX_ENTRY_BATCH {
            book.record_entries(std::mem::take(&mut entries), &office())
                .expect("visits");
        }
    }
    book.record_entries(entries, &office()).expect("visits");
    book.close().expect("close");
    path
}

fn march_first() -> chrono::DateTime<chrono::Utc> {
    NaiveDate::from_ymd_opt(2026, 3, 1)
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
        .and_utc()
}

fn march() -> BillingPeriod {
    BillingPeriod::new(
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(2026, 3, 31).unwrap_or_default(),
    )
}

/// What drafting reads, through raw rusqlite: the live customers and their
/// locations, the month's visits, and which of their keys are billed.
fn raw_draft_reads(conn: &rusqlite::Connection) -> usize {
    let mut cells = raw::read(
        conn,
        "SELECT * FROM customers WHERE archived_at IS NULL ORDER BY id",
        &[],
    );
    cells += raw::read(
        conn,
        "SELECT * FROM locations WHERE archived_at IS NULL ORDER BY customer_id, position",
        &[],
    );
    let mut keys = Vec::new();
    {
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, data FROM history WHERE kind = 'visit' AND at >= ?1 AND at < ?2 \
                 AND archived_at IS NULL ORDER BY at, id",
            )
            .expect("prepare");
        let mut rows = stmt
            .query(["2026-03-01T00:00:00.000000Z", "2026-04-01T00:00:00.000000Z"])
            .expect("query");
        while let Some(row) = rows.next().expect("row") {
            let id: String = row.get(0).expect("id");
            let data: String = row.get(1).expect("data");
            cells += 1 + data.len() / 1000;
            keys.push(format!("\"visit:{id}\""));
        }
    }
    for chunk in keys.chunks(20_000) {
        cells += raw::read(
            conn,
            "SELECT key FROM billed_items WHERE key IN (SELECT value FROM json_each(?1))",
            &[Value::Text(format!("[{}]", chunk.join(",")))],
        );
    }
    cells
}

/// Drafting a month of invoices for the whole book.
pub fn draft_rows(dir: &Path, customers: usize, calls: usize) -> Vec<Row> {
    let path = billing_book(dir, customers);
    let book = open(&path).expect("open");
    let conn = raw::open_reader(&path);
    let mut row = Row::new(
        format!(
            "draft a month of invoices for {customers} customers ({} visits)",
            customers * 4
        ),
        Kind::Latency,
        "raw rusqlite, the reads it needs",
    )
    .target(4.0);
    let options = DraftOptions {
        issued_on: NaiveDate::from_ymd_opt(2026, 4, 1),
        ..DraftOptions::default()
    };
    for call in 0..calls {
        let poolbook = || {
            let drafts = book
                .draft_invoices(march(), options.clone())
                .expect("drafts");
            assert_eq!(drafts.len(), customers);
        };
        let baseline = || {
            raw::snapshot(&conn, || raw_draft_reads(&conn));
        };
        if call % 2 == 0 {
            row.poolbook.push(time(poolbook).as_secs_f64());
            row.raw.push(time(baseline).as_secs_f64());
        } else {
            row.raw.push(time(baseline).as_secs_f64());
            row.poolbook.push(time(poolbook).as_secs_f64());
        }
    }
    vec![row]
}

/// Ordering a day of `stops` stops for driving, beside the same day read
/// unordered (`Book::route`: the same stop cards, in name order).
pub fn route_rows(dir: &Path, stops: usize, calls: usize) -> Vec<Row> {
    let path = dir.join("routing.sqlite");
    let book = open(&path).expect("open");
    let tech = book
        .add_technician(NewTechnician::new("Ana Reyes"), &office())
        .expect("technician")
        .id;
    let news = (0..stops)
        .map(|n| {
            let mut new = data::customer(n, Some(tech));
            // Spread over the Phoenix valley; every fifth opens 10:00–14:00.
            let (a, b) = ((n * 7919) % 1000, (n * 104_729) % 1000);
            new.locations[0].coordinates = Some(GeoPoint {
                latitude: 33.30 + a as f64 * 0.0004,
                longitude: -112.35 + b as f64 * 0.0005,
            });
            if n % 5 == 0 {
                new.locations[0].access.access_hours = vec![AccessWindow {
                    days: vec![Weekday::Tuesday],
                    start: NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default(),
                    end: NaiveTime::from_hms_opt(14, 0, 0).unwrap_or_default(),
                }];
            }
            new
        })
        .collect();
    book.create_customers(news, &office()).expect("customers");
    let tuesday = data::day0().date_naive() + Duration::weeks(2);
    let yard = GeoPoint {
        latitude: 33.45,
        longitude: -112.07,
    };
    let options = RouteOptions {
        start: Some(yard),
        end: Some(yard),
        service_minutes: Some(15),
        ..RouteOptions::default()
    };
    let mut row = Row::new(
        format!("order a day of {stops} stops for driving (ordered_route)"),
        Kind::Latency,
        "Book::route, the same day unordered",
    )
    .target(3.0);
    for call in 0..calls {
        let ordered = || {
            let route = book
                .ordered_route(tech, tuesday, options.clone())
                .expect("ordered route");
            assert_eq!(route.stops.len(), stops);
        };
        let unordered = || {
            let route = book.route(tech, tuesday).expect("route");
            assert_eq!(route.stops.len(), stops);
        };
        if call % 2 == 0 {
            row.poolbook.push(time(ordered).as_secs_f64());
            row.raw.push(time(unordered).as_secs_f64());
        } else {
            row.raw.push(time(unordered).as_secs_f64());
            row.poolbook.push(time(ordered).as_secs_f64());
        }
    }
    vec![row]
}
