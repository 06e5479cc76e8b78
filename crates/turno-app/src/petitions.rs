//! Petitions (procedures 96–98; docs/citizen-format.md) before and beside their handling: the
//! staff's list and one petition as a person may see it, the letter it came in, filing one
//! (from the public mailbox, or registered by the attention units from a letter or a call),
//! the petitioner's lookup by folio and access code, and importing the call-center file
//! ([`import`]).
//!
//! Who sees which petitions is `access::petition_scope`: a petition of another entidad is
//! [`Error::Hidden`]. Personal data are whole only for those `access::sees_personal_data`
//! names, and only after the audit entry of their view is written.

pub mod import;

use crate::access::{
    ATTENTION_UNITS, PetitionScope, may_work_petitions, petition_scope, sees_personal_data,
};
use crate::app::App;
use crate::error::Error;
use crate::handling::{NextSteps, next_steps};
use crate::principal::Principal;
use jiff::civil::{Date, DateTime};
use std::time::Duration;
use turno_domain::calendar::State;
use turno_domain::citizen::{
    AccessCode, Channel, Draft, FieldProblem, Letter, LetterProblem, MaskedContact, Petition,
    PetitionFolio, PetitionKind, constant_time_eq,
};
use turno_store::blobs::BlobStore;
use turno_store::citizen::{FiledLetter, PetitionFilter, StoredPetition};
use turno_store::handling::PetitionHandling;
use turno_store::notifications::{
    About, MailTo, NewNotification, NotificationBatch, NotificationKind, Notifications,
};
use turno_store::{Handling, Petitions, StoreError};

/// The most petitions a list gives, the latest received first; the filters narrow the rest.
pub const LISTED: u32 = 200;

/// The largest scanned letter accepted, in bytes.
pub const MAX_LETTER_BYTES: usize = 10 * 1024 * 1024;

/// Every status lookup answers after at least this long, found or not, so that timing does not
/// tell a folio that exists from one that does not.
const ANSWER_AFTER: Duration = Duration::from_millis(300);

/// What a folio that is not one, or names no petition, is told.
fn missing() -> Error {
    Error::NotFound("No existe esa petición.".into())
}

pub(crate) fn parse_folio(folio: &str) -> Result<PetitionFolio, Error> {
    folio.parse().map_err(|_| missing())
}

/// The petitions a person sees, or why they see none.
fn scope(user: &Principal) -> Result<PetitionScope, Error> {
    petition_scope(user).ok_or_else(|| {
        Error::Denied(
            "Las peticiones ciudadanas las ven las unidades de atención ciudadana y las de cada \
             entidad federativa; ninguna de sus unidades lo es."
                .into(),
        )
    })
}

/// The petitions a person sees that pass a filter.
pub struct Listing {
    pub scope: PetitionScope,
    /// At most the filter's limit (no more than [`LISTED`]), the latest received first.
    pub petitions: Vec<StoredPetition>,
}

/// The petitions `user` sees that pass `filter`. An entidad outside their scope is refused,
/// not answered with an empty list: it is not theirs to look at.
pub async fn list(app: &App, user: &Principal, filter: PetitionFilter) -> Result<Listing, Error> {
    let scope = scope(user)?;
    if let Some(entidad) = filter.state
        && !scope.includes(entidad)
    {
        return Err(Error::Denied(format!(
            "Las peticiones de {} no son de sus unidades.",
            entidad.name()
        )));
    }
    let filter = PetitionFilter {
        limit: filter.limit.clamp(1, LISTED),
        ..filter
    };
    let mut found = match (&scope, filter.state) {
        (PetitionScope::All, _) | (_, Some(_)) => app.store.petitions(&filter).await?,
        (PetitionScope::States(states), None) => {
            let mut all = Vec::new();
            for entidad in states {
                let one = PetitionFilter {
                    state: Some(*entidad),
                    ..filter.clone()
                };
                all.extend(app.store.petitions(&one).await?);
            }
            all.sort_by_key(|p| std::cmp::Reverse(p.petition.received_at));
            all.truncate(filter.limit as usize);
            all
        }
    };
    found.retain(|p| scope.includes(p.petition.state));
    Ok(Listing {
        scope,
        petitions: found,
    })
}

/// The petition of `folio`, when `user` sees it: not found, or hidden when it is of an entidad
/// outside their scope.
pub async fn visible(app: &App, user: &Principal, folio: &str) -> Result<StoredPetition, Error> {
    let scope = scope(user)?;
    let folio = parse_folio(folio)?;
    let stored = app.store.petition(folio).await?.ok_or_else(missing)?;
    if !scope.includes(stored.petition.state) {
        return Err(Error::Hidden);
    }
    Ok(stored)
}

/// A petition as one person sees it.
pub struct Shown {
    pub petition: StoredPetition,
    /// Its contact, whole (`unmasked`, the view on the audit log) or masked.
    pub contact: MaskedContact,
    pub unmasked: bool,
    /// The letter it came in, if it came in one.
    pub letter: Option<FiledLetter>,
    /// Where its handling stands.
    pub handling: Option<PetitionHandling>,
    /// What the person may do next with it.
    pub next: NextSteps,
}

/// Petition `folio` for `user`, with its personal data whole only for those who need them, and
/// only once their view is on the audit log.
pub async fn show(app: &App, user: &Principal, folio: &str) -> Result<Shown, Error> {
    let petition = visible(app, user, folio).await?;
    let unmasked = sees_personal_data(user, petition.petition.state);
    let c = &petition.petition.contact;
    let contact = if unmasked {
        app.store
            .record_personal_data_view(petition.folio, &user.login)
            .await?;
        MaskedContact {
            name: c.name.clone(),
            curp: c.curp.as_ref().map(|v| v.as_str().to_owned()),
            phone: c.phone.as_ref().map(|v| v.as_str().to_owned()),
            email: c.email.as_ref().map(|v| v.as_str().to_owned()),
            address: c.address.clone(),
        }
    } else {
        c.masked()
    };
    let letter = app.store.letter(petition.folio).await?;
    let handling = app.store.handling(petition.folio).await?;
    let next = match &handling {
        Some(handling) => next_steps(app, user, &petition, handling).await?,
        None => NextSteps::default(),
    };
    Ok(Shown {
        petition,
        contact,
        unmasked,
        letter,
        handling,
        next,
    })
}

/// The scanned letter petition `folio` came in, and its bytes.
pub async fn letter(
    app: &App,
    user: &Principal,
    folio: &str,
) -> Result<(FiledLetter, Vec<u8>), Error> {
    let petition = visible(app, user, folio).await?;
    let filed = app
        .store
        .letter(petition.folio)
        .await?
        .ok_or_else(|| Error::NotFound("Esta petición no llegó por escrito.".into()))?;
    let content =
        app.blobs.get(&filed.document_sha256).await.map_err(|e| {
            Error::internal(format!("the letter of petition {}: {e}", petition.folio))
        })?;
    Ok((filed, content))
}

/// A file as it was uploaded.
pub struct Document {
    pub name: String,
    pub content: Vec<u8>,
}

/// The letter a petition came in, as given: the sender, their oficio's number, its date
/// (`AAAA-MM-DD`) and the scanned oficio.
#[derive(Default)]
pub struct LetterInput<'a> {
    pub sender: &'a str,
    pub reference: &'a str,
    pub dated: &'a str,
    pub document: Option<Document>,
}

impl LetterInput<'_> {
    fn is_empty(&self) -> bool {
        [self.sender, self.reference, self.dated]
            .iter()
            .all(|t| t.trim().is_empty())
            && self.document.is_none()
    }
}

/// A petition the attention units register: one that came in writing (escrito u oficio, otras
/// fuentes), with its letter, or one call of the Centro de Atención Telefónica, without one.
pub struct Registration<'a> {
    pub channel: Channel,
    pub draft: Draft<'a>,
    pub letter: LetterInput<'a>,
}

/// A petition filed: its folio and its access code, to give the petitioner once (only its
/// digest is kept).
pub struct Filed {
    pub folio: PetitionFolio,
    pub code: AccessCode,
}

/// Why a petition was not filed.
pub enum Rejected {
    /// What was typed has problems, each with its field: the petition's and the letter's
    /// (`remitente`, `oficio`, `fecha_oficio`, `archivo`).
    Fields {
        petition: Vec<FieldProblem>,
        letter: Vec<LetterProblem>,
    },
    Error(Error),
}

impl From<Error> for Rejected {
    fn from(e: Error) -> Rejected {
        Rejected::Error(e)
    }
}

impl From<StoreError> for Rejected {
    fn from(e: StoreError) -> Rejected {
        Rejected::Error(e.into())
    }
}

/// A problem of a letter's field.
fn letter_problem(field: &'static str, label: &'static str, reason: String) -> LetterProblem {
    LetterProblem {
        field,
        label,
        reason,
    }
}

/// Whether `user` registers petitions (`access::may_work_petitions`), checked before a form
/// with a letter is read.
pub fn registering(user: &Principal) -> Result<(), Error> {
    if may_work_petitions(user) {
        Ok(())
    } else {
        Err(Error::Denied(
            "Solo las unidades de atención ciudadana registran peticiones.".into(),
        ))
    }
}

/// Registers a petition for the attention units (`access::may_work_petitions`). `random` is
/// 8 bytes of the caller's CSPRNG, from which the access code is drawn.
pub async fn register(
    app: &App,
    user: &Principal,
    registration: Registration<'_>,
    random: [u8; 8],
) -> Result<Filed, Rejected> {
    registering(user)?;
    let Registration {
        channel,
        draft,
        letter,
    } = registration;
    let now = app.local_now();
    let petition = draft.check(channel, now, false);
    let mut letter_problems = Vec::new();
    let letter = match channel {
        Channel::Mailbox => {
            return Err(Error::Invalid(
                "Las peticiones del buzón las presenta el peticionario en la página pública de \
                 atención ciudadana."
                    .into(),
            )
            .into());
        }
        Channel::CallCenter => {
            if !letter.is_empty() {
                letter_problems.push(letter_problem(
                    "oficio",
                    "Oficio",
                    "una llamada no trae oficio: elija «escrito» u «otras» si llegó por escrito"
                        .into(),
                ));
            }
            None
        }
        Channel::Letter | Channel::Other => {
            let checked = Letter::check(letter.sender, letter.reference, letter.dated, now.date())
                .map_err(|problems| letter_problems.extend(problems))
                .ok();
            let document = match letter.document {
                None => None,
                Some(d) if d.content.is_empty() => None,
                Some(d) if d.content.len() > MAX_LETTER_BYTES => {
                    letter_problems.push(letter_problem(
                        "archivo",
                        "Oficio escaneado",
                        format!(
                            "pasa de {}",
                            crate::documents::size_label(MAX_LETTER_BYTES as u64)
                        ),
                    ));
                    None
                }
                Some(d) => Some(d),
            };
            if letter_problems.iter().all(|p| p.field != "archivo") && document.is_none() {
                letter_problems.push(letter_problem(
                    "archivo",
                    "Oficio escaneado",
                    "adjunte el oficio escaneado".into(),
                ));
            }
            checked.zip(document)
        }
    };
    let petition = match petition {
        Ok(petition) if letter_problems.is_empty() => petition,
        petition => {
            return Err(Rejected::Fields {
                petition: petition.err().unwrap_or_default(),
                letter: letter_problems,
            });
        }
    };
    let filed = match letter {
        Some((letter, document)) => {
            let stored = app
                .blobs
                .put(&document.content)
                .await
                .map_err(|e| Error::internal(format!("cannot keep the letter: {e}")))?;
            Some(FiledLetter {
                letter,
                document_sha256: stored.sha256,
                document_name: document.name,
            })
        }
        None => None,
    };
    let code = AccessCode::from_random(random);
    let folio = app
        .store
        .file_petition(&petition, code.digest(), filed.as_ref())
        .await?;
    tracing::info!(%folio, by = %user.login, channel = channel.code(), "petition registered");
    Ok(Filed { folio, code })
}

/// Files a petition through the public mailbox, for anyone: its texts as typed, whether the
/// petitioner accepted the privacy notice, and 8 bytes of the caller's CSPRNG for the access
/// code.
pub async fn file(
    app: &App,
    draft: Draft<'_>,
    consented: bool,
    random: [u8; 8],
) -> Result<Filed, Rejected> {
    let petition = draft
        .check(Channel::Mailbox, app.local_now(), consented)
        .map_err(|petition| Rejected::Fields {
            petition,
            letter: Vec::new(),
        })?;
    let code = AccessCode::from_random(random);
    let folio = app
        .store
        .file_petition(&petition, code.digest(), None)
        .await?;
    tracing::info!(%folio, state = petition.state.code(), "petition filed through the mailbox");
    // The petition is filed whatever happens to its telling: the petitioner gets their code.
    if let Err(e) = tell_attention_units(app, folio, &petition).await {
        tracing::warn!(%folio, error = %e, "the attention units were not told of a petition");
    }
    Ok(Filed { folio, code })
}

/// Tells the people of the attention units (`access::ATTENTION_UNITS`) of a petition filed
/// through the mailbox, which nobody else watches: a notification in Turno that leads to the
/// petition, and an e-mail, each as they chose for work turned to their unit, the notice it is
/// closest to. Once per person, whichever of the units they are told through. Without personal
/// data: the e-mail leaves Turno; the petition's page shows them to those who may see them.
async fn tell_attention_units(
    app: &App,
    folio: PetitionFolio,
    petition: &Petition,
) -> Result<(), Error> {
    let moment = app.moment();
    let ctx = moment.context();
    let mut batch = NotificationBatch::default();
    let subject = format!("Nueva petición {folio} en el buzón de atención ciudadana");
    let summary = format!(
        "Se recibió por el buzón de atención ciudadana la petición {folio} ({}, {}).",
        petition.kind.label(),
        petition.state.name(),
    );
    let mut told = std::collections::HashSet::new();
    for unit in ATTENTION_UNITS {
        for recipient in app
            .store
            .recipients(unit, NotificationKind::Turned, ctx.today)
            .await?
        {
            if !told.insert(recipient.user_id) {
                continue;
            }
            let email = recipient
                .email
                .filter(|a| recipient.by_email && !a.trim().is_empty())
                .map(|address| MailTo {
                    address,
                    body: format!(
                        "{}:\n\n{summary} Clasifíquela en Turno, en /peticiones/{folio}.\n\n\
                         Sistema Nacional de Atención Ciudadana\n",
                        recipient.name,
                    ),
                });
            if !recipient.in_app && email.is_none() {
                continue;
            }
            batch.notifications.push(NewNotification {
                user_id: recipient.user_id,
                kind: NotificationKind::Turned,
                about: About::Petition(folio.to_string()),
                item: None,
                dedup: format!("peticion:{folio}:recibida"),
                subject: subject.clone(),
                body: format!("{summary} Clasifíquela desde su página."),
                in_app: recipient.in_app,
                email,
            });
        }
    }
    if !batch.notifications.is_empty() {
        app.store.record_notifications(&batch, ctx.now).await?;
    }
    Ok(())
}

/// What the petitioner sees of their petition: no personal data, they typed them.
pub struct Status {
    pub folio: PetitionFolio,
    pub kind: PetitionKind,
    pub state: State,
    pub received_at: DateTime,
    /// `recibida`, `en_gestion` or `respondida`.
    pub status: String,
    /// What they were told, once answered, and when.
    pub answer: Option<(String, Date)>,
}

/// The petition of `folio` when `code` is its access code; `None` alike for a folio that is not
/// one, one that names no petition and a wrong code, after the same time. The digests are
/// compared even without a petition, against one no code has, so both do the same work.
pub async fn status(app: &App, folio: &str, code: &str) -> Result<Option<Status>, Error> {
    let started = tokio::time::Instant::now();
    let stored = match folio.parse::<PetitionFolio>() {
        Ok(folio) => app.store.petition(folio).await?,
        Err(_) => None,
    };
    let expected = stored.as_ref().and_then(|p| p.access_digest);
    let typed = AccessCode::parse(code).map(|c| c.digest());
    let matches = constant_time_eq(&typed.unwrap_or([0xff; 32]), &expected.unwrap_or([0; 32]))
        && typed.is_some()
        && expected.is_some();
    let found = match stored.filter(|_| matches) {
        Some(p) => {
            let answer = app
                .store
                .handling(p.folio)
                .await?
                .and_then(|h| h.answer.zip(h.answered_on));
            Some(Status {
                folio: p.folio,
                kind: p.petition.kind,
                state: p.petition.state,
                received_at: p.petition.received_at,
                status: p.status,
                answer,
            })
        }
        None => None,
    };
    tokio::time::sleep_until(started + ANSWER_AFTER).await;
    Ok(found)
}
