-- Searching the correspondence (issue 17, item 5; docs/correspondence.md «Búsqueda»):
-- PostgreSQL's own full-text search. Each document keeps a `tsvector` of its searchable texts,
-- a generated column (so every insert and change keeps it in step, in its own statement), under
-- a GIN index. The texts go through `turno_search_text`: `unaccent` (the contrib extension,
-- a trusted one since PostgreSQL 13, installed once per database in `public`) takes the accents
-- off, `lower` the capitals, and punctuation becomes a space, so that «SIDSS/ST/0123/2026» and
-- «CE-2026-000123» are words as SQLite's unicode61 tokenizer reads them; the `simple`
-- configuration then keeps every word as it is (no stemming: both databases find the same).
--
-- Two test schemas migrating at once must not both create the extension: the lock makes the
-- second wait and find it.
SELECT pg_advisory_xact_lock(1730030);
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;

-- `unaccent(text)` is only STABLE (it reads its dictionary by name through the search path);
-- naming the dictionary makes it safe to call immutable, as a generated column needs.
CREATE FUNCTION turno_search_text(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(regexp_replace(public.unaccent('public.unaccent'::regdictionary, $1), '[[:punct:]]+', ' ', 'g')) $$;

ALTER TABLE incoming_documents ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple'::regconfig, turno_search_text(
        'CE-' || folio_year::text || '-' || lpad(folio_number::text, 6, '0') || ' ' ||
        coalesce(their_number, '') || ' ' || subject || ' ' || summary || ' ' || sender_name ||
        ' ' || sender_position || ' ' || sender_organization))
) STORED;
CREATE INDEX incoming_documents_search ON incoming_documents USING GIN (search);
CREATE INDEX incoming_documents_received ON incoming_documents (received_at);

ALTER TABLE outgoing_documents ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple'::regconfig, turno_search_text(
        coalesce(number, '') || ' ' || subject || ' ' || body || ' ' || coalesce(attention_to, '')))
) STORED;
CREATE INDEX outgoing_documents_search ON outgoing_documents USING GIN (search);
