//! Every way a signature, a certificate, a list or a key is refused, in the words a person
//! reads (`Display`, in Spanish).

use jiff::Timestamp;

/// An instant as a person reads it in a refusal: day, month, year and UTC time.
pub(crate) struct When(pub Timestamp);

impl std::fmt::Display for When {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} UTC", self.0.strftime("%d/%m/%Y %H:%M"))
    }
}

/// Why a signature is not accepted as a verified e.firma.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error(
        "La firma no es una firma CMS (PKCS#7) legible: se espera el archivo de firma en DER, PEM o base64 ({0})."
    )]
    Malformed(String),
    #[error("La firma no es de tipo SignedData de CMS (PKCS#7).")]
    NotSignedData,
    #[error(
        "La firma debe ser separada (sin el documento dentro): se verifica contra el documento que se entrega aparte."
    )]
    NotDetached,
    #[error("La firma debe tener exactamente un firmante; tiene {0}.")]
    Signers(usize),
    #[error("La firma no usa SHA-256 como algoritmo de resumen (usa {0}).")]
    Digest(String),
    #[error("La firma usa un algoritmo no admitido ({0}); se admite RSA con SHA-256.")]
    Algorithm(String),
    #[error("La firma no incluye el certificado del firmante.")]
    NoCertificate,
    #[error(
        "El documento no es el que se firmó: su resumen SHA-256 no coincide con el de la firma (el contenido cambió o se firmó otro)."
    )]
    ContentMismatch,
    #[error(
        "La firma no corresponde al certificado ni al documento: no se puede comprobar con la llave pública del firmante."
    )]
    BadSignature,
    #[error("El certificado del firmante aún no era vigente el {}: es vigente desde el {}.", When(*.at), When(*.not_before))]
    NotYetValid {
        at: Timestamp,
        not_before: Timestamp,
    },
    #[error("El certificado del firmante ya había vencido el {}: venció el {}.", When(*.at), When(*.not_after))]
    Expired { at: Timestamp, not_after: Timestamp },
    #[error(
        "El certificado no fue emitido por una autoridad certificadora de confianza (emisor: {issuer})."
    )]
    Untrusted { issuer: String },
    #[error(
        "No hay lista de revocación (CRL) cargada de la autoridad certificadora {issuer}: cárguela con «turno firma ac importar» para poder verificar."
    )]
    NoRevocationList { issuer: String },
    #[error(
        "La lista de revocación de {issuer} dejó de estar vigente el {}: cargue la más reciente.", When(*.next_update)
    )]
    RevocationListOutdated {
        issuer: String,
        next_update: Timestamp,
    },
    #[error("El certificado {serial} fue revocado el {}.", When(*.revoked_at))]
    Revoked {
        serial: String,
        revoked_at: Timestamp,
    },
    #[error(
        "El certificado {serial} no es para firmar: su uso de llave no incluye la firma digital."
    )]
    NotForSigning { serial: String },
    #[error("El certificado no indica RFC ni CURP del firmante.")]
    NoIdentity,
    #[error(
        "El {what} del certificado ({found}) no coincide con el registrado para la persona ({expected})."
    )]
    IdentityMismatch {
        what: &'static str,
        found: String,
        expected: String,
    },
    #[error(
        "La persona no tiene RFC ni CURP registrados: un administrador debe registrarlos antes de que firme."
    )]
    NoExpectedIdentity,
}

/// Why a file is not taken as a trust anchor or a revocation list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error(
        "El archivo no es un certificado (.cer, .crt, .pem) ni una lista de revocación (.crl) en DER o PEM."
    )]
    Unreadable,
    #[error(
        "El certificado de {subject} no es de una autoridad certificadora (no declara «CA» en sus restricciones básicas)."
    )]
    NotCa { subject: String },
    #[error(
        "El certificado de {subject} no está firmado con un algoritmo admitido ({algorithm}); se admite RSA con SHA-256, SHA-384 o SHA-512."
    )]
    Algorithm { subject: String, algorithm: String },
    #[error(
        "La lista de revocación de {issuer} no es de ninguna autoridad certificadora cargada: importe antes su certificado."
    )]
    CrlIssuerUnknown { issuer: String },
    #[error("La lista de revocación de {issuer} no está firmada por esa autoridad certificadora.")]
    CrlSignature { issuer: String },
}

/// Why an encrypted private key (the SAT's `.key`) cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("El archivo no es una llave privada cifrada (.key en PKCS#8).")]
    NotAKey,
    #[error("La contraseña de la llave privada no es correcta.")]
    WrongPassword,
    #[error("La llave privada no es RSA, como las de la e.firma.")]
    NotRsa,
}
