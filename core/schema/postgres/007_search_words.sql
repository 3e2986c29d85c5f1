-- poolbook on PostgreSQL, step 7: search forgives typos in names and street
-- addresses (issue 22), the same on both stores: the words a typed word may
-- be a typo of are the indexed words that begin with its letter. They are
-- read from the rows holding such a word, which this trigram index over the
-- folded names and addresses finds (pg_trgm keeps a word's first letter as
-- a trigram of its own, "  l", so `LIKE 'l%' OR LIKE '% l%'` uses it). It
-- replaces the index over names alone.

DROP INDEX customer_search_names;

CREATE INDEX customer_search_words ON customer_search
    USING gin ((name || ' ' || address) gin_trgm_ops);
