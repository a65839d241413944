use crate::components::containers::pattern_icon;
use crate::state::{Action, State};
use podlab_engine::quiz::{self, Choice};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<State>,
}

/// The lesson deck's bar: where we are, previous and next, the presenter view, and the lesson's
/// text. In the presenter view, "Reveal next" shows the analysis one section at a time.
#[function_component]
pub fn DeckBar(props: &Props) -> Html {
    let state = &props.state;
    let (Some(deck), Some(lesson)) = (state.deck.as_ref(), state.current_lesson()) else {
        return html! {};
    };
    let n = deck.lessons.len();
    let at = state.lesson;
    let go = |i: usize| State::on(state, Action::GotoLesson(i));
    let act = |a: Action| State::on(state, a);
    const SECTIONS: [&str; 4] = ["containers", "resources", "lifecycle", "findings"];
    let next_reveal = SECTIONS.get(state.reveal).copied();
    html! {
        <section class="panel deck" data-testid="deck" aria-labelledby="lesson-title" data-lesson={at.to_string()}>
            <div class="deck-head">
                <span class="deck-title">{ &deck.title }</span>
                <span class="deck-pos" data-testid="lesson-position">{ format!("Lesson {} of {}", at + 1, n) }</span>
            </div>
            <div class="deck-nav">
                <button data-testid="lesson-prev" disabled={at == 0} onclick={go(at.saturating_sub(1))}>{"← Previous"}</button>
                <button data-testid="lesson-next" disabled={at + 1 >= n} onclick={go(at + 1)}>{"Next →"}</button>
                <button data-testid="present-toggle" class={classes!("tab", state.presenting.then_some("on"))}
                    aria-pressed={state.presenting.to_string()} onclick={act(Action::TogglePresent)}>
                    { if state.presenting { "Leave presenter view" } else { "Present" } }
                </button>
                <button class="link" data-testid="deck-close" onclick={act(Action::CloseDeck)}>{"Close the deck"}</button>
            </div>
            <h2 id="lesson-title" data-testid="lesson-title">{ &lesson.title }</h2>
            if !state.presenting {
                <DeckEditor state={state.clone()} />
            }
            { for lesson.text.split("\n\n").map(|p| html! { <p class="lesson-text">{ p }</p> }) }
            if state.presenting && !state.quiz_pending() {
                <div class="reveal">
                    if let Some(section) = next_reveal {
                        <button data-testid="reveal-next" class="primary" onclick={act(Action::RevealNext)}>
                            { format!("Reveal the {section}") }
                        </button>
                    } else if at + 1 < n {
                        <button data-testid="reveal-next" class="primary" onclick={act(Action::RevealNext)}>{"Next lesson →"}</button>
                    }
                    <span class="quiet">{" Keys: → or Page Down reveals, ← or Page Up goes back."}</span>
                </div>
            }
        </section>
    }
}

/// Learners name each container's pattern; checking grades them, shows the score and reveals
/// the analysis. Hints come from the engine's evidence, mildest first.
#[function_component]
pub fn Quiz(props: &Props) -> Html {
    let state = &props.state;
    let Some(lesson) = state.current_lesson() else {
        return html! {};
    };
    if !lesson.quiz {
        return html! {};
    }
    let Some(w) = state.workload() else {
        return html! {};
    };
    let checked = state.quiz_checked;
    let answered: Vec<(Choice, &podlab_engine::ContainerReport)> = w
        .containers
        .iter()
        .filter_map(|c| {
            let ch = state.quiz.get(&c.name).and_then(|id| Choice::parse(id))?;
            Some((ch, c))
        })
        .collect();
    let (right, _) = quiz::score(&answered);
    let total = w.containers.len();
    let act = |a: Action| State::on(state, a);
    html! {
        <section class="panel quiz" data-testid="quiz" aria-labelledby="quiz-h">
            <h2 id="quiz-h">{"Quiz: what is each container?"}</h2>
            if checked {
                <p class="score" data-testid="quiz-score" data-right={right.to_string()} data-total={total.to_string()} role="status">
                    { format!("{right} of {total} right") }
                    { if right == total { " — all of them." } else { "." } }
                </p>
            } else {
                <p class="quiet">{"Choose a pattern for each container, then check. Either sidecar form counts for a sidecar."}</p>
            }
            <ul class="quiz-items">
                { for w.containers.iter().map(|c| {
                    let chosen = state.quiz.get(&c.name).cloned().unwrap_or_default();
                    let onchange = {
                        let (d, name) = (state.dispatcher(), c.name.clone());
                        Callback::from(move |e: Event| {
                            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
                            d.dispatch(Action::QuizAnswer(name.clone(), el.value()));
                        })
                    };
                    let grade = Choice::parse(&chosen).filter(|_| checked).map(|ch| quiz::grade(ch, c));
                    let shown = state.hints.get(&c.name).copied().unwrap_or(0);
                    let hints = quiz::hints(c);
                    let verdict = match &grade {
                        Some(g) if g.right => "right",
                        Some(_) => "wrong",
                        None if checked => "unanswered",
                        None => "",
                    };
                    html! {
                        <li class={classes!("quiz-item", (!verdict.is_empty()).then(|| format!("verdict-{verdict}")))}
                            data-testid="quiz-item" data-container={c.name.clone()} data-verdict={verdict}>
                            <div class="quiz-who">
                                <span class="name">{ &c.name }</span>
                                <span class="image">{ &c.image }</span>
                                <span class="line">{ format!("line {}", c.line) }</span>
                                if checked {
                                    <span class={classes!("badge", "pattern", format!("pattern-{}", c.pattern.as_str()))}>
                                        <span aria-hidden="true">{ pattern_icon(c.pattern) }{" "}</span>{ c.pattern.as_str() }
                                    </span>
                                }
                            </div>
                            <select data-testid="quiz-answer" disabled={checked} {onchange} aria-label={format!("Pattern of {}", c.name)}>
                                <option value="" selected={chosen.is_empty()}>{"choose…"}</option>
                                { for Choice::ALL.iter().map(|ch| html! {
                                    <option value={ch.id()} selected={chosen == ch.id()}>{ ch.label() }</option>
                                }) }
                            </select>
                            if !checked && shown < hints.len() {
                                <button class="link" data-testid="quiz-hint" onclick={act(Action::QuizHint(c.name.clone()))}>
                                    { if shown == 0 { "hint" } else { "another hint" } }
                                </button>
                            }
                            if shown > 0 {
                                <ul class="hints">{ for hints.iter().take(shown).map(|h| html! { <li data-testid="hint">{ h }</li> }) }</ul>
                            }
                            if let Some(g) = grade {
                                <p class="remark">
                                    <span aria-hidden="true">{ if g.right { "✓ " } else { "✗ " } }</span>
                                    { g.remark }
                                </p>
                            } else if checked {
                                <p class="remark">{ format!("Not answered: it is {}.", quiz::pattern_name(c.pattern)) }</p>
                            }
                        </li>
                    }
                }) }
            </ul>
            if checked {
                <button data-testid="quiz-reset" onclick={act(Action::QuizReset)}>{"Try again"}</button>
            } else {
                <button data-testid="quiz-check" class="primary" onclick={act(Action::QuizCheck)}>{"Check my answers"}</button>
            }
        </section>
    }
}

/// Authoring: the deck's title, the lesson's title, text and quiz, and adding, removing and
/// moving lessons. A saved file or a link then carries the deck.
#[function_component]
fn DeckEditor(props: &Props) -> Html {
    let state = &props.state;
    let (Some(deck), Some(lesson)) = (state.deck.as_ref(), state.current_lesson()) else {
        return html! {};
    };
    let text_input = |make: fn(String) -> Action| {
        let d = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            d.dispatch(make(el.value()))
        })
    };
    let on_text = {
        let d = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            d.dispatch(Action::SetLessonText(el.value()))
        })
    };
    let on_quiz = {
        let d = state.dispatcher();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            d.dispatch(Action::SetLessonQuiz(el.checked()))
        })
    };
    let act = |a: Action| State::on(state, a);
    let n = deck.lessons.len();
    html! {
        <details class="deck-edit" data-testid="deck-edit">
            <summary>{"Edit the deck"}</summary>
            <label class="stack">{"Deck title"}
                <input data-testid="deck-title" type="text" value={deck.title.clone()} oninput={text_input(Action::SetDeckTitle)} />
            </label>
            <label class="stack">{ format!("Title of lesson {}", state.lesson + 1) }
                <input data-testid="lesson-title-input" type="text" value={lesson.title.clone()} oninput={text_input(Action::SetLessonTitle)} />
            </label>
            <label class="stack">{"What to say before the reveal (blank lines split paragraphs)"}
                <textarea data-testid="lesson-text-input" rows="3" value={lesson.text.clone()} oninput={on_text} />
            </label>
            <label class="check">
                <input data-testid="lesson-quiz" type="checkbox" checked={lesson.quiz} onchange={on_quiz} />
                {" Learners classify the containers before the analysis shows"}
            </label>
            <p class="quiet">{"The manifest and notes of this lesson are what the editor and the notes panel hold."}</p>
            <div class="deck-nav">
                <button data-testid="lesson-add" onclick={act(Action::AddLesson)}>{"Add a lesson after this one"}</button>
                <button data-testid="lesson-up" disabled={state.lesson == 0} onclick={act(Action::MoveLesson(-1))}>{"Move earlier"}</button>
                <button data-testid="lesson-down" disabled={state.lesson + 1 >= n} onclick={act(Action::MoveLesson(1))}>{"Move later"}</button>
                <button data-testid="lesson-remove" disabled={n < 2} onclick={act(Action::RemoveLesson)}>{"Remove this lesson"}</button>
            </div>
        </details>
    }
}
