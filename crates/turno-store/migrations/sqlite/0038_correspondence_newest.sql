-- Searching the correspondence newest first without sorting every match (issue 17, item 8;
-- BENCHMARKS.md «Correspondencia: búsqueda sobre 1,000,000 de documentos»). FTS5 reads its
-- matches in the order of their rowid, forwards or backwards, and a page of the newest 20 then
-- stops after 20 of them; ordered by anything else, every match is read and sorted first (half a
-- million for a common word over a million documents). So the index's rowid becomes a key in
-- the order a search answers: received first (newest first), then the folio.
--
-- `search_key`, a virtual generated column (nothing stored), under a unique index by which a
-- match finds its document: the second it was received (the local date and time taken as if UTC:
-- only the order matters) × 2^27, plus the folio's year relative to the year received (+64,
-- within 0–127; a folio is registered in or after the year received) × 2^20, plus the folio's
-- number (six digits, below 2^20). Equal keys would need two documents received the same second
-- with the same folio number, registered 64 years apart. The received range of a search is then
-- a range of rowids too (`search.rs`, `SEARCH_KEY_SECOND`). It fits in 63 bits for every date
-- from the year 1 to beyond 3000.
ALTER TABLE incoming_documents ADD COLUMN search_key INTEGER GENERATED ALWAYS AS (
    CAST(strftime('%s', received_at) AS INTEGER) * 134217728
    + (min(max(folio_year - CAST(substr(received_at, 1, 4) AS INTEGER), -64), 63) + 64) * 1048576
    + folio_number % 1048576
) VIRTUAL;
CREATE UNIQUE INDEX incoming_documents_search_key ON incoming_documents (search_key);

DROP TRIGGER incoming_search_insert;
DROP TRIGGER incoming_search_delete;
DROP TRIGGER incoming_search_update;
DROP TABLE incoming_search;
DROP VIEW incoming_search_source;

CREATE VIEW incoming_search_source AS
SELECT search_key AS key,
       'CE-' || folio_year || '-' || printf('%06d', folio_number) AS folio,
       their_number, subject, summary, sender_name, sender_position, sender_organization
FROM incoming_documents;

CREATE VIRTUAL TABLE incoming_search USING fts5(
    folio, their_number, subject, summary, sender_name, sender_position, sender_organization,
    content = 'incoming_search_source', content_rowid = 'key',
    tokenize = "unicode61 remove_diacritics 2"
);

CREATE TRIGGER incoming_search_insert AFTER INSERT ON incoming_documents BEGIN
    INSERT INTO incoming_search (rowid, folio, their_number, subject, summary, sender_name,
        sender_position, sender_organization)
    VALUES (NEW.search_key,
        'CE-' || NEW.folio_year || '-' || printf('%06d', NEW.folio_number), NEW.their_number,
        NEW.subject, NEW.summary, NEW.sender_name, NEW.sender_position, NEW.sender_organization);
END;

CREATE TRIGGER incoming_search_delete AFTER DELETE ON incoming_documents BEGIN
    INSERT INTO incoming_search (incoming_search, rowid, folio, their_number, subject, summary,
        sender_name, sender_position, sender_organization)
    VALUES ('delete', OLD.search_key,
        'CE-' || OLD.folio_year || '-' || printf('%06d', OLD.folio_number), OLD.their_number,
        OLD.subject, OLD.summary, OLD.sender_name, OLD.sender_position, OLD.sender_organization);
END;

-- The key changes with the date received too.
CREATE TRIGGER incoming_search_update AFTER UPDATE OF folio_year, folio_number, received_at,
    their_number, subject, summary, sender_name, sender_position, sender_organization
    ON incoming_documents
BEGIN
    INSERT INTO incoming_search (incoming_search, rowid, folio, their_number, subject, summary,
        sender_name, sender_position, sender_organization)
    VALUES ('delete', OLD.search_key,
        'CE-' || OLD.folio_year || '-' || printf('%06d', OLD.folio_number), OLD.their_number,
        OLD.subject, OLD.summary, OLD.sender_name, OLD.sender_position, OLD.sender_organization);
    INSERT INTO incoming_search (rowid, folio, their_number, subject, summary, sender_name,
        sender_position, sender_organization)
    VALUES (NEW.search_key,
        'CE-' || NEW.folio_year || '-' || printf('%06d', NEW.folio_number), NEW.their_number,
        NEW.subject, NEW.summary, NEW.sender_name, NEW.sender_position, NEW.sender_organization);
END;

INSERT INTO incoming_search (incoming_search) VALUES ('rebuild');
