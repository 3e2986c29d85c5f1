//! Validation: every rule a record must satisfy before it is stored.
//!
//! Validation also normalises: text is trimmed, phones become E.164, emails
//! lower-case, tags unique. Errors name the field by its path in the record
//! (`contacts[0].phones[1].number`) and say what is wrong, never echoing a
//! secret or personal value. Validation goes on past a bad field, so one
//! error reports every problem of the record (`Error::Invalid`'s `also`).

use std::collections::HashSet;

use rust_decimal::Decimal;

use crate::domain::limits::{self, MAX_LIST_ITEMS};
use crate::domain::phone::{self, NumberingPlan};
pub(crate) use crate::foundation::error::Problems;
use crate::model::{
    AccessDetails, Address, BodyOfWater, ConsentStatus, Contact, ContactChannel, Customer,
    Preferences, ServiceLocation, ServicePlan, Technician,
};
use crate::{Error, Result, TechnicianId};

/// Largest volume accepted for a body of water, in gallons (several Olympic pools).
pub const MAX_GALLONS: f64 = 2_000_000.0;
/// Longest notice before a visit, in minutes (one week).
pub const MAX_NOTICE_MINUTES: u32 = 7 * 24 * 60;
/// Largest billing rate accepted, in the book's currency.
pub const MAX_RATE: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// What validation needs from the book around the record.
pub(crate) struct Rules<'a> {
    /// Region national phone numbers are read in.
    pub region: &'static NumberingPlan,
    /// Looks a technician up by id.
    pub technician: &'a dyn Fn(TechnicianId) -> Result<Option<Technician>>,
    /// The record as stored before this change, if it exists.
    pub before: Option<&'a Customer>,
}

/// The most list items one customer record holds in all, counted through
/// every level (tags, custom fields, contacts and their phones, emails and
/// consents, locations and their bodies of water, equipment, pets, hazards
/// and access hours), so lists of lists cannot multiply past it.
pub const MAX_RECORD_ITEMS: usize = 1000;

/// How many list items `record` holds in all (see [`MAX_RECORD_ITEMS`]).
fn record_items(record: &Customer) -> usize {
    let contacts: usize = record
        .contacts
        .iter()
        .map(|c| 1 + c.phones.len() + c.emails.len() + c.consents.len())
        .sum();
    let locations: usize = record
        .locations
        .iter()
        .map(|l| {
            let bodies: usize = l
                .bodies_of_water
                .iter()
                .map(|b| 1 + b.equipment.len())
                .sum();
            1 + bodies + l.access.pets.len() + l.access.hazards.len() + l.access.access_hours.len()
        })
        .sum();
    record.tags.len()
        + record.custom_fields.len()
        + record.preferences.water_concerns.len()
        + contacts
        + locations
}

/// Normalises and checks a whole customer record.
pub(crate) fn customer(record: &mut Customer, rules: &Rules<'_>) -> Result<()> {
    let items = record_items(record);
    if items > MAX_RECORD_ITEMS {
        return Err(Error::invalid(
            "customer",
            format!("holds {items} list items in all; at most {MAX_RECORD_ITEMS} are kept"),
        ));
    }
    let mut problems = Problems::default();
    problems.check(required_text(&mut record.display_name, "display_name", 200));
    problems.check(limits::items(&record.tags, MAX_LIST_ITEMS, "tags"));
    problems.check(limits::items(&record.contacts, MAX_LIST_ITEMS, "contacts"));
    problems.check(limits::items(
        &record.locations,
        MAX_LIST_ITEMS,
        "locations",
    ));
    if record.custom_fields.len() > MAX_LIST_ITEMS {
        problems.add(
            "custom_fields",
            format!(
                "has {} items; at most {MAX_LIST_ITEMS} are kept",
                record.custom_fields.len()
            ),
        );
    }
    problems.check(tags(&mut record.tags));
    for (key, value) in std::mem::take(&mut record.custom_fields) {
        let mut key = key;
        let key_result = required_text(&mut key, "custom_fields", 64);
        if key_result.is_err() {
            problems.check(key_result);
            continue;
        }
        let field = format!("custom_fields.{key}");
        if value.chars().count() > 2000 {
            problems.add(&field, "is longer than 2000 characters");
        }
        if record.custom_fields.insert(key, value).is_some() {
            problems.add(field, "appears twice once trimmed");
        }
    }
    problems.check(billing(record));
    let mut primary_seen = false;
    let mut contact_ids = HashSet::new();
    for (index, contact_record) in record.contacts.iter_mut().enumerate() {
        let path = format!("contacts[{index}]");
        if !contact_ids.insert(contact_record.id) {
            problems.add(format!("{path}.id"), "is used by two contacts");
        }
        problems.check(contact(contact_record, &path, rules.region));
        if contact_record.primary && std::mem::replace(&mut primary_seen, true) {
            problems.add(
                format!("{path}.primary"),
                "another contact is already primary; an account has at most one",
            );
        }
    }
    let mut location_ids = HashSet::new();
    let mut body_ids = HashSet::new();
    for (index, location_record) in record.locations.iter_mut().enumerate() {
        let path = format!("locations[{index}]");
        if !location_ids.insert(location_record.id) {
            problems.add(format!("{path}.id"), "is used by two locations");
        }
        problems.check(location(location_record, &path, rules));
        for (body_index, body) in location_record.bodies_of_water.iter().enumerate() {
            if !body_ids.insert(body.id) {
                problems.add(
                    format!("{path}.bodies_of_water[{body_index}].id"),
                    "is used by two bodies of water",
                );
            }
        }
    }
    problems.check(preferences(&mut record.preferences, &record.contacts));
    problems.finish()
}

/// Normalises and checks a technician.
pub(crate) fn technician(record: &mut Technician, region: &'static NumberingPlan) -> Result<()> {
    let mut problems = Problems::default();
    problems.check(required_text(&mut record.name, "name", 200));
    if let Some(number) = &mut record.phone {
        match phone::normalize(number, region, "phone") {
            Ok(normal) => *number = normal,
            Err(error) => problems.check(Err(error)),
        }
    }
    if let Some(address) = &mut record.email {
        match email(address, "email") {
            Ok(normal) => *address = normal,
            Err(error) => problems.check(Err(error)),
        }
    }
    problems.finish()
}

/// Checks an email address and returns its normalised (trimmed, lower-case) form.
pub fn email(input: &str, field: &str) -> Result<String> {
    let address = input.trim().to_lowercase();
    let problem = |why: &str| Error::invalid(field, format!("not a valid email address ({why})"));
    let Some((local, domain)) = address.split_once('@') else {
        return Err(problem("missing '@'"));
    };
    if domain.contains('@') {
        return Err(problem("more than one '@'"));
    }
    if local.is_empty() || local.len() > 64 {
        return Err(problem("the part before '@' must be 1 to 64 bytes long"));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(problem("misplaced '.' before '@'"));
    }
    if !local
        .chars()
        .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
    {
        return Err(problem("a character that is not allowed before '@'"));
    }
    if domain.is_empty() {
        return Err(problem("missing domain after '@'"));
    }
    if domain.len() > 253 {
        return Err(problem("the domain is longer than 253 bytes"));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err(problem("the domain has no '.'"));
    }
    for label in &labels {
        if label.is_empty()
            || label.len() > 63
            || label.starts_with('-')
            || label.ends_with('-')
            || !label.chars().all(|c| c.is_alphanumeric() || c == '-')
        {
            return Err(problem("a malformed domain"));
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.len() < 2 || tld.chars().any(|c| c.is_ascii_digit()))
    {
        return Err(problem("a malformed top-level domain"));
    }
    Ok(address)
}

/// Trims required text in place, refusing blank or over-long text.
pub(crate) fn required_text(value: &mut String, field: &str, max_chars: usize) -> Result<()> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if trimmed.chars().count() > max_chars {
        return Err(Error::invalid(
            field,
            format!("is longer than {max_chars} characters"),
        ));
    }
    if trimmed.contains('\0') {
        return Err(Error::invalid(field, "contains a NUL character"));
    }
    if trimmed.len() != value.len() {
        *value = trimmed.to_owned();
    }
    Ok(())
}

/// Trims optional text; blank text becomes `None`.
pub(crate) fn optional_text(
    value: &mut Option<String>,
    field: &str,
    max_chars: usize,
) -> Result<()> {
    if let Some(text) = value {
        if text.trim().is_empty() {
            *value = None;
        } else {
            required_text(text, field, max_chars)?;
        }
    }
    Ok(())
}

/// Trims each entry of a list of labels, refusing blanks, dropping repeats.
fn text_list(values: &mut Vec<String>, field: &str, max_chars: usize) -> Result<()> {
    let mut problems = Problems::default();
    let mut seen = HashSet::new();
    let mut kept = Vec::with_capacity(values.len());
    for (index, mut value) in std::mem::take(values).into_iter().enumerate() {
        problems.check(required_text(
            &mut value,
            &format!("{field}[{index}]"),
            max_chars,
        ));
        if seen.insert(value.clone()) {
            kept.push(value);
        }
    }
    *values = kept;
    problems.finish()
}

fn tags(values: &mut Vec<String>) -> Result<()> {
    text_list(values, "tags", 64)
}

fn billing(record: &mut Customer) -> Result<()> {
    let mut problems = Problems::default();
    let billing = &mut record.billing;
    if let Some(rate) = billing.rate {
        if rate.is_sign_negative() {
            problems.add("billing.rate", "must not be negative");
        } else if rate > MAX_RATE {
            problems.add("billing.rate", "is implausibly large");
        }
    }
    if billing.terms_days > 365 {
        problems.add("billing.terms_days", "must be at most 365 days");
    }
    if let Some(address_record) = &mut billing.address {
        problems.check(address(address_record, "billing.address"));
    }
    problems.finish()
}

fn address(record: &mut Address, path: &str) -> Result<()> {
    let mut problems = Problems::default();
    problems.check(required_text(
        &mut record.line1,
        &format!("{path}.line1"),
        200,
    ));
    problems.check(optional_text(
        &mut record.line2,
        &format!("{path}.line2"),
        200,
    ));
    problems.check(required_text(
        &mut record.city,
        &format!("{path}.city"),
        100,
    ));
    record.region = record.region.trim().to_owned();
    if record.region.chars().count() > 100 {
        problems.add(format!("{path}.region"), "is longer than 100 characters");
    }
    record.postal_code = record.postal_code.trim().to_uppercase();
    if record.postal_code.chars().count() > 20 {
        problems.add(
            format!("{path}.postal_code"),
            "is longer than 20 characters",
        );
    }
    let country = record.country.trim().to_ascii_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
        problems.add(
            format!("{path}.country"),
            "must be a two-letter ISO country code such as US",
        );
    } else {
        record.country = country;
    }
    problems.finish()
}

fn contact(record: &mut Contact, path: &str, region: &'static NumberingPlan) -> Result<()> {
    let mut problems = Problems::default();
    problems.check(required_text(
        &mut record.name,
        &format!("{path}.name"),
        200,
    ));
    problems.check(limits::items(
        &record.phones,
        MAX_LIST_ITEMS,
        &format!("{path}.phones"),
    ));
    problems.check(limits::items(
        &record.emails,
        MAX_LIST_ITEMS,
        &format!("{path}.emails"),
    ));
    problems.check(limits::items(
        &record.consents,
        MAX_LIST_ITEMS,
        &format!("{path}.consents"),
    ));
    let mut numbers = HashSet::new();
    for (index, phone_record) in record.phones.iter_mut().enumerate() {
        let field = format!("{path}.phones[{index}].number");
        match phone::normalize(&phone_record.number, region, &field) {
            Ok(number) => {
                phone_record.number = number;
                if !numbers.insert(phone_record.number.clone()) {
                    problems.add(&field, "is the same number as an earlier phone");
                }
            }
            Err(error) => problems.check(Err(error)),
        }
        problems.check(optional_text(
            &mut phone_record.label,
            &format!("{path}.phones[{index}].label"),
            40,
        ));
    }
    let mut addresses = HashSet::new();
    for (index, address) in record.emails.iter_mut().enumerate() {
        let field = format!("{path}.emails[{index}]");
        match email(address, &field) {
            Ok(normal) => {
                *address = normal;
                if !addresses.insert(address.clone()) {
                    problems.add(field, "is the same address as an earlier email");
                }
            }
            Err(error) => problems.check(Err(error)),
        }
    }
    let mut channels = HashSet::new();
    for (index, consent) in record.consents.iter_mut().enumerate() {
        let field = format!("{path}.consents[{index}]");
        if !channels.insert(consent.channel) {
            problems.add(
                format!("{field}.channel"),
                "already has a consent entry; keep one per channel",
            );
        }
        problems.check(required_text(
            &mut consent.method,
            &format!("{field}.method"),
            200,
        ));
    }
    problems.finish()
}

fn location(record: &mut ServiceLocation, path: &str, rules: &Rules<'_>) -> Result<()> {
    let mut problems = Problems::default();
    problems.check(optional_text(
        &mut record.label,
        &format!("{path}.label"),
        100,
    ));
    problems.check(address(&mut record.address, &format!("{path}.address")));
    if let Some(point) = record.coordinates {
        if !point.latitude.is_finite() || !(-90.0..=90.0).contains(&point.latitude) {
            problems.add(
                format!("{path}.coordinates.latitude"),
                "must be between -90 and 90 degrees",
            );
        }
        if !point.longitude.is_finite() || !(-180.0..=180.0).contains(&point.longitude) {
            problems.add(
                format!("{path}.coordinates.longitude"),
                "must be between -180 and 180 degrees",
            );
        }
    }
    problems.check(optional_text(
        &mut record.special_instructions,
        &format!("{path}.special_instructions"),
        4000,
    ));
    problems.check(limits::items(
        &record.bodies_of_water,
        MAX_LIST_ITEMS,
        &format!("{path}.bodies_of_water"),
    ));
    for (index, body) in record.bodies_of_water.iter_mut().enumerate() {
        problems.check(body_of_water(
            body,
            &format!("{path}.bodies_of_water[{index}]"),
        ));
    }
    problems.check(access(&mut record.access, &format!("{path}.access")));
    if let Some(plan) = &record.service_plan {
        let before = rules
            .before
            .and_then(|customer| customer.location(record.id))
            .and_then(|location| location.service_plan.as_ref());
        problems.check(service_plan(
            plan,
            before,
            &format!("{path}.service_plan"),
            rules,
        ));
    }
    problems.finish()
}

fn body_of_water(record: &mut BodyOfWater, path: &str) -> Result<()> {
    let mut problems = Problems::default();
    problems.check(required_text(
        &mut record.name,
        &format!("{path}.name"),
        100,
    ));
    if let Some(gallons) = record.gallons {
        let field = format!("{path}.gallons");
        if !gallons.is_finite() || gallons <= 0.0 {
            problems.add(field, "must be a positive number of gallons");
        } else if gallons > MAX_GALLONS {
            problems.add(
                field,
                format!("is implausibly large (over {MAX_GALLONS} gallons)"),
            );
        }
    }
    problems.check(limits::items(
        &record.equipment,
        MAX_LIST_ITEMS,
        &format!("{path}.equipment"),
    ));
    for (index, equipment) in record.equipment.iter_mut().enumerate() {
        let item = format!("{path}.equipment[{index}]");
        problems.check(optional_text(
            &mut equipment.make,
            &format!("{item}.make"),
            100,
        ));
        problems.check(optional_text(
            &mut equipment.model,
            &format!("{item}.model"),
            100,
        ));
        problems.check(optional_text(
            &mut equipment.serial,
            &format!("{item}.serial"),
            100,
        ));
        if let Some(day) = equipment.installed_on {
            problems.check(limits::day(day, &format!("{item}.installed_on")));
        }
    }
    problems.finish()
}

fn access(record: &mut AccessDetails, path: &str) -> Result<()> {
    let mut problems = Problems::default();
    problems.check(optional_text(
        &mut record.key_location,
        &format!("{path}.key_location"),
        500,
    ));
    problems.check(optional_text(
        &mut record.notes,
        &format!("{path}.notes"),
        4000,
    ));
    problems.check(limits::items(
        &record.pets,
        MAX_LIST_ITEMS,
        &format!("{path}.pets"),
    ));
    problems.check(limits::items(
        &record.hazards,
        MAX_LIST_ITEMS,
        &format!("{path}.hazards"),
    ));
    problems.check(limits::items(
        &record.access_hours,
        MAX_LIST_ITEMS,
        &format!("{path}.access_hours"),
    ));
    for (index, pet) in record.pets.iter_mut().enumerate() {
        problems.check(required_text(
            &mut pet.name,
            &format!("{path}.pets[{index}].name"),
            100,
        ));
        problems.check(required_text(
            &mut pet.kind,
            &format!("{path}.pets[{index}].kind"),
            100,
        ));
    }
    problems.check(text_list(
        &mut record.hazards,
        &format!("{path}.hazards"),
        500,
    ));
    for (index, window) in record.access_hours.iter().enumerate() {
        let field = format!("{path}.access_hours[{index}]");
        if window.days.is_empty() {
            problems.add(format!("{field}.days"), "must name at least one day");
        }
        if window.days.len() > 7 {
            problems.add(
                format!("{field}.days"),
                "names more than the 7 days of a week",
            );
        }
        if window.end <= window.start {
            problems.add(format!("{field}.end"), "must be after start");
        }
    }
    problems.finish()
}

fn service_plan(
    plan: &ServicePlan,
    before: Option<&ServicePlan>,
    path: &str,
    rules: &Rules<'_>,
) -> Result<()> {
    let mut problems = Problems::default();
    problems.check(limits::day(plan.starts_on, &format!("{path}.starts_on")));
    if let Some(ends_on) = plan.ends_on {
        problems.check(limits::day(ends_on, &format!("{path}.ends_on")));
    }
    if let Some(ends_on) = plan.ends_on
        && ends_on < plan.starts_on
    {
        problems.add(format!("{path}.ends_on"), "is before starts_on");
    }
    if let Some(technician_id) = plan.technician_id {
        let field = format!("{path}.technician_id");
        match (rules.technician)(technician_id) {
            Err(failure) => problems.check(Err(failure)),
            Ok(None) => problems.add(field, "names no technician in this book"),
            Ok(Some(technician)) => {
                let newly_assigned =
                    before.and_then(|plan| plan.technician_id) != Some(technician_id);
                if newly_assigned && !technician.active {
                    problems.add(field, "names a technician who is not active");
                }
            }
        }
    }
    problems.finish()
}

fn preferences(record: &mut Preferences, contacts: &[Contact]) -> Result<()> {
    let mut problems = Problems::default();
    if let Some(notice) = &record.notify_before_visit {
        problems.check(visit_notice(notice, record.do_not_contact, contacts));
    }
    if let Some(quiet) = record.quiet_hours
        && quiet.start == quiet.end
    {
        problems.add(
            "preferences.quiet_hours",
            "start and end are equal; leave it unset for none",
        );
    }
    let language = optional_text(&mut record.language, "preferences.language", 35);
    if language.is_err() {
        problems.check(language);
    } else if let Some(language) = &record.language
        && !is_language_tag(language)
    {
        problems.add(
            "preferences.language",
            "must be a language tag such as en or es-MX",
        );
    }
    problems.check(limits::items(
        &record.water_concerns,
        MAX_LIST_ITEMS,
        "preferences.water_concerns",
    ));
    problems.check(text_list(
        &mut record.water_concerns,
        "preferences.water_concerns",
        200,
    ));
    problems.finish()
}

/// Checks a notice before each visit against the contacts it names.
fn visit_notice(
    notice: &crate::model::VisitNotice,
    do_not_contact: bool,
    contacts: &[Contact],
) -> Result<()> {
    let field = "preferences.notify_before_visit";
    let mut problems = Problems::default();
    if do_not_contact {
        problems.add(
            field,
            "is set while do_not_contact is on; turn one of them off",
        );
    }
    if notice.lead_time_minutes == 0 || notice.lead_time_minutes > MAX_NOTICE_MINUTES {
        problems.add(
            format!("{field}.lead_time_minutes"),
            format!("must be between 1 and {MAX_NOTICE_MINUTES} minutes"),
        );
    }
    let channel = format!("{field}.channel");
    let Some(contact) = contacts
        .iter()
        .find(|contact| contact.id == notice.contact_id)
    else {
        problems.add(
            format!("{field}.contact_id"),
            "names no contact on this account",
        );
        return problems.finish();
    };
    let reachable = match notice.channel {
        ContactChannel::Sms => contact.phones.iter().any(|phone| phone.sms_capable),
        ContactChannel::Phone => !contact.phones.is_empty(),
        ContactChannel::Email => !contact.emails.is_empty(),
        ContactChannel::Mail | ContactChannel::Portal => {
            problems.add(
                channel,
                "must be sms, phone or email: notice by mail or portal arrives too late",
            );
            return problems.finish();
        }
    };
    if !reachable {
        problems.add(
            &channel,
            format!(
                "the contact has no {} to use",
                match notice.channel {
                    ContactChannel::Sms => "text-capable phone",
                    ContactChannel::Phone => "phone",
                    _ => "email address",
                }
            ),
        );
    }
    if contact
        .consent(notice.channel)
        .is_some_and(|consent| consent.status == ConsentStatus::OptedOut)
    {
        problems.add(channel, "the contact opted out of this channel");
    }
    problems.finish()
}

/// A simple BCP 47 shape: a 2–3 letter language, then 2–8 character subtags.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language_ok = parts.next().is_some_and(|lang| {
        (2..=3).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_alphabetic())
    });
    language_ok
        && parts.all(|part| {
            (2..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_or_refused_with_a_reason() {
        assert_eq!(
            email("  Maria@Example.COM ", "e").unwrap(),
            "maria@example.com"
        );
        assert_eq!(
            email("o'brien+pool@mail.co.uk", "e").unwrap(),
            "o'brien+pool@mail.co.uk"
        );
        for (input, reason) in [
            ("maria.example.com", "missing '@'"),
            ("maria@@example.com", "more than one '@'"),
            ("@example.com", "1 to 64 bytes"),
            ("maria.@example.com", "misplaced '.'"),
            ("ma ria@example.com", "not allowed"),
            ("maria@", "missing domain"),
            ("maria@example", "no '.'"),
            ("maria@-example.com", "malformed domain"),
            ("maria@example.c", "top-level"),
        ] {
            let error = email(input, "emails[0]").unwrap_err().to_string();
            assert!(
                error.starts_with("invalid emails[0]: not a valid email"),
                "{error}"
            );
            assert!(error.contains(reason), "{input}: {error}");
            assert!(
                !error.contains(input.trim()),
                "the address is not echoed: {error}"
            );
        }
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("es-MX"));
        assert!(is_language_tag("zh-Hant-TW"));
        assert!(!is_language_tag("english!"));
        assert!(!is_language_tag("e"));
        assert!(!is_language_tag("en-"));
    }
}
