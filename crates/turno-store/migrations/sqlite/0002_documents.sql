-- Attached documents. Each row points to the DocumentAttached event it was projected from, so
-- that verification ties every file to the SHA-256 that the hash chain protects. The rows
-- written before this migration are none: nothing projected documents until now.
ALTER TABLE documents ADD COLUMN event_id INTEGER REFERENCES events (id);
CREATE UNIQUE INDEX documents_event ON documents (event_id);
CREATE INDEX documents_case ON documents (case_id, id);
