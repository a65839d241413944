//! The analysis worker's place in the page's life: it starts once the offline store is complete
//! (so the service worker serves its files and a first visit fetches nothing twice), and each
//! change typed for it (`ManifestAction::Typed`) is handed over; answers come back as actions.

use crate::analysis_worker::{self, Answer};
use crate::state::{Dispatch, ManifestAction, State};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// The event `static/register-sw.js` sends when the offline store is settled (complete, or not
/// available in this browser); `window.podlabSettled` says it already happened.
const SETTLED: &str = "podlab-settled";

#[hook]
pub fn use_analysis_worker(state: &UseReducerHandle<State>) {
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let start = move || {
                analysis_worker::start(move |answer| match answer {
                    Answer::Analysis(seq, a) => dispatch.send(ManifestAction::Analysed(seq, a)),
                    Answer::Failed(seq) => dispatch.send(ManifestAction::Unanswered(seq)),
                })
            };
            let window = web_sys::window();
            let settled = window.as_ref().is_some_and(|w| {
                js_sys::Reflect::get(w, &JsValue::from_str("podlabSettled"))
                    .is_ok_and(|v| v.is_truthy())
            });
            let listener = if settled {
                start();
                None
            } else {
                let start = std::cell::Cell::new(Some(start));
                let l = Closure::<dyn Fn()>::new(move || {
                    if let Some(s) = start.take() {
                        s()
                    }
                });
                if let Some(w) = &window {
                    let _ = w.add_event_listener_with_callback(SETTLED, l.as_ref().unchecked_ref());
                }
                Some(l)
            };
            move || {
                if let (Some(l), Some(w)) = (listener, web_sys::window()) {
                    let _ =
                        w.remove_event_listener_with_callback(SETTLED, l.as_ref().unchecked_ref());
                }
            }
        });
    }
    let m = &state.manifest;
    let request = m
        .awaiting()
        .then(|| (m.text.clone(), m.version, m.overrides.clone()));
    use_effect_with(m.seq, move |seq| {
        if let Some((text, version, overrides)) = request {
            analysis_worker::request(*seq, text, version, &overrides);
        }
    });
}
