//! `turno serve`: the web application and JSON API. Settings come from flags, then the
//! environment, then a TOML file (`--config`), then defaults.

use crate::commands::database::{KeyArgs, block_on};
use crate::data;
use anyhow::Context as _;
use clap::Args;
use serde::Deserialize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use turno_app::{App, Clock, LiveCalendars};
use turno_domain::citizen::MotiveCatalog;
use turno_domain::library::Library;
use turno_store::blobs::{Blobs, Location};
use turno_store::seal::{self, RecordKey};
use turno_store::{AnyStore, Store};
use turno_web::AppState;

#[derive(Args, Default)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "TURNO_ADDR")]
    pub addr: Option<String>,
    /// sqlite://PATH or postgres://… [default: sqlite://turno.db].
    #[arg(long, env = "TURNO_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Folder of procedure definitions [default: the seed library built into turno].
    #[arg(long, env = "TURNO_PROCEDURES")]
    pub procedures: Option<PathBuf>,
    /// Where attached documents' files are kept: a folder, or s3://BUCKET[/PREFIX] on
    /// S3-compatible storage, which several servers share (server and credentials from the
    /// AWS_* variables) [default: blobs beside a SQLite database, ./blobs].
    #[arg(long, env = "TURNO_BLOBS_DIR", value_name = "DIR|s3://BUCKET[/PREFIX]")]
    pub blobs: Option<String>,
    /// The agency's time zone, for dates [default: America/Mexico_City].
    #[arg(long, env = "TURNO_TIME_ZONE")]
    pub time_zone: Option<String>,
    /// Let session cookies travel over plain HTTP: only for a machine's own use (the demo)
    /// or behind a proxy that terminates TLS on the same host.
    #[arg(long, env = "TURNO_INSECURE_COOKIES")]
    pub insecure_cookies: bool,
    /// Behind a reverse proxy that sets X-Forwarded-For: the limits of the public mailbox and
    /// of sign-ins count the client it names (the header's last address) instead of the proxy.
    /// Never without one: a client could write the header itself.
    #[arg(long, env = "TURNO_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// How often the scheduler records passed deadlines and takes expiry paths, in seconds
    /// [default: 60]. Every process sweeps; each escalation still happens once.
    #[arg(long, env = "TURNO_SWEEP_SECONDS")]
    pub sweep_seconds: Option<u64>,
    /// The semáforo turns amber with this percentage of the term left [default: 20].
    #[arg(long, env = "TURNO_SEMAFORO_AMARILLO", value_name = "PERCENT")]
    pub semaforo_amarillo: Option<u8>,
    /// The SMTP server that sends notifications: smtp://host:25, smtp://host:587?tls=required
    /// (STARTTLS) or smtps://user:password@host:465. Without it, notifications stay in Turno.
    #[arg(long, env = "TURNO_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of notifications [default: Turno <turno@localhost>].
    #[arg(long, env = "TURNO_SMTP_FROM")]
    pub smtp_from: Option<String>,
    /// The address people open Turno at, for links in e-mails [default: http://ADDR].
    #[arg(long, env = "TURNO_BASE_URL")]
    pub base_url: Option<String>,
    /// Business days before a due date when its people are reminded [default: 2; 0: never].
    #[arg(long, env = "TURNO_RECORDATORIO_DIAS", value_name = "DAYS")]
    pub recordatorio_dias: Option<u16>,
    /// The local hour from which the daily digest is sent [default: 7].
    #[arg(long, env = "TURNO_RESUMEN_HORA", value_name = "HOUR")]
    pub resumen_hora: Option<i8>,
    #[command(flatten)]
    pub key: KeyArgs,
    /// How often a signed checkpoint of the record is taken, in minutes, when it changed
    /// [default: 10]. Every process may take them; they stay one line.
    #[arg(long, env = "TURNO_CHECKPOINT_MINUTES", value_name = "MINUTES")]
    pub checkpoint_minutes: Option<u64>,
    /// A TOML file with any of the settings above (addr, database_url, procedures, blobs,
    /// time_zone, insecure_cookies, trust_forwarded_for, sweep_seconds, semaforo_amarillo, smtp_url, smtp_from,
    /// base_url, recordatorio_dias, resumen_hora, record_key_file, checkpoint_minutes).
    #[arg(long, env = "TURNO_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    addr: Option<String>,
    database_url: Option<String>,
    procedures: Option<PathBuf>,
    blobs: Option<String>,
    time_zone: Option<String>,
    insecure_cookies: Option<bool>,
    trust_forwarded_for: Option<bool>,
    sweep_seconds: Option<u64>,
    semaforo_amarillo: Option<u8>,
    smtp_url: Option<String>,
    smtp_from: Option<String>,
    base_url: Option<String>,
    recordatorio_dias: Option<u16>,
    resumen_hora: Option<i8>,
    record_key_file: Option<PathBuf>,
    checkpoint_minutes: Option<u64>,
}

/// Every setting, resolved.
pub struct Settings {
    pub addr: String,
    pub database_url: String,
    /// The folder of procedure definitions; none: the library built into turno.
    pub procedures: Option<PathBuf>,
    pub blobs: Location,
    pub time_zone: String,
    pub secure_cookies: bool,
    pub trust_forwarded_for: bool,
    pub sweep_every: std::time::Duration,
    pub thresholds: turno_domain::engine::Thresholds,
    pub notify: turno_notify::Settings,
    /// The SMTP server's URL and the sender, when e-mail is on.
    pub smtp: Option<(String, String)>,
    /// Where the record key is.
    pub key: KeyArgs,
    pub checkpoint_every: std::time::Duration,
}

impl ServeArgs {
    pub fn resolve(self) -> anyhow::Result<Settings> {
        let file: FileSettings = match &self.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                toml::from_str(&text).map_err(|e| {
                    let (line, column) = e.span().map_or((0, 0), |s| {
                        turno_domain::diagnostic::line_col(&text, s.start)
                    });
                    anyhow::anyhow!("{}:{line}:{column}: {}", path.display(), e.message())
                })?
            }
            None => FileSettings::default(),
        };
        let database_url = self
            .database_url
            .or(file.database_url)
            .unwrap_or_else(|| "sqlite://turno.db".into());
        let blobs = Location::configured(self.blobs.or(file.blobs).as_deref(), &database_url)?;
        let addr = self
            .addr
            .or(file.addr)
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        let digest_hour = self.resumen_hora.or(file.resumen_hora).unwrap_or(7);
        if !(0..=23).contains(&digest_hour) {
            anyhow::bail!("resumen_hora {digest_hour}: give an hour from 0 to 23");
        }
        let notify = turno_notify::Settings {
            reminder_days: self
                .recordatorio_dias
                .or(file.recordatorio_dias)
                .unwrap_or(2),
            digest_hour,
            base_url: self
                .base_url
                .or(file.base_url)
                .unwrap_or_else(|| format!("http://{addr}")),
        };
        let smtp = self.smtp_url.or(file.smtp_url).map(|url| {
            let from = self
                .smtp_from
                .or(file.smtp_from)
                .unwrap_or_else(|| "Turno <turno@localhost>".into());
            (url, from)
        });
        let key = KeyArgs {
            record_key_file: self.key.record_key_file.or(file.record_key_file),
        };
        let checkpoint_minutes = self
            .checkpoint_minutes
            .or(file.checkpoint_minutes)
            .unwrap_or(10)
            .max(1);
        Ok(Settings {
            addr,
            notify,
            smtp,
            key,
            checkpoint_every: std::time::Duration::from_secs(checkpoint_minutes * 60),
            procedures: self.procedures.or(file.procedures),
            blobs,
            time_zone: self
                .time_zone
                .or(file.time_zone)
                .unwrap_or_else(|| "America/Mexico_City".into()),
            secure_cookies: !(self.insecure_cookies || file.insecure_cookies.unwrap_or(false)),
            trust_forwarded_for: self.trust_forwarded_for
                || file.trust_forwarded_for.unwrap_or(false),
            thresholds: match self.semaforo_amarillo.or(file.semaforo_amarillo) {
                None => Default::default(),
                Some(percent) => turno_domain::engine::Thresholds::amber_at(percent)
                    .ok_or_else(|| {
                        anyhow::anyhow!(
                            "semaforo_amarillo {percent}: give the percentage of the term left, 1 to 99"
                        )
                    })?,
            },
            sweep_every: std::time::Duration::from_secs(
                self.sweep_seconds
                    .or(file.sweep_seconds)
                    .unwrap_or(60)
                    .max(1),
            ),
            database_url,
        })
    }
}

/// Opens the database (migrating it), publishes the procedure files and loads every version
/// cases may run on, and builds the calendars from the database (`turno calendar import`).
pub async fn prepare(settings: &Settings) -> anyhow::Result<AppState> {
    let store = AnyStore::connect(&settings.database_url)
        .await
        .with_context(|| format!("cannot open the database {}", settings.database_url))?;
    store.migrate().await.context("migration failed")?;
    let library = load_library(&store, settings.procedures.as_slice()).await?;
    let calendars = LiveCalendars::load(&store)
        .await
        .context("cannot read the calendar")?;
    let mailer = match &settings.smtp {
        Some((url, from)) => Some(
            turno_notify::Mailer::new(url, from)
                .with_context(|| format!("cannot send e-mail through {}", redact(url)))?,
        ),
        None => None,
    };
    let time_zone = jiff::tz::TimeZone::get(&settings.time_zone)
        .with_context(|| format!("unknown time zone «{}»", settings.time_zone))?;
    let state = AppState {
        app: App {
            store,
            library: library.into(),
            calendars,
            blobs: Arc::new(
                Blobs::open(&settings.blobs)
                    .with_context(|| format!("cannot use {} for documents", settings.blobs))?,
            ),
            time_zone,
            clock: Clock::System,
            thresholds: settings.thresholds,
            suggestions: Default::default(),
            chart: Default::default(),
        },
        secure_cookies: settings.secure_cookies,
        https: settings.notify.base_url.starts_with("https://"),
        trust_forwarded_for: settings.trust_forwarded_for,
        notifier: turno_notify::Notifier::new(settings.notify.clone(), mailer),
    };
    let added = turno_app::motives::seed(&state, &builtin_motives()?, "turno").await?;
    if added > 0 {
        tracing::info!(
            added,
            "the SINAC's motive catalog added to a database without one"
        );
    }
    Ok(state)
}

/// The motive catalog built into turno (`motives/`), every file's motives together.
fn builtin_motives() -> anyhow::Result<MotiveCatalog> {
    let mut motives = Vec::new();
    for (name, text) in data::MOTIVES.files() {
        let catalog = MotiveCatalog::from_toml(&text).map_err(|problems| {
            let words: Vec<String> = problems.iter().map(ToString::to_string).collect();
            anyhow::anyhow!("{name}: {}", words.join("; "))
        })?;
        motives.extend_from_slice(catalog.motives());
    }
    MotiveCatalog::new(motives).map_err(|problems| {
        let words: Vec<String> = problems.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("the built-in motive catalog: {}", words.join("; "))
    })
}

/// The library of the folder named, or the one built into turno, published.
async fn load_library(store: &AnyStore, dir: &[PathBuf]) -> anyhow::Result<Library> {
    let files = data::read_or(dir, data::PROCEDURES).context("cannot read the procedures")?;
    let sources = data::sources(&files);
    Ok(turno_app::library::load(store, &sources, jiff::Timestamp::now()).await?)
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    crate::logging::init();
    let settings = args.resolve()?;
    block_on(async {
        let state = prepare(&settings).await?;
        tracing::info!(
            addr = %settings.addr,
            database = %redact(&settings.database_url),
            blobs = %settings.blobs,
            "serving"
        );
        println!("Turno en http://{}", settings.addr);
        listen(&settings, state).await
    })?
}

/// Serves the application on the settings' address, its scheduler sweeping, until stopped.
pub async fn listen(settings: &Settings, state: AppState) -> anyhow::Result<ExitCode> {
    let listener = tokio::net::TcpListener::bind(&settings.addr)
        .await
        .with_context(|| format!("cannot listen on {}", settings.addr))?;
    let key = settings.key.key(&settings.database_url, true)?;
    tokio::spawn(turno_web::scheduler::run(
        state.clone(),
        settings.sweep_every,
    ));
    tokio::spawn(checkpoints(
        state.store.clone(),
        key,
        settings.checkpoint_every,
    ));
    turno_web::serve(listener, state).await?;
    Ok(ExitCode::SUCCESS)
}

/// Takes a signed checkpoint of the record now and at every interval after, while serving.
async fn checkpoints(store: AnyStore, key: RecordKey, every: std::time::Duration) {
    let mut interval = tokio::time::interval(every);
    loop {
        interval.tick().await;
        match seal::take(&store, &key).await {
            Ok(Some(taken)) => {
                tracing::info!(cases = taken.cases.len(), "checkpoint of the record signed");
            }
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "cannot take a checkpoint of the record"),
        }
    }
}

/// A database URL without its password, for logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_stay_out_of_logs() {
        assert_eq!(
            redact("postgres://turno:secreto@db/turno"),
            "postgres://turno:***@db/turno"
        );
        assert_eq!(
            redact("postgres://turno@db/turno"),
            "postgres://turno@db/turno"
        );
        assert_eq!(redact("sqlite://turno.db"), "sqlite://turno.db");
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let dir = std::env::temp_dir().join(format!("turno-serve-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("turno.toml");
        std::fs::write(
            &file,
            "addr = \"0.0.0.0:9000\"\ndatabase_url = \"sqlite://x.db\"\n",
        )
        .unwrap();
        let settings = ServeArgs {
            addr: Some("127.0.0.1:1".into()),
            config: Some(file.clone()),
            ..ServeArgs::default()
        }
        .resolve()
        .unwrap();
        assert_eq!(settings.addr, "127.0.0.1:1");
        assert_eq!(settings.database_url, "sqlite://x.db");
        assert!(settings.secure_cookies);
        std::fs::write(&file, "adress = \"x\"\n").unwrap();
        let err = ServeArgs {
            config: Some(file),
            ..ServeArgs::default()
        }
        .resolve()
        .err()
        .unwrap()
        .to_string();
        assert!(err.contains("turno.toml:1:1"), "{err}");
    }

    #[test]
    fn the_semaforo_threshold_and_the_sweep_are_settings() {
        let dir = std::env::temp_dir().join(format!("turno-serve-s-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("turno.toml");
        std::fs::write(&file, "semaforo_amarillo = 50\nsweep_seconds = 300\n").unwrap();
        let settings = ServeArgs {
            config: Some(file.clone()),
            ..ServeArgs::default()
        }
        .resolve()
        .unwrap();
        assert_eq!(
            settings.thresholds,
            turno_domain::engine::Thresholds::amber_at(50).unwrap()
        );
        assert_eq!(settings.sweep_every, std::time::Duration::from_secs(300));
        let err = ServeArgs {
            semaforo_amarillo: Some(100),
            ..ServeArgs::default()
        }
        .resolve()
        .err()
        .unwrap()
        .to_string();
        assert!(err.contains("1 to 99"), "{err}");
    }
}
