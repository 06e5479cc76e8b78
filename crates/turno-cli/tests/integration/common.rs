//! Running the `turno` binary as a person does, in a folder of its own.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `turno` with `args`, ignoring any database the environment names.
pub fn turno(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_turno"))
        .args(args)
        .env_remove("TURNO_DATABASE_URL")
        .output()
        .unwrap()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// An empty folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("turno-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
