-- Events as a versioned contract (docs/event-versions.md): the version of the stored form each
-- event's payload is written in. Every event recorded before has the first version, whose
-- text is the one its hash covers.
ALTER TABLE events ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1;
