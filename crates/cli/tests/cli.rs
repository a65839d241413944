//! The command line as CI uses it: exit codes, JSON shape, standard input, bad input.

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
    // A usage error exits before reading standard input; a closed pipe is fine then.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

const SIDECARS: &str = "apiVersion: apps/v1
kind: Deployment
metadata: {name: web-app}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers:
      - name: log-shipper
        image: grafana/promtail:3.4.0
        restartPolicy: Always
        resources: {requests: {cpu: 100m, memory: 64Mi}}
      containers:
      - name: app
        image: example/web:1.6.0
        resources: {requests: {cpu: 500m, memory: 256Mi}}
";

#[test]
fn json_output_follows_the_contract() {
    let out = podlab(&["analyze", "-o", "json"], SIDECARS.as_bytes());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["tool"]["name"], "podlab");
    assert_eq!(v["kubernetesVersion"], "1.37");
    let w = &v["workloads"][0];
    assert_eq!(w["file"], "-");
    assert_eq!(w["document"], 0);
    assert_eq!(w["line"], 1);
    assert_eq!(w["kind"], "Deployment");
    assert_eq!(w["name"], "web-app");
    assert_eq!(w["namespace"], serde_json::Value::Null);
    assert_eq!(w["replicas"], 3);
    let c = &w["containers"][0];
    assert_eq!(c["name"], "log-shipper");
    assert_eq!(c["section"], "initContainers");
    assert_eq!(c["index"], 0);
    assert_eq!(c["line"], 11);
    assert_eq!(c["form"], "native-sidecar");
    assert_eq!(c["pattern"], "sidecar");
    assert!(c["confidence"].as_f64().unwrap() > 0.0);
    assert!(!c["evidence"].as_array().unwrap().is_empty());
    assert_eq!(
        w["resources"]["requests"]["cpu"],
        serde_json::json!({"quantity": "600m", "milli": 600})
    );
    assert_eq!(
        w["resources"]["requests"]["memory"],
        serde_json::json!({"quantity": "320Mi", "milli": 335544320000i64})
    );
    assert_eq!(w["resources"]["limits"], serde_json::json!({}));
    assert_eq!(w["resources"]["qos"], "Burstable");
    assert_eq!(
        w["lifecycle"]["startup"],
        serde_json::json!([["log-shipper"], ["app"]])
    );
    assert_eq!(
        w["lifecycle"]["shutdown"],
        serde_json::json!([["app"], ["log-shipper"]])
    );
    // kubectl get pod as the pod starts: the sidecar first, then everything running and ready.
    let status = w["lifecycle"]["status"].as_array().unwrap();
    assert_eq!(
        status[0],
        serde_json::json!({"at": 0, "phase": "Pending", "status": "Init:0/1", "ready": "0/2", "restarts": 0})
    );
    let last = status.last().unwrap();
    assert_eq!(
        (&last["status"], &last["ready"], &last["phase"]),
        (
            &serde_json::json!("Running"),
            &serde_json::json!("2/2"),
            &serde_json::json!("Running")
        )
    );
    assert_eq!(w["lifecycle"]["completes"], serde_json::Value::Null);
    assert_eq!(v["errors"], serde_json::json!([]));
}

#[test]
fn an_error_finding_exits_1() {
    let bad = SIDECARS.replace("replicas: 3", "replicas: 3\n  replica: 2");
    let out = podlab(&["analyze", "-o", "json"], bad.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let d = &v["workloads"][0]["diagnostics"][0];
    assert_eq!(d["rule"], "unknown-field");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["line"], 6);
}

#[test]
fn the_target_version_changes_the_result() {
    let out = podlab(
        &["analyze", "-o", "json", "--kubernetes-version", "1.28"],
        SIDECARS.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["kubernetesVersion"], "1.28");
    assert!(v["workloads"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["rule"] == "native-sidecar-unsupported"));
    let out = podlab(
        &["analyze", "--kubernetes-version", "1.20"],
        SIDECARS.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn unreadable_input_exits_2_with_a_located_message_and_json_still_printed() {
    let out = podlab(
        &["analyze", "-o", "json"],
        b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: [oops\n",
    );
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    let e = &v["errors"][0];
    assert_eq!(e["file"], "-");
    assert!(e["line"].as_u64().unwrap() >= 4);
    assert!(e["column"].as_u64().unwrap() >= 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("-:"), "{stderr}");
}

#[test]
fn helm_templates_binary_and_missing_files_are_errors_not_panics() {
    let out = podlab(&["analyze"], b"kind: {{ .Values.kind }}\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("helm template"));
    let out = podlab(&["analyze"], b"\xff\xfe\x00binary");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("UTF-8"));
    let out = podlab(&["analyze", "/no/such/file.yaml"], b"");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn text_output_reads_like_describe() {
    let out = podlab(&["analyze"], SIDECARS.as_bytes());
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "Name: web-app",
        "Containers:",
        "log-shipper:",
        "Effective resources:",
        "QoS Class:",
        "Derivation:",
        "Lifecycle:",
        "Status:     0 s Init:0/1 0/2 (Pending)  →  0 s PodInitializing 1/2 (Pending)  →  0 s Running 2/2 (Running)",
        "What if:",
        "Findings:",
        "cpu: 600m",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    assert!(!text.contains('\x1b'), "no colour when not on a terminal");
}

#[test]
fn rules_lists_the_catalogue() {
    let out = podlab(&["rules", "-o", "json"], b"");
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for id in [
        "init-container-probe",
        "container-restart-policy",
        "native-sidecar-unsupported",
        "duplicate-container-name",
        "port-conflict",
        "classic-sidecar-in-job",
        "sidecar-could-be-native",
        "native-sidecar-no-startup-probe",
        "memory-emptydir",
        "share-process-namespace",
        "hpa-resource-metric",
        "unrelated-containers",
        "helper-outweighs-app",
        "missing-requests",
        "requests-exceed-limits",
        "unpinned-image",
        "init-migration-replicas",
        "unknown-field",
    ] {
        assert!(ids.contains(&id), "{id} missing from the catalogue");
    }
}

#[test]
fn usage_errors_exit_2() {
    let out = podlab(&["analyze", "-o", "yaml"], b"");
    assert_eq!(out.status.code(), Some(2));
    let out = podlab(&["nonsense"], b"");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn sarif_output_carries_rules_and_regions() {
    let out = podlab(
        &["analyze", "-o", "sarif"],
        SIDECARS.replace("promtail:3.4.0", "promtail").as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "unpinned-image")
        .unwrap();
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"]["startLine"],
        12
    );
}

#[test]
fn a_link_carries_the_manifest_and_its_notes_both_ways() {
    let dir = std::env::temp_dir().join(format!("podlab-link-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let notes = dir.join("notes.json");
    std::fs::write(
        &notes,
        r#"[{"line": 11, "container": "log-shipper", "text": "the native sidecar"}]"#,
    )
    .unwrap();
    let out = podlab(
        &[
            "link",
            "encode",
            "--notes",
            notes.to_str().unwrap(),
            "--base-url",
            "https://example.org/podlab/",
        ],
        SIDECARS.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0));
    let link = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(
        link.starts_with("https://example.org/podlab/#v1/"),
        "{link}"
    );
    let out = podlab(&["link", "decode", &link], b"");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), SIDECARS);
    let out = podlab(&["link", "decode", "-o", "json", &link], b"");
    let v = json(&out);
    assert_eq!(v["notes"][0]["text"], "the native sidecar");
    let out = podlab(&["link", "decode", "https://example.org/#v1/AAAA"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("damaged"));
}

#[test]
fn a_podlab_file_with_a_deck_encodes_to_a_deck_link() {
    let dir = std::env::temp_dir().join(format!("podlab-deck-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("workshop.podlab.json");
    std::fs::write(
        &file,
        r#"{"format": "podlab/v1", "manifest": "kind: Pod\n", "notes": [],
            "deck": {"title": "Sidecars", "lessons": [
              {"title": "One", "manifest": "kind: Pod\n", "quiz": true},
              {"title": "Two", "manifest": "kind: Job\n", "notes": [{"line": 1, "container": null, "text": "a Job"}]}]}}"#,
    )
    .unwrap();
    let out = podlab(&["link", "encode", file.to_str().unwrap()], b"");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let link = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let v = json(&podlab(&["link", "decode", "-o", "json", &link], b""));
    assert_eq!(v["deck"]["title"], "Sidecars");
    assert_eq!(v["deck"]["lessons"][1]["notes"][0]["text"], "a Job");
    assert_eq!(v["deck"]["lessons"][0]["quiz"], true);
    // A file from a newer podlab is refused with its reason.
    std::fs::write(&file, r#"{"format": "podlab/v7", "manifest": ""}"#).unwrap();
    let out = podlab(&["link", "encode", file.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("newer podlab"));
}

/// `-o json` analyses each workload when its turn to be written comes, on every core: the bytes
/// are the engine's whole analysis as serde_json writes it, for an input long enough to be cut
/// into batches on several threads, with Services and autoscalers matched across files and a
/// file that cannot be read.
#[test]
fn json_of_a_long_input_is_the_whole_analysis_byte_for_byte() {
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/files");
    let mut names: Vec<String> = std::fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .filter(|p| !p.ends_with(".in"))
        .collect();
    names.sort();
    // Every file three times over: well past the threshold for threads, batches of unequal size.
    let mut args: Vec<String> = vec![
        "analyze".into(),
        "-o".into(),
        "json".into(),
        "--no-config".into(),
    ];
    for _ in 0..3 {
        args.extend(names.iter().cloned());
    }
    args.push(format!("{corpus}/no-such-file.yaml"));
    let out = podlab(&args.iter().map(String::as_str).collect::<Vec<_>>(), b"");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let texts: Vec<(String, String)> = args[4..args.len() - 1]
        .iter()
        .map(|n| (n.clone(), std::fs::read_to_string(n).unwrap()))
        .collect();
    let sources: Vec<podlab_engine::Source> = texts
        .iter()
        .map(|(name, text)| podlab_engine::Source { name, text })
        .collect();
    let mut whole = podlab_engine::analyze(&sources, &podlab_engine::Options::default());
    assert!(
        whole.workloads.len() > 100,
        "{} workloads",
        whole.workloads.len()
    );
    let missing = args.last().unwrap();
    let unread = json(&out)["errors"][0].clone();
    assert!(unread["message"]
        .as_str()
        .unwrap()
        .starts_with(&format!("cannot read {missing}")));
    whole
        .errors
        .insert(0, serde_json::from_value(unread).unwrap());
    let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
    assert!(
        String::from_utf8_lossy(&out.stdout) == expected,
        "the streamed JSON differs from the engine's analysis"
    );
}

/// One long input is read document by document, each workload's document again when its batch
/// is written: the output must still be the engine's whole analysis, its input errors (met on
/// the writer's threads) in input order after the workloads, and the exit code 2 for them.
#[test]
fn json_of_one_long_input_read_again_is_the_whole_analysis_with_its_errors_in_order() {
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/files");
    let mut names: Vec<_> = std::fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let mut text = String::new();
    let mut round = 0;
    while text.len() < 1024 * 1024 {
        for n in &names {
            let t = std::fs::read_to_string(n).unwrap();
            if !t.contains("{{") {
                text.push_str(&format!("---\n{t}\n"));
            }
        }
        // A workload that cannot be read, in each round: an error met in a later batch.
        text.push_str(&format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: odd-{round}}}\nspec: {round}\n"
        ));
        round += 1;
    }
    let dir = std::env::temp_dir().join(format!("podlab-long-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("long.yaml");
    std::fs::write(&file, &text).unwrap();
    let name = file.to_string_lossy().into_owned();
    let out = podlab(&["analyze", "-o", "json", "--no-config", &name], b"");
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(2));

    let sources = [podlab_engine::Source {
        name: &name,
        text: &text,
    }];
    let whole = podlab_engine::analyze(&sources, &podlab_engine::Options::default());
    let odd: Vec<&str> = whole
        .errors
        .iter()
        .filter(|e| e.message.contains("spec"))
        .map(|e| e.message.as_str())
        .collect();
    assert!(whole.workloads.len() > 200 && odd.len() == round, "{odd:?}");
    let lines: Vec<usize> = whole.errors.iter().map(|e| e.line).collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
    let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
    assert!(
        String::from_utf8_lossy(&out.stdout) == expected,
        "the streamed JSON differs from the engine's analysis"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), whole.errors.len(), "{stderr}");
}

/// When the reader of `-o json` stops early (`| head`), the exit code still answers for every
/// workload, also those never written: here only the last one has an error.
#[test]
fn an_output_cut_short_still_exits_for_every_workload() {
    let clean: Vec<String> = (0..400)
        .map(|i| SIDECARS.replace("name: web-app", &format!("name: web-{i}")))
        .collect();
    let bad = SIDECARS.replace("replicas: 3", "replicas: 3\n  replica: 2");
    let input = format!("{}---\n{bad}", clean.join("---\n"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_podlab"))
        .args(["analyze", "-o", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut first = [0u8; 64];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(1));
}
