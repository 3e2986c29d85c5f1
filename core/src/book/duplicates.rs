//! Duplicate customers: candidates with explained scores over the whole
//! book, one customer or a record being typed, and the office's verdicts
//! (which teach the matcher and keep a rejected pair from coming back).

use std::collections::HashMap;

use serde_json::Value;

use crate::book::{Book, now};
use crate::domain::limits::MAX_LIST_ITEMS;
use crate::domain::linkage::{
    self, FIELDS, Field, Lessons, Model, Outcome, Profile, candidate_pairs, compare, probability,
    score,
};
use crate::foundation::sorting;
use crate::model::{
    Address, Author, ChangeAction, DEFAULT_MATCH_PROBABILITY, DEFAULT_REVIEW_PROBABILITY,
    DuplicateCandidate, DuplicateDecision, DuplicateQuery, DuplicateVerdict, FieldChange,
    FieldComparison, MAX_DUPLICATE_CANDIDATES, MatchBand, NewChange,
};
use crate::store::{Write, WriteBatch};
use crate::{CustomerId, EntityKind, Error, Result};

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Pairs of live customers that may be one customer, most likely
    /// first, each with its explained score (see [`DuplicateCandidate`]):
    /// over the whole book, only pairs with `query.customer_id`, or pairs
    /// between the book and `query.record`, a record being typed in. Pairs
    /// the office rejected stay hidden until a field that carried weight
    /// changes.
    pub fn duplicate_candidates(&self, query: &DuplicateQuery) -> Result<Vec<DuplicateCandidate>> {
        let (likely, review) = thresholds(query)?;
        let limit = query.limit.unwrap_or(MAX_DUPLICATE_CANDIDATES);
        if limit == 0 || limit > MAX_DUPLICATE_CANDIDATES {
            return Err(Error::invalid(
                "limit",
                format!("must be between 1 and {MAX_DUPLICATE_CANDIDATES}"),
            ));
        }
        if query.customer_id.is_some() && query.record.is_some() {
            return Err(Error::invalid(
                "record",
                "give a customer_id or a record, not both",
            ));
        }
        if let Some(record) = &query.record {
            check_typed(record)?;
        }
        let plan = self.numbering_plan()?;
        let extra = query.record.as_ref().map(|record| {
            let addresses: Vec<&Address> = record.locations.iter().map(|l| &l.address).collect();
            Profile::build(
                record.id,
                &record.display_name,
                &record.contacts,
                &addresses,
                plan,
            )
        });
        let matcher = self.matcher(extra)?;
        let only = match (query.customer_id, &query.record) {
            (Some(id), _) => Some(matcher.position(id)?),
            (None, Some(record)) => Some(matcher.position(record.id)?),
            (None, None) => None,
        };
        let mut candidates = Vec::new();
        let pairs = candidate_pairs(&matcher.profiles, only);
        // The weight at which the probability reaches the review threshold.
        let min_weight = (review / (1.0 - review)).log2() - 1e-9;
        for (i, j, _) in score(&matcher.profiles, &matcher.model, &pairs, min_weight) {
            let (a, b) = matcher.ordered(i, j);
            let outcome = compare(a, b, Some(&matcher.model));
            let weight = matcher.model.total(a, &outcome);
            let probability = probability(weight);
            if probability < review {
                continue;
            }
            let comparisons = matcher.model.explain(a, b, &outcome);
            let decision = matcher.decisions.get(&(a.id, b.id));
            if decision.is_some_and(|decision| {
                decision.verdict == DuplicateVerdict::NotDuplicate
                    && unchanged(&decision.evidence, &comparisons)
            }) {
                continue;
            }
            candidates.push(DuplicateCandidate {
                a: a.id,
                a_name: a.name.clone(),
                b: b.id,
                b_name: b.name.clone(),
                weight,
                probability,
                prior: matcher.model.prior,
                band: if probability >= likely {
                    MatchBand::Likely
                } else {
                    MatchBand::Review
                },
                verdict: decision
                    .filter(|decision| decision.verdict == DuplicateVerdict::Same)
                    .map(|decision| decision.verdict),
                comparisons,
            });
        }
        sorting::sort_by(&mut candidates, |x, y| {
            y.weight
                .total_cmp(&x.weight)
                .then_with(|| (x.a, x.b).cmp(&(y.a, y.b)))
        });
        candidates.truncate(limit as usize);
        Ok(candidates)
    }

    /// Records the office's verdict on a pair of customers: the same
    /// customer (the matcher learns what one customer's two records look
    /// like), or not a duplicate (the pair is not shown again unless a
    /// field that carried weight changes). A later verdict replaces an
    /// earlier one.
    pub fn decide_duplicate(
        &self,
        a: CustomerId,
        b: CustomerId,
        verdict: DuplicateVerdict,
        author: &Author,
    ) -> Result<()> {
        author.check()?;
        if a == b {
            return Err(Error::invalid("b", "is the same customer as a"));
        }
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        let matcher = self.matcher(None)?;
        let (x, y) = (matcher.position(a)?, matcher.position(b)?);
        let (left, right) = (&matcher.profiles[x], &matcher.profiles[y]);
        let outcome = compare(left, right, Some(&matcher.model));
        let comparisons = matcher.model.explain(left, right, &outcome);
        let before = matcher
            .decisions
            .get(&(a, b))
            .map(|decision| decision.verdict);
        let at = now();
        let decision = DuplicateDecision {
            a,
            b,
            verdict,
            levels: levels_of(&outcome),
            evidence: evidence(&comparisons),
            decided_at: at,
            author: author.clone(),
        };
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at,
            writes: vec![Write::PutDuplicateDecision(decision)],
            changes: [a, b]
                .into_iter()
                .map(|customer| verdict_change(a, b, customer, before, verdict))
                .collect(),
        })?;
        Ok(())
    }
}

/// The change-log row of a verdict, for one of the pair's customers.
pub(crate) fn verdict_change(
    a: CustomerId,
    b: CustomerId,
    customer: CustomerId,
    before: Option<DuplicateVerdict>,
    after: DuplicateVerdict,
) -> NewChange {
    NewChange {
        entity: EntityKind::DuplicatePair,
        entity_id: format!("{a}:{b}"),
        customer_id: Some(customer),
        action: if before.is_some() {
            ChangeAction::Updated
        } else {
            ChangeAction::Created
        },
        changes: vec![FieldChange {
            field: "verdict".to_owned(),
            before: before.map_or(Value::Null, |v| Value::from(v.as_str())),
            after: Value::from(after.as_str()),
            secret: false,
        }],
    }
}

/// Refuses a record being typed that is larger than any record a book
/// stores (it need not be complete or valid otherwise).
fn check_typed(record: &crate::NewCustomer) -> Result<()> {
    let too_many =
        |field: String| Error::invalid(field, format!("has more than {MAX_LIST_ITEMS} items"));
    if record.contacts.len() > MAX_LIST_ITEMS {
        return Err(too_many("record.contacts".into()));
    }
    if record.locations.len() > MAX_LIST_ITEMS {
        return Err(too_many("record.locations".into()));
    }
    for (index, contact) in record.contacts.iter().enumerate() {
        if contact.phones.len() > MAX_LIST_ITEMS {
            return Err(too_many(format!("record.contacts[{index}].phones")));
        }
        if contact.emails.len() > MAX_LIST_ITEMS {
            return Err(too_many(format!("record.contacts[{index}].emails")));
        }
    }
    Ok(())
}

/// The match and review thresholds of a query.
fn thresholds(query: &DuplicateQuery) -> Result<(f64, f64)> {
    let likely = query.match_probability.unwrap_or(DEFAULT_MATCH_PROBABILITY);
    let review = query
        .review_probability
        .unwrap_or(DEFAULT_REVIEW_PROBABILITY.min(likely));
    for (field, value) in [
        ("match_probability", likely),
        ("review_probability", review),
    ] {
        if !(value > 0.0 && value < 1.0) {
            return Err(Error::invalid(field, "must be between 0 and 1"));
        }
    }
    if review > likely {
        return Err(Error::invalid(
            "review_probability",
            "must not be above match_probability",
        ));
    }
    Ok((likely, review))
}

/// Whether every value that carried weight when a pair was decided is
/// still compared with the same values.
fn unchanged(evidence: &[(String, String, String)], comparisons: &[FieldComparison]) -> bool {
    evidence.iter().all(|(field, a, b)| {
        comparisons
            .iter()
            .any(|line| &line.field == field && &line.a_value == a && &line.b_value == b)
    })
}

/// (field, a value, b value) of every comparison that carried weight.
fn evidence(comparisons: &[FieldComparison]) -> Vec<(String, String, String)> {
    comparisons
        .iter()
        .filter(|line| line.weight != 0.0)
        .map(|line| {
            (
                line.field.clone(),
                line.a_value.clone(),
                line.b_value.clone(),
            )
        })
        .collect()
}

/// The field and level names an outcome reached.
pub(crate) fn levels_of(outcome: &Outcome) -> Vec<(String, String)> {
    FIELDS
        .iter()
        .filter_map(|&field| {
            outcome.level(field).map(|level| {
                (
                    field.name().to_owned(),
                    field.levels()[level as usize].to_owned(),
                )
            })
        })
        .collect()
}

/// The levels stored with a decision, read back (unknown names skipped).
fn parse_levels(levels: &[(String, String)]) -> Vec<(Field, u8)> {
    levels
        .iter()
        .filter_map(|(field, level)| {
            let field = Field::from_name(field)?;
            let index = field.levels().iter().position(|name| name == level)?;
            Some((field, index as u8))
        })
        .collect()
}

/// The whole book as the matcher reads it.
struct Matcher {
    profiles: Vec<Profile>,
    positions: HashMap<CustomerId, usize>,
    model: Model,
    decisions: HashMap<(CustomerId, CustomerId), DuplicateDecision>,
}

impl Matcher {
    /// Where the customer `id` is among the profiles.
    fn position(&self, id: CustomerId) -> Result<usize> {
        self.positions.get(&id).copied().ok_or_else(|| {
            Error::invalid(
                "customer_id",
                "is not a live customer of this book (archived, merged or unknown)",
            )
        })
    }

    /// The two profiles, lower id first.
    fn ordered(&self, i: u32, j: u32) -> (&Profile, &Profile) {
        let (a, b) = (&self.profiles[i as usize], &self.profiles[j as usize]);
        if a.id <= b.id { (a, b) } else { (b, a) }
    }
}

impl Book {
    /// Reads every live customer (and `extra`, a record being typed) into
    /// the matcher and estimates its model.
    fn matcher(&self, extra: Option<Profile>) -> Result<Matcher> {
        let plan = self.numbering_plan()?;
        let records = self.store.linkage_records()?;
        let mut profiles: Vec<Profile> = linkage::in_parallel(&records, |chunk| {
            chunk
                .iter()
                .map(|record| {
                    let addresses: Vec<&Address> = record.addresses.iter().collect();
                    Profile::build(
                        record.id,
                        &record.display_name,
                        &record.contacts,
                        &addresses,
                        plan,
                    )
                })
                .collect()
        });
        if let Some(extra) = extra {
            if profiles.iter().any(|profile| profile.id == extra.id) {
                return Err(Error::invalid(
                    "record.id",
                    "is a stored customer's id; ask with customer_id instead",
                ));
            }
            profiles.push(extra);
        }
        linkage::prepare(&mut profiles);
        let decisions: HashMap<_, _> = self
            .store
            .duplicate_decisions()?
            .into_iter()
            .map(|decision| ((decision.a, decision.b), decision))
            .collect();
        let mut lessons = Lessons::default();
        for decision in decisions.values() {
            let levels = parse_levels(&decision.levels);
            match decision.verdict {
                DuplicateVerdict::Same => lessons.same.push(levels),
                DuplicateVerdict::NotDuplicate => lessons.different.push(levels),
            }
        }
        let model = Model::estimate(&profiles, &lessons);
        let positions = profiles
            .iter()
            .enumerate()
            .map(|(index, profile)| (profile.id, index))
            .collect();
        Ok(Matcher {
            profiles,
            positions,
            model,
            decisions,
        })
    }
}
