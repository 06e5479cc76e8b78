-- Outgoing documents signed with e.firma (docs/efirma.md): each signature verified by the
-- application before it is stored, in the transaction that signs the document. The signed
-- bytes (the unsigned document's PDF) are in the blob store under `digest`, their SHA-256.
CREATE TABLE outgoing_signatures (
    document_id  BIGINT NOT NULL REFERENCES outgoing_documents (id),
    -- The signer's place in the document's order of signers, from 1.
    ordinal      BIGINT NOT NULL,
    signer_login TEXT   NOT NULL,
    -- The certificate's holder (its common name), RFC and CURP, as verified.
    signer_name  TEXT   NOT NULL,
    rfc          TEXT,
    curp         TEXT,
    serial       TEXT   NOT NULL,
    issuer       TEXT   NOT NULL,
    certificate  BLOB  NOT NULL,
    -- The signing time the signature declares (not proof), and when the server verified it.
    claimed_time TEXT,
    verified_at  TEXT   NOT NULL,
    digest       TEXT   NOT NULL,
    cms          BLOB  NOT NULL,
    PRIMARY KEY (document_id, ordinal)
);
CREATE INDEX outgoing_signatures_digest ON outgoing_signatures (digest);

-- Each signed PDF issued (the document's PDF with its signature page), by its SHA-256, so that
-- the public verification page recognizes a copy uploaded.
CREATE TABLE outgoing_issued (
    sha256      TEXT   PRIMARY KEY,
    document_id BIGINT NOT NULL REFERENCES outgoing_documents (id),
    issued_at   TEXT   NOT NULL
);
