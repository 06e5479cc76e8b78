//! `GET /organigrama`: the organization as it was on a date (`fecha`, today by default), as a
//! tree of collapsible lists, and the unit in focus (`unidad`) with its functions, its history
//! and its organigrama two levels down.

use crate::error::AppError;
use crate::orgchart::{self, Node};
use crate::page::{Frame, Layout};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use turno_domain::org::{Form, UnitSpec};
use turno_domain::text::day;
use turno_store::Store;

#[derive(Deserialize, Default)]
pub struct Params {
    fecha: Option<String>,
    unidad: Option<String>,
}

/// One unit of the tree, in document order. A unit with units under it opens a collapsible
/// list that the template closes after `closes` items (its last descendant closes its own list
/// and every enclosing one that ends with it).
pub struct TreeItem {
    pub name: String,
    pub siglas: Option<String>,
    pub href: String,
    pub focused: bool,
    pub children: usize,
    pub open: bool,
    pub closes: usize,
}

pub struct Link {
    pub href: String,
    pub name: String,
}

/// One form of the focused unit: its dates (a link to the organization on one of them) and
/// what it was then.
pub struct Period {
    pub href: String,
    pub dates: String,
    pub text: String,
}

pub struct Focus {
    pub code: String,
    pub name: String,
    /// Whether the unit existed on the page's date; if not, only its history is shown.
    pub existed: bool,
    pub siglas: Option<String>,
    pub level: &'static str,
    pub manual_number: Option<String>,
    pub parent: Option<Link>,
    pub functions: Vec<String>,
    pub history: Vec<Period>,
    pub merged_into: Option<Link>,
    pub chart: String,
}

#[derive(Template)]
#[template(path = "organigrama.html")]
struct OrgPage {
    layout: Layout,
    fecha: String,
    fecha_text: String,
    focus: Option<Focus>,
    internal: Vec<TreeItem>,
    external: Vec<TreeItem>,
}

/// Siblings in the manual's order (section numbers compared as numbers), then by name.
fn order((unit, form): (&UnitSpec, &Form)) -> (bool, Vec<u32>, String) {
    let section: Option<Vec<u32>> = unit
        .manual_number
        .as_deref()
        .map(|s| s.split('.').filter_map(|part| part.parse().ok()).collect());
    (
        section.is_none(),
        section.unwrap_or_default(),
        form.name.clone(),
    )
}

fn href(date: Date, code: &str) -> String {
    format!("/organigrama?fecha={date}&unidad={code}")
}

/// The organization on one date: the units that existed, each with the form it had, and who
/// hung from whom.
struct AsOf<'a> {
    date: Date,
    all: HashMap<&'a str, &'a UnitSpec>,
    present: HashMap<&'a str, (&'a UnitSpec, &'a Form)>,
    children: HashMap<&'a str, Vec<&'a str>>,
    roots: Vec<&'a str>,
}

impl<'a> AsOf<'a> {
    fn new(units: &'a [UnitSpec], date: Date) -> AsOf<'a> {
        let all: HashMap<&str, &UnitSpec> = units.iter().map(|u| (u.code.as_str(), u)).collect();
        let present: HashMap<&str, (&UnitSpec, &Form)> = units
            .iter()
            .filter_map(|u| u.as_of(date).map(|form| (u.code.as_str(), (u, form))))
            .collect();
        let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut roots = Vec::new();
        for (code, (_, form)) in &present {
            match form.parent.as_deref() {
                Some(parent) if present.contains_key(parent) => {
                    children.entry(parent).or_default().push(*code)
                }
                _ => roots.push(*code),
            }
        }
        let order = |code: &&str| order(present[code]);
        roots.sort_by_cached_key(order);
        for list in children.values_mut() {
            list.sort_by_cached_key(order);
        }
        // Only current parents are checked on import: earlier forms may make parents loop on
        // a date, leaving the loop's units under no root. Each such loop is entered at one of
        // its units, as a root, so that no unit of the date is left out.
        let mut codes: Vec<&str> = present.keys().copied().collect();
        codes.sort_by_cached_key(order);
        let mut unreached = codes.into_iter();
        let mut reached = HashSet::new();
        let mut stack = roots.clone();
        loop {
            while let Some(at) = stack.pop() {
                if reached.insert(at) {
                    stack.extend(children.get(at).into_iter().flatten());
                }
            }
            match unreached.find(|code| !reached.contains(code)) {
                Some(code) => {
                    roots.push(code);
                    stack.push(code);
                }
                None => break,
            }
        }
        AsOf {
            date,
            all,
            present,
            children,
            roots,
        }
    }

    fn kids(&self, code: &str) -> &[&'a str] {
        self.children.get(code).map_or(&[], Vec::as_slice)
    }

    /// The tree's items under `roots`, depth first, with the lists on `open` unfolded. Each
    /// unit is listed once even if its parents loop on this date (only current parents are
    /// checked on import), by marking units as they are reached.
    fn items(&self, roots: &[&'a str], open: &HashSet<&str>, focus: Option<&str>) -> Vec<TreeItem> {
        let mut items = Vec::new();
        let mut seen: HashSet<&str> = roots.iter().copied().collect();
        for root in roots {
            self.walk(root, open, focus, &mut seen, &mut items);
        }
        items
    }

    fn walk(
        &self,
        code: &'a str,
        open: &HashSet<&str>,
        focus: Option<&str>,
        seen: &mut HashSet<&'a str>,
        items: &mut Vec<TreeItem>,
    ) {
        let (unit, form) = self.present[code];
        let kids: Vec<&str> = self
            .kids(code)
            .iter()
            .copied()
            .filter(|kid| seen.insert(*kid))
            .collect();
        items.push(TreeItem {
            name: form.name.clone(),
            siglas: unit.siglas.clone(),
            href: href(self.date, code),
            focused: focus == Some(code),
            children: kids.len(),
            open: open.contains(code),
            closes: 0,
        });
        if !kids.is_empty() {
            for kid in kids {
                self.walk(kid, open, focus, seen, items);
            }
            if let Some(last) = items.last_mut() {
                last.closes += 1;
            }
        }
    }

    /// The unit and the units above it on this date: the lists shown unfolded.
    fn path(&self, code: &'a str) -> HashSet<&'a str> {
        let mut path = HashSet::new();
        let mut at = Some(code);
        while let Some(code) = at.filter(|c| self.present.contains_key(c) && path.insert(*c)) {
            at = self.present[code].1.parent.as_deref();
        }
        path
    }

    /// The name a unit had on this date, or its newest one.
    fn name(&self, code: &str) -> String {
        match (self.present.get(code), self.all.get(code)) {
            (Some((_, form)), _) => form.name.clone(),
            (None, Some(unit)) => unit.current.name.clone(),
            (None, None) => code.to_owned(),
        }
    }

    fn link(&self, code: &str) -> Link {
        Link {
            href: href(self.date, code),
            name: self.name(code),
        }
    }

    fn node(&self, code: &str, depth: usize) -> Node {
        let unit = self.present[code].0;
        Node {
            code: unit.code.clone(),
            name: self.name(code),
            children: if depth == 0 {
                Vec::new()
            } else {
                self.kids(code)
                    .iter()
                    .map(|kid| self.node(kid, depth - 1))
                    .collect()
            },
        }
    }

    fn focus(&self, unit: &UnitSpec, today: Date) -> Focus {
        let history = unit
            .forms()
            .map(|form| {
                let dates = match (form.valid_from, form.valid_to) {
                    (Some(from), Some(to)) => format!("Del {} al {}", day(from), day(to)),
                    (Some(from), None) => format!("Desde el {}", day(from)),
                    (None, Some(to)) => format!("Hasta el {}", day(to)),
                    (None, None) => "Sin fechas registradas".to_owned(),
                };
                let when = form.valid_from.or(form.valid_to).unwrap_or(today);
                let mut text = form.name.clone();
                if form.level != unit.current.level {
                    text.push_str(&format!(" ({})", form.level.label()));
                }
                if let Some(parent) = &form.parent {
                    // The unit above by the name it had then.
                    let above = self
                        .all
                        .get(parent.as_str())
                        .and_then(|p| p.as_of(when))
                        .map_or_else(|| self.name(parent), |f| f.name.clone());
                    text.push_str(&format!(", adscrita a {above}"));
                }
                Period {
                    href: href(when, &unit.code),
                    dates,
                    text,
                }
            })
            .collect();
        let form = unit.as_of(self.date);
        let shown = form.unwrap_or(&unit.current);
        let chart = form.map_or_else(String::new, |form| {
            orgchart::render(
                &format!("Organigrama: {} al {}", form.name, day(self.date)),
                &self.node(&unit.code, 2),
            )
        });
        Focus {
            code: unit.code.clone(),
            name: shown.name.clone(),
            existed: form.is_some(),
            siglas: unit.siglas.clone(),
            level: shown.level.label(),
            manual_number: unit.manual_number.clone(),
            parent: form
                .and_then(|f| f.parent.as_deref())
                .map(|parent| self.link(parent)),
            functions: unit.functions.clone(),
            history,
            merged_into: unit.merged_into.as_deref().map(|code| self.link(code)),
            chart,
        }
    }
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Query(params): Query<Params>,
) -> Result<Response, AppError> {
    let today = state.today();
    let typed = params.fecha.as_deref().unwrap_or("").trim();
    let date = if typed.is_empty() {
        today
    } else {
        typed.parse::<Date>().map_err(|_| {
            AppError::BadRequest(format!(
                "El parámetro «fecha» («{typed}») no es una fecha: escríbala como AAAA-MM-DD, por ejemplo 2022-10-01."
            ))
        })?
    };
    let units = state.store.organization().await?;
    let org = AsOf::new(&units, date);
    let code = params
        .unidad
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let focus = match code {
        Some(code) => Some(org.all.get(code).ok_or(AppError::NotFound)?),
        None => None,
    };
    let open = focus.map_or_else(HashSet::new, |unit| org.path(&unit.code));
    let focused = focus.map(|unit| unit.code.as_str());
    let (external, internal): (Vec<&str>, Vec<&str>) = org
        .roots
        .iter()
        .partition(|code| org.present[*code].1.level.is_external());
    let page = OrgPage {
        layout: frame.layout,
        fecha: date.to_string(),
        fecha_text: day(date),
        internal: org.items(&internal, &open, focused),
        external: org.items(&external, &open, focused),
        focus: focus.map(|unit| org.focus(unit, today)),
    };
    crate::page::html(&page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use turno_domain::org::Level;

    fn unit(code: &str, parent: Option<&str>, before_parent: &str) -> UnitSpec {
        let form = |name: &str, parent: Option<&str>, from, to| Form {
            name: name.into(),
            parent: parent.map(str::to_owned),
            level: Level::Direccion,
            valid_from: from,
            valid_to: to,
        };
        UnitSpec {
            code: code.into(),
            siglas: None,
            manual_number: None,
            functions: Vec::new(),
            current: form(code, parent, Some(date(2022, 1, 1)), None),
            before: vec![form(
                code,
                Some(before_parent),
                None,
                Some(date(2021, 12, 31)),
            )],
            merged_into: None,
        }
    }

    #[test]
    fn units_whose_earlier_parents_loop_are_each_listed_once() {
        // Until 2021 A hung from B and B from A; since 2022 B is a root with A under it.
        let units = [unit("A", Some("B"), "B"), unit("B", None, "A")];
        for (day, root) in [(date(2020, 6, 1), "A"), (date(2022, 6, 1), "B")] {
            let org = AsOf::new(&units, day);
            let items = org.items(&org.roots, &HashSet::new(), None);
            let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
            assert_eq!(names.len(), 2, "{day}: {names:?}");
            assert_eq!(names[0], root, "{day}");
            assert_eq!((items[0].children, items[1].closes), (1, 1), "{day}");
        }
    }
}
