-- Evaluation visits to any units and their improvement plans (issue 19, seed 004 §7.1.1):
-- a visit is planned on site or at a distance to one or more units (their codes, a JSON array)
-- with its dates, its team (names, a JSON array), its purpose and the aspects to evaluate (a
-- JSON array); its findings are numbered within it, each with the evidence file stored in the
-- blob store (sha256); its improvement plan is a follow-up program (kind 'supervision', so
-- that its rounds close as a supervision's), at most one per visit. Procedure 94's
-- supervisions are visits tied to their cnpss-94 case (`case_folio`): the supervisions stored
-- before become visits here, their recommendations findings, their program the plan.
CREATE TABLE visits (
    id          BIGSERIAL PRIMARY KEY,
    modality    TEXT    NOT NULL CHECK (modality IN ('on_site', 'remote')),
    units       TEXT    NOT NULL,
    start_date  TEXT    NOT NULL,
    end_date    TEXT    NOT NULL,
    team        TEXT    NOT NULL,
    purpose     TEXT    NOT NULL,
    aspects     TEXT    NOT NULL,
    case_folio  TEXT,
    plan_id     BIGINT  UNIQUE REFERENCES followup_programs (id),
    planned_by  TEXT    NOT NULL,
    CHECK (end_date >= start_date)
);
CREATE INDEX visits_case ON visits (case_folio);

CREATE TABLE visit_findings (
    visit_id         BIGINT  NOT NULL REFERENCES visits (id),
    number           BIGINT  NOT NULL,
    aspect           TEXT    NOT NULL,
    description      TEXT    NOT NULL,
    severity         TEXT    NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
    evidence_name    TEXT,
    evidence_sha256  TEXT,
    evidence_mime    TEXT,
    recorded_by      TEXT    NOT NULL,
    PRIMARY KEY (visit_id, number)
);
ALTER TABLE visits ADD CONSTRAINT "text:visits.purpose"
    CHECK (char_length(purpose) <= 4000 AND purpose !~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]');
ALTER TABLE visit_findings ADD CONSTRAINT "text:visit_findings.aspect"
    CHECK (char_length(aspect) <= 300 AND aspect !~ '[\u0001-\u001F\u007F-\u009F]');
ALTER TABLE visit_findings ADD CONSTRAINT "text:visit_findings.description"
    CHECK (char_length(description) <= 4000 AND description !~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]');
ALTER TABLE visit_findings ADD CONSTRAINT "text:visit_findings.evidence_name"
    CHECK (char_length(evidence_name) <= 300 AND evidence_name !~ '[\u0001-\u001F\u007F-\u009F]');

-- The supervisions of before: one visit each, on site, to the entidad its recommendations
-- were addressed to, from the day its results were received; its recommendations are its
-- findings (of medium severity: the manual does not grade them).
INSERT INTO visits (modality, units, start_date, end_date, team, purpose, aspects, case_folio,
                    plan_id, planned_by)
SELECT 'on_site',
       (SELECT a.responsible FROM followup_activities a
          JOIN followup_items i ON i.id = a.item_id
         WHERE i.program_id = p.id ORDER BY i.seq, a.seq LIMIT 1),
       (SELECT MIN(a.start_date) FROM followup_activities a
          JOIN followup_items i ON i.id = a.item_id WHERE i.program_id = p.id),
       (SELECT MIN(a.start_date) FROM followup_activities a
          JOIN followup_items i ON i.id = a.item_id WHERE i.program_id = p.id),
       '[]', p.name, '[]', p.case_folio, p.id, 'turno'
  FROM followup_programs p
 WHERE p.kind = 'supervision'
   AND EXISTS (SELECT 1 FROM followup_items i WHERE i.program_id = p.id)
 ORDER BY p.id;

INSERT INTO visit_findings (visit_id, number, aspect, description, severity, recorded_by)
SELECT v.id, i.number, 'Recomendación', i.text, 'medium', 'turno'
  FROM visits v JOIN followup_items i ON i.program_id = v.plan_id
 ORDER BY v.id, i.seq;
