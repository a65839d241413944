//! A lesson's quiz: the pattern the learner chose for each container, whether the answers were
//! checked, and how many hints each container has shown.

use super::Presenter;
use std::collections::BTreeMap;
use std::rc::Rc;

#[derive(Clone, PartialEq, Default)]
pub struct Quiz {
    /// Container name → choice id.
    pub answers: Rc<BTreeMap<String, String>>,
    pub checked: bool,
    /// Container name → hints shown.
    pub hints: Rc<BTreeMap<String, usize>>,
}

#[derive(Clone)]
pub enum QuizAction {
    Answer(String, String),
    Check,
    Hint(String),
    Reset,
}

impl Quiz {
    /// Checking reveals the first section of the analysis; trying again hides it.
    pub(super) fn reduce(&mut self, action: QuizAction, presenter: &mut Presenter) {
        match action {
            QuizAction::Answer(container, choice) => {
                Rc::make_mut(&mut self.answers).insert(container, choice);
            }
            QuizAction::Check => {
                self.checked = true;
                presenter.reveal = 1;
            }
            QuizAction::Hint(container) => {
                *Rc::make_mut(&mut self.hints).entry(container).or_default() += 1;
            }
            QuizAction::Reset => {
                *self = Quiz::default();
                presenter.reveal = 0;
            }
        }
    }
}
