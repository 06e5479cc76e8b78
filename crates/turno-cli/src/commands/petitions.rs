//! `turno petitions suggest-accuracy`: how well motive suggestions guess the motive of the
//! petitions already classified. A fixed fifth of them (folio number divisible by 5) is held
//! back; the classifier learns from the rest (the same latest `SUGGESTION_TRAINING` the pages
//! learn from) and suggests for each held back. Prints top-1 and top-3 accuracy, and the time
//! to read and learn, to suggest, and to check that a kept model is still current
//! (BENCHMARKS.md).

#![allow(clippy::print_stdout, reason = "a command prints its figures")]

use crate::commands::database::{DatabaseArgs, block_on, open};
use clap::{Args, Subcommand};
use std::process::ExitCode;
use std::time::Instant;
use turno_app::handling::{SUGGESTION_TRAINING, SUGGESTIONS_SHOWN};
use turno_domain::citizen::Classifier;
use turno_store::Handling;

#[derive(Subcommand)]
pub enum PetitionsCommand {
    /// Top-1 and top-3 accuracy of motive suggestions on a held-back fifth of the classified
    /// petitions (folio number divisible by 5), and the time to learn and to suggest.
    SuggestAccuracy(AccuracyArgs),
}

#[derive(Args)]
pub struct AccuracyArgs {
    #[command(flatten)]
    db: DatabaseArgs,
}

pub fn run(command: PetitionsCommand) -> anyhow::Result<ExitCode> {
    match command {
        PetitionsCommand::SuggestAccuracy(args) => accuracy(&args),
    }
}

fn accuracy(args: &AccuracyArgs) -> anyhow::Result<ExitCode> {
    block_on(async {
        let Some(store) = open(&args.db).await? else {
            return Ok(ExitCode::FAILURE);
        };
        let started = Instant::now();
        let texts = store.classified_texts(SUGGESTION_TRAINING).await?;
        let read = started.elapsed();
        let (held, learned): (Vec<_>, Vec<_>) = texts.iter().partition(|t| t.folio.number % 5 == 0);
        let started = Instant::now();
        let mut classifier = Classifier::default();
        for text in &learned {
            classifier.learn(&text.motive, &text.narrative);
        }
        let learning = started.elapsed();
        let started = Instant::now();
        let (mut first, mut three) = (0usize, 0usize);
        for text in &held {
            let suggested = classifier.suggest(&text.narrative);
            let rank = suggested.iter().position(|s| s.motive == text.motive);
            first += usize::from(rank == Some(0));
            three += usize::from(rank.is_some_and(|r| r < SUGGESTIONS_SHOWN));
        }
        let suggesting = started.elapsed();
        // What each classification form pays while the model it keeps is still the one the
        // classified petitions teach (`turno_app::handling::classifier`): their folios read.
        let started = Instant::now();
        store.classified_folios(SUGGESTION_TRAINING).await?;
        let checking = started.elapsed();
        let share = |n: usize| {
            if held.is_empty() {
                "—".to_owned()
            } else {
                format!("{:.1} %", 100.0 * n as f64 / held.len() as f64)
            }
        };
        println!(
            "peticiones clasificadas: {} (aprendidas {}, apartadas {})",
            texts.len(),
            learned.len(),
            held.len()
        );
        println!("acierto del primer motivo: {}", share(first));
        println!("acierto entre los tres primeros: {}", share(three));
        println!(
            "lectura: {:.1} ms; aprendizaje: {:.1} ms; sugerencia: {:.3} ms por petición",
            read.as_secs_f64() * 1e3,
            learning.as_secs_f64() * 1e3,
            suggesting.as_secs_f64() * 1e3 / held.len().max(1) as f64
        );
        println!(
            "comprobación del modelo conservado (folios de las clasificadas): {:.1} ms",
            checking.as_secs_f64() * 1e3
        );
        Ok(ExitCode::SUCCESS)
    })?
}
