//! The presenter view's keys: → and Page Down reveal, ← and Page Up go back; never while typing
//! in the editor or a field. And the audience looks at what was just revealed.

use crate::state::{Dispatch, PresenterAction, State};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[hook]
pub fn use_presenter_keys(state: &UseReducerHandle<State>) {
    {
        let dispatch = state.dispatcher();
        use_effect_with(state.presenter.on, move |on| {
            let listener = on.then(|| {
                Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                    if let Some(action) = action_of(&e) {
                        e.prevent_default();
                        dispatch.send(action);
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
    // Bring what was just revealed into view.
    let key = (state.presenter.on, state.presenter.reveal);
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

fn action_of(e: &web_sys::KeyboardEvent) -> Option<PresenterAction> {
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
        return None;
    }
    match e.key().as_str() {
        "ArrowRight" | "PageDown" => Some(PresenterAction::RevealNext),
        "ArrowLeft" | "PageUp" => Some(PresenterAction::RevealPrev),
        _ => None,
    }
}
