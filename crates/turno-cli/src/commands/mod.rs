pub mod backup;
pub mod calendar;
pub mod database;
pub mod demo;
pub mod import;
pub mod procedures;
pub mod serve;
pub mod token;
