//! `turno migrate` and `turno verify`: the database itself.

use anyhow::Context as _;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use turno_store::blobs::{Blobs, Location};
use turno_store::seal::{self, RecordKey};
use turno_store::{
    AnyStore, FolioSeries, RecordBreak, SeriesKind, Store, StoreError, verify_documents,
};

#[derive(Args)]
pub struct DatabaseArgs {
    /// sqlite://PATH (the embedded default) or postgres://USER@HOST:PORT/DB.
    #[arg(long, env = "TURNO_DATABASE_URL", default_value = "sqlite://turno.db")]
    pub database_url: String,
}

/// Where the record key is: the key itself in `TURNO_RECORD_KEY` (64 hexadecimal digits), or
/// its file.
#[derive(Args, Clone, Default)]
pub struct KeyArgs {
    /// The record key's file, which signs the record's checkpoints; `turno migrate`, `serve`
    /// and `demo` create it when missing. Keep it out of the database's backups and copy it to
    /// every server of one database (README) [default: record.key beside a SQLite database,
    /// ./record.key with PostgreSQL]. TURNO_RECORD_KEY may give the key itself instead.
    #[arg(long, value_name = "FILE", env = "TURNO_RECORD_KEY_FILE")]
    pub record_key_file: Option<PathBuf>,
}

/// The environment variable that may hold the record key itself.
const KEY_VARIABLE: &str = "TURNO_RECORD_KEY";

impl KeyArgs {
    /// The record key of a database: the environment's, or its file's, which is created first
    /// when `create` and there is none (said on standard error, with where it is).
    pub fn key(&self, database_url: &str, create: bool) -> anyhow::Result<RecordKey> {
        if let Ok(text) = std::env::var(KEY_VARIABLE) {
            return Ok(RecordKey::from_hex(&text, KEY_VARIABLE)?);
        }
        let path = self
            .record_key_file
            .clone()
            .unwrap_or_else(|| turno_store::beside_database(database_url, "record.key"));
        if !create {
            return Ok(RecordKey::read(&path)?);
        }
        let (key, created) = RecordKey::read_or_create(&path)?;
        if created {
            eprintln!(
                "clave del registro creada en {}: respáldela aparte de la base de datos y \
                 cópiela a cada servidor de esta base (README)",
                path.display()
            );
        }
        Ok(key)
    }
}

#[derive(Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    #[command(flatten)]
    pub key: KeyArgs,
    /// Also take a signed checkpoint of the record once it is verified intact.
    #[arg(long)]
    pub checkpoint: bool,
    /// Where attached documents' files are kept, as `turno serve --blobs` says: a folder or
    /// s3://BUCKET[/PREFIX] [default: `blobs` beside a SQLite database, `./blobs` with
    /// PostgreSQL].
    #[arg(long, value_name = "DIR|s3://BUCKET[/PREFIX]", env = "TURNO_BLOBS_DIR")]
    pub blobs: Option<String>,
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

#[derive(Args)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    #[command(flatten)]
    pub key: KeyArgs,
}

pub fn migrate(args: MigrateArgs) -> anyhow::Result<ExitCode> {
    let MigrateArgs { db, key } = args;
    key.key(&db.database_url, true)?;
    block_on(async {
        let store = db.connect().await?;
        store.migrate().await.context("migration failed")?;
        println!("base de datos al día: {}", db.database_url);
        Ok(ExitCode::SUCCESS)
    })?
}

pub fn verify(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let VerifyArgs {
        db,
        key,
        checkpoint,
        blobs: dir,
    } = args;
    // Without the key the rest is verified, and the checkpoints are said to be unchecked.
    let key = match key.key(&db.database_url, false) {
        Ok(key) => Some(key),
        Err(error) if checkpoint => return Err(error),
        Err(error) => {
            eprintln!("{error:#}");
            None
        }
    };
    let location = Location::configured(dir.as_deref(), &db.database_url)?;
    let blobs =
        Blobs::open(&location).with_context(|| format!("cannot use {location} for documents"))?;
    block_on(async {
        let store = db.connect().await?;
        store.migrate().await.context("migration failed")?;
        if !check_record(&store, key.as_ref()).await? {
            return Ok(ExitCode::FAILURE);
        }
        if let Some(key) = key.as_ref().filter(|_| checkpoint) {
            match seal::take(&store, key)
                .await
                .context("cannot take a checkpoint")?
            {
                Some(taken) => println!(
                    "punto de control firmado: {} asuntos, {} contadores de folios, bitácora \
                     hasta la entrada {}",
                    taken.cases.len(),
                    taken.counters.len(),
                    taken.audit.0
                ),
                None => println!("punto de control: nada cambió desde el último"),
            }
        }
        // The files are checked against the record's digests, so only once it is intact.
        let documents = verify_documents(&store, &blobs)
            .await
            .context("document verification failed to run")?;
        match documents.first_break {
            None => {
                println!(
                    "documentos íntegros: {} documentos, {} bytes en {}",
                    documents.documents, documents.bytes, location
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

/// Verifies the record (and, with the key, its signed checkpoints) and prints each folio
/// series and every break; true when intact. `turno verify` and `turno restore` say it alike.
pub async fn check_record(store: &AnyStore, key: Option<&RecordKey>) -> anyhow::Result<bool> {
    let report = store.verify().await.context("verification failed to run")?;
    println!("folios por serie:");
    for series in &report.series {
        println!("  {}", series_line(series));
    }
    let mut broken = 0;
    for found in &report.breaks {
        broken += 1;
        match found {
            RecordBreak::Chain(chain) => println!("registro alterado: {chain}"),
            RecordBreak::Series(series) => println!(
                "registro alterado: {} (los folios dados y los registros guardados no \
                 coinciden: se eliminó o se agregó un registro)",
                series_line(series)
            ),
            RecordBreak::Audit(entry) => println!("registro alterado: {entry}"),
        }
    }
    if let Some(key) = key {
        for found in seal::verify(store, key)
            .await
            .context("checkpoint verification failed to run")?
        {
            broken += 1;
            println!("registro alterado: {found}");
        }
    }
    if broken == 0 {
        println!(
            "registro íntegro: {} asuntos, {} eventos",
            report.cases, report.events
        );
    } else {
        println!("{broken} alteraciones encontradas");
    }
    if key.is_none() {
        println!("puntos de control firmados: no revisados (sin la clave del registro)");
    }
    Ok(broken == 0)
}

/// `asuntos CAS-2026 (sidss-informes-oficiales): dados 3, guardados 3, faltantes 0`.
fn series_line(series: &FolioSeries) -> String {
    let kind = match series.kind {
        SeriesKind::Cases => "asuntos",
        SeriesKind::Petitions => "peticiones",
        SeriesKind::Incoming => "correspondencia de entrada",
        SeriesKind::Outgoing => "números de salida de",
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

/// The application on the database (opened with [`open`]) as a command acting as a person uses
/// it: its calendars and blob store, `library` and `time_zone`, the system's clock, and the person
/// named `login` as of today; `None` (said on standard error) when there is no such person.
pub async fn acting_as(
    store: AnyStore,
    db: &DatabaseArgs,
    library: turno_domain::library::Library,
    time_zone: jiff::tz::TimeZone,
    login: &str,
) -> anyhow::Result<Option<(turno_app::App, turno_app::Principal)>> {
    let calendars = turno_app::LiveCalendars::load(&store)
        .await
        .context("cannot read the calendar")?;
    let location = Location::configured(None, &db.database_url)?;
    let app = turno_app::App {
        store,
        library: library.into(),
        calendars,
        blobs: std::sync::Arc::new(
            Blobs::open(&location)
                .with_context(|| format!("cannot use {location} for documents"))?,
        ),
        time_zone,
        clock: turno_app::Clock::System,
        thresholds: Default::default(),
        suggestions: Default::default(),
        chart: Default::default(),
    };
    let Some(user) = app.store.user_by_login(login).await? else {
        eprintln!("no existe la persona «{login}»: nómbrela con --as");
        return Ok(None);
    };
    let person = turno_app::Principal::load(&app.store, &user.user, app.today()).await?;
    Ok(Some((app, person)))
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
