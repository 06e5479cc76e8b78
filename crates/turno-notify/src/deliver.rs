//! Sending what the outbox holds.

use crate::{Mailer, NotifyError};
use turno_store::notifications::Notifications;

/// E-mails sent per tick at most.
const BATCH: i64 = 50;
/// How long a claim holds: longer than sending a batch can take.
const LEASE_SECONDS: i64 = 600;

/// Sends the e-mails nobody else is sending. Answers how many were sent and how many failed
/// (those are retried later, further apart each time).
pub(crate) async fn outbox<S: Notifications>(
    store: &S,
    mailer: &Mailer,
) -> Result<(usize, usize), NotifyError> {
    let now = jiff::Timestamp::now().as_second();
    let (mut sent, mut failed) = (0, 0);
    for mail in store.claim_mail(now, LEASE_SECONDS, BATCH).await? {
        match mailer
            .send(&mail.recipient, &mail.subject, &mail.body)
            .await
        {
            Ok(()) => {
                store.mail_sent(mail.id, jiff::Timestamp::now()).await?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(mail = mail.id, attempt = mail.attempts, error = %e, "an e-mail could not be sent");
                let retry_at = jiff::Timestamp::now().as_second() + backoff(mail.attempts);
                store.mail_failed(mail.id, &e.to_string(), retry_at).await?;
                failed += 1;
            }
        }
    }
    Ok((sent, failed))
}

/// Seconds before trying again after `attempts` failures: 1, 2, 4… minutes, at most 6 hours.
fn backoff(attempts: i64) -> i64 {
    let exponent = u32::try_from(attempts.clamp(1, 10) - 1).unwrap_or(0);
    (60 * 2_i64.pow(exponent)).min(6 * 3600)
}

#[cfg(test)]
mod tests {
    #[test]
    fn retries_grow_apart_up_to_six_hours() {
        assert_eq!(super::backoff(1), 60);
        assert_eq!(super::backoff(3), 240);
        assert_eq!(super::backoff(50), 6 * 3600);
        assert_eq!(super::backoff(0), 60);
    }
}
