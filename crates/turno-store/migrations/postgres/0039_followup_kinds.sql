-- Programs written down line by line (issue 19): a meeting's agreements, commitments before a
-- body, an audit's observations, and the annual work programs (PAT, PTAR, PTCI). A program of
-- one of these kinds has its heading in `followup_plans` (the body, the session or the audit's
-- number, the meeting's day, the year); its lines are items of the new kinds: an observation
-- with the fiscalizing body's number (`reference`), a PAT line with its indicator, annual goal
-- and the progress expected at each quarter's end (`quarter_goals`, a JSON array of four
-- percentages), a risk (PTAR), an internal-control action (PTCI).
CREATE TABLE followup_plans (
    program_id  BIGINT  PRIMARY KEY REFERENCES followup_programs (id),
    kind        TEXT    NOT NULL
                CHECK (kind IN ('agreements', 'commitments', 'audit', 'pat', 'ptar', 'ptci')),
    body        TEXT,
    reference   TEXT,
    held_on     TEXT,
    year        BIGINT  CHECK (year BETWEEN 2000 AND 2099)
);

ALTER TABLE followup_items DROP CONSTRAINT followup_items_kind_check;
ALTER TABLE followup_items ADD CONSTRAINT followup_items_kind_check
    CHECK (kind IN ('recommendation', 'aspect', 'agreement', 'commitment',
                    'observation', 'line', 'risk', 'control_action'));
ALTER TABLE followup_items ADD COLUMN reference TEXT;
ALTER TABLE followup_items ADD COLUMN indicator TEXT;
ALTER TABLE followup_items ADD COLUMN goal TEXT;
ALTER TABLE followup_items ADD COLUMN quarter_goals TEXT;

ALTER TABLE followup_plans ADD CONSTRAINT "text:followup_plans.body"
    CHECK (char_length(body) <= 300 AND body !~ '[\u0001-\u001F\u007F-\u009F]');
ALTER TABLE followup_plans ADD CONSTRAINT "text:followup_plans.reference"
    CHECK (char_length(reference) <= 300 AND reference !~ '[\u0001-\u001F\u007F-\u009F]');
ALTER TABLE followup_items ADD CONSTRAINT "text:followup_items.reference"
    CHECK (char_length(reference) <= 300 AND reference !~ '[\u0001-\u001F\u007F-\u009F]');
ALTER TABLE followup_items ADD CONSTRAINT "text:followup_items.indicator"
    CHECK (char_length(indicator) <= 300 AND indicator !~ '[\u0001-\u001F\u007F-\u009F]');
ALTER TABLE followup_items ADD CONSTRAINT "text:followup_items.goal"
    CHECK (char_length(goal) <= 300 AND goal !~ '[\u0001-\u001F\u007F-\u009F]');
