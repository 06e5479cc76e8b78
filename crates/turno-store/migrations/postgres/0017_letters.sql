-- Petitions that arrived in writing (procedure 98): who sent the oficio, its number and date,
-- and the scanned document, kept in the blob store by its SHA-256.
CREATE TABLE petition_letters (
    folio_year       BIGINT NOT NULL,
    folio_number     BIGINT NOT NULL,
    sender           TEXT   NOT NULL,
    reference        TEXT   NOT NULL,
    dated            TEXT   NOT NULL,
    document_sha256  TEXT   NOT NULL,
    document_name    TEXT   NOT NULL,
    PRIMARY KEY (folio_year, folio_number)
);
