//! `/correspondencia`: the register of the person's units; `/correspondencia/registrar`: a
//! document registered with its scanned document and annexes (refused, the form again with
//! every problem by its field, what was typed, and the files held); `/correspondencia/{folio}`:
//! the document with its turns, whose forms post to `turns.rs`; its files and its acuse.

use crate::auth::csrf::CsrfMultipart;
use crate::error::AppError;
use crate::filters;
use crate::forms::{Again, Submitted, shown_again, values};
use crate::held::{self, Held};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::{Light, UnitNames, signed_in};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use tower_sessions::Session;
use turno_app::correspondence::incoming::{self, IncomingView, Registration, Upload};
use turno_domain::correspondence::{
    Classification, DocumentKind, IncomingDraft, Instruction, Priority, SenderKind,
};
use turno_store::Store;

/// A choice of a closed list, with the one chosen.
pub struct Option_ {
    pub value: &'static str,
    pub label: &'static str,
}

fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<Option_> {
    all.iter()
        .map(|t| Option_ {
            value: code(*t),
            label: label(*t),
        })
        .collect()
}

/// The instructions a turn may carry, for the forms.
pub fn instructions() -> Vec<Option_> {
    options(Instruction::ALL, Instruction::code, Instruction::label)
}

/// A document of the register, as its row shows it.
pub struct Row {
    pub view: IncomingView,
    pub unit_name: String,
    pub light: Option<Light>,
}

#[derive(Template)]
#[template(path = "correspondence_list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    pending: usize,
    may_register: bool,
    /// Administrators import a unit's existing register (`/correspondencia/importar`).
    may_import: bool,
}

/// The register: the documents registered by or turned to the person's units, the latest
/// received first, with the semáforo of what is pending.
pub async fn list(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let views = incoming::list(&state, user, 200).await?;
    let names = UnitNames::load(&state).await?;
    let may_register = !incoming::registering_units(&state, user).await?.is_empty();
    let may_import = user.is_admin();
    let rows: Vec<Row> = views
        .into_iter()
        .map(|view| Row {
            unit_name: names.name(&view.unit),
            light: view.due_status.map(Light),
            view,
        })
        .collect();
    let pending = rows.iter().filter(|r| r.view.pending()).count();
    let page = ListPage {
        layout: frame.layout,
        rows,
        pending,
        may_register,
        may_import,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

#[derive(Template)]
#[template(path = "correspondence_register.html")]
struct RegisterPage {
    layout: Layout,
    entered: Again,
    units: Vec<(String, String)>,
    kinds: Vec<Option_>,
    senders: Vec<Option_>,
    priorities: Vec<Option_>,
    classifications: Vec<Option_>,
    held: Vec<Held>,
    now: String,
    max_summary: usize,
}

impl RegisterPage {
    /// When it was received: what was typed, or now on a new form.
    fn received_at(&self) -> &str {
        match self.entered.value("received_at") {
            "" if !self.entered.is_refused() => &self.now,
            typed => typed,
        }
    }
}

async fn register_page(
    state: &AppState,
    frame: Frame,
    entered: Again,
    held: Vec<Held>,
) -> Result<RegisterPage, AppError> {
    let user = signed_in(&frame)?;
    let units = incoming::registering_units(state, user).await?;
    if units.is_empty() {
        return Err(turno_app::Error::Denied(
            "Registran correspondencia las personas que actúan en una unidad: usted no actúa en \
             ninguna."
                .into(),
        )
        .into());
    }
    let now = state.local_now();
    Ok(RegisterPage {
        layout: frame.layout,
        entered,
        units: units.into_iter().map(|u| (u.code, u.name)).collect(),
        kinds: options(DocumentKind::ALL, DocumentKind::code, DocumentKind::label),
        senders: options(SenderKind::ALL, SenderKind::code, SenderKind::label),
        priorities: options(Priority::ALL, Priority::code, Priority::label),
        classifications: options(
            Classification::ALL,
            Classification::code,
            Classification::label,
        ),
        held,
        now: format!("{}T{:02}:{:02}", now.date(), now.hour(), now.minute()),
        max_summary: turno_domain::correspondence::MAX_SUMMARY_CHARS,
    })
}

pub async fn form(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    let page = register_page(&state, frame, Again::default(), Vec::new()).await?;
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

/// The fields of the form, as the application names their problems.
const FIELDS: [&str; 17] = [
    "unit",
    "kind",
    "sender_kind",
    "sender_name",
    "sender_position",
    "sender_organization",
    "their_number",
    "their_date",
    "received_at",
    "subject",
    "summary",
    "priority",
    "classification",
    "annexes",
    "term_days",
    "in_reply_to",
    "files",
];

pub async fn register(
    State(state): State<AppState>,
    frame: Frame,
    session: Session,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let (form, sent) = crate::forms::with_files(&mut multipart, "files", "documento.pdf").await?;
    // The files held for the form shown before come first, in their order, then new ones.
    let mut files = Vec::new();
    for sha256 in values(&form, held::FIELD) {
        if let Some((name, content)) = held::take(&state, &session, sha256).await? {
            files.push(Upload { name, content });
        }
    }
    files.extend(
        sent.into_iter()
            .filter(|(_, bytes)| !bytes.is_empty())
            .map(|(name, content)| Upload { name, content }),
    );
    let text = |name: &str| crate::forms::single(&form, name).unwrap_or_default();
    let kept: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| (f.name.clone(), f.content.clone()))
        .collect();
    let registration = Registration {
        unit: text("unit"),
        draft: draft(&form),
        in_reply_to: text("in_reply_to"),
        files,
    };
    match incoming::register(&state, &user, registration).await {
        Ok(folio) => {
            flash(
                &frame,
                &format!("Documento registrado con el folio {folio}."),
            );
            Ok(Redirect::to(&format!("/correspondencia/{folio}")).into_response())
        }
        Err(e) => {
            let submitted: Submitted = form
                .iter()
                .filter(|(k, _)| k != held::FIELD)
                .cloned()
                .collect();
            let again = Again::refused(submitted, e, &FIELDS)?;
            let mut held = Vec::new();
            for (name, bytes) in kept {
                if let Some(h) = held::hold(&state, &session, &name, &bytes).await? {
                    held.push(h);
                }
            }
            let status = again.status();
            shown_again(status, &register_page(&state, frame, again, held).await?)
        }
    }
}

/// The draft of a form or an API request whose fields are named as the domain names them.
fn draft(form: &Submitted) -> IncomingDraft<'_> {
    let text = |name: &str| crate::forms::single(form, name).unwrap_or_default();
    IncomingDraft {
        kind: text("kind"),
        sender_kind: text("sender_kind"),
        sender_name: text("sender_name"),
        sender_position: text("sender_position"),
        sender_organization: text("sender_organization"),
        their_number: text("their_number"),
        their_date: text("their_date"),
        received_at: text("received_at"),
        subject: text("subject"),
        summary: text("summary"),
        priority: text("priority"),
        classification: text("classification"),
        annexes: text("annexes"),
        term_days: text("term_days"),
    }
}

#[derive(Template)]
#[template(path = "correspondence_document.html")]
pub struct DocumentPage {
    pub layout: Layout,
    pub view: IncomingView,
    pub names: UnitNames,
    pub light: Option<Light>,
    pub instructions: Vec<Option_>,
    /// The units the registering unit may turn to: every unit, by name.
    pub units: Vec<(String, String)>,
    /// The people a turn from the registering unit may go to, by unit.
    pub people: Vec<PeopleOf>,
    /// Below each open turn the person answers, the units it may be turned on to (its own
    /// first, for one of its people) and their people.
    pub below: Vec<TurnOn>,
    /// A form refused, and which: `turnar`, or the turn's id.
    pub entered: Again,
    pub refused_form: String,
    pub time_zone: jiff::tz::TimeZone,
    /// Whether to offer «Iniciar asunto» (`cases::offers_start`).
    pub starts_case: bool,
}

/// Where an open turn may be turned on: its units (code, name) and their people.
pub struct TurnOn {
    pub turn: i64,
    pub units: Vec<(String, String)>,
    pub people: Vec<PeopleOf>,
}

/// The people of one unit a turn may go to: the unit's name, and each person's login and
/// name.
pub struct PeopleOf {
    pub unit: String,
    pub people: Vec<(String, String)>,
}

/// The people of `units` a turn may go to, grouped by unit, units without people left out.
async fn people_choices(
    state: &AppState,
    names: &UnitNames,
    units: &[String],
) -> Result<Vec<PeopleOf>, AppError> {
    let people = turno_app::correspondence::turns::people_of(state, units).await?;
    let mut groups: Vec<PeopleOf> = Vec::new();
    for person in people {
        let unit = names.name(&person.unit);
        let entry = (person.login, person.name);
        match groups.last_mut() {
            Some(group) if group.unit == unit => group.people.push(entry),
            _ => groups.push(PeopleOf {
                unit,
                people: vec![entry],
            }),
        }
    }
    Ok(groups)
}

impl DocumentPage {
    fn units_below(&self, turn: &i64) -> &[(String, String)] {
        self.below
            .iter()
            .find(|on| on.turn == *turn)
            .map_or(&[], |on| on.units.as_slice())
    }

    fn people_below(&self, turn: &i64) -> &[PeopleOf] {
        self.below
            .iter()
            .find(|on| on.turn == *turn)
            .map_or(&[], |on| on.people.as_slice())
    }

    /// A moment as the page shows it, in the agency's time zone.
    fn when(&self, at: &jiff::Timestamp) -> String {
        crate::views::local(*at, &self.time_zone)
    }
}

/// The document's page for `user`, with a refused form shown again (`entered`, `form`).
pub async fn document_page(
    state: &AppState,
    frame: Frame,
    folio: &str,
    entered: Again,
    refused_form: &str,
) -> Result<DocumentPage, AppError> {
    let user = signed_in(&frame)?;
    let view = incoming::show(state, user, folio).await?;
    let names = UnitNames::load(state).await?;
    let units = names.by_name();
    let mut below = Vec::new();
    for t in view
        .turns
        .iter()
        .filter(|t| t.may_answer && t.turn.instruction.needs_answer())
    {
        let codes = state
            .store
            .units_below(std::slice::from_ref(&t.turn.unit))
            .await
            .map_err(turno_app::Error::from)?;
        // Its own unit first: within it, the turn goes on to one of its people.
        let mut codes: Vec<String> = codes.into_iter().filter(|c| *c != t.turn.unit).collect();
        codes.insert(0, t.turn.unit.clone());
        let people = people_choices(state, &names, &codes).await?;
        let units: Vec<(String, String)> = codes
            .into_iter()
            .map(|c| {
                let name = names.name(&c);
                (c, name)
            })
            .collect();
        below.push(TurnOn {
            turn: t.turn.id,
            units,
            people,
        });
    }
    let people = if view.may_turn && view.sight.content {
        let codes: Vec<String> = units.iter().map(|(code, _)| code.clone()).collect();
        people_choices(state, &names, &codes).await?
    } else {
        Vec::new()
    };
    Ok(DocumentPage {
        starts_case: turno_app::correspondence::cases::offers_start(user, &view),
        layout: frame.layout,
        light: view.due_status.map(Light),
        units,
        people,
        names,
        instructions: instructions(),
        below,
        view,
        entered,
        refused_form: refused_form.to_owned(),
        time_zone: state.time_zone.clone(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
) -> Result<Response, AppError> {
    let page = document_page(&state, frame, &folio, Again::default(), "").await?;
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

/// One of the document's files (0 the scanned document), for whoever sees its files.
pub async fn file(
    State(state): State<AppState>,
    frame: Frame,
    Path((folio, position)): Path<(String, usize)>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let (attachment, content) = incoming::file(&state, user, &folio, position).await?;
    crate::documents::file_response(&attachment.media_type, &attachment.name, content)
        .map_err(|e| AppError::Internal(e.into()))
}

/// The acuse de recibo, as a PDF.
pub async fn receipt(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let bytes = super::pdf::receipt(&state, user, &folio).await?;
    super::pdf::response(&format!("acuse-{folio}.pdf"), bytes)
}
