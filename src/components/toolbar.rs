use crate::examples::EXAMPLES;
use crate::state::{workload_key, Dispatch, ManifestAction, State};
use podlab_engine::KubeVersion;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

#[function_component]
pub fn Toolbar(props: &Props) -> Html {
    let state = &props.state;
    let on_version = {
        let dispatch = state.dispatcher();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(v) = el.value().parse::<KubeVersion>() {
                dispatch.send(ManifestAction::SetVersion(v));
            }
        })
    };
    let on_example = {
        let dispatch = state.dispatcher();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(ex) = crate::examples::by_id(&el.value()) {
                dispatch.send(ManifestAction::Load(ex.text.to_string()));
            }
            el.set_value("");
        })
    };
    let versions: Vec<KubeVersion> = KubeVersion::all().collect();
    html! {
        <div class="toolbar" role="toolbar" aria-label="Analysis settings">
            <label class="field">
                <span>{"Kubernetes"}</span>
                <select data-testid="k8s-version" onchange={on_version} aria-label="Target Kubernetes version">
                    { for versions.iter().rev().map(|v| html! {
                        <option value={v.to_string()} selected={*v == state.manifest.version}>{ v.to_string() }</option>
                    }) }
                </select>
            </label>
            <label class="field">
                <span>{"Examples"}</span>
                <select data-testid="example-select" onchange={on_example} aria-label="Load a built-in example">
                    <option value="" selected=true>{"Load an example…"}</option>
                    { for EXAMPLES.iter().map(|e| html! { <option value={e.id}>{ e.title }</option> }) }
                </select>
            </label>
        </div>
    }
}

#[function_component]
pub fn WorkloadPicker(props: &Props) -> Html {
    let state = &props.state;
    let ws = &state.manifest.shown.workloads;
    if ws.len() < 2 {
        return html! {};
    }
    let current = state.workload().map(workload_key).unwrap_or_default();
    let onchange = {
        let dispatch = state.dispatcher();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
            dispatch.send(ManifestAction::Select(el.value()));
        })
    };
    html! {
        <label class="field workload-picker">
            <span>{ format!("Workload ({} in this input)", ws.len()) }</span>
            <select data-testid="workload-select" {onchange}>
                { for ws.iter().map(|w| {
                    let key = workload_key(w);
                    html! { <option value={key.clone()} selected={key == current}>{ format!("{key} (line {})", w.line) }</option> }
                }) }
            </select>
        </label>
    }
}
