-- poolbook on PostgreSQL, step 1: the whole book as SQLite's steps 1-5
-- leave it (ADR 0007), in PostgreSQL's own types: uuid ids, timestamptz
-- instants (microseconds, as SQLite's text keeps them), numeric money,
-- jsonb for small nested lists, bytea for sealed secrets.
--
-- Text that orders or pages (names, cursor keys) is COLLATE "C": byte
-- order, the order SQLite's BINARY collation gives, whatever the server's
-- locale.

-- Trigram similarity over the folded search text (typo-tolerant lookups
-- for analysts and the office; the book's own search matches words).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE settings (
    key   text COLLATE "C" PRIMARY KEY,
    value text NOT NULL
);

INSERT INTO settings (key, value) VALUES ('default_region', 'US');

CREATE TABLE technicians (
    id         uuid PRIMARY KEY,
    name       text COLLATE "C" NOT NULL,
    active     boolean NOT NULL,
    phone      text,
    email      text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version    bigint NOT NULL
);

CREATE TABLE customers (
    seq                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                 uuid NOT NULL UNIQUE,
    kind               text NOT NULL,
    display_name       text COLLATE "C" NOT NULL,
    status             text NOT NULL,
    billing_address    jsonb,
    billing_rate       numeric,
    billing_rate_basis text NOT NULL,
    billing_terms_days bigint NOT NULL,
    custom_fields      jsonb NOT NULL,
    preferences        jsonb NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    archived_at        timestamptz,
    version            bigint NOT NULL
);

CREATE INDEX customers_by_status ON customers (status, id);
CREATE INDEX customers_by_updated_at ON customers (updated_at);

CREATE TABLE customer_tags (
    customer_id uuid NOT NULL REFERENCES customers (id),
    tag         text COLLATE "C" NOT NULL,
    position    bigint NOT NULL,
    PRIMARY KEY (customer_id, tag)
);

CREATE INDEX customer_tags_by_tag ON customer_tags (tag, customer_id);

CREATE TABLE contacts (
    id          uuid PRIMARY KEY,
    customer_id uuid NOT NULL REFERENCES customers (id),
    position    bigint NOT NULL,
    name        text NOT NULL,
    role        text NOT NULL,
    is_primary  boolean NOT NULL,
    phones      jsonb NOT NULL,
    emails      jsonb NOT NULL,
    consents    jsonb NOT NULL,
    archived_at timestamptz
);

CREATE INDEX contacts_by_customer ON contacts (customer_id, position);

CREATE TABLE locations (
    id                   uuid PRIMARY KEY,
    customer_id          uuid NOT NULL REFERENCES customers (id),
    position             bigint NOT NULL,
    label                text,
    address_line1        text NOT NULL,
    address_line2        text,
    city                 text NOT NULL,
    region               text NOT NULL,
    postal_code          text NOT NULL,
    country              text NOT NULL,
    latitude             double precision,
    longitude            double precision,
    special_instructions text,
    key_location         text,
    pets                 jsonb NOT NULL,
    hazards              jsonb NOT NULL,
    access_hours         jsonb NOT NULL,
    access_notes         text,
    plan_frequency       text,
    plan_weekday         text,
    plan_technician_id   uuid REFERENCES technicians (id),
    plan_starts_on       date,
    plan_ends_on         date,
    archived_at          timestamptz
);

CREATE INDEX locations_by_customer ON locations (customer_id, position);
CREATE INDEX locations_by_technician ON locations (plan_technician_id)
    WHERE plan_technician_id IS NOT NULL;

-- Gate codes, lock combinations and alarm codes, sealed (ADR 0006). A book
-- on PostgreSQL is born sealed, so it has no plain-text table.
CREATE TABLE location_secrets (
    location_id      uuid PRIMARY KEY REFERENCES locations (id),
    gate_code        bytea,
    lock_combination bytea,
    alarm_code       bytea
);

CREATE TABLE bodies_of_water (
    id          uuid PRIMARY KEY,
    location_id uuid NOT NULL REFERENCES locations (id),
    position    bigint NOT NULL,
    name        text NOT NULL,
    kind        text NOT NULL,
    gallons     double precision,
    surface     text,
    sanitizer   text NOT NULL,
    setting     text NOT NULL,
    equipment   jsonb NOT NULL,
    archived_at timestamptz
);

CREATE INDEX bodies_of_water_by_location ON bodies_of_water (location_id, position);

CREATE TABLE change_log (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    author_kind text NOT NULL,
    author_id   text COLLATE "C" NOT NULL,
    entity      text NOT NULL,
    entity_id   text COLLATE "C" NOT NULL,
    customer_id uuid,
    action      text NOT NULL,
    changes     jsonb NOT NULL                -- list of {field, before, after, secret}
);

CREATE INDEX change_log_by_entity ON change_log (entity, entity_id, seq);
CREATE INDEX change_log_by_customer ON change_log (customer_id, seq);
CREATE INDEX change_log_by_author ON change_log (author_kind, author_id, seq);

CREATE FUNCTION poolbook_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER change_log_is_append_only BEFORE UPDATE OR DELETE ON change_log
    FOR EACH ROW EXECUTE FUNCTION poolbook_refuse_change();
CREATE TRIGGER change_log_is_not_truncated BEFORE TRUNCATE ON change_log
    FOR EACH STATEMENT EXECUTE FUNCTION poolbook_refuse_change();

-- The search index: one row per customer, the text folded in Rust
-- (lowercase, accents removed, split into words) so SQLite and PostgreSQL
-- index the same words. `document` weighs names A, emails B, addresses C
-- and phone digits D (forwards, and backwards prefixed with 't').
CREATE TABLE customer_search (
    customer_seq bigint PRIMARY KEY REFERENCES customers (seq),
    name         text NOT NULL,
    email        text NOT NULL,
    phone        text NOT NULL,
    address      text NOT NULL,
    document     tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, name), 'A')
        || setweight(to_tsvector('simple'::regconfig, email), 'B')
        || setweight(to_tsvector('simple'::regconfig, address), 'C')
        || setweight(to_tsvector('simple'::regconfig, phone), 'D')
    ) STORED
);

CREATE INDEX customer_search_documents ON customer_search USING gin (document);
CREATE INDEX customer_search_names ON customer_search USING gin (name gin_trgm_ops);

CREATE TABLE history (
    seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id               uuid NOT NULL UNIQUE,
    kind             text NOT NULL,
    customer_id      uuid NOT NULL REFERENCES customers (id),
    location_id      uuid REFERENCES locations (id),
    body_of_water_id uuid REFERENCES bodies_of_water (id),
    at               timestamptz NOT NULL,
    status           text,
    number           text,
    author_kind      text NOT NULL,
    author_id        text NOT NULL,
    archived_at      timestamptz,
    data             jsonb NOT NULL
);

CREATE INDEX history_by_customer ON history (customer_id, at, id);
CREATE INDEX history_by_location ON history (location_id, at, id) WHERE location_id IS NOT NULL;
CREATE INDEX history_by_body ON history (body_of_water_id, kind, at) WHERE body_of_water_id IS NOT NULL;
CREATE INDEX history_by_customer_kind ON history (customer_id, kind, at);
CREATE UNIQUE INDEX history_invoice_numbers ON history (number) WHERE kind = 'invoice';

CREATE TABLE target_profiles (
    name text COLLATE "C" PRIMARY KEY,
    data jsonb NOT NULL
);

CREATE TABLE touchpoints (
    seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id              uuid NOT NULL UNIQUE,
    customer_id     uuid REFERENCES customers (id),
    visitor_id      text COLLATE "C",
    linked          boolean NOT NULL DEFAULT false,  -- customer_id came from a visitor link
    at              timestamptz NOT NULL,
    channel         text NOT NULL,
    direction       text NOT NULL,
    actor           text NOT NULL,
    action          text NOT NULL,
    stage           text,                            -- NULL: the stage map did not know the action
    source          text,
    campaign        text,
    value           numeric,
    properties      jsonb NOT NULL,
    source_system   text,
    source_event_id text,
    author_kind     text NOT NULL,
    author_id       text NOT NULL,
    CHECK (customer_id IS NOT NULL OR visitor_id IS NOT NULL)
);

CREATE UNIQUE INDEX touchpoints_by_source_event ON touchpoints (source_system, source_event_id)
    WHERE source_system IS NOT NULL;
CREATE INDEX touchpoints_by_customer ON touchpoints (customer_id, at, id) WHERE customer_id IS NOT NULL;
CREATE INDEX touchpoints_by_visitor ON touchpoints (visitor_id, at, id) WHERE visitor_id IS NOT NULL;
-- The journey scan: every person's touchpoints in time order, in one pass.
CREATE INDEX touchpoints_by_person ON touchpoints (
    (coalesce(customer_id::text, 'v:' || visitor_id) COLLATE "C"), at, id
);

CREATE TABLE segments (
    name text COLLATE "C" PRIMARY KEY,
    data jsonb NOT NULL
);

CREATE TABLE visitor_links (
    visitor_id  text COLLATE "C" PRIMARY KEY,
    customer_id uuid NOT NULL REFERENCES customers (id),
    linked_at   timestamptz NOT NULL
);

CREATE TABLE book_keys (
    id         text PRIMARY KEY,
    wrapped    bytea NOT NULL,
    salt       bytea NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE secret_reveals (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    author_kind text NOT NULL,
    author_id   text NOT NULL,
    location_id uuid NOT NULL,
    customer_id uuid NOT NULL,
    field       text NOT NULL CHECK (field IN ('gate_code', 'lock_combination', 'alarm_code')),
    reason      text NOT NULL,
    device      text
);

CREATE INDEX secret_reveals_by_location ON secret_reveals (location_id, seq);
CREATE INDEX secret_reveals_by_author ON secret_reveals (author_id, seq);

CREATE TRIGGER secret_reveals_append_only BEFORE UPDATE OR DELETE ON secret_reveals
    FOR EACH ROW EXECUTE FUNCTION poolbook_refuse_change();
CREATE TRIGGER secret_reveals_is_not_truncated BEFORE TRUNCATE ON secret_reveals
    FOR EACH STATEMENT EXECUTE FUNCTION poolbook_refuse_change();
