-- poolbook schema, step 10: spreadsheet imports (issue 20).
--
-- Each committed import is a batch (what it created, and what it updated
-- with the record as it was before, so it can be undone). Row keys remember
-- which customer a source row became, the version the last import left and
-- a fingerprint of what it wrote: re-importing the same rows creates
-- nothing and updates only what changed, never over a newer edit. Saved
-- mappings are named JSON records.

CREATE TABLE import_batches (
    id        TEXT PRIMARY KEY,
    at        TEXT NOT NULL,
    undone_at TEXT,
    data      TEXT NOT NULL                  -- JSON import batch (sealed secrets in wire form)
) STRICT;

CREATE TABLE import_keys (
    mapping     TEXT NOT NULL,
    key         TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    version     INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (mapping, key)
) STRICT, WITHOUT ROWID;

CREATE INDEX import_keys_by_customer ON import_keys (customer_id);

CREATE TABLE import_mappings (
    name TEXT PRIMARY KEY,
    data TEXT NOT NULL                       -- JSON import mapping
) STRICT;

-- Arrow batches of a whole table (issue 20) page newest first through all
-- visits, ledger entries and touchpoints: each page starts where the last
-- ended by time, which step 8's history_by_kind_at and this index find
-- without a scan.
CREATE INDEX touchpoints_by_time ON touchpoints (at, id);
