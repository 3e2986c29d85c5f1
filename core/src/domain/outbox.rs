//! The outbox's pure rules: the fields each template may use, checking and
//! rendering templates, the built-in wording, who may be reached on which
//! channel (consent, do-not-contact, landlines), moving a send time out of
//! quiet hours, reading a reply (STOP, HELP) and writing dates and money
//! the way a customer reads them.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use crate::model::{
    ConsentStatus, Contact, ContactChannel, Customer, MessageTemplate, OutboxRule, ReplyKind,
    SkipReason, TemplateText, TimeWindow,
};
use crate::{Error, Result};

/// The longest template text (subject or body), in characters.
pub const MAX_TEMPLATE_CHARS: usize = 2000;

/// Most variants one rule's templates may have.
pub const MAX_TEMPLATE_VARIANTS: usize = 10;

/// The fields every template may use.
const COMMON_FIELDS: &[&str] = &["first_name", "customer_name"];

/// The fields a template for `rule` may use, beside `first_name` and
/// `customer_name`. None of them is ever a secret (gate codes, lock
/// combinations and alarm codes have no field).
fn rule_fields(rule: OutboxRule) -> &'static [&'static str] {
    match rule {
        OutboxRule::VisitNotice => &["visit_date", "technician", "gate_note", "location"],
        OutboxRule::SkippedVisit => &[
            "visit_date",
            "skip_reason",
            "next_visit_date",
            "technician",
            "location",
        ],
        OutboxRule::BalanceOverdue => &["remaining_balance", "invoice_numbers", "due_date"],
        OutboxRule::PartialPayment => &["payment_amount", "remaining_balance", "invoice_numbers"],
        OutboxRule::IssueFollowup => &["issue_summary", "resolution"],
        OutboxRule::LeadFollowup => &["waiting_time", "first_contact", "lead_channel"],
    }
}

/// The fields a template for `rule` may use, as `{{name}}`: the common
/// ones (`first_name`, `customer_name`) then the rule's own.
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn template_fields(rule: OutboxRule) -> Vec<String> {
    COMMON_FIELDS
        .iter()
        .chain(rule_fields(rule))
        .map(|field| (*field).to_owned())
        .collect()
}

/// The `{{field}}` names in `text`, or why it is malformed.
fn placeholders(text: &str) -> std::result::Result<Vec<&str>, String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            return Err("has a {{ without a closing }}".to_owned());
        };
        let name = after[..close].trim();
        if name.is_empty() || name.contains('{') {
            return Err(format!("has an empty or broken field {{{{{name}}}}}"));
        }
        names.push(name);
        rest = &after[close + 2..];
    }
    Ok(names)
}

/// The primary language subtag of a BCP 47 tag, lower case: `es` for `es-MX`.
pub fn primary_language(tag: &str) -> String {
    tag.trim()
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Normalises `template` (trimmed variant and texts, primary language
/// tags) and checks it: a known field in every text, a translation for each
/// of `languages`, no language twice, lengths within bounds. Errors name
/// the field (`translations[1].body`) and the problem.
pub fn check_template(template: &mut MessageTemplate, languages: &[String]) -> Result<()> {
    template.variant = template.variant.trim().to_owned();
    if template.variant.is_empty()
        || template.variant.chars().count() > 40
        || !template
            .variant
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(Error::invalid(
            "variant",
            "must be 1 to 40 letters, digits, _ or -",
        ));
    }
    let allowed = template_fields(template.rule);
    let mut seen: Vec<String> = Vec::new();
    for (index, text) in template.translations.iter_mut().enumerate() {
        let at = |field: &str| format!("translations[{index}].{field}");
        text.language = primary_language(&text.language);
        if text.language.is_empty()
            || text.language.len() > 8
            || !text.language.chars().all(|c| c.is_ascii_lowercase())
        {
            return Err(Error::invalid(
                at("language"),
                "must be a language tag such as en or es",
            ));
        }
        if seen.contains(&text.language) {
            return Err(Error::invalid(
                at("language"),
                format!("{} is translated twice", text.language),
            ));
        }
        seen.push(text.language.clone());
        text.body = text.body.trim().to_owned();
        if text.body.is_empty() {
            return Err(Error::invalid(at("body"), "must not be empty"));
        }
        if let Some(subject) = &mut text.subject {
            *subject = subject.trim().to_owned();
        }
        if text.subject.as_deref() == Some("") {
            text.subject = None;
        }
        let parts = [
            ("subject", text.subject.as_deref()),
            ("body", Some(&*text.body)),
        ];
        for (name, value) in parts {
            let Some(value) = value else { continue };
            if value.chars().count() > MAX_TEMPLATE_CHARS {
                return Err(Error::invalid(
                    at(name),
                    format!("is longer than {MAX_TEMPLATE_CHARS} characters"),
                ));
            }
            let fields = placeholders(value).map_err(|why| Error::invalid(at(name), why))?;
            if let Some(unknown) = fields.iter().find(|f| !allowed.iter().any(|a| a == *f)) {
                return Err(Error::invalid(
                    at(name),
                    format!(
                        "uses the unknown field {{{{{unknown}}}}}; a {} template may use {}",
                        template.rule,
                        allowed.join(", ")
                    ),
                ));
            }
        }
    }
    let missing: Vec<&str> = languages
        .iter()
        .filter(|language| !seen.contains(language))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        return Err(Error::invalid(
            "translations",
            format!(
                "missing {} (the book's languages are {})",
                missing.join(", "),
                languages.join(", ")
            ),
        ));
    }
    Ok(())
}

/// `text` with each `{{field}}` replaced by its value in `values` (a
/// field without a value becomes empty; templates are checked when saved,
/// so none is unknown).
pub fn render(text: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = after[..close].trim();
        if let Some((_, value)) = values.iter().find(|(field, _)| *field == name) {
            out.push_str(value);
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

/// The translation of `template` for a customer who speaks `language`
/// (exact primary tag), else the one in `fallback`, else the first.
pub fn pick_translation<'a>(
    template: &'a MessageTemplate,
    language: Option<&str>,
    fallback: &str,
) -> Option<&'a TemplateText> {
    let wanted = language.map(primary_language);
    template
        .translations
        .iter()
        .find(|text| wanted.as_deref() == Some(text.language.as_str()))
        .or_else(|| {
            template
                .translations
                .iter()
                .find(|text| text.language == fallback)
        })
        .or_else(|| template.translations.first())
}

fn text(language: &str, subject: Option<&str>, body: &str) -> TemplateText {
    TemplateText {
        language: language.to_owned(),
        subject: subject.map(str::to_owned),
        body: body.to_owned(),
    }
}

/// The wording a rule uses until the book saves its own: English and Spanish.
pub fn builtin_template(rule: OutboxRule) -> MessageTemplate {
    let translations = match rule {
        OutboxRule::VisitNotice => vec![
            text(
                "en",
                Some("Pool service on {{visit_date}}"),
                "Hi {{first_name}}, {{technician}} will service your pool on {{visit_date}}. Reply STOP to opt out.",
            ),
            text(
                "es",
                Some("Servicio de piscina el {{visit_date}}"),
                "Hola {{first_name}}, {{technician}} atenderá su piscina el {{visit_date}}. Responda STOP para no recibir más mensajes.",
            ),
        ],
        OutboxRule::SkippedVisit => vec![
            text(
                "en",
                Some("We could not service your pool on {{visit_date}}"),
                "Hi {{first_name}}, we could not service your pool on {{visit_date}}: {{skip_reason}}. Your next visit is {{next_visit_date}}.",
            ),
            text(
                "es",
                Some("No pudimos atender su piscina el {{visit_date}}"),
                "Hola {{first_name}}, no pudimos atender su piscina el {{visit_date}}: {{skip_reason}}. Su próxima visita es {{next_visit_date}}.",
            ),
        ],
        OutboxRule::BalanceOverdue => vec![
            text(
                "en",
                Some("Invoice {{invoice_numbers}} is past due"),
                "Hi {{first_name}}, {{remaining_balance}} remains on invoice {{invoice_numbers}}, due {{due_date}}. Thank you!",
            ),
            text(
                "es",
                Some("La factura {{invoice_numbers}} está vencida"),
                "Hola {{first_name}}, quedan {{remaining_balance}} de la factura {{invoice_numbers}}, con vencimiento el {{due_date}}. ¡Gracias!",
            ),
        ],
        OutboxRule::PartialPayment => vec![
            text(
                "en",
                Some("Thank you for your payment"),
                "Hi {{first_name}}, thank you for your payment of {{payment_amount}}; {{remaining_balance}} remains on invoice {{invoice_numbers}}.",
            ),
            text(
                "es",
                Some("Gracias por su pago"),
                "Hola {{first_name}}, gracias por su pago de {{payment_amount}}; quedan {{remaining_balance}} de la factura {{invoice_numbers}}.",
            ),
        ],
        OutboxRule::IssueFollowup => vec![
            text(
                "en",
                Some("Resolved: {{issue_summary}}"),
                "Hi {{first_name}}, about {{issue_summary}}: {{resolution}}. Reply if anything is still not right.",
            ),
            text(
                "es",
                Some("Resuelto: {{issue_summary}}"),
                "Hola {{first_name}}, sobre {{issue_summary}}: {{resolution}}. Responda si algo aún no está bien.",
            ),
        ],
        OutboxRule::LeadFollowup => vec![
            text(
                "en",
                Some("Lead waiting: {{customer_name}}"),
                "{{customer_name}} has waited {{waiting_time}} for an answer (first message {{first_contact}} by {{lead_channel}}).",
            ),
            text(
                "es",
                Some("Cliente potencial en espera: {{customer_name}}"),
                "{{customer_name}} lleva {{waiting_time}} esperando respuesta (primer mensaje {{first_contact}} por {{lead_channel}}).",
            ),
        ],
    };
    MessageTemplate {
        rule,
        variant: "a".to_owned(),
        translations,
    }
}

/// A channel as a sentence names it: `SMS`, `email`.
pub fn channel_words(channel: ContactChannel) -> &'static str {
    match channel {
        ContactChannel::Sms => "SMS",
        ContactChannel::Email => "email",
        ContactChannel::Phone => "phone calls",
        ContactChannel::Mail => "mail",
        ContactChannel::Portal => "the portal",
    }
}

/// Where a message to `contact` on `channel` goes (an E.164 number or an
/// email address), or why it must not go, as the office reads it. A
/// do-not-contact customer is reached only by a `legally_required`
/// message; an opt-out of the channel always holds.
pub fn reach(
    customer: &Customer,
    contact: &Contact,
    channel: ContactChannel,
    legally_required: bool,
) -> std::result::Result<String, String> {
    if customer.preferences.do_not_contact && !legally_required {
        return Err(format!(
            "suppressed: {} asked not to be contacted",
            customer.display_name
        ));
    }
    if let Some(consent) = contact.consent(channel)
        && consent.status == ConsentStatus::OptedOut
    {
        return Err(format!(
            "suppressed: {} opted out of {} on {} by {}",
            contact.name,
            channel_words(channel),
            consent.recorded_at.date_naive(),
            consent.method
        ));
    }
    match channel {
        ContactChannel::Sms => match contact.phones.iter().find(|phone| phone.sms_capable) {
            Some(phone) => Ok(phone.number.clone()),
            None => match contact.phones.first() {
                Some(phone) => Err(format!(
                    "suppressed: {}'s phone {} cannot take SMS (a landline)",
                    contact.name, phone.number
                )),
                None => Err(format!(
                    "suppressed: {} has no phone number for SMS",
                    contact.name
                )),
            },
        },
        ContactChannel::Email => contact
            .emails
            .first()
            .cloned()
            .ok_or_else(|| format!("suppressed: {} has no email address", contact.name)),
        other => Err(format!(
            "suppressed: the outbox sends by SMS and email, not by {}",
            channel_words(other)
        )),
    }
}

/// The first moment at or after `send` that is outside `quiet` (local
/// times), or, when that is after `deadline`, the last minute before the
/// quiet hours that `send` falls in begin; `None` if that is before
/// `earliest` too (no time to send).
pub fn out_of_quiet_hours(
    send: NaiveDateTime,
    quiet: &TimeWindow,
    deadline: Option<NaiveDateTime>,
    earliest: NaiveDateTime,
) -> Option<NaiveDateTime> {
    if quiet.start == quiet.end || !quiet.contains(send.time()) {
        return Some(send);
    }
    let day = send.date();
    let (began, ends) = if quiet.start < quiet.end {
        (day.and_time(quiet.start), day.and_time(quiet.end))
    } else if send.time() >= quiet.start {
        (
            day.and_time(quiet.start),
            (day + Duration::days(1)).and_time(quiet.end),
        )
    } else {
        (
            (day - Duration::days(1)).and_time(quiet.start),
            day.and_time(quiet.end),
        )
    };
    if deadline.is_none_or(|deadline| ends < deadline) {
        return Some(ends);
    }
    let before = began - Duration::minutes(1);
    (before >= earliest).then_some(before)
}

/// What a reply says: STOP (and the carriers' other stop words), HELP, or
/// free text. Only a reply that is the word alone counts.
pub fn classify_reply(body: &str) -> ReplyKind {
    let word: String = body
        .trim()
        .trim_end_matches(['.', '!'])
        .trim()
        .to_uppercase();
    match word.as_str() {
        "STOP" | "STOPALL" | "UNSUBSCRIBE" | "CANCEL" | "END" | "QUIT" | "BAJA" => ReplyKind::Stop,
        "HELP" | "INFO" | "AYUDA" => ReplyKind::Help,
        _ => ReplyKind::Text,
    }
}

/// The first word of a person's name: `Maria` of `Maria Lopez`.
pub fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_owned()
}

/// A day as a customer reads it in `language`: `Tuesday, May 12` or
/// `martes 12 de mayo`; ISO form (`2026-05-12`) in other languages.
pub fn spoken_date(date: NaiveDate, language: &str) -> String {
    const EN_DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    const EN_MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const ES_DAYS: [&str; 7] = [
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ];
    const ES_MONTHS: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    let weekday = date.weekday().num_days_from_monday() as usize;
    let month = date.month0() as usize;
    match language {
        "en" => format!("{}, {} {}", EN_DAYS[weekday], EN_MONTHS[month], date.day()),
        "es" => format!(
            "{} {} de {}",
            ES_DAYS[weekday],
            date.day(),
            ES_MONTHS[month]
        ),
        _ => date.to_string(),
    }
}

/// Why a visit was skipped, as the customer reads it in `language`.
pub fn spoken_skip_reason(reason: SkipReason, language: &str) -> &'static str {
    match (language, reason) {
        ("es", SkipReason::LockedGate) => "la puerta estaba cerrada con llave",
        ("es", SkipReason::DogOut) => "había un perro suelto en el patio",
        ("es", SkipReason::Weather) => "el clima no lo permitió",
        ("es", SkipReason::CustomerRequest) => "usted pidió omitir la visita",
        ("es", SkipReason::NoAccess) => "no pudimos entrar",
        ("es", SkipReason::Other) => "un imprevisto",
        (_, SkipReason::LockedGate) => "the gate was locked",
        (_, SkipReason::DogOut) => "a dog was out in the yard",
        (_, SkipReason::Weather) => "the weather did not allow it",
        (_, SkipReason::CustomerRequest) => "you asked us to skip it",
        (_, SkipReason::NoAccess) => "we could not get in",
        (_, SkipReason::Other) => "something came up",
    }
}

/// Invoice numbers joined for a sentence: `1042`, `1042 and 1043`,
/// `1041, 1042 and 1043` (`y` in Spanish).
pub fn joined(items: &[String], language: &str) -> String {
    let and = if language == "es" { " y " } else { " and " };
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}{and}{last}", init.join(", ")),
    }
}

/// Hours and minutes of a wait: `1 h 35 min`, `45 min`.
pub fn waiting_words(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// The key of a message: the rule, what it is about and where it goes.
pub fn message_key(rule: OutboxRule, about: &str, to: &str, channel: ContactChannel) -> String {
    format!("{}:{about}:{to}:{}", rule.as_str(), channel.as_str())
}

/// A time of day `HH:MM`.
pub fn clock(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(text: &str) -> NaiveDateTime {
        text.parse().unwrap()
    }

    fn window(start: &str, end: &str) -> TimeWindow {
        TimeWindow {
            start: start.parse().unwrap(),
            end: end.parse().unwrap(),
        }
    }

    #[test]
    fn send_times_leave_quiet_hours_across_midnight() {
        let night = window("21:00:00", "08:00:00");
        let early = local("2026-05-01T00:00:00");
        // Outside: unchanged.
        assert_eq!(
            out_of_quiet_hours(local("2026-05-11T20:00:00"), &night, None, early),
            Some(local("2026-05-11T20:00:00"))
        );
        // 22:30 moves to 08:00 the next morning; 06:00 to 08:00 the same day.
        assert_eq!(
            out_of_quiet_hours(local("2026-05-11T22:30:00"), &night, None, early),
            Some(local("2026-05-12T08:00:00"))
        );
        assert_eq!(
            out_of_quiet_hours(local("2026-05-12T06:00:00"), &night, None, early),
            Some(local("2026-05-12T08:00:00"))
        );
        // A visit at 08:00 cannot wait for 08:00: 20:59 the evening before.
        assert_eq!(
            out_of_quiet_hours(
                local("2026-05-12T07:00:00"),
                &night,
                Some(local("2026-05-12T08:00:00")),
                early
            ),
            Some(local("2026-05-11T20:59:00"))
        );
        // ... unless that evening has passed already.
        assert_eq!(
            out_of_quiet_hours(
                local("2026-05-12T07:00:00"),
                &night,
                Some(local("2026-05-12T08:00:00")),
                local("2026-05-11T23:00:00")
            ),
            None
        );
        // A same-day window (a siesta) and an empty one.
        let siesta = window("13:00:00", "15:00:00");
        assert_eq!(
            out_of_quiet_hours(local("2026-05-12T14:10:00"), &siesta, None, early),
            Some(local("2026-05-12T15:00:00"))
        );
        let never = window("09:00:00", "09:00:00");
        assert_eq!(
            out_of_quiet_hours(local("2026-05-12T09:00:00"), &never, None, early),
            Some(local("2026-05-12T09:00:00"))
        );
    }

    #[test]
    fn templates_refuse_unknown_fields_missing_translations_and_secrets() {
        let languages = vec!["en".to_owned(), "es".to_owned()];
        for rule in OutboxRule::ALL {
            let mut builtin = builtin_template(*rule);
            check_template(&mut builtin, &languages).unwrap();
        }
        let mut bad = builtin_template(OutboxRule::VisitNotice);
        bad.translations[1].body = "Hola {{first_name}}, código {{gate_code}}".to_owned();
        let error = check_template(&mut bad, &languages).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid translations[1].body: uses the unknown field {{gate_code}}; a visit_notice \
             template may use first_name, customer_name, visit_date, technician, gate_note, location"
        );
        let mut balance_in_notice = builtin_template(OutboxRule::VisitNotice);
        balance_in_notice.translations[0].body = "{{remaining_balance}}".to_owned();
        assert!(check_template(&mut balance_in_notice, &languages).is_err());
        let mut english_only = builtin_template(OutboxRule::VisitNotice);
        english_only.translations.truncate(1);
        assert_eq!(
            check_template(&mut english_only, &languages)
                .unwrap_err()
                .to_string(),
            "invalid translations: missing es (the book's languages are en, es)"
        );
        let mut open = builtin_template(OutboxRule::VisitNotice);
        open.translations[0].subject = Some("Visit {{visit_date".to_owned());
        assert_eq!(
            check_template(&mut open, &languages)
                .unwrap_err()
                .to_string(),
            "invalid translations[0].subject: has a {{ without a closing }}"
        );
    }

    #[test]
    fn rendering_fills_fields_and_picks_the_language_with_a_fallback() {
        let template = builtin_template(OutboxRule::PartialPayment);
        let values = [
            ("first_name", "Maria".to_owned()),
            ("payment_amount", "$80.00".to_owned()),
            ("remaining_balance", "$45.00".to_owned()),
            ("invoice_numbers", "2026-0412".to_owned()),
        ];
        let english = pick_translation(&template, Some("en-US"), "en").unwrap();
        assert_eq!(
            render(&english.body, &values),
            "Hi Maria, thank you for your payment of $80.00; $45.00 remains on invoice 2026-0412."
        );
        let spanish = pick_translation(&template, Some("es-MX"), "en").unwrap();
        assert_eq!(spanish.language, "es");
        let fallback = pick_translation(&template, Some("fr"), "en").unwrap();
        assert_eq!(fallback.language, "en");
        assert_eq!(
            spoken_date(NaiveDate::from_ymd_opt(2026, 5, 12).unwrap(), "es"),
            "martes 12 de mayo"
        );
        assert_eq!(
            joined(&["1041".into(), "1042".into(), "1043".into()], "en"),
            "1041, 1042 and 1043"
        );
    }

    #[test]
    fn replies_are_read_as_stop_help_or_text() {
        assert_eq!(classify_reply(" stop "), ReplyKind::Stop);
        assert_eq!(classify_reply("Unsubscribe."), ReplyKind::Stop);
        assert_eq!(classify_reply("HELP"), ReplyKind::Help);
        assert_eq!(classify_reply("please stop by at noon"), ReplyKind::Text);
    }
}
