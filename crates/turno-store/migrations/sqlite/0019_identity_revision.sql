-- Changes with every change to who a person is and what they reach: users (active, password,
-- name), memberships, suplencias, units (the chart walked downwards) and API tokens. Each
-- process keeps the people it loaded lately and uses them only while this number is the one
-- they were loaded at, so that a change made through any process is in force on the next
-- request everywhere (a deactivated person keeps no access).
CREATE TABLE identity_revision (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    revision  BIGINT  NOT NULL
);
INSERT INTO identity_revision (id, revision) VALUES (1, 0);

CREATE TRIGGER users_revision_insert AFTER INSERT ON users
BEGIN UPDATE identity_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER users_revision_update AFTER UPDATE ON users
BEGIN UPDATE identity_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER users_revision_delete AFTER DELETE ON users
BEGIN UPDATE identity_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER memberships_revision_insert AFTER INSERT ON memberships
BEGIN UPDATE identity_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER memberships_revision_update AFTER UPDATE ON memberships
BEGIN UPDATE identity_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER memberships_revision_delete AFTER DELETE ON memberships
BEGIN UPDATE identity_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER delegations_revision_insert AFTER INSERT ON delegations
BEGIN UPDATE identity_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER delegations_revision_update AFTER UPDATE ON delegations
BEGIN UPDATE identity_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER delegations_revision_delete AFTER DELETE ON delegations
BEGIN UPDATE identity_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER units_revision_insert AFTER INSERT ON units
BEGIN UPDATE identity_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER units_revision_update AFTER UPDATE ON units
BEGIN UPDATE identity_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER units_revision_delete AFTER DELETE ON units
BEGIN UPDATE identity_revision SET revision = revision + 1 WHERE id = 1; END;
-- A token's "last used" is bookkeeping, not access: only its revocation counts.
CREATE TRIGGER api_tokens_revision_update AFTER UPDATE OF revoked ON api_tokens
BEGIN UPDATE identity_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER api_tokens_revision_delete AFTER DELETE ON api_tokens
BEGIN UPDATE identity_revision SET revision = revision + 1 WHERE id = 1; END;
