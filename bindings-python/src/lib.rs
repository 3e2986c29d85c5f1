//! Python bindings for poolbook: the native module `poolbook._native`.
//!
//! This crate owns only conversions (ADR 0003): each call takes its arguments
//! as one JSON array, deserialises them into core's own types (so core's
//! `Deserialize` and validation judge them), calls core with the GIL
//! released, and hands the result back as JSON written with
//! [`poolbook::to_json_revealed`] for the Python `Secret` type to
//! mask. Errors become `NativeError(kind, message, field, problem)`, which
//! the Python package turns into its exception classes. Bulk reads go
//! through columns instead: `Book.timeline_columns` gathers a whole timeline
//! in Rust and hands it over as one Python list per column. No domain logic
//! lives here.

mod arrow;

use std::io::Cursor;
use std::path::PathBuf;

use std::sync::Arc;

use poolbook::{Book, Error, KeyProvider, SqlValue};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The version of the core library these bindings wrap.
pub const CORE_VERSION: &str = poolbook::VERSION;

create_exception!(
    _native,
    NativeError,
    PyException,
    "A core error as (kind, message, field, problem, problems); poolbook re-raises it as its own class."
);

/// Turns a core error into a `NativeError` carrying its kind and its Display text intact.
///
/// A function rather than `From`: the orphan rule forbids `From<Error> for PyErr` here.
fn to_py_err(error: Error) -> PyErr {
    let message = error.to_string();
    let problems: Vec<(String, String)> = error
        .problems()
        .into_iter()
        .map(|p| (p.field, p.problem))
        .collect();
    let (kind, field, problem) = match &error {
        Error::NotFound { .. } => ("not_found", None, None),
        Error::Invalid { field, problem, .. } => {
            ("invalid", Some(field.clone()), Some(problem.clone()))
        }
        Error::Conflict { .. } => ("conflict", None, None),
        Error::UnsupportedSchema { .. } => ("unsupported_schema", None, None),
        Error::Closed => ("closed", None, None),
        Error::Busy { .. } => ("busy", None, None),
        Error::ReadOnly { .. } => ("read_only", None, None),
        Error::NotABook { .. } => ("not_a_book", None, None),
        Error::Corrupt { .. } => ("corrupt", None, None),
        Error::Locked { .. } => ("locked", None, None),
        Error::WrongKey => ("wrong_key", None, None),
        Error::TamperedSecret { .. } => ("tampered_secret", None, None),
        Error::Storage { .. } => ("storage", None, None),
    };
    NativeError::new_err((kind, message, field, problem, problems))
}

/// A call's arguments: a JSON array, read position by position.
struct Args(Vec<Value>);

impl Args {
    /// Parses the JSON array sent by the Python side.
    fn parse(json: &str) -> Result<Self, Error> {
        serde_json::from_str(json)
            .map(Args)
            .map_err(|e| Error::invalid("arguments", e.to_string()))
    }

    /// Argument `index` as core's type `T`; a mismatch is an `Invalid` error
    /// naming the path to the bad value, e.g. `new.contacts[0].role`.
    fn get<T: DeserializeOwned>(&self, index: usize, name: &str) -> Result<T, Error> {
        let value = self.0.get(index).cloned().unwrap_or(Value::Null);
        serde_path_to_error::deserialize(value).map_err(|error| {
            let path = error.path().to_string();
            let field = if path == "." {
                name.to_owned()
            } else {
                format!("{name}.{path}")
            };
            Error::invalid(field, error.into_inner().to_string())
        })
    }
}

/// JSON of `value` with secrets in the clear, for the Python side to wrap in its masked `Secret`.
fn json<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    poolbook::to_json_revealed(value).map_err(|e| Error::Storage {
        message: "could not encode a result for Python".to_owned(),
        source: Box::new(e),
    })
}

/// A ledger (no serde form, private lists in core) as what core shows of it: balances per invoice.
fn json_ledger(l: &poolbook::Ledger) -> Result<String, Error> {
    let value = serde_json::json!({
        "invoice_balances": l.invoice_balances(), "balance": l.balance(), "unapplied": l.unapplied(),
    });
    json(&value)
}

/// Runs the `Book` operation `op` with the JSON arguments `a`, returning its result as JSON.
fn dispatch(book: &Book, op: &str, a: &Args) -> Result<String, Error> {
    let author = |i: usize| a.get::<poolbook::Author>(i, "author");
    match op {
        "close" => json(&book.close()?),
        "default_region" => json(&book.default_region()?),
        "time_zone" => json(&book.time_zone()?),
        "set_time_zone" => json(&book.set_time_zone(&a.get::<String>(0, "name")?, &author(1)?)?),
        "author_name" => json(&book.author_name(&a.get(0, "author")?)?),
        "unmapped_actions" => json(&book.unmapped_actions()?),
        "check_integrity" => json(&book.check_integrity()?),
        "backup_to" => json(&book.backup_to(a.get::<PathBuf>(0, "path")?)?),
        "lock" => json(&book.lock()),
        "is_unlocked" => json(&book.is_unlocked()),
        // A list of zero or one secret, so Python reads it with one list type.
        "reveal_secret" => json(
            &book
                .reveal_secret(
                    a.get(0, "location_id")?,
                    a.get(1, "field")?,
                    &author(2)?,
                    &a.get::<String>(3, "reason")?,
                )?
                .into_iter()
                .collect::<Vec<_>>(),
        ),
        "secret_reveals" => json(&book.secret_reveals(&a.get(0, "query")?)?),
        "set_default_region" => {
            json(&book.set_default_region(&a.get::<String>(0, "code")?, &author(1)?)?)
        }
        "create_customer" => json(&book.create_customer(a.get(0, "new")?, &author(1)?)?),
        "create_customers" => json(&book.create_customers(a.get(0, "news")?, &author(1)?)?),
        "record_entries" => json(&book.record_entries(a.get(0, "entries")?, &author(1)?)?),
        "customer" => json(&book.customer(a.get(0, "id")?)?),
        "update_customer" => json(&book.update_customer(
            a.get(0, "id")?,
            a.get(1, "expected_version")?,
            a.get(2, "patch")?,
            &author(3)?,
        )?),
        "archive_customer" => json(&book.archive_customer(
            a.get(0, "id")?,
            a.get(1, "expected_version")?,
            &author(2)?,
        )?),
        "restore_customer" => json(&book.restore_customer(
            a.get(0, "id")?,
            a.get(1, "expected_version")?,
            &author(2)?,
        )?),
        "list_customers" => json(&book.list_customers(&a.get(0, "query")?)?),
        "search_customers" => {
            json(&book.search_customers(&a.get::<String>(0, "query")?, a.get(1, "limit")?)?)
        }
        "transfer_location" => {
            json(&book.transfer_location(a.get(0, "location_id")?, a.get(1, "to")?, &author(2)?)?)
        }
        "add_technician" => json(&book.add_technician(a.get(0, "new")?, &author(1)?)?),
        "update_technician" => json(&book.update_technician(
            a.get(0, "id")?,
            a.get(1, "expected_version")?,
            a.get(2, "patch")?,
            &author(3)?,
        )?),
        "technician" => json(&book.technician(a.get(0, "id")?)?),
        "technicians" => json(&book.technicians(a.get(0, "include_inactive")?)?),
        "change_log" => json(&book.change_log(&a.get(0, "query")?)?),
        "target_profiles" => json(&book.target_profiles()?),
        "put_target_profile" => json(&book.put_target_profile(a.get(0, "profile")?, &author(1)?)?),
        "stop_card" => json(&book.stop_card(a.get(0, "location_id")?)?),
        "route" => json(&book.route(a.get(0, "technician_id")?, a.get(1, "date")?)?),
        "funnel" => json(&book.funnel(&a.get(0, "definition")?)?),
        "assess_visit" => json(&book.assess_visit(a.get(0, "visit_id")?, a.get(1, "method")?)?),
        "record_visit" => json(&book.record_visit(a.get(0, "visit")?, &author(1)?)?),
        "add_invoice" => json(&book.add_invoice(a.get(0, "invoice")?, &author(1)?)?),
        "record_payment" => json(&book.record_payment(a.get(0, "payment")?, &author(1)?)?),
        "add_credit" => json(&book.add_credit(a.get(0, "credit")?, &author(1)?)?),
        "record_message" => json(&book.record_message(a.get(0, "message")?, &author(1)?)?),
        "open_issue" => json(&book.open_issue(a.get(0, "issue")?, &author(1)?)?),
        "resolve_issue" => json(&book.resolve_issue(
            a.get(0, "id")?,
            &a.get::<String>(1, "resolution")?,
            &author(2)?,
        )?),
        "add_note" => json(&book.add_note(a.get(0, "note")?, &author(1)?)?),
        "record_feedback" => json(&book.record_feedback(a.get(0, "feedback")?, &author(1)?)?),
        "entry" => json(&book.entry(a.get(0, "id")?)?),
        "archive_entry" => json(&book.archive_entry(a.get(0, "id")?, &author(1)?)?),
        "restore_entry" => json(&book.restore_entry(a.get(0, "id")?, &author(1)?)?),
        "readings_series" => json(&book.readings_series(
            a.get(0, "body_of_water_id")?,
            a.get(1, "since")?,
            a.get(2, "until")?,
        )?),
        "ledger" => json_ledger(&book.ledger(a.get(0, "customer_id")?)?),
        "balance" => json(&book.balance(a.get(0, "customer_id")?)?),
        "invoice_balances" => json(&book.invoice_balances(a.get(0, "customer_id")?)?),
        "statement" => {
            json(&book.statement(a.get(0, "customer_id")?, a.get(1, "from")?, a.get(2, "to")?)?)
        }
        "aging" => json(&book.aging(a.get(0, "customer_id")?, a.get(1, "as_of")?)?),
        "billing_settings" => json(&book.billing_settings()?),
        "set_billing_settings" => {
            json(&book.set_billing_settings(a.get(0, "settings")?, &author(1)?)?)
        }
        "draft_invoices" => json(&book.draft_invoices(a.get(0, "period")?, a.get(1, "options")?)?),
        "issue_invoices" => json(&book.issue_invoices(a.get(0, "drafts")?, &author(1)?)?),
        "void_invoice" => json(&book.void_invoice(
            a.get(0, "invoice_id")?,
            a.get(1, "on")?,
            &a.get::<String>(2, "reason")?,
            &author(3)?,
        )?),
        "refund_payment" => json(&book.refund_payment(
            a.get(0, "payment_id")?,
            a.get(1, "amount")?,
            a.get(2, "on")?,
            &a.get::<String>(3, "reason")?,
            &author(4)?,
        )?),
        "apply_payment" => json(&book.apply_payment(
            a.get(0, "payment_id")?,
            a.get(1, "invoice_id")?,
            a.get(2, "amount")?,
            a.get(3, "on")?,
            &author(4)?,
        )?),
        "ordered_route" => json(&book.ordered_route(
            a.get(0, "technician_id")?,
            a.get(1, "date")?,
            a.get(2, "options")?,
        )?),
        "reassign_plans" => {
            json(&book.reassign_plans(a.get(0, "from")?, a.get(1, "to")?, &author(2)?)?)
        }
        "deactivate_technician" => json(&book.deactivate_technician(
            a.get(0, "id")?,
            a.get(1, "expected_version")?,
            a.get(2, "plans_to")?,
            &author(3)?,
        )?),
        "import_segment_events" => json(&book.import_segment_events(
            Cursor::new(a.get::<String>(0, "input")?),
            &a.get(1, "mapping")?,
            &author(2)?,
        )?),
        "plan_import" => json(&book.plan_import(&a.get(0, "source")?, &a.get(1, "mapping")?)?),
        "commit_import" => {
            json(&book.commit_import(&a.get(0, "source")?, &a.get(1, "mapping")?, &author(2)?)?)
        }
        "undo_import" => json(&book.undo_import(&a.get::<String>(0, "import_id")?, &author(1)?)?),
        "save_import_mapping" => {
            json(&book.save_import_mapping(a.get(0, "mapping")?, &author(1)?)?)
        }
        "import_mappings" => json(&book.import_mappings()?),
        "import_presets" => json(&book.import_presets()),
        "guess_import_mapping" => {
            json(&book.guess_import_mapping(&a.get(0, "source")?, &a.get::<String>(1, "name")?)?)
        }
        "export_book" => json(&book.export_book(&a.get::<String>(0, "path")?)?),
        "import_book" => json(&book.import_book(&a.get::<String>(0, "path")?)?),
        "stage_map" => json(&book.stage_map()?),
        "set_stage_map" => json(&book.set_stage_map(a.get(0, "map")?, &author(1)?)?),
        "record_touchpoints" => {
            json(&book.record_touchpoints(a.get(0, "touchpoints")?, &author(1)?)?)
        }
        "touchpoints" => json(&book.touchpoints(&a.get(0, "query")?)?),
        "link_visitor" => json(&book.link_visitor(
            &a.get::<String>(0, "visitor_id")?,
            a.get(1, "customer_id")?,
            &author(2)?,
        )?),
        "unlink_visitor" => {
            json(&book.unlink_visitor(&a.get::<String>(0, "visitor_id")?, &author(1)?)?)
        }
        "lead_response_times" => json(&book.lead_response_times(&a.get(0, "query")?)?),
        "attribution" => json(&book.attribution(&a.get(0, "query")?)?),
        "save_segment" => json(&book.save_segment(a.get(0, "segment")?, &author(1)?)?),
        "segments" => json(&book.segments()?),
        "segment_members" => {
            json(&book.segment_members(&a.get::<String>(0, "name")?, a.get(1, "as_of")?)?)
        }
        "evaluate_segment" => {
            json(&book.evaluate_segment(&a.get(0, "segment")?, a.get(1, "as_of")?)?)
        }
        "timeline" => json(&book.timeline(&a.get(0, "query")?)?),
        "duplicate_candidates" => json(&book.duplicate_candidates(&a.get(0, "query")?)?),
        "decide_duplicate" => json(&book.decide_duplicate(
            a.get(0, "a")?,
            a.get(1, "b")?,
            a.get(2, "verdict")?,
            &author(3)?,
        )?),
        "merge_customers" => json(&book.merge_customers(
            a.get(0, "survivor")?,
            a.get(1, "absorbed")?,
            a.get(2, "picks")?,
            &author(3)?,
        )?),
        "unmerge_customer" => json(&book.unmerge_customer(a.get(0, "absorbed")?, &author(1)?)?),
        "resolve_customer" => json(&book.resolve_customer(a.get(0, "id")?)?),
        "quality_report" => json(&book.quality_report(a.get(0, "as_of")?)?),
        "populate_demo" => json(&poolbook::populate_demo(book, &a.get(0, "options")?)?),
        "outbox_settings" => json(&book.outbox_settings()?),
        "set_outbox_settings" => {
            json(&book.set_outbox_settings(a.get(0, "settings")?, &author(1)?)?)
        }
        "message_templates" => json(&book.message_templates()?),
        "save_message_template" => {
            json(&book.save_message_template(a.get(0, "template")?, &author(1)?)?)
        }
        "remove_message_template" => json(&book.remove_message_template(
            a.get(0, "rule")?,
            &a.get::<String>(1, "variant")?,
            &author(2)?,
        )?),
        "due_messages" => json(&book.due_messages(a.get(0, "at")?, a.get(1, "horizon_minutes")?)?),
        "mark_sent" => {
            json(&book.mark_sent(&a.get(0, "message")?, a.get(1, "sent_at")?, &author(2)?)?)
        }
        "mark_delivered" => {
            json(&book.mark_delivered(&a.get::<String>(0, "key")?, a.get(1, "at")?, &author(2)?)?)
        }
        "mark_failed" => json(&book.mark_failed(
            &a.get::<String>(0, "key")?,
            &a.get::<String>(1, "reason")?,
            a.get(2, "at")?,
            &author(3)?,
        )?),
        "record_reply" => json(&book.record_reply(a.get(0, "reply")?, &author(1)?)?),
        "outbox_records" => json(&book.outbox_records(&a.get(0, "query")?)?),
        "reply_rates" => json(&book.reply_rates(a.get(0, "since")?, a.get(1, "until")?)?),
        // Issue 17: the connected journey.
        "change_status" => json(&book.change_status(
            a.get(0, "customer_id")?,
            a.get(1, "expected_version")?,
            a.get(2, "status")?,
            a.get(3, "reason")?,
            a.get(4, "effective_at")?,
            &author(5)?,
        )?),
        "find_touchpoints" => json(&book.find_touchpoints(
            &a.get(0, "filter")?,
            a.get(1, "cursor")?,
            a.get(2, "limit")?,
        )?),
        "count_touchpoints" => json(&book.count_touchpoints(&a.get(0, "query")?)?),
        "find_entries" => json(&book.find_entries(
            &a.get(0, "filter")?,
            a.get(1, "cursor")?,
            a.get(2, "limit")?,
        )?),
        "receivables" => json(&book.receivables(a.get(0, "as_of")?, a.get(1, "top")?)?),
        "retention" => json(&book.retention(&a.get(0, "query")?)?),
        "satisfaction" => json(&book.satisfaction(&a.get(0, "query")?)?),
        "engagement" => json(&book.engagement(&a.get(0, "query")?)?),
        "experiment" => json(&book.experiment(&a.get(0, "definition")?)?),
        "compare_funnel" => json(&book.compare_funnel(
            &a.get(0, "definition")?,
            a.get(1, "before")?,
            a.get(2, "after")?,
        )?),
        "next_actions" => json(&book.next_actions(&a.get(0, "query")?)?),
        "last_before_stopping" => json(&book.last_before_stopping(&a.get(0, "query")?)?),
        "stage_report" => {
            json(&book.stage_report(a.get(0, "since")?, a.get(1, "until")?, a.get(2, "period")?)?)
        }
        "journey_map" => json(&book.journey_map(&a.get(0, "query")?)?),
        "feedback_topics" => json(&book.feedback_topics()?),
        "set_feedback_topics" => json(&book.set_feedback_topics(a.get(0, "topics")?, &author(1)?)?),
        "link_feedback_issue" => json(&book.link_feedback_issue(
            a.get(0, "feedback_id")?,
            a.get(1, "issue_id")?,
            &author(2)?,
        )?),
        "feedback_follow_ups" => json(&book.feedback_follow_ups(a.get(0, "customer_id")?)?),
        "feedback_report" => json(&book.feedback_report(a.get(0, "since")?, a.get(1, "until")?)?),
        other => Err(Error::invalid(
            "operation",
            format!("{other} is not a Book operation"),
        )),
    }
}

/// Runs a module-level core function `op` with the JSON arguments `a`.
fn dispatch_free(op: &str, a: &Args) -> Result<String, Error> {
    match op {
        "saturation_index" => {
            let readings: poolbook::Readings = a.get(0, "readings")?;
            let result = match poolbook::saturation_index(&readings, a.get(1, "method")?) {
                Ok(index) => serde_json::json!({ "ok": index }),
                Err(cannot) => {
                    serde_json::json!({ "cannot_compute": cannot, "message": cannot.to_string() })
                }
            };
            json(&result)
        }
        "flag_readings" => {
            let profile: poolbook::TargetProfile = a.get(0, "profile")?;
            let readings: poolbook::Readings = a.get(1, "readings")?;
            let csi: Option<poolbook::SaturationIndex> = a.get(2, "csi")?;
            json(&poolbook::flag_readings(&profile, &readings, csi))
        }
        "best_profile" => {
            let profiles: Vec<poolbook::TargetProfile> = a.get(0, "profiles")?;
            let best = poolbook::best_profile(
                &profiles,
                a.get(1, "kind")?,
                a.get(2, "sanitizer")?,
                a.get(3, "surface")?,
            );
            // A list of zero or one profile, so Python reads it with one list type.
            json(&best.into_iter().collect::<Vec<_>>())
        }
        "plan_due_on" => json(&poolbook::plan_due_on(
            &a.get(0, "plan")?,
            a.get(1, "date")?,
        )),
        "default_stage_map" => json(&poolbook::default_stage_map()),
        "template_fields" => json(&poolbook::template_fields(a.get(0, "rule")?)),
        "assign_variant" => json(&poolbook::assign_variant(
            &a.get::<String>(0, "experiment")?,
            a.get(1, "variants")?,
            &a.get::<String>(2, "person_id")?,
        )?),
        "normalize_phone" => json(&poolbook::normalize_phone(
            &a.get::<String>(0, "input")?,
            &a.get::<String>(1, "region_code")?,
            &a.get::<String>(2, "field")?,
        )?),
        // Core's default queries, so keyword arguments only say what differs.
        "CustomerQuery.default" => json(&poolbook::CustomerQuery::default()),
        "TimelineQuery.default" => json(&poolbook::TimelineQuery::default()),
        "TouchpointQuery.default" => json(&poolbook::TouchpointQuery::default()),
        "ChangeLogQuery.default" => json(&poolbook::ChangeLogQuery::default()),
        "DuplicateQuery.default" => json(&poolbook::DuplicateQuery::default()),
        "SecretRevealQuery.default" => json(&poolbook::SecretRevealQuery::default()),
        "ResponseTimeQuery.default" => json(&poolbook::ResponseTimeQuery::default()),
        "AttributionQuery.default" => json(&poolbook::AttributionQuery::default()),
        "EventMapping.default" => json(&poolbook::EventMapping::default()),
        "DemoOptions.default" => json(&poolbook::DemoOptions::default()),
        "OutboxQuery.default" => json(&poolbook::OutboxQuery::default()),
        "BookFilter.default" => json(&poolbook::BookFilter::default()),
        "SatisfactionQuery.default" => json(&poolbook::SatisfactionQuery::default()),
        "JourneyMapQuery.default" => json(&poolbook::JourneyMapQuery::default()),
        "DraftOptions.default" => json(&poolbook::DraftOptions::default()),
        "RouteOptions.default" => json(&poolbook::RouteOptions::default()),
        other => Err(Error::invalid(
            "function",
            format!("{other} is not a poolbook function"),
        )),
    }
}

/// A whole timeline as columns, gathered page by page without touching Python.
#[derive(Default)]
struct TimelineColumns {
    /// When, as microseconds since the Unix epoch (UTC).
    at_us: Vec<i64>,
    /// `entry`, `change` or `touchpoint`.
    item: Vec<&'static str>,
    /// The entry kind, the change action, or `touchpoint`.
    kind: Vec<&'static str>,
    /// The entry or touchpoint id, or the change's sequence number.
    id: Vec<String>,
    /// The customer, when there is one.
    customer_id: Vec<Option<String>>,
    /// The location of an entry, when it has one.
    location_id: Vec<Option<String>>,
    /// A touchpoint's channel.
    channel: Vec<Option<&'static str>>,
    /// A touchpoint's action.
    action: Vec<Option<String>>,
}

impl TimelineColumns {
    /// Reads every page of the timeline `query` asks for (its cursor and limit are ignored).
    fn read(book: &Book, mut query: poolbook::TimelineQuery) -> Result<Self, Error> {
        use poolbook::TimelineItem;
        let mut columns = TimelineColumns::default();
        query.limit = Some(poolbook::MAX_TIMELINE_PAGE);
        query.cursor = None;
        loop {
            let page = book.timeline(&query)?;
            for item in &page.items {
                columns.at_us.push(item.at().timestamp_micros());
                match item {
                    TimelineItem::Entry { entry, .. } => {
                        columns.item.push("entry");
                        columns.kind.push(entry.kind().as_str());
                        columns.id.push(entry.id().to_string());
                        columns
                            .customer_id
                            .push(Some(entry.customer_id().to_string()));
                        columns
                            .location_id
                            .push(entry.location_id().map(|id| id.to_string()));
                        columns.channel.push(None);
                        columns.action.push(None);
                    }
                    TimelineItem::Change(change) => {
                        columns.item.push("change");
                        columns.kind.push(change.action.as_str());
                        columns.id.push(change.seq.to_string());
                        columns
                            .customer_id
                            .push(change.customer_id.map(|id| id.to_string()));
                        columns.location_id.push(None);
                        columns.channel.push(None);
                        columns.action.push(None);
                    }
                    TimelineItem::Touchpoint(touchpoint) => {
                        columns.item.push("touchpoint");
                        columns.kind.push("touchpoint");
                        columns.id.push(touchpoint.id.to_string());
                        columns
                            .customer_id
                            .push(touchpoint.customer_id.map(|id| id.to_string()));
                        columns.location_id.push(None);
                        columns.channel.push(Some(touchpoint.channel.as_str()));
                        columns.action.push(Some(touchpoint.action.clone()));
                    }
                }
            }
            match page.next_cursor {
                Some(cursor) => query.cursor = Some(cursor),
                None => return Ok(columns),
            }
        }
    }

    /// The columns as a dict of Python lists, one list per column.
    fn into_dict(self, py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("at_us", PyList::new(py, self.at_us)?)?;
        dict.set_item("item", PyList::new(py, self.item)?)?;
        dict.set_item("kind", PyList::new(py, self.kind)?)?;
        dict.set_item("id", PyList::new(py, self.id)?)?;
        dict.set_item("customer_id", PyList::new(py, self.customer_id)?)?;
        dict.set_item("location_id", PyList::new(py, self.location_id)?)?;
        dict.set_item("channel", PyList::new(py, self.channel)?)?;
        dict.set_item("action", PyList::new(py, self.action)?)?;
        Ok(dict)
    }
}

/// The native book: core's `Book` (Send + Sync), shared by Python threads.
#[pyclass(module = "poolbook._native", name = "Book", frozen)]
pub struct NativeBook {
    /// The wrapped core book (shared with the Arrow streams it hands out).
    inner: Arc<Book>,
}

#[pymethods]
impl NativeBook {
    /// Opens (or creates) the book file at `path`, or the PostgreSQL book
    /// a `postgresql://` URL names.
    #[staticmethod]
    fn open(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let inner = py.detach(|| Book::open(path)).map_err(to_py_err)?;
        Ok(NativeBook {
            inner: Arc::new(inner),
        })
    }

    /// Opens the book file at `path` for reading only.
    #[staticmethod]
    fn open_read_only(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let inner = py
            .detach(|| Book::open_read_only(path))
            .map_err(to_py_err)?;
        Ok(NativeBook {
            inner: Arc::new(inner),
        })
    }

    /// Opens the book file at `path` as the JSON array `[options]` says.
    #[staticmethod]
    fn open_with(py: Python<'_>, path: PathBuf, args: &str) -> PyResult<Self> {
        let inner = py
            .detach(|| {
                let options: poolbook::OpenOptions = Args::parse(args)?.get(0, "options")?;
                Book::open_with(path, &options)
            })
            .map_err(to_py_err)?;
        Ok(NativeBook {
            inner: Arc::new(inner),
        })
    }

    /// Unlocks the book's secrets with `provider`: a native `KeyProvider`
    /// or any object with a `key_encryption_key(salt: bytes)` method.
    fn unlock(&self, py: Python<'_>, provider: Bound<'_, PyAny>) -> PyResult<()> {
        let provider = key_provider(provider);
        py.detach(|| self.inner.unlock(provider)).map_err(to_py_err)
    }

    /// Rewraps the data key under the key `provider` gives (JSON `[author]`).
    fn rotate_key_encryption_key(
        &self,
        py: Python<'_>,
        provider: Bound<'_, PyAny>,
        args: &str,
    ) -> PyResult<()> {
        self.rotate(py, provider, args, Book::rotate_key_encryption_key)
    }

    /// Reseals every secret under a new data key wrapped by `provider`'s key (JSON `[author]`).
    fn rotate_data_key(
        &self,
        py: Python<'_>,
        provider: Bound<'_, PyAny>,
        args: &str,
    ) -> PyResult<()> {
        self.rotate(py, provider, args, Book::rotate_data_key)
    }

    /// A new, empty book held in memory.
    #[staticmethod]
    fn memory(py: Python<'_>) -> PyResult<Self> {
        let inner = py.detach(Book::open_in_memory).map_err(to_py_err)?;
        Ok(NativeBook {
            inner: Arc::new(inner),
        })
    }

    /// Runs the core operation `op` with a JSON array of arguments; returns JSON.
    fn call(&self, py: Python<'_>, op: &str, args: &str) -> PyResult<String> {
        py.detach(|| Args::parse(args).and_then(|a| dispatch(&self.inner, op, &a)))
            .map_err(to_py_err)
    }

    /// Runs a read-only SQL query; returns its column names and its rows as
    /// tuples of None, int, float, str and bytes. No JSON on the way: the
    /// parameters and cells convert directly.
    fn sql<'py>(
        &self,
        py: Python<'py>,
        query: &str,
        params: Vec<Bound<'py, PyAny>>,
    ) -> PyResult<(Vec<String>, Bound<'py, PyList>)> {
        let params = params
            .iter()
            .enumerate()
            .map(|(index, param)| sql_param(param, index))
            .collect::<Result<Vec<_>, Error>>()
            .map_err(to_py_err)?;
        let found = py
            .detach(|| self.inner.sql(query, params))
            .map_err(to_py_err)?;
        let rows = PyList::empty(py);
        for row in found.rows {
            let cells = row
                .into_iter()
                .map(|cell| sql_cell(py, cell))
                .collect::<PyResult<Vec<_>>>()?;
            rows.append(PyTuple::new(py, cells)?)?;
        }
        Ok((found.columns, rows))
    }

    /// `table` (`visits`, `customers`, ...) as an object implementing the
    /// Arrow PyCapsule stream interface, for one customer if given.
    #[pyo3(signature = (table, customer_id = None))]
    fn to_arrow(&self, table: &str, customer_id: Option<&str>) -> PyResult<arrow::ArrowStream> {
        let table = arrow::table(table).map_err(to_py_err)?;
        let customer_id = customer_id.map(parse_customer_id).transpose()?;
        Ok(arrow::stream(self.inner.clone(), table, customer_id))
    }

    /// `table` as a dict of Python lists (see `arrow::columns`), for one
    /// customer if given.
    #[pyo3(signature = (table, customer_id = None))]
    fn arrow_columns<'py>(
        &self,
        py: Python<'py>,
        table: &str,
        customer_id: Option<&str>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let table = arrow::table(table).map_err(to_py_err)?;
        let mut reader = poolbook::arrow_batches(self.inner.clone(), table);
        if let Some(id) = customer_id {
            reader = reader.for_customer(parse_customer_id(id)?);
        }
        arrow::columns(py, reader)
    }

    /// Writes `table` to a Parquet file at `path` (ZSTD); returns the rows written.
    fn write_parquet(&self, py: Python<'_>, table: &str, path: &str) -> PyResult<u64> {
        let table = arrow::table(table).map_err(to_py_err)?;
        py.detach(|| self.inner.write_parquet(table, path))
            .map_err(to_py_err)
    }

    /// The whole timeline a JSON `TimelineQuery` asks for, as a dict of column lists.
    ///
    /// Read in Rust page by page with the GIL released, then turned into one
    /// Python list per column: no per-row JSON, no per-row call into Rust.
    fn timeline_columns<'py>(&self, py: Python<'py>, query: &str) -> PyResult<Bound<'py, PyDict>> {
        let columns = py
            .detach(|| {
                let query = Args::parse(query)?.get(0, "query")?;
                TimelineColumns::read(&self.inner, query)
            })
            .map_err(to_py_err)?;
        columns.into_dict(py)
    }
}

/// A customer id from Python, or a ValidationError naming `customer_id`.
fn parse_customer_id(id: &str) -> PyResult<poolbook::CustomerId> {
    id.parse()
        .map_err(|_| to_py_err(Error::invalid("customer_id", "is not a customer id")))
}

/// One of core's key rotations (`Book::rotate_data_key`, `Book::rotate_key_encryption_key`).
type Rotation = fn(&Book, Arc<dyn KeyProvider>, &poolbook::Author) -> Result<(), Error>;

impl NativeBook {
    /// Runs a key rotation with the core provider behind `provider` and the
    /// author in the JSON `[author]`, the GIL released.
    fn rotate(
        &self,
        py: Python<'_>,
        provider: Bound<'_, PyAny>,
        args: &str,
        rotation: Rotation,
    ) -> PyResult<()> {
        let provider = key_provider(provider);
        py.detach(|| {
            let author = Args::parse(args)?.get(0, "author")?;
            rotation(&self.inner, provider, &author)
        })
        .map_err(to_py_err)
    }
}

/// One of core's key providers (static key, passphrase), held for Python.
#[pyclass(module = "poolbook._native", name = "KeyProvider", frozen)]
pub struct NativeKeyProvider {
    /// The core provider.
    inner: Arc<dyn KeyProvider>,
}

/// A key provider written in Python: an object whose
/// `key_encryption_key(salt: bytes)` returns 32 bytes or None.
struct PythonKeyProvider(Py<PyAny>);

impl KeyProvider for PythonKeyProvider {
    fn key_encryption_key(&self, salt: Vec<u8>) -> Option<Vec<u8>> {
        Python::attach(|py| {
            let key = self
                .0
                .call_method1(py, "key_encryption_key", (PyBytes::new(py, &salt),))
                .ok()?;
            key.extract::<Option<Vec<u8>>>(py).ok().flatten()
        })
    }
}

/// The core provider behind a Python value: a native one as it is, any
/// other object as a [`PythonKeyProvider`].
fn key_provider(provider: Bound<'_, PyAny>) -> Arc<dyn KeyProvider> {
    match provider.cast::<NativeKeyProvider>() {
        Ok(native) => Arc::clone(&native.get().inner),
        Err(_) => Arc::new(PythonKeyProvider(provider.unbind())),
    }
}

/// A key provider that always gives `key` (32 bytes).
#[pyfunction]
fn static_key_provider(key: Vec<u8>) -> PyResult<NativeKeyProvider> {
    let inner = poolbook::static_key_provider(key).map_err(to_py_err)?;
    Ok(NativeKeyProvider { inner })
}

/// A key provider deriving the key from `passphrase` with Argon2id; a cost
/// of `memory_kib` and `iterations` other than core's defaults if given.
#[pyfunction]
#[pyo3(signature = (passphrase, memory_kib = None, iterations = None))]
fn passphrase_key_provider(
    passphrase: String,
    memory_kib: Option<u32>,
    iterations: Option<u32>,
) -> PyResult<NativeKeyProvider> {
    let inner = poolbook::passphrase_key_provider_with_cost(
        passphrase,
        memory_kib.unwrap_or(poolbook::PASSPHRASE_MEMORY_KIB),
        iterations.unwrap_or(poolbook::PASSPHRASE_ITERATIONS),
    )
    .map_err(to_py_err)?;
    Ok(NativeKeyProvider { inner })
}

/// A Python value as a SQL parameter: None, bool or int, float, str, bytes.
fn sql_param(value: &Bound<'_, PyAny>, index: usize) -> Result<SqlValue, Error> {
    let field = || format!("params[{index}]");
    if value.is_none() {
        Ok(SqlValue::Null)
    } else if let Ok(flag) = value.cast::<PyBool>() {
        Ok(SqlValue::Integer {
            value: i64::from(flag.is_true()),
        })
    } else if value.is_instance_of::<PyInt>() {
        value
            .extract::<i64>()
            .map(|value| SqlValue::Integer { value })
            .map_err(|_| Error::invalid(field(), "is an integer outside the 64-bit range"))
    } else if let Ok(number) = value.cast::<PyFloat>() {
        Ok(SqlValue::Real {
            value: number.value(),
        })
    } else if let Ok(text) = value.cast::<PyString>() {
        Ok(SqlValue::Text {
            value: text
                .to_cow()
                .map_err(|_| Error::invalid(field(), "is not valid UTF-8"))?
                .into_owned(),
        })
    } else if let Ok(bytes) = value.extract::<Vec<u8>>() {
        Ok(SqlValue::Blob { value: bytes })
    } else {
        Err(Error::invalid(
            field(),
            "must be None, an int, a float, a str or bytes",
        ))
    }
}

/// A SQL cell as a Python value.
fn sql_cell(py: Python<'_>, cell: SqlValue) -> PyResult<Bound<'_, PyAny>> {
    Ok(match cell {
        SqlValue::Null => py.None().into_bound(py),
        SqlValue::Integer { value } => value.into_pyobject(py)?.into_any(),
        SqlValue::Real { value } => PyFloat::new(py, value).into_any(),
        SqlValue::Text { value } => PyString::new(py, &value).into_any(),
        SqlValue::Blob { value } => PyBytes::new(py, &value).into_any(),
    })
}

/// Runs the module-level core function `op` with a JSON array of arguments; returns JSON.
#[pyfunction]
fn call_function(py: Python<'_>, op: &str, args: &str) -> PyResult<String> {
    py.detach(|| Args::parse(args).and_then(|a| dispatch_free(op, &a)))
        .map_err(to_py_err)
}

/// A fresh UUIDv7 identifier (ADR 0001), for records built in Python.
#[pyfunction]
fn new_id() -> String {
    poolbook::CustomerId::new().to_string()
}

/// The module `poolbook._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeBook>()?;
    m.add_class::<NativeKeyProvider>()?;
    m.add_class::<arrow::ArrowStream>()?;
    m.add_function(wrap_pyfunction!(static_key_provider, m)?)?;
    m.add_function(wrap_pyfunction!(passphrase_key_provider, m)?)?;
    m.add_function(wrap_pyfunction!(call_function, m)?)?;
    m.add_function(wrap_pyfunction!(new_id, m)?)?;
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    m.add("CORE_VERSION", CORE_VERSION)?;
    Ok(())
}
