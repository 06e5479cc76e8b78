//! `/atencion`: the public mailbox (procedure 97, buzón web). Anyone files a petition without
//! signing in (`turno_app::petitions::file`); the form is checked by `Draft::check` and shown
//! again with every problem by field. A petition filed gets its folio and an access code, shown once: only the code's
//! digest is stored. Each client may send `limits::SUBMISSIONS` forms an hour.

use crate::auth::csrf;
use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Submitted, shown_again, single};
use crate::limits::{self, Client};
use crate::page::{Frame, Layout};
use crate::routes::search::Choice;
use crate::state::AppState;
use crate::views::{kind_choices, state_choices};
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use turno_app::petitions::{self, Rejected};
use turno_domain::citizen::{
    Draft, Field, FieldProblem, LetterProblem, MAX_NARRATIVE_CHARS, MAX_SHORT_TEXT_CHARS,
    PetitionFolio,
};

/// What was typed and what is wrong with it, to show the form again.
pub struct Entered {
    submitted: Submitted,
    pub problems: Vec<FieldProblem>,
    /// The letter's problems, when a petition is registered from one.
    pub letter_problems: Vec<LetterProblem>,
}

impl Entered {
    pub fn new(submitted: Submitted) -> Entered {
        Entered {
            submitted,
            problems: Vec::new(),
            letter_problems: Vec::new(),
        }
    }

    /// The petition's texts as typed.
    pub fn draft(&self) -> Draft<'_> {
        let text = |field: Field| self.value(field.key());
        Draft {
            kind: text(Field::Kind),
            state: text(Field::State),
            health_unit: text(Field::HealthUnit),
            narrative: text(Field::Narrative),
            name: text(Field::Name),
            curp: text(Field::Curp),
            phone: text(Field::Phone),
            email: text(Field::Email),
            address: text(Field::Address),
        }
    }

    pub fn problem_count(&self) -> usize {
        self.problems.len() + self.letter_problems.len()
    }

    /// What was typed in a field, to show it again.
    pub fn value(&self, name: &str) -> &str {
        single(&self.submitted, name).unwrap_or_default()
    }

    /// The problem of a field, by its name in the form (`Field::key`, or a letter's field).
    pub fn error(&self, name: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|p| p.field.key() == name)
            .map(|p| p.reason.as_str())
            .or_else(|| {
                self.letter_problems
                    .iter()
                    .find(|p| p.field == name)
                    .map(|p| p.reason.as_str())
            })
    }

    pub fn consented(&self) -> bool {
        single(&self.submitted, Field::PrivacyConsent.key()).is_some()
    }
}

/// The petition form: the public mailbox's, or the staff's for a petition that came in a
/// letter (`routes/petition_letter.rs`), which adds the letter's fields and asks no consent.
#[derive(Template)]
#[template(path = "mailbox.html")]
pub struct MailboxPage {
    layout: Layout,
    entered: Entered,
    kinds: Vec<Choice>,
    states: Vec<Choice>,
    max_narrative: usize,
    max_short: usize,
    letter: bool,
}

impl MailboxPage {
    pub fn new(layout: Layout, entered: Entered, letter: bool) -> MailboxPage {
        MailboxPage {
            kinds: kind_choices("— Elija —", entered.value(Field::Kind.key())),
            states: state_choices("— Elija —", entered.value(Field::State.key())),
            layout,
            entered,
            max_narrative: MAX_NARRATIVE_CHARS,
            max_short: MAX_SHORT_TEXT_CHARS,
            letter,
        }
    }
}

#[derive(Template)]
#[template(path = "mailbox_filed.html")]
struct FiledPage {
    layout: Layout,
    folio: PetitionFolio,
    code: String,
}

pub async fn get(frame: Frame) -> Result<Response, AppError> {
    let page = MailboxPage::new(frame.layout, Entered::new(Vec::new()), false);
    crate::page::html(&page)
}

pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    client: Client,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    limits::check(&state, &limits::SUBMISSIONS, &client).await?;
    let mut entered = Entered::new(submitted);
    let filed = petitions::file(
        &state,
        entered.draft(),
        entered.consented(),
        csrf::random_bytes(),
    )
    .await;
    let filed = match filed {
        Ok(filed) => filed,
        Err(Rejected::Fields { petition, .. }) => {
            entered.problems = petition;
            return shown_again(
                StatusCode::UNPROCESSABLE_ENTITY,
                &MailboxPage::new(frame.layout, entered, false),
            );
        }
        Err(Rejected::Error(e)) => return Err(e.into()),
    };
    let page = FiledPage {
        layout: frame.layout,
        folio: filed.folio,
        code: filed.code.to_string(),
    };
    let html = page.render().map_err(anyhow::Error::from)?;
    // The code is shown once: no cache may keep the page.
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}
