//! Registering an incoming document and seeing it.
//!
//! **Who registers.** For a unit, the people who act there or in a unit above it (the
//! oficialía de partes of a dirección registers for the units below it), and administrators.
//!
//! **Who sees.** A document is seen by the people of its registering unit and of every unit
//! it is turned to (a withdrawn turn no longer counts), and of the units above them, as cases
//! are; administrators too. A *reservada* or *confidencial* document shows its subject,
//! summary and sender only to the people of those units themselves (their memberships), not to
//! the units above them nor to administrators; its files only to the people of the
//! registering unit and of the units it is turned to for something that needs an answer.

use crate::access::answers_turns_of;
use crate::app::App;
use crate::checked::Checked;
use crate::error::Error;
use crate::limits;
use crate::principal::Principal;
use turno_domain::calendar::Regime;
use turno_domain::correspondence::{Incoming, IncomingDraft, IncomingFolio, TurnStatus};
use turno_domain::definition::DayKind;
use turno_domain::engine::{DueBasis, DueStatus};
use turno_store::blobs::{BlobStore, Kind, sniff};
use turno_store::correspondence::incoming::{
    Arrived, IncomingAttachment, IncomingDetail, IncomingTurn, NewIncoming, OutgoingAnswer,
    StoredIncoming,
};
use turno_store::{Correspondence, Role, Store, Unit};

/// The calendar terms of correspondence are counted on: the Ley Federal de Procedimiento
/// Administrativo's, as an oficio's answer.
pub const REGIME: Regime = Regime::Lfpa;

/// The largest file that comes with a document: a scanned oficio of many pages.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// The most files (the document and its annexes) uploaded with one registration.
pub const MAX_FILES: usize = 20;

/// A file as it was uploaded.
pub struct Upload {
    pub name: String,
    pub content: Vec<u8>,
}

/// A document to register, as typed.
pub struct Registration<'a> {
    /// The registering unit's code.
    pub unit: &'a str,
    pub draft: IncomingDraft<'a>,
    /// Folios of earlier incoming documents it answers, separated by commas or spaces.
    pub in_reply_to: &'a str,
    /// The scanned document first, then its annexes.
    pub files: Vec<Upload>,
}

/// The units a person may register documents for: every unit for an administrator; the
/// units they act on (theirs and those below) for anyone else who acts.
pub async fn registering_units(app: &App, user: &Principal) -> Result<Vec<Unit>, Error> {
    let units = app.store.units().await?;
    Ok(units
        .into_iter()
        .filter(|u| answers_turns_of(user, &u.code))
        .collect())
}

/// The folios of `text`, each problem named.
fn folios(text: &str, checked: &mut Checked) -> Vec<IncomingFolio> {
    let mut found = Vec::new();
    for word in text
        .split([',', ' ', ';', '\n'])
        .filter(|w| !w.trim().is_empty())
    {
        match word.parse::<IncomingFolio>() {
            Ok(folio) if !found.contains(&folio) => found.push(folio),
            Ok(_) => {}
            Err(e) => checked.wrong("in_reply_to", format!("{e}.")),
        }
    }
    found
}

/// The due date `days` días hábiles after `from`.
pub fn due_after(
    app: &App,
    from: jiff::civil::Date,
    days: u16,
) -> Result<jiff::civil::Date, Error> {
    DueBasis {
        from,
        days: i32::from(days),
        kind: DayKind::Business,
        regime: REGIME,
    }
    .count(&app.calendars.current())
    .map_err(|_| Error::Refused("El plazo cae fuera de los años del calendario.".into()))
}

/// A registration that passed its checks.
pub(crate) struct Registrable {
    pub unit: String,
    pub incoming: Incoming,
    pub due_date: Option<jiff::civil::Date>,
    pub links: Vec<IncomingFolio>,
}

/// The checks of a registration but its files, shared by `register` and the import of a
/// unit's register: every problem of its unit, fields and links in `checked` (which holds
/// nothing before); the document when none of them has one. `denied_as_problem`: a unit the person does not register for is
/// a problem of the field `unit` (an import names it with its row) rather than a refusal of
/// the whole request.
pub(crate) async fn check_registration(
    app: &App,
    user: &Principal,
    units: &[Unit],
    registration: &Registration<'_>,
    checked: &mut Checked,
    denied_as_problem: bool,
) -> Result<Option<Registrable>, Error> {
    let unit = checked.line(
        "unit",
        "la unidad que lo registra",
        registration.unit,
        limits::CODE,
        true,
    );
    if !unit.is_empty() {
        if !units.iter().any(|u| u.code == unit) {
            checked.wrong("unit", format!("La unidad «{unit}» no existe."));
        } else if !answers_turns_of(user, &unit) {
            let denied = format!(
                "No registra documentos para la unidad «{unit}»: solo sus personas, las de las \
                 unidades superiores y los administradores."
            );
            if !denied_as_problem {
                return Err(Error::Denied(denied));
            }
            checked.wrong("unit", denied);
        }
    }
    let incoming = registration.draft.check(app.local_now());
    if let Err(problems) = &incoming {
        for p in problems {
            checked.wrong(p.field, p.message.clone());
        }
    }
    if let Ok(doc) = &incoming
        && doc.sender.kind == turno_domain::correspondence::SenderKind::Internal
        && !units.iter().any(|u| u.code == doc.sender.organization)
    {
        checked.wrong(
            "sender_organization",
            format!(
                "La unidad «{}» no existe: escriba la clave de una unidad de la institución.",
                doc.sender.organization
            ),
        );
    }
    let links = folios(registration.in_reply_to, checked);
    for folio in &links {
        if app.store.incoming(*folio).await?.is_none() {
            checked.wrong(
                "in_reply_to",
                format!("No hay un documento registrado con el folio {folio}."),
            );
        }
    }
    let Ok(incoming) = incoming else {
        return Ok(None);
    };
    let due_date = match incoming
        .term_days
        .map(|days| due_after(app, incoming.received_at.date(), days))
    {
        Some(Ok(due)) => Some(due),
        Some(Err(e)) => {
            checked.wrong("term_days", e.to_string());
            return Ok(None);
        }
        None => None,
    };
    Ok(checked.is_empty().then_some(Registrable {
        unit,
        incoming,
        due_date,
        links,
    }))
}

/// Registers a document: every problem of its fields, its links and files named at once, by
/// field; nothing is kept until all are right.
pub async fn register(
    app: &App,
    user: &Principal,
    registration: Registration<'_>,
) -> Result<IncomingFolio, Error> {
    if !user.can_act() {
        return Err(Error::Denied(
            "Registran correspondencia las personas que actúan en una unidad; su papel solo \
             consulta."
                .into(),
        ));
    }
    let units = app.store.units().await?;
    let mut checked = Checked::default();
    let registrable =
        check_registration(app, user, &units, &registration, &mut checked, false).await?;
    let files = check_files(registration.files, &mut checked);
    checked.done()?;
    let Some(Registrable {
        unit,
        incoming,
        due_date,
        links,
    }) = registrable
    else {
        return Err(Error::internal("a draft with problems passed the checks"));
    };
    let mut attachments = Vec::with_capacity(files.len());
    for (file, kind) in files {
        let stored = app.blobs.put(&file.content).await.map_err(|e| {
            Error::internal(format!("cannot keep an incoming document's file: {e}"))
        })?;
        attachments.push(attachment(
            stored.sha256,
            file.name,
            kind,
            file.content.len(),
        ));
    }
    let folio = app
        .store
        .register_incoming(&NewIncoming {
            incoming,
            due_date,
            unit: unit.clone(),
            registered_by: user.login.clone(),
            registered_at: app.clock.now(),
            links,
            attachments,
        })
        .await?;
    tracing::info!(%folio, by = %user.login, %unit, "incoming document registered");
    Ok(folio)
}

/// A file kept in the blob store as a document's attachment: its type as its bytes show.
pub(crate) fn attachment(
    sha256: String,
    name: String,
    kind: Kind,
    size: usize,
) -> IncomingAttachment {
    IncomingAttachment {
        sha256,
        name,
        media_type: kind.mime().unwrap_or("application/octet-stream").to_owned(),
        size: i64::try_from(size).unwrap_or(i64::MAX),
    }
}

/// The files that may be kept, each with the type its bytes show; a problem for each other.
fn check_files(files: Vec<Upload>, checked: &mut Checked) -> Vec<(Upload, Kind)> {
    let files: Vec<Upload> = files
        .into_iter()
        .filter(|f| !f.content.is_empty())
        .collect();
    if files.len() > MAX_FILES {
        checked.wrong(
            "files",
            format!("Adjunte a lo más {MAX_FILES} archivos: el documento y sus anexos."),
        );
        return Vec::new();
    }
    let mut kept = Vec::with_capacity(files.len());
    for mut file in files {
        file.name = file.name.trim().chars().take(limits::FILE_NAME).collect();
        if file.name.is_empty()
            || turno_domain::text::control(&file.name, turno_domain::text::Lines::One).is_some()
        {
            file.name = "documento".into();
        }
        let kind = sniff(&file.content);
        if file.content.len() > MAX_FILE_BYTES {
            checked.wrong(
                "files",
                format!(
                    "«{}» pasa de {}.",
                    file.name,
                    crate::documents::size_label(MAX_FILE_BYTES as u64)
                ),
            );
        } else if !matches!(kind, Kind::Pdf | Kind::Png | Kind::Jpeg | Kind::Zip) {
            checked.wrong(
                "files",
                format!(
                    "«{}» no es un PDF, una imagen PNG o JPEG ni un documento de Office: \
                     adjunte el documento escaneado.",
                    file.name
                ),
            );
        } else {
            kept.push((file, kind));
        }
    }
    kept
}

/// What a person sees of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sight {
    /// Its subject, summary and sender.
    pub content: bool,
    /// Its scanned document and annexes.
    pub files: bool,
}

/// The units a document concerns now: its registering unit and those of its turns that were
/// not withdrawn.
fn involved(doc: &StoredIncoming) -> impl Iterator<Item = &str> {
    std::iter::once(doc.unit.as_str()).chain(
        doc.turns
            .iter()
            .filter(|t| t.status != TurnStatus::Withdrawn)
            .map(|t| t.unit.as_str()),
    )
}

/// Whether `user` works in `unit` itself (or substitutes its titular): the administrator's
/// role, recorded on a unit too, makes nobody one of its people.
pub(crate) fn member_of(user: &Principal, unit: &str) -> bool {
    member_units(user).any(|u| u == unit)
}

/// The units `user` works in themselves (or whose titular they substitute), as [`member_of`]
/// reads them: whose classified documents' texts they read.
pub(crate) fn member_units(user: &Principal) -> impl Iterator<Item = &str> {
    user.memberships
        .iter()
        .filter(|m| m.role != Role::Administrador)
        .map(|m| m.unit_code.as_str())
}

/// The one rule of who sees a document and what of it; `None`: they do not see it.
pub fn sight(user: &Principal, doc: &StoredIncoming) -> Option<Sight> {
    let sees = user.is_admin() || involved(doc).any(|u| user.visible_units.iter().any(|v| v == u));
    if !sees {
        return None;
    }
    if !doc.incoming.classification.is_restricted() {
        return Some(Sight {
            content: true,
            files: true,
        });
    }
    let files = member_of(user, &doc.unit)
        || doc.turns.iter().any(|t| {
            t.status != TurnStatus::Withdrawn
                && t.instruction.needs_answer()
                && member_of(user, &t.unit)
        });
    Some(Sight {
        content: files || involved(doc).any(|u| member_of(user, u)),
        files,
    })
}

/// What shows in place of a restricted document's subject to whoever may not read it.
pub const WITHHELD: &str = "[Información clasificada]";

/// A document as one person sees it: restricted texts withheld unless they may read them.
#[derive(Debug, Clone)]
pub struct IncomingView {
    pub folio: IncomingFolio,
    pub incoming: Incoming,
    pub unit: String,
    pub registered_by: String,
    pub registered_at: jiff::Timestamp,
    pub due_date: Option<jiff::civil::Date>,
    pub case_folio: Option<String>,
    /// The internal outgoing document it is, when its dispatch registered it here.
    pub arrival: Option<Arrived>,
    pub sight: Sight,
    /// The semáforo of its earliest open term (a turn's, or the document's own without turns).
    pub due_status: Option<DueStatus>,
    pub turns: Vec<crate::correspondence::turns::TurnView>,
    pub links: Vec<IncomingFolio>,
    pub answered_by: Vec<IncomingFolio>,
    /// The dispatched outgoing documents that answer its turns.
    pub outgoing_answers: Vec<OutgoingAnswer>,
    /// Empty unless `sight.files`.
    pub attachments: Vec<IncomingAttachment>,
    /// Whether the person may turn it from the registering unit.
    pub may_turn: bool,
}

impl IncomingView {
    /// Whether any turn is still open.
    pub fn pending(&self) -> bool {
        self.turns.iter().any(|t| t.turn.status == TurnStatus::Open)
    }
}

/// `doc` as `user` sees it (`sight`), on `today`.
pub fn view(app: &App, user: &Principal, doc: StoredIncoming, sight: Sight) -> IncomingView {
    let today = app.today();
    let mut incoming = doc.incoming;
    if !sight.content {
        incoming.subject = WITHHELD.into();
        incoming.summary = String::new();
        incoming.sender.name = WITHHELD.into();
        incoming.sender.position = String::new();
        incoming.their_number = None;
    }
    let turns: Vec<_> = doc
        .turns
        .iter()
        .map(|t| crate::correspondence::turns::TurnView::of(app, user, &doc.turns, t, today))
        .collect();
    let open_dues = doc
        .turns
        .iter()
        .filter(|t| t.status == TurnStatus::Open)
        .filter_map(|t| t.due_date.map(|due| (turned_on(app, t), due)));
    let own = doc
        .due_date
        .filter(|_| doc.turns.is_empty())
        .map(|due| (incoming.received_at.date(), due));
    let due_status = open_dues
        .chain(own)
        .min_by_key(|(_, due)| *due)
        .map(|(opened, due)| app.thresholds.status(opened, due, today));
    IncomingView {
        folio: doc.folio,
        may_turn: answers_turns_of(user, &doc.unit),
        incoming,
        unit: doc.unit,
        registered_by: doc.registered_by,
        registered_at: doc.registered_at,
        due_date: doc.due_date,
        case_folio: doc.case_folio,
        arrival: doc.arrival,
        sight,
        due_status,
        turns,
        links: Vec::new(),
        answered_by: Vec::new(),
        outgoing_answers: Vec::new(),
        attachments: Vec::new(),
    }
}

/// The day a turn was given, in the agency's time zone.
pub(crate) fn turned_on(app: &App, turn: &IncomingTurn) -> jiff::civil::Date {
    turn.turned_at.to_zoned(app.time_zone.clone()).date()
}

/// The folio as typed, or not found.
pub fn parse_folio(folio: &str) -> Result<IncomingFolio, Error> {
    folio
        .parse()
        .map_err(|_| Error::NotFound("No existe ese documento.".into()))
}

/// A document the person sees, whole, with what they see of it.
pub(crate) async fn visible(
    app: &App,
    user: &Principal,
    folio: &str,
) -> Result<(IncomingDetail, Sight), Error> {
    let folio = parse_folio(folio)?;
    let detail = app
        .store
        .incoming(folio)
        .await?
        .ok_or_else(|| Error::NotFound("No existe ese documento.".into()))?;
    let sight = sight(user, &detail.document).ok_or(Error::Hidden)?;
    Ok((detail, sight))
}

/// One document as the person sees it. Opening it is reading it: the turns «para
/// conocimiento» of the units the person works in close as read.
pub async fn show(app: &App, user: &Principal, folio: &str) -> Result<IncomingView, Error> {
    let (detail, sight) = visible(app, user, folio).await?;
    if sight.content
        && crate::correspondence::turns::read_on_opening(app, user, &detail.document).await?
    {
        return printed(app, user, folio).await;
    }
    Ok(whole(app, user, detail, sight))
}

/// One document as the person sees it, for its acuse and volantes: printing it reads nothing.
pub async fn printed(app: &App, user: &Principal, folio: &str) -> Result<IncomingView, Error> {
    let (detail, sight) = visible(app, user, folio).await?;
    Ok(whole(app, user, detail, sight))
}

fn whole(app: &App, user: &Principal, detail: IncomingDetail, sight: Sight) -> IncomingView {
    let IncomingDetail {
        document,
        links,
        answered_by,
        outgoing_answers,
        attachments,
    } = detail;
    let mut view = view(app, user, document, sight);
    view.links = links;
    view.answered_by = answered_by;
    view.outgoing_answers = outgoing_answers;
    if sight.files {
        view.attachments = attachments;
    }
    view
}

/// The documents of the person's units (registered by them or turned to them), the latest
/// received first, at most `limit`.
pub async fn list(app: &App, user: &Principal, limit: u32) -> Result<Vec<IncomingView>, Error> {
    let units = super::listed_units(app, user).await?;
    let documents = app.store.incoming_of_units(&units, limit).await?;
    Ok(documents
        .into_iter()
        .filter_map(|doc| sight(user, &doc).map(|s| view(app, user, doc, s)))
        .collect())
}

/// A file of a document (its `position`, 0 the scanned document), for whoever sees its files.
pub async fn file(
    app: &App,
    user: &Principal,
    folio: &str,
    position: usize,
) -> Result<(IncomingAttachment, Vec<u8>), Error> {
    let (detail, sight) = visible(app, user, folio).await?;
    if !sight.files {
        return Err(Error::Denied(
            "Los archivos de un documento clasificado los ven solo las unidades que lo \
             registraron o a las que se turnó para su atención."
                .into(),
        ));
    }
    let attachment = detail
        .attachments
        .into_iter()
        .nth(position)
        .ok_or_else(|| Error::NotFound("El documento no tiene ese archivo.".into()))?;
    let content = app
        .blobs
        .get(&attachment.sha256)
        .await
        .map_err(|e| Error::internal(format!("a file of incoming {folio}: {e}")))?;
    Ok((attachment, content))
}
