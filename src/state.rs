//! All page state, grouped by concern, changed only by actions through one reducer. Each
//! concern has its own file with its part of the state, its actions and its sub-reducer; the
//! reducer here only hands an action to its concern.
//!
//! Concerns that move the manifest on screen (a link, a file, a lesson) reduce the whole
//! state; the rest (notes, quiz, questionnaire) change only their own part.

mod deck;
mod manifest;
mod notes;
mod origin;
mod presenter;
mod questionnaire;
mod quiz;

pub use deck::{DeckAction, Lessons};
pub use manifest::{
    analyse, workload_key, Manifest, ManifestAction, LARGE_BYTES, PAGE_MAX_BYTES, WORKER_BYTES,
};
pub use notes::NoteAction;
pub use origin::{Origin, OriginAction};
pub use presenter::{Presenter, PresenterAction, Section};
pub use questionnaire::{Questionnaire, QuestionnaireAction};
pub use quiz::{Quiz, QuizAction};

use podlab_engine::share::{Note, Payload};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
pub struct State {
    /// The text in the editor, its analysis and what the reader chose to look at.
    pub manifest: Manifest,
    /// Notes on lines or containers of the manifest.
    pub notes: Rc<Vec<Note>>,
    /// Where the manifest came from: a link, a file, or the reader.
    pub origin: Origin,
    /// A workshop deck and the lesson on screen.
    pub deck: Lessons,
    pub presenter: Presenter,
    pub quiz: Quiz,
    pub questionnaire: Questionnaire,
}

#[derive(Clone)]
pub enum Action {
    Manifest(ManifestAction),
    Origin(OriginAction),
    Note(NoteAction),
    Deck(DeckAction),
    Present(PresenterAction),
    Quiz(QuizAction),
    Questionnaire(QuestionnaireAction),
}

macro_rules! concern {
    ($($variant:ident($action:ty)),*) => {
        $(impl From<$action> for Action {
            fn from(a: $action) -> Self {
                Action::$variant(a)
            }
        })*
    };
}
concern!(
    Manifest(ManifestAction),
    Origin(OriginAction),
    Note(NoteAction),
    Deck(DeckAction),
    Present(PresenterAction),
    Quiz(QuizAction),
    Questionnaire(QuestionnaireAction)
);

/// Sends an action of any concern.
pub trait Dispatch {
    fn send(&self, action: impl Into<Action>);
}

impl Dispatch for UseReducerDispatcher<State> {
    fn send(&self, action: impl Into<Action>) {
        self.dispatch(action.into())
    }
}

impl Dispatch for UseReducerHandle<State> {
    fn send(&self, action: impl Into<Action>) {
        self.dispatch(action.into())
    }
}

impl State {
    pub fn new(text: &str) -> Self {
        State {
            manifest: Manifest::new(text),
            notes: Rc::new(Vec::new()),
            origin: Origin::default(),
            deck: Lessons::default(),
            presenter: Presenter::default(),
            quiz: Quiz::default(),
            questionnaire: Questionnaire::default(),
        }
    }

    /// What the page opens on: the manifest a reload from the bug message brings back, else the
    /// link in the address bar, else the default example (also what is rendered at build time).
    /// The link is opened here, before the first render, so it is the first analysis: the
    /// default example is neither analysed nor shown on the way.
    pub fn first() -> Self {
        if let Some(rescued) = crate::rescue::take() {
            return State::new(&rescued);
        }
        let hash = crate::window()
            .and_then(|w| w.location().hash().ok())
            .filter(|h| crate::hooks::is_link(h));
        match hash {
            Some(link) => {
                let mut s = State::new("").reduce_origin(OriginAction::OpenLink(link));
                // Back to the address without the link shows the default example.
                s.origin.before_link = None;
                s
            }
            None => State::new(crate::examples::default_text()),
        }
    }

    /// The share payload for what is on screen.
    pub fn payload(&self) -> Payload {
        let mut view = serde_json::Map::new();
        let q = &self.questionnaire;
        if !q.answers.is_empty() || q.open {
            view.insert("answers".into(), serde_json::json!(*q.answers));
            view.insert("questionnaire".into(), q.open.into());
        }
        let deck = self.committed_deck();
        if deck.is_some() {
            view.insert("lesson".into(), self.deck.lesson.into());
            if self.presenter.on {
                view.insert("present".into(), true.into());
            }
        }
        Payload {
            manifest: (*self.manifest.text).clone(),
            notes: (*self.notes).clone(),
            kubernetes_version: Some(self.manifest.version.to_string()),
            view: (!view.is_empty()).then_some(serde_json::Value::Object(view)),
            deck,
        }
    }

    /// The line a note belongs to: its own, or its container's in the workload on screen.
    pub fn note_line(&self, n: &Note) -> Option<usize> {
        n.line.or_else(|| {
            let name = n.container.as_deref()?;
            self.workload()?
                .containers
                .iter()
                .find(|c| c.name == name)
                .map(|c| c.line)
        })
    }

    /// A click handler that sends `action`.
    pub fn on<E>(this: &UseReducerHandle<State>, action: impl Into<Action>) -> Callback<E> {
        let d = this.dispatcher();
        let action = action.into();
        Callback::from(move |_| d.dispatch(action.clone()))
    }

    /// Whether learners still have to answer this lesson's quiz before the analysis shows.
    pub fn quiz_pending(&self) -> bool {
        self.current_lesson().is_some_and(|l| l.quiz) && !self.quiz.checked
    }

    /// Whether an analysis section shows: not before the quiz is checked, and in the presenter
    /// view only once revealed.
    pub fn reveals(&self, section: Section) -> bool {
        !self.quiz_pending() && (!self.presenter.on || self.presenter.reveals(section))
    }

    /// A fresh look at a lesson: quiz unanswered, nothing revealed yet.
    fn reset_lesson_view(mut self) -> Self {
        self.quiz = Quiz::default();
        self.presenter.reveal = 0;
        self
    }

    /// Marks what a link or file brought as the reader's own once they change it.
    fn edited(mut self) -> Self {
        self.origin.own_copy |= self.origin.from_link;
        self
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let s = (*self).clone();
        let next = match action {
            Action::Manifest(a) => {
                if let ManifestAction::Edit(text) = &a {
                    if *s.manifest.text == *text {
                        return self;
                    }
                }
                s.reduce_manifest(a)
            }
            Action::Origin(a) => s.reduce_origin(a),
            Action::Note(a) => s.reduce_note(a),
            Action::Deck(a) => s.reduce_deck(a),
            Action::Present(a) => s.reduce_presenter(a),
            Action::Quiz(a) => {
                let mut s = s;
                s.quiz.reduce(a, &mut s.presenter);
                s
            }
            Action::Questionnaire(a) => {
                let mut s = s;
                s.questionnaire.reduce(a);
                s
            }
        };
        Rc::new(next)
    }
}
