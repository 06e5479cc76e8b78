-- The database's own text rules (migration 0021's) on the texts people type into the tables of
-- migrations 0026 and 0028 (issue 17; those of 0025 carry them already): a unit's siglas and
-- numbering format, an outgoing document's subject, body, «en atención a», case folio and scan's
-- name, its addressees and copies and their acuses, the reasons on its history, a person's RFC
-- and CURP. The limits are turno-app's `limits.rs` (CODE, NUMBER_FORMAT, NAME, LETTER, FOLIO,
-- FILE_NAME, TEXT, RFC, CURP); line breaks and tabs only in the body and the reasons. A refusal
-- here is `Refusal::Text` naming its column (`text:<table>.<column>`), never a server error.
--
-- And the one-time key of the outgoing drafting form (`turno_web::forms::ONCE`): a draft keeps
-- the key it was sent with, unique, so that the same form sent twice drafts once.
-- SQLite cannot add a CHECK to a table: triggers before each insert and update refuse.

CREATE TRIGGER text_outgoing_numbering_siglas_insert BEFORE INSERT ON outgoing_numbering
WHEN NEW.siglas IS NOT NULL AND (length(NEW.siglas) > 40 OR instr(CAST(NEW.siglas AS BLOB), x'00') > 0 OR NEW.siglas GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_numbering.siglas');
END;

CREATE TRIGGER text_outgoing_numbering_siglas_update BEFORE UPDATE OF siglas ON outgoing_numbering
WHEN NEW.siglas IS NOT NULL AND (length(NEW.siglas) > 40 OR instr(CAST(NEW.siglas AS BLOB), x'00') > 0 OR NEW.siglas GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_numbering.siglas');
END;

CREATE TRIGGER text_outgoing_numbering_format_insert BEFORE INSERT ON outgoing_numbering
WHEN NEW.format IS NOT NULL AND (length(NEW.format) > 60 OR instr(CAST(NEW.format AS BLOB), x'00') > 0 OR NEW.format GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_numbering.format');
END;

CREATE TRIGGER text_outgoing_numbering_format_update BEFORE UPDATE OF format ON outgoing_numbering
WHEN NEW.format IS NOT NULL AND (length(NEW.format) > 60 OR instr(CAST(NEW.format AS BLOB), x'00') > 0 OR NEW.format GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_numbering.format');
END;

CREATE TRIGGER text_outgoing_documents_subject_insert BEFORE INSERT ON outgoing_documents
WHEN NEW.subject IS NOT NULL AND (length(NEW.subject) > 300 OR instr(CAST(NEW.subject AS BLOB), x'00') > 0 OR NEW.subject GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_documents.subject');
END;

CREATE TRIGGER text_outgoing_documents_subject_update BEFORE UPDATE OF subject ON outgoing_documents
WHEN NEW.subject IS NOT NULL AND (length(NEW.subject) > 300 OR instr(CAST(NEW.subject AS BLOB), x'00') > 0 OR NEW.subject GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_documents.subject');
END;

CREATE TRIGGER text_outgoing_documents_body_insert BEFORE INSERT ON outgoing_documents
WHEN NEW.body IS NOT NULL AND (length(NEW.body) > 20000 OR instr(CAST(NEW.body AS BLOB), x'00') > 0 OR NEW.body GLOB '*[' || char(1) || '-' || char(8) || char(11) || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_documents.body');
END;

CREATE TRIGGER text_outgoing_documents_body_update BEFORE UPDATE OF body ON outgoing_documents
WHEN NEW.body IS NOT NULL AND (length(NEW.body) > 20000 OR instr(CAST(NEW.body AS BLOB), x'00') > 0 OR NEW.body GLOB '*[' || char(1) || '-' || char(8) || char(11) || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_documents.body');
END;

CREATE TRIGGER text_outgoing_documents_attention_to_insert BEFORE INSERT ON outgoing_documents
WHEN NEW.attention_to IS NOT NULL AND (length(NEW.attention_to) > 300 OR instr(CAST(NEW.attention_to AS BLOB), x'00') > 0 OR NEW.attention_to GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_documents.attention_to');
END;

CREATE TRIGGER text_outgoing_documents_attention_to_update BEFORE UPDATE OF attention_to ON outgoing_documents
WHEN NEW.attention_to IS NOT NULL AND (length(NEW.attention_to) > 300 OR instr(CAST(NEW.attention_to AS BLOB), x'00') > 0 OR NEW.attention_to GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_documents.attention_to');
END;

CREATE TRIGGER text_outgoing_documents_case_folio_insert BEFORE INSERT ON outgoing_documents
WHEN NEW.case_folio IS NOT NULL AND (length(NEW.case_folio) > 20 OR instr(CAST(NEW.case_folio AS BLOB), x'00') > 0 OR NEW.case_folio GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_documents.case_folio');
END;

CREATE TRIGGER text_outgoing_documents_case_folio_update BEFORE UPDATE OF case_folio ON outgoing_documents
WHEN NEW.case_folio IS NOT NULL AND (length(NEW.case_folio) > 20 OR instr(CAST(NEW.case_folio AS BLOB), x'00') > 0 OR NEW.case_folio GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_documents.case_folio');
END;

CREATE TRIGGER text_outgoing_documents_scan_name_insert BEFORE INSERT ON outgoing_documents
WHEN NEW.scan_name IS NOT NULL AND (length(NEW.scan_name) > 200 OR instr(CAST(NEW.scan_name AS BLOB), x'00') > 0 OR NEW.scan_name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_documents.scan_name');
END;

CREATE TRIGGER text_outgoing_documents_scan_name_update BEFORE UPDATE OF scan_name ON outgoing_documents
WHEN NEW.scan_name IS NOT NULL AND (length(NEW.scan_name) > 200 OR instr(CAST(NEW.scan_name AS BLOB), x'00') > 0 OR NEW.scan_name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_documents.scan_name');
END;

CREATE TRIGGER text_outgoing_recipients_name_insert BEFORE INSERT ON outgoing_recipients
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_recipients.name');
END;

CREATE TRIGGER text_outgoing_recipients_name_update BEFORE UPDATE OF name ON outgoing_recipients
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_recipients.name');
END;

CREATE TRIGGER text_outgoing_recipients_title_insert BEFORE INSERT ON outgoing_recipients
WHEN NEW.title IS NOT NULL AND (length(NEW.title) > 300 OR instr(CAST(NEW.title AS BLOB), x'00') > 0 OR NEW.title GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_recipients.title');
END;

CREATE TRIGGER text_outgoing_recipients_title_update BEFORE UPDATE OF title ON outgoing_recipients
WHEN NEW.title IS NOT NULL AND (length(NEW.title) > 300 OR instr(CAST(NEW.title AS BLOB), x'00') > 0 OR NEW.title GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_recipients.title');
END;

CREATE TRIGGER text_outgoing_recipients_institution_insert BEFORE INSERT ON outgoing_recipients
WHEN NEW.institution IS NOT NULL AND (length(NEW.institution) > 300 OR instr(CAST(NEW.institution AS BLOB), x'00') > 0 OR NEW.institution GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_recipients.institution');
END;

CREATE TRIGGER text_outgoing_recipients_institution_update BEFORE UPDATE OF institution ON outgoing_recipients
WHEN NEW.institution IS NOT NULL AND (length(NEW.institution) > 300 OR instr(CAST(NEW.institution AS BLOB), x'00') > 0 OR NEW.institution GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_recipients.institution');
END;

CREATE TRIGGER text_outgoing_recipients_acuse_by_insert BEFORE INSERT ON outgoing_recipients
WHEN NEW.acuse_by IS NOT NULL AND (length(NEW.acuse_by) > 300 OR instr(CAST(NEW.acuse_by AS BLOB), x'00') > 0 OR NEW.acuse_by GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_recipients.acuse_by');
END;

CREATE TRIGGER text_outgoing_recipients_acuse_by_update BEFORE UPDATE OF acuse_by ON outgoing_recipients
WHEN NEW.acuse_by IS NOT NULL AND (length(NEW.acuse_by) > 300 OR instr(CAST(NEW.acuse_by AS BLOB), x'00') > 0 OR NEW.acuse_by GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_recipients.acuse_by');
END;

CREATE TRIGGER text_outgoing_recipients_acuse_name_insert BEFORE INSERT ON outgoing_recipients
WHEN NEW.acuse_name IS NOT NULL AND (length(NEW.acuse_name) > 200 OR instr(CAST(NEW.acuse_name AS BLOB), x'00') > 0 OR NEW.acuse_name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_recipients.acuse_name');
END;

CREATE TRIGGER text_outgoing_recipients_acuse_name_update BEFORE UPDATE OF acuse_name ON outgoing_recipients
WHEN NEW.acuse_name IS NOT NULL AND (length(NEW.acuse_name) > 200 OR instr(CAST(NEW.acuse_name AS BLOB), x'00') > 0 OR NEW.acuse_name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_recipients.acuse_name');
END;

CREATE TRIGGER text_outgoing_steps_reason_insert BEFORE INSERT ON outgoing_steps
WHEN NEW.reason IS NOT NULL AND (length(NEW.reason) > 4000 OR instr(CAST(NEW.reason AS BLOB), x'00') > 0 OR NEW.reason GLOB '*[' || char(1) || '-' || char(8) || char(11) || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_steps.reason');
END;

CREATE TRIGGER text_outgoing_steps_reason_update BEFORE UPDATE OF reason ON outgoing_steps
WHEN NEW.reason IS NOT NULL AND (length(NEW.reason) > 4000 OR instr(CAST(NEW.reason AS BLOB), x'00') > 0 OR NEW.reason GLOB '*[' || char(1) || '-' || char(8) || char(11) || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:outgoing_steps.reason');
END;

CREATE TRIGGER text_users_rfc_insert BEFORE INSERT ON users
WHEN NEW.rfc IS NOT NULL AND (length(NEW.rfc) > 13 OR instr(CAST(NEW.rfc AS BLOB), x'00') > 0 OR NEW.rfc GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:users.rfc');
END;

CREATE TRIGGER text_users_rfc_update BEFORE UPDATE OF rfc ON users
WHEN NEW.rfc IS NOT NULL AND (length(NEW.rfc) > 13 OR instr(CAST(NEW.rfc AS BLOB), x'00') > 0 OR NEW.rfc GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:users.rfc');
END;

CREATE TRIGGER text_users_curp_insert BEFORE INSERT ON users
WHEN NEW.curp IS NOT NULL AND (length(NEW.curp) > 18 OR instr(CAST(NEW.curp AS BLOB), x'00') > 0 OR NEW.curp GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:users.curp');
END;

CREATE TRIGGER text_users_curp_update BEFORE UPDATE OF curp ON users
WHEN NEW.curp IS NOT NULL AND (length(NEW.curp) > 18 OR instr(CAST(NEW.curp AS BLOB), x'00') > 0 OR NEW.curp GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:users.curp');
END;

ALTER TABLE outgoing_documents ADD COLUMN draft_key TEXT;
CREATE UNIQUE INDEX outgoing_documents_draft_key ON outgoing_documents (draft_key);
