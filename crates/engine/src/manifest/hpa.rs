//! HorizontalPodAutoscalers: what they scale, between which bounds, on which metrics.

use super::{metadata_text, ReadError};
use crate::schema;
use crate::yaml::{json, Node, NodeKind};

/// A HorizontalPodAutoscaler read from the input.
#[derive(Debug, Clone)]
pub struct HpaObject {
    pub file: String,
    pub name: String,
    pub namespace: Option<String>,
    pub line: usize,
    pub target_kind: String,
    pub target_name: String,
    pub min_replicas: i64,
    pub max_replicas: i64,
    /// autoscaling/v2 metrics, with their positions.
    pub metrics: Vec<HpaMetric>,
}

#[derive(Debug, Clone)]
pub struct HpaMetric {
    pub index: usize,
    pub line: usize,
    pub kind: MetricKind,
    pub resource: Option<String>,
    pub container: Option<String>,
    /// The metric as written, for the change that `fix` offers.
    pub node: Option<Node>,
}

/// An autoscaling/v2 metric's `type` (k8s.io/api/autoscaling/v2/types.go MetricSourceType).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricKind {
    Object,
    Pods,
    Resource,
    ContainerResource,
    External,
    /// A type the API does not define (refused by validation; no rule reads it).
    Other,
}

impl MetricKind {
    pub fn parse(s: &str) -> MetricKind {
        match s {
            "Object" => MetricKind::Object,
            "Pods" => MetricKind::Pods,
            "Resource" => MetricKind::Resource,
            "ContainerResource" => MetricKind::ContainerResource,
            "External" => MetricKind::External,
            _ => MetricKind::Other,
        }
    }
}

pub(super) fn read_hpa(file: &str, root: &Node, api_version: &str) -> Result<HpaObject, ReadError> {
    let name = metadata_text(root, "name").unwrap_or("").to_string();
    let namespace = metadata_text(root, "namespace").map(str::to_string);
    // autoscaling/v2beta1 and v2beta2 are read with the v2 shape, as before their removal they
    // converted to it; only type errors stop the read (an old field is not worth a finding here).
    let root_ty = if api_version == "autoscaling/v1" {
        schema::HPA_V1
    } else {
        schema::HPA_V2
    };
    schema::check(root, root_ty)
        .map_err(|(steps, message)| ReadError::at_path(root, &steps, message))?;
    let spec = root.get("spec");
    let target = spec.and_then(|s| s.get("scaleTargetRef"));
    let replicas = |key: &str, default: i64| {
        spec.and_then(|s| s.get(key))
            .and_then(json::as_i64)
            .unwrap_or(default)
    };
    let (min, max) = (replicas("minReplicas", 1), replicas("maxReplicas", 0));
    let mut metrics = Vec::new();
    if api_version != "autoscaling/v1" {
        let metric_nodes = spec
            .and_then(|s| s.get("metrics"))
            .map(Node::items)
            .unwrap_or(&[]);
        let text =
            |v: &Node, key: &str| v.get(key).and_then(Node::as_str).unwrap_or("").to_string();
        fn mapping<'n>(m: &'n Node, key: &str) -> Option<&'n Node> {
            m.get(key).filter(|v| matches!(v.kind, NodeKind::Map(_)))
        }
        for (i, m) in metric_nodes.iter().enumerate() {
            let (resource, container) =
                match (mapping(m, "resource"), mapping(m, "containerResource")) {
                    (Some(r), _) => (Some(text(r, "name")), None),
                    (_, Some(c)) => (Some(text(c, "name")), Some(text(c, "container"))),
                    _ => (None, None),
                };
            metrics.push(HpaMetric {
                index: i,
                line: metric_nodes
                    .get(i)
                    .map(|n| n.pos.line)
                    .unwrap_or(root.pos.line),
                kind: MetricKind::parse(m.get("type").and_then(Node::as_str).unwrap_or("")),
                resource,
                container,
                node: metric_nodes.get(i).cloned(),
            });
        }
    }
    Ok(HpaObject {
        file: file.to_string(),
        name,
        namespace,
        line: root.pos.line,
        target_kind: target
            .and_then(|t| t.get("kind"))
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string(),
        target_name: target
            .and_then(|t| t.get("name"))
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string(),
        min_replicas: min,
        max_replicas: max,
        metrics,
    })
}
