-- poolbook schema step 7 (issue 21): the outbox.
--
-- One row per message the host reported sending, under the due message's
-- idempotency key: a key with a row is never due again. Delivery, failure
-- and the first reply are recorded on the same row. The message itself is
-- a history entry (message_id); internal alerts to the office have none.

CREATE TABLE outbox (
    key          TEXT PRIMARY KEY,
    rule         TEXT NOT NULL,
    customer_id  TEXT NOT NULL REFERENCES customers (id),
    contact_id   TEXT,
    channel      TEXT NOT NULL,
    address      TEXT NOT NULL,
    template     TEXT NOT NULL,
    variant      TEXT NOT NULL,
    message_id   TEXT,
    status       TEXT NOT NULL,
    sent_at      TEXT NOT NULL,
    delivered_at TEXT,
    failed_at    TEXT,
    failure      TEXT,
    replied_at   TEXT,
    reply_kind   TEXT
) STRICT;

CREATE INDEX outbox_by_customer ON outbox (customer_id, sent_at);
CREATE INDEX outbox_by_sent ON outbox (sent_at);
