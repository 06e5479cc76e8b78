//! The demo's certification authority (issue 18, `docs/efirma.md`): made when `turno demo`
//! fills its database, never committed. A root authority imported as a trust anchor with its
//! revocation list; for each demo person who signs, a certificate with their RFC and CURP and
//! their `.key` encrypted as the SAT's, written to the demo's e.firma folder so that whoever
//! tries the demo signs in the browser with them (password [`KEY_PASSWORD`]). The demo's cases
//! pass their signed activities with these keys, and some of its oficios are signed with them.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jiff::{SignedDuration, Timestamp};
use turno_app::Principal;
use turno_app::commands::RouteSigner;
use turno_app::correspondence::signed::EfirmaInput;
use turno_domain::definition::{ParticipantId, Procedure};
use turno_domain::engine::{self, Actor};
use turno_efirma::authority::{
    Authority, Holder, IssuedCertificate, PrivateKey, certificate_der, generate_key, sat_key_file,
    sign_detached,
};
use turno_store::Store as _;
use turno_web::AppState;

/// The password of every demo `.key`.
pub const KEY_PASSWORD: &str = "efirma-demo";

/// The demo people who sign: login, the certificate's name, RFC and CURP, and the unit whose
/// activities they sign.
pub const SIGNERS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "secretario",
        "ROBERTO CARLOS MENDEZ RUIZ",
        "MERR750312AB1",
        "MERR750312HDFNZB05",
        "SIDSS-ST",
    ),
    (
        "asesores",
        "LAURA PATRICIA VEGA SOLIS",
        "VESL820905CD2",
        "VESL820905MDFGLR08",
        "SIDSS-CAS",
    ),
    (
        "dgcef",
        "JORGE ALBERTO DIAZ CRUZ",
        "DICJ700120EF3",
        "DICJ700120HDFZRR02",
        "CNPSS-DGCEF",
    ),
    (
        "doye",
        "MARIA ELENA TORRES LUNA",
        "TOLM780614GH4",
        "TOLM780614MDFRNR01",
        "IMSS-DOYE",
    ),
];

/// A demo person's e.firma.
pub struct Signer {
    pub login: &'static str,
    unit: &'static str,
    key: PrivateKey,
    certificate: IssuedCertificate,
    certificate_der: Vec<u8>,
}

/// The demo authority and its signers.
pub struct DemoAuthority {
    pub signers: Vec<Signer>,
    /// The authority and its list, as the demo's database trusts them.
    trust: turno_efirma::TrustStore,
}

impl DemoAuthority {
    /// Makes the authority and a key and certificate for each demo signer (valid from two
    /// years ago, for the demo's old cases, for four years from today, as the SAT's); imports
    /// the authority and its list (current for a year); records each person's RFC; writes
    /// `<login>.cer` and `<login>.key` to `folder`.
    pub async fn create(state: &AppState, folder: &Path) -> anyhow::Result<DemoAuthority> {
        let now = state.clock.now();
        let days = |n: i64| SignedDuration::from_hours(24 * n);
        let since = now - days(2 * 365);
        let until = now + days(4 * 365);
        let ca = Authority::create_root(
            "AC DE DEMOSTRACION DE TURNO",
            &generate_key()?,
            (since, now + days(10 * 365)),
        )?;
        let list = ca.revocation_list(&[], now - days(1), days(365))?;
        for file in [ca.der()?, list] {
            turno_app::efirma::import(&state.store, &file, "demo").await?;
        }
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
        let mut signers = Vec::new();
        for (n, &(login, name, rfc, curp, unit)) in SIGNERS.iter().enumerate() {
            let key = generate_key()?;
            let holder = Holder { name, rfc, curp };
            // Twenty digits, as the SAT's certificate numbers.
            let number = format!("3000100000000000000{n}");
            let certificate = ca.issue_to(&holder, &number, (since, until), &key)?;
            let certificate_der = certificate_der(&certificate)?;
            let write = |path: PathBuf, bytes: &[u8]| {
                std::fs::write(&path, bytes)
                    .with_context(|| format!("cannot write {}", path.display()))
            };
            write(folder.join(format!("{login}.cer")), &certificate_der)?;
            write(
                folder.join(format!("{login}.key")),
                &sat_key_file(&key, KEY_PASSWORD)?,
            )?;
            let user = state
                .store
                .user_by_login(login)
                .await?
                .with_context(|| format!("the demo user {login} is missing"))?;
            turno_app::efirma::set_identity(&state.store, user.user.id, (rfc, ""), "demo").await?;
            signers.push(Signer {
                login,
                unit,
                key,
                certificate,
                certificate_der,
            });
        }
        let trust = turno_app::efirma::trust(&state.store).await?;
        Ok(DemoAuthority { signers, trust })
    }

    fn signer(&self, login: &str) -> anyhow::Result<&Signer> {
        self.signers
            .iter()
            .find(|s| s.login == login)
            .with_context(|| format!("{login} has no demo e.firma"))
    }

    /// `who`'s e.firma over `content`, as the page sends it.
    pub fn efirma(&self, who: &str, content: &[u8]) -> anyhow::Result<EfirmaInput> {
        let signer = self.signer(who)?;
        let cms = sign_detached(content, &signer.key, &[&signer.certificate])?;
        Ok(EfirmaInput {
            firma: STANDARD.encode(cms),
            certificado: STANDARD.encode(&signer.certificate_der),
        })
    }

    /// Signs outgoing document `id` as `who` with their demo e.firma, as the page does: the
    /// signable bytes (or those the first signer signed), verified before anything is kept.
    pub async fn sign_outgoing(
        &self,
        state: &AppState,
        who: &Principal,
        id: i64,
    ) -> anyhow::Result<()> {
        use turno_app::correspondence::{outgoing, signed};
        let version = outgoing::show(state, who, id).await?.document.version;
        let content = turno_web::letter::signable_bytes(state, who, id, Some(version)).await?;
        let input = self.efirma(&who.login, &content)?;
        signed::sign(state, who, id, version, &content, &input).await?;
        Ok(())
    }
}

impl RouteSigner for DemoAuthority {
    /// The demo person of a responsible unit signs it, and the signature is verified as the
    /// page's would be; a work item of a unit without one stops the route (a person signs it in
    /// the page).
    fn sign(
        &self,
        procedure: &Procedure,
        responsible: &[ParticipantId],
        folio: &str,
        text: &str,
        at: Timestamp,
    ) -> Option<(Actor, engine::Signature)> {
        let (participant, signer) = responsible.iter().find_map(|&p| {
            let unit = procedure.participant(p).unit.as_deref()?;
            Some((p, self.signers.iter().find(|s| s.unit == unit)?))
        })?;
        let cms = sign_detached(text.as_bytes(), &signer.key, &[&signer.certificate]).ok()?;
        let verified = turno_efirma::verify(text.as_bytes(), &cms, &self.trust, at, None).ok()?;
        Some((
            Actor {
                user: signer.login.to_owned(),
                participant: Some(participant),
                substituting: None,
            },
            turno_app::efirma::signature_of(folio, verified),
        ))
    }
}
