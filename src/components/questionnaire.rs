use crate::state::{Dispatch, ManifestAction, QuestionnaireAction, State};
use podlab_engine::matrix::{self, Step};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

/// The decision matrix as questions, from a need to a pattern and a starting manifest.
#[function_component]
pub fn Questionnaire(props: &Props) -> Html {
    let state = &props.state;
    let checked = use_state(|| None::<Vec<String>>);
    if !state.questionnaire.open {
        return html! {};
    }
    open(state, checked)
}

/// The questionnaire when it is open: on its own, so that a visit that never opens it never
/// runs it (the page loads such code after its first analysis: crates/split).
#[inline(never)]
fn open(state: &UseReducerHandle<State>, checked: UseStateHandle<Option<Vec<String>>>) -> Html {
    let d = state.dispatcher();
    let step = matrix::next(&state.questionnaire.answers);
    let back = {
        let d = d.clone();
        let checked = checked.clone();
        Callback::from(move |_| {
            checked.set(None);
            d.send(QuestionnaireAction::Back(None))
        })
    };
    let restart = {
        let d = d.clone();
        let checked = checked.clone();
        Callback::from(move |_| {
            checked.set(None);
            d.send(QuestionnaireAction::Restart)
        })
    };
    let answered = html! {
        <ol class="answered" aria-label="Your answers">
            { for state.questionnaire.answers.iter().map(|(q, a)| {
                let d = d.clone();
                let qid = q.clone();
                let question = matrix::next(&state.questionnaire.answers[..state.questionnaire.answers.iter().position(|(x, _)| x == q).unwrap_or(0)]);
                let (text, label) = match question {
                    Step::Ask { question } => {
                        let label = question.choices.iter().find(|c| c.id == a).map(|c| c.label).unwrap_or("");
                        (question.text, label)
                    }
                    Step::Done { .. } => ("", ""),
                };
                html! {
                    <li><button class="link" onclick={Callback::from(move |_| d.send(QuestionnaireAction::Back(Some(qid.clone()))))}
                        title="Change this answer">{ text }<strong>{ format!(" {label}") }</strong></button></li>
                }
            }) }
        </ol>
    };
    let body = match step {
        Step::Ask { question } => html! {
            <div data-testid="question" class="question" data-question={question.id}>
                <h3>{ question.text }</h3>
                <p class="quiet">{ question.help }</p>
                <div class="answers" role="group" aria-label={question.text}>
                    { for question.choices.iter().map(|c| {
                        let d = d.clone();
                        let (q, a) = (question.id.to_string(), c.id.to_string());
                        html! { <button data-testid="answer" data-answer={c.id} class="answer" onclick={Callback::from(move |_| d.send(QuestionnaireAction::Answer(q.clone(), a.clone())))}>{ c.label }</button> }
                    }) }
                </div>
            </div>
        },
        Step::Done { recommendation: r } => {
            let starter = r.starter.clone();
            let load = {
                let d = d.clone();
                Callback::from(move |_| d.send(ManifestAction::Load(starter.clone())))
            };
            let check = {
                let checked = checked.clone();
                let answers = (*state.questionnaire.answers).clone();
                let analysis = state.manifest.analysis.clone();
                Callback::from(move |_| checked.set(Some(matrix::check(&answers, &analysis))))
            };
            html! {
                <div data-testid="recommendation" class="recommendation" data-pattern={r.pattern}>
                    <h3>{ r.title }</h3>
                    <h4>{"Why"}</h4>
                    <ul>{ for r.why.iter().map(|w| html! { <li>{ w }</li> }) }</ul>
                    <h4>{"Pitfalls to watch"}</h4>
                    <ul>{ for r.pitfalls.iter().map(|(rule, text)| html! {
                        <li>{ text }{ rule.map(|id| html! { <>{" "}<code>{ id }</code></> }).unwrap_or_default() }</li>
                    }) }</ul>
                    <div class="actions">
                        <button data-testid="load-starter" class="primary" onclick={load}>{"Load the starting manifest"}</button>
                        <button data-testid="check-manifest" onclick={check}>{"Check my manifest"}</button>
                    </div>
                    if let Some(found) = &*checked {
                        <div data-testid="check-result" class="check-result">
                            if found.is_empty() {
                                <p>{"The manifest in the editor agrees with your answers."}</p>
                            } else {
                                <ul>{ for found.iter().map(|f| html! { <li>{ f }</li> }) }</ul>
                            }
                        </div>
                    }
                    <details><summary>{"Starting manifest"}</summary><pre class="starter">{ &r.starter }</pre></details>
                </div>
            }
        }
    };
    html! {
        <section class="panel questionnaire" data-testid="questionnaire" aria-labelledby="questionnaire-h">
            <h2 id="questionnaire-h">{"Which pattern do I need?"}</h2>
            { answered }
            { body }
            <div class="controls">
                <button data-testid="questionnaire-back" onclick={back} disabled={state.questionnaire.answers.is_empty()}>{"Back"}</button>
                <button data-testid="questionnaire-forward" disabled={state.questionnaire.undone.is_empty()}
                    onclick={{ let d = d.clone(); let checked = checked.clone(); Callback::from(move |_| { checked.set(None); d.send(QuestionnaireAction::Forward) }) }}>{"Forward"}</button>
                <button data-testid="questionnaire-restart" onclick={restart}>{"Start over"}</button>
            </div>
        </section>
    }
}
