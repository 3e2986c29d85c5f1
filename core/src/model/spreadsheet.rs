//! Spreadsheet imports as records: the mapping from a file's columns to
//! customer fields, the dry run's plan row by row, and the stored batch an
//! import leaves so it can be undone.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Author, Customer, CustomerId};

crate::text_enum! {
    /// The customer-record field a spreadsheet column fills.
    pub enum ImportField {
        /// The source's own id for the customer: re-importing a row with the
        /// same key updates that customer; in the two-file shape it joins a
        /// property to its client.
        Key = "key",
        /// The name shown everywhere (else made of first/last name or company).
        DisplayName = "display_name",
        /// The contact's first name.
        FirstName = "first_name",
        /// The contact's last name.
        LastName = "last_name",
        /// A company name (the display name of a commercial account).
        Company = "company",
        /// Residential, commercial, HOA, ...
        Kind = "kind",
        /// Lead, active, paused, cancelled (also "inactive", "on hold").
        Status = "status",
        /// Tags, separated by commas or semicolons.
        Tags = "tags",
        /// A mobile phone (SMS capable).
        MobilePhone = "mobile_phone",
        /// A home phone.
        HomePhone = "home_phone",
        /// A work phone.
        WorkPhone = "work_phone",
        /// An email address (several columns may map here: email 1-4).
        Email = "email",
        /// Street line of the service address.
        AddressLine1 = "address_line1",
        /// Unit or suite.
        AddressLine2 = "address_line2",
        /// City.
        City = "city",
        /// State or region.
        Region = "region",
        /// Postal or ZIP code.
        PostalCode = "postal_code",
        /// Two-letter country code (default: the book's region).
        Country = "country",
        /// A name for the property.
        LocationLabel = "location_label",
        /// The pool's name.
        PoolName = "pool_name",
        /// Pool, spa or water feature.
        PoolKind = "pool_kind",
        /// Volume in US gallons.
        Gallons = "gallons",
        /// Interior finish.
        Surface = "surface",
        /// Chlorine, salt, bromine, ...
        Sanitizer = "sanitizer",
        /// The gate code: sealed as soon as it is read.
        GateCode = "gate_code",
        /// A lock combination: sealed as soon as it is read.
        LockCombination = "lock_combination",
        /// An alarm code: sealed as soon as it is read.
        AlarmCode = "alarm_code",
        /// Where a key is kept.
        KeyLocation = "key_location",
        /// A dog at the property ("yes", or its name).
        Dog = "dog",
        /// Notes about getting in.
        AccessNotes = "access_notes",
        /// Standing instructions for every visit.
        SpecialInstructions = "special_instructions",
        /// The route day (service weekday).
        RouteDay = "route_day",
        /// Weekly, biweekly, monthly, on call.
        Frequency = "frequency",
        /// The technician serving the route, by name.
        Technician = "technician",
        /// The first day of service (a date column).
        PlanStart = "plan_start",
        /// The billing rate.
        Rate = "rate",
        /// Kept as a custom field named after the column.
        CustomField = "custom_field",
        /// Not imported.
        Ignore = "ignore",
    }
}

/// One source column and the field it fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ColumnMapping {
    /// The column's header, as in the file (compared ignoring case and spaces).
    pub column: String,
    /// The field it fills.
    pub field: ImportField,
}

/// A named mapping from a spreadsheet's columns to customer fields, saved in
/// the book for the next import of the same kind of file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportMapping {
    /// The mapping's name; rows are keyed within it, so re-importing a file
    /// with the same mapping finds the customers it created.
    pub name: String,
    /// The columns of the main file (one row per pool, or the clients file).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub columns: Vec<ColumnMapping>,
    /// The columns of the properties file, in the clients + properties
    /// shape (joined to the clients by the columns mapped to `key`).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub properties_columns: Vec<ColumnMapping>,
}

/// The file (or files) an import reads: CSV (any delimiter, UTF-8 with or
/// without BOM, or Windows-1252), or XLSX / ODS (feature `xlsx`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportSource {
    /// The main file: one row per pool, or the clients.
    pub path: String,
    /// The properties file of the clients + properties shape.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub properties_path: Option<String>,
    /// The worksheet to read in a workbook (default: the first).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sheet: Option<String>,
}

impl ImportSource {
    /// One file, one row per pool.
    pub fn file(path: impl Into<String>) -> Self {
        ImportSource {
            path: path.into(),
            properties_path: None,
            sheet: None,
        }
    }
}

crate::text_enum! {
    /// What an import does with a row.
    pub enum RowAction {
        /// Creates a customer (or adds to one created by an earlier row).
        Create = "create",
        /// Updates a customer an earlier import created.
        Update = "update",
        /// Nothing to do: the customer already holds what the row says.
        Skip = "skip",
        /// The row cannot be imported (see its problems).
        Error = "error",
    }
}

/// A problem with one cell or row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RowProblem {
    /// 1-based row number in its file, the header being row 1.
    pub row: u64,
    /// The file: `main` or `properties`.
    pub file: String,
    /// The column's header, when one cell is at fault.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub column: Option<String>,
    /// What is wrong.
    pub reason: String,
}

/// What the import will do (or did) with one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PlannedRow {
    /// 1-based row number in the main file.
    pub row: u64,
    /// Create, update, skip or error.
    pub action: RowAction,
    /// The row's customer key (the `key` column, or one made of name and address).
    pub key: String,
    /// The customer the row creates or updates.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub customer_id: Option<CustomerId>,
    /// Why the row is an error or was skipped.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub problems: Vec<RowProblem>,
}

/// A customer the book already has that a new row looks like.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PossibleDuplicate {
    /// The row that would create the customer.
    pub row: u64,
    /// The customer already in the book (or created by an earlier row).
    pub customer_id: CustomerId,
    /// Its display name.
    pub display_name: String,
    /// `phone`, `email` or `address`.
    pub matched_on: String,
    /// The value both share (a phone in E.164, an email, an address).
    pub value: String,
}

/// An import's dry run: what it would do, row by row, writing nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportPlan {
    /// Every data row of the main file, in order.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub rows: Vec<PlannedRow>,
    /// Customers it would create.
    pub creates: u64,
    /// Customers it would update.
    pub updates: u64,
    /// Rows with nothing to do.
    pub skips: u64,
    /// Rows that cannot be imported.
    pub errors: u64,
    /// New customers that look like ones already in the book (same phone,
    /// email or address).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub duplicates: Vec<PossibleDuplicate>,
    /// Cells imported but worth a look (a postal code or phone that arrived
    /// as a number and may have lost its leading zeros), and properties
    /// rows joined to no client.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub warnings: Vec<RowProblem>,
}

/// A committed import: its id (for `Book::undo_import`)
/// and the plan it carried out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportResult {
    /// The import's id.
    pub import_id: String,
    /// What was done with each row (error rows were not imported).
    pub plan: ImportPlan,
}

/// A customer an import updated: enough to put it back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportedUpdate {
    /// The record before the import.
    pub before: Customer,
    /// The version the import left.
    pub version_after: i64,
}

/// What one committed import did, as the book keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportBatch {
    /// The import's id.
    pub id: String,
    /// The mapping's name.
    pub mapping: String,
    /// The file's name.
    pub file: String,
    /// When it was committed.
    pub at: DateTime<Utc>,
    /// Who committed it.
    pub author: Author,
    /// Customers it created (at version 1).
    pub created: Vec<CustomerId>,
    /// Customers it updated.
    pub updated: Vec<ImportedUpdate>,
    /// When it was undone.
    pub undone_at: Option<DateTime<Utc>>,
}

/// What the book remembers of a row key: which customer it became, and the
/// version and content the last import left, so a re-import updates only
/// what changed and never overwrites a newer edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportKey {
    /// The mapping's name.
    pub mapping: String,
    /// The row key within it.
    pub key: String,
    /// The customer it became.
    pub customer_id: CustomerId,
    /// The customer's version after the last import that wrote it.
    pub version: i64,
    /// A fingerprint of what the last import wrote.
    pub fingerprint: String,
}

/// What undoing an import did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UndoReport {
    /// Customers the import created, now archived.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub archived: Vec<CustomerId>,
    /// Customers the import updated, now as they were before it.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub restored: Vec<CustomerId>,
    /// Customers changed by someone since the import: left as they are.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub kept: Vec<CustomerId>,
}
