//! Importing journey events in the Segment spec format: newline-delimited
//! JSON with `identify`, `track` and `page` calls (`messageId`,
//! `anonymousId`, `userId`, `timestamp`, `context.campaign`, `properties`).
//!
//! Each good line becomes a touchpoint (or, for `identify`, a visitor link);
//! a bad line is reported with its number and reason and does not stop the
//! others; everything good lands in one transaction. Events are keyed by
//! (`segment`, messageId), so importing the same file again adds nothing.

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::book::Book;
use crate::book::TouchpointChecker;
use crate::domain::journey::check_visitor_id;
use crate::foundation::sorting;
use crate::model::{Actor, Direction, JourneyChannel, Touchpoint, actions};
use crate::store::Write;
use crate::{Author, CustomerId, Error, Result};

/// The source system imported events are recorded under.
pub const SEGMENT_SOURCE: &str = "segment";

/// The most events one import takes (it is one transaction); a larger file
/// is refused whole, to be imported in parts.
pub const MAX_IMPORT_EVENTS: usize = 100_000;

/// The longest line of an event file: 64 KiB (a touchpoint's properties are
/// at most 16 KiB). A longer line is rejected without being read whole.
pub const MAX_EVENT_LINE_BYTES: usize = 64 * 1024;

/// How event names become touchpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EventMapping {
    /// `track` event name → the touchpoint it becomes. Unmapped names become
    /// `unmapped_channel` with the event name as the action.
    pub events: BTreeMap<String, EventTarget>,
    /// The channel of unmapped `track` events.
    pub unmapped_channel: JourneyChannel,
    /// The channel of `page` calls.
    pub page_channel: JourneyChannel,
}

/// The touchpoint an event name becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EventTarget {
    /// The journey channel.
    pub channel: JourneyChannel,
    /// The journey action.
    pub action: String,
}

impl Default for EventMapping {
    /// Common event names: "Estimate Requested" → website estimate_requested,
    /// "Payment Made" → portal payment_made, "Email Opened" → email, and so on.
    fn default() -> Self {
        let events = [
            (
                "Estimate Requested",
                JourneyChannel::Website,
                actions::ESTIMATE_REQUESTED,
            ),
            (
                "Payment Made",
                JourneyChannel::Portal,
                actions::PAYMENT_MADE,
            ),
            (
                "Order Completed",
                JourneyChannel::Portal,
                actions::PAYMENT_MADE,
            ),
            ("Email Opened", JourneyChannel::Email, actions::EMAIL_OPENED),
            (
                "Email Link Clicked",
                JourneyChannel::Email,
                actions::EMAIL_CLICKED,
            ),
            (
                "Portal Login",
                JourneyChannel::Portal,
                actions::PORTAL_LOGIN,
            ),
            (
                "Statement Viewed",
                JourneyChannel::Portal,
                actions::STATEMENT_VIEWED,
            ),
            ("Review Left", JourneyChannel::Social, actions::REVIEW_LEFT),
        ]
        .into_iter()
        .map(|(name, channel, action)| {
            let action = action.to_owned();
            (name.to_owned(), EventTarget { channel, action })
        })
        .collect();
        EventMapping {
            events,
            unmapped_channel: JourneyChannel::Other,
            page_channel: JourneyChannel::Website,
        }
    }
}

/// A line that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RejectedLine {
    /// 1-based line number in the file.
    pub line: u64,
    /// Why.
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportReport {
    /// Touchpoints and visitor links added.
    pub added: u64,
    /// Events already present (from an earlier import or earlier in the file).
    pub skipped: u64,
    /// Events that describe an operation the book already recorded (an
    /// `Order Completed` for a payment in the ledger): matched to it, not
    /// stored again.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub matched: u64,
    /// Lines refused, with their numbers and reasons.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub rejected: Vec<RejectedLine>,
}

/// One parsed line.
enum Event {
    /// A touchpoint, and the `userId` it named, if any.
    Touch(Box<Touchpoint>, Option<String>),
    Identify {
        visitor_id: String,
        customer_id: CustomerId,
    },
}

impl Book {
    /// Imports Segment-format events from `input` (see the module
    /// documentation). The report counts what was added, skipped as already
    /// present, and rejected (by line number, with the reason).
    pub fn import_segment_events(
        &self,
        mut input: impl BufRead,
        mapping: &EventMapping,
        author: &Author,
    ) -> Result<ImportReport> {
        author.check()?;
        let mut report = ImportReport::default();
        let mut checker = TouchpointChecker::new(self)?;
        let mut touchpoints = Vec::new();
        let mut links: HashMap<String, CustomerId> = HashMap::new();
        let mut customers: HashMap<String, Option<CustomerId>> = HashMap::new();
        let mut buffer = Vec::new();
        let mut events = 0;
        for number in 1.. {
            let Some(fits) = next_line(&mut input, &mut buffer)
                .map_err(|error| Error::storage("reading the event file", error))?
            else {
                break;
            };
            let mut reject = |reason: String| {
                report.rejected.push(RejectedLine {
                    line: number as u64,
                    reason,
                })
            };
            if !fits {
                reject(format!("is longer than {MAX_EVENT_LINE_BYTES} bytes"));
                continue;
            }
            let Ok(line) = std::str::from_utf8(&buffer) else {
                reject("is not UTF-8 text".to_owned());
                continue;
            };
            if line.trim().is_empty() {
                continue;
            }
            events += 1;
            if events > MAX_IMPORT_EVENTS {
                return Err(Error::invalid(
                    "input",
                    format!(
                        "has more than {MAX_IMPORT_EVENTS} events; import the file in parts \
                         (nothing was imported)"
                    ),
                ));
            }
            let event = match parse_line(line, mapping) {
                Ok(event) => event,
                Err(reason) => {
                    reject(reason);
                    continue;
                }
            };
            match event {
                Event::Touch(touchpoint, user) => {
                    let mut touchpoint = *touchpoint;
                    if let Some(user) = user {
                        match self.known_customer(&user, &mut customers)? {
                            Some(id) => touchpoint.customer_id = Some(id),
                            None => {
                                reject(format!("userId '{user}' names no customer in this book"));
                                continue;
                            }
                        }
                    }
                    match checker.check(touchpoint, "event") {
                        Ok(Some(touchpoint)) => touchpoints.push(touchpoint),
                        Ok(None) => {} // a repeat within the file: counted by the checker
                        Err(error) => reject(error.to_string()),
                    }
                }
                Event::Identify {
                    visitor_id,
                    customer_id,
                } => {
                    if self
                        .known_customer(&customer_id.to_string(), &mut customers)?
                        .is_none()
                    {
                        reject(format!(
                            "userId '{customer_id}' names no customer in this book"
                        ));
                        continue;
                    }
                    let existing = match links.get(&visitor_id) {
                        Some(id) => Some(*id),
                        None => self.store.visitor_link(&visitor_id)?,
                    };
                    match existing {
                        Some(id) if id == customer_id => report.skipped += 1,
                        Some(_) => {
                            reject("anonymousId is already linked to another customer".to_owned())
                        }
                        None => {
                            links.insert(visitor_id, customer_id);
                        }
                    }
                }
            }
        }
        let (touchpoints, matched) = self.match_operations(touchpoints)?;
        report.matched = matched as u64;
        let offered = touchpoints.len();
        // The loop added a link only where none was stored: all are new.
        let fresh_links: Vec<(String, CustomerId)> = links.into_iter().collect();
        let at = crate::book::now();
        let writes = fresh_links
            .iter()
            .map(|(visitor_id, customer_id)| Write::LinkVisitor {
                visitor_id: visitor_id.clone(),
                customer_id: *customer_id,
                at,
            })
            .collect();
        let changes = fresh_links
            .iter()
            .map(|(visitor_id, customer_id)| {
                crate::book::link_change(visitor_id, *customer_id, crate::ChangeAction::Linked)
            })
            .collect();
        let skipped = self.store_touchpoints(touchpoints, writes, changes, author)?;
        report.added += (offered - skipped + fresh_links.len()) as u64;
        report.skipped += (skipped + checker.repeated) as u64;
        sorting::sort_by_key(&mut report.rejected, |r| r.line);
        Ok(report)
    }

    /// The customer a Segment `userId` names, if it is a customer id in this book.
    fn known_customer(
        &self,
        user: &str,
        cache: &mut HashMap<String, Option<CustomerId>>,
    ) -> Result<Option<CustomerId>> {
        if let Some(known) = cache.get(user) {
            return Ok(*known);
        }
        let found = match user.parse::<CustomerId>() {
            Ok(id) => match self.customer(id) {
                Ok(_) => Some(id),
                Err(Error::NotFound { .. }) => None,
                Err(other) => return Err(other),
            },
            Err(_) => None,
        };
        cache.insert(user.to_owned(), found);
        Ok(found)
    }
}

fn text<'a>(event: &'a Value, key: &str) -> Option<&'a str> {
    event
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Reads one line into an event, or says why not.
/// Reads the next line of `input` into `buffer` (without its line end), at
/// most [`MAX_EVENT_LINE_BYTES`] of it: `None` at the end of the input,
/// `Some(false)` for a longer line, whose rest is skipped unread into memory.
fn next_line(input: &mut impl BufRead, buffer: &mut Vec<u8>) -> std::io::Result<Option<bool>> {
    use std::io::Read;
    buffer.clear();
    let limit = MAX_EVENT_LINE_BYTES as u64 + 1;
    if input.by_ref().take(limit).read_until(b'\n', buffer)? == 0 {
        return Ok(None);
    }
    if buffer.last() == Some(&b'\n') {
        buffer.pop();
        if buffer.last() == Some(&b'\r') {
            buffer.pop();
        }
        return Ok(Some(buffer.len() <= MAX_EVENT_LINE_BYTES));
    }
    if buffer.len() <= MAX_EVENT_LINE_BYTES {
        return Ok(Some(true)); // the last line, without a line end
    }
    let mut rest = Vec::new();
    loop {
        rest.clear();
        let read = input.by_ref().take(limit).read_until(b'\n', &mut rest)?;
        if read == 0 || rest.last() == Some(&b'\n') {
            return Ok(Some(false));
        }
    }
}

fn parse_line(line: &str, mapping: &EventMapping) -> std::result::Result<Event, String> {
    let event: Value =
        serde_json::from_str(line).map_err(|error| format!("not valid JSON: {error}"))?;
    if !event.is_object() {
        return Err("not a JSON object".to_owned());
    }
    let kind = text(&event, "type").ok_or("missing 'type'")?;
    let anonymous = text(&event, "anonymousId")
        .map(|id| check_visitor_id(id, "anonymousId").map_err(|e| e.to_string()))
        .transpose()?;
    let user = text(&event, "userId");
    if kind == "identify" {
        let visitor_id = anonymous.ok_or("an identify call needs an anonymousId to link")?;
        let user = user.ok_or("an identify call needs a userId")?;
        let customer_id = user
            .parse::<CustomerId>()
            .map_err(|_| format!("userId '{user}' is not a customer id"))?;
        return Ok(Event::Identify {
            visitor_id,
            customer_id,
        });
    }
    let message_id = text(&event, "messageId").ok_or("missing 'messageId'")?;
    let timestamp = text(&event, "timestamp").ok_or("missing 'timestamp'")?;
    let at: DateTime<Utc> = DateTime::parse_from_rfc3339(timestamp)
        .map_err(|_| format!("'timestamp' is not an ISO 8601 time: {timestamp}"))?
        .with_timezone(&Utc);
    let (channel, action) = match kind {
        "track" => {
            let name = text(&event, "event").ok_or("a track call needs an 'event' name")?;
            mapping
                .events
                .get(name)
                .map_or((mapping.unmapped_channel, name.to_owned()), |target| {
                    (target.channel, target.action.clone())
                })
        }
        "page" => (mapping.page_channel, actions::PAGE_VIEWED.to_owned()),
        other => {
            return Err(format!(
                "unsupported type '{other}' (expected identify, track or page)"
            ));
        }
    };
    if anonymous.is_none() && user.is_none() {
        return Err("needs an anonymousId or a userId".to_owned());
    }
    let mut touchpoint =
        Touchpoint::by_visitor(anonymous.clone().unwrap_or_default(), at, channel, action);
    touchpoint.visitor_id = anonymous;
    touchpoint.direction = Direction::Inbound;
    touchpoint.actor = Actor::Customer;
    touchpoint.source_system = Some(SEGMENT_SOURCE.to_owned());
    touchpoint.source_event_id = Some(message_id.to_owned());
    if let Some(campaign) = event.pointer("/context/campaign") {
        touchpoint.campaign = text(campaign, "name").map(str::to_owned);
        touchpoint.source = text(campaign, "source").map(str::to_owned);
    }
    if let Some(Value::Object(properties)) = event.get("properties") {
        touchpoint.properties = properties
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some(value) = properties
            .get("revenue")
            .or_else(|| properties.get("value"))
        {
            touchpoint.value = value
                .as_f64()
                .and_then(rust_decimal::Decimal::from_f64_retain)
                .map(|d| d.round_dp(2));
        }
    }
    Ok(Event::Touch(Box::new(touchpoint), user.map(str::to_owned)))
}
