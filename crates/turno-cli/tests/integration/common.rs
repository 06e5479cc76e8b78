//! Running the `turno` binary as a person does, in a folder of its own.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::sync::Arc;
use turno_app::commands::{follow_route, start_case};
use turno_domain::definition::Procedure;
use turno_domain::engine::{Actor, Context, Start};
use turno_domain::library::Source;
use turno_domain::simulate::{route, sample_fields};
use turno_store::{AnyStore, FolioRule, NewCase, Store};

/// Runs `turno` with `args`, ignoring any database the environment names.
pub fn turno(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_turno"))
        .args(args)
        .env_remove("TURNO_DATABASE_URL")
        .output()
        .unwrap()
}

/// Runs `turno ARGS --database-url DB`.
pub fn turno_on(db: &str, args: &[&str]) -> Output {
    turno(&[args, &["--database-url", db]].concat())
}

/// `turno ARGS --database-url DB` with `input` on its standard input (not a terminal).
pub fn turno_with_input(db: &str, args: &[&str], input: &str) -> Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_turno"))
        .args(args)
        .args(["--database-url", db])
        .env_remove("TURNO_DATABASE_URL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// `turno user add admin … --admin`, with its password on standard input, on `db`.
pub fn add_admin(db: &str) -> Output {
    turno_with_input(
        db,
        &[
            "user",
            "add",
            "admin",
            "--name",
            "Administración",
            "--unit",
            "SSA",
            "--admin",
            "--password-stdin",
        ],
        "una contraseña larga\n",
    )
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Fails, showing the whole `text`, when `part` is not in it.
#[track_caller]
pub fn assert_contains(text: &str, part: &str) {
    assert!(text.contains(part), "«{part}» is not in:\n{text}");
}

pub fn url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// The path of a file of the repository, as a person would type it.
pub fn repository_file(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
        .display()
        .to_string()
}

/// An empty folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("turno-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `turno` processes that run until the value is dropped, whatever happens to the test.
pub struct Running(pub Vec<Child>);

impl Drop for Running {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Procedure 103 (opinions on an initiative), whose 4.1 is turned to several Direcciones
/// Generales with a term of 7 días hábiles.
pub const OPINIONS: &str = include_str!("../../../../procedures/cnpss-103.toml");

/// A case of procedure 103 brought to 4.1 on `ctx` (the schema migrated first): its id and the
/// procedure.
pub async fn case_at_4_1(store: &AnyStore, ctx: &Context<'_>) -> (i64, Arc<Procedure>) {
    store.migrate().await.unwrap();
    let sources = [Source {
        name: "cnpss-103.toml",
        text: OPINIONS,
    }];
    let library = turno_app::library::load(store, &sources, ctx.now)
        .await
        .unwrap();
    let p = library.newest().next().unwrap().clone();
    let case = start_case(
        store,
        &p,
        NewCase {
            folio: FolioRule::for_procedure(&p, None, ctx.today.year()),
            title: "Opinión sobre una iniciativa".into(),
            channel: None,
            requester: None,
        },
        Start {
            by: Actor::system(),
            fields: sample_fields(&p, ctx.today),
        },
        ctx,
        None,
    )
    .await
    .unwrap();
    let target = p.activity_by_number("4.1").unwrap();
    let steps = route(&p, p.first_activity(), Some(target)).unwrap();
    follow_route(store, &p, case.case_id, &steps, &Actor::system(), ctx)
        .await
        .unwrap();
    (case.case_id, p)
}

/// A demo database, filled by `turno demo` (stopped once it serves).
pub fn demo(dir: &Path) -> PathBuf {
    let addr = format!("127.0.0.1:{}", free_port());
    drop(crate::anywhere_cli::start(dir, &addr, &["demo"]));
    dir.join("turno-demo.db")
}

/// The `.toml` files of a repository folder (`org`, `procedures`), each as its path and text, in
/// the order of their names.
pub fn repository_tomls(path: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(repository_file(path))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}
