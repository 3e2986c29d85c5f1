-- poolbook schema, step 1: the customer record, technicians, settings,
-- the append-only change log and the search index.
-- Times are UTC text (2026-11-23T10:00:00.000000Z), days are YYYY-MM-DD,
-- money is decimal text, small nested lists are JSON text.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

INSERT INTO settings (key, value) VALUES ('default_region', 'US');

CREATE TABLE technicians (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    active     INTEGER NOT NULL CHECK (active IN (0, 1)),
    phone      TEXT,
    email      TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL
) STRICT;

CREATE TABLE customers (
    seq                INTEGER PRIMARY KEY,  -- stable row key for the search index
    id                 TEXT NOT NULL UNIQUE,
    kind               TEXT NOT NULL,
    display_name       TEXT NOT NULL,
    status             TEXT NOT NULL,
    billing_address    TEXT,                 -- JSON address or NULL
    billing_rate       TEXT,                 -- decimal
    billing_rate_basis TEXT NOT NULL,
    billing_terms_days INTEGER NOT NULL,
    custom_fields      TEXT NOT NULL,        -- JSON object
    preferences        TEXT NOT NULL,        -- JSON object
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    archived_at        TEXT,
    version            INTEGER NOT NULL
) STRICT;

CREATE INDEX customers_by_status ON customers (status, id);
CREATE INDEX customers_by_updated_at ON customers (updated_at);

CREATE TABLE customer_tags (
    customer_id TEXT NOT NULL REFERENCES customers (id),
    tag         TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (customer_id, tag)
) STRICT, WITHOUT ROWID;

CREATE INDEX customer_tags_by_tag ON customer_tags (tag, customer_id);

CREATE TABLE contacts (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    is_primary  INTEGER NOT NULL CHECK (is_primary IN (0, 1)),
    phones      TEXT NOT NULL,               -- JSON list of {number, label, sms_capable}
    emails      TEXT NOT NULL,               -- JSON list of addresses
    consents    TEXT NOT NULL,               -- JSON list of {channel, status, recorded_at, method}
    archived_at TEXT
) STRICT;

CREATE INDEX contacts_by_customer ON contacts (customer_id, position);

CREATE TABLE locations (
    id                   TEXT PRIMARY KEY,
    customer_id          TEXT NOT NULL REFERENCES customers (id),
    position             INTEGER NOT NULL,
    label                TEXT,
    address_line1        TEXT NOT NULL,
    address_line2        TEXT,
    city                 TEXT NOT NULL,
    region               TEXT NOT NULL,
    postal_code          TEXT NOT NULL,
    country              TEXT NOT NULL,
    latitude             REAL,
    longitude            REAL,
    special_instructions TEXT,
    key_location         TEXT,
    pets                 TEXT NOT NULL,      -- JSON list of {name, kind, temperament}
    hazards              TEXT NOT NULL,      -- JSON list of text
    access_hours         TEXT NOT NULL,      -- JSON list of {days, start, end}
    access_notes         TEXT,
    plan_frequency       TEXT,
    plan_weekday         TEXT,
    plan_technician_id   TEXT REFERENCES technicians (id),
    plan_starts_on       TEXT,
    plan_ends_on         TEXT,
    archived_at          TEXT
) STRICT;

CREATE INDEX locations_by_customer ON locations (customer_id, position);
CREATE INDEX locations_by_technician ON locations (plan_technician_id)
    WHERE plan_technician_id IS NOT NULL;

-- Gate codes, lock combinations and alarm codes, apart from the searchable
-- columns so they can be sealed per field without touching anything else.
CREATE TABLE location_secrets (
    location_id      TEXT PRIMARY KEY REFERENCES locations (id),
    gate_code        TEXT,
    lock_combination TEXT,
    alarm_code       TEXT
) STRICT;

CREATE TABLE bodies_of_water (
    id          TEXT PRIMARY KEY,
    location_id TEXT NOT NULL REFERENCES locations (id),
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    gallons     REAL,
    surface     TEXT,
    sanitizer   TEXT NOT NULL,
    setting     TEXT NOT NULL,
    equipment   TEXT NOT NULL,               -- JSON list of {kind, make, model, serial, installed_on}
    archived_at TEXT
) STRICT;

CREATE INDEX bodies_of_water_by_location ON bodies_of_water (location_id, position);

CREATE TABLE change_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    author_kind TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    customer_id TEXT,
    action      TEXT NOT NULL,
    changes     TEXT NOT NULL                -- JSON list of {field, before, after, secret}
) STRICT;

CREATE INDEX change_log_by_entity ON change_log (entity, entity_id, seq);
CREATE INDEX change_log_by_customer ON change_log (customer_id, seq);
CREATE INDEX change_log_by_author ON change_log (author_kind, author_id, seq);

CREATE TRIGGER change_log_is_append_only_update BEFORE UPDATE ON change_log
BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only');
END;

CREATE TRIGGER change_log_is_append_only_delete BEFORE DELETE ON change_log
BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only');
END;

-- One row per customer, rowid = customers.seq.
CREATE VIRTUAL TABLE customer_search USING fts5 (
    name, email, phone, phone_tail, address,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
