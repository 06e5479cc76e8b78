//! Spanish text the way people type and read it: "Sí", "si" and "SI" are the same answer; a
//! date reads dd/mm/aaaa on every page and message; one thing is singular.

/// A date as people in Mexico read it: `06/12/2026`. Every page and message shows dates so;
/// files and the API keep `2026-12-06`.
pub fn day(date: jiff::civil::Date) -> String {
    date.strftime("%d/%m/%Y").to_string()
}

/// `count` with the noun that agrees with it: «1 pendiente», «2 pendientes».
pub fn count(count: impl std::fmt::Display, singular: &str, plural: &str) -> String {
    let count = count.to_string();
    let noun = if count == "1" { singular } else { plural };
    format!("{count} {noun}")
}

/// Lowercases and removes the accents of Spanish vowels (ñ stays ñ), so that comparisons
/// tolerate the manuals' and the users' inconsistent accents.
pub fn fold(s: &str) -> String {
    folded(s).collect()
}

/// Whether two texts are the same once folded, without building either: for comparisons
/// repeated on every row of a large file.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    // Without accents or ñ, folding is ASCII lowercasing, which needs no decoding.
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    folded(a).eq(folded(b))
}

fn folded(s: &str) -> impl Iterator<Item = char> + '_ {
    s.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'ä' => 'a',
            'é' | 'è' | 'ë' => 'e',
            'í' | 'ì' | 'ï' => 'i',
            'ó' | 'ò' | 'ö' => 'o',
            'ú' | 'ù' | 'ü' => 'u',
            other => other,
        })
}

#[cfg(test)]
mod tests {
    use super::{count, day, fold, same};

    #[test]
    fn a_day_reads_day_month_year_and_one_is_singular() {
        assert_eq!(day(jiff::civil::date(2026, 12, 6)), "06/12/2026");
        assert_eq!(count(1, "pendiente", "pendientes"), "1 pendiente");
        assert_eq!(count(0, "pendiente", "pendientes"), "0 pendientes");
        assert_eq!(count(2, "día hábil", "días hábiles"), "2 días hábiles");
    }

    #[test]
    fn accents_and_case_do_not_matter_but_enie_does() {
        assert_eq!(fold(" Sí "), "si");
        assert_eq!(fold("DÍAS HÁBILES"), "dias habiles");
        assert_eq!(fold("Año"), "año");
        assert!(same(" Querétaro", "QUERETARO "));
        assert!(!same("Año", "ano"));
    }
}
