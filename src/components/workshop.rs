use crate::components::containers::pattern_icon;
use crate::state::{DeckAction, Dispatch, PresenterAction, QuizAction, State};
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
    if state.deck.deck.is_none() {
        return html! {};
    }
    deck_bar(state)
}

/// The deck's bar when a deck is open: on its own, so that a visit without a deck never runs
/// it (the page loads such code after its first analysis: crates/split).
#[inline(never)]
fn deck_bar(state: &UseReducerHandle<State>) -> Html {
    let (Some(deck), Some(lesson)) = (state.deck.deck.as_ref(), state.current_lesson()) else {
        return html! {};
    };
    let n = deck.lessons.len();
    let at = state.deck.lesson;
    let go = |i: usize| State::on(state, DeckAction::Goto(i));
    let next_reveal = state.presenter.next().map(|s| s.name());
    html! {
        <section class="panel deck" data-testid="deck" aria-labelledby="lesson-title" data-lesson={at.to_string()}>
            <div class="deck-head">
                <span class="deck-title">{ &deck.title }</span>
                <span class="deck-pos" data-testid="lesson-position">{ format!("Lesson {} of {}", at + 1, n) }</span>
            </div>
            <div class="deck-nav">
                <button data-testid="lesson-prev" disabled={at == 0} onclick={go(at.saturating_sub(1))}>{"← Previous"}</button>
                <button data-testid="lesson-next" disabled={at + 1 >= n} onclick={go(at + 1)}>{"Next →"}</button>
                <button data-testid="present-toggle" class={classes!("tab", state.presenter.on.then_some("on"))}
                    aria-pressed={state.presenter.on.to_string()} onclick={State::on(state, PresenterAction::Toggle)}>
                    { if state.presenter.on { "Leave presenter view" } else { "Present" } }
                </button>
                <button class="link" data-testid="deck-close" onclick={State::on(state, DeckAction::Close)}>{"Close the deck"}</button>
            </div>
            <h2 id="lesson-title" data-testid="lesson-title">{ &lesson.title }</h2>
            if !state.presenter.on {
                <DeckEditor state={state.clone()} />
            }
            { for lesson.text.split("\n\n").map(|p| html! { <p class="lesson-text">{ p }</p> }) }
            if state.presenter.on && !state.quiz_pending() {
                <div class="reveal">
                    if let Some(section) = next_reveal {
                        <button data-testid="reveal-next" class="primary" onclick={State::on(state, PresenterAction::RevealNext)}>
                            { format!("Reveal the {section}") }
                        </button>
                    } else if at + 1 < n {
                        <button data-testid="reveal-next" class="primary" onclick={State::on(state, PresenterAction::RevealNext)}>{"Next lesson →"}</button>
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
    if state.deck.deck.is_none() {
        return html! {};
    }
    quiz(state)
}

/// A lesson's quiz (only in a deck), on its own as [`deck_bar`] is.
#[inline(never)]
fn quiz(state: &UseReducerHandle<State>) -> Html {
    let Some(lesson) = state.current_lesson() else {
        return html! {};
    };
    if !lesson.quiz {
        return html! {};
    }
    let Some(w) = state.workload() else {
        return html! {};
    };
    let checked = state.quiz.checked;
    let answered: Vec<(Choice, &podlab_engine::ContainerReport)> = w
        .containers
        .iter()
        .filter_map(|c| {
            let ch = state
                .quiz
                .answers
                .get(&c.name)
                .and_then(|id| Choice::parse(id))?;
            Some((ch, c))
        })
        .collect();
    let (right, _) = quiz::score(&answered);
    let total = w.containers.len();
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
                    let chosen = state.quiz.answers.get(&c.name).cloned().unwrap_or_default();
                    let onchange = {
                        let (d, name) = (state.dispatcher(), c.name.clone());
                        Callback::from(move |e: Event| {
                            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
                            d.send(QuizAction::Answer(name.clone(), el.value()));
                        })
                    };
                    let grade = Choice::parse(&chosen).filter(|_| checked).map(|ch| quiz::grade(ch, c));
                    let shown = state.quiz.hints.get(&c.name).copied().unwrap_or(0);
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
                                <button class="link" data-testid="quiz-hint" onclick={State::on(state, QuizAction::Hint(c.name.clone()))}>
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
                <button data-testid="quiz-reset" onclick={State::on(state, QuizAction::Reset)}>{"Try again"}</button>
            } else {
                <button data-testid="quiz-check" class="primary" onclick={State::on(state, QuizAction::Check)}>{"Check my answers"}</button>
            }
        </section>
    }
}

/// Authoring: the deck's title, the lesson's title, text and quiz, and adding, removing and
/// moving lessons. A saved file or a link then carries the deck.
#[function_component]
fn DeckEditor(props: &Props) -> Html {
    let state = &props.state;
    let (Some(deck), Some(lesson)) = (state.deck.deck.as_ref(), state.current_lesson()) else {
        return html! {};
    };
    let text_input = |make: fn(String) -> DeckAction| {
        let d = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            d.send(make(el.value()))
        })
    };
    let on_text = {
        let d = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            d.send(DeckAction::SetLessonText(el.value()))
        })
    };
    let on_quiz = {
        let d = state.dispatcher();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            d.send(DeckAction::SetLessonQuiz(el.checked()))
        })
    };
    let n = deck.lessons.len();
    html! {
        <details class="deck-edit" data-testid="deck-edit">
            <summary>{"Edit the deck"}</summary>
            <label class="stack">{"Deck title"}
                <input data-testid="deck-title" type="text" value={deck.title.clone()} oninput={text_input(DeckAction::SetTitle)} />
            </label>
            <label class="stack">{ format!("Title of lesson {}", state.deck.lesson + 1) }
                <input data-testid="lesson-title-input" type="text" value={lesson.title.clone()} oninput={text_input(DeckAction::SetLessonTitle)} />
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
                <button data-testid="lesson-add" onclick={State::on(state, DeckAction::AddLesson)}>{"Add a lesson after this one"}</button>
                <button data-testid="lesson-up" disabled={state.deck.lesson == 0} onclick={State::on(state, DeckAction::MoveLesson(-1))}>{"Move earlier"}</button>
                <button data-testid="lesson-down" disabled={state.deck.lesson + 1 >= n} onclick={State::on(state, DeckAction::MoveLesson(1))}>{"Move later"}</button>
                <button data-testid="lesson-remove" disabled={n < 2} onclick={State::on(state, DeckAction::RemoveLesson)}>{"Remove this lesson"}</button>
            </div>
        </details>
    }
}
