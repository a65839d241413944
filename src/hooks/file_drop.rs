//! A file dropped anywhere on the page opens like one picked with "Open file".

use crate::state::{Dispatch, OriginAction, State};
use yew::prelude::*;

/// Whether a file is being dragged over the page, and the handlers that make it so.
pub struct FileDrop {
    pub dropping: bool,
    pub ondragover: Callback<DragEvent>,
    pub ondragleave: Callback<DragEvent>,
    pub ondrop: Callback<DragEvent>,
}

#[hook]
pub fn use_file_drop(state: &UseReducerHandle<State>) -> FileDrop {
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
                crate::files::read(f, move |r| d.send(OriginAction::OpenFile(r)));
            }
        })
    };
    FileDrop {
        dropping: *dropping,
        ondragover,
        ondragleave,
        ondrop,
    }
}
