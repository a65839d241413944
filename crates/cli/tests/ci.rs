//! The command line in CI (CONTRACT.md §1 and §4): waivers by annotation, configuration file and
//! flag; --fail-on and severities per rule; configuration errors with their line and column;
//! -o junit and -o github; directories read recursively.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A directory of its own for each test, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("podlab-ci-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

/// Runs podlab in `dir`, where a `.podlab.yaml` there or above is found.
fn podlab(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_podlab"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `istio-proxy` requests more cpu than its limit: `requests-exceed-limits`, an error.
const MESH: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: legacy-api
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: app
        image: example/api:1.0
        resources: {requests: {cpu: 100m, memory: 64Mi}}
      - name: istio-proxy
        image: istio/proxyv2:1.24.0
        resources: {requests: {cpu: \"2\", memory: 64Mi}, limits: {cpu: \"1\"}}
";

fn mesh_annotated(annotation: &str) -> String {
    MESH.replace(
        "      labels: {app: api}\n",
        &format!("      labels: {{app: api}}\n      annotations: {{{annotation}}}\n"),
    )
}

/// The finding of a rule on a container, from `-o json`.
fn finding<'a>(v: &'a Value, rule: &str, container: &str) -> &'a Value {
    v["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|w| w["diagnostics"].as_array().unwrap())
        .find(|d| d["rule"] == rule && d["container"] == container)
        .unwrap_or_else(|| panic!("no {rule} on {container}: {v:#}"))
}

#[test]
fn an_unwaived_error_fails_the_run() {
    let dir = scratch("plain");
    write(&dir, "mesh.yaml", MESH);
    let out = podlab(&dir, &["analyze", "-o", "json", "mesh.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    let d = finding(&v, "requests-exceed-limits", "istio-proxy");
    assert_eq!(d["severity"], "error");
    assert!(d.get("waived").is_none());
}

#[test]
fn an_annotation_waives_for_one_container_and_the_run_passes() {
    let dir = scratch("annotation");
    write(
        &dir,
        "mesh.yaml",
        &mesh_annotated("podlab.dev/ignore.istio-proxy: requests-exceed-limits"),
    );
    let out = podlab(&dir, &["analyze", "-o", "json", "mesh.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let d = finding(&v, "requests-exceed-limits", "istio-proxy");
    assert_eq!(
        d["waived"],
        serde_json::json!({"by": "annotation", "reason": null})
    );

    // On another container the same annotation waives nothing.
    write(
        &dir,
        "mesh.yaml",
        &mesh_annotated("podlab.dev/ignore.app: requests-exceed-limits"),
    );
    assert_eq!(
        podlab(&dir, &["analyze", "mesh.yaml"]).status.code(),
        Some(1)
    );
}

#[test]
fn the_text_report_counts_waived_findings_without_listing_them() {
    let dir = scratch("text");
    write(
        &dir,
        "mesh.yaml",
        &mesh_annotated("podlab.dev/ignore: requests-exceed-limits"),
    );
    let out = podlab(&dir, &["analyze", "mesh.yaml"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!text.contains("error requests-exceed-limits"), "{text}");
    assert!(
        text.contains("1 waived (not listed; -o json shows them): requests-exceed-limits"),
        "{text}"
    );
}

#[test]
fn a_flag_waives_a_rule_for_the_containers_its_glob_matches() {
    let dir = scratch("flag");
    write(&dir, "mesh.yaml", MESH);
    let out = podlab(
        &dir,
        &[
            "analyze",
            "-o",
            "json",
            "--ignore",
            "requests-exceed-limits=istio-*",
            "mesh.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(
        finding(&v, "requests-exceed-limits", "istio-proxy")["waived"],
        serde_json::json!({"by": "flag", "reason": null})
    );
    let out = podlab(
        &dir,
        &[
            "analyze",
            "--ignore",
            "requests-exceed-limits=app",
            "mesh.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let out = podlab(&dir, &["analyze", "--ignore", "*", "mesh.yaml"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn an_unknown_rule_in_a_flag_is_a_usage_error_naming_it() {
    let dir = scratch("flag-unknown");
    write(&dir, "mesh.yaml", MESH);
    let out = podlab(
        &dir,
        &["analyze", "--ignore", "requests-exceeds-limit", "mesh.yaml"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown rule id 'requests-exceeds-limit'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn fail_on_sets_the_lowest_severity_that_fails() {
    let dir = scratch("fail-on");
    // Only warnings and advice: the unpinned image is a warning.
    write(
        &dir,
        "warn.yaml",
        &MESH
            .replace("cpu: \"2\"", "cpu: 500m")
            .replace("api:1.0", "api"),
    );
    let code = |args: &[&str]| {
        let mut all = vec!["analyze"];
        all.extend_from_slice(args);
        all.push("warn.yaml");
        podlab(&dir, &all).status.code()
    };
    assert_eq!(code(&[]), Some(0));
    assert_eq!(code(&["--fail-on", "error"]), Some(0));
    assert_eq!(code(&["--fail-on", "warning"]), Some(1));
    assert_eq!(code(&["--fail-on", "info"]), Some(1));
    assert_eq!(code(&["--fail-on", "never"]), Some(0));
    assert_eq!(code(&["--fail-on", "sometimes"]), Some(2));

    write(&dir, "mesh.yaml", MESH);
    assert_eq!(
        podlab(&dir, &["analyze", "--fail-on", "never", "mesh.yaml"])
            .status
            .code(),
        Some(0)
    );
}

const CONFIG: &str = "# yaml-language-server: $schema=../schema/podlab-config.schema.json
failOn: warning
rules:
  unpinned-image: off
ignore:
  - rule: requests-exceed-limits
    containers: [\"istio-*\"]
    workloads: [\"Deployment/legacy-*\"]
    files: [\"legacy/**\"]
    reason: sized by the mesh injector
";

#[test]
fn the_nearest_configuration_waives_with_its_reason_by_container_workload_and_file() {
    let dir = scratch("config");
    write(&dir, ".podlab.yaml", CONFIG);
    write(&dir, "legacy/deep/mesh.yaml", MESH);
    write(&dir, "current/mesh.yaml", MESH);
    let sub = dir.join("legacy");
    // Found in the parent of the working directory; files globs are relative to the file.
    let out = podlab(&sub, &["analyze", "-o", "json", "deep/mesh.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(
        finding(&v, "requests-exceed-limits", "istio-proxy")["waived"],
        serde_json::json!({"by": "config", "reason": "sized by the mesh injector"})
    );
    // A file outside legacy/ is not reached.
    let out = podlab(&dir, &["analyze", "current/mesh.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    // Nor is a workload of another name.
    write(&dir, "legacy/web.yaml", &MESH.replace("legacy-api", "web"));
    let out = podlab(&dir, &["analyze", "legacy/web.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    // Nor another container.
    write(
        &dir,
        "legacy/app.yaml",
        &MESH.replace("istio-proxy", "proxy"),
    );
    let out = podlab(&dir, &["analyze", "legacy/app.yaml"]);
    assert_eq!(out.status.code(), Some(1));

    // SARIF carries the waiver as a suppression with the reason as its justification.
    let out = podlab(&sub, &["analyze", "-o", "sarif", "deep/mesh.yaml"]);
    let v = json(&out);
    let r = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "requests-exceed-limits")
        .unwrap();
    assert_eq!(r["suppressions"][0]["kind"], "external");
    assert_eq!(
        r["suppressions"][0]["justification"],
        "sized by the mesh injector"
    );
}

#[test]
fn the_configuration_sets_severities_and_fail_on_and_flags_win() {
    let dir = scratch("config-levels");
    write(
        &dir,
        "warn.yaml",
        &MESH
            .replace("cpu: \"2\"", "cpu: 500m")
            .replace("api:1.0", "api"),
    );
    // failOn: warning, but unpinned-image (the only warning) is off.
    write(
        &dir,
        ".podlab.yaml",
        "failOn: warning\nrules:\n  unpinned-image: off\n",
    );
    let out = podlab(&dir, &["analyze", "-o", "json", "warn.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert!(!v.to_string().contains("unpinned-image"));
    // Raised to an error, it fails even at the default threshold; the flag wins over failOn.
    write(
        &dir,
        ".podlab.yaml",
        "failOn: never\nrules:\n  unpinned-image: error\n",
    );
    assert_eq!(
        podlab(&dir, &["analyze", "warn.yaml"]).status.code(),
        Some(0)
    );
    assert_eq!(
        podlab(&dir, &["analyze", "--fail-on", "error", "warn.yaml"])
            .status
            .code(),
        Some(1)
    );
    let out = podlab(&dir, &["analyze", "-o", "json", "warn.yaml"]);
    assert_eq!(
        finding(&json(&out), "unpinned-image", "app")["severity"],
        "error"
    );
    // --no-config reads none; --config names one.
    assert_eq!(
        podlab(&dir, &["analyze", "--no-config", "warn.yaml"])
            .status
            .code(),
        Some(0)
    );
    write(&dir, "strict.yaml", "failOn: info\n");
    assert_eq!(
        podlab(&dir, &["analyze", "--config", "strict.yaml", "warn.yaml"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn the_configuration_sets_the_target_version_and_the_flag_wins() {
    let dir = scratch("config-version");
    write(&dir, "mesh.yaml", MESH);
    write(&dir, ".podlab.yaml", "kubernetesVersion: \"1.29\"\n");
    let v = json(&podlab(&dir, &["analyze", "-o", "json", "mesh.yaml"]));
    assert_eq!(v["kubernetesVersion"], "1.29");
    let v = json(&podlab(
        &dir,
        &[
            "analyze",
            "-o",
            "json",
            "--kubernetes-version",
            "1.33",
            "mesh.yaml",
        ],
    ));
    assert_eq!(v["kubernetesVersion"], "1.33");
}

#[test]
fn each_configuration_error_exits_2_with_its_line_and_column() {
    let dir = scratch("config-errors");
    write(&dir, "mesh.yaml", MESH);
    let cases: &[(&str, &str, &str)] = &[
        (
            "failOn: warning\nfailon: error\n",
            "2:1",
            "unknown key 'failon'",
        ),
        (
            "rules:\n  unpinned-images: off\n",
            "2:3",
            "unknown rule id 'unpinned-images'",
        ),
        (
            "rules:\n  unpinned-image: loud\n",
            "2:19",
            "off, info, warning or error, not 'loud'",
        ),
        (
            "failOn: sometimes\n",
            "1:9",
            "failOn is error, warning, info, never, not 'sometimes'",
        ),
        ("kubernetesVersion: 1.30\n", "1:20", "must be quoted text"),
        ("kubernetesVersion: \"1.20\"\n", "1:20", "1.27"),
        ("ignore:\n- rule: nope\n", "2:9", "unknown rule id 'nope'"),
        (
            "ignore:\n- rule: '*'\n  container: [a]\n",
            "3:3",
            "unknown key 'container' in an ignore entry",
        ),
        (
            "ignore:\n- containers: [a]\n",
            "2:3",
            "an ignore entry needs a rule",
        ),
        (
            "ignore:\n- rule: '*'\n  files: ['a/[b']\n",
            "3:11",
            "is not a glob",
        ),
        (
            "ignore:\n- rule: '*'\n  workloads: Deployment/a\n",
            "3:14",
            "must be a list of globs",
        ),
        ("ignore:\n  rule: '*'\n", "2:3", "ignore must be a list"),
        ("rules: [a]\n", "1:8", "rules must be a mapping"),
        (
            "failOn: warning\n---\nfailOn: error\n",
            "3:1",
            "one YAML document",
        ),
        ("failOn: [\n", "2:1", ""),
    ];
    for (text, at, message) in cases {
        write(&dir, ".podlab.yaml", text);
        let out = podlab(&dir, &["analyze", "mesh.yaml"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{text}: {err}");
        assert!(
            err.contains(&format!(".podlab.yaml:{at}: ")),
            "{text}: {err}"
        );
        assert!(err.contains(message), "{text}: {err}");
        assert_eq!(err.lines().count(), 1, "{text}: {err}");
        // --no-config does not read it.
        assert_eq!(
            podlab(&dir, &["analyze", "--no-config", "mesh.yaml"])
                .status
                .code(),
            Some(1)
        );
    }
    let out = podlab(&dir, &["analyze", "--config", "missing.yaml", "mesh.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.yaml"), "{}", stderr(&out));
}

#[test]
fn junit_has_a_suite_per_file_a_case_per_workload_failures_and_skips() {
    let dir = scratch("junit");
    write(&dir, "a/mesh.yaml", MESH);
    write(
        &dir,
        "b/waived.yaml",
        // A name no API server takes (invalid-name), to show the escaping: waived with the rest.
        &mesh_annotated("podlab.dev/ignore: \"requests-exceed-limits, invalid-name\"")
            .replace("legacy-api", "a<b>&\"c'"),
    );
    write(
        &dir,
        "c/config.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
    );
    let out = podlab(
        &dir,
        &[
            "analyze",
            "-o",
            "junit",
            "a/mesh.yaml",
            "b/waived.yaml",
            "c/config.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let names: Vec<_> = suites
        .iter()
        .map(|s| s.attribute("name").unwrap())
        .collect();
    assert_eq!(names, ["a/mesh.yaml", "b/waived.yaml", "c/config.yaml"]);
    fn case<'a, 'i>(s: &roxmltree::Node<'a, 'i>) -> roxmltree::Node<'a, 'i> {
        s.children().find(|n| n.has_tag_name("testcase")).unwrap()
    }

    let failed = case(&suites[0]);
    assert_eq!(failed.attribute("name"), Some("Deployment/legacy-api"));
    let failures: Vec<_> = failed
        .children()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), 1, "{xml}");
    assert_eq!(
        failures[0].attribute("type"),
        Some("requests-exceed-limits")
    );
    assert_eq!(suites[0].attribute("failures"), Some("1"));

    let skipped = case(&suites[1]);
    assert_eq!(skipped.attribute("name"), Some("Deployment/a<b>&\"c'"));
    assert!(
        skipped.children().any(|n| n.has_tag_name("skipped")),
        "{xml}"
    );
    assert!(
        !skipped.children().any(|n| n.has_tag_name("failure")),
        "{xml}"
    );
    assert_eq!(suites[1].attribute("skipped"), Some("1"));

    assert_eq!(suites[2].attribute("tests"), Some("0"));
    assert_eq!(root.attribute("tests"), Some("2"));
    assert_eq!(root.attribute("failures"), Some("1"));

    // At --fail-on warning the warnings are failures too.
    let out = podlab(
        &dir,
        &[
            "analyze",
            "-o",
            "junit",
            "--fail-on",
            "warning",
            "a/mesh.yaml",
        ],
    );
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let warnings = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert!(warnings >= 1, "{xml}");
}

#[test]
fn junit_reports_an_unreadable_input_as_an_error_case() {
    let dir = scratch("junit-error");
    write(&dir, "bad.yaml", "kind: [\n");
    let out = podlab(&dir, &["analyze", "-o", "junit", "bad.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let error = doc.descendants().find(|n| n.has_tag_name("error")).unwrap();
    assert!(error.text().unwrap().starts_with("bad.yaml:2:1: "), "{xml}");
    assert_eq!(doc.root_element().attribute("errors"), Some("1"));
}

#[test]
fn github_prints_one_escaped_command_per_unwaived_finding() {
    let dir = scratch("github");
    write(&dir, "a,b:c%.yaml", MESH);
    let out = podlab(&dir, &["analyze", "-o", "github", "a,b:c%.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("title=requests-exceed-limits"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.starts_with("::error file=a%2Cb%3Ac%25.yaml,line=17,title=requests-exceed-limits::"),
        "{line}"
    );
    assert!(text.lines().any(|l| l.starts_with("::notice ")), "{text}");
    assert!(text.lines().all(|l| l.starts_with("::")), "{text}");

    write(
        &dir,
        "waived.yaml",
        &mesh_annotated("podlab.dev/ignore: requests-exceed-limits"),
    );
    let out = podlab(&dir, &["analyze", "-o", "github", "waived.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("requests-exceed-limits"));

    write(&dir, "bad.yaml", "kind: [\n");
    let out = podlab(&dir, &["analyze", "-o", "github", "bad.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .starts_with("::error file=bad.yaml,line=2,col=1,title=podlab::"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_directory_is_read_recursively_skipping_what_is_not_a_manifest() {
    let dir = scratch("walk");
    write(&dir, "k8s/a.yaml", MESH);
    write(&dir, "k8s/deep/b.yml", &MESH.replace("legacy-api", "b"));
    write(
        &dir,
        "k8s/c.json",
        r#"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "c"}, "spec": {"containers": [{"name": "x", "image": "x:1"}]}}"#,
    );
    write(
        &dir,
        "k8s/values.yaml",
        "replicaCount: 2\nimage: {tag: latest}\n",
    );
    write(
        &dir,
        "k8s/package.json",
        r#"{"name": "x", "version": "1.0.0"}"#,
    );
    write(&dir, "k8s/notes.txt", "kind: [\n");
    write(&dir, "k8s/.hidden/broken.yaml", "kind: [\n");
    write(&dir, "k8s/node_modules/x/broken.yaml", "kind: [\n");
    write(
        &dir,
        "k8s/chart/Chart.yaml",
        "apiVersion: v2\nname: chart\nversion: 0.1.0\n",
    );
    write(
        &dir,
        "k8s/chart/templates/deploy.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", dir.join("k8s/deep/loop")).unwrap();

    let out = podlab(&dir, &["analyze", "-o", "json", "k8s"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["errors"], serde_json::json!([]));
    let mut names: Vec<String> = v["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            format!(
                "{} {}",
                w["file"].as_str().unwrap(),
                w["name"].as_str().unwrap()
            )
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["k8s/a.yaml legacy-api", "k8s/c.json c", "k8s/deep/b.yml b"]
    );
    // From inside, paths read as the repository names them, without "./".
    let out = podlab(&dir.join("k8s"), &["analyze", "-o", "github", "."]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("file=deep/b.yml,"), "{text}");
    assert!(!text.contains("file=./"), "{text}");

    // A file that does not read is an error in a walk too.
    write(&dir, "k8s/deep/broken.yaml", "apiVersion: v1\nkind: [\n");
    let out = podlab(&dir, &["analyze", "-o", "json", "k8s"]);
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    assert_eq!(v["errors"][0]["file"], "k8s/deep/broken.yaml");
    assert_eq!(v["errors"][0]["line"], 3);
}

#[test]
fn a_named_file_is_read_even_when_it_is_not_a_manifest() {
    let dir = scratch("named");
    write(&dir, "values.yaml", "replicaCount: 2\n");
    let out = podlab(&dir, &["analyze", "values.yaml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // As a hook passes them: every staged YAML file, Kubernetes or not.
    write(&dir, "mesh.yaml", MESH);
    write(&dir, "broken.yaml", "kind: [\n");
    let code = |files: &[&str]| {
        let mut args = vec!["analyze", "--skip-non-kubernetes"];
        args.extend_from_slice(files);
        podlab(&dir, &args).status.code()
    };
    assert_eq!(code(&["values.yaml"]), Some(0));
    assert_eq!(code(&["values.yaml", "mesh.yaml"]), Some(1));
    assert_eq!(code(&["values.yaml", "broken.yaml"]), Some(2));
}
