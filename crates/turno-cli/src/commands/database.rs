//! `turno migrate` and `turno verify`: the database itself.

use anyhow::Context as _;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use turno_store::blobs::{self, LocalBlobs};
use turno_store::{
    AnyStore, FolioSeries, RecordBreak, SeriesKind, Store, StoreError, verify_documents,
};

#[derive(Args)]
pub struct DatabaseArgs {
    /// sqlite://PATH (the embedded default) or postgres://USER@HOST:PORT/DB.
    #[arg(long, env = "TURNO_DATABASE_URL", default_value = "sqlite://turno.db")]
    pub database_url: String,
}

#[derive(Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// The directory of attached documents' files [default: `blobs` beside a SQLite database,
    /// `./blobs` with PostgreSQL].
    #[arg(long, value_name = "DIR", env = "TURNO_BLOBS_DIR")]
    pub blobs: Option<PathBuf>,
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

pub fn verify(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let VerifyArgs { db, blobs: dir } = args;
    let blobs = LocalBlobs::new(dir.unwrap_or_else(|| blobs::default_dir(&db.database_url)));
    block_on(async {
        let store = db.connect().await?;
        store.migrate().await.context("migration failed")?;
        if !check_record(&store).await? {
            return Ok(ExitCode::FAILURE);
        }
        // The files are checked against the record's digests, so only once it is intact.
        let documents = verify_documents(&store, &blobs)
            .await
            .context("document verification failed to run")?;
        match documents.first_break {
            None => {
                println!(
                    "documentos íntegros: {} documentos, {} bytes en {}",
                    documents.documents,
                    documents.bytes,
                    blobs.root().display()
                );
                Ok(ExitCode::SUCCESS)
            }
            Some(broken) => {
                println!("documento alterado: {broken}");
                Ok(ExitCode::FAILURE)
            }
        }
    })?
}

/// Verifies the record and prints each folio series and the outcome; true when intact.
/// `turno verify` and `turno restore` say it alike.
pub async fn check_record(store: &AnyStore) -> anyhow::Result<bool> {
    let report = store.verify().await.context("verification failed to run")?;
    println!("folios por serie:");
    for series in &report.series {
        println!("  {}", series_line(series));
    }
    match report.first_break {
        None => {
            println!(
                "registro íntegro: {} asuntos, {} eventos",
                report.cases, report.events
            );
            Ok(true)
        }
        Some(RecordBreak::Chain(broken)) => {
            println!("registro alterado: {broken}");
            Ok(false)
        }
        Some(RecordBreak::Series(series)) => {
            println!(
                "registro alterado: {} (los folios dados y los registros guardados no \
                 coinciden: se eliminó o se agregó un registro)",
                series_line(&series)
            );
            Ok(false)
        }
    }
}

/// `asuntos CAS-2026 (sidss-informes-oficiales): dados 3, guardados 3, faltantes 0`.
fn series_line(series: &FolioSeries) -> String {
    let kind = match series.kind {
        SeriesKind::Cases => "asuntos",
        SeriesKind::Petitions => "peticiones",
    };
    let procedures = if series.procedures.is_empty() {
        String::new()
    } else {
        format!(" ({})", series.procedures.join(", "))
    };
    format!(
        "{kind} {}{procedures}: dados {}, guardados {}, faltantes {}",
        series.name(),
        series.given,
        series.stored,
        series.missing
    )
}

/// The database, which must exist already (a mistyped path creates nothing), up to date;
/// `None` (said on standard error) when it does not exist.
pub async fn open(db: &DatabaseArgs) -> anyhow::Result<Option<AnyStore>> {
    let url = &db.database_url;
    let store = match AnyStore::open_existing(url).await {
        Err(StoreError::DatabaseMissing(path)) => {
            eprintln!("la base de datos {} no existe", path.display());
            return Ok(None);
        }
        opened => opened.with_context(|| format!("cannot open the database {url}"))?,
    };
    store.migrate().await.context("migration failed")?;
    Ok(Some(store))
}
