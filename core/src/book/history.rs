//! Reading the customer's history and changing what is recorded: judging a
//! visit's water, a pool's reading series, the billing ledger and its
//! statements and aging, resolving an issue, archiving and restoring an
//! entry. (Adding entries is `book/entries.rs`.)

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::book::{Book, now};
use crate::domain::changes;
use crate::domain::chemistry::{
    CsiMethod, ReadingFlag, SaturationIndex, TargetProfile, best_profile, flag_readings,
    saturation_index,
};
use crate::domain::ledger::{Aging, InvoiceBalance, Ledger, Statement};
use crate::domain::validate::required_text;
use crate::model::{
    BodyOfWater, ChangeAction, Entry, EntryKind, EntryQuery, Issue, IssueStatus, NewChange,
    Readings, StoredEntry, Visit, VisitOutcome,
};
use crate::store::{Write, WriteBatch};
use crate::{Author, BodyOfWaterId, CustomerId, EntityKind, EntryId, Error, Result};

/// Longest free text accepted in a note, message body, visit notes or resolution.
pub const MAX_NOTE_CHARS: usize = 10_000;

/// Longest visit accepted, in minutes.
pub const MAX_VISIT_MINUTES: u32 = 24 * 60;

/// One visit's readings in a body of water's series (for trend charts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReadingPoint {
    /// When the water was tested.
    pub at: DateTime<Utc>,
    /// The visit.
    pub visit_id: EntryId,
    /// What was measured.
    pub readings: Readings,
    /// The saturation index (default method), when the readings allow it.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub saturation_index: Option<f64>,
}

/// A visit's water judged: its saturation index, and each reading against
/// the target profile of the pool or spa it was taken from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct WaterAssessment {
    /// The visit.
    pub visit_id: EntryId,
    /// When the water was tested.
    pub at: DateTime<Utc>,
    /// What was measured.
    pub readings: Readings,
    /// The saturation index, with the method that made it.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub saturation_index: Option<SaturationIndex>,
    /// Why there is no saturation index ("cannot compute …: needs …").
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub saturation_note: Option<String>,
    /// The target profile the readings were judged by, if one fits the body of water.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub profile: Option<String>,
    /// Each reading judged low, ok or high.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub flags: Vec<ReadingFlag>,
}

impl WaterAssessment {
    /// Judges `visit`'s readings from `body` by the best-fitting of `profiles`.
    pub(crate) fn of(
        visit: &Visit,
        body: &BodyOfWater,
        profiles: &[TargetProfile],
        method: CsiMethod,
    ) -> Self {
        let (index, note) = match saturation_index(&visit.readings, method) {
            Ok(index) => (Some(index), None),
            Err(cannot) => (None, Some(cannot.to_string())),
        };
        let profile = best_profile(profiles, body.kind, body.sanitizer, body.surface);
        WaterAssessment {
            visit_id: visit.id,
            at: visit.at,
            readings: visit.readings,
            flags: profile
                .as_ref()
                .map(|p| flag_readings(p, &visit.readings, index))
                .unwrap_or_default(),
            saturation_index: index,
            saturation_note: note,
            profile: profile.map(|p| p.name.clone()),
        }
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Judges a visit's readings: the saturation index by `method`, and each
    /// reading low / ok / high against the pool's target profile.
    pub fn assess_visit(&self, visit_id: EntryId, method: CsiMethod) -> Result<WaterAssessment> {
        let Entry::Visit(visit) = self.entry(visit_id)?.entry else {
            return Err(Error::invalid("visit_id", "is not a visit"));
        };
        let Some(body_id) = visit.body_of_water_id else {
            return Err(Error::invalid(
                "visit_id",
                "the visit names no body of water to judge its readings by",
            ));
        };
        let owner = self
            .store
            .location_owner(visit.location_id)?
            .ok_or_else(|| Error::not_found(EntityKind::Location, visit.location_id))?;
        let customer = self.customer(owner)?;
        let body = customer
            .location(visit.location_id)
            .and_then(|location| location.bodies_of_water.iter().find(|b| b.id == body_id))
            .ok_or_else(|| Error::invalid("visit_id", "its body of water is archived"))?;
        Ok(WaterAssessment::of(
            &visit,
            body,
            &self.target_profiles()?,
            method,
        ))
    }

    /// Resolves an open issue, saying how.
    pub fn resolve_issue(&self, id: EntryId, resolution: &str, author: &Author) -> Result<Issue> {
        author.check()?;
        let stored = self.entry(id)?;
        let Entry::Issue(before) = stored.entry else {
            return Err(Error::invalid("id", "is not an issue"));
        };
        if before.status == IssueStatus::Resolved {
            return Err(Error::invalid("status", "the issue is already resolved"));
        }
        let mut after = before.clone();
        after.status = IssueStatus::Resolved;
        after.resolved_at = Some(now());
        let mut resolution = resolution.to_owned();
        required_text(&mut resolution, "resolution", MAX_NOTE_CHARS)?;
        after.resolution = Some(resolution);
        let changes = entry_changes(&Entry::Issue(before), &Entry::Issue(after.clone()));
        // The issue's touchpoints as it now stands: `issue_opened` is stored
        // already (skipped by its source key), `issue_resolved` is new.
        let touchpoints =
            self.entry_operations(&[Entry::Issue(after.clone())], &|_| false, author)?;
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes: vec![
                Write::UpdateEntry(Entry::Issue(after.clone())),
                Write::InsertTouchpoints(touchpoints),
            ],
            changes: vec![changes],
        })?;
        Ok(after)
    }

    /// A history entry by id, with who recorded it.
    pub fn entry(&self, id: EntryId) -> Result<StoredEntry> {
        self.store
            .entry(id)?
            .ok_or_else(|| Error::not_found(EntityKind::Entry, id))
    }

    /// Archives an entry recorded in error: it leaves the timeline, the
    /// ledger and the series, and can be restored.
    pub fn archive_entry(&self, id: EntryId, author: &Author) -> Result<StoredEntry> {
        self.set_entry_archived(id, true, author)
    }

    /// Brings an archived entry back.
    pub fn restore_entry(&self, id: EntryId, author: &Author) -> Result<StoredEntry> {
        self.set_entry_archived(id, false, author)
    }

    /// A body of water's readings over time, oldest first, from completed
    /// visits in `[since, until)`; each point carries its saturation index.
    pub fn readings_series(
        &self,
        body_of_water_id: BodyOfWaterId,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<ReadingPoint>> {
        let visits = self.store.entries(&EntryQuery {
            body_of_water_id: Some(body_of_water_id),
            kinds: vec![EntryKind::Visit],
            status: Some(VisitOutcome::Completed.as_str().to_owned()),
            since,
            until,
            ..EntryQuery::default()
        })?;
        Ok(visits
            .into_iter()
            .filter_map(|stored| match stored.entry {
                Entry::Visit(visit) if !visit.readings.is_empty() => Some(ReadingPoint {
                    at: visit.at,
                    visit_id: visit.id,
                    saturation_index: saturation_index(&visit.readings, CsiMethod::default())
                        .ok()
                        .map(|index| index.value),
                    readings: visit.readings,
                }),
                _ => None,
            })
            .collect())
    }

    /// The customer's ledger: invoices, payments and credits (archived ones left out).
    pub fn ledger(&self, customer_id: CustomerId) -> Result<Ledger> {
        let entries = self.store.entries(&EntryQuery {
            customer_id: Some(customer_id),
            kinds: vec![EntryKind::Invoice, EntryKind::Payment, EntryKind::Credit],
            ..EntryQuery::default()
        })?;
        if entries.is_empty() {
            // No entries: an empty ledger, if the customer exists at all.
            self.customer(customer_id)?;
        }
        let (mut invoices, mut payments, mut credits) = (Vec::new(), Vec::new(), Vec::new());
        for stored in entries {
            match stored.entry {
                Entry::Invoice(invoice) => invoices.push(invoice),
                Entry::Payment(payment) => payments.push(payment),
                Entry::Credit(credit) => credits.push(credit),
                _ => {}
            }
        }
        Ok(Ledger::new(invoices, payments, credits))
    }

    /// What the customer owes now (derived from the ledger).
    pub fn balance(&self, customer_id: CustomerId) -> Result<rust_decimal::Decimal> {
        Ok(self.ledger(customer_id)?.balance())
    }

    /// Each invoice with what has been paid and credited, and what remains.
    pub fn invoice_balances(&self, customer_id: CustomerId) -> Result<Vec<InvoiceBalance>> {
        Ok(self.ledger(customer_id)?.invoice_balances())
    }

    /// A statement for `[from, to]`: opening balance, entries, closing balance.
    pub fn statement(
        &self,
        customer_id: CustomerId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Statement> {
        self.ledger(customer_id)?.statement(from, to)
    }

    /// What the customer owes by age (current, 1–30, 31–60, 61–90, over 90 days past due).
    pub fn aging(&self, customer_id: CustomerId, as_of: NaiveDate) -> Result<Aging> {
        Ok(self.ledger(customer_id)?.aging(as_of))
    }
}

impl Book {
    fn set_entry_archived(
        &self,
        id: EntryId,
        archive: bool,
        author: &Author,
    ) -> Result<StoredEntry> {
        author.check()?;
        let mut stored = self.entry(id)?;
        if stored.archived_at.is_some() == archive {
            return Err(Error::invalid(
                "archived_at",
                if archive {
                    "the entry is already archived"
                } else {
                    "the entry is not archived"
                },
            ));
        }
        let at = now();
        stored.archived_at = archive.then_some(at);
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at,
            writes: vec![Write::SetEntryArchived {
                id,
                archived_at: stored.archived_at,
            }],
            changes: vec![NewChange {
                entity: EntityKind::Entry,
                entity_id: id.to_string(),
                customer_id: Some(stored.entry.customer_id()),
                action: if archive {
                    ChangeAction::Archived
                } else {
                    ChangeAction::Restored
                },
                changes: Vec::new(),
            }],
        })?;
        Ok(stored)
    }
}

fn entry_changes(before: &Entry, after: &Entry) -> NewChange {
    NewChange {
        entity: EntityKind::Entry,
        entity_id: after.id().to_string(),
        customer_id: Some(after.customer_id()),
        action: ChangeAction::Updated,
        changes: changes::field_changes(
            Some(&changes::to_map(before)),
            Some(&changes::to_map(after)),
        ),
    }
}
