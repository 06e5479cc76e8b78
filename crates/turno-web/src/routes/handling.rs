//! Handling a petition (procedures 96 and 97; docs/citizen-format.md, «Atención de
//! peticiones»): `GET|POST /peticiones/{folio}/clasificar` classifies it and answers it or turns
//! it with a volante de trámite, a case of `sinac-volante` turned to the entidad's Enlace;
//! `GET /peticiones/{folio}/volante` prints the volante in force; `GET|POST
//! /peticiones/{folio}/fur` shows the FURs and takes the Enlace's; `POST
//! /peticiones/{folio}/revision` reviews it «¿completa y favorable?», closing the petition or
//! turning it again.
//!
//! The Departamento de Vinculación Social (whoever may start the volante's procedure) and
//! administrators classify and review; the Enlace sees the petition only through the volante's
//! case, turned to its unit, so the Enlace of another entidad gets 403.

use crate::auth::SignedIn;
use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Submitted, required, single};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::{UnitNames, signed_in};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use std::collections::BTreeMap;
use std::sync::Arc;
use turno_app::access::{acting_for, actor, registering_actor, visible_current};
use turno_app::commands::{OnCase, complete_work, start_case, turn_work};
use turno_app::register::registrable;
use turno_domain::calendar::State as Entidad;
use turno_domain::citizen::{
    Classification, ContactMeans, MotiveCatalog, Outcome, PetitionFolio, PetitionKind,
    PetitionerContact, ResponseForm, Review, liaison_unit, mask_address, mask_curp, mask_email,
    mask_name, mask_phone,
};
use turno_domain::definition::Procedure;
use turno_domain::engine::{Case, Complete, Event, Turn, Value, WorkItem};
use turno_store::citizen::StoredPetition;
use turno_store::handling::{
    ANSWERED, AfterReview, Classified, Disposal, IN_HANDLING, PetitionHandling, Reviewed,
};
use turno_store::notifications::NewMail;
use turno_store::{CaseId, FolioRule, Handling, NewCase, Petitions, Store};

/// The procedure of the volante de trámite.
pub const VOLANTE: &str = "sinac-volante";
/// The Enlace's term when none is given, in días hábiles: the manuals set none; ten is the
/// usual term of an oficio's answer.
const DEFAULT_TERM: u16 = 10;

fn parse_folio(folio: &str) -> Result<PetitionFolio, AppError> {
    folio.parse().map_err(|_| AppError::NotFound)
}

/// The volante's procedure, for a person who classifies and reviews.
async fn handler(state: &AppState, user: &SignedIn) -> Result<Arc<Procedure>, AppError> {
    if state.library.latest(VOLANTE).is_none() {
        return Err(AppError::BadRequest(format!(
            "El procedimiento del volante de trámite ({VOLANTE}) no está publicado."
        )));
    }
    registrable(state, user)
        .into_iter()
        .find(|p| p.key == VOLANTE)
        .ok_or(AppError::Forbidden)
}

async fn petition(
    state: &AppState,
    folio: PetitionFolio,
) -> Result<(StoredPetition, PetitionHandling), AppError> {
    let stored = state
        .store
        .petition(folio)
        .await?
        .ok_or(AppError::NotFound)?;
    let handling = state
        .store
        .handling(folio)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((stored, handling))
}

/// Who may see a petition's handling: its handlers, and those who see its volante's case.
/// Answers the volante's case when there is one.
async fn seen(
    state: &AppState,
    user: &SignedIn,
    handling: &PetitionHandling,
) -> Result<Option<(CaseId, Arc<Procedure>, Case)>, AppError> {
    let case = match &handling.case_folio {
        Some(case_folio) => match visible_current(state, user, case_folio).await {
            Ok((id, procedure, current)) => Some((id, procedure, current.case)),
            Err(turno_app::Error::Hidden) => {
                handler(state, user).await?;
                None
            }
            Err(other) => return Err(other.into()),
        },
        None => {
            handler(state, user).await?;
            None
        }
    };
    Ok(case)
}

/// A petition's data as the person may see them: whole for those who act, masked otherwise.
struct PetitionView {
    folio: String,
    received: String,
    kind: String,
    channel: String,
    state: String,
    health_unit: String,
    narrative: String,
    name: String,
    curp: String,
    phone: String,
    email: String,
    address: String,
}

fn view(stored: &StoredPetition, whole: bool) -> PetitionView {
    let p = &stored.petition;
    let c = &p.contact;
    let show = |value: Option<String>, mask: fn(&str) -> String| {
        value.map_or_else(String::new, |v| if whole { v } else { mask(&v) })
    };
    PetitionView {
        folio: stored.folio.to_string(),
        received: p.received_at.strftime("%d/%m/%Y %H:%M").to_string(),
        kind: p.kind.label().to_owned(),
        channel: p.channel.label().to_owned(),
        state: p.state.name().to_owned(),
        health_unit: p.health_unit.clone().unwrap_or_default(),
        narrative: p.narrative.clone(),
        name: show(c.name.clone(), mask_name),
        curp: show(c.curp.as_ref().map(|v| v.as_str().to_owned()), mask_curp),
        phone: show(c.phone.as_ref().map(|v| v.as_str().to_owned()), mask_phone),
        email: show(c.email.as_ref().map(|v| v.as_str().to_owned()), mask_email),
        address: show(c.address.clone(), mask_address),
    }
}

fn status_label(status: &str) -> &'static str {
    match status {
        ANSWERED => "Respondida",
        IN_HANDLING => "En gestión con el Enlace de Atención Ciudadana",
        _ => "Recibida, sin clasificar",
    }
}

#[derive(Template)]
#[template(path = "petition_classify.html")]
struct ClassifyPage {
    layout: Layout,
    petition: PetitionView,
    status: &'static str,
    classified: bool,
    case_folio: Option<String>,
    answer: Option<String>,
    kinds: Vec<(&'static str, &'static str, bool)>,
    motives: Vec<(String, String)>,
    states: Vec<(&'static str, &'static str, bool)>,
    term: u16,
}

pub async fn form(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    handler(&state, user).await?;
    let (stored, handling) = petition(&state, parse_folio(&folio)?).await?;
    let p = &stored.petition;
    let page = ClassifyPage {
        petition: view(&stored, user.can_act()),
        status: status_label(&handling.status),
        classified: handling.status != turno_store::handling::RECEIVED,
        case_folio: handling.case_folio,
        answer: handling.answer,
        kinds: PetitionKind::ALL
            .iter()
            .map(|k| (k.code(), k.label(), *k == p.kind))
            .collect(),
        motives: state
            .store
            .motives()
            .await?
            .into_iter()
            .filter(|m| m.active)
            .map(|m| (m.code, m.name))
            .collect(),
        states: Entidad::all()
            .map(|s| (s.code(), s.name(), s == p.state))
            .collect(),
        term: DEFAULT_TERM,
        layout: frame.layout,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

fn yes(submitted: &Submitted, name: &str, label: &str) -> Result<bool, AppError> {
    match required(submitted, name, label)? {
        "si" => Ok(true),
        "no" => Ok(false),
        _ => Err(AppError::BadRequest(format!(
            "«{label}»: responda Sí o No."
        ))),
    }
}

fn term(submitted: &Submitted) -> Result<u16, AppError> {
    single(submitted, "plazo").map_or(Ok(DEFAULT_TERM), |v| {
        v.parse()
            .map_err(|_| AppError::BadRequest(format!("«{v}» no es un plazo en días hábiles.")))
    })
}

/// The open work item of `activity` that is not a turn, in a case of the volante's procedure.
fn open_at<'c>(procedure: &Procedure, case: &'c Case, activity: &str) -> Option<&'c WorkItem> {
    case.open
        .iter()
        .find(|w| w.turn.is_none() && procedure.activity(w.activity).number == activity)
}

/// Turns the volante's 1.1 to the entidad's Enlace with the term; answers the due date.
#[allow(clippy::too_many_arguments)] // the turn's own data
async fn turn_to_liaison(
    state: &AppState,
    procedure: &Procedure,
    user: &SignedIn,
    case_id: CaseId,
    entidad: Entidad,
    folio: PetitionFolio,
    slip: u16,
    days: u16,
    observations: Option<&str>,
) -> Result<jiff::civil::Date, AppError> {
    let unit = liaison_unit(entidad);
    if !UnitNames::load(state).await?.contains(&unit) {
        return Err(AppError::BadRequest(format!(
            "La unidad del Enlace de Atención Ciudadana de {} ({unit}) no está en el organigrama.",
            entidad.name()
        )));
    }
    let current = state.store.load_current(case_id).await?;
    let work = open_at(procedure, &current.case, "1.1")
        .ok_or_else(|| AppError::Conflict("El volante no espera turno.".into()))?
        .clone();
    let mut instruction = format!(
        "Volante de trámite {slip} de la petición {folio}: atienda y responda en el Formato Único de Respuesta (FUR)."
    );
    if let Some(observations) = observations {
        instruction.push_str(&format!(
            " Para ampliar respuesta favorable: {observations}"
        ));
    }
    let moment = state.moment();
    let ctx = moment.context();
    let key = format!("peticion:{folio}:turno:{slip}");
    let committed = turn_work(
        &state.store,
        OnCase::new(procedure, case_id, &ctx).once(Some(&key)),
        Turn {
            item: work.id,
            by: actor(procedure, Some(&work), user, work.participant),
            units: vec![unit.clone()],
            instruction,
            business_days: Some(days),
        },
    )
    .await?;
    let after = state.store.load_current(committed.case_id).await?;
    after
        .case
        .open
        .iter()
        .filter(|w| w.turn.as_ref().is_some_and(|t| t.unit == unit))
        .find_map(|w| w.due)
        .ok_or_else(|| anyhow::anyhow!("the turn of {folio} to {unit} has no due date").into())
}

pub async fn classify(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let procedure = handler(&state, user).await?;
    let folio = parse_folio(&folio)?;
    let (stored, _) = petition(&state, folio).await?;
    let kind: PetitionKind = required(&submitted, "tipo", "Tipo")?
        .parse()
        .map_err(|e: turno_domain::citizen::UnknownKind| AppError::BadRequest(e.to_string()))?;
    let entidad = Entidad::from_name_or_code(required(&submitted, "entidad", "Entidad")?)
        .map_err(|_| AppError::BadRequest("Elija una entidad federativa.".into()))?;
    let catalog = MotiveCatalog::new(state.store.motives().await?).map_err(|problems| {
        anyhow::anyhow!("the stored motive catalog is invalid: {problems:?}")
    })?;
    let classification = Classification::new(
        &catalog,
        kind,
        required(&submitted, "motivo", "Motivo")?,
        entidad,
        yes(&submitted, "amerita", "¿Amerita gestión?")?,
    )
    .map_err(|e| AppError::BadRequest(format!("{}.", e)))?;
    let moment = state.moment();
    let ctx = moment.context();
    let disposal = if classification.needs_action {
        let days = term(&submitted)?;
        let committed = start_case(
            &state.store,
            &procedure,
            NewCase {
                folio: FolioRule::for_procedure(&procedure, None, ctx.today.year()),
                title: format!("Volante de trámite de la petición {folio}"),
                channel: Some(stored.petition.channel.label().to_owned()),
                requester: None,
            },
            turno_domain::engine::Start {
                by: registering_actor(&procedure, user),
                fields: BTreeMap::from([(
                    "folio_peticion".to_owned(),
                    Value::Text(folio.to_string()),
                )]),
            },
            &ctx,
            Some(&format!("peticion:{folio}:volante")),
        )
        .await?;
        let due_on = turn_to_liaison(
            &state,
            &procedure,
            user,
            committed.case_id,
            entidad,
            folio,
            1,
            days,
            None,
        )
        .await?;
        Disposal::Turned {
            case_folio: committed.folio,
            due_on,
        }
    } else {
        let answer = required(&submitted, "respuesta", "Respuesta al peticionario")?.to_owned();
        let mail = stored.petition.contact.email.as_ref().map(|email| NewMail {
            dedup: format!("peticion:{folio}:respuesta"),
            user_id: user.id,
            recipient: email.as_str().to_owned(),
            subject: format!("Respuesta a su petición {folio}"),
            body: format!(
                "{answer}\n\nFolio de su petición: {folio}.\nSistema Nacional de Atención Ciudadana\n"
            ),
        });
        Disposal::Answered {
            answer,
            on: ctx.today,
            mail,
        }
    };
    let turned = matches!(disposal, Disposal::Turned { .. });
    state
        .store
        .classify(
            folio,
            &Classified {
                classification,
                by: user.login.clone(),
                at: ctx.now,
                disposal,
            },
        )
        .await?;
    tracing::info!(%folio, user = %user.login, turned, "petition classified");
    if turned {
        flash(&frame, "Petición turnada con volante de trámite.");
        Ok(Redirect::to(&format!("/peticiones/{folio}/volante")).into_response())
    } else {
        flash(&frame, "Petición respondida y registrada.");
        Ok(Redirect::to(&format!("/peticiones/{folio}/clasificar")).into_response())
    }
}

#[derive(Template)]
#[template(path = "volante.html")]
struct SlipPage {
    layout: Layout,
    petition: PetitionView,
    case_folio: String,
    slip: u16,
    motive: String,
    liaison: String,
    instruction: String,
    turned_on: String,
    term: String,
    due_on: String,
}

pub async fn slip(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let folio = parse_folio(&folio)?;
    let (stored, handling) = petition(&state, folio).await?;
    seen(&state, user, &handling).await?;
    let case_folio = handling.case_folio.clone().ok_or(AppError::NotFound)?;
    let (_, _, stored_case) = turno_app::access::visible_case(&state, user, &case_folio)
        .await
        .or(Err(AppError::NotFound))?;
    let unit = liaison_unit(stored.petition.state);
    // The volante in force is the latest turn to the Enlace, open or answered.
    let (at, instruction, due, basis) = stored_case
        .events
        .iter()
        .rev()
        .find_map(|e| match &e.event {
            Event::WorkTurned {
                unit: to,
                at,
                instruction,
                due,
                basis,
                ..
            } if *to == unit => Some((*at, instruction.clone(), *due, *basis)),
            _ => None,
        })
        .ok_or(AppError::NotFound)?;
    let names = UnitNames::load(&state).await?;
    let motive = match &handling.motive {
        Some(code) => state
            .store
            .motives()
            .await?
            .into_iter()
            .find(|m| &m.code == code)
            .map_or_else(|| code.clone(), |m| format!("{} ({})", m.name, m.code)),
        None => String::new(),
    };
    let page = SlipPage {
        petition: view(&stored, user.can_act()),
        case_folio,
        slip: handling.slip,
        motive,
        liaison: format!(
            "Enlace de Atención Ciudadana, {} ({unit})",
            names.name(&unit)
        ),
        instruction,
        turned_on: crate::views::when(&at.to_string(), &state.time_zone),
        term: basis.map_or_else(String::new, |b| format!("{} días hábiles", b.days)),
        due_on: due.map_or_else(String::new, |d| d.strftime("%d/%m/%Y").to_string()),
        layout: frame.layout,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

/// A FUR as the page shows it.
struct ResponseView {
    slip: u16,
    liaison: String,
    answered_on: String,
    contact: String,
    actions: String,
    outcome: &'static str,
    answer: String,
    /// «Completa y favorable», or why not, with the observations.
    review: Option<String>,
}

const MEANS: [(&str, ContactMeans); 4] = [
    ("telefono", ContactMeans::Phone),
    ("correo", ContactMeans::Email),
    ("persona", ContactMeans::InPerson),
    ("escrito", ContactMeans::Letter),
];
const OUTCOMES: [(&str, Outcome); 3] = [
    ("favorable", Outcome::Favorable),
    ("no_favorable", Outcome::Unfavorable),
    ("no_competente", Outcome::NotCompetent),
];

#[derive(Template)]
#[template(path = "petition_fur.html")]
struct FurPage {
    layout: Layout,
    petition: PetitionView,
    status: &'static str,
    slip: u16,
    responses: Vec<ResponseView>,
    /// The Enlace may answer the volante in force.
    may_answer: bool,
    /// A handler may review the volante in force's FUR.
    may_review: bool,
    today: String,
    means: Vec<(&'static str, &'static str)>,
    outcomes: Vec<(&'static str, &'static str)>,
}

/// The Enlace's open turn of the volante in force, when the person may answer it.
fn liaison_turn<'c>(
    procedure: &Procedure,
    case: &'c Case,
    entidad: Entidad,
    user: &SignedIn,
) -> Option<&'c WorkItem> {
    let unit = liaison_unit(entidad);
    case.open.iter().find(|w| {
        w.turn.as_ref().is_some_and(|t| t.unit == unit)
            && acting_for(procedure, case, w, user).is_some()
    })
}

/// The FUR of the volante in force waits for its review.
fn awaiting_review(handling: &PetitionHandling) -> bool {
    handling.status == IN_HANDLING
        && handling
            .responses
            .last()
            .is_some_and(|r| r.form.slip == handling.slip && r.review.is_none())
}

pub async fn responses(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let (stored, handling) = petition(&state, parse_folio(&folio)?).await?;
    let case = seen(&state, user, &handling).await?;
    let may_answer = handling.status == IN_HANDLING
        && case.as_ref().is_some_and(|(_, procedure, case)| {
            liaison_turn(procedure, case, stored.petition.state, user).is_some()
        });
    let may_review = awaiting_review(&handling) && handler(&state, user).await.is_ok();
    let responses = handling
        .responses
        .iter()
        .map(|r| ResponseView {
            slip: r.form.slip,
            liaison: r.form.liaison.clone(),
            answered_on: r.form.answered_on.strftime("%d/%m/%Y").to_string(),
            contact: r.form.contact.map_or_else(
                || "Sin contacto".to_owned(),
                |c| format!("{} ({})", c.means.label(), c.on.strftime("%d/%m/%Y")),
            ),
            actions: r.form.actions.clone(),
            outcome: r.form.outcome.label(),
            answer: r.form.answer.clone(),
            review: r.review.as_ref().map(|(review, observations, by)| {
                let verdict = if review.closes() {
                    "Completa y favorable".to_owned()
                } else {
                    format!(
                        "{} y {}",
                        if review.complete {
                            "Completa"
                        } else {
                            "Incompleta"
                        },
                        if review.favorable {
                            "favorable"
                        } else {
                            "no favorable"
                        }
                    )
                };
                match observations {
                    Some(o) => format!("{verdict} ({by}): {o}"),
                    None => format!("{verdict} ({by})"),
                }
            }),
        })
        .collect();
    let page = FurPage {
        petition: view(&stored, user.can_act()),
        status: status_label(&handling.status),
        slip: handling.slip,
        responses,
        may_answer,
        may_review,
        today: state.moment().context().today.to_string(),
        means: MEANS.iter().map(|(code, m)| (*code, m.label())).collect(),
        outcomes: OUTCOMES
            .iter()
            .map(|(code, o)| (*code, o.label()))
            .collect(),
        layout: frame.layout,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

fn date_field(
    submitted: &Submitted,
    name: &str,
    label: &str,
) -> Result<jiff::civil::Date, AppError> {
    let text = required(submitted, name, label)?;
    text.parse()
        .map_err(|_| AppError::BadRequest(format!("«{label}»: «{text}» no es una fecha.")))
}

/// `POST /peticiones/{folio}/fur`: the Enlace answers the volante in force.
pub async fn answer(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let user = signed_in(&frame)?;
    let folio = parse_folio(&folio)?;
    let (stored, handling) = petition(&state, folio).await?;
    let case_folio = handling.case_folio.as_deref().ok_or(AppError::Forbidden)?;
    let (case_id, procedure, current) = visible_current(&state, user, case_folio).await?;
    let entidad = stored.petition.state;
    let work = liaison_turn(&procedure, &current.case, entidad, user)
        .ok_or(AppError::Forbidden)?
        .clone();
    let contact = match single(&submitted, "contacto_medio") {
        None => None,
        Some(code) => Some(PetitionerContact {
            on: date_field(&submitted, "contacto_fecha", "Fecha de contacto")?,
            means: MEANS
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, m)| *m)
                .ok_or_else(|| AppError::BadRequest("Elija el medio de contacto.".into()))?,
        }),
    };
    let outcome = single(&submitted, "resultado")
        .and_then(|code| OUTCOMES.iter().find(|(c, _)| *c == code))
        .map(|(_, o)| *o)
        .ok_or_else(|| AppError::BadRequest("Elija el resultado.".into()))?;
    let form = ResponseForm {
        petition: folio,
        slip: handling.slip,
        state: entidad,
        liaison: single(&submitted, "enlace").unwrap_or_default().to_owned(),
        answered_on: date_field(&submitted, "fecha", "Fecha de respuesta")?,
        contact,
        actions: single(&submitted, "acciones")
            .unwrap_or_default()
            .to_owned(),
        outcome,
        answer: single(&submitted, "respuesta")
            .unwrap_or_default()
            .to_owned(),
    };
    let turned_on = work.opened_at.to_zoned(state.time_zone.clone()).date();
    let problems = form.check(entidad, turned_on);
    if !problems.is_empty() {
        let words: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(AppError::BadRequest(format!("{}.", words.join("; "))));
    }
    let moment = state.moment();
    let ctx = moment.context();
    // The turn first, kept by its key: a retry after a failure to record the FUR replays it.
    let key = format!("peticion:{folio}:fur:{}", handling.slip);
    complete_work(
        &state.store,
        OnCase::new(&procedure, case_id, &ctx).once(Some(&key)),
        Complete {
            item: work.id,
            by: actor(&procedure, Some(&work), user, None),
            outcome: None,
            fields: BTreeMap::new(),
            observations: Some(format!("FUR del volante {}", handling.slip)),
        },
    )
    .await?;
    state
        .store
        .record_response(&form, &user.login, ctx.now)
        .await?;
    tracing::info!(%folio, slip = handling.slip, user = %user.login, "FUR recorded");
    flash(&frame, "Respuesta registrada en el FUR.");
    Ok(Redirect::to(&format!("/peticiones/{folio}/fur")))
}

/// `POST /peticiones/{folio}/revision`: «¿Está completa y es favorable la respuesta?»
pub async fn review(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let user = signed_in(&frame)?;
    let procedure = handler(&state, user).await?;
    let folio = parse_folio(&folio)?;
    let (stored, handling) = petition(&state, folio).await?;
    if !awaiting_review(&handling) {
        return Err(AppError::Conflict(
            "Esta petición no tiene un FUR por revisar.".into(),
        ));
    }
    let review = Review {
        complete: yes(&submitted, "completa", "¿Está completa?")?,
        favorable: yes(&submitted, "favorable", "¿Es favorable?")?,
    };
    let observations = single(&submitted, "observaciones").map(str::to_owned);
    if !review.closes() && observations.is_none() {
        return Err(AppError::BadRequest(
            "Escriba las observaciones para ampliar la respuesta.".into(),
        ));
    }
    let case_folio = handling.case_folio.as_deref().ok_or(AppError::NotFound)?;
    let case_id = state
        .store
        .find_case(case_folio)
        .await?
        .ok_or(AppError::NotFound)?;
    let slip = handling.slip;
    let moment = state.moment();
    let ctx = moment.context();
    // Receiving the FUR (1.1) and deciding (2.1), each once per volante by its key.
    for (activity, outcome, key) in [
        ("1.1", None, "recibe"),
        (
            "2.1",
            Some(if review.closes() { "Sí" } else { "No" }),
            "revisa",
        ),
    ] {
        let current = state.store.load_current(case_id).await?;
        let Some(work) = open_at(&procedure, &current.case, activity).cloned() else {
            continue;
        };
        let key = format!("peticion:{folio}:{key}:{slip}");
        complete_work(
            &state.store,
            OnCase::new(&procedure, case_id, &ctx).once(Some(&key)),
            Complete {
                item: work.id,
                by: actor(&procedure, Some(&work), user, work.participant),
                outcome: outcome.map(str::to_owned),
                fields: BTreeMap::new(),
                observations: observations.clone(),
            },
        )
        .await?;
    }
    let next = if review.closes() {
        let answer = handling
            .responses
            .last()
            .map(|r| r.form.answer.clone())
            .unwrap_or_default();
        AfterReview::Closed {
            answer,
            on: ctx.today,
        }
    } else {
        let due_on = turn_to_liaison(
            &state,
            &procedure,
            user,
            case_id,
            stored.petition.state,
            folio,
            slip + 1,
            term(&submitted)?,
            observations.as_deref(),
        )
        .await?;
        AfterReview::TurnedAgain { due_on }
    };
    state
        .store
        .record_review(
            folio,
            &Reviewed {
                review,
                observations,
                by: user.login.clone(),
                at: ctx.now,
                next,
            },
        )
        .await?;
    let message = if review.closes() {
        "Respuesta completa y favorable: la petición queda atendida."
    } else {
        "Petición turnada de nuevo al Enlace para ampliar la respuesta."
    };
    flash(&frame, message);
    Ok(Redirect::to(&format!("/peticiones/{folio}/fur")))
}
