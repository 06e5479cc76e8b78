//! The procedure file as written: a faithful serde image of the TOML, with spans kept on every
//! value a diagnostic may need to point at. Nothing is checked here beyond shape.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub key: Spanned<String>,
    pub version: Spanned<i64>,
    pub number: Option<String>,
    pub title: Spanned<String>,
    pub manual: Option<String>,
    pub issuer: Option<String>,
    pub source: Option<String>,
    pub regime: Option<Spanned<String>>,
    pub folio_prefix: Option<Spanned<String>>,
    pub purpose: Vec<String>,
    pub scope: Vec<String>,
    #[serde(default)]
    pub policies: Vec<PolicyDoc>,
    #[serde(default)]
    pub participants: BTreeMap<String, Spanned<ParticipantDoc>>,
    #[serde(default)]
    pub fields: Vec<Spanned<FieldDoc>>,
    pub stages: Spanned<Vec<StageDoc>>,
    #[serde(default)]
    pub references: Vec<ReferenceDoc>,
    #[serde(default)]
    pub records: Vec<RecordDoc>,
    #[serde(default)]
    pub glossary: Vec<GlossaryDoc>,
    #[serde(default)]
    pub changes: Vec<ChangeDoc>,
    #[serde(default)]
    pub annexes: Vec<AnnexDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyDoc {
    pub number: Option<Spanned<String>>,
    pub manual_number: Option<String>,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantDoc {
    pub name: String,
    pub kind: Option<Spanned<String>>,
    pub recorded_by: Option<Spanned<String>>,
    pub unit: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDoc {
    pub name: Spanned<String>,
    pub label: String,
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub options: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageDoc {
    pub number: Spanned<String>,
    pub manual_number: Option<String>,
    pub name: String,
    pub responsible: Option<Spanned<Vec<Spanned<String>>>>,
    pub note: Option<String>,
    pub activities: Spanned<Vec<Spanned<ActivityDoc>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityDoc {
    pub number: Spanned<String>,
    pub manual_number: Option<String>,
    pub text: String,
    pub responsible: Option<Spanned<Vec<Spanned<String>>>>,
    pub responsible_from: Option<Spanned<String>>,
    #[serde(default)]
    pub parallel: Option<Spanned<bool>>,
    #[serde(default)]
    pub documents: Vec<String>,
    #[serde(default)]
    pub fields: Vec<Spanned<String>>,
    pub decision: Option<Spanned<String>>,
    #[serde(default)]
    pub branches: Vec<Spanned<BranchDoc>>,
    pub goto: Option<Spanned<String>>,
    pub end: Option<Spanned<bool>>,
    pub call: Option<Spanned<String>>,
    pub deadline: Option<Spanned<DeadlineDoc>>,
    /// Completing it needs the person's e.firma over what they answer (docs/efirma.md).
    pub signature: Option<Spanned<bool>>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchDoc {
    pub answer: Spanned<String>,
    #[serde(default)]
    pub text: String,
    pub goto: Option<Spanned<String>>,
    #[serde(default)]
    pub end: bool,
    pub expiry: Option<Spanned<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineDoc {
    pub term: Spanned<String>,
    pub from: Option<Spanned<String>>,
    pub otherwise_from: Option<Spanned<String>>,
    pub regime: Option<Spanned<String>>,
    pub on_expiry: Option<Spanned<String>>,
    #[serde(default)]
    pub suspendable: bool,
    pub extension: Option<Spanned<String>>,
    pub extended_by: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceDoc {
    pub document: String,
    pub code: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordDoc {
    pub name: String,
    pub retention: Spanned<String>,
    pub keeper: String,
    pub code: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryDoc {
    pub number: Option<Spanned<String>>,
    pub term: String,
    pub definition: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeDoc {
    pub revision: String,
    pub date: String,
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnexDoc {
    pub number: Option<Spanned<String>>,
    pub name: String,
    pub code: Option<Spanned<String>>,
}
