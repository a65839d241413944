//! What the README shows is what the tests run: its CI examples are the files in the repository
//! (compared byte for byte), and its example configuration is valid under the shipped JSON Schema
//! and under podlab's own reader. The schema's rule ids and versions are the engine's.
//!
//! The schema is checked with a small validator of the subset of JSON Schema 2020-12 that the file
//! uses (a test fails if the file starts to use another keyword), not the `jsonschema` crate: that
//! crate turns on serde_json's `float_roundtrip`, and Cargo's feature unification would then build
//! the engine under test differently from the one that ships, and rebuild k8s-openapi for it.

use podlab_engine::yaml;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn schema() -> Value {
    serde_json::from_str(&read("schema/podlab-config.schema.json")).unwrap()
}

/// The keywords [`errors`] understands; the others are annotations for people and editors.
const CHECKED: &[&str] = &[
    "type",
    "enum",
    "const",
    "properties",
    "additionalProperties",
    "required",
    "items",
    "propertyNames",
    "$ref",
    "anyOf",
    "minLength",
];
const ANNOTATIONS: &[&str] = &["$schema", "$id", "$defs", "title", "description", "default"];

/// Where `value` breaks `schema` (JSON Schema 2020-12, the keywords in [`CHECKED`]).
fn errors(root: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else {
        return;
    };
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let target = r
            .strip_prefix("#/")
            .unwrap()
            .split('/')
            .fold(root, |v, k| &v[k]);
        errors(root, target, value, at, out);
    }
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        let ok = match t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "number" => value.is_number(),
            _ => panic!("type {t}"),
        };
        if !ok {
            out.push(format!("{at}: not {t}"));
            return;
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !e.contains(value) {
            out.push(format!("{at}: {value} not in the enum"));
        }
    }
    if let Some(c) = schema.get("const") {
        if c != value {
            out.push(format!("{at}: {value} is not {c}"));
        }
    }
    if let (Some(min), Some(s)) = (
        schema.get("minLength").and_then(Value::as_u64),
        value.as_str(),
    ) {
        if (s.chars().count() as u64) < min {
            out.push(format!("{at}: shorter than {min}"));
        }
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        if !any.iter().any(|s| {
            let mut e = Vec::new();
            errors(root, s, value, at, &mut e);
            e.is_empty()
        }) {
            out.push(format!("{at}: {value} matches none of anyOf"));
        }
    }
    if let Some(items) = schema.get("items") {
        for (i, v) in value.as_array().into_iter().flatten().enumerate() {
            errors(root, items, v, &format!("{at}[{i}]"), out);
        }
    }
    if let Some(map) = value.as_object() {
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !map.contains_key(r.as_str().unwrap()) {
                out.push(format!("{at}: {r} is required"));
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, v) in map {
            if let Some(names) = schema.get("propertyNames") {
                errors(
                    root,
                    names,
                    &Value::String(k.clone()),
                    &format!("{at}.{k} (name)"),
                    out,
                );
            }
            match props.and_then(|p| p.get(k)) {
                Some(s) => errors(root, s, v, &format!("{at}.{k}"), out),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => out.push(format!("{at}.{k}: not allowed")),
                    Some(s) => errors(root, s, v, &format!("{at}.{k}"), out),
                    None => {}
                },
            }
        }
    }
}

struct Validator(Value);

impl Validator {
    fn new(schema: Value) -> Self {
        Validator(schema)
    }
    fn errors(&self, value: &Value) -> Vec<String> {
        let mut out = Vec::new();
        errors(&self.0, &self.0, value, "$", &mut out);
        out
    }
    fn is_valid(&self, value: &Value) -> bool {
        self.errors(value).is_empty()
    }
}

/// Every keyword in a schema object, wherever it stands.
fn keywords(schema: &Value, out: &mut Vec<String>) {
    let Some(map) = schema.as_object() else {
        return;
    };
    for (k, v) in map {
        out.push(k.clone());
        match k.as_str() {
            "properties" | "$defs" => {
                for s in v.as_object().unwrap().values() {
                    keywords(s, out);
                }
            }
            "anyOf" => {
                for s in v.as_array().unwrap() {
                    keywords(s, out);
                }
            }
            "items" | "propertyNames" | "additionalProperties" => keywords(v, out),
            _ => {}
        }
    }
}

#[test]
fn the_schema_uses_only_keywords_the_validator_checks() {
    let mut all = Vec::new();
    keywords(&schema(), &mut all);
    for k in &all {
        assert!(
            CHECKED.contains(&k.as_str()) || ANNOTATIONS.contains(&k.as_str()),
            "the schema uses '{k}', which the test's validator does not check"
        );
    }
    assert_eq!(
        schema()["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

/// The JSON a YAML text reads as, with podlab's reader (YAML 1.1 scalars, as kubectl).
fn yaml_json(text: &str) -> Value {
    let (docs, error) = yaml::read_documents(text);
    assert!(error.is_none(), "{error:?}");
    docs[0].root.as_ref().unwrap().to_json()
}

/// `<!-- file: PATH -->` followed by a fenced block: each such block and the file it names.
fn readme_blocks() -> Vec<(String, String)> {
    let readme = read("README.md");
    let mut out = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        let Some(path) = line
            .trim()
            .strip_prefix("<!-- file: ")
            .and_then(|r| r.strip_suffix(" -->"))
        else {
            continue;
        };
        let fence = lines.next().unwrap_or_default();
        assert!(
            fence.starts_with("```"),
            "{path}: no code block after the marker"
        );
        let mut body = String::new();
        for l in lines.by_ref() {
            if l == "```" {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        out.push((path.to_string(), body));
    }
    out
}

#[test]
fn the_readmes_ci_examples_are_the_files_the_tests_use() {
    let blocks = readme_blocks();
    let shown: Vec<&str> = blocks.iter().map(|(p, _)| p.as_str()).collect();
    for required in [
        "examples/ci/.podlab.yaml",
        "examples/ci/github-workflow.yml",
        "examples/ci/gitlab-ci.yml",
        "examples/ci/pre-commit-config.yaml",
        ".pre-commit-hooks.yaml",
        "Containerfile",
    ] {
        assert!(shown.contains(&required), "README does not show {required}");
    }
    for (path, body) in &blocks {
        assert_eq!(
            body,
            &read(path),
            "README's block for {path} differs from the file"
        );
    }
}

#[test]
fn the_readmes_example_configuration_is_valid_under_the_schema_and_podlab() {
    let text = read("examples/ci/.podlab.yaml");
    assert!(text.starts_with("# yaml-language-server: $schema="));
    let validator = Validator::new(schema());
    let errors = validator.errors(&yaml_json(&text));
    assert!(errors.is_empty(), "{errors:?}");

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_podlab"))
        .args(["analyze", "--config"])
        .arg(root().join("examples/ci/.podlab.yaml"))
        .arg(root().join("static/examples"))
        .output()
        .unwrap();
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_schema_refuses_what_podlab_refuses() {
    let validator = Validator::new(schema());
    for bad in [
        "failon: warning\n",
        "rules: {unpinned-images: off}\n",
        "rules: {unpinned-image: loud}\n",
        "failOn: sometimes\n",
        "kubernetesVersion: \"1.20\"\n",
        "ignore: [{containers: [a]}]\n",
        "ignore: [{rule: nope}]\n",
        "ignore: [{rule: '*', container: [a]}]\n",
    ] {
        assert!(!validator.is_valid(&yaml_json(bad)), "{bad}");
    }
    for good in [
        "rules: {unpinned-image: off}\n",
        "rules: {unpinned-image: 'off'}\n",
        "ignore: [{rule: '*'}]\n",
    ] {
        assert!(validator.is_valid(&yaml_json(good)), "{good}");
    }
}

#[test]
fn the_schemas_rule_ids_and_versions_are_the_engines() {
    let s = schema();
    let ids: Vec<&str> = s["$defs"]["ruleId"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let catalogue: Vec<&str> = podlab_engine::rules::CATALOGUE
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, catalogue);
    let versions: Vec<&str> = s["properties"]["kubernetesVersion"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let supported: Vec<String> = podlab_engine::KubeVersion::all()
        .map(|v| v.to_string())
        .collect();
    assert_eq!(versions, supported);
}

/// A scratch directory with a `k8s/` folder holding one manifest with an error finding.
fn project(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("podlab-docs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("k8s")).unwrap();
    std::fs::write(
        dir.join("k8s/pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: a:1\n    resources: {requests: {cpu: \"2\"}, limits: {cpu: \"1\"}}\n",
    )
    .unwrap();
    dir
}

/// A directory whose only program is the podlab under test, first on PATH.
fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_podlab"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn path_with_podlab() -> std::ffi::OsString {
    let mut paths = vec![bin_dir()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

#[test]
fn the_gitlab_example_writes_a_junit_report() {
    let ci = yaml_json(&read("examples/ci/gitlab-ci.yml"));
    let job = &ci["podlab"];
    assert_eq!(job["artifacts"]["reports"]["junit"], "podlab-junit.xml");
    assert_eq!(job["artifacts"]["when"], "always");
    let dir = project("gitlab");
    for line in job["script"].as_array().unwrap() {
        let out = std::process::Command::new("bash")
            .args(["-c", line.as_str().unwrap()])
            .current_dir(&dir)
            .env("PATH", path_with_podlab())
            .output()
            .unwrap();
        // The error finding fails the job, and the report is still written.
        assert_eq!(out.status.code(), Some(1), "{line}");
    }
    let xml = std::fs::read_to_string(dir.join("podlab-junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert!(
        doc.descendants().any(|n| n.has_tag_name("failure")),
        "{xml}"
    );
}

#[test]
fn the_github_action_annotates_writes_sarif_and_fails_as_podlab_does() {
    let action = yaml_json(&read("action.yml"));
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().unwrap();
    let analyse = steps.iter().find(|s| s["name"] == "Analyse").unwrap();
    assert!(analyse["run"]
        .as_str()
        .unwrap()
        .contains("scripts/github-action"));
    let upload = steps.iter().find(|s| s["name"] == "Upload SARIF").unwrap();
    assert!(upload["uses"]
        .as_str()
        .unwrap()
        .starts_with("github/codeql-action/upload-sarif@"));
    // Every input the action declares reaches the script.
    let inputs = action["inputs"].as_object().unwrap();
    for name in inputs.keys() {
        let used = format!("inputs.{name}");
        assert!(
            read("action.yml").matches(&used).count() >= 1,
            "{name} unused"
        );
    }

    // The example workflow's inputs, as the runner would hand them over.
    let workflow = yaml_json(&read("examples/ci/github-workflow.yml"));
    let with = &workflow["jobs"]["podlab"]["steps"][1]["with"];
    let dir = project("github");
    let out = std::process::Command::new(root().join("scripts/github-action"))
        .current_dir(&dir)
        .env("PODLAB", env!("CARGO_BIN_EXE_podlab"))
        .env("PODLAB_PATHS", with["paths"].as_str().unwrap())
        .env("PODLAB_FAIL_ON", with["fail-on"].as_str().unwrap())
        .env("PODLAB_SARIF", "podlab.sarif")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("::error file=k8s/pod.yaml,line=8,title=requests-exceed-limits::"),
        "{stdout}"
    );
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("podlab.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");

    // A waiver makes the same step pass.
    let out = std::process::Command::new(root().join("scripts/github-action"))
        .current_dir(&dir)
        .env("PODLAB", env!("CARGO_BIN_EXE_podlab"))
        .env("PODLAB_PATHS", "k8s")
        .env("PODLAB_CONFIG", root().join("examples/ci/.podlab.yaml"))
        .env("PODLAB_FAIL_ON", "error")
        .env("PODLAB_SARIF", "podlab.sarif")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the example waives another rule"
    );
    std::fs::write(
        dir.join(".podlab.yaml"),
        "ignore:\n- rule: requests-exceed-limits\n  reason: test\n",
    )
    .unwrap();
    let out = std::process::Command::new(root().join("scripts/github-action"))
        .current_dir(&dir)
        .env("PODLAB", env!("CARGO_BIN_EXE_podlab"))
        .env("PODLAB_PATHS", "k8s")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
