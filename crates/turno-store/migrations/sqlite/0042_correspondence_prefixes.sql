-- A search's last word is a prefix (what is still being typed), and FTS5 answered a prefix by
-- merging the whole list of every word it begins into one before reading any (issue 17, item 8;
-- BENCHMARKS.md «Correspondencia: búsqueda sobre 1,000,000 de documentos»): «salud*» over a
-- million documents read and merged hundreds of thousands of entries for a page of 20. With a
-- prefix index for every length from 1 to 20 letters a prefix is one entry of the index, read
-- newest first and stopped at the page like a whole word; only a prefix of more than 20 letters
-- is still merged (the words it begins are then one or two).
--
-- `detail = none`: the index keeps which documents hold each word and prefix, not where (a
-- search asks for words, each on its own, never a phrase or a column); so twenty prefix
-- indexes take about 3.4 times the room of the index of positions they replace, not 5.6 times.
--
-- The triggers of migration 0038 keep writing to these tables by their names.
DROP TABLE incoming_search;
CREATE VIRTUAL TABLE incoming_search USING fts5(
    folio, their_number, subject, summary, sender_name, sender_position, sender_organization,
    content = 'incoming_search_source', content_rowid = 'key',
    tokenize = "unicode61 remove_diacritics 2",
    detail = none,
    prefix = '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20'
);
INSERT INTO incoming_search (incoming_search) VALUES ('rebuild');

DROP TABLE outgoing_search;
CREATE VIRTUAL TABLE outgoing_search USING fts5(
    number, subject, body, attention_to,
    content = 'outgoing_documents', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2",
    detail = none,
    prefix = '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20'
);
INSERT INTO outgoing_search (outgoing_search) VALUES ('rebuild');

-- Whether a person sees a document is asked of its turns document by document (the units it
-- was turned to, not withdrawn): with the unit and the status in the index, each question is
-- answered by the index alone, without reading the turn. It replaces the index on the folio
-- alone, which it begins with.
CREATE INDEX incoming_turns_seen ON incoming_turns (folio_year, folio_number, unit, status);
DROP INDEX incoming_turns_document;
