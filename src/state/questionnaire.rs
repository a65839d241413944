//! The "which pattern?" questionnaire: the answers so far, in order, and the answers taken back
//! with Back, for Forward.

use std::rc::Rc;

#[derive(Clone, PartialEq, Default)]
pub struct Questionnaire {
    /// (question id, choice id) in order.
    pub answers: Rc<Vec<(String, String)>>,
    /// Answers taken back with Back, newest last.
    pub undone: Rc<Vec<(String, String)>>,
    pub open: bool,
}

#[derive(Clone)]
pub enum QuestionnaireAction {
    Toggle,
    /// Answers a question; any answer to it and after it is replaced.
    Answer(String, String),
    /// Goes back one question, or to a given question.
    Back(Option<String>),
    Forward,
    Restart,
}

impl Questionnaire {
    pub(super) fn reduce(&mut self, action: QuestionnaireAction) {
        let answers = Rc::make_mut(&mut self.answers);
        let undone = Rc::make_mut(&mut self.undone);
        match action {
            QuestionnaireAction::Toggle => self.open = !self.open,
            QuestionnaireAction::Answer(question, answer) => {
                if let Some(i) = answers.iter().position(|(q, _)| *q == question) {
                    answers.truncate(i);
                }
                // Answering as before keeps the way forward; answering differently drops it.
                if undone.last() == Some(&(question.clone(), answer.clone())) {
                    undone.pop();
                } else {
                    undone.clear();
                }
                answers.push((question, answer));
            }
            QuestionnaireAction::Back(to) => {
                let keep = match to.and_then(|q| answers.iter().position(|(a, _)| *a == q)) {
                    Some(i) => i,
                    None => answers.len().saturating_sub(1),
                };
                undone.extend(answers.drain(keep..).rev());
            }
            QuestionnaireAction::Forward => {
                if let Some(a) = undone.pop() {
                    answers.push(a);
                }
            }
            QuestionnaireAction::Restart => {
                answers.clear();
                undone.clear();
            }
        }
    }
}
