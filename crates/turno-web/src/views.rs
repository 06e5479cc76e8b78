//! Small helpers the pages share.

use crate::auth::SignedIn;
use crate::error::AppError;
use crate::page::Frame;
use turno_domain::engine::DueStatus;

/// The signed-in person; the router only lets signed-in requests reach the pages that ask.
pub fn signed_in(frame: &Frame) -> Result<&SignedIn, AppError> {
    frame.user.as_ref().ok_or(AppError::Forbidden)
}

/// A semáforo, as templates show it.
pub struct Light(pub DueStatus);

impl Light {
    pub fn class(&self) -> &'static str {
        self.0.color()
    }

    pub fn label(&self) -> &'static str {
        self.0.label()
    }
}

/// A timestamp as people read it, in the agency's time zone.
pub fn when(at: &str, tz: &jiff::tz::TimeZone) -> String {
    at.parse::<jiff::Timestamp>()
        .map(|t| {
            t.to_zoned(tz.clone())
                .strftime("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_owned())
}
