-- Searching the correspondence newest first without sorting every match (issue 17, item 8;
-- BENCHMARKS.md «Correspondencia: búsqueda sobre 1,000,000 de documentos»): a page of the newest
-- 20 documents that match a common word reads this index backwards, checking each document's
-- `tsvector`, and stops after 20 of them, instead of reading every match from the GIN index and
-- sorting them. Its order is the search's: the second received (the date and time without a
-- fraction), then the folio; a received range is a range of it.
CREATE INDEX incoming_documents_newest
    ON incoming_documents ((substr(received_at, 1, 19)), folio_year, folio_number);
