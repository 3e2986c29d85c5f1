//! The same operations on the SQLite store and the PostgreSQL store give the
//! same answers (issue 22): the demo company plus a scenario of the cases
//! where two databases most easily differ — the order of equal timestamps
//! across timeline pages, Unicode and case in names, decimal money,
//! microsecond times, floats read back bit for bit — read back through
//! every kind of query into one transcript per store, compared line by
//! line. Ids (made fresh in each book) are numbered in order of first
//! appearance, and instants made by the clock during the test are written
//! `<now>`; search ranking is compared as the set of hits and the top hit.
#![cfg(feature = "postgres")]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use poolbook::testing::{postgres::TestDatabase, unlocked};
use poolbook::{
    AttributionQuery, Author, Book, ChangeLogQuery, CustomerKind, CustomerQuery, DemoOptions,
    FunnelDefinition, FunnelStep, Invoice, InvoiceLine, JourneyChannel, NewCustomer, NewTechnician,
    Note, Payment, PaymentMethod, ResponseTimeQuery, TimelineQuery,
};
use rust_decimal::Decimal;

fn office() -> Author {
    Author::office("dana")
}

fn at(micros: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap() + Duration::microseconds(micros)
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, d).unwrap()
}

/// Everything the scenario reads back, one line per answer.
fn transcript(book: &Book) -> Vec<String> {
    let mut lines = Vec::new();
    let mut say = |line: String| lines.push(line);

    let demo = poolbook::populate_demo(
        book,
        &DemoOptions {
            // 70: enough for the PostgreSQL store's COPY path (64 and up).
            customers: 70,
            weeks: 6,
            ..DemoOptions::default()
        },
    )
    .unwrap();
    say(format!("demo {demo:?}"));

    // Unicode and case: byte order, as SQLite's BINARY collation sorts.
    let names = [
        "Zoë Ångström",
        "zoe angstrom",
        "Émile Zola",
        "émile zola",
        "ábaco Pools",
        "Abaco Pools",
        "東京 Pools",
        "Straße GmbH",
        "O'Brien & Sons",
        "obrien",
    ];
    let mut people = Vec::new();
    for name in names {
        let customer = book
            .create_customer(NewCustomer::new(CustomerKind::Residential, name), &office())
            .unwrap();
        book.add_technician(NewTechnician::new(name), &office())
            .unwrap();
        people.push(customer);
    }
    say(format!("technicians {:?}", book.technicians(true).unwrap()));
    for query in [
        "zoe", "ZOË", "emile", "ÉMILE", "abaco", "東京", "strasse", "straße", "o'brien", "obrien",
        "o brien", "pools", "5550", "nobody",
    ] {
        let hits = book.search_customers(query, 50).unwrap();
        let mut found: Vec<&str> = hits.iter().map(|hit| hit.display_name.as_str()).collect();
        let top = found.first().copied();
        found.sort_unstable();
        say(format!("search {query:?}: top {top:?} of {found:?}"));
    }

    // Equal timestamps and microseconds: ten notes at one instant, others
    // a microsecond apart, paged three at a time newest first.
    let maria = &people[0];
    for n in 0..10 {
        let mut note = Note::new(maria.id, format!("same instant {n}"));
        note.at = at(0);
        book.add_note(note, &office()).unwrap();
    }
    for micros in [1, -1, 999_999, 1_000_000] {
        let mut note = Note::new(maria.id, format!("at +{micros}µs"));
        note.at = at(micros);
        book.add_note(note, &office()).unwrap();
    }
    // Decimal money, with the scale it was given.
    let invoice = book
        .add_invoice(
            Invoice::new(
                maria.id,
                "P-1",
                day(1),
                day(15),
                vec![
                    InvoiceLine::new("Service", Decimal::new(3, 0), Decimal::new(3_125, 2)),
                    InvoiceLine::new("Chlorine", Decimal::new(15, 1), Decimal::new(1_990, 3)),
                    InvoiceLine::new("Rounding", Decimal::ONE, Decimal::new(1, 2)),
                ],
            ),
            &office(),
        )
        .unwrap();
    book.record_payment(
        Payment::new(
            maria.id,
            day(3),
            Decimal::new(5_000, 2),
            PaymentMethod::Card,
        )
        .applied_to(invoice.id, Decimal::new(5_000, 2)),
        &office(),
    )
    .unwrap();
    say(format!("ledger {:?}", book.ledger(maria.id).unwrap()));
    say(format!(
        "balances {:?}",
        book.invoice_balances(maria.id).unwrap()
    ));

    // Every customer, in pages of five, archived ones included.
    let mut query = CustomerQuery {
        limit: Some(5),
        archived: poolbook::ArchivedFilter::Include,
        ..CustomerQuery::default()
    };
    loop {
        let page = book.list_customers(&query).unwrap();
        for customer in &page.customers {
            say(format!("customer {customer:?}"));
        }
        match page.next_after {
            Some(after) => query.after = Some(after),
            None => break,
        }
    }

    // Timelines, changes included, in pages of three.
    for &customer in demo.customers.iter().take(4).chain([&maria.id]) {
        let mut query = TimelineQuery {
            customer_id: Some(customer),
            include_changes: true,
            limit: Some(3),
            ..TimelineQuery::default()
        };
        loop {
            let page = book.timeline(&query).unwrap();
            say(format!("timeline {:?}", page.items));
            match page.next_cursor {
                Some(cursor) => query.cursor = Some(cursor),
                None => break,
            }
        }
        say(format!("statement {:?}", book.ledger(customer).unwrap()));
        say(format!(
            "aging {:?}",
            book.aging(customer, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap())
                .unwrap()
        ));
        say(format!(
            "touchpoints {:?}",
            book.touchpoints(&poolbook::TouchpointQuery {
                customer_id: Some(customer),
                ..Default::default()
            })
            .unwrap()
        ));
    }
    for &technician in &demo.technicians {
        say(format!(
            "route {:?}",
            book.route(technician, NaiveDate::from_ymd_opt(2026, 11, 18).unwrap())
                .unwrap()
        ));
    }

    // The journey analytics, which read the one journey scan.
    let funnel = book
        .funnel(&FunnelDefinition::new(
            vec![
                FunnelStep::new("page_viewed"),
                FunnelStep::new("estimate_requested").on(JourneyChannel::Website),
                FunnelStep::new("payment_made"),
            ],
            60 * 24,
        ))
        .unwrap();
    say(format!("funnel {funnel:?}"));
    say(format!(
        "responses {:?}",
        book.lead_response_times(&ResponseTimeQuery::default())
            .unwrap()
    ));
    say(format!(
        "attribution {:?}",
        book.attribution(&AttributionQuery::default()).unwrap()
    ));

    // The change log, whole, oldest first.
    let log = book
        .change_log(&ChangeLogQuery {
            limit: Some(10_000),
            ..ChangeLogQuery::default()
        })
        .unwrap();
    for record in &log {
        say(format!(
            "change {:?} {:?} {} {:?} {:?} {:?}",
            record.entity,
            record.action,
            record.entity_id,
            record.customer_id,
            record.author,
            record.changes
        ));
    }
    say(format!("integrity {:?}", book.check_integrity().unwrap()));
    lines
}

/// `line` with every UUID and data-key id numbered by first appearance and every instant
/// at or after `since` written `<now>`.
fn normalise(line: &str, ids: &mut Vec<String>, since: DateTime<Utc>) -> String {
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut index = 0;
    while index < line.len() {
        let rest = &line[index..];
        let key_id = rest
            .get(..18)
            .filter(|text| text.starts_with('"') && text.ends_with('"'))
            .filter(|text| {
                text[1..17]
                    .chars()
                    .all(|c| matches!(c, '0'..='9' | 'a'..='f'))
            });
        if let Some(key_id) = key_id {
            // A data key's id: random, like a UUID.
            let number = match ids.iter().position(|seen| seen == key_id) {
                Some(number) => number,
                None => {
                    ids.push(key_id.to_owned());
                    ids.len() - 1
                }
            };
            out.push_str(&format!("\"#{number}\""));
            index += 18;
            continue;
        }
        if let Some(uuid) = rest.get(..36).filter(|text| is_uuid(text)) {
            let number = match ids.iter().position(|seen| seen == uuid) {
                Some(number) => number,
                None => {
                    ids.push(uuid.to_owned());
                    ids.len() - 1
                }
            };
            out.push_str(&format!("#{number}"));
            index += 36;
            continue;
        }
        if let Some((instant, length)) = instant_at(rest) {
            if instant >= since {
                out.push_str("<now>");
            } else {
                out.push_str(&rest[..length]);
            }
            index += length;
            continue;
        }
        let c = rest.chars().next().unwrap();
        out.push(c);
        index += c.len_utf8();
        let _ = bytes;
    }
    out
}

fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit() && !c.is_ascii_uppercase(),
        })
}

/// An RFC 3339 UTC instant (`2026-06-01T12:00:00.000001Z`) at the start of
/// `text`, and its length.
fn instant_at(text: &str) -> Option<(DateTime<Utc>, usize)> {
    if text.len() < 20 || !text.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let end = text.find('Z')? + 1;
    if end > 32 {
        return None;
    }
    DateTime::parse_from_rfc3339(&text[..end])
        .ok()
        .map(|instant| (instant.with_timezone(&Utc), end))
}

#[test]
fn both_stores_answer_every_query_the_same() {
    let since = Utc::now() - Duration::seconds(1);
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Book::open(dir.path().join("book.sqlite")).unwrap();
    let database = TestDatabase::create();
    let postgres = Book::open(database.url()).unwrap();

    let sqlite_lines = transcript(unlocked(&sqlite));
    let postgres_lines = transcript(unlocked(&postgres));
    assert!(sqlite_lines.len() > 500, "{} lines", sqlite_lines.len());
    let (mut sqlite_ids, mut postgres_ids) = (Vec::new(), Vec::new());
    for (number, (a, b)) in sqlite_lines.iter().zip(&postgres_lines).enumerate() {
        let a = normalise(a, &mut sqlite_ids, since);
        let b = normalise(b, &mut postgres_ids, since);
        assert_eq!(
            a, b,
            "line {number} differs:\nSQLite:     {a}\nPostgreSQL: {b}"
        );
    }
    assert_eq!(sqlite_lines.len(), postgres_lines.len());
    assert!(
        sqlite_lines.iter().any(|line| line.contains(".000001Z")),
        "microsecond instants are in the transcript"
    );
}

#[test]
fn the_normaliser_numbers_ids_and_hides_only_new_instants() {
    let since = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    let mut ids = Vec::new();
    let line = "a 0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b b 0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c \
                a 0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b at 2026-06-01T12:00:00.000001Z \
                made 2026-12-06T23:00:00.123456Z key \"660485e3597356ad\"";
    assert_eq!(
        normalise(line, &mut ids, since),
        "a #0 b #1 a #0 at 2026-06-01T12:00:00.000001Z made <now> key \"#2\""
    );
}
