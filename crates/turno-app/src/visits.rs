//! Evaluation visits to any units (seed 004 §7.1.1; `docs/visits.md`), for the pages and the
//! API alike: planning one (on site or at a distance, its units, dates, team, purpose and
//! checklist), the list by unit, period and state, recording its findings with their evidence
//! files, and turning them into an improvement plan whose actions are followed as a program's
//! activities (evidence-gated progress) and closed in the supervision's rounds.
//!
//! Reading is for every signed-in person, as follow-up programs are. Those who may act (not
//! the consulta role) plan visits; a visit's planner, its team and administrators record its
//! findings, make its plan and close its rounds; for a supervision of procedure 94, those who
//! follow its case (`programs::may_follow`).

use crate::app::App;
use crate::checked::Checked;
use crate::error::{Error, FieldProblem};
use crate::limits;
use crate::principal::Principal;
use crate::programs::{MOST, may_follow, program_key};
use jiff::civil::Date;
use turno_domain::followup::{
    Finding, Modality, PlanAction, PlanError, Severity, VisitState, improvement_plan, parse_date,
};
use turno_domain::org::UnitSpec;
use turno_domain::text::{capitalized, same};
use turno_store::blobs::BlobStore;
use turno_store::followup::EvidenceFile;
use turno_store::visits::{NewFinding, NewVisit, StoredVisit, Visits};
use turno_store::{Person, Store};

/// The most people a visit's team, and units a visit, may have.
pub const TEAM: usize = 20;

/// A visit as a person plans it: every value as typed.
#[derive(Debug, Default)]
pub struct VisitDraft {
    /// `on_site` or `remote`.
    pub modality: String,
    /// The units visited, by code or name.
    pub units: Vec<String>,
    /// `AAAA-MM-DD`.
    pub from: String,
    pub to: String,
    /// The team's people, by login or name.
    pub team: Vec<String>,
    pub purpose: String,
    /// The aspects to evaluate, one each.
    pub aspects: Vec<String>,
}

fn no_visit() -> Error {
    Error::NotFound("No existe esa visita.".into())
}

/// A date typed as `AAAA-MM-DD`, or its problem on `field`.
fn date(checked: &mut Checked, field: &str, what: &str, text: &str) -> Option<Date> {
    let found = parse_date(text.trim());
    if found.is_none() {
        checked.wrong(field, format!("Escriba {what} como AAAA-MM-DD."));
    }
    found
}

/// The unit a person names by code or by name.
fn unit_named<'a>(units: &'a [UnitSpec], named: &str) -> Option<&'a UnitSpec> {
    let named = named.trim();
    units
        .iter()
        .find(|u| u.code == named || same(&u.current.name, named))
}

/// The non-blank entries of a list, each checked as one line.
fn lines(
    checked: &mut Checked,
    field: &str,
    what: &str,
    values: &[String],
    max: usize,
) -> Vec<String> {
    values
        .iter()
        .enumerate()
        .map(|(i, value)| {
            checked.line(
                &format!("{field}[{i}]"),
                &format!("{what} {}", i + 1),
                value,
                max,
                false,
            )
        })
        .filter(|value| !value.is_empty())
        .collect()
}

/// Plans a visit: every value checked together, each problem by its field; answers its id.
pub async fn plan(app: &App, user: &Principal, draft: &VisitDraft) -> Result<i64, Error> {
    if !user.can_act() {
        return Err(Error::Denied(
            "Programan visitas quienes atienden asuntos (no solo los consultan).".into(),
        ));
    }
    let mut checked = Checked::default();
    let modality = Modality::from_code(draft.modality.trim());
    if modality.is_none() {
        checked.wrong(
            "modality",
            "Elija si la visita es presencial o a distancia.",
        );
    }
    let organization = app.store.organization().await?;
    let named = lines(
        &mut checked,
        "units",
        "la unidad",
        &draft.units,
        limits::NAME,
    );
    let mut units = Vec::new();
    for (i, name) in named.iter().enumerate() {
        match unit_named(&organization, name) {
            Some(unit) if !units.contains(&unit.code) => units.push(unit.code.clone()),
            Some(_) => {}
            None => checked.wrong(
                format!("units[{i}]"),
                format!("La unidad «{name}» no existe."),
            ),
        }
    }
    if named.is_empty() {
        checked.wrong("units", "Elija al menos una unidad por visitar.");
    } else if named.len() > TEAM {
        checked.wrong(
            "units",
            format!("Una visita va a lo más a {TEAM} unidades."),
        );
    }
    let people = app.store.people().await?;
    let named = lines(
        &mut checked,
        "team",
        "la persona del equipo",
        &draft.team,
        limits::NAME,
    );
    let mut team = Vec::new();
    for (i, name) in named.iter().enumerate() {
        let person = people
            .iter()
            .find(|p| p.user.login == *name || same(&p.user.name, name));
        match person {
            Some(p) if !team.contains(&p.user.login) => team.push(p.user.login.clone()),
            Some(_) => {}
            None => checked.wrong(
                format!("team[{i}]"),
                format!("No hay en Turno una persona «{name}»."),
            ),
        }
    }
    if named.is_empty() {
        checked.wrong(
            "team",
            "Nombre al menos a una persona del equipo que visita.",
        );
    } else if named.len() > TEAM {
        checked.wrong("team", format!("El equipo lleva a lo más {TEAM} personas."));
    }
    let purpose = checked.text(
        "purpose",
        "el objetivo y alcance",
        &draft.purpose,
        limits::TEXT,
        true,
    );
    let aspects = lines(
        &mut checked,
        "aspects",
        "el aspecto",
        &draft.aspects,
        limits::NAME,
    );
    if aspects.is_empty() {
        checked.wrong("aspects", "Escriba al menos un aspecto por evaluar.");
    } else if aspects.len() > MOST {
        checked.wrong(
            "aspects",
            format!("Una visita evalúa a lo más {MOST} aspectos."),
        );
    }
    let from = date(
        &mut checked,
        "from",
        "el primer día de la visita",
        &draft.from,
    );
    let to = date(&mut checked, "to", "el último día de la visita", &draft.to);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        checked.wrong("to", "El último día de la visita va después del primero.");
    }
    let (Some(modality), Some(from), Some(to)) = (modality, from, to) else {
        return Err(checked.refused());
    };
    checked.done()?;
    let visit = NewVisit {
        modality,
        units,
        dates: (from, to),
        team,
        purpose,
        aspects,
        case_folio: None,
    };
    Ok(app
        .store
        .record_visit(&visit, &[], None, &user.login)
        .await?)
}

/// Which visits a list shows, as typed (every one optional).
#[derive(Debug, Default)]
pub struct VisitQuery {
    /// A unit by code or name: the visits to it.
    pub unit: String,
    /// `AAAA-MM-DD`: the visits that end on or after it.
    pub from: String,
    /// `AAAA-MM-DD`: the visits that start on or before it.
    pub to: String,
    /// A state's code (`VisitState::code`).
    pub state: String,
}

/// The visits a query asks for, the latest first; each problem of the query by its field.
pub async fn list(app: &App, query: &VisitQuery) -> Result<Vec<StoredVisit>, Error> {
    let mut checked = Checked::default();
    let unit = query.unit.trim();
    let unit = if unit.is_empty() {
        None
    } else {
        let organization = app.store.organization().await?;
        match unit_named(&organization, unit) {
            Some(found) => Some((found.code.clone(), found.current.name.clone())),
            None => {
                checked.wrong("unit", format!("La unidad «{unit}» no existe."));
                None
            }
        }
    };
    let mut optional = |field: &str, what: &str, text: &str| {
        (!text.trim().is_empty())
            .then(|| date(&mut checked, field, what, text))
            .flatten()
    };
    let from = optional("from", "el inicio del periodo", &query.from);
    let to = optional("to", "el fin del periodo", &query.to);
    let state = query.state.trim();
    let state = if state.is_empty() {
        None
    } else {
        let found = VisitState::from_code(state);
        if found.is_none() {
            checked.wrong("state", "Elija un estado de la lista.");
        }
        found
    };
    checked.done()?;
    Ok(app
        .store
        .visits()
        .await?
        .into_iter()
        .filter(|v| {
            unit.as_ref()
                .is_none_or(|(code, name)| v.visit.units.iter().any(|u| u == code || same(u, name)))
        })
        .filter(|v| from.is_none_or(|from| v.visit.dates.1 >= from))
        .filter(|v| to.is_none_or(|to| v.visit.dates.0 <= to))
        .filter(|v| state.is_none_or(|state| v.state() == state))
        .collect())
}

/// Visit `id`.
pub async fn show(app: &App, id: i64) -> Result<StoredVisit, Error> {
    app.store.visit(id).await?.ok_or_else(no_visit)
}

/// Whether `user` works visit `visit` (records its findings, makes its plan, closes its
/// rounds): administrators; those who follow its case, for a supervision; else, not only to
/// consult, its planner and its team.
pub async fn may_work(app: &App, user: &Principal, visit: &StoredVisit) -> Result<(), Error> {
    if let Some(folio) = &visit.visit.case_folio {
        return may_follow(app, user, folio).await;
    }
    let member = visit.planned_by == user.login || visit.visit.team.contains(&user.login);
    if user.is_admin() || (user.can_act() && member) {
        Ok(())
    } else {
        Err(Error::Denied(
            "Registran los hallazgos y el plan de mejora de una visita quien la programó, su \
             equipo y los administradores."
                .into(),
        ))
    }
}

/// Visit `id`, when `user` works it: what is checked before an evidence file is stored.
pub async fn worked(app: &App, user: &Principal, id: i64) -> Result<StoredVisit, Error> {
    let visit = show(app, id).await?;
    may_work(app, user, &visit).await?;
    Ok(visit)
}

/// A finding as a person writes it down.
#[derive(Debug, Default)]
pub struct FindingDraft {
    /// One of the visit's aspects (any, when it has none).
    pub aspect: String,
    pub description: String,
    /// `low`, `medium` or `high`.
    pub severity: String,
}

/// Records a finding of visit `id` with its evidence file (its name and the file stored for
/// it), before the visit's plan is made; answers it, numbered.
pub async fn record_finding(
    app: &App,
    user: &Principal,
    id: i64,
    draft: &FindingDraft,
    evidence: Option<(String, EvidenceFile)>,
) -> Result<Finding, Error> {
    let visit = worked(app, user, id).await?;
    if visit.plan.is_some() {
        return Err(Error::Refused(
            "La visita ya tiene su plan de mejora: sus hallazgos no cambian.".into(),
        ));
    }
    let mut checked = Checked::default();
    let typed = checked.line(
        "aspect",
        "el aspecto evaluado",
        &draft.aspect,
        limits::NAME,
        true,
    );
    let aspect = if visit.visit.aspects.is_empty() {
        typed
    } else {
        match visit.visit.aspects.iter().find(|a| same(a, &typed)) {
            Some(aspect) => aspect.clone(),
            None => {
                if !typed.is_empty() {
                    checked.wrong(
                        "aspect",
                        "Elija uno de los aspectos por evaluar de la visita.",
                    );
                }
                typed
            }
        }
    };
    let description = checked.text(
        "description",
        "la descripción del hallazgo",
        &draft.description,
        limits::TEXT,
        true,
    );
    let severity = Severity::from_code(draft.severity.trim());
    if severity.is_none() {
        checked.wrong("severity", "Elija la severidad: baja, media o alta.");
    }
    if let Some((name, _)) = &evidence {
        checked.line(
            "evidence",
            "el nombre del archivo",
            name,
            limits::FILE_NAME,
            false,
        );
    }
    let Some(severity) = severity else {
        return Err(checked.refused());
    };
    checked.done()?;
    let finding = NewFinding {
        aspect,
        description,
        severity,
        evidence,
    };
    app.store
        .add_finding(id, finding, &user.login)
        .await?
        .ok_or_else(no_visit)
}

/// The stored evidence file of finding `number` of visit `id`, with its name and content.
pub async fn finding_evidence(
    app: &App,
    id: i64,
    number: u32,
) -> Result<(String, EvidenceFile, Vec<u8>), Error> {
    let visit = show(app, id).await?;
    let missing = || Error::NotFound("Ese hallazgo no tiene un archivo de evidencia.".into());
    let found = visit.finding(number).ok_or_else(missing)?;
    let (Some(name), Some(file)) = (&found.finding.evidence, &found.file) else {
        return Err(missing());
    };
    let content = app.blobs.get(&file.sha256).await.map_err(|e| {
        tracing::error!(visit = id, finding = number, sha256 = %file.sha256, error = %e, "a finding's evidence could not be read");
        Error::Internal(Box::new(e))
    })?;
    Ok((name.clone(), file.clone(), content))
}

/// An action of an improvement plan as a person writes it down.
#[derive(Debug, Default, Clone)]
pub struct ActionDraft {
    /// The finding's number.
    pub finding: String,
    pub description: String,
    /// The responsible unit, by code or name.
    pub responsible: String,
    /// `AAAA-MM-DD`.
    pub start: String,
    /// `AAAA-MM-DD`, or a term from the start: «15 días hábiles».
    pub end: String,
    /// What will prove it.
    pub products: String,
}

/// A term in días hábiles as typed: «15 días hábiles», «15 dias habiles», «15».
fn business_days(text: &str) -> Option<i32> {
    let mut words = text.split_whitespace();
    let days: i32 = words.next()?.parse().ok()?;
    let rest: Vec<&str> = words.collect();
    let plain =
        rest.is_empty() || (rest.len() == 2 && same(rest[0], "días") && same(rest[1], "hábiles"));
    (plain && (1..=365).contains(&days)).then_some(days)
}

/// Makes the improvement plan of visit `id` from its findings under the program key `key`:
/// each finding attended by at least one action, each action with its responsible unit and
/// dates (its end a date or a term in días hábiles from its start, on the LFPA calendar in
/// force); answers the plan's key.
pub async fn make_plan(
    app: &App,
    user: &Principal,
    id: i64,
    key: &str,
    actions: &[ActionDraft],
) -> Result<String, Error> {
    let visit = worked(app, user, id).await?;
    if visit.plan.is_some() {
        return Err(Error::Conflict(
            "La visita ya tiene su plan de mejora.".into(),
        ));
    }
    let mut checked = Checked::default();
    let key = program_key(&mut checked, key);
    if actions.is_empty() || actions.len() > MOST {
        checked.wrong("actions", format!("Escriba de 1 a {MOST} acciones."));
    }
    let organization = app.store.organization().await?;
    let moment = app.moment();
    let calendar = &moment.calendars.lfpa;
    let mut planned = Vec::new();
    for (i, draft) in actions.iter().enumerate() {
        let place = format!("actions[{i}].");
        let of = format!(" de la acción {}", i + 1);
        let finding = draft.finding.trim().parse::<u32>().ok();
        if finding.is_none() {
            checked.wrong(
                format!("{place}finding"),
                format!("Elija el hallazgo que atiende la acción {}.", i + 1),
            );
        }
        let description = checked.text(
            &format!("{place}description"),
            &format!("la descripción{of}"),
            &draft.description,
            limits::TEXT,
            true,
        );
        let products = checked.text(
            &format!("{place}products"),
            &format!("la evidencia esperada{of}"),
            &draft.products,
            limits::TEXT,
            false,
        );
        let responsible = draft.responsible.trim();
        let unit = unit_named(&organization, responsible);
        if unit.is_none() {
            checked.wrong(
                format!("{place}responsible"),
                if responsible.is_empty() {
                    format!("Elija la unidad responsable{of}.")
                } else {
                    format!("La unidad responsable «{responsible}»{of} no existe.")
                },
            );
        }
        let start = date(
            &mut checked,
            &format!("{place}start"),
            &format!("la fecha de inicio{of}"),
            &draft.start,
        );
        let end = match (
            parse_date(draft.end.trim()),
            business_days(&draft.end),
            start,
        ) {
            (Some(end), _, _) => Some(end),
            (None, Some(days), Some(start)) => calendar.add_business_days(start, days).ok(),
            (None, Some(_), None) => None,
            (None, None, _) => {
                checked.wrong(
                    format!("{place}end"),
                    format!(
                        "Escriba el término{of} como AAAA-MM-DD o en días hábiles («15 días \
                         hábiles»)."
                    ),
                );
                None
            }
        };
        if let (Some(finding), Some(unit), Some(start), Some(end)) = (finding, unit, start, end) {
            planned.push(PlanAction {
                finding,
                description,
                responsible: unit.code.clone(),
                dates: (start, end),
                products,
            });
        }
    }
    checked.done()?;
    let findings: Vec<Finding> = visit.findings.iter().map(|f| f.finding.clone()).collect();
    let name = format!(
        "Plan de mejora de la visita {} · {}",
        visit.id,
        visit.visit.units.join(", ")
    );
    let plan = improvement_plan(&name, &findings, &planned).map_err(|e| {
        let said = format!("{}.", capitalized(&e.to_string()));
        let field = match e {
            PlanError::NoFindings => return Error::Refused(said),
            PlanError::UnknownFinding(n) => {
                let index = actions
                    .iter()
                    .position(|a| a.finding.trim() == n.to_string())
                    .unwrap_or_default();
                format!("actions[{index}].finding")
            }
            PlanError::Unattended(_) => "actions".to_owned(),
            PlanError::Action { number, .. } => format!("actions[{}].end", number - 1),
        };
        Error::InvalidFields(vec![FieldProblem::new(&field, said)])
    })?;
    app.store
        .make_plan(id, &key, &plan, &user.login)
        .await?
        .then_some(key)
        .ok_or_else(no_visit)
}

/// The people of a visit's team as lists name them: each login with the person's name.
pub fn team_names(visit: &StoredVisit, people: &[Person]) -> Vec<String> {
    visit
        .visit
        .team
        .iter()
        .map(|login| {
            people
                .iter()
                .find(|p| p.user.login == *login)
                .map_or_else(|| login.clone(), |p| p.user.name.clone())
        })
        .collect()
}

/// A visit's plan and its improvement plan as titled tables, for its PDF (the visit's page and
/// the API print the same): the visit as planned, its findings, and each action of its
/// improvement plan with its progress and status as of `today`.
#[derive(Debug, Clone)]
pub struct VisitReport {
    /// What heads every table and page: «Visita 3 · OOAD Jalisco».
    pub title: String,
    pub tables: Vec<(String, Vec<Vec<String>>)>,
    /// The file's name without extension: `visita-3`.
    pub file_name: String,
}

/// The report of visit `id` (readable by every signed-in person, as the visit is).
pub async fn report(app: &App, id: i64) -> Result<VisitReport, Error> {
    use turno_domain::text::day;
    let visit = show(app, id).await?;
    let people = app.store.people().await?;
    let organization = app.store.organization().await?;
    let unit_name = |code: &str| {
        organization
            .iter()
            .find(|u| u.code == code)
            .map_or_else(|| code.to_owned(), |u| u.current.name.clone())
    };
    let v = &visit.visit;
    let (from, to) = v.dates;
    let units: Vec<String> = v.units.iter().map(|u| unit_name(u)).collect();
    let mut plan = vec![
        vec!["Dato".to_owned(), "Valor".to_owned()],
        vec!["Modalidad".into(), capitalized(v.modality.label())],
        vec!["Unidades visitadas".into(), units.join("; ")],
        vec!["Fechas".into(), format!("{} al {}", day(from), day(to))],
        vec!["Equipo".into(), team_names(&visit, &people).join("; ")],
        vec!["Objetivo y alcance".into(), v.purpose.clone()],
        vec!["Aspectos a evaluar".into(), v.aspects.join("; ")],
        vec!["Programó".into(), visit.planned_by.clone()],
        vec!["Estado".into(), capitalized(visit.state().label())],
    ];
    if let Some(folio) = &v.case_folio {
        plan.push(vec!["Asunto".into(), folio.clone()]);
    }
    let mut findings = vec![
        [
            "Hallazgo",
            "Aspecto",
            "Descripción",
            "Severidad",
            "Evidencia",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    findings.extend(visit.findings.iter().map(|f| {
        vec![
            f.finding.number.to_string(),
            f.finding.aspect.clone(),
            f.finding.description.clone(),
            f.finding.severity.label().to_owned(),
            f.finding.evidence.clone().unwrap_or_default(),
        ]
    }));
    let mut tables = vec![
        ("Plan de la visita".to_owned(), plan),
        ("Hallazgos".to_owned(), findings),
    ];
    let today = app.today();
    match &visit.plan {
        Some(key) => {
            let program = crate::programs::program(app, key).await?;
            let mut actions = vec![
                [
                    "Hallazgo",
                    "Acción",
                    "Unidad responsable",
                    "Inicio",
                    "Término",
                    "Productos y/o evidencias",
                    "Avance (%)",
                    "Estatus",
                ]
                .map(str::to_owned)
                .to_vec(),
            ];
            for item in &program.items {
                for activity in &item.activities {
                    actions.push(vec![
                        item.number.to_string(),
                        activity.description.clone(),
                        activity
                            .responsible
                            .iter()
                            .map(|u| unit_name(u))
                            .collect::<Vec<_>>()
                            .join("; "),
                        day(activity.start()),
                        day(activity.end()),
                        activity.products.clone(),
                        activity.progress().percent().to_string(),
                        activity.status(today).as_str().to_owned(),
                    ]);
                }
            }
            tables.push((format!("Plan de mejora ({key})"), actions));
        }
        None => tables.push((
            "Plan de mejora".to_owned(),
            vec![
                vec!["Plan de mejora".to_owned()],
                vec!["La visita aún no tiene plan de mejora.".to_owned()],
            ],
        )),
    }
    Ok(VisitReport {
        title: format!("Visita {} · {}", visit.id, units.join(", ")),
        tables,
        file_name: format!("visita-{}", visit.id),
    })
}
