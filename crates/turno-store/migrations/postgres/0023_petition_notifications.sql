-- A notification may be about a citizen petition instead of a case: the people of the attention
-- units are told in Turno of a petition filed through the public mailbox. `case_id` may now be
-- empty when `petition` (the petition's folio) is given; exactly one of them is.
ALTER TABLE notifications ALTER COLUMN case_id DROP NOT NULL;
ALTER TABLE notifications ADD COLUMN petition TEXT;
ALTER TABLE notifications ADD CONSTRAINT notifications_about
    CHECK ((case_id IS NULL) <> (petition IS NULL));
