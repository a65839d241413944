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
use crate::examples;
use crate::state::{Action, State};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[function_component]
pub fn App() -> Html {
    // A reload from the bug message brings back the manifest that was on screen.
    let state = use_reducer(|| {
        let rescued = crate::rescue::take();
        State::new(rescued.as_deref().unwrap_or(examples::default_text()))
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
                } else if hash.is_empty() {
                    dispatch.dispatch(Action::LeaveLink);
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
    {
        // A lesson change gets its own history entry, so Back and Forward walk the deck.
        let state = state.clone();
        use_effect_with(state.history, move |n| {
            if *n > 0 {
                set_fragment(&state.payload(), true);
            }
        });
    }
    {
        // Once a reader edits what a link brought, the address carries their copy, so reload
        // keeps it; the link they opened is unchanged. Written when typing pauses.
        // A deck being written keeps its address up to date the same way.
        let state = state.clone();
        let key = (
            state.text.clone(),
            state.notes.clone(),
            state.own_copy || state.deck.is_some(),
            state.deck.clone(),
            state.lesson,
        );
        use_effect_with(key, move |(_, _, keep, _, _)| {
            let timer = keep.then(|| {
                gloo_timers::callback::Timeout::new(400, move || {
                    set_fragment(&state.payload(), false)
                })
            });
            move || drop(timer)
        });
    }
    {
        // The presenter view's keys: → and Page Down reveal, ← and Page Up go back; never
        // while typing in the editor or a field.
        let dispatch = state.dispatcher();
        let presenting = state.presenting;
        use_effect_with(presenting, move |on| {
            let listener = on.then(|| {
                Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                    let typing = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|el| {
                            el.closest(".cm-editor, input, select, textarea")
                                .ok()
                                .flatten()
                                .is_some()
                        });
                    if typing || e.alt_key() || e.ctrl_key() || e.meta_key() {
                        return;
                    }
                    match e.key().as_str() {
                        "ArrowRight" | "PageDown" => {
                            e.prevent_default();
                            dispatch.dispatch(Action::RevealNext)
                        }
                        "ArrowLeft" | "PageUp" => {
                            e.prevent_default();
                            dispatch.dispatch(Action::RevealPrev)
                        }
                        _ => {}
                    }
                })
            });
            if let (Some(l), Some(w)) = (&listener, web_sys::window()) {
                let _ = w.add_event_listener_with_callback("keydown", l.as_ref().unchecked_ref());
            }
            move || {
                if let (Some(l), Some(w)) = (&listener, web_sys::window()) {
                    let _ = w
                        .remove_event_listener_with_callback("keydown", l.as_ref().unchecked_ref());
                }
            }
        });
    }
    {
        // The presenter's audience looks at what was just revealed: bring it into view.
        let key = (state.presenting, state.reveal);
        use_effect_with(key, move |(presenting, reveal)| {
            if *presenting && *reveal > 0 {
                let section = web_sys::window().and_then(|w| w.document()).and_then(|d| {
                    d.query_selector(&format!("[data-reveal=\"{reveal}\"]"))
                        .ok()
                        .flatten()
                });
                if let Some(el) = section {
                    el.scroll_into_view();
                }
            }
        });
    }
    let dropping = use_state(|| false);
    let ondragover = {
        let dropping = dropping.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dropping.set(true);
        })
    };
    let ondragleave = {
        let dropping = dropping.clone();
        Callback::from(move |_: DragEvent| dropping.set(false))
    };
    let ondrop = {
        let (dropping, d) = (dropping.clone(), state.dispatcher());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dropping.set(false);
            if let Some(f) = crate::files::dropped(&e) {
                let d = d.clone();
                crate::files::read(f, move |r| d.dispatch(Action::OpenFile(r)));
            }
        })
    };
    let open_workshop = {
        let d = state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::OpenDeck(crate::workshop::deck())))
    };
    html! {
        <div class={classes!("app", state.presenting.then_some("presenting"), dropping.then_some("dropping"))}
            data-testid="app" {ondragover} {ondragleave} {ondrop}>
            <header class="top">
                <h1><span class="logo" aria-hidden="true">{"◆∥"}</span>{" podlab"}</h1>
                <p class="tagline">{"Each container's pattern, the resources the scheduler reserves, the start and stop order, and what is risky. Nothing leaves your browser."}</p>
                <Toolbar state={state.clone()} />
                <button data-testid="questionnaire-open" class={classes!("tab", state.questionnaire_open.then_some("on"))}
                    aria-pressed={state.questionnaire_open.to_string()}
                    onclick={{ let d = state.dispatcher(); Callback::from(move |_| d.dispatch(Action::ToggleQuestionnaire)) }}>
                    {"Which pattern?"}
                </button>
                <button data-testid="workshop-open" class="tab" onclick={open_workshop}
                    title="A built-in lesson deck: the four patterns, native and classic sidecars, requests, pitfalls">
                    {"Workshop"}
                </button>
                if state.deck.is_none() {
                    <button data-testid="deck-new" class="tab" onclick={{ let d = state.dispatcher(); Callback::from(move |_| d.dispatch(Action::NewDeck)) }}
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
                    if state.shown.workloads.is_empty() && state.analysis.errors.is_empty() {
                        <p class="quiet empty">{"No workload in the input yet: paste a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob."}</p>
                    }
                    if state.reveals(0) { <div data-reveal="1"><Containers state={state.clone()} /></div> }
                    if state.reveals(1) { <div data-reveal="2"><Resources state={state.clone()} /></div> }
                    if state.reveals(2) { <div data-reveal="3"><Lifecycle state={state.clone()} /></div> }
                    if state.reveals(3) { <div data-reveal="4"><Findings state={state.clone()} /></div> }
                    <CheatSheet state={state.clone()} />
                </section>
            </main>
        </div>
    }
}

/// Puts `payload` in the address bar's fragment: a new history entry, or in place of this one.
fn set_fragment(payload: &podlab_engine::share::Payload, push: bool) {
    let fragment = format!("#{}", podlab_engine::share::encode(payload));
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else {
        return;
    };
    let _ = if push {
        history.push_state_with_url(&JsValue::NULL, "", Some(&fragment))
    } else {
        history.replace_state_with_url(&JsValue::NULL, "", Some(&fragment))
    };
}
