-- Whose extra non-working days the agency counts on: entries of one institution (IMSS, SSA)
-- or one state (QRO) apply only when the agency running Turno is that institution or in that
-- state. Kept beside the revision, so that every process builds the same calendars.
ALTER TABLE calendar_revision ADD COLUMN institution TEXT;
ALTER TABLE calendar_revision ADD COLUMN state TEXT;
