//! `limit` and `offset` of the API's lists, checked the same way everywhere.

use super::error::ApiError;

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
