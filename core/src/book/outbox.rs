//! The outbox (issue 21): which messages are due now or soon, to which
//! contact, on which channel and address, at what time and in which words
//! ([`Book::due_messages`]); the rules' settings and the templates; and what
//! the host reports back — sent (a history message and its touchpoint),
//! delivered, failed, and replies (a STOP records the opt-out). poolbook
//! sends nothing itself.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::entries::EntryChecker;
use crate::book::{Book, MAX_NOTE_CHARS, now};
use crate::domain::changes;
use crate::domain::ledger::{InvoiceBalance, Ledger};
use crate::domain::limits;
use crate::domain::outbox::{
    MAX_TEMPLATE_VARIANTS, builtin_template, check_template, classify_reply, clock, first_name,
    joined, message_key, out_of_quiet_hours, pick_translation, primary_language, reach, render,
    spoken_date, spoken_skip_reason, waiting_words,
};
use crate::domain::schedule::plan_due_on;
use crate::domain::stats::assigned_variant;
use crate::domain::time_zone::BookZone;
use crate::foundation::sorting;
use crate::model::{
    Actor, ArchivedFilter, ChangeAction, Consent, ConsentStatus, Contact, ContactChannel,
    ContactRole, Credit, Customer, CustomerQuery, Direction, DueMessage, Entry, EntryKind,
    EntryQuery, InboundReply, Invoice, IssueStatus, LifecycleStatus, Message, MessageTemplate,
    NewChange, Outbox, OutboxQuery, OutboxRecord, OutboxRule, OutboxSettings, OutboxStatus,
    Payment, ReplyKind, ReplyOutcome, ReplyRate, SuppressedMessage, TouchpointQuery, VisitOutcome,
};
use crate::store::{Write, WriteBatch};
use crate::{Author, CustomerId, EntityKind, EntryId, Error, LocationId, Result, format_money};

/// The setting holding the outbox's settings (JSON).
const SETTINGS_KEY: &str = "outbox_settings";
/// The setting holding the saved message templates (JSON).
const TEMPLATES_KEY: &str = "outbox_templates";

/// The longest horizon [`Book::due_messages`] looks ahead: a week.
pub const MAX_OUTBOX_HORIZON_MINUTES: u32 = 7 * 24 * 60;

/// How far back an unpaid invoice still gets its reminders (by when it was
/// issued: older debts are a matter for collections, not reminders), and a
/// resolved issue its follow-up (by when it was opened).
const ACCOUNT_LOOKBACK_DAYS: i64 = 120;

/// Customers read per page while the rules look for due messages.
const CUSTOMER_PAGE: u32 = 1000;

/// How long before an issue opened a message or feedback from the
/// customer shows they raised it.
const RAISED_WITHIN_HOURS: i64 = 48;

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// The outbox's settings: which rules run, their times and limits, the
    /// languages templates must have (the defaults until saved).
    pub fn outbox_settings(&self) -> Result<OutboxSettings> {
        match self.store.setting(SETTINGS_KEY)? {
            None => Ok(OutboxSettings::default()),
            Some(text) => serde_json::from_str(&text)
                .map_err(|error| Error::storage("reading the outbox settings", error)),
        }
    }

    /// Saves the outbox's settings. Every template in use (saved or
    /// built in) must have each of the languages, or the settings are
    /// refused naming the template and language: save its translation
    /// first.
    pub fn set_outbox_settings(
        &self,
        settings: OutboxSettings,
        author: &Author,
    ) -> Result<OutboxSettings> {
        author.check()?;
        let mut settings = settings;
        check_settings(&mut settings)?;
        for template in self.message_templates()? {
            let has = |language: &String| {
                template
                    .translations
                    .iter()
                    .any(|text| &text.language == language)
            };
            if let Some(missing) = settings.languages.iter().find(|l| !has(l)) {
                return Err(Error::invalid(
                    "languages",
                    format!(
                        "the {} template (variant {}) has no {missing} translation; save one first",
                        template.rule, template.variant
                    ),
                ));
            }
        }
        let before = self.store.setting(SETTINGS_KEY)?.unwrap_or_default();
        let after = serde_json::to_string(&settings)
            .map_err(|error| Error::storage("encoding the outbox settings", error))?;
        if before != after {
            self.put_setting(SETTINGS_KEY, &before, &after, author)?;
        }
        Ok(settings)
    }

    /// The templates in use, by rule then variant: the saved ones, and the
    /// built-in wording (English and Spanish, variant `a`) of each rule
    /// with none saved.
    pub fn message_templates(&self) -> Result<Vec<MessageTemplate>> {
        let saved = self.saved_templates()?;
        let mut out = Vec::new();
        for rule in OutboxRule::ALL {
            let mine: Vec<&MessageTemplate> = saved.iter().filter(|t| t.rule == *rule).collect();
            if mine.is_empty() {
                out.push(builtin_template(*rule));
            } else {
                out.extend(mine.into_iter().cloned());
            }
        }
        Ok(out)
    }

    /// Saves a template (replacing the one of the same rule and variant).
    /// It is checked now, not when sending: every `{{field}}` must be one
    /// of the rule's ([`crate::template_fields`]; none is a secret) and
    /// every language of the book must be translated. A second variant
    /// of a rule starts an experiment: customers are split between them.
    pub fn save_message_template(
        &self,
        template: MessageTemplate,
        author: &Author,
    ) -> Result<MessageTemplate> {
        author.check()?;
        let settings = self.outbox_settings()?;
        let mut template = template;
        check_template(&mut template, &settings.languages)?;
        let mut saved = self.saved_templates()?;
        saved.retain(|t| !(t.rule == template.rule && t.variant == template.variant));
        if saved.iter().filter(|t| t.rule == template.rule).count() >= MAX_TEMPLATE_VARIANTS {
            return Err(Error::invalid(
                "variant",
                format!("a rule has at most {MAX_TEMPLATE_VARIANTS} variants"),
            ));
        }
        saved.push(template.clone());
        self.put_templates(saved, author)?;
        Ok(template)
    }

    /// Removes the saved template of `rule` and `variant` (ending an
    /// experiment, or going back to the built-in wording).
    pub fn remove_message_template(
        &self,
        rule: OutboxRule,
        variant: &str,
        author: &Author,
    ) -> Result<()> {
        author.check()?;
        let mut saved = self.saved_templates()?;
        let count = saved.len();
        saved.retain(|t| !(t.rule == rule && t.variant == variant.trim()));
        if saved.len() == count {
            return Err(Error::invalid(
                "variant",
                format!("no saved {rule} template has variant {}", variant.trim()),
            ));
        }
        self.put_templates(saved, author)
    }

    /// The messages due from `at` to `horizon_minutes` later (at most a
    /// week), by send time, and the ones held back, each saying why. A
    /// message is due until the host records an outcome for its key
    /// ([`Book::mark_sent`]); asking again gives the same keys and, once
    /// marked, nothing new. Send times are moved out of the customer's
    /// quiet hours in the book's time zone (a visit notice to the last
    /// minute before they begin when waiting would pass the visit).
    pub fn due_messages(&self, at: DateTime<Utc>, horizon_minutes: u32) -> Result<Outbox> {
        if horizon_minutes > MAX_OUTBOX_HORIZON_MINUTES {
            return Err(Error::invalid(
                "horizon_minutes",
                format!("must be at most {MAX_OUTBOX_HORIZON_MINUTES} (a week)"),
            ));
        }
        let at = limits::instant(at, "at")?;
        let until = at + Duration::minutes(i64::from(horizon_minutes));
        limits::instant(until, "horizon_minutes")?;
        let settings = self.outbox_settings()?;
        let mut templates: HashMap<OutboxRule, Vec<MessageTemplate>> = HashMap::new();
        for template in self.message_templates()? {
            templates.entry(template.rule).or_default().push(template);
        }
        for variants in templates.values_mut() {
            sorting::sort_by(variants, |a, b| a.variant.cmp(&b.variant));
        }
        let technicians = self
            .store
            .technicians(true)?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect();
        let mut run = Run {
            zone: self.tz()?,
            settings,
            templates,
            technicians,
            at,
            until,
            due: Vec::new(),
            suppressed: Vec::new(),
        };
        if run.settings.visit_notice.enabled {
            self.visit_notices(&mut run)?;
        }
        if run.settings.skipped_visit.enabled {
            self.skipped_visits(&mut run)?;
        }
        if run.settings.balance_overdue.enabled || run.settings.partial_payment.enabled {
            self.balance_reminders(&mut run)?;
        }
        if run.settings.issue_followup.enabled {
            self.issue_followups(&mut run)?;
        }
        if run.settings.lead_followup.enabled {
            self.lead_followups(&mut run)?;
        }
        let mut keys: Vec<String> = run.due.iter().map(|m| m.key.clone()).collect();
        keys.extend(run.suppressed.iter().map(|m| m.key.clone()));
        let mut recorded: HashSet<String> = HashSet::new();
        for chunk in keys.chunks(5000) {
            let query = OutboxQuery {
                keys: chunk.to_vec(),
                ..OutboxQuery::default()
            };
            recorded.extend(
                self.store
                    .outbox_records(&query)?
                    .into_iter()
                    .map(|r| r.key),
            );
        }
        let mut due = run.due;
        due.retain(|m| !recorded.contains(&m.key));
        sorting::sort_by(&mut due, |a, b| {
            (a.send_at, &a.key).cmp(&(b.send_at, &b.key))
        });
        due.dedup_by(|a, b| a.key == b.key);
        let mut suppressed = run.suppressed;
        suppressed.retain(|m| !recorded.contains(&m.key));
        sorting::sort_by(&mut suppressed, |a, b| a.key.cmp(&b.key));
        suppressed.dedup_by(|a, b| a.key == b.key);
        Ok(Outbox { due, suppressed })
    }

    /// Records that the host sent `message` at `sent_at`: the message joins
    /// the customer's history (with its `message_sent` touchpoint, the
    /// template's name as its `template`) and its key is never due again,
    /// in one transaction. An internal alert is recorded in the outbox
    /// only. A key already recorded is refused.
    pub fn mark_sent(
        &self,
        message: &DueMessage,
        sent_at: DateTime<Utc>,
        author: &Author,
    ) -> Result<OutboxRecord> {
        author.check()?;
        let sent_at = limits::instant(sent_at, "sent_at")?;
        let key = message.key.trim();
        if key.is_empty() || key.chars().count() > 300 {
            return Err(Error::invalid("message.key", "must be 1 to 300 characters"));
        }
        if let Some(existing) = self.outbox_record(key)? {
            return Err(Error::invalid(
                "message.key",
                format!("was already marked sent at {}", existing.sent_at),
            ));
        }
        let customer = self.customer(message.customer_id)?;
        let mut writes = Vec::new();
        let mut changes = Vec::new();
        let mut message_id = None;
        if !message.internal {
            let Some(contact_id) = message.contact_id else {
                return Err(Error::invalid(
                    "message.contact_id",
                    "is required for a message to the customer",
                ));
            };
            let mut entry = Entry::Message(Message {
                id: EntryId::new(),
                customer_id: customer.id,
                location_id: message.location_id,
                at: sent_at,
                channel: message.channel,
                direction: Direction::Outbound,
                contact_id: Some(contact_id),
                subject: message.subject.clone(),
                body: message.body.clone(),
                template: Some(message.template.clone()),
            });
            EntryChecker::new(self)
                .check(&mut entry)
                .map_err(|error| error.within("message"))?;
            message_id = Some(entry.id());
            let lead = customer.status == LifecycleStatus::Lead;
            let touchpoints =
                self.entry_operations(std::slice::from_ref(&entry), &|_| lead, author)?;
            changes.push(created(&entry));
            writes.push(Write::InsertEntry(entry));
            writes.push(Write::InsertTouchpoints(touchpoints));
        }
        let record = OutboxRecord {
            key: key.to_owned(),
            rule: message.rule,
            customer_id: customer.id,
            contact_id: message.contact_id,
            channel: message.channel,
            address: message.address.clone(),
            template: message.template.clone(),
            variant: message.variant.clone(),
            message_id,
            status: OutboxStatus::Sent,
            sent_at,
            delivered_at: None,
            failed_at: None,
            failure: None,
            replied_at: None,
            reply_kind: None,
        };
        changes.push(record_change(None, &record));
        writes.push(Write::PutOutboxRecord(record.clone()));
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes,
            changes,
        })?;
        Ok(record)
    }

    /// Records that the message with `key` was delivered at `at`.
    pub fn mark_delivered(
        &self,
        key: &str,
        at: DateTime<Utc>,
        author: &Author,
    ) -> Result<OutboxRecord> {
        author.check()?;
        let at = limits::instant(at, "at")?;
        let before = self.sent_record(key)?;
        let mut after = before.clone();
        after.status = OutboxStatus::Delivered;
        after.delivered_at = Some(at);
        self.put_record(&before, after, author)
    }

    /// Records that the message with `key` failed at `at` (a bounced email,
    /// a number not in service) and why; the data-quality report lists it
    /// ([`Book::outbox_records`] with status `failed`).
    pub fn mark_failed(
        &self,
        key: &str,
        reason: &str,
        at: DateTime<Utc>,
        author: &Author,
    ) -> Result<OutboxRecord> {
        author.check()?;
        let at = limits::instant(at, "at")?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(Error::invalid("reason", "must be 1 to 500 characters"));
        }
        let before = self.sent_record(key)?;
        let mut after = before.clone();
        after.status = OutboxStatus::Failed;
        after.failed_at = Some(at);
        after.failure = Some(reason.to_owned());
        self.put_record(&before, after, author)
    }

    /// Records a message from a contact: the inbound message and its
    /// touchpoint, the reply on the outbox message it answers, and — for
    /// STOP — the contact's opt-out of the channel (`reply STOP`, ending a
    /// notice before visits to that contact on that channel), all in one
    /// transaction. HELP and free text are recorded for a person (or
    /// the host's automatic answer) to deal with.
    pub fn record_reply(&self, reply: InboundReply, author: &Author) -> Result<ReplyOutcome> {
        author.check()?;
        let at = limits::instant(reply.at, "at")?;
        let mut body = reply.body.trim().to_owned();
        if body.is_empty() || body.chars().count() > MAX_NOTE_CHARS {
            return Err(Error::invalid(
                "body",
                format!("must be 1 to {MAX_NOTE_CHARS} characters"),
            ));
        }
        body.shrink_to_fit();
        let current = self.customer(reply.customer_id)?;
        let Some(contact) = current.contact(reply.contact_id) else {
            return Err(Error::invalid(
                "contact_id",
                "is not a contact of the customer",
            ));
        };
        let kind = classify_reply(&body);
        let mut writes = Vec::new();
        let mut changes = Vec::new();
        if let Some(key) = &reply.in_reply_to {
            let before = self
                .outbox_record(key)?
                .ok_or_else(|| Error::not_found(EntityKind::OutboxMessage, key))?;
            if before.customer_id != current.id || before.contact_id != Some(contact.id) {
                return Err(Error::invalid(
                    "in_reply_to",
                    "is not a message to this contact",
                ));
            }
            if before.replied_at.is_none() {
                let mut after = before.clone();
                after.replied_at = Some(at);
                after.reply_kind = Some(kind);
                changes.push(record_change(Some(&before), &after));
                writes.push(Write::PutOutboxRecord(after));
            }
        }
        let opted_out = kind == ReplyKind::Stop;
        let already_out = contact
            .consent(reply.channel)
            .is_some_and(|c| c.status == ConsentStatus::OptedOut);
        if opted_out && !already_out {
            let mut next = current.clone();
            // A notice before visits on that channel to that contact ends too
            // (the change log keeps what it was).
            if next
                .preferences
                .notify_before_visit
                .as_ref()
                .is_some_and(|n| n.contact_id == contact.id && n.channel == reply.channel)
            {
                next.preferences.notify_before_visit = None;
            }
            if let Some(person) = next.contacts.iter_mut().find(|c| c.id == contact.id) {
                person.consents.retain(|c| c.channel != reply.channel);
                person.consents.push(Consent {
                    channel: reply.channel,
                    status: ConsentStatus::OptedOut,
                    recorded_at: at,
                    method: "reply STOP".to_owned(),
                });
            }
            next.version = current.version + 1;
            next.updated_at = now();
            changes.extend(changes::diff_customer(Some(&current), &next));
            writes.push(Write::UpdateCustomer {
                record: next,
                previous: Box::new(current.clone()),
            });
        }
        let mut entry = Entry::Message(Message {
            id: EntryId::new(),
            customer_id: current.id,
            location_id: None,
            at,
            channel: reply.channel,
            direction: Direction::Inbound,
            contact_id: Some(contact.id),
            subject: None,
            body,
            template: None,
        });
        EntryChecker::new(self).check(&mut entry)?;
        let lead = current.status == LifecycleStatus::Lead;
        let touchpoints = self.entry_operations(std::slice::from_ref(&entry), &|_| lead, author)?;
        changes.push(created(&entry));
        writes.push(Write::InsertEntry(entry.clone()));
        writes.push(Write::InsertTouchpoints(touchpoints));
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes,
            changes,
        })?;
        let Entry::Message(message) = entry else {
            return Err(Error::invalid("body", "was not recorded as a message"));
        };
        Ok(ReplyOutcome {
            message,
            kind,
            opted_out,
        })
    }

    /// The messages the host reported on, matching `query`, by send time:
    /// with status `failed`, the bounced emails and dead numbers to fix.
    pub fn outbox_records(&self, query: &OutboxQuery) -> Result<Vec<OutboxRecord>> {
        self.store.outbox_records(query)
    }

    /// How often each template variant's messages sent in `[since, until)`
    /// were answered (and with STOP), by template then variant; internal
    /// alerts left out.
    pub fn reply_rates(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<ReplyRate>> {
        let records = self.store.outbox_records(&OutboxQuery {
            since,
            until,
            ..OutboxQuery::default()
        })?;
        let mut counts: BTreeMap<(String, String), (u64, u64, u64)> = BTreeMap::new();
        for record in records.iter().filter(|r| r.contact_id.is_some()) {
            let count = counts
                .entry((record.template.clone(), record.variant.clone()))
                .or_default();
            count.0 += 1;
            if record.replied_at.is_some() {
                count.1 += 1;
            }
            if record.reply_kind == Some(ReplyKind::Stop) {
                count.2 += 1;
            }
        }
        Ok(counts
            .into_iter()
            .map(
                |((template, variant), (sent, replied, stopped))| ReplyRate {
                    template,
                    variant,
                    sent,
                    replied,
                    stopped,
                    rate: if sent == 0 {
                        0.0
                    } else {
                        replied as f64 / sent as f64
                    },
                },
            )
            .collect())
    }
}

/// One run of the rules: what they need, and what they found.
struct Run {
    zone: BookZone,
    settings: OutboxSettings,
    templates: HashMap<OutboxRule, Vec<MessageTemplate>>,
    technicians: HashMap<crate::TechnicianId, String>,
    at: DateTime<Utc>,
    until: DateTime<Utc>,
    due: Vec<DueMessage>,
    suppressed: Vec<SuppressedMessage>,
}

/// A message a rule wants to send, before consent, quiet hours and words.
struct Draft<'a> {
    rule: OutboxRule,
    customer: &'a Customer,
    /// The contact and channel; `None` for an office alert.
    to: Option<(&'a Contact, ContactChannel)>,
    /// What it is about, for its key.
    about: String,
    reason: String,
    location_id: Option<LocationId>,
    visit_date: Option<NaiveDate>,
    entry_id: Option<EntryId>,
    /// When the rule would send it (not before the run's `at`).
    send_at: DateTime<Utc>,
    /// After this it is pointless (the visit).
    deadline: Option<DateTime<Utc>>,
}

impl Run {
    /// Turns `draft` into a due or a suppressed message; `values` gives the
    /// template's fields in a language.
    fn finish(&mut self, draft: Draft<'_>, values: &dyn Fn(&str) -> Vec<(&'static str, String)>) {
        let send_at = draft.send_at.max(self.at);
        if send_at > self.until {
            return;
        }
        let rule_settings = self.settings.rule(draft.rule);
        let customer = draft.customer;
        let (contact_id, recipient, channel, to_key) = match draft.to {
            Some((contact, channel)) => (
                Some(contact.id),
                contact.name.clone(),
                channel,
                contact.id.to_string(),
            ),
            None => (
                None,
                "office".to_owned(),
                ContactChannel::Email,
                "office".to_owned(),
            ),
        };
        let key = message_key(draft.rule, &draft.about, &to_key, channel);
        let suppress = |run: &mut Run, why: String| {
            run.suppressed.push(SuppressedMessage {
                key: key.clone(),
                rule: draft.rule,
                customer_id: customer.id,
                contact_id,
                channel,
                why,
            });
        };
        let address = match draft.to {
            Some((contact, channel)) => {
                match reach(customer, contact, channel, rule_settings.legally_required) {
                    Ok(address) => address,
                    Err(why) => return suppress(self, why),
                }
            }
            None => match &self.settings.office_email {
                Some(email) => email.clone(),
                None => {
                    return suppress(
                        self,
                        "suppressed: no office email is set in the outbox settings".to_owned(),
                    );
                }
            },
        };
        let mut send_at = send_at;
        if let (Some(quiet), Some(_)) = (&customer.preferences.quiet_hours, draft.to) {
            let local = |instant: DateTime<Utc>| self.zone.local(instant).naive_local();
            let moved = out_of_quiet_hours(
                local(send_at),
                quiet,
                draft.deadline.map(local),
                local(self.at),
            )
            .and_then(|moved| self.zone.instant_of(moved));
            match moved {
                Some(moved) => send_at = moved,
                None => {
                    return suppress(
                        self,
                        format!(
                            "suppressed: {}'s quiet hours ({}–{}) leave no time to send before {}",
                            recipient,
                            clock(quiet.start),
                            clock(quiet.end),
                            draft
                                .deadline
                                .map(|d| self.zone.local(d).format("%Y-%m-%d %H:%M").to_string())
                                .unwrap_or_default()
                        ),
                    );
                }
            }
            if send_at > self.until {
                return;
            }
        }
        let Some(variants) = self.templates.get(&draft.rule) else {
            return;
        };
        let index = match variants.len() {
            1 => 0,
            count => assigned_variant(draft.rule.as_str(), &customer.id.to_string(), count),
        };
        let Some(template) = variants.get(index) else {
            return;
        };
        let fallback = self.settings.languages.first().map_or("en", String::as_str);
        let language = if draft.to.is_some() {
            customer.preferences.language.as_deref()
        } else {
            None
        };
        let Some(text) = pick_translation(template, language, fallback) else {
            return;
        };
        let mut fields = values(&text.language);
        let first = draft.to.map_or_else(
            || first_name(&customer.display_name),
            |(c, _)| first_name(&c.name),
        );
        fields.push(("first_name", first));
        fields.push(("customer_name", customer.display_name.clone()));
        let subject = match channel {
            ContactChannel::Email => text.subject.as_deref().map(|s| render(s, &fields)),
            _ => None,
        };
        self.due.push(DueMessage {
            key,
            rule: draft.rule,
            customer_id: customer.id,
            customer_name: customer.display_name.clone(),
            contact_id,
            recipient_name: recipient,
            channel,
            address,
            send_at,
            reason: draft.reason,
            location_id: draft.location_id,
            visit_date: draft.visit_date,
            entry_id: draft.entry_id,
            subject,
            body: render(&text.body, &fields),
            template: template.rule.as_str().to_owned(),
            variant: template.variant.clone(),
            language: text.language.clone(),
            legally_required: rule_settings.legally_required && customer.preferences.do_not_contact,
            internal: draft.to.is_none(),
        });
    }

    /// The money form a customer reads: `$45.00`.
    fn money(&self, amount: Decimal) -> String {
        format!("{}{}", self.settings.currency_symbol, format_money(amount))
    }
}

/// Who hears about something on the account, and how: the contact who asked
/// for visit notices on their channel, else (for billing, the billing
/// contact first) the primary or first contact on the preferred channel, or
/// email when they have one, or SMS.
fn recipient(customer: &Customer, billing: bool) -> Option<(&Contact, ContactChannel)> {
    let notice = customer.preferences.notify_before_visit.as_ref();
    if !billing
        && let Some(notice) = notice
        && let Some(contact) = customer.contact(notice.contact_id)
    {
        return Some((contact, notice.channel));
    }
    let contact = billing
        .then(|| {
            customer
                .contacts
                .iter()
                .find(|c| c.role == ContactRole::Billing)
        })
        .flatten()
        .or_else(|| customer.primary_contact())
        .or_else(|| customer.contacts.first())?;
    let channel = match customer.preferences.preferred_channel {
        Some(channel @ (ContactChannel::Sms | ContactChannel::Email)) => channel,
        _ if !contact.emails.is_empty() => ContactChannel::Email,
        _ => ContactChannel::Sms,
    };
    Some((contact, channel))
}

impl Book {
    /// Notice before each planned visit of an active customer who asked
    /// for one, timed from the day's arrival time less the lead time. The
    /// store's planned locations of such customers say whose visits fall in
    /// the window; only those customers are read.
    fn visit_notices(&self, run: &mut Run) -> Result<()> {
        let first_day = run.zone.date_of(run.at);
        // A notice is due for a visit still ahead whose notice time
        // (arrival less the lead time) is at the latest the window's end.
        let notice_due = |plan: &crate::model::ServicePlan, lead: u32| {
            let lead = Duration::minutes(i64::from(lead));
            let last_day = run.zone.date_of(run.until + lead);
            first_day
                .iter_days()
                .take_while(|day| *day <= last_day)
                .filter(|day| plan_due_on(plan, *day))
                .filter_map(|day| run.zone.instant_of(day.and_time(run.settings.arrival_time)))
                .any(|visit| visit > run.at && visit - lead <= run.until)
        };
        let wanted: Vec<CustomerId> = self
            .store
            .notice_plans()?
            .into_iter()
            .filter(|p| notice_due(&p.plan, p.lead_time_minutes))
            .map(|p| p.customer_id)
            .collect();
        let customers = self.live_customers(wanted.into_iter())?;
        let mut customers: Vec<&Customer> = customers
            .values()
            .filter(|c| c.status == LifecycleStatus::Active)
            .collect();
        sorting::sort_by_key(&mut customers, |c| c.id);
        for customer in customers {
            let Some(notice) = &customer.preferences.notify_before_visit else {
                continue;
            };
            let lead = Duration::minutes(i64::from(notice.lead_time_minutes));
            let last_day = run.zone.date_of(run.until + lead);
            for location in &customer.locations {
                let Some(plan) = &location.service_plan else {
                    continue;
                };
                let mut day = first_day;
                while day <= last_day {
                    let today = day;
                    day = day.succ_opt().unwrap_or(NaiveDate::MAX);
                    if !plan_due_on(plan, today) {
                        continue;
                    }
                    let Some(visit) = run
                        .zone
                        .instant_of(today.and_time(run.settings.arrival_time))
                    else {
                        continue;
                    };
                    if visit <= run.at || visit - lead > run.until {
                        continue;
                    }
                    let contact = customer.contact(notice.contact_id);
                    let about = format!("{}:{today}", location.id);
                    let Some(contact) = contact else {
                        run.suppressed.push(SuppressedMessage {
                            key: message_key(
                                OutboxRule::VisitNotice,
                                &about,
                                &notice.contact_id.to_string(),
                                notice.channel,
                            ),
                            rule: OutboxRule::VisitNotice,
                            customer_id: customer.id,
                            contact_id: Some(notice.contact_id),
                            channel: notice.channel,
                            why: "suppressed: the contact named for visit notices is no longer \
                                  on the account"
                                .to_owned(),
                        });
                        continue;
                    };
                    let technician = plan
                        .technician_id
                        .and_then(|id| run.technicians.get(&id))
                        .map(|name| first_name(name));
                    let gate_note = location.access.notes.clone().unwrap_or_default();
                    let place = location.address.line1.clone();
                    let draft = Draft {
                        rule: OutboxRule::VisitNotice,
                        customer,
                        to: Some((contact, notice.channel)),
                        about,
                        reason: format!("visit on {today} at {}", location.address.one_line()),
                        location_id: Some(location.id),
                        visit_date: Some(today),
                        entry_id: None,
                        send_at: visit - lead,
                        deadline: Some(visit),
                    };
                    run.finish(draft, &|language| {
                        let technician = technician.clone().unwrap_or_else(|| {
                            if language == "es" {
                                "su técnico".to_owned()
                            } else {
                                "your technician".to_owned()
                            }
                        });
                        vec![
                            ("visit_date", spoken_date(today, language)),
                            ("technician", technician),
                            ("gate_note", gate_note.clone()),
                            ("location", place.clone()),
                        ]
                    });
                }
            }
        }
        Ok(())
    }

    /// A message for each visit skipped within the lookback: what happened
    /// and the next planned visit.
    fn skipped_visits(&self, run: &mut Run) -> Result<()> {
        let since = run.at - Duration::hours(i64::from(run.settings.lookback_hours));
        let visits = self.store.entries(&EntryQuery {
            kinds: vec![EntryKind::Visit],
            status: Some(VisitOutcome::Skipped.as_str().to_owned()),
            since: Some(since),
            until: Some(run.until),
            ..EntryQuery::default()
        })?;
        let customers = self.live_customers(visits.iter().map(|v| v.entry.customer_id()))?;
        for stored in &visits {
            let Entry::Visit(visit) = &stored.entry else {
                continue;
            };
            let Some(customer) = customers.get(&visit.customer_id) else {
                continue;
            };
            let Some(location) = customer.location(visit.location_id) else {
                continue;
            };
            let Some(to) = recipient(customer, false) else {
                continue;
            };
            let day = run.zone.date_of(visit.at);
            let next = location.service_plan.as_ref().and_then(|plan| {
                (1..=62)
                    .map(|n| day + Duration::days(n))
                    .find(|d| plan_due_on(plan, *d))
            });
            let technician = visit
                .technician_id
                .and_then(|id| run.technicians.get(&id))
                .map(|name| first_name(name))
                .unwrap_or_default();
            let reason = visit.skip_reason;
            let place = location.address.line1.clone();
            let draft = Draft {
                rule: OutboxRule::SkippedVisit,
                customer,
                to: Some(to),
                about: visit.id.to_string(),
                reason: format!(
                    "visit on {day} at {} skipped ({})",
                    location.address.one_line(),
                    reason.map(|r| r.label()).unwrap_or_default()
                ),
                location_id: Some(location.id),
                visit_date: Some(day),
                entry_id: Some(visit.id),
                send_at: visit.at,
                deadline: None,
            };
            run.finish(draft, &|language| {
                let next = match next {
                    Some(next) => spoken_date(next, language),
                    None if language == "es" => "por programar".to_owned(),
                    None => "to be scheduled".to_owned(),
                };
                vec![
                    ("visit_date", spoken_date(day, language)),
                    (
                        "skip_reason",
                        reason
                            .map(|r| spoken_skip_reason(r, language).to_owned())
                            .unwrap_or_default(),
                    ),
                    ("next_visit_date", next),
                    ("technician", technician.clone()),
                    ("location", place.clone()),
                ]
            });
        }
        Ok(())
    }

    /// Reminders of past-due invoices (`days_after_due` after the due
    /// date, at the reminder time) and thanks for partial payments within
    /// the lookback stating what remains; none once the invoice is paid.
    /// Invoices issued in the last [`ACCOUNT_LOOKBACK_DAYS`] count; what
    /// remains on each comes from the payments and credits applied to it
    /// (read across the book in three queries, not customer by customer).
    fn balance_reminders(&self, run: &mut Run) -> Result<()> {
        let since = run.at - Duration::days(ACCOUNT_LOOKBACK_DAYS);
        let read = |kind: EntryKind, since| {
            self.store.entries(&EntryQuery {
                kinds: vec![kind],
                since: Some(since),
                until: Some(run.until),
                ..EntryQuery::default()
            })
        };
        let entries = |stored: Vec<crate::model::StoredEntry>| {
            stored.into_iter().map(|s| s.entry).collect::<Vec<_>>()
        };
        let invoices: Vec<Invoice> = entries(read(EntryKind::Invoice, since)?)
            .into_iter()
            .filter_map(|e| match e {
                Entry::Invoice(invoice) => Some(invoice),
                _ => None,
            })
            .collect();
        if invoices.is_empty() {
            return Ok(());
        }
        // Money applied to an invoice is received after it is issued; a
        // month's grace covers a payment dated a little before.
        let applied_since = since - Duration::days(31);
        let payments: Vec<Payment> = entries(read(EntryKind::Payment, applied_since)?)
            .into_iter()
            .filter_map(|e| match e {
                Entry::Payment(payment) => Some(payment),
                _ => None,
            })
            .collect();
        let credits: Vec<Credit> = entries(read(EntryKind::Credit, applied_since)?)
            .into_iter()
            .filter_map(|e| match e {
                Entry::Credit(credit) => Some(credit),
                _ => None,
            })
            .collect();
        let recent_since = run.at - Duration::hours(i64::from(run.settings.lookback_hours));
        let recent: Vec<&Payment> = payments
            .iter()
            .filter(|p| run.settings.partial_payment.enabled && p.at >= recent_since)
            .collect();
        let balances: HashMap<EntryId, InvoiceBalance> =
            Ledger::new(invoices.clone(), payments.clone(), credits)
                .invoice_balances()
                .into_iter()
                .map(|b| (b.invoice_id, b))
                .collect();
        let open = |id: &EntryId| balances.get(id).filter(|b| b.remaining > Decimal::ZERO);
        let after_due = Duration::days(i64::from(run.settings.days_after_due));
        let last_day = run.zone.date_of(run.until);
        let overdue: Vec<&Invoice> = invoices
            .iter()
            .filter(|i| {
                run.settings.balance_overdue.enabled
                    && i.due_on + after_due <= last_day
                    && open(&i.id).is_some()
            })
            .collect();
        let customers = self.live_customers(
            overdue
                .iter()
                .map(|i| i.customer_id)
                .chain(recent.iter().map(|p| p.customer_id)),
        )?;
        for invoice in overdue {
            let (Some(customer), Some(balance)) =
                (customers.get(&invoice.customer_id), open(&invoice.id))
            else {
                continue;
            };
            let day = invoice.due_on + after_due;
            let Some(send_at) = run
                .zone
                .instant_of(day.and_time(run.settings.reminder_time))
            else {
                continue;
            };
            let Some(to) = recipient(customer, true) else {
                continue;
            };
            let remaining = run.money(balance.remaining);
            let (number, due_on) = (invoice.number.clone(), invoice.due_on);
            let draft = Draft {
                rule: OutboxRule::BalanceOverdue,
                customer,
                to: Some(to),
                about: invoice.id.to_string(),
                reason: format!(
                    "invoice {} due {} has {remaining} remaining",
                    invoice.number, invoice.due_on
                ),
                location_id: invoice.location_id,
                visit_date: None,
                entry_id: Some(invoice.id),
                send_at,
                deadline: None,
            };
            run.finish(draft, &|language| {
                vec![
                    ("remaining_balance", remaining.clone()),
                    ("invoice_numbers", number.clone()),
                    ("due_date", spoken_date(due_on, language)),
                ]
            });
        }
        for payment in recent {
            let Some(customer) = customers.get(&payment.customer_id) else {
                continue;
            };
            let still_open: Vec<&InvoiceBalance> = payment
                .applications
                .iter()
                .filter_map(|a| open(&a.invoice_id))
                .collect();
            if still_open.is_empty() {
                continue;
            }
            let Some(to) = recipient(customer, true) else {
                continue;
            };
            let remaining = run.money(
                still_open
                    .iter()
                    .fold(Decimal::ZERO, |sum, b| sum.saturating_add(b.remaining)),
            );
            let numbers: Vec<String> = still_open.iter().map(|b| b.number.clone()).collect();
            let amount = run.money(payment.amount);
            let draft = Draft {
                rule: OutboxRule::PartialPayment,
                customer,
                to: Some(to),
                about: payment.id.to_string(),
                reason: format!(
                    "payment of {amount} on {} leaves {remaining} on invoice {}",
                    payment.received_on,
                    numbers.join(", ")
                ),
                location_id: None,
                visit_date: None,
                entry_id: Some(payment.id),
                send_at: payment.at,
                deadline: None,
            };
            run.finish(draft, &|language| {
                vec![
                    ("payment_amount", amount.clone()),
                    ("remaining_balance", remaining.clone()),
                    ("invoice_numbers", joined(&numbers, language)),
                ]
            });
        }
        Ok(())
    }

    /// A note of what was done for each issue the customer raised (linked
    /// from their feedback, or opened within two days of a message from
    /// them) and resolved within the lookback.
    fn issue_followups(&self, run: &mut Run) -> Result<()> {
        let since = run.at - Duration::hours(i64::from(run.settings.lookback_hours));
        let issues = self.store.entries(&EntryQuery {
            kinds: vec![EntryKind::Issue],
            status: Some(IssueStatus::Resolved.as_str().to_owned()),
            since: Some(run.at - Duration::days(ACCOUNT_LOOKBACK_DAYS)),
            ..EntryQuery::default()
        })?;
        let resolved: Vec<_> = issues
            .iter()
            .filter_map(|stored| match &stored.entry {
                Entry::Issue(issue)
                    if issue
                        .resolved_at
                        .is_some_and(|at| at >= since && at <= run.until) =>
                {
                    Some(issue)
                }
                _ => None,
            })
            .collect();
        let customers = self.live_customers(resolved.iter().map(|i| i.customer_id))?;
        for issue in resolved {
            let Some(customer) = customers.get(&issue.customer_id) else {
                continue;
            };
            let told_us = self.store.entries(&EntryQuery {
                customer_id: Some(customer.id),
                kinds: vec![EntryKind::Feedback, EntryKind::Message],
                until: Some(issue.at + Duration::hours(1)),
                ..EntryQuery::default()
            })?;
            let raised = told_us.iter().any(|stored| match &stored.entry {
                Entry::Feedback(feedback) => feedback.issue_id == Some(issue.id),
                Entry::Message(message) => {
                    message.direction == Direction::Inbound
                        && issue.at - message.at <= Duration::hours(RAISED_WITHIN_HOURS)
                }
                _ => false,
            });
            if !raised {
                continue;
            }
            let Some(to) = recipient(customer, false) else {
                continue;
            };
            let (summary, resolution) = (
                issue.summary.clone(),
                issue.resolution.clone().unwrap_or_default(),
            );
            let draft = Draft {
                rule: OutboxRule::IssueFollowup,
                customer,
                to: Some(to),
                about: issue.id.to_string(),
                reason: format!("issue resolved: {}", issue.summary),
                location_id: issue.location_id,
                visit_date: None,
                entry_id: Some(issue.id),
                send_at: issue.resolved_at.unwrap_or(run.at),
                deadline: None,
            };
            run.finish(draft, &|_| {
                vec![
                    ("issue_summary", summary.clone()),
                    ("resolution", resolution.clone()),
                ]
            });
        }
        Ok(())
    }

    /// An alert to the office for each lead whose first message within the
    /// lookback has had no answer from staff for `lead_answer_minutes`.
    fn lead_followups(&self, run: &mut Run) -> Result<()> {
        let since = run.at - Duration::hours(i64::from(run.settings.lookback_hours));
        let wait = Duration::minutes(i64::from(run.settings.lead_answer_minutes));
        let mut leads = Vec::new();
        self.each_customer(LifecycleStatus::Lead, &mut |customer| {
            leads.push(customer.clone());
        })?;
        for lead in &leads {
            let touchpoints = self.store.touchpoints(&TouchpointQuery {
                customer_id: Some(lead.id),
                since: Some(since),
                ..TouchpointQuery::default()
            })?;
            let Some(first) = touchpoints
                .iter()
                .find(|t| t.direction == Direction::Inbound && t.actor == Actor::Customer)
            else {
                continue;
            };
            let answered = touchpoints.iter().any(|t| {
                t.at >= first.at && t.direction == Direction::Outbound && t.actor == Actor::Staff
            });
            if answered {
                continue;
            }
            let send_at = first.at + wait;
            let waited = waiting_words((send_at.max(run.at) - first.at).num_minutes());
            let first_contact = run
                .zone
                .local(first.at)
                .format("%Y-%m-%d %H:%M")
                .to_string();
            let channel = first.channel.label();
            let draft = Draft {
                rule: OutboxRule::LeadFollowup,
                customer: lead,
                to: None,
                about: format!("{}:{}", lead.id, first.id),
                reason: format!(
                    "lead {} unanswered since {first_contact}",
                    lead.display_name
                ),
                location_id: None,
                visit_date: None,
                entry_id: None,
                send_at,
                deadline: None,
            };
            run.finish(draft, &|_| {
                vec![
                    ("waiting_time", waited.clone()),
                    ("first_contact", first_contact.clone()),
                    ("lead_channel", channel.clone()),
                ]
            });
        }
        Ok(())
    }

    /// Calls `visit` with every live customer of `status`, a page at a time.
    fn each_customer(
        &self,
        status: LifecycleStatus,
        visit: &mut dyn FnMut(&Customer),
    ) -> Result<()> {
        let mut after = None;
        loop {
            let page = self.store.customers(&CustomerQuery {
                status: Some(status),
                archived: ArchivedFilter::Exclude,
                after,
                limit: Some(CUSTOMER_PAGE),
                ..CustomerQuery::default()
            })?;
            for customer in &page {
                visit(customer);
            }
            if page.len() < CUSTOMER_PAGE as usize {
                return Ok(());
            }
            after = page.last().map(|c| c.id);
        }
    }

    /// The live customers among `ids`, by id.
    fn live_customers(
        &self,
        ids: impl Iterator<Item = CustomerId>,
    ) -> Result<HashMap<CustomerId, Customer>> {
        let mut ids: Vec<CustomerId> = ids.collect();
        ids.sort();
        ids.dedup();
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            for customer in self.store.customers_by_id(chunk)? {
                if customer.archived_at.is_none() {
                    out.insert(customer.id, customer);
                }
            }
        }
        Ok(out)
    }

    fn saved_templates(&self) -> Result<Vec<MessageTemplate>> {
        match self.store.setting(TEMPLATES_KEY)? {
            None => Ok(Vec::new()),
            Some(text) => serde_json::from_str(&text)
                .map_err(|error| Error::storage("reading the message templates", error)),
        }
    }

    fn put_templates(&self, mut templates: Vec<MessageTemplate>, author: &Author) -> Result<()> {
        sorting::sort_by(&mut templates, |a, b| {
            (a.rule, &a.variant).cmp(&(b.rule, &b.variant))
        });
        let before = self.store.setting(TEMPLATES_KEY)?.unwrap_or_default();
        let after = serde_json::to_string(&templates)
            .map_err(|error| Error::storage("encoding the message templates", error))?;
        self.put_setting(TEMPLATES_KEY, &before, &after, author)
    }

    fn outbox_record(&self, key: &str) -> Result<Option<OutboxRecord>> {
        Ok(self
            .store
            .outbox_records(&OutboxQuery {
                keys: vec![key.trim().to_owned()],
                ..OutboxQuery::default()
            })?
            .into_iter()
            .next())
    }

    /// The record of a message that was sent and not yet reported failed.
    fn sent_record(&self, key: &str) -> Result<OutboxRecord> {
        let record = self
            .outbox_record(key)?
            .ok_or_else(|| Error::not_found(EntityKind::OutboxMessage, key.trim()))?;
        match (record.status, record.failed_at) {
            (OutboxStatus::Failed, Some(at)) => Err(Error::invalid(
                "key",
                format!("the message was reported failed at {at}"),
            )),
            _ => Ok(record),
        }
    }

    fn put_record(
        &self,
        before: &OutboxRecord,
        after: OutboxRecord,
        author: &Author,
    ) -> Result<OutboxRecord> {
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes: vec![Write::PutOutboxRecord(after.clone())],
            changes: vec![record_change(Some(before), &after)],
        })?;
        Ok(after)
    }
}

/// Checks and normalises outbox settings.
fn check_settings(settings: &mut OutboxSettings) -> Result<()> {
    let mut languages: Vec<String> = Vec::new();
    for (index, language) in settings.languages.iter().enumerate() {
        let tag = primary_language(language);
        if tag.is_empty() || tag.len() > 8 || !tag.chars().all(|c| c.is_ascii_lowercase()) {
            return Err(Error::invalid(
                format!("languages[{index}]"),
                "must be a language tag such as en or es",
            ));
        }
        if languages.contains(&tag) {
            return Err(Error::invalid(
                format!("languages[{index}]"),
                format!("{tag} is listed twice"),
            ));
        }
        languages.push(tag);
    }
    if languages.is_empty() || languages.len() > 10 {
        return Err(Error::invalid("languages", "must list 1 to 10 languages"));
    }
    settings.languages = languages;
    settings.currency_symbol = settings.currency_symbol.trim().to_owned();
    if settings.currency_symbol.chars().count() > 8 {
        return Err(Error::invalid(
            "currency_symbol",
            "is longer than 8 characters",
        ));
    }
    if let Some(email) = &mut settings.office_email {
        *email = email.trim().to_owned();
        if email.chars().count() > 254 || !email.contains('@') || email.starts_with('@') {
            return Err(Error::invalid("office_email", "is not an email address"));
        }
    }
    let bounded = [
        ("days_after_due", settings.days_after_due, 0, 365),
        (
            "lead_answer_minutes",
            settings.lead_answer_minutes,
            1,
            10_080,
        ),
        ("lookback_hours", settings.lookback_hours, 1, 24 * 60),
    ];
    for (field, value, low, high) in bounded {
        if value < low || value > high {
            return Err(Error::invalid(
                field,
                format!("must be between {low} and {high}"),
            ));
        }
    }
    Ok(())
}

/// The change-log row of a new history entry.
fn created(entry: &Entry) -> NewChange {
    NewChange {
        entity: EntityKind::Entry,
        entity_id: entry.id().to_string(),
        customer_id: Some(entry.customer_id()),
        action: ChangeAction::Created,
        changes: changes::field_changes(None, Some(&changes::to_map(entry))),
    }
}

/// The change-log row of an outbox record, new or changed.
fn record_change(before: Option<&OutboxRecord>, after: &OutboxRecord) -> NewChange {
    NewChange {
        entity: EntityKind::OutboxMessage,
        entity_id: after.key.clone(),
        customer_id: Some(after.customer_id),
        action: if before.is_some() {
            ChangeAction::Updated
        } else {
            ChangeAction::Created
        },
        changes: changes::field_changes(
            before.map(changes::to_map).as_ref(),
            Some(&changes::to_map(after)),
        ),
    }
}
