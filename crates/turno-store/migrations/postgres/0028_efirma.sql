-- e.firma (docs/efirma.md): the certification authorities' certificates trusted (trust anchors)
-- and their revocation lists, as the files an administrator imported (DER), under their
-- SHA-256, so that every `turno serve` process verifies against the same. The application
-- checks a file before it is stored; a list is kept beside the older ones of its authority.
CREATE TABLE trust_material (
    fingerprint TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('anchor', 'crl')),
    name        TEXT NOT NULL,
    der         BYTEA NOT NULL
);

-- A person's RFC and CURP: the e.firma they sign with must carry the same.
ALTER TABLE users ADD COLUMN rfc TEXT;
ALTER TABLE users ADD COLUMN curp TEXT;
