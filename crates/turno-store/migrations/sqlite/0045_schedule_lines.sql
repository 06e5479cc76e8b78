-- Schedules that open a line of a follow-up program instead of a case (issue 19; docs/recurring.md,
-- «Líneas de un programa»): the PTCI's quarterly report, a PAT's monthly progress report. Such a
-- schedule names its program in `program_key` (NULL: it opens cases of `procedure_key`, which is
-- then '' for a line's schedule, as migration 0041 made it NOT NULL); its `unit_code` is the
-- line's responsible unit, its `title` the line's text, `term_days` the activity's term, and
-- `fields` the line's other values by name (kind, activity, products…).
-- `schedule_lines` records each occurrence that opened a line, written in the same transaction
-- as the line, under the key unique per schedule and occurrence: however many `turno serve`
-- processes run the schedules at once, the second insert finds the first and its whole
-- transaction (the line too) is rolled back, as `schedule_occurrences` does for cases.
ALTER TABLE schedules ADD COLUMN program_key TEXT;

CREATE TABLE schedule_lines (
    schedule_id     BIGINT  NOT NULL REFERENCES schedules (id),
    occurrence      TEXT    NOT NULL,
    falls_on        TEXT    NOT NULL,
    program_key     TEXT    NOT NULL,
    item_key        TEXT    NOT NULL,
    opened_at       TEXT    NOT NULL,
    PRIMARY KEY (schedule_id, occurrence)
);
