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

thread_local! {
    /// The first view rendered at build time, once the app has taken its place: its panels
    /// below the containers stand in the app until the app's own are drawn
    /// ([`keep_prerendered_panels`]).
    static PRERENDERED_VIEW: std::cell::RefCell<Option<web_sys::Element>> = const { std::cell::RefCell::new(None) };
}

/// Whether the page's loader is there (`window.podlabLater`, Trunk.toml): the panels below the
/// containers then wait for [`later_code`]. Not in a component test, nor natively.
pub fn later_loader() -> bool {
    window().is_some_and(|w| {
        js_sys::Reflect::get(&w, &"podlabLater".into()).is_ok_and(|l| l.is_object())
    })
}

/// Resolves once the code of the panels below the containers is in: the loader's
/// `podlabLater.ready()`, which waits for the editor and then loads the second WebAssembly
/// module (crates/split). At once without the loader.
pub async fn later_code() {
    use wasm_bindgen::JsCast;
    let Some(w) = window() else { return };
    let Ok(later) = js_sys::Reflect::get(&w, &"podlabLater".into()) else {
        return;
    };
    let Some(ready) = js_sys::Reflect::get(&later, &"ready".into())
        .ok()
        .and_then(|r| r.dyn_into::<js_sys::Function>().ok())
    else {
        return;
    };
    if let Ok(promise) = ready
        .call0(&later)
        .and_then(|p| p.dyn_into::<js_sys::Promise>())
    {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}

thread_local! {
    /// Whether analyses made here are whole: until the code of the panels below the containers
    /// is in (`later_code`), they leave out what only those panels show, the findings' fixes
    /// and the lifecycle, so that the first analysis needs none of the code that computes them
    /// (nor its time). Whole at once without the loader (natively, in the analysis worker, in
    /// component tests).
    static WHOLE: std::cell::Cell<bool> = std::cell::Cell::new(!later_loader());
}

/// Whether analyses are whole now (see `WHOLE`).
pub fn analyses_whole() -> bool {
    WHOLE.with(|f| f.get())
}

/// From now on analyses are whole: the lower panels' code is in.
pub fn analyse_whole() {
    WHOLE.with(|f| f.set(true));
}

/// Moves the panels below the containers of the first view rendered at build time (the
/// resources, the lifecycle, the findings, the cheat sheet; their controls inert) into `slot`,
/// where they stand until the app draws its own (`App`'s `later`): the page shows them whole
/// from its first paint, and their code comes after the first analysis.
pub fn keep_prerendered_panels(slot: &web_sys::Element) {
    let Some(view) = PRERENDERED_VIEW.with(|v| v.borrow_mut().take()) else {
        return;
    };
    // Each is moved out of the view as it is found, so the search ends.
    while let Ok(Some(panel)) = view.query_selector(
        r#".results > [data-reveal]:not([data-reveal="1"]), .results > .cheatsheet"#,
    ) {
        if slot.append_child(&panel).is_err() {
            break;
        }
    }
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
            PRERENDERED_VIEW.with(|v| *v.borrow_mut() = Some(old));
            yew::Renderer::<App>::with_root(root).render();
        }
        (_, _, Some(body)) => {
            yew::Renderer::<App>::with_root(body.into()).render();
        }
        _ => {}
    }
}
