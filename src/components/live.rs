use crate::state::State;
use podlab_engine::Live as LiveStatus;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

/// A live pod (one pasted with its `status`): what `kubectl get pod` shows, why, and what to run
/// next. A pod without a status has no panel.
#[function_component]
pub fn Live(props: &Props) -> Html {
    let Some(w) = props.state.workload() else {
        return html! {};
    };
    let Some(l) = &w.live else {
        return html! {};
    };
    html! {
        <section class="panel live" aria-labelledby="live-h" data-testid="live"
            data-status={l.status.clone()} data-ready={l.ready.clone()} data-restarts={l.restarts.to_string()}
            data-phase={l.phase.clone()} data-blocked-by={l.blocked_by.clone()}>
            <h2 id="live-h">{"Live pod"}<span class="sub">{ format!(" — phase {}", l.phase) }</span></h2>
            { kubectl_line(&w.name, l) }
            if let Some(b) = &l.blocked_by {
                <p class="blocked" data-testid="live-blocked">{"Held back by "}<strong>{ b }</strong></p>
            }
            <ul class="explanation">{ for l.explanation.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
            if let Some(r) = &l.resources.resize {
                <p class="quiet">{ r }</p>
            }
            if !l.resources.differences.is_empty() {
                <ul class="notes">{ for l.resources.differences.iter().map(|d| html! { <li>{ d }</li> }) }</ul>
            }
            if !l.commands.is_empty() {
                <details class="commands">
                    <summary>{"Look closer"}</summary>
                    <ul>{ for l.commands.iter().map(|c| html! { <li><code>{ c }</code></li> }) }</ul>
                </details>
            }
        </section>
    }
}

/// The row `kubectl get pod` prints for it.
fn kubectl_line(name: &str, l: &LiveStatus) -> Html {
    html! {
        <pre class="kubectl" aria-label={format!("kubectl get pod: {} {}, {} restarts", l.status, l.ready, l.restarts)}>
            { crate::components::kubectl_rows(name, &l.ready, &l.status, l.restarts) }
        </pre>
    }
}
