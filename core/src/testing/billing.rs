//! Conformance cases for billing from the record: drafting a period's
//! invoices for each rate basis with the exact lines expected, skipped
//! visits by the rate's rule, chemicals from the price list, tax per line
//! and its rounding, one-off charges, issuing under the book-wide number
//! sequence without billing anything twice, voids and refunds as ledger
//! entries, and money on account applied later.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;

use crate::{
    Address, Author, BillingPeriod, BillingSettings, Book, ChemicalDose, ChemicalPrice, Customer,
    CustomerKind, DoseUnit, DraftOptions, Entry, EntryId, Error, Frequency, InvoiceDraft,
    LifecycleStatus, MergePicks, NewCustomer, NewTechnician, OneOffCharge, Payment, PaymentMethod,
    RateBasis, ServiceLocation, ServicePlan, SkipReason, Technician, Visit, Weekday,
};

fn office() -> Author {
    Author::office("dana")
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// `h:mm` local time in Phoenix (UTC−7 all year) on 2026-`m`-`d`.
fn phoenix(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, h, min, 0).unwrap() + Duration::hours(7)
}

fn money(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

fn customer(
    book: &Book,
    tech: &Technician,
    name: &str,
    basis: RateBasis,
    rate: i64,
    terms_days: u32,
    plan: ServicePlan,
) -> Customer {
    let mut new = NewCustomer::new(CustomerKind::Residential, name);
    new.billing.rate = Some(money(rate));
    new.billing.rate_basis = basis;
    new.billing.terms_days = terms_days;
    let street = format!("{} Saguaro Way", name.len());
    let location = ServiceLocation::new(Address::new(&street, "Phoenix", "AZ", "85004", "US"))
        .with_plan(plan.with_technician(tech.id));
    book.create_customer(new.with_location(location), &office())
        .unwrap()
}

fn visit(book: &Book, customer: &Customer, at: DateTime<Utc>) -> Visit {
    book.record_visit(
        Visit::completed(customer.id, customer.locations[0].id, at),
        &office(),
    )
    .unwrap()
}

fn dose(product: &str, amount: f64, unit: DoseUnit) -> ChemicalDose {
    ChemicalDose {
        product: product.into(),
        amount,
        unit,
    }
}

/// Each line as (description, quantity, unit price, tax rate, visits billed).
type Line = (String, Decimal, Decimal, Option<Decimal>, Vec<EntryId>);

fn lines(draft: &InvoiceDraft) -> Vec<Line> {
    draft
        .invoice
        .lines
        .iter()
        .map(|l| {
            (
                l.description.clone(),
                l.quantity,
                l.unit_price,
                l.tax_rate,
                l.visit_ids.clone(),
            )
        })
        .collect()
}

fn line(
    text: &str,
    quantity: Decimal,
    price: i64,
    tax: Option<Decimal>,
    visits: &[EntryId],
) -> Line {
    (
        text.to_owned(),
        quantity,
        money(price),
        tax,
        visits.to_vec(),
    )
}

struct Company<'a> {
    book: &'a Book,
    avery: Customer,
    blake: Customer,
    casey: Customer,
    drew: Customer,
    visits: Vec<Visit>,
    blake_visit: Visit,
    cartridge: OneOffCharge,
}

/// Four customers in Phoenix, one per rate basis, with March's visits.
fn company(book: &Book) -> Company<'_> {
    book.set_time_zone("America/Phoenix", &office()).unwrap();
    book.set_billing_settings(
        BillingSettings {
            tax_rate: Some(Decimal::new(825, 4)),
            tax_service: false,
            tax_chemicals: true,
            chemical_prices: vec![
                ChemicalPrice::new(" Liquid Chlorine ", DoseUnit::Gallons, money(525)),
                ChemicalPrice::new("muriatic acid", DoseUnit::Gallons, money(1200)),
            ],
            first_invoice_number: 1001,
        },
        &office(),
    )
    .unwrap();
    let tech = book
        .add_technician(NewTechnician::new("Ana Reyes"), &office())
        .unwrap();
    let weekly = |starts_on| ServicePlan::new(Frequency::Weekly, starts_on).on(Weekday::Tuesday);
    let mut avery = customer(
        book,
        &tech,
        "Avery Per Visit",
        RateBasis::PerVisit,
        4500,
        15,
        weekly(day(1, 6)).billing_chemicals(),
    );
    let mut patch = avery.billing.clone();
    patch.billed_skips = vec![SkipReason::LockedGate, SkipReason::DogOut];
    avery = book
        .update_customer(
            avery.id,
            avery.version,
            crate::CustomerPatch {
                billing: Some(patch),
                ..crate::CustomerPatch::default()
            },
            &office(),
        )
        .unwrap();
    let blake = customer(
        book,
        &tech,
        "Blake Monthly",
        RateBasis::Monthly,
        16000,
        30,
        weekly(day(1, 6)),
    );
    let casey = customer(
        book,
        &tech,
        "Casey Season",
        RateBasis::PerSeason,
        120000,
        0,
        weekly(day(3, 1)).until(day(10, 31)),
    );
    let drew = customer(
        book,
        &tech,
        "Drew Flat",
        RateBasis::Flat,
        9900,
        15,
        weekly(day(1, 6)),
    );
    // Late on 28 February in Phoenix (already 1 March in UTC): not March's.
    visit(book, &avery, phoenix(2, 28, 20, 0));
    let mut first = Visit::completed(avery.id, avery.locations[0].id, phoenix(3, 3, 9, 0));
    first.chemicals = vec![
        dose("liquid chlorine", 2.5, DoseUnit::Gallons),
        dose("Muriatic Acid", 0.25, DoseUnit::Gallons),
        dose("algaecide", 8.0, DoseUnit::FluidOunces),
    ];
    let first = book.record_visit(first, &office()).unwrap();
    let locked = book
        .record_visit(
            Visit::skipped(
                avery.id,
                avery.locations[0].id,
                phoenix(3, 10, 9, 0),
                SkipReason::LockedGate,
            ),
            &office(),
        )
        .unwrap();
    let mut rained = Visit::skipped(
        avery.id,
        avery.locations[0].id,
        phoenix(3, 17, 9, 0),
        SkipReason::Weather,
    );
    // A dose on a skipped visit is not billed.
    rained.chemicals = vec![dose("liquid chlorine", 1.0, DoseUnit::Gallons)];
    let rained = book.record_visit(rained, &office()).unwrap();
    let fourth = visit(book, &avery, phoenix(3, 24, 9, 0));
    // Late on 31 March in Phoenix (1 April in UTC): March's.
    let last = visit(book, &avery, phoenix(3, 31, 23, 30));
    let blake_visit = visit(book, &blake, phoenix(3, 5, 10, 0));
    let mut cartridge = OneOffCharge::new(
        avery.id,
        day(3, 12),
        "Filter cartridge",
        Decimal::ONE,
        money(8900),
    );
    cartridge.taxable = true;
    Company {
        book,
        avery,
        blake,
        casey,
        drew,
        visits: vec![first, locked, rained, fourth, last],
        blake_visit,
        cartridge,
    }
}

fn march() -> BillingPeriod {
    BillingPeriod::new(day(3, 1), day(3, 31))
}

fn options(charges: Vec<OneOffCharge>) -> DraftOptions {
    DraftOptions {
        customer_id: None,
        issued_on: Some(day(4, 1)),
        charges,
    }
}

/// A period's drafts give the exact lines of each rate basis: per visit
/// (skipped visits charged or not by the rate's rule, the reason on the
/// line), chemicals priced from the list and taxed per line, monthly,
/// seasonal and flat rates, a one-off charge; terms from each customer.
pub fn drafts_bill_each_rate_basis_line_by_line(book: &Book) {
    let c = company(book);
    let drafts = c
        .book
        .draft_invoices(march(), options(vec![c.cartridge.clone()]))
        .unwrap();
    let names: Vec<&str> = drafts.iter().map(|d| d.customer_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Avery Per Visit",
            "Blake Monthly",
            "Casey Season",
            "Drew Flat"
        ]
    );
    let tax = Some(Decimal::new(825, 4));
    let [first, locked, rained, fourth, last] = &c.visits[..] else {
        panic!("five visits")
    };
    let avery = &drafts[0];
    assert_eq!(
        lines(avery),
        [
            line(
                "Service visit 2026-03-03",
                Decimal::ONE,
                4500,
                None,
                &[first.id]
            ),
            // 2.5 × 5.25 = 13.125 → 13.13; tax 8.25% = 1.083… → 1.08.
            line(
                "liquid chlorine, 2.5 gal (2026-03-03)",
                Decimal::new(25, 1),
                525,
                tax,
                &[first.id]
            ),
            // 0.25 × 12.00 = 3.00; tax 0.2475 → 0.25.
            line(
                "Muriatic Acid, 0.25 gal (2026-03-03)",
                Decimal::new(25, 2),
                1200,
                tax,
                &[first.id]
            ),
            line(
                "Service visit 2026-03-10, skipped (locked gate)",
                Decimal::ONE,
                4500,
                None,
                &[locked.id]
            ),
            line(
                "Service visit 2026-03-17, skipped (weather): no charge",
                Decimal::ONE,
                0,
                None,
                &[rained.id]
            ),
            line(
                "Service visit 2026-03-24",
                Decimal::ONE,
                4500,
                None,
                &[fourth.id]
            ),
            line(
                "Service visit 2026-03-31",
                Decimal::ONE,
                4500,
                None,
                &[last.id]
            ),
            // 89.00 taxed: 7.3425 → 7.34.
            line("Filter cartridge", Decimal::ONE, 8900, tax, &[]),
        ]
    );
    assert_eq!(avery.invoice.lines[1].amount(), money(1313));
    assert_eq!(avery.invoice.lines[1].tax(), money(108));
    // 45 + 13.13 + 3.00 + 45 + 0 + 45 + 45 + 89 = 285.13; tax 1.08 + 0.25 + 7.34.
    assert_eq!(
        (avery.subtotal, avery.tax, avery.total),
        (money(28513), money(867), money(29380))
    );
    assert_eq!(
        avery.warnings,
        ["visit 2026-03-03: no price for algaecide in fl oz, so it is not charged"]
    );
    assert_eq!(
        (avery.invoice.issued_on, avery.invoice.due_on),
        (day(4, 1), day(4, 16))
    );
    assert_eq!(avery.invoice.number, "");
    assert_eq!(avery.invoice.location_id, Some(c.avery.locations[0].id));
    assert_eq!(
        avery.invoice.lines[0].billing_key.as_deref(),
        Some(format!("visit:{}", first.id).as_str())
    );

    let blake = &drafts[1];
    assert_eq!(
        lines(blake),
        [line(
            "Monthly service, March 2026",
            Decimal::ONE,
            16000,
            None,
            &[c.blake_visit.id]
        )]
    );
    assert_eq!(blake.invoice.due_on, day(5, 1));
    assert_eq!(blake.total, money(16000));
    let casey = &drafts[2];
    assert_eq!(
        lines(casey),
        [line(
            "Season service 2026-03-01 to 2026-10-31",
            Decimal::ONE,
            120000,
            None,
            &[]
        )]
    );
    assert_eq!(casey.invoice.due_on, day(4, 1));
    let drew = &drafts[3];
    assert_eq!(
        lines(drew),
        [line(
            "Service 2026-03-01 to 2026-03-31",
            Decimal::ONE,
            9900,
            None,
            &[]
        )]
    );

    // One customer alone: the same draft; drafting stored nothing.
    let only = c
        .book
        .draft_invoices(
            march(),
            DraftOptions {
                customer_id: Some(c.avery.id),
                ..options(vec![c.cartridge.clone()])
            },
        )
        .unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(lines(&only[0]), lines(avery));
    assert!(
        c.book
            .ledger(c.avery.id)
            .unwrap()
            .invoice_balances()
            .is_empty()
    );
}

/// Issuing numbers the invoices from the book-wide sequence and records
/// what they bill: drafting the same period again finds nothing, the stale
/// drafts are refused, the next period bills only what is new.
pub fn issuing_numbers_invoices_and_never_bills_an_item_twice(book: &Book) {
    let c = company(book);
    let drafts = c
        .book
        .draft_invoices(march(), options(vec![c.cartridge.clone()]))
        .unwrap();
    let issued = c.book.issue_invoices(drafts.clone(), &office()).unwrap();
    let numbers: Vec<&str> = issued.iter().map(|i| i.number.as_str()).collect();
    assert_eq!(numbers, ["1001", "1002", "1003", "1004"]);
    assert_eq!(c.book.balance(c.avery.id).unwrap(), money(29380));
    assert_eq!(issued[0].lines, drafts[0].invoice.lines);

    // Again, with the same charge: nothing new.
    let again = c
        .book
        .draft_invoices(march(), options(vec![c.cartridge.clone()]))
        .unwrap();
    assert!(again.is_empty(), "{again:?}");
    assert!(c.book.issue_invoices(again, &office()).unwrap().is_empty());
    let error = c.book.issue_invoices(drafts, &office()).unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, problem, .. }
            if field == "drafts[0]" && problem.contains("already bills")),
        "{error}"
    );
    assert_eq!(c.book.invoice_balances(c.avery.id).unwrap().len(), 1);

    // April: Blake's month and Drew's flat period; Casey's season is billed.
    let april = c
        .book
        .draft_invoices(
            BillingPeriod::new(day(4, 1), day(4, 30)),
            DraftOptions {
                issued_on: Some(day(5, 1)),
                ..DraftOptions::default()
            },
        )
        .unwrap();
    let summary: Vec<(&str, &str, Decimal)> = april
        .iter()
        .map(|d| {
            (
                d.customer_name.as_str(),
                d.invoice.lines[0].description.as_str(),
                d.total,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("Blake Monthly", "Monthly service, April 2026", money(16000)),
            ("Drew Flat", "Service 2026-04-01 to 2026-04-30", money(9900)),
        ]
    );
    let next = c.book.issue_invoices(april, &office()).unwrap();
    assert_eq!(next[0].number, "1005");

    // Voiding Drew's March invoice frees its period to be billed again.
    let drew_march = &issued[3];
    let void = c
        .book
        .void_invoice(drew_march.id, day(4, 3), "billed in error", &office())
        .unwrap();
    assert_eq!(void.amount, money(9900));
    let rebill = c.book.draft_invoices(march(), options(vec![])).unwrap();
    assert_eq!(rebill.len(), 1);
    assert_eq!(rebill[0].invoice.customer_id, c.drew.id);
    let error = c
        .book
        .void_invoice(drew_march.id, day(4, 4), "twice", &office())
        .unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, problem, .. }
            if field == "invoice_id" && problem == "the invoice is already void"),
        "{error}"
    );

    // A paused customer's periodic rate is not charged; per-visit work still is.
    let paused = c
        .book
        .update_customer(
            c.casey.id,
            c.book.customer(c.casey.id).unwrap().version,
            crate::CustomerPatch {
                status: Some(LifecycleStatus::Paused),
                ..crate::CustomerPatch::default()
            },
            &office(),
        )
        .unwrap();
    assert_eq!(paused.status, LifecycleStatus::Paused);
    let may = c
        .book
        .draft_invoices(
            BillingPeriod::new(day(5, 1), day(5, 31)),
            DraftOptions {
                customer_id: Some(c.casey.id),
                issued_on: Some(day(6, 1)),
                charges: vec![],
            },
        )
        .unwrap();
    assert!(may.is_empty());
}

/// A merge never bills a service twice: what was billed under the absorbed
/// customer's rate basis (a month, visits one by one) is not billed again
/// under the survivor's, and the next period bills every location on the
/// survivor's rate.
pub fn a_merge_never_bills_a_service_twice(book: &Book) {
    let c = company(book);
    let march_drafts = c
        .book
        .draft_invoices(march(), options(vec![c.cartridge.clone()]))
        .unwrap();
    c.book.issue_invoices(march_drafts, &office()).unwrap();
    let billed_before: usize = [c.avery.id, c.blake.id, c.drew.id]
        .iter()
        .map(|id| c.book.invoice_balances(*id).unwrap().len())
        .sum();
    assert_eq!(billed_before, 3);

    // Blake's March was billed monthly; on Avery's per-visit rate, his
    // visit of 5 March is not billed again.
    c.book
        .merge_customers(c.avery.id, c.blake.id, MergePicks::default(), &office())
        .unwrap();
    let again = c.book.draft_invoices(march(), options(vec![])).unwrap();
    assert!(again.is_empty(), "{again:?}");
    // Avery's visits were billed one by one and Blake's month as a month;
    // on Drew's flat rate, neither location is billed for March again.
    c.book
        .merge_customers(c.drew.id, c.avery.id, MergePicks::default(), &office())
        .unwrap();
    let again = c.book.draft_invoices(march(), options(vec![])).unwrap();
    assert!(again.is_empty(), "{again:?}");
    let drew = c.book.customer(c.drew.id).unwrap();
    assert_eq!(drew.locations.len(), 3);
    assert_eq!(
        c.book.invoice_balances(c.drew.id).unwrap().len(),
        billed_before,
        "the moved invoices, and no new one"
    );

    // April: Drew's flat rate for each of the three locations.
    let april = c
        .book
        .draft_invoices(
            BillingPeriod::new(day(4, 1), day(4, 30)),
            DraftOptions {
                customer_id: Some(c.drew.id),
                issued_on: Some(day(5, 1)),
                charges: vec![],
            },
        )
        .unwrap();
    assert_eq!(april.len(), 1, "{april:?}");
    assert_eq!(
        april[0].invoice.lines.len(),
        3,
        "{:?}",
        april[0].invoice.lines
    );
    assert_eq!(april[0].total, money(3 * 9900));
    assert!(april[0].warnings.is_empty(), "{:?}", april[0].warnings);
}

/// Bad periods, charges and settings are refused naming the field.
pub fn bad_billing_input_is_refused_naming_the_field(book: &Book) {
    let c = company(book);
    let field = |error: Error| match error {
        Error::Invalid { field, .. } => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field(
            c.book
                .draft_invoices(BillingPeriod::new(day(3, 31), day(3, 1)), options(vec![]))
                .unwrap_err()
        ),
        "period.to"
    );
    assert_eq!(
        field(
            c.book
                .draft_invoices(
                    BillingPeriod::new(day(1, 1), NaiveDate::from_ymd_opt(2027, 1, 2).unwrap()),
                    options(vec![])
                )
                .unwrap_err()
        ),
        "period"
    );
    let mut bad = c.cartridge.clone();
    bad.quantity = Decimal::ZERO;
    assert_eq!(
        field(
            c.book
                .draft_invoices(march(), options(vec![bad]))
                .unwrap_err()
        ),
        "options.charges[0].quantity"
    );
    let mut stranger = c.cartridge.clone();
    stranger.customer_id = crate::CustomerId::new();
    assert_eq!(
        field(
            c.book
                .draft_invoices(march(), options(vec![stranger]))
                .unwrap_err()
        ),
        "options.charges[0].customer_id"
    );
    let mut settings = c.book.billing_settings().unwrap();
    settings.tax_rate = Some(Decimal::ONE);
    assert_eq!(
        field(
            c.book
                .set_billing_settings(settings, &office())
                .unwrap_err()
        ),
        "tax_rate"
    );
    let mut settings = c.book.billing_settings().unwrap();
    settings.chemical_prices.push(ChemicalPrice::new(
        "LIQUID CHLORINE",
        DoseUnit::Gallons,
        money(1),
    ));
    assert_eq!(
        field(
            c.book
                .set_billing_settings(settings, &office())
                .unwrap_err()
        ),
        "chemical_prices[2].product"
    );
    // The settings read back as saved (product names trimmed).
    assert_eq!(
        c.book.billing_settings().unwrap().chemical_prices[0].product,
        "Liquid Chlorine"
    );
}

/// A void and a refund are ledger entries; statements and aging show them;
/// money on account applied later ages from the day it was applied.
pub fn voids_refunds_and_late_applications_are_ledger_entries(book: &Book) {
    let c = company(book);
    let drafts = c
        .book
        .draft_invoices(
            march(),
            DraftOptions {
                customer_id: Some(c.blake.id),
                issued_on: Some(day(4, 1)),
                charges: vec![],
            },
        )
        .unwrap();
    let invoice = c.book.issue_invoices(drafts, &office()).unwrap().remove(0);
    assert_eq!(invoice.due_on, day(5, 1));
    // 200.00 received on 10 April, held on account; 160.00 applied on 20 May.
    let payment = c
        .book
        .record_payment(
            Payment::new(c.blake.id, day(4, 10), money(20000), PaymentMethod::Check),
            &office(),
        )
        .unwrap();
    let aging = c.book.aging(c.blake.id, day(5, 15)).unwrap();
    assert_eq!(
        (aging.days_1_30, aging.unapplied, aging.total_due),
        (money(16000), money(20000), money(-4000))
    );
    let applied = c
        .book
        .apply_payment(payment.id, invoice.id, money(16000), day(5, 20), &office())
        .unwrap();
    assert_eq!(applied.applications[0].applied_on, Some(day(5, 20)));
    // Before 20 May the invoice was still 14 days past due, the money on account.
    let before = c.book.aging(c.blake.id, day(5, 15)).unwrap();
    assert_eq!(
        (before.days_1_30, before.unapplied),
        (money(16000), money(20000))
    );
    let after = c.book.aging(c.blake.id, day(5, 20)).unwrap();
    assert_eq!(
        (after.days_1_30, after.unapplied, after.total_due),
        (Decimal::ZERO, money(4000), money(-4000))
    );
    // No more than is on account, nor before the payment came.
    let error = c
        .book
        .apply_payment(payment.id, invoice.id, money(4001), day(5, 21), &office())
        .unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "amount"),
        "{error}"
    );

    // Refund 70.00: the 40.00 on account, then 30.00 of what paid the invoice.
    let refund = c
        .book
        .refund_payment(payment.id, money(7000), day(5, 25), "overpaid", &office())
        .unwrap();
    assert_eq!(refund.payment_id, Some(payment.id));
    let balances = c.book.invoice_balances(c.blake.id).unwrap();
    assert_eq!(
        (balances[0].paid, balances[0].remaining),
        (money(13000), money(3000))
    );
    let statement = c.book.statement(c.blake.id, day(4, 1), day(5, 31)).unwrap();
    let shown: Vec<(&str, Decimal, Decimal)> = statement
        .lines
        .iter()
        .map(|l| (l.description.as_str(), l.amount, l.running_balance))
        .collect();
    assert_eq!(
        shown,
        [
            ("Invoice 1001", money(16000), money(16000)),
            ("Payment (check)", money(-20000), money(-4000)),
            ("Refund: overpaid", money(7000), money(3000)),
        ]
    );
    let aging = c.book.aging(c.blake.id, day(6, 5)).unwrap();
    assert_eq!(
        (aging.days_31_60, aging.unapplied, aging.total_due),
        (money(3000), Decimal::ZERO, money(3000))
    );
    // More than is left of the payment is refused.
    let error = c
        .book
        .refund_payment(payment.id, money(13001), day(5, 26), "again", &office())
        .unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "amount"),
        "{error}"
    );

    // A paid invoice cannot be voided; an unpaid one can, and shows in the
    // statement and leaves aging.
    let error = c
        .book
        .void_invoice(invoice.id, day(6, 1), "no", &office())
        .unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "invoice_id"),
        "{error}"
    );
    let drew = c
        .book
        .draft_invoices(
            march(),
            DraftOptions {
                customer_id: Some(c.drew.id),
                issued_on: Some(day(4, 1)),
                charges: vec![],
            },
        )
        .unwrap();
    let drew_invoice = c.book.issue_invoices(drew, &office()).unwrap().remove(0);
    // A late fee tied to the invoice ages with it.
    let mut fee = crate::Credit::new(
        c.drew.id,
        day(4, 20),
        crate::CreditKind::Adjustment,
        money(1000),
        "late fee",
    );
    fee.invoice_id = Some(drew_invoice.id);
    c.book.add_credit(fee, &office()).unwrap();
    let aging = c.book.aging(c.drew.id, day(4, 30)).unwrap();
    assert_eq!(aging.days_1_30, money(10900));
    c.book
        .void_invoice(drew_invoice.id, day(5, 2), "moved away", &office())
        .unwrap();
    let statement = c.book.statement(c.drew.id, day(4, 1), day(5, 31)).unwrap();
    let shown: Vec<(&str, Decimal, Decimal)> = statement
        .lines
        .iter()
        .map(|l| (l.description.as_str(), l.amount, l.running_balance))
        .collect();
    assert_eq!(
        shown,
        [
            ("Invoice 1002", money(9900), money(9900)),
            (
                "Adjustment, invoice 1002: late fee",
                money(1000),
                money(10900)
            ),
            (
                "Void of invoice 1002: moved away",
                money(-10900),
                Decimal::ZERO
            ),
        ]
    );
    let aging = c.book.aging(c.drew.id, day(5, 31)).unwrap();
    assert_eq!(aging.total_due, Decimal::ZERO);
    let balance = &c.book.invoice_balances(c.drew.id).unwrap()[0];
    assert!(balance.void);
    assert_eq!(
        (balance.credited, balance.adjusted, balance.remaining),
        (money(10900), money(1000), Decimal::ZERO)
    );
    // The void is in the timeline as a credit entry.
    let voids = c
        .book
        .ledger(c.drew.id)
        .unwrap()
        .statement(day(5, 2), day(5, 2))
        .unwrap();
    assert_eq!(voids.lines.len(), 1);
    assert!(matches!(
        c.book.entry(voids.lines[0].entry_id).unwrap().entry,
        Entry::Credit(ref credit) if credit.kind == crate::CreditKind::Void
    ));
}

/// "Overdue" is reckoned on the book's local date: at 20:00 UTC on 31 March
/// it is already 1 April in Auckland, 31 days past a 1 March due date.
pub fn overdue_is_reckoned_on_the_books_local_date(book: &Book) {
    let c = company(book);
    let mut invoice = crate::Invoice::new(
        c.avery.id,
        "77",
        day(2, 15),
        day(3, 1),
        vec![crate::InvoiceLine::new(
            "Service",
            Decimal::ONE,
            money(4500),
        )],
    );
    invoice.location_id = None;
    c.book.add_invoice(invoice, &office()).unwrap();
    let segment = crate::Segment {
        name: "Overdue".into(),
        rules: vec![crate::SegmentRule::OverdueMoreThan { days: 30 }],
    };
    let evening = Utc.with_ymd_and_hms(2026, 3, 31, 20, 0, 0).unwrap();
    c.book.set_time_zone("UTC", &office()).unwrap();
    assert!(
        c.book
            .evaluate_segment(&segment, evening)
            .unwrap()
            .is_empty()
    );
    c.book.set_time_zone("Pacific/Auckland", &office()).unwrap();
    let members = c.book.evaluate_segment(&segment, evening).unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].customer_id, c.avery.id);
    assert_eq!(
        members[0].values["days_overdue"],
        serde_json::Value::from(31)
    );
}
