//! The journey tour: builds the demo company's book (with a year of
//! journeys across the website, email, phone, the portal and the mail) and
//! prints a funnel, lead response times, attribution by channel, and one
//! segment with its members.
//!
//! `cargo run --release --example journey [BOOK_FILE]` writes BOOK_FILE
//! (default `poolbook-journey.sqlite`, not the tour's book), replacing a file
//! of that name and its `-wal` and `-shm` companions.

use chrono::{Duration, TimeZone, Utc};
use poolbook::ResponseTimeQuery;
use poolbook::{AttributionModel, AttributionQuery};
use poolbook::{Author, Book, JourneyChannel, passphrase_key_provider};
use poolbook::{DemoOptions, populate_demo};
use poolbook::{FunnelDefinition, FunnelStep};
use poolbook::{Segment, SegmentRule};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "poolbook-journey.sqlite".to_owned());
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    let book = Book::open(&path)?;
    // The demo's gate codes are sealed under a key from this passphrase.
    book.unlock(passphrase_key_provider("demo company passphrase".into())?)?;
    let options = DemoOptions::default();
    let demo = populate_demo(&book, &options)?;
    println!(
        "Built {path}: {} customers, {} touchpoints",
        demo.customers.len(),
        demo.touchpoints
    );

    let funnel = book.funnel(&FunnelDefinition::new(
        vec![
            FunnelStep::new("page_viewed"),
            FunnelStep::new("estimate_requested").on(JourneyChannel::Website),
            FunnelStep::new("payment_made"),
        ],
        60 * 24,
    ))?;
    println!(
        "\n== Funnel: page viewed → estimate requested → first payment (60-day window), new people"
    );
    for step in &funnel.new.steps {
        let median = step
            .median_seconds_to_convert
            .map_or("-".to_owned(), |s| format!("{:.1} days", s / 86_400.0));
        println!(
            "  {:<20} entered {:>5}  converted {:>5} ({:>5.1}%)  median to next {median}",
            step.action,
            step.entered,
            step.converted,
            step.conversion_rate * 100.0
        );
    }
    for (channel, counts) in &funnel.by_first_channel {
        println!(
            "  first touch on {channel:<9} {:>5} people, {:>4} paid",
            counts.people(),
            counts.completed()
        );
    }

    let responses = book.lead_response_times(&ResponseTimeQuery::default())?;
    println!("\n== Lead response time");
    println!(
        "  {} leads, {} answered; median {:.0} min, 90th percentile {:.1} h; {:.0}% within the hour; {} waiting",
        responses.leads,
        responses.answered,
        responses.median_seconds.unwrap_or(0.0) / 60.0,
        responses.p90_seconds.unwrap_or(0.0) / 3600.0,
        responses.within_target * 100.0,
        responses.unanswered.len()
    );

    let attribution = book.attribution(&AttributionQuery {
        lookback_days: 60,
        ..AttributionQuery::default()
    })?;
    println!(
        "\n== Attribution of {} first payments (60-day lookback)",
        attribution.conversions
    );
    for model in [
        AttributionModel::FirstTouch,
        AttributionModel::LastTouch,
        AttributionModel::PositionBased,
    ] {
        let credits = attribution.model(model);
        let shares: Vec<String> = credits
            .by_channel
            .iter()
            .map(|(channel, credit)| format!("{channel} {:.1}", credit))
            .collect();
        println!("  {model:<15} {}", shares.join(", "));
    }

    let segment = Segment {
        name: "Reminded, not paid".into(),
        rules: vec![
            SegmentRule::DidButNot {
                did: "reminder_opened".into(),
                not: "payment_made".into(),
                within_days: 7,
            },
            SegmentRule::OverdueMoreThan { days: 30 },
        ],
    };
    book.save_segment(segment, &Author::office("dana"))?;
    let as_of = Utc.from_utc_datetime(&options.through.and_hms_opt(18, 0, 0).unwrap_or_default())
        + Duration::days(0);
    let members = book.segment_members("Reminded, not paid", as_of)?;
    println!(
        "\n== Segment 'Reminded, not paid' (overdue > 30 days): {} members",
        members.len()
    );
    for member in members.iter().take(8) {
        println!(
            "  {:<24} owes {} ({} days overdue)",
            member.display_name,
            member
                .values
                .get("remaining")
                .and_then(|v| v.as_str())
                .unwrap_or("?"),
            member
                .values
                .get("days_overdue")
                .map_or("?".to_owned(), |v| v.to_string())
        );
    }
    Ok(())
}
