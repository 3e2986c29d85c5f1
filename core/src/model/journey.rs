//! The customer journey: touchpoints across channels (website, email,
//! phone, SMS, portal, mail, in person, …), by a customer or by an anonymous visitor
//! not yet known to be one.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Direction;
use super::channel::JourneyChannel;
use crate::{CustomerId, EntryId};

crate::text_enum! {
    /// Who acted.
    pub enum Actor {
        /// The customer (or visitor).
        Customer = "customer",
        /// Someone at the company.
        Staff = "staff",
        /// An automated system (reminders, campaigns).
        Automation = "automation",
    }
}

crate::text_enum! {
    /// Where in the journey a touchpoint sits.
    pub enum Stage {
        /// Finding out about the company.
        Awareness = "awareness",
        /// Weighing it up: asking, comparing.
        Consideration = "consideration",
        /// Buying: signing up, paying.
        Purchase = "purchase",
        /// Staying: service, statements, reviews.
        Retention = "retention",
    }
}

/// Well-known action names (the set is open: any snake_case name is allowed).
pub mod actions {
    /// A web page was viewed.
    pub const PAGE_VIEWED: &str = "page_viewed";
    /// An estimate was requested.
    pub const ESTIMATE_REQUESTED: &str = "estimate_requested";
    /// A phone call.
    pub const CALL: &str = "call";
    /// A message (text, chat).
    pub const MESSAGE: &str = "message";
    /// An email was sent.
    pub const EMAIL_SENT: &str = "email_sent";
    /// An email was opened.
    pub const EMAIL_OPENED: &str = "email_opened";
    /// A link in an email was clicked.
    pub const EMAIL_CLICKED: &str = "email_clicked";
    /// The customer logged in to the portal.
    pub const PORTAL_LOGIN: &str = "portal_login";
    /// A statement was viewed.
    pub const STATEMENT_VIEWED: &str = "statement_viewed";
    /// A payment was made.
    pub const PAYMENT_MADE: &str = "payment_made";
    /// A review was left.
    pub const REVIEW_LEFT: &str = "review_left";
    /// An invoice was sent (written by [`crate::Book::add_invoice`]).
    pub const INVOICE_SENT: &str = "invoice_sent";
    /// A statement was sent.
    pub const STATEMENT_SENT: &str = "statement_sent";
    /// A message came in from a customer who is not a lead (a lead's is [`MESSAGE`]).
    pub const MESSAGE_RECEIVED: &str = "message_received";
    /// A message went out to the customer.
    pub const MESSAGE_SENT: &str = "message_sent";
    /// A service visit was completed.
    pub const VISIT_COMPLETED: &str = "visit_completed";
    /// A service visit was skipped (property `skip_reason`).
    pub const VISIT_SKIPPED: &str = "visit_skipped";
    /// An issue was opened (property `category`).
    pub const ISSUE_OPENED: &str = "issue_opened";
    /// An issue was resolved.
    pub const ISSUE_RESOLVED: &str = "issue_resolved";
    /// The customer gave feedback (properties `rating`, `source`, `topics`).
    pub const FEEDBACK_GIVEN: &str = "feedback_given";
    /// The customer's record was created (property `status`).
    pub const CUSTOMER_CREATED: &str = "customer_created";
    /// A lead became an active customer.
    pub const CONVERTED: &str = "converted";
    /// An active (or paused) customer cancelled (property `reason`, if given).
    pub const CHURNED: &str = "churned";
    /// Any other change of lifecycle status (properties `from`, `to`).
    pub const STATUS_CHANGED: &str = "status_changed";
}

/// A touchpoint: one step of someone's journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Touchpoint {
    /// Identifier.
    pub id: EntryId,
    /// The customer, once known.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub customer_id: Option<CustomerId>,
    /// The anonymous visitor id it was recorded under, if any.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
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
    /// Journey stage: given, or from the book's action → stage map. An action
    /// the map does not know is stored with no stage (never guessed), and
    /// `Book::unmapped_actions` lists such actions so the map can be extended.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub stage: Option<Stage>,
    /// Traffic source, normalised ("google local").
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub source: Option<String>,
    /// Campaign, normalised.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub campaign: Option<String>,
    /// Money involved, if any (a payment's amount, an estimate's value).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub value: Option<Decimal>,
    /// Anything else the source system said.
    pub properties: BTreeMap<String, serde_json::Value>,
    /// The system the event came from ("segment", "website"), for idempotent imports.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub source_system: Option<String>,
    /// The event's id in that system: the same (system, id) is stored once.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub source_event_id: Option<String>,
    /// The history entry whose recording wrote this touchpoint (a payment's
    /// `payment_made`); `None` for touchpoints recorded on their own.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub entry_id: Option<EntryId>,
}

impl Touchpoint {
    /// A touchpoint by a known customer.
    pub fn by_customer(
        customer_id: CustomerId,
        at: DateTime<Utc>,
        channel: JourneyChannel,
        direction: Direction,
        actor: Actor,
        action: impl Into<String>,
    ) -> Self {
        Touchpoint::new(
            Some(customer_id),
            None,
            at,
            channel,
            direction,
            actor,
            action.into(),
        )
    }

    /// A touchpoint by an anonymous visitor (inbound, by the visitor).
    pub fn by_visitor(
        visitor_id: impl Into<String>,
        at: DateTime<Utc>,
        channel: JourneyChannel,
        action: impl Into<String>,
    ) -> Self {
        let visitor = Some(visitor_id.into());
        Touchpoint::new(
            None,
            visitor,
            at,
            channel,
            Direction::Inbound,
            Actor::Customer,
            action.into(),
        )
    }

    fn new(
        customer_id: Option<CustomerId>,
        visitor_id: Option<String>,
        at: DateTime<Utc>,
        channel: JourneyChannel,
        direction: Direction,
        actor: Actor,
        action: String,
    ) -> Self {
        Touchpoint {
            id: EntryId::new(),
            customer_id,
            visitor_id,
            at,
            channel,
            direction,
            actor,
            action,
            stage: None,
            source: None,
            campaign: None,
            value: None,
            properties: BTreeMap::new(),
            source_system: None,
            source_event_id: None,
            entry_id: None,
        }
    }
}

/// An action the book's stage map does not know, and how often it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UnmappedAction {
    /// The action.
    pub action: String,
    /// How many stored touchpoints have it and no stage.
    pub touchpoints: u64,
    /// When the latest of them happened.
    pub last_at: DateTime<Utc>,
}

/// How many touchpoints a recording added and skipped as already present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TouchpointReport {
    /// Newly stored.
    pub added: u64,
    /// Already stored under the same (source system, source event id).
    pub skipped: u64,
    /// Not stored because they describe an operation the book already
    /// recorded (a `payment_made` for a payment in the ledger).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub matched: u64,
}
