-- poolbook on PostgreSQL, step 5: data quality (issue 19), as SQLite's
-- step 009 leaves it: the office's verdicts on duplicate pairs, and merges
-- that can be undone. (Steps 2-4 are issues 17, 21 and 18.)

-- One row per decided pair, the lower id first (uuid order is the byte
-- order of their text, as SQLite compares them). The levels teach the
-- matcher; the evidence is what carried weight when the pair was decided
-- (a rejected pair comes back only when that changes).
CREATE TABLE duplicate_decisions (
    a           uuid NOT NULL REFERENCES customers (id),
    b           uuid NOT NULL REFERENCES customers (id),
    verdict     text NOT NULL CHECK (verdict IN ('same', 'not_duplicate')),
    levels      jsonb NOT NULL,              -- list of [field, level]
    evidence    jsonb NOT NULL,              -- list of [field, a value, b value]
    decided_at  timestamptz NOT NULL,
    author_kind text NOT NULL,
    author_id   text NOT NULL,
    PRIMARY KEY (a, b),
    CHECK (a < b)
);

-- A merge: while unmerged_at is NULL the absorbed id resolves to the
-- survivor. `undo` holds both records as they were and the ids moved.
CREATE TABLE customer_merges (
    absorbed_id uuid PRIMARY KEY REFERENCES customers (id),
    survivor_id uuid NOT NULL REFERENCES customers (id),
    merged_at   timestamptz NOT NULL,
    unmerged_at timestamptz,
    undo        jsonb NOT NULL
);

CREATE INDEX customer_merges_by_survivor ON customer_merges (survivor_id)
    WHERE unmerged_at IS NULL;
