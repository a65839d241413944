//! The address bar and the page, kept in step: a link in the fragment opens (on load and on
//! back and forward), a lesson change is a history entry, and an edited link or a deck being
//! written keeps its address up to date.

use crate::state::{Dispatch, OriginAction, State};
use podlab_engine::share::{self, Payload};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[hook]
pub fn use_address_sync(state: &UseReducerHandle<State>) {
    {
        // Open the link in the address bar whenever back/forward changes the fragment (the one
        // the page was opened with is in its first state: `State::first`).
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let open = move || {
                let hash = web_sys::window()
                    .and_then(|w| w.location().hash().ok())
                    .unwrap_or_default();
                if is_link(&hash) {
                    dispatch.send(OriginAction::OpenLink(hash));
                } else if hash.is_empty() {
                    dispatch.send(OriginAction::LeaveLink);
                }
            };
            let listener = Closure::<dyn Fn()>::new(open);
            if let Some(w) = web_sys::window() {
                for event in ["hashchange", "popstate"] {
                    let _ = w
                        .add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
                }
            }
            move || {
                if let Some(w) = web_sys::window() {
                    for event in ["hashchange", "popstate"] {
                        let _ = w.remove_event_listener_with_callback(
                            event,
                            listener.as_ref().unchecked_ref(),
                        );
                    }
                }
            }
        });
    }
    {
        // A lesson change gets its own history entry, so Back and Forward walk the deck.
        let state = state.clone();
        use_effect_with(state.deck.history, move |n| {
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
            state.manifest.text.clone(),
            state.notes.clone(),
            state.origin.own_copy || state.deck.deck.is_some(),
            state.deck.deck.clone(),
            state.deck.lesson,
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
}

/// Only `#v<N>/…` is a podlab link; other fragments belong to someone else.
pub fn is_link(hash: &str) -> bool {
    hash.strip_prefix("#v")
        .and_then(|r| r.split_once('/'))
        .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Puts `payload` in the address bar's fragment: a new history entry, or in place of this one.
fn set_fragment(payload: &Payload, push: bool) {
    let fragment = format!("#{}", share::encode(payload));
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else {
        return;
    };
    let _ = if push {
        history.push_state_with_url(&JsValue::NULL, "", Some(&fragment))
    } else {
        history.replace_state_with_url(&JsValue::NULL, "", Some(&fragment))
    };
}
