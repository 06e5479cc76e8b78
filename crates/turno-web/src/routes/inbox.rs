//! `GET /bandeja`: "Mi bandeja", the open work of the person's units, soonest due first;
//! filtered by procedure and by semáforo, and ordered by due date, folio or date received.
//! Beside it, the open correspondence turns the person acts on (to them, or to their units),
//! soonest due first (`turno_app::correspondence::turns::pending`), and the outgoing documents
//! that wait for their e.firma, their turn among several signers
//! (`turno_app::correspondence::outgoing::awaiting_signature`).
//!
//! The semáforo filter is a range of due dates, so that the database filters and counts:
//! rojo is exact (due before today); amarillo is "due today or in the next
//! [`DUE_SOON_DAYS`] days" and verde "due later, or without a due date". The badge of each
//! row is the engine's reading (the last share of the term the agency set, a fifth by
//! default), so for long or very short terms a row's badge may differ from the filter that
//! listed it; the page says so.

use crate::error::AppError;
use crate::filters;
use crate::page::{Frame, Layout};
use crate::routes::search::{Choice, Pager, query_string};
use crate::state::AppState;
use crate::views::{Light, deadline, signed_in};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use jiff::civil::Date;
use serde::Deserialize;
use turno_app::deadlines::read_inbox_row;
use turno_store::{InboxOrder, InboxQuery, Store};

pub const PAGE_SIZE: i64 = 50;

/// The semáforo filter's amarillo: due today or within this many days.
pub const DUE_SOON_DAYS: i64 = 3;

pub struct Row {
    pub folio: String,
    pub title: String,
    pub procedure: String,
    pub activity: String,
    /// "3 días hábiles restantes · vence 09/12/2026"; `None` without a due date.
    pub deadline: Option<String>,
    pub light: Light,
}

/// An open correspondence turn, as the inbox lists it.
pub struct TurnRow {
    pub folio: String,
    pub subject: String,
    /// «Para atención: indicaciones», and to whom when to a person.
    pub instruction: String,
    pub to: String,
    /// dd/mm/aaaa; `None` without a term.
    pub due: Option<String>,
    pub light: Option<Light>,
}

/// An outgoing document that waits for the person's e.firma.
pub struct SignRow {
    pub id: i64,
    pub kind: &'static str,
    pub subject: String,
    pub unit: String,
    /// «Firma 2 de 3».
    pub place: String,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    turns: Vec<TurnRow>,
    to_sign: Vec<SignRow>,
    layout: Layout,
    units: Vec<String>,
    procedures: Vec<Choice>,
    lights: Vec<Choice>,
    orders: Vec<Choice>,
    filtered: bool,
    due_soon_days: i64,
    amber_percent: u8,
    rows: Vec<Row>,
    pager: Pager,
}

#[derive(Deserialize)]
pub struct InboxParams {
    procedimiento: Option<String>,
    semaforo: Option<String>,
    orden: Option<String>,
    pagina: Option<String>,
}

/// The due dates a semáforo filter keeps: (due after, due before), both ends excluded.
fn due_range(light: &str, today: Date) -> (Option<Date>, Option<Date>) {
    let days = |n: i64| today.checked_add(jiff::Span::new().days(n)).ok();
    match light {
        "rojo" => (None, Some(today)),
        "amarillo" => (days(-1), days(DUE_SOON_DAYS + 1)),
        "verde" => (days(DUE_SOON_DAYS), None),
        _ => (None, None),
    }
}

fn order(name: &str) -> InboxOrder {
    match name {
        "folio" => InboxOrder::Folio,
        "recibido" => InboxOrder::Received,
        _ => InboxOrder::Due,
    }
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Query(params): Query<InboxParams>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let units = user.visible_units.clone();
    let today = state.today();
    let value = |v: &Option<String>| v.as_deref().unwrap_or("").trim().to_owned();
    let procedure = value(&params.procedimiento);
    let mut light = value(&params.semaforo);
    if !["rojo", "amarillo", "verde"].contains(&light.as_str()) {
        light.clear();
    }
    let mut order_name = value(&params.orden);
    if !["folio", "recibido"].contains(&order_name.as_str()) {
        order_name.clear();
    }
    let (due_after, due_before) = due_range(&light, today);
    let mut query = InboxQuery {
        units,
        procedure: Some(procedure.clone()).filter(|p| !p.is_empty()),
        folios: Vec::new(),
        due_before,
        due_after,
        order: order(&order_name),
        limit: PAGE_SIZE,
        offset: 0,
    };
    let filters = query_string(&[
        ("procedimiento", &procedure),
        ("semaforo", &light),
        ("orden", &order_name),
    ]);
    let total = state.store.count_inbox_query(&query).await?;
    let pager = Pager::new(total, PAGE_SIZE, params.pagina.as_deref()).linked("/bandeja", &filters);
    query.offset = pager.offset(PAGE_SIZE);
    let found = state.store.inbox_query(&query).await?;
    let calendars = state.calendars.current();
    let rows = found
        .into_iter()
        .map(|row| {
            let read = read_inbox_row(&state, &calendars, &row, today);
            Row {
                folio: row.folio,
                title: row.title,
                procedure: read.procedure_title,
                activity: row.activity,
                deadline: read.reading.left.as_ref().map(deadline),
                light: Light(read.reading.status),
            }
        })
        .collect();
    // People know their units by name, not by code.
    let mut unit_names: Vec<String> = user
        .memberships
        .iter()
        .map(|m| m.unit_name.clone())
        .collect();
    unit_names.sort();
    unit_names.dedup();

    let mut procedures: Vec<Choice> = state
        .library
        .current()
        .newest()
        .map(|p| Choice::new(&p.key, &p.title, &procedure))
        .collect();
    procedures.sort_by(|a, b| a.label.cmp(&b.label));
    if !procedure.is_empty() && !procedures.iter().any(|c| c.selected) {
        procedures.push(Choice::new(&procedure, &procedure, &procedure));
    }
    procedures.insert(0, Choice::new("", "Todos", &procedure));
    let soon = format!("Amarillo: vencen hoy o en los próximos {DUE_SOON_DAYS} días");
    let later = format!("Verde: vencen en más de {DUE_SOON_DAYS} días o no tienen plazo");
    let lights = vec![
        Choice::new("", "Todos", &light),
        Choice::new("rojo", "Rojo: vencidos", &light),
        Choice::new("amarillo", &soon, &light),
        Choice::new("verde", &later, &light),
    ];
    let orders = vec![
        Choice::new("", "Fecha límite, la más próxima primero", &order_name),
        Choice::new("folio", "Folio", &order_name),
        Choice::new(
            "recibido",
            "Fecha de recepción, la más reciente primero",
            &order_name,
        ),
    ];
    let turns = turno_app::correspondence::turns::pending(&state, user)
        .await?
        .into_iter()
        .map(|p| TurnRow {
            folio: p.folio.to_string(),
            subject: p.subject,
            instruction: if p.turn.note.is_empty() {
                p.turn.instruction.label().to_owned()
            } else {
                format!("{}: {}", p.turn.instruction.label(), p.turn.note)
            },
            to: match &p.turn.person {
                Some(person) => format!("{} ({person})", p.turn.unit),
                None => p.turn.unit.clone(),
            },
            due: p.turn.due_date.map(turno_domain::text::day),
            light: p.due_status.map(Light),
        })
        .collect();
    let to_sign = turno_app::correspondence::outgoing::awaiting_signature(&state, user)
        .await?
        .into_iter()
        .map(|view| {
            let d = &view.document;
            SignRow {
                id: d.id,
                kind: d.kind.label(),
                subject: d.subject.clone(),
                place: format!("Firma {} de {}", d.signatures.len() + 1, d.signers.len()),
                unit: view.unit_name,
            }
        })
        .collect();
    crate::page::html(&InboxPage {
        turns,
        to_sign,
        layout: frame.layout,
        units: unit_names,
        procedures,
        lights,
        orders,
        filtered: !procedure.is_empty() || !light.is_empty(),
        due_soon_days: DUE_SOON_DAYS,
        amber_percent: state.thresholds.amber_percent(),
        rows,
        pager,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn lights_are_ranges_of_due_dates() {
        let today = date(2026, 3, 10);
        assert_eq!(due_range("rojo", today), (None, Some(today)));
        assert_eq!(
            due_range("amarillo", today),
            (Some(date(2026, 3, 9)), Some(date(2026, 3, 14)))
        );
        assert_eq!(due_range("verde", today), (Some(date(2026, 3, 13)), None));
        assert_eq!(due_range("", today), (None, None));
        assert_eq!(order("recibido"), InboxOrder::Received);
        assert_eq!(order("otro"), InboxOrder::Due);
    }
}
