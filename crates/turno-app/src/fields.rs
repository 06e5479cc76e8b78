//! A procedure's fields as people type them (a form's inputs, a request's strings), read into
//! the engine's values, every problem reported and not only the first.

use crate::checked::Checked;
use crate::limits;
use std::collections::BTreeMap;
use turno_domain::definition::FieldDef;
use turno_domain::engine::Value;

/// A field asked for, and whether it must be given.
pub type Asked<'a> = (&'a FieldDef, bool);

/// Reads the `asked` fields from `given` (name → text as typed; several choices separated by
/// commas). A name not asked is a problem worded by `not_asked`; a required field left blank
/// and a text its type cannot read are problems too, each kept in `checked` with the request's
/// other refusals.
pub fn read(
    given: &BTreeMap<String, String>,
    asked: &[Asked<'_>],
    not_asked: &dyn Fn(&str) -> String,
    checked: &mut Checked,
) -> BTreeMap<String, Value> {
    let mut typed = BTreeMap::new();
    for (field, required) in asked {
        match given
            .get(&field.name)
            .filter(|text| !text.trim().is_empty())
        {
            None if *required => {
                checked.wrong(&field.name, "Este dato es obligatorio.");
            }
            None => {}
            Some(text) if text.chars().count() > limits::TEXT => {
                checked.wrong(
                    &field.name,
                    format!("Pasa de {} caracteres: abrévielo.", limits::TEXT),
                );
            }
            Some(text) => match field.parse_input(text) {
                Ok(value) => {
                    typed.insert(field.name.clone(), value);
                }
                Err(reason) => {
                    checked.wrong(&field.name, format!("No válido: {reason}."));
                }
            },
        }
    }
    for name in given.keys() {
        if !asked.iter().any(|(field, _)| &field.name == name) {
            checked.wrong(name, not_asked(name));
        }
    }
    typed
}

/// An optional field of type `ty` labelled by its name, as the tests ask for one.
#[cfg(test)]
pub(crate) fn field(name: &str, ty: turno_domain::definition::FieldType) -> FieldDef {
    FieldDef {
        name: name.into(),
        label: name.into(),
        ty,
        required: false,
        options: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use turno_domain::definition::FieldType;

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let (date, count, note) = (
            field("fecha", FieldType::Date),
            field("cantidad", FieldType::Integer),
            field("nota", FieldType::Text),
        );
        let asked = [(&date, true), (&count, true), (&note, false)];
        let given = BTreeMap::from([
            ("cantidad".to_owned(), "muchas".to_owned()),
            ("nota".to_owned(), "  ".to_owned()),
            ("otro".to_owned(), "x".to_owned()),
        ]);
        let mut checked = Checked::default();
        let typed = read(
            &given,
            &asked,
            &|name| format!("{name}: no se pide"),
            &mut checked,
        );
        assert!(typed.is_empty());
        let Err(crate::Error::InvalidFields(problems)) = checked.done() else {
            panic!("the problems are refused");
        };
        let mut fields: Vec<(&str, &str)> = problems
            .iter()
            .map(|p| (p.field.as_str(), p.message.as_str()))
            .collect();
        fields.sort();
        assert_eq!(fields[0].0, "cantidad");
        assert!(fields[0].1.starts_with("No válido"), "{fields:?}");
        assert_eq!(fields[1], ("fecha", "Este dato es obligatorio."));
        assert_eq!(fields[2], ("otro", "otro: no se pide"));
        assert_eq!(fields.len(), 3, "a blank optional field is no problem");
    }

    #[test]
    fn typed_values_are_read_by_their_type() {
        let date = field("fecha", FieldType::Date);
        let given = BTreeMap::from([("fecha".to_owned(), "2026-03-15".to_owned())]);
        let mut checked = Checked::default();
        let typed = read(&given, &[(&date, true)], &|_| String::new(), &mut checked);
        assert!(checked.done().is_ok());
        assert_eq!(
            typed.get("fecha"),
            Some(&Value::Date(jiff::civil::date(2026, 3, 15)))
        );
    }
}
