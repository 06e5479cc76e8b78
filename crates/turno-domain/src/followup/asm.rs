//! What a Programa de Aspectos Susceptibles de Mejora adds to the follow-up model: the
//! recommendations of the external evaluation with their acceptance, and the aspects by type of
//! document and ámbito de gestión (seed 003, `docs/asm-format.md`).

use crate::text::fold;
use jiff::civil::Date;

/// One recommendation of the external evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub evaluation_year: i16,
    /// Empty in the seed for the recommendations not accepted.
    pub management: Option<ManagementArea>,
    pub acceptance: Acceptance,
}

/// «Atención»: whether the agency takes the recommendation on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acceptance {
    Accepted,
    NotAccepted(Justification),
}

impl Acceptance {
    pub fn is_accepted(&self) -> bool {
        matches!(self, Acceptance::Accepted)
    }
}

/// Why a recommendation is not taken on: most often because another one already covers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Justification {
    ByRecommendation(u32),
    Text(String),
}

const JUSTIFIED_BY: &str = "se justifica con la recomendacion ";

impl Justification {
    /// «SE JUSTIFICA CON LA RECOMENDACIÓN 4» (with or without the accent) names another
    /// recommendation; any other text is kept as written.
    pub fn parse(text: &str) -> Justification {
        let folded = fold(text);
        folded
            .strip_prefix(JUSTIFIED_BY)
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse().ok())
            .map_or_else(
                || Justification::Text(text.trim().to_owned()),
                Justification::ByRecommendation,
            )
    }

    pub fn to_text(&self) -> String {
        match self {
            Justification::ByRecommendation(n) => format!("Se justifica con la recomendación {n}"),
            Justification::Text(text) => text.clone(),
        }
    }
}

/// An aspect, with what its two tables say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aspect {
    pub document: DocumentType,
    pub management: ManagementArea,
    pub start: Date,
    pub end: Date,
    pub products: String,
    /// The recommendations it attends; the seed's tables do not say (`docs/manual-errata.md`).
    pub recommendations: Vec<u32>,
    /// «Área coordinadora» of the activities table (the institutional document has one).
    pub coordinator: Option<String>,
}

/// The type of ASM by who must attend it (CONEVAL's mechanism): the document it is listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocumentType {
    Specific,
    Institutional,
    Interinstitutional,
    Intergovernmental,
}

impl DocumentType {
    pub const ALL: [DocumentType; 4] = [
        DocumentType::Specific,
        DocumentType::Institutional,
        DocumentType::Interinstitutional,
        DocumentType::Intergovernmental,
    ];

    /// As the seed's «Tipo» column writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentType::Specific => "DOCUMENTO ESPECÍFICO",
            DocumentType::Institutional => "DOCUMENTO INSTITUCIONAL",
            DocumentType::Interinstitutional => "DOCUMENTO INTERINSTITUCIONAL",
            DocumentType::Intergovernmental => "DOCUMENTO INTERGUBERNAMENTAL",
        }
    }

    /// «Documento específico» or just «específico», in any case and accents.
    pub fn parse(text: &str) -> Option<DocumentType> {
        let folded = fold(text);
        let word = folded.strip_prefix("documento ").unwrap_or(&folded).trim();
        DocumentType::ALL
            .into_iter()
            .find(|d| fold(d.as_str()).strip_prefix("documento ") == Some(word))
    }
}

/// «Ámbito de gestión»: the codes the seed uses, which it never spells out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ManagementArea {
    O,
    PP,
    RC,
    SER,
}

impl ManagementArea {
    pub const ALL: [ManagementArea; 4] = [
        ManagementArea::O,
        ManagementArea::PP,
        ManagementArea::RC,
        ManagementArea::SER,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ManagementArea::O => "O",
            ManagementArea::PP => "PP",
            ManagementArea::RC => "RC",
            ManagementArea::SER => "SER",
        }
    }

    /// Exactly a code, in any case: the digit «0» the seed sometimes has for «O» is not one.
    pub fn parse(text: &str) -> Option<ManagementArea> {
        ManagementArea::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// «Elaboró» and «Autorizó»: who prepared the program and who authorized it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOff {
    pub prepared_by: String,
    pub authorized_by: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_justifications_name_a_recommendation_with_or_without_accent() {
        assert_eq!(
            Justification::parse("SE JUSTIFICA CON LA RECOMENDACION 1"),
            Justification::ByRecommendation(1)
        );
        assert_eq!(
            Justification::parse("SE JUSTIFICA CON LA RECOMENDACIÓN 4"),
            Justification::ByRecommendation(4)
        );
        assert_eq!(
            Justification::parse("Se justifica con la recomendación 4 y la 5"),
            Justification::Text("Se justifica con la recomendación 4 y la 5".into())
        );
        let by = Justification::ByRecommendation(17);
        assert_eq!(Justification::parse(&by.to_text()), by);
    }

    #[test]
    fn document_types_and_management_areas_as_written() {
        assert_eq!(
            DocumentType::parse("DOCUMENTO ESPECÍFICO"),
            Some(DocumentType::Specific)
        );
        assert_eq!(
            DocumentType::parse("institucional"),
            Some(DocumentType::Institutional)
        );
        assert_eq!(DocumentType::parse("documento"), None);
        assert_eq!(ManagementArea::parse("ser"), Some(ManagementArea::SER));
        assert_eq!(ManagementArea::parse("0"), None);
    }
}
