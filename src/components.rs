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

/// The header and the row `kubectl get pod` prints for a pod, laid out as kubectl lays them out
/// (the engine's `table_lines`), the header muted.
pub fn kubectl_rows(name: &str, ready: &str, status: &str, restarts: i64) -> yew::Html {
    let restarts = restarts.to_string();
    let lines = podlab_engine::lifecycle::podstatus::table_lines(&[
        &["NAME", "READY", "STATUS", "RESTARTS"],
        &[name, ready, status, &restarts],
    ]);
    let [header, row] = <[String; 2]>::try_from(lines).unwrap_or_default();
    yew::html! { <><span class="cols">{ header }</span>{ "\n" }{ row }</> }
}
