//! The presenter view: large type, the analysis revealed one section at a time.

use super::State;

/// The analysis sections, in the order the presenter reveals them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Section {
    Containers,
    Resources,
    Lifecycle,
    Findings,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Containers,
        Section::Resources,
        Section::Lifecycle,
        Section::Findings,
    ];

    /// What the reveal button calls it.
    pub fn name(self) -> &'static str {
        match self {
            Section::Containers => "containers",
            Section::Resources => "resources",
            Section::Lifecycle => "lifecycle",
            Section::Findings => "findings",
        }
    }

    /// Its place in the reveal order, from 1: the `data-reveal` the page scrolls to.
    pub fn number(self) -> usize {
        self as usize + 1
    }
}

#[derive(Clone, PartialEq, Default)]
pub struct Presenter {
    pub on: bool,
    /// How many sections have been revealed, in the order of [`Section::ALL`].
    pub reveal: usize,
}

impl Presenter {
    pub fn reveals(&self, section: Section) -> bool {
        section.number() <= self.reveal
    }

    /// The section the next step reveals; none once all are shown.
    pub fn next(&self) -> Option<Section> {
        Section::ALL.get(self.reveal).copied()
    }
}

#[derive(Clone)]
pub enum PresenterAction {
    Toggle,
    /// Reveals one more analysis section (or, with everything shown, moves to the next lesson).
    RevealNext,
    RevealPrev,
}

impl State {
    pub(super) fn reduce_presenter(mut self, action: PresenterAction) -> Self {
        match action {
            PresenterAction::Toggle => {
                self.presenter = Presenter {
                    on: !self.presenter.on && self.deck.deck.is_some(),
                    reveal: 0,
                };
                self
            }
            PresenterAction::RevealNext if self.quiz_pending() => self,
            PresenterAction::RevealNext if self.presenter.next().is_some() => {
                self.presenter.reveal += 1;
                self
            }
            PresenterAction::RevealNext => {
                let next = self.deck.lesson + 1;
                self.goto_lesson(next)
            }
            PresenterAction::RevealPrev if self.presenter.reveal > 0 && self.presenter.on => {
                self.presenter.reveal -= 1;
                self
            }
            PresenterAction::RevealPrev if self.deck.lesson > 0 => {
                let prev = self.deck.lesson - 1;
                self.goto_lesson(prev)
            }
            PresenterAction::RevealPrev => self,
        }
    }
}
