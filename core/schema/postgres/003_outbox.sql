-- poolbook PostgreSQL schema step 3 (issue 21): the outbox, as SQLite's
-- step 7. One row per message the host reported sending, under the due
-- message's idempotency key; delivery, failure and the first reply on the
-- same row; the message itself is a history entry (message_id).

CREATE TABLE outbox (
    key          text COLLATE "C" PRIMARY KEY,
    rule         text NOT NULL,
    customer_id  uuid NOT NULL REFERENCES customers (id),
    contact_id   uuid,
    channel      text NOT NULL,
    address      text NOT NULL,
    template     text NOT NULL,
    variant      text NOT NULL,
    message_id   uuid,
    status       text NOT NULL,
    sent_at      timestamptz NOT NULL,
    delivered_at timestamptz,
    failed_at    timestamptz,
    failure      text,
    replied_at   timestamptz,
    reply_kind   text
);

CREATE INDEX outbox_by_customer ON outbox (customer_id, sent_at);
CREATE INDEX outbox_by_sent ON outbox (sent_at);
