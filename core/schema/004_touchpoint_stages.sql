-- poolbook schema, step 4: touchpoints may have no stage, and the journey
-- has no "payment" channel.
--
-- An action the stage map does not know is stored with no stage (it used to
-- become "awareness" silently); Book::unmapped_actions lists such actions.
-- A payment happens on the portal, by phone, in person or by mail; a
-- touchpoint stored on the old "payment" channel was a portal or
-- payment-system event, so it becomes "portal". SQLite cannot drop a NOT
-- NULL constraint in place, so the table is rebuilt with the same rows.

CREATE TABLE touchpoints_v4 (
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
    stage           TEXT,                    -- NULL: the stage map did not know the action
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

INSERT INTO touchpoints_v4 (seq, id, customer_id, visitor_id, linked, at, channel, direction,
    actor, action, stage, source, campaign, value, properties, source_system, source_event_id,
    author_kind, author_id)
SELECT seq, id, customer_id, visitor_id, linked, at,
    CASE channel WHEN 'payment' THEN 'portal' ELSE channel END,
    direction, actor, action, stage, source, campaign, value, properties, source_system,
    source_event_id, author_kind, author_id
FROM touchpoints;

DROP TABLE touchpoints;
ALTER TABLE touchpoints_v4 RENAME TO touchpoints;

CREATE UNIQUE INDEX touchpoints_by_source_event ON touchpoints (source_system, source_event_id)
    WHERE source_system IS NOT NULL;
CREATE INDEX touchpoints_by_customer ON touchpoints (customer_id, at, id) WHERE customer_id IS NOT NULL;
CREATE INDEX touchpoints_by_visitor ON touchpoints (visitor_id, at, id) WHERE visitor_id IS NOT NULL;
CREATE INDEX touchpoints_by_person ON touchpoints (
    coalesce(customer_id, 'v:' || visitor_id), at, id, action, channel, stage, direction, actor,
    visitor_id, campaign
);
