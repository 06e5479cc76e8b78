//! `turno token create` and `turno token revoke`: API tokens for other systems. A token is
//! printed once, when it is created; the database keeps only its SHA-256.

use crate::commands::database::{DatabaseArgs, block_on, open};
use anyhow::Context as _;
use clap::{Args, Subcommand};
use std::process::ExitCode;
use turno_store::Store;

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user and print it (only this once).
    Create(CreateArgs),
    /// Revoke an API token for good, by the number `create` reported.
    Revoke(RevokeArgs),
}

#[derive(Args)]
pub struct CreateArgs {
    /// The login of the user the token acts as: it sees and does what they may.
    #[arg(long, value_name = "LOGIN")]
    pub user: String,
    /// What the token is for ("integración con el SIGED"), to recognize it later.
    #[arg(long)]
    pub name: String,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

#[derive(Args)]
pub struct RevokeArgs {
    /// The token's number, as `turno token create` reported it.
    pub id: i64,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

pub fn run(cmd: TokenCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        TokenCommand::Create(args) => create(args),
        TokenCommand::Revoke(args) => revoke(args),
    }
}

fn create(args: CreateArgs) -> anyhow::Result<ExitCode> {
    let name = args.name.trim();
    if name.is_empty() {
        eprintln!("el nombre del token no puede estar vacío");
        return Ok(ExitCode::FAILURE);
    }
    block_on(async {
        let Some(store) = open(&args.db).await? else {
            return Ok(ExitCode::FAILURE);
        };
        let Some(record) = store
            .user_by_login(&args.user)
            .await
            .context("cannot read the users")?
        else {
            eprintln!("no existe el usuario «{}»", args.user);
            return Ok(ExitCode::FAILURE);
        };
        let (token, digest) = turno_web::api::token::generate();
        let id = store
            .create_api_token(record.user.id, name, &digest)
            .await
            .context("cannot record the token")?;
        // The token alone on standard output, so that a script can take it; the rest to the
        // person at the terminal.
        println!("{token}");
        eprintln!(
            "token de API n.º {id} «{name}» para {}: guárdelo ahora, no se vuelve a mostrar. \
             Revóquelo con `turno token revoke {id}`.",
            record.user.login
        );
        if !record.user.active {
            eprintln!(
                "aviso: el usuario {} está inactivo; el token no funcionará mientras lo esté",
                record.user.login
            );
        }
        Ok(ExitCode::SUCCESS)
    })?
}

fn revoke(args: RevokeArgs) -> anyhow::Result<ExitCode> {
    block_on(async {
        let Some(store) = open(&args.db).await? else {
            return Ok(ExitCode::FAILURE);
        };
        if store
            .revoke_api_token(args.id)
            .await
            .context("cannot revoke the token")?
        {
            println!("token de API n.º {} revocado", args.id);
            Ok(ExitCode::SUCCESS)
        } else {
            eprintln!("no existe el token de API n.º {}", args.id);
            Ok(ExitCode::FAILURE)
        }
    })?
}
