//! `podlab fix`: prints the fixed text, or rewrites the files with --write; --rule picks rules.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn podlab(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_podlab"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

const JOB: &str = "apiVersion: batch/v1
kind: Job
metadata: {name: report}
spec:
  template:
    spec:
      restartPolicy: Never
      initContainers:
      - name: warm
        image: w:1
        readinessProbe: {exec: {command: [x]}}
      containers:
      - name: report
        image: r:1
      - name: shipper   # ships the logs
        image: fluent/fluent-bit:3.2.2
";

const FIXED: &str = "apiVersion: batch/v1
kind: Job
metadata: {name: report}
spec:
  template:
    spec:
      restartPolicy: Never
      initContainers:
      - name: warm
        image: w:1
      - name: shipper   # ships the logs
        image: fluent/fluent-bit:3.2.2
        restartPolicy: Always
      containers:
      - name: report
        image: r:1
";

#[test]
fn fix_prints_the_text_with_every_fix_applied() {
    let out = podlab(&["fix", "--kubernetes-version", "1.31"], JOB.as_bytes());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), FIXED);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("-: Remove readinessProbe from 'warm'"),
        "{err}"
    );
    assert!(err.contains("-: Make 'shipper' a native sidecar"), "{err}");
    // The result has neither finding left.
    let again = podlab(
        &["analyze", "-o", "json", "--kubernetes-version", "1.31"],
        &out.stdout,
    );
    let a: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    let rules: Vec<&str> = a["workloads"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(
        !rules.contains(&"init-container-probe") && !rules.contains(&"classic-sidecar-in-job"),
        "{rules:?}"
    );
}

#[test]
fn rule_picks_which_fixes_apply() {
    let out = podlab(
        &[
            "fix",
            "--rule",
            "init-container-probe",
            "--kubernetes-version",
            "1.31",
        ],
        JOB.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        JOB.replace("        readinessProbe: {exec: {command: [x]}}\n", "")
    );
    let out = podlab(&["fix", "--rule", "no-such-rule"], JOB.as_bytes());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn write_rewrites_the_files_and_leaves_the_rest_alone() {
    let dir = std::env::temp_dir().join(format!("podlab-fix-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let job = dir.join("job.yaml");
    let clean = dir.join("clean.yaml");
    std::fs::write(&job, JOB).unwrap();
    let clean_text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: nginx:1.27.3}\n";
    std::fs::write(&clean, clean_text).unwrap();
    let out = podlab(
        &[
            "fix",
            "--write",
            "--kubernetes-version",
            "1.31",
            job.to_str().unwrap(),
            clean.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&job).unwrap(), FIXED);
    assert_eq!(std::fs::read_to_string(&clean).unwrap(), clean_text);
    // Standard input cannot be rewritten.
    let out = podlab(&["fix", "--write"], JOB.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unreadable_input_is_left_as_it_is_and_exits_2() {
    let out = podlab(&["fix"], b"a: [\n");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "a: [\n");
}

#[test]
fn an_autoscaler_in_another_file_is_fixed_in_that_file() {
    let dir = std::env::temp_dir().join(format!("podlab-fix-hpa-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let deploy = dir.join("deploy.yaml");
    let hpa = dir.join("hpa.yaml");
    let deploy_text = "apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers:
      - {name: shipper, image: fluent/fluent-bit:3.2.2, restartPolicy: Always}
      containers:
      - {name: web, image: nginx:1.27.3}
";
    let hpa_text = "apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
  metrics:
  - type: Resource
    resource:
      name: cpu
      target: {type: Utilization, averageUtilization: 60}
";
    std::fs::write(&deploy, deploy_text).unwrap();
    std::fs::write(&hpa, hpa_text).unwrap();
    let out = podlab(
        &[
            "fix",
            "--write",
            "--rule",
            "hpa-resource-metric",
            "--kubernetes-version",
            "1.31",
            deploy.to_str().unwrap(),
            hpa.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&deploy).unwrap(), deploy_text);
    assert_eq!(
        std::fs::read_to_string(&hpa).unwrap(),
        hpa_text.replace(
            "  - type: Resource\n    resource:\n",
            "  - type: ContainerResource\n    containerResource:\n      container: web\n"
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
