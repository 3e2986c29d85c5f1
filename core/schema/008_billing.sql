-- Step 8: billing from the record (issue 18).
--
-- The rate's rule for skipped visits (JSON list of skip reasons still
-- charged), whether a plan bills the chemicals added at its visits, and the
-- items each issued invoice bills, so nothing is billed twice: a visit
-- (`visit:<id>`), a dose (`dose:<visit id>:<n>`), a month, a season, a flat
-- period, a one-off charge. A void releases its invoice's items.
ALTER TABLE customers ADD COLUMN billing_skips TEXT NOT NULL DEFAULT '[]';
ALTER TABLE locations ADD COLUMN plan_bills_chemicals INTEGER NOT NULL DEFAULT 0;

CREATE TABLE billed_items (
    key         TEXT PRIMARY KEY,
    invoice_id  TEXT NOT NULL REFERENCES history (id),
    customer_id TEXT NOT NULL REFERENCES customers (id)
) STRICT, WITHOUT ROWID;

CREATE INDEX billed_items_by_invoice ON billed_items (invoice_id);

-- A period's visits across the book (drafting a month of invoices) read in
-- time order without sorting them.
CREATE INDEX history_by_kind_at ON history (kind, at, id);
