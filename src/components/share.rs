use crate::state::{Dispatch, ManifestAction, NoteAction, OriginAction, State};
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
            // Everything the link would carry: every lesson of a deck, as edited.
            let hits = state.payload().secrets();
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
            state.send(ManifestAction::Redact);
            // The handle still shows the state before the redaction: redact its payload the same way.
            let mut p = state.payload();
            p.redact();
            publish.emit(p);
        })
    };
    let save = {
        let state = state.clone();
        Callback::from(move |_| {
            let p = state.payload();
            let stem = match &p.deck {
                Some(d) => slug(&d.title),
                None => state.workload().map(|w| slug(&w.name)).unwrap_or_default(),
            };
            let stem = if stem.is_empty() {
                "manifest".to_string()
            } else {
                stem
            };
            crate::files::save(&format!("{stem}.podlab.json"), &share::to_file(&p));
        })
    };
    let on_pick = {
        let d = state.dispatcher();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(f) = input.files().and_then(|l| l.get(0)) {
                let d = d.clone();
                crate::files::read(f, move |r| d.send(OriginAction::OpenFile(r)));
            }
            input.set_value("");
        })
    };
    let share_anyway = {
        let (state, publish) = (state.clone(), publish.clone());
        Callback::from(move |_| publish.emit(state.payload()))
    };
    html! {
        <div class="share">
            <button data-testid="share-button" class="primary" {onclick} title="Make a link that carries this manifest; nothing is uploaded">{"Share link"}</button>
            <button data-testid="save-file" class="tab" onclick={save.clone()} title="Save the manifest with its notes as a file that podlab opens again">{"Save file"}</button>
            <label class="file-label" title="Open a podlab file, a saved link, or a manifest; or drop a file on the page">
                <input data-testid="open-file" class="file-input" type="file" accept=".json,.yaml,.yml,.txt" onchange={on_pick} />
                {"Open file"}
            </label>
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
                        { " — chat apps often cut links this long; " }
                        <button class="link" data-testid="save-file-long" onclick={save}>{"save it as a file"}</button>
                        { " and share that instead" }
                    }
                </span>
            }
        </div>
    }
}

/// A file-name-friendly form of a name.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(60).collect()
}

/// Notes on lines or containers of the manifest: the ones a link or file brought and the ones
/// added here; a link carries them all. Also why a link or file could not be opened.
#[function_component]
pub fn Notes(props: &Props) -> Html {
    let state = &props.state;
    let text = use_node_ref();
    let line = use_node_ref();
    let target = use_node_ref();
    // The note being edited: its index and the text so far.
    let editing = use_state(|| None::<(usize, String)>);
    let containers: Vec<String> = state
        .workload()
        .map(|w| w.containers.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    let add = {
        let (state, text, line, target) =
            (state.clone(), text.clone(), line.clone(), target.clone());
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
            let container = target
                .cast::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .filter(|v| !v.is_empty());
            let at = match container {
                Some(_) => None,
                None => Some(
                    l.value()
                        .parse()
                        .ok()
                        .filter(|n: &usize| *n >= 1)
                        .unwrap_or_else(crate::editor_bridge::cursor_line),
                ),
            };
            state.send(NoteAction::Add(share::Note {
                line: at,
                container,
                text: body.trim().to_string(),
            }));
            t.set_value("");
            l.set_value("");
        })
    };
    html! {
        <>
            if let Some(e) = &state.origin.link_error {
                <section class="input-errors" role="alert">
                    <p class="input-error link-error" data-testid="link-error">{ e }</p>
                </section>
            }
            if state.origin.own_copy {
                <p class="own-copy" data-testid="own-copy" role="status">
                    {"Your own copy: the link or file you opened is unchanged, and this tab's address now carries your edits."}
                </p>
            }
            <details class="panel notes-panel" open={!state.notes.is_empty()}>
                <summary><h2 id="notes-h">{ format!("Notes ({})", state.notes.len()) }</h2></summary>
                <ul>
                    { for state.notes.iter().enumerate().map(|(i, n)| note_item(state, i, n, &editing)) }
                </ul>
                <form class="add-note" onsubmit={add}>
                    <select ref={target} data-testid="note-target" aria-label="Attach the note to">
                        <option value="" selected=true>{"a line"}</option>
                        { for containers.iter().map(|c| html! { <option value={c.clone()}>{ format!("container {c}") }</option> }) }
                    </select>
                    <input ref={line} data-testid="note-line" type="number" min="1" placeholder="line" aria-label="Line (the cursor's line when empty)" />
                    <input ref={text} data-testid="note-text" type="text" placeholder="A note" aria-label="Note" />
                    <button data-testid="add-note" type="submit">{"Add note"}</button>
                </form>
            </details>
        </>
    }
}

/// One note: where it is (a click moves the editor there), its text, and editing it in place.
/// `editing` is the note being edited and its draft, shared by the list so one is edited at a time.
fn note_item(
    state: &UseReducerHandle<State>,
    i: usize,
    n: &share::Note,
    editing: &UseStateHandle<Option<(usize, String)>>,
) -> Html {
    let at = state.note_line(n);
    let onclick = {
        let d = state.dispatcher();
        Callback::from(move |_| {
            if let Some(l) = at {
                d.send(ManifestAction::Goto(l))
            }
        })
    };
    let remove = {
        let d = state.dispatcher();
        Callback::from(move |_| d.send(NoteAction::Remove(i)))
    };
    let start_edit = {
        let (editing, t) = (editing.clone(), n.text.clone());
        Callback::from(move |_| editing.set(Some((i, t.clone()))))
    };
    let what = match (&n.line, &n.container) {
        (Some(l), _) => format!("line {l}"),
        (None, Some(c)) => c.clone(),
        (None, None) => "the manifest".into(),
    };
    let being_edited = editing
        .as_ref()
        .filter(|(j, _)| *j == i)
        .map(|(_, t)| t.clone());
    html! {
        <li class="note" data-testid="note" data-line={n.line.map(|l| l.to_string()).unwrap_or_default()}
            data-container={n.container.clone().unwrap_or_default()}>
            <button class="finding-head" {onclick}>
                if let Some(l) = n.line { <span class="line">{ format!("line {l}") }</span> }
                if let Some(c) = &n.container { <span class="who">{ c }</span> }
            </button>
            if let Some(draft) = being_edited {
                <form class="edit-note" onsubmit={{
                    let (d, editing) = (state.dispatcher(), editing.clone());
                    Callback::from(move |e: SubmitEvent| {
                        e.prevent_default();
                        if let Some((j, t)) = &*editing {
                            if !t.trim().is_empty() { d.send(NoteAction::Edit(*j, t.trim().to_string())); }
                        }
                        editing.set(None);
                    })
                }}>
                    <input data-testid="note-edit-text" type="text" value={draft} aria-label={format!("Note on {what}")}
                        oninput={{ let editing = editing.clone(); Callback::from(move |e: InputEvent| {
                            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
                            editing.set(Some((i, el.value())));
                        }) }} />
                    <button data-testid="note-save" type="submit">{"Save"}</button>
                    <button type="button" onclick={{ let editing = editing.clone(); Callback::from(move |_| editing.set(None)) }}>{"Cancel"}</button>
                </form>
            } else {
                <button class="link" data-testid="note-edit" onclick={start_edit} aria-label={format!("Edit the note on {what}")}>{"edit"}</button>
                <button class="link remove" onclick={remove} aria-label={format!("Remove the note on {what}")}>{"remove"}</button>
                <p>{ &n.text }</p>
            }
        </li>
    }
}
