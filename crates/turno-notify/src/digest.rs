//! The daily digest: once a day, each person who wants it gets by e-mail the open work of
//! their units, overdue and due first.

use crate::{NotifyError, Settings};
use askama::Template;
use turno_domain::engine::Context;
use turno_store::notifications::{NewMail, NotificationBatch, Notifications, digest_key};
use turno_store::{Role, Store};

/// Rows listed in a digest; the rest is counted.
const LISTED: i64 = 25;

struct Row {
    folio: String,
    title: String,
    activity: String,
    due: String,
    state: &'static str,
}

#[derive(Template)]
#[template(path = "digest.txt", escape = "none")]
struct Digest<'a> {
    name: &'a str,
    day: String,
    total: i64,
    overdue: usize,
    due_today: usize,
    rows: &'a [Row],
    base_url: &'a str,
}

/// Queues today's digest of everyone owed one. Answers how many were queued.
pub(crate) async fn queue<S: Store + Notifications>(
    store: &S,
    ctx: &Context<'_>,
    settings: &Settings,
) -> Result<usize, NotifyError> {
    let recipients = store.digest_recipients(ctx.today).await?;
    if recipients.is_empty() {
        return Ok(0);
    }
    let mut batch = NotificationBatch::default();
    for person in &recipients {
        let mut units: Vec<String> = store
            .memberships(person.user_id)
            .await?
            .into_iter()
            .chain(
                store
                    .delegated_memberships(person.user_id, ctx.today)
                    .await?,
            )
            .filter(|m| m.role != Role::Consulta && m.role != Role::Administrador)
            .map(|m| m.unit_code)
            .collect();
        units.sort();
        units.dedup();
        let total = store.count_inbox_for_units(&units).await?;
        let rows: Vec<Row> = store
            .inbox_for_units(&units, LISTED, 0)
            .await?
            .into_iter()
            .map(|r| {
                let due: Option<jiff::civil::Date> = r.due.as_deref().and_then(|d| d.parse().ok());
                Row {
                    folio: r.folio,
                    title: r.title,
                    activity: r.activity,
                    due: due.map_or_else(|| "sin plazo".to_owned(), turno_domain::text::day),
                    state: match due {
                        Some(d) if d < ctx.today => "VENCIDO",
                        Some(d) if d == ctx.today => "vence hoy",
                        _ => "",
                    },
                }
            })
            .collect();
        let body = Digest {
            name: &person.name,
            day: turno_domain::text::day(ctx.today),
            total,
            overdue: rows.iter().filter(|r| r.state == "VENCIDO").count(),
            due_today: rows.iter().filter(|r| r.state == "vence hoy").count(),
            rows: &rows,
            base_url: settings.base_url.trim_end_matches('/'),
        }
        .render()?;
        batch.mails.push(NewMail {
            dedup: digest_key(person.user_id, ctx.today),
            user_id: person.user_id,
            recipient: person.email.clone(),
            subject: format!(
                "Resumen diario del {}: {total} {}",
                turno_domain::text::day(ctx.today),
                if total == 1 {
                    "asunto pendiente"
                } else {
                    "asuntos pendientes"
                }
            ),
            body,
        });
    }
    store.record_notifications(&batch, ctx.now).await?;
    Ok(recipients.len())
}
