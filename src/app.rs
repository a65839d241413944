use crate::components::cheatsheet::CheatSheet;
use crate::components::containers::Containers;
use crate::components::editor::Editor;
use crate::components::findings::Findings;
use crate::components::input_errors::InputErrors;
use crate::components::lifecycle::Lifecycle;
use crate::components::questionnaire::Questionnaire;
use crate::components::resources::Resources;
use crate::components::share::{Notes, ShareBar};
use crate::components::toolbar::{Toolbar, WorkloadPicker};
use crate::examples;
use crate::state::{Action, State};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(|| {
        let text = examples::by_id(examples::DEFAULT)
            .map(|e| e.text)
            .unwrap_or("");
        State::new(text)
    });
    let stale = state.stale();
    {
        // Open the link in the address bar, now and whenever back/forward changes the fragment.
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let open = move || {
                let hash = web_sys::window()
                    .and_then(|w| w.location().hash().ok())
                    .unwrap_or_default();
                // Only `#v<N>/…` is a podlab link; other fragments belong to someone else.
                let versioned = hash
                    .strip_prefix("#v")
                    .and_then(|r| r.split_once('/'))
                    .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
                if versioned {
                    dispatch.dispatch(Action::OpenLink(hash));
                }
            };
            open();
            let listener = Closure::<dyn Fn()>::new(open);
            if let Some(w) = web_sys::window() {
                let _ = w.add_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
                let _ = w.add_event_listener_with_callback(
                    "popstate",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || drop(listener)
        });
    }
    html! {
        <div class="app">
            <header class="top">
                <h1><span class="logo" aria-hidden="true">{"◆∥"}</span>{" podlab"}</h1>
                <p class="tagline">{"Each container's pattern, the resources the scheduler reserves, the start and stop order, and what is risky. Nothing leaves your browser."}</p>
                <Toolbar state={state.clone()} />
                <button data-testid="questionnaire-open" class={classes!("tab", state.questionnaire_open.then_some("on"))}
                    aria-pressed={state.questionnaire_open.to_string()}
                    onclick={{ let d = state.dispatcher(); Callback::from(move |_| d.dispatch(Action::ToggleQuestionnaire)) }}>
                    {"Which pattern?"}
                </button>
                <ShareBar state={state.clone()} />
            </header>
            <main class="split">
                <section class="editor-pane" aria-label="Manifest">
                    <Editor state={state.clone()} />
                </section>
                <section class={classes!("results", stale.then_some("stale"))} aria-label="Analysis" aria-live="polite">
                    <Questionnaire state={state.clone()} />
                    <InputErrors state={state.clone()} />
                    <Notes state={state.clone()} />
                    <WorkloadPicker state={state.clone()} />
                    if state.shown.workloads.is_empty() && state.analysis.errors.is_empty() {
                        <p class="quiet empty">{"No workload in the input yet: paste a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob."}</p>
                    }
                    <Containers state={state.clone()} />
                    <Resources state={state.clone()} />
                    <Lifecycle state={state.clone()} />
                    <Findings state={state.clone()} />
                    <CheatSheet state={state.clone()} />
                </section>
            </main>
        </div>
    }
}
