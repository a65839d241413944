//! Applying a finding's fix to the editor as one undoable change; notes follow their lines.

use crate::state::{Dispatch, ManifestAction, NoteAction, State};
use podlab_engine::Fix;
use wasm_bindgen::JsCast;
use yew::prelude::*;

pub fn apply(state: &UseReducerHandle<State>, fix: &Fix) {
    // A fix's offsets belong to the analysed text: while the worker analyses a newer one, the
    // click waits for nothing and does nothing (the button is disabled meanwhile).
    if state.manifest.awaiting() {
        return;
    }
    let before = state.manifest.text.clone();
    let Ok(changes) = podlab_engine::fix::utf16_changes(&before, &fix.edits) else {
        return;
    };
    let Ok(after) = podlab_engine::fix::apply(&before, &fix.edits) else {
        return;
    };
    state.send(NoteAction::FollowEdits(before.clone(), fix.edits.clone()));
    let json = serde_json::to_string(&changes).unwrap_or_default();
    // CodeMirror: one dispatch, one undo step; its change listener sends the new text.
    if crate::editor_bridge::apply_changes(&json) {
        state.send(ManifestAction::Edit(after));
        return;
    }
    if !in_textarea(&changes, &before, &after) {
        state.send(ManifestAction::Edit(after));
    }
}

/// The textarea: the changed span replaced with `insertText`, which the browser records as one
/// undoable input (and which fires `input`, so the page follows).
fn in_textarea(changes: &[podlab_engine::fix::Change], before: &str, after: &str) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    // The editor that holds the text the fix was made for (the page has one; component tests
    // mount a page per test, the newest last).
    let Ok(list) = document.query_selector_all("textarea[data-testid=editor]") else {
        return false;
    };
    let Some(el) = (0..list.length())
        .rev()
        .filter_map(|i| {
            list.item(i)?
                .dyn_into::<web_sys::HtmlTextAreaElement>()
                .ok()
        })
        .find(|e| e.value() == before)
    else {
        return false;
    };
    let (Some(from), Some(to)) = (
        changes.iter().map(|c| c.from).min(),
        changes.iter().map(|c| c.to).max(),
    ) else {
        return false;
    };
    let old: Vec<u16> = el.value().encode_utf16().collect();
    let new: Vec<u16> = after.encode_utf16().collect();
    let Some(tail) = old.len().checked_sub(to) else {
        return false;
    };
    let Some(end) = new.len().checked_sub(tail).filter(|e| *e >= from) else {
        return false;
    };
    let insert = String::from_utf16_lossy(&new[from..end]);
    let _ = el.focus();
    let _ = el.set_selection_range(from as u32, to as u32);
    let done = document
        .dyn_ref::<web_sys::HtmlDocument>()
        .and_then(|d| {
            d.exec_command_with_show_ui_and_value("insertText", false, &insert)
                .ok()
        })
        .unwrap_or(false);
    done && el.value() == after
}
