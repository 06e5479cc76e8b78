//! Administration pages, for administrators only: people and their roles, the organization's
//! units (and importing them, and how each numbers the documents it issues), the calendar's días inhábiles, the motives that classify
//! petitions, and the audit log every change writes to.

pub mod audit;
pub mod calendar;
pub mod motives;
pub mod numbering;
pub mod people;
pub mod schedules;
pub mod units;

use crate::auth::SignedIn;
use crate::error::AppError;
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
