-- Several signers of an outgoing document, in order (issue 18, docs/efirma.md): the people its
-- drafter chose to sign it with e.firma, one after another; the document is signed (and takes its
-- number) with the last one's signature. None: its unit's titular signs alone, as before. Each
-- signature is a row of outgoing_signatures (migration 0033) with the signer's `ordinal`; the
-- ones before the last are stored while the document is still unnumbered. A login is a person's
-- (no control characters, at most 64 characters, as turno-app's `limits::LOGIN`).
CREATE TABLE outgoing_signers (
    document_id  BIGINT NOT NULL REFERENCES outgoing_documents (id),
    ordinal      BIGINT NOT NULL,
    login        TEXT   NOT NULL,
    PRIMARY KEY (document_id, ordinal)
);

CREATE TRIGGER text_outgoing_signers_login_insert BEFORE INSERT ON outgoing_signers
WHEN NEW.login IS NOT NULL AND (length(NEW.login) > 64 OR instr(CAST(NEW.login AS BLOB), x'00') > 0 OR NEW.login GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_signers.login');
END;
