//! The data files `turno` reads: the definition, organization and calendar files a person
//! names, or, when none is named, the repository's folders as they were built into the binary
//! (`build.rs`), so that `turno demo` and `turno serve` work from any folder and an agency still
//! loads its own by naming it.

use anyhow::Context as _;
use std::path::{Path, PathBuf};
use turno_domain::library::Source;

mod tables {
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
}

/// Files by name and text: `("procedures/cnpss-94.toml", "…")`.
pub type Files = Vec<(String, String)>;

/// A repository folder built into the binary: its `*.toml` files by name, in name order.
#[derive(Clone, Copy)]
pub struct Builtin(&'static [(&'static str, &'static str)]);

/// The seed procedure library, `procedures/`.
pub const PROCEDURES: Builtin = Builtin(tables::PROCEDURES);
/// The organizations of the seeds, `org/`.
pub const ORG: Builtin = Builtin(tables::ORG);
/// The yearly DOF agreements of días inhábiles, `calendars/`.
pub const CALENDARS: Builtin = Builtin(tables::CALENDARS);
/// The motive catalog of the SINAC built from the seeds, `motives/`.
pub const MOTIVES: Builtin = Builtin(tables::MOTIVES);

impl Builtin {
    pub fn files(self) -> Files {
        self.0
            .iter()
            .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
            .collect()
    }
}

/// The files of `paths` (see [`read_all`]), or the built-in ones when no path is named.
pub fn read_or(paths: &[PathBuf], builtin: Builtin) -> anyhow::Result<Files> {
    if paths.is_empty() {
        Ok(builtin.files())
    } else {
        read_all(paths)
    }
}

/// Reads the named files, and the `.toml` files of the named folders (sorted, not recursive,
/// so that results do not depend on the file system).
pub fn read_all(paths: &[PathBuf]) -> anyhow::Result<Files> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot read folder {}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
                .collect();
            entries.sort();
            for entry in entries {
                files.push(read(&entry)?);
            }
        } else {
            files.push(read(path)?);
        }
    }
    Ok(files)
}

fn read(path: &Path) -> anyhow::Result<(String, String)> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = turno_domain::citizen::calls::utf8_text(&bytes)
        .map_err(|e| anyhow::anyhow!("{}: not UTF-8: {e}", path.display()))?;
    Ok((path.display().to_string(), text.to_owned()))
}

/// The files as the library takes them.
pub fn sources(files: &Files) -> Vec<Source<'_>> {
    files
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect()
}

/// The files as the importers take them: name and text.
pub fn named(files: &Files) -> Vec<(&str, &str)> {
    files
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repository_folders_are_built_in_whole_and_in_name_order() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        for (builtin, folder) in [
            (PROCEDURES, "procedures"),
            (ORG, "org"),
            (CALENDARS, "calendars"),
            (MOTIVES, "motives"),
        ] {
            let on_disk = read_all(&[root.join(folder)]).unwrap();
            let built: Vec<(String, String)> = builtin.files();
            assert!(!built.is_empty(), "{folder}");
            assert_eq!(built.len(), on_disk.len(), "{folder}");
            for ((name, text), (path, disk)) in built.iter().zip(&on_disk) {
                assert!(name.starts_with(&format!("{folder}/")), "{name}");
                assert!(path.ends_with(name.as_str()), "{path} {name}");
                assert_eq!(text, disk, "{name}");
            }
        }
    }
}
