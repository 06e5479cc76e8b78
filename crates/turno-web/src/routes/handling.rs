//! Handling a petition (procedures 96 and 97; docs/citizen-format.md, «Atención de
//! peticiones»), the pages of `turno_app::handling`: `GET|POST /peticiones/{folio}/clasificar`
//! classifies it and answers it or turns it with a volante de trámite, a case of
//! `sinac-volante` turned to the entidad's Enlace; `GET /peticiones/{folio}/volante` prints the
//! volante in force; `GET|POST /peticiones/{folio}/fur` shows the FURs and takes the Enlace's;
//! `POST /peticiones/{folio}/revision` reviews it «¿completa y favorable?», closing the
//! petition or turning it again.

use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Again, Submitted, shown_again, single};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::{UnitNames, signed_in};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use turno_app::FieldProblem;
use turno_app::handling::{self, Classify, DEFAULT_TERM, Decision, Fur, Handled};
use turno_domain::calendar::State as Entidad;
use turno_domain::citizen::{
    ContactMeans, Outcome, PetitionKind, PetitionerContact, Review, mask_address, mask_curp,
    mask_email, mask_name, mask_phone,
};
use turno_domain::engine::MAX_TURN_DAYS;
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
    /// The motives suggested, only shown: the form's choice stays the person's.
    suggestions: Vec<SuggestionView>,
    states: Vec<(&'static str, &'static str, bool)>,
    term: u16,
    /// The longest term the application takes, for the browser to check first.
    max_term: u16,
    /// The form, again when it was refused.
    classifying: Again,
}

/// A suggested motive as the page shows it.
struct SuggestionView {
    code: String,
    name: String,
    /// «87 %».
    percent: String,
    /// «farmacia», «receta».
    words: String,
}

impl From<handling::MotiveSuggestion> for SuggestionView {
    fn from(s: handling::MotiveSuggestion) -> SuggestionView {
        SuggestionView {
            percent: format!("{:.0} %", s.probability * 100.0),
            words: s
                .words
                .iter()
                .map(|w| format!("«{w}»"))
                .collect::<Vec<_>>()
                .join(", "),
            code: s.code,
            name: s.name,
        }
    }
}

pub async fn form(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
) -> Result<Response, AppError> {
    let page = classify_page(&state, frame, &folio, Again::default()).await?;
    crate::page::html(&page)
}

/// The classification's page, with the form as it was sent when it was refused.
async fn classify_page(
    state: &AppState,
    frame: Frame,
    folio: &str,
    classifying: Again,
) -> Result<ClassifyPage, AppError> {
    let user = signed_in(&frame)?;
    let handling::ToClassify {
        handled,
        motives,
        suggestions,
    } = handling::to_classify(state, user, folio).await?;
    let Handled {
        petition: stored,
        handling,
        whole,
    } = handled;
    let p = &stored.petition;
    // The choices as sent, or as the petition came.
    let refused = classifying.is_refused();
    Ok(ClassifyPage {
        petition: view(&stored, whole),
        status: status_label(&handling.status),
        classified: handling.status != turno_store::handling::RECEIVED,
        case_folio: handling.case_folio,
        answer: handling.answer,
        kinds: PetitionKind::ALL
            .iter()
            .map(|k| {
                let chosen = if refused {
                    classifying.chosen("tipo", k.code())
                } else {
                    *k == p.kind
                };
                (k.code(), k.label(), chosen)
            })
            .collect(),
        motives: motives.into_iter().map(|m| (m.code, m.name)).collect(),
        suggestions: suggestions.into_iter().map(SuggestionView::from).collect(),
        states: Entidad::all()
            .map(|s| {
                let chosen = if refused {
                    classifying.chosen("entidad", s.code())
                } else {
                    s == p.state
                };
                (s.code(), s.name(), chosen)
            })
            .collect(),
        term: DEFAULT_TERM,
        max_term: MAX_TURN_DAYS,
        classifying,
        layout: frame.layout,
    })
}

/// A «Sí»/«No» answer of the form's radio `name`; its problem, named `field` as the
/// application names it, when it is missing.
fn yes(
    submitted: &Submitted,
    (name, field, label): (&str, &str, &str),
    problems: &mut Vec<FieldProblem>,
) -> Option<bool> {
    match single(submitted, name) {
        Some("si") => Some(true),
        Some("no") => Some(false),
        _ => {
            problems.push(FieldProblem::new(
                field,
                format!("«{label}»: responda Sí o No."),
            ));
            None
        }
    }
}

/// The Enlace's term the form gives (10 días hábiles when blank), or its problem.
fn term(submitted: &Submitted, problems: &mut Vec<FieldProblem>) -> Option<u16> {
    let Some(text) = single(submitted, "plazo") else {
        return Some(DEFAULT_TERM);
    };
    let days = text.parse().ok();
    if days.is_none() {
        problems.push(FieldProblem::new(
            "days",
            format!("«{text}» no es un plazo en días hábiles."),
        ));
    }
    days
}

/// The classification's inputs, as the application names their values.
const CLASSIFY_SHOWN: [&str; 6] = ["kind", "motive", "state", "needs_action", "days", "answer"];

/// `POST /peticiones/{folio}/clasificar`: refused, the form again with every problem by its
/// field and what was typed.
pub async fn classify(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let classifying = handling::classifying(&state, user, &folio).await?;
    // Read as given; the application names every problem at once, next to its field.
    let decision = match single(&submitted, "amerita") {
        Some("si") => Some(Decision::Turn {
            days: single(&submitted, "plazo").map_or(Some(DEFAULT_TERM), |days| days.parse().ok()),
        }),
        Some("no") => Some(Decision::Answer(
            single(&submitted, "respuesta")
                .unwrap_or_default()
                .to_owned(),
        )),
        _ => None,
    };
    let input = Classify {
        kind: single(&submitted, "tipo").and_then(|code| code.parse().ok()),
        motive: single(&submitted, "motivo").unwrap_or_default().to_owned(),
        entidad: single(&submitted, "entidad")
            .and_then(|code| Entidad::from_name_or_code(code).ok()),
        decision,
    };
    let classified = classifying.classify(&state, user, input).await;
    match classified {
        Ok(handling) if handling.status == IN_HANDLING => {
            flash(&frame, "Petición turnada con volante de trámite.");
            Ok(Redirect::to(&format!("/peticiones/{folio}/volante")).into_response())
        }
        Ok(_) => {
            flash(&frame, "Petición respondida y registrada.");
            Ok(Redirect::to(&format!("/peticiones/{folio}/clasificar")).into_response())
        }
        Err(e) => {
            let again = Again::refused(submitted, e, &CLASSIFY_SHOWN)?;
            let status = again.status();
            shown_again(status, &classify_page(&state, frame, &folio, again).await?)
        }
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
    crate::page::html(&page)
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

/// The FUR's inputs, as the application names their values (`turno_app::handling::fur_field`;
/// the means of contact and the outcome are read here).
const FUR_SHOWN: [&str; 7] = [
    "liaison",
    "answered_on",
    "contact.means",
    "contact.on",
    "actions",
    "outcome",
    "answer",
];

/// The review's inputs, as the application names their values.
const REVIEW_SHOWN: [&str; 4] = ["complete", "favorable", "observations", "days"];

/// The forms of the FUR page, again when one of them was refused.
#[derive(Default)]
struct FurForms {
    answering: Again,
    reviewing: Again,
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
    /// The Enlace's FUR, again when it was refused.
    answering: Again,
    /// The review, again when it was refused.
    reviewing: Again,
    /// What was typed in a refused review whose form is gone (someone reviewed first).
    review_typed: String,
}

pub async fn responses(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
) -> Result<Response, AppError> {
    let page = fur_page(&state, frame, &folio, FurForms::default()).await?;
    crate::page::html(&page)
}

/// The FUR page, with a refused form as it was sent and its problems.
async fn fur_page(
    state: &AppState,
    frame: Frame,
    folio: &str,
    forms: FurForms,
) -> Result<FurPage, AppError> {
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
    Ok(FurPage {
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
        answering: forms.answering,
        review_typed: forms.reviewing.typed(&["csrf"]),
        reviewing: forms.reviewing,
        layout: frame.layout,
    })
}

/// The date the form gives in `name`, or its problem, named `field` as the application names
/// it.
fn date_field(
    submitted: &Submitted,
    (name, field, label): (&str, &str, &str),
    problems: &mut Vec<FieldProblem>,
) -> Option<jiff::civil::Date> {
    let Some(text) = single(submitted, name) else {
        problems.push(FieldProblem::new(field, format!("Falta «{label}».")));
        return None;
    };
    let parsed = text.parse().ok();
    if parsed.is_none() {
        problems.push(FieldProblem::new(
            field,
            format!("«{label}»: «{text}» no es una fecha."),
        ));
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
    let mut problems = Vec::new();
    let text = |name: &str| single(&submitted, name).unwrap_or_default().to_owned();
    let answered_on = date_field(
        &submitted,
        ("fecha", "answered_on", "Fecha de respuesta"),
        &mut problems,
    );
    let contact = match single(&submitted, "contacto_medio") {
        None => Some(None),
        Some(code) => {
            let means = MEANS.iter().find(|(c, _)| *c == code).map(|(_, m)| *m);
            if means.is_none() {
                problems.push(FieldProblem::new(
                    "contact.means",
                    "Elija el medio de contacto.",
                ));
            }
            let on = date_field(
                &submitted,
                ("contacto_fecha", "contact.on", "Fecha de contacto"),
                &mut problems,
            );
            means
                .zip(on)
                .map(|(means, on)| Some(PetitionerContact { on, means }))
        }
    };
    let outcome = OUTCOMES
        .iter()
        .find(|(c, _)| Some(*c) == single(&submitted, "resultado"))
        .map(|(_, o)| *o);
    if outcome.is_none() {
        problems.push(FieldProblem::new("outcome", "Elija el resultado."));
    }
    let answered = match (answered_on, contact, outcome) {
        (Some(answered_on), Some(contact), Some(outcome)) if problems.is_empty() => {
            let fur = Fur {
                liaison: text("enlace"),
                answered_on,
                contact,
                actions: text("acciones"),
                outcome,
                answer: text("respuesta"),
            };
            answering.answer(&state, user, fur).await
        }
        _ => Err(turno_app::Error::InvalidFields(problems)),
    };
    match answered {
        Ok(_) => {
            flash(&frame, "Respuesta registrada en el FUR.");
            Ok(Redirect::to(&format!("/peticiones/{folio}/fur")).into_response())
        }
        Err(e) => {
            let answering = Again::refused(submitted, e, &FUR_SHOWN)?;
            let status = answering.status();
            let forms = FurForms {
                answering,
                reviewing: Again::default(),
            };
            shown_again(status, &fur_page(&state, frame, &folio, forms).await?)
        }
    }
}

/// `POST /peticiones/{folio}/revision`: «¿Está completa y es favorable la respuesta?» Refused
/// (or reviewed by someone else first), the FUR page again with every problem by its field and
/// the observations kept.
pub async fn review(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let reviewed = reviewed(&state, user, &folio, &submitted).await;
    match reviewed {
        Ok(closed) => {
            let message = if closed {
                "Respuesta completa y favorable: la petición queda atendida."
            } else {
                "Petición turnada de nuevo al Enlace para ampliar la respuesta."
            };
            flash(&frame, message);
            Ok(Redirect::to(&format!("/peticiones/{folio}/fur")).into_response())
        }
        Err(e) => {
            let reviewing = Again::refused(submitted, e, &REVIEW_SHOWN)?;
            let status = reviewing.status();
            let forms = FurForms {
                answering: Again::default(),
                reviewing,
            };
            shown_again(status, &fur_page(&state, frame, &folio, forms).await?)
        }
    }
}

/// Reviews the FUR as the form says; whether the petition closed.
async fn reviewed(
    state: &AppState,
    user: &turno_app::Principal,
    folio: &str,
    submitted: &Submitted,
) -> Result<bool, turno_app::Error> {
    let reviewing = handling::reviewing(state, user, folio).await?;
    let mut problems = Vec::new();
    let complete = yes(
        submitted,
        ("completa", "complete", "¿Está completa?"),
        &mut problems,
    );
    let favorable = yes(
        submitted,
        ("favorable", "favorable", "¿Es favorable?"),
        &mut problems,
    );
    let (Some(complete), Some(favorable)) = (complete, favorable) else {
        return Err(turno_app::Error::InvalidFields(problems));
    };
    let review = Review {
        complete,
        favorable,
    };
    let observations = single(submitted, "observaciones").map(str::to_owned);
    // The Enlace's term matters only when the answer goes back to them.
    let days = if review.closes() {
        Some(DEFAULT_TERM)
    } else {
        term(submitted, &mut problems)
    };
    let Some(days) = days else {
        return Err(turno_app::Error::InvalidFields(problems));
    };
    reviewing
        .review(state, user, review, observations, days)
        .await?;
    Ok(review.closes())
}
