//! A unit with its history: the form it has now and the forms it had before, each valid over
//! a range of dates, so that a past case shows the unit as it was.

use super::Level;
use jiff::civil::Date;

/// One form of a unit: what it was called, where it hung and at which level, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub name: String,
    pub parent: Option<String>,
    pub level: Level,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
}

impl Form {
    /// Whether the form was in force on `date` (open ends are unbounded).
    pub fn covers(&self, date: Date) -> bool {
        self.valid_from.is_none_or(|from| from <= date) && self.valid_to.is_none_or(|to| date <= to)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitSpec {
    pub code: String,
    pub siglas: Option<String>,
    pub manual_number: Option<String>,
    pub functions: Vec<String>,
    /// The newest form; its `valid_to` is set when the unit no longer exists.
    pub current: Form,
    /// Earlier forms, newest first.
    pub before: Vec<Form>,
    /// Where its functions went when it ceased to exist.
    pub merged_into: Option<String>,
}

impl UnitSpec {
    /// The unit as it was on `date`: `None` before it existed or after it ceased to.
    pub fn as_of(&self, date: Date) -> Option<&Form> {
        std::iter::once(&self.current)
            .chain(&self.before)
            .find(|form| form.covers(date))
    }

    /// The unit with a new form from `from` on (another name, parent or level): its current
    /// form becomes an earlier one ending the day before, so that what happened before keeps
    /// showing it as it was. A change from the day its current form began replaces that form.
    pub fn changed_from(&self, form: Form, from: Date) -> UnitSpec {
        let mut unit = self.clone();
        let starts_after = self.current.valid_from.is_none_or(|since| since < from);
        match from.yesterday() {
            Ok(last_day) if starts_after => {
                let mut old = std::mem::replace(&mut unit.current, form);
                old.valid_to = Some(last_day);
                unit.before.insert(0, old);
            }
            _ => unit.current = form,
        }
        unit.current.valid_from = Some(from);
        unit
    }

    /// Every form, newest first.
    pub fn forms(&self) -> impl Iterator<Item = &Form> {
        std::iter::once(&self.current).chain(&self.before)
    }
}

/// Unit codes: upper-case letters and digits in hyphen-separated parts (`CNPSS-DGCEF`).
pub fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn form(name: &str, from: Option<Date>, to: Option<Date>) -> Form {
        Form {
            name: name.into(),
            parent: Some("IMSS-DOYE".into()),
            level: Level::Coordinacion,
            valid_from: from,
            valid_to: to,
        }
    }

    #[test]
    fn a_renamed_unit_shows_the_name_of_each_date() {
        let unit = UnitSpec {
            code: "IMSS-CAPSOI".into(),
            siglas: None,
            manual_number: None,
            functions: Vec::new(),
            current: form("Coordinación de Análisis", Some(date(2022, 10, 1)), None),
            before: vec![form(
                "Coordinación de Seguimiento",
                Some(date(2019, 1, 1)),
                Some(date(2022, 9, 30)),
            )],
            merged_into: None,
        };
        let name = |d| unit.as_of(d).map(|f| f.name.as_str());
        assert_eq!(name(date(2022, 10, 1)), Some("Coordinación de Análisis"));
        assert_eq!(name(date(2022, 9, 30)), Some("Coordinación de Seguimiento"));
        assert_eq!(name(date(2018, 12, 31)), None);
    }

    #[test]
    fn a_change_from_a_date_keeps_the_old_form_before_it() {
        let unit = UnitSpec {
            code: "IMSS-CSOE".into(),
            siglas: None,
            manual_number: None,
            functions: vec!["Dar seguimiento".into()],
            current: form("Coordinación de Seguimiento", Some(date(2021, 5, 3)), None),
            before: Vec::new(),
            merged_into: None,
        };
        let renamed = unit.changed_from(
            form("Coordinación de Análisis", None, None),
            date(2022, 9, 1),
        );
        let name = |d| renamed.as_of(d).map(|f| f.name.as_str());
        assert_eq!(name(date(2022, 8, 31)), Some("Coordinación de Seguimiento"));
        assert_eq!(name(date(2022, 9, 1)), Some("Coordinación de Análisis"));
        assert_eq!(renamed.before[0].valid_to, Some(date(2022, 8, 31)));
        assert_eq!(renamed.functions, unit.functions, "the rest stays");
        // Corrected on the day it began: no history of a form that never was.
        let corrected = unit.changed_from(form("Coordinación", None, None), date(2021, 5, 3));
        assert!(corrected.before.is_empty());
        assert_eq!(corrected.current.name, "Coordinación");
    }

    #[test]
    fn codes_are_upper_case_parts() {
        assert!(is_code("CNPSS-DGCEF") && is_code("EF-QROO") && is_code("IMSS"));
        assert!(!is_code("cnpss") && !is_code("A--B") && !is_code("-A") && !is_code(""));
        assert!(!is_code("DIRECCIÓN"));
    }
}
