//! Mirrors of core's service history and water chemistry: visits with
//! readings and chemicals, messages, issues, notes, feedback, stored
//! entries, target profiles, reading flags and water assessments; plus the
//! `SaturationOutcome` binding enum (core's `CannotCompute` names the
//! missing readings as `&'static str`).

use chrono::{DateTime, Utc};
use poolbook::Credit;
use poolbook::{
    Author, BodyOfWaterId, ChemicalDose, ContactChannel, ContactId, CustomerId, Direction,
    DoseUnit, Entry, EntryId, EntryKind, Feedback, Invoice, Issue, IssueCategory, IssueStatus,
    LocationId, Message, Note, Payment, ReadingPoint, Sanitizer, SkipReason, StoredEntry, Surface,
    TechnicianId, Visit, VisitOutcome, WaterAssessment, WaterKind,
};
use poolbook::{
    CannotCompute, CsiMethod, Level, MeasurementMethod, Parameter, ReadingFlag, Readings,
    SaturationIndex, TargetProfile, TargetRange,
};
use std::collections::BTreeMap;

/// What kind of history entry.
#[uniffi::remote(Enum)]
pub enum EntryKind {
    /// A service visit.
    Visit,
    /// An invoice.
    Invoice,
    /// A payment received.
    Payment,
    /// A credit or adjustment to the account.
    Credit,
    /// A message to or from the customer.
    Message,
    /// An issue raised about the account.
    Issue,
    /// A free note.
    Note,
    /// The customer's rating of the service.
    Feedback,
    /// A step of the customer's journey (kept apart from the other entries).
    Touchpoint,
}

/// How a visit ended.
#[uniffi::remote(Enum)]
pub enum VisitOutcome {
    /// The work was done.
    Completed,
    /// The technician could not do the work (see the skip reason).
    Skipped,
}

/// Why a visit was skipped.
#[uniffi::remote(Enum)]
pub enum SkipReason {
    /// The gate was locked.
    LockedGate,
    /// A dog was out in the yard.
    DogOut,
    /// The weather made service unsafe or pointless.
    Weather,
    /// The customer asked to skip.
    CustomerRequest,
    /// No way in (code wrong, key missing).
    NoAccess,
    /// Any other reason (say which in the notes).
    Other,
}

/// Units of a chemical dose.
#[uniffi::remote(Enum)]
pub enum DoseUnit {
    /// US fluid ounces.
    FluidOunces,
    /// US gallons.
    Gallons,
    /// Ounces by weight.
    Ounces,
    /// Pounds.
    Pounds,
    /// Tablets.
    Tablets,
    /// Millilitres.
    Millilitres,
    /// Litres.
    Litres,
    /// Grams.
    Grams,
    /// Kilograms.
    Kilograms,
}

/// A chemical added during a visit.
#[uniffi::remote(Record)]
pub struct ChemicalDose {
    /// What was added: "liquid chlorine 12.5%", "muriatic acid".
    pub product: String,
    /// How much.
    pub amount: f64,
    /// In what unit.
    pub unit: DoseUnit,
}

/// A service visit to one body of water (or to the location as a whole).
#[uniffi::remote(Record)]
pub struct Visit {
    /// Identifier.
    pub id: EntryId,
    /// The account.
    pub customer_id: CustomerId,
    /// The property visited.
    pub location_id: LocationId,
    /// The pool or spa serviced, if the visit concerns one.
    #[uniffi(default)]
    pub body_of_water_id: Option<BodyOfWaterId>,
    /// Who made the visit.
    #[uniffi(default)]
    pub technician_id: Option<TechnicianId>,
    /// When the visit took place.
    pub at: DateTime<Utc>,
    /// Completed or skipped.
    pub outcome: VisitOutcome,
    /// Why it was skipped (required when skipped, absent when completed).
    #[uniffi(default)]
    pub skip_reason: Option<SkipReason>,
    /// Water test results.
    pub readings: Readings,
    /// How the water was tested.
    #[uniffi(default)]
    pub measured_by: Option<MeasurementMethod>,
    /// The testing device, when a device was used.
    #[uniffi(default)]
    pub device_id: Option<String>,
    /// Chemicals added.
    #[uniffi(default)]
    pub chemicals: Vec<ChemicalDose>,
    /// Tasks done: "brushed", "emptied baskets", "backwashed".
    #[uniffi(default)]
    pub tasks: Vec<String>,
    /// Anything else worth knowing.
    #[uniffi(default)]
    pub notes: Option<String>,
    /// References (URIs) to photos taken.
    #[uniffi(default)]
    pub photos: Vec<String>,
    /// Minutes on site.
    #[uniffi(default)]
    pub duration_minutes: Option<u32>,
}

/// Which way a message went.
#[uniffi::remote(Enum)]
pub enum Direction {
    /// From the customer to the company.
    Inbound,
    /// From the company to the customer.
    Outbound,
}

/// A message to or from the customer.
#[uniffi::remote(Record)]
pub struct Message {
    /// Identifier.
    pub id: EntryId,
    /// The account.
    pub customer_id: CustomerId,
    /// The property it concerns, if one.
    #[uniffi(default)]
    pub location_id: Option<LocationId>,
    /// When it was sent or received.
    pub at: DateTime<Utc>,
    /// The channel used.
    pub channel: ContactChannel,
    /// Inbound or outbound.
    pub direction: Direction,
    /// The contact it went to or came from.
    #[uniffi(default)]
    pub contact_id: Option<ContactId>,
    /// Subject line, for email.
    #[uniffi(default)]
    pub subject: Option<String>,
    /// The text.
    pub body: String,
}

/// What an issue is about.
#[uniffi::remote(Enum)]
pub enum IssueCategory {
    /// Green, cloudy or otherwise unhappy water.
    WaterQuality,
    /// Broken or failing equipment.
    Equipment,
    /// A billing question or dispute.
    Billing,
    /// A complaint about the service.
    Complaint,
    /// Damage to the property.
    Damage,
    /// Anything else.
    Other,
}

/// Where an issue stands.
#[uniffi::remote(Enum)]
pub enum IssueStatus {
    /// Still to be dealt with.
    Open,
    /// Dealt with (see the resolution).
    Resolved,
}

/// Something that needs dealing with: a green pool, a leaking pump, a dispute.
#[uniffi::remote(Record)]
pub struct Issue {
    /// Identifier.
    pub id: EntryId,
    /// The account.
    pub customer_id: CustomerId,
    /// The property it concerns, if one.
    #[uniffi(default)]
    pub location_id: Option<LocationId>,
    /// The pool or spa it concerns, if one.
    #[uniffi(default)]
    pub body_of_water_id: Option<BodyOfWaterId>,
    /// When it was raised.
    pub at: DateTime<Utc>,
    /// What it is about.
    pub category: IssueCategory,
    /// One line saying what is wrong.
    pub summary: String,
    /// More detail.
    #[uniffi(default)]
    pub details: Option<String>,
    /// Open or resolved.
    pub status: IssueStatus,
    /// When it was resolved.
    #[uniffi(default)]
    pub resolved_at: Option<DateTime<Utc>>,
    /// How it was resolved.
    #[uniffi(default)]
    pub resolution: Option<String>,
}

/// A free note on the account.
#[uniffi::remote(Record)]
pub struct Note {
    /// Identifier.
    pub id: EntryId,
    /// The account.
    pub customer_id: CustomerId,
    /// The property it concerns, if one.
    #[uniffi(default)]
    pub location_id: Option<LocationId>,
    /// When it was written.
    pub at: DateTime<Utc>,
    /// The note.
    pub text: String,
}

/// The customer's rating of the service.
#[uniffi::remote(Record)]
pub struct Feedback {
    /// Identifier.
    pub id: EntryId,
    /// The account.
    pub customer_id: CustomerId,
    /// When it was given.
    pub at: DateTime<Utc>,
    /// 1 (poor) to 5 (excellent).
    pub rating: u8,
    /// What the customer said.
    #[uniffi(default)]
    pub comment: Option<String>,
    /// The visit rated, if one.
    #[uniffi(default)]
    pub visit_id: Option<EntryId>,
}

#[uniffi::remote(Enum)]
pub enum Entry {
    /// A visit.
    Visit(Visit),
    /// An invoice.
    Invoice(Invoice),
    /// A payment.
    Payment(Payment),
    /// A credit or adjustment.
    Credit(Credit),
    /// A message.
    Message(Message),
    /// An issue.
    Issue(Issue),
    /// A note.
    Note(Note),
    /// Feedback.
    Feedback(Feedback),
}

/// A history entry as stored: the entry, who recorded it, and whether it is archived.
#[uniffi::remote(Record)]
pub struct StoredEntry {
    /// The entry.
    pub entry: Entry,
    /// Who recorded it.
    pub author: Author,
    /// When it was archived (entered in error), if it was.
    #[uniffi(default)]
    pub archived_at: Option<DateTime<Utc>>,
}

/// How the water was tested.
#[uniffi::remote(Enum)]
pub enum MeasurementMethod {
    /// Test strips.
    Strip,
    /// A drop-titration kit.
    DropKit,
    /// A photometer (colorimeter).
    Photometer,
    /// A digital probe or meter.
    DigitalDevice,
}

/// One visit's water test. Every reading is optional: a technician tests
/// what the visit calls for.
#[uniffi::remote(Record)]
pub struct Readings {
    /// Free chlorine, ppm.
    #[uniffi(default)]
    pub free_chlorine: Option<f64>,
    /// Combined chlorine (chloramines), ppm.
    #[uniffi(default)]
    pub combined_chlorine: Option<f64>,
    /// pH.
    #[uniffi(default)]
    pub ph: Option<f64>,
    /// Total alkalinity, ppm as CaCO₃.
    #[uniffi(default)]
    pub total_alkalinity: Option<f64>,
    /// Cyanuric acid (stabiliser), ppm.
    #[uniffi(default)]
    pub cyanuric_acid: Option<f64>,
    /// Calcium hardness, ppm as CaCO₃.
    #[uniffi(default)]
    pub calcium_hardness: Option<f64>,
    /// Salt (sodium chloride), ppm.
    #[uniffi(default)]
    pub salt: Option<f64>,
    /// Water temperature, degrees Fahrenheit.
    #[uniffi(default)]
    pub temperature_f: Option<f64>,
    /// Total dissolved solids, ppm.
    #[uniffi(default)]
    pub tds: Option<f64>,
    /// Phosphates, ppb.
    #[uniffi(default)]
    pub phosphates: Option<f64>,
    /// Borate, ppm.
    #[uniffi(default)]
    pub borate: Option<f64>,
}

/// How the calcite saturation index is computed.
#[uniffi::remote(Enum)]
pub enum CsiMethod {
    /// The closed-form CSI used by TroubleFreePool's PoolMath, with ionic
    /// strength, cyanurate and borate corrections. The default.
    Tfp,
    /// The classic Langelier factor method: pH + TF + CF + AF − 12.1.
    Classic,
}

/// A computed saturation index and the method that produced it.
#[uniffi::remote(Record)]
pub struct SaturationIndex {
    /// The index: negative water is corrosive (dissolves calcium), positive
    /// water is scale-forming, 0 is balanced.
    pub value: f64,
    /// How it was computed.
    pub method: CsiMethod,
}

/// A quantity a target profile can hold a range for.
#[uniffi::remote(Enum)]
pub enum Parameter {
    /// Free chlorine, ppm.
    FreeChlorine,
    /// Combined chlorine, ppm.
    CombinedChlorine,
    /// pH.
    Ph,
    /// Total alkalinity, ppm.
    TotalAlkalinity,
    /// Cyanuric acid, ppm.
    CyanuricAcid,
    /// Calcium hardness, ppm.
    CalciumHardness,
    /// Salt, ppm.
    Salt,
    /// Water temperature, °F.
    TemperatureF,
    /// Total dissolved solids, ppm.
    Tds,
    /// Phosphates, ppb.
    Phosphates,
    /// The calcite saturation index.
    SaturationIndex,
}

/// Where a value sits against its target range.
#[uniffi::remote(Enum)]
pub enum Level {
    /// Below the minimum.
    Low,
    /// Within the range (bounds included).
    Ok,
    /// Above the maximum.
    High,
}

/// The acceptable span of one parameter; any bound may be open.
#[uniffi::remote(Record)]
pub struct TargetRange {
    /// Lowest acceptable value.
    #[uniffi(default)]
    pub min: Option<f64>,
    /// Highest acceptable value.
    #[uniffi(default)]
    pub max: Option<f64>,
    /// The value to aim for when adjusting.
    #[uniffi(default)]
    pub target: Option<f64>,
}

/// A named set of target ranges and the bodies of water it applies to.
/// Companies edit these; [`TargetProfile::defaults`] is a starting point.
#[uniffi::remote(Record)]
pub struct TargetProfile {
    /// A name: "Salt-water pool".
    pub name: String,
    /// The kind of water it applies to; `None` for any.
    #[uniffi(default)]
    pub water_kind: Option<WaterKind>,
    /// The sanitizer it applies to; `None` for any.
    #[uniffi(default)]
    pub sanitizer: Option<Sanitizer>,
    /// The surface it applies to; `None` for any (an unknown surface too).
    #[uniffi(default)]
    pub surface: Option<Surface>,
    /// The range for each parameter checked; parameters without one are not flagged.
    pub ranges: BTreeMap<Parameter, TargetRange>,
    /// Whether the free-chlorine minimum, target and maximum follow the
    /// reading's cyanuric acid (see [`TargetProfile::range_for`]).
    pub chlorine_from_cya: bool,
}

/// One value compared with its target range.
#[uniffi::remote(Record)]
pub struct ReadingFlag {
    /// What was compared.
    pub parameter: Parameter,
    /// The value.
    pub value: f64,
    /// Where it sits.
    pub level: Level,
    /// The range it was compared with (free chlorine possibly following CYA).
    pub range: TargetRange,
}

/// One visit's readings in a body of water's series (for trend charts).
#[uniffi::remote(Record)]
pub struct ReadingPoint {
    /// When the water was tested.
    pub at: DateTime<Utc>,
    /// The visit.
    pub visit_id: EntryId,
    /// What was measured.
    pub readings: Readings,
    /// The saturation index (default method), when the readings allow it.
    #[uniffi(default)]
    pub saturation_index: Option<f64>,
}

/// A visit's water judged: its saturation index, and each reading against
/// the target profile of the pool or spa it was taken from.
#[uniffi::remote(Record)]
pub struct WaterAssessment {
    /// The visit.
    pub visit_id: EntryId,
    /// When the water was tested.
    pub at: DateTime<Utc>,
    /// What was measured.
    pub readings: Readings,
    /// The saturation index, with the method that made it.
    #[uniffi(default)]
    pub saturation_index: Option<SaturationIndex>,
    /// Why there is no saturation index ("cannot compute …: needs …").
    #[uniffi(default)]
    pub saturation_note: Option<String>,
    /// The target profile the readings were judged by, if one fits the body of water.
    #[uniffi(default)]
    pub profile: Option<String>,
    /// Each reading judged low, ok or high.
    #[uniffi(default)]
    pub flags: Vec<ReadingFlag>,
}

/// What `saturationIndex` gives: the index, or why it cannot be computed.
#[derive(uniffi::Enum)]
pub enum SaturationOutcome {
    /// The index was computed.
    Computed {
        /// The computed index.
        index: SaturationIndex,
    },
    /// The index cannot be computed from these readings.
    CannotCompute {
        /// The readings that are missing.
        needs: Vec<String>,
        /// Why the present readings cannot be used.
        reasons: Vec<String>,
    },
}

impl From<Result<SaturationIndex, CannotCompute>> for SaturationOutcome {
    fn from(result: Result<SaturationIndex, CannotCompute>) -> Self {
        match result {
            Ok(index) => SaturationOutcome::Computed { index },
            Err(cannot) => SaturationOutcome::CannotCompute {
                needs: cannot.needs.into_iter().map(String::from).collect(),
                reasons: cannot.reasons,
            },
        }
    }
}
