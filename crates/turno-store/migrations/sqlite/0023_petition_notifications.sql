-- A notification may be about a citizen petition instead of a case: the people of the attention
-- units are told in Turno of a petition filed through the public mailbox. `case_id` may now be
-- empty when `petition` (the petition's folio) is given; exactly one of them is. SQLite cannot
-- drop a NOT NULL constraint, so the table is rebuilt with its rows, keys and indexes.
CREATE TABLE notifications_new (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    kind        TEXT   NOT NULL,
    case_id     BIGINT REFERENCES cases (id),
    petition    TEXT,
    item        BIGINT,
    dedup       TEXT   NOT NULL,
    subject     TEXT   NOT NULL,
    body        TEXT   NOT NULL,
    created_at  TEXT   NOT NULL,
    read_at     TEXT,
    UNIQUE (user_id, dedup),
    CHECK ((case_id IS NULL) <> (petition IS NULL))
);
INSERT INTO notifications_new (id, user_id, kind, case_id, item, dedup, subject, body,
                               created_at, read_at)
SELECT id, user_id, kind, case_id, item, dedup, subject, body, created_at, read_at
FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
