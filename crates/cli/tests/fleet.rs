//! A cluster's worth on the command line: `kubectl get pods -A -o json | podlab analyze -`.
//! A List is read as a stream and printed in input order, the JSON exactly as a whole read prints
//! it, whatever the input's size; the summary follows many workloads.

use podlab_engine::{analyze_text, Options};
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn podlab(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_podlab"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn pod(i: usize, ns: &str, extra: &str) -> String {
    format!(
        r#"{{
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {{"name": "web-{i}", "namespace": "{ns}"{extra}}},
            "spec": {{
                "initContainers": [{{"name": "proxy", "image": "envoyproxy/envoy:v1.30.1", "restartPolicy": "Always",
                                     "resources": {{"requests": {{"cpu": "100m", "memory": "64Mi"}}}}}}],
                "containers": [{{"name": "app", "image": "example/web:1.{i}.0",
                                 "resources": {{"requests": {{"cpu": "250m", "memory": "256Mi"}}}}}}]
            }}
        }}"#
    )
}

/// `kubectl get pods -A -o json`: a v1 List, four-space indents.
fn pod_list(n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| pod(i, if i % 2 == 0 { "shop" } else { "search" }, ""))
        .collect();
    format!(
        "{{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {}\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {{\n        \"resourceVersion\": \"\"\n    }}\n}}\n",
        items.join(",\n        ")
    )
}

#[test]
fn a_streamed_list_prints_the_json_a_whole_read_prints_byte_for_byte() {
    let text = pod_list(40);
    let out = podlab(&["analyze", "-o", "json", "-"], text.as_bytes());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let whole = analyze_text("-", &text, &Options::default());
    assert_eq!(whole.workloads.len(), 40);
    let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}

#[test]
fn an_empty_list_prints_no_workload_and_exits_zero() {
    let text = "{\"apiVersion\": \"v1\", \"items\": [], \"kind\": \"List\"}";
    let out = podlab(&["analyze", "-o", "json", "-"], text.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let expected =
        serde_json::to_string_pretty(&analyze_text("-", text, &Options::default())).unwrap() + "\n";
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}

#[test]
fn workloads_come_out_in_input_order() {
    let text = pod_list(64);
    let out = podlab(&["analyze", "-o", "json", "-"], text.as_bytes());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<String> = v["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap().to_string())
        .collect();
    let expected: Vec<String> = (0..64).map(|i| format!("web-{i}")).collect();
    assert_eq!(names, expected);
}

#[test]
fn the_text_report_ends_with_the_summary_past_five_workloads() {
    let few = podlab(&["analyze", "-"], pod_list(5).as_bytes());
    let few = String::from_utf8(few.stdout).unwrap();
    assert!(few.contains("Name: web-4"), "{few}");
    assert!(!few.contains("Summary:"), "{few}");
    let many = podlab(&["analyze", "-"], pod_list(6).as_bytes());
    let many = String::from_utf8(many.stdout).unwrap();
    assert!(many.contains("Name: web-5"), "{many}");
    let summary = &many[many.find("Summary: 6 workloads").expect(&many)..];
    // Three pods a namespace: 3 × 100m of sidecar against 3 × 250m of app.
    assert!(
        summary.contains("  search                         3  cpu                       300m        750m    28.6%"),
        "{summary}"
    );
    assert!(
        summary.contains("  (all)                          6  cpu                       600m       1500m    28.6%"),
        "{summary}"
    );
}

#[test]
fn summary_alone_replaces_the_workloads() {
    let out = podlab(
        &["analyze", "--summary", "-o", "json", "-"],
        pod_list(4).as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("workloads").is_none(), "{v}");
    assert_eq!(v["summary"]["workloads"], 4);
    assert_eq!(
        v["summary"]["total"]["helpers"]["memory"]["quantity"],
        "256Mi"
    );
    assert_eq!(
        v["summary"]["namespaces"]["shop"]["apps"]["cpu"]["quantity"],
        "500m"
    );
    let text = podlab(&["analyze", "--summary", "-"], pod_list(4).as_bytes());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with("Summary: 4 workloads\n"), "{text}");
    assert!(!text.contains("Name:"), "{text}");
}

#[test]
fn the_summary_works_on_inputs_read_whole_too() {
    let docs: Vec<String> = (0..3)
        .map(|i| {
            format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}, namespace: a}}\nspec:\n  containers:\n  - {{name: app, image: x:1, resources: {{requests: {{cpu: 1m}}}}}}\n")
        })
        .collect();
    let out = podlab(
        &["analyze", "--summary", "-"],
        docs.join("---\n").as_bytes(),
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("  a                              3  cpu                          0          3m     0.0%"), "{text}");
}

#[test]
fn a_list_cut_short_exits_2_with_its_line_and_keeps_what_was_read() {
    let text = pod_list(3);
    let cut = &text[..text.len() - 200];
    let out = podlab(&["analyze", "-o", "json", "-"], cut.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["workloads"].as_array().unwrap().len(), 2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines = cut.lines().count();
    assert!(stderr.starts_with(&format!("-:{lines}:")), "{stderr}");
    assert!(stderr.contains("cut short"), "{stderr}");
}

#[test]
fn an_error_finding_in_one_item_sets_exit_status_1() {
    let bad = pod(1, "x", "").replace("\"100m\"", "\"2\"").replace(
        "\"resources\": {\"requests\": {\"cpu\": \"2\", \"memory\": \"64Mi\"}}",
        "\"resources\": {\"requests\": {\"cpu\": \"2\"}, \"limits\": {\"cpu\": \"1\"}}",
    );
    let text = format!(
        "{{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{}, {bad}]}}",
        pod(0, "x", "")
    );
    let out = podlab(&["analyze", "-o", "json", "-"], text.as_bytes());
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_list_larger_than_a_whole_read_is_analysed() {
    // Three items of 25 MB each (a long annotation): 75 MB, past the 64 MB a whole read takes.
    let pad = "x".repeat(25_000_000);
    let items: Vec<String> = (0..3)
        .map(|i| {
            pod(
                i,
                "big",
                &format!(", \"annotations\": {{\"note\": \"{pad}\"}}"),
            )
        })
        .collect();
    let text = format!(
        "{{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n{}\n]}}",
        items.join(",\n")
    );
    assert!(text.len() > 64 * 1024 * 1024);
    let out = podlab(
        &["analyze", "--summary", "-o", "json", "-"],
        text.as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["workloads"], 3);
}

/// A pod whose app crash-loops, as `kubectl get pod -o json` prints it
/// (kuberuntime_manager.go doBackOff writes the waiting reason).
fn crash_looping(i: usize) -> String {
    pod(i, "shop", "")
        .trim_end()
        .trim_end_matches('}')
        .to_string()
        + r#",
            "status": {
                "phase": "Running",
                "initContainerStatuses": [{"name": "proxy", "image": "envoyproxy/envoy:v1.30.1", "imageID": "", "ready": true, "started": true, "restartCount": 0,
                                           "state": {"running": {"startedAt": "2026-11-30T08:00:00Z"}}, "lastState": {}}],
                "containerStatuses": [{"name": "app", "image": "example/web:1.0.0", "imageID": "", "ready": false, "started": false, "restartCount": 4,
                                       "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 1m20s restarting failed container=app pod=web_shop(1)"}},
                                       "lastState": {"terminated": {"exitCode": 2, "reason": "Error", "startedAt": "2026-11-30T08:01:00Z", "finishedAt": "2026-11-30T08:01:02Z"}}}]
            }
        }"#
}

#[test]
fn a_live_pod_reads_as_kubectl_get_pod_shows_it() {
    let out = podlab(&["analyze", "-"], crash_looping(0).as_bytes());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Live: CrashLoopBackOff  READY 1/2  RESTARTS 4  (phase Running)"),
        "{text}"
    );
    assert!(text.contains("  Held by:    app"), "{text}");
    assert!(
        text.contains("$ kubectl logs web-0 -n shop -c app --previous"),
        "{text}"
    );
    assert!(text.contains("warning live-crash-loop [app]"), "{text}");
}

#[test]
fn the_summary_counts_live_pods_by_status_and_what_holds_them_back() {
    let mut items: Vec<String> = (0..3).map(crash_looping).collect();
    items.push(pod(9, "shop", ""));
    let text = format!(
        "{{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{}]}}",
        items.join(",")
    );
    let out = podlab(&["analyze", "--summary", "-"], text.as_bytes());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Summary: 4 workloads (3 live pods)\n"),
        "{text}"
    );
    assert!(
        text.contains("\n  CrashLoopBackOff                               3\n"),
        "{text}"
    );
    assert!(
        text.contains("\n  app                                            3  CrashLoopBackOff\n"),
        "{text}"
    );
}

#[test]
fn a_streamed_list_honours_waivers_fail_on_and_every_output() {
    let bad = pod(1, "x", "").replace(
        "\"resources\": {\"requests\": {\"cpu\": \"100m\", \"memory\": \"64Mi\"}}",
        "\"resources\": {\"requests\": {\"cpu\": \"2\"}, \"limits\": {\"cpu\": \"1\"}}",
    );
    let text = format!(
        "{{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{}, {bad}]}}",
        pod(0, "x", "")
    );
    let run = |args: &[&str]| podlab(args, text.as_bytes()).status.code();
    assert_eq!(run(&["analyze", "--no-config", "-"]), Some(1));
    assert_eq!(
        run(&["analyze", "--no-config", "--fail-on", "never", "-"]),
        Some(0)
    );
    assert_eq!(
        run(&[
            "analyze",
            "--no-config",
            "--ignore",
            "requests-exceed-limits",
            "-"
        ]),
        Some(0)
    );
    let github = podlab(
        &["analyze", "--no-config", "-o", "github", "-"],
        text.as_bytes(),
    );
    let github = String::from_utf8(github.stdout).unwrap();
    assert!(
        github.contains("::error title=requests-exceed-limits::Pod/web-1 [proxy]"),
        "{github}"
    );
}
