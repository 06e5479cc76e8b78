//! Just enough of the W3C WebDriver protocol to drive chromedriver from the tests, over the
//! HTTP client the tests already have (a full WebDriver crate would bring a second HTTP stack).

use serde_json::{Value, json};

/// The key WebDriver names an element's id with.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct WebDriver {
    http: reqwest::Client,
    session: String,
}

impl WebDriver {
    /// A new browser session with these capabilities.
    pub async fn start(driver: &str, capabilities: Value) -> WebDriver {
        let http = reqwest::Client::new();
        let answer: Value = http
            .post(format!("{driver}/session"))
            .body(json!({ "capabilities": { "alwaysMatch": capabilities } }).to_string())
            .header("content-type", "application/json")
            .send()
            .await
            .expect("chromedriver answers")
            .text()
            .await
            .map(|text| serde_json::from_str(&text).unwrap())
            .unwrap();
        let id = answer["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("a browser session: {answer}"));
        WebDriver {
            session: format!("{driver}/session/{id}"),
            http,
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.answer(method, path, body)
            .await
            .unwrap_or_else(|(error, message)| panic!("webdriver {path}: {error}: {message}"))
    }

    /// The driver's answer, or its error and message.
    async fn answer(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, (String, Value)> {
        let mut request = self.http.request(method, format!("{}{path}", self.session));
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let text = request.send().await.unwrap().text().await.unwrap();
        let answer: Value = serde_json::from_str(&text).unwrap();
        match answer["value"]["error"].as_str() {
            Some(error) => Err((error.to_owned(), answer["value"]["message"].clone())),
            None => Ok(answer["value"].clone()),
        }
    }

    pub async fn goto(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
    }

    /// The first element that matches a CSS selector.
    pub async fn find(&self, css: &str) -> String {
        self.locate("css selector", css).await
    }

    /// The first element that matches an XPath expression.
    pub async fn find_xpath(&self, xpath: &str) -> String {
        self.locate("xpath", xpath).await
    }

    async fn locate(&self, using: &str, value: &str) -> String {
        let found = self
            .call(
                reqwest::Method::POST,
                "/element",
                Some(json!({ "using": using, "value": value })),
            )
            .await;
        found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("an element {value}: {found}"))
            .to_owned()
    }

    /// Every element that matches a CSS selector, in document order.
    pub async fn find_all(&self, css: &str) -> Vec<String> {
        let found = self
            .call(
                reqwest::Method::POST,
                "/elements",
                Some(json!({ "using": "css selector", "value": css })),
            )
            .await;
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|element| element[ELEMENT].as_str().unwrap().to_owned())
            .collect()
    }

    pub async fn clear(&self, element: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/clear"),
            Some(json!({})),
        )
        .await;
    }

    pub async fn send_keys(&self, element: &str, text: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        )
        .await;
    }

    pub async fn click(&self, element: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/click"),
            Some(json!({})),
        )
        .await;
    }

    /// Finds the element that matches `css` (or, with `xpath`, that XPath) and clicks it; found
    /// again when the page replaced it between the two (a page still settling after a
    /// navigation), a few times at most.
    pub async fn click_found(&self, using: &str, value: &str) {
        for _ in 0..5 {
            let element = self.locate(using, value).await;
            let clicked = self
                .answer(
                    reqwest::Method::POST,
                    &format!("/element/{element}/click"),
                    Some(json!({})),
                )
                .await;
            match clicked {
                Ok(_) => return,
                Err((error, _)) if error == "stale element reference" => {
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err((error, message)) => panic!("webdriver click {value}: {error}: {message}"),
            }
        }
        panic!("webdriver click {value}: the element kept being replaced");
    }

    /// Presses and releases each key in turn (WebDriver key codes, such as `\u{E004}` for Tab)
    /// as a person at the keyboard does, wherever the focus is.
    pub async fn press(&self, keys: &[&str]) {
        let actions: Vec<Value> = keys
            .iter()
            .flat_map(|key| {
                [
                    json!({ "type": "keyDown", "value": key }),
                    json!({ "type": "keyUp", "value": key }),
                ]
            })
            .collect();
        self.call(
            reqwest::Method::POST,
            "/actions",
            Some(json!({ "actions": [{ "type": "key", "id": "teclado", "actions": actions }] })),
        )
        .await;
    }

    /// The browser's Back button.
    pub async fn back(&self) {
        self.call(reqwest::Method::POST, "/back", Some(json!({})))
            .await;
    }

    /// The address the window shows.
    pub async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None)
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The window (tab) the commands go to.
    pub async fn window(&self) -> String {
        self.call(reqwest::Method::GET, "/window", None)
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Opens a new tab and returns its handle (the commands still go to the current one).
    pub async fn new_tab(&self) -> String {
        let opened = self
            .call(
                reqwest::Method::POST,
                "/window/new",
                Some(json!({ "type": "tab" })),
            )
            .await;
        opened["handle"].as_str().unwrap().to_owned()
    }

    /// Sends the commands to the tab `handle`.
    pub async fn switch_to(&self, handle: &str) {
        self.call(
            reqwest::Method::POST,
            "/window",
            Some(json!({ "handle": handle })),
        )
        .await;
    }

    /// The page's HTML as the browser has it now.
    pub async fn source(&self) -> String {
        self.call(reqwest::Method::GET, "/source", None)
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Resizes the window (its outer size, in CSS pixels).
    pub async fn set_window_size(&self, width: u32, height: u32) {
        self.call(
            reqwest::Method::POST,
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        )
        .await;
    }

    /// Runs a script in the page and returns what it returns (what a returned promise
    /// resolves to).
    pub async fn execute(&self, script: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
        .await
    }

    /// A PNG of the window.
    pub async fn screenshot(&self) -> Vec<u8> {
        let encoded = self.call(reqwest::Method::GET, "/screenshot", None).await;
        decode_base64(encoded.as_str().unwrap())
    }

    pub async fn quit(self) {
        self.http.delete(&self.session).send().await.unwrap();
    }
}

/// Standard base64, as WebDriver sends screenshots.
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {}", c as char),
    };
    let digits: Vec<u8> = text
        .bytes()
        .filter(|c| *c != b'=' && !c.is_ascii_whitespace())
        .map(value)
        .collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n =
            chunk.iter().fold(0u32, |acc, d| (acc << 6) | u32::from(*d)) << (6 * (4 - chunk.len()));
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

#[test]
fn base64_decodes() {
    assert_eq!(decode_base64("aG9sYQ=="), b"hola");
    assert_eq!(decode_base64("YWJj"), b"abc");
    assert_eq!(decode_base64("YWI="), b"ab");
}
