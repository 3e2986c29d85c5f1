-- Step 5: secrets sealed at rest (ADR 0006).
--
-- location_secrets now holds sealed blobs (XChaCha20-Poly1305 under the
-- book's data key). The plain-text codes of an older book move to
-- location_secrets_plain, where they stay until the book is first unlocked
-- with a key: then they are sealed into location_secrets, deleted (with
-- secure_delete on) and the log is truncated, so no copy is left in the file.
ALTER TABLE location_secrets RENAME TO location_secrets_plain;

CREATE TABLE location_secrets (
    location_id      TEXT PRIMARY KEY REFERENCES locations (id),
    gate_code        BLOB,
    lock_combination BLOB,
    alarm_code       BLOB
) STRICT;

-- The book's data key, sealed under the host's key-encryption key, and the
-- salt the key provider derives that key with (for a passphrase). One row.
CREATE TABLE book_keys (
    id         TEXT PRIMARY KEY,
    wrapped    BLOB NOT NULL,
    salt       BLOB NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- Every reveal of a secret: who, when, which location and field, on which
-- device, why. Never the value. Append-only.
CREATE TABLE secret_reveals (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    author_kind TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    location_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    field       TEXT NOT NULL CHECK (field IN ('gate_code', 'lock_combination', 'alarm_code')),
    reason      TEXT NOT NULL,
    device      TEXT
) STRICT;

CREATE INDEX secret_reveals_by_location ON secret_reveals (location_id, seq);
CREATE INDEX secret_reveals_by_author ON secret_reveals (author_id, seq);

CREATE TRIGGER secret_reveals_append_only_update BEFORE UPDATE ON secret_reveals
BEGIN
    SELECT RAISE(ABORT, 'secret_reveals is append-only');
END;

CREATE TRIGGER secret_reveals_append_only_delete BEFORE DELETE ON secret_reveals
BEGIN
    SELECT RAISE(ABORT, 'secret_reveals is append-only');
END;
