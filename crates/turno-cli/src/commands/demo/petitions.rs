//! The demo's petitions (issue 20, item 5): `peticiones.toml`, what people told the call center
//! in their own words, registered by the Subdirección de Atención Ciudadana (`atencion`) and,
//! those the file gives a motive, classified by the Departamento de Vinculación Social
//! (`vinculacion`) and answered directly, as the classification page does. They are the
//! labelled set `turno petitions suggest-accuracy` measures motive suggestions on; the few
//! left received show the suggestions on the classification page.

use anyhow::Context as _;
use serde::Deserialize;
use turno_app::handling::{self, Classify, Decision};
use turno_app::petitions::{self, LetterInput, Registration, Rejected};
use turno_domain::citizen::{Channel, Draft, PetitionKind};
use turno_web::AppState;
use turno_web::auth::csrf::random_bytes;

/// The petitions, in the order they are registered.
const PETITIONS: &str = include_str!("peticiones.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    petitions: Vec<Told>,
}

/// A petition as the file writes it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Told {
    kind: String,
    state: String,
    text: String,
    /// The motive it was classified with; none: left received.
    motive: Option<String>,
}

/// Registers the file's petitions and classifies those it gives a motive.
pub async fn petitions(state: &AppState) -> anyhow::Result<()> {
    let file: File = toml::from_str(PETITIONS).context("the demo's peticiones.toml")?;
    let atencion = super::principal(state, "atencion").await?;
    let vinculacion = super::principal(state, "vinculacion").await?;
    for (n, told) in file.petitions.iter().enumerate() {
        let registration = Registration {
            channel: Channel::CallCenter,
            draft: Draft {
                kind: &told.kind,
                state: &told.state,
                narrative: &told.text,
                ..Draft::default()
            },
            letter: LetterInput::default(),
        };
        let filed = petitions::register(state, &atencion, registration, random_bytes())
            .await
            .map_err(|rejected| match rejected {
                Rejected::Fields { petition, letter } => anyhow::anyhow!(
                    "the demo's petition {}: {}",
                    n + 1,
                    petition
                        .iter()
                        .map(ToString::to_string)
                        .chain(letter.iter().map(|l| format!("{}: {}", l.label, l.reason)))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                Rejected::Error(e) => anyhow::anyhow!("the demo's petition {}: {e}", n + 1),
            })?;
        let Some(motive) = &told.motive else {
            continue;
        };
        let folio = filed.folio.to_string();
        let input = Classify {
            kind: told.kind.parse::<PetitionKind>().ok(),
            motive: motive.clone(),
            entidad: told.state.parse().ok(),
            decision: Some(Decision::Answer(
                "Gracias por comunicarse con el Sistema Nacional de Atención Ciudadana. Le \
                 orientamos por teléfono sobre su petición y quedó registrada con su motivo."
                    .into(),
            )),
        };
        handling::classifying(state, &vinculacion, &folio)
            .await?
            .classify(state, &vinculacion, input)
            .await
            .with_context(|| format!("classifying the demo's petition {folio} as {motive}"))?;
    }
    Ok(())
}
