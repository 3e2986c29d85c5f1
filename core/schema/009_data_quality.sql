-- Data quality (issue 19): the office's verdicts on duplicate pairs, and
-- merges that can be undone. Step 009 (006-008 are issues 17, 21 and 18).

-- One row per decided pair, the lower id first. The levels teach the
-- matcher; the evidence is what carried weight when the pair was decided
-- (a rejected pair comes back only when that changes).
CREATE TABLE duplicate_decisions (
    a           TEXT NOT NULL REFERENCES customers (id),
    b           TEXT NOT NULL REFERENCES customers (id),
    verdict     TEXT NOT NULL CHECK (verdict IN ('same', 'not_duplicate')),
    levels      TEXT NOT NULL,               -- JSON list of [field, level]
    evidence    TEXT NOT NULL,               -- JSON list of [field, a value, b value]
    decided_at  TEXT NOT NULL,
    author_kind TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    PRIMARY KEY (a, b),
    CHECK (a < b)
) STRICT;

-- A merge: while unmerged_at is NULL the absorbed id resolves to the
-- survivor. `undo` holds both records as they were and the ids moved.
CREATE TABLE customer_merges (
    absorbed_id TEXT PRIMARY KEY REFERENCES customers (id),
    survivor_id TEXT NOT NULL REFERENCES customers (id),
    merged_at   TEXT NOT NULL,
    unmerged_at TEXT,
    undo        TEXT NOT NULL
) STRICT;

CREATE INDEX customer_merges_by_survivor ON customer_merges (survivor_id)
    WHERE unmerged_at IS NULL;
