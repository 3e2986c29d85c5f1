//! The records the benchmarks write and read: customers like the quickstart's
//! (a contact with a phone and an email, a location with a pool and a gate
//! code), visits with readings, and touchpoints of many people.

use chrono::{DateTime, Duration, TimeZone, Utc};
use poolbook::{
    Address, BodyOfWater, Contact, ContactRole, Customer, CustomerKind, Frequency, JourneyChannel,
    NewCustomer, Readings, Sanitizer, Secret, ServiceLocation, ServicePlan, TechnicianId,
    Touchpoint, Visit, WaterKind, Weekday,
};

const STREETS: &[&str] = &["Oak", "Palm", "Mesquite", "Saguaro", "Camelback", "Cholla"];
const NAMES: &[&str] = &[
    "Maria Lopez",
    "Sam Lee",
    "Ana Rivera",
    "Tom Davis",
    "Wei Chen",
];

/// The `n`th customer: one contact, one location with a pool and a gate
/// code, on `technician`'s Tuesday route.
pub fn customer(n: usize, technician: Option<TechnicianId>) -> NewCustomer {
    let name = format!("{} {n}", NAMES[n % NAMES.len()]);
    let mut location = ServiceLocation::new(Address::new(
        format!("{} {} Street", 100 + n, STREETS[n % STREETS.len()]),
        "Phoenix",
        "AZ",
        "85018",
        "US",
    ))
    .with_body_of_water(
        BodyOfWater::new("Pool", WaterKind::Pool, Sanitizer::Salt).with_gallons(18_000.0),
    );
    location.access.gate_code = Secret::new(format!("{:04}#", n % 10_000), "gate_code").ok();
    if let Some(technician) = technician {
        location.service_plan = Some(
            ServicePlan::new(Frequency::Weekly, day0().date_naive())
                .on(Weekday::Tuesday)
                .with_technician(technician),
        );
    }
    NewCustomer::new(CustomerKind::Residential, name)
        .with_contact(
            Contact::new(
                format!("{} {n}", NAMES[n % NAMES.len()]),
                ContactRole::Owner,
            )
            .with_phone(format!("(602) 555-{:04}", n % 10_000), true)
            .with_email(format!("owner{n}@example.com")),
        )
        .with_location(location)
}

/// The first day of the benchmarks' history.
pub fn day0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 6, 15, 0, 0)
        .single()
        .unwrap_or_default()
}

/// A completed visit to the customer's pool, `week` weeks after day 0.
pub fn visit(customer: &Customer, week: i64) -> Visit {
    let location = &customer.locations[0];
    let mut visit = Visit::completed(customer.id, location.id, day0() + Duration::weeks(week));
    visit.body_of_water_id = location.bodies_of_water.first().map(|b| b.id);
    visit.readings = Readings {
        free_chlorine: Some(3.0 + (week % 3) as f64),
        ph: Some(7.4 + (week % 4) as f64 * 0.1),
        total_alkalinity: Some(80.0),
        calcium_hardness: Some(350.0),
        cyanuric_acid: Some(60.0),
        salt: Some(3200.0),
        temperature_f: Some(70.0 + (week % 20) as f64),
        ..Readings::default()
    };
    visit.tasks = vec!["skimmed".into(), "brushed".into()];
    visit
}

/// `count` touchpoints of `people` anonymous visitors, in time order per person.
pub fn touchpoints(count: usize, people: usize, offset: usize) -> Vec<Touchpoint> {
    const ACTIONS: &[&str] = &[
        "page_viewed",
        "estimate_requested",
        "email_opened",
        "payment_made",
    ];
    (0..count)
        .map(|n| {
            let person = (n + offset) % people.max(1);
            let at = day0()
                + Duration::minutes(((n + offset) / people.max(1)) as i64 * 90 + person as i64);
            Touchpoint::by_visitor(
                format!("visitor-{person}"),
                at,
                JourneyChannel::Website,
                ACTIONS[(n + offset) / people.max(1) % ACTIONS.len()],
            )
        })
        .collect()
}
