//! How close drafts are to hand-encoded definitions of the same procedures: activities
//! (number and text), responsibles (the units of each activity) and decision targets (where
//! each answer of each decision goes, and where a term goes when it expires), right over
//! total, counted on the hand-encoded side.

use crate::definition::{Activity, Exit, Procedure, Route};
use crate::text::fold;

/// Right over total of one measure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ratio {
    pub right: usize,
    pub total: usize,
}

impl Ratio {
    fn add(&mut self, right: bool) {
        self.total += 1;
        self.right += usize::from(right);
    }

    /// The share right, from 0 to 1 (1 when there is nothing to count).
    pub fn share(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.right as f64 / self.total as f64
        }
    }

    fn merge(&mut self, other: Ratio) {
        self.right += other.right;
        self.total += other.total;
    }
}

impl std::fmt::Display for Ratio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}/{} ({:.1} %)",
            self.right,
            self.total,
            self.share() * 100.0
        )
    }
}

/// The three measures, and what was missed.
#[derive(Debug, Clone, Default)]
pub struct Score {
    pub activities: Ratio,
    pub responsibles: Ratio,
    pub decision_targets: Ratio,
    /// One line per miss: «cnpss-94 17.1 «Sí»: fin ≠ 18.1».
    pub misses: Vec<String>,
}

impl Score {
    pub fn merge(&mut self, other: Score) {
        self.activities.merge(other.activities);
        self.responsibles.merge(other.responsibles);
        self.decision_targets.merge(other.decision_targets);
        self.misses.extend(other.misses);
    }
}

/// The words of a text, folded, without punctuation.
fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// How alike two texts are: twice the words in common over all the words (Dice), 0 to 1.
pub fn likeness(a: &str, b: &str) -> f64 {
    let (a, b) = (words(a), words(b));
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let mut rest = b.clone();
    let mut common = 0;
    for w in &a {
        if let Some(i) = rest.iter().position(|x| x == w) {
            rest.swap_remove(i);
            common += 1;
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// The texts are the same activity when this alike (OCR and spelling fixes aside).
pub const ALIKE: f64 = 0.8;

/// An activity's responsibles: each participant's unit (when it has one) and folded name.
fn units(p: &Procedure, a: &Activity) -> Vec<(Option<String>, String)> {
    p.candidates(a)
        .into_iter()
        .map(|id| {
            let part = p.participant(id);
            (part.unit.clone(), fold(&part.name))
        })
        .collect()
}

/// The same responsibles: as many, each of one side the same unit or the same name as one of
/// the other.
fn same_responsibles(
    ours: &[(Option<String>, String)],
    theirs: &[(Option<String>, String)],
) -> bool {
    let same = |a: &(Option<String>, String), b: &(Option<String>, String)| {
        (a.0.is_some() && a.0 == b.0) || a.1 == b.1
    };
    ours.len() == theirs.len()
        && theirs.iter().all(|t| ours.iter().any(|o| same(o, t)))
        && ours.iter().all(|o| theirs.iter().any(|t| same(o, t)))
}

fn shown(list: &[(Option<String>, String)]) -> String {
    list.iter()
        .map(|(unit, name)| unit.clone().unwrap_or_else(|| format!("«{name}»")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn exit(p: &Procedure, e: Exit) -> String {
    match e {
        Exit::End => "fin".to_owned(),
        Exit::Goto(id) => p.activity(id).number.clone(),
    }
}

/// Compares a draft with the hand-encoded definition of the same procedure.
pub fn compare(draft: &Procedure, hand: &Procedure) -> Score {
    let mut score = Score::default();
    let key = &hand.key;
    for a in &hand.activities {
        let found = draft.activities.iter().find(|d| d.number == a.number);
        let Some(d) = found else {
            score.activities.add(false);
            score.responsibles.add(false);
            score
                .misses
                .push(format!("{key} {}: no está en el borrador", a.number));
            if let Route::Decide { branches, .. } = &a.route {
                for _ in branches {
                    score.decision_targets.add(false);
                }
            }
            if a.deadline.as_ref().is_some_and(|t| t.on_expiry.is_some()) {
                score.decision_targets.add(false);
            }
            continue;
        };
        let alike = likeness(&d.text, &a.text);
        score.activities.add(alike >= ALIKE);
        if alike < ALIKE {
            score.misses.push(format!(
                "{key} {}: texto distinto ({:.0} % de palabras en común)",
                a.number,
                alike * 100.0
            ));
        }
        let (ours, theirs) = (units(draft, d), units(hand, a));
        let right = same_responsibles(&ours, &theirs);
        score.responsibles.add(right);
        if !right {
            score.misses.push(format!(
                "{key} {}: responsables {} ≠ {}",
                a.number,
                shown(&ours),
                shown(&theirs)
            ));
        }
        if let Route::Decide { branches, .. } = &a.route {
            for b in branches {
                let mine = match &d.route {
                    Route::Decide { branches: mine, .. } => mine
                        .iter()
                        .find(|m| fold(&m.answer) == fold(&b.answer))
                        .map(|m| exit(draft, m.exit)),
                    Route::Continue(_) => None,
                };
                let place = format!("{key} {} «{}»", a.number, b.answer);
                score.target(&place, mine, exit(hand, b.exit), "sin respuesta");
            }
        }
        // A term's expiry with a path of its own is one more target.
        if let Some(target) = a.deadline.as_ref().and_then(|t| t.on_expiry) {
            let mine = d
                .deadline
                .as_ref()
                .and_then(|t| t.on_expiry)
                .map(|id| exit(draft, Exit::Goto(id)));
            let place = format!("{key} {} al vencer el plazo", a.number);
            score.target(&place, mine, exit(hand, Exit::Goto(target)), "sin camino");
        }
    }
    score
}

impl Score {
    /// Counts one decision target: the draft's (`none` when it has none) against the hand's.
    fn target(&mut self, place: &str, mine: Option<String>, theirs: String, none: &str) {
        let right = mine.as_deref() == Some(theirs.as_str());
        self.decision_targets.add(right);
        if !right {
            self.misses.push(format!(
                "{place}: {} ≠ {theirs}",
                mine.as_deref().unwrap_or(none)
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::likeness;

    #[test]
    fn likeness_ignores_accents_and_punctuation() {
        assert!((likeness("Recibe la información.", "recibe la informacion") - 1.0).abs() < 1e-9);
        assert!(likeness("Recibe la información", "Envía el oficio") < 0.5);
    }
}
