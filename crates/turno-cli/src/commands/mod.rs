pub mod backup;
pub mod calendar;
pub mod database;
pub mod procedures;
