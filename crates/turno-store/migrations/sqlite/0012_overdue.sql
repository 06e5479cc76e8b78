-- Work whose due date passed and was recorded (DeadlinePassed) is marked, so that the
-- scheduler's sweep looks only at work newly past due instead of reading every overdue case
-- again on every pass (and, with more than a batch of them, never reaching the new ones).
-- The mark follows the record: set by `deadline_passed`, cleared by `due_changed` (a new due
-- date counted from a changed field), as the engine does.
ALTER TABLE work_items ADD COLUMN overdue BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE work_items SET overdue = TRUE
WHERE state = 'open' AND EXISTS (
    SELECT 1 FROM events e
    WHERE e.case_id = work_items.case_id AND e.kind = 'deadline_passed'
      AND json_extract(e.payload, '$.item') = work_items.item
      AND NOT EXISTS (
          SELECT 1 FROM events d
          WHERE d.case_id = e.case_id AND d.kind = 'due_changed'
            AND json_extract(d.payload, '$.item') = work_items.item AND d.seq > e.seq));

CREATE TRIGGER events_follow_overdue AFTER INSERT ON events
FOR EACH ROW WHEN NEW.kind IN ('deadline_passed', 'due_changed')
BEGIN
    UPDATE work_items SET overdue = (NEW.kind = 'deadline_passed')
    WHERE case_id = NEW.case_id AND item = json_extract(NEW.payload, '$.item');
END;

DROP INDEX work_items_open_due;
CREATE INDEX work_items_open_due ON work_items (due) WHERE state = 'open' AND NOT overdue;
