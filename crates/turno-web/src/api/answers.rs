//! Error answers that several operations document alike, each set stated once and named in
//! their `responses(...)` (utoipa's [`IntoResponses`]), so that the operations that give them
//! say them in the same words. The sets are types with no values: only their answers count.

use std::collections::BTreeMap;
use utoipa::IntoResponses;
use utoipa::openapi::{RefOr, Response};

/// Declares sets of error answers: each a type whose `responses()` are its statuses, each
/// with its description and an [`super::error::ErrorBody`].
macro_rules! error_answers {
    ($($(#[$doc:meta])* $name:ident { $($status:literal => $description:literal,)+ })+) => {
        $(
            $(#[$doc])*
            pub enum $name {}

            impl IntoResponses for $name {
                fn responses() -> BTreeMap<String, RefOr<Response>> {
                    [$(($status, $description)),+]
                        .into_iter()
                        .map(|(status, description)| {
                            (status.to_owned(), super::error_answer(description).into())
                        })
                        .collect()
                }
            }
        )+
    };
}

error_answers! {
    /// A command on an open work item of a case that is not the user's, or not there.
    WorkRefusals {
        "403" => "El asunto o la actividad no son del usuario",
        "404" => "No existe ese folio",
    }
    /// A follow-up activity changed by someone who is not of its responsible areas, one that
    /// is not there, or one already closed.
    ActivityRefusals {
        "403" => "El usuario no es de un área responsable de la actividad",
        "404" => "No existe el programa o la actividad",
        "409" => "La actividad ya está cerrada",
    }
    /// A file sent as the body's text to import: without its name or not UTF-8, or with
    /// problems.
    FileImport {
        "400" => "Falta el nombre o el texto no es UTF-8",
        "422" => "Los problemas del archivo (`problems`); no se importó nada",
    }
    /// A petition's JSON body that is not one, too large or sent as something else.
    JsonBody {
        "400" => "Cuerpo no válido",
        "413" => "El cuerpo pasa de 2 MiB",
        "415" => "El cuerpo no es JSON",
    }
    /// A petition's classification, asked for by someone who does not classify, or of a
    /// petition that is not there.
    ClassifierRefusals {
        "403" => "El usuario no clasifica peticiones",
        "404" => "No existe esa petición",
    }
}
