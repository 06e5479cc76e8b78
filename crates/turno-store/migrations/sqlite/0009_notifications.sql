-- Notifications: what a person is told (in the application and by e-mail) when work is turned
-- or returned to their unit, is about to expire, or expired; plus a daily digest.
--
-- The events worth telling are queued by a trigger in the transaction that records them, so
-- none is missed and none is told twice: a process claims queued events for a while
-- (`claimed_until`, seconds since the epoch), writes the notifications, then deletes them.
-- Every notification and e-mail also carries a key unique per person (`dedup`), so a claim
-- that expired and was taken again by another process cannot tell anything twice.
-- No foreign key: the queue must never stand in the way of `turno verify` finding an event
-- removed behind Turno's back; a queued event that is gone is dropped from the queue.
CREATE TABLE notification_queue (
    event_id       BIGINT PRIMARY KEY,
    claimed_until  BIGINT
);

CREATE TRIGGER events_notify AFTER INSERT ON events
FOR EACH ROW WHEN NEW.kind IN ('work_opened', 'work_turned', 'deadline_passed')
BEGIN
    INSERT INTO notification_queue (event_id) VALUES (NEW.id);
END;

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    kind        TEXT   NOT NULL,
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    item        BIGINT,
    dedup       TEXT   NOT NULL,
    subject     TEXT   NOT NULL,
    body        TEXT   NOT NULL,
    created_at  TEXT   NOT NULL,
    read_at     TEXT,
    UNIQUE (user_id, dedup)
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- What each person chose to receive; a missing row means the default (everything).
CREATE TABLE notification_preferences (
    user_id  BIGINT  NOT NULL REFERENCES users (id),
    kind     TEXT    NOT NULL,
    in_app   BOOLEAN NOT NULL,
    email    BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- The due dates already reminded of: one reminder per work item and due date.
CREATE TABLE reminders (
    case_id  BIGINT NOT NULL REFERENCES cases (id),
    item     BIGINT NOT NULL,
    due      TEXT   NOT NULL,
    PRIMARY KEY (case_id, item, due)
);

-- E-mails to send. A process claims a few for a while, sends them and marks them sent; a
-- failure is retried later, up to a limit.
CREATE TABLE mail_outbox (
    id             INTEGER PRIMARY KEY,
    dedup          TEXT   NOT NULL UNIQUE,
    user_id        BIGINT NOT NULL REFERENCES users (id),
    recipient      TEXT   NOT NULL,
    subject        TEXT   NOT NULL,
    body           TEXT   NOT NULL,
    created_at     TEXT   NOT NULL,
    claimed_until  BIGINT,
    attempts       BIGINT NOT NULL DEFAULT 0,
    sent_at        TEXT,
    last_error     TEXT
);
CREATE INDEX mail_outbox_pending ON mail_outbox (id) WHERE sent_at IS NULL;
