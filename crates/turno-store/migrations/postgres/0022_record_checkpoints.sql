-- Checkpoints of the record (turno-store's `seal`): every case's head, every folio counter and
-- the audit log's chain, as JSON text, with its HMAC-SHA256 under the record key, which lives
-- outside the database. Append-only like the record. `previous` is the signature of the checkpoint
-- it follows ('' for the first): unique, so that of two processes checkpointing at once one
-- writes, and the checkpoints stay one line.
CREATE TABLE record_checkpoints (
    id         BIGSERIAL PRIMARY KEY,
    previous   TEXT NOT NULL UNIQUE,
    content    TEXT NOT NULL,
    signature  TEXT NOT NULL
);
CREATE TRIGGER record_checkpoints_append_only BEFORE UPDATE OR DELETE ON record_checkpoints
FOR EACH ROW EXECUTE FUNCTION turno_refuse_change('the record checkpoints are append-only');
