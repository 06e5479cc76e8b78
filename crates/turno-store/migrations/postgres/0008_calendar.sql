-- The yearly DOF agreements of días inhábiles (docs/calendar-data.md), as imported: one row
-- per [[days]] entry (first_day = last_day) or [[ranges]] period. Every turno serve process
-- builds its calendars from these rows.
CREATE TABLE calendar_entries (
    id           BIGSERIAL PRIMARY KEY,
    first_day    TEXT    NOT NULL,
    last_day     TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    -- 'lft', 'lfpa' or 'lft,lfpa'; NULL: both regimes.
    regimes      TEXT,
    institution  TEXT,
    state        TEXT,
    source       TEXT,
    -- The entry's content as text: importing the same entry again adds nothing.
    entry_key    TEXT    NOT NULL UNIQUE,
    file         TEXT    NOT NULL,
    imported_by  TEXT    NOT NULL,
    imported_at  TEXT    NOT NULL
);

-- Changes with every calendar change, so that each process can tell that its calendars are
-- stale by reading one number.
CREATE TABLE calendar_revision (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    revision  BIGINT  NOT NULL
);
INSERT INTO calendar_revision (id, revision) VALUES (1, 0);
