-- Handling petitions (docs/citizen-format.md, «Atención de peticiones»): the classification's
-- who and when, the direct answer of a petition that needs no action, the case of the volante
-- de trámite for one that does, the Enlace's answers on the FUR with their review, and the
-- calls the call-center provider declares it received each day.

ALTER TABLE petitions ADD COLUMN classified_at TEXT;
ALTER TABLE petitions ADD COLUMN classified_by TEXT;
-- What the petitioner was told, when answered without a volante or when the review closed it.
ALTER TABLE petitions ADD COLUMN answer TEXT;
-- Local date of the answer, aaaa-mm-dd.
ALTER TABLE petitions ADD COLUMN answered_on TEXT;
-- The volante's case (procedure sinac-volante), its number (1, one more each time it is turned
-- again) and the due date of the volante in force.
ALTER TABLE petitions ADD COLUMN case_folio TEXT;
ALTER TABLE petitions ADD COLUMN slip INTEGER NOT NULL DEFAULT 0;
ALTER TABLE petitions ADD COLUMN due_on TEXT;
CREATE INDEX petitions_received ON petitions (received_at);

-- One FUR per volante of a petition; the review is written on it once made.
CREATE TABLE petition_responses (
    petition_id         INTEGER    NOT NULL REFERENCES petitions (id),
    slip                INTEGER    NOT NULL,
    state               TEXT    NOT NULL,
    liaison             TEXT    NOT NULL,
    answered_on         TEXT    NOT NULL,
    contact_on          TEXT,
    contact_means       TEXT,
    actions             TEXT    NOT NULL,
    outcome             TEXT    NOT NULL,
    answer              TEXT    NOT NULL,
    recorded_by         TEXT    NOT NULL,
    recorded_at         TEXT    NOT NULL,
    review_complete     INTEGER,
    review_favorable    INTEGER,
    review_observations TEXT,
    reviewed_by         TEXT,
    reviewed_at         TEXT,
    PRIMARY KEY (petition_id, slip)
);

-- The calls the provider declares it received on a day (procedure 96, 5.1: supervising the
-- contract), against the calls registered from its files.
CREATE TABLE declared_calls (
    day          TEXT    PRIMARY KEY,
    received     INTEGER    NOT NULL,
    recorded_by  TEXT    NOT NULL,
    recorded_at  TEXT    NOT NULL
);
