use super::path_text;
use crate::model::InputError;
use crate::yaml::{Node, Pos, Step};

/// Why an input or an object could not be read: where, what, and the field path it is about.
/// [`ReadError::in_input`] places it in its file and document.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{message}")]
pub(super) struct ReadError {
    pub(super) pos: Pos,
    pub(super) message: String,
    pub(super) path: Option<String>,
}

impl ReadError {
    pub(super) fn at(pos: Pos, message: impl Into<String>) -> ReadError {
        ReadError {
            pos,
            message: message.into(),
            path: None,
        }
    }

    /// An error about the field at `steps` under `root`: located there, and its message begins
    /// with the field's path.
    pub(super) fn at_path(root: &Node, steps: &[Step], message: impl Into<String>) -> ReadError {
        let (pos, _) = root.locate(steps);
        let path = path_text(steps);
        let message = message.into();
        let message = if path.is_empty() {
            message
        } else {
            format!("{path}: {message}")
        };
        ReadError {
            pos,
            message,
            path: Some(path),
        }
    }

    pub(super) fn in_input(self, file: &str, document: usize) -> InputError {
        InputError {
            file: file.to_string(),
            document,
            line: self.pos.line.max(1),
            column: self.pos.column.max(1),
            message: self.message,
            path: self.path,
        }
    }
}
