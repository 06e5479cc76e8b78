//! Handling a petition (procedures 96 and 97; docs/citizen-format.md, «Atención de
//! peticiones»), the pages of `turno_app::handling`: `GET|POST /peticiones/{folio}/clasificar`
//! classifies it and answers it or turns it with a volante de trámite, a case of
//! `sinac-volante` turned to the entidad's Enlace; `GET /peticiones/{folio}/volante` prints the
//! volante in force; `GET|POST /peticiones/{folio}/fur` shows the FURs and takes the Enlace's;
//! `POST /peticiones/{folio}/revision` reviews it «¿completa y favorable?», closing the
//! petition or turning it again.

use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Submitted, required, single};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::{UnitNames, signed_in};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use turno_app::handling::{self, Classify, DEFAULT_TERM, Decision, Fur, Handled};
use turno_domain::calendar::State as Entidad;
use turno_domain::citizen::{
    ContactMeans, Outcome, PetitionKind, PetitionerContact, Review, mask_address, mask_curp,
    mask_email, mask_name, mask_phone,
};
use turno_store::citizen::StoredPetition;
use turno_store::handling::{ANSWERED, IN_HANDLING};

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
    let (handled, motives) = handling::to_classify(&state, user, &folio).await?;
    let Handled {
        petition: stored,
        handling,
        whole,
    } = handled;
    let p = &stored.petition;
    let page = ClassifyPage {
        petition: view(&stored, whole),
        status: status_label(&handling.status),
        classified: handling.status != turno_store::handling::RECEIVED,
        case_folio: handling.case_folio,
        answer: handling.answer,
        kinds: PetitionKind::ALL
            .iter()
            .map(|k| (k.code(), k.label(), *k == p.kind))
            .collect(),
        motives: motives.into_iter().map(|m| (m.code, m.name)).collect(),
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

pub async fn classify(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let classifying = handling::classifying(&state, user, &folio).await?;
    let kind: PetitionKind = required(&submitted, "tipo", "Tipo")?
        .parse()
        .map_err(|e: turno_domain::citizen::UnknownKind| AppError::BadRequest(e.to_string()))?;
    let entidad = Entidad::from_name_or_code(required(&submitted, "entidad", "Entidad")?)
        .map_err(|_| AppError::BadRequest("Elija una entidad federativa.".into()))?;
    let motive = required(&submitted, "motivo", "Motivo")?.to_owned();
    let decision = if yes(&submitted, "amerita", "¿Amerita gestión?")? {
        Decision::Turn {
            days: term(&submitted)?,
        }
    } else {
        Decision::Answer(required(&submitted, "respuesta", "Respuesta al peticionario")?.to_owned())
    };
    let input = Classify {
        kind,
        motive,
        entidad,
        decision,
    };
    let handling = classifying.classify(&state, user, input).await?;
    if handling.status == IN_HANDLING {
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
    let slip = handling::slip(&state, user, &folio).await?;
    let names = UnitNames::load(&state).await?;
    let unit = &slip.liaison_unit;
    let page = SlipPage {
        petition: view(&slip.handled.petition, slip.handled.whole),
        case_folio: slip.case_folio,
        slip: slip.handled.handling.slip,
        motive: slip.motive,
        liaison: format!(
            "Enlace de Atención Ciudadana, {} ({unit})",
            names.name(unit)
        ),
        instruction: slip.instruction,
        turned_on: crate::views::when(&slip.turned_at.to_string(), &state.time_zone),
        term: slip
            .term_days
            .map_or_else(String::new, |days| format!("{days} días hábiles")),
        due_on: slip.due.map_or_else(String::new, turno_domain::text::day),
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

/// What the Enlace typed on the FUR and what is wrong with it, to show the form again.
#[derive(Default)]
struct FurEntered {
    submitted: Submitted,
    /// Each problem by the form's field name (`fecha`, `enlace`…), or `""` for the whole form.
    problems: Vec<(&'static str, String)>,
}

/// The form's inputs by the request's field names (`turno_app::handling::fur_field`).
const FUR_INPUTS: [(&str, &str); 5] = [
    ("liaison", "enlace"),
    ("answered_on", "fecha"),
    ("contact.on", "contacto_fecha"),
    ("actions", "acciones"),
    ("answer", "respuesta"),
];

impl FurEntered {
    fn value(&self, name: &str) -> &str {
        single(&self.submitted, name).unwrap_or_default()
    }

    fn error(&self, name: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|(field, _)| *field == name)
            .map(|(_, message)| message.as_str())
    }

    /// The problems that belong to no input.
    fn general(&self) -> Vec<&str> {
        self.problems
            .iter()
            .filter(|(field, _)| field.is_empty())
            .map(|(_, message)| message.as_str())
            .collect()
    }

    fn wrong(&mut self, field: &'static str, message: String) {
        self.problems.push((field, message));
    }
}

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
    entered: FurEntered,
}

pub async fn responses(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
) -> Result<Response, AppError> {
    let html = fur_page(&state, frame, &folio, FurEntered::default()).await?;
    Ok(Html(html).into_response())
}

/// The FUR page, with what the Enlace typed and its problems when it is shown again.
async fn fur_page(
    state: &AppState,
    frame: Frame,
    folio: &str,
    entered: FurEntered,
) -> Result<String, AppError> {
    let user = signed_in(&frame)?;
    let seen = handling::responses(state, user, folio).await?;
    let Handled {
        petition: stored,
        handling,
        whole,
    } = seen.handled;
    let responses = handling
        .responses
        .iter()
        .map(|r| ResponseView {
            slip: r.form.slip,
            liaison: r.form.liaison.clone(),
            answered_on: turno_domain::text::day(r.form.answered_on),
            contact: r.form.contact.map_or_else(
                || "Sin contacto".to_owned(),
                |c| format!("{} ({})", c.means.label(), turno_domain::text::day(c.on)),
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
        petition: view(&stored, whole),
        status: status_label(&handling.status),
        slip: handling.slip,
        responses,
        may_answer: seen.may_answer,
        may_review: seen.may_review,
        today: state.today().to_string(),
        means: MEANS.iter().map(|(code, m)| (*code, m.label())).collect(),
        outcomes: OUTCOMES
            .iter()
            .map(|(code, o)| (*code, o.label()))
            .collect(),
        entered,
        layout: frame.layout,
    };
    Ok(page.render().map_err(anyhow::Error::from)?)
}

/// A date the form gives, or its problem next to its input.
fn date_field(
    entered: &mut FurEntered,
    name: &'static str,
    label: &str,
) -> Option<jiff::civil::Date> {
    let text = entered.value(name).to_owned();
    if text.is_empty() {
        entered.wrong(name, format!("Falta «{label}»."));
        return None;
    }
    let parsed = text.parse().ok();
    if parsed.is_none() {
        entered.wrong(name, format!("«{label}»: «{text}» no es una fecha."));
    }
    parsed
}

/// `POST /peticiones/{folio}/fur`: the Enlace answers the volante in force. A FUR with
/// problems is shown again with each next to its input and everything typed kept.
pub async fn answer(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let answering = handling::answering(&state, user, &folio).await?;
    let mut entered = FurEntered {
        submitted,
        problems: Vec::new(),
    };
    let answered_on = date_field(&mut entered, "fecha", "Fecha de respuesta");
    let contact = match entered.value("contacto_medio") {
        "" => Some(None),
        code => {
            let means = MEANS.iter().find(|(c, _)| *c == code).map(|(_, m)| *m);
            if means.is_none() {
                entered.wrong("contacto_medio", "Elija el medio de contacto.".into());
            }
            let on = date_field(&mut entered, "contacto_fecha", "Fecha de contacto");
            means
                .zip(on)
                .map(|(means, on)| Some(PetitionerContact { on, means }))
        }
    };
    let outcome = OUTCOMES
        .iter()
        .find(|(c, _)| *c == entered.value("resultado"))
        .map(|(_, o)| *o);
    if outcome.is_none() {
        entered.wrong("resultado", "Elija el resultado.".into());
    }
    if let (Some(answered_on), Some(contact), Some(outcome)) = (answered_on, contact, outcome) {
        let fur = Fur {
            liaison: entered.value("enlace").to_owned(),
            answered_on,
            contact,
            actions: entered.value("acciones").to_owned(),
            outcome,
            answer: entered.value("respuesta").to_owned(),
        };
        match answering.answer(&state, user, fur).await {
            Ok(_) => {
                flash(&frame, "Respuesta registrada en el FUR.");
                return Ok(Redirect::to(&format!("/peticiones/{folio}/fur")).into_response());
            }
            Err(turno_app::Error::InvalidFields(problems)) => {
                for problem in problems {
                    let input = FUR_INPUTS
                        .iter()
                        .find(|(field, _)| *field == problem.field)
                        .map_or("", |(_, input)| input);
                    entered.wrong(input, problem.message);
                }
            }
            Err(other) => return Err(other.into()),
        }
    }
    let html = fur_page(&state, frame, &folio, entered).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
}

/// `POST /peticiones/{folio}/revision`: «¿Está completa y es favorable la respuesta?»
pub async fn review(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let user = signed_in(&frame)?;
    let reviewing = handling::reviewing(&state, user, &folio).await?;
    let review = Review {
        complete: yes(&submitted, "completa", "¿Está completa?")?,
        favorable: yes(&submitted, "favorable", "¿Es favorable?")?,
    };
    let observations = single(&submitted, "observaciones").map(str::to_owned);
    // The Enlace's term matters only when the answer goes back to them.
    let days = if review.closes() {
        DEFAULT_TERM
    } else {
        term(&submitted)?
    };
    reviewing
        .review(&state, user, review, observations, days)
        .await?;
    let message = if review.closes() {
        "Respuesta completa y favorable: la petición queda atendida."
    } else {
        "Petición turnada de nuevo al Enlace para ampliar la respuesta."
    };
    flash(&frame, message);
    Ok(Redirect::to(&format!("/peticiones/{folio}/fur")))
}
