//! An informe oficial of seed 000 from registration to its conclusion, as the Secretario
//! Técnico and the Coordinación de Asesores do it by clicking; then every page it passed,
//! on a phone's width.

use super::session::{Efirma, Session, folio_in};
use crate::common::Backend;
use std::path::PathBuf;

impl Session {
    /// Acts on the open activity of the case page the browser shows, answering `outcome` when
    /// it is a decision, and signing it when it asks for an e.firma (`sign_if_asked`).
    pub async fn act(&mut self, expected: &str, outcome: Option<&str>) {
        let page = self.text().await;
        assert!(
            page.contains(&format!("<h3>{expected} ")),
            "{expected} is open"
        );
        if let Some(outcome) = outcome {
            self.click(&format!("input[name=outcome][value=\"{outcome}\"]"))
                .await;
        }
        self.fill("observaciones", &format!("Paso {expected}"))
            .await;
        let signed = self.sign_if_asked().await;
        self.shot(&format!("actividad-{expected}")).await;
        self.click("article.work form button[type=submit]").await;
        let done = if signed {
            format!("Actividad {expected} atendida y firmada con e.firma.")
        } else {
            format!("Actividad {expected} atendida.")
        };
        self.wait_for(&done).await;
    }

    /// Opens the case from Mi bandeja.
    pub async fn open_from_inbox(&self, folio: &str) {
        self.click_text("Mi bandeja").await;
        self.wait_for("<h1>Mi bandeja</h1>").await;
        self.click_text(folio).await;
        self.wait_for(&format!("<h1>{folio} ·")).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_informe_oficial_from_registration_to_its_conclusion() {
    let app = crate::common::spawn(Backend::Sqlite).await;
    let mut s = Session::start(&app, "informe").await;
    // The Coordinación de Asesores authorizes (4.1) with its e.firma.
    s.signs_with(Efirma::of(&app, "asesor").await);

    s.goto("/acceso").await;
    s.sign_in("secretario").await;
    s.shot("bandeja").await;
    s.click_text("Registrar asunto").await;
    s.wait_for("Elija el procedimiento").await;
    s.shot("registrar").await;
    s.click("ul.procedures a[href='/registrar/sidss-informes-oficiales']")
        .await;
    s.fill("asunto", "Informe trimestral de metas de la DGPLADES")
        .await;
    s.fill(
        "solicitante",
        "Dirección General de Planeación y Desarrollo en Salud",
    )
    .await;
    s.fill("tipo_informe", "Informe trimestral").await;
    s.fill("direccion_general", "DGPLADES").await;
    s.shot("registro").await;
    s.submit().await;
    let receipt = s.wait_for("Acuse de registro").await;
    let folio = folio_in(&receipt);
    assert!(folio.starts_with("CAS-"), "{folio}");
    s.shot("acuse").await;
    s.click_text("Ver el asunto").await;
    s.wait_for(&format!("<h1>{folio} ·")).await;

    // Review; corrections requested at 2.2, received at 1.2. Then the Coordinación de Asesores
    // sends it back once, and authorizes: who acts, on which activity, answering what.
    let steps = [
        ("secretario", "1.1", None),
        ("secretario", "2.1", None),
        ("secretario", "2.2", Some("No")),
        ("secretario", "1.2", None),
        ("secretario", "2.1", None),
        ("secretario", "2.2", Some("Sí")),
        ("secretario", "3.1", None),
        ("asesor", "4.1", Some("No")),
        ("secretario", "2.1", None),
        ("secretario", "2.2", Some("Sí")),
        ("secretario", "3.1", None),
        ("asesor", "4.1", Some("Sí")),
    ];
    let mut signed_in = "secretario";
    for (login, activity, outcome) in steps {
        if login != signed_in {
            s.sign_out().await;
            s.sign_in(login).await;
            s.open_from_inbox(&folio).await;
            signed_in = login;
        }
        s.act(activity, outcome).await;
    }
    s.sign_out().await;

    // Dispatch at 5.1 (saying how it was sent), record at 5.2: TERMINA PROCEDIMIENTO.
    s.sign_in("secretario").await;
    s.open_from_inbox(&folio).await;
    s.choose("medio_envio", "Oficio").await;
    s.fill("observaciones", "Enviado por oficio").await;
    s.click("article.work form button[type=submit]").await;
    s.wait_for("Actividad 5.1 atendida.").await;
    s.act("5.2", None).await;

    let page = s.text().await;
    assert!(page.contains("concluido"));
    assert!(page.contains("TERMINA PROCEDIMIENTO"));
    assert_eq!(
        page.matches("Atendió la actividad").count(),
        14,
        "every step on record"
    );
    assert_eq!(
        page.matches("Firmado con e.firma por ANA LOPEZ NUNEZ")
            .count(),
        2,
        "both authorizations (4.1) signed"
    );
    s.shot("concluido").await;

    // The Secretario Técnico's tablero: the two returns (2.2 to 1.2, 4.1 to 2.1), and from
    // the figure to the case; both pages pass the accessibility check.
    s.goto("/tableros").await;
    s.wait_for("<h1>Tableros</h1>").await;
    s.shot("tablero").await;
    let page = s.text().await;
    assert!(
        page.contains("data-cifra=\"devoluciones\" href=") && page.contains(">2</a>"),
        "two returns on the tablero"
    );
    s.click("a[data-cifra=devoluciones]").await;
    s.wait_for("Devoluciones para corrección en el periodo")
        .await;
    assert_eq!(
        s.text()
            .await
            .matches(&format!("data-folio=\"{folio}\""))
            .count(),
        2
    );
    s.shot("tablero-asuntos").await;

    // Every page fits a phone's width (390 CSS pixels): nothing to scroll sideways but the
    // diagrams, which scroll inside their own regions. The repository's organization gives the
    // Organigrama its real size (230+ units, a Dirección with a wide chart). These are typed
    // addresses on purpose: the journey is over, this is a tour of its pages.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../org");
    let mut org: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.display().to_string(), text)
        })
        .collect();
    org.sort();
    let files: Vec<(&str, &str)> = org.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    turno_store::organization::import(&app.store, &files, "prueba")
        .await
        .expect("the repository's organization imports");
    turno_web::scheduler::tick(&app.state).await;
    s.client.set_window_size(390, 844).await;
    for (name, path) in [
        ("notificaciones", "/notificaciones".to_owned()),
        ("avisos", "/notificaciones/preferencias".to_owned()),
        ("bandeja", "/bandeja".to_owned()),
        ("buscar", "/buscar?q=DGPLADES".to_owned()),
        ("registrar", "/registrar".to_owned()),
        ("registro", "/registrar/sidss-informes-oficiales".to_owned()),
        ("catalogo", "/procedimientos".to_owned()),
        (
            "procedimiento",
            "/procedimientos/sidss-informes-oficiales".to_owned(),
        ),
        ("asunto", format!("/asuntos/{folio}")),
        ("acuse", format!("/asuntos/{folio}/acuse")),
        ("organigrama", "/organigrama".to_owned()),
        (
            "organigrama-doye",
            "/organigrama?fecha=2022-10-01&unidad=IMSS-DOYE".to_owned(),
        ),
        // Six levels down: the deepest unfolded path.
        (
            "organigrama-subjefatura",
            "/organigrama?unidad=IMSS-SDSO".to_owned(),
        ),
    ] {
        s.goto(&path).await;
        s.fits(&path).await;
        s.shot(&format!("telefono-{name}")).await;
    }
    s.client.quit().await;
}
