//! The call-center file (procedure 96) read end to end from the fixtures: what a good file
//! gives, and every kind of import error reported by row with nothing half-imported.

use jiff::civil::{Date, date};
use turno_domain::citizen::calls::{
    Call, ColumnMapping, check_utf8, csv_rows, read_calls, xlsx_rows,
};
use turno_domain::citizen::{Channel, PetitionKind};

const GOOD: &[u8] = include_bytes!("../fixtures/citizen/llamadas.csv");
const ERRORS: &[u8] = include_bytes!("../fixtures/citizen/llamadas-errores.csv");
const LATIN1: &[u8] = include_bytes!("../fixtures/citizen/llamadas-latin1.csv");
const MISSING: &[u8] = include_bytes!("../fixtures/citizen/llamadas-sin-columnas.csv");
/// The calls of `llamadas.csv` in a spreadsheet: dates and times as date cells, telephones as
/// numbers, an empty row before the last call.
const XLSX: &[u8] = include_bytes!("../fixtures/citizen/llamadas.xlsx");

const TODAY: Date = date(2026, 3, 10);

/// The file's calls, or its problems as people read them.
fn import(bytes: &[u8]) -> Result<Vec<Call>, Vec<String>> {
    check_utf8(bytes).map_err(|e| vec![e.to_string()])?;
    let (header_row, header, rows) = csv_rows(bytes, b',').map_err(|p| vec![p.to_string()])?;
    read_calls(&ColumnMapping::default(), TODAY, header_row, &header, rows)
        .map_err(|problems| problems.iter().map(ToString::to_string).collect())
}

#[test]
fn citizen_a_good_file_gives_every_call() {
    let calls = import(GOOD).unwrap();
    let summary: Vec<(usize, &str, PetitionKind, &str, String)> = calls
        .iter()
        .map(|c| {
            (
                c.row,
                c.call_id.as_deref().unwrap(),
                c.petition.kind,
                c.petition.state.code(),
                c.petition.received_at.to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                2,
                "CAT-000101",
                PetitionKind::Complaint,
                "JAL",
                "2026-03-02T09:15:00".into()
            ),
            (
                3,
                "CAT-000102",
                PetitionKind::InformationRequest,
                "QRO",
                "2026-03-02T09:40:00".into()
            ),
            (
                4,
                "CAT-000103",
                PetitionKind::Suggestion,
                "CDMX",
                "2026-03-02T10:05:00".into()
            ),
            (
                6,
                "CAT-000104",
                PetitionKind::Recognition,
                "MICH",
                "2026-03-02T11:30:00".into()
            ),
            (
                7,
                "CAT-000105",
                PetitionKind::ActionRequest,
                "OAX",
                "2026-03-02T12:00:00".into()
            ),
        ]
    );
    let first = &calls[0].petition;
    assert_eq!(first.channel, Channel::CallCenter);
    assert_eq!(
        first.contact.curp.as_ref().unwrap().as_str(),
        "HEGG560427MVZRRL04"
    );
    assert_eq!(first.contact.masked().phone.as_deref(), Some("******5678"));
    assert_eq!(
        calls[2].petition.narrative,
        "Ampliar el horario de la farmacia\npor la tarde."
    );
    assert_eq!(
        calls[4].petition.contact.address.as_deref(),
        Some("Calle Hidalgo 4, Tlacolula")
    );
}

#[test]
fn citizen_importing_the_same_file_twice_gives_the_same_keys() {
    let keys = |bytes| {
        import(bytes)
            .unwrap()
            .iter()
            .map(|c| c.key)
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(GOOD), keys(GOOD));
    // The same calls spelt differently (codes for names, other spacing, another order of
    // columns) are the same contents.
    let respelt = "TIPO,FECHA,ENTIDAD,DESCRIPCION,ID_LLAMADA\n\
                   queja,2026-03-02 09:15,JAL,\"  No le surtieron la receta de metformina,   regresó tres veces.\",OTRO-ID\n";
    let a = import(respelt.as_bytes()).unwrap();
    let b = "ID_LLAMADA,FECHA,TIPO,ENTIDAD,DESCRIPCION\nX,02/03/2026 09:15,Queja,Jalisco,\"No le surtieron la receta de metformina, regresó tres veces.\"\n";
    assert_eq!(a[0].key, import(b.as_bytes()).unwrap()[0].key);
    assert_eq!(a[0].key.to_string().len(), 64);
}

#[test]
fn citizen_a_spreadsheet_gives_the_calls_of_the_same_csv() {
    let (header_row, header, rows) = xlsx_rows(XLSX).unwrap();
    let rows: Vec<_> = rows.collect();
    let numbers: Vec<usize> = rows.iter().map(|r| r.as_ref().unwrap().0).collect();
    // Spreadsheet rows as the sheet numbers them: the empty row 6 is skipped.
    assert_eq!((header_row, numbers), (1, vec![2, 3, 4, 5, 7]));
    assert_eq!(
        rows[0].as_ref().unwrap().1[1..3],
        ["2026-03-02".to_owned(), "09:15:00".to_owned()]
    );
    assert_eq!(rows[0].as_ref().unwrap().1[9], "3312345678");
    let calls = read_calls(&ColumnMapping::default(), TODAY, header_row, &header, rows).unwrap();
    let keys = |calls: &[Call]| calls.iter().map(|c| c.key).collect::<Vec<_>>();
    assert_eq!(keys(&calls), keys(&import(GOOD).unwrap()));
    let Err(not_xlsx) = xlsx_rows(GOOD) else {
        panic!("a CSV read as XLSX");
    };
    assert!(not_xlsx.reason.starts_with("no es un libro XLSX legible"));
}

#[test]
fn citizen_every_error_of_a_file_is_reported_by_row_and_nothing_is_imported() {
    assert_eq!(
        import(ERRORS).unwrap_err(),
        [
            "fila 2, fecha: «31/02/2026» no es una fecha válida (dd/mm/aaaa o aaaa-mm-dd, con hora hh:mm opcional)",
            "fila 3, entidad federativa: «Texas» no es una entidad federativa",
            "fila 4, CURP: el dígito verificador de la CURP «HEGG560427MVZRRL05» no corresponde",
            "fila 5, descripción: falta",
            "fila 7, identificador de la llamada: la llamada «CAT-000205» ya está en la fila 6",
            "fila 8: repite el contenido de la fila 6",
        ]
    );
}

#[test]
fn citizen_a_latin1_file_is_refused_with_its_place() {
    assert_eq!(
        import(LATIN1).unwrap_err(),
        [
            "el archivo no está en UTF-8 (¿Latin-1?) en el byte 163, línea 2: el byte 0xE1 sería «á» en Latin-1; guárdelo como UTF-8"
        ]
    );
}

#[test]
fn citizen_missing_columns_are_reported_once_for_the_header() {
    assert_eq!(
        import(MISSING).unwrap_err(),
        [
            "fila 1, entidad federativa: falta la columna (se busca como: ENTIDAD, ENTIDAD_FEDERATIVA, ESTADO)",
            "fila 1, descripción: falta la columna (se busca como: DESCRIPCION, NARRATIVA, COMENTARIOS)",
        ]
    );
}

#[test]
fn citizen_rows_longer_than_the_header_and_broken_quotes_are_problems() {
    let text = "FECHA,TIPO,ENTIDAD,DESCRIPCION\n2026-03-02,Queja,JAL,Bien,sobra\n2026-03-02,Queja,JAL,\"abierta\n";
    let problems = import(text.as_bytes()).unwrap_err();
    assert_eq!(problems[0], "fila 2: tiene 5 celdas y el encabezado 4");
    // The quote opened on line 3 never closes: the file was cut, its narrative with it.
    assert!(
        problems[1].starts_with("fila 3: abre comillas que no se cierran"),
        "{problems:?}"
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(import(b"").unwrap_err()[0].contains("vac"));
    // A byte-order mark before the header does not hide the first column.
    let bom = "\u{feff}FECHA,TIPO,ENTIDAD,DESCRIPCION\n2026-03-02,Queja,JAL,Bien\n";
    assert_eq!(import(bom.as_bytes()).unwrap().len(), 1);
}

/// A NUL or another control character in any cell is a problem of its row and field, never
/// stored; line breaks stay allowed in the narrative only.
#[test]
fn citizen_control_characters_are_reported_by_row_and_field() {
    let text = "ID,FECHA,TIPO,ENTIDAD,DESCRIPCION,NOMBRE\n\
        A1,2026-03-02,Queja,JAL,\"Dos\nlíneas\",Ana\n\
        A\u{0}2,2026-03-02,Queja,JAL,Sin surtir\u{0},Ana\u{1b}\n";
    let problems = import(text.as_bytes()).unwrap_err();
    assert_eq!(
        problems,
        [
            "fila 4, descripción: lleva un carácter de control (U+0000) en la posición 11; quítelo",
            "fila 4, nombre: lleva un carácter de control (U+001B) en la posición 4: va en una sola línea; quítelo",
            "fila 4, identificador de la llamada: lleva un carácter de control (U+0000) en la posición 2: va en una sola línea; quítelo",
        ]
    );
}

/// A real workbook whose shared string and first sheet are replaced: `shared` once, shown by
/// `cells` cells of column A. Built here, never committed: the bombs of issue 16.
fn workbook_with(shared: &str, cells: usize) -> Vec<u8> {
    use std::io::{Cursor, Read, Write};
    let mut base = rust_xlsxwriter::Workbook::new();
    base.add_worksheet().write_string(0, 0, "FECHA").unwrap();
    let base = base.save_to_buffer().unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(base)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let name = part.name().unwrap().into_owned();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        let data = match name.as_str() {
            "xl/sharedStrings.xml" => format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"{main}\" count=\"1\" \
                 uniqueCount=\"1\"><si><t>{shared}</t></si></sst>"
            )
            .into_bytes(),
            "xl/worksheets/sheet1.xml" => {
                let rows: String = (1..=cells)
                    .map(|r| format!("<row r=\"{r}\"><c r=\"A{r}\" t=\"s\"><v>0</v></c></row>"))
                    .collect();
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{main}\">\
                     <sheetData>{rows}</sheetData></worksheet>"
                )
                .into_bytes()
            }
            _ => data,
        };
        out.start_file(name, options).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A small file that unpacks to more than a part may, or whose one shared string is shown by
/// so many cells that their text would fill the memory, is refused before it is held.
#[test]
fn citizen_workbook_bombs_are_refused_before_they_unpack() {
    let problem = |bytes: &[u8]| match xlsx_rows(bytes) {
        Err(problem) => problem.to_string(),
        Ok(_) => panic!("a bomb was read"),
    };
    let part = workbook_with(&"A".repeat(65 << 20), 1);
    assert!(part.len() < 1 << 20, "{} bytes", part.len());
    let found = problem(&part);
    assert!(
        found.starts_with(
            "fila 1: la parte «xl/sharedStrings.xml» del libro se descomprime en más de 64 MiB"
        ),
        "{found}"
    );
    let shown = workbook_with(&"B".repeat(30_000), 2_300);
    assert!(shown.len() < 1 << 20, "{} bytes", shown.len());
    assert_eq!(
        problem(&shown),
        "fila 1: el texto de las celdas del libro pasa de 64 MiB: divídalo"
    );
    // The same string shown by fewer cells is a workbook like any other.
    let fine = workbook_with(&"B".repeat(30_000), 3);
    let (_, header, rows) = xlsx_rows(&fine).unwrap();
    assert_eq!(header[0].len(), 30_000);
    assert_eq!(rows.count(), 2);
}
