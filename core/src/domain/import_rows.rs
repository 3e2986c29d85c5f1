//! From spreadsheet rows to customer records: the presets and the guess
//! that map headers to fields, reading each cell as its field (phones,
//! numbers, dates, enum words with common synonyms), and folding the rows of
//! one customer into one record, reusing the ids of the record an earlier
//! import made so a re-import changes only what changed.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::phone::{self, NumberingPlan};
use crate::domain::sheet::{Cell, CellKind, Sheet, header_key};
use crate::model::{
    Address, BodyOfWater, ColumnMapping, Contact, ContactRole, Customer, CustomerKind, Frequency,
    ImportField, ImportMapping, LifecycleStatus, Pet, PetTemperament, Phone, Sanitizer,
    ServiceLocation, ServicePlan, Surface, WaterKind, Weekday,
};
use crate::{Secret, TechnicianId};

/// Header words (reduced by [`header_key`]) and the field each means, in
/// the order a guess tries them.
const SYNONYMS: &[(ImportField, &[&str])] = &[
    (
        ImportField::Key,
        &[
            "customerid",
            "clientid",
            "accountid",
            "accountnumber",
            "customernumber",
            "clientnumber",
            "externalid",
            "customerno",
            "accountno",
            "id",
        ],
    ),
    (
        ImportField::DisplayName,
        &[
            "customername",
            "clientname",
            "displayname",
            "accountname",
            "fullname",
            "name",
            "customer",
            "client",
        ],
    ),
    (
        ImportField::FirstName,
        &[
            "firstname",
            "first",
            "fname",
            "givenname",
            "contactfirstname",
        ],
    ),
    (
        ImportField::LastName,
        &[
            "lastname",
            "last",
            "lname",
            "surname",
            "familyname",
            "contactlastname",
        ],
    ),
    (
        ImportField::Company,
        &[
            "company",
            "companyname",
            "business",
            "businessname",
            "organization",
        ],
    ),
    (
        ImportField::Kind,
        &["customertype", "accounttype", "clienttype", "type", "kind"],
    ),
    (
        ImportField::Status,
        &["status", "customerstatus", "accountstatus", "clientstatus"],
    ),
    (ImportField::Tags, &["tags", "tag", "labels", "groups"]),
    (
        ImportField::MobilePhone,
        &[
            "mobile",
            "mobilephone",
            "cell",
            "cellphone",
            "mobilenumber",
            "mobilephone#",
            "cellnumber",
        ],
    ),
    (
        ImportField::HomePhone,
        &[
            "phone",
            "homephone",
            "phonenumber",
            "primaryphone",
            "telephone",
            "mainphone",
            "tel",
        ],
    ),
    (
        ImportField::WorkPhone,
        &["workphone", "officephone", "businessphone", "work"],
    ),
    (
        ImportField::Email,
        &[
            "email",
            "emailaddress",
            "email1",
            "email2",
            "email3",
            "email4",
            "primaryemail",
            "secondaryemail",
            "billingemail",
            "mail",
        ],
    ),
    (
        ImportField::AddressLine1,
        &[
            "serviceaddress",
            "address",
            "street",
            "streetaddress",
            "address1",
            "addressline1",
            "servicestreet",
            "servicestreet1",
            "serviceaddressline1",
            "propertyaddress",
            "street1",
        ],
    ),
    (
        ImportField::AddressLine2,
        &[
            "address2",
            "addressline2",
            "unit",
            "suite",
            "apt",
            "servicestreet2",
            "street2",
        ],
    ),
    (
        ImportField::City,
        &["city", "servicecity", "town", "propertycity"],
    ),
    (
        ImportField::Region,
        &[
            "state",
            "region",
            "province",
            "servicestate",
            "propertystate",
        ],
    ),
    (
        ImportField::PostalCode,
        &[
            "zip",
            "zipcode",
            "postalcode",
            "postcode",
            "servicezip",
            "servicezipcode",
            "propertyzip",
        ],
    ),
    (ImportField::Country, &["country", "servicecountry"]),
    (
        ImportField::LocationLabel,
        &[
            "locationname",
            "propertyname",
            "sitename",
            "location",
            "property",
        ],
    ),
    (
        ImportField::PoolName,
        &["poolname", "bodyofwater", "bodyofwatername", "watername"],
    ),
    (
        ImportField::PoolKind,
        &["pooltype", "bodyofwatertype", "watertype", "pool"],
    ),
    (
        ImportField::Gallons,
        &[
            "gallons",
            "poolgallons",
            "volume",
            "poolsize",
            "gallonage",
            "poolvolume",
            "size",
        ],
    ),
    (
        ImportField::Surface,
        &["surface", "finish", "poolsurface", "interior", "poolfinish"],
    ),
    (
        ImportField::Sanitizer,
        &[
            "sanitizer",
            "sanitizertype",
            "chlorinetype",
            "chemicalsystem",
            "system",
        ],
    ),
    (
        ImportField::GateCode,
        &["gatecode", "gate", "accesscode", "gatecombo"],
    ),
    (
        ImportField::LockCombination,
        &["lockcode", "lockcombination", "lockcombo", "lock"],
    ),
    (ImportField::AlarmCode, &["alarmcode", "alarm"]),
    (ImportField::KeyLocation, &["keylocation", "keyat", "keys"]),
    (
        ImportField::Dog,
        &["dog", "dogs", "pets", "pet", "dogonproperty", "dogname"],
    ),
    (
        ImportField::AccessNotes,
        &[
            "accessnotes",
            "gatenotes",
            "entrynotes",
            "accessinstructions",
            "access",
        ],
    ),
    (
        ImportField::SpecialInstructions,
        &[
            "notes",
            "instructions",
            "specialinstructions",
            "servicenotes",
            "technotes",
            "techniciannotes",
            "note",
        ],
    ),
    (
        ImportField::RouteDay,
        &[
            "routeday",
            "serviceday",
            "day",
            "dayofservice",
            "scheduledday",
            "weekday",
        ],
    ),
    (
        ImportField::Frequency,
        &[
            "frequency",
            "servicefrequency",
            "schedule",
            "visitfrequency",
        ],
    ),
    (
        ImportField::Technician,
        &[
            "technician",
            "tech",
            "assignedtech",
            "assignedtechnician",
            "routetech",
            "employee",
            "route",
        ],
    ),
    (
        ImportField::PlanStart,
        &[
            "startdate",
            "servicestart",
            "customersince",
            "planstart",
            "since",
            "started",
        ],
    ),
    (
        ImportField::Rate,
        &[
            "rate",
            "price",
            "monthlyrate",
            "servicerate",
            "pervisitrate",
            "monthlyprice",
        ],
    ),
];

/// Fields more than one column may fill.
fn repeatable(field: ImportField) -> bool {
    matches!(
        field,
        ImportField::Email | ImportField::CustomField | ImportField::Ignore | ImportField::Tags
    )
}

/// The field a header most likely means, if any.
pub(crate) fn guess_field(header: &str) -> Option<ImportField> {
    let key = header_key(header);
    SYNONYMS
        .iter()
        .find(|(_, words)| words.contains(&key.as_str()))
        .map(|(field, _)| *field)
}

/// A mapping guessed from headers: each column the field its header most
/// likely means (the first column for a field that takes one), the rest
/// ignored; for the user to confirm.
pub(crate) fn guess_columns(headers: &[String]) -> Vec<ColumnMapping> {
    let mut used = Vec::new();
    headers
        .iter()
        .filter(|h| !h.trim().is_empty())
        .map(|header| {
            let field = match guess_field(header) {
                Some(field) if repeatable(field) || !used.contains(&field) => field,
                _ => ImportField::Ignore,
            };
            used.push(field);
            ColumnMapping {
                column: header.clone(),
                field,
            }
        })
        .collect()
}

/// The presets: mappings for the headers of common field-service and pool
/// route exports.
pub(crate) fn presets() -> Vec<ImportMapping> {
    let columns = |pairs: &[(&str, ImportField)]| {
        pairs
            .iter()
            .map(|(column, field)| ColumnMapping {
                column: (*column).to_owned(),
                field: *field,
            })
            .collect::<Vec<_>>()
    };
    use ImportField as F;
    vec![
        ImportMapping {
            name: "pool_route_export".to_owned(),
            columns: columns(&[
                ("Customer ID", F::Key),
                ("Customer Name", F::DisplayName),
                ("First Name", F::FirstName),
                ("Last Name", F::LastName),
                ("Mobile Phone", F::MobilePhone),
                ("Home Phone", F::HomePhone),
                ("Email", F::Email),
                ("Service Address", F::AddressLine1),
                ("City", F::City),
                ("State", F::Region),
                ("Zip", F::PostalCode),
                ("Pool Name", F::PoolName),
                ("Pool Type", F::PoolKind),
                ("Gallons", F::Gallons),
                ("Sanitizer", F::Sanitizer),
                ("Gate Code", F::GateCode),
                ("Dog", F::Dog),
                ("Route Day", F::RouteDay),
                ("Frequency", F::Frequency),
                ("Technician", F::Technician),
                ("Status", F::Status),
                ("Rate", F::Rate),
                ("Tags", F::Tags),
                ("Notes", F::SpecialInstructions),
            ]),
            properties_columns: Vec::new(),
        },
        ImportMapping {
            name: "field_service_clients_properties".to_owned(),
            columns: columns(&[
                ("Client ID", F::Key),
                ("First Name", F::FirstName),
                ("Last Name", F::LastName),
                ("Company Name", F::Company),
                ("Main Phone", F::HomePhone),
                ("Mobile Phone", F::MobilePhone),
                ("Work Phone", F::WorkPhone),
                ("E-mail", F::Email),
                ("Email 2", F::Email),
                ("Tags", F::Tags),
                ("Status", F::Status),
            ]),
            properties_columns: columns(&[
                ("Client ID", F::Key),
                ("Property Name", F::LocationLabel),
                ("Street 1", F::AddressLine1),
                ("Street 2", F::AddressLine2),
                ("City", F::City),
                ("State", F::Region),
                ("Zip Code", F::PostalCode),
                ("Country", F::Country),
                ("Gate Code", F::GateCode),
                ("Pool Gallons", F::Gallons),
                ("Pool Type", F::PoolKind),
                ("Sanitizer", F::Sanitizer),
                ("Service Day", F::RouteDay),
                ("Assigned Tech", F::Technician),
            ]),
        },
    ]
}

/// A mapping's columns resolved against a sheet's header: the column index
/// and header of each mapped field. A mapped column missing from the sheet
/// is left out and named in `missing` (a preset names more columns than any
/// one file has); a mapping none of whose columns is in the file, or that
/// gives one field two columns, is an error.
pub(crate) fn resolve(
    columns: &[ColumnMapping],
    sheet: &Sheet,
    file: &str,
    missing: &mut Vec<String>,
) -> Result<Vec<(usize, String, ImportField)>, String> {
    let mut resolved = Vec::new();
    for mapping in columns {
        if mapping.field == ImportField::Ignore {
            continue;
        }
        let Some(index) = sheet.column(&mapping.column) else {
            missing.push(mapping.column.clone());
            continue;
        };
        if !repeatable(mapping.field) && resolved.iter().any(|(_, _, f)| *f == mapping.field) {
            return Err(format!(
                "the mapping gives two columns to {}; only one may fill it",
                mapping.field
            ));
        }
        resolved.push((index, sheet.headers[index].clone(), mapping.field));
    }
    if resolved.is_empty() {
        return Err(format!(
            "none of the mapping's columns is in the {file} file's header (it has: {})",
            sheet.headers.join(", ")
        ));
    }
    Ok(resolved)
}

/// A problem found reading one cell: its column and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CellProblem {
    pub column: String,
    pub reason: String,
    /// A warning: the value is imported but worth a look.
    pub warning: bool,
}

/// One row's values, each read as its field.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RowValues {
    pub key: Option<String>,
    pub display_name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub kind: Option<CustomerKind>,
    pub status: Option<LifecycleStatus>,
    pub tags: Vec<String>,
    pub phones: Vec<Phone>,
    pub emails: Vec<String>,
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub location_label: Option<String>,
    pub pool_name: Option<String>,
    pub pool_kind: Option<WaterKind>,
    pub gallons: Option<f64>,
    pub surface: Option<Surface>,
    pub sanitizer: Option<Sanitizer>,
    pub gate_code: Option<String>,
    pub lock_combination: Option<String>,
    pub alarm_code: Option<String>,
    pub key_location: Option<String>,
    pub dog: Option<String>,
    pub access_notes: Option<String>,
    pub special_instructions: Option<String>,
    pub route_day: Option<Weekday>,
    pub frequency: Option<Frequency>,
    pub technician: Option<String>,
    pub plan_start: Option<NaiveDate>,
    pub rate: Option<Decimal>,
    pub custom_fields: BTreeMap<String, String>,
    /// The text of every mapped cell, for the fingerprint.
    pub raw: Vec<String>,
}

impl RowValues {
    /// Whether the row names a service address.
    pub(crate) fn has_address(&self) -> bool {
        self.line1.is_some()
    }

    /// The key of the row's location within its customer.
    pub(crate) fn location_key(&self) -> String {
        address_key(
            self.line1.as_deref().unwrap_or(""),
            self.postal_code.as_deref().unwrap_or(""),
        )
    }
}

/// An address reduced for matching: letters and digits of the street line
/// and postal code.
pub(crate) fn address_key(line1: &str, postal_code: &str) -> String {
    format!("{}|{}", header_key(line1), header_key(postal_code))
}

/// Reads the mapped cells of one row. Problems go to `problems`; a cell with
/// an error leaves its field empty.
pub(crate) fn read_row(
    cells: &[Cell],
    columns: &[(usize, String, ImportField)],
    region: &NumberingPlan,
    problems: &mut Vec<CellProblem>,
) -> RowValues {
    let mut values = RowValues::default();
    for (index, header, field) in columns {
        let Some(cell) = cells.get(*index) else {
            continue;
        };
        let text = cell.text.trim();
        if text.is_empty() {
            continue;
        }
        values.raw.push(format!("{field}={text}"));
        let mut problem = |reason: String, warning: bool| {
            problems.push(CellProblem {
                column: header.clone(),
                reason,
                warning,
            })
        };
        if text.starts_with('=') {
            problem(
                "holds a formula, not a value; export the sheet's values".to_owned(),
                false,
            );
            continue;
        }
        if let Err(reason) = read_cell(&mut values, *field, header, cell, text, region) {
            problem(reason, false);
            continue;
        }
        if cell.kind == CellKind::Number
            && matches!(
                field,
                ImportField::PostalCode
                    | ImportField::MobilePhone
                    | ImportField::HomePhone
                    | ImportField::WorkPhone
            )
        {
            problem(
                "arrived as a number: any leading zeros are lost; check it or format the column as text"
                    .to_owned(),
                true,
            );
        }
    }
    values
}

fn some_text(text: &str) -> Option<String> {
    Some(text.to_owned())
}

fn read_cell(
    v: &mut RowValues,
    field: ImportField,
    header: &str,
    cell: &Cell,
    text: &str,
    region: &NumberingPlan,
) -> Result<(), String> {
    use ImportField as F;
    let phone = |label: &str, sms: bool| -> Result<Phone, String> {
        let number = phone::normalize(text, region, header).map_err(|e| problem_text(&e))?;
        Ok(Phone {
            number,
            label: Some(label.to_owned()),
            sms_capable: sms,
        })
    };
    match field {
        F::Key => v.key = some_text(text),
        F::DisplayName => v.display_name = some_text(text),
        F::FirstName => v.first_name = some_text(text),
        F::LastName => v.last_name = some_text(text),
        F::Company => v.company = some_text(text),
        F::Kind => v.kind = Some(kind(text)?),
        F::Status => v.status = Some(status(text)?),
        F::Tags => v.tags.extend(
            text.split([',', ';'])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
        ),
        F::MobilePhone => v.phones.push(phone("mobile", true)?),
        F::HomePhone => v.phones.push(phone("home", false)?),
        F::WorkPhone => v.phones.push(phone("work", false)?),
        F::Email => {
            if !text.contains('@') || text.contains(char::is_whitespace) {
                return Err(format!("\"{text}\" is not an email address"));
            }
            v.emails.push(text.to_lowercase());
        }
        F::AddressLine1 => v.line1 = some_text(text),
        F::AddressLine2 => v.line2 = some_text(text),
        F::City => v.city = some_text(text),
        F::Region => v.region = some_text(text),
        F::PostalCode => v.postal_code = some_text(text),
        F::Country => v.country = some_text(text),
        F::LocationLabel => v.location_label = some_text(text),
        F::PoolName => v.pool_name = some_text(text),
        F::PoolKind => v.pool_kind = Some(water_kind(text)?),
        F::Gallons => {
            let cleaned: String = text.chars().filter(|c| *c != ',').collect();
            let gallons = cleaned
                .trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace())
                .parse::<f64>()
                .ok()
                .filter(|g| g.is_finite() && *g > 0.0)
                .ok_or_else(|| format!("\"{text}\" is not a number of gallons"))?;
            v.gallons = Some(gallons);
        }
        F::Surface => v.surface = Some(parse_word::<Surface>(text, "surface")?),
        F::Sanitizer => v.sanitizer = Some(sanitizer(text)?),
        F::GateCode => v.gate_code = some_text(text),
        F::LockCombination => v.lock_combination = some_text(text),
        F::AlarmCode => v.alarm_code = some_text(text),
        F::KeyLocation => v.key_location = some_text(text),
        F::Dog => {
            let word = text.to_lowercase();
            if !matches!(word.as_str(), "no" | "n" | "none" | "false" | "0") {
                v.dog = Some(text.to_owned());
            }
        }
        F::AccessNotes => v.access_notes = some_text(text),
        F::SpecialInstructions => v.special_instructions = some_text(text),
        F::RouteDay => v.route_day = Some(weekday(text)?),
        F::Frequency => v.frequency = Some(frequency(text)?),
        F::Technician => v.technician = some_text(text),
        F::PlanStart => {
            v.plan_start = Some(match cell.kind {
                CellKind::Date(day) => day,
                _ => date(text)?,
            })
        }
        F::Rate => {
            let cleaned: String = text
                .chars()
                .filter(|c| !matches!(c, '$' | ',' | ' '))
                .collect();
            v.rate = Some(
                cleaned
                    .parse::<Decimal>()
                    .map_err(|_| format!("\"{text}\" is not an amount of money"))?,
            );
        }
        F::CustomField => {
            v.custom_fields.insert(header.to_owned(), text.to_owned());
        }
        F::Ignore => {}
    }
    Ok(())
}

/// An error's reason without its field name (the column names the field).
fn problem_text(error: &crate::Error) -> String {
    match error {
        crate::Error::Invalid { problem, also, .. } => std::iter::once(problem.as_str())
            .chain(also.iter().map(|p| p.problem.as_str()))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

fn parse_word<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, String> {
    let word = text.trim().to_lowercase().replace([' ', '-'], "_");
    word.parse::<T>()
        .map_err(|_| format!("\"{text}\" is not a {what} poolbook knows"))
}

fn kind(text: &str) -> Result<CustomerKind, String> {
    match header_key(text).as_str() {
        "residential" | "residence" | "home" | "homeowner" | "private" => {
            Ok(CustomerKind::Residential)
        }
        "commercial" | "business" | "hotel" | "gym" => Ok(CustomerKind::Commercial),
        "hoa" | "homeownersassociation" => Ok(CustomerKind::Hoa),
        "propertymanagement" | "propertymanager" | "pm" => Ok(CustomerKind::PropertyManagement),
        "municipal" | "city" | "school" | "public" => Ok(CustomerKind::Municipal),
        "other" => Ok(CustomerKind::Other),
        _ => Err(format!(
            "\"{text}\" is not an account kind (residential, commercial, HOA, property management, municipal, other)"
        )),
    }
}

fn status(text: &str) -> Result<LifecycleStatus, String> {
    match header_key(text).as_str() {
        "active" | "current" | "yes" | "true" => Ok(LifecycleStatus::Active),
        "lead" | "prospect" | "estimate" => Ok(LifecycleStatus::Lead),
        "paused" | "onhold" | "hold" | "suspended" | "seasonal" => Ok(LifecycleStatus::Paused),
        "cancelled" | "canceled" | "inactive" | "former" | "lost" | "no" | "false" => {
            Ok(LifecycleStatus::Cancelled)
        }
        _ => Err(format!(
            "\"{text}\" is not a status (active, lead, paused, cancelled)"
        )),
    }
}

fn water_kind(text: &str) -> Result<WaterKind, String> {
    match header_key(text).as_str() {
        "pool" | "swimmingpool" | "inground" | "aboveground" | "ingroundpool" => {
            Ok(WaterKind::Pool)
        }
        "spa" | "hottub" | "jacuzzi" => Ok(WaterKind::Spa),
        "waterfeature" | "fountain" | "pond" => Ok(WaterKind::WaterFeature),
        _ => Err(format!("\"{text}\" is not a pool, spa or water feature")),
    }
}

fn sanitizer(text: &str) -> Result<Sanitizer, String> {
    match header_key(text).as_str() {
        "chlorine" | "liquidchlorine" | "tabs" | "tablets" | "trichlor" | "cl" => {
            Ok(Sanitizer::Chlorine)
        }
        "salt" | "saltwater" | "swg" | "saltchlorinegenerator" => Ok(Sanitizer::Salt),
        "bromine" | "br" => Ok(Sanitizer::Bromine),
        "mineral" | "minerals" => Ok(Sanitizer::Mineral),
        "biguanide" | "phmb" | "baquacil" => Ok(Sanitizer::Biguanide),
        "other" => Ok(Sanitizer::Other),
        _ => Err(format!(
            "\"{text}\" is not a sanitizer (chlorine, salt, bromine, mineral, biguanide)"
        )),
    }
}

fn weekday(text: &str) -> Result<Weekday, String> {
    let key = header_key(text);
    let days = [
        ("mo", Weekday::Monday),
        ("tu", Weekday::Tuesday),
        ("we", Weekday::Wednesday),
        ("th", Weekday::Thursday),
        ("fr", Weekday::Friday),
        ("sa", Weekday::Saturday),
        ("su", Weekday::Sunday),
    ];
    days.iter()
        .find(|(prefix, day)| {
            key.len() >= 2 && key.starts_with(prefix) && day.as_str().starts_with(key.as_str())
        })
        .map(|(_, day)| *day)
        .ok_or_else(|| format!("\"{text}\" is not a day of the week"))
}

fn frequency(text: &str) -> Result<Frequency, String> {
    match header_key(text).as_str() {
        "weekly" | "week" | "1xweek" | "onceaweek" | "everyweek" => Ok(Frequency::Weekly),
        "biweekly" | "everyotherweek" | "fortnightly" | "every2weeks" => Ok(Frequency::Biweekly),
        "monthly" | "month" | "onceamonth" => Ok(Frequency::Monthly),
        "oncall" | "asneeded" | "ondemand" => Ok(Frequency::OnCall),
        _ => Err(format!(
            "\"{text}\" is not a frequency (weekly, biweekly, monthly, on call)"
        )),
    }
}

fn date(text: &str) -> Result<NaiveDate, String> {
    ["%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%Y", "%m-%d-%Y"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
        .ok_or_else(|| format!("\"{text}\" is not a date (2024-03-01 or 03/01/2024)"))
}

/// The key of a customer made from its rows when the mapping has no key
/// column: its name and first address.
pub(crate) fn derived_key(values: &RowValues) -> String {
    format!(
        "{}|{}",
        header_key(&display_name(values).unwrap_or_default()),
        values.location_key()
    )
}

/// The display name a row gives its customer.
pub(crate) fn display_name(values: &RowValues) -> Option<String> {
    if let Some(name) = &values.display_name {
        return Some(name.clone());
    }
    let person = [values.first_name.as_deref(), values.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    values
        .company
        .clone()
        .or_else(|| (!person.is_empty()).then_some(person))
}

/// A fingerprint of rows' contents (FNV-1a, 64 bits): stable across runs
/// and versions, to tell a changed row from one imported before.
pub(crate) fn fingerprint<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// Folds the customer-level values of `row` into `record`.
pub(crate) fn apply_customer(record: &mut Customer, row: &RowValues) {
    if let Some(name) = display_name(row) {
        record.display_name = name;
    }
    if let Some(kind) = row.kind {
        record.kind = kind;
    } else if row.company.is_some() && row.first_name.is_none() && row.display_name.is_none() {
        record.kind = CustomerKind::Commercial;
    }
    if let Some(status) = row.status {
        record.status = status;
    }
    for tag in &row.tags {
        if !record.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            record.tags.push(tag.clone());
        }
    }
    if let Some(rate) = row.rate {
        record.billing.rate = Some(rate);
    }
    for (name, value) in &row.custom_fields {
        record.custom_fields.insert(name.clone(), value.clone());
    }
    if row.phones.is_empty() && row.emails.is_empty() && row.first_name.is_none() {
        return;
    }
    let person = [row.first_name.as_deref(), row.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let name = if person.is_empty() {
        record.display_name.clone()
    } else {
        person
    };
    // The import's contact is the primary one (made by the first import).
    let contact = match record.contacts.iter().position(|c| c.primary) {
        Some(index) => &mut record.contacts[index],
        None => {
            let primary = !record.contacts.iter().any(|c| c.primary);
            let mut contact = Contact::new(name.clone(), ContactRole::Owner);
            contact.primary = primary;
            record.contacts.push(contact);
            let last = record.contacts.len() - 1;
            &mut record.contacts[last]
        }
    };
    contact.name = name;
    for phone in &row.phones {
        match contact.phones.iter_mut().find(|p| p.number == phone.number) {
            Some(existing) => existing.sms_capable |= phone.sms_capable,
            None => contact.phones.push(phone.clone()),
        }
    }
    for email in &row.emails {
        if !contact.emails.iter().any(|e| e.eq_ignore_ascii_case(email)) {
            contact.emails.push(email.clone());
        }
    }
}

/// Folds the location-level values of `row` into `record`: the location
/// at the row's address (made if new) with its pool, access and plan.
/// `technician` finds a technician by name. Returns a problem (column,
/// reason) the row cannot be imported for.
pub(crate) fn apply_location(
    record: &mut Customer,
    row: &RowValues,
    default_country: &str,
    technician: &dyn Fn(&str) -> Option<TechnicianId>,
) -> Result<(), (Option<ImportField>, String)> {
    if !row.has_address() {
        let location_only = row.pool_name.is_some()
            || row.gallons.is_some()
            || row.gate_code.is_some()
            || row.route_day.is_some();
        return if location_only {
            Err((
                Some(ImportField::AddressLine1),
                "a pool, gate code or route needs a service address".to_owned(),
            ))
        } else {
            Ok(())
        };
    }
    let key = row.location_key();
    let index = match record
        .locations
        .iter()
        .position(|l| address_key(&l.address.line1, &l.address.postal_code) == key)
    {
        Some(index) => index,
        None => {
            let address = Address {
                line1: String::new(),
                line2: None,
                city: String::new(),
                region: String::new(),
                postal_code: String::new(),
                country: String::new(),
            };
            record.locations.push(ServiceLocation::new(address));
            record.locations.len() - 1
        }
    };
    let location = &mut record.locations[index];
    let address = &mut location.address;
    address.line1 = row.line1.clone().unwrap_or_default();
    if row.line2.is_some() {
        address.line2 = row.line2.clone();
    }
    set(&mut address.city, &row.city);
    set(&mut address.region, &row.region);
    set(&mut address.postal_code, &row.postal_code);
    if let Some(country) = &row.country {
        address.country = country.clone();
    } else if address.country.is_empty() {
        address.country = default_country.to_owned();
    }
    if row.location_label.is_some() {
        location.label = row.location_label.clone();
    }
    if row.special_instructions.is_some() {
        location.special_instructions = row.special_instructions.clone();
    }
    let access = &mut location.access;
    for (slot, value, field) in [
        (&mut access.gate_code, &row.gate_code, "gate_code"),
        (
            &mut access.lock_combination,
            &row.lock_combination,
            "lock_combination",
        ),
        (&mut access.alarm_code, &row.alarm_code, "alarm_code"),
    ] {
        if let Some(value) = value {
            let secret = Secret::new(value.clone(), field).map_err(|e| (None, problem_text(&e)))?;
            *slot = Some(secret);
        }
    }
    if row.key_location.is_some() {
        access.key_location = row.key_location.clone();
    }
    if row.access_notes.is_some() {
        access.notes = row.access_notes.clone();
    }
    if let Some(dog) = &row.dog {
        let named = !matches!(
            dog.to_lowercase().as_str(),
            "yes" | "y" | "true" | "1" | "x"
        );
        let name = if named { dog.clone() } else { "Dog".to_owned() };
        if !access
            .pets
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case(&name))
        {
            access
                .pets
                .push(Pet::new(name, "dog", PetTemperament::Unknown));
        }
    }
    if row.route_day.is_some() || row.frequency.is_some() || row.technician.is_some() {
        let technician_id = match &row.technician {
            Some(name) => Some(technician(name).ok_or_else(|| {
                (
                    Some(ImportField::Technician),
                    format!("no technician named \"{name}\" in the book; add them first"),
                )
            })?),
            None => None,
        };
        let plan = location.service_plan.get_or_insert_with(|| {
            ServicePlan::new(
                Frequency::Weekly,
                row.plan_start
                    .unwrap_or_else(|| chrono::Utc::now().date_naive()),
            )
        });
        if let Some(frequency) = row.frequency {
            plan.frequency = frequency;
        }
        if row.route_day.is_some() {
            plan.preferred_weekday = row.route_day;
        }
        if technician_id.is_some() {
            plan.technician_id = technician_id;
        }
        if let Some(start) = row.plan_start {
            plan.starts_on = start;
        }
    }
    let has_pool = row.pool_name.is_some()
        || row.pool_kind.is_some()
        || row.gallons.is_some()
        || row.sanitizer.is_some()
        || row.surface.is_some();
    if has_pool {
        let kind = row.pool_kind.unwrap_or(WaterKind::Pool);
        let name = row.pool_name.clone().unwrap_or_else(|| {
            match kind {
                WaterKind::Pool => "Pool",
                WaterKind::Spa => "Spa",
                WaterKind::WaterFeature => "Water feature",
            }
            .to_owned()
        });
        let bodies = &mut location.bodies_of_water;
        let body = match bodies
            .iter()
            .position(|b| b.name.eq_ignore_ascii_case(&name))
        {
            Some(index) => &mut bodies[index],
            None => {
                bodies.push(BodyOfWater::new(
                    name,
                    kind,
                    row.sanitizer.unwrap_or(Sanitizer::Chlorine),
                ));
                let last = bodies.len() - 1;
                &mut bodies[last]
            }
        };
        body.kind = kind;
        if row.gallons.is_some() {
            body.gallons = row.gallons;
        }
        if let Some(sanitizer) = row.sanitizer {
            body.sanitizer = sanitizer;
        }
        if row.surface.is_some() {
            body.surface = row.surface;
        }
    }
    Ok(())
}

fn set(slot: &mut String, value: &Option<String>) {
    if let Some(value) = value {
        slot.clone_from(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_of_common_exports_are_guessed() {
        let headers: Vec<String> = [
            "Customer Name",
            "Mobile",
            "Email 1",
            "Email 2",
            "Service Address",
            "Zip",
            "Gallons",
            "Gate Code",
            "Route Day",
            "Technician",
            "Favourite colour",
        ]
        .map(str::to_owned)
        .to_vec();
        let fields: Vec<ImportField> = guess_columns(&headers).iter().map(|c| c.field).collect();
        use ImportField as F;
        assert_eq!(
            fields,
            [
                F::DisplayName,
                F::MobilePhone,
                F::Email,
                F::Email,
                F::AddressLine1,
                F::PostalCode,
                F::Gallons,
                F::GateCode,
                F::RouteDay,
                F::Technician,
                F::Ignore
            ]
        );
    }

    #[test]
    fn words_read_with_synonyms() {
        assert_eq!(weekday("Tues").unwrap(), Weekday::Tuesday);
        assert_eq!(weekday("TH").unwrap(), Weekday::Thursday);
        assert!(weekday("x").is_err());
        assert_eq!(status("On Hold").unwrap(), LifecycleStatus::Paused);
        assert_eq!(sanitizer("Salt water").unwrap(), Sanitizer::Salt);
        assert_eq!(
            date("03/01/2024").unwrap(),
            NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()
        );
        assert_ne!(fingerprint(["a", "b"]), fingerprint(["ab"]));
    }
}
