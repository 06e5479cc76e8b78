//! Terms in days a text gives: «5 días hábiles», «dentro de los 20 días hábiles», «diez días
//! naturales», written as the definition format writes them («20 días hábiles»).

use crate::text::fold;

const NUMBERS: [(&str, u16); 20] = [
    ("un", 1),
    ("uno", 1),
    ("dos", 2),
    ("tres", 3),
    ("cuatro", 4),
    ("cinco", 5),
    ("seis", 6),
    ("siete", 7),
    ("ocho", 8),
    ("nueve", 9),
    ("diez", 10),
    ("once", 11),
    ("doce", 12),
    ("quince", 15),
    ("veinte", 20),
    ("treinta", 30),
    ("cuarenta", 40),
    ("cuarenta y cinco", 45),
    ("sesenta", 60),
    ("noventa", 90),
];

fn number(word: &str) -> Option<u16> {
    word.parse()
        .ok()
        .or_else(|| NUMBERS.iter().find(|(w, _)| *w == word).map(|&(_, n)| n))
}

/// Every term the text names, in order, each once.
pub fn terms(text: &str) -> Vec<String> {
    let folded = fold(text).replace(['(', ')', ',', ';', '.'], " ");
    let words: Vec<&str> = folded.split_whitespace().collect();
    let mut out: Vec<String> = Vec::new();
    for i in 0..words.len() {
        if words[i] != "dias" && words[i] != "dia" {
            continue;
        }
        let kind = match words.get(i + 1) {
            Some(&"habiles") | Some(&"habil") => "hábiles",
            Some(&"naturales") | Some(&"natural") | Some(&"calendario") => "naturales",
            _ => continue,
        };
        // «cuarenta y cinco» before «cinco».
        let compound = (i >= 3 && words[i - 2] == "y")
            .then(|| number(&format!("{} y {}", words[i - 3], words[i - 1])))
            .flatten();
        let days = compound.or_else(|| i.checked_sub(1).and_then(|j| number(words[j])));
        let Some(days) = days.filter(|&d| d > 0) else {
            continue;
        };
        let term = format!("{days} días {kind}");
        if !out.contains(&term) {
            out.push(term);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::terms;

    #[test]
    fn terms_in_digits_and_words() {
        assert_eq!(
            terms("dentro de los 35 días hábiles posteriores"),
            ["35 días hábiles"]
        );
        assert_eq!(
            terms("en un plazo de diez días naturales"),
            ["10 días naturales"]
        );
        assert_eq!(terms("cuarenta y cinco dias habiles"), ["45 días hábiles"]);
        assert!(terms("los días del mes").is_empty());
    }
}
