//! `.podlab.yaml`: the target version, the severity that fails a run, severities per rule and
//! waivers (CONTRACT.md §4). Strict: an unknown key, rule id or value is an error at its line and
//! column, read with the engine's positioned YAML reader so that the positions are exact.
//! `schema/podlab-config.schema.json` describes the same file for editors; a test holds the two
//! together.

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use podlab_engine::waivers::Rules;
use podlab_engine::yaml::{self, Node, NodeKind, Pos};
use podlab_engine::{KubeVersion, Severity};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = ".podlab.yaml";

/// The lowest severity that makes the exit status 1, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub const VALUES: &'static [&'static str] = &["error", "warning", "info", "never"];

    fn parse(s: &str) -> Option<FailOn> {
        Some(match s {
            "error" => FailOn::Error,
            "warning" => FailOn::Warning,
            "info" => FailOn::Info,
            "never" => FailOn::Never,
            _ => return None,
        })
    }

    /// Whether a finding of this severity fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity <= Severity::Error,
            FailOn::Warning => severity <= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

/// One `ignore:` entry. An absent list reaches everything; a present one must match.
#[derive(Debug)]
pub struct Ignore {
    pub rules: Rules,
    pub containers: Option<GlobSet>,
    pub workloads: Option<GlobSet>,
    pub files: Option<GlobSet>,
    pub reason: Option<String>,
}

#[derive(Debug, Default)]
pub struct Config {
    /// The file read, if any.
    pub path: Option<PathBuf>,
    pub kubernetes_version: Option<KubeVersion>,
    pub fail_on: Option<FailOn>,
    /// Severity per rule; `None` is `off`.
    pub rules: BTreeMap<String, Option<Severity>>,
    pub ignore: Vec<Ignore>,
}

impl Config {
    /// The directory `files:` globs are relative to.
    pub fn dir(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }
}

/// A configuration problem, at a place in the file where there is one.
#[derive(Debug)]
pub struct ConfigError {
    pub file: PathBuf,
    pub pos: Option<Pos>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.pos {
            Some(p) => write!(
                f,
                "{}:{}:{}: {}",
                self.file.display(),
                p.line,
                p.column,
                self.message
            ),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// The nearest `.podlab.yaml` in `dir` or one of its parents.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: path.to_path_buf(),
        pos: None,
        message: format!("cannot read the configuration: {e}"),
    })?;
    // Globs are matched against absolute paths made the same way.
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut config = parse(&text).map_err(|(pos, message)| ConfigError {
        file: path.clone(),
        pos: Some(pos),
        message,
    })?;
    config.path = Some(path);
    Ok(config)
}

type Failure = (Pos, String);

fn fail<T>(node: &Node, message: String) -> Result<T, Failure> {
    Err((node.pos, message))
}

fn describe(node: &Node) -> &'static str {
    match node.kind {
        NodeKind::Null => "nothing",
        NodeKind::Bool(_) => "a boolean",
        NodeKind::Int(_) => "a number",
        NodeKind::Float(_) => "a number",
        NodeKind::Str(_) => "text",
        NodeKind::Seq(_) => "a list",
        NodeKind::Map(_) => "a mapping",
    }
}

fn entries<'n>(node: &'n Node, what: &str) -> Result<&'n [(Node, Node)], Failure> {
    match &node.kind {
        NodeKind::Map(e) => Ok(e),
        _ => fail(
            node,
            format!("{what} must be a mapping, not {}", describe(node)),
        ),
    }
}

fn text<'n>(node: &'n Node, what: &str) -> Result<&'n str, Failure> {
    node.as_str().ok_or_else(|| {
        (
            node.pos,
            format!("{what} must be text, not {}", describe(node)),
        )
    })
}

fn key(k: &Node) -> Result<&str, Failure> {
    k.as_str()
        .ok_or_else(|| (k.pos, format!("a key must be text, not {}", describe(k))))
}

fn known_rule(node: &Node, id: &str, star: bool) -> Result<(), Failure> {
    if star && id == "*" || podlab_engine::rules::CATALOGUE.iter().any(|r| r.id == id) {
        return Ok(());
    }
    fail(
        node,
        format!("unknown rule id '{id}' (podlab rules lists them)"),
    )
}

/// Globs match like .gitignore patterns: `*` stays within a path segment, `**` crosses them.
pub fn glob(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern).literal_separator(true).build()
}

fn globs(node: &Node, what: &str) -> Result<GlobSet, Failure> {
    let NodeKind::Seq(items) = &node.kind else {
        return fail(
            node,
            format!("{what} must be a list of globs, not {}", describe(node)),
        );
    };
    let mut set = GlobSetBuilder::new();
    for item in items {
        let pattern = text(item, &format!("each of {what}"))?;
        let g = glob(pattern)
            .map_err(|e| (item.pos, format!("'{pattern}' is not a glob: {}", e.kind())))?;
        set.add(g);
    }
    set.build()
        .map_err(|e| (node.pos, format!("{what}: {}", e.kind())))
}

fn severity(node: &Node) -> Result<Option<Severity>, Failure> {
    // `off` is a boolean in YAML 1.1, as go-yaml and this reader resolve it; read both spellings.
    if let NodeKind::Bool(false) = node.kind {
        return Ok(None);
    }
    match node.as_str() {
        Some("off") => Ok(None),
        Some("info") => Ok(Some(Severity::Info)),
        Some("warning") => Ok(Some(Severity::Warning)),
        Some("error") => Ok(Some(Severity::Error)),
        _ => fail(
            node,
            format!(
                "a rule's severity is off, info, warning or error, not {}",
                shown(node)
            ),
        ),
    }
}

fn shown(node: &Node) -> String {
    match &node.kind {
        NodeKind::Str(s) => format!("'{s}'"),
        NodeKind::Bool(b) => b.to_string(),
        NodeKind::Int(i) => i.to_string(),
        NodeKind::Float(f) => f.to_string(),
        _ => describe(node).to_string(),
    }
}

pub fn parse(source: &str) -> Result<Config, Failure> {
    let (docs, error) = yaml::read_documents(source);
    if let Some(e) = error {
        return Err((e.pos, e.message));
    }
    let mut roots = docs.iter().filter_map(|d| d.root.as_ref());
    let Some(root) = roots.next() else {
        return Ok(Config::default());
    };
    if let Some(second) = roots.next() {
        return fail(
            second,
            "the configuration is one YAML document; this is a second".into(),
        );
    }
    if matches!(root.kind, NodeKind::Null) {
        return Ok(Config::default());
    }
    let mut config = Config::default();
    for (k, v) in entries(root, "the configuration")? {
        match key(k)? {
            "kubernetesVersion" => {
                let s = match &v.kind {
                    NodeKind::Str(s) => s,
                    // 1.30 as a number is 1.3: only text says which version is meant.
                    NodeKind::Float(_) | NodeKind::Int(_) => {
                        return fail(
                            v,
                            format!(
                                "kubernetesVersion must be quoted text such as \"{}\" (a number loses its trailing zero)",
                                KubeVersion::default()
                            ),
                        )
                    }
                    _ => return fail(v, format!("kubernetesVersion must be text, not {}", describe(v))),
                };
                config.kubernetes_version =
                    Some(s.parse().map_err(|e: String| (v.pos, e))?);
            }
            "failOn" => {
                let s = text(v, "failOn")?;
                config.fail_on = Some(FailOn::parse(s).ok_or_else(|| {
                    (
                        v.pos,
                        format!(
                            "failOn is {}, not '{s}'",
                            FailOn::VALUES.join(", ")
                        ),
                    )
                })?);
            }
            "rules" => {
                if matches!(v.kind, NodeKind::Null) {
                    continue;
                }
                for (rk, rv) in entries(v, "rules")? {
                    let id = key(rk)?;
                    known_rule(rk, id, false)?;
                    config.rules.insert(id.to_string(), severity(rv)?);
                }
            }
            "ignore" => {
                if matches!(v.kind, NodeKind::Null) {
                    continue;
                }
                let NodeKind::Seq(items) = &v.kind else {
                    return fail(v, format!("ignore must be a list, not {}", describe(v)));
                };
                for item in items {
                    config.ignore.push(ignore_entry(item)?);
                }
            }
            other => {
                return fail(
                    k,
                    format!(
                        "unknown key '{other}' (the keys are kubernetesVersion, failOn, rules and ignore)"
                    ),
                )
            }
        }
    }
    Ok(config)
}

fn ignore_entry(item: &Node) -> Result<Ignore, Failure> {
    let mut rules = None;
    let mut entry = Ignore {
        rules: Rules::All,
        containers: None,
        workloads: None,
        files: None,
        reason: None,
    };
    for (k, v) in entries(item, "an ignore entry")? {
        match key(k)? {
            "rule" => {
                let id = text(v, "rule")?;
                known_rule(v, id, true)?;
                rules = Some(Rules::parse(id));
            }
            "containers" => entry.containers = Some(globs(v, "containers")?),
            "workloads" => entry.workloads = Some(globs(v, "workloads")?),
            "files" => entry.files = Some(globs(v, "files")?),
            "reason" => entry.reason = Some(text(v, "reason")?.to_string()),
            other => {
                return fail(
                    k,
                    format!(
                        "unknown key '{other}' in an ignore entry (the keys are rule, containers, workloads, files and reason)"
                    ),
                )
            }
        }
    }
    entry.rules = rules.ok_or_else(|| {
        (
            item.pos,
            "an ignore entry needs a rule: a rule id, or \"*\" for every rule".to_string(),
        )
    })?;
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_reads() {
        let c = parse(
            "kubernetesVersion: \"1.31\"\nfailOn: warning\nrules:\n  unpinned-image: off\n  missing-requests: error\nignore:\n- rule: missing-requests\n  containers: [istio-proxy, linkerd-*]\n  workloads: [Deployment/legacy-*]\n  files: [legacy/**]\n  reason: sized by the mesh injector\n",
        )
        .unwrap();
        assert_eq!(c.kubernetes_version, Some(KubeVersion::new(31)));
        assert_eq!(c.fail_on, Some(FailOn::Warning));
        assert_eq!(c.rules["unpinned-image"], None);
        assert_eq!(c.rules["missing-requests"], Some(Severity::Error));
        let i = &c.ignore[0];
        assert_eq!(i.rules, Rules::One("missing-requests".into()));
        assert!(i.containers.as_ref().unwrap().is_match("linkerd-proxy"));
        assert!(!i.containers.as_ref().unwrap().is_match("app"));
        assert!(i
            .workloads
            .as_ref()
            .unwrap()
            .is_match("Deployment/legacy-api"));
        assert!(!i
            .workloads
            .as_ref()
            .unwrap()
            .is_match("StatefulSet/legacy-api"));
        assert!(i.files.as_ref().unwrap().is_match("legacy/a/b.yaml"));
        assert!(!i.files.as_ref().unwrap().is_match("new/legacy/b.yaml"));
        assert_eq!(i.reason.as_deref(), Some("sized by the mesh injector"));
    }

    #[test]
    fn an_empty_file_is_an_empty_configuration() {
        for text in ["", "# nothing\n", "---\n"] {
            let c = parse(text).unwrap();
            assert!(c.rules.is_empty() && c.ignore.is_empty() && c.fail_on.is_none());
        }
    }

    #[test]
    fn a_star_in_a_workload_glob_stays_within_kind_or_name() {
        let g = glob("Deployment/*").unwrap().compile_matcher();
        assert!(g.is_match("Deployment/web"));
        assert!(!glob("*")
            .unwrap()
            .compile_matcher()
            .is_match("Deployment/web"));
    }
}
