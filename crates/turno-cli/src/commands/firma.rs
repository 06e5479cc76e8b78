//! `turno firma`: e.firma from the command line (`docs/efirma.md`). `ac importar` loads a
//! certification authority's certificate or a revocation list into the database, which every
//! `turno serve` on it then trusts; `verificar` checks a detached signature made elsewhere
//! against them; `persona` records the RFC and CURP that a person's certificate must carry.
//! The checks are `turno_app::efirma`'s, as the API's.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Subcommand};
use turno_app::efirma;
use turno_efirma::Expected;
use turno_store::Store as _;
use turno_store::signatures::TrustKind;

use crate::commands::database::{DatabaseArgs, block_on, open};

#[derive(Subcommand)]
pub enum FirmaCommand {
    /// Certification authorities: import their certificates and revocation lists.
    #[command(subcommand)]
    Ac(AcCommand),
    /// Verify a detached CMS (PKCS#7) signature of a document: exit status 1 when it is not
    /// valid, with the reason.
    Verificar(VerifyArgs),
    /// Record the RFC and CURP of a person (either may be empty): the e.firma they sign with
    /// must carry them.
    Persona(PersonArgs),
}

#[derive(Subcommand)]
pub enum AcCommand {
    /// Import a certification authority's certificate (.cer, .crt, .pem) or its revocation
    /// list (.crl), DER or PEM. A list needs its authority imported first.
    Importar(ImportArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    /// The certificate or list file.
    pub file: PathBuf,
    /// Who the audit log says made the change.
    #[arg(long, default_value = "línea de comandos")]
    pub actor: String,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

#[derive(Args)]
pub struct VerifyArgs {
    /// The signed document, byte for byte.
    pub document: PathBuf,
    /// Its detached signature: DER, PEM or base64.
    pub signature: PathBuf,
    /// The RFC the signer's certificate must carry.
    #[arg(long)]
    pub rfc: Option<String>,
    /// The CURP the signer's certificate must carry.
    #[arg(long)]
    pub curp: Option<String>,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

#[derive(Args)]
pub struct PersonArgs {
    /// The person's login.
    pub login: String,
    #[arg(long, default_value = "")]
    pub rfc: String,
    #[arg(long, default_value = "")]
    pub curp: String,
    /// Who the audit log says made the change.
    #[arg(long, default_value = "línea de comandos")]
    pub actor: String,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

pub fn run(cmd: FirmaCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        FirmaCommand::Ac(AcCommand::Importar(args)) => import(args),
        FirmaCommand::Verificar(args) => verify(args),
        FirmaCommand::Persona(args) => person(args),
    }
}

fn read(path: &PathBuf) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// A use case's refusal for a person, or a failure of the system for anyhow.
fn refused(error: turno_app::Error) -> anyhow::Result<ExitCode> {
    match error {
        turno_app::Error::Internal(e) => Err(anyhow::anyhow!(e)),
        turno_app::Error::InvalidFields(problems) => {
            for problem in problems {
                eprintln!("--{}: {}", problem.field, problem.message);
            }
            eprintln!("no se guardó nada");
            Ok(ExitCode::FAILURE)
        }
        other => {
            eprintln!("{other}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let bytes = read(&args.file)?;
    block_on(async {
        let Some(store) = open(&args.db).await? else {
            return Ok(ExitCode::FAILURE);
        };
        let imported = match efirma::import(&store, &bytes, &args.actor).await {
            Ok(imported) => imported,
            Err(error) => {
                eprintln!("{}:", args.file.display());
                return refused(error);
            }
        };
        let what = match imported.kind {
            TrustKind::Anchor => "certificado de la autoridad certificadora",
            TrustKind::Crl => "lista de revocación de",
        };
        if imported.added {
            println!("importado: {what} {}", imported.name);
        } else {
            println!("ya estaba importado: {what} {}", imported.name);
        }
        Ok(ExitCode::SUCCESS)
    })?
}

fn verify(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let document = read(&args.document)?;
    let signature = read(&args.signature)?;
    let expected = (args.rfc.is_some() || args.curp.is_some()).then(|| Expected {
        rfc: args.rfc.clone(),
        curp: args.curp.clone(),
    });
    block_on(async {
        let Some(store) = open(&args.db).await? else {
            return Ok(ExitCode::FAILURE);
        };
        let at = jiff::Timestamp::now();
        match efirma::verify(&store, &document, &signature, at, expected.as_ref()).await {
            Ok(verified) => {
                println!("Firma válida.");
                println!("Firmante: {}", verified.signer);
                let identity = &verified.identity;
                let none = || "—".to_owned();
                println!(
                    "RFC: {}  CURP: {}",
                    identity.rfc.clone().unwrap_or_else(none),
                    identity.curp.clone().unwrap_or_else(none)
                );
                println!(
                    "Certificado: {}, emitido por {}",
                    verified.serial, verified.issuer
                );
                println!("Vigente y no revocado el {} UTC", day_time(verified.at));
                if let Some(claimed) = verified.claimed_time {
                    println!(
                        "Fecha que declara la firma: {} UTC (no comprobada)",
                        day_time(claimed)
                    );
                }
                println!("Resumen SHA-256 del documento: {}", verified.digest);
                Ok(ExitCode::SUCCESS)
            }
            Err(turno_app::Error::Refused(reason)) => {
                eprintln!("Firma no válida: {reason}");
                Ok(ExitCode::FAILURE)
            }
            Err(error) => refused(error),
        }
    })?
}

fn day_time(at: jiff::Timestamp) -> String {
    at.strftime("%d/%m/%Y %H:%M").to_string()
}

fn person(args: PersonArgs) -> anyhow::Result<ExitCode> {
    block_on(async {
        let Some(store) = open(&args.db).await? else {
            return Ok(ExitCode::FAILURE);
        };
        let Some(record) = store
            .user_by_login(&args.login)
            .await
            .context("cannot read the person")?
        else {
            eprintln!("no existe la persona «{}»", args.login);
            return Ok(ExitCode::FAILURE);
        };
        let rfc_curp = (args.rfc.as_str(), args.curp.as_str());
        match efirma::set_identity(&store, record.user.id, rfc_curp, &args.actor).await {
            Ok(identity) => {
                println!(
                    "«{}»: RFC {}, CURP {}",
                    args.login,
                    identity.rfc.as_deref().unwrap_or("—"),
                    identity.curp.as_deref().unwrap_or("—")
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(error) => refused(error),
        }
    })?
}
