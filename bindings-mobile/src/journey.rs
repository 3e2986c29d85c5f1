//! Mirrors of core's customer journey and its reports: touchpoints and
//! their queries, funnels, lead response times, attribution and segments;
//! plus binding records where core's shape cannot cross as it is
//! (`TouchpointReport`, `ImportReport` and `RejectedLine` count with
//! `usize`; `EventMapping` maps to tuples).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use poolbook::ScanPosition;
use poolbook::{
    Actor, CustomerId, CustomerKind, Direction, EntryId, JourneyChannel, LifecycleStatus, Stage,
    Touchpoint, TouchpointQuery,
};
use poolbook::{AttributionModel, AttributionQuery, AttributionReport, ModelCredits};
use poolbook::{FunnelCounts, FunnelDefinition, FunnelReport, FunnelStep, StepStats};
use poolbook::{ResponseTimeQuery, ResponseTimeReport, UnansweredLead};
use poolbook::{Segment, SegmentMember, SegmentRule};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::fieldday::count;

/// Where a touchpoint happened.
#[uniffi::remote(Enum)]
pub enum JourneyChannel {
    /// The company website.
    Website,
    /// Email.
    Email,
    /// A phone call.
    Phone,
    /// A text message.
    Sms,
    /// The customer portal.
    Portal,
    /// A payment system.
    Payment,
    /// A technician's visit.
    FieldVisit,
    /// Social media.
    Social,
    /// A referral from someone.
    Referral,
    /// Face to face.
    InPerson,
    /// Anything else.
    Other,
}

/// Who acted.
#[uniffi::remote(Enum)]
pub enum Actor {
    /// The customer (or visitor).
    Customer,
    /// Someone at the company.
    Staff,
    /// An automated system (reminders, campaigns).
    Automation,
}

/// Where in the journey a touchpoint sits.
#[uniffi::remote(Enum)]
pub enum Stage {
    /// Finding out about the company.
    Awareness,
    /// Weighing it up: asking, comparing.
    Consideration,
    /// Buying: signing up, paying.
    Purchase,
    /// Staying: service, statements, reviews.
    Retention,
}

/// A touchpoint: one step of someone's journey.
#[uniffi::remote(Record)]
pub struct Touchpoint {
    /// Identifier.
    pub id: EntryId,
    /// The customer, once known.
    #[uniffi(default)]
    pub customer_id: Option<CustomerId>,
    /// The anonymous visitor id it was recorded under, if any.
    #[uniffi(default)]
    pub visitor_id: Option<String>,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Where.
    pub channel: JourneyChannel,
    /// Towards the company (inbound) or from it (outbound).
    pub direction: Direction,
    /// Who acted.
    pub actor: Actor,
    /// What happened: a snake_case name, see [`actions`].
    pub action: String,
    /// Journey stage: given, or from the book's action → stage map.
    #[uniffi(default)]
    pub stage: Option<Stage>,
    /// Traffic source, normalised ("google local").
    #[uniffi(default)]
    pub source: Option<String>,
    /// Campaign, normalised.
    #[uniffi(default)]
    pub campaign: Option<String>,
    /// Money involved, if any (a payment's amount, an estimate's value).
    #[uniffi(default)]
    pub value: Option<Decimal>,
    /// Anything else the source system said.
    pub properties: BTreeMap<String, serde_json::Value>,
    /// The system the event came from ("segment", "website"), for idempotent imports.
    #[uniffi(default)]
    pub source_system: Option<String>,
    /// The event's id in that system: the same (system, id) is stored once.
    #[uniffi(default)]
    pub source_event_id: Option<String>,
}

/// Which touchpoints to read. Filters combine with AND.
#[uniffi::remote(Record)]
pub struct TouchpointQuery {
    /// Only this customer's touchpoints (including linked visitors').
    #[uniffi(default)]
    pub customer_id: Option<CustomerId>,
    /// Only this visitor's touchpoints.
    #[uniffi(default)]
    pub visitor_id: Option<String>,
    /// Only touchpoints at or after this time.
    #[uniffi(default)]
    pub since: Option<DateTime<Utc>>,
    /// Only touchpoints before this time.
    #[uniffi(default)]
    pub until: Option<DateTime<Utc>>,
    /// Newest first instead of oldest first.
    pub newest_first: bool,
    /// With `newest_first`: continue strictly after this position (key `t:<id>`).
    #[uniffi(default)]
    pub before: Option<ScanPosition>,
    /// At most this many.
    #[uniffi(default)]
    pub limit: Option<u32>,
}

/// A position in a newest-first scan: entries strictly older than this come next.
/// Ties in time are broken by `key` (descending), so equal times keep one order.
#[uniffi::remote(Record)]
pub struct ScanPosition {
    /// The time of the last item seen.
    pub at: DateTime<Utc>,
    /// Its tie-breaking key (`e:<entry id>` or `c:<change seq>`).
    pub key: String,
}

/// One step of a funnel: an action, optionally only on some channels.
#[uniffi::remote(Record)]
pub struct FunnelStep {
    /// The action that completes the step.
    pub action: String,
    /// The channels it must happen on (any channel when empty).
    #[uniffi(default)]
    pub channels: Vec<JourneyChannel>,
}

/// A funnel to measure.
#[uniffi::remote(Record)]
pub struct FunnelDefinition {
    /// The ordered steps (2 to 20).
    #[uniffi(default)]
    pub steps: Vec<FunnelStep>,
    /// Hours from entering the first step within which the rest must follow.
    pub window_hours: u32,
    /// Only touchpoints at or after this time.
    #[uniffi(default)]
    pub since: Option<DateTime<Utc>>,
    /// Only touchpoints before this time.
    #[uniffi(default)]
    pub until: Option<DateTime<Utc>>,
}

/// How one step did.
#[uniffi::remote(Record)]
pub struct StepStats {
    /// The step's action.
    pub action: String,
    /// People who reached the step.
    pub entered: u64,
    /// People who went on to the next step (0 for the last step).
    pub converted: u64,
    /// converted ÷ entered (0 when nobody entered; 0 for the last step).
    pub conversion_rate: f64,
    /// entered − converted (0 for the last step).
    pub drop_off: u64,
    /// Median seconds from this step to the next, among those who converted.
    #[uniffi(default)]
    pub median_seconds_to_convert: Option<f64>,
    /// 90th-percentile seconds from this step to the next.
    #[uniffi(default)]
    pub p90_seconds_to_convert: Option<f64>,
}

/// A funnel's numbers for one group of people.
#[uniffi::remote(Record)]
pub struct FunnelCounts {
    /// Per step, in order.
    #[uniffi(default)]
    pub steps: Vec<StepStats>,
}

/// A funnel measured, with its breakdowns.
#[uniffi::remote(Record)]
pub struct FunnelReport {
    /// Everyone.
    pub all: FunnelCounts,
    /// People with no purchase before they entered: acquisition.
    pub new: FunnelCounts,
    /// People who had bought before they entered: repeat business.
    pub returning: FunnelCounts,
    /// By the channel of the first step.
    pub by_first_channel: BTreeMap<JourneyChannel, FunnelCounts>,
    /// By account kind (known customers only).
    pub by_kind: BTreeMap<CustomerKind, FunnelCounts>,
    /// By tag (known customers only; a customer counts under each of their tags).
    pub by_tag: BTreeMap<String, FunnelCounts>,
}

/// Which leads to time.
#[uniffi::remote(Record)]
pub struct ResponseTimeQuery {
    /// Only leads at or after this time.
    #[uniffi(default)]
    pub since: Option<DateTime<Utc>>,
    /// Only leads before this time (replies after it still count).
    #[uniffi(default)]
    pub until: Option<DateTime<Utc>>,
    /// The answer time that counts as good, in minutes (default 60).
    pub target_minutes: u32,
    /// Inbound actions that are leads (default: estimate requested, call, message).
    #[uniffi(default)]
    pub lead_actions: Vec<String>,
}

/// A lead nobody has answered yet.
#[uniffi::remote(Record)]
pub struct UnansweredLead {
    /// The customer, if known.
    #[uniffi(default)]
    pub customer_id: Option<CustomerId>,
    /// The visitor, if not yet a known customer.
    #[uniffi(default)]
    pub visitor_id: Option<String>,
    /// When the lead came in.
    pub at: DateTime<Utc>,
    /// What it was.
    pub action: String,
    /// Where.
    pub channel: JourneyChannel,
}

/// How fast leads were answered.
#[uniffi::remote(Record)]
pub struct ResponseTimeReport {
    /// Leads counted.
    pub leads: u64,
    /// Leads answered.
    pub answered: u64,
    /// Median seconds to the first reply, among answered leads.
    #[uniffi(default)]
    pub median_seconds: Option<f64>,
    /// 90th-percentile seconds to the first reply.
    #[uniffi(default)]
    pub p90_seconds: Option<f64>,
    /// The target, in minutes.
    pub target_minutes: u32,
    /// Share of all leads (answered or not) answered within the target.
    pub within_target: f64,
    /// Leads still waiting, oldest first.
    #[uniffi(default)]
    pub unanswered: Vec<UnansweredLead>,
}

/// How a conversion's credit is shared among its touches.
#[uniffi::remote(Enum)]
pub enum AttributionModel {
    /// All to the first touch.
    FirstTouch,
    /// All to the last touch.
    LastTouch,
    /// Equal shares.
    Linear,
    /// 40% first, 40% last, 20% shared by the middle.
    PositionBased,
    /// More to touches nearer the conversion (half-life decay).
    TimeDecay,
}

/// What to attribute.
#[uniffi::remote(Record)]
pub struct AttributionQuery {
    /// The action that is a conversion (default `payment_made`).
    pub conversion_action: String,
    /// Days before a conversion whose touches count (default 30).
    pub lookback_days: u32,
    /// Time-decay half-life in days (default 7).
    pub half_life_days: f64,
    /// Only conversions at or after this time.
    #[uniffi(default)]
    pub since: Option<DateTime<Utc>>,
    /// Only conversions before this time.
    #[uniffi(default)]
    pub until: Option<DateTime<Utc>>,
}

/// One model's credits.
#[uniffi::remote(Record)]
pub struct ModelCredits {
    /// The model.
    pub model: AttributionModel,
    /// Credit per channel.
    pub by_channel: BTreeMap<JourneyChannel, Decimal>,
    /// Credit per campaign ([`NO_CAMPAIGN`] for touches without one).
    pub by_campaign: BTreeMap<String, Decimal>,
}

/// Conversions and their credits under every model.
#[uniffi::remote(Record)]
pub struct AttributionReport {
    /// Conversions counted.
    pub conversions: u64,
    /// Credits, one entry per model, in [`AttributionModel::ALL`] order.
    #[uniffi(default)]
    pub models: Vec<ModelCredits>,
}

/// One rule of a segment. A segment's rules all have to hold.
#[uniffi::remote(Enum)]
pub enum SegmentRule {
    /// The account is of this kind.
    Kind {
        /// The kind.
        kind: CustomerKind,
    },
    /// The account has this lifecycle status.
    Status {
        /// The status.
        status: LifecycleStatus,
    },
    /// The account has this tag.
    Tag {
        /// The tag.
        tag: String,
    },
    /// Some invoice has money remaining more than `days` past its due date.
    OverdueMoreThan {
        /// Days past due.
        days: u32,
    },
    /// Did `did`, and then not `not` within `within_days` (the window has closed):
    /// "opened a payment reminder but made no payment within 7 days".
    DidButNot {
        /// The action done.
        did: String,
        /// The action not done after it.
        not: String,
        /// Days allowed.
        within_days: u32,
    },
    /// No touchpoint at all in the last `days` days.
    NoTouchpointFor {
        /// Days of silence.
        days: u32,
    },
}

/// A saved, named set of rules.
#[uniffi::remote(Record)]
pub struct Segment {
    /// The segment's name.
    pub name: String,
    /// Rules that must all hold.
    #[uniffi(default)]
    pub rules: Vec<SegmentRule>,
}

/// A customer in a segment, with the values its rules looked at.
#[uniffi::remote(Record)]
pub struct SegmentMember {
    /// The customer.
    pub customer_id: CustomerId,
    /// Their display name.
    pub display_name: String,
    /// What the rules saw: `remaining`, `days_overdue`, `did_at`, `last_touchpoint_at`, …
    pub values: BTreeMap<String, Value>,
}

/// What `recordTouchpoints` did.
#[derive(uniffi::Record)]
pub struct TouchpointReport {
    /// Touchpoints stored.
    pub added: u64,
    /// Touchpoints skipped as already stored (same source event).
    pub skipped: u64,
}

impl From<poolbook::TouchpointReport> for TouchpointReport {
    fn from(report: poolbook::TouchpointReport) -> Self {
        TouchpointReport {
            added: count(report.added),
            skipped: count(report.skipped),
        }
    }
}

/// Where an imported event lands in the journey.
#[derive(uniffi::Record)]
pub struct EventTarget {
    /// The journey channel.
    pub channel: JourneyChannel,
    /// The journey action.
    pub action: String,
}

/// How `importSegmentEvents` maps Segment event names to the journey (core's
/// `import::EventMapping`).
#[derive(uniffi::Record)]
pub struct EventMapping {
    /// Event name → channel and action.
    pub events: HashMap<String, EventTarget>,
    /// The channel for events not in `events`.
    pub unmapped_channel: JourneyChannel,
    /// The channel for page views.
    pub page_channel: JourneyChannel,
}

impl From<poolbook::EventMapping> for EventMapping {
    fn from(mapping: poolbook::EventMapping) -> Self {
        EventMapping {
            events: mapping
                .events
                .into_iter()
                .map(|(name, (channel, action))| (name, EventTarget { channel, action }))
                .collect(),
            unmapped_channel: mapping.unmapped_channel,
            page_channel: mapping.page_channel,
        }
    }
}

impl From<EventMapping> for poolbook::EventMapping {
    fn from(mapping: EventMapping) -> Self {
        poolbook::EventMapping {
            events: mapping
                .events
                .into_iter()
                .map(|(name, target)| (name, (target.channel, target.action)))
                .collect::<BTreeMap<_, _>>(),
            unmapped_channel: mapping.unmapped_channel,
            page_channel: mapping.page_channel,
        }
    }
}

/// A line `importSegmentEvents` refused.
#[derive(uniffi::Record)]
pub struct RejectedLine {
    /// The line's number, from 1.
    pub line: u64,
    /// Why it was refused.
    pub reason: String,
}

/// What `importSegmentEvents` did.
#[derive(uniffi::Record)]
pub struct ImportReport {
    /// Touchpoints stored.
    pub added: u64,
    /// Events skipped as already imported.
    pub skipped: u64,
    /// Lines refused, by number.
    #[uniffi(default)]
    pub rejected: Vec<RejectedLine>,
}

impl From<poolbook::ImportReport> for ImportReport {
    fn from(report: poolbook::ImportReport) -> Self {
        ImportReport {
            added: count(report.added),
            skipped: count(report.skipped),
            rejected: report
                .rejected
                .into_iter()
                .map(|line| RejectedLine {
                    line: count(line.line),
                    reason: line.reason,
                })
                .collect(),
        }
    }
}
