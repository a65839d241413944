//! The podlab playground page: renders what the engine returns, computes no Kubernetes semantics.

pub mod analysis_worker;
pub mod app;
pub mod components;
pub mod editor_bridge;
pub mod examples;
pub mod files;
pub mod fixes;
pub mod hooks;
pub mod rescue;
pub mod state;
pub mod workshop;

pub use app::App;

/// The id of the first view rendered at build time (`src/bin/prerender.rs`) in `index.html`.
const PRERENDERED: &str = "podlab-prerender";

/// The browser's window, for what the first render reads (the address, a rescued manifest, the
/// editor bundle): none when the app is rendered at build time, natively, or in a worker.
pub fn window() -> Option<web_sys::Window> {
    #[cfg(target_arch = "wasm32")]
    return web_sys::window();
    #[cfg(not(target_arch = "wasm32"))]
    return None;
}

/// Whether the page opens something else than its first view rendered at build time (a link in
/// the fragment, a rescued manifest): `index.html` marks `<html data-opening>` before the body is
/// parsed and hides that view. Never natively.
pub fn opening() -> bool {
    window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .is_some_and(|e| e.has_attribute("data-opening"))
}

/// Runs `f` once the browser has drawn the next frame: in a task queued from the frame's
/// animation callback, as `index.html` clears `data-later` (a page opened in a background tab
/// draws its first frame when shown). Runs it at once without a window.
pub fn after_next_frame(f: impl FnOnce() + 'static) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let Some(w) = window() else { return f() };
    let frame = Closure::once_into_js(move || gloo_timers::callback::Timeout::new(0, f).forget());
    // `requestAnimationFrame` throws only for a callback that is not callable.
    let _ = w.request_animation_frame(frame.unchecked_ref());
}

/// Mounts the page in place of the first view rendered at build time, or into `<body>`.
pub fn run() {
    // In the analysis worker this module only analyses (`analysis_worker::worker_analyze`).
    let Some(document) = window().and_then(|w| w.document()) else {
        return;
    };
    rescue::install();
    let prerendered = document.get_element_by_id(PRERENDERED);
    let root = document.create_element("div").ok();
    match (prerendered, root, document.body()) {
        (Some(old), Some(root), _) => {
            // The app renders into a fresh root put in the prerendered view's place. Yew renders
            // in microtasks of this same task, so the browser paints the live page directly
            // after the prerendered one: no empty frame, and never two copies at once.
            let _ = old.replace_with_with_node_1(&root);
            yew::Renderer::<App>::with_root(root).render();
        }
        (_, _, Some(body)) => {
            yew::Renderer::<App>::with_root(body.into()).render();
        }
        _ => {}
    }
}
