//! What to order a technician's day by: start and end points, departure,
//! speed, time on site, pinned stops.

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

use crate::LocationId;
use crate::model::GeoPoint;

/// A stop that must come at a given place in the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RoutePin {
    /// The location.
    pub location_id: LocationId,
    /// Its place among the stops with coordinates, from 1.
    pub position: u32,
}

/// How to order a day's stops. Every field has a default.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RouteOptions {
    /// Where the day starts (the technician's home, the yard); `None`: at
    /// the first stop.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub start: Option<GeoPoint>,
    /// Where the day ends; `None`: at the last stop.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub end: Option<GeoPoint>,
    /// When the technician sets off, local time; `None`: 08:00.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub depart_at: Option<NaiveTime>,
    /// Average driving speed over straight-line distance, km/h; `None`: 30.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub average_speed_kmh: Option<f64>,
    /// Minutes on site at each stop; `None`: 30.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub service_minutes: Option<u32>,
    /// Stops that must come at a given place.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub pins: Vec<RoutePin>,
}
