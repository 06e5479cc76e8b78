//! `/peticiones`: the petitions a person sees (`turno_app::petitions::list`: every entidad for the
//! attention units and administrators, their own entidad for an entidad's people), filtered
//! by entidad, type, status and dates of reception. Personal data are always masked here;
//! the detail page shows them whole to those who need them.

use crate::error::AppError;
use crate::forms::{Submitted, single};
use crate::page::{Frame, Layout};
use crate::routes::search::Choice;
use crate::state::AppState;
use crate::views::{kind_choices, petition_status, received, signed_in, state_choices};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use turno_app::petitions::{self, LISTED, Listing};
use turno_domain::calendar::State as Entidad;
use turno_domain::citizen::{MaskedContact, PetitionKind};
use turno_store::citizen::PetitionFilter;

pub struct Row {
    pub folio: String,
    pub received: String,
    pub kind: &'static str,
    pub state: &'static str,
    pub health_unit: String,
    pub status: String,
    pub contact: MaskedContact,
}

#[derive(Template)]
#[template(path = "petitions.html")]
struct PetitionsPage {
    layout: Layout,
    rows: Vec<Row>,
    kinds: Vec<Choice>,
    states: Vec<Choice>,
    status: String,
    from: String,
    to: String,
    may_import: bool,
    shown: u32,
}

fn date(query: &Submitted, name: &str, label: &str) -> Result<Option<jiff::civil::Date>, AppError> {
    single(query, name)
        .map(|d| {
            d.parse().map_err(|_| {
                AppError::BadRequest(format!("«{d}» no es una fecha válida ({label})."))
            })
        })
        .transpose()
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let entidad = single(&query, "entidad")
        .map(|s| {
            Entidad::from_name_or_code(s)
                .map_err(|_| AppError::BadRequest(format!("«{s}» no es una entidad federativa.")))
        })
        .transpose()?;
    let kind = single(&query, "tipo")
        .map(|k| {
            k.parse::<PetitionKind>()
                .map_err(|e| AppError::BadRequest(e.to_string()))
        })
        .transpose()?;
    let filter = PetitionFilter {
        state: entidad,
        kind,
        status: single(&query, "estado").map(str::to_owned),
        from: date(&query, "desde", "desde")?,
        to: date(&query, "hasta", "hasta")?,
        limit: LISTED,
    };
    let Listing { scope, petitions } = petitions::list(&state, user, filter.clone()).await?;
    let rows = petitions
        .into_iter()
        .map(|p| Row {
            folio: p.folio.to_string(),
            received: received(&p.petition.received_at),
            kind: p.petition.kind.label(),
            state: p.petition.state.name(),
            health_unit: p.petition.health_unit.clone().unwrap_or_default(),
            status: petition_status(&p.status),
            contact: p.petition.contact.masked(),
        })
        .collect();
    let page = PetitionsPage {
        kinds: kind_choices("Todos", kind.map_or("", PetitionKind::code)),
        states: state_choices("Todas", entidad.map_or("", Entidad::code))
            .into_iter()
            .filter(|c| {
                c.value.is_empty()
                    || Entidad::from_name_or_code(&c.value).is_ok_and(|e| scope.includes(e))
            })
            .collect(),
        status: filter.status.unwrap_or_default(),
        from: filter.from.map(|d| d.to_string()).unwrap_or_default(),
        to: filter.to.map(|d| d.to_string()).unwrap_or_default(),
        may_import: turno_app::access::may_work_petitions(user),
        shown: LISTED,
        rows,
        layout: frame.layout,
    };
    crate::page::html(&page)
}
