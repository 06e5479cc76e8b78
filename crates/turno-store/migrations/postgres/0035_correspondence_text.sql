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
-- NOT VALID: rows stored before are not re-read; every new or changed row is checked.
ALTER TABLE outgoing_numbering ADD CONSTRAINT "text:outgoing_numbering.siglas"
    CHECK (char_length(siglas) <= 40 AND siglas !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE outgoing_numbering ADD CONSTRAINT "text:outgoing_numbering.format"
    CHECK (char_length(format) <= 60 AND format !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE outgoing_documents ADD CONSTRAINT "text:outgoing_documents.subject"
    CHECK (char_length(subject) <= 300 AND subject !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE outgoing_documents ADD CONSTRAINT "text:outgoing_documents.body"
    CHECK (char_length(body) <= 20000 AND body !~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE outgoing_documents ADD CONSTRAINT "text:outgoing_documents.attention_to"
    CHECK (char_length(attention_to) <= 300 AND attention_to !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE outgoing_documents ADD CONSTRAINT "text:outgoing_documents.case_folio"
    CHECK (char_length(case_folio) <= 20 AND case_folio !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE outgoing_documents ADD CONSTRAINT "text:outgoing_documents.scan_name"
    CHECK (char_length(scan_name) <= 200 AND scan_name !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE outgoing_recipients ADD CONSTRAINT "text:outgoing_recipients.name"
    CHECK (char_length(name) <= 300 AND name !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE outgoing_recipients ADD CONSTRAINT "text:outgoing_recipients.title"
    CHECK (char_length(title) <= 300 AND title !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE outgoing_recipients ADD CONSTRAINT "text:outgoing_recipients.institution"
    CHECK (char_length(institution) <= 300 AND institution !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE outgoing_recipients ADD CONSTRAINT "text:outgoing_recipients.acuse_by"
    CHECK (char_length(acuse_by) <= 300 AND acuse_by !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE outgoing_recipients ADD CONSTRAINT "text:outgoing_recipients.acuse_name"
    CHECK (char_length(acuse_name) <= 200 AND acuse_name !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE outgoing_steps ADD CONSTRAINT "text:outgoing_steps.reason"
    CHECK (char_length(reason) <= 4000 AND reason !~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE users ADD CONSTRAINT "text:users.rfc"
    CHECK (char_length(rfc) <= 13 AND rfc !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE users ADD CONSTRAINT "text:users.curp"
    CHECK (char_length(curp) <= 18 AND curp !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;

ALTER TABLE outgoing_documents ADD COLUMN draft_key TEXT;
CREATE UNIQUE INDEX outgoing_documents_draft_key ON outgoing_documents (draft_key);
