use crate::analysis_worker;
use crate::editor_bridge;
use crate::state::{Dispatch, ManifestAction, State, LARGE_BYTES, WORKER_BYTES};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

/// The manifest editor: CodeMirror where its bundle is loaded, a textarea otherwise.
#[function_component]
pub fn Editor(props: &Props) -> Html {
    let host = use_node_ref();
    let rich = use_state(editor_bridge::available);
    let state = props.state.clone();

    {
        // The bundle arrives after the first analysis; switch to it when it does.
        let rich = rich.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || rich.set(editor_bridge::available()));
            if let Some(w) = web_sys::window() {
                let _ = w.add_event_listener_with_callback(
                    "podlab-editor-ready",
                    listener.as_ref().unchecked_ref(),
                );
            }
            editor_bridge::load_lazily();
            move || {
                if let Some(w) = web_sys::window() {
                    let _ = w.remove_event_listener_with_callback(
                        "podlab-editor-ready",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    {
        let host = host.clone();
        let state = state.clone();
        use_effect_with(*rich, move |rich| {
            if *rich {
                if let Some(el) = host.cast::<web_sys::HtmlElement>() {
                    let dispatch = state.dispatcher();
                    // Every key is analysed: small inputs at once, here; larger ones in the
                    // analysis worker once it runs. Until it does, large inputs are analysed
                    // once typing pauses, so the editor keeps up with the keyboard.
                    let pending = std::cell::RefCell::new(None::<gloo_timers::callback::Timeout>);
                    editor_bridge::create(&el, &state.manifest.text, move |text| {
                        let mut pending = pending.borrow_mut();
                        pending.take();
                        if text.len() >= WORKER_BYTES && analysis_worker::ready() {
                            dispatch.send(ManifestAction::Typed(text));
                        } else if text.len() < LARGE_BYTES {
                            dispatch.send(ManifestAction::Edit(text));
                        } else {
                            let dispatch = dispatch.clone();
                            *pending = Some(gloo_timers::callback::Timeout::new(250, move || {
                                dispatch.send(ManifestAction::Edit(text))
                            }));
                        }
                    });
                }
            }
        });
    }
    {
        let text = state.manifest.text.clone();
        use_effect_with(state.manifest.text_revision, move |_| {
            editor_bridge::set_doc(&text)
        });
    }
    {
        // Gutter markers at every container and finding of the workload on screen.
        let markers = markers_json(&state);
        use_effect_with((markers, *rich), move |(m, _)| {
            editor_bridge::set_markers(m)
        });
    }
    {
        use_effect_with(state.manifest.goto, move |g| {
            if let Some((line, _)) = g {
                editor_bridge::goto_line(*line);
            }
        });
    }

    if *rich {
        html! {
            <>
                <div class="editor-host" ref={host}></div>
                <p id="editor-hint" class="editor-hint">{"Tab indents; press Esc then Tab to leave the editor. Ctrl+F searches."}</p>
            </>
        }
    } else {
        let oninput = {
            let dispatch = state.dispatcher();
            Callback::from(move |e: InputEvent| {
                let el: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
                dispatch.send(ManifestAction::Edit(el.value()));
            })
        };
        html! {
            <textarea class="editor-fallback" data-testid="editor" aria-label="Kubernetes manifest"
                spellcheck="false" value={(*state.manifest.text).clone()} {oninput} />
        }
    }
}

fn markers_json(state: &State) -> String {
    let mut items = Vec::new();
    // Notes on lines; notes on a container sit at the container's line.
    let workload = state.workload();
    for n in state.notes.iter() {
        let line = state.note_line(n);
        if let Some(line) = line {
            items.push(serde_json::json!({"line": line, "kind": "note", "title": n.text}));
        }
    }
    // While a quiz waits for answers, the gutter must not give the patterns away.
    if let Some(w) = workload.filter(|_| !state.quiz_pending()) {
        for c in &w.containers {
            items.push(serde_json::json!({"line": c.line, "kind": "container", "title": format!("{}: {} ({})", c.name, c.pattern.as_str(), c.form.as_str())}));
        }
        for d in &w.diagnostics {
            if d.file == w.file {
                items.push(serde_json::json!({"line": d.line, "kind": d.severity.as_str(), "title": format!("{}: {}", d.rule, d.message)}));
            }
        }
    }
    for e in &state.manifest.analysis.errors {
        items.push(serde_json::json!({"line": e.line, "kind": "error", "title": e.message}));
    }
    serde_json::Value::Array(items).to_string()
}
