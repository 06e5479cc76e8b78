//! The askama filters the templates share (`{{ date|day }}`), so that a value reads the same on
//! every page. A template's module brings them in with `use crate::filters;`.

use std::fmt::Display;

/// A date (or a date stored as `AAAA-MM-DD` text) as every page shows it, dd/mm/aaaa
/// (`turno_domain::text::day`); any other text as it is.
pub fn day<T: Display>(date: T, _: &dyn askama::Values) -> askama::Result<String> {
    let text = date.to_string();
    Ok(text
        .parse::<jiff::civil::Date>()
        .map_or(text, turno_domain::text::day))
}

/// A number with the noun that agrees with it: `{{ total|count("pendiente", "pendientes") }}`
/// reads «1 pendiente», «2 pendientes» (`turno_domain::text::count`).
pub fn count<T: Display>(
    n: T,
    _: &dyn askama::Values,
    singular: &str,
    plural: &str,
) -> askama::Result<String> {
    Ok(turno_domain::text::count(n, singular, plural))
}
