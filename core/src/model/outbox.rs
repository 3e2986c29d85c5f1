//! The outbox: which messages are due to which contact (rules and their
//! settings, message templates), the messages themselves and the ones held
//! back, and what the host reports back (sent, delivered, failed, replies).
//! poolbook sends nothing itself: the host sends and reports.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ContactChannel, Message};
use crate::{ContactId, CustomerId, EntryId, LocationId};

crate::text_enum! {
    /// A rule that makes messages due.
    pub enum OutboxRule {
        /// Notice before a planned visit, to the contact and channel the
        /// customer asked for.
        VisitNotice = "visit_notice",
        /// A visit was skipped: what happened and what comes next.
        SkippedVisit = "skipped_visit",
        /// An invoice is past due.
        BalanceOverdue = "balance_overdue",
        /// Thanks for a payment that left something owing, with what remains.
        PartialPayment = "partial_payment",
        /// An issue the customer raised was resolved: what was done.
        IssueFollowup = "issue_followup",
        /// An inbound lead waits for an answer: an alert to the office.
        LeadFollowup = "lead_followup",
    }
}

crate::text_enum! {
    /// What became of a message the host sent.
    pub enum OutboxStatus {
        /// Handed to the carrier or mail server.
        Sent = "sent",
        /// Reported delivered.
        Delivered = "delivered",
        /// Bounced, refused or undeliverable (see the failure).
        Failed = "failed",
    }
}

crate::text_enum! {
    /// What an inbound reply says, as far as the outbox cares.
    pub enum ReplyKind {
        /// STOP (or UNSUBSCRIBE, CANCEL, END, QUIT, STOPALL): opt out of the channel.
        Stop = "stop",
        /// HELP (or INFO): the host answers with who is writing and how to stop.
        Help = "help",
        /// Anything else: a person should read it.
        Text = "text",
    }
}

/// One rule switched on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RuleSettings {
    /// Whether the rule makes messages.
    pub enabled: bool,
    /// Whether its messages are required by law (they reach a
    /// do-not-contact customer, flagged as such; an opt-out of the channel
    /// still holds).
    pub legally_required: bool,
}

impl RuleSettings {
    /// On, not legally required.
    pub fn on() -> Self {
        RuleSettings {
            enabled: true,
            legally_required: false,
        }
    }

    /// Off.
    pub fn off() -> Self {
        RuleSettings {
            enabled: false,
            legally_required: false,
        }
    }
}

/// How a book's outbox works: which rules run and how, the languages its
/// templates must speak. Stored as one setting; a book that never saved
/// any has the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OutboxSettings {
    /// The languages every template must have (BCP 47 primary tags such as
    /// `en`, `es`); the first is the fallback for a customer whose
    /// language has no translation.
    pub languages: Vec<String>,
    /// Put before amounts of money: `$`.
    pub currency_symbol: String,
    /// Where internal alerts (lead follow-ups) go.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub office_email: Option<String>,
    /// Notice before each planned visit.
    pub visit_notice: RuleSettings,
    /// The local time a planned visit is reckoned to start when its notice
    /// is timed (plans carry days, not times).
    pub arrival_time: NaiveTime,
    /// Notice of a skipped visit.
    pub skipped_visit: RuleSettings,
    /// Reminder of a past-due invoice.
    pub balance_overdue: RuleSettings,
    /// Days after the due date the reminder goes.
    pub days_after_due: u32,
    /// The local time reminders of past-due invoices go out.
    pub reminder_time: NaiveTime,
    /// Thanks for a partial payment, with what remains.
    pub partial_payment: RuleSettings,
    /// Follow-up when a customer's issue is resolved.
    pub issue_followup: RuleSettings,
    /// Office alert for a lead not answered in time.
    pub lead_followup: RuleSettings,
    /// Minutes a lead may wait for an answer before the office is alerted.
    pub lead_answer_minutes: u32,
    /// Hours after an event (a skip, a payment, a resolution, a lead's
    /// message) during which its message is still due.
    pub lookback_hours: u32,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        OutboxSettings {
            languages: vec!["en".to_owned(), "es".to_owned()],
            currency_symbol: "$".to_owned(),
            office_email: None,
            visit_notice: RuleSettings::on(),
            arrival_time: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
            skipped_visit: RuleSettings::on(),
            balance_overdue: RuleSettings::on(),
            days_after_due: 3,
            reminder_time: NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default(),
            partial_payment: RuleSettings::on(),
            issue_followup: RuleSettings::on(),
            lead_followup: RuleSettings::on(),
            lead_answer_minutes: 60,
            lookback_hours: 72,
        }
    }
}

impl OutboxSettings {
    /// The settings of `rule`.
    pub fn rule(&self, rule: OutboxRule) -> RuleSettings {
        match rule {
            OutboxRule::VisitNotice => self.visit_notice,
            OutboxRule::SkippedVisit => self.skipped_visit,
            OutboxRule::BalanceOverdue => self.balance_overdue,
            OutboxRule::PartialPayment => self.partial_payment,
            OutboxRule::IssueFollowup => self.issue_followup,
            OutboxRule::LeadFollowup => self.lead_followup,
        }
    }
}

/// A template's words in one language. `{{field}}` is replaced by the
/// field's value (see [`crate::template_fields`] for a rule's fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TemplateText {
    /// The language, a BCP 47 primary tag: `en`, `es`.
    pub language: String,
    /// The subject line (used for email).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub subject: Option<String>,
    /// The text.
    pub body: String,
}

/// The wording of one rule's messages, in every language of the book.
/// Several variants of the same rule make an experiment: each customer
/// gets one, by [`crate::assign_variant`] with the rule's name as the
/// experiment and the variants in name order, so the experiment report
/// (hashed assignment, exposure `message_sent` with
/// `{"template": "<rule>"}`) sees the same split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MessageTemplate {
    /// The rule whose messages it words (its name is the template's name).
    pub rule: OutboxRule,
    /// The variant: `a` unless an experiment needs more.
    pub variant: String,
    /// One per language.
    pub translations: Vec<TemplateText>,
}

/// A message that should go out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DueMessage {
    /// Stable for the same rule, reason, contact and channel: a message
    /// with this key is due until an outcome is recorded for it, and never
    /// again after.
    pub key: String,
    /// The rule that made it.
    pub rule: OutboxRule,
    /// The account (for a lead alert: the lead).
    pub customer_id: CustomerId,
    /// The account's display name.
    pub customer_name: String,
    /// The contact it goes to; `None` for an internal alert to the office.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contact_id: Option<ContactId>,
    /// The contact's name, or `office`.
    pub recipient_name: String,
    /// SMS or email.
    pub channel: ContactChannel,
    /// The phone number in E.164 form, or the email address.
    pub address: String,
    /// When to send it: out of the contact's quiet hours in the book's time zone.
    pub send_at: DateTime<Utc>,
    /// Why it is due: `visit on 2026-05-12 at 1420 Oak Street`.
    pub reason: String,
    /// The location it concerns.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub location_id: Option<LocationId>,
    /// The day of the visit it concerns.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub visit_date: Option<NaiveDate>,
    /// The entry it concerns: the skipped visit, the invoice, the payment, the issue.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub entry_id: Option<EntryId>,
    /// The subject line, for email.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub subject: Option<String>,
    /// The text.
    pub body: String,
    /// The template's name (the rule's).
    pub template: String,
    /// The template's variant.
    pub variant: String,
    /// The language it is written in.
    pub language: String,
    /// Sent although the customer asked not to be contacted, because the
    /// rule's messages are required by law.
    pub legally_required: bool,
    /// An alert to the office, not a message to the customer.
    pub internal: bool,
}

/// A message a rule would have made but that must not go out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SuppressedMessage {
    /// The key the message would have had.
    pub key: String,
    /// The rule.
    pub rule: OutboxRule,
    /// The account.
    pub customer_id: CustomerId,
    /// The contact, if the rule named one.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contact_id: Option<ContactId>,
    /// The channel it would have used.
    pub channel: ContactChannel,
    /// Why it is held back: `suppressed: Maria Lopez opted out of SMS on
    /// 2026-05-02 by reply STOP`.
    pub why: String,
}

/// What is due now or within the horizon, and what is held back.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Outbox {
    /// Messages to send, by send time then key.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub due: Vec<DueMessage>,
    /// Messages held back, by key.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub suppressed: Vec<SuppressedMessage>,
}

/// A message the host reported on: sent, then perhaps delivered or failed,
/// perhaps replied to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OutboxRecord {
    /// The due message's key.
    pub key: String,
    /// The rule that made it.
    pub rule: OutboxRule,
    /// The account.
    pub customer_id: CustomerId,
    /// The contact; `None` for an internal alert.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contact_id: Option<ContactId>,
    /// The channel.
    pub channel: ContactChannel,
    /// The address it went to.
    pub address: String,
    /// The template's name.
    pub template: String,
    /// The template's variant.
    pub variant: String,
    /// The history message it became (`None` for an internal alert).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub message_id: Option<EntryId>,
    /// Sent, delivered or failed.
    pub status: OutboxStatus,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
    /// When it was reported delivered.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub delivered_at: Option<DateTime<Utc>>,
    /// When it was reported failed.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub failed_at: Option<DateTime<Utc>>,
    /// Why it failed: `mailbox does not exist`, `number not in service`.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub failure: Option<String>,
    /// When the first reply to it came.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub replied_at: Option<DateTime<Utc>>,
    /// What the first reply said.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub reply_kind: Option<ReplyKind>,
}

/// Which outbox records to read. Filters combine with AND.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OutboxQuery {
    /// Only these keys (all when empty).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub keys: Vec<String>,
    /// Only this customer's.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub customer_id: Option<CustomerId>,
    /// Only with this status.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub status: Option<OutboxStatus>,
    /// Only sent at or after this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub since: Option<DateTime<Utc>>,
    /// Only sent before this time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub until: Option<DateTime<Utc>>,
}

/// A message from a contact, as the host received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct InboundReply {
    /// The account.
    pub customer_id: CustomerId,
    /// The contact who wrote.
    pub contact_id: ContactId,
    /// The channel it came on.
    pub channel: ContactChannel,
    /// What it says.
    pub body: String,
    /// When it came.
    pub at: DateTime<Utc>,
    /// The key of the outbox message it answers, if the host knows it.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub in_reply_to: Option<String>,
}

/// What recording a reply did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReplyOutcome {
    /// The inbound message recorded in the history.
    pub message: Message,
    /// STOP, HELP or free text.
    pub kind: ReplyKind,
    /// Whether it recorded an opt-out of the channel for the contact.
    pub opted_out: bool,
}

/// How often one template variant's messages were answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReplyRate {
    /// The template's name.
    pub template: String,
    /// The variant.
    pub variant: String,
    /// Messages sent.
    pub sent: u64,
    /// Of those, messages answered.
    pub replied: u64,
    /// Of those, answers that were STOP.
    pub stopped: u64,
    /// `replied / sent` (0 when nothing was sent).
    pub rate: f64,
}
