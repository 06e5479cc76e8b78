//! The table «Descripción del procedimiento» of a PDF's text in its layout (`pdftotext
//! -layout`): no cells, the four columns of the *Guía técnica* side by side, each line of the
//! text holding one line of every cell of a row. The columns are where the header puts them
//! («Responsable», «No. Act.», «Descripción de la actividad», «Documento o anexo», found again
//! on every page the table continues on); a word belongs to the column its first letter is in.
//! A row begins where the column «No. Act.» holds a number; a line across the table that names
//! a stage («2.0 Revisión de la solicitud») is a heading; the lines of a page above its header
//! (the manual's running header) are left out, and on a page that does not repeat the header,
//! its lines up to the first row or heading. Wrapped lines are put back together where the
//! reader would otherwise take them for something else: a line that begins with an activity's
//! number inside a description, the rest of a question «¿…?».

use super::lines::Line;
use super::table::{Cell, stage_heading};
use crate::text::fold;

/// A row of the table, or a heading across it.
#[derive(Debug, Clone)]
pub enum Item {
    /// Responsable, No. Act., Descripción de la actividad, Documento o anexo.
    Row([Cell; 4]),
    Heading(Cell),
}

/// The header's words, lowercase, as a column begins with them.
const STARTS: [&str; 4] = ["responsable", "no.", "descripci", "documento"];

/// Words a header wrapped onto a second line may hold.
const HEADER_WORDS: [&str; 9] = [
    "no.",
    "act.",
    "act",
    "de",
    "la",
    "actividad",
    "documento",
    "o",
    "anexo",
];

/// The character where each column begins, when `line` is the table's header.
fn header(line: &str) -> Option<[usize; 4]> {
    let lower = line.to_lowercase();
    let mut starts = [0; 4];
    let mut from = 0;
    for (i, word) in STARTS.iter().enumerate() {
        let at = from + lower.get(from..)?.find(word)?;
        // A header word begins a column: nothing but spaces before it since the last one.
        if i > 0 && !lower[from..at].trim().is_empty() && !lower[..at].ends_with("  ") {
            return None;
        }
        starts[i] = lower[..at].chars().count();
        from = at + word.len();
    }
    Some(starts)
}

/// Whether a line holds only the rest of a wrapped header («Act.», «anexo»).
fn header_rest(line: &str) -> bool {
    let folded = fold(line);
    let mut words = folded.split_whitespace().peekable();
    words.peek().is_some() && words.all(|w| HEADER_WORDS.contains(&w))
}

/// The line's words by column: a word goes to the last column that begins at or before its
/// first character (one character of slack for the layout's rounding). A word a wide gap
/// (three spaces or more) after the word before it, up to three characters before a column's
/// start, begins that column: pages lay the same table out a little apart, and the header's
/// words may sit to the right of the cells below them.
fn split(text: &str, starts: &[usize; 4]) -> [String; 4] {
    let mut out: [String; 4] = Default::default();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut end = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let begin = i;
        let gap = begin - end;
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        end = i;
        let word: String = chars[begin..i].iter().collect();
        let mut column = starts.iter().rposition(|&s| s <= begin + 1).unwrap_or(0);
        if gap >= 3
            && starts
                .get(column + 1)
                .is_some_and(|&next| next <= begin + 3)
        {
            column += 1;
        }
        if !out[column].is_empty() {
            out[column].push(' ');
        }
        out[column].push_str(&word);
    }
    out
}

/// Whether a «No. Act.» cell's text is an activity's number: «3», «2.1», «4.1.»,
/// «6.3b» (a repeated number told apart).
fn is_number(text: &str) -> bool {
    let text = text.trim_end_matches('.');
    text.starts_with(|c: char| c.is_ascii_digit())
        && text
            .trim_end_matches(|c: char| c.is_ascii_lowercase())
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
        && text.chars().count() <= 12
}

/// A stage's heading across the table: «2.0 Revisión», «3. Envío», «4 Archivo».
fn is_stage(text: &str) -> bool {
    stage_heading(text).is_some_and(|(number, _)| {
        let number = number.trim_end_matches('.');
        !number.contains('.') || number.ends_with(".0")
    })
}

/// The rows of the table in `body`, or `None` when it has no header of the *Guía técnica*'s
/// four columns.
pub fn rows(body: &[Line]) -> Option<Vec<Item>> {
    let first = body.iter().position(|l| header(&l.text).is_some())?;
    let mut starts = header(&body[first].text)?;
    let mut items: Vec<Item> = Vec::new();
    let mut page = body[first].place.page;
    let mut skip_to: Option<usize> = None;
    let mut resync = false;
    let mut i = first;
    while i < body.len() {
        let line = &body[i];
        if let Some(to) = skip_to {
            if i < to {
                i += 1;
                continue;
            }
            skip_to = None;
        }
        if line.place.page != page {
            page = line.place.page;
            // The page's running header, above the table's header repeated: left out.
            let this_page = body[i..]
                .iter()
                .take_while(|l| l.place.page == page)
                .position(|l| header(&l.text).is_some());
            if let Some(offset) = this_page {
                skip_to = Some(i + offset);
                continue;
            }
            // A page that does not repeat the header: its running header is left out up to
            // the first row or heading (a row's lines carried over are lost with it).
            resync = true;
        }
        if let Some(found) = header(&line.text) {
            starts = found;
            i += 1;
            while body.get(i).is_some_and(|l| header_rest(&l.text)) {
                i += 1;
            }
            continue;
        }
        i += 1;
        let text = line.text.trim_end();
        if text.trim().is_empty() {
            if let Some(Item::Row(cells)) = items.last_mut() {
                for cell in cells.iter_mut() {
                    cell.lines.push(blank(line));
                }
            }
            continue;
        }
        let columns = split(text, &starts);
        let indent = text.chars().take_while(|c| c.is_whitespace()).count();
        let whole = crate::manual::sections::squash(text);
        if !is_number(&columns[1])
            && indent <= starts[0] + 1
            && !columns[0].is_empty()
            && is_stage(&whole)
        {
            resync = false;
            items.push(Item::Heading(Cell {
                lines: vec![with_text(line, &whole)],
                place: line.place,
            }));
            continue;
        }
        if is_number(&columns[1]) && !second_number(items.last(), &columns[1]) {
            resync = false;
            items.push(Item::Row(std::array::from_fn(|c| Cell {
                lines: vec![with_text(line, &columns[c])],
                place: line.place,
            })));
            continue;
        }
        if resync {
            continue;
        }
        match items.last_mut() {
            Some(Item::Row(cells)) => {
                for (cell, text) in cells.iter_mut().zip(&columns) {
                    cell.lines.push(with_text(line, text));
                }
            }
            Some(Item::Heading(cell)) => cell.lines.push(with_text(line, &whole)),
            None => {}
        }
    }
    for item in &mut items {
        if let Item::Row(cells) = item {
            let [who, number, description, documents] = cells;
            trim_blank(&mut who.lines);
            trim_blank(&mut number.lines);
            description.lines = reflow(&description.lines);
            trim_blank(&mut description.lines);
            trim_blank(&mut documents.lines);
        }
    }
    Some(items)
}

/// Whether `number`, in «No. Act.» right under the last row's number (no blank line between),
/// is a second number printed for that row rather than a row of its own: it goes back
/// («35.1» above «29.1», the rest of an earlier activity's number left in the manual).
fn second_number(last: Option<&Item>, number: &str) -> bool {
    let Some(Item::Row(cells)) = last else {
        return false;
    };
    let [row] = cells[1].lines.as_slice() else {
        return false;
    };
    let parts = |n: &str| -> Option<Vec<u32>> {
        n.trim_end_matches('.')
            .split('.')
            .map(|p| p.parse().ok())
            .collect()
    };
    match (parts(row.trimmed()), parts(number)) {
        (Some(row), Some(number)) => number < row,
        _ => false,
    }
}

fn with_text(line: &Line, text: &str) -> Line {
    Line {
        text: text.to_owned(),
        place: line.place,
    }
}

fn blank(line: &Line) -> Line {
    with_text(line, "")
}

/// Drops the blank lines at a cell's end.
fn trim_blank(lines: &mut Vec<Line>) {
    while lines.last().is_some_and(|l| l.trimmed().is_empty()) {
        lines.pop();
    }
}

/// A description's lines put back together: its text is one line, and so is each of what comes
/// after it and begins a line of its own (a question «¿…?», an answer «Sí: …», «No: …», a term
/// «Plazo: …», «Se turna a cada responsable…», «Inicia el procedimiento…», «TERMINA
/// PROCEDIMIENTO»); a blank line ends a line too. A wrapped line never begins one: the rest of
/// an open question «¿…» or a line beginning with an activity's number («3.2 de las políticas»)
/// goes on the line before, and so does a question after a line that filled the column
/// without a stop (it is the text's own). Bullets («· Seguro Popular») stay in the text: the
/// documents have a column of their own.
fn reflow(lines: &[Line]) -> Vec<Line> {
    let width = lines
        .iter()
        .map(|l| l.trimmed().chars().count())
        .max()
        .unwrap_or(0);
    let mut out: Vec<Line> = Vec::new();
    let mut after_blank = true;
    let mut physical = "";
    // After the question, «Pública: …» begins an answer too.
    let mut asked = false;
    for line in lines {
        let text = line.trimmed();
        if text.is_empty() {
            after_blank = true;
            physical = "";
            out.push(line.clone());
            continue;
        }
        let previous = out.last().map(Line::trimmed).unwrap_or("");
        asked |= previous.starts_with('¿') && previous.ends_with('?');
        // The line printed above (a part of `previous` when that was wrapped).
        let above = physical;
        physical = text;
        let starts = after_blank
            || previous.is_empty()
            || (super::table::activity_heading(text).is_none()
                && (!previous.contains('¿') || previous.ends_with('?'))
                && (begins_a_line(text) || (asked && super::flow::named_answer(text).is_some()))
                && !(text.starts_with('¿')
                    && !above.ends_with(['.', ':', ';', '?', '!'])
                    && above.chars().count() * 10 >= width * 7));
        after_blank = false;
        match out.last_mut() {
            Some(last) if !starts => last.text = format!("{} {text}", last.trimmed()),
            _ => out.push(line.clone()),
        }
    }
    out
}

/// Whether a description's line begins a line of its own (see [`reflow`]).
fn begins_a_line(text: &str) -> bool {
    let folded = fold(text);
    text.starts_with('¿')
        || ["no", "si"].iter().any(|answer| {
            folded
                .strip_prefix(answer)
                .is_some_and(|rest| rest.starts_with([':', '.', '-', ',']))
        })
        || [
            "plazo:",
            "se turna a cada responsable",
            "inicia el procedimiento",
        ]
        .iter()
        .any(|start| folded.starts_with(start))
        || (super::flow::says_end(text) && folded.split_whitespace().count() <= 4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manual::lines::lines;

    const TABLE: &str = "\
4.0 Descripción del procedimiento
   Responsable            No. Act.   Descripción de la actividad             Documento o anexo
   1.0 Recepción de la solicitud
   Dirección General de   1.1        Recibe la solicitud conforme al         Solicitud
   Calidad                           numeral
                                     3.2 de las políticas y la registra.
                          1.2        Revisa la solicitud.
                                     ¿Está completa la
                                     solicitud?
                                     Sí: continúa en la actividad 2.1.
                                     No: regresa a la actividad 1.1.
\u{c}Manual de procedimientos
Hoja 2 de 2
   Responsable            No. Act.   Descripción de la actividad             Documento o anexo
   2.0 Respuesta
   Subdirección de        2.1        Responde al solicitante.                Oficio de
   Atención                                                                  respuesta
                                     TERMINA PROCEDIMIENTO
";

    fn items() -> Vec<Item> {
        rows(&lines(TABLE)).expect("a table")
    }

    fn texts(cell: &Cell) -> Vec<&str> {
        cell.lines.iter().map(Line::trimmed).collect()
    }

    #[test]
    fn the_columns_are_where_the_header_puts_them() {
        let items = items();
        assert_eq!(items.len(), 5, "{items:#?}");
        let Item::Heading(heading) = &items[0] else {
            panic!("{:?}", items[0]);
        };
        assert_eq!(heading.text(), "1.0 Recepción de la solicitud");
        let Item::Row([who, number, description, documents]) = &items[1] else {
            panic!("{:?}", items[1]);
        };
        assert_eq!(texts(who), ["Dirección General de", "Calidad"]);
        assert_eq!(number.text(), "1.1");
        assert_eq!(
            texts(description),
            ["Recibe la solicitud conforme al numeral 3.2 de las políticas y la registra."]
        );
        assert_eq!(documents.text(), "Solicitud");
        let Item::Row([who, number, description, _]) = &items[2] else {
            panic!("{:?}", items[2]);
        };
        assert!(who.text().is_empty());
        assert_eq!(number.text(), "1.2");
        assert_eq!(
            texts(description),
            [
                "Revisa la solicitud.",
                "¿Está completa la solicitud?",
                "Sí: continúa en la actividad 2.1.",
                "No: regresa a la actividad 1.1."
            ]
        );
    }

    #[test]
    fn a_new_page_leaves_out_its_running_header() {
        let items = items();
        let Item::Heading(heading) = &items[3] else {
            panic!("{:?}", items[3]);
        };
        assert_eq!(heading.text(), "2.0 Respuesta");
        let Item::Row([who, number, description, documents]) = &items[4] else {
            panic!("{:?}", items[4]);
        };
        assert_eq!(texts(who), ["Subdirección de", "Atención"]);
        assert_eq!(number.text(), "2.1");
        assert_eq!(
            texts(description),
            ["Responde al solicitante.", "", "TERMINA PROCEDIMIENTO"]
        );
        assert_eq!(texts(documents), ["Oficio de", "respuesta"]);
    }

    #[test]
    fn a_number_going_back_right_under_a_rows_number_is_that_rows() {
        let table = "\
   Responsable            No. Act.   Descripción de la actividad             Documento o anexo
   Dirección de Archivo   8.1        Recibe el expediente.
                          3.1        Plazo: 3 días hábiles.

                          8.2        Archiva el expediente.
                          9.1        Lo envía.
";
        let items = rows(&lines(table)).expect("a table");
        let numbers: Vec<String> = items
            .iter()
            .filter_map(|item| match item {
                Item::Row([_, number, _, _]) => {
                    Some(crate::manual::sections::squash(&number.text()))
                }
                Item::Heading(_) => None,
            })
            .collect();
        // «3.1» goes back under «8.1»: printed with it; «9.1» goes on: a row.
        assert_eq!(numbers, ["8.1 3.1", "8.2", "9.1"]);
    }

    #[test]
    fn a_description_is_its_text_then_a_line_for_each_thing_after_it() {
        let lines = |texts: &[&str]| -> Vec<Line> {
            texts
                .iter()
                .map(|t| Line {
                    text: (*t).to_owned(),
                    place: crate::manual::Place::default(),
                })
                .collect()
        };
        let joined = reflow(&lines(&[
            "Recibe información, la revisa y registra en el sistema los",
            "datos con:",
            "· Seguro Popular.",
            "Recibe información de las áreas que participan en la revisión",
            "¿Atendió la totalidad de las recomendaciones?",
            "Se turna a cada responsable; concluye cuando todos han",
            "respondido.",
            "Plazo: 5 días hábiles; si vence, regresa a la actividad",
            "1.1.",
            "¿Procede?",
            "No: regresa a la actividad 1.1.",
            "Sí: continúa en la actividad",
            "2.1.",
            "Clasificada: reservada o confidencial:",
            "continúa en la actividad 5.2.",
        ]));
        let texts: Vec<&str> = joined.iter().map(Line::trimmed).collect();
        assert_eq!(
            texts,
            [
                "Recibe información, la revisa y registra en el sistema los datos con: · Seguro Popular. Recibe información de las áreas que participan en la revisión ¿Atendió la totalidad de las recomendaciones?",
                "Se turna a cada responsable; concluye cuando todos han respondido.",
                "Plazo: 5 días hábiles; si vence, regresa a la actividad 1.1.",
                "¿Procede?",
                "No: regresa a la actividad 1.1.",
                "Sí: continúa en la actividad 2.1.",
                "Clasificada: reservada o confidencial: continúa en la actividad 5.2.",
            ]
        );
        // A short line without a stop before a question: the question is a line of its own.
        let joined = reflow(&lines(&[
            "Recibe información de las áreas que participan en la revisión",
            "y la solicitud",
            "¿Procede?",
        ]));
        assert_eq!(joined.len(), 2, "{joined:?}");
    }

    #[test]
    fn a_page_without_the_header_leaves_out_its_top_up_to_a_row() {
        let text = TABLE.replace(
            "   Responsable            No. Act.   Descripción de la actividad             Documento o anexo\n   2.0",
            "   2.0",
        );
        let items = rows(&lines(&text)).expect("a table");
        assert_eq!(items.len(), 5, "{items:#?}");
        let Item::Row([who, ..]) = &items[2] else {
            panic!("{:?}", items[2]);
        };
        assert!(who.text().is_empty(), "{who:?}");
        let Item::Heading(heading) = &items[3] else {
            panic!("{:?}", items[3]);
        };
        assert_eq!(heading.text(), "2.0 Respuesta");
    }

    #[test]
    fn text_without_the_header_has_no_table() {
        assert!(rows(&lines("1.0 Etapa\n1.1 Recibe la solicitud.\n")).is_none());
    }

    #[test]
    fn a_word_a_wide_gap_before_a_column_begins_it() {
        // «Resolución» begins at 46, three characters before the column.
        let starts = [0, 10, 20, 49];
        let split = split(
            "Área      2.1       Resuelve la ampliación.   Resolución del",
            &starts,
        );
        assert_eq!(split[2], "Resuelve la ampliación.");
        assert_eq!(split[3], "Resolución del");
        // A word of the text one space before the column stays in the text.
        assert_eq!(
            super::split(
                "Área      2.1       Notifica al solicitante la antes",
                &[0, 10, 20, 50]
            )[2],
            "Notifica al solicitante la antes"
        );
    }

    #[test]
    fn a_word_goes_to_the_column_its_first_letter_is_in() {
        let starts = [0, 10, 20, 35];
        assert_eq!(
            split("Área uno  2.1       Revisa   todo     Oficio", &starts),
            [
                "Área uno".to_owned(),
                "2.1".to_owned(),
                "Revisa todo".to_owned(),
                "Oficio".to_owned()
            ]
        );
    }

    proptest::proptest! {
        /// Whatever words each column holds, a line laid out at the header's positions splits
        /// back into the same words per column.
        #[test]
        fn laid_out_words_come_back_to_their_columns(
            cells in proptest::array::uniform4(proptest::collection::vec("[a-zA-Záéíóúñ0-9.]{1,8}", 0..3))
        ) {
            let widths = [30, 10, 40, 20];
            let mut starts = [0usize; 4];
            for c in 1..4 {
                starts[c] = starts[c - 1] + widths[c - 1];
            }
            let mut line = String::new();
            for (c, words) in cells.iter().enumerate() {
                let text = words.join(" ");
                // Laid out as the PDF is: each cell's text from its column's start, at least
                // two spaces from the cell before.
                while line.chars().count() < starts[c] {
                    line.push(' ');
                }
                line.push_str(&text);
                proptest::prop_assume!(line.chars().count() + 2 <= starts.get(c + 1).copied().unwrap_or(usize::MAX));
            }
            let split = split(&line, &starts);
            for (c, words) in cells.iter().enumerate() {
                proptest::prop_assert_eq!(&split[c], &words.join(" "));
            }
        }
    }
}
