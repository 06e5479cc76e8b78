//! The engine's refusals in the users' words.

use turno_domain::engine::EngineError;
use turno_store::DelegationProblem;

pub fn engine(error: &EngineError) -> String {
    match error {
        EngineError::CaseNotOpen(status) => format!(
            "El asunto ya está {}: no admite más acciones.",
            match *status {
                "ended" => "concluido",
                "cancelled" => "cancelado",
                other => other,
            }
        ),
        EngineError::UnknownWorkItem(_) => {
            "Esa actividad ya fue atendida o no está abierta.".to_owned()
        }
        EngineError::NotResponsible { activity, .. } => {
            format!("Su unidad no es responsable de la actividad {activity}.")
        }
        EngineError::OutcomeRequired { activity, answers } => {
            format!("La actividad {activity} es una decisión: elija {answers}.")
        }
        EngineError::UnknownOutcome {
            activity, answers, ..
        } => format!("Respuesta no válida para la actividad {activity}: elija {answers}."),
        EngineError::UnexpectedOutcome { activity } => {
            format!("La actividad {activity} no es una decisión.")
        }
        EngineError::MissingField(name) => format!("Falta el dato «{name}»."),
        EngineError::UnknownField(name) => {
            format!("El dato «{name}» no existe en este procedimiento.")
        }
        EngineError::InvalidField { field, reason } => {
            format!("Dato «{field}» no válido: {reason}.")
        }
        EngineError::AwaitingSubprocedure(activity) => {
            format!("La actividad {activity} espera a que concluya su subprocedimiento.")
        }
        EngineError::NoParticipants { activity, field } => {
            format!("Antes de la actividad {activity} elija las unidades en «{field}».")
        }
        EngineError::InvalidDocument(reason) => format!("Documento no válido: {reason}."),
        EngineError::TurnsPending { activity, units } => format!(
            "La actividad {activity} espera la respuesta de {units}: atiéndala cuando respondan."
        ),
        EngineError::NotSuspendable(activity) => {
            format!("El plazo de la actividad {activity} no se puede suspender.")
        }
        EngineError::AlreadySuspended(activity) => {
            format!("El plazo de la actividad {activity} ya está suspendido.")
        }
        EngineError::NotSuspended(activity) => {
            format!("El plazo de la actividad {activity} no está suspendido.")
        }
        EngineError::TermPassed(activity) => {
            format!("El plazo de la actividad {activity} ya venció: no se puede suspender.")
        }
        EngineError::TermNotRun { activity, answer } => format!(
            "La respuesta «{answer}» de la actividad {activity} es el vencimiento de su plazo: se puede elegir cuando el plazo haya corrido."
        ),
        EngineError::SuspensionWithoutReason => {
            "Escriba el motivo de la suspensión del plazo.".to_owned()
        }
        EngineError::TurnWithoutUnits => "Elija al menos una unidad a la cual turnar.".to_owned(),
        EngineError::TurnWithoutInstruction => {
            "Escriba la instrucción para las unidades a las que turna.".to_owned()
        }
        EngineError::TurnTerm(max) => {
            format!("El plazo de un turno va de 1 a {max} días hábiles; o déjelo vacío.")
        }
        EngineError::TurnRepeated(unit) => {
            format!("La unidad {unit} ya tiene turnada esta actividad y no ha respondido.")
        }
        EngineError::SignatureRequired(activity) => format!(
            "La actividad {activity} se atiende con su e.firma: elija su certificado y su llave y \
             escriba su contraseña."
        ),
        EngineError::SignatureMismatch(activity) => format!(
            "La firma no es sobre esta respuesta de la actividad {activity}: firme de nuevo lo que \
             envía."
        ),
        EngineError::UnexpectedSignature(activity) => {
            format!("La actividad {activity} no pide e.firma.")
        }
        EngineError::TurnAnswerWithData(activity) => format!(
            "Un turno de la actividad {activity} se responde con observaciones y documentos."
        ),
        EngineError::NotATurn(_) => {
            "Esa actividad no es un turno: solo un turno se puede retirar.".to_owned()
        }
        EngineError::TurnNotFrom { .. } => "Ese turno no se dio desde esta actividad.".to_owned(),
        EngineError::TurnClosed(_) => {
            "La unidad ya respondió ese turno, o ya fue retirado: no se puede retirar.".to_owned()
        }
        EngineError::WithdrawalWithoutReason => {
            "Escriba el motivo por el que retira el turno.".to_owned()
        }
        other => other.to_string(),
    }
}

/// Why a suplencia was refused, in the users' words.
pub fn delegation(problem: &DelegationProblem) -> String {
    match problem {
        DelegationProblem::Reversed => {
            "El último día de la suplencia es anterior al primero.".into()
        }
        DelegationProblem::Oneself => "Una persona no puede ser su propia suplente.".into(),
        DelegationProblem::NoDocument => {
            "Adjunte el oficio de delegación firmado: la suplencia requiere constancia escrita."
                .into()
        }
        DelegationProblem::NotTitular(unit) => {
            format!("Solo la persona titular de {unit} puede nombrar una suplencia en ella.")
        }
        DelegationProblem::Overlaps(other) => {
            format!(
                "Las fechas se traslapan con la suplencia n.º {other} de la misma persona titular."
            )
        }
    }
}
