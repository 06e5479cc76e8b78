//! Suggestions of a petition's motive, learned from the petitions already classified: a
//! multinomial naive Bayes over the description's words (lower-cased, accents folded, short
//! words and the commonest Spanish function words left out), with Laplace smoothing. Nothing is
//! downloaded: the model is the counts of the agency's own classified petitions. A suggestion
//! names the words that weighed most for it, and is only ever shown: the person classifies.
//!
//! The vocabulary a text is scored against is the training's words together with the text's
//! own, so that every class is scored on every word of the text (an unseen word weighs the same
//! smoothed count in every class) and adding a classified petition never lowers its own motive's
//! probability for that same text.

use crate::text::fold;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Words of fewer characters than this are left out (articles, prepositions, «no», «mi»…).
const MIN_WORD_CHARS: usize = 3;
/// A longer run of letters is cut here: one word of a 5,000-character description cannot make
/// the vocabulary's keys unbounded.
const MAX_WORD_CHARS: usize = 40;
/// How many words a suggestion names.
pub const WORDS_SHOWN: usize = 4;

/// Function words of three letters or more that say nothing of a motive.
const STOP_WORDS: &[&str] = &[
    "las", "los", "del", "que", "por", "para", "con", "una", "uno", "unos", "unas", "sus", "pero",
    "mas", "como", "esta", "este", "esto", "estos", "estas", "ese", "esa", "eso", "fue", "ser",
    "son", "hay", "han", "has", "hemos", "sin", "sobre", "entre", "cuando", "desde", "hasta",
    "porque", "muy", "ya", "les", "nos", "nuestra", "nuestro", "mis", "tiene", "tengo", "estoy",
    "esta", "donde", "quien", "cual", "tambien", "solo", "otra", "otro", "todo", "toda", "todos",
    "ante", "era", "fueron", "pues", "aun", "asi", "usted", "ustedes", "ella", "ellos", "dia",
];

/// The words of `text` a suggestion counts: runs of letters and digits, folded, without the
/// short and function words; at most `MAX_WORD_CHARS` characters each.
pub fn words(text: &str) -> Vec<String> {
    let folded = fold(text);
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= MIN_WORD_CHARS && !STOP_WORDS.contains(w))
        .map(|w| w.chars().take(MAX_WORD_CHARS).collect())
        .collect()
}

/// One motive's counts.
#[derive(Debug, Clone, Default)]
struct Class {
    /// Petitions classified with it.
    documents: u64,
    /// Every word counted, with repetitions.
    words: u64,
    counts: HashMap<String, u64>,
}

/// The counts learned from classified petitions.
#[derive(Debug, Clone, Default)]
pub struct Classifier {
    /// By motive code, in code order (ties between equal scores fall to the first code).
    classes: BTreeMap<String, Class>,
    vocabulary: HashSet<String>,
    documents: u64,
}

/// A suggested motive.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub motive: String,
    /// Between 0 and 1; the probabilities of every motive add up to 1.
    pub probability: f64,
    /// The words of the text that weighed most for this motive over the others, the most first.
    pub words: Vec<String>,
}

impl Classifier {
    /// Counts one classified petition: its motive's code and its description.
    pub fn learn(&mut self, motive: &str, text: &str) {
        let class = self.classes.entry(motive.to_owned()).or_default();
        class.documents += 1;
        self.documents += 1;
        for word in words(text) {
            class.words += 1;
            self.vocabulary.insert(word.clone());
            *class.counts.entry(word).or_default() += 1;
        }
    }

    /// How many classified petitions it learned from.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Every motive learned with its probability for `text`, the likeliest first; none before
    /// anything is learned. Each names up to `WORDS_SHOWN` words that favoured it.
    pub fn suggest(&self, text: &str) -> Vec<Suggestion> {
        if self.documents == 0 {
            return Vec::new();
        }
        let mut counted: BTreeMap<String, u64> = BTreeMap::new();
        for word in words(text) {
            *counted.entry(word).or_default() += 1;
        }
        let unseen = counted
            .keys()
            .filter(|w| !self.vocabulary.contains(*w))
            .count();
        #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
        let vocabulary = (self.vocabulary.len() + unseen) as f64;
        // Per motive: log prior + Σ count·log P(word | motive), and each word's log P.
        #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
        let scored: Vec<(&String, f64, Vec<f64>)> = self
            .classes
            .iter()
            .map(|(motive, class)| {
                let denominator = (class.words as f64 + vocabulary).ln();
                let per_word: Vec<f64> = counted
                    .keys()
                    .map(|w| {
                        let n = class.counts.get(w).copied().unwrap_or(0);
                        (n as f64 + 1.0).ln() - denominator
                    })
                    .collect();
                let likelihood: f64 = per_word
                    .iter()
                    .zip(counted.values())
                    .map(|(l, c)| l * *c as f64)
                    .sum();
                let prior = (class.documents as f64 / self.documents as f64).ln();
                (motive, prior + likelihood, per_word)
            })
            .collect();
        let best = scored
            .iter()
            .map(|(_, s, _)| *s)
            .fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = scored.iter().map(|(_, s, _)| (s - best).exp()).sum();
        #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
        let classes = scored.len() as f64;
        let mut suggestions: Vec<Suggestion> = scored
            .iter()
            .map(|(motive, score, per_word)| {
                let class = &self.classes[*motive];
                // A word's weight for this motive: its log-likelihood here over its mean over
                // every motive, times how often the text says it.
                let mut weighed: Vec<(f64, &String)> = counted
                    .iter()
                    .enumerate()
                    .map(|(i, (word, count))| {
                        let mean = scored.iter().map(|(_, _, p)| p[i]).sum::<f64>() / classes;
                        ((per_word[i] - mean) * *count as f64, word)
                    })
                    // Only a word this motive's petitions said moved it.
                    .filter(|(weight, word)| *weight > 0.0 && class.counts.contains_key(*word))
                    .collect();
                weighed.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
                Suggestion {
                    motive: (*motive).clone(),
                    probability: (score - best).exp() / total,
                    words: weighed
                        .into_iter()
                        .take(WORDS_SHOWN)
                        .map(|(_, w)| w.clone())
                        .collect(),
                }
            })
            .collect();
        suggestions.sort_by(|a, b| {
            b.probability
                .total_cmp(&a.probability)
                .then_with(|| a.motive.cmp(&b.motive))
        });
        suggestions
    }
}

#[cfg(test)]
mod tests {
    use super::{Classifier, words};
    use proptest::prelude::*;

    fn trained() -> Classifier {
        let mut c = Classifier::default();
        for (motive, text) in [
            (
                "MED-SURT",
                "No me surtieron la receta de medicamentos en la farmacia",
            ),
            (
                "MED-SURT",
                "Falta de medicamento en la farmacia del hospital, receta sin surtir",
            ),
            (
                "MED-SURT",
                "La farmacia no tiene insulina y la receta quedó sin surtir",
            ),
            (
                "SERV-NEG",
                "Me negaron la atención en urgencias del hospital",
            ),
            (
                "SERV-NEG",
                "El médico se negó a atenderme en la consulta de urgencias",
            ),
            (
                "AFIL-POLIZA",
                "Mi póliza de afiliación venció y no puedo renovar la vigencia",
            ),
            (
                "AFIL-POLIZA",
                "Quiero saber la vigencia de mi póliza del Seguro Popular",
            ),
        ] {
            c.learn(motive, text);
        }
        c
    }

    #[test]
    fn words_are_folded_and_leave_out_short_and_function_words() {
        assert_eq!(
            words("¡No me SURTIERON la Póliza, médico!"),
            ["surtieron", "poliza", "medico"]
        );
        assert_eq!(words(&"a".repeat(100))[0].len(), 40);
    }

    #[test]
    fn the_likeliest_motive_comes_first_with_the_words_that_moved_it() {
        let c = trained();
        let s = c.suggest("En la farmacia no había medicamentos para mi receta");
        assert_eq!(s[0].motive, "MED-SURT");
        assert!(s[0].probability > 0.9, "{s:?}");
        assert_eq!(s[0].words[..2], ["farmacia", "receta"]);
        let s = c.suggest("Negaron la atención a mi madre en urgencias");
        assert_eq!(s[0].motive, "SERV-NEG");
        assert!(s[0].words.contains(&"urgencias".to_owned()), "{s:?}");
        let s = c.suggest("La vigencia de la póliza");
        assert_eq!(s[0].motive, "AFIL-POLIZA");
    }

    #[test]
    fn nothing_learned_suggests_nothing_and_unknown_words_motivate_nothing() {
        assert!(Classifier::default().suggest("farmacia").is_empty());
        let s = trained().suggest("xyzzy plugh");
        assert_eq!(s.len(), 3);
        assert!(s.iter().all(|x| x.words.is_empty()), "{s:?}");
    }

    const MOTIVES: [&str; 3] = ["A", "B", "C"];
    const VOCABULARY: [&str; 8] = [
        "farmacia",
        "receta",
        "urgencias",
        "poliza",
        "vigencia",
        "medico",
        "cuota",
        "hospital",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(&VOCABULARY[..]), 0..12)
            .prop_map(|w| w.join(" "))
    }

    fn examples() -> impl Strategy<Value = Vec<(usize, String)>> {
        prop::collection::vec((0..MOTIVES.len(), text()), 1..30)
    }

    proptest! {
        #[test]
        fn suggestions_are_a_probability_distribution(examples in examples(), t in text()) {
            let mut c = Classifier::default();
            for (m, x) in &examples {
                c.learn(MOTIVES[*m], x);
            }
            let s = c.suggest(&t);
            let sum: f64 = s.iter().map(|x| x.probability).sum();
            prop_assert!((sum - 1.0).abs() < 1e-9, "{s:?}");
            prop_assert!(s.iter().all(|x| (0.0..=1.0).contains(&x.probability)));
            prop_assert!(s.windows(2).all(|w| w[0].probability >= w[1].probability));
        }

        #[test]
        fn learning_a_text_as_c_never_lowers_c_for_it(
            examples in examples(), m in 0..MOTIVES.len(), t in text(),
        ) {
            let mut c = Classifier::default();
            for (k, x) in &examples {
                c.learn(MOTIVES[*k], x);
            }
            let of = |c: &Classifier| {
                c.suggest(&t)
                    .into_iter()
                    .find(|s| s.motive == MOTIVES[m])
                    .map_or(0.0, |s| s.probability)
            };
            let before = of(&c);
            c.learn(MOTIVES[m], &t);
            let after = of(&c);
            prop_assert!(after >= before - 1e-12, "{before} → {after}");
        }
    }
}
