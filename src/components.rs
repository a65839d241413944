//! One component a file; each renders engine output and sends actions.

pub mod cheatsheet;
pub mod containers;
pub mod editor;
pub mod findings;
pub mod input_errors;
pub mod lifecycle;
pub mod live;
pub mod questionnaire;
pub mod resources;
pub mod share;
pub mod toolbar;
pub mod workshop;

use podlab_engine::ResourceMap;

/// `cpu 100m · memory 64Mi`, or `none`.
pub fn resource_list(map: &ResourceMap) -> String {
    if map.is_empty() {
        return "none".into();
    }
    map.iter()
        .map(|(k, v)| format!("{k} {}", v.quantity))
        .collect::<Vec<_>>()
        .join(" · ")
}
