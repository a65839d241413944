use crate::components::cheatsheet::CheatSheet;
use crate::components::containers::Containers;
use crate::components::editor::Editor;
use crate::components::findings::Findings;
use crate::components::input_errors::InputErrors;
use crate::components::lifecycle::Lifecycle;
use crate::components::resources::Resources;
use crate::components::toolbar::{Toolbar, WorkloadPicker};
use crate::examples;
use crate::state::State;
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
    html! {
        <div class="app">
            <header class="top">
                <h1><span class="logo" aria-hidden="true">{"◆∥"}</span>{" podlab"}</h1>
                <p class="tagline">{"Paste a pod, a Deployment, a Job: see each container's pattern, the resources the scheduler reserves, the start and stop order, and what is risky. Nothing leaves your browser."}</p>
                <Toolbar state={state.clone()} />
            </header>
            <main class="split">
                <section class="editor-pane" aria-label="Manifest">
                    <Editor state={state.clone()} />
                </section>
                <section class={classes!("results", stale.then_some("stale"))} aria-label="Analysis" aria-live="polite">
                    <InputErrors state={state.clone()} />
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
