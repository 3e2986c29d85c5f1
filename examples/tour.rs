//! The tour: builds a demo company's book (`poolbook-demo.sqlite`: about 200
//! customers and a year of service) and prints what poolbook is for — a stop
//! card, a timeline page, a statement, and a technician's route for a day.
//!
//! `cargo run --release --example tour [BOOK_FILE]`

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use poolbook::{Book, Entry};
use poolbook::{DemoOptions, populate_demo};
use poolbook::{TimelineItem, TimelineQuery};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "poolbook-demo.sqlite".to_owned());
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    let book = Book::open(&path)?;
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

    // A technician's route on the last Tuesday of the history.
    let mut day: NaiveDate = options.through;
    while day.weekday() != Weekday::Tue {
        day -= Duration::days(1);
    }
    let route = book.route(demo.technicians[0], day)?;
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
    if let Some(code) = &stop.gate_code {
        println!("  (gate code, revealed on purpose: {})", code.reveal());
    }

    println!("\n== Timeline of {} (latest 8)", stop.customer_name);
    let page = book.timeline(&TimelineQuery {
        customer_id: Some(stop.customer_id),
        include_changes: true,
        limit: Some(8),
        ..TimelineQuery::default()
    })?;
    for item in &page.items {
        let line = match item {
            TimelineItem::Entry { entry, .. } => describe(entry),
            TimelineItem::Change(change) => format!("{} {}", change.action, change.entity),
            TimelineItem::Touchpoint(t) => format!("{} via {}", t.action, t.channel),
        };
        println!("  {}  {line}", item.at().format("%Y-%m-%d %H:%M"));
    }

    let from = options.through.with_day(1).ok_or("bad date")? - Duration::days(62);
    let from = from.with_day(1).ok_or("bad date")?;
    let statement = book.statement(stop.customer_id, from, options.through)?;
    println!("\n== Statement {} to {}", statement.from, statement.to);
    println!("  opening balance {:>10}", statement.opening_balance);
    for line in &statement.lines {
        println!(
            "  {}  {:<40} {:>10} {:>10}",
            line.on, line.description, line.amount, line.running_balance
        );
    }
    println!("  closing balance {:>10}", statement.closing_balance);
    Ok(())
}

fn describe(entry: &Entry) -> String {
    match entry {
        Entry::Visit(v) => match v.skip_reason {
            Some(reason) => format!("visit skipped ({reason})"),
            None => format!(
                "visit: FC {} pH {}",
                v.readings
                    .free_chlorine
                    .map_or("-".into(), |x| x.to_string()),
                v.readings.ph.map_or("-".into(), |x| x.to_string())
            ),
        },
        Entry::Invoice(i) => format!("invoice {} for {}", i.number, i.total()),
        Entry::Payment(p) => format!("payment {} by {}", p.amount, p.method),
        Entry::Credit(c) => format!("{} {}: {}", c.kind, c.amount, c.reason),
        Entry::Message(m) => format!("{} {}: {}", m.direction, m.channel, m.body),
        Entry::Issue(i) => format!("issue [{}] {} ({})", i.category, i.summary, i.status),
        Entry::Note(n) => format!("note: {}", n.text),
        Entry::Feedback(f) => format!("feedback {}/5", f.rating),
    }
}
