-- poolbook schema, step 2: the customer's history (visits, invoices,
-- payments, credits, messages, issues, notes, feedback) in one table, and
-- editable chemistry target profiles.
--
-- `data` holds the whole entry as JSON; the columns beside it are copies of
-- the fields the book searches and orders by, written from the same record.

CREATE TABLE history (
    seq              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL,
    customer_id      TEXT NOT NULL REFERENCES customers (id),
    location_id      TEXT REFERENCES locations (id),
    body_of_water_id TEXT REFERENCES bodies_of_water (id),
    at               TEXT NOT NULL,
    status           TEXT,                   -- visit outcome, issue status
    number           TEXT,                   -- invoice number
    author_kind      TEXT NOT NULL,
    author_id        TEXT NOT NULL,
    archived_at      TEXT,
    data             TEXT NOT NULL
) STRICT;

CREATE INDEX history_by_customer ON history (customer_id, at, id);
CREATE INDEX history_by_location ON history (location_id, at, id) WHERE location_id IS NOT NULL;
CREATE INDEX history_by_body ON history (body_of_water_id, kind, at) WHERE body_of_water_id IS NOT NULL;
CREATE INDEX history_by_customer_kind ON history (customer_id, kind, at);
CREATE UNIQUE INDEX history_invoice_numbers ON history (number) WHERE kind = 'invoice';

CREATE TABLE target_profiles (
    name TEXT PRIMARY KEY,
    data TEXT NOT NULL                       -- JSON target profile
) STRICT;
