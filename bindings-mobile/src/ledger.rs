//! Mirrors of core's ledger: invoices and their lines, payments and their
//! applications, credits, invoice balances, statements and aging; plus the
//! `Ledger` binding record (core's ledger keeps its entries private and
//! answers through methods, whose answers the record carries).

use chrono::{DateTime, NaiveDate, Utc};
use poolbook::{Aging, InvoiceBalance, Statement, StatementLine};
use poolbook::{
    Application, Credit, CreditKind, CustomerId, EntryId, EntryKind, Invoice, InvoiceLine,
    LocationId, Payment, PaymentMethod,
};
use rust_decimal::Decimal;

/// One line of an invoice: quantity × unit price.
#[uniffi::remote(Record)]
pub struct InvoiceLine {
    /// What is charged for.
    pub description: String,
    /// How many.
    pub quantity: Decimal,
    /// Price of one.
    pub unit_price: Decimal,
}

/// An invoice: what the customer owes for a period or a job.
#[uniffi::remote(Record)]
pub struct Invoice {
    /// Identifier.
    pub id: EntryId,
    /// The account billed.
    pub customer_id: CustomerId,
    /// The property it concerns, if one.
    #[uniffi(default)]
    pub location_id: Option<LocationId>,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// The invoice number the customer sees (unique in the book).
    pub number: String,
    /// Accounting date of the invoice.
    pub issued_on: NaiveDate,
    /// When payment is due.
    pub due_on: NaiveDate,
    /// What is charged.
    #[uniffi(default)]
    pub lines: Vec<InvoiceLine>,
    /// Tax rate as a fraction (0.0825 for 8.25%), if taxed.
    #[uniffi(default)]
    pub tax_rate: Option<Decimal>,
    /// A note printed on the invoice.
    #[uniffi(default)]
    pub memo: Option<String>,
}

/// How a payment was made.
#[uniffi::remote(Enum)]
pub enum PaymentMethod {
    /// Cash.
    Cash,
    /// Paper check.
    Check,
    /// Credit or debit card.
    Card,
    /// Bank transfer (ACH).
    BankTransfer,
    /// Anything else.
    Other,
}

/// Part of a payment (or credit) applied to one invoice.
#[uniffi::remote(Record)]
pub struct Application {
    /// The invoice paid down.
    pub invoice_id: EntryId,
    /// How much of the payment goes to it.
    pub amount: Decimal,
}

/// Money received from the customer.
#[uniffi::remote(Record)]
pub struct Payment {
    /// Identifier.
    pub id: EntryId,
    /// The account paying.
    pub customer_id: CustomerId,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// Accounting date of the payment.
    pub received_on: NaiveDate,
    /// Amount received (positive).
    pub amount: Decimal,
    /// How it was paid.
    pub method: PaymentMethod,
    /// Check number, card authorisation, transfer id.
    #[uniffi(default)]
    pub reference: Option<String>,
    /// Invoices it pays; what is not applied stays on account.
    #[uniffi(default)]
    pub applications: Vec<Application>,
}

/// A credit lowers what the customer owes; an adjustment corrects it either way.
#[uniffi::remote(Enum)]
pub enum CreditKind {
    /// Goodwill or refund-style credit (amount lowers the balance).
    Credit,
    /// A correction: positive raises the balance (a late fee), negative lowers it.
    Adjustment,
}

/// A credit or adjustment to the account.
#[uniffi::remote(Record)]
pub struct Credit {
    /// Identifier.
    pub id: EntryId,
    /// The account.
    pub customer_id: CustomerId,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// Accounting date.
    pub posted_on: NaiveDate,
    /// Credit or adjustment.
    pub kind: CreditKind,
    /// For a credit: the amount taken off (positive). For an adjustment: the
    /// signed change to the balance.
    pub amount: Decimal,
    /// Why.
    pub reason: String,
    /// The invoice a credit is applied to, if any.
    #[uniffi(default)]
    pub invoice_id: Option<EntryId>,
}

/// One invoice with what has been paid and credited against it.
#[uniffi::remote(Record)]
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
    /// Credits applied to it.
    pub credited: Decimal,
    /// What is still owed on it.
    pub remaining: Decimal,
}

/// One line of a statement.
#[uniffi::remote(Record)]
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
#[uniffi::remote(Record)]
pub struct Statement {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The balance at the end of the day before `from`.
    pub opening_balance: Decimal,
    /// Entries dated within the period, in date order.
    #[uniffi(default)]
    pub lines: Vec<StatementLine>,
    /// The balance at the end of `to`.
    pub closing_balance: Decimal,
}

/// What is owed, by how long it has been past due.
#[uniffi::remote(Record)]
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

/// A customer's ledger as core computes it: the balance, the payments not
/// yet applied to an invoice, and each invoice's balance.
#[derive(uniffi::Record)]
pub struct Ledger {
    /// What the customer owes now (negative when in credit).
    pub balance: Decimal,
    /// Payments and credits not applied to any invoice.
    pub unapplied: Decimal,
    /// Each invoice with what was paid, credited and remains.
    #[uniffi(default)]
    pub invoice_balances: Vec<InvoiceBalance>,
}

impl From<poolbook::Ledger> for Ledger {
    fn from(ledger: poolbook::Ledger) -> Self {
        Ledger {
            balance: ledger.balance(),
            unapplied: ledger.unapplied(),
            invoice_balances: ledger.invoice_balances(),
        }
    }
}
