//! A case's record told in the users' words: who did what and when.

use crate::forms::show;
use crate::views::{UnitNames, when};
use turno_domain::definition::{Assignment, Procedure};
use turno_domain::engine::Event;
use turno_store::StoredEvent;

/// A text a person typed, without the period it may end with: the record's sentence puts its
/// own, so that none ends in two.
fn bare(text: &str) -> &str {
    text.trim_end().trim_end_matches('.').trim_end()
}

/// The record's sentence ends in one mark: its period is dropped after a typed «?», «!» or «…».
fn sentence(mut text: String) -> String {
    let typed_mark = text
        .strip_suffix('.')
        .is_some_and(|rest| rest.ends_with(['?', '!', '…', '.']));
    if typed_mark {
        text.pop();
    }
    text
}

#[derive(Clone)]
pub struct Entry {
    /// The event's number in the case's record (the case's version once it was recorded).
    pub seq: i64,
    pub when: String,
    pub who: String,
    pub what: String,
}

/// The record's events numbered after `told_from`, naming each unit as it was called when the
/// event happened; the earlier `events` (those that opened the work items the told ones name,
/// `Store::record_window`) only name them.
pub fn timeline(
    procedure: &Procedure,
    (events, told_from): (&[StoredEvent], i64),
    tz: &jiff::tz::TimeZone,
    names: &UnitNames,
) -> Vec<Entry> {
    // Work items are named by their activity; remember which activity each one was, and the
    // unit of a turn.
    let mut items = std::collections::HashMap::new();
    let mut turns = std::collections::HashMap::new();
    events
        .iter()
        .filter_map(|stored_event| {
            let on = stored_event
                .recorded_at
                .parse::<jiff::Timestamp>()
                .map(|t| t.to_zoned(tz.clone()).date())
                .unwrap_or_else(|_| jiff::Zoned::now().with_time_zone(tz.clone()).date());
            let unit_name = |code: &str| names.name_on(code, on);
            let what = match &stored_event.event {
                Event::CaseStarted { .. } => Some("Registró el asunto.".to_owned()),
                Event::WorkOpened {
                    item,
                    activity,
                    participant,
                    due,
                    ..
                } => {
                    let a = procedure.activity(*activity);
                    items.insert(*item, a.number.clone());
                    let to = match (participant, &a.assignment) {
                        (Some(p), _) => format!(" a {}", unit_name(&procedure.unit_of(*p))),
                        (None, Assignment::Fixed(ids)) => format!(
                            " a {}",
                            ids.iter()
                                .map(|p| unit_name(&procedure.unit_of(*p)))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        (None, Assignment::FromField(_)) => " a las unidades elegidas".to_owned(),
                    };
                    let due = due.map_or(String::new(), |d| {
                        format!(", fecha límite {}", turno_domain::text::day(d))
                    });
                    Some(format!("Turnó la actividad {}{to}{due}.", a.number))
                }
                Event::WorkTurned {
                    item,
                    activity,
                    unit,
                    due,
                    instruction,
                    ..
                } => {
                    let number = procedure.activity(*activity).number.clone();
                    items.insert(*item, number.clone());
                    let unit = unit_name(unit);
                    let due = due.map_or(String::new(), |d| {
                        format!(", fecha límite {}", turno_domain::text::day(d))
                    });
                    let text = format!(
                        "Turnó la actividad {number} a {unit} para su atención{due}. Instrucción: {}.",
                        bare(instruction)
                    );
                    turns.insert(*item, unit);
                    Some(text)
                }
                Event::WorkCompleted {
                    item,
                    outcome,
                    observations,
                    fields,
                    on_behalf_of,
                    signature,
                    ..
                } => {
                    let number = items.get(item).cloned().unwrap_or_default();
                    let mut text = match turns.get(item) {
                        Some(unit) => format!("Respondió, por {unit}, el turno de la actividad {number}"),
                        None => format!("Atendió la actividad {number}"),
                    };
                    if let Some(outcome) = outcome {
                        text.push_str(&format!(": «{outcome}»"));
                    }
                    if let Some(p) = on_behalf_of {
                        text.push_str(&format!(", por {}", procedure.participant(*p).name));
                    }
                    for (name, value) in fields {
                        let label = procedure
                            .field_by_name(name)
                            .map_or(name.clone(), |f| procedure.field(f).label.clone());
                        text.push_str(&format!("; {label}: {}", bare(&show(value))));
                    }
                    if let Some(observations) = observations.as_ref().filter(|o| !o.trim().is_empty()) {
                        text.push_str(&format!(". Observaciones: {}", bare(observations)));
                    }
                    text.push('.');
                    if let Some(signature) = signature {
                        let identity = [&signature.rfc, &signature.curp]
                            .into_iter()
                            .flatten()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ");
                        text.push_str(&format!(
                            " Firmado con e.firma por {} ({identity}), certificado {} de {}, \
                             verificado el {}. SHA-256 del texto firmado: {}.",
                            bare(&signature.signer),
                            signature.serial,
                            bare(&signature.issuer),
                            crate::views::local(signature.verified_at, tz),
                            signature.digest
                        ));
                    }
                    Some(text)
                }
                Event::DueRecounted {
                    item,
                    previous,
                    due,
                    reason,
                    ..
                } => Some(format!(
                    "Fecha límite recalculada de la actividad {}: {} → {} ({reason}).",
                    items.get(item).cloned().unwrap_or_default(),
                    turno_domain::text::day(*previous),
                    turno_domain::text::day(*due)
                )),
                Event::DueChanged { item, due, .. } => Some(format!(
                    "La fecha límite de la actividad {} cambió a {}.",
                    items.get(item).cloned().unwrap_or_default(),
                    due.map_or("ninguna".to_owned(), turno_domain::text::day)
                )),
                Event::ClockSuspended {
                    item,
                    reason,
                    days_left,
                    ..
                } => Some(format!(
                    "Suspendió el plazo de la actividad {} ({}): {}.",
                    items.get(item).cloned().unwrap_or_default(),
                    turno_domain::text::count(days_left, "día por correr", "días por correr"),
                    bare(reason)
                )),
                Event::ClockResumed { item, due, .. } => Some(format!(
                    "Reanudó el plazo de la actividad {}; nueva fecha límite {}.",
                    items.get(item).cloned().unwrap_or_default(),
                    due.map_or("ninguna".to_owned(), turno_domain::text::day)
                )),
                Event::DeadlinePassed { item, due, .. } => Some(format!(
                    "Venció el plazo de la actividad {} ({}).",
                    items.get(item).cloned().unwrap_or_default(),
                    turno_domain::text::day(*due)
                )),
                Event::ActivityExpired { activity, .. } => Some(format!(
                    "La actividad {} se cerró por vencimiento y el asunto siguió el camino previsto.",
                    procedure.activity(*activity).number
                )),
                Event::SubprocedureRequested { procedure: key, .. } => {
                    Some(format!("Inició el subprocedimiento {key}."))
                }
                Event::SubprocedureEnded { case, .. } => {
                    Some(format!("Concluyó el subprocedimiento {case}."))
                }
                Event::DocumentAttached { name, .. } => Some(format!("Adjuntó el documento «{name}».")),
                Event::CaseEnded { activity, .. } => Some(format!(
                    "Concluyó el asunto en la actividad {} (TERMINA PROCEDIMIENTO).",
                    procedure.activity(*activity).number
                )),
                Event::CaseCancelled { reason, .. } => {
                    Some(format!("Canceló el asunto: {}.", bare(reason)))
                }
                                Event::TurnWithdrawn { item, reason, .. } => Some(format!(
                    "Retiró el turno de la actividad {} a {}: {}.",
                    items.get(item).cloned().unwrap_or_default(),
                    turns.get(item).cloned().unwrap_or_default(),
                    bare(reason)
                )),
            }?;
            // A suplencia shows both: who acted, and in whose name.
            let who = match stored_event.event.actor().and_then(|a| a.substituting.as_ref()) {
                Some(titular) => format!("{} (en suplencia de {titular})", stored_event.actor),
                None => stored_event.actor.clone(),
            };
            if stored_event.seq <= told_from {
                return None;
            }
            Some(Entry {
                seq: stored_event.seq,
                when: when(&stored_event.recorded_at, tz),
                who,
                what: sentence(what),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{bare, sentence};

    #[test]
    fn a_typed_period_or_mark_does_not_double_the_sentences_own() {
        assert_eq!(
            format!("Instrucción: {}.", bare("Revise el oficio. ")),
            "Instrucción: Revise el oficio."
        );
        assert_eq!(
            sentence("Canceló el asunto: ¿duplicado?.".into()),
            "Canceló el asunto: ¿duplicado?"
        );
        assert_eq!(
            sentence("Atendió la actividad 1.2.".into()),
            "Atendió la actividad 1.2."
        );
    }
}
