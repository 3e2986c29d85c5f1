//! Reading an XLSX or ODS workbook's sheet into rows of cells (feature
//! `xlsx`, with `calamine`). Numbers keep their digits (and are flagged
//! where leading zeros matter), dates arrive as dates for the date columns
//! to use, and a workbook that would unpack to more than
//! [`MAX_WORKBOOK_UNPACKED_BYTES`] (a zip bomb) is refused before it is read.

use std::io::Cursor;

use calamine::{Data, Reader};

use crate::domain::sheet::{
    Cell, CellKind, MAX_SPREADSHEET_COLUMNS, MAX_SPREADSHEET_ROWS, Sheet, check_headers,
};
use crate::{Error, Result};

/// The most a workbook may unpack to: 256 MiB.
pub const MAX_WORKBOOK_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// Reads the sheet named `sheet_name` (default: the first) of a workbook.
pub(crate) fn read_workbook(bytes: Vec<u8>, sheet_name: Option<&str>) -> Result<Sheet> {
    check_unpacked_size(&bytes)?;
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|error| Error::invalid("file", format!("is not a readable workbook ({error})")))?;
    let names = workbook.sheet_names();
    let name = match sheet_name {
        Some(name) => names
            .iter()
            .find(|n| n.as_str() == name)
            .cloned()
            .ok_or_else(|| {
                Error::invalid(
                    "sheet",
                    format!(
                        "no sheet named \"{name}\" (the workbook has: {})",
                        names.join(", ")
                    ),
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Error::invalid("file", "the workbook has no sheets"))?,
    };
    let range = workbook.worksheet_range(&name).map_err(|error| {
        Error::invalid("file", format!("sheet \"{name}\" cannot be read ({error})"))
    })?;
    let (height, width) = range.get_size();
    if width > MAX_SPREADSHEET_COLUMNS {
        return Err(Error::invalid(
            "file",
            format!("sheet \"{name}\" has more than {MAX_SPREADSHEET_COLUMNS} columns"),
        ));
    }
    if height > MAX_SPREADSHEET_ROWS + 1 {
        return Err(Error::invalid(
            "file",
            format!(
                "has more than {MAX_SPREADSHEET_ROWS} rows; import it in parts (nothing was imported)"
            ),
        ));
    }
    let first_row = range.start().map_or(0, |(row, _)| u64::from(row));
    let mut rows = range.rows();
    let Some(header) = rows.next() else {
        return Err(Error::invalid(
            "file",
            "has no header row: the first row must name the columns",
        ));
    };
    let headers: Vec<String> = header
        .iter()
        .map(|d| cell(d).text.trim().to_owned())
        .collect();
    check_headers(&headers)?;
    let mut sheet = Sheet {
        headers,
        rows: Vec::new(),
    };
    for (index, row) in rows.enumerate() {
        let cells: Vec<Cell> = row.iter().map(cell).collect();
        if cells.iter().all(|c| c.text.trim().is_empty()) {
            continue;
        }
        sheet.push(first_row + index as u64 + 2, cells);
    }
    Ok(sheet)
}

/// Refuses a workbook whose parts would unpack to more than the limit.
fn check_unpacked_size(bytes: &[u8]) -> Result<()> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|error| Error::invalid("file", format!("is not a readable workbook ({error})")))?;
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|error| Error::invalid("file", format!("is a damaged workbook ({error})")))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_WORKBOOK_UNPACKED_BYTES {
        return Err(Error::invalid(
            "file",
            format!(
                "would unpack to {} MiB, more than the {} MiB a workbook may (a zip bomb?)",
                total / (1024 * 1024),
                MAX_WORKBOOK_UNPACKED_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}

/// One workbook cell as text, with how it arrived.
fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::text(""),
        Data::String(text) => Cell::text(text.clone()),
        Data::Bool(value) => Cell::text(value.to_string()),
        Data::Int(value) => Cell {
            text: value.to_string(),
            kind: CellKind::Number,
        },
        Data::Float(value) => Cell {
            text: if value.fract() == 0.0 && value.abs() < 1e15 {
                format!("{value:.0}")
            } else {
                value.to_string()
            },
            kind: CellKind::Number,
        },
        Data::DateTime(value) => match value.as_datetime() {
            Some(at) => Cell {
                text: at.date().format("%Y-%m-%d").to_string(),
                kind: CellKind::Date(at.date()),
            },
            None => Cell::text(value.as_f64().to_string()),
        },
        Data::DateTimeIso(text) | Data::DurationIso(text) => {
            match chrono::NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d") {
                Ok(day) => Cell {
                    text: day.format("%Y-%m-%d").to_string(),
                    kind: CellKind::Date(day),
                },
                Err(_) => Cell::text(text.clone()),
            }
        }
        Data::Error(error) => Cell::text(format!("={error}")),
    }
}
