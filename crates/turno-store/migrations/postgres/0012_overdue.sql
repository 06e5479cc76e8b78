-- Work whose due date passed and was recorded (DeadlinePassed) is marked, so that the
-- scheduler's sweep looks only at work newly past due instead of reading every overdue case
-- again on every pass (and, with more than a batch of them, never reaching the new ones).
-- The mark follows the record: set by `deadline_passed`, cleared by `due_changed` (a new due
-- date counted from a changed field), as the engine does.
ALTER TABLE work_items ADD COLUMN overdue BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE work_items w SET overdue = TRUE
WHERE w.state = 'open' AND EXISTS (
    SELECT 1 FROM events e
    WHERE e.case_id = w.case_id AND e.kind = 'deadline_passed'
      AND (e.payload::json ->> 'item')::bigint = w.item
      AND NOT EXISTS (
          SELECT 1 FROM events d
          WHERE d.case_id = e.case_id AND d.kind = 'due_changed'
            AND (d.payload::json ->> 'item')::bigint = w.item AND d.seq > e.seq));

CREATE FUNCTION turno_follow_overdue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE work_items SET overdue = (NEW.kind = 'deadline_passed')
    WHERE case_id = NEW.case_id AND item = (NEW.payload::json ->> 'item')::bigint;
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_follow_overdue AFTER INSERT ON events
FOR EACH ROW WHEN (NEW.kind IN ('deadline_passed', 'due_changed'))
EXECUTE FUNCTION turno_follow_overdue();

DROP INDEX work_items_open_due;
CREATE INDEX work_items_open_due ON work_items (due) WHERE state = 'open' AND NOT overdue;
