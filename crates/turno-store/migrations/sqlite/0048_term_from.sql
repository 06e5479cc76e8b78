-- The semáforo counts from the day a work item's term started, not from the day it opened
-- (docs/operations.md): a term counted from the presentation, a meeting or the case's start may
-- have run for weeks when its activity opens. `work_items.term_from` keeps that day (the `from`
-- of the item's due basis, for a term counted forward), so that the inbox reads the same colour
-- as the case page; NULL when the term runs from the opening.
--
-- Existing rows are filled from what is recorded: the basis of the item's latest `work_opened`,
-- `work_turned`, `due_changed` or `clock_resumed` event that has one counted forward. Events
-- recorded before the basis was (they carry none) cannot give it back: those items keep NULL,
-- and their semáforo falls back to the opening date, as before.
ALTER TABLE work_items ADD COLUMN term_from TEXT;

UPDATE work_items SET term_from = (
    SELECT json_extract(e.payload, '$.basis.from')
    FROM events e
    WHERE e.case_id = work_items.case_id
      AND e.kind IN ('work_opened', 'work_turned', 'due_changed', 'clock_resumed')
      AND json_extract(e.payload, '$.item') = work_items.item
      AND json_extract(e.payload, '$.basis.days') >= 0
    ORDER BY e.seq DESC
    LIMIT 1
);
