//! Billing from the record: the book's billing settings (tax, price list,
//! first invoice number), what to draft for a period, one-off charges, and
//! the drafts returned for review before they are issued.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::model::{DoseUnit, Invoice};
use crate::{CustomerId, EntryId, LocationId};

/// The days an invoice run covers, both included (local days of the book's
/// time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BillingPeriod {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

impl BillingPeriod {
    /// The period `[from, to]`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Self {
        BillingPeriod { from, to }
    }

    /// Whether `day` falls in the period.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// The price of one unit of a chemical, for billing the doses added at visits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChemicalPrice {
    /// The product as technicians record it ("liquid chlorine"); matched
    /// without regard to case or surrounding spaces.
    pub product: String,
    /// The unit the price is per; a dose in another unit is not priced.
    pub unit: DoseUnit,
    /// Price of one unit.
    pub unit_price: Decimal,
}

impl ChemicalPrice {
    /// `unit_price` per `unit` of `product`.
    pub fn new(product: impl Into<String>, unit: DoseUnit, unit_price: Decimal) -> Self {
        ChemicalPrice {
            product: product.into(),
            unit,
            unit_price,
        }
    }
}

/// How the book bills: its sales tax and what it applies to, the chemical
/// price list, and where invoice numbers start. Stored as a book setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BillingSettings {
    /// The sales-tax rate as a fraction (0.0825 for 8.25%); `None`: no tax.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tax_rate: Option<Decimal>,
    /// Whether service (visits, months, seasons, flat rates) is taxed.
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub tax_service: bool,
    /// Whether chemicals are taxed.
    #[cfg_attr(feature = "uniffi", uniffi(default = true))]
    pub tax_chemicals: bool,
    /// The chemical price list.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub chemical_prices: Vec<ChemicalPrice>,
    /// The number the first issued invoice gets (later ones count up from
    /// the largest number in the book).
    #[cfg_attr(feature = "uniffi", uniffi(default = 1001))]
    pub first_invoice_number: u64,
}

impl Default for BillingSettings {
    fn default() -> Self {
        BillingSettings {
            tax_rate: None,
            tax_service: false,
            tax_chemicals: true,
            chemical_prices: Vec::new(),
            first_invoice_number: 1001,
        }
    }
}

/// A one-off charge to bill with the period's service: a filter cartridge,
/// a green-to-clean. Its id makes it billed once, however often it is passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OneOffCharge {
    /// Identifier: a charge with an id already billed is not billed again.
    pub id: EntryId,
    /// The account charged.
    pub customer_id: CustomerId,
    /// The property it concerns, if one.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub location_id: Option<LocationId>,
    /// The day of the work; billed in the period that holds it.
    pub on: NaiveDate,
    /// What is charged for.
    pub description: String,
    /// How many.
    pub quantity: Decimal,
    /// Price of one.
    pub unit_price: Decimal,
    /// Whether the book's tax applies to it.
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub taxable: bool,
}

impl OneOffCharge {
    /// An untaxed charge of `quantity` × `unit_price` to `customer_id` on `on`.
    pub fn new(
        customer_id: CustomerId,
        on: NaiveDate,
        description: impl Into<String>,
        quantity: Decimal,
        unit_price: Decimal,
    ) -> Self {
        OneOffCharge {
            id: EntryId::new(),
            customer_id,
            location_id: None,
            on,
            description: description.into(),
            quantity,
            unit_price,
            taxable: false,
        }
    }
}

/// What [`crate::Book::draft_invoices`] drafts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DraftOptions {
    /// Only this customer; `None`: the whole book.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub customer_id: Option<CustomerId>,
    /// The invoices' date; `None`: today in the book's time zone.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub issued_on: Option<NaiveDate>,
    /// One-off charges to bill (those dated in the period, of the customers drafted).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub charges: Vec<OneOffCharge>,
}

/// An invoice drafted from the record, for review before it is issued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct InvoiceDraft {
    /// The invoice as it would be issued; its number is given on issue.
    pub invoice: Invoice,
    /// The customer's display name.
    pub customer_name: String,
    /// Sum of the lines.
    pub subtotal: Decimal,
    /// Tax.
    pub tax: Decimal,
    /// What the invoice would ask for.
    pub total: Decimal,
    /// What the draft could not bill and why ("no price for …").
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub warnings: Vec<String>,
}
