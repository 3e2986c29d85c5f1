//! The billing ledger of one customer: balances derived from invoices,
//! payments and credits (never stored), what remains on each invoice,
//! statements for a period, and aging. Money is `Decimal` throughout.

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::limits::{self, MAX_LIST_ITEMS, MAX_MONEY};
use crate::foundation::error::Problems;
use crate::foundation::sorting;
use crate::model::{Credit, CreditKind, Entry, EntryKind, Invoice, Payment};
use crate::{EntryId, Error, Result, format_money};

/// A customer's invoices, payments and credits, and what they add up to.
/// (Kotlin and Swift: an object whose methods give the figures.)
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct Ledger {
    invoices: Vec<Invoice>,
    payments: Vec<Payment>,
    credits: Vec<Credit>,
}

/// One invoice with what has been paid and credited against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct InvoiceBalance {
    /// The invoice.
    pub invoice_id: EntryId,
    /// Its number.
    pub number: String,
    /// Its accounting date.
    pub issued_on: NaiveDate,
    /// When it is due.
    pub due_on: NaiveDate,
    /// What it asks for.
    pub total: Decimal,
    /// Payments applied to it.
    pub paid: Decimal,
    /// Credits applied to it (a void counts here: it credits what remained).
    pub credited: Decimal,
    /// Adjustments tied to it: late fees (positive) and corrections
    /// (negative) change what remains on it.
    pub adjusted: Decimal,
    /// What is still owed on it.
    pub remaining: Decimal,
    /// Whether it was voided.
    pub void: bool,
}

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StatementLine {
    /// Accounting date.
    pub on: NaiveDate,
    /// The ledger entry.
    pub entry_id: EntryId,
    /// Invoice, payment or credit.
    pub kind: EntryKind,
    /// What the customer reads: "Invoice 1042", "Payment (check)".
    pub description: String,
    /// Effect on the balance: invoices add, payments and credits subtract.
    pub amount: Decimal,
    /// The balance after this line.
    pub running_balance: Decimal,
}

/// A statement for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Statement {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The balance at the end of the day before `from`.
    pub opening_balance: Decimal,
    /// Entries dated within the period, in date order.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub lines: Vec<StatementLine>,
    /// The balance at the end of `to`.
    pub closing_balance: Decimal,
}

/// What is owed, by how long it has been past due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Aging {
    /// The day the ages are counted to.
    pub as_of: NaiveDate,
    /// Not yet due.
    pub current: Decimal,
    /// 1 to 30 days past due.
    pub days_1_30: Decimal,
    /// 31 to 60 days past due.
    pub days_31_60: Decimal,
    /// 61 to 90 days past due.
    pub days_61_90: Decimal,
    /// More than 90 days past due.
    pub over_90: Decimal,
    /// Money on account, not applied to any invoice.
    pub unapplied: Decimal,
    /// The buckets' sum less what is on account.
    pub total_due: Decimal,
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Ledger {
    /// A ledger over these entries.
    #[cfg_attr(feature = "uniffi", uniffi::constructor)]
    pub fn new(invoices: Vec<Invoice>, payments: Vec<Payment>, credits: Vec<Credit>) -> Self {
        Ledger {
            invoices,
            payments,
            credits,
        }
    }

    /// What the customer owes: invoices less payments, plus credits' effects.
    pub fn balance(&self) -> Decimal {
        self.balance_through(None)
    }

    /// What the customer owed at the end of `day`.
    pub fn balance_on(&self, day: NaiveDate) -> Decimal {
        self.balance_through(Some(day))
    }

    /// Every invoice with what remains on it, by issue date then number.
    pub fn invoice_balances(&self) -> Vec<InvoiceBalance> {
        self.balances_through(None)
    }

    /// Money on account: unapplied parts of payments, and credits not tied to an invoice.
    pub fn unapplied(&self) -> Decimal {
        self.unapplied_through(None)
    }

    /// A statement for `[from, to]`.
    pub fn statement(&self, from: NaiveDate, to: NaiveDate) -> Result<Statement> {
        if to < from {
            return Err(Error::invalid("to", "is before from"));
        }
        let opening_balance = match from.pred_opt() {
            Some(day_before) => self.balance_on(day_before),
            None => Decimal::ZERO,
        };
        let within = |on: NaiveDate| from <= on && on <= to;
        let mut lines: Vec<(NaiveDate, u8, EntryId, EntryKind, String, Decimal)> = Vec::new();
        for invoice in self.invoices.iter().filter(|i| within(i.issued_on)) {
            lines.push((
                invoice.issued_on,
                0,
                invoice.id,
                EntryKind::Invoice,
                format!("Invoice {}", invoice.number),
                invoice.total(),
            ));
        }
        for payment in self.payments.iter().filter(|p| within(p.received_on)) {
            let description = match &payment.reference {
                Some(reference) => format!("Payment ({} {reference})", payment.method.label()),
                None => format!("Payment ({})", payment.method.label()),
            };
            lines.push((
                payment.received_on,
                1,
                payment.id,
                EntryKind::Payment,
                description,
                -payment.amount,
            ));
        }
        for credit in self.credits.iter().filter(|c| within(c.posted_on)) {
            let number = credit.invoice_id.and_then(|id| {
                self.invoices
                    .iter()
                    .find(|invoice| invoice.id == id)
                    .map(|invoice| invoice.number.as_str())
            });
            let description = match (credit.kind, number) {
                (CreditKind::Void, Some(number)) => {
                    format!("Void of invoice {number}: {}", credit.reason)
                }
                (CreditKind::Adjustment, Some(number)) => {
                    format!("Adjustment, invoice {number}: {}", credit.reason)
                }
                (CreditKind::Credit, _) => format!("Credit: {}", credit.reason),
                (CreditKind::Adjustment, None) => format!("Adjustment: {}", credit.reason),
                (CreditKind::Void, None) => format!("Void: {}", credit.reason),
                (CreditKind::Refund, _) => format!("Refund: {}", credit.reason),
            };
            lines.push((
                credit.posted_on,
                2,
                credit.id,
                EntryKind::Credit,
                description,
                credit.balance_effect(),
            ));
        }
        sorting::sort_by_key(&mut lines, |line| (line.0, line.1, line.2));
        let mut running_balance = opening_balance;
        let lines: Vec<StatementLine> = lines
            .into_iter()
            .map(|(on, _, entry_id, kind, description, amount)| {
                running_balance = running_balance.saturating_add(amount);
                StatementLine {
                    on,
                    entry_id,
                    kind,
                    description,
                    amount,
                    running_balance,
                }
            })
            .collect();
        Ok(Statement {
            from,
            to,
            opening_balance,
            lines,
            closing_balance: running_balance,
        })
    }

    /// What was owed at the end of `as_of`, bucketed by days past due
    /// (payments and credits dated later do not count).
    pub fn aging(&self, as_of: NaiveDate) -> Aging {
        let mut aging = Aging {
            as_of,
            current: Decimal::ZERO,
            days_1_30: Decimal::ZERO,
            days_31_60: Decimal::ZERO,
            days_61_90: Decimal::ZERO,
            over_90: Decimal::ZERO,
            unapplied: self.unapplied_through(Some(as_of)),
            total_due: Decimal::ZERO,
        };
        for (days_past_due, remaining) in self.aging_detail(as_of) {
            let bucket = match days_past_due {
                ..=0 => &mut aging.current,
                1..=30 => &mut aging.days_1_30,
                31..=60 => &mut aging.days_31_60,
                61..=90 => &mut aging.days_61_90,
                _ => &mut aging.over_90,
            };
            *bucket = bucket.saturating_add(remaining);
        }
        aging.total_due = sum([
            aging.current,
            aging.days_1_30,
            aging.days_31_60,
            aging.days_61_90,
            aging.over_90,
        ])
        .saturating_sub(aging.unapplied);
        aging
    }

    /// Whether, at the end of `as_of`, any invoice had money remaining past its due date.
    pub fn is_overdue(&self, as_of: NaiveDate) -> bool {
        self.balances_through(Some(as_of))
            .iter()
            .any(|invoice| invoice.remaining > Decimal::ZERO && invoice.due_on < as_of)
    }
}

impl Ledger {
    /// Takes in one more invoice, payment or credit (others are ignored).
    pub(crate) fn add(&mut self, entry: &Entry) {
        match entry {
            Entry::Invoice(invoice) => self.invoices.push(invoice.clone()),
            Entry::Payment(payment) => self.payments.push(payment.clone()),
            Entry::Credit(credit) => self.credits.push(credit.clone()),
            _ => {}
        }
    }

    fn balance_through(&self, day: Option<NaiveDate>) -> Decimal {
        let counts = |on: NaiveDate| day.is_none_or(|day| on <= day);
        let invoiced = sum(self
            .invoices
            .iter()
            .filter(|i| counts(i.issued_on))
            .map(Invoice::total));
        let paid = sum(self
            .payments
            .iter()
            .filter(|p| counts(p.received_on))
            .map(|p| p.amount));
        let credited = sum(self
            .credits
            .iter()
            .filter(|c| counts(c.posted_on))
            .map(Credit::balance_effect));
        invoiced.saturating_sub(paid).saturating_add(credited)
    }

    /// What each payment counted by the end of `day` (all for `None`) did:
    /// the amounts applied to invoices (applications dated later left out)
    /// and what stayed on account, after its refunds (a refund takes the
    /// money on account first, then undoes applications, latest first).
    fn payment_effects(&self, day: Option<NaiveDate>) -> (HashMap<EntryId, Decimal>, Decimal) {
        let counts = |on: NaiveDate| day.is_none_or(|day| on <= day);
        let mut refunded: HashMap<EntryId, Decimal> = HashMap::new();
        for credit in self.credits.iter().filter(|c| counts(c.posted_on)) {
            if let (CreditKind::Refund, Some(payment)) = (credit.kind, credit.payment_id) {
                let total = refunded.entry(payment).or_default();
                *total = total.saturating_add(credit.amount);
            }
        }
        let mut paid: HashMap<EntryId, Decimal> = HashMap::new();
        let mut on_account = Decimal::ZERO;
        for payment in self.payments.iter().filter(|p| counts(p.received_on)) {
            let mut applied: Vec<(EntryId, Decimal)> = payment
                .applications
                .iter()
                .filter(|a| counts(a.applied_on.unwrap_or(payment.received_on)))
                .map(|a| (a.invoice_id, a.amount))
                .collect();
            let applied_sum = sum(applied.iter().map(|(_, amount)| *amount));
            let mut unapplied = payment.amount.saturating_sub(applied_sum);
            let mut refund = refunded.get(&payment.id).copied().unwrap_or_default();
            let from_account = refund.min(unapplied.max(Decimal::ZERO));
            unapplied = unapplied.saturating_sub(from_account);
            refund = refund.saturating_sub(from_account);
            for (_, amount) in applied.iter_mut().rev() {
                let undone = refund.min(*amount);
                *amount = amount.saturating_sub(undone);
                refund = refund.saturating_sub(undone);
            }
            for (invoice, amount) in applied {
                let paid = paid.entry(invoice).or_default();
                *paid = paid.saturating_add(amount);
            }
            on_account = on_account.saturating_add(unapplied);
        }
        (paid, on_account)
    }

    /// Invoice balances counting only payments and credits dated on or
    /// before `day` (all of them for `None`).
    fn balances_through(&self, day: Option<NaiveDate>) -> Vec<InvoiceBalance> {
        let counts = |on: NaiveDate| day.is_none_or(|day| on <= day);
        let (paid, _) = self.payment_effects(day);
        let mut credited: HashMap<EntryId, Decimal> = HashMap::new();
        let mut adjusted: HashMap<EntryId, Decimal> = HashMap::new();
        let mut voided: Vec<EntryId> = Vec::new();
        for credit in self.credits.iter().filter(|c| counts(c.posted_on)) {
            let Some(invoice) = credit.invoice_id else {
                continue;
            };
            let (map, amount) = match credit.kind {
                CreditKind::Credit => (&mut credited, credit.amount),
                CreditKind::Void => {
                    voided.push(invoice);
                    (&mut credited, credit.amount)
                }
                CreditKind::Adjustment => (&mut adjusted, credit.amount),
                CreditKind::Refund => continue,
            };
            let total = map.entry(invoice).or_default();
            *total = total.saturating_add(amount);
        }
        let mut balances: Vec<InvoiceBalance> = self
            .invoices
            .iter()
            .map(|invoice| {
                let total = invoice.total();
                let paid = paid.get(&invoice.id).copied().unwrap_or_default();
                let credited = credited.get(&invoice.id).copied().unwrap_or_default();
                let adjusted = adjusted.get(&invoice.id).copied().unwrap_or_default();
                InvoiceBalance {
                    invoice_id: invoice.id,
                    number: invoice.number.clone(),
                    issued_on: invoice.issued_on,
                    due_on: invoice.due_on,
                    total,
                    paid,
                    credited,
                    adjusted,
                    remaining: total
                        .saturating_sub(paid)
                        .saturating_sub(credited)
                        .saturating_add(adjusted),
                    void: voided.contains(&invoice.id),
                }
            })
            .collect();
        sorting::sort_by(&mut balances, |a, b| {
            (a.issued_on, &a.number).cmp(&(b.issued_on, &b.number))
        });
        balances
    }

    fn unapplied_through(&self, day: Option<NaiveDate>) -> Decimal {
        let counts = |on: NaiveDate| day.is_none_or(|day| on <= day);
        let (_, payments) = self.payment_effects(day);
        let credits = sum(self
            .credits
            .iter()
            .filter(|c| counts(c.posted_on))
            .filter(|c| c.kind == CreditKind::Credit && c.invoice_id.is_none())
            .map(|c| c.amount));
        payments.saturating_add(credits)
    }

    /// Checks a refund against the payment it gives money back from: the
    /// payment is this customer's, and the refunds of it (this one
    /// included) are no more than it.
    pub(crate) fn check_refund(&self, refund: &Credit) -> Result<()> {
        let Some(payment_id) = refund.payment_id else {
            return Ok(());
        };
        let Some(payment) = self.payments.iter().find(|p| p.id == payment_id) else {
            return Err(Error::invalid(
                "payment_id",
                "names no payment of this customer",
            ));
        };
        if refund.posted_on < payment.received_on {
            return Err(Error::invalid(
                "posted_on",
                "is before the payment was received",
            ));
        }
        let before = sum(self
            .credits
            .iter()
            .filter(|c| c.kind == CreditKind::Refund && c.payment_id == Some(payment_id))
            .map(|c| c.amount));
        let left = payment.amount.saturating_sub(before);
        if refund.amount > left {
            return Err(Error::invalid(
                "amount",
                format!(
                    "is more than the {} of the payment not yet refunded",
                    format_money(left)
                ),
            ));
        }
        Ok(())
    }

    /// What of a payment is on account now: its amount less what is
    /// applied and what was refunded (zero for a payment not in the ledger).
    pub(crate) fn on_account_of(&self, id: EntryId) -> Decimal {
        let Some(payment) = self.payments.iter().find(|p| p.id == id) else {
            return Decimal::ZERO;
        };
        let refunded = sum(self
            .credits
            .iter()
            .filter(|c| c.kind == CreditKind::Refund && c.payment_id == Some(id))
            .map(|c| c.amount));
        payment
            .unapplied()
            .saturating_sub(refunded)
            .max(Decimal::ZERO)
    }

    /// The same ledger without one payment (to check a change to it).
    pub(crate) fn without_payment(&self, id: EntryId) -> Ledger {
        Ledger {
            invoices: self.invoices.clone(),
            payments: self
                .payments
                .iter()
                .filter(|p| p.id != id)
                .cloned()
                .collect(),
            credits: self.credits.clone(),
        }
    }

    /// Each invoice with money remaining at the end of `as_of`: (days past
    /// due, negative when not yet due; remaining).
    pub fn aging_detail(&self, as_of: NaiveDate) -> Vec<(i64, Decimal)> {
        self.balances_through(Some(as_of))
            .into_iter()
            .filter(|invoice| invoice.remaining > Decimal::ZERO && invoice.issued_on <= as_of)
            .map(|invoice| ((as_of - invoice.due_on).num_days(), invoice.remaining))
            .collect()
    }
}

/// The sum of `amounts`, saturating: validation bounds every figure (see
/// [`crate::MAX_MONEY`]), and stored data must never make a read panic.
fn sum(amounts: impl IntoIterator<Item = Decimal>) -> Decimal {
    amounts
        .into_iter()
        .fold(Decimal::ZERO, Decimal::saturating_add)
}

/// The longest invoice number.
pub const MAX_INVOICE_NUMBER_CHARS: usize = 50;
/// The longest description of an invoice line.
pub const MAX_LINE_CHARS: usize = 500;

/// Checks an invoice: a number, at least one line, sane quantities, prices and tax.
pub fn check_invoice(invoice: &Invoice) -> Result<()> {
    let mut problems = Problems::default();
    if invoice.number.trim().is_empty() {
        problems.add("number", "must not be empty");
    } else if invoice.number.chars().count() > MAX_INVOICE_NUMBER_CHARS {
        problems.add(
            "number",
            format!("is longer than {MAX_INVOICE_NUMBER_CHARS} characters"),
        );
    }
    problems.check(limits::day(invoice.issued_on, "issued_on"));
    problems.check(limits::day(invoice.due_on, "due_on"));
    if invoice.lines.is_empty() {
        problems.add("lines", "an invoice needs at least one line");
    }
    problems.check(limits::items(&invoice.lines, MAX_LIST_ITEMS, "lines"));
    for (index, line) in invoice.lines.iter().enumerate() {
        if line.description.trim().is_empty() {
            problems.add(format!("lines[{index}].description"), "must not be empty");
        } else if line.description.chars().count() > MAX_LINE_CHARS {
            problems.add(
                format!("lines[{index}].description"),
                format!("is longer than {MAX_LINE_CHARS} characters"),
            );
        }
        if line.quantity <= Decimal::ZERO {
            problems.add(format!("lines[{index}].quantity"), "must be above 0");
        } else {
            problems.check(limits::quantity(
                line.quantity,
                &format!("lines[{index}].quantity"),
            ));
        }
        if line.unit_price.is_sign_negative() {
            problems.add(
                format!("lines[{index}].unit_price"),
                "must not be negative (use a credit to take money off)",
            );
        } else {
            problems.check(limits::money(
                line.unit_price,
                &format!("lines[{index}].unit_price"),
            ));
        }
    }
    for (index, line) in invoice.lines.iter().enumerate() {
        if let Some(rate) = line.tax_rate
            && (rate.is_sign_negative() || rate >= Decimal::ONE || rate.normalize().scale() > 6)
        {
            problems.add(
                format!("lines[{index}].tax_rate"),
                "must be a fraction from 0 up to 1 (0.0825 for 8.25%), at most 6 decimal places",
            );
        }
        problems.check(limits::items(
            &line.visit_ids,
            MAX_LIST_ITEMS,
            &format!("lines[{index}].visit_ids"),
        ));
        if line
            .billing_key
            .as_ref()
            .is_some_and(|key| key.trim().is_empty() || key.chars().count() > 200)
        {
            problems.add(
                format!("lines[{index}].billing_key"),
                "must be 1 to 200 characters",
            );
        }
    }
    if invoice
        .tax_rate
        .is_some_and(|rate| rate.is_sign_negative() || rate >= Decimal::ONE)
    {
        problems.add(
            "tax_rate",
            "must be a fraction from 0 up to 1 (0.0825 for 8.25%)",
        );
    } else if let Some(rate) = invoice.tax_rate
        && rate.normalize().scale() > 6
    {
        problems.add("tax_rate", "has more than 6 decimal places");
    }
    if problems.is_empty() && invoice.total() > MAX_MONEY {
        problems.add("lines", format!("the invoice totals more than {MAX_MONEY}"));
    }
    if invoice.due_on < invoice.issued_on {
        problems.add("due_on", "is before issued_on");
    }
    problems.finish()
}

/// Checks a payment against the customer's invoices: a positive amount, and
/// applications to known invoices that neither exceed the payment nor what
/// remains on each invoice.
pub fn check_payment(payment: &Payment, invoices: &[InvoiceBalance]) -> Result<()> {
    let mut problems = Problems::default();
    problems.check(limits::day(payment.received_on, "received_on"));
    if payment.amount <= Decimal::ZERO {
        problems.add("amount", "must be above 0");
    } else {
        problems.check(limits::money(payment.amount, "amount"));
    }
    problems.check(limits::items(
        &payment.applications,
        MAX_LIST_ITEMS,
        "applications",
    ));
    let mut applied: HashMap<EntryId, Decimal> = HashMap::new();
    for (index, application) in payment.applications.iter().enumerate() {
        let field = format!("applications[{index}]");
        if application.amount <= Decimal::ZERO {
            problems.add(format!("{field}.amount"), "must be above 0");
            continue;
        }
        if let Err(error) = limits::money(application.amount, &format!("{field}.amount")) {
            problems.check(Err(error));
            continue;
        }
        if let Some(on) = application.applied_on {
            if on < payment.received_on {
                problems.add(
                    format!("{field}.applied_on"),
                    "is before the payment was received",
                );
            } else {
                problems.check(limits::day(on, &format!("{field}.applied_on")));
            }
        }
        let Some(invoice) = invoices
            .iter()
            .find(|i| i.invoice_id == application.invoice_id)
        else {
            problems.add(
                format!("{field}.invoice_id"),
                "names no invoice of this customer",
            );
            continue;
        };
        let total = applied.entry(invoice.invoice_id).or_default();
        *total = total.saturating_add(application.amount);
        if *total > invoice.remaining {
            problems.add(
                format!("{field}.amount"),
                format!(
                    "is more than the {} remaining on invoice {}",
                    format_money(invoice.remaining),
                    invoice.number
                ),
            );
        }
    }
    if payment.unapplied().is_sign_negative() {
        problems.add("applications", "apply more than the payment's amount");
    }
    problems.finish()
}

/// Checks a credit or adjustment: a reason, a sensible amount, and (if it
/// is applied to an invoice) no more than that invoice's remainder.
pub fn check_credit(credit: &Credit, invoices: &[InvoiceBalance]) -> Result<()> {
    let mut problems = Problems::default();
    if credit.reason.trim().is_empty() {
        problems.add("reason", "must say why");
    } else if credit.reason.chars().count() > MAX_LINE_CHARS {
        problems.add(
            "reason",
            format!("is longer than {MAX_LINE_CHARS} characters"),
        );
    }
    problems.check(limits::day(credit.posted_on, "posted_on"));
    problems.check(limits::money(credit.amount, "amount"));
    match credit.kind {
        CreditKind::Credit | CreditKind::Void | CreditKind::Refund
            if credit.amount <= Decimal::ZERO =>
        {
            problems.add("amount", format!("a {} must be above 0", credit.kind));
        }
        CreditKind::Adjustment if credit.amount.is_zero() => {
            problems.add("amount", "an adjustment of 0 changes nothing");
        }
        _ => {}
    }
    match (credit.kind, credit.payment_id) {
        (CreditKind::Refund, None) => {
            problems.add("payment_id", "a refund names the payment it gives back");
        }
        (CreditKind::Refund, Some(_)) if credit.invoice_id.is_some() => {
            problems.add(
                "invoice_id",
                "a refund gives back a payment, not an invoice",
            );
        }
        (CreditKind::Refund, Some(_)) => {}
        (_, Some(_)) => problems.add("payment_id", "only a refund names a payment"),
        (_, None) => {}
    }
    if credit.kind == CreditKind::Void && credit.invoice_id.is_none() {
        problems.add("invoice_id", "a void names the invoice it cancels");
    }
    if let (Some(invoice_id), false) = (credit.invoice_id, credit.kind == CreditKind::Refund) {
        match invoices.iter().find(|i| i.invoice_id == invoice_id) {
            None => problems.add("invoice_id", "names no invoice of this customer"),
            Some(invoice) => check_against_invoice(credit, invoice, &mut problems),
        }
    }
    problems.finish()
}

/// What a credit, adjustment or void may take off (or add to) one invoice.
fn check_against_invoice(credit: &Credit, invoice: &InvoiceBalance, problems: &mut Problems) {
    let more_than_remains = || {
        format!(
            "is more than the {} remaining on invoice {}",
            format_money(invoice.remaining),
            invoice.number
        )
    };
    match credit.kind {
        CreditKind::Credit if credit.amount > invoice.remaining => {
            problems.add("amount", more_than_remains());
        }
        CreditKind::Adjustment if -credit.amount > invoice.remaining => {
            problems.add("amount", more_than_remains());
        }
        CreditKind::Void if invoice.void => {
            problems.add("invoice_id", "the invoice is already void");
        }
        CreditKind::Void if invoice.paid > Decimal::ZERO => problems.add(
            "invoice_id",
            format!(
                "invoice {} has {} paid on it; refund the payment or credit the invoice instead",
                invoice.number,
                format_money(invoice.paid)
            ),
        ),
        CreditKind::Void if credit.amount != invoice.remaining => problems.add(
            "amount",
            format!(
                "a void takes off exactly what remains on invoice {} ({})",
                invoice.number,
                format_money(invoice.remaining)
            ),
        ),
        _ => {}
    }
}

impl fmt::Display for Statement {
    /// The statement as a customer reads it: the opening balance, one line
    /// per invoice, payment and credit with the running balance, the closing
    /// balance; money with two decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Statement {} to {}", self.from, self.to)?;
        writeln!(
            f,
            "  {:<52} {:>10}",
            "opening balance",
            format_money(self.opening_balance)
        )?;
        for line in &self.lines {
            writeln!(
                f,
                "  {}  {:<28} {:>10} {:>10}",
                line.on,
                line.description,
                format_money(line.amount),
                format_money(line.running_balance)
            )?;
        }
        write!(
            f,
            "  {:<52} {:>10}",
            "closing balance",
            format_money(self.closing_balance)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CustomerId;
    use crate::model::{InvoiceLine, PaymentMethod};
    use chrono::Duration;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn money(cents: i64) -> Decimal {
        Decimal::new(cents, 2)
    }

    fn invoice(
        customer: CustomerId,
        number: &str,
        issued: NaiveDate,
        due: NaiveDate,
        cents: i64,
    ) -> Invoice {
        Invoice::new(
            customer,
            number,
            issued,
            due,
            vec![InvoiceLine::new("service", Decimal::ONE, money(cents))],
        )
    }

    #[test]
    fn a_partial_payment_leaves_the_rest_on_the_invoice() {
        let c = CustomerId::new();
        let march = invoice(c, "1", day(3, 1), day(3, 16), 12500);
        let payment = Payment::new(c, day(3, 10), money(5000), PaymentMethod::Check)
            .applied_to(march.id, money(5000));
        // Invoiced 125.00, paid 50.00 against it → 75.00 remains, and the balance is 75.00.
        let ledger = Ledger::new(vec![march], vec![payment], vec![]);
        assert_eq!(ledger.balance(), money(7500));
        assert_eq!(ledger.invoice_balances()[0].remaining, money(7500));
        assert_eq!(ledger.invoice_balances()[0].paid, money(5000));
    }

    #[test]
    fn tax_rounds_to_cents() {
        // 3 × 33.333 = 99.999 → 100.00; 8.25% of 100.00 = 8.25 → total 108.25.
        let mut taxed = Invoice::new(
            CustomerId::new(),
            "1",
            day(1, 1),
            day(1, 15),
            vec![InvoiceLine::new(
                "x",
                Decimal::from(3),
                Decimal::new(33333, 3),
            )],
        );
        taxed.tax_rate = Some(Decimal::new(825, 4));
        assert_eq!(taxed.subtotal(), money(10000));
        assert_eq!(taxed.total(), money(10825));
    }

    #[test]
    fn a_payment_can_be_split_and_leave_money_on_account() {
        let c = CustomerId::new();
        let (a, b) = (
            invoice(c, "1", day(1, 1), day(1, 15), 10000),
            invoice(c, "2", day(2, 1), day(2, 15), 5000),
        );
        let payment = Payment::new(c, day(2, 20), money(20000), PaymentMethod::Card)
            .applied_to(a.id, money(10000))
            .applied_to(b.id, money(5000));
        // 200.00 received: 100.00 to invoice 1, 50.00 to invoice 2, 50.00 left on account.
        // Balance 150.00 − 200.00 = −50.00 (the customer is in credit); nothing remains
        // on either invoice, so aging owes nothing and total_due is −50.00.
        let ledger = Ledger::new(vec![a, b], vec![payment], vec![]);
        assert_eq!(ledger.unapplied(), money(5000));
        assert_eq!(ledger.balance(), money(-5000));
        assert!(
            ledger
                .invoice_balances()
                .iter()
                .all(|i| i.remaining.is_zero())
        );
        assert_eq!(ledger.aging(day(3, 1)).total_due, money(-5000));
    }

    #[test]
    fn a_statement_opens_with_what_came_before_and_stops_at_its_end() {
        let c = CustomerId::new();
        let jan = invoice(c, "1", day(1, 1), day(1, 15), 10000);
        let feb = invoice(c, "2", day(2, 1), day(2, 15), 10000);
        let mar = invoice(c, "3", day(3, 1), day(3, 15), 10000);
        let paid_jan = Payment::new(c, day(1, 20), money(10000), PaymentMethod::Cash)
            .applied_to(jan.id, money(10000));
        let part_feb = Payment::new(c, day(2, 27), money(4000), PaymentMethod::Cash)
            .applied_to(feb.id, money(4000));
        let late_fee = Credit::new(
            c,
            day(2, 28),
            CreditKind::Adjustment,
            money(1500),
            "late fee",
        );
        let ledger = Ledger::new(
            vec![jan, feb, mar],
            vec![paid_jan, part_feb],
            vec![late_fee],
        );
        let statement = ledger.statement(day(2, 1), day(2, 28)).unwrap();
        // Opening: Jan invoiced 100, paid 100 → 0. February: +100, −40, +15 = 75. March excluded.
        assert_eq!(statement.opening_balance, Decimal::ZERO);
        let amounts: Vec<Decimal> = statement.lines.iter().map(|l| l.amount).collect();
        assert_eq!(amounts, [money(10000), money(-4000), money(1500)]);
        let running: Vec<Decimal> = statement.lines.iter().map(|l| l.running_balance).collect();
        assert_eq!(running, [money(10000), money(6000), money(7500)]);
        assert_eq!(statement.closing_balance, money(7500));
        assert_eq!(statement.closing_balance, ledger.balance_on(day(2, 28)));
        assert_eq!(statement.lines[2].description, "Adjustment: late fee");
        assert!(ledger.statement(day(3, 1), day(2, 1)).is_err());
    }

    #[test]
    fn aging_puts_each_invoice_in_its_bucket_at_the_boundaries() {
        let c = CustomerId::new();
        let as_of = day(6, 30);
        // Days past due → bucket: 0 current, 1 and 30 → 1–30, 31 and 60 → 31–60, 61 and 90 → 61–90, 91 → over 90.
        let invoices: Vec<Invoice> = [0, 1, 30, 31, 60, 61, 90, 91]
            .iter()
            .enumerate()
            .map(|(n, days)| {
                let due = as_of - Duration::days(*days);
                invoice(
                    c,
                    &n.to_string(),
                    due - Duration::days(15),
                    due,
                    100 * (n as i64 + 1),
                )
            })
            .collect();
        let aging = Ledger::new(invoices, vec![], vec![]).aging(as_of);
        assert_eq!(aging.current, money(100));
        assert_eq!(aging.days_1_30, money(200 + 300));
        assert_eq!(aging.days_31_60, money(400 + 500));
        assert_eq!(aging.days_61_90, money(600 + 700));
        assert_eq!(aging.over_90, money(800));
        assert_eq!(aging.total_due, money(3600));
    }

    #[test]
    fn a_credit_on_an_invoice_reduces_what_remains_and_an_adjustment_raises_the_balance() {
        let c = CustomerId::new();
        let inv = invoice(c, "1", day(1, 1), day(1, 15), 10000);
        let mut goodwill = Credit::new(c, day(1, 5), CreditKind::Credit, money(2500), "green pool");
        goodwill.invoice_id = Some(inv.id);
        let fee = Credit::new(
            c,
            day(2, 1),
            CreditKind::Adjustment,
            money(1000),
            "late fee",
        );
        let ledger = Ledger::new(vec![inv], vec![], vec![goodwill, fee]);
        assert_eq!(ledger.invoice_balances()[0].credited, money(2500));
        assert_eq!(ledger.invoice_balances()[0].remaining, money(7500));
        assert_eq!(ledger.balance(), money(8500));
        assert!(ledger.is_overdue(day(1, 16)));
        assert!(!ledger.is_overdue(day(1, 15)));
    }

    #[test]
    fn a_ledger_entry_with_several_problems_reports_them_all() {
        let c = CustomerId::new();
        let mut bad = invoice(c, "1", day(1, 15), day(1, 1), 10000);
        bad.number = " ".into();
        bad.lines[0].quantity = Decimal::ZERO;
        bad.lines[0].unit_price = money(-1);
        let fields: Vec<String> = check_invoice(&bad)
            .unwrap_err()
            .problems()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "number",
                "lines[0].quantity",
                "lines[0].unit_price",
                "due_on"
            ]
        );
        let balances = Ledger::new(
            vec![invoice(c, "2", day(1, 1), day(1, 15), 10000)],
            vec![],
            vec![],
        )
        .invoice_balances();
        let payment = Payment::new(c, day(1, 5), Decimal::ZERO, PaymentMethod::Card)
            .applied_to(EntryId::new(), money(500));
        let fields: Vec<String> = check_payment(&payment, &balances)
            .unwrap_err()
            .problems()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            ["amount", "applications[0].invoice_id", "applications"]
        );
    }

    #[test]
    fn bad_ledger_entries_are_refused_naming_the_field() {
        let c = CustomerId::new();
        let inv = invoice(c, "1", day(1, 1), day(1, 15), 10000);
        let balances = Ledger::new(vec![inv.clone()], vec![], vec![]).invoice_balances();
        let field = |result: Result<()>| match result.unwrap_err() {
            Error::Invalid { field, .. } => field,
            other => panic!("{other:?}"),
        };
        let mut bad = inv.clone();
        bad.number = " ".into();
        assert_eq!(field(check_invoice(&bad)), "number");
        bad = inv.clone();
        bad.lines.clear();
        assert_eq!(field(check_invoice(&bad)), "lines");
        bad = inv.clone();
        bad.lines[0].quantity = Decimal::ZERO;
        assert_eq!(field(check_invoice(&bad)), "lines[0].quantity");
        bad = inv.clone();
        bad.lines[0].unit_price = money(-1);
        assert_eq!(field(check_invoice(&bad)), "lines[0].unit_price");
        bad = inv.clone();
        bad.lines[0].description = String::new();
        assert_eq!(field(check_invoice(&bad)), "lines[0].description");
        bad = inv.clone();
        bad.tax_rate = Some(Decimal::ONE);
        assert_eq!(field(check_invoice(&bad)), "tax_rate");
        bad = inv.clone();
        bad.due_on = day(1, 1) - Duration::days(1);
        assert_eq!(field(check_invoice(&bad)), "due_on");

        let pay = |amount: i64| Payment::new(c, day(1, 10), money(amount), PaymentMethod::Cash);
        assert_eq!(field(check_payment(&pay(0), &balances)), "amount");
        assert_eq!(
            field(check_payment(
                &pay(5000).applied_to(EntryId::new(), money(100)),
                &balances
            )),
            "applications[0].invoice_id"
        );
        assert_eq!(
            field(check_payment(
                &pay(5000).applied_to(inv.id, money(0)),
                &balances
            )),
            "applications[0].amount"
        );
        assert_eq!(
            field(check_payment(
                &pay(20000).applied_to(inv.id, money(15000)),
                &balances
            )),
            "applications[0].amount"
        );
        assert_eq!(
            field(check_payment(
                &pay(5000).applied_to(inv.id, money(6000)),
                &balances
            )),
            "applications"
        );
        assert!(check_payment(&pay(5000).applied_to(inv.id, money(5000)), &balances).is_ok());

        let credit = |kind, amount: i64| Credit::new(c, day(1, 10), kind, money(amount), "why");
        assert_eq!(
            field(check_credit(&credit(CreditKind::Credit, 0), &balances)),
            "amount"
        );
        assert_eq!(
            field(check_credit(&credit(CreditKind::Adjustment, 0), &balances)),
            "amount"
        );
        assert!(check_credit(&credit(CreditKind::Adjustment, -500), &balances).is_ok());
        let mut blank = credit(CreditKind::Credit, 100);
        blank.reason = "  ".into();
        assert_eq!(field(check_credit(&blank, &balances)), "reason");
        let mut too_much = credit(CreditKind::Credit, 20000);
        too_much.invoice_id = Some(inv.id);
        assert_eq!(field(check_credit(&too_much, &balances)), "amount");
        let mut unknown = credit(CreditKind::Credit, 100);
        unknown.invoice_id = Some(EntryId::new());
        assert_eq!(field(check_credit(&unknown, &balances)), "invoice_id");
    }

    #[test]
    fn a_statement_carries_a_nonzero_opening_balance_and_orders_same_day_entries() {
        let c = CustomerId::new();
        // Before the period: invoice 1041 for 80.00 on 31 Jan, 30.00 paid on it → opening 50.00.
        let before = invoice(c, "1041", day(1, 31), day(2, 14), 8000);
        let early_payment = Payment::new(c, day(1, 31), money(3000), PaymentMethod::Cash)
            .applied_to(before.id, money(3000));
        // On 10 Feb, all three kinds on one day, given out of order: a goodwill credit
        // of 5.00, a check for 20.00 and invoice 1042 for 120.00.
        let inside = invoice(c, "1042", day(2, 10), day(2, 24), 12000);
        let goodwill = Credit::new(c, day(2, 10), CreditKind::Credit, money(500), "goodwill");
        let mut check = Payment::new(c, day(2, 10), money(2000), PaymentMethod::Check);
        check.reference = Some("5512".into());
        // After the period (1 Mar): a payment and a late fee, left out of the statement.
        let after_payment = Payment::new(c, day(3, 1), money(1000), PaymentMethod::Card);
        let after_fee = Credit::new(c, day(3, 1), CreditKind::Adjustment, money(700), "late fee");
        let ledger = Ledger::new(
            vec![inside.clone(), before],
            vec![after_payment, check.clone(), early_payment],
            vec![after_fee, goodwill.clone()],
        );
        let statement = ledger.statement(day(2, 1), day(2, 28)).unwrap();
        assert_eq!(statement.opening_balance, money(5000));
        assert_eq!(statement.opening_balance, ledger.balance_on(day(1, 31)));
        // Invoices, then payments, then credits on the same day:
        // 50.00 + 120.00 = 170.00; − 20.00 = 150.00; − 5.00 = 145.00.
        let lines: Vec<(EntryId, EntryKind, &str, Decimal, Decimal)> = statement
            .lines
            .iter()
            .map(|l| {
                (
                    l.entry_id,
                    l.kind,
                    l.description.as_str(),
                    l.amount,
                    l.running_balance,
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                (
                    inside.id,
                    EntryKind::Invoice,
                    "Invoice 1042",
                    money(12000),
                    money(17000)
                ),
                (
                    check.id,
                    EntryKind::Payment,
                    "Payment (check 5512)",
                    money(-2000),
                    money(15000)
                ),
                (
                    goodwill.id,
                    EntryKind::Credit,
                    "Credit: goodwill",
                    money(-500),
                    money(14500)
                ),
            ]
        );
        assert_eq!(statement.closing_balance, money(14500));
        assert_eq!(statement.closing_balance, ledger.balance_on(day(2, 28)));
        // The entries of 1 Mar count in the full balance: 145.00 − 10.00 + 7.00 = 142.00.
        assert_eq!(ledger.balance(), money(14200));
        // A one-day statement is allowed; a reversed period is not.
        assert_eq!(
            ledger
                .statement(day(2, 10), day(2, 10))
                .unwrap()
                .lines
                .len(),
            3
        );
        let error = ledger.statement(day(2, 11), day(2, 10)).unwrap_err();
        assert!(matches!(error, Error::Invalid { ref field, .. } if field == "to"));
    }

    #[test]
    fn aging_leaves_out_paid_and_future_invoices_and_subtracts_money_on_account() {
        let c = CustomerId::new();
        let as_of = day(4, 30);
        // Invoice 1: 100.00 due 20 Apr (10 days past due), 40.00 paid → 60.00 in 1–30.
        let one = invoice(c, "1", day(4, 5), day(4, 20), 10000);
        // Invoice 2: 30.00 due 10 Apr, paid in full → in no bucket.
        let two = invoice(c, "2", day(3, 26), day(4, 10), 3000);
        // Invoice 3: issued 1 May, after as_of → in no bucket.
        let three = invoice(c, "3", day(5, 1), day(5, 15), 9900);
        let payment = Payment::new(c, day(4, 25), money(9000), PaymentMethod::Cash)
            .applied_to(one.id, money(4000))
            .applied_to(two.id, money(3000));
        // 90.00 − 40.00 − 30.00 = 20.00 of the payment is on account, plus a 5.00 credit
        // tied to no invoice → unapplied 25.00; total_due = 60.00 − 25.00 = 35.00.
        let on_account = Credit::new(c, day(4, 26), CreditKind::Credit, money(500), "referral");
        let ledger = Ledger::new(vec![one, two, three], vec![payment], vec![on_account]);
        let aging = ledger.aging(as_of);
        assert_eq!(aging.as_of, as_of);
        assert_eq!(aging.current, Decimal::ZERO);
        assert_eq!(aging.days_1_30, money(6000));
        assert_eq!(
            (aging.days_31_60, aging.days_61_90, aging.over_90),
            (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO)
        );
        assert_eq!(aging.unapplied, money(2500));
        assert_eq!(aging.total_due, money(3500));
        assert!(ledger.is_overdue(as_of));
    }

    #[test]
    fn more_bad_ledger_entries_are_refused_naming_the_field() {
        let c = CustomerId::new();
        // Invoice 1 for 100.00 with 60.00 already paid → 40.00 remaining.
        let inv = invoice(c, "1", day(1, 1), day(1, 15), 10000);
        let earlier = Payment::new(c, day(1, 5), money(6000), PaymentMethod::Cash)
            .applied_to(inv.id, money(6000));
        let balances = Ledger::new(vec![inv.clone()], vec![earlier], vec![]).invoice_balances();
        assert_eq!(balances[0].remaining, money(4000));
        let field = |result: Result<()>| match result.unwrap_err() {
            Error::Invalid { field, .. } => field,
            other => panic!("{other:?}"),
        };

        assert!(check_invoice(&inv).is_ok());
        let mut bad = inv.clone();
        bad.tax_rate = Some(Decimal::new(-1, 2));
        assert_eq!(field(check_invoice(&bad)), "tax_rate");
        bad.tax_rate = Some(Decimal::ZERO);
        assert!(check_invoice(&bad).is_ok());
        bad = inv.clone();
        bad.lines.push(InvoiceLine::new(
            "filter clean",
            Decimal::new(-1, 0),
            money(100),
        ));
        assert_eq!(field(check_invoice(&bad)), "lines[1].quantity");
        bad = inv.clone();
        bad.lines[0].unit_price = Decimal::ZERO;
        assert!(check_invoice(&bad).is_ok(), "a free line is allowed");

        let pay = |amount: i64| Payment::new(c, day(1, 10), money(amount), PaymentMethod::Cash);
        assert_eq!(field(check_payment(&pay(-100), &balances)), "amount");
        assert_eq!(
            field(check_payment(
                &pay(5000).applied_to(inv.id, money(-100)),
                &balances
            )),
            "applications[0].amount"
        );
        // 25.00 + 25.00 to the same invoice is 50.00, beyond its 40.00: the second is named.
        assert_eq!(
            field(check_payment(
                &pay(5000)
                    .applied_to(inv.id, money(2500))
                    .applied_to(inv.id, money(2500)),
                &balances
            )),
            "applications[1].amount"
        );
        // Exactly the 40.00 remaining, with 10.00 left on account, is fine.
        assert!(check_payment(&pay(5000).applied_to(inv.id, money(4000)), &balances).is_ok());

        let credit = |kind, amount: i64| Credit::new(c, day(1, 10), kind, money(amount), "why");
        assert_eq!(
            field(check_credit(&credit(CreditKind::Credit, -100), &balances)),
            "amount"
        );
        let mut exactly = credit(CreditKind::Credit, 4000);
        exactly.invoice_id = Some(inv.id);
        assert!(check_credit(&exactly, &balances).is_ok());
        // A late fee may be tied to the invoice; a correction may take off
        // at most the 40.00 remaining.
        let mut fee_on_invoice = credit(CreditKind::Adjustment, 500);
        fee_on_invoice.invoice_id = Some(inv.id);
        assert!(check_credit(&fee_on_invoice, &balances).is_ok());
        let mut correction = credit(CreditKind::Adjustment, -4001);
        correction.invoice_id = Some(inv.id);
        assert_eq!(field(check_credit(&correction, &balances)), "amount");
        correction.amount = money(-4000);
        assert!(check_credit(&correction, &balances).is_ok());
    }

    #[test]
    fn half_cents_round_away_from_zero() {
        // 8.25% of 10.00 is 0.825: invoices say 0.83, not the banker's 0.82.
        let mut taxed = Invoice::new(
            CustomerId::new(),
            "1",
            day(1, 1),
            day(1, 15),
            vec![InvoiceLine::new("x", Decimal::ONE, money(1000))],
        );
        taxed.tax_rate = Some(Decimal::new(825, 4));
        assert_eq!(taxed.tax(), money(83));
        assert_eq!(
            InvoiceLine::new("y", Decimal::new(5, 1), money(1)).amount(),
            money(1),
            "0.005 → 0.01"
        );
    }

    #[test]
    fn tax_per_line_rounds_each_line_and_the_invoice_rate_covers_the_rest() {
        // Two 0.10 lines at 5% each: 0.005 → 0.01 apiece, 0.02 in all
        // (taxing their 0.20 sum would give 0.01).
        let mut taxed = Invoice::new(CustomerId::new(), "1", day(1, 1), day(1, 15), vec![]);
        for _ in 0..2 {
            let mut line = InvoiceLine::new("rinse", Decimal::ONE, money(10));
            line.tax_rate = Some(Decimal::new(5, 2));
            taxed.lines.push(line);
        }
        assert_eq!(taxed.tax(), money(2));
        // A line without a rate of its own takes the invoice's: 8.25% of
        // 10.00 + 0.02 from the lines above = 0.83 + 0.02.
        taxed
            .lines
            .push(InvoiceLine::new("service", Decimal::ONE, money(1000)));
        taxed.tax_rate = Some(Decimal::new(825, 4));
        assert_eq!(taxed.tax(), money(85));
        assert_eq!(taxed.total(), money(1020 + 85));
    }

    #[test]
    fn a_line_tax_rate_out_of_range_is_refused() {
        let mut bad = invoice(CustomerId::new(), "1", day(1, 1), day(1, 15), 1000);
        bad.lines[0].tax_rate = Some(Decimal::ONE);
        let fields: Vec<String> = check_invoice(&bad)
            .unwrap_err()
            .problems()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["lines[0].tax_rate"]);
        bad.lines[0].tax_rate = Some(Decimal::new(825, 4));
        assert!(check_invoice(&bad).is_ok());
    }

    #[test]
    fn money_applied_later_ages_as_unapplied_until_its_day() {
        let c = CustomerId::new();
        let inv = invoice(c, "1", day(1, 1), day(1, 15), 10000);
        let mut payment = Payment::new(c, day(1, 10), money(10000), PaymentMethod::Card)
            .applied_to(inv.id, money(10000));
        payment.applications[0].applied_on = Some(day(2, 10));
        let ledger = Ledger::new(vec![inv], vec![payment], vec![]);
        // On 31 January the invoice is 16 days past due and the money on account.
        let january = ledger.aging(day(1, 31));
        assert_eq!(
            (january.days_1_30, january.unapplied, january.total_due),
            (money(10000), money(10000), Decimal::ZERO)
        );
        assert!(ledger.is_overdue(day(1, 31)));
        assert_eq!(ledger.balance_on(day(1, 31)), Decimal::ZERO);
        let february = ledger.aging(day(2, 10));
        assert_eq!(
            (february.days_1_30, february.unapplied, february.total_due),
            (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO)
        );
        assert!(!ledger.is_overdue(day(2, 10)));
    }

    #[test]
    fn a_void_and_a_refund_show_in_the_statement_and_in_aging() {
        let c = CustomerId::new();
        let kept = invoice(c, "1001", day(3, 1), day(3, 15), 20000);
        let wrong = invoice(c, "1002", day(3, 1), day(3, 15), 5000);
        let mut void = Credit::new(
            c,
            day(3, 5),
            CreditKind::Void,
            money(5000),
            "billed in error",
        );
        void.invoice_id = Some(wrong.id);
        let payment = Payment::new(c, day(3, 10), money(25000), PaymentMethod::Cash)
            .applied_to(kept.id, money(20000));
        // 80.00 back: the 50.00 on account, then 30.00 of what paid 1001.
        let mut refund = Credit::new(c, day(3, 20), CreditKind::Refund, money(8000), "overpaid");
        refund.payment_id = Some(payment.id);
        let ledger = Ledger::new(vec![kept, wrong], vec![payment], vec![void, refund]);
        let statement = ledger.statement(day(3, 1), day(3, 31)).unwrap();
        let lines: Vec<(&str, Decimal, Decimal)> = statement
            .lines
            .iter()
            .map(|l| (l.description.as_str(), l.amount, l.running_balance))
            .collect();
        assert_eq!(
            lines,
            [
                ("Invoice 1001", money(20000), money(20000)),
                ("Invoice 1002", money(5000), money(25000)),
                (
                    "Void of invoice 1002: billed in error",
                    money(-5000),
                    money(20000)
                ),
                ("Payment (cash)", money(-25000), money(-5000)),
                ("Refund: overpaid", money(8000), money(3000)),
            ]
        );
        let balances = ledger.invoice_balances();
        assert_eq!(
            (balances[0].paid, balances[0].remaining, balances[0].void),
            (money(17000), money(3000), false)
        );
        assert_eq!(
            (
                balances[1].credited,
                balances[1].remaining,
                balances[1].void
            ),
            (money(5000), Decimal::ZERO, true)
        );
        // Before the refund: 50.00 on account; after: 30.00 owed on 1001.
        let before = ledger.aging(day(3, 15));
        assert_eq!(
            (before.current, before.unapplied, before.total_due),
            (Decimal::ZERO, money(5000), money(-5000))
        );
        let after = ledger.aging(day(4, 30));
        assert_eq!(
            (after.days_31_60, after.unapplied, after.total_due),
            (money(3000), Decimal::ZERO, money(3000))
        );
        assert_eq!(ledger.balance(), money(3000));
    }

    #[test]
    fn voids_and_refunds_are_checked_against_what_they_cancel() {
        let c = CustomerId::new();
        let inv = invoice(c, "1", day(1, 1), day(1, 15), 10000);
        let payment = Payment::new(c, day(1, 5), money(4000), PaymentMethod::Cash)
            .applied_to(inv.id, money(4000));
        let ledger = Ledger::new(vec![inv.clone()], vec![payment.clone()], vec![]);
        let balances = ledger.invoice_balances();
        let field = |result: Result<()>| match result.unwrap_err() {
            Error::Invalid { field, .. } => field,
            other => panic!("{other:?}"),
        };
        let mut void = Credit::new(c, day(1, 20), CreditKind::Void, money(6000), "why");
        assert_eq!(field(check_credit(&void, &balances)), "invoice_id");
        void.invoice_id = Some(inv.id);
        // 40.00 is paid on it: refund or credit instead.
        assert_eq!(field(check_credit(&void, &balances)), "invoice_id");
        let unpaid = Ledger::new(vec![inv.clone()], vec![], vec![]).invoice_balances();
        // Unpaid, it must take off exactly the 100.00 remaining.
        assert_eq!(field(check_credit(&void, &unpaid)), "amount");
        void.amount = money(10000);
        assert!(check_credit(&void, &unpaid).is_ok());
        let mut refund = Credit::new(c, day(1, 20), CreditKind::Refund, money(4000), "why");
        assert_eq!(field(check_credit(&refund, &balances)), "payment_id");
        refund.payment_id = Some(payment.id);
        assert!(check_credit(&refund, &balances).is_ok());
        assert!(ledger.check_refund(&refund).is_ok());
        refund.amount = money(4001);
        assert_eq!(field(ledger.check_refund(&refund)), "amount");
        refund.amount = money(100);
        refund.posted_on = day(1, 4);
        assert_eq!(field(ledger.check_refund(&refund)), "posted_on");
        refund.payment_id = Some(EntryId::new());
        assert_eq!(field(ledger.check_refund(&refund)), "payment_id");
    }

    #[test]
    fn aging_and_overdue_on_a_past_day_ignore_later_payments() {
        let c = CustomerId::new();
        let inv = invoice(c, "1", day(1, 1), day(1, 15), 10000);
        let paid_late = Payment::new(c, day(3, 1), money(10000), PaymentMethod::Cash)
            .applied_to(inv.id, money(10000));
        let ledger = Ledger::new(vec![inv], vec![paid_late], vec![]);
        // On 1 February the invoice was 17 days past due; it was paid on 1 March.
        let february = ledger.aging(day(2, 1));
        assert_eq!(february.days_1_30, money(10000));
        assert!(ledger.is_overdue(day(2, 1)));
        assert_eq!(ledger.aging(day(3, 2)).total_due, Decimal::ZERO);
        assert!(!ledger.is_overdue(day(3, 2)));
    }
}
