//! A case moved out of the working tables (`turno_app::archive_move`) on both backends: its
//! folio still opens its page and `GET /api/v1/cases/{folio}`, read-only and saying it is in
//! the archive; acting on it is refused; no inbox lists it; `turno verify` stays clean.

use crate::common::{Api, TestApp, efirma_of};
use jiff::civil::date;
use turno_domain::archive::{Chart, Fondo, List, Location, Move, Serie, Terms};
use turno_store::archive::{Archive, NewExpediente, Subject};
use turno_store::{MovedCases, Store};

/// An informe registered by the secretario and carried to its end (5.2), through the pages.
async fn ended_report(app: &TestApp) -> String {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    for outcome in [None, None, Some("Sí"), None] {
        assert_eq!(secretario.act(&folio, outcome, &[]).await.status(), 303);
    }
    let asesor = app.signed_in("asesor").await;
    let certificate = efirma_of(app, "asesor").await;
    let signed = asesor.act_signed(&folio, Some("Sí"), &certificate).await;
    assert_eq!(signed.status(), 303);
    let sent = secretario
        .act(&folio, None, &[("medio_envio", "Oficio")])
        .await;
    assert_eq!(sent.status(), 303);
    assert_eq!(secretario.act(&folio, None, &[]).await.status(), 303);
    folio
}

/// `folio` classified into an expediente that a transferencia primaria took to concentración.
async fn transferred(app: &TestApp, folio: &str) {
    let store = &app.store;
    let chart = Chart {
        fondo: Fondo {
            code: "SS".into(),
            name: "Secretaría de Salud".into(),
        },
        sections: vec![turno_domain::archive::Section {
            code: "SIDSS".into(),
            name: "Informes oficiales".into(),
        }],
        series: vec![Serie {
            code: "SIDSS.1".into(),
            name: "Informes".into(),
            section: "SIDSS".into(),
            parent: None,
            keeper: "ST".into(),
            terms: Some(Terms {
                administrative: 2,
                legal: 0,
                accounting: 0,
                tramite: 1,
                concentracion: 1,
            }),
            destination: turno_domain::archive::Destination::Baja,
            access: turno_domain::archive::Access::Publica,
            procedure: None,
        }],
    };
    store.save_chart(&chart, "archivista").await.unwrap();
    let expediente = NewExpediente {
        number: "EXP-2020-1".into(),
        serie: "SIDSS.1".into(),
        title: "Informes".into(),
        opened_on: date(2020, 1, 2),
    };
    let id = store
        .open_expediente(&expediente, "archivista")
        .await
        .unwrap();
    store
        .classify(&Subject::Case(folio.to_owned()), id, "archivista")
        .await
        .unwrap();
    store
        .close_expediente(id, date(2020, 12, 31), "archivista")
        .await
        .unwrap();
    let list = List::new("TP-2026-1".into(), Move::Primaria, vec![id]).unwrap();
    let list = store.create_list(&list, "archivista").await.unwrap();
    store
        .approve_list(list, "coordinadora", "2026-01-04T10:00:00Z")
        .await
        .unwrap();
    store
        .execute_list(list, "archivista", "2026-01-05T10:00:00Z")
        .await
        .unwrap();
}

async fn a_moved_case_is_still_read_by_its_folio_and_nothing_acts_on_it(app: TestApp) {
    let folio = ended_report(&app).await;
    let api = Api::of(&app, "secretario").await;
    let (status, before) = api.get(&format!("/api/v1/cases/{folio}")).await;
    assert_eq!(status, 200, "{before}");
    assert_eq!(before["archived"], false);

    transferred(&app, &folio).await;
    let due = app
        .store
        .closed_in(&[Location::Concentracion, Location::Historico], 10)
        .await
        .unwrap();
    assert_eq!(due, std::slice::from_ref(&folio));
    let moved = app
        .store
        .move_cases(&due, "archivista", "2026-01-06T10:00:00Z")
        .await
        .unwrap();
    assert_eq!(moved.cases, 1);
    assert!(app.store.find_current(&folio).await.unwrap().is_none());

    // The API answers the same case, its whole record, saying it is in the archive.
    let (status, after) = api.get(&format!("/api/v1/cases/{folio}")).await;
    assert_eq!(status, 200, "{after}");
    assert_eq!(after["archived"], true);
    assert_eq!(after["status"], "ended");
    assert_eq!(after["events"], before["events"]);
    assert_eq!(after["version"], before["version"]);

    // The page too, read-only.
    let secretario = app.signed_in("secretario").await;
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(page.contains("id=\"en-archivo\""), "{page}");
    assert!(page.contains("concluido") && page.contains("TERMINA PROCEDIMIENTO"));
    assert!(!page.contains(&format!("/asuntos/{folio}/acuse")));
    assert!(!secretario.text("/bandeja").await.contains(&folio));
    // Still seen only by the units it was turned to.
    let other = Api::of(&app, "ajeno").await;
    assert_eq!(other.get(&format!("/api/v1/cases/{folio}")).await.0, 403);

    // Nothing acts on it: the acuse, which reads it from the working tables, is refused.
    let acuse = secretario.get(&format!("/asuntos/{folio}/acuse")).await;
    assert!(acuse.status().is_client_error(), "{}", acuse.status());

    let report = app.store.verify().await.unwrap();
    assert_eq!(report.breaks, []);
}

on_both_backends! {
    a_moved_case_is_still_read_by_its_folio_and_nothing_acts_on_it,
}
