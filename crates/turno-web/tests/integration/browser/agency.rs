//! The agency the journeys work in, as `turno demo` sets it up: every definition of
//! `procedures/` published over the repository's organization, and a person for each role
//! the journeys need.

use crate::common::{Backend, Database, TestApp};
use std::path::{Path, PathBuf};
use turno_domain::library::Source;
use turno_store::Role;

/// People of the agency: login, unit, role.
pub const PEOPLE: &[(&str, &str, Role)] = &[
    ("admin", "SIDSS-ST", Role::Administrador),
    ("secretario", "SIDSS-ST", Role::Titular),
    ("asesor", "SIDSS-CAS", Role::Operador),
    ("vinculacion", "CNPSS-DVS", Role::Operador),
];

/// The `*.toml` files of the repository's folder `name`, by name.
fn files(name: &str) -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(name);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (file_name(&path), text)
        })
        .collect();
    files.sort();
    files
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

pub async fn spawn() -> TestApp {
    let database = Database::fresh(Backend::Sqlite).await;
    let org = files("org");
    let org: Vec<(&str, &str)> = org.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    turno_store::organization::import(&database.store, &org, "prueba")
        .await
        .expect("the repository's organization imports");
    for (login, unit, role) in PEOPLE {
        database.add_person(login, None, &[(unit, *role)]).await;
    }
    let mut builder = database.app();
    // The library lives as long as the test process: the sources are leaked once per app.
    for (name, text) in files("procedures") {
        builder = builder.procedure(Source {
            name: Box::leak(name.into_boxed_str()),
            text: Box::leak(text.into_boxed_str()),
        });
    }
    builder.serve().await
}
