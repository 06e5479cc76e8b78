//! Comparing Spanish words the way people type them: "Sí", "si" and "SI" are the same answer.

/// Lowercases and removes the accents of Spanish vowels (ñ stays ñ), so that comparisons
/// tolerate the manuals' and the users' inconsistent accents.
pub fn fold(s: &str) -> String {
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
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn accents_and_case_do_not_matter_but_enie_does() {
        assert_eq!(fold(" Sí "), "si");
        assert_eq!(fold("DÍAS HÁBILES"), "dias habiles");
        assert_eq!(fold("Año"), "año");
    }
}
