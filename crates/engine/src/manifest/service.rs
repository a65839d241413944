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

/// The Services of an input by the first pair of their selector. A Service selects a pod only if
/// the pod carries every pair of its selector, the first included, so a pod need be checked only
/// against the Services filed under one of its labels: on a long input, a few instead of
/// hundreds.
#[derive(Debug, Default)]
pub struct ServiceIndex {
    by_first_pair: BTreeMap<String, BTreeMap<String, Vec<usize>>>,
}

impl ServiceIndex {
    pub fn new(services: &[ServiceObject]) -> Self {
        let mut by_first_pair: BTreeMap<String, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
        for (i, svc) in services.iter().enumerate() {
            // An empty selector selects nothing: not filed.
            if let Some((k, v)) = svc.selector.iter().next() {
                by_first_pair
                    .entry(k.clone())
                    .or_default()
                    .entry(v.clone())
                    .or_default()
                    .push(i);
            }
        }
        ServiceIndex { by_first_pair }
    }

    /// The Services of `services` (those this index was made from) that select `pod`, in input
    /// order.
    pub fn selecting<'s>(
        &self,
        services: &'s [ServiceObject],
        pod: &PodObject,
    ) -> Vec<&'s ServiceObject> {
        // Each Service is filed once, and a pod's label keys are distinct: no index twice.
        let mut found: Vec<usize> = pod
            .pod_labels
            .iter()
            .filter_map(|(k, v)| self.by_first_pair.get(k)?.get(v))
            .flatten()
            .copied()
            .filter(|&i| services[i].selects(pod))
            .collect();
        crate::order::sort(&mut found);
        found.into_iter().map(|i| &services[i]).collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{read_units, Unit, Units};

    /// The index finds exactly the Services that `selects` finds, in input order: selectors of
    /// one and two pairs sharing a first pair, an empty selector, namespaces that differ, labels
    /// that match only in part.
    #[test]
    fn the_index_finds_what_checking_every_service_finds() {
        let service = |name: &str, ns: &str, selector: &str| {
            format!("---\napiVersion: v1\nkind: Service\nmetadata: {{name: {name}{ns}}}\nspec:\n  selector: {selector}\n  ports: [{{port: 80}}]\n")
        };
        let pod = |name: &str, ns: &str, labels: &str| {
            format!("---\napiVersion: v1\nkind: Pod\nmetadata: {{name: {name}{ns}, labels: {labels}}}\nspec:\n  containers: [{{name: c, image: x}}]\n")
        };
        let text = [
            service("web", "", "{app: web}"),
            service("web-v2", "", "{app: web, version: v2}"),
            service("none", "", "{}"),
            service("web-prod", ", namespace: prod", "{app: web}"),
            service("tier", "", "{tier: front}"),
            service("zz", "", "{zz: last, app: web}"),
            service("web-again", "", "{app: web}"),
            pod("a", "", "{app: web}"),
            pod("b", "", "{app: web, version: v2, tier: front}"),
            pod("c", ", namespace: prod", "{app: web, zz: last}"),
            pod("d", ", namespace: dev", "{app: web, version: v1}"),
            pod("e", "", "{}"),
            pod("f", "", "{version: v2}"),
        ]
        .concat();
        let mut units = Units::default();
        read_units(0, "t.yaml", &text, &mut units);
        let index = ServiceIndex::new(&units.services);
        let names = |found: Vec<&ServiceObject>| {
            found
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut seen = Vec::new();
        for unit in &units.units {
            let Unit::Pod(pod) = unit else {
                panic!("an error or a later unit in a short input")
            };
            let every: Vec<&ServiceObject> =
                units.services.iter().filter(|s| s.selects(pod)).collect();
            let found = names(index.selecting(&units.services, pod));
            assert_eq!(found, names(every), "pod {}", pod.name);
            seen.push(format!("{}: {found}", pod.name));
        }
        assert_eq!(
            seen,
            [
                "a: web web-prod web-again",
                "b: web web-v2 web-prod tier web-again",
                "c: web web-prod zz web-again",
                "d: web web-again",
                "e: ",
                "f: ",
            ]
        );
    }
}
