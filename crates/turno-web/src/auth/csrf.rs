//! Every form carries a token tied to the session; a request that changes anything without
//! it is refused. The session cookie is SameSite=Strict as well: two locks.

use tower_sessions::Session;

const KEY: &str = "csrf";

/// The session's token, created on first use.
pub async fn token(session: &Session) -> String {
    if let Ok(Some(token)) = session.get::<String>(KEY).await {
        return token;
    }
    let token = random_token();
    let _ = session.insert(KEY, &token).await;
    token
}

/// True when `submitted` is the session's token.
pub async fn check(session: &Session, submitted: &str) -> bool {
    match session.get::<String>(KEY).await {
        Ok(Some(token)) => constant_time_eq(token.as_bytes(), submitted.as_bytes()),
        _ => false,
    }
}

/// Refuses a form whose token is not the session's, with the page people see for it.
pub async fn require(session: &Session, submitted: &str) -> Result<(), crate::error::AppError> {
    if check(session, submitted).await {
        Ok(())
    } else {
        Err(crate::error::AppError::BadRequest(
            "El formulario caducó. Vuelva a cargar la página e intente de nuevo.".into(),
        ))
    }
}

/// 256 random bits, hex-encoded.
pub fn random_token() -> String {
    random_bytes::<32>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Bytes from the operating system's CSPRNG (tokens, access codes).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    argon2::password_hash::rand_core::RngCore::fill_bytes(
        &mut argon2::password_hash::rand_core::OsRng,
        &mut bytes,
    );
    bytes
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
