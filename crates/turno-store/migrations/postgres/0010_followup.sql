-- Follow-up programs (issue 8): a program (the Programa de ASM of a year…) has items
-- (recommendations, aspects, agreements, commitments), an item has activities, an activity
-- has its evidence. An import replaces a program's items whole, in one transaction, and is
-- recorded on the audit log; the program's key is what people name it by.
CREATE TABLE followup_programs (
    id             BIGSERIAL PRIMARY KEY,
    key            TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    prepared_by    TEXT,
    authorized_by  TEXT,
    CHECK ((prepared_by IS NULL) = (authorized_by IS NULL))
);

-- One row per item, in the program's order (seq). The columns after `case_folio` belong to
-- one kind each: a recommendation's evaluation year and acceptance, an aspect's document,
-- period, products, coordinating area and the recommendations it attends (a JSON array).
CREATE TABLE followup_items (
    id                BIGSERIAL PRIMARY KEY,
    program_id        BIGINT  NOT NULL REFERENCES followup_programs (id),
    seq               BIGINT  NOT NULL,
    kind              TEXT    NOT NULL
                      CHECK (kind IN ('recommendation', 'aspect', 'agreement', 'commitment')),
    number            BIGINT  NOT NULL,
    text              TEXT    NOT NULL,
    expected_results  TEXT,
    case_folio        TEXT,
    management        TEXT,
    evaluation_year   BIGINT,
    accepted          BOOLEAN,
    justified_by      BIGINT,
    justification     TEXT,
    document          TEXT,
    start_date        TEXT,
    end_date          TEXT,
    products          TEXT,
    coordinator       TEXT,
    recommendations   TEXT,
    UNIQUE (program_id, seq)
);

-- Responsible areas are a JSON array; `closure` is how an activity was closed without being
-- done ('justified' or 'not_attended', with its reason).
CREATE TABLE followup_activities (
    id              BIGSERIAL PRIMARY KEY,
    item_id         BIGINT  NOT NULL REFERENCES followup_items (id),
    seq             BIGINT  NOT NULL,
    number          BIGINT  NOT NULL,
    description     TEXT    NOT NULL,
    start_date      TEXT    NOT NULL,
    end_date        TEXT    NOT NULL,
    products        TEXT    NOT NULL,
    responsible     TEXT    NOT NULL,
    progress        BIGINT  NOT NULL CHECK (progress BETWEEN 0 AND 100),
    closure         TEXT    CHECK (closure IN ('justified', 'not_attended')),
    closure_reason  TEXT,
    CHECK (end_date >= start_date),
    UNIQUE (item_id, seq)
);

-- Evidence of an activity by name, as the tables list it; `sha256` ties it to a stored file
-- (the blob store, as a case's documents) once one is attached.
CREATE TABLE followup_evidence (
    activity_id  BIGINT  NOT NULL REFERENCES followup_activities (id),
    seq          BIGINT  NOT NULL,
    name         TEXT    NOT NULL,
    sha256       TEXT,
    PRIMARY KEY (activity_id, seq)
);
