use crate::state::State;
use gloo_timers::callback::Interval;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

/// The start and stop order, stage by stage, with controls to step through it.
#[function_component]
pub fn Lifecycle(props: &Props) -> Html {
    let state = &props.state;
    let current = use_state(|| 0usize);
    let scenario = use_state(|| None::<String>);
    let playing = use_state(|| None::<std::rc::Rc<Interval>>);
    let Some(w) = state.workload() else {
        return html! {};
    };
    let l = &w.lifecycle;
    let total = l.startup.len() + l.shutdown.len();

    let step = {
        let current = current.clone();
        Callback::from(move |_| current.set((*current + 1) % (total + 1)))
    };
    let reset = {
        let current = current.clone();
        let playing = playing.clone();
        Callback::from(move |_| {
            playing.set(None);
            current.set(0);
        })
    };
    let play = {
        let current = current.clone();
        let playing = playing.clone();
        Callback::from(move |_| {
            let c = current.clone();
            let value = std::rc::Rc::new(std::cell::Cell::new(*current));
            let interval = Interval::new(900, move || {
                let next = (value.get() + 1).min(total);
                value.set(next);
                c.set(next);
            });
            playing.set(Some(std::rc::Rc::new(interval)));
        })
    };
    let pause = {
        let playing = playing.clone();
        Callback::from(move |_| playing.set(None))
    };
    let stage = |i: usize, names: &Vec<String>, phase: &'static str| {
        let index = if phase == "startup" {
            i
        } else {
            l.startup.len() + i
        };
        let active = *current > index;
        html! {
            <li class={classes!("stage", active.then_some("done"), (*current == index + 1).then_some("now"))}
                data-testid="lifecycle-stage" data-stage={index.to_string()} data-phase={phase}
                data-containers={names.join(",")}>
                <span class="stage-n">{ index + 1 }</span>
                { for names.iter().map(|n| html! { <span class="chip">{ n }</span> }) }
            </li>
        }
    };
    html! {
        <section class="panel" aria-labelledby="lifecycle-h">
            <h2 id="lifecycle-h">{"Lifecycle"}</h2>
            <div class="controls" role="group" aria-label="Lifecycle animation">
                if playing.is_some() {
                    <button data-testid="lifecycle-pause" onclick={pause}>{"Pause"}</button>
                } else {
                    <button data-testid="lifecycle-play" onclick={play}>{"Play"}</button>
                }
                <button data-testid="lifecycle-step" onclick={step}>{"Step"}</button>
                <button data-testid="lifecycle-reset" onclick={reset}>{"Reset"}</button>
                <span class="quiet">{ format!("{} / {total}", (*current).min(total)) }</span>
            </div>
            <div data-testid="lifecycle" class="lifecycle">
                <h3>{"Start"}</h3>
                <ol class="stages">{ for l.startup.iter().enumerate().map(|(i, s)| stage(i, s, "startup")) }</ol>
                <h3>{ format!("Stop (grace period {} s)", l.timeline.termination_grace_period_seconds) }</h3>
                <ol class="stages">{ for l.shutdown.iter().enumerate().map(|(i, s)| stage(i, s, "shutdown")) }</ol>
                <ul class="notes">{ for l.timeline.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
            </div>
            <div class="scenarios">
                <label class="field">
                    <span>{"What if…"}</span>
                    <select data-testid="lifecycle-scenario" onchange={{
                        let scenario = scenario.clone();
                        Callback::from(move |e: Event| {
                            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
                            let v = el.value();
                            scenario.set((!v.is_empty()).then_some(v));
                        })
                    }}>
                        <option value="" selected={scenario.is_none()}>{"choose a scenario"}</option>
                        { for l.scenarios.iter().map(|s| html! {
                            <option value={s.id.clone()} selected={scenario.as_deref() == Some(s.id.as_str())}>{ &s.title }</option>
                        }) }
                    </select>
                </label>
                if let Some(s) = scenario.as_ref().and_then(|id| l.scenarios.iter().find(|s| &s.id == id)) {
                    <ol class="scenario-events">
                        { for s.events.iter().map(|e| html! {
                            <li><span class="at">{ format!("{} s", e.best) }</span>{ &e.text }</li>
                        }) }
                    </ol>
                    <p class="outcome" data-testid="scenario-outcome">{ &s.outcome }</p>
                }
            </div>
        </section>
    }
}
