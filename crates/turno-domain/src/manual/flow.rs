//! An activity cell read into activities: each begins at its number («2.2 Solicita …»); then
//! come its documents («· Oficio», «* Oficio», «- Oficio»), its question («¿Procede?»,
//! «Procede:»), its answers («No: Regresa a la actividad 1.2», «Si: Continúa procedimiento»),
//! notes («Nota: …») and the end («TERMINA PROCEDIMIENTO»). Where an answer or an activity
//! goes is read from its words: «regresa/pasa/continúa/sigue (a la) actividad N» (a stage
//! number goes to the stage's first activity), «termina/fin de(l) procedimiento».

use super::lines::{Line, Place};
use super::sections::squash;
use super::table::activity_heading;
use super::terms;
use super::{Activity, Branch, Report, Stage};
use crate::text::fold;

/// A document line's text, without its bullet.
fn document(text: &str) -> Option<String> {
    let rest = text.strip_prefix(['·', '*', '•', '-', '–'])?;
    let rest = squash(rest);
    (!rest.is_empty()).then_some(rest)
}

/// An answer line: «No: …», «Si. …», «Sí - …».
fn answer(text: &str) -> Option<(String, String)> {
    let folded = fold(text);
    for (word, answer) in [("no", "No"), ("si", "Sí")] {
        if let Some(rest) = folded.strip_prefix(word)
            && rest.starts_with([':', '.', '-', ','])
        {
            // The same length in the original: «Si»/«Sí»/«No» are two characters.
            let original: String = text.chars().skip(word.len() + 1).collect();
            return Some((
                answer.to_owned(),
                squash(original.trim_start_matches([':', '.', '-', ',', ' '])),
            ));
        }
    }
    None
}

/// An answer of a decision with answers other than «Sí» and «No» («Pública: pasa a la
/// actividad 6.1», «Confirma: …», «Desecha o sobresee: …»): one or two words, or two joined by
/// «o», «u», «y», «e», the first a capital, then «:». Read only after the activity's question.
pub(crate) fn named_answer(text: &str) -> Option<(String, String)> {
    let (head, rest) = text.split_once(':')?;
    let words: Vec<&str> = head.split_whitespace().collect();
    let joined = words.len() == 3 && matches!(words[1], "o" | "u" | "y" | "e");
    let named = (matches!(words.len(), 1 | 2) || joined)
        && words[0].starts_with(char::is_uppercase)
        && words.iter().all(|w| w.chars().all(char::is_alphabetic))
        && !matches!(fold(words[0]).as_str(), "nota" | "plazo");
    named.then(|| (words.join(" "), squash(rest)))
}

/// Whether a line says the procedure ends here.
pub fn says_end(text: &str) -> bool {
    let folded = squash(&fold(text));
    [
        "termina procedimiento",
        "termina el procedimiento",
        "termina de procedimiento",
        "fin de procedimiento",
        "fin del procedimiento",
        "finaliza procedimiento",
        "finaliza el procedimiento",
        "concluye el procedimiento",
        "concluye procedimiento",
    ]
    .iter()
    .any(|end| folded.contains(end))
}

fn is_end_line(text: &str) -> bool {
    let folded = fold(text).trim_end_matches(['.', ' ']).to_owned();
    says_end(text) && folded.split_whitespace().count() <= 4
}

/// A bare question line: «¿Procede?», «Procede:», «PROCEDE:».
fn question(text: &str) -> Option<String> {
    let t = text.trim();
    if t.starts_with('¿') && t.ends_with('?') {
        return Some(t.to_owned());
    }
    let folded = fold(t);
    let bare = folded.trim_end_matches([':', '.', ' ']);
    matches!(bare, "procede" | "¿procede").then(|| "¿Procede?".to_owned())
}

/// A question at the end of an activity's text: «Elabora carpeta … ¿Hay alguna nota relevante?».
fn inline_question(text: &str) -> Option<String> {
    let start = text.rfind('¿')?;
    let rest = text[start..].trim();
    rest.ends_with('?').then(|| rest.to_owned())
}

#[derive(PartialEq)]
enum Last {
    Text,
    Branch,
    Other,
}

/// Reads the activities of a cell.
pub(crate) fn activities(lines: &[Line], report: &mut Report) -> Vec<Activity> {
    let mut out: Vec<Activity> = Vec::new();
    let mut loose_documents: Vec<(Place, String)> = Vec::new();
    let mut last = Last::Other;
    let mut blank = false;
    for line in lines {
        let text = line.trimmed();
        if text.is_empty() {
            blank = true;
            continue;
        }
        let was_blank = std::mem::take(&mut blank);
        if let Some((number, rest)) = activity_heading(text) {
            out.push(Activity {
                number,
                text: squash(&rest),
                place: line.place,
                ..Activity::default()
            });
            last = Last::Text;
            continue;
        }
        let Some(activity) = out.last_mut() else {
            report.add(
                line.place,
                format!(
                    "texto antes de la primera actividad de la celda: «{}»; no se leyó",
                    super::table::short(text)
                ),
            );
            continue;
        };
        if let Some(doc) = document(text) {
            loose_documents.push((line.place, doc));
            last = Last::Other;
            continue;
        }
        // «Si atendió la totalidad …» with no «:» after an answer or a question: the other answer.
        let bare = (activity.decision.is_some() || !activity.branches.is_empty())
            .then(|| {
                let folded = fold(text);
                let answer = if folded.starts_with("si ") {
                    "Sí"
                } else if folded.starts_with("no ") {
                    "No"
                } else {
                    return None;
                };
                activity
                    .branches
                    .iter()
                    .all(|b| b.answer != answer)
                    .then(|| (answer.to_owned(), squash(text)))
            })
            .flatten();
        let named = activity
            .decision
            .is_some()
            .then(|| named_answer(text))
            .flatten();
        if let Some((answer, rest)) = answer(text).or(bare).or(named) {
            activity.branches.push(Branch {
                answer,
                text: rest,
                ..Branch::default()
            });
            last = Last::Branch;
            continue;
        }
        // The lines `turno export manual` writes after the text: the term, a turn to each
        // responsible, a sub-procedure. The draft keeps the term; the others are reported.
        let folded = fold(text);
        if let Some(rest) = folded.strip_prefix("plazo:") {
            // «Plazo: 5 días hábiles. Regresa a la actividad 4.2.»: a sentence joined after
            // the term is the activity's, as it would be on a line of its own; one that only
            // says where the activity goes is its route, not its text.
            let (rest, after) = match rest.find(". ") {
                Some(cut) => {
                    // Folding keeps one character for each: the same sentence in the original.
                    let length = rest[cut + 2..].chars().count();
                    let skip = text.chars().count().saturating_sub(length);
                    (&rest[..cut], text.chars().skip(skip).collect::<String>())
                }
                None => (rest, String::new()),
            };
            if only_route(&after) {
                activity.route_words = Some(squash(&after));
            } else if !after.trim().is_empty() {
                activity.text = squash(&format!("{} {}", activity.text, after.trim()));
            }
            // «Plazo: 10 días hábiles; si vence, pasa a la actividad 3.4»: the expiry's path,
            // resolved with the other targets.
            if let Some((_, words)) = rest.split_once("si vence") {
                activity.expiry_words = Some(words.trim_start_matches([',', ' ']).to_owned());
            }
            match terms::terms(rest).first() {
                Some(term) if activity.term.is_none() => {
                    activity.term = Some(term.clone());
                    report.add(
                        line.place,
                        format!(
                            "la actividad {} tiene el plazo «{term}» («{}»): revise desde cuándo corre y a dónde va si vence",
                            activity.number,
                            super::table::short(text)
                        ),
                    );
                }
                _ => report.add(
                    line.place,
                    format!(
                        "plazo de la actividad {} que no se asignó: «{}»",
                        activity.number,
                        super::table::short(text)
                    ),
                ),
            }
            last = Last::Other;
            continue;
        }
        if folded.starts_with("se turna a cada responsable")
            || folded.starts_with("inicia el procedimiento")
        {
            report.add(
                line.place,
                format!(
                    "la actividad {} dice «{}»: márquela en el borrador (`parallel`, `call`)",
                    activity.number,
                    squash(text)
                ),
            );
            last = Last::Other;
            continue;
        }
        if is_end_line(text) {
            activity.end = true;
            last = Last::Other;
            continue;
        }
        if let Some(q) = question(text) {
            if activity.decision.is_none() {
                activity.decision = Some(q);
            }
            last = Last::Other;
            continue;
        }
        match last {
            Last::Branch if !was_blank => {
                if let Some(branch) = activity.branches.last_mut() {
                    branch.text = squash(&format!("{} {text}", branch.text));
                }
            }
            Last::Text | Last::Other if activity.branches.is_empty() => {
                activity.text = squash(&format!("{} {text}", activity.text));
                last = Last::Text;
            }
            _ => report.add(
                line.place,
                format!(
                    "texto después de las respuestas de la actividad {}: «{}»; no se leyó",
                    activity.number,
                    super::table::short(text)
                ),
            ),
        }
    }
    // «… ¿Está completa la respuesta?» ends one activity and the answers follow the next
    // (under «PROCEDE»): the question is the next one's.
    for i in 1..out.len() {
        let (before, after) = out.split_at_mut(i);
        let (asked, answered) = (&mut before[i - 1], &mut after[0]);
        if asked.branches.is_empty()
            && asked.decision.is_none()
            && answered.branches.len() >= 2
            && answered
                .decision
                .as_deref()
                .is_none_or(|q| q == "¿Procede?")
            && let Some(q) = inline_question(&asked.text)
        {
            report.add(
                asked.place,
                format!(
                    "la pregunta «{q}» está al final de la actividad {} y sus respuestas en la {}: se leyó como pregunta de la {}",
                    asked.number, answered.number, answered.number
                ),
            );
            asked.text = asked.text.replace(&q, "").trim().to_owned();
            answered.decision = Some(q);
        }
    }
    for activity in &mut out {
        finish(activity, report);
    }
    assign_documents(&mut out, loose_documents, lines, report);
    out
}

/// The activities of a row whose number is given apart (*No. Act.* column).
pub(crate) fn activities_numbered(
    lines: &[Line],
    number: &str,
    report: &mut Report,
) -> Vec<Activity> {
    let mut out = activities(lines, report);
    if out.is_empty() {
        out.push(Activity {
            number: number.to_owned(),
            place: lines.first().map(|l| l.place).unwrap_or_default(),
            ..Activity::default()
        });
    }
    out
}

/// Decides what the lines left open: the question and its answers, the term.
fn finish(activity: &mut Activity, report: &mut Report) {
    if activity.decision.is_none()
        && let Some(q) = inline_question(&activity.text)
    {
        activity.decision = Some(q);
    }
    if activity.decision.is_some() && activity.branches.len() < 2 {
        report.add(
            activity.place,
            format!(
                "la actividad {} pregunta «{}» pero no tiene dos respuestas: se dejó sin decisión",
                activity.number,
                activity.decision.as_deref().unwrap_or_default()
            ),
        );
        if let [branch] = activity.branches.as_slice() {
            activity.text = squash(&format!(
                "{} {}: {}",
                activity.text, branch.answer, branch.text
            ));
        }
        activity.decision = None;
        activity.branches.clear();
    } else if activity.decision.is_none() && activity.branches.len() >= 2 {
        report.add(
            activity.place,
            format!(
                "la actividad {} tiene respuestas sin pregunta: se escribió «¿Procede?»",
                activity.number
            ),
        );
        activity.decision = Some("¿Procede?".to_owned());
    } else if activity.decision.is_none() && activity.branches.len() == 1 {
        let branch = activity.branches.remove(0);
        activity.text = squash(&format!(
            "{} {}: {}",
            activity.text, branch.answer, branch.text
        ));
    }
    let mut answers = std::collections::BTreeSet::new();
    for branch in &activity.branches {
        if !answers.insert(fold(&branch.answer)) {
            report.add(
                activity.place,
                format!(
                    "la actividad {} repite la respuesta «{}»",
                    activity.number, branch.answer
                ),
            );
        }
    }
    let found = terms::terms(&activity.text);
    match found.as_slice() {
        [] => {}
        [term] => {
            activity.term = Some(term.clone());
            report.add(
                activity.place,
                format!(
                    "la actividad {} fija el plazo «{term}»: se cuenta desde que se abre la \
                     actividad; revise desde cuándo corre",
                    activity.number
                ),
            );
        }
        many => report.add(
            activity.place,
            format!(
                "la actividad {} nombra varios plazos ({}): no se asignó ninguno",
                activity.number,
                many.join(", ")
            ),
        ),
    }
    for branch in &activity.branches {
        if expiry_answer(&branch.text).is_some() {
            continue;
        }
        for term in terms::terms(&branch.text) {
            report.add(
                activity.place,
                format!(
                    "la respuesta «{}» de la actividad {} nombra el plazo «{term}»: no se \
                     asignó; si la respuesta es su vencimiento, márquela `expiry`",
                    branch.answer, activity.number
                ),
            );
        }
    }
}

/// Documents listed at the end of a cell belong to its activities: one each when they are as
/// many, otherwise all to every activity (reported).
fn assign_documents(
    activities: &mut [Activity],
    documents: Vec<(Place, String)>,
    lines: &[Line],
    report: &mut Report,
) {
    if documents.is_empty() || activities.is_empty() {
        return;
    }
    // A document written right under an activity (before the next one begins) is its own.
    let mut unplaced = Vec::new();
    for (place, doc) in documents {
        let owner = activities.iter().rposition(|a| a.place.line <= place.line);
        let next_starts = owner
            .and_then(|i| activities.get(i + 1))
            .map(|a| a.place.line);
        let last_line = lines.last().map(|l| l.place.line).unwrap_or(0);
        match owner {
            Some(i) if next_starts.is_some_and(|n| n > place.line) => {
                activities[i].documents.push(doc)
            }
            _ if activities.len() == 1 => activities[0].documents.push(doc),
            _ => unplaced.push((place, doc, last_line)),
        }
    }
    if unplaced.is_empty() {
        return;
    }
    if unplaced.len() == activities.len() {
        for (activity, (_, doc, _)) in activities.iter_mut().zip(unplaced) {
            activity.documents.push(doc);
        }
        return;
    }
    let first = activities[0].number.clone();
    let last = activities[activities.len() - 1].number.clone();
    for (place, doc, _) in unplaced {
        report.add(
            place,
            format!("el documento «{doc}» está al final de la etapa: se asignó a sus actividades {first} a {last}; deje solo las que lo producen o reciben"),
        );
        for activity in activities.iter_mut() {
            activity.documents.push(doc.clone());
        }
    }
}

/// Where a text sends the flow: `Some(Target)` when it names an activity or the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The printed number: «1.2», «10» or «2.0» (a stage).
    Number(String),
    End,
}

const VERBS: [&str; 9] = [
    "regresa",
    "regresar",
    "pasa",
    "pasar",
    "continua",
    "continuar",
    "sigue",
    "seguir",
    "ir",
];

/// The target a text names: «Regresa a la actividad 1.2», «REGRESA ACT. 2.6», «Pasa actividad
/// 10», «Sigue en actividad 18», «Termina procedimiento». The last one named wins.
pub fn target(text: &str) -> Option<Target> {
    let folded = fold(text).replace(['.', ',', ';', ':'], " . ");
    let words: Vec<&str> = folded.split_whitespace().collect();
    let mut found = None;
    let mut at = 0;
    while at < words.len() {
        if VERBS.contains(&words[at]) {
            // Up to four words later: «a la actividad», «en actividad», «act .».
            let window = &words[at + 1..(at + 7).min(words.len())];
            if let Some(k) = window
                .iter()
                .position(|w| *w == "actividad" || *w == "act" || *w == "etapa")
            {
                let rest = &window[k + 1..];
                let number: Vec<&str> = rest
                    .iter()
                    .skip_while(|w| **w == ".")
                    .take_while(|w| w.chars().all(|c| c.is_ascii_digit()) || **w == ".")
                    .copied()
                    .collect();
                let joined = number.join("").trim_matches('.').to_owned();
                if !joined.is_empty() && joined.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                    found = Some(Target::Number(joined));
                }
            }
        }
        at += 1;
    }
    if found.is_none() && says_end(text) {
        return Some(Target::End);
    }
    found
}

/// Resolves printed numbers to activity ids.
pub(crate) struct Resolve {
    /// (printed number, id) of every activity.
    activities: Vec<(String, String)>,
    /// (stage number without «.0», its first activity's id).
    stages: Vec<(String, String)>,
}

impl Resolve {
    pub fn new(stages: &[Stage]) -> Resolve {
        let mut activities = Vec::new();
        let mut firsts = Vec::new();
        for stage in stages {
            for a in &stage.activities {
                activities.push((
                    a.manual_number.clone().unwrap_or_else(|| a.number.clone()),
                    a.number.clone(),
                ));
            }
            if let Some(first) = stage.activities.first() {
                let n = stage.manual_number.as_deref().unwrap_or(&stage.number);
                let major = n.trim_end_matches('.');
                let major = major.strip_suffix(".0").unwrap_or(major).to_owned();
                firsts.push((major, first.number.clone()));
            }
        }
        Resolve {
            activities,
            stages: firsts,
        }
    }

    /// The id a printed number names: an activity («1.2») or a stage's first («10», «2.0»).
    pub fn id(&self, printed: &str) -> Option<String> {
        let printed = printed.trim_end_matches('.');
        if let Some(major) = printed
            .strip_suffix(".0")
            .or((!printed.contains('.')).then_some(printed))
        {
            return self
                .stages
                .iter()
                .find(|(m, _)| m == major)
                .map(|(_, id)| id.clone());
        }
        self.activities
            .iter()
            .find(|(p, _)| p == printed)
            .map(|(_, id)| id.clone())
    }

    /// The id a printed number names from the activity `from`, whose words `text` name it:
    /// a number printed twice is the one after `from` («continúa/pasa a la actividad 4.1»), or
    /// the one at or before it when the words go back («regresa a la actividad 4.1»).
    pub fn id_from(&self, printed: &str, from: &str, text: &str) -> Option<String> {
        let printed = printed.trim_end_matches('.');
        let twice: Vec<usize> = (0..self.activities.len())
            .filter(|&i| self.activities[i].0 == printed)
            .collect();
        let here = self.activities.iter().position(|(_, id)| id == from);
        let (true, Some(here)) = (twice.len() > 1, here) else {
            return self.id(printed);
        };
        let folded = fold(text);
        let back = folded
            .split(|c: char| !c.is_alphanumeric())
            .rfind(|w| VERBS.contains(w))
            .is_some_and(|w| w.starts_with("regres"));
        let chosen = if back {
            twice.iter().rev().find(|&&i| i <= here)
        } else {
            twice.iter().find(|&&i| i > here)
        };
        Some(self.activities[*chosen.unwrap_or(&twice[0])].1.clone())
    }

    /// Sets the activity's and its answers' targets from their words.
    pub fn activity(&self, activity: &mut Activity, report: &mut Report) {
        let number = activity.number.clone();
        let place = activity.place;
        if let Some(words) = activity.expiry_words.take() {
            match target(&words) {
                Some(Target::Number(printed)) => match self.id_from(&printed, &number, &words) {
                    Some(id) if id != number => activity.on_expiry = Some(id),
                    _ => report.add(place, format!("el plazo de la actividad {number} va al vencer a «{printed}», que no existe o es ella misma: no se leyó a dónde va; corrija `on_expiry`")),
                },
                Some(Target::End) => report.add(place, format!("el plazo de la actividad {number} termina el procedimiento al vencer: escríbalo como una respuesta `expiry` que termina")),
                None => report.add(place, format!("el plazo de la actividad {number} dice «si vence, {words}» sin una actividad: no se leyó a dónde va")),
            }
        }
        for branch in &mut activity.branches {
            if branch.goto.is_some() {
                // Already an expiry path of its own (`expiry_paths`).
                continue;
            }
            match target(&branch.text) {
                Some(Target::End) => branch.end = true,
                Some(Target::Number(printed)) => match self.id_from(&printed, &number, &branch.text) {
                    Some(id) => {
                        if printed.ends_with(".0") || !printed.contains('.') {
                            report.add(place, format!("la respuesta «{}» de la actividad {number} va a «{printed}», que es una etapa: se lee como su primera actividad, {id}", branch.answer));
                        }
                        branch.goto = Some(id);
                    }
                    None => report.add(place, format!("la respuesta «{}» de la actividad {number} va a «{printed}», que no existe: continúa con la actividad siguiente; corrija el destino", branch.answer)),
                },
                None => {}
            }
        }
        link_expiry(activity, report);
        let route = activity.route_words.take();
        if activity.decision.is_none() && !activity.end {
            match target(route.as_deref().unwrap_or(&activity.text)) {
                Some(Target::End) => activity.end = true,
                Some(Target::Number(printed)) => match self.id_from(&printed, &number, &activity.text) {
                    Some(id) if id != number => activity.goto = Some(id),
                    Some(_) => report.add(place, format!("la actividad {number} regresa a sí misma: no se leyó como salto")),
                    None => report.add(place, format!("la actividad {number} va a «{printed}», que no existe: continúa con la actividad siguiente")),
                },
                None => {}
            }
        }
    }
}

/// Whether a sentence only says where the flow goes, as `turno export manual` words it
/// («Regresa a la actividad 2.2.», «Pasa a la actividad 4.1.», «Termina el procedimiento.»).
fn only_route(sentence: &str) -> bool {
    let folded = fold(sentence);
    let folded = folded.trim().trim_end_matches('.');
    target(folded).is_some()
        && folded.split_whitespace().count() <= 6
        && ["regresa", "continua", "pasa a", "termina"]
            .iter()
            .any(|start| folded.starts_with(start))
}

/// The term's expiry and the answer that is its expiry go to the same activity: an answer
/// marked `expiry` gives the term its path; the one answer that goes where the term's
/// «si vence» goes is its expiry.
fn link_expiry(activity: &mut Activity, report: &mut Report) {
    if activity.term.is_none() {
        if activity.on_expiry.take().is_some() {
            report.add(activity.place, format!("la actividad {} dice a dónde va si vence su plazo, pero no se leyó el plazo: no se escribió", activity.number));
        }
        for branch in &mut activity.branches {
            branch.expiry = false;
        }
        return;
    }
    match &activity.on_expiry {
        None => {
            activity.on_expiry = activity
                .branches
                .iter()
                .find(|b| b.expiry)
                .and_then(|b| b.goto.clone());
            for branch in &mut activity.branches {
                if branch.expiry && branch.goto != activity.on_expiry {
                    branch.expiry = false;
                }
            }
        }
        Some(target) => {
            let same: Vec<usize> = (0..activity.branches.len())
                .filter(|&i| activity.branches[i].goto.as_ref() == Some(target))
                .collect();
            let was = same.len() == 1 && activity.branches[same[0]].expiry;
            for (i, branch) in activity.branches.iter_mut().enumerate() {
                branch.expiry = same.len() == 1 && same[0] == i;
            }
            if let ([i], false) = (same.as_slice(), was) {
                report.add(activity.place, format!("la respuesta «{}» de la actividad {} va a donde va el plazo al vencer ({target}): se marcó como su vencimiento (`expiry`); revise que no se pueda elegir antes", activity.branches[*i].answer, activity.number));
            }
        }
    }
}

/// What [`expiry_answer`] reads: the term and the work done after it expires, if any.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ExpiryAnswer {
    pub term: String,
    pub work: Option<ExpiryWork>,
}

/// Work an expiry answer goes on with: its text (capitalized) and its own term.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ExpiryWork {
    pub text: String,
    pub term: Option<String>,
}

/// An answer that is a term's expiry: it says no answer came within a term («No: no hay
/// respuesta por parte de la entidad federativa en 45 días hábiles …», «Si en 30 días hábiles …
/// no hay respuesta …»). Gives the term and, when the answer goes on with something done
/// after the expiry («…; dentro de un plazo de 10 días hábiles posteriores al vencimiento, se
/// hace del conocimiento …»), that work and its own term.
pub(crate) fn expiry_answer(text: &str) -> Option<ExpiryAnswer> {
    let folded = fold(text);
    let silent = [
        "no hay respuesta",
        "sin respuesta",
        "no responde",
        "no se recibe respuesta",
        "no se recibio respuesta",
        "no da respuesta",
    ]
    .iter()
    .any(|words| folded.contains(words));
    if !silent {
        return None;
    }
    let found = terms::terms(text);
    let term = found.first()?.clone();
    let after = ["vencimiento", "Vencimiento", "vencer", "vence"]
        .iter()
        .filter_map(|w| text.find(w).map(|i| i + w.len()))
        .min()
        .and_then(|i| text[i..].find([',', ';']).map(|k| i + k));
    let work = after.and_then(|cut| {
        let rest = text[cut + 1..].trim();
        let words = rest.split_whitespace().count();
        (words >= 3 && rest.starts_with(char::is_alphabetic)).then(|| {
            let own = terms::terms(&text[..cut]).into_iter().find(|t| *t != term);
            ExpiryWork {
                text: crate::text::capitalized(rest),
                term: own,
            }
        })
    });
    Some(ExpiryAnswer { term, work })
}

/// An answer that is a term's expiry and goes on with work of its own (`expiry_answer`): the
/// work becomes an activity of its own right after the decision (`18.1b`, printed as 18.1, with
/// the answer's target), the answer goes to it marked `expiry`, and the decision gets the term
/// with that activity as its `on_expiry` — as `manual-errata.md` encodes cnpss-94's 18.1.
pub(crate) fn expiry_paths(stages: &mut [Stage], report: &mut Report) {
    let mut taken: std::collections::BTreeSet<String> = stages
        .iter()
        .flat_map(|s| s.activities.iter().map(|a| a.number.clone()))
        .collect();
    for stage in stages.iter_mut() {
        let mut at = 0;
        while at < stage.activities.len() {
            let a = &mut stage.activities[at];
            at += 1;
            if a.decision.is_none() || a.expiry_words.is_some() {
                continue;
            }
            let Some((i, ExpiryAnswer { term, work })) = a
                .branches
                .iter()
                .enumerate()
                .find_map(|(i, b)| expiry_answer(&b.text).map(|e| (i, e)))
            else {
                continue;
            };
            if a.term.as_ref().is_some_and(|t| *t != term) {
                report.add(a.place, format!("la respuesta «{}» de la actividad {} es el vencimiento de «{term}», pero la actividad ya tiene el plazo «{}»: no se marcó", a.branches[i].answer, a.number, a.term.as_deref().unwrap_or_default()));
                continue;
            }
            a.term = Some(term.clone());
            a.branches[i].expiry = true;
            let answer = a.branches[i].answer.clone();
            let Some(ExpiryWork { text, term: own }) = work else {
                report.add(a.place, format!("la respuesta «{answer}» de la actividad {} es el vencimiento del plazo «{term}»: se escribió como su plazo, desde que se abre la actividad, y la respuesta se marcó `expiry`; revise desde cuándo corre", a.number));
                continue;
            };
            let mut id = format!("{}b", a.number);
            while !taken.insert(id.clone()) {
                id.push('b');
            }
            a.branches[i].goto = Some(id.clone());
            a.on_expiry = Some(id.clone());
            report.add(a.place, format!("la respuesta «{answer}» de la actividad {} es el vencimiento del plazo «{term}» y sigue con trabajo propio: se leyó como la actividad {id} (impresa {}), a la que va al vencer; revise desde cuándo corre el plazo", a.number, a.manual_number.as_deref().unwrap_or(&a.number)));
            let path = Activity {
                number: id,
                manual_number: Some(a.manual_number.clone().unwrap_or_else(|| a.number.clone())),
                text,
                term: own,
                place: a.place,
                ..Activity::default()
            };
            stage.activities.insert(at, path);
            at += 1;
        }
    }
}

/// A jump forward over activities that nothing else reaches («Si: … Pasa actividad 5.0» right
/// before 4.3) would leave them dead: the answer goes through them instead. A decision that
/// also says «TERMINA PROCEDIMIENTO» ends through its answers that go nowhere else.
pub(crate) fn pass_through(stages: &mut [Stage], report: &mut Report) {
    let order: Vec<String> = stages
        .iter()
        .flat_map(|s| s.activities.iter().map(|a| a.number.clone()))
        .collect();
    let at = |id: &str| order.iter().position(|n| n == id);
    // Who reaches each activity, other than the jumps looked at.
    let mut reached = vec![false; order.len()];
    if !reached.is_empty() {
        reached[0] = true;
    }
    let all: Vec<&Activity> = stages.iter().flat_map(|s| s.activities.iter()).collect();
    for (i, a) in all.iter().enumerate() {
        if let Some(t) = a.on_expiry.as_deref().and_then(at) {
            reached[t] = true;
        }
        let ends = a.end || a.goto.is_some();
        if a.decision.is_some() {
            for b in &a.branches {
                if let Some(t) = b.goto.as_deref().and_then(at) {
                    reached[t] = true;
                } else if !b.end && i + 1 < reached.len() {
                    reached[i + 1] = true;
                }
            }
        } else if let Some(t) = a.goto.as_deref().and_then(at) {
            reached[t] = true;
        } else if !ends && i + 1 < reached.len() {
            reached[i + 1] = true;
        }
    }
    let mut index = 0;
    for stage in stages.iter_mut() {
        for a in &mut stage.activities {
            let here = index;
            index += 1;
            if a.decision.is_some() && a.end {
                a.end = false;
                let mut any = false;
                for b in &mut a.branches {
                    if b.goto.is_none() && !b.end {
                        b.end = true;
                        any = true;
                    }
                }
                report.add(
                    a.place,
                    format!(
                        "la decisión {} dice «TERMINA PROCEDIMIENTO»: {}",
                        a.number,
                        if any {
                            "terminan las respuestas que no van a otra actividad"
                        } else {
                            "sus respuestas ya dicen a dónde van"
                        }
                    ),
                );
            }
            let number = a.number.clone();
            let place = a.place;
            let skip = |goto: &Option<String>| {
                goto.as_deref()
                    .and_then(at)
                    .is_some_and(|t| t > here + 1 && (here + 1..t).all(|k| !reached[k]))
            };
            for b in &mut a.branches {
                if skip(&b.goto) {
                    report.add(place, format!("la respuesta «{}» de la actividad {number} salta actividades a las que nada más lleva: pasa por ellas", b.answer));
                    b.goto = None;
                }
            }
            if a.decision.is_none() && skip(&a.goto) {
                report.add(place, format!("la actividad {number} salta actividades a las que nada más lleva: pasa por ellas"));
                a.goto = None;
            }
        }
    }
}

/// Every procedure must be able to end: without «TERMINA PROCEDIMIENTO», the last activity ends it.
pub(crate) fn ensure_end(stages: &mut [Stage], report: &mut Report) {
    let any = stages
        .iter()
        .flat_map(|s| &s.activities)
        .any(|a| a.end || a.branches.iter().any(|b| b.end));
    if any {
        return;
    }
    if let Some(last) = stages
        .iter_mut()
        .rev()
        .find_map(|s| s.activities.last_mut())
        && last.decision.is_none()
    {
        last.end = true;
        report.add(
            last.place,
            format!(
                "el procedimiento no dice dónde termina: se terminó en su última actividad, {}",
                last.number
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_read_from_the_manuals_words() {
        let n = |s: &str| Some(Target::Number(s.to_owned()));
        assert_eq!(target("Regresa a la actividad 1.2"), n("1.2"));
        assert_eq!(target("Se hacen observaciones. REGRESA ACT. 2.6"), n("2.6"));
        assert_eq!(target("Solicita autorización … Pasa actividad 10"), n("10"));
        assert_eq!(target("No atendió … Sigue en actividad 18"), n("18"));
        assert_eq!(target("Continua actividad 19.0"), n("19.0"));
        assert_eq!(target("Atiende. Termina Procedimiento."), Some(Target::End));
        assert_eq!(target("Continúa procedimiento."), None);
        assert_eq!(target("Pasa a la actividad 7.0"), n("7.0"));
    }

    #[test]
    fn an_answer_that_says_no_answer_came_in_a_term_is_its_expiry() {
        let ExpiryAnswer { term, work } = expiry_answer(
            "no hay respuesta por parte de la entidad federativa en 45 días hábiles posteriores a \
             la recepción de resultados; dentro de un plazo de 10 días hábiles posteriores al \
             vencimiento, se hace del conocimiento de los Órganos de Control. Continua actividad 19.0",
        )
        .expect("an expiry");
        assert_eq!(term, "45 días hábiles");
        let ExpiryWork { text, term: own } = work.expect("work of its own");
        assert_eq!(
            text,
            "Se hace del conocimiento de los Órganos de Control. Continua actividad 19.0"
        );
        assert_eq!(own.as_deref(), Some("10 días hábiles"));
        let ExpiryAnswer { term, work } =
            expiry_answer("No: sin respuesta en 5 días hábiles. Pasa a la actividad 3.1").unwrap();
        assert_eq!((term.as_str(), work), ("5 días hábiles", None));
        // An answer with a term that is no expiry, and one with no term.
        assert_eq!(
            expiry_answer("Recibe la respuesta en 30 días hábiles"),
            None
        );
        assert_eq!(
            expiry_answer("No hay respuesta: regresa a la actividad 1.1"),
            None
        );
    }

    #[test]
    fn a_number_printed_twice_is_the_one_the_words_point_to() {
        let activity = |number: &str, printed: &str| Activity {
            number: number.to_owned(),
            manual_number: (number != printed).then(|| printed.to_owned()),
            ..Activity::default()
        };
        let stages = [Stage {
            number: "4.0".into(),
            activities: vec![
                activity("4.1", "4.1"),
                activity("4.2", "4.2"),
                activity("4.1b", "4.1"),
                activity("4.3", "4.3"),
            ],
            ..Stage::default()
        }];
        let resolve = Resolve::new(&stages);
        let id = |from: &str, words: &str| resolve.id_from("4.1", from, words);
        assert_eq!(
            id("4.2", "Pasa a la actividad 4.1").as_deref(),
            Some("4.1b")
        );
        assert_eq!(
            id("4.2", "Regresa a la actividad 4.1").as_deref(),
            Some("4.1")
        );
        assert_eq!(
            id("4.3", "Regresa a la actividad 4.1").as_deref(),
            Some("4.1b")
        );
        assert_eq!(
            id("4.1", "Continúa en la actividad 4.1").as_deref(),
            Some("4.1b")
        );
        assert_eq!(
            resolve
                .id_from("4.2", "4.1", "Pasa a la actividad 4.2")
                .as_deref(),
            Some("4.2")
        );
    }

    #[test]
    fn named_answers_are_one_or_two_words_or_two_joined() {
        assert_eq!(
            named_answer("Desecha o sobresee: continúa en la actividad 3.2."),
            Some((
                "Desecha o sobresee".into(),
                "continúa en la actividad 3.2.".into()
            ))
        );
        assert!(named_answer("Pública: pasa a la actividad 6.1").is_some());
        assert_eq!(named_answer("Recibe la solicitud: la registra"), None);
        assert_eq!(named_answer("Nota: algo"), None);
    }

    #[test]
    fn a_route_after_the_term_is_not_the_activitys_text() {
        assert!(only_route("Regresa a la actividad 2.2."));
        assert!(only_route("Pasa a la actividad 7.1"));
        assert!(!only_route(
            "Se notifica al área y regresa a la actividad 2.2."
        ));
        assert!(!only_route("Archiva el expediente."));
        let lines = crate::manual::lines::lines(
            "3.4 Corrige el informe.\nPlazo: 5 días hábiles. Regresa a la actividad 3.2.",
        );
        let mut findings = Vec::new();
        let mut report = Report {
            key: None,
            findings: &mut findings,
        };
        let activities = activities(&lines, &mut report);
        assert_eq!(activities[0].text, "Corrige el informe.");
        assert_eq!(activities[0].term.as_deref(), Some("5 días hábiles"));
        assert_eq!(
            activities[0].route_words.as_deref(),
            Some("Regresa a la actividad 3.2.")
        );
    }

    #[test]
    fn answers_keep_their_text() {
        assert_eq!(
            answer("Si: Continúa procedimiento."),
            Some(("Sí".into(), "Continúa procedimiento.".into()))
        );
        assert_eq!(
            answer("No. Elabora Oficio"),
            Some(("No".into(), "Elabora Oficio".into()))
        );
        assert_eq!(answer("Nota: algo"), None);
        assert_eq!(answer("Sí: x"), Some(("Sí".into(), "x".into())));
    }
}
