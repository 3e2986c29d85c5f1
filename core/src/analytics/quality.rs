//! The quality report: every live customer checked against the rules in
//! [`QUALITY_RULES`] (completeness by lifecycle, validity, placeholders,
//! consistency, timeliness, consent hygiene, duplicates), with counts per
//! rule and fill rates per field.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};

use crate::book::Book;
use crate::domain::linkage::{placeholder, placeholder_email, placeholder_phone, street_parts};
use crate::domain::phone::normalize;
use crate::domain::validate;
use crate::foundation::sorting;
use crate::model::{
    Address, ChangeLogQuery, ConsentStatus, ContactChannel, ContactRole, Customer, DuplicateQuery,
    EntryKind, EntryQuery, FillRate, LifecycleStatus, MatchBand, QualityFinding, QualityReport,
    RuleCount, Severity, VisitOutcome,
};
use crate::{CustomerId, EntityKind, Entry, Result};

/// An active customer with no completed visit in this many days is flagged.
pub const NO_VISIT_DAYS: i64 = 60;
/// A pool of an active customer with no readings in this many weeks is flagged.
pub const NO_READINGS_WEEKS: i64 = 4;
/// Contact details unchanged this many years on an account whose email
/// bounced are flagged.
pub const STALE_CONTACT_YEARS: i64 = 2;
/// The touchpoint action that records a bounced email.
pub const EMAIL_BOUNCED: &str = "email_bounced";

/// One rule of the quality report: its name, how much a finding matters,
/// what it checks and why that matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QualityRule {
    /// The rule's name in findings.
    pub rule: &'static str,
    /// How much a finding matters.
    pub severity: Severity,
    /// What the rule checks.
    pub checks: &'static str,
    /// Why it matters.
    pub why: &'static str,
}

const fn rule(
    rule: &'static str,
    severity: Severity,
    checks: &'static str,
    why: &'static str,
) -> QualityRule {
    QualityRule {
        rule,
        severity,
        checks,
        why,
    }
}

/// Every rule of the report, in report order. Some describe records that
/// validation already refuses on every new write (an unparsable phone, a
/// notice to an opted-out contact): those find what was stored before the
/// rule existed or written around it by an old import.
pub const QUALITY_RULES: &[QualityRule] = &[
    rule(
        "lead_unreachable",
        Severity::Critical,
        "A lead has no name, or no phone and no email on any contact.",
        "A lead nobody can call back is lost revenue, and it inflates the funnel's top.",
    ),
    rule(
        "active_without_service_address",
        Severity::Critical,
        "An active customer has no service location.",
        "Nobody can be routed to a customer without an address.",
    ),
    rule(
        "active_without_plan",
        Severity::Critical,
        "A location of an active customer has no service plan.",
        "Without a plan the visit never lands on a route: the pool goes green.",
    ),
    rule(
        "plan_without_day",
        Severity::Warning,
        "A service plan has no preferred weekday.",
        "Routes are built by day; a plan without one is scheduled by guesswork.",
    ),
    rule(
        "plan_without_technician",
        Severity::Critical,
        "A service plan of an active customer has no technician.",
        "A plan no technician owns is a visit nobody makes.",
    ),
    rule(
        "active_without_billing_contact",
        Severity::Warning,
        "An active customer has no billing contact and no primary contact.",
        "Invoices need somebody to go to; unbilled work is lost work.",
    ),
    rule(
        "gate_access_unknown",
        Severity::Warning,
        "A location of an active customer has no gate code, no key location and no \
         'no gate' note in its access notes.",
        "A technician standing at a locked gate loses the stop; say 'no gate' when there is none.",
    ),
    rule(
        "phone_invalid",
        Severity::Critical,
        "A phone number does not parse for the book's region.",
        "Calls and texts to it fail, and it cannot match a duplicate.",
    ),
    rule(
        "sms_to_landline",
        Severity::Warning,
        "Visit notices go by SMS to a contact with no SMS-capable phone.",
        "The customer never gets the notice they asked for.",
    ),
    rule(
        "email_invalid",
        Severity::Critical,
        "An email address has bad syntax.",
        "Every invoice and notice to it bounces.",
    ),
    rule(
        "email_domain_typo",
        Severity::Warning,
        "An email's domain is a common misspelling (gmial.com, hotmial.com).",
        "Mail goes nowhere, or to a stranger, while the record looks fine.",
    ),
    rule(
        "postal_code_mismatch",
        Severity::Warning,
        "A postal code does not have its country's shape (US: 12345 or 12345-6789).",
        "Routing, tax and mail all key on it; a wrong one sends a truck astray.",
    ),
    rule(
        "placeholder_value",
        Severity::Warning,
        "A name, phone, email or address is a placeholder (N/A, 555-555-5555, test@test.com).",
        "Placeholders look filled in, hide missing data from fill rates and fake matches.",
    ),
    rule(
        "same_address_different_names",
        Severity::Warning,
        "Two active customers have the same service address under different names.",
        "Usually a sold house still billed to the old owner, or a duplicate.",
    ),
    rule(
        "active_without_recent_visit",
        Severity::Warning,
        "An active customer has had no completed visit in 60 days.",
        "Either the status is wrong (a lost customer) or the service is slipping.",
    ),
    rule(
        "inactive_technician_assigned",
        Severity::Critical,
        "A service plan names a technician who is no longer active.",
        "The stop is on a route nobody drives.",
    ),
    rule(
        "preferred_day_differs",
        Severity::Info,
        "The customer's preferred service day differs from a plan's day.",
        "The customer expects one day and the technician comes another.",
    ),
    rule(
        "no_recent_readings",
        Severity::Warning,
        "A pool of an active customer has had no chemistry readings in 4 weeks.",
        "Water balance cannot be shown or defended without readings.",
    ),
    rule(
        "stale_contact_bounced_email",
        Severity::Warning,
        "An account whose email bounced has had no contact change in 2 years.",
        "The details are out of date and nobody has noticed.",
    ),
    rule(
        "notice_to_opted_out",
        Severity::Critical,
        "Visit notices go on a channel the contact opted out of.",
        "Messaging an opted-out contact breaks consent rules (TCPA, CAN-SPAM).",
    ),
    rule(
        "do_not_contact_with_reminders",
        Severity::Warning,
        "A do-not-contact customer still has a visit notice set.",
        "The customer asked to be left alone and will still be messaged.",
    ),
    rule(
        "possible_duplicate",
        Severity::Warning,
        "The customer is one of a likely duplicate pair (see duplicate_candidates).",
        "Duplicates split history, balances and the journey: reports mislead.",
    ),
];

/// Common misspellings of mail domains, and what was meant.
const DOMAIN_TYPOS: &[(&str, &str)] = &[
    ("gmial.com", "gmail.com"),
    ("gmai.com", "gmail.com"),
    ("gamil.com", "gmail.com"),
    ("gnail.com", "gmail.com"),
    ("gmail.co", "gmail.com"),
    ("gmail.cm", "gmail.com"),
    ("gmaill.com", "gmail.com"),
    ("hotmial.com", "hotmail.com"),
    ("hotmal.com", "hotmail.com"),
    ("hotmail.co", "hotmail.com"),
    ("yaho.com", "yahoo.com"),
    ("yahooo.com", "yahoo.com"),
    ("yahoo.co", "yahoo.com"),
    ("outlok.com", "outlook.com"),
    ("outloo.com", "outlook.com"),
    ("iclod.com", "icloud.com"),
    ("icloud.co", "icloud.com"),
    ("aol.co", "aol.com"),
    ("comcast.com", "comcast.net"),
];

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// Checks every live customer against [`QUALITY_RULES`] as of
    /// `as_of`: each finding (customer, field path, rule, severity, what
    /// is wrong), the count per rule (every rule listed), and how often
    /// each field is filled in. It changes nothing.
    pub fn quality_report(&self, as_of: DateTime<Utc>) -> Result<QualityReport> {
        let customers = self.every_live_customer()?;
        let technicians: HashMap<_, _> = self
            .store
            .technicians(true)?
            .into_iter()
            .map(|technician| (technician.id, technician.active))
            .collect();
        let plan = self.numbering_plan()?;
        let visits = self.store.entries(&EntryQuery {
            kinds: vec![EntryKind::Visit],
            since: Some(as_of - Duration::days(NO_VISIT_DAYS.max(NO_READINGS_WEEKS * 7))),
            until: Some(as_of),
            ..EntryQuery::default()
        })?;
        let mut last_visit: HashMap<CustomerId, DateTime<Utc>> = HashMap::new();
        let mut last_reading: HashMap<crate::BodyOfWaterId, DateTime<Utc>> = HashMap::new();
        for stored in &visits {
            let Entry::Visit(visit) = &stored.entry else {
                continue;
            };
            if visit.outcome == VisitOutcome::Completed {
                let last = last_visit.entry(visit.customer_id).or_insert(visit.at);
                *last = (*last).max(visit.at);
            }
            if let Some(body) = visit.body_of_water_id
                && !visit.readings.is_empty()
            {
                let last = last_reading.entry(body).or_insert(visit.at);
                *last = (*last).max(visit.at);
            }
        }
        let bounced = self.bounced_customers(as_of)?;

        let mut findings = Vec::new();
        let mut add = |customer: &Customer, field: String, rule: &str, message: String| {
            let severity = QUALITY_RULES
                .iter()
                .find(|r| r.rule == rule)
                .map_or(Severity::Info, |r| r.severity);
            findings.push(QualityFinding {
                customer_id: customer.id,
                field,
                rule: rule.to_owned(),
                severity,
                message,
            });
        };
        let mut addresses: BTreeMap<String, Vec<&Customer>> = BTreeMap::new();
        for customer in &customers {
            let active = customer.status == LifecycleStatus::Active;
            // Completeness by lifecycle.
            let reachable = customer
                .contacts
                .iter()
                .any(|c| !c.phones.is_empty() || !c.emails.is_empty());
            if customer.status == LifecycleStatus::Lead
                && (placeholder(&customer.display_name) || !reachable)
            {
                add(
                    customer,
                    "contacts".into(),
                    "lead_unreachable",
                    "the lead has no name or no phone or email to reach them".into(),
                );
            }
            if active && customer.locations.is_empty() {
                add(
                    customer,
                    "locations".into(),
                    "active_without_service_address",
                    "an active customer with no service location".into(),
                );
            }
            if active
                && !customer
                    .contacts
                    .iter()
                    .any(|c| c.primary || c.role == ContactRole::Billing)
            {
                add(
                    customer,
                    "contacts".into(),
                    "active_without_billing_contact",
                    "no billing contact and no primary contact".into(),
                );
            }
            for (index, location) in customer.locations.iter().enumerate() {
                let path = format!("locations[{index}]");
                match &location.service_plan {
                    None if active => add(
                        customer,
                        format!("{path}.service_plan"),
                        "active_without_plan",
                        format!("{} has no service plan", location.address.line1),
                    ),
                    None => {}
                    Some(service) => {
                        if service.preferred_weekday.is_none() {
                            add(
                                customer,
                                format!("{path}.service_plan.preferred_weekday"),
                                "plan_without_day",
                                "the plan has no service day".into(),
                            );
                        }
                        match service.technician_id {
                            None if active => add(
                                customer,
                                format!("{path}.service_plan.technician_id"),
                                "plan_without_technician",
                                "the plan has no technician".into(),
                            ),
                            None => {}
                            Some(id) if technicians.get(&id) == Some(&false) => add(
                                customer,
                                format!("{path}.service_plan.technician_id"),
                                "inactive_technician_assigned",
                                format!("technician {id} is inactive"),
                            ),
                            Some(_) => {}
                        }
                        if let (Some(wanted), Some(day)) = (
                            customer.preferences.preferred_service_day,
                            service.preferred_weekday,
                        ) && wanted != day
                        {
                            add(
                                customer,
                                format!("{path}.service_plan.preferred_weekday"),
                                "preferred_day_differs",
                                format!("the customer prefers {wanted}, the plan says {day}"),
                            );
                        }
                    }
                }
                let access = &location.access;
                let says_no_gate = access
                    .notes
                    .as_deref()
                    .is_some_and(|notes| notes.to_lowercase().contains("no gate"));
                if active
                    && access.gate_code.is_none()
                    && access.key_location.is_none()
                    && !says_no_gate
                {
                    add(
                        customer,
                        format!("{path}.access.gate_code"),
                        "gate_access_unknown",
                        "no gate code, no key location and no 'no gate' note".into(),
                    );
                }
                check_address(&mut add, customer, &location.address, &path);
                if active {
                    let (number, street) = street_parts(&location.address.line1);
                    if let (Some(number), Some(street)) = (number, street) {
                        addresses
                            .entry(format!(
                                "{number} {street} {}",
                                location.address.postal_code.to_uppercase()
                            ))
                            .or_default()
                            .push(customer);
                    }
                    for (body_index, body) in location.bodies_of_water.iter().enumerate() {
                        let recent = last_reading
                            .get(&body.id)
                            .is_some_and(|at| *at >= as_of - Duration::weeks(NO_READINGS_WEEKS));
                        if !recent
                            && customer.created_at < as_of - Duration::weeks(NO_READINGS_WEEKS)
                        {
                            add(
                                customer,
                                format!("{path}.bodies_of_water[{body_index}]"),
                                "no_recent_readings",
                                format!(
                                    "{} has no readings in {NO_READINGS_WEEKS} weeks",
                                    body.name
                                ),
                            );
                        }
                    }
                }
            }
            if active
                && customer.created_at < as_of - Duration::days(NO_VISIT_DAYS)
                && last_visit
                    .get(&customer.id)
                    .is_none_or(|at| *at < as_of - Duration::days(NO_VISIT_DAYS))
            {
                add(
                    customer,
                    "status".into(),
                    "active_without_recent_visit",
                    format!("active, but no completed visit in {NO_VISIT_DAYS} days"),
                );
            }
            if let Some(address) = &customer.billing.address {
                check_address(&mut add, customer, address, "billing.address");
            }
            // Validity and placeholders of names, phones and emails.
            if placeholder(&customer.display_name) {
                add(
                    customer,
                    "display_name".into(),
                    "placeholder_value",
                    format!("'{}' is a placeholder", customer.display_name),
                );
            }
            for (index, contact) in customer.contacts.iter().enumerate() {
                let path = format!("contacts[{index}]");
                if placeholder(&contact.name) {
                    add(
                        customer,
                        format!("{path}.name"),
                        "placeholder_value",
                        format!("'{}' is a placeholder", contact.name),
                    );
                }
                for (p, phone) in contact.phones.iter().enumerate() {
                    let field = format!("{path}.phones[{p}].number");
                    match normalize(&phone.number, plan, &field) {
                        Err(error) => add(customer, field, "phone_invalid", error.to_string()),
                        Ok(e164) => {
                            let digits: String =
                                e164.chars().filter(char::is_ascii_digit).collect();
                            if placeholder_phone(&digits).is_some() {
                                add(
                                    customer,
                                    field,
                                    "placeholder_value",
                                    format!("{} is a placeholder number", phone.number),
                                );
                            }
                        }
                    }
                }
                for (e, email) in contact.emails.iter().enumerate() {
                    let field = format!("{path}.emails[{e}]");
                    match validate::email(email, &field) {
                        Err(error) => add(customer, field, "email_invalid", error.to_string()),
                        Ok(normal) => {
                            let domain = normal.rsplit('@').next().unwrap_or_default();
                            if let Some((_, meant)) =
                                DOMAIN_TYPOS.iter().find(|(typo, _)| *typo == domain)
                            {
                                add(
                                    customer,
                                    field.clone(),
                                    "email_domain_typo",
                                    format!("{domain} is probably {meant}"),
                                );
                            }
                            if placeholder_email(&normal) {
                                add(
                                    customer,
                                    field,
                                    "placeholder_value",
                                    format!("{email} is a placeholder address"),
                                );
                            }
                        }
                    }
                }
            }
            // Consent hygiene.
            if let Some(notice) = &customer.preferences.notify_before_visit {
                if customer.preferences.do_not_contact {
                    add(
                        customer,
                        "preferences.notify_before_visit".into(),
                        "do_not_contact_with_reminders",
                        "do-not-contact, yet visit notices are set".into(),
                    );
                }
                if let Some(contact) = customer.contact(notice.contact_id) {
                    let opted_out = contact
                        .consent(notice.channel)
                        .is_some_and(|consent| consent.status == ConsentStatus::OptedOut);
                    if opted_out {
                        add(
                            customer,
                            "preferences.notify_before_visit".into(),
                            "notice_to_opted_out",
                            format!("{} opted out of {}", contact.name, notice.channel),
                        );
                    }
                    if notice.channel == ContactChannel::Sms
                        && !contact.phones.iter().any(|phone| phone.sms_capable)
                    {
                        add(
                            customer,
                            "preferences.notify_before_visit".into(),
                            "sms_to_landline",
                            format!("{} has no phone that takes texts", contact.name),
                        );
                    }
                }
            }
            if bounced.contains(&customer.id) && !self.contacts_changed_since(customer.id, as_of)? {
                add(
                    customer,
                    "contacts".into(),
                    "stale_contact_bounced_email",
                    format!(
                        "an email bounced and the contacts have not changed in \
                         {STALE_CONTACT_YEARS} years"
                    ),
                );
            }
        }
        for (address, holders) in &addresses {
            let names: HashSet<String> = holders
                .iter()
                .map(|c| c.display_name.to_lowercase())
                .collect();
            if names.len() > 1 {
                for customer in holders {
                    add(
                        customer,
                        "locations".into(),
                        "same_address_different_names",
                        format!("{address} is also served under another name"),
                    );
                }
            }
        }
        let candidates = self.duplicate_candidates(&DuplicateQuery::default())?;
        let by_id: HashMap<CustomerId, &Customer> = customers.iter().map(|c| (c.id, c)).collect();
        for candidate in candidates.iter().filter(|c| c.band == MatchBand::Likely) {
            for (one, other, name) in [
                (candidate.a, candidate.b, &candidate.b_name),
                (candidate.b, candidate.a, &candidate.a_name),
            ] {
                if let Some(customer) = by_id.get(&one) {
                    add(
                        customer,
                        "id".into(),
                        "possible_duplicate",
                        format!(
                            "may be the same customer as {name} ({other}), probability {:.2}",
                            candidate.probability
                        ),
                    );
                }
            }
        }
        sorting::sort_by(&mut findings, |x, y| {
            (x.customer_id, &x.rule).cmp(&(y.customer_id, &y.rule))
        });
        let counts = QUALITY_RULES
            .iter()
            .map(|rule| RuleCount {
                rule: rule.rule.to_owned(),
                count: findings.iter().filter(|f| f.rule == rule.rule).count() as u32,
            })
            .collect();
        Ok(QualityReport {
            as_of,
            customers: customers.len() as u32,
            findings,
            counts,
            fill_rates: fill_rates(&customers),
        })
    }
}

impl Book {
    /// Customers with a bounced email before `as_of`.
    fn bounced_customers(&self, as_of: DateTime<Utc>) -> Result<HashSet<CustomerId>> {
        let mut bounced = HashSet::new();
        self.store.scan_journeys(None, Some(as_of), &mut |_, row| {
            if row.action == EMAIL_BOUNCED
                && let Some(customer) = row.customer_id
            {
                bounced.insert(customer);
            }
            Ok(())
        })?;
        Ok(bounced)
    }

    /// Whether the customer's contacts changed in the stale window before `as_of`.
    fn contacts_changed_since(&self, customer: CustomerId, as_of: DateTime<Utc>) -> Result<bool> {
        let rows = self.store.change_log(&ChangeLogQuery {
            customer_id: Some(customer),
            since: Some(as_of - Duration::days(365 * STALE_CONTACT_YEARS)),
            ..ChangeLogQuery::default()
        })?;
        Ok(rows
            .iter()
            .any(|row| row.entity == EntityKind::Contact && row.at <= as_of))
    }
}

/// The address rules: placeholders and a postal code of the wrong shape.
fn check_address(
    add: &mut impl FnMut(&Customer, String, &str, String),
    customer: &Customer,
    address: &Address,
    path: &str,
) {
    for (field, value) in [("line1", &address.line1), ("city", &address.city)] {
        if placeholder(value) {
            add(
                customer,
                format!("{path}.address.{field}"),
                "placeholder_value",
                format!("'{value}' is a placeholder"),
            );
        }
    }
    let code = address.postal_code.trim();
    let shaped = |pattern: &str| {
        code.len() == pattern.len()
            && code.chars().zip(pattern.chars()).all(|(c, p)| match p {
                '9' => c.is_ascii_digit(),
                'A' => c.is_ascii_alphabetic(),
                _ => c == p,
            })
    };
    let fits = match address.country.as_str() {
        "US" | "PR" => shaped("99999") || shaped("99999-9999"),
        "CA" => shaped("A9A 9A9") || shaped("A9A9A9"),
        "AU" | "NZ" | "ZA" => shaped("9999"),
        "MX" | "ES" | "FR" | "DE" => shaped("99999"),
        _ => true,
    };
    if !code.is_empty() && !fits {
        add(
            customer,
            format!("{path}.address.postal_code"),
            "postal_code_mismatch",
            format!("'{code}' is not a {} postal code", address.country),
        );
    }
}

/// How often each field is filled in among `customers`.
fn fill_rates(customers: &[Customer]) -> Vec<FillRate> {
    type Check = fn(&Customer) -> bool;
    let checks: &[(&str, Check)] = &[
        ("contacts", |c| !c.contacts.is_empty()),
        ("contacts.phones", |c| {
            c.contacts.iter().any(|k| !k.phones.is_empty())
        }),
        ("contacts.emails", |c| {
            c.contacts.iter().any(|k| !k.emails.is_empty())
        }),
        ("locations", |c| !c.locations.is_empty()),
        ("locations.service_plan", |c| {
            !c.locations.is_empty() && c.locations.iter().all(|l| l.service_plan.is_some())
        }),
        ("locations.access.gate_code", |c| {
            c.locations.iter().any(|l| l.access.gate_code.is_some())
        }),
        ("locations.bodies_of_water", |c| {
            c.locations.iter().any(|l| !l.bodies_of_water.is_empty())
        }),
        ("billing.rate", |c| c.billing.rate.is_some()),
        ("preferences.preferred_channel", |c| {
            c.preferences.preferred_channel.is_some()
        }),
        ("preferences.preferred_service_day", |c| {
            c.preferences.preferred_service_day.is_some()
        }),
    ];
    let total = customers.len() as u32;
    checks
        .iter()
        .map(|(field, check)| {
            let filled = customers.iter().filter(|c| check(c)).count() as u32;
            FillRate {
                field: (*field).to_owned(),
                filled,
                total,
                rate: if total == 0 {
                    1.0
                } else {
                    f64::from(filled) / f64::from(total)
                },
            }
        })
        .collect()
}
