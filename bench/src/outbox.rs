//! The outbox (issue 21): `due_messages` for one day of a large book (every
//! customer asked for a text the day before; each weekday's route holds a
//! fifth of them; some past-due invoices and partial payments), against raw
//! rusqlite reading the rows the rules need in one read transaction.

use std::path::Path;

use chrono::{Duration, NaiveTime, TimeZone, Utc};
use poolbook::{
    Book, ContactChannel, Entry, Invoice, InvoiceLine, NewTechnician, Payment, PaymentMethod,
    TimeWindow, VisitNotice, Weekday,
};
use rusqlite::types::Value;

use crate::measure::{Kind, Row, time};
use crate::raw::{open_reader, read, snapshot};
use crate::{data, office, open};

const WEEKDAYS: [Weekday; 5] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
];

/// Builds the book: `count` customers, notices by SMS a day ahead (quiet
/// hours 21:00-07:00 for every third), a weekday route each, and an
/// invoice for every tenth customer, past due on `monday`, and for every
/// twentieth a partial payment the day before.
fn build(book: &Book, count: usize, monday: chrono::NaiveDate) {
    book.set_time_zone("America/Phoenix", &office())
        .expect("time zone");
    let tech = book
        .add_technician(NewTechnician::new("Ana Reyes"), &office())
        .expect("technician")
        .id;
    let mut customers = Vec::with_capacity(count);
    for start in (0..count).step_by(poolbook::MAX_CUSTOMER_BATCH) {
        let news = (start..count.min(start + poolbook::MAX_CUSTOMER_BATCH))
            .map(|n| {
                let mut new = data::customer(n, Some(tech));
                if let Some(plan) = &mut new.locations[0].service_plan {
                    plan.preferred_weekday = Some(WEEKDAYS[n % WEEKDAYS.len()]);
                }
                let owner = new.contacts[0].id;
                new.preferences.notify_before_visit =
                    Some(VisitNotice::new(ContactChannel::Sms, owner, 24 * 60));
                if n % 3 == 0 {
                    new.preferences.quiet_hours = Some(TimeWindow {
                        start: NaiveTime::from_hms_opt(21, 0, 0).unwrap_or_default(),
                        end: NaiveTime::from_hms_opt(7, 0, 0).unwrap_or_default(),
                    });
                }
                new
            })
            .collect();
        customers.extend(book.create_customers(news, &office()).expect("customers"));
    }
    let issued = monday - Duration::days(27);
    let mut entries = Vec::new();
    for (n, customer) in customers.iter().enumerate().filter(|(n, _)| n % 10 == 0) {
        let invoice = Invoice::new(
            customer.id,
            format!("B-{n:06}"),
            issued,
            issued + Duration::days(15),
            vec![InvoiceLine::new(
                "Monthly service",
                rust_decimal::Decimal::ONE,
                rust_decimal::Decimal::new(125, 0),
            )],
        );
        if n % 20 == 0 {
            let payment = Payment::new(
                customer.id,
                monday - Duration::days(1),
                rust_decimal::Decimal::new(80, 0),
                PaymentMethod::Card,
            )
            .applied_to(invoice.id, rust_decimal::Decimal::new(80, 0));
            entries.push(Entry::Invoice(invoice));
            entries.push(Entry::Payment(payment));
        } else {
            entries.push(Entry::Invoice(invoice));
        }
    }
    for chunk in entries.chunks(poolbook::MAX_ENTRY_BATCH) {
        book.record_entries(chunk.to_vec(), &office())
            .expect("ledger entries");
    }
}

/// The outbox row: `due_messages` over 24 hours of a `count`-customer book.
pub fn rows(dir: &Path, count: usize, rounds: usize) -> Vec<Row> {
    // Monday 08:00 in Phoenix, 27 weeks in, as Monday's route starts: the
    // next 24 hours (to 07:59 tomorrow) hold Tuesday's notices, a day
    // ahead, and the thanks for yesterday's partial payments.
    let monday = data::day0().date_naive() + Duration::weeks(27) - Duration::days(1);
    let path = dir.join("outbox.sqlite");
    let book = open(&path).expect("open");
    build(&book, count, monday);
    let at = Utc.from_utc_datetime(&monday.and_hms_opt(15, 0, 0).unwrap_or_default());
    let mut row = Row::new(
        format!(
            "due_messages for a day of {count} customers ({} visits due), target < 1 s",
            count / WEEKDAYS.len()
        ),
        Kind::Latency,
        "raw rusqlite: the notice plans, the due customers' records, the ledger rows",
    );
    let since_year = (at - Duration::days(120))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let since_applied = (at - Duration::days(151))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let since_days = (at - Duration::hours(72))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let reader = open_reader(&path);
    // The records of the customers due tomorrow (Tuesday's route), and of
    // those with a past-due invoice or a partial payment.
    let customers_due = "SELECT id FROM customers WHERE id IN (SELECT customer_id FROM locations \
                         WHERE plan_weekday = 'tuesday') OR id IN (SELECT customer_id FROM history \
                         WHERE kind = 'invoice')";
    let records: Vec<String> = [
        "SELECT * FROM customers WHERE id IN (CUSTOMERS)",
        "SELECT * FROM contacts WHERE customer_id IN (CUSTOMERS) AND archived_at IS NULL",
        "SELECT tag FROM customer_tags WHERE customer_id IN (CUSTOMERS)",
        "SELECT * FROM locations WHERE customer_id IN (CUSTOMERS) AND archived_at IS NULL",
        "SELECT b.* FROM bodies_of_water b JOIN locations l ON l.id = b.location_id \
         WHERE l.customer_id IN (CUSTOMERS) AND b.archived_at IS NULL",
    ]
    .iter()
    .map(|sql| sql.replace("CUSTOMERS", customers_due))
    .collect();
    for _ in 0..rounds {
        let mut due = 0;
        row.poolbook.push(
            time(|| {
                due = book.due_messages(at, 24 * 60 - 1).expect("due").due.len();
            })
            .as_secs_f64(),
        );
        assert!(due >= count / WEEKDAYS.len(), "{due} due");
        row.raw.push(
            time(|| {
                snapshot(&reader, || {
                    let year = [Value::Text(since_year.clone())];
                    let days = [Value::Text(since_days.clone())];
                    let applied = [Value::Text(since_applied.clone())];
                    read(&reader, "SELECT * FROM settings", &[])
                        + read(&reader, "SELECT * FROM technicians", &[])
                        + read(
                            &reader,
                            "SELECT l.customer_id, l.id, l.plan_frequency, l.plan_weekday, \
                             l.plan_technician_id, l.plan_starts_on, l.plan_ends_on, \
                             json_extract(c.preferences, '$.notify_before_visit.lead_time_minutes') \
                             FROM locations l JOIN customers c ON c.id = l.customer_id \
                             WHERE l.archived_at IS NULL AND l.plan_frequency IS NOT NULL \
                             AND c.archived_at IS NULL AND c.status = 'active' \
                             AND json_type(c.preferences, '$.notify_before_visit') = 'object'",
                            &[],
                        )
                        + records
                            .iter()
                            .map(|sql| read(&reader, sql, &[]))
                            .sum::<usize>()
                        + read(
                            &reader,
                            "SELECT * FROM history WHERE kind = 'visit' AND status = 'skipped' \
                             AND at >= ?1",
                            &days,
                        )
                        + read(
                            &reader,
                            "SELECT * FROM history WHERE kind = 'invoice' AND at >= ?1",
                            &year,
                        )
                        + read(
                            &reader,
                            "SELECT * FROM history WHERE kind IN ('payment', 'credit') \
                             AND at >= ?1",
                            &applied,
                        )
                        + read(&reader, "SELECT * FROM outbox", &[])
                });
            })
            .as_secs_f64(),
        );
    }
    vec![row]
}
