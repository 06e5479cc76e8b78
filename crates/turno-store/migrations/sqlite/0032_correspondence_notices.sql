-- Correspondence turns to people, and what people are told of correspondence (issue 17,
-- docs/correspondence.md): a turn may go to one person of its unit (`person`, their login);
-- each turn's notices (turned, due soon, overdue and escalated) are recorded once
-- (`incoming_turn_notices`), as `reminders` records a case's; an outgoing document awaiting a
-- reviewer's visto bueno or its titular's signature is told once per version
-- (`outgoing_notices`). A notification may now be about an incoming document (its folio) or
-- an outgoing one (its id); exactly one of the four subjects is given. SQLite cannot change a
-- CHECK constraint, so `notifications` is rebuilt with its rows, keys and indexes.
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

CREATE TABLE notifications_new (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    kind        TEXT   NOT NULL,
    case_id     BIGINT REFERENCES cases (id),
    petition    TEXT,
    incoming    TEXT,
    outgoing    BIGINT REFERENCES outgoing_documents (id),
    item        BIGINT,
    dedup       TEXT   NOT NULL,
    subject     TEXT   NOT NULL,
    body        TEXT   NOT NULL,
    created_at  TEXT   NOT NULL,
    read_at     TEXT,
    UNIQUE (user_id, dedup),
    CHECK ((case_id IS NOT NULL) + (petition IS NOT NULL) + (incoming IS NOT NULL)
           + (outgoing IS NOT NULL) = 1)
);
INSERT INTO notifications_new (id, user_id, kind, case_id, petition, item, dedup, subject, body,
                               created_at, read_at)
SELECT id, user_id, kind, case_id, petition, item, dedup, subject, body, created_at, read_at
FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
