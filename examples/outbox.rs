//! The outbox tour: builds the demo company in memory and prints tomorrow's
//! visit notices — who hears, on which number or address, when (out of their
//! quiet hours, in the book's time zone), in which words — and the messages
//! held back, with why. poolbook sends nothing: an app would send each
//! message at its time and record it with `Book::mark_sent`.
//!
//! `cargo run --release --example outbox`

use chrono::{Duration, TimeZone, Utc};
use poolbook::{Book, DemoOptions, OutboxRule, passphrase_key_provider, populate_demo};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let book = Book::open_in_memory()?;
    book.unlock(passphrase_key_provider("demo company passphrase".into())?)?;
    let options = DemoOptions::default();
    let demo = populate_demo(&book, &options)?;
    // The office runs the outbox at 06:00 in Phoenix (UTC-7 all year),
    // looking through the end of tomorrow: from the demo's last day on, the
    // first run whose tomorrow is a service day.
    let mut today = options.through;
    let (at, tomorrow, outbox) = loop {
        let tomorrow = today + Duration::days(1);
        let at = Utc.from_utc_datetime(&today.and_hms_opt(13, 0, 0).unwrap_or_default());
        let outbox = book.due_messages(at, 42 * 60)?;
        let any = outbox
            .due
            .iter()
            .any(|m| m.rule == OutboxRule::VisitNotice && m.visit_date == Some(tomorrow));
        if any || today >= options.through + Duration::days(7) {
            break (at, tomorrow, outbox);
        }
        today = tomorrow;
    };
    let notices: Vec<_> = outbox
        .due
        .iter()
        .filter(|m| m.rule == OutboxRule::VisitNotice && m.visit_date == Some(tomorrow))
        .collect();
    println!(
        "{} customers in {}; outbox run at {at} (06:00 in Phoenix) for visits on {tomorrow}",
        demo.customers.len(),
        book.time_zone()?
    );
    println!("\n== Tomorrow's visit notices ({})", notices.len());
    for message in &notices {
        let local = message.send_at - Duration::hours(7);
        println!(
            "  {} MST  {:<10} {:<14} {:<22} {}",
            local.format("%a %H:%M"),
            message.channel.label(),
            message.address,
            message.recipient_name,
            message.body
        );
    }
    let others = outbox.due.len() - notices.len();
    println!("\n== Other messages due in the same window: {others}");
    for message in outbox
        .due
        .iter()
        .filter(|m| m.rule != OutboxRule::VisitNotice)
        .take(5)
    {
        println!(
            "  [{}] {}: {}",
            message.rule, message.recipient_name, message.body
        );
    }
    println!("\n== Held back ({})", outbox.suppressed.len());
    for held in outbox.suppressed.iter().take(10) {
        println!("  [{}] {}", held.rule, held.why);
    }
    Ok(())
}
