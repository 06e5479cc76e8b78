//! The accessibility check of every page the journeys photograph: axe-core (vendored in
//! `assets/`, so that no network is needed) for labels, contrast, landmarks, names, target
//! sizes and tabindex; and, what axe cannot see, that every control shows where the keyboard's
//! focus is.

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

/// Every control that takes the focus shows a focus ring (an outline or a shadow) while it
/// has it, and the keyboard reaches the first. One Tab from the top makes the focus a
/// keyboard's; moved from there by the script, it stays one (`:focus-visible` follows it), so
/// every control is looked at in one call.
async fn focus_is_visible(client: &WebDriver, page: &str) {
    client
        .execute("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
        .await;
    client.press(&["\u{E004}"]).await;
    let found = client
        .execute(
            "const first = document.activeElement;
             if (!first || first === document.body) return null;
             const controls = [...document.querySelectorAll('a[href], button, summary, \
               input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex=\"-1\"])')]
               .filter(e => !e.disabled && e.getClientRects().length > 0);
             const hidden = [];
             for (const e of controls) {
               e.focus();
               if (document.activeElement !== e) continue;
               // tom-select's input shows its focus on the whole control around it.
               const s = getComputedStyle(e.closest('.ts-control') || e);
               const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                 || s.boxShadow !== 'none';
               if (!ring) hidden.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                 + ' «' + (e.textContent || e.name || '').trim().slice(0, 40) + '»');
             }
             document.activeElement.blur();
             window.scrollTo(0, 0);
             return hidden;",
        )
        .await;
    let hidden: Vec<&str> = found
        .as_array()
        .unwrap_or_else(|| panic!("the keyboard reaches nothing on «{page}»"))
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(
        hidden.is_empty(),
        "on «{page}» the focus is invisible on: {}",
        hidden.join(", ")
    );
}
