//! Builds the repository's data folders into `turno`: the procedure library (`procedures/`), the
//! organizations of the seeds (`org/`), the yearly DOF calendars (`calendars/`) and the SINAC's
//! motive catalog (`motives/`), so that the
//! binary works from any folder (`src/builtin.rs`). It writes one table per folder, its
//! `*.toml` files by name with `include_str!`, and asks Cargo to run again when a folder
//! changes (a file added, removed or edited).

#![allow(
    clippy::print_stdout,
    reason = "Cargo reads a build script's instructions from its standard output"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The folders, relative to the workspace's root, and the name of each one's table.
const FOLDERS: [(&str, &str); 4] = [
    ("PROCEDURES", "procedures"),
    ("ORG", "org"),
    ("CALENDARS", "calendars"),
    ("MOTIVES", "motives"),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?).join("../..");
    let mut tables = String::new();
    for (table, folder) in FOLDERS {
        let dir = root.join(folder);
        println!("cargo::rerun-if-changed={}", dir.display());
        writeln!(tables, "pub const {table}: &[(&str, &str)] = &[")?;
        for path in toml_files(&dir)? {
            let file = path.file_name().map(Path::new).unwrap_or(&path);
            let name = Path::new(folder).join(file);
            let absolute = path.canonicalize()?;
            writeln!(
                tables,
                "    ({:?}, include_str!({:?})),",
                name.display().to_string(),
                absolute.display().to_string()
            )?;
        }
        writeln!(tables, "];")?;
    }
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("builtin.rs");
    std::fs::write(out, tables)?;
    Ok(())
}

/// The `*.toml` files of `dir`, sorted by name.
fn toml_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}
