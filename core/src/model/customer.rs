//! The account: customer, contacts, billing and preferences.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Address, ServiceLocation, TimeWindow, Weekday};
use crate::{ContactId, CustomerId};

crate::text_enum! {
    /// What sort of account this is.
    pub enum CustomerKind {
        /// A household.
        Residential = "residential",
        /// A business: hotel, gym, apartment complex.
        Commercial = "commercial",
        /// A homeowners' association.
        Hoa = "hoa",
        /// A property-management company with many properties.
        PropertyManagement = "property_management",
        /// A city, school or other public body.
        Municipal = "municipal",
        /// Anything else.
        Other = "other",
    }
}

crate::text_enum! {
    /// Where the account is in its life.
    pub enum LifecycleStatus {
        /// Interested, not yet served.
        Lead = "lead",
        /// Being served.
        Active = "active",
        /// Service on hold (winter, travel).
        Paused = "paused",
        /// No longer served.
        Cancelled = "cancelled",
    }
}

crate::text_enum! {
    /// What a billing rate is charged per.
    pub enum RateBasis {
        /// Charged for each visit.
        PerVisit = "per_visit",
        /// Charged once a month.
        Monthly = "monthly",
        /// Charged once for the season: the dates of the location's service plan.
        PerSeason = "per_season",
        /// Charged once for each billing period invoiced, whatever was done.
        Flat = "flat",
    }
}

crate::text_enum! {
    /// The role a contact plays on the account.
    pub enum ContactRole {
        /// Owns the property.
        Owner = "owner",
        /// Lives there, does not own it.
        Tenant = "tenant",
        /// Manages the property for the owner.
        PropertyManager = "property_manager",
        /// Receives and pays the bills.
        Billing = "billing",
        /// Any other role.
        Other = "other",
    }
}

crate::text_enum! {
    /// A way of reaching a contact.
    pub enum ContactChannel {
        /// A voice call.
        Phone = "phone",
        /// A text message.
        Sms = "sms",
        /// An email.
        Email = "email",
        /// Postal mail.
        Mail = "mail",
        /// The customer portal.
        Portal = "portal",
    }
}

crate::text_enum! {
    /// Whether a contact agreed to be reached on a channel.
    pub enum ConsentStatus {
        /// Agreed.
        OptedIn = "opted_in",
        /// Refused or withdrew.
        OptedOut = "opted_out",
    }
}

/// A customer account: the one organised record of everything the company knows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Customer {
    /// Identifier.
    pub id: CustomerId,
    /// What sort of account.
    pub kind: CustomerKind,
    /// The name shown everywhere: "Maria Lopez", "Sunset HOA".
    pub display_name: String,
    /// Lead, active, paused or cancelled.
    pub status: LifecycleStatus,
    /// How the account is billed.
    pub billing: Billing,
    /// Free labels, trimmed and unique.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tags: Vec<String>,
    /// Company-specific fields.
    pub custom_fields: BTreeMap<String, String>,
    /// People on the account.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contacts: Vec<Contact>,
    /// Properties served.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub locations: Vec<ServiceLocation>,
    /// How the customer wants to be treated.
    pub preferences: Preferences,
    /// When the record was created.
    pub created_at: DateTime<Utc>,
    /// When the record last changed.
    pub updated_at: DateTime<Utc>,
    /// When the record was archived; `None` while it is live.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub archived_at: Option<DateTime<Utc>>,
    /// Optimistic-concurrency version: starts at 1, grows by one per change.
    pub version: i64,
}

impl Customer {
    /// The contact with this id, if it is on the account.
    pub fn contact(&self, id: ContactId) -> Option<&Contact> {
        self.contacts.iter().find(|contact| contact.id == id)
    }

    /// The primary contact, if one is marked.
    pub fn primary_contact(&self) -> Option<&Contact> {
        self.contacts.iter().find(|contact| contact.primary)
    }

    /// The location with this id, if it belongs to the account.
    pub fn location(&self, id: crate::LocationId) -> Option<&ServiceLocation> {
        self.locations.iter().find(|location| location.id == id)
    }
}

/// Everything needed to create a customer. The id is made on creation of this
/// value, so a record can be built offline and referred to before it is saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewCustomer {
    /// Identifier the customer will have.
    pub id: CustomerId,
    /// What sort of account.
    pub kind: CustomerKind,
    /// The name shown everywhere.
    pub display_name: String,
    /// Lifecycle status; new accounts default to active.
    pub status: LifecycleStatus,
    /// How the account is billed.
    pub billing: Billing,
    /// Free labels.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tags: Vec<String>,
    /// Company-specific fields.
    pub custom_fields: BTreeMap<String, String>,
    /// People on the account.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contacts: Vec<Contact>,
    /// Properties served.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub locations: Vec<ServiceLocation>,
    /// How the customer wants to be treated.
    pub preferences: Preferences,
}

impl NewCustomer {
    /// An active customer of `kind` named `display_name`, with nothing else yet.
    pub fn new(kind: CustomerKind, display_name: impl Into<String>) -> Self {
        NewCustomer {
            id: CustomerId::new(),
            kind,
            display_name: display_name.into(),
            status: LifecycleStatus::Active,
            billing: Billing::default(),
            tags: Vec::new(),
            custom_fields: BTreeMap::new(),
            contacts: Vec::new(),
            locations: Vec::new(),
            preferences: Preferences::default(),
        }
    }

    /// Adds a contact.
    pub fn with_contact(mut self, contact: Contact) -> Self {
        self.contacts.push(contact);
        self
    }

    /// Adds a service location.
    pub fn with_location(mut self, location: ServiceLocation) -> Self {
        self.locations.push(location);
        self
    }

    /// Sets how the customer wants to be treated.
    pub fn with_preferences(mut self, preferences: Preferences) -> Self {
        self.preferences = preferences;
        self
    }

    /// Adds a tag.
    pub fn with_tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }
}

/// A partial update: each `Some` field replaces the stored one, each `None`
/// leaves it alone. Lists (contacts, locations, tags) are replaced whole; a
/// contact or location left out of its list is archived, and putting it back
/// (same id) restores it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CustomerPatch {
    /// New kind.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub kind: Option<CustomerKind>,
    /// New display name.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub display_name: Option<String>,
    /// New lifecycle status.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub status: Option<LifecycleStatus>,
    /// New billing details.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub billing: Option<Billing>,
    /// New tags.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tags: Option<Vec<String>>,
    /// New custom fields.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom_fields: Option<BTreeMap<String, String>>,
    /// New contact list.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contacts: Option<Vec<Contact>>,
    /// New location list.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub locations: Option<Vec<ServiceLocation>>,
    /// New preferences.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub preferences: Option<Preferences>,
}

/// How an account is billed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Billing {
    /// Where bills go, if not to the service location.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub address: Option<Address>,
    /// The agreed rate in the book's currency.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub rate: Option<Decimal>,
    /// What the rate is charged per.
    pub rate_basis: RateBasis,
    /// Days after the invoice date that payment is due (0: on receipt).
    pub terms_days: u32,
    /// The rate's rule for skipped visits (per-visit rates): visits skipped
    /// for these reasons are still charged (a locked gate, a dog out);
    /// others are listed at no charge. Empty: no skipped visit is charged.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub billed_skips: Vec<crate::model::SkipReason>,
}

impl Default for Billing {
    fn default() -> Self {
        Billing {
            address: None,
            rate: None,
            rate_basis: RateBasis::PerVisit,
            terms_days: 15,
            billed_skips: Vec::new(),
        }
    }
}

/// A person with a role on the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Contact {
    /// Identifier.
    pub id: ContactId,
    /// Full name.
    pub name: String,
    /// Role on the account.
    pub role: ContactRole,
    /// Phone numbers, stored in E.164 form.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub phones: Vec<Phone>,
    /// Email addresses.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub emails: Vec<String>,
    /// Whether this is the account's main contact (at most one is).
    pub primary: bool,
    /// Consent per channel (at most one entry per channel).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub consents: Vec<Consent>,
}

impl Contact {
    /// A contact with a fresh id and nothing but a name and role.
    pub fn new(name: impl Into<String>, role: ContactRole) -> Self {
        Contact {
            id: ContactId::new(),
            name: name.into(),
            role,
            phones: Vec::new(),
            emails: Vec::new(),
            primary: false,
            consents: Vec::new(),
        }
    }

    /// Adds a phone number (any common formatting; normalised on save).
    pub fn with_phone(mut self, number: impl Into<String>, sms_capable: bool) -> Self {
        self.phones.push(Phone {
            number: number.into(),
            label: None,
            sms_capable,
        });
        self
    }

    /// Adds an email address.
    pub fn with_email(mut self, email: impl Into<String>) -> Self {
        self.emails.push(email.into());
        self
    }

    /// Marks the contact as the account's primary contact.
    pub fn primary(mut self) -> Self {
        self.primary = true;
        self
    }

    /// The recorded consent for `channel`, if any.
    pub fn consent(&self, channel: ContactChannel) -> Option<&Consent> {
        self.consents
            .iter()
            .find(|consent| consent.channel == channel)
    }
}

/// A phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Phone {
    /// The number; E.164 (`+15550102233`) once saved.
    pub number: String,
    /// A label such as "mobile" or "office".
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub label: Option<String>,
    /// Whether the number receives text messages.
    pub sms_capable: bool,
}

/// A contact's consent to be reached on one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Consent {
    /// The channel it concerns.
    pub channel: ContactChannel,
    /// Opted in or out.
    pub status: ConsentStatus,
    /// When it was given or withdrawn.
    pub recorded_at: DateTime<Utc>,
    /// How it was obtained: "web form", "verbal, on the phone", "replied STOP".
    pub method: String,
}

/// How the customer wants to be treated. Stored as JSON; fields missing from
/// an older record read as their defaults.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Preferences {
    /// Notice before each visit: which channel, which contact, how long before.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub notify_before_visit: Option<VisitNotice>,
    /// The channel the customer prefers in general.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub preferred_channel: Option<ContactChannel>,
    /// The day the customer would like service.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub preferred_service_day: Option<Weekday>,
    /// When not to contact the customer.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub quiet_hours: Option<TimeWindow>,
    /// Preferred language as a BCP 47 tag, e.g. `en` or `es-MX`.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub language: Option<String>,
    /// Things the customer worries about: "algae", "sensitive skin".
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub water_concerns: Vec<String>,
    /// Contact the customer only when service requires it.
    pub do_not_contact: bool,
}

/// "Text me before you come": notice before each visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VisitNotice {
    /// Channel to use.
    pub channel: ContactChannel,
    /// Contact to notify (must be on the account, reachable on the channel).
    pub contact_id: ContactId,
    /// How many minutes before arrival.
    pub lead_time_minutes: u32,
}

impl VisitNotice {
    /// Notice to `contact_id` on `channel`, `lead_time_minutes` before each visit.
    pub fn new(channel: ContactChannel, contact_id: ContactId, lead_time_minutes: u32) -> Self {
        VisitNotice {
            channel,
            contact_id,
            lead_time_minutes,
        }
    }
}

impl Preferences {
    /// Notice before each visit.
    pub fn with_visit_notice(mut self, notice: VisitNotice) -> Self {
        self.notify_before_visit = Some(notice);
        self
    }

    /// The channel the customer prefers in general.
    pub fn with_preferred_channel(mut self, channel: ContactChannel) -> Self {
        self.preferred_channel = Some(channel);
        self
    }

    /// The day the customer would like service.
    pub fn with_preferred_service_day(mut self, day: Weekday) -> Self {
        self.preferred_service_day = Some(day);
        self
    }

    /// When not to contact the customer.
    pub fn with_quiet_hours(mut self, quiet_hours: TimeWindow) -> Self {
        self.quiet_hours = Some(quiet_hours);
        self
    }

    /// The customer's language, a tag such as `es-MX`.
    pub fn with_language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// Something the customer worries about in their water.
    pub fn with_water_concern(mut self, concern: impl Into<String>) -> Self {
        self.water_concerns.push(concern.into());
        self
    }
}
