//! Finding cases ("Buscar") and the filtered "Mi bandeja": statements built once for both
//! backends, plain SQL with numbered `$N` placeholders. Every value is bound; the only text
//! the builders write into the SQL is their own constants.
//!
//! Text search is one `LIKE` per word over the case's folio, title, requester and the values
//! of its fields (not their names: every informe has a `tipo_informe`), with both sides folded
//! alike: in SQL, `replace()` takes the accents off the vowels that the word has (and turns Ñ
//! into ñ), then `lower()`; here, [`fold`] does the same to the word. Both databases have
//! `replace()` and `lower()`, whereas `translate()` is PostgreSQL's only and `unaccent` an
//! extension. SQLite's `lower()` lowers ASCII letters only, which is why the capitals are in
//! the table. Reading the values out of the fields' JSON is the one thing the backends write
//! differently ([`Dialect`]).

use crate::model::{CaseSearch, InboxOrder, InboxQuery};

/// Letters that compare as another: the accents of Spanish, the diaeresis and capital Ñ.
const FOLDS: &[(char, char)] = &[
    ('Á', 'a'),
    ('á', 'a'),
    ('É', 'e'),
    ('é', 'e'),
    ('Í', 'i'),
    ('í', 'i'),
    ('Ó', 'o'),
    ('ó', 'o'),
    ('Ú', 'u'),
    ('ú', 'u'),
    ('Ü', 'u'),
    ('ü', 'u'),
    ('Ñ', 'ñ'),
];

/// At most this many words of a search are used.
const MAX_WORDS: usize = 8;

/// What the backends write differently in these statements (and in
/// [`crate::store::record_window`]): reading a value out of stored JSON.
pub(crate) trait Dialect {
    /// The values of the fields of the case `c` (`{"name": {"type": …, "value": …}}`),
    /// separated by spaces; NULL when it has none.
    const FIELD_VALUES: &'static str;
    /// The work item an event's payload names (`"item"`); NULL when it names none.
    const EVENT_ITEM: &'static str;
    /// An activity's place in its procedure from its number (`{a}`: the column), as
    /// migration 0044 computes it: «2.1» is 20001.
    const ACTIVITY_ORDER: &'static str;
}

impl Dialect for crate::SqliteStore {
    const FIELD_VALUES: &'static str = "(SELECT group_concat(json_extract(f.value, '$.value'), ' ') \
         FROM json_each(c.fields) f)";
    const EVENT_ITEM: &'static str = "json_extract(payload, '$.item')";
    const ACTIVITY_ORDER: &'static str = "(CAST(substr({a}, 1, 4) AS INTEGER) * 10000 + \
         CASE WHEN instr({a}, '.') > 0 THEN CAST(substr({a}, instr({a}, '.') + 1, 4) AS INTEGER) \
         ELSE 0 END)";
}

impl Dialect for crate::PgStore {
    const FIELD_VALUES: &'static str =
        "(SELECT string_agg(f.value ->> 'value', ' ') FROM json_each(c.fields::json) f)";
    const EVENT_ITEM: &'static str = "(payload::json ->> 'item')";
    const ACTIVITY_ORDER: &'static str = "turno_activity_order({a})";
}

/// The case's searchable text, as one expression.
fn haystack<D: Dialect>() -> String {
    format!(
        "c.folio || ' ' || c.title || ' ' || COALESCE(c.requester, '') || ' ' || COALESCE({}, '')",
        D::FIELD_VALUES
    )
}

/// A word as the search compares it: [`FOLDS`] applied, then lowercased.
pub(crate) fn fold(word: &str) -> String {
    let mut folded = String::with_capacity(word.len());
    for c in word.chars() {
        match FOLDS.iter().find(|(from, _)| *from == c) {
            Some((_, to)) => folded.push(*to),
            None => folded.extend(c.to_lowercase()),
        }
    }
    folded
}

/// `expression` folded in SQL as [`fold`] folds `word`: only the letters the word has need it.
fn folded_sql(expression: &str, word: &str) -> String {
    let mut sql = expression.to_owned();
    for (from, to) in FOLDS {
        if word.contains(*to) {
            sql = format!("replace({sql}, '{from}', '{to}')");
        }
    }
    format!("lower({sql})")
}

/// `%word%` for `LIKE … ESCAPE '\'`, the word's own `%`, `_` and `\` taken literally.
fn like_anywhere(word: &str) -> String {
    let mut pattern = String::with_capacity(word.len() + 2);
    pattern.push('%');
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Conditions and the text values they bind, numbered in the order they are written.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    pub(crate) conditions: Vec<String>,
    pub binds: Vec<String>,
}

impl Filter {
    /// Binds a value; returns its placeholder.
    pub(crate) fn bind(&mut self, value: impl Into<String>) -> String {
        self.binds.push(value.into());
        format!("${}", self.binds.len())
    }

    pub(crate) fn list(&mut self, values: &[String]) -> String {
        values
            .iter()
            .map(|v| self.bind(v.clone()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(crate) fn clause(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.conditions.join(" AND "))
        }
    }

    /// The placeholders of `LIMIT` and `OFFSET`, after the bound texts.
    fn page(&self) -> String {
        let n = self.binds.len();
        format!(" LIMIT ${} OFFSET ${}", n + 1, n + 2)
    }
}

/// The instant a day of `tz` starts, as text that compares with the stored RFC 3339 UTC
/// times (`…T06:00:00` sorts before `…T06:00:00Z` and `…T06:00:00.5Z`).
fn day_start(day: jiff::civil::Date, tz: &jiff::tz::TimeZone) -> String {
    match day.to_zoned(tz.clone()) {
        Ok(zoned) => zoned.timestamp().strftime("%Y-%m-%dT%H:%M:%S").to_string(),
        Err(_) => day.to_string(),
    }
}

/// The conditions of a case search over `cases c`; `None` when nothing can match.
pub(crate) fn case_filter<D: Dialect>(search: &CaseSearch) -> Option<Filter> {
    let mut f = Filter::default();
    if let Some(units) = &search.visible_units {
        if units.is_empty() {
            return None;
        }
        let list = f.list(units);
        f.conditions.push(format!(
            "EXISTS (SELECT 1 FROM work_item_units v WHERE v.case_id = c.id AND v.unit_code IN ({list}))"
        ));
    }
    if let Some(unit) = search.unit.as_deref().filter(|u| !u.is_empty()) {
        let p = f.bind(unit);
        f.conditions.push(format!(
            "EXISTS (SELECT 1 FROM work_item_units p WHERE p.case_id = c.id AND p.unit_code = {p})"
        ));
    }
    if let Some(status) = search.status.as_deref().filter(|s| !s.is_empty()) {
        let p = f.bind(status);
        f.conditions.push(format!("c.status = {p}"));
    }
    let tz = search.time_zone.clone().unwrap_or(jiff::tz::TimeZone::UTC);
    if let Some(from) = search.from {
        let p = f.bind(day_start(from, &tz));
        f.conditions.push(format!("c.created_at >= {p}"));
    }
    if let Some(next) = search.to.and_then(|to| to.tomorrow().ok()) {
        let p = f.bind(day_start(next, &tz));
        f.conditions.push(format!("c.created_at < {p}"));
    }
    if let Some(text) = &search.folio_or_text {
        let haystack = haystack::<D>();
        for word in text.split_whitespace().take(MAX_WORDS) {
            let word = fold(word);
            let p = f.bind(like_anywhere(&word));
            f.conditions.push(format!(
                "{} LIKE {p} ESCAPE '\\'",
                folded_sql(&haystack, &word)
            ));
        }
    }
    Some(f)
}

/// A page of a search, newest case first; binds: the filter's texts, limit, offset.
pub(crate) fn search_cases_sql(f: &Filter) -> String {
    format!(
        "SELECT c.id, c.folio, c.title, c.procedure_key, c.status, c.created_at, c.requester \
         FROM cases c{} ORDER BY c.id DESC{}",
        f.clause(),
        f.page()
    )
}

pub(crate) fn count_cases_sql(f: &Filter) -> String {
    format!("SELECT COUNT(*) FROM cases c{}", f.clause())
}

/// A filtered inbox: the statement for a page (binds: the texts, limit, offset) or for the
/// count (binds: the texts); `None` when there is no unit. Without filters and in the default
/// order it is the statement of `inbox_for_units`, served by `work_item_units_inbox`.
/// The due-date range of an inbox query, as conditions on `work_item_units`.
fn due_conditions(filter: &mut Filter, query: &InboxQuery) {
    if let Some(before) = query.due_before {
        let p = filter.bind(before.to_string());
        filter.conditions.push(format!("due < {p}"));
    }
    if let Some(after) = query.due_after {
        let p = filter.bind(after.to_string());
        filter.conditions.push(format!("due > {p}"));
    }
}

/// What an inbox query's statement answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    /// The page of rows (its limit and offset bound last).
    Page,
    /// How many rows there are in all.
    Count,
}

pub(crate) fn inbox_query_sql(query: &InboxQuery, answer: Answer) -> Option<(String, Vec<String>)> {
    let count = answer == Answer::Count;
    if query.units.is_empty() {
        return None;
    }
    // The units' open work, each work item once (its rows share one due date).
    let mut inner = Filter::default();
    // Filtered by the case, a unit's first rows may be of other cases: no early stop.
    let by_procedure =
        query.procedure.as_deref().is_some_and(|p| !p.is_empty()) || !query.folios.is_empty();
    let units = if matches!(query.order, InboxOrder::Due) && !by_procedure && !count {
        // The common view: each unit's part reads its partial index in due order and stops
        // after the page, so a page costs a page however full the inbox is. Any item of the
        // page is among the first `offset + limit` of the unit that gives its due date.
        let take = query.limit.max(0).saturating_add(query.offset.max(0));
        let parts: Vec<String> = query
            .units
            .iter()
            .map(|unit| {
                let mut part = Filter {
                    conditions: Vec::new(),
                    binds: std::mem::take(&mut inner.binds),
                };
                due_conditions(&mut part, query);
                let p = part.bind(unit.clone());
                part.conditions.push(format!("unit_code = {p}"));
                part.conditions.push("open".into());
                inner.binds = part.binds;
                format!(
                    "SELECT * FROM (SELECT case_id, item, due FROM work_item_units{} \
                     ORDER BY due, case_id, item LIMIT {take}) AS part",
                    Filter {
                        conditions: part.conditions,
                        binds: Vec::new(),
                    }
                    .clause()
                )
            })
            .collect();
        format!(
            "SELECT case_id, item, MIN(due) AS due FROM ({}) AS candidates GROUP BY case_id, item",
            parts.join(" UNION ALL ")
        )
    } else if query.units.len() == 1 && !by_procedure && count {
        // One unit's rows are its items already (one row per unit and item): no grouping.
        // Ordered like the inbox index so that the count walks that index alone; by the
        // primary key SQLite would visit every row to read `open`.
        due_conditions(&mut inner, query);
        let p = inner.bind(query.units[0].clone());
        inner.conditions.push(format!("unit_code = {p}"));
        inner.conditions.push("open".into());
        format!(
            "SELECT case_id, item, due FROM work_item_units{} ORDER BY due",
            inner.clause()
        )
    } else {
        let list = inner.list(&query.units);
        inner.conditions.push("open".into());
        inner.conditions.push(format!("unit_code IN ({list})"));
        due_conditions(&mut inner, query);
        format!(
            "SELECT case_id, item, MIN(due) AS due FROM work_item_units{} GROUP BY case_id, item",
            inner.clause()
        )
    };
    let mut outer = Filter {
        conditions: Vec::new(),
        binds: inner.binds,
    };
    if let Some(procedure) = query.procedure.as_deref().filter(|p| !p.is_empty()) {
        let p = outer.bind(procedure);
        outer.conditions.push(format!("c.procedure_key = {p}"));
    }
    if !query.folios.is_empty() {
        let list = outer.list(&query.folios);
        outer.conditions.push(format!("c.folio IN ({list})"));
    }
    let sql = if count {
        if outer.conditions.is_empty() {
            format!("SELECT COUNT(*) FROM ({units}) u")
        } else {
            format!(
                "SELECT COUNT(*) FROM ({units}) u JOIN cases c ON c.id = u.case_id{}",
                outer.clause()
            )
        }
    } else {
        let order = match query.order {
            InboxOrder::Due => "u.due, u.case_id, u.item",
            InboxOrder::Folio => "c.folio_scope, c.folio_year, c.folio_number, u.item",
            InboxOrder::Received => "w.opened_at DESC, u.case_id DESC, u.item DESC",
        };
        format!(
            "SELECT c.id AS case_id, c.folio, c.title, c.procedure_key, w.item, w.activity, \
             w.opened_at, w.due, w.term_from \
             FROM ({units}) u \
             JOIN work_items w ON w.case_id = u.case_id AND w.item = u.item \
             JOIN cases c ON c.id = u.case_id{} \
             ORDER BY {order}{}",
            outer.clause(),
            outer.page()
        )
    };
    Some((sql, outer.binds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_like_the_sql_folds_the_text() {
        assert_eq!(fold("Petición"), "peticion");
        assert_eq!(fold("PINGÜINO"), "pinguino");
        assert_eq!(fold("AÑO"), "año");
        assert_eq!(
            folded_sql("x", "ño"),
            "lower(replace(replace(replace(x, 'Ó', 'o'), 'ó', 'o'), 'Ñ', 'ñ'))"
        );
        assert_eq!(folded_sql("x", "123"), "lower(x)");
    }

    #[test]
    fn wildcards_in_words_are_literal() {
        assert_eq!(like_anywhere("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn placeholders_follow_the_order_they_appear_in() {
        let f = case_filter::<crate::SqliteStore>(&CaseSearch {
            folio_or_text: Some("informe".into()),
            status: Some("open".into()),
            unit: Some("SIDSS-ST".into()),
            visible_units: Some(vec!["A".into(), "B".into()]),
            from: Some(jiff::civil::date(2026, 3, 2)),
            to: Some(jiff::civil::date(2026, 3, 2)),
            time_zone: Some(jiff::tz::TimeZone::fixed(jiff::tz::offset(-6))),
            ..CaseSearch::default()
        })
        .unwrap();
        assert_eq!(
            f.binds,
            [
                "A",
                "B",
                "SIDSS-ST",
                "open",
                "2026-03-02T06:00:00",
                "2026-03-03T06:00:00",
                "%informe%"
            ]
        );
        let sql = search_cases_sql(&f);
        let positions: Vec<usize> = (1..=9)
            .map(|n| sql.find(&format!("${n}")).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{sql}");
        assert!(
            case_filter::<crate::PgStore>(&CaseSearch {
                visible_units: Some(Vec::new()),
                ..CaseSearch::default()
            })
            .is_none()
        );
    }

    #[test]
    fn the_default_inbox_reads_each_units_index_in_order_and_stops() {
        let (sql, binds) = inbox_query_sql(
            &InboxQuery {
                units: vec!["A".into(), "B".into()],
                limit: 50,
                offset: 100,
                ..InboxQuery::default()
            },
            Answer::Page,
        )
        .unwrap();
        assert_eq!(binds, ["A", "B"]);
        assert_eq!(
            sql.matches("ORDER BY due, case_id, item LIMIT 150) AS part")
                .count(),
            2,
            "{sql}"
        );
        assert!(sql.contains("unit_code = $1") && sql.contains("unit_code = $2"));
        assert!(sql.ends_with("ORDER BY u.due, u.case_id, u.item LIMIT $3 OFFSET $4"));
        assert!(
            inbox_query_sql(&InboxQuery::default(), Answer::Count).is_none(),
            "no units, no work"
        );
    }
}
