-- Following a program up (issue 8): a program is a plain one or a supervision's
-- recommendations tied to its cnpss-94 case; each change a person reports on an activity
-- (progress, note, the evidence file attached with it, a closure) is kept, append-only, with
-- the progress it replaced, so that the program can be shown as of an earlier day; a
-- supervision's follow-up rounds are kept with what each decided.
ALTER TABLE followup_programs ADD COLUMN kind TEXT NOT NULL DEFAULT 'program'
    CHECK (kind IN ('program', 'supervision'));
ALTER TABLE followup_programs ADD COLUMN case_folio TEXT;

-- The declared type of an evidence file stored in the blob store (sha256).
ALTER TABLE followup_evidence ADD COLUMN mime TEXT;

-- Keyed by the item's key and the activity's number rather than their rows' ids: an import
-- replaces those rows, and the history stays.
CREATE TABLE followup_updates (
    id               BIGSERIAL PRIMARY KEY,
    program_id       BIGINT NOT NULL REFERENCES followup_programs (id),
    item_key         TEXT    NOT NULL,
    activity         BIGINT NOT NULL,
    day              TEXT    NOT NULL,
    at               TEXT    NOT NULL,
    actor            TEXT    NOT NULL,
    progress_before  BIGINT NOT NULL CHECK (progress_before BETWEEN 0 AND 100),
    progress         BIGINT NOT NULL CHECK (progress BETWEEN 0 AND 100),
    note             TEXT    NOT NULL,
    evidence_name    TEXT,
    evidence_sha256  TEXT,
    closure          TEXT    CHECK (closure IN ('justified', 'not_attended')),
    closure_reason   TEXT
);
CREATE INDEX followup_updates_program ON followup_updates (program_id, id);

CREATE TABLE followup_rounds (
    program_id  BIGINT NOT NULL REFERENCES followup_programs (id),
    round       BIGINT NOT NULL CHECK (round IN (1, 2)),
    outcome     TEXT    NOT NULL CHECK (outcome IN ('concluded', 'second_round', 'escalated')),
    pending     BIGINT NOT NULL,
    day         TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    PRIMARY KEY (program_id, round)
);

CREATE TRIGGER followup_updates_append_only BEFORE UPDATE OR DELETE ON followup_updates
FOR EACH ROW EXECUTE FUNCTION turno_refuse_change('the follow-up history is append-only');
