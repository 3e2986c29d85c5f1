//! Segments: saved, named rules over the record, the ledger and the journey
//! (`model/segment.rs`), evaluated to the customers that match all of them. Each member carries
//! the values its rules looked at, so a follow-up message can be personal.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::book::{Book, now};
use crate::domain::changes::to_map;
use crate::domain::journey::normalize_action;
use crate::domain::limits::{self, MAX_LIST_ITEMS};
use crate::foundation::sorting;
use crate::model::{ChangeAction, FieldChange, NewChange, Segment, SegmentMember, SegmentRule};
use crate::store::{JourneyRow, Write, WriteBatch};
use crate::{Author, CustomerId, EntityKind, Error, Result};

/// What the journey rules found for one customer.
#[derive(Default)]
struct JourneyFacts {
    last_touch: Option<DateTime<Utc>>,
    /// Per `DidButNot` rule (by index): the latest qualifying `did` time.
    did_but_not: HashMap<usize, DateTime<Utc>>,
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Saves (or replaces) a segment.
    pub fn save_segment(&self, segment: Segment, author: &Author) -> Result<Segment> {
        author.check()?;
        let mut segment = segment;
        segment.name = segment.name.trim().to_owned();
        if segment.name.is_empty() {
            return Err(Error::invalid("name", "must not be empty"));
        }
        if segment.name.chars().count() > 100 {
            return Err(Error::invalid("name", "is longer than 100 characters"));
        }
        limits::items(&segment.rules, MAX_LIST_ITEMS, "rules")?;
        if segment.rules.is_empty() {
            return Err(Error::invalid("rules", "a segment needs at least one rule"));
        }
        for (index, rule) in segment.rules.iter_mut().enumerate() {
            let field = |name: &str| format!("rules[{index}].{name}");
            match rule {
                SegmentRule::Tag { tag } => {
                    *tag = tag.trim().to_owned();
                    if tag.is_empty() {
                        return Err(Error::invalid(field("tag"), "must not be empty"));
                    }
                    if tag.chars().count() > 64 {
                        return Err(Error::invalid(
                            field("tag"),
                            "is longer than 64 characters (a customer's tags are at most 64)",
                        ));
                    }
                }
                SegmentRule::DidButNot {
                    did,
                    not,
                    within_days,
                } => {
                    *did = normalize_action(did, &field("did"))?;
                    *not = normalize_action(not, &field("not"))?;
                    if *within_days == 0 {
                        return Err(Error::invalid(field("within_days"), "must be at least 1"));
                    }
                    limits::days(*within_days, &field("within_days"))?;
                }
                SegmentRule::NoTouchpointFor { days } if *days == 0 => {
                    return Err(Error::invalid(field("days"), "must be at least 1"));
                }
                SegmentRule::NoTouchpointFor { days } | SegmentRule::OverdueMoreThan { days } => {
                    limits::days(*days, &field("days"))?;
                }
                _ => {}
            }
        }
        let before = self
            .store
            .segments()?
            .into_iter()
            .find(|s| s.name == segment.name);
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes: vec![Write::PutSegment(segment.clone())],
            changes: vec![NewChange {
                entity: EntityKind::Segment,
                entity_id: segment.name.clone(),
                customer_id: None,
                action: if before.is_some() {
                    ChangeAction::Updated
                } else {
                    ChangeAction::Created
                },
                changes: vec![FieldChange {
                    field: "rules".to_owned(),
                    before: before
                        .map(|b| Value::Object(to_map(&b)))
                        .unwrap_or(Value::Null),
                    after: Value::Object(to_map(&segment)),
                    secret: false,
                }],
            }],
        })?;
        Ok(segment)
    }

    /// The saved segments, by name.
    pub fn segments(&self) -> Result<Vec<Segment>> {
        self.store.segments()
    }

    /// The live customers matching every rule of the saved segment `name`
    /// as of `as_of`, by display name, each with the values its rules saw.
    pub fn segment_members(&self, name: &str, as_of: DateTime<Utc>) -> Result<Vec<SegmentMember>> {
        let segment = self
            .store
            .segments()?
            .into_iter()
            .find(|s| s.name == name.trim())
            .ok_or_else(|| Error::not_found(EntityKind::Segment, name))?;
        self.evaluate_segment(&segment, as_of)
    }

    /// Evaluates a segment without saving it.
    pub fn evaluate_segment(
        &self,
        segment: &Segment,
        as_of: DateTime<Utc>,
    ) -> Result<Vec<SegmentMember>> {
        let rules = &segment.rules;
        let journey_rules = rules.iter().any(|r| {
            matches!(
                r,
                SegmentRule::DidButNot { .. } | SegmentRule::NoTouchpointFor { .. }
            )
        });
        // Days overdue are counted to `as_of`'s date in the book's time zone.
        let as_of_day = self.tz()?.date_of(as_of);
        let facts = if journey_rules {
            self.journey_facts(rules, as_of)?
        } else {
            HashMap::new()
        };
        let mut members = Vec::new();
        for customer in self.store.customer_summaries()? {
            if customer.archived {
                continue;
            }
            let mut values = BTreeMap::new();
            let mut all = true;
            for (index, rule) in rules.iter().enumerate() {
                all &= match rule {
                    SegmentRule::Kind { kind } => customer.kind == *kind,
                    SegmentRule::Status { status } => customer.status == *status,
                    SegmentRule::Tag { tag } => customer.tags.contains(tag),
                    SegmentRule::OverdueMoreThan { days } => {
                        let oldest = self
                            .ledger(customer.id)?
                            .aging_detail(as_of_day)
                            .into_iter()
                            .filter(|(days_past, _)| *days_past > i64::from(*days))
                            .collect::<Vec<_>>();
                        if let Some(worst) = oldest.iter().map(|(d, _)| *d).max() {
                            let remaining: rust_decimal::Decimal =
                                oldest.iter().map(|(_, r)| *r).sum();
                            values.insert("days_overdue".to_owned(), Value::from(worst));
                            values
                                .insert("remaining".to_owned(), Value::from(remaining.to_string()));
                            true
                        } else {
                            false
                        }
                    }
                    SegmentRule::DidButNot { did, .. } => {
                        match facts
                            .get(&customer.id)
                            .and_then(|f| f.did_but_not.get(&index))
                        {
                            Some(at) => {
                                values.insert(format!("{did}_at"), Value::from(at.to_rfc3339()));
                                true
                            }
                            None => false,
                        }
                    }
                    SegmentRule::NoTouchpointFor { days } => {
                        let last = facts.get(&customer.id).and_then(|f| f.last_touch);
                        values.insert(
                            "last_touchpoint_at".to_owned(),
                            last.map_or(Value::Null, |at| Value::from(at.to_rfc3339())),
                        );
                        let cutoff = as_of
                            .checked_sub_signed(Duration::days(i64::from(*days)))
                            .unwrap_or(DateTime::<Utc>::MIN_UTC);
                        last.is_none_or(|at| at < cutoff)
                    }
                };
                if !all {
                    break;
                }
            }
            if all {
                members.push(SegmentMember {
                    customer_id: customer.id,
                    display_name: customer.display_name,
                    values,
                });
            }
        }
        sorting::sort_by(&mut members, |a, b| {
            a.display_name
                .cmp(&b.display_name)
                .then(a.customer_id.cmp(&b.customer_id))
        });
        Ok(members)
    }
}

impl Book {
    /// One pass over the journeys for the segment's journey rules.
    fn journey_facts(
        &self,
        rules: &[SegmentRule],
        as_of: DateTime<Utc>,
    ) -> Result<HashMap<CustomerId, JourneyFacts>> {
        let per_person = |facts: &mut HashMap<CustomerId, JourneyFacts>, rows: &[JourneyRow]| {
            if let Some(customer) = rows.first().and_then(|r| r.customer_id) {
                let entry = facts.entry(customer).or_default();
                entry.last_touch = rows.iter().map(|r| r.at).filter(|at| *at <= as_of).max();
                for (index, rule) in rules.iter().enumerate() {
                    if let SegmentRule::DidButNot {
                        did,
                        not,
                        within_days,
                    } = rule
                    {
                        let window = Duration::days(i64::from(*within_days));
                        let window_end = |at: DateTime<Utc>| {
                            at.checked_add_signed(window)
                                .unwrap_or(DateTime::<Utc>::MAX_UTC)
                        };
                        let qualifying = rows
                            .iter()
                            .filter(|r| r.action == *did && window_end(r.at) <= as_of)
                            .filter(|r| {
                                !rows.iter().any(|later| {
                                    later.action == *not
                                        && later.at >= r.at
                                        && later.at <= window_end(r.at)
                                })
                            })
                            .map(|r| r.at)
                            .max();
                        if let Some(at) = qualifying {
                            entry.did_but_not.insert(index, at);
                        }
                    }
                }
            }
        };
        // Each part holds its own people: the parts' facts never overlap.
        Ok(self
            .fold_journeys_in_parts(None, None, HashMap::new, per_person)?
            .into_iter()
            .flatten()
            .collect())
    }
}
