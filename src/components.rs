//! One component a file; each renders engine output and sends actions.

pub mod cheatsheet;
pub mod containers;
pub mod editor;
pub mod findings;
pub mod input_errors;
pub mod lifecycle;
pub mod questionnaire;
pub mod resources;
pub mod share;
pub mod toolbar;
