//! The technician's day: the stop card (everything needed at the gate, in one
//! call) and the day's route (every location due that day, each with its stop
//! card, so a field app can take the day offline).

use std::fmt;

use chrono::{NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::WaterAssessment;
use crate::book::{Book, now};
use crate::domain::chemistry::{CsiMethod, TargetProfile};
use crate::domain::schedule::plan_due_on;
use crate::model::EntryQuery;
use crate::model::{
    AccessWindow, Address, BodyOfWater, ChemicalDose, Contact, ContactChannel, Customer, Direction,
    Entry, EntryKind, GeoPoint, Issue, IssueStatus, LifecycleStatus, OutboxRule, Pet, ServicePlan,
    SkipReason, Technician, Visit, VisitNotice, VisitOutcome,
};
use crate::model::{ChangeAction, NewChange};
use crate::store::{Write, WriteBatch};
use crate::{
    Author, CustomerId, EntityKind, EntryId, Error, LocationId, Result, Secret, TechnicianId,
};
use crate::{format_minutes, format_money};

/// What a technician needs at the gate of one location.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StopCard {
    /// The account.
    pub customer_id: CustomerId,
    /// The customer's display name.
    pub customer_name: String,
    /// The location.
    pub location_id: LocationId,
    /// The location's label, if the account has several.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub label: Option<String>,
    /// Street address.
    pub address: Address,
    /// Animals at the property (read these first).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub pets: Vec<Pet>,
    /// Dangers at the property (read these first).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub hazards: Vec<String>,
    /// When the property may be entered.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub access_hours: Vec<AccessWindow>,
    /// Notes on getting in.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub access_notes: Option<String>,
    /// Where a key is kept.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub key_location: Option<String>,
    /// Gate code: shown only through [`Secret::reveal`].
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub gate_code: Option<Secret>,
    /// Lock combination: shown only through [`Secret::reveal`].
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub lock_combination: Option<Secret>,
    /// Alarm code: shown only through [`Secret::reveal`].
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub alarm_code: Option<Secret>,
    /// The customer's notice-before-visit preference.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub notify_before_visit: Option<VisitNotice>,
    /// The contact to notify, with their phones and emails.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub notify_contact: Option<Contact>,
    /// Standing instructions for every visit.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub special_instructions: Option<String>,
    /// The service plan.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub service_plan: Option<ServicePlan>,
    /// Each pool or spa with its last readings and flags.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub bodies_of_water: Vec<BodyOfWaterCard>,
    /// Open issues at this location or on the account as a whole.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub open_issues: Vec<Issue>,
    /// What the customer owes.
    pub balance: Decimal,
    /// Whether any invoice is past due.
    pub overdue: bool,
    /// The last visit to this location.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub last_visit: Option<VisitSummary>,
    /// When the customer was last sent a visit notice for this location
    /// (the outbox's `visit_notice`): "customer notified 18:02 yesterday".
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub customer_notified_at: Option<chrono::DateTime<Utc>>,
    /// Where the location is, for navigation and routing.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub coordinates: Option<GeoPoint>,
    /// What the customer worries about in their water.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub water_concerns: Vec<String>,
    /// The channel the customer prefers.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub preferred_channel: Option<ContactChannel>,
    /// The customer's language (a BCP 47 tag such as `es-MX`).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub language: Option<String>,
    /// The last three visits to this location, newest first, with who made
    /// them and what they noted: what a new technician inherits.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub recent_visits: Vec<VisitSummary>,
}

/// A body of water on a stop card.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BodyOfWaterCard {
    /// The pool or spa.
    pub body: BodyOfWater,
    /// Its last completed visit's readings, judged; `None` before the first.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub last_reading: Option<WaterAssessment>,
    /// Free chlorine over the last three readings of it: rising, falling
    /// or steady (within 0.5 ppm); `None` with fewer than two.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub free_chlorine_trend: Option<ReadingTrend>,
    /// pH over the last three readings of it (steady within 0.1).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub ph_trend: Option<ReadingTrend>,
}

crate::text_enum! {
    /// Which way a reading has moved over the last visits.
    pub enum ReadingTrend {
        /// Up by more than the reading's tolerance.
        Rising = "rising",
        /// Down by more than the reading's tolerance.
        Falling = "falling",
        /// Within the tolerance.
        Steady = "steady",
    }
}

/// How `values` (oldest first) moved: the newest against the oldest, with
/// `tolerance` either way counted as steady; `None` with fewer than two.
fn trend(values: &[f64], tolerance: f64) -> Option<ReadingTrend> {
    let (first, last) = (values.first()?, values.last()?);
    if values.len() < 2 {
        return None;
    }
    let change = last - first;
    Some(if change >= tolerance {
        ReadingTrend::Rising
    } else if change <= -tolerance {
        ReadingTrend::Falling
    } else {
        ReadingTrend::Steady
    })
}

/// The gist of a visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VisitSummary {
    /// The visit.
    pub visit_id: EntryId,
    /// When.
    pub at: chrono::DateTime<Utc>,
    /// Who.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub technician_id: Option<TechnicianId>,
    /// Who, by name.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub technician_name: Option<String>,
    /// Completed or skipped.
    pub outcome: VisitOutcome,
    /// Why it was skipped.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub skip_reason: Option<SkipReason>,
    /// What was done.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tasks: Vec<String>,
    /// Chemicals added.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub chemicals: Vec<ChemicalDose>,
    /// Notes.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub notes: Option<String>,
}

/// A technician's day.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Route {
    /// The technician.
    pub technician: Technician,
    /// The day.
    pub date: NaiveDate,
    /// The locations due, each with its stop card.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub stops: Vec<StopCard>,
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// The chemistry target profiles in use: the ones saved in this book, or
    /// the built-in defaults until one is saved.
    pub fn target_profiles(&self) -> Result<Vec<TargetProfile>> {
        let stored = self.store.target_profiles()?;
        Ok(if stored.is_empty() {
            TargetProfile::defaults()
        } else {
            stored
        })
    }

    /// Saves a target profile (replacing one of the same name). The first
    /// save also stores the defaults, so editing one keeps the others.
    pub fn put_target_profile(
        &self,
        profile: TargetProfile,
        author: &Author,
    ) -> Result<TargetProfile> {
        author.check()?;
        let mut profile = profile;
        profile.name = profile.name.trim().to_owned();
        if profile.name.is_empty() {
            return Err(Error::invalid("name", "must not be empty"));
        }
        if profile.name.chars().count() > 100 {
            return Err(Error::invalid("name", "is longer than 100 characters"));
        }
        for (parameter, range) in &profile.ranges {
            let field = format!("ranges.{parameter}");
            let ordered = |low: Option<f64>, high: Option<f64>| match (low, high) {
                (Some(low), Some(high)) => low <= high,
                _ => true,
            };
            let finite = [range.min, range.target, range.max]
                .iter()
                .flatten()
                .all(|v| v.is_finite());
            if !finite
                || !ordered(range.min, range.max)
                || !ordered(range.min, range.target)
                || !ordered(range.target, range.max)
            {
                return Err(Error::invalid(
                    field,
                    "needs finite values with min ≤ target ≤ max",
                ));
            }
        }
        let current = self.target_profiles()?;
        let before = current.iter().find(|p| p.name == profile.name);
        let mut writes: Vec<Write> = Vec::new();
        if self.store.target_profiles()?.is_empty() {
            writes.extend(
                current
                    .iter()
                    .filter(|p| p.name != profile.name)
                    .cloned()
                    .map(Write::PutTargetProfile),
            );
        }
        writes.push(Write::PutTargetProfile(profile.clone()));
        let change = NewChange {
            entity: EntityKind::TargetProfile,
            entity_id: profile.name.clone(),
            customer_id: None,
            action: if before.is_some() {
                ChangeAction::Updated
            } else {
                ChangeAction::Created
            },
            changes: crate::domain::changes::field_changes(
                before.map(crate::domain::changes::to_map).as_ref(),
                Some(&crate::domain::changes::to_map(&profile)),
            ),
        };
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes,
            changes: vec![change],
        })?;
        Ok(profile)
    }

    /// Everything a technician needs at the gate of `location_id`, as of today
    /// in the book's time zone.
    pub fn stop_card(&self, location_id: LocationId) -> Result<StopCard> {
        let owner = self
            .store
            .location_owner(location_id)?
            .ok_or_else(|| Error::not_found(EntityKind::Location, location_id))?;
        let customer = self.customer(owner)?;
        let profiles = self.target_profiles()?;
        self.stop_card_for(&customer, location_id, self.today()?, &profiles)
    }

    /// The locations `technician_id` is due at on `date` (from their service
    /// plans; paused, cancelled and archived customers left out), each with
    /// its stop card.
    pub fn route(&self, technician_id: TechnicianId, date: NaiveDate) -> Result<Route> {
        let technician = self.technician(technician_id)?;
        if !technician.active {
            return Err(Error::invalid(
                "technician_id",
                "the technician is inactive: their plans need another technician \
                 (reassign_plans)",
            ));
        }
        let profiles = self.target_profiles()?;
        let mut stops = Vec::new();
        let mut customer: Option<Customer> = None;
        for (customer_id, location_id) in self.store.planned_locations(technician_id)? {
            if customer.as_ref().is_none_or(|c| c.id != customer_id) {
                customer = Some(self.customer(customer_id)?);
            }
            let Some(owner) = &customer else { continue };
            let due = owner
                .location(location_id)
                .and_then(|location| location.service_plan.as_ref())
                .is_some_and(|plan| plan_due_on(plan, date));
            if due && owner.status == LifecycleStatus::Active {
                stops.push(self.stop_card_for(owner, location_id, date, &profiles)?);
            }
        }
        Ok(Route {
            technician,
            date,
            stops,
        })
    }
}

impl Book {
    fn stop_card_for(
        &self,
        customer: &Customer,
        location_id: LocationId,
        as_of: NaiveDate,
        profiles: &[TargetProfile],
    ) -> Result<StopCard> {
        let location = customer
            .location(location_id)
            .ok_or_else(|| Error::invalid("location_id", "the location is archived"))?;
        let access = &location.access;
        let notice = customer.preferences.notify_before_visit.clone();
        let notify_contact = notice
            .as_ref()
            .and_then(|n| customer.contact(n.contact_id))
            .cloned();
        let bodies_of_water = location
            .bodies_of_water
            .iter()
            .map(|body| self.body_card(body, profiles))
            .collect::<Result<Vec<_>>>()?;
        let open_issues = self
            .store
            .entries(&EntryQuery {
                customer_id: Some(customer.id),
                kinds: vec![EntryKind::Issue],
                status: Some(IssueStatus::Open.as_str().to_owned()),
                ..EntryQuery::default()
            })?
            .into_iter()
            .filter_map(|stored| match stored.entry {
                Entry::Issue(issue) if issue.location_id.is_none_or(|id| id == location_id) => {
                    Some(issue)
                }
                _ => None,
            })
            .collect();
        let mut names: std::collections::HashMap<TechnicianId, Option<String>> =
            std::collections::HashMap::new();
        let mut recent_visits = Vec::new();
        for stored in self.store.entries(&EntryQuery {
            location_id: Some(location_id),
            kinds: vec![EntryKind::Visit],
            newest_first: true,
            limit: Some(3),
            ..EntryQuery::default()
        })? {
            let Entry::Visit(visit) = stored.entry else {
                continue;
            };
            let technician_name = match visit.technician_id {
                None => None,
                Some(id) => match names.get(&id) {
                    Some(name) => name.clone(),
                    None => {
                        let name = self.store.technician(id)?.map(|t| t.name);
                        names.insert(id, name.clone());
                        name
                    }
                },
            };
            recent_visits.push(VisitSummary {
                visit_id: visit.id,
                at: visit.at,
                technician_id: visit.technician_id,
                technician_name,
                outcome: visit.outcome,
                skip_reason: visit.skip_reason,
                tasks: visit.tasks,
                chemicals: visit.chemicals,
                notes: visit.notes,
            });
        }
        let last_visit = recent_visits.first().cloned();
        let ledger = self.ledger(customer.id)?;
        let customer_notified_at = self
            .store
            .entries(&EntryQuery {
                location_id: Some(location_id),
                kinds: vec![EntryKind::Message],
                newest_first: true,
                limit: Some(20),
                ..EntryQuery::default()
            })?
            .into_iter()
            .find_map(|stored| match stored.entry {
                Entry::Message(message)
                    if message.direction == Direction::Outbound
                        && message.template.as_deref()
                            == Some(OutboxRule::VisitNotice.as_str()) =>
                {
                    Some(message.at)
                }
                _ => None,
            });
        Ok(StopCard {
            customer_id: customer.id,
            customer_name: customer.display_name.clone(),
            location_id,
            label: location.label.clone(),
            address: location.address.clone(),
            pets: access.pets.clone(),
            hazards: access.hazards.clone(),
            access_hours: access.access_hours.clone(),
            access_notes: access.notes.clone(),
            key_location: access.key_location.clone(),
            gate_code: access.gate_code.clone(),
            lock_combination: access.lock_combination.clone(),
            alarm_code: access.alarm_code.clone(),
            notify_before_visit: notice,
            notify_contact,
            special_instructions: location.special_instructions.clone(),
            service_plan: location.service_plan.clone(),
            bodies_of_water,
            open_issues,
            balance: ledger.balance(),
            overdue: ledger.is_overdue(as_of),
            last_visit,
            customer_notified_at,
            coordinates: location.coordinates,
            water_concerns: customer.preferences.water_concerns.clone(),
            preferred_channel: customer.preferences.preferred_channel,
            language: customer.preferences.language.clone(),
            recent_visits,
        })
    }

    fn body_card(&self, body: &BodyOfWater, profiles: &[TargetProfile]) -> Result<BodyOfWaterCard> {
        let recent = self.store.entries(&EntryQuery {
            body_of_water_id: Some(body.id),
            kinds: vec![EntryKind::Visit],
            status: Some(VisitOutcome::Completed.as_str().to_owned()),
            newest_first: true,
            limit: Some(5),
            ..EntryQuery::default()
        })?;
        let visits: Vec<Visit> = recent
            .into_iter()
            .filter_map(|stored| match stored.entry {
                Entry::Visit(visit) if !visit.readings.is_empty() => Some(visit),
                _ => None,
            })
            .collect();
        let last_reading = visits
            .first()
            .map(|visit| WaterAssessment::of(visit, body, profiles, CsiMethod::default()));
        // The last three of each reading, oldest first.
        let series = |read: fn(&Visit) -> Option<f64>| -> Vec<f64> {
            let mut values: Vec<f64> = visits.iter().filter_map(read).take(3).collect();
            values.reverse();
            values
        };
        Ok(BodyOfWaterCard {
            body: body.clone(),
            last_reading,
            free_chlorine_trend: trend(&series(|v| v.readings.free_chlorine), 0.5),
            ph_trend: trend(&series(|v| v.readings.ph), 0.1),
        })
    }
}

impl fmt::Display for StopCard {
    /// The card as a technician reads it: pets and hazards first. Secrets
    /// show as redacted; reveal them explicitly.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} — {}", self.customer_name, self.address.one_line())?;
        for pet in &self.pets {
            writeln!(
                f,
                "  PET     {} ({}, {})",
                pet.name, pet.kind, pet.temperament
            )?;
        }
        for hazard in &self.hazards {
            writeln!(f, "  HAZARD  {hazard}")?;
        }
        for window in &self.access_hours {
            let days: Vec<&str> = window.days.iter().map(|d| d.as_str()).collect();
            writeln!(
                f,
                "  hours   {} {}–{}",
                days.join(","),
                window.start.format("%H:%M"),
                window.end.format("%H:%M")
            )?;
        }
        if let Some(key) = &self.key_location {
            writeln!(f, "  key     {key}")?;
        }
        if let Some(notes) = &self.access_notes {
            writeln!(f, "  access  {notes}")?;
        }
        if let Some(code) = &self.gate_code {
            writeln!(f, "  gate    {code}")?;
        }
        if let (Some(notice), Some(contact)) = (&self.notify_before_visit, &self.notify_contact) {
            writeln!(
                f,
                "  notify  {} by {} {} before",
                contact.name,
                notice.channel.label(),
                format_minutes(notice.lead_time_minutes)
            )?;
            if let Some(at) = self.customer_notified_at {
                writeln!(f, "  notified {}", at.format("%Y-%m-%d %H:%M UTC"))?;
            }
        }
        if let Some(instructions) = &self.special_instructions {
            writeln!(f, "  note    {instructions}")?;
        }
        for card in &self.bodies_of_water {
            write!(
                f,
                "  {} ({}, {})",
                card.body.name, card.body.kind, card.body.sanitizer
            )?;
            let Some(reading) = &card.last_reading else {
                writeln!(f, "  no readings yet")?;
                continue;
            };
            match (&reading.saturation_index, &reading.saturation_note) {
                (Some(index), _) => write!(f, "  CSI {:+.2} ({})", index.value, index.method)?,
                (None, Some(note)) => write!(f, "  {note}")?,
                (None, None) => {}
            }
            writeln!(f)?;
            let flagged: Vec<String> = reading
                .flags
                .iter()
                .filter(|flag| flag.level != crate::domain::chemistry::Level::Ok)
                .map(|flag| {
                    format!(
                        "{} {} {} (target {})",
                        flag.parameter.label(),
                        flag.value,
                        flag.level,
                        flag.range
                    )
                })
                .collect();
            if !flagged.is_empty() {
                let profile = reading.profile.as_deref().unwrap_or("the default");
                writeln!(
                    f,
                    "    out of range for the {profile} targets: {}",
                    flagged.join("; ")
                )?;
            }
        }
        for issue in &self.open_issues {
            writeln!(
                f,
                "  ISSUE   [{}] {}",
                issue.category.label(),
                issue.summary
            )?;
        }
        writeln!(
            f,
            "  balance {}{}",
            format_money(self.balance),
            if self.overdue { " (OVERDUE)" } else { "" }
        )?;
        if let Some(visit) = &self.last_visit {
            write!(
                f,
                "  last    {} {}",
                visit.at.format("%Y-%m-%d"),
                visit.outcome
            )?;
            if let Some(reason) = visit.skip_reason {
                write!(f, " ({reason})")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}
