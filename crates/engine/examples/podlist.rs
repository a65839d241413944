//! Writes a `kubectl get pods -A -o json` of a made-up cluster to standard output, built from the
//! corpus: every workload of ../shared/corpus becomes pods of its template, each with a `status`
//! as the kubelet reports it (most running; some crash-looping, stuck in init, unschedulable,
//! pulling a missing image, OOMKilled, completed). For benchmarks; nothing is committed.
//!
//! `cargo run --release -p podlab-engine --example podlist -- 256` writes about 256 MB
//! (MiB = 1,048,576 bytes). Output is deterministic for a size.

use podlab_engine::manifest;
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;

/// serde_json's pretty printer with kubectl's four-space indent (pkg/printers JSONPrinter uses
/// json.MarshalIndent(obj, "", "    ")).
fn pretty(v: &Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    serde::Serialize::serialize(v, &mut ser).unwrap();
    String::from_utf8(buf).unwrap()
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // A 64-bit LCG (Knuth's MMIX constants): deterministic, no dependency.
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from_digit(self.below(16) as u32, 16).unwrap())
            .collect()
    }
}

const T0: &str = "2026-11-30T08:00:00Z";
const T1: &str = "2026-11-30T08:00:12Z";

fn terminated(reason: &str, code: i64, id: &str) -> Value {
    json!({"terminated": {"containerID": format!("containerd://{id}"), "exitCode": code, "finishedAt": T1, "reason": reason, "startedAt": T0}})
}

/// A pod of `template` in one of the states a cluster shows, with its status.
fn pod(template: &Value, owner: &str, ns: &str, rng: &mut Rng) -> Value {
    let spec = template["spec"].clone();
    let name = format!("{owner}-{}-{}", rng.hex(10), rng.hex(5));
    let inits: Vec<&Value> = spec["initContainers"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let mains: Vec<&Value> = spec["containers"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let roll = rng.below(100);
    let state = match roll {
        0..=2 => "crashloop",
        3..=4 if inits.iter().any(|c| c["restartPolicy"] != "Always") => "init-crashloop",
        5..=6 => "unschedulable",
        7 => "image-pull",
        8 => "oom",
        _ => "running",
    };
    let mut id = || rng.hex(64);
    let mut init_statuses = Vec::new();
    let mut ready_all = state == "running" || state == "oom";
    let mut init_blocked = false;
    for c in &inits {
        let sidecar = c["restartPolicy"] == "Always";
        let cid = id();
        let s = if init_blocked {
            json!({"name": c["name"], "image": c["image"], "imageID": "", "lastState": {}, "ready": false, "restartCount": 0, "started": false, "state": {"waiting": {"reason": "PodInitializing"}}})
        } else if state == "init-crashloop" && !sidecar {
            init_blocked = true;
            json!({"containerID": format!("containerd://{cid}"), "name": c["name"], "image": c["image"], "imageID": format!("{}@sha256:{}", c["image"].as_str().unwrap_or(""), cid), "lastState": terminated("Error", 1, &cid), "ready": false, "restartCount": 4, "started": false,
                   "state": {"waiting": {"message": format!("back-off 1m20s restarting failed container={} pod={name}_{ns}", c["name"].as_str().unwrap_or("")), "reason": "CrashLoopBackOff"}}})
        } else if sidecar {
            json!({"containerID": format!("containerd://{cid}"), "name": c["name"], "image": c["image"], "imageID": format!("{}@sha256:{}", c["image"].as_str().unwrap_or(""), cid), "lastState": {}, "ready": true, "restartCount": 0, "started": true, "state": {"running": {"startedAt": T0}}})
        } else {
            json!({"containerID": format!("containerd://{cid}"), "name": c["name"], "image": c["image"], "imageID": format!("{}@sha256:{}", c["image"].as_str().unwrap_or(""), cid), "lastState": {}, "ready": false, "restartCount": 0, "started": false, "state": terminated("Completed", 0, &cid)})
        };
        init_statuses.push(s);
    }
    let mut statuses = Vec::new();
    for (i, c) in mains.iter().enumerate() {
        let cid = id();
        let image_id = format!("{}@sha256:{}", c["image"].as_str().unwrap_or(""), cid);
        let s = match state {
            "crashloop" if i == 0 => {
                ready_all = false;
                json!({"containerID": format!("containerd://{cid}"), "name": c["name"], "image": c["image"], "imageID": image_id, "lastState": terminated("Error", 2, &cid), "ready": false, "restartCount": 7, "started": false,
                       "state": {"waiting": {"message": format!("back-off 5m0s restarting failed container={} pod={name}_{ns}", c["name"].as_str().unwrap_or("")), "reason": "CrashLoopBackOff"}}})
            }
            "image-pull" if i == 0 => {
                ready_all = false;
                json!({"name": c["name"], "image": c["image"], "imageID": "", "lastState": {}, "ready": false, "restartCount": 0, "started": false,
                       "state": {"waiting": {"message": format!("Back-off pulling image \"{}\"", c["image"].as_str().unwrap_or("")), "reason": "ImagePullBackOff"}}})
            }
            "oom" if i == 0 => {
                json!({"containerID": format!("containerd://{cid}"), "name": c["name"], "image": c["image"], "imageID": image_id, "lastState": terminated("OOMKilled", 137, &cid), "ready": true, "restartCount": 1, "started": true, "state": {"running": {"startedAt": T1}}})
            }
            "running" | "oom" | "crashloop" | "image-pull" => {
                json!({"containerID": format!("containerd://{cid}"), "name": c["name"], "image": c["image"], "imageID": image_id, "lastState": {}, "ready": true, "restartCount": 0, "started": true, "state": {"running": {"startedAt": T0}}})
            }
            _ => {
                json!({"name": c["name"], "image": c["image"], "imageID": "", "lastState": {}, "ready": false, "restartCount": 0, "started": false, "state": {"waiting": {"reason": "PodInitializing"}}})
            }
        };
        statuses.push(s);
    }
    let cond = |t: &str, s: bool| json!({"lastProbeTime": null, "lastTransitionTime": T0, "status": if s {"True"} else {"False"}, "type": t});
    let mut status = if state == "unschedulable" {
        json!({"conditions": [{"lastProbeTime": null, "lastTransitionTime": T0, "message": "0/12 nodes are available: 12 Insufficient memory. preemption: 0/12 nodes are available: 12 No preemption victims found for incoming pod.", "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}], "phase": "Pending", "qosClass": "Burstable"})
    } else {
        // kubelet_pods.go getPhase: Pending until every plain init container has exited 0.
        let phase = if init_blocked { "Pending" } else { "Running" };
        let mut s = json!({
            "conditions": [cond("PodReadyToStartContainers", true), cond("Initialized", !init_blocked), cond("Ready", ready_all && !init_blocked), cond("ContainersReady", ready_all && !init_blocked), cond("PodScheduled", true)],
            "containerStatuses": statuses,
            "hostIP": format!("10.0.{}.{}", rng.below(4), rng.below(250)),
            "hostIPs": [{"ip": "10.0.1.17"}],
            "phase": phase,
            "podIP": format!("10.244.{}.{}", rng.below(250), rng.below(250)),
            "podIPs": [{"ip": "10.244.3.9"}],
            "qosClass": "Burstable",
            "startTime": T0
        });
        if !init_statuses.is_empty() {
            s["initContainerStatuses"] = Value::Array(init_statuses);
        }
        s
    };
    if state != "unschedulable" {
        status["qosClass"] = json!("Burstable");
    }
    let mut spec = spec;
    spec["nodeName"] = json!(format!("node-{}", rng.below(12)));
    let mut labels = template["metadata"]["labels"].clone();
    if !labels.is_object() {
        labels = json!({});
    }
    labels["pod-template-hash"] = json!(rng.hex(10));
    let mut metadata = json!({
        "creationTimestamp": T0,
        "generateName": format!("{owner}-"),
        "labels": labels,
        "name": name,
        "namespace": ns,
        "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": true, "controller": true, "kind": "ReplicaSet", "name": format!("{owner}-{}", rng.hex(10)), "uid": format!("{}-{}-{}-{}-{}", rng.hex(8), rng.hex(4), rng.hex(4), rng.hex(4), rng.hex(12))}],
        "resourceVersion": rng.below(90_000_000).to_string(),
        "uid": format!("{}-{}-{}-{}-{}", rng.hex(8), rng.hex(4), rng.hex(4), rng.hex(4), rng.hex(12))
    });
    if let Some(a) = template["metadata"]["annotations"].as_object() {
        metadata["annotations"] = Value::Object(a.clone());
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec, "status": status})
}

fn main() {
    let mib: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(256);
    let target = mib * 1024 * 1024;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/files");
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .expect("the corpus sits beside the repository")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut templates: Vec<(String, Value)> = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let mut objects = manifest::Objects::default();
        manifest::read("corpus", &text, &mut objects);
        for p in objects.pods {
            let mut json = p.root.to_json();
            let mut template = json!({});
            // The pod spec's parent holds the template's metadata (or the Pod's own).
            let steps: Vec<String> = p
                .spec_steps
                .iter()
                .filter_map(|s| match s {
                    podlab_engine::yaml::Step::Key(k) => Some(k.clone()),
                    _ => None,
                })
                .collect();
            for k in &steps[..steps.len().saturating_sub(1)] {
                json = json[k.as_str()].take();
            }
            template["metadata"] = json["metadata"].take();
            template["spec"] = json["spec"].take();
            if template["spec"]["containers"].is_array() {
                templates.push((p.name.clone(), template));
            }
        }
    }
    let namespaces = [
        "default",
        "shop",
        "payments",
        "search",
        "observability",
        "istio-system",
        "kube-system",
        "data",
        "batch",
        "edge",
    ];
    let mut rng = Rng(17);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let head = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n";
    let tail = "\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n";
    let mut written = (head.len() + tail.len()) as u64;
    out.write_all(head.as_bytes()).unwrap();
    let mut first = true;
    let mut n = 0usize;
    while written < target {
        let (owner, t) = &templates[n % templates.len()];
        let ns = namespaces[rng.below(namespaces.len() as u64) as usize];
        let item = pretty(&pod(t, owner, ns, &mut rng));
        let item = format!(
            "{}        {}",
            if first { "" } else { ",\n" },
            item.replace('\n', "\n        ")
        );
        first = false;
        written += item.len() as u64;
        out.write_all(item.as_bytes()).unwrap();
        n += 1;
    }
    out.write_all(tail.as_bytes()).unwrap();
    out.flush().unwrap();
    eprintln!("{n} pods, {written} bytes");
}
