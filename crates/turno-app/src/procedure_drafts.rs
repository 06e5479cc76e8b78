//! Procedure drafts in the application (issue 21, item 5; docs/manual-import.md, «En la
//! aplicación»): an administrator uploads a manual of procedures (PDF or text) or a BPMN 2.0
//! file, which is read into drafts as `turno import manual` and `turno import bpmn` read it
//! (one draft per procedure of a manual), each kept with its source text and review report;
//! reviews a draft beside its source, with the definition's problems by line; saves it
//! (checked again: a definition with problems is not saved); publishes it as a new version of
//! its key (every `turno serve` process serves it within a second, [`App::refresh_library`];
//! running cases stay on their version), or discards it. For administrators only; every change
//! on the audit log.

use crate::app::App;
use crate::error::{Error, FieldProblem};
use crate::limits;
use crate::principal::Principal;
use turno_domain::definition::{Procedure, parse_procedure};
use turno_domain::library::Library;
use turno_store::blobs::BlobStore as _;
use turno_store::procedure_drafts::{
    DraftSource, DraftState, NewProcedureDraft, ProcedureDraft, ProcedureDraftHead,
};
use turno_store::{ProcedureDrafts as _, Store as _};

/// Only administrators see and change drafts: what they publish is what every unit works by.
pub fn administering(user: &Principal) -> Result<(), Error> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(Error::Denied(
            "Solo las personas administradoras cargan, revisan y publican borradores de \
             procedimientos."
                .into(),
        ))
    }
}

/// An uploaded file to read into drafts.
pub struct Upload<'a> {
    /// `manual` (a manual of procedures, PDF or text) or `bpmn` (a BPMN 2.0 file).
    pub kind: &'a str,
    /// How the keys of a manual's drafts begin (`cnpss` → `cnpss-91`); empty: `manual`.
    pub prefix: &'a str,
    pub file_name: &'a str,
    pub content: &'a [u8],
}

/// One problem of a draft's definition, at its line (none: of the whole text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "Línea {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A draft as its review shows it.
#[derive(Debug, Clone)]
pub struct Review {
    pub draft: ProcedureDraft,
    /// What the definition's validator says of it now, by line.
    pub problems: Vec<Problem>,
    /// The definition, when it has no problems: its flowchart, its key and version.
    pub procedure: Option<Procedure>,
    /// The newest version published of the definition's key, if any.
    pub newest: Option<u32>,
}

/// What publishing a draft gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub key: String,
    pub version: u32,
    pub title: String,
}

/// Reads the uploaded file into drafts and records them, with the file in the blob store;
/// answers their ids. A kind, prefix or file that cannot be read records nothing, and says
/// why by field (`kind`, `prefix`, `file`).
pub async fn upload(app: &App, user: &Principal, upload: Upload<'_>) -> Result<Vec<i64>, Error> {
    administering(user)?;
    let mut problems = Vec::new();
    let source = match upload.kind.trim() {
        "manual" => Some(DraftSource::Manual),
        "bpmn" => Some(DraftSource::Bpmn),
        other => {
            problems.push(FieldProblem::new(
                "kind",
                format!(
                    "El tipo «{other}» no es «manual» (un manual de procedimientos en PDF o \
                     texto) ni «bpmn» (un archivo BPMN 2.0)."
                ),
            ));
            None
        }
    };
    let prefix = match upload.prefix.trim() {
        "" => "manual",
        prefix => prefix,
    };
    if prefix.chars().count() > limits::KEY_PREFIX
        || !prefix
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        problems.push(FieldProblem::new(
            "prefix",
            format!(
                "El prefijo «{prefix}» debe tener de 1 a {} minúsculas, dígitos o «-».",
                limits::KEY_PREFIX
            ),
        ));
    }
    let file_name = match upload.file_name.trim() {
        "" => "archivo".to_owned(),
        name => name.chars().take(limits::FILE_NAME).collect(),
    };
    if upload.content.is_empty() {
        problems.push(FieldProblem::new(
            "file",
            "Elija el archivo: un manual de procedimientos (.pdf o .txt) o un archivo BPMN \
             (.bpmn).",
        ));
    }
    let (Some(source), true) = (source, problems.is_empty()) else {
        return Err(Error::InvalidFields(problems));
    };
    let file_problem = |message: String| {
        Error::InvalidFields(vec![FieldProblem::new(
            "file",
            format!("{file_name}: {message}"),
        )])
    };
    let drafts = match source {
        DraftSource::Manual => {
            let text = crate::manual::manual_text(upload.content)
                .map_err(|e| file_problem(format!("{}.", capitalized(&e.to_string()))))?;
            let units: Vec<_> = app
                .store
                .organization()
                .await?
                .into_iter()
                .map(crate::manual::unit_of)
                .collect();
            let read = crate::manual::import_manual(&file_name, &text, &units, prefix)
                .map_err(|e| file_problem(format!("{}.", capitalized(&e.to_string()))))?;
            if read.drafts.is_empty() {
                return Err(file_problem(
                    "No se encontró ningún procedimiento: cada uno empieza en su título \
                     («2. PROCEDIMIENTO PARA …»)."
                        .into(),
                ));
            }
            read.drafts
                .iter()
                .map(|draft| {
                    let findings: Vec<_> = read
                        .findings
                        .iter()
                        .filter(|f| f.procedure.is_none() || f.procedure == Some(draft.key.clone()))
                        .cloned()
                        .collect();
                    (
                        draft.key.clone(),
                        draft.text.clone(),
                        turno_domain::manual::draft_toml::report(&file_name, &findings),
                        text.clone(),
                    )
                })
                .collect::<Vec<_>>()
        }
        DraftSource::Bpmn => {
            let organization = app.store.organization().await?;
            let draft =
                turno_domain::bpmn::import::import(&file_name, upload.content, &organization)
                    .map_err(|e| file_problem(format!("{}.", capitalized(&e.to_string()))))?;
            let report = draft.report(&file_name);
            vec![(
                draft.key,
                draft.toml,
                report,
                String::from_utf8_lossy(upload.content).into_owned(),
            )]
        }
    };
    let stored = app
        .blobs
        .put(upload.content)
        .await
        .map_err(|e| Error::Internal(Box::new(e)))?;
    let new: Vec<NewProcedureDraft> = drafts
        .into_iter()
        .map(|(key, definition, report, source_text)| NewProcedureDraft {
            source,
            file_name: file_name.clone(),
            file_sha256: stored.sha256.clone(),
            source_text,
            key,
            definition,
            report,
        })
        .collect();
    let at = app.clock.now().to_string();
    Ok(app
        .store
        .add_procedure_drafts(&new, &user.login, &at)
        .await?)
}

/// Every draft, the newest first.
pub async fn list(app: &App, user: &Principal) -> Result<Vec<ProcedureDraftHead>, Error> {
    administering(user)?;
    Ok(app.store.procedure_drafts().await?)
}

/// The draft `id` with what its definition's validator says now.
pub async fn review(app: &App, user: &Principal, id: i64) -> Result<Review, Error> {
    administering(user)?;
    let draft = stored(app, id).await?;
    let (procedure, problems) = check(&app.library.current(), &draft.definition);
    Ok(reviewed(app, draft, procedure, problems))
}

/// Saves the draft's definition after checking it as publishing would: a definition with
/// problems is not saved, and each problem is told with its line (`definition`).
pub async fn save(app: &App, user: &Principal, id: i64, definition: &str) -> Result<Review, Error> {
    administering(user)?;
    let (procedure, definition) = checked(app, definition)?;
    let at = app.clock.now().to_string();
    app.store
        .save_procedure_draft(id, &definition, &user.login, &at)
        .await?;
    let draft = stored(app, id).await?;
    Ok(reviewed(app, draft, Some(procedure), Vec::new()))
}

/// Publishes the draft (with `definition` when given, else as saved) as the version its
/// definition states, which must be newer than any published of its key; the library of this
/// process takes it at once, other processes within a second.
pub async fn publish(
    app: &App,
    user: &Principal,
    id: i64,
    definition: Option<&str>,
) -> Result<Published, Error> {
    administering(user)?;
    let text = match definition {
        Some(text) => text.to_owned(),
        None => stored(app, id).await?.definition,
    };
    let (procedure, definition) = checked(app, &text)?;
    app.store
        .publish_procedure_draft(id, &procedure, &definition, &user.login, app.clock.now())
        .await?;
    app.reload_library()
        .await
        .map_err(|e| Error::Internal(Box::new(e)))?;
    Ok(Published {
        key: procedure.key,
        version: procedure.version,
        title: procedure.title,
    })
}

/// Discards the draft: it stays listed, and changes no more.
pub async fn discard(app: &App, user: &Principal, id: i64) -> Result<(), Error> {
    administering(user)?;
    let at = app.clock.now().to_string();
    Ok(app
        .store
        .discard_procedure_draft(id, &user.login, &at)
        .await?)
}

/// The state a draft's page names it by.
pub fn state_label(state: DraftState) -> &'static str {
    match state {
        DraftState::Borrador => "Borrador",
        DraftState::Publicado => "Publicado",
        DraftState::Descartado => "Descartado",
    }
}

/// What a draft's source is called.
pub fn source_label(source: DraftSource) -> &'static str {
    match source {
        DraftSource::Manual => "Manual de procedimientos",
        DraftSource::Bpmn => "BPMN 2.0",
    }
}

async fn stored(app: &App, id: i64) -> Result<ProcedureDraft, Error> {
    app.store
        .procedure_draft(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("No existe el borrador de procedimiento n.º {id}.")))
}

fn reviewed(
    app: &App,
    draft: ProcedureDraft,
    procedure: Option<Procedure>,
    problems: Vec<Problem>,
) -> Review {
    let newest = procedure
        .as_ref()
        .and_then(|p| app.library.current().latest(&p.key).map(|l| l.version));
    Review {
        draft,
        problems,
        procedure,
        newest,
    }
}

/// The definition checked as publishing checks it, or every problem by line in the field
/// `definition`.
fn checked(app: &App, definition: &str) -> Result<(Procedure, String), Error> {
    let definition = definition.replace("\r\n", "\n");
    if definition.chars().count() > limits::DEFINITION {
        return Err(Error::InvalidFields(vec![FieldProblem::new(
            "definition",
            format!(
                "La definición pasa de {} caracteres: divida el procedimiento.",
                limits::DEFINITION
            ),
        )]));
    }
    match check(&app.library.current(), &definition) {
        (Some(procedure), _) => Ok((procedure, definition)),
        (None, problems) => Err(Error::InvalidFields(
            problems
                .into_iter()
                .map(|p| FieldProblem::new("definition", p.to_string()))
                .collect(),
        )),
    }
}

/// The definition's problems by line, as the library checks a file: it parses and validates,
/// and every procedure it calls is in `library` (or is itself).
pub fn check(library: &Library, definition: &str) -> (Option<Procedure>, Vec<Problem>) {
    if definition.trim().is_empty() {
        return (
            None,
            vec![Problem {
                line: None,
                message: "La definición está vacía.".into(),
            }],
        );
    }
    match parse_procedure(definition) {
        Ok(procedure) => {
            let problems: Vec<Problem> = procedure
                .activities
                .iter()
                .filter_map(|activity| {
                    let call = activity.call.as_ref()?;
                    (call != &procedure.key && library.latest(call).is_none()).then(|| Problem {
                        line: line_of(definition, &format!("\"{call}\"")),
                        message: format!(
                            "La actividad {} llama al procedimiento «{call}», que no está \
                             publicado.",
                            activity.number
                        ),
                    })
                })
                .collect();
            if problems.is_empty() {
                (Some(procedure), problems)
            } else {
                (None, problems)
            }
        }
        Err(diagnostics) => (
            None,
            diagnostics
                .iter()
                .map(|d| {
                    let located = d.locate("definición", definition);
                    Problem {
                        line: Some(located.line),
                        message: format!("columna {}: {}", located.column, located.message),
                    }
                })
                .collect(),
        ),
    }
}

/// The 1-based line of the first occurrence of `needle`.
fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.find(needle)
        .map(|at| text[..at].matches('\n').count() + 1)
}

fn capitalized(text: &str) -> String {
    turno_domain::text::capitalized(text)
}
