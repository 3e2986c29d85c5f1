//! Spreadsheet import of customers: saved mappings, presets and a guess
//! from headers; the dry run ([`Book::plan_import`]) that writes nothing;
//! the commit ([`Book::commit_import`]), one transaction and one change-log
//! operation of kind import, keyed so a re-import creates nothing new; and
//! [`Book::undo_import`].

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use serde_json::Value;

use crate::book::{Book, now};
use crate::domain::changes;
use crate::domain::import_rows::{self, CellProblem, RowValues};
use crate::domain::sheet::{self, MAX_SPREADSHEET_BYTES, Sheet};
use crate::domain::validate::{self, Rules};
use crate::model::{
    ArchivedFilter, Billing, ChangeAction, Customer, CustomerKind, CustomerQuery, FieldChange,
    ImportBatch, ImportField, ImportKey, ImportMapping, ImportPlan, ImportResult, ImportSource,
    ImportedUpdate, LifecycleStatus, MAX_PAGE_SIZE, NewChange, PlannedRow, PossibleDuplicate,
    Preferences, RowAction, RowProblem, UndoReport,
};
use crate::store::{Write, WriteBatch};
use crate::{Author, CustomerId, EntityKind, Error, Result, Technician, TechnicianId};

/// What a dry run found, with the records a commit would write.
struct Prepared {
    plan: ImportPlan,
    file: String,
    creates: Vec<Customer>,
    /// (stored record, record to store).
    updates: Vec<(Customer, Customer)>,
    keys: Vec<ImportKey>,
}

/// The rows of one customer.
struct Group {
    key: String,
    rows: Vec<(u64, RowValues)>,
    /// Properties-file rows joined to this customer.
    properties: Vec<(u64, RowValues)>,
    /// Rows of this customer that cannot be imported.
    failed: Vec<u64>,
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Book {
    /// The dry run of a spreadsheet import: reads `source` with `mapping`
    /// and says, row by row, what a commit would do (create, update, skip,
    /// or error with the row, column and reason) and which new customers
    /// look like ones already in the book. Writes nothing.
    pub fn plan_import(
        &self,
        source: &ImportSource,
        mapping: &ImportMapping,
    ) -> Result<ImportPlan> {
        Ok(self.prepare_import(source, mapping)?.plan)
    }

    /// Imports `source` with `mapping` in one transaction, as its dry run
    /// says (rows in error are left out and reported). Re-importing the same
    /// rows creates nothing and updates only customers whose rows changed,
    /// and never one edited in the book since the last import (that row is
    /// an error saying so). The change log gets every record's rows and one
    /// row of kind import naming the batch, which [`Book::undo_import`]
    /// takes back.
    pub fn commit_import(
        &self,
        source: &ImportSource,
        mapping: &ImportMapping,
        author: &Author,
    ) -> Result<ImportResult> {
        author.check()?;
        let prepared = self.prepare_import(source, mapping)?;
        let at = now();
        let id = uuid::Uuid::now_v7().to_string();
        let mut writes = Vec::new();
        let mut changes = Vec::new();
        let mut created = Vec::new();
        let mut updated = Vec::new();
        let mut versions: HashMap<CustomerId, i64> = HashMap::new();
        for mut record in prepared.creates {
            record.created_at = at;
            record.updated_at = at;
            self.seal_secrets(&mut record, None)?;
            changes.extend(changes::diff_customer(None, &record));
            created.push(record.id);
            versions.insert(record.id, record.version);
            writes.push(Write::InsertCustomer(record));
        }
        for (current, mut next) in prepared.updates {
            self.seal_secrets(&mut next, Some(&current))?;
            next.version = current.version + 1;
            next.updated_at = at;
            changes.extend(changes::diff_customer(Some(&current), &next));
            versions.insert(next.id, next.version);
            updated.push(ImportedUpdate {
                before: current.clone(),
                version_after: next.version,
            });
            writes.push(Write::UpdateCustomer {
                record: next,
                previous: Box::new(current),
            });
        }
        let keys = prepared
            .keys
            .into_iter()
            .map(|mut key| {
                if let Some(version) = versions.get(&key.customer_id) {
                    key.version = *version;
                }
                key
            })
            .collect();
        let counts = [
            ("file", Value::from(prepared.file.clone())),
            ("mapping", Value::from(mapping.name.clone())),
            ("created", Value::from(created.len())),
            ("updated", Value::from(updated.len())),
        ];
        changes.push(import_change(&id, ChangeAction::Created, &counts));
        let batch = ImportBatch {
            id: id.clone(),
            mapping: mapping.name.clone(),
            file: prepared.file,
            at,
            author: author.clone(),
            created,
            updated,
            undone_at: None,
        };
        writes.push(Write::PutImport {
            batch: Box::new(batch),
            keys,
            drop_keys: Vec::new(),
        });
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at,
            writes,
            changes,
        })?;
        Ok(ImportResult {
            import_id: id,
            plan: prepared.plan,
        })
    }

    /// Undoes a committed import in one transaction: customers it created
    /// are archived and customers it updated get back the record they had,
    /// where no one has changed them since; those changed since are kept as
    /// they are and listed.
    pub fn undo_import(&self, import_id: &str, author: &Author) -> Result<UndoReport> {
        author.check()?;
        let mut batch = self
            .store
            .import_batch(import_id)?
            .ok_or_else(|| Error::not_found(EntityKind::Import, import_id))?;
        if batch.undone_at.is_some() {
            return Err(Error::invalid("import_id", "the import is already undone"));
        }
        let at = now();
        let mut report = UndoReport::default();
        let mut writes = Vec::new();
        let mut changes = Vec::new();
        let mut keys = Vec::new();
        let ids: Vec<CustomerId> = batch
            .created
            .iter()
            .copied()
            .chain(batch.updated.iter().map(|u| u.before.id))
            .collect();
        let current: HashMap<CustomerId, Customer> = self
            .store
            .customers_by_id(&ids)?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let known_keys = if batch.updated.is_empty() {
            Vec::new()
        } else {
            self.store.import_keys(&batch.mapping)?
        };
        for id in &batch.created {
            let Some(now_stored) = current.get(id) else {
                continue;
            };
            if now_stored.version != 1 || now_stored.archived_at.is_some() {
                report.kept.push(*id);
                continue;
            }
            let mut next = now_stored.clone();
            next.archived_at = Some(at);
            next.version += 1;
            next.updated_at = at;
            changes.push(NewChange {
                entity: EntityKind::Customer,
                entity_id: id.to_string(),
                customer_id: Some(*id),
                action: ChangeAction::Archived,
                changes: vec![FieldChange {
                    field: "archived_at".to_owned(),
                    before: Value::Null,
                    after: serde_json::to_value(at).unwrap_or(Value::Null),
                    secret: false,
                }],
            });
            writes.push(Write::UpdateCustomer {
                record: next,
                previous: Box::new(now_stored.clone()),
            });
            report.archived.push(*id);
        }
        for update in &batch.updated {
            let id = update.before.id;
            let Some(now_stored) = current.get(&id) else {
                continue;
            };
            if now_stored.version != update.version_after {
                report.kept.push(id);
                continue;
            }
            let mut next = update.before.clone();
            next.version = now_stored.version + 1;
            next.updated_at = at;
            next.created_at = now_stored.created_at;
            let mut diff = changes::diff_customer(Some(now_stored), &next);
            for change in &mut diff {
                if change.action == ChangeAction::Created {
                    change.action = ChangeAction::Restored;
                }
            }
            changes.extend(diff);
            keys.extend(
                known_keys
                    .iter()
                    .filter(|k| k.customer_id == id)
                    .cloned()
                    .map(|mut k| {
                        k.version = next.version;
                        k.fingerprint = "undone".to_owned();
                        k
                    }),
            );
            writes.push(Write::UpdateCustomer {
                record: next,
                previous: Box::new(now_stored.clone()),
            });
            report.restored.push(id);
        }
        changes.push(import_change(
            import_id,
            ChangeAction::Archived,
            &[
                ("archived", Value::from(report.archived.len())),
                ("restored", Value::from(report.restored.len())),
                ("kept", Value::from(report.kept.len())),
            ],
        ));
        batch.undone_at = Some(at);
        writes.push(Write::PutImport {
            batch: Box::new(batch),
            keys,
            drop_keys: report.archived.clone(),
        });
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at,
            writes,
            changes,
        })?;
        Ok(report)
    }

    /// Saves `mapping` under its name (replacing one of the same name).
    pub fn save_import_mapping(&self, mapping: ImportMapping, author: &Author) -> Result<()> {
        author.check()?;
        check_mapping(&mapping)?;
        let before = self
            .store
            .import_mappings()?
            .into_iter()
            .find(|m| m.name == mapping.name);
        if before.as_ref() == Some(&mapping) {
            return Ok(());
        }
        let value = |m: Option<&ImportMapping>| serde_json::to_value(m).unwrap_or(Value::Null);
        self.store.apply(&WriteBatch {
            author: author.clone(),
            at: now(),
            writes: vec![Write::PutImportMapping(mapping.clone())],
            changes: vec![NewChange {
                entity: EntityKind::Import,
                entity_id: format!("mapping:{}", mapping.name),
                customer_id: None,
                action: if before.is_some() {
                    ChangeAction::Updated
                } else {
                    ChangeAction::Created
                },
                changes: vec![FieldChange {
                    field: "mapping".to_owned(),
                    before: value(before.as_ref()),
                    after: value(Some(&mapping)),
                    secret: false,
                }],
            }],
        })?;
        Ok(())
    }

    /// The saved import mappings, by name.
    pub fn import_mappings(&self) -> Result<Vec<ImportMapping>> {
        self.store.import_mappings()
    }

    /// The preset mappings for common field-service and pool-route exports.
    pub fn import_presets(&self) -> Vec<ImportMapping> {
        import_rows::presets()
    }

    /// A mapping guessed from the headers of `source` (and of its
    /// properties file), named `name`: each column gets the field its
    /// header most likely means, or `ignore`. For the user to confirm.
    pub fn guess_import_mapping(&self, source: &ImportSource, name: &str) -> Result<ImportMapping> {
        let main = read_sheet(&source.path, source.sheet.as_deref(), "path")?;
        let properties_columns = match &source.properties_path {
            Some(path) => {
                import_rows::guess_columns(&read_sheet(path, None, "properties_path")?.headers)
            }
            None => Vec::new(),
        };
        Ok(ImportMapping {
            name: name.to_owned(),
            columns: import_rows::guess_columns(&main.headers),
            properties_columns,
        })
    }
}

impl Book {
    fn prepare_import(&self, source: &ImportSource, mapping: &ImportMapping) -> Result<Prepared> {
        check_mapping(mapping)?;
        let main = read_sheet(&source.path, source.sheet.as_deref(), "path")?;
        let mut missing = Vec::new();
        let columns = import_rows::resolve(&mapping.columns, &main, "main", &mut missing)
            .map_err(|reason| Error::invalid("mapping.columns", reason))?;
        let mut plan = ImportPlan::default();
        plan.warnings
            .extend(missing.drain(..).map(|column| RowProblem {
                row: 1,
                file: "main".to_owned(),
                column: Some(column),
                reason: "is in the mapping but not in the file: left out".to_owned(),
            }));
        let properties = match &source.properties_path {
            Some(path) => {
                let sheet = read_sheet(path, None, "properties_path")?;
                let columns = import_rows::resolve(
                    &mapping.properties_columns,
                    &sheet,
                    "properties",
                    &mut missing,
                )
                .map_err(|reason| Error::invalid("mapping.properties_columns", reason))?;
                plan.warnings
                    .extend(missing.drain(..).map(|column| RowProblem {
                        row: 1,
                        file: "properties".to_owned(),
                        column: Some(column),
                        reason: "is in the mapping but not in the file: left out".to_owned(),
                    }));
                if !columns.iter().any(|(_, _, f)| *f == ImportField::Key)
                    || !mapping.columns.iter().any(|c| c.field == ImportField::Key)
                {
                    return Err(Error::invalid(
                        "mapping",
                        "the clients + properties shape joins the files by a key column in each",
                    ));
                }
                Some((sheet, columns))
            }
            None => None,
        };
        let plan_region = self.numbering_plan()?;
        let mut groups: Vec<Group> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut row_group: Vec<(u64, Option<usize>, Vec<RowProblem>)> = Vec::new();
        for row in &main.rows {
            let mut cell_problems = Vec::new();
            let values =
                import_rows::read_row(&row.cells, &columns, plan_region, &mut cell_problems);
            let mut problems =
                split_problems(row.number, "main", cell_problems, &mut plan.warnings);
            if let Some(problem) = &row.problem {
                problems.push(problem_at(row.number, "main", None, problem.clone()));
            }
            if import_rows::display_name(&values).is_none() && problems.is_empty() {
                problems.push(problem_at(
                    row.number,
                    "main",
                    None,
                    "has no customer name (map a name, first/last name or company column)"
                        .to_owned(),
                ));
            }
            let key = values
                .key
                .clone()
                .unwrap_or_else(|| import_rows::derived_key(&values));
            let index = *by_key.entry(key.clone()).or_insert_with(|| {
                groups.push(Group {
                    key,
                    rows: Vec::new(),
                    properties: Vec::new(),
                    failed: Vec::new(),
                });
                groups.len() - 1
            });
            if problems.is_empty() {
                groups[index].rows.push((row.number, values));
            } else {
                groups[index].failed.push(row.number);
            }
            row_group.push((row.number, Some(index), problems));
        }
        if let Some((sheet, columns)) = &properties {
            for row in &sheet.rows {
                let mut cell_problems = Vec::new();
                let values =
                    import_rows::read_row(&row.cells, columns, plan_region, &mut cell_problems);
                let problems =
                    split_problems(row.number, "properties", cell_problems, &mut plan.warnings);
                let group = values.key.as_ref().and_then(|key| by_key.get(key)).copied();
                match group {
                    Some(index) if problems.is_empty() && row.problem.is_none() => {
                        groups[index].properties.push((row.number, values))
                    }
                    Some(index) => {
                        groups[index].failed.push(0);
                        plan.warnings.extend(problems);
                        if let Some(problem) = &row.problem {
                            plan.warnings.push(problem_at(
                                row.number,
                                "properties",
                                None,
                                problem.clone(),
                            ));
                        }
                    }
                    None => plan.warnings.push(problem_at(
                        row.number,
                        "properties",
                        None,
                        "joins no client row (its key is missing or matches no client)".to_owned(),
                    )),
                }
            }
        }

        // What the book already knows.
        let known: HashMap<String, ImportKey> = self
            .store
            .import_keys(&mapping.name)?
            .into_iter()
            .map(|k| (k.key.clone(), k))
            .collect();
        let existing_ids: Vec<CustomerId> = groups
            .iter()
            .filter_map(|g| known.get(&g.key).map(|k| k.customer_id))
            .collect();
        let existing: HashMap<CustomerId, Customer> = self
            .store
            .customers_by_id(&existing_ids)?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let technicians: HashMap<String, TechnicianId> = if mapping
            .columns
            .iter()
            .chain(&mapping.properties_columns)
            .any(|c| c.field == ImportField::Technician)
        {
            self.store
                .technicians(true)?
                .into_iter()
                .map(|t| (t.name.trim().to_lowercase(), t.id))
                .collect()
        } else {
            HashMap::new()
        };
        let find_technician = |name: &str| technicians.get(&name.trim().to_lowercase()).copied();
        let known_technicians: std::cell::RefCell<HashMap<TechnicianId, Option<Technician>>> =
            Default::default();
        let technician = |id| -> Result<Option<Technician>> {
            if let Some(found) = known_technicians.borrow().get(&id) {
                return Ok(found.clone());
            }
            let found = self.store.technician(id)?;
            known_technicians.borrow_mut().insert(id, found.clone());
            Ok(found)
        };
        let unlocked = self.is_unlocked();
        let at = now();
        let mut duplicates = DuplicateIndex::default();
        let mut book_indexed = false;

        let mut outcome: Vec<(RowAction, Option<CustomerId>, Option<String>)> =
            vec![(RowAction::Error, None, None); groups.len()];
        let mut creates = Vec::new();
        let mut updates = Vec::new();
        let mut keys = Vec::new();
        for (index, group) in groups.iter().enumerate() {
            if group.rows.is_empty() {
                continue;
            }
            let fingerprint = import_rows::fingerprint(
                group
                    .rows
                    .iter()
                    .chain(&group.properties)
                    .flat_map(|(_, values)| values.raw.iter().map(String::as_str)),
            );
            let previous = known.get(&group.key);
            let current = previous.and_then(|k| existing.get(&k.customer_id));
            if let (Some(previous), Some(current)) = (previous, current) {
                if previous.fingerprint == fingerprint {
                    outcome[index] = (RowAction::Skip, Some(current.id), None);
                    continue;
                }
                if current.archived_at.is_some() {
                    outcome[index] = (
                        RowAction::Error,
                        Some(current.id),
                        Some("the customer is archived in the book; restore it first".to_owned()),
                    );
                    continue;
                }
                if current.version != previous.version {
                    outcome[index] = (
                        RowAction::Error,
                        Some(current.id),
                        Some(format!(
                            "the customer was changed in the book since the last import \
                             (version {}, now {}): not overwritten",
                            previous.version, current.version
                        )),
                    );
                    continue;
                }
                if has_plain_secret(current) {
                    outcome[index] = (
                        RowAction::Error,
                        Some(current.id),
                        Some(
                            "the customer's codes are not sealed yet: unlock the book first"
                                .to_owned(),
                        ),
                    );
                    continue;
                }
            }
            let mut record = match current {
                Some(current) => current.clone(),
                None => blank_customer(at),
            };
            let mut failure = None;
            for (_, row) in &group.rows {
                import_rows::apply_customer(&mut record, row);
            }
            for (_, row) in group.rows.iter().chain(&group.properties) {
                if let Err((field, reason)) = import_rows::apply_location(
                    &mut record,
                    row,
                    plan_region.code(),
                    &find_technician,
                ) {
                    let column = field.and_then(|f| column_of(mapping, f));
                    failure = Some(match column {
                        Some(column) => format!("column \"{column}\": {reason}"),
                        None => reason,
                    });
                    break;
                }
            }
            if failure.is_none() {
                let rules = Rules {
                    region: plan_region,
                    technician: &technician,
                    before: current,
                };
                if let Err(error) = validate::customer(&mut record, &rules) {
                    failure = Some(error.to_string());
                }
            }
            if failure.is_none() && !unlocked && has_plain_secret(&record) {
                failure = Some(
                    "the book is locked: unlock it to import gate codes and other codes".to_owned(),
                );
            }
            if let Some(reason) = failure {
                outcome[index] = (RowAction::Error, current.map(|c| c.id), Some(reason));
                continue;
            }
            keys.push(ImportKey {
                mapping: mapping.name.clone(),
                key: group.key.clone(),
                customer_id: record.id,
                version: record.version,
                fingerprint,
            });
            match current {
                Some(current) => {
                    if changes::diff_customer(Some(current), &record).is_empty() {
                        // Nothing to write; the key remembers the new rows.
                        outcome[index] = (RowAction::Skip, Some(current.id), None);
                    } else {
                        outcome[index] = (RowAction::Update, Some(current.id), None);
                        updates.push((current.clone(), record));
                    }
                }
                None => {
                    if !book_indexed {
                        self.index_book(&mut duplicates)?;
                        book_indexed = true;
                    }
                    let row = group.rows[0].0;
                    plan.duplicates.extend(duplicates.matches(row, &record));
                    duplicates.add(&record);
                    outcome[index] = (RowAction::Create, Some(record.id), None);
                    creates.push(record);
                }
            }
        }
        for (row, group, problems) in row_group {
            let Some(index) = group else { continue };
            let (mut action, customer_id, reason) = outcome[index].clone();
            let mut problems = problems;
            if !problems.is_empty() {
                action = RowAction::Error;
            } else if let Some(reason) = reason {
                problems.push(problem_at(row, "main", None, reason));
            }
            match action {
                RowAction::Skip => plan.skips += 1,
                RowAction::Error => plan.errors += 1,
                RowAction::Create | RowAction::Update => {}
            }
            plan.rows.push(PlannedRow {
                row,
                action,
                key: groups[index].key.clone(),
                customer_id,
                problems,
            });
        }
        plan.creates = creates.len() as u64;
        plan.updates = updates.len() as u64;
        Ok(Prepared {
            plan,
            file: file_name(&source.path),
            creates,
            updates,
            keys,
        })
    }

    /// Adds every live customer's phones, emails and addresses to `index`.
    fn index_book(&self, index: &mut DuplicateIndex) -> Result<()> {
        let mut query = CustomerQuery {
            archived: ArchivedFilter::Exclude,
            limit: Some(MAX_PAGE_SIZE),
            ..CustomerQuery::default()
        };
        loop {
            let page = self.store.customers(&query)?;
            for customer in &page {
                index.add(customer);
            }
            match page.last() {
                Some(last) if page.len() == MAX_PAGE_SIZE as usize => query.after = Some(last.id),
                _ => return Ok(()),
            }
        }
    }
}

/// Exact phone, email and address matches, for the duplicates a plan shows.
#[derive(Default)]
struct DuplicateIndex {
    by_value: HashMap<(&'static str, String), (CustomerId, String)>,
}

impl DuplicateIndex {
    fn values(customer: &Customer) -> Vec<(&'static str, String)> {
        let mut values = HashSet::new();
        for contact in &customer.contacts {
            for phone in &contact.phones {
                values.insert(("phone", phone.number.clone()));
            }
            for email in &contact.emails {
                values.insert(("email", email.to_lowercase()));
            }
        }
        for location in &customer.locations {
            let address = &location.address;
            values.insert((
                "address",
                import_rows::address_key(&address.line1, &address.postal_code),
            ));
        }
        let mut values: Vec<_> = values.into_iter().collect();
        values.sort();
        values
    }

    fn add(&mut self, customer: &Customer) {
        for value in Self::values(customer) {
            self.by_value
                .entry(value)
                .or_insert_with(|| (customer.id, customer.display_name.clone()));
        }
    }

    fn matches(&self, row: u64, customer: &Customer) -> Vec<PossibleDuplicate> {
        let mut seen = HashSet::new();
        Self::values(customer)
            .into_iter()
            .filter_map(|(matched_on, value)| {
                let (id, name) = self.by_value.get(&(matched_on, value.clone()))?;
                seen.insert(*id).then(|| PossibleDuplicate {
                    row,
                    customer_id: *id,
                    display_name: name.clone(),
                    matched_on: matched_on.to_owned(),
                    value: if matched_on == "address" {
                        readable_address(customer, &value)
                    } else {
                        value
                    },
                })
            })
            .collect()
    }
}

fn readable_address(customer: &Customer, key: &str) -> String {
    customer
        .locations
        .iter()
        .find(|l| import_rows::address_key(&l.address.line1, &l.address.postal_code) == key)
        .map(|l| format!("{}, {}", l.address.line1, l.address.postal_code))
        .unwrap_or_default()
}

/// Refuses a mapping with no name or no columns.
fn check_mapping(mapping: &ImportMapping) -> Result<()> {
    let name = mapping.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::invalid(
            "mapping.name",
            "must be 1 to 100 characters",
        ));
    }
    if mapping
        .columns
        .iter()
        .all(|c| c.field == ImportField::Ignore)
    {
        return Err(Error::invalid(
            "mapping.columns",
            "maps no column to a field",
        ));
    }
    if mapping.columns.len() + mapping.properties_columns.len() > sheet::MAX_SPREADSHEET_COLUMNS {
        return Err(Error::invalid("mapping.columns", "has too many columns"));
    }
    Ok(())
}

/// The first column `mapping` gives to `field`.
fn column_of(mapping: &ImportMapping, field: ImportField) -> Option<String> {
    mapping
        .columns
        .iter()
        .chain(&mapping.properties_columns)
        .find(|c| c.field == field)
        .map(|c| c.column.clone())
}

fn problem_at(row: u64, file: &str, column: Option<String>, reason: String) -> RowProblem {
    RowProblem {
        row,
        file: file.to_owned(),
        column,
        reason,
    }
}

/// Splits cell problems into the row's errors (returned) and warnings.
fn split_problems(
    row: u64,
    file: &str,
    problems: Vec<CellProblem>,
    warnings: &mut Vec<RowProblem>,
) -> Vec<RowProblem> {
    let mut errors = Vec::new();
    for problem in problems {
        let problem_row = problem_at(row, file, Some(problem.column), problem.reason);
        if problem.warning {
            warnings.push(problem_row);
        } else {
            errors.push(problem_row);
        }
    }
    errors
}

fn has_plain_secret(customer: &Customer) -> bool {
    customer.locations.iter().any(|location| {
        let access = &location.access;
        [
            &access.gate_code,
            &access.lock_combination,
            &access.alarm_code,
        ]
        .into_iter()
        .flatten()
        .any(|secret| !secret.is_sealed())
    })
}

fn blank_customer(at: chrono::DateTime<chrono::Utc>) -> Customer {
    Customer {
        id: CustomerId::new(),
        kind: CustomerKind::Residential,
        display_name: String::new(),
        status: LifecycleStatus::Active,
        billing: Billing::default(),
        tags: Vec::new(),
        custom_fields: Default::default(),
        contacts: Vec::new(),
        locations: Vec::new(),
        preferences: Preferences::default(),
        created_at: at,
        updated_at: at,
        archived_at: None,
        version: 1,
    }
}

fn import_change(id: &str, action: ChangeAction, fields: &[(&str, Value)]) -> NewChange {
    NewChange {
        entity: EntityKind::Import,
        entity_id: id.to_owned(),
        customer_id: None,
        action,
        changes: fields
            .iter()
            .map(|(field, value)| FieldChange {
                field: (*field).to_owned(),
                before: Value::Null,
                after: value.clone(),
                secret: false,
            })
            .collect(),
    }
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_owned())
}

/// Reads a spreadsheet file by its extension: CSV (and .tsv, .txt) always;
/// XLSX, XLSM and ODS with the `xlsx` feature. `field` names the argument
/// in errors.
fn read_sheet(path: &str, sheet_name: Option<&str>, field: &str) -> Result<Sheet> {
    let extension = Path::new(path)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let file = std::fs::File::open(path)
        .map_err(|error| Error::invalid(field, format!("cannot be opened: {error}")))?;
    let size = file
        .metadata()
        .map_err(|error| Error::invalid(field, format!("cannot be read: {error}")))?
        .len();
    if size > MAX_SPREADSHEET_BYTES {
        return Err(Error::invalid(
            field,
            format!(
                "is {} MiB; an import reads files up to {} MiB (split it, nothing was imported)",
                size / (1024 * 1024),
                MAX_SPREADSHEET_BYTES / (1024 * 1024)
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_SPREADSHEET_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| Error::invalid(field, format!("cannot be read: {error}")))?;
    // The sheet's errors name the file; say which argument it was.
    let within = |error: Error| match error {
        Error::Invalid { problem, also, .. } => Error::Invalid {
            field: field.to_owned(),
            problem,
            also,
        },
        other => other,
    };
    match extension.as_str() {
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => {
            read_workbook(bytes, sheet_name).map_err(within)
        }
        _ => sheet::read_csv(&bytes).map_err(within),
    }
}

#[cfg(feature = "xlsx")]
fn read_workbook(bytes: Vec<u8>, sheet_name: Option<&str>) -> Result<Sheet> {
    crate::domain::workbook::read_workbook(bytes, sheet_name)
}

#[cfg(not(feature = "xlsx"))]
fn read_workbook(_bytes: Vec<u8>, _sheet_name: Option<&str>) -> Result<Sheet> {
    Err(Error::invalid(
        "file",
        "is a workbook; this build of poolbook reads CSV only (feature `xlsx` reads XLSX and ODS): save it as CSV",
    ))
}
