//! Component tests: the page rendered into real Chromium (wasm-bindgen-test), checked through the
//! test ids of CONTRACT.md §3. Without the CodeMirror bundle the editor is a textarea.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlSelectElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

async fn mount() -> Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<podlab_web::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    root
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

/// Chooses an option of a select, as a user would, and lets the page render.
async fn choose(root: &Element, selector: &str, value: &str) {
    let select: HtmlSelectElement = one(root, selector).dyn_into().unwrap();
    select.set_value(value);
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
}

async fn type_text(root: &Element, text: &str) {
    let area: HtmlTextAreaElement = one(root, "[data-testid=editor]").dyn_into().unwrap();
    area.set_value(text);
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn the_default_example_is_analysed_on_load() {
    let root = mount().await;
    let cards = all(&root, "[data-testid=container-card]");
    let names: Vec<String> = cards
        .iter()
        .map(|c| c.get_attribute("data-container").unwrap())
        .collect();
    assert_eq!(
        names,
        ["log-shipper", "metrics-agent", "config-reloader", "app"]
    );
    assert_eq!(
        cards[0].get_attribute("data-form").as_deref(),
        Some("native-sidecar")
    );
    assert_eq!(
        cards[3].get_attribute("data-pattern").as_deref(),
        Some("app")
    );
    let cpu = one(
        &root,
        "[data-testid=effective-requests] [data-resource=cpu]",
    );
    assert_eq!(cpu.get_attribute("data-milli").as_deref(), Some("800"));
    assert_eq!(
        one(&root, "[data-testid=qos-class]")
            .text_content()
            .as_deref(),
        Some("Burstable")
    );
}

#[wasm_bindgen_test]
async fn typing_a_manifest_updates_the_analysis() {
    let root = mount().await;
    type_text(&root, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    resources:\n      limits: {cpu: 250m, memory: 64Mi}\n").await;
    let cards = all(&root, "[data-testid=container-card]");
    assert_eq!(cards.len(), 1);
    assert_eq!(
        cards[0].get_attribute("data-container").as_deref(),
        Some("web")
    );
    // limits copied into requests by API defaulting: Guaranteed
    assert_eq!(
        one(&root, "[data-testid=qos-class]")
            .text_content()
            .as_deref(),
        Some("Guaranteed")
    );
    let cpu = one(
        &root,
        "[data-testid=effective-requests] [data-resource=cpu]",
    );
    assert_eq!(cpu.get_attribute("data-milli").as_deref(), Some("250"));
}

#[wasm_bindgen_test]
async fn a_parse_error_shows_its_line_and_keeps_the_last_analysis() {
    let root = mount().await;
    type_text(&root, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: [unclosed\n").await;
    let errors = all(&root, "[data-testid=input-error]");
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .get_attribute("data-line")
            .unwrap()
            .parse::<usize>()
            .unwrap()
            >= 8
    );
    // the default example's four cards stay on screen, dimmed
    assert_eq!(all(&root, "[data-testid=container-card]").len(), 4);
    assert!(one(&root, ".results").class_list().contains("stale"));
}

#[wasm_bindgen_test]
async fn an_older_target_version_flags_native_sidecars() {
    let root = mount().await;
    choose(&root, "[data-testid=k8s-version]", "1.28").await;
    let rules: Vec<String> = all(&root, "[data-testid=diagnostic]")
        .iter()
        .map(|d| d.get_attribute("data-rule").unwrap())
        .collect();
    assert_eq!(
        rules
            .iter()
            .filter(|r| *r == "native-sidecar-unsupported")
            .count(),
        3,
        "{rules:?}"
    );
    // before 1.29 sidecars stop together with the main containers: one shutdown stage
    let stop: Vec<Element> = all(&root, "[data-testid=lifecycle-stage][data-phase=shutdown]");
    assert_eq!(stop.len(), 1);
}

#[wasm_bindgen_test]
async fn an_example_from_the_gallery_loads_and_is_analysed() {
    let root = mount().await;
    choose(&root, "[data-testid=example-select]", "job-classic-sidecar").await;
    let d = one(
        &root,
        "[data-testid=diagnostic][data-rule=classic-sidecar-in-job]",
    );
    assert_eq!(d.get_attribute("data-severity").as_deref(), Some("warning"));
}

#[wasm_bindgen_test]
async fn the_job_scenario_shows_why_a_classic_helper_never_completes() {
    let root = mount().await;
    choose(&root, "[data-testid=example-select]", "job-classic-sidecar").await;
    choose(&root, "[data-testid=lifecycle-scenario]", "job-completes").await;
    let outcome = one(&root, "[data-testid=scenario-outcome]")
        .text_content()
        .unwrap();
    assert!(outcome.starts_with("Running forever"), "{outcome}");
}

#[wasm_bindgen_test]
async fn choosing_a_pattern_overrides_the_detected_one() {
    let root = mount().await;
    let card = one(
        &root,
        "[data-testid=container-card][data-container=config-reloader]",
    );
    assert_eq!(
        card.get_attribute("data-pattern").as_deref(),
        Some("sidecar")
    );
    let select: HtmlSelectElement = card
        .query_selector("select")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    select.set_value("ambassador");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
    let card = one(
        &root,
        "[data-testid=container-card][data-container=config-reloader]",
    );
    assert_eq!(
        card.get_attribute("data-pattern").as_deref(),
        Some("ambassador")
    );
}
