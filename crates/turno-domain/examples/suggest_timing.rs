//! How long motive suggestions take to learn from 20,000 classified petitions and to suggest
//! for one, without the database (the store's read is timed by `turno petitions
//! suggest-accuracy`): `cargo run -p turno-domain --example suggest_timing [N]`. The
//! descriptions are generated: 40 words of 12 motives' own vocabularies and a shared one; the
//! figures are for time, not accuracy.

#![allow(clippy::print_stdout, reason = "an example prints its timing")]

use std::time::Instant;
use turno_domain::citizen::Classifier;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let shared: Vec<String> = (0..2_000).map(|i| format!("comun{i}")).collect();
    let text = |motive: usize, seed: usize| {
        (0..40)
            .map(|k| {
                let x = seed.wrapping_mul(2_654_435_761).wrapping_add(k * 40_503) % 10_007;
                if x.is_multiple_of(3) {
                    format!("motivo{motive}palabra{}", x % 50)
                } else {
                    shared[x % shared.len()].clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let texts: Vec<(String, String)> = (0..n)
        .map(|i| (format!("M{}", i % 12), text(i % 12, i)))
        .collect();
    let started = Instant::now();
    let mut classifier = Classifier::default();
    for (motive, t) in &texts {
        classifier.learn(motive, t);
    }
    let learning = started.elapsed();
    let queries = 200;
    let started = Instant::now();
    let mut first = 0;
    for i in 0..queries {
        let s = classifier.suggest(&text(i % 12, n + i));
        first += usize::from(s[0].motive == format!("M{}", i % 12));
    }
    let suggesting = started.elapsed();
    println!(
        "{n} learned in {:.1} ms; a suggestion in {:.2} ms ({first}/{queries} first right)",
        learning.as_secs_f64() * 1e3,
        suggesting.as_secs_f64() * 1e3 / f64::from(queries as u32)
    );
}
