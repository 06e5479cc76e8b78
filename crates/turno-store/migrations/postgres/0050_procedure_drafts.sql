-- Drafts of procedure definitions (issue 21, item 5; docs/manual-import.md, «En la aplicación»):
-- what an administrator uploaded (a manual of procedures, PDF or text, or a BPMN 2.0 file), the
-- source text it was read from (the manual's text, the BPMN XML), the draft definition (TOML)
-- as last saved, the review report of the import, who uploaded and who last changed it, its
-- state and, once published, the key and version it was published as (`procedure_versions`).
-- A manual with several procedures gives one draft each. The uploaded file is in the blob
-- store (`file_sha256`). Texts are checked by the application (`turno_app::limits`).
CREATE TABLE procedure_drafts (
    id                BIGSERIAL PRIMARY KEY,
    source_kind       TEXT    NOT NULL CHECK (source_kind IN ('manual', 'bpmn')),
    file_name         TEXT    NOT NULL,
    file_sha256       TEXT    NOT NULL,
    source_text       TEXT    NOT NULL,
    draft_key         TEXT    NOT NULL,
    definition        TEXT    NOT NULL,
    report            TEXT    NOT NULL,
    state             TEXT    NOT NULL DEFAULT 'borrador'
                              CHECK (state IN ('borrador', 'publicado', 'descartado')),
    created_by        TEXT    NOT NULL,
    created_at        TEXT    NOT NULL,
    changed_by        TEXT    NOT NULL,
    changed_at        TEXT    NOT NULL,
    published_key     TEXT,
    published_version BIGINT
);

CREATE INDEX procedure_drafts_state ON procedure_drafts (state, id);
