//! Typing analysed in the worker: the state takes the worker's answers in order, drops one
//! older than the screen, and analyses by itself when the worker cannot. And what the worker
//! sends reads back as the very analysis the page would make.

use podlab_engine::KubeVersion;
use podlab_web::analysis_worker::worker_analyze;
use podlab_web::state::{analyse, Action, ManifestAction, State};
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen_test::*;
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

const ONE: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: one\nspec:\n  containers:\n  - name: app\n    image: nginx\n";

fn reduce(s: Rc<State>, a: ManifestAction) -> Rc<State> {
    s.reduce(Action::Manifest(a))
}

fn named(name: &str) -> String {
    ONE.replace("name: one", &format!("name: {name}"))
}

fn shown(s: &State) -> String {
    s.manifest.shown.workloads[0].name.clone()
}

/// The answer the worker would send for a text, read back as the page reads it.
fn answer(text: &str) -> Rc<podlab_engine::Analysis> {
    let wire = worker_analyze(text, &KubeVersion::NEWEST.to_string(), "{}");
    Rc::new(podlab_engine::wire::from_bytes(&wire).unwrap())
}

#[wasm_bindgen_test]
fn typed_text_waits_for_its_answer_and_takes_it() {
    let s = Rc::new(State::new(ONE));
    let s = reduce(s, ManifestAction::Typed(named("two")));
    assert!(s.manifest.awaiting());
    assert_eq!(*s.manifest.text, named("two"));
    assert_eq!(
        shown(&s),
        "one",
        "the screen keeps the last analysis meanwhile"
    );
    let seq = s.manifest.seq;
    let s = reduce(s, ManifestAction::Analysed(seq, answer(&named("two"))));
    assert!(!s.manifest.awaiting());
    assert_eq!(shown(&s), "two");
}

#[wasm_bindgen_test]
fn an_answer_to_an_earlier_keystroke_shows_and_the_latest_follows() {
    let s = Rc::new(State::new(ONE));
    let s = reduce(s, ManifestAction::Typed(named("two")));
    let first = s.manifest.seq;
    let s = reduce(s, ManifestAction::Typed(named("three")));
    let second = s.manifest.seq;
    // The worker answers the first while the second waits: newer than the screen, so shown.
    let s = reduce(s, ManifestAction::Analysed(first, answer(&named("two"))));
    assert_eq!(shown(&s), "two");
    assert!(s.manifest.awaiting());
    let s = reduce(s, ManifestAction::Analysed(second, answer(&named("three"))));
    assert_eq!(shown(&s), "three");
    assert!(!s.manifest.awaiting());
    // A late copy of the first answer changes nothing.
    let s = reduce(s, ManifestAction::Analysed(first, answer(&named("two"))));
    assert_eq!(shown(&s), "three");
}

#[wasm_bindgen_test]
fn an_answer_for_a_replaced_manifest_is_dropped() {
    let s = Rc::new(State::new(ONE));
    let s = reduce(s, ManifestAction::Typed(named("two")));
    let typed = s.manifest.seq;
    // An example replaces the text before the worker answers.
    let s = reduce(s, ManifestAction::Load(named("example")));
    assert_eq!(shown(&s), "example");
    let s = reduce(s, ManifestAction::Analysed(typed, answer(&named("two"))));
    assert_eq!(shown(&s), "example");
    assert!(!s.manifest.awaiting());
}

#[wasm_bindgen_test]
fn without_an_answer_the_page_analyses_the_latest_text_itself() {
    let s = Rc::new(State::new(ONE));
    let s = reduce(s, ManifestAction::Typed(named("two")));
    let first = s.manifest.seq;
    let s = reduce(s, ManifestAction::Typed(named("three")));
    // A failure on an older change does nothing: the latest one is still on its way.
    let s = reduce(s, ManifestAction::Unanswered(first));
    assert!(s.manifest.awaiting());
    let latest = s.manifest.seq;
    let s = reduce(s, ManifestAction::Unanswered(latest));
    assert!(!s.manifest.awaiting());
    assert_eq!(shown(&s), "three");
}

#[wasm_bindgen_test]
fn the_workers_answer_is_the_pages_own_analysis() {
    let text = include_str!("../static/examples/native-sidecar.yaml");
    let mut overrides = BTreeMap::new();
    overrides.insert(
        "Deployment/storefront".to_string(),
        BTreeMap::from([(
            "metrics-agent".to_string(),
            podlab_engine::Pattern::Ambassador,
        )]),
    );
    for version in [KubeVersion::new(28), KubeVersion::NEWEST] {
        let wire = worker_analyze(
            text,
            &version.to_string(),
            &serde_json::to_string(&overrides).unwrap(),
        );
        let back = podlab_engine::wire::from_bytes(&wire).unwrap();
        assert!(back == analyse(text, version, &overrides), "at {version}");
        assert!(!back.workloads.is_empty());
    }
}
