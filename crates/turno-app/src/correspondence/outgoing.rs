//! Outgoing documents (issue 17, item 3): drafted by the people of the issuing unit from a
//! template (`DocumentKind::is_issued`), reviewed in order by the people the unit chooses,
//! signed by its titular with the signed scan or e.firma (when the document takes its number, in
//! the same transaction: `Outgoing::sign_outgoing`), or by the signers its drafter named, in
//! order, each with e.firma (`signed.rs`: the last one's signature numbers it), dispatched (units get an automatic acuse; the acuse
//! of someone outside is recorded with its scan, and an internal document arrives in each
//! addressee unit's own incoming register: `arrivals`) or cancelled. Every rule of who may do what
//! lives here, for the pages and the API alike.

use crate::access::visible_id;
use crate::app::App;
use crate::checked::Checked;
use crate::correspondence::{incoming, numbering};
use crate::error::Error;
use crate::limits;
use crate::principal::Principal;
use turno_domain::correspondence::{
    Act, Classification, DocumentKind, Incoming, IncomingFolio, Instruction, Priority, Sender,
    SenderKind, Stage, Step, TurnStatus,
};
use turno_store::blobs::{BlobError, BlobStore, Kind, sniff};
use turno_store::correspondence::incoming::NewIncoming;
use turno_store::correspondence::outgoing::{
    Acuse, Arrival, Change, ClosesTurn, Dispatch, Draft, Number, OutgoingDocument, OutgoingSummary,
    Recipient, Signing,
};
use turno_store::{Correspondence, Outgoing, Role, Store};

/// The most reviewers a document may have.
pub const MAX_REVIEWERS: usize = 10;
/// The most people who sign a document with e.firma, one after another.
pub const MAX_SIGNERS: usize = 5;
/// The most addressees, and the most copies.
pub const MAX_RECIPIENTS: usize = 20;

/// An addressee or a copy as asked: a unit's code, or someone outside with their position and
/// institution.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecipientInput {
    pub unit: Option<String>,
    pub name: String,
    pub title: String,
    pub institution: String,
}

impl RecipientInput {
    /// One line of the form's lists: a unit's code, or «Nombre | Cargo | Institución».
    pub fn from_line(line: &str) -> RecipientInput {
        let mut parts = line.split('|').map(str::trim);
        match (parts.next(), parts.next(), parts.next()) {
            (Some(name), title, institution) if line.contains('|') => RecipientInput {
                unit: None,
                name: name.to_owned(),
                title: title.unwrap_or_default().to_owned(),
                institution: institution.unwrap_or_default().to_owned(),
            },
            _ => RecipientInput {
                unit: Some(line.trim().to_owned()),
                ..RecipientInput::default()
            },
        }
    }

    /// The line the form shows for it again.
    pub fn line(&self) -> String {
        match &self.unit {
            Some(code) => code.clone(),
            None => format!("{} | {} | {}", self.name, self.title, self.institution),
        }
    }
}

/// The recipients of a form's list, one a line; blank lines are nothing.
pub fn lines(text: &str) -> Vec<RecipientInput> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(RecipientInput::from_line)
        .collect()
}

/// A draft as asked, by the form or the API.
#[derive(Debug, Clone, Default)]
pub struct DraftInput {
    pub unit: String,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub attention_to: String,
    pub case_folio: String,
    /// The id of the incoming turn it answers (one of `answerable`'s); empty: none.
    pub answers_turn: String,
    pub recipients: Vec<RecipientInput>,
    pub copies: Vec<RecipientInput>,
    pub reviewers: Vec<String>,
    /// Who signs it with e.firma, in order (`docs/efirma.md`); none: the unit's titular.
    pub signers: Vec<String>,
}

/// What a person may do now with a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Correct,
    SendToReview,
    Approve,
    Return,
    Sign,
    Dispatch,
    Cancel,
    RecordAcuse,
}

/// A document as one person sees it.
#[derive(Debug, Clone)]
pub struct OutgoingView {
    pub document: OutgoingDocument,
    pub unit_name: String,
    /// The letterhead: the institution first, down to the issuing unit.
    pub letterhead: Vec<String>,
    /// The reviewer whose visto bueno is awaited.
    pub awaiting: Option<String>,
    /// The signer's name; none while unsigned.
    pub signer: Option<String>,
    /// The date it bears: the day it was signed where the office is, or today while unsigned.
    pub dated: jiff::civil::Date,
    pub may: Vec<Action>,
    /// Why a person the document names as a signer may not sign it now (not their turn yet,
    /// or they signed already), when it is ready to be signed.
    pub not_in_turn: Option<String>,
    /// Where its dispatch registered it: the incoming documents of its internal addressees.
    pub arrivals: Vec<ArrivedIn>,
}

/// An internal outgoing document registered in an addressee unit's incoming register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrivedIn {
    pub folio: IncomingFolio,
    pub unit: String,
    /// For attention (an addressee) or for knowledge (a copy).
    pub instruction: Instruction,
}

impl OutgoingView {
    pub fn may(&self, action: Action) -> bool {
        self.may.contains(&action)
    }
}

/// Whether the person drafts and moves the documents of `unit`: its people who act (not
/// only consult), and administrators.
pub fn writes_for(user: &Principal, unit: &str) -> bool {
    user.is_admin()
        || user
            .memberships
            .iter()
            .any(|m| m.unit_code == unit && m.role != Role::Consulta)
}

/// Whether the person signs for `unit`: its titular, or whoever substitutes them.
fn is_titular(user: &Principal, unit: &str) -> bool {
    user.memberships
        .iter()
        .any(|m| m.unit_code == unit && m.role == Role::Titular)
}

/// Whether it is the person's turn to sign the document: with signers in order, the next one
/// of them; without, the unit's titular (or whoever substitutes them).
fn signs_now(user: &Principal, d: &OutgoingDocument) -> bool {
    if d.signers.is_empty() {
        is_titular(user, &d.unit)
    } else {
        d.signers.get(d.signatures.len()) == Some(&user.login)
    }
}

/// The next signer of a document with signers in order, and their place (from 1).
pub fn next_signer(d: &OutgoingDocument) -> Option<(usize, &str)> {
    d.signers
        .get(d.signatures.len())
        .map(|login| (d.signatures.len() + 1, login.as_str()))
}

/// Whether the person sees the document: the issuing unit's people and those above it, its
/// reviewers, administrators, and once dispatched, the units it was addressed or copied to.
fn sees(user: &Principal, document: &OutgoingDocument) -> bool {
    user.is_admin()
        || user.visible_units.contains(&document.unit)
        || document.reviewers.contains(&user.login)
        || document.signers.contains(&user.login)
        || (document.stage == Stage::Dispatched
            && document.recipients.iter().any(|r| {
                r.unit_code
                    .as_ref()
                    .is_some_and(|u| user.visible_units.contains(u))
            }))
}

/// The document `id`, if the person sees it.
async fn visible(app: &App, user: &Principal, id: i64) -> Result<OutgoingDocument, Error> {
    let document = app
        .store
        .outgoing(id)
        .await?
        .ok_or_else(|| Error::NotFound("No existe ese documento de salida.".into()))?;
    if sees(user, &document) {
        Ok(document)
    } else {
        Err(Error::Hidden)
    }
}

fn possible(user: &Principal, d: &OutgoingDocument) -> Vec<Action> {
    let member = writes_for(user, &d.unit);
    let titular = is_titular(user, &d.unit);
    let reviewer = d.reviewers.get(d.review_at) == Some(&user.login);
    let mut may = Vec::new();
    let mut allow = |action, yes: bool| {
        if yes {
            may.push(action);
        }
    };
    allow(Action::Correct, d.stage == Stage::Draft && member);
    allow(
        Action::SendToReview,
        d.stage == Stage::Draft && member && !d.reviewers.is_empty(),
    );
    allow(Action::Approve, d.stage == Stage::InReview && reviewer);
    allow(
        Action::Return,
        (d.stage == Stage::InReview && reviewer) || (d.stage == Stage::Approved && titular),
    );
    allow(
        Action::Sign,
        signs_now(user, d)
            && (d.stage == Stage::Approved || (d.stage == Stage::Draft && d.reviewers.is_empty())),
    );
    allow(Action::Dispatch, d.stage == Stage::Signed && member);
    allow(
        Action::Cancel,
        match d.stage {
            Stage::Draft | Stage::InReview | Stage::Approved => member,
            Stage::Signed => titular,
            Stage::Dispatched | Stage::Cancelled => false,
        },
    );
    allow(
        Action::RecordAcuse,
        d.stage == Stage::Dispatched && member && d.recipients.iter().any(|r| r.acuse.is_none()),
    );
    may
}

/// The documents of the units a person sees (every unit for administrators), newest first,
/// of one stage or all.
pub async fn list(
    app: &App,
    user: &Principal,
    stage: Option<Stage>,
) -> Result<Vec<OutgoingSummary>, Error> {
    let units = super::listed_units(app, user).await?;
    Ok(app.store.outgoing_of_units(&units, stage).await?)
}

/// The outgoing documents that wait for the person's e.firma: those whose signers in order
/// name them next and that their stage lets them sign now (Mi bandeja's «Espera su firma»).
pub async fn awaiting_signature(app: &App, user: &Principal) -> Result<Vec<OutgoingView>, Error> {
    let mut waiting = Vec::new();
    for id in app.store.outgoing_awaiting_signer(&user.login).await? {
        let view = show(app, user, id).await?;
        if view.may(Action::Sign) {
            waiting.push(view);
        }
    }
    Ok(waiting)
}

/// The outgoing documents a case's activities produced, for those who see the case.
pub async fn of_case(
    app: &App,
    user: &Principal,
    folio: &str,
) -> Result<Vec<OutgoingSummary>, Error> {
    crate::access::visible_folio(app, user, folio).await?;
    Ok(app.store.outgoing_of_case(folio).await?)
}

/// A draft's fields filled for a case the person sees, as a case's «Redactar oficio» opens the
/// drafting form: an oficio, the case's folio, its title as the subject.
pub async fn for_case(
    app: &App,
    user: &Principal,
    folio: &str,
) -> Result<Vec<(&'static str, String)>, Error> {
    let (_, _, case) = crate::access::visible_case(app, user, folio).await?;
    Ok(vec![
        ("kind", DocumentKind::Oficio.code().to_owned()),
        ("case_folio", case.folio),
        ("subject", case.title),
    ])
}

/// One document as the person sees it, with what they may do.
pub async fn show(app: &App, user: &Principal, id: i64) -> Result<OutgoingView, Error> {
    let document = visible(app, user, id).await?;
    let units = app.store.organization().await?;
    let institutions = turno_domain::org::institutions(&units);
    let by_code: std::collections::HashMap<&str, _> =
        units.iter().map(|u| (u.code.as_str(), u)).collect();
    let top = institutions.get(&document.unit).map(String::as_str);
    let mut letterhead = Vec::new();
    let mut at = by_code.get(document.unit.as_str()).copied();
    while let Some(unit) = at {
        letterhead.push(unit.current.name.clone());
        if Some(unit.code.as_str()) == top || letterhead.len() > units.len() {
            break;
        }
        at = unit
            .current
            .parent
            .as_deref()
            .and_then(|p| by_code.get(p).copied());
    }
    letterhead.reverse();
    let signer = match &document.signed_by {
        Some(_) if !document.signers.is_empty() => Some(names(app, &document.signers).await?),
        Some(login) => Some(names(app, std::slice::from_ref(login)).await?),
        None => None,
    };
    Ok(OutgoingView {
        unit_name: letterhead.last().cloned().unwrap_or_default(),
        letterhead,
        awaiting: (document.stage == Stage::InReview)
            .then(|| document.reviewers.get(document.review_at).cloned())
            .flatten(),
        signer,
        dated: document.signed_at.map_or_else(
            || app.today(),
            |at| at.to_zoned(app.time_zone.clone()).date(),
        ),
        may: possible(user, &document),
        not_in_turn: (document.signers.contains(&user.login)
            && document.number.is_none()
            && (document.stage == Stage::Approved
                || (document.stage == Stage::Draft && document.reviewers.is_empty()))
            && !signs_now(user, &document))
        .then(|| out_of_turn(&document, user)),
        arrivals: app
            .store
            .arrivals_of(document.id)
            .await?
            .into_iter()
            .map(|doc| ArrivedIn {
                folio: doc.folio,
                unit: doc.unit,
                instruction: doc
                    .arrival
                    .map_or(Instruction::Attention, |a| a.instruction),
            })
            .collect(),
        document,
    })
}

/// An open incoming turn a draft may answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answerable {
    pub turn: i64,
    pub folio: IncomingFolio,
    /// The unit the turn is to: the one that answers it.
    pub unit: String,
    pub subject: String,
}

/// How many of a unit's latest incoming documents are searched for open turns to answer.
const ANSWERABLE_DOCUMENTS: u32 = 500;

/// The open turns to the units the person drafts for that a draft may answer, of the
/// documents they may read, oldest folio first.
pub async fn answerable(app: &App, user: &Principal) -> Result<Vec<Answerable>, Error> {
    let units: Vec<String> = user
        .memberships
        .iter()
        .filter(|m| writes_for(user, &m.unit_code))
        .map(|m| m.unit_code.clone())
        .collect();
    open_turns_to(app, user, &units).await
}

/// The open turns to `units` of the documents the person may read (an administrator drafts
/// for any unit, so the draft's own unit is searched, not only the person's).
async fn open_turns_to(
    app: &App,
    user: &Principal,
    units: &[String],
) -> Result<Vec<Answerable>, Error> {
    let mut found = Vec::new();
    for doc in app
        .store
        .incoming_of_units(units, ANSWERABLE_DOCUMENTS)
        .await?
    {
        if !incoming::sight(user, &doc).is_some_and(|s| s.content) {
            continue;
        }
        for turn in &doc.turns {
            if turn.status == TurnStatus::Open && units.contains(&turn.unit) {
                found.push(Answerable {
                    turn: turn.id,
                    folio: doc.folio,
                    unit: turn.unit.clone(),
                    subject: doc.incoming.subject.clone(),
                });
            }
        }
    }
    found.sort_by_key(|a| (a.folio, a.turn));
    Ok(found)
}

/// Checks a draft: every problem by its field (`unit`, `kind`, `subject`, `body`,
/// `attention_to`, `case_folio`, `answers_turn`, `recipients`, `copies`, `reviewers`,
/// `signers`).
async fn check(app: &App, user: &Principal, input: &DraftInput) -> Result<Draft, Error> {
    let mut checked = Checked::default();
    let unit = input.unit.trim().to_owned();
    if unit.is_empty() {
        checked.wrong("unit", "Elija la unidad que emite el documento.");
    } else if !writes_for(user, &unit) {
        checked.wrong(
            "unit",
            format!("Usted no redacta documentos de la unidad «{unit}»: elija una de las suyas."),
        );
    }
    let kind = match input.kind.parse::<DocumentKind>() {
        Ok(kind) if kind.is_issued() => Some(kind),
        Ok(kind) => {
            checked.wrong(
                "kind",
                format!(
                    "Una unidad no emite «{}»: elija oficio, memorándum, circular o tarjeta \
                     informativa.",
                    kind.label().to_lowercase()
                ),
            );
            None
        }
        Err(e) => {
            checked.wrong(
                "kind",
                format!("{}.", turno_domain::text::capitalized(&e.to_string())),
            );
            None
        }
    };
    let subject = checked.line("subject", "el asunto", &input.subject, limits::NAME, true);
    let body = checked.text(
        "body",
        "el texto del documento",
        &input.body,
        limits::LETTER,
        true,
    );
    let attention_to = checked.line(
        "attention_to",
        "la referencia «en atención a»",
        &input.attention_to,
        limits::NAME,
        false,
    );
    let case_folio = checked.line(
        "case_folio",
        "el folio del asunto",
        &input.case_folio,
        limits::FOLIO,
        false,
    );
    if !case_folio.is_empty() && visible_id(app, user, &case_folio).await.is_err() {
        checked.wrong(
            "case_folio",
            format!("No hay un asunto «{case_folio}» que usted vea."),
        );
    }
    let answers_turn = match input.answers_turn.trim() {
        "" => None,
        id => {
            let open = open_turns_to(app, user, std::slice::from_ref(&unit)).await?;
            match open.iter().find(|a| id.parse() == Ok(a.turn)) {
                Some(a) => Some(a.turn),
                None => {
                    checked.wrong(
                        "answers_turn",
                        "Elija un turno abierto a la unidad que emite el documento, de la \
                         correspondencia de entrada que usted ve.",
                    );
                    None
                }
            }
        }
    };
    let units = app.store.units().await?;
    let mut recipients = Vec::new();
    for (field, copy, list) in [
        ("recipients", false, &input.recipients),
        ("copies", true, &input.copies),
    ] {
        if !copy && list.is_empty() {
            checked.wrong(field, "Escriba al menos un destinatario.");
        }
        if list.len() > MAX_RECIPIENTS {
            checked.wrong(
                field,
                format!("Son más de {MAX_RECIPIENTS}: repártalos en varios documentos."),
            );
        }
        for (i, r) in list.iter().enumerate() {
            let place = format!("la línea {}", i + 1);
            match r.unit.as_deref().map(str::trim) {
                Some(code) => match units.iter().find(|u| u.code == code) {
                    Some(unit) => recipients.push(Recipient {
                        copy,
                        unit_code: Some(unit.code.clone()),
                        name: unit.name.clone(),
                        title: String::new(),
                        institution: String::new(),
                        acuse: None,
                    }),
                    None => checked.wrong(
                        field,
                        format!(
                            "En {place}, «{code}» no es una unidad: escriba la clave de una \
                             unidad, o «Nombre | Cargo | Institución» para alguien de fuera."
                        ),
                    ),
                },
                None => {
                    let what = format!("el nombre de {place}");
                    let name = checked.line(field, &what, &r.name, limits::NAME, true);
                    let what = format!("el cargo de {place}");
                    let title = checked.line(field, &what, &r.title, limits::NAME, false);
                    let what = format!("la institución de {place}");
                    let institution =
                        checked.line(field, &what, &r.institution, limits::NAME, true);
                    recipients.push(Recipient {
                        copy,
                        unit_code: None,
                        name,
                        title,
                        institution,
                        acuse: None,
                    });
                }
            }
        }
    }
    let reviewers = in_order(
        app,
        &mut checked,
        "reviewers",
        &input.reviewers,
        (MAX_REVIEWERS, "revisen", "revisan"),
    )
    .await?;
    let signers = in_order(
        app,
        &mut checked,
        "signers",
        &input.signers,
        (MAX_SIGNERS, "firmen", "firman"),
    )
    .await?;
    checked.done()?;
    let optional = |s: String| (!s.is_empty()).then_some(s);
    Ok(Draft {
        unit,
        kind: kind.unwrap_or(DocumentKind::Oficio),
        subject,
        body,
        attention_to: optional(attention_to),
        case_folio: optional(case_folio),
        answers_turn,
        recipients,
        reviewers,
        signers,
    })
}

/// The active people of a list of logins, in its order (blank lines skipped), each problem
/// under `field`: more than `max`, one twice, one who is not an active person. `verbs` name
/// what they do: «revisen», «revisan».
async fn in_order(
    app: &App,
    checked: &mut Checked,
    field: &str,
    logins: &[String],
    (max, may, do_): (usize, &str, &str),
) -> Result<Vec<String>, Error> {
    let mut people: Vec<String> = Vec::new();
    if logins.len() > max {
        checked.wrong(field, format!("Elija a lo más {max} personas que {may}."));
    }
    for login in logins.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        if people.iter().any(|r| r == login) {
            checked.wrong(
                field,
                format!("«{login}» está dos veces entre quienes {do_}."),
            );
            continue;
        }
        match app.store.user_by_login(login).await? {
            Some(found) if found.user.active => people.push(login.to_owned()),
            _ => checked.wrong(
                field,
                format!("No hay una persona activa con el usuario «{login}»."),
            ),
        }
    }
    Ok(people)
}

/// The names of people, by login, a line each: the letter's signer block.
pub(crate) async fn names(app: &App, logins: &[String]) -> Result<String, Error> {
    let mut names = Vec::new();
    for login in logins {
        names.push(
            app.store
                .user_by_login(login)
                .await?
                .map_or_else(|| login.clone(), |u| u.user.name),
        );
    }
    Ok(names.join("\n"))
}

/// Records a new draft of one of the person's units; its id.
pub async fn draft(app: &App, user: &Principal, input: &DraftInput) -> Result<i64, Error> {
    draft_once(app, user, input, None).await
}

/// Records a new draft as [`draft`] does, sent with a one-time key (the drafting form's, kept
/// per person): sent again, even at the same moment, it drafts once and answers the first
/// draft's id.
pub async fn draft_once(
    app: &App,
    user: &Principal,
    input: &DraftInput,
    key: Option<&str>,
) -> Result<i64, Error> {
    let draft = check(app, user, input).await?;
    let (by, at) = (&user.login, app.clock.now());
    let id = match key {
        Some(key) => app.store.draft_outgoing_once(&draft, key, by, at).await?,
        None => app.store.draft_outgoing(&draft, by, at).await?,
    };
    tracing::info!(id, unit = %draft.unit, by = %user.login, "outgoing document drafted");
    Ok(id)
}

/// Corrects a draft seen at version `seen`; the unit stays the one that drafted it.
pub async fn correct(
    app: &App,
    user: &Principal,
    id: i64,
    seen: i64,
    input: &DraftInput,
) -> Result<(), Error> {
    let view = show(app, user, id).await?;
    allowed(&view, user, Action::Correct, Step::SendToReview)?;
    let input = DraftInput {
        unit: view.document.unit.clone(),
        ..input.clone()
    };
    let draft = check(app, user, &input).await?;
    app.store
        .correct_outgoing(id, seen, &draft, &user.login, app.clock.now())
        .await?;
    Ok(())
}

/// Refuses an action the person may not take now, saying why: first whether it is theirs to
/// take at all (403), then whether the document's stage allows it (422).
pub(crate) fn allowed(
    view: &OutgoingView,
    user: &Principal,
    action: Action,
    step: Step,
) -> Result<(), Error> {
    if view.may(action) {
        return Ok(());
    }
    let d = &view.document;
    let (theirs, whose) = match action {
        Action::Approve => (
            d.reviewers.contains(&user.login),
            "Solo la persona cuyo visto bueno se espera lo da.",
        ),
        Action::Return => (
            d.reviewers.contains(&user.login) || is_titular(user, &d.unit),
            "Lo devuelve quien lo revisa ahora o, con visto bueno, el titular.",
        ),
        Action::Sign if !d.signers.is_empty() => (
            d.signers.contains(&user.login),
            "Solo las personas que el documento nombra como firmantes lo firman.",
        ),
        Action::Sign => (
            is_titular(user, &d.unit),
            "Solo el titular de la unidad, o quien lo supla, firma sus documentos.",
        ),
        Action::Cancel if d.stage == Stage::Signed => (
            is_titular(user, &d.unit),
            "Solo el titular de la unidad cancela un documento firmado.",
        ),
        _ => (
            writes_for(user, &d.unit),
            "Solo las personas de la unidad que lo emite hacen esto.",
        ),
    };
    if !theirs {
        return Err(Error::Denied(whose.into()));
    }
    let stage = d.stage;
    if stage.after(step).is_err() || (action == Action::Correct && stage != Stage::Draft) {
        let refusal = turno_domain::correspondence::StageError { stage, step };
        return Err(Error::Refused(refusal.to_string()));
    }
    // A draft with reviewers is refused below for its review, not for the turn.
    if action == Action::Sign
        && !d.signers.is_empty()
        && (d.stage != Stage::Draft || d.reviewers.is_empty())
    {
        return Err(Error::Refused(out_of_turn(d, user)));
    }
    Err(Error::Refused(
        match action {
            Action::Sign => "Este documento tiene revisores: envíelo a revisión antes de firmarlo.",
            Action::SendToReview => {
                "Este documento no tiene revisores: el titular lo firma directamente."
            }
            _ => whose,
        }
        .into(),
    ))
}

/// Why a signer of a document with signers in order may not sign it now.
fn out_of_turn(d: &OutgoingDocument, user: &Principal) -> String {
    if d.signatures.iter().any(|s| s.signer_login == user.login) {
        return "Usted ya firmó este documento.".into();
    }
    match next_signer(d) {
        Some((place, login)) => format!(
            "Aún no le toca firmar: falta la firma {place} de {}, de «{login}», que va antes \
             que la suya.",
            d.signers.len()
        ),
        None => "Este documento ya tiene todas sus firmas.".into(),
    }
}

/// A step that takes no file: to review, the visto bueno, a return or a cancellation (the
/// last two with their reason), on the version the person saw.
pub async fn step(
    app: &App,
    user: &Principal,
    id: i64,
    seen: i64,
    step: Step,
    reason: &str,
) -> Result<Stage, Error> {
    let view = show(app, user, id).await?;
    let d = &view.document;
    let action = match step {
        Step::SendToReview => Action::SendToReview,
        Step::Approve => Action::Approve,
        Step::Return => Action::Return,
        Step::Cancel => Action::Cancel,
        Step::Sign | Step::Dispatch => {
            return Err(Error::Invalid(
                "La firma y el despacho tienen sus propias operaciones.".into(),
            ));
        }
    };
    allowed(&view, user, action, step)?;
    let mut checked = Checked::default();
    let needs_reason = matches!(step, Step::Return | Step::Cancel);
    let reason = checked.text("reason", "el motivo", reason, limits::TEXT, needs_reason);
    checked.done()?;
    let (stage, review_at) = match step {
        // Every reviewer but the last passes it on; the last one's gives the visto bueno.
        Step::Approve if d.review_at + 1 < d.reviewers.len() => (Stage::InReview, d.review_at + 1),
        other => (
            d.stage
                .after(other)
                .map_err(|e| Error::Refused(e.to_string()))?,
            0,
        ),
    };
    let change = Change {
        act: Act::Step(step),
        stage,
        review_at,
        by: user.login.clone(),
        at: app.clock.now(),
        reason: (!reason.is_empty()).then_some(reason),
    };
    app.store.step_outgoing(id, seen, &change).await?;
    tracing::info!(id, step = Act::Step(step).code(), by = %user.login, "outgoing step");
    Ok(stage)
}

/// A file sent with a step: its name and bytes.
pub struct Upload {
    pub name: String,
    pub content: Vec<u8>,
}

/// Keeps a scan (the signed document, an acuse) in the blob store: a PDF or an image, within
/// the store's limit; `field` names it in a refusal.
async fn keep_scan(app: &App, field: &str, upload: &Upload) -> Result<(String, String), Error> {
    let mut checked = Checked::default();
    let name = checked.line(
        field,
        "el nombre del archivo",
        &upload.name,
        limits::FILE_NAME,
        false,
    );
    match sniff(&upload.content) {
        Kind::Pdf | Kind::Png | Kind::Jpeg => {}
        Kind::Empty => checked.wrong(field, "Adjunte el documento escaneado."),
        _ => checked.wrong(field, "El documento escaneado va en PDF, PNG o JPEG."),
    }
    checked.done()?;
    let stored = app.blobs.put(&upload.content).await.map_err(|e| match e {
        BlobError::TooLarge { limit } => Error::InvalidFields(vec![crate::FieldProblem::new(
            field,
            crate::documents::too_large(limit),
        )]),
        other => Error::internal(format!("cannot keep the scan: {other}")),
    })?;
    let name = if name.is_empty() {
        "escaneado.pdf".to_owned()
    } else {
        name
    };
    Ok((stored.sha256, name))
}

/// The titular signs the document seen at version `seen` with its signed scan: it takes the
/// next number of its unit and year, in the unit's format, in the same transaction.
pub async fn sign(
    app: &App,
    user: &Principal,
    id: i64,
    seen: i64,
    scan: &Upload,
) -> Result<Number, Error> {
    let view = show(app, user, id).await?;
    allowed(&view, user, Action::Sign, Step::Sign)?;
    if !view.document.signers.is_empty() {
        return Err(Error::Refused(
            "Este documento lo firman varias personas con e.firma, una tras otra: no se firma \
             con un escaneado."
                .into(),
        ));
    }
    let (scan_sha256, scan_name) = keep_scan(app, "scan", scan).await?;
    let numbering = numbering::in_force(app, &view.document.unit)
        .await?
        .numbering;
    let at = app.clock.now();
    let year = at.to_zoned(app.time_zone.clone()).year();
    let signing = Signing {
        by: user.login.clone(),
        at,
        year,
        numbering,
        scan: Some((scan_sha256, scan_name)),
        efirma: None,
        note: None,
    };
    let number = app.store.sign_outgoing(id, seen, &signing).await?;
    tracing::info!(id, number = %number.text, by = %user.login, "outgoing document signed");
    Ok(number)
}

/// Dispatches a signed document: its units receive it with an automatic acuse, and the
/// incoming turn it answers closes as answered, citing its number, in the same transaction. A
/// turn closed meanwhile (withdrawn, returned) stays closed: the dispatch's history says so.
pub async fn dispatch(app: &App, user: &Principal, id: i64, seen: i64) -> Result<(), Error> {
    let view = show(app, user, id).await?;
    allowed(&view, user, Action::Dispatch, Step::Dispatch)?;
    let d = &view.document;
    let number = d.number.as_ref().map_or("", |n| n.text.as_str());
    let (at, on) = (app.clock.now(), app.local_now());
    let dispatch = Dispatch {
        arrivals: arrivals(app, &view, &user.login, at, on).await?,
        by: user.login.clone(),
        at,
        on,
        closes: d.answers.map(|a| ClosesTurn {
            turn: a.turn,
            reason: format!("Atendido con el documento de salida {number}."),
            already_closed: format!(
                "El turno de {} que atiende ya estaba cerrado: no se reabre.",
                a.folio
            ),
        }),
    };
    app.store.dispatch_outgoing(id, seen, &dispatch).await?;
    Ok(())
}

/// What the dispatch of `view` registers in its internal addressees' own incoming registers:
/// one document per unit (an addressee for attention; a unit only copied for knowledge; never
/// the issuing unit itself), sent by the issuing unit's signer, with the document's number and
/// date as theirs, its kind, subject and text (the summary holds its first 4,000 characters),
/// the signed scan as its document, and the classification of the incoming document it
/// answers (pública otherwise: an outgoing document has none of its own).
async fn arrivals(
    app: &App,
    view: &OutgoingView,
    by: &str,
    at: jiff::Timestamp,
    on: jiff::civil::DateTime,
) -> Result<Vec<Arrival>, Error> {
    let d = &view.document;
    let mut units: Vec<(&str, Instruction)> = Vec::new();
    for r in &d.recipients {
        let Some(code) = r.unit_code.as_deref().filter(|c| *c != d.unit) else {
            continue;
        };
        let instruction = if r.copy {
            Instruction::Knowledge
        } else {
            Instruction::Attention
        };
        match units.iter_mut().find(|(u, _)| *u == code) {
            Some(kept) if instruction == Instruction::Attention => kept.1 = instruction,
            Some(_) => {}
            None => units.push((code, instruction)),
        }
    }
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let mut attachments = Vec::new();
    if let Some((sha256, name)) = &d.scan {
        let content = app.blobs.get(sha256).await.map_err(|e| {
            Error::internal(format!(
                "the scan {sha256} of outgoing document {}: {e}",
                d.id
            ))
        })?;
        attachments.push(incoming::attachment(
            sha256.clone(),
            name.clone(),
            sniff(&content),
            content.len(),
        ));
    }
    let classification = match d.answers {
        Some(answers) => app
            .store
            .incoming(answers.folio)
            .await?
            .map_or(Classification::Public, |detail| {
                detail.document.incoming.classification
            }),
        None => Classification::Public,
    };
    let incoming = Incoming {
        kind: d.kind,
        sender: Sender {
            kind: SenderKind::Internal,
            name: view.signer.clone().unwrap_or_default(),
            position: view.unit_name.clone(),
            organization: d.unit.clone(),
        },
        their_number: d.number.as_ref().map(|n| n.text.clone()),
        their_date: Some(view.dated),
        received_at: on,
        subject: d.subject.clone(),
        summary: d.body.chars().take(limits::TEXT).collect(),
        priority: Priority::Ordinary,
        classification,
        annexes: 0,
        term_days: None,
    };
    Ok(units
        .into_iter()
        .map(|(unit, instruction)| Arrival {
            document: NewIncoming {
                incoming: incoming.clone(),
                due_date: None,
                unit: unit.to_owned(),
                registered_by: by.to_owned(),
                registered_at: at,
                links: Vec::new(),
                attachments: attachments.clone(),
            },
            instruction,
        })
        .collect())
}

/// The acuse of a recipient outside the organization as asked: which (`recipient`, counted
/// from 1 as listed), when it was received (`aaaa-mm-ddThh:mm`), who received it, its scan.
pub struct AcuseInput {
    pub recipient: usize,
    pub received_at: String,
    pub received_by: String,
    pub scan: Option<Upload>,
}

/// Records the acuse of a dispatched document's recipient, once.
pub async fn record_acuse(
    app: &App,
    user: &Principal,
    id: i64,
    input: &AcuseInput,
) -> Result<(), Error> {
    let view = show(app, user, id).await?;
    if !view.may(Action::RecordAcuse) {
        return Err(if !writes_for(user, &view.document.unit) {
            Error::Denied(
                "Solo las personas de la unidad que lo emite registran sus acuses.".into(),
            )
        } else if view.document.stage == Stage::Dispatched {
            Error::Refused("Ya están registrados los acuses de todos sus destinatarios.".into())
        } else {
            Error::Refused("El acuse se registra de un documento despachado.".into())
        });
    }
    let mut checked = Checked::default();
    let ordinal = input.recipient.checked_sub(1);
    match ordinal.and_then(|o| view.document.recipients.get(o)) {
        None => checked.wrong("recipient", "Elija uno de los destinatarios del documento."),
        Some(r) if r.acuse.is_some() => checked.wrong(
            "recipient",
            format!("El acuse de «{}» ya está registrado.", r.name),
        ),
        Some(_) => {}
    }
    let on = match input.received_at.trim().parse::<jiff::civil::DateTime>() {
        Ok(on) if on > app.local_now() => {
            checked.wrong("received_at", "La fecha del acuse no puede ser futura.");
            None
        }
        Ok(on) => Some(on),
        Err(_) => {
            checked.wrong(
                "received_at",
                "Escriba la fecha y hora en que se recibió (aaaa-mm-dd hh:mm).",
            );
            None
        }
    };
    let received_by = checked.line(
        "received_by",
        "quién lo recibió",
        &input.received_by,
        limits::NAME,
        true,
    );
    checked.done()?;
    let scan = match &input.scan {
        Some(upload) if !upload.content.is_empty() => Some(keep_scan(app, "scan", upload).await?),
        _ => None,
    };
    let acuse = Acuse {
        on: on.unwrap_or_default(),
        received_by,
        scan,
        recorded_by: user.login.clone(),
    };
    app.store
        .record_acuse(id, ordinal.unwrap_or_default(), &acuse)
        .await?;
    Ok(())
}

/// A scan the document keeps (`None`: the signed one; `Some(n)`: the acuse of recipient n,
/// from 1), for those who see the document: its name and bytes.
pub async fn scan(
    app: &App,
    user: &Principal,
    id: i64,
    recipient: Option<usize>,
) -> Result<Upload, Error> {
    let document = visible(app, user, id).await?;
    let kept = match recipient {
        None => document.scan,
        Some(n) => n
            .checked_sub(1)
            .and_then(|o| document.recipients.get(o))
            .and_then(|r| r.acuse.as_ref())
            .and_then(|a| a.scan.clone()),
    };
    let (sha256, name) =
        kept.ok_or_else(|| Error::NotFound("Ese documento escaneado no existe.".into()))?;
    let content = app.blobs.get(&sha256).await.map_err(|e| {
        Error::internal(format!("the scan {sha256} of outgoing document {id}: {e}"))
    })?;
    Ok(Upload { name, content })
}
