//! The event log's hash chain. Each event's hash covers its content and the previous event's
//! hash within its case; the case row keeps the last hash and the number of events, so that
//! changing, removing or reordering any stored event is detected. The audit log is chained the
//! same way, entry after entry ([`audit_link`], [`verify_audit`]).

use crate::model::{AuditBreak, ChainBreak};
use crate::organization::AuditEntry;
use crate::record::{EventRecord, UNHASHED_VERSION};
use sha2::{Digest, Sha256};
use turno_domain::engine::{Case, Event};

/// The previous hash of a case's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The stored fields an event's hash covers.
pub struct Link<'a> {
    pub folio: &'a str,
    pub seq: i64,
    pub kind: &'a str,
    pub actor: &'a str,
    pub recorded_at: &'a str,
    pub payload: &'a str,
    /// The version of the stored form the payload is written in.
    pub version: i64,
    pub prev_hash: &'a str,
}

pub fn hash(link: &Link) -> String {
    let seq = link.seq.to_string();
    let version = link.version.to_string();
    let mut parts = vec![
        link.prev_hash,
        link.folio,
        &seq,
        link.kind,
        link.actor,
        link.recorded_at,
        link.payload,
    ];
    // The first version's events were hashed before versions were stored; every later one
    // covers its version, so that changing it is changing the event.
    if link.version != UNHASHED_VERSION {
        parts.push(&version);
    }
    digest(&parts)
}

/// The SHA-256 of texts, each length-prefixed so that no two different lists hash the same.
pub fn digest(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for part in parts {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex(&h.finalize())
}

/// An audit log entry's link: its fields and the link before it ([`GENESIS`] for the first).
pub fn audit_link(previous: &str, entry: &AuditEntry) -> String {
    let id = entry.id.to_string();
    digest(&[
        previous,
        &id,
        &entry.at,
        &entry.actor,
        &entry.action,
        &entry.subject,
        &entry.detail,
    ])
}

/// An audit log entry as stored with its links, for verification. Both are missing on an
/// entry written without Turno (the store writes them with every entry).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    #[sqlx(flatten)]
    pub entry: AuditEntry,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

/// Every entry of the audit log (given oldest first) where its chain does not hold: one
/// changed, one that does not follow the entry before it (an entry removed or added there), one
/// without links. Each break is reported once, where it is, and the check goes on.
pub fn verify_audit(rows: &[AuditRow]) -> Vec<AuditBreak> {
    let mut found = Vec::new();
    let mut previous = GENESIS;
    for row in rows {
        let broken = |problem: &str| AuditBreak {
            entry: row.entry.id,
            problem: problem.to_owned(),
        };
        let (Some(prev_hash), Some(hash)) = (&row.prev_hash, &row.hash) else {
            // Skipped: the entries around it still chain to each other.
            found.push(broken(
                "no está encadenada: se agregó a la base de datos sin pasar por Turno",
            ));
            continue;
        };
        if prev_hash != previous {
            found.push(broken(
                "no sigue a la entrada anterior: se eliminó o se agregó una entrada antes de ella",
            ));
        } else if audit_link(prev_hash, &row.entry) != *hash {
            found.push(broken(
                "su contenido ya no es el que se registró: fue modificada",
            ));
        }
        previous = hash;
    }
    found
}

pub(crate) use turno_domain::text::hex;
pub use turno_domain::text::sha256_hex;

/// An event row as stored, for verification.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub seq: i64,
    pub kind: String,
    pub payload: String,
    pub schema_version: i64,
    pub actor: String,
    pub recorded_at: String,
    pub prev_hash: String,
    pub hash: String,
}

impl EventRow {
    /// The stored event as a link of `folio`'s chain that follows `prev_hash`.
    pub fn link<'a>(&'a self, folio: &'a str, prev_hash: &'a str) -> Link<'a> {
        Link {
            folio,
            seq: self.seq,
            kind: &self.kind,
            actor: &self.actor,
            recorded_at: &self.recorded_at,
            payload: &self.payload,
            version: self.schema_version,
            prev_hash,
        }
    }
}

/// Walks a case's events (ordered by id, as stored): each numbered in order, linked to the one
/// before, its hash recomputed unless `unhashable` says its content is gone (a baja's); answers
/// the last hash.
fn walk(
    folio: &str,
    events: &[EventRow],
    unhashable: impl Fn(&EventRow) -> bool,
) -> Result<String, ChainBreak> {
    let broken = |event_id: Option<i64>, problem: String| ChainBreak {
        folio: folio.to_owned(),
        event_id,
        problem,
    };
    let mut previous = GENESIS.to_owned();
    for (index, row) in events.iter().enumerate() {
        let expected_seq = index as i64 + 1;
        if row.seq != expected_seq {
            return Err(broken(
                Some(row.id),
                format!(
                    "out of order or missing: found event number {} where number {expected_seq} belongs",
                    row.seq
                ),
            ));
        }
        if row.prev_hash != previous {
            return Err(broken(
                Some(row.id),
                "its link to the previous event is broken (an event before it was changed, removed or moved)".into(),
            ));
        }
        if !unhashable(row) && hash(&row.link(folio, &row.prev_hash)) != row.hash {
            return Err(broken(
                Some(row.id),
                "its content does not match its hash (the event was altered)".into(),
            ));
        }
        previous = row.hash.clone();
    }
    Ok(previous)
}

/// Checks one case's events (ordered by id, as stored) against its row's version and head.
pub fn verify_case(
    folio: &str,
    version: i64,
    head_hash: &str,
    events: &[EventRow],
) -> Result<(), ChainBreak> {
    let broken = |event_id: Option<i64>, problem: String| ChainBreak {
        folio: folio.to_owned(),
        event_id,
        problem,
    };
    let previous = walk(folio, events, |_| false)?;
    if events.len() as i64 != version {
        return Err(broken(
            events.last().map(|e| e.id),
            format!(
                "the case has {version} events on record but {} are stored (events were removed)",
                events.len()
            ),
        ));
    }
    if previous != head_hash {
        return Err(broken(
            events.last().map(|e| e.id),
            "the last stored event is not the case's recorded head (events were removed or replaced)".into(),
        ));
    }
    Ok(())
}

/// Checks a case disposed of by a baja documental (`archive.rs`), whose record of disposal is
/// event `disposal_seq`: every link still holds (numbers, previous hashes, the head, the count);
/// an event before the record whose payload was emptied is checked by its hash being the one the
/// record lists for its number (the record itself is hashed into the chain, so that list cannot
/// change unnoticed); one whose payload is still there, and the record and anything after it,
/// by its hash as always.
pub fn verify_disposed(
    folio: &str,
    version: i64,
    head_hash: &str,
    events: &[EventRow],
    disposal_seq: i64,
) -> Result<(), ChainBreak> {
    let broken = |event_id: Option<i64>, problem: String| ChainBreak {
        folio: folio.to_owned(),
        event_id,
        problem,
    };
    let record = events
        .iter()
        .find(|e| e.seq == disposal_seq)
        .filter(|e| {
            e.kind == crate::archive::DISPOSAL_KIND
                && e.schema_version == crate::archive::DISPOSAL_VERSION
        })
        .ok_or_else(|| broken(None, "its record of disposal is missing".into()))?;
    let disposal: turno_domain::archive::Disposal =
        serde_json::from_str(&record.payload).map_err(|e| {
            broken(
                Some(record.id),
                format!("its record of disposal cannot be read: {e}"),
            )
        })?;
    let before: Vec<(i64, &str)> = events
        .iter()
        .filter(|e| e.seq < disposal_seq)
        .map(|e| (e.seq, e.hash.as_str()))
        .collect();
    if !disposal.covers(&before) {
        return Err(broken(
            Some(record.id),
            "the events before its record of disposal are not the ones it lists (an event was \
             changed, removed or added)"
                .into(),
        ));
    }
    // An emptied event before the record is checked by the record's list, above.
    let previous = walk(folio, events, |row| {
        row.seq < disposal_seq && row.payload.is_empty()
    })?;
    if events.len() as i64 != version || previous != head_hash {
        return Err(broken(
            events.last().map(|e| e.id),
            format!(
                "the case has {version} events on record but {} are stored, or its last is not \
                 its recorded head (events were removed or replaced)",
                events.len()
            ),
        ));
    }
    Ok(())
}

/// A case's (verified) events read back, and the case they fold to.
pub fn replay(folio: &str, events: &[EventRow]) -> Result<(Vec<Event>, Option<Case>), ChainBreak> {
    let mut read: Vec<Event> = Vec::with_capacity(events.len());
    for row in events {
        let event =
            EventRecord::read(row.schema_version, &row.payload).map_err(|e| ChainBreak {
                folio: folio.to_owned(),
                event_id: Some(row.id),
                problem: format!("event {} cannot be read: {e}", row.seq),
            })?;
        read.push(event.into_event());
    }
    let case = Case::replay(&read);
    Ok((read, case))
}

/// Checks that a case's stored state is the fold of its (verified) events: commands act on
/// the state, so a state changed behind the record's back must not go unnoticed.
pub fn verify_state(
    folio: &str,
    state: &str,
    replayed: Option<&Case>,
    events: &[EventRow],
) -> Result<(), ChainBreak> {
    let stored: Option<Case> = serde_json::from_str(state).ok();
    if stored.is_none() || stored.as_ref() != replayed {
        return Err(ChainBreak {
            folio: folio.to_owned(),
            event_id: events.last().map(|e| e.id),
            problem: "the case's current state does not match its record (the state was changed)"
                .into(),
        });
    }
    Ok(())
}

/// A break of case `folio` as a whole (no event of its own): its state, status or work.
pub(crate) fn case_break(folio: &str, problem: String) -> crate::RecordBreak {
    crate::RecordBreak::Chain(ChainBreak {
        folio: folio.to_owned(),
        event_id: None,
        problem,
    })
}

/// The break of a case whose procedure version is not published or cannot be read.
pub(crate) fn unpublished(folio: &str, key: &str, version: i64) -> crate::RecordBreak {
    case_break(
        folio,
        format!("su procedimiento {key} versión {version} no está publicado o no se puede leer"),
    )
}

/// The tables `turno verify` reads one set of cases from, each case by its key `K`: the
/// working tables (by case id) or the archive's (by folio).
pub(crate) struct CaseTables<K> {
    /// What the tables' names begin with.
    prefix: &'static str,
    /// The column that keys a case in its own table, and in those of its events and work.
    case_key: &'static str,
    key: &'static str,
    /// A case's work item units (`$1` its key); none where they are not kept.
    pub units: Option<&'static str>,
    /// The cases disposed of, by key, with the sequence number of their disposal; none where
    /// there are none.
    pub disposed: Option<&'static str>,
    key_type: std::marker::PhantomData<fn() -> K>,
}

impl<K> CaseTables<K> {
    const fn new(
        prefix: &'static str,
        (case_key, key): (&'static str, &'static str),
        units: Option<&'static str>,
        disposed: Option<&'static str>,
    ) -> CaseTables<K> {
        CaseTables {
            prefix,
            case_key,
            key,
            units,
            disposed,
            key_type: std::marker::PhantomData,
        }
    }

    /// A page of cases after a key (`$1`), by key: the key, folio, version, head hash, state,
    /// status, procedure key and procedure version.
    pub(crate) fn cases(&self) -> String {
        let (prefix, key) = (self.prefix, self.case_key);
        format!(
            "SELECT {key}, folio, version, head_hash, state, status, procedure_key, \
             procedure_version FROM {prefix}cases WHERE {key} > $1 ORDER BY {key} LIMIT 500"
        )
    }

    /// A case's events (`$1` its key), by id.
    pub(crate) fn events(&self) -> String {
        format!(
            "SELECT id, seq, kind, payload, schema_version, actor, recorded_at, prev_hash, hash \
             FROM {}events WHERE {} = $1 ORDER BY id",
            self.prefix, self.key
        )
    }

    /// A case's work items (`$1` its key), by item.
    pub(crate) fn items(&self) -> String {
        format!(
            "SELECT item, activity, participant, opened_at, due, term_from, state, completed_at, \
             completed_by, outcome, observations FROM {}work_items WHERE {} = $1 ORDER BY item",
            self.prefix, self.key
        )
    }
}

impl CaseTables<i64> {
    /// The working tables.
    pub(crate) const WORKING: CaseTables<i64> = CaseTables::new(
        "",
        ("id", "case_id"),
        Some("SELECT unit_code, item, due, open FROM work_item_units WHERE case_id = $1"),
        Some("SELECT case_id, seq FROM archive_disposed_cases"),
    );
}

impl CaseTables<String> {
    /// The cases moved to the archive's tables: their work items are compared with their
    /// record, not their units (the units that saw them served the inbox and are gone).
    pub(crate) const ARCHIVED: CaseTables<String> =
        CaseTables::new("archived_", ("folio", "folio"), None, None);
}

/// A case's chain, then its stored state and status against the record they fold to, for
/// `turno verify`, in the working tables or the archive's alike: every break found is added to
/// `breaks`; when the chain holds and the record folds to a case, answers the events read and
/// that case, for comparing what was projected from them.
pub(crate) fn check_case(
    (folio, version, head): (&str, i64, &str),
    (state, status): (&str, &str),
    events: &[EventRow],
    breaks: &mut Vec<crate::RecordBreak>,
) -> Option<(Vec<Event>, Case)> {
    // A case whose chain is broken has no record to compare the rest with.
    let replayed = verify_case(folio, version, head, events).and_then(|()| replay(folio, events));
    let (read, case) = match replayed {
        Ok(replayed) => replayed,
        Err(e) => {
            breaks.push(crate::RecordBreak::Chain(e));
            return None;
        }
    };
    if let Err(e) = verify_state(folio, state, case.as_ref(), events) {
        breaks.push(crate::RecordBreak::Chain(e));
    }
    let case = case?;
    if status != case.status.label() {
        breaks.push(case_break(
            folio,
            format!(
                "su estado guardado es «{status}» y su registro lo deja «{}»",
                case.status.label()
            ),
        ));
    }
    Some((read, case))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<EventRow> {
        let mut previous = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let payload = format!("{{\"n\":{seq}}}");
                let h = hash(&Link {
                    folio: "F-1",
                    seq,
                    kind: "k",
                    actor: "ana",
                    recorded_at: "2026-01-01T00:00:00Z",
                    payload: &payload,
                    version: 1,
                    prev_hash: &previous,
                });
                let row = EventRow {
                    id: seq * 10,
                    seq,
                    kind: "k".into(),
                    payload,
                    schema_version: 1,
                    actor: "ana".into(),
                    recorded_at: "2026-01-01T00:00:00Z".into(),
                    prev_hash: previous.clone(),
                    hash: h.clone(),
                };
                previous = h;
                row
            })
            .collect()
    }

    #[test]
    fn every_kind_of_tampering_is_found_at_its_place() {
        let rows = chain(4);
        let head = rows[3].hash.clone();
        assert_eq!(verify_case("F-1", 4, &head, &rows), Ok(()));

        let mut altered = rows.clone();
        altered[1].payload = "{\"n\":99}".into();
        assert_eq!(
            verify_case("F-1", 4, &head, &altered).unwrap_err().event_id,
            Some(20)
        );

        let mut removed = rows.clone();
        removed.remove(2);
        let e = verify_case("F-1", 4, &head, &removed).unwrap_err();
        assert_eq!(e.event_id, Some(40));

        let truncated = &rows[..3];
        let e = verify_case("F-1", 4, &head, truncated).unwrap_err();
        assert!(e.problem.contains("removed"), "{e}");

        let mut swapped = rows.clone();
        swapped.swap(1, 2);
        assert_eq!(
            verify_case("F-1", 4, &head, &swapped).unwrap_err().event_id,
            Some(30)
        );

        let mut actor = rows;
        actor[0].actor = "eva".into();
        assert_eq!(
            verify_case("F-1", 4, &head, &actor).unwrap_err().event_id,
            Some(10)
        );
    }

    #[test]
    fn hashes_separate_fields() {
        let link = |folio, kind, version| {
            hash(&Link {
                folio,
                seq: 1,
                kind,
                actor: "",
                recorded_at: "",
                payload: "",
                version,
                prev_hash: GENESIS,
            })
        };
        let b = link("a", "bc", 1);
        assert_ne!(link("ab", "c", 1), b);
        // A later version covers its number; the first is hashed as before versions existed.
        let versioned = |version| link("a", "bc", version);
        assert_eq!(versioned(1), b);
        assert_ne!(versioned(2), b);
        assert_ne!(versioned(2), versioned(3));
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
