//! The statements of a command's transaction, written once for both backends in plain SQL with
//! `$N` placeholders. PostgreSQL reads them as they are; the SQLite writer turns `$N` into
//! SQLite's numbered `?N` (see `sqlite_writer.rs`).

pub const IDEMPOTENT_RESULT: &str = "SELECT result FROM idempotency_keys WHERE key = $1";

pub const SAVE_IDEMPOTENT_RESULT: &str =
    "INSERT INTO idempotency_keys (key, case_id, result, created_at) VALUES ($1, $2, $3, $4)";

pub const PROCEDURE_PUBLISHED: &str =
    "SELECT version FROM procedure_versions WHERE key = $1 AND version = $2";

pub const NEXT_FOLIO_NUMBER: &str = "INSERT INTO folio_counters (scope, year, last) VALUES ($1, $2, 1) \
     ON CONFLICT (scope, year) DO UPDATE SET last = folio_counters.last + 1 RETURNING last";

pub const INSERT_CASE: &str = "INSERT INTO cases (folio, folio_scope, folio_year, folio_number, \
     procedure_key, procedure_version, title, channel, requester, status, fields, created_at, \
     version, head_hash, state) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', '{}', $10, 0, $11, '') RETURNING id";

/// Records on an incoming document the case started from it, only if it started none.
pub const LINK_INCOMING: &str = "UPDATE incoming_documents SET case_folio = $1 \
     WHERE folio_year = $2 AND folio_number = $3 AND case_folio IS NULL";

pub const LINK_SCHEDULE: &str = "INSERT INTO schedule_occurrences (schedule_id, occurrence, \
     falls_on, case_folio, opened_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";

/// Followed by one `(…)` group of [`EVENT_COLUMNS`] placeholders per event.
pub const INSERT_EVENTS: &str = "INSERT INTO events (case_id, seq, kind, payload, schema_version, \
     actor, recorded_at, prev_hash, hash) VALUES ";

pub const EVENT_COLUMNS: usize = 9;

/// Appends only if the case is still where the command read it (version and last hash).
pub const ADVANCE_CASE: &str = "UPDATE cases SET version = $1, head_hash = $2, status = $3, \
     fields = $4, closed_at = COALESCE(closed_at, $5), state = $8 \
     WHERE id = $6 AND version = $7 AND head_hash = $9";

pub const OPEN_WORK_ITEM: &str = "INSERT INTO work_items \
     (case_id, item, activity, participant, opened_at, due, term_from, state) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'open')";

pub const ADD_WORK_ITEM_UNIT: &str = "INSERT INTO work_item_units (unit_code, case_id, item, due, open) \
     VALUES ($1, $2, $3, $4, TRUE)";

pub const COMPLETE_WORK_ITEM: &str = "UPDATE work_items SET state = 'done', completed_at = $1, \
     completed_by = $2, outcome = $3, observations = $4 WHERE case_id = $5 AND item = $6";

pub const WITHDRAW_WORK_ITEM: &str = "UPDATE work_items SET state = 'withdrawn', \
     completed_at = $1 WHERE case_id = $2 AND item = $3";

/// A NULL term start keeps the one recorded (see `WorkChange::SetDue`).
pub const SET_DUE: &str = "UPDATE work_items SET due = $1, term_from = COALESCE($4, term_from) \
     WHERE case_id = $2 AND item = $3";

pub const CLOSE_WORK_ITEMS: &str = "UPDATE work_items SET state = $1, completed_at = $2 \
     WHERE case_id = $3 AND state = 'open' AND ($4 IS NULL OR activity = $4)";

/// The row points to its event: the case's first DocumentAttached event without a row, which
/// is this command's (its events are inserted and projected in order, in this transaction).
pub const ADD_DOCUMENT: &str = "INSERT INTO documents (case_id, event_id, sha256, name, mime, \
     size, uploaded_at, uploaded_by) \
     SELECT $1, e.id, $2, $3, $4, $5, $6, $7 FROM events e \
     WHERE e.case_id = $1 AND e.kind = 'document_attached' \
     AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.event_id = e.id) \
     ORDER BY e.seq LIMIT 1";

/// `($1, $2), ($3, $4)` for a multi-row insert of `rows` rows of `columns` columns.
pub fn placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let values: Vec<String> = (1..=columns)
                .map(|column| format!("${}", row * columns + column))
                .collect();
            format!("({})", values.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_every_value() {
        assert_eq!(super::placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(super::placeholders(1, 1), "($1)");
    }
}
