//! Core's free functions, under binding names: `saturationIndex`,
//! `flagReadings`, `bestProfile`, `populateDemo` (core's `demo::populate`),
//! `planDueOn`, `defaultStageMap`, `normalizePhone`; and the defaults of
//! the option records (`defaultDemoOptions`, `defaultEventMapping`).

use chrono::NaiveDate;
use poolbook::DemoOptions;
use poolbook::{
    CsiMethod, ReadingFlag, Readings, SaturationIndex, TargetProfile, best_profile as core_best,
};
use poolbook::{Sanitizer, ServicePlan, Surface, WaterKind};

use crate::book::Book;
use crate::error::Result;
use crate::fieldday::DemoSummary;
use crate::history::SaturationOutcome;
use crate::journey::EventMapping;
use crate::types::StageMap;

/// The calcium saturation index of the readings, or what is missing to
/// compute it.
#[uniffi::export]
pub fn saturation_index(readings: Readings, method: CsiMethod) -> SaturationOutcome {
    poolbook::saturation_index(&readings, method).into()
}

/// The readings outside the profile's target ranges (and the index, if
/// given).
#[uniffi::export]
pub fn flag_readings(
    profile: TargetProfile,
    readings: Readings,
    csi: Option<SaturationIndex>,
) -> Vec<ReadingFlag> {
    poolbook::flag_readings(&profile, &readings, csi.as_ref())
}

/// The profile that best fits a body of water, if any fits.
#[uniffi::export]
pub fn best_profile(
    profiles: Vec<TargetProfile>,
    kind: WaterKind,
    sanitizer: Sanitizer,
    surface: Option<Surface>,
) -> Option<TargetProfile> {
    core_best(&profiles, kind, sanitizer, surface).cloned()
}

/// Fills the book with a demo company (technicians, customers, a year of
/// visits, invoices, payments and journeys); blocks for a while.
#[uniffi::export]
pub fn populate_demo(book: &Book, options: DemoOptions) -> Result<DemoSummary> {
    Ok(poolbook::populate_demo(book.core(), &options)?.into())
}

/// The demo company's default options.
#[uniffi::export]
pub fn default_demo_options() -> DemoOptions {
    DemoOptions::default()
}

/// Whether the service plan has a visit due on the day.
#[uniffi::export]
pub fn plan_due_on(plan: ServicePlan, date: NaiveDate) -> bool {
    poolbook::plan_due_on(&plan, date)
}

/// The journey stage of each action, before the company changes it.
#[uniffi::export]
pub fn default_stage_map() -> StageMap {
    poolbook::default_stage_map()
}

/// The common Segment event names mapped to journey channels and actions.
#[uniffi::export]
pub fn default_event_mapping() -> EventMapping {
    poolbook::EventMapping::default().into()
}

/// The phone number in E.164 form for the region (by code, e.g. "US");
/// errors name `field`.
#[uniffi::export]
pub fn normalize_phone(input: String, region_code: String, field: String) -> Result<String> {
    let region = poolbook::Region::from_code(&region_code)?;
    Ok(poolbook::normalize_phone(&input, region, &field)?)
}
