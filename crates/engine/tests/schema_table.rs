//! Keeps `src/schema/table.rs` equal to the shape of the API types, as k8s-openapi describes them.
//!
//! The table is generated from k8s-openapi's JSON schemas (its `schemars` feature, which only this
//! test enables). When k8s-openapi or its version feature changes, this test fails and shows how
//! to regenerate: `PODLAB_BLESS=1 cargo test -p podlab-engine --test schema_table`.

use k8s_openapi::api::{apps::v1 as apps, autoscaling, batch::v1 as batch, core::v1 as core};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The objects podlab reads, with the name the engine looks them up by.
fn roots(generator: &mut schemars::SchemaGenerator) -> Vec<(&'static str, String)> {
    fn name_of(s: schemars::Schema) -> String {
        let r = s.as_value()["$ref"].as_str().expect("a $ref").to_string();
        r.rsplit('/').next().unwrap().to_string()
    }
    vec![
        ("POD", name_of(generator.subschema_for::<core::Pod>())),
        (
            "POD_TEMPLATE",
            name_of(generator.subschema_for::<core::PodTemplate>()),
        ),
        (
            "REPLICATION_CONTROLLER",
            name_of(generator.subschema_for::<core::ReplicationController>()),
        ),
        (
            "DEPLOYMENT",
            name_of(generator.subschema_for::<apps::Deployment>()),
        ),
        (
            "STATEFUL_SET",
            name_of(generator.subschema_for::<apps::StatefulSet>()),
        ),
        (
            "DAEMON_SET",
            name_of(generator.subschema_for::<apps::DaemonSet>()),
        ),
        (
            "REPLICA_SET",
            name_of(generator.subschema_for::<apps::ReplicaSet>()),
        ),
        ("JOB", name_of(generator.subschema_for::<batch::Job>())),
        (
            "CRON_JOB",
            name_of(generator.subschema_for::<batch::CronJob>()),
        ),
        (
            "HPA_V1",
            name_of(generator.subschema_for::<autoscaling::v1::HorizontalPodAutoscaler>()),
        ),
        (
            "HPA_V2",
            name_of(generator.subschema_for::<autoscaling::v2::HorizontalPodAutoscaler>()),
        ),
    ]
}

/// Definitions that are scalars on the wire, by the k8s-openapi type that decodes them.
fn scalar_definition(name: &str) -> Option<&'static str> {
    Some(match name {
        // Quantity accepts a string or any number (quantity.rs, visit_i64/visit_f64/visit_str).
        "io.k8s.apimachinery.pkg.api.resource.Quantity" => "Quantity",
        // IntOrString: a 32-bit integer or a string (int_or_string.rs).
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString" => "IntOrStr",
        // Time and MicroTime decode an RFC 3339 timestamp.
        "io.k8s.apimachinery.pkg.apis.meta.v1.Time"
        | "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime" => "Time",
        _ => return None,
    })
}

fn shape(s: &Value, index: &BTreeMap<String, usize>, defs: &Map<String, Value>) -> String {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap();
        if let Some(scalar) = scalar_definition(name) {
            return scalar.into();
        }
        if let Some(i) = index.get(name) {
            return format!("Obj({i})");
        }
        return shape(&defs[name], index, defs);
    }
    if s.get("x-kubernetes-int-or-string").is_some() {
        return "IntOrStr".into();
    }
    let format = s.get("format").and_then(Value::as_str);
    match s.get("type").and_then(Value::as_str) {
        Some("string") => match format {
            Some("byte") => "Bytes".into(),
            Some("date-time") => "Time".into(),
            _ => "Str".into(),
        },
        Some("integer") => match format {
            Some("int32") => "Int32".into(),
            Some("int64") => "Int64".into(),
            other => panic!("integer format {other:?}"),
        },
        Some("number") => "Num".into(),
        Some("boolean") => "Bool".into(),
        Some("array") => format!("List(&{})", shape(&s["items"], index, defs)),
        Some("object") if s.get("additionalProperties").is_some() => {
            format!("Map(&{})", shape(&s["additionalProperties"], index, defs))
        }
        // FieldsV1, RawExtension: free-form JSON (k8s-openapi keeps a serde_json::Value).
        Some("object") => "Any".into(),
        other => panic!("schema type {other:?} in {s}"),
    }
}

fn render() -> String {
    let mut generator = schemars::SchemaGenerator::default();
    let roots = roots(&mut generator);
    let defs = generator.definitions().clone();
    // Every definition with properties becomes a type; the others are scalars or free-form.
    let mut types: Vec<&String> = defs
        .iter()
        .filter(|(name, d)| scalar_definition(name).is_none() && d.get("properties").is_some())
        .map(|(name, _)| name)
        .collect();
    types.sort();
    let index: BTreeMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, n)| ((*n).clone(), i))
        .collect();
    let mut out = String::new();
    out.push_str(
        "// @generated by crates/engine/tests/schema_table.rs from k8s-openapi's JSON schemas\n",
    );
    out.push_str("// (feature v1_37). Do not edit: `PODLAB_BLESS=1 cargo test -p podlab-engine --test schema_table`.\n\n");
    out.push_str("use super::Shape::*;\nuse super::Ty;\n\n");
    for (konst, name) in &roots {
        writeln!(out, "pub const {konst}: u16 = {};", index[name]).unwrap();
    }
    out.push_str("\npub static TYPES: &[Ty] = &[\n");
    for name in &types {
        // Sorted, so the engine can look fields up by binary search.
        let mut props: Vec<(&String, &Value)> = defs[*name]["properties"]
            .as_object()
            .unwrap()
            .iter()
            .collect();
        props.sort_by(|a, b| a.0.cmp(b.0));
        writeln!(out, "    // {name}").unwrap();
        out.push_str("    Ty(&[");
        for (i, (field, s)) in props.into_iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            write!(out, "({field:?}, {})", shape(s, &index, &defs)).unwrap();
        }
        out.push_str("]),\n");
    }
    out.push_str("];\n");
    out
}

#[test]
fn the_schema_table_matches_the_api_types() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/schema/table.rs");
    let fresh = render();
    if std::env::var_os("PODLAB_BLESS").is_some() {
        std::fs::write(path, &fresh).unwrap();
    }
    let stored = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        stored == fresh,
        "src/schema/table.rs is out of date with k8s-openapi; regenerate it with\n  PODLAB_BLESS=1 cargo test -p podlab-engine --test schema_table"
    );
}
