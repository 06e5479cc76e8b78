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

CREATE FUNCTION turno_identity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE identity_revision SET revision = revision + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER users_revision AFTER INSERT OR UPDATE OR DELETE ON users
FOR EACH STATEMENT EXECUTE FUNCTION turno_identity_changed();
CREATE TRIGGER memberships_revision AFTER INSERT OR UPDATE OR DELETE ON memberships
FOR EACH STATEMENT EXECUTE FUNCTION turno_identity_changed();
CREATE TRIGGER delegations_revision AFTER INSERT OR UPDATE OR DELETE ON delegations
FOR EACH STATEMENT EXECUTE FUNCTION turno_identity_changed();
CREATE TRIGGER units_revision AFTER INSERT OR UPDATE OR DELETE ON units
FOR EACH STATEMENT EXECUTE FUNCTION turno_identity_changed();
-- A token's "last used" is bookkeeping, not access: only its revocation counts.
CREATE TRIGGER api_tokens_revision AFTER UPDATE OF revoked OR DELETE ON api_tokens
FOR EACH STATEMENT EXECUTE FUNCTION turno_identity_changed();
