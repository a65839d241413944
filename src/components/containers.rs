use crate::components::live::Live;
use crate::components::resource_list;
use crate::state::{workload_key, Dispatch, ManifestAction, State};
use podlab_engine::{ContainerReport, LiveContainer, Pattern, Workload};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

/// A glyph per pattern, so the badge does not rely on colour alone.
pub fn pattern_icon(p: Pattern) -> &'static str {
    match p {
        Pattern::Init => "▶",
        Pattern::Sidecar => "∥",
        Pattern::Ambassador => "⇄",
        Pattern::Adapter => "⇌",
        Pattern::App => "◆",
    }
}

#[function_component]
pub fn Containers(props: &Props) -> Html {
    let state = &props.state;
    let Some(w) = state.workload() else {
        return html! {};
    };
    html! {
        <>
        <Live state={state.clone()} />
        <section class="panel" aria-labelledby="containers-h">
            <h2 id="containers-h">{"Containers"}<span class="sub">{ format!(" — {} {} (line {})", w.kind, w.name, w.line) }</span></h2>
            <ul class="cards">
                { for w.containers.iter().map(|c| card(state, w, c)) }
            </ul>
        </section>
        </>
    }
}

/// What a live pod's status says of one container: its state, restarts, how its last run ended,
/// and whether it is the one holding the pod back.
fn live_state(c: &LiveContainer) -> Html {
    let state = match (&c.reason, c.exit_code) {
        (Some(r), Some(code)) => format!("{} ({r}, exit code {code})", c.state.as_str()),
        (Some(r), None) => format!("{} ({r})", c.state.as_str()),
        (None, Some(code)) => format!("{} (exit code {code})", c.state.as_str()),
        (None, None) => c.state.as_str().to_string(),
    };
    html! {
        <div class="live-state" data-testid="live-container" data-state={c.state.as_str()}
            data-reason={c.reason.clone()} data-restarts={c.restarts.to_string()}>
            if c.holds_pod_back {
                <p class="holds" data-testid="holds-pod-back"><span aria-hidden="true">{"⏸ "}</span>{"Holds the pod back: it is here now"}</p>
            }
            <dl>
                <dt>{"now"}</dt><dd>{ state }{ if c.ready { ", ready" } else { "" } }</dd>
                <dt>{"restarts"}</dt><dd>{ c.restarts }</dd>
                if let Some(t) = &c.last_termination {
                    <dt>{"last run"}</dt>
                    <dd data-testid="last-termination">{ format!("{}exit code {}{}{}",
                        t.reason.as_deref().map(|r| format!("{r}, ")).unwrap_or_default(),
                        t.exit_code,
                        t.signal.map(|s| format!(", signal {s}")).unwrap_or_default(),
                        t.finished_at.as_deref().map(|f| format!(", finished {f}")).unwrap_or_default()) }</dd>
                }
            </dl>
            if let Some(m) = &c.message { <p class="quiet">{ m }</p> }
        </div>
    }
}

fn card(state: &UseReducerHandle<State>, w: &Workload, c: &ContainerReport) -> Html {
    let line = c.line;
    let onclick = {
        let d = state.dispatcher();
        Callback::from(move |_| d.send(ManifestAction::Goto(line)))
    };
    let on_override = {
        let d = state.dispatcher();
        let workload = workload_key(w);
        let container = c.name.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
            d.send(ManifestAction::Override {
                workload: workload.clone(),
                container: container.clone(),
                pattern: Pattern::parse(&el.value()),
            });
        })
    };
    let live = w
        .live
        .as_ref()
        .and_then(|l| l.containers.iter().find(|x| x.name == c.name));
    let patterns = [
        Pattern::App,
        Pattern::Init,
        Pattern::Sidecar,
        Pattern::Ambassador,
        Pattern::Adapter,
    ];
    html! {
        <li class={classes!("card", format!("pattern-{}", c.pattern.as_str()), live.is_some_and(|l| l.holds_pod_back).then_some("holds-back"))} data-testid="container-card"
            data-container={c.name.clone()} data-form={c.form.as_str()} data-pattern={c.pattern.as_str()}
            data-holds-pod-back={live.is_some_and(|l| l.holds_pod_back).then_some("true")}>
            <button class="card-head" {onclick} title="Show in the editor">
                <span class="name">{ &c.name }</span>
                <span class="line">{ format!("line {}", c.line) }</span>
            </button>
            <div class="image">{ &c.image }</div>
            if let Some(l) = live { { live_state(l) } }
            <div class="badges">
                <span class={classes!("badge", "form", format!("form-{}", c.form.as_str()))}>{ c.form.as_str() }</span>
                <span class={classes!("badge", "pattern", format!("pattern-{}", c.pattern.as_str()))}>
                    <span aria-hidden="true">{ pattern_icon(c.pattern) }{" "}</span>{ c.pattern.as_str() }
                </span>
                <span class="confidence" title="How sure podlab is">{ format!("{}%", (c.confidence * 100.0).round_ties_even() as i64) }</span>
            </div>
            <ul class="evidence">{ for c.evidence.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
            { for state.notes.iter().filter(|n| n.container.as_deref() == Some(c.name.as_str())).map(|n| html! {
                <p class="card-note" data-testid="card-note"><span aria-hidden="true">{"✎ "}</span>{ &n.text }</p>
            }) }
            <dl class="own-resources">
                <dt>{"requests"}</dt><dd>{ resource_list(&c.requests) }</dd>
                <dt>{"limits"}</dt><dd>{ resource_list(&c.limits) }</dd>
            </dl>
            <label class="override">
                <span>{"Pattern"}</span>
                <select onchange={on_override} aria-label={format!("Choose the pattern of {}", c.name)}>
                    <option value="" selected={!c.overridden}>{"as detected"}</option>
                    { for patterns.iter().map(|p| html! {
                        <option value={p.as_str()} selected={c.overridden && *p == c.pattern}>{ p.as_str() }</option>
                    }) }
                </select>
            </label>
        </li>
    }
}
