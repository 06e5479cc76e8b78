-- The audit log chained on every entry (issue 16): each entry keeps the hash of the one before
-- it and its own (`chain::audit_link` of its fields and that previous hash), so that an entry
-- changed, removed or added in between breaks the chain where it is, and `turno verify` names
-- it. The entries written before this migration are chained once by the store's `migrate`,
-- in order: setting a missing hash is the one update the log allows.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
DROP TRIGGER audit_log_append_only ON audit_log;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
FOR EACH ROW WHEN (
    OLD.hash IS NOT NULL
    OR (NEW.id, NEW.at, NEW.actor, NEW.action, NEW.subject, NEW.detail)
       IS DISTINCT FROM (OLD.id, OLD.at, OLD.actor, OLD.action, OLD.subject, OLD.detail)
)
EXECUTE FUNCTION turno_refuse_change('the audit log is append-only');
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION turno_refuse_change('the audit log is append-only');
-- Taken by every writer of the log before it reads the last entry, so that entries are chained
-- one after another (two administrators acting at once would otherwise both follow the same
-- entry).
CREATE TABLE audit_chain_lock (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    taken  BIGINT  NOT NULL
);
INSERT INTO audit_chain_lock (id, taken) VALUES (1, 0);
