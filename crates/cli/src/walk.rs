//! Inputs named on the command line, with directories read recursively.
//!
//! A directory holds more than manifests, so a walk is selective where a named file is not:
//! - only `*.yaml`, `*.yml` and `*.json` files are read, in name order;
//! - hidden files and directories (a name starting with `.`) and `node_modules` are skipped;
//! - a Helm chart's `templates/` (beside a `Chart.yaml`) is skipped: templates are not manifests
//!   until they are rendered;
//! - a file that reads as YAML but holds no Kubernetes object (no document with `apiVersion` and
//!   `kind`: a chart's values, a tool's settings, `package.json`) is skipped ([`is_kubernetes`]);
//!   a file that does not read at all is still an error;
//! - symbolic links are followed, each directory once (by its canonical path), so a link loop
//!   ends the walk of that branch instead of repeating it.

use podlab_engine::yaml::{self, NodeKind};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What the command line names, expanded: `-` and files as given, directories walked. A name
/// that does not exist stays, so that reading it reports the error.
pub fn expand(names: &[String]) -> Vec<Input> {
    let mut out = Vec::new();
    for name in names {
        let path = Path::new(name);
        if name != "-" && path.is_dir() {
            let mut seen = BTreeSet::new();
            walk(path, &mut seen, &mut out);
        } else {
            out.push(Input {
                name: name.clone(),
                walked: false,
            });
        }
    }
    out
}

/// One file to read; `walked` when a directory walk found it (and so may skip it).
#[derive(Debug, PartialEq, Eq)]
pub struct Input {
    pub name: String,
    pub walked: bool,
}

fn walk(dir: &Path, seen: &mut BTreeSet<PathBuf>, out: &mut Vec<Input>) {
    let Ok(real) = dir.canonicalize() else { return };
    if !seen.insert(real) {
        return;
    }
    let Ok(read) = std::fs::read_dir(dir) else {
        // An unreadable directory is reported as an input that cannot be read.
        out.push(Input {
            name: dir.display().to_string(),
            walked: false,
        });
        return;
    };
    let mut entries: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    let chart = dir.join("Chart.yaml").is_file();
    for path in entries {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name.starts_with('.') || name == "node_modules" {
            continue;
        }
        if path.is_dir() {
            if !(chart && name == "templates") {
                walk(&path, seen, out);
            }
        } else if [".yaml", ".yml", ".json"].iter().any(|e| name.ends_with(e)) {
            // `podlab analyze .` names files as a repository does (`k8s/a.yaml`, not
            // `./k8s/a.yaml`), so that annotations and globs find them.
            let name = path.strip_prefix(".").unwrap_or(&path);
            out.push(Input {
                name: name.display().to_string(),
                walked: true,
            });
        }
    }
}

/// Whether a text that reads as YAML holds a Kubernetes object; a text that does not read
/// counts as one, so that its error is reported.
pub fn is_kubernetes(text: &str) -> bool {
    let (docs, error) = yaml::read_documents(text);
    error.is_some()
        || docs.iter().any(|d| match &d.root {
            Some(root) => {
                matches!(root.kind, NodeKind::Map(_))
                    && root.get("apiVersion").is_some()
                    && root.get("kind").is_some()
            }
            None => false,
        })
}
