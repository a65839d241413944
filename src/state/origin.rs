//! Where the manifest on screen came from: a link, a file, a deck, or the reader; and what was
//! on screen before a link replaced it.

use super::{Presenter, Questionnaire, State};
use podlab_engine::share::{self, Note, Payload};
use std::rc::Rc;

#[derive(Clone, PartialEq, Default)]
pub struct Origin {
    /// Why the link in the address bar, or a file, could not be opened (the whole sentence).
    pub link_error: Option<String>,
    /// The text came from a link or a file.
    pub from_link: bool,
    /// ...and has been edited since: it is the reader's own copy now.
    pub own_copy: bool,
    /// The manifest and notes on screen before a link, file or deck replaced them: Back to an
    /// address without a link brings them back.
    pub before_link: Option<Rc<(String, Vec<Note>)>>,
}

#[derive(Clone)]
pub enum OriginAction {
    /// A share link's fragment was opened (on load, or through back and forward).
    OpenLink(String),
    /// Back or forward reached an address without a link: what was on screen before the first
    /// link, file or deck comes back (the default example when nothing was).
    LeaveLink,
    /// A file was opened (picker or drop): its text, or why it could not be read.
    OpenFile(Result<String, String>),
}

impl State {
    pub(super) fn reduce_origin(mut self, action: OriginAction) -> Self {
        match action {
            OriginAction::OpenLink(fragment) => match share::decode(&fragment) {
                Ok(p) => self.open_payload(p),
                Err(e) => {
                    // A damaged link opens an empty editor with the reason, never a crash.
                    self.manifest.replace(String::new());
                    self.notes = Rc::new(Vec::new());
                    self.deck.deck = None;
                    self.presenter.on = false;
                    self.origin.link_error = Some(format!("This link could not be opened: {e}"));
                    self.reanalyse()
                }
            },
            OriginAction::LeaveLink if self.deck.deck.is_none() && !self.origin.from_link => self,
            OriginAction::LeaveLink => {
                let (text, notes) = self
                    .origin
                    .before_link
                    .take()
                    .map(|b| (*b).clone())
                    .unwrap_or_else(|| (crate::examples::default_text().to_string(), Vec::new()));
                self.show_own(text, notes)
            }
            OriginAction::OpenFile(read) => {
                match read.and_then(|t| share::from_file(&t).map_err(|e| e.to_string())) {
                    Ok(p) => self.open_payload(p),
                    Err(e) => {
                        // The editor keeps what it had: a bad file must not cost the user their text.
                        self.origin.link_error =
                            Some(format!("This file could not be opened: {e}"));
                        self
                    }
                }
            }
        }
    }

    /// Opens what a link or a file carried.
    pub(super) fn open_payload(mut self, p: Payload) -> Self {
        if self.deck.deck.is_none() && !self.origin.from_link {
            self.origin.before_link = Some(Rc::new((
                (*self.manifest.text).clone(),
                (*self.notes).clone(),
            )));
        }
        let view = p.view.clone().unwrap_or_default();
        self.deck.deck = p.deck.map(Rc::new);
        // A lesson the deck does not have (a hand-edited link) opens the first one.
        let lessons = self.deck.deck.as_ref().map_or(0, |d| d.lessons.len());
        self.deck.lesson = view["lesson"]
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n < lessons)
            .unwrap_or(0);
        self.presenter = Presenter {
            on: self.deck.deck.is_some() && view["present"].as_bool().unwrap_or(false),
            ..self.presenter
        };
        let lesson = self.current_lesson().cloned();
        let (manifest, notes, version) = match lesson {
            Some(l) => (l.manifest, l.notes, l.kubernetes_version),
            None => (p.manifest, p.notes, p.kubernetes_version),
        };
        self.questionnaire = Questionnaire {
            answers: Rc::new(serde_json::from_value(view["answers"].clone()).unwrap_or_default()),
            open: view["questionnaire"].as_bool().unwrap_or(false),
            ..self.questionnaire
        };
        self.origin.link_error = None;
        self.origin.from_link = true;
        self.origin.own_copy = false;
        self.show(manifest, notes, version.as_deref())
    }

    /// Puts a manifest and its notes on screen from outside the editor (a link, a file, a lesson,
    /// an example): the editor reloads, the quiz and the reveal start afresh.
    pub(super) fn show(
        mut self,
        manifest: String,
        notes: Vec<Note>,
        version: Option<&str>,
    ) -> Self {
        if let Some(v) = version.and_then(|v| v.parse().ok()) {
            self.manifest.version = v;
        }
        self.manifest.replace(manifest);
        self.notes = Rc::new(notes);
        self.manifest.selected = None;
        let mut s = self.reset_lesson_view().reanalyse();
        // The last good picture belongs to another manifest: a broken one shows only its errors.
        s.manifest.shown = s.manifest.analysis.clone();
        s
    }

    /// Puts a manifest of the reader's own on screen (an example, a starter, what was there
    /// before a link): any deck, presenter view and link state are left behind.
    pub(super) fn show_own(mut self, manifest: String, notes: Vec<Note>) -> Self {
        self.deck.deck = None;
        self.presenter.on = false;
        self.origin = Origin {
            before_link: self.origin.before_link.take(),
            ..Origin::default()
        };
        self.show(manifest, notes, None)
    }
}
