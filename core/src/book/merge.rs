//! Merging two records of one customer, and undoing it: everything of the
//! absorbed record moves to the survivor in one transaction, the absorbed
//! record stays (archived) and its id resolves to the survivor, and the
//! merge keeps what it needs to give both records back.

use std::collections::HashSet;

use serde::Serialize;
use serde_json::Value;

use crate::book::duplicates::{levels_of, verdict_change};
use crate::book::{Book, now};
use crate::domain::linkage::{self, Profile, compare};
use crate::model::{
    Address, Author, Billing, ChangeAction, Customer, DuplicateDecision, DuplicateVerdict,
    EntryQuery, FieldChange, LifecycleStatus, MergeOutcome, MergePicks, MergeRecord, MergeSide,
    MergeUndo, NewChange, Preferences, RecordMove, TouchpointQuery, UnmergeOutcome,
};
use crate::store::{Write, WriteBatch};
use crate::{CustomerId, EntityKind, EntryId, Error, Result};

/// Longest chain of merges followed when resolving an id.
const MAX_MERGE_CHAIN: usize = 64;

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Merges `absorbed` into `survivor` in one transaction: the absorbed
    /// record's contacts, locations (with their bodies of water, codes and
    /// plans), history, touchpoints and visitor links move to the survivor;
    /// the survivor's fields follow `picks` (see [`MergePicks`] for the
    /// defaults); the absorbed record is archived as merged, and its id
    /// resolves to the survivor ([`Book::resolve_customer`]). One
    /// change-log operation records it, and [`Book::unmerge_customer`]
    /// undoes it. Merging a customer with itself, twice, into an archived
    /// or merged customer, or an archived customer, is refused. If another
    /// writer gives the absorbed customer history, touchpoints or visitor
    /// links while the merge is prepared, it fails with [`Error::Busy`]
    /// and changes nothing (merge again), rather than leave them behind.
    pub fn merge_customers(
        &self,
        survivor: CustomerId,
        absorbed: CustomerId,
        picks: MergePicks,
        author: &Author,
    ) -> Result<MergeOutcome> {
        author.check()?;
        if survivor == absorbed {
            return Err(Error::invalid(
                "absorbed",
                "is the survivor itself; a customer cannot be merged with itself",
            ));
        }
        if let Some(merge) = self.standing_merge(absorbed)? {
            return Err(Error::invalid(
                "absorbed",
                format!("was already merged into customer {}", merge.survivor),
            ));
        }
        if let Some(merge) = self.standing_merge(survivor)? {
            return Err(Error::invalid(
                "survivor",
                format!(
                    "was merged into customer {}; merge into that customer instead",
                    merge.survivor
                ),
            ));
        }
        let before = self.customer(survivor)?;
        let gone = self.customer(absorbed)?;
        for (field, record) in [("survivor", &before), ("absorbed", &gone)] {
            if record.archived_at.is_some() {
                return Err(Error::invalid(
                    field,
                    "is archived; restore it before merging",
                ));
            }
        }
        let at = now();
        let mut merged = merge_fields(&before, &gone, &picks);
        // The rules see both records' parts as already stored.
        let mut both = before.clone();
        both.contacts.extend(gone.contacts.iter().cloned());
        both.locations.extend(gone.locations.iter().cloned());
        self.check_record(&mut merged, &both)?;
        merged.version = before.version + 1;
        merged.updated_at = at;
        let mut emptied = gone.clone();
        emptied.contacts.clear();
        emptied.locations.clear();
        emptied.archived_at = Some(at);
        emptied.version = gone.version + 1;
        emptied.updated_at = at;

        let entries: Vec<_> = self
            .store
            .entries(&EntryQuery {
                customer_id: Some(absorbed),
                include_archived: true,
                ..EntryQuery::default()
            })?
            .into_iter()
            .map(|stored| stored.entry.id())
            .collect();
        let (every_touchpoint, touchpoints) = self.touchpoints_to_move(absorbed, &entries)?;
        let moved_touchpoints = count(every_touchpoint);
        let visitors = self.store.visitors_of(absorbed)?;
        let undo = MergeUndo {
            survivor_before: without_locations(&before),
            absorbed_before: without_locations(&gone),
            survivor_after: without_locations(&merged),
            absorbed_locations: gone.locations.iter().map(|l| l.id).collect(),
            entries: entries.clone(),
            touchpoints: touchpoints.clone(),
            visitors: visitors.clone(),
        };
        let moved = RecordMove {
            contacts: gone.contacts.iter().map(|c| c.id).collect(),
            entries,
            touchpoints,
            visitors,
        };
        let mut writes = vec![Write::MoveRecords {
            from: absorbed,
            to: survivor,
            records: moved.clone(),
            everything: true,
        }];
        writes.extend(gone.locations.iter().map(|location| Write::MoveLocation {
            location_id: location.id,
            from: absorbed,
            to: survivor,
        }));
        let (low, high) = if survivor < absorbed {
            (survivor, absorbed)
        } else {
            (absorbed, survivor)
        };
        let prior_verdict = self
            .store
            .duplicate_decisions()?
            .into_iter()
            .find(|decision| (decision.a, decision.b) == (low, high))
            .map(|decision| decision.verdict);
        writes.extend([
            Write::UpdateCustomer {
                record: emptied.clone(),
                previous: Box::new(gone.clone()),
            },
            Write::UpdateCustomer {
                record: merged.clone(),
                previous: Box::new(before.clone()),
            },
            Write::PutDuplicateDecision(DuplicateDecision {
                a: low,
                b: high,
                verdict: DuplicateVerdict::Same,
                levels: self.pair_levels(&before, &gone)?,
                evidence: Vec::new(),
                decided_at: at,
                author: author.clone(),
            }),
            Write::PutMerge(Box::new(MergeRecord {
                absorbed,
                survivor,
                merged_at: at,
                unmerged_at: None,
                undo: undo.clone(),
            })),
        ]);
        let mut survivor_changes = scalar_changes(&before, &merged);
        survivor_changes.push(change("merged_from", Value::Null, absorbed.to_string()));
        survivor_changes.push(change("merge", Value::Null, to_value(&undo)));
        let changes = vec![
            NewChange {
                entity: EntityKind::Customer,
                entity_id: survivor.to_string(),
                customer_id: Some(survivor),
                action: ChangeAction::Merged,
                changes: survivor_changes,
            },
            NewChange {
                entity: EntityKind::Customer,
                entity_id: absorbed.to_string(),
                customer_id: Some(absorbed),
                action: ChangeAction::Merged,
                changes: vec![
                    change("merged_into", Value::Null, survivor.to_string()),
                    change("archived_at", Value::Null, to_value(&emptied.archived_at)),
                ],
            },
            verdict_change(low, high, low, prior_verdict, DuplicateVerdict::Same),
        ];
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at,
            writes,
            changes,
        })?;
        Ok(MergeOutcome {
            survivor: merged,
            absorbed: emptied,
            moved_entries: count(moved.entries.len()),
            moved_touchpoints,
            moved_visitors: count(moved.visitors.len()),
        })
    }

    /// Undoes the merge of `absorbed`: both records come back as they were
    /// before it, with everything that moved moved back, in one
    /// transaction. Edits made to the survivor since the merge are kept,
    /// not thrown away, and listed in [`UnmergeOutcome::kept_edits`]; so
    /// are history entries recorded since at the absorbed record's
    /// locations, which go back with them.
    pub fn unmerge_customer(
        &self,
        absorbed: CustomerId,
        author: &Author,
    ) -> Result<UnmergeOutcome> {
        author.check()?;
        let Some(merge) = self.standing_merge(absorbed)? else {
            return Err(Error::invalid(
                "absorbed",
                "is not merged into another customer",
            ));
        };
        if let Some(later) = self.standing_merge(merge.survivor)? {
            return Err(Error::invalid(
                "absorbed",
                format!(
                    "was merged into customer {}, which was itself merged into {} since; \
                     unmerge that first",
                    merge.survivor, later.survivor
                ),
            ));
        }
        let current = self.customer(merge.survivor)?;
        let stub = self.customer(absorbed)?;
        let undo = &merge.undo;
        let mut kept = Vec::new();
        let theirs: HashSet<_> = undo.absorbed_before.contacts.iter().map(|c| c.id).collect();
        let their_places: HashSet<_> = undo.absorbed_locations.iter().copied().collect();

        let mut survivor = current.clone();
        survivor.contacts.retain(|c| !theirs.contains(&c.id));
        survivor.locations.retain(|l| !their_places.contains(&l.id));
        restore_scalars(&mut survivor, &current, undo, &mut kept);

        let mut restored = undo.absorbed_before.clone();
        restored.contacts.clear();
        for contact in &undo.absorbed_before.contacts {
            let after = undo.survivor_after.contact(contact.id);
            match current.contact(contact.id) {
                Some(now) if Some(now) == after => restored.contacts.push(contact.clone()),
                Some(now) => {
                    kept.push(format!(
                        "contact {} was changed after the merge; kept",
                        contact.name
                    ));
                    let mut now = now.clone();
                    now.primary = contact.primary;
                    restored.contacts.push(now);
                }
                None => kept.push(format!(
                    "contact {} was removed after the merge; it stays removed",
                    contact.name
                )),
            }
        }
        let mut moves = Vec::new();
        for id in &undo.absorbed_locations {
            match self.store.location_owner(*id)? {
                Some(owner) if owner == merge.survivor => {
                    moves.push(*id);
                    match current.location(*id) {
                        Some(location) => restored.locations.push(location.clone()),
                        None => kept.push(format!(
                            "location {id} was archived after the merge; it stays archived"
                        )),
                    }
                }
                _ => kept.push(format!(
                    "location {id} was moved to another customer after the merge; it stays there"
                )),
            }
        }
        let at = now();
        survivor.version = current.version + 1;
        survivor.updated_at = at;
        restored.archived_at = undo.absorbed_before.archived_at;
        restored.version = stub.version + 1;
        restored.updated_at = at;
        self.check_record(&mut survivor, &current)?;
        let mut with_places = current.clone();
        with_places.contacts.clone_from(&restored.contacts);
        self.check_record(&mut restored, &with_places)?;

        let survivor_entries: Vec<_> = self
            .store
            .entries(&EntryQuery {
                customer_id: Some(merge.survivor),
                include_archived: true,
                ..EntryQuery::default()
            })?
            .into_iter()
            .map(|stored| stored.entry)
            .collect();
        let moved_before: HashSet<_> = undo.entries.iter().copied().collect();
        let mut entries: Vec<_> = survivor_entries
            .iter()
            .filter(|entry| moved_before.contains(&entry.id()))
            .map(|entry| entry.id())
            .collect();
        let since: Vec<_> = survivor_entries
            .iter()
            .filter(|entry| !moved_before.contains(&entry.id()))
            .filter(|entry| entry.location_id().is_some_and(|l| moves.contains(&l)))
            .map(|entry| entry.id())
            .collect();
        if !since.is_empty() {
            kept.push(format!(
                "{} history entries recorded at the returned locations after the merge go back \
                 with them",
                since.len()
            ));
        }
        entries.extend(since);
        // A merge stored before entries carried their touchpoints listed
        // those too: the ones going back with their entries are left out.
        let still: HashSet<_> = self
            .touchpoints_to_move(merge.survivor, &entries)?
            .1
            .into_iter()
            .collect();
        let linked: HashSet<_> = self
            .store
            .visitors_of(merge.survivor)?
            .into_iter()
            .collect();
        let moved = RecordMove {
            contacts: undo.absorbed_before.contacts.iter().map(|c| c.id).collect(),
            entries,
            touchpoints: undo
                .touchpoints
                .iter()
                .filter(|id| still.contains(id))
                .copied()
                .collect(),
            visitors: undo
                .visitors
                .iter()
                .filter(|id| linked.contains(*id))
                .cloned()
                .collect(),
        };
        let mut writes = vec![Write::MoveRecords {
            from: merge.survivor,
            to: absorbed,
            records: moved,
            everything: false,
        }];
        writes.extend(moves.iter().map(|&location_id| Write::MoveLocation {
            location_id,
            from: merge.survivor,
            to: absorbed,
        }));
        writes.extend([
            Write::UpdateCustomer {
                record: survivor.clone(),
                previous: Box::new(current.clone()),
            },
            Write::UpdateCustomer {
                record: restored.clone(),
                previous: Box::new(stub),
            },
            Write::PutMerge(Box::new(MergeRecord {
                unmerged_at: Some(at),
                ..merge.clone()
            })),
        ]);
        let mut survivor_changes = scalar_changes(&current, &survivor);
        survivor_changes.push(change("merged_from", absorbed.to_string(), Value::Null));
        let changes = vec![
            NewChange {
                entity: EntityKind::Customer,
                entity_id: merge.survivor.to_string(),
                customer_id: Some(merge.survivor),
                action: ChangeAction::Unmerged,
                changes: survivor_changes,
            },
            NewChange {
                entity: EntityKind::Customer,
                entity_id: absorbed.to_string(),
                customer_id: Some(absorbed),
                action: ChangeAction::Unmerged,
                changes: vec![
                    change("merged_into", merge.survivor.to_string(), Value::Null),
                    change("archived_at", to_value(&Some(merge.merged_at)), Value::Null),
                ],
            },
        ];
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at,
            writes,
            changes,
        })?;
        Ok(UnmergeOutcome {
            survivor,
            restored,
            kept_edits: kept,
        })
    }

    /// The customer an id stands for now: the customer itself, or, for a
    /// customer merged into another (a device or an integration may still
    /// hold its id), the customer it was merged into.
    pub fn resolve_customer(&self, id: CustomerId) -> Result<Customer> {
        let mut current = id;
        for _ in 0..MAX_MERGE_CHAIN {
            match self.standing_merge(current)? {
                Some(merge) => current = merge.survivor,
                None => return self.customer(current),
            }
        }
        Err(Error::invalid(
            "id",
            "its merges form a chain too long to follow",
        ))
    }
}

impl Book {
    /// The merge of `absorbed` if it stands (not undone).
    pub(crate) fn standing_merge(&self, absorbed: CustomerId) -> Result<Option<MergeRecord>> {
        Ok(self
            .store
            .merge_of(absorbed)?
            .filter(|merge| merge.unmerged_at.is_none()))
    }

    /// Validates and seals a record built from stored parts (`stored`
    /// holds them as they are stored).
    fn check_record(&self, record: &mut Customer, stored: &Customer) -> Result<()> {
        let technician = |id| self.store.technician(id);
        let rules = crate::domain::validate::Rules {
            region: self.numbering_plan()?,
            technician: &technician,
            before: Some(stored),
        };
        crate::domain::validate::customer(record, &rules)?;
        self.seal_secrets(record, Some(stored))
    }

    /// The comparison levels of two records, to teach the matcher.
    fn pair_levels(&self, x: &Customer, y: &Customer) -> Result<Vec<(String, String)>> {
        let plan = self.numbering_plan()?;
        let profile = |c: &Customer| {
            let addresses: Vec<&Address> = c.locations.iter().map(|l| &l.address).collect();
            Profile::build(c.id, &c.display_name, &c.contacts, &addresses, plan)
        };
        let mut both = [profile(x), profile(y)];
        linkage::prepare(&mut both);
        Ok(levels_of(&compare(&both[0], &both[1], None)))
    }
}

/// The survivor's record after a merge (version and times set by the caller).
fn merge_fields(survivor: &Customer, absorbed: &Customer, picks: &MergePicks) -> Customer {
    let mut merged = survivor.clone();
    let take = |pick: Option<MergeSide>, default_absorbed: bool| match pick {
        Some(side) => side == MergeSide::Absorbed,
        None => default_absorbed,
    };
    if take(picks.display_name, survivor.display_name.trim().is_empty()) {
        merged.display_name.clone_from(&absorbed.display_name);
    }
    if take(picks.kind, false) {
        merged.kind = absorbed.kind;
    }
    let absorbed_active =
        absorbed.status == LifecycleStatus::Active && survivor.status != LifecycleStatus::Active;
    if take(picks.status, absorbed_active) {
        merged.status = absorbed.status;
    }
    if take(picks.billing, survivor.billing == Billing::default()) {
        merged.billing = absorbed.billing.clone();
    }
    if take(
        picks.preferences,
        survivor.preferences == Preferences::default(),
    ) {
        merged.preferences = absorbed.preferences.clone();
    }
    for tag in &absorbed.tags {
        if !merged.tags.contains(tag) {
            merged.tags.push(tag.clone());
        }
    }
    for (key, value) in &absorbed.custom_fields {
        merged
            .custom_fields
            .entry(key.clone())
            .or_insert_with(|| value.clone());
    }
    let has_primary = survivor.contacts.iter().any(|c| c.primary);
    merged
        .contacts
        .extend(absorbed.contacts.iter().cloned().map(|mut contact| {
            contact.primary &= !has_primary;
            contact
        }));
    merged.locations.extend(absorbed.locations.iter().cloned());
    merged.created_at = survivor.created_at.min(absorbed.created_at);
    merged
}

/// Gives the survivor back each field it had before the merge, unless it
/// was changed since; a changed one is kept and listed.
fn restore_scalars(
    survivor: &mut Customer,
    current: &Customer,
    undo: &MergeUndo,
    kept: &mut Vec<String>,
) {
    let before = &undo.survivor_before;
    let after = &undo.survivor_after;
    let mut restore = |field: &str, unchanged: bool, apply: &mut dyn FnMut(&mut Customer)| {
        if unchanged {
            apply(survivor);
        } else {
            kept.push(format!("{field} was changed after the merge; kept"));
        }
    };
    restore("kind", current.kind == after.kind, &mut |c| {
        c.kind = before.kind
    });
    restore(
        "display_name",
        current.display_name == after.display_name,
        &mut |c| c.display_name.clone_from(&before.display_name),
    );
    restore("status", current.status == after.status, &mut |c| {
        c.status = before.status
    });
    restore("billing", current.billing == after.billing, &mut |c| {
        c.billing.clone_from(&before.billing)
    });
    restore("tags", current.tags == after.tags, &mut |c| {
        c.tags.clone_from(&before.tags)
    });
    restore(
        "custom_fields",
        current.custom_fields == after.custom_fields,
        &mut |c| c.custom_fields.clone_from(&before.custom_fields),
    );
    restore(
        "preferences",
        current.preferences == after.preferences,
        &mut |c| c.preferences.clone_from(&before.preferences),
    );
    survivor.created_at = before.created_at;
    // The survivor's own contacts as they were, unless edited since.
    for contact in &mut survivor.contacts {
        let (Some(old), Some(merged)) = (before.contact(contact.id), after.contact(contact.id))
        else {
            continue;
        };
        if contact == merged {
            contact.clone_from(old);
        }
    }
}

/// A record without its locations (they move by id, with their codes).
fn without_locations(customer: &Customer) -> Customer {
    Customer {
        locations: Vec::new(),
        ..customer.clone()
    }
}

/// The top-level fields a merge or unmerge changed on the survivor.
fn scalar_changes(before: &Customer, after: &Customer) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let mut compare = |field: &str, x: Value, y: Value| {
        if x != y {
            changes.push(change(field, x, y));
        }
    };
    compare("kind", to_value(&before.kind), to_value(&after.kind));
    compare(
        "display_name",
        to_value(&before.display_name),
        to_value(&after.display_name),
    );
    compare("status", to_value(&before.status), to_value(&after.status));
    compare(
        "billing",
        to_value(&before.billing),
        to_value(&after.billing),
    );
    compare("tags", to_value(&before.tags), to_value(&after.tags));
    compare(
        "custom_fields",
        to_value(&before.custom_fields),
        to_value(&after.custom_fields),
    );
    compare(
        "preferences",
        to_value(&before.preferences),
        to_value(&after.preferences),
    );
    compare(
        "created_at",
        to_value(&before.created_at),
        to_value(&after.created_at),
    );
    changes
}

fn change(field: &str, before: impl Into<Value>, after: impl Into<Value>) -> FieldChange {
    FieldChange {
        field: field.to_owned(),
        before: before.into(),
        after: after.into(),
        secret: false,
    }
}

fn to_value(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

impl Book {
    /// How many touchpoints `customer` has, archived ones too, and the ids
    /// of those a move of `entries` does not carry along (the store moves an
    /// entry's touchpoints with it): the ones to move by id.
    fn touchpoints_to_move(
        &self,
        customer: CustomerId,
        entries: &[EntryId],
    ) -> Result<(usize, Vec<EntryId>)> {
        let moving: HashSet<_> = entries.iter().copied().collect();
        let every = self.store.touchpoints(&TouchpointQuery {
            customer_id: Some(customer),
            include_archived: true,
            ..TouchpointQuery::default()
        })?;
        let total = every.len();
        let by_id = every
            .into_iter()
            .filter(|touchpoint| {
                touchpoint
                    .entry_id
                    .is_none_or(|entry| !moving.contains(&entry))
            })
            .map(|touchpoint| touchpoint.id)
            .collect();
        Ok((total, by_id))
    }
}

fn count(items: usize) -> u32 {
    u32::try_from(items).unwrap_or(u32::MAX)
}
