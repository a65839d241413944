use crate::state::{Action, State};
use podlab_engine::share::{self, LONG_LINK};
use wasm_bindgen::JsValue;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

fn base_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or("").to_string())
        .unwrap_or_default()
}

/// Makes a link that carries the manifest, its notes and the target version in the fragment.
#[function_component]
pub fn ShareBar(props: &Props) -> Html {
    let state = &props.state;
    let url = use_state(String::new);
    // Secrets found on the last Share click, waiting for the user's decision.
    let pending = use_state(|| None::<Vec<share::SecretHit>>);
    let publish = {
        let url = url.clone();
        let pending = pending.clone();
        Callback::from(move |payload: share::Payload| {
            let link = share::link(&base_url(), &payload);
            // Keep the link in the address bar too, so reload and back/forward return here.
            if let Some(w) = web_sys::window() {
                if let Ok(h) = w.history() {
                    let fragment = link
                        .split_once('#')
                        .map(|(_, f)| format!("#{f}"))
                        .unwrap_or_default();
                    let _ = h.push_state_with_url(&JsValue::NULL, "", Some(&fragment));
                }
            }
            pending.set(None);
            url.set(link);
        })
    };
    let onclick = {
        let (state, pending, publish) = (state.clone(), pending.clone(), publish.clone());
        Callback::from(move |_| {
            let hits = share::find_secrets(&state.text);
            if hits.is_empty() {
                publish.emit(state.payload());
            } else {
                pending.set(Some(hits));
            }
        })
    };
    let redact_and_share = {
        let (state, publish) = (state.clone(), publish.clone());
        Callback::from(move |_| {
            let redacted = share::redact(&state.text);
            state.dispatch(Action::Load(redacted.clone()));
            let mut p = state.payload();
            p.manifest = redacted;
            publish.emit(p);
        })
    };
    let share_anyway = {
        let (state, publish) = (state.clone(), publish.clone());
        Callback::from(move |_| publish.emit(state.payload()))
    };
    html! {
        <div class="share">
            <button data-testid="share-button" class="primary" {onclick} title="Make a link that carries this manifest; nothing is uploaded">{"Share link"}</button>
            if let Some(hits) = &*pending {
                <div class="secrets-warning" role="alertdialog" aria-label="Secrets in the manifest" data-testid="secrets-warning">
                    <p>{ format!("This manifest looks like it carries {} secret{}; a link would carry them too:", hits.len(), if hits.len() == 1 { "" } else { "s" }) }</p>
                    <ul>{ for hits.iter().map(|h| html! { <li>{ format!("line {}: {}", h.line, h.what) }</li> }) }</ul>
                    <button data-testid="redact-and-share" class="primary" onclick={redact_and_share}>{"Redact and share"}</button>
                    <button data-testid="share-anyway" onclick={share_anyway}>{"Share as it is"}</button>
                </div>
            }
            if !url.is_empty() {
                <input data-testid="share-url" class="share-url" readonly=true value={(*url).clone()} aria-label="Share link"
                    onfocus={Callback::from(|e: FocusEvent| { let el: web_sys::HtmlInputElement = e.target_unchecked_into(); el.select(); })} />
                <span class={classes!("link-length", (url.len() > LONG_LINK).then_some("long"))}>
                    { format!("{} characters", url.len()) }
                    if url.len() > LONG_LINK {
                        { " — chat apps often cut links this long; share the manifest as a file instead" }
                    }
                </span>
            }
        </div>
    }
}

/// Notes on lines of the manifest: the ones a link brought and the ones added here; a link
/// carries them all. Also why a link could not be opened.
#[function_component]
pub fn Notes(props: &Props) -> Html {
    let state = &props.state;
    let text = use_node_ref();
    let line = use_node_ref();
    let add = {
        let (state, text, line) = (state.clone(), text.clone(), line.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(t), Some(l)) = (
                text.cast::<web_sys::HtmlInputElement>(),
                line.cast::<web_sys::HtmlInputElement>(),
            ) else {
                return;
            };
            let body = t.value();
            if body.trim().is_empty() {
                return;
            }
            let at = l
                .value()
                .parse()
                .ok()
                .filter(|n: &usize| *n >= 1)
                .unwrap_or_else(crate::editor_bridge::cursor_line);
            state.dispatch(Action::AddNote(share::Note {
                line: Some(at),
                container: None,
                text: body.trim().to_string(),
            }));
            t.set_value("");
            l.set_value("");
        })
    };
    html! {
        <>
            if let Some(e) = &state.link_error {
                <section class="input-errors" role="alert">
                    <p class="input-error link-error" data-testid="link-error">{ format!("This link could not be opened: {e}") }</p>
                </section>
            }
            <details class="panel notes-panel" open={!state.notes.is_empty()}>
                <summary><h2 id="notes-h">{ format!("Notes ({})", state.notes.len()) }</h2></summary>
                <ul>
                    { for state.notes.iter().enumerate().map(|(i, n)| {
                        let line = n.line.unwrap_or(1);
                        let onclick = { let d = state.dispatcher(); Callback::from(move |_| d.dispatch(Action::Goto(line))) };
                        let remove = { let d = state.dispatcher(); Callback::from(move |_| d.dispatch(Action::RemoveNote(i))) };
                        html! {
                            <li class="note" data-testid="note" data-line={n.line.map(|l| l.to_string()).unwrap_or_default()}>
                                <button class="finding-head" {onclick}>
                                    if let Some(l) = n.line { <span class="line">{ format!("line {l}") }</span> }
                                    if let Some(c) = &n.container { <span class="who">{ c }</span> }
                                </button>
                                <button class="link remove" onclick={remove} aria-label={format!("Remove the note on line {line}")}>{"remove"}</button>
                                <p>{ &n.text }</p>
                            </li>
                        }
                    }) }
                </ul>
                <form class="add-note" onsubmit={add}>
                    <input ref={line} data-testid="note-line" type="number" min="1" placeholder="line" aria-label="Line (the cursor's line when empty)" />
                    <input ref={text} data-testid="note-text" type="text" placeholder="A note for this line" aria-label="Note" />
                    <button data-testid="add-note" type="submit">{"Add note"}</button>
                </form>
            </details>
        </>
    }
}
