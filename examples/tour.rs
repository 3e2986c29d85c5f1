//! The tour: builds a demo company's book — a pool service in the Phoenix
//! area, about 200 customers and a year of service — and prints what
//! poolbook is for: a technician's route for a day, a stop card, a timeline
//! page, and the statement of a customer who paid part of a bill and the
//! rest late.
//!
//! `cargo run --release --example tour [BOOK_FILE]` writes BOOK_FILE
//! (default `poolbook-demo.sqlite`), replacing a file of that name and its
//! `-wal` and `-shm` companions.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use poolbook::{
    Author, Book, CustomerId, Entry, EntryKind, SecretField, TimelineItem, TimelineQuery,
    passphrase_key_provider,
};
use poolbook::{DemoOptions, populate_demo};

/// The passphrase the demo book's secrets are sealed with.
const DEMO_PASSPHRASE: &str = "demo company passphrase";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "poolbook-demo.sqlite".to_owned());
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    let book = Book::open(&path)?;
    // The gate codes are sealed under a key from this passphrase (a field
    // app would keep its key in the Android Keystore or the iOS Keychain).
    book.unlock(passphrase_key_provider(DEMO_PASSPHRASE.to_owned())?)?;
    let options = DemoOptions::default();
    let started = std::time::Instant::now();
    let demo = populate_demo(&book, &options)?;
    println!(
        "Built {path} in {:.1?}: {} customers, {} technicians, {} visits, {} invoices, {} payments, {} other entries",
        started.elapsed(),
        demo.customers.len(),
        demo.technicians.len(),
        demo.visits,
        demo.invoices,
        demo.payments,
        demo.other_entries
    );

    // The first technician's busiest day of the last week of the history.
    let mut busiest = book.route(demo.technicians[0], options.through)?;
    for back in 1..7 {
        let route = book.route(demo.technicians[0], options.through - Duration::days(back))?;
        if route.stops.len() > busiest.stops.len() {
            busiest = route;
        }
    }
    let (route, day) = (busiest.clone(), busiest.date);
    println!(
        "\n== Route for {} on {} ({} stops)",
        route.technician.name,
        day.format("%A %e %B %Y"),
        route.stops.len()
    );
    for (n, stop) in route.stops.iter().enumerate() {
        println!(
            "{:2}. {} — {}",
            n + 1,
            stop.customer_name,
            stop.address.one_line()
        );
    }

    // The stop card of the most interesting stop: pets, hazards or an open issue.
    let stop = route
        .stops
        .iter()
        .max_by_key(|s| {
            s.pets.len() + s.hazards.len() + 2 * s.open_issues.len() + usize::from(s.overdue)
        })
        .ok_or("the route is empty")?;
    println!("\n== Stop card\n{stop}");
    let technician = Author::technician(demo.technicians[0]);
    let revealed = book.reveal_secret(
        stop.location_id,
        SecretField::GateCode,
        &technician,
        "at the gate",
    )?;
    if let Some(code) = revealed.as_ref().and_then(|code| code.reveal()) {
        println!("  (gate code, revealed on purpose and audited: {code})");
    }

    println!("\n== Timeline of {} (latest 8)", stop.customer_name);
    let page = book.timeline(&TimelineQuery {
        customer_id: Some(stop.customer_id),
        include_changes: true,
        limit: Some(8),
        ..TimelineQuery::default()
    })?;
    for item in &page.items {
        match item {
            TimelineItem::Entry { author, .. } => {
                println!("  {item}  — {}", book.author_name(author)?)
            }
            _ => println!("  {item}"),
        }
    }

    // A customer who paid part of an invoice and the rest after its due
    // date, in the last three months.
    let to = options.through;
    let from = (to - Duration::days(90)).with_day(1).ok_or("bad date")?;
    let (customer, invoice_number) = demo
        .customers
        .iter()
        .find_map(|id| partly_then_late(&book, *id, from).transpose())
        .transpose()?
        .ok_or("no customer paid part of an invoice and the rest late")?;
    let name = book.customer(customer)?.display_name;
    let statement = book.statement(customer, from, to)?;
    println!(
        "\n== Statement of {name}: invoice {invoice_number} was paid in part, the rest late\n{statement}"
    );
    Ok(())
}

/// The number of an invoice issued from `since` on that `customer` paid in
/// part and in full only after its due date, if there is one.
fn partly_then_late(
    book: &Book,
    customer: CustomerId,
    since: NaiveDate,
) -> Result<Option<(CustomerId, String)>, poolbook::Error> {
    let entries = book.timeline(&TimelineQuery {
        customer_id: Some(customer),
        kinds: vec![EntryKind::Invoice, EntryKind::Payment],
        limit: Some(40),
        ..TimelineQuery::default()
    })?;
    let mut invoices = HashMap::new();
    let mut payments = Vec::new();
    for item in entries.items {
        match item {
            TimelineItem::Entry {
                entry: Entry::Invoice(invoice),
                ..
            } => {
                invoices.insert(invoice.id, invoice);
            }
            TimelineItem::Entry {
                entry: Entry::Payment(payment),
                ..
            } => payments.push(payment),
            _ => {}
        }
    }
    for invoice in invoices.values().filter(|i| i.issued_on >= since) {
        let paid: Vec<_> = payments
            .iter()
            .flat_map(|p| p.applications.iter().map(move |a| (p.received_on, a)))
            .filter(|(_, a)| a.invoice_id == invoice.id)
            .collect();
        let partial = paid.len() >= 2;
        let late = paid.iter().any(|(on, _)| *on > invoice.due_on);
        if partial && late {
            return Ok(Some((customer, invoice.number.clone())));
        }
    }
    Ok(None)
}
