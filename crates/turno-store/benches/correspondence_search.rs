//! Searching the correspondence over 1,000,000 incoming documents (issue 17, item 8), on SQLite
//! and PostgreSQL in the same run: the documents are filled in bulk (many rows a statement, many
//! statements a transaction) with Spanish texts drawn from the vocabulary of an oficialía de
//! partes, half of them turned to a second unit; then 1,000 varied searches go through the
//! store's `search_correspondence`, as the application asks them (an administrator's and a
//! unit's, with and without dates; common and rare words, accents left out, a prefix being typed,
//! a sender, a folio, their number) and their p50, p99 and max latency are printed, with the
//! CPU time each search used (SQLite: this process's; PostgreSQL: the server processes' serving
//! the store, from Linux's `/proc`) and the load average before and after: on a shared machine
//! the wall time also counts the waits for a core.
//!
//! Run: `cargo bench -p turno-store --bench correspondence_search` (PostgreSQL at 127.0.0.1:5432,
//! database test, in a schema of its own that the run drops at the end).
//! `TURNO_BENCH_DOCUMENTS` changes the number of documents and `TURNO_BENCH_QUERIES` the
//! number of searches; `TURNO_BENCH_ONLY=postgres` or `sqlite` runs one backend, and
//! `TURNO_BENCH_POSTGRES_SCHEMA` searches a schema already filled, without filling one, as
//! `TURNO_BENCH_SQLITE_FILE` a database file already filled. `TURNO_BENCH_ANSWERS` names a file
//! where each search's count and page are written, one line a search, to compare two runs
//! (two versions of the search must answer the same).

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a benchmark prints its measurements and stops at its first failure"
)]

mod common;

use common::{POSTGRES_URL, env_number, fresh_schema, in_schema};
use sqlx::postgres::PgPoolOptions;
use std::time::{Duration, Instant};
use turno_store::correspondence::search::{CorrespondenceSearch, SearchScope, Seen, words};
use turno_store::{CorrespondenceFinder, PgStore, SqliteStore, Store, UnitInput};

/// A small deterministic generator (xorshift64*): the same documents every run.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const UNITS: &[&str] = &[
    "SIDSS", "DGIS", "DGPLADES", "DGCES", "DGED", "DOE", "CNPSS", "CENETEC", "DGRMYSG", "DGTI",
    "UAJ", "OIC",
];

const REQUESTS: &[&str] = &[
    "Solicitud de información sobre",
    "Respuesta al oficio relativo a",
    "Invitación a la reunión de trabajo sobre",
    "Remisión del informe trimestral de",
    "Petición de opinión técnica acerca de",
    "Seguimiento de los acuerdos sobre",
    "Envío de la documentación comprobatoria de",
    "Aclaración de observaciones de auditoría a",
    "Queja ciudadana por",
    "Requerimiento de transparencia sobre",
];

const TOPICS: &[&str] = &[
    "la campaña de vacunación contra la influenza",
    "el abasto de medicamentos en hospitales rurales",
    "la acreditación de unidades médicas",
    "el padrón de beneficiarios del programa",
    "la capacitación del personal de enfermería",
    "el presupuesto asignado al ejercicio fiscal",
    "la vigilancia epidemiológica del dengue",
    "la atención materna y perinatal",
    "los indicadores de calidad en la atención",
    "el mantenimiento de equipo médico",
    "la contratación de médicos especialistas",
    "la infraestructura de los centros de salud",
    "la referencia y contrarreferencia de pacientes",
    "el expediente clínico electrónico",
    "la salud mental en adolescentes",
];

const PLACES: &[&str] = &[
    "Oaxaca",
    "Chiapas",
    "Guerrero",
    "Michoacán",
    "Yucatán",
    "Querétaro",
    "Sonora",
    "Nuevo León",
    "Jalisco",
    "Puebla",
    "Tabasco",
    "Zacatecas",
    "Hidalgo",
    "Veracruz",
    "Ciudad de México",
    "Durango",
];

const SENTENCES: &[&str] = &[
    "Se solicita su amable intervención para atender el asunto a la brevedad.",
    "Se anexa copia del expediente y de los documentos que lo acompañan.",
    "Le agradeceré informar el estado que guarda el trámite en un plazo de diez días hábiles.",
    "La jurisdicción sanitaria reporta un incremento en la demanda de servicios.",
    "Conforme al artículo 8 de la Ley Federal de Procedimiento Administrativo, se da respuesta.",
    "El comité técnico revisó la propuesta y emitió observaciones puntuales.",
    "Se adjunta el calendario de visitas de supervisión para el siguiente trimestre.",
    "Se pide validar la información antes de su publicación en el portal.",
    "La Secretaría de Hacienda requiere la conciliación de las cifras presupuestales.",
    "Sin otro particular, reciba un cordial saludo.",
];

const FIRST_NAMES: &[&str] = &[
    "José",
    "María",
    "Juan",
    "Guadalupe",
    "Francisco",
    "Verónica",
    "Jesús",
    "Patricia",
    "Alejandro",
    "Martha",
    "Ramón",
    "Sofía",
    "Héctor",
    "Inés",
    "Raúl",
    "Mónica",
];

const SURNAMES: &[&str] = &[
    "Hernández",
    "García",
    "Martínez",
    "López",
    "González",
    "Pérez",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Gómez",
    "Flores",
    "Morales",
    "Vázquez",
    "Jiménez",
    "Reyes",
    "Díaz",
    "Ibáñez",
    "Núñez",
    "Zúñiga",
    "Ordóñez",
    "Peña",
    "Muñoz",
    "Castañeda",
];

const POSITIONS: &[&str] = &[
    "Director General",
    "Directora de Área",
    "Subdirector de Planeación",
    "Jefa de Departamento",
    "Secretario de Salud del Estado",
    "Coordinadora Estatal",
    "Titular de la Unidad Jurídica",
];

const BODIES: &[&str] = &[
    "Servicios de Salud de Oaxaca",
    "Instituto Mexicano del Seguro Social",
    "ISSSTE",
    "Secretaría de la Función Pública",
    "Auditoría Superior de la Federación",
    "INAI",
    "Comisión Federal para la Protección contra Riesgos Sanitarios",
    "Cámara de Diputados",
];

/// One document's values, in the columns' order of the bulk insert.
struct Doc {
    year: i64,
    number: i64,
    kind: &'static str,
    sender_name: String,
    sender_position: &'static str,
    sender_organization: &'static str,
    their_number: String,
    received_at: String,
    subject: String,
    summary: String,
    classification: &'static str,
    unit: &'static str,
    turned_to: Option<&'static str>,
}

/// The `n`th document: years 2024 to 2026, numbered per year.
fn document(draw: &mut Draw, n: u64, total: u64) -> Doc {
    let per_year = total.div_ceil(3).max(1);
    let year = 2024 + (n / per_year) as i64;
    let number = (n % per_year) as i64 + 1;
    let day_of_year = (number - 1) * 360 / per_year as i64;
    let (month, day) = (day_of_year / 30 + 1, day_of_year % 30 + 1);
    let day = if month == 2 { day.min(28) } else { day };
    let subject = format!(
        "{} {} en {}",
        draw.pick(REQUESTS),
        draw.pick(TOPICS),
        draw.pick(PLACES)
    );
    let summary = (0..3 + draw.below(3))
        .map(|_| draw.pick(SENTENCES))
        .collect::<Vec<_>>()
        .join(" ");
    let unit = draw.pick(UNITS);
    Doc {
        year,
        number,
        kind: draw.pick(&["oficio", "memorandum", "circular", "escrito", "correo"]),
        sender_name: format!(
            "{} {} {}",
            draw.pick(FIRST_NAMES),
            draw.pick(SURNAMES),
            draw.pick(SURNAMES)
        ),
        sender_position: draw.pick(POSITIONS),
        sender_organization: draw.pick(BODIES),
        their_number: format!(
            "{}/{:04}/{year}",
            draw.pick(&["SSO/DG", "DGAJ", "UAF/SP", "OF"]),
            draw.below(9999)
        ),
        received_at: format!(
            "{year}-{month:02}-{day:02}T{:02}:{:02}:00",
            9 + draw.below(8),
            draw.below(60)
        ),
        subject,
        summary,
        classification: if draw.below(20) == 0 {
            "reservada"
        } else {
            "publica"
        },
        unit,
        turned_to: (draw.below(2) == 0).then(|| draw.pick(UNITS)),
    }
}

async fn units(store: &impl Store) {
    store
        .upsert_unit(
            &UnitInput {
                code: "SS".into(),
                name: "Secretaría de Salud".into(),
                level: turno_domain::org::Level::Secretaria,
                parent_code: None,
            },
            "bench",
        )
        .await
        .unwrap();
    for code in UNITS {
        store
            .upsert_unit(
                &UnitInput {
                    code: (*code).into(),
                    name: format!("Unidad {code}"),
                    level: turno_domain::org::Level::DireccionGeneral,
                    parent_code: Some("SS".into()),
                },
                "bench",
            )
            .await
            .unwrap();
    }
}

const COLUMNS: &str = "folio_year, folio_number, kind, sender_kind, sender_name, sender_position, \
    sender_organization, their_number, received_at, subject, summary, priority, classification, \
    annexes, unit, registered_by, registered_at";

async fn fill_sqlite(path: &std::path::Path, total: u64) {
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let mut draw = Draw(0x9E37_79B9_7F4A_7C15);
    const ROWS: u64 = 500;
    let mut n = 0;
    while n < total {
        let mut tx = pool.begin().await.unwrap();
        for _ in 0..100 {
            if n >= total {
                break;
            }
            let batch: Vec<Doc> = (n..(n + ROWS).min(total))
                .map(|i| document(&mut draw, i, total))
                .collect();
            n += batch.len() as u64;
            let mut sql = format!("INSERT INTO incoming_documents ({COLUMNS}) VALUES ");
            let mut turns = String::from(
                "INSERT INTO incoming_turns (folio_year, folio_number, from_unit, unit, \
                 instruction, note, turned_by, turned_at) VALUES ",
            );
            let mut any_turn = false;
            for (i, doc) in batch.iter().enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                let p = i * 11;
                sql.push_str(&format!(
                    "({}, {}, ${}, 'externa', ${}, ${}, ${}, ${}, ${}, ${}, ${}, 'ordinaria', \
                     ${}, 0, ${}, 'bench', ${})",
                    doc.year,
                    doc.number,
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5,
                    p + 6,
                    p + 7,
                    p + 8,
                    p + 9,
                    p + 10,
                    p + 11
                ));
                if let Some(to) = doc.turned_to {
                    if any_turn {
                        turns.push_str(", ");
                    }
                    any_turn = true;
                    turns.push_str(&format!(
                        "({}, {}, '{}', '{to}', 'atencion', '', 'bench', '{}Z')",
                        doc.year, doc.number, doc.unit, doc.received_at
                    ));
                }
            }
            let mut query = sqlx::query(&sql);
            for doc in &batch {
                query = query
                    .bind(doc.kind)
                    .bind(&doc.sender_name)
                    .bind(doc.sender_position)
                    .bind(doc.sender_organization)
                    .bind(&doc.their_number)
                    .bind(&doc.received_at)
                    .bind(&doc.subject)
                    .bind(&doc.summary)
                    .bind(doc.classification)
                    .bind(doc.unit)
                    .bind(format!("{}Z", doc.received_at));
            }
            query.execute(&mut *tx).await.unwrap();
            if any_turn {
                sqlx::query(&turns).execute(&mut *tx).await.unwrap();
            }
        }
        tx.commit().await.unwrap();
    }
    sqlx::query("ANALYZE").execute(&pool).await.unwrap();
    pool.close().await;
}

async fn fill_postgres(pool: &sqlx::PgPool, total: u64) {
    let mut draw = Draw(0x9E37_79B9_7F4A_7C15);
    const ROWS: u64 = 10_000;
    let mut n = 0;
    while n < total {
        let batch: Vec<Doc> = (n..(n + ROWS).min(total))
            .map(|i| document(&mut draw, i, total))
            .collect();
        n += batch.len() as u64;
        let column = |f: &dyn Fn(&Doc) -> String| batch.iter().map(f).collect::<Vec<String>>();
        let years: Vec<i64> = batch.iter().map(|d| d.year).collect();
        let numbers: Vec<i64> = batch.iter().map(|d| d.number).collect();
        let mut tx = pool.begin().await.unwrap();
        sqlx::query(&format!(
            "INSERT INTO incoming_documents ({COLUMNS}) SELECT y, n, k, 'externa', sn, sp, so, \
             tn, ra, su, sm, 'ordinaria', cl, 0, un, 'bench', ra || 'Z' FROM UNNEST($1::bigint[], \
             $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], \
             $9::text[], $10::text[], $11::text[], $12::text[]) AS t(y, n, k, sn, sp, so, tn, ra, \
             su, sm, cl, un)"
        ))
        .bind(&years)
        .bind(&numbers)
        .bind(column(&|d| d.kind.into()))
        .bind(column(&|d| d.sender_name.clone()))
        .bind(column(&|d| d.sender_position.into()))
        .bind(column(&|d| d.sender_organization.into()))
        .bind(column(&|d| d.their_number.clone()))
        .bind(column(&|d| d.received_at.clone()))
        .bind(column(&|d| d.subject.clone()))
        .bind(column(&|d| d.summary.clone()))
        .bind(column(&|d| d.classification.into()))
        .bind(column(&|d| d.unit.into()))
        .execute(&mut *tx)
        .await
        .unwrap();
        let turned: Vec<&Doc> = batch.iter().filter(|d| d.turned_to.is_some()).collect();
        sqlx::query(
            "INSERT INTO incoming_turns (folio_year, folio_number, from_unit, unit, instruction, \
             note, turned_by, turned_at) SELECT y, n, f, u, 'atencion', '', 'bench', a || 'Z' \
             FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[]) \
             AS t(y, n, f, u, a)",
        )
        .bind(turned.iter().map(|d| d.year).collect::<Vec<_>>())
        .bind(turned.iter().map(|d| d.number).collect::<Vec<_>>())
        .bind(turned.iter().map(|d| d.unit.to_owned()).collect::<Vec<_>>())
        .bind(
            turned
                .iter()
                .map(|d| d.turned_to.unwrap_or_default().to_owned())
                .collect::<Vec<_>>(),
        )
        .bind(
            turned
                .iter()
                .map(|d| d.received_at.clone())
                .collect::<Vec<_>>(),
        )
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    sqlx::query("ANALYZE").execute(pool).await.unwrap();
}

/// The searches: what people type, varied.
fn searches(count: u64) -> Vec<CorrespondenceSearch> {
    let mut draw = Draw(0xD1B5_4A32_D192_ED03);
    let typed: &[&dyn Fn(&mut Draw) -> String] = &[
        // A common word, accents left out.
        &|d| {
            d.pick(&[
                "informacion",
                "vacunacion",
                "auditoria",
                "medicamentos",
                "reunion",
            ])
            .into()
        },
        // Two words of a subject, the second being typed.
        &|d| {
            let topic = d.pick(TOPICS);
            let words: Vec<&str> = topic.split(' ').filter(|w| w.len() > 3).collect();
            let last = words[d.below(words.len())];
            format!(
                "{} {}",
                d.pick(&["solicitud", "oficio", "informe", "seguimiento"]),
                last.chars().take(5).collect::<String>()
            )
        },
        // A sender: a surname and a first name, without accents.
        &|d| {
            format!(
                "{} {}",
                d.pick(&["hernandez", "ibanez", "nunez", "zuniga", "pena"]),
                d.pick(&["jose", "maria", "hector", "ines"])
            )
        },
        // A place and a topic word.
        &|d| {
            format!(
                "{} {}",
                d.pick(PLACES).to_lowercase(),
                d.pick(&["dengue", "enfermeria", "presupuesto", "padron"])
            )
        },
        // A folio.
        &|d| format!("CE-{}-{:06}", 2024 + d.below(3), 1 + d.below(300_000)),
        // Their number.
        &|d| format!("SSO/DG/{:04}", d.below(9999)),
        // A prefix alone.
        &|d| {
            d.pick(&["epidem", "contrarref", "perinat", "acredit", "transpar"])
                .into()
        },
    ];
    (0..count)
        .map(|i| {
            let text = typed[(i as usize) % typed.len()](&mut draw);
            let dated = draw.below(3) == 0;
            let admin = draw.below(2) == 0;
            let from = jiff::civil::date(2024 + draw.below(3) as i16, 1 + draw.below(11) as i8, 1);
            let seen = if admin {
                Seen::All
            } else {
                let mut units: Vec<String> = (0..3).map(|_| draw.pick(UNITS).to_owned()).collect();
                units.dedup();
                Seen::Units(units)
            };
            let reads = match &seen {
                Seen::All => Vec::new(),
                Seen::Units(units) => units.clone(),
            };
            CorrespondenceSearch {
                words: words(&text),
                received_from: dated.then(|| from.to_datetime(jiff::civil::Time::midnight())),
                received_before: dated.then(|| {
                    from.checked_add(jiff::Span::new().months(2))
                        .unwrap()
                        .to_datetime(jiff::civil::Time::midnight())
                }),
                signed_from: None,
                signed_before: None,
                scope: SearchScope {
                    seen,
                    reads,
                    login: "bench".into(),
                },
                limit: 20,
                offset: 0,
            }
        })
        .collect()
}

/// CPU time used so far by the threads of the processes `pids` (this process's when empty),
/// from Linux's `/proc/PID/task/TID/schedstat` (nanoseconds on the CPU): what a search costs
/// whatever the machine's load, where the wall time also counts the waits for a core.
fn cpu_time(pids: &[u32]) -> Option<Duration> {
    let dirs: Vec<String> = if pids.is_empty() {
        vec!["/proc/self/task".into()]
    } else {
        pids.iter().map(|pid| format!("/proc/{pid}/task")).collect()
    };
    let mut total = 0u64;
    for dir in dirs {
        for task in std::fs::read_dir(dir).ok()?.flatten() {
            // A thread that ended meanwhile is left out.
            let stat = std::fs::read_to_string(task.path().join("schedstat")).unwrap_or_default();
            total += stat
                .split(' ')
                .next()
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    Some(Duration::from_nanos(total))
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split(' ').take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// Runs the searches one after another: the wall time of each, and the CPU time used around
/// it by SQLite (this process, where SQLite runs) or by PostgreSQL (the server's processes
/// serving connections named [`APPLICATION`], asked of `admin` before each search: the store's
/// pool opens and closes them).
async fn latency(
    store: &impl CorrespondenceFinder,
    searches: &[CorrespondenceSearch],
    admin: Option<&sqlx::PgPool>,
) {
    println!("load average before: {}", load_average());
    let mut timed: Vec<(Duration, Duration, &CorrespondenceSearch)> =
        Vec::with_capacity(searches.len());
    let mut found = 0;
    let mut answers = String::new();
    for search in searches {
        let pids = match admin {
            Some(admin) => backends(admin, APPLICATION).await,
            None => Vec::new(),
        };
        let cpu_start = cpu_time(&pids);
        let start = Instant::now();
        let page = store.search_correspondence(search).await.unwrap();
        let wall = start.elapsed();
        let used = match (cpu_start, cpu_time(&pids)) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => Duration::ZERO,
        };
        timed.push((wall, used, search));
        found += u64::from(page.total > 0);
        let keys: Vec<String> = page.found.iter().map(|f| format!("{:?}", f.key)).collect();
        answers.push_str(&format!(
            "{:?} {:?} {:?}: {} {} {}\n",
            search.words,
            search.received_from,
            search.scope.seen,
            page.total,
            page.more,
            keys.join(" ")
        ));
    }
    if let Ok(path) = std::env::var("TURNO_BENCH_ANSWERS") {
        std::fs::write(path, answers).unwrap();
    }
    println!("load average after: {}", load_average());
    let describe = |search: &CorrespondenceSearch| {
        format!(
            "{:?}, dated: {}, {}",
            search.words,
            search.received_from.is_some(),
            if search.scope.seen == Seen::All {
                "administrator"
            } else {
                "a unit's"
            }
        )
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    timed.sort_by_key(|(wall, _, _)| *wall);
    for (wall, used, search) in timed.iter().rev().take(5) {
        println!(
            "  slowest: {:.2} ms (CPU {:.2} ms), {}",
            ms(*wall),
            ms(*used),
            describe(search)
        );
    }
    let at = |times: &[Duration], q: f64| {
        times[((times.len() as f64 * q) as usize).min(times.len() - 1)]
    };
    let walls: Vec<Duration> = timed.iter().map(|(wall, _, _)| *wall).collect();
    println!(
        "{} searches ({found} found something): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        walls.len(),
        ms(at(&walls, 0.50)),
        ms(at(&walls, 0.99)),
        ms(walls[walls.len() - 1])
    );
    timed.sort_by_key(|(_, used, _)| *used);
    for (wall, used, search) in timed.iter().rev().take(5) {
        println!(
            "  most CPU: {:.2} ms (wall {:.2} ms), {}",
            ms(*used),
            ms(*wall),
            describe(search)
        );
    }
    let used: Vec<Duration> = timed.iter().map(|(_, used, _)| *used).collect();
    println!(
        "CPU time per search: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(at(&used, 0.50)),
        ms(at(&used, 0.99)),
        ms(used[used.len() - 1])
    );
}

/// The server processes that serve connections named `application`.
async fn backends(admin: &sqlx::PgPool, application: &str) -> Vec<u32> {
    sqlx::query_scalar::<_, i32>("SELECT pid FROM pg_stat_activity WHERE application_name = $1")
        .bind(application)
        .fetch_all(admin)
        .await
        .unwrap()
        .into_iter()
        .map(|pid| pid as u32)
        .collect()
}

const APPLICATION: &str = "turno-bench-search";

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let total = env_number("TURNO_BENCH_DOCUMENTS", 1_000_000);
    let queries = searches(env_number("TURNO_BENCH_QUERIES", 1_000));
    let dir = std::env::temp_dir().join("turno-bench-search");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    let only = std::env::var("TURNO_BENCH_ONLY").unwrap_or_default();
    if only != "postgres" {
        if let Ok(path) = std::env::var("TURNO_BENCH_SQLITE_FILE") {
            println!("== SQLite (FTS5), {path}");
            let sqlite = SqliteStore::open(&path).await.unwrap();
            latency(&sqlite, &queries, None).await;
            return;
        }
        println!("== SQLite (FTS5), {total} incoming documents");
        let path = dir.join("search.db");
        let sqlite = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
        sqlite.migrate().await.unwrap();
        units(&sqlite).await;
        let start = Instant::now();
        fill_sqlite(&path, total).await;
        println!("filled in {:.1} s", start.elapsed().as_secs_f64());
        latency(&sqlite, &queries, None).await;
        drop(sqlite);
        let _ = std::fs::remove_dir_all(&dir);
    }
    if only == "sqlite" {
        return;
    }
    println!("== PostgreSQL (tsvector, unaccent, GIN), {total} incoming documents");
    let admin = sqlx::PgPool::connect(POSTGRES_URL).await.unwrap();
    if let Ok(schema) = std::env::var("TURNO_BENCH_POSTGRES_SCHEMA") {
        let options = in_schema(&schema).application_name(APPLICATION);
        let pg = PgStore::connect_with(options).await.unwrap();
        latency(&pg, &queries, Some(&admin)).await;
        return;
    }
    let schema = format!("turno_bench_search_{}", std::process::id());
    let options = fresh_schema(&admin, &schema)
        .await
        .application_name(APPLICATION);
    let pg = PgStore::connect_with(options.clone()).await.unwrap();
    pg.migrate().await.unwrap();
    units(&pg).await;
    let pool = PgPoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await
        .unwrap();
    let start = Instant::now();
    fill_postgres(&pool, total).await;
    println!("filled in {:.1} s", start.elapsed().as_secs_f64());
    latency(&pg, &queries, Some(&admin)).await;
    pool.close().await;
    sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE"))
        .execute(&admin)
        .await
        .unwrap();
}
