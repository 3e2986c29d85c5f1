//! The demo company: the same seed gives the same company, record for
//! record and entry for entry.

use poolbook::{Book, Customer, TimelineQuery};

/// Everything generated about a customer except the times its records were
/// written (created, updated, an issue resolved).
fn content(book: &Book, customer: &Customer) -> serde_json::Value {
    let mut record = serde_json::to_value(customer).unwrap();
    for written in ["created_at", "updated_at"] {
        record.as_object_mut().unwrap().remove(written);
    }
    let entries: Vec<serde_json::Value> = book
        .timeline(&TimelineQuery {
            customer_id: Some(customer.id),
            limit: Some(1000),
            ..Default::default()
        })
        .unwrap()
        .items
        .iter()
        .map(|item| {
            let mut value = serde_json::to_value(item).unwrap();
            // When an issue was resolved is, like created_at, the time of writing.
            if let Some(entry) = value.get_mut("entry").and_then(|e| e.as_object_mut()) {
                entry.remove("resolved_at");
            }
            value
        })
        .collect();
    serde_json::json!({ "record": record, "entries": entries })
}

/// An empty in-memory book, unlocked so the demo's gate codes can be sealed.
fn unlocked_book() -> Book {
    let book = Book::open_in_memory().unwrap();
    book.unlock(poolbook::testing::test_key_provider()).unwrap();
    book
}

fn demo_book(seed: u64) -> (Book, poolbook::DemoSummary) {
    let book = unlocked_book();
    let options = poolbook::DemoOptions {
        seed,
        customers: 12,
        technicians: 2,
        weeks: 10,
        ..Default::default()
    };
    let summary = poolbook::populate_demo(&book, &options).unwrap();
    (book, summary)
}

#[test]
fn the_demo_company_is_the_same_for_the_same_seed() {
    let (first, one) = demo_book(7);
    let (second, two) = demo_book(7);
    assert_eq!(one, two);
    assert_eq!(one.customers.len(), 12);
    assert!(
        one.visits > 50 && one.invoices > 5 && one.payments > 0,
        "{one:?}"
    );
    for id in &one.customers {
        let (a, b) = (first.customer(*id).unwrap(), second.customer(*id).unwrap());
        assert_eq!(
            content(&first, &a),
            content(&second, &b),
            "customer {}",
            a.display_name
        );
    }
    let (_, other) = demo_book(8);
    assert_ne!(
        other.customers, one.customers,
        "another seed, another company"
    );
}

/// The demo company reads like a pool service in Phoenix: desert seasons in
/// the water, every spa serviced, commercial accounts billed as such,
/// invoices that count visits in words, partial and late payments with a
/// late fee, and no service for a customer 45 days past due.
#[test]
fn the_demo_company_is_a_plausible_phoenix_pool_service() {
    use poolbook::{ContactRole, CustomerKind, Entry, LifecycleStatus, RateBasis, WaterKind};
    use std::collections::HashSet;

    let book = unlocked_book();
    let options = poolbook::DemoOptions {
        customers: 40,
        ..Default::default()
    };
    let summary = poolbook::populate_demo(&book, &options).unwrap();
    assert_eq!(book.time_zone().unwrap(), "America/Phoenix");

    let mut january = Vec::new();
    let mut july = Vec::new();
    let mut serviced_bodies = HashSet::new();
    let (mut partial, mut late_fees, mut paused_for_debt) = (0, 0, 0);
    for id in &summary.customers {
        let customer = book.customer(*id).unwrap();
        let location = &customer.locations[0];
        assert_eq!(location.address.region, "AZ");
        match customer.kind {
            CustomerKind::Residential => {
                let rate = customer.billing.rate.unwrap();
                match customer.billing.rate_basis {
                    RateBasis::Monthly => assert!((150..=195).contains(&rate.trunc().mantissa())),
                    _ => assert!((55..=85).contains(&rate.trunc().mantissa())),
                }
                assert_eq!(customer.billing.terms_days, 15);
            }
            _ => {
                assert!(customer.billing.rate.unwrap() >= rust_decimal::Decimal::new(450, 0));
                assert_eq!(customer.billing.terms_days, 30);
                assert!(
                    customer.billing.address.is_some(),
                    "billed to the manager's office"
                );
                assert_eq!(customer.contacts[0].role, ContactRole::PropertyManager);
            }
        }
        let items = book
            .timeline(&TimelineQuery {
                customer_id: Some(*id),
                limit: Some(1000),
                ..Default::default()
            })
            .unwrap()
            .items;
        let mut paused_at = None;
        let mut invoices = std::collections::HashMap::new();
        for item in items.iter().rev() {
            let poolbook::TimelineItem::Entry { entry, .. } = item else {
                continue;
            };
            match entry {
                Entry::Visit(visit) => {
                    assert!(
                        paused_at.is_none_or(|at| visit.at < at),
                        "{}: serviced after the pause for non-payment",
                        customer.display_name
                    );
                    serviced_bodies.extend(visit.body_of_water_id);
                    let pool = location
                        .bodies_of_water
                        .iter()
                        .any(|b| Some(b.id) == visit.body_of_water_id && b.kind == WaterKind::Pool);
                    if let (true, Some(temperature)) = (pool, visit.readings.temperature_f) {
                        match visit.at.format("%m").to_string().as_str() {
                            "01" => january.push(temperature),
                            "07" => july.push(temperature),
                            _ => {}
                        }
                    }
                }
                Entry::Invoice(invoice) => {
                    for line in &invoice.lines {
                        assert!(
                            !line.description.contains("1 visits"),
                            "{}",
                            line.description
                        );
                    }
                    invoices.insert(invoice.id, (invoice.total(), invoice.due_on));
                }
                Entry::Payment(payment) => {
                    for application in &payment.applications {
                        if let Some((total, _)) = invoices.get(&application.invoice_id)
                            && application.amount < *total
                        {
                            partial += 1;
                        }
                    }
                }
                Entry::Credit(credit) if credit.reason.starts_with("late fee") => late_fees += 1,
                Entry::Note(note) if note.text == "Service paused for non-payment" => {
                    paused_at = Some(note.at);
                    paused_for_debt += 1;
                    assert_eq!(customer.status, LifecycleStatus::Paused);
                }
                _ => {}
            }
        }
        for body in &location.bodies_of_water {
            let planned =
                location.service_plan.is_some() && customer.status != LifecycleStatus::Cancelled;
            if planned {
                assert!(
                    serviced_bodies.contains(&body.id),
                    "{}'s {} was never serviced",
                    customer.display_name,
                    body.name
                );
            }
        }
    }
    let mean = |values: &[f64]| values.iter().sum::<f64>() / values.len() as f64;
    assert!(mean(&january) < 62.0, "January water {}", mean(&january));
    assert!(mean(&july) > 86.0, "July water {}", mean(&july));
    assert!(
        partial > 0 && late_fees > 0,
        "partial {partial}, late fees {late_fees}"
    );
    assert!(paused_for_debt <= summary.customers.len() / 5);
    let kinds: HashSet<_> = summary
        .customers
        .iter()
        .map(|id| book.customer(*id).unwrap().kind)
        .collect();
    assert!(
        kinds.contains(&CustomerKind::Residential) && kinds.len() >= 2,
        "{kinds:?}"
    );
}

/// Every payment and invoice of the demo is in its journey exactly once,
/// as the touchpoint its recording wrote (the demo no longer writes its
/// own), and the timeline shows each of them once.
#[test]
fn the_demo_journey_has_each_operation_once() {
    let (book, summary) = demo_book(11);
    use std::collections::HashSet;
    let mut payments_seen = 0;
    for id in &summary.customers {
        let entries = |kind| {
            book.timeline(&TimelineQuery {
                customer_id: Some(*id),
                kinds: vec![kind],
                limit: Some(1000),
                ..Default::default()
            })
            .unwrap()
            .items
            .into_iter()
            .filter_map(|item| match item {
                poolbook::TimelineItem::Entry { entry, .. } => Some(entry.id()),
                _ => None,
            })
            .collect::<HashSet<_>>()
        };
        let payment_ids = entries(poolbook::EntryKind::Payment);
        let invoice_ids = entries(poolbook::EntryKind::Invoice);
        let touchpoints = book
            .touchpoints(&poolbook::TouchpointQuery {
                customer_id: Some(*id),
                ..Default::default()
            })
            .unwrap();
        let of = |action: &str| {
            touchpoints
                .iter()
                .filter(|t| t.action == action)
                .collect::<Vec<_>>()
        };
        let paid = of("payment_made");
        assert_eq!(paid.len(), payment_ids.len(), "one per payment");
        let linked: HashSet<_> = paid.iter().filter_map(|t| t.entry_id).collect();
        assert_eq!(linked, payment_ids, "each linked to its payment");
        let sent: HashSet<_> = of("invoice_sent")
            .iter()
            .filter_map(|t| t.entry_id)
            .collect();
        assert_eq!(sent, invoice_ids);
        assert!(of("email_sent").is_empty() && of("reminder_sent").is_empty());
        assert_eq!(of("customer_created").len(), 1);
        payments_seen += paid.len();
    }
    assert_eq!(payments_seen as u64, summary.payments);
}

/// The demo company feeds every journey report: cohorts over its year,
/// churn with the reasons it recorded, ratings from its surveys, and an
/// experiment over its payment reminders.
#[test]
fn the_demo_company_feeds_every_journey_report() {
    let book = unlocked_book();
    let options = poolbook::DemoOptions {
        seed: 5,
        customers: 40,
        technicians: 2,
        weeks: 26,
        ..Default::default()
    };
    poolbook::populate_demo(&book, &options).unwrap();
    let retention = book
        .retention(&poolbook::RetentionQuery {
            since: None,
            until: None,
            as_of: chrono::Utc::now(),
            months: Vec::new(),
        })
        .unwrap();
    assert!(
        retention.cohorts.len() >= 6,
        "{:?}",
        retention.cohorts.len()
    );
    let customers: u64 = retention.cohorts.iter().map(|c| c.customers).sum();
    assert_eq!(customers, 40, "every customer converted once");
    assert!(retention.churned >= 2, "customers 7 and 32 leave");
    let reasons = ["moved away", "price", "switched company", "sold the house"];
    assert!(
        retention
            .churn_reasons
            .iter()
            .all(|r| reasons.contains(&r.reason.as_str())),
        "{:?}",
        retention.churn_reasons
    );
    let satisfaction = book
        .satisfaction(&poolbook::SatisfactionQuery::default())
        .unwrap();
    assert!(satisfaction.overall.responses > 0);
    assert!(!satisfaction.by_technician.is_empty());
    let reminders = book
        .experiment(&poolbook::ExperimentDefinition {
            name: "reminder wording".into(),
            variants: vec!["plain".into(), "friendly".into()],
            assignment: poolbook::Assignment::Hashed,
            exposure_action: "message_sent".into(),
            exposure_properties: [("template".to_owned(), serde_json::json!("payment_reminder"))]
                .into_iter()
                .collect(),
            goal_action: "payment_made".into(),
            window_hours: 14 * 24,
            since: None,
            until: None,
        })
        .unwrap();
    let exposed: u64 = reminders.variants.iter().map(|v| v.people).sum();
    assert!(exposed > 0, "late payers were reminded");
    assert_eq!(reminders.comparisons.len(), 1);
}

/// On the demo company (200 customers, 3 technicians, Phoenix), the week
/// before its last day: every technician's day in driving order from and
/// back to the yard is no longer than in name order, and in all it saves
/// more than a third of the driving. Prints the totals (docs/benchmarks.md).
#[test]
fn driving_order_saves_distance_on_the_demo_company() {
    let book = unlocked_book();
    let options = poolbook::DemoOptions {
        weeks: 2,
        ..Default::default()
    };
    let summary = poolbook::populate_demo(&book, &options).unwrap();
    let yard = poolbook::GeoPoint {
        latitude: 33.45,
        longitude: -112.07,
    };
    let route_options = poolbook::RouteOptions {
        start: Some(yard),
        end: Some(yard),
        ..Default::default()
    };
    let (mut ordered, mut by_name, mut stops, mut days) = (0.0, 0.0, 0, 0);
    for technician in &summary.technicians {
        for back in 0..7 {
            let date = options.through - chrono::Duration::days(back);
            let route = book
                .ordered_route(*technician, date, route_options.clone())
                .unwrap();
            if route.stops.is_empty() {
                continue;
            }
            assert!(route.stops.iter().all(|stop| !stop.no_coordinates));
            assert!(
                route.distance_km <= route.name_order_distance_km + 1e-9,
                "{date}: {} km ordered vs {} km by name",
                route.distance_km,
                route.name_order_distance_km
            );
            ordered += route.distance_km;
            by_name += route.name_order_distance_km;
            stops += route.stops.len();
            days += 1;
        }
    }
    let saved = 1.0 - ordered / by_name;
    eprintln!(
        "demo company, one week: {days} technician-days, {stops} stops; \
         {ordered:.1} km in driving order vs {by_name:.1} km in name order ({:.0}% saved)",
        saved * 100.0
    );
    assert!(days >= 10 && saved > 0.33, "{saved}");
}
