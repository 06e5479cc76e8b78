//! The paths real cases took through a procedure, against the manual's: how often the flow
//! went from each activity to each other one (a return for correction is such a move back),
//! how long each activity and each unit kept the work, in días hábiles (median and 90th
//! percentile), and what is still waiting. Activities are named by their number, so that
//! cases of several versions of a procedure add up on the flowchart of the one in force.
//!
//! Fed a case at a time ([`PathsBuilder::case`], then its events in order); memory holds one
//! case's open work and, for the figures, a count per whole number of días hábiles: it does not
//! grow with the number of cases.

use super::{CaseSteps, Transition};
use crate::calendar::Calendar;
use crate::citizen::ResponseTimes;
use crate::definition::{ActivityId, Exit, Procedure};
use crate::engine::{Calendars, Event, WorkItemId};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::collections::{BTreeMap, BTreeSet};

/// Where a move starts or ends.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Node {
    /// The case's start.
    Start,
    /// An activity, by its number.
    Activity(String),
    /// The case's end.
    End,
}

/// Días hábiles, counted: how many pieces of work took each whole number of days. The
/// percentiles are the nearest-rank ones of the citizen report ([`crate::citizen::nearest_rank`]),
/// read from the counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Waits {
    counts: BTreeMap<i32, u64>,
    total: u64,
}

impl Waits {
    pub fn add(&mut self, days: i32) {
        self.add_many(days, 1);
    }

    /// `count` pieces of work that each took `days`.
    pub fn add_many(&mut self, days: i32, count: u64) {
        *self.counts.entry(days).or_default() += count;
        self.total += count;
    }

    /// How many pieces of work were counted.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The nearest-rank percentile `p` (1..=100): the least value with at least `p`% of the
    /// counted at or below it; `None` when nothing was counted.
    pub fn percentile(&self, p: u32) -> Option<i32> {
        if self.total == 0 {
            return None;
        }
        let rank = (u64::from(p.clamp(1, 100)) * self.total)
            .div_ceil(100)
            .max(1);
        let mut seen = 0;
        for (days, count) in &self.counts {
            seen += count;
            if seen >= rank {
                return Some(*days);
            }
        }
        self.counts.keys().next_back().copied()
    }

    /// Median and 90th percentile, as the citizen report states them.
    pub fn times(&self) -> Option<ResponseTimes> {
        Some(ResponseTimes {
            answered: usize::try_from(self.total).unwrap_or(usize::MAX),
            median: self.percentile(50)?,
            p90: self.percentile(90)?,
        })
    }
}

/// The figures of a procedure's cases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paths {
    pub cases: u64,
    /// How many times the flow moved from one node to another.
    pub moves: BTreeMap<(Node, Node), u64>,
    /// The días hábiles each activity's own work (not its turns) took, from opening to
    /// completion or expiry, by activity number.
    pub activities: BTreeMap<String, Waits>,
    /// The días hábiles each unit kept work, its own and turned to it, by unit code.
    pub units: BTreeMap<String, Waits>,
    /// Work still open at the end of the record, by activity number.
    pub open: BTreeMap<String, u64>,
    /// Work still open, by unit code.
    pub open_by_unit: BTreeMap<String, u64>,
}

impl Paths {
    /// Every move counted.
    pub fn total_moves(&self) -> u64 {
        self.moves.values().sum()
    }
}

/// The moves the manual draws: from the start to the first activity, and each activity's
/// exits (branches and expiry path).
pub fn manual_moves(procedure: &Procedure) -> BTreeSet<(Node, Node)> {
    let node = |id: ActivityId| Node::Activity(procedure.activity(id).number.clone());
    let mut out = BTreeSet::from([(Node::Start, node(procedure.first_activity()))]);
    for activity in &procedure.activities {
        let from = Node::Activity(activity.number.clone());
        for exit in activity.successors() {
            let to = match exit {
                Exit::Goto(id) => node(id),
                Exit::End => Node::End,
            };
            out.insert((from.clone(), to));
        }
    }
    out
}

/// Whether a move goes back in the manual's order (a return for correction, a loop): to an
/// activity at or before the one it leaves.
pub fn is_return(procedure: &Procedure, from: &Node, to: &Node) -> bool {
    let position = |node: &Node| match node {
        Node::Activity(number) => procedure.activity_by_number(number).map(|id| id.0),
        Node::Start | Node::End => None,
    };
    matches!((position(from), position(to)), (Some(a), Some(b)) if b <= a)
}

/// Closes an open work item on day `on`: its días hábiles counted for its activity (its own
/// work, not a turn) and its unit.
fn close(paths: &mut Paths, calendar: &Calendar, walk: &mut Walk, item: WorkItemId, on: Date) {
    if let Some((activity, unit, opened, turn)) = walk.open.remove(&item) {
        let days = calendar.count_business_days(opened, on).max(0);
        if !turn {
            paths.activities.entry(activity).or_default().add(days);
        }
        if let Some(unit) = unit {
            paths.units.entry(unit).or_default().add(days);
        }
    }
}

/// Adds cases up into [`Paths`].
pub struct PathsBuilder<'c> {
    calendars: &'c Calendars,
    zone: TimeZone,
    paths: Paths,
    walk: Option<Walk>,
}

/// One case being read.
struct Walk {
    steps: CaseSteps,
    /// Where the flow last left from.
    from: Node,
    /// The activities opened since it left (a parallel activity opens several work items in
    /// one move).
    entered: BTreeSet<ActivityId>,
    /// Open work: activity number, unit, the day it opened, whether it is a turn.
    open: BTreeMap<WorkItemId, (String, Option<String>, Date, bool)>,
}

impl<'c> PathsBuilder<'c> {
    /// Días hábiles are counted on `calendars` (each case on its procedure's regime), days
    /// taken in `zone`.
    pub fn new(calendars: &'c Calendars, zone: TimeZone) -> PathsBuilder<'c> {
        PathsBuilder {
            calendars,
            zone,
            paths: Paths::default(),
            walk: None,
        }
    }

    /// Starts the next case; its events follow through [`PathsBuilder::event`].
    pub fn case(&mut self) {
        self.end_case();
        self.paths.cases += 1;
        self.walk = Some(Walk {
            steps: CaseSteps::new(),
            from: Node::Start,
            entered: BTreeSet::new(),
            open: BTreeMap::new(),
        });
    }

    /// The next event of the current case, on the procedure version the case runs.
    pub fn event(&mut self, procedure: &Procedure, event: &Event) {
        let Some(walk) = self.walk.as_mut() else {
            return;
        };
        let calendar = self.calendars.get(procedure.regime);
        let day = |at: jiff::Timestamp| at.to_zoned(self.zone.clone()).date();
        let number = |id: ActivityId| {
            procedure
                .activities
                .get(usize::from(id.0))
                .map(|a| a.number.clone())
        };
        let paths = &mut self.paths;
        if let Event::CaseEnded { activity, .. } = event
            && let Some(number) = number(*activity)
        {
            *paths
                .moves
                .entry((Node::Activity(number), Node::End))
                .or_default() += 1;
            return;
        }
        let steps = walk.steps.step(procedure, event);
        for step in steps {
            let Some(activity) = step.activity else {
                continue;
            };
            let Some(name) = number(activity) else {
                continue;
            };
            match step.transition {
                Transition::Start => {
                    if walk.entered.insert(activity) {
                        *paths
                            .moves
                            .entry((walk.from.clone(), Node::Activity(name.clone())))
                            .or_default() += 1;
                    }
                    if let Some(item) = step.item {
                        walk.open
                            .insert(item, (name, step.unit.clone(), day(step.at), false));
                    }
                }
                Transition::Assign => {
                    if let Some(item) = step.item {
                        walk.open
                            .insert(item, (name, step.unit.clone(), day(step.at), true));
                    }
                }
                Transition::Complete | Transition::Withdraw => {
                    if let Some(item) = step.item {
                        // The unit that did it, when the work was open to any responsible.
                        if let Some(open) = walk.open.get_mut(&item)
                            && open.1.is_none()
                        {
                            open.1 = step.unit.clone();
                        }
                        let on = day(step.at);
                        if step.transition == Transition::Withdraw {
                            walk.open.remove(&item);
                        } else {
                            close(paths, calendar, walk, item, on);
                        }
                    }
                    if step.transition == Transition::Complete && !step.turn {
                        walk.from = Node::Activity(name);
                        walk.entered.clear();
                    }
                }
                Transition::Expire => {
                    let on = day(step.at);
                    let expired: Vec<WorkItemId> = walk
                        .open
                        .iter()
                        .filter(|(_, (n, _, _, turn))| *n == name && !turn)
                        .map(|(item, _)| *item)
                        .collect();
                    for item in expired {
                        close(paths, calendar, walk, item, on);
                    }
                    walk.from = Node::Activity(name);
                    walk.entered.clear();
                }
                Transition::Suspend | Transition::Resume | Transition::Cancel => {}
            }
        }
        if let Event::CaseCancelled { .. } = event {
            walk.open.clear();
        }
    }

    fn end_case(&mut self) {
        if let Some(walk) = self.walk.take() {
            for (activity, unit, _, turn) in walk.open.into_values() {
                if !turn {
                    *self.paths.open.entry(activity).or_default() += 1;
                }
                if let Some(unit) = unit {
                    *self.paths.open_by_unit.entry(unit).or_default() += 1;
                }
            }
        }
    }

    pub fn finish(mut self) -> Paths {
        self.end_case();
        self.paths
    }
}
