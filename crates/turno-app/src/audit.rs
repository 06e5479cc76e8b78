//! The administration's audit log in words: what each recorded change was and, field by field,
//! what it was before and what it is after, for the bitácora page and the API. The store keeps
//! each change as JSON (`AuditEntry::detail`); this is the one place that reads it for people.

use serde_json::{Map, Value};
use turno_domain::org::Level;
use turno_domain::text::day;
use turno_store::{AuditEntry, Role};

/// One field of a change: its name, and its value before and after (blank: none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

/// A recorded change as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    /// What kind of change («Cambio de unidad»).
    pub action: &'static str,
    /// The change in one sentence.
    pub summary: String,
    /// Field by field, before → after.
    pub changes: Vec<Change>,
}

/// What each action is called in the log.
pub fn action_label(action: &str) -> &'static str {
    match action {
        "unit_created" => "Alta de unidad",
        "unit_changed" => "Cambio de unidad",
        "user_created" => "Alta de persona",
        "user_activated" => "Persona habilitada",
        "user_deactivated" => "Persona dada de baja",
        "role_granted" => "Papel asignado",
        "role_revoked" => "Papel retirado",
        "signer_identity_set" => "RFC y CURP de la e.firma",
        "delegation_created" => "Suplencia registrada",
        "delegation_revoked" => "Suplencia revocada",
        "calendar_imported" => "Días inhábiles importados",
        "calendar_entry_changed" => "Día inhábil cambiado",
        "calendar_entry_removed" => "Día inhábil quitado",
        "calendar_scope_set" => "Alcance del calendario cambiado",
        "motive_added" => "Motivo agregado",
        "motive_retired" => "Motivo retirado",
        "calls_declared" => "Llamadas declaradas por el proveedor",
        "followup_program_created" => "Programa de seguimiento creado",
        "followup_program_imported" | "followup_program_replaced" => {
            "Programa de seguimiento importado"
        }
        "followup_item_added" => "Elemento de seguimiento agregado",
        "followup_item_changed" => "Línea de seguimiento editada",
        "supervision_round_closed" => "Ronda de supervisión cerrada",
        "petition_personal_data_viewed" => "Datos personales de una petición consultados",
        "numbering_set" => "Numeración de una unidad cambiada",
        "correspondence_imported" => "Registro de correspondencia importado",
        "indicators_uploaded" => "Tabla de indicadores cargada",
        "procedure_draft_created" => "Borrador de procedimiento cargado",
        "procedure_draft_saved" => "Borrador de procedimiento guardado",
        "procedure_draft_published" => "Borrador de procedimiento publicado",
        "procedure_draft_discarded" => "Borrador de procedimiento descartado",
        _ => "Otro cambio",
    }
}

/// A recorded change in words. An entry recorded as something other than JSON (none should
/// be) shows its text as it is.
pub fn describe(entry: &AuditEntry) -> Described {
    let detail = serde_json::from_str::<Value>(&entry.detail).unwrap_or(Value::Null);
    let action = action_label(&entry.action);
    let subject = entry.subject.as_str();
    let (summary, changes) = match entry.action.as_str() {
        "unit_created" | "unit_changed" => unit(subject, &detail),
        "user_created" => (
            format!("Alta de la persona con usuario «{subject}»."),
            vec![
                added("Nombre", text(&detail, "name")),
                added("Correo", text(&detail, "email")),
            ],
        ),
        "user_activated" => (
            format!("Se habilitó a «{subject}»."),
            vec![Change {
                field: "Estado",
                before: "Dada de baja".into(),
                after: "Activa".into(),
            }],
        ),
        "user_deactivated" => (
            format!("Se dio de baja a «{subject}»."),
            vec![Change {
                field: "Estado",
                before: "Activa".into(),
                after: "Dada de baja".into(),
            }],
        ),
        "role_granted" | "role_revoked" => role(entry.action == "role_granted", subject, &detail),
        "signer_identity_set" => (
            format!("RFC y CURP de la e.firma de «{subject}»."),
            vec![
                added("RFC", text(&detail, "rfc")),
                added("CURP", text(&detail, "curp")),
            ],
        ),
        "delegation_created" => delegation(subject, &detail),
        "delegation_revoked" => (
            format!(
                "Se revocó la suplencia n.º {} de «{subject}».",
                text(&detail, "delegation")
            ),
            Vec::new(),
        ),
        "calendar_imported" => {
            let added: Vec<String> = list(&detail, "added").iter().map(period).collect();
            (
                format!(
                    "Del archivo «{}», {}: {}.",
                    file_name(subject),
                    turno_domain::text::count(
                        added.len(),
                        "día o periodo agregado",
                        "días o periodos agregados"
                    ),
                    added.join("; ")
                ),
                Vec::new(),
            )
        }
        "calendar_entry_removed" => (format!("Se quitó {}.", period(&detail)), Vec::new()),
        "calendar_entry_changed" => {
            let (before, after) = (field(&detail, "before"), field(&detail, "after"));
            (
                format!("Se cambió {}.", period(before)),
                compared(before, after, CALENDAR_FIELDS),
            )
        }
        "calendar_scope_set" => scope(&detail),
        "motive_added" => (
            format!(
                "Se agregó el motivo «{subject}»: {}.",
                text(&detail, "name")
            ),
            Vec::new(),
        ),
        "motive_retired" => (format!("Se retiró el motivo «{subject}»."), Vec::new()),
        "followup_item_changed" => line_changed(subject, &detail),
        "calls_declared" => (
            format!(
                "El proveedor declaró {} recibidas el día {}.",
                text(&detail, "received"),
                date_text(subject)
            ),
            Vec::new(),
        ),
        "numbering_set" => (
            format!(
                "La unidad «{subject}» numera sus documentos con las siglas «{}» y el formato «{}».",
                text(&detail, "siglas"),
                text(&detail, "format")
            ),
            Vec::new(),
        ),
        "correspondence_imported" => (
            format!(
                "Del archivo «{}», documentos de entrada registrados: {} ({} a {}); turnos: {}.",
                file_name(subject),
                text(&detail, "documents"),
                text(&detail, "first"),
                text(&detail, "last"),
                text(&detail, "turns"),
            ),
            Vec::new(),
        ),
        "indicators_uploaded" => (
            format!(
                "Se cargaron {} indicadores de «{subject}», periodo «{}» (corte al {}), en el \
                 asunto {}, del archivo «{}»{}.",
                text(&detail, "indicators"),
                text(&detail, "period"),
                date_text(&text(&detail, "period_end")),
                text(&detail, "folio"),
                text(&detail, "file"),
                if text(&detail, "replaced") == "true" {
                    "; reemplazan los que el asunto tenía de ese periodo"
                } else {
                    ""
                }
            ),
            Vec::new(),
        ),
        "procedure_draft_created" => (
            format!(
                "Del archivo «{}» se leyó el borrador n.º {} («{subject}»).",
                text(&detail, "file"),
                text(&detail, "draft")
            ),
            Vec::new(),
        ),
        "procedure_draft_saved" => (
            format!(
                "Se guardó la definición del borrador n.º {} («{subject}»).",
                text(&detail, "draft")
            ),
            Vec::new(),
        ),
        "procedure_draft_published" => (
            format!(
                "Se publicó el borrador n.º {} como la versión {} de «{subject}»: {}.",
                text(&detail, "draft"),
                text(&detail, "version"),
                text(&detail, "title")
            ),
            Vec::new(),
        ),
        "procedure_draft_discarded" => (
            format!(
                "Se descartó el borrador n.º {} («{subject}»).",
                text(&detail, "draft")
            ),
            Vec::new(),
        ),
        _ => (format!("{action}: «{subject}»."), generic(&detail)),
    };
    Described {
        action,
        summary,
        changes,
    }
}

/// The fields of a program's line, as its edit records them (`turno_domain::followup::changes`),
/// and their names; an activity's are named with its number in their values.
const LINE_FIELDS: &[(&str, &str)] = &[
    ("text", "Texto"),
    ("reference", "Número de observación"),
    ("indicator", "Indicador"),
    ("goal", "Meta anual"),
    ("quarter_goals", "Metas trimestrales (%)"),
    ("description", "Actividad"),
    ("start", "Inicio de la actividad"),
    ("end", "Término de la actividad"),
    ("products", "Productos de la actividad"),
    ("responsible", "Unidad responsable"),
];

/// A line edited: which, and each field before and after.
fn line_changed(program: &str, detail: &Value) -> (String, Vec<Change>) {
    let changes = list(detail, "changes")
        .iter()
        .map(|c| {
            let field = text(c, "field");
            // `activities[0].end`: the activity's number in the values.
            let (activity, name) = match field.split_once("].") {
                Some((at, name)) => (
                    at.trim_start_matches("activities[")
                        .parse::<usize>()
                        .map(|i| format!("actividad {}: ", i + 1))
                        .unwrap_or_default(),
                    name.to_owned(),
                ),
                None => (String::new(), field.clone()),
            };
            let label = LINE_FIELDS
                .iter()
                .find(|(f, _)| *f == name)
                .map_or("Otro dato", |(_, label)| label);
            let value = |key: &str| match text(c, key) {
                v if v.is_empty() => v,
                v => format!("{activity}{v}"),
            };
            Change {
                field: label,
                before: value("before"),
                after: value("after"),
            }
        })
        .collect();
    (
        format!(
            "Se editó la línea {} del programa «{program}».",
            text(detail, "item")
        ),
        changes,
    )
}

/// The fields of a calendar entry, as the audit log records them, and their names.
const CALENDAR_FIELDS: &[(&str, &str)] = &[
    ("from", "Primer día"),
    ("to", "Último día"),
    ("name", "Nombre"),
    ("regimes", "Régimen"),
    ("institution", "Institución"),
    ("state", "Entidad"),
    ("source", "Fuente"),
];

/// The fields of a unit's form and their names.
const UNIT_FIELDS: &[(&str, &str)] = &[
    ("name", "Nombre"),
    ("level", "Nivel"),
    ("parent", "Depende de"),
    ("valid_from", "Rige desde"),
];

fn unit(code: &str, detail: &Value) -> (String, Vec<Change>) {
    // Recorded with the unit's form in force (`current`) and, since changes keep it, the unit
    // as it was (`was`); the oldest entries have the form's fields at the top.
    let current = detail.get("current").unwrap_or(detail);
    let name = text(current, "name");
    let was = detail.get("was").filter(|w| !w.is_null());
    let mut changes = match was {
        Some(was) => compared(
            was.get("current").unwrap_or(&Value::Null),
            current,
            UNIT_FIELDS,
        ),
        None => UNIT_FIELDS
            .iter()
            .map(|(key, label)| added(label, shown(key, current.get(*key))))
            .filter(|c| !c.after.is_empty())
            .collect(),
    };
    let siglas = |v: Option<&Value>| shown("siglas", v.and_then(|v| v.get("siglas")));
    let (before, after) = (siglas(was), siglas(Some(detail)));
    if before != after {
        changes.push(Change {
            field: "Siglas",
            before,
            after,
        });
    }
    let summary = if was.is_some() || detail.get("current").is_none() {
        format!("Se cambió la unidad «{name}» ({code}).")
    } else {
        format!("Alta o cambio de la unidad «{name}» ({code}).")
    };
    (summary, changes)
}

fn role(granted: bool, login: &str, detail: &Value) -> (String, Vec<Change>) {
    let role = text(detail, "role");
    let role = role
        .parse::<Role>()
        .map_or(role.clone(), |r| r.label().to_owned());
    let unit = text(detail, "unit");
    let summary = if granted {
        format!("«{login}» recibió el papel de {role} en la unidad {unit}.")
    } else {
        format!("«{login}» dejó el papel de {role} en la unidad {unit}.")
    };
    (summary, Vec::new())
}

fn delegation(titular: &str, detail: &Value) -> (String, Vec<Change>) {
    let mut summary = format!(
        "«{}» suple a «{titular}» en la unidad {} del {} al {}",
        text(detail, "delegate"),
        text(detail, "unit"),
        date_text(&text(detail, "starts_on")),
        date_text(&text(detail, "ends_on")),
    );
    let reason = text(detail, "reason");
    if !reason.is_empty() {
        summary.push_str(&format!(" ({reason})"));
    }
    let document = text(detail, "document");
    if !document.is_empty() {
        summary.push_str(&format!(", con el oficio «{document}»"));
    }
    summary.push('.');
    (summary, Vec::new())
}

fn scope(detail: &Value) -> (String, Vec<Change>) {
    let state = |v: &Value| {
        let code = text(v, "state");
        code.parse::<turno_domain::calendar::State>()
            .map_or(code, |s| s.name().to_owned())
    };
    let after = (text(detail, "institution"), state(detail));
    let mut changes = Vec::new();
    let was = detail.get("was").filter(|w| !w.is_null());
    let before = was.map(|w| (text(w, "institution"), state(w)));
    let (before_institution, before_state) = before.unwrap_or_default();
    for (label, before, after) in [
        ("Institución", before_institution, after.0.clone()),
        ("Entidad", before_state, after.1.clone()),
    ] {
        if was.is_none() || before != after {
            changes.push(Change {
                field: label,
                before,
                after,
            });
        }
    }
    (
        "Cambió de qué institución y entidad cuentan los días inhábiles.".into(),
        changes,
    )
}

/// A calendar entry in words: «07/12/2026 «Acuerdo»» or «del 20/07/2026 al 31/07/2026 «…»».
fn period(entry: &Value) -> String {
    let (from, to) = (text(entry, "from"), text(entry, "to"));
    let name = text(entry, "name");
    if from == to || to.is_empty() {
        format!("{} «{name}»", date_text(&from))
    } else {
        format!("del {} al {} «{name}»", date_text(&from), date_text(&to))
    }
}

/// The fields that differ between two recorded states.
fn compared(before: &Value, after: &Value, fields: &[(&str, &'static str)]) -> Vec<Change> {
    fields
        .iter()
        .map(|(key, label)| Change {
            field: label,
            before: shown(key, before.get(*key)),
            after: shown(key, after.get(*key)),
        })
        .filter(|c| c.before != c.after)
        .collect()
}

/// Every field of an entry this module has no words for, as it was recorded.
fn generic(detail: &Value) -> Vec<Change> {
    let empty = Map::new();
    detail
        .as_object()
        .unwrap_or(&empty)
        .iter()
        .map(|(key, value)| added(known(key), shown(key, Some(value))))
        .filter(|c| !c.after.is_empty())
        .collect()
}

/// The Spanish name of a field the log records.
fn known(key: &str) -> &'static str {
    match key {
        "name" => "Nombre",
        "items" => "Elementos",
        "activities" => "Actividades",
        "sign_off" => "Firmas",
        "item" => "Elemento",
        "round" => "Ronda",
        "outcome" => "Resultado",
        "kinds" => "Tipos",
        "received" => "Recibidas",
        _ => "Dato",
    }
}

fn added(field: &'static str, after: String) -> Change {
    Change {
        field,
        before: String::new(),
        after,
    }
}

/// A recorded value as people read it: dates as dd/mm/aaaa, levels and regimes by name, lists
/// joined; none is blank.
fn shown(key: &str, value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => match key {
            "level" => s
                .parse::<Level>()
                .map_or_else(|_| s.clone(), |l| l.label().to_owned()),
            "regimes" => s.to_uppercase().replace(',', " y "),
            "state" => s
                .parse::<turno_domain::calendar::State>()
                .map_or_else(|_| s.clone(), |st| st.name().to_owned()),
            _ => date_text(s),
        },
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| shown(key, Some(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

/// A text that is an ISO date, as dd/mm/aaaa; any other text as it is.
fn date_text(text: &str) -> String {
    text.parse::<jiff::civil::Date>()
        .map_or_else(|_| text.to_owned(), day)
}

/// A recorded text (or number) field; blank when missing.
fn text(value: &Value, key: &str) -> String {
    match value.get(key) {
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => String::new(),
        Some(other) => other.to_string(),
    }
}

fn field<'a>(value: &'a Value, key: &str) -> &'a Value {
    value.get(key).unwrap_or(&Value::Null)
}

fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A file's name without the folders it was read from.
pub fn file_name(file: &str) -> &str {
    file.rsplit(['/', '\\']).next().unwrap_or(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str, subject: &str, detail: &str) -> AuditEntry {
        AuditEntry {
            id: 1,
            at: "2026-12-06T10:00:00Z".into(),
            actor: "admin".into(),
            action: action.into(),
            subject: subject.into(),
            detail: detail.into(),
        }
    }

    #[test]
    fn a_unit_change_lists_what_it_was_and_is_in_words() {
        let described = describe(&entry(
            "unit_changed",
            "SIDSS-ST",
            r#"{"current":{"name":"Secretaría Técnica","parent":"SIDSS","level":"direccion","valid_from":"2026-12-01"},
                "siglas":"ST",
                "was":{"current":{"name":"Secretario Técnico","parent":"SIDSS","level":"direccion_general","valid_from":null},"siglas":null}}"#,
        ));
        assert_eq!(described.action, "Cambio de unidad");
        assert_eq!(
            described.summary,
            "Se cambió la unidad «Secretaría Técnica» (SIDSS-ST)."
        );
        let names: Vec<_> = described
            .changes
            .iter()
            .map(|c| (c.field, c.before.as_str(), c.after.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("Nombre", "Secretario Técnico", "Secretaría Técnica"),
                ("Nivel", "Dirección General", "Dirección"),
                ("Rige desde", "", "01/12/2026"),
                ("Siglas", "", "ST"),
            ]
        );
    }

    #[test]
    fn a_calendar_change_reads_its_days_and_a_scope_its_state() {
        let described = describe(&entry(
            "calendar_entry_changed",
            "calendars/2026.toml",
            r#"{"before":{"from":"2026-12-07","to":"2026-12-07","name":"Acuerdo","regimes":null},
                "after":{"from":"2026-12-07","to":"2026-12-08","name":"Acuerdo","regimes":"lfpa"}}"#,
        ));
        assert_eq!(described.summary, "Se cambió 07/12/2026 «Acuerdo».");
        assert_eq!(
            described.changes,
            [
                Change {
                    field: "Último día",
                    before: "07/12/2026".into(),
                    after: "08/12/2026".into()
                },
                Change {
                    field: "Régimen",
                    before: String::new(),
                    after: "LFPA".into()
                },
            ]
        );
        let scope = describe(&entry(
            "calendar_scope_set",
            "calendario",
            r#"{"institution":"SSA","state":"QRO","was":{"institution":"SSA","state":null}}"#,
        ));
        assert_eq!(
            scope.changes,
            [Change {
                field: "Entidad",
                before: String::new(),
                after: "Querétaro".into()
            }]
        );
        let register = describe(&entry(
            "correspondence_imported",
            "/tmp/registro.csv",
            r#"{"documents":2,"first":"CE-2026-000001","last":"CE-2026-000002","turns":1}"#,
        ));
        assert_eq!(
            register.summary,
            "Del archivo «registro.csv», documentos de entrada registrados: 2 (CE-2026-000001 \
             a CE-2026-000002); turnos: 1."
        );
        let imported = describe(&entry(
            "calendar_imported",
            "/srv/turno/calendars/2026.toml",
            r#"{"added":[{"from":"2026-07-20","to":"2026-07-31","name":"Vacaciones"}]}"#,
        ));
        assert_eq!(
            imported.summary,
            "Del archivo «2026.toml», 1 día o periodo agregado: del 20/07/2026 al 31/07/2026 «Vacaciones»."
        );
    }

    #[test]
    fn people_and_roles_read_as_sentences() {
        let role = describe(&entry(
            "role_granted",
            "ana",
            r#"{"unit":"SIDSS-ST","role":"enlace_externo"}"#,
        ));
        assert_eq!(
            role.summary,
            "«ana» recibió el papel de Enlace externo en la unidad SIDSS-ST."
        );
        let off = describe(&entry("user_deactivated", "ana", "{}"));
        assert_eq!(off.changes[0].after, "Dada de baja");
        let unknown = describe(&entry("something_new", "x", r#"{"name":"Uno"}"#));
        assert_eq!(unknown.action, "Otro cambio");
        assert_eq!(unknown.changes[0].after, "Uno");
    }
}
