-- poolbook schema step 6 (issue 17): operations are touchpoints.
--
-- A touchpoint written by recording a history entry (a payment's
-- payment_made, a visit's visit_completed) names that entry; when the entry
-- is archived (recorded in error) its touchpoints are archived with it and
-- leave every journey report. The journey scan reads live touchpoints only.
--
-- Existing books are back-filled: this step marks a book that has records, and the first
-- read-write open writes the touchpoints of every entry, customer and status
-- change recorded before (through the same mapping new operations use, in
-- one transaction), matching touchpoints that already describe an operation
-- instead of doubling them, then clears the mark (ADR 0009).

ALTER TABLE touchpoints ADD COLUMN entry_id TEXT;
ALTER TABLE touchpoints ADD COLUMN archived_at TEXT;

CREATE INDEX touchpoints_by_entry ON touchpoints (entry_id) WHERE entry_id IS NOT NULL;
-- Whole-book questions by action (status changes for retention, an
-- experiment's exposures and goals, whether a funnel's step exists at all).
CREATE INDEX touchpoints_by_action ON touchpoints (action, at, id) WHERE archived_at IS NULL;

DROP INDEX touchpoints_by_person;
CREATE INDEX touchpoints_by_person ON touchpoints (
    coalesce(customer_id, 'v:' || visitor_id), at, id, action, channel, stage, direction, actor,
    visitor_id, campaign
) WHERE archived_at IS NULL;

INSERT INTO settings (key, value)
    SELECT 'operations_backfill', 'pending'
    WHERE EXISTS (SELECT 1 FROM customers) OR EXISTS (SELECT 1 FROM history)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
