//! Property test of the spreadsheet import (issue 20): random CSV files —
//! any delimiter, quotes, line ends, Unicode, bytes that are not UTF-8,
//! ragged rows — through `plan_import` and `commit_import`. `plan` never
//! panics and writes nothing; a commit either lands whole (every customer
//! the plan said it would create, and one import row in the change log) or
//! is refused with the book unchanged. 64 cases by default
//! (`PROPTEST_CASES` for more).

use poolbook::{
    ArchivedFilter, Author, Book, ChangeLogQuery, CustomerQuery, EntityKind, ImportSource,
    static_key_provider,
};
use proptest::prelude::*;

fn cell() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        "[A-Za-z .'-]{1,12}".prop_map(String::into_bytes),
        "\\(?[0-9]{3}\\)? ?[0-9]{3}-[0-9]{4}".prop_map(String::into_bytes),
        "[a-z]{1,6}@[a-z]{1,6}\\.com".prop_map(String::into_bytes),
        "[0-9]{1,6}".prop_map(String::into_bytes),
        "\"[^\"]{0,10}\"".prop_map(String::into_bytes),
        "[,;\t|\"\r\n=]{1,3}".prop_map(String::into_bytes),
        any::<String>().prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..8),
    ]
}

fn csv() -> impl Strategy<Value = Vec<u8>> {
    let header = prop_oneof![
        Just(
            b"Customer Name,Mobile Phone,Email,Service Address,City,State,Zip,Gallons,Gate Code"
                .to_vec()
        ),
        Just(b"Customer ID;Customer Name;Zip;Route Day;Status".to_vec()),
        proptest::collection::vec(cell(), 1..6).prop_map(|cells| cells.join(&b","[..])),
    ];
    let delimiter = prop_oneof![Just(b','), Just(b';'), Just(b'\t')];
    (
        header,
        delimiter,
        proptest::collection::vec(proptest::collection::vec(cell(), 0..11), 0..12),
    )
        .prop_map(|(header, delimiter, rows)| {
            let mut out = header;
            for row in rows {
                out.push(b'\n');
                out.extend(row.join(&[delimiter][..]));
            }
            out
        })
}

fn state(book: &Book) -> (usize, usize) {
    let log = book.change_log(&ChangeLogQuery::default()).unwrap().len();
    let customers = book
        .list_customers(&CustomerQuery {
            archived: ArchivedFilter::Include,
            limit: Some(1000),
            ..CustomerQuery::default()
        })
        .unwrap()
        .customers
        .len();
    (log, customers)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64)
    ))]

    #[test]
    fn random_csvs_plan_without_panic_and_commit_whole_or_not_at_all(bytes in csv()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("random.csv");
        std::fs::write(&path, &bytes).unwrap();
        let source = ImportSource::file(path.to_string_lossy().into_owned());
        let book = Book::open_in_memory().unwrap();
        book.unlock(static_key_provider(vec![3; 32]).unwrap()).unwrap();
        let mapping = book.import_presets().remove(0);
        let before = state(&book);
        let plan = book.plan_import(&source, &mapping);
        prop_assert_eq!(state(&book), before, "a dry run writes nothing");
        let office = Author::office("dana");
        match book.commit_import(&source, &mapping, &office) {
            Ok(result) => {
                let plan = plan.expect("a file that commits also plans");
                let actions = |p: &poolbook::ImportPlan| {
                    p.rows.iter().map(|r| (r.row, r.action, r.problems.clone())).collect::<Vec<_>>()
                };
                prop_assert_eq!(actions(&result.plan), actions(&plan));
                prop_assert_eq!(result.plan.creates, plan.creates);
                let (_, customers) = state(&book);
                prop_assert_eq!(customers, before.1 + plan.creates as usize);
                let imports = book.change_log(&ChangeLogQuery {
                    entity: Some(EntityKind::Import),
                    ..ChangeLogQuery::default()
                }).unwrap();
                prop_assert_eq!(imports.len(), 1);
            }
            Err(error) => {
                prop_assert!(matches!(error, poolbook::Error::Invalid { .. }), "{error}");
                prop_assert!(plan.is_err(), "plan and commit agree: {error}");
                prop_assert_eq!(state(&book), before, "a refused commit leaves the book unchanged");
            }
        }
    }
}
