use crate::state::State;
use podlab_engine::debug::cheat_sheet;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

#[function_component]
pub fn CheatSheet(props: &Props) -> Html {
    let Some(w) = props.state.workload() else {
        return html! {};
    };
    html! {
        <details class="panel cheatsheet">
            <summary><h2>{"Debug cheat sheet"}</h2></summary>
            <dl>
                { for cheat_sheet(w).into_iter().map(|c| html! {
                    <>
                        <dt>{ c.what }</dt>
                        <dd><code>{ c.command }</code></dd>
                    </>
                }) }
            </dl>
        </details>
    }
}
