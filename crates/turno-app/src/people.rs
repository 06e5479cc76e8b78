//! A new person, as the administration page and the API create one: every value checked
//! together ([`check`]), then recorded with the password's hash, which the web crate computes
//! (it signs people in) between the two. And the changes that could lock everyone out: a
//! role taken away ([`revoke`]) and a person deactivated ([`set_active`]), refused for the
//! last active administrator.

use crate::app::App;
use crate::checked::Checked;
use crate::efirma;
use crate::error::Error;
use crate::limits;
use crate::principal::Principal;
use turno_store::signatures::SignerIdentity;
use turno_store::{NewUser, Role, Signatures, Store, User, UserStatus};

/// The shortest password accepted: people choose them, argon2 only slows guessing.
pub const MIN_PASSWORD: usize = 12;

/// A login as typed to sign in, under the rule every text keeps: no control characters, no
/// longer than a login may be. Otherwise why not, in a sentence: such a login names nobody,
/// and the store is not asked about it.
pub fn sign_in_login(typed: &str) -> Result<String, String> {
    let mut checked = Checked::default();
    let login = checked.line("login", "el usuario", typed, limits::LOGIN, false);
    checked.done().map(|()| login).map_err(Error::sentences)
}

/// A person to create, as typed.
#[derive(Debug, Clone, Copy)]
pub struct NewPerson<'a> {
    /// Lower-case letters without accents, digits, `.`, `_` and `-`.
    pub login: &'a str,
    pub name: &'a str,
    /// `None`: no e-mail.
    pub email: Option<&'a str>,
    pub password: &'a str,
    /// The RFC and CURP that the person's e.firma carries (`docs/efirma.md`); blank: none.
    pub rfc: &'a str,
    pub curp: &'a str,
}

/// Everything wrong with `person`, each by its field (`login`, `name`, `email`, `password`,
/// `rfc`, `curp`), in one refusal.
pub fn check(person: &NewPerson<'_>) -> Result<Valid, Error> {
    let mut checked = Checked::default();
    let login = checked.line("login", "el usuario", person.login, limits::LOGIN, true);
    if !login
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
    {
        checked.wrong(
            "login",
            "El usuario lleva solo minúsculas sin acentos, dígitos, punto, guion o guion bajo.",
        );
    }
    let name = checked.line("name", "el nombre", person.name, limits::NAME, true);
    let email = person.email.map(|email| {
        let email = checked.line("email", "el correo electrónico", email, limits::NAME, true);
        let shaped = email
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
        if !email.is_empty() && !shaped {
            checked.wrong(
                "email",
                format!("«{email}» no es un correo electrónico válido."),
            );
        }
        email
    });
    let password = person.password.chars().count();
    if !(MIN_PASSWORD..=limits::NAME).contains(&password) {
        checked.wrong(
            "password",
            format!(
                "La contraseña debe tener de {MIN_PASSWORD} a {} caracteres.",
                limits::NAME
            ),
        );
    }
    let identity = efirma::identity(&mut checked, person.rfc, person.curp);
    checked.done()?;
    Ok(Valid {
        login,
        name,
        email,
        identity,
    })
}

/// A person [`check`] found nothing wrong with, trimmed: only `check` makes one.
#[derive(Debug)]
pub struct Valid {
    login: String,
    name: String,
    email: Option<String>,
    identity: SignerIdentity,
}

impl Valid {
    pub fn login(&self) -> &str {
        &self.login
    }
}

/// Records the person checked, able to sign in with the password `password_hash` is the hash
/// of, with their RFC and CURP when given; on the audit log under `actor`. A login already
/// taken is a conflict. The command line creates people too, on a store without an
/// application.
pub async fn create(
    store: &(impl Store + Signatures),
    person: Valid,
    password_hash: String,
    actor: &str,
) -> Result<i64, Error> {
    let Valid {
        login,
        name,
        email,
        identity,
    } = person;
    let new = NewUser {
        login,
        name,
        email,
        password_hash: Some(password_hash),
    };
    let id = store.create_user(&new, actor).await?;
    if identity != SignerIdentity::default() {
        store.set_signer_identity(id, &identity, actor).await?;
    }
    Ok(id)
}

/// Takes `role` in the unit `unit` away from `person`; false when they did not have it. The
/// last active administrator's administrator role stays (a conflict, 409).
pub async fn revoke(
    app: &App,
    person: &User,
    unit: &str,
    role: Role,
    actor: &Principal,
) -> Result<bool, Error> {
    Ok(app
        .store
        .remove_membership(person.id, unit, role, &actor.login)
        .await?)
}

/// Lets `person` sign in again, or no longer (their sessions and API tokens stop working on
/// the next request); false when there is no such person. Nobody deactivates themselves, and
/// the last active administrator stays active (a conflict, 409).
pub async fn set_active(
    app: &App,
    person: &User,
    active: bool,
    actor: &Principal,
) -> Result<bool, Error> {
    if person.id == actor.id && !active {
        return Err(Error::Refused(
            "No puede darse de baja a sí mismo: otra persona administradora debe hacerlo.".into(),
        ));
    }
    let status = if active {
        UserStatus::Active
    } else {
        UserStatus::Inactive
    };
    Ok(app
        .store
        .set_user_status(person.id, status, &actor.login)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(person: NewPerson<'_>) -> Vec<String> {
        match check(&person) {
            Ok(_) => Vec::new(),
            Err(Error::InvalidFields(problems)) => problems.into_iter().map(|p| p.field).collect(),
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let good = NewPerson {
            login: "mgarcia",
            name: "María García",
            email: Some("mgarcia@salud.gob.mx"),
            password: "una contraseña larga",
            rfc: "GOYA780416GM0",
            curp: "",
        };
        assert!(fields(good).is_empty());
        let bad = NewPerson {
            login: "María",
            name: "  ",
            email: Some("sin arroba"),
            password: "corta",
            rfc: "GOYA78",
            curp: "GOYA780416HDFRRN0X",
        };
        assert_eq!(
            fields(bad),
            ["login", "name", "email", "password", "rfc", "curp"]
        );
        assert!(
            fields(NewPerson {
                email: None,
                ..good
            })
            .is_empty()
        );
    }
}
