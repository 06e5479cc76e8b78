//! `limit` and `offset` of the API's lists, and their dates, checked the same way everywhere;
//! the schemas of the parameters are built from the same numbers the checks use, so that the
//! document states exactly what is refused.

use super::error::ApiError;
use jiff::civil::Date;
use utoipa::openapi::schema::{Object, ObjectBuilder, SchemaFormat, Type};

/// The rows asked for: `default` if not given, 1 to `max` otherwise.
pub fn limit(given: Option<i64>, default: i64, max: i64) -> Result<i64, ApiError> {
    let limit = given.unwrap_or(default);
    if (1..=max).contains(&limit) {
        Ok(limit)
    } else {
        Err(ApiError::bad_request(format!(
            "«limit» debe estar entre 1 y {max}."
        )))
    }
}

/// The rows to skip: 0 if not given, never negative.
pub fn offset(given: Option<i64>) -> Result<i64, ApiError> {
    match given.unwrap_or(0) {
        offset if offset >= 0 => Ok(offset),
        _ => Err(ApiError::bad_request("«offset» no puede ser negativo.")),
    }
}

/// An optional day (`AAAA-MM-DD`) of a query: not given, none; given, a day, blank included
/// (the document says a date, so `?to=` is not one), refused naming the parameter.
pub fn date(name: &str, given: Option<&str>) -> Result<Option<Date>, ApiError> {
    let Some(text) = given else {
        return Ok(None);
    };
    match text.parse::<Date>() {
        Ok(day) if is_date(text) => Ok(Some(day)),
        _ => Err(ApiError::bad_request(format!(
            "«{name}»: escriba la fecha como AAAA-MM-DD."
        ))),
    }
}

/// Written as the document's `date` format says: `AAAA-MM-DD`, nothing else.
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// An integer of a query from `minimum` on, up to `maximum` if given.
fn integer(description: String, minimum: i64, maximum: Option<i64>) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(
            utoipa::openapi::KnownFormat::Int64,
        )))
        .description(Some(description))
        .minimum(Some(minimum))
        .maximum(maximum)
        .build()
}

/// The schema of a `limit`: 1 to `MAX`, `DEFAULT` if not given.
pub fn limit_schema<const DEFAULT: i64, const MAX: i64>() -> Object {
    integer(
        format!("How many (1 to {MAX}; {DEFAULT} if not given)."),
        1,
        Some(MAX),
    )
}

/// The schema of an `offset`: 0 or more, 0 if not given.
pub fn offset_schema() -> Object {
    integer("How many to skip (0 if not given).".to_owned(), 0, None)
}

/// The schema of a `page` numbered from 1, 1 if not given.
pub fn page_schema() -> Object {
    integer(
        "The page, from 1 (1 if not given); past the last page, no items.".to_owned(),
        1,
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_a_day_written_as_the_document_says() {
        assert_eq!(
            date("to", Some("2026-03-01")).unwrap(),
            Some(jiff::civil::date(2026, 3, 1))
        );
        assert_eq!(date("to", None).unwrap(), None);
        for wrong in [
            "",
            " ",
            "2026-3-1",
            "20260301",
            "2026-02-30",
            " 2026-03-01",
            "ayer",
        ] {
            let refused = date("to", Some(wrong)).unwrap_err();
            assert!(
                refused.message.contains("«to»"),
                "{wrong:?}: {}",
                refused.message
            );
        }
    }
}
