//! Backups and restores of a live database.
//!
//! SQLite: `VACUUM INTO` run on a reader connection. It copies the database as of one read
//! transaction, so the copy is consistent, and in WAL mode a reader never blocks the writer, so
//! the service keeps working meanwhile. The sqlite3 online backup API would give the same
//! guarantee, but sqlx does not wrap it: reaching it through `lock_handle()` takes unsafe FFI and
//! a long blocking call on a raw handle that cannot leave the async task holding its lock, and
//! its incremental mode restarts whenever another connection writes. Unlike that API,
//! `VACUUM INTO` does not fsync its output, so the copy is synced here.
//!
//! PostgreSQL: the server's own tools, `pg_dump --format=custom` (one consistent snapshot) and
//! `pg_restore`, run as child processes; connection parameters go through libpq's environment
//! variables, never through a shell or the command line (which other users can read).

use crate::backend::{is_postgres, is_sqlite};
use crate::error::StoreError;
use crate::{AnyStore, PgStore, SqliteStore};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgSslMode};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::str::FromStr;

/// Why a backup or a restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{} already exists: a backup never overwrites a file", .0.display())]
    Exists(PathBuf),
    #[error(
        "the database {0} already holds data: restoring would replace it (unless asked to replace it)"
    )]
    TargetNotEmpty(String),
    #[error("{} is not a usable backup: {reason}", path.display())]
    NotABackup { path: PathBuf, reason: String },
    #[error("{0} is not installed or not on PATH (it comes with the PostgreSQL client tools)")]
    ToolMissing(&'static str),
    #[error("{tool} failed: {detail}")]
    ToolFailed { tool: &'static str, detail: String },
    #[error("cannot read or write {}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for BackupError {
    fn from(error: sqlx::Error) -> BackupError {
        BackupError::Store(error.into())
    }
}

/// What a restore does with a database that already holds data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreMode {
    /// Refuse ([`BackupError::TargetNotEmpty`]): only an empty database is restored into.
    IntoEmpty,
    /// Replace it with the backup.
    Replace,
}

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
const PG_DUMP_MAGIC: &[u8] = b"PGDMP";

impl AnyStore {
    /// Opens an existing database: unlike [`AnyStore::connect`], a missing SQLite file is an
    /// error instead of a new empty database (backing that up would only hide a typo).
    pub async fn open_existing(url: &str) -> Result<AnyStore, StoreError> {
        if is_sqlite(url) {
            let path = sqlite_file(url)?;
            if !path.exists() {
                return Err(StoreError::DatabaseMissing(path));
            }
        }
        AnyStore::connect(url).await
    }

    /// Writes a consistent backup of the live database to `path`, which must not exist.
    pub async fn backup(&self, path: &Path) -> Result<(), BackupError> {
        match self {
            AnyStore::Sqlite(store) => store.backup(path).await,
            AnyStore::Postgres(store) => store.backup(path).await,
        }
    }

    /// Restores a backup into the database `url` names; see [`SqliteStore::restore`] and
    /// [`PgStore::restore`].
    pub async fn restore(url: &str, backup: &Path, mode: RestoreMode) -> Result<(), BackupError> {
        if is_postgres(url) {
            PgStore::restore(&PgConnectOptions::from_str(url)?, backup, mode).await
        } else if is_sqlite(url) {
            SqliteStore::restore(url, backup, mode).await
        } else {
            Err(StoreError::UnsupportedUrl(url.to_owned()).into())
        }
    }
}

/// The file a SQLite URL (or plain path) names, as `SqliteStore::open` reads it.
fn sqlite_file(url: &str) -> Result<PathBuf, StoreError> {
    let url = if url.starts_with("sqlite:") {
        url.to_owned()
    } else {
        format!("sqlite://{url}")
    };
    let path = SqliteConnectOptions::from_str(&url)?
        .get_filename()
        .to_owned();
    let name = path.to_string_lossy();
    if name.is_empty() || name == ":memory:" || name.starts_with("file:sqlx-in-memory") {
        return Err(StoreError::UnsupportedUrl(url));
    }
    Ok(path)
}

impl SqliteStore {
    /// Writes a consistent copy of the live database to `path`, which must not exist. Writers
    /// may keep writing: the copy is the database as of the moment the copy began.
    pub async fn backup(&self, path: &Path) -> Result<(), BackupError> {
        let target = path.to_str().ok_or_else(|| BackupError::Io {
            path: path.to_owned(),
            source: io::Error::new(io::ErrorKind::InvalidInput, "the path is not valid UTF-8"),
        })?;
        refuse_existing(path)?;
        // Created here, exclusively (VACUUM INTO accepts an empty file): a file appearing
        // since the check is neither overwritten nor removed on failure.
        let created = path.to_owned();
        blocking(path, move || create_backup_file(&created).map(drop)).await?;
        // Bound, not spliced into the statement: any file name is safe.
        if let Err(error) = sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.reader)
            .await
        {
            // Whatever a failed copy left (a full disk) is not a backup.
            let _ = fs::remove_file(path);
            return Err(error.into());
        }
        let owned = path.to_owned();
        blocking(path, move || sync_file_and_dir(&owned)).await
    }

    /// Puts the backup at `backup` in place as the database `url` names (`sqlite://PATH` or a
    /// path). A database that already has tables is replaced only in [`RestoreMode::Replace`].
    /// The old database's `-wal`, `-shm` and `-journal` files are removed: SQLite would
    /// otherwise apply them to the restored file. Nothing may have the database open meanwhile (stop turno
    /// first): an open connection would keep writing to the replaced file.
    pub async fn restore(url: &str, backup: &Path, mode: RestoreMode) -> Result<(), BackupError> {
        let target = sqlite_file(url)?;
        let source = backup.to_owned();
        blocking(backup, move || check_magic(&source, SQLITE_MAGIC, "SQLite")).await?;
        if mode == RestoreMode::IntoEmpty && sqlite_has_tables(&target).await? {
            return Err(BackupError::TargetNotEmpty(target.display().to_string()));
        }
        // The copy is made and checked beside the target, then renamed over it: the target
        // is never half-written.
        let staged = with_suffix(&target, ".restoring");
        let (source, copy) = (backup.to_owned(), staged.clone());
        blocking(&staged, move || copy_synced(&source, &copy)).await?;
        if let Err(error) = quick_check(&staged, backup).await {
            let _ = fs::remove_file(&staged);
            return Err(error);
        }
        let done = target.clone();
        blocking(&target, move || {
            for suffix in ["-wal", "-shm", "-journal"] {
                let stale = with_suffix(&done, suffix);
                match fs::remove_file(&stale) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => {
                        return Err(BackupError::Io {
                            path: stale,
                            source: e,
                        });
                    }
                    _ => {}
                }
            }
            fs::rename(&staged, &done).map_err(io_error(&done))?;
            sync_dir(&done)
        })
        .await
    }
}

/// Whether a SQLite file holds any table. A file SQLite cannot read counts as holding data:
/// it is something, and only [`RestoreMode::Replace`] replaces it.
async fn sqlite_has_tables(path: &Path) -> Result<bool, BackupError> {
    match fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(io_error(path)(e)),
        Ok(meta) if meta.len() == 0 => return Ok(false),
        Ok(_) => {}
    }
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .connect()
        .await?;
    let tables: Result<i64, _> =
        sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
            .fetch_one(&mut conn)
            .await;
    let _ = conn.close().await;
    Ok(tables.map_or(true, |n| n > 0))
}

/// SQLite's own check of the staged copy, read-only and without touching it.
async fn quick_check(staged: &Path, backup: &Path) -> Result<(), BackupError> {
    let not_a_backup = |reason: String| BackupError::NotABackup {
        path: backup.to_owned(),
        reason,
    };
    let mut conn = SqliteConnectOptions::new()
        .filename(staged)
        .read_only(true)
        .immutable(true)
        .connect()
        .await?;
    let result: Result<String, _> = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_one(&mut conn)
        .await;
    let _ = conn.close().await;
    match result {
        Ok(ok) if ok == "ok" => Ok(()),
        Ok(problem) => Err(not_a_backup(format!("the file is damaged: {problem}"))),
        Err(e) => Err(not_a_backup(e.to_string())),
    }
}

impl PgStore {
    /// Writes `pg_dump --format=custom` of this store's database to `path`, which must not
    /// exist; only the store's schema when its connection sets a `search_path` (the first
    /// schema of it). pg_dump reads one snapshot: writers may keep writing.
    pub async fn backup(&self, path: &Path) -> Result<(), BackupError> {
        refuse_existing(path)?;
        let target = PgTarget::new(&self.reader.connect_options());
        let mut args: Vec<OsString> = vec![
            "--format=custom".into(),
            "--no-password".into(),
            target.dbname_arg(),
        ];
        if let Some(schema) = &target.schema {
            args.push(format!("--schema={}", pattern_literal(schema)).into());
        }
        let path = path.to_owned();
        let file_path = path.clone();
        blocking(&path, move || {
            // Created here, exclusively, so that a file appearing since the check is not
            // overwritten either.
            let file = create_backup_file(&file_path)?;
            match run_tool("pg_dump", &args, &target.env, Stdio::from(file)) {
                Ok(_) => sync_file_and_dir(&file_path),
                Err(error) => {
                    let _ = fs::remove_file(&file_path);
                    Err(error)
                }
            }
        })
        .await
    }

    /// Restores a `pg_dump --format=custom` archive with `pg_restore --clean --if-exists
    /// --no-owner --single-transaction` into the database `options` name, which must exist.
    /// When the options set a `search_path`, its first schema is the target, and the archive
    /// must hold that schema (pg_restore cannot rename one). A target that already has tables
    /// is replaced only in [`RestoreMode::Replace`]; a schema is then moved aside first and
    /// dropped only after the restore succeeded, so a failed restore leaves it as it was.
    pub async fn restore(
        options: &PgConnectOptions,
        backup: &Path,
        mode: RestoreMode,
    ) -> Result<(), BackupError> {
        let target = PgTarget::new(options);
        let source = backup.to_owned();
        blocking(backup, move || {
            check_magic(&source, PG_DUMP_MAGIC, "pg_dump custom-format")
        })
        .await?;
        let (listed, env) = (backup.to_owned(), target.env.clone());
        let listing = blocking(backup, move || {
            run_tool(
                "pg_restore",
                &["--list".into(), listed.into_os_string()],
                &env,
                Stdio::piped(),
            )
        })
        .await?;
        let schemas = archive_schemas(&String::from_utf8_lossy(&listing));
        if let Some(schema) = &target.schema
            && !schemas.contains(schema)
        {
            return Err(BackupError::NotABackup {
                path: backup.to_owned(),
                reason: format!(
                    "it holds the schema(s) {}, not {schema}: a schema is restored under its own name",
                    schemas.join(", ")
                ),
            });
        }

        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        let result = restore_into(&pool, &target, backup, mode).await;
        pool.close().await;
        result
    }
}

async fn restore_into(
    pool: &sqlx::PgPool,
    target: &PgTarget,
    backup: &Path,
    mode: RestoreMode,
) -> Result<(), BackupError> {
    let tables: i64 = match &target.schema {
        Some(schema) => {
            sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = $1")
                .bind(schema)
                .fetch_one(pool)
                .await?
        }
        None => {
            sqlx::query_scalar(
                "SELECT count(*) FROM pg_tables \
                 WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
            )
            .fetch_one(pool)
            .await?
        }
    };
    if tables > 0 && mode == RestoreMode::IntoEmpty {
        let place = match &target.schema {
            Some(schema) => format!("{} (schema {schema})", target.database),
            None => target.database.clone(),
        };
        return Err(BackupError::TargetNotEmpty(place));
    }
    // A schema with tables is moved aside rather than cleaned: objects the archive does not
    // know (a newer migration's table) would make pg_restore's DROP SCHEMA fail.
    let aside = match &target.schema {
        Some(schema) if tables > 0 => {
            let aside = aside_name(schema);
            sqlx::raw_sql(&format!(
                "ALTER SCHEMA {} RENAME TO {}",
                quote_ident(schema),
                quote_ident(&aside)
            ))
            .execute(pool)
            .await?;
            Some((schema.clone(), aside))
        }
        _ => None,
    };
    // A schema's archive holds no extension, and migration 0030's search columns need
    // `unaccent` in `public` (a trusted extension: the database's owner may create it).
    sqlx::raw_sql(
        "SELECT pg_advisory_lock(1730030); \
         CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public; \
         SELECT pg_advisory_unlock(1730030);",
    )
    .execute(pool)
    .await?;
    let args: Vec<OsString> = vec![
        "--clean".into(),
        "--if-exists".into(),
        "--no-owner".into(),
        // All or nothing: a failed restore leaves the target as it was.
        "--single-transaction".into(),
        "--no-password".into(),
        target.dbname_arg(),
        backup.as_os_str().to_owned(),
    ];
    let env = target.env.clone();
    let restored = blocking(backup, move || {
        run_tool("pg_restore", &args, &env, Stdio::null()).map(drop)
    })
    .await;
    if let Some((schema, aside)) = aside {
        let sql = match restored {
            Ok(()) => format!("DROP SCHEMA {} CASCADE", quote_ident(&aside)),
            Err(_) => format!(
                "ALTER SCHEMA {} RENAME TO {}",
                quote_ident(&aside),
                quote_ident(&schema)
            ),
        };
        let undone = sqlx::raw_sql(&sql).execute(pool).await;
        restored?;
        undone?;
        return Ok(());
    }
    restored
}

/// How pg_dump and pg_restore reach a database: libpq's environment variables, and the
/// database and schema.
struct PgTarget {
    env: Vec<(&'static str, String)>,
    database: String,
    schema: Option<String>,
}

impl PgTarget {
    fn new(options: &PgConnectOptions) -> PgTarget {
        let host = match options.get_socket() {
            Some(dir) => dir.display().to_string(),
            None => options.get_host().to_owned(),
        };
        let mut env = vec![
            ("PGHOST", host),
            ("PGPORT", options.get_port().to_string()),
            ("PGUSER", options.get_username().to_owned()),
            ("PGSSLMODE", ssl_mode(options.get_ssl_mode()).to_owned()),
            ("PGAPPNAME", "turno".to_owned()),
        ];
        // The options have no getter for the password or certificates; their URL form has.
        let url = options.to_url_lossy();
        if let Some(password) = url.password() {
            env.push(("PGPASSWORD", percent_decode(password)));
        }
        for (key, var) in [
            ("sslrootcert", "PGSSLROOTCERT"),
            ("sslcert", "PGSSLCERT"),
            ("sslkey", "PGSSLKEY"),
        ] {
            // Only certificates in files: libpq cannot take one inline.
            if let Some((_, value)) = url.query_pairs().find(|(k, _)| k == key)
                && let Some(file) = value.strip_prefix("file: ")
            {
                env.push((var, file.to_owned()));
            }
        }
        PgTarget {
            env,
            // libpq's default database is the user's name, as the server's is.
            database: options
                .get_database()
                .unwrap_or(options.get_username())
                .to_owned(),
            schema: options.get_options().and_then(search_path_schema),
        }
    }

    /// `--dbname` as a conninfo string holding only the name: a bare name that contains `=`
    /// or looks like a URI would be read as connection parameters.
    fn dbname_arg(&self) -> OsString {
        let quoted = self.database.replace('\\', "\\\\").replace('\'', "\\'");
        format!("--dbname=dbname='{quoted}'").into()
    }
}

fn ssl_mode(mode: PgSslMode) -> &'static str {
    match mode {
        PgSslMode::Disable => "disable",
        PgSslMode::Allow => "allow",
        PgSslMode::Prefer => "prefer",
        PgSslMode::Require => "require",
        PgSslMode::VerifyCa => "verify-ca",
        PgSslMode::VerifyFull => "verify-full",
    }
}

/// The first schema of a `search_path` set in connection options (`-c search_path=a,b`,
/// `-csearch_path=a` or `--search_path=a`), as the server reads it: unquoted names are
/// lowercased.
fn search_path_schema(options: &str) -> Option<String> {
    let mut words = options.split_whitespace();
    while let Some(word) = words.next() {
        let setting = match word {
            "-c" => words.next().unwrap_or_default(),
            _ => word
                .strip_prefix("--")
                .or_else(|| word.strip_prefix("-c"))
                .unwrap_or_default(),
        };
        if let Some(value) = setting.strip_prefix("search_path=") {
            let first = value.split(',').next().unwrap_or_default().trim();
            let schema = match first.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                Some(quoted) => quoted.replace("\"\"", "\""),
                None => first.to_lowercase(),
            };
            return (!schema.is_empty()).then_some(schema);
        }
    }
    None
}

/// A pg_dump name pattern that matches exactly this name: quoted, so that letters keep their
/// case and `*`, `?` and `.` are not wildcards.
fn pattern_literal(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A name for a schema moved aside during a restore; within PostgreSQL's 63 bytes.
fn aside_name(schema: &str) -> String {
    let suffix = format!("_before_restore_{}", std::process::id());
    let mut keep = 63 - suffix.len();
    while !schema.is_char_boundary(keep.min(schema.len())) {
        keep -= 1;
    }
    format!("{}{suffix}", &schema[..keep.min(schema.len())])
}

/// The schemas of an archive: its `SCHEMA - name` entries in `pg_restore --list`.
fn archive_schemas(listing: &str) -> Vec<String> {
    listing
        .lines()
        .filter(|line| !line.starts_with(';'))
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            words
                .windows(3)
                .find(|w| w[..2] == ["SCHEMA", "-"])
                .map(|w| w[2].to_owned())
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = text.get(i + 1..i + 3);
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(byte) if bytes[i] == b'%' => {
                out.push(byte);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs a PostgreSQL client tool without a shell; its stdout goes to `stdout` and is returned
/// when piped. Stdin is closed and `--no-password` given: the tools must never wait on a
/// prompt.
fn run_tool(
    tool: &'static str,
    args: &[OsString],
    env: &[(&'static str, String)],
    stdout: Stdio,
) -> Result<Vec<u8>, BackupError> {
    let output = Command::new(tool)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => BackupError::ToolMissing(tool),
            _ => BackupError::ToolFailed {
                tool,
                detail: e.to_string(),
            },
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let detail = match stderr.trim() {
            "" => output.status.to_string(),
            message => message.to_owned(),
        };
        return Err(BackupError::ToolFailed { tool, detail });
    }
    Ok(output.stdout)
}

/// Runs blocking file and process work off the async workers.
async fn blocking<T: Send + 'static>(
    path: &Path,
    work: impl FnOnce() -> Result<T, BackupError> + Send + 'static,
) -> Result<T, BackupError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => Err(BackupError::Io {
            path: path.to_owned(),
            source: io::Error::new(io::ErrorKind::Interrupted, e),
        }),
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_owned(),
        source,
    }
}

fn refuse_existing(path: &Path) -> Result<(), BackupError> {
    match fs::symlink_metadata(path) {
        Ok(_) => Err(BackupError::Exists(path.to_owned())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(path)(e)),
    }
}

fn create_backup_file(path: &Path) -> Result<File, BackupError> {
    File::create_new(path).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => BackupError::Exists(path.to_owned()),
        _ => io_error(path)(e),
    })
}

/// Refuses a file that does not begin as a backup of this kind should (the other backend's
/// backup, a truncated download, a wrong path).
fn check_magic(path: &Path, magic: &[u8], kind: &str) -> Result<(), BackupError> {
    let mut head = vec![0; magic.len()];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .map_err(|e| match e.kind() {
            io::ErrorKind::UnexpectedEof => BackupError::NotABackup {
                path: path.to_owned(),
                reason: format!("it is not a {kind} file"),
            },
            _ => io_error(path)(e),
        })?;
    if head != magic {
        return Err(BackupError::NotABackup {
            path: path.to_owned(),
            reason: format!("it is not a {kind} file"),
        });
    }
    Ok(())
}

fn copy_synced(from: &Path, to: &Path) -> Result<(), BackupError> {
    // A file left by an interrupted restore is only a stale copy.
    match fs::remove_file(to) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(io_error(to)(e)),
        _ => {}
    }
    let mut source = File::open(from).map_err(io_error(from))?;
    let mut copy = File::create_new(to).map_err(io_error(to))?;
    let copied = io::copy(&mut source, &mut copy).and_then(|_| copy.sync_all());
    if let Err(e) = copied {
        let _ = fs::remove_file(to);
        return Err(io_error(to)(e));
    }
    Ok(())
}

/// Makes a new file durable: its content, and its name in the directory.
fn sync_file_and_dir(path: &Path) -> Result<(), BackupError> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io_error(path))?;
    sync_dir(path)
}

fn sync_dir(path: &Path) -> Result<(), BackupError> {
    // Directories cannot be opened for syncing on every platform; where they can (Unix), a
    // rename or a new file is durable only once its directory is synced.
    if cfg!(unix) {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io_error(dir))?;
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_is_the_first_of_the_search_path() {
        assert_eq!(
            search_path_schema("-c search_path=turno_1"),
            Some("turno_1".into())
        );
        assert_eq!(
            search_path_schema("-c statement_timeout=5s -csearch_path=Turno,public"),
            Some("turno".into())
        );
        assert_eq!(
            search_path_schema("--search_path=\"Mixto\""),
            Some("Mixto".into())
        );
        assert_eq!(search_path_schema("-c statement_timeout=5s"), None);
    }

    #[test]
    fn connection_parameters_come_from_the_url() {
        let options =
            PgConnectOptions::from_str("postgres://ana:p%40ss%20w@db.example:5433/turno?sslmode=require&options[search_path]=prod")
                .unwrap();
        let target = PgTarget::new(&options);
        let env = |k: &str| {
            target
                .env
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(env("PGHOST"), Some("db.example"));
        assert_eq!(env("PGPORT"), Some("5433"));
        assert_eq!(env("PGUSER"), Some("ana"));
        assert_eq!(env("PGPASSWORD"), Some("p@ss w"));
        assert_eq!(env("PGSSLMODE"), Some("require"));
        assert_eq!(target.database, "turno");
        assert_eq!(target.schema.as_deref(), Some("prod"));
        assert_eq!(
            target.dbname_arg(),
            OsString::from("--dbname=dbname='turno'")
        );
    }

    #[test]
    fn a_missing_tool_is_named() {
        let err = run_tool("turno-no-such-tool", &[], &[], Stdio::null()).unwrap_err();
        assert!(
            matches!(err, BackupError::ToolMissing("turno-no-such-tool")),
            "{err}"
        );
    }

    #[test]
    fn archive_listings_are_read_by_entry() {
        let listing = ";\n; Archive created at 2026-03-02\n;     dbname: test\n\
                       5; 2615 16398 SCHEMA - turno_a postgres\n\
                       220; 1259 16400 TABLE turno_a cases postgres\n";
        assert_eq!(archive_schemas(listing), ["turno_a"]);
    }

    #[test]
    fn aside_names_fit_in_an_identifier() {
        let long = "e".repeat(63);
        assert!(aside_name(&long).len() <= 63);
        assert!(aside_name("turno").starts_with("turno_before_restore_"));
    }

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_file("sqlite://data/turno.db").unwrap(),
            Path::new("data/turno.db")
        );
        assert_eq!(sqlite_file("turno.db").unwrap(), Path::new("turno.db"));
        assert!(sqlite_file("sqlite::memory:").is_err());
    }
}
