//! The journey's rules: the built-in action → stage map, how actions,
//! sources and campaigns are normalised, and which visitor ids identify
//! nobody.

use std::collections::BTreeMap;

use crate::model::{Stage, actions};
use crate::{Error, Result};

/// Visitor ids that identify nobody: tracking scripts send these when they
/// have no id, and linking one would merge strangers.
pub const JUNK_VISITOR_IDS: &[&str] = &[
    "anonymous",
    "null",
    "undefined",
    "none",
    "nil",
    "nan",
    "unknown",
    "0",
    "-1",
];

/// The built-in action → stage map.
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn default_stage_map() -> BTreeMap<String, Stage> {
    use actions::*;
    [
        (PAGE_VIEWED, Stage::Awareness),
        (EMAIL_SENT, Stage::Awareness),
        (EMAIL_OPENED, Stage::Awareness),
        (EMAIL_CLICKED, Stage::Consideration),
        (ESTIMATE_REQUESTED, Stage::Consideration),
        (CALL, Stage::Consideration),
        (MESSAGE, Stage::Consideration),
        (PAYMENT_MADE, Stage::Purchase),
        (PORTAL_LOGIN, Stage::Retention),
        (STATEMENT_VIEWED, Stage::Retention),
        (REVIEW_LEFT, Stage::Retention),
        (CUSTOMER_CREATED, Stage::Consideration),
        (CONVERTED, Stage::Purchase),
        (INVOICE_SENT, Stage::Retention),
        (STATEMENT_SENT, Stage::Retention),
        (MESSAGE_RECEIVED, Stage::Retention),
        (MESSAGE_SENT, Stage::Retention),
        (VISIT_COMPLETED, Stage::Retention),
        (VISIT_SKIPPED, Stage::Retention),
        (ISSUE_OPENED, Stage::Retention),
        (ISSUE_RESOLVED, Stage::Retention),
        (FEEDBACK_GIVEN, Stage::Retention),
        (CHURNED, Stage::Retention),
        (STATUS_CHANGED, Stage::Retention),
    ]
    .into_iter()
    .map(|(action, stage)| (action.to_owned(), stage))
    .collect()
}

/// A source or campaign as counted: trimmed, inner spaces collapsed, lower case
/// (" Google  Local " and "google local" are one source). Blank becomes `None`.
pub fn normalize_label(text: Option<&str>) -> Option<String> {
    let words: Vec<String> = text?.split_whitespace().map(str::to_lowercase).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// An action name as stored: lower-case snake_case ("Estimate Requested" →
/// `estimate_requested`).
pub fn normalize_action(action: &str, field: &str) -> Result<String> {
    let name = action
        .trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '.')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    if name.is_empty() {
        return Err(Error::invalid(field, "must name the action"));
    }
    if name.len() > 64 || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(Error::invalid(
            field,
            "must be a name of letters, digits and underscores, at most 64 long",
        ));
    }
    Ok(name)
}

/// A visitor id as stored: trimmed, and not one of [`JUNK_VISITOR_IDS`].
pub fn check_visitor_id(visitor_id: &str, field: &str) -> Result<String> {
    let id = visitor_id.trim();
    if id.is_empty() || JUNK_VISITOR_IDS.contains(&id.to_lowercase().as_str()) {
        return Err(Error::invalid(
            field,
            "is not a real visitor id (empty or a placeholder such as 'anonymous')",
        ));
    }
    if id.chars().count() > 200 || id.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            "must be at most 200 printable characters",
        ));
    }
    Ok(id.to_owned())
}
