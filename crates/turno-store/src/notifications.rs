//! What people are told, in the application and by e-mail: the rows and statements behind
//! `turno_notify`. The store keeps the queue of events worth telling (filled by a trigger in
//! the transaction that records them), the notifications, each person's choices, the
//! reminders already given and the outbox of e-mails. It decides nothing about who is told
//! what; `turno_notify` does.
//!
//! **Invariant:** each notification and each e-mail exists once per person: rows carry a key
//! unique per person (`dedup`) and are inserted with `ON CONFLICT DO NOTHING`, so processes
//! that race on the same queued event or reminder write it once.

use crate::error::StoreError;
use crate::model::CaseId;
use crate::record::Payload;
use jiff::civil::Date;
use std::fmt;
use std::str::FromStr;
use turno_domain::engine::Event;

/// What a notification is about. Stored by [`NotificationKind::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NotificationKind {
    /// Work was turned to one of the person's units.
    Turned,
    /// Work came back to one of the person's units for correction ("¿Procede? No").
    Returned,
    /// A due date is near.
    DueSoon,
    /// A due date passed with the work still open.
    Overdue,
    /// The daily digest of the person's open work (by e-mail only).
    Digest,
    /// An outgoing document awaits the person's visto bueno, or their signature as titular.
    Awaiting,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 6] = [
        NotificationKind::Turned,
        NotificationKind::Returned,
        NotificationKind::DueSoon,
        NotificationKind::Overdue,
        NotificationKind::Awaiting,
        NotificationKind::Digest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Turned => "turned",
            NotificationKind::Returned => "returned",
            NotificationKind::DueSoon => "due_soon",
            NotificationKind::Overdue => "overdue",
            NotificationKind::Digest => "digest",
            NotificationKind::Awaiting => "awaiting",
        }
    }

    /// Its name for people, in Spanish.
    pub fn label(self) -> &'static str {
        match self {
            NotificationKind::Turned => "Asunto turnado a su unidad",
            NotificationKind::Returned => "Asunto devuelto para corrección",
            NotificationKind::DueSoon => "Plazo por vencer",
            NotificationKind::Overdue => "Plazo vencido",
            NotificationKind::Digest => "Resumen diario",
            NotificationKind::Awaiting => "Documento en espera de su visto bueno o firma",
        }
    }

    /// Whether the application can show it (the digest is an e-mail).
    pub fn shown_in_app(self) -> bool {
        self != NotificationKind::Digest
    }
}

impl fmt::Display for NotificationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for NotificationKind {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NotificationKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| StoreError::corrupt(format!("unknown notification kind «{s}»")))
    }
}

/// An event waiting to be told, with its case.
#[derive(Debug, Clone)]
pub struct QueuedEvent {
    pub event_id: i64,
    pub case_id: CaseId,
    pub folio: String,
    pub title: String,
    pub procedure_key: String,
    pub procedure_version: u32,
    /// Who ran the command that recorded it (they need not be told what they did).
    pub actor: String,
    pub event: Event,
}

/// A work item as the inbox knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemContext {
    /// The activity's number in its procedure ("2.1").
    pub activity: String,
    pub due: Option<Date>,
    /// The units it is turned to.
    pub units: Vec<String>,
    /// An earlier work item of the same activity was done: the work came back.
    pub returned: bool,
    pub open: bool,
}

/// Someone who may be told, with what they chose for one kind of notification.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Recipient {
    pub user_id: i64,
    pub login: String,
    pub name: String,
    pub email: Option<String>,
    pub in_app: bool,
    pub by_email: bool,
}

/// What a notification is about: a case, a citizen petition (by its folio) that has no case
/// yet (one filed through the public mailbox), an incoming document (by its folio, for its
/// turns) or an outgoing one (by its id, awaiting a visto bueno or a signature).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum About {
    Case(CaseId),
    Petition(String),
    Incoming(String),
    Outgoing(i64),
}

/// Which kind of thing a stored notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Regarding {
    Case,
    Petition,
    Incoming,
    Outgoing,
}

/// A notification to record, and the e-mail that goes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub user_id: i64,
    pub kind: NotificationKind,
    pub about: About,
    pub item: Option<u32>,
    /// Unique per person: the same notification is never recorded twice.
    pub dedup: String,
    pub subject: String,
    pub body: String,
    /// Shown in the application (otherwise only the e-mail is sent).
    pub in_app: bool,
    /// The e-mail, when the person wants it by e-mail.
    pub email: Option<MailTo>,
}

/// A notification's e-mail: where to, and its text (the subject is the notification's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailTo {
    pub address: String,
    pub body: String,
}

/// An e-mail that is not a notification's (the digest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    pub dedup: String,
    pub user_id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

impl NewMail {
    pub(crate) fn outgoing(&self) -> Outgoing<'_> {
        Outgoing {
            dedup: &self.dedup,
            user_id: self.user_id,
            recipient: &self.recipient,
            subject: &self.subject,
            body: &self.body,
        }
    }
}

/// An e-mail as it goes into the outbox, borrowed from what the caller holds (a
/// notification's, a digest, a petition's answer); `dedup` keeps it there once.
pub(crate) struct Outgoing<'a> {
    pub dedup: &'a str,
    pub user_id: i64,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// What one pass of the notifier writes, in one transaction.
#[derive(Debug, Clone, Default)]
pub struct NotificationBatch {
    /// Queued events now told: they leave the queue.
    pub told: Vec<i64>,
    /// Due dates reminded of: (case, item, due date).
    pub reminded: Vec<(CaseId, u32, Date)>,
    /// Notices of incoming turns given: (turn, `TurnNotice::code`).
    pub turn_notices: Vec<(i64, &'static str)>,
    /// Outgoing documents told as awaiting someone: (document, version).
    pub outgoing_notices: Vec<(i64, i64)>,
    pub notifications: Vec<NewNotification>,
    pub mails: Vec<NewMail>,
}

/// A notification as the person sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub kind: NotificationKind,
    /// The folio of the case, petition or incoming document it is about, or the outgoing
    /// document's id.
    pub folio: String,
    pub regarding: Regarding,
    pub subject: String,
    pub body: String,
    pub created_at: String,
    pub read: bool,
}

#[derive(sqlx::FromRow)]
pub(crate) struct NotificationRow {
    id: i64,
    kind: String,
    folio: String,
    regarding: String,
    subject: String,
    body: String,
    created_at: String,
    read_at: Option<String>,
}

impl TryFrom<NotificationRow> for Notification {
    type Error = StoreError;

    fn try_from(r: NotificationRow) -> Result<Notification, StoreError> {
        Ok(Notification {
            id: r.id,
            kind: r.kind.parse()?,
            folio: r.folio,
            regarding: match r.regarding.as_str() {
                "case" => Regarding::Case,
                "petition" => Regarding::Petition,
                "incoming" => Regarding::Incoming,
                "outgoing" => Regarding::Outgoing,
                other => {
                    return Err(StoreError::corrupt(format!(
                        "notification {} about «{other}»",
                        r.id
                    )));
                }
            },
            subject: r.subject,
            body: r.body,
            created_at: r.created_at,
            read: r.read_at.is_some(),
        })
    }
}

/// What a person chose for one kind of notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preference {
    pub kind: NotificationKind,
    pub in_app: bool,
    pub email: bool,
}

/// An e-mail claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Mail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// Open work whose due date is near and was not reminded of yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    pub case_id: CaseId,
    pub folio: String,
    pub title: String,
    pub procedure_key: String,
    pub procedure_version: u32,
    pub item: u32,
    pub activity: String,
    pub due: Date,
    pub units: Vec<String>,
}

/// Someone owed today's digest: they want it, have an address and open work in their units.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DigestRecipient {
    pub user_id: i64,
    pub login: String,
    pub name: String,
    pub email: String,
}

/// What is told of an incoming turn, once each (`incoming_turn_notices`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TurnNotice {
    /// It was given: its unit's people (or its person) are told.
    Turned,
    /// Its due date is near.
    DueSoon,
    /// Its due date passed with it open: told, and escalated to the unit that gave it.
    Overdue,
}

impl TurnNotice {
    pub fn code(self) -> &'static str {
        match self {
            TurnNotice::Turned => "turned",
            TurnNotice::DueSoon => "due_soon",
            TurnNotice::Overdue => "overdue",
        }
    }
}

/// An open incoming turn with something not told yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnNews {
    pub turn: i64,
    /// The document's folio (`CE-2026-000001`).
    pub folio: String,
    pub subject: String,
    /// The document is reservada or confidencial: its subject is not told.
    pub restricted: bool,
    pub from_unit: String,
    pub unit: String,
    pub person: Option<String>,
    /// The instruction's code (`atencion`).
    pub instruction: String,
    pub due: Option<Date>,
    pub turned_by: String,
    /// What was told already.
    pub told: Vec<TurnNotice>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct TurnNewsRow {
    id: i64,
    folio_year: i64,
    folio_number: i64,
    subject: String,
    classification: String,
    from_unit: String,
    unit: String,
    person: Option<String>,
    instruction: String,
    due_date: Option<String>,
    turned_by: String,
    turned: bool,
    due_soon: bool,
    overdue: bool,
}

impl TryFrom<TurnNewsRow> for TurnNews {
    type Error = StoreError;

    fn try_from(r: TurnNewsRow) -> Result<TurnNews, StoreError> {
        let folio = crate::correspondence::incoming::folio_of(r.folio_year, r.folio_number)?;
        let classification =
            turno_domain::correspondence::Classification::from_code(&r.classification)
                .ok_or_else(|| StoreError::corrupt(format!("incoming {folio}: classification")))?;
        let told = [
            (r.turned, TurnNotice::Turned),
            (r.due_soon, TurnNotice::DueSoon),
            (r.overdue, TurnNotice::Overdue),
        ]
        .into_iter()
        .filter_map(|(done, notice)| done.then_some(notice))
        .collect();
        Ok(TurnNews {
            turn: r.id,
            folio: folio.to_string(),
            subject: r.subject,
            restricted: classification.is_restricted(),
            from_unit: r.from_unit,
            unit: r.unit,
            person: r.person,
            instruction: r.instruction,
            due: r.due_date.as_deref().map(parse_date).transpose()?,
            turned_by: r.turned_by,
            told,
        })
    }
}

/// An outgoing document awaiting a reviewer's visto bueno (`reviewer`) or, with it, its
/// titular's signature, not told yet in its current version.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AwaitingDocument {
    pub id: i64,
    pub version: i64,
    /// `en_revision` or `visto_bueno`, or `borrador` for one without reviewers whose signers
    /// in order (migration 0036) may sign it now.
    pub stage: String,
    pub unit: String,
    pub subject: String,
    /// The reviewer awaited, in review.
    pub reviewer: Option<String>,
    /// The signer awaited, of a document with signers in order.
    pub signer: Option<String>,
}

/// After this many failed attempts an e-mail is left unsent (and stays in the outbox, with
/// its last error, for the administrator).
pub const MAX_MAIL_ATTEMPTS: i64 = 8;

/// The people a notification of kind `$2` goes to on day `$3`, with their preferences for it
/// (`$4` whether it shows in the application where they have not said): the active users who
/// are of unit `$1` with one of `roles`, or its delegates that day, or whom `or` also takes
/// (a condition followed by `OR`, or nothing).
pub(crate) fn recipients_sql(roles: &str, or: &str) -> String {
    format!(
        "SELECT u.id AS user_id, u.login, u.name, u.email, \
         COALESCE(p.in_app, $4) AS in_app, COALESCE(p.email, TRUE) AS by_email \
         FROM users u LEFT JOIN notification_preferences p \
         ON p.user_id = u.id AND p.kind = $2 \
         WHERE u.active AND ({or}u.id IN (SELECT m.user_id FROM memberships m \
         JOIN units un ON un.id = m.unit_id WHERE un.code = $1 AND m.role IN ({roles})) \
         OR u.id IN (SELECT d.delegate_id FROM delegations d \
         JOIN units un ON un.id = d.unit_id WHERE un.code = $1 \
         AND d.revoked_at IS NULL AND d.starts_on <= $3 AND d.ends_on >= $3)) \
         ORDER BY u.login"
    )
}

store_trait! {
    /// The notifications' statements, for both backends.
    pub trait Notifications: Send + Sync {
        /// Claims up to `limit` queued events that nobody holds, for `lease` seconds from `now`
        /// (seconds since the epoch), oldest first.
        async fn claim_queued_events(
            &self,
            now: i64,
            lease: i64,
            limit: i64,
        ) -> Result<Vec<QueuedEvent>, StoreError>;

        /// A work item's activity, due date, units and whether it came back.
        async fn item_context(
            &self,
            case_id: CaseId,
            item: u32,
        ) -> Result<Option<ItemContext>, StoreError>;

        /// The active people who work a unit's cases on `on` (its titular, operators and
        /// liaisons, and whoever substitutes its titular), with their choices for `kind`.
        async fn recipients(
            &self,
            unit: &str,
            kind: NotificationKind,
            on: Date,
        ) -> Result<Vec<Recipient>, StoreError>;

        /// Writes a batch in one transaction: notifications and e-mails not recorded before,
        /// reminders, and the told events out of the queue. Answers how many notifications were
        /// new.
        async fn record_notifications(
            &self,
            batch: &NotificationBatch,
            at: jiff::Timestamp,
        ) -> Result<usize, StoreError>;

        /// Open work due from `from` to `to` (both included) not reminded of for that due date.
        async fn due_unreminded(
            &self,
            from: Date,
            to: Date,
            limit: i64,
        ) -> Result<Vec<DueItem>, StoreError>;

        /// A person's notifications, newest first.
        async fn notifications(
            &self,
            user_id: i64,
            limit: i64,
            offset: i64,
        ) -> Result<Vec<Notification>, StoreError>;

        async fn count_notifications(&self, user_id: i64) -> Result<i64, StoreError>;

        async fn unread_notifications(&self, user_id: i64) -> Result<i64, StoreError>;

        /// Marks some (or, with `None`, all) of a person's notifications read.
        async fn mark_notifications_read(
            &self,
            user_id: i64,
            ids: Option<&[i64]>,
            at: jiff::Timestamp,
        ) -> Result<u64, StoreError>;

        /// A person's choices for every kind (defaults where they chose nothing).
        async fn preferences(&self, user_id: i64) -> Result<Vec<Preference>, StoreError>;

        async fn set_preferences(
            &self,
            user_id: i64,
            preferences: &[Preference],
        ) -> Result<(), StoreError>;

        /// Claims up to `limit` e-mails to send, for `lease` seconds from `now`.
        async fn claim_mail(
            &self,
            now: i64,
            lease: i64,
            limit: i64,
        ) -> Result<Vec<Mail>, StoreError>;

        async fn mail_sent(&self, id: i64, at: jiff::Timestamp) -> Result<(), StoreError>;

        /// Records a failed attempt; the e-mail may be claimed again from `retry_at`.
        async fn mail_failed(&self, id: i64, error: &str, retry_at: i64) -> Result<(), StoreError>;

        /// People who want a digest by e-mail and have not got the one of `day` (`dedup`
        /// `digest:{user}:{day}`).
        async fn digest_recipients(&self, day: Date) -> Result<Vec<DigestRecipient>, StoreError>;

        /// The active titulars of `unit`, whoever substitutes them on `on`, and the person
        /// `person` (a login), with their choices for `kind`.
        async fn heads(
            &self,
            unit: Option<&str>,
            person: Option<&str>,
            kind: NotificationKind,
            on: Date,
        ) -> Result<Vec<Recipient>, StoreError>;

        /// Open incoming turns not told of yet: given, due from `today` to `soon` (both
        /// included), or due before `today`; the oldest first, at most `limit`.
        async fn turns_to_tell(
            &self,
            today: Date,
            soon: Date,
            limit: i64,
        ) -> Result<Vec<TurnNews>, StoreError>;

        /// Outgoing documents awaiting a visto bueno or a signature, not told of in their
        /// current version; at most `limit`.
        async fn outgoing_awaiting(&self, limit: i64) -> Result<Vec<AwaitingDocument>, StoreError>;
    }
}

/// The key of a person's digest of one day in the outbox.
pub fn digest_key(user_id: i64, day: Date) -> String {
    format!("digest:{user_id}:{day}")
}

#[derive(sqlx::FromRow)]
pub(crate) struct QueuedRow {
    pub event_id: i64,
    pub case_id: i64,
    pub folio: String,
    pub title: String,
    pub procedure_key: String,
    pub procedure_version: i64,
    pub actor: String,
    pub seq: i64,
    pub payload: String,
    pub schema_version: i64,
}

impl TryFrom<QueuedRow> for QueuedEvent {
    type Error = StoreError;

    fn try_from(r: QueuedRow) -> Result<QueuedEvent, StoreError> {
        Ok(QueuedEvent {
            event_id: r.event_id,
            case_id: r.case_id,
            title: r.title,
            procedure_key: r.procedure_key,
            procedure_version: u32::try_from(r.procedure_version).map_err(StoreError::corrupt)?,
            actor: r.actor,
            event: Payload {
                version: r.schema_version,
                text: r.payload,
            }
            .event()
            .map_err(|source| StoreError::Event {
                folio: r.folio.clone(),
                seq: r.seq,
                source,
            })?,
            folio: r.folio,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct DueRow {
    pub case_id: i64,
    pub folio: String,
    pub title: String,
    pub procedure_key: String,
    pub procedure_version: i64,
    pub item: i64,
    pub activity: String,
    pub due: String,
}

pub(crate) fn parse_date(text: &str) -> Result<Date, StoreError> {
    text.parse().map_err(StoreError::corrupt)
}

pub(crate) fn item_number(item: i64) -> Result<u32, StoreError> {
    u32::try_from(item).map_err(StoreError::corrupt)
}

/// The preferences a person has, completed with the defaults (everything on).
pub(crate) fn with_defaults(
    stored: Vec<(String, bool, bool)>,
) -> Result<Vec<Preference>, StoreError> {
    let mut all: Vec<Preference> = NotificationKind::ALL
        .into_iter()
        .map(|kind| Preference {
            kind,
            in_app: kind.shown_in_app(),
            email: true,
        })
        .collect();
    for (kind, in_app, email) in stored {
        let kind: NotificationKind = kind.parse()?;
        if let Some(p) = all.iter_mut().find(|p| p.kind == kind) {
            p.in_app = in_app && kind.shown_in_app();
            p.email = email;
        }
    }
    Ok(all)
}

macro_rules! notification_sql {
    ($store:ty, $db:ty) => {
        impl $crate::notifications::Notifications for $store {
            async fn claim_queued_events(
                &self,
                now: i64,
                lease: i64,
                limit: i64,
            ) -> Result<Vec<$crate::notifications::QueuedEvent>, $crate::StoreError> {
                // The claim re-checks its condition on the row it updates, so of two processes
                // claiming at once only one gets each event (PostgreSQL re-evaluates the WHERE
                // after waiting for the other's update; SQLite has one writer).
                let mut tx = self.begin_write().await?;
                let ids: Vec<i64> = sqlx::query_scalar(
                    "UPDATE notification_queue SET claimed_until = $1 WHERE event_id IN \
                     (SELECT event_id FROM notification_queue WHERE claimed_until IS NULL \
                     OR claimed_until < $2 ORDER BY event_id LIMIT $3) \
                     AND (claimed_until IS NULL OR claimed_until < $2) RETURNING event_id",
                )
                .bind(now + lease)
                .bind(now)
                .bind(limit)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                let mut events = Vec::with_capacity(ids.len());
                for id in ids {
                    let row: Option<$crate::notifications::QueuedRow> = sqlx::query_as(
                        "SELECT e.id AS event_id, e.case_id, c.folio, c.title, c.procedure_key, \
                         c.procedure_version, e.actor, e.seq, e.payload, e.schema_version \
                         FROM events e \
                         JOIN cases c ON c.id = e.case_id WHERE e.id = $1",
                    )
                    .bind(id)
                    .fetch_optional(&self.reader)
                    .await?;
                    match row {
                        Some(row) => events.push(row.try_into()?),
                        // Removed behind Turno's back (`turno verify` reports it): nothing to tell.
                        None => {
                            let mut tx = self.begin_write().await?;
                            sqlx::query("DELETE FROM notification_queue WHERE event_id = $1")
                                .bind(id)
                                .execute(&mut *tx)
                                .await?;
                            tx.commit().await?;
                        }
                    }
                }
                Ok(events)
            }

            async fn item_context(
                &self,
                case_id: $crate::CaseId,
                item: u32,
            ) -> Result<Option<$crate::notifications::ItemContext>, $crate::StoreError> {
                let row: Option<(String, Option<String>, String)> = sqlx::query_as(
                    "SELECT activity, due, state FROM work_items WHERE case_id = $1 AND item = $2",
                )
                .bind(case_id)
                .bind(i64::from(item))
                .fetch_optional(&self.reader)
                .await?;
                let Some((activity, due, state)) = row else {
                    return Ok(None);
                };
                let units = self.units_of_item(case_id, i64::from(item)).await?;
                let returned: Option<i64> = sqlx::query_scalar(
                    "SELECT item FROM work_items WHERE case_id = $1 AND activity = $2 \
                     AND item < $3 AND state = 'done' LIMIT 1",
                )
                .bind(case_id)
                .bind(&activity)
                .bind(i64::from(item))
                .fetch_optional(&self.reader)
                .await?;
                Ok(Some($crate::notifications::ItemContext {
                    activity,
                    due: due
                        .as_deref()
                        .map($crate::notifications::parse_date)
                        .transpose()?,
                    units,
                    returned: returned.is_some(),
                    open: state == "open",
                }))
            }

            async fn recipients(
                &self,
                unit: &str,
                kind: $crate::notifications::NotificationKind,
                on: jiff::civil::Date,
            ) -> Result<Vec<$crate::notifications::Recipient>, $crate::StoreError> {
                let default_in_app = kind.shown_in_app();
                Ok(sqlx::query_as(&$crate::notifications::recipients_sql(
                    "'titular', 'operador', 'enlace_externo'",
                    "",
                ))
                .bind(unit)
                .bind(kind.as_str())
                .bind(on.to_string())
                .bind(default_in_app)
                .fetch_all(&self.reader)
                .await?)
            }

            async fn record_notifications(
                &self,
                batch: &$crate::notifications::NotificationBatch,
                at: jiff::Timestamp,
            ) -> Result<usize, $crate::StoreError> {
                let at = at.to_string();
                let mut tx = self.begin_write().await?;
                let mut new = 0;
                for n in &batch.notifications {
                    // A notification only e-mailed is still recorded (read), so that its
                    // key keeps it from being sent twice.
                    let read_at = (!n.in_app).then_some(at.as_str());
                    use $crate::notifications::About;
                    let (case_id, petition, incoming, outgoing) = match &n.about {
                        About::Case(id) => (Some(*id), None, None, None),
                        About::Petition(folio) => (None, Some(folio), None, None),
                        About::Incoming(folio) => (None, None, Some(folio), None),
                        About::Outgoing(id) => (None, None, None, Some(*id)),
                    };
                    let inserted = sqlx::query(
                        "INSERT INTO notifications (user_id, kind, case_id, petition, item, dedup, \
                         subject, body, created_at, read_at, incoming, outgoing) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                         ON CONFLICT (user_id, dedup) DO NOTHING",
                    )
                    .bind(n.user_id)
                    .bind(n.kind.as_str())
                    .bind(case_id)
                    .bind(petition)
                    .bind(n.item.map(i64::from))
                    .bind(&n.dedup)
                    .bind(&n.subject)
                    .bind(&n.body)
                    .bind(&at)
                    .bind(read_at)
                    .bind(incoming)
                    .bind(outgoing)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if inserted == 0 {
                        continue;
                    }
                    new += 1;
                    if let Some(mail) = &n.email {
                        let dedup = format!("n:{}:{}", n.user_id, n.dedup);
                        let outgoing = $crate::notifications::Outgoing {
                            dedup: &dedup,
                            user_id: n.user_id,
                            recipient: &mail.address,
                            subject: &n.subject,
                            body: &mail.body,
                        };
                        Self::enqueue_mail_on(&mut tx, outgoing, &at).await?;
                    }
                }
                for m in &batch.mails {
                    Self::enqueue_mail_on(&mut tx, m.outgoing(), &at).await?;
                }
                for (case_id, item, due) in &batch.reminded {
                    sqlx::query(
                        "INSERT INTO reminders (case_id, item, due) VALUES ($1, $2, $3) \
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(case_id)
                    .bind(i64::from(*item))
                    .bind(due.to_string())
                    .execute(&mut *tx)
                    .await?;
                }
                for (turn, kind) in &batch.turn_notices {
                    sqlx::query(
                        "INSERT INTO incoming_turn_notices (turn_id, kind, noticed_at) \
                         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    )
                    .bind(turn)
                    .bind(*kind)
                    .bind(&at)
                    .execute(&mut *tx)
                    .await?;
                }
                for (document, version) in &batch.outgoing_notices {
                    sqlx::query(
                        "INSERT INTO outgoing_notices (document_id, version, noticed_at) \
                         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    )
                    .bind(document)
                    .bind(version)
                    .bind(&at)
                    .execute(&mut *tx)
                    .await?;
                }
                for event_id in &batch.told {
                    sqlx::query("DELETE FROM notification_queue WHERE event_id = $1")
                        .bind(event_id)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(new)
            }

            async fn due_unreminded(
                &self,
                from: jiff::civil::Date,
                to: jiff::civil::Date,
                limit: i64,
            ) -> Result<Vec<$crate::notifications::DueItem>, $crate::StoreError> {
                let rows: Vec<$crate::notifications::DueRow> = sqlx::query_as(
                    "SELECT w.case_id, c.folio, c.title, c.procedure_key, c.procedure_version, \
                     w.item, w.activity, w.due FROM work_items w JOIN cases c ON c.id = w.case_id \
                     WHERE w.state = 'open' AND w.due >= $1 AND w.due <= $2 AND NOT EXISTS \
                     (SELECT 1 FROM reminders r WHERE r.case_id = w.case_id AND r.item = w.item \
                     AND r.due = w.due) ORDER BY w.due, w.case_id, w.item LIMIT $3",
                )
                .bind(from.to_string())
                .bind(to.to_string())
                .bind(limit)
                .fetch_all(&self.reader)
                .await?;
                let mut items = Vec::with_capacity(rows.len());
                for r in rows {
                    let units = self.units_of_item(r.case_id, r.item).await?;
                    items.push($crate::notifications::DueItem {
                        case_id: r.case_id,
                        folio: r.folio,
                        title: r.title,
                        procedure_key: r.procedure_key,
                        procedure_version: u32::try_from(r.procedure_version)
                            .map_err($crate::StoreError::corrupt)?,
                        item: $crate::notifications::item_number(r.item)?,
                        activity: r.activity,
                        due: $crate::notifications::parse_date(&r.due)?,
                        units,
                    });
                }
                Ok(items)
            }

            async fn notifications(
                &self,
                user_id: i64,
                limit: i64,
                offset: i64,
            ) -> Result<Vec<$crate::notifications::Notification>, $crate::StoreError> {
                let rows: Vec<$crate::notifications::NotificationRow> = sqlx::query_as(
                    "SELECT n.id, n.kind, \
                     COALESCE(c.folio, n.petition, n.incoming, CAST(n.outgoing AS TEXT)) AS folio, \
                     CASE WHEN n.case_id IS NOT NULL THEN 'case' \
                     WHEN n.petition IS NOT NULL THEN 'petition' \
                     WHEN n.incoming IS NOT NULL THEN 'incoming' ELSE 'outgoing' END AS regarding, \
                     n.subject, n.body, n.created_at, \
                     n.read_at FROM notifications n LEFT JOIN cases c ON c.id = n.case_id \
                     WHERE n.user_id = $1 \
                     ORDER BY n.id DESC LIMIT $2 OFFSET $3",
                )
                .bind(user_id)
                .bind(limit)
                .bind(offset)
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn count_notifications(&self, user_id: i64) -> Result<i64, $crate::StoreError> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) FROM notifications WHERE user_id = $1",
                )
                .bind(user_id)
                .fetch_one(&self.reader)
                .await?)
            }

            async fn unread_notifications(&self, user_id: i64) -> Result<i64, $crate::StoreError> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
                )
                .bind(user_id)
                .fetch_one(&self.reader)
                .await?)
            }

            async fn mark_notifications_read(
                &self,
                user_id: i64,
                ids: Option<&[i64]>,
                at: jiff::Timestamp,
            ) -> Result<u64, $crate::StoreError> {
                let at = at.to_string();
                let mut tx = self.begin_write().await?;
                let mut marked = 0;
                match ids {
                    None => {
                        marked = sqlx::query(
                            "UPDATE notifications SET read_at = $1 \
                             WHERE user_id = $2 AND read_at IS NULL",
                        )
                        .bind(&at)
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    }
                    Some(ids) => {
                        for id in ids {
                            marked += sqlx::query(
                                "UPDATE notifications SET read_at = $1 \
                                 WHERE id = $2 AND user_id = $3 AND read_at IS NULL",
                            )
                            .bind(&at)
                            .bind(id)
                            .bind(user_id)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected();
                        }
                    }
                }
                tx.commit().await?;
                Ok(marked)
            }

            async fn preferences(
                &self,
                user_id: i64,
            ) -> Result<Vec<$crate::notifications::Preference>, $crate::StoreError> {
                let stored: Vec<(String, bool, bool)> = sqlx::query_as(
                    "SELECT kind, in_app, email FROM notification_preferences WHERE user_id = $1",
                )
                .bind(user_id)
                .fetch_all(&self.reader)
                .await?;
                $crate::notifications::with_defaults(stored)
            }

            async fn set_preferences(
                &self,
                user_id: i64,
                preferences: &[$crate::notifications::Preference],
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                for p in preferences {
                    sqlx::query(
                        "INSERT INTO notification_preferences (user_id, kind, in_app, email) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, kind) \
                         DO UPDATE SET in_app = excluded.in_app, email = excluded.email",
                    )
                    .bind(user_id)
                    .bind(p.kind.as_str())
                    .bind(p.in_app && p.kind.shown_in_app())
                    .bind(p.email)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn claim_mail(
                &self,
                now: i64,
                lease: i64,
                limit: i64,
            ) -> Result<Vec<$crate::notifications::Mail>, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let mails = sqlx::query_as(
                    "UPDATE mail_outbox SET claimed_until = $1, attempts = attempts + 1 \
                     WHERE id IN (SELECT id FROM mail_outbox WHERE sent_at IS NULL \
                     AND attempts < $4 AND (claimed_until IS NULL OR claimed_until < $2) \
                     ORDER BY id LIMIT $3) \
                     AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $2) \
                     RETURNING id, recipient, subject, body, attempts",
                )
                .bind(now + lease)
                .bind(now)
                .bind(limit)
                .bind($crate::notifications::MAX_MAIL_ATTEMPTS)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(mails)
            }

            async fn mail_sent(&self, id: i64, at: jiff::Timestamp) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query("UPDATE mail_outbox SET sent_at = $1, last_error = NULL WHERE id = $2")
                    .bind(at.to_string())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn mail_failed(
                &self,
                id: i64,
                error: &str,
                retry_at: i64,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "UPDATE mail_outbox SET last_error = $1, claimed_until = $2 WHERE id = $3",
                )
                .bind(error)
                .bind(retry_at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn heads(
                &self,
                unit: Option<&str>,
                person: Option<&str>,
                kind: $crate::notifications::NotificationKind,
                on: jiff::civil::Date,
            ) -> Result<Vec<$crate::notifications::Recipient>, $crate::StoreError> {
                self.heads_impl(unit, person, kind, on).await
            }

            async fn turns_to_tell(
                &self,
                today: jiff::civil::Date,
                soon: jiff::civil::Date,
                limit: i64,
            ) -> Result<Vec<$crate::notifications::TurnNews>, $crate::StoreError> {
                const TOLD: &str = "SELECT 1 FROM incoming_turn_notices n WHERE n.turn_id = t.id \
                     AND n.kind = ";
                let rows: Vec<$crate::notifications::TurnNewsRow> = sqlx::query_as(&format!(
                    "SELECT t.id, t.folio_year, t.folio_number, d.subject, d.classification, \
                     t.from_unit, t.unit, t.person, t.instruction, t.due_date, t.turned_by, \
                     EXISTS ({TOLD}'turned') AS turned, EXISTS ({TOLD}'due_soon') AS due_soon, \
                     EXISTS ({TOLD}'overdue') AS overdue \
                     FROM incoming_turns t JOIN incoming_documents d \
                     ON d.folio_year = t.folio_year AND d.folio_number = t.folio_number \
                     WHERE t.status = 'abierto' AND (NOT EXISTS ({TOLD}'turned') \
                     OR (t.due_date >= $1 AND t.due_date <= $2 AND NOT EXISTS ({TOLD}'due_soon')) \
                     OR (t.due_date < $1 AND NOT EXISTS ({TOLD}'overdue'))) \
                     ORDER BY t.id LIMIT $3"
                ))
                .bind(today.to_string())
                .bind(soon.to_string())
                .bind(limit)
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn outgoing_awaiting(
                &self,
                limit: i64,
            ) -> Result<Vec<$crate::notifications::AwaitingDocument>, $crate::StoreError> {
                Ok(sqlx::query_as(
                    "SELECT d.id, d.version, d.stage, u.code AS unit, d.subject, \
                     r.login AS reviewer, s.login AS signer \
                     FROM outgoing_documents d JOIN units u ON u.id = d.unit_id \
                     LEFT JOIN outgoing_reviewers r ON r.document_id = d.id \
                     AND r.ordinal = d.review_at AND d.stage = 'en_revision' \
                     LEFT JOIN outgoing_signers s ON s.document_id = d.id \
                     AND s.ordinal = (SELECT COUNT(*) FROM outgoing_signatures g \
                     WHERE g.document_id = d.id) AND d.number_n IS NULL \
                     WHERE (d.stage IN ('en_revision', 'visto_bueno') \
                     OR (d.stage = 'borrador' AND s.login IS NOT NULL AND NOT EXISTS \
                     (SELECT 1 FROM outgoing_reviewers v WHERE v.document_id = d.id))) AND NOT EXISTS \
                     (SELECT 1 FROM outgoing_notices n WHERE n.document_id = d.id \
                     AND n.version = d.version) ORDER BY d.id LIMIT $1",
                )
                .bind(limit)
                .fetch_all(&self.reader)
                .await?)
            }

            async fn digest_recipients(
                &self,
                day: jiff::civil::Date,
            ) -> Result<Vec<$crate::notifications::DigestRecipient>, $crate::StoreError> {
                Ok(sqlx::query_as(
                    "SELECT u.id AS user_id, u.login, u.name, u.email FROM users u \
                     LEFT JOIN notification_preferences p ON p.user_id = u.id AND p.kind = 'digest' \
                     WHERE u.active AND u.email IS NOT NULL AND u.email <> '' \
                     AND COALESCE(p.email, TRUE) \
                     AND EXISTS (SELECT 1 FROM memberships m JOIN units un ON un.id = m.unit_id \
                     JOIN work_item_units w ON w.unit_code = un.code AND w.open \
                     WHERE m.user_id = u.id) \
                     AND NOT EXISTS (SELECT 1 FROM mail_outbox o WHERE o.dedup = \
                     'digest:' || CAST(u.id AS TEXT) || ':' || $1) \
                     ORDER BY u.id",
                )
                .bind(day.to_string())
                .fetch_all(&self.reader)
                .await?)
            }
        }

        impl $store {
            async fn heads_impl(
                &self,
                unit: Option<&str>,
                person: Option<&str>,
                kind: $crate::notifications::NotificationKind,
                on: jiff::civil::Date,
            ) -> Result<Vec<$crate::notifications::Recipient>, $crate::StoreError> {
                Ok(sqlx::query_as(&$crate::notifications::recipients_sql(
                    "'titular'",
                    "u.login = $5 OR ",
                ))
                .bind(unit)
                .bind(kind.as_str())
                .bind(on.to_string())
                .bind(kind.shown_in_app())
                .bind(person)
                .fetch_all(&self.reader)
                .await?)
            }

            /// The units a work item is turned to.
            async fn units_of_item(
                &self,
                case_id: $crate::CaseId,
                item: i64,
            ) -> Result<Vec<String>, $crate::StoreError> {
                Ok(sqlx::query_scalar(
                    "SELECT unit_code FROM work_item_units WHERE case_id = $1 AND item = $2 \
                     ORDER BY unit_code",
                )
                .bind(case_id)
                .bind(item)
                .fetch_all(&self.reader)
                .await?)
            }

            async fn enqueue_mail_on(
                tx: &mut sqlx::Transaction<'static, $db>,
                mail: $crate::notifications::Outgoing<'_>,
                at: &str,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO mail_outbox (dedup, user_id, recipient, subject, body, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dedup) DO NOTHING",
                )
                .bind(mail.dedup)
                .bind(mail.user_id)
                .bind(mail.recipient)
                .bind(mail.subject)
                .bind(mail.body)
                .bind(at)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use notification_sql;
