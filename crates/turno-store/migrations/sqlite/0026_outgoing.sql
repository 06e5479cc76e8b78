-- Outgoing correspondence (issue 17, item 3; docs/correspondence.md): the documents a unit
-- issues, their addressees and copies, the reviewers it chose, every step taken on them, and
-- their numbers. A number is taken when the document is signed, in the same transaction, from
-- the counter row of its unit and year (`outgoing_counters`), so numbers have no gaps; the
-- unique key on (unit, year, consecutive) makes a duplicate impossible even by mistake.

-- How a unit numbers what it issues: its siglas and its format (`NumberFormat`). A unit with
-- no row numbers with its code as siglas and the default format.
CREATE TABLE outgoing_numbering (
    unit_id     BIGINT PRIMARY KEY REFERENCES units (id),
    siglas      TEXT   NOT NULL,
    format      TEXT   NOT NULL,
    changed_by  TEXT   NOT NULL,
    changed_at  TEXT   NOT NULL
);

CREATE TABLE outgoing_counters (
    unit_id  BIGINT NOT NULL REFERENCES units (id),
    year     BIGINT NOT NULL,
    last     BIGINT NOT NULL,
    PRIMARY KEY (unit_id, year)
);

CREATE TABLE outgoing_documents (
    id               INTEGER PRIMARY KEY,
    unit_id          BIGINT NOT NULL REFERENCES units (id),
    kind             TEXT   NOT NULL,
    stage            TEXT   NOT NULL,
    subject          TEXT   NOT NULL,
    body             TEXT   NOT NULL,
    attention_to     TEXT,
    case_folio       TEXT,
    -- The reviewer whose visto bueno is awaited (0 = the first) while in review.
    review_at        BIGINT NOT NULL DEFAULT 0,
    version          BIGINT NOT NULL DEFAULT 0,
    number_year      BIGINT,
    number_n         BIGINT,
    number           TEXT,
    signed_by        TEXT,
    signed_at        TEXT,
    scan_sha256      TEXT,
    scan_name        TEXT,
    created_by       TEXT   NOT NULL,
    created_at       TEXT   NOT NULL,
    UNIQUE (unit_id, number_year, number_n),
    CHECK ((number_n IS NULL) = (number IS NULL))
);
CREATE INDEX outgoing_documents_unit ON outgoing_documents (unit_id, stage);
CREATE INDEX outgoing_documents_case ON outgoing_documents (case_folio);

-- Addressees (`is_copy` false) and copies (c.c.p.), in order: a unit of the organization, or an
-- outside person with their position and institution. `acuse_*` is the acknowledgement:
-- automatic (by «sistema») for a unit at dispatch, recorded with its scan for the others.
CREATE TABLE outgoing_recipients (
    document_id     BIGINT  NOT NULL REFERENCES outgoing_documents (id),
    ordinal         BIGINT  NOT NULL,
    is_copy         BOOLEAN NOT NULL,
    unit_code       TEXT,
    name            TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    institution     TEXT    NOT NULL,
    acuse_on        TEXT,
    acuse_by        TEXT,
    acuse_sha256    TEXT,
    acuse_name      TEXT,
    acuse_recorded  TEXT,
    PRIMARY KEY (document_id, ordinal)
);

CREATE TABLE outgoing_reviewers (
    document_id  BIGINT NOT NULL REFERENCES outgoing_documents (id),
    ordinal      BIGINT NOT NULL,
    login        TEXT   NOT NULL,
    PRIMARY KEY (document_id, ordinal)
);

-- Every step, in order: who, when, and the reason of a return or a cancellation.
CREATE TABLE outgoing_steps (
    document_id  BIGINT NOT NULL REFERENCES outgoing_documents (id),
    seq          BIGINT NOT NULL,
    step         TEXT   NOT NULL,
    stage        TEXT   NOT NULL,
    by_login     TEXT   NOT NULL,
    taken_at     TEXT   NOT NULL,
    reason       TEXT,
    PRIMARY KEY (document_id, seq)
);
