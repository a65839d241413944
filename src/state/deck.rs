//! A workshop deck: which lesson is on screen, moving between lessons, and writing a deck in
//! the page. The lesson on screen lives in the editor and the notes panel while it is shown;
//! it is written back into the deck when the page leaves it or shares it.

use super::State;
use podlab_engine::share::{self, Deck, Payload};
use std::rc::Rc;

#[derive(Clone, PartialEq, Default)]
pub struct Lessons {
    pub deck: Option<Rc<Deck>>,
    /// The lesson on screen.
    pub lesson: usize,
    /// Bumped when a step deserves its own history entry (a lesson change), so Back returns.
    pub history: u32,
}

#[derive(Clone)]
pub enum DeckAction {
    /// Opens a deck at its first lesson (the built-in workshop).
    Open(Deck),
    Goto(usize),
    /// Starts a deck whose first lesson is what the editor holds.
    New,
    SetTitle(String),
    SetLessonTitle(String),
    SetLessonText(String),
    SetLessonQuiz(bool),
    /// Adds a lesson after the current one, starting from a copy of its manifest, and opens it.
    AddLesson,
    RemoveLesson,
    /// Moves the current lesson one place earlier (-1) or later (+1).
    MoveLesson(isize),
    Close,
}

impl State {
    /// The lesson on screen, when a deck is open.
    pub fn current_lesson(&self) -> Option<&share::Lesson> {
        let l = &self.deck;
        l.deck.as_ref().and_then(|d| d.lessons.get(l.lesson))
    }

    /// The open deck with the lesson on screen as edited (its text, notes and version).
    pub fn committed_deck(&self) -> Option<Deck> {
        let mut d = (**self.deck.deck.as_ref()?).clone();
        if let Some(l) = d.lessons.get_mut(self.deck.lesson) {
            l.manifest = (*self.manifest.text).clone();
            l.notes = (*self.notes).clone();
            l.kubernetes_version = Some(self.manifest.version.to_string());
        }
        Some(d)
    }

    pub(super) fn reduce_deck(mut self, action: DeckAction) -> Self {
        match action {
            DeckAction::Open(deck) => {
                let mut s = self.open_payload(Payload::of_deck(deck));
                // Built in, not brought by a link: editing it needs no "own copy" notice.
                s.origin.from_link = false;
                s.deck.history += 1;
                s
            }
            DeckAction::Goto(i) => self.goto_lesson(i),
            DeckAction::New => self.new_deck(),
            DeckAction::SetTitle(t) => self.edit_deck(|d, _| d.title = t),
            DeckAction::SetLessonTitle(t) => self.edit_lesson(|l| l.title = t),
            DeckAction::SetLessonText(t) => self.edit_lesson(|l| l.text = t),
            DeckAction::SetLessonQuiz(q) => self.edit_lesson(|l| l.quiz = q).reset_lesson_view(),
            DeckAction::AddLesson => {
                let s = self.edit_deck(|d, i| {
                    let Some(mut copy) = d.lessons.get(i).cloned() else {
                        return;
                    };
                    copy.title = format!("Lesson {}", d.lessons.len() + 1);
                    copy.text = String::new();
                    copy.quiz = false;
                    d.lessons.insert(i + 1, copy);
                });
                let next = s.deck.lesson + 1;
                s.goto_lesson(next)
            }
            DeckAction::RemoveLesson => self.remove_lesson(),
            DeckAction::MoveLesson(by) => {
                let len = self.deck.deck.as_ref().map_or(0, |d| d.lessons.len());
                let to = self.deck.lesson.checked_add_signed(by);
                match to.filter(|t| *t < len) {
                    Some(to) => {
                        let mut s = self.edit_deck(|d, i| d.lessons.swap(i, to));
                        s.deck.lesson = to;
                        s.deck.history += 1;
                        s
                    }
                    None => self,
                }
            }
            DeckAction::Close => {
                self.deck.deck = None;
                self.presenter.on = false;
                self.reset_lesson_view()
            }
        }
    }

    fn new_deck(mut self) -> Self {
        let title = self
            .workload()
            .map(|w| format!("{} {}", w.kind, w.name))
            .unwrap_or_else(|| "Lesson 1".into());
        let deck = Deck {
            title: "A new workshop".into(),
            lessons: vec![share::Lesson {
                title,
                manifest: (*self.manifest.text).clone(),
                notes: (*self.notes).clone(),
                kubernetes_version: Some(self.manifest.version.to_string()),
                ..share::Lesson::default()
            }],
        };
        self.deck.deck = Some(Rc::new(deck));
        self.deck.lesson = 0;
        self.deck.history += 1;
        self.reset_lesson_view()
    }

    fn remove_lesson(self) -> Self {
        let at = self.deck.lesson;
        let mut s = self.edit_deck(|d, i| {
            if d.lessons.len() > 1 {
                d.lessons.remove(i);
            }
        });
        let last = s
            .deck
            .deck
            .as_ref()
            .map_or(0, |d| d.lessons.len().saturating_sub(1));
        // goto_lesson commits the lesson on screen first: point it at the lesson that took the
        // removed one's place, so nothing is written over it.
        s.deck.lesson = usize::MAX;
        s.goto_lesson(at.min(last))
    }

    /// Changes the open deck through `f`, the lesson on screen committed first.
    fn edit_deck(mut self, f: impl FnOnce(&mut Deck, usize)) -> Self {
        if let Some(mut d) = self.committed_deck() {
            f(&mut d, self.deck.lesson);
            self.deck.deck = Some(Rc::new(d));
            self = self.edited();
        }
        self
    }

    /// Changes the lesson on screen, when the deck has it.
    fn edit_lesson(self, f: impl FnOnce(&mut share::Lesson)) -> Self {
        self.edit_deck(|d, i| {
            if let Some(l) = d.lessons.get_mut(i) {
                f(l)
            }
        })
    }

    pub(super) fn goto_lesson(mut self, i: usize) -> Self {
        // Edits to the lesson being left stay with it.
        self.deck.deck = self.committed_deck().map(Rc::new);
        let Some(l) = self
            .deck
            .deck
            .as_ref()
            .and_then(|d| d.lessons.get(i))
            .cloned()
        else {
            return self;
        };
        self.deck.lesson = i;
        self.deck.history += 1;
        self.show(l.manifest, l.notes, l.kubernetes_version.as_deref())
    }
}
