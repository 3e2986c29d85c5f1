//! Billing from the record: the book's billing settings, drafting a period's
//! invoices from rates, visits, doses and one-off charges, issuing them
//! under the book-wide number sequence (never billing an item twice), and
//! the ledger entries that correct an account without editing it: voiding
//! an invoice, refunding a payment, applying money on account later.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::book::entries::EntryChecker;
use crate::book::{Book, now};
use crate::domain::billing::{DraftContext, DraftInput, candidate_keys, draft};
use crate::domain::changes;
use crate::domain::ledger::{MAX_LINE_CHARS, check_payment};
use crate::domain::limits::{self, MAX_LIST_ITEMS};
use crate::domain::time_zone::BookZone;
use crate::domain::validate::Problems;
use crate::foundation::sorting;
use crate::model::{
    Application, BillingPeriod, BillingSettings, ChangeAction, Credit, CreditKind, Customer,
    DraftOptions, Entry, EntryKind, EntryQuery, Invoice, InvoiceDraft, NewChange, OneOffCharge,
    Payment, Visit,
};
use crate::store::{Write, WriteBatch};
use crate::{Author, CustomerId, EntityKind, EntryId, Error, Result};

/// The setting holding the book's [`BillingSettings`] as JSON.
const BILLING_KEY: &str = "billing";

/// The longest period one invoice run covers, in days.
pub const MAX_BILLING_DAYS: i64 = 366;

/// The most drafts issued, or one-off charges passed, in one call.
pub const MAX_INVOICE_BATCH: usize = 100_000;

/// The most chemical prices the book keeps.
pub const MAX_CHEMICAL_PRICES: usize = 500;

/// Keys looked up per store read when drafting.
const KEY_CHUNK: usize = 20_000;

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// How the book bills: its tax rate and what it applies to, the
    /// chemical price list, the first invoice number (defaults until set).
    pub fn billing_settings(&self) -> Result<BillingSettings> {
        match self.store.setting(BILLING_KEY)? {
            None => Ok(BillingSettings::default()),
            Some(stored) => serde_json::from_str(&stored).map_err(|error| Error::Corrupt {
                doing: "reading the billing settings".to_owned(),
                cause: format!("the stored billing settings do not read: {error}"),
            }),
        }
    }

    /// Replaces the billing settings (tax, price list, first invoice number).
    pub fn set_billing_settings(
        &self,
        settings: BillingSettings,
        author: &Author,
    ) -> Result<BillingSettings> {
        author.check()?;
        let mut settings = settings;
        check_settings(&mut settings)?;
        let before = self.billing_settings()?;
        if before == settings {
            return Ok(settings);
        }
        let json = |value: &BillingSettings| {
            serde_json::to_string(value).map_err(|error| Error::Storage {
                message: "could not encode the billing settings".to_owned(),
                source: Box::new(error),
            })
        };
        self.put_setting(BILLING_KEY, &json(&before)?, &json(&settings)?, author)?;
        Ok(settings)
    }

    /// Drafts the invoices for `period` (days of the book's time zone) from
    /// the record, for one customer or the whole book, without storing
    /// anything: each customer's rate and basis — per visit (each visit in
    /// the period; a skipped one charged if the rate's rule names its
    /// reason, else listed at no charge, the reason on the line), monthly
    /// (each month beginning in the period), per season (once per plan, in
    /// the first period its dates touch) or flat (once per period), the
    /// periodic ones per location with a plan and only for active
    /// customers — then the doses added at completed visits where the plan
    /// bills chemicals (priced from the settings' list), then the one-off
    /// charges dated in the period. Tax is set per line where the book has
    /// a rate; terms come from the customer's billing. Anything an issued
    /// invoice already bills is left out, so drafting again after issuing
    /// finds nothing new, and so is a service billed under another rate
    /// basis (before a merge brought the location under this customer's),
    /// with a warning. Customers whose draft would charge nothing get none.
    /// Ordered by customer name.
    pub fn draft_invoices(
        &self,
        period: BillingPeriod,
        options: DraftOptions,
    ) -> Result<Vec<InvoiceDraft>> {
        check_period(period)?;
        let settings = self.billing_settings()?;
        let zone = self.tz()?;
        let issued_on = match options.issued_on {
            Some(day) => {
                limits::day(day, "options.issued_on")?;
                day
            }
            None => self.today()?,
        };
        let (since, until) = (
            local_start(period.from, &zone),
            local_start_after(period.to, &zone),
        );
        let visit_query = EntryQuery {
            customer_id: options.customer_id,
            kinds: vec![EntryKind::Visit],
            since: Some(since),
            until: Some(until),
            ..EntryQuery::default()
        };
        let (customers, visits) = match options.customer_id {
            Some(id) => {
                let customer = self.customer(id)?;
                if customer.archived_at.is_some() {
                    return Err(Error::invalid(
                        "options.customer_id",
                        "the customer is archived",
                    ));
                }
                (vec![customer], self.store.entries(&visit_query)?)
            }
            // The whole book: the customers and the period's visits are read
            // side by side (a file book's readers do not wait for each other).
            None => std::thread::scope(|scope| {
                let customers = scope.spawn(|| self.every_live_customer());
                let visits = self.store.entries(&visit_query);
                let customers = customers.join().unwrap_or_else(|_| {
                    Err(Error::Storage {
                        message: "reading the customers to bill".to_owned(),
                        source: Box::new(std::io::Error::other("the reading thread failed")),
                    })
                });
                Ok::<_, Error>((customers?, visits?))
            })?,
        };
        check_charges(&options.charges, &customers, options.customer_id)?;
        let mut visits_of: HashMap<CustomerId, Vec<Visit>> = HashMap::new();
        for stored in visits {
            if let Entry::Visit(visit) = stored.entry {
                visits_of.entry(visit.customer_id).or_default().push(visit);
            }
        }
        let mut charges_of: HashMap<CustomerId, Vec<&OneOffCharge>> = HashMap::new();
        for charge in &options.charges {
            charges_of
                .entry(charge.customer_id)
                .or_default()
                .push(charge);
        }
        let inputs: Vec<DraftInput<'_>> = customers
            .iter()
            .map(|customer| DraftInput {
                customer,
                visits: visits_of.get(&customer.id).map_or(&[], Vec::as_slice),
                charges: charges_of.get(&customer.id).map_or(&[], Vec::as_slice),
            })
            .collect();
        let keys: Vec<String> = inputs
            .iter()
            .flat_map(|input| candidate_keys(input, period))
            .collect();
        let mut billed: HashSet<String> = HashSet::new();
        for chunk in keys.chunks(KEY_CHUNK) {
            billed.extend(self.store.billed_items(chunk)?);
        }
        let context = DraftContext {
            period,
            issued_on,
            settings: &settings,
            zone: &zone,
            billed: &billed,
        };
        let mut drafts: Vec<InvoiceDraft> = inputs
            .iter()
            .filter_map(|input| draft(input, &context))
            .collect();
        sorting::sort_by(&mut drafts, |a, b| {
            (&a.customer_name, a.invoice.customer_id)
                .cmp(&(&b.customer_name, b.invoice.customer_id))
        });
        Ok(drafts)
    }

    /// Issues reviewed drafts as invoices in one transaction, numbered from
    /// the book-wide sequence (after the largest number in the book, and at
    /// least the settings' first number), recording what each line bills so
    /// it is never billed again. A draft billing something already billed
    /// (a stale draft) refuses the whole call, naming it; draft again.
    pub fn issue_invoices(
        &self,
        drafts: Vec<InvoiceDraft>,
        author: &Author,
    ) -> Result<Vec<Invoice>> {
        author.check()?;
        if drafts.len() > MAX_INVOICE_BATCH {
            return Err(Error::invalid(
                "drafts",
                format!("issue at most {MAX_INVOICE_BATCH} in one call"),
            ));
        }
        let settings = self.billing_settings()?;
        let mut next = settings
            .first_invoice_number
            .max(self.store.last_invoice_number()?.saturating_add(1));
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut keys: Vec<String> = Vec::new();
        for (index, draft) in drafts.iter().enumerate() {
            for (line, item) in draft.invoice.lines.iter().enumerate() {
                let Some(key) = &item.billing_key else {
                    continue;
                };
                let field = || format!("drafts[{index}].invoice.lines[{line}].billing_key");
                if key.trim().is_empty() || key.chars().count() > 200 {
                    return Err(Error::invalid(field(), "must be 1 to 200 characters"));
                }
                if seen.insert(key.clone(), index).is_some() {
                    return Err(Error::invalid(field(), "is billed twice in these drafts"));
                }
                keys.push(key.clone());
            }
        }
        let mut already: Vec<String> = Vec::new();
        for chunk in keys.chunks(KEY_CHUNK) {
            already.extend(self.store.billed_items(chunk)?);
        }
        if let Some(key) = already.first() {
            let index = seen.get(key).copied().unwrap_or_default();
            return Err(Error::invalid(
                format!("drafts[{index}]"),
                format!("bills {key}, which an issued invoice already bills; draft again"),
            ));
        }
        let mut entries: Vec<Entry> = drafts
            .into_iter()
            .map(|draft| {
                let mut invoice = draft.invoice;
                invoice.number = next.to_string();
                next = next.saturating_add(1);
                Entry::Invoice(invoice)
            })
            .collect();
        let mut checker = EntryChecker::new(self);
        checker.prefetch(&entries)?;
        for (index, entry) in entries.iter_mut().enumerate() {
            checker
                .check(entry)
                .map_err(|error| error.within(&format!("drafts[{index}].invoice")))?;
        }
        let mut writes = Vec::with_capacity(entries.len() * 2);
        let mut changes = Vec::with_capacity(entries.len());
        let mut issued = Vec::with_capacity(entries.len());
        for entry in entries {
            let Entry::Invoice(invoice) = entry else {
                continue;
            };
            changes.push(NewChange {
                entity: EntityKind::Entry,
                entity_id: invoice.id.to_string(),
                customer_id: Some(invoice.customer_id),
                action: ChangeAction::Created,
                changes: changes::field_changes(
                    None,
                    Some(&changes::to_map(&Entry::Invoice(invoice.clone()))),
                ),
            });
            let keys: Vec<String> = invoice
                .lines
                .iter()
                .filter_map(|line| line.billing_key.clone())
                .collect();
            writes.push(Write::InsertEntry(Entry::Invoice(invoice.clone())));
            if !keys.is_empty() {
                writes.push(Write::MarkBilled {
                    invoice_id: invoice.id,
                    customer_id: invoice.customer_id,
                    keys,
                });
            }
            issued.push(invoice);
        }
        if issued.is_empty() {
            return Ok(issued);
        }
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes,
            changes,
        })?;
        Ok(issued)
    }

    /// Voids an unpaid invoice on `on`: a ledger entry crediting exactly
    /// what remains on it (the invoice itself is kept, owing nothing), and
    /// what it billed may be billed again. An invoice with payments applied
    /// is refused: refund the payment or credit the invoice instead.
    pub fn void_invoice(
        &self,
        invoice_id: EntryId,
        on: NaiveDate,
        reason: &str,
        author: &Author,
    ) -> Result<Credit> {
        let stored = self.entry(invoice_id)?;
        let Entry::Invoice(invoice) = stored.entry else {
            return Err(Error::invalid("invoice_id", "is not an invoice"));
        };
        if stored.archived_at.is_some() {
            return Err(Error::invalid("invoice_id", "the invoice is archived"));
        }
        let balance = self
            .ledger(invoice.customer_id)?
            .invoice_balances()
            .into_iter()
            .find(|balance| balance.invoice_id == invoice_id)
            .ok_or_else(|| Error::invalid("invoice_id", "the invoice is archived"))?;
        if balance.void {
            return Err(Error::invalid("invoice_id", "the invoice is already void"));
        }
        if balance.paid > Decimal::ZERO {
            return Err(Error::invalid(
                "invoice_id",
                format!(
                    "invoice {} has {} paid on it; refund the payment or credit the invoice instead",
                    balance.number,
                    crate::format_money(balance.paid)
                ),
            ));
        }
        let mut void = Credit::new(
            invoice.customer_id,
            on,
            CreditKind::Void,
            balance.remaining,
            reason,
        );
        void.invoice_id = Some(invoice_id);
        self.add_credit(void, author)
    }

    /// Gives `amount` of a payment back to the customer on `on`: a ledger
    /// entry raising the balance (money on account goes first, then the
    /// payment's applications, latest first, are undone).
    pub fn refund_payment(
        &self,
        payment_id: EntryId,
        amount: Decimal,
        on: NaiveDate,
        reason: &str,
        author: &Author,
    ) -> Result<Credit> {
        let stored = self.entry(payment_id)?;
        let Entry::Payment(payment) = stored.entry else {
            return Err(Error::invalid("payment_id", "is not a payment"));
        };
        if stored.archived_at.is_some() {
            return Err(Error::invalid("payment_id", "the payment is archived"));
        }
        let mut refund = Credit::new(payment.customer_id, on, CreditKind::Refund, amount, reason);
        refund.payment_id = Some(payment_id);
        self.add_credit(refund, author)
    }

    /// Applies `amount` of a payment's money on account to an invoice on
    /// `on` (the application keeps its own date: aging before `on` still
    /// shows the invoice owing and the money on account).
    pub fn apply_payment(
        &self,
        payment_id: EntryId,
        invoice_id: EntryId,
        amount: Decimal,
        on: NaiveDate,
        author: &Author,
    ) -> Result<Payment> {
        author.check()?;
        let stored = self.entry(payment_id)?;
        let Entry::Payment(before) = stored.entry else {
            return Err(Error::invalid("payment_id", "is not a payment"));
        };
        if stored.archived_at.is_some() {
            return Err(Error::invalid("payment_id", "the payment is archived"));
        }
        let ledger = self.ledger(before.customer_id)?;
        let on_account = ledger.on_account_of(payment_id);
        let invoice = ledger
            .invoice_balances()
            .into_iter()
            .find(|balance| balance.invoice_id == invoice_id)
            .ok_or_else(|| Error::invalid("invoice_id", "names no invoice of this customer"))?;
        if amount <= Decimal::ZERO {
            return Err(Error::invalid("amount", "must be above 0"));
        }
        if amount > on_account {
            return Err(Error::invalid(
                "amount",
                format!(
                    "is more than the {} of the payment on account",
                    crate::format_money(on_account)
                ),
            ));
        }
        if amount > invoice.remaining {
            return Err(Error::invalid(
                "amount",
                format!(
                    "is more than the {} remaining on invoice {}",
                    crate::format_money(invoice.remaining),
                    invoice.number
                ),
            ));
        }
        limits::day(on, "on")?;
        if on < before.received_on {
            return Err(Error::invalid("on", "is before the payment was received"));
        }
        let mut after = before.clone();
        after.applications.push(Application {
            invoice_id,
            amount,
            applied_on: Some(on),
        });
        check_payment(
            &after,
            &ledger.without_payment(payment_id).invoice_balances(),
        )?;
        if limits::items(&after.applications, MAX_LIST_ITEMS, "applications").is_err() {
            return Err(Error::invalid(
                "payment_id",
                format!("the payment is already applied to {MAX_LIST_ITEMS} invoices"),
            ));
        }
        let change = NewChange {
            entity: EntityKind::Entry,
            entity_id: payment_id.to_string(),
            customer_id: Some(before.customer_id),
            action: ChangeAction::Updated,
            changes: changes::field_changes(
                Some(&changes::to_map(&Entry::Payment(before))),
                Some(&changes::to_map(&Entry::Payment(after.clone()))),
            ),
        };
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes: vec![Write::UpdateEntry(Entry::Payment(after.clone()))],
            changes: vec![change],
        })?;
        Ok(after)
    }
}

/// The first instant of `day` on the book's clock.
fn local_start(day: NaiveDate, zone: &BookZone) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0)
        .and_then(|midnight| zone.instant_of(midnight))
        .unwrap_or_else(|| crate::model::accounting_time(day))
}

/// The first instant after `day` on the book's clock.
fn local_start_after(day: NaiveDate, zone: &BookZone) -> DateTime<Utc> {
    match day.succ_opt() {
        Some(next) => local_start(next, zone),
        None => local_start(day, zone),
    }
}

/// Refuses a reversed period, one outside the days a book keeps, or one
/// longer than [`MAX_BILLING_DAYS`].
fn check_period(period: BillingPeriod) -> Result<()> {
    limits::day(period.from, "period.from")?;
    limits::day(period.to, "period.to")?;
    if period.to < period.from {
        return Err(Error::invalid("period.to", "is before period.from"));
    }
    if (period.to - period.from).num_days() >= MAX_BILLING_DAYS {
        return Err(Error::invalid(
            "period",
            format!("covers more than {MAX_BILLING_DAYS} days"),
        ));
    }
    Ok(())
}

/// Checks the settings, trimming product names: a tax rate from 0 up to 1,
/// prices that are sane money, one price per product and unit.
fn check_settings(settings: &mut BillingSettings) -> Result<()> {
    let mut problems = Problems::default();
    if settings
        .tax_rate
        .is_some_and(|rate| rate.is_sign_negative() || rate >= Decimal::ONE)
    {
        problems.add(
            "tax_rate",
            "must be a fraction from 0 up to 1 (0.0825 for 8.25%)",
        );
    }
    if settings.first_invoice_number == 0 {
        problems.add("first_invoice_number", "must be at least 1");
    }
    problems.check(limits::items(
        &settings.chemical_prices,
        MAX_CHEMICAL_PRICES,
        "chemical_prices",
    ));
    let mut seen = HashSet::new();
    for (index, price) in settings.chemical_prices.iter_mut().enumerate() {
        let field = |name: &str| format!("chemical_prices[{index}].{name}");
        price.product = price.product.trim().to_owned();
        if price.product.is_empty() || price.product.chars().count() > 200 {
            problems.add(field("product"), "must be 1 to 200 characters");
        } else if !seen.insert((price.product.to_lowercase(), price.unit)) {
            problems.add(
                field("product"),
                "has another price in the same unit earlier in the list",
            );
        }
        if price.unit_price.is_sign_negative() {
            problems.add(field("unit_price"), "must not be negative");
        } else {
            problems.check(limits::money(price.unit_price, &field("unit_price")));
        }
    }
    problems.finish()
}

/// Checks the one-off charges: each for a customer being drafted, with a
/// description, a positive quantity and a price that is sane money.
fn check_charges(
    charges: &[OneOffCharge],
    customers: &[Customer],
    only: Option<CustomerId>,
) -> Result<()> {
    if charges.len() > MAX_INVOICE_BATCH {
        return Err(Error::invalid(
            "options.charges",
            format!("pass at most {MAX_INVOICE_BATCH}"),
        ));
    }
    let known: HashMap<CustomerId, &Customer> = customers.iter().map(|c| (c.id, c)).collect();
    let mut ids = HashSet::new();
    for (index, charge) in charges.iter().enumerate() {
        let mut problems = Problems::default();
        if !ids.insert(charge.id) {
            problems.add("id", "is used by an earlier charge");
        }
        match known.get(&charge.customer_id) {
            None if only.is_some() => problems.add("customer_id", "is not the customer drafted"),
            None => problems.add("customer_id", "names no live customer in this book"),
            Some(customer) => {
                if let Some(location) = charge.location_id
                    && customer.location(location).is_none()
                {
                    problems.add("location_id", "is not a live location of this customer");
                }
            }
        }
        problems.check(limits::day(charge.on, "on"));
        let description = charge.description.trim();
        if description.is_empty() {
            problems.add("description", "must not be empty");
        } else if description.chars().count() > MAX_LINE_CHARS {
            problems.add(
                "description",
                format!("is longer than {MAX_LINE_CHARS} characters"),
            );
        }
        if charge.quantity <= Decimal::ZERO {
            problems.add("quantity", "must be above 0");
        } else {
            problems.check(limits::quantity(charge.quantity, "quantity"));
        }
        if charge.unit_price.is_sign_negative() {
            problems.add("unit_price", "must not be negative");
        } else {
            problems.check(limits::money(charge.unit_price, "unit_price"));
        }
        problems
            .finish()
            .map_err(|error| error.within(&format!("options.charges[{index}]")))?;
    }
    Ok(())
}
