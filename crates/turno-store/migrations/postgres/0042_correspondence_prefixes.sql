-- Searching the correspondence with a bounded cost (issue 17, item 8; BENCHMARKS.md
-- «Correspondencia: búsqueda sobre 1,000,000 de documentos»). The GIN indexes of the search
-- texts take each new document into their entries at once instead of into a pending list:
-- with `fastupdate` (PostgreSQL's default) the documents registered since the last vacuum wait
-- in a list that every search reads through in full, up to 4 MB of it, before the index
-- (registering pays instead, once a document). The list already there is taken in now.
--
-- (SQLite's migration of the same number gives FTS5 its prefix indexes; PostgreSQL's GIN index
-- answers a prefix by its entries' order.)
ALTER INDEX incoming_documents_search SET (fastupdate = off);
SELECT gin_clean_pending_list('incoming_documents_search'::regclass);
ALTER INDEX outgoing_documents_search SET (fastupdate = off);
SELECT gin_clean_pending_list('outgoing_documents_search'::regclass);

-- Whether a person sees a document is asked of its turns document by document (the units it
-- was turned to, not withdrawn): with the unit and the status in the index, each question is
-- answered by the index alone, without reading the turn (3–7 µs a document instead of 6–20 µs
-- measured, over the thousands of documents a rare pair of words finds). It replaces the index
-- on the folio alone, which it begins with.
CREATE INDEX incoming_turns_seen ON incoming_turns (folio_year, folio_number, unit, status);
DROP INDEX incoming_turns_document;
