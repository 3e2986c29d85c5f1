//! Spreadsheet import end to end on a real book file: the dry run writes
//! nothing, the commit lands in one transaction, a re-import creates nothing,
//! an edit made since is never overwritten, undo archives and restores, and
//! malformed files are refused naming the row and column.

use std::path::{Path, PathBuf};

use poolbook::{
    ArchivedFilter, Author, Book, ChangeLogQuery, ColumnMapping, CustomerQuery, EntityKind,
    ImportField, ImportMapping, ImportSource, NewTechnician, RowAction, static_key_provider,
};

fn example_csv() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/customers.csv")
}

fn office() -> Author {
    Author::office("dana")
}

fn book_at(dir: &Path) -> Book {
    let book = Book::open(dir.join("book.sqlite")).unwrap();
    book.unlock(static_key_provider(vec![7; 32]).unwrap())
        .unwrap();
    book.add_technician(NewTechnician::new("Sam Reyes"), &office())
        .unwrap();
    book
}

fn write(dir: &Path, name: &str, text: &[u8]) -> ImportSource {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    ImportSource::file(path.to_string_lossy().into_owned())
}

fn preset(book: &Book) -> ImportMapping {
    book.import_presets()
        .into_iter()
        .find(|m| m.name == "pool_route_export")
        .unwrap()
}

fn all_customers(book: &Book) -> Vec<poolbook::Customer> {
    book.list_customers(&CustomerQuery {
        archived: ArchivedFilter::Include,
        ..CustomerQuery::default()
    })
    .unwrap()
    .customers
}

#[test]
fn plan_writes_nothing_commit_lands_reimport_creates_nothing_undo_archives() {
    let dir = tempfile::tempdir().unwrap();
    let book = book_at(dir.path());
    let source = ImportSource::file(example_csv().to_string_lossy().into_owned());
    let mapping = preset(&book);
    let log_before = book.change_log(&ChangeLogQuery::default()).unwrap().len();

    let plan = book.plan_import(&source, &mapping).unwrap();
    assert_eq!(
        (plan.creates, plan.updates, plan.errors),
        (3, 0, 0),
        "{plan:?}"
    );
    assert_eq!(plan.rows.len(), 4);
    assert!(plan.rows.iter().all(|r| r.action == RowAction::Create));
    assert_eq!(plan.rows[0].row, 2);
    assert!(all_customers(&book).is_empty(), "a dry run writes nothing");
    assert_eq!(
        book.change_log(&ChangeLogQuery::default()).unwrap().len(),
        log_before
    );

    let result = book.commit_import(&source, &mapping, &office()).unwrap();
    let customers = all_customers(&book);
    assert_eq!(customers.len(), 3);
    let maria = customers
        .iter()
        .find(|c| c.display_name == "Maria Lopez")
        .unwrap();
    assert_eq!(maria.locations.len(), 1);
    let home = &maria.locations[0];
    assert_eq!(
        home.bodies_of_water.len(),
        2,
        "two rows, two bodies of water"
    );
    assert_eq!(home.bodies_of_water[0].gallons, Some(15000.0));
    assert_eq!(home.bodies_of_water[1].kind, poolbook::WaterKind::Spa);
    assert_eq!(maria.contacts[0].phones[0].number, "+18135550142");
    assert_eq!(maria.tags, ["weekly", "salt"]);
    assert_eq!(home.access.pets[0].name, "Biscuit");
    assert_eq!(
        home.service_plan.as_ref().unwrap().preferred_weekday,
        Some(poolbook::Weekday::Tuesday)
    );
    let gate = home.access.gate_code.as_ref().unwrap();
    assert!(gate.is_sealed(), "gate codes are sealed as they are read");
    let revealed = book
        .reveal_secret(home.id, poolbook::SecretField::GateCode, &office(), "test")
        .unwrap()
        .unwrap();
    assert_eq!(revealed.reveal(), Some("4417"));
    let chen = customers
        .iter()
        .find(|c| c.display_name == "Chen, David")
        .unwrap();
    assert_eq!(chen.status, poolbook::LifecycleStatus::Paused);
    assert!(
        chen.locations[0].access.pets.is_empty(),
        "\"no\" dog is no pet"
    );
    let imports = book
        .change_log(&ChangeLogQuery {
            entity: Some(EntityKind::Import),
            ..ChangeLogQuery::default()
        })
        .unwrap();
    assert_eq!(imports.len(), 1);
    assert_eq!(imports[0].entity_id, result.import_id);

    // The same file again: nothing new, nothing changed.
    let again = book.commit_import(&source, &mapping, &office()).unwrap();
    assert_eq!((again.plan.creates, again.plan.updates), (0, 0));
    assert_eq!(again.plan.skips, 4);
    assert_eq!(all_customers(&book).len(), 3);
    assert_eq!(book.customer(maria.id).unwrap().version, maria.version);

    // Undo the first import: the three customers are archived.
    let undo = book.undo_import(&result.import_id, &office()).unwrap();
    assert_eq!(undo.archived.len(), 3);
    assert!(undo.kept.is_empty());
    assert!(book.customer(maria.id).unwrap().archived_at.is_some());
    let error = book.undo_import(&result.import_id, &office()).unwrap_err();
    assert!(error.to_string().contains("already undone"), "{error}");
}

#[test]
fn reimport_updates_only_what_changed_and_never_a_newer_edit() {
    let dir = tempfile::tempdir().unwrap();
    let book = book_at(dir.path());
    let mapping = preset(&book);
    let text = std::fs::read_to_string(example_csv()).unwrap();
    let source = write(dir.path(), "a.csv", text.as_bytes());
    book.commit_import(&source, &mapping, &office()).unwrap();
    let before = all_customers(&book);
    let hoa = before
        .iter()
        .find(|c| c.display_name == "Sunset HOA")
        .unwrap()
        .clone();
    let chen = before
        .iter()
        .find(|c| c.display_name == "Chen, David")
        .unwrap()
        .clone();

    // Someone edits the HOA in the book; the file changes the HOA's and
    // Chen's gallons.
    let edited = book
        .update_customer(
            hoa.id,
            hoa.version,
            poolbook::CustomerPatch {
                tags: Some(vec!["hoa".into(), "board-approved".into()]),
                ..Default::default()
            },
            &office(),
        )
        .unwrap();
    let changed = text.replace("60000", "61000").replace("22000", "23000");
    let source = write(dir.path(), "b.csv", changed.as_bytes());
    let plan = book.plan_import(&source, &mapping).unwrap();
    let hoa_row = plan
        .rows
        .iter()
        .find(|r| r.customer_id == Some(hoa.id))
        .unwrap();
    assert_eq!(hoa_row.action, RowAction::Error);
    assert!(
        hoa_row.problems[0].reason.contains("changed in the book"),
        "{hoa_row:?}"
    );
    let chen_row = plan
        .rows
        .iter()
        .find(|r| r.customer_id == Some(chen.id))
        .unwrap();
    assert_eq!(chen_row.action, RowAction::Update);
    assert_eq!(plan.skips, 2, "Maria's two rows are unchanged");

    let result = book.commit_import(&source, &mapping, &office()).unwrap();
    assert_eq!(
        book.customer(hoa.id).unwrap(),
        edited,
        "the newer edit stands"
    );
    let chen_now = book.customer(chen.id).unwrap();
    assert_eq!(
        chen_now.locations[0].bodies_of_water[0].gallons,
        Some(23000.0)
    );
    assert_eq!(chen_now.version, chen.version + 1);
    let gallons_rows = book
        .change_log(&ChangeLogQuery {
            customer_id: Some(chen.id),
            ..ChangeLogQuery::default()
        })
        .unwrap();
    let last = gallons_rows.last().unwrap();
    assert_eq!(last.changes.len(), 1, "only what changed: {last:?}");
    assert_eq!(last.changes[0].field, "gallons");

    // Undo restores Chen, unless changed since.
    let undo = book.undo_import(&result.import_id, &office()).unwrap();
    assert_eq!(undo.restored, [chen.id]);
    let restored = book.customer(chen.id).unwrap();
    assert_eq!(
        restored.locations[0].bodies_of_water[0].gallons,
        Some(22000.0)
    );
    assert_eq!(restored.version, chen.version + 2);
}

#[test]
fn undo_keeps_and_lists_what_was_changed_since() {
    let dir = tempfile::tempdir().unwrap();
    let book = book_at(dir.path());
    let mapping = preset(&book);
    let source = ImportSource::file(example_csv().to_string_lossy().into_owned());
    let result = book.commit_import(&source, &mapping, &office()).unwrap();
    let maria = all_customers(&book)
        .into_iter()
        .find(|c| c.display_name == "Maria Lopez")
        .unwrap();
    book.update_customer(
        maria.id,
        maria.version,
        poolbook::CustomerPatch {
            display_name: Some("Maria Lopez-Rivera".into()),
            ..Default::default()
        },
        &office(),
    )
    .unwrap();
    let undo = book.undo_import(&result.import_id, &office()).unwrap();
    assert_eq!(undo.kept, [maria.id]);
    assert_eq!(undo.archived.len(), 2);
    assert!(book.customer(maria.id).unwrap().archived_at.is_none());
}

#[test]
fn bad_cells_are_named_by_row_and_column_and_duplicates_shown() {
    let dir = tempfile::tempdir().unwrap();
    let book = book_at(dir.path());
    let mapping = preset(&book);
    book.commit_import(
        &ImportSource::file(example_csv().to_string_lossy().into_owned()),
        &mapping,
        &office(),
    )
    .unwrap();
    let csv = "Customer ID;Customer Name;Mobile Phone;Email;Service Address;City;State;Zip;Gallons;Technician\n\
               N-1;Ana Ruiz;12;ana@example.com;1 Elm St;Tampa;FL;33602;9000;\n\
               N-2;Bo Li;(813) 555-0142;bo@example.com;2 Elm St;Tampa;FL;33602;lots;\n\
               N-3;Cy Ng;;cy@example.com;3 Elm St;Tampa;FL;33602;;Nobody\n\
               N-4;Di Po;;maria@example.com;5 Oak St;Tampa;FL;33602;;\n";
    let mapping = ImportMapping {
        name: "mine".into(),
        columns: mapping
            .columns
            .into_iter()
            .filter(|c| {
                csv.lines()
                    .next()
                    .unwrap()
                    .split(';')
                    .any(|h| h == c.column)
            })
            .collect(),
        properties_columns: Vec::new(),
    };
    let source = write(dir.path(), "bad.csv", csv.as_bytes());
    let plan = book.plan_import(&source, &mapping).unwrap();
    let row = |n| plan.rows.iter().find(|r| r.row == n).unwrap();
    assert_eq!(row(2).action, RowAction::Error);
    assert_eq!(row(2).problems[0].column.as_deref(), Some("Mobile Phone"));
    assert_eq!(row(3).action, RowAction::Error);
    assert_eq!(row(3).problems[0].column.as_deref(), Some("Gallons"));
    assert!(row(3).problems[0].reason.contains("lots"));
    assert_eq!(row(4).action, RowAction::Error);
    assert!(row(4).problems[0].reason.contains("Nobody"), "{:?}", row(4));
    assert_eq!(row(5).action, RowAction::Create);
    assert_eq!(plan.duplicates.len(), 1, "{:?}", plan.duplicates);
    assert_eq!(plan.duplicates[0].matched_on, "email");
    assert_eq!(plan.duplicates[0].display_name, "Maria Lopez");
    let result = book.commit_import(&source, &mapping, &office()).unwrap();
    assert_eq!(result.plan.creates, 1);
    assert_eq!(all_customers(&book).len(), 4);
}

#[test]
fn malformed_files_are_refused_whole_and_the_book_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let book = book_at(dir.path());
    let mapping = preset(&book);
    let cases: &[(&[u8], &str)] = &[
        (b"Customer Name,City\n\"Ann,Tampa\nBob,Miami\n", "row 2"),
        (b"", "no header"),
        (b"1,2,3\n4,5,6\n", "no header"),
        (b"\xFF\xFEC\x00", "UTF-16"),
        (b"Name,\x00City\n", "NUL"),
        (b"Customer Name,Customer Name\nA,B\n", "appears twice"),
    ];
    for (bytes, expected) in cases {
        let source = write(dir.path(), "bad.csv", bytes);
        let error = book.plan_import(&source, &mapping).unwrap_err();
        assert!(error.to_string().contains(expected), "{expected}: {error}");
        assert!(matches!(error, poolbook::Error::Invalid { .. }));
        let error = book
            .commit_import(&source, &mapping, &office())
            .unwrap_err();
        assert!(error.to_string().contains(expected), "{expected}: {error}");
    }
    let source = write(dir.path(), "cols.csv", b"Nom,Ville\nAnn,Tampa\n");
    let error = book.plan_import(&source, &mapping).unwrap_err();
    assert!(
        error.to_string().contains("none of the mapping's columns"),
        "{error}"
    );
    assert!(all_customers(&book).is_empty());
    let missing = ImportSource::file(dir.path().join("nope.csv").to_string_lossy().into_owned());
    let error = book.plan_import(&missing, &mapping).unwrap_err();
    assert!(error.to_string().contains("path"), "{error}");
}

#[test]
fn a_locked_book_refuses_rows_with_gate_codes_only() {
    let dir = tempfile::tempdir().unwrap();
    let book = Book::open(dir.path().join("locked.sqlite")).unwrap();
    book.add_technician(NewTechnician::new("Sam Reyes"), &office())
        .unwrap();
    let mapping = preset(&book);
    let source = ImportSource::file(example_csv().to_string_lossy().into_owned());
    let plan = book.plan_import(&source, &mapping).unwrap();
    assert_eq!(plan.errors, 3, "{plan:?}");
    assert_eq!(plan.creates, 1, "Chen has no gate code");
    assert!(plan.rows[0].problems[0].reason.contains("locked"));
}

#[test]
fn clients_and_properties_join_by_key_and_mappings_are_saved_and_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let book = book_at(dir.path());
    let clients = write(
        dir.path(),
        "clients.csv",
        "\u{feff}Client ID,First Name,Last Name,Company Name,Mobile Phone,E-mail,Tags\n\
         1,Ann,Lee,,813 555 0101,ann@example.com,vip\n\
         2,,,Palms Hotel,813 555 0102,desk@palms.example,\n"
            .as_bytes(),
    );
    let properties = write(
        dir.path(),
        "properties.csv",
        b"Client ID\tStreet 1\tCity\tState\tZip Code\tGate Code\tPool Gallons\n\
          1\t1 Bay Rd\tTampa\tFL\t33602\t1234\t12000\n\
          2\t9 Gulf Blvd\tTampa\tFL\t33606\t\t80000\n\
          2\t11 Gulf Blvd\tTampa\tFL\t33606\t\t\n\
          7\t5 Nowhere\tTampa\tFL\t33606\t\t\n",
    );
    let source = ImportSource {
        properties_path: properties.path.clone().into(),
        ..clients
    };
    let mapping = book
        .import_presets()
        .into_iter()
        .find(|m| m.name == "field_service_clients_properties")
        .unwrap();
    let mapping = ImportMapping {
        columns: mapping
            .columns
            .into_iter()
            .filter(|c| {
                !matches!(
                    c.column.as_str(),
                    "Main Phone" | "Work Phone" | "Email 2" | "Status"
                )
            })
            .collect(),
        properties_columns: mapping
            .properties_columns
            .into_iter()
            .filter(|c| {
                [
                    "Client ID",
                    "Street 1",
                    "City",
                    "State",
                    "Zip Code",
                    "Gate Code",
                    "Pool Gallons",
                ]
                .contains(&c.column.as_str())
            })
            .collect(),
        ..mapping
    };
    let plan = book.plan_import(&source, &mapping).unwrap();
    assert_eq!(plan.creates, 2, "{plan:?}");
    assert_eq!(plan.warnings.len(), 1, "{:?}", plan.warnings);
    assert_eq!(plan.warnings[0].file, "properties");
    assert_eq!(plan.warnings[0].row, 5);
    assert!(plan.warnings[0].reason.contains("joins no client"));
    book.commit_import(&source, &mapping, &office()).unwrap();
    let customers = all_customers(&book);
    let hotel = customers
        .iter()
        .find(|c| c.display_name == "Palms Hotel")
        .unwrap();
    assert_eq!(hotel.kind, poolbook::CustomerKind::Commercial);
    assert_eq!(hotel.locations.len(), 2);
    let ann = customers
        .iter()
        .find(|c| c.display_name == "Ann Lee")
        .unwrap();
    assert!(
        ann.locations[0]
            .access
            .gate_code
            .as_ref()
            .unwrap()
            .is_sealed()
    );

    let guessed = book.guess_import_mapping(&source, "guessed").unwrap();
    let field = |column: &str| {
        guessed
            .columns
            .iter()
            .chain(&guessed.properties_columns)
            .find(|c| c.column == column)
            .map(|c| c.field)
    };
    assert_eq!(field("Client ID"), Some(ImportField::Key));
    assert_eq!(field("E-mail"), Some(ImportField::Email));
    assert_eq!(field("Street 1"), Some(ImportField::AddressLine1));
    assert_eq!(field("Pool Gallons"), Some(ImportField::Gallons));
    book.save_import_mapping(guessed.clone(), &office())
        .unwrap();
    assert_eq!(book.import_mappings().unwrap(), [guessed]);
    let error = book
        .save_import_mapping(
            ImportMapping {
                name: " ".into(),
                columns: vec![ColumnMapping {
                    column: "x".into(),
                    field: ImportField::Key,
                }],
                properties_columns: vec![],
            },
            &office(),
        )
        .unwrap_err();
    assert!(error.to_string().contains("mapping.name"), "{error}");
}
