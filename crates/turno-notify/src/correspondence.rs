//! Correspondence: an incoming turn given (told to its unit's people, or to its person and the
//! unit's titular), about to fall due and overdue (told to them and escalated to the people of
//! the unit that gave it), each once (`incoming_turn_notices`); and an outgoing document
//! awaiting a reviewer's visto bueno or its titular's signature, told once per version
//! (`outgoing_notices`). The preferences are those of case work: turned, due soon, overdue,
//! and the kind of their own for a document awaiting someone.

use crate::tell::{Round, email_of};
use crate::{NotifyError, Settings};
use askama::Template;
use std::collections::HashSet;
use turno_domain::calendar::Regime;
use turno_domain::correspondence::Instruction;
use turno_store::notifications::{
    About, AwaitingDocument, MailTo, NewNotification, NotificationBatch, NotificationKind,
    Notifications, Recipient, TurnNews, TurnNotice,
};

/// Turns and documents told per tick; more wait for the following ticks.
const BATCH: i64 = 200;

/// What stands for a restricted document's subject in what is told.
const WITHHELD: &str = "[Información clasificada]";

#[derive(Template)]
#[template(path = "correspondence.txt", escape = "none")]
struct Mail<'a> {
    name: &'a str,
    what: &'a str,
    subject: &'a str,
    summary: &'a str,
    base_url: &'a str,
    path: &'a str,
}

/// One thing to tell about a turn or a document, to whom it concerns.
struct Telling<'a> {
    kind: NotificationKind,
    about: About,
    dedup: String,
    /// The notification's subject line.
    subject: String,
    summary: String,
    /// «Documento CE-2026-000001», for the e-mail.
    what: &'a str,
    /// The document's subject (or that it is withheld), for the e-mail.
    document: &'a str,
    path: String,
    /// Who caused it: they are not told.
    actor: Option<&'a str>,
}

/// Adds a notification for each recipient not told in this telling yet, as they chose.
fn tell(
    telling: &Telling<'_>,
    recipients: Vec<Recipient>,
    told: &mut HashSet<i64>,
    round: &Round<'_>,
    batch: &mut NotificationBatch,
) -> Result<(), NotifyError> {
    for recipient in recipients {
        if Some(recipient.login.as_str()) == telling.actor || !told.insert(recipient.user_id) {
            continue;
        }
        let address = email_of(&recipient, round.email);
        if !recipient.in_app && address.is_none() {
            continue;
        }
        let email = match address {
            Some(address) => Some(MailTo {
                address,
                body: mail(telling, &recipient.name, round.settings)?,
            }),
            None => None,
        };
        batch.notifications.push(NewNotification {
            user_id: recipient.user_id,
            kind: telling.kind,
            about: telling.about.clone(),
            item: None,
            dedup: telling.dedup.clone(),
            subject: telling.subject.clone(),
            body: telling.summary.clone(),
            in_app: recipient.in_app,
            email,
        });
    }
    Ok(())
}

fn mail(telling: &Telling<'_>, name: &str, settings: &Settings) -> Result<String, askama::Error> {
    Mail {
        name,
        what: telling.what,
        subject: telling.document,
        summary: &telling.summary,
        base_url: settings.base_url.trim_end_matches('/'),
        path: &telling.path,
    }
    .render()
}

/// Who is told of a turn: its person and the titular of its unit (and whoever substitutes
/// them), or, turned to the whole unit, the people who work it.
async fn concerned<S: Notifications>(
    store: &S,
    news: &TurnNews,
    kind: NotificationKind,
    round: &Round<'_>,
) -> Result<Vec<Recipient>, NotifyError> {
    let today = round.ctx.today;
    Ok(match &news.person {
        Some(person) => {
            store
                .heads(Some(&news.unit), Some(person), kind, today)
                .await?
        }
        None => store.recipients(&news.unit, kind, today).await?,
    })
}

/// Tells what there is to tell of open incoming turns. Answers how many turns were told of
/// and how many notifications were new.
pub(crate) async fn turns<S: Notifications>(
    store: &S,
    round: &Round<'_>,
) -> Result<(usize, usize), NotifyError> {
    let ctx = round.ctx;
    // Counted on the administrative calendar, as the reminders of cases are.
    // No reminder days: no reminders (an empty range).
    let soon = match round.settings.reminder_days {
        0 => ctx.today.yesterday().unwrap_or(ctx.today),
        days => ctx
            .calendars
            .get(Regime::Lfpa)
            .add_business_days(ctx.today, i32::from(days))
            .unwrap_or(ctx.today),
    };
    let news = store.turns_to_tell(ctx.today, soon, BATCH).await?;
    if news.is_empty() {
        return Ok((0, 0));
    }
    let mut batch = NotificationBatch::default();
    for turn in &news {
        let document = if turn.restricted {
            WITHHELD
        } else {
            turn.subject.as_str()
        };
        let what = format!("Documento {}", turn.folio);
        let instruction = Instruction::from_code(&turn.instruction)
            .map_or_else(|| turn.instruction.clone(), |i| i.label().to_lowercase());
        let to = match &turn.person {
            Some(person) => format!("{} ({person})", turn.unit),
            None => turn.unit.clone(),
        };
        let due = turn.due.map(turno_domain::text::day);
        let path = format!("/correspondencia/{}", turn.folio);
        let about = About::Incoming(turn.folio.clone());
        let pending = |notice: TurnNotice| !turn.told.contains(&notice);
        if pending(TurnNotice::Turned) {
            batch
                .turn_notices
                .push((turn.turn, TurnNotice::Turned.code()));
            let telling = Telling {
                kind: NotificationKind::Turned,
                about: about.clone(),
                dedup: format!("turno:{}:turnado", turn.turn),
                subject: format!("Turnado a {to}: {} — {document}", turn.folio),
                summary: format!(
                    "{} turnó el documento a {to} {instruction}{}.",
                    turn.from_unit,
                    due.as_ref()
                        .map(|d| format!(", con plazo al {d}"))
                        .unwrap_or_default()
                ),
                what: &what,
                document,
                path: path.clone(),
                actor: Some(&turn.turned_by),
            };
            let recipients = concerned(store, turn, telling.kind, round).await?;
            tell(&telling, recipients, &mut HashSet::new(), round, &mut batch)?;
        }
        let Some(due_date) = turn.due else {
            continue;
        };
        let due = due.unwrap_or_default();
        if due_date >= ctx.today && due_date <= soon && pending(TurnNotice::DueSoon) {
            batch
                .turn_notices
                .push((turn.turn, TurnNotice::DueSoon.code()));
            let telling = Telling {
                kind: NotificationKind::DueSoon,
                about: about.clone(),
                dedup: format!("turno:{}:por_vencer", turn.turn),
                subject: format!("Por vencer el {due}: {} — {document}", turn.folio),
                summary: format!("El turno a {to} ({instruction}) vence el {due}."),
                what: &what,
                document,
                path: path.clone(),
                actor: None,
            };
            let recipients = concerned(store, turn, telling.kind, round).await?;
            tell(&telling, recipients, &mut HashSet::new(), round, &mut batch)?;
        }
        if due_date < ctx.today && pending(TurnNotice::Overdue) {
            batch
                .turn_notices
                .push((turn.turn, TurnNotice::Overdue.code()));
            let kind = NotificationKind::Overdue;
            let mut told = HashSet::new();
            let telling = Telling {
                kind,
                about: about.clone(),
                dedup: format!("turno:{}:vencido", turn.turn),
                subject: format!("Plazo vencido: {} — {document}", turn.folio),
                summary: format!("El turno a {to} ({instruction}) venció el {due} sin respuesta."),
                what: &what,
                document,
                path: path.clone(),
                actor: None,
            };
            let recipients = concerned(store, turn, kind, round).await?;
            tell(&telling, recipients, &mut told, round, &mut batch)?;
            // The escalation: the unit that gave the turn learns that it went unanswered.
            let escalation = Telling {
                subject: format!("Turno vencido en {to}: {} — {document}", turn.folio),
                summary: format!(
                    "El turno que {} dio a {to} ({instruction}) venció el {due} sin respuesta.",
                    turn.from_unit
                ),
                ..telling
            };
            let above = store.recipients(&turn.from_unit, kind, ctx.today).await?;
            tell(&escalation, above, &mut told, round, &mut batch)?;
        }
    }
    let new = store.record_notifications(&batch, ctx.now).await?;
    Ok((news.len(), new))
}

/// Tells the reviewer awaited, or the titular (and whoever substitutes them) once reviewed, or
/// with signers in order the one whose turn it is, that an outgoing document waits for them. Answers how many documents were told of and how
/// many notifications were new.
pub(crate) async fn awaiting<S: Notifications>(
    store: &S,
    round: &Round<'_>,
) -> Result<(usize, usize), NotifyError> {
    let ctx = round.ctx;
    let documents = store.outgoing_awaiting(BATCH).await?;
    if documents.is_empty() {
        return Ok((0, 0));
    }
    let mut batch = NotificationBatch::default();
    for document in &documents {
        batch.outgoing_notices.push((document.id, document.version));
        let AwaitingDocument {
            id,
            version,
            unit,
            subject,
            reviewer,
            signer,
            ..
        } = document;
        let (waits_for, recipients) = match (reviewer, signer) {
            (Some(login), _) => (
                "su visto bueno",
                store
                    .heads(None, Some(login), NotificationKind::Awaiting, ctx.today)
                    .await?,
            ),
            // Signers in order: the one whose turn it is.
            (None, Some(login)) if document.stage != "en_revision" => (
                "su firma",
                store
                    .heads(None, Some(login), NotificationKind::Awaiting, ctx.today)
                    .await?,
            ),
            (None, _) if document.stage == "visto_bueno" => (
                "su firma",
                store
                    .heads(Some(unit), None, NotificationKind::Awaiting, ctx.today)
                    .await?,
            ),
            // In review with no reviewer at its place: nobody to tell.
            _ => continue,
        };
        let what = format!("Documento de salida de {unit}");
        let telling = Telling {
            kind: NotificationKind::Awaiting,
            about: About::Outgoing(*id),
            dedup: format!("salida:{id}:v{version}"),
            subject: format!("Espera {waits_for}: {subject}"),
            summary: format!("El documento de salida de {unit} «{subject}» espera {waits_for}."),
            what: &what,
            document: subject,
            path: format!("/correspondencia/salida/{id}"),
            actor: None,
        };
        tell(&telling, recipients, &mut HashSet::new(), round, &mut batch)?;
    }
    let new = store.record_notifications(&batch, ctx.now).await?;
    Ok((documents.len(), new))
}
