-- poolbook schema, step 3: the customer journey. Touchpoints by customers
-- or anonymous visitors, stored once per (source system, source event id),
-- and the links that turn a visitor into a known customer.

CREATE TABLE touchpoints (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    customer_id     TEXT REFERENCES customers (id),
    visitor_id      TEXT,
    linked          INTEGER NOT NULL DEFAULT 0 CHECK (linked IN (0, 1)), -- customer_id came from a visitor link
    at              TEXT NOT NULL,
    channel         TEXT NOT NULL,
    direction       TEXT NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    stage           TEXT NOT NULL,
    source          TEXT,
    campaign        TEXT,
    value           TEXT,                    -- decimal
    properties      TEXT NOT NULL,           -- JSON object
    source_system   TEXT,
    source_event_id TEXT,
    author_kind     TEXT NOT NULL,
    author_id       TEXT NOT NULL,
    CHECK (customer_id IS NOT NULL OR visitor_id IS NOT NULL)
) STRICT;

CREATE UNIQUE INDEX touchpoints_by_source_event ON touchpoints (source_system, source_event_id)
    WHERE source_system IS NOT NULL;
CREATE INDEX touchpoints_by_customer ON touchpoints (customer_id, at, id) WHERE customer_id IS NOT NULL;
CREATE INDEX touchpoints_by_visitor ON touchpoints (visitor_id, at, id) WHERE visitor_id IS NOT NULL;
-- The journey scan: every person's touchpoints in time order, in one pass
-- (a person is the customer once known, else the visitor).
CREATE INDEX touchpoints_by_person ON touchpoints (
    coalesce(customer_id, 'v:' || visitor_id), at, id, action, channel, stage, direction, actor,
    visitor_id, campaign
);

-- Saved segments: named rules evaluated to lists of customers.
CREATE TABLE segments (
    name TEXT PRIMARY KEY,
    data TEXT NOT NULL                       -- JSON segment definition
) STRICT;

CREATE TABLE visitor_links (
    visitor_id  TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    linked_at   TEXT NOT NULL
) STRICT;
