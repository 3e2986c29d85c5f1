//! A technician's day in driving order: the day's stops (as
//! [`Book::route`] finds them) ordered over their coordinates, each
//! location's access hours that weekday as its time window, from a fixed
//! start to a fixed end, with pinned stops kept in place; the estimated
//! distance and each stop's expected arrival in the book's time zone.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc};
use serde::Serialize;

use crate::book::{Book, StopCard};
use crate::domain::route::{self, Problem, Stop, Window};
use crate::model::{GeoPoint, RouteOptions, Technician, Weekday};
use crate::{Error, Result, TechnicianId};

/// One stop of an ordered route.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RouteStop {
    /// Everything needed at the gate.
    pub card: StopCard,
    /// Its place in the day, from 1.
    pub position: u32,
    /// Kilometres from the previous stop (or the start), straight line;
    /// `None` for a stop without coordinates.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub leg_km: Option<f64>,
    /// When the technician is expected to arrive; `None` without coordinates.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub arrival: Option<DateTime<Utc>>,
    /// The same, as the book's local time of day.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub arrival_local: Option<NaiveTime>,
    /// Minutes waited for the access hours to open.
    pub wait_minutes: u32,
    /// Whether the visit cannot be done within the location's access hours
    /// that day (no order fits it, or no window is open that day).
    pub outside_access_hours: bool,
    /// Whether the location has no coordinates: it keeps its place at the
    /// end, unordered.
    pub no_coordinates: bool,
    /// Whether a pin put it here.
    pub pinned: bool,
}

/// A technician's day in driving order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DrivingRoute {
    /// The technician.
    pub technician: Technician,
    /// The day.
    pub date: NaiveDate,
    /// The stops in driving order; those without coordinates last.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub stops: Vec<RouteStop>,
    /// Estimated kilometres from start to end, straight line between points.
    pub distance_km: f64,
    /// The same stops in name order (as [`Book::route`] lists them), for comparison.
    pub name_order_distance_km: f64,
    /// When the last stop is expected to be done.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub finish: Option<DateTime<Utc>>,
}

/// The most stops a day is ordered over.
pub const MAX_ROUTE_STOPS: usize = 500;

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// The technician's stops on `date` in driving order: nearest neighbour
    /// and earliest-closing orders improved by 2-opt and single moves over
    /// straight-line (haversine) distances, each location's access hours
    /// that weekday as its time window (keeping to them comes before
    /// distance), from `options.start` to `options.end`, pinned stops in
    /// their places. Locations without coordinates come last, flagged. An
    /// inactive technician's route is an error.
    pub fn ordered_route(
        &self,
        technician_id: TechnicianId,
        date: NaiveDate,
        options: RouteOptions,
    ) -> Result<DrivingRoute> {
        check_options(&options)?;
        let day = self.route(technician_id, date)?;
        if day.stops.len() > MAX_ROUTE_STOPS {
            return Err(Error::invalid(
                "date",
                format!("the day has more than {MAX_ROUTE_STOPS} stops to order"),
            ));
        }
        let zone = self.tz()?;
        let weekday = Weekday::from(date.weekday());
        let minutes = |time: NaiveTime| f64::from(time.num_seconds_from_midnight()) / 60.0;
        let depart = options
            .depart_at
            .unwrap_or(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default());
        let (located, unlocated): (Vec<StopCard>, Vec<StopCard>) = day
            .stops
            .into_iter()
            .partition(|card| card.coordinates.is_some());
        let stops: Vec<Stop> = located
            .iter()
            .map(|card| {
                let today: Vec<Window> = card
                    .access_hours
                    .iter()
                    .filter(|window| window.days.contains(&weekday))
                    .map(|window| Window {
                        open: minutes(window.start),
                        close: minutes(window.end),
                    })
                    .collect();
                Stop {
                    point: card.coordinates.unwrap_or(GeoPoint {
                        latitude: 0.0,
                        longitude: 0.0,
                    }),
                    closed_all_day: !card.access_hours.is_empty() && today.is_empty(),
                    windows: today,
                    pin: options
                        .pins
                        .iter()
                        .find(|pin| pin.location_id == card.location_id)
                        .map(|pin| pin.position.saturating_sub(1) as usize),
                }
            })
            .collect();
        let problem = Problem {
            stops,
            start: options.start,
            end: options.end,
            depart: minutes(depart),
            speed: options.average_speed_kmh.unwrap_or(30.0) / 60.0,
            service: f64::from(options.service_minutes.unwrap_or(30)),
        };
        let name_order: Vec<usize> = (0..problem.stops.len()).collect();
        let name_order_distance_km = route::cost_in_order(&problem, &name_order).km;
        let (order, visits, cost) = route::order(&problem);
        let at = |minutes: f64| -> Option<DateTime<Utc>> {
            let seconds = (minutes * 60.0).round();
            let midnight = date.and_hms_opt(0, 0, 0)?;
            let local = midnight + chrono::Duration::seconds(seconds as i64);
            zone.instant_of(local)
        };
        let local_time = |minutes: f64| -> Option<NaiveTime> {
            let seconds = (minutes * 60.0).round() as i64;
            (0..86_400)
                .contains(&seconds)
                .then(|| NaiveTime::from_num_seconds_from_midnight_opt(seconds as u32, 0))
                .flatten()
        };
        let mut cards: Vec<Option<StopCard>> = located.into_iter().map(Some).collect();
        let mut stops = Vec::with_capacity(cards.len() + unlocated.len());
        let mut finish = None;
        for (&index, visit) in order.iter().zip(&visits) {
            let Some(card) = cards.get_mut(index).and_then(Option::take) else {
                continue;
            };
            let done = visit.arrival + visit.wait + problem.service;
            finish = at(done);
            stops.push(RouteStop {
                card,
                position: (stops.len() + 1) as u32,
                leg_km: Some(visit.leg_km),
                arrival: at(visit.arrival),
                arrival_local: local_time(visit.arrival),
                wait_minutes: visit.wait.round().clamp(0.0, f64::from(u32::MAX)) as u32,
                outside_access_hours: visit.late,
                no_coordinates: false,
                pinned: problem.stops[index].pin.is_some(),
            });
        }
        for card in unlocated {
            stops.push(RouteStop {
                card,
                position: (stops.len() + 1) as u32,
                leg_km: None,
                arrival: None,
                arrival_local: None,
                wait_minutes: 0,
                outside_access_hours: false,
                no_coordinates: true,
                pinned: false,
            });
        }
        Ok(DrivingRoute {
            technician: day.technician,
            date,
            stops,
            distance_km: cost.km,
            name_order_distance_km,
            finish,
        })
    }
}

/// Refuses options that cannot be driven: points off the globe, a speed
/// that is not positive, a pin at place 0.
fn check_options(options: &RouteOptions) -> Result<()> {
    for (field, point) in [
        ("options.start", options.start),
        ("options.end", options.end),
    ] {
        if let Some(point) = point
            && !(point.latitude.is_finite()
                && point.longitude.is_finite()
                && (-90.0..=90.0).contains(&point.latitude)
                && (-180.0..=180.0).contains(&point.longitude))
        {
            return Err(Error::invalid(
                field,
                "must be a latitude from -90 to 90 and a longitude from -180 to 180",
            ));
        }
    }
    if let Some(speed) = options.average_speed_kmh
        && !(speed.is_finite() && speed > 0.0 && speed <= 300.0)
    {
        return Err(Error::invalid(
            "options.average_speed_kmh",
            "must be above 0 and at most 300",
        ));
    }
    if options.service_minutes.is_some_and(|m| m > 24 * 60) {
        return Err(Error::invalid(
            "options.service_minutes",
            "must be at most a day (1440)",
        ));
    }
    for (index, pin) in options.pins.iter().enumerate() {
        if pin.position == 0 {
            return Err(Error::invalid(
                format!("options.pins[{index}].position"),
                "counts from 1",
            ));
        }
    }
    Ok(())
}
