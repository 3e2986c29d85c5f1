//! Data in and out (issue 20): a customer CSV imported against raw
//! rusqlite inserting the same rows in one transaction; the JSON Lines
//! export and import of a book against serde_json writing and reading the
//! same records to a file; Parquet writing against arrow's own writer on
//! the same batches.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use poolbook::{ArrowTable, Customer, Entry, ImportSource, StoredEntry, Touchpoint};

use crate::measure::{Kind, Row, time};
use crate::{copy_of, data, office, open, raw};

/// How much the data-in-and-out rows do.
pub struct DataSizes {
    pub rounds: usize,
    /// Rows of the imported CSV (one customer each).
    pub csv_rows: usize,
    /// Customers of the exported book.
    pub customers: usize,
    /// Visits and touchpoints (each) of the exported book.
    pub history: usize,
}

/// The CSV of `rows` customers, one row per pool.
fn csv(rows: usize) -> String {
    let mut out = String::from(
        "Customer ID,Customer Name,Mobile Phone,Email,Service Address,City,State,Zip,Pool Name,Gallons,Sanitizer,Gate Code,Route Day,Status,Tags\n",
    );
    for n in 0..rows {
        out.push_str(&format!(
            "C-{n},Customer {n},(602) 555-{:04},owner{n}@example.com,{} Palm Street,Phoenix,AZ,85018,Pool,18000,Salt,{:04}#,Tuesday,Active,weekly\n",
            n % 10_000,
            100 + n,
            n % 10_000
        ));
    }
    out
}

pub fn rows(dir: &Path, sizes: &DataSizes) -> Vec<Row> {
    let mut out = vec![import_row(dir, sizes)];
    out.extend(export_rows(dir, sizes));
    out.push(parquet_row(dir, sizes));
    out
}

fn import_row(dir: &Path, sizes: &DataSizes) -> Row {
    let mut row = Row::new(
        format!(
            "import a {}-row customer CSV (plan and commit)",
            sizes.csv_rows
        ),
        Kind::Throughput,
        "raw rusqlite inserting the same rows, one transaction",
    )
    .target(0.5);
    let file = dir.join("customers.csv");
    std::fs::write(&file, csv(sizes.csv_rows)).expect("write the CSV");
    let source = ImportSource::file(file.to_string_lossy());
    let empty = dir.join("import-empty.sqlite");
    open(&empty).and_then(|b| b.close()).expect("an empty book");
    // The rows poolbook writes for the imported customers, replayed raw.
    let template = copy_of(&empty, dir, "import-template.sqlite");
    let book = open(&template).expect("open");
    let mapping = book.import_presets().remove(0);
    book.commit_import(&source, &mapping, &office())
        .expect("import");
    let ids: Vec<String> = book
        .sql("SELECT id FROM customers", vec![])
        .expect("ids")
        .rows
        .into_iter()
        .filter_map(|r| match r.into_iter().next() {
            Some(poolbook::SqlValue::Text { value }) => Some(value),
            _ => None,
        })
        .collect();
    book.close().expect("close");
    let conn = raw::open(&template);
    let replay: Vec<raw::Rows> = ids.iter().map(|id| raw::customer_rows(&conn, id)).collect();
    drop(conn);
    for round in 0..sizes.rounds {
        for poolbook_side in [round % 2 == 0, round % 2 != 0] {
            let path = copy_of(&empty, dir, "import-run.sqlite");
            if poolbook_side {
                let book = open(&path).expect("open");
                let seconds = time(|| {
                    let result = book
                        .commit_import(&source, &mapping, &office())
                        .expect("import");
                    assert_eq!(result.plan.creates as usize, sizes.csv_rows);
                });
                row.poolbook
                    .push(sizes.csv_rows as f64 / seconds.as_secs_f64().max(1e-9));
            } else {
                let conn = raw::open(&path);
                let seconds = time(|| {
                    raw::transaction(&conn, |conn| {
                        for rows in &replay {
                            raw::insert(conn, rows);
                        }
                    })
                });
                row.raw
                    .push(sizes.csv_rows as f64 / seconds.as_secs_f64().max(1e-9));
            }
        }
    }
    row
}

/// A closed book of `customers` customers with `history` visits and
/// `history` touchpoints.
fn history_book(dir: &Path, sizes: &DataSizes) -> std::path::PathBuf {
    let path = dir.join("export-source.sqlite");
    let book = open(&path).expect("open");
    let mut customers: Vec<Customer> = Vec::new();
    for start in (0..sizes.customers).step_by(poolbook::MAX_CUSTOMER_BATCH) {
        let news = (start..sizes.customers.min(start + poolbook::MAX_CUSTOMER_BATCH))
            .map(|n| data::customer(n, None))
            .collect();
        customers.extend(book.create_customers(news, &office()).expect("customers"));
    }
    for start in (0..sizes.history).step_by(poolbook::MAX_ENTRY_BATCH) {
        let visits = (start..sizes.history.min(start + poolbook::MAX_ENTRY_BATCH))
            .map(|n| {
                Entry::Visit(data::visit(
                    &customers[n % customers.len()],
                    (n / customers.len()) as i64,
                ))
            })
            .collect();
        book.record_entries(visits, &office()).expect("visits");
    }
    for start in (0..sizes.history).step_by(poolbook::MAX_TOUCHPOINT_BATCH) {
        let count = poolbook::MAX_TOUCHPOINT_BATCH.min(sizes.history - start);
        book.record_touchpoints(data::touchpoints(count, 1000, start), &office())
            .expect("touchpoints");
    }
    book.close().expect("close");
    path
}

/// The same records, as serde_json would write them without poolbook.
struct Records {
    customers: Vec<Customer>,
    entries: Vec<StoredEntry>,
    touchpoints: Vec<Touchpoint>,
}

fn records(path: &Path) -> Records {
    let book = open(path).expect("open");
    let mut customers = Vec::new();
    let mut query = poolbook::CustomerQuery {
        archived: poolbook::ArchivedFilter::Include,
        limit: Some(poolbook::MAX_PAGE_SIZE),
        ..Default::default()
    };
    loop {
        let page = book.list_customers(&query).expect("customers");
        customers.extend(page.customers);
        match page.next_after {
            Some(after) => query.after = Some(after),
            None => break,
        }
    }
    // serde_json alone cannot carry a secret back in (a secret serialises
    // to the redaction marker, which deserialising refuses): the baseline's
    // customers go without their codes, a little less work than poolbook's
    // file, which carries them sealed.
    for customer in &mut customers {
        for location in &mut customer.locations {
            let access = &mut location.access;
            (access.gate_code, access.lock_combination, access.alarm_code) = (None, None, None);
        }
    }
    let store_entries: Vec<StoredEntry> = customers
        .iter()
        .flat_map(|c| {
            book.timeline(&poolbook::TimelineQuery {
                customer_id: Some(c.id),
                limit: Some(poolbook::MAX_TIMELINE_PAGE),
                ..Default::default()
            })
            .expect("timeline")
            .items
            .into_iter()
            .filter_map(|item| match item {
                poolbook::TimelineItem::Entry { entry, author, .. } => Some(StoredEntry {
                    entry,
                    author,
                    archived_at: None,
                }),
                _ => None,
            })
        })
        .collect();
    let mut touchpoints = Vec::new();
    for visitor in 0..1000 {
        touchpoints.extend(
            book.touchpoints(&poolbook::TouchpointQuery {
                visitor_id: Some(format!("visitor-{visitor}")),
                limit: Some(poolbook::MAX_TOUCHPOINT_PAGE),
                ..Default::default()
            })
            .expect("touchpoints"),
        );
    }
    Records {
        customers,
        entries: store_entries,
        touchpoints,
    }
}

fn export_rows(dir: &Path, sizes: &DataSizes) -> Vec<Row> {
    let source = history_book(dir, sizes);
    let records = records(&source);
    let lines = records.customers.len() + records.entries.len() + records.touchpoints.len();
    let mut export = Row::new(
        format!(
            "export a book ({} customers, {} visits, {} touchpoints) as JSON Lines",
            sizes.customers, sizes.history, sizes.history
        ),
        Kind::Latency,
        "serde_json writing the same records to a file",
    )
    .target(2.0);
    let mut import = Row::new(
        "import that file into an empty book",
        Kind::Latency,
        "serde_json reading the same records from a file",
    )
    .target(2.0);
    let book = open(&source).expect("open");
    let file = dir.join("book.jsonl");
    let plain = dir.join("records.jsonl");
    for _ in 0..sizes.rounds {
        export.poolbook.push(
            time(|| drop(book.export_book(&file.to_string_lossy()).expect("export"))).as_secs_f64(),
        );
        export.raw.push(
            time(|| {
                let mut out = BufWriter::new(std::fs::File::create(&plain).expect("create"));
                for customer in &records.customers {
                    serde_json::to_writer(&mut out, customer).expect("write");
                    out.write_all(b"\n").expect("write");
                }
                for entry in &records.entries {
                    serde_json::to_writer(&mut out, entry).expect("write");
                    out.write_all(b"\n").expect("write");
                }
                for touchpoint in &records.touchpoints {
                    serde_json::to_writer(&mut out, touchpoint).expect("write");
                    out.write_all(b"\n").expect("write");
                }
                out.flush().expect("flush");
                out.get_ref().sync_all().expect("sync");
            })
            .as_secs_f64(),
        );
        let target = dir.join("import-target.sqlite");
        for suffix in ["-wal", "-shm", ""] {
            let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
        }
        let empty = poolbook::Book::open(&target).expect("open");
        import.poolbook.push(
            time(|| drop(empty.import_book(&file.to_string_lossy()).expect("import")))
                .as_secs_f64(),
        );
        drop(empty);
        import.raw.push(
            time(|| {
                let input = BufReader::new(std::fs::File::open(&plain).expect("open"));
                let mut read = 0;
                for (index, line) in input.lines().enumerate() {
                    let line = line.expect("line");
                    if index < records.customers.len() {
                        let _: Customer = serde_json::from_str(&line).expect("customer");
                    } else if index < records.customers.len() + records.entries.len() {
                        let _: StoredEntry = serde_json::from_str(&line).expect("entry");
                    } else {
                        let _: Touchpoint = serde_json::from_str(&line).expect("touchpoint");
                    }
                    read += 1;
                }
                assert_eq!(read, lines);
            })
            .as_secs_f64(),
        );
    }
    vec![export, import]
}

fn parquet_row(dir: &Path, sizes: &DataSizes) -> Row {
    use parquet::arrow::ArrowWriter;
    use parquet::basic::{Compression, ZstdLevel};
    use parquet::file::properties::WriterProperties;
    let mut row = Row::new(
        format!("write the visits ({}) to Parquet, ZSTD", sizes.history),
        Kind::Latency,
        "arrow's ArrowWriter on the same batches",
    )
    .target(1.5);
    let book = open(dir.join("export-source.sqlite")).expect("open");
    let batches: Vec<_> = book
        .to_arrow(ArrowTable::Visits)
        .collect::<Result<_, _>>()
        .expect("batches");
    let schema = poolbook::arrow_schema(ArrowTable::Visits);
    let file = dir.join("visits.parquet");
    for _ in 0..sizes.rounds {
        row.poolbook.push(
            time(|| {
                book.write_parquet(ArrowTable::Visits, &file.to_string_lossy())
                    .expect("parquet");
            })
            .as_secs_f64(),
        );
        row.raw.push(
            time(|| {
                let properties = WriterProperties::builder()
                    .set_compression(Compression::ZSTD(ZstdLevel::default()))
                    .build();
                let out = std::fs::File::create(dir.join("visits-raw.parquet")).expect("create");
                let mut writer =
                    ArrowWriter::try_new(out, schema.clone(), Some(properties)).expect("writer");
                for batch in &batches {
                    writer.write(batch).expect("write");
                }
                writer.close().expect("close");
            })
            .as_secs_f64(),
        );
    }
    row
}
