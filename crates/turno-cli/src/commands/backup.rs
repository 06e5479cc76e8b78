//! `turno backup` and `turno restore`: a copy of the live database, and putting one back.

use crate::commands::database::{DatabaseArgs, block_on, check_record};
use anyhow::Context as _;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use turno_store::{AnyStore, BackupError, RestoreMode, Store, StoreError};

#[derive(Args)]
pub struct BackupArgs {
    /// The backup file to write; it must not exist.
    pub path: PathBuf,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

#[derive(Args)]
pub struct RestoreArgs {
    /// The backup file, as `turno backup` wrote it.
    pub path: PathBuf,
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// Replace a database that already holds data.
    #[arg(long)]
    pub force: bool,
}

pub fn backup(args: BackupArgs) -> anyhow::Result<ExitCode> {
    block_on(async {
        let url = &args.db.database_url;
        let store = match AnyStore::open_existing(url).await {
            Err(StoreError::DatabaseMissing(path)) => {
                eprintln!("la base de datos {} no existe", path.display());
                return Ok(ExitCode::FAILURE);
            }
            opened => opened.with_context(|| format!("cannot open the database {url}"))?,
        };
        match store.backup(&args.path).await {
            Ok(()) => {
                println!("respaldo escrito en {}", args.path.display());
                Ok(ExitCode::SUCCESS)
            }
            Err(BackupError::Exists(path)) => {
                eprintln!(
                    "{} ya existe: un respaldo nunca sobrescribe un archivo",
                    path.display()
                );
                Ok(ExitCode::FAILURE)
            }
            Err(error) => Err(error).context("no se pudo escribir el respaldo"),
        }
    })?
}

pub fn restore(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    block_on(async {
        let url = &args.db.database_url;
        let mode = if args.force {
            RestoreMode::Replace
        } else {
            RestoreMode::IntoEmpty
        };
        match AnyStore::restore(url, &args.path, mode).await {
            Ok(()) => {}
            Err(BackupError::TargetNotEmpty(target)) => {
                eprintln!(
                    "la base de datos {target} ya contiene datos: para reemplazarla con el \
                     respaldo, repita con --force"
                );
                return Ok(ExitCode::FAILURE);
            }
            Err(error) => return Err(error).context("no se pudo restaurar el respaldo"),
        }
        println!("base de datos restaurada desde {}", args.path.display());
        // A backup of an older version is brought up to date, then its record checked, as
        // `turno verify` does.
        let store = args.db.connect().await?;
        store.migrate().await.context("migration failed")?;
        Ok(if check_record(&store, None).await? {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    })?
}
