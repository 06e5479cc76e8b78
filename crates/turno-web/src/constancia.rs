//! A case's constancia of authorizations (issue 18): a PDF with a page per activity completed
//! with e.firma, each with its signature block (signer, post, certificate, date and time, the
//! digest of the signed text and the signature in base64) and a QR code of the public
//! verification page with the case's folio and that digest (`turno_app::authorizations`).

use crate::letter::{Sheet, sheet, verification_url};
use turno_app::authorizations::Constancia;

/// The constancia's PDF; `base_url` is the public verification page's server.
pub fn pdf(
    constancia: &Constancia,
    base_url: &str,
    time_zone: &jiff::tz::TimeZone,
) -> anyhow::Result<Vec<u8>> {
    let svgs = pages(constancia, base_url, time_zone)?;
    crate::svg::pdf_pages(
        &svgs.iter().map(String::as_str).collect::<Vec<_>>(),
        Some(&format!(
            "Constancia de autorizaciones {}",
            constancia.folio
        )),
    )
}

/// The constancia's pages as SVG, one per authorization.
pub fn pages(
    constancia: &Constancia,
    base_url: &str,
    time_zone: &jiff::tz::TimeZone,
) -> anyhow::Result<Vec<String>> {
    let total = constancia.authorizations.len();
    let mut svgs = Vec::with_capacity(total);
    for (i, authorization) in constancia.authorizations.iter().enumerate() {
        let signature = &authorization.signature;
        let mut details = vec![
            format!("Actividad {}", authorization.activity),
            format!(
                "Procedimiento: {} (versión {})",
                constancia.procedure, constancia.version
            ),
        ];
        if let Some(outcome) = &authorization.outcome {
            details.push(format!("Respuesta: {outcome}"));
        }
        svgs.push(sheet(
            &Sheet {
                heading: [
                    format!(
                        "Constancia de autorización con e.firma {} de {total}",
                        i + 1
                    ),
                    format!("Asunto {}", constancia.folio),
                    constancia.title.clone(),
                ],
                details,
                signer: &signature.signer,
                post: (
                    "Cargo",
                    format!("{} (usuario {})", authorization.post, authorization.by),
                ),
                identity: (&signature.rfc, &signature.curp),
                certificate: (&signature.serial, &signature.issuer),
                verified_at: signature.verified_at,
                signed: "Se firmó con la Firma Electrónica Avanzada (e.firma) el texto exacto de \
                         la respuesta (el folio, el procedimiento, la actividad, la respuesta, \
                         los datos y las observaciones), cuyo resumen SHA-256 es:",
                digest: &signature.digest,
                cms: &signature.cms,
                verify: "Verifique esta autorización en la dirección del código QR, o escriba \
                         en la página de verificación el folio del asunto y el resumen SHA-256.",
                url: verification_url(base_url, &constancia.folio, &signature.digest),
                cancelled: false,
            },
            time_zone,
        )?);
    }
    Ok(svgs)
}
