//! Pure domain logic over the records of `model`: validation, phone
//! numbers, water chemistry, the ledger, search text, service schedules,
//! the journey's rules (and operations as touchpoints), statistics, periods,
//! the change-log diff, the sealing of secrets, the book's time zone and
//! duplicate detection (record linkage). No
//! I/O and no `Book`.

pub(crate) mod billing;
pub(crate) mod changes;
pub(crate) mod chemistry;
#[cfg(feature = "spreadsheet")]
pub(crate) mod import_rows;
pub(crate) mod journey;
pub(crate) mod ledger;
pub(crate) mod limits;
pub(crate) mod linkage;
pub(crate) mod operations;
pub(crate) mod outbox;
pub(crate) mod periods;
pub(crate) mod phone;
pub(crate) mod route;
pub(crate) mod schedule;
pub(crate) mod sealing;
pub(crate) mod search;
#[cfg(feature = "spreadsheet")]
pub(crate) mod sheet;
pub(crate) mod stats;
pub(crate) mod time_zone;
pub(crate) mod validate;
#[cfg(feature = "xlsx")]
pub(crate) mod workbook;
