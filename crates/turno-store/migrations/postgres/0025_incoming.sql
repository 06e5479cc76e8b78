-- Incoming correspondence (issue 17, docs/correspondence.md): each document registered at the
-- oficialía de partes or a unit's own window, with its folio CE-AAAA-NNNNNN counted per year in
-- folio_counters (scope «CE») without gaps; the earlier documents it answers («en atención a»);
-- its scanned document and annexes in the blob store by SHA-256; and its turns to units, each
-- with an instruction and a term, reassigned below (`parent`), answered, read, returned with a
-- reason or withdrawn: a turn closes once (its status leaves «abierto» once) and keeps who closed
-- it, when and why. Typed texts are bounded and clean here too, as migration 0021's.
CREATE TABLE incoming_documents (
    folio_year          BIGINT NOT NULL,
    folio_number        BIGINT NOT NULL,
    kind                TEXT   NOT NULL,
    sender_kind         TEXT   NOT NULL,
    sender_name         TEXT   NOT NULL CONSTRAINT "text:incoming_documents.sender_name" CHECK (char_length(sender_name) <= 300 AND sender_name !~ '[\u0001-\u001F\u007F-\u009F]'),
    sender_position     TEXT   NOT NULL CONSTRAINT "text:incoming_documents.sender_position" CHECK (char_length(sender_position) <= 300 AND sender_position !~ '[\u0001-\u001F\u007F-\u009F]'),
    sender_organization TEXT   NOT NULL CONSTRAINT "text:incoming_documents.sender_organization" CHECK (char_length(sender_organization) <= 300 AND sender_organization !~ '[\u0001-\u001F\u007F-\u009F]'),
    their_number        TEXT            CONSTRAINT "text:incoming_documents.their_number" CHECK (char_length(their_number) <= 60 AND their_number !~ '[\u0001-\u001F\u007F-\u009F]'),
    their_date          TEXT,
    received_at         TEXT   NOT NULL,
    subject             TEXT   NOT NULL CONSTRAINT "text:incoming_documents.subject" CHECK (char_length(subject) <= 300 AND subject !~ '[\u0001-\u001F\u007F-\u009F]'),
    summary             TEXT   NOT NULL CONSTRAINT "text:incoming_documents.summary" CHECK (char_length(summary) <= 4000 AND summary !~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]'),
    priority            TEXT   NOT NULL,
    classification      TEXT   NOT NULL,
    annexes             BIGINT NOT NULL CHECK (annexes BETWEEN 0 AND 999),
    term_days           BIGINT CHECK (term_days BETWEEN 1 AND 250),
    due_date            TEXT,
    unit                TEXT   NOT NULL REFERENCES units (code),
    registered_by       TEXT   NOT NULL,
    registered_at       TEXT   NOT NULL,
    case_folio          TEXT,
    PRIMARY KEY (folio_year, folio_number)
);
CREATE INDEX incoming_documents_unit ON incoming_documents (unit, received_at);

CREATE TABLE incoming_links (
    folio_year      BIGINT NOT NULL,
    folio_number    BIGINT NOT NULL,
    earlier_year    BIGINT NOT NULL,
    earlier_number  BIGINT NOT NULL,
    PRIMARY KEY (folio_year, folio_number, earlier_year, earlier_number),
    FOREIGN KEY (folio_year, folio_number) REFERENCES incoming_documents (folio_year, folio_number),
    FOREIGN KEY (earlier_year, earlier_number) REFERENCES incoming_documents (folio_year, folio_number)
);

CREATE TABLE incoming_attachments (
    folio_year    BIGINT NOT NULL,
    folio_number  BIGINT NOT NULL,
    position      BIGINT NOT NULL,
    sha256        TEXT   NOT NULL,
    name          TEXT   NOT NULL CONSTRAINT "text:incoming_attachments.name" CHECK (char_length(name) <= 300 AND name !~ '[\u0001-\u001F\u007F-\u009F]'),
    media_type    TEXT   NOT NULL,
    size          BIGINT NOT NULL,
    PRIMARY KEY (folio_year, folio_number, position),
    FOREIGN KEY (folio_year, folio_number) REFERENCES incoming_documents (folio_year, folio_number)
);

CREATE TABLE incoming_turns (
    id            BIGSERIAL PRIMARY KEY,
    folio_year    BIGINT NOT NULL,
    folio_number  BIGINT NOT NULL,
    parent        BIGINT REFERENCES incoming_turns (id),
    from_unit     TEXT   NOT NULL REFERENCES units (code),
    unit          TEXT   NOT NULL REFERENCES units (code),
    instruction   TEXT   NOT NULL,
    note          TEXT   NOT NULL CONSTRAINT "text:incoming_turns.note" CHECK (char_length(note) <= 4000 AND note !~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]'),
    term_days     BIGINT CHECK (term_days BETWEEN 1 AND 250),
    due_date      TEXT,
    turned_by     TEXT   NOT NULL,
    turned_at     TEXT   NOT NULL,
    status        TEXT   NOT NULL DEFAULT 'abierto',
    closed_by     TEXT,
    closed_at     TEXT,
    reason        TEXT            CONSTRAINT "text:incoming_turns.reason" CHECK (char_length(reason) <= 4000 AND reason !~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]'),
    FOREIGN KEY (folio_year, folio_number) REFERENCES incoming_documents (folio_year, folio_number),
    CHECK ((status = 'abierto') = (closed_at IS NULL))
);
CREATE INDEX incoming_turns_document ON incoming_turns (folio_year, folio_number);
CREATE INDEX incoming_turns_unit ON incoming_turns (unit, status);

