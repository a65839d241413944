//! The podlab playground page: renders what the engine returns, computes no Kubernetes semantics.

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
    rescue::install();
    yew::Renderer::<App>::new().render();
}
