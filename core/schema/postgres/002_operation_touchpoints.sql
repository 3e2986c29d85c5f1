-- poolbook on PostgreSQL, step 2 (issue 17): operations are touchpoints,
-- as SQLite's step 6 (ADR 0009).
--
-- A touchpoint written by recording a history entry names that entry;
-- when the entry is archived its touchpoints are archived with it and
-- leave every journey report. Reads and the journey scan see live
-- touchpoints only.
--
-- A database that already holds records is marked for the back-fill: the
-- first read-write open writes the touchpoints of every entry, customer and
-- status change recorded before, then clears the mark.

ALTER TABLE touchpoints ADD COLUMN entry_id uuid;
ALTER TABLE touchpoints ADD COLUMN archived_at timestamptz;

CREATE INDEX touchpoints_by_entry ON touchpoints (entry_id) WHERE entry_id IS NOT NULL;
-- Whole-book questions by action (status changes for retention, an
-- experiment's exposures and goals, whether a funnel's step exists at all).
CREATE INDEX touchpoints_by_action ON touchpoints (action, at, id) WHERE archived_at IS NULL;
-- The whole-book page in (time, id) order.
CREATE INDEX touchpoints_by_time ON touchpoints (at, id) WHERE archived_at IS NULL;

DROP INDEX touchpoints_by_person;
CREATE INDEX touchpoints_by_person ON touchpoints (
    (coalesce(customer_id::text, 'v:' || visitor_id) COLLATE "C"), at, id
) WHERE archived_at IS NULL;

INSERT INTO settings (key, value)
    SELECT 'operations_backfill', 'pending'
    WHERE EXISTS (SELECT 1 FROM customers) OR EXISTS (SELECT 1 FROM history)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
