//! The bridge to the CodeMirror editor bundled in `static/editor.js` (window.podlabEditor).
//! Where the bundle is absent (component tests), the page falls back to a plain textarea.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = podlabEditor, js_name = create)]
    fn js_create(parent: &web_sys::HtmlElement, doc: &str, on_change: &js_sys::Function);
    #[wasm_bindgen(js_namespace = podlabEditor, js_name = setDoc)]
    fn js_set_doc(text: &str);
    #[wasm_bindgen(js_namespace = podlabEditor, js_name = getDoc)]
    fn js_get_doc() -> String;
    #[wasm_bindgen(js_namespace = podlabEditor, js_name = setMarkersJson)]
    fn js_set_markers(json: &str);
    #[wasm_bindgen(js_namespace = podlabEditor, js_name = applyChangesJson)]
    fn js_apply_changes(json: &str) -> bool;
    #[wasm_bindgen(js_namespace = podlabEditor, js_name = cursorLine)]
    fn js_cursor_line() -> u32;
    #[wasm_bindgen(js_namespace = podlabEditor, js_name = gotoLine)]
    fn js_goto_line(line: u32);
}

/// Whether the CodeMirror bundle is loaded.
pub fn available() -> bool {
    crate::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("podlabEditor")).ok())
        .is_some_and(|v| v.is_object())
}

pub fn create(parent: &web_sys::HtmlElement, doc: &str, on_change: impl Fn(String) + 'static) {
    let cb = Closure::<dyn Fn(String)>::new(on_change);
    js_create(parent, doc, cb.as_ref().unchecked_ref());
    // The editor lives as long as the page.
    cb.forget();
}

pub fn set_doc(text: &str) {
    if available() && js_get_doc() != text {
        js_set_doc(text);
    }
}

pub fn set_markers(json: &str) {
    if available() {
        js_set_markers(json);
    }
}

/// Applies changes (`[{from, to, insert}]`, UTF-16 offsets) as one undoable transaction.
/// False without the rich editor, or when they do not fit its text.
pub fn apply_changes(json: &str) -> bool {
    available() && js_apply_changes(json)
}

pub fn goto_line(line: usize) {
    if available() {
        js_goto_line(line as u32);
    }
}

/// The 1-based line of the editor's cursor (1 without the rich editor).
pub fn cursor_line() -> usize {
    if available() {
        js_cursor_line() as usize
    } else {
        1
    }
}

/// Loads the CodeMirror bundle named by `<meta name="podlab-editor">`, once. The page shell
/// names it; component tests do not, and keep the textarea.
pub fn load_lazily() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if available()
        || document
            .query_selector("script[data-podlab-editor]")
            .ok()
            .flatten()
            .is_some()
    {
        return;
    }
    let Some(src) = document
        .query_selector("meta[name=podlab-editor]")
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"))
    else {
        return;
    };
    if let (Ok(script), Some(head)) = (document.create_element("script"), document.head()) {
        let _ = script.set_attribute("src", &src);
        let _ = script.set_attribute("data-podlab-editor", "");
        let _ = head.append_child(&script);
    }
}
