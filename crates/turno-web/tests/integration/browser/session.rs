//! A headless Chromium session on a test application, as a person uses it: a start page, then
//! clicks and typing only. Each step's screenshot goes to `target/e2e/{journey}/`, and each page
//! photographed is checked for accessibility first (`axe.rs`).

use crate::common::{PASSWORD, TestApp, efirma_for, efirma_of, unique};
use crate::webdriver::WebDriver;
use der::Encode;
use std::collections::HashSet;
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

/// Chromium with a profile of its own (two sessions of one process must not share one) that
/// saves downloads to `downloads` without asking.
async fn browser(driver: &Driver, downloads: &std::path::Path) -> WebDriver {
    let profile =
        std::env::temp_dir().join(format!("turno-e2e-{}-{}", std::process::id(), unique()));
    WebDriver::start(
        &driver.url,
        serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run", "--disable-sync",
                    "--window-size=1280,1400", "--lang=es-MX",
                    format!("--user-data-dir={}", profile.display()),
                ],
                "prefs": {
                    "download.default_directory": downloads.display().to_string(),
                    "download.prompt_for_download": false,
                },
            },
        }),
    )
    .await
}

/// A person's test e.firma on disk, as a person keeps it: the `.cer` and the `.key` (made by
/// `turno_efirma::testing`, written to a temporary folder, never committed) and the key's
/// password. The test CA is imported and the person's RFC is the certificate's.
pub struct Efirma {
    /// The temporary folder of the files, removed when dropped.
    pub folder: PathBuf,
    pub cer: PathBuf,
    pub key: PathBuf,
}

/// The password of the test `.key`.
pub const EFIRMA_PASSWORD: &str = "clave-de-prueba";

impl Efirma {
    /// The e.firma of the person who signs in as `login` (see `common::efirma_of`).
    pub async fn of(app: &TestApp, login: &str) -> Efirma {
        let certificate = efirma_of(app, login).await;
        Efirma::written(login, &certificate, &turno_efirma::testing::KEYS.signer)
    }

    /// The e.firma of `login` as `holder`, with a key of their own (see `common::efirma_for`).
    pub async fn with(
        app: &TestApp,
        login: &str,
        holder: &turno_efirma::testing::Holder<'_>,
        number: &str,
        key: &turno_efirma::authority::PrivateKey,
    ) -> Efirma {
        let certificate = efirma_for(app, login, holder, number, key).await;
        Efirma::written(login, &certificate, key)
    }

    /// `certificate` and `key` (encrypted with [`EFIRMA_PASSWORD`]) written to a folder of
    /// their own, as `{login}.cer` and `{login}.key`.
    fn written(
        login: &str,
        certificate: &x509_cert::Certificate,
        key: &turno_efirma::authority::PrivateKey,
    ) -> Efirma {
        let folder = std::env::temp_dir().join(format!(
            "turno-e2e-efirma-{}-{}",
            std::process::id(),
            unique()
        ));
        std::fs::create_dir_all(&folder).unwrap();
        let cer = folder.join(format!("{login}.cer"));
        let key_file = folder.join(format!("{login}.key"));
        std::fs::write(&cer, certificate.to_der().unwrap()).unwrap();
        std::fs::write(
            &key_file,
            turno_efirma::testing::sat_key_of(key, EFIRMA_PASSWORD),
        )
        .unwrap();
        Efirma {
            folder,
            cer,
            key: key_file,
        }
    }
}

impl Drop for Efirma {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// WebDriver's Enter key.
pub const ENTER: &str = "\u{E007}";

pub struct Session {
    pub client: WebDriver,
    base: String,
    /// Where this journey's screenshots go.
    shots: PathBuf,
    n: u32,
    /// Where the browser saves what is downloaded.
    pub downloads: PathBuf,
    /// The pages checked for accessibility already (`page_kind`).
    checked: HashSet<String>,
    /// The e.firma the person signs with, when the journey's person signs (`signs_with`).
    efirma: Option<Efirma>,
    /// Stops chromedriver when the session ends.
    _driver: Driver,
}

impl Session {
    /// Headless Chromium on `app`, the screenshots of `journey` to `target/e2e/{journey}/`.
    pub async fn start(app: &TestApp, journey: &str) -> Session {
        let driver = driver().await;
        let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/e2e")
            .join(journey);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots).unwrap();
        let downloads = std::env::temp_dir().join(format!(
            "turno-e2e-downloads-{}-{}",
            std::process::id(),
            unique()
        ));
        std::fs::create_dir_all(&downloads).unwrap();
        Session {
            client: browser(&driver, &downloads).await,
            base: app.address.clone(),
            shots,
            n: 0,
            downloads,
            checked: HashSet::new(),
            efirma: None,
            _driver: driver,
        }
    }

    /// A session started as `start` does, signed in as `login` from the sign-in page.
    pub async fn signed_in(app: &TestApp, journey: &str, login: &str) -> Session {
        let mut s = Session::start(app, journey).await;
        s.goto("/acceso").await;
        s.sign_in(login).await;
        s
    }

    /// Types the address of `path`: only a journey's start page is reached this way.
    pub async fn goto(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await;
    }

    /// Types `value` into the field named `name` (the page's first), replacing what it had.
    pub async fn fill(&self, name: &str, value: &str) {
        self.type_into(&format!("[name=\"{name}\"]"), value).await;
    }

    /// Types `text` into the field `css` selects, replacing what it had.
    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.client.find(css).await;
        self.client.clear(&element).await;
        self.client.send_keys(&element, text).await;
    }

    /// Sets the date input named `name` (the page's first) to `value` (`YYYY-MM-DD`), as the
    /// browser's picker would: its typed format is the locale's.
    pub async fn set_date(&self, name: &str, value: &str) {
        self.client
            .execute(&format!(
                "document.querySelector('[name=\"{name}\"]').value = '{value}';"
            ))
            .await;
    }

    /// Chooses the file at `path` in the file input `css`.
    pub async fn choose_file(&self, css: &str, path: &std::path::Path) {
        let input = self.client.find(css).await;
        self.client
            .send_keys(&input, &path.display().to_string())
            .await;
    }

    /// From now on, the activities that ask for an e.firma are signed with `efirma`.
    pub fn signs_with(&mut self, efirma: Efirma) {
        self.efirma = Some(efirma);
    }

    /// When the open activity's form asks for an e.firma (its `fieldset.efirma`), chooses the
    /// person's `.cer` and `.key` and types the password, so that efirma.js signs on submit.
    /// True when it asked.
    pub async fn sign_if_asked(&self) -> bool {
        let fieldset = "article.work form fieldset.efirma";
        if self.client.find_all(fieldset).await.is_empty() {
            return false;
        }
        let efirma = self
            .efirma
            .as_ref()
            .expect("the activity asks for an e.firma: the journey calls `signs_with` first");
        self.choose_file(&format!("{fieldset} input.efirma-cer"), &efirma.cer)
            .await;
        self.choose_file(&format!("{fieldset} input.efirma-key"), &efirma.key)
            .await;
        self.type_into(
            &format!("{fieldset} input.efirma-password"),
            EFIRMA_PASSWORD,
        )
        .await;
        true
    }

    /// Signs the outgoing document the page shows with `efirma` in its e.firma form, with
    /// `password` for the key.
    pub async fn sign_document(&self, efirma: &Efirma, password: &str) {
        self.choose_file("#efirma-cer", &efirma.cer).await;
        self.choose_file("#efirma-key", &efirma.key).await;
        self.type_into("#efirma-password", password).await;
        self.click("form.efirma-form button[type=submit]").await;
    }

    pub async fn click(&self, css: &str) {
        self.client.click_found("css selector", css).await;
    }

    /// Clicks the link (or the button) that reads `text`.
    pub async fn click_text(&self, text: &str) {
        let xpath = format!(
            "//main//*[self::a or self::button or self::summary][normalize-space()='{text}'] \
             | //nav//a[normalize-space()='{text}']"
        );
        self.client.click_found("xpath", &xpath).await;
    }

    /// Chooses the option that reads `option` in the list `select`.
    pub async fn choose(&self, select: &str, option: &str) {
        let option = self
            .client
            .find_xpath(&format!(
                "//select[@name='{select}']/option[normalize-space()='{option}']"
            ))
            .await;
        self.client.click(&option).await;
    }

    /// Submits the page's main form (its first submit button).
    pub async fn submit(&self) {
        self.click("main form button[type=submit]").await;
    }

    pub async fn text(&self) -> String {
        self.client.source().await
    }

    /// The page once it shows `needle` (a submitted form's answer takes a moment to load).
    /// The browser looks for it, so that only the page found crosses over.
    pub async fn wait_for(&self, needle: &str) -> String {
        let script = format!(
            "return document.documentElement.outerHTML.includes({});",
            serde_json::Value::from(needle)
        );
        for _ in 0..100 {
            if self.client.execute(&script).await.as_bool() == Some(true) {
                return self.text().await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page never showed «{needle}»: {}", self.text().await);
    }

    /// A screenshot of the step; then the page's accessibility is checked, once for each kind
    /// of page (the same page of another case, or again, is the same template).
    pub async fn shot(&mut self, name: &str) {
        self.n += 1;
        let png = self.client.screenshot().await;
        std::fs::write(self.shots.join(format!("{:02}-{name}.png", self.n)), png).unwrap();
        if self.checked.insert(self.page_kind().await) {
            super::axe::check(&self.client, name).await;
        }
    }

    /// The page's kind: its address without numbers, folios or keys, its window's width, and
    /// whether it shows an error or a message.
    async fn page_kind(&self) -> String {
        let kind = self
            .client
            .execute(
                "return [location.pathname.split('/').map(p => /[0-9]/.test(p) ? '_' : p).join('/'),
                   window.innerWidth,
                   document.querySelectorAll('.field-error, .flash-error, .flash-ok').length > 0,
                   document.querySelectorAll('article.work').length].join(' ');",
            )
            .await;
        kind.as_str().unwrap().to_owned()
    }

    /// Signs in on the sign-in page the browser shows.
    pub async fn sign_in(&mut self, login: &str) {
        self.wait_for("<h1>Acceso</h1>").await;
        self.fill("login", login).await;
        self.fill("password", PASSWORD).await;
        self.click("form.sign-in button[type=submit]").await;
        self.wait_for("<h1>Mi bandeja</h1>").await;
    }

    pub async fn sign_out(&self) {
        self.click("form.sign-out button[type=submit]").await;
        self.wait_for("<h1>Acceso</h1>").await;
    }

    /// Signs the Secretario Técnico in and opens the informe's registration form.
    pub async fn informe_form(&mut self) {
        self.goto("/acceso").await;
        self.sign_in("secretario").await;
        self.click_text("Registrar asunto").await;
        self.click("ul.procedures a[href='/registrar/sidss-informes-oficiales']")
            .await;
        self.wait_for("Dirección General que informa").await;
    }

    /// Registers an informe titled `title`; returns its folio.
    pub async fn register_informe(&mut self, title: &str) -> String {
        self.fill("asunto", title).await;
        self.fill("tipo_informe", "Informe trimestral").await;
        self.fill("direccion_general", "DGPLADES").await;
        self.submit().await;
        folio_in(&self.wait_for("Acuse de registro").await)
    }

    /// Goes from a registration's acuse to the case it registered.
    pub async fn open_registered(&self, folio: &str) {
        self.click_text("Ver el asunto").await;
        self.wait_for(&format!("<h1>{folio} ·")).await;
    }

    /// The page is no wider than the window: nothing to scroll sideways.
    pub async fn fits(&self, what: &str) {
        let widths = self
            .client
            .execute("return [document.documentElement.scrollWidth, window.innerWidth];")
            .await;
        let (page, window) = (widths[0].as_u64().unwrap(), widths[1].as_u64().unwrap());
        assert!(
            page <= window,
            "{what} is {page} px wide in a {window} px window"
        );
    }
}

/// The folio an acuse or a case page shows.
pub fn folio_in(page: &str) -> String {
    let start =
        page.find("class=\"folio\">").expect("a folio on the page") + "class=\"folio\">".len();
    page[start..start + page[start..].find('<').unwrap()].to_owned()
}
