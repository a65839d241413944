//! Component tests: the page rendered into real Chromium (wasm-bindgen-test), checked through the
//! test ids of CONTRACT.md §3. Without the CodeMirror bundle the editor is a textarea.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlSelectElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

async fn mount() -> Element {
    // Every test starts from a page without a link in its address: a test that walks a deck
    // leaves one behind, and the page opens whatever link the address carries.
    let window = web_sys::window().unwrap();
    let path = window.location().pathname().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
        .unwrap();
    let doc = window.document().unwrap();
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
async fn the_totals_say_one_replica_and_several_replicas() {
    let root = mount().await;
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    resources:\n      requests: {cpu: 250m}\n";
    type_text(&root, pod).await;
    assert_eq!(
        one(&root, ".totals p").text_content().as_deref(),
        Some("× 1 replica: requests cpu 250m; limits none")
    );
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        resources:\n          requests: {cpu: 250m}\n";
    type_text(&root, deployment).await;
    assert_eq!(
        one(&root, ".totals p").text_content().as_deref(),
        Some("× 3 replicas: requests cpu 750m; limits none")
    );
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
    assert!(outcome.starts_with("Running for ever"), "{outcome}");
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

async fn click(root: &Element, selector: &str) {
    one(root, selector)
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .click();
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
fn every_lesson_of_the_built_in_workshop_analyses_and_its_notes_name_real_containers() {
    let deck = podlab_web::workshop::deck();
    assert!(deck.lessons.len() >= 8);
    assert!(deck.lessons.iter().any(|l| l.quiz));
    for l in &deck.lessons {
        let a = podlab_engine::analyze_text("lesson.yaml", &l.manifest, &Default::default());
        assert!(a.errors.is_empty(), "{}: {:?}", l.title, a.errors);
        let w = &a.workloads[0];
        for n in &l.notes {
            let c = n
                .container
                .as_deref()
                .expect("workshop notes attach to containers");
            assert!(
                w.containers.iter().any(|x| x.name == c),
                "{}: no container {c}",
                l.title
            );
        }
        assert!(!l.text.is_empty(), "{} has no text", l.title);
    }
}

#[wasm_bindgen_test]
async fn the_workshop_quiz_hides_the_answers_until_checked_and_scores_them() {
    let root = mount().await;
    click(&root, "[data-testid=workshop-open]").await;
    assert_eq!(
        one(&root, "[data-testid=lesson-position]")
            .text_content()
            .as_deref(),
        Some("Lesson 1 of 10")
    );
    // Before checking, nothing gives the patterns away.
    assert!(all(&root, "[data-testid=container-card]").is_empty());
    assert!(all(&root, "[data-testid=diagnostic]").is_empty());
    let items = all(&root, "[data-testid=quiz-item]");
    assert_eq!(items.len(), 3);
    choose(&root, "[data-container=wait-for-db] select", "init").await;
    choose(&root, "[data-container=migrate] select", "native-sidecar").await;
    choose(&root, "[data-container=orders] select", "app").await;
    click(&root, "[data-container=orders] [data-testid=quiz-hint]").await;
    assert_eq!(
        all(&root, "[data-container=orders] [data-testid=hint]").len(),
        1
    );
    click(&root, "[data-testid=quiz-check]").await;
    let score = one(&root, "[data-testid=quiz-score]");
    assert_eq!(score.get_attribute("data-right").as_deref(), Some("2"));
    assert_eq!(score.get_attribute("data-total").as_deref(), Some("3"));
    assert_eq!(
        one(&root, "[data-container=migrate][data-testid=quiz-item]")
            .get_attribute("data-verdict")
            .as_deref(),
        Some("wrong")
    );
    // Checked: the analysis shows, with the lesson's notes on their containers.
    assert_eq!(all(&root, "[data-testid=container-card]").len(), 3);
    assert!(!all(&root, "[data-container=migrate] [data-testid=card-note]").is_empty());

    // Lesson 3 is the native sidecar: a classic-sidecar answer counts too.
    click(&root, "[data-testid=lesson-next]").await;
    click(&root, "[data-testid=lesson-next]").await;
    choose(
        &root,
        "[data-container=log-shipper] select",
        "classic-sidecar",
    )
    .await;
    click(&root, "[data-testid=quiz-check]").await;
    assert_eq!(
        one(&root, "[data-container=log-shipper][data-testid=quiz-item]")
            .get_attribute("data-verdict")
            .as_deref(),
        Some("right")
    );
}

#[wasm_bindgen_test]
async fn the_presenter_view_reveals_the_analysis_one_section_at_a_time() {
    let root = mount().await;
    click(&root, "[data-testid=workshop-open]").await;
    // Lesson 6 has no quiz.
    for _ in 0..5 {
        click(&root, "[data-testid=lesson-next]").await;
    }
    click(&root, "[data-testid=present-toggle]").await;
    assert!(one(&root, "[data-testid=app]")
        .class_list()
        .contains("presenting"));
    assert!(all(&root, "[data-testid=container-card]").is_empty());
    click(&root, "[data-testid=reveal-next]").await;
    assert!(!all(&root, "[data-testid=container-card]").is_empty());
    assert!(all(&root, "[data-testid=effective-requests]").is_empty());
    click(&root, "[data-testid=reveal-next]").await;
    let cpu = one(
        &root,
        "[data-testid=effective-requests] [data-resource=cpu]",
    );
    assert_eq!(cpu.get_attribute("data-milli").as_deref(), Some("1200"));
    click(&root, "[data-testid=reveal-next]").await;
    click(&root, "[data-testid=reveal-next]").await;
    // Everything shown: the next step is the next lesson.
    click(&root, "[data-testid=reveal-next]").await;
    assert_eq!(
        one(&root, "[data-testid=lesson-position]")
            .text_content()
            .as_deref(),
        Some("Lesson 7 of 10")
    );
    assert!(all(&root, "[data-testid=container-card]").is_empty());
}

#[wasm_bindgen_test]
async fn notes_attach_to_containers_and_can_be_edited() {
    let root = mount().await;
    choose(&root, "[data-testid=note-target]", "metrics-agent").await;
    let text: web_sys::HtmlInputElement = one(&root, "[data-testid=note-text]").dyn_into().unwrap();
    text.set_value("scrapes the app");
    click(&root, "[data-testid=add-note]").await;
    let note = one(&root, "[data-testid=note]");
    assert_eq!(
        note.get_attribute("data-container").as_deref(),
        Some("metrics-agent")
    );
    assert_eq!(note.get_attribute("data-line").as_deref(), Some(""));
    assert_eq!(
        one(
            &root,
            "[data-container=metrics-agent] [data-testid=card-note]"
        )
        .text_content()
        .as_deref(),
        Some("✎ scrapes the app")
    );
    click(&root, "[data-testid=note-edit]").await;
    let edit: web_sys::HtmlInputElement = one(&root, "[data-testid=note-edit-text]")
        .dyn_into()
        .unwrap();
    edit.set_value("scrapes the app every 15 s");
    edit.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
    click(&root, "[data-testid=note-save]").await;
    assert!(one(&root, "[data-testid=note]")
        .text_content()
        .unwrap()
        .contains("every 15 s"));
}

#[wasm_bindgen_test]
async fn redacting_before_sharing_keeps_the_notes() {
    let root = mount().await;
    type_text(
        &root,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n    env:\n    - name: API_TOKEN\n      value: s3cr3t\n",
    )
    .await;
    let line: web_sys::HtmlInputElement = one(&root, "[data-testid=note-line]").dyn_into().unwrap();
    line.set_value("9");
    let text: web_sys::HtmlInputElement = one(&root, "[data-testid=note-text]").dyn_into().unwrap();
    text.set_value("the token comes from a Secret in production");
    click(&root, "[data-testid=add-note]").await;
    click(&root, "[data-testid=share-button]").await;
    assert!(one(&root, "[data-testid=secrets-warning]")
        .text_content()
        .unwrap()
        .contains("line 10"));
    click(&root, "[data-testid=redact-and-share]").await;
    let area: HtmlTextAreaElement = one(&root, "[data-testid=editor]").dyn_into().unwrap();
    assert!(!area.value().contains("s3cr3t"), "{}", area.value());
    assert_eq!(all(&root, "[data-testid=note]").len(), 1);
    let link: web_sys::HtmlInputElement = one(&root, "[data-testid=share-url]").dyn_into().unwrap();
    let p = podlab_engine::share::decode(&link.value()).unwrap();
    assert!(!p.manifest.contains("s3cr3t"));
    assert_eq!(p.notes.len(), 1);
    // Sharing the redacted text again warns of nothing: `value: "REDACTED"` is no secret.
    click(&root, "[data-testid=share-button]").await;
    assert!(all(&root, "[data-testid=secrets-warning]").is_empty());
    assert!(!all(&root, "[data-testid=share-url]").is_empty());
}

async fn input(root: &Element, selector: &str, value: &str) {
    let el: web_sys::HtmlInputElement = one(root, selector).dyn_into().unwrap();
    el.set_value(value);
    el.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn an_instructor_builds_a_deck_and_its_link_carries_every_lesson() {
    let root = mount().await;
    click(&root, "[data-testid=deck-new]").await;
    assert_eq!(
        one(&root, "[data-testid=lesson-position]")
            .text_content()
            .as_deref(),
        Some("Lesson 1 of 1")
    );
    input(
        &root,
        "[data-testid=deck-title]",
        "Sidecars for the platform team",
    )
    .await;
    input(
        &root,
        "[data-testid=lesson-title-input]",
        "Three native sidecars",
    )
    .await;
    click(&root, "[data-testid=lesson-add]").await;
    assert_eq!(
        one(&root, "[data-testid=lesson-position]")
            .text_content()
            .as_deref(),
        Some("Lesson 2 of 2")
    );
    input(&root, "[data-testid=lesson-title-input]", "A Job").await;
    type_text(
        &root,
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: report}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - {name: report, image: 'example/report:1'}\n",
    )
    .await;
    one(&root, "[data-testid=lesson-quiz]")
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .click();
    yew::scheduler::flush().await;
    assert_eq!(all(&root, "[data-testid=quiz-item]").len(), 1);
    // Leaving a lesson keeps its edits; each lesson keeps its own manifest.
    click(&root, "[data-testid=lesson-prev]").await;
    assert_eq!(all(&root, "[data-testid=container-card]").len(), 4);
    click(&root, "[data-testid=lesson-next]").await;
    assert_eq!(all(&root, "[data-testid=quiz-item]").len(), 1);
    click(&root, "[data-testid=lesson-up]").await;
    assert_eq!(
        one(&root, "[data-testid=lesson-position]")
            .text_content()
            .as_deref(),
        Some("Lesson 1 of 2")
    );
    click(&root, "[data-testid=share-button]").await;
    let link: web_sys::HtmlInputElement = one(&root, "[data-testid=share-url]").dyn_into().unwrap();
    let p = podlab_engine::share::decode(&link.value()).unwrap();
    let deck = p.deck.unwrap();
    assert_eq!(deck.title, "Sidecars for the platform team");
    let titles: Vec<&str> = deck.lessons.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(titles, ["A Job", "Three native sidecars"]);
    assert!(deck.lessons[0].quiz && deck.lessons[0].manifest.contains("kind: Job"));
    assert!(deck.lessons[1].manifest.contains("log-shipper"));
    click(&root, "[data-testid=lesson-remove]").await;
    assert_eq!(
        one(&root, "[data-testid=lesson-position]")
            .text_content()
            .as_deref(),
        Some("Lesson 1 of 1")
    );
    assert_eq!(
        one(&root, "[data-testid=lesson-title]")
            .text_content()
            .as_deref(),
        Some("Three native sidecars")
    );
}

/// Container names a user can paste (invalid in Kubernetes, but the page renders whatever
/// arrives): other scripts, joined emoji, combining marks, a right-to-left override, markup,
/// and a very long name. Each long enough that a lane label is cut inside a character.
fn hostile_names() -> Vec<(&'static str, String)> {
    vec![
        ("cyrillic", "приложение-основное-длинное".to_string()),
        ("cjk", "应用程序容器名称很长的一个名字啊".to_string()),
        ("arabic", "حاوية-التطبيق-الرئيسية-الطويلة".to_string()),
        (
            "emoji-zwj",
            "👩\u{200d}👩\u{200d}👧\u{200d}👦-family-👨\u{200d}💻-🏳\u{fe0f}\u{200d}🌈".to_string(),
        ),
        (
            "combining",
            "z\u{335}\u{321}a\u{336}l\u{337}g\u{338}o\u{335}-c\u{301}\u{302}\u{303}ombining"
                .to_string(),
        ),
        (
            "rtl-override",
            "\u{202e}reniatnoc-live-edisrever".to_string(),
        ),
        ("markup", "<img src=x onerror=alert(1)>".to_string()),
        ("long", "ж".repeat(5000)),
    ]
}

/// A Pod with a native sidecar and an app named after `name`, with requests so every section
/// of the analysis has something to draw.
fn hostile_pod(name: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  initContainers:\n  - name: \"{name}\"\n    image: example/agent:1\n    restartPolicy: Always\n    resources: {{requests: {{cpu: 100m, memory: 64Mi}}}}\n  containers:\n  - name: \"{name}-2\"\n    image: example/app:1\n    resources: {{requests: {{cpu: 200m, memory: 128Mi}}}}\n"
    )
}

fn text_of(root: &Element, selector: &str) -> String {
    all(root, selector)
        .iter()
        .filter_map(|e| e.text_content())
        .collect()
}

async fn every_part_renders_a_hostile_name(label: &str, name: &str) {
    let root = mount().await;
    type_text(&root, &hostile_pod(name)).await;
    let second = format!("{name}-2");
    // Cards: the names as given, as attributes and as text.
    let cards: Vec<String> = all(&root, "[data-testid=container-card]")
        .iter()
        .filter_map(|c| c.get_attribute("data-container"))
        .collect();
    assert_eq!(cards, [name, second.as_str()], "{label}: cards");
    assert!(
        text_of(&root, "[data-testid=container-card]").contains(name),
        "{label}: card text"
    );
    // Resources, lifecycle lanes (cut to a label, whole in the tooltip), findings, cheat sheet.
    assert_eq!(
        one(
            &root,
            "[data-testid=effective-requests] [data-resource=cpu]"
        )
        .get_attribute("data-milli")
        .as_deref(),
        Some("300"),
        "{label}: resources"
    );
    let lanes = all(&root, "[data-testid=lifecycle] .lane-label");
    assert_eq!(lanes.len(), 2, "{label}: lanes");
    let first_chars: String = name.chars().take(10).collect();
    assert!(
        lanes[0]
            .text_content()
            .unwrap_or_default()
            .contains(&first_chars),
        "{label}: lane label"
    );
    assert!(all(&root, "#findings-h").len() == 1, "{label}: findings");
    assert!(
        text_of(&root, ".cheatsheet code").contains(name),
        "{label}: cheat sheet"
    );
    // Notes can attach to it.
    let options: Vec<String> = all(&root, "[data-testid=note-target] option")
        .iter()
        .filter_map(|o| o.get_attribute("value"))
        .collect();
    assert!(options.iter().any(|o| o == name), "{label}: note targets");
    // The presenter reveals every section with it.
    click(&root, "[data-testid=deck-new]").await;
    click(&root, "[data-testid=present-toggle]").await;
    for _ in 0..4 {
        click(&root, "[data-testid=reveal-next]").await;
    }
    assert_eq!(
        all(&root, "[data-testid=container-card]").len(),
        2,
        "{label}: presenter"
    );
    assert_eq!(all(&root, "[data-testid=lifecycle] .lane-label").len(), 2);
    click(&root, "[data-testid=present-toggle]").await;
    // The quiz names it.
    click(&root, "[data-testid=lesson-quiz]").await;
    let quizzed: Vec<String> = all(&root, "[data-testid=quiz-item]")
        .iter()
        .filter_map(|c| c.get_attribute("data-container"))
        .collect();
    assert_eq!(quizzed, [name, second.as_str()], "{label}: quiz");
    assert!(text_of(&root, "[data-testid=quiz]").contains(name));
    // Markup in a name stays text: nothing it spells becomes an element.
    assert!(
        root.query_selector("img").unwrap().is_none(),
        "{label}: markup injected"
    );
    // And the page goes on analysing the next manifest.
    click(&root, "[data-testid=deck-close]").await;
    type_text(
        &root,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  containers:\n  - {name: next, image: 'example/next:1'}\n",
    )
    .await;
    let after: Vec<String> = all(&root, "[data-testid=container-card]")
        .iter()
        .filter_map(|c| c.get_attribute("data-container"))
        .collect();
    assert_eq!(after, ["next"], "{label}: the next manifest");
}

#[wasm_bindgen_test]
async fn a_cyrillic_name_renders_everywhere() {
    let (label, name) = &hostile_names()[0];
    every_part_renders_a_hostile_name(label, name).await;
}

#[wasm_bindgen_test]
async fn a_chinese_name_renders_everywhere() {
    let (label, name) = &hostile_names()[1];
    every_part_renders_a_hostile_name(label, name).await;
}

#[wasm_bindgen_test]
async fn an_arabic_name_renders_everywhere() {
    let (label, name) = &hostile_names()[2];
    every_part_renders_a_hostile_name(label, name).await;
}

#[wasm_bindgen_test]
async fn an_emoji_name_with_joiners_renders_everywhere() {
    let (label, name) = &hostile_names()[3];
    every_part_renders_a_hostile_name(label, name).await;
}

#[wasm_bindgen_test]
async fn a_name_with_combining_marks_renders_everywhere() {
    let (label, name) = &hostile_names()[4];
    every_part_renders_a_hostile_name(label, name).await;
}

#[wasm_bindgen_test]
async fn a_name_with_a_right_to_left_override_renders_everywhere() {
    let (label, name) = &hostile_names()[5];
    every_part_renders_a_hostile_name(label, name).await;
}

#[wasm_bindgen_test]
async fn a_name_written_as_markup_renders_as_text() {
    let (label, name) = &hostile_names()[6];
    every_part_renders_a_hostile_name(label, name).await;
}

#[wasm_bindgen_test]
async fn a_name_of_5000_characters_renders_everywhere() {
    let (label, name) = &hostile_names()[7];
    every_part_renders_a_hostile_name(label, name).await;
}

#[wasm_bindgen_test]
async fn the_longest_grace_period_draws_a_dozen_ticks() {
    let root = mount().await;
    type_text(
        &root,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  terminationGracePeriodSeconds: 9223372036854775807\n  containers:\n  - {name: app, image: 'example/app:1'}\n",
    )
    .await;
    let ticks = all(&root, "[data-testid=lifecycle] .tick").len();
    assert!((2..=13).contains(&ticks), "{ticks} ticks");
}

#[wasm_bindgen_test]
fn the_bug_message_is_text_with_a_reload_that_keeps_the_manifest() {
    let doc = web_sys::window().unwrap().document().unwrap();
    podlab_web::rescue::show("index out of bounds <img src=x onerror=alert(1)>", true);
    let crash = doc.query_selector("[data-testid=crash]").unwrap().unwrap();
    assert_eq!(crash.get_attribute("role").as_deref(), Some("alert"));
    assert!(crash.text_content().unwrap().contains("<img src=x"));
    assert!(crash.query_selector("img").unwrap().is_none());
    let reload = one(&crash, "[data-testid=crash-reload]");
    assert_eq!(reload.get_attribute("href").as_deref(), Some("?rescue"));
    assert_eq!(doc.active_element(), Some(reload));
    crash.remove();
    // Without a kept manifest the link starts afresh.
    podlab_web::rescue::show("boom", false);
    let crash = doc.query_selector("[data-testid=crash]").unwrap().unwrap();
    assert_eq!(
        one(&crash, "[data-testid=crash-reload]")
            .get_attribute("href")
            .as_deref(),
        Some("./")
    );
    crash.remove();
}

#[wasm_bindgen_test]
async fn the_rescue_reload_brings_the_manifest_back_once() {
    let window = web_sys::window().unwrap();
    let storage = window.session_storage().unwrap().unwrap();
    let kept = hostile_pod("kept");
    storage.set_item("podlab-rescue", &kept).unwrap();
    // Not loaded through the rescue link: the kept manifest waits.
    assert_eq!(podlab_web::rescue::take(), None);
    let path = window.location().pathname().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}?rescue")),
        )
        .unwrap();
    let doc = window.document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<podlab_web::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let area: HtmlTextAreaElement = one(&root, "[data-testid=editor]").dyn_into().unwrap();
    assert_eq!(area.value(), kept);
    assert_eq!(all(&root, "[data-testid=container-card]").len(), 2);
    // Taken once, and the address no longer asks for it.
    assert_eq!(storage.get_item("podlab-rescue").unwrap(), None);
    assert_eq!(window.location().search().unwrap(), "");
}

#[wasm_bindgen_test]
async fn fix_turns_the_jobs_classic_helper_into_a_native_sidecar_in_one_undoable_step() {
    let root = mount().await;
    choose(&root, "[data-testid=example-select]", "job-classic-sidecar").await;
    let area: HtmlTextAreaElement = one(&root, "[data-testid=editor]").dyn_into().unwrap();
    let before = area.value();
    click(
        &root,
        "[data-testid=diagnostic][data-rule=classic-sidecar-in-job] [data-testid=fix]",
    )
    .await;
    let area: HtmlTextAreaElement = one(&root, "[data-testid=editor]").dyn_into().unwrap();
    assert!(
        area.value()
            .contains("      initContainers:\n      - name: log-shipper\n"),
        "{}",
        area.value()
    );
    assert!(all(
        &root,
        "[data-testid=diagnostic][data-rule=classic-sidecar-in-job]"
    )
    .is_empty());
    choose(&root, "[data-testid=lifecycle-scenario]", "job-completes").await;
    let outcome = one(&root, "[data-testid=scenario-outcome]")
        .text_content()
        .unwrap();
    assert!(outcome.contains("The Job completes"), "{outcome}");
    // One undo step brings the text back exactly.
    let doc: web_sys::HtmlDocument = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .dyn_into()
        .unwrap();
    area.focus().unwrap();
    doc.exec_command("undo").unwrap();
    yew::scheduler::flush().await;
    let area: HtmlTextAreaElement = one(&root, "[data-testid=editor]").dyn_into().unwrap();
    assert_eq!(area.value(), before);
    assert!(!all(
        &root,
        "[data-testid=diagnostic][data-rule=classic-sidecar-in-job]"
    )
    .is_empty());
}

#[wasm_bindgen_test]
async fn a_finding_with_two_fixes_offers_the_second_in_a_menu() {
    let root = mount().await;
    choose(
        &root,
        "[data-testid=example-select]",
        "init-container-mistakes",
    )
    .await;
    let d = one(
        &root,
        "[data-testid=diagnostic][data-rule=init-container-probe]",
    );
    assert!(d.query_selector("[data-testid=fix]").unwrap().is_some());
    let alt = d
        .query_selector("[data-testid=fix-alternative]")
        .unwrap()
        .unwrap();
    assert!(alt.text_content().unwrap().contains("native sidecar"));
}

/// A pod with one container and nothing else: it draws findings (no requests, no probes).
const BARE_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bare\n  ANNOTATIONS\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n";

#[wasm_bindgen_test]
async fn a_waived_finding_is_shown_as_waived_with_who_waived_it() {
    let plain = BARE_POD.replace("  ANNOTATIONS\n", "");
    let a = podlab_engine::analyze_text("p.yaml", &plain, &Default::default());
    let rule = a.workloads[0].diagnostics[0].rule.clone();
    let root = mount().await;
    type_text(&root, &plain).await;
    let selector = format!("[data-testid=diagnostic][data-rule='{rule}']");
    assert!(one(&root, &selector).get_attribute("data-waived").is_none());
    assert!(all(&root, "[data-testid=waiver]").is_empty());

    let waived = BARE_POD.replace(
        "  ANNOTATIONS\n",
        &format!("  annotations:\n    podlab.dev/ignore: \"{rule}\"\n"),
    );
    type_text(&root, &waived).await;
    let d = one(&root, &selector);
    assert_eq!(d.get_attribute("data-waived").as_deref(), Some("true"));
    let why = one(&d, "[data-testid=waiver]").text_content().unwrap();
    assert!(why.contains("podlab.dev/ignore"), "{why}");
    // Only that rule is waived.
    for other in all(&root, "[data-testid=diagnostic]") {
        if other.get_attribute("data-rule").as_deref() != Some(rule.as_str()) {
            assert!(other.get_attribute("data-waived").is_none());
        }
    }
}

#[wasm_bindgen_test]
async fn the_pod_status_line_follows_the_animation_step_by_step() {
    let root = mount().await;
    // Two init containers, a second each: the status changes from second to second. The engine
    // says what each second shows.
    choose(&root, "[data-testid=example-select]", "init-migration").await;
    let text = one(&root, "[data-testid=editor]")
        .dyn_into::<HtmlTextAreaElement>()
        .unwrap()
        .value();
    let a = podlab_engine::analyze_text("p.yaml", &text, &Default::default());
    let l = &a.workloads[0].lifecycle;
    assert!(!l.status.is_empty());
    let mut seen = Vec::new();
    for _ in 0..40 {
        let clock = one(&root, "[data-testid=lifecycle-clock]")
            .text_content()
            .unwrap();
        let now: f64 = clock.trim_end_matches(" s").parse().unwrap();
        let want = l.status_at(now.floor() as i64).unwrap();
        let line = one(&root, "[data-testid=pod-status]");
        assert_eq!(
            line.get_attribute("data-status").as_deref(),
            Some(want.status.as_str()),
            "at {now}"
        );
        assert_eq!(
            line.get_attribute("data-ready").as_deref(),
            Some(want.ready.as_str()),
            "at {now}"
        );
        assert_eq!(
            line.get_attribute("data-phase").as_deref(),
            Some(want.phase.as_str()),
            "at {now}"
        );
        seen.push(want.status.clone());
        click(&root, "[data-testid=lifecycle-step]").await;
    }
    // The line moved: it showed more than one status on the way.
    seen.dedup();
    assert!(seen.len() > 1, "{seen:?}");
}

#[wasm_bindgen_test]
async fn each_what_if_lists_its_statuses() {
    let root = mount().await;
    let text = one(&root, "[data-testid=editor]")
        .dyn_into::<HtmlTextAreaElement>()
        .unwrap()
        .value();
    let a = podlab_engine::analyze_text("p.yaml", &text, &Default::default());
    let s = &a.workloads[0].lifecycle.scenarios[0];
    choose(&root, "[data-testid=lifecycle-scenario]", &s.id).await;
    let shown: Vec<String> = all(&root, "[data-testid=scenario-statuses] li")
        .iter()
        .map(|li| li.get_attribute("data-status").unwrap())
        .collect();
    let want: Vec<String> = s.status.iter().map(|x| x.status.clone()).collect();
    assert_eq!(shown, want);
}

#[wasm_bindgen_test]
async fn a_live_pod_opens_its_panel_and_marks_what_holds_it_back() {
    let root = mount().await;
    assert!(
        all(&root, "[data-testid=live]").is_empty(),
        "a pod without status has no panel"
    );
    type_text(&root, include_str!("../static/workshop/stuck-pod.yaml")).await;
    let live = one(&root, "[data-testid=live]");
    assert_eq!(
        live.get_attribute("data-status").as_deref(),
        Some("Init:CrashLoopBackOff")
    );
    assert_eq!(live.get_attribute("data-ready").as_deref(), Some("0/2"));
    assert_eq!(live.get_attribute("data-restarts").as_deref(), Some("5"));
    assert_eq!(
        live.get_attribute("data-blocked-by").as_deref(),
        Some("migrate")
    );
    let held: Vec<String> = all(
        &root,
        "[data-testid=container-card][data-holds-pod-back=true]",
    )
    .iter()
    .map(|c| c.get_attribute("data-container").unwrap())
    .collect();
    assert_eq!(held, ["migrate"]);
    let migrate = one(
        &root,
        "[data-testid=container-card][data-container=migrate]",
    );
    assert!(one(&migrate, "[data-testid=last-termination]")
        .text_content()
        .unwrap()
        .contains("exit code 1"));
    assert_eq!(
        one(&migrate, "[data-testid=live-container]")
            .get_attribute("data-reason")
            .as_deref(),
        Some("CrashLoopBackOff")
    );
    // The timeline says where it is now: on migrate's lane.
    let here = one(&root, "[data-testid=live-here]");
    assert_eq!(
        here.parent_element()
            .unwrap()
            .get_attribute("data-lane")
            .as_deref(),
        Some("migrate")
    );
    // The same pod without its status: no panel, no marks.
    let spec_only = include_str!("../static/workshop/stuck-pod.yaml")
        .split("\nstatus:")
        .next()
        .unwrap()
        .to_string();
    type_text(&root, &spec_only).await;
    assert!(all(&root, "[data-testid=live]").is_empty());
    assert!(all(&root, "[data-holds-pod-back]").is_empty());
    assert!(all(&root, "[data-testid=live-here]").is_empty());
}
