//! Why a use case did not do what was asked, once for every edge: the pages answer each kind
//! with a page and its status, the API with its JSON error, both from this type.

use crate::commands::CommandError;
use crate::messages;
use turno_domain::engine::EngineError;
use turno_store::{Refusal, StoreError};

/// What a person asked for and why it was not done, in Spanish where they read it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Nothing by that name (a folio, a procedure, a person).
    #[error("{0}")]
    NotFound(String),
    /// It exists but is not the person's to see: they are told nothing about it.
    #[error("Este asunto no está turnado a ninguna de sus unidades.")]
    Hidden,
    /// They see it but may not do this; says why.
    #[error("{0}")]
    Denied(String),
    /// The request itself is malformed or names something that does not exist.
    #[error("{0}")]
    Invalid(String),
    /// The rules (the engine, the store) refuse what was asked; says why.
    #[error("{0}")]
    Refused(String),
    /// Data that cannot be taken, each with its field and why (a whole sentence where a use
    /// case checked it, [`crate::checked::Checked`]).
    #[error("Revise los datos marcados.")]
    InvalidFields(Vec<FieldProblem>),
    /// The case (or petition) is not as the person saw it: someone acted first.
    #[error("{0}")]
    Conflict(String),
    /// An uploaded file with problems, each located in it (`archivo:fila:columna: …`);
    /// nothing of it was taken.
    #[error("{}", .0.join("\n"))]
    InvalidFile(Vec<String>),
    /// A file larger than the blob store accepts; the words name the limit.
    #[error("{0}")]
    TooLarge(String),
    /// A file whose content is not of the type it was sent as.
    #[error("{0}")]
    WrongType(String),
    /// A file that did not arrive whole.
    #[error("{0}")]
    Incomplete(String),
    /// It was there and is no more: a case disposed of by a baja documental, of which only
    /// its record of disposal stays.
    #[error("{0}")]
    Gone(String),
    /// An idempotency key already used for another operation.
    #[error("La clave de idempotencia ya se usó en otra operación.")]
    KeyReused,
    /// A failure of the system, not of the request.
    #[error(transparent)]
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

/// Why a file was not imported: every problem of it (at least one), each where it is, and
/// nothing written; or an error that is not the file's.
#[derive(Debug)]
pub enum FileRefused<P> {
    Problems(Vec<P>),
    Error(Error),
}

impl<P> From<Error> for FileRefused<P> {
    fn from(e: Error) -> FileRefused<P> {
        FileRefused::Error(e)
    }
}

/// A field that cannot be taken, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field's name (`title`, `procedure`, or a case field such as `tipo_informe`).
    pub field: String,
    pub message: String,
}

impl FieldProblem {
    pub fn new(field: &str, message: impl Into<String>) -> FieldProblem {
        FieldProblem {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// Why the last active administrator stays one.
const LAST_ADMINISTRATOR: &str = "Es la última persona administradora activa: dé el papel \
     de administrador a otra persona antes de quitárselo o de darla de baja, o nadie podría \
     administrar Turno.";

/// What a conflict says: the case moved since the person read it.
const CHANGED: &str =
    "Otra persona atendió este asunto mientras usted lo veía. Revise su estado actual.";

impl Error {
    /// A failure with its own words, for the log.
    pub fn internal(message: impl Into<String>) -> Error {
        Error::Internal(message.into().into())
    }
}

impl Error {
    /// What is wrong in sentences, for a page that shows it in one place: each field's
    /// problem, or the error's own words.
    pub fn sentences(self) -> String {
        match self {
            Error::InvalidFields(problems) => problems
                .into_iter()
                .map(|p| p.message)
                .collect::<Vec<_>>()
                .join(" "),
            other => other.to_string(),
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        match e {
            StoreError::Refused(refusal) => refusal.into(),
            StoreError::Conflict { .. } => Error::Conflict(CHANGED.into()),
            other => Error::Internal(Box::new(other)),
        }
    }
}

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Error {
        match refusal {
            Refusal::Text { column: Some(column) } => {
                // The request's field is named as the column (`title`, `narrative`, `name`…).
                let field = column.rsplit('.').next().unwrap_or_default().to_owned();
                Error::InvalidFields(vec![FieldProblem {
                    field,
                    message: "Este texto es demasiado largo o lleva caracteres de control: \
                              corríjalo."
                        .into(),
                }])
            }
            Refusal::Text { column: None } => Error::Invalid(
                "Un texto lleva el carácter nulo (U+0000) u otro carácter de control: quítelo."
                    .into(),
            ),
            Refusal::CaseNotFound(_) => Error::NotFound("No existe ese asunto.".into()),
            Refusal::UserNotFound(_) => Error::NotFound("No existe esa persona.".into()),
            Refusal::DelegationNotFound(_) => Error::NotFound("No existe esa suplencia.".into()),
            Refusal::PetitionNotFound(_) => Error::NotFound("No existe esa petición.".into()),
            Refusal::OutgoingNotFound(_) => {
                Error::NotFound("No existe ese documento de salida.".into())
            }
            Refusal::LoginTaken(login) => {
                Error::Conflict(format!("Ya existe una persona con el usuario «{login}»."))
            }
            Refusal::UnitNotFound(code) => Error::Refused(format!("La unidad «{code}» no existe.")),
            Refusal::UnitCycle { unit, parent } => Error::Refused(format!(
                "La unidad «{parent}» es «{unit}» o depende de ella: no puede ser su unidad superior."
            )),
            Refusal::IncomingTurnClosed { status, .. } => Error::Conflict(format!(
                "Ese turno ya no está abierto (está {}): otra persona actuó mientras usted lo veía.",
                turno_domain::correspondence::TurnStatus::from_code(&status)
                    .map_or(status.clone(), |s| s.label().to_lowercase())
            )),
            Refusal::IncomingCaseStarted(folio) => Error::Conflict(format!(
                "El documento {folio} ya inició un asunto: un documento inicia un solo asunto."
            )),
            Refusal::OccurrenceOpened { occurrence, .. } => Error::Conflict(format!(
                "La fecha {occurrence} de esa calendarización ya abrió su asunto."
            )),
            Refusal::ScheduleNameTaken(name) => Error::Conflict(format!(
                "Ya hay una calendarización llamada «{name}»."
            )),
            Refusal::PetitionStatus { .. } => Error::Conflict(
                "Otra persona atendió esta petición mientras usted la veía. Revise su estado actual."
                    .into(),
            ),
            Refusal::CalendarEntryTaken => Error::Conflict(
                "Ya hay otro día o periodo inhábil registrado igual: no se duplica.".into(),
            ),
            Refusal::MotiveTaken(code) => Error::Conflict(format!("Ya existe el motivo «{code}».")),
            Refusal::MotiveNotFound(code) => Error::Refused(format!(
                "El motivo «{code}» no existe o ya estaba retirado."
            )),
            Refusal::LastAdministrator => Error::Conflict(LAST_ADMINISTRATOR.into()),
            Refusal::ProgramExists(key) => Error::Conflict(format!(
                "Ya existe un programa de seguimiento con la clave «{key}»: elija otra."
            )),
            Refusal::LineChanged(item) => Error::Conflict(format!(
                "La línea {item} cambió mientras usted la editaba (se registró un avance u otra \
                 persona la editó): vuelva a abrirla y repita el cambio."
            )),
            Refusal::IndicatorPeriodTaken { folio, period } => Error::Conflict(format!(
                "El asunto {folio} ya registró los indicadores de este informe con corte al \
                 {period}: corrija la fecha de corte o cárguelos en ese asunto."
            )),
            Refusal::VisitPlanned(_) => Error::Conflict(
                "La visita ya tiene su plan de mejora: otra persona lo registró mientras usted la \
                 veía."
                    .into(),
            ),
            Refusal::ArchiveTaken(number) => Error::Conflict(format!(
                "Ya existe un expediente o una lista con el número «{number}»: elija otro."
            )),
            Refusal::ArchiveListState(_) => Error::Conflict(
                "La lista ya no está como usted la vio: otra persona la aprobó o la ejecutó, o \
                 todavía no está aprobada. Revise su estado actual."
                    .into(),
            ),
            Refusal::ArchiveMoved(folio) => Error::Refused(format!(
                "El asunto {folio} ya se trasladó a las tablas del archivo y la baja documental \
                 todavía no alcanza a los asuntos trasladados: no se ejecutó la lista."
            )),
            Refusal::NotMovable(n) => Error::Conflict(format!(
                "{n} de los asuntos por trasladar ya no son asuntos concluidos sin trabajo \
                 abierto en las tablas de trabajo: no se trasladó ninguno del lote."
            )),
            Refusal::InvalidDelegation(problem) => Error::Refused(messages::delegation(&problem)),
            Refusal::ProcedureVersionExists { key, version } => Error::Conflict(format!(
                "La versión {version} del procedimiento «{key}» ya está publicada con otro texto: \
                 una versión publicada no cambia."
            )),
            Refusal::ProcedureVersionTaken {
                key,
                version,
                newest,
            } => Error::Conflict(if i64::from(version) == newest {
                format!(
                    "La versión {version} del procedimiento «{key}» ya está publicada: una versión \
                     publicada no cambia. Escriba `version = {}` en la definición para publicarla \
                     como una versión nueva.",
                    newest + 1
                )
            } else {
                format!(
                    "El procedimiento «{key}» ya tiene publicada la versión {newest}: la versión \
                     {version} no es nueva. Escriba `version = {}` en la definición.",
                    newest + 1
                )
            }),
            Refusal::DraftNotFound(id) => {
                Error::NotFound(format!("No existe el borrador de procedimiento n.º {id}."))
            }
            Refusal::DraftClosed { id, state } => Error::Conflict(format!(
                "El borrador n.º {id} ya está {}: no se puede cambiar.",
                if state == "publicado" { "publicado" } else { "descartado" }
            )),
            Refusal::ProcedureNotPublished { key, version } => Error::Refused(format!(
                "La versión {version} del procedimiento «{key}» no está publicada en esta base de \
                 datos."
            )),
        }
    }
}

impl From<CommandError> for Error {
    fn from(e: CommandError) -> Error {
        match e {
            CommandError::Store(store) => store.into(),
            // Waiting for the turned units is the case's state, not a fault of the request.
            CommandError::Engine(engine @ EngineError::TurnsPending { .. }) => {
                Error::Conflict(messages::engine(&engine))
            }
            // A completion without its e.firma, or with one over another text: the field's.
            CommandError::Engine(
                engine @ (EngineError::SignatureRequired(_) | EngineError::SignatureMismatch(_)),
            ) => Error::InvalidFields(vec![FieldProblem::new("firma", messages::engine(&engine))]),
            CommandError::Engine(engine) => Error::Refused(messages::engine(&engine)),
            other => Error::Internal(Box::new(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_say_why_and_failures_stay_internal() {
        let cycle = Error::from(StoreError::from(Refusal::UnitCycle {
            unit: "DGCEF".into(),
            parent: "SIDSS".into(),
        }));
        assert!(
            matches!(&cycle, Error::Refused(m) if m.contains("«SIDSS»")),
            "{cycle:?}"
        );
        let acted = Error::from(StoreError::from(Refusal::PetitionStatus {
            folio: "SAC-2026-1".into(),
            status: "clasificada".into(),
        }));
        assert!(matches!(acted, Error::Conflict(_)), "{acted:?}");
        let missing = Error::from(StoreError::from(Refusal::UserNotFound(7)));
        assert!(matches!(missing, Error::NotFound(_)), "{missing:?}");
        let moved = Error::from(StoreError::Conflict {
            folio: "CAS-2026-000001".into(),
            expected: 3,
        });
        assert!(matches!(moved, Error::Conflict(_)), "{moved:?}");
        assert!(matches!(
            Error::from(StoreError::Corrupt("event 3 of case X".into())),
            Error::Internal(_)
        ));
        let waiting = Error::from(CommandError::Engine(EngineError::TurnsPending {
            activity: "2.1".into(),
            units: "SIDSS-CAS".into(),
        }));
        assert!(
            matches!(&waiting, Error::Conflict(m) if m.contains("SIDSS-CAS")),
            "{waiting:?}"
        );
    }
}
