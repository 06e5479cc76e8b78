//! Administration pages, for administrators only: people and their roles, the organization's
//! units (and importing them), the calendar's días inhábiles, the motives that classify
//! petitions, and the audit log every change writes to.

pub mod audit;
pub mod calendar;
pub mod motives;
pub mod people;
pub mod units;

use crate::auth::{SignedIn, csrf};
use crate::error::AppError;
use crate::forms::{Submitted, single};
use crate::page::Frame;
use crate::views::signed_in;

/// The signed-in administrator; anyone else gets the 403 page.
pub fn administrator(frame: &Frame) -> Result<&SignedIn, AppError> {
    let user = signed_in(frame)?;
    if user.is_admin() {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A form of an administration page: its CSRF token checked, and its administrator.
pub async fn administering<'f>(
    frame: &'f Frame,
    submitted: &Submitted,
) -> Result<&'f SignedIn, AppError> {
    csrf::require(
        &frame.session,
        single(submitted, "csrf").unwrap_or_default(),
    )
    .await?;
    administrator(frame)
}
