//! Journey reports over many customers: cohort retention over a book of
//! `customers` who converted across a year and one in five of whom
//! cancelled, against raw rusqlite reading the same status touchpoints.

use std::path::Path;

use chrono::{Duration, Utc};
use poolbook::{
    Actor, Author, CustomerKind, Direction, JourneyChannel, LifecycleStatus, NewCustomer,
    RetentionQuery, Touchpoint,
};

use crate::measure::{Kind, Row, time};
use crate::{data, open, raw};

/// Retention over `customers` customers (docs/benchmarks.md: under 200 ms
/// for 50,000).
pub fn rows(dir: &Path, customers: usize, calls: usize, rounds: usize) -> Vec<Row> {
    let path = dir.join("journey.sqlite");
    let book = open(&path).expect("open");
    let author = Author::import("bench");
    let mut ids = Vec::with_capacity(customers);
    while ids.len() < customers {
        let count = (customers - ids.len()).min(poolbook::MAX_CUSTOMER_BATCH);
        let news = (0..count)
            .map(|n| {
                let mut new = NewCustomer::new(
                    CustomerKind::Residential,
                    format!("Cohort {}", ids.len() + n),
                );
                new.status = LifecycleStatus::Lead;
                new
            })
            .collect();
        ids.extend(
            book.create_customers(news, &author)
                .expect("customers")
                .into_iter()
                .map(|c| c.id),
        );
    }
    let mut touchpoints = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        let joined = data::day0() + Duration::days((n % 365) as i64);
        let status = |at, action: &str| {
            Touchpoint::by_customer(
                *id,
                at,
                JourneyChannel::Other,
                Direction::Inbound,
                Actor::Staff,
                action,
            )
        };
        touchpoints.push(status(joined, "converted"));
        if n % 5 == 0 {
            let mut churned = status(joined + Duration::days(100 + (n % 200) as i64), "churned");
            churned
                .properties
                .insert("reason".into(), serde_json::json!("moved away"));
            touchpoints.push(churned);
        }
    }
    for batch in touchpoints.chunks(poolbook::MAX_TOUCHPOINT_BATCH) {
        book.record_touchpoints(batch.to_vec(), &author)
            .expect("touchpoints");
    }
    let conn = raw::open_reader(&path);
    let mut retention = Row::new(
        format!("retention over {customers} customers"),
        Kind::Latency,
        "raw read of the same status touchpoints",
    );
    let query = RetentionQuery {
        since: None,
        until: None,
        as_of: Utc::now(),
        months: Vec::new(),
    };
    let calls = (calls / 20).max(2);
    for _ in 0..rounds {
        for _ in 0..calls {
            retention
                .poolbook
                .push(time(|| drop(book.retention(&query).expect("retention"))).as_secs_f64());
            retention.raw.push(
                time(|| {
                    raw::snapshot(&conn, || {
                        raw::status_touchpoints(&conn);
                    })
                })
                .as_secs_f64(),
            );
        }
    }
    vec![retention]
}
