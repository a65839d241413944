//! Notes on lines or containers of the manifest. Changing them makes what a link brought the
//! reader's own copy.

use super::State;
use podlab_engine::share::Note;
use std::rc::Rc;

#[derive(Clone)]
pub enum NoteAction {
    Add(Note),
    Remove(usize),
    Edit(usize, String),
}

impl State {
    pub(super) fn reduce_note(mut self, action: NoteAction) -> Self {
        let notes = Rc::make_mut(&mut self.notes);
        match action {
            NoteAction::Edit(i, text) => {
                if let Some(n) = notes.get_mut(i) {
                    n.text = text;
                }
            }
            NoteAction::Add(note) => {
                notes.push(note);
                // Line notes in line order; container notes after them, as added.
                notes.sort_by_key(|n| n.line.unwrap_or(usize::MAX));
            }
            NoteAction::Remove(i) => {
                if i < notes.len() {
                    notes.remove(i);
                }
            }
        }
        self.edited()
    }
}
