//! Comparing Spanish words the way people type them: "Sí", "si" and "SI" are the same answer.

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
    use super::{fold, same};

    #[test]
    fn accents_and_case_do_not_matter_but_enie_does() {
        assert_eq!(fold(" Sí "), "si");
        assert_eq!(fold("DÍAS HÁBILES"), "dias habiles");
        assert_eq!(fold("Año"), "año");
        assert!(same(" Querétaro", "QUERETARO "));
        assert!(!same("Año", "ano"));
    }
}
