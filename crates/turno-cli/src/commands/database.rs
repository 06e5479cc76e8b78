//! `turno migrate` and `turno verify`: the database itself.

use anyhow::Context as _;
use clap::Args;
use std::process::ExitCode;
use turno_store::{AnyStore, Store};

#[derive(Args)]
pub struct DatabaseArgs {
    /// sqlite://PATH (the embedded default) or postgres://USER@HOST:PORT/DB.
    #[arg(long, env = "TURNO_DATABASE_URL", default_value = "sqlite://turno.db")]
    pub database_url: String,
}

impl DatabaseArgs {
    pub async fn connect(&self) -> anyhow::Result<AnyStore> {
        AnyStore::connect(&self.database_url)
            .await
            .with_context(|| format!("cannot open the database {}", self.database_url))
    }
}

/// Runs an async command on a runtime of its own: most subcommands need none.
pub fn block_on<F: std::future::Future>(future: F) -> anyhow::Result<F::Output> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(future))
}

pub fn migrate(db: DatabaseArgs) -> anyhow::Result<ExitCode> {
    block_on(async {
        let store = db.connect().await?;
        store.migrate().await.context("migration failed")?;
        println!("base de datos al día: {}", db.database_url);
        Ok(ExitCode::SUCCESS)
    })?
}

pub fn verify(db: DatabaseArgs) -> anyhow::Result<ExitCode> {
    block_on(async {
        let store = db.connect().await?;
        store.migrate().await.context("migration failed")?;
        let report = store.verify().await.context("verification failed to run")?;
        match report.first_break {
            None => {
                println!(
                    "registro íntegro: {} asuntos, {} eventos",
                    report.cases, report.events
                );
                Ok(ExitCode::SUCCESS)
            }
            Some(broken) => {
                println!("registro alterado: {broken}");
                Ok(ExitCode::FAILURE)
            }
        }
    })?
}
