//! Services: what they select.

use std::collections::BTreeMap;

use super::{metadata_text, PodObject};
use crate::yaml::Node;

/// A Service in the input: what it selects.
#[derive(Debug, Clone)]
pub struct ServiceObject {
    pub name: String,
    pub namespace: Option<String>,
    pub selector: BTreeMap<String, String>,
}

impl ServiceObject {
    /// A Service selects a pod when every selector label matches; an empty selector selects
    /// nothing (its endpoints are managed by hand).
    pub fn selects(&self, pod: &PodObject) -> bool {
        !self.selector.is_empty()
            && (self.namespace.is_none()
                || pod.namespace.is_none()
                || self.namespace == pod.namespace)
            && self
                .selector
                .iter()
                .all(|(k, v)| pod.pod_labels.get(k) == Some(v))
    }
}

/// A v1 Service: its name, namespace and selector.
pub(super) fn read_service(root: &Node) -> ServiceObject {
    let selector = root
        .get("spec")
        .and_then(|s| s.get("selector"))
        .map(|sel| match &sel.kind {
            crate::yaml::NodeKind::Map(entries) => crate::order::map(
                entries
                    .iter()
                    .filter_map(|(k, v)| Some((k.key_text()?, v.key_text()?))),
            ),
            _ => BTreeMap::new(),
        })
        .unwrap_or_default();
    ServiceObject {
        name: metadata_text(root, "name").unwrap_or("").to_string(),
        namespace: metadata_text(root, "namespace").map(str::to_string),
        selector,
    }
}
