//! Case fields as form inputs, and typed back from what the person submitted.

use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartError};
use std::collections::BTreeMap;
use turno_app::FieldProblem;
use turno_app::fields::Asked;
use turno_domain::definition::{FieldDef, FieldType, Procedure};
use turno_domain::engine::Value;

pub enum InputKind {
    Line(&'static str),
    TextArea,
    Select,
    Checkboxes,
}

pub struct FieldInput {
    pub name: String,
    pub label: String,
    pub kind: InputKind,
    pub required: bool,
    /// The choices as (value sent, text shown): a participant is shown by its name.
    pub options: Vec<(String, String)>,
    /// What was submitted (or is stored), to show it again.
    pub value: String,
    pub error: Option<String>,
}

impl FieldInput {
    pub fn new(procedure: &Procedure, field: &FieldDef, required: bool) -> FieldInput {
        let kind = match field.ty {
            FieldType::Text => InputKind::Line("text"),
            FieldType::LongText => InputKind::TextArea,
            FieldType::Integer | FieldType::Decimal => InputKind::Line("text"),
            FieldType::Date => InputKind::Line("date"),
            FieldType::Boolean | FieldType::Choice => InputKind::Select,
            FieldType::Participants => InputKind::Checkboxes,
        };
        let options = match field.ty {
            FieldType::Boolean => ["Sí", "No"].map(|o| (o.to_owned(), o.to_owned())).to_vec(),
            FieldType::Participants => field
                .options
                .iter()
                .map(|key| {
                    let name = procedure
                        .participant_by_key(key)
                        .map_or(key, |id| &procedure.participant(id).name);
                    (key.clone(), format!("{name} ({key})"))
                })
                .collect(),
            _ => field
                .options
                .iter()
                .map(|o| (o.clone(), o.clone()))
                .collect(),
        };
        FieldInput {
            name: field.name.clone(),
            label: field.label.clone(),
            kind,
            required,
            options,
            value: String::new(),
            error: None,
        }
    }
}

impl FieldInput {
    /// Whether a checkbox option was chosen.
    pub fn is_chosen(&self, option: &str) -> bool {
        self.value.split(',').any(|v| v == option)
    }
}

/// A submitted form as name → values (checkboxes send a name several times).
pub type Submitted = Vec<(String, String)>;

/// Every value given for `name`, trimmed, the blank ones left out.
pub fn values<'a>(submitted: &'a Submitted, name: &str) -> Vec<&'a str> {
    submitted
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
        .collect()
}

/// The first value given for `name`, trimmed; `None` when it is missing or blank.
pub fn single<'a>(submitted: &'a Submitted, name: &str) -> Option<&'a str> {
    values(submitted, name).into_iter().next()
}

/// A short text field of a multipart form, read whole: `None` when it passes `limit` bytes
/// (read no further) or is not UTF-8.
pub async fn short_text(
    field: &mut Field<'_>,
    limit: usize,
) -> Result<Option<String>, MultipartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > limit {
            return Ok(None);
        }
    }
    Ok(String::from_utf8(bytes).ok())
}

/// A form sent as multipart/form-data, read whole: its text fields, and the file sent in
/// field `file` as its name (made safe; `unnamed` when the browser gave none) and bytes.
pub async fn with_file(
    multipart: &mut Multipart,
    file: &str,
    unnamed: &str,
) -> Result<(Submitted, Option<(String, Vec<u8>)>), crate::error::AppError> {
    let (submitted, mut sent) = with_files(multipart, file, unnamed).await?;
    Ok((submitted, sent.pop()))
}

/// As [`with_file`], with every file sent in field `file`, in their order.
pub async fn with_files(
    multipart: &mut Multipart,
    file: &str,
    unnamed: &str,
) -> Result<(Submitted, Vec<(String, Vec<u8>)>), crate::error::AppError> {
    let unreadable =
        |_| crate::error::AppError::BadRequest("No se pudo leer el formulario enviado.".into());
    let mut submitted: Submitted = Vec::new();
    let mut sent = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == file {
            let file_name = crate::documents::file_name(field.file_name().unwrap_or(unnamed));
            sent.push((file_name, field.bytes().await.map_err(unreadable)?.to_vec()));
        } else {
            submitted.push((name, field.text().await.map_err(unreadable)?));
        }
    }
    Ok((submitted, sent))
}

/// A form shown again after its use case refused it, so that nothing typed is lost: what was
/// sent, each problem next to its field (by the name the application gives it), and the
/// problems no input of the page shows told above the form.
#[derive(Default)]
pub struct Again {
    submitted: Submitted,
    problems: Vec<FieldProblem>,
    /// Problems of the whole form (a conflict, a refusal by the rules), or of fields the page
    /// has no input for.
    pub general: Vec<String>,
    /// Refused because someone acted first (409), rather than for what was typed (422).
    conflict: bool,
}

impl Again {
    /// `error` as the form sent (`submitted`) shows it again; `shown` names the fields the
    /// page has an input for, as the application names them. What no form can show (not
    /// found, denied, a failure) stays an error page.
    pub fn refused(
        submitted: Submitted,
        error: turno_app::Error,
        shown: &[&str],
    ) -> Result<Again, crate::error::AppError> {
        use turno_app::Error;
        let conflict = matches!(error, Error::Conflict(_));
        let (problems, general) = match error {
            Error::InvalidFields(problems) => {
                let (next_to, above): (Vec<_>, Vec<_>) = problems
                    .into_iter()
                    .partition(|p| shown.contains(&p.field.as_str()));
                (next_to, above.into_iter().map(|p| p.message).collect())
            }
            Error::Invalid(message)
            | Error::Refused(message)
            | Error::Conflict(message)
            | Error::TooLarge(message)
            | Error::WrongType(message)
            | Error::Incomplete(message) => (Vec::new(), vec![message]),
            Error::InvalidFile(lines) => (Vec::new(), lines),
            other => return Err(other.into()),
        };
        Ok(Again {
            submitted,
            problems,
            general,
            conflict,
        })
    }

    /// The form's conflict told next to `field` (as the application names it) rather than
    /// above the form: for a form whose only conflict is about that field (a login or a code
    /// someone else took). The status stays a conflict's.
    pub fn conflict_about(mut self, field: &str) -> Again {
        if self.conflict {
            self.problems.extend(
                self.general
                    .drain(..)
                    .map(|message| FieldProblem::new(field, message)),
            );
        }
        self
    }

    /// A form shown filled with stored values (a draft to correct), with no problem.
    pub fn filled(submitted: Submitted) -> Again {
        Again {
            submitted,
            ..Again::default()
        }
    }

    /// What was typed in `name`, as it was typed (empty on a form not sent yet).
    pub fn value(&self, name: &str) -> &str {
        self.submitted
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value sent for `name` (a multiple choice), in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        values(&self.submitted, name)
    }

    /// Whether `value` was among those sent for `name` (a checkbox, an option).
    pub fn chosen(&self, name: &str, value: &str) -> bool {
        self.submitted.iter().any(|(k, v)| k == name && v == value)
    }

    /// Every problem of `field` (as the application names it), in one text.
    pub fn error(&self, field: &str) -> Option<String> {
        let told: Vec<&str> = self
            .problems
            .iter()
            .filter(|p| p.field == field)
            .map(|p| p.message.as_str())
            .collect();
        (!told.is_empty()).then(|| told.join(" "))
    }

    /// Each problem of `field`, apart: for a field with many (a file's rows).
    pub fn errors(&self, field: &str) -> Vec<&str> {
        self.problems
            .iter()
            .filter(|p| p.field == field)
            .map(|p| p.message.as_str())
            .collect()
    }

    /// The status of the page showing it again: 409 when someone acted first, 422 when what
    /// was typed was refused (nothing was taken either way; a browser shows it as any page).
    pub fn status(&self) -> axum::http::StatusCode {
        if self.conflict {
            axum::http::StatusCode::CONFLICT
        } else {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        }
    }

    /// Every problem, of the fields and of the whole form: for a form the page no longer shows.
    pub fn messages(&self) -> Vec<&str> {
        let fields = self.problems.iter().map(|p| p.message.as_str());
        fields
            .chain(self.general.iter().map(String::as_str))
            .collect()
    }

    /// Whether the form is shown again (rather than for the first time).
    pub fn is_refused(&self) -> bool {
        !self.problems.is_empty() || !self.general.is_empty()
    }

    /// The status of a page that shows this form: 200 the first time, else as [`Again::status`].
    pub fn page_status(&self) -> axum::http::StatusCode {
        if self.is_refused() {
            self.status()
        } else {
            axum::http::StatusCode::OK
        }
    }

    /// A procedure's fields as inputs showing what was typed in them, each with its problem.
    pub fn fill(&self, inputs: &mut [FieldInput]) {
        for input in inputs {
            input.value = values(&self.submitted, &input.name).join(",");
            input.error = self.error(&input.name);
        }
    }

    /// Everything typed, a line per value (`name: value`), but the form's own hidden fields
    /// (`hidden`): to copy when the form it was typed in is gone.
    pub fn typed(&self, hidden: &[&str]) -> String {
        self.submitted
            .iter()
            .filter(|(k, v)| !hidden.contains(&k.as_str()) && !v.trim().is_empty())
            .map(|(k, v)| format!("{k}: {}", v.trim()))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A page showing a refused form again, with the status [`Again::status`] gives it.
pub fn shown_again(
    status: axum::http::StatusCode,
    page: &impl askama::Template,
) -> Result<axum::response::Response, crate::error::AppError> {
    crate::page::html_with(status, page)
}

/// A form's answer: taken, `done` gives the message left for the next page and where the
/// browser goes; refused, the page `again` builds shows the form as sent, each problem next to
/// the field of `shown` it is about ([`Again::refused`]); what no form can show stays an error
/// page.
pub async fn answered<T, P: askama::Template>(
    frame: crate::page::Frame,
    submitted: Submitted,
    result: Result<T, turno_app::Error>,
    shown: &[&str],
    done: impl FnOnce(T) -> (String, String),
    again: impl AsyncFnOnce(crate::page::Frame, Again) -> Result<P, crate::error::AppError>,
) -> Result<axum::response::Response, crate::error::AppError> {
    use axum::response::IntoResponse;
    match result {
        Ok(taken) => {
            let (message, to) = done(taken);
            crate::page::flash(&frame, &message);
            Ok(axum::response::Redirect::to(&to).into_response())
        }
        Err(e) => {
            let refused = Again::refused(submitted, e, shown)?;
            let status = refused.status();
            shown_again(status, &again(frame, refused).await?)
        }
    }
}

/// The field of a form's one-time key (`csrf::random_token` when the page is shown): sent
/// again (Back and submit, a double click), the form is taken once and answers the first
/// result, through the application's idempotency keys, as the API's `Idempotency-Key`.
pub const ONCE: &str = "clave";

/// The one-time key a form carries, kept per person (as the API's keys, in a space of their
/// own) so that one person's keys never meet another's; `None` when the form has none or it is
/// not one this application gives (1 to 100 visible ASCII characters).
pub fn once_key(submitted: &Submitted, user: &crate::auth::SignedIn) -> Option<String> {
    single(submitted, ONCE)
        .filter(|key| key.len() <= 100 && key.bytes().all(|b| b.is_ascii_graphic()))
        .map(|key| format!("pagina:{}:{key}", user.id))
}

/// A value the form must have: its text, or the page saying which field (by `label`) is missing.
pub fn required<'a>(
    submitted: &'a Submitted,
    name: &str,
    label: &str,
) -> Result<&'a str, crate::error::AppError> {
    single(submitted, name)
        .ok_or_else(|| crate::error::AppError::BadRequest(format!("Falta «{label}».")))
}

/// What was typed in the `asked` fields, by name: several choices joined by commas, blank
/// ones left out, as the application reads them (`turno_app::fields`).
pub fn given(asked: &[Asked<'_>], submitted: &Submitted) -> BTreeMap<String, String> {
    asked
        .iter()
        .filter_map(|(field, _)| {
            let values = values(submitted, &field.name);
            (!values.is_empty()).then(|| (field.name.clone(), values.join(",")))
        })
        .collect()
}

/// A stored value as people read it.
pub fn show(value: &Value) -> String {
    match value {
        Value::Text(t) | Value::Decimal(t) => t.clone(),
        Value::Integer(n) => n.to_string(),
        Value::Date(d) => turno_domain::text::day(*d),
        Value::Boolean(true) => "Sí".into(),
        Value::Boolean(false) => "No".into(),
        Value::Participants(keys) => keys.join(", "),
    }
}
