-- Cases and correspondence together (issue 17, item 4; docs/correspondence.md). An incoming
-- document that started a case keeps its folio (`case_folio`, written in the case start's own
-- transaction, once); the case lists the documents it came from by it. An internal outgoing
-- document arrives, when dispatched, in each addressee unit's own incoming register: the
-- incoming row names the outgoing document it is (`from_outgoing`) and what it came for
-- (`arrived_for`: an instruction's code, «atencion» for an addressee, «conocimiento» for a
-- copy). One arrival per outgoing document and unit, whatever happens twice.
ALTER TABLE incoming_documents ADD COLUMN from_outgoing BIGINT REFERENCES outgoing_documents (id);
ALTER TABLE incoming_documents ADD COLUMN arrived_for TEXT;
CREATE UNIQUE INDEX incoming_documents_arrival ON incoming_documents (from_outgoing, unit);
CREATE INDEX incoming_documents_case ON incoming_documents (case_folio);
