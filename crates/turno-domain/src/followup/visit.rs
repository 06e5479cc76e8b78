//! Evaluation visits to any units (seed 004 §7.1.1: the evaluation of the órganos de operación
//! administrativa desconcentrada and the UMAE, on site or remote), their findings, and the
//! improvement plan that turns the findings into actions followed with the supervision's rounds
//! (`supervision::close_round`). Procedure 94's supervisions are visits of this kind tied to
//! their cnpss-94 case.

use super::asm::{Acceptance, Recommendation};
use super::model::{Activity, FollowupError, Item, ItemKind, Program};
use super::supervision::RoundOutcome;
use jiff::civil::Date;

/// How a visit is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modality {
    /// The team goes to the unit.
    OnSite,
    /// The unit sends its evidence and the team evaluates it at a distance
    /// (videoconference, documents).
    Remote,
}

impl Modality {
    pub const ALL: [Modality; 2] = [Modality::OnSite, Modality::Remote];

    /// As the store and the API write it.
    pub fn code(self) -> &'static str {
        match self {
            Modality::OnSite => "on_site",
            Modality::Remote => "remote",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Modality::OnSite => "presencial",
            Modality::Remote => "a distancia",
        }
    }

    pub fn from_code(code: &str) -> Option<Modality> {
        Modality::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Low, Severity::Medium, Severity::High];

    pub fn code(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Severity::Low => "baja",
            Severity::Medium => "media",
            Severity::High => "alta",
        }
    }

    pub fn from_code(code: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Where a visit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitState {
    /// Planned, no finding recorded yet.
    Planned,
    /// Findings recorded, no improvement plan yet.
    Findings,
    /// Its improvement plan is being followed.
    FollowUp,
    /// Every action of the plan attended when a round closed.
    Concluded,
    /// The second round closed with actions pending.
    Escalated,
}

impl VisitState {
    pub const ALL: [VisitState; 5] = [
        VisitState::Planned,
        VisitState::Findings,
        VisitState::FollowUp,
        VisitState::Concluded,
        VisitState::Escalated,
    ];

    /// A visit's state from its findings, whether it has a plan and its plan's last round.
    pub fn of(findings: usize, plan: bool, last_round: Option<RoundOutcome>) -> VisitState {
        match (plan, last_round) {
            (true, Some(RoundOutcome::Concluded)) => VisitState::Concluded,
            (true, Some(RoundOutcome::Escalated { .. })) => VisitState::Escalated,
            (true, _) => VisitState::FollowUp,
            (false, _) if findings > 0 => VisitState::Findings,
            (false, _) => VisitState::Planned,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            VisitState::Planned => "planned",
            VisitState::Findings => "findings",
            VisitState::FollowUp => "follow_up",
            VisitState::Concluded => "concluded",
            VisitState::Escalated => "escalated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            VisitState::Planned => "programada",
            VisitState::Findings => "con hallazgos",
            VisitState::FollowUp => "en seguimiento del plan de mejora",
            VisitState::Concluded => "concluida",
            VisitState::Escalated => "escalada",
        }
    }

    pub fn from_code(code: &str) -> Option<VisitState> {
        VisitState::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A finding of a visit: the aspect evaluated, what was found, how serious it is and the name
/// of the file that proves it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub number: u32,
    pub aspect: String,
    pub description: String,
    pub severity: Severity,
    pub evidence: Option<String>,
}

/// An action of an improvement plan: the finding it attends (by number), what is to be done,
/// the unit responsible (by code), its dates and what will prove it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanAction {
    pub finding: u32,
    pub description: String,
    pub responsible: String,
    pub dates: (Date, Date),
    pub products: String,
}

/// Why an improvement plan was not made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("la visita no tiene hallazgos: registre al menos uno antes del plan de mejora")]
    NoFindings,
    #[error("no hay hallazgo {0} en la visita")]
    UnknownFinding(u32),
    #[error("el hallazgo {0} no tiene ninguna acción en el plan")]
    Unattended(u32),
    #[error("la acción {number} {error}")]
    Action { number: usize, error: FollowupError },
}

/// The improvement plan of a visit's `findings`: one item per finding (its aspect and
/// description), each with the `actions` that attend it as activities whose evidence gates
/// their completion. Every finding needs at least one action, and every action a finding.
pub fn improvement_plan(
    name: &str,
    findings: &[Finding],
    actions: &[PlanAction],
) -> Result<Program, PlanError> {
    if findings.is_empty() {
        return Err(PlanError::NoFindings);
    }
    if let Some(unknown) = actions
        .iter()
        .find(|a| !findings.iter().any(|f| f.number == a.finding))
    {
        return Err(PlanError::UnknownFinding(unknown.finding));
    }
    let mut items = Vec::new();
    for finding in findings {
        let mut activities = Vec::new();
        for (index, action) in actions.iter().enumerate() {
            if action.finding != finding.number {
                continue;
            }
            let activity = Activity::planned(
                activities.len() as u32 + 1,
                action.description.clone(),
                action.dates,
                action.products.clone(),
                vec![action.responsible.clone()],
            )
            .map_err(|error| PlanError::Action {
                number: index + 1,
                error,
            })?;
            activities.push(activity);
        }
        let Some(first) = activities.first() else {
            return Err(PlanError::Unattended(finding.number));
        };
        items.push(Item {
            number: finding.number,
            kind: ItemKind::Recommendation(Recommendation {
                evaluation_year: first.start().year(),
                management: None,
                acceptance: Acceptance::Accepted,
            }),
            text: format!(
                "{} (severidad {}): {}",
                finding.aspect,
                finding.severity.label(),
                finding.description
            ),
            expected_results: None,
            case_folio: None,
            activities,
        });
    }
    Ok(Program {
        name: name.to_owned(),
        items,
        sign_off: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::{Change, Evidence, Progress, Status, close_round};
    use jiff::civil::date;

    fn finding(number: u32) -> Finding {
        Finding {
            number,
            aspect: "Abasto de medicamentos".into(),
            description: format!("Hallazgo {number}"),
            severity: Severity::High,
            evidence: None,
        }
    }

    fn action(finding: u32, end: Date) -> PlanAction {
        PlanAction {
            finding,
            description: "Regularizar el inventario".into(),
            responsible: "OOAD-JAL".into(),
            dates: (date(2026, 3, 2), end),
            products: "Inventario conciliado".into(),
        }
    }

    #[test]
    fn every_finding_needs_an_action_and_every_action_a_finding() {
        let findings = [finding(1), finding(2)];
        let end = date(2026, 4, 30);
        assert_eq!(
            improvement_plan("Plan", &[], &[]),
            Err(PlanError::NoFindings)
        );
        assert_eq!(
            improvement_plan("Plan", &findings, &[action(1, end)]),
            Err(PlanError::Unattended(2))
        );
        assert_eq!(
            improvement_plan("Plan", &findings, &[action(1, end), action(3, end)]),
            Err(PlanError::UnknownFinding(3))
        );
        assert!(matches!(
            improvement_plan(
                "Plan",
                &findings,
                &[action(1, end), action(2, date(2026, 1, 1))]
            ),
            Err(PlanError::Action { number: 2, .. })
        ));
    }

    #[test]
    fn a_plan_is_followed_with_evidence_to_its_conclusion() {
        let end = date(2026, 4, 30);
        let mut plan =
            improvement_plan("Plan", &[finding(1)], &[action(1, end), action(1, end)]).unwrap();
        assert_eq!(plan.items[0].key(), "R1");
        assert_eq!(plan.items[0].activities.len(), 2);
        let day = date(2026, 5, 4);
        let (_, first) = close_round(&plan, &[], day).unwrap();
        assert_eq!(first, RoundOutcome::SecondRound { pending: 1 });
        let done = |evidence: Option<Evidence>| Change {
            progress: Progress::DONE,
            note: String::new(),
            evidence,
            closure: None,
        };
        let activity = &mut plan.items[0].activities[0];
        assert_eq!(
            activity.update(done(None), date(2026, 4, 1)),
            Err(FollowupError::DoneWithoutEvidence)
        );
        for activity in &mut plan.items[0].activities {
            let evidence = Evidence {
                name: "inventario.pdf".into(),
            };
            activity
                .update(done(Some(evidence)), date(2026, 4, 1))
                .unwrap();
            assert_eq!(activity.status(day), Status::Attended);
        }
        let (_, second) = close_round(&plan, &[first], day).unwrap();
        assert_eq!(second, RoundOutcome::Concluded);
        assert_eq!(VisitState::of(1, true, Some(second)), VisitState::Concluded);
    }

    #[test]
    fn a_visit_moves_from_planned_to_its_plan_and_its_end() {
        assert_eq!(VisitState::of(0, false, None), VisitState::Planned);
        assert_eq!(VisitState::of(2, false, None), VisitState::Findings);
        assert_eq!(VisitState::of(2, true, None), VisitState::FollowUp);
        let second = RoundOutcome::SecondRound { pending: 1 };
        assert_eq!(VisitState::of(2, true, Some(second)), VisitState::FollowUp);
        let escalated = RoundOutcome::Escalated { pending: 1 };
        assert_eq!(
            VisitState::of(2, true, Some(escalated)),
            VisitState::Escalated
        );
        for state in VisitState::ALL {
            assert_eq!(VisitState::from_code(state.code()), Some(state));
        }
    }
}
