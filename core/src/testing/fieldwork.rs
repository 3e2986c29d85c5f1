//! Conformance cases for the field: a day in driving order with expected
//! arrivals in the book's time zone, access hours and pins; technician
//! turnover (plans moved in one change, routes refused for an inactive
//! technician); the stop card's preferences, coordinates, recent notes
//! and readings trends; one service day per customer.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};

use crate::{
    AccessWindow, Address, Author, BodyOfWater, Book, ChangeLogQuery, ContactChannel, Customer,
    CustomerKind, CustomerPatch, EntityKind, Error, Frequency, GeoPoint, LifecycleStatus,
    NewCustomer, NewTechnician, Preferences, ReadingTrend, RouteOptions, RoutePin, Sanitizer,
    ServiceLocation, ServicePlan, Technician, TechnicianPatch, Visit, WaterKind, Weekday,
};

fn office() -> Author {
    Author::office("dana")
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn time(h: u32, m: u32, s: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, s).unwrap()
}

/// A Tuesday.
fn tuesday() -> NaiveDate {
    day(3, 3)
}

fn at(longitude: f64) -> GeoPoint {
    GeoPoint {
        latitude: 0.0,
        longitude,
    }
}

fn tech(book: &Book, name: &str) -> Technician {
    book.add_technician(NewTechnician::new(name), &office())
        .unwrap()
}

fn served(
    book: &Book,
    name: &str,
    tech: &Technician,
    point: Option<GeoPoint>,
    hours: Vec<AccessWindow>,
) -> Customer {
    let mut location = ServiceLocation::new(Address::new(
        format!("{} Ocotillo Rd", name.len()),
        "Phoenix",
        "AZ",
        "85004",
        "US",
    ))
    .with_body_of_water(BodyOfWater::new(
        "Pool",
        WaterKind::Pool,
        Sanitizer::Chlorine,
    ))
    .with_plan(
        ServicePlan::new(Frequency::Weekly, day(1, 6))
            .on(Weekday::Tuesday)
            .with_technician(tech.id),
    );
    location.coordinates = point;
    location.access.access_hours = hours;
    book.create_customer(
        NewCustomer::new(CustomerKind::Residential, name).with_location(location),
        &office(),
    )
    .unwrap()
}

fn tuesdays(open: NaiveTime, close: NaiveTime) -> Vec<AccessWindow> {
    vec![AccessWindow {
        days: vec![Weekday::Tuesday],
        start: open,
        end: close,
    }]
}

/// A day east of the yard along the equator (0.01° of longitude is
/// 1.11195 km): name order zig-zags, driving order goes out in a line
/// (but for a stop that opens late), arrivals come at 30 km/h with 30
/// minutes on site, in Phoenix time.
pub fn a_day_is_ordered_for_driving_with_arrivals_in_the_books_time(book: &Book) {
    book.set_time_zone("America/Phoenix", &office()).unwrap();
    let ana = tech(book, "Ana Reyes");
    let any = Vec::new;
    let adams = served(book, "Adams", &ana, Some(at(0.03)), any());
    let baker = served(book, "Baker", &ana, Some(at(0.01)), any());
    let clark = served(book, "Clark", &ana, Some(at(0.05)), any());
    let davis = served(book, "Davis", &ana, Some(at(0.02)), any());
    // Evans opens at 10:00 on Tuesdays: rather than wait there from 09:38,
    // Ana goes on to Clark and comes back.
    let evans = served(
        book,
        "Evans",
        &ana,
        Some(at(0.04)),
        tuesdays(time(10, 0, 0), time(12, 0, 0)),
    );
    let fisher = served(book, "Fisher", &ana, None, any());
    let options = RouteOptions {
        start: Some(at(0.0)),
        end: Some(at(0.06)),
        depart_at: Some(time(8, 0, 0)),
        average_speed_kmh: Some(30.0),
        service_minutes: Some(30),
        pins: Vec::new(),
    };
    let route = book
        .ordered_route(ana.id, tuesday(), options.clone())
        .unwrap();
    let order: Vec<&str> = route
        .stops
        .iter()
        .map(|s| s.card.customer_name.as_str())
        .collect();
    assert_eq!(
        order,
        ["Baker", "Davis", "Adams", "Clark", "Evans", "Fisher"]
    );
    let local: Vec<Option<NaiveTime>> = route.stops.iter().map(|s| s.arrival_local).collect();
    assert_eq!(
        local,
        [
            Some(time(8, 2, 13)),
            Some(time(8, 34, 27)),
            Some(time(9, 6, 40)),
            Some(time(9, 41, 7)),
            Some(time(10, 13, 21)),
            None
        ]
    );
    // Phoenix is UTC−7 all year.
    assert_eq!(
        route.stops[0].arrival,
        Some(Utc.with_ymd_and_hms(2026, 3, 3, 15, 2, 13).unwrap())
    );
    assert!(route.stops.iter().all(|s| s.wait_minutes == 0));
    assert!(route.stops.iter().all(|s| !s.outside_access_hours));
    let fisher_stop = &route.stops[5];
    assert!(fisher_stop.no_coordinates);
    assert_eq!(fisher_stop.card.customer_id, fisher.id);
    assert_eq!((fisher_stop.leg_km, fisher_stop.position), (None, 6));
    // Eight 0.01° legs in driving order, sixteen in name order.
    assert!(
        (route.distance_km - 8.8956).abs() < 1e-3,
        "{}",
        route.distance_km
    );
    assert!(
        (route.name_order_distance_km - 17.7912).abs() < 1e-3,
        "{}",
        route.name_order_distance_km
    );
    assert!((route.stops[0].leg_km.unwrap() - 1.11195).abs() < 1e-4);
    assert_eq!(
        route.finish,
        Some(Utc.with_ymd_and_hms(2026, 3, 3, 17, 43, 21).unwrap())
    );

    // Clark only opens 08:00–09:00: he comes first, in time.
    let mut early = clark.clone();
    early.locations[0].access.access_hours = tuesdays(time(8, 0, 0), time(9, 0, 0));
    book.update_customer(
        clark.id,
        clark.version,
        CustomerPatch {
            locations: Some(early.locations.clone()),
            ..CustomerPatch::default()
        },
        &office(),
    )
    .unwrap();
    let route = book
        .ordered_route(ana.id, tuesday(), options.clone())
        .unwrap();
    assert_eq!(route.stops[0].card.customer_id, clark.id);
    assert!(route.stops.iter().all(|s| !s.outside_access_hours));

    // A pin keeps Davis in third place.
    let pinned = book
        .ordered_route(
            ana.id,
            tuesday(),
            RouteOptions {
                pins: vec![RoutePin {
                    location_id: davis.locations[0].id,
                    position: 3,
                }],
                ..options.clone()
            },
        )
        .unwrap();
    assert_eq!(pinned.stops[2].card.customer_id, davis.id);
    assert!(pinned.stops[2].pinned);
    let _ = (&adams, &baker, &evans);

    let error = book
        .ordered_route(
            ana.id,
            tuesday(),
            RouteOptions {
                average_speed_kmh: Some(0.0),
                ..options
            },
        )
        .unwrap_err();
    assert!(matches!(&error, Error::Invalid { field, .. } if field == "options.average_speed_kmh"));
}

/// Deactivating a technician with plans needs a destination; moving them
/// is one transaction with one change-log entry; an inactive technician has
/// no route; the new technician's stop card shows the old one's notes.
pub fn turnover_moves_every_plan_in_one_change(book: &Book) {
    let ana = tech(book, "Ana Reyes");
    let ben = tech(book, "Ben Ortiz");
    let maria = served(book, "Maria Lopez", &ana, None, Vec::new());
    let sun = served(book, "Sun Valley HOA", &ana, None, Vec::new());
    let winter = served(book, "Winter Visitor", &ana, None, Vec::new());
    let winter = book
        .update_customer(
            winter.id,
            winter.version,
            CustomerPatch {
                status: Some(LifecycleStatus::Paused),
                ..CustomerPatch::default()
            },
            &office(),
        )
        .unwrap();
    let mut note = Visit::completed(
        maria.id,
        maria.locations[0].id,
        tuesday().and_hms_opt(16, 0, 0).unwrap().and_utc(),
    );
    note.technician_id = Some(ana.id);
    note.notes = Some("pump squeals at start-up".into());
    book.record_visit(note, &Author::technician(ana.id))
        .unwrap();

    let rows = |book: &Book| book.change_log(&ChangeLogQuery::default()).unwrap().len();
    let before = rows(book);
    let error = book
        .update_technician(
            ana.id,
            ana.version,
            TechnicianPatch {
                active: Some(false),
                ..TechnicianPatch::default()
            },
            &office(),
        )
        .unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, problem, .. } if field == "active"
            && problem.contains("3 service plans still naming this technician")
            && problem.contains("Maria Lopez")),
        "{error}"
    );
    assert!(book.technician(ana.id).unwrap().active);
    assert_eq!(rows(book), before);

    let error = book
        .reassign_plans(ana.id, Some(ana.id), &office())
        .unwrap_err();
    assert!(matches!(&error, Error::Invalid { field, .. } if field == "to"));
    let moved = book
        .reassign_plans(ana.id, Some(ben.id), &office())
        .unwrap();
    let mut expected = vec![
        maria.locations[0].id,
        sun.locations[0].id,
        winter.locations[0].id,
    ];
    let mut got = moved.clone();
    expected.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, expected);
    assert_eq!(rows(book), before + 1, "one change-log entry");
    let entry = book
        .change_log(&ChangeLogQuery {
            entity: Some(EntityKind::Technician),
            entity_id: Some(ana.id.to_string()),
            ..ChangeLogQuery::default()
        })
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(entry.changes[0].field, "plans");
    for customer in [&maria, &sun, &winter] {
        let now = book.customer(customer.id).unwrap();
        assert_eq!(now.version, customer.version + 1);
        assert_eq!(
            now.locations[0]
                .service_plan
                .as_ref()
                .unwrap()
                .technician_id,
            Some(ben.id)
        );
    }
    assert!(
        book.reassign_plans(ana.id, Some(ben.id), &office())
            .unwrap()
            .is_empty()
    );

    // Ben's Tuesday has the two active customers; Maria's card shows Ana's note.
    let route = book
        .route(ben.id, tuesday() + chrono::Duration::days(7))
        .unwrap();
    let names: Vec<&str> = route
        .stops
        .iter()
        .map(|s| s.customer_name.as_str())
        .collect();
    assert_eq!(names, ["Maria Lopez", "Sun Valley HOA"]);
    let inherited = &route.stops[0].recent_visits[0];
    assert_eq!(inherited.technician_name.as_deref(), Some("Ana Reyes"));
    assert_eq!(inherited.notes.as_deref(), Some("pump squeals at start-up"));

    // Ana has no plans left: she can be deactivated; her route is an error.
    let ana = book
        .update_technician(
            ana.id,
            ana.version,
            TechnicianPatch {
                active: Some(false),
                ..TechnicianPatch::default()
            },
            &office(),
        )
        .unwrap();
    let error = book.route(ana.id, tuesday()).unwrap_err();
    assert!(matches!(&error, Error::Invalid { field, .. } if field == "technician_id"));
    let error = book
        .reassign_plans(ben.id, Some(ana.id), &office())
        .unwrap_err();
    assert!(matches!(&error, Error::Invalid { field, problem, .. }
        if field == "to" && problem.contains("not active")));

    // Deactivating Ben with his plans left unassigned: one transaction.
    let before = rows(book);
    let ben = book
        .deactivate_technician(ben.id, ben.version, None, &office())
        .unwrap();
    assert!(!ben.active);
    assert_eq!(
        rows(book),
        before + 2,
        "the plans' move and the technician's change"
    );
    for customer in [&maria, &sun, &winter] {
        let plan = book.customer(customer.id).unwrap().locations[0]
            .service_plan
            .clone()
            .unwrap();
        assert_eq!(plan.technician_id, None);
    }
    let error = book
        .deactivate_technician(ben.id, ben.version, None, &office())
        .unwrap_err();
    assert!(matches!(&error, Error::Invalid { field, .. } if field == "id"));
}

/// The stop card carries the customer's water concerns, preferred channel
/// and language, the location's coordinates, the last three visits' notes
/// and the free chlorine and pH trends; a plan's weekday must agree with
/// the customer's preferred service day.
pub fn the_stop_card_carries_every_preference_and_the_recent_visits(book: &Book) {
    let ana = tech(book, "Ana Reyes");
    let customer = served(book, "Maria Lopez", &ana, Some(at(0.02)), Vec::new());
    let customer = book
        .update_customer(
            customer.id,
            customer.version,
            CustomerPatch {
                preferences: Some(
                    Preferences::default()
                        .with_water_concern("algae")
                        .with_water_concern("sensitive skin")
                        .with_preferred_channel(ContactChannel::Email)
                        .with_language("es-MX")
                        .with_preferred_service_day(Weekday::Tuesday),
                ),
                ..CustomerPatch::default()
            },
            &office(),
        )
        .unwrap();
    let location = &customer.locations[0];
    let pool = location.bodies_of_water[0].id;
    // Four visits; the last three read FC 1.0 → 2.0 → 3.5, pH 7.8 → 7.6 → 7.5.
    let readings = [
        (0.5, 7.4, "first"),
        (1.0, 7.8, "filter due"),
        (2.0, 7.6, "pump squeals"),
        (3.5, 7.5, "dog friendly now"),
    ];
    for (week, (fc, ph, notes)) in readings.iter().enumerate() {
        let mut visit = Visit::completed(
            customer.id,
            location.id,
            (day(2, 3) + chrono::Duration::weeks(week as i64))
                .and_hms_opt(17, 0, 0)
                .unwrap()
                .and_utc(),
        );
        visit.body_of_water_id = Some(pool);
        visit.technician_id = Some(ana.id);
        visit.readings.free_chlorine = Some(*fc);
        visit.readings.ph = Some(*ph);
        visit.notes = Some((*notes).to_owned());
        book.record_visit(visit, &office()).unwrap();
    }
    let card = book.stop_card(location.id).unwrap();
    assert_eq!(card.water_concerns, ["algae", "sensitive skin"]);
    assert_eq!(card.preferred_channel, Some(ContactChannel::Email));
    assert_eq!(card.language.as_deref(), Some("es-MX"));
    assert_eq!(card.coordinates, Some(at(0.02)));
    let notes: Vec<Option<&str>> = card
        .recent_visits
        .iter()
        .map(|v| v.notes.as_deref())
        .collect();
    assert_eq!(
        notes,
        [
            Some("dog friendly now"),
            Some("pump squeals"),
            Some("filter due")
        ]
    );
    assert!(
        card.recent_visits
            .iter()
            .all(|v| v.technician_name.as_deref() == Some("Ana Reyes"))
    );
    assert_eq!(card.last_visit.as_ref(), card.recent_visits.first());
    let body = &card.bodies_of_water[0];
    assert_eq!(body.free_chlorine_trend, Some(ReadingTrend::Rising));
    assert_eq!(body.ph_trend, Some(ReadingTrend::Falling));

    // One service day: a plan on Thursday for a customer who wants Tuesdays is refused.
    let mut locations = customer.locations.clone();
    locations[0]
        .service_plan
        .as_mut()
        .unwrap()
        .preferred_weekday = Some(Weekday::Thursday);
    let error = book
        .update_customer(
            customer.id,
            customer.version,
            CustomerPatch {
                locations: Some(locations),
                ..CustomerPatch::default()
            },
            &office(),
        )
        .unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. }
            if field == "locations[0].service_plan.preferred_weekday"),
        "{error}"
    );
    assert_eq!(book.customer(customer.id).unwrap(), customer);
}
