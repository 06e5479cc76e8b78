//! End to end in headless Chromium (Debian's `chromium` and `chromedriver`): an informe
//! oficial of seed 000 from registration to its conclusion, as the Secretario Técnico and the
//! Coordinación de Asesores do it. Screenshots of each step go to `target/e2e/`.

use crate::common::{Backend, PASSWORD, TestApp};
use crate::webdriver::WebDriver;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// chromedriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn driver() -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver is installed (scripts/test.sh installs Debian's chromium-driver)");
    // Owned by the guard at once, so that it is stopped and waited for on every path.
    let driver = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return driver;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start");
}

async fn browser(driver: &Driver) -> WebDriver {
    let profile = std::env::temp_dir().join(format!("turno-e2e-{}", std::process::id()));
    WebDriver::start(
        &driver.url,
        serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run", "--disable-sync",
                    "--window-size=1280,1400",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        }),
    )
    .await
}

struct Session {
    client: WebDriver,
    base: String,
    shots: PathBuf,
    n: u32,
    /// Stops chromedriver when the session ends.
    _driver: Driver,
}

impl Session {
    /// Headless Chromium on `app`, its screenshots to `target/e2e/`.
    async fn start(app: &TestApp) -> Session {
        let driver = driver().await;
        let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e");
        std::fs::create_dir_all(&shots).unwrap();
        Session {
            client: browser(&driver).await,
            base: app.address.clone(),
            shots,
            n: 0,
            _driver: driver,
        }
    }

    async fn goto(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await;
    }

    async fn fill(&self, name: &str, value: &str) {
        let field = self.client.find(&format!("[name=\"{name}\"]")).await;
        self.client.clear(&field).await;
        self.client.send_keys(&field, value).await;
    }

    async fn click(&self, css: &str) {
        let element = self.client.find(css).await;
        self.client.click(&element).await;
    }

    async fn text(&self) -> String {
        self.client.source().await
    }

    /// The page once it shows `needle` (a submitted form's answer takes a moment to load).
    async fn wait_for(&self, needle: &str) -> String {
        for _ in 0..100 {
            let page = self.text().await;
            if page.contains(needle) {
                return page;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page never showed «{needle}»: {}", self.text().await);
    }

    async fn shot(&mut self, name: &str) {
        self.n += 1;
        let png = self.client.screenshot().await;
        std::fs::write(self.shots.join(format!("{:02}-{name}.png", self.n)), png).unwrap();
    }

    async fn sign_in(&mut self, login: &str) {
        self.goto("/acceso").await;
        self.fill("login", login).await;
        self.fill("password", PASSWORD).await;
        self.click("form.sign-in button[type=submit]").await;
        self.wait_for("<h1>Mi bandeja</h1>").await;
    }

    async fn sign_out(&self) {
        self.click("form.sign-out button[type=submit]").await;
        self.wait_for("<h1>Acceso</h1>").await;
    }

    /// Acts on the case's open activity, answering `outcome` when it is a decision.
    async fn act(&mut self, folio: &str, expected: &str, outcome: Option<&str>) {
        self.goto(&format!("/asuntos/{folio}")).await;
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
        self.shot(&format!("actividad-{expected}")).await;
        self.click("article.work form button[type=submit]").await;
        self.wait_for(&format!("Actividad {expected} atendida."))
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_informe_oficial_from_registration_to_its_conclusion() {
    let app = crate::common::spawn(Backend::Sqlite).await;
    let mut s = Session::start(&app).await;

    s.sign_in("secretario").await;
    s.shot("bandeja").await;
    s.goto("/registrar/sidss-informes-oficiales").await;
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
    s.click("main form button[type=submit]").await;
    let receipt = s.wait_for("Acuse de registro").await;
    let start = receipt.find("class=\"folio\">").unwrap() + "class=\"folio\">".len();
    let folio = receipt[start..start + 15].to_owned();
    assert!(folio.starts_with("CAS-"), "{folio}");
    s.shot("acuse").await;

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
            signed_in = login;
        }
        s.act(&folio, activity, outcome).await;
    }
    s.sign_out().await;

    // Dispatch at 5.1 (saying how it was sent), record at 5.2: TERMINA PROCEDIMIENTO.
    s.sign_in("secretario").await;
    s.goto(&format!("/asuntos/{folio}")).await;
    let option = s
        .client
        .find_xpath("//select[@name='medio_envio']/option[normalize-space()='Oficio']")
        .await;
    s.client.click(&option).await;
    s.fill("observaciones", "Enviado por oficio").await;
    s.click("article.work form button[type=submit]").await;
    s.wait_for("Actividad 5.1 atendida.").await;
    s.act(&folio, "5.2", None).await;

    s.goto(&format!("/asuntos/{folio}")).await;
    let page = s.text().await;
    assert!(page.contains("concluido"));
    assert!(page.contains("TERMINA PROCEDIMIENTO"));
    assert_eq!(
        page.matches("Atendió la actividad").count(),
        14,
        "every step on record"
    );
    s.shot("concluido").await;

    // Every page fits a phone's width (390 CSS pixels): nothing to scroll sideways but the
    // diagrams, which scroll inside their own regions. The repository's organization gives the
    // Organigrama its real size (230+ units, a Dirección with a wide chart).
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
        fits(&s, &path).await;
        s.shot(&format!("telefono-{name}")).await;
    }
    s.client.quit().await;
}

/// The page is no wider than the window: nothing to scroll sideways.
async fn fits(s: &Session, what: &str) {
    let widths = s
        .client
        .execute("return [document.documentElement.scrollWidth, window.innerWidth];")
        .await;
    let (page, window) = (widths[0].as_u64().unwrap(), widths[1].as_u64().unwrap());
    assert!(
        page <= window,
        "{what} is {page} px wide in a {window} px window"
    );
}

/// The public mailbox on a phone (390 CSS pixels): a citizen misses the description, is taken
/// to the list of errors, files the petition and follows it with the folio and the code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_files_a_petition_and_follows_it_on_a_phone() {
    let app = crate::common::spawn(Backend::Sqlite).await;
    let mut s = Session::start(&app).await;
    s.client.set_window_size(390, 844).await;
    s.goto("/atencion").await;
    fits(&s, "/atencion").await;
    for (select, option) in [("tipo", "Queja"), ("entidad", "Oaxaca")] {
        let option = s
            .client
            .find_xpath(&format!(
                "//select[@name='{select}']/option[normalize-space()='{option}']"
            ))
            .await;
        s.client.click(&option).await;
    }
    s.fill("nombre", "Juana Pérez Gómez").await;
    s.fill("telefono", "951 123 4567").await;
    s.click("input[name=aviso_privacidad]").await;
    s.click("main form button[type=submit]").await;
    s.wait_for("descripción: falta").await;
    let focused = s.client.execute("return document.activeElement.id;").await;
    assert_eq!(focused, "errores", "the error summary takes the focus");
    fits(&s, "/atencion with errors").await;
    s.shot("buzon-errores").await;

    s.fill(
        "descripcion",
        "En el hospital no me dieron cita para mi hija.",
    )
    .await;
    s.click("main form button[type=submit]").await;
    let page = s.wait_for("Recibimos su petición").await;
    fits(&s, "the filed page").await;
    s.shot("buzon-folio").await;
    let value = |start: &str| {
        let from = page.find(start).unwrap() + start.len();
        page[from..from + page[from..].find('<').unwrap()].to_owned()
    };
    let (folio, code) = (value("id=\"folio\">"), value("<code id=\"codigo\">"));
    assert!(folio.starts_with("AC-"), "{folio}");

    s.goto("/atencion/consulta").await;
    fits(&s, "/atencion/consulta").await;
    s.fill("folio", &folio).await;
    s.fill("codigo", &code).await;
    s.click("main form button[type=submit]").await;
    let status = s.wait_for("Recibida: en revisión").await;
    assert!(status.contains("Oaxaca") && !status.contains("Juana"));
    fits(&s, "the status page").await;
    s.shot("buzon-estado").await;
    s.client.quit().await;
}
