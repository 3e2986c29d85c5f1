//! The lossless JSON Lines export (issue 20), the records of a move between
//! stores one a line: the demo company, with
//! archived records, sealed codes, touchpoints, visitor links, segments,
//! imports and settings, exported and imported into an empty book gives an
//! equal book — every row, version and change-log row — and a file that is
//! truncated, damaged, newer, or meant for a non-empty book is refused whole
//! with the line named, the book unchanged.

use std::path::Path;

use poolbook::{
    ArchivedFilter, Author, Book, ChangeLogQuery, CustomerQuery, DemoOptions, ImportSource,
    SecretField, SqlValue, TimelineQuery,
};

fn office() -> Author {
    Author::office("dana")
}

/// The demo company, with an archived customer, an import and a custom setting.
fn demo_book(path: &Path) -> Book {
    let book = Book::open(path).unwrap();
    book.unlock(poolbook::testing::test_key_provider()).unwrap();
    poolbook::populate_demo(
        &book,
        &DemoOptions {
            customers: 25,
            technicians: 2,
            weeks: 8,
            ..Default::default()
        },
    )
    .unwrap();
    let first = book
        .list_customers(&CustomerQuery::default())
        .unwrap()
        .customers[0]
        .clone();
    book.archive_customer(first.id, first.version, &office())
        .unwrap();
    book.set_time_zone("America/New_York", &office()).unwrap();
    let csv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/customers.csv");
    let mut mapping = book.import_presets().remove(0);
    mapping.columns.retain(|c| c.column != "Technician");
    book.commit_import(
        &ImportSource::file(csv.to_string_lossy()),
        &mapping,
        &office(),
    )
    .unwrap();
    book
}

/// Every row of every table, as `Book::sql` reads them.
fn rows(book: &Book) -> Vec<(String, Vec<Vec<SqlValue>>)> {
    let tables = book
        .sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE 'customer_search%' AND name NOT IN ('location_secrets', \
             'location_secrets_plain', 'book_keys') ORDER BY name",
            vec![],
        )
        .unwrap();
    tables
        .rows
        .into_iter()
        .map(|row| {
            let SqlValue::Text { value: table } = &row[0] else {
                panic!()
            };
            let all = book
                .sql(&format!("SELECT * FROM \"{table}\" ORDER BY 1, 2"), vec![])
                .unwrap();
            (table.clone(), all.rows)
        })
        .collect()
}

fn strip_time(file: &str) -> String {
    let (header, rest) = file.split_once('\n').unwrap();
    let mut header: serde_json::Value = serde_json::from_str(header).unwrap();
    header.as_object_mut().unwrap().remove("exported_at");
    format!("{header}\n{rest}")
}

#[test]
fn export_then_import_into_an_empty_book_gives_an_equal_book() {
    let dir = tempfile::tempdir().unwrap();
    let original = demo_book(&dir.path().join("original.sqlite"));
    let file = dir.path().join("book.jsonl");
    let header = original.export_book(file.to_str().unwrap()).unwrap();
    let count = |table: &str| {
        header
            .counts
            .iter()
            .find(|c| c.table == table)
            .unwrap()
            .rows
    };
    assert_eq!(count("customers"), 28);
    assert!(count("change_log") > 100);
    assert!(count("history") > 100);
    assert_eq!(count("import_batches"), 1);
    assert!(header.book_id.is_some());
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text.lines().count() as u64,
        1 + header.counts.iter().map(|c| c.rows).sum::<u64>()
    );

    let copy_path = dir.path().join("copy.sqlite");
    let copy = Book::open(&copy_path).unwrap();
    let read = copy.import_book(file.to_str().unwrap()).unwrap();
    assert_eq!(read.counts, header.counts);
    assert_eq!(
        rows(&copy),
        rows(&original),
        "every row of every table is equal"
    );

    let everyone = CustomerQuery {
        archived: ArchivedFilter::Include,
        limit: Some(1000),
        ..CustomerQuery::default()
    };
    let customers = original.list_customers(&everyone).unwrap().customers;
    assert_eq!(copy.list_customers(&everyone).unwrap().customers, customers);
    let all_log = ChangeLogQuery {
        limit: Some(10_000),
        ..Default::default()
    };
    assert_eq!(
        copy.change_log(&all_log).unwrap(),
        original.change_log(&all_log).unwrap()
    );
    let timeline = TimelineQuery {
        customer_id: Some(customers[3].id),
        limit: Some(500),
        ..Default::default()
    };
    assert_eq!(
        copy.timeline(&timeline).unwrap(),
        original.timeline(&timeline).unwrap()
    );
    assert_eq!(
        copy.search_customers(&customers[3].display_name, 5)
            .unwrap(),
        original
            .search_customers(&customers[3].display_name, 5)
            .unwrap()
    );

    // The sealed codes came as sealed blobs and open with the same key.
    let with_code = customers
        .iter()
        .flat_map(|c| &c.locations)
        .find(|l| l.access.gate_code.is_some())
        .unwrap();
    copy.unlock(poolbook::testing::test_key_provider()).unwrap();
    let code = copy
        .reveal_secret(with_code.id, SecretField::GateCode, &office(), "check")
        .unwrap()
        .unwrap();
    let want = original
        .reveal_secret(with_code.id, SecretField::GateCode, &office(), "check")
        .unwrap()
        .unwrap();
    assert_eq!(code.reveal(), want.reveal());
    let mut codes = 0;
    for line in text.lines().filter(|l| l.starts_with("{\"customers\":")) {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        for location in record["customers"]["record"]["locations"]
            .as_array()
            .unwrap()
        {
            let gate = &location["access"]["gate_code"];
            assert!(
                gate.is_null() || gate.as_str().unwrap().starts_with(poolbook::SEALED_PREFIX),
                "sealed, never plain: {gate}"
            );
            codes += usize::from(!gate.is_null());
        }
    }
    assert!(codes > 0, "the demo's gate codes travel, sealed");
    let key: serde_json::Value = serde_json::from_str(
        text.lines()
            .find(|l| l.starts_with("{\"book_keys\":"))
            .unwrap(),
    )
    .unwrap();
    assert!(key["book_keys"]["wrapped"].as_str().unwrap().len() > 32);

    // The copy exports to the same file, but for the reveals just made and the time.
    drop(copy);
    let fresh = dir.path().join("fresh.sqlite");
    let again = Book::open(&fresh).unwrap();
    again.import_book(file.to_str().unwrap()).unwrap();
    let second = dir.path().join("again.jsonl");
    again.export_book(second.to_str().unwrap()).unwrap();
    assert_eq!(
        strip_time(&std::fs::read_to_string(&second).unwrap()),
        strip_time(&text)
    );

    // Into a book that is not empty: refused.
    let error = original.import_book(file.to_str().unwrap()).unwrap_err();
    assert!(error.to_string().contains("not empty"), "{error}");
}

#[test]
fn damaged_truncated_and_newer_files_are_refused_whole_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let original = demo_book(&dir.path().join("original.sqlite"));
    let file = dir.path().join("book.jsonl");
    original.export_book(file.to_str().unwrap()).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let middle = lines.len() / 2;

    let truncated = lines[..middle].join("\n");
    let mut corrupt = lines.clone();
    let broken = corrupt[middle][..corrupt[middle].len() / 2].to_owned();
    corrupt[middle] = &broken;
    let newer = text.replacen("\"version\":1", "\"version\":2", 1);
    let cut_line = &text[..text.len() - 40];
    let unknown = text.replacen("{\"customers\":", "{\"customerz\":", 1);
    // A change-log row whose field changes are JSON but not field changes.
    let changed = lines
        .iter()
        .position(|l| l.starts_with("{\"change_log\":") && l.contains("\"changes\":[{"))
        .unwrap();
    let odd_change = lines[changed].replacen("\"changes\":[{", "\"changes\":[{\"nope\":1},{", 1);
    let mut odd_changes = lines.clone();
    odd_changes[changed] = &odd_change;
    let cases: Vec<(String, String)> = vec![
        (truncated, format!("line {middle}:")),
        (corrupt.join("\n"), format!("line {}:", middle + 1)),
        (newer, "newer".to_owned()),
        (cut_line.to_owned(), format!("line {}:", lines.len())),
        (unknown, "customerz".to_owned()),
        (
            odd_changes.join("\n"),
            format!(
                "line {}: the change's fields are not field changes",
                changed + 1
            ),
        ),
        ("{\"hello\":1}\n".to_owned(), "line 1:".to_owned()),
        (String::new(), "empty".to_owned()),
    ];
    for (index, (content, expected)) in cases.into_iter().enumerate() {
        let path = dir.path().join(format!("bad{index}.jsonl"));
        std::fs::write(&path, content).unwrap();
        let book = Book::open(dir.path().join(format!("target{index}.sqlite"))).unwrap();
        let error = book.import_book(path.to_str().unwrap()).unwrap_err();
        assert!(
            error.to_string().contains(&expected),
            "case {index}: {expected}: {error}"
        );
        assert!(
            matches!(error, poolbook::Error::Invalid { .. }),
            "{error:?}"
        );
        assert!(
            book.list_customers(&CustomerQuery::default())
                .unwrap()
                .customers
                .is_empty()
        );
        assert!(
            book.change_log(&ChangeLogQuery::default())
                .unwrap()
                .is_empty()
        );
    }
}
