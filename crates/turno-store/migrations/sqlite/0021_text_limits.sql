-- Texts people type, bounded and clean in the store itself (issue 16, hole 7; issue 15, item 4):
-- whatever edge a text comes through, a column people fill refuses control characters (line
-- breaks and tabs only in texts of several lines) and more characters than turno-app's
-- `limits.rs` (and the domain's petition limits) allow. The application refuses them first,
-- each by its field; a refusal here (constraint or trigger «text_<table>_<column>») is mapped by
-- the store to `Refusal::Text`, a problem of that field, never a server error.

-- SQLite cannot add a CHECK to a table: triggers before each insert and update refuse.

CREATE TRIGGER text_cases_title_insert BEFORE INSERT ON cases
WHEN NEW.title IS NOT NULL AND (length(NEW.title) > 300 OR instr(CAST(NEW.title AS BLOB), x'00') > 0 OR NEW.title GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:cases.title');
END;

CREATE TRIGGER text_cases_title_update BEFORE UPDATE OF title ON cases
WHEN NEW.title IS NOT NULL AND (length(NEW.title) > 300 OR instr(CAST(NEW.title AS BLOB), x'00') > 0 OR NEW.title GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:cases.title');
END;

CREATE TRIGGER text_cases_channel_insert BEFORE INSERT ON cases
WHEN NEW.channel IS NOT NULL AND (length(NEW.channel) > 300 OR instr(CAST(NEW.channel AS BLOB), x'00') > 0 OR NEW.channel GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:cases.channel');
END;

CREATE TRIGGER text_cases_channel_update BEFORE UPDATE OF channel ON cases
WHEN NEW.channel IS NOT NULL AND (length(NEW.channel) > 300 OR instr(CAST(NEW.channel AS BLOB), x'00') > 0 OR NEW.channel GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:cases.channel');
END;

CREATE TRIGGER text_cases_requester_insert BEFORE INSERT ON cases
WHEN NEW.requester IS NOT NULL AND (length(NEW.requester) > 300 OR instr(CAST(NEW.requester AS BLOB), x'00') > 0 OR NEW.requester GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:cases.requester');
END;

CREATE TRIGGER text_cases_requester_update BEFORE UPDATE OF requester ON cases
WHEN NEW.requester IS NOT NULL AND (length(NEW.requester) > 300 OR instr(CAST(NEW.requester AS BLOB), x'00') > 0 OR NEW.requester GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:cases.requester');
END;

CREATE TRIGGER text_petitions_narrative_insert BEFORE INSERT ON petitions
WHEN NEW.narrative IS NOT NULL AND (length(NEW.narrative) > 5000 OR instr(CAST(NEW.narrative AS BLOB), x'00') > 0 OR NEW.narrative GLOB '*[' || char(1) || '-' || char(8) || char(11) || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:petitions.narrative');
END;

CREATE TRIGGER text_petitions_narrative_update BEFORE UPDATE OF narrative ON petitions
WHEN NEW.narrative IS NOT NULL AND (length(NEW.narrative) > 5000 OR instr(CAST(NEW.narrative AS BLOB), x'00') > 0 OR NEW.narrative GLOB '*[' || char(1) || '-' || char(8) || char(11) || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:petitions.narrative');
END;

CREATE TRIGGER text_petitions_health_unit_insert BEFORE INSERT ON petitions
WHEN NEW.health_unit IS NOT NULL AND (length(NEW.health_unit) > 300 OR instr(CAST(NEW.health_unit AS BLOB), x'00') > 0 OR NEW.health_unit GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:petitions.health_unit');
END;

CREATE TRIGGER text_petitions_health_unit_update BEFORE UPDATE OF health_unit ON petitions
WHEN NEW.health_unit IS NOT NULL AND (length(NEW.health_unit) > 300 OR instr(CAST(NEW.health_unit AS BLOB), x'00') > 0 OR NEW.health_unit GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:petitions.health_unit');
END;

CREATE TRIGGER text_petitions_name_insert BEFORE INSERT ON petitions
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:petitions.name');
END;

CREATE TRIGGER text_petitions_name_update BEFORE UPDATE OF name ON petitions
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:petitions.name');
END;

CREATE TRIGGER text_petitions_address_insert BEFORE INSERT ON petitions
WHEN NEW.address IS NOT NULL AND (length(NEW.address) > 300 OR instr(CAST(NEW.address AS BLOB), x'00') > 0 OR NEW.address GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:petitions.address');
END;

CREATE TRIGGER text_petitions_address_update BEFORE UPDATE OF address ON petitions
WHEN NEW.address IS NOT NULL AND (length(NEW.address) > 300 OR instr(CAST(NEW.address AS BLOB), x'00') > 0 OR NEW.address GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:petitions.address');
END;

CREATE TRIGGER text_petitions_answer_insert BEFORE INSERT ON petitions
WHEN NEW.answer IS NOT NULL AND (length(NEW.answer) > 5000 OR instr(CAST(NEW.answer AS BLOB), x'00') > 0 OR NEW.answer GLOB '*[' || char(1) || '-' || char(8) || char(11) || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:petitions.answer');
END;

CREATE TRIGGER text_petitions_answer_update BEFORE UPDATE OF answer ON petitions
WHEN NEW.answer IS NOT NULL AND (length(NEW.answer) > 5000 OR instr(CAST(NEW.answer AS BLOB), x'00') > 0 OR NEW.answer GLOB '*[' || char(1) || '-' || char(8) || char(11) || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:petitions.answer');
END;

CREATE TRIGGER text_petition_responses_answer_insert BEFORE INSERT ON petition_responses
WHEN NEW.answer IS NOT NULL AND (length(NEW.answer) > 5000 OR instr(CAST(NEW.answer AS BLOB), x'00') > 0 OR NEW.answer GLOB '*[' || char(1) || '-' || char(8) || char(11) || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:petition_responses.answer');
END;

CREATE TRIGGER text_petition_responses_answer_update BEFORE UPDATE OF answer ON petition_responses
WHEN NEW.answer IS NOT NULL AND (length(NEW.answer) > 5000 OR instr(CAST(NEW.answer AS BLOB), x'00') > 0 OR NEW.answer GLOB '*[' || char(1) || '-' || char(8) || char(11) || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:petition_responses.answer');
END;

CREATE TRIGGER text_petition_responses_review_observations_insert BEFORE INSERT ON petition_responses
WHEN NEW.review_observations IS NOT NULL AND (length(NEW.review_observations) > 5000 OR instr(CAST(NEW.review_observations AS BLOB), x'00') > 0 OR NEW.review_observations GLOB '*[' || char(1) || '-' || char(8) || char(11) || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:petition_responses.review_observations');
END;

CREATE TRIGGER text_petition_responses_review_observations_update BEFORE UPDATE OF review_observations ON petition_responses
WHEN NEW.review_observations IS NOT NULL AND (length(NEW.review_observations) > 5000 OR instr(CAST(NEW.review_observations AS BLOB), x'00') > 0 OR NEW.review_observations GLOB '*[' || char(1) || '-' || char(8) || char(11) || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:petition_responses.review_observations');
END;

CREATE TRIGGER text_users_login_insert BEFORE INSERT ON users
WHEN NEW.login IS NOT NULL AND (length(NEW.login) > 64 OR instr(CAST(NEW.login AS BLOB), x'00') > 0 OR NEW.login GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:users.login');
END;

CREATE TRIGGER text_users_login_update BEFORE UPDATE OF login ON users
WHEN NEW.login IS NOT NULL AND (length(NEW.login) > 64 OR instr(CAST(NEW.login AS BLOB), x'00') > 0 OR NEW.login GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:users.login');
END;

CREATE TRIGGER text_users_name_insert BEFORE INSERT ON users
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:users.name');
END;

CREATE TRIGGER text_users_name_update BEFORE UPDATE OF name ON users
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:users.name');
END;

CREATE TRIGGER text_units_code_insert BEFORE INSERT ON units
WHEN NEW.code IS NOT NULL AND (length(NEW.code) > 40 OR instr(CAST(NEW.code AS BLOB), x'00') > 0 OR NEW.code GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:units.code');
END;

CREATE TRIGGER text_units_code_update BEFORE UPDATE OF code ON units
WHEN NEW.code IS NOT NULL AND (length(NEW.code) > 40 OR instr(CAST(NEW.code AS BLOB), x'00') > 0 OR NEW.code GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:units.code');
END;

CREATE TRIGGER text_units_name_insert BEFORE INSERT ON units
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:units.name');
END;

CREATE TRIGGER text_units_name_update BEFORE UPDATE OF name ON units
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:units.name');
END;

CREATE TRIGGER text_unit_forms_name_insert BEFORE INSERT ON unit_forms
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:unit_forms.name');
END;

CREATE TRIGGER text_unit_forms_name_update BEFORE UPDATE OF name ON unit_forms
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:unit_forms.name');
END;

CREATE TRIGGER text_motives_code_insert BEFORE INSERT ON motives
WHEN NEW.code IS NOT NULL AND (length(NEW.code) > 40 OR instr(CAST(NEW.code AS BLOB), x'00') > 0 OR NEW.code GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:motives.code');
END;

CREATE TRIGGER text_motives_code_update BEFORE UPDATE OF code ON motives
WHEN NEW.code IS NOT NULL AND (length(NEW.code) > 40 OR instr(CAST(NEW.code AS BLOB), x'00') > 0 OR NEW.code GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:motives.code');
END;

CREATE TRIGGER text_motives_name_insert BEFORE INSERT ON motives
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:motives.name');
END;

CREATE TRIGGER text_motives_name_update BEFORE UPDATE OF name ON motives
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:motives.name');
END;

CREATE TRIGGER text_delegations_reason_insert BEFORE INSERT ON delegations
WHEN NEW.reason IS NOT NULL AND (length(NEW.reason) > 4000 OR instr(CAST(NEW.reason AS BLOB), x'00') > 0 OR NEW.reason GLOB '*[' || char(1) || '-' || char(8) || char(11) || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:delegations.reason');
END;

CREATE TRIGGER text_delegations_reason_update BEFORE UPDATE OF reason ON delegations
WHEN NEW.reason IS NOT NULL AND (length(NEW.reason) > 4000 OR instr(CAST(NEW.reason AS BLOB), x'00') > 0 OR NEW.reason GLOB '*[' || char(1) || '-' || char(8) || char(11) || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:delegations.reason');
END;

CREATE TRIGGER text_calendar_entries_name_insert BEFORE INSERT ON calendar_entries
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:calendar_entries.name');
END;

CREATE TRIGGER text_calendar_entries_name_update BEFORE UPDATE OF name ON calendar_entries
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:calendar_entries.name');
END;

CREATE TRIGGER text_followup_programs_name_insert BEFORE INSERT ON followup_programs
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:followup_programs.name');
END;

CREATE TRIGGER text_followup_programs_name_update BEFORE UPDATE OF name ON followup_programs
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:followup_programs.name');
END;

CREATE TRIGGER text_followup_updates_note_insert BEFORE INSERT ON followup_updates
WHEN NEW.note IS NOT NULL AND (length(NEW.note) > 4000 OR instr(CAST(NEW.note AS BLOB), x'00') > 0 OR NEW.note GLOB '*[' || char(1) || '-' || char(8) || char(11) || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:followup_updates.note');
END;

CREATE TRIGGER text_followup_updates_note_update BEFORE UPDATE OF note ON followup_updates
WHEN NEW.note IS NOT NULL AND (length(NEW.note) > 4000 OR instr(CAST(NEW.note AS BLOB), x'00') > 0 OR NEW.note GLOB '*[' || char(1) || '-' || char(8) || char(11) || char(12) || char(14) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:followup_updates.note');
END;
