-- The scheduler looks for open work past its due date on every sweep.
CREATE INDEX work_items_open_due ON work_items (due) WHERE state = 'open';
