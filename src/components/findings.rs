use crate::state::{Dispatch, ManifestAction, State};
use podlab_engine::waivers::{Waived, WaivedBy, IGNORE_ANNOTATION};
use podlab_engine::{rules, Severity};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

#[function_component]
pub fn Findings(props: &Props) -> Html {
    let state = &props.state;
    let Some(w) = state.workload() else {
        return html! {};
    };
    let waived = w.diagnostics.iter().filter(|d| d.waived.is_some()).count();
    let summary = match waived {
        0 => format!(" — {}", w.diagnostics.len()),
        n => format!(" — {} ({n} waived)", w.diagnostics.len()),
    };
    let groups = [
        (Severity::Error, "Errors"),
        (Severity::Warning, "Warnings"),
        (Severity::Info, "Advice"),
    ];
    html! {
        <section class="panel" aria-labelledby="findings-h">
            <h2 id="findings-h">{"Findings"}<span class="sub">{ summary }</span></h2>
            if w.diagnostics.is_empty() {
                <p class="quiet">{"Nothing wrong or risky found."}</p>
            }
            { for groups.iter().map(|(sev, title)| {
                let items: Vec<_> = w.diagnostics.iter().filter(|d| d.severity == *sev).collect();
                if items.is_empty() { return html! {}; }
                html! {
                    <div class={classes!("finding-group", sev.as_str())}>
                        <h3>{ format!("{title} ({})", items.len()) }</h3>
                        <ul>
                        { for items.into_iter().map(|d| {
                            let line = d.line;
                            let onclick = { let dd = state.dispatcher(); Callback::from(move |_| dd.send(ManifestAction::Goto(line))) };
                            let rule = rules::CATALOGUE.iter().find(|r| r.id == d.rule);
                            html! {
                                <li class={classes!("finding", d.waived.is_some().then_some("waived"))} data-testid="diagnostic" data-rule={d.rule.clone()}
                                    data-severity={d.severity.as_str()} data-line={d.line.to_string()}
                                    data-waived={d.waived.is_some().then_some("true")}>
                                    <button class="finding-head" {onclick} title="Show in the editor">
                                        <span class={classes!("sev", d.severity.as_str())}>{ d.severity.as_str() }</span>
                                        <code>{ &d.rule }</code>
                                        if let Some(c) = &d.container { <span class="who">{ c }</span> }
                                        <span class="line">{ format!("line {}", d.line) }</span>
                                    </button>
                                    <p>{ &d.message }</p>
                                    if let Some(f) = &d.fix {
                                        <p class="fix">
                                            { fix_button(state, f, "fix", "Fix") }
                                            if !d.alternatives.is_empty() {
                                                <details class="fix-menu">
                                                    <summary data-testid="fix-more">{"Other fixes"}</summary>
                                                    { for d.alternatives.iter().map(|a| fix_button(state, a, "fix-alternative", "Fix")) }
                                                </details>
                                            }
                                        </p>
                                    }
                                    if let Some(wv) = &d.waived {
                                        <p class="waiver" data-testid="waiver">{ waiver_text(wv) }</p>
                                    }
                                    if let Some(r) = rule {
                                        <p class="source">
                                            <a href={r.docs} target="_blank" rel="noopener noreferrer">{"Kubernetes docs"}</a>
                                            { format!(" · upstream: {}", r.source) }
                                        </p>
                                    }
                                </li>
                            }
                        }) }
                        </ul>
                    </div>
                }
            }) }
        </section>
    }
}

/// A button that applies `fix` to the editor (one undoable change).
fn fix_button(
    state: &UseReducerHandle<State>,
    fix: &podlab_engine::Fix,
    id: &'static str,
    verb: &str,
) -> Html {
    let onclick = {
        let state = state.clone();
        let fix = fix.clone();
        Callback::from(move |_: MouseEvent| crate::fixes::apply(&state, &fix))
    };
    html! {
        <button class="fix-button" data-testid={id} title={fix.title.clone()} {onclick}
            disabled={state.manifest.awaiting()}>
            { format!("{verb}: {}", fix.title) }
        </button>
    }
}

/// Why a waived finding is shown apart: who waived it and, when given, the reason.
fn waiver_text(w: &Waived) -> String {
    let by = match w.by {
        WaivedBy::Annotation => format!("Waived by the manifest's {IGNORE_ANNOTATION} annotation"),
        WaivedBy::Config => "Waived by the configuration file".to_string(),
        WaivedBy::Flag => "Waived by --ignore".to_string(),
    };
    match w.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => format!("{by}: {r}"),
        None => format!("{by}."),
    }
}
