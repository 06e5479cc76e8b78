-- Correspondence turns to people, and what people are told of correspondence (issue 17,
-- docs/correspondence.md): a turn may go to one person of its unit (`person`, their login);
-- each turn's notices (turned, due soon, overdue and escalated) are recorded once
-- (`incoming_turn_notices`), as `reminders` records a case's; an outgoing document awaiting a
-- reviewer's visto bueno or its titular's signature is told once per version
-- (`outgoing_notices`). A notification may now be about an incoming document (its folio) or
-- an outgoing one (its id); exactly one of the four subjects is given.
ALTER TABLE incoming_turns ADD COLUMN person TEXT REFERENCES users (login);
CREATE INDEX incoming_turns_person ON incoming_turns (person, status);

CREATE TABLE incoming_turn_notices (
    turn_id      BIGINT NOT NULL REFERENCES incoming_turns (id),
    kind         TEXT   NOT NULL,
    noticed_at   TEXT   NOT NULL,
    PRIMARY KEY (turn_id, kind)
);
-- The turns given before notices existed were not news when this ran.
INSERT INTO incoming_turn_notices (turn_id, kind, noticed_at)
SELECT id, 'turned', turned_at FROM incoming_turns;

CREATE TABLE outgoing_notices (
    document_id  BIGINT NOT NULL REFERENCES outgoing_documents (id),
    version      BIGINT NOT NULL,
    noticed_at   TEXT   NOT NULL,
    PRIMARY KEY (document_id, version)
);
INSERT INTO outgoing_notices (document_id, version, noticed_at)
SELECT id, version, created_at FROM outgoing_documents
WHERE stage IN ('en_revision', 'visto_bueno');

ALTER TABLE notifications ADD COLUMN incoming TEXT;
ALTER TABLE notifications ADD COLUMN outgoing BIGINT REFERENCES outgoing_documents (id);
ALTER TABLE notifications DROP CONSTRAINT notifications_about;
ALTER TABLE notifications ADD CONSTRAINT notifications_about CHECK (
    (case_id IS NOT NULL)::int + (petition IS NOT NULL)::int + (incoming IS NOT NULL)::int
    + (outgoing IS NOT NULL)::int = 1);
