//! How long reading a call-center file of a million rows takes, without the database:
//! `cargo run --release -p turno-domain --example calls_parse [ROWS] [FILE]`. The whole import
//! (with SQLite) must stay under 60 s; this part should be a small fraction of it. With FILE,
//! the generated file is also written there, for timing `turno import calls` on it
//! (BENCHMARKS.md).

#![allow(clippy::print_stdout, reason = "an example prints its timing")]

use jiff::civil::date;
use std::fmt::Write as _;
use std::time::Instant;
use turno_domain::citizen::calls::{CallReader, ColumnMapping, Utf8Scanner, csv_rows};

const STATES: [&str; 6] = [
    "Jalisco",
    "QRO",
    "Ciudad de México",
    "Michoacán",
    "OAX",
    "Nuevo León",
];
const KINDS: [&str; 5] = [
    "Queja",
    "Solicitud de información",
    "Sugerencia",
    "Reconocimiento",
    "Gestión",
];

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let started = Instant::now();
    let mut file = String::from(
        "ID_LLAMADA,FECHA,HORA,TIPO,ENTIDAD,UNIDAD_MEDICA,DESCRIPCION,NOMBRE,CURP,TELEFONO,CORREO,DOMICILIO\n",
    );
    for i in 0..rows {
        let _ = writeln!(
            file,
            "CAT-{i:08},{:02}/03/2026,{:02}:{:02},{},{},Centro de Salud {},\"Llamada {i}: no le surtieron la receta, regresó tres veces.\",Persona {i},{},33 {:04} {:04},persona{i}@ejemplo.mx,",
            1 + i % 9,
            8 + i % 12,
            i % 60,
            KINDS[i % 5],
            STATES[i % 6],
            i % 500,
            if i % 10 == 0 {
                "HEGG560427MVZRRL04"
            } else {
                ""
            },
            i / 10_000 % 10_000,
            i % 10_000,
        );
    }
    let bytes = file.into_bytes();
    if let Some(path) = std::env::args().nth(2) {
        std::fs::write(&path, &bytes).expect("the file written");
    }
    println!(
        "generated {rows} rows, {:.0} MB, in {:.2?}",
        bytes.len() as f64 / 1e6,
        started.elapsed()
    );

    let started = Instant::now();
    let mut scanner = Utf8Scanner::new();
    for chunk in bytes.chunks(64 * 1024) {
        scanner.feed(chunk).expect("UTF-8");
    }
    scanner.finish().expect("UTF-8");
    let utf8 = started.elapsed();

    let started = Instant::now();
    let (header_row, header, cells) = csv_rows(bytes.as_slice(), b',').expect("header");
    let mut reader = CallReader::new(
        &ColumnMapping::default(),
        header_row,
        &header,
        date(2026, 3, 10),
    )
    .expect("mapping");
    let (mut calls, mut problems) = (0usize, 0usize);
    for row in cells {
        let (row, cells) = row.expect("CSV row");
        match reader.read(row, &cells) {
            Ok(_) => calls += 1,
            Err(found) => problems += found.len(),
        }
    }
    let read = started.elapsed();
    assert_eq!((calls, problems), (rows, 0));
    println!("UTF-8 check: {utf8:.2?}");
    println!(
        "CSV + validation + content keys + duplicates: {read:.2?} ({:.0} rows/s)",
        rows as f64 / read.as_secs_f64()
    );
}
