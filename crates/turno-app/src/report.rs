//! The monthly report of citizen attention (docs/citizen-format.md, «The monthly report»), built
//! once for the page, its files and the API: for those who see petitions
//! (`access::petition_scope`), an entidad's people seeing their entidad's figures only; and the
//! calls the call-center provider declares for a day, recorded by those who work petitions.

use crate::access::{PetitionScope, may_work_petitions, petition_scope};
use crate::app::App;
use crate::error::Error;
use crate::principal::Principal;
use jiff::civil::Date;
use turno_domain::calendar::Regime;
use turno_domain::citizen::{CallDay, Month, MonthlyReport, call_supervision, motive_name};
use turno_domain::followup::to_csv;
use turno_store::Handling;

/// The media type of the report as a workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A month's report as one person may see it.
pub struct Monthly {
    pub report: MonthlyReport,
    /// The call-center contract's supervision, day by day; `None` for people who see some
    /// entidades only: the provider declares its calls for the whole country.
    pub supervision: Option<Vec<CallDay>>,
    /// The day the report was built on (what is overdue is counted up to it).
    pub today: Date,
}

/// The report of `month` (the current one when `None`) as `user` may see it.
pub async fn monthly(app: &App, user: &Principal, month: Option<Month>) -> Result<Monthly, Error> {
    let scope = petition_scope(user).ok_or_else(|| {
        Error::Denied(
            "El informe de atención ciudadana es para quienes atienden peticiones.".into(),
        )
    })?;
    let moment = app.moment();
    let month = month.unwrap_or_else(|| Month::of(moment.today));
    let mut rows = app
        .store
        .handled_between(month.first(), month.last())
        .await?;
    rows.retain(|p| scope.includes(p.state));
    let motives = app.store.motives().await?;
    let report = MonthlyReport::build(
        month,
        &rows,
        moment.calendars.get(Regime::Lfpa),
        moment.today,
        |code| motive_name(&motives, code),
    );
    let supervision = match scope {
        PetitionScope::All => {
            let declared = app
                .store
                .declared_calls(month.first(), month.last())
                .await?;
            Some(call_supervision(month, &declared, &rows))
        }
        PetitionScope::States(_) => None,
    };
    Ok(Monthly {
        report,
        supervision,
        today: moment.today,
    })
}

impl Monthly {
    /// The name its files are downloaded with, without the extension.
    pub fn file_name(&self) -> String {
        format!("informe-atencion-{}", self.report.month)
    }

    fn tables(&self) -> Vec<(String, Vec<Vec<String>>)> {
        self.report.tables(self.supervision.as_deref())
    }

    /// The report as CSV, its tables one after the other, with a BOM ([`tables_csv`]).
    pub fn csv(&self) -> Vec<u8> {
        tables_csv(&self.tables())
    }

    /// The report as a one-sheet workbook ([`tables_xlsx`]).
    pub fn xlsx(&self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        tables_xlsx(&self.tables())
    }
}

/// Titled tables as CSV, one after the other, every cell neutralized (`followup::to_csv`),
/// with a BOM: Excel reads UTF-8 without one as the Windows code page. The monthly report's
/// and the correspondence report's files.
pub fn tables_csv(tables: &[(String, Vec<Vec<String>>)]) -> Vec<u8> {
    let csv = tables
        .iter()
        .map(|(_, t)| to_csv(t))
        .collect::<Vec<_>>()
        .join("\n");
    format!("\u{feff}{csv}").into_bytes()
}

/// Titled tables as a one-sheet workbook, one under the other: headings bold, whole numbers
/// as numbers, every other cell a string (never a formula).
pub fn tables_xlsx(
    tables: &[(String, Vec<Vec<String>>)],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let bold = Format::new().set_bold();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Informe")?;
    sheet.set_column_width(0, 50)?;
    let mut r: u32 = 0;
    for (_, table) in tables {
        for (i, cells) in table.iter().enumerate() {
            for (c, cell) in cells.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                match cell.parse::<i64>() {
                    Ok(number) if i > 0 => sheet.write_number(r, c, number as f64)?,
                    _ if i == 0 => sheet.write_string_with_format(r, c, cell, &bold)?,
                    _ => sheet.write_string(r, c, cell)?,
                };
            }
            r += 1;
        }
        r += 1;
    }
    workbook.save_to_buffer()
}

/// Records the calls the provider declares it received on `day`, replacing an earlier
/// figure; for those who work petitions, and for a day that has come.
pub async fn declare_calls(
    app: &App,
    user: &Principal,
    day: Date,
    calls: u32,
) -> Result<(), Error> {
    if !may_work_petitions(user) {
        return Err(Error::Denied(
            "Registran las llamadas declaradas quienes atienden peticiones.".into(),
        ));
    }
    if day > app.moment().today {
        return Err(Error::Refused(
            "No se pueden declarar llamadas de un día que no ha llegado.".into(),
        ));
    }
    app.store.declare_calls(day, calls, &user.login).await?;
    Ok(())
}
