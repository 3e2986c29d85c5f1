//! The PostgreSQL store against the `postgres` crate used directly, in the
//! same run as the SQLite rows (issue 22): one customer created per
//! transaction, a batch of customers, and reading a customer back. The
//! baseline replays the very rows `PgStore` wrote for the same records
//! (read back from a book it wrote, every column as the server's own binary
//! value): the same INSERTs, one transaction each, for single records; a
//! binary `COPY` per table for the batch; the same SELECTs in one
//! REPEATABLE READ snapshot for a read. Runs when `POOLBOOK_PG_URL` names a
//! server (scripts/bench and scripts/check start one).

use std::error::Error;
use std::io::Write;

use bytes::BytesMut;
use poolbook::{Book, Customer};
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, NoTls, Statement, Transaction};

use crate::measure::{Kind, Row, time};
use crate::{Sizes, data, key, office, rate};

/// A column's value exactly as the server sent it (binary format), sent
/// back the same way: the baseline copies rows without decoding them.
#[derive(Debug, Clone)]
struct Raw(Option<Vec<u8>>);

impl<'a> FromSql<'a> for Raw {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn Error + Sync + Send>> {
        Ok(Raw(Some(raw.to_vec())))
    }

    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn Error + Sync + Send>> {
        Ok(Raw(None))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

impl ToSql for Raw {
    fn to_sql(&self, _: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match &self.0 {
            Some(bytes) => {
                out.extend_from_slice(bytes);
                Ok(IsNull::No)
            }
            None => Ok(IsNull::Yes),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// The tables a customer is stored in, in the order they are written, with
/// the columns copied and how a customer's rows are found (`$1`: its id).
const TABLES: &[(&str, &str, &str)] = &[
    (
        "customers",
        "seq, id, kind, display_name, status, billing_address, billing_rate, billing_rate_basis, \
         billing_terms_days, custom_fields, preferences, created_at, updated_at, archived_at, version",
        "id = $1",
    ),
    (
        "customer_tags",
        "customer_id, tag, position",
        "customer_id = $1",
    ),
    (
        "contacts",
        "id, customer_id, position, name, role, is_primary, phones, emails, consents, archived_at",
        "customer_id = $1",
    ),
    (
        "locations",
        "id, customer_id, position, label, address_line1, address_line2, city, region, \
         postal_code, country, latitude, longitude, special_instructions, key_location, pets, \
         hazards, access_hours, access_notes, plan_frequency, plan_weekday, plan_technician_id, \
         plan_starts_on, plan_ends_on, archived_at",
        "customer_id = $1",
    ),
    (
        "location_secrets",
        "location_id, gate_code, lock_combination, alarm_code",
        "location_id IN (SELECT id FROM locations WHERE customer_id = $1)",
    ),
    (
        "bodies_of_water",
        "id, location_id, position, name, kind, gallons, surface, sanitizer, setting, equipment, \
         archived_at",
        "location_id IN (SELECT id FROM locations WHERE customer_id = $1)",
    ),
    (
        "customer_search",
        "customer_seq, name, email, phone, address",
        "customer_seq = (SELECT seq FROM customers WHERE id = $1)",
    ),
    (
        "change_log",
        "at, author_kind, author_id, entity, entity_id, customer_id, action, changes",
        "customer_id = $1",
    ),
    // A created customer is a lead: its journey touchpoint (issue 17).
    (
        "touchpoints",
        "id, customer_id, visitor_id, linked, at, channel, direction, actor, action, stage, \
         source, campaign, value, properties, source_system, source_event_id, author_kind, \
         author_id, entry_id, archived_at",
        "customer_id = $1",
    ),
];

/// One customer's rows, table by table (in [`TABLES`] order).
type Rows = Vec<Vec<Vec<Raw>>>;

fn rows_of(client: &mut Client, customer: &Customer) -> Rows {
    TABLES
        .iter()
        .map(|(table, columns, filter)| {
            client
                .query(
                    &format!("SELECT {columns} FROM {table} WHERE {filter}"),
                    &[&customer.id.as_uuid()],
                )
                .expect("read the template's rows")
                .iter()
                .map(|row| (0..row.len()).map(|i| row.get::<_, Raw>(i)).collect())
                .collect()
        })
        .collect()
}

/// The INSERT of each table in [`TABLES`], prepared once on `client`.
fn prepare_inserts(client: &mut Client) -> Vec<Statement> {
    TABLES
        .iter()
        .map(|(table, columns, _)| {
            let numbers: Vec<String> = (1..=columns.split(',').count())
                .map(|n| format!("${n}"))
                .collect();
            let overriding = if *table == "customers" {
                " OVERRIDING SYSTEM VALUE"
            } else {
                ""
            };
            client
                .prepare(&format!(
                    "INSERT INTO {table} ({columns}){overriding} VALUES ({})",
                    numbers.join(", ")
                ))
                .expect("prepare")
        })
        .collect()
}

/// The INSERTs of one customer's rows, one statement per row.
fn insert(tx: &mut Transaction<'_>, inserts: &[Statement], rows: &Rows) {
    for (statement, table_rows) in inserts.iter().zip(rows) {
        for row in table_rows {
            let params: Vec<&(dyn ToSql + Sync)> =
                row.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
            tx.execute(statement, &params).expect("insert");
        }
    }
}

/// A binary `COPY` per table of every customer's rows.
fn copy(tx: &mut Transaction<'_>, customers: &[Rows]) {
    for (index, (table, columns, _)) in TABLES.iter().enumerate() {
        let mut writer = tx
            .copy_in(&format!(
                "COPY {table} ({columns}) FROM STDIN (FORMAT binary)"
            ))
            .expect("copy in");
        let mut out = Vec::with_capacity(1 << 16);
        out.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
        out.extend_from_slice(&0i32.to_be_bytes());
        out.extend_from_slice(&0i32.to_be_bytes());
        for rows in customers {
            for row in &rows[index] {
                out.extend_from_slice(&(row.len() as i16).to_be_bytes());
                for value in row {
                    match &value.0 {
                        Some(bytes) => {
                            out.extend_from_slice(&(bytes.len() as i32).to_be_bytes());
                            out.extend_from_slice(bytes);
                        }
                        None => out.extend_from_slice(&(-1i32).to_be_bytes()),
                    }
                }
            }
        }
        out.extend_from_slice(&(-1i16).to_be_bytes());
        writer.write_all(&out).expect("copy rows");
        writer.finish().expect("finish copy");
    }
}

/// The SELECTs `PgStore` makes for one customer, prepared once on `client`.
fn prepare_reads(client: &mut Client) -> Vec<Statement> {
    [
        "SELECT * FROM customers c WHERE c.id = ANY($1)",
        "SELECT customer_id, tag FROM customer_tags WHERE customer_id = ANY($1) \
         ORDER BY customer_id, position",
        "SELECT * FROM contacts WHERE customer_id = ANY($1) AND archived_at IS NULL \
         ORDER BY customer_id, position",
        "SELECT l.*, s.gate_code, s.lock_combination, s.alarm_code FROM locations l \
         LEFT JOIN location_secrets s ON s.location_id = l.id \
         WHERE l.customer_id = ANY($1) AND l.archived_at IS NULL ORDER BY l.customer_id, l.position",
        "SELECT b.* FROM bodies_of_water b JOIN locations l ON l.id = b.location_id \
         WHERE l.customer_id = ANY($1) AND l.archived_at IS NULL AND b.archived_at IS NULL \
         ORDER BY b.location_id, b.position",
    ]
    .iter()
    .map(|sql| client.prepare(sql).expect("prepare"))
    .collect()
}

/// The reads of one customer, in one snapshot, every column of every row read.
fn read_customer(client: &mut Client, reads: &[Statement], customer: &Customer) -> usize {
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .expect("begin");
    let ids = vec![customer.id.as_uuid()];
    let mut cells = 0;
    for statement in reads {
        for row in tx.query(statement, &[&ids]).expect("read") {
            for i in 0..row.len() {
                let _: Raw = row.get(i);
                cells += 1;
            }
        }
    }
    tx.commit().expect("commit");
    cells
}

/// A database of the bench's own, made from `template` (or empty).
struct Database {
    admin: String,
    name: String,
}

impl Database {
    fn create(admin: &str, name: String, template: Option<&Database>) -> Self {
        let mut client = Client::connect(admin, NoTls).expect("connect to the server");
        let from = template.map_or("template0".to_owned(), |t| t.name.clone());
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .and_then(|()| {
                client.batch_execute(&format!(
                    "CREATE DATABASE {name} TEMPLATE {from} ENCODING 'UTF8'"
                ))
            })
            .expect("create a database");
        Database {
            admin: admin.to_owned(),
            name,
        }
    }

    /// The server URL with this database's name in place of its own.
    fn url(&self) -> String {
        let (base, query) = self.admin.split_once('?').unwrap_or((&self.admin, ""));
        let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
        format!("{server}/{}?{query}", self.name)
    }

    fn book(&self) -> Book {
        let book = Book::open(self.url().as_str()).expect("open a book on the server");
        book.unlock(key()).expect("unlock");
        book
    }

    fn client(&self) -> Client {
        Client::connect(&self.url(), NoTls).expect("connect")
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Ok(mut client) = Client::connect(&self.admin, NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// The PostgreSQL rows, or none when no server is named.
pub fn rows(sizes: &Sizes) -> Vec<Row> {
    let Ok(admin) = std::env::var("POOLBOOK_PG_URL") else {
        eprintln!(
            "(PostgreSQL rows skipped: POOLBOOK_PG_URL is not set; scripts/bench starts a server)"
        );
        return Vec::new();
    };
    let mut single = Row::new(
        "PostgreSQL: create a customer, one transaction each",
        Kind::Throughput,
        "postgres crate, the same INSERTs",
    )
    .target(1.0 / 1.5);
    let mut batch = Row::new(
        "PostgreSQL: create customers in one batch",
        Kind::Throughput,
        "postgres crate, binary COPY of the same rows",
    )
    .target(1.0 / 1.3);
    let mut read = Row::new(
        "PostgreSQL: read a customer",
        Kind::Latency,
        "postgres crate, the same SELECTs",
    )
    .target(1.5);

    let prefix = format!("poolbook_bench_{}", std::process::id());
    let empty = Database::create(&admin, format!("{prefix}_empty"), None);
    empty.book().close().expect("close");
    let template = Database::create(&admin, format!("{prefix}_template"), Some(&empty));
    let count = sizes.batch_customers.max(sizes.single_customers);
    let customers = {
        let book = template.book();
        let news = (0..count).map(|n| data::customer(n, None)).collect();
        let customers = book.create_customers(news, &office()).expect("customers");
        book.close().expect("close");
        customers
    };
    let rows: Vec<Rows> = {
        let mut client = template.client();
        customers.iter().map(|c| rows_of(&mut client, c)).collect()
    };

    for round in 0..sizes.rounds {
        for poolbook_side in [round % 2 == 0, round % 2 != 0] {
            let target = Database::create(&admin, format!("{prefix}_target"), Some(&empty));
            if poolbook_side {
                let book = target.book();
                let news: Vec<_> = (0..sizes.single_customers)
                    .map(|n| data::customer(n, None))
                    .collect();
                let seconds = time(|| {
                    for new in news {
                        book.create_customer(new, &office()).expect("create");
                    }
                });
                single
                    .poolbook
                    .push(rate(sizes.single_customers, seconds.as_secs_f64()));
                let news: Vec<_> = (0..sizes.batch_customers)
                    .map(|n| data::customer(n + 100_000, None))
                    .collect();
                let seconds = time(|| {
                    book.create_customers(news, &office())
                        .expect("create batch");
                });
                batch
                    .poolbook
                    .push(rate(sizes.batch_customers, seconds.as_secs_f64()));
                book.close().expect("close");
            } else {
                let mut client = target.client();
                let inserts = prepare_inserts(&mut client);
                let seconds = time(|| {
                    for customer in &rows[..sizes.single_customers] {
                        let mut tx = client
                            .build_transaction()
                            .isolation_level(postgres::IsolationLevel::Serializable)
                            .start()
                            .expect("begin");
                        insert(&mut tx, &inserts, customer);
                        tx.commit().expect("commit");
                    }
                });
                single
                    .raw
                    .push(rate(sizes.single_customers, seconds.as_secs_f64()));
                drop(client);
                let target = Database::create(&admin, format!("{prefix}_copy"), Some(&empty));
                let mut client = target.client();
                let seconds = time(|| {
                    let mut tx = client.transaction().expect("begin");
                    copy(&mut tx, &rows[..sizes.batch_customers]);
                    tx.commit().expect("commit");
                });
                batch
                    .raw
                    .push(rate(sizes.batch_customers, seconds.as_secs_f64()));
            }
        }
    }

    let book = template.book();
    let mut client = template.client();
    let reads = prepare_reads(&mut client);
    let pick = |call: usize| &customers[(call * 7919) % customers.len()];
    for _ in 0..sizes.rounds {
        for call in 0..sizes.calls {
            let poolbook = || {
                book.customer(pick(call).id).expect("customer");
            };
            if call % 2 == 0 {
                read.poolbook.push(time(poolbook).as_secs_f64());
                read.raw.push(
                    time(|| assert!(read_customer(&mut client, &reads, pick(call)) > 0))
                        .as_secs_f64(),
                );
            } else {
                read.raw.push(
                    time(|| assert!(read_customer(&mut client, &reads, pick(call)) > 0))
                        .as_secs_f64(),
                );
                read.poolbook.push(time(poolbook).as_secs_f64());
            }
        }
    }
    book.close().expect("close");
    drop(client);
    vec![single, batch, read]
}
