//! How a unit numbers what it issues: its siglas (those of the organization's file unless it
//! chose others) and its format, the default `{siglas}/{n:4}/{año}` unless it chose another.
//! Administrators change them; the next signature numbers with them.

use crate::app::App;
use crate::checked::Checked;
use crate::error::Error;
use crate::limits;
use crate::principal::Principal;
use turno_domain::correspondence::{Issued, NumberFormat};
use turno_store::correspondence::outgoing::Numbering;
use turno_store::{Outgoing, Store};

/// A unit's numbering as it is in force, and whether it is the unit's own choice.
#[derive(Debug, Clone)]
pub struct InForce {
    pub unit: String,
    pub unit_name: String,
    pub numbering: Numbering,
    pub chosen: bool,
}

impl InForce {
    /// The number it writes for the first document of `year`, e.g. `SIDSS/ST/0001/2026`.
    pub fn example(&self, year: i16) -> String {
        let n = &self.numbering;
        n.format.render(
            &n.siglas,
            Issued {
                consecutive: 1,
                year,
            },
        )
    }
}

/// The numbering in force for `unit`: the stored choice, or the unit's siglas (its code when
/// the organization gives none) with the default format.
pub async fn in_force(app: &App, unit: &str) -> Result<InForce, Error> {
    let spec = app
        .store
        .organization()
        .await?
        .into_iter()
        .find(|u| u.code == unit)
        .ok_or_else(|| Error::NotFound(format!("No existe la unidad «{unit}».")))?;
    let chosen = app.store.numbering(unit).await?;
    Ok(InForce {
        unit: spec.code.clone(),
        unit_name: spec.current.name.clone(),
        chosen: chosen.is_some(),
        numbering: chosen.unwrap_or_else(|| Numbering {
            siglas: spec.siglas.clone().unwrap_or(spec.code),
            format: NumberFormat::default(),
        }),
    })
}

/// Sets a unit's siglas and format, for administrators; every problem by its field
/// (`siglas`, `format`).
pub async fn set(
    app: &App,
    user: &Principal,
    unit: &str,
    siglas: &str,
    format: &str,
) -> Result<InForce, Error> {
    if !user.is_admin() {
        return Err(Error::Denied(
            "Solo las personas administradoras cambian la numeración de una unidad.".into(),
        ));
    }
    let mut checked = Checked::default();
    let siglas = checked.line("siglas", "las siglas", siglas, limits::CODE, false);
    let parsed = NumberFormat::parse(format)
        .map_err(|e| checked.wrong("format", format!("El formato no sirve: {e}.")))
        .ok();
    if let Some(format) = &parsed
        && format.uses_siglas()
        && siglas.is_empty()
    {
        checked.wrong(
            "siglas",
            "Escriba las siglas de la unidad: el formato las lleva.",
        );
    }
    checked.done()?;
    let current = in_force(app, unit).await?;
    let numbering = Numbering {
        siglas,
        format: parsed.unwrap_or_default(),
    };
    app.store
        .set_numbering(unit, &numbering, &user.login)
        .await?;
    tracing::info!(unit, format = numbering.format.as_str(), by = %user.login, "numbering set");
    Ok(InForce {
        numbering,
        chosen: true,
        ..current
    })
}
