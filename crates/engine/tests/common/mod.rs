//! Helpers shared by the engine's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The files of a folder given relative to the engine crate, sorted; the folder must hold some.
/// The corpus sits outside the repository, at `../shared/corpus` beside the checkout.
pub fn files(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{} must exist: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no files in {}", root.display());
    files
}

/// The corpus's `files` or `reject` folder.
pub fn corpus(dir: &str) -> Vec<PathBuf> {
    files(&format!("../../../shared/corpus/{dir}"))
}

/// A file's name, as the analysis reports it.
pub fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}
