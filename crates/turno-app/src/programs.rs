//! Follow-up programs (docs/asm-format.md) as the pages and the API share them, and who may do
//! what to them: a program as of a date; an activity's progress, and its evidence as a file
//! stored in the blob store as it arrives; importing a program's three tables; a supervision's
//! recommendations and its rounds; and programs written down line by line (a meeting's
//! agreements, commitments, an audit's observations, PAT, PTAR and PTCI), with their quarterly
//! reports and their roll-up from units to their direction.
//!
//! Reading is for every signed-in person. Progress is recorded by the people of an activity's
//! responsible areas and administrators; tables are imported by administrators; supervisions
//! and programs of agreements are written by those who may act (not the consulta role) and,
//! when they come from a case, see it; a supervision's rounds are closed by those who see its
//! case and may act, and administrators.

use crate::access::{visible_current, visible_id};
use crate::app::App;
use crate::checked::Checked;
use crate::documents::too_large;
use crate::error::{Error, FieldProblem};
use crate::limits;
use crate::principal::Principal;
use jiff::civil::Date;
use std::collections::HashMap;
use tokio::io::AsyncRead;
use turno_domain::followup::{
    Activity, Change, Closure, Evidence, FollowupError, Goal, Item, ItemKind, LineKind, Modality,
    NewItem, Plan, PlanField, Program, ProgramKind, Progress, Quarter, Rollup, Round, RoundOutcome,
    Severity, Tables, Update, changes, missing, parse_date, place, read_file, read_lines,
    read_program, revise, supervision_program,
};
use turno_domain::text::capitalized;
use turno_domain::text::same;
use turno_store::blobs::{BlobError, BlobStore, check_mime};
use turno_store::followup::{
    self, ActivityAt, EvidenceFile, Followup, HistoryEntry, ImportError, ProgramHead,
    ProgramImport, Recorded, UpdateError,
};
use turno_store::visits::{NewFinding, NewVisit, Visits};
use turno_store::{Role, Store};

/// Whether `user` may record progress on `activity`: an administrator, or a member (not only
/// for consultation) of one of its responsible areas, named by the unit's name or code
/// (without regard to accents or case).
pub fn may_edit(user: &Principal, activity: &Activity) -> bool {
    user.is_admin()
        || user.memberships.iter().any(|m| {
            m.role != Role::Consulta
                && activity
                    .responsible
                    .iter()
                    .any(|area| same(area, &m.unit_name) || same(area, &m.unit_code))
        })
}

/// Whether `user` may follow the supervision of case `folio` (register it, close its rounds):
/// seeing the case, and not only to consult it; administrators always may.
pub async fn may_follow(app: &App, user: &Principal, folio: &str) -> Result<(), Error> {
    if user.is_admin() {
        return Ok(());
    }
    if !user.can_act() {
        return Err(Error::Denied(
            "Cierran las rondas quienes atienden el asunto de la supervisión.".into(),
        ));
    }
    visible_id(app, user, folio)
        .await
        .map(|_| ())
        .map_err(case_refused)
}

/// The procedure whose cases a supervision follows.
const SUPERVISION: &str = "cnpss-94";

/// The most activities an item, and the most items a new program, may have.
pub const MOST: usize = 100;

/// Each activity's updates, by item key and activity number.
pub fn by_activity(history: &[HistoryEntry]) -> HashMap<(String, u32), Vec<Update>> {
    let mut map: HashMap<(String, u32), Vec<Update>> = HashMap::new();
    for entry in history {
        map.entry((entry.item.clone(), entry.activity))
            .or_default()
            .push(entry.update.clone());
    }
    map
}

/// The domain's message as a sentence: capitalized, with its period.
pub fn sentence(e: &FollowupError) -> String {
    format!("{}.", capitalized(&e.to_string()))
}

impl From<UpdateError> for Error {
    fn from(e: UpdateError) -> Error {
        match e {
            UpdateError::NotFound => no_activity(),
            UpdateError::Refused(
                e @ (FollowupError::Closed(_) | FollowupError::SupervisionEnded),
            ) => Error::Conflict(sentence(&e)),
            UpdateError::Refused(e) => Error::Refused(sentence(&e)),
            UpdateError::Store(e) => e.into(),
        }
    }
}

fn no_program() -> Error {
    Error::NotFound("No existe ese programa de seguimiento.".into())
}

fn no_activity() -> Error {
    Error::NotFound("No existe esa actividad en el programa.".into())
}

/// A case looked up by folio, refused in the words of a follow-up.
fn case_refused(e: Error) -> Error {
    match e {
        Error::NotFound(_) => Error::NotFound("No existe un asunto con ese folio.".into()),
        Error::Hidden => {
            Error::Denied("El asunto no está turnado a ninguna de sus unidades.".into())
        }
        other => other,
    }
}

/// The program under `key`.
pub async fn program(app: &App, key: &str) -> Result<Program, Error> {
    app.store.program(key).await?.ok_or_else(no_program)
}

/// How lists show the program under `key`.
pub async fn head(app: &App, key: &str) -> Result<ProgramHead, Error> {
    app.store
        .programs()
        .await?
        .into_iter()
        .find(|p| p.key == key)
        .ok_or_else(no_program)
}

/// The program under `key` as it was at the end of `date` (the changes recorded after it
/// undone), and how lists show it.
pub async fn as_of(app: &App, key: &str, date: Date) -> Result<(Program, ProgramHead), Error> {
    let current = program(app, key).await?;
    let history = app.store.history(key).await?;
    Ok((
        current.as_of(&by_activity(&history), date),
        head(app, key).await?,
    ))
}

/// The activity `at` names, when `user` may record its progress and it is still open: what is
/// checked before an evidence file is stored at all.
pub async fn may_record(
    app: &App,
    user: &Principal,
    at: ActivityAt<'_>,
) -> Result<Activity, Error> {
    let program = program(app, at.program).await?;
    let activity = program
        .item(at.item)
        .and_then(|i| i.activities.iter().find(|a| a.number == at.activity))
        .ok_or_else(no_activity)?;
    if !may_edit(user, activity) {
        return Err(Error::Denied(
            "Registran el avance de una actividad las personas de sus áreas responsables y los \
             administradores."
                .into(),
        ));
    }
    let status = activity.status(app.today());
    if status.is_closed() {
        return Err(Error::Conflict(sentence(&FollowupError::Closed(status))));
    }
    Ok(activity.clone())
}

/// Stores an evidence file in the blob store as it arrives: `head` is its first chunk (its
/// declared type must be true of it), `content` the whole file, `head` included.
pub async fn store_evidence<R: AsyncRead + Unpin + Send>(
    app: &App,
    name: &str,
    declared: &str,
    head: &[u8],
    content: R,
) -> Result<EvidenceFile, Error> {
    let mime = check_mime(declared, head).map_err(|_| {
        Error::WrongType(format!(
            "El contenido de «{name}» no es del tipo con que se envió; no se adjuntó."
        ))
    })?;
    let stored = app.blobs.put_reader(content).await.map_err(|e| match e {
        BlobError::TooLarge { limit } => Error::TooLarge(too_large(limit)),
        BlobError::Upload(_) => {
            Error::Incomplete("No se recibió el archivo completo. Intente de nuevo.".into())
        }
        other => Error::Internal(Box::new(other)),
    })?;
    Ok(EvidenceFile {
        sha256: stored.sha256,
        mime,
    })
}

/// How an activity is closed without being done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closing {
    /// Justificada: it will not be done, for the reason given.
    Justified,
    /// No atendida.
    NotAttended,
}

/// A change to an activity as asked: its progress (0 to 100), a note, and whether (and why) it
/// is closed without being done.
#[derive(Debug, Default)]
pub struct ProgressChange {
    pub progress: u8,
    pub note: String,
    pub closing: Option<Closing>,
    pub reason: String,
}

/// Records `change` on the activity `at` names, with the evidence file stored for it (its
/// name and file), and answers the activity as it is now. The domain decides what the change
/// may do (`Activity::update`: 100 % needs evidence, a closure its reason).
pub async fn record(
    app: &App,
    user: &Principal,
    at: ActivityAt<'_>,
    change: ProgressChange,
    evidence: Option<(String, EvidenceFile)>,
) -> Result<Activity, Error> {
    may_record(app, user, at).await?;
    let mut checked = Checked::default();
    let progress = Progress::new(change.progress)
        .map_err(|_| checked.wrong("progress", "El avance es un número de 0 a 100."))
        .ok();
    let note = checked.text("note", "la nota", &change.note, limits::TEXT, false);
    let reason = checked.text(
        "reason",
        "la justificación",
        &change.reason,
        limits::TEXT,
        false,
    );
    checked.done()?;
    let Some(progress) = progress else {
        return Err(Error::internal("a progress checked without its value"));
    };
    let mut change = Change {
        progress,
        note,
        evidence: None,
        closure: change.closing.map(|closing| match closing {
            Closing::Justified => Closure::Justified { reason },
            Closing::NotAttended => Closure::NotAttended { reason },
        }),
    };
    change.evidence = evidence
        .as_ref()
        .map(|(name, _)| Evidence { name: name.clone() });
    let moment = app.moment();
    let recorded = Recorded {
        actor: user.login.clone(),
        day: moment.today,
        at: moment.now,
    };
    app.store
        .record_update(at, change, evidence.map(|(_, file)| file), recorded)
        .await?;
    program(app, at.program)
        .await?
        .item(at.item)
        .and_then(|i| i.activities.iter().find(|a| a.number == at.activity))
        .cloned()
        .ok_or_else(no_activity)
}

/// The evidence file `index` (its place in the activity's list) of the activity `at` names:
/// its name, how it is stored, and its content, only if it is still the one recorded.
pub async fn evidence(
    app: &App,
    at: ActivityAt<'_>,
    index: usize,
) -> Result<(String, EvidenceFile, Vec<u8>), Error> {
    let (name, file) = app.store.evidence_file(at, index).await?.ok_or_else(|| {
        Error::NotFound("Esa actividad no tiene un archivo de evidencia con ese número.".into())
    })?;
    let content = app.blobs.get(&file.sha256).await.map_err(|e| {
        tracing::error!(program = at.program, item = at.item, activity = at.activity, sha256 = %file.sha256, error = %e, "an evidence file could not be read");
        Error::Internal(Box::new(e))
    })?;
    Ok((name, file, content))
}

/// A program's key names the files it exports to, as on the command line.
fn plain_key(text: &str) -> bool {
    let plain = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    !text.is_empty() && !text.starts_with('.') && text.chars().all(plain)
}

/// A program's key, checked.
pub(crate) fn program_key(checked: &mut Checked, key: &str) -> String {
    let key = checked.text("key", "la clave del programa", key, limits::CODE, true);
    if !key.is_empty() && !plain_key(&key) {
        checked.wrong(
            "key",
            "La clave del programa lleva solo letras, dígitos, «-», «_» y «.».",
        );
    }
    key
}

/// A program's key and name, checked.
fn key_and_name(checked: &mut Checked, key: &str, name: &str) -> (String, String) {
    let key = program_key(checked, key);
    let name = checked.text("name", "el nombre del programa", name, limits::NAME, true);
    (key, name)
}

/// Imports a program's three tables (CSV files or workbooks, by name and content) under `key`
/// through the same reading as `turno import asm`; with any problem in any file, nothing is
/// imported and every problem is named by file, row and column. For administrators.
pub async fn import_tables(
    app: &App,
    user: &Principal,
    key: &str,
    name: &str,
    files: &[(String, Vec<u8>)],
) -> Result<ProgramImport, Error> {
    if !user.is_admin() {
        return Err(Error::Denied(
            "Solo un administrador importa programas.".into(),
        ));
    }
    let mut checked = Checked::default();
    let (key, name) = key_and_name(&mut checked, key, name);
    checked.done()?;
    let mut problems = Vec::new();
    let mut report = Vec::new();
    let mut tables = Vec::new();
    for (file, bytes) in files {
        match read_file(file, bytes, &mut problems) {
            Ok(read) => tables.extend(read.into_iter().map(|t| (t, None))),
            Err(e) => report.push(e.to_string()),
        }
    }
    let (slots, placed) = place(tables);
    problems.extend(placed);
    if let Some(missing) = missing(&slots) {
        report.push(format!("{missing}."));
    }
    let [Some(recommendations), Some(aspects), Some(activities)] = &slots else {
        report.extend(problems.iter().map(ToString::to_string));
        return Err(Error::InvalidFile(report));
    };
    let tables = Tables {
        recommendations,
        aspects,
        activities,
    };
    if !problems.is_empty() || !report.is_empty() {
        // The tables' own problems too, so that one import names them all.
        if let Err(more) = read_program(&name, tables) {
            problems.extend(more);
        }
        report.extend(problems.iter().map(ToString::to_string));
        return Err(Error::InvalidFile(report));
    }
    match followup::import(&app.store, &key, &name, tables, &user.login).await {
        Ok((_, done)) => Ok(done),
        Err(ImportError::Invalid(found)) => Err(Error::InvalidFile(
            found.iter().map(ToString::to_string).collect(),
        )),
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}

/// A supervision's recommendations as a person writes them down.
pub struct SupervisionDraft<'a> {
    pub key: &'a str,
    /// Its cnpss-94 case.
    pub folio: &'a str,
    pub entidad: &'a str,
    /// When the results were received and when the entidad's term ends (`AAAA-MM-DD`).
    pub from: &'a str,
    pub deadline: &'a str,
    pub recommendations: &'a [String],
}

/// Registers a supervision's recommendations as a program tied to its cnpss-94 case, each
/// one an item with the activity of attending it by the deadline; answers the program's name.
pub async fn create_supervision(
    app: &App,
    user: &Principal,
    draft: SupervisionDraft<'_>,
) -> Result<String, Error> {
    if !user.can_act() {
        return Err(Error::Denied(
            "Registran una supervisión quienes atienden su asunto (no solo lo consultan).".into(),
        ));
    }
    let folio = draft.folio.trim();
    let (_, procedure, _) = visible_current(app, user, folio)
        .await
        .map_err(case_refused)?;
    if procedure.key != SUPERVISION {
        return Err(Error::Refused(
            "El asunto no es una supervisión (procedimiento 94).".into(),
        ));
    }
    let mut checked = Checked::default();
    let key = program_key(&mut checked, draft.key);
    let entidad = checked.text("entidad", "la entidad", draft.entidad, limits::NAME, true);
    let mut date = |field: &str, what: &str, text: &str| {
        let found = parse_date(text);
        if found.is_none() {
            checked.wrong(field, format!("Escriba {what} como AAAA-MM-DD."));
        }
        found
    };
    let from = date("from", "la fecha de recepción de resultados", draft.from);
    let deadline = date(
        "deadline",
        "la fecha de vencimiento del plazo",
        draft.deadline,
    );
    let texts: Vec<String> = draft
        .recommendations
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let what = format!("la recomendación {}", i + 1);
            checked.text(
                &format!("recommendations[{i}]"),
                &what,
                text,
                limits::TEXT,
                false,
            )
        })
        .filter(|text| !text.is_empty())
        .collect();
    if texts.is_empty() {
        checked.wrong("recommendations", "Escriba al menos una recomendación.");
    } else if texts.len() > MOST {
        checked.wrong(
            "recommendations",
            format!("Una supervisión lleva a lo más {MOST} recomendaciones."),
        );
    }
    let (Some(from), Some(deadline)) = (from, deadline) else {
        return Err(checked.refused());
    };
    checked.done()?;
    let name = format!("Supervisión {folio} · {entidad}");
    let program = supervision_program(&name, &entidad, &texts, (from, deadline))
        .map_err(|e| Error::Refused(sentence(&e)))?;
    // The supervision is a visit to the entidad tied to its case: its recommendations are the
    // visit's findings, their program its improvement plan, all in one transaction.
    let visit = NewVisit {
        modality: Modality::OnSite,
        units: vec![entidad],
        dates: (from, from),
        team: Vec::new(),
        purpose: name.clone(),
        aspects: Vec::new(),
        case_folio: Some(folio.to_owned()),
    };
    let findings: Vec<NewFinding> = texts
        .into_iter()
        .map(|description| NewFinding {
            aspect: "Recomendación".into(),
            description,
            severity: Severity::Medium,
            evidence: None,
        })
        .collect();
    app.store
        .record_visit(&visit, &findings, Some((&key, &program)), &user.login)
        .await?;
    Ok(name)
}

/// What a program's rounds follow: a supervision's case, or a visit, if either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Followed {
    /// The cnpss-94 case of a supervision.
    Case(String),
    /// The visit whose improvement plan it is.
    Visit(i64),
}

/// What the program under `head` follows in rounds, if anything.
pub async fn followed(app: &App, head: &ProgramHead) -> Result<Option<Followed>, Error> {
    if let Some(folio) = &head.supervision_of {
        return Ok(Some(Followed::Case(folio.clone())));
    }
    Ok(app
        .store
        .visit_of_plan(&head.key)
        .await?
        .map(Followed::Visit))
}

/// Whether `user` closes the rounds of what `followed` names: those who follow a
/// supervision's case, those who work a visit.
pub async fn may_close(app: &App, user: &Principal, followed: &Followed) -> Result<(), Error> {
    match followed {
        Followed::Case(folio) => may_follow(app, user, folio).await,
        Followed::Visit(id) => crate::visits::worked(app, user, *id).await.map(|_| ()),
    }
}

/// Closes the next follow-up round of the supervision, or of the visit's improvement plan,
/// under `key`.
pub async fn close_round(
    app: &App,
    user: &Principal,
    key: &str,
) -> Result<(Round, RoundOutcome), Error> {
    let followed = followed(app, &head(app, key).await?)
        .await?
        .ok_or_else(|| {
            Error::NotFound(
                "Ese programa no es el seguimiento de una supervisión ni el plan de mejora de una \
             visita."
                    .into(),
            )
        })?;
    may_close(app, user, &followed).await?;
    let moment = app.moment();
    let recorded = Recorded {
        actor: user.login.clone(),
        day: moment.today,
        at: moment.now,
    };
    Ok(app.store.close_round(key, recorded).await?)
}

/// An activity of a line as a person writes it down.
#[derive(Debug, Clone, Default)]
pub struct ActivityDraft {
    pub description: String,
    /// `AAAA-MM-DD`.
    pub start: String,
    /// `AAAA-MM-DD`; or blank, and the term in `days`.
    pub end: String,
    /// The term in días hábiles from its start (LFPA calendar), instead of its end.
    pub days: String,
    /// What proves it, if the person says.
    pub products: String,
}

/// A line as a person writes it down: an agreement or a commitment, an audit's observation, a
/// PAT line, a risk (PTAR) or an internal-control action (PTCI).
#[derive(Debug, Clone)]
pub struct ItemDraft {
    pub kind: LineKind,
    pub text: String,
    /// The unit responsible for its activities, by code or by name.
    pub responsible: String,
    /// An observation's number, as the fiscalizing body writes it.
    pub reference: String,
    /// A PAT line's indicator and annual goal.
    pub indicator: String,
    pub goal: String,
    /// A PAT line's progress expected at each quarter's end (0 to 100), as typed.
    pub quarters: [String; 4],
    pub activities: Vec<ActivityDraft>,
}

impl ItemDraft {
    /// A draft of `kind` with its text, responsible unit and activities, and nothing of what
    /// other kinds add.
    pub fn new(
        kind: LineKind,
        text: String,
        responsible: String,
        activities: Vec<ActivityDraft>,
    ) -> ItemDraft {
        ItemDraft {
            kind,
            text,
            responsible,
            reference: String::new(),
            indicator: String::new(),
            goal: String::new(),
            quarters: Default::default(),
            activities,
        }
    }
}

/// Whether `user` may write down a program's lines: those who may act (not only consult).
fn may_act(user: &Principal) -> Result<(), Error> {
    if user.can_act() {
        Ok(())
    } else {
        Err(Error::Denied(
            "Registran programas y sus líneas quienes atienden asuntos (no solo los consultan)."
                .into(),
        ))
    }
}

/// Whether `user` may write down lines that come from case `folio` (if any): those who may
/// act, seeing the case.
async fn may_write(app: &App, user: &Principal, folio: Option<&str>) -> Result<(), Error> {
    may_act(user)?;
    if let Some(folio) = folio {
        visible_current(app, user, folio)
            .await
            .map_err(case_refused)?;
    }
    Ok(())
}

/// The kinds of line a program takes: its kind's, or agreements and commitments for one
/// written down before programs had kinds (a visit's).
pub fn lines_of(plan: Option<&Plan>) -> &'static [LineKind] {
    plan.map_or(&[LineKind::Agreement, LineKind::Commitment], |p| {
        p.kind.lines()
    })
}

/// The kinds in a sentence: «acuerdo o compromiso».
fn either(kinds: &[LineKind]) -> String {
    let labels: Vec<&str> = kinds.iter().map(|k| k.label()).collect();
    labels.join(" o ")
}

/// What a line's draft is checked against: the kinds its program takes, its case, and the
/// organization's units and calendars.
struct Context<'a> {
    kinds: &'a [LineKind],
    folio: Option<&'a str>,
    units: &'a [turno_domain::org::UnitSpec],
    calendar: &'a turno_domain::calendar::Calendar,
}

/// A PAT line's goal from its draft, or its problems in `checked`.
fn goal(checked: &mut Checked, (field, named): (&str, &str), draft: &ItemDraft) -> Option<Goal> {
    let indicator = checked.line(
        &format!("{field}indicator"),
        &format!("el indicador{named}"),
        &draft.indicator,
        limits::NAME,
        true,
    );
    let annual = checked.line(
        &format!("{field}goal"),
        &format!("la meta anual{named}"),
        &draft.goal,
        limits::NAME,
        true,
    );
    let mut quarters = [Progress::default(); 4];
    let mut fine = true;
    for (i, (quarter, text)) in quarters.iter_mut().zip(&draft.quarters).enumerate() {
        match text
            .trim()
            .parse::<u8>()
            .ok()
            .and_then(|p| Progress::new(p).ok())
        {
            Some(p) => *quarter = p,
            None => {
                fine = false;
                checked.wrong(
                    format!("{field}quarter_goals[{i}]"),
                    format!(
                        "La meta del trimestre {}{named} es un porcentaje de 0 a 100.",
                        i + 1
                    ),
                );
            }
        }
    }
    if fine && quarters.windows(2).any(|w| w[1] < w[0]) {
        fine = false;
        checked.wrong(
            format!("{field}quarter_goals"),
            format!("Las metas trimestrales{named} son acumuladas: ninguna baja de la anterior."),
        );
    }
    fine.then_some(Goal {
        indicator,
        annual,
        quarters,
    })
}

/// The item a draft describes, or its problems in `checked`; `field` is its place in the
/// request (`items[0].` or nothing) and `named` how refusals name it (« del elemento 1» or
/// nothing).
fn item(
    checked: &mut Checked,
    (field, named): (&str, &str),
    draft: &ItemDraft,
    context: &Context<'_>,
) -> Option<NewItem> {
    if !context.kinds.contains(&draft.kind) {
        checked.wrong(
            format!("{field}kind"),
            format!("Elija {}{named}.", either(context.kinds)),
        );
    }
    let text = checked.text(
        &format!("{field}text"),
        &format!("el texto{named}"),
        &draft.text,
        limits::TEXT,
        true,
    );
    let kind = match draft.kind {
        LineKind::Agreement => Some(ItemKind::Agreement),
        LineKind::Commitment => Some(ItemKind::Commitment),
        LineKind::Risk => Some(ItemKind::Risk),
        LineKind::ControlAction => Some(ItemKind::ControlAction),
        LineKind::Observation => {
            let reference = checked.line(
                &format!("{field}reference"),
                &format!("el número de la observación{named}"),
                &draft.reference,
                limits::NAME,
                true,
            );
            Some(ItemKind::Observation { reference })
        }
        LineKind::Line => goal(checked, (field, named), draft).map(ItemKind::Line),
    };
    let responsible = draft.responsible.trim();
    let unit = context
        .units
        .iter()
        .find(|u| u.code == responsible || same(&u.current.name, responsible));
    if unit.is_none() {
        checked.wrong(
            format!("{field}responsible"),
            if responsible.is_empty() {
                format!("Elija la unidad responsable{named}.")
            } else {
                format!("La unidad responsable «{responsible}»{named} no existe.")
            },
        );
    }
    if draft.activities.is_empty() || draft.activities.len() > MOST {
        checked.wrong(
            format!("{field}activities"),
            format!("Escriba de 1 a {MOST} actividades{named}."),
        );
    }
    let mut activities = Vec::new();
    for (i, a) in draft.activities.iter().enumerate() {
        let number = i as u32 + 1;
        let place = format!("{field}activities[{i}].");
        let of = format!(" de la actividad {number}{named}");
        let description = checked.text(
            &format!("{place}description"),
            &format!("la descripción{of}"),
            &a.description,
            limits::TEXT,
            true,
        );
        let products = checked.text(
            &format!("{place}products"),
            &format!("los productos{of}"),
            &a.products,
            limits::TEXT,
            false,
        );
        let Some((start, end)) = term(checked, (&place, &of), a, context.calendar) else {
            continue;
        };
        let Some(unit) = unit else {
            continue;
        };
        match Activity::planned(
            number,
            description,
            (start, end),
            products,
            vec![unit.code.clone()],
        ) {
            Ok(activity) => activities.push(activity),
            Err(e) => checked.wrong(
                format!("{place}end"),
                format!("La actividad {number}{named} {e}."),
            ),
        }
    }
    let kind = kind.filter(|_| context.kinds.contains(&draft.kind))?;
    (activities.len() == draft.activities.len()).then(|| NewItem {
        kind,
        text,
        case_folio: context.folio.map(str::to_owned),
        activities,
    })
}

/// An activity's start and end: its end as a date, or its term in días hábiles counted from
/// its start on `calendar`.
fn term(
    checked: &mut Checked,
    (place, of): (&str, &str),
    draft: &ActivityDraft,
    calendar: &turno_domain::calendar::Calendar,
) -> Option<(Date, Date)> {
    let date = |checked: &mut Checked, name: &str, what: &str, text: &str| {
        let found = parse_date(text);
        if found.is_none() {
            checked.wrong(
                format!("{place}{name}"),
                format!("Escriba la fecha de {what}{of} como AAAA-MM-DD."),
            );
        }
        found
    };
    let start = date(checked, "start", "inicio", &draft.start);
    let (end, days) = (draft.end.trim(), draft.days.trim());
    if days.is_empty() || !end.is_empty() {
        if !days.is_empty() {
            checked.wrong(
                format!("{place}days"),
                format!("Escriba la fecha de término o el plazo en días hábiles{of}, no ambos."),
            );
        }
        let end = date(checked, "end", "término", end);
        return start.zip(end);
    }
    let Some(days) = days.parse::<i32>().ok().filter(|d| (1..=730).contains(d)) else {
        checked.wrong(
            format!("{place}days"),
            format!("El plazo{of} es un número de días hábiles de 1 a 730."),
        );
        return None;
    };
    let start = start?;
    match calendar.add_business_days(start, days) {
        Ok(end) => Some((start, end)),
        Err(_) => {
            checked.wrong(
                format!("{place}days"),
                format!("El plazo{of} termina fuera de los años que el calendario conoce."),
            );
            None
        }
    }
}

/// A program's heading and case as a person writes them down.
pub struct ProgramDraft<'a> {
    pub key: &'a str,
    pub name: &'a str,
    /// `None`: agreements and commitments without a heading (a visit's).
    pub kind: Option<ProgramKind>,
    pub body: &'a str,
    pub reference: &'a str,
    /// `AAAA-MM-DD`.
    pub held_on: &'a str,
    pub year: &'a str,
    /// The case the lines come from (a meeting's, a visit's), if any.
    pub folio: Option<&'a str>,
}

/// The heading `draft` describes, or its problems in `checked`.
fn plan(checked: &mut Checked, draft: &ProgramDraft<'_>, kind: ProgramKind) -> Plan {
    let text = |checked: &mut Checked, field: PlanField, value: &str| {
        let what = field.label(kind);
        let value = checked.line(field.name(), what, value, limits::NAME, false);
        (!value.is_empty()).then_some(value)
    };
    let body = text(checked, PlanField::Body, draft.body);
    let reference = text(checked, PlanField::Reference, draft.reference);
    let held_on = match draft.held_on.trim() {
        "" => None,
        day => {
            let found = parse_date(day);
            if found.is_none() {
                checked.wrong("held_on", "Escriba la fecha de la sesión como AAAA-MM-DD.");
            }
            found
        }
    };
    let year = match draft.year.trim() {
        "" => None,
        year => {
            let found = year
                .parse::<i16>()
                .ok()
                .filter(|y| (2000..=2099).contains(y));
            if found.is_none() {
                checked.wrong(
                    "year",
                    format!(
                        "{} es un año de 2000 a 2099.",
                        capitalized(PlanField::Year.label(kind))
                    ),
                );
            }
            found
        }
    };
    let plan = Plan {
        kind,
        body,
        reference,
        held_on,
        year,
    };
    for field in plan.missing() {
        let given = match field {
            PlanField::HeldOn => !draft.held_on.trim().is_empty(),
            PlanField::Year => !draft.year.trim().is_empty(),
            PlanField::Body | PlanField::Reference => false,
        };
        if !given {
            checked.wrong(field.name(), format!("Escriba {}.", field.label(kind)));
        }
    }
    plan
}

/// Registers a program written down line by line (`draft.kind`) with its heading and first
/// lines; answers the program.
pub async fn create_program(
    app: &App,
    user: &Principal,
    draft: ProgramDraft<'_>,
    items: &[ItemDraft],
) -> Result<Program, Error> {
    let folio = draft.folio.map(str::trim).filter(|f| !f.is_empty());
    may_write(app, user, folio).await?;
    let mut checked = Checked::default();
    let (key, name) = key_and_name(&mut checked, draft.key, draft.name);
    let plan = draft.kind.map(|kind| plan(&mut checked, &draft, kind));
    if items.is_empty() || items.len() > MOST {
        checked.wrong("items", format!("Escriba de 1 a {MOST} líneas."));
    }
    let units = app.store.organization().await?;
    let calendars = app.moment().calendars;
    let context = Context {
        kinds: lines_of(plan.as_ref()),
        folio,
        units: &units,
        calendar: &calendars.lfpa,
    };
    let items: Vec<Option<NewItem>> = items
        .iter()
        .enumerate()
        .map(|(i, draft)| {
            let place = (format!("items[{i}]."), format!(" del elemento {}", i + 1));
            item(&mut checked, (&place.0, &place.1), draft, &context)
        })
        .collect();
    checked.done()?;
    let mut program = Program {
        name,
        items: Vec::new(),
        sign_off: None,
    };
    for new in items.into_iter().flatten() {
        program.add_item(new);
    }
    app.store
        .create_program(&key, &program, plan.as_ref(), &user.login)
        .await?;
    Ok(program)
}

/// Adds lines to a program written down line by line (its case's, if its items came from
/// one), each numbered after the last of its kind; answers them. With any problem in any
/// draft, nothing is added; `rows` names each draft in the refusals (a file's rows), or
/// nothing for a single one.
pub async fn add_lines(
    app: &App,
    user: &Principal,
    key: &str,
    drafts: &[(String, String, ItemDraft)],
) -> Result<Vec<Item>, Error> {
    may_act(user)?;
    let current = program(app, key).await?;
    if !current.holds_agreements() {
        return Err(Error::Refused(format!(
            "El programa «{key}» no se escribe línea por línea: sus elementos vienen de sus \
             tablas o de una supervisión."
        )));
    }
    let folio = current.items.iter().find_map(|i| i.case_folio.as_deref());
    may_write(app, user, folio).await?;
    let head = head(app, key).await?;
    let units = app.store.organization().await?;
    let calendars = app.moment().calendars;
    let context = Context {
        kinds: lines_of(head.plan.as_ref()),
        folio,
        units: &units,
        calendar: &calendars.lfpa,
    };
    let mut checked = Checked::default();
    if drafts.is_empty() || drafts.len() > MOST {
        checked.wrong("items", format!("Escriba de 1 a {MOST} líneas."));
    }
    let items: Vec<Option<NewItem>> = drafts
        .iter()
        .map(|(field, named, draft)| item(&mut checked, (field, named), draft, &context))
        .collect();
    checked.done()?;
    app.store
        .add_items(key, items.into_iter().flatten().collect(), &user.login)
        .await?
        .ok_or_else(no_program)
}

/// The line a schedule opens in the program under `key` (`schedules::run`), checked as
/// `add_lines` checks one (a kind the program takes, its unit, its term) without writing it:
/// the line, or its problems by field; a program that does not exist, or is not written down
/// line by line, is refused.
pub async fn scheduled_line(app: &App, key: &str, draft: &ItemDraft) -> Result<NewItem, Error> {
    let current =
        app.store.program(key).await?.ok_or_else(|| {
            Error::NotFound(format!("No existe el programa de seguimiento «{key}»."))
        })?;
    if !current.holds_agreements() {
        return Err(Error::Refused(format!(
            "El programa «{key}» no se escribe línea por línea: una calendarización no le abre \
             líneas."
        )));
    }
    let head = head(app, key).await?;
    let units = app.store.organization().await?;
    let calendars = app.moment().calendars;
    let context = Context {
        kinds: lines_of(head.plan.as_ref()),
        folio: None,
        units: &units,
        calendar: &calendars.lfpa,
    };
    let mut checked = Checked::default();
    let line = item(&mut checked, ("", ""), draft, &context);
    checked.done()?;
    line.ok_or_else(|| Error::internal("a line with no problem was not built"))
}

/// The line `item` of a program written down line by line, and the kind of line it is.
fn written_line(program: &Program, key: &str, item: &str) -> Result<(Item, LineKind), Error> {
    if !program.holds_agreements() {
        return Err(Error::Refused(format!(
            "El programa «{key}» no se escribe línea por línea: sus elementos vienen de sus \
             tablas o de una supervisión, y no se editan aquí."
        )));
    }
    let line = program
        .item(item)
        .cloned()
        .ok_or_else(|| Error::NotFound("No existe esa línea en el programa.".into()))?;
    let kind = LineKind::of(&line.kind)
        .ok_or_else(|| Error::internal("a program of lines holds an item of another kind"))?;
    Ok((line, kind))
}

/// Edits the line `item` of the program under `key` (written down line by line): its text,
/// what its kind adds, its responsible unit and its activities' descriptions, terms and
/// products. `draft` is checked as a new line's (each problem by its field; its kind must be
/// the line's), then against what was recorded (`turno_domain::followup::revise`: a closed
/// activity keeps its term, one with progress cannot start after its first record nor end
/// before its last, an ended quarter keeps its goal). Those who may add lines edit them; the
/// change goes on the audit log field by field. Answers the line as it is now.
pub async fn revise_line(
    app: &App,
    user: &Principal,
    key: &str,
    item: &str,
    draft: ItemDraft,
) -> Result<Item, Error> {
    may_act(user)?;
    let current = program(app, key).await?;
    let (line, kind) = written_line(&current, key, item)?;
    let folio = current.items.iter().find_map(|i| i.case_folio.as_deref());
    may_write(app, user, folio).await?;
    let head = head(app, key).await?;
    let units = app.store.organization().await?;
    let calendars = app.moment().calendars;
    let context = Context {
        kinds: std::slice::from_ref(&kind),
        folio: line.case_folio.as_deref(),
        units: &units,
        calendar: &calendars.lfpa,
    };
    let mut checked = Checked::default();
    if draft.kind != kind {
        checked.wrong(
            "kind",
            format!("Una línea no cambia de tipo: esta es {}.", kind.label()),
        );
    }
    let new = self::item(
        &mut checked,
        ("", ""),
        &ItemDraft { kind, ..draft },
        &context,
    );
    checked.done()?;
    let new = new.ok_or_else(|| Error::internal("a line with no problem was not built"))?;
    let history: HashMap<u32, Vec<Update>> = by_activity(&app.store.history(key).await?)
        .into_iter()
        .filter(|((of, _), _)| *of == line.key())
        .map(|((_, activity), updates)| (activity, updates))
        .collect();
    let year = head.plan.as_ref().and_then(|p| p.year);
    let revised = revise(&line, new, &history, app.today(), year).map_err(|problems| {
        Error::InvalidFields(
            problems
                .iter()
                .map(|p| FieldProblem::new(&p.field(), format!("{}.", capitalized(&p.to_string()))))
                .collect(),
        )
    })?;
    let changed = changes(&line, &revised);
    if changed.is_empty() {
        return Ok(line);
    }
    if !app
        .store
        .revise_item(key, &line, &revised, &changed, &user.login)
        .await?
    {
        return Err(no_program());
    }
    tracing::info!(program = key, item, user = %user.login, fields = changed.len(), "program line edited");
    Ok(revised)
}

/// The line `item` of the program under `key` as its edit form starts: the line and its
/// program, for those who may edit it (as `revise_line` checks).
pub async fn line_to_edit(
    app: &App,
    user: &Principal,
    key: &str,
    item: &str,
) -> Result<(Program, Item), Error> {
    may_act(user)?;
    let current = program(app, key).await?;
    let (line, _) = written_line(&current, key, item)?;
    let folio = current.items.iter().find_map(|i| i.case_folio.as_deref());
    may_write(app, user, folio).await?;
    Ok((current, line))
}

/// The report of the program under `key` as of `quarter`'s end: the program as it was that
/// day, for `Program::quarter_report`, and how lists show it.
pub async fn quarter(
    app: &App,
    key: &str,
    (year, number): (i16, u8),
) -> Result<(Program, ProgramHead, Quarter), Error> {
    let Some(quarter) = Quarter::new(year, number) else {
        let mut checked = Checked::default();
        checked.wrong(
            "quarter",
            "Elija un trimestre (1 a 4) de un año de 2000 a 2099.",
        );
        return Err(checked.refused());
    };
    let (program, head) = as_of(app, key, quarter.end()).await?;
    Ok((program, head, quarter))
}

/// The roll-up of the program under `key` as of `date` for the direction `unit` (by code):
/// its units' activities per unit and in all.
pub async fn rollup(app: &App, key: &str, unit: &str, date: Date) -> Result<Rollup, Error> {
    let (program, _) = as_of(app, key, date).await?;
    let units = app.store.organization().await?;
    turno_domain::followup::rollup(&program, unit.trim(), &units, date)
        .ok_or_else(|| Error::NotFound(format!("No existe una unidad con la clave «{unit}».")))
}

/// Adds the lines of the given files (CSV files or workbooks' sheets, by name and content, in
/// the layout `docs/asm-format.md` calls «Líneas») to the program under `key`, checked as the
/// forms' are; with any problem in any file nothing is added, and every problem is named by
/// file, row and column. For those who may write the program's lines.
pub async fn import_lines(
    app: &App,
    user: &Principal,
    key: &str,
    files: &[(String, Vec<u8>)],
) -> Result<Vec<Item>, Error> {
    may_act(user)?;
    let mut problems = Vec::new();
    let mut report = Vec::new();
    let mut lines = Vec::new();
    for (file, bytes) in files {
        match read_file(file, bytes, &mut problems) {
            Ok(tables) => {
                for table in tables {
                    match read_lines(&table) {
                        Ok(read) => lines.extend(read),
                        Err(found) => problems.extend(found),
                    }
                }
            }
            Err(e) => report.push(e.to_string()),
        }
    }
    report.extend(problems.iter().map(ToString::to_string));
    let mut drafts = Vec::new();
    for line in lines {
        let named = format!(" de la fila {} ({})", line.row, line.file);
        let Some(kind) = LineKind::ALL
            .into_iter()
            .find(|k| same(k.label(), &line.kind))
        else {
            report.push(format!(
                "{}: fila {}, «Tipo»: «{}» no es un tipo de línea ({}).",
                line.file,
                line.row,
                line.kind,
                either(&LineKind::ALL)
            ));
            continue;
        };
        let activities = line
            .activities
            .into_iter()
            .map(|a| ActivityDraft {
                description: a.description,
                start: a.start,
                end: a.end,
                days: a.days,
                products: a.products,
            })
            .collect();
        let draft = ItemDraft {
            reference: line.reference,
            indicator: line.indicator,
            goal: line.goal,
            quarters: line.quarters,
            ..ItemDraft::new(kind, line.text, line.responsible, activities)
        };
        drafts.push((format!("rows[{}].", line.row), named, draft));
    }
    if drafts.is_empty() && report.is_empty() {
        report.push("Los archivos no tienen ninguna línea.".into());
    }
    if !report.is_empty() {
        return Err(Error::InvalidFile(report));
    }
    add_lines(app, user, key, &drafts)
        .await
        .map_err(|e| match e {
            Error::InvalidFields(found) => {
                Error::InvalidFile(found.into_iter().map(|p| p.message).collect())
            }
            other => other,
        })
}
