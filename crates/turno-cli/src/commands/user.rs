//! `turno user add`, `turno user grant` and `turno user revoke`: people and their roles from
//! the command line, for the first administrator of a fresh database (PostgreSQL or SQLite)
//! and for whoever can reach the database when nobody can sign in. The values are checked as
//! the administration page checks them (`turno_app::people`); every problem is reported, and
//! nothing is written unless there is none.

use crate::commands::database::{DatabaseArgs, block_on, open};
use anyhow::Context as _;
use clap::{Args, Subcommand};
use std::io::{IsTerminal as _, Read as _};
use std::process::ExitCode;
use turno_app::people::{self, NewPerson};
use turno_store::{AnyStore, Role, Store, StoreError};

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a person who can sign in; the password is asked without echo (or read from
    /// standard input with --password-stdin).
    Add(AddArgs),
    /// Give a person a role in a unit.
    Grant(RoleArgs),
    /// Take a role in a unit away from a person (never the last active administrator's).
    Revoke(RoleArgs),
}

#[derive(Args)]
pub struct AddArgs {
    /// The login: lower-case letters without accents, digits, `.`, `_` and `-`.
    pub login: String,
    /// The person's full name.
    #[arg(long)]
    pub name: String,
    /// Their e-mail address, for notices.
    #[arg(long)]
    pub email: Option<String>,
    /// The unit (by code) the person works in: with --admin they administer from it,
    /// otherwise they are its operador.
    #[arg(long, value_name = "CODE")]
    pub unit: Option<String>,
    /// The RFC their e.firma carries (docs/efirma.md).
    #[arg(long, default_value = "")]
    pub rfc: String,
    /// The CURP their e.firma carries.
    #[arg(long, default_value = "")]
    pub curp: String,
    /// Make the person an administrator (needs --unit).
    #[arg(long)]
    pub admin: bool,
    /// Read the password from standard input (its first line) instead of the terminal.
    #[arg(long)]
    pub password_stdin: bool,
    /// Who the audit log says made the change.
    #[arg(long, default_value = "línea de comandos")]
    pub actor: String,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

#[derive(Args)]
pub struct RoleArgs {
    /// The person's login.
    pub login: String,
    /// titular, operador, enlace_externo, consulta, administrador, archivista or
    /// coordinador_archivos.
    pub role: String,
    /// The unit (by code) of the role.
    #[arg(long, value_name = "CODE")]
    pub unit: String,
    /// Who the audit log says made the change.
    #[arg(long, default_value = "línea de comandos")]
    pub actor: String,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

pub fn run(cmd: UserCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        UserCommand::Add(args) => add(args),
        UserCommand::Grant(args) => change_role(args, true),
        UserCommand::Revoke(args) => change_role(args, false),
    }
}

/// The password as the person gives it: typed twice without echo at a terminal, or the first
/// line of standard input with `--password-stdin`.
fn password(from_stdin: bool) -> anyhow::Result<Result<String, String>> {
    if from_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the password from standard input")?;
        return Ok(Ok(text.lines().next().unwrap_or_default().to_owned()));
    }
    if !std::io::stdin().is_terminal() {
        return Ok(Err(
            "contraseña: no hay una terminal donde escribirla; use --password-stdin para leerla \
             de la entrada estándar"
                .into(),
        ));
    }
    let first = rpassword::prompt_password("Contraseña: ").context("cannot read the password")?;
    let again =
        rpassword::prompt_password("Repita la contraseña: ").context("cannot read the password")?;
    Ok(if first == again {
        Ok(first)
    } else {
        Err("contraseña: las dos no coinciden".into())
    })
}

/// Whether a unit of that code exists.
async fn unit_exists(store: &AnyStore, code: &str) -> anyhow::Result<bool> {
    Ok(store
        .units()
        .await
        .context("cannot read the units")?
        .iter()
        .any(|u| u.code == code))
}

fn report(problems: &[String]) -> ExitCode {
    for problem in problems {
        eprintln!("{problem}");
    }
    eprintln!("no se guardó nada");
    ExitCode::FAILURE
}

fn add(args: AddArgs) -> anyhow::Result<ExitCode> {
    let mut problems = Vec::new();
    let password = match password(args.password_stdin)? {
        Ok(password) => password,
        Err(problem) => {
            problems.push(problem);
            String::new()
        }
    };
    let person = NewPerson {
        login: &args.login,
        name: &args.name,
        email: args.email.as_deref(),
        password: &password,
        rfc: &args.rfc,
        curp: &args.curp,
    };
    let valid = match people::check(&person) {
        Ok(valid) => Some(valid),
        Err(turno_app::Error::InvalidFields(found)) => {
            let named = |field: &str| match field {
                "login" => "usuario",
                "name" => "--name",
                "email" => "--email",
                "rfc" => "--rfc",
                "curp" => "--curp",
                _ => "contraseña",
            };
            // The password's own problem is reported once, when it could not be read.
            let unread = !problems.is_empty();
            problems.extend(
                found
                    .into_iter()
                    .filter(|p| !(unread && p.field == "password"))
                    .map(|p| format!("{}: {}", named(&p.field), p.message)),
            );
            None
        }
        Err(other) => return Err(other.into()),
    };
    if args.admin && args.unit.is_none() {
        problems.push("--admin: indique con --unit la unidad desde la que administra".into());
    }
    block_on(async {
        let Some(store) = open(&args.db).await? else {
            return Ok(ExitCode::FAILURE);
        };
        if let Some(unit) = &args.unit
            && !unit_exists(&store, unit).await?
        {
            problems.push(format!(
                "--unit: no existe la unidad «{unit}» (impórtela con `turno import org`)"
            ));
        }
        let (Some(valid), true) = (valid, problems.is_empty()) else {
            return Ok(report(&problems));
        };
        let hash = turno_web::auth::hash_password(&password)
            .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?;
        let login = valid.login().to_owned();
        let id = match people::create(&store, valid, hash, &args.actor).await {
            Ok(id) => id,
            Err(turno_app::Error::Conflict(message)) => return Ok(report(&[message])),
            Err(other) => return Err(other.into()),
        };
        let role = if args.admin {
            Role::Administrador
        } else {
            Role::Operador
        };
        if let Some(unit) = &args.unit {
            store
                .add_membership(id, unit, role, &args.actor)
                .await
                .context("cannot record the role")?;
            println!("«{login}» dado de alta, {} en {unit}", role.label());
        } else {
            println!("«{login}» dado de alta, sin papeles todavía");
        }
        Ok(ExitCode::SUCCESS)
    })?
}

fn change_role(args: RoleArgs, grant: bool) -> anyhow::Result<ExitCode> {
    let mut problems = Vec::new();
    let role: Option<Role> = args.role.trim().parse().ok();
    if role.is_none() {
        let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        problems.push(format!(
            "rol: «{}» no es un rol; elija {}",
            args.role,
            roles.join(", ")
        ));
    }
    block_on(async {
        let Some(store) = open(&args.db).await? else {
            return Ok(ExitCode::FAILURE);
        };
        let person = store
            .user_by_login(&args.login)
            .await
            .context("cannot read the users")?;
        if person.is_none() {
            problems.push(format!("usuario: no existe «{}»", args.login));
        }
        if !unit_exists(&store, &args.unit).await? {
            problems.push(format!("--unit: no existe la unidad «{}»", args.unit));
        }
        let (Some(person), Some(role), true) = (person, role, problems.is_empty()) else {
            return Ok(report(&problems));
        };
        let (user, unit, actor) = (person.user, args.unit.as_str(), args.actor.as_str());
        if grant {
            store
                .add_membership(user.id, unit, role, actor)
                .await
                .context("cannot record the role")?;
            println!("«{}» es {} en {unit}", user.login, role.label());
            return Ok(ExitCode::SUCCESS);
        }
        match store.remove_membership(user.id, unit, role, actor).await {
            Ok(true) => {
                println!("«{}» ya no es {} en {unit}", user.login, role.label());
                Ok(ExitCode::SUCCESS)
            }
            Ok(false) => Ok(report(&[format!(
                "«{}» no tiene el rol {} en {unit}",
                user.login,
                role.as_str()
            )])),
            Err(StoreError::Refused(refusal)) => {
                Ok(report(&[turno_app::Error::from(refusal).to_string()]))
            }
            Err(other) => Err(other).context("cannot take the role away"),
        }
    })?
}
