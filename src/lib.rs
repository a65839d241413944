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

/// Mounts the page into `<body>`.
pub fn run() {
    // In the analysis worker this module only analyses (`analysis_worker::worker_analyze`).
    if web_sys::window().is_none() {
        return;
    }
    rescue::install();
    yew::Renderer::<App>::new().render();
}
