pub mod calendar;
pub mod procedures;
