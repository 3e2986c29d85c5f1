//! Arrow batches and Parquet files of the book's tables (issue 20), and
//! spreadsheet import from XLSX workbooks: types as documented, rows equal
//! to what the book holds, page by page, no secret column; a workbook's
//! dates read only in date columns, a postal code arriving as a number
//! flagged, a zip bomb refused before it is unpacked.

use std::io::Write;

use arrow_array::cast::AsArray;
use arrow_array::types::{Decimal128Type, Float64Type, TimestampMicrosecondType};
use arrow_array::{Array, RecordBatchReader};
use poolbook::{
    ArrowTable, Author, Book, CustomerQuery, DemoOptions, Entry, ImportSource, NewTechnician,
    RowAction, Touchpoint, arrow_schema,
};

fn office() -> Author {
    Author::office("dana")
}

fn demo() -> Book {
    let book = Book::open_in_memory().unwrap();
    book.unlock(poolbook::testing::test_key_provider()).unwrap();
    poolbook::populate_demo(
        &book,
        &DemoOptions {
            customers: 20,
            technicians: 2,
            weeks: 8,
            ..Default::default()
        },
    )
    .unwrap();
    book
}

fn count(book: &Book, sql: &str) -> usize {
    match &book.sql(sql, vec![]).unwrap().rows[0][0] {
        poolbook::SqlValue::Integer { value } => *value as usize,
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_table_has_its_documented_types_and_the_book_s_rows() {
    let book = demo();
    for table in ArrowTable::ALL {
        let batches: Vec<_> = book
            .to_arrow(*table)
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{table}: {e}"));
        for batch in &batches {
            assert_eq!(batch.schema(), arrow_schema(*table), "{table}");
        }
        let names: Vec<String> = arrow_schema(*table)
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        assert!(
            !names
                .iter()
                .any(|n| n.contains("gate") || n.contains("lock") || n.contains("alarm")),
            "{table} has a secret column: {names:?}"
        );
    }
    let rows = |table| -> usize { book.to_arrow(table).map(|b| b.unwrap().num_rows()).sum() };
    assert_eq!(
        rows(ArrowTable::Customers),
        count(&book, "SELECT count(*) FROM customers")
    );
    assert_eq!(
        rows(ArrowTable::Visits),
        count(&book, "SELECT count(*) FROM history WHERE kind = 'visit'")
    );
    assert_eq!(
        rows(ArrowTable::Ledger),
        count(
            &book,
            "SELECT count(*) FROM history WHERE kind IN ('invoice', 'payment', 'credit')"
        )
    );
    assert_eq!(
        rows(ArrowTable::Touchpoints),
        count(&book, "SELECT count(*) FROM touchpoints")
    );
    assert_eq!(
        rows(ArrowTable::ChangeLog),
        count(&book, "SELECT count(*) FROM change_log")
    );
    assert_eq!(
        rows(ArrowTable::BodiesOfWater),
        count(
            &book,
            "SELECT count(*) FROM bodies_of_water WHERE archived_at IS NULL"
        )
    );

    // A visit's readings and a ledger amount as the book holds them.
    let visits = book.to_arrow(ArrowTable::Visits).next().unwrap().unwrap();
    let schema = visits.schema();
    assert_eq!(
        schema
            .field_with_name("at")
            .unwrap()
            .data_type()
            .to_string(),
        "Timestamp(µs, \"UTC\")"
    );
    assert_eq!(
        schema
            .field_with_name("outcome")
            .unwrap()
            .data_type()
            .to_string(),
        "Dictionary(Int8, Utf8)"
    );
    let ids = visits.column_by_name("id").unwrap().as_string::<i32>();
    let ph = visits
        .column_by_name("ph")
        .unwrap()
        .as_primitive::<Float64Type>();
    let at = visits
        .column_by_name("at")
        .unwrap()
        .as_primitive::<TimestampMicrosecondType>();
    for row in 0..visits.num_rows().min(50) {
        let entry = book.entry(ids.value(row).parse().unwrap()).unwrap();
        let Entry::Visit(visit) = entry.entry else {
            panic!()
        };
        assert_eq!(at.value(row), visit.at.timestamp_micros());
        assert_eq!(ph.is_null(row), visit.readings.ph.is_none());
        if let Some(value) = visit.readings.ph {
            assert_eq!(ph.value(row), value);
        }
    }
    let ledger = book.to_arrow(ArrowTable::Ledger).next().unwrap().unwrap();
    let amount = ledger
        .column_by_name("amount")
        .unwrap()
        .as_primitive::<Decimal128Type>();
    assert_eq!(amount.data_type().to_string(), "Decimal128(18, 4)");
    let ids = ledger.column_by_name("id").unwrap().as_string::<i32>();
    let entry = book.entry(ids.value(0).parse().unwrap()).unwrap();
    let expected = match entry.entry {
        Entry::Invoice(invoice) => invoice.total(),
        Entry::Payment(payment) => payment.amount,
        Entry::Credit(credit) => credit.amount,
        _ => panic!(),
    };
    assert_eq!(amount.value_as_string(0), format!("{:.4}", expected));
}

#[test]
fn touchpoints_stream_page_by_page_and_parquet_reads_back_equal() {
    let book = Book::open_in_memory().unwrap();
    let start = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .unwrap()
        .to_utc();
    for chunk in 0..3 {
        let batch: Vec<Touchpoint> = (0..6_000)
            .map(|n| {
                Touchpoint::by_visitor(
                    format!("v{}", n % 500),
                    start + chrono::Duration::seconds(chunk * 6_000 + n),
                    poolbook::JourneyChannel::Website,
                    "page_viewed",
                )
            })
            .collect();
        book.record_touchpoints(batch, &office()).unwrap();
    }
    let sizes: Vec<usize> = book
        .to_arrow(ArrowTable::Touchpoints)
        .map(|b| b.unwrap().num_rows())
        .collect();
    assert_eq!(
        sizes,
        [
            poolbook::ARROW_BATCH_ROWS as usize,
            poolbook::ARROW_BATCH_ROWS as usize,
            18_000 - 2 * poolbook::ARROW_BATCH_ROWS as usize
        ]
    );
    let all: Vec<String> = book
        .to_arrow(ArrowTable::Touchpoints)
        .flat_map(|b| {
            let b = b.unwrap();
            let ids = b.column_by_name("id").unwrap().as_string::<i32>().clone();
            (0..ids.len())
                .map(move |i| ids.value(i).to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let unique: std::collections::HashSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), 18_000, "every touchpoint once, across pages");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("touchpoints.parquet");
    let rows = book
        .write_parquet(ArrowTable::Touchpoints, path.to_str().unwrap())
        .unwrap();
    assert_eq!(rows, 18_000);
    let file = std::fs::File::open(&path).unwrap();
    let reader =
        parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let compression = reader.metadata().row_group(0).column(0).compression();
    assert!(
        matches!(compression, parquet::basic::Compression::ZSTD(_)),
        "{compression:?}"
    );
    let reader = reader.build().unwrap();
    let read: Vec<_> = reader.collect::<Result<_, _>>().unwrap();
    let written: Vec<_> = book
        .to_arrow(ArrowTable::Touchpoints)
        .collect::<Result<_, _>>()
        .unwrap();
    let read_rows: usize = read.iter().map(|b| b.num_rows()).sum();
    assert_eq!(read_rows, 18_000);
    let first_read = read[0]
        .column_by_name("id")
        .unwrap()
        .as_string::<i32>()
        .value(0)
        .to_owned();
    let first_written = written[0]
        .column_by_name("id")
        .unwrap()
        .as_string::<i32>()
        .value(0)
        .to_owned();
    assert_eq!(first_read, first_written);
    assert_eq!(
        book.to_arrow(ArrowTable::Touchpoints).schema(),
        arrow_schema(ArrowTable::Touchpoints)
    );
    let error = book
        .write_parquet(
            ArrowTable::Visits,
            dir.path().join("no/such/dir.parquet").to_str().unwrap(),
        )
        .unwrap_err();
    assert!(error.to_string().contains("path"), "{error}");
}

/// A minimal XLSX workbook: `rows` of cells (`n:` a number, `d:` a date
/// serial number formatted as a date, otherwise text).
fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", (b'A' + c as u8) as char, r + 1);
            if let Some(number) = cell.strip_prefix("n:") {
                sheet.push_str(&format!("<c r=\"{at}\"><v>{number}</v></c>"));
            } else if let Some(serial) = cell.strip_prefix("d:") {
                sheet.push_str(&format!("<c r=\"{at}\" s=\"1\"><v>{serial}</v></c>"));
            } else {
                sheet.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t>{cell}</t></is></c>"
                ));
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let files = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#.to_owned()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Customers" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#.to_owned()),
        ("xl/styles.xml", r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#.to_owned()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default();
    for (name, text) in files {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

#[test]
fn an_xlsx_workbook_imports_with_dates_in_date_columns_and_numbers_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let book = Book::open(dir.path().join("book.sqlite")).unwrap();
    book.unlock(poolbook::testing::test_key_provider()).unwrap();
    book.add_technician(NewTechnician::new("Sam Reyes"), &office())
        .unwrap();
    let path = dir.path().join("customers.xlsx");
    std::fs::write(
        &path,
        workbook(&[
            &[
                "Customer ID",
                "Customer Name",
                "Service Address",
                "City",
                "State",
                "Zip",
                "Gallons",
                "Start Date",
                "Route Day",
                "Technician",
            ],
            &[
                "n:1",
                "Ann Lee",
                "1 Bay Rd",
                "Tampa",
                "FL",
                "n:33602",
                "n:12000",
                "d:45352",
                "Tuesday",
                "Sam Reyes",
            ],
            &[
                "n:2",
                "Bo Li",
                "2 Bay Rd",
                "Boston",
                "MA",
                "n:2108",
                "n:9000",
                "d:45383",
                "Friday",
                "Sam Reyes",
            ],
        ]),
    )
    .unwrap();
    let source = ImportSource::file(path.to_string_lossy());
    let mapping = book.guess_import_mapping(&source, "workbook").unwrap();
    let plan = book.plan_import(&source, &mapping).unwrap();
    assert_eq!(plan.creates, 2, "{plan:?}");
    assert!(plan.rows.iter().all(|r| r.action == RowAction::Create));
    let flagged: Vec<_> = plan
        .warnings
        .iter()
        .map(|w| (w.row, w.column.clone().unwrap_or_default()))
        .collect();
    assert_eq!(flagged, [(2, "Zip".to_owned()), (3, "Zip".to_owned())]);
    assert!(plan.warnings[0].reason.contains("leading zeros"));
    book.commit_import(&source, &mapping, &office()).unwrap();
    let customers = book
        .list_customers(&CustomerQuery::default())
        .unwrap()
        .customers;
    let bo = customers
        .iter()
        .find(|c| c.display_name == "Bo Li")
        .unwrap();
    let plan = bo.locations[0].service_plan.as_ref().unwrap();
    assert_eq!(
        plan.starts_on.to_string(),
        "2024-04-01",
        "a date column reads the date"
    );
    assert_eq!(
        bo.locations[0].address.postal_code, "2108",
        "the digits as they arrived"
    );
    assert_eq!(bo.locations[0].bodies_of_water[0].gallons, Some(9000.0));

    // A sheet name that is not there, and a zip bomb, are refused by name.
    let missing = ImportSource {
        sheet: Some("Clients".into()),
        ..source.clone()
    };
    let error = book.plan_import(&missing, &mapping).unwrap_err();
    assert!(error.to_string().contains("Customers"), "{error}");
    let bomb = dir.path().join("bomb.xlsx");
    {
        let mut out = std::fs::File::create(&bomb).unwrap();
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..300 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
    }
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2 * 1024 * 1024);
    let error = book
        .plan_import(&ImportSource::file(bomb.to_string_lossy()), &mapping)
        .unwrap_err();
    assert!(error.to_string().contains("zip bomb"), "{error}");
    assert_eq!(
        book.list_customers(&CustomerQuery::default())
            .unwrap()
            .customers
            .len(),
        2
    );
}
