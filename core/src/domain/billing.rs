//! Drafting one customer's invoice for a period from the record: the rate
//! and its basis, the visits (skipped ones by the rate's rule), the doses
//! added when the plan bills chemicals, one-off charges; each line with the
//! key of what it bills, so nothing is billed twice. Pure: the book reads
//! the record and the billed keys, this decides the lines.

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate};
use rust_decimal::Decimal;

use crate::domain::limits::MAX_MONEY;
use crate::domain::time_zone::BookZone;
use crate::model::{
    BillingPeriod, BillingSettings, ChemicalDose, Customer, Invoice, InvoiceDraft, InvoiceLine,
    LifecycleStatus, OneOffCharge, RateBasis, ServicePlan, Visit, VisitOutcome, accounting_time,
};
use crate::{EntryId, format_money};

/// What one customer's draft is made from.
pub(crate) struct DraftInput<'a> {
    /// The account.
    pub customer: &'a Customer,
    /// Its visits in the period, oldest first.
    pub visits: &'a [Visit],
    /// Its one-off charges dated in the period.
    pub charges: &'a [&'a OneOffCharge],
}

/// Where the lines come from: the period, the invoice date, the book's
/// settings and time zone, and the keys already billed.
pub(crate) struct DraftContext<'a> {
    /// The days billed.
    pub period: BillingPeriod,
    /// The invoice date.
    pub issued_on: NaiveDate,
    /// Tax and prices.
    pub settings: &'a BillingSettings,
    /// The book's time zone: a visit's day is its local day.
    pub zone: &'a BookZone,
    /// Keys of items already billed by an issued invoice.
    pub billed: &'a HashSet<String>,
}

/// The key a visit's service is billed under.
pub(crate) fn visit_key(visit: EntryId) -> String {
    format!("visit:{visit}")
}

/// The keys a customer's draft may bill, and the keys it checks so
/// nothing is billed twice: each visit's own, its doses', the charges', and
/// every periodic charge of the period at each serviced or visited location
/// (whatever the customer's basis: a merge can bring a location billed on
/// another one). Read which are billed before drafting.
pub(crate) fn candidate_keys(input: &DraftInput<'_>, period: BillingPeriod) -> Vec<String> {
    let customer = input.customer;
    let mut keys = Vec::new();
    let mut places: Vec<crate::LocationId> = customer
        .locations
        .iter()
        .filter(|location| location.service_plan.is_some())
        .map(|location| location.id)
        .collect();
    for visit in input.visits {
        keys.push(visit_key(visit.id));
        if !places.contains(&visit.location_id) {
            places.push(visit.location_id);
        }
        let bills_chemicals = customer
            .location(visit.location_id)
            .and_then(|location| location.service_plan.as_ref())
            .is_some_and(|plan| plan.bills_chemicals);
        if bills_chemicals {
            keys.extend((0..visit.chemicals.len()).map(|index| dose_key(visit.id, index)));
        }
    }
    for charge in input.charges {
        keys.push(charge_key(charge.id));
    }
    for place in places {
        keys.extend(periodic_keys_covering(
            customer,
            place,
            period.from,
            period.to,
            period,
        ));
    }
    keys
}

/// The keys of every periodic charge that would cover days `from..=to` at
/// `location`, whatever the rate basis: the months they touch, the season
/// of its plan, a flat charge for `period`. A service billed under one of
/// them (on another basis, before a merge brought the location under this
/// one) is not billed again.
fn periodic_keys_covering(
    customer: &Customer,
    location: crate::LocationId,
    from: NaiveDate,
    to: NaiveDate,
    period: BillingPeriod,
) -> Vec<String> {
    let mut keys = vec![flat_key(location, period)];
    let mut month = from.with_day(1);
    while let Some(first) = month.filter(|first| *first <= to) {
        keys.push(month_key(location, first));
        month = first.checked_add_months(chrono::Months::new(1));
    }
    if let Some(plan) = customer
        .location(location)
        .and_then(|place| place.service_plan.as_ref())
        .filter(|plan| plan_overlaps(plan, from, to))
    {
        keys.push(season_key(location, plan));
    }
    keys
}

fn dose_key(visit: EntryId, index: usize) -> String {
    format!("dose:{visit}:{index}")
}

fn charge_key(charge: EntryId) -> String {
    format!("charge:{charge}")
}

fn month_key(location: crate::LocationId, month: NaiveDate) -> String {
    format!("month:{location}:{}", month.format("%Y-%m"))
}

fn season_key(location: crate::LocationId, plan: &ServicePlan) -> String {
    format!("season:{location}:{}", plan.starts_on)
}

fn flat_key(location: crate::LocationId, period: BillingPeriod) -> String {
    format!("flat:{location}:{}:{}", period.from, period.to)
}

/// The first days of the months that begin within `period`.
fn months_starting_in(period: BillingPeriod) -> Vec<NaiveDate> {
    let mut months = Vec::new();
    let mut month = NaiveDate::from_ymd_opt(period.from.year(), period.from.month(), 1);
    while let Some(first) = month {
        if first > period.to {
            break;
        }
        if first >= period.from {
            months.push(first);
        }
        month = first.checked_add_months(chrono::Months::new(1));
    }
    months
}

/// The last day of the month starting on `first`.
fn month_end(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(first)
}

/// Whether `plan` serves any day of `[from, to]`.
fn plan_overlaps(plan: &ServicePlan, from: NaiveDate, to: NaiveDate) -> bool {
    plan.starts_on <= to && plan.ends_on.is_none_or(|end| end >= from)
}

/// A dose amount as a decimal quantity, to the thousandth.
fn dose_quantity(dose: &ChemicalDose) -> Option<Decimal> {
    Decimal::try_from(dose.amount)
        .ok()
        .map(|amount| amount.round_dp(3).normalize())
        .filter(|amount| *amount > Decimal::ZERO && *amount <= MAX_MONEY)
}

/// A periodic charge a draft may make for one location.
struct PeriodicCharge {
    /// What it bills (`month:…`, `season:…`, `flat:…`).
    key: String,
    /// The invoice line's text.
    description: String,
    /// The first and last day it covers.
    days: (NaiveDate, NaiveDate),
    /// The completed visits in those days.
    visits: Vec<EntryId>,
}

/// Drafts the customer's invoice for the period, or `None` when it would
/// charge nothing.
pub(crate) fn draft(input: &DraftInput<'_>, context: &DraftContext<'_>) -> Option<InvoiceDraft> {
    let customer = input.customer;
    let billing = &customer.billing;
    let settings = context.settings;
    let period = context.period;
    let tax_when = |taxed: bool| settings.tax_rate.filter(|_| taxed);
    let service_tax = tax_when(settings.tax_service);
    let several_places = customer.locations.len() > 1;
    let place = |location: crate::LocationId| -> String {
        match customer.location(location) {
            Some(location) if several_places => match &location.label {
                Some(label) => format!(" ({label})"),
                None => format!(" ({})", location.address.line1),
            },
            _ => String::new(),
        }
    };
    let mut lines: Vec<InvoiceLine> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    let unbilled = |key: &str| !context.billed.contains(key);
    let line = |description: String,
                quantity: Decimal,
                unit_price: Decimal,
                key: String,
                visits: Vec<EntryId>,
                tax_rate: Option<Decimal>| InvoiceLine {
        description,
        quantity,
        unit_price,
        visit_ids: visits,
        tax_rate,
        billing_key: Some(key),
    };
    let active = customer.status == LifecycleStatus::Active;
    let local_day = |visit: &Visit| context.zone.date_of(visit.at);

    // The periodic charges of monthly, seasonal and flat rates, one per
    // serviced location.
    if let (Some(rate), true) = (billing.rate, active) {
        for location in &customer.locations {
            let Some(plan) = &location.service_plan else {
                continue;
            };
            let at_place = place(location.id);
            let visits_between = |from: NaiveDate, to: NaiveDate| -> Vec<EntryId> {
                input
                    .visits
                    .iter()
                    .filter(|v| v.location_id == location.id)
                    .filter(|v| v.outcome == VisitOutcome::Completed)
                    .filter(|v| (from..=to).contains(&local_day(v)))
                    .map(|v| v.id)
                    .collect()
            };
            let mut due: Vec<PeriodicCharge> = Vec::new();
            match billing.rate_basis {
                RateBasis::PerVisit => {}
                RateBasis::Monthly => {
                    for first in months_starting_in(period) {
                        let last = month_end(first);
                        if plan_overlaps(plan, first, last) {
                            let days = (first, last.min(period.to));
                            due.push(PeriodicCharge {
                                key: month_key(location.id, first),
                                description: format!(
                                    "Monthly service, {}{at_place}",
                                    first.format("%B %Y")
                                ),
                                days,
                                visits: visits_between(days.0, days.1),
                            });
                        }
                    }
                }
                RateBasis::PerSeason => {
                    if plan_overlaps(plan, period.from, period.to) {
                        let season = match plan.ends_on {
                            Some(end) => format!("{} to {end}", plan.starts_on),
                            None => format!("from {}", plan.starts_on),
                        };
                        due.push(PeriodicCharge {
                            key: season_key(location.id, plan),
                            description: format!("Season service {season}{at_place}"),
                            days: (period.from, period.to),
                            visits: visits_between(period.from, period.to),
                        });
                    }
                }
                RateBasis::Flat => {
                    if plan_overlaps(plan, period.from, period.to) {
                        due.push(PeriodicCharge {
                            key: flat_key(location.id, period),
                            description: format!(
                                "Service {} to {}{at_place}",
                                period.from, period.to
                            ),
                            days: (period.from, period.to),
                            visits: visits_between(period.from, period.to),
                        });
                    }
                }
            }
            for PeriodicCharge {
                key,
                description,
                days: (from, to),
                visits,
            } in due
            {
                if !unbilled(&key) {
                    continue;
                }
                // Days or visits billed on another basis (before a merge
                // brought this location under this rate) leave the charge
                // for the office to decide.
                let billed_otherwise =
                    periodic_keys_covering(customer, location.id, from, to, period)
                        .iter()
                        .any(|other| *other != key && !unbilled(other))
                        || visits.iter().any(|visit| !unbilled(&visit_key(*visit)));
                if billed_otherwise {
                    warnings.push(format!(
                        "{description}: not charged, its days were billed on another rate basis"
                    ));
                    continue;
                }
                lines.push(line(
                    description,
                    Decimal::ONE,
                    rate,
                    key,
                    visits,
                    service_tax,
                ));
            }
        }
    }

    // Visit by visit: the service of a per-visit rate, then the doses.
    for visit in input.visits {
        let day = local_day(visit);
        if !period.contains(day) {
            continue;
        }
        let at_place = place(visit.location_id);
        let key = visit_key(visit.id);
        let service_due = billing.rate_basis == RateBasis::PerVisit && unbilled(&key);
        let covered_before = service_due
            && periodic_keys_covering(customer, visit.location_id, day, day, period)
                .iter()
                .any(|periodic| !unbilled(periodic));
        if covered_before {
            warnings.push(format!(
                "visit {day}{at_place}: not charged, a periodic charge billed its service already"
            ));
        } else if service_due {
            match (billing.rate, visit.skip_reason) {
                (Some(rate), None) => lines.push(line(
                    format!("Service visit {day}{at_place}"),
                    Decimal::ONE,
                    rate,
                    key,
                    vec![visit.id],
                    service_tax,
                )),
                (Some(rate), Some(reason)) => {
                    let billed = billing.billed_skips.contains(&reason);
                    lines.push(line(
                        if billed {
                            format!(
                                "Service visit {day}{at_place}, skipped ({})",
                                reason.label()
                            )
                        } else {
                            format!(
                                "Service visit {day}{at_place}, skipped ({}): no charge",
                                reason.label()
                            )
                        },
                        Decimal::ONE,
                        if billed { rate } else { Decimal::ZERO },
                        key,
                        vec![visit.id],
                        service_tax,
                    ));
                }
                (None, _) => warnings.push(format!(
                    "visit {day}{at_place}: the account has no rate, so the service is not charged"
                )),
            }
        }
        let bills_chemicals = customer
            .location(visit.location_id)
            .and_then(|location| location.service_plan.as_ref())
            .is_some_and(|plan| plan.bills_chemicals);
        if !bills_chemicals || visit.outcome != VisitOutcome::Completed {
            continue;
        }
        for (index, dose) in visit.chemicals.iter().enumerate() {
            let key = dose_key(visit.id, index);
            if !unbilled(&key) {
                continue;
            }
            let wanted = dose.product.trim().to_lowercase();
            let price = settings
                .chemical_prices
                .iter()
                .find(|p| p.unit == dose.unit && p.product.trim().to_lowercase() == wanted);
            match (price, dose_quantity(dose)) {
                (Some(price), Some(quantity)) => lines.push(line(
                    format!(
                        "{}, {} {} ({day}){at_place}",
                        dose.product,
                        quantity,
                        dose.unit.label()
                    ),
                    quantity,
                    price.unit_price,
                    key,
                    vec![visit.id],
                    tax_when(settings.tax_chemicals),
                )),
                _ => warnings.push(format!(
                    "visit {day}{at_place}: no price for {} in {}, so it is not charged",
                    dose.product,
                    dose.unit.label()
                )),
            }
        }
    }

    for charge in input.charges {
        let key = charge_key(charge.id);
        if period.contains(charge.on) && unbilled(&key) {
            lines.push(line(
                charge.description.clone(),
                charge.quantity,
                charge.unit_price,
                key,
                Vec::new(),
                tax_when(charge.taxable),
            ));
        }
    }

    let mut invoice = Invoice::new(
        customer.id,
        "",
        context.issued_on,
        context.issued_on + Duration::days(i64::from(billing.terms_days)),
        lines,
    );
    invoice.at = accounting_time(context.issued_on);
    if let [only] = customer.locations.as_slice() {
        invoice.location_id = Some(only.id);
    }
    invoice.memo = Some(format!("Service {} to {}", period.from, period.to));
    let total = invoice.total();
    if total <= Decimal::ZERO {
        return None;
    }
    if total > MAX_MONEY {
        warnings.push(format!(
            "the invoice totals {}, more than an invoice may",
            format_money(total)
        ));
    }
    Some(InvoiceDraft {
        subtotal: invoice.subtotal(),
        tax: invoice.tax(),
        total,
        customer_name: customer.display_name.clone(),
        invoice,
        warnings,
    })
}
