//! Service locations: the property, its bodies of water, how to get in, and
//! the service plan.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::{Address, Weekday};
use crate::{BodyOfWaterId, LocationId, Secret, TechnicianId};

crate::text_enum! {
    /// What a body of water is.
    pub enum WaterKind {
        /// A swimming pool.
        Pool = "pool",
        /// A spa or hot tub.
        Spa = "spa",
        /// A fountain, pond or other feature.
        WaterFeature = "water_feature",
    }
}

crate::text_enum! {
    /// The interior finish of a pool or spa.
    pub enum Surface {
        /// Plaster (marcite).
        Plaster = "plaster",
        /// Pebble aggregate.
        Pebble = "pebble",
        /// Quartz aggregate.
        Quartz = "quartz",
        /// Vinyl liner.
        Vinyl = "vinyl",
        /// Fiberglass shell.
        Fiberglass = "fiberglass",
        /// Tile.
        Tile = "tile",
        /// Painted concrete.
        Painted = "painted",
        /// Anything else.
        Other = "other",
    }
}

crate::text_enum! {
    /// How the water is sanitised.
    pub enum Sanitizer {
        /// Chlorine (liquid, tablets).
        Chlorine = "chlorine",
        /// A salt-water chlorine generator.
        Salt = "salt",
        /// Bromine.
        Bromine = "bromine",
        /// Mineral system with low chlorine.
        Mineral = "mineral",
        /// PHMB (biguanide).
        Biguanide = "biguanide",
        /// Anything else.
        Other = "other",
    }
}

crate::text_enum! {
    /// Whether a body of water is indoors.
    pub enum Setting {
        /// Open to the weather.
        Outdoor = "outdoor",
        /// Inside a building or enclosure.
        Indoor = "indoor",
    }
}

crate::text_enum! {
    /// What a piece of equipment is.
    pub enum EquipmentKind {
        /// Circulation pump.
        Pump = "pump",
        /// Filter (sand, cartridge, DE).
        Filter = "filter",
        /// Heater or heat pump.
        Heater = "heater",
        /// Chlorinator or salt cell.
        Chlorinator = "chlorinator",
        /// Automatic cleaner.
        Cleaner = "cleaner",
        /// Automation controller.
        Automation = "automation",
        /// Anything else.
        Other = "other",
    }
}

crate::text_enum! {
    /// How a pet behaves with strangers.
    pub enum PetTemperament {
        /// Friendly.
        Friendly = "friendly",
        /// Nervous or shy.
        Nervous = "nervous",
        /// Aggressive: do not enter while it is out.
        Aggressive = "aggressive",
        /// Not known.
        Unknown = "unknown",
    }
}

crate::text_enum! {
    /// How often a location is serviced.
    pub enum Frequency {
        /// Every week.
        Weekly = "weekly",
        /// Every other week, counted from the plan's start.
        Biweekly = "biweekly",
        /// Once a month.
        Monthly = "monthly",
        /// Only when called.
        OnCall = "on_call",
    }
}

/// A property the company services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ServiceLocation {
    /// Identifier.
    pub id: LocationId,
    /// A short name when the account has several: "Beach house".
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub label: Option<String>,
    /// Street address.
    pub address: Address,
    /// Latitude/longitude for routing software.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub coordinates: Option<GeoPoint>,
    /// Standing instructions for every visit.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub special_instructions: Option<String>,
    /// Pools, spas and water features at the property.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub bodies_of_water: Vec<BodyOfWater>,
    /// How to get in.
    pub access: AccessDetails,
    /// When the property is serviced, and by whom.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub service_plan: Option<ServicePlan>,
}

impl ServiceLocation {
    /// A location with a fresh id at `address`, with nothing else yet.
    pub fn new(address: Address) -> Self {
        ServiceLocation {
            id: LocationId::new(),
            label: None,
            address,
            coordinates: None,
            special_instructions: None,
            bodies_of_water: Vec::new(),
            access: AccessDetails::default(),
            service_plan: None,
        }
    }

    /// Adds a body of water.
    pub fn with_body_of_water(mut self, body: BodyOfWater) -> Self {
        self.bodies_of_water.push(body);
        self
    }

    /// Names the location ("Main house", "Rental").
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Puts the location on a service plan.
    pub fn with_plan(mut self, plan: ServicePlan) -> Self {
        self.service_plan = Some(plan);
        self
    }

    /// Sets the gate code.
    pub fn with_gate_code(mut self, code: Secret) -> Self {
        self.access.gate_code = Some(code);
        self
    }

    /// Adds a pet the technician will meet.
    pub fn with_pet(mut self, pet: Pet) -> Self {
        self.access.pets.push(pet);
        self
    }
}

/// A point on the map, in WGS 84 degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GeoPoint {
    /// Latitude, -90 to 90.
    pub latitude: f64,
    /// Longitude, -180 to 180.
    pub longitude: f64,
}

/// A pool, spa or water feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BodyOfWater {
    /// Identifier.
    pub id: BodyOfWaterId,
    /// A name: "Main pool", "Spa".
    pub name: String,
    /// Pool, spa or water feature.
    pub kind: WaterKind,
    /// Volume in US gallons.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub gallons: Option<f64>,
    /// Interior finish.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub surface: Option<Surface>,
    /// How the water is sanitised.
    pub sanitizer: Sanitizer,
    /// Indoors or outdoors.
    pub setting: Setting,
    /// Pumps, filters, heaters and the rest.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub equipment: Vec<Equipment>,
}

impl BodyOfWater {
    /// An outdoor body of water with a fresh id.
    pub fn new(name: impl Into<String>, kind: WaterKind, sanitizer: Sanitizer) -> Self {
        BodyOfWater {
            id: BodyOfWaterId::new(),
            name: name.into(),
            kind,
            gallons: None,
            surface: None,
            sanitizer,
            setting: Setting::Outdoor,
            equipment: Vec::new(),
        }
    }

    /// Sets the volume in gallons.
    pub fn with_gallons(mut self, gallons: f64) -> Self {
        self.gallons = Some(gallons);
        self
    }
}

/// A piece of equipment on a body of water.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Equipment {
    /// What it is.
    pub kind: EquipmentKind,
    /// Manufacturer.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub make: Option<String>,
    /// Model name or number.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub model: Option<String>,
    /// Serial number.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub serial: Option<String>,
    /// When it was installed.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub installed_on: Option<NaiveDate>,
}

/// How a technician gets in. The codes are [`Secret`]s.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AccessDetails {
    /// Gate code.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub gate_code: Option<Secret>,
    /// Lock combination.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub lock_combination: Option<Secret>,
    /// Alarm code.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub alarm_code: Option<Secret>,
    /// Where a key is kept: "lockbox by the side gate".
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub key_location: Option<String>,
    /// Animals at the property.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub pets: Vec<Pet>,
    /// Dangers: "wasp nest by pump", "loose pool cover".
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub hazards: Vec<String>,
    /// When the property may be entered; empty means any time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub access_hours: Vec<AccessWindow>,
    /// Anything else about getting in.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub notes: Option<String>,
}

/// An animal at the property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Pet {
    /// The pet's name.
    pub name: String,
    /// What it is: "dog", "cat".
    pub kind: String,
    /// How it behaves with strangers.
    pub temperament: PetTemperament,
}

impl Pet {
    /// A pet called `name`, of `kind` ("dog", "cat"), with its temperament.
    pub fn new(
        name: impl Into<String>,
        kind: impl Into<String>,
        temperament: PetTemperament,
    ) -> Self {
        Pet {
            name: name.into(),
            kind: kind.into(),
            temperament,
        }
    }
}

/// When the property may be entered on some days of the week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AccessWindow {
    /// The days it applies to (at least one).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub days: Vec<Weekday>,
    /// Earliest entry.
    pub start: NaiveTime,
    /// Latest departure (after `start`).
    pub end: NaiveTime,
}

/// When a location is serviced, and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ServicePlan {
    /// How often.
    pub frequency: Frequency,
    /// The day of the week service happens.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub preferred_weekday: Option<Weekday>,
    /// The technician who serves the route.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub technician_id: Option<TechnicianId>,
    /// First day of service.
    pub starts_on: NaiveDate,
    /// Last day of service, if the plan ends.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub ends_on: Option<NaiveDate>,
    /// Whether chemicals added at visits are billed on top of the rate
    /// (priced from the book's price list).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub bills_chemicals: bool,
}

impl ServicePlan {
    /// A plan of `frequency` starting on `starts_on`, on that day's weekday,
    /// with no technician yet and no end.
    pub fn new(frequency: Frequency, starts_on: NaiveDate) -> Self {
        ServicePlan {
            frequency,
            preferred_weekday: None,
            technician_id: None,
            starts_on,
            ends_on: None,
            bills_chemicals: false,
        }
    }

    /// Service on `weekday` rather than the start day's weekday.
    pub fn on(mut self, weekday: Weekday) -> Self {
        self.preferred_weekday = Some(weekday);
        self
    }

    /// Assigns the technician who serves it.
    pub fn with_technician(mut self, technician_id: TechnicianId) -> Self {
        self.technician_id = Some(technician_id);
        self
    }

    /// Bills the chemicals added at each visit on top of the rate.
    pub fn billing_chemicals(mut self) -> Self {
        self.bills_chemicals = true;
        self
    }

    /// Ends the plan after `ends_on`.
    pub fn until(mut self, ends_on: NaiveDate) -> Self {
        self.ends_on = Some(ends_on);
        self
    }
}
