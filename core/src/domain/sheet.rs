//! Reading a spreadsheet into rows of cells: CSV (delimiter sniffed, UTF-8
//! with or without BOM, Windows-1252 when the bytes are not UTF-8) and, with
//! the `xlsx` feature, XLSX / ODS workbooks. Every refusal names the row and
//! column or the reason; memory stays bounded by the file-size limit.

use chrono::NaiveDate;

use crate::{Error, Result};

/// The largest spreadsheet file an import reads: 64 MiB (a 50,000-row
/// customer export is about 10 MiB).
pub const MAX_SPREADSHEET_BYTES: u64 = 64 * 1024 * 1024;

/// The most data rows one import takes (it is one transaction).
pub const MAX_SPREADSHEET_ROWS: usize = 100_000;

/// The most columns a sheet may have.
pub const MAX_SPREADSHEET_COLUMNS: usize = 500;

/// The longest cell, in characters.
pub const MAX_CELL_CHARS: usize = 10_000;

/// How a cell's value arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellKind {
    /// Text (every CSV cell).
    Text,
    /// A number in a workbook: a postal code or phone read this way may have
    /// lost its leading zeros.
    Number,
    /// A date in a workbook.
    #[cfg_attr(not(feature = "xlsx"), allow(dead_code))]
    Date(NaiveDate),
}

/// One cell: its text and how it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cell {
    pub text: String,
    pub kind: CellKind,
}

impl Cell {
    pub(crate) fn text(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            kind: CellKind::Text,
        }
    }
}

/// One data row: its 1-based number in the file (the header is row 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SheetRow {
    pub number: u64,
    pub cells: Vec<Cell>,
    /// Why the row as a whole cannot be read (ragged, too long).
    pub problem: Option<String>,
}

/// A sheet: its header and its data rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<SheetRow>,
}

impl Sheet {
    /// The position of the column whose header is `name` (ignoring case,
    /// spaces and punctuation).
    pub(crate) fn column(&self, name: &str) -> Option<usize> {
        let wanted = header_key(name);
        self.headers.iter().position(|h| header_key(h) == wanted)
    }
}

/// A header reduced for comparison: lower case letters and digits only.
pub(crate) fn header_key(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Reads a CSV file's bytes: encoding detected, delimiter sniffed from the
/// header line, quotes honoured. A quote left open, a file that is not text
/// or a missing header refuses the file; a ragged row is kept with its problem.
pub(crate) fn read_csv(bytes: &[u8]) -> Result<Sheet> {
    let text = decode(bytes)?;
    let delimiter = sniff_delimiter(&text);
    check_quotes(&text, delimiter)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        None => return Err(no_header()),
        Some(Ok(record)) => record,
        Some(Err(error)) => return Err(csv_error(&error)),
    };
    let headers: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
    check_headers(&headers)?;
    let mut sheet = Sheet {
        headers,
        rows: Vec::new(),
    };
    for record in records {
        let record = record.map_err(|error| csv_error(&error))?;
        let number = record.position().map_or(0, |p| p.line());
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if sheet.rows.len() >= MAX_SPREADSHEET_ROWS {
            return Err(too_many_rows());
        }
        let cells = record.iter().map(Cell::text).collect();
        sheet.push(number, cells);
    }
    Ok(sheet)
}

impl Sheet {
    /// Adds a data row, noting a row with more cells than the header or an
    /// overlong cell.
    pub(crate) fn push(&mut self, number: u64, mut cells: Vec<Cell>) {
        let mut problem = None;
        if cells.len() > self.headers.len()
            && cells[self.headers.len()..]
                .iter()
                .any(|c| !c.text.trim().is_empty())
        {
            problem = Some(format!(
                "has {} cells but the header has {} columns (a delimiter or quote out of place?)",
                cells.len(),
                self.headers.len()
            ));
        }
        cells.truncate(self.headers.len());
        for (index, cell) in cells.iter_mut().enumerate() {
            if cell.text.chars().count() > MAX_CELL_CHARS {
                problem = Some(format!(
                    "column \"{}\" is longer than {MAX_CELL_CHARS} characters",
                    self.headers[index]
                ));
                cell.text.clear();
            }
        }
        self.rows.push(SheetRow {
            number,
            cells,
            problem,
        });
    }
}

fn no_header() -> Error {
    Error::invalid(
        "file",
        "has no header row: the first row must name the columns",
    )
}

fn too_many_rows() -> Error {
    Error::invalid(
        "file",
        format!(
            "has more than {MAX_SPREADSHEET_ROWS} rows; import it in parts (nothing was imported)"
        ),
    )
}

fn csv_error(error: &csv::Error) -> Error {
    let row = error
        .position()
        .map(|p| format!("row {}: ", p.line()))
        .unwrap_or_default();
    Error::invalid("file", format!("{row}cannot be read as CSV ({error})"))
}

/// Refuses a header that names no column, or repeats one.
pub(crate) fn check_headers(headers: &[String]) -> Result<()> {
    if headers.iter().all(|h| h.is_empty()) {
        return Err(no_header());
    }
    if headers.len() > MAX_SPREADSHEET_COLUMNS {
        return Err(Error::invalid(
            "file",
            format!("has more than {MAX_SPREADSHEET_COLUMNS} columns"),
        ));
    }
    if headers
        .iter()
        .all(|h| h.parse::<f64>().is_ok() || h.is_empty())
    {
        return Err(Error::invalid(
            "file",
            "has no header row: the first row holds numbers, not column names",
        ));
    }
    for (index, header) in headers.iter().enumerate() {
        if header.chars().count() > 200 {
            return Err(Error::invalid(
                "file",
                format!(
                    "row 1: column {} has a header over 200 characters",
                    index + 1
                ),
            ));
        }
        if !header.is_empty()
            && headers[..index]
                .iter()
                .any(|h| header_key(h) == header_key(header))
        {
            return Err(Error::invalid(
                "file",
                format!("row 1: the column \"{header}\" appears twice"),
            ));
        }
    }
    Ok(())
}

/// The text of a CSV file: UTF-8 (a BOM dropped), else Windows-1252.
/// UTF-16 and binary files are refused.
pub(crate) fn decode(bytes: &[u8]) -> Result<String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::invalid(
            "file",
            "is UTF-16 text; save it as UTF-8 CSV and import that",
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(Error::invalid(
            "file",
            "is a workbook (XLSX or ODS), not CSV; give it a .xlsx or .ods name",
        ));
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(Error::invalid(
            "file",
            format!("row {line}: holds a NUL byte: this is not a text file"),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(_) => Ok(bytes.iter().map(|&b| windows_1252(b)).collect()),
    }
}

/// One Windows-1252 byte as a character (0x80-0x9F differ from Latin-1).
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// Refuses a file with a quoted field that is never closed, naming the row
/// where it opens (a quote inside an unquoted field is only a character).
fn check_quotes(text: &str, delimiter: u8) -> Result<()> {
    let mut line = 1u64;
    let mut open_at: Option<u64> = None;
    let mut field_start = true;
    let mut bytes = text.bytes().peekable();
    while let Some(byte) = bytes.next() {
        if byte == b'\n' {
            line += 1;
        }
        if open_at.is_some() {
            if byte == b'"' {
                if bytes.peek() == Some(&b'"') {
                    bytes.next();
                } else {
                    open_at = None;
                }
            }
            continue;
        }
        if byte == b'"' && field_start {
            open_at = Some(line);
        }
        field_start = byte == delimiter || byte == b'\n' || byte == b'\r';
    }
    match open_at {
        Some(line) => Err(Error::invalid(
            "file",
            format!("row {line}: a quote opened here is never closed"),
        )),
        None => Ok(()),
    }
}

/// The delimiter of the header line: the most frequent of `,` `;` tab `|`
/// outside quotes (a comma if none).
fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0), (b'|', 0)];
    let mut quoted = false;
    for byte in text.bytes() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                for (delimiter, count) in &mut counts {
                    if byte == *delimiter {
                        *count += 1;
                    }
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .copied()
        .max_by_key(|&(delimiter, count)| (count, delimiter == b','))
        .filter(|&(_, count)| count > 0)
        .map_or(b',', |(delimiter, _)| delimiter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_bom_and_windows_1252_read() {
        let mut bytes = b"\xEF\xBB\xBFName;City\nJos\xC3\xA9;Tampa\n".to_vec();
        let sheet = read_csv(&bytes).unwrap();
        assert_eq!(sheet.headers, ["Name", "City"]);
        assert_eq!(sheet.rows[0].cells[0].text, "José");
        assert_eq!(sheet.rows[0].number, 2);
        bytes = b"Name\tCity\nJos\xE9 \x80\tTampa\n".to_vec();
        let sheet = read_csv(&bytes).unwrap();
        assert_eq!(sheet.rows[0].cells[0].text, "José €");
    }

    #[test]
    fn open_quote_ragged_rows_and_no_header_are_named() {
        let error = read_csv(b"Name,City\n\"Ann,Tampa\nBob,Miami\n").unwrap_err();
        assert!(error.to_string().contains("row 2"), "{error}");
        let sheet = read_csv(b"Name,City\nAnn,Tampa,extra\n").unwrap();
        assert!(
            sheet.rows[0]
                .problem
                .as_deref()
                .unwrap()
                .contains("3 cells")
        );
        let error = read_csv(b"1,2\n3,4\n").unwrap_err();
        assert!(error.to_string().contains("no header"), "{error}");
        let error = read_csv(b"").unwrap_err();
        assert!(error.to_string().contains("no header"), "{error}");
        let error = read_csv(b"\xFF\xFEN\x00").unwrap_err();
        assert!(error.to_string().contains("UTF-16"), "{error}");
    }
}
