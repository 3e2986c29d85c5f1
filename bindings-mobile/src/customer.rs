//! Mirrors of core's customer record: customers, contacts, locations,
//! bodies of water, access details, service plans, technicians, customer
//! queries and search hits; plus binding records for the `Region` of phone
//! numbers (core's region holds `&'static` data) and the `TechnicianPatch`
//! (core's `Option<Option<String>>` fields would lose "clear" in Kotlin).
//!
//! Each `#[uniffi::remote]` item restates a core type field for field; the
//! compiler checks it against core's definition.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use poolbook::{
    AccessDetails, AccessWindow, Address, ArchivedFilter, Billing, BodyOfWater, BodyOfWaterId,
    Consent, ConsentStatus, Contact, ContactChannel, ContactId, ContactRole, Customer, CustomerId,
    CustomerKind, CustomerPage, CustomerPatch, CustomerQuery, Equipment, EquipmentKind, Frequency,
    GeoPoint, LifecycleStatus, LocationId, LocationTransfer, NewCustomer, NewTechnician, Pet,
    PetTemperament, Phone, Preferences, RateBasis, Sanitizer, SearchHit, Secret, ServiceLocation,
    ServicePlan, Setting, Surface, Technician, TechnicianId, TimeWindow, VisitNotice, WaterKind,
    Weekday,
};
use rust_decimal::Decimal;

/// A customer account: the one organised record of everything the company knows.
#[uniffi::remote(Record)]
pub struct Customer {
    /// Identifier.
    pub id: CustomerId,
    /// What sort of account.
    pub kind: CustomerKind,
    /// The name shown everywhere: "Maria Lopez", "Sunset HOA".
    pub display_name: String,
    /// Lead, active, paused or cancelled.
    pub status: LifecycleStatus,
    /// How the account is billed.
    pub billing: Billing,
    /// Free labels, trimmed and unique.
    #[uniffi(default)]
    pub tags: Vec<String>,
    /// Company-specific fields.
    pub custom_fields: BTreeMap<String, String>,
    /// People on the account.
    #[uniffi(default)]
    pub contacts: Vec<Contact>,
    /// Properties served.
    #[uniffi(default)]
    pub locations: Vec<ServiceLocation>,
    /// How the customer wants to be treated.
    pub preferences: Preferences,
    /// When the record was created.
    pub created_at: DateTime<Utc>,
    /// When the record last changed.
    pub updated_at: DateTime<Utc>,
    /// When the record was archived; `None` while it is live.
    #[uniffi(default)]
    pub archived_at: Option<DateTime<Utc>>,
    /// Optimistic-concurrency version: starts at 1, grows by one per change.
    pub version: i64,
}

/// Everything needed to create a customer. The id is made on creation of this
/// value, so a record can be built offline and referred to before it is saved.
#[uniffi::remote(Record)]
pub struct NewCustomer {
    /// Identifier the customer will have.
    pub id: CustomerId,
    /// What sort of account.
    pub kind: CustomerKind,
    /// The name shown everywhere.
    pub display_name: String,
    /// Lifecycle status; new accounts default to active.
    pub status: LifecycleStatus,
    /// How the account is billed.
    pub billing: Billing,
    /// Free labels.
    #[uniffi(default)]
    pub tags: Vec<String>,
    /// Company-specific fields.
    pub custom_fields: BTreeMap<String, String>,
    /// People on the account.
    #[uniffi(default)]
    pub contacts: Vec<Contact>,
    /// Properties served.
    #[uniffi(default)]
    pub locations: Vec<ServiceLocation>,
    /// How the customer wants to be treated.
    pub preferences: Preferences,
}

/// A partial update: each `Some` field replaces the stored one, each `None`
/// leaves it alone. Lists (contacts, locations, tags) are replaced whole; a
/// contact or location left out of its list is archived, and putting it back
/// (same id) restores it.
#[uniffi::remote(Record)]
pub struct CustomerPatch {
    /// New kind.
    #[uniffi(default)]
    pub kind: Option<CustomerKind>,
    /// New display name.
    #[uniffi(default)]
    pub display_name: Option<String>,
    /// New lifecycle status.
    #[uniffi(default)]
    pub status: Option<LifecycleStatus>,
    /// New billing details.
    #[uniffi(default)]
    pub billing: Option<Billing>,
    /// New tags.
    #[uniffi(default)]
    pub tags: Option<Vec<String>>,
    /// New custom fields.
    #[uniffi(default)]
    pub custom_fields: Option<BTreeMap<String, String>>,
    /// New contact list.
    #[uniffi(default)]
    pub contacts: Option<Vec<Contact>>,
    /// New location list.
    #[uniffi(default)]
    pub locations: Option<Vec<ServiceLocation>>,
    /// New preferences.
    #[uniffi(default)]
    pub preferences: Option<Preferences>,
}

/// How an account is billed.
#[uniffi::remote(Record)]
pub struct Billing {
    /// Where bills go, if not to the service location.
    #[uniffi(default)]
    pub address: Option<Address>,
    /// The agreed rate in the book's currency.
    #[uniffi(default)]
    pub rate: Option<Decimal>,
    /// What the rate is charged per.
    pub rate_basis: RateBasis,
    /// Days after the invoice date that payment is due (0: on receipt).
    pub terms_days: u32,
}

/// A person with a role on the account.
#[uniffi::remote(Record)]
pub struct Contact {
    /// Identifier.
    pub id: ContactId,
    /// Full name.
    pub name: String,
    /// Role on the account.
    pub role: ContactRole,
    /// Phone numbers, stored in E.164 form.
    #[uniffi(default)]
    pub phones: Vec<Phone>,
    /// Email addresses.
    #[uniffi(default)]
    pub emails: Vec<String>,
    /// Whether this is the account's main contact (at most one is).
    pub primary: bool,
    /// Consent per channel (at most one entry per channel).
    #[uniffi(default)]
    pub consents: Vec<Consent>,
}

/// A phone number.
#[uniffi::remote(Record)]
pub struct Phone {
    /// The number; E.164 (`+15550102233`) once saved.
    pub number: String,
    /// A label such as "mobile" or "office".
    #[uniffi(default)]
    pub label: Option<String>,
    /// Whether the number receives text messages.
    pub sms_capable: bool,
}

/// A contact's consent to be reached on one channel.
#[uniffi::remote(Record)]
pub struct Consent {
    /// The channel it concerns.
    pub channel: ContactChannel,
    /// Opted in or out.
    pub status: ConsentStatus,
    /// When it was given or withdrawn.
    pub recorded_at: DateTime<Utc>,
    /// How it was obtained: "web form", "verbal, on the phone", "replied STOP".
    pub method: String,
}

/// How the customer wants to be treated. Stored as JSON; fields missing from
/// an older record read as their defaults.
#[uniffi::remote(Record)]
pub struct Preferences {
    /// Notice before each visit: which channel, which contact, how long before.
    #[uniffi(default)]
    pub notify_before_visit: Option<VisitNotice>,
    /// The channel the customer prefers in general.
    #[uniffi(default)]
    pub preferred_channel: Option<ContactChannel>,
    /// The day the customer would like service.
    #[uniffi(default)]
    pub preferred_service_day: Option<Weekday>,
    /// When not to contact the customer.
    #[uniffi(default)]
    pub quiet_hours: Option<TimeWindow>,
    /// Preferred language as a BCP 47 tag, e.g. `en` or `es-MX`.
    #[uniffi(default)]
    pub language: Option<String>,
    /// Things the customer worries about: "algae", "sensitive skin".
    #[uniffi(default)]
    pub water_concerns: Vec<String>,
    /// Contact the customer only when service requires it.
    pub do_not_contact: bool,
}

/// "Text me before you come": notice before each visit.
#[uniffi::remote(Record)]
pub struct VisitNotice {
    /// Channel to use.
    pub channel: ContactChannel,
    /// Contact to notify (must be on the account, reachable on the channel).
    pub contact_id: ContactId,
    /// How many minutes before arrival.
    pub lead_time_minutes: u32,
}

/// What sort of account this is.
#[uniffi::remote(Enum)]
pub enum CustomerKind {
    /// A household.
    Residential,
    /// A business: hotel, gym, apartment complex.
    Commercial,
    /// A homeowners' association.
    Hoa,
    /// A property-management company with many properties.
    PropertyManagement,
    /// A city, school or other public body.
    Municipal,
    /// Anything else.
    Other,
}

/// Where the account is in its life.
#[uniffi::remote(Enum)]
pub enum LifecycleStatus {
    /// Interested, not yet served.
    Lead,
    /// Being served.
    Active,
    /// Service on hold (winter, travel).
    Paused,
    /// No longer served.
    Cancelled,
}

/// What a billing rate is charged per.
#[uniffi::remote(Enum)]
pub enum RateBasis {
    /// Charged for each visit.
    PerVisit,
    /// Charged once a month.
    Monthly,
}

/// The role a contact plays on the account.
#[uniffi::remote(Enum)]
pub enum ContactRole {
    /// Owns the property.
    Owner,
    /// Lives there, does not own it.
    Tenant,
    /// Manages the property for the owner.
    PropertyManager,
    /// Receives and pays the bills.
    Billing,
    /// Any other role.
    Other,
}

/// A way of reaching a contact.
#[uniffi::remote(Enum)]
pub enum ContactChannel {
    /// A voice call.
    Phone,
    /// A text message.
    Sms,
    /// An email.
    Email,
    /// Postal mail.
    Mail,
    /// The customer portal.
    Portal,
}

/// Whether a contact agreed to be reached on a channel.
#[uniffi::remote(Enum)]
pub enum ConsentStatus {
    /// Agreed.
    OptedIn,
    /// Refused or withdrew.
    OptedOut,
}

/// A day of the week.
#[uniffi::remote(Enum)]
pub enum Weekday {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

/// A span of the day in the property's local time. `end` before `start`
/// wraps past midnight (quiet hours 21:00–08:00).
#[uniffi::remote(Record)]
pub struct TimeWindow {
    /// When the window opens.
    pub start: NaiveTime,
    /// When the window closes.
    pub end: NaiveTime,
}

/// A postal address.
#[uniffi::remote(Record)]
pub struct Address {
    /// Street number and name, e.g. `1420 Oak Street`.
    pub line1: String,
    /// Unit, suite or building, if any.
    #[uniffi(default)]
    pub line2: Option<String>,
    /// City or town.
    pub city: String,
    /// State, province or region.
    pub region: String,
    /// Postal or ZIP code.
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 country code, e.g. `US`.
    pub country: String,
}

/// A property the company services.
#[uniffi::remote(Record)]
pub struct ServiceLocation {
    /// Identifier.
    pub id: LocationId,
    /// A short name when the account has several: "Beach house".
    #[uniffi(default)]
    pub label: Option<String>,
    /// Street address.
    pub address: Address,
    /// Latitude/longitude for routing software.
    #[uniffi(default)]
    pub coordinates: Option<GeoPoint>,
    /// Standing instructions for every visit.
    #[uniffi(default)]
    pub special_instructions: Option<String>,
    /// Pools, spas and water features at the property.
    #[uniffi(default)]
    pub bodies_of_water: Vec<BodyOfWater>,
    /// How to get in.
    pub access: AccessDetails,
    /// When the property is serviced, and by whom.
    #[uniffi(default)]
    pub service_plan: Option<ServicePlan>,
}

/// A point on the map, in WGS 84 degrees.
#[uniffi::remote(Record)]
pub struct GeoPoint {
    /// Latitude, -90 to 90.
    pub latitude: f64,
    /// Longitude, -180 to 180.
    pub longitude: f64,
}

/// A pool, spa or water feature.
#[uniffi::remote(Record)]
pub struct BodyOfWater {
    /// Identifier.
    pub id: BodyOfWaterId,
    /// A name: "Main pool", "Spa".
    pub name: String,
    /// Pool, spa or water feature.
    pub kind: WaterKind,
    /// Volume in US gallons.
    #[uniffi(default)]
    pub gallons: Option<f64>,
    /// Interior finish.
    #[uniffi(default)]
    pub surface: Option<Surface>,
    /// How the water is sanitised.
    pub sanitizer: Sanitizer,
    /// Indoors or outdoors.
    pub setting: Setting,
    /// Pumps, filters, heaters and the rest.
    #[uniffi(default)]
    pub equipment: Vec<Equipment>,
}

/// A piece of equipment on a body of water.
#[uniffi::remote(Record)]
pub struct Equipment {
    /// What it is.
    pub kind: EquipmentKind,
    /// Manufacturer.
    #[uniffi(default)]
    pub make: Option<String>,
    /// Model name or number.
    #[uniffi(default)]
    pub model: Option<String>,
    /// Serial number.
    #[uniffi(default)]
    pub serial: Option<String>,
    /// When it was installed.
    #[uniffi(default)]
    pub installed_on: Option<NaiveDate>,
}

/// How a technician gets in. The codes are [`Secret`]s.
#[uniffi::remote(Record)]
pub struct AccessDetails {
    /// Gate code.
    #[uniffi(default)]
    pub gate_code: Option<Secret>,
    /// Lock combination.
    #[uniffi(default)]
    pub lock_combination: Option<Secret>,
    /// Alarm code.
    #[uniffi(default)]
    pub alarm_code: Option<Secret>,
    /// Where a key is kept: "lockbox by the side gate".
    #[uniffi(default)]
    pub key_location: Option<String>,
    /// Animals at the property.
    #[uniffi(default)]
    pub pets: Vec<Pet>,
    /// Dangers: "wasp nest by pump", "loose pool cover".
    #[uniffi(default)]
    pub hazards: Vec<String>,
    /// When the property may be entered; empty means any time.
    #[uniffi(default)]
    pub access_hours: Vec<AccessWindow>,
    /// Anything else about getting in.
    #[uniffi(default)]
    pub notes: Option<String>,
}

/// An animal at the property.
#[uniffi::remote(Record)]
pub struct Pet {
    /// The pet's name.
    pub name: String,
    /// What it is: "dog", "cat".
    pub kind: String,
    /// How it behaves with strangers.
    pub temperament: PetTemperament,
}

/// When the property may be entered on some days of the week.
#[uniffi::remote(Record)]
pub struct AccessWindow {
    /// The days it applies to (at least one).
    #[uniffi(default)]
    pub days: Vec<Weekday>,
    /// Earliest entry.
    pub start: NaiveTime,
    /// Latest departure (after `start`).
    pub end: NaiveTime,
}

/// When a location is serviced, and by whom.
#[uniffi::remote(Record)]
pub struct ServicePlan {
    /// How often.
    pub frequency: Frequency,
    /// The day of the week service happens.
    #[uniffi(default)]
    pub preferred_weekday: Option<Weekday>,
    /// The technician who serves the route.
    #[uniffi(default)]
    pub technician_id: Option<TechnicianId>,
    /// First day of service.
    pub starts_on: NaiveDate,
    /// Last day of service, if the plan ends.
    #[uniffi(default)]
    pub ends_on: Option<NaiveDate>,
}

/// What a body of water is.
#[uniffi::remote(Enum)]
pub enum WaterKind {
    /// A swimming pool.
    Pool,
    /// A spa or hot tub.
    Spa,
    /// A fountain, pond or other feature.
    WaterFeature,
}

/// The interior finish of a pool or spa.
#[uniffi::remote(Enum)]
pub enum Surface {
    /// Plaster (marcite).
    Plaster,
    /// Pebble aggregate.
    Pebble,
    /// Quartz aggregate.
    Quartz,
    /// Vinyl liner.
    Vinyl,
    /// Fiberglass shell.
    Fiberglass,
    /// Tile.
    Tile,
    /// Painted concrete.
    Painted,
    /// Anything else.
    Other,
}

/// How the water is sanitised.
#[uniffi::remote(Enum)]
pub enum Sanitizer {
    /// Chlorine (liquid, tablets).
    Chlorine,
    /// A salt-water chlorine generator.
    Salt,
    /// Bromine.
    Bromine,
    /// Mineral system with low chlorine.
    Mineral,
    /// PHMB (biguanide).
    Biguanide,
    /// Anything else.
    Other,
}

/// Whether a body of water is indoors.
#[uniffi::remote(Enum)]
pub enum Setting {
    /// Open to the weather.
    Outdoor,
    /// Inside a building or enclosure.
    Indoor,
}

/// What a piece of equipment is.
#[uniffi::remote(Enum)]
pub enum EquipmentKind {
    /// Circulation pump.
    Pump,
    /// Filter (sand, cartridge, DE).
    Filter,
    /// Heater or heat pump.
    Heater,
    /// Chlorinator or salt cell.
    Chlorinator,
    /// Automatic cleaner.
    Cleaner,
    /// Automation controller.
    Automation,
    /// Anything else.
    Other,
}

/// How a pet behaves with strangers.
#[uniffi::remote(Enum)]
pub enum PetTemperament {
    /// Friendly.
    Friendly,
    /// Nervous or shy.
    Nervous,
    /// Aggressive: do not enter while it is out.
    Aggressive,
    /// Not known.
    Unknown,
}

/// How often a location is serviced.
#[uniffi::remote(Enum)]
pub enum Frequency {
    /// Every week.
    Weekly,
    /// Every other week, counted from the plan's start.
    Biweekly,
    /// Once a month.
    Monthly,
    /// Only when called.
    OnCall,
}

/// A technician on the company's staff.
#[uniffi::remote(Record)]
pub struct Technician {
    /// Identifier.
    pub id: TechnicianId,
    /// Full name.
    pub name: String,
    /// Whether the technician currently works routes (technicians are deactivated, never deleted).
    pub active: bool,
    /// Phone in E.164 form.
    #[uniffi(default)]
    pub phone: Option<String>,
    /// Email address.
    #[uniffi(default)]
    pub email: Option<String>,
    /// When the record was created.
    pub created_at: DateTime<Utc>,
    /// When the record last changed.
    pub updated_at: DateTime<Utc>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// Everything needed to add a technician.
#[uniffi::remote(Record)]
pub struct NewTechnician {
    /// Identifier the technician will have.
    pub id: TechnicianId,
    /// Full name.
    pub name: String,
    /// Phone (any common formatting; normalised on save).
    #[uniffi(default)]
    pub phone: Option<String>,
    /// Email address.
    #[uniffi(default)]
    pub email: Option<String>,
}

/// One customer found by a search.
#[uniffi::remote(Record)]
pub struct SearchHit {
    /// The customer.
    pub customer_id: CustomerId,
    /// The customer's display name.
    pub display_name: String,
    /// Relevance: higher is better. Comparable only within one search.
    pub score: f64,
}

/// Which customers to list, and which page. Filters combine with AND; pages
/// are ordered by id (creation order) and continue after a cursor, so they
/// stay stable while records are added or changed.
#[uniffi::remote(Record)]
pub struct CustomerQuery {
    /// Only this lifecycle status.
    #[uniffi(default)]
    pub status: Option<LifecycleStatus>,
    /// Only this kind of account.
    #[uniffi(default)]
    pub kind: Option<CustomerKind>,
    /// Only customers with this tag.
    #[uniffi(default)]
    pub tag: Option<String>,
    /// Only customers with a location whose plan assigns this technician.
    #[uniffi(default)]
    pub technician_id: Option<TechnicianId>,
    /// Only customers changed at or after this time.
    #[uniffi(default)]
    pub updated_since: Option<DateTime<Utc>>,
    /// Live, archived or both.
    pub archived: ArchivedFilter,
    /// Continue after this customer (the previous page's `next_after`).
    #[uniffi(default)]
    pub after: Option<CustomerId>,
    /// Page size (default 100, at most 1000).
    #[uniffi(default)]
    pub limit: Option<u32>,
}

/// One page of a customer listing.
#[uniffi::remote(Record)]
pub struct CustomerPage {
    /// The customers on this page.
    #[uniffi(default)]
    pub customers: Vec<Customer>,
    /// Pass as `after` to get the next page; `None` on the last page.
    #[uniffi(default)]
    pub next_after: Option<CustomerId>,
}

/// Whether a listing includes archived customers.
#[uniffi::remote(Enum)]
pub enum ArchivedFilter {
    /// Only live customers (the default).
    Exclude,
    /// Live and archived customers.
    Include,
    /// Only archived customers.
    Only,
}

/// The two customers after a location changed hands.
#[uniffi::remote(Record)]
pub struct LocationTransfer {
    /// The previous owner, without the location.
    pub from: Customer,
    /// The new owner, with the location.
    pub to: Customer,
}

/// A phone-numbering region (the book's default region for normalising
/// phone numbers): core's `phone::Region`, whose fields are static data.
#[derive(uniffi::Record)]
pub struct Region {
    /// The region's code, e.g. "US".
    pub code: String,
    /// The international calling code, e.g. "1".
    pub calling_code: String,
    /// The national trunk prefix, if the region has one.
    #[uniffi(default)]
    pub trunk_prefix: Option<String>,
    /// The shortest national number, in digits.
    pub min_national_length: u32,
    /// The longest national number, in digits.
    pub max_national_length: u32,
}

impl From<&poolbook::Region> for Region {
    fn from(region: &poolbook::Region) -> Self {
        let length = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Region {
            code: region.code.to_owned(),
            calling_code: region.calling_code.to_owned(),
            trunk_prefix: region.trunk_prefix.map(String::from),
            min_national_length: length(*region.national_lengths.start()),
            max_national_length: length(*region.national_lengths.end()),
        }
    }
}

/// A change to an optional text field: set it, or clear it.
#[derive(uniffi::Enum)]
pub enum TextUpdate {
    /// Set the field to this value.
    Set {
        /// The new value.
        value: String,
    },
    /// Clear the field.
    Clear,
}

impl From<TextUpdate> for Option<String> {
    fn from(update: TextUpdate) -> Self {
        match update {
            TextUpdate::Set { value } => Some(value),
            TextUpdate::Clear => None,
        }
    }
}

/// A partial update to a technician (core's `TechnicianPatch`, whose
/// `Option<Option<String>>` fields Kotlin cannot tell apart from `None`):
/// `null` leaves a field as it is.
#[derive(uniffi::Record)]
pub struct TechnicianPatch {
    /// A new name.
    #[uniffi(default)]
    pub name: Option<String>,
    /// Activate or deactivate.
    #[uniffi(default)]
    pub active: Option<bool>,
    /// Set or clear the phone.
    #[uniffi(default)]
    pub phone: Option<TextUpdate>,
    /// Set or clear the email.
    #[uniffi(default)]
    pub email: Option<TextUpdate>,
}

impl From<TechnicianPatch> for poolbook::TechnicianPatch {
    fn from(patch: TechnicianPatch) -> Self {
        poolbook::TechnicianPatch {
            name: patch.name,
            active: patch.active,
            phone: patch.phone.map(Into::into),
            email: patch.email.map(Into::into),
        }
    }
}
