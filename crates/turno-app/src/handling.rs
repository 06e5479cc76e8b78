//! Handling a petition (procedures 96 and 97; docs/citizen-format.md, «Atención de
//! peticiones»): classifying it and answering it or turning it with a volante de trámite, a
//! case of the volante's procedure turned to the entidad's Enlace; the Enlace's answer on the
//! Formato Único de Respuesta (FUR); its review «¿completa y favorable?», closing the petition
//! or turning it again.
//!
//! The Departamento de Vinculación Social (whoever may start the volante's procedure) and
//! administrators classify and review; the Enlace sees the petition only through the volante's
//! case, turned to its unit, so the Enlace of another entidad does not see it.

use crate::access::{
    acting_for, actor, answers_turns_of, registering_actor, visible_case, visible_current,
};
use crate::app::App;
use crate::checked::Checked;
use crate::commands::{OnCase, complete_work, start_case, turn_work};
use crate::error::Error;
use crate::petitions::parse_folio;
use crate::principal::Principal;
use crate::register::registrable;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use turno_domain::calendar::State as Entidad;
use turno_domain::citizen::{
    Classification, Classifier, FurField, MAX_NARRATIVE_CHARS, MotiveCatalog, Outcome,
    PetitionFolio, PetitionKind, PetitionerContact, ResponseForm, Review, liaison_unit,
};
use turno_domain::definition::Procedure;
use turno_domain::engine::{Case, Complete, Event, MAX_TURN_DAYS, Start, Turn, Value, WorkItem};
use turno_domain::text::capitalized;
use turno_store::citizen::StoredPetition;
use turno_store::handling::{
    AfterReview, Classified, Disposal, IN_HANDLING, PetitionHandling, RECEIVED, Reviewed,
};
use turno_store::notifications::NewMail;
use turno_store::{CaseId, FolioRule, Handling, NewCase, Petitions, Store};

/// The volante de trámite: Turno's procedure `sinac-volante` (`procedures/sinac-volante.toml`),
/// whose activities the handling drives.
pub mod volante {
    /// The procedure's key.
    pub const KEY: &str = "sinac-volante";
    /// The volante turned to the entidad's Enlace, whose answer (the FUR) it receives.
    pub const TURN: &str = "1.1";
    /// «¿Está completa y es favorable la respuesta?»: the FUR's review, answered `Sí` or `No`.
    pub const REVIEW: &str = "2.1";
    /// The field holding the petition's folio.
    pub const PETITION: &str = "folio_peticion";
}

/// The Enlace's term when none is given, in días hábiles: the manuals set none; ten is the
/// usual term of an oficio's answer.
pub const DEFAULT_TERM: u16 = 10;

/// The volante's procedure, for a person who classifies and reviews.
pub fn handler(app: &App, user: &Principal) -> Result<Arc<Procedure>, Error> {
    if app.library.current().latest(volante::KEY).is_none() {
        return Err(Error::Refused(format!(
            "El procedimiento del volante de trámite ({}) no está publicado.",
            volante::KEY
        )));
    }
    registrable(app, user)
        .into_iter()
        .find(|p| p.key == volante::KEY)
        .ok_or(Error::Hidden)
}

async fn petition(
    app: &App,
    folio: PetitionFolio,
) -> Result<(StoredPetition, PetitionHandling), Error> {
    let missing = || Error::NotFound("No existe esa petición.".into());
    let stored = app.store.petition(folio).await?.ok_or_else(missing)?;
    let handling = app.store.handling(folio).await?.ok_or_else(missing)?;
    Ok((stored, handling))
}

/// A petition's handling as it stands, after a step recorded it.
async fn handling_of(app: &App, folio: PetitionFolio) -> Result<PetitionHandling, Error> {
    app.store
        .handling(folio)
        .await?
        .ok_or_else(|| Error::internal(format!("the handling of {folio} is gone")))
}

/// Who may see a petition's handling: its handlers, and those who see its volante's case.
/// Answers the volante's case when the person sees it.
async fn seen(
    app: &App,
    user: &Principal,
    handling: &PetitionHandling,
) -> Result<Option<(CaseId, Arc<Procedure>, Case)>, Error> {
    let case = match &handling.case_folio {
        Some(case_folio) => match visible_current(app, user, case_folio).await {
            Ok((id, procedure, current)) => Some((id, procedure, current.case)),
            Err(Error::Hidden) => {
                handler(app, user)?;
                None
            }
            Err(other) => return Err(other),
        },
        None => {
            handler(app, user)?;
            None
        }
    };
    Ok(case)
}

/// The open work item of `activity` that is not a turn, in a case of the volante's procedure.
fn open_at<'c>(procedure: &Procedure, case: &'c Case, activity: &str) -> Option<&'c WorkItem> {
    case.open
        .iter()
        .find(|w| w.turn.is_none() && procedure.activity(w.activity).number == activity)
}

/// The turn to the Enlace of the volante in force, which the FUR answers.
enum LiaisonTurn {
    /// Still open: recording the FUR answers it.
    Open(WorkItem),
    /// Answered on the volante's case («Responder turno») before any FUR: the FUR is still
    /// owed, and recording it moves the petition on to its review. When it was turned.
    Answered(jiff::Timestamp),
}

/// The turn to the Enlace of the volante in force when the person may answer it on the FUR:
/// the petition is in handling, the volante in force has no FUR yet, and the turn is open and
/// theirs, or was answered already and they work the Enlace's unit.
async fn liaison_turn(
    app: &App,
    (procedure, case_id, case): (&Procedure, CaseId, &Case),
    entidad: Entidad,
    handling: &PetitionHandling,
    user: &Principal,
) -> Result<Option<LiaisonTurn>, Error> {
    let answered = handling
        .responses
        .iter()
        .any(|r| r.form.slip == handling.slip);
    if handling.status != IN_HANDLING || answered {
        return Ok(None);
    }
    let unit = liaison_unit(entidad);
    let open = case
        .open
        .iter()
        .find(|w| w.turn.as_ref().is_some_and(|t| t.unit == unit));
    if let Some(work) = open {
        return Ok(acting_for(procedure, case, work, user)
            .is_some()
            .then(|| LiaisonTurn::Open(work.clone())));
    }
    if !answers_turns_of(user, &unit) {
        return Ok(None);
    }
    // One turn per volante: as many turns to the Enlace as volantes means the one in force
    // was turned, and, not being open, answered.
    let record = app.store.load_case(case_id).await?;
    let turns: Vec<jiff::Timestamp> = record
        .events
        .iter()
        .filter_map(|e| match &e.event {
            Event::WorkTurned { unit: to, at, .. } if *to == unit => Some(*at),
            _ => None,
        })
        .collect();
    Ok(turns
        .last()
        .filter(|_| turns.len() == usize::from(handling.slip))
        .map(|at| LiaisonTurn::Answered(*at)))
}

/// The FUR of the volante in force waits for its review.
fn awaiting_review(handling: &PetitionHandling) -> bool {
    handling.status == IN_HANDLING
        && handling
            .responses
            .last()
            .is_some_and(|r| r.form.slip == handling.slip && r.review.is_none())
}

/// A petition with its handling, as one person may see it.
pub struct Handled {
    pub petition: StoredPetition,
    pub handling: PetitionHandling,
    /// Their personal data whole (those who act) or masked.
    pub whole: bool,
}

/// How many classified petitions motive suggestions learn from, the latest received: the
/// model's memory and the time to learn it stay bounded however many are stored.
pub const SUGGESTION_TRAINING: u32 = 20_000;
/// How many motives are suggested.
pub const SUGGESTIONS_SHOWN: usize = 3;

/// A motive suggested for a petition, with the words of its description that moved it. It is
/// only shown: the person classifies, and the form's choice stays theirs.
#[derive(Debug, Clone, PartialEq)]
pub struct MotiveSuggestion {
    pub code: String,
    pub name: String,
    /// Between 0 and 1.
    pub probability: f64,
    pub words: Vec<String>,
}

/// What classifying a petition starts from: the petition, the motives in force and the
/// suggestions.
pub struct ToClassify {
    pub handled: Handled,
    pub motives: Vec<turno_domain::citizen::Motive>,
    /// The likeliest motives in force, learned from the petitions already classified; none
    /// before any is.
    pub suggestions: Vec<MotiveSuggestion>,
}

/// The classifier motive suggestions learned, kept per process (`App::suggestions`) and learned
/// again only when the classified petitions it learned from are no longer the latest
/// `SUGGESTION_TRAINING`: every request reads their folios (not their texts) and compares. A
/// petition is classified once and its motive and description never change afterwards, so the
/// same folios teach the same model; a petition classified through another process sharing the
/// database changes the folios, and the next request learns again.
#[derive(Clone, Default)]
pub struct Suggestions(Arc<Mutex<Option<Learned>>>);

struct Learned {
    /// The folios learned from, in the store's order.
    folios: Vec<PetitionFolio>,
    classifier: Arc<Classifier>,
}

impl Suggestions {
    /// The classifier kept, if it learned from exactly `folios`.
    fn kept(&self, folios: &[PetitionFolio]) -> Option<Arc<Classifier>> {
        // A poisoned lock still holds a whole model: it is replaced, never changed in place.
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.as_ref()
            .filter(|k| k.folios == folios)
            .map(|k| Arc::clone(&k.classifier))
    }

    fn keep(&self, folios: Vec<PetitionFolio>, classifier: Arc<Classifier>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(Learned { folios, classifier });
    }
}

/// The classifier learned from the latest `SUGGESTION_TRAINING` classified petitions: the one
/// this process keeps while they are the same, learned again (and kept) when they are not.
pub async fn classifier(app: &App) -> Result<Arc<Classifier>, Error> {
    let folios = app.store.classified_folios(SUGGESTION_TRAINING).await?;
    if let Some(kept) = app.suggestions.kept(&folios) {
        return Ok(kept);
    }
    // The folios of the texts read, not those above: a petition classified in between is then
    // in both the model and its key.
    let texts = app.store.classified_texts(SUGGESTION_TRAINING).await?;
    let mut classifier = Classifier::default();
    for text in &texts {
        classifier.learn(&text.motive, &text.narrative);
    }
    let classifier = Arc::new(classifier);
    app.suggestions.keep(
        texts.iter().map(|t| t.folio).collect(),
        Arc::clone(&classifier),
    );
    Ok(classifier)
}

/// The classification form: the petition, for those who classify, the active motives and the
/// motives suggested for it (the most likely `SUGGESTIONS_SHOWN` of those in force).
pub async fn to_classify(app: &App, user: &Principal, folio: &str) -> Result<ToClassify, Error> {
    handler(app, user)?;
    let (petition, handling) = petition(app, parse_folio(folio)?).await?;
    let motives: Vec<_> = app
        .store
        .motives()
        .await?
        .into_iter()
        .filter(|m| m.active)
        .collect();
    let suggestions = classifier(app)
        .await?
        .suggest(&petition.petition.narrative)
        .into_iter()
        .filter_map(|s| {
            let motive = motives.iter().find(|m| m.code == s.motive)?;
            Some(MotiveSuggestion {
                code: s.motive,
                name: motive.name.clone(),
                probability: s.probability,
                words: s.words,
            })
        })
        .take(SUGGESTIONS_SHOWN)
        .collect();
    let handled = Handled {
        petition,
        handling,
        whole: user.can_act(),
    };
    Ok(ToClassify {
        handled,
        motives,
        suggestions,
    })
}

/// The volante in force as printed: the turn to the Enlace, open or answered.
pub struct Slip {
    pub handled: Handled,
    pub case_folio: String,
    /// The motive's name and code, as classified.
    pub motive: String,
    /// The Enlace's unit.
    pub liaison_unit: String,
    pub turned_at: jiff::Timestamp,
    pub instruction: String,
    /// The term in días hábiles and the due date, when it has one.
    pub term_days: Option<i32>,
    pub due: Option<jiff::civil::Date>,
}

/// The volante in force of petition `folio`, for its handlers and those who see its case.
pub async fn slip(app: &App, user: &Principal, folio: &str) -> Result<Slip, Error> {
    let (petition, handling) = petition(app, parse_folio(folio)?).await?;
    seen(app, user, &handling).await?;
    let missing = || Error::NotFound("Esta petición no tiene volante de trámite.".into());
    let case_folio = handling.case_folio.clone().ok_or_else(missing)?;
    let (_, _, stored_case) = visible_case(app, user, &case_folio)
        .await
        .map_err(|_| missing())?;
    let unit = liaison_unit(petition.petition.state);
    // The volante in force is the latest turn to the Enlace, open or answered.
    let (turned_at, instruction, due, basis) = stored_case
        .events
        .iter()
        .rev()
        .find_map(|e| match &e.event {
            Event::WorkTurned {
                unit: to,
                at,
                instruction,
                due,
                basis,
                ..
            } if *to == unit => Some((*at, instruction.clone(), *due, *basis)),
            _ => None,
        })
        .ok_or_else(missing)?;
    let motive = match &handling.motive {
        Some(code) => app
            .store
            .motives()
            .await?
            .into_iter()
            .find(|m| &m.code == code)
            .map_or_else(|| code.clone(), |m| format!("{} ({})", m.name, m.code)),
        None => String::new(),
    };
    Ok(Slip {
        handled: Handled {
            petition,
            handling,
            whole: user.can_act(),
        },
        case_folio,
        motive,
        liaison_unit: unit,
        turned_at,
        instruction,
        term_days: basis.map(|b| b.days),
        due,
    })
}

/// What a person may do next with a petition: the steps its page offers, each only to whoever
/// may take it (the same checks as the steps themselves).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct NextSteps {
    /// Classify it (it is received, and the person classifies).
    pub classify: bool,
    /// See its volante and FURs (it has a volante, and the person handles it or sees its case).
    pub follow: bool,
    /// Answer the volante in force on the FUR (the Enlace holding its turn).
    pub answer: bool,
    /// Review the FUR waiting for it (a handler).
    pub review: bool,
}

/// The steps `user` may take next on a petition with `handling`.
pub async fn next_steps(
    app: &App,
    user: &Principal,
    petition: &StoredPetition,
    handling: &PetitionHandling,
) -> Result<NextSteps, Error> {
    let handles = handler(app, user).is_ok();
    let case = match &handling.case_folio {
        Some(case_folio) => match visible_current(app, user, case_folio).await {
            Ok(seen) => Some(seen),
            Err(Error::Hidden) => None,
            Err(other) => return Err(other),
        },
        None => None,
    };
    let answer = match &case {
        Some((id, procedure, current)) => liaison_turn(
            app,
            (procedure, *id, &current.case),
            petition.petition.state,
            handling,
            user,
        )
        .await?
        .is_some(),
        None => false,
    };
    Ok(NextSteps {
        classify: handles && handling.status == RECEIVED,
        follow: handling.case_folio.is_some() && (handles || case.is_some()),
        answer,
        review: handles && awaiting_review(handling),
    })
}

/// The petition a case of the volante's procedure handles: its folio, from the case's field.
pub fn petition_of(procedure: &Procedure, case: &Case) -> Option<String> {
    if procedure.key != volante::KEY {
        return None;
    }
    match case.fields.get(volante::PETITION) {
        Some(Value::Text(folio)) => Some(folio.clone()),
        _ => None,
    }
}

/// The FURs of a petition and what the person may do with the volante in force's.
pub struct Responses {
    pub handled: Handled,
    /// The Enlace may answer the volante in force.
    pub may_answer: bool,
    /// A handler may review the volante in force's FUR.
    pub may_review: bool,
}

/// The FURs of petition `folio`, for its handlers and those who see its volante's case.
pub async fn responses(app: &App, user: &Principal, folio: &str) -> Result<Responses, Error> {
    let (petition, handling) = petition(app, parse_folio(folio)?).await?;
    let case = seen(app, user, &handling).await?;
    let may_answer = match &case {
        Some((id, procedure, case)) => liaison_turn(
            app,
            (procedure, *id, case),
            petition.petition.state,
            &handling,
            user,
        )
        .await?
        .is_some(),
        None => false,
    };
    let may_review = awaiting_review(&handling) && handler(app, user).is_ok();
    Ok(Responses {
        handled: Handled {
            petition,
            handling,
            whole: user.can_act(),
        },
        may_answer,
        may_review,
    })
}

/// Turns the volante's [`volante::TURN`] to the entidad's Enlace with the term, once per
/// volante; answers the due date.
struct ToLiaison<'a> {
    case_id: CaseId,
    entidad: Entidad,
    folio: PetitionFolio,
    slip: u16,
    days: u16,
    observations: Option<&'a str>,
}

async fn turn_to_liaison(
    app: &App,
    procedure: &Procedure,
    user: &Principal,
    to: ToLiaison<'_>,
) -> Result<jiff::civil::Date, Error> {
    let ToLiaison {
        case_id,
        entidad,
        folio,
        slip,
        days,
        observations,
    } = to;
    let unit = liaison_unit(entidad);
    if !app.store.units().await?.iter().any(|u| u.code == unit) {
        return Err(Error::Refused(format!(
            "La unidad del Enlace de Atención Ciudadana de {} ({unit}) no está en el organigrama.",
            entidad.name()
        )));
    }
    let current = app.store.load_current(case_id).await?;
    let work = open_at(procedure, &current.case, volante::TURN)
        .ok_or_else(|| Error::Conflict("El volante no espera turno.".into()))?
        .clone();
    let mut instruction = format!(
        "Volante de trámite {slip} de la petición {folio}: atienda y responda en el Formato Único de Respuesta (FUR)."
    );
    if let Some(observations) = observations {
        instruction.push_str(&format!(
            " Para ampliar respuesta favorable: {observations}"
        ));
    }
    let moment = app.moment();
    let ctx = moment.context();
    let key = format!("peticion:{folio}:turno:{slip}");
    let committed = turn_work(
        &app.store,
        OnCase::new(procedure, case_id, &ctx).once(Some(&key)),
        Turn {
            item: work.id,
            by: actor(procedure, Some(&work), user, work.participant),
            units: vec![unit.clone()],
            instruction,
            business_days: Some(days),
        },
    )
    .await?;
    let after = app.store.load_current(committed.case_id).await?;
    after
        .case
        .open
        .iter()
        .filter(|w| w.turn.as_ref().is_some_and(|t| t.unit == unit))
        .find_map(|w| w.due)
        .ok_or_else(|| Error::internal(format!("the turn of {folio} to {unit} has no due date")))
}

/// The Enlace's term (`days`, as the request names it), checked before anything is recorded
/// as the engine will take it: the days, when given and in range.
fn check_term(checked: &mut Checked, days: Option<u16>) -> Option<u16> {
    let days = days.filter(|days| (1..=MAX_TURN_DAYS).contains(days));
    if days.is_none() {
        checked.wrong(
            "days",
            format!("El plazo del Enlace es de 1 a {MAX_TURN_DAYS} días hábiles."),
        );
    }
    days
}

/// A text a person wrote in `field`, of at most `max` characters.
fn within(checked: &mut Checked, field: &str, (text, what): (&str, &str), max: usize) {
    let length = text.chars().count();
    if length > max {
        checked.wrong(
            field,
            format!("{what}: {length} caracteres; el máximo es {max}."),
        );
    }
}

/// What the classification does with the petition.
pub enum Decision {
    /// It needs action: a volante to the entidad's Enlace, with their term in días hábiles
    /// (`None`: what was given is no number of days).
    Turn { days: Option<u16> },
    /// It does not: this answer, by e-mail when the petitioner gave an address.
    Answer(String),
}

/// A petition's classification as given. What a form left unchosen (or gave unreadable) is
/// `None`, so that its problem is named with every other one in a single refusal.
pub struct Classify {
    pub kind: Option<PetitionKind>,
    /// The motive's code, from the catalog.
    pub motive: String,
    pub entidad: Option<Entidad>,
    /// `None`: «¿Amerita gestión?» was not answered.
    pub decision: Option<Decision>,
}

/// A received petition a handler may classify.
pub struct Classifying {
    procedure: Arc<Procedure>,
    folio: PetitionFolio,
    petition: StoredPetition,
}

/// The checks of classifying, before the form is read: the person classifies, and the
/// petition exists.
pub async fn classifying(app: &App, user: &Principal, folio: &str) -> Result<Classifying, Error> {
    let procedure = handler(app, user)?;
    let folio = parse_folio(folio)?;
    let (petition, _) = petition(app, folio).await?;
    Ok(Classifying {
        procedure,
        folio,
        petition,
    })
}

impl Classifying {
    /// Classifies the petition and answers it, or turns it with a volante (a case of the
    /// volante's procedure turned to the Enlace). Answers its handling as it now stands.
    pub async fn classify(
        self,
        app: &App,
        user: &Principal,
        input: Classify,
    ) -> Result<PetitionHandling, Error> {
        let Classifying {
            procedure,
            folio,
            petition,
        } = self;
        // Checked before anything is started: a volante started and not turned would wait.
        let mut checked = Checked::default();
        if input.kind.is_none() {
            checked.wrong("kind", "Elija el tipo de petición.");
        }
        if input.entidad.is_none() {
            checked.wrong("state", "Elija una entidad federativa.");
        }
        let needs_action = matches!(input.decision, Some(Decision::Turn { .. }));
        // The decision with its values checked: the term in range, the answer written.
        let decision = match input.decision {
            None => {
                checked.wrong("needs_action", "«¿Amerita gestión?»: responda Sí o No.");
                None
            }
            Some(Decision::Turn { days }) => {
                check_term(&mut checked, days).map(|days| Decision::Turn { days: Some(days) })
            }
            Some(Decision::Answer(answer)) => {
                if answer.trim().is_empty() {
                    checked.wrong("answer", "Escriba la respuesta al peticionario.");
                } else {
                    within(
                        &mut checked,
                        "answer",
                        (&answer, "La respuesta al peticionario"),
                        MAX_NARRATIVE_CHARS,
                    );
                }
                Some(Decision::Answer(answer))
            }
        };
        let motive = match (input.motive.trim(), input.kind) {
            ("", _) => {
                checked.wrong("motive", "Elija el motivo.");
                None
            }
            // Whether the motive is for the kind waits for the kind, named above.
            (_, None) => None,
            (code, Some(kind)) => {
                let catalog =
                    MotiveCatalog::new(app.store.motives().await?).map_err(|problems| {
                        Error::internal(format!(
                            "the stored motive catalog is invalid: {problems:?}"
                        ))
                    })?;
                match catalog.for_kind(kind, code) {
                    Ok(motive) => Some(motive.code.clone()),
                    Err(e) => {
                        checked.wrong("motive", format!("{}.", capitalized(&e.to_string())));
                        None
                    }
                }
            }
        };
        let (Some(kind), Some(motive), Some(state), Some(decision)) =
            (input.kind, motive, input.entidad, decision)
        else {
            return Err(checked.refused());
        };
        let classification = Classification {
            kind,
            motive,
            state,
            needs_action,
        };
        checked.done()?;
        let moment = app.moment();
        let ctx = moment.context();
        let disposal = match decision {
            Decision::Turn { days } => {
                // `Some` once checked above.
                let days = days.unwrap_or(DEFAULT_TERM);
                let committed = start_case(
                    &app.store,
                    &procedure,
                    NewCase {
                        folio: FolioRule::for_procedure(&procedure, None, ctx.today.year()),
                        title: format!("Volante de trámite de la petición {folio}"),
                        channel: Some(petition.petition.channel.label().to_owned()),
                        requester: None,
                    },
                    Start {
                        by: registering_actor(&procedure, user),
                        fields: BTreeMap::from([(
                            volante::PETITION.to_owned(),
                            Value::Text(folio.to_string()),
                        )]),
                    },
                    &ctx,
                    Some(&format!("peticion:{folio}:volante")),
                )
                .await?;
                let to = ToLiaison {
                    case_id: committed.case_id,
                    entidad: state,
                    folio,
                    slip: 1,
                    days,
                    observations: None,
                };
                let due_on = turn_to_liaison(app, &procedure, user, to).await?;
                Disposal::Turned {
                    case_folio: committed.folio,
                    due_on,
                }
            }
            Decision::Answer(answer) => {
                let mail = petition.petition.contact.email.as_ref().map(|email| NewMail {
                    dedup: format!("peticion:{folio}:respuesta"),
                    user_id: user.id,
                    recipient: email.as_str().to_owned(),
                    subject: format!("Respuesta a su petición {folio}"),
                    body: format!(
                        "{answer}\n\nFolio de su petición: {folio}.\nSistema Nacional de Atención Ciudadana\n"
                    ),
                });
                Disposal::Answered {
                    answer,
                    on: ctx.today,
                    mail,
                }
            }
        };
        let turned = matches!(disposal, Disposal::Turned { .. });
        app.store
            .classify(
                folio,
                &Classified {
                    classification,
                    by: user.login.clone(),
                    at: ctx.now,
                    disposal,
                },
            )
            .await?;
        tracing::info!(%folio, user = %user.login, turned, "petition classified");
        handling_of(app, folio).await
    }
}

/// The Enlace's answer on the FUR, as given.
pub struct Fur {
    /// The Enlace's name.
    pub liaison: String,
    pub answered_on: jiff::civil::Date,
    /// When and how they reached the petitioner, if they did.
    pub contact: Option<PetitionerContact>,
    pub actions: String,
    pub outcome: Outcome,
    pub answer: String,
}

/// The FUR of the volante in force, which the Enlace holding its turn may answer.
pub struct Answering {
    folio: PetitionFolio,
    slip: u16,
    entidad: Entidad,
    case_id: CaseId,
    procedure: Arc<Procedure>,
    /// The turn the FUR answers, unless it was answered on the volante's case already.
    work: Option<WorkItem>,
    /// When the volante in force was turned: the FUR cannot be older.
    turned_on: jiff::civil::Date,
}

/// The checks of answering the FUR, before the form is read: the petition has a volante whose
/// case the person sees, and its turn to the Enlace is open and theirs.
pub async fn answering(app: &App, user: &Principal, folio: &str) -> Result<Answering, Error> {
    let folio = parse_folio(folio)?;
    let (petition, handling) = petition(app, folio).await?;
    let case_folio = handling.case_folio.as_deref().ok_or(Error::Hidden)?;
    let (case_id, procedure, current) = visible_current(app, user, case_folio).await?;
    let entidad = petition.petition.state;
    let turn = liaison_turn(
        app,
        (&procedure, case_id, &current.case),
        entidad,
        &handling,
        user,
    )
    .await?
    .ok_or_else(|| {
        Error::Denied(
            "Solo el Enlace de Atención Ciudadana de la entidad, con el volante en curso \
             turnado a su unidad y sin FUR, responde el FUR."
                .into(),
        )
    })?;
    let (work, turned_at) = match turn {
        LiaisonTurn::Open(work) => {
            let at = work.opened_at;
            (Some(work), at)
        }
        LiaisonTurn::Answered(at) => (None, at),
    };
    Ok(Answering {
        folio,
        slip: handling.slip,
        entidad,
        case_id,
        procedure,
        work,
        turned_on: turned_at.to_zoned(app.time_zone.clone()).date(),
    })
}

impl Answering {
    /// Records the FUR: the turn answered first (once per volante by its key, so that a retry
    /// after a failure to record the FUR replays it), then the form. Answers the petition's
    /// handling as it now stands.
    pub async fn answer(
        self,
        app: &App,
        user: &Principal,
        fur: Fur,
    ) -> Result<PetitionHandling, Error> {
        let form = ResponseForm {
            petition: self.folio,
            slip: self.slip,
            state: self.entidad,
            liaison: fur.liaison,
            answered_on: fur.answered_on,
            contact: fur.contact,
            actions: fur.actions,
            outcome: fur.outcome,
            answer: fur.answer,
        };
        let moment = app.moment();
        let ctx = moment.context();
        let mut checked = Checked::default();
        for problem in form.check(self.entidad, self.turned_on, ctx.today) {
            checked.wrong(
                fur_field(problem.field()),
                format!("{}.", capitalized(&problem.to_string())),
            );
        }
        checked.done()?;
        // A turn answered on the volante's case already needs only its FUR.
        if let Some(work) = &self.work {
            let key = format!("peticion:{}:fur:{}", self.folio, self.slip);
            complete_work(
                &app.store,
                OnCase::new(&self.procedure, self.case_id, &ctx).once(Some(&key)),
                Complete {
                    item: work.id,
                    by: actor(&self.procedure, Some(work), user, None),
                    outcome: None,
                    fields: BTreeMap::new(),
                    observations: Some(format!("FUR del volante {}", self.slip)),
                    signature: None,
                },
            )
            .await?;
        }
        app.store
            .record_response(&form, &user.login, ctx.now)
            .await?;
        tracing::info!(folio = %self.folio, slip = self.slip, user = %user.login, "FUR recorded");
        handling_of(app, self.folio).await
    }
}

/// The name of a FUR's field in a request (the API's; the page maps it to its inputs).
pub fn fur_field(field: FurField) -> &'static str {
    match field {
        FurField::Liaison => "liaison",
        FurField::AnsweredOn => "answered_on",
        FurField::ContactOn => "contact.on",
        FurField::Actions => "actions",
        FurField::Answer => "answer",
        FurField::State => "state",
    }
}

/// A FUR waiting for its review, which a handler may review.
pub struct Reviewing {
    procedure: Arc<Procedure>,
    folio: PetitionFolio,
    petition: StoredPetition,
    handling: PetitionHandling,
}

/// The checks of reviewing, before the form is read: the person reviews, and the volante in
/// force's FUR waits for its review.
pub async fn reviewing(app: &App, user: &Principal, folio: &str) -> Result<Reviewing, Error> {
    let procedure = handler(app, user)?;
    let folio = parse_folio(folio)?;
    let (petition, handling) = petition(app, folio).await?;
    if !awaiting_review(&handling) {
        return Err(Error::Conflict(
            "Esta petición no tiene un FUR por revisar.".into(),
        ));
    }
    Ok(Reviewing {
        procedure,
        folio,
        petition,
        handling,
    })
}

impl Reviewing {
    /// «¿Está completa y es favorable la respuesta?»: closes the petition with the FUR's answer,
    /// or turns a new volante to the Enlace with the observations and `days` to answer.
    /// Answers the petition's handling as it now stands.
    pub async fn review(
        self,
        app: &App,
        user: &Principal,
        review: Review,
        observations: Option<String>,
        days: u16,
    ) -> Result<PetitionHandling, Error> {
        let Reviewing {
            procedure,
            folio,
            petition,
            handling,
        } = self;
        let observations = observations.filter(|o| !o.trim().is_empty());
        let mut checked = Checked::default();
        if let Some(observations) = &observations {
            within(
                &mut checked,
                "observations",
                (observations, "Las observaciones"),
                MAX_NARRATIVE_CHARS,
            );
        }
        if !review.closes() {
            if observations.is_none() {
                checked.wrong(
                    "observations",
                    "Escriba las observaciones para ampliar la respuesta.",
                );
            }
            // Before the FUR is received: a review recorded and no volante turned would wait.
            check_term(&mut checked, Some(days));
        }
        checked.done()?;
        let missing = || Error::NotFound("Esta petición no tiene volante de trámite.".into());
        let case_folio = handling.case_folio.as_deref().ok_or_else(missing)?;
        let case_id = app.store.find_case(case_folio).await?.ok_or_else(missing)?;
        let slip = handling.slip;
        let moment = app.moment();
        let ctx = moment.context();
        // Receiving the FUR and deciding on it, each once per volante by its key.
        let verdict = if review.closes() { "Sí" } else { "No" };
        for (activity, outcome, step) in [
            (volante::TURN, None, "recibe"),
            (volante::REVIEW, Some(verdict), "revisa"),
        ] {
            let current = app.store.load_current(case_id).await?;
            let Some(work) = open_at(&procedure, &current.case, activity).cloned() else {
                continue;
            };
            let key = format!("peticion:{folio}:{step}:{slip}");
            complete_work(
                &app.store,
                OnCase::new(&procedure, case_id, &ctx).once(Some(&key)),
                Complete {
                    item: work.id,
                    by: actor(&procedure, Some(&work), user, work.participant),
                    outcome: outcome.map(str::to_owned),
                    fields: BTreeMap::new(),
                    observations: observations.clone(),
                    signature: None,
                },
            )
            .await?;
        }
        let next = if review.closes() {
            let answer = handling
                .responses
                .last()
                .map(|r| r.form.answer.clone())
                .unwrap_or_default();
            AfterReview::Closed {
                answer,
                on: ctx.today,
            }
        } else {
            let to = ToLiaison {
                case_id,
                entidad: petition.petition.state,
                folio,
                slip: slip + 1,
                days,
                observations: observations.as_deref(),
            };
            AfterReview::TurnedAgain {
                due_on: turn_to_liaison(app, &procedure, user, to).await?,
            }
        };
        app.store
            .record_review(
                folio,
                &Reviewed {
                    review,
                    observations,
                    by: user.login.clone(),
                    at: ctx.now,
                    next,
                },
            )
            .await?;
        handling_of(app, folio).await
    }
}

#[cfg(test)]
mod tests {
    use super::volante;
    use turno_domain::definition::{Route, parse_procedure};

    /// The handling drives the volante by these names: the definition must have them.
    #[test]
    fn the_volante_definition_has_the_activities_the_handling_drives() {
        let procedure = parse_procedure(include_str!("../../../procedures/sinac-volante.toml"))
            .expect("the volante's definition is valid");
        assert_eq!(procedure.key, volante::KEY);
        let turn = procedure
            .activity_by_number(volante::TURN)
            .expect("the volante's turn");
        assert_eq!(
            procedure.first_activity(),
            turn,
            "the volante starts turned"
        );
        let review = procedure
            .activity_by_number(volante::REVIEW)
            .expect("the FUR's review");
        let Route::Decide { branches, .. } = &procedure.activity(review).route else {
            panic!("the review is a decision");
        };
        let mut answers: Vec<&str> = branches.iter().map(|b| b.answer.as_str()).collect();
        answers.sort();
        assert_eq!(answers, ["No", "Sí"]);
        assert!(procedure.fields.iter().any(|f| f.name == volante::PETITION));
    }
}
