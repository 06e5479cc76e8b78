//! No way in (issue 16): where a sign-in sends the browser, how many passwords a login and an
//! address may try (counted before any is checked, also when they arrive at once), that
//! nobody signed in writes a session, that the last administrator stays one, and that a
//! deactivation ends a web session on its next request.

use crate::common::{PASSWORD, TestApp, expect_says, says};
use turno_store::{Refusal, Role, Store, StoreError};

/// The answer to a sign-in form sent with `next`.
async fn signing_in_with_next(app: &TestApp, next: &str) -> reqwest::Response {
    let browser = app.browser();
    let csrf = browser.csrf("/acceso").await;
    browser
        .post(
            "/acceso",
            &[
                ("csrf", csrf.as_str()),
                ("login", "secretario"),
                ("password", PASSWORD),
                ("next", next),
            ],
        )
        .await
}

async fn a_sign_in_goes_back_only_to_this_site(app: TestApp) {
    for (next, location) in [
        ("/buscar?q=informe", "/buscar?q=informe"),
        ("/\t/evil.example", "/"),
        ("/\r/evil.example", "/"),
        ("/\n/evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("/%2F/evil.example", "/"),
        ("https://evil.example/", "/"),
    ] {
        let answer = signing_in_with_next(&app, next).await;
        assert_eq!(answer.status(), 303, "{next:?}");
        assert_eq!(answer.headers()["location"], location, "{next:?}");
    }
}

/// How the server answered one wrong password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// The password was checked (and found wrong).
    Checked,
    /// The attempt was counted, but no password check was free within the wait (429).
    Busy,
    /// Refused before any check: too many attempts (429).
    Throttled,
}

/// `count` wrong passwords sent at once, for the logins `login(i)`, from one address: how each
/// was answered.
async fn wrong_passwords_at_once(
    app: &TestApp,
    count: usize,
    login: impl Fn(usize) -> String,
) -> Vec<Answer> {
    let browser = app.browser();
    let csrf = browser.csrf("/acceso").await;
    let mut sent = tokio::task::JoinSet::new();
    for i in 0..count {
        let (client, url) = (browser.client.clone(), format!("{}/acceso", app.address));
        let form = [
            ("csrf", csrf.clone()),
            ("login", login(i)),
            ("password", "no es la contraseña".to_owned()),
            ("next", String::new()),
        ];
        sent.spawn(async move {
            let response = client.post(url).form(&form).send().await.unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            match status {
                200 => Answer::Checked,
                429 if text.contains("Muchas personas están entrando") => Answer::Busy,
                429 => Answer::Throttled,
                other => panic!("answered {other}: {text}"),
            }
        });
    }
    sent.join_all().await
}

/// How many attempts were counted (checked, or counted and left waiting for a check) and how
/// many of them were checked.
fn counted(answers: &[Answer]) -> (usize, usize) {
    let checked = answers.iter().filter(|a| **a == Answer::Checked).count();
    let busy = answers.iter().filter(|a| **a == Answer::Busy).count();
    (checked + busy, checked)
}

async fn one_login_tried_at_once_is_checked_three_times(app: TestApp) {
    // On a busy machine a counted attempt may wait too long for its check (429 «busy»): it
    // still counts. The address's own limit (ten) counts the same requests in another order,
    // so one of the login's three may be refused by it: at most three are checked.
    let answers = wrong_passwords_at_once(&app, 40, |_| "asesor".to_owned()).await;
    let (attempts, checked) = counted(&answers);
    assert!((1..=3).contains(&attempts), "{answers:?}");
    assert!(checked >= 1, "{answers:?}");
    // Even the right password waits now, and is told so.
    let browser = app.browser();
    let page = browser.sign_in("asesor", PASSWORD).await;
    assert_eq!(page.status(), 429);
    assert!(page.headers().contains_key("retry-after"));
    let text = page.text().await.unwrap();
    says(&text, &["Demasiados intentos fallidos"]);
    assert!(text.contains("value=\"asesor\""), "the login typed is kept");
}

async fn one_address_trying_many_logins_is_checked_ten_times(app: TestApp) {
    let answers = wrong_passwords_at_once(&app, 30, |i| format!("nadie{i}")).await;
    let (attempts, checked) = counted(&answers);
    assert_eq!(attempts, 10, "{answers:?}");
    assert!(checked >= 1, "{answers:?}");
    // The address waits for any login, even a right one.
    let refused = app.browser().sign_in("secretario", PASSWORD).await;
    assert_eq!(refused.status(), 429);
}

async fn right_passwords_do_not_count(app: TestApp) {
    for _ in 0..12 {
        app.signed_in("secretario").await;
    }
    let browser = app.browser();
    for _ in 0..2 {
        assert_eq!(browser.sign_in("secretario", "mal").await.status(), 200);
    }
    assert_eq!(browser.sign_in("secretario", PASSWORD).await.status(), 303);
}

/// Every session stored (removing them all: the test's last look).
async fn sessions_stored(app: &TestApp) -> u64 {
    app.store.delete_expired_sessions(i64::MAX).await.unwrap()
}

async fn nobody_signed_in_writes_a_session(app: TestApp) {
    let browser = app.browser();
    for path in [
        "/acceso",
        "/atencion",
        "/acceso?next=/bandeja",
        "/no-existe",
    ] {
        browser.get(path).await;
    }
    assert_eq!(browser.get("/bandeja").await.status(), 303);
    let wrong = browser.sign_in("secretario", "mal").await;
    assert_eq!(wrong.status(), 200);
    assert_eq!(
        sessions_stored(&app).await,
        0,
        "no session without a sign-in"
    );

    // The sign-in form's token needs no session, and one is stored when a person signs in.
    let browser = app.signed_in("secretario").await;
    assert_eq!(browser.get("/bandeja").await.status(), 200);
    assert_eq!(sessions_stored(&app).await, 1);

    // A token that is not the cookie's is refused.
    let stranger = app.browser();
    stranger.csrf("/acceso").await;
    let forged = stranger
        .post(
            "/acceso",
            &[
                ("csrf", "0".repeat(64).as_str()),
                ("login", "secretario"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(forged.status(), 400);
}

async fn the_last_administrator_stays_one(app: TestApp) {
    let role = serde_json::json!({"unit": "OTRA-UNIDAD", "role": "administrador"});
    let path = "/api/v1/people/admin/roles";
    let revoke = app
        .api("admin", reqwest::Method::DELETE, path, Some(&role))
        .await;
    assert_eq!(revoke.status(), 409);
    let body: serde_json::Value = revoke.json().await.unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("última persona administradora"),
        "{body}"
    );

    // On the page, next to the person.
    let browser = app.signed_in("admin").await;
    let csrf = browser.csrf("/admin/personas").await;
    let page = browser
        .post(
            "/admin/personas/papeles/quitar",
            &[
                ("csrf", csrf.as_str()),
                ("login", "admin"),
                ("unidad", "OTRA-UNIDAD"),
                ("papel", "administrador"),
            ],
        )
        .await;
    expect_says(page, 409, &["última persona administradora"]).await;
    let admin = app
        .store
        .user_by_login("admin")
        .await
        .unwrap()
        .unwrap()
        .user;
    let roles = app.store.memberships(admin.id).await.unwrap();
    assert!(roles.iter().any(|m| m.role == Role::Administrador));

    // Another administrator, and both demoted at once: one of the two stays.
    app.add_person("segunda", "OTRA-UNIDAD", Role::Administrador, None)
        .await;
    let second = app
        .store
        .user_by_login("segunda")
        .await
        .unwrap()
        .unwrap()
        .user;
    let (first, other) = tokio::join!(
        app.store
            .remove_membership(admin.id, "OTRA-UNIDAD", Role::Administrador, "prueba"),
        app.store
            .remove_membership(second.id, "OTRA-UNIDAD", Role::Administrador, "prueba"),
    );
    let refused = |r: &Result<bool, StoreError>| {
        matches!(r, Err(StoreError::Refused(Refusal::LastAdministrator)))
    };
    assert!(
        (first.as_ref().is_ok_and(|r| *r) && refused(&other))
            || (other.as_ref().is_ok_and(|r| *r) && refused(&first)),
        "{first:?} {other:?}"
    );
    // Whoever is left cannot be deactivated either, by the API or on the page.
    let left_id = if refused(&first) { admin.id } else { second.id };
    assert!(matches!(
        app.store
            .set_user_status(left_id, turno_store::UserStatus::Inactive, "prueba")
            .await,
        Err(StoreError::Refused(Refusal::LastAdministrator))
    ));
    assert!(app.store.user(left_id).await.unwrap().unwrap().active);
}

async fn a_deactivation_through_the_page_ends_the_next_request(app: TestApp) {
    app.add_person("saliente", "SIDSS-ST", Role::Titular, None)
        .await;
    let leaving = app.signed_in("saliente").await;
    assert_eq!(leaving.get("/bandeja").await.status(), 200);
    let admin = app.signed_in("admin").await;
    let csrf = admin.csrf("/admin/personas").await;
    let done = admin
        .post(
            "/admin/personas/estado",
            &[
                ("csrf", csrf.as_str()),
                ("login", "saliente"),
                ("activa", "no"),
            ],
        )
        .await;
    assert_eq!(done.status(), 303);
    let next = leaving.get("/bandeja").await;
    assert_eq!(next.status(), 303, "the very next request");
    assert!(
        next.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/acceso")
    );
}

on_both_backends! {
    a_sign_in_goes_back_only_to_this_site,
    one_login_tried_at_once_is_checked_three_times,
    one_address_trying_many_logins_is_checked_ten_times,
    right_passwords_do_not_count,
    nobody_signed_in_writes_a_session,
    the_last_administrator_stays_one,
    a_deactivation_through_the_page_ends_the_next_request,
}
