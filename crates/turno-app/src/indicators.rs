//! The indicator tables of an informe oficial (`docs/indicators.md`), for the case page, the
//! indicators page and the API alike: uploading a period's table to a case of seed 000's
//! informes oficiales (who may: the people who may act on one of its open activities,
//! administrators too), and the review of what each table shows against the earlier periods
//! of the same report (`turno_domain::indicators::check`), an aid to activity 2.1 that never
//! blocks completing it.

use crate::access::{acting_for, visible_current, visible_now};
use crate::app::App;
use crate::checked::Checked;
use crate::error::{Error, FieldProblem};
use crate::principal::Principal;
use turno_domain::definition::Procedure;
use turno_domain::engine::{Case, Value as FieldValue};
use turno_domain::indicators::{self, Inconsistency, Period, Threshold};
use turno_store::Indicators;
use turno_store::blobs::BlobStore;
use turno_store::indicators::{NewIndicatorTable, StoredIndicatorTable};

/// The procedure whose cases carry indicator tables: seed 000's informes oficiales.
pub const PROCEDURE: &str = crate::schedules::INFORMES;
/// The case field whose text names the report by default.
const REPORT_FIELD: &str = "tipo_informe";

/// A table as it arrives from a form or the API.
pub struct Upload<'a> {
    /// The report the table belongs to; the case's «tipo_informe» when blank.
    pub report: &'a str,
    /// The period's label («Primer trimestre 2026»).
    pub period: &'a str,
    /// The cut-off date, ISO (aaaa-mm-dd).
    pub end: &'a str,
    pub file_name: &'a str,
    pub content: &'a [u8],
}

/// What an upload recorded.
#[derive(Debug, Clone)]
pub struct Uploaded {
    pub id: i64,
    pub period: String,
    pub indicators: usize,
    /// What the review finds in it against earlier periods.
    pub inconsistencies: usize,
}

/// A table and what it shows against the earlier periods of its report.
#[derive(Debug, Clone)]
pub struct TableReview {
    pub stored: StoredIndicatorTable,
    /// The earlier periods it was compared with, the latest first (label, cut-off, folio).
    pub compared_with: Vec<(Period, String)>,
    pub inconsistencies: Vec<Inconsistency>,
}

/// A case's indicator tables as one person reviews them.
#[derive(Debug, Clone)]
pub struct Review {
    pub folio: String,
    pub threshold: Threshold,
    /// The latest period first.
    pub tables: Vec<TableReview>,
    /// Whether the person may upload a table (they act on an open activity of the case).
    pub may_upload: bool,
    /// The report a new table belongs to unless told otherwise (the case's «tipo_informe»).
    pub report: String,
}

/// Whether cases of `procedure` carry indicator tables.
pub fn carries(procedure: &Procedure) -> bool {
    procedure.key == PROCEDURE
}

fn informe(procedure: &Procedure) -> Result<(), Error> {
    if carries(procedure) {
        Ok(())
    } else {
        Err(Error::NotFound(
            "Este asunto no es de un informe oficial: no lleva tablas de indicadores.".into(),
        ))
    }
}

/// Whether `user` acts on one of the case's open activities (as they would to attach a
/// document).
fn acts(procedure: &Procedure, case: &Case, user: &Principal) -> bool {
    case.open
        .iter()
        .any(|item| acting_for(procedure, case, item, user).is_some())
}

fn default_report(case: &Case) -> String {
    match case.fields.get(REPORT_FIELD) {
        Some(FieldValue::Text(text)) => text.clone(),
        _ => String::new(),
    }
}

/// The threshold a review asks for (`field` names it in the refusal), 30 % when not given.
pub fn threshold(field: &str, given: Option<&str>) -> Result<Threshold, Error> {
    let Some(given) = given.map(str::trim).filter(|g| !g.is_empty()) else {
        return Ok(Threshold::DEFAULT);
    };
    given
        .trim_end_matches('%')
        .trim()
        .parse::<u32>()
        .ok()
        .and_then(Threshold::percent)
        .ok_or_else(|| {
            Error::InvalidFields(vec![FieldProblem::new(
                field,
                format!(
                    "El umbral «{given}» no es un porcentaje entero de {} a {}.",
                    Threshold::MIN,
                    Threshold::MAX
                ),
            )])
        })
}

/// Records a period's table for the case `folio`: the case visible and an informe oficial,
/// the person acting on one of its open activities, every value checked together (the
/// report, the period, the cut-off date, each problem of the file by row and column), the
/// file kept in the blob store, then the table stored (replacing this case's table of that
/// cut-off date).
pub async fn upload(
    app: &App,
    user: &Principal,
    folio: &str,
    upload: Upload<'_>,
) -> Result<Uploaded, Error> {
    let (_, procedure, current) = visible_current(app, user, folio).await?;
    informe(&procedure)?;
    let case = &current.case;
    if !acts(&procedure, case, user) {
        return Err(if case.open.is_empty() {
            Error::Refused(
                "El asunto ya no tiene actividades en curso: no admite más tablas de indicadores."
                    .into(),
            )
        } else {
            Error::Denied(
                "Solo quien atiende una actividad en curso de este asunto puede cargar sus \
                 indicadores."
                    .into(),
            )
        });
    }
    let mut checked = Checked::default();
    let report = if upload.report.trim().is_empty() {
        default_report(case)
    } else {
        upload.report.to_owned()
    };
    let report = checked.line("report", "el informe", &report, crate::limits::NAME, true);
    let period = checked.line(
        "period",
        "el periodo",
        upload.period,
        crate::limits::PERIOD,
        true,
    );
    let end = match upload.end.trim() {
        "" => {
            checked.wrong("end", "Escriba la fecha de corte del periodo.");
            None
        }
        text => {
            let end = text.parse::<jiff::civil::Date>().ok();
            if end.is_none() {
                checked.wrong(
                    "end",
                    format!("La fecha de corte «{text}» no es una fecha aaaa-mm-dd."),
                );
            }
            end
        }
    };
    let name = checked.line(
        "file",
        "el nombre del archivo",
        upload.file_name,
        crate::limits::FILE_NAME,
        false,
    );
    let indicators = if upload.content.is_empty() {
        checked.wrong(
            "file",
            "Elija el archivo de la tabla de indicadores (.csv o .xlsx).",
        );
        None
    } else {
        match indicators::read(&name, upload.content) {
            Ok(read) => Some(read),
            Err(problems) => {
                for problem in problems {
                    checked.wrong("file", format!("{name}: {problem}."));
                }
                None
            }
        }
    };
    checked.done()?;
    let (Some(end), Some(indicators)) = (end, indicators) else {
        return Err(Error::internal(
            "an upload checked without its date or table",
        ));
    };
    let stored = app
        .blobs
        .put(upload.content)
        .await
        .map_err(|e| Error::Internal(Box::new(e)))?;
    let table = NewIndicatorTable {
        case_folio: folio.to_owned(),
        report_key: indicators::key_of(&report),
        report,
        period: Period {
            label: period.clone(),
            end,
        },
        file_name: name,
        file_sha256: stored.sha256,
        indicators,
    };
    let at = app.clock.now().to_string();
    let id = app
        .store
        .save_indicator_table(&table, &user.login, &at)
        .await?;
    let earlier = app
        .store
        .earlier_indicator_tables(&table.report_key, end)
        .await?;
    let current = turno_domain::indicators::IndicatorTable {
        period: table.period.clone(),
        source: folio.to_owned(),
        indicators: table.indicators,
    };
    let earlier: Vec<_> = earlier.into_iter().map(|t| t.table).collect();
    let found = indicators::check(&current, &earlier, Threshold::DEFAULT);
    Ok(Uploaded {
        id,
        period,
        indicators: current.indicators.len(),
        inconsistencies: found.len(),
    })
}

/// The case's tables, each checked against the earlier periods of its report at
/// `threshold`, for whoever sees the case.
pub async fn review(
    app: &App,
    user: &Principal,
    folio: &str,
    threshold: Threshold,
) -> Result<Review, Error> {
    // Read on a case moved to the archive too (its page shows it), never uploaded to.
    let (_, procedure, case_row, case) = visible_now(app, user, folio).await?;
    informe(&procedure)?;
    let stored = app.store.indicator_tables_of_case(folio).await?;
    let mut tables = Vec::with_capacity(stored.len());
    for table in stored {
        let earlier = app
            .store
            .earlier_indicator_tables(&table.report_key, table.table.period.end)
            .await?;
        let earlier: Vec<_> = earlier.into_iter().map(|t| t.table).collect();
        let inconsistencies = indicators::check(&table.table, &earlier, threshold);
        tables.push(TableReview {
            compared_with: earlier
                .iter()
                .map(|t| (t.period.clone(), t.source.clone()))
                .collect(),
            stored: table,
            inconsistencies,
        });
    }
    Ok(Review {
        folio: folio.to_owned(),
        threshold,
        tables,
        may_upload: !case_row.archived && acts(&procedure, &case, user),
        report: default_report(&case),
    })
}
