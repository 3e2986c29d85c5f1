//! The baseline: raw rusqlite on poolbook's own schema, doing what an
//! operation needs and nothing else. Writes replay the very rows poolbook
//! wrote for the same records (read back from a book it wrote, then
//! inserted with prepared statements); reads run the queries an operation
//! needs and read every column.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

/// The rows one record is stored as: (table, columns, values) per row.
pub type Rows = Vec<(String, Vec<String>, Vec<Value>)>;

/// A raw connection to a book file, configured as poolbook's writer is.
pub fn open(path: &std::path::Path) -> Connection {
    let conn = Connection::open(path).expect("open the raw book");
    conn.pragma_update(None, "journal_mode", "WAL")
        .expect("WAL");
    conn.pragma_update(None, "synchronous", "NORMAL")
        .expect("synchronous");
    conn.pragma_update(None, "foreign_keys", true)
        .expect("foreign keys");
    conn.set_prepared_statement_cache_capacity(64);
    conn
}

/// Opens a book file as [`open`] does and runs SQLite's `quick_check` over it.
pub fn quick_check(path: &std::path::Path) {
    let conn = open(path);
    let verdict: String = conn
        .query_row("PRAGMA quick_check", [], |row| row.get(0))
        .expect("quick_check");
    assert_eq!(verdict, "ok");
}

/// A read-only connection to a book file, as poolbook's readers are.
pub fn open_reader(path: &std::path::Path) -> Connection {
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .expect("open a raw reader");
    conn.set_prepared_statement_cache_capacity(64);
    conn
}

/// Runs `work` in one read transaction: a consistent snapshot for the
/// several queries of one read, as poolbook's reads take.
pub fn snapshot<T>(conn: &Connection, work: impl FnOnce() -> T) -> T {
    conn.execute_batch("BEGIN").expect("begin a read");
    let value = work();
    conn.execute_batch("COMMIT").expect("end a read");
    value
}

fn select(conn: &Connection, table: &str, sql: &str, args: &[Value]) -> Rows {
    let mut stmt = conn.prepare_cached(sql).expect("prepare a row read");
    let columns: Vec<String> = stmt.column_names().map(str::to_owned).collect();
    let rows = stmt
        .query_map(params_from_iter(args), |row| {
            (0..columns.len())
                .map(|i| row.get::<_, Value>(i))
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .expect("read rows")
        .collect::<rusqlite::Result<Vec<_>>>()
        .expect("read rows");
    rows.into_iter()
        .map(|values| (table.to_owned(), columns.clone(), values))
        .collect()
}

/// Every row poolbook stored for the customer `id`: the record, its parts,
/// its search document, its change-log rows and its journey touchpoint (a
/// created customer is a lead, issue 17).
pub fn customer_rows(conn: &Connection, id: &str) -> Rows {
    let arg = [Value::Text(id.to_owned())];
    let mut rows = select(
        conn,
        "customers",
        "SELECT * FROM customers WHERE id = ?1",
        &arg,
    );
    for (table, sql) in [
        (
            "customer_tags",
            "SELECT * FROM customer_tags WHERE customer_id = ?1",
        ),
        ("contacts", "SELECT * FROM contacts WHERE customer_id = ?1"),
        (
            "locations",
            "SELECT * FROM locations WHERE customer_id = ?1",
        ),
        (
            "bodies_of_water",
            "SELECT b.* FROM bodies_of_water b JOIN locations l ON l.id = b.location_id WHERE l.customer_id = ?1",
        ),
        (
            "location_secrets",
            "SELECT s.* FROM location_secrets s JOIN locations l ON l.id = s.location_id WHERE l.customer_id = ?1",
        ),
        (
            "customer_search",
            "SELECT rowid, name, email, phone, phone_tail, address FROM customer_search \
             WHERE rowid = (SELECT seq FROM customers WHERE id = ?1)",
        ),
        (
            "change_log",
            "SELECT * FROM change_log WHERE customer_id = ?1 AND entity != 'entry'",
        ),
        (
            "touchpoints",
            "SELECT * FROM touchpoints WHERE customer_id = ?1",
        ),
    ] {
        rows.extend(select(conn, table, sql, &arg));
    }
    rows
}

/// The history row of entry `id`, its change-log row and the journey
/// touchpoint the operation wrote (a completed visit is one, issue 17).
pub fn entry_rows(conn: &Connection, id: &str) -> Rows {
    let arg = [Value::Text(id.to_owned())];
    let mut rows = select(conn, "history", "SELECT * FROM history WHERE id = ?1", &arg);
    rows.extend(select(
        conn,
        "change_log",
        "SELECT * FROM change_log WHERE entity = 'entry' AND entity_id = ?1",
        &arg,
    ));
    rows.extend(select(
        conn,
        "touchpoints",
        "SELECT * FROM touchpoints WHERE entry_id = ?1",
        &arg,
    ));
    rows
}

/// Every touchpoint row and the touchpoint change-log rows.
pub fn touchpoint_rows(conn: &Connection) -> Rows {
    let mut rows = select(conn, "touchpoints", "SELECT * FROM touchpoints", &[]);
    rows.extend(select(
        conn,
        "change_log",
        "SELECT * FROM change_log WHERE entity = 'touchpoint'",
        &[],
    ));
    rows
}

/// Inserts `rows` as they are (one prepared statement per table and shape).
pub fn insert(conn: &Connection, rows: &Rows) {
    for (table, columns, values) in rows {
        let names: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
        let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            names.join(", "),
            marks.join(", ")
        );
        conn.prepare_cached(&sql)
            .and_then(|mut stmt| stmt.execute(params_from_iter(values)))
            .unwrap_or_else(|error| panic!("replaying a {table} row: {error}"));
    }
}

/// Runs `work` in one IMMEDIATE transaction, as poolbook's writes do.
pub fn transaction(conn: &Connection, work: impl FnOnce(&Connection)) {
    conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
    work(conn);
    conn.execute_batch("COMMIT").expect("commit");
}

/// Reads every row and column of a query, as a baseline read does.
pub fn read(conn: &Connection, sql: &str, args: &[Value]) -> usize {
    let mut stmt = conn.prepare_cached(sql).expect("prepare a read");
    let width = stmt.column_count();
    let mut rows = stmt.query(params_from_iter(args)).expect("query");
    let mut cells = 0;
    while let Some(row) = rows.next().expect("row") {
        for index in 0..width {
            let value: Value = row.get(index).expect("cell");
            cells += usize::from(!matches!(value, Value::Null));
        }
    }
    cells
}

/// The ten best live customers for an FTS5 `expression`, ranked as
/// poolbook's search ranks them.
pub fn search(conn: &Connection, expression: &str) -> usize {
    read(
        conn,
        "SELECT c.id, c.display_name, bm25(customer_search, 10.0, 6.0, 4.0, 4.0, 3.0) AS rank \
         FROM customer_search JOIN customers c ON c.seq = customer_search.rowid \
         WHERE customer_search MATCH ?1 AND c.archived_at IS NULL ORDER BY rank, c.id LIMIT 10",
        &[Value::Text(expression.to_owned())],
    )
}

/// A customer record's rows: the customer and its live parts.
pub fn read_customer(conn: &Connection, id: &str) -> usize {
    let arg = [Value::Text(id.to_owned())];
    read(conn, "SELECT * FROM customers WHERE id = ?1", &arg)
        + read(
            conn,
            "SELECT * FROM contacts WHERE customer_id = ?1 AND archived_at IS NULL ORDER BY position",
            &arg,
        )
        + read(
            conn,
            "SELECT tag FROM customer_tags WHERE customer_id = ?1 ORDER BY position",
            &arg,
        )
        + read(
            conn,
            "SELECT l.*, s.gate_code, s.lock_combination, s.alarm_code FROM locations l \
             LEFT JOIN location_secrets s ON s.location_id = l.id \
             WHERE l.customer_id = ?1 AND l.archived_at IS NULL ORDER BY l.position",
            &arg,
        )
        + read(
            conn,
            "SELECT b.* FROM bodies_of_water b JOIN locations l ON l.id = b.location_id \
             WHERE l.customer_id = ?1 AND b.archived_at IS NULL ORDER BY b.position",
            &arg,
        )
}

/// What a stop card needs: the customer, the last visits to each pool, open
/// issues, the ledger, the last visit, the target profiles.
pub fn read_stop_card(
    conn: &Connection,
    customer: &str,
    location: &str,
    bodies: &[String],
) -> usize {
    let mut cells = read_customer(conn, customer);
    let c = [Value::Text(customer.to_owned())];
    for body in bodies {
        cells += read(
            conn,
            "SELECT * FROM history WHERE body_of_water_id = ?1 AND kind = 'visit' \
             AND status = 'completed' AND archived_at IS NULL ORDER BY at DESC, id DESC LIMIT 5",
            &[Value::Text(body.clone())],
        );
    }
    cells += read(
        conn,
        "SELECT * FROM history WHERE customer_id = ?1 AND kind = 'issue' AND status = 'open' \
         AND archived_at IS NULL",
        &c,
    );
    cells += read(
        conn,
        "SELECT * FROM history WHERE customer_id = ?1 AND kind IN ('invoice', 'payment', 'credit') \
         AND archived_at IS NULL ORDER BY at, id",
        &c,
    );
    cells += read(
        conn,
        "SELECT * FROM history WHERE location_id = ?1 AND kind = 'visit' AND archived_at IS NULL \
         ORDER BY at DESC, id DESC LIMIT 1",
        &[Value::Text(location.to_owned())],
    );
    cells + read(conn, "SELECT * FROM target_profiles", &[])
}

/// One timeline page: the newest history rows, touchpoints and change-log
/// rows (the ones a timeline shows are filtered from these) of a customer.
pub fn read_timeline(conn: &Connection, customer: &str, limit: u32) -> usize {
    let args = [
        Value::Text(customer.to_owned()),
        Value::Integer(i64::from(limit) + 1),
    ];
    read(
        conn,
        "SELECT * FROM history WHERE customer_id = ?1 AND archived_at IS NULL \
         ORDER BY at DESC, id DESC LIMIT ?2",
        &args,
    ) + read(
        conn,
        "SELECT * FROM touchpoints WHERE customer_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2",
        &args,
    ) + read(
        conn,
        "SELECT * FROM change_log WHERE customer_id = ?1 AND entity <> 'entry' \
         AND action <> 'created' ORDER BY at DESC, seq DESC LIMIT ?2",
        &args,
    )
}

/// The journey scan: every touchpoint, person by person in time order,
/// read from the covering person index as poolbook reads it.
pub fn scan_journeys(conn: &Connection) -> usize {
    read(
        conn,
        "SELECT coalesce(customer_id, 'v:' || visitor_id), at, action, channel, stage, \
         direction, actor, campaign \
         FROM touchpoints INDEXED BY touchpoints_by_person WHERE archived_at IS NULL \
         ORDER BY coalesce(customer_id, 'v:' || visitor_id), at, id",
        &[],
    )
}

/// Touchpoints counted by month and channel, with their values summed: the
/// `GROUP BY` a whole-book count is.
pub fn count_by_month_and_channel(conn: &Connection) -> usize {
    read(
        conn,
        "SELECT substr(at, 1, 7) || '-01', channel, count(*), total(CAST(value AS REAL)) \
         FROM touchpoints WHERE archived_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2",
        &[],
    )
}

/// The status changes retention reads (customer, time, action, the
/// status or reason property), in time order.
pub fn status_touchpoints(conn: &Connection) -> usize {
    read(
        conn,
        "SELECT customer_id, at, action, \
         CASE action WHEN 'customer_created' THEN json_extract(properties, '$.status') \
         WHEN 'status_changed' THEN json_extract(properties, '$.to') END, \
         CASE WHEN action = 'churned' OR action = 'status_changed' \
         THEN json_extract(properties, '$.reason') END \
         FROM touchpoints WHERE archived_at IS NULL AND customer_id IS NOT NULL \
         AND action IN ('customer_created', 'converted', 'churned', 'status_changed') \
         ORDER BY at, id",
        &[],
    )
}
