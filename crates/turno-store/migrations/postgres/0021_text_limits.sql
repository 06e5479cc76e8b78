-- Texts people type, bounded and clean in the store itself (issue 16, hole 7; issue 15, item 4):
-- whatever edge a text comes through, a column people fill refuses control characters (line
-- breaks and tabs only in texts of several lines) and more characters than turno-app's
-- `limits.rs` (and the domain's petition limits) allow. The application refuses them first,
-- each by its field; a refusal here (constraint or trigger «text_<table>_<column>») is mapped by
-- the store to `Refusal::Text`, a problem of that field, never a server error.
-- NOT VALID: rows stored before are not re-read; every new or changed row is checked.
ALTER TABLE cases ADD CONSTRAINT "text:cases.title"
    CHECK (char_length(title) <= 300 AND title !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE cases ADD CONSTRAINT "text:cases.channel"
    CHECK (char_length(channel) <= 300 AND channel !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE cases ADD CONSTRAINT "text:cases.requester"
    CHECK (char_length(requester) <= 300 AND requester !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE petitions ADD CONSTRAINT "text:petitions.narrative"
    CHECK (char_length(narrative) <= 5000 AND narrative !~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE petitions ADD CONSTRAINT "text:petitions.health_unit"
    CHECK (char_length(health_unit) <= 300 AND health_unit !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE petitions ADD CONSTRAINT "text:petitions.name"
    CHECK (char_length(name) <= 300 AND name !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE petitions ADD CONSTRAINT "text:petitions.address"
    CHECK (char_length(address) <= 300 AND address !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE petitions ADD CONSTRAINT "text:petitions.answer"
    CHECK (char_length(answer) <= 5000 AND answer !~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE petition_responses ADD CONSTRAINT "text:petition_responses.answer"
    CHECK (char_length(answer) <= 5000 AND answer !~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE petition_responses ADD CONSTRAINT "text:petition_responses.review_observations"
    CHECK (char_length(review_observations) <= 5000 AND review_observations !~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE users ADD CONSTRAINT "text:users.login"
    CHECK (char_length(login) <= 64 AND login !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE users ADD CONSTRAINT "text:users.name"
    CHECK (char_length(name) <= 300 AND name !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE units ADD CONSTRAINT "text:units.code"
    CHECK (char_length(code) <= 40 AND code !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE units ADD CONSTRAINT "text:units.name"
    CHECK (char_length(name) <= 300 AND name !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE unit_forms ADD CONSTRAINT "text:unit_forms.name"
    CHECK (char_length(name) <= 300 AND name !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE motives ADD CONSTRAINT "text:motives.code"
    CHECK (char_length(code) <= 40 AND code !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE motives ADD CONSTRAINT "text:motives.name"
    CHECK (char_length(name) <= 300 AND name !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE delegations ADD CONSTRAINT "text:delegations.reason"
    CHECK (char_length(reason) <= 4000 AND reason !~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE calendar_entries ADD CONSTRAINT "text:calendar_entries.name"
    CHECK (char_length(name) <= 300 AND name !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE followup_programs ADD CONSTRAINT "text:followup_programs.name"
    CHECK (char_length(name) <= 300 AND name !~ '[\u0001-\u001F\u007F-\u009F]') NOT VALID;
ALTER TABLE followup_updates ADD CONSTRAINT "text:followup_updates.note"
    CHECK (char_length(note) <= 4000 AND note !~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]') NOT VALID;
