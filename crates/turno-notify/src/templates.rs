//! The Spanish texts people receive: a subject, a summary for the application's list, and the
//! e-mail (`templates/*.txt`).

use crate::Settings;
use askama::Template;
use jiff::civil::Date;
use turno_domain::library::Library;
use turno_store::notifications::NotificationKind;

/// The work a notification is about, as people read it.
#[derive(Debug, Clone)]
pub(crate) struct About {
    pub folio: String,
    pub title: String,
    pub procedure: String,
    /// "2.1 Revisa el informe…"
    pub activity: String,
    /// dd/mm/aaaa
    pub due: Option<String>,
    pub instruction: Option<String>,
}

impl About {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        library: &Library,
        procedure_key: &str,
        version: u32,
        folio: &str,
        title: &str,
        activity: &str,
        due: Option<Date>,
        instruction: Option<String>,
    ) -> About {
        let procedure = library.get(procedure_key, version);
        let text = procedure.and_then(|p| {
            p.activity_by_number(activity)
                .map(|id| p.activity(id).text.clone())
        });
        About {
            folio: folio.to_owned(),
            title: title.to_owned(),
            procedure: procedure.map_or_else(|| procedure_key.to_owned(), |p| p.title.clone()),
            activity: match text {
                Some(text) => format!("{activity} {}", shortened(&text, 160)),
                None => activity.to_owned(),
            },
            due: due.map(turno_domain::text::day),
            instruction,
        }
    }
}

/// A text cut at a word near `max` characters, with an ellipsis.
fn shortened(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    // Keep the last word only when the text breaks right after it.
    let whole_word = text.chars().nth(max).is_some_and(char::is_whitespace);
    let cut = match cut.rsplit_once(' ') {
        Some((head, _)) if !whole_word => head,
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

pub(crate) struct Message {
    pub subject: String,
    pub summary: String,
    pub mail: String,
}

#[derive(Template)]
#[template(path = "summary.txt", escape = "none")]
struct Summary<'a> {
    kind: &'a str,
    about: &'a About,
    unit: &'a str,
}

#[derive(Template)]
#[template(path = "notification.txt", escape = "none")]
struct Mail<'a> {
    name: &'a str,
    summary: &'a str,
    about: &'a About,
    base_url: &'a str,
}

/// The subject, summary and e-mail of one notification to one person.
pub(crate) fn render(
    kind: NotificationKind,
    about: &About,
    unit: &str,
    name: &str,
    settings: &Settings,
) -> Result<Message, askama::Error> {
    let subject = match kind {
        NotificationKind::Turned => format!("Turnado a {unit}: {} — {}", about.folio, about.title),
        NotificationKind::Returned => {
            format!(
                "Devuelto para corrección: {} — {}",
                about.folio, about.title
            )
        }
        NotificationKind::DueSoon => format!(
            "Por vencer el {}: {} — {}",
            about.due.as_deref().unwrap_or("—"),
            about.folio,
            about.title
        ),
        NotificationKind::Overdue => format!("Plazo vencido: {} — {}", about.folio, about.title),
        NotificationKind::Digest => format!("Resumen diario: {}", about.title),
        NotificationKind::Awaiting => format!("En espera: {} — {}", about.folio, about.title),
    };
    let summary = Summary {
        kind: kind.as_str(),
        about,
        unit,
    }
    .render()?;
    let mail = Mail {
        name,
        summary: &summary,
        about,
        base_url: settings.base_url.trim_end_matches('/'),
    }
    .render()?;
    Ok(Message {
        subject: shortened(&subject, 180),
        summary,
        mail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_cut_at_a_word() {
        assert_eq!(shortened("Revisa el informe", 160), "Revisa el informe");
        assert_eq!(
            shortened("Revisa el informe, y lo turna", 18),
            "Revisa el informe…"
        );
        assert_eq!(shortened("ñññññ ñññññ", 7), "ñññññ…");
    }
}
