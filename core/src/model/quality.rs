//! Data-quality records: duplicate candidates and their explained scores,
//! the office's decisions about them, merges and their undo, and the
//! quality report's findings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Address, Author, Contact, Customer, NewCustomer};
use crate::{CustomerId, EntryId};

/// Default probability at or above which a candidate is a likely duplicate.
pub const DEFAULT_MATCH_PROBABILITY: f64 = 0.9;
/// Default probability at or above which a candidate is shown for review.
pub const DEFAULT_REVIEW_PROBABILITY: f64 = 0.5;
/// Most candidates one call returns.
pub const MAX_DUPLICATE_CANDIDATES: u32 = 100_000;

/// Which duplicate candidates to find: over the whole book, for one stored
/// customer, or for a record being typed in (not yet saved).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DuplicateQuery {
    /// Only pairs with this customer.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub customer_id: Option<CustomerId>,
    /// A record not yet saved (a lead being typed in): pairs between it and
    /// the book. Its id stands for it in the candidates.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub record: Option<NewCustomer>,
    /// Probability at or above which a pair is a likely duplicate
    /// (default [`DEFAULT_MATCH_PROBABILITY`]).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub match_probability: Option<f64>,
    /// Probability at or above which a pair is shown for review
    /// (default [`DEFAULT_REVIEW_PROBABILITY`]); pairs below are ignored.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub review_probability: Option<f64>,
    /// At most this many candidates, best first (default and most
    /// [`MAX_DUPLICATE_CANDIDATES`]).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub limit: Option<u32>,
}

crate::text_enum! {
    /// Where a candidate's probability puts it.
    pub enum MatchBand {
        /// At or above the match threshold: very likely the same customer.
        Likely = "likely",
        /// Between the thresholds: a person should look.
        Review = "review",
    }
}

crate::text_enum! {
    /// The office's verdict on a pair.
    pub enum DuplicateVerdict {
        /// The two records are the same customer.
        Same = "same",
        /// Not a duplicate: the pair is not shown again unless a field that
        /// mattered to its score changes.
        NotDuplicate = "not_duplicate",
    }
}

/// One comparison of an explained score: a field, the two values compared
/// (secrets are never compared or shown), the agreement level reached, and
/// the weight it added (positive) or removed (negative).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FieldComparison {
    /// The field: `first_name`, `last_name`, `phone`, `email`,
    /// `street_number`, `street`, `city`, `postal_code`, `region`.
    pub field: String,
    /// The first record's value.
    pub a_value: String,
    /// The second record's value.
    pub b_value: String,
    /// The level reached: `exact`, `nickname`, `close`, `phonetic`,
    /// `last 7 digits`, `different`, `not counted (shared)`, …
    pub level: String,
    /// log2(m/u) of that level; 0 for a value not counted.
    pub weight: f64,
}

/// A pair of records that may be one customer, with its explained score:
/// `prior + sum(comparisons.weight) == weight`, and
/// `probability == 1 / (1 + 2^-weight)`. Symmetric: the pair (b, a)
/// scores the same.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DuplicateCandidate {
    /// One record (the lower id; for a record being typed, its id).
    pub a: CustomerId,
    /// Its display name.
    pub a_name: String,
    /// The other record.
    pub b: CustomerId,
    /// Its display name.
    pub b_name: String,
    /// Total match weight in bits: the prior plus every comparison.
    pub weight: f64,
    /// Probability that the two are one customer.
    pub probability: f64,
    /// The prior weight: log2 of the odds that two records of this book,
    /// picked at random, are one customer.
    pub prior: f64,
    /// Likely duplicate or one to review.
    pub band: MatchBand,
    /// The office's verdict, if the pair was confirmed.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub verdict: Option<DuplicateVerdict>,
    /// One line per comparison, in field order.
    pub comparisons: Vec<FieldComparison>,
}

/// A decision about a pair, as stored: the verdict, the comparison levels
/// (which teach the model), and the evidence that mattered (a rejected pair
/// returns only when it changes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateDecision {
    /// The lower id of the pair.
    pub a: CustomerId,
    /// The higher id.
    pub b: CustomerId,
    /// Same customer or not a duplicate.
    pub verdict: DuplicateVerdict,
    /// Field and level name of every comparison made when deciding.
    pub levels: Vec<(String, String)>,
    /// (field, a value, b value) of every comparison that carried weight.
    pub evidence: Vec<(String, String, String)>,
    /// When it was decided.
    pub decided_at: DateTime<Utc>,
    /// Who decided.
    pub author: Author,
}

crate::text_enum! {
    /// Which record a merged field comes from.
    pub enum MergeSide {
        /// The survivor's value.
        Survivor = "survivor",
        /// The absorbed record's value.
        Absorbed = "absorbed",
    }
}

/// Per-field choices for a merge; a field left `None` follows the defaults:
/// the survivor's value unless it is empty and the absorbed one's is not,
/// status `active` if either is, the earliest creation time, tags and
/// custom fields combined (the survivor's value on a clash). Contacts and
/// locations of both are kept.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MergePicks {
    /// Display name.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub display_name: Option<MergeSide>,
    /// Account kind.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub kind: Option<MergeSide>,
    /// Lifecycle status.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub status: Option<MergeSide>,
    /// Billing details.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub billing: Option<MergeSide>,
    /// Preferences.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub preferences: Option<MergeSide>,
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MergeOutcome {
    /// The survivor as stored after the merge.
    pub survivor: Customer,
    /// The absorbed record, archived, its id now resolving to the survivor.
    pub absorbed: Customer,
    /// History entries moved to the survivor.
    pub moved_entries: u32,
    /// Touchpoints moved to the survivor.
    pub moved_touchpoints: u32,
    /// Visitor links moved to the survivor.
    pub moved_visitors: u32,
}

/// What an unmerge did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UnmergeOutcome {
    /// The survivor as stored after the unmerge.
    pub survivor: Customer,
    /// The absorbed record, live again.
    pub restored: Customer,
    /// Edits made after the merge that were kept, one line each
    /// ("display_name was changed after the merge; kept").
    pub kept_edits: Vec<String>,
}

/// The snapshot a merge keeps so it can be undone: both records as they
/// were (locations by id: they move back as they are now, with their
/// sealed codes), the survivor as the merge left it, and the ids moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeUndo {
    /// The survivor before the merge, without locations.
    pub survivor_before: Customer,
    /// The absorbed record before the merge, without locations.
    pub absorbed_before: Customer,
    /// The survivor right after the merge, without locations.
    pub survivor_after: Customer,
    /// The absorbed record's live locations, in order.
    pub absorbed_locations: Vec<crate::LocationId>,
    /// History entries moved.
    pub entries: Vec<EntryId>,
    /// Touchpoints moved that no entry wrote (an entry's own touchpoints
    /// move with it).
    pub touchpoints: Vec<EntryId>,
    /// Visitors whose link moved.
    pub visitors: Vec<String>,
}

/// A merge as stored: the absorbed id resolves to the survivor while it
/// stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeRecord {
    /// The absorbed customer.
    pub absorbed: CustomerId,
    /// The customer it was merged into.
    pub survivor: CustomerId,
    /// When.
    pub merged_at: DateTime<Utc>,
    /// When it was undone, if it was.
    pub unmerged_at: Option<DateTime<Utc>>,
    /// What is needed to undo it.
    pub undo: MergeUndo,
}

/// What duplicate detection reads of a live customer: its name, its live
/// contacts and the addresses of its live locations.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkageRecord {
    /// The customer.
    pub id: CustomerId,
    /// Its display name.
    pub display_name: String,
    /// Its live contacts, in order.
    pub contacts: Vec<Contact>,
    /// The addresses of its live locations, in order.
    pub addresses: Vec<Address>,
}

/// Records one store call moves from one customer to another.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecordMove {
    /// Contacts (live or archived).
    pub contacts: Vec<crate::ContactId>,
    /// History entries, each with the touchpoints it wrote (archived or not).
    pub entries: Vec<EntryId>,
    /// Touchpoints of no entry (archived or not).
    pub touchpoints: Vec<EntryId>,
    /// Visitor links.
    pub visitors: Vec<String>,
}

crate::text_enum! {
    /// How much a quality finding matters.
    pub enum Severity {
        /// Breaks work: a technician cannot get in, a bill cannot be sent.
        Critical = "critical",
        /// Misleads reports or annoys customers.
        Warning = "warning",
        /// Worth tidying.
        Info = "info",
    }
}

/// One problem in the book.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QualityFinding {
    /// The customer concerned.
    pub customer_id: CustomerId,
    /// Path of the field within the record, e.g. `contacts[0].emails[1]`.
    pub field: String,
    /// The rule (see `QUALITY_RULES` for what each checks and why).
    pub rule: String,
    /// How much it matters.
    pub severity: Severity,
    /// What is wrong, for a person.
    pub message: String,
}

/// How many findings a rule made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RuleCount {
    /// The rule.
    pub rule: String,
    /// Its findings.
    pub count: u32,
}

/// How often a field is filled in among live customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FillRate {
    /// The field, e.g. `contacts.phones`.
    pub field: String,
    /// Customers with it.
    pub filled: u32,
    /// Customers checked.
    pub total: u32,
    /// `filled / total` (1 for an empty book).
    pub rate: f64,
}

/// The quality of a whole book at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QualityReport {
    /// The moment the rules were judged at.
    pub as_of: DateTime<Utc>,
    /// Live customers checked.
    pub customers: u32,
    /// Every finding, by customer then rule.
    pub findings: Vec<QualityFinding>,
    /// Findings per rule, every rule listed (zero included).
    pub counts: Vec<RuleCount>,
    /// Fill rate per field.
    pub fill_rates: Vec<FillRate>,
}
