//! Sending e-mail over SMTP (lettre, with rustls like the rest of Turno).
//!
//! The server is named by a URL: `smtp://host:25` (no encryption: a relay on the same host or
//! network), `smtp://host:587?tls=required` (STARTTLS), `smtps://user:password@host:465`
//! (TLS from the start).

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How long one conversation with the server may take.
const TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: only the sender is shown.
        f.debug_struct("Mailer").field("from", &self.from).finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error(
        "the SMTP URL is not valid (expected smtp://host:port or smtps://user:password@host:port): {0}"
    )]
    Url(lettre::transport::smtp::Error),
    #[error("«{address}» is not an e-mail address: {source}")]
    Address {
        address: String,
        source: lettre::address::AddressError,
    },
    #[error("cannot build the message: {0}")]
    Message(#[from] lettre::error::Error),
    #[error("the SMTP server refused or failed: {0}")]
    Send(#[from] lettre::transport::smtp::Error),
}

impl Mailer {
    /// A mailer for the server at `url`, sending as `from` ("Turno <turno@salud.gob.mx>").
    pub fn new(url: &str, from: &str) -> Result<Mailer, MailerError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(MailerError::Url)?
            .timeout(Some(TIMEOUT))
            .build();
        Ok(Mailer {
            transport,
            from: mailbox(from)?,
        })
    }

    /// Sends one plain-text message.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), MailerError> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(mailbox(to)?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())?;
        self.transport.send(message).await?;
        Ok(())
    }
}

fn mailbox(address: &str) -> Result<Mailbox, MailerError> {
    address.parse().map_err(|source| MailerError::Address {
        address: address.to_owned(),
        source,
    })
}
