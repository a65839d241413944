use crate::state::{Dispatch, ManifestAction, State};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

/// What could not be read, at its line, in words.
#[function_component]
pub fn InputErrors(props: &Props) -> Html {
    let state = &props.state;
    let errors = &state.manifest.analysis.errors;
    if errors.is_empty() {
        return html! {};
    }
    html! {
        <section class="input-errors" role="alert" aria-label="Input errors">
            { for errors.iter().map(|e| {
                let line = e.line;
                let onclick = { let d = state.dispatcher(); Callback::from(move |_| d.send(ManifestAction::Goto(line))) };
                html! {
                    <button class="input-error" data-testid="input-error" data-line={e.line.to_string()} {onclick}>
                        <span class="where">{ format!("line {}, column {}", e.line, e.column) }</span>
                        <span class="what">{ &e.message }</span>
                    </button>
                }
            }) }
            if state.manifest.stale() {
                <p class="stale-note">{"The analysis below is from the last version that could be read."}</p>
            }
        </section>
    }
}
