//! Small helpers the pages share.

use crate::auth::SignedIn;
use crate::error::AppError;
use crate::page::Frame;
use turno_app::deadlines::DaysLeft;
use turno_domain::engine::DueStatus;

/// The signed-in person; the router only lets signed-in requests reach the pages that ask.
pub fn signed_in(frame: &Frame) -> Result<&SignedIn, AppError> {
    frame.user.as_ref().ok_or(AppError::Forbidden)
}

/// A semáforo, as templates show it.
pub struct Light(pub DueStatus);

impl Light {
    pub fn class(&self) -> &'static str {
        self.0.color()
    }

    pub fn label(&self) -> &'static str {
        self.0.label()
    }
}

/// A number of días hábiles: "1 día hábil", "3 días hábiles".
fn business_days(n: i32) -> String {
    if n == 1 {
        "1 día hábil".to_owned()
    } else {
        format!("{n} días hábiles")
    }
}

/// The due date and the días hábiles left of open work, as one line of a page: "3 días
/// hábiles restantes · vence 09/12/2026", "1 día hábil restante · vence…", "Vence hoy,
/// 09/12/2026", "Vencido hace 2 días hábiles · venció 04/12/2026".
pub fn deadline(left: &DaysLeft) -> String {
    let due = turno_domain::text::day(left.due);
    let n = left.business_days;
    if left.due == left.today {
        format!("Vence hoy, {due}")
    } else if left.due > left.today {
        let rest = if n == 1 { "restante" } else { "restantes" };
        format!("{} {rest} · vence {due}", business_days(n))
    } else if n == 0 {
        // Due on a día inhábil that has just passed.
        format!("Vencido · venció {due}")
    } else {
        format!("Vencido hace {} · venció {due}", business_days(-n))
    }
}

/// The title of a procedure's newest version; its key if it is no longer loaded.
pub fn procedure_title(state: &crate::state::AppState, key: &str) -> String {
    state
        .library
        .current()
        .latest(key)
        .map_or_else(|| key.to_owned(), |p| p.title.clone())
}

/// A timestamp as people read it, in the agency's time zone.
pub fn when(at: &str, tz: &jiff::tz::TimeZone) -> String {
    at.parse::<jiff::Timestamp>()
        .map(|t| local(t, tz))
        .unwrap_or_else(|_| at.to_owned())
}

/// A moment as people read it, «dd/mm/aaaa hh:mm» in the agency's time zone (never UTC).
pub fn local(at: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> String {
    at.to_zoned(tz.clone())
        .strftime("%d/%m/%Y %H:%M")
        .to_string()
}

/// Unit names by code, as the organization chart has them, now or on a past date (a renamed
/// unit keeps its old name in the record of what happened before); a code not in the chart is
/// shown as it is (work may be turned to a unit the chart does not list yet).
pub struct UnitNames(std::collections::HashMap<String, turno_domain::org::UnitSpec>);

impl UnitNames {
    pub async fn load(state: &crate::state::AppState) -> Result<UnitNames, AppError> {
        use turno_store::Store;
        Ok(UnitNames::new(state.store.organization().await?))
    }

    /// The names of a chart already read.
    pub fn new(chart: impl IntoIterator<Item = turno_domain::org::UnitSpec>) -> UnitNames {
        UnitNames(chart.into_iter().map(|u| (u.code.clone(), u)).collect())
    }

    pub fn name(&self, code: &str) -> String {
        self.0
            .get(code)
            .map_or_else(|| code.to_owned(), |u| u.current.name.clone())
    }

    /// The unit's name on `date`; its current one if the chart has no form for that date.
    pub fn name_on(&self, code: &str, date: jiff::civil::Date) -> String {
        match self.0.get(code) {
            Some(unit) => unit.as_of(date).unwrap_or(&unit.current).name.clone(),
            None => code.to_owned(),
        }
    }

    /// Every unit as (code, name), by name: the choices of a form.
    pub fn by_name(&self) -> Vec<(String, String)> {
        let mut all: Vec<_> = self
            .0
            .values()
            .map(|u| (u.code.clone(), u.current.name.clone()))
            .collect();
        all.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        all
    }
}

/// The choices of a petition's type, the first one empty with `none` as its label.
pub fn kind_choices(none: &str, current: &str) -> Vec<crate::routes::search::Choice> {
    use crate::routes::search::Choice;
    use turno_domain::citizen::PetitionKind;
    std::iter::once(Choice::new("", none, current))
        .chain(
            PetitionKind::ALL
                .iter()
                .map(|k| Choice::new(k.code(), k.label(), current)),
        )
        .collect()
}

/// The choices of the 32 entidades by their codes, the first one empty with `none` as its label.
pub fn state_choices(none: &str, current: &str) -> Vec<crate::routes::search::Choice> {
    use crate::routes::search::Choice;
    std::iter::once(Choice::new("", none, current))
        .chain(
            turno_domain::calendar::State::all().map(|s| Choice::new(s.code(), s.name(), current)),
        )
        .collect()
}

/// A petition's status as people read it, with its accents («En gestión»); a status this
/// version does not know, as stored, its first letter in capitals.
pub fn petition_status(status: &str) -> String {
    use turno_store::handling::{ANSWERED, IN_HANDLING, RECEIVED};
    match status {
        RECEIVED => "Recibida: en revisión".to_owned(),
        IN_HANDLING => "En gestión".to_owned(),
        ANSWERED => "Respondida".to_owned(),
        other => turno_domain::text::capitalized(&other.replace('_', " ")),
    }
}

/// A petition's date and time of reception, as the pages show it.
pub fn received(at: &jiff::civil::DateTime) -> String {
    at.strftime("%d/%m/%Y %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn line(due: jiff::civil::Date, business_days: i32) -> String {
        deadline(&DaysLeft {
            due,
            business_days,
            today: date(2026, 12, 7),
        })
    }

    #[test]
    fn deadlines_read_in_spanish_singular_and_plural() {
        assert_eq!(
            line(date(2026, 12, 9), 2),
            "2 días hábiles restantes · vence 09/12/2026"
        );
        assert_eq!(
            line(date(2026, 12, 8), 1),
            "1 día hábil restante · vence 08/12/2026"
        );
        assert_eq!(line(date(2026, 12, 7), 0), "Vence hoy, 07/12/2026");
        assert_eq!(
            line(date(2026, 12, 4), -1),
            "Vencido hace 1 día hábil · venció 04/12/2026"
        );
        assert_eq!(
            line(date(2026, 12, 1), -4),
            "Vencido hace 4 días hábiles · venció 01/12/2026"
        );
        assert_eq!(line(date(2026, 12, 6), 0), "Vencido · venció 06/12/2026");
    }
}
