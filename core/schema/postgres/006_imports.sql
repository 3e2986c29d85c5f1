-- poolbook on PostgreSQL, step 6: spreadsheet imports (issue 20), as
-- SQLite's step 10 (010_imports.sql) keeps them.
--
-- Each committed import is a batch (what it created, and what it updated
-- with the record as it was before, so it can be undone). Row keys remember
-- which customer a source row became, the version the last import left and
-- a fingerprint of what it wrote: re-importing the same rows creates
-- nothing and updates only what changed, never over a newer edit. Saved
-- mappings are named JSON records.

CREATE TABLE import_batches (
    id        text COLLATE "C" PRIMARY KEY,
    at        timestamptz NOT NULL,
    undone_at timestamptz,
    data      jsonb NOT NULL                 -- the import batch (sealed secrets in wire form)
);

CREATE TABLE import_keys (
    mapping     text COLLATE "C" NOT NULL,
    key         text COLLATE "C" NOT NULL,
    customer_id uuid NOT NULL REFERENCES customers (id),
    version     bigint NOT NULL,
    fingerprint text NOT NULL,
    PRIMARY KEY (mapping, key)
);

CREATE INDEX import_keys_by_customer ON import_keys (customer_id);

CREATE TABLE import_mappings (
    name text COLLATE "C" PRIMARY KEY,
    data jsonb NOT NULL                      -- the import mapping
);

-- Arrow batches of a whole table page newest first through all visits,
-- ledger entries and touchpoints: each page starts where the last ended by
-- time, which step 4's history_by_kind_at and step 2's touchpoints_by_time
-- find without a scan.
