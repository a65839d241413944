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
    /// The text before a fix and the fix's edits: line notes follow their lines.
    FollowEdits(Rc<String>, Vec<podlab_engine::Edit>),
}

impl State {
    pub(super) fn reduce_note(mut self, action: NoteAction) -> Self {
        let notes = Rc::make_mut(&mut self.notes);
        match action {
            NoteAction::FollowEdits(before, edits) => {
                for n in notes.iter_mut() {
                    if let Some(line) = n.line {
                        // A note on a removed line stays where it was.
                        n.line = Some(
                            podlab_engine::fix::map_line(&before, &edits, line).unwrap_or(line),
                        );
                    }
                }
                podlab_engine::order::sort_by_key(notes, |n| n.line.unwrap_or(usize::MAX));
                return self;
            }
            NoteAction::Edit(i, text) => {
                if let Some(n) = notes.get_mut(i) {
                    n.text = text;
                }
            }
            NoteAction::Add(note) => {
                notes.push(note);
                // Line notes in line order; container notes after them, as added.
                podlab_engine::order::sort_by_key(notes, |n| n.line.unwrap_or(usize::MAX));
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
