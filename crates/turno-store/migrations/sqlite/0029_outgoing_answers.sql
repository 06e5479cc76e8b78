-- An outgoing document may answer one turn of an incoming document (issue 17): dispatching it
-- closes that turn as answered, in the dispatch's transaction (docs/correspondence.md).
ALTER TABLE outgoing_documents ADD COLUMN answers_turn BIGINT REFERENCES incoming_turns (id);
CREATE INDEX outgoing_documents_answers ON outgoing_documents (answers_turn);
