-- Searching the correspondence (issue 17, item 5; docs/correspondence.md «Búsqueda»): SQLite's
-- own full-text search, FTS5, with the unicode61 tokenizer that takes diacritics off
-- (`remove_diacritics 2`) and folds case, so «oficio numero» finds «Oficio número».
--
-- Incoming documents: an external-content index over the view `incoming_search_source`, whose
-- rowid is the folio made one integer (year × 10^10 + number): the table's own implicit rowid
-- may change on VACUUM (it has no INTEGER PRIMARY KEY), the folio never does. Outgoing
-- documents: an external-content index over the table itself (`id` is its INTEGER PRIMARY
-- KEY). Triggers keep both in step with every insert, change and removal, in the writing
-- statement's own transaction.
CREATE VIEW incoming_search_source AS
SELECT folio_year * 10000000000 + folio_number AS key,
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
    VALUES (NEW.folio_year * 10000000000 + NEW.folio_number,
        'CE-' || NEW.folio_year || '-' || printf('%06d', NEW.folio_number), NEW.their_number,
        NEW.subject, NEW.summary, NEW.sender_name, NEW.sender_position, NEW.sender_organization);
END;

CREATE TRIGGER incoming_search_delete AFTER DELETE ON incoming_documents BEGIN
    INSERT INTO incoming_search (incoming_search, rowid, folio, their_number, subject, summary,
        sender_name, sender_position, sender_organization)
    VALUES ('delete', OLD.folio_year * 10000000000 + OLD.folio_number,
        'CE-' || OLD.folio_year || '-' || printf('%06d', OLD.folio_number), OLD.their_number,
        OLD.subject, OLD.summary, OLD.sender_name, OLD.sender_position, OLD.sender_organization);
END;

CREATE TRIGGER incoming_search_update AFTER UPDATE OF folio_year, folio_number, their_number,
    subject, summary, sender_name, sender_position, sender_organization ON incoming_documents
BEGIN
    INSERT INTO incoming_search (incoming_search, rowid, folio, their_number, subject, summary,
        sender_name, sender_position, sender_organization)
    VALUES ('delete', OLD.folio_year * 10000000000 + OLD.folio_number,
        'CE-' || OLD.folio_year || '-' || printf('%06d', OLD.folio_number), OLD.their_number,
        OLD.subject, OLD.summary, OLD.sender_name, OLD.sender_position, OLD.sender_organization);
    INSERT INTO incoming_search (rowid, folio, their_number, subject, summary, sender_name,
        sender_position, sender_organization)
    VALUES (NEW.folio_year * 10000000000 + NEW.folio_number,
        'CE-' || NEW.folio_year || '-' || printf('%06d', NEW.folio_number), NEW.their_number,
        NEW.subject, NEW.summary, NEW.sender_name, NEW.sender_position, NEW.sender_organization);
END;

INSERT INTO incoming_search (incoming_search) VALUES ('rebuild');

CREATE VIRTUAL TABLE outgoing_search USING fts5(
    number, subject, body, attention_to,
    content = 'outgoing_documents', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2"
);

CREATE TRIGGER outgoing_search_insert AFTER INSERT ON outgoing_documents BEGIN
    INSERT INTO outgoing_search (rowid, number, subject, body, attention_to)
    VALUES (NEW.id, NEW.number, NEW.subject, NEW.body, NEW.attention_to);
END;

CREATE TRIGGER outgoing_search_delete AFTER DELETE ON outgoing_documents BEGIN
    INSERT INTO outgoing_search (outgoing_search, rowid, number, subject, body, attention_to)
    VALUES ('delete', OLD.id, OLD.number, OLD.subject, OLD.body, OLD.attention_to);
END;

CREATE TRIGGER outgoing_search_update AFTER UPDATE OF number, subject, body, attention_to
    ON outgoing_documents
BEGIN
    INSERT INTO outgoing_search (outgoing_search, rowid, number, subject, body, attention_to)
    VALUES ('delete', OLD.id, OLD.number, OLD.subject, OLD.body, OLD.attention_to);
    INSERT INTO outgoing_search (rowid, number, subject, body, attention_to)
    VALUES (NEW.id, NEW.number, NEW.subject, NEW.body, NEW.attention_to);
END;

INSERT INTO outgoing_search (outgoing_search) VALUES ('rebuild');

-- Newest first without a text: the received date ordered by an index.
CREATE INDEX incoming_documents_received ON incoming_documents (received_at);
