//! The unit chooser: every form that picks units offers them grouped by institution, each
//! named with its institution and code, so that two units of one name («Coordinación de
//! Asesores» of the CNPSS and of the SIDSS) read differently. The page is a plain `<select>`
//! with `<optgroup>`s that works without JavaScript; `static/chooser.js` turns it into a
//! searchable list (tom-select) where the browser runs scripts.

use crate::error::AppError;
use crate::state::AppState;
use std::collections::HashMap;
use turno_domain::org::{UnitSpec, institutions};
use turno_domain::text::fold;

/// One institution's units, as an `<optgroup>`.
pub struct UnitGroup {
    pub label: String,
    pub units: Vec<UnitOption>,
}

/// One unit, as an `<option>`.
pub struct UnitOption {
    pub code: String,
    /// «Coordinación de Asesores · CNPSS · CNPSS-CA»: the name, the institution's siglas (left
    /// out for the institution itself) and the code, so a chosen unit reads alone too.
    pub label: String,
    pub selected: bool,
}

/// The units of the chart grouped by institution, groups and units by name.
pub struct UnitGroups(Vec<UnitGroup>);

impl UnitGroups {
    /// Every unit of the chart; `keep` narrows them (the units a person may search), `chosen`
    /// are shown selected (a form shown again keeps what was picked).
    pub fn new(chart: &[UnitSpec], keep: impl Fn(&str) -> bool, chosen: &[&str]) -> UnitGroups {
        let of = institutions(chart);
        let by_code: HashMap<&str, &UnitSpec> =
            chart.iter().map(|u| (u.code.as_str(), u)).collect();
        let mut groups: HashMap<&str, Vec<UnitOption>> = HashMap::new();
        for unit in chart.iter().filter(|u| keep(&u.code)) {
            let institution = by_code[of[&unit.code].as_str()];
            let label = if institution.code == unit.code {
                format!("{} · {}", unit.current.name, unit.code)
            } else {
                format!(
                    "{} · {} · {}",
                    unit.current.name,
                    institution.siglas.as_deref().unwrap_or(&institution.code),
                    unit.code
                )
            };
            groups
                .entry(institution.code.as_str())
                .or_default()
                .push(UnitOption {
                    code: unit.code.clone(),
                    label,
                    selected: chosen.contains(&unit.code.as_str()),
                });
        }
        let mut groups: Vec<UnitGroup> = groups
            .into_iter()
            .map(|(code, mut units)| {
                let institution = by_code[code];
                // By the label as read, not by bytes: «Área» among the A.
                units.sort_by_cached_key(|u| fold(&u.label));
                UnitGroup {
                    label: match &institution.siglas {
                        Some(siglas) if *siglas != institution.current.name => {
                            format!("{} ({siglas})", institution.current.name)
                        }
                        _ => institution.current.name.clone(),
                    },
                    units,
                }
            })
            .collect();
        groups.sort_by_cached_key(|g| fold(&g.label));
        UnitGroups(groups)
    }

    /// Every unit of the stored chart.
    pub async fn load(state: &AppState, chosen: &[&str]) -> Result<UnitGroups, AppError> {
        use turno_store::Store;
        let chart = state.store.organization().await?;
        Ok(UnitGroups::new(&chart, |_| true, chosen))
    }

    /// No units: a page that offers no choice.
    pub fn none() -> UnitGroups {
        UnitGroups(Vec::new())
    }

    pub fn groups(&self) -> &[UnitGroup] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
