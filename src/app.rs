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
use crate::components::workshop::{DeckBar, Quiz};
use crate::hooks::{use_address_sync, use_analysis_worker, use_file_drop, use_presenter_keys};
use crate::state::{DeckAction, Dispatch, ManifestAction, QuestionnaireAction, Section, State};
use yew::prelude::*;

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(State::first);
    use_address_sync(&state);
    use_presenter_keys(&state);
    use_analysis_worker(&state);
    let drop = use_file_drop(&state);
    let stale = state.manifest.stale();
    // The first render draws the containers; the panels below them (resources, lifecycle,
    // findings, cheat sheet) follow after its first frame, once their code is in: the page's
    // second WebAssembly module, which loads after the editor (`crate::later_code`). So a link's
    // first analysis is drawn, laid out and painted sooner, and what it downloads first holds only
    // what the containers need. Replacing the view rendered at build time, the app keeps that
    // view's panels in their place meanwhile (`slot`), as long as the analysis is the one they show.
    let later = use_state(|| crate::opening() || crate::later_loader());
    let first_view = use_state(|| (!crate::opening()).then(|| state.manifest.shown.clone()));
    let slot = use_node_ref();
    {
        let (later, slot, d) = (later.clone(), slot.clone(), state.dispatcher());
        use_effect_with((), move |_| {
            if let Some(slot) = slot.cast::<web_sys::Element>() {
                crate::keep_prerendered_panels(&slot);
            }
            if *later {
                crate::after_next_frame(move || {
                    wasm_bindgen_futures::spawn_local(async move {
                        crate::later_code().await;
                        // The fixes and the lifecycle were left out of the analyses until now.
                        if !crate::analyses_whole() {
                            crate::analyse_whole();
                            d.send(ManifestAction::Whole);
                        }
                        later.set(false);
                    })
                });
            }
        });
    }
    let keep_first_view = *later
        && first_view
            .as_ref()
            .is_some_and(|first| std::rc::Rc::ptr_eq(first, &state.manifest.shown));
    let open_workshop = {
        let d = state.dispatcher();
        Callback::from(move |_| d.send(DeckAction::Open(crate::workshop::deck())))
    };
    html! {
        <div class={classes!("app", state.presenter.on.then_some("presenting"), drop.dropping.then_some("dropping"))}
            data-testid="app" ondragover={drop.ondragover} ondragleave={drop.ondragleave} ondrop={drop.ondrop}>
            <header class="top">
                <h1><span class="logo" aria-hidden="true">{"◆∥"}</span>{" podlab"}</h1>
                <p class="tagline">{"Each container's pattern, the resources the scheduler reserves, the start and stop order, and what is risky. Nothing leaves your browser."}</p>
                <Toolbar state={state.clone()} />
                <button data-testid="questionnaire-open" class={classes!("tab", state.questionnaire.open.then_some("on"))}
                    aria-pressed={state.questionnaire.open.to_string()}
                    onclick={{ let d = state.dispatcher(); Callback::from(move |_| d.send(QuestionnaireAction::Toggle)) }}>
                    {"Which pattern?"}
                </button>
                <button data-testid="workshop-open" class="tab" onclick={open_workshop}
                    title="A built-in lesson deck: the four patterns, native and classic sidecars, requests, pitfalls">
                    {"Workshop"}
                </button>
                if state.deck.deck.is_none() {
                    <button data-testid="deck-new" class="tab" onclick={{ let d = state.dispatcher(); Callback::from(move |_| d.send(DeckAction::New)) }}
                        title="Start a lesson deck with this manifest and its notes as the first lesson">
                        {"New deck"}
                    </button>
                }
                <ShareBar state={state.clone()} />
            </header>
            <main class="split">
                <section class="editor-pane" aria-label="Manifest">
                    <Editor state={state.clone()} />
                </section>
                <section class={classes!("results", stale.then_some("stale"))} aria-label="Analysis" aria-live="polite">
                    <DeckBar state={state.clone()} />
                    <Quiz state={state.clone()} />
                    <Questionnaire state={state.clone()} />
                    <InputErrors state={state.clone()} />
                    <Notes state={state.clone()} />
                    <WorkloadPicker state={state.clone()} />
                    if state.manifest.shown.workloads.is_empty() && state.manifest.analysis.errors.is_empty() {
                        <p class="quiet empty">{"No workload in the input yet: paste a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob."}</p>
                    }
                    { for Section::ALL.into_iter().filter(|s| state.reveals(*s) && (!*later || *s == Section::Containers)).map(|s| section(s, &state)) }
                    if keep_first_view {
                        <div id="podlab-prerender" class="prerendered-panels" ref={slot}></div>
                    }
                    if !*later {
                        <CheatSheet state={state.clone()} />
                    }
                </section>
            </main>
        </div>
    }
}

/// An analysis section, marked with its place in the presenter's order so a reveal can scroll
/// to it.
fn section(s: Section, state: &UseReducerHandle<State>) -> Html {
    let state = state.clone();
    let body = match s {
        Section::Containers => html! { <Containers {state} /> },
        Section::Resources => html! { <Resources {state} /> },
        Section::Lifecycle => html! { <Lifecycle {state} /> },
        Section::Findings => html! { <Findings {state} /> },
    };
    html! { <div key={s.name()} data-reveal={s.number().to_string()}>{ body }</div> }
}
