-- The audit log chained on every entry (issue 16): each entry keeps the hash of the one before
-- it and its own (`chain::audit_link` of its fields and that previous hash), so that an entry
-- changed, removed or added in between breaks the chain where it is, and `turno verify` names
-- it. The entries written before this migration are chained once by the store's `migrate`,
-- in order: setting a missing hash is the one update the log allows.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
DROP TRIGGER audit_log_append_only_update;
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
WHEN OLD.hash IS NOT NULL
    OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor
    OR NEW.action IS NOT OLD.action OR NEW.subject IS NOT OLD.subject
    OR NEW.detail IS NOT OLD.detail
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
-- Taken by every writer of the log before it reads the last entry (the SQLite writer runs one
-- transaction at a time already; the table is here so that both databases run the same SQL).
CREATE TABLE audit_chain_lock (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    taken  INTEGER NOT NULL
);
INSERT INTO audit_chain_lock (id, taken) VALUES (1, 0);
