//! The schema walker against k8s-openapi's own decoders, on the real manifests of the corpus.
//!
//! Each workload of ../shared/corpus is decoded with the k8s-openapi type of its kind, as the API
//! server's types would decode it, and checked with `schema::check`. Then every value in it is
//! replaced, one at a time, by values of other types (text, whole and fractional numbers, numbers
//! out of 32-bit range, booleans, lists, mappings), and an unknown key is added to every object.
//! The walker must accept exactly what the typed decoder accepts, fail at the same path, and
//! report exactly the keys that the typed object drops when it is serialised back. The same
//! types decoded from the tree in place (`yaml::json::Json`, as the engine decodes) must give what
//! they give decoded from serde_json's `Value`: the same object, or the same error at the same path.

use k8s_openapi::api::{apps::v1 as apps, autoscaling, batch::v1 as batch, core::v1 as core};
use podlab_engine::schema;
use podlab_engine::yaml::json::Json;
use podlab_engine::yaml::{read_documents, Node, Step};
use serde_json::{json, Value};
use std::path::Path;

type Typed = Result<Value, Vec<Step>>;
/// A kind's typed decoder, and its root in the schema table.
type KindOf = (fn(&Value) -> Typed, u16);

/// The tree of a JSON value, as a document holding it reads.
fn tree(v: &Value) -> Node {
    podlab_engine::json::read_value(v.to_string().as_bytes(), Default::default()).unwrap()
}

fn path_of(path: &serde_path_to_error::Path) -> Vec<Step> {
    path.iter()
        .filter_map(|s| match s {
            serde_path_to_error::Segment::Map { key } => Some(Step::Key(key.clone())),
            serde_path_to_error::Segment::Seq { index } => Some(Step::Index(*index)),
            _ => None,
        })
        .collect()
}

fn typed<T: serde::de::DeserializeOwned + serde::Serialize>(v: &Value) -> Typed {
    let from_value = match serde_path_to_error::deserialize::<_, T>(v) {
        Ok(t) => Ok(serde_json::to_value(&t).unwrap()),
        Err(e) => Err((path_of(e.path()), e.into_inner().to_string())),
    };
    let node = tree(v);
    let from_tree = match serde_path_to_error::deserialize::<_, T>(Json::new(&node)) {
        Ok(t) => Ok(serde_json::to_value(&t).unwrap()),
        Err(e) => Err((path_of(e.path()), e.into_inner().to_string())),
    };
    assert_eq!(
        from_tree, from_value,
        "decoded from the tree and from a Value: {v}"
    );
    from_value.map_err(|(path, _)| path)
}

fn kind_of(v: &Value) -> Option<KindOf> {
    Some(match (v["apiVersion"].as_str()?, v["kind"].as_str()?) {
        ("v1", "Pod") => (typed::<core::Pod>, schema::POD),
        ("v1", "PodTemplate") => (typed::<core::PodTemplate>, schema::POD_TEMPLATE),
        ("v1", "ReplicationController") => (
            typed::<core::ReplicationController>,
            schema::REPLICATION_CONTROLLER,
        ),
        ("apps/v1", "Deployment") => (typed::<apps::Deployment>, schema::DEPLOYMENT),
        ("apps/v1", "StatefulSet") => (typed::<apps::StatefulSet>, schema::STATEFUL_SET),
        ("apps/v1", "DaemonSet") => (typed::<apps::DaemonSet>, schema::DAEMON_SET),
        ("apps/v1", "ReplicaSet") => (typed::<apps::ReplicaSet>, schema::REPLICA_SET),
        ("batch/v1", "Job") => (typed::<batch::Job>, schema::JOB),
        ("batch/v1", "CronJob") => (typed::<batch::CronJob>, schema::CRON_JOB),
        ("autoscaling/v1", "HorizontalPodAutoscaler") => (
            typed::<autoscaling::v1::HorizontalPodAutoscaler>,
            schema::HPA_V1,
        ),
        ("autoscaling/v2", "HorizontalPodAutoscaler") => (
            typed::<autoscaling::v2::HorizontalPodAutoscaler>,
            schema::HPA_V2,
        ),
        _ => return None,
    })
}

fn workloads() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/files");
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for doc in read_documents(&text).0 {
            let Some(root) = doc.root else { continue };
            let v = root.to_json();
            let items = match v["kind"].as_str() {
                Some("List") => v["items"].as_array().cloned().unwrap_or_default(),
                _ => vec![v],
            };
            for item in items {
                if kind_of(&item).is_some() {
                    out.push((f.file_name().unwrap().to_string_lossy().into_owned(), item));
                }
            }
        }
    }
    out
}

/// Paths of every value under `v`, except apiVersion and kind, which the typed decoders check
/// against their own type (the engine routes on them before decoding).
fn leaves(v: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    if !path.is_empty() {
        out.push(path.clone());
    }
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if path.is_empty() && (k == "apiVersion" || k == "kind") {
                    continue;
                }
                path.push(Step::Key(k.clone()));
                leaves(x, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(Step::Index(i));
                leaves(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(v: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(v, |v, s| match s {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

/// Keys of `input` that are missing from the typed object serialised back (nulls aside).
fn dropped(input: &Value, typed: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match (input, typed) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                if v.is_null() {
                    continue;
                }
                path.push(Step::Key(k.clone()));
                match b.get(k) {
                    Some(t) => dropped(v, t, path, out),
                    None => out.push(path.clone()),
                }
                path.pop();
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (v, t)) in a.iter().zip(b).enumerate() {
                path.push(Step::Index(i));
                dropped(v, t, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn agree(name: &str, v: &Value, decode: fn(&Value) -> Typed, root: u16) {
    let walked = schema::check(&tree(v), root);
    match (decode(v), walked) {
        (Ok(back), Ok(unknown)) => {
            let mut expected = Vec::new();
            dropped(v, &back, &mut Vec::new(), &mut expected);
            assert_eq!(unknown, expected, "{name}: unknown fields of {v}");
        }
        (Err(typed_path), Err((path, message))) => {
            assert_eq!(path, typed_path, "{name}: {message} in {v}")
        }
        (typed, walked) => panic!(
            "{name}: the typed decoder says {:?}, the walker {walked:?}, for {v}",
            typed.map(|_| "ok")
        ),
    }
}

#[test]
fn the_walker_accepts_what_k8s_openapi_accepts() {
    let replacements = [
        json!("text"),
        json!(7),
        json!(-7),
        json!(2.5),
        json!(3_000_000_000i64),
        json!(true),
        json!([]),
        json!(["a"]),
        json!({}),
        json!({"a": "b"}),
        json!("2025-01-31T12:00:00Z"),
    ];
    let all = workloads();
    assert!(all.len() > 40, "{} workloads", all.len());
    let mut checked = 0;
    for (name, v) in &all {
        let (decode, root) = kind_of(v).unwrap();
        agree(name, v, decode, root);
        let mut paths = Vec::new();
        leaves(v, &mut Vec::new(), &mut paths);
        for (n, path) in paths.iter().enumerate() {
            // Every value, with a replacement chosen in turn, keeps the run short.
            for r in [
                &replacements[n % replacements.len()],
                &replacements[(n * 7 + 3) % replacements.len()],
            ] {
                let mut m = v.clone();
                *at(&mut m, path) = r.clone();
                agree(name, &m, decode, root);
                checked += 1;
            }
            if let Value::Object(_) = at(&mut v.clone(), path) {
                let mut m = v.clone();
                at(&mut m, path)["zzUnknownField"] = json!(1);
                agree(name, &m, decode, root);
                checked += 1;
            }
        }
    }
    assert!(checked > 10_000, "{checked} variants");
}

/// A null reads as unset in k8s-openapi's decoders. Wherever the typed decoder accepts a null,
/// the engine must read the workload too: at most it refuses what validation refuses (no
/// containers, no template), never with a decoding error of its own.
#[test]
fn a_null_anywhere_the_typed_decoder_takes_it_reads_as_unset() {
    let mut checked = 0;
    for (name, v) in &workloads() {
        let as_is = podlab_engine::analyze_text("t.json", &v.to_string(), &Default::default());
        // HPAs are not workloads; a template with placeholders is refused as it is.
        if v["kind"] == "HorizontalPodAutoscaler" || !as_is.errors.is_empty() {
            continue;
        }
        let (decode, _) = kind_of(v).unwrap();
        let mut paths = Vec::new();
        leaves(v, &mut Vec::new(), &mut paths);
        for path in &paths {
            let mut m = v.clone();
            *at(&mut m, path) = Value::Null;
            if decode(&m).is_err() {
                continue;
            }
            let a = podlab_engine::analyze_text("t.json", &m.to_string(), &Default::default());
            for e in &a.errors {
                assert!(
                    e.message.contains("at least one container")
                        || e.message.contains("required field"),
                    "{name}: null at {path:?}: {}",
                    e.message
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 5_000, "{checked} variants");
}
