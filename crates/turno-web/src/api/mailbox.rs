//! `POST /api/v1/petitions/mailbox`: the public mailbox (procedure 97, buzón web) for other
//! systems, as `/atencion` is for people: anyone files a petition without a token, through the
//! same use case (`turno_app::petitions::file`), with the same checks (`Draft::check`, every
//! problem by field), the same body limit and the same count of submissions per client, pages
//! and API together. The petitioner follows it with `POST /api/v1/petitions/status`.

use super::error::{ApiError, ErrorBody, FieldError, Json};
use super::petitions::{FiledPetition, KindCode, StateCode, field_name, given};
use crate::auth::csrf::random_bytes;
use crate::limits::{self, Client};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use turno_app::petitions::{self, Rejected};
use turno_domain::citizen::{Draft, Field};
use utoipa::ToSchema;

/// A petition's texts, as the mailbox and the attention units' registration take them. A
/// field left out is a blank one.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PetitionTexts {
    #[schema(value_type = KindCode, required = true)]
    pub kind: Option<String>,
    #[schema(value_type = StateCode, required = true)]
    pub state: Option<String>,
    /// The health unit it is about.
    #[schema(max_length = 300)]
    pub health_unit: Option<String>,
    /// What the petitioner says.
    #[schema(required = true, min_length = 1, max_length = 5000)]
    pub narrative: Option<String>,
    #[schema(max_length = 300)]
    pub name: Option<String>,
    /// With a valid check digit.
    #[schema(
        min_length = 18,
        max_length = 18,
        pattern = "^[A-Za-z]{4}[0-9]{6}[HMXhmx][A-Za-z]{5}[A-Za-z0-9][0-9]$"
    )]
    pub curp: Option<String>,
    /// Ten digits; spaces, hyphens, dots, parentheses and `+52` are read.
    #[schema(max_length = 20, example = "33 1234 5678")]
    pub phone: Option<String>,
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    #[schema(max_length = 300)]
    pub address: Option<String>,
}

impl PetitionTexts {
    /// The texts as the domain checks them (`Draft::check`).
    pub fn draft(&self) -> Draft<'_> {
        Draft {
            kind: given(&self.kind),
            state: given(&self.state),
            health_unit: given(&self.health_unit),
            narrative: given(&self.narrative),
            name: given(&self.name),
            curp: given(&self.curp),
            phone: given(&self.phone),
            email: given(&self.email),
            address: given(&self.address),
        }
    }
}

/// A petition as the mailbox's form takes it.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct MailboxPetition {
    #[serde(flatten)]
    pub petition: PetitionTexts,
    /// Whether the petitioner accepted the privacy notice: without it the petition is not
    /// filed.
    #[schema(required = true)]
    pub privacy_consent: Option<bool>,
}

/// Files a petition through the public mailbox, without a token, as `/atencion` does: it gets
/// its folio and an access code, given this once, with which the petitioner follows it
/// (`POST /api/v1/petitions/status`). Each client may send 10 petitions an hour (valid or not),
/// pages and API together.
#[utoipa::path(
    post,
    path = "/api/v1/petitions/mailbox",
    operation_id = "file_petition",
    tag = "peticiones",
    request_body = MailboxPetition,
    responses(
        (status = 201, description = "Presentada: el folio y el código de acceso, que no se vuelve a mostrar", body = FiledPetition),
        (status = 413, description = "El cuerpo pasa de 96 KiB", body = ErrorBody),
        (status = 415, description = "El cuerpo no es JSON", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`invalid_fields`, cada campo con su problema), o un cuerpo que no tiene la forma esperada", body = ErrorBody),
        (status = 429, description = "Demasiadas peticiones desde la misma conexión", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Los segundos que faltan para intentar de nuevo"))),
    ),
)]
pub async fn file(
    State(state): State<AppState>,
    client: Client,
    Json(petition): Json<MailboxPetition>,
) -> Result<Response, ApiError> {
    limits::check(&state, &limits::SUBMISSIONS, &client).await?;
    let draft = petition.petition.draft();
    let consented = petition.privacy_consent.unwrap_or(false);
    let filed = match petitions::file(&state, draft, consented, random_bytes()).await {
        Ok(filed) => filed,
        Err(Rejected::Fields { petition, .. }) => {
            let fields = petition
                .iter()
                .map(|p| {
                    let field = match p.field {
                        Field::PrivacyConsent => "privacy_consent",
                        other => field_name(other),
                    };
                    FieldError::new(field, p.reason.clone())
                })
                .collect();
            return Err(ApiError::invalid_fields(fields));
        }
        Err(Rejected::Error(e)) => return Err(e.into()),
    };
    let body = FiledPetition {
        folio: filed.folio.to_string(),
        access_code: filed.code.to_string(),
    };
    // The code is shown once: no cache may keep the answer.
    Ok((
        StatusCode::CREATED,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(body),
    )
        .into_response())
}
