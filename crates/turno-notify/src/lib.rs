//! What people are told, and how: notifications in the application and by e-mail when work is
//! turned or returned to their unit, is about to expire or expired, and a daily digest of
//! their open work; the same for correspondence turned to their unit or to them (an overdue
//! turn escalated to the unit that gave it), and an outgoing document awaiting their visto
//! bueno or signature (`correspondence.rs`).
//!
//! The scheduler of every `turno serve` process calls [`Notifier::tick`]. The store queues the
//! events worth telling in the transaction that records them; a tick claims them, works out
//! who is told what (members of the units the work is turned to, and whoever substitutes
//! their titular, each as they chose), writes the notifications and the e-mails to send in one
//! transaction, and sends what the outbox holds over SMTP.
//!
//! **Invariant:** each notification and each e-mail is recorded once per person, however many
//! processes tick at once: every row carries a key unique per person (`turno_store::
//! notifications`). An e-mail is claimed before it is sent and marked sent after; only a
//! process that dies between sending and marking can send one twice.

mod correspondence;
mod deliver;
mod digest;
mod mailer;
mod remind;
mod tell;
mod templates;
#[doc(hidden)]
pub mod testing;

pub use mailer::{Mailer, MailerError};

use turno_domain::engine::Context;
use turno_domain::library::Library;
use turno_store::notifications::Notifications;
use turno_store::{Store, StoreError};

/// How a process tells people.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Business days before a due date when the people who have the work are reminded.
    pub reminder_days: u16,
    /// The local hour (0–23) from which each day's digest is sent.
    pub digest_hour: i8,
    /// Where people open Turno, for the links in e-mails (`https://turno.salud.gob.mx`).
    pub base_url: String,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            reminder_days: 2,
            digest_hour: 7,
            base_url: "http://127.0.0.1:8080".into(),
        }
    }
}

/// What one tick did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Told {
    /// Queued events handled.
    pub events: usize,
    /// Due dates reminded of.
    pub reminders: usize,
    /// Digests queued.
    pub digests: usize,
    /// Incoming turns and outgoing documents told of.
    pub correspondence: usize,
    /// Notifications recorded (new ones only).
    pub notifications: usize,
    pub mails_sent: usize,
    pub mails_failed: usize,
}

impl Told {
    pub fn is_empty(&self) -> bool {
        *self == Told::default()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot render a notification: {0}")]
    Template(#[from] askama::Error),
}

/// Tells people what happened; one per process.
#[derive(Clone)]
pub struct Notifier {
    settings: Settings,
    mailer: Option<Mailer>,
}

impl Notifier {
    /// Without a mailer nothing is e-mailed: notifications stay in the application.
    pub fn new(settings: Settings, mailer: Option<Mailer>) -> Notifier {
        Notifier { settings, mailer }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Whether e-mail is configured.
    pub fn sends_mail(&self) -> bool {
        self.mailer.is_some()
    }

    /// Tells what there is to tell, then sends the e-mails waiting in the outbox.
    pub async fn tick<S: Store + Notifications>(
        &self,
        store: &S,
        library: &Library,
        ctx: &Context<'_>,
        time_zone: &jiff::tz::TimeZone,
    ) -> Result<Told, NotifyError> {
        let mut told = Told::default();
        let email = self.mailer.is_some();
        let round = tell::Round {
            library,
            ctx,
            settings: &self.settings,
            email,
        };
        let (events, new) = tell::queued(store, &round).await?;
        told.events = events;
        told.notifications += new;
        let (reminders, new) = remind::due_soon(store, &round).await?;
        told.reminders = reminders;
        told.notifications += new;
        let (turns, new) = correspondence::turns(store, &round).await?;
        told.correspondence = turns;
        told.notifications += new;
        let (documents, new) = correspondence::awaiting(store, &round).await?;
        told.correspondence += documents;
        told.notifications += new;
        let local = ctx.now.to_zoned(time_zone.clone());
        if email && local.hour() >= self.settings.digest_hour {
            told.digests = digest::queue(store, ctx, &self.settings).await?;
        }
        if let Some(mailer) = &self.mailer {
            let (sent, failed) = deliver::outbox(store, mailer).await?;
            told.mails_sent = sent;
            told.mails_failed = failed;
        }
        Ok(told)
    }
}
