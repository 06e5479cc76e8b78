//! The accessibility check of every page the journeys photograph: axe-core (vendored in
//! `assets/`, so that no network is needed) for labels, contrast, landmarks, names and
//! tabindex, and a walk with the Tab key for what axe cannot see: that every control the
//! keyboard reaches shows where the focus is.

use crate::webdriver::WebDriver;

/// axe-core, unmodified (`assets/README.md`).
const AXE: &str = include_str!("../assets/axe.min.js");

/// WCAG 2.2 A and AA, and axe's best practices (landmarks, one main, unique landmark names,
/// headings' order, no positive tabindex).
const TAGS: &str =
    "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice']";

/// Fails with every violation axe finds on the page, and every control that takes the focus
/// from the keyboard without showing it.
pub async fn check(client: &WebDriver, page: &str) {
    let script = format!(
        "{AXE}\n;return window.axe.run(document, {{ runOnly: {{ type: 'tag', values: {TAGS} }}, \
         resultTypes: ['violations'] }}).then(r => r.violations.map(v => \
         v.id + ': ' + v.help + '\\n' + v.nodes.map(n => '  ' + n.target.join(' ') + ': ' + \
         n.failureSummary.replace(/\\n/g, ' ')).join('\\n')));"
    );
    let violations = client.execute(&script).await;
    let violations: Vec<&str> = violations
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        violations.is_empty(),
        "accessibility of «{page}» ({}):\n{}",
        client.url().await,
        violations.join("\n")
    );
    focus_is_visible(client, page).await;
}

/// Every control the Tab key reaches, from the top of the page, shows a focus ring (an outline
/// or a shadow) once it has the focus; and the keyboard reaches some control.
async fn focus_is_visible(client: &WebDriver, page: &str) {
    let stops = client
        .execute(
            "document.activeElement && document.activeElement.blur();
             window.scrollTo(0, 0);
             return Math.min(document.querySelectorAll('a[href], button, input:not([type=hidden]), \
               select, textarea, summary, [tabindex]').length, 25);",
        )
        .await
        .as_u64()
        .unwrap() as usize;
    let mut hidden = Vec::new();
    let mut reached = 0;
    for _ in 0..stops {
        client.press(&["\u{E004}"]).await;
        let stop = client
            .execute(
                "const e = document.activeElement;
                 if (!e || e === document.body) return null;
                 const s = getComputedStyle(e);
                 const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                   || s.boxShadow !== 'none';
                 const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                   + ' «' + (e.textContent || e.name || '').trim().slice(0, 40) + '»';
                 return [name, ring];",
            )
            .await;
        if let Some(stop) = stop.as_array() {
            reached += 1;
            if !stop[1].as_bool().unwrap() {
                hidden.push(stop[0].as_str().unwrap().to_owned());
            }
        }
    }
    assert!(
        stops == 0 || reached > 0,
        "the keyboard reaches nothing on «{page}»"
    );
    assert!(
        hidden.is_empty(),
        "on «{page}» the focus is invisible on: {}",
        hidden.join(", ")
    );
    client.execute("window.scrollTo(0, 0);").await;
}
