use crate::components::resource_list;
use crate::state::State;
use podlab_engine::resources::pods_per_node;
use podlab_engine::{Phase, PhaseKind, ResourceMap, Workload};
use std::collections::BTreeMap;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

const BAR_WIDTH: f64 = 250.0;
const LABEL_WIDTH: f64 = 175.0;

#[function_component]
pub fn Resources(props: &Props) -> Html {
    let state = &props.state;
    let Some(w) = state.workload() else {
        return html! {};
    };
    let r = &w.resources;
    let mut names: Vec<&String> = r.requests.keys().collect();
    for k in r.limits.keys() {
        if !names.contains(&k) {
            names.push(k);
        }
    }
    html! {
        <section class="panel" aria-labelledby="resources-h">
            <h2 id="resources-h">{"Effective resources"}</h2>
            <div class="effective">
                <div>
                    <h3>{"Requests"}</h3>
                    <ul data-testid="effective-requests" class="qty-list">
                        { for r.requests.iter().map(|(k, v)| html! {
                            <li data-resource={k.clone()} data-milli={v.milli.to_string()}><span>{ k }</span><strong>{ &v.quantity }</strong></li>
                        }) }
                        if r.requests.is_empty() { <li class="quiet">{"none"}</li> }
                    </ul>
                </div>
                <div>
                    <h3>{"Limits"}</h3>
                    <ul data-testid="effective-limits" class="qty-list">
                        { for r.limits.iter().map(|(k, v)| html! {
                            <li data-resource={k.clone()} data-milli={v.milli.to_string()}><span>{ k }</span><strong>{ &v.quantity }</strong></li>
                        }) }
                        if r.limits.is_empty() { <li class="quiet">{"none"}</li> }
                    </ul>
                </div>
                <div>
                    <h3>{"QoS class"}</h3>
                    <p class="qos"><strong data-testid="qos-class">{ r.qos.as_str() }</strong></p>
                    <p class="why">{ &r.qos_reason }</p>
                </div>
            </div>
            <ul class="explanation">{ for r.explanation.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
            { for names.iter().filter(|n| r.requests.contains_key(n.as_str())).map(|n| phase_bars(w, n)) }
            <div class="totals">
                if let (Some(t), Some(n)) = (&r.total_requests, w.replicas) {
                    <p>{ format!("× {}: requests {}", replicas(n), resource_list(t)) }
                        if let Some(l) = &r.total_limits { { format!("; limits {}", resource_list(l)) } }
                    </p>
                }
                if let (Some(t), Some(h)) = (&r.max_total_requests, &w.autoscaler) {
                    <p>{ format!("× {} at the autoscaler's maximum ({}): requests {}", replicas(h.max_replicas), h.name, resource_list(t)) }</p>
                }
            </div>
            <NodeFit requests={r.requests.clone()} />
        </section>
    }
}

/// "1 replica", "3 replicas".
fn replicas(n: i64) -> String {
    if n == 1 {
        "1 replica".to_string()
    } else {
        format!("{n} replicas")
    }
}

/// One bar per phase for a resource, scaled to the largest, the winning phase marked.
fn phase_bars(w: &Workload, resource: &str) -> Html {
    let r = &w.resources;
    let value = |p: &Phase| p.requests.get(resource).map(|q| q.milli).unwrap_or(0);
    let naive = r.naive_requests.get(resource).map(|q| q.milli).unwrap_or(0);
    let effective = r.requests.get(resource).map(|q| q.milli).unwrap_or(0);
    let phases: Vec<&Phase> = r
        .steps
        .iter()
        .filter(|p| !matches!(p.kind, PhaseKind::Overhead | PhaseKind::PodLevel))
        .collect();
    let max = phases
        .iter()
        .map(|p| value(p))
        .chain([naive, effective])
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let row_h = 22.0;
    let height = (phases.len() + 1) as f64 * row_h + 4.0;
    let bar = |y: f64, milli: i128, label: String, text: String, class: &'static str| {
        let width = (milli as f64 / max * BAR_WIDTH).max(1.0);
        html! {
            <g class={class}>
                <text x="0" y={(y + 15.0).to_string()} class="bar-label">{ label }</text>
                <rect x={LABEL_WIDTH.to_string()} y={(y + 3.0).to_string()} width={format!("{width:.1}")} height="16" rx="3" />
                <text x={format!("{:.1}", LABEL_WIDTH + 6.0 + width)} y={(y + 15.0).to_string()} class="bar-value">{ text }</text>
            </g>
        }
    };
    let quantity = |p: &Phase| {
        p.requests
            .get(resource)
            .map(|q| q.quantity.clone())
            .unwrap_or_else(|| "0".into())
    };
    // Quantities are input: a difference past i128 is not drawn rather than wrapped.
    let diff = effective.checked_sub(naive).unwrap_or(0);
    html! {
        <figure class="phases">
            <figcaption>
                <strong>{ resource }</strong>
                { format!(": effective {}", r.requests.get(resource).map(|q| q.quantity.as_str()).unwrap_or("0")) }
                if diff != 0 {
                    <span class="delta">{ format!(" — the containers alone ask for {}; {} more is reserved", r.naive_requests.get(resource).map(|q| q.quantity.as_str()).unwrap_or("0"), podlab_engine::quantity::milli_delta_text(resource, diff)) }</span>
                }
            </figcaption>
            <svg width="100%" viewBox={format!("0 0 560 {height}")} preserveAspectRatio="xMinYMin meet" role="img"
                aria-label={format!("{resource} per phase of the pod's life")}>
                { for phases.iter().enumerate().map(|(i, p)| {
                    let wins = p.wins.iter().any(|x| x == resource);
                    let label = if p.label.chars().count() > 24 { format!("{}…", p.label.chars().take(23).collect::<String>()) } else { p.label.clone() };
                    bar(i as f64 * row_h, value(p), label, format!("{}{}", quantity(p), if wins { "  ← sets it" } else { "" }), if wins { "bar win" } else { "bar" })
                }) }
                { bar(phases.len() as f64 * row_h, naive, "containers alone".into(), r.naive_requests.get(resource).map(|q| q.quantity.clone()).unwrap_or_else(|| "0".into()), "bar naive") }
            </svg>
        </figure>
    }
}

#[derive(Properties, PartialEq)]
struct FitProps {
    requests: ResourceMap,
}

/// How many such pods fit on an empty node of a given allocatable size.
#[function_component]
fn NodeFit(props: &FitProps) -> Html {
    let cpu = use_state(|| "4".to_string());
    let memory = use_state(|| "16Gi".to_string());
    let alloc = BTreeMap::from([
        ("cpu".to_string(), (*cpu).clone()),
        ("memory".to_string(), (*memory).clone()),
    ]);
    let result = match pods_per_node(&props.requests, &alloc) {
        Ok(Some((n, by))) => format!("{n} of these pods fit on such a node (limited by {by})."),
        Ok(None) => {
            "Nothing is requested, so the scheduler would not stop at any number: set requests."
                .to_string()
        }
        Err(e) => e,
    };
    let input = |h: UseStateHandle<String>| {
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            h.set(el.value());
        })
    };
    html! {
        <div class="node-fit">
            <h3>{"How many fit on a node?"}</h3>
            <label>{"allocatable cpu "}<input value={(*cpu).clone()} oninput={input(cpu.clone())} size="6" /></label>
            <label>{"memory "}<input value={(*memory).clone()} oninput={input(memory.clone())} size="8" /></label>
            <p data-testid="node-fit">{ result }</p>
        </div>
    }
}
