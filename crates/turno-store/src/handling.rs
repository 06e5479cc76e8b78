//! Handling petitions (migration 0015): the motive catalog, the classification, the direct
//! answer (with its e-mail in the outbox, in the same transaction), the link to the case of the
//! volante de trámite, the Enlace's FURs with their review, the calls the call-center provider
//! declares, and the rows of the monthly report. The domain decides (`Classification`,
//! `ResponseForm::check`, `Review::closes`); the store records, refusing a change the
//! petition's status does not expect, so that two people classifying at once record one.

use crate::error::StoreError;
use crate::notifications::NewMail;
use jiff::civil::{Date, DateTime};
use turno_domain::calendar::State;
use turno_domain::citizen::{
    Channel, Classification, ContactMeans, Handled, Motive, Outcome, PetitionFolio, PetitionKind,
    PetitionerContact, ResponseForm, Review,
};

/// A petition's status: received, not classified yet.
pub const RECEIVED: &str = "recibida";
/// Turned with a volante to the Enlace; waiting for the FUR or its review.
pub const IN_HANDLING: &str = "en_gestion";
/// Answered: directly, or by a FUR the review found complete and favorable.
pub const ANSWERED: &str = "respondida";

/// What the classification does with the petition.
#[derive(Debug, Clone)]
pub enum Disposal {
    /// No action needed: answered now, by e-mail when the petitioner gave an address.
    Answered {
        answer: String,
        on: Date,
        mail: Option<NewMail>,
    },
    /// Turned with the first volante, the case `case_folio`, due on `due_on`.
    Turned { case_folio: String, due_on: Date },
}

#[derive(Debug, Clone)]
pub struct Classified {
    pub classification: Classification,
    pub by: String,
    pub at: jiff::Timestamp,
    pub disposal: Disposal,
}

/// The review of the FUR of the volante in force, and what follows it.
#[derive(Debug, Clone)]
pub struct Reviewed {
    pub review: Review,
    pub observations: Option<String>,
    pub by: String,
    pub at: jiff::Timestamp,
    /// Closed: the answer the petitioner was given, and when. Otherwise the next volante's due
    /// date.
    pub next: AfterReview,
}

#[derive(Debug, Clone)]
pub enum AfterReview {
    Closed { answer: String, on: Date },
    TurnedAgain { due_on: Date },
}

/// A FUR as stored, with its review once made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub form: ResponseForm,
    pub recorded_by: String,
    pub review: Option<(Review, Option<String>, String)>,
}

/// Where a petition's handling stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionHandling {
    pub status: String,
    pub motive: Option<String>,
    pub needs_action: Option<bool>,
    pub classified_by: Option<String>,
    pub answer: Option<String>,
    pub answered_on: Option<Date>,
    pub case_folio: Option<String>,
    /// The volante in force: 0 without one.
    pub slip: u16,
    pub due_on: Option<Date>,
    /// Every FUR, the first volante's first.
    pub responses: Vec<StoredResponse>,
}

/// A classified petition as motive suggestions learn from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassifiedText {
    pub folio: PetitionFolio,
    pub motive: String,
    pub narrative: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ClassifiedTextRow {
    folio_year: i64,
    folio_number: i64,
    motive: String,
    narrative: String,
}

impl ClassifiedTextRow {
    pub(crate) fn text(self) -> Result<ClassifiedText, StoreError> {
        Ok(ClassifiedText {
            folio: PetitionFolio {
                year: i16::try_from(self.folio_year).map_err(StoreError::corrupt)?,
                number: u32::try_from(self.folio_number).map_err(StoreError::corrupt)?,
            },
            motive: self.motive,
            narrative: self.narrative,
        })
    }
}

store_trait! {
    pub trait Handling {
        /// The `limit` latest received of the classified petitions, with their motive and
        /// description: what motive suggestions learn from.
        async fn classified_texts(&self, limit: u32) -> Result<Vec<ClassifiedText>, StoreError>;

        /// The folios of the petitions `classified_texts(limit)` would answer, in its order and
        /// without their texts: what a learned model is compared with to know whether it is
        /// still the one the classified petitions teach (a petition is classified once, its
        /// motive and description never change afterwards).
        async fn classified_folios(&self, limit: u32) -> Result<Vec<PetitionFolio>, StoreError>;

        /// The catalog, by code; retired motives too.
        async fn motives(&self) -> Result<Vec<Motive>, StoreError>;

        /// Adds a motive (checked by the caller with the catalog), on the audit log.
        async fn add_motive(&self, motive: &Motive, actor: &str) -> Result<(), StoreError>;

        /// Retires a motive: it stays for the petitions classified with it.
        async fn retire_motive(&self, code: &str, actor: &str) -> Result<(), StoreError>;

        async fn handling(
            &self,
            folio: PetitionFolio,
        ) -> Result<Option<PetitionHandling>, StoreError>;

        /// Records the classification of a received petition and what it does with it.
        async fn classify(
            &self,
            folio: PetitionFolio,
            classified: &Classified,
        ) -> Result<(), StoreError>;

        /// Records the FUR of the volante in force, once.
        async fn record_response(
            &self,
            form: &ResponseForm,
            by: &str,
            at: jiff::Timestamp,
        ) -> Result<(), StoreError>;

        /// Records the review of the volante in force's FUR, and closes the petition or counts the
        /// next volante.
        async fn record_review(
            &self,
            folio: PetitionFolio,
            reviewed: &Reviewed,
        ) -> Result<(), StoreError>;

        /// Records the calls the provider declares it received on a day, replacing an earlier
        /// figure, on the audit log.
        async fn declare_calls(
            &self,
            day: Date,
            received: u32,
            actor: &str,
        ) -> Result<(), StoreError>;

        /// The declared calls from `from` to `to`, both included, by day.
        async fn declared_calls(
            &self,
            from: Date,
            to: Date,
        ) -> Result<Vec<(Date, u32)>, StoreError>;

        /// The petitions received from `from` to `to`, both included, as the report reads them.
        async fn handled_between(&self, from: Date, to: Date) -> Result<Vec<Handled>, StoreError>;
    }
}

pub(crate) fn motive_kinds(motive: &Motive) -> String {
    motive
        .kinds
        .iter()
        .map(|k| k.code())
        .collect::<Vec<_>>()
        .join(",")
}

#[derive(sqlx::FromRow)]
pub(crate) struct MotiveRow {
    code: String,
    name: String,
    kinds: String,
    active: bool,
}

impl MotiveRow {
    pub(crate) fn motive(self) -> Result<Motive, StoreError> {
        let kinds = self
            .kinds
            .split(',')
            .filter(|k| !k.is_empty())
            .map(|k| k.parse::<PetitionKind>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| StoreError::corrupt(format!("motive {}: kinds", self.code)))?;
        Ok(Motive {
            code: self.code,
            name: self.name,
            kinds,
            active: self.active,
        })
    }
}

fn date(value: Option<String>, what: &str) -> Result<Option<Date>, StoreError> {
    value
        .map(|v| {
            v.parse::<Date>()
                .map_err(|_| StoreError::corrupt(format!("{what}: «{v}»")))
        })
        .transpose()
}

#[derive(sqlx::FromRow)]
pub(crate) struct HandlingRow {
    pub(crate) id: i64,
    status: String,
    motive: Option<String>,
    needs_action: Option<bool>,
    classified_by: Option<String>,
    answer: Option<String>,
    answered_on: Option<String>,
    case_folio: Option<String>,
    slip: i64,
    due_on: Option<String>,
}

impl HandlingRow {
    pub(crate) fn handling(
        self,
        responses: Vec<StoredResponse>,
    ) -> Result<PetitionHandling, StoreError> {
        Ok(PetitionHandling {
            status: self.status,
            motive: self.motive,
            needs_action: self.needs_action,
            classified_by: self.classified_by,
            answer: self.answer,
            answered_on: date(self.answered_on, "answered_on")?,
            case_folio: self.case_folio,
            slip: u16::try_from(self.slip).map_err(StoreError::corrupt)?,
            due_on: date(self.due_on, "due_on")?,
            responses,
        })
    }
}

fn means_code(means: ContactMeans) -> &'static str {
    match means {
        ContactMeans::Phone => "telefono",
        ContactMeans::Email => "correo",
        ContactMeans::InPerson => "persona",
        ContactMeans::Letter => "escrito",
    }
}

fn outcome_code(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Favorable => "favorable",
        Outcome::Unfavorable => "no_favorable",
        Outcome::NotCompetent => "no_competente",
    }
}

/// The codes stored for a contact means and an outcome, and back.
pub fn contact_means(code: &str) -> Option<ContactMeans> {
    [
        ContactMeans::Phone,
        ContactMeans::Email,
        ContactMeans::InPerson,
        ContactMeans::Letter,
    ]
    .into_iter()
    .find(|m| means_code(*m) == code)
}

pub fn outcome(code: &str) -> Option<Outcome> {
    [
        Outcome::Favorable,
        Outcome::Unfavorable,
        Outcome::NotCompetent,
    ]
    .into_iter()
    .find(|o| outcome_code(*o) == code)
}

/// What is written of a FUR, in the order of `INSERT_RESPONSE`'s `$2`…`$11`.
pub(crate) struct ResponseColumns {
    pub(crate) slip: i64,
    pub(crate) state: &'static str,
    pub(crate) answered_on: String,
    pub(crate) contact_on: Option<String>,
    pub(crate) contact_means: Option<&'static str>,
    pub(crate) outcome: &'static str,
}

impl ResponseColumns {
    pub(crate) fn of(form: &ResponseForm) -> ResponseColumns {
        ResponseColumns {
            slip: i64::from(form.slip),
            state: form.state.code(),
            answered_on: form.answered_on.to_string(),
            contact_on: form.contact.map(|c| c.on.to_string()),
            contact_means: form.contact.map(|c| means_code(c.means)),
            outcome: outcome_code(form.outcome),
        }
    }
}

pub(crate) const INSERT_RESPONSE: &str = "INSERT INTO petition_responses (petition_id, slip, \
     state, liaison, answered_on, contact_on, contact_means, actions, outcome, answer, \
     recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

#[derive(sqlx::FromRow)]
pub(crate) struct ResponseRow {
    slip: i64,
    state: String,
    liaison: String,
    answered_on: String,
    contact_on: Option<String>,
    contact_means: Option<String>,
    actions: String,
    outcome: String,
    answer: String,
    recorded_by: String,
    review_complete: Option<bool>,
    review_favorable: Option<bool>,
    review_observations: Option<String>,
    reviewed_by: Option<String>,
}

impl ResponseRow {
    pub(crate) fn response(self, petition: PetitionFolio) -> Result<StoredResponse, StoreError> {
        let bad = |what: &str| StoreError::corrupt(format!("FUR of {petition}: {what}"));
        let contact = match (date(self.contact_on, "contact_on")?, self.contact_means) {
            (Some(on), Some(means)) => Some(PetitionerContact {
                on,
                means: contact_means(&means).ok_or_else(|| bad("contact means"))?,
            }),
            _ => None,
        };
        let review = match (self.review_complete, self.review_favorable) {
            (Some(complete), Some(favorable)) => Some((
                Review {
                    complete,
                    favorable,
                },
                self.review_observations,
                self.reviewed_by.unwrap_or_default(),
            )),
            _ => None,
        };
        Ok(StoredResponse {
            form: ResponseForm {
                petition,
                slip: u16::try_from(self.slip).map_err(|_| bad("slip"))?,
                state: self.state.parse::<State>().map_err(|_| bad("entidad"))?,
                liaison: self.liaison,
                answered_on: self.answered_on.parse().map_err(|_| bad("answered_on"))?,
                contact,
                actions: self.actions,
                outcome: outcome(&self.outcome).ok_or_else(|| bad("outcome"))?,
                answer: self.answer,
            },
            recorded_by: self.recorded_by,
            review,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct HandledRow {
    kind: String,
    channel: String,
    state: String,
    motive: Option<String>,
    received_at: String,
    answered_on: Option<String>,
    due_on: Option<String>,
}

impl HandledRow {
    pub(crate) fn handled(self) -> Result<Handled, StoreError> {
        let bad = |what: &str| StoreError::corrupt(format!("petition: {what}"));
        Ok(Handled {
            kind: self.kind.parse().map_err(|_| bad("kind"))?,
            channel: Channel::from_code(&self.channel).ok_or_else(|| bad("channel"))?,
            state: self.state.parse().map_err(|_| bad("entidad"))?,
            motive: self.motive,
            received_on: self
                .received_at
                .parse::<DateTime>()
                .map_err(|_| bad("received_at"))?
                .date(),
            answered_on: date(self.answered_on, "answered_on")?,
            due_on: date(self.due_on, "due_on")?,
        })
    }
}

/// The SQL, the same on both backends; expanded where the store's private helpers
/// (`audit_on`, `enqueue_mail_on`) are visible.
macro_rules! handling_sql {
    ($store:ty, $db:ty) => {
        impl $store {
            async fn petition_id_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                folio: turno_domain::citizen::PetitionFolio,
            ) -> Result<(i64, String, i64), $crate::StoreError> {
                let row: Option<(i64, String, i64)> = sqlx::query_as(
                    "SELECT id, status, slip FROM petitions \
                     WHERE folio_year = $1 AND folio_number = $2",
                )
                .bind(i64::from(folio.year))
                .bind(i64::from(folio.number))
                .fetch_optional(&mut *conn)
                .await?;
                row.ok_or_else(|| $crate::Refusal::PetitionNotFound(folio.to_string()).into())
            }
        }

        impl $crate::handling::Handling for $store {
            async fn classified_texts(
                &self,
                limit: u32,
            ) -> Result<Vec<$crate::handling::ClassifiedText>, $crate::StoreError> {
                let rows: Vec<$crate::handling::ClassifiedTextRow> = sqlx::query_as(
                    "SELECT folio_year, folio_number, motive, narrative FROM petitions \
                     WHERE motive IS NOT NULL \
                     ORDER BY received_at DESC, folio_year DESC, folio_number DESC LIMIT $1",
                )
                .bind(i64::from(limit))
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter().map(|r| r.text()).collect()
            }

            async fn classified_folios(
                &self,
                limit: u32,
            ) -> Result<Vec<turno_domain::citizen::PetitionFolio>, $crate::StoreError> {
                let rows: Vec<(i64, i64)> = sqlx::query_as(
                    "SELECT folio_year, folio_number FROM petitions \
                     WHERE motive IS NOT NULL \
                     ORDER BY received_at DESC, folio_year DESC, folio_number DESC LIMIT $1",
                )
                .bind(i64::from(limit))
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter()
                    .map(|(year, number)| {
                        Ok(turno_domain::citizen::PetitionFolio {
                            year: i16::try_from(year).map_err($crate::StoreError::corrupt)?,
                            number: u32::try_from(number).map_err($crate::StoreError::corrupt)?,
                        })
                    })
                    .collect()
            }

            async fn motives(
                &self,
            ) -> Result<Vec<turno_domain::citizen::Motive>, $crate::StoreError> {
                let rows: Vec<$crate::handling::MotiveRow> =
                    sqlx::query_as("SELECT code, name, kinds, active FROM motives ORDER BY code")
                        .fetch_all(&self.reader)
                        .await?;
                rows.into_iter().map(|r| r.motive()).collect()
            }

            async fn add_motive(
                &self,
                motive: &turno_domain::citizen::Motive,
                actor: &str,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "INSERT INTO motives (code, name, kinds, active) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (code) DO NOTHING",
                )
                .bind(&motive.code)
                .bind(&motive.name)
                .bind($crate::handling::motive_kinds(motive))
                .bind(motive.active)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::Refusal::MotiveTaken(motive.code.clone()).into());
                }
                let detail = serde_json::json!({
                    "name": motive.name,
                    "kinds": $crate::handling::motive_kinds(motive),
                })
                .to_string();
                Self::audit_on(&mut tx, actor, "motive_added", &motive.code, detail).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn retire_motive(&self, code: &str, actor: &str) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query("UPDATE motives SET active = $1 WHERE code = $2 AND active")
                    .bind(false)
                    .bind(code)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::Refusal::MotiveNotFound(code.to_owned()).into());
                }
                Self::audit_on(&mut tx, actor, "motive_retired", code, "{}".into()).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn handling(
                &self,
                folio: turno_domain::citizen::PetitionFolio,
            ) -> Result<Option<$crate::handling::PetitionHandling>, $crate::StoreError> {
                let row: Option<$crate::handling::HandlingRow> = sqlx::query_as(
                    "SELECT id, status, motive, needs_action, classified_by, answer, \
                     answered_on, case_folio, slip, due_on FROM petitions \
                     WHERE folio_year = $1 AND folio_number = $2",
                )
                .bind(i64::from(folio.year))
                .bind(i64::from(folio.number))
                .fetch_optional(&self.reader)
                .await?;
                let Some(row) = row else { return Ok(None) };
                let responses: Vec<$crate::handling::ResponseRow> = sqlx::query_as(
                    "SELECT slip, state, liaison, answered_on, contact_on, contact_means, \
                     actions, outcome, answer, recorded_by, review_complete, review_favorable, \
                     review_observations, reviewed_by FROM petition_responses \
                     WHERE petition_id = $1 ORDER BY slip",
                )
                .bind(row.id)
                .fetch_all(&self.reader)
                .await?;
                let responses = responses
                    .into_iter()
                    .map(|r| r.response(folio))
                    .collect::<Result<Vec<_>, _>>()?;
                row.handling(responses).map(Some)
            }

            async fn classify(
                &self,
                folio: turno_domain::citizen::PetitionFolio,
                classified: &$crate::handling::Classified,
            ) -> Result<(), $crate::StoreError> {
                use $crate::handling::Disposal;
                let mut tx = self.begin_write().await?;
                let (id, status, _) = Self::petition_id_on(&mut tx, folio).await?;
                if status != $crate::handling::RECEIVED {
                    return Err($crate::Refusal::PetitionStatus {
                        folio: folio.to_string(),
                        status,
                    }.into());
                }
                let c = &classified.classification;
                let (status, answer, answered_on, case_folio, slip, due_on) =
                    match &classified.disposal {
                        Disposal::Answered { answer, on, .. } => (
                            $crate::handling::ANSWERED,
                            Some(answer.as_str()),
                            Some(on.to_string()),
                            None,
                            0i64,
                            None,
                        ),
                        Disposal::Turned { case_folio, due_on } => (
                            $crate::handling::IN_HANDLING,
                            None,
                            None,
                            Some(case_folio.as_str()),
                            1,
                            Some(due_on.to_string()),
                        ),
                    };
                sqlx::query(
                    "UPDATE petitions SET kind = $1, state = $2, motive = $3, needs_action = $4, \
                     classified_at = $5, classified_by = $6, status = $7, answer = $8, \
                     answered_on = $9, case_folio = $10, slip = $11, due_on = $12 WHERE id = $13",
                )
                .bind(c.kind.code())
                .bind(c.state.code())
                .bind(&c.motive)
                .bind(c.needs_action)
                .bind(classified.at.to_string())
                .bind(&classified.by)
                .bind(status)
                .bind(answer)
                .bind(answered_on)
                .bind(case_folio)
                .bind(slip)
                .bind(due_on)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if let Disposal::Answered {
                    mail: Some(mail), ..
                } = &classified.disposal
                {
                    let at = classified.at.to_string();
                    Self::enqueue_mail_on(&mut tx, mail.outgoing(), &at).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn record_response(
                &self,
                form: &turno_domain::citizen::ResponseForm,
                by: &str,
                at: jiff::Timestamp,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let (id, status, slip) = Self::petition_id_on(&mut tx, form.petition).await?;
                if status != $crate::handling::IN_HANDLING || slip != i64::from(form.slip) {
                    return Err($crate::Refusal::PetitionStatus {
                        folio: form.petition.to_string(),
                        status,
                    }.into());
                }
                let c = $crate::handling::ResponseColumns::of(form);
                let inserted = sqlx::query(&format!(
                    "{} ON CONFLICT (petition_id, slip) DO NOTHING",
                    $crate::handling::INSERT_RESPONSE
                ))
                .bind(id)
                .bind(c.slip)
                .bind(c.state)
                .bind(&form.liaison)
                .bind(c.answered_on)
                .bind(c.contact_on)
                .bind(c.contact_means)
                .bind(&form.actions)
                .bind(c.outcome)
                .bind(&form.answer)
                .bind(by)
                .bind(at.to_string())
                .execute(&mut *tx)
                .await?;
                if inserted.rows_affected() == 0 {
                    return Err($crate::Refusal::PetitionStatus {
                        folio: form.petition.to_string(),
                        status: "respondida por el Enlace".into(),
                    }.into());
                }
                tx.commit().await?;
                Ok(())
            }

            async fn record_review(
                &self,
                folio: turno_domain::citizen::PetitionFolio,
                reviewed: &$crate::handling::Reviewed,
            ) -> Result<(), $crate::StoreError> {
                use $crate::handling::AfterReview;
                let mut tx = self.begin_write().await?;
                let (id, status, slip) = Self::petition_id_on(&mut tx, folio).await?;
                let done = sqlx::query(
                    "UPDATE petition_responses SET review_complete = $1, review_favorable = $2, \
                     review_observations = $3, reviewed_by = $4, reviewed_at = $5 \
                     WHERE petition_id = $6 AND slip = $7 AND review_complete IS NULL",
                )
                .bind(reviewed.review.complete)
                .bind(reviewed.review.favorable)
                .bind(&reviewed.observations)
                .bind(&reviewed.by)
                .bind(reviewed.at.to_string())
                .bind(id)
                .bind(slip)
                .execute(&mut *tx)
                .await?;
                if status != $crate::handling::IN_HANDLING || done.rows_affected() == 0 {
                    return Err($crate::Refusal::PetitionStatus {
                        folio: folio.to_string(),
                        status,
                    }.into());
                }
                match &reviewed.next {
                    AfterReview::Closed { answer, on } => {
                        sqlx::query(
                            "UPDATE petitions SET status = $1, answer = $2, answered_on = $3 \
                             WHERE id = $4",
                        )
                        .bind($crate::handling::ANSWERED)
                        .bind(answer)
                        .bind(on.to_string())
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    }
                    AfterReview::TurnedAgain { due_on } => {
                        sqlx::query("UPDATE petitions SET slip = $1, due_on = $2 WHERE id = $3")
                            .bind(slip + 1)
                            .bind(due_on.to_string())
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                tx.commit().await?;
                Ok(())
            }

            async fn declare_calls(
                &self,
                day: jiff::civil::Date,
                received: u32,
                actor: &str,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "INSERT INTO declared_calls (day, received, recorded_by, recorded_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (day) DO UPDATE SET \
                     received = excluded.received, recorded_by = excluded.recorded_by, \
                     recorded_at = excluded.recorded_at",
                )
                .bind(day.to_string())
                .bind(i64::from(received))
                .bind(actor)
                .bind(jiff::Timestamp::now().to_string())
                .execute(&mut *tx)
                .await?;
                let detail = serde_json::json!({ "received": received }).to_string();
                Self::audit_on(&mut tx, actor, "calls_declared", &day.to_string(), detail)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn declared_calls(
                &self,
                from: jiff::civil::Date,
                to: jiff::civil::Date,
            ) -> Result<Vec<(jiff::civil::Date, u32)>, $crate::StoreError> {
                let rows: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT day, received FROM declared_calls WHERE day >= $1 AND day <= $2 \
                     ORDER BY day",
                )
                .bind(from.to_string())
                .bind(to.to_string())
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter()
                    .map(|(day, received)| {
                        Ok((
                            day.parse().map_err($crate::StoreError::corrupt)?,
                            u32::try_from(received).map_err($crate::StoreError::corrupt)?,
                        ))
                    })
                    .collect()
            }

            async fn handled_between(
                &self,
                from: jiff::civil::Date,
                to: jiff::civil::Date,
            ) -> Result<Vec<turno_domain::citizen::Handled>, $crate::StoreError> {
                // received_at is aaaa-mm-ddThh:mm:ss: the day after `to` bounds it as text.
                let after = to.tomorrow().map_err($crate::StoreError::corrupt)?;
                let rows: Vec<$crate::handling::HandledRow> = sqlx::query_as(
                    "SELECT kind, channel, state, motive, received_at, answered_on, due_on \
                     FROM petitions WHERE received_at >= $1 AND received_at < $2",
                )
                .bind(from.to_string())
                .bind(after.to_string())
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter().map(|r| r.handled()).collect()
            }
        }
    };
}

pub(crate) use handling_sql;
