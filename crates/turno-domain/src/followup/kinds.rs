//! The kinds of program written down line by line (issue 19): a meeting's agreements, the
//! commitments made before a body, an audit's observations, and the annual work programs (PAT,
//! PTAR, PTCI); what each one's heading says and which lines it takes; the report as of a
//! quarter's end; and the roll-up of a program's lines from the units to their direction.

use super::model::{Activity, Cutoff, Item, ItemKind, Program, Progress, Status};
use crate::org::UnitSpec;
use crate::text::same;
use jiff::civil::{Date, date};
use std::collections::{HashMap, HashSet};

/// What a program written down line by line follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProgramKind {
    /// The agreements (and commitments) of a meeting: its body, session and date.
    Agreements,
    /// Commitments made before a body (the Consejo Nacional de Salud, an international body).
    Commitments,
    /// A fiscalizing body's observations of an audit, followed to their solventación.
    Audit,
    /// Programa Anual de Trabajo: lines per unit with their indicator and quarterly goals.
    Pat,
    /// Programa de Trabajo de Administración de Riesgos: risks and their control actions.
    Ptar,
    /// Programa de Trabajo de Control Interno: the actions that strengthen internal control.
    Ptci,
}

impl ProgramKind {
    pub const ALL: [ProgramKind; 6] = [
        ProgramKind::Agreements,
        ProgramKind::Commitments,
        ProgramKind::Audit,
        ProgramKind::Pat,
        ProgramKind::Ptar,
        ProgramKind::Ptci,
    ];

    /// How the store, the API and the forms name it.
    pub fn code(self) -> &'static str {
        match self {
            ProgramKind::Agreements => "agreements",
            ProgramKind::Commitments => "commitments",
            ProgramKind::Audit => "audit",
            ProgramKind::Pat => "pat",
            ProgramKind::Ptar => "ptar",
            ProgramKind::Ptci => "ptci",
        }
    }

    pub fn parse(code: &str) -> Option<ProgramKind> {
        ProgramKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The kind in the users' words.
    pub fn label(self) -> &'static str {
        match self {
            ProgramKind::Agreements => "Acuerdos de reunión",
            ProgramKind::Commitments => "Compromisos",
            ProgramKind::Audit => "Observaciones de auditoría",
            ProgramKind::Pat => "Programa Anual de Trabajo (PAT)",
            ProgramKind::Ptar => "Programa de Trabajo de Administración de Riesgos (PTAR)",
            ProgramKind::Ptci => "Programa de Trabajo de Control Interno (PTCI)",
        }
    }

    /// The kinds of line it takes (agreements may be commitments too).
    pub fn lines(self) -> &'static [LineKind] {
        match self {
            ProgramKind::Agreements => &[LineKind::Agreement, LineKind::Commitment],
            ProgramKind::Commitments => &[LineKind::Commitment],
            ProgramKind::Audit => &[LineKind::Observation],
            ProgramKind::Pat => &[LineKind::Line],
            ProgramKind::Ptar => &[LineKind::Risk],
            ProgramKind::Ptci => &[LineKind::ControlAction],
        }
    }

    /// Whether a line of `kind` belongs in a program of this kind.
    pub fn accepts(self, kind: &ItemKind) -> bool {
        LineKind::of(kind).is_some_and(|line| self.lines().contains(&line))
    }

    /// What its heading must say.
    fn required(self) -> &'static [PlanField] {
        match self {
            ProgramKind::Agreements => &[PlanField::Body, PlanField::Reference, PlanField::HeldOn],
            ProgramKind::Commitments => &[PlanField::Body],
            ProgramKind::Audit => &[PlanField::Body, PlanField::Reference, PlanField::Year],
            ProgramKind::Pat | ProgramKind::Ptar | ProgramKind::Ptci => &[PlanField::Year],
        }
    }
}

/// The kind of a line a person writes down, without what each kind adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineKind {
    Agreement,
    Commitment,
    Observation,
    Line,
    Risk,
    ControlAction,
}

impl LineKind {
    pub const ALL: [LineKind; 6] = [
        LineKind::Agreement,
        LineKind::Commitment,
        LineKind::Observation,
        LineKind::Line,
        LineKind::Risk,
        LineKind::ControlAction,
    ];

    /// How the API, the forms and the files name it.
    pub fn code(self) -> &'static str {
        match self {
            LineKind::Agreement => "agreement",
            LineKind::Commitment => "commitment",
            LineKind::Observation => "observation",
            LineKind::Line => "line",
            LineKind::Risk => "risk",
            LineKind::ControlAction => "control_action",
        }
    }

    pub fn parse(code: &str) -> Option<LineKind> {
        LineKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The kind of `item`, when it is a line a person writes down.
    pub fn of(item: &ItemKind) -> Option<LineKind> {
        Some(match item {
            ItemKind::Agreement => LineKind::Agreement,
            ItemKind::Commitment => LineKind::Commitment,
            ItemKind::Observation { .. } => LineKind::Observation,
            ItemKind::Line(_) => LineKind::Line,
            ItemKind::Risk => LineKind::Risk,
            ItemKind::ControlAction => LineKind::ControlAction,
            ItemKind::Recommendation(_) | ItemKind::Aspect(_) => return None,
        })
    }

    /// In the users' words, as `ItemKind::label`.
    pub fn label(self) -> &'static str {
        match self {
            LineKind::Agreement => "acuerdo",
            LineKind::Commitment => "compromiso",
            LineKind::Observation => "observación",
            LineKind::Line => "línea de acción",
            LineKind::Risk => "riesgo",
            LineKind::ControlAction => "acción de control",
        }
    }
}

/// The heading of a program written down line by line: its kind and what identifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub kind: ProgramKind,
    /// The meeting's collegiate body, the body commitments are made before, or the fiscalizing
    /// body of an audit.
    pub body: Option<String>,
    /// The meeting's session, or the audit's number.
    pub reference: Option<String>,
    /// The day of the meeting.
    pub held_on: Option<Date>,
    /// The year of a PAT, PTAR or PTCI, or the Cuenta Pública an audit reviews.
    pub year: Option<i16>,
}

/// A part of a program's heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanField {
    Body,
    Reference,
    HeldOn,
    Year,
}

impl PlanField {
    /// How the API and the forms' problems name it.
    pub fn name(self) -> &'static str {
        match self {
            PlanField::Body => "body",
            PlanField::Reference => "reference",
            PlanField::HeldOn => "held_on",
            PlanField::Year => "year",
        }
    }

    /// The field in the users' words for a program of `kind`.
    pub fn label(self, kind: ProgramKind) -> &'static str {
        match (self, kind) {
            (PlanField::Body, ProgramKind::Audit) => "el ente fiscalizador",
            (PlanField::Body, ProgramKind::Commitments) => "el órgano ante el que se asumen",
            (PlanField::Body, _) => "el órgano colegiado",
            (PlanField::Reference, ProgramKind::Audit) => "el número de auditoría",
            (PlanField::Reference, _) => "la sesión",
            (PlanField::HeldOn, _) => "la fecha de la sesión",
            (PlanField::Year, ProgramKind::Audit) => "la Cuenta Pública revisada",
            (PlanField::Year, _) => "el ejercicio",
        }
    }
}

impl Plan {
    /// The parts of the heading its kind requires and it leaves empty.
    pub fn missing(&self) -> Vec<PlanField> {
        let given = |field: &PlanField| match field {
            PlanField::Body => self.body.as_deref().is_some_and(|b| !b.trim().is_empty()),
            PlanField::Reference => self
                .reference
                .as_deref()
                .is_some_and(|r| !r.trim().is_empty()),
            PlanField::HeldOn => self.held_on.is_some(),
            PlanField::Year => self.year.is_some(),
        };
        self.kind
            .required()
            .iter()
            .filter(|f| !given(f))
            .copied()
            .collect()
    }
}

/// A quarter of a year: the periods work programs report on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i16,
    number: u8,
}

impl Quarter {
    /// The `number`th quarter (1 to 4) of `year` (2000 to 2099).
    pub fn new(year: i16, number: u8) -> Option<Quarter> {
        ((2000..=2099).contains(&year) && (1..=4).contains(&number))
            .then_some(Quarter { year, number })
    }

    /// The quarter `date` falls in.
    pub fn of(day: Date) -> Quarter {
        Quarter {
            year: day.year(),
            number: (day.month() as u8 - 1) / 3 + 1,
        }
    }

    pub fn year(self) -> i16 {
        self.year
    }

    pub fn number(self) -> u8 {
        self.number
    }

    /// Its last day: the cut-off.
    pub fn end(self) -> Date {
        match self.number {
            1 => date(self.year, 3, 31),
            2 => date(self.year, 6, 30),
            3 => date(self.year, 9, 30),
            _ => date(self.year, 12, 31),
        }
    }

    /// «primer trimestre de 2026».
    pub fn label(self) -> String {
        let ordinal = ["primer", "segundo", "tercer", "cuarto"][usize::from(self.number - 1)];
        format!("{ordinal} trimestre de {}", self.year)
    }
}

/// A quarter's report of one program: each line as of the quarter's end, with the goal a PAT
/// line set for it, and the counts a report's heading shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarterReport<'a> {
    pub quarter: Quarter,
    pub cutoff: Cutoff<'a>,
    /// Each line's goal for the quarter (PAT lines only), in the cut-off's order.
    pub goals: Vec<Option<Progress>>,
    pub overdue: usize,
    pub closed: usize,
    /// Every activity's progress, averaged (each activity weighs the same).
    pub progress: Progress,
}

impl Program {
    /// The report as of `quarter`'s end; `self` must already be the program as it was that day
    /// (`Program::as_of`).
    pub fn quarter_report(&self, quarter: Quarter) -> QuarterReport<'_> {
        let cutoff = self.cutoff(quarter.end());
        let goals = cutoff
            .items
            .iter()
            .map(|s| match &s.item.kind {
                ItemKind::Line(goal) => Some(goal.quarters[usize::from(quarter.number - 1)]),
                _ => None,
            })
            .collect();
        let mut tally = Tally::default();
        for activity in self.items.iter().flat_map(|i| &i.activities) {
            tally.add(activity, quarter.end());
        }
        QuarterReport {
            quarter,
            overdue: cutoff
                .items
                .iter()
                .filter(|s| s.status == Status::Overdue)
                .count(),
            closed: cutoff.items.iter().filter(|s| s.status.is_closed()).count(),
            goals,
            cutoff,
            progress: tally.progress(),
        }
    }
}

impl QuarterReport<'_> {
    /// Its lines as a table: a header, then one row per line (as the XLSX and CSV write it).
    pub fn table(&self) -> Vec<Vec<String>> {
        let header = [
            "Línea",
            "Tipo",
            "Descripción",
            "Meta del trimestre (%)",
            "Avance (%)",
            "Estatus",
        ];
        std::iter::once(header.map(str::to_owned).to_vec())
            .chain(self.cutoff.items.iter().zip(&self.goals).map(|(s, goal)| {
                vec![
                    s.item.key(),
                    s.item.kind.label().to_owned(),
                    s.item.text.clone(),
                    goal.map(|g| g.percent().to_string()).unwrap_or_default(),
                    s.progress.percent().to_string(),
                    s.status.as_str().to_owned(),
                ]
            }))
            .collect()
    }

    /// Its figures as a table of two columns.
    pub fn summary(&self) -> Vec<Vec<String>> {
        [
            ("Concepto", "Valor".to_owned()),
            ("Corte", crate::text::day(self.quarter.end())),
            ("Líneas", self.cutoff.items.len().to_string()),
            ("Líneas vencidas", self.overdue.to_string()),
            ("Líneas cerradas", self.closed.to_string()),
            ("Avance ponderado (%)", self.progress.percent().to_string()),
        ]
        .into_iter()
        .map(|(label, value)| vec![label.to_owned(), value])
        .collect()
    }
}

/// Activities counted together: how many, how far along in all, how many overdue and closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub activities: u32,
    sum: u32,
    pub overdue: u32,
    pub closed: u32,
}

impl Tally {
    fn add(&mut self, activity: &Activity, day: Date) {
        let status = activity.status(day);
        self.activities += 1;
        self.sum += u32::from(activity.progress().percent());
        self.overdue += u32::from(status == Status::Overdue);
        self.closed += u32::from(status.is_closed());
    }

    /// The progress of all its activities, each weighing the same (0 with none).
    pub fn progress(&self) -> Progress {
        // The mean of values up to 100 is at most 100.
        Progress::new(self.sum.checked_div(self.activities).unwrap_or(0) as u8).unwrap_or_default()
    }
}

/// One unit's part of a roll-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitTally {
    pub code: String,
    pub name: String,
    pub tally: Tally,
}

/// A direction's view of a program: the activities its units (itself included) answer for,
/// per unit and in all, as of a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rollup {
    pub direction: UnitTally,
    /// The units below it with any activity, in the organization's order.
    pub units: Vec<UnitTally>,
    /// Every activity of the direction's units, each counted once however many of them share
    /// it.
    pub total: Tally,
}

/// The units at or below `top` (by their current parents), in `units`' order.
fn below<'a>(top: &str, units: &'a [UnitSpec]) -> Vec<&'a UnitSpec> {
    let parent: HashMap<&str, &str> = units
        .iter()
        .filter_map(|u| Some((u.code.as_str(), u.current.parent.as_deref()?)))
        .collect();
    units
        .iter()
        .filter(|u| {
            let mut seen = HashSet::new();
            let mut at = u.code.as_str();
            loop {
                if at == top {
                    return true;
                }
                if !seen.insert(at) {
                    return false;
                }
                match parent.get(at) {
                    Some(up) => at = up,
                    None => return false,
                }
            }
        })
        .collect()
}

/// Whether `unit` is one of `activity`'s responsible areas (by code or by name).
fn answers_for(unit: &UnitSpec, activity: &Activity) -> bool {
    activity
        .responsible
        .iter()
        .any(|area| area == &unit.code || same(area, &unit.current.name))
}

/// The roll-up of `program` as of `day` for the direction `top` (a unit's code); `None` when
/// no unit has that code.
pub fn rollup(program: &Program, top: &str, units: &[UnitSpec], day: Date) -> Option<Rollup> {
    let tree = below(top, units);
    let direction = tree.iter().find(|u| u.code == top)?;
    let activities: Vec<&Activity> = program
        .items
        .iter()
        .flat_map(|i: &Item| &i.activities)
        .collect();
    let tally_of = |unit: &UnitSpec| {
        let mut tally = Tally::default();
        for a in activities.iter().filter(|a| answers_for(unit, a)) {
            tally.add(a, day);
        }
        UnitTally {
            code: unit.code.clone(),
            name: unit.current.name.clone(),
            tally,
        }
    };
    let mut total = Tally::default();
    for a in activities
        .iter()
        .filter(|a| tree.iter().any(|u| answers_for(u, a)))
    {
        total.add(a, day);
    }
    Some(Rollup {
        direction: tally_of(direction),
        units: tree
            .iter()
            .filter(|u| u.code != top)
            .map(|u| tally_of(u))
            .filter(|t| t.tally.activities > 0)
            .collect(),
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::{Evidence, NewItem};
    use crate::org::{Form, Level};

    fn unit(code: &str, name: &str, parent: Option<&str>) -> UnitSpec {
        UnitSpec {
            code: code.into(),
            siglas: None,
            manual_number: None,
            functions: Vec::new(),
            current: Form {
                name: name.into(),
                parent: parent.map(Into::into),
                level: Level::Coordinacion,
                valid_from: None,
                valid_to: None,
            },
            before: Vec::new(),
            merged_into: None,
        }
    }

    fn activity(number: u32, unit: &str, (start, end): (Date, Date)) -> Activity {
        Activity::planned(
            number,
            "Actualizar la matriz de riesgos".into(),
            (start, end),
            "Matriz actualizada".into(),
            vec![unit.into()],
        )
        .unwrap()
    }

    fn ptci() -> Program {
        let mut program = Program {
            name: "PTCI 2026".into(),
            items: Vec::new(),
            sign_off: None,
        };
        let year = (date(2026, 1, 1), date(2026, 12, 31));
        let first_quarter = (date(2026, 1, 1), date(2026, 3, 31));
        program.add_item(NewItem {
            kind: ItemKind::ControlAction,
            text: "Documentar los controles del proceso de supervisión".into(),
            case_folio: None,
            activities: vec![
                activity(1, "CTEC", first_quarter),
                activity(2, "DIV-SUP", year),
            ],
        });
        program.add_item(NewItem {
            kind: ItemKind::ControlAction,
            text: "Capacitar al personal en control interno".into(),
            case_folio: None,
            activities: vec![activity(1, "Otra Dirección", year)],
        });
        program
    }

    #[test]
    fn each_kind_takes_its_own_lines_and_asks_for_its_heading() {
        assert!(ProgramKind::Ptci.accepts(&ItemKind::ControlAction));
        assert!(!ProgramKind::Ptci.accepts(&ItemKind::Risk));
        assert!(ProgramKind::Agreements.accepts(&ItemKind::Commitment));
        assert!(!ProgramKind::Commitments.accepts(&ItemKind::Agreement));
        for kind in ProgramKind::ALL {
            assert_eq!(ProgramKind::parse(kind.code()), Some(kind));
        }
        let plan = Plan {
            kind: ProgramKind::Audit,
            body: Some("Auditoría Superior de la Federación".into()),
            reference: Some(" ".into()),
            held_on: None,
            year: None,
        };
        assert_eq!(plan.missing(), [PlanField::Reference, PlanField::Year]);
    }

    #[test]
    fn a_quarter_ends_on_its_last_day_and_its_report_shows_the_lines_as_of_then() {
        assert_eq!(Quarter::new(2026, 5), None);
        let q1 = Quarter::new(2026, 1).unwrap();
        assert_eq!(q1.end(), date(2026, 3, 31));
        assert_eq!(Quarter::of(date(2026, 11, 2)).end(), date(2026, 12, 31));
        assert_eq!(q1.label(), "primer trimestre de 2026");
        let program = ptci();
        let report = program.quarter_report(q1);
        assert_eq!(report.overdue, 0);
        let q2 = Quarter::new(2026, 2).unwrap();
        let report = program.quarter_report(q2);
        assert_eq!(report.overdue, 1);
        assert_eq!(report.closed, 0);
        assert_eq!(report.cutoff.items[0].item.key(), "CI1");
        assert_eq!(report.goals, [None, None]);
    }

    #[test]
    fn a_direction_sees_its_units_lines_per_unit_and_in_all() {
        let units = [
            unit("DOYE", "Dirección de Operación y Evaluación", None),
            unit("CTEC", "Coordinación Técnica", Some("DOYE")),
            unit("DIV-SUP", "División de Supervisión", Some("CTEC")),
            unit("OTRA", "Otra Dirección", None),
        ];
        let mut program = ptci();
        let done = &mut program.items[0].activities[0];
        done.attach(Evidence {
            name: "controles.pdf".into(),
        });
        done.record_progress(Progress::DONE).unwrap();
        program.items[0].activities[1]
            .record_progress(Progress::new(50).unwrap())
            .unwrap();
        let day = date(2026, 6, 30);
        let rollup = rollup(&program, "DOYE", &units, day).unwrap();
        assert_eq!(rollup.direction.tally.activities, 0);
        let per_unit: Vec<(&str, u32, u8)> = rollup
            .units
            .iter()
            .map(|u| {
                (
                    u.code.as_str(),
                    u.tally.activities,
                    u.tally.progress().percent(),
                )
            })
            .collect();
        assert_eq!(per_unit, [("CTEC", 1, 100), ("DIV-SUP", 1, 50)]);
        assert_eq!(rollup.total.activities, 2);
        assert_eq!(rollup.total.progress().percent(), 75);
        assert_eq!(rollup.total.closed, 1);
        let other = super::rollup(&program, "OTRA", &units, day).unwrap();
        assert_eq!(other.direction.tally.activities, 1, "matched by name");
        assert!(super::rollup(&program, "NADIE", &units, day).is_none());
    }
}
