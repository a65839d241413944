//! The way back from a bug: a panic leaves the WebAssembly app dead, so the panic hook writes a
//! plain message into the page (no Yew: nothing of the app runs after it) with a link that
//! reloads the page and brings the manifest back.
//!
//! The reader's manifest is kept in memory each time it is analysed; the hook copies it into
//! the tab's sessionStorage, and the link loads the page with `?rescue`, which takes it back out.
//! The link is a plain `<a href>`, not a handler: after a panic no Rust code can be trusted to
//! run, and the page's Content-Security-Policy allows no inline script.

use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// The sessionStorage key the manifest waits under during the reload.
const KEY: &str = "podlab-rescue";
/// The query that tells the page to take it back.
const QUERY: &str = "?rescue";
/// A panic message can carry a whole input; the reader needs its start.
const MESSAGE_CHARS: usize = 300;

thread_local! {
    static KEPT: RefCell<Option<Rc<String>>> = const { RefCell::new(None) };
}

/// Remembers the manifest being analysed, so a panic while analysing or drawing it keeps it.
pub fn keep(text: &Rc<String>) {
    KEPT.with(|k| {
        if let Ok(mut k) = k.try_borrow_mut() {
            *k = Some(text.clone());
        }
    });
}

/// Turns every later panic into the message of [`show`].
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let what = match info.payload().downcast_ref::<&str>() {
            Some(s) => s.to_string(),
            None => info
                .payload()
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_default(),
        };
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        let message = format!("{what}{place}");
        web_sys::console::error_1(&format!("podlab: {message}").into());
        let kept = KEPT.with(|k| k.try_borrow().ok().and_then(|k| k.clone()));
        let saved = kept.is_some_and(|t| save(&t));
        show(&message, saved);
    }));
}

/// Puts the manifest where the reload finds it; false when the tab will not hold it.
fn save(text: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.session_storage().ok().flatten())
        .is_some_and(|s| s.set_item(KEY, text).is_ok())
}

/// The manifest kept by a panic, when the page was loaded by the rescue link: taken once, and
/// the address cleaned so a later reload starts as usual.
pub fn take() -> Option<String> {
    let window = crate::window()?;
    if window.location().search().ok()?.as_str() != QUERY {
        return None;
    }
    let storage = window.session_storage().ok().flatten()?;
    let text = storage.get_item(KEY).ok().flatten();
    let _ = storage.remove_item(KEY);
    if let (Ok(h), Ok(path)) = (window.history(), window.location().pathname()) {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
    text
}

/// Writes the message over the page: what went wrong, and a reload that keeps the manifest
/// (`saved`) or starts afresh. Text only, through `textContent`: the message can quote input.
pub fn show(message: &str, saved: bool) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = doc.body() else {
        return;
    };
    let el = |tag: &str, text: &str| {
        let e = doc.create_element(tag).ok()?;
        e.set_text_content(Some(text));
        Some(e)
    };
    let Some(panel) = doc.create_element("div").ok() else {
        return;
    };
    let _ = panel.set_attribute("class", "crash");
    let _ = panel.set_attribute("role", "alert");
    let _ = panel.set_attribute("data-testid", "crash");
    let short: String = message.chars().take(MESSAGE_CHARS).collect();
    let cut = if short.len() < message.len() {
        "…"
    } else {
        ""
    };
    let reload_text = if saved {
        "Reload, keeping your manifest"
    } else {
        "Reload the page"
    };
    let parts = [
        el("h2", "podlab stopped on a bug"),
        el(
            "p",
            "The page cannot go on from here. Nothing was sent anywhere; reloading brings it back.",
        ),
        el("pre", &format!("{short}{cut}")),
        el("a", reload_text),
    ];
    for (i, part) in parts.into_iter().flatten().enumerate() {
        if i == 3 {
            let href = if saved { QUERY } else { "./" };
            let _ = part.set_attribute("href", href);
            let _ = part.set_attribute("class", "primary");
            let _ = part.set_attribute("data-testid", "crash-reload");
        }
        let _ = panel.append_child(&part);
    }
    let _ = body.append_child(&panel);
    if let Some(link) = panel
        .query_selector("a")
        .ok()
        .flatten()
        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = link.focus();
    }
}
