//! A procedure's fields as people type them (a form's inputs, a request's strings), read into
//! the engine's values, every problem reported and not only the first.

use crate::error::FieldProblem;
use std::collections::BTreeMap;
use turno_domain::definition::FieldDef;
use turno_domain::engine::Value;

/// A field asked for, and whether it must be given.
pub type Asked<'a> = (&'a FieldDef, bool);

/// Reads the `asked` fields from `given` (name → text as typed; several choices separated by
/// commas). A name not asked is a problem worded by `not_asked`; a required field left blank
/// and a text its type cannot read are problems too, added to `problems`.
pub fn read(
    given: &BTreeMap<String, String>,
    asked: &[Asked<'_>],
    not_asked: &dyn Fn(&str) -> String,
    problems: &mut Vec<FieldProblem>,
) -> BTreeMap<String, Value> {
    let mut typed = BTreeMap::new();
    for (field, required) in asked {
        match given
            .get(&field.name)
            .filter(|text| !text.trim().is_empty())
        {
            None if *required => {
                problems.push(FieldProblem::new(&field.name, "Este dato es obligatorio."));
            }
            None => {}
            Some(text) => match field.parse_input(text) {
                Ok(value) => {
                    typed.insert(field.name.clone(), value);
                }
                Err(reason) => {
                    problems.push(FieldProblem::new(
                        &field.name,
                        format!("No válido: {reason}."),
                    ));
                }
            },
        }
    }
    for name in given.keys() {
        if !asked.iter().any(|(field, _)| &field.name == name) {
            problems.push(FieldProblem::new(name, not_asked(name)));
        }
    }
    typed
}
