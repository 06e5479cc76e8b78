-- The semáforo counts from the day a work item's term started, not from the day it opened
-- (docs/operations.md): a term counted from the presentation, a meeting or the case's start may
-- have run for weeks when its activity opens. `work_items.term_from` keeps that day (the `from`
-- of the item's due basis, for a term counted forward), so that the inbox reads the same colour
-- as the case page; NULL when the term runs from the opening.
--
-- Existing rows are filled from what is recorded: the basis of the item's latest `work_opened`,
-- `work_turned`, `due_changed` or `clock_resumed` event that has one counted forward. Events
-- recorded before the basis was (they carry none) cannot give it back: those items keep NULL,
-- and their semáforo falls back to the opening date, as before.
ALTER TABLE work_items ADD COLUMN term_from TEXT;

UPDATE work_items w SET term_from = (
    SELECT e.payload::jsonb -> 'basis' ->> 'from'
    FROM events e
    WHERE e.case_id = w.case_id
      AND e.kind IN ('work_opened', 'work_turned', 'due_changed', 'clock_resumed')
      AND (e.payload::jsonb ->> 'item')::bigint = w.item
      AND (e.payload::jsonb -> 'basis' ->> 'days')::integer >= 0
    ORDER BY e.seq DESC
    LIMIT 1
);

-- turno_append (migration 0020) learns `term_from` in the changes `open` (the item's term
-- start) and `set_due` (a new one, or NULL to keep it: a recount keeps its basis); the rest of
-- the function is as it was.
CREATE OR REPLACE FUNCTION turno_append(
    p_case_id          BIGINT,
    p_expected_version BIGINT,
    p_expected_head    TEXT,
    p_version          BIGINT,
    p_head             TEXT,
    p_status           TEXT,
    p_fields           TEXT,
    p_state            TEXT,
    p_closed_at        TEXT,
    p_seq              BIGINT[],
    p_kind             TEXT[],
    p_payload          TEXT[],
    p_prev_hash        TEXT[],
    p_hash             TEXT[],
    p_actor            TEXT,
    p_recorded_at      TEXT,
    p_changes          TEXT,
    p_idempotency_key  TEXT,
    p_result           TEXT,
    p_schema_version   BIGINT[],
    OUT outcome        TEXT,
    OUT first_result   TEXT
) LANGUAGE plpgsql AS $$
DECLARE
    c jsonb;
    linked integer;
BEGIN
    IF p_idempotency_key IS NOT NULL THEN
        SELECT result INTO first_result FROM idempotency_keys WHERE key = p_idempotency_key;
        IF FOUND THEN
            outcome := 'replayed';
            RETURN;
        END IF;
    END IF;

    UPDATE cases SET version = p_version, head_hash = p_head, status = p_status,
        fields = p_fields, closed_at = COALESCE(closed_at, p_closed_at), state = p_state
    WHERE id = p_case_id AND version = p_expected_version AND head_hash = p_expected_head;
    IF NOT FOUND THEN
        outcome := 'conflict';
        RETURN;
    END IF;

    INSERT INTO events (case_id, seq, kind, payload, schema_version, actor, recorded_at, prev_hash, hash)
    SELECT p_case_id, e.seq, e.kind, e.payload, e.schema_version, p_actor, p_recorded_at, e.prev_hash, e.hash
    FROM unnest(p_seq, p_kind, p_payload, p_schema_version, p_prev_hash, p_hash)
        AS e (seq, kind, payload, schema_version, prev_hash, hash);

    FOR c IN SELECT value FROM jsonb_array_elements(p_changes::jsonb) LOOP
        CASE c ->> 'change'
        WHEN 'open' THEN
            INSERT INTO work_items (case_id, item, activity, participant, opened_at, due, term_from, state)
            VALUES (p_case_id, (c ->> 'item')::bigint, c ->> 'activity', c ->> 'participant',
                    c ->> 'opened_at', c ->> 'due', c ->> 'term_from', 'open');
            INSERT INTO work_item_units (unit_code, case_id, item, due, open)
            SELECT u, p_case_id, (c ->> 'item')::bigint, COALESCE(c ->> 'due', '9999-12-31'), TRUE
            FROM jsonb_array_elements_text(c -> 'units') AS u;
        WHEN 'complete' THEN
            UPDATE work_items SET state = 'done', completed_at = c ->> 'at', completed_by = c ->> 'by',
                outcome = c ->> 'outcome', observations = c ->> 'observations'
            WHERE case_id = p_case_id AND item = (c ->> 'item')::bigint;
        WHEN 'withdraw' THEN
            UPDATE work_items SET state = 'withdrawn', completed_at = c ->> 'at'
            WHERE case_id = p_case_id AND item = (c ->> 'item')::bigint;
        WHEN 'set_due' THEN
            UPDATE work_items SET due = c ->> 'due', term_from = COALESCE(c ->> 'term_from', term_from)
            WHERE case_id = p_case_id AND item = (c ->> 'item')::bigint;
        WHEN 'close' THEN
            UPDATE work_items SET state = c ->> 'state', completed_at = c ->> 'at'
            WHERE case_id = p_case_id AND state = 'open'
              AND (c ->> 'activity' IS NULL OR activity = c ->> 'activity');
        WHEN 'document' THEN
            INSERT INTO documents (case_id, event_id, sha256, name, mime, size, uploaded_at, uploaded_by)
            SELECT p_case_id, e.id, c ->> 'sha256', c ->> 'name', c ->> 'mime', (c ->> 'size')::bigint,
                   c ->> 'at', c ->> 'by'
            FROM events e
            WHERE e.case_id = p_case_id AND e.kind = 'document_attached'
              AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.event_id = e.id)
            ORDER BY e.seq LIMIT 1;
            GET DIAGNOSTICS linked = ROW_COUNT;
            IF linked <> 1 THEN
                RAISE EXCEPTION 'document «%» of case %: no event to link it to', c ->> 'name', p_case_id;
            END IF;
        ELSE
            RAISE EXCEPTION 'unknown change %', c ->> 'change';
        END CASE;
    END LOOP;

    IF p_idempotency_key IS NOT NULL THEN
        INSERT INTO idempotency_keys (key, case_id, result, created_at)
        VALUES (p_idempotency_key, p_case_id, p_result, p_recorded_at);
    END IF;
    outcome := 'applied';
END;
$$;
